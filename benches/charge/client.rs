//! A small HTTP/1.1 load generator over hyper's client: a fixed number of keep-alive
//! connections, each sending its next request as soon as the previous answer is read, for a
//! fixed time (or a fixed number of requests). Every answer is read whole, so that the
//! latency is the visitor's; its bytes are counted and dropped, so that a download of
//! gigabytes costs the client no memory.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1;
use hyper_util::rt::TokioIo;

/// One request of a scenario.
pub enum Requete {
    Get(String),
    /// A JSON body posted with a personal API token.
    Post {
        chemin: String,
        jeton: Arc<str>,
        corps: String,
    },
}

/// Chooses the request that connection `connexion` sends as its `n`-th.
pub type Fabrique = Arc<dyn Fn(usize, u64) -> Requete + Send + Sync>;

/// What one scenario measured.
#[derive(Default)]
pub struct Mesure {
    /// The latency of every answered request, in microseconds.
    pub latences_us: Vec<u32>,
    pub reponses_4xx: u64,
    pub reponses_5xx: u64,
    /// Requests that got no answer (connection refused, reset or closed).
    pub echecs_reseau: u64,
    /// The first few error answers, to say what went wrong.
    pub exemples: Vec<String>,
    pub duree: Duration,
    /// The bytes of the answers' bodies.
    pub octets: u64,
}

impl Mesure {
    fn fusionner(&mut self, autre: Mesure) {
        self.latences_us.extend(autre.latences_us);
        self.reponses_4xx += autre.reponses_4xx;
        self.reponses_5xx += autre.reponses_5xx;
        self.echecs_reseau += autre.echecs_reseau;
        self.octets += autre.octets;
        for e in autre.exemples {
            if self.exemples.len() < 3 && !self.exemples.contains(&e) {
                self.exemples.push(e);
            }
        }
    }

    pub fn requetes(&self) -> u64 {
        self.latences_us.len() as u64 + self.echecs_reseau
    }

    pub fn debit(&self) -> f64 {
        self.latences_us.len() as f64 / self.duree.as_secs_f64()
    }

    /// The table cells every scenario prints: requests, throughput, p50 / p99 / max latency
    /// (client side), answers 4xx and 5xx, requests without an answer.
    pub fn cellules(&self) -> String {
        format!(
            "{} | {:.0} | {:.2} | {:.1} | {:.1} | {} | {} | {}",
            self.requetes(),
            self.debit(),
            self.quantile_ms(0.50),
            self.quantile_ms(0.99),
            self.quantile_ms(1.0),
            self.reponses_4xx,
            self.reponses_5xx,
            self.echecs_reseau
        )
    }

    /// The `q`-quantile of the latencies, in milliseconds (the list must be sorted).
    pub fn quantile_ms(&self, q: f64) -> f64 {
        match self.latences_us.len() {
            0 => f64::NAN,
            n => {
                let rang = ((n as f64 * q).ceil() as usize).clamp(1, n) - 1;
                f64::from(self.latences_us[rang]) / 1000.0
            }
        }
    }
}

/// The seconds of each scenario: `BENKAN_CHARGE_SECONDES`, or `defaut`.
pub fn secondes(defaut: f64) -> f64 {
    match std::env::var("BENKAN_CHARGE_SECONDES") {
        Ok(texte) => match texte.trim().parse::<f64>() {
            Ok(s) if s > 0.0 && s <= 600.0 => s,
            _ => panic!(
                "BENKAN_CHARGE_SECONDES = « {texte} » : un nombre de secondes entre 0 et 600"
            ),
        },
        Err(_) => defaut,
    }
}

/// Runs `connexions` connections against `adresse` for `duree`, each sending what
/// `fabrique` chooses.
pub fn charger(
    adresse: SocketAddr,
    connexions: usize,
    duree: Duration,
    fabrique: Fabrique,
) -> Mesure {
    charger_au_plus(adresse, connexions, duree, u64::MAX, fabrique)
}

/// Like [`charger`], each connection stopping after `requetes` requests if that comes first.
pub fn charger_au_plus(
    adresse: SocketAddr,
    connexions: usize,
    duree: Duration,
    requetes: u64,
    fabrique: Fabrique,
) -> Mesure {
    // One client thread, so that the server keeps most of the machine.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let debut = Instant::now();
        let fin = debut + duree;
        let mut taches = tokio::task::JoinSet::new();
        for connexion in 0..connexions {
            let fabrique = fabrique.clone();
            taches.spawn(async move {
                connexion_seule(adresse, connexion, fin, requetes, fabrique).await
            });
        }
        let mut total = Mesure::default();
        while let Some(mesure) = taches.join_next().await {
            total.fusionner(mesure.unwrap());
        }
        total.duree = debut.elapsed();
        total.latences_us.sort_unstable();
        total
    })
}

type Envoi = http1::SendRequest<Full<Bytes>>;

async fn connecter(adresse: SocketAddr) -> Option<Envoi> {
    let flux = tokio::net::TcpStream::connect(adresse).await.ok()?;
    flux.set_nodelay(true).ok()?;
    let (envoi, connexion) = http1::handshake(TokioIo::new(flux)).await.ok()?;
    tokio::spawn(connexion);
    Some(envoi)
}

async fn connexion_seule(
    adresse: SocketAddr,
    connexion: usize,
    fin: Instant,
    requetes: u64,
    fabrique: Fabrique,
) -> Mesure {
    let mut mesure = Mesure::default();
    let mut envoi: Option<Envoi> = None;
    let mut n = 0;
    while n < requetes && Instant::now() < fin {
        // A connection the server closed is opened again, and counted as no answer.
        if let Some(c) = envoi.as_mut()
            && c.ready().await.is_err()
        {
            envoi = None;
        }
        if envoi.is_none() {
            envoi = connecter(adresse).await;
        }
        let Some(canal) = envoi.as_mut() else {
            mesure.echecs_reseau += 1;
            continue;
        };
        let requete = construire(adresse, fabrique(connexion, n));
        n += 1;
        let depart = Instant::now();
        let reponse = match canal.send_request(requete).await {
            Ok(r) => r,
            Err(_) => {
                mesure.echecs_reseau += 1;
                envoi = None;
                continue;
            }
        };
        let statut = reponse.status();
        // An error's body is kept to say what went wrong; any other is counted and dropped.
        let mut corps = reponse.into_body();
        let mut texte = Vec::new();
        let mut coupee = false;
        while let Some(trame) = corps.frame().await {
            match trame {
                Ok(trame) => {
                    if let Some(octets) = trame.data_ref() {
                        mesure.octets += octets.len() as u64;
                        if !statut.is_success() && texte.len() < 4096 {
                            texte.extend_from_slice(octets);
                        }
                    }
                }
                Err(_) => {
                    coupee = true;
                    break;
                }
            }
        }
        if coupee {
            mesure.echecs_reseau += 1;
            envoi = None;
            continue;
        }
        let ecoule = depart.elapsed().as_micros();
        mesure
            .latences_us
            .push(u32::try_from(ecoule).unwrap_or(u32::MAX));
        if statut.is_client_error() {
            mesure.reponses_4xx += 1;
        } else if statut.is_server_error() {
            mesure.reponses_5xx += 1;
        }
        if !statut.is_success() && mesure.exemples.len() < 3 {
            let texte = String::from_utf8_lossy(&texte).into_owned();
            mesure.exemples.push(format!("{statut} {}", resume(&texte)));
        }
    }
    mesure
}

fn construire(adresse: SocketAddr, requete: Requete) -> hyper::Request<Full<Bytes>> {
    let hote = adresse.to_string();
    match requete {
        Requete::Get(chemin) => hyper::Request::get(chemin)
            .header(hyper::header::HOST, hote)
            .body(Full::default())
            .unwrap(),
        Requete::Post {
            chemin,
            jeton,
            corps,
        } => hyper::Request::post(chemin)
            .header(hyper::header::HOST, hote)
            .header(hyper::header::CONTENT_TYPE, "application/json")
            .header(hyper::header::AUTHORIZATION, format!("Bearer {jeton}"))
            .body(Full::new(Bytes::from(corps)))
            .unwrap(),
    }
}

/// The first words of an error body: its JSON message, or the title of an HTML page.
fn resume(corps: &str) -> String {
    let texte = serde_json::from_str::<serde_json::Value>(corps)
        .ok()
        .and_then(|v| v["message"].as_str().map(str::to_owned))
        .or_else(|| {
            let debut = corps.find("<h1>")? + 4;
            let fin = corps[debut..].find("</h1>")? + debut;
            Some(corps[debut..fin].to_owned())
        })
        .unwrap_or_else(|| corps.to_owned());
    texte.chars().take(100).collect()
}
