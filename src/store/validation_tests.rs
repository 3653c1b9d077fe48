//! Declared records stay private until validated; archived ones leave the public view; the
//! journal keeps every step with the values before and after.

use time::macros::date;

use super::validation::{self, Objet};
use super::{Store, StoreError, collectivite, compte, journal, partenariat};
use crate::model::{
    Email, Niveau, NouveauPartenariat, NouvelleCollectivite, Pays, Role, StatutPartenariat,
    Validation,
};
use crate::store::partenariat::PartenariatQuery;

#[test]
fn a_declaration_is_public_only_once_validated() {
    let (_dossier, store) = super::essai::base();
    let conn = store.connexion().unwrap();
    let (ml, fr) = super::essai::kayes_angers(&conn);
    let admin = compte::creer(
        &conn,
        &Email::new("admin@mdat.ml").unwrap(),
        "$argon2id$x",
        Role::AdminNational,
        &[],
        &[],
    )
    .unwrap();
    let maire = compte::creer(
        &conn,
        &Email::new("maire@kayes.ml").unwrap(),
        "$argon2id$y",
        Role::Collectivite,
        &[ml],
        &[],
    )
    .unwrap();
    let id = partenariat::creer_par(
        &conn,
        NouveauPartenariat {
            validation: Validation::Soumis,
            ..NouveauPartenariat::new("Kayes – Angers", StatutPartenariat::Actif, vec![ml, fr])
        },
        Some(maire),
    )
    .unwrap();
    let publics = || {
        PartenariatQuery::new(date!(2026 - 01 - 01))
            .lister(&conn)
            .unwrap()
            .total
    };
    let dans_l_apercu = || {
        store
            .lire(|conn| crate::observatoire::calculer(conn, date!(2026 - 01 - 01)))
            .unwrap()
            .partenariats_actifs
    };

    assert_eq!((publics(), dans_l_apercu()), (0, 0), "submitted: private");
    assert!(
        partenariat::fiche(&conn, id, date!(2026 - 01 - 01))
            .unwrap()
            .is_none()
    );
    assert_eq!(partenariat::en_attente(&conn).unwrap().len(), 1);

    let err = validation::renvoyer(&conn, Objet::Partenariat(id), admin, "  ").unwrap_err();
    assert!(
        matches!(err, StoreError::Modele(_)),
        "sending back needs a comment"
    );
    validation::renvoyer(
        &conn,
        Objet::Partenariat(id),
        admin,
        "Précisez la date de la convention.",
    )
    .unwrap();
    assert_eq!(publics(), 0);
    assert!(partenariat::en_attente(&conn).unwrap().is_empty());

    validation::valider(&conn, Objet::Partenariat(id), admin).unwrap();
    assert_eq!(
        (publics(), dans_l_apercu()),
        (1, 1),
        "validated: public and counted"
    );

    validation::archiver(&conn, Objet::Partenariat(id), admin).unwrap();
    assert_eq!(
        (publics(), dans_l_apercu()),
        (0, 0),
        "archived: out of view, never deleted"
    );
    validation::restaurer(&conn, Objet::Partenariat(id), admin).unwrap();
    assert_eq!(publics(), 1);

    let historique = journal::historique(&conn, "partenariat", id.0).unwrap();
    let etapes: Vec<(&str, Option<&str>)> = historique
        .iter()
        .map(|e| (e.operation.as_str(), e.compte.as_deref()))
        .collect();
    assert_eq!(
        etapes,
        [
            ("creation", Some("maire@kayes.ml")),
            ("correction", Some("admin@mdat.ml")),
            ("validation", Some("admin@mdat.ml")),
            ("archivage", Some("admin@mdat.ml")),
            ("restauration", Some("admin@mdat.ml")),
        ]
    );
    let correction = &historique[1];
    assert_eq!(correction.avant.as_ref().unwrap()["validation"], "soumis");
    assert_eq!(
        correction.apres.as_ref().unwrap()["validation"],
        "a_corriger"
    );
    assert_eq!(
        correction.commentaire.as_deref(),
        Some("Précisez la date de la convention.")
    );
    assert_eq!(
        historique[0].apres.as_ref().unwrap()["parties"],
        serde_json::json!([ml.0, fr.0])
    );
    assert!(historique[0].avant.is_none());
}

#[test]
fn accounts_follow_a_merged_collectivite_to_its_successor() {
    let dossier = tempfile::tempdir().unwrap();
    let store = Store::ouvrir(&dossier.path().join("f.db")).unwrap();
    let conn = store.connexion().unwrap();
    let ancienne = collectivite::inserer(
        &conn,
        NouvelleCollectivite::new(Pays::FRANCE, Niveau::Commune, "Courcouronnes"),
    )
    .unwrap();
    let nouvelle = collectivite::inserer(
        &conn,
        NouvelleCollectivite::new(Pays::FRANCE, Niveau::Commune, "Évry-Courcouronnes"),
    )
    .unwrap();
    let ml = collectivite::inserer(
        &conn,
        NouvelleCollectivite::new(Pays::MALI, Niveau::Commune, "Kayes"),
    )
    .unwrap();
    let maire = compte::creer(
        &conn,
        &Email::new("maire@courcouronnes.fr").unwrap(),
        "$argon2id$z",
        Role::Collectivite,
        &[ancienne],
        &[],
    )
    .unwrap();
    let p = partenariat::creer(
        &conn,
        NouveauPartenariat::new(
            "Courcouronnes – Kayes",
            StatutPartenariat::Actif,
            vec![ml, ancienne],
        ),
    )
    .unwrap();
    collectivite::ajouter_successeur(&conn, ancienne, nouvelle, date!(2019 - 01 - 01)).unwrap();

    assert_eq!(compte::suivre_successeurs(&conn).unwrap(), 1);
    assert_eq!(
        compte::suivre_successeurs(&conn).unwrap(),
        0,
        "once is enough"
    );
    let (c, _) = compte::par_email(&conn, &Email::new("maire@courcouronnes.fr").unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(c.id, maire);
    assert_eq!(c.collectivites, [ancienne, nouvelle]);
    assert_eq!(
        partenariat::parties_et_successeurs(&conn, p).unwrap(),
        [ancienne, nouvelle, ml]
            .iter()
            .copied()
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
    );
}

#[test]
fn the_review_knows_who_submitted_and_what_the_public_saw_before() {
    let (_dossier, store) = super::essai::base();
    let conn = store.connexion().unwrap();
    let (ml, fr) = super::essai::kayes_angers(&conn);
    let compte = |email: &str, role, collectivites: &[_]| {
        compte::creer(
            &conn,
            &Email::new(email).unwrap(),
            "$argon2id$x",
            role,
            collectivites,
            &[],
        )
        .unwrap()
    };
    let admin = compte("admin@mdat.ml", Role::AdminNational, &[]);
    let maire = compte("maire@kayes.ml", Role::Collectivite, &[ml]);
    let id = partenariat::creer_par(
        &conn,
        NouveauPartenariat {
            validation: Validation::Soumis,
            ..NouveauPartenariat::new("Kayes – Angers", StatutPartenariat::Actif, vec![ml, fr])
        },
        Some(maire),
    )
    .unwrap();
    let objet = Objet::Partenariat(id);

    let premiere = validation::soumission(&conn, objet).unwrap();
    assert_eq!(premiere.par.as_deref(), Some("maire@kayes.ml"));
    assert!(premiere.le.is_some());
    assert_eq!(
        premiere.publie, None,
        "a first declaration has no published version"
    );
    assert_eq!(premiere.propose["titre"], "Kayes – Angers");

    validation::valider(&conn, objet, admin).unwrap();
    partenariat::confirmer_par(&conn, id, date!(2026 - 02 - 01), Some(maire)).unwrap();
    validation::modifier(&conn, objet, maire, true, || {
        partenariat::changer_champs(
            &conn,
            id,
            "Kayes – Angers (jumelage)",
            None,
            StatutPartenariat::Actif,
        )
    })
    .unwrap();

    let changement = validation::soumission(&conn, objet).unwrap();
    assert_eq!(changement.par.as_deref(), Some("maire@kayes.ml"));
    let publie = changement.publie.expect("the validated version");
    assert_eq!(publie["titre"], "Kayes – Angers");
    assert_eq!(publie["validation"], "valide");
    assert_eq!(changement.propose["titre"], "Kayes – Angers (jumelage)");
    assert_eq!(changement.propose["validation"], "soumis");
}
