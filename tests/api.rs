//! The JSON API under /api/v1 against the real server: shapes checked against the OpenAPI
//! document, filters, paging, errors, ETag and CORS.

mod commun;

use std::collections::{BTreeSet, HashSet};

use benkan::model::{
    ActionId, Axe, CollectiviteId, Devise, Domaine, Etape, EtapeDatee, Montant, Nature,
    NouveauFinancement, NouveauPartenariat, NouvelActeur, NouvelleAction, NouvelleConvention,
    PartenariatId, Pays, Periode, Reconduction, RoleIntermediaire, StatutAction, StatutPartenariat,
    TypeFinancement, TypeOrganisation, Validation,
};
use benkan::store::{acteur, action, financement, partenariat};
use commun::{Serveur, par_code};
use serde_json::Value;
use time::macros::date;

/// Every path the API serves; the OpenAPI document must describe exactly these.
const ROUTES: &[&str] = &[
    "/api/v1/actions",
    "/api/v1/actions/{id}",
    "/api/v1/actions/{id}/financements",
    "/api/v1/apercu",
    "/api/v1/collectivites",
    "/api/v1/collectivites/{id}",
    "/api/v1/openapi.json",
    "/api/v1/partenariats",
    "/api/v1/partenariats/{id}",
    "/api/v1/partenariats/{id}/actions",
    "/api/v1/recherche",
];

/// The routes that only write (POST with a token).
const ECRITURES_SEULES: &[&str] = &[
    "/api/v1/actions/{id}/financements",
    "/api/v1/partenariats/{id}/actions",
];

/// The schemas of writes' bodies and answers, checked by the writes' test.
const SCHEMAS_ECRITURE: &[&str] = &[
    "Cree",
    "DeclarationAction",
    "DeclarationPartenariat",
    "FinancementAjoute",
    "MontantSaisi",
    "NouveauFinancement",
];

struct Reponse {
    statut: u16,
    entetes: Vec<(String, String)>,
    octets: Vec<u8>,
}

impl Reponse {
    fn entete(&self, nom: &str) -> Option<&str> {
        self.entetes
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(nom))
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.octets)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.octets)))
    }
}

/// Any method, any headers; the body is read as bytes (it may be compressed).
fn requete(s: &Serveur, methode: &str, chemin: &str, entetes: &[(&str, &str)]) -> Reponse {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let mut r = ureq::http::Request::builder()
        .method(methode)
        .uri(format!("http://{}{chemin}", s.adresse));
    for (nom, valeur) in entetes {
        r = r.header(*nom, *valeur);
    }
    let mut reponse = agent.run(r.body(()).unwrap()).unwrap();
    Reponse {
        statut: reponse.status().as_u16(),
        entetes: reponse
            .headers()
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_str().unwrap_or_default().to_owned()))
            .collect(),
        octets: reponse.body_mut().read_to_vec().unwrap(),
    }
}

fn lire(s: &Serveur, chemin: &str) -> Value {
    let r = requete(s, "GET", chemin, &[]);
    assert_eq!(
        r.statut,
        200,
        "{chemin}: {}",
        String::from_utf8_lossy(&r.octets)
    );
    assert_eq!(
        r.entete("content-type"),
        Some("application/json; charset=utf-8"),
        "{chemin}"
    );
    r.json()
}

/// A JSON error with its status; returns the message.
fn erreur(s: &Serveur, methode: &str, chemin: &str, statut: u16, code: &str) -> String {
    let r = requete(s, methode, chemin, &[]);
    assert_eq!(r.statut, statut, "{methode} {chemin}");
    assert_eq!(
        r.entete("content-type"),
        Some("application/json; charset=utf-8"),
        "{methode} {chemin}"
    );
    let corps = r.json();
    assert_eq!(corps["error"], code, "{methode} {chemin}: {corps}");
    assert_eq!(
        corps.as_object().unwrap().len(),
        2,
        "only error and message: {corps}"
    );
    corps["message"].as_str().unwrap().to_owned()
}

/// The demonstration data, with what its records lack added to « Bamako – Angers »
/// (partenariat 1) and « Évry – Kayes »: étape, convention, intermediary, actions with
/// places and money, and records that are not public.
struct Donnees {
    s: Serveur,
    evry_kayes: PartenariatId,
    action_bamako: ActionId,
    action_kayes: ActionId,
    action_soumise: ActionId,
    partenariat_soumis: PartenariatId,
    region_kayes: CollectiviteId,
    bamako: CollectiviteId,
}

fn donnees() -> Donnees {
    let s = Serveur::demo();
    let conn = s.conn();
    let un = PartenariatId(1);
    let titre: String = conn
        .query_row("SELECT titre FROM partenariat WHERE id = 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(titre, "Bamako – Angers", "the OpenAPI examples name id 1");
    let evry_kayes = PartenariatId(
        conn.query_row(
            "SELECT id FROM partenariat WHERE titre = 'Évry – Kayes'",
            [],
            |r| r.get(0),
        )
        .unwrap(),
    );
    let region_kayes = par_code(&conn, Pays::MALI, benkan::model::Niveau::Region, "ML-1").id;
    let commune_kayes = par_code(
        &conn,
        Pays::MALI,
        benkan::model::Niveau::Commune,
        "ML-1-KAYES-KAYES",
    )
    .id;
    let bamako = par_code(&conn, Pays::MALI, benkan::model::Niveau::District, "ML-BKO").id;
    assert_eq!(
        region_kayes,
        CollectiviteId(1),
        "the OpenAPI examples name id 1"
    );
    partenariat::ajouter_etape(
        &conn,
        un,
        EtapeDatee {
            etape: Etape::Amitie,
            depuis: date!(2001 - 05 - 01),
            note: Some("Première visite".into()),
        },
    )
    .unwrap();
    partenariat::ajouter_convention(
        &conn,
        un,
        NouvelleConvention {
            intitule: "Convention cadre".into(),
            signee_le: Some(date!(2010 - 03 - 15)),
            duree_mois: Some(36),
            reconduction: Reconduction::Tacite,
            document: None,
        },
    )
    .unwrap();
    let comite = acteur::creer(
        &conn,
        NouvelActeur {
            nom: "Comité de jumelage Angers-Bamako".into(),
            type_organisation: TypeOrganisation::OngInternationale,
            identifiant_iati: None,
            pays: Some(Pays::FRANCE),
            collectivite: None,
        },
    )
    .unwrap();
    partenariat::ajouter_intermediaire(&conn, un, comite, RoleIntermediaire::ComiteJumelage, None)
        .unwrap();
    let nouvelle = |p: PartenariatId, titre: &str, axe, domaine, statut, lieux| NouvelleAction {
        partenariat: p,
        titre: titre.into(),
        description: Some("Essai".into()),
        axe,
        domaine,
        nature: Nature::Physique,
        statut,
        periode: Periode::new(Some(date!(2020 - 01 - 01)), None).unwrap(),
        lieux,
    };
    let action_bamako = action::creer(
        &conn,
        nouvelle(
            un,
            "Forage à Bamako",
            Axe::ServicesSociauxDeBase,
            Domaine::EauAssainissement,
            StatutAction::EnCours,
            vec![bamako],
        ),
    )
    .unwrap();
    assert_eq!(action_bamako, ActionId(1), "the OpenAPI examples name id 1");
    let action_kayes = action::creer(
        &conn,
        nouvelle(
            evry_kayes,
            "École à Kayes",
            Axe::ServicesSociauxDeBase,
            Domaine::Education,
            StatutAction::Achevee,
            vec![commune_kayes],
        ),
    )
    .unwrap();
    let action_soumise = action::creer_par(
        &conn,
        nouvelle(
            un,
            "Action non validée",
            Axe::AppuiInstitutionnel,
            Domaine::GouvernanceLocale,
            StatutAction::Prevue,
            vec![bamako],
        ),
        Validation::Soumis,
        None,
    )
    .unwrap();
    financement::creer(
        &conn,
        NouveauFinancement {
            action: action_bamako,
            source: comite,
            type_financement: TypeFinancement::Engagement,
            montant: Montant::new(1_234_567, Devise::Eur).unwrap(),
            annee: 2020,
        },
    )
    .unwrap();
    let partenariat_soumis = partenariat::creer(
        &conn,
        NouveauPartenariat {
            validation: Validation::Soumis,
            ..NouveauPartenariat::new(
                "Partenariat en attente",
                StatutPartenariat::Actif,
                vec![bamako, CollectiviteId(18379)],
            )
        },
    )
    .unwrap();
    drop(conn);
    Donnees {
        s,
        evry_kayes,
        action_bamako,
        action_kayes,
        action_soumise,
        partenariat_soumis,
        region_kayes,
        bamako,
    }
}

/// Checks `valeur` against `schema` of the OpenAPI `doc`; collects the errors and the
/// component schemas that met a value.
struct Validateur<'a> {
    doc: &'a Value,
    erreurs: Vec<String>,
    vus: BTreeSet<String>,
}

impl Validateur<'_> {
    fn valider(&mut self, schema: &Value, valeur: &Value, ou: &str) {
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            let nom = reference
                .strip_prefix("#/components/schemas/")
                .unwrap_or_else(|| panic!("unexpected $ref {reference}"));
            self.vus.insert(nom.to_owned());
            let cible = &self.doc["components"]["schemas"][nom];
            assert!(cible.is_object(), "unknown schema {nom}");
            return self.valider(cible, valeur, ou);
        }
        let types: Vec<&str> = match &schema["type"] {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        if valeur.is_null() {
            if schema["nullable"] != true && !types.contains(&"null") {
                self.erreurs.push(format!("{ou}: null where not nullable"));
            }
            return;
        }
        let bon_type = types.is_empty()
            || types.iter().any(|t| match *t {
                "string" => valeur.is_string(),
                "integer" => valeur.is_i64() || valeur.is_u64(),
                "number" => valeur.is_number(),
                "boolean" => valeur.is_boolean(),
                "array" => valeur.is_array(),
                "object" => valeur.is_object(),
                _ => false,
            });
        if !bon_type {
            self.erreurs
                .push(format!("{ou}: {valeur} is not of type {types:?}"));
            return;
        }
        if let Some(admis) = schema["enum"].as_array()
            && !admis.contains(valeur)
        {
            self.erreurs
                .push(format!("{ou}: {valeur} not in the enum {admis:?}"));
        }
        if let Some(texte) = valeur.as_str() {
            let motif_date = |t: &str| {
                t.len() >= 10
                    && t.as_bytes()[..10].iter().enumerate().all(|(i, c)| {
                        if i == 4 || i == 7 {
                            *c == b'-'
                        } else {
                            c.is_ascii_digit()
                        }
                    })
            };
            match schema["format"].as_str() {
                Some("date") if !(texte.len() == 10 && motif_date(texte)) => {
                    self.erreurs.push(format!("{ou}: {texte} is not a date"))
                }
                Some("date-time") if !(motif_date(texte) && texte.contains('T')) => self
                    .erreurs
                    .push(format!("{ou}: {texte} is not a date-time")),
                _ => {}
            }
        }
        if let Some(n) = valeur.as_f64()
            && (schema["minimum"].as_f64().is_some_and(|m| n < m)
                || schema["maximum"].as_f64().is_some_and(|m| n > m))
        {
            self.erreurs.push(format!("{ou}: {n} out of bounds"));
        }
        if let Some(elements) = valeur.as_array() {
            for (i, e) in elements.iter().enumerate() {
                self.valider(&schema["items"], e, &format!("{ou}[{i}]"));
            }
        }
        if let Some(objet) = valeur.as_object() {
            for requis in schema["required"].as_array().into_iter().flatten() {
                let nom = requis.as_str().unwrap();
                if !objet.contains_key(nom) {
                    self.erreurs.push(format!("{ou}: field {nom} missing"));
                }
            }
            let proprietes = schema["properties"].as_object();
            for (nom, v) in objet {
                match proprietes.and_then(|p| p.get(nom)) {
                    Some(sous) => self.valider(sous, v, &format!("{ou}.{nom}")),
                    None if schema["additionalProperties"] == false => self
                        .erreurs
                        .push(format!("{ou}: field {nom} is not documented")),
                    None => {}
                }
            }
        }
    }
}

/// The value of a parameter object, following a `$ref` to components/parameters.
fn parametre<'a>(doc: &'a Value, p: &'a Value) -> &'a Value {
    match p["$ref"].as_str() {
        Some(r) => &doc["components"]["parameters"][r.rsplit('/').next().unwrap()],
        None => p,
    }
}

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
    let ids: Vec<i64> = tous["elements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_i64().unwrap())
        .collect();
    assert!(
        !ids.contains(&d.partenariat_soumis.0),
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
        pages.extend(
            p["elements"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["id"].as_i64().unwrap()),
        );
    }
    assert_eq!(pages, ids);
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
    let actions: Vec<i64> = fiche["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_i64().unwrap())
        .collect();
    assert_eq!(
        actions,
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
    let ids: Vec<i64> = toutes["elements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_i64().unwrap())
        .collect();
    assert_eq!(
        ids,
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

/// A POST of a JSON body with a token.
fn ecrire(s: &Serveur, chemin: &str, jeton: Option<&str>, corps: &Value) -> Reponse {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut r = ureq::http::Request::builder()
        .method("POST")
        .uri(format!("http://{}{chemin}", s.adresse))
        .header("Content-Type", "application/json");
    if let Some(j) = jeton {
        r = r.header("Authorization", format!("Bearer {j}"));
    }
    let mut reponse = agent.run(r.body(corps.to_string()).unwrap()).unwrap();
    Reponse {
        statut: reponse.status().as_u16(),
        entetes: reponse
            .headers()
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_str().unwrap_or_default().to_owned()))
            .collect(),
        octets: reponse.body_mut().read_to_vec().unwrap(),
    }
}

/// A token made by `benkan user token EMAIL`.
fn jeton_cli(s: &Serveur, email: &str) -> String {
    let sortie = std::process::Command::new(env!("CARGO_BIN_EXE_benkan"))
        .args(["user", "token", email, "--nom", "essai", "--db"])
        .arg(s.store.chemin())
        .output()
        .unwrap();
    assert!(
        sortie.status.success(),
        "{}",
        String::from_utf8_lossy(&sortie.stderr)
    );
    let jeton = String::from_utf8(sortie.stdout).unwrap().trim().to_owned();
    assert_eq!(jeton.len(), 64, "the token alone on standard output");
    jeton
}

#[test]
fn writes_follow_the_contributors_rights_and_review() {
    let d = donnees();
    let s = &d.s;
    let doc = lire(s, "/api/v1/openapi.json");
    let mut v = Validateur {
        doc: &doc,
        erreurs: vec![],
        vus: BTreeSet::new(),
    };
    let conn = s.conn();
    let kayes = par_code(
        &conn,
        Pays::MALI,
        benkan::model::Niveau::Commune,
        "ML-1-KAYES-KAYES",
    )
    .id;
    let angers: i64 = lire(s, "/api/v1/partenariats/1")["parties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["pays"] == "FR")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let hash = benkan::acces::hacher("une longue phrase de passe").unwrap();
    let compte = |email: &str, role, collectivites: &[CollectiviteId]| {
        benkan::store::compte::creer(
            &conn,
            &benkan::model::Email::new(email).unwrap(),
            &hash,
            role,
            collectivites,
        )
        .unwrap()
    };
    let maire = compte(
        "maire@kayes.ml",
        benkan::model::Role::Collectivite,
        &[kayes],
    );
    compte("lecteur@exemple.ml", benkan::model::Role::Lecteur, &[]);
    compte(
        "admin@mdat.gouv.ml",
        benkan::model::Role::AdminNational,
        &[],
    );
    let jeton_maire = jeton_cli(s, "maire@kayes.ml");
    let jeton_lecteur = jeton_cli(s, "lecteur@exemple.ml");
    // The administrator makes a token on the web page, where it is shown once.
    let (session, csrf) = s.session("admin@mdat.gouv.ml", "une longue phrase de passe");
    let page = s.post(
        "/espace/jetons",
        Some(&session),
        &[("csrf", &csrf), ("nom", "script du ministère")],
    );
    assert_eq!(page.statut, 200);
    let debut = page.corps.find("<code id=\"jeton\">").unwrap() + "<code id=\"jeton\">".len();
    let jeton_admin = page.corps[debut..debut + 64].to_owned();
    assert!(page.corps.contains("script du ministère"));
    let sans_csrf = s.post("/espace/jetons", Some(&session), &[("nom", "x")]);
    assert_eq!(sans_csrf.statut, 403);

    let declaration = serde_json::json!({
        "titre": "Kayes – Angers",
        "description": "Déclaré par l'API",
        "partie_malienne": kayes.0,
        "partenaire": angers,
    });
    v.valider(
        &serde_json::json!({ "$ref": "#/components/schemas/DeclarationPartenariat" }),
        &declaration,
        "requête",
    );
    // Without a valid token: 401.
    let r = ecrire(s, "/api/v1/partenariats", None, &declaration);
    assert_eq!(
        (r.statut, r.json()["error"].as_str()),
        (401, Some("non_authentifie"))
    );
    assert!(r.entete("www-authenticate").unwrap().starts_with("Bearer"));
    let r = ecrire(
        s,
        "/api/v1/partenariats",
        Some(&"0".repeat(64)),
        &declaration,
    );
    assert_eq!(r.statut, 401);
    // A reader may not declare; an authority not for another's collectivité.
    let r = ecrire(
        s,
        "/api/v1/partenariats",
        Some(&jeton_lecteur),
        &declaration,
    );
    assert_eq!(
        (r.statut, r.json()["error"].as_str()),
        (403, Some("interdit"))
    );
    let mut pour_bamako = declaration.clone();
    pour_bamako["partie_malienne"] = d.bamako.0.into();
    let r = ecrire(s, "/api/v1/partenariats", Some(&jeton_maire), &pour_bamako);
    assert_eq!(r.statut, 403);
    assert!(r.json()["message"].as_str().unwrap().contains("Bamako"));
    // A wrong body: every field named at once, nothing written.
    let avant: i64 = conn
        .query_row("SELECT count(*) FROM partenariat", [], |r| r.get(0))
        .unwrap();
    let r = ecrire(
        s,
        "/api/v1/partenariats",
        Some(&jeton_maire),
        &serde_json::json!({ "titre": 3, "statut": "eternel", "partenaire": "Angers", "pays": "FR" }),
    );
    assert_eq!(
        (r.statut, r.json()["error"].as_str()),
        (422, Some("corps_invalide"))
    );
    let message = r.json()["message"].as_str().unwrap().to_owned();
    for mot in [
        "« titre »",
        "« statut »",
        "eternel",
        "« partie_malienne » manquant",
        "« partenaire »",
        "« pays » inconnu",
    ] {
        assert!(message.contains(mot), "« {message} » lacks {mot}");
    }
    let r = ecrire(
        s,
        "/api/v1/partenariats",
        Some(&jeton_maire),
        &serde_json::json!([1]),
    );
    assert_eq!(
        (r.statut, r.json()["error"].as_str()),
        (400, Some("corps_illisible"))
    );
    let mut malien = declaration.clone();
    malien["partenaire"] = d.bamako.0.into();
    let r = ecrire(s, "/api/v1/partenariats", Some(&jeton_maire), &malien);
    assert_eq!(r.statut, 422);
    assert!(r.json()["message"].as_str().unwrap().contains("étrangère"));
    let apres: i64 = conn
        .query_row("SELECT count(*) FROM partenariat", [], |r| r.get(0))
        .unwrap();
    assert_eq!(apres, avant, "nothing written by refused requests");

    // The authority's declaration waits for validation: not public, journalled.
    let r = ecrire(s, "/api/v1/partenariats", Some(&jeton_maire), &declaration);
    assert_eq!(r.statut, 201, "{}", String::from_utf8_lossy(&r.octets));
    let cree = r.json();
    v.valider(
        &serde_json::json!({ "$ref": "#/components/schemas/Cree" }),
        &cree,
        "201",
    );
    assert_eq!(cree["validation"], "soumis");
    let id = cree["id"].as_i64().unwrap();
    assert_eq!(
        r.entete("location"),
        Some(format!("/api/v1/partenariats/{id}").as_str())
    );
    assert_eq!(
        requete(s, "GET", &format!("/api/v1/partenariats/{id}"), &[]).statut,
        404
    );
    assert_eq!(lire(s, "/api/v1/partenariats")["total"], 9);
    let (auteur, operation): (i64, String) = conn
        .query_row(
            "SELECT compte_id, operation FROM journal WHERE objet = 'partenariat' AND objet_id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((auteur, operation.as_str()), (maire.0, "creation"));
    let espace = s.get_avec("/espace/validation", &session);
    assert!(
        espace.corps.contains("Kayes – Angers"),
        "in the administrators' queue"
    );

    // An action with its money, on the new partenariat.
    let action = serde_json::json!({
        "titre": "Forage du marché",
        "axe": "services_sociaux_de_base",
        "domaine": "eau_assainissement",
        "nature": "physique",
        "statut": "en_cours",
        "debut": "2024-01-15",
        "lieux": [kayes.0],
        "financement": {
            "type": "engagement",
            "montant": { "unites_mineures": 5_000_000, "devise": "XOF" },
            "annee": 2024,
            "source": "Commune de Kayes"
        }
    });
    v.valider(
        &serde_json::json!({ "$ref": "#/components/schemas/DeclarationAction" }),
        &action,
        "requête",
    );
    let r = ecrire(
        s,
        &format!("/api/v1/partenariats/{id}/actions"),
        Some(&jeton_maire),
        &action,
    );
    assert_eq!(r.statut, 201, "{}", String::from_utf8_lossy(&r.octets));
    let nouvelle = r.json()["id"].as_i64().unwrap();
    assert_eq!(r.json()["validation"], "soumis");
    let (montant, validation): (i64, String) = conn
        .query_row(
            "SELECT f.montant, a.validation FROM financement f JOIN action a ON a.id = f.action_id WHERE a.id = ?1",
            [nouvelle],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((montant, validation.as_str()), (5_000_000, "soumis"));
    let r = ecrire(
        s,
        "/api/v1/partenariats/1/actions",
        Some(&jeton_maire),
        &action,
    );
    assert_eq!(r.statut, 403, "Bamako – Angers is not the maire's");
    let r = ecrire(
        s,
        "/api/v1/partenariats/999999/actions",
        Some(&jeton_maire),
        &action,
    );
    assert_eq!(r.statut, 404);
    let mut mauvaise = action.clone();
    mauvaise["axe"] = "jardinage".into();
    mauvaise["lieux"] = serde_json::json!([d.bamako.0]);
    mauvaise["financement"]["montant"]["unites_mineures"] = (-1).into();
    mauvaise.as_object_mut().unwrap().remove("titre");
    let r = ecrire(
        s,
        &format!("/api/v1/partenariats/{id}/actions"),
        Some(&jeton_maire),
        &mauvaise,
    );
    assert_eq!(r.statut, 422);
    let message = r.json()["message"].as_str().unwrap().to_owned();
    for mot in [
        "« titre » manquant",
        "jardinage",
        &format!("{} n'est pas un lieu possible", d.bamako.0),
        "financement.montant.unites_mineures",
    ] {
        assert!(message.contains(mot), "« {message} » lacks {mot}");
    }

    // Money added by the authority sends the public action back to review.
    let argent = serde_json::json!({
        "type": "decaissement",
        "montant": { "unites_mineures": 150_000, "devise": "EUR" },
        "annee": 2024,
        "source": "Ville d'Évry-Courcouronnes",
        "type_source": "11"
    });
    v.valider(
        &serde_json::json!({ "$ref": "#/components/schemas/NouveauFinancement" }),
        &argent,
        "requête",
    );
    let chemin = format!("/api/v1/actions/{}/financements", d.action_kayes);
    let r = ecrire(s, &chemin, Some(&jeton_maire), &argent);
    assert_eq!(r.statut, 201, "{}", String::from_utf8_lossy(&r.octets));
    v.valider(
        &serde_json::json!({ "$ref": "#/components/schemas/FinancementAjoute" }),
        &r.json(),
        "201",
    );
    assert_eq!(r.json()["a_revalider"], true);
    assert_eq!(
        requete(
            s,
            "GET",
            &format!("/api/v1/actions/{}", d.action_kayes),
            &[]
        )
        .statut,
        404
    );
    let r = ecrire(
        s,
        &format!("/api/v1/actions/{}/financements", d.action_bamako),
        Some(&jeton_maire),
        &argent,
    );
    assert_eq!(r.statut, 403);
    let r = ecrire(
        s,
        "/api/v1/actions/999999/financements",
        Some(&jeton_maire),
        &argent,
    );
    assert_eq!(r.statut, 404);

    // A national administrator's writes are validated at once, and public.
    let r = ecrire(s, "/api/v1/partenariats", Some(&jeton_admin), &declaration);
    assert_eq!(r.statut, 201);
    assert_eq!(r.json()["validation"], "valide");
    let lien = r.entete("location").unwrap().to_owned();
    assert_eq!(lire(s, &lien)["titre"], "Kayes – Angers");
    let r = ecrire(s, &chemin, Some(&jeton_admin), &argent);
    assert_eq!(r.json()["a_revalider"], false);
    assert!(v.erreurs.is_empty(), "{:#?}", v.erreurs);
    let vus: Vec<&str> = SCHEMAS_ECRITURE
        .iter()
        .copied()
        .filter(|n| !v.vus.contains(*n))
        .collect();
    assert!(vus.is_empty(), "write schemas never checked: {vus:?}");

    // A revoked token is refused.
    let jetons = s.get_avec("/espace/jetons", &session);
    let debut = jetons.corps.find("/espace/jetons/").unwrap() + "/espace/jetons/".len();
    let numero: String = jetons.corps[debut..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let r = s.post(
        &format!("/espace/jetons/{numero}/revoquer"),
        Some(&session),
        &[("csrf", &csrf)],
    );
    assert_eq!(r.statut, 303);
    assert!(
        s.get_avec("/espace/jetons", &session)
            .corps
            .contains("révoqué le")
    );
    let r = ecrire(s, "/api/v1/partenariats", Some(&jeton_admin), &declaration);
    assert_eq!(r.statut, 401);
}

#[test]
fn tokens_tried_in_bulk_are_refused_for_a_while() {
    let s = Serveur::demo();
    let corps = serde_json::json!({});
    for essai in 0..10 {
        let r = ecrire(
            &s,
            "/api/v1/partenariats",
            Some(&format!("{essai:064}")),
            &corps,
        );
        assert_eq!(r.statut, 401, "try {essai}");
    }
    let r = ecrire(&s, "/api/v1/partenariats", Some(&"f".repeat(64)), &corps);
    assert_eq!(
        (r.statut, r.json()["error"].as_str()),
        (429, Some("trop_de_requetes"))
    );
    assert_eq!(r.entete("retry-after"), Some("900"));
    assert!(r.json()["message"].as_str().unwrap().contains("15 minutes"));
    // Reads stay open.
    assert_eq!(requete(&s, "GET", "/api/v1/partenariats", &[]).statut, 200);
}
