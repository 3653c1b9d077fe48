//! Keeping a declared partenariat alive: its authority confirms it is still current, and
//! anyone signed in who may see it reads its history.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::extract::rejection::FormRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::espace::{Jeton, formulaire, prive};
use super::format::{self, Html};
use super::formulaire::{Erreurs, date, depuis_modele, libelle, vocabulaire};
use super::journal as lecture;
use super::message::{self, Fait};
use super::params::Identifiant;
use super::session::Utilisateur;
use super::{AppState, WebError};
use crate::acces;
use crate::model::{ErreurModele, Extrait, Partenariat, PartenariatId, Role};
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
    let parties = partenariat::parties_et_successeurs(conn, id)?;
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
    etat.ecrire(move |conn| {
        autorise(conn, &utilisateur, id, false)?;
        Ok(partenariat::confirmer_par(
            conn,
            id,
            format::aujourd_hui(),
            Some(utilisateur.compte.id),
        )?)
    })
    .await?;
    Ok(message::rediriger(
        "/espace",
        Fait::PartenariatConfirme,
        id.0,
        etat.cookie_securise,
    ))
}

#[derive(Template)]
#[template(path = "historique.html")]
pub struct PageHistorique {
    partenariat: Partenariat,
    /// What the last form did.
    message: Option<String>,
    lignes: Vec<lecture::Ligne>,
    csrf: String,
    /// The account may change the partenariat (forms shown).
    modifiable: bool,
    admin: bool,
    /// A rule broken by the parties form, shown at the top.
    erreur: Option<String>,
    /// What the four forms show: the stored or empty values, or what was typed in the one
    /// that failed.
    champs: SaisieChamps,
    etape: SaisieEtape,
    convention: SaisieConvention,
    intermediaire: SaisieIntermediaire,
    pub(super) contact: super::contacts::SaisieContact,
    /// The people to write to (personal data: this page is private).
    contacts: Vec<crate::model::Contact>,
    /// The failed form's messages by field (or by form, for a rule about the whole record).
    erreurs: Erreurs,
    /// Its actions, whatever their review state.
    actions: Vec<crate::store::action::ActionResume>,
    parties: crate::model::Parties,
    /// A search for a party to add, and its candidates.
    recherche: Option<String>,
    candidats: Vec<super::collectivites::Trouvee>,
}

impl PageHistorique {
    fn erreur(&self, champ: &str) -> Option<&str> {
        super::formulaire::message(&self.erreurs, champ)
    }
    fn etapes(&self) -> &'static [crate::model::Etape] {
        <crate::model::Etape as crate::model::Code>::TOUS
    }
    fn reconductions(&self) -> &'static [crate::model::Reconduction] {
        <crate::model::Reconduction as crate::model::Code>::TOUS
    }
    fn statuts(&self) -> &'static [crate::model::StatutPartenariat] {
        <crate::model::StatutPartenariat as crate::model::Code>::TOUS
    }
    fn roles(&self) -> &'static [crate::model::RoleIntermediaire] {
        <crate::model::RoleIntermediaire as crate::model::Code>::TOUS
    }
    fn types_organisation(&self) -> &'static [crate::model::TypeOrganisation] {
        <crate::model::TypeOrganisation as crate::model::Code>::TOUS
    }
}

#[derive(Template)]
#[template(path = "historique_action.html")]
pub struct PageHistoriqueAction {
    action: crate::model::Action,
    lignes: Vec<lecture::Ligne>,
}

/// The history of an action, for whoever may read its partenariat's.
pub async fn historique_action(
    State(etat): State<AppState>,
    utilisateur: Utilisateur,
    Identifiant(id): Identifiant,
) -> Result<Response, WebError> {
    let id = crate::model::ActionId(id);
    let (action, lignes) = etat
        .lire(move |conn| {
            let a = crate::store::action::par_id(conn, id)?.ok_or_else(|| {
                WebError::Introuvable(format!("Aucune action ne porte le numéro {id}."))
            })?;
            autorise(conn, &utilisateur, a.partenariat, true)?;
            let entrees = journal::historique(conn, "action", id.0)?;
            let noms = lecture::noms_cites(conn, &entrees)?;
            Ok((a, lecture::lignes(entrees, &noms)))
        })
        .await?;
    Ok(prive(Html(PageHistoriqueAction { action, lignes })))
}

pub async fn historique(
    State(etat): State<AppState>,
    utilisateur: Utilisateur,
    Identifiant(id): Identifiant,
    params: super::params::Parametres,
    entetes: axum::http::HeaderMap,
) -> Result<Response, WebError> {
    let (statut, mut page) = page_suivi(&etat, utilisateur, PartenariatId(id), None, None).await?;
    page.message = etat.lire(move |conn| message::lire(conn, &entetes)).await?;
    if let Some(texte) = params.texte("partie") {
        let requete = crate::referentiel::Requete {
            texte: texte.to_owned(),
            pays: None,
            portee: crate::referentiel::Portee::Collectivites,
            limite: 15,
        };
        let resolveur = etat.resolveur();
        let resolution = resolveur
            .resoudre(&requete)
            .map_err(|e| WebError::Requete(format!("Paramètre « partie » : {e}.")))?;
        page.candidats = resolution
            .candidats
            .iter()
            .filter(|c| !page.parties.0.iter().any(|p| p.id == c.unite.id))
            .map(super::collectivites::trouvee)
            .collect();
        page.recherche = Some(texte.to_owned());
    }
    let dit = page.message.is_some();
    Ok(message::dit(
        prive((statut, Html(page))),
        dit,
        etat.cookie_securise,
    ))
}

/// What was typed in the follow-up form that failed, shown back as it was.
pub enum FormulaireEnErreur {
    Champs(SaisieChamps),
    Etape(SaisieEtape),
    Convention(SaisieConvention),
    Intermediaire(SaisieIntermediaire),
    Contact(super::contacts::SaisieContact),
}

impl FormulaireEnErreur {
    /// The fields of the form, and the key of its own message (rules about the whole record).
    fn champs(&self) -> (&'static [&'static str], &'static str) {
        match self {
            FormulaireEnErreur::Champs(_) => (&["titre", "description", "statut"], "champs"),
            FormulaireEnErreur::Etape(_) => (&["etape", "depuis", "note"], "etapes"),
            FormulaireEnErreur::Convention(_) => (
                &[
                    "intitule",
                    "signee_le",
                    "duree_mois",
                    "reconduction",
                    "document",
                ],
                "conventions",
            ),
            FormulaireEnErreur::Intermediaire(_) => (
                &["nom", "type_organisation", "role", "precision"],
                "intermediaires",
            ),
            FormulaireEnErreur::Contact(_) => (super::contacts::CHAMPS, "contacts"),
        }
    }

    /// Where a broken rule is shown: next to its field when it names one of the form's.
    fn place(&self, e: &ErreurModele) -> &'static str {
        let (champs, formulaire) = self.champs();
        if let FormulaireEnErreur::Contact(_) = self {
            return super::contacts::place(e);
        }
        e.champ()
            .and_then(|c| champs.iter().copied().find(|f| *f == c))
            .unwrap_or(formulaire)
    }
}

/// The follow-up page of a partenariat: its history and, for whoever may change it, the forms.
async fn page_suivi(
    etat: &AppState,
    utilisateur: Utilisateur,
    id: PartenariatId,
    erreur: Option<String>,
    echec: Option<(FormulaireEnErreur, Erreurs)>,
) -> Result<(StatusCode, PageHistorique), WebError> {
    let compte = utilisateur.compte.clone();
    let csrf = utilisateur.csrf.clone();
    let (partenariat, lignes, modifiable, actions, parties, contacts) = etat
        .lire(move |conn| {
            let p = autorise(conn, &utilisateur, id, true)?;
            let parties = partenariat::parties_et_successeurs(conn, id)?;
            let entrees = journal::historique(conn, "partenariat", id.0)?;
            let noms = lecture::noms_cites(conn, &entrees)?;
            Ok((
                p,
                lecture::lignes(entrees, &noms),
                acces::peut_modifier(&utilisateur.compte, &parties),
                crate::store::action::toutes_du_partenariat(conn, id)?,
                partenariat::parties(conn, id)?,
                crate::store::contact::du_partenariat(conn, id)?,
            ))
        })
        .await?;
    let statut = if erreur.is_some() || echec.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let mut page = PageHistorique {
        message: None,
        champs: SaisieChamps {
            titre: partenariat.titre.clone(),
            description: partenariat.description.clone().unwrap_or_default(),
            statut: partenariat.statut.code().to_owned(),
            ..SaisieChamps::default()
        },
        etape: SaisieEtape::default(),
        convention: SaisieConvention::default(),
        intermediaire: SaisieIntermediaire::default(),
        contact: super::contacts::SaisieContact::default(),
        contacts,
        erreurs: Erreurs::new(),
        partenariat,
        lignes,
        csrf,
        modifiable,
        admin: acces::valide(&compte),
        erreur,
        actions,
        parties,
        recherche: None,
        candidats: Vec::new(),
    };
    if let Some((formulaire, erreurs)) = echec {
        page.erreurs = erreurs;
        match formulaire {
            FormulaireEnErreur::Champs(s) => page.champs = s,
            FormulaireEnErreur::Etape(s) => page.etape = s,
            FormulaireEnErreur::Convention(s) => page.convention = s,
            FormulaireEnErreur::Intermediaire(s) => page.intermediaire = s,
            FormulaireEnErreur::Contact(s) => page.contact = s,
        }
    }
    Ok((statut, page))
}

/// Refuses (403) an account that may not change the partenariat.
pub(super) fn verifier_droit(
    conn: &rusqlite::Connection,
    compte: &crate::model::Compte,
    id: PartenariatId,
) -> Result<(), WebError> {
    partenariat::par_id(conn, id)?.ok_or_else(|| {
        WebError::Introuvable(format!("Aucun partenariat ne porte le numéro {id}."))
    })?;
    let parties = partenariat::parties_et_successeurs(conn, id)?;
    if compte.role == Role::Lecteur || !acces::peut_modifier(compte, &parties) {
        return Err(WebError::Interdit(
            "Ce partenariat ne relève pas de votre compte.".to_owned(),
        ));
    }
    Ok(())
}

/// Runs a change for an account allowed to make it, then shows the follow-up page again.
/// On a user mistake (`verifie` holds the messages by field, or the change breaks a rule)
/// the page answers 422, nothing written, the failed form refilled with what was typed
/// (`formulaire`; without one the rule is shown at the top of the page).
async fn modifier<T: Send + 'static>(
    etat: AppState,
    utilisateur: Utilisateur,
    id: PartenariatId,
    csrf: &str,
    formulaire: Option<FormulaireEnErreur>,
    verifie: Result<T, Erreurs>,
    changement: impl FnOnce(&rusqlite::Connection, T) -> crate::store::Result<()> + Send + 'static,
) -> Result<Response, WebError> {
    let resoumettre = utilisateur.compte.role != Role::AdminNational;
    ecrire(
        etat,
        utilisateur,
        id,
        csrf,
        formulaire,
        verifie,
        move |conn, compte, valeur| {
            crate::store::validation::modifier(
                conn,
                crate::store::validation::Objet::Partenariat(id),
                compte.id,
                resoumettre,
                || changement(conn, valeur),
            )
        },
    )
    .await
}

/// [`modifier`] with the whole write given by the caller (review and journal included):
/// same rights, token, 422 page and redirection.
pub(super) async fn ecrire<T: Send + 'static>(
    etat: AppState,
    utilisateur: Utilisateur,
    id: PartenariatId,
    csrf: &str,
    formulaire: Option<FormulaireEnErreur>,
    verifie: Result<T, Erreurs>,
    ecriture: impl FnOnce(&rusqlite::Connection, &crate::model::Compte, T) -> crate::store::Result<()>
    + Send
    + 'static,
) -> Result<Response, WebError> {
    utilisateur.exiger_csrf(csrf)?;
    let compte = utilisateur.compte.clone();
    let resultat = etat
        .ecrire(move |conn| {
            verifier_droit(conn, &compte, id)?;
            let valeur = match verifie {
                Ok(valeur) => valeur,
                Err(erreurs) => return Ok(Err(Echec::Saisie(erreurs))),
            };
            Ok(ecriture(conn, &compte, valeur).map_err(Echec::Store))
        })
        .await?;
    let (erreur, echec) = match resultat {
        Ok(()) => {
            return Ok(prive(
                Redirect::to(&format!("/espace/partenariats/{id}/historique")).into_response(),
            ));
        }
        Err(Echec::Store(crate::store::StoreError::Modele(e))) => match formulaire {
            Some(f) => {
                let place = f.place(&e);
                (
                    None,
                    Some((f, vec![(place, depuis_modele(&e, libelle(place)))])),
                )
            }
            None => (Some(e.to_string()), None),
        },
        Err(Echec::Store(e)) => return Err(e.into()),
        Err(Echec::Saisie(erreurs)) => match formulaire {
            Some(f) => (None, Some((f, erreurs))),
            None => (
                Some(
                    erreurs
                        .into_iter()
                        .map(|(_, m)| m)
                        .collect::<Vec<_>>()
                        .join(" ; "),
                ),
                None,
            ),
        },
    };
    let (statut, page) = page_suivi(&etat, utilisateur, id, erreur, echec).await?;
    Ok(prive((statut, Html(page))))
}

/// Why a change was not written.
enum Echec {
    Saisie(Erreurs),
    Store(crate::store::StoreError),
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct SaisieChamps {
    csrf: String,
    titre: String,
    description: String,
    statut: String,
}

/// Changes the title, description or statut of the partenariat.
pub async fn changer_champs(
    State(etat): State<AppState>,
    utilisateur: Utilisateur,
    Identifiant(id): Identifiant,
    form: Result<Form<SaisieChamps>, FormRejection>,
) -> Result<Response, WebError> {
    let saisie = formulaire(form)?;
    let mut erreurs = Erreurs::new();
    let statut =
        vocabulaire::<crate::model::StatutPartenariat>("statut", &saisie.statut, &mut erreurs);
    let verifie = match statut {
        Some(statut) if erreurs.is_empty() => Ok(statut),
        _ => Err(erreurs),
    };
    let id = PartenariatId(id);
    let (titre, description) = (saisie.titre.clone(), saisie.description.clone());
    let csrf = saisie.csrf.clone();
    modifier(
        etat,
        utilisateur,
        id,
        &csrf,
        Some(FormulaireEnErreur::Champs(saisie)),
        verifie,
        move |conn, statut| {
            partenariat::changer_champs(conn, id, &titre, Some(&description), statut)
        },
    )
    .await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct SaisiePartie {
    csrf: String,
    collectivite: String,
    /// `ajouter` or `retirer`.
    operation: String,
}

/// Adds or removes a party; a partenariat always keeps a Malian and a foreign party.
pub async fn changer_partie(
    State(etat): State<AppState>,
    utilisateur: Utilisateur,
    Identifiant(id): Identifiant,
    form: Result<Form<SaisiePartie>, FormRejection>,
) -> Result<Response, WebError> {
    let saisie = formulaire(form)?;
    let collectivite = saisie
        .collectivite
        .trim()
        .parse::<i64>()
        .map(crate::model::CollectiviteId)
        .map_err(|_| {
            WebError::Requete(format!(
                "« {} » n'est pas un numéro de collectivité.",
                Extrait(saisie.collectivite.trim())
            ))
        })?;
    let ajouter = match saisie.operation.as_str() {
        "ajouter" => true,
        "retirer" => false,
        autre => {
            return Err(WebError::Requete(format!(
                "Opération « {} » inconnue : « ajouter » ou « retirer » sont attendues.",
                Extrait(autre)
            )));
        }
    };
    let id = PartenariatId(id);
    modifier(
        etat,
        utilisateur,
        id,
        &saisie.csrf.clone(),
        None,
        Ok(()),
        move |conn, ()| {
            if ajouter {
                partenariat::ajouter_partie(conn, id, collectivite)
            } else {
                partenariat::retirer_partie(conn, id, collectivite)
            }
        },
    )
    .await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct SaisieEtape {
    csrf: String,
    etape: String,
    depuis: String,
    note: String,
}

/// Adds a dated étape to the relation's history.
pub async fn ajouter_etape(
    State(etat): State<AppState>,
    utilisateur: Utilisateur,
    Identifiant(id): Identifiant,
    form: Result<Form<SaisieEtape>, FormRejection>,
) -> Result<Response, WebError> {
    let saisie = formulaire(form)?;
    let mut erreurs = Erreurs::new();
    let etape = vocabulaire::<crate::model::Etape>("etape", &saisie.etape, &mut erreurs);
    if saisie.depuis.trim().is_empty() {
        erreurs.push((
            "depuis",
            format!("Indiquez depuis quand, {}.", super::formulaire::FORMAT_DATE),
        ));
    }
    let depuis = date("depuis", &saisie.depuis, &mut erreurs);
    let note = Some(saisie.note.trim().to_owned()).filter(|n| !n.is_empty());
    let verifie = match (etape, depuis) {
        (Some(etape), Some(depuis)) if erreurs.is_empty() => Ok(crate::model::EtapeDatee {
            etape,
            depuis,
            note,
        }),
        _ => Err(erreurs),
    };
    let id = PartenariatId(id);
    let csrf = saisie.csrf.clone();
    modifier(
        etat,
        utilisateur,
        id,
        &csrf,
        Some(FormulaireEnErreur::Etape(saisie)),
        verifie,
        move |conn, etape| partenariat::ajouter_etape(conn, id, etape),
    )
    .await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct SaisieConvention {
    csrf: String,
    intitule: String,
    signee_le: String,
    duree_mois: String,
    reconduction: String,
    document: String,
}

/// Records a convention of the partenariat.
pub async fn ajouter_convention(
    State(etat): State<AppState>,
    utilisateur: Utilisateur,
    Identifiant(id): Identifiant,
    form: Result<Form<SaisieConvention>, FormRejection>,
) -> Result<Response, WebError> {
    let saisie = formulaire(form)?;
    let mut erreurs = Erreurs::new();
    let signee_le = date("signee_le", &saisie.signee_le, &mut erreurs);
    let duree_mois = match saisie.duree_mois.trim() {
        "" => None,
        texte => texte
            .parse::<u32>()
            .map_err(|_| {
                erreurs.push((
                    "duree_mois",
                    format!("« {} » n'est pas une durée en mois : un nombre entier est attendu, par exemple 36.", Extrait(texte)),
                ))
            })
            .ok(),
    };
    let reconduction = vocabulaire::<crate::model::Reconduction>(
        "reconduction",
        &saisie.reconduction,
        &mut erreurs,
    );
    let verifie = match reconduction {
        Some(reconduction) if erreurs.is_empty() => Ok(crate::model::NouvelleConvention {
            intitule: saisie.intitule.clone(),
            signee_le,
            duree_mois,
            reconduction,
            document: Some(saisie.document.clone()),
        }),
        _ => Err(erreurs),
    };
    let id = PartenariatId(id);
    let csrf = saisie.csrf.clone();
    modifier(
        etat,
        utilisateur,
        id,
        &csrf,
        Some(FormulaireEnErreur::Convention(saisie)),
        verifie,
        move |conn, convention| partenariat::ajouter_convention(conn, id, convention),
    )
    .await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct SaisieIntermediaire {
    csrf: String,
    nom: String,
    type_organisation: String,
    role: String,
    precision: String,
}

/// Records an organisation that carries the relation (twinning committee, migrants'
/// association, NGO operator), found by name or created.
pub async fn ajouter_intermediaire(
    State(etat): State<AppState>,
    utilisateur: Utilisateur,
    Identifiant(id): Identifiant,
    form: Result<Form<SaisieIntermediaire>, FormRejection>,
) -> Result<Response, WebError> {
    let saisie = formulaire(form)?;
    let mut erreurs = Erreurs::new();
    let role = vocabulaire::<crate::model::RoleIntermediaire>("role", &saisie.role, &mut erreurs);
    let type_organisation = vocabulaire::<crate::model::TypeOrganisation>(
        "type_organisation",
        &saisie.type_organisation,
        &mut erreurs,
    );
    let verifie = match (role, type_organisation) {
        (Some(role), Some(type_organisation)) if erreurs.is_empty() => Ok((
            crate::model::NouvelActeur {
                nom: saisie.nom.clone(),
                type_organisation,
                identifiant_iati: None,
                pays: None,
                collectivite: None,
            },
            role,
        )),
        _ => Err(erreurs),
    };
    let precision = saisie.precision.clone();
    let id = PartenariatId(id);
    let csrf = saisie.csrf.clone();
    modifier(
        etat,
        utilisateur,
        id,
        &csrf,
        Some(FormulaireEnErreur::Intermediaire(saisie)),
        verifie,
        move |conn, (acteur, role)| {
            let acteur = match crate::store::acteur::par_nom(conn, &acteur.nom)? {
                Some(existant) => existant,
                None => crate::store::acteur::creer(conn, acteur)?,
            };
            partenariat::ajouter_intermediaire(conn, id, acteur, role, Some(&precision))
        },
    )
    .await
}

/// Archives (any account that may change it) or restores (administrators) a partenariat;
/// each step is journalled by `store::validation`.
async fn archivage(
    etat: AppState,
    utilisateur: Utilisateur,
    id: PartenariatId,
    csrf: &str,
    restauration: bool,
) -> Result<Response, WebError> {
    utilisateur.exiger_csrf(csrf)?;
    if restauration {
        utilisateur
            .exiger_admin("Seul un administrateur national restaure un partenariat archivé.")?;
    }
    let compte = utilisateur.compte.clone();
    etat.ecrire(move |conn| {
        verifier_droit(conn, &compte, id)?;
        let objet = crate::store::validation::Objet::Partenariat(id);
        if restauration {
            crate::store::validation::restaurer(conn, objet, compte.id)?;
        } else {
            crate::store::validation::archiver(conn, objet, compte.id)?;
        }
        Ok(())
    })
    .await?;
    Ok(prive(
        Redirect::to(&format!("/espace/partenariats/{id}/historique")).into_response(),
    ))
}

pub async fn archiver(
    State(etat): State<AppState>,
    utilisateur: Utilisateur,
    Identifiant(id): Identifiant,
    form: Result<Form<Jeton>, FormRejection>,
) -> Result<Response, WebError> {
    let csrf = formulaire(form)?.csrf;
    archivage(etat, utilisateur, PartenariatId(id), &csrf, false).await
}

pub async fn restaurer(
    State(etat): State<AppState>,
    utilisateur: Utilisateur,
    Identifiant(id): Identifiant,
    form: Result<Form<Jeton>, FormRejection>,
) -> Result<Response, WebError> {
    let csrf = formulaire(form)?.csrf;
    archivage(etat, utilisateur, PartenariatId(id), &csrf, true).await
}
