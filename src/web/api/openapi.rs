//! `/api/v1/openapi.json`: the OpenAPI 3.0 description of every route, parameter and
//! response, built here beside the handlers so that a new route is described where it is
//! added; `tests/api.rs` checks real responses against it.

use std::sync::LazyLock;

use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::{Map, Value, json};

use super::reponse::{self, PAR_PAGE, PAR_PAGE_MAX};
use crate::model::{Axe, Code, Domaine, Etape, Nature, Niveau, StatutAction, StatutPartenariat};

pub async fn document(entetes: HeaderMap) -> Response {
    static DOCUMENT: LazyLock<String> =
        LazyLock::new(|| serde_json::to_string_pretty(&openapi()).unwrap_or_default());
    reponse::json_brut(&entetes, DOCUMENT.as_str())
}

fn r(nom: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{nom}") })
}
fn texte() -> Value {
    json!({ "type": "string" })
}
fn texte_nul() -> Value {
    json!({ "type": "string", "nullable": true })
}
fn date() -> Value {
    json!({ "type": "string", "format": "date" })
}
fn date_nulle() -> Value {
    json!({ "type": "string", "format": "date", "nullable": true })
}
fn entier() -> Value {
    json!({ "type": "integer" })
}
fn entier_nul() -> Value {
    json!({ "type": "integer", "nullable": true })
}
fn euros() -> Value {
    json!({ "type": "number", "nullable": true, "description": "euros, au plus deux décimales ; null quand le montant est inconnu" })
}
fn booleen() -> Value {
    json!({ "type": "boolean" })
}
fn tableau(elements: Value) -> Value {
    json!({ "type": "array", "items": elements })
}
fn codes<T: Code>() -> Value {
    json!({ "type": "string", "enum": T::TOUS.iter().map(|v| v.code()).collect::<Vec<_>>() })
}
fn codes_nuls<T: Code>() -> Value {
    let mut v = codes::<T>();
    v["nullable"] = json!(true);
    if let Some(e) = v["enum"].as_array_mut() {
        e.push(Value::Null);
    }
    v
}

/// An object whose every listed property is always present (null when unknown) and which
/// has no other.
fn objet(proprietes: &[(&str, Value)]) -> Value {
    let mut props = Map::new();
    for (nom, schema) in proprietes {
        props.insert((*nom).to_owned(), schema.clone());
    }
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": proprietes.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
        "properties": props,
    })
}

/// The page shape every list shares.
fn liste(element: &str) -> Value {
    objet(&[
        ("total", entier()),
        ("page", entier()),
        ("par_page", entier()),
        ("pages", entier()),
        ("elements", tableau(r(element))),
    ])
}

fn schemas() -> Value {
    let collectivite = objet(&[
        ("id", entier()),
        (
            "pays",
            json!({ "type": "string", "description": "ISO 3166-1 alpha-2", "pattern": "^[A-Z]{2}$" }),
        ),
        ("niveau", codes::<Niveau>()),
        ("libelle_niveau", texte_nul()),
        ("code", texte_nul()),
        ("nom", texte()),
        ("parent_id", entier_nul()),
        ("valide_du", date_nulle()),
        ("valide_au", date_nulle()),
        ("actuelle", booleen()),
        ("population", entier_nul()),
    ]);
    let montant = objet(&[
        (
            "unites_mineures",
            json!({ "type": "integer", "minimum": 0, "description": "montant exact en unités mineures de la devise (centimes ; francs pour le XOF)" }),
        ),
        (
            "devise",
            json!({ "type": "string", "enum": ["XOF", "EUR", "USD", "CAD", "GBP", "CHF"] }),
        ),
        ("decimales", json!({ "type": "integer", "enum": [0, 2] })),
    ]);
    let type_financement = json!({ "type": "string", "enum": ["engagement", "decaissement"] });
    let total = objet(&[
        ("type", type_financement.clone()),
        ("montant", r("Montant")),
        ("nombre", entier()),
    ]);
    let action_resume = [
        ("id", entier()),
        ("partenariat_id", entier()),
        ("titre", texte()),
        ("axe", codes::<Axe>()),
        ("domaine", codes::<Domaine>()),
        (
            "code_cad",
            json!({ "type": "string", "pattern": "^[0-9]{5}$" }),
        ),
        ("nature", codes::<Nature>()),
        ("statut", codes::<StatutAction>()),
        ("debut", date_nulle()),
        ("fin", date_nulle()),
        ("lieux", tableau(r("Collectivite"))),
    ];
    let mut fiche_action = action_resume.to_vec();
    fiche_action.extend([
        ("description", texte_nul()),
        (
            "modifie_le",
            json!({ "type": "string", "format": "date-time" }),
        ),
        (
            "partenariat",
            objet(&[("id", entier()), ("titre", texte())]),
        ),
        (
            "financements",
            tableau(objet(&[
                ("id", entier()),
                ("source_id", entier()),
                ("source_nom", texte()),
                ("type", type_financement),
                ("montant", r("Montant")),
                ("annee", entier()),
            ])),
        ),
        ("totaux", tableau(r("Total"))),
    ]);
    let lien = objet(&[("collectivite", r("Collectivite")), ("date_effet", date())]);
    let partenariat_resume = objet(&[
        ("id", entier()),
        ("titre", texte()),
        ("statut", codes::<StatutPartenariat>()),
        ("etape", codes_nuls::<Etape>()),
        ("demonstration", booleen()),
        (
            "modifie_le",
            json!({ "type": "string", "format": "date-time" }),
        ),
        ("parties", tableau(r("Collectivite"))),
    ]);
    let fiche_partenariat = objet(&[
        ("id", entier()),
        ("titre", texte()),
        ("description", texte_nul()),
        ("statut", codes::<StatutPartenariat>()),
        ("source", texte_nul()),
        ("demonstration", booleen()),
        (
            "modifie_le",
            json!({ "type": "string", "format": "date-time" }),
        ),
        ("confirme_le", date_nulle()),
        ("etape_actuelle", codes_nuls::<Etape>()),
        ("niveaux_asymetriques", booleen()),
        ("parties", tableau(r("Collectivite"))),
        (
            "etapes",
            tableau(objet(&[
                ("etape", codes::<Etape>()),
                ("depuis", date()),
                ("note", texte_nul()),
            ])),
        ),
        (
            "conventions",
            tableau(objet(&[
                ("intitule", texte()),
                ("signee_le", date_nulle()),
                ("duree_mois", entier_nul()),
                ("reconduction", codes::<crate::model::Reconduction>()),
                ("echeance", date_nulle()),
                ("document", texte_nul()),
            ])),
        ),
        (
            "intermediaires",
            tableau(objet(&[
                ("acteur_id", entier()),
                ("nom", texte()),
                ("role", codes::<crate::model::RoleIntermediaire>()),
                ("precision", texte_nul()),
            ])),
        ),
        ("actions", tableau(r("ActionResume"))),
        ("totaux", tableau(r("Total"))),
    ]);
    let fiche_collectivite = objet(&[
        ("collectivite", r("Collectivite")),
        ("ancetres", tableau(r("Collectivite"))),
        ("enfants", tableau(r("Collectivite"))),
        ("intercommunalites", tableau(r("Collectivite"))),
        ("membres", tableau(r("Collectivite"))),
        ("successeurs", tableau(r("Succession"))),
        ("predecesseurs", tableau(r("Succession"))),
        ("partenariats", r("ListePartenariats")),
        ("actions", tableau(r("ActionResume"))),
        ("totaux", tableau(r("Total"))),
    ]);
    let candidat = objet(&[
        (
            "country",
            json!({ "type": "string", "pattern": "^[A-Z]{2}$" }),
        ),
        ("level", codes::<Niveau>()),
        ("code", texte_nul()),
        ("name", texte()),
        ("parent", texte_nul()),
        ("current", booleen()),
        ("successors", tableau(texte_nul())),
        (
            "score",
            json!({ "type": "number", "minimum": 0, "maximum": 1 }),
        ),
        (
            "reason",
            json!({ "type": "string", "enum": ["exact", "normalised", "former_name", "prefix", "fuzzy"] }),
        ),
        ("ambiguous", booleen()),
        ("id", entier()),
    ]);
    let erreur = objet(&[
        (
            "error",
            json!({ "type": "string", "enum": [
                "parametre_invalide", "introuvable", "methode_non_autorisee", "non_authentifie",
                "interdit", "corps_illisible", "corps_invalide", "trop_de_requetes", "erreur_interne"
            ] }),
        ),
        (
            "message",
            json!({ "type": "string", "description": "phrase en français qui nomme le paramètre, la valeur et ce qui est attendu" }),
        ),
    ]);
    let mut tout = json!({
        "Erreur": erreur,
        "Collectivite": collectivite,
        "Montant": montant,
        "Total": total,
        "Succession": lien,
        "PartenariatResume": partenariat_resume,
        "ActionResume": objet(&action_resume),
        "ListeCollectivites": liste("Collectivite"),
        "ListePartenariats": liste("PartenariatResume"),
        "ListeActions": liste("ActionResume"),
        "FicheCollectivite": fiche_collectivite,
        "FichePartenariat": fiche_partenariat,
        "FicheAction": objet(&fiche_action),
        "Candidat": candidat,
    });
    if let Some(tout) = tout.as_object_mut() {
        for autres in [schemas_apercu(), schemas_ecriture()] {
            if let Value::Object(o) = autres {
                tout.extend(o);
            }
        }
    }
    tout
}

/// The bodies of writes. Optional fields may be left out; unknown fields are refused.
fn schemas_ecriture() -> Value {
    let facultatif = |mut schema: Value, requis: &[&str]| {
        schema["required"] = json!(requis);
        schema
    };
    json!({
        "DeclarationPartenariat": facultatif(objet(&[
            ("titre", texte()),
            ("description", texte_nul()),
            ("statut", codes::<StatutPartenariat>()),
            ("partie_malienne", json!({ "type": "integer", "description": "une collectivité malienne pour laquelle le compte agit" })),
            ("partenaire", json!({ "type": "integer", "description": "la collectivité étrangère partenaire (cherchez-la avec /api/v1/recherche)" })),
        ]), &["titre", "partie_malienne", "partenaire"]),
        "DeclarationAction": facultatif(objet(&[
            ("titre", texte()),
            ("description", texte_nul()),
            ("axe", codes::<Axe>()),
            ("domaine", codes::<Domaine>()),
            ("nature", codes::<Nature>()),
            ("statut", codes::<StatutAction>()),
            ("debut", date_nulle()),
            ("fin", date_nulle()),
            ("lieux", json!({ "type": "array", "items": { "type": "integer" }, "description": "parties maliennes du partenariat ou leurs subdivisions directes" })),
            ("financement", r("NouveauFinancement")),
        ]), &["titre", "axe", "domaine", "nature", "statut"]),
        "NouveauFinancement": facultatif(objet(&[
            ("type", json!({ "type": "string", "enum": ["engagement", "decaissement"] })),
            ("montant", r("MontantSaisi")),
            ("annee", json!({ "type": "integer", "minimum": 1960, "maximum": 2100 })),
            ("source", json!({ "type": "string", "description": "d'où vient l'argent ; un acteur de ce nom est créé s'il n'existe pas" })),
            ("type_source", json!({ "type": "string", "description": "type d'organisation IATI de la source (11 collectivité territoriale par défaut)" })),
        ]), &["type", "montant", "annee", "source"]),
        "MontantSaisi": facultatif(objet(&[
            ("unites_mineures", json!({ "type": "integer", "minimum": 0, "description": "montant exact en unités mineures de la devise" })),
            ("devise", json!({ "type": "string", "enum": ["XOF", "EUR", "USD", "CAD", "GBP", "CHF"] })),
            ("decimales", json!({ "type": "integer", "enum": [0, 2], "description": "facultatif ; s'il est donné, celui de la devise" })),
        ]), &["unites_mineures", "devise"]),
        "Cree": objet(&[
            ("id", entier()),
            ("validation", json!({ "type": "string", "enum": ["soumis", "valide"] })),
        ]),
        "FinancementAjoute": objet(&[
            ("action_id", entier()),
            ("a_revalider", json!({ "type": "boolean", "description": "l'action retourne à la validation nationale (compte de collectivité)" })),
        ]),
    })
}

/// The aperçu, as docs/apercu.md documents it field by field.
fn schemas_apercu() -> Value {
    let part = || json!({ "type": "number", "minimum": 0, "maximum": 1 });
    let zone = objet(&[
        ("id", entier()),
        ("region", texte()),
        ("code", texte_nul()),
        ("dans", texte_nul()),
        ("partenariats", entier()),
        ("actions", entier()),
        ("part_partenariats", part()),
        ("part_actions", part()),
    ]);
    let top = objet(&[
        ("id", entier()),
        ("titre", texte()),
        ("montant_eur", euros()),
        ("engagements_eur", euros()),
        ("decaissements_eur", euros()),
        ("conversion_incomplete", booleen()),
        ("actions", entier()),
    ]);
    let titre = objet(&[("id", entier()), ("titre", texte()), ("lien", texte())]);
    let signalement = objet(&[("total", entier()), ("exemples", tableau(r("ApercuTitre")))]);
    let apercu = objet(&[
        ("date", date()),
        ("division", texte()),
        ("partenariats_actifs", entier()),
        ("actions", entier()),
        (
            "par_pays",
            tableau(objet(&[
                ("pays", texte()),
                ("nom", texte()),
                ("partenariats", entier()),
                ("part", part()),
            ])),
        ),
        ("par_region", tableau(r("ApercuZone"))),
        (
            "total_regions",
            objet(&[("partenariats", entier()), ("actions", entier())]),
        ),
        ("par_cercle", tableau(r("ApercuZone"))),
        ("par_commune", tableau(r("ApercuZone"))),
        ("top_partenariats", tableau(r("ApercuTop"))),
        ("plus_actifs", tableau(r("ApercuTop"))),
        (
            "par_axe",
            tableau(objet(&[
                ("axe", codes::<Axe>()),
                ("libelle", texte()),
                ("actions", entier()),
                ("part", part()),
                ("montant_eur", euros()),
            ])),
        ),
        (
            "par_domaine",
            tableau(objet(&[
                ("domaine", codes::<Domaine>()),
                ("libelle", texte()),
                ("code_cad", texte()),
                ("actions", entier()),
                ("montant_eur", euros()),
            ])),
        ),
        (
            "par_annee",
            tableau(objet(&[
                ("annee", entier()),
                ("actions", entier()),
                ("engagements_eur", euros()),
                ("decaissements_eur", euros()),
            ])),
        ),
        (
            "etapes",
            tableau(objet(&[
                ("etape", texte()),
                ("libelle", texte()),
                ("partenariats", entier()),
                ("part", part()),
            ])),
        ),
        (
            "transitions",
            tableau(objet(&[
                ("annee", entier()),
                ("etape", codes::<Etape>()),
                ("partenariats", entier()),
            ])),
        ),
        (
            "couverture",
            objet(&[
                ("collectivites", entier()),
                ("avec_partenariat", entier()),
                ("part", part()),
                (
                    "par_niveau",
                    tableau(objet(&[
                        ("niveau", texte()),
                        ("collectivites", entier()),
                        ("avec_partenariat", entier()),
                        ("part", part()),
                    ])),
                ),
            ]),
        ),
        (
            "zones_blanches",
            tableau(objet(&[
                ("region", texte()),
                ("code", texte_nul()),
                (
                    "communes",
                    tableau(objet(&[
                        ("id", entier()),
                        ("nom", texte()),
                        ("code", texte_nul()),
                    ])),
                ),
            ])),
        ),
        (
            "coordination",
            tableau(objet(&[
                ("lieu_id", entier()),
                ("lieu", texte()),
                ("domaine", codes::<Domaine>()),
                ("partenariats", tableau(entier())),
            ])),
        ),
        ("coordination_total", entier()),
        (
            "asymetries",
            tableau(objet(&[
                ("id", entier()),
                ("titre", texte()),
                ("niveaux_maliens", tableau(codes::<Niveau>())),
                ("niveaux_etrangers", tableau(codes::<Niveau>())),
            ])),
        ),
        (
            "qualite",
            objet(&[
                ("actions_echues_en_cours", r("ApercuSignalement")),
                ("partenariats_non_confirmes", r("ApercuSignalement")),
                ("doublons_probables", tableau(tableau(r("ApercuTitre")))),
                ("actions_sans_financement", r("ApercuSignalement")),
                ("actions_sans_lieu", r("ApercuSignalement")),
            ]),
        ),
        ("devises_non_converties", tableau(texte())),
    ]);
    json!({
        "Apercu": apercu,
        "ApercuZone": zone,
        "ApercuTop": top,
        "ApercuTitre": titre,
        "ApercuSignalement": signalement,
    })
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
            "étape atteinte aujourd'hui",
            codes::<Etape>(),
            None,
        ),
        parametre(
            "statut",
            "statut du partenariat",
            codes::<StatutPartenariat>(),
            Some(json!("actif")),
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
            "Partenariats publics filtrés comme la page /partenariats, par titre puis identifiant",
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
                niveau,
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
