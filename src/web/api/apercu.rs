//! `/api/v1/apercu`: the observatory's JSON contract (docs/apercu.md), from the web's cache.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;

use super::erreur::ErreurApi;
use super::reponse::{self, Requete};
use crate::observatoire::rendu;
use crate::web::AppState;

pub async fn apercu(
    State(etat): State<AppState>,
    entetes: HeaderMap,
    requete: Requete,
) -> Result<Response, ErreurApi> {
    let apercu = crate::web::apercu::calculer(&etat, requete.accepter(&["date"])?).await?;
    Ok(reponse::json_brut(&entetes, rendu::json(&apercu)))
}
