//! Storage in one embedded SQLite file: the only place in benkan that speaks SQL.
//!
//! One file per entity holds its queries beside each other, as plain functions taking a
//! connection, so that a caller can group several of them in one transaction.

pub mod acteur;
pub mod action;
pub mod apercu;
pub mod bourse;
pub mod campagne;
pub mod chiffres;
pub mod collectivite;
pub mod compte;
mod concurrence;
pub mod contact;
pub mod courriel;
pub mod echange;
pub mod export;
pub mod financement;
pub mod intervention;
mod intervention_resultat;
pub mod jeton_api;
pub mod journal;
pub mod localite;
mod migrations;
mod ouverture;
mod pagination;
pub mod partenariat;
pub mod pdesc;
pub mod referentiel;
pub mod resultat;
pub mod sauvegarde;
mod sql;
pub mod tentative;
pub mod validation;
pub mod zones;

#[cfg(test)]
mod bourse_tests;
#[cfg(test)]
mod contraintes_tests;
#[cfg(test)]
mod essai;
#[cfg(test)]
mod validation_tests;

use std::path::{Path, PathBuf};
use std::time::Duration;

use r2d2_sqlite::SqliteConnectionManager;
use rusqlite::Connection;

use crate::model::ErreurModele;
pub use concurrence::{ATTENTE_ECRITURE, Acces, Observateur};
pub use migrations::VERSION_SCHEMA;
pub use pagination::{Page, Pagine};

/// A storage failure, with what the user can do about it.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("impossible d'ouvrir la base {chemin} : {source}")]
    Ouverture {
        chemin: PathBuf,
        source: rusqlite::Error,
    },
    #[error(
        "la base {chemin} a été écrite par une version plus récente de benkan (schéma {trouve}, \
         cette version connaît jusqu'au schéma {connu}) : mettez benkan à jour"
    )]
    SchemaFutur {
        chemin: PathBuf,
        trouve: u32,
        connu: u32,
    },
    #[error(
        "la base {chemin} a été écrite par une version plus ancienne de benkan (schéma {trouve}, \
         cette version lit le schéma {connu}) : mettez la base à jour avec benkan init --db {chemin}"
    )]
    SchemaAncien {
        chemin: PathBuf,
        trouve: u32,
        connu: u32,
    },
    #[error(
        "la base {0} n'existe pas : vérifiez le chemin donné par --db (ou BENKAN_DB), \
         ou créez-la avec benkan init --db {0}"
    )]
    Absente(PathBuf),
    /// A migration that rebuilt tables would leave rows pointing at rows that are gone: it
    /// is rolled back rather than land a base whose references lie.
    #[error(
        "la migration {version} laisserait {lignes} ligne(s) aux références rompues (la première : \
         une ligne de « {table} » renvoie à une ligne absente de « {parent} ») ; elle est annulée, \
         la base reste telle quelle : signalez-le aux développeurs de benkan"
    )]
    ReferencesRompues {
        version: u32,
        lignes: usize,
        table: String,
        parent: String,
    },
    #[error("le fichier {0} n'est pas une base benkan : choisissez un autre chemin avec --db")]
    PasUneBaseBenkan(PathBuf),
    #[error("{0} introuvable")]
    Introuvable(String),
    #[error("{0}")]
    Existe(String),
    #[error(transparent)]
    Modele(#[from] ErreurModele),
    #[error("erreur SQLite : {0}")]
    Sqlite(rusqlite::Error),
    /// The write lock stayed taken (by another writer of the site, or by an import run from
    /// the command line) longer than a writer may wait, or no connection came free in time.
    #[error(
        "la base est occupée par une autre écriture (par exemple une importation en cours) : \
         réessayez dans quelques instants"
    )]
    Occupe,
    #[error("aucune connexion disponible à la base : {0}")]
    Pool(#[from] r2d2::Error),
}

impl From<rusqlite::Error> for StoreError {
    fn from(erreur: rusqlite::Error) -> Self {
        concurrence::sqlite(erreur)
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// A pooled connection to the database.
pub type Connexion = r2d2::PooledConnection<SqliteConnectionManager>;

/// The database: pools of connections to one SQLite file, migrated to the current schema.
#[derive(Clone)]
pub struct Store {
    /// Connections for the command line and the tests, which use one at a time.
    pool: r2d2::Pool<SqliteConnectionManager>,
    /// The site's readers and its single writer (`concurrence`).
    pools: concurrence::Pools,
    chemin: PathBuf,
}

impl Store {
    /// Opens (creating it if needed) the database at `chemin` and applies the migrations.
    pub fn ouvrir(chemin: &Path) -> Result<Store> {
        let erreur_ouverture = |source| StoreError::Ouverture {
            chemin: chemin.to_owned(),
            source,
        };
        let mut conn = Connection::open(chemin).map_err(erreur_ouverture)?;
        configurer(&mut conn).map_err(erreur_ouverture)?;
        // WAL lets readers go on while one writer writes; it is stored in the file.
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(erreur_ouverture)?;
        migrations::appliquer(&mut conn, chemin)?;
        drop(conn);

        let manager = SqliteConnectionManager::file(chemin).with_init(configurer);
        let pool = r2d2::Pool::builder()
            .max_size(8)
            .min_idle(Some(0))
            .connection_timeout(Duration::from_secs(10))
            .build(manager)?;
        Ok(Store {
            pool,
            pools: concurrence::Pools::new(chemin)?,
            chemin: chemin.to_owned(),
        })
    }

    /// A connection for a command or a test; the site reads and writes through
    /// [`Store::lire`] and [`Store::ecrire`] instead.
    pub fn connexion(&self) -> Result<Connexion> {
        Ok(self.pool.get()?)
    }

    pub fn chemin(&self) -> &Path {
        &self.chemin
    }
}

/// How many prepared statements each connection keeps (see [`configurer`]).
const CAPACITE_CACHE_REQUETES: usize = 512;

/// Settings that SQLite keeps per connection, not in the file.
fn configurer(conn: &mut Connection) -> rusqlite::Result<()> {
    // rusqlite keeps 16 prepared statements by default; the store uses a few hundred, and a
    // write evicted from the cache is compiled again with all its triggers.
    conn.set_prepared_statement_cache_capacity(CAPACITE_CACHE_REQUETES);
    conn.execute_batch(
        "PRAGMA foreign_keys = ON;
         PRAGMA busy_timeout = 5000;
         PRAGMA synchronous = NORMAL;",
    )
}

/// Runs `f` so that either all its writes land or none. Inside a caller's transaction it is
/// a savepoint; outside one it is a transaction that takes the write lock up front
/// (`BEGIN IMMEDIATE`, see `concurrence`), so that a long import never fails halfway
/// because another writer came between its first read and its first write.
pub(crate) fn atomique<T, E: From<rusqlite::Error>>(
    conn: &Connection,
    f: impl FnOnce() -> std::result::Result<T, E>,
) -> std::result::Result<T, E> {
    if conn.is_autocommit() {
        return concurrence::en_ecriture(conn, f, E::from);
    }
    conn.execute_batch("SAVEPOINT atomique")?;
    match f() {
        Ok(valeur) => {
            conn.execute_batch("RELEASE atomique")?;
            Ok(valeur)
        }
        Err(erreur) => {
            if let Err(e) = conn.execute_batch("ROLLBACK TO atomique; RELEASE atomique") {
                tracing::error!("annulation impossible : {e}");
            }
            Err(erreur)
        }
    }
}

/// The SQL expression of the current instant, as stored in `modifie_le` columns.
pub(crate) const MAINTENANT: &str = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')";
