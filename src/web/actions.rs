use askama::Template;
use axum::extract::State;

use super::format::Html;
use super::params::{Identifiant, Parametres};
use super::{AppState, WebError};
use crate::model::{ActionId, Axe, CollectiviteId, Indicateur};
use crate::store::Pagine;
use crate::store::action::{self, ActionQuery, ActionResume, FicheAction, PointLocalise};
use crate::store::collectivite;

/// The public actions behind a figure of the overview: those with a result on an
/// indicator, in a zone, on an axe.
#[derive(Template)]
#[template(path = "actions.html")]
pub struct PageListe {
    resultats: Pagine<ActionResume>,
    /// The query string without the page, for the pagination links.
    requete: String,
    indicateur: Option<&'static Indicateur>,
    zone: Option<String>,
    axe: Option<Axe>,
}

pub async fn liste(
    State(etat): State<AppState>,
    params: Parametres,
) -> Result<Html<PageListe>, WebError> {
    let indicateur = params.indicateur("indicateur")?;
    let axe = params.code("axe")?;
    let zone = params
        .texte("zone")
        .map(|v| {
            v.parse::<i64>().map(CollectiviteId).map_err(|_| {
                WebError::Requete(format!(
                    "Paramètre « zone » : « {v} » n'est pas un numéro de collectivité."
                ))
            })
        })
        .transpose()?;
    let query = ActionQuery {
        axe,
        zone,
        indicateur: indicateur.map(|i| i.code.clone()),
        page: params.page()?,
        ..ActionQuery::default()
    };
    let (resultats, nom_zone) = etat
        .lire(move |conn| {
            let nom_zone = match query.zone {
                Some(id) => Some(
                    collectivite::par_id(conn, id)?
                        .ok_or_else(|| {
                            WebError::Introuvable(format!(
                                "Aucune collectivité ne porte le numéro {id}."
                            ))
                        })?
                        .nom,
                ),
                None => None,
            };
            Ok((query.lister(conn, None)?, nom_zone))
        })
        .await?;
    Ok(Html(PageListe {
        resultats,
        requete: params.sans_page(),
        indicateur,
        zone: nom_zone,
        axe,
    }))
}

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
