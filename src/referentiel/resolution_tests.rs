//! The resolver on the real référentiel, with names written as people write them.

use std::sync::OnceLock;

use super::{Portee, Raison, Requete, RequeteInvalide, Resolution, Resolveur, SCORE_SUR};
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
            portee: niveau.map_or(Portee::Tout, Portee::Niveau),
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
        portee: Portee::Tout,
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

/// Every unit whose code is given, as « code » (or « code nom » for units without one).
fn codes(resolution: &Resolution<'_>) -> Vec<String> {
    resolution
        .candidats
        .iter()
        .map(|c| c.unite.code.clone().unwrap_or_else(|| c.unite.nom.clone()))
        .collect()
}

/// The text finds `code` first, at the level its words name, without ambiguity.
fn trouve_seul(texte: &str, code: &str) {
    let r = chercher(texte);
    assert_eq!(
        codes(&r).first().map(String::as_str),
        Some(code),
        "{texte}: {:?}",
        codes(&r)
    );
    assert!(!r.ambigu, "{texte}: {:?}", codes(&r));
    assert!(r.candidats[0].niveau_attendu, "{texte}");
}

#[test]
fn a_level_written_after_the_name() {
    trouve_seul("Mopti Cercle", "ML-5-MOPTI");
    trouve_seul("Kita Commune", "ML-1-KITA-KITA");
    trouve_seul("Mopti Region", "ML-5");
    trouve_seul("Kayes Région", "ML-1");
    trouve_seul("Bamako District", "ML-BKO");
    trouve_seul("KATI CERCLE", "ML-2-KATI");
    let r = chercher("Mopti Cercle");
    assert_eq!(r.candidats[0].raison, Raison::Normalised);
    assert!(
        r.candidats
            .iter()
            .any(|c| c.unite.niveau == Niveau::Region && !c.niveau_attendu),
        "the other levels stay candidates"
    );
}

#[test]
fn the_numbered_communes_of_bamako() {
    for (texte, code) in [
        ("Commune V de Bamako", "ML-BKO-COMMUNE-V"),
        ("commune VI du District de Bamako", "ML-BKO-COMMUNE-VI"),
        ("Commune 5 Bamako", "ML-BKO-COMMUNE-V"),
        ("Commune 2 du district de Bamako", "ML-BKO-COMMUNE-II"),
        ("Bamako Commune III", "ML-BKO-COMMUNE-III"),
        ("Commune IV (Bamako)", "ML-BKO-COMMUNE-IV"),
        ("Commune 1", "ML-BKO-COMMUNE-I"),
    ] {
        trouve_seul(texte, code);
    }
    // the référentiel's own spelling is still the exact name
    assert_eq!(chercher("Commune I").candidats[0].raison, Raison::Exact);
}

#[test]
fn swapped_and_missing_letters_find_the_name() {
    // « Motpi » shares one trigram with « Mopti »: only the deletion index finds it
    for (texte, nom) in [
        ("Motpi", "Mopti"),
        ("Kyaes", "Kayes"),
        ("Bmako", "Bamako"),
        ("Baamako", "Bamako"),
        ("Sgéou", "Ségou"),
        ("Tombouctuo", "Tombouctou"),
    ] {
        let r = chercher(texte);
        let c = r.candidats.first().unwrap_or_else(|| panic!("{texte}"));
        assert_eq!(
            (c.unite.nom.as_str(), c.raison),
            (nom, Raison::Fuzzy),
            "{texte}"
        );
    }
    // not a sure answer: a typo never ranks with a name as written
    assert!(chercher("Motpi").candidats[0].score < 0.9);
}

#[test]
fn institutions_named_for_their_territory() {
    for (texte, code) in [
        ("Assemblée régionale de Kayes", "ML-1"),
        ("Conseil régional de Ségou", "ML-4"),
        ("Conseil de cercle de Kati", "ML-2-KATI"),
        ("Assemblée de cercle de Kati", "ML-2-KATI"),
        ("Mairie de Kita", "ML-1-KITA-KITA"),
        ("Hôtel de ville de Kita", "ML-1-KITA-KITA"),
        ("Mairie du district de Bamako", "ML-BKO"),
        ("Conseil départemental d'Ille-et-Vilaine", "35"),
        ("Mairie d'Angers", "49007"),
    ] {
        trouve_seul(texte, code);
    }
}

#[test]
fn intercommunalities_by_legal_form_or_brand() {
    for (texte, code) in [
        ("Communauté urbaine d'Alençon", "246100663"),
        ("CU d'Alençon", "246100663"),
        ("GrandAngoulême", "200071827"),
        ("grand Angoulême", "200071827"),
        ("Communauté d'agglomération du Grand Angoulême", "200071827"),
        ("Agglomération du Grand Angoulême", "200071827"),
        ("Communauté de communes Faucigny-Glières", "200000172"),
        ("Métropole de Lyon", "200046977"),
        ("Grand Lyon", "200046977"),
        ("Métropole du Grand Paris", "200054781"),
        ("Métropole de Bordeaux", "243300316"),
    ] {
        let r = chercher(texte);
        assert_eq!(
            codes(&r).first().map(String::as_str),
            Some(code),
            "{texte}: {:?}",
            codes(&r)
        );
        assert!(!r.ambigu, "{texte}");
        assert!(
            matches!(r.candidats[0].raison, Raison::Exact | Raison::Normalised),
            "{texte}"
        );
    }
    // a name without a form is still the commune, a brand-like commune too
    assert_eq!(premier(&chercher("Lyon")), "FR commune 69123 Lyon");
    assert!(
        !codes(&chercher("Lyon")).contains(&"200046977".to_owned()),
        "not the métropole"
    );
    let couronne = chercher("GRAND COURONNE");
    assert_eq!(premier(&couronne), "FR commune 76319 Grand-Couronne");
    assert!(!couronne.ambigu);
}

#[test]
fn a_parent_in_context_picks_the_unit_inside_it() {
    // Niafunké is Niafounké, a typo away; its Banikane is Banikane Narhawa, not the
    // Banikane of Gourma-Rharous
    trouve_seul("Banikane (Niafunké)", "ML-6-NIAFOUNKE-BANIKANE-NARHAWA");
    // (the village of Banikane, listed twice by the gazetteer, lies in that commune too)
    let banikane = codes(&chercher("Banikane (Niafunké)"));
    assert!(
        banikane
            .iter()
            .all(|c| c == "ML-6-NIAFOUNKE-BANIKANE-NARHAWA"),
        "{banikane:?}"
    );
    trouve_seul("Baye, cercle de Kéniéba", "ML-1-KENIEBA-BAYE-KENIEBA");
    trouve_seul("Baye (Bankass)", "ML-5-BANKASS-BAYE-BANKASS");
    trouve_seul("Sanankoroba (Kati)", "ML-2-KATI-SANANKOROBA");
    trouve_seul("Montreuil (Seine-Saint-Denis)", "93048");
    trouve_seul("Montreuil, Vendée", "85148");
    // the parent at any level above: every candidate is in the région of Kayes
    let kita = chercher("Kita (Kayes)");
    assert!(
        kita.candidats.iter().all(|c| c
            .unite
            .code
            .as_deref()
            .is_some_and(|c| c.starts_with("ML-1-"))),
        "{:?}",
        codes(&kita)
    );
    assert_eq!(kita.candidats[0].unite.nom, "Kita");
    // a parent that is no sure name does not get in the way (« Mali » only begins names)
    for texte in ["Banikane (Zorglub)", "Banikane, Mali", "Kidal (Mali)"] {
        let r = chercher(texte);
        let c = &r.candidats[0];
        assert!(
            c.unite.nom == texte.split([' ', ',']).next().unwrap() && c.score >= SCORE_SUR,
            "{texte}: {:?}",
            codes(&r)
        );
    }
    // a sure parent that does not hold the name: still proposed, no longer sure
    let contredit = chercher("Banikane (Kidal)");
    assert_eq!(
        codes(&contredit).first().map(String::as_str),
        Some("ML-6-GOURMA-RHAROUS-BANIKANE")
    );
    assert!(contredit.candidats[0].score < SCORE_SUR);
    // nor does a région « inside » another région: a list of names is not a parent
    let liste = chercher("Gao, Kidal, Mopti");
    assert!(
        liste.candidats.iter().all(|c| c.score < SCORE_SUR),
        "{:?}",
        codes(&liste)
    );
    // an intercommunality has no parent in the référentiel: nothing contradicts it
    trouve_seul("Communauté urbaine d'Alençon (Orne)", "246100663");
    assert!(chercher("Communauté urbaine d'Alençon (Orne)").candidats[0].score >= SCORE_SUR);
    // a name with brackets of its own is still found whole
    assert_eq!(
        chercher("CC de l'Est Lyonnais (CCEL)").candidats[0].raison,
        Raison::Exact
    );
}

/// The deletion index stays about a dozen 8-byte entries per unit (the report quotes it).
#[test]
fn the_typo_index_stays_small() {
    let r = resolveur();
    let entrees = r.taille_index_flou();
    assert!(
        entrees < 15 * r.len(),
        "{entrees} entries for {} units",
        r.len()
    );
}

/// The localités proposed, as « village (commune) ».
fn localites(resolution: &Resolution<'_>) -> Vec<String> {
    resolution
        .candidats
        .iter()
        .filter_map(|c| Some(format!("{} ({})", c.localite?.nom, c.unite.nom)))
        .collect()
}

fn chercher_portee(texte: &str, pays: Option<Pays>, portee: Portee) -> Resolution<'static> {
    resolveur()
        .resoudre(&Requete {
            texte: texte.to_owned(),
            pays,
            portee,
            limite: 10,
        })
        .unwrap()
}

#[test]
fn a_village_leads_to_its_commune() {
    let r = chercher("Worofara");
    let c = &r.candidats[0];
    assert_eq!(c.localite.map(|l| l.pcode.as_str()), Some("ML020530035"));
    assert_eq!(
        c.unite.code.as_deref(),
        Some("ML-2-KATI-SANANKORO-DJITOUMOU")
    );
    assert_eq!((c.raison, c.score), (Raison::Exact, 1.0));
    assert!(!r.ambigu);
    let dans: Vec<&str> = c.dans.iter().map(|u| u.nom.as_str()).collect();
    assert_eq!(dans, ["Sanankoro Djitoumou", "Kati", "Koulikoro"]);
    // the villages of a COD commune that benkan lacks lie in their cercle
    let koloni = chercher("Koloni (Bla)");
    assert_eq!(koloni.candidats[0].unite.code.as_deref(), Some("ML-4-BLA"));
    // listed twice in the same cercle (its seat, and the village): one place to choose
    assert_eq!(localites(&koloni)[..2], ["Koloni (Bla)", "Koloni (Bla)"]);
    assert!(
        koloni.ambigu,
        "a third Koloni lies in the commune of Diena, cercle de Bla"
    );
}

#[test]
fn homonymous_villages_are_ambiguous_and_ranked_by_commune() {
    let r = chercher("Somadougou");
    assert!(r.ambigu);
    assert_eq!(
        localites(&r)[..4],
        [
            "Somadougou (Kassaro)",
            "Somadougou (Lanfiala)",
            "Somadougou (Sio)",
            "Somambougou (Massantola)"
        ]
    );
    assert_eq!(r.candidats[3].raison, Raison::Fuzzy);
    assert!(r.candidats[..3].iter().all(|c| c.raison == Raison::Exact));
    // a parent in context picks one of them
    let tominian = chercher("Somadougou (Tominian)");
    assert_eq!(localites(&tominian), ["Somadougou (Lanfiala)"]);
    assert!(!tominian.ambigu);
    assert!(tominian.candidats[0].score >= SCORE_SUR);
    // a name written exactly ranks before the same name without its accents
    let segou = chercher("Ségou");
    let premiere = segou.candidats.iter().find(|c| c.localite.is_some());
    assert_eq!(premiere.map(|c| c.raison), Some(Raison::Normalised));
}

#[test]
fn collectivites_rank_before_villages_of_the_same_name() {
    let kayes = chercher("Kayes");
    let niveaux: Vec<Option<Niveau>> = kayes
        .candidats
        .iter()
        .take(4)
        .map(|c| c.localite.is_none().then_some(c.unite.niveau))
        .collect();
    assert_eq!(
        niveaux,
        [
            Some(Niveau::Region),
            Some(Niveau::Cercle),
            Some(Niveau::Commune),
            None
        ]
    );
    assert_eq!(localites(&kayes)[0], "Kayes (Kayes)");
    // a village of its name does not make a commune ambiguous
    let sanankoroba = chercher("Sanankoroba");
    assert_eq!(
        premier(&sanankoroba),
        "ML commune ML-2-KATI-SANANKOROBA Sanankoroba"
    );
    assert!(!sanankoroba.ambigu);
    assert!(sanankoroba.candidats[1].localite.is_some());
    // a typo on a collectivité never passes a village written exactly, nor the reverse
    let worofra = chercher("Worofra");
    assert_eq!(localites(&worofra)[0], "Worofra (Dogoni)");
}

#[test]
fn typos_on_a_village_name() {
    for texte in ["Worofarra", "Wrofara", "Woorfara", "WOROFAAR"] {
        let r = chercher(texte);
        let c = r.candidats.first().unwrap_or_else(|| panic!("{texte}"));
        assert_eq!(
            (c.localite.map(|l| l.nom.as_str()), c.raison),
            (Some("Worofara"), Raison::Fuzzy),
            "{texte}: {:?}",
            localites(&r)
        );
        assert!(c.score < SCORE_SUR, "{texte}: a typo is no sure reading");
    }
}

#[test]
fn the_portee_chooses_collectivites_localites_or_a_level() {
    let seules = chercher_portee("Kayes", None, Portee::Localites);
    assert!(!seules.candidats.is_empty());
    assert!(seules.candidats.iter().all(|c| c.localite.is_some()));
    let sans = chercher_portee("Worofara", None, Portee::Collectivites);
    assert!(sans.candidats.iter().all(|c| c.localite.is_none()));
    let communes = chercher_portee("Kayes", None, Portee::Niveau(Niveau::Commune));
    assert!(communes.candidats.iter().all(|c| c.localite.is_none()));
    // a localité is in Mali
    let mali = chercher_portee("Worofara", Some(Pays::MALI), Portee::Tout);
    assert_eq!(localites(&mali)[0], "Worofara (Sanankoro Djitoumou)");
    let france = chercher_portee("Worofara", Some(Pays::FRANCE), Portee::Tout);
    assert!(france.candidats.iter().all(|c| c.localite.is_none()));
    // the codes a command line or a URL gives
    assert_eq!(Portee::depuis_code("localite"), Ok(Portee::Localites));
    assert_eq!(
        Portee::depuis_code("cercle"),
        Ok(Portee::Niveau(Niveau::Cercle))
    );
    let erreur = Portee::depuis_code("village").unwrap_err().to_string();
    assert!(
        erreur.contains("commune") && erreur.contains("localite"),
        "{erreur}"
    );
}

/// A village never stands as the parent of a name: « Banikane (Niafunké) » still reads the
/// cercle of Niafounké, though the gazetteer has a village Niafunke.
#[test]
fn a_village_is_never_a_parent() {
    let niafunke = chercher_portee("Niafunke", None, Portee::Localites);
    assert!(
        niafunke
            .candidats
            .iter()
            .any(|c| c.raison == Raison::Normalised || c.raison == Raison::Exact),
        "the test needs a village of that name: {:?}",
        localites(&niafunke)
    );
    trouve_seul("Banikane (Niafunké)", "ML-6-NIAFOUNKE-BANIKANE-NARHAWA");
}

/// A commune found only by the beginning of its name is as sure as the village that bears
/// that name inside it, its seat: « Banikane » is the seat of Banikane Narhawa.
#[test]
fn a_commune_is_named_by_its_seat() {
    let r = chercher("Banikane (Niafunké)");
    let c = &r.candidats[0];
    assert!(c.localite.is_none());
    assert_eq!((c.raison, c.score), (Raison::Normalised, 0.95));
    // only a reading that looks for villages sees the seat
    let sans = chercher_portee("Banikane (Niafunké)", None, Portee::Collectivites);
    assert_eq!(sans.candidats[0].raison, Raison::Prefix);
    // a village elsewhere does not make a commune sure
    let kidal = chercher("Banikane Narhawa (Kidal)");
    assert!(kidal.candidats[0].score < SCORE_SUR);
}

/// A village the query does not look for never decides what lies in the parent given: the
/// village Banikane of the cercle of Gao does not hide the commune of Banikane from a
/// query for collectivités.
#[test]
fn a_village_not_looked_for_does_not_stand_in_the_parent() {
    let tout = chercher("Banikane (Gao)");
    assert_eq!(localites(&tout), ["Banikane (Gabéro)"]);
    let collectivites = chercher_portee("Banikane (Gao)", None, Portee::Collectivites);
    assert_eq!(
        codes(&collectivites).first().map(String::as_str),
        Some("ML-6-GOURMA-RHAROUS-BANIKANE")
    );
    assert!(collectivites.candidats[0].score < SCORE_SUR);
}
