//! The public pages, read through a real server over a temporary database.

mod commun;

use benkan::model::{
    ActeurId, Axe, Devise, Domaine, Etape, EtapeDatee, Montant, Nature, Niveau, NouveauFinancement,
    NouvelActeur, NouvelleAction, Pays, Periode, RoleIntermediaire, StatutAction, TypeFinancement,
    TypeOrganisation,
};
use benkan::store::{acteur, action, financement, partenariat};
use commun::{Serveur, collectivite, par_code};
use time::macros::date;

const TITRES_DEMO: [&str; 9] = [
    "Bamako – Angers",
    "Évry – Kayes",
    "Montreuil – Yélimané",
    "Sanankoroba – Sainte-Élisabeth",
    "Région Nord-Pas-de-Calais – Région de Kayes",
    "Région Île-de-France – Région de Kayes",
    "Maurepas – Mopti",
    "Département d&#39;Ille-et-Vilaine – Région de Mopti",
    "Région Rhône-Alpes – Région de Tombouctou",
];

#[test]
fn the_home_page_counts_the_demonstration_data() {
    let serveur = Serveur::demo();
    let page = serveur.get("/");
    assert_eq!(page.statut, 200);
    assert!(
        page.corps
            .contains("<strong>9</strong> partenariats actifs"),
        "{}",
        page.corps
    );
    assert!(page.corps.contains("<strong>2</strong> pays partenaires"));
    // Bamako, Kayes, Koulikoro (through Sanankoroba), Mopti, Tombouctou
    assert!(
        page.corps
            .contains("<strong>5</strong> régions maliennes concernées")
    );
    assert!(page.corps.contains("<strong>0</strong> action enregistrée"));
    assert!(page.corps.contains("9 partenariats de démonstration"));
    assert_eq!(
        page.compte("href=\"/partenariats/"),
        9,
        "latest changes list the nine records"
    );
}

#[test]
fn the_list_shows_the_nine_partnerships_with_their_parties() {
    let serveur = Serveur::demo();
    let page = serveur.get("/partenariats");
    assert_eq!(page.statut, 200);
    assert!(page.corps.contains("9 partenariats."));
    for titre in TITRES_DEMO {
        assert!(page.corps.contains(titre), "{titre} missing");
    }
    for partie in [
        "Angers",
        "Sainte-Élisabeth",
        "Yélimané",
        "Tombouctou",
        "Ille-et-Vilaine",
        "Évry",
    ] {
        assert!(
            page.corps.contains(&format!(">{partie}</a>")),
            "{partie} missing"
        );
    }
    assert_eq!(
        page.compte("<span class=\"etiquette\">démonstration</span>"),
        9
    );
}

#[test]
fn filters_narrow_the_list() {
    let serveur = Serveur::demo();
    let canada = serveur.get("/partenariats?pays=CA");
    assert_eq!(canada.statut, 200);
    assert!(
        canada
            .corps
            .contains("1 partenariat correspondant aux filtres")
    );
    assert!(canada.corps.contains("Sanankoroba – Sainte-Élisabeth"));
    assert!(!canada.corps.contains("Bamako – Angers"));

    // The Kayes région includes its cercles and communes: Yélimané and the commune of Kayes.
    let kayes = serveur.get("/partenariats?region=ML-1");
    assert!(
        kayes
            .corps
            .contains("4 partenariats correspondant aux filtres"),
        "{}",
        kayes.corps
    );
    for titre in [
        "Évry – Kayes",
        "Montreuil – Yélimané",
        "Région Île-de-France – Région de Kayes",
    ] {
        assert!(kayes.corps.contains(titre));
    }
    assert!(!kayes.corps.contains("Maurepas – Mopti"));

    let mopti_france = serveur.get("/partenariats?region=ML-5&pays=fr&statut=actif");
    assert!(mopti_france.corps.contains("2 partenariats correspondant"));

    let termines = serveur.get("/partenariats?statut=termine");
    assert!(
        termines
            .corps
            .contains("Aucun partenariat ne correspond à ces filtres.")
    );

    // An empty value, as a form's « Tous » sends it, is no filter.
    let tous = serveur.get("/partenariats?pays=&region=&etape=&statut=");
    assert!(tous.corps.contains("9 partenariats."));
}

#[test]
fn the_etape_filter_reads_the_stage_reached_today() {
    let serveur = Serveur::demo();
    {
        let conn = serveur.conn();
        let id = partenariat::PartenariatQuery::new(date!(2026 - 01 - 01))
            .lister(&conn)
            .unwrap()
            .elements[0]
            .partenariat
            .id;
        for (etape, depuis) in [
            (Etape::Amitie, date!(1985 - 01 - 01)),
            (Etape::JumelageCooperation, date!(2001 - 06 - 30)),
        ] {
            partenariat::ajouter_etape(
                &conn,
                id,
                EtapeDatee {
                    etape,
                    depuis,
                    note: None,
                },
            )
            .unwrap();
        }
    }
    let page = serveur.get("/partenariats?etape=jumelage_cooperation");
    assert!(
        page.corps.contains("1 partenariat correspondant"),
        "{}",
        page.corps
    );
    assert!(page.corps.contains("Bamako – Angers"));
    let amitie = serveur.get("/partenariats?etape=amitie");
    assert!(amitie.corps.contains("Aucun partenariat ne correspond"));

    let fiche = serveur.get("/partenariats/1");
    assert!(fiche.corps.contains(
        "<time datetime=\"1985-01-01\">1er janvier 1985</time> : <strong>Amitié</strong>"
    ));
    assert!(fiche.corps.contains("30 juin 2001"));
}

#[test]
fn long_lists_are_paged_and_keep_their_filters() {
    let serveur = Serveur::demarrer(|conn| {
        let kayes = benkan::store::collectivite::inserer(
            conn,
            benkan::model::NouvelleCollectivite {
                code: Some("ML-1".into()),
                ..benkan::model::NouvelleCollectivite::new(Pays::MALI, Niveau::Region, "Kayes")
            },
        )
        .unwrap();
        for i in 0..30 {
            let commune = collectivite(conn, "FR", Niveau::Commune, &format!("Ville {i:02}"), None);
            commun::partenariat(conn, &format!("Jumelage {i:02}"), &[kayes, commune]);
        }
    });
    let premiere = serveur.get("/partenariats?region=ML-1");
    assert!(
        premiere
            .corps
            .contains("30 partenariats correspondant aux filtres ; n° 1 à 25")
    );
    assert!(premiere.corps.contains("Page 1 sur 2"));
    assert!(
        premiere
            .corps
            .contains("href=\"/partenariats?region=ML-1&amp;page=2\""),
        "{}",
        premiere.corps
    );
    assert!(premiere.corps.contains("Jumelage 24") && !premiere.corps.contains("Jumelage 25"));
    let seconde = serveur.get("/partenariats?region=ML-1&page=2");
    assert!(seconde.corps.contains("n° 26 à 30"));
    assert!(seconde.corps.contains("Jumelage 29") && !seconde.corps.contains("Jumelage 24<"));
    assert!(seconde.corps.contains("rel=\"prev\""));
    let au_dela = serveur.get("/partenariats?page=9");
    assert_eq!(au_dela.statut, 200);
}

#[test]
fn a_partnership_page_shows_parties_levels_and_source() {
    let serveur = Serveur::demo();
    let page = serveur.get("/partenariats/8");
    assert_eq!(page.statut, 200);
    assert!(
        page.corps
            .contains("<h1>Département d&#39;Ille-et-Vilaine – Région de Mopti</h1>")
    );
    assert!(page.corps.contains("Donnée de démonstration"));
    assert!(
        page.corps
            .contains(">Mopti</a> <span class=\"niveau\">(Région)</span>")
    );
    assert!(
        page.corps
            .contains(">Ille-et-Vilaine</a> <span class=\"niveau\">(Département, France)</span>")
    );
    assert!(
        page.corps.contains("Niveaux différents"),
        "a département with a région is flagged"
    );
    assert!(
        page.corps
            .contains("« Département Ille –et vilaine –Région de Mopti »"),
        "the source quotes the document"
    );
    assert!(page.corps.contains("Aucune action enregistrée."));
    assert!(
        page.corps
            .contains("le montant mobilisé est inconnu, pas nul")
    );

    let symetrique = serveur.get("/partenariats/6");
    assert!(!symetrique.corps.contains("Niveaux différents"));
}

/// The demonstration's Évry – Kayes partenariat, the one of the commune of Kayes.
fn evry_kayes(conn: &rusqlite::Connection) -> benkan::model::PartenariatId {
    let kayes_commune = par_code(conn, Pays::MALI, Niveau::Commune, "ML-1-KAYES-KAYES");
    partenariat::PartenariatQuery {
        zone: Some(kayes_commune.id),
        ..partenariat::PartenariatQuery::new(date!(2026 - 01 - 01))
    }
    .lister(conn)
    .unwrap()
    .elements[0]
        .partenariat
        .id
}

fn action_financee(serveur: &Serveur) -> i64 {
    let conn = serveur.conn();
    let kayes_commune = par_code(&conn, Pays::MALI, Niveau::Commune, "ML-1-KAYES-KAYES");
    let evry_kayes = evry_kayes(&conn);
    let id = action::creer(
        &conn,
        NouvelleAction {
            partenariat: evry_kayes,
            titre: "Adduction d'eau <quartier Plateau>".into(),
            description: Some("Essai : données fabriquées par le test.".into()),
            axe: Axe::ServicesSociauxDeBase,
            domaine: Domaine::EauAssainissement,
            nature: Nature::Physique,
            statut: StatutAction::EnCours,
            periode: Periode::new(Some(date!(2024 - 03 - 01)), None).unwrap(),
            lieux: vec![kayes_commune.id],
            points: Vec::new(),
            localites: Vec::new(),
        },
    )
    .unwrap();
    let source = acteur::creer(
        &conn,
        NouvelActeur {
            nom: "Fonds d'essai".into(),
            type_organisation: TypeOrganisation::GouvernementLocal,
            identifiant_iati: None,
            pays: Some(Pays::FRANCE),
            collectivite: None,
        },
    )
    .unwrap();
    for (type_financement, montant) in [
        (
            TypeFinancement::Engagement,
            Montant::new(1_500_000, Devise::Eur).unwrap(),
        ),
        (
            TypeFinancement::Decaissement,
            Montant::new(250_050, Devise::Eur).unwrap(),
        ),
        (
            TypeFinancement::Engagement,
            Montant::new(10_000_000, Devise::Xof).unwrap(),
        ),
    ] {
        financement::creer(
            &conn,
            NouveauFinancement {
                action: id,
                source: ActeurId(source.0),
                type_financement,
                montant,
                annee: 2024,
            },
        )
        .unwrap();
    }
    id.0
}

#[test]
fn an_action_page_shows_its_axe_places_and_money() {
    let serveur = Serveur::demo();
    let id = action_financee(&serveur);
    let page = serveur.get(&format!("/actions/{id}"));
    assert_eq!(page.statut, 200);
    assert!(
        page.corps
            .contains("<h1>Adduction d&#39;eau &#60;quartier Plateau&#62;</h1>")
    );
    assert!(page.corps.contains("Services sociaux de base"));
    assert!(
        page.corps
            .contains("Eau et assainissement <span class=\"niveau\">(secteur CAD 14030)</span>")
    );
    assert!(page.corps.contains("du 1er mars 2024, fin non fixée"));
    assert!(
        page.corps
            .contains(">Kayes</a> <span class=\"niveau\">(Commune)</span>")
    );
    // Each amount in its own currency: euros with cents, francs CFA whole.
    assert!(page.corps.contains("15\u{202F}000,00\u{A0}€"));
    assert!(page.corps.contains("2\u{202F}500,50\u{A0}€"));
    assert!(page.corps.contains("10\u{202F}000\u{202F}000\u{A0}FCFA"));
    assert!(!page.corps.contains("\u{A0}XOF") && !page.corps.contains("\u{A0}EUR"));
    // Totals per currency with the exact equivalent at the fixed parity, then their sum:
    // 15 000 € = 9 839 355 FCFA; 10 000 000 FCFA = 15 244,90 €; together 19 839 355 FCFA
    // = 30 244,90 € (rounded once: 30 245 €).
    assert!(page.corps.contains(
        "<strong>Engagements</strong> : 15\u{202F}000,00\u{A0}€ (9\u{202F}839\u{202F}355\u{A0}FCFA)"
    ));
    assert!(page.corps.contains(
        "<strong>Engagements</strong> : 10\u{202F}000\u{202F}000\u{A0}FCFA (15\u{202F}245\u{A0}€)"
    ));
    assert!(page.corps.contains(
        "<strong>Engagements</strong> : au total 19\u{202F}839\u{202F}355\u{A0}FCFA (30\u{202F}245\u{A0}€)"
    ));

    // The partenariat and the Malian région see the action and its money too.
    let partenariat = serveur.get("/partenariats/2");
    assert!(
        partenariat
            .corps
            .contains(&format!("href=\"/actions/{id}\""))
    );
    assert!(
        partenariat
            .corps
            .contains("<strong>Décaissements</strong> : 2\u{202F}500,50\u{A0}€")
    );
    let kayes = par_code(&serveur.conn(), Pays::MALI, Niveau::Region, "ML-1");
    let region = serveur.get(&format!("/collectivites/{}", kayes.id));
    assert!(region.corps.contains(&format!("href=\"/actions/{id}\"")));
    assert!(
        region
            .corps
            .contains("<strong>Engagements</strong> : 15\u{202F}000,00\u{A0}€")
    );
}

#[test]
fn a_collectivite_page_shows_hierarchy_partnerships_and_successors() {
    let serveur = Serveur::demo();
    let conn = serveur.conn();
    let region = par_code(&conn, Pays::MALI, Niveau::Region, "ML-1");
    let kayes = serveur.get(&format!("/collectivites/{}", region.id));
    assert_eq!(kayes.statut, 200);
    assert!(
        kayes
            .corps
            .contains("<h1>Kayes <span class=\"niveau\">Région</span></h1>")
    );
    assert!(kayes.corps.contains("Collectivités rattachées"));
    assert!(
        kayes
            .corps
            .contains(">Yélimané</a> <span class=\"niveau\">(Cercle)</span>")
    );
    assert!(kayes.corps.contains("<dd>ML-1</dd>"));
    assert!(
        kayes.corps.contains("4 partenariats."),
        "the région and its territory"
    );

    let conn = serveur.conn();
    // The Évry of the Essonne, merged in 2019 (the Évry of the Yonne still exists).
    let resolveur = benkan::referentiel::resolveur(&conn).unwrap();
    let requete = benkan::referentiel::Requete {
        texte: "Evry".into(),
        pays: Some(Pays::FRANCE),
        portee: benkan::referentiel::Portee::Niveau(Niveau::Commune),
        limite: 5,
    };
    let resolution = resolveur.resoudre(&requete).unwrap();
    let evry = resolution
        .candidats
        .iter()
        .find(|c| !c.unite.actuelle())
        .unwrap()
        .unite;
    let page = serveur.get(&format!("/collectivites/{}", evry.id));
    assert!(page.corps.contains("A existé jusqu'au"));
    assert!(page.corps.contains("31 décembre 2018"));
    assert!(
        page.corps
            .contains("depuis le 1er janvier 2019, elle fait partie de")
    );
    assert!(page.corps.contains(">Évry-Courcouronnes</a>"));
    assert!(page.corps.contains("Essonne"), "breadcrumb");
    assert!(page.corps.contains("1 partenariat."));
}

#[test]
fn a_collectivite_page_lists_its_most_recent_actions_and_counts_them_all() {
    let serveur = Serveur::demo();
    let conn = serveur.conn();
    let evry_kayes = evry_kayes(&conn);
    for n in 0..52 {
        action::creer(
            &conn,
            NouvelleAction {
                partenariat: evry_kayes,
                titre: format!("Action d'essai n° {n}"),
                description: None,
                axe: Axe::AppuiInstitutionnel,
                domaine: Domaine::GouvernanceLocale,
                nature: Nature::Institutionnelle,
                statut: StatutAction::Achevee,
                periode: Periode::new(time::Date::from_ordinal_date(1970 + n, 1).ok(), None)
                    .unwrap(),
                lieux: vec![],
                points: Vec::new(),
                localites: Vec::new(),
            },
        )
        .unwrap();
    }
    // the région holds the commune: its page counts all 52 and shows the 50 most recent
    let region = par_code(&conn, Pays::MALI, Niveau::Region, "ML-1");
    let page = serveur.get(&format!("/collectivites/{}", region.id));
    assert_eq!(page.statut, 200);
    assert!(
        page.corps
            .contains("52 actions ; les 50 plus récentes ci-dessous."),
        "{}",
        page.corps
    );
    assert!(page.corps.contains("Action d&#39;essai n° 51"));
    assert!(page.corps.contains("Action d&#39;essai n° 2<"));
    assert!(!page.corps.contains("Action d&#39;essai n° 1<"));
    let api = serveur.get(&format!("/api/v1/collectivites/{}", region.id));
    let fiche: serde_json::Value = serde_json::from_str(&api.corps).unwrap();
    assert_eq!(fiche["actions"].as_array().unwrap().len(), 50);
    assert_eq!(fiche["toutes_les_actions"]["total"], 52);
    let liste = serveur.get(&format!(
        "/api/v1/actions?collectivite={}&par_page=1",
        region.id
    ));
    let liste: serde_json::Value = serde_json::from_str(&liste.corps).unwrap();
    assert_eq!(liste["total"], 52);
}

#[test]
fn collectivites_can_be_browsed_and_searched() {
    let serveur = Serveur::demo();
    let index = serveur.get("/collectivites");
    assert_eq!(index.statut, 200);
    assert!(
        index
            .corps
            .contains(">Bamako</a> <span class=\"niveau\">(District)</span>")
    );
    assert!(index.corps.contains("Canada"));
    let france = serveur.get("/collectivites?pays=FR");
    assert!(france.corps.contains(">Île-de-France</a>"));
    assert!(
        france
            .corps
            .contains(">Rhône-Alpes</a> <span class=\"niveau\">(Région, France, ancienne)</span>")
    );

    let recherche = serveur.get("/collectivites?q=YELIMANE");
    assert!(
        recherche
            .corps
            .contains("1 collectivité et 6 localités, la plus probable d'abord."),
        "{}",
        recherche.corps
    );
    assert!(recherche.corps.contains(
        ">Yélimané</a> <span class=\"niveau\">(Cercle, Mali, ML-1-YELIMANE, Kayes)</span>"
    ));
    let tirets = serveur.get("/collectivites?q=D%C3%A9partement+Ille+%E2%80%93et+vilaine");
    assert!(
        tirets.corps.contains(">Ille-et-Vilaine</a>"),
        "the founding document's spelling finds it"
    );
    let homonymes = serveur.get("/collectivites?q=Montreuil&pays=FR");
    assert!(
        homonymes
            .corps
            .contains("Plusieurs sont également plausibles")
    );
    let ancienne = serveur.get("/collectivites?q=Rhone-Alpes");
    assert!(
        ancienne.corps.contains("— ancienne, devenue <a href="),
        "{}",
        ancienne.corps
    );
    assert!(ancienne.corps.contains(">Auvergne-Rhône-Alpes</a>"));
    let rien = serveur.get("/collectivites?q=Zzyzx");
    assert!(
        rien.corps
            .contains("Aucune collectivité ni localité connue ne ressemble à « Zzyzx »")
    );
    // A village leads to its commune's page, after the collectivités of its name.
    let conn = serveur.conn();
    let commune = par_code(
        &conn,
        Pays::MALI,
        Niveau::Commune,
        "ML-2-KATI-SANANKORO-DJITOUMOU",
    );
    let worofara = serveur.get("/collectivites?q=Worofara");
    assert!(
        worofara.corps.contains(&format!(
            "<li>Worofara <span class=\"niveau\">— localité de la <a href=\"/collectivites/{}\">\
             commune de Sanankoro Djitoumou</a> (cercle de Kati)</span> <span class=\"note\">— nom exact</span></li>",
            commune.id
        )),
        "{}",
        worofara.corps
    );
    assert!(
        worofara
            .corps
            .contains("7 localités, la plus probable d'abord.")
    );
    let kayes = serveur.get("/collectivites?q=Kayes&pays=ML");
    let region = kayes
        .corps
        .find(">Kayes</a> <span class=\"niveau\">(Région")
        .unwrap();
    let village = kayes
        .corps
        .find("<li>Kayes <span class=\"niveau\">— localité")
        .unwrap();
    assert!(region < village, "the collectivités first");
    assert!(
        serveur
            .get("/collectivites?q=Worofara&pays=FR")
            .corps
            .contains("Aucune collectivité ni localité connue")
    );

    // France is browsed région → département → commune.
    let conn = serveur.conn();
    let bretagne = par_code(&conn, Pays::FRANCE, Niveau::Region, "53");
    let page = serveur.get(&format!("/collectivites/{}", bretagne.id));
    assert!(
        page.corps
            .contains(">Ille-et-Vilaine</a> <span class=\"niveau\">(Département, France)</span>")
    );
    let ille = par_code(&conn, Pays::FRANCE, Niveau::Departement, "35");
    let page = serveur.get(&format!("/collectivites/{}", ille.id));
    assert!(
        page.corps
            .contains(">Rennes</a> <span class=\"niveau\">(Commune, France)</span>")
    );
    assert!(
        page.corps.contains("1 partenariat."),
        "the département's partnership with Mopti"
    );
    let rennes = par_code(&conn, Pays::FRANCE, Niveau::Commune, "35238");
    let page = serveur.get(&format!("/collectivites/{}", rennes.id));
    assert!(
        page.corps.contains("Membre de : <a href="),
        "its intercommunalité"
    );
    assert!(page.corps.contains("Population"));
}

#[test]
fn unknown_records_and_paths_are_404_pages_in_french() {
    let serveur = Serveur::demo();
    for chemin in [
        "/partenariats/999",
        "/collectivites/999999",
        "/actions/1",
        "/nulle-part",
        "/partenariats/1/rien",
    ] {
        let page = serveur.get(chemin);
        assert_eq!(page.statut, 404, "{chemin}");
        assert!(page.corps.contains("<h1>Page introuvable</h1>"), "{chemin}");
        assert!(page.corps.contains("lang=\"fr\""));
    }
    assert!(
        serveur
            .get("/partenariats/999")
            .corps
            .contains("Aucun partenariat ne porte le numéro 999.")
    );
}

#[test]
fn malformed_parameters_are_400_pages_that_say_what_was_expected() {
    let serveur = Serveur::demo();
    let cas = [
        ("/partenariats/abc", "« abc » n&#39;est pas un identifiant"),
        ("/partenariats/-3", "un nombre entier positif est attendu"),
        (
            "/collectivites/99999999999999999999",
            "n&#39;est pas un identifiant",
        ),
        ("/actions/1.5", "n&#39;est pas un identifiant"),
        ("/partenariats?page=0", "Paramètre « page »"),
        (
            "/partenariats?page=deux",
            "« deux » n&#39;est pas un numéro de page",
        ),
        (
            "/partenariats?etape=mariage",
            "valeurs attendues : amitie, jumelage_culturel",
        ),
        ("/partenariats?statut=ACTIF", "Paramètre « statut »"),
        (
            "/partenariats?pays=France",
            "n&#39;est pas un code pays ISO 3166-1",
        ),
        (
            "/partenariats?region=ML-99",
            "« ML-99 » n&#39;est le code d&#39;aucune région malienne",
        ),
        ("/collectivites?pays=1", "Paramètre « pays »"),
        ("/collectivites/1?page=-1", "Paramètre « page »"),
        ("/collectivites?q=Ka%01yes", "caractère de contrôle"),
        ("/partenariats?pays=%FF", "n&#39;est pas un code pays"),
        (
            "/partenariats?pays=FR&pays=ML",
            "Paramètre « pays » donné deux fois (« FR » et « ML »)",
        ),
    ];
    for (chemin, message) in cas {
        let page = serveur.get(chemin);
        assert_eq!(page.statut, 400, "{chemin}");
        assert!(
            page.corps.contains("<h1>Demande incorrecte</h1>"),
            "{chemin}"
        );
        assert!(page.corps.contains(message), "{chemin}: {}", page.corps);
    }
}

#[test]
fn user_supplied_text_is_escaped_everywhere() {
    let piege = "<script>alert('x')</script> & \"guillemets\"";
    let serveur = Serveur::demarrer(|conn| {
        let ml = collectivite(conn, "ML", Niveau::Commune, piege, None);
        let fr = collectivite(conn, "FR", Niveau::Commune, "Ville ordinaire", None);
        commun::partenariat(conn, piege, &[ml, fr]);
    });
    let echappe = "&#60;script&#62;alert(&#39;x&#39;)&#60;/script&#62; &#38; &#34;guillemets&#34;";
    for chemin in [
        "/",
        "/partenariats",
        "/partenariats/1",
        "/collectivites/1",
        "/collectivites?q=script",
    ] {
        let page = serveur.get(chemin);
        assert_eq!(page.statut, 200, "{chemin}");
        assert!(
            !page.corps.contains("<script"),
            "{chemin} lets a script through"
        );
        assert!(page.corps.contains(echappe), "{chemin}: {}", page.corps);
    }
    let recherche = serveur.get("/collectivites?q=%3Cscript%3E%22");
    assert!(!recherche.corps.contains("<script"));
    assert!(recherche.corps.contains("value=\"&#60;script&#62;&#34;\""));
}

#[test]
fn pages_are_light_and_carry_security_headers() {
    let serveur = Serveur::demo();
    let page = serveur.get("/partenariats");
    assert!(page.corps.len() < 20_000, "{} bytes", page.corps.len());
    assert!(!page.corps.contains("<script"), "no JavaScript is needed");
    assert!(
        !page.corps.contains("http://") && !page.corps.contains("https://"),
        "no external resource"
    );
    let csp = page.entete("content-security-policy").unwrap();
    assert!(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"));
    assert_eq!(page.entete("x-content-type-options"), Some("nosniff"));
    assert_eq!(page.entete("x-frame-options"), Some("DENY"));
    assert!(page.entete("referrer-policy").is_some());
    let css = serveur.get("/static/style.css");
    assert_eq!(css.statut, 200);
    assert!(css.entete("content-type").unwrap().starts_with("text/css"));
    assert!(css.entete("cache-control").unwrap().contains("max-age"));
}

#[test]
fn the_overview_of_the_demo_is_what_a_person_counts_in_the_founding_document() {
    let serveur = Serveur::demo();
    let json = serveur.get("/apercu.json?date=2026-01-01");
    assert_eq!(json.statut, 200);
    assert!(
        json.entete("content-type")
            .unwrap()
            .starts_with("application/json")
    );
    let a: serde_json::Value = serde_json::from_str(&json.corps).unwrap();
    assert_eq!(a["date"], "2026-01-01");
    // Nine active partnerships, eight with France and one with Canada (Sainte-Élisabeth).
    assert_eq!(a["partenariats_actifs"], 9);
    assert_eq!(a["par_pays"][0]["pays"], "FR");
    assert_eq!(a["par_pays"][0]["partenariats"], 8);
    assert_eq!(a["par_pays"][1]["pays"], "CA");
    assert_eq!(a["par_pays"][1]["partenariats"], 1);
    // Kayes: Évry (commune), Montreuil (cercle de Yélimané), Nord-Pas-de-Calais and
    // Île-de-France (région); Mopti: Maurepas (commune) and Ille-et-Vilaine (région);
    // Bamako, Koulikoro (Sanankoroba) and Tombouctou one each.
    let regions: Vec<(String, u64)> = a["par_region"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["code"].as_str().unwrap().to_owned(),
                r["partenariats"].as_u64().unwrap(),
            )
        })
        .collect();
    let attendu: Vec<(String, u64)> = [
        ("ML-1", 4),
        ("ML-5", 2),
        ("ML-BKO", 1),
        ("ML-2", 1),
        ("ML-6", 1),
    ]
    .iter()
    .map(|(c, n)| (c.to_string(), *n))
    .collect();
    assert_eq!(regions, attendu);
    assert_eq!(a["par_region"][0]["part_partenariats"], 0.4444);
    assert_eq!(a["actions"], 0, "the document lists no action");
    assert_eq!(
        a["etapes"][4],
        serde_json::json!({"etape": "non_renseignee", "libelle": "Non renseignée", "partenariats": 9, "part": 1.0})
    );
    assert_eq!(
        a["top_partenariats"][0]["montant_eur"],
        serde_json::Value::Null,
        "money unknown, not zero"
    );
    // Communes of Kayes, Mopti and Sanankoroba; 9 régions and the district, 5 of them involved.
    assert_eq!(a["couverture"]["avec_partenariat"], 3);
    assert_eq!(
        a["couverture"]["par_niveau"][0],
        serde_json::json!({"niveau": "region", "collectivites": 10, "avec_partenariat": 5, "part": 0.5})
    );
    let asymetries: Vec<&str> = a["asymetries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["titre"].as_str().unwrap())
        .collect();
    assert_eq!(
        asymetries,
        [
            "Montreuil – Yélimané",
            "Département d'Ille-et-Vilaine – Région de Mopti"
        ]
    );
    // Never confirmed, but recorded today: none has gone unconfirmed for more than a year.
    assert_eq!(a["qualite"]["partenariats_non_confirmes"]["total"], 0);

    let page = serveur.get("/apercu?date=2026-01-01");
    assert_eq!(page.statut, 200);
    assert!(page.corps.contains("Au 1er janvier 2026, benkan recense 9 partenariats de coopération décentralisée actifs avec des collectivités étrangères, dont 8 avec la France et 1 avec le Canada."));
    assert!(
        page.corps
            .contains("la région de Kayes est partie à 44\u{202F}% des partenariats")
    );
    assert!(
        page.corps.contains("<svg role=\"img\""),
        "charts are inline SVG"
    );
    assert!(page.corps.contains(
        "<title id=\"graphique-regions-titre\">Partenariats par région malienne</title>"
    ));
    assert!(
        !page.corps.contains("graphique-regions-actions"),
        "no action yet: no chart of actions, and the first chart keeps its subject"
    );
    assert!(
        page.corps
            .contains("<desc id=\"graphique-regions-desc\">Kayes : 4 (44\u{202F}%)"),
        "a text alternative"
    );
    assert!(
        page.corps.contains(">4 (44\u{202F}%)</text>"),
        "labels on the bars"
    );
    assert!(
        page.corps
            .contains("href=\"/apercu/regions.csv?date=2026-01-01\"")
    );
    assert!(page.corps.contains("<h2>Méthode</h2>"));

    let csv = serveur.get("/apercu/regions.csv?date=2026-01-01");
    assert_eq!(csv.statut, 200);
    assert!(
        csv.entete("content-disposition")
            .unwrap()
            .contains("benkan-regions-2026-01-01.csv")
    );
    assert!(csv.corps.starts_with("Collectivité,Code,Région,Partenariats,Part des partenariats,Actions,Part des actions\nKayes,ML-1,Kayes,4,0.4444,0,0\n"));

    let accueil = serveur.get("/");
    assert!(
        accueil
            .corps
            .contains("<strong>5</strong> régions maliennes concernées")
    );
    assert!(accueil.corps.contains("href=\"/apercu\""));
}

#[test]
fn the_printable_report_stands_alone() {
    let serveur = Serveur::demo();
    let rapport = serveur.get("/apercu/rapport.html?date=2026-01-01");
    assert_eq!(rapport.statut, 200);
    assert!(rapport.corps.starts_with("<!doctype html>"));
    assert!(rapport.corps.contains("<style>"), "its style is inline");
    for externe in ["http://", "https://", "<link", "<script", "src="] {
        assert!(!rapport.corps.contains(externe), "{externe} in the report");
    }
    assert!(
        rapport
            .corps
            .contains("9 partenariats de coopération décentralisée actifs")
    );
    assert!(
        rapport
            .entete("content-security-policy")
            .unwrap()
            .contains("style-src 'unsafe-inline'")
    );
}

#[test]
fn overview_parameters_are_checked() {
    let serveur = Serveur::demo();
    for (chemin, statut) in [
        ("/apercu?date=2026-02-30", 400),
        ("/apercu.json?date=hier", 400),
        ("/apercu/inconnu.csv", 404),
        ("/apercu/regions.txt", 404),
    ] {
        assert_eq!(serveur.get(chemin).statut, statut, "{chemin}");
    }
    assert!(
        serveur
            .get("/apercu?date=hier")
            .corps
            .contains("au format AAAA-MM-JJ")
    );
}

#[test]
fn the_open_data_page_offers_every_download() {
    let serveur = Serveur::demo();
    let page = serveur.get("/donnees");
    assert_eq!(page.statut, 200);
    assert_eq!(
        page.compte("<a href=\"/apercu/"),
        20,
        "nineteen tables and the report"
    );
    for chemin in ["/apercu.json", "/donnees/iati.xml", "/api/v1/openapi.json"] {
        assert!(page.corps.contains(&format!("href=\"{chemin}\"")));
    }
    let vide = serveur.get("/donnees/iati.xml");
    assert_eq!(vide.statut, 404, "the demonstration has no dated action");
    assert!(vide.corps.contains("le fichier IATI serait vide"));
    action_financee(&serveur);
    let iati = serveur.get("/donnees/iati.xml");
    assert_eq!(iati.statut, 200);
    assert!(
        iati.entete("content-type")
            .unwrap()
            .starts_with("application/xml")
    );
    assert!(
        iati.corps.contains("<iati-activity ")
            && iati
                .corps
                .contains("<sector vocabulary=\"1\" code=\"14030\"")
    );
}

#[test]
fn open_data_files_are_kept_until_the_data_changes() {
    let serveur = Serveur::demo();
    action_financee(&serveur);
    let premier = serveur.get("/donnees/iati.xml");
    assert_eq!(premier.statut, 200);
    assert!(premier.corps.contains("generated-datetime="));
    // A new file would carry a later generated-datetime (it has a one-second resolution).
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let second = serveur.get("/donnees/iati.xml");
    assert_eq!(premier.corps, second.corps, "unchanged data, the same file");
    // An NGO operator joins the partenariat: intermédiaires move the counter too.
    let conn = serveur.conn();
    let ong = acteur::creer(
        &conn,
        NouvelActeur {
            nom: "ONG d'essai".into(),
            type_organisation: TypeOrganisation::OngInternationale,
            identifiant_iati: None,
            pays: None,
            collectivite: None,
        },
    )
    .unwrap();
    let precedent = serveur.get("/donnees/iati.xml");
    assert_eq!(
        (precedent.corps.as_str(), precedent.entete("benkan-fichier")),
        (second.corps.as_str(), Some("precedent")),
        "the previous file at once, while the new one is prepared"
    );
    let avant = a_jour(&serveur, "/donnees/iati.xml");
    assert_ne!(second.corps, avant.corps, "a new acteur changes the data");
    assert!(!avant.corps.contains("ONG d&apos;essai"));
    partenariat::ajouter_intermediaire(
        &conn,
        evry_kayes(&conn),
        ong,
        RoleIntermediaire::OngOperatrice,
        None,
    )
    .unwrap();
    let apres = a_jour(&serveur, "/donnees/iati.xml");
    assert!(
        apres
            .corps
            .contains("role=\"4\">\n   <narrative xml:lang=\"fr\">ONG d&apos;essai"),
        "{}",
        apres.corps
    );
}

/// Downloads `chemin` until it describes the data as they are: after a change, the
/// previous file comes first while the new one is prepared in the background.
fn a_jour(serveur: &Serveur, chemin: &str) -> commun::Reponse {
    let debut = std::time::Instant::now();
    loop {
        let reponse = serveur.get(chemin);
        if reponse.entete("benkan-fichier") != Some("precedent") {
            return reponse;
        }
        assert!(debut.elapsed().as_secs() < 60, "{chemin} never rebuilt");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// What a developer writes and a ministry official should never read on a public page.
const JARGON: [&str; 8] = [
    "data/referentiel",
    "data/carte",
    "dans le dépôt",
    "docs/",
    "benkan import",
    "benkan export",
    "<td>region</td>",
    "<td>departement</td>",
];

#[test]
fn public_pages_are_written_for_a_ministry_official() {
    let serveur = Serveur::demo();
    let action = action_financee(&serveur);
    let conn = serveur.conn();
    let region = par_code(&conn, Pays::MALI, Niveau::Region, "ML-1");
    let cercle = par_code(&conn, Pays::MALI, Niveau::Cercle, "ML-1-KAYES");
    let commune = par_code(&conn, Pays::MALI, Niveau::Commune, "ML-1-KAYES-KAYES");
    let bamako = par_code(&conn, Pays::MALI, Niveau::District, "ML-BKO");
    let angers = par_code(&conn, Pays::FRANCE, Niveau::Commune, "49007");
    let partenariat = evry_kayes(&conn);
    let mut pages = vec![
        "/".to_owned(),
        "/apercu".to_owned(),
        "/apercu/rapport.html".to_owned(),
        "/partenariats".to_owned(),
        format!("/partenariats/{partenariat}"),
        "/collectivites".to_owned(),
        "/collectivites?pays=FR".to_owned(),
        "/collectivites?q=Kayes".to_owned(),
        format!("/actions/{action}"),
        "/donnees".to_owned(),
    ];
    for unite in [&region, &cercle, &commune, &bamako, &angers] {
        pages.push(format!("/collectivites/{}", unite.id));
    }
    for chemin in &pages {
        let page = serveur.get(chemin);
        assert_eq!(page.statut, 200, "{chemin}");
        for mot in JARGON {
            assert!(!page.corps.contains(mot), "{chemin} : « {mot} »");
        }
    }

    // Levels in the breadcrumbs.
    let kayes = serveur.get(&format!("/collectivites/{}", commune.id));
    assert!(
        kayes.corps.contains(&format!(
            "<a href=\"/collectivites/{}\">Région de Kayes</a> › <a href=\"/collectivites/{}\">Cercle de Kayes</a> ›",
            region.id, cercle.id
        )),
        "{}",
        kayes.corps
    );
    let angers = serveur.get(&format!("/collectivites/{}", angers.id));
    assert!(angers.corps.contains(">Pays de la Loire (région)</a> › "));
    assert!(angers.corps.contains(">Maine-et-Loire (département)</a> ›"));
    // Counts grouped by thousands, with a narrow no-break space.
    assert!(angers.corps.contains("159\u{202F}022 habitants"));
    let pays = serveur.get("/collectivites");
    assert!(
        pays.corps
            .contains("France <span class=\"niveau\">(38\u{202F}999)</span>"),
        "{}",
        pays.corps
    );
    // The district of Bamako is not called a région.
    let page = serveur.get(&format!("/collectivites/{}", bamako.id));
    assert!(
        page.corps
            .contains("Situation de Bamako (district) au Mali")
    );
    assert!(!page.corps.contains("Bamako (région)"));
    // The source said as a source, not as the path of a file.
    let page = serveur.get(&format!("/collectivites/{}", region.id));
    assert!(
        page.corps
            .contains("d&#39;après le projet libre geo-api-mali")
    );
    // Levels by their French names in the overview's tables.
    let apercu = serveur.get("/apercu");
    assert!(
        apercu
            .corps
            .contains("<td>Régions et district de Bamako</td>")
    );
    assert!(apercu.corps.contains("<td>région</td><td>département</td>"));
    // The open-data page explains its files itself.
    let donnees = serveur.get("/donnees");
    assert!(donnees.corps.contains("FR:commune-actuelle:49007"));
    assert!(donnees.corps.contains("href=\"/apercu#methode\""));
}

/// Issue 12, points 9 and 10: the overview sums francs and euros exactly and shows both,
/// puts its key figures first, and folds its detailed tables and white-zone lists.
#[test]
fn the_overview_shows_money_in_francs_and_euros_and_folds_its_tables() {
    let serveur = Serveur::demo();
    action_financee(&serveur);
    // Engagements: 15 000 € + 10 000 000 FCFA = 19 839 355 FCFA = 30 244,90 €.
    let json = serveur.get("/apercu.json");
    let a: serde_json::Value = serde_json::from_str(&json.corps).unwrap();
    assert_eq!(
        a["financements"],
        serde_json::json!({
            "montant_eur": 30244.9, "montant_xof": 19_839_355,
            "engagements_eur": 30244.9, "engagements_xof": 19_839_355,
            "decaissements_eur": 2500.5, "decaissements_xof": 1_640_220,
            "conversion_incomplete": false
        })
    );
    assert_eq!(a["top_partenariats"][0]["montant_xof"], 19_839_355);

    let page = serveur.get("/apercu");
    assert_eq!(page.statut, 200);
    let essentiel = page
        .corps
        .find("id=\"essentiel-titre\"")
        .expect("key figures");
    let carte = page.corps.find("carte-titre-section").unwrap();
    let tableaux = page.corps.find("id=\"tableaux-detailles\"").unwrap();
    assert!(
        essentiel < carte && carte < tableaux,
        "figures, then map, then tables"
    );
    assert!(page.corps.contains(
        "<strong>19\u{202F}839\u{202F}355\u{A0}FCFA</strong> mobilisés <span class=\"niveau\">(soit 30\u{202F}245\u{A0}€)"
    ));
    assert!(
        page.corps
            .contains("<td>19\u{202F}839\u{202F}355\u{A0}FCFA (30\u{202F}245\u{A0}€)</td>"),
        "a table cell in both currencies"
    );
    assert!(
        page.corps
            .contains("<details class=\"tableau\" id=\"zones_blanches\">")
    );
    assert!(
        page.corps
            .contains("<details class=\"tableau\" id=\"regions\">")
    );
    // White zones: a count per région, each list folded behind its own summary.
    assert!(
        page.corps
            .contains("<details class=\"liste-communes\"><summary>Voir les ")
    );
    // The CSV keeps its contract: euros with a decimal point.
    let csv = serveur.get("/apercu/top_partenariats.csv");
    assert!(
        csv.corps.contains(",30244.90,30244.90,2500.50,1\n"),
        "{}",
        csv.corps
    );
    // The printable report lays every table out, unfolded.
    let rapport = serveur.get("/apercu/rapport.html");
    assert!(!rapport.corps.contains("<details"));
    assert!(
        rapport
            .corps
            .contains("<section class=\"tableau\" id=\"zones_blanches\">")
    );
    assert!(rapport.corps.contains("19\u{202F}839\u{202F}355\u{A0}FCFA"));
}
