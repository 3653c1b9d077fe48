//! Opening a database that must already exist: read-only for the commands that only read
//! (`report`, `export`, `resolve`), read-write for the others. Only `init` and `serve`
//! create a database (see [`Store::ouvrir`]): a mistyped `--db` must not leave a new
//! 13 MB file behind.

use std::path::Path;
use std::time::Duration;

use r2d2_sqlite::SqliteConnectionManager;
use rusqlite::{Connection, OpenFlags};

use super::{Result, Store, StoreError, configurer, migrations};

impl Store {
    /// Opens an existing database and brings it to the current schema.
    pub fn ouvrir_existante(chemin: &Path) -> Result<Store> {
        exiger(chemin)?;
        Store::ouvrir(chemin)
    }

    /// Opens an existing database for reading only: nothing is migrated or written, so that
    /// a read-only file (a copy, a backup, a mounted volume) can be read. A schema older
    /// than this build's is refused (its queries would fail), with the way to upgrade it.
    pub fn ouvrir_en_lecture(chemin: &Path) -> Result<Store> {
        exiger(chemin)?;
        let erreur_ouverture = |source| StoreError::Ouverture {
            chemin: chemin.to_owned(),
            source,
        };
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(chemin, flags).map_err(erreur_ouverture)?;
        configurer(&mut conn).map_err(erreur_ouverture)?;
        migrations::verifier(&conn, chemin)?;
        drop(conn);
        let manager = SqliteConnectionManager::file(chemin)
            .with_flags(flags)
            .with_init(configurer);
        let pool = r2d2::Pool::builder()
            .max_size(4)
            .connection_timeout(Duration::from_secs(10))
            .build(manager)?;
        Ok(Store {
            pool,
            chemin: chemin.to_owned(),
        })
    }
}

/// Refuses a path where there is no file, saying how to create the database.
fn exiger(chemin: &Path) -> Result<()> {
    if chemin.is_file() {
        Ok(())
    } else {
        Err(StoreError::Absente(chemin.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::VERSION_SCHEMA;

    #[test]
    fn a_missing_file_is_refused_and_not_created() {
        let dossier = tempfile::tempdir().unwrap();
        let chemin = dossier.path().join("faute-de-frappe.db");
        for ouverture in [Store::ouvrir_existante, Store::ouvrir_en_lecture] {
            let erreur = ouverture(&chemin).err().expect("no database there");
            assert!(matches!(erreur, StoreError::Absente(_)));
            assert!(erreur.to_string().contains("benkan init --db"), "{erreur}");
        }
        assert_eq!(std::fs::read_dir(dossier.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_read_only_store_reads_and_cannot_write() {
        let dossier = tempfile::tempdir().unwrap();
        let chemin = dossier.path().join("b.db");
        drop(Store::ouvrir(&chemin).unwrap());
        let store = Store::ouvrir_en_lecture(&chemin).unwrap();
        let conn = store.connexion().unwrap();
        let version: u32 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, VERSION_SCHEMA);
        let ecriture = conn.execute("INSERT INTO meta (cle, valeur) VALUES ('x', 'y')", []);
        assert!(
            matches!(
                ecriture,
                Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::ReadOnly
            ),
            "{ecriture:?}"
        );
    }

    #[test]
    fn an_older_schema_is_refused_untouched_with_the_way_to_upgrade() {
        let dossier = tempfile::tempdir().unwrap();
        let chemin = dossier.path().join("ancienne.db");
        drop(Store::ouvrir(&chemin).unwrap());
        Connection::open(&chemin)
            .unwrap()
            .pragma_update(None, "user_version", VERSION_SCHEMA - 1)
            .unwrap();
        let erreur = Store::ouvrir_en_lecture(&chemin)
            .err()
            .expect("older schema");
        assert!(
            erreur
                .to_string()
                .contains("mettez la base à jour avec benkan init"),
            "{erreur}"
        );
        let version: u32 = Connection::open(&chemin)
            .unwrap()
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, VERSION_SCHEMA - 1);
    }
}
