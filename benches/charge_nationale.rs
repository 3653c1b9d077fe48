//! Load benchmark on the national-scale base: every page type and API list, at 1 and 32
//! connections, against the targets of issue 13.
//!
//! `cargo bench --bench charge_nationale` takes the synthetic base of `commun` (100,000
//! partenariats, 1,000,000 actions; `BENKAN_BENCH_DB` names a shared file, generated if
//! missing), copies it beside itself, adds a `collectivite` account of Kayes, and starts the
//! release `benkan serve` on the copy. Then, for a fixed list of URLs (the heaviest région,
//! cercle and commune chosen by SQL at start), it sends one unmeasured first request (its
//! time is printed: the cold cost), then loads the URL for `BENKAN_CHARGE_SECONDES` seconds
//! (3 by default) at 1 and at 32 connections — the downloads once per connection. Last, the
//! first `/` and `/apercu` after a visible change: the bench writes a validated action
//! through the store, then times the next request, 20 times each.
//!
//! Arguments after `--` that do not start with `-` keep only the URLs containing one of them
//! (`cargo bench --bench charge_nationale -- /api/v1/actions`). The Markdown table goes to
//! standard output and to `target/charge-nationale.md`.

// Shared with `charge`, which uses other parts of them.
#[allow(dead_code)]
#[path = "charge/client.rs"]
mod client;
#[allow(dead_code)] // The timing helpers of the other benches.
mod commun;
#[allow(dead_code)]
#[path = "charge/serveur.rs"]
mod serveur;

use std::fmt::Write as _;
use std::sync::Arc;
use std::time::{Duration, Instant};

use benkan::model::{
    Axe, Code, CollectiviteId, Domaine, Nature, NouvelleAction, Periode, StatutAction,
};
use benkan::store::{Store, action};
use client::{Fabrique, Mesure, Requete, charger_au_plus, secondes};
use serveur::Serveur;

/// Target p99 of every page and API list at 32 connections, in milliseconds.
const CIBLE_LISTES_MS: f64 = 100.0;
/// Target of `/` and `/apercu` at today's date, first request after a change included.
const CIBLE_APERCU_MS: f64 = 20.0;
/// How many changes the « first request after a change » scenario makes per page.
const CHANGEMENTS: usize = 20;

/// What a URL is held to.
#[derive(Clone, Copy, PartialEq)]
enum Cible {
    /// `/` and `/apercu` today.
    Apercu,
    /// Any other page or API list.
    Liste,
    /// A download: measured, no latency target (a file of megabytes).
    Fichier,
}

impl Cible {
    fn ms(self) -> Option<f64> {
        match self {
            Cible::Apercu => Some(CIBLE_APERCU_MS),
            Cible::Liste => Some(CIBLE_LISTES_MS),
            Cible::Fichier => None,
        }
    }
}

/// The records the URLs name, chosen in the base.
struct Choix {
    region: (i64, String),
    cercle: (i64, String),
    commune: (i64, String),
    partenariat: i64,
    action: i64,
    /// A partenariat of the Kayes commune, that the changes add actions to.
    partenariat_kayes: i64,
    commune_kayes: i64,
    partenariats: i64,
    actions: i64,
    collectivites: i64,
}

impl Choix {
    fn lire(base: &std::path::Path) -> Choix {
        let conn =
            rusqlite::Connection::open_with_flags(base, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
                .unwrap();
        let un = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
        // The unit of each level whose territory holds the most places of public actions.
        let plus_lourde = |niveau: &str, vers_commune: &str| -> (i64, String) {
            conn.query_row(
                &format!(
                    "SELECT z.id, z.nom FROM action_lieu l
                     JOIN action_publiee a ON a.id = l.action_id
                     JOIN collectivite c ON c.id = l.collectivite_id AND c.niveau = 'commune'
                     {vers_commune}
                     WHERE z.pays = 'ML' AND z.niveau = '{niveau}'
                     GROUP BY z.id ORDER BY count(*) DESC, z.id LIMIT 1"
                ),
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap()
        };
        let commune_kayes = un(&format!(
            "SELECT id FROM collectivite WHERE code = '{}' AND niveau = 'commune'",
            serveur::COMMUNE_KAYES
        ));
        Choix {
            region: plus_lourde(
                "region",
                "JOIN collectivite ce ON ce.id = c.parent_id JOIN collectivite z ON z.id = ce.parent_id",
            ),
            cercle: plus_lourde("cercle", "JOIN collectivite z ON z.id = c.parent_id"),
            commune: plus_lourde("commune", "JOIN collectivite z ON z.id = c.id"),
            partenariat: un(
                "SELECT partenariat_id FROM action_publiee GROUP BY partenariat_id
                 ORDER BY count(*) DESC, partenariat_id LIMIT 1",
            ),
            action: un("SELECT max(id) FROM action_publiee"),
            partenariat_kayes: un(&format!(
                "SELECT p.partenariat_id FROM partie p JOIN partenariat_publie pp ON pp.id = p.partenariat_id
                 WHERE p.collectivite_id = {commune_kayes} LIMIT 1"
            )),
            commune_kayes,
            partenariats: un("SELECT count(*) FROM partenariat_publie"),
            actions: un("SELECT count(*) FROM action_publiee"),
            collectivites: un("SELECT count(*) FROM collectivite"),
        }
    }

    /// The fixed list of URLs: every page type and API list, each filter, far pages.
    fn urls(&self) -> Vec<(String, Cible)> {
        let (region, cercle, commune) = (self.region.0, self.cercle.0, self.commune.0);
        let derniere = |total: i64, taille: i64| (total + taille - 1) / taille.max(1);
        let p_derniere = derniere(self.partenariats, 25);
        let a_derniere = derniere(self.actions, 100);
        let c_derniere = derniere(self.collectivites, 100);
        let mut urls = vec![
            ("/".to_owned(), Cible::Apercu),
            ("/apercu".to_owned(), Cible::Apercu),
        ];
        let listes = [
            "/apercu?date=2015-06-30".to_owned(),
            "/apercu?niveau=cercle".to_owned(),
            "/apercu?niveau=commune".to_owned(),
            "/partenariats".to_owned(),
            "/partenariats?pays=FR".to_owned(),
            "/partenariats?region=ML-1".to_owned(),
            "/partenariats?etape=amitie".to_owned(),
            "/partenariats?etape=jumelage_cooperation".to_owned(),
            "/partenariats?etape=non_renseignee".to_owned(),
            "/partenariats?statut=actif".to_owned(),
            "/partenariats?statut=termine".to_owned(),
            "/partenariats?q=Kayes".to_owned(),
            "/partenariats?q=Synth%C3%A9tique+4242".to_owned(),
            "/partenariats?tri=-nom".to_owned(),
            "/partenariats?tri=-etape".to_owned(),
            "/partenariats?tri=-date".to_owned(),
            "/partenariats?tri=montant".to_owned(),
            "/partenariats?tri=-montant".to_owned(),
            "/partenariats?region=ML-1&pays=FR&etape=amitie&statut=actif&tri=-date".to_owned(),
            format!("/partenariats?page={p_derniere}"),
            format!("/partenariats?tri=-montant&page={}", p_derniere - 1),
            format!("/partenariats?region=ML-1&page={}", p_derniere / 3),
            format!("/partenariats/{}", self.partenariat),
            format!("/actions/{}", self.action),
            "/collectivites".to_owned(),
            "/collectivites?q=Kayes".to_owned(),
            "/collectivites?pays=FR".to_owned(),
            format!("/collectivites/{region}"),
            format!("/collectivites/{region}?page=200"),
            format!("/collectivites/{cercle}"),
            format!("/collectivites/{commune}"),
            "/donnees".to_owned(),
            "/api/v1/partenariats".to_owned(),
            "/api/v1/partenariats?pays=FR".to_owned(),
            "/api/v1/partenariats?region=ML-1".to_owned(),
            "/api/v1/partenariats?etape=non_renseignee".to_owned(),
            "/api/v1/partenariats?statut=actif".to_owned(),
            "/api/v1/partenariats?q=Kayes".to_owned(),
            "/api/v1/partenariats?tri=-montant".to_owned(),
            format!(
                "/api/v1/partenariats?par_page=100&page={}",
                derniere(self.partenariats, 100)
            ),
            format!("/api/v1/partenariats/{}", self.partenariat),
            "/api/v1/actions".to_owned(),
            "/api/v1/actions?axe=services_sociaux_de_base".to_owned(),
            "/api/v1/actions?domaine=eau_assainissement".to_owned(),
            "/api/v1/actions?statut=en_cours".to_owned(),
            format!("/api/v1/actions?partenariat={}", self.partenariat),
            format!("/api/v1/actions?collectivite={region}"),
            format!("/api/v1/actions?collectivite={cercle}"),
            format!("/api/v1/actions?collectivite={commune}"),
            format!("/api/v1/actions?par_page=100&page={a_derniere}"),
            format!(
                "/api/v1/actions?collectivite={region}&par_page=100&page={}",
                a_derniere / 3
            ),
            format!("/api/v1/actions/{}", self.action),
            "/api/v1/collectivites".to_owned(),
            "/api/v1/collectivites?pays=ML".to_owned(),
            "/api/v1/collectivites?niveau=commune".to_owned(),
            format!("/api/v1/collectivites?parent={region}"),
            "/api/v1/collectivites?q=Kayes".to_owned(),
            format!("/api/v1/collectivites?par_page=100&page={c_derniere}"),
            "/api/v1/interventions".to_owned(),
            format!("/api/v1/interventions?collectivite={region}"),
            "/api/v1/recherche?q=Kayes".to_owned(),
            "/api/v1/apercu".to_owned(),
        ];
        urls.extend(listes.into_iter().map(|u| (u, Cible::Liste)));
        urls
    }
}

/// The downloads `/donnees` links to, read from the page.
fn telechargements(adresse: std::net::SocketAddr) -> Vec<String> {
    let page = ureq::get(&format!("http://{adresse}/donnees"))
        .call()
        .and_then(|mut r| r.body_mut().read_to_string())
        .unwrap_or_else(|e| panic!("/donnees illisible : {e}"));
    let mut liens: Vec<String> = page
        .split("href=\"")
        .skip(1)
        .filter_map(|reste| reste.split('"').next())
        .filter(|lien| {
            (lien.starts_with("/donnees/") || lien.starts_with("/apercu")) && lien.contains('.')
        })
        .map(|lien| lien.replace("&amp;", "&"))
        .collect();
    liens.sort();
    liens.dedup();
    liens
}

/// The `q`-quantile of sorted durations in milliseconds.
fn quantile(durees: &[f64], q: f64) -> f64 {
    match durees.len() {
        0 => f64::NAN,
        n => durees[((n as f64 * q).ceil() as usize).clamp(1, n) - 1],
    }
}

const ENTETE: &str = "| URL | connexions | 1re requête (ms) | requêtes | req/s | p50 (ms) | p99 (ms) | max (ms) | 4xx | 5xx | sans réponse | serveur p50 (ms) | serveur p99 (ms) | pic mémoire (Mo) | cible |\n\
                      |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|";

/// One line of the table, and whether it misses its target.
fn ligne(
    url: &str,
    connexions: usize,
    premiere_ms: Option<f64>,
    m: &Mesure,
    serveur_ms: &[f64],
    pic_mio: f64,
    cible: Cible,
) -> (String, bool) {
    let p99 = m.quantile_ms(0.99);
    // The targets are p99 at 32 connections; `/` and `/apercu` today at any load.
    let tenue = match cible.ms() {
        Some(ms) if connexions > 1 || cible == Cible::Apercu => Some(ms),
        _ => None,
    };
    let depasse = |ms: f64| p99.is_nan() || p99 >= ms;
    let erreurs = m.reponses_5xx > 0 || m.echecs_reseau > 0;
    let manque = erreurs || tenue.is_some_and(depasse);
    let verdict = match tenue {
        _ if erreurs => "**ÉCHEC** (erreurs)".to_owned(),
        Some(ms) if depasse(ms) => format!("**MANQUÉE** (< {ms:.0} ms)"),
        Some(ms) => format!("tenue (< {ms:.0} ms)"),
        None => "—".to_owned(),
    };
    let premiere = premiere_ms.map_or("—".to_owned(), |ms| format!("{ms:.1}"));
    (
        format!(
            "| `{url}` | {connexions} | {premiere} | {} | {:.1} | {:.1} | {pic_mio:.0} | {verdict} |",
            m.cellules(),
            quantile(serveur_ms, 0.50),
            quantile(serveur_ms, 0.99),
        ),
        manque,
    )
}

/// One GET of `chemin`, alone; its measure.
fn une_requete(adresse: std::net::SocketAddr, chemin: &str) -> Mesure {
    let chemin = chemin.to_owned();
    charger_au_plus(
        adresse,
        1,
        Duration::from_secs(600),
        1,
        Arc::new(move |_, _| Requete::Get(chemin.clone())),
    )
}

fn main() {
    let filtres: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let duree = Duration::from_secs_f64(secondes(3.0));
    let source = commun::chemin_base();
    // Generates the base if it is missing, migrates it if it is older than this build.
    drop(commun::base_synthetique());
    eprintln!("Copie de {} et démarrage du serveur…", source.display());
    let (serveur, _jeton) = Serveur::sur_copie(&source);
    let adresse = serveur.adresse;
    let choix = Choix::lire(&serveur.base);
    eprintln!(
        "Serveur sur http://{adresse}/ ; région la plus chargée : {} ({}), cercle : {} ({}), commune : {} ({}).",
        choix.region.1,
        choix.region.0,
        choix.cercle.1,
        choix.cercle.0,
        choix.commune.1,
        choix.commune.0
    );
    let mut urls = choix.urls();
    urls.extend(
        telechargements(adresse)
            .into_iter()
            .map(|u| (u, Cible::Fichier)),
    );
    let garder = |url: &str| filtres.is_empty() || filtres.iter().any(|f| url.contains(f));

    let debut = Instant::now();
    let mut lignes = Vec::new();
    let mut manquees = Vec::new();
    let mut exemples = Vec::new();
    for (url, cible) in urls.iter().filter(|(u, _)| garder(u)) {
        let premiere = une_requete(adresse, url);
        for e in &premiere.exemples {
            exemples.push(format!("`{url}` (1re requête) : {e}"));
        }
        for connexions in [1, 32] {
            let chemin = url.clone();
            let fabrique: Fabrique = Arc::new(move |_, _| Requete::Get(chemin.clone()));
            // A download is fetched once per connection (three times alone): a file of
            // hundreds of megabytes, 32 at once, is the load.
            let au_plus = match (cible, connexions) {
                (Cible::Fichier, 1) => 3,
                (Cible::Fichier, _) => 1,
                _ => u64::MAX,
            };
            let position = serveur.position_journal();
            let m = charger_au_plus(adresse, connexions, duree, au_plus, fabrique);
            let (l, manque) = ligne(
                url,
                connexions,
                (connexions == 1).then(|| premiere.quantile_ms(1.0)),
                &m,
                &serveur.durees_depuis(position),
                serveur.pic_memoire_mio(),
                *cible,
            );
            eprintln!("{l}");
            if manque {
                manquees.push(format!("`{url}` à {connexions} connexion(s)"));
            }
            for e in &m.exemples {
                exemples.push(format!("`{url}` : {e}"));
            }
            lignes.push(l);
        }
    }

    // The first request after a visible change, which the site cannot serve from its cache.
    let apres_changement = ["/", "/apercu"]
        .into_iter()
        .filter(|u| garder(&format!("{u} après un changement")))
        .map(|chemin| {
            let store = Store::ouvrir(&serveur.base).unwrap();
            let mut latences = Vec::new();
            let mut serveur_ms = Vec::new();
            let mut statuts_5xx = 0;
            let debut_changements = Instant::now();
            for n in 0..CHANGEMENTS {
                publier_un_changement(&store, &choix, n);
                let position = serveur.position_journal();
                let m = une_requete(adresse, chemin);
                statuts_5xx += m.reponses_5xx + m.echecs_reseau;
                latences.extend(m.latences_us);
                serveur_ms.extend(serveur.durees_depuis(position));
            }
            latences.sort_unstable();
            serveur_ms.sort_by(f64::total_cmp);
            let m = Mesure {
                latences_us: latences,
                reponses_5xx: statuts_5xx,
                // Requests per second here count the writes' time too.
                duree: debut_changements.elapsed(),
                ..Mesure::default()
            };
            let (l, manque) = ligne(
                &format!("{chemin} après un changement"),
                1,
                None,
                &m,
                &serveur_ms,
                serveur.pic_memoire_mio(),
                Cible::Apercu,
            );
            if manque {
                manquees.push(format!("`{chemin}` après un changement"));
            }
            eprintln!("{l}");
            l
        })
        .collect::<Vec<_>>();

    let mut rapport = String::new();
    writeln!(
        rapport,
        "Base : {} partenariats, {} actions publics, {} collectivités ; région la plus chargée : {} (n° {}), cercle : {} (n° {}), commune : {} (n° {}). {} s par mesure ; durée totale {:.0} s.\n",
        choix.partenariats,
        choix.actions,
        choix.collectivites,
        choix.region.1,
        choix.region.0,
        choix.cercle.1,
        choix.cercle.0,
        choix.commune.1,
        choix.commune.0,
        duree.as_secs_f64(),
        debut.elapsed().as_secs_f64()
    )
    .unwrap();
    writeln!(rapport, "{ENTETE}").unwrap();
    for l in lignes.iter().chain(&apres_changement) {
        writeln!(rapport, "{l}").unwrap();
    }
    writeln!(
        rapport,
        "\nPic de mémoire résidente du serveur (`VmHWM`) : {:.0} Mo ; lignes ERROR dans son journal : {}.",
        serveur.pic_memoire_mio(),
        serveur.erreurs_journalisees()
    )
    .unwrap();
    if manquees.is_empty() {
        writeln!(rapport, "\nToutes les cibles sont tenues.").unwrap();
    } else {
        writeln!(
            rapport,
            "\nCibles manquées ({}) : {}.",
            manquees.len(),
            manquees.join(", ")
        )
        .unwrap();
    }
    if !exemples.is_empty() {
        writeln!(rapport, "\nPremières réponses en erreur :\n").unwrap();
        for e in exemples.iter().take(20) {
            writeln!(rapport, "- {e}").unwrap();
        }
    }
    println!("\n{rapport}");
    let fichier = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .join("charge-nationale.md");
    std::fs::write(&fichier, &rapport).unwrap();
    eprintln!("Tableau écrit dans {}.", fichier.display());
}

/// Writes a validated action of the Kayes partenariat through the store, as an approved
/// declaration would: the published data changes, so the overview must be recomputed.
fn publier_un_changement(store: &Store, choix: &Choix, n: usize) {
    let conn = store.connexion().unwrap();
    action::creer(
        &conn,
        NouvelleAction {
            partenariat: benkan::model::PartenariatId(choix.partenariat_kayes),
            titre: format!("Changement de charge n° {n}"),
            description: None,
            axe: Axe::TOUS[n % Axe::TOUS.len()],
            domaine: Domaine::TOUS[n % Domaine::TOUS.len()],
            nature: Nature::TOUS[0],
            statut: StatutAction::TOUS[0],
            periode: Periode::new(None, None).unwrap(),
            lieux: vec![CollectiviteId(choix.commune_kayes)],
            points: Vec::new(),
            localites: Vec::new(),
        },
    )
    .unwrap();
}
