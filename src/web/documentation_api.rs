//! `/api`: the API described for people, read from the OpenAPI document the API itself
//! serves (`api::openapi`), so that the page cannot drift from it: each path and method,
//! its parameters with their descriptions and admitted values, its request body and the
//! schema of each response.

use std::sync::LazyLock;

use askama::Template;
use serde_json::Value;

use super::api::openapi;
use super::format::Html;

/// One method on one path.
pub struct Operation {
    pub methode: String,
    pub chemin: String,
    /// The anchor of its section (`get-api-v1-partenariats`).
    pub ancre: String,
    pub resume: String,
    /// It needs a personal token.
    pub jeton: bool,
    pub parametres: Vec<Parametre>,
    /// The schema of the JSON body it takes.
    pub corps: Option<String>,
    pub reponses: Vec<ReponseDecrite>,
}

pub struct Parametre {
    pub nom: String,
    /// « chemin » or « requête ».
    pub place: &'static str,
    pub obligatoire: bool,
    pub description: String,
    pub valeurs: String,
}

pub struct ReponseDecrite {
    pub statut: String,
    pub description: String,
    pub schema: Option<String>,
}

#[derive(Template)]
#[template(path = "documentation_api.html")]
pub struct PageApi {
    titre_api: String,
    description: String,
    operations: &'static [Operation],
}

/// The operations of the document, by path then method (GET before POST).
pub fn operations(document: &Value) -> Vec<Operation> {
    let mut liste = Vec::new();
    let Some(chemins) = document["paths"].as_object() else {
        return liste;
    };
    for (chemin, methodes) in chemins {
        let Some(methodes) = methodes.as_object() else {
            continue;
        };
        for methode in ["get", "post", "put", "patch", "delete"] {
            if let Some(op) = methodes.get(methode) {
                liste.push(operation(document, chemin, methode, op));
            }
        }
    }
    liste
}

fn operation(document: &Value, chemin: &str, methode: &str, op: &Value) -> Operation {
    let parametres = op["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| parametre(resoudre(document, p)))
        .collect();
    let corps = op["requestBody"]["content"]["application/json"]["schema"]
        .as_object()
        .map(|_| nom_schema(&op["requestBody"]["content"]["application/json"]["schema"]));
    let reponses = op["responses"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(statut, r)| {
            let r = resoudre(document, r);
            let schema = &r["content"]["application/json"]["schema"];
            ReponseDecrite {
                statut: statut.clone(),
                description: texte(&r["description"]),
                schema: (!schema.is_null()).then(|| nom_schema(schema)),
            }
        })
        .collect();
    let ancre = format!("{methode}{chemin}")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|m| !m.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    Operation {
        methode: methode.to_ascii_uppercase(),
        chemin: chemin.to_owned(),
        ancre,
        resume: texte(&op["summary"]),
        jeton: op.get("security").is_some(),
        parametres,
        corps,
        reponses,
    }
}

/// The object a `$ref` of the document points to, or the value itself.
fn resoudre<'a>(document: &'a Value, valeur: &'a Value) -> &'a Value {
    match valeur["$ref"].as_str() {
        Some(reference) => reference
            .strip_prefix('#')
            .and_then(|pointeur| document.pointer(pointeur))
            .unwrap_or(valeur),
        None => valeur,
    }
}

fn parametre(p: &Value) -> Parametre {
    Parametre {
        nom: texte(&p["name"]),
        place: if p["in"] == "path" {
            "chemin"
        } else {
            "requête"
        },
        obligatoire: p["required"].as_bool().unwrap_or(false),
        description: texte(&p["description"]),
        valeurs: valeurs(&p["schema"]),
    }
}

fn texte(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_owned()
}

/// What a parameter admits, in words: « entier, au moins 1 », « une valeur parmi : … ».
fn valeurs(schema: &Value) -> String {
    if let Some(liste) = schema["enum"].as_array() {
        let codes: Vec<&str> = liste.iter().filter_map(Value::as_str).collect();
        return format!("une valeur parmi : {}", codes.join(", "));
    }
    let mut mots = vec![match (schema["type"].as_str(), schema["format"].as_str()) {
        (Some("string"), Some("date")) => "date AAAA-MM-JJ".to_owned(),
        (Some("string"), _) => "texte".to_owned(),
        (Some("integer"), _) => "entier".to_owned(),
        (Some("number"), _) => "nombre".to_owned(),
        (Some("boolean"), _) => "true ou false".to_owned(),
        (Some(autre), _) => autre.to_owned(),
        (None, _) => "valeur".to_owned(),
    }];
    if let Some(min) = schema["minimum"].as_i64() {
        mots.push(format!("au moins {min}"));
    }
    if let Some(max) = schema["maximum"].as_i64() {
        mots.push(format!("au plus {max}"));
    }
    if let Some(defaut) = schema.get("default") {
        mots.push(format!("{defaut} par défaut"));
    }
    if let Some(motif) = schema["pattern"].as_str() {
        mots.push(format!("de la forme {motif}"));
    }
    mots.join(", ")
}

/// A schema by its component name: `FichePartenariat`, « tableau de Candidat ».
fn nom_schema(schema: &Value) -> String {
    if let Some(reference) = schema["$ref"].as_str() {
        return reference.rsplit('/').next().unwrap_or(reference).to_owned();
    }
    if schema["type"] == "array" {
        return format!("tableau de {}", nom_schema(&schema["items"]));
    }
    "objet JSON".to_owned()
}

pub async fn page() -> Html<PageApi> {
    static DOCUMENT: LazyLock<Value> = LazyLock::new(openapi::openapi);
    static OPERATIONS: LazyLock<Vec<Operation>> = LazyLock::new(|| operations(&DOCUMENT));
    Html(PageApi {
        titre_api: texte(&DOCUMENT["info"]["title"]),
        description: texte(&DOCUMENT["info"]["description"]),
        operations: OPERATIONS.as_slice(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_path_and_method_of_the_document_is_described() {
        let document = openapi::openapi();
        let ops = operations(&document);
        let chemins = document["paths"].as_object().unwrap();
        let attendues: usize = chemins.values().map(|m| m.as_object().unwrap().len()).sum();
        assert_eq!(ops.len(), attendues);
        let declarer = ops
            .iter()
            .find(|o| o.methode == "POST" && o.chemin == "/api/v1/partenariats")
            .unwrap();
        assert!(declarer.jeton);
        assert_eq!(declarer.corps.as_deref(), Some("DeclarationPartenariat"));
        assert_eq!(declarer.ancre, "post-api-v1-partenariats");
        let liste = ops
            .iter()
            .find(|o| o.methode == "GET" && o.chemin == "/api/v1/partenariats")
            .unwrap();
        let page = liste.parametres.iter().find(|p| p.nom == "page").unwrap();
        assert_eq!(page.description, "numéro de page, à partir de 1");
        assert_eq!(page.valeurs, "entier, au moins 1, 1 par défaut");
        let ok = liste.reponses.iter().find(|r| r.statut == "200").unwrap();
        assert_eq!(ok.schema.as_deref(), Some("ListePartenariats"));
        let erreur = liste.reponses.iter().find(|r| r.statut == "400").unwrap();
        assert_eq!(erreur.schema.as_deref(), Some("Erreur"));
    }
}
