use askama::Template;
use axum::extract::State;

use super::format::{self, Html};
use super::params::{Identifiant, Parametres};
use super::{AppState, WebError};
use crate::model::{Collectivite, CollectiviteId, Pays};
use crate::store::collectivite::{self, FicheCollectivite};
use crate::store::{Page, Pagine};

/// What the index shows: either search results or a country's top units.
pub enum Contenu {
    Recherche(Pagine<Collectivite>),
    Parcours(Vec<Collectivite>),
}

#[derive(Template)]
#[template(path = "collectivites.html")]
pub struct PageIndex {
    recherche: Option<String>,
    /// The query string without the page, for the pagination links.
    requete: String,
    pays_choisi: Pays,
    pays: Vec<(Pays, u64)>,
    contenu: Contenu,
}

pub async fn index(
    State(etat): State<AppState>,
    params: Parametres,
) -> Result<Html<PageIndex>, WebError> {
    let recherche = params.texte("q").map(str::to_owned);
    let pays_filtre = params.pays("pays")?;
    let page = params.page()?;
    if recherche
        .as_deref()
        .is_some_and(|q| q.chars().count() > 200)
    {
        return Err(WebError::Requete(
            "Paramètre « q » : la recherche dépasse 200 caractères ; tapez une partie du nom."
                .to_owned(),
        ));
    }
    let texte = recherche.clone();
    let (pays, contenu) = etat
        .lire(move |conn| {
            let contenu = match &texte {
                Some(q) => {
                    Contenu::Recherche(collectivite::rechercher(conn, q, pays_filtre, page)?)
                }
                None => Contenu::Parcours(collectivite::racines(
                    conn,
                    pays_filtre.unwrap_or(Pays::MALI),
                )?),
            };
            Ok((collectivite::pays_presents(conn)?, contenu))
        })
        .await?;
    Ok(Html(PageIndex {
        recherche,
        requete: params.sans_page(),
        pays_choisi: pays_filtre.unwrap_or(Pays::MALI),
        pays,
        contenu,
    }))
}

#[derive(Template)]
#[template(path = "collectivite.html")]
pub struct PageFiche {
    fiche: FicheCollectivite,
    /// The query string without the page, for the pagination links.
    requete: String,
}

pub async fn fiche(
    State(etat): State<AppState>,
    Identifiant(id): Identifiant,
    params: Parametres,
) -> Result<Html<PageFiche>, WebError> {
    let id = CollectiviteId(id);
    let page: Page = params.page()?;
    let fiche = etat
        .lire(move |conn| {
            collectivite::fiche(conn, id, format::aujourd_hui(), page)?.ok_or_else(|| {
                WebError::Introuvable(format!("Aucune collectivité ne porte le numéro {id}."))
            })
        })
        .await?;
    Ok(Html(PageFiche {
        fiche,
        requete: params.sans_page(),
    }))
}

impl PageFiche {
    fn chemin(&self) -> String {
        format!("/collectivites/{}", self.fiche.collectivite.id)
    }
}
