//! The observatory on the web: the overview page, its JSON, one CSV per table, and the
//! self-contained printable report — all for the same date.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::format;
use super::params::Parametres;
use super::{AppState, WebError};
use crate::carte::Echelon;
use crate::observatoire::Apercu;
use crate::observatoire::carte::Mesure;
use crate::observatoire::rendu::{self, Graphique, Rapport, Tableau};

/// The date asked for (`?date=2020-12-31`), or today.
fn date(params: &Parametres) -> Result<time::Date, WebError> {
    params.texte("date").map_or_else(
        || Ok(format::aujourd_hui()),
        |texte| super::params::date("date", texte),
    )
}

/// The overview at the date asked for, reused while the data has not changed.
pub(super) async fn calculer(
    etat: &AppState,
    params: &Parametres,
) -> Result<Arc<Apercu>, WebError> {
    apercu_du(etat, date(params)?).await
}

/// The overview at `date`: computed once per date and data generation, however many
/// visitors ask for it at the same moment; today's from the aggregates kept up to date,
/// another day's counted from the dossiers they keep.
pub(super) async fn apercu_du(etat: &AppState, date: time::Date) -> Result<Arc<Apercu>, WebError> {
    let generation = etat
        .lire(|conn| Ok(crate::store::apercu::generation(conn)?))
        .await?;
    apercu_a(etat, date, generation).await
}

/// The overview at `date` for a data generation the caller has just read.
pub(super) async fn apercu_a(
    etat: &AppState,
    date: time::Date,
    generation: u64,
) -> Result<Arc<Apercu>, WebError> {
    let aujourd_hui = format::aujourd_hui();
    etat.apercus
        .obtenir(date, generation, &etat.limite, || {
            let tenu = etat.apercu_tenu.clone();
            etat.lire(move |conn| Ok(tenu.apercu_au(conn, aujourd_hui, date)?))
        })
        .await
}

#[derive(Template)]
#[template(path = "apercu.html")]
pub struct PageApercu {
    apercu: Arc<Apercu>,
    phrases: Vec<String>,
    tableaux: Vec<Tableau>,
    graphiques: Vec<Graphique>,
    methode: Vec<String>,
    liens: bool,
    requete: String,
    carte: Arc<super::carte::CarteRendue>,
    choix_carte: ChoixCarte,
    mise_a_jour: Option<time::OffsetDateTime>,
}

/// The links that switch the map's level and measure, the current ones marked.
pub struct ChoixCarte {
    pub niveaux: Vec<(String, &'static str, bool)>,
    pub mesures: Vec<(String, &'static str, bool)>,
}

impl ChoixCarte {
    fn new(date: &str, echelon: Echelon, mesure: Mesure) -> ChoixCarte {
        let lien = |e: Echelon, m: Mesure| {
            format!(
                "/apercu?date={date}&niveau={}&mesure={}#carte-titre-section",
                e.cle(),
                m.cle()
            )
        };
        ChoixCarte {
            niveaux: Echelon::TOUS
                .into_iter()
                .map(|e| (lien(e, mesure), e.libelle(), e == echelon))
                .collect(),
            mesures: Mesure::TOUTES
                .into_iter()
                .map(|m| (lien(echelon, m), m.libelle(), m == mesure))
                .collect(),
        }
    }
}

/// What one `/apercu` page shows: its date, and its map's level and measure.
pub type ClePage = (time::Date, Echelon, Mesure);

/// The page is written once per date, map and data generation, then sent as it is: at
/// national scale its tables of communes take longer to write than everything else.
pub async fn page(
    State(etat): State<AppState>,
    params: Parametres,
) -> Result<axum::response::Html<axum::body::Bytes>, WebError> {
    let date = date(&params)?;
    let (echelon, mesure) = super::carte::choix(&params)?;
    let (generation, mise_a_jour) = etat
        .lire(|conn| {
            Ok((
                crate::store::apercu::generation(conn)?,
                crate::store::apercu::mise_a_jour(conn)?,
            ))
        })
        .await?;
    if let Some(html) = etat.pages_apercu.deja(&(date, echelon, mesure), generation) {
        return Ok(axum::response::Html(html.as_ref().clone()));
    }
    // each computation in turn, never one inside another (see `web::calculs`)
    let apercu = apercu_a(&etat, date, generation).await?;
    let carte = super::carte::choroplethe(&etat, date, echelon, mesure, None).await?;
    let html = etat
        .pages_apercu
        .obtenir(
            (date, echelon, mesure),
            generation,
            &etat.limite,
            || async move {
                let Rapport {
                    phrases,
                    tableaux,
                    graphiques,
                    methode,
                    requete,
                    ..
                } = Rapport::new(&apercu, true);
                let choix_carte = ChoixCarte::new(&apercu.date, echelon, mesure);
                let page = PageApercu {
                    phrases,
                    tableaux,
                    graphiques,
                    methode,
                    liens: true,
                    requete,
                    apercu,
                    carte,
                    choix_carte,
                    mise_a_jour,
                };
                page.render()
                    .map(axum::body::Bytes::from)
                    .map_err(|e| WebError::Interne(format!("gabarit de l'aperçu : {e}")))
            },
        )
        .await?;
    Ok(axum::response::Html(html.as_ref().clone()))
}

/// The JSON contract (docs/apercu.md).
pub async fn json(State(etat): State<AppState>, params: Parametres) -> Result<Response, WebError> {
    let apercu = calculer(&etat, &params).await?;
    Ok((
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        rendu::json(&apercu),
    )
        .into_response())
}

/// `/apercu/{table}.csv` for one table, `/apercu/rapport.html` for the printable report.
pub async fn fichier(
    State(etat): State<AppState>,
    Path(fichier): Path<String>,
    params: Parametres,
) -> Result<Response, WebError> {
    let introuvable = || {
        WebError::Introuvable(format!(
            "L'aperçu n'a pas de fichier « {fichier} » : les tableaux sont listés sur la page /apercu."
        ))
    };
    if fichier == "rapport.html" {
        let apercu = calculer(&etat, &params).await?;
        let html = rendu::html(&apercu).map_err(|e| WebError::Interne(e.to_string()))?;
        // The report is one self-contained file: its style is inline, and nothing else loads.
        return Ok((
            [
                (
                    header::CONTENT_SECURITY_POLICY,
                    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
                ),
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            ],
            html,
        )
            .into_response());
    }
    let nom = fichier.strip_suffix(".csv").ok_or_else(introuvable)?;
    let apercu = calculer(&etat, &params).await?;
    let tableau = rendu::tableaux(&apercu)
        .into_iter()
        .find(|t| t.nom == nom)
        .ok_or_else(introuvable)?;
    let disposition = format!(
        "attachment; filename=\"benkan-{}-{}.csv\"",
        tableau.nom, apercu.date
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        rendu::csv(&tableau),
    )
        .into_response())
}
