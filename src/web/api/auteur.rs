//! Who writes through the API: the account of a personal token sent as
//! `Authorization: Bearer <jeton>` (created on /espace/jetons or by `benkan user token`).

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;

use super::erreur::ErreurApi;
use crate::acces;
use crate::model::Compte;
use crate::store::jeton_api;
use crate::web::AppState;

/// The account behind the request's token; a missing, unknown or revoked token is a 401.
pub struct Auteur(pub Compte);

impl FromRequestParts<AppState> for Auteur {
    type Rejection = ErreurApi;

    async fn from_request_parts(
        parts: &mut Parts,
        etat: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let jeton = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(str::trim)
            .filter(|j| !j.is_empty())
            .ok_or_else(|| {
                ErreurApi::NonAuthentifie(
                    "Cette opération demande un jeton d'API dans l'en-tête « Authorization: Bearer <jeton> » ; \
                     créez-en un depuis /espace/jetons ou avec « benkan user token EMAIL »."
                        .to_owned(),
                )
            })?;
        let empreinte = acces::empreinte(jeton);
        let compte = etat
            .lire(move |conn| Ok(jeton_api::compte(conn, &empreinte)?))
            .await?;
        compte.map(Auteur).ok_or_else(|| {
            ErreurApi::NonAuthentifie(
                "Le jeton d'API est inconnu, révoqué, ou son compte est désactivé.".to_owned(),
            )
        })
    }
}
