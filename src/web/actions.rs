use askama::Template;
use axum::extract::State;

use super::format::Html;
use super::params::Identifiant;
use super::{AppState, WebError};
use crate::model::ActionId;
use crate::store::action::{self, FicheAction};

#[derive(Template)]
#[template(path = "action.html")]
pub struct PageFiche {
    fiche: FicheAction,
}

pub async fn fiche(
    State(etat): State<AppState>,
    Identifiant(id): Identifiant,
) -> Result<Html<PageFiche>, WebError> {
    let id = ActionId(id);
    let fiche = etat
        .lire(move |conn| {
            action::fiche(conn, id)?.ok_or_else(|| {
                WebError::Introuvable(format!("Aucune action ne porte le numéro {id}."))
            })
        })
        .await?;
    Ok(Html(PageFiche { fiche }))
}
