//! The JSON API under `/api/v1`: the public records the web pages show, read through the
//! same store queries, described by an OpenAPI document (`/api/v1/openapi.json`) and
//! documented in docs/api.md.
//!
//! Every list shares [`reponse::Liste`] (paging, total), every read [`reponse::json`]
//! (ETag, 304), every failure [`erreur::ErreurApi`] (JSON error body): a new list resource
//! is a store query, a handler of a few lines, a route and its OpenAPI entry.

mod actions;
mod apercu;
mod auteur;
mod bourse;
mod collectivites;
mod corps;
mod declarations;
mod erreur;
mod interventions;
mod json;
pub(super) mod openapi;
mod partenariats;
mod recherche;
mod reponse;
mod schemas;

use axum::Router;
use axum::http::{Method, header};
use axum::middleware::{from_fn, map_response};
use axum::routing::{get, post};
use tower_http::compression::CompressionLayer;
use tower_http::cors::{Any, CorsLayer};

use super::AppState;

/// The API's routes, to nest under `/api/v1`.
pub fn routeur() -> Router<AppState> {
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::HEAD])
        .allow_headers([header::IF_NONE_MATCH, header::ACCEPT])
        .expose_headers([header::ETAG]);
    Router::new()
        .route("/collectivites", get(collectivites::liste))
        .route("/collectivites/{id}", get(collectivites::fiche))
        .route(
            "/partenariats",
            get(partenariats::liste).post(declarations::declarer_partenariat),
        )
        .route("/partenariats/{id}", get(partenariats::fiche))
        .route(
            "/partenariats/{id}/actions",
            post(declarations::declarer_action),
        )
        .route("/actions", get(actions::liste))
        .route("/actions/{id}", get(actions::fiche))
        .route(
            "/actions/{id}/financements",
            post(declarations::ajouter_financement),
        )
        .route("/interventions", get(interventions::liste))
        .route("/interventions/{id}", get(interventions::fiche))
        .route("/bourse/demandes", get(bourse::demandes))
        .route("/bourse/demandes/{id}", get(bourse::demande))
        .route("/bourse/offres", get(bourse::offres))
        .route("/bourse/offres/{id}", get(bourse::offre))
        .route("/recherche", get(recherche::recherche))
        .route("/apercu", get(apercu::apercu))
        .route("/openapi.json", get(openapi::document))
        .fallback(erreur::route_introuvable)
        .layer(from_fn(reponse::methode_en_json))
        // Compressed here rather than by the site's layer, so that the ETag can follow.
        .layer(CompressionLayer::new())
        .layer(map_response(reponse::etag_selon_encodage))
        .layer(cors)
}
