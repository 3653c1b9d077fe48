//! National administrators manage accounts from the web too: create one (with a first
//! password to hand over), disable one.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::extract::rejection::FormRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::espace::{Jeton, formulaire, prive};
use super::format::Html;
use super::formulaire::{Erreurs, depuis_modele, libelle, phrase, vocabulaire};
use super::params::{Identifiant, Parametres};
use super::session::Utilisateur;
use super::{AppState, WebError};
use crate::acces;
use crate::courriel::textes;
use crate::model::{
    ActeurId, Code, Compte, CompteId, Email, ErreurModele, Extrait, Role, verifier_mot_de_passe,
};
use crate::store::StoreError;
use crate::store::{acteur, collectivite, compte, courriel};

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct Saisie {
    csrf: String,
    email: String,
    role: String,
    /// Official codes, separated by commas or spaces.
    collectivites: String,
    /// Numbers of acteurs (for an association's account), separated by commas or spaces.
    acteurs: String,
    mot_de_passe: String,
}

#[derive(Template)]
#[template(path = "comptes.html")]
pub struct PageComptes {
    csrf: String,
    /// Whether the site sends e-mail: the first password may then be left out.
    envoi: bool,
    /// An account was just created and its first sign-in link sent.
    lien_envoye: bool,
    comptes: Vec<Compte>,
    saisie: Saisie,
    erreurs: Erreurs,
}

impl PageComptes {
    fn roles(&self) -> &'static [Role] {
        Role::TOUS
    }
}

/// Why a non-administrator is refused here.
const REFUS_ADMIN: &str = "La gestion des comptes est réservée aux administrateurs nationaux.";

async fn page(
    etat: &AppState,
    utilisateur: &Utilisateur,
    saisie: Saisie,
    erreurs: Erreurs,
) -> Result<PageComptes, WebError> {
    let comptes = etat.lire(|conn| Ok(compte::lister(conn)?)).await?;
    Ok(PageComptes {
        csrf: utilisateur.csrf.clone(),
        envoi: etat.courrier.is_some(),
        lien_envoye: false,
        comptes,
        saisie: Saisie {
            mot_de_passe: String::new(),
            ..saisie
        },
        erreurs,
    })
}

pub async fn liste(
    State(etat): State<AppState>,
    utilisateur: Utilisateur,
    params: Parametres,
) -> Result<Response, WebError> {
    utilisateur.exiger_admin(REFUS_ADMIN)?;
    let mut page = page(&etat, &utilisateur, Saisie::default(), Erreurs::new()).await?;
    page.lien_envoye = params.texte("lien") == Some("envoye");
    Ok(prive(Html(page)))
}

pub async fn creer(
    State(etat): State<AppState>,
    utilisateur: Utilisateur,
    form: Result<Form<Saisie>, FormRejection>,
) -> Result<Response, WebError> {
    let saisie = formulaire(form)?;
    utilisateur.exiger_csrf(&saisie.csrf)?;
    utilisateur.exiger_admin(REFUS_ADMIN)?;
    let mut erreurs = Erreurs::new();
    let email = Email::new(&saisie.email)
        .map_err(|e| erreurs.push(("email", depuis_modele(&e, libelle("email")))))
        .ok();
    let role = vocabulaire::<Role>("role", &saisie.role, &mut erreurs);
    // With e-mail, no first password: the person chooses one through a link.
    let par_lien = etat.courrier.is_some() && saisie.mot_de_passe.is_empty();
    if !par_lien && let Err(e) = verifier_mot_de_passe(&saisie.mot_de_passe) {
        erreurs.push(("mot_de_passe", depuis_modele(&e, "Premier mot de passe")));
    }
    let codes: Vec<String> = saisie
        .collectivites
        .split([',', ' ', ';'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
        .collect();
    if role == Some(Role::Collectivite) && codes.is_empty() {
        erreurs.push((
            "collectivites",
            "Un compte de collectivité agit au nom d'au moins une collectivité : indiquez son code, par exemple ML-1-KAYES-KAYES.".to_owned(),
        ));
    }
    let mut acteurs: Vec<ActeurId> = Vec::new();
    for texte in saisie
        .acteurs
        .split([',', ' ', ';'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        match texte.parse() {
            Ok(numero) => acteurs.push(ActeurId(numero)),
            Err(_) => erreurs.push((
                "acteurs",
                format!(
                    "« {} » n'est pas un numéro d'acteur : indiquez des nombres, par exemple 12.",
                    Extrait(texte)
                ),
            )),
        }
    }
    let (Some(email), Some(role)) = (email, role) else {
        return refus(&etat, &utilisateur, saisie, erreurs).await;
    };
    if !erreurs.is_empty() {
        return refus(&etat, &utilisateur, saisie, erreurs).await;
    }
    // An account created for a link gets a password nobody knows until the link is used.
    let mot_de_passe = if par_lien {
        acces::jeton().map_err(|e| WebError::Interne(e.to_string()))?
    } else {
        saisie.mot_de_passe.clone()
    };
    let hash = acces::a_son_tour(move || acces::hacher(&mot_de_passe)).await??;
    let lien = if par_lien {
        Some(acces::jeton().map_err(|e| WebError::Interne(e.to_string()))?)
    } else {
        None
    };
    let empreinte = lien.as_deref().map(acces::empreinte);
    let destinataire = email.clone();
    let resultat = etat
        .ecrire(move |conn| {
            let mut ids = Vec::new();
            for code in &codes {
                match collectivite::unique_par_code(conn, code) {
                    Ok(id) => ids.push(id),
                    Err(StoreError::Introuvable(_)) => {
                        return Ok(Err(("collectivites", format!(
                            "Aucune collectivité actuelle ne porte le code « {} » : ouvrez sa page (cherchez-la par son nom) pour lire son code.",
                            Extrait(code)
                        ))));
                    }
                    Err(StoreError::Existe(message)) => {
                        return Ok(Err(("collectivites", phrase(&message))));
                    }
                    Err(e) => return Err(e.into()),
                }
            }
            for id in &acteurs {
                if acteur::par_id(conn, *id)?.is_none() {
                    return Ok(Err(("acteurs", format!(
                        "Aucun acteur ne porte le numéro {id} : l'association ou l'ONG doit d'abord figurer parmi les acteurs du registre."
                    ))));
                }
            }
            if let Err(e) = role.verifier_rattachements(&ids, &acteurs) {
                let champ = match e {
                    ErreurModele::CompteActeurCollectivite => "collectivites",
                    _ => "acteurs",
                };
                return Ok(Err((champ, phrase(&e.to_string()))));
            }
            match compte::creer(conn, &email, &hash, role, &ids, &acteurs) {
                Ok(id) => {
                    if let Some(empreinte) = &empreinte {
                        courriel::creer_lien(
                            conn,
                            empreinte,
                            id,
                            courriel::Motif::PremiereConnexion,
                            textes::MINUTES_PREMIERE_CONNEXION,
                        )?;
                    }
                    Ok(Ok(()))
                }
                Err(StoreError::Existe(message)) => Ok(Err(("email", phrase(&message)))),
                Err(e) => Err(e.into()),
            }
        })
        .await?;
    match resultat {
        Ok(()) => match (lien, &etat.courrier) {
            (Some(jeton), Some(courrier)) => {
                courrier.envoyer_lien(textes::premiere_connexion(
                    courrier.site(),
                    destinataire.as_str(),
                    &role.to_string(),
                    &jeton,
                ));
                Ok(prive(
                    Redirect::to("/espace/comptes?lien=envoye").into_response(),
                ))
            }
            _ => Ok(prive(Redirect::to("/espace/comptes").into_response())),
        },
        Err(erreur) => refus(&etat, &utilisateur, saisie, vec![erreur]).await,
    }
}

async fn refus(
    etat: &AppState,
    utilisateur: &Utilisateur,
    saisie: Saisie,
    erreurs: Erreurs,
) -> Result<Response, WebError> {
    let page = page(etat, utilisateur, saisie, erreurs).await?;
    Ok(prive((StatusCode::UNPROCESSABLE_ENTITY, Html(page))))
}

pub async fn desactiver(
    State(etat): State<AppState>,
    utilisateur: Utilisateur,
    Identifiant(id): Identifiant,
    form: Result<Form<Jeton>, FormRejection>,
) -> Result<Response, WebError> {
    utilisateur.exiger_csrf(&formulaire(form)?.csrf)?;
    utilisateur.exiger_admin(REFUS_ADMIN)?;
    if CompteId(id) == utilisateur.compte.id {
        return Err(WebError::Requete(
            "Un administrateur ne désactive pas son propre compte.".to_owned(),
        ));
    }
    etat.ecrire(move |conn| {
        let cible = compte::lister(conn)?
            .into_iter()
            .find(|c| c.id == CompteId(id))
            .ok_or_else(|| {
                WebError::Introuvable(format!("Aucun compte ne porte le numéro {id}."))
            })?;
        compte::desactiver(conn, &cible.email)?;
        Ok(())
    })
    .await?;
    Ok(prive(Redirect::to("/espace/comptes").into_response()))
}
