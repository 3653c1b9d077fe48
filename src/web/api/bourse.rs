//! `/api/v1/bourse/demandes` and `/api/v1/bourse/offres`: what the page /bourse lists, with
//! its filters, and each published demande or offre whatever its état. Never a contact, an
//! account or an expression of interest: those stay in the signed-in space.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Serialize;
use time::Date;

use super::erreur::ErreurApi;
use super::json::{self, MontantJson};
use super::reponse::{self, IdSeul, Liste, Requete};
use crate::model::bourse::{DemandeId, OffreId};
use crate::model::{Code, CollectiviteId, Validation};
use crate::store::Pagine;
use crate::store::bourse::{self, DemandeLue, Lieu, OffreLue};
use crate::web::bourse::Filtres;
use crate::web::{AppState, format};

/// A word of one of benkan's lists: its code and its French label.
#[derive(Serialize)]
struct Vocable {
    code: &'static str,
    libelle: &'static str,
}

fn vocables<T: Code>(valeurs: &[T]) -> Vec<Vocable> {
    valeurs
        .iter()
        .map(|v| Vocable {
            code: v.code(),
            libelle: v.libelle(),
        })
        .collect()
}

#[derive(Serialize)]
struct Region {
    id: i64,
    nom: String,
}

impl From<&(CollectiviteId, String)> for Region {
    fn from((id, nom): &(CollectiviteId, String)) -> Self {
        Region {
            id: id.0,
            nom: nom.clone(),
        }
    }
}

/// The collectivité a demande or an offre comes from.
#[derive(Serialize)]
struct CollectiviteBourse {
    id: i64,
    /// Its name (« Kayes »); `niveau` says which unit.
    nom: String,
    pays: String,
    niveau: &'static str,
    /// Its région, for a Malian collectivité.
    region: Option<Region>,
}

impl From<&Lieu> for CollectiviteBourse {
    fn from(l: &Lieu) -> Self {
        CollectiviteBourse {
            id: l.id.0,
            nom: l.nom.clone(),
            pays: l.pays.code().to_owned(),
            niveau: l.niveau.code(),
            region: l.region.as_ref().map(Region::from),
        }
    }
}

#[derive(Serialize)]
struct DemandeJson {
    id: i64,
    titre: String,
    besoin: String,
    domaines: Vec<Vocable>,
    axes: Vec<Vocable>,
    langues: Vec<Vocable>,
    /// The wording of the PDESC objective it serves, if it names one.
    objectif_pdesc: Option<String>,
    niveau_souhaite: Option<&'static str>,
    pays_souhaite: Option<String>,
    collectivite: CollectiviteBourse,
    ouverte_jusqu_au: String,
    etat: &'static str,
    publiee_le: String,
    page: String,
}

impl DemandeJson {
    fn new(d: DemandeLue, aujourd_hui: Date) -> Self {
        let annonce = &d.demande.annonce;
        DemandeJson {
            id: d.id.0,
            titre: annonce.titre.clone(),
            besoin: annonce.description.clone(),
            domaines: vocables(&annonce.domaines),
            axes: vocables(&d.demande.axes),
            langues: vocables(&annonce.langues),
            objectif_pdesc: d.objectif.as_ref().map(|(_, libelle)| libelle.clone()),
            niveau_souhaite: d.demande.niveau_souhaite.map(|n| n.code()),
            pays_souhaite: d
                .demande
                .pays_souhaite
                .as_ref()
                .map(|p| p.code().to_owned()),
            collectivite: CollectiviteBourse::from(&d.collectivite),
            ouverte_jusqu_au: json::date(annonce.ouverte_jusqu_au),
            etat: d.etat.code_au(&annonce.ouverte_jusqu_au, &aujourd_hui),
            publiee_le: d.cree_le.clone(),
            page: format!("/bourse/demandes/{}", d.id),
        }
    }
}

#[derive(Serialize)]
struct ActeurBourse {
    id: i64,
    nom: String,
    pays: Option<String>,
}

/// The funding an offre can bring, from – to, in its currency.
#[derive(Serialize)]
struct Fourchette {
    de: MontantJson,
    a: MontantJson,
}

#[derive(Serialize)]
struct OffreJson {
    id: i64,
    titre: String,
    expertise: String,
    domaines: Vec<Vocable>,
    langues: Vec<Vocable>,
    capacites: Vec<Vocable>,
    financement: Option<Fourchette>,
    /// Its foreign collectivité: the one that publishes it, or the one its acteur works
    /// with.
    collectivite: Option<CollectiviteBourse>,
    acteur: Option<ActeurBourse>,
    /// The country it comes from.
    pays: Option<String>,
    regions_connues: Vec<Region>,
    ouverte_jusqu_au: String,
    etat: &'static str,
    publiee_le: String,
    page: String,
}

impl OffreJson {
    fn new(o: OffreLue, aujourd_hui: Date) -> Self {
        let annonce = &o.offre.annonce;
        OffreJson {
            id: o.id.0,
            titre: annonce.titre.clone(),
            expertise: annonce.description.clone(),
            domaines: vocables(&annonce.domaines),
            langues: vocables(&annonce.langues),
            capacites: vocables(&o.offre.capacites),
            financement: o.offre.financement.map(|(de, a)| Fourchette {
                de: de.into(),
                a: a.into(),
            }),
            collectivite: o.collectivite.as_ref().map(CollectiviteBourse::from),
            acteur: o.acteur.as_ref().map(|(id, nom, pays)| ActeurBourse {
                id: id.0,
                nom: nom.clone(),
                pays: pays.as_ref().map(|p| p.code().to_owned()),
            }),
            pays: o.pays().as_ref().map(|p| p.code().to_owned()),
            regions_connues: o
                .offre
                .regions_connues
                .iter()
                .zip(&o.regions_connues)
                .map(|(id, nom)| Region {
                    id: id.0,
                    nom: nom.clone(),
                })
                .collect(),
            ouverte_jusqu_au: json::date(annonce.ouverte_jusqu_au),
            etat: o.etat.code_au(&annonce.ouverte_jusqu_au, &aujourd_hui),
            publiee_le: o.cree_le.clone(),
            page: format!("/bourse/offres/{}", o.id),
        }
    }
}

pub async fn demandes(
    State(etat): State<AppState>,
    entetes: HeaderMap,
    requete: Requete,
) -> Result<Response, ErreurApi> {
    let (params, page) = requete.liste(&Filtres::NOMS)?;
    let filtres = Filtres::lire(params)?;
    let aujourd_hui = format::aujourd_hui();
    let toutes = etat
        .lire(move |conn| filtres.demandes(conn, aujourd_hui))
        .await?;
    reponse::json(
        &entetes,
        &Liste::depuis(Pagine::tranche(toutes, page), |d| {
            DemandeJson::new(d, aujourd_hui)
        }),
    )
}

pub async fn offres(
    State(etat): State<AppState>,
    entetes: HeaderMap,
    requete: Requete,
) -> Result<Response, ErreurApi> {
    let (params, page) = requete.liste(&Filtres::NOMS)?;
    let filtres = Filtres::lire(params)?;
    let aujourd_hui = format::aujourd_hui();
    let toutes = etat
        .lire(move |conn| filtres.offres(conn, aujourd_hui))
        .await?;
    reponse::json(
        &entetes,
        &Liste::depuis(Pagine::tranche(toutes, page), |o| {
            OffreJson::new(o, aujourd_hui)
        }),
    )
}

/// A validated demande, whatever its état; one under review is unknown here.
pub async fn demande(
    State(etat): State<AppState>,
    entetes: HeaderMap,
    IdSeul(id): IdSeul,
) -> Result<Response, ErreurApi> {
    let id = DemandeId(id);
    let introuvable = format!("Aucune demande publiée de la bourse ne porte le numéro {id}.");
    let d = reponse::un(&etat, introuvable, move |conn| {
        Ok(bourse::demande(conn, id)?.filter(|d| d.validation == Validation::Valide))
    })
    .await?;
    reponse::json(&entetes, &DemandeJson::new(d, format::aujourd_hui()))
}

/// A validated offre, whatever its état; one under review is unknown here.
pub async fn offre(
    State(etat): State<AppState>,
    entetes: HeaderMap,
    IdSeul(id): IdSeul,
) -> Result<Response, ErreurApi> {
    let id = OffreId(id);
    let introuvable = format!("Aucune offre publiée de la bourse ne porte le numéro {id}.");
    let o = reponse::un(&etat, introuvable, move |conn| {
        Ok(bourse::offre(conn, id)?.filter(|o| o.validation == Validation::Valide))
    })
    .await?;
    reponse::json(&entetes, &OffreJson::new(o, format::aujourd_hui()))
}
