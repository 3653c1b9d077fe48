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
    /// Its places on the map of Mali.
    carte: Option<String>,
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
    let codes = super::carte::codes_maliens(&fiche.lieux);
    let carte = super::carte::des_lieux(&etat, "de l'action", codes, Vec::new()).await?;
    Ok(Html(PageFiche { fiche, carte }))
}
