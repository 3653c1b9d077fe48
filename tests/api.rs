//! The JSON API's reads under /api/v1 against the real server: shapes checked against the
//! OpenAPI document, filters, paging, errors, ETag and CORS.

mod commun;

use std::collections::{BTreeSet, HashSet};

use benkan::model::{Etape, EtapeDatee, PartenariatId};
use benkan::store::partenariat;
use commun::api::*;
use commun::generateur_iati::{self, Genre};
use serde_json::Value;
use time::macros::date;

#[test]
fn every_documented_route_answers_with_its_documented_shape() {
    let d = donnees();
    let doc = lire(&d.s, "/api/v1/openapi.json");
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let chemins: Vec<&str> = doc["paths"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(chemins, ROUTES, "every route documented, and only those");
    let mut v = Validateur {
        doc: &doc,
        erreurs: vec![],
        vus: BTreeSet::new(),
    };
    for (chemin, operations) in doc["paths"].as_object().unwrap() {
        if ECRITURES_SEULES.contains(&chemin.as_str()) {
            assert!(
                operations["get"].is_null() && operations["post"].is_object(),
                "{chemin}"
            );
            continue;
        }
        let get = &operations["get"];
        assert!(get.is_object(), "{chemin} has a GET");
        let schema = &get["responses"]["200"]["content"]["application/json"]["schema"];
        assert!(schema.is_object(), "{chemin}: 200 schema");
        for code in ["304", "400", "404"] {
            assert!(
                get["responses"][code].is_object(),
                "{chemin}: {code} documented"
            );
        }
        let parametres: Vec<&Value> = get["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| parametre(&doc, p))
            .collect();
        // The path with its example id; then once with only the required parameters, and
        // once with every documented example.
        let mut url = chemin.clone();
        let mut requis = vec![];
        let mut exemples = vec![];
        for p in &parametres {
            let nom = p["name"].as_str().unwrap();
            let exemple = match &p["example"] {
                Value::String(t) => Some(t.clone()),
                Value::Null => None,
                autre => Some(autre.to_string()),
            };
            match (p["in"].as_str(), exemple) {
                (Some("path"), Some(e)) => url = url.replace(&format!("{{{nom}}}"), &e),
                (Some("path"), None) => panic!("{chemin}: path parameter {nom} without example"),
                (Some("query"), Some(e)) => {
                    if p["required"] == true {
                        requis.push((nom.to_owned(), e.clone()));
                    }
                    exemples.push((nom.to_owned(), e));
                }
                (Some("query"), None) => assert_ne!(p["required"], true, "{chemin}: {nom}"),
                autre => panic!("{chemin}: parameter {nom} in {autre:?}"),
            }
        }
        for requete in [requis, exemples] {
            let query = serde_urlencoded::to_string(&requete).unwrap();
            let adresse = if query.is_empty() {
                url.clone()
            } else {
                format!("{url}?{query}")
            };
            let corps = lire(&d.s, &adresse);
            v.valider(schema, &corps, &adresse);
        }
    }
    // The collectivité pages that have successors and predecessors, so that the
    // `Succession` schema meets real values.
    let (ancienne, nouvelle): (i64, i64) =
        d.s.conn()
            .query_row(
                "SELECT predecesseur_id, successeur_id FROM collectivite_successeur LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
    let fiche = &doc["paths"]["/api/v1/collectivites/{id}"]["get"]["responses"]["200"]["content"]["application/json"]
        ["schema"];
    for id in [ancienne, nouvelle] {
        let adresse = format!("/api/v1/collectivites/{id}");
        v.valider(fiche, &lire(&d.s, &adresse), &adresse);
    }
    // Every imported intervention, so that unlinked places and every kind of activity the
    // generator writes meet the schema.
    let fiche = &doc["paths"]["/api/v1/interventions/{id}"]["get"]["responses"]["200"]["content"]["application/json"]
        ["schema"];
    let interventions = ids(&lire(&d.s, "/api/v1/interventions?par_page=100")["elements"]);
    assert_eq!(interventions.len() as u64, d.interventions);
    for id in interventions {
        let adresse = format!("/api/v1/interventions/{id}");
        v.valider(fiche, &lire(&d.s, &adresse), &adresse);
    }
    // A localité among the candidates, with its commune as parent.
    let recherche = &doc["paths"]["/api/v1/recherche"]["get"]["responses"]["200"]["content"]["application/json"]
        ["schema"];
    let adresse = "/api/v1/recherche?q=Worofara";
    v.valider(recherche, &lire(&d.s, adresse), adresse);
    assert!(v.erreurs.is_empty(), "{:#?}", v.erreurs);
    let tous: BTreeSet<String> = doc["components"]["schemas"]
        .as_object()
        .unwrap()
        .keys()
        .filter(|k| *k != "Erreur" && !SCHEMAS_ECRITURE.contains(&k.as_str()))
        .cloned()
        .collect();
    let jamais: Vec<&String> = tous.difference(&v.vus).collect();
    assert!(
        jamais.is_empty(),
        "schemas never checked against a real body: {jamais:?}"
    );

    // Errors have the documented shape too.
    let schema_erreur = serde_json::json!({ "$ref": "#/components/schemas/Erreur" });
    for chemin in ["/api/v1/partenariats/999999", "/api/v1/actions?axe=x"] {
        let corps = requete(&d.s, "GET", chemin, &[]).json();
        v.valider(&schema_erreur, &corps, chemin);
    }
    assert!(v.erreurs.is_empty(), "{:#?}", v.erreurs);

    // The validator itself catches a renamed or missing field.
    let mut corps = lire(&d.s, "/api/v1/partenariats/1");
    let schema = serde_json::json!({ "$ref": "#/components/schemas/FichePartenariat" });
    let valeur = corps["titre"].take();
    corps.as_object_mut().unwrap().remove("titre");
    corps["intitule"] = valeur;
    v.valider(&schema, &corps, "renamed");
    assert_eq!(
        v.erreurs,
        [
            "renamed: field titre missing",
            "renamed: field intitule is not documented"
        ]
    );
}

#[test]
fn partenariats_filter_page_and_count_like_the_web_list() {
    let d = donnees();
    let tous = lire(&d.s, "/api/v1/partenariats?par_page=100");
    assert_eq!(tous["total"], 9, "nine public demonstration partenariats");
    let publics = ids(&tous["elements"]);
    assert!(
        !publics.contains(&d.partenariat_soumis.0),
        "a submitted one is not public"
    );
    erreur(
        &d.s,
        "GET",
        &format!("/api/v1/partenariats/{}", d.partenariat_soumis),
        404,
        "introuvable",
    );
    // Pages of 2 put together give the same order, and the last is short.
    let mut pages = vec![];
    for page in 1..=5 {
        let p = lire(
            &d.s,
            &format!("/api/v1/partenariats?par_page=2&page={page}"),
        );
        assert_eq!(
            (p["total"].as_u64(), p["pages"].as_u64()),
            (Some(9), Some(5))
        );
        assert_eq!(p["page"], page);
        pages.extend(ids(&p["elements"]));
    }
    assert_eq!(pages, publics);
    let apres = lire(&d.s, "/api/v1/partenariats?par_page=2&page=6");
    assert_eq!(apres["elements"].as_array().unwrap().len(), 0);
    assert_eq!(apres["total"], 9);
    // Filters, with the web page's names and meaning.
    let france = lire(&d.s, "/api/v1/partenariats?pays=FR&par_page=100");
    assert_eq!(france["total"], 8);
    for p in france["elements"].as_array().unwrap() {
        assert!(
            p["parties"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["pays"] == "FR")
        );
    }
    let kayes = lire(&d.s, "/api/v1/partenariats?region=ML-1&par_page=100");
    let n = kayes["total"].as_u64().unwrap();
    assert!((1..9).contains(&n), "{kayes}");
    assert_eq!(kayes["elements"].as_array().unwrap().len() as u64, n);
    for p in kayes["elements"].as_array().unwrap() {
        assert!(
            p["parties"].as_array().unwrap().iter().any(|c| c["code"]
                .as_str()
                .is_some_and(|code| code == "ML-1" || code.starts_with("ML-1-"))),
            "{p}"
        );
    }
    let amitie = lire(&d.s, "/api/v1/partenariats?etape=amitie");
    assert_eq!(amitie["total"], 1, "only Bamako – Angers has an étape");
    assert_eq!(amitie["elements"][0]["etape"], "amitie");
    assert_eq!(
        lire(&d.s, "/api/v1/partenariats?statut=termine")["total"],
        0
    );
    // The same counts as the web page.
    let web = d.s.get("/partenariats?pays=FR");
    assert!(web.corps.contains("8 partenariats"), "{}", web.corps);

    let fiche = lire(&d.s, "/api/v1/partenariats/1");
    assert_eq!(fiche["etapes"][0]["depuis"], "2001-05-01");
    assert_eq!(fiche["conventions"][0]["echeance"], "2013-03-15");
    assert_eq!(fiche["intermediaires"][0]["role"], "comite_jumelage");
    assert_eq!(
        ids(&fiche["actions"]),
        [d.action_bamako.0],
        "the submitted action is not public"
    );
    assert_eq!(
        fiche["totaux"][0]["montant"],
        serde_json::json!({ "unites_mineures": 1_234_567, "devise": "EUR", "decimales": 2 })
    );
}

#[test]
fn actions_and_collectivites_filter_and_page() {
    let d = donnees();
    let toutes = lire(&d.s, "/api/v1/actions");
    assert_eq!(
        ids(&toutes["elements"]),
        [d.action_bamako.0, d.action_kayes.0],
        "by id, public only"
    );
    assert_eq!(toutes["total"], 2);
    let compte = |requete: &str| lire(&d.s, &format!("/api/v1/actions?{requete}"))["total"].clone();
    assert_eq!(compte(&format!("partenariat={}", d.evry_kayes)), 1);
    assert_eq!(compte("domaine=education"), 1);
    assert_eq!(compte("axe=services_sociaux_de_base"), 2);
    assert_eq!(compte("axe=appui_institutionnel"), 0);
    assert_eq!(compte("statut=achevee"), 1);
    assert_eq!(compte(&format!("collectivite={}", d.region_kayes)), 1);
    assert_eq!(compte(&format!("collectivite={}", d.bamako)), 1);
    assert_eq!(compte("par_page=1&page=2"), 2);
    let deuxieme = lire(&d.s, "/api/v1/actions?par_page=1&page=2");
    assert_eq!(deuxieme["elements"][0]["id"], d.action_kayes.0);
    assert_eq!(deuxieme["pages"], 2);
    erreur(
        &d.s,
        "GET",
        &format!("/api/v1/actions/{}", d.action_soumise),
        404,
        "introuvable",
    );
    let fiche = lire(&d.s, &format!("/api/v1/actions/{}", d.action_bamako));
    assert_eq!(fiche["code_cad"], "14030");
    assert_eq!(fiche["lieux"][0]["code"], "ML-BKO");
    assert_eq!(
        fiche["financements"][0]["montant"]["unites_mineures"],
        1_234_567
    );
    assert_eq!(fiche["partenariat"]["titre"], "Bamako – Angers");

    let regions = lire(&d.s, "/api/v1/collectivites?pays=ML&niveau=region");
    assert_eq!(
        regions["total"], 9,
        "nine Malian régions, Bamako is a district"
    );
    let cercles = lire(
        &d.s,
        &format!(
            "/api/v1/collectivites?parent={}&niveau=cercle",
            d.region_kayes
        ),
    );
    assert_eq!(cercles["total"], 7, "the seven cercles of Kayes");
    for c in cercles["elements"].as_array().unwrap() {
        assert_eq!(c["parent_id"], d.region_kayes.0);
    }
    let noms: Vec<&str> = cercles["elements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["nom"].as_str().unwrap())
        .collect();
    let mut tries = noms.clone();
    tries.sort_by_key(|n| benkan::model::nom::normaliser(n));
    assert_eq!(noms, tries, "by name");
    let trouvees = lire(&d.s, "/api/v1/collectivites?q=region%20de%20kayes");
    assert_eq!(trouvees["elements"][0]["id"], d.region_kayes.0);
    let en_france = lire(&d.s, "/api/v1/collectivites?q=Kayes&pays=FR");
    assert!(
        en_france["elements"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["pays"] == "FR")
    );
    let fiche = lire(&d.s, &format!("/api/v1/collectivites/{}", d.region_kayes));
    assert_eq!(fiche["collectivite"]["code"], "ML-1");
    assert_eq!(fiche["enfants"].as_array().unwrap().len(), 7);
    assert!(fiche["partenariats"]["total"].as_u64().unwrap() >= 1);
    assert_eq!(fiche["actions"][0]["id"], d.action_kayes.0);
}

#[test]
fn interventions_filter_page_and_carry_their_codes() {
    let d = donnees();
    let kept = |garder: &dyn Fn(usize) -> bool| {
        (0..generateur_iati::GENRES.len())
            .filter(|i| generateur_iati::genre(*i) != Genre::HorsMali && garder(*i))
            .count() as u64
    };
    assert_eq!(d.interventions, kept(&|_| true));
    let toutes = lire(&d.s, "/api/v1/interventions?par_page=100");
    assert_eq!(toutes["total"], d.interventions);
    let toutes_ids = ids(&toutes["elements"]);
    // The most recent start first, then by id: pages of 3 walk them once, in that order.
    let debuts: Vec<&str> = toutes["elements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["debut"].as_str().unwrap())
        .collect();
    assert!(debuts.windows(2).all(|p| p[0] >= p[1]), "{debuts:?}");
    let mut pages = vec![];
    for page in 1..=3 {
        let p = lire(
            &d.s,
            &format!("/api/v1/interventions?par_page=3&page={page}"),
        );
        assert_eq!(p["pages"], 3);
        pages.extend(ids(&p["elements"]));
    }
    assert_eq!(pages, toutes_ids);

    let compte = |requete: &str| {
        lire(&d.s, &format!("/api/v1/interventions?{requete}"))["total"]
            .as_u64()
            .unwrap()
    };
    // The région of Kayes: its own places and those of the cercle of Yélimané under it.
    let kayes = [
        Genre::Kayes,
        Genre::Yelimane,
        Genre::SansPays,
        Genre::PaysTransaction,
    ];
    let de_kayes = kept(&|i| kayes.contains(&generateur_iati::genre(i)));
    assert_eq!(
        compte(&format!("collectivite={}", d.region_kayes)),
        de_kayes
    );
    let liste = lire(
        &d.s,
        &format!("/api/v1/interventions?collectivite={}", d.region_kayes),
    );
    for i in liste["elements"].as_array().unwrap() {
        assert!(
            i["lieux"]
                .as_array()
                .unwrap()
                .iter()
                .all(|c| c["id"] == d.region_kayes.0
                    || c["code"].as_str().unwrap().starts_with("ML-1-")),
            "only the places within the zone: {i}"
        );
    }
    let bamako = [Genre::Bamako, Genre::CodeBamako];
    assert_eq!(
        compte(&format!("collectivite={}", d.bamako)),
        kept(&|i| bamako.contains(&generateur_iati::genre(i)))
    );
    // The collectivité page and the API count the same, and its fiche leads to the list.
    let page = d.s.get(&format!("/collectivites/{}", d.region_kayes));
    assert!(
        page.corps.contains(&format!("{de_kayes} interventions")),
        "{}",
        page.corps
    );
    let fiche = lire(&d.s, &format!("/api/v1/collectivites/{}", d.region_kayes));
    assert_eq!(fiche["interventions"]["total"], de_kayes);
    let adresse = fiche["interventions"]["liste"].as_str().unwrap();
    assert_eq!(lire(&d.s, adresse)["total"], de_kayes);
    let francaise = lire(&d.s, "/api/v1/collectivites/18379");
    assert_eq!(francaise["interventions"]["total"], 0);

    // The generator's status is 1 + i % 4; every activity has sectors 14030 and 15112.
    assert_eq!(compte("statut=2"), kept(&|i| 1 + i % 4 == 2));
    assert_eq!(compte("statut=4"), kept(&|i| 1 + i % 4 == 4));
    for secteur in ["14030", "140", "15112", "151"] {
        assert_eq!(compte(&format!("secteur={secteur}")), d.interventions);
    }
    assert_eq!(compte("secteur=11220"), 0);
    assert_eq!(compte("secteur=112"), 0);
    // The publisher, or a participating organisation (the funder is XM-FUNDER-{i % 7}).
    assert_eq!(compte("organisation=XM-BENKAN-API"), d.interventions);
    assert_eq!(compte("organisation=XM-FUNDER-0"), kept(&|i| i % 7 == 0));
    assert_eq!(compte("organisation=XM-INCONNU"), 0);
    assert_eq!(
        compte(&format!("statut=1&collectivite={}", d.region_kayes)),
        kept(&|i| 1 + i % 4 == 1 && kayes.contains(&generateur_iati::genre(i)))
    );
    let message = erreur(
        &d.s,
        "GET",
        "/api/v1/interventions?statut=9",
        400,
        "parametre_invalide",
    );
    assert!(
        message.contains("« statut »") && message.contains("2 (Actif)"),
        "{message}"
    );
    let message = erreur(
        &d.s,
        "GET",
        "/api/v1/interventions?secteur=14",
        400,
        "parametre_invalide",
    );
    assert!(
        message.contains("« 14 »") && message.contains("5 chiffres"),
        "{message}"
    );
    erreur(
        &d.s,
        "GET",
        "/api/v1/interventions?collectivite=x",
        400,
        "parametre_invalide",
    );
    erreur(
        &d.s,
        "GET",
        "/api/v1/interventions?region=ML-1",
        400,
        "parametre_invalide",
    );

    // Activity 0 is set in « Kayes », which links to the région; its codes carry their labels.
    let premiere = generateur_iati::identifiant(PREFIXE_IATI, 0);
    let id: i64 =
        d.s.conn()
            .query_row(
                "SELECT id FROM intervention WHERE identifiant_iati = ?1",
                [&premiere],
                |r| r.get(0),
            )
            .unwrap();
    let f = lire(&d.s, &format!("/api/v1/interventions/{id}"));
    assert_eq!(f["identifiant_iati"], premiere.as_str());
    assert_eq!(f["version_iati"], "2.03");
    assert_eq!(f["titre"]["langue"], "fr");
    assert_eq!(f["editeur"]["reference"], "XM-BENKAN-API");
    assert_eq!(f["editeur"]["type"]["code"], "10");
    assert_eq!(
        f["statut"],
        serde_json::json!({ "code": "1", "libelle": "Planification" })
    );
    assert_eq!(f["dates"]["debut_prevu"], "2010-01-15");
    assert_eq!(f["dates"]["debut_reel"], "2010-02-01");
    assert_eq!(f["pourcentage_mali"], "100");
    assert_eq!(f["lieux"][0]["nom"], "Kayes");
    assert_eq!(f["lieux"][0]["collectivite"]["id"], d.region_kayes.0);
    assert_eq!(f["lieux"][0]["collectivites"][0]["id"], d.region_kayes.0);
    assert_eq!(f["lieux"][0]["methode"], "nom");
    assert!(f["lieux"][0]["motif"].is_null());
    assert_eq!(
        f["lieux"][0]["point"],
        serde_json::json!({ "latitude": 14.45, "longitude": -11.43 })
    );
    assert_eq!(f["lieux"][0]["portee"], "1");
    assert_eq!(f["secteurs"][0]["vocabulaire"]["code"], "1");
    assert_eq!(f["secteurs"][0]["code"], "14030");
    assert!(
        f["secteurs"][0]["libelle"]
            .as_str()
            .unwrap()
            .contains("eau potable")
    );
    assert_eq!(f["secteurs"][1]["pourcentage"], "40");
    assert_eq!(f["participants"][0]["role"]["libelle"], "Financement");
    assert_eq!(f["participants"][0]["reference"], "XM-FUNDER-0");
    assert_eq!(
        f["transactions"][0]["type"],
        serde_json::json!({ "code": "2", "libelle": "Engagement sortant" })
    );
    assert_eq!(
        f["transactions"][0]["valeur"],
        serde_json::json!({ "unites_mineures": 25_000_000, "devise": "XOF", "decimales": 0 })
    );
    assert_eq!(f["transactions"][1]["date"], "2021-06-30");
    assert_eq!(f["fichier"], "mali.xml");
    assert_eq!(
        f["d_portal"],
        format!("https://d-portal.org/q.html?aid={premiere}")
    );
    // What the web page shows.
    let web = d.s.get(&format!("/interventions/{id}"));
    assert!(web.corps.contains(&premiere));
    assert!(web.corps.contains(f["d_portal"].as_str().unwrap()));
    // An unplaced activity keeps its name, unlinked.
    let inconnue = toutes["elements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["lieux"].as_array().unwrap().is_empty())
        .expect("an activity whose place is unknown");
    let f = lire(&d.s, &format!("/api/v1/interventions/{}", inconnue["id"]));
    assert!(f["lieux"][0]["collectivite"].is_null(), "{f}");
    assert_eq!(f["lieux"][0]["collectivites"], serde_json::json!([]));
    assert!(f["lieux"][0]["methode"].is_null());
    assert!(
        ["inconnu", "ambigu"].contains(&f["lieux"][0]["motif"].as_str().unwrap()),
        "{f}"
    );
    erreur(
        &d.s,
        "GET",
        "/api/v1/interventions/9999",
        404,
        "introuvable",
    );
    erreur(
        &d.s,
        "GET",
        "/api/v1/interventions/0",
        400,
        "parametre_invalide",
    );
}

#[test]
fn recherche_and_apercu_say_what_the_cli_and_the_web_say() {
    let d = donnees();
    let api = lire(&d.s, "/api/v1/recherche?q=Montreuil&pays=FR");
    let cli = std::process::Command::new(env!("CARGO_BIN_EXE_benkan"))
        .args(["resolve", "Montreuil", "--country", "FR", "--json", "--db"])
        .arg(d.s.store.chemin())
        .output()
        .unwrap();
    assert!(cli.status.success());
    let cli: Value = serde_json::from_slice(&cli.stdout).unwrap();
    assert_eq!(api, cli);
    assert_eq!(
        api.as_array().unwrap().len(),
        5,
        "five by default, as the CLI"
    );
    assert_eq!(
        lire(&d.s, "/api/v1/recherche?q=Kayes&limite=2")
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // The villages of Mali, with their commune.
    let api = lire(&d.s, "/api/v1/recherche?q=Somadougou&niveau=localite");
    let cli = std::process::Command::new(env!("CARGO_BIN_EXE_benkan"))
        .args([
            "resolve",
            "Somadougou",
            "--level",
            "localite",
            "--json",
            "--db",
        ])
        .arg(d.s.store.chemin())
        .output()
        .unwrap();
    assert!(cli.status.success());
    assert_eq!(api, serde_json::from_slice::<Value>(&cli.stdout).unwrap());
    let premier = &api[0];
    assert_eq!(
        (&premier["level"], &premier["code"], &premier["name"]),
        (
            &"localite".into(),
            &"ML010512014".into(),
            &"Somadougou".into()
        )
    );
    assert_eq!(premier["parent"], "Kassaro");
    assert_eq!(premier["parent_code"], "ML-1-KITA-KASSARO");
    assert!(premier["id"].is_null(), "a village is not a collectivité");
    assert_eq!(premier["ambiguous"], true);
    let commune = lire(
        &d.s,
        &format!("/api/v1/collectivites/{}", premier["parent_id"]),
    );
    assert_eq!(commune["collectivite"]["nom"], "Kassaro");
    assert!(
        api.as_array()
            .unwrap()
            .iter()
            .all(|c| c["level"] == "localite")
    );
    let erreur = requete(&d.s, "GET", "/api/v1/recherche?q=Kayes&niveau=village", &[]);
    assert_eq!(erreur.statut, 400);
    let message = erreur.json()["message"].as_str().unwrap().to_owned();
    assert!(message.contains("localite"), "{message}");

    let api = lire(&d.s, "/api/v1/apercu?date=2024-12-31");
    let web: Value = serde_json::from_str(&d.s.get("/apercu.json?date=2024-12-31").corps).unwrap();
    assert_eq!(api, web);
    assert_eq!(api["date"], "2024-12-31");
}

#[test]
fn errors_are_json_and_name_what_was_wrong() {
    let d = donnees();
    let s = &d.s;
    let m = erreur(s, "GET", "/api/v1/partenariats/999999", 404, "introuvable");
    assert!(m.contains("999999"), "{m}");
    for (chemin, mots) in [
        (
            "/api/v1/partenariats/abc",
            &["abc", "entier positif"] as &[&str],
        ),
        ("/api/v1/partenariats/0", &["« 0 »"]),
        ("/api/v1/actions/-3", &["-3"]),
        (
            "/api/v1/partenariats?etape=mariage",
            &["etape", "mariage", "amitie"],
        ),
        ("/api/v1/partenariats?region=ML-99", &["region", "ML-99"]),
        ("/api/v1/partenariats?pays=France", &["pays", "France"]),
        (
            "/api/v1/partenariats?par_page=101",
            &["par_page", "101", "1 à 100"],
        ),
        ("/api/v1/partenariats?page=0", &["page", "« 0 »"]),
        ("/api/v1/partenariats?paays=FR", &["paays", "pays, region"]),
        ("/api/v1/actions?collectivite=x", &["collectivite", "« x »"]),
        ("/api/v1/collectivites?parent=-1", &["parent", "-1"]),
        ("/api/v1/collectivites?niveau=ville", &["niveau", "ville"]),
        ("/api/v1/recherche", &["q", "manquant"]),
        ("/api/v1/recherche?q=Kayes&limite=0", &["limite", "« 0 »"]),
        (
            "/api/v1/apercu?date=2024-02-30",
            &["date", "2024-02-30", "AAAA-MM-JJ"],
        ),
        ("/api/v1/apercu?date=2024-02-28&x=1", &["« x »"]),
        ("/api/v1/collectivites?q=%FF", &["« q »"]),
        (
            "/api/v1/partenariats?statut=actif&statut=termine",
            &["« statut »", "deux fois"],
        ),
    ] {
        let message = erreur(s, "GET", chemin, 400, "parametre_invalide");
        for mot in mots {
            assert!(message.contains(mot), "{chemin}: « {message} » lacks {mot}");
        }
    }
    let m = erreur(s, "GET", "/api/v1/nulle-part", 404, "introuvable");
    assert!(
        m.contains("/api/v1/nulle-part") && m.contains("openapi.json"),
        "{m}"
    );
    erreur(s, "GET", "/api/v1", 404, "introuvable");
    erreur(
        s,
        "GET",
        "/api/v1/partenariats/1/conventions",
        404,
        "introuvable",
    );
    for methode in ["PUT", "DELETE", "PATCH"] {
        let m = erreur(
            s,
            methode,
            "/api/v1/partenariats",
            405,
            "methode_non_autorisee",
        );
        assert!(m.contains("GET") && m.contains("POST"), "{m}");
    }
    erreur(
        s,
        "POST",
        "/api/v1/collectivites",
        405,
        "methode_non_autorisee",
    );
    erreur(
        s,
        "GET",
        "/api/v1/partenariats/1/actions",
        405,
        "methode_non_autorisee",
    );
    // The site's own pages still answer in HTML.
    let page = s.get("/partenariats/999999");
    assert_eq!(page.statut, 404);
    assert!(page.corps.contains("<html"));
}

#[test]
fn reads_carry_a_strong_etag_and_answer_304() {
    let d = donnees();
    let s = &d.s;
    for chemin in ROUTES.iter().filter(|r| !ECRITURES_SEULES.contains(r)) {
        let chemin = chemin.replace("{id}", "1");
        let chemin = if chemin.ends_with("recherche") {
            format!("{chemin}?q=Kayes")
        } else {
            chemin
        };
        let r = requete(s, "GET", &chemin, &[]);
        assert_eq!(r.statut, 200, "{chemin}");
        let etag = r
            .entete("etag")
            .unwrap_or_else(|| panic!("{chemin}: no ETag"))
            .to_owned();
        assert!(
            etag.starts_with('"') && etag.ends_with('"') && etag.len() > 20,
            "{etag}"
        );
        let encore = requete(s, "GET", &chemin, &[("If-None-Match", &etag)]);
        assert_eq!(encore.statut, 304, "{chemin}");
        assert!(encore.octets.is_empty());
        assert_eq!(encore.entete("etag"), Some(etag.as_str()));
        let autre = requete(s, "GET", &chemin, &[("If-None-Match", "\"autre\"")]);
        assert_eq!(autre.statut, 200);
        assert_eq!(autre.octets, r.octets, "{chemin}: same body, same tag");
        let tete = requete(s, "HEAD", &chemin, &[]);
        assert_eq!(
            (tete.statut, tete.entete("etag")),
            (200, Some(etag.as_str()))
        );
        assert!(tete.octets.is_empty());
    }
    // A change of the record changes the tag.
    let avant = requete(s, "GET", "/api/v1/partenariats/1", &[]);
    let etag = avant.entete("etag").unwrap().to_owned();
    partenariat::ajouter_etape(
        &s.conn(),
        PartenariatId(1),
        EtapeDatee {
            etape: Etape::JumelageCooperation,
            depuis: date!(2005 - 01 - 01),
            note: None,
        },
    )
    .unwrap();
    let apres = requete(
        s,
        "GET",
        "/api/v1/partenariats/1",
        &[("If-None-Match", &etag)],
    );
    assert_eq!(apres.statut, 200);
    assert_ne!(apres.entete("etag"), Some(etag.as_str()));
    // A compressed body has its own strong tag, and that tag gives a 304 too.
    let gz = requete(
        s,
        "GET",
        "/api/v1/openapi.json",
        &[("Accept-Encoding", "gzip")],
    );
    assert_eq!(gz.entete("content-encoding"), Some("gzip"));
    let etag_gz = gz.entete("etag").unwrap().to_owned();
    assert!(etag_gz.ends_with("-gzip\""), "{etag_gz}");
    let simple = requete(s, "GET", "/api/v1/openapi.json", &[]);
    assert_ne!(simple.entete("etag"), Some(etag_gz.as_str()));
    let reprise = requete(
        s,
        "GET",
        "/api/v1/openapi.json",
        &[("Accept-Encoding", "gzip"), ("If-None-Match", &etag_gz)],
    );
    assert_eq!(
        (reprise.statut, reprise.entete("etag")),
        (304, Some(etag_gz.as_str()))
    );
    // Errors carry no ETag.
    assert!(
        requete(s, "GET", "/api/v1/partenariats/999999", &[])
            .entete("etag")
            .is_none()
    );
}

#[test]
fn cors_is_open_for_reads_and_the_security_headers_stay() {
    let d = donnees();
    let s = &d.s;
    let r = requete(
        s,
        "GET",
        "/api/v1/partenariats",
        &[("Origin", "https://exemple.org")],
    );
    assert_eq!(r.entete("access-control-allow-origin"), Some("*"));
    assert!(
        r.entete("access-control-expose-headers")
            .unwrap()
            .contains("etag")
    );
    for (nom, valeur) in [
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
    ] {
        assert_eq!(r.entete(nom), Some(valeur));
    }
    assert!(r.entete("content-security-policy").is_some());
    let erreur = requete(
        s,
        "GET",
        "/api/v1/partenariats/0",
        &[("Origin", "https://exemple.org")],
    );
    assert_eq!(erreur.entete("access-control-allow-origin"), Some("*"));
    let avant_vol = requete(
        s,
        "OPTIONS",
        "/api/v1/partenariats/1",
        &[
            ("Origin", "https://exemple.org"),
            ("Access-Control-Request-Method", "GET"),
            ("Access-Control-Request-Headers", "if-none-match"),
        ],
    );
    assert!(
        (200..300).contains(&avant_vol.statut),
        "{}",
        avant_vol.statut
    );
    assert_eq!(avant_vol.entete("access-control-allow-origin"), Some("*"));
    let methodes = avant_vol
        .entete("access-control-allow-methods")
        .unwrap()
        .to_owned();
    let methodes: HashSet<&str> = methodes.split(',').map(str::trim).collect();
    assert!(methodes.contains("GET") && methodes.contains("HEAD") && !methodes.contains("POST"));
    assert!(
        avant_vol
            .entete("access-control-allow-headers")
            .unwrap()
            .contains("if-none-match")
    );
    // The site's pages are not opened to other origins.
    let page = requete(
        s,
        "GET",
        "/partenariats",
        &[("Origin", "https://exemple.org")],
    );
    assert!(page.entete("access-control-allow-origin").is_none());
}

/// Each filter of the list of actions, alone and with a zone, gives the public actions SQL
/// selects, in id order, over pages, with their total (kept counts for the criteria alone).
#[test]
fn every_filter_of_the_list_of_actions_gives_what_sql_selects() {
    use benkan::model::{
        Axe, Code, Domaine, Nature, Niveau, NouvelleAction, Periode, StatutAction,
    };
    let s = commun::Serveur::demo();
    let conn = s.conn();
    // twelve actions of two partenariats, in every mix of the criteria, one of them private
    let kayes = commun::collectivite(&conn, "ML", Niveau::Commune, "Kayes-essai", None);
    let lyon = commun::collectivite(&conn, "FR", Niveau::Commune, "Lyon-essai", None);
    let segou = commun::collectivite(&conn, "ML", Niveau::Commune, "Ségou-essai", None);
    let p1 = commun::partenariat(&conn, "Essai 1", &[kayes, lyon]);
    let p2 = commun::partenariat(&conn, "Essai 2", &[segou, lyon]);
    for i in 0..12 {
        let action = NouvelleAction {
            partenariat: if i % 3 == 0 { p2 } else { p1 },
            titre: format!("Action d'essai {i}"),
            description: None,
            axe: Axe::TOUS[i % Axe::TOUS.len()],
            domaine: Domaine::TOUS[i % 4],
            nature: Nature::Physique,
            statut: StatutAction::TOUS[i % StatutAction::TOUS.len()],
            periode: Periode::inconnue(),
            lieux: vec![],
            points: vec![],
            localites: vec![],
        };
        let id = benkan::store::action::creer(&conn, action).unwrap();
        if i == 7 {
            conn.execute(
                "UPDATE action SET validation = 'soumis' WHERE id = ?1",
                [id.0],
            )
            .unwrap();
        }
    }
    let attendus = |condition: &str| -> Vec<i64> {
        let mut stmt = conn
            .prepare(&format!(
                "SELECT a.id FROM action_publiee a WHERE {condition} ORDER BY a.id"
            ))
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let (partenariat, collectivite) = (p1.0, kayes.0);
    let zone = format!(
        "a.id IN (SELECT action_id FROM action_zone WHERE collectivite_id = {collectivite})"
    );
    let cas = [
        ("", "1".to_owned()),
        (
            "axe=services_sociaux_de_base",
            "a.axe = 'services_sociaux_de_base'".to_owned(),
        ),
        (
            "domaine=eau_assainissement",
            "a.domaine = 'eau_assainissement'".to_owned(),
        ),
        ("statut=en_cours", "a.statut = 'en_cours'".to_owned()),
        (
            "axe=appui_institutionnel&statut=prevue",
            "a.axe = 'appui_institutionnel' AND a.statut = 'prevue'".to_owned(),
        ),
        (
            &*format!("partenariat={partenariat}"),
            format!("a.partenariat_id = {partenariat}"),
        ),
        (&*format!("collectivite={collectivite}"), zone.clone()),
        (
            &*format!("collectivite={collectivite}&statut=en_cours"),
            format!("{zone} AND a.statut = 'en_cours'"),
        ),
    ];
    for (parametres, condition) in &cas {
        let attendu = attendus(condition);
        let mut lus = Vec::new();
        for page in 1.. {
            let v = commun::api::lire(
                &s,
                &format!("/api/v1/actions?{parametres}&par_page=3&page={page}"),
            );
            assert_eq!(v["total"], attendu.len(), "{parametres}");
            let ids = commun::api::ids(&v["elements"]);
            if ids.is_empty() {
                break;
            }
            lus.extend(ids);
        }
        assert_eq!(lus, attendu, "{parametres}");
    }
}
