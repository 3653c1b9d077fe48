use askama::Template;

use super::format::Html;
use super::{AppState, WebError};
use crate::observatoire::{self, ChiffresCles};
use crate::store::chiffres::{self, Modification};
use axum::extract::State;

#[derive(Template)]
#[template(path = "accueil.html")]
pub struct PageAccueil {
    chiffres: ChiffresCles,
    modifications: Vec<Modification>,
}

pub async fn page(State(etat): State<AppState>) -> Result<Html<PageAccueil>, WebError> {
    let (chiffres, modifications) = etat
        .lire(|conn| {
            Ok((
                observatoire::chiffres_cles(conn, super::format::aujourd_hui())?,
                chiffres::dernieres_modifications(conn, 10)?,
            ))
        })
        .await?;
    Ok(Html(PageAccueil {
        chiffres,
        modifications,
    }))
}
