//! `/espace/jetons`: an account creates and revokes its personal API tokens. A token is
//! shown once, at creation; only its hash is stored.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::extract::rejection::FormRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::espace::{formulaire, prive};
use super::format::Html;
use super::formulaire::{Erreurs, depuis_modele};
use super::params::Identifiant;
use super::session::Utilisateur;
use super::{AppState, WebError};
use crate::acces;
use crate::store::jeton_api::{self, JetonApi};

#[derive(Template)]
#[template(path = "jetons.html")]
pub struct PageJetons {
    csrf: String,
    jetons: Vec<JetonApi>,
    /// The token just created, shown this once.
    nouveau: Option<String>,
    erreurs: Erreurs,
}

async fn page(
    etat: &AppState,
    utilisateur: &Utilisateur,
    nouveau: Option<String>,
    erreurs: Erreurs,
) -> Result<PageJetons, WebError> {
    let id = utilisateur.compte.id;
    let jetons = etat
        .lire(move |conn| Ok(jeton_api::lister(conn, id)?))
        .await?;
    Ok(PageJetons {
        csrf: utilisateur.csrf.clone(),
        jetons,
        nouveau,
        erreurs,
    })
}

pub async fn liste(
    State(etat): State<AppState>,
    utilisateur: Utilisateur,
) -> Result<Response, WebError> {
    Ok(prive(Html(
        page(&etat, &utilisateur, None, Erreurs::new()).await?,
    )))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Saisie {
    csrf: String,
    nom: String,
}

pub async fn creer(
    State(etat): State<AppState>,
    utilisateur: Utilisateur,
    form: Result<Form<Saisie>, FormRejection>,
) -> Result<Response, WebError> {
    let saisie = formulaire(form)?;
    utilisateur.exiger_csrf(&saisie.csrf)?;
    let jeton = acces::jeton().map_err(|e| WebError::Interne(e.to_string()))?;
    let (id, empreinte) = (utilisateur.compte.id, acces::empreinte(&jeton));
    let cree = etat
        .ecrire(move |conn| Ok(jeton_api::creer(conn, id, &empreinte, &saisie.nom)))
        .await?;
    match cree {
        Ok(_) => Ok(prive(Html(
            page(&etat, &utilisateur, Some(jeton), Erreurs::new()).await?,
        ))),
        Err(crate::store::StoreError::Modele(e)) => Ok(prive((
            StatusCode::UNPROCESSABLE_ENTITY,
            Html(
                page(
                    &etat,
                    &utilisateur,
                    None,
                    vec![("nom", depuis_modele(&e, "À quoi servira-t-il ?"))],
                )
                .await?,
            ),
        ))),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Revocation {
    csrf: String,
}

pub async fn revoquer(
    State(etat): State<AppState>,
    utilisateur: Utilisateur,
    Identifiant(jeton): Identifiant,
    form: Result<Form<Revocation>, FormRejection>,
) -> Result<Response, WebError> {
    utilisateur.exiger_csrf(&formulaire(form)?.csrf)?;
    let compte = utilisateur.compte.id;
    let fait = etat
        .ecrire(move |conn| Ok(jeton_api::revoquer(conn, compte, jeton)?))
        .await?;
    if !fait {
        return Err(WebError::Introuvable(format!(
            "Vous n'avez pas de jeton actif n° {jeton}."
        )));
    }
    Ok(prive(Redirect::to("/espace/jetons").into_response()))
}
