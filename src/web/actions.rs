use askama::Template;
use axum::extract::State;

use super::format::Html;
use super::params::Identifiant;
use super::{AppState, WebError};
use crate::model::ActionId;
use crate::store::action::{self, FicheAction, PointLocalise};

#[derive(Template)]
#[template(path = "action.html")]
pub struct PageFiche {
    fiche: FicheAction,
    /// Its places, points and villages on the map of Mali.
    carte: Option<String>,
}

impl PageFiche {
    /// « 14,4485° N, 11,4389° O ».
    fn coordonnees(&self, p: &PointLocalise) -> String {
        super::format::coordonnees(p.point.latitude, p.point.longitude)
    }
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
    let points = fiche
        .points
        .iter()
        .map(|p| {
            let nom =
                p.point.libelle.clone().unwrap_or_else(|| {
                    super::format::coordonnees(p.point.latitude, p.point.longitude)
                });
            (p.point.longitude, p.point.latitude, nom)
        })
        .collect::<Vec<_>>();
    let villages = fiche
        .localites
        .iter()
        .map(|(l, _)| (l.longitude, l.latitude, l.nom.clone()));
    let points = points.into_iter().chain(villages).collect();
    let carte = super::carte::des_lieux(&etat, "de l'action", codes, points).await?;
    Ok(Html(PageFiche { fiche, carte }))
}
