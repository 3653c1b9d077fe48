//! `/api/v1/collectivites`: browse by country, level and parent, or search by name through
//! the resolver (as the web page's search box); one collectivité with its page's content.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Serialize;

use super::erreur::ErreurApi;
use super::json::{self, ActionResumeJson, CollectiviteJson, PartenariatResumeJson, TotalJson};
use super::reponse::{self, Id, Liste, Requete};
use crate::model::{Collectivite, CollectiviteId};
use crate::referentiel::{Portee, Requete as Recherche};
use crate::store::Pagine;
use crate::store::collectivite::{self, CollectiviteQuery};
use crate::store::intervention::InterventionQuery;
use crate::web::{AppState, format};

/// How many candidates a name search considers, as on the web page.
const CANDIDATS: usize = 50;

pub async fn liste(
    State(etat): State<AppState>,
    entetes: HeaderMap,
    requete: Requete,
) -> Result<Response, ErreurApi> {
    let (params, page) = requete.liste(&["pays", "niveau", "parent", "q"])?;
    let pays = params.pays("pays")?;
    let niveau = params.code("niveau")?;
    let parent = reponse::identifiant(params, "parent")?.map(CollectiviteId);
    let trouvees: Pagine<Collectivite> = match params.texte("q") {
        Some(texte) => {
            let resolveur = etat.resolveur();
            let recherche = Recherche {
                texte: texte.to_owned(),
                pays,
                portee: Portee::collectivites(niveau),
                limite: CANDIDATS,
            };
            let resolution = super::recherche::resoudre(&resolveur, &recherche)?;
            let toutes: Vec<Collectivite> = resolution
                .candidats
                .iter()
                .map(|c| c.unite.collectivite.clone())
                .filter(|c| parent.is_none() || c.parent == parent)
                .collect();
            Pagine::tranche(toutes, page)
        }
        None => {
            let query = CollectiviteQuery {
                pays,
                niveau,
                parent,
                page,
            };
            etat.lire(move |conn| Ok(query.lister(conn)?)).await?
        }
    };
    reponse::json(
        &entetes,
        &Liste::depuis(trouvees, |c| CollectiviteJson::from(&c)),
    )
}

#[derive(Serialize)]
struct Lien {
    collectivite: CollectiviteJson,
    date_effet: String,
}

#[derive(Serialize)]
struct Fiche {
    collectivite: CollectiviteJson,
    /// From the top unit down to the direct parent.
    ancetres: Vec<CollectiviteJson>,
    enfants: Vec<CollectiviteJson>,
    intercommunalites: Vec<CollectiviteJson>,
    membres: Vec<CollectiviteJson>,
    successeurs: Vec<Lien>,
    predecesseurs: Vec<Lien>,
    /// One page (`page`, `par_page`) of the partenariats a unit of its territory is party to.
    partenariats: Liste<PartenariatResumeJson>,
    /// The most recent of its actions (at most 50).
    actions: Vec<ActionResumeJson>,
    /// All its actions: how many, and where to list them.
    toutes_les_actions: Decompte,
    totaux: Vec<TotalJson>,
    /// The « autres interventions » (IATI) of its territory.
    interventions: Decompte,
}

/// How many records of a kind a collectivité's territory has, and where to list them.
#[derive(Serialize)]
struct Decompte {
    total: u64,
    /// `/api/v1/actions?collectivite={id}`, `/api/v1/interventions?collectivite={id}`.
    liste: String,
}

fn liens(liens: &[(Collectivite, time::Date)]) -> Vec<Lien> {
    liens
        .iter()
        .map(|(c, d)| Lien {
            collectivite: c.into(),
            date_effet: json::date(*d),
        })
        .collect()
}

pub async fn fiche(
    State(etat): State<AppState>,
    entetes: HeaderMap,
    Id(id): Id,
    requete: Requete,
) -> Result<Response, ErreurApi> {
    let (_, page) = requete.liste(&[])?;
    let id = CollectiviteId(id);
    let introuvable = format!("Aucune collectivité ne porte le numéro {id}.");
    let tenu = etat.apercu_tenu.clone();
    let (f, interventions) = reponse::un(&etat, introuvable, move |conn| {
        let jour = format::aujourd_hui();
        let lister = |q: &_| tenu.partenariats_de_la_zone(conn, q, jour);
        let Some(fiche) = collectivite::fiche_avec(conn, id, jour, page, lister)? else {
            return Ok(None);
        };
        let interventions = InterventionQuery {
            zone: Some(id),
            ..InterventionQuery::default()
        };
        Ok(Some((fiche, interventions.compter(conn)?)))
    })
    .await?;
    let fiche = Fiche {
        collectivite: (&f.collectivite).into(),
        ancetres: json::collectivites(&f.ancetres),
        enfants: json::collectivites(&f.enfants),
        intercommunalites: json::collectivites(&f.intercommunalites),
        membres: json::collectivites(&f.membres),
        successeurs: liens(&f.successeurs),
        predecesseurs: liens(&f.predecesseurs),
        partenariats: Liste::depuis(f.partenariats, PartenariatResumeJson::from),
        actions: json::actions(f.actions),
        toutes_les_actions: Decompte {
            total: f.actions_total,
            liste: format!("/api/v1/actions?collectivite={id}"),
        },
        totaux: json::totaux(&f.totaux),
        interventions: Decompte {
            total: interventions,
            liste: format!("/api/v1/interventions?collectivite={id}"),
        },
    };
    reponse::json(&entetes, &fiche)
}
