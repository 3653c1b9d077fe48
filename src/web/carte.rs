//! Maps on the pages: rendered once per data generation and reused, like the overview they
//! draw (a commune map of the whole country is some 700 zones).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use time::Date;

use super::{AppState, WebError};
use crate::carte::Echelon;
use crate::carte::dessin::Dessin;
use crate::observatoire::carte::{self as vue, Mesure};
use crate::store::{apercu, collectivite};

/// Which map: the date, the level, the measure, and the unit it is about (whole country
/// when `None`).
pub type CleCarte = (Date, Echelon, Mesure, Option<String>);

/// A rendered map (HTML with inline SVG), or nothing when the unit has no polygon.
pub type CarteRendue = Option<String>;

/// The id of each current Malian unit by its code (the maps link to `/collectivites/{id}`),
/// with the data generation it was read at.
#[derive(Default)]
pub struct Liens(Mutex<Option<(u64, Ids)>>);

type Ids = Arc<HashMap<String, i64>>;

/// The ids the maps link to: read with the data's generation, kept until it moves (every
/// write to `collectivite` moves it).
async fn liens(etat: &AppState) -> Result<Ids, WebError> {
    let garde = |generation| {
        let verrou = etat.liens_cartes.0.lock();
        let gardes = verrou.unwrap_or_else(std::sync::PoisonError::into_inner);
        gardes
            .as_ref()
            .filter(|(g, _)| *g == generation)
            .map(|(_, ids)| ids.clone())
    };
    let generation = etat.lire(|conn| Ok(apercu::generation(conn)?)).await?;
    if let Some(ids) = garde(generation) {
        return Ok(ids);
    }
    let (generation, ids) = etat
        .lire(|conn| Ok((apercu::generation(conn)?, collectivite::ids_maliens(conn)?)))
        .await?;
    let ids = Arc::new(ids);
    let mut gardes = etat
        .liens_cartes
        .0
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if gardes.as_ref().is_none_or(|(g, _)| *g < generation) {
        *gardes = Some((generation, ids.clone()));
    }
    Ok(ids)
}

/// The choropleth of `echelon` zones inside `dans` (the country when `None`), with the
/// unit outlined when it is a commune page's own.
pub(super) async fn choroplethe(
    etat: &AppState,
    date: Date,
    echelon: Echelon,
    mesure: Mesure,
    dans: Option<String>,
) -> Result<Arc<CarteRendue>, WebError> {
    let generation = etat.lire(|conn| Ok(apercu::generation(conn)?)).await?;
    let apercu_ = super::apercu::apercu_a(etat, date, generation).await?;
    let cle = (date, echelon, mesure, dans.clone());
    etat.cartes
        .obtenir(cle, generation, &etat.limite, || async move {
            let ids = liens(etat).await?;
            let lien = |code: &str| ids.get(code).map(|id| format!("/collectivites/{id}"));
            let id = match &dans {
                Some(_) => "carte-zone",
                None => "carte",
            };
            vue::choroplethe(&apercu_, echelon, mesure, dans.as_deref(), None, &lien, id)
                .map(|d| rendre(&d))
                .transpose()
        })
        .await
}

/// Where a unit is in Mali: not cached (one région map, a few hundred points).
pub(super) async fn situation(etat: &AppState, code: &str) -> Result<Option<String>, WebError> {
    let code = code.to_owned();
    let ids = liens(etat).await?;
    let lien = |c: &str| ids.get(c).map(|id| format!("/collectivites/{id}"));
    vue::situation(&code, &lien).map(|d| rendre(&d)).transpose()
}

/// The map of a record's places (its Malian units and points), or nothing to draw.
pub(super) async fn des_lieux(
    etat: &AppState,
    sujet: &'static str,
    codes: Vec<String>,
    points: Vec<(f64, f64, String)>,
) -> Result<Option<String>, WebError> {
    if codes.is_empty() && points.is_empty() {
        return Ok(None);
    }
    let ids = liens(etat).await?;
    let lien = |c: &str| ids.get(c).map(|id| format!("/collectivites/{id}"));
    let codes: Vec<&str> = codes.iter().map(String::as_str).collect();
    crate::carte::dessin::des_lieux("lieux", sujet, &codes, &points, &lien)
        .map(|d| rendre(&d))
        .transpose()
}

pub(super) fn rendre(dessin: &Dessin) -> Result<String, WebError> {
    askama::Template::render(dessin).map_err(|e| WebError::Interne(e.to_string()))
}

/// `?niveau=` and `?mesure=` of a map page, French errors for anything else.
pub(super) fn choix(params: &super::params::Parametres) -> Result<(Echelon, Mesure), WebError> {
    let echelon = match params.texte("niveau") {
        None | Some("") => Echelon::Region,
        Some(n) => Echelon::depuis_cle(n).ok_or_else(|| {
            WebError::Requete(format!(
                "Le niveau « {n} » n'existe pas : choisissez region, cercle ou commune."
            ))
        })?,
    };
    let mesure = match params.texte("mesure") {
        None | Some("") => Mesure::default(),
        Some(m) => Mesure::depuis_cle(m).ok_or_else(|| {
            WebError::Requete(format!(
                "La mesure « {m} » n'existe pas : choisissez partenariats, actions, montant ou interventions."
            ))
        })?,
    };
    Ok((echelon, mesure))
}

/// `/donnees/carte/{niveau}s.geojson`: the zones with the overview's figures at `?date=`.
pub async fn geojson(
    axum::extract::State(etat): axum::extract::State<AppState>,
    axum::extract::Path(fichier): axum::extract::Path<String>,
    params: super::params::Parametres,
) -> Result<axum::response::Response, WebError> {
    use axum::http::header;
    use axum::response::IntoResponse;
    let echelon = match fichier.as_str() {
        "regions.geojson" => Echelon::Region,
        "cercles.geojson" => Echelon::Cercle,
        "communes.geojson" => Echelon::Commune,
        _ => {
            return Err(WebError::Introuvable(format!(
                "La carte n'a pas de fichier « {fichier} » : regions.geojson, cercles.geojson ou communes.geojson."
            )));
        }
    };
    let apercu_ = super::apercu::calculer(&etat, &params).await?;
    let corps = vue::geojson(&apercu_, echelon).to_string();
    let disposition = format!(
        "attachment; filename=\"benkan-{}-{}\"",
        apercu_.date, fichier
    );
    Ok((
        [
            (header::CONTENT_TYPE, "application/geo+json".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        corps,
    )
        .into_response())
}

/// The benkan codes of the Malian units among `collectivites`, for a map.
pub(super) fn codes_maliens<'a>(
    collectivites: impl IntoIterator<Item = &'a crate::model::Collectivite>,
) -> Vec<String> {
    collectivites
        .into_iter()
        .filter(|c| c.pays.est_mali())
        .filter_map(|c| c.code.clone())
        .collect()
}
