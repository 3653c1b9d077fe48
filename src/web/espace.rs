//! The contributors' space: sign-in, sign-out, the account's page and password change.
//! Every page here is private (`Cache-Control: no-store`).

use std::net::SocketAddr;

use askama::Template;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::format::Html;
use super::params::Parametres;
use super::session::{self, Utilisateur, Visiteur};
use super::{AppState, WebError};
use crate::acces;
use crate::model::{Collectivite, Compte, Email, Role, verifier_mot_de_passe};
use crate::store::{collectivite, compte};

/// Failed sign-ins in this window count against an e-mail or an address.
const FENETRE_MINUTES: u32 = 15;
/// From this many failures on one e-mail, each new attempt waits.
const RALENTIR_APRES: u64 = 3;
/// From this many failures on one e-mail (or five times as many from one address), sign-in
/// is refused for the window.
const REFUSER_APRES: u64 = 5;

pub(super) fn prive(reponse: impl IntoResponse) -> Response {
    let mut reponse = reponse.into_response();
    reponse
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    reponse
}

/// A form whose body could not be read is a 400 that says so.
pub(super) fn formulaire<T>(form: Result<Form<T>, FormRejection>) -> Result<T, WebError> {
    form.map(|Form(f)| f)
        .map_err(|e| WebError::Requete(format!("Le formulaire envoyé est illisible : {e}.")))
}

/// Only a local path is a place to come back to after signing in.
fn suite_sure(suite: Option<&str>) -> String {
    match suite {
        Some(s) if s.starts_with('/') && !s.starts_with("//") && !s.contains('\\') => s.to_owned(),
        _ => "/espace".to_owned(),
    }
}

#[derive(Template)]
#[template(path = "connexion.html")]
pub struct PageConnexion {
    email: String,
    suite: String,
    erreur: Option<String>,
}

pub async fn formulaire_connexion(Visiteur(visiteur): Visiteur, params: Parametres) -> Response {
    let suite = suite_sure(params.texte("suite"));
    if visiteur.is_some() {
        return Redirect::to(&suite).into_response();
    }
    prive(Html(PageConnexion {
        email: String::new(),
        suite,
        erreur: None,
    }))
}

#[derive(Deserialize)]
pub struct Identifiants {
    #[serde(default)]
    email: String,
    #[serde(default)]
    mot_de_passe: String,
    #[serde(default)]
    suite: Option<String>,
}

pub async fn connexion(
    State(etat): State<AppState>,
    ConnectInfo(adresse): ConnectInfo<SocketAddr>,
    form: Result<Form<Identifiants>, FormRejection>,
) -> Result<Response, WebError> {
    let saisie = formulaire(form)?;
    let suite = suite_sure(saisie.suite.as_deref());
    let refus = |email: &str| {
        prive((
            StatusCode::UNAUTHORIZED,
            Html(PageConnexion {
                email: email.to_owned(),
                suite: suite.clone(),
                erreur: Some("Adresse e-mail ou mot de passe incorrect.".to_owned()),
            }),
        ))
    };
    let cle_email = format!("email:{}", saisie.email.trim().to_lowercase());
    let cle_adresse = format!("ip:{}", adresse.ip());
    let (echecs_email, echecs_adresse) = {
        let (e, a) = (cle_email.clone(), cle_adresse.clone());
        etat.lire(move |conn| {
            Ok((
                compte::echecs_recents(conn, &e, FENETRE_MINUTES)?,
                compte::echecs_recents(conn, &a, FENETRE_MINUTES)?,
            ))
        })
        .await?
    };
    if echecs_email >= REFUSER_APRES || echecs_adresse >= REFUSER_APRES * 5 {
        return Err(WebError::TropDeTentatives(format!(
            "Trop de tentatives de connexion ont échoué. Réessayez dans {FENETRE_MINUTES} minutes, ou demandez à un administrateur national de réinitialiser votre mot de passe."
        )));
    }
    if echecs_email >= RALENTIR_APRES {
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    }
    let mot_de_passe = saisie.mot_de_passe.clone();
    let email = Email::new(&saisie.email).ok();
    let reconnu: Option<Compte> = etat
        .lire(move |conn| {
            let trouve = match &email {
                Some(email) => compte::par_email(conn, email)?,
                None => None,
            };
            Ok(match trouve {
                Some((c, hash)) if acces::verifier(&mot_de_passe, &hash) && c.actif => Some(c),
                Some(_) => None,
                None => {
                    acces::verifier_pour_rien(&mot_de_passe);
                    None
                }
            })
        })
        .await?;
    let Some(compte_reconnu) = reconnu else {
        etat.ecrire(move |conn| Ok(compte::noter_echec(conn, &[cle_email, cle_adresse])?))
            .await?;
        return Ok(refus(&saisie.email));
    };
    let jeton = acces::jeton().map_err(|e| WebError::Interne(e.to_string()))?;
    let csrf = acces::jeton().map_err(|e| WebError::Interne(e.to_string()))?;
    let empreinte = acces::empreinte(&jeton);
    etat.ecrire(move |conn| {
        compte::effacer_echecs(conn, &cle_email)?;
        Ok(compte::ouvrir_session(
            conn,
            &empreinte,
            compte_reconnu.id,
            &csrf,
        )?)
    })
    .await?;
    let mut reponse = Redirect::to(&suite).into_response();
    reponse.headers_mut().insert(
        header::SET_COOKIE,
        session::cookie(Some(&jeton), etat.cookie_securise),
    );
    Ok(prive(reponse))
}

/// A form that carries nothing but its security token.
#[derive(Deserialize)]
pub struct Jeton {
    #[serde(default)]
    pub csrf: String,
}

pub async fn deconnexion(
    State(etat): State<AppState>,
    utilisateur: Utilisateur,
    form: Result<Form<Jeton>, FormRejection>,
) -> Result<Response, WebError> {
    utilisateur.exiger_csrf(&formulaire(form)?.csrf)?;
    let empreinte = utilisateur.empreinte.clone();
    etat.ecrire(move |conn| Ok(compte::fermer_session(conn, &empreinte)?))
        .await?;
    let mut reponse = Redirect::to("/").into_response();
    reponse.headers_mut().insert(
        header::SET_COOKIE,
        session::cookie(None, etat.cookie_securise),
    );
    Ok(prive(reponse))
}

#[derive(Template)]
#[template(path = "espace.html")]
pub struct PageEspace {
    compte: Compte,
    csrf: String,
    collectivites: Vec<Collectivite>,
    /// The partenariats of its collectivités, in every review state.
    partenariats: Vec<crate::model::Partenariat>,
    /// For an administrator: declarations waiting.
    en_attente: usize,
    /// The day the current update campaign opened, if one is open.
    campagne: Option<time::Date>,
    /// For a national administrator: every account.
    comptes: Vec<Compte>,
}

pub async fn espace(
    State(etat): State<AppState>,
    utilisateur: Utilisateur,
) -> Result<Response, WebError> {
    let compte_courant = utilisateur.compte.clone();
    let (collectivites, comptes, partenariats, en_attente, campagne) = etat
        .lire(move |conn| {
            let collectivites = compte_courant
                .collectivites
                .iter()
                .map(|id| collectivite::requise(conn, *id))
                .collect::<Result<Vec<_>, _>>()?;
            let admin = compte_courant.role == Role::AdminNational;
            let comptes = if admin {
                compte::lister(conn)?
            } else {
                Vec::new()
            };
            let partenariats =
                crate::store::partenariat::des_collectivites(conn, &compte_courant.collectivites)?;
            let en_attente = if admin {
                crate::store::partenariat::en_attente(conn)?.len()
            } else {
                0
            };
            let campagne = crate::store::campagne::ouverte_depuis(conn)?;
            Ok((collectivites, comptes, partenariats, en_attente, campagne))
        })
        .await?;
    Ok(prive(Html(PageEspace {
        compte: utilisateur.compte,
        csrf: utilisateur.csrf,
        collectivites,
        comptes,
        partenariats,
        en_attente,
        campagne,
    })))
}

#[derive(Template)]
#[template(path = "mot_de_passe.html")]
pub struct PageMotDePasse {
    csrf: String,
    erreur: Option<String>,
    fait: bool,
}

pub async fn formulaire_mot_de_passe(utilisateur: Utilisateur) -> Response {
    prive(Html(PageMotDePasse {
        csrf: utilisateur.csrf,
        erreur: None,
        fait: false,
    }))
}

#[derive(Deserialize)]
pub struct ChangementMotDePasse {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    actuel: String,
    #[serde(default)]
    nouveau: String,
    #[serde(default)]
    confirmation: String,
}

pub async fn changer_mot_de_passe(
    State(etat): State<AppState>,
    utilisateur: Utilisateur,
    form: Result<Form<ChangementMotDePasse>, FormRejection>,
) -> Result<Response, WebError> {
    let saisie = formulaire(form)?;
    utilisateur.exiger_csrf(&saisie.csrf)?;
    let page = |erreur: Option<String>, fait: bool| PageMotDePasse {
        csrf: utilisateur.csrf.clone(),
        erreur,
        fait,
    };
    let refus = |message: String| {
        Ok(prive((
            StatusCode::UNPROCESSABLE_ENTITY,
            Html(page(Some(message), false)),
        )))
    };
    if let Err(e) = verifier_mot_de_passe(&saisie.nouveau) {
        return refus(format!("Nouveau mot de passe : {e}."));
    }
    if saisie.nouveau != saisie.confirmation {
        return refus("La confirmation ne reprend pas le nouveau mot de passe : tapez-le deux fois à l'identique.".to_owned());
    }
    let (email, id, empreinte) = (
        utilisateur.compte.email.clone(),
        utilisateur.compte.id,
        utilisateur.empreinte.clone(),
    );
    let change = etat
        .ecrire(move |conn| {
            let Some((_, hash)) = compte::par_email(conn, &email)? else {
                return Ok(false);
            };
            if !acces::verifier(&saisie.actuel, &hash) {
                return Ok(false);
            }
            let nouveau =
                acces::hacher(&saisie.nouveau).map_err(|e| WebError::Interne(e.to_string()))?;
            compte::changer_hash(conn, id, &nouveau, Some(&empreinte))?;
            Ok(true)
        })
        .await?;
    if !change {
        return refus("Le mot de passe actuel est incorrect.".to_owned());
    }
    Ok(prive(Html(page(None, true))))
}
