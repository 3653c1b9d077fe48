//! `/api/v1/openapi.json`: the OpenAPI 3.0 description of every route, parameter and
//! response (the component schemas are in `schemas.rs`), built beside the handlers so that
//! a new route is described where it is added; `tests/api.rs` checks real responses
//! against it.

use std::sync::LazyLock;

use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::{Map, Value, json};

use super::schemas::{
    codes, date, etapes_ou_non_renseignee, niveaux_ou_localite, r, schemas, tableau, texte,
};
use crate::store::partenariat::TriPartenariats;

use super::reponse::{self, PAR_PAGE, PAR_PAGE_MAX};
use crate::model::{Axe, Domaine, ListeIati, Niveau, StatutAction, StatutPartenariat, codes_iati};

pub async fn document(entetes: HeaderMap) -> Response {
    static DOCUMENT: LazyLock<String> =
        LazyLock::new(|| serde_json::to_string_pretty(&openapi()).unwrap_or_default());
    reponse::json_brut(&entetes, DOCUMENT.as_str())
}

/// A query parameter; `exemple` is what the shape test sends.
fn parametre(nom: &str, description: &str, schema: Value, exemple: Option<Value>) -> Value {
    let mut p = json!({
        "name": nom, "in": "query", "required": false, "description": description, "schema": schema,
    });
    if let Some(e) = exemple {
        p["example"] = e;
    }
    p
}

fn pagination() -> [Value; 2] {
    [
        json!({ "$ref": "#/components/parameters/page" }),
        json!({ "$ref": "#/components/parameters/par_page" }),
    ]
}

/// A GET operation answering `schema` with an ETag, a 304, and JSON errors.
fn lecture(id: &str, resume: &str, parametres: Vec<Value>, schema: Value) -> Value {
    json!({ "get": {
        "operationId": id,
        "summary": resume,
        "parameters": parametres,
        "responses": {
            "200": {
                "description": "succès",
                "headers": { "ETag": { "$ref": "#/components/headers/ETag" } },
                "content": { "application/json": { "schema": schema } },
            },
            "304": { "$ref": "#/components/responses/NonModifie" },
            "400": { "$ref": "#/components/responses/Erreur400" },
            "404": { "$ref": "#/components/responses/Erreur404" },
        },
    }})
}

/// A POST with a personal token: 201, JSON errors (401 without a valid token, 403 without
/// the right, 422 naming every wrong field).
fn ecriture(id: &str, resume: &str, chemin: bool, corps: &str, reponse: &str) -> Value {
    let parametres = if chemin { vec![chemin_id(1)] } else { vec![] };
    let erreur = |code: &str| json!({ "$ref": format!("#/components/responses/Erreur{code}") });
    json!({
        "operationId": id,
        "summary": resume,
        "security": [{ "jeton": [] }],
        "parameters": parametres,
        "requestBody": { "required": true, "content": { "application/json": { "schema": r(corps) } } },
        "responses": {
            "201": {
                "description": "enregistré ; l'en-tête Location donne l'adresse de lecture (404 tant que l'enregistrement est soumis à validation)",
                "content": { "application/json": { "schema": r(reponse) } },
            },
            "400": erreur("400"),
            "401": erreur("401"),
            "403": erreur("403"),
            "404": erreur("404"),
            "422": erreur("422"),
            "429": erreur("429"),
        },
    })
}

fn chemin_id(exemple: i64) -> Value {
    json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "integer", "minimum": 1 }, "example": exemple })
}

/// The whole document.
pub fn openapi() -> Value {
    let pays = |exemple: &str| {
        parametre(
            "pays",
            "code ISO 3166-1 alpha-2",
            json!({ "type": "string", "pattern": "^[A-Za-z]{2}$" }),
            Some(json!(exemple)),
        )
    };
    let niveau = parametre(
        "niveau",
        "niveau de collectivité",
        codes::<Niveau>(),
        Some(json!("commune")),
    );
    let mut collectivites_params = vec![
        pays("ML"),
        niveau.clone(),
        parametre(
            "parent",
            "identifiant du parent direct",
            json!({ "type": "integer", "minimum": 1 }),
            None,
        ),
        parametre(
            "q",
            "nom à chercher par le résolveur (casse, accents, préfixes de niveau, petites fautes et anciens noms tolérés) ; les résultats sont alors dans l'ordre du résolveur",
            texte(),
            Some(json!("Kayes")),
        ),
    ];
    collectivites_params.extend(pagination());
    let mut partenariats_params = vec![
        pays("FR"),
        parametre(
            "region",
            "code ISO 3166-2 d'une région malienne (ML-1 … ML-BKO) : ses cercles et communes compris",
            texte(),
            Some(json!("ML-1")),
        ),
        parametre(
            "etape",
            "étape atteinte aujourd'hui, ou non_renseignee pour les partenariats sans étape atteinte",
            etapes_ou_non_renseignee(),
            None,
        ),
        parametre(
            "statut",
            "statut du partenariat",
            codes::<StatutPartenariat>(),
            Some(json!("actif")),
        ),
        parametre(
            "q",
            "mots à trouver dans le titre, les noms des collectivités parties ou des acteurs intermédiaires, sans égard à la casse ni aux accents ; chaque mot peut être le début d'un mot (« seg » trouve « Ségou ») ; 200 caractères au plus",
            texte(),
            Some(json!("segou")),
        ),
        parametre(
            "tri",
            "ordre : nom, étape, date où l'étape actuelle a été atteinte, ou montant mobilisé en euros (le plus grand des engagements et des décaissements) ; « - » devant pour l'ordre décroissant ; étape, date ou montant inconnus en dernier ; nom par défaut",
            codes::<TriPartenariats>(),
            Some(json!("-montant")),
        ),
    ];
    partenariats_params.extend(pagination());
    let mut actions_params = vec![
        parametre(
            "partenariat",
            "identifiant du partenariat",
            json!({ "type": "integer", "minimum": 1 }),
            Some(json!(1)),
        ),
        parametre("axe", "axe d'intervention", codes::<Axe>(), None),
        parametre("domaine", "domaine", codes::<Domaine>(), None),
        parametre(
            "statut",
            "statut de l'action",
            codes::<StatutAction>(),
            None,
        ),
        parametre(
            "collectivite",
            "identifiant d'une collectivité : actions qui ont un lieu sur son territoire ou dont un partenaire en fait partie",
            json!({ "type": "integer", "minimum": 1 }),
            None,
        ),
    ];
    actions_params.extend(pagination());
    let mut interventions_params = vec![
        parametre(
            "collectivite",
            "identifiant d'une collectivité : interventions dont un lieu est rattaché à elle ou à une collectivité de son territoire (comme sur sa page)",
            json!({ "type": "integer", "minimum": 1 }),
            Some(json!(1)),
        ),
        parametre(
            "statut",
            "code IATI du statut de l'activité (ActivityStatus)",
            json!({ "type": "string", "enum": codes_iati(ListeIati::StatutActivite) }),
            Some(json!("2")),
        ),
        parametre(
            "secteur",
            "code CAD : un secteur de 5 chiffres (vocabulaire 1) ou une catégorie de 3 chiffres (vocabulaire 2, et les secteurs de 5 chiffres qui en font partie)",
            json!({ "type": "string", "pattern": "^[0-9]{3}([0-9]{2})?$" }),
            Some(json!("140")),
        ),
        parametre(
            "organisation",
            "identifiant IATI de l'organisation qui publie l'activité (reporting-org) ou d'une organisation participante",
            texte(),
            Some(json!("XM-BENKAN-API")),
        ),
    ];
    interventions_params.extend(pagination());
    let mut bourse_params = vec![
        parametre(
            "region",
            "code ISO 3166-2 d'une région malienne (ML-1 … ML-BKO) : demandes de ses collectivités, offres qui la connaissent déjà",
            texte(),
            Some(json!("ML-1")),
        ),
        parametre(
            "niveau",
            "niveau de la collectivité qui publie",
            codes::<Niveau>(),
            None,
        ),
        parametre(
            "domaine",
            "domaine demandé ou offert",
            codes::<Domaine>(),
            Some(json!("eau_assainissement")),
        ),
        parametre(
            "pays",
            "code ISO 3166-1 alpha-2 : pays d'où vient l'offre, pays souhaité par la demande (les demandes ouvertes à tout pays comprises)",
            json!({ "type": "string", "pattern": "^[A-Za-z]{2}$" }),
            Some(json!("FR")),
        ),
    ];
    bourse_params.extend(pagination());
    let mut chemins = Map::new();
    let mut ajouter = |chemin: &str, operation: Value| {
        chemins.insert(format!("/api/v1{chemin}"), operation);
    };
    ajouter(
        "/collectivites",
        lecture(
            "listerCollectivites",
            "Collectivités par pays, niveau et parent (par nom puis identifiant), ou recherche par nom",
            collectivites_params,
            r("ListeCollectivites"),
        ),
    );
    ajouter(
        "/collectivites/{id}",
        lecture(
            "ficheCollectivite",
            "Une collectivité : hiérarchie, successions, une page de ses partenariats (page, par_page), ses actions et leur argent",
            {
                let mut p = vec![chemin_id(1)];
                p.extend(pagination());
                p
            },
            r("FicheCollectivite"),
        ),
    );
    ajouter(
        "/partenariats",
        lecture(
            "listerPartenariats",
            "Partenariats publics cherchés, filtrés et triés comme la page /partenariats (par titre puis identifiant sans « tri »)",
            partenariats_params,
            r("ListePartenariats"),
        ),
    );
    ajouter(
        "/partenariats/{id}",
        lecture(
            "fichePartenariat",
            "Un partenariat : parties, étapes, conventions, intermédiaires, actions, totaux",
            vec![chemin_id(1)],
            r("FichePartenariat"),
        ),
    );
    ajouter(
        "/actions",
        lecture(
            "listerActions",
            "Actions publiques, par identifiant",
            actions_params,
            r("ListeActions"),
        ),
    );
    ajouter(
        "/actions/{id}",
        lecture(
            "ficheAction",
            "Une action : lieux, financements, totaux",
            vec![chemin_id(1)],
            r("FicheAction"),
        ),
    );
    ajouter(
        "/interventions",
        lecture(
            "listerInterventions",
            "Autres interventions (activités d'aide importées d'IATI), la plus récente d'abord puis par identifiant",
            interventions_params,
            r("ListeInterventions"),
        ),
    );
    ajouter(
        "/interventions/{id}",
        lecture(
            "ficheIntervention",
            "Une autre intervention : éditeur, statut, dates, lieux, secteurs, organisations, transactions, résultats publiés, lien d-portal",
            vec![chemin_id(1)],
            r("FicheIntervention"),
        ),
    );
    ajouter(
        "/bourse/demandes",
        lecture(
            "listerDemandesBourse",
            "Demandes de la bourse aux partenariats ouvertes aujourd'hui (validées, avant leur date limite), filtrées comme la page /bourse, la plus ancienne d'abord ; jamais de contact",
            bourse_params.clone(),
            r("ListeDemandesBourse"),
        ),
    );
    ajouter(
        "/bourse/demandes/{id}",
        lecture(
            "ficheDemandeBourse",
            "Une demande validée, quel que soit son état (ouverte, pourvue, retirée, expirée)",
            vec![chemin_id(1)],
            r("DemandeBourse"),
        ),
    );
    ajouter(
        "/bourse/offres",
        lecture(
            "listerOffresBourse",
            "Offres de la bourse aux partenariats ouvertes aujourd'hui, filtrées comme la page /bourse, la plus ancienne d'abord ; jamais de contact",
            bourse_params,
            r("ListeOffresBourse"),
        ),
    );
    ajouter(
        "/bourse/offres/{id}",
        lecture(
            "ficheOffreBourse",
            "Une offre validée, quel que soit son état (ouverte, pourvue, retirée, expirée)",
            vec![chemin_id(1)],
            r("OffreBourse"),
        ),
    );
    ajouter(
        "/recherche",
        lecture(
            "rechercher",
            "Le résolveur de noms : mêmes champs que `benkan resolve --json`, le meilleur candidat d'abord",
            vec![
                {
                    let mut q = parametre(
                        "q",
                        "nom à chercher",
                        texte(),
                        Some(json!("Region de Kayes")),
                    );
                    q["required"] = json!(true);
                    q
                },
                pays("ML"),
                parametre(
                    "niveau",
                    "niveau de collectivité, ou localite (les villages du Mali)",
                    niveaux_ou_localite(),
                    Some(json!("commune")),
                ),
                parametre(
                    "limite",
                    "nombre maximal de candidats (1 à 100, 5 par défaut)",
                    json!({ "type": "integer", "minimum": 1, "maximum": 100 }),
                    Some(json!(3)),
                ),
            ],
            tableau(r("Candidat")),
        ),
    );
    ajouter(
        "/apercu",
        lecture(
            "apercu",
            "L'aperçu de l'observatoire à une date (contrat de docs/apercu.md)",
            vec![parametre(
                "date",
                "date de lecture AAAA-MM-JJ (aujourd'hui par défaut)",
                date(),
                Some(json!("2024-12-31")),
            )],
            r("Apercu"),
        ),
    );
    ajouter(
        "/partenariats/{id}/actions",
        json!({ "post": ecriture("declarerAction", "Déclarer une action d'un partenariat (avec son premier financement)", true, "DeclarationAction", "Cree") }),
    );
    ajouter(
        "/actions/{id}/financements",
        json!({ "post": ecriture("ajouterFinancement", "Ajouter un financement à une action", true, "NouveauFinancement", "FinancementAjoute") }),
    );
    ajouter(
        "/openapi.json",
        lecture(
            "openapi",
            "Ce document",
            vec![],
            json!({ "type": "object" }),
        ),
    );
    if let Some(operations) = chemins.get_mut("/api/v1/partenariats") {
        operations["post"] = ecriture(
            "declarerPartenariat",
            "Déclarer un partenariat",
            false,
            "DeclarationPartenariat",
            "Cree",
        );
    }
    let erreur = |description: &str| json!({ "description": description, "content": { "application/json": { "schema": r("Erreur") } } });
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "benkan — API de la coopération décentralisée au Mali",
            "version": "1.0.0",
            "license": { "name": crate::web::donnees::LICENCE, "url": crate::web::donnees::LICENCE_URL },
            "description": "Lecture des enregistrements publics (validés, non archivés) ; écriture avec un jeton d'API personnel, selon les droits et la validation de l'espace contributeur. Noms de champs français, identifiants entiers, dates ISO 8601, montants en unités mineures avec leur devise. Chaque lecture porte un ETag fort ; If-None-Match donne 304. Les erreurs sont en JSON. Voir docs/api.md.",
        },
        "servers": [{ "url": "/" }],
        "paths": chemins,
        "components": {
            "schemas": schemas(),
            "parameters": {
                "page": { "name": "page", "in": "query", "required": false, "description": "numéro de page, à partir de 1", "schema": { "type": "integer", "minimum": 1, "default": 1 }, "example": 1 },
                "par_page": { "name": "par_page", "in": "query", "required": false, "description": "éléments par page", "schema": { "type": "integer", "minimum": 1, "maximum": PAR_PAGE_MAX, "default": PAR_PAGE }, "example": 10 },
            },
            "headers": {
                "ETag": { "description": "empreinte BLAKE2 du corps (suffixe -gzip quand il est compressé) ; à renvoyer dans If-None-Match", "schema": { "type": "string" } },
            },
            "responses": {
                "NonModifie": { "description": "le corps n'a pas changé depuis l'ETag envoyé dans If-None-Match ; pas de corps", "headers": { "ETag": { "$ref": "#/components/headers/ETag" } } },
                "Erreur400": erreur("paramètre inconnu, mal formé ou hors des valeurs admises"),
                "Erreur404": erreur("aucun enregistrement public de cet identifiant"),
                "Erreur401": erreur("jeton d'API absent, inconnu ou révoqué"),
                "Erreur403": erreur("le compte n'a pas le droit d'écrire cet enregistrement"),
                "Erreur429": erreur("trop de jetons refusés depuis cette adresse en 15 minutes ; Retry-After donne le délai"),
                "Erreur422": erreur("corps dont des champs sont invalides : le message les nomme tous"),
            },
            "securitySchemes": {
                "jeton": { "type": "http", "scheme": "bearer", "description": "jeton d'API personnel (/espace/jetons ou benkan user token EMAIL)" },
            },
        },
    })
}
