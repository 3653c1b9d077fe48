//! Keeping a declared partenariat alive: its authority confirms it is still current, and
//! anyone signed in who may see it reads its history.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::extract::rejection::FormRejection;
use axum::response::{IntoResponse, Redirect, Response};

use super::espace::{Jeton, formulaire, prive};
use super::format::{self, Html};
use super::params::Identifiant;
use super::session::Utilisateur;
use super::{AppState, WebError};
use crate::acces;
use crate::model::{Partenariat, PartenariatId, Role};
use crate::store::{journal, partenariat};

/// Loads a partenariat and refuses (403) an account that does not speak for one of its parties.
fn autorise(
    conn: &rusqlite::Connection,
    utilisateur: &Utilisateur,
    id: PartenariatId,
    lecture: bool,
) -> Result<Partenariat, WebError> {
    let p = partenariat::par_id(conn, id)?.ok_or_else(|| {
        WebError::Introuvable(format!("Aucun partenariat ne porte le numéro {id}."))
    })?;
    let parties: Vec<_> = partenariat::parties(conn, id)?
        .0
        .iter()
        .map(|c| c.id)
        .collect();
    let lecteur = lecture && utilisateur.compte.role == Role::Lecteur && utilisateur.compte.actif;
    if lecteur || acces::peut_modifier(&utilisateur.compte, &parties) {
        Ok(p)
    } else {
        Err(WebError::Interdit(
            "Ce partenariat ne relève pas de votre compte.".to_owned(),
        ))
    }
}

/// The authority confirms that its partenariat is still as recorded.
pub async fn confirmer(
    State(etat): State<AppState>,
    utilisateur: Utilisateur,
    Identifiant(id): Identifiant,
    form: Result<Form<Jeton>, FormRejection>,
) -> Result<Response, WebError> {
    utilisateur.exiger_csrf(&formulaire(form)?.csrf)?;
    let id = PartenariatId(id);
    etat.lire(move |conn| {
        autorise(conn, &utilisateur, id, false)?;
        Ok(partenariat::confirmer_par(
            conn,
            id,
            format::aujourd_hui(),
            Some(utilisateur.compte.id),
        )?)
    })
    .await?;
    Ok(prive(Redirect::to("/espace").into_response()))
}

/// One change as the history page shows it.
pub struct Ligne {
    pub quand: String,
    pub qui: String,
    pub operation: String,
    /// « champ : avant → après » for each field that changed.
    pub changements: Vec<String>,
    pub commentaire: Option<String>,
}

#[derive(Template)]
#[template(path = "historique.html")]
pub struct PageHistorique {
    partenariat: Partenariat,
    lignes: Vec<Ligne>,
}

fn valeur(v: Option<&serde_json::Value>) -> String {
    match v {
        None | Some(serde_json::Value::Null) => "—".to_owned(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(autre) => autre.to_string(),
    }
}

/// The fields that differ between two snapshots, or all of them for a creation.
fn changements(
    avant: Option<&serde_json::Value>,
    apres: Option<&serde_json::Value>,
) -> Vec<String> {
    let Some(serde_json::Value::Object(apres)) = apres else {
        return Vec::new();
    };
    apres
        .iter()
        .filter_map(|(champ, nouvelle)| {
            let ancienne = avant.and_then(|a| a.get(champ));
            match ancienne {
                Some(a) if a == nouvelle => None,
                Some(a) => Some(format!(
                    "{champ} : {} → {}",
                    valeur(Some(a)),
                    valeur(Some(nouvelle))
                )),
                None => Some(format!("{champ} : {}", valeur(Some(nouvelle)))),
            }
        })
        .collect()
}

pub async fn historique(
    State(etat): State<AppState>,
    utilisateur: Utilisateur,
    Identifiant(id): Identifiant,
) -> Result<Response, WebError> {
    let id = PartenariatId(id);
    let (partenariat, entrees) = etat
        .lire(move |conn| {
            let p = autorise(conn, &utilisateur, id, true)?;
            Ok((p, journal::historique(conn, "partenariat", id.0)?))
        })
        .await?;
    let lignes = entrees
        .into_iter()
        .map(|e| Ligne {
            changements: changements(e.avant.as_ref(), e.apres.as_ref()),
            quand: e.quand.replace('T', " ").replace('Z', " UTC"),
            qui: e
                .compte
                .unwrap_or_else(|| "benkan (chargement ou ligne de commande)".to_owned()),
            operation: e.operation,
            commentaire: e.commentaire,
        })
        .collect();
    Ok(prive(Html(PageHistorique {
        partenariat,
        lignes,
    })))
}

#[cfg(test)]
mod tests {
    use super::changements;
    use serde_json::json;

    #[test]
    fn only_changed_fields_are_listed() {
        let avant = json!({"titre": "A", "validation": "soumis", "parties": [1, 2]});
        let apres = json!({"titre": "A", "validation": "valide", "parties": [1, 2]});
        assert_eq!(
            changements(Some(&avant), Some(&apres)),
            ["validation : soumis → valide"]
        );
        assert_eq!(
            changements(None, Some(&json!({"titre": "B"}))),
            ["titre : B"]
        );
        assert!(changements(Some(&avant), None).is_empty());
    }
}
