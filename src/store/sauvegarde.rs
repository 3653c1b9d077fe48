//! Backups and checks of the database file, for the people who run benkan: a consistent
//! copy of a live database (`benkan sauvegarde`), the checks that tell a sound file from a
//! damaged one (`benkan verifier`, and every new copy), and what `/sante` reads.
//!
//! The copy is SQLite's `VACUUM INTO`, not the online backup API. In WAL mode `VACUUM INTO`
//! reads the whole database inside one read transaction: the copy is the snapshot of one
//! instant, and the site's writers go on meanwhile (they append to the `-wal`, which only
//! grows until the copy ends). The backup API, run from another connection than the one
//! that writes, starts again from the first page each time another connection commits: under
//! the site's steady writes it may never finish. `VACUUM INTO` also writes a compact file.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, ErrorCode, OpenFlags};

use super::{StoreError, VERSION_SCHEMA, configurer, migrations};

/// The key of `meta` that holds the moment (UTC, as `mise_a_jour`) the last backup that
/// passed its checks began. No trigger watches `meta` but for its `generation` row
/// (migration 0017), so noting it moves no generation: no cache is dropped for it.
pub const CLE_DERNIERE_SAUVEGARDE: &str = "derniere_sauvegarde";

/// At most this many lines of `integrity_check` and `foreign_key_check` are kept (all are
/// counted): one is enough to know the file is damaged, a few help to see where.
const PROBLEMES_MAX: usize = 10;

/// Why a backup or a check could not be done.
#[derive(Debug, thiserror::Error)]
pub enum ErreurSauvegarde {
    #[error(
        "le fichier {0} existe déjà : une sauvegarde n'en remplace jamais une autre ; \
         choisissez un autre nom avec --out (par exemple avec la date) ou retirez-le d'abord"
    )]
    CibleExiste(PathBuf),
    #[error(
        "{0} est un dossier : --out attend le nom du fichier à créer, par exemple \
         {0}/benkan-AAAA-MM-JJ.db"
    )]
    CibleDossier(PathBuf),
    #[error(
        "plus de place sur le disque de {0} pour la sauvegarde : libérez-en ou choisissez un \
         autre dossier ; rien n'a été laissé"
    )]
    DisquePlein(PathBuf),
    #[error("le dossier {0} n'existe pas : créez-le d'abord")]
    DossierAbsent(PathBuf),
    /// A file could not be read, written or renamed; the command line says the cause in
    /// French (`interop::en_francais`, a layer above).
    #[error("{chemin} : {source}")]
    Fichier {
        chemin: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "le fichier {0} n'est pas une base SQLite (ou son en-tête est détruit) : \
         vérifiez le chemin donné par --db"
    )]
    PasUneBaseSqlite(PathBuf),
    #[error("la base {chemin} est endommagée : {message}")]
    Endommagee { chemin: PathBuf, message: String },
    #[error(
        "la copie n'a pas passé la vérification, elle a été effacée : {0} ; la base copiée est \
         sans doute endommagée elle-même : benkan verifier --db … le dira"
    )]
    CopieRefusee(String),
    #[error("le chemin {0} n'est pas un texte UTF-8 : SQLite ne saurait pas l'écrire")]
    CheminIllisible(PathBuf),
    #[error(transparent)]
    Store(#[from] StoreError),
}

type Resultat<T> = std::result::Result<T, ErreurSauvegarde>;

/// What the checks of one database file found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// The file's size in bytes (without its `-wal`).
    pub octets: u64,
    /// What `PRAGMA integrity_check` found wrong (SQLite stops at 100): none for a sound
    /// file.
    pub integrite: Anomalies,
    /// The broken references `PRAGMA foreign_key_check` found, as « table, ligne → table ».
    pub cles_etrangeres: Anomalies,
    /// Whether the file carries benkan's `application_id`.
    pub benkan: bool,
    /// `PRAGMA user_version`: the number of migrations applied.
    pub schema: u32,
    /// The version of the référentiel loaded (`meta.referentiel`).
    pub referentiel: Option<String>,
    /// The moment noted by the last backup of this file, if any.
    pub derniere_sauvegarde: Option<String>,
}

/// What one check found wrong: how many, and the first few, as SQLite words them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Anomalies {
    pub nombre: usize,
    pub premieres: Vec<String>,
}

impl Anomalies {
    pub fn aucune(&self) -> bool {
        self.nombre == 0
    }

    /// « 12 anomalie(s) : première ; deuxième ; troisième ; … »: the count and the first
    /// three, for a one-line message.
    pub fn resume(&self) -> String {
        let premieres: Vec<&str> = self.premieres.iter().take(3).map(String::as_str).collect();
        let suite = if self.nombre > premieres.len() {
            " ; …"
        } else {
            ""
        };
        format!(
            "{} anomalie(s) : {}{suite}",
            self.nombre,
            premieres.join(" ; ")
        )
    }

    fn noter(&mut self, anomalie: String) {
        if self.premieres.len() < PROBLEMES_MAX {
            self.premieres.push(anomalie);
        }
        self.nombre += 1;
    }
}

impl Verification {
    /// What is wrong with the file, in French: empty when it is sound and at this build's
    /// schema. The référentiel is not judged here: its version lives a layer above.
    pub fn problemes(&self) -> Vec<String> {
        let mut problemes = self.defauts_du_fichier();
        if !self.cles_etrangeres.aucune() {
            problemes.push(format!(
                "références cassées : {}",
                self.cles_etrangeres.resume()
            ));
        }
        if self.benkan && self.schema < VERSION_SCHEMA {
            problemes.push(format!(
                "schéma {} plus ancien que celui de ce benkan ({VERSION_SCHEMA}) : \
                 benkan init --db … la met à jour",
                self.schema
            ));
        } else if self.schema > VERSION_SCHEMA {
            problemes.push(format!(
                "schéma {} plus récent que celui de ce benkan ({VERSION_SCHEMA}) : \
                 mettez benkan à jour",
                self.schema
            ));
        }
        problemes
    }

    /// What makes a file useless whatever its schema: not benkan's, or not whole. A new
    /// copy is refused for these only: broken references are copied as they are, since a
    /// backup of a flawed database is still worth more than none.
    fn defauts_du_fichier(&self) -> Vec<String> {
        let mut defauts = Vec::new();
        if !self.benkan {
            defauts.push("ce n'est pas une base benkan (application_id)".to_owned());
        }
        if !self.integrite.aucune() {
            defauts.push(format!("intégrité SQLite : {}", self.integrite.resume()));
        }
        defauts
    }
}

/// Checks the database at `chemin` without writing to it: SQLite's own integrity check,
/// the foreign keys, benkan's mark and schema version, the référentiel loaded. Reading a
/// live database is fine (one read transaction). A file that is not SQLite, or whose
/// damage stops SQLite from reading even its schema, is an error; lesser damage is a
/// [`Verification`] with problems.
pub fn verifier(chemin: &Path) -> Resultat<Verification> {
    if !chemin.is_file() {
        return Err(StoreError::Absente(chemin.to_owned()).into());
    }
    let conn =
        super::ouverture::connexion_en_lecture(chemin).map_err(|e| erreur_lecture(chemin, e))?;
    examiner(&conn, chemin)
}

/// The checks of [`verifier`] on an open connection.
fn examiner(conn: &Connection, chemin: &Path) -> Resultat<Verification> {
    let lire = |e| erreur_lecture(chemin, e);
    let octets = std::fs::metadata(chemin)
        .map_err(|source| ErreurSauvegarde::Fichier {
            chemin: chemin.to_owned(),
            source,
        })?
        .len();
    // One snapshot for every check, even while a server writes.
    conn.execute_batch("BEGIN DEFERRED").map_err(lire)?;
    let resultat = (|| {
        let application_id: i32 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
        let schema: u32 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        // One row « ok », or the problems: one per row, or several lines in one row.
        let mut integrite = Anomalies::default();
        let mut requete = conn.prepare("PRAGMA integrity_check")?;
        let mut lignes = requete.query([])?;
        while let Some(ligne) = lignes.next()? {
            let texte: String = ligne.get(0)?;
            texte
                .lines()
                .filter(|l| *l != "ok" && !l.starts_with("*** in database"))
                .for_each(|l| integrite.noter(l.to_owned()));
        }
        let mut cles_etrangeres = Anomalies::default();
        let mut requete = conn.prepare("PRAGMA foreign_key_check")?;
        let mut lignes = requete.query([])?;
        while let Some(r) = lignes.next()? {
            let table: String = r.get(0)?;
            let ligne: Option<i64> = r.get(1)?;
            let parent: String = r.get(2)?;
            cles_etrangeres.noter(match ligne {
                Some(n) => format!("{table}, ligne {n} → {parent}"),
                None => format!("{table} → {parent}"),
            });
        }
        let benkan = application_id == migrations::APPLICATION_ID;
        // only a benkan file has a `meta` table to read
        let (referentiel, derniere_sauvegarde) = match benkan {
            true => {
                let e = lire_etat(conn)?;
                (e.referentiel, e.derniere_sauvegarde)
            }
            false => (None, None),
        };
        Ok(Verification {
            octets,
            integrite,
            cles_etrangeres,
            benkan,
            schema,
            referentiel,
            derniere_sauvegarde,
        })
    })();
    let _ = conn.execute_batch("ROLLBACK");
    resultat.map_err(lire)
}

/// SQLite's reading failures said for a person: not a database at all, or a damaged one.
fn erreur_lecture(chemin: &Path, erreur: rusqlite::Error) -> ErreurSauvegarde {
    match erreur.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => ErreurSauvegarde::PasUneBaseSqlite(chemin.to_owned()),
        Some(ErrorCode::DatabaseCorrupt) => ErreurSauvegarde::Endommagee {
            chemin: chemin.to_owned(),
            message: "SQLite ne peut pas la lire (« database disk image is malformed ») ; \
                      reprenez la dernière sauvegarde"
                .to_owned(),
        },
        _ => StoreError::Ouverture {
            chemin: chemin.to_owned(),
            source: erreur,
        }
        .into(),
    }
}

/// What a backup wrote and checked.
#[derive(Debug)]
pub struct RapportSauvegarde {
    /// The backup, under its final name.
    pub fichier: PathBuf,
    /// The checks of the copy, all passed.
    pub verification: Verification,
    /// The schema of the live database, when older than this build's (a copy taken before
    /// an upgrade): the copy has that schema too.
    pub schema_source_ancien: Option<u32>,
    /// The moment the copy began, as noted in the live database.
    pub moment: String,
    /// Why the moment could not be noted in the live database (read-only file, writer busy
    /// beyond the wait): the backup itself is whole.
    pub note_impossible: Option<String>,
}

/// Copies the database at `source`, live or not, into the new file `cible`: written under a
/// temporary name in the target's folder (same disk, so the final rename is atomic), synced,
/// checked (it opens, `integrity_check` says ok, it is benkan's, at the source's schema),
/// then renamed to `cible` without ever replacing a file of that name. A copy that fails
/// is removed: a file under the final name is always a whole, checked backup. Last, the
/// moment is noted in the live database's `meta` ([`CLE_DERNIERE_SAUVEGARDE`]), for
/// `/sante`.
pub fn sauvegarder(source: &Path, cible: &Path) -> Resultat<RapportSauvegarde> {
    if !source.is_file() {
        return Err(StoreError::Absente(source.to_owned()).into());
    }
    if cible.is_dir() {
        return Err(ErreurSauvegarde::CibleDossier(cible.to_owned()));
    }
    if cible.symlink_metadata().is_ok() {
        return Err(ErreurSauvegarde::CibleExiste(cible.to_owned()));
    }
    let dossier = match cible.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
        _ => PathBuf::from("."),
    };
    let dossier = std::path::absolute(&dossier).map_err(|source| ErreurSauvegarde::Fichier {
        chemin: dossier.clone(),
        source,
    })?;
    if !dossier.is_dir() {
        return Err(ErreurSauvegarde::DossierAbsent(dossier));
    }

    let conn = connexion_source(source)?;
    let schema_source = version_source(&conn, source)?;
    let moment: String = conn
        .query_row(&format!("SELECT {}", super::MAINTENANT), [], |r| r.get(0))
        .map_err(|e| erreur_lecture(source, e))?;

    // Created empty and only readable by its owner (a backup holds password hashes and
    // personal data); removed on any failure, as long as it is not renamed.
    let provisoire = tempfile::Builder::new()
        .prefix(".benkan-sauvegarde-")
        .suffix(".en-cours")
        .tempfile_in(&dossier)
        .map_err(|source| ErreurSauvegarde::Fichier {
            chemin: dossier.clone(),
            source,
        })?;
    let _restes = Restes(provisoire.path().to_owned());
    let nom = provisoire
        .path()
        .to_str()
        .ok_or_else(|| ErreurSauvegarde::CheminIllisible(provisoire.path().to_owned()))?;
    // SQLite writes into an existing file only when it is empty, which it is.
    conn.execute("VACUUM INTO ?1", [nom])
        .map_err(|e| match e.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => ErreurSauvegarde::DisquePlein(dossier.clone()),
            _ => erreur_lecture(source, e),
        })?;
    // SQLite does not sync what VACUUM INTO wrote: the rename below must not reach the
    // disk before the data does.
    provisoire
        .as_file()
        .sync_all()
        .map_err(|source| ErreurSauvegarde::Fichier {
            chemin: provisoire.path().to_owned(),
            source,
        })?;

    let verification = verifier_copie(provisoire.path(), schema_source)?;
    provisoire
        .persist_noclobber(cible)
        .map_err(|e| match e.error.kind() {
            std::io::ErrorKind::AlreadyExists => ErreurSauvegarde::CibleExiste(cible.to_owned()),
            _ => ErreurSauvegarde::Fichier {
                chemin: cible.to_owned(),
                source: e.error,
            },
        })?;
    // The rename itself reaches the disk with the folder.
    if let Ok(d) = std::fs::File::open(&dossier) {
        let _ = d.sync_all();
    }

    let note_impossible = noter(&conn, &moment).err().map(|e| e.to_string());
    Ok(RapportSauvegarde {
        fichier: cible.to_owned(),
        verification,
        schema_source_ancien: (schema_source < VERSION_SCHEMA).then_some(schema_source),
        moment,
        note_impossible,
    })
}

/// Removes, on the way out, what SQLite may leave beside the temporary copy when
/// `VACUUM INTO` fails halfway (its `-journal`, seen on a full disk); `tempfile` removes the
/// copy itself. After a success there is nothing to remove.
struct Restes(PathBuf);

impl Drop for Restes {
    fn drop(&mut self) {
        for suffixe in ["-journal", "-wal", "-shm"] {
            let mut reste = self.0.clone().into_os_string();
            reste.push(suffixe);
            let _ = std::fs::remove_file(reste);
        }
    }
}

/// A connection to the live database that can both copy it and note the backup in it; a
/// file this process may not write is still copied, read-only (the note is then skipped).
fn connexion_source(source: &Path) -> Resultat<Connection> {
    let inscriptible = std::fs::OpenOptions::new().write(true).open(source).is_ok();
    let conn = if inscriptible {
        // Not `query_only`: VACUUM INTO writes its output through this connection.
        Connection::open_with_flags(
            source,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .and_then(|mut c| configurer(&mut c).map(|()| c))
    } else {
        super::ouverture::connexion_en_lecture(source)
            .and_then(|c| c.pragma_update(None, "query_only", false).map(|()| c))
    };
    conn.map_err(|e| erreur_lecture(source, e))
}

/// The schema of the live database: benkan's, at this build's schema or an older one (a
/// copy before an upgrade is what a backup is for); a newer one is refused, since this
/// build could not check what it does not know.
fn version_source(conn: &Connection, source: &Path) -> Resultat<u32> {
    let lire = |e| erreur_lecture(source, e);
    let application_id: i32 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .map_err(lire)?;
    if application_id != migrations::APPLICATION_ID {
        return Err(StoreError::PasUneBaseBenkan(source.to_owned()).into());
    }
    let schema: u32 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(lire)?;
    if schema > VERSION_SCHEMA {
        return Err(StoreError::SchemaFutur {
            chemin: source.to_owned(),
            trouve: schema,
            connu: VERSION_SCHEMA,
        }
        .into());
    }
    Ok(schema)
}

/// The checks of a new copy: it opens, SQLite finds it whole, it is benkan's and has the
/// schema of its source (this build's, unless the source is older).
fn verifier_copie(copie: &Path, schema_attendu: u32) -> Resultat<Verification> {
    let conn = Connection::open_with_flags(
        copie,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .and_then(|c| c.pragma_update(None, "query_only", true).map(|()| c))
    .map_err(|e| ErreurSauvegarde::CopieRefusee(erreur_lecture(copie, e).to_string()))?;
    let verification =
        examiner(&conn, copie).map_err(|e| ErreurSauvegarde::CopieRefusee(e.to_string()))?;
    drop(conn);
    let mut problemes = verification.defauts_du_fichier();
    if verification.schema != schema_attendu {
        problemes.push(format!(
            "schéma {} au lieu de {schema_attendu}",
            verification.schema
        ));
    }
    if problemes.is_empty() {
        Ok(verification)
    } else {
        Err(ErreurSauvegarde::CopieRefusee(problemes.join(" ; ")))
    }
}

/// Notes `moment` as the last backup, in a short write transaction of its own.
fn noter(conn: &Connection, moment: &str) -> std::result::Result<(), StoreError> {
    super::concurrence::en_ecriture(
        conn,
        || {
            conn.execute(
                "INSERT INTO meta (cle, valeur) VALUES (?1, ?2)
                 ON CONFLICT (cle) DO UPDATE SET valeur = excluded.valeur",
                [CLE_DERNIERE_SAUVEGARDE, moment],
            )?;
            Ok(())
        },
        super::concurrence::sqlite,
    )
}

/// What `/sante` reads of the database, in one cheap query (three rows of `meta` by key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EtatBase {
    pub schema: u32,
    pub referentiel: Option<String>,
    pub derniere_sauvegarde: Option<String>,
}

pub fn etat(conn: &Connection) -> super::Result<EtatBase> {
    Ok(lire_etat(conn)?)
}

/// [`etat`] for `verifier`, which says SQLite's own failures on a damaged file.
fn lire_etat(conn: &Connection) -> rusqlite::Result<EtatBase> {
    conn.query_row(
        "SELECT (SELECT user_version FROM pragma_user_version()),
                (SELECT valeur FROM meta WHERE cle = 'referentiel'),
                (SELECT NULLIF(valeur, '') FROM meta WHERE cle = ?1)",
        [CLE_DERNIERE_SAUVEGARDE],
        |r| {
            Ok(EtatBase {
                schema: r.get(0)?,
                referentiel: r.get(1)?,
                derniere_sauvegarde: r.get(2)?,
            })
        },
    )
}

/// The bytes free for an unprivileged user on the disk of the database's folder.
pub fn espace_libre(base: &Path) -> std::io::Result<u64> {
    let dossier = match base.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let stats = rustix::fs::statvfs(dossier)?;
    Ok(stats.f_bavail.saturating_mul(stats.f_frsize))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn noting_a_backup_moves_no_generation() {
        let dossier = tempfile::tempdir().unwrap();
        let chemin = dossier.path().join("base.db");
        let store = Store::ouvrir(&chemin).unwrap();
        let empreinte = |s: &Store| s.lire(crate::store::apercu::empreinte).unwrap();
        let avant = empreinte(&store);
        let mise_a_jour = |s: &Store| -> Option<String> {
            s.connexion()
                .unwrap()
                .query_row(
                    "SELECT valeur FROM meta WHERE cle = 'mise_a_jour'",
                    [],
                    |r| r.get(0),
                )
                .unwrap()
        };
        let maj_avant = mise_a_jour(&store);
        let rapport = sauvegarder(&chemin, &dossier.path().join("copie.db")).unwrap();
        assert_eq!(rapport.note_impossible, None);
        assert_eq!(empreinte(&store), avant);
        assert_eq!(mise_a_jour(&store), maj_avant);
        let lu = store.lire(etat).unwrap();
        assert_eq!(lu.schema, VERSION_SCHEMA);
        assert_eq!(lu.derniere_sauvegarde.as_deref(), Some(&*rapport.moment));
        // The copy holds the database as it was before the note.
        let copie = verifier(&dossier.path().join("copie.db")).unwrap();
        assert!(copie.problemes().is_empty(), "{:?}", copie.problemes());
        assert_eq!(copie.derniere_sauvegarde, None);
    }

    #[test]
    fn a_failed_copy_leaves_nothing_behind() {
        let dossier = tempfile::tempdir().unwrap();
        let chemin = dossier.path().join("base.db");
        drop(Store::ouvrir(&chemin).unwrap());
        let cible = dossier.path().join("absent").join("copie.db");
        assert!(matches!(
            sauvegarder(&chemin, &cible),
            Err(ErreurSauvegarde::DossierAbsent(_))
        ));
        // A newer schema is refused before anything is written.
        Connection::open(&chemin)
            .unwrap()
            .pragma_update(None, "user_version", VERSION_SCHEMA + 1)
            .unwrap();
        let erreur = sauvegarder(&chemin, &dossier.path().join("copie.db")).unwrap_err();
        assert!(erreur.to_string().contains("plus récente"), "{erreur}");
        let noms: Vec<_> = std::fs::read_dir(dossier.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with("base.db"))
            .collect();
        assert!(noms.is_empty(), "{noms:?}");
    }

    #[test]
    fn a_database_opened_read_only_can_still_be_copied() {
        // What `connexion_source` relies on for a file this process may not write (root
        // may write any file, so the tests cannot make one): SQLite's VACUUM INTO writes
        // its output even from a read-only connection to an immutable file.
        let dossier = tempfile::tempdir().unwrap();
        let chemin = dossier.path().join("base.db");
        drop(Store::ouvrir(&chemin).unwrap());
        let uri = format!("file:{}?immutable=1", chemin.display());
        let conn = Connection::open_with_flags(
            &uri,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI,
        )
        .unwrap();
        let copie = dossier.path().join("copie.db");
        conn.execute("VACUUM INTO ?1", [copie.to_str().unwrap()])
            .unwrap();
        drop(conn);
        assert!(verifier(&copie).unwrap().problemes().is_empty());
    }

    #[test]
    fn free_space_is_read_for_a_bare_file_name_too() {
        assert!(espace_libre(Path::new("benkan.db")).unwrap() > 0);
    }
}
