//! Public pages and API answers kept for as long as the data they show has not changed.
//!
//! A visitor who is not signed in sees the same page for the same address on the same day
//! until the published data changes; the database says when it does, in the same transaction
//! as the change (`store::apercu::empreinte`: the generation of the published data, of the
//! territory and of the imported interventions). So an answer is kept with that fingerprint
//! and the day, and served again while both hold: never stale, never dropped on a timer.
//! Concurrent visitors of an address that is not kept yet wait for the first one's answer
//! instead of all computing it (32 visitors of the Kayes page cost one computation).
//!
//! Not kept: anything for a signed-in visitor or an API token (their pages differ), a
//! conditional request (its handler answers 304 itself), any answer other than 200 or one
//! that sets a cookie, and the addresses outside [`GARDABLE`] (the overview and the open data
//! have their own caches, the personal space has none).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use time::Date;
use tokio::sync::OnceCell;

use super::metriques::Cache;
use super::{WebError, bloquant, format, session};
use crate::store::{self, Store};

/// The address prefixes whose answers may be kept.
const GARDABLE: [&str; 4] = ["/partenariats", "/actions/", "/collectivites", "/api/v1/"];

/// The largest answer kept, and the bytes kept in all before the oldest go.
const CORPS_MAX: usize = 2 * 1024 * 1024;
const TOTAL_MAX: usize = 64 * 1024 * 1024;

/// What an answer was computed for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Pour {
    jour: Date,
    empreinte: [u64; 3],
}

/// A kept answer.
struct Gardee {
    statut: StatusCode,
    entetes: HeaderMap,
    corps: Bytes,
}

/// The header that says whether the answer was kept (`gardee`) or computed for this request
/// (`calculee`): for supervision and the tests.
pub const ENTETE: &str = "benkan-reponse";

impl Gardee {
    fn reponse(&self, calculee: bool) -> Response {
        let mut r = Response::new(Body::from(self.corps.clone()));
        *r.status_mut() = self.statut;
        *r.headers_mut() = self.entetes.clone();
        let valeur = if calculee { "calculee" } else { "gardee" };
        r.headers_mut()
            .insert(ENTETE, axum::http::HeaderValue::from_static(valeur));
        r
    }
}

/// One address's answer for one fingerprint, computed once.
struct Entree {
    pour: Pour,
    reponse: OnceCell<Arc<Gardee>>,
}

/// The kept answers, by address (path and query) and `Accept` header.
pub struct Reponses {
    entrees: Mutex<HashMap<String, Arc<Entree>>>,
    octets: Mutex<usize>,
    /// What the header [`ENTETE`] says, counted for the metrics.
    cache: Cache,
}

impl Reponses {
    pub fn new(cache: Cache) -> Reponses {
        Reponses {
            entrees: Mutex::default(),
            octets: Mutex::default(),
            cache,
        }
    }

    /// The entry of `cle` for `pour`: the one kept, or a new empty one that replaces an
    /// older fingerprint's.
    fn entree(&self, cle: &str, pour: Pour) -> Arc<Entree> {
        let mut entrees = self.entrees.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(e) = entrees.get(cle).filter(|e| e.pour == pour) {
            return e.clone();
        }
        let e = Arc::new(Entree {
            pour,
            reponse: OnceCell::new(),
        });
        entrees.insert(cle.to_owned(), e.clone());
        e
    }

    /// Counts `octets` more kept; past [`TOTAL_MAX`], only the answers of `pour` stay, and
    /// if they alone exceed it, none.
    fn compter(&self, octets: usize, pour: Pour) {
        let mut total = self.octets.lock().unwrap_or_else(|e| e.into_inner());
        *total += octets;
        if *total <= TOTAL_MAX {
            return;
        }
        let mut entrees = self.entrees.lock().unwrap_or_else(|e| e.into_inner());
        entrees.retain(|_, e| e.pour == pour);
        let taille = |e: &Entree| e.reponse.get().map_or(0, |g| g.corps.len());
        *total = entrees.values().map(|e| taille(e)).sum();
        if *total > TOTAL_MAX {
            entrees.clear();
            *total = 0;
        }
    }
}

/// The key of a request whose answer may be kept, or `None`.
fn cle(requete: &Request) -> Option<String> {
    let entetes = requete.headers();
    let chemin = requete.uri().path();
    let anonyme = !entetes.contains_key(header::AUTHORIZATION)
        && session::cookie_lu(entetes, session::COOKIE).is_none();
    let conditionnelle = entetes.contains_key(header::IF_NONE_MATCH)
        || entetes.contains_key(header::IF_MODIFIED_SINCE);
    let gardable = chemin == "/" || GARDABLE.iter().any(|p| chemin.starts_with(p));
    (requete.method() == Method::GET && anonyme && !conditionnelle && gardable).then(|| {
        let accept = entetes
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        format!("{}\n{accept}", requete.uri())
    })
}

/// The middleware: serves a kept answer, or computes it once and keeps it.
pub async fn garder(
    State((reponses, store)): State<(Arc<Reponses>, Store)>,
    requete: Request,
    suivant: Next,
) -> Response {
    let Some(cle) = cle(&requete) else {
        return suivant.run(requete).await;
    };
    let empreinte = match bloquant(move || Ok(store.lire(store::apercu::empreinte)?)).await {
        Ok(e) => e,
        Err(e) => return e.into_response(),
    };
    let pour = Pour {
        jour: format::aujourd_hui(),
        empreinte,
    };
    let entree = reponses.entree(&cle, pour);
    let mut requete = Some(requete);
    let mut hors_garde = None;
    let gardee = entree
        .reponse
        .get_or_try_init(|| async {
            let reponse = suivant
                .run(requete.take().expect("one computation per request"))
                .await;
            match gardable(reponse).await {
                Ok(g) => Ok(Arc::new(g)),
                Err(r) => {
                    hors_garde = Some(r);
                    Err(())
                }
            }
        })
        .await;
    match gardee {
        Ok(g) => {
            let calculee = requete.is_none();
            if calculee {
                reponses.compter(g.corps.len(), pour);
            }
            reponses.cache.noter(calculee);
            g.reponse(calculee)
        }
        Err(()) => {
            hors_garde.unwrap_or_else(|| WebError::Interne("réponse perdue".into()).into_response())
        }
    }
}

/// The answer as a kept one, or itself when it may not be kept.
async fn gardable(reponse: Response) -> Result<Gardee, Response> {
    use axum::body::HttpBody as _;
    let taille = reponse.body().size_hint().upper();
    if reponse.status() != StatusCode::OK
        || reponse.headers().contains_key(header::SET_COOKIE)
        || taille.is_none_or(|t| t > CORPS_MAX as u64)
    {
        return Err(reponse);
    }
    let (parties, corps) = reponse.into_parts();
    match axum::body::to_bytes(corps, CORPS_MAX).await {
        Ok(corps) => Ok(Gardee {
            statut: parties.status,
            entetes: parties.headers,
            corps,
        }),
        Err(e) => Err(WebError::Interne(format!("réponse illisible : {e}")).into_response()),
    }
}
