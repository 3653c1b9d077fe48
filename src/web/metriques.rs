//! The site's metrics for Prometheus, at `/metrics` (README « Supervision »): requests by
//! route and status with their time, waits for a database connection, the caches' hits and
//! misses, failed sign-ins, e-mails sent and failed. One registry per site, held by the router's state; each measure
//! is counted where it happens (the layer [`mesurer`], the store's [`Observateur`], the caches,
//! the sign-in handler) and only read here.
//!
//! Only a local request (the peer is a loopback address and no proxy relayed it: no
//! `X-Forwarded-For` nor `Forwarded` header) or one that carries the supervision token
//! (`serve --jeton-metriques`) reads them: they tell how loaded the site is and how often
//! sign-ins fail, which is nobody else's business.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

use super::{AppState, WebError};
use crate::acces;
use crate::store::{Acces, Observateur};

/// The route label of a request that matched no route: a fixed value, so that scanners
/// trying thousands of addresses add one series, not thousands.
pub const HORS_ROUTES: &str = "hors_routes";

/// Bounds of the request times, in seconds: from 1 ms (a kept page) to 10 s (a cold
/// overview at a past date on a national registry).
const DUREES_REQUETE: [f64; 13] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];
/// Bounds of the waits for a connection, in seconds: a free connection comes in a few
/// microseconds; the pools give up after 5 s (`store::concurrence`).
const ATTENTES_CONNEXION: [f64; 10] = [0.0001, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 2.5, 5.0];

/// The labels of a request.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Requete {
    /// The route template (`/collectivites/{id}`), never the address asked for.
    route: String,
    methode: &'static str,
    statut: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Route {
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Pool {
    /// `lecture` (the readers' pool) or `ecriture` (the single writer).
    acces: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Consultation {
    cache: &'static str,
    /// `gardee` (served from the cache, or from the computation another request was
    /// running) or `calculee` (computed for this request), as the header `benkan-reponse`.
    resultat: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Echec {
    motif: &'static str,
}

/// Why a sign-in failed.
#[derive(Debug, Clone, Copy)]
pub enum MotifEchec {
    /// Unknown e-mail, wrong password or disabled account (the page does not say which).
    Identifiants,
    /// Refused by the limits on failed attempts (429).
    Limite,
    /// The form's CSRF token missing or wrong (403).
    Formulaire,
    /// No turn to check the password within its wait (429).
    Occupe,
}

impl MotifEchec {
    fn etiquette(self) -> &'static str {
        match self {
            MotifEchec::Identifiants => "identifiants",
            MotifEchec::Limite => "limite",
            MotifEchec::Formulaire => "formulaire",
            MotifEchec::Occupe => "occupe",
        }
    }
}

/// The hits and misses of one cache.
#[derive(Clone, Default)]
pub struct Cache {
    gardee: Counter,
    calculee: Counter,
}

impl Cache {
    /// Counts one answer: computed for this request, or not.
    pub fn noter(&self, calculee: bool) {
        if calculee {
            self.calculee.inc();
        } else {
            self.gardee.inc();
        }
    }
}

type Histogrammes<L> = Family<L, Histogram, fn() -> Histogram>;

/// Every metric of the site, and the registry that writes them out.
pub struct Metriques {
    registre: Registry,
    requetes: Family<Requete, Counter>,
    durees: Histogrammes<Route>,
    attentes: Histogrammes<Pool>,
    delais_depasses: Family<Pool, Counter>,
    caches: Family<Consultation, Counter>,
    connexions_echouees: Family<Echec, Counter>,
}

impl Default for Metriques {
    fn default() -> Self {
        let mut registre = Registry::with_prefix("benkan");
        let requetes = Family::<Requete, Counter>::default();
        registre.register(
            "requetes",
            "Requêtes servies, par modèle de route, méthode et statut HTTP",
            requetes.clone(),
        );
        let durees: Histogrammes<Route> =
            Family::new_with_constructor(|| Histogram::new(DUREES_REQUETE));
        registre.register(
            "requete_duree_secondes",
            "Temps jusqu'aux en-têtes de la réponse, par modèle de route",
            durees.clone(),
        );
        let attentes: Histogrammes<Pool> =
            Family::new_with_constructor(|| Histogram::new(ATTENTES_CONNEXION));
        registre.register(
            "base_attente_secondes",
            "Attente d'une connexion à la base, par pool (lecture, ecriture)",
            attentes.clone(),
        );
        let delais_depasses = Family::<Pool, Counter>::default();
        registre.register(
            "base_delais_depasses",
            "Accès à la base sans connexion libre à temps (réponse 503), par pool",
            delais_depasses.clone(),
        );
        let caches = Family::<Consultation, Counter>::default();
        registre.register(
            "cache_consultations",
            "Réponses des caches : gardee (déjà prête) ou calculee (calculée pour la requête)",
            caches.clone(),
        );
        let connexions_echouees = Family::<Echec, Counter>::default();
        registre.register(
            "connexions_echouees",
            "Connexions à l'espace contributeurs refusées, par motif",
            connexions_echouees.clone(),
        );
        Metriques {
            registre,
            requetes,
            durees,
            attentes,
            delais_depasses,
            caches,
            connexions_echouees,
        }
    }
}

impl Metriques {
    /// Shows the sending thread's counters (a site with SMTP settings only).
    pub fn enregistrer_courriels(&mut self, compteurs: &crate::courriel::Compteurs) {
        self.registre.register(
            "courriels_envoyes",
            "Courriels remis au serveur SMTP, par genre",
            compteurs.envoyes.clone(),
        );
        self.registre.register(
            "courriels_echecs",
            "Essais d'envoi de courriel échoués (chaque nouvel essai compte), par genre",
            compteurs.echecs.clone(),
        );
        self.registre.register(
            "courriels_abandonnes",
            "Courriels abandonnés après le dernier essai, par genre",
            compteurs.abandonnes.clone(),
        );
    }

    /// The counters of the cache named `nom` (its label).
    pub fn cache(&self, nom: &'static str) -> Cache {
        let compteur = |resultat| {
            self.caches.get_or_create_owned(&Consultation {
                cache: nom,
                resultat,
            })
        };
        Cache {
            gardee: compteur("gardee"),
            calculee: compteur("calculee"),
        }
    }

    /// What the store tells of each wait for a connection.
    pub fn observateur(self: &Arc<Self>) -> Observateur {
        let metriques = Arc::downgrade(self);
        Arc::new(move |acces, attente: Duration, obtenue| {
            let Some(m) = metriques.upgrade() else { return };
            let pool = Pool {
                acces: match acces {
                    Acces::Lecture => "lecture",
                    Acces::Ecriture => "ecriture",
                },
            };
            m.attentes
                .get_or_create(&pool)
                .observe(attente.as_secs_f64());
            if !obtenue {
                m.delais_depasses.get_or_create(&pool).inc();
            }
        })
    }

    /// Counts a failed sign-in.
    pub fn connexion_echouee(&self, motif: MotifEchec) {
        self.connexions_echouees
            .get_or_create(&Echec {
                motif: motif.etiquette(),
            })
            .inc();
    }

    /// Every metric in the OpenMetrics text format (which Prometheus reads).
    fn texte(&self) -> Result<String, WebError> {
        let mut texte = String::new();
        prometheus_client::encoding::text::encode(&mut texte, &self.registre)
            .map_err(|e| WebError::Interne(format!("métriques illisibles : {e}")))?;
        Ok(texte)
    }
}

/// The layer that counts every request and its time, by route template. The time runs to
/// the answer's headers: a download's streaming is not in it.
pub async fn mesurer(
    State(metriques): State<Arc<Metriques>>,
    requete: Request,
    suivant: Next,
) -> Response {
    let route = requete
        .extensions()
        .get::<MatchedPath>()
        .map_or(HORS_ROUTES, MatchedPath::as_str)
        .to_owned();
    let methode = methode(requete.method());
    let debut = Instant::now();
    let reponse = suivant.run(requete).await;
    let duree = debut.elapsed().as_secs_f64();
    metriques
        .durees
        .get_or_create(&Route {
            route: route.clone(),
        })
        .observe(duree);
    metriques
        .requetes
        .get_or_create(&Requete {
            route,
            methode,
            statut: reponse.status().as_u16(),
        })
        .inc();
    reponse
}

/// The method as a label: the standard ones, and one value for any other (a client may
/// invent methods, and each would be a new series).
fn methode(methode: &Method) -> &'static str {
    match methode.as_str() {
        "GET" => "GET",
        "HEAD" => "HEAD",
        "POST" => "POST",
        "PUT" => "PUT",
        "PATCH" => "PATCH",
        "DELETE" => "DELETE",
        "OPTIONS" => "OPTIONS",
        _ => "autre",
    }
}

/// `/metrics`: the metrics, for a local request or one with the supervision token.
pub async fn page(
    State(etat): State<AppState>,
    ConnectInfo(pair): ConnectInfo<SocketAddr>,
    entetes: HeaderMap,
) -> Result<Response, WebError> {
    autoriser(pair, &entetes, etat.jeton_metriques.as_deref())?;
    let texte = etat.metriques.texte()?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(
                    "application/openmetrics-text; version=1.0.0; charset=utf-8",
                ),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        texte,
    )
        .into_response())
}

/// Lets through a request that carries the token `jeton`, or, without any token, a local
/// one that no proxy relayed; refuses (403) any other, and a wrong token from anywhere.
fn autoriser(pair: SocketAddr, entetes: &HeaderMap, jeton: Option<&str>) -> Result<(), WebError> {
    if let Some(autorisation) = entetes.get(header::AUTHORIZATION) {
        let donne = autorisation
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        return match (donne, jeton) {
            (Some(donne), Some(jeton)) if acces::egaux(donne, jeton) => Ok(()),
            _ => Err(WebError::Interdit(
                "Jeton de supervision refusé : les métriques demandent « Authorization: Bearer » suivi du jeton donné au serveur (serve --jeton-metriques)."
                    .to_owned(),
            )),
        };
    }
    let relayee =
        entetes.contains_key("x-forwarded-for") || entetes.contains_key(header::FORWARDED);
    if pair.ip().to_canonical().is_loopback() && !relayee {
        return Ok(());
    }
    Err(WebError::Interdit(
        "Les métriques ne sont servies qu'aux demandes faites sur la machine du serveur, sans relais par un proxy, ou munies du jeton de supervision (Authorization: Bearer)."
            .to_owned(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entetes(paires: &[(&'static str, &'static str)]) -> HeaderMap {
        paires
            .iter()
            .map(|(n, v)| {
                (
                    header::HeaderName::from_static(n),
                    HeaderValue::from_static(v),
                )
            })
            .collect()
    }

    #[test]
    fn local_unrelayed_requests_or_the_right_token_only() {
        let local: SocketAddr = "127.0.0.1:5000".parse().unwrap();
        let local_v6: SocketAddr = "[::ffff:127.0.0.1]:5000".parse().unwrap();
        let distant: SocketAddr = "192.0.2.7:5000".parse().unwrap();
        let rien = HeaderMap::new();
        assert!(autoriser(local, &rien, None).is_ok());
        assert!(autoriser(local_v6, &rien, None).is_ok());
        assert!(autoriser(distant, &rien, None).is_err());
        for relais in [
            entetes(&[("x-forwarded-for", "192.0.2.7")]),
            entetes(&[("forwarded", "for=192.0.2.7")]),
        ] {
            assert!(autoriser(local, &relais, None).is_err());
        }
        let bon = entetes(&[("authorization", "Bearer secret-de-supervision")]);
        let faux = entetes(&[("authorization", "Bearer autre")]);
        let jeton = Some("secret-de-supervision");
        assert!(autoriser(distant, &bon, jeton).is_ok());
        assert!(autoriser(distant, &faux, jeton).is_err());
        assert!(
            autoriser(local, &faux, jeton).is_err(),
            "a wrong token is refused even locally"
        );
        assert!(
            autoriser(distant, &bon, None).is_err(),
            "no token configured"
        );
    }

    #[test]
    fn invented_methods_share_one_label() {
        assert_eq!(methode(&Method::GET), "GET");
        assert_eq!(methode(&Method::from_bytes(b"BROUILLER").unwrap()), "autre");
    }
}
