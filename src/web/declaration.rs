//! Declaring a partenariat from the contributors' space, without JavaScript: the form finds
//! the foreign partner through the name resolver (type, search, pick), or creates a
//! collectivité of a country outside the référentiel; what a collectivité declares waits for
//! a national administrator's validation.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::extract::rejection::FormRejection;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::collectivites::{Trouvee, trouvee};
use super::espace::{formulaire, prive};
use super::format::Html;
use super::formulaire::{date, vocabulaire};
use super::message::{self, Fait};
use super::session::Utilisateur;
use super::{AppState, WebError};
use crate::acces;
use crate::model::{
    Code, Collectivite, CollectiviteId, Etape, EtapeDatee, Extrait, Niveau, NouveauPartenariat,
    NouvelleCollectivite, Parties, Pays, Role, StatutPartenariat, Validation, date_fr,
};
use crate::referentiel::{Portee, Requete};
use crate::store::validation::{self, Objet};
use crate::store::{collectivite, partenariat};

/// What the user typed, kept as typed so that an error loses nothing.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct Saisie {
    csrf: String,
    /// `chercher` to look the partner up, `declarer` to record, `entree` for the Enter key
    /// (see [`Saisie::cherche`]).
    action: String,
    titre: String,
    description: String,
    statut: String,
    partie_malienne: String,
    partenaire: String,
    partenaire_id: String,
    nouveau_pays: String,
    nouveau_niveau: String,
    nouveau_libelle: String,
    nouveau_nom: String,
    /// The étape reached, empty when the authority does not know it.
    etape: String,
    /// Since when, AAAA-MM-JJ, optional.
    depuis: String,
    /// The search text whose results the page showed.
    partenaire_cherche: String,
    /// The parties whose different levels were confirmed (see [`Saisie::cle_niveaux`]).
    niveaux_voulus: String,
}

impl Saisie {
    /// Whether the form asks for a search. Enter in any field presses the form's first
    /// button, `entree`: it searches only when the search box holds a text not searched yet,
    /// so that Enter after choosing a result declares instead of wiping the choice.
    fn cherche(&self) -> bool {
        match self.action.as_str() {
            "declarer" => false,
            "entree" => {
                let texte = self.partenaire.trim();
                !texte.is_empty() && texte != self.partenaire_cherche.trim()
            }
            _ => true,
        }
    }

    /// The pair of parties a confirmation of different levels is about: confirming one pair
    /// does not confirm another chosen afterwards.
    fn cle_niveaux(&self) -> String {
        let etrangere = match self.partenaire_id.trim() {
            "" => format!("nouvelle-{}", self.nouveau_niveau.trim()),
            id => id.to_owned(),
        };
        format!("{}-{etrangere}", self.partie_malienne.trim())
    }
}

#[derive(Template)]
#[template(path = "declaration.html")]
pub struct PageDeclaration {
    csrf: String,
    saisie: Saisie,
    /// The Malian collectivités the account may declare for.
    maliennes: Vec<Collectivite>,
    candidats: Vec<Trouvee>,
    recherche_faite: bool,
    /// The page answers a search: the focus goes to its results.
    apres_recherche: bool,
    /// Why the parties' levels differ, when the declaration waits for that to be confirmed.
    asymetrie: Option<String>,
    erreurs: Vec<(&'static str, String)>,
}

impl PageDeclaration {
    fn statuts(&self) -> &'static [StatutPartenariat] {
        StatutPartenariat::TOUS
    }

    fn niveaux(&self) -> [Niveau; 3] {
        [Niveau::Niveau1, Niveau::Niveau2, Niveau::Niveau3]
    }

    fn etapes(&self) -> &'static [Etape] {
        Etape::TOUS
    }

    fn cle_niveaux(&self) -> String {
        self.saisie.cle_niveaux()
    }
}

/// Only authorities' accounts and national administrators declare (the API asks it too).
pub(super) fn peut_declarer(compte: &crate::model::Compte) -> Result<(), WebError> {
    match compte.role {
        Role::AdminNational | Role::Collectivite if compte.actif => Ok(()),
        _ => Err(WebError::Interdit(
            "Votre compte ne permet pas de déclarer un partenariat : seuls les comptes de collectivité et les administrateurs nationaux le peuvent.".to_owned(),
        )),
    }
}

/// The Malian collectivités the account acts for (for an administrator: none to choose from;
/// the Malian party is then looked up by code).
async fn maliennes(
    etat: &AppState,
    utilisateur: &Utilisateur,
) -> Result<Vec<Collectivite>, WebError> {
    let ids = utilisateur.compte.collectivites.clone();
    etat.lire(move |conn| {
        let mut liste = Vec::new();
        for id in ids {
            let c = collectivite::requise(conn, id)?;
            if c.pays.est_mali() {
                liste.push(c);
            }
        }
        Ok(liste)
    })
    .await
}

pub async fn formulaire_declaration(
    State(etat): State<AppState>,
    utilisateur: Utilisateur,
) -> Result<Response, WebError> {
    peut_declarer(&utilisateur.compte)?;
    let maliennes = maliennes(&etat, &utilisateur).await?;
    Ok(prive(Html(PageDeclaration {
        csrf: utilisateur.csrf,
        saisie: Saisie {
            statut: StatutPartenariat::Actif.code().to_owned(),
            ..Saisie::default()
        },
        maliennes,
        candidats: Vec::new(),
        recherche_faite: false,
        apres_recherche: false,
        asymetrie: None,
        erreurs: Vec::new(),
    })))
}

/// The collectivité a radio button or a typed number names, if it is a number.
fn numero(texte: &str) -> Option<CollectiviteId> {
    texte.trim().parse::<i64>().ok().map(CollectiviteId)
}

/// A chosen partner shown again among the results of a later search, so that searching
/// does not lose the choice.
fn choisie(c: &Collectivite) -> Trouvee {
    Trouvee {
        id: c.id,
        nom: c.nom.clone(),
        niveau: c.niveau_affiche().to_owned(),
        pays: c.pays,
        code: c.code.clone(),
        parent: None,
        actuelle: c.actuelle(),
        successeurs: Vec::new(),
        raison: "choisie",
        localite_de: None,
    }
}

/// The étape declared with the partenariat: none, or the one chosen since the date given —
/// without a date, since the declaration, with a note that says so. A date without an étape,
/// or in the future, is refused.
fn etape_declaree(
    saisie: &Saisie,
    erreurs: &mut Vec<(&'static str, String)>,
) -> Option<EtapeDatee> {
    let depuis = date("depuis", &saisie.depuis, erreurs);
    let aujourd_hui = super::format::aujourd_hui();
    if let Some(d) = depuis.filter(|d| *d > aujourd_hui) {
        erreurs.push((
            "depuis",
            format!(
                "Le {} est dans l'avenir : indiquez depuis quand la relation en est à cette étape, au plus tard aujourd'hui.",
                date_fr(&d)
            ),
        ));
    }
    let etape = match saisie.etape.trim() {
        "" => {
            if !saisie.depuis.trim().is_empty() {
                erreurs.push((
                    "etape",
                    "Vous avez indiqué une date sans étape : choisissez l'étape atteinte depuis cette date, ou effacez la date.".to_owned(),
                ));
            }
            None
        }
        code => vocabulaire::<Etape>("etape", code, erreurs),
    }?;
    Some(EtapeDatee {
        etape,
        depuis: depuis.unwrap_or(aujourd_hui),
        note: depuis.is_none().then(|| {
            format!(
                "Date de début inconnue : étape indiquée lors de la déclaration du {}.",
                date_fr(&aujourd_hui)
            )
        }),
    })
}

/// What the write found: the partenariat created, or parties of different levels to confirm.
enum Issue {
    Cree(crate::model::PartenariatId),
    Asymetrie(String),
}

/// The warning shown when the parties are not « de niveaux similaires » (the rule of
/// [`Parties::rangs_asymetriques`], which the public page applies after publication).
fn asymetrie(malienne: &Collectivite, etrangere: (&str, Niveau, &str)) -> Option<String> {
    let (nom, niveau, niveau_affiche) = etrangere;
    Parties::rangs_asymetriques(&[malienne.niveau], &[niveau]).then(|| {
        format!(
            "{} ({}) et {} ({}) ne sont pas de même niveau territorial.",
            malienne.nom,
            malienne.niveau_affiche().to_lowercase(),
            nom,
            niveau_affiche.to_lowercase()
        )
    })
}

pub async fn declarer(
    State(etat): State<AppState>,
    utilisateur: Utilisateur,
    form: Result<Form<Saisie>, FormRejection>,
) -> Result<Response, WebError> {
    let saisie = formulaire(form)?;
    utilisateur.exiger_csrf(&saisie.csrf)?;
    peut_declarer(&utilisateur.compte)?;
    let maliennes = maliennes(&etat, &utilisateur).await?;
    let mut candidats: Vec<Trouvee> = if saisie.partenaire.trim().is_empty() {
        Vec::new()
    } else {
        let requete = Requete {
            texte: saisie.partenaire.clone(),
            pays: None,
            portee: Portee::Collectivites,
            limite: 30,
        };
        match etat.resolveur().resoudre(&requete) {
            Ok(r) => r
                .candidats
                .iter()
                .filter(|c| !c.unite.pays.est_mali())
                .take(10)
                .map(trouvee)
                .collect(),
            Err(_) => Vec::new(),
        }
    };
    let partenaire_choisi = numero(&saisie.partenaire_id);
    if let Some(id) = partenaire_choisi.filter(|id| !candidats.iter().any(|t| t.id == *id)) {
        let choix = etat
            .lire(move |conn| Ok(collectivite::par_id(conn, id)?))
            .await?;
        if let Some(c) = choix.filter(|c| !c.pays.est_mali()) {
            candidats.insert(0, choisie(&c));
        }
    }
    let cherche = saisie.cherche();
    let page = |erreurs: Vec<(&'static str, String)>, saisie: Saisie, candidats: Vec<Trouvee>| {
        PageDeclaration {
            csrf: utilisateur.csrf.clone(),
            recherche_faite: !saisie.partenaire.trim().is_empty(),
            apres_recherche: cherche,
            saisie,
            maliennes: maliennes.clone(),
            candidats,
            asymetrie: None,
            erreurs,
        }
    };
    if cherche {
        return Ok(prive(Html(page(Vec::new(), saisie, candidats))));
    }

    let mut erreurs: Vec<(&'static str, String)> = Vec::new();
    if saisie.titre.trim().is_empty() {
        erreurs.push((
            "titre",
            "Donnez un titre, par exemple « Kayes – Évry ».".to_owned(),
        ));
    }
    let statut = StatutPartenariat::depuis_code(&saisie.statut);
    if statut.is_err() {
        super::formulaire::vocabulaire::<StatutPartenariat>("statut", &saisie.statut, &mut erreurs);
    }
    let malienne = numero(&saisie.partie_malienne);
    match malienne {
        Some(id)
            if acces::peut_agir_pour(&utilisateur.compte, id)
                && maliennes.iter().any(|c| c.id == id)
                || utilisateur.compte.role == Role::AdminNational && malienne.is_some() => {}
        _ => erreurs.push((
            "partie_malienne",
            "Choisissez la collectivité malienne partie au partenariat parmi les vôtres."
                .to_owned(),
        )),
    }
    let nouveau = !saisie.nouveau_nom.trim().is_empty();
    let nouvelle_collectivite = if nouveau && partenaire_choisi.is_none() {
        match (
            Pays::new(&saisie.nouveau_pays),
            saisie.nouveau_niveau.parse::<Niveau>(),
        ) {
            (Ok(pays), _) if pays.est_mali() || pays == Pays::FRANCE => {
                erreurs.push((
                    "nouveau_pays",
                    "Les collectivités maliennes et françaises sont déjà dans le référentiel : cherchez-les plutôt que de les créer.".to_owned(),
                ));
                None
            }
            (Ok(pays), Ok(niveau)) => {
                let mut n = NouvelleCollectivite::new(pays, niveau, &saisie.nouveau_nom);
                n.libelle_niveau =
                    Some(saisie.nouveau_libelle.clone()).filter(|l| !l.trim().is_empty());
                n.source = Some(format!(
                    "Créée à la demande par {} lors d'une déclaration",
                    utilisateur.compte.email
                ));
                match n.valider() {
                    Ok(n) => Some(n),
                    Err(e) => {
                        erreurs.push(("nouveau_nom", super::formulaire::depuis_modele(&e, "Nom")));
                        None
                    }
                }
            }
            (Err(_), _) => {
                erreurs.push((
                    "nouveau_pays",
                    "Écrivez le code du pays en deux lettres, par exemple BF pour le Burkina Faso ou CA pour le Canada.".to_owned(),
                ));
                None
            }
            (_, Err(_)) => {
                super::formulaire::vocabulaire::<Niveau>(
                    "nouveau_niveau",
                    &saisie.nouveau_niveau,
                    &mut erreurs,
                );
                None
            }
        }
    } else {
        None
    };
    if partenaire_choisi.is_none() && !nouveau {
        erreurs.push((
            "partenaire",
            "Choisissez le partenaire étranger parmi les résultats de la recherche, ou créez-le s'il n'est pas dans le référentiel.".to_owned(),
        ));
    }
    let etape = etape_declaree(&saisie, &mut erreurs);
    if !erreurs.is_empty() {
        return Ok(prive((
            StatusCode::UNPROCESSABLE_ENTITY,
            Html(page(erreurs, saisie, candidats)),
        )));
    }

    let compte = utilisateur.compte.clone();
    let validation = if compte.role == Role::AdminNational {
        Validation::Valide
    } else {
        Validation::Soumis
    };
    let fait_validation = validation;
    let mut nouveau = NouveauPartenariat::new(
        &saisie.titre,
        statut.unwrap_or(StatutPartenariat::Actif),
        Vec::new(),
    );
    nouveau.description = Some(saisie.description.clone());
    nouveau.validation = validation;
    let malienne = malienne.unwrap_or(CollectiviteId(0));
    let cree = partenaire_choisi.is_none() && nouvelle_collectivite.is_some();
    let niveaux_voulus = saisie.niveaux_voulus == saisie.cle_niveaux();
    let resultat = etat
        .ecrire(move |conn| {
            let malienne_lue = collectivite::requise(conn, malienne)?;
            let choisie = partenaire_choisi
                .map(|id| collectivite::requise(conn, id))
                .transpose()?;
            let difference = match (&choisie, &nouvelle_collectivite) {
                (Some(c), _) => asymetrie(&malienne_lue, (&c.nom, c.niveau, c.niveau_affiche())),
                (None, Some(n)) => asymetrie(
                    &malienne_lue,
                    (
                        &n.nom,
                        n.niveau,
                        n.libelle_niveau.as_deref().unwrap_or(n.niveau.libelle()),
                    ),
                ),
                (None, None) => None,
            };
            if let Some(texte) = difference.filter(|_| !niveaux_voulus) {
                return Ok(Ok(Issue::Asymetrie(texte)));
            }
            let etrangere = match (choisie, nouvelle_collectivite) {
                (Some(c), _) => c.id,
                (None, Some(n)) => collectivite::inserer(conn, n)?,
                (None, None) => {
                    return Err(WebError::Requete(
                        "Aucun partenaire étranger choisi.".to_owned(),
                    ));
                }
            };
            nouveau.parties = vec![malienne, etrangere];
            Ok(
                partenariat::creer_avec_etape(conn, nouveau, etape, Some(compte.id))
                    .map(Issue::Cree),
            )
        })
        .await?;
    match resultat {
        Ok(Issue::Asymetrie(texte)) => {
            let mut page = page(Vec::new(), saisie, candidats);
            page.asymetrie = Some(texte);
            Ok(prive(Html(page)))
        }
        Ok(Issue::Cree(id)) => {
            if cree {
                etat.reindexer().await?;
            }
            let fait = if fait_validation == Validation::Valide {
                Fait::PartenariatValide
            } else {
                Fait::PartenariatDeclare
            };
            Ok(message::rediriger(
                "/espace",
                fait,
                id.0,
                etat.cookie_securise,
            ))
        }
        Err(crate::store::StoreError::Modele(e)) => {
            // A rule about the title is said next to it; the others, next to the partner.
            let champ = if e.champ() == Some("titre") {
                "titre"
            } else {
                "partenaire"
            };
            let libelle = super::formulaire::libelle(e.champ().unwrap_or(champ));
            let message = super::formulaire::depuis_modele(&e, libelle);
            Ok(prive((
                StatusCode::UNPROCESSABLE_ENTITY,
                Html(page(vec![(champ, message)], saisie, candidats)),
            )))
        }
        Err(e) => Err(e.into()),
    }
}

/// Why a non-administrator is refused the review.
pub(super) const REFUS_ADMIN: &str = "La validation est réservée aux administrateurs nationaux.";

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Decision {
    csrf: String,
    decision: String,
    commentaire: String,
}

pub async fn decider(
    State(etat): State<AppState>,
    utilisateur: Utilisateur,
    super::params::Identifiant(id): super::params::Identifiant,
    form: Result<Form<Decision>, FormRejection>,
) -> Result<Response, WebError> {
    trancher(
        etat,
        utilisateur,
        Objet::Partenariat(crate::model::PartenariatId(id)),
        formulaire(form)?,
    )
    .await
}

pub async fn decider_action(
    State(etat): State<AppState>,
    utilisateur: Utilisateur,
    super::params::Identifiant(id): super::params::Identifiant,
    form: Result<Form<Decision>, FormRejection>,
) -> Result<Response, WebError> {
    trancher(
        etat,
        utilisateur,
        Objet::Action(crate::model::ActionId(id)),
        formulaire(form)?,
    )
    .await
}

/// Applies an administrator's decision on a declared record.
async fn trancher(
    etat: AppState,
    utilisateur: Utilisateur,
    objet: Objet,
    decision: Decision,
) -> Result<Response, WebError> {
    utilisateur.exiger_csrf(&decision.csrf)?;
    utilisateur.exiger_admin(REFUS_ADMIN)?;
    let admin = utilisateur.compte.id;
    let fait = match (objet, decision.decision.as_str()) {
        (Objet::Partenariat(_), "valider") => Fait::PartenariatValide,
        (Objet::Partenariat(_), _) => Fait::PartenariatRenvoye,
        (Objet::Action(_), "valider") => Fait::ActionValidee,
        (Objet::Action(_), _) => Fait::ActionRenvoyee,
    };
    let id = match objet {
        Objet::Partenariat(p) => p.0,
        Objet::Action(a) => a.0,
    };
    if decision.decision == "renvoyer" && decision.commentaire.trim().is_empty() {
        return super::revue::sans_commentaire(etat, utilisateur, objet).await;
    }
    let site = etat.courrier.as_ref().map(|c| c.site().to_owned());
    let email_admin = utilisateur.compte.email.clone();
    etat.ecrire(move |conn| {
        let commentaire = match decision.decision.as_str() {
            "valider" => {
                validation::valider(conn, objet, admin)?;
                None
            }
            "renvoyer" => {
                validation::renvoyer(conn, objet, admin, &decision.commentaire)?;
                Some(decision.commentaire.trim())
            }
            autre => {
                return Err(WebError::Requete(format!(
                    "Décision « {} » inconnue : « valider » ou « renvoyer » sont attendues.",
                    Extrait(autre)
                )));
            }
        };
        if let Some(site) = site {
            aviser(conn, &site, objet, commentaire, &email_admin)?;
        }
        Ok(())
    })
    .await?;
    if let Some(c) = &etat.courrier {
        c.reveiller();
    }
    Ok(message::rediriger(
        "/espace/validation",
        fait,
        id,
        etat.cookie_securise,
    ))
}

/// Queues the notice of a decision for the account that declared the record, in the
/// decision's transaction: an active account other than the deciding administrator's.
fn aviser(
    conn: &rusqlite::Connection,
    site: &str,
    objet: Objet,
    commentaire: Option<&str>,
    email_admin: &crate::model::Email,
) -> Result<(), WebError> {
    let Some(par) = validation::declarant(conn, objet)? else {
        return Ok(());
    };
    let destinataire = match crate::model::Email::new(&par) {
        Ok(e) if &e != email_admin => e,
        _ => return Ok(()),
    };
    if !crate::store::compte::par_email(conn, &destinataire)?.is_some_and(|(c, _)| c.actif) {
        return Ok(());
    }
    let (titre, _) = validation::titre(conn, objet)?;
    let (quoi, lien) = match (objet, commentaire) {
        (Objet::Partenariat(p), _) => ("du partenariat", format!("{site}/partenariats/{}", p.0)),
        (Objet::Action(a), None) => ("de l'action", format!("{site}/actions/{}", a.0)),
        (Objet::Action(a), Some(_)) => ("de l'action", format!("{site}/espace/actions/{}", a.0)),
    };
    crate::store::courriel::mettre_en_file(
        conn,
        &crate::courriel::textes::decision(
            site,
            destinataire.as_str(),
            &crate::courriel::textes::Decision {
                quoi,
                titre: &titre,
                commentaire,
                lien,
            },
        ),
    )?;
    Ok(())
}
