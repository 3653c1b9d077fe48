//! What the store's unit tests share: a database in a temporary folder, and the two communes
//! a partenariat needs at least.

use super::{Connection, Store, collectivite};
use crate::model::{CollectiviteId, Niveau, NouvelleCollectivite, Pays};

/// A new database (its folder goes when the `TempDir` is dropped).
pub fn base() -> (tempfile::TempDir, Store) {
    let dossier = tempfile::tempdir().unwrap();
    let store = Store::ouvrir(&dossier.path().join("essai.db")).unwrap();
    (dossier, store)
}

/// The communes of Kayes (Mali) and Angers (France), created outside the référentiel.
pub fn kayes_angers(conn: &Connection) -> (CollectiviteId, CollectiviteId) {
    let commune = |pays, nom| {
        collectivite::inserer(conn, NouvelleCollectivite::new(pays, Niveau::Commune, nom)).unwrap()
    };
    (
        commune(Pays::MALI, "Kayes"),
        commune(Pays::FRANCE, "Angers"),
    )
}
