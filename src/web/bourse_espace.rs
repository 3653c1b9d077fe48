//! La bourse aux partenariats in the contributors' space: a Malian collectivité's account
//! publishes a demande, a foreign collectivité's or an acteur's account an offre; both
//! follow them and the interest they raise; administrators review them and see every
//! expression of interest; either side turns an agreed pair into a declared partenariat.

use askama::Template;
use axum::Form;
use axum::body::Bytes;
use axum::extract::rejection::FormRejection;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{Redirect, Response};
use serde::Deserialize;
use time::Date;

use super::bourse::{parle_pour_demande, parle_pour_offre};
use super::espace::{formulaire, prive};
use super::format::{self, Html};
use super::formulaire::{Erreurs, depuis_modele};
use super::message::{self, Fait};
use super::params::Parametres;
use super::session::Utilisateur;
use super::{AppState, WebError};
use crate::model::bourse::{
    Annonce, Capacite, DOMAINES_MAX, Demande, DemandeId, Langue, Offre, OffreId,
};
use crate::model::{
    ActeurId, Axe, Code, Collectivite, CollectiviteId, Compte, Devise, Domaine, ErreurModele,
    Niveau, ObjectifId, PartenariatId, Pays, Role,
};
use crate::store::bourse::{self, Annonceur, Cote, DemandeLue, Interet, OffreLue, Origine};
use crate::store::{acteur, collectivite, pdesc};

/// Whether a page or form is about a demande or an offre.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Genre {
    Demande,
    Offre,
}

impl Genre {
    /// The path's segment: `demandes` or `offres`.
    fn segment(self) -> &'static str {
        match self {
            Genre::Demande => "demandes",
            Genre::Offre => "offres",
        }
    }

    fn depuis_segment(segment: &str) -> Result<Genre, WebError> {
        match segment {
            "demandes" => Ok(Genre::Demande),
            "offres" => Ok(Genre::Offre),
            autre => Err(WebError::Introuvable(format!(
                "La bourse aux partenariats n'a pas de « {autre} » : des demandes et des offres."
            ))),
        }
    }

    fn annonce(self, id: i64) -> Annonceur {
        match self {
            Genre::Demande => Annonceur::Demande(DemandeId(id)),
            Genre::Offre => Annonceur::Offre(OffreId(id)),
        }
    }
}

/// `/espace/bourse/{demandes|offres}/…`: which kind.
pub struct GenreChemin(Genre);

impl<S: Send + Sync> FromRequestParts<S> for GenreChemin {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(genre) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|e| WebError::Requete(format!("Adresse illisible : {e}.")))?;
        Ok(GenreChemin(Genre::depuis_segment(&genre)?))
    }
}

/// `/espace/bourse/{demandes|offres}/{id}…`: which annonce.
pub struct AnnonceChemin(Genre, i64);

impl<S: Send + Sync> FromRequestParts<S> for AnnonceChemin {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path((genre, id)) = Path::<(String, String)>::from_request_parts(parts, state)
            .await
            .map_err(|e| WebError::Requete(format!("Adresse illisible : {e}.")))?;
        let genre = Genre::depuis_segment(&genre)?;
        match id.parse::<i64>() {
            Ok(id) if id > 0 => Ok(AnnonceChemin(genre, id)),
            _ => Err(WebError::Requete(format!(
                "« {id} » n'est pas un numéro d'annonce : un nombre entier positif est attendu."
            ))),
        }
    }
}

/// The form's fields as typed; the lists (`domaine`, `axe`, `langue`, `capacite`,
/// `region`) repeat.
#[derive(Debug, Default, Clone)]
pub struct Saisie {
    csrf: String,
    titre: String,
    description: String,
    domaines: Vec<String>,
    axes: Vec<String>,
    langues: Vec<String>,
    objectif: String,
    niveau_souhaite: String,
    pays_souhaite: String,
    ouverte_jusqu_au: String,
    capacites: Vec<String>,
    financement_de: String,
    financement_a: String,
    devise: String,
    regions: Vec<String>,
    /// For an acteur's offre: the foreign collectivité it works with, if any.
    collectivite: String,
}

impl Saisie {
    /// Reads an URL-encoded body, keeping the repeated fields.
    fn depuis(corps: &[u8]) -> Result<Saisie, WebError> {
        let paires = super::espace::champs(corps)?;
        let mut s = Saisie::default();
        for (cle, valeur) in paires {
            let champ = match cle.as_str() {
                "csrf" => &mut s.csrf,
                "titre" => &mut s.titre,
                "description" => &mut s.description,
                "objectif" => &mut s.objectif,
                "niveau_souhaite" => &mut s.niveau_souhaite,
                "pays_souhaite" => &mut s.pays_souhaite,
                "ouverte_jusqu_au" => &mut s.ouverte_jusqu_au,
                "financement_de" => &mut s.financement_de,
                "financement_a" => &mut s.financement_a,
                "devise" => &mut s.devise,
                "collectivite" => &mut s.collectivite,
                liste => {
                    let liste = match liste {
                        "domaine" => &mut s.domaines,
                        "axe" => &mut s.axes,
                        "langue" => &mut s.langues,
                        "capacite" => &mut s.capacites,
                        "region" => &mut s.regions,
                        _ => continue,
                    };
                    liste.push(valeur);
                    continue;
                }
            };
            *champ = valeur;
        }
        Ok(s)
    }

    /// An empty form: French, open six months.
    fn nouvelle(aujourd_hui: Date) -> Saisie {
        Saisie {
            langues: vec![Langue::Francais.code().to_owned()],
            ouverte_jusqu_au: (aujourd_hui + time::Duration::days(183)).to_string(),
            devise: Devise::Eur.code().to_owned(),
            ..Saisie::default()
        }
    }

    fn de_la_demande(d: &DemandeLue) -> Saisie {
        let a = &d.demande.annonce;
        Saisie {
            titre: a.titre.clone(),
            description: a.description.clone(),
            domaines: codes(&a.domaines),
            axes: codes(&d.demande.axes),
            langues: codes(&a.langues),
            objectif: d
                .objectif
                .as_ref()
                .map(|o| o.0.to_string())
                .unwrap_or_default(),
            niveau_souhaite: d
                .demande
                .niveau_souhaite
                .map(|n| n.code().to_owned())
                .unwrap_or_default(),
            pays_souhaite: d
                .demande
                .pays_souhaite
                .as_ref()
                .map(|p| p.code().to_owned())
                .unwrap_or_default(),
            ouverte_jusqu_au: a.ouverte_jusqu_au.to_string(),
            ..Saisie::default()
        }
    }

    fn de_l_offre(o: &OffreLue) -> Saisie {
        let a = &o.offre.annonce;
        let (de, a_, devise) = match &o.offre.financement {
            Some((de, a)) => (de.to_string(), a.to_string(), de.devise().code().to_owned()),
            None => (String::new(), String::new(), Devise::Eur.code().to_owned()),
        };
        Saisie {
            titre: a.titre.clone(),
            description: a.description.clone(),
            domaines: codes(&a.domaines),
            langues: codes(&a.langues),
            ouverte_jusqu_au: a.ouverte_jusqu_au.to_string(),
            capacites: codes(&o.offre.capacites),
            financement_de: de,
            financement_a: a_,
            devise,
            regions: o
                .offre
                .regions_connues
                .iter()
                .map(|r| r.to_string())
                .collect(),
            collectivite: match (&o.acteur, &o.collectivite) {
                (Some(_), Some(c)) => c.id.to_string(),
                _ => String::new(),
            },
            ..Saisie::default()
        }
    }

    /// Whether `valeur` is ticked in the list `liste` (for the templates).
    fn coche(&self, liste: &str, valeur: &str) -> bool {
        let liste = match liste {
            "domaine" => &self.domaines,
            "axe" => &self.axes,
            "langue" => &self.langues,
            "capacite" => &self.capacites,
            _ => &self.regions,
        };
        liste.iter().any(|v| v == valeur)
    }

    /// The part both kinds share, or the messages of what is wrong.
    fn annonce(&self, erreurs: &mut Erreurs) -> Annonce {
        let ouverte_jusqu_au =
            super::formulaire::date("ouverte_jusqu_au", &self.ouverte_jusqu_au, erreurs);
        if ouverte_jusqu_au.is_none() && self.ouverte_jusqu_au.trim().is_empty() {
            erreurs.push((
                "ouverte_jusqu_au",
                "Indiquez jusqu'à quand l'annonce est ouverte.".to_owned(),
            ));
        }
        Annonce {
            titre: self.titre.clone(),
            description: self.description.clone(),
            domaines: liste("domaine", &self.domaines, erreurs),
            langues: liste("langue", &self.langues, erreurs),
            ouverte_jusqu_au: ouverte_jusqu_au.unwrap_or(Date::MIN),
        }
    }

    fn demande(&self, erreurs: &mut Erreurs) -> (Demande, Option<ObjectifId>) {
        let annonce = self.annonce(erreurs);
        let niveau_souhaite = facultatif(&self.niveau_souhaite)
            .and_then(|c| super::formulaire::vocabulaire("niveau_souhaite", c, erreurs));
        let pays_souhaite = facultatif(&self.pays_souhaite).and_then(|c| {
            Pays::new(c)
                .map_err(|e| erreurs.push(("pays_souhaite", depuis_modele(&e, "Pays"))))
                .ok()
        });
        let objectif = facultatif(&self.objectif).and_then(|t| match t.parse::<i64>() {
            Ok(id) => Some(ObjectifId(id)),
            Err(_) => {
                erreurs.push((
                    "objectif",
                    "Choisissez un objectif dans la liste.".to_owned(),
                ));
                None
            }
        });
        (
            Demande {
                annonce,
                axes: liste("axe", &self.axes, erreurs),
                niveau_souhaite,
                pays_souhaite,
            },
            objectif,
        )
    }

    fn offre(&self, erreurs: &mut Erreurs) -> (Offre, Option<CollectiviteId>) {
        let annonce = self.annonce(erreurs);
        let devise = super::formulaire::vocabulaire::<Devise>("devise", &self.devise, erreurs);
        let financement = match (
            facultatif(&self.financement_de),
            facultatif(&self.financement_a),
        ) {
            (None, None) => None,
            (de, a) => {
                let lire = |champ, texte: Option<&str>, erreurs: &mut Erreurs| match texte {
                    Some(t) => {
                        devise.and_then(|d| super::formulaire::montant(champ, t, d, erreurs))
                    }
                    None => {
                        erreurs.push((
                            champ,
                            "Indiquez les deux bornes de la fourchette, ou aucune.".to_owned(),
                        ));
                        None
                    }
                };
                let de = lire("financement_de", de, erreurs);
                let a = lire("financement_a", a, erreurs);
                de.zip(a)
            }
        };
        let mut regions = Vec::new();
        for r in &self.regions {
            match r.parse::<i64>() {
                Ok(id) => regions.push(CollectiviteId(id)),
                Err(_) => erreurs.push(("regions", "Cochez des régions de la liste.".to_owned())),
            }
        }
        let collectivite = facultatif(&self.collectivite).and_then(|t| match t.parse::<i64>() {
            Ok(id) => Some(CollectiviteId(id)),
            Err(_) => {
                erreurs.push((
                    "collectivite",
                    "Choisissez une collectivité de la liste.".to_owned(),
                ));
                None
            }
        });
        (
            Offre {
                annonce,
                capacites: liste("capacite", &self.capacites, erreurs),
                financement,
                regions_connues: regions,
            },
            collectivite,
        )
    }
}

fn codes<T: Code>(valeurs: &[T]) -> Vec<String> {
    valeurs.iter().map(|v| v.code().to_owned()).collect()
}

fn facultatif(texte: &str) -> Option<&str> {
    Some(texte.trim()).filter(|t| !t.is_empty())
}

/// Reads a ticked list; an unknown code (an old page) is said on the list's fieldset.
fn liste<T: Code>(champ: &'static str, codes: &[String], erreurs: &mut Erreurs) -> Vec<T> {
    let mut valeurs = Vec::new();
    for code in codes {
        match T::depuis_code(code) {
            Ok(v) => valeurs.push(v),
            Err(_) => erreurs.push((
                fieldset(champ),
                "Cochez des valeurs de la liste.".to_owned(),
            )),
        }
    }
    valeurs
}

/// The fieldset a list's messages belong to.
fn fieldset(champ: &str) -> &'static str {
    match champ {
        "domaine" => "domaines",
        "axe" => "axes",
        "langue" => "langues",
        "capacite" => "capacites",
        _ => "regions",
    }
}

/// The field a model rule belongs to, and its label.
fn champ_de(e: &ErreurModele, genre: Genre) -> (&'static str, &'static str) {
    let description = match genre {
        Genre::Demande => ("description", "Le besoin"),
        Genre::Offre => ("description", "L'expertise"),
    };
    match e {
        ErreurModele::ChampVide("titre") | ErreurModele::ChampTropLong { champ: "titre", .. } => {
            ("titre", "Titre")
        }
        ErreurModele::ChampVide("domaines")
        | ErreurModele::TropDeChoix {
            champ: "domaines", ..
        } => ("domaines", "Domaines"),
        ErreurModele::ChampVide("langues") => ("langues", "Langues de travail"),
        ErreurModele::ChampVide("ce que vous pouvez apporter")
        | ErreurModele::FinancementSansCapacite => ("capacites", "Ce que vous pouvez apporter"),
        ErreurModele::FourchetteInvalide => ("financement_de", "Financement"),
        ErreurModele::EcheanceHorsBornes { .. } => ("ouverte_jusqu_au", "Ouverte jusqu'au"),
        ErreurModele::PartenaireMalien => ("pays_souhaite", "Pays du partenaire"),
        ErreurModele::RegleBourse(m) if m.contains("régions connues") => {
            ("regions", "Régions du Mali que vous connaissez")
        }
        ErreurModele::RegleBourse(m) if m.contains("objectif") => ("objectif", "Objectif du PDESC"),
        ErreurModele::RegleBourse(_) => ("collectivite", "Collectivité"),
        _ => description,
    }
}

#[derive(Template)]
#[template(path = "bourse_formulaire.html")]
pub struct PageFormulaire {
    csrf: String,
    genre: Genre,
    /// Where the form posts.
    cible: String,
    /// « commune de Sadiola », or the acteur's name.
    auteur: String,
    /// Whether it changes a published one (sent back to review).
    modification: bool,
    saisie: Saisie,
    erreurs: Erreurs,
    objectifs: Vec<(ObjectifId, String)>,
    regions: Vec<Collectivite>,
    /// For an acteur: the foreign collectivités it works with.
    liees: Vec<Collectivite>,
    domaines_max: usize,
}

impl PageFormulaire {
    fn demande(&self) -> bool {
        self.genre == Genre::Demande
    }

    fn domaines(&self) -> &'static [Domaine] {
        Domaine::TOUS
    }

    fn axes(&self) -> &'static [Axe] {
        Axe::TOUS
    }

    fn langues(&self) -> &'static [Langue] {
        Langue::TOUS
    }

    fn capacites(&self) -> &'static [Capacite] {
        Capacite::TOUS
    }

    fn devises(&self) -> &'static [Devise] {
        Devise::TOUS
    }

    fn niveaux(&self) -> [Niveau; 4] {
        [
            Niveau::Commune,
            Niveau::Departement,
            Niveau::Region,
            Niveau::Epci,
        ]
    }
}

/// Who a new annonce is published for, from the query (`?collectivite=` or `?acteur=`),
/// checked against the account.
#[derive(Debug, Clone, Copy)]
enum Pour {
    Collectivite(CollectiviteId),
    Acteur(ActeurId),
}

fn pour(params: &Parametres) -> Result<Pour, WebError> {
    let nombre = |nom: &str| -> Result<Option<i64>, WebError> {
        params
            .texte(nom)
            .map(|t| {
                t.parse::<i64>().map_err(|_| {
                    WebError::Requete(format!(
                        "Paramètre « {nom} » : « {t} » n'est pas un numéro."
                    ))
                })
            })
            .transpose()
    };
    match (nombre("collectivite")?, nombre("acteur")?) {
        (Some(c), None) => Ok(Pour::Collectivite(CollectiviteId(c))),
        (None, Some(a)) => Ok(Pour::Acteur(ActeurId(a))),
        _ => Err(WebError::Requete(
            "Indiquez pour qui publier : « collectivite=numéro » ou « acteur=numéro ».".to_owned(),
        )),
    }
}

/// What a form needs besides the typed fields: who it is for, the PDESC objectives of a
/// Malian collectivité, the régions, an acteur's collectivités.
struct Contexte {
    auteur: String,
    objectifs: Vec<(ObjectifId, String)>,
    regions: Vec<Collectivite>,
    liees: Vec<Collectivite>,
}

fn contexte(
    conn: &rusqlite::Connection,
    compte: &Compte,
    genre: Genre,
    pour: Pour,
) -> Result<Contexte, WebError> {
    let interdit = |qui: &str| {
        WebError::Interdit(format!(
            "Votre compte n'agit pas au nom de {qui} : seul un compte de cette collectivité ou de cet acteur, ou un administrateur national, publie pour lui."
        ))
    };
    let regions = collectivite::regions_maliennes(conn)?;
    match (genre, pour) {
        (Genre::Demande, Pour::Collectivite(id)) => {
            let c = collectivite::par_id(conn, id)?.ok_or_else(|| {
                WebError::Introuvable(format!("Aucune collectivité ne porte le numéro {id}."))
            })?;
            if !crate::acces::peut_agir_pour(compte, id) {
                return Err(interdit(&c.designation()));
            }
            if !c.pays.est_mali() {
                return Err(WebError::Requete(format!(
                    "Une demande vient d'une collectivité malienne : {} publie plutôt une offre.",
                    c.designation()
                )));
            }
            let objectifs = pdesc::de_la_collectivite(conn, id)?
                .map(|p| p.objectifs.into_iter().map(|o| (o.id, o.libelle)).collect())
                .unwrap_or_default();
            Ok(Contexte {
                auteur: c.intitule(),
                objectifs,
                regions,
                liees: Vec::new(),
            })
        }
        (Genre::Offre, Pour::Collectivite(id)) => {
            let c = collectivite::par_id(conn, id)?.ok_or_else(|| {
                WebError::Introuvable(format!("Aucune collectivité ne porte le numéro {id}."))
            })?;
            if !crate::acces::peut_agir_pour(compte, id) {
                return Err(interdit(&c.designation()));
            }
            if c.pays.est_mali() {
                return Err(WebError::Requete(format!(
                    "Une offre vient de l'étranger : {} publie plutôt une demande.",
                    c.designation()
                )));
            }
            Ok(Contexte {
                auteur: c.intitule(),
                objectifs: Vec::new(),
                regions,
                liees: Vec::new(),
            })
        }
        (Genre::Offre, Pour::Acteur(id)) => {
            let a = acteur::par_id(conn, id)?.ok_or_else(|| {
                WebError::Introuvable(format!("Aucun acteur ne porte le numéro {id}."))
            })?;
            let permis = compte.actif
                && (compte.role == Role::AdminNational
                    || (compte.role == Role::Acteur && compte.acteurs.contains(&id)));
            if !permis {
                return Err(interdit(&a.nom));
            }
            let liees = bourse::collectivites_de_l_acteur(conn, id)?
                .into_iter()
                .map(|c| collectivite::requise(conn, c))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Contexte {
                auteur: a.nom,
                objectifs: Vec::new(),
                regions,
                liees,
            })
        }
        (Genre::Demande, Pour::Acteur(_)) => Err(WebError::Requete(
            "Une demande vient d'une collectivité malienne, pas d'une association.".to_owned(),
        )),
    }
}

fn page(
    utilisateur: &Utilisateur,
    genre: Genre,
    cible: String,
    modification: bool,
    ctx: Contexte,
    saisie: Saisie,
    erreurs: Erreurs,
) -> PageFormulaire {
    PageFormulaire {
        csrf: utilisateur.csrf.clone(),
        genre,
        cible,
        auteur: ctx.auteur,
        modification,
        saisie,
        erreurs,
        objectifs: ctx.objectifs,
        regions: ctx.regions,
        liees: ctx.liees,
        domaines_max: DOMAINES_MAX,
    }
}

fn cible_nouvelle(genre: Genre, pour: Pour) -> String {
    let segment = genre.segment();
    match pour {
        Pour::Collectivite(id) => format!("/espace/bourse/{segment}/nouvelle?collectivite={id}"),
        Pour::Acteur(id) => format!("/espace/bourse/{segment}/nouvelle?acteur={id}"),
    }
}

pub async fn formulaire_nouvelle(
    State(etat): State<AppState>,
    utilisateur: Utilisateur,
    GenreChemin(genre): GenreChemin,
    params: Parametres,
) -> Result<Response, WebError> {
    let pour = pour(&params)?;
    let compte = utilisateur.compte.clone();
    let ctx = etat
        .lire(move |conn| contexte(conn, &compte, genre, pour))
        .await?;
    let saisie = Saisie::nouvelle(format::aujourd_hui());
    Ok(prive(Html(page(
        &utilisateur,
        genre,
        cible_nouvelle(genre, pour),
        false,
        ctx,
        saisie,
        Vec::new(),
    ))))
}

/// A form sent: read, checked, written, or shown again with the messages (422).
async fn enregistrer(
    etat: AppState,
    utilisateur: Utilisateur,
    genre: Genre,
    pour: Pour,
    existante: Option<i64>,
    saisie: Saisie,
) -> Result<Response, WebError> {
    utilisateur.exiger_csrf(&saisie.csrf)?;
    let aujourd_hui = format::aujourd_hui();
    let compte = utilisateur.compte.clone();
    let lue = saisie.clone();
    let resultat = etat
        .ecrire(move |conn| {
            let ctx = contexte(conn, &compte, genre, pour)?;
            let mut erreurs = Erreurs::new();
            let ecrit = match (genre, pour) {
                (Genre::Demande, Pour::Acteur(_)) => {
                    return Err(WebError::Requete(
                        "Une demande vient d'une collectivité malienne, pas d'une association."
                            .to_owned(),
                    ));
                }
                (Genre::Demande, Pour::Collectivite(c)) => {
                    let (d, objectif) = lue.demande(&mut erreurs);
                    if !erreurs.is_empty() {
                        return Ok(Err((ctx, erreurs)));
                    }
                    match existante {
                        Some(id) => bourse::modifier_demande(
                            conn,
                            DemandeId(id),
                            d,
                            objectif,
                            compte.id,
                            aujourd_hui,
                        )
                        .map(|()| id),
                        None => bourse::deposer_demande(
                            conn,
                            c,
                            d,
                            objectif,
                            Some(compte.id),
                            aujourd_hui,
                        )
                        .map(|id| id.0),
                    }
                }
                (Genre::Offre, _) => {
                    let (o, liee) = lue.offre(&mut erreurs);
                    if !erreurs.is_empty() {
                        return Ok(Err((ctx, erreurs)));
                    }
                    let origine = match pour {
                        Pour::Collectivite(c) => Origine {
                            collectivite: Some(c),
                            acteur: None,
                        },
                        Pour::Acteur(a) => Origine {
                            collectivite: liee,
                            acteur: Some(a),
                        },
                    };
                    match existante {
                        Some(id) => bourse::modifier_offre(
                            conn,
                            OffreId(id),
                            o,
                            origine,
                            compte.id,
                            aujourd_hui,
                        )
                        .map(|()| id),
                        None => {
                            bourse::deposer_offre(conn, origine, o, Some(compte.id), aujourd_hui)
                                .map(|id| id.0)
                        }
                    }
                }
            };
            match ecrit {
                Ok(id) => Ok(Ok(id)),
                Err(crate::store::StoreError::Modele(e)) => {
                    let (champ, libelle) = champ_de(&e, genre);
                    Ok(Err((ctx, vec![(champ, depuis_modele(&e, libelle))])))
                }
                Err(autre) => Err(autre.into()),
            }
        })
        .await?;
    let cible = match existante {
        Some(id) => chemin(genre, id),
        None => cible_nouvelle(genre, pour),
    };
    match resultat {
        Ok(id) => {
            let fait = match (genre, existante.is_some()) {
                (Genre::Demande, false) => Fait::DemandePubliee,
                (Genre::Demande, true) => Fait::DemandeModifiee,
                (Genre::Offre, false) => Fait::OffrePubliee,
                (Genre::Offre, true) => Fait::OffreModifiee,
            };
            Ok(message::rediriger(
                "/espace/bourse",
                fait,
                id,
                etat.cookie_securise,
            ))
        }
        Err((ctx, erreurs)) => Ok(prive((
            StatusCode::UNPROCESSABLE_ENTITY,
            Html(page(
                &utilisateur,
                genre,
                cible,
                existante.is_some(),
                ctx,
                saisie,
                erreurs,
            )),
        ))),
    }
}

/// The space's page of one annonce (its form).
fn chemin(genre: Genre, id: i64) -> String {
    format!("/espace/bourse/{}/{id}", genre.segment())
}

pub async fn publier(
    State(etat): State<AppState>,
    utilisateur: Utilisateur,
    GenreChemin(genre): GenreChemin,
    params: Parametres,
    corps: Bytes,
) -> Result<Response, WebError> {
    let saisie = Saisie::depuis(&corps)?;
    enregistrer(etat, utilisateur, genre, pour(&params)?, None, saisie).await
}

/// Who an existing annonce is for, and its typed values.
async fn existante(etat: &AppState, genre: Genre, id: i64) -> Result<(Pour, Saisie), WebError> {
    etat.lire(move |conn| match genre {
        Genre::Demande => {
            let d = bourse::requise_demande(conn, DemandeId(id))?;
            Ok((
                Pour::Collectivite(d.collectivite.id),
                Saisie::de_la_demande(&d),
            ))
        }
        Genre::Offre => {
            let o = bourse::requise_offre(conn, OffreId(id))?;
            let pour = match (&o.acteur, &o.collectivite) {
                (Some((a, _, _)), _) => Pour::Acteur(*a),
                (None, Some(c)) => Pour::Collectivite(c.id),
                (None, None) => {
                    return Err(WebError::Interne(format!("offre n° {id} sans auteur")));
                }
            };
            Ok((pour, Saisie::de_l_offre(&o)))
        }
    })
    .await
}

pub async fn formulaire_existante(
    State(etat): State<AppState>,
    utilisateur: Utilisateur,
    AnnonceChemin(genre, id): AnnonceChemin,
) -> Result<Response, WebError> {
    let (pour, saisie) = existante(&etat, genre, id).await?;
    let compte = utilisateur.compte.clone();
    let ctx = etat
        .lire(move |conn| contexte(conn, &compte, genre, pour))
        .await?;
    Ok(prive(Html(page(
        &utilisateur,
        genre,
        chemin(genre, id),
        true,
        ctx,
        saisie,
        Vec::new(),
    ))))
}

pub async fn modifier(
    State(etat): State<AppState>,
    utilisateur: Utilisateur,
    AnnonceChemin(genre, id): AnnonceChemin,
    corps: Bytes,
) -> Result<Response, WebError> {
    let saisie = Saisie::depuis(&corps)?;
    let (pour, _) = existante(&etat, genre, id).await?;
    enregistrer(etat, utilisateur, genre, pour, Some(id), saisie).await
}

/// Checks that `compte` speaks for the annonce, and returns its title.
fn titre_si_permis(
    conn: &rusqlite::Connection,
    compte: &Compte,
    annonce: Annonceur,
) -> Result<String, WebError> {
    let (titre, permis) = match annonce {
        Annonceur::Demande(id) => {
            let d = bourse::requise_demande(conn, id)?;
            (
                d.demande.annonce.titre.clone(),
                parle_pour_demande(compte, &d),
            )
        }
        Annonceur::Offre(id) => {
            let o = bourse::requise_offre(conn, id)?;
            (o.offre.annonce.titre.clone(), parle_pour_offre(compte, &o))
        }
    };
    if !permis {
        return Err(WebError::Interdit(format!(
            "Votre compte n'agit pas au nom de l'auteur de « {titre} »."
        )));
    }
    Ok(titre)
}

/// Its author (or an administrator) withdraws an open annonce.
pub async fn retirer(
    State(etat): State<AppState>,
    utilisateur: Utilisateur,
    AnnonceChemin(genre, id): AnnonceChemin,
    form: Result<Form<super::espace::Jeton>, FormRejection>,
) -> Result<Response, WebError> {
    utilisateur.exiger_csrf(&formulaire(form)?.csrf)?;
    let annonce = genre.annonce(id);
    let compte = utilisateur.compte.clone();
    etat.ecrire(move |conn| {
        titre_si_permis(conn, &compte, annonce)?;
        Ok(bourse::retirer(conn, annonce, compte.id)?)
    })
    .await?;
    let fait = match genre {
        Genre::Demande => Fait::DemandeRetiree,
        Genre::Offre => Fait::OffreRetiree,
    };
    Ok(message::rediriger(
        "/espace/bourse",
        fait,
        id,
        etat.cookie_securise,
    ))
}

/// An administrator's decision on a waiting annonce.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Decision {
    csrf: String,
    /// `valider` or `renvoyer`.
    decision: String,
    commentaire: String,
}

pub async fn decider(
    State(etat): State<AppState>,
    utilisateur: Utilisateur,
    AnnonceChemin(genre, id): AnnonceChemin,
    form: Result<Form<Decision>, FormRejection>,
) -> Result<Response, WebError> {
    let annonce = genre.annonce(id);
    let d = formulaire(form)?;
    utilisateur.exiger_csrf(&d.csrf)?;
    utilisateur
        .exiger_admin("Seul un administrateur national valide les annonces de la bourse.")?;
    let admin = utilisateur.compte.id;
    let valider = match d.decision.as_str() {
        "valider" => true,
        "renvoyer" => false,
        autre => {
            return Err(WebError::Requete(format!(
                "Décision « {autre} » inconnue : « valider » ou « renvoyer »."
            )));
        }
    };
    let commentaire = d.commentaire;
    etat.ecrire(move |conn| {
        if valider {
            Ok(bourse::valider(conn, annonce, admin)?)
        } else {
            Ok(bourse::renvoyer(conn, annonce, admin, &commentaire)?)
        }
    })
    .await?;
    let fait = match (genre, valider) {
        (Genre::Demande, true) => Fait::DemandeValidee,
        (Genre::Demande, false) => Fait::DemandeRenvoyee,
        (Genre::Offre, true) => Fait::OffreValidee,
        (Genre::Offre, false) => Fait::OffreRenvoyee,
    };
    Ok(message::rediriger(
        "/espace/bourse",
        fait,
        id,
        etat.cookie_securise,
    ))
}

/// A pair, as the interest and conversion forms send it.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Paire {
    csrf: String,
    demande: String,
    offre: String,
    /// For an interest: `demande` or `offre`, the side the account speaks for.
    cote: String,
    message: String,
}

impl Paire {
    fn ids(&self) -> Result<(DemandeId, OffreId), WebError> {
        let lire = |nom: &str, texte: &str| {
            texte.trim().parse::<i64>().map_err(|_| {
                WebError::Requete(format!(
                    "Champ « {nom} » : « {texte} » n'est pas un numéro."
                ))
            })
        };
        Ok((
            DemandeId(lire("demande", &self.demande)?),
            OffreId(lire("offre", &self.offre)?),
        ))
    }
}

/// An account says, for its side, that a proposed pair interests it; back to the page it
/// came from.
pub async fn interet(
    State(etat): State<AppState>,
    utilisateur: Utilisateur,
    form: Result<Form<Paire>, FormRejection>,
) -> Result<Response, WebError> {
    let p = formulaire(form)?;
    utilisateur.exiger_csrf(&p.csrf)?;
    let (demande, offre) = p.ids()?;
    let cote = match p.cote.as_str() {
        "demande" => Cote::Demande,
        "offre" => Cote::Offre,
        autre => {
            return Err(WebError::Requete(format!(
                "Champ « cote » : « {autre} » n'est ni « demande » ni « offre »."
            )));
        }
    };
    let compte = utilisateur.compte.clone();
    let message = facultatif(&p.message).map(str::to_owned);
    let site = etat.courrier.as_ref().map(|c| c.site().to_owned());
    etat.ecrire(move |conn| {
        if compte.role == Role::AdminNational {
            return Err(WebError::Interdit(
                "Un administrateur national voit les intérêts exprimés ; ce sont les deux côtés qui les expriment."
                    .to_owned(),
            ));
        }
        let annonce = match cote {
            Cote::Demande => Annonceur::Demande(demande),
            Cote::Offre => Annonceur::Offre(offre),
        };
        titre_si_permis(conn, &compte, annonce)?;
        bourse::exprimer_interet(
            conn,
            (demande, offre),
            cote,
            compte.id,
            message.as_deref(),
            format::aujourd_hui(),
        )?;
        match site {
            Some(site) => aviser(conn, &site, (demande, offre), cote, message.as_deref()),
            None => Ok(()),
        }
    })
    .await?;
    if let Some(c) = &etat.courrier {
        c.reveiller();
    }
    let retour = match cote {
        Cote::Demande => format!("/bourse/offres/{offre}#demandes"),
        Cote::Offre => format!("/bourse/demandes/{demande}#offres"),
    };
    Ok(prive(Redirect::to(&retour)))
}

/// Queues, in the interest's transaction, the notice to the accounts of the other side of
/// the pair, with a link to the page of their annonce where the pair is proposed.
fn aviser(
    conn: &rusqlite::Connection,
    site: &str,
    (demande, offre): (DemandeId, OffreId),
    cote: Cote,
    message: Option<&str>,
) -> Result<(), WebError> {
    let d = bourse::requise_demande(conn, demande)?;
    let o = bourse::requise_offre(conn, offre)?;
    let (autre, autre_cote) = match cote {
        Cote::Demande => (Annonceur::Offre(offre), Cote::Offre),
        Cote::Offre => (Annonceur::Demande(demande), Cote::Demande),
    };
    let reciproque = bourse::interets(conn, Some(&[demande]), None)?
        .iter()
        .any(|i| i.offre == offre && i.cote == autre_cote);
    let (votre, titre, qui, leur_titre, lien) = match cote {
        Cote::Demande => (
            "votre offre",
            &o.offre.annonce.titre,
            d.collectivite.intitule.clone(),
            &d.demande.annonce.titre,
            format!("{site}/bourse/offres/{offre}#demandes"),
        ),
        Cote::Offre => (
            "votre demande",
            &d.demande.annonce.titre,
            o.auteur(),
            &o.offre.annonce.titre,
            format!("{site}/bourse/demandes/{demande}#offres"),
        ),
    };
    let avis = crate::courriel::textes::InteretBourse {
        votre,
        titre,
        qui: &qui,
        leur_titre,
        message,
        reciproque,
        lien,
    };
    for adresse in bourse::adresses_de_l_auteur(conn, autre)? {
        crate::store::courriel::mettre_en_file(
            conn,
            &crate::courriel::textes::interet_bourse(site, &adresse, &avis),
        )?;
    }
    Ok(())
}

/// When both sides said their interest, either of them (or an administrator) declares the
/// partenariat; its history page opens.
pub async fn partenariat(
    State(etat): State<AppState>,
    utilisateur: Utilisateur,
    form: Result<Form<Paire>, FormRejection>,
) -> Result<Response, WebError> {
    let p = formulaire(form)?;
    utilisateur.exiger_csrf(&p.csrf)?;
    let (demande, offre) = p.ids()?;
    let compte = utilisateur.compte.clone();
    let id: PartenariatId = etat
        .ecrire(move |conn| {
            let d = bourse::requise_demande(conn, demande)?;
            let o = bourse::requise_offre(conn, offre)?;
            if !(parle_pour_demande(&compte, &d) || parle_pour_offre(&compte, &o)) {
                return Err(WebError::Interdit(
                    "Seuls les deux côtés de la paire, ou un administrateur national, déclarent ce partenariat."
                        .to_owned(),
                ));
            }
            Ok(bourse::convertir(conn, (demande, offre), compte.id, format::aujourd_hui())?)
        })
        .await?;
    let vers = if utilisateur.compte.role == Role::Acteur {
        "/espace/bourse".to_owned()
    } else {
        format!("/espace/partenariats/{id}/historique")
    };
    Ok(message::rediriger(
        &vers,
        Fait::PartenariatDeclare,
        id.0,
        etat.cookie_securise,
    ))
}

#[derive(Template)]
#[template(path = "espace_bourse.html")]
pub struct PageEspaceBourse {
    csrf: String,
    message: Option<String>,
    admin: bool,
    /// Where the account may publish: its Malian collectivités (demandes), its foreign
    /// ones and its acteurs (offres).
    maliennes: Vec<Collectivite>,
    etrangeres: Vec<Collectivite>,
    acteurs: Vec<(ActeurId, String)>,
    demandes: Vec<DemandeLue>,
    offres: Vec<OffreLue>,
    interets: Vec<Interet>,
    /// For an administrator: the annonces waiting for the review.
    demandes_en_revue: Vec<DemandeLue>,
    offres_en_revue: Vec<OffreLue>,
    aujourd_hui: Date,
}

/// The account's demandes and offres, the interest they raise, and for an administrator the
/// review and every expression of interest.
pub async fn espace(
    State(etat): State<AppState>,
    utilisateur: Utilisateur,
    entetes: axum::http::HeaderMap,
) -> Result<Response, WebError> {
    let compte = utilisateur.compte.clone();
    let aujourd_hui = format::aujourd_hui();
    let page = etat
        .lire(move |conn| {
            let admin = compte.actif && compte.role == Role::AdminNational;
            let mut maliennes = Vec::new();
            let mut etrangeres = Vec::new();
            if compte.role == Role::Collectivite {
                for id in &compte.collectivites {
                    let c = collectivite::requise(conn, *id)?;
                    if c.pays.est_mali() {
                        maliennes.push(c);
                    } else {
                        etrangeres.push(c);
                    }
                }
            }
            let mut acteurs = Vec::new();
            if compte.role == Role::Acteur {
                for id in &compte.acteurs {
                    if let Some(a) = acteur::par_id(conn, *id)? {
                        acteurs.push((a.id, a.nom));
                    }
                }
            }
            let (demandes, offres, interets) = if admin {
                (Vec::new(), Vec::new(), bourse::interets(conn, None, None)?)
            } else {
                let demandes = bourse::demandes(
                    conn,
                    &bourse::Selection {
                        collectivites: Some(maliennes.iter().map(|c| c.id).collect()),
                        ..Default::default()
                    },
                )?;
                let offres: Vec<OffreLue> = bourse::offres(
                    conn,
                    &bourse::Selection {
                        collectivites: Some(etrangeres.iter().map(|c| c.id).collect()),
                        acteurs: Some(acteurs.iter().map(|a| a.0).collect()),
                        ..Default::default()
                    },
                )?
                .into_iter()
                .filter(|o| parle_pour_offre(&compte, o))
                .collect();
                let ids_d: Vec<DemandeId> = demandes.iter().map(|d| d.id).collect();
                let ids_o: Vec<OffreId> = offres.iter().map(|o| o.id).collect();
                let interets = bourse::interets(conn, Some(&ids_d), Some(&ids_o))?;
                (demandes, offres, interets)
            };
            let (demandes_en_revue, offres_en_revue) = if admin {
                let en_revue = bourse::Selection {
                    en_revue: true,
                    ..Default::default()
                };
                (
                    bourse::demandes(conn, &en_revue)?,
                    bourse::offres(conn, &en_revue)?,
                )
            } else {
                (Vec::new(), Vec::new())
            };
            Ok(PageEspaceBourse {
                csrf: String::new(),
                message: message::lire(conn, &entetes)?,
                admin,
                maliennes,
                etrangeres,
                acteurs,
                demandes,
                offres,
                interets,
                demandes_en_revue,
                offres_en_revue,
                aujourd_hui,
            })
        })
        .await?;
    let dit = page.message.is_some();
    Ok(message::dit(
        prive(Html(PageEspaceBourse {
            csrf: utilisateur.csrf,
            ..page
        })),
        dit,
        etat.cookie_securise,
    ))
}
