use askama::Template;
use axum::http::StatusCode;
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
    /// 500: a fault of ours; the cause is logged, not shown.
    Interne(String),
}

impl From<StoreError> for WebError {
    fn from(erreur: StoreError) -> Self {
        match erreur {
            StoreError::Introuvable(quoi) => WebError::Introuvable(format!("{quoi}.")),
            StoreError::Modele(e) => WebError::Requete(e.to_string()),
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
        (statut, Html(page)).into_response()
    }
}

/// Every path that no route matches.
pub async fn page_introuvable() -> WebError {
    WebError::Introuvable(
        "Cette adresse ne correspond à aucune page de benkan. Vérifiez-la, ou partez de l'accueil."
            .to_owned(),
    )
}
