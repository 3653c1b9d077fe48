//! Reading URLs: every malformed parameter becomes a 400 with a French message that names
//! the parameter, the value and what was expected.

use std::collections::HashMap;

use axum::extract::{FromRequestParts, Path, Query};
use axum::http::request::Parts;

use super::WebError;
use crate::model::{Code, Pays};
use crate::store::Page;

/// The longest search a list accepts: a few names, not a document.
pub const RECHERCHE_MAX: usize = 200;

/// The query string of a page. Empty values count as absent, as a form's « Tous » sends them.
pub struct Parametres(HashMap<String, String>);

impl<S: Send + Sync> FromRequestParts<S> for Parametres {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Query(paires) = Query::<Vec<(String, String)>>::from_request_parts(parts, state)
            .await
            .map_err(|e| {
                WebError::Requete(format!(
                    "Les paramètres de l'adresse sont illisibles : {e}."
                ))
            })?;
        // A filter given twice with two values would otherwise keep one silently.
        let mut valeurs: HashMap<String, String> = HashMap::new();
        for (nom, valeur) in paires {
            if let Some(premiere) = valeurs.get(&nom).filter(|v| **v != valeur) {
                return Err(WebError::Requete(format!(
                    "Paramètre « {nom} » donné deux fois (« {premiere} » et « {valeur} ») : il n'en prend qu'une valeur."
                )));
            }
            valeurs.insert(nom, valeur);
        }
        Ok(Parametres(valeurs))
    }
}

impl Parametres {
    /// A non-blank text parameter, trimmed.
    pub fn texte(&self, nom: &str) -> Option<&str> {
        self.0.get(nom).map(|v| v.trim()).filter(|v| !v.is_empty())
    }

    /// The names of the parameters given, blank ones included (the API refuses unknown ones).
    pub fn noms(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    /// Words to search (`q=segou`), at most [`RECHERCHE_MAX`] characters.
    pub fn recherche(&self, nom: &str) -> Result<Option<String>, WebError> {
        match self.texte(nom) {
            Some(v) if v.chars().count() > RECHERCHE_MAX => Err(WebError::Requete(format!(
                "Paramètre « {nom} » : la recherche fait plus de {RECHERCHE_MAX} caractères ; \
                 quelques mots du titre ou des noms des collectivités suffisent."
            ))),
            v => Ok(v.map(str::to_owned)),
        }
    }

    /// A catalogue indicator (`indicateur=EAU-01`), retired ones included.
    pub fn indicateur(
        &self,
        nom: &str,
    ) -> Result<Option<&'static crate::model::Indicateur>, WebError> {
        self.texte(nom)
            .map(|v| {
                crate::model::indicateur(v).ok_or_else(|| {
                    WebError::Requete(format!(
                        "Paramètre « {nom} » : aucun indicateur du catalogue n'a le code « {v} » ; \
                         les codes sont de la forme EAU-01 (voir la page d'une action ou l'aperçu)."
                    ))
                })
            })
            .transpose()
    }

    /// A vocabulary parameter (`etape=amitie`).
    pub fn code<T: Code>(&self, nom: &str) -> Result<Option<T>, WebError> {
        self.texte(nom)
            .map(|v| {
                T::depuis_code(v)
                    .map_err(|e| WebError::Requete(format!("Paramètre « {nom} » : {e}.")))
            })
            .transpose()
    }

    /// A country parameter (`pays=FR`).
    pub fn pays(&self, nom: &str) -> Result<Option<Pays>, WebError> {
        self.texte(nom)
            .map(|v| {
                Pays::new(v).map_err(|e| WebError::Requete(format!("Paramètre « {nom} » : {e}.")))
            })
            .transpose()
    }

    /// The page number (`page=2`), from 1.
    pub fn page(&self) -> Result<Page, WebError> {
        match self.texte("page") {
            None => Ok(Page::default()),
            Some(v) => match v.parse::<u32>() {
                Ok(n) if (1..=100_000).contains(&n) => Ok(Page::new(n)),
                _ => Err(WebError::Requete(format!(
                    "Paramètre « page » : « {v} » n'est pas un numéro de page ; un nombre entier à partir de 1 est attendu."
                ))),
            },
        }
    }

    /// The query string of the other parameters, for links that change only the page.
    pub fn sans_page(&self) -> String {
        let mut paires: Vec<(&str, &str)> = self
            .0
            .iter()
            .filter(|(k, v)| k.as_str() != "page" && !v.trim().is_empty())
            .map(|(k, v)| (k.as_str(), v.trim()))
            .collect();
        paires.sort();
        serde_urlencoded::to_string(paires).unwrap_or_default()
    }
}

/// A `YYYY-MM-DD` date of a parameter or a form field, or a 400 that shows the format.
pub fn date(nom: &str, texte: &str) -> Result<time::Date, WebError> {
    crate::model::date_iso(texte).ok_or_else(|| {
        WebError::Requete(format!(
            "Paramètre « {nom} » : « {} » n'est pas une date existante au format AAAA-MM-JJ, par exemple 2024-12-31.",
            texte.trim()
        ))
    })
}

/// The numeric identifier at the end of a record's path (`/partenariats/12`).
pub struct Identifiant(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for Identifiant {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(texte) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|e| WebError::Requete(format!("Adresse illisible : {e}.")))?;
        match texte.parse::<i64>() {
            Ok(id) if id > 0 => Ok(Identifiant(id)),
            _ => Err(WebError::Requete(format!(
                "« {texte} » n'est pas un identifiant : un nombre entier positif est attendu, par exemple /partenariats/1."
            ))),
        }
    }
}
