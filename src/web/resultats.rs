//! Declaring what an action produced, from the contributors' space: add a result (an
//! indicator of the catalogue or the action's own, with its baseline and target), add a
//! measured value to it, remove either. One page, one form per operation; each change is
//! the action's change, journalled, and an authority's goes back to review.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::extract::rejection::FormRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::declaration_action::contexte_action;
use super::espace::{formulaire, prive};
use super::format::Html;
use super::formulaire::{Erreurs, date, depuis_modele};
use super::params::{Identifiant, Parametres};
use super::session::Utilisateur;
use super::{AppState, WebError};
use crate::model::ObjectifId;
use crate::model::{
    Action, ActionId, Code, ErreurModele, Indicateur, NouveauResultat, NouvellePeriode,
    Partenariat, Resultat, Role, Unite, catalogue,
};
use crate::store::{pdesc, resultat};

/// Every field of the page's forms; `operation` says which one was sent.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct Saisie {
    csrf: String,
    /// `ajouter`, `mesurer`, `retirer` or `retirer_mesure`.
    operation: String,
    /// The result concerned (its order on the action, from 0).
    rang: Option<usize>,
    /// The measure concerned (its order in the result, from 0).
    mesure: Option<usize>,
    /// The PDESC objective the action serves (`citer`), empty for none.
    objectif: String,
    indicateur: String,
    libelle: String,
    unite: String,
    base: String,
    base_date: String,
    cible: String,
    cible_date: String,
    debut: String,
    fin: String,
    valeur: String,
    femmes: String,
    hommes: String,
    commentaire: String,
    source: String,
}

#[derive(Template)]
#[template(path = "resultats.html")]
pub struct PageResultats {
    csrf: String,
    action: Action,
    partenariat: Partenariat,
    resultats: Vec<Resultat>,
    /// The catalogue's indicators still offered, those of the action's domaine first.
    proposes: Vec<&'static Indicateur>,
    /// The objectives it may cite (of its collectivités' PDESC): id, collectivité, wording.
    objectifs: Vec<(ObjectifId, String, String)>,
    /// The one it cites.
    objectif: Option<ObjectifId>,
    /// What was typed, kept after a refusal.
    saisie: Saisie,
    erreurs: Erreurs,
    /// What was just done.
    fait: Option<&'static str>,
}

impl PageResultats {
    fn unites(&self) -> &'static [Unite] {
        Unite::TOUS
    }

    /// Whether the action cites objective `id`.
    fn cite(&self, id: &ObjectifId) -> bool {
        self.objectif == Some(*id)
    }

    /// Whether the measure typed for result `rang` was refused: its form opens with it.
    fn mesure_gardee(&self, rang: &usize) -> bool {
        self.saisie.operation == "mesurer" && self.saisie.rang == Some(*rang)
    }
}

async fn page(
    etat: &AppState,
    utilisateur: &Utilisateur,
    id: ActionId,
    saisie: Saisie,
    erreurs: Erreurs,
    fait: Option<&'static str>,
) -> Result<PageResultats, WebError> {
    let (action, partenariat, _) = contexte_action(etat, utilisateur, id).await?;
    let (resultats, objectifs, objectif) = etat
        .lire(move |conn| {
            Ok((
                resultat::de_l_action(conn, id)?,
                pdesc::objectifs_pour_action(conn, id)?,
                pdesc::objectif_de_l_action(conn, id)?.map(|o| o.id),
            ))
        })
        .await?;
    let resultats = resultats.into_iter().map(|(_, r)| r).collect();
    let mut proposes: Vec<&'static Indicateur> =
        catalogue().iter().filter(|i| !i.retire()).collect();
    proposes.sort_by_key(|i| !i.domaines.contains(&action.domaine));
    Ok(PageResultats {
        csrf: utilisateur.csrf.clone(),
        action,
        partenariat,
        resultats,
        proposes,
        objectifs,
        objectif,
        saisie,
        erreurs,
        fait,
    })
}

pub async fn formulaire_resultats(
    State(etat): State<AppState>,
    utilisateur: Utilisateur,
    Identifiant(id): Identifiant,
    params: Parametres,
) -> Result<Response, WebError> {
    let fait = match params.texte("fait") {
        Some("ajoute") => Some("Résultat ajouté."),
        Some("mesure") => Some("Mesure enregistrée."),
        Some("retire") => Some("Résultat retiré."),
        Some("mesure_retiree") => Some("Mesure retirée."),
        Some("cite") => Some("Objectif du PDESC enregistré."),
        _ => None,
    };
    let page = page(
        &etat,
        &utilisateur,
        ActionId(id),
        Saisie::default(),
        Vec::new(),
        fait,
    )
    .await?;
    Ok(prive(Html(page)))
}

/// The form field a broken rule belongs to, and its message.
fn champ_de(e: &ErreurModele) -> (&'static str, String) {
    let champ = match e {
        ErreurModele::IndicateurInconnu(_) | ErreurModele::IndicateurRetire(_) => "indicateur",
        ErreurModele::Code(_) => "unite",
        ErreurModele::ValeurIllisible { champ, .. }
        | ErreurModele::ValeurNegative(champ)
        | ErreurModele::ValeurHorsBornes { champ, .. }
        | ErreurModele::DateManquante(champ) => match *champ {
            "situation de départ" => "base",
            "cible" => "cible",
            "femmes" => "femmes",
            "hommes" => "hommes",
            _ => "valeur",
        },
        ErreurModele::ChampVide("valeur mesurée") => "valeur",
        ErreurModele::ChampVide("indicateur libre") => "libelle",
        ErreurModele::ChampVide(_) | ErreurModele::PeriodeInversee { .. } => "debut",
        ErreurModele::VentilationSansPersonnes(_) | ErreurModele::VentilationTropGrande { .. } => {
            "femmes"
        }
        ErreurModele::ChampTropLong { champ, .. } => match *champ {
            "commentaire" => "commentaire",
            "source" => "source",
            _ => "libelle",
        },
        _ => "libelle",
    };
    let libelle = match champ {
        "indicateur" => "Indicateur",
        "unite" => "Unité",
        "base" => "Situation de départ",
        "cible" => "Cible",
        "valeur" => "Valeur mesurée",
        "debut" => "Période",
        "femmes" => "Femmes",
        "hommes" => "Hommes",
        "commentaire" => "Commentaire",
        "source" => "Source",
        _ => "Indicateur propre à l'action",
    };
    (champ, depuis_modele(e, libelle))
}

pub async fn modifier_resultats(
    State(etat): State<AppState>,
    utilisateur: Utilisateur,
    Identifiant(id): Identifiant,
    form: Result<Form<Saisie>, FormRejection>,
) -> Result<Response, WebError> {
    let saisie = formulaire(form)?;
    utilisateur.exiger_csrf(&saisie.csrf)?;
    let id = ActionId(id);
    // the rights: may this account act for the action's partenariat
    contexte_action(&etat, &utilisateur, id).await?;
    let mut erreurs = Erreurs::new();
    let mut resultats: Vec<Resultat> = etat
        .lire(move |conn| Ok(resultat::de_l_action(conn, id)?))
        .await?
        .into_iter()
        .map(|(_, r)| r)
        .collect();
    let introuvable = || {
        WebError::Requete(
            "Ce résultat ou cette mesure n'existe plus : rechargez la page des résultats."
                .to_owned(),
        )
    };
    if saisie.operation == "citer" {
        return citer(etat, utilisateur, id, &saisie.objectif).await;
    }
    let fait = match saisie.operation.as_str() {
        "ajouter" => {
            let base_date = date("base_date", &saisie.base_date, &mut erreurs);
            let cible_date = date("cible_date", &saisie.cible_date, &mut erreurs);
            let nouveau = NouveauResultat {
                indicateur: saisie.indicateur.clone(),
                libelle: saisie.libelle.clone(),
                unite: saisie.unite.clone(),
                base: saisie.base.clone(),
                base_date,
                cible: saisie.cible.clone(),
                cible_date,
                periodes: Vec::new(),
            };
            if erreurs.is_empty() {
                match nouveau.valider(true) {
                    Ok(r) => resultats.push(r),
                    Err(e) => erreurs.push(champ_de(&e)),
                }
            }
            "ajoute"
        }
        "mesurer" => {
            let r = saisie
                .rang
                .and_then(|rang| resultats.get_mut(rang))
                .ok_or_else(introuvable)?;
            let periode = NouvellePeriode {
                debut: date("debut", &saisie.debut, &mut erreurs),
                fin: date("fin", &saisie.fin, &mut erreurs),
                valeur: saisie.valeur.clone(),
                femmes: saisie.femmes.clone(),
                hommes: saisie.hommes.clone(),
                commentaire: saisie.commentaire.clone(),
                source: saisie.source.clone(),
            };
            if erreurs.is_empty() {
                match periode.valider(r.mesure.unite()) {
                    Ok(p) => {
                        r.periodes.push(p);
                        r.periodes.sort_by_key(|p| (p.debut, p.fin));
                    }
                    Err(e) => erreurs.push(champ_de(&e)),
                }
            }
            "mesure"
        }
        "retirer" => {
            let rang = saisie
                .rang
                .filter(|r| *r < resultats.len())
                .ok_or_else(introuvable)?;
            resultats.remove(rang);
            "retire"
        }
        "retirer_mesure" => {
            let r = saisie
                .rang
                .and_then(|rang| resultats.get_mut(rang))
                .ok_or_else(introuvable)?;
            let n = saisie
                .mesure
                .filter(|m| *m < r.periodes.len())
                .ok_or_else(introuvable)?;
            r.periodes.remove(n);
            "mesure_retiree"
        }
        autre => {
            return Err(WebError::Requete(format!(
                "Opération « {} » inconnue sur les résultats.",
                crate::model::Extrait(autre)
            )));
        }
    };
    if !erreurs.is_empty() {
        let page = page(&etat, &utilisateur, id, saisie, erreurs, None).await?;
        return Ok(prive((StatusCode::UNPROCESSABLE_ENTITY, Html(page))));
    }
    let compte = utilisateur.compte.id;
    let resoumettre = utilisateur.compte.role != Role::AdminNational;
    etat.ecrire(move |conn| {
        Ok(resultat::modifier(
            conn,
            id,
            compte,
            resoumettre,
            &resultats,
        )?)
    })
    .await?;
    Ok(prive(
        Redirect::to(&format!("/espace/actions/{id}/resultats?fait={fait}")).into_response(),
    ))
}

/// Sets the PDESC objective the action serves (or none), as a change of the action.
async fn citer(
    etat: AppState,
    utilisateur: Utilisateur,
    id: ActionId,
    objectif: &str,
) -> Result<Response, WebError> {
    let objectif = match objectif.trim() {
        "" => None,
        texte => Some(ObjectifId(texte.parse().map_err(|_| {
            WebError::Requete(format!(
                "« {} » n'est pas un objectif : choisissez-le dans la liste.",
                crate::model::Extrait(texte)
            ))
        })?)),
    };
    let compte = utilisateur.compte.id;
    let resoumettre = utilisateur.compte.role != Role::AdminNational;
    etat.ecrire(move |conn| {
        Ok(crate::store::validation::modifier(
            conn,
            crate::store::validation::Objet::Action(id),
            compte,
            resoumettre,
            || pdesc::citer(conn, id, objectif),
        )?)
    })
    .await?;
    Ok(prive(
        Redirect::to(&format!("/espace/actions/{id}/resultats?fait=cite")).into_response(),
    ))
}
