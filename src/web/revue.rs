//! The national review as the administrator needs it: every waiting record shown whole —
//! parties, étapes, places, money, source —, who submitted it and when, and for a change to
//! a published record what the public saw beside what is proposed.

use askama::Template;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use rusqlite::Connection;

use super::declaration::REFUS_ADMIN;
use super::espace::prive;
use super::format::{self, Html};
use super::journal::{self as lecture, Difference};
use super::message;
use super::session::Utilisateur;
use super::{AppState, WebError};
use crate::store::action::{self, FicheAction};
use crate::store::partenariat::{self, FichePartenariat};
use crate::store::validation::{self, Objet};

/// One record waiting for review, as the administrator examines it.
pub struct EnRevue<F> {
    pub fiche: F,
    /// The account that declared or changed it.
    pub soumis_par: String,
    /// When, in words; none when the journal does not know.
    pub soumis_le: Option<String>,
    /// What changes against the published version; none for a first declaration.
    pub differences: Option<Vec<Difference>>,
}

/// The national administrators' queue: validate, or send back with a comment.
#[derive(Template)]
#[template(path = "validation.html")]
pub struct PageValidation {
    csrf: String,
    message: Option<String>,
    partenariats: Vec<EnRevue<FichePartenariat>>,
    actions: Vec<EnRevue<FicheAction>>,
    /// The record (« p12 », « a7 ») whose sending back lacked a comment, and what to do.
    erreur: Option<(String, String)>,
}

impl PageValidation {
    fn erreur_de(&self, cle: &str) -> Option<&str> {
        self.erreur
            .as_ref()
            .filter(|(c, _)| c == cle)
            .map(|(_, m)| m.as_str())
    }
}

pub async fn file_validation(
    State(etat): State<AppState>,
    utilisateur: Utilisateur,
    entetes: HeaderMap,
) -> Result<Response, WebError> {
    utilisateur.exiger_admin(REFUS_ADMIN)?;
    file(etat, utilisateur, Some(entetes), None).await
}

/// The queue again, with `message` on the comment of `objet`: sending back without saying
/// what to correct loses nothing and says what to do.
pub async fn sans_commentaire(
    etat: AppState,
    utilisateur: Utilisateur,
    objet: Objet,
) -> Result<Response, WebError> {
    let cle = match objet {
        Objet::Partenariat(id) => format!("p{id}"),
        Objet::Action(id) => format!("a{id}"),
    };
    let erreur = (
        cle,
        "Écrivez dans le commentaire ce que la collectivité doit corriger, puis renvoyez."
            .to_owned(),
    );
    let mut reponse = file(etat, utilisateur, None, Some(erreur)).await?;
    *reponse.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    Ok(reponse)
}

async fn file(
    etat: AppState,
    utilisateur: Utilisateur,
    entetes: Option<HeaderMap>,
    erreur: Option<(String, String)>,
) -> Result<Response, WebError> {
    let (partenariats, actions, message) = etat
        .lire(move |conn| {
            let message = match &entetes {
                Some(entetes) => message::lire(conn, entetes)?,
                None => None,
            };
            let aujourd_hui = format::aujourd_hui();
            let mut partenariats = Vec::new();
            for p in partenariat::en_attente(conn)? {
                if let Some(fiche) = partenariat::fiche_declaree(conn, p.id, aujourd_hui)? {
                    partenariats.push(en_revue(conn, Objet::Partenariat(p.id), fiche)?);
                }
            }
            let mut actions = Vec::new();
            for (a, _) in action::en_attente(conn)? {
                if let Some(fiche) = action::fiche_declaree(conn, a.id)? {
                    actions.push(en_revue(conn, Objet::Action(a.id), fiche)?);
                }
            }
            Ok((partenariats, actions, message))
        })
        .await?;
    let dit = message.is_some();
    Ok(message::dit(
        prive(Html(PageValidation {
            csrf: utilisateur.csrf,
            message,
            partenariats,
            actions,
            erreur,
        })),
        dit,
        etat.cookie_securise,
    ))
}

/// Adds to a record's page what the journal knows of its submission.
fn en_revue<F>(conn: &Connection, objet: Objet, fiche: F) -> Result<EnRevue<F>, WebError> {
    let soumission = validation::soumission(conn, objet)?;
    let differences = match &soumission.publie {
        Some(publie) => {
            let noms =
                lecture::noms_des_instantanes(conn, [publie, &soumission.propose].into_iter())?;
            Some(lecture::differences(publie, &soumission.propose, &noms))
        }
        None => None,
    };
    Ok(EnRevue {
        fiche,
        soumis_par: soumission
            .par
            .unwrap_or_else(|| lecture::SANS_COMPTE.to_owned()),
        soumis_le: soumission.le.as_deref().map(lecture::quand),
        differences,
    })
}
