//! Opening a database that must already exist: read-only for the commands that only read
//! (`report`, `export`, `resolve`), read-write for the others. Only `init` and `serve`
//! create a database (see [`Store::ouvrir`]): a mistyped `--db` must not leave a new
//! 13 MB file behind.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use r2d2_sqlite::SqliteConnectionManager;
use rusqlite::{Connection, OpenFlags};
use scheduled_thread_pool::ScheduledThreadPool;

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
        ouvrir_selon(chemin, ModeLecture::pour(chemin))
    }
}

/// How a database is opened for reading, by what the process may do with the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ModeLecture {
    /// A file this process could write: opened as usual but `query_only`, so that SQLite
    /// refuses every write while the last connection still tidies its `-wal` and `-shm`
    /// files away on closing, as any benkan command does.
    RequetesSeules,
    /// A read-only file with a `-wal` beside it (a server is running, or stopped without
    /// tidying): read-only, through the `-shm` that SQLite shares with the writer.
    LectureSeule,
    /// A read-only file alone: SQLite is told that nothing changes it (`immutable`), so it
    /// reads without a `-shm` file — which a read-only folder could not hold — and leaves
    /// nothing behind. In WAL mode a writer keeps a `-wal` beside the file while it runs,
    /// and changes the file itself only at a checkpoint: none is running.
    Immuable,
}

impl ModeLecture {
    fn pour(chemin: &Path) -> ModeLecture {
        // Opening for writing, without writing, is how to learn whether we may: the
        // permission bits do not say it for root, a read-only mount or an ACL.
        let inscriptible = std::fs::OpenOptions::new().write(true).open(chemin).is_ok();
        let mut wal = chemin.as_os_str().to_owned();
        wal.push("-wal");
        if inscriptible {
            ModeLecture::RequetesSeules
        } else if Path::new(&wal).exists() {
            ModeLecture::LectureSeule
        } else {
            ModeLecture::Immuable
        }
    }
}

/// Enough for the commands that read: each reads through one connection at a time
/// (`Store::lire`), one spare.
const CONNEXIONS_EN_LECTURE: u32 = 2;

/// One connection that reads `chemin` the way the read-only commands do, without checking
/// that the file is benkan's at this build's schema: for `store::sauvegarde`, which reports
/// on any file instead of refusing it.
pub(super) fn connexion_en_lecture(chemin: &Path) -> rusqlite::Result<Connection> {
    let (flags, cible) = ouverture(chemin, ModeLecture::pour(chemin));
    let mut conn = Connection::open_with_flags(&cible, flags)?;
    configurer(&mut conn)?;
    conn.pragma_update(None, "query_only", true)?;
    Ok(conn)
}

/// The flags and the name SQLite opens `chemin` with, read as `lecture` says.
fn ouverture(chemin: &Path, lecture: ModeLecture) -> (OpenFlags, std::ffi::OsString) {
    match lecture {
        ModeLecture::RequetesSeules => (
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            chemin.as_os_str().to_owned(),
        ),
        ModeLecture::LectureSeule => (
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            chemin.as_os_str().to_owned(),
        ),
        ModeLecture::Immuable => (
            OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_NO_MUTEX
                | OpenFlags::SQLITE_OPEN_URI,
            uri_immuable(chemin).into(),
        ),
    }
}

fn ouvrir_selon(chemin: &Path, lecture: ModeLecture) -> Result<Store> {
    let erreur_ouverture = |source| StoreError::Ouverture {
        chemin: chemin.to_owned(),
        source,
    };
    let (flags, cible) = ouverture(chemin, lecture);
    let initialiser = |conn: &mut Connection| {
        configurer(conn)?;
        conn.pragma_update(None, "query_only", true)
    };
    let mut conn = Connection::open_with_flags(&cible, flags).map_err(erreur_ouverture)?;
    initialiser(&mut conn).map_err(erreur_ouverture)?;
    migrations::verifier(&conn, chemin)?;
    drop(conn);
    let manager = SqliteConnectionManager::file(&cible)
        .with_flags(flags)
        .with_init(initialiser);
    // Every connection is opened here, on one pool thread, and that thread is then waited
    // for: none is left holding the pool when the command ends, so the pool closes with the
    // command and its last connection takes the -wal and -shm files away (a connection
    // still opening on r2d2's thread at exit would keep them).
    let fil = Arc::new(ScheduledThreadPool::new(1));
    let pool = r2d2::Pool::builder()
        .max_size(CONNEXIONS_EN_LECTURE)
        .min_idle(Some(CONNEXIONS_EN_LECTURE))
        .max_lifetime(None)
        .idle_timeout(None)
        .thread_pool(fil.clone())
        .connection_timeout(Duration::from_secs(10))
        .build(manager)?;
    let (fait, attente) = std::sync::mpsc::channel();
    fil.execute(move || {
        let _ = fait.send(());
    });
    let _ = attente.recv();
    Ok(Store {
        pools: super::concurrence::Pools::lecture_seule(pool.clone()),
        pool,
        chemin: chemin.to_owned(),
    })
}

/// `file:` URI of `chemin` with `immutable=1`; the characters a URI gives a meaning to are
/// escaped (SQLite decodes `%XX`).
fn uri_immuable(chemin: &Path) -> String {
    let mut uri = String::from("file:");
    for octet in chemin.as_os_str().as_encoded_bytes() {
        match octet {
            b'%' | b'?' | b'#' => uri.push_str(&format!("%{octet:02X}")),
            _ if octet.is_ascii() => uri.push(char::from(*octet)),
            _ => uri.push_str(&format!("%{octet:02X}")),
        }
    }
    uri.push_str("?immutable=1");
    uri
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
    fn each_way_of_reading_reads_and_cannot_write_nor_leave_files() {
        let dossier = tempfile::tempdir().unwrap();
        let chemin = dossier.path().join("b é%?#.db");
        drop(Store::ouvrir(&chemin).unwrap());
        let fichiers = || std::fs::read_dir(dossier.path()).unwrap().count();
        // The pool's connections close on their own threads: the last one to close takes
        // the -wal and -shm files away.
        for _ in 0..100 {
            drop(Connection::open(&chemin).unwrap());
            if fichiers() == 1 {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        assert_eq!(fichiers(), 1, "the database alone");
        assert_eq!(ModeLecture::pour(&chemin), ModeLecture::RequetesSeules);
        // The plain read-only way last: a read-only connection cannot take away the -shm and
        // -wal files that it needed.
        for lecture in [
            ModeLecture::RequetesSeules,
            ModeLecture::Immuable,
            ModeLecture::LectureSeule,
        ] {
            let store = ouvrir_selon(&chemin, lecture).unwrap();
            let conn = store.connexion().unwrap();
            let version: u32 = conn
                .pragma_query_value(None, "user_version", |r| r.get(0))
                .unwrap();
            assert_eq!(version, VERSION_SCHEMA, "{lecture:?}");
            let ecriture = conn.execute("INSERT INTO meta (cle, valeur) VALUES ('x', 'y')", []);
            assert!(
                matches!(
                    ecriture,
                    Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::ReadOnly
                ),
                "{lecture:?}: {ecriture:?}"
            );
            drop(conn);
            drop(store);
            if lecture != ModeLecture::LectureSeule {
                assert_eq!(fichiers(), 1, "{lecture:?} leaves no -wal nor -shm");
            }
        }
    }

    #[test]
    fn an_immutable_uri_escapes_what_a_uri_would_read() {
        assert_eq!(
            uri_immuable(Path::new("/tmp/a b%?#é.db")),
            "file:/tmp/a b%25%3F%23%C3%A9.db?immutable=1"
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
