//! The annual update campaign, for national administrators: open it, follow it, export the
//! list of authorities still to answer.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::extract::rejection::FormRejection;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::espace::{formulaire, prive};
use super::format::{self, Html};
use super::session::Utilisateur;
use super::{AppState, WebError};
use std::collections::BTreeMap;

use super::params::Parametres;
use crate::courriel::textes::rappel_campagne;
use crate::store::campagne::{self, AConfirmer};

/// Why a non-administrator is refused here.
const REFUS_ADMIN: &str =
    "La campagne de mise à jour est conduite par les administrateurs nationaux.";

#[derive(Template)]
#[template(path = "campagne.html")]
pub struct PageCampagne {
    csrf: String,
    depuis: Option<time::Date>,
    a_confirmer: Vec<AConfirmer>,
    /// Whether the site sends e-mail.
    envoi: bool,
    /// When reminders were last sent (the instant, as noted).
    rappels: Option<String>,
    /// How many reminders were just queued.
    rappels_envoyes: Option<usize>,
}

/// The campaign's state and what is still to confirm.
async fn etat_campagne(etat: &AppState) -> Result<(Option<time::Date>, Vec<AConfirmer>), WebError> {
    etat.lire(|conn| Ok(lire_campagne(conn)?)).await
}

fn lire_campagne(
    conn: &rusqlite::Connection,
) -> Result<(Option<time::Date>, Vec<AConfirmer>), crate::store::StoreError> {
    let depuis = campagne::ouverte_depuis(conn)?;
    let liste = match depuis {
        Some(d) => campagne::a_confirmer(conn, d)?,
        None => Vec::new(),
    };
    Ok((depuis, liste))
}

pub async fn page(
    State(etat): State<AppState>,
    utilisateur: Utilisateur,
    params: Parametres,
) -> Result<Response, WebError> {
    utilisateur.exiger_admin(REFUS_ADMIN)?;
    let ((depuis, a_confirmer), rappels) = etat
        .lire(|conn| Ok((lire_campagne(conn)?, campagne::derniers_rappels(conn)?)))
        .await?;
    Ok(prive(Html(PageCampagne {
        csrf: utilisateur.csrf,
        depuis,
        a_confirmer,
        envoi: etat.courrier.is_some(),
        rappels,
        rappels_envoyes: params.texte("rappels").and_then(|n| n.parse().ok()),
    })))
}

/// Queues one reminder per active account with partenariats to confirm, listing them.
pub async fn rappeler(
    State(etat): State<AppState>,
    utilisateur: Utilisateur,
    form: Result<Form<Ouverture>, FormRejection>,
) -> Result<Response, WebError> {
    utilisateur.exiger_csrf(&formulaire(form)?.csrf)?;
    utilisateur.exiger_admin(REFUS_ADMIN)?;
    let Some(courrier) = etat.courrier.clone() else {
        return Err(WebError::Requete(
            "Ce site n'envoie pas d'e-mails (aucun serveur SMTP n'est configuré) : téléchargez la liste des partenariats à confirmer et relancez les comptes par votre messagerie.".to_owned(),
        ));
    };
    let site = courrier.site().to_owned();
    let envoyes = etat
        .ecrire(move |conn| {
            let (Some(depuis), liste) = lire_campagne(conn)? else {
                return Err(WebError::Requete(
                    "Aucune campagne n'est ouverte : ouvrez-en une avant d'envoyer des rappels."
                        .to_owned(),
                ));
            };
            let mut par_compte: BTreeMap<&str, Vec<(i64, String)>> = BTreeMap::new();
            for l in &liste {
                for email in l.comptes.split(',').filter(|e| !e.is_empty()) {
                    par_compte
                        .entry(email)
                        .or_default()
                        .push((l.id, l.titre.clone()));
                }
            }
            for (email, partenariats) in &par_compte {
                crate::store::courriel::mettre_en_file(
                    conn,
                    &rappel_campagne(&site, email, depuis, partenariats),
                )?;
            }
            let maintenant = time::OffsetDateTime::now_utc();
            campagne::noter_rappels(
                conn,
                &format!(
                    "{} à {} h {:02} UTC",
                    crate::model::date_fr(&maintenant.date()),
                    maintenant.hour(),
                    maintenant.minute()
                ),
            )?;
            Ok(par_compte.len())
        })
        .await?;
    courrier.reveiller();
    Ok(prive(
        Redirect::to(&format!("/espace/campagne?rappels={envoyes}")).into_response(),
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Ouverture {
    csrf: String,
}

pub async fn ouvrir(
    State(etat): State<AppState>,
    utilisateur: Utilisateur,
    form: Result<Form<Ouverture>, FormRejection>,
) -> Result<Response, WebError> {
    utilisateur.exiger_csrf(&formulaire(form)?.csrf)?;
    utilisateur.exiger_admin(REFUS_ADMIN)?;
    etat.ecrire(|conn| Ok(campagne::ouvrir(conn, format::aujourd_hui())?))
        .await?;
    Ok(prive(Redirect::to("/espace/campagne").into_response()))
}

/// The list to send out: one line per partenariat still to confirm (CSV, UTF-8).
pub async fn export(
    State(etat): State<AppState>,
    utilisateur: Utilisateur,
) -> Result<Response, WebError> {
    utilisateur.exiger_admin(REFUS_ADMIN)?;
    let (_, liste) = etat_campagne(&etat).await?;
    let mut ecrivain = csv::Writer::from_writer(Vec::new());
    let mut ecrire = |ligne: [&str; 5]| {
        ecrivain
            .write_record(ligne)
            .map_err(|e| WebError::Interne(e.to_string()))
    };
    ecrire([
        "partenariat",
        "titre",
        "collectivites",
        "comptes",
        "confirme_le",
    ])?;
    for l in &liste {
        let confirme = l.confirme_le.map(|d| d.to_string()).unwrap_or_default();
        ecrire([
            &l.id.to_string(),
            &l.titre,
            &l.collectivites,
            &l.comptes,
            &confirme,
        ])?;
    }
    let corps = ecrivain
        .into_inner()
        .map_err(|e| WebError::Interne(e.to_string()))?;
    Ok(prive((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"benkan-campagne-a-confirmer.csv\"",
            ),
        ],
        corps,
    )))
}
