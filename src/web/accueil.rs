use askama::Template;

use super::format::Html;
use super::{AppState, WebError};
use crate::observatoire::ChiffresCles;
use crate::store::chiffres::{self, Modification};
use axum::extract::State;

#[derive(Template)]
#[template(path = "accueil.html")]
pub struct PageAccueil {
    chiffres: ChiffresCles,
    modifications: Vec<Modification>,
}

pub async fn page(State(etat): State<AppState>) -> Result<Html<PageAccueil>, WebError> {
    let apercus = etat.apercus.clone();
    let chiffres = etat
        .bloquant(move |store| Ok(apercus.chiffres_cles(store, super::format::aujourd_hui())?))
        .await?;
    let modifications = etat
        .lire(|conn| Ok(chiffres::dernieres_modifications(conn, 10)?))
        .await?;
    Ok(Html(PageAccueil {
        chiffres,
        modifications,
    }))
}
