//! `/api/v1/partenariats`: the web list's filters (same names, same meaning) and one
//! partenariat with everything its page shows.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Serialize;

use super::erreur::ErreurApi;
use super::json::{self, ActionResumeJson, CollectiviteJson, PartenariatResumeJson, TotalJson};
use super::reponse::{self, IdSeul, Liste, Requete};
use crate::model::PartenariatId;
use crate::store::partenariat;
use crate::web::{AppState, format};

pub async fn liste(
    State(etat): State<AppState>,
    entetes: HeaderMap,
    requete: Requete,
) -> Result<Response, ErreurApi> {
    let (params, page) = requete.liste(&["pays", "region", "etape", "statut", "q", "tri"])?;
    let mut query = crate::web::partenariats::filtres(params)?;
    query.page = page;
    let region = params.texte("region").map(str::to_owned);
    let tenu = etat.apercu_tenu.clone();
    let resultats = etat
        .lire(move |conn| crate::web::partenariats::lister(conn, &tenu, query, region.as_deref()))
        .await?;
    reponse::json(
        &entetes,
        &Liste::depuis(resultats, PartenariatResumeJson::from),
    )
}

#[derive(Serialize)]
struct Etape {
    etape: &'static str,
    depuis: String,
    note: Option<String>,
}

#[derive(Serialize)]
struct Convention {
    intitule: String,
    signee_le: Option<String>,
    duree_mois: Option<u32>,
    reconduction: &'static str,
    /// The end implied by signature and duration, or null.
    echeance: Option<String>,
    document: Option<String>,
}

#[derive(Serialize)]
struct Intermediaire {
    acteur_id: i64,
    nom: String,
    role: &'static str,
    precision: Option<String>,
}

#[derive(Serialize)]
struct Fiche {
    id: i64,
    titre: String,
    description: Option<String>,
    statut: &'static str,
    source: Option<String>,
    demonstration: bool,
    modifie_le: String,
    confirme_le: Option<String>,
    /// The étape reached today, or null.
    etape_actuelle: Option<&'static str>,
    /// A foreign party has no Malian party of a similar level.
    niveaux_asymetriques: bool,
    parties: Vec<CollectiviteJson>,
    etapes: Vec<Etape>,
    conventions: Vec<Convention>,
    intermediaires: Vec<Intermediaire>,
    actions: Vec<ActionResumeJson>,
    totaux: Vec<TotalJson>,
}

pub async fn fiche(
    State(etat): State<AppState>,
    entetes: HeaderMap,
    IdSeul(id): IdSeul,
) -> Result<Response, ErreurApi> {
    let id = PartenariatId(id);
    let introuvable = format!("Aucun partenariat ne porte le numéro {id}.");
    let f = reponse::un(&etat, introuvable, move |conn| {
        partenariat::fiche(conn, id, format::aujourd_hui())
    })
    .await?;
    let p = &f.partenariat;
    let fiche = Fiche {
        id: p.id.0,
        titre: p.titre.clone(),
        description: p.description.clone(),
        statut: p.statut.code(),
        source: p.source.clone(),
        demonstration: p.demonstration,
        modifie_le: json::instant(p.modifie_le),
        confirme_le: p.confirme_le.map(json::date),
        etape_actuelle: f.etape_actuelle.map(|e| e.code()),
        niveaux_asymetriques: f.parties.niveaux_asymetriques(),
        parties: json::collectivites(&f.parties.0),
        etapes: f
            .etapes
            .etapes()
            .iter()
            .map(|e| Etape {
                etape: e.etape.code(),
                depuis: json::date(e.depuis),
                note: e.note.clone(),
            })
            .collect(),
        conventions: f
            .conventions
            .iter()
            .map(|c| Convention {
                intitule: c.intitule.clone(),
                signee_le: c.signee_le.map(json::date),
                duree_mois: c.duree_mois,
                reconduction: c.reconduction.code(),
                echeance: c.echeance().map(json::date),
                document: c.document.clone(),
            })
            .collect(),
        intermediaires: f
            .intermediaires
            .iter()
            .map(|i| Intermediaire {
                acteur_id: i.acteur.0,
                nom: i.nom.clone(),
                role: i.role.code(),
                precision: i.precision.clone(),
            })
            .collect(),
        actions: json::actions(f.actions.clone()),
        totaux: json::totaux(&f.totaux),
    };
    reponse::json(&entetes, &fiche)
}
