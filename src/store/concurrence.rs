//! The rules of database access when many people use benkan at once — the one place that
//! decides them (ARCHITECTURE.md, « Concurrence »):
//!
//! - a **read** ([`Store::lire`]) takes one connection from the readers' pool and runs in
//!   one read transaction, so that a page built from several queries sees one snapshot of
//!   the data; readers' connections are `query_only`, so that a write slipped into a read
//!   fails loudly in tests instead of racing for the lock;
//! - a **write** ([`Store::ecrire`]) goes through the one writer connection of the process
//!   and opens its transaction with `BEGIN IMMEDIATE`: the write lock is taken up front, so
//!   SQLite never answers « database is locked » halfway through a transaction; a writer
//!   waits for its turn at most [`ATTENTE_ECRITURE`], behind the site's other writers and
//!   behind another process (an import run from the command line), then gives up with
//!   [`StoreError::Occupe`], which the site answers with a 503 and `Retry-After`;
//! - nobody holds one pooled connection while asking for another: each closure gets exactly
//!   one connection, and the pools time out instead of waiting forever.

use std::sync::Arc;
use std::time::{Duration, Instant};

use r2d2_sqlite::SqliteConnectionManager;
use rusqlite::{Connection, ErrorCode};

use super::{Store, StoreError};

/// How long a write waits for the write lock before it is refused as « occupé ».
pub const ATTENTE_ECRITURE: Duration = Duration::from_secs(5);
/// How long a read waits for a free connection.
const ATTENTE_LECTURE: Duration = Duration::from_secs(5);
/// Connections of the readers' pool: reads are short, and a 2-core machine gains nothing
/// from more SQLite work at once.
const LECTEURS: u32 = 8;

/// The pool a connection is taken from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Acces {
    Lecture,
    Ecriture,
}

/// Told, for every read and write, how long it waited for its connection and whether it got
/// one (the site's metrics: a pool too small shows there before it answers 503).
pub type Observateur = Arc<dyn Fn(Acces, Duration, bool) + Send + Sync>;

/// The two pools of the site: readers, and the single writer.
#[derive(Clone)]
pub(super) struct Pools {
    lecteurs: r2d2::Pool<SqliteConnectionManager>,
    ecrivain: r2d2::Pool<SqliteConnectionManager>,
    observateur: Option<Observateur>,
}

impl Pools {
    pub(super) fn new(chemin: &std::path::Path) -> Result<Pools, StoreError> {
        let lecteurs = r2d2::Pool::builder()
            .max_size(LECTEURS)
            .min_idle(Some(0))
            .connection_timeout(ATTENTE_LECTURE)
            .build(SqliteConnectionManager::file(chemin).with_init(|conn| {
                super::configurer(conn)?;
                conn.pragma_update(None, "query_only", true)
            }))?;
        let ecrivain = r2d2::Pool::builder()
            .max_size(1)
            .min_idle(Some(0))
            .connection_timeout(ATTENTE_ECRITURE)
            .build(SqliteConnectionManager::file(chemin).with_init(super::configurer))?;
        Ok(Pools {
            lecteurs,
            ecrivain,
            observateur: None,
        })
    }

    /// For a command that only reads (`store::ouverture`): its read-only connections serve
    /// both, and a write through them fails.
    pub(super) fn lecture_seule(pool: r2d2::Pool<SqliteConnectionManager>) -> Pools {
        Pools {
            lecteurs: pool.clone(),
            ecrivain: pool,
            observateur: None,
        }
    }

    /// A connection of the pool of `acces`, the wait told to the observer; `Occupe` when
    /// none came free in time.
    fn prendre(
        &self,
        acces: Acces,
    ) -> Result<r2d2::PooledConnection<SqliteConnectionManager>, StoreError> {
        let pool = match acces {
            Acces::Lecture => &self.lecteurs,
            Acces::Ecriture => &self.ecrivain,
        };
        let debut = Instant::now();
        let conn = pool.get();
        if let Some(observateur) = &self.observateur {
            observateur(acces, debut.elapsed(), conn.is_ok());
        }
        conn.map_err(|_| StoreError::Occupe)
    }
}

impl Store {
    /// The same database, whose reads and writes tell `observateur` how long they waited
    /// for their connection.
    pub fn observe(mut self, observateur: Observateur) -> Store {
        self.pools.observateur = Some(observateur);
        self
    }

    /// Runs `lecture` in one read transaction: every query it makes sees the same snapshot.
    pub fn lire<T, E>(&self, lecture: impl FnOnce(&Connection) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let conn = self.pools.prendre(Acces::Lecture)?;
        conn.execute_batch("BEGIN DEFERRED")
            .map_err(|e| E::from(sqlite(e)))?;
        let resultat = lecture(&conn);
        // A read transaction has nothing to keep: ending it releases the snapshot.
        if let Err(e) = conn.execute_batch("ROLLBACK") {
            tracing::error!("fin de lecture impossible : {e}");
        }
        resultat
    }

    /// Runs `ecriture` in one write transaction that holds the write lock from its first
    /// statement: all of it is committed, or nothing when it returns an error.
    pub fn ecrire<T, E>(&self, ecriture: impl FnOnce(&Connection) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let conn = self.pools.prendre(Acces::Ecriture)?;
        en_ecriture(&conn, || ecriture(&conn), |e| E::from(sqlite(e)))
    }
}

/// Runs `f` inside `BEGIN IMMEDIATE` … `COMMIT` on a connection outside any transaction,
/// rolling back when `f` or the commit fails; `erreur` turns SQLite's failures into `E`.
/// The one way a write transaction starts (`Store::ecrire`, `store::atomique`).
pub(super) fn en_ecriture<T, E>(
    conn: &Connection,
    f: impl FnOnce() -> Result<T, E>,
    erreur: impl Fn(rusqlite::Error) -> E,
) -> Result<T, E> {
    conn.execute_batch("BEGIN IMMEDIATE").map_err(&erreur)?;
    let resultat = f().and_then(|valeur| {
        conn.execute_batch("COMMIT").map_err(&erreur)?;
        Ok(valeur)
    });
    if resultat.is_err()
        && !conn.is_autocommit()
        && let Err(e) = conn.execute_batch("ROLLBACK")
    {
        tracing::error!("annulation impossible : {e}");
    }
    resultat
}

/// SQLite's « busy » — the lock still held by another writer after the busy timeout — is
/// [`StoreError::Occupe`]; anything else stays an SQLite error.
pub(crate) fn sqlite(erreur: rusqlite::Error) -> StoreError {
    match erreur.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Occupe,
        _ => StoreError::Sqlite(erreur),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    #[test]
    fn the_observer_is_told_each_wait_for_a_connection_by_pool() {
        let (_dossier, store) = crate::store::essai::base();
        let vus = Arc::new(Mutex::new(Vec::new()));
        let store = {
            let vus = vus.clone();
            store.observe(Arc::new(move |acces, attente, obtenue| {
                vus.lock().unwrap().push((acces, attente, obtenue));
            }))
        };
        store
            .lire(|conn| {
                conn.query_row("SELECT 1", [], |r| r.get::<_, i64>(0))
                    .map_err(StoreError::from)
            })
            .unwrap();
        store
            .ecrire(|conn| conn.execute_batch("SELECT 1").map_err(StoreError::from))
            .unwrap();
        let vus = vus.lock().unwrap();
        let acces: Vec<_> = vus.iter().map(|(a, _, obtenue)| (*a, *obtenue)).collect();
        assert_eq!(acces, [(Acces::Lecture, true), (Acces::Ecriture, true)]);
        assert!(vus.iter().all(|(_, attente, _)| *attente < ATTENTE_LECTURE));
    }
}
