use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::format::Html;
use crate::store::StoreError;

/// Why a page cannot be shown. The only place where errors become HTTP statuses.
#[derive(Debug)]
pub enum WebError {
    /// 404: the record or page does not exist.
    Introuvable(String),
    /// 400: the request is malformed; the message says what was expected.
    Requete(String),
    /// 403: not allowed, or a form without its security token.
    Interdit(String),
    /// 429: too many sign-in attempts, or too many at once; try again in so many seconds
    /// (sent as `Retry-After`).
    TropDeTentatives(String, u64),
    /// Not an error for the user: a page of the contributors' space asked without a
    /// session; 303 to the sign-in page, which comes back to this path.
    Connexion(String),
    /// 503: the database is busy (another write, an import) or the site's expensive
    /// computations are all taken; nothing was changed, try again in a few seconds.
    Occupe,
    /// 503: an open-data file that this site has never built yet is being built (its first
    /// build takes up to a minute at national scale); the message names it.
    EnPreparation(String),
    /// 500: a fault of ours; the cause is logged, not shown.
    Interne(String),
}

/// The message of a 503, for the pages and the API alike.
pub const MESSAGE_OCCUPE: &str = "Le site est très sollicité en ce moment (d'autres enregistrements, \
    ou une importation, sont en cours) : rien n'a été modifié. Réessayez dans quelques secondes.";
/// Seconds after which a 503 may be tried again (`Retry-After`).
pub const REESSAYER_APRES: &str = "5";

impl From<StoreError> for WebError {
    fn from(erreur: StoreError) -> Self {
        match erreur {
            StoreError::Introuvable(quoi) => WebError::Introuvable(format!("{quoi}.")),
            StoreError::Modele(e) => WebError::Requete(e.to_string()),
            StoreError::Existe(message) => WebError::Requete(message),
            StoreError::Occupe => WebError::Occupe,
            autre => WebError::Interne(autre.to_string()),
        }
    }
}

impl From<crate::acces::ErreurAcces> for WebError {
    fn from(erreur: crate::acces::ErreurAcces) -> Self {
        match erreur {
            crate::acces::ErreurAcces::Occupe => WebError::TropDeTentatives(
                "Trop de connexions sont en cours en ce moment : réessayez dans quelques secondes."
                    .to_owned(),
                crate::acces::ATTENTE_MAX.as_secs(),
            ),
            autre => WebError::Interne(autre.to_string()),
        }
    }
}

#[derive(Template)]
#[template(path = "erreur.html")]
struct PageErreur<'a> {
    statut: u16,
    titre: &'a str,
    message: &'a str,
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (statut, titre, message) = match &self {
            WebError::Introuvable(message) => {
                (StatusCode::NOT_FOUND, "Page introuvable", message.as_str())
            }
            WebError::Requete(message) => (
                StatusCode::BAD_REQUEST,
                "Demande incorrecte",
                message.as_str(),
            ),
            WebError::Interdit(message) => {
                (StatusCode::FORBIDDEN, "Accès refusé", message.as_str())
            }
            WebError::TropDeTentatives(message, _) => (
                StatusCode::TOO_MANY_REQUESTS,
                "Trop de tentatives",
                message.as_str(),
            ),
            WebError::Connexion(suite) => {
                let requete = serde_urlencoded::to_string([("suite", suite)]).unwrap_or_default();
                return axum::response::Redirect::to(&format!("/connexion?{requete}"))
                    .into_response();
            }
            WebError::Occupe => {
                let page = PageErreur {
                    statut: 503,
                    titre: "Site très sollicité",
                    message: MESSAGE_OCCUPE,
                };
                return (
                    StatusCode::SERVICE_UNAVAILABLE,
                    [(header::RETRY_AFTER, REESSAYER_APRES)],
                    Html(page),
                )
                    .into_response();
            }
            WebError::EnPreparation(message) => {
                let page = PageErreur {
                    statut: 503,
                    titre: "Fichier en préparation",
                    message: message.as_str(),
                };
                return (
                    StatusCode::SERVICE_UNAVAILABLE,
                    [(header::RETRY_AFTER, "60")],
                    Html(page),
                )
                    .into_response();
            }
            WebError::Interne(cause) => {
                tracing::error!("erreur interne : {cause}");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Erreur du serveur",
                    "Le serveur n'a pas pu afficher cette page. L'incident est consigné ; réessayez plus tard.",
                )
            }
        };
        let page = PageErreur {
            statut: statut.as_u16(),
            titre,
            message,
        };
        let mut reponse = (statut, Html(page)).into_response();
        if let WebError::TropDeTentatives(_, secondes) = self {
            reponse
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secondes));
        }
        reponse
    }
}

/// Every path that no route matches.
pub async fn page_introuvable() -> WebError {
    WebError::Introuvable(
        "Cette adresse ne correspond à aucune page de benkan. Vérifiez-la, ou partez de l'accueil."
            .to_owned(),
    )
}
