//! Errors of the API: always `{ "error": code, "message": phrase }` in JSON, never a page.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::web::WebError;

/// Why an API request failed; the only place where the API turns errors into statuses.
#[derive(Debug)]
pub enum ErreurApi {
    /// 400 `parametre_invalide`: a query parameter or a path id is malformed or unknown.
    Parametre(String),
    /// 404 `introuvable`: no such record or route.
    Introuvable(String),
    /// 405 `methode_non_autorisee`.
    Methode(String),
    /// 401 `non_authentifie`: a write without a valid token.
    NonAuthentifie(String),
    /// 403 `interdit`: the account may not do this.
    Interdit(String),
    /// 400 `corps_illisible`: a request body that is not a JSON object.
    CorpsIllisible(String),
    /// 422 `corps_invalide`: a body whose fields do not describe a valid record; the message
    /// names each wrong field.
    Corps(String),
    /// 429 `trop_de_requetes`.
    TropDeRequetes(String),
    /// 503 `occupe`: the database is busy; nothing was changed, try again (`Retry-After`).
    Occupe,
    /// 500 `erreur_interne`: a fault of ours; the cause is logged, not shown.
    Interne(String),
}

impl From<WebError> for ErreurApi {
    fn from(erreur: WebError) -> Self {
        match erreur {
            WebError::Introuvable(m) => ErreurApi::Introuvable(m),
            WebError::Requete(m) => ErreurApi::Parametre(m),
            WebError::Interdit(m) => ErreurApi::Interdit(m),
            WebError::TropDeTentatives(m, _) => ErreurApi::TropDeRequetes(m),
            WebError::Connexion(_) => ErreurApi::NonAuthentifie(
                "Cette opération demande un jeton d'API : en-tête « Authorization: Bearer <jeton> »."
                    .to_owned(),
            ),
            WebError::Occupe | WebError::EnPreparation(_) => ErreurApi::Occupe,
            WebError::Interne(cause) => ErreurApi::Interne(cause),
        }
    }
}

impl From<crate::store::StoreError> for ErreurApi {
    fn from(erreur: crate::store::StoreError) -> Self {
        WebError::from(erreur).into()
    }
}

/// The documented error body (OpenAPI `Erreur`).
#[derive(Serialize)]
struct Corps<'a> {
    error: &'a str,
    message: &'a str,
}

impl IntoResponse for ErreurApi {
    fn into_response(self) -> Response {
        let (statut, code, message) = match &self {
            ErreurApi::Parametre(m) => (StatusCode::BAD_REQUEST, "parametre_invalide", m.as_str()),
            ErreurApi::Introuvable(m) => (StatusCode::NOT_FOUND, "introuvable", m.as_str()),
            ErreurApi::Methode(m) => (
                StatusCode::METHOD_NOT_ALLOWED,
                "methode_non_autorisee",
                m.as_str(),
            ),
            ErreurApi::NonAuthentifie(m) => {
                (StatusCode::UNAUTHORIZED, "non_authentifie", m.as_str())
            }
            ErreurApi::Interdit(m) => (StatusCode::FORBIDDEN, "interdit", m.as_str()),
            ErreurApi::CorpsIllisible(m) => {
                (StatusCode::BAD_REQUEST, "corps_illisible", m.as_str())
            }
            ErreurApi::Corps(m) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "corps_invalide",
                m.as_str(),
            ),
            ErreurApi::TropDeRequetes(m) => (
                StatusCode::TOO_MANY_REQUESTS,
                "trop_de_requetes",
                m.as_str(),
            ),
            ErreurApi::Occupe => (
                StatusCode::SERVICE_UNAVAILABLE,
                "occupe",
                crate::web::erreur::MESSAGE_OCCUPE,
            ),
            ErreurApi::Interne(cause) => {
                tracing::error!("erreur interne de l'API : {cause}");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "erreur_interne",
                    "Le serveur n'a pas pu répondre. L'incident est consigné ; réessayez plus tard.",
                )
            }
        };
        let corps = serde_json::to_string(&Corps {
            error: code,
            message,
        })
        .unwrap_or_default();
        let mut reponse = (
            statut,
            [(header::CONTENT_TYPE, super::reponse::TYPE_JSON)],
            corps,
        )
            .into_response();
        if statut == StatusCode::TOO_MANY_REQUESTS {
            reponse
                .headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from_static("900"));
        }
        if statut == StatusCode::SERVICE_UNAVAILABLE {
            reponse.headers_mut().insert(
                header::RETRY_AFTER,
                header::HeaderValue::from_static(crate::web::erreur::REESSAYER_APRES),
            );
        }
        if statut == StatusCode::UNAUTHORIZED {
            reponse.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer realm=\"benkan\""),
            );
        }
        reponse
    }
}

/// Every path under /api/v1 that no route matches.
pub async fn route_introuvable(
    axum::extract::OriginalUri(uri): axum::extract::OriginalUri,
) -> ErreurApi {
    ErreurApi::Introuvable(format!(
        "L'API n'a pas de route « {} » : les routes sont décrites dans /api/v1/openapi.json.",
        uri.path()
    ))
}
