//! Load benchmark: the real server under many visitors and several writers at once.
//!
//! `cargo bench --bench charge` builds the release binary, starts `benkan serve` on a fresh
//! demonstration database (with a `collectivite` account of the commune of Kayes and its API
//! token), then loads it from one client thread over 127.0.0.1 only:
//!
//! - each public page alone at one connection (the server time of a view);
//! - `/`, `/partenariats`, `/apercu` and `/api/v1/partenariats` at 1 and at 64 connections;
//! - a mix of 48 readers (public pages at random) and 16 writers (`POST
//!   /api/v1/partenariats/{id}/actions` with the token) at 64 connections.
//!
//! Each scenario lasts `BENKAN_CHARGE_SECONDES` seconds (10 by default; the single pages a
//! tenth of it). It prints a Markdown table for the README: requests, throughput, p50 / p99
//! / max latency, answers 4xx and 5xx, requests without an answer, and the server's peak
//! resident memory (`VmHWM`) after the scenario.

// Shared with `charge_nationale`, which uses more of them.
#[allow(dead_code)]
mod client;
#[allow(dead_code)]
mod serveur;

use std::sync::Arc;
use std::time::Duration;

use client::{Fabrique, Mesure, Requete, charger, secondes};
use serveur::{COMMUNE_KAYES, Serveur};

/// The records the pages and the writers name, read from the new database.
struct Ids {
    /// A partenariat the Kayes account may add actions to.
    partenariat_kayes: i64,
    commune_kayes: i64,
    region_kayes: i64,
    partenariats: Vec<i64>,
    actions: Vec<i64>,
    interventions: Vec<i64>,
}

impl Ids {
    fn lire(serveur: &Serveur) -> Ids {
        let conn = rusqlite::Connection::open_with_flags(
            &serveur.base,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .unwrap();
        let un = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
        let plusieurs = |sql: &str| -> Vec<i64> {
            let mut stmt = conn.prepare(sql).unwrap();
            stmt.query_map([], |r| r.get(0))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap()
        };
        let commune_kayes = un(&format!(
            "SELECT id FROM collectivite WHERE code = '{COMMUNE_KAYES}' AND niveau = 'commune'"
        ));
        Ids {
            partenariat_kayes: un(&format!(
                "SELECT partenariat_id FROM partie WHERE collectivite_id = {commune_kayes} LIMIT 1"
            )),
            commune_kayes,
            region_kayes: un(
                "SELECT id FROM collectivite WHERE pays = 'ML' AND niveau = 'region' AND code = 'ML-1'",
            ),
            partenariats: plusieurs("SELECT id FROM partenariat_publie ORDER BY id"),
            actions: plusieurs("SELECT id FROM action_publiee ORDER BY id LIMIT 100"),
            interventions: plusieurs("SELECT id FROM intervention ORDER BY id LIMIT 100"),
        }
    }

    /// Every public page a visitor reads, each filter of the list included.
    fn pages_publiques(&self) -> Vec<String> {
        let mut pages: Vec<String> = [
            "/",
            "/apercu",
            "/partenariats",
            "/partenariats?region=ML-1",
            "/partenariats?pays=FR",
            "/partenariats?etape=jumelage_cooperation",
            "/partenariats?statut=actif",
            "/partenariats?region=ML-1&pays=FR&statut=actif&page=1",
            "/collectivites",
            "/collectivites?q=Kayes",
            "/collectivites?q=Ille-et-Vilaine",
            "/donnees",
            "/api/v1/partenariats",
        ]
        .map(str::to_owned)
        .into();
        pages.push(format!("/collectivites/{}", self.region_kayes));
        pages.push(format!("/collectivites/{}", self.commune_kayes));
        pages.extend(
            self.partenariats
                .iter()
                .map(|id| format!("/partenariats/{id}")),
        );
        pages.extend(
            self.actions
                .iter()
                .take(3)
                .map(|id| format!("/actions/{id}")),
        );
        pages.extend(
            self.interventions
                .iter()
                .take(3)
                .map(|id| format!("/interventions/{id}")),
        );
        pages
    }
}

/// A small deterministic generator, so that each connection reads its own sequence.
fn hasard(connexion: usize, n: u64) -> u64 {
    let mut x = (connexion as u64 + 1)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(n.wrapping_mul(0xBF58_476D_1CE4_E5B9));
    x ^= x >> 31;
    x = x.wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 29)
}

/// The body of a new action of the Kayes partenariat, as a script of the commune would post.
fn action(commune_kayes: i64, connexion: usize, n: u64) -> String {
    serde_json::json!({
        "titre": format!("Forage de charge {connexion}-{n}"),
        "description": "Écrit par le banc de charge",
        "axe": "services_sociaux_de_base",
        "domaine": "eau_assainissement",
        "nature": "physique",
        "statut": "en_cours",
        "debut": "2024-01-15",
        "lieux": [commune_kayes],
        "financement": {
            "type": "engagement",
            "montant": { "unites_mineures": 5_000_000, "devise": "XOF" },
            "annee": 2024,
            "source": "Commune de Kayes"
        }
    })
    .to_string()
}

fn ligne(nom: &str, connexions: usize, m: &Mesure, pic_mio: f64) -> String {
    format!("| {nom} | {connexions} | {} | {pic_mio:.0} |", m.cellules())
}

const ENTETE: &str = "| scénario | connexions | requêtes | req/s | p50 (ms) | p99 (ms) | max (ms) | 4xx | 5xx | sans réponse | pic mémoire (Mo) |\n\
                      |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|";

fn main() {
    // `cargo bench` passes `--bench`; a name filter is not supported, the whole run is short.
    let duree = Duration::from_secs_f64(secondes(10.0));
    eprintln!("Préparation : base de démonstration, compte de Kayes, serveur…");
    let (serveur, jeton) = Serveur::demarrer();
    let ids = Arc::new(Ids::lire(&serveur));
    let jeton: Arc<str> = jeton.into();
    let adresse = serveur.adresse;
    eprintln!(
        "Serveur sur http://{adresse}/ ; {} s par scénario.",
        duree.as_secs_f64()
    );

    let mut lignes = Vec::new();
    let mut echecs = Vec::new();
    let mut mesurer = |nom: String, connexions: usize, duree: Duration, fabrique: Fabrique| {
        let m = charger(adresse, connexions, duree, fabrique);
        let l = ligne(&nom, connexions, &m, serveur.pic_memoire_mio());
        eprintln!("{l}");
        for e in &m.exemples {
            echecs.push(format!("{nom} : {e}"));
        }
        lignes.push(l);
    };

    // Each public page alone, one connection: what a view costs the server.
    let pages = ids.pages_publiques();
    let par_page = (duree / 10).max(Duration::from_millis(300));
    for page in pages
        .iter()
        .filter(|p| !p.starts_with("/partenariats/"))
        .chain(pages.iter().find(|p| p.starts_with("/partenariats/")))
    {
        let chemin = page.clone();
        mesurer(
            format!("vue seule `{page}`"),
            1,
            par_page,
            Arc::new(move |_, _| Requete::Get(chemin.clone())),
        );
    }
    for page in ["/", "/partenariats", "/apercu", "/api/v1/partenariats"] {
        for connexions in [1, 64] {
            mesurer(
                format!("`{page}`"),
                connexions,
                duree,
                Arc::new(move |_, _| Requete::Get(page.to_owned())),
            );
        }
    }
    let pages = Arc::new(pages);
    let lecteurs = pages.clone();
    let ids_mix = ids.clone();
    let jeton_mix = jeton.clone();
    mesurer(
        "48 lecteurs + 16 écrivains".to_owned(),
        64,
        duree,
        Arc::new(move |connexion, n| {
            if connexion < 16 {
                Requete::Post {
                    chemin: format!("/api/v1/partenariats/{}/actions", ids_mix.partenariat_kayes),
                    jeton: jeton_mix.clone(),
                    corps: action(ids_mix.commune_kayes, connexion, n),
                }
            } else {
                let h = hasard(connexion, n) as usize;
                Requete::Get(lecteurs[h % lecteurs.len()].clone())
            }
        }),
    );

    let ecrites: i64 = rusqlite::Connection::open_with_flags(
        &serveur.base,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .unwrap()
    .query_row(
        "SELECT count(*) FROM action WHERE titre LIKE 'Forage de charge %'",
        [],
        |r| r.get(0),
    )
    .unwrap();
    println!("\n{ENTETE}");
    for l in &lignes {
        println!("{l}");
    }
    println!(
        "\nActions écrites par le mélange et présentes dans la base : {ecrites} ; \
         lignes ERROR dans le journal du serveur : {}.",
        serveur.erreurs_journalisees()
    );
    if !echecs.is_empty() {
        println!("\nPremières réponses en erreur :\n");
        for e in &echecs {
            println!("- {e}");
        }
    }
}
