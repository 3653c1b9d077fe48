//! The contributors' space: sign-out, the account's page and password change (sign-in is
//! in `connexion`). Every page here is private (`Cache-Control: no-store`).

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::extract::rejection::FormRejection;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::format::Html;
use super::session::{self, Utilisateur};
use super::{AppState, WebError};
use crate::acces;
use crate::model::{Acteur, Collectivite, Compte, Role, verifier_mot_de_passe};
use crate::store::{acteur, collectivite, compte};

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

/// The fields of an URL-encoded form in their order, a repeated name (a list of ticked
/// boxes) once per value.
pub(super) fn champs(corps: &[u8]) -> Result<Vec<(String, String)>, WebError> {
    serde_urlencoded::from_bytes(corps)
        .map_err(|e| WebError::Requete(format!("Le formulaire envoyé est illisible : {e}.")))
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
    /// For an association's account: the acteurs it speaks for.
    acteurs: Vec<Acteur>,
    /// The partenariats of its collectivités, in every review state.
    partenariats: Vec<crate::model::Partenariat>,
    /// The actions of those partenariats, in every review state, with their partenariat's
    /// title.
    actions: Vec<crate::store::action::ActionSuivie>,
    /// For an administrator: declarations waiting (partenariats and actions).
    en_attente: usize,
    /// What the last form did.
    message: Option<String>,
    /// The day the current update campaign opened, if one is open.
    campagne: Option<time::Date>,
    /// For a national administrator: every account.
    comptes: Vec<Compte>,
}

impl PageEspace {
    /// Whether the account declares (partenariats, actions, the spreadsheet): the links
    /// follow the rule the routes apply.
    fn declarant(&self) -> bool {
        super::declaration::peut_declarer(&self.compte).is_ok()
    }
}

pub async fn espace(
    State(etat): State<AppState>,
    utilisateur: Utilisateur,
    entetes: axum::http::HeaderMap,
) -> Result<Response, WebError> {
    let compte_courant = utilisateur.compte.clone();
    let (collectivites, acteurs, comptes, partenariats, actions, en_attente, campagne, message) =
        etat.lire(move |conn| {
            let collectivites = compte_courant
                .collectivites
                .iter()
                .map(|id| collectivite::requise(conn, *id))
                .collect::<Result<Vec<_>, _>>()?;
            let mut acteurs = Vec::new();
            for id in &compte_courant.acteurs {
                acteurs.extend(acteur::par_id(conn, *id)?);
            }
            let admin = compte_courant.role == Role::AdminNational;
            let comptes = if admin {
                compte::lister(conn)?
            } else {
                Vec::new()
            };
            let partenariats =
                crate::store::partenariat::des_collectivites(conn, &compte_courant.collectivites)?;
            let ids: Vec<_> = partenariats.iter().map(|p| p.id).collect();
            let actions = crate::store::action::suivies(conn, &ids)?;
            let en_attente = if admin {
                crate::store::partenariat::en_attente(conn)?.len()
                    + crate::store::action::en_attente(conn)?.len()
            } else {
                0
            };
            let campagne = crate::store::campagne::ouverte_depuis(conn)?;
            let message = super::message::lire(conn, &entetes)?;
            Ok((
                collectivites,
                acteurs,
                comptes,
                partenariats,
                actions,
                en_attente,
                campagne,
                message,
            ))
        })
        .await?;
    let dit = message.is_some();
    Ok(super::message::dit(
        prive(Html(PageEspace {
            compte: utilisateur.compte,
            csrf: utilisateur.csrf,
            collectivites,
            acteurs,
            comptes,
            partenariats,
            actions,
            en_attente,
            message,
            campagne,
        })),
        dit,
        etat.cookie_securise,
    ))
}

#[derive(Template)]
#[template(path = "mot_de_passe.html")]
pub struct PageMotDePasse {
    csrf: String,
    erreurs: super::formulaire::Erreurs,
    /// Once changed: how many API tokens were revoked with it.
    fait: Option<usize>,
}

pub async fn formulaire_mot_de_passe(utilisateur: Utilisateur) -> Response {
    prive(Html(PageMotDePasse {
        csrf: utilisateur.csrf,
        erreurs: Vec::new(),
        fait: None,
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
    let page = |erreurs: super::formulaire::Erreurs, fait: Option<usize>| PageMotDePasse {
        csrf: utilisateur.csrf.clone(),
        erreurs,
        fait,
    };
    let refus = |champ: &'static str, message: String| {
        Ok(prive((
            StatusCode::UNPROCESSABLE_ENTITY,
            Html(page(vec![(champ, message)], None)),
        )))
    };
    if let Err(e) = verifier_mot_de_passe(&saisie.nouveau) {
        return refus(
            "nouveau",
            super::formulaire::depuis_modele(&e, "Nouveau mot de passe"),
        );
    }
    if saisie.nouveau != saisie.confirmation {
        return refus("confirmation", "La confirmation ne reprend pas le nouveau mot de passe : tapez-le deux fois à l'identique.".to_owned());
    }
    let (email, id, empreinte) = (
        utilisateur.compte.email.clone(),
        utilisateur.compte.id,
        utilisateur.empreinte.clone(),
    );
    let hash = etat
        .lire(move |conn| Ok(compte::par_email(conn, &email)?.map(|(_, hash)| hash)))
        .await?;
    // Both hashes on one turn, with no connection held.
    let (actuel, nouveau) = (saisie.actuel, saisie.nouveau);
    let remplacant = acces::a_son_tour(move || match hash {
        Some(hash) if acces::verifier(&actuel, &hash) => acces::hacher(&nouveau).map(Some),
        _ => Ok(None),
    })
    .await??;
    let Some(remplacant) = remplacant else {
        return refus("actuel", "Le mot de passe actuel est incorrect.".to_owned());
    };
    let revoques = etat
        .ecrire(move |conn| {
            Ok(compte::changer_hash(
                conn,
                id,
                &remplacant,
                Some(&empreinte),
            )?)
        })
        .await?;
    Ok(prive(Html(page(Vec::new(), Some(revoques)))))
}
