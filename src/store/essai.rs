//! What the store's unit tests share: a database in a temporary folder, the two communes
//! a partenariat needs at least, and a planned well as an action.

use super::{Connection, Store, action, collectivite, partenariat};
use crate::model::{
    ActionId, Axe, CollectiviteId, Domaine, Nature, Niveau, NouveauPartenariat, NouvelleAction,
    NouvelleCollectivite, PartenariatId, Pays, Periode, StatutAction, StatutPartenariat,
};

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

/// A planned well of partenariat `p` in `lieux`, without points nor villages.
pub fn puits(p: PartenariatId, lieux: Vec<CollectiviteId>) -> NouvelleAction {
    NouvelleAction {
        partenariat: p,
        titre: "Puits".into(),
        description: None,
        axe: Axe::ServicesSociauxDeBase,
        domaine: Domaine::EauAssainissement,
        nature: Nature::Physique,
        statut: StatutAction::Prevue,
        periode: Periode::inconnue(),
        lieux,
        points: Vec::new(),
        localites: Vec::new(),
    }
}

/// A partenariat Kayes – Angers with one planned well in Kayes: the well.
pub fn puits_de_kayes(conn: &Connection) -> ActionId {
    let (kayes, angers) = kayes_angers(conn);
    let p = partenariat::creer(
        conn,
        NouveauPartenariat::new(
            "Kayes – Angers",
            StatutPartenariat::Actif,
            vec![kayes, angers],
        ),
    )
    .unwrap();
    action::creer(conn, puits(p, vec![kayes])).unwrap()
}
