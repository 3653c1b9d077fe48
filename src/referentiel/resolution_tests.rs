//! The resolver on the real référentiel, with names written as people write them.

use std::sync::OnceLock;

use super::{Raison, Requete, RequeteInvalide, Resolution, Resolveur};
use crate::model::{Niveau, Pays};
use crate::store::Store;

/// The référentiel and the demonstration data (for Sainte-Élisabeth, created on demand),
/// indexed once for all the tests of this module.
fn resolveur() -> &'static Resolveur {
    static RESOLVEUR: OnceLock<Resolveur> = OnceLock::new();
    RESOLVEUR.get_or_init(|| {
        let dossier = tempfile::tempdir().unwrap();
        let store = Store::ouvrir(&dossier.path().join("referentiel.db")).unwrap();
        let conn = store.connexion().unwrap();
        crate::demo::charger(&conn).unwrap();
        super::resolveur(&conn).unwrap()
    })
}

fn chercher(texte: &str) -> Resolution<'static> {
    chercher_dans(texte, None, None)
}

fn chercher_dans(texte: &str, pays: Option<&str>, niveau: Option<Niveau>) -> Resolution<'static> {
    resolveur()
        .resoudre(&Requete {
            texte: texte.to_owned(),
            pays: pays.map(|p| Pays::new(p).unwrap()),
            niveau,
            limite: 10,
        })
        .unwrap()
}

/// The best candidate as « PAYS niveau code nom ».
fn premier(resolution: &Resolution<'_>) -> String {
    let u = resolution.candidats.first().expect("no candidate").unite;
    format!(
        "{} {} {} {}",
        u.pays,
        u.niveau.code(),
        u.code.as_deref().unwrap_or("-"),
        u.nom
    )
}

#[test]
fn every_party_of_the_founding_document_as_it_writes_them() {
    let attendus = [
        ("Bamako", "ML district ML-BKO Bamako"),
        ("Angers", "FR commune 49007 Angers"),
        ("Evry", "FR commune - Évry"),
        ("Montreuil", "FR commune 93048 Montreuil"),
        ("Yélimané", "ML cercle ML-1-YELIMANE Yélimané"),
        (
            "Sanankoroba",
            "ML commune ML-2-KATI-SANANKOROBA Sanankoroba",
        ),
        ("Sainte Elizabeth", "CA niveau_3 - Sainte-Élisabeth"),
        (
            "Région Nord-Pas -de Calais",
            "FR region 31 Nord-Pas-de-Calais",
        ),
        ("Région de Kayes", "ML region ML-1 Kayes"),
        ("Région Ile-de France", "FR region 11 Île-de-France"),
        ("Maurepas", "FR commune 78383 Maurepas"),
        (
            "Département Ille –et vilaine",
            "FR departement 35 Ille-et-Vilaine",
        ),
        ("Région de Mopti", "ML region ML-5 Mopti"),
        ("Région Rhône-Alpes", "FR region 82 Rhône-Alpes"),
        ("Région de Tombouctou", "ML region ML-6 Tombouctou"),
    ];
    for (texte, attendu) in attendus {
        assert_eq!(premier(&chercher(texte)), attendu, "{texte}");
    }
    // Bare « Kayes » and « Mopti » name a région, a cercle and a commune alike.
    for texte in ["Kayes", "Mopti"] {
        let r = chercher(texte);
        assert!(r.ambigu, "{texte}");
        let niveaux: Vec<Niveau> = r.candidats.iter().take(3).map(|c| c.unite.niveau).collect();
        assert!(
            niveaux.contains(&Niveau::Region)
                && niveaux.contains(&Niveau::Cercle)
                && niveaux.contains(&Niveau::Commune)
        );
        let commune = chercher_dans(texte, Some("ML"), Some(Niveau::Commune));
        assert_eq!(commune.candidats.len(), 1, "{texte}");
        assert!(!commune.ambigu);
    }
}

#[test]
fn a_level_prefix_is_a_hint_not_a_filter() {
    let r = chercher("Région de Kayes");
    assert!(!r.ambigu, "the prefix settles it");
    assert_eq!(r.candidats[0].raison, Raison::Normalised);
    assert!(r.candidats[0].niveau_attendu);
    assert!(
        r.candidats
            .iter()
            .any(|c| c.unite.niveau == Niveau::Cercle && !c.niveau_attendu)
    );
    assert_eq!(
        premier(&chercher("Cercle de Kayes")),
        "ML cercle ML-1-KAYES Kayes"
    );
    assert_eq!(
        premier(&chercher("commune de kayes")),
        "ML commune ML-1-KAYES-KAYES Kayes"
    );
    assert_eq!(
        premier(&chercher("Ville de Montreuil")),
        "FR commune 93048 Montreuil"
    );
    assert_eq!(
        premier(&chercher("Département de l'Ille-et-Vilaine")),
        "FR departement 35 Ille-et-Vilaine"
    );
    // « Commune I » is a name of its own in Bamako, not « I » with a prefix.
    assert_eq!(
        premier(&chercher("Commune I")),
        "ML commune ML-BKO-COMMUNE-I Commune I"
    );
}

#[test]
fn homonyms_are_ambiguous_and_ranked_by_population() {
    let r = chercher("Montreuil");
    assert!(r.ambigu);
    let codes: Vec<&str> = r
        .candidats
        .iter()
        .take(3)
        .filter_map(|c| c.unite.code.as_deref())
        .collect();
    assert_eq!(codes[0], "93048", "the most populous first");
    assert!(codes.contains(&"28267") && codes.contains(&"85148"));
    assert_eq!(r.candidats[0].raison, Raison::Exact);

    let maurepas = chercher("MAUREPAS");
    assert!(maurepas.ambigu);
    assert_eq!(maurepas.candidats[0].unite.code.as_deref(), Some("78383"));
    assert_eq!(maurepas.candidats[1].unite.code.as_deref(), Some("80521"));
}

#[test]
fn former_units_lead_to_their_successors() {
    let npdc = chercher("Nord-Pas-de-Calais");
    let c = &npdc.candidats[0];
    assert!(!c.unite.actuelle());
    let successeurs: Vec<&str> = c
        .successeurs_actuels
        .iter()
        .filter_map(|u| u.code.as_deref())
        .collect();
    assert_eq!(successeurs, ["32"]);
    assert_eq!(c.successeurs_actuels[0].nom, "Hauts-de-France");

    // Évry of the Essonne is gone; Évry of the Yonne still exists: both are proposed, and
    // the merged commune is reached through its former name too.
    let evry = chercher("Evry");
    assert!(evry.ambigu);
    assert!(!evry.candidats[0].unite.actuelle());
    assert_eq!(
        evry.candidats[0].successeurs_actuels[0].code.as_deref(),
        Some("91228")
    );
    assert_eq!(evry.candidats[1].unite.code.as_deref(), Some("89162"));
    let par_ancien_nom = evry
        .candidats
        .iter()
        .find(|c| c.raison == Raison::FormerName)
        .unwrap();
    assert_eq!(par_ancien_nom.unite.nom, "Évry-Courcouronnes");

    let courcouronnes = chercher("Courcouronnes");
    assert_eq!(
        courcouronnes.candidats[0].successeurs_actuels[0].nom,
        "Évry-Courcouronnes"
    );
}

#[test]
fn capitals_without_accents_and_typos_still_find_the_unit() {
    assert_eq!(
        premier(&chercher_dans("SEGOU", None, Some(Niveau::Region))),
        "ML region ML-4 Ségou"
    );
    assert_eq!(premier(&chercher("MENAKA")), "ML region ML-9 Ménaka");
    assert_eq!(
        premier(&chercher("ILE DE FRANCE")),
        "FR region 11 Île-de-France"
    );
    assert_eq!(
        premier(&chercher("EVRY COURCOURONNES")),
        "FR commune 91228 Évry-Courcouronnes"
    );
    let faute = chercher("Yelimene");
    assert_eq!(premier(&faute), "ML cercle ML-1-YELIMANE Yélimané");
    assert_eq!(faute.candidats[0].raison, Raison::Fuzzy);
    assert!(faute.candidats[0].score < 0.9);
    assert_eq!(
        premier(&chercher("Sanankorba")),
        "ML commune ML-2-KATI-SANANKOROBA Sanankoroba"
    );
}

#[test]
fn filters_and_no_match() {
    assert!(chercher("Xyzzyquux").candidats.is_empty());
    assert!(
        chercher_dans("Montreuil", Some("ML"), None)
            .candidats
            .is_empty()
    );
    let cercles = chercher_dans("Kayes", None, Some(Niveau::Cercle));
    assert!(
        cercles
            .candidats
            .iter()
            .all(|c| c.unite.niveau == Niveau::Cercle)
    );
    assert_eq!(
        cercles.candidats[0].unite.code.as_deref(),
        Some("ML-1-KAYES")
    );
}

#[test]
fn bad_queries_are_refused_with_a_reason() {
    let requete = |texte: &str, limite: usize| Requete {
        texte: texte.to_owned(),
        pays: None,
        niveau: None,
        limite,
    };
    let r = resolveur();
    assert_eq!(
        r.resoudre(&requete("", 5)).unwrap_err(),
        RequeteInvalide::Vide
    );
    assert_eq!(
        r.resoudre(&requete(" – ' ", 5)).unwrap_err(),
        RequeteInvalide::Vide
    );
    assert_eq!(
        r.resoudre(&requete("Ka\u{7}yes", 5)).unwrap_err(),
        RequeteInvalide::Controle(3)
    );
    assert_eq!(
        r.resoudre(&requete("Ka\0yes", 5)).unwrap_err(),
        RequeteInvalide::Controle(3)
    );
    assert_eq!(
        r.resoudre(&requete(&"a".repeat(201), 5)).unwrap_err(),
        RequeteInvalide::TropLong(200)
    );
    assert!(r.resoudre(&requete("Kayes", 0)).is_err());
    assert!(r.resoudre(&requete("Kayes", 101)).is_err());
    assert!(
        r.resoudre(&requete(&"é".repeat(200), 5)).is_ok(),
        "200 characters, not bytes"
    );
}
