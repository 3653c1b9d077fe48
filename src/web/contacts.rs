//! The contacts of a partenariat in the contributors' space: added and removed from its
//! follow-up page, by whoever may change it.
//!
//! Contacts are personal data and never public: changing them does not send the partenariat
//! back to review (no public page nor figure changes, so there is nothing for an
//! administrator to check), and it is journalled by `store::contact` without `validation`.

use axum::Form;
use axum::extract::State;
use axum::extract::rejection::FormRejection;
use axum::response::Response;

use super::espace::formulaire;
use super::formulaire::{Erreurs, depuis_modele, libelle};
use super::params::Identifiant;
use super::session::Utilisateur;
use super::suivi::{FormulaireEnErreur, ecrire};
use super::{AppState, WebError};
use crate::model::{
    CollectiviteId, ContactId, ErreurModele, Extrait, NouveauContact, PartenariatId,
};
use crate::store::contact;

/// The fields of the « Ajouter un contact » form (prefixed where another form of the page
/// has a field of the same name, so that a message lands next to the right one).
pub(super) const CHAMPS: &[&str] = &[
    "nom_contact",
    "fonction",
    "email",
    "telephone",
    "partie_contact",
];

/// Where a broken contact rule is shown: next to its field, or at the top of the form.
pub(super) fn place(e: &ErreurModele) -> &'static str {
    match (e.champ(), e) {
        (Some("nom"), _) => "nom_contact",
        (Some("fonction"), _) => "fonction",
        (Some("telephone"), _) => "telephone",
        (_, ErreurModele::EmailInvalide(_)) => "email",
        (_, ErreurModele::ContactHorsParties(_)) => "partie_contact",
        _ => "contacts",
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct SaisieContact {
    csrf: String,
    pub(super) nom_contact: String,
    pub(super) fonction: String,
    pub(super) email: String,
    pub(super) telephone: String,
    /// The id of one of the partenariat's parties, or empty.
    pub(super) partie_contact: String,
}

/// Adds a contact; user mistakes give the follow-up page again (422) with the typed values.
pub async fn ajouter(
    State(etat): State<AppState>,
    utilisateur: Utilisateur,
    Identifiant(id): Identifiant,
    form: Result<Form<SaisieContact>, FormRejection>,
) -> Result<Response, WebError> {
    let saisie = formulaire(form)?;
    let mut erreurs = Erreurs::new();
    let collectivite = match saisie.partie_contact.trim() {
        "" => None,
        texte => match texte.parse::<i64>() {
            Ok(n) => Some(CollectiviteId(n)),
            Err(_) => {
                erreurs.push((
                    "partie_contact",
                    "Choisissez dans la liste la partie pour laquelle ce contact parle.".to_owned(),
                ));
                None
            }
        },
    };
    let nouveau = NouveauContact {
        nom: saisie.nom_contact.clone(),
        fonction: Some(saisie.fonction.clone()),
        email: Some(saisie.email.clone()),
        telephone: Some(saisie.telephone.clone()),
        collectivite,
    };
    // Every rule is checked here too, so that the page shows the message next to its field
    // before anything is read or written.
    if let Err(e) = nouveau.clone().valider() {
        erreurs.push((place(&e), depuis_modele(&e, libelle(place(&e)))));
    }
    let verifie = if erreurs.is_empty() {
        Ok(nouveau)
    } else {
        Err(erreurs)
    };
    let id = PartenariatId(id);
    let csrf = saisie.csrf.clone();
    ecrire(
        etat,
        utilisateur,
        id,
        &csrf,
        Some(FormulaireEnErreur::Contact(saisie)),
        verifie,
        move |conn, compte, nouveau| {
            contact::ajouter(conn, id, Some(compte.id), nouveau).map(|_| ())
        },
    )
    .await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct SaisieRetrait {
    csrf: String,
    contact: String,
}

/// Removes a contact of the partenariat.
pub async fn retirer(
    State(etat): State<AppState>,
    utilisateur: Utilisateur,
    Identifiant(id): Identifiant,
    form: Result<Form<SaisieRetrait>, FormRejection>,
) -> Result<Response, WebError> {
    let saisie = formulaire(form)?;
    let numero = saisie.contact.trim().parse::<i64>().map_err(|_| {
        WebError::Requete(format!(
            "« {} » n'est pas un numéro de contact.",
            Extrait(saisie.contact.trim())
        ))
    })?;
    let id = PartenariatId(id);
    ecrire(
        etat,
        utilisateur,
        id,
        &saisie.csrf,
        None,
        Ok(ContactId(numero)),
        move |conn, compte, numero| contact::retirer(conn, id, Some(compte.id), numero),
    )
    .await
}
