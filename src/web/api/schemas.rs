//! The component schemas of the OpenAPI document: the records as `json.rs` writes them,
//! the aperçu as docs/apercu.md documents it, and the bodies of writes. Every object lists
//! all its properties as required (null when unknown) and refuses others, so that
//! `tests/api.rs` fails when a field is renamed, added or missing.

use serde_json::{Map, Value, json};

use crate::model::{
    Axe, Code, Domaine, Etape, ListeIati, MethodeLien, MotifNonLie, Nature, Niveau, StatutAction,
    StatutPartenariat, codes_iati,
};

pub(super) fn r(nom: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{nom}") })
}
pub(super) fn texte() -> Value {
    json!({ "type": "string" })
}
fn texte_nul() -> Value {
    json!({ "type": "string", "nullable": true })
}
pub(super) fn date() -> Value {
    json!({ "type": "string", "format": "date" })
}
pub(super) fn date_nulle() -> Value {
    json!({ "type": "string", "format": "date", "nullable": true })
}
pub(super) fn entier() -> Value {
    json!({ "type": "integer" })
}
/// An exact value as files write it: digits, and at most one decimal after a point.
const VALEUR: &str = "^[0-9]+(\\.[0-9])?$";

/// A value with its date (the date is always there for a baseline).
fn valeur_datee(date_requise: bool, description: &str) -> Value {
    let mut v = objet(&[
        ("valeur", json!({ "type": "string", "pattern": VALEUR })),
        ("date", if date_requise { date() } else { date_nulle() }),
    ]);
    v["nullable"] = json!(true);
    v["description"] = json!(description);
    v
}

fn entier_nul() -> Value {
    json!({ "type": "integer", "nullable": true })
}
fn euros() -> Value {
    json!({ "type": "number", "nullable": true, "description": "euros, au plus deux décimales ; null quand le montant est inconnu" })
}
fn francs() -> Value {
    json!({ "type": "integer", "nullable": true, "description": "le même montant en francs CFA (XOF), entier ; null quand il est inconnu" })
}
/// The money of the overview's `Montants`: each sum in euros and its twin in francs CFA.
fn montants() -> [(&'static str, Value); 7] {
    [
        ("montant_eur", euros()),
        ("montant_xof", francs()),
        ("engagements_eur", euros()),
        ("engagements_xof", francs()),
        ("decaissements_eur", euros()),
        ("decaissements_xof", francs()),
        ("conversion_incomplete", booleen()),
    ]
}
/// WGS 84 decimal degrees.
fn latitude() -> Value {
    json!({ "type": "number", "minimum": -90, "maximum": 90 })
}
fn longitude() -> Value {
    json!({ "type": "number", "minimum": -180, "maximum": 180 })
}
fn booleen() -> Value {
    json!({ "type": "boolean" })
}
pub(super) fn tableau(elements: Value) -> Value {
    json!({ "type": "array", "items": elements })
}
pub(super) fn codes<T: Code>() -> Value {
    json!({ "type": "string", "enum": T::TOUS.iter().map(|v| v.code()).collect::<Vec<_>>() })
}
/// A collectivité's level, or `localite`: what the resolver looks for and proposes.
pub(super) fn niveaux_ou_localite() -> Value {
    let mut v = codes::<Niveau>();
    if let Some(e) = v["enum"].as_array_mut() {
        e.push(json!(crate::referentiel::Portee::LOCALITE));
    }
    v
}
/// The étape filter of the partenariats: an étape's code or `non_renseignee`.
pub(super) fn etapes_ou_non_renseignee() -> Value {
    let mut v = codes::<crate::model::Etape>();
    if let Some(e) = v["enum"].as_array_mut() {
        e.push(json!(
            crate::store::partenariat::FiltreEtape::NON_RENSEIGNEE
        ));
    }
    v
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
pub(super) fn objet(proprietes: &[(&str, Value)]) -> Value {
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

pub(super) fn schemas() -> Value {
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
        ("points", tableau(r("Point"))),
        ("localites", tableau(r("Localite"))),
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
        ("resultats", tableau(r("Resultat"))),
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
        (
            "toutes_les_actions",
            decompte("/api/v1/actions?collectivite={id}"),
        ),
        ("totaux", tableau(r("Total"))),
        (
            "interventions",
            decompte("/api/v1/interventions?collectivite={id}"),
        ),
    ]);
    let candidat = objet(&[
        (
            "country",
            json!({ "type": "string", "pattern": "^[A-Z]{2}$" }),
        ),
        ("level", niveaux_ou_localite()),
        ("code", texte_nul()),
        ("name", texte()),
        ("parent", texte_nul()),
        ("parent_code", texte_nul()),
        ("parent_id", entier_nul()),
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
        ("id", entier_nul()),
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
        "Point": objet(&[
            ("latitude", latitude()),
            ("longitude", longitude()),
            ("libelle", texte_nul()),
            (
                "commune",
                json!({ "type": "string", "nullable": true, "description": "code de la commune qui contient le point (de son cercle dans les rares communes de la carte sans correspondance) ; null hors du Mali" }),
            ),
        ]),
        "Localite": objet(&[
            ("pcode", json!({ "type": "string", "pattern": "^ML[0-9]{9}$", "description": "code P de la localité (COD, DNCT/OCHA)" })),
            ("nom", json!({ "type": "string" })),
            ("commune_id", json!({ "type": "integer", "description": "la collectivité où elle se trouve : sa commune (son cercle pour les rares villages d'une commune que benkan n'a pas)" })),
            ("longitude", longitude()),
            ("latitude", latitude()),
        ]),
        "Total": total,
        "Resultat": objet(&[
            ("indicateur", json!({ "type": "string", "nullable": true, "description": "code de l'indicateur dans le catalogue de benkan (data/indicateurs) ; null pour un indicateur propre à l'action" })),
            ("libelle", texte()),
            ("unite", codes::<crate::model::Unite>()),
            ("base", valeur_datee(true, "situation de départ et date où elle a été observée")),
            ("cible", valeur_datee(false, "cible, et date où elle doit être atteinte si elle est dite")),
            ("atteint", json!({ "type": "string", "nullable": true, "pattern": VALEUR, "description": "somme des valeurs mesurées (la plus récente pour un pourcentage) ; null si rien n'est mesuré" })),
            ("periodes", tableau(objet(&[
                ("debut", date()),
                ("fin", date()),
                ("valeur", json!({ "type": "string", "pattern": VALEUR })),
                ("femmes", entier_nul()),
                ("hommes", entier_nul()),
                ("commentaire", texte_nul()),
                ("source", texte_nul()),
            ]))),
        ]),
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
        for autres in [
            schemas_apercu(),
            schemas_ecriture(),
            schemas_interventions(),
            schemas_bourse(),
        ] {
            if let Value::Object(o) = autres {
                tout.extend(o);
            }
        }
    }
    tout
}

/// La bourse aux partenariats: demandes and offres as the public reads them, never a
/// contact.
fn schemas_bourse() -> Value {
    use crate::model::bourse::{Capacite, EtatAnnonce, Langue};
    let vocables = |codes: Value| tableau(objet(&[("code", codes), ("libelle", texte())]));
    let region = objet(&[("id", entier()), ("nom", texte())]);
    let mut region_nulle = region.clone();
    region_nulle["nullable"] = json!(true);
    let collectivite = [
        ("id", entier()),
        (
            "nom",
            json!({ "type": "string", "description": "désignation, « commune de Kayes »" }),
        ),
        (
            "pays",
            json!({ "type": "string", "description": "ISO 3166-1 alpha-2", "pattern": "^[A-Z]{2}$" }),
        ),
        ("niveau", codes::<Niveau>()),
        ("region", region_nulle),
    ];
    let mut collectivite_nulle = objet(&collectivite);
    collectivite_nulle["nullable"] = json!(true);
    let pays_nul = json!({ "type": "string", "nullable": true, "pattern": "^[A-Z]{2}$" });
    let mut etats: Vec<&str> = EtatAnnonce::TOUS.iter().map(|e| e.code()).collect();
    etats.push(EtatAnnonce::EXPIREE);
    let etat = json!({ "type": "string", "enum": etats, "description": "expiree : ouverte mais passée sa date limite" });
    let publiee_le = json!({ "type": "string", "format": "date-time" });
    let demande = objet(&[
        ("id", entier()),
        ("titre", texte()),
        ("besoin", texte()),
        ("domaines", vocables(codes::<Domaine>())),
        ("axes", vocables(codes::<Axe>())),
        ("langues", vocables(codes::<Langue>())),
        ("objectif_pdesc", texte_nul()),
        ("niveau_souhaite", codes_nuls::<Niveau>()),
        ("pays_souhaite", pays_nul.clone()),
        ("collectivite", objet(&collectivite)),
        ("ouverte_jusqu_au", date()),
        ("etat", etat.clone()),
        ("publiee_le", publiee_le.clone()),
        ("page", texte()),
    ]);
    let mut fourchette = objet(&[("de", r("Montant")), ("a", r("Montant"))]);
    fourchette["nullable"] = json!(true);
    let mut acteur = objet(&[
        ("id", entier()),
        ("nom", texte()),
        ("pays", pays_nul.clone()),
    ]);
    acteur["nullable"] = json!(true);
    let offre = objet(&[
        ("id", entier()),
        ("titre", texte()),
        ("expertise", texte()),
        ("domaines", vocables(codes::<Domaine>())),
        ("langues", vocables(codes::<Langue>())),
        ("capacites", vocables(codes::<Capacite>())),
        ("financement", fourchette),
        ("collectivite", collectivite_nulle),
        ("acteur", acteur),
        ("pays", pays_nul),
        ("regions_connues", tableau(region)),
        ("ouverte_jusqu_au", date()),
        ("etat", etat),
        ("publiee_le", publiee_le),
        ("page", texte()),
    ]);
    json!({
        "DemandeBourse": demande,
        "OffreBourse": offre,
        "ListeDemandesBourse": liste("DemandeBourse"),
        "ListeOffresBourse": liste("OffreBourse"),
    })
}

/// The « autres interventions » imported from IATI: codes travel with their French label.
fn schemas_interventions() -> Value {
    let code = |liste: ListeIati| {
        let codes = codes_iati(liste);
        let mut schema = objet(&[("code", texte()), ("libelle", texte_nul())]);
        schema["description"] = json!(format!(
            "un code de la liste IATI {} et son libellé français (null si la liste ne le connaît pas){}",
            liste.nom(),
            if codes.len() <= 20 {
                format!(" ; codes : {}", codes.join(", "))
            } else {
                String::new()
            }
        ));
        schema
    };
    let nul = |mut schema: Value| {
        schema["nullable"] = json!(true);
        schema
    };
    // OpenAPI 3.0 ignores what stands beside a $ref: a nullable reference wraps it.
    let reference_nulle = |nom: &str| json!({ "allOf": [r(nom)], "nullable": true });
    let enumeration_nulle = |codes: &mut dyn Iterator<Item = &'static str>| {
        let mut valeurs: Vec<Value> = codes.map(Value::from).collect();
        valeurs.push(Value::Null);
        json!({ "type": "string", "nullable": true, "enum": valeurs })
    };
    let narratif = nul(objet(&[("texte", texte()), ("langue", texte_nul())]));
    let resume = objet(&[
        ("id", entier()),
        ("identifiant_iati", texte()),
        ("titre", texte_nul()),
        ("editeur_ref", texte_nul()),
        ("editeur_nom", texte_nul()),
        ("statut", reference_nulle("StatutActiviteIati")),
        ("debut", date_nulle()),
        ("fin", date_nulle()),
        ("lieux", tableau(r("Collectivite"))),
    ]);
    let fiche = objet(&[
        ("id", entier()),
        ("identifiant_iati", texte()),
        (
            "version_iati",
            json!({ "type": "string", "enum": ["2.01", "2.02", "2.03"] }),
        ),
        ("derniere_maj_iati", texte_nul()),
        ("titre", narratif.clone()),
        ("description", narratif),
        (
            "editeur",
            objet(&[
                ("reference", texte_nul()),
                ("nom", texte_nul()),
                ("type", nul(code(ListeIati::TypeOrganisation))),
            ]),
        ),
        ("statut", reference_nulle("StatutActiviteIati")),
        (
            "dates",
            objet(&[
                ("debut_prevu", date_nulle()),
                ("debut_reel", date_nulle()),
                ("fin_prevue", date_nulle()),
                ("fin_reelle", date_nulle()),
            ]),
        ),
        ("pourcentage_mali", texte_nul()),
        (
            "lieux",
            tableau(objet(&[
                ("nom", texte_nul()),
                ("description", texte_nul()),
                ("code_administratif", texte_nul()),
                (
                    "point",
                    nul(objet(&[
                        ("latitude", latitude()),
                        ("longitude", longitude()),
                    ])),
                ),
                ("exactitude", texte_nul()),
                ("portee", texte_nul()),
                ("collectivites", tableau(r("Collectivite"))),
                ("collectivite", reference_nulle("Collectivite")),
                (
                    "methode",
                    enumeration_nulle(&mut MethodeLien::TOUTES.iter().map(|m| m.code())),
                ),
                (
                    "motif",
                    enumeration_nulle(&mut MotifNonLie::TOUS.iter().map(|m| m.code())),
                ),
            ])),
        ),
        (
            "secteurs",
            tableau(objet(&[
                ("vocabulaire", code(ListeIati::VocabulaireSecteur)),
                ("code", texte()),
                ("libelle", texte_nul()),
                ("pourcentage", texte_nul()),
            ])),
        ),
        (
            "participants",
            tableau(objet(&[
                ("role", nul(code(ListeIati::RoleOrganisation))),
                ("reference", texte_nul()),
                ("nom", texte_nul()),
                ("type", nul(code(ListeIati::TypeOrganisation))),
            ])),
        ),
        (
            "transactions",
            tableau(objet(&[
                ("type", code(ListeIati::TypeTransaction)),
                ("date", date_nulle()),
                ("valeur", r("ValeurIati")),
                ("date_valeur", date_nulle()),
                ("fournisseur", texte_nul()),
                ("beneficiaire", texte_nul()),
            ])),
        ),
        ("resultats", tableau(r("ResultatIati"))),
        ("fichier", texte()),
        (
            "importe_le",
            json!({ "type": "string", "format": "date-time" }),
        ),
        (
            "d_portal",
            json!({ "type": "string", "description": "l'activité sur d-portal, la visionneuse publique d'IATI" }),
        ),
    ]);
    let valeur = objet(&[
        (
            "unites_mineures",
            json!({ "type": "integer", "description": "montant exact en unités mineures de la devise ; négatif pour un remboursement ou une correction" }),
        ),
        (
            "devise",
            json!({ "type": "string", "pattern": "^[A-Z]{3}$", "description": "ISO 4217" }),
        ),
        ("decimales", json!({ "type": "integer", "enum": [0, 2, 3] })),
    ]);
    // Exact: the decimal's one written form, as a string.
    let decimal =
        json!({ "type": "string", "nullable": true, "pattern": "^-?[0-9]+(\\.[0-9]+)?$" });
    let valeur_resultat = objet(&[
        ("valeur", decimal.clone()),
        (
            "dimensions",
            tableau(objet(&[("nom", texte()), ("valeur", texte())])),
        ),
    ]);
    let mut resultat = objet(&[
        (
            "type",
            json!({ "type": "string", "nullable": true, "description": "code IATI ResultType : 1 produit, 2 effet, 3 impact, 9 autre" }),
        ),
        ("titre", texte_nul()),
        ("indicateur", texte_nul()),
        (
            "mesure",
            json!({ "type": "string", "nullable": true, "description": "code IATI IndicatorMeasure : 1 unité, 2 pourcentage, 3 nominal, 4 ordinal, 5 qualitatif" }),
        ),
        ("croissant", json!({ "type": "boolean", "nullable": true })),
        (
            "reference",
            nul(objet(&[("vocabulaire", texte()), ("code", texte())])),
        ),
        (
            "base",
            nul(objet(&[
                ("annee", entier_nul()),
                ("date", date_nulle()),
                ("valeur", decimal),
            ])),
        ),
        (
            "periodes",
            tableau(objet(&[
                ("debut", date_nulle()),
                ("fin", date_nulle()),
                ("cibles", tableau(valeur_resultat.clone())),
                ("atteints", tableau(valeur_resultat)),
            ])),
        ),
    ]);
    resultat["description"] = json!(
        "un indicateur d'un <result> publié, tel quel ; une valeur qui n'était pas un nombre est null"
    );
    json!({
        "StatutActiviteIati": code(ListeIati::StatutActivite),
        "ResultatIati": resultat,
        "ValeurIati": valeur,
        "InterventionResume": resume,
        "ListeInterventions": liste("InterventionResume"),
        "FicheIntervention": fiche,
    })
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
            ("points", json!({ "type": "array", "maxItems": crate::model::POINTS_MAX, "items": r("PointSaisi"), "description": "où l'action a lieu précisément (un puits, une école) ; chaque point est rattaché à la commune qui le contient" })),
            ("localites", json!({ "type": "array", "maxItems": crate::model::LOCALITES_MAX, "items": { "type": "string", "pattern": "^ML[0-9]{9}$" }, "description": "codes P des villages où l'action a lieu, dans le territoire des parties maliennes du partenariat ; chacun compte pour sa commune, son cercle et sa région" })),
            ("financement", r("NouveauFinancement")),
        ]), &["titre", "axe", "domaine", "nature", "statut"]),
        "NouveauFinancement": facultatif(objet(&[
            ("type", json!({ "type": "string", "enum": ["engagement", "decaissement"] })),
            ("montant", r("MontantSaisi")),
            ("annee", json!({ "type": "integer", "minimum": 1960, "maximum": 2100 })),
            ("source", json!({ "type": "string", "description": "d'où vient l'argent ; un acteur de ce nom est créé s'il n'existe pas" })),
            ("type_source", json!({ "type": "string", "description": "type d'organisation IATI de la source (11 collectivité territoriale par défaut)" })),
        ]), &["type", "montant", "annee", "source"]),
        "PointSaisi": facultatif(objet(&[
            ("latitude", latitude()),
            ("longitude", longitude()),
            ("libelle", json!({ "type": "string", "nullable": true, "maxLength": 200, "description": "une ligne, sans « | »" })),
        ]), &["latitude", "longitude"]),
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
        ("montant_eur", euros()),
        ("montant_xof", francs()),
        ("montant_incomplet", booleen()),
        ("interventions", entier()),
    ]);
    let mut top = vec![("id", entier()), ("titre", texte())];
    top.extend(montants());
    top.push(("actions", entier()));
    let top = objet(&top);
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
                ("montant_xof", francs()),
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
                ("montant_xof", francs()),
            ])),
        ),
        (
            "par_annee",
            tableau(objet(&[
                ("annee", entier()),
                ("actions", entier()),
                ("engagements_eur", euros()),
                ("engagements_xof", francs()),
                ("decaissements_eur", euros()),
                ("decaissements_xof", francs()),
            ])),
        ),
        ("financements", objet(&montants())),
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
            "bourse",
            objet(&[
                ("demandes_ouvertes", entier()),
                ("offres_ouvertes", entier()),
                ("nes_dans_l_annee", entier()),
            ]),
        ),
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
                ("actions_terminees_sans_resultat", r("ApercuSignalement")),
            ]),
        ),
        (
            "realisations",
            objet(&[
                ("actions_mesurees", entier()),
                ("resultats_propres", entier()),
                ("indicateurs", tableau(r("ApercuIndicateur"))),
                (
                    "par_region",
                    tableau(objet(&[
                        ("id", entier()),
                        ("region", texte()),
                        ("code", texte_nul()),
                        ("indicateurs", tableau(r("ApercuIndicateur"))),
                    ])),
                ),
                (
                    "par_axe",
                    tableau(objet(&[
                        ("axe", codes::<Axe>()),
                        ("libelle", texte()),
                        ("indicateurs", tableau(r("ApercuIndicateur"))),
                    ])),
                ),
            ]),
        ),
        ("devises_non_converties", tableau(texte())),
    ]);
    let nombre_nul = || json!({ "type": "number", "minimum": 0, "nullable": true });
    let entier_nul = || json!({ "type": "integer", "minimum": 0, "nullable": true });
    let part_nulle = || json!({ "type": "number", "minimum": 0, "maximum": 1, "nullable": true });
    let indicateur = objet(&[
        ("code", texte()),
        ("libelle", texte()),
        (
            "unite",
            json!({ "type": "string", "enum": ["nombre", "personnes", "km", "ha", "pourcentage"] }),
        ),
        ("retire", booleen()),
        ("actions", entier()),
        ("actions_mesurees", entier()),
        ("valeur", nombre_nul()),
        ("moyenne", nombre_nul()),
        ("femmes", entier_nul()),
        ("hommes", entier_nul()),
        ("part_femmes", part_nulle()),
        ("actions_avec_cible", entier()),
        ("cible", nombre_nul()),
        ("atteint", nombre_nul()),
        (
            "progression",
            json!({ "type": "number", "minimum": 0, "nullable": true, "description": "atteint / cible, peut dépasser 1" }),
        ),
        ("cibles_atteintes", entier()),
        ("lien", texte()),
    ]);
    json!({
        "Apercu": apercu,
        "ApercuZone": zone,
        "ApercuTop": top,
        "ApercuTitre": titre,
        "ApercuSignalement": signalement,
        "ApercuIndicateur": indicateur,
    })
}

/// How many records of a kind, and the list route that gives them.
fn decompte(liste: &str) -> Value {
    objet(&[
        ("total", entier()),
        ("liste", json!({ "type": "string", "description": liste })),
    ])
}
