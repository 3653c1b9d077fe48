use askama::Template;

use super::format::Html;
use super::{AppState, WebError};
use crate::observatoire::ChiffresCles;
use crate::store::apercu;
use crate::store::chiffres::{self, Modification};
use axum::extract::State;

#[derive(Template)]
#[template(path = "accueil.html")]
pub struct PageAccueil {
    chiffres: ChiffresCles,
    modifications: Vec<Modification>,
    carte: std::sync::Arc<super::carte::CarteRendue>,
    mise_a_jour: Option<time::OffsetDateTime>,
}

pub async fn page(State(etat): State<AppState>) -> Result<Html<PageAccueil>, WebError> {
    let apercu = super::apercu::apercu_du(&etat, super::format::aujourd_hui()).await?;
    let (modifications, mise_a_jour) = etat
        .lire(|conn| {
            Ok((
                chiffres::dernieres_modifications(conn, 10)?,
                apercu::mise_a_jour(conn)?,
            ))
        })
        .await?;
    let carte = super::carte::choroplethe(
        &etat,
        apercu.jour,
        crate::carte::Echelon::Region,
        crate::observatoire::carte::Mesure::Partenariats,
        None,
    )
    .await?;
    Ok(Html(PageAccueil {
        chiffres: ChiffresCles::depuis(&apercu),
        modifications,
        carte,
        mise_a_jour,
    }))
}
