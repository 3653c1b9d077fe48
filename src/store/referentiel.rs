//! What the shipped référentiel adds around collectivités: former codes and names, EPCI
//! members, the version loaded, and the compact view the name resolver indexes.

use rusqlite::{Connection, OptionalExtension, params};
use time::Date;

use super::Result;
use crate::model::{Collectivite, CollectiviteId, Localite};
use crate::store::sql::{meta, noter_meta};

/// The version of the référentiel loaded in this database, if any.
pub fn version(conn: &Connection) -> Result<Option<String>> {
    Ok(meta(conn, "referentiel")?)
}

pub fn marquer_version(conn: &Connection, version: &str) -> Result<()> {
    Ok(noter_meta(conn, "referentiel", version)?)
}

/// Forgets the links that a reload of the référentiel writes again (former codes, former
/// names, EPCI members); the units themselves are updated in place.
pub fn effacer_liens(conn: &Connection) -> Result<()> {
    conn.execute_batch(
        "DELETE FROM collectivite_ancien_code;
         DELETE FROM epci_membre;
         DELETE FROM collectivite_ancien_nom;
         DELETE FROM collectivite_successeur
          WHERE predecesseur_id IN (SELECT id FROM collectivite WHERE cle_referentiel IS NOT NULL)
            AND successeur_id IN (SELECT id FROM collectivite WHERE cle_referentiel IS NOT NULL);",
    )?;
    Ok(())
}

pub fn ajouter_ancien_code(conn: &Connection, id: CollectiviteId, ancien: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT OR IGNORE INTO collectivite_ancien_code (collectivite_id, code) VALUES (?1, ?2)",
    )?
    .execute(params![id, ancien])?;
    Ok(())
}

/// Records that `nom`, used until `jusqu_au`, now means the unit `id`.
pub fn ajouter_ancien_nom(
    conn: &Connection,
    id: CollectiviteId,
    nom: &str,
    jusqu_au: Option<Date>,
    source: &str,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT OR REPLACE INTO collectivite_ancien_nom (collectivite_id, nom, valide_jusqu_au, source)
         VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![id, nom, jusqu_au, source])?;
    Ok(())
}

pub fn ajouter_membre_epci(
    conn: &Connection,
    epci: CollectiviteId,
    commune: CollectiviteId,
) -> Result<()> {
    conn.prepare_cached("INSERT OR IGNORE INTO epci_membre (epci_id, commune_id) VALUES (?1, ?2)")?
        .execute(params![epci, commune])?;
    Ok(())
}

/// The id of the référentiel unit with this stable key.
pub fn par_cle(conn: &Connection, cle: &str) -> Result<Option<CollectiviteId>> {
    Ok(conn
        .prepare_cached("SELECT id FROM collectivite WHERE cle_referentiel = ?1")?
        .query_row([cle], |r| r.get(0))
        .optional()?)
}

/// Every collectivité, its former names and its successor links, and every localité, in one
/// pass each.
pub struct DonneesResolution {
    /// Each collectivité with its parent's name.
    pub unites: Vec<(Collectivite, Option<String>)>,
    pub anciens_noms: Vec<(CollectiviteId, String)>,
    /// (former unit, successor)
    pub successions: Vec<(CollectiviteId, CollectiviteId)>,
    pub localites: Vec<Localite>,
}

pub fn donnees_resolution(conn: &Connection) -> Result<DonneesResolution> {
    let unites = super::collectivite::toutes_avec_parent(conn)?;
    let anciens_noms = conn
        .prepare("SELECT collectivite_id, nom FROM collectivite_ancien_nom")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let successions = conn
        .prepare("SELECT predecesseur_id, successeur_id FROM collectivite_successeur")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(DonneesResolution {
        unites,
        anciens_noms,
        successions,
        localites: super::localite::toutes(conn)?,
    })
}
