//! Who writes through the API: the account of a personal token sent as
//! `Authorization: Bearer <jeton>` (created on /espace/jetons or by `benkan user token`).

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header;
use axum::http::request::Parts;

use super::erreur::ErreurApi;
use crate::acces;
use crate::model::Compte;
use crate::store::{compte, jeton_api};
use crate::web::AppState;

/// Refused tokens from one address counted over this many minutes…
const FENETRE_MINUTES: u32 = 15;
/// …and from how many on every request from it is refused (429), so that nobody tries
/// tokens in bulk.
const REFUSER_APRES: u64 = 10;

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
        let cle = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(a)| format!("jeton:{}", a.ip()));
        let (trouve, refus) = {
            let (cle, empreinte) = (cle.clone(), empreinte.clone());
            etat.lire(move |conn| {
                let refus = match &cle {
                    Some(c) => compte::echecs_recents(conn, c, FENETRE_MINUTES)?,
                    None => 0,
                };
                if refus >= REFUSER_APRES {
                    return Ok((None, refus));
                }
                Ok((jeton_api::compte(conn, &empreinte)?, refus))
            })
            .await?
        };
        // Checking a token only reads; a refused one is recorded, and a good one's last use
        // noted about once a minute, each in a short write of its own.
        match (&trouve, cle) {
            (None, Some(c)) if refus < REFUSER_APRES => {
                etat.ecrire(move |conn| Ok(compte::noter_echec(conn, &[c])?))
                    .await?;
            }
            (Some((_, true)), _) => {
                let empreinte = empreinte.clone();
                etat.noter("utilisation du jeton non notée", move |conn| {
                    Ok(jeton_api::noter_utilisation(conn, &empreinte)?)
                })
                .await;
            }
            _ => {}
        }
        let compte = trouve.map(|(c, _)| c);
        if refus >= REFUSER_APRES {
            return Err(ErreurApi::TropDeRequetes(format!(
                "Trop de jetons refusés depuis votre adresse : réessayez dans {FENETRE_MINUTES} minutes."
            )));
        }
        compte.map(Auteur).ok_or_else(|| {
            ErreurApi::NonAuthentifie(
                "Le jeton d'API est inconnu, révoqué, ou son compte est désactivé.".to_owned(),
            )
        })
    }
}
