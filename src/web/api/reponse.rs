//! What every read of the API shares: its parameters (unknown ones refused), paging, and
//! JSON bodies with a strong ETag that `If-None-Match` turns into a 304.

use axum::extract::{FromRequestParts, Path, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use blake2::{Blake2b256, Digest};
use rusqlite::Connection;
use serde::Serialize;

use super::erreur::ErreurApi;
use crate::store::{Page, Pagine};
use crate::web::params::Parametres;
use crate::web::{AppState, WebError};

pub const TYPE_JSON: &str = "application/json; charset=utf-8";

/// Page size when `par_page` is not given, and its maximum.
pub const PAR_PAGE: u32 = 25;
pub const PAR_PAGE_MAX: u32 = 100;

/// The query string of an API request.
pub struct Requete(pub Parametres);

impl<S: Send + Sync> FromRequestParts<S> for Requete {
    type Rejection = ErreurApi;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Ok(Requete(Parametres::from_request_parts(parts, state).await?))
    }
}

impl Requete {
    /// Refuses a parameter the route does not know: a misspelt filter would otherwise be
    /// silently ignored and return everything.
    pub fn accepter(&self, connus: &[&str]) -> Result<&Parametres, ErreurApi> {
        let mut inconnus: Vec<&str> = self.0.noms().filter(|n| !connus.contains(n)).collect();
        inconnus.sort_unstable();
        match inconnus.first() {
            None => Ok(&self.0),
            Some(nom) => Err(ErreurApi::Parametre(format!(
                "Paramètre « {nom} » inconnu de cette route ; paramètres acceptés : {}.",
                if connus.is_empty() {
                    "aucun".to_owned()
                } else {
                    connus.join(", ")
                }
            ))),
        }
    }
}

impl Requete {
    /// A list route's parameters: its `filtres` and paging; answers them with the page asked.
    pub fn liste(&self, filtres: &[&str]) -> Result<(&Parametres, Page), ErreurApi> {
        let mut connus = filtres.to_vec();
        connus.extend(["page", "par_page"]);
        let params = self.accepter(&connus)?;
        Ok((params, page(params)?))
    }
}

/// The id of a record's route, which takes no query parameter (`/api/v1/actions/3`).
pub struct IdSeul(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for IdSeul {
    type Rejection = ErreurApi;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Id(id) = Id::from_request_parts(parts, state).await?;
        Requete::from_request_parts(parts, state)
            .await?
            .accepter(&[])?;
        Ok(IdSeul(id))
    }
}

/// A positive id in a query parameter (`partenariat=3`).
pub fn identifiant(params: &Parametres, nom: &str) -> Result<Option<i64>, ErreurApi> {
    params
        .texte(nom)
        .map(|v| match v.parse::<i64>() {
            Ok(id) if id > 0 => Ok(id),
            _ => Err(ErreurApi::Parametre(format!(
                "Paramètre « {nom} » : « {v} » n'est pas un identifiant ; un nombre entier positif est attendu."
            ))),
        })
        .transpose()
}

/// The numeric id at the end of a path (`/api/v1/partenariats/12`).
pub struct Id(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = ErreurApi;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(texte) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|e| ErreurApi::Parametre(format!("Adresse illisible : {e}.")))?;
        match texte.parse::<i64>() {
            Ok(id) if id > 0 => Ok(Id(id)),
            _ => Err(ErreurApi::Parametre(format!(
                "Identifiant « {texte} » : un nombre entier positif est attendu, par exemple /api/v1/partenariats/1."
            ))),
        }
    }
}

/// One record read by `lecture` on a blocking thread, or a 404 that says `introuvable`
/// (« Aucune action ne porte le numéro 3. »).
pub async fn un<T, F>(etat: &AppState, introuvable: String, lecture: F) -> Result<T, ErreurApi>
where
    T: Send + 'static,
    F: FnOnce(&Connection) -> crate::store::Result<Option<T>> + Send + 'static,
{
    Ok(etat
        .lire(move |conn| lecture(conn)?.ok_or(WebError::Introuvable(introuvable)))
        .await?)
}

/// The page asked for by `page` (from 1) and `par_page` (1 to [`PAR_PAGE_MAX`]).
fn page(params: &Parametres) -> Result<Page, ErreurApi> {
    let nombre = |nom: &str, defaut: u32, max: u32| -> Result<u32, ErreurApi> {
        match params.texte(nom) {
            None => Ok(defaut),
            Some(v) => match v.parse::<u32>() {
                Ok(n) if (1..=max).contains(&n) => Ok(n),
                _ => Err(ErreurApi::Parametre(format!(
                    "Paramètre « {nom} » : « {v} » n'est pas admis ; un nombre entier de 1 à {max} est attendu."
                ))),
            },
        }
    };
    Ok(Page::avec_taille(
        nombre("page", 1, 100_000)?,
        nombre("par_page", PAR_PAGE, PAR_PAGE_MAX)?,
    ))
}

/// One page of a list: every list resource of the API has this shape.
#[derive(Serialize)]
pub struct Liste<T> {
    /// How many records match, over all pages.
    pub total: u64,
    pub page: u32,
    pub par_page: u32,
    /// How many pages there are (at least 1).
    pub pages: u32,
    pub elements: Vec<T>,
}

impl<T> Liste<T> {
    /// A store page turned into JSON elements by `convertir`.
    pub fn depuis<U>(pagine: Pagine<U>, convertir: impl FnMut(U) -> T) -> Liste<T> {
        Liste {
            total: pagine.total,
            page: pagine.page.numero,
            par_page: pagine.page.taille,
            pages: pagine.pages(),
            elements: pagine.elements.into_iter().map(convertir).collect(),
        }
    }
}

/// `valeur` as a JSON response with its ETag, or a 304 when the client holds it already.
pub fn json<T: Serialize>(entetes: &HeaderMap, valeur: &T) -> Result<Response, ErreurApi> {
    let corps =
        serde_json::to_vec(valeur).map_err(|e| ErreurApi::Interne(format!("JSON : {e}")))?;
    Ok(json_brut(entetes, corps))
}

/// A body already written as JSON (the aperçu, the OpenAPI document), with its ETag.
pub fn json_brut(entetes: &HeaderMap, corps: impl Into<Vec<u8>>) -> Response {
    let corps = corps.into();
    let empreinte = Blake2b256::digest(&corps);
    let hex: String = empreinte[..16].iter().map(|o| format!("{o:02x}")).collect();
    let etag = format!("\"{hex}\"");
    let etag_valeur = HeaderValue::from_str(&etag).unwrap_or(HeaderValue::from_static("\"\""));
    if let Some(connu) = deja_connu(entetes, &hex) {
        // The tag the client holds: with its `-gzip` suffix if it was the compressed body.
        let etag = HeaderValue::from_str(&format!("\"{connu}\"")).unwrap_or(etag_valeur);
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
    }
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(TYPE_JSON)),
            (header::ETAG, etag_valeur),
            // Stored, but checked with the ETag before each reuse.
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        corps,
    )
        .into_response()
}

/// Whether `If-None-Match` names this body: `*`, or one of its tags, weak or strong, with or
/// without the `-gzip` suffix that compression adds (the content is the same).
/// Answers the matching tag, without quotes (`*` stands for the plain one).
fn deja_connu(entetes: &HeaderMap, hex: &str) -> Option<String> {
    entetes
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().trim_start_matches("W/").trim_matches('"'))
        .find_map(|t| match t {
            "*" => Some(hex.to_owned()),
            _ if t.strip_suffix("-gzip").unwrap_or(t) == hex => Some(t.to_owned()),
            _ => None,
        })
}

/// After compression: a gzip body gets its own strong tag (`"…-gzip"`), since its bytes
/// differ from the plain body's.
pub async fn etag_selon_encodage(mut reponse: Response) -> Response {
    let compresse = reponse
        .headers()
        .get(header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    if let Some(encodage) = compresse
        && let Some(etag) = reponse
            .headers()
            .get(header::ETAG)
            .and_then(|v| v.to_str().ok())
        && let Ok(nouveau) =
            HeaderValue::from_str(&format!("{}-{encodage}\"", etag.trim_end_matches('"')))
    {
        reponse.headers_mut().insert(header::ETAG, nouveau);
    }
    reponse
}

/// axum answers a known path with the wrong method by an empty 405 (its `Allow` header is
/// added around this layer): give it the API's JSON error body.
pub async fn methode_en_json(requete: Request, suivant: Next) -> Response {
    let methode = requete.method().clone();
    let reponse = suivant.run(requete).await;
    if reponse.status() != StatusCode::METHOD_NOT_ALLOWED
        || reponse.headers().contains_key(header::CONTENT_TYPE)
    {
        return reponse;
    }
    let mut nouvelle = ErreurApi::Methode(format!(
        "Cette route n'accepte pas la méthode {methode} : l'en-tête Allow donne celles qu'elle accepte \
         (GET et HEAD pour lire, POST pour déclarer, voir /api/v1/openapi.json)."
    ))
    .into_response();
    if let Some(allow) = reponse.headers().get(header::ALLOW) {
        nouvelle.headers_mut().insert(header::ALLOW, allow.clone());
    }
    nouvelle
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_accepts_the_forms_clients_send() {
        let avec = |valeur: &str| {
            let mut h = HeaderMap::new();
            h.insert(
                header::IF_NONE_MATCH,
                HeaderValue::from_str(valeur).unwrap(),
            );
            deja_connu(&h, "abc")
        };
        assert_eq!(avec("\"abc\"").as_deref(), Some("abc"));
        assert_eq!(avec("W/\"abc\"").as_deref(), Some("abc"));
        assert_eq!(avec("\"zzz\", \"abc-gzip\"").as_deref(), Some("abc-gzip"));
        assert_eq!(avec("*").as_deref(), Some("abc"));
        assert_eq!(avec("\"abd\""), None);
        assert_eq!(deja_connu(&HeaderMap::new(), "abc"), None);
    }
}
