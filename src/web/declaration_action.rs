//! Declaring an action of a partenariat, with its first financement, from the contributors'
//! space. The places are the partenariat's Malian parties and the units they contain; the
//! points, typed one per line, go wherever they are (each attached to its commune); the
//! villages, one per line by name or P-code, lie in the territory of the Malian parties.

use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use super::espace::prive;
use super::format::Html;
use super::formulaire::{self, Erreurs, date, depuis_modele, libelle, vocabulaire};
use super::message::{self, Fait};
use super::params::Identifiant;
use super::saisie_localites::{self, Territoire};
use super::session::Utilisateur;
use super::{AppState, WebError};
use crate::model::{
    Action, ActionId, Axe, Code, Collectivite, CollectiviteId, Devise, Domaine, ErreurModele,
    LOCALITES_MAX, Nature, NouvelActeur, NouvelleAction, POINTS_MAX, Partenariat, PartenariatId,
    Periode, PointAction, Role, StatutAction, TypeFinancement, TypeOrganisation, Validation,
};
use crate::referentiel::Resolveur;
use crate::store::action::FinancementDeclare;
use crate::store::{action, collectivite, localite, partenariat};
use crate::{acces, carte};

/// The form's fields as typed; `lieu` may repeat.
#[derive(Default, Clone)]
pub struct Saisie {
    pub(super) csrf: String,
    pub(super) titre: String,
    pub(super) description: String,
    pub(super) axe: String,
    pub(super) domaine: String,
    pub(super) nature: String,
    pub(super) statut: String,
    pub(super) debut: String,
    pub(super) fin: String,
    pub(super) lieux: Vec<String>,
    /// One point per line, as [`PointAction::depuis_texte`] reads it.
    pub(super) points: String,
    /// One village per line, by name or P-code (see `saisie_localites`).
    pub(super) localites: String,
    pub(super) montant: String,
    pub(super) devise: String,
    pub(super) type_financement: String,
    pub(super) annee: String,
    pub(super) source: String,
    pub(super) type_source: String,
}

impl Saisie {
    /// Reads an URL-encoded body, keeping repeated `lieu` fields.
    fn depuis(corps: &[u8]) -> Result<Saisie, WebError> {
        let paires = super::espace::champs(corps)?;
        let mut s = Saisie::default();
        for (cle, valeur) in paires {
            let champ = match cle.as_str() {
                "csrf" => &mut s.csrf,
                "titre" => &mut s.titre,
                "description" => &mut s.description,
                "axe" => &mut s.axe,
                "domaine" => &mut s.domaine,
                "nature" => &mut s.nature,
                "statut" => &mut s.statut,
                "debut" => &mut s.debut,
                "fin" => &mut s.fin,
                "points" => &mut s.points,
                "localites" => &mut s.localites,
                "montant" => &mut s.montant,
                "devise" => &mut s.devise,
                "type_financement" => &mut s.type_financement,
                "annee" => &mut s.annee,
                "source" => &mut s.source,
                "type_source" => &mut s.type_source,
                "lieu" => {
                    s.lieux.push(valeur);
                    continue;
                }
                _ => continue,
            };
            *champ = valeur;
        }
        Ok(s)
    }

    fn coche(&self, id: &CollectiviteId) -> bool {
        self.lieux.iter().any(|l| *l == id.to_string())
    }
}

#[derive(Template)]
#[template(path = "declaration_action.html")]
pub struct PageAction {
    csrf: String,
    /// Where the form posts: the new-action route or the action's own.
    cible: String,
    /// « Déclarer une action » or « Modifier l'action ».
    titre_page: &'static str,
    partenariat: Partenariat,
    lieux: Vec<Collectivite>,
    saisie: Saisie,
    erreurs: Erreurs,
}

impl PageAction {
    fn axes(&self) -> &'static [Axe] {
        Axe::TOUS
    }
    fn domaines(&self) -> &'static [Domaine] {
        Domaine::TOUS
    }
    fn natures(&self) -> &'static [Nature] {
        Nature::TOUS
    }
    fn statuts(&self) -> &'static [StatutAction] {
        StatutAction::TOUS
    }
    fn devises(&self) -> &'static [Devise] {
        Devise::TOUS
    }
    fn types(&self) -> &'static [TypeFinancement] {
        TypeFinancement::TOUS
    }
    fn types_source(&self) -> &'static [TypeOrganisation] {
        TypeOrganisation::TOUS
    }
    fn points_max(&self) -> usize {
        POINTS_MAX
    }
    fn localites_max(&self) -> usize {
        LOCALITES_MAX
    }
}

/// The partenariat and its possible places, if the account may add actions to it (the API
/// checks its writes here too).
pub(super) async fn contexte(
    etat: &AppState,
    compte: &crate::model::Compte,
    id: PartenariatId,
) -> Result<(Partenariat, Vec<Collectivite>), WebError> {
    let compte = compte.clone();
    etat.lire(move |conn| {
        let p = partenariat::par_id(conn, id)?.ok_or_else(|| {
            WebError::Introuvable(format!("Aucun partenariat ne porte le numéro {id}."))
        })?;
        let parties = partenariat::parties(conn, id)?;
        let ids = partenariat::parties_et_successeurs(conn, id)?;
        if compte.role == Role::Lecteur || !acces::peut_modifier(&compte, &ids) {
            return Err(WebError::Interdit(
                "Ce partenariat ne relève pas de votre compte.".to_owned(),
            ));
        }
        let mut lieux = Vec::new();
        for m in parties.maliennes() {
            lieux.push(m.clone());
            lieux.extend(collectivite::enfants(conn, m.id)?);
        }
        Ok((p, lieux))
    })
    .await
}

pub async fn formulaire(
    State(etat): State<AppState>,
    utilisateur: Utilisateur,
    Identifiant(id): Identifiant,
) -> Result<Response, WebError> {
    let (partenariat, lieux) = contexte(&etat, &utilisateur.compte, PartenariatId(id)).await?;
    let annee = super::format::aujourd_hui().year().to_string();
    Ok(prive(Html(PageAction {
        csrf: utilisateur.csrf,
        cible: format!("/espace/partenariats/{id}/actions/nouvelle"),
        titre_page: "Déclarer une action",
        partenariat,
        lieux,
        saisie: Saisie {
            statut: StatutAction::EnCours.code().to_owned(),
            devise: Devise::Xof.code().to_owned(),
            annee,
            type_source: TypeOrganisation::GouvernementLocal.code().to_owned(),
            ..Saisie::default()
        },
        erreurs: Vec::new(),
    })))
}

/// The points typed in the form, one per line (blank lines aside), each attached to its unit
/// on the map; every line that cannot be read is named by its number in one message.
fn points(texte: &str, erreurs: &mut Erreurs) -> Vec<PointAction> {
    let mut points = Vec::new();
    let mut fautes = Vec::new();
    for (i, ligne) in texte.lines().enumerate() {
        if ligne.trim().is_empty() {
            continue;
        }
        match PointAction::depuis_texte(ligne) {
            Ok(p) => points.push(carte::situer(p)),
            Err(e) => fautes.push(format!("Ligne {} : {e}.", i + 1)),
        }
    }
    let lignes = points.len() + fautes.len();
    if lignes > POINTS_MAX {
        fautes.insert(0, format!("{}.", ErreurModele::TropDePoints(lignes)));
    }
    if !fautes.is_empty() {
        erreurs.push(("points", fautes.join(" ")));
    }
    points
}

/// The field next to which the form shows a rule the store refused: the villages' for a
/// village the gazetteer lost meanwhile, else the title's.
fn champ_du_modele(e: &ErreurModele) -> &'static str {
    match e {
        ErreurModele::LocaliteInconnue(_)
        | ErreurModele::TropDeLocalites(_)
        | ErreurModele::PcodeLocalite(_) => "localites",
        _ => "titre",
    }
}

/// Checks the form (or the API's body): the action to record and the money to add, or the
/// errors by field. The villages typed are found by `resolveur` in the territory of the
/// Malian parties.
pub(super) fn verifier(
    saisie: &Saisie,
    partenariat: PartenariatId,
    lieux_possibles: &[Collectivite],
    resolveur: &Resolveur,
) -> Result<(NouvelleAction, Option<FinancementDeclare>), Erreurs> {
    let mut erreurs = Vec::new();
    if saisie.titre.trim().is_empty() {
        erreurs.push((
            "titre",
            "Donnez un titre à l'action, par exemple « Forage du quartier Plateau ».".to_owned(),
        ));
    }
    let axe = vocabulaire::<Axe>("axe", &saisie.axe, &mut erreurs);
    let domaine = vocabulaire::<Domaine>("domaine", &saisie.domaine, &mut erreurs);
    let nature = vocabulaire::<Nature>("nature", &saisie.nature, &mut erreurs);
    let statut = vocabulaire::<StatutAction>("statut", &saisie.statut, &mut erreurs);
    let (debut, fin) = (
        date("debut", &saisie.debut, &mut erreurs),
        date("fin", &saisie.fin, &mut erreurs),
    );
    let periode = Periode::new(debut, fin)
        .map_err(|e| erreurs.push(("fin", depuis_modele(&e, libelle("fin")))))
        .ok();
    let mut lieux = Vec::new();
    for l in &saisie.lieux {
        match lieux_possibles.iter().find(|c| c.id.to_string() == *l) {
            Some(c) => lieux.push(c.id),
            None if formulaire::message(&erreurs, "lieux").is_none() => {
                erreurs.push(("lieux", "Cochez les lieux dans la liste.".to_owned()))
            }
            None => {}
        }
    }
    let points = points(&saisie.points, &mut erreurs);
    let territoire = Territoire::depuis_lieux(lieux_possibles);
    let localites = saisie_localites::lire(&saisie.localites, resolveur, &territoire)
        .unwrap_or_else(|e| {
            erreurs.push(("localites", e));
            Vec::new()
        });
    let argent = if saisie.montant.trim().is_empty() {
        None
    } else {
        let devise = vocabulaire::<Devise>("devise", &saisie.devise, &mut erreurs);
        let montant =
            devise.and_then(|d| formulaire::montant("montant", &saisie.montant, d, &mut erreurs));
        let type_financement = vocabulaire::<TypeFinancement>(
            "type_financement",
            &saisie.type_financement,
            &mut erreurs,
        );
        let type_source =
            vocabulaire::<TypeOrganisation>("type_source", &saisie.type_source, &mut erreurs);
        let annee = saisie
            .annee
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|a| (1960..=2100).contains(a));
        if annee.is_none() {
            erreurs.push((
                "annee",
                "Indiquez l'année du financement (de 1960 à 2100).".to_owned(),
            ));
        }
        if saisie.source.trim().is_empty() {
            erreurs.push((
                "source",
                "Indiquez d'où vient l'argent (la commune, un ministère, une agence…).".to_owned(),
            ));
        }
        match (montant, type_financement, type_source, annee) {
            (Some(montant), Some(type_financement), Some(type_organisation), Some(annee)) => {
                Some(FinancementDeclare {
                    source: NouvelActeur {
                        nom: saisie.source.clone(),
                        type_organisation,
                        identifiant_iati: None,
                        pays: None,
                        collectivite: None,
                    },
                    type_financement,
                    montant,
                    annee,
                })
            }
            _ => None,
        }
    };
    match (axe, domaine, nature, statut, periode) {
        (Some(axe), Some(domaine), Some(nature), Some(statut), Some(periode))
            if erreurs.is_empty() =>
        {
            Ok((
                NouvelleAction {
                    partenariat,
                    titre: saisie.titre.clone(),
                    description: Some(saisie.description.clone()),
                    axe,
                    domaine,
                    nature,
                    statut,
                    periode,
                    lieux,
                    points,
                    localites,
                },
                argent,
            ))
        }
        _ => Err(erreurs),
    }
}

pub async fn declarer(
    State(etat): State<AppState>,
    utilisateur: Utilisateur,
    Identifiant(id): Identifiant,
    corps: Bytes,
) -> Result<Response, WebError> {
    let saisie = Saisie::depuis(&corps)?;
    utilisateur.exiger_csrf(&saisie.csrf)?;
    let id = PartenariatId(id);
    let (partenariat, lieux_possibles) = contexte(&etat, &utilisateur.compte, id).await?;
    let page = |erreurs| PageAction {
        csrf: utilisateur.csrf.clone(),
        cible: format!("/espace/partenariats/{id}/actions/nouvelle"),
        titre_page: "Déclarer une action",
        partenariat: partenariat.clone(),
        lieux: lieux_possibles.clone(),
        saisie: saisie.clone(),
        erreurs,
    };
    let resolveur = etat.resolveur();
    let (nouvelle, argent) = match verifier(&saisie, id, &lieux_possibles, &resolveur) {
        Ok(v) => v,
        Err(erreurs) => {
            return Ok(prive((
                StatusCode::UNPROCESSABLE_ENTITY,
                Html(page(erreurs)),
            )));
        }
    };
    let compte = utilisateur.compte.clone();
    let validation = if compte.role == Role::AdminNational {
        Validation::Valide
    } else {
        Validation::Soumis
    };
    let resultat = etat
        .ecrire(move |conn| {
            Ok(action::declarer(
                conn, nouvelle, validation, compte.id, argent,
            ))
        })
        .await?;
    match resultat {
        Ok(id) => Ok(message::rediriger(
            "/espace",
            if validation == Validation::Valide {
                Fait::ActionValidee
            } else {
                Fait::ActionDeclaree
            },
            id.0,
            etat.cookie_securise,
        )),
        Err(crate::store::StoreError::Modele(e)) => Ok(prive((
            StatusCode::UNPROCESSABLE_ENTITY,
            Html(page(vec![(
                champ_du_modele(&e),
                depuis_modele(&e, libelle(champ_du_modele(&e))),
            )])),
        ))),
        Err(e) => Err(e.into()),
    }
}

/// The action, its partenariat and possible places, if the account may change it.
pub(super) async fn contexte_action(
    etat: &AppState,
    utilisateur: &Utilisateur,
    id: ActionId,
) -> Result<(Action, Partenariat, Vec<Collectivite>), WebError> {
    let trouvee = etat
        .lire(move |conn| {
            action::par_id(conn, id)?.ok_or_else(|| {
                WebError::Introuvable(format!("Aucune action ne porte le numéro {id}."))
            })
        })
        .await?;
    let (partenariat, lieux) = contexte(etat, &utilisateur.compte, trouvee.partenariat).await?;
    Ok((trouvee, partenariat, lieux))
}

/// The form of an existing action, filled with what is recorded.
pub async fn formulaire_modification(
    State(etat): State<AppState>,
    utilisateur: Utilisateur,
    Identifiant(id): Identifiant,
) -> Result<Response, WebError> {
    let id = ActionId(id);
    let (a, partenariat, lieux) = contexte_action(&etat, &utilisateur, id).await?;
    let (lieux_actuels, points_actuels, localites_actuelles) = etat
        .lire(move |conn| {
            Ok((
                action::lieux(conn, id)?,
                action::points(conn, id)?,
                localite::de_l_action(conn, id)?,
            ))
        })
        .await?;
    let annee = super::format::aujourd_hui().year().to_string();
    Ok(prive(Html(PageAction {
        csrf: utilisateur.csrf,
        cible: format!("/espace/actions/{id}"),
        titre_page: "Modifier l'action",
        partenariat,
        lieux,
        saisie: Saisie {
            titre: a.titre.clone(),
            description: a.description.clone().unwrap_or_default(),
            axe: a.axe.code().to_owned(),
            domaine: a.domaine.code().to_owned(),
            nature: a.nature.code().to_owned(),
            statut: a.statut.code().to_owned(),
            debut: a.periode.debut().map(|d| d.to_string()).unwrap_or_default(),
            fin: a.periode.fin().map(|d| d.to_string()).unwrap_or_default(),
            lieux: lieux_actuels.iter().map(|c| c.id.to_string()).collect(),
            points: points_actuels
                .iter()
                .map(PointAction::en_texte)
                .collect::<Vec<_>>()
                .join("\n"),
            localites: saisie_localites::en_lignes(&localites_actuelles),
            devise: Devise::Xof.code().to_owned(),
            annee,
            type_source: TypeOrganisation::GouvernementLocal.code().to_owned(),
            ..Saisie::default()
        },
        erreurs: Vec::new(),
    })))
}

/// Records the changes of an action, and the money added with them, journalled; an
/// authority's change goes back to review.
pub async fn modifier(
    State(etat): State<AppState>,
    utilisateur: Utilisateur,
    Identifiant(id): Identifiant,
    corps: Bytes,
) -> Result<Response, WebError> {
    let saisie = Saisie::depuis(&corps)?;
    utilisateur.exiger_csrf(&saisie.csrf)?;
    let id = ActionId(id);
    let (a, partenariat, lieux_possibles) = contexte_action(&etat, &utilisateur, id).await?;
    let page = |erreurs| PageAction {
        csrf: utilisateur.csrf.clone(),
        cible: format!("/espace/actions/{id}"),
        titre_page: "Modifier l'action",
        partenariat: partenariat.clone(),
        lieux: lieux_possibles.clone(),
        saisie: saisie.clone(),
        erreurs,
    };
    let resolveur = etat.resolveur();
    let (changee, argent) = match verifier(&saisie, a.partenariat, &lieux_possibles, &resolveur) {
        Ok(v) => v,
        Err(erreurs) => {
            return Ok(prive((
                StatusCode::UNPROCESSABLE_ENTITY,
                Html(page(erreurs)),
            )));
        }
    };
    let compte = utilisateur.compte.clone();
    let resoumettre = compte.role != Role::AdminNational;
    let resultat = etat
        .ecrire(move |conn| {
            Ok(crate::store::validation::modifier(
                conn,
                crate::store::validation::Objet::Action(id),
                compte.id,
                resoumettre,
                || {
                    action::changer(conn, id, changee)?;
                    match argent {
                        Some(f) => action::ajouter_financement(conn, id, f),
                        None => Ok(()),
                    }
                },
            ))
        })
        .await?;
    match resultat {
        Ok(()) => Ok(message::rediriger(
            &format!("/espace/partenariats/{}/historique", a.partenariat),
            Fait::ActionModifiee,
            id.0,
            etat.cookie_securise,
        )),
        Err(crate::store::StoreError::Modele(e)) => Ok(prive((
            StatusCode::UNPROCESSABLE_ENTITY,
            Html(page(vec![(
                champ_du_modele(&e),
                depuis_modele(&e, libelle(champ_du_modele(&e))),
            )])),
        ))),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_line_is_a_point_and_each_mistake_names_its_line() {
        let mut erreurs = Erreurs::new();
        let lus = points(
            "14,4485 ; -11,4389 ; puits de Kayes\r\n\r\n14.69, -17.44\r\n",
            &mut erreurs,
        );
        assert!(erreurs.is_empty(), "{erreurs:?}");
        assert_eq!(lus.len(), 2);
        assert_eq!(lus[0].commune.as_deref(), Some("ML-1-KAYES-KAYES"));
        assert_eq!(lus[0].libelle.as_deref(), Some("puits de Kayes"));
        assert_eq!(lus[1].commune, None, "Dakar: kept, attached to nothing");

        let mut erreurs = Erreurs::new();
        points("14,4485 -11,4389\n\n95 10\n14,11\n", &mut erreurs);
        let [(champ, message)] = erreurs.as_slice() else {
            panic!("{erreurs:?}")
        };
        assert_eq!(*champ, "points");
        assert!(
            message.starts_with("Ligne 3 : la latitude « 95 »"),
            "{message}"
        );
        assert!(
            message.contains(". Ligne 4 : « 14,11 » n'est pas un point"),
            "{message}"
        );
        assert!(!message.contains("Ligne 1 "), "{message}");

        let mut erreurs = Erreurs::new();
        let trop: String = (0..=POINTS_MAX).map(|i| format!("12.{i} -8\n")).collect();
        points(&trop, &mut erreurs);
        assert!(
            erreurs[0]
                .1
                .starts_with("51 points : une action en compte au plus 50")
        );
    }
}
