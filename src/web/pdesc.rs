//! A Malian collectivité records its PDESC from the contributors' space: period, title,
//! reference, objectives one per line. Published at once on its page (it is its own plan,
//! not a declaration about a partner) and journalled.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::extract::rejection::FormRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::espace::{formulaire, prive};
use super::format::Html;
use super::formulaire::{Erreurs, depuis_modele, phrase};
use super::params::{Identifiant, Parametres};
use super::session::Utilisateur;
use super::{AppState, WebError};
use crate::acces;
use crate::model::{Collectivite, CollectiviteId, ErreurModele, NouveauPdesc, OBJECTIFS_MAX};
use crate::store::{StoreError, collectivite, pdesc};

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct Saisie {
    csrf: String,
    titre: String,
    debut: String,
    fin: String,
    reference: String,
    objectifs: String,
}

#[derive(Template)]
#[template(path = "pdesc.html")]
pub struct PagePdesc {
    csrf: String,
    collectivite: Collectivite,
    saisie: Saisie,
    erreurs: Erreurs,
    fait: bool,
    objectifs_max: usize,
}

/// The collectivité, if this account may record its PDESC: a Malian one it acts for.
async fn la_collectivite(
    etat: &AppState,
    utilisateur: &Utilisateur,
    id: CollectiviteId,
) -> Result<Collectivite, WebError> {
    let c = etat
        .lire(move |conn| {
            collectivite::par_id(conn, id)?.ok_or_else(|| {
                WebError::Introuvable(format!("Aucune collectivité ne porte le numéro {id}."))
            })
        })
        .await?;
    if !c.pays.est_mali() {
        return Err(WebError::Requete(
            "Le PDESC est le programme de développement d'une collectivité malienne.".to_owned(),
        ));
    }
    if !acces::peut_agir_pour(&utilisateur.compte, id) {
        return Err(WebError::Interdit(format!(
            "Votre compte n'agit pas au nom de {} : seul un compte de cette collectivité, ou un administrateur national, enregistre son PDESC.",
            c.nom
        )));
    }
    Ok(c)
}

pub async fn formulaire_pdesc(
    State(etat): State<AppState>,
    utilisateur: Utilisateur,
    Identifiant(id): Identifiant,
    params: Parametres,
) -> Result<Response, WebError> {
    let id = CollectiviteId(id);
    let collectivite = la_collectivite(&etat, &utilisateur, id).await?;
    let actuel = etat
        .lire(move |conn| Ok(pdesc::de_la_collectivite(conn, id)?))
        .await?;
    let saisie = match actuel {
        Some(p) => Saisie {
            titre: p.titre,
            debut: p.debut.to_string(),
            fin: p.fin.to_string(),
            reference: p.reference.unwrap_or_default(),
            objectifs: p
                .objectifs
                .iter()
                .map(|o| o.libelle.as_str())
                .collect::<Vec<_>>()
                .join("\n"),
            ..Saisie::default()
        },
        None => Saisie::default(),
    };
    Ok(prive(Html(PagePdesc {
        csrf: utilisateur.csrf.clone(),
        collectivite,
        saisie,
        erreurs: Vec::new(),
        fait: params.texte("fait") == Some("1"),
        objectifs_max: OBJECTIFS_MAX,
    })))
}

/// The form field a broken rule belongs to.
fn champ_de(e: &ErreurModele) -> &'static str {
    match e {
        ErreurModele::ChampVide("titre") | ErreurModele::ChampTropLong { champ: "titre", .. } => {
            "titre"
        }
        ErreurModele::ChampVide("dernière année")
        | ErreurModele::AnneeIllisible {
            champ: "dernière année",
            ..
        } => "fin",
        ErreurModele::ChampVide("première année")
        | ErreurModele::AnneeIllisible { .. }
        | ErreurModele::AnneeHorsBornes(_)
        | ErreurModele::PdescPeriode { .. } => "debut",
        ErreurModele::ChampTropLong {
            champ: "référence",
        ..
        } => "reference",
        _ => "objectifs",
    }
}

pub async fn enregistrer_pdesc(
    State(etat): State<AppState>,
    utilisateur: Utilisateur,
    Identifiant(id): Identifiant,
    form: Result<Form<Saisie>, FormRejection>,
) -> Result<Response, WebError> {
    let saisie = formulaire(form)?;
    utilisateur.exiger_csrf(&saisie.csrf)?;
    let id = CollectiviteId(id);
    let collectivite = la_collectivite(&etat, &utilisateur, id).await?;
    let refus = |saisie: Saisie, erreurs: Erreurs| {
        prive((
            StatusCode::UNPROCESSABLE_ENTITY,
            Html(PagePdesc {
                csrf: utilisateur.csrf.clone(),
                collectivite: collectivite.clone(),
                saisie,
                erreurs,
                fait: false,
                objectifs_max: OBJECTIFS_MAX,
            }),
        ))
    };
    let valide = NouveauPdesc {
        titre: saisie.titre.clone(),
        debut: saisie.debut.clone(),
        fin: saisie.fin.clone(),
        reference: saisie.reference.clone(),
        objectifs: saisie.objectifs.clone(),
    }
    .valider();
    let p = match valide {
        Ok(p) => p,
        Err(e) => {
            let champ = champ_de(&e);
            let libelle = match champ {
                "titre" => "Titre",
                "debut" => "Première année",
                "fin" => "Dernière année",
                "reference" => "Référence",
                _ => "Objectifs",
            };
            return Ok(refus(saisie, vec![(champ, depuis_modele(&e, libelle))]));
        }
    };
    let compte = utilisateur.compte.id;
    let resultat = etat
        .ecrire(
            move |conn| match pdesc::enregistrer(conn, id, &p, Some(compte), None) {
                Ok(()) => Ok(Ok(())),
                Err(StoreError::Existe(message)) => Ok(Err(message)),
                Err(e) => Err(e.into()),
            },
        )
        .await?;
    match resultat {
        Ok(()) => Ok(prive(
            Redirect::to(&format!("/espace/collectivites/{id}/pdesc?fait=1")).into_response(),
        )),
        Err(message) => Ok(refus(saisie, vec![("objectifs", phrase(&message))])),
    }
}
