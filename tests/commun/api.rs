//! What the API tests share: requests with any method and headers, JSON errors, the
//! demonstration data completed for the API, and a validator of bodies against the OpenAPI
//! document.

use std::collections::BTreeSet;

use benkan::model::{
    ActionId, Axe, CollectiviteId, Devise, Domaine, Etape, EtapeDatee, Montant, Nature,
    NouveauFinancement, NouveauPartenariat, NouvelActeur, NouvelleAction, NouvelleConvention,
    PartenariatId, Pays, Periode, PointAction, Reconduction, RoleIntermediaire, StatutAction,
    StatutPartenariat, TypeFinancement, TypeOrganisation, Validation,
};
use benkan::store::{acteur, action, financement, partenariat};
use serde_json::Value;
use time::macros::date;

use super::{Serveur, generateur_iati, par_code};

/// Every path the API serves; the OpenAPI document must describe exactly these.
pub const ROUTES: &[&str] = &[
    "/api/v1/actions",
    "/api/v1/actions/{id}",
    "/api/v1/actions/{id}/financements",
    "/api/v1/apercu",
    "/api/v1/bourse/demandes",
    "/api/v1/bourse/demandes/{id}",
    "/api/v1/bourse/offres",
    "/api/v1/bourse/offres/{id}",
    "/api/v1/collectivites",
    "/api/v1/collectivites/{id}",
    "/api/v1/interventions",
    "/api/v1/interventions/{id}",
    "/api/v1/openapi.json",
    "/api/v1/partenariats",
    "/api/v1/partenariats/{id}",
    "/api/v1/partenariats/{id}/actions",
    "/api/v1/recherche",
];

/// The routes that only write (POST with a token).
pub const ECRITURES_SEULES: &[&str] = &[
    "/api/v1/actions/{id}/financements",
    "/api/v1/partenariats/{id}/actions",
];

/// The schemas of writes' bodies and answers, checked by the writes' test.
pub const SCHEMAS_ECRITURE: &[&str] = &[
    "Cree",
    "DeclarationAction",
    "DeclarationPartenariat",
    "FinancementAjoute",
    "MontantSaisi",
    "NouveauFinancement",
    "PointSaisi",
];

pub struct Reponse {
    pub statut: u16,
    pub entetes: Vec<(String, String)>,
    pub octets: Vec<u8>,
}

impl Reponse {
    pub fn entete(&self, nom: &str) -> Option<&str> {
        super::entete(&self.entetes, nom)
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.octets)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.octets)))
    }
}

/// The answer with its body as bytes (it may be compressed).
fn reponse(mut r: ureq::http::Response<ureq::Body>) -> Reponse {
    Reponse {
        statut: r.status().as_u16(),
        entetes: super::entetes(&r),
        octets: r.body_mut().read_to_vec().unwrap(),
    }
}

/// Any method, any headers.
pub fn requete(s: &Serveur, methode: &str, chemin: &str, entetes: &[(&str, &str)]) -> Reponse {
    let mut r = ureq::http::Request::builder()
        .method(methode)
        .uri(format!("http://{}{chemin}", s.adresse));
    for (nom, valeur) in entetes {
        r = r.header(*nom, *valeur);
    }
    reponse(super::agent().run(r.body(()).unwrap()).unwrap())
}

/// The `id`s of an array of records (a list's `elements`, a fiche's `actions`), in order.
pub fn ids(records: &Value) -> Vec<i64> {
    records
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {records}"))
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect()
}

pub fn lire(s: &Serveur, chemin: &str) -> Value {
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
pub fn erreur(s: &Serveur, methode: &str, chemin: &str, statut: u16, code: &str) -> String {
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
pub struct Donnees {
    pub s: Serveur,
    pub evry_kayes: PartenariatId,
    pub action_bamako: ActionId,
    pub action_kayes: ActionId,
    pub action_soumise: ActionId,
    pub partenariat_soumis: PartenariatId,
    pub region_kayes: CollectiviteId,
    pub bamako: CollectiviteId,
    /// How many « autres interventions » the IATI import kept (one per kind of
    /// [`generateur_iati::Genre`], the one outside Mali left out).
    pub interventions: u64,
}

/// The IATI activities the API's data imports, by the library function `benkan import iati`
/// calls: their identifiers are `identifiant(PREFIXE_IATI, i)`, their publisher's ref
/// `XM-BENKAN-API` (the OpenAPI example).
pub const PREFIXE_IATI: &str = "API";

fn importer_iati(conn: &rusqlite::Connection) -> u64 {
    let dossier = tempfile::tempdir().unwrap();
    let chemin = dossier.path().join("mali.xml");
    let mut fichier = std::io::BufWriter::new(std::fs::File::create(&chemin).unwrap());
    generateur_iati::ecrire(
        &mut fichier,
        "2.03",
        PREFIXE_IATI,
        0,
        generateur_iati::GENRES.len(),
    )
    .unwrap();
    std::io::Write::flush(&mut fichier).unwrap();
    drop(fichier);
    let resolveur = benkan::referentiel::resolveur(conn).unwrap();
    let rapport =
        benkan::interop::iati_import::importer(conn, &resolveur, &[chemin], &mut |_| {}).unwrap();
    let attendu = generateur_iati::attendu(0, generateur_iati::GENRES.len());
    assert_eq!(rapport.importees, attendu.gardees);
    assert_eq!(rapport.total_lies(), attendu.lieux_lies);
    rapport.importees
}

/// A validated demande of the commune of Kayes and an offre of the comité for Angers,
/// both number 1 as the OpenAPI examples name them.
fn bourse(
    conn: &rusqlite::Connection,
    commune_kayes: CollectiviteId,
    region_kayes: CollectiviteId,
    comite: benkan::model::ActeurId,
) {
    use benkan::model::bourse::{Annonce, Capacite, Demande, Langue, Offre};
    use benkan::store::bourse::{self, Annonceur, Origine};
    let aujourd_hui = time::OffsetDateTime::now_utc().date();
    let annonce = |titre: &str| Annonce {
        titre: titre.into(),
        description: "Deux forages et un comité de gestion formé.".into(),
        domaines: vec![Domaine::EauAssainissement],
        langues: vec![Langue::Francais, Langue::Soninke],
        ouverte_jusqu_au: aujourd_hui + time::Duration::days(200),
    };
    let admin = benkan::store::compte::creer(
        conn,
        &benkan::model::Email::new("validation-bourse@exemple.ml").unwrap(),
        &benkan::acces::hacher(super::MOT_DE_PASSE).unwrap(),
        benkan::model::Role::AdminNational,
        &[],
        &[],
    )
    .unwrap();
    let demande = bourse::deposer_demande(
        conn,
        commune_kayes,
        Demande {
            annonce: annonce("Eau potable pour trois villages"),
            axes: vec![Axe::ServicesSociauxDeBase],
            niveau_souhaite: Some(benkan::model::Niveau::Commune),
            pays_souhaite: None,
        },
        None,
        None,
        aujourd_hui,
    )
    .unwrap();
    let angers = par_code(conn, Pays::FRANCE, benkan::model::Niveau::Commune, "49007").id;
    let offre = bourse::deposer_offre(
        conn,
        Origine {
            collectivite: Some(angers),
            acteur: Some(comite),
        },
        Offre {
            annonce: annonce("Appui à la gestion de l'eau"),
            capacites: vec![Capacite::AppuiTechnique, Capacite::Financement],
            financement: Some((
                Montant::new(500_000, Devise::Eur).unwrap(),
                Montant::new(2_000_000, Devise::Eur).unwrap(),
            )),
            regions_connues: vec![region_kayes],
        },
        None,
        aujourd_hui,
    )
    .unwrap();
    assert_eq!(
        (demande.0, offre.0),
        (1, 1),
        "the OpenAPI examples name id 1"
    );
    bourse::valider(conn, Annonceur::Demande(demande), admin).unwrap();
    bourse::valider(conn, Annonceur::Offre(offre), admin).unwrap();
}

pub fn donnees() -> Donnees {
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
        points: Vec::new(),
        localites: Vec::new(),
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
    // What it produced: the documented shape of a result is checked on it.
    benkan::store::resultat::remplacer(
        &conn,
        action_bamako,
        &[benkan::model::NouveauResultat {
            indicateur: "EAU-01".into(),
            base: "2".into(),
            base_date: Some(date!(2019 - 12 - 31)),
            cible: "6".into(),
            periodes: vec![benkan::model::NouvellePeriode {
                debut: Some(date!(2020 - 01 - 01)),
                fin: Some(date!(2020 - 12 - 31)),
                valeur: "3".into(),
                ..Default::default()
            }],
            ..Default::default()
        }
        .valider(true)
        .unwrap()],
    )
    .unwrap();
    // Its points: one in Kayes, one outside Mali (attached to nothing); its village, the
    // quarter of Plateau.
    let action_kayes = action::creer(
        &conn,
        NouvelleAction {
            localites: vec!["ML010112005".into()],
            points: vec![
                benkan::carte::situer(
                    PointAction::nouveau(14.4485, -11.4389, Some("école")).unwrap(),
                ),
                benkan::carte::situer(PointAction::nouveau(14.69, -17.44, None).unwrap()),
            ],
            ..nouvelle(
                evry_kayes,
                "École à Kayes",
                Axe::ServicesSociauxDeBase,
                Domaine::Education,
                StatutAction::Achevee,
                vec![commune_kayes],
            )
        },
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
    bourse(&conn, commune_kayes, region_kayes, comite);
    let interventions = importer_iati(&conn);
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
        interventions,
    }
}

/// Checks `valeur`, read at `ou`, against the component schema `nom` of the server's OpenAPI
/// document, failing on any error; gives the document and the component schemas met.
pub fn conforme(s: &Serveur, nom: &str, valeur: &Value, ou: &str) -> (Value, BTreeSet<String>) {
    let doc = lire(s, "/api/v1/openapi.json");
    let mut v = Validateur {
        doc: &doc,
        erreurs: vec![],
        vus: BTreeSet::new(),
    };
    let schema = serde_json::json!({ "$ref": format!("#/components/schemas/{nom}") });
    v.valider(&schema, valeur, ou);
    assert!(v.erreurs.is_empty(), "{:?}", v.erreurs);
    let vus = v.vus;
    (doc, vus)
}

/// Checks `valeur` against `schema` of the OpenAPI `doc`; collects the errors and the
/// component schemas that met a value.
pub struct Validateur<'a> {
    pub doc: &'a Value,
    pub erreurs: Vec<String>,
    pub vus: BTreeSet<String>,
}

impl Validateur<'_> {
    pub fn valider(&mut self, schema: &Value, valeur: &Value, ou: &str) {
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            let nom = reference
                .strip_prefix("#/components/schemas/")
                .unwrap_or_else(|| panic!("unexpected $ref {reference}"));
            self.vus.insert(nom.to_owned());
            let cible = &self.doc["components"]["schemas"][nom];
            assert!(cible.is_object(), "unknown schema {nom}");
            return self.valider(cible, valeur, ou);
        }
        if let Some(tous) = schema["allOf"].as_array() {
            // A nullable reference: `{"allOf": [{"$ref": …}], "nullable": true}`.
            if valeur.is_null() {
                if schema["nullable"] != true {
                    self.erreurs.push(format!("{ou}: null where not nullable"));
                }
                return;
            }
            for sous in tous {
                self.valider(sous, valeur, ou);
            }
            return;
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
pub fn parametre<'a>(doc: &'a Value, p: &'a Value) -> &'a Value {
    match p["$ref"].as_str() {
        Some(r) => &doc["components"]["parameters"][r.rsplit('/').next().unwrap()],
        None => p,
    }
}

/// A POST of a JSON body with a token.
pub fn ecrire(s: &Serveur, chemin: &str, jeton: Option<&str>, corps: &Value) -> Reponse {
    let mut r = ureq::http::Request::builder()
        .method("POST")
        .uri(format!("http://{}{chemin}", s.adresse))
        .header("Content-Type", "application/json");
    if let Some(j) = jeton {
        r = r.header("Authorization", format!("Bearer {j}"));
    }
    reponse(
        super::agent()
            .run(r.body(corps.to_string()).unwrap())
            .unwrap(),
    )
}

/// The body of an action declared through the API, with its money (XOF committed in 2024).
pub fn une_action(titre: &str, lieu: i64, montant: usize) -> Value {
    serde_json::json!({
        "titre": titre,
        "axe": "services_sociaux_de_base",
        "domaine": "eau_assainissement",
        "nature": "physique",
        "statut": "en_cours",
        "debut": "2024-01-15",
        "lieux": [lieu],
        "financement": {
            "type": "engagement",
            "montant": { "unites_mineures": montant, "devise": "XOF" },
            "annee": 2024,
            "source": "Commune de Kayes"
        }
    })
}

/// A token made by `benkan user token EMAIL`.
pub fn jeton_cli(s: &Serveur, email: &str) -> String {
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
