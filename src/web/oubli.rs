//! « Mot de passe oublié » and the first sign-in of a new account: a single-use link sent by
//! e-mail opens a form where the person chooses a password.
//!
//! The request always gets the same answer, whether or not an account has that address;
//! the database keeps only the hash of the link's token, which expires within the hour (three
//! days for a new account: `courriel::textes`). Requests count against limits like sign-ins,
//! so that nobody fills someone's mailbox. Without SMTP settings the page says whom to ask.

use std::net::SocketAddr;
use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;

use super::connexion::{exiger_jeton, jeton_connexion, poser_jeton_connexion};
use super::espace::{formulaire, prive};
use super::exploitant::Exploitant;
use super::format::Html;
use super::formulaire::{Erreurs, depuis_modele};
use super::params::Parametres;
use super::{AppState, WebError};
use crate::acces;
use crate::courriel::textes;
use crate::model::{Email, verifier_mot_de_passe};
use crate::store::compte;
use crate::store::courriel::{Motif, creer_lien, lien_valide, utiliser_lien};
use crate::store::tentative::{self, Tentative};

/// Requests of a link from one address for one e-mail, and from one address for any, within
/// a quarter of an hour.
const PAR_PAIRE: u32 = 3;
const PAR_ADRESSE: u32 = 10;
const FENETRE_MINUTES: u32 = 15;

#[derive(Template)]
#[template(path = "oubli.html")]
pub struct PageOubli {
    /// Whether the site sends e-mail at all.
    envoi: bool,
    exploitant: Arc<Exploitant>,
    csrf: String,
    email: String,
    /// The request was taken: say so, the same way for every address.
    demande: bool,
    erreurs: Erreurs,
}

pub async fn formulaire_oubli(
    State(etat): State<AppState>,
    entetes: HeaderMap,
) -> Result<Response, WebError> {
    let (csrf, nouveau) = jeton_connexion(&entetes)?;
    let page = PageOubli {
        envoi: etat.courrier.is_some(),
        exploitant: etat.exploitant.clone(),
        csrf: csrf.clone(),
        email: String::new(),
        demande: false,
        erreurs: Vec::new(),
    };
    let mut reponse = prive(Html(page));
    if nouveau {
        poser_jeton_connexion(&mut reponse, &csrf, etat.cookie_securise);
    }
    Ok(reponse)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Demande {
    csrf: String,
    email: String,
}

pub async fn demander(
    State(etat): State<AppState>,
    ConnectInfo(pair): ConnectInfo<SocketAddr>,
    entetes: HeaderMap,
    form: Result<Form<Demande>, FormRejection>,
) -> Result<Response, WebError> {
    let saisie = formulaire(form)?;
    exiger_jeton(&entetes, &saisie.csrf)?;
    let page = |email: String, demande: bool, erreurs: Erreurs| PageOubli {
        envoi: etat.courrier.is_some(),
        exploitant: etat.exploitant.clone(),
        csrf: saisie.csrf.clone(),
        email,
        demande,
        erreurs,
    };
    let Some(courrier) = etat.courrier.clone() else {
        return Ok(prive(Html(page(String::new(), false, Vec::new()))));
    };
    let email = match Email::new(&saisie.email) {
        Ok(email) => email,
        Err(e) => {
            return Ok(prive((
                StatusCode::UNPROCESSABLE_ENTITY,
                Html(page(
                    saisie.email.clone(),
                    false,
                    vec![("email", depuis_modele(&e, "Adresse e-mail"))],
                )),
            )));
        }
    };
    // Kept apart from the sign-in attempts: asking for a link neither slows nor blocks a
    // sign-in.
    let cle_email = format!("oubli {}", acces::cle_email(email.as_str()));
    let cle_adresse = format!(
        "oubli {}",
        acces::cle_adresse(super::client::adresse_client(
            pair.ip(),
            &entetes,
            &etat.proxys_de_confiance,
        ))
    );
    let jeton = acces::jeton().map_err(|e| WebError::Interne(e.to_string()))?;
    let empreinte = acces::empreinte(&jeton);
    let destinataire = etat
        .ecrire(move |conn| {
            match tentative::noter(
                conn,
                &cle_email,
                &cle_adresse,
                FENETRE_MINUTES,
                PAR_PAIRE,
                PAR_ADRESSE,
            )? {
                Tentative::Refusee { secondes, .. } => {
                    return Err(WebError::TropDeTentatives(
                        format!(
                            "Trop de demandes de lien depuis votre connexion. Regardez d'abord dans votre boîte aux lettres (et dans les indésirables), puis réessayez dans {} minute(s).",
                            secondes.div_ceil(60)
                        ),
                        secondes,
                    ));
                }
                Tentative::Notee { .. } => {}
            }
            match compte::par_email(conn, &email)? {
                Some((compte, _)) if compte.actif => {
                    creer_lien(conn, &empreinte, compte.id, Motif::Oubli, textes::MINUTES_OUBLI)?;
                    Ok(Some(compte.email))
                }
                _ => Ok(None),
            }
        })
        .await?;
    if let Some(email) = destinataire {
        courrier.envoyer_lien(textes::oubli(courrier.site(), email.as_str(), &jeton));
    }
    Ok(prive(Html(page(
        saisie.email.trim().to_owned(),
        true,
        Vec::new(),
    ))))
}

#[derive(Template)]
#[template(path = "nouveau_mot_de_passe.html")]
pub struct PageNouveau {
    /// The link's token, carried by the form; empty when the link does not work.
    jeton: String,
    /// The account's e-mail, shown so that the person knows which account it is.
    email: String,
    premiere: bool,
    /// The password was chosen.
    fait: bool,
    erreurs: Erreurs,
}

/// The link's token as it came (64 hexadecimal digits), or nothing.
fn jeton_lu(jeton: Option<&str>) -> Option<String> {
    jeton
        .map(str::trim)
        .filter(|j| j.len() == 64 && j.bytes().all(|o| o.is_ascii_hexdigit()))
        .map(str::to_ascii_lowercase)
}

/// The page of a link that does not work (used, expired, mistyped): 410, with what to do.
fn lien_perime() -> Response {
    prive((
        StatusCode::GONE,
        Html(PageNouveau {
            jeton: String::new(),
            email: String::new(),
            premiere: false,
            fait: false,
            erreurs: Vec::new(),
        }),
    ))
}

pub async fn formulaire_nouveau(
    State(etat): State<AppState>,
    params: Parametres,
) -> Result<Response, WebError> {
    let Some(jeton) = jeton_lu(params.texte("jeton")) else {
        return Ok(lien_perime());
    };
    let empreinte = acces::empreinte(&jeton);
    let valide = etat
        .lire(move |conn| Ok(lien_valide(conn, &empreinte)?))
        .await?;
    Ok(match valide {
        Some((compte, motif)) => prive(Html(PageNouveau {
            jeton,
            email: compte.email.to_string(),
            premiere: motif == Motif::PremiereConnexion,
            fait: false,
            erreurs: Vec::new(),
        })),
        None => lien_perime(),
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Choix {
    jeton: String,
    nouveau: String,
    confirmation: String,
}

/// Sets the password chosen through a link. The token itself proves the form comes from
/// the message (no other CSRF token is needed): it is secret, single-use and short-lived.
pub async fn choisir(
    State(etat): State<AppState>,
    form: Result<Form<Choix>, FormRejection>,
) -> Result<Response, WebError> {
    let saisie = formulaire(form)?;
    let Some(jeton) = jeton_lu(Some(&saisie.jeton)) else {
        return Ok(lien_perime());
    };
    let empreinte = acces::empreinte(&jeton);
    let valide = {
        let empreinte = empreinte.clone();
        etat.lire(move |conn| Ok(lien_valide(conn, &empreinte)?))
            .await?
    };
    let Some((compte, motif)) = valide else {
        return Ok(lien_perime());
    };
    let refus = |champ: &'static str, message: String| {
        prive((
            StatusCode::UNPROCESSABLE_ENTITY,
            Html(PageNouveau {
                jeton: jeton.clone(),
                email: compte.email.to_string(),
                premiere: motif == Motif::PremiereConnexion,
                fait: false,
                erreurs: vec![(champ, message)],
            }),
        ))
    };
    if let Err(e) = verifier_mot_de_passe(&saisie.nouveau) {
        return Ok(refus("nouveau", depuis_modele(&e, "Nouveau mot de passe")));
    }
    if saisie.nouveau != saisie.confirmation {
        return Ok(refus(
            "confirmation",
            "La confirmation ne reprend pas le nouveau mot de passe : tapez-le deux fois à l'identique.".to_owned(),
        ));
    }
    let nouveau = saisie.nouveau;
    let hash = acces::a_son_tour(move || acces::hacher(&nouveau)).await??;
    let id = compte.id;
    let utilise = etat
        .ecrire(move |conn| {
            if !utiliser_lien(conn, &empreinte, id)? {
                return Ok(false);
            }
            compte::changer_hash(conn, id, &hash, None)?;
            Ok(true)
        })
        .await?;
    if !utilise {
        // used by another request meanwhile
        return Ok(lien_perime());
    }
    Ok(prive(Html(PageNouveau {
        jeton: String::new(),
        email: compte.email.to_string(),
        premiere: motif == Motif::PremiereConnexion,
        fait: true,
        erreurs: Vec::new(),
    })))
}
