//! Supervision (README « Supervision »): `/metrics` read as Prometheus reads it, after real
//! requests, and who may read it; the JSON log of `benkan --log-format json serve`.

mod commun;

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use commun::{MOT_DE_PASSE, Reponse, Serveur, comptes_kayes_mopti};

const JETON: &str = "jeton-de-supervision-assez-long";

/// One sample of the exposition: its name and labels, as `nom{a="1",b="2"}` with the labels
/// sorted, and its value.
type Echantillons = HashMap<String, f64>;

/// Reads the OpenMetrics text exposition strictly: every line a `# HELP`, `# TYPE` or
/// `# UNIT` comment or a sample `name{label="value",…} number`, the last one `# EOF`.
fn lire_exposition(texte: &str) -> Echantillons {
    let lignes: Vec<&str> = texte.lines().collect();
    assert_eq!(lignes.last(), Some(&"# EOF"), "ends with # EOF: {texte}");
    let mut echantillons = Echantillons::new();
    for ligne in &lignes[..lignes.len() - 1] {
        if let Some(commentaire) = ligne.strip_prefix("# ") {
            let mot = commentaire.split(' ').next().unwrap_or_default();
            assert!(["HELP", "TYPE", "UNIT"].contains(&mot), "{ligne}");
            continue;
        }
        let (serie, valeur) = ligne.rsplit_once(' ').expect(ligne);
        let valeur: f64 = valeur.parse().unwrap_or_else(|_| panic!("value: {ligne}"));
        let (nom, etiquettes) = match serie.split_once('{') {
            Some((nom, reste)) => (nom, reste.strip_suffix('}').expect(ligne)),
            None => (serie, ""),
        };
        assert!(
            !nom.is_empty()
                && nom
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':'),
            "metric name: {ligne}"
        );
        let mut paires: Vec<(&str, &str)> = Vec::new();
        let mut reste = etiquettes;
        while !reste.is_empty() {
            let (cle, apres) = reste.split_once("=\"").expect(ligne);
            assert!(
                cle.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
                "label name: {ligne}"
            );
            let fin = apres.find('"').expect(ligne);
            paires.push((cle, &apres[..fin]));
            reste = apres[fin + 1..].trim_start_matches(',');
        }
        paires.sort();
        let etiquettes: Vec<String> = paires.iter().map(|(c, v)| format!("{c}=\"{v}\"")).collect();
        let cle = format!("{nom}{{{}}}", etiquettes.join(","));
        assert!(
            echantillons.insert(cle, valeur).is_none(),
            "one sample per series: {ligne}"
        );
    }
    echantillons
}

/// The value of a series, its labels given in alphabetical order.
fn valeur(echantillons: &Echantillons, serie: &str) -> f64 {
    *echantillons
        .get(serie)
        .unwrap_or_else(|| panic!("no {serie} in {echantillons:#?}"))
}

fn metriques_avec(s: &Serveur, entetes: &[(&str, &str)]) -> Reponse {
    let mut requete = commun::agent().get(&format!("http://{}/metrics", s.adresse));
    for (nom, valeur) in entetes {
        requete = requete.header(*nom, *valeur);
    }
    commun::lire(requete.call().unwrap())
}

#[test]
fn metrics_count_requests_by_route_the_caches_and_failed_sign_ins() {
    let s = Serveur::demo();
    comptes_kayes_mopti(&s.conn());
    let premiere = s.get("/collectivites");
    let seconde = s.get("/collectivites");
    assert_eq!(premiere.entete("benkan-reponse"), Some("calculee"));
    assert_eq!(seconde.entete("benkan-reponse"), Some("gardee"));
    assert_eq!(s.get("/partenariats/1").statut, 200);
    assert_eq!(s.get("/partenariats/2").statut, 200);
    assert_eq!(s.get("/nulle-part/12345").statut, 404);
    assert_eq!(s.get("/api/v1/partenariats/1").statut, 200);
    assert_eq!(s.get("/apercu").statut, 200);
    assert_eq!(s.get("/apercu").statut, 200);
    let refusee = s.connecter("maire@kayes.ml", "pas le bon mot de passe", "/espace");
    assert_eq!(refusee.statut, 401);
    s.session("maire@kayes.ml", MOT_DE_PASSE);

    let r = s.get("/metrics");
    assert_eq!(r.statut, 200);
    assert!(
        r.entete("content-type")
            .is_some_and(|t| t.starts_with("application/openmetrics-text")),
        "{:?}",
        r.entete("content-type")
    );
    assert_eq!(r.entete("cache-control"), Some("no-store"));
    assert_eq!(r.entete("benkan-reponse"), None, "never kept");
    let m = lire_exposition(&r.corps);

    let requetes = |route: &str, methode: &str, statut: u16| {
        valeur(
            &m,
            &format!(
                "benkan_requetes_total{{methode=\"{methode}\",route=\"{route}\",statut=\"{statut}\"}}"
            ),
        )
    };
    assert_eq!(requetes("/collectivites", "GET", 200), 2.0);
    assert_eq!(requetes("/partenariats/{id}", "GET", 200), 2.0);
    assert_eq!(requetes("hors_routes", "GET", 404), 1.0);
    assert_eq!(requetes("/api/v1/partenariats/{id}", "GET", 200), 1.0);
    assert_eq!(requetes("/connexion", "POST", 401), 1.0);
    assert_eq!(requetes("/connexion", "POST", 303), 1.0);
    assert_eq!(requetes("/connexion", "GET", 200), 2.0);
    assert!(
        m.keys()
            .all(|k| !k.contains("/partenariats/1") && !k.contains("nulle-part")),
        "route templates only, never the address asked for"
    );
    assert_eq!(
        valeur(
            &m,
            "benkan_requete_duree_secondes_count{route=\"/collectivites\"}"
        ),
        2.0
    );
    assert_eq!(
        valeur(
            &m,
            "benkan_requete_duree_secondes_bucket{le=\"+Inf\",route=\"/collectivites\"}"
        ),
        2.0
    );
    assert!(
        valeur(
            &m,
            "benkan_requete_duree_secondes_sum{route=\"/collectivites\"}"
        ) > 0.0
    );
    let cache = |nom: &str, resultat: &str| {
        valeur(
            &m,
            &format!("benkan_cache_consultations_total{{cache=\"{nom}\",resultat=\"{resultat}\"}}"),
        )
    };
    // four answers kept (/collectivites, two /partenariats/{id}, the API's), one served again, …
    assert_eq!(cache("reponses", "gardee"), 1.0);
    assert_eq!(cache("reponses", "calculee"), 4.0);
    // … and the second /apercu is the page already written
    assert_eq!(cache("pages_apercu", "calculee"), 1.0);
    assert_eq!(cache("pages_apercu", "gardee"), 1.0);
    assert_eq!(
        valeur(
            &m,
            "benkan_connexions_echouees_total{motif=\"identifiants\"}"
        ),
        1.0
    );
    for acces in ["lecture", "ecriture"] {
        let attentes = valeur(
            &m,
            &format!("benkan_base_attente_secondes_count{{acces=\"{acces}\"}}"),
        );
        assert!(attentes >= 2.0, "{acces}: {attentes}");
    }

    // /metrics counts itself under its one route
    let encore = lire_exposition(&s.get("/metrics").corps);
    assert_eq!(
        valeur(
            &encore,
            "benkan_requetes_total{methode=\"GET\",route=\"/metrics\",statut=\"200\"}"
        ),
        1.0
    );
}

#[test]
fn only_local_unrelayed_requests_or_the_token_read_the_metrics() {
    let s = Serveur::demo_avec(benkan::web::Reglages {
        jeton_metriques: Some(JETON.to_owned()),
        ..Default::default()
    });
    assert_eq!(metriques_avec(&s, &[]).statut, 200, "from 127.0.0.1");
    for relais in [
        ("X-Forwarded-For", "192.0.2.7"),
        ("Forwarded", "for=192.0.2.7"),
    ] {
        let refusee = metriques_avec(&s, &[relais]);
        assert_eq!(refusee.statut, 403, "{relais:?}");
        assert!(
            refusee
                .corps
                .contains("demandes faites sur la machine du serveur"),
            "{}",
            refusee.corps
        );
        assert!(!refusee.corps.contains("benkan_requetes"));
    }
    let bearer = format!("Bearer {JETON}");
    let avec_jeton = metriques_avec(
        &s,
        &[("X-Forwarded-For", "192.0.2.7"), ("Authorization", &bearer)],
    );
    assert_eq!(avec_jeton.statut, 200);
    lire_exposition(&avec_jeton.corps);
    for faux in [
        "Bearer jeton-de-supervision-assez-lonG",
        "Bearer ",
        "Basic abc",
    ] {
        let refusee = metriques_avec(&s, &[("Authorization", faux)]);
        assert_eq!(refusee.statut, 403, "{faux}");
        assert!(refusee.corps.contains("Jeton de supervision refusé"));
    }

    // without a configured token, no token opens them
    let sans = Serveur::demo();
    assert_eq!(
        metriques_avec(
            &sans,
            &[("X-Forwarded-For", "192.0.2.7"), ("Authorization", &bearer)]
        )
        .statut,
        403
    );
}

fn benkan() -> Command {
    let mut commande = Command::new(env!("CARGO_BIN_EXE_benkan"));
    commande
        .env_remove("BENKAN_DB")
        .env_remove("BENKAN_ADDR")
        .env_remove("BENKAN_LOG_FORMAT");
    commande
}

#[test]
fn log_format_json_writes_one_json_object_per_line() {
    let dossier = tempfile::tempdir().unwrap();
    let chemin = dossier.path().join("base.db");
    let journal = dossier.path().join("journal.json");
    let mut serveur = benkan()
        .args([
            "serve",
            "--log-format",
            "json",
            "--addr",
            "127.0.0.1:0",
            "--db",
        ])
        .arg(&chemin)
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&journal).unwrap())
        .spawn()
        .unwrap();
    // The address it listens on, read on a thread so that a server that never says it
    // fails the test after two minutes instead of hanging it.
    let sortie = serveur.stdout.take().unwrap();
    let (envoi, reception) = mpsc::channel();
    std::thread::spawn(move || {
        for ligne in BufReader::new(sortie).lines().map_while(Result::ok) {
            if let Some(reste) = ligne.split("écoute sur ").nth(1) {
                let url = reste.split_whitespace().next().unwrap_or_default();
                let _ = envoi.send(url.trim_end_matches('/').to_owned());
            }
        }
    });
    let url = reception.recv_timeout(Duration::from_secs(120));
    let accueil = url
        .as_ref()
        .map(|url| commun::get(&format!("{url}/partenariats")));
    let arret = Command::new("kill")
        .args(["-TERM", &serveur.id().to_string()])
        .status()
        .unwrap();
    assert!(arret.success());
    let mut fin = None;
    for _ in 0..600 {
        fin = serveur.try_wait().unwrap();
        if fin.is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    if fin.is_none() {
        serveur.kill().unwrap();
        serveur.wait().unwrap();
        panic!("the server did not stop within a minute of SIGTERM");
    }
    assert!(url.is_ok(), "the server never said where it listens");
    assert_eq!(accueil.unwrap().statut, 200);
    assert!(fin.unwrap().success(), "a clean stop");

    let journal = std::fs::read_to_string(&journal).unwrap();
    let lignes: Vec<serde_json::Value> = journal
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let requete = lignes
        .iter()
        .find(|l| l["span"]["chemin"] == "/partenariats")
        .unwrap_or_else(|| panic!("one line for the request: {journal}"));
    assert_eq!(requete["level"], "INFO");
    assert_eq!(requete["span"]["methode"], "GET");
    assert!(
        requete["fields"]["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("200 en ")),
        "{requete}"
    );
    assert!(requete["timestamp"].is_string());
    assert!(
        lignes
            .iter()
            .any(|l| l["fields"]["message"] == "benkan s'est arrêté proprement")
    );
}

#[test]
fn an_unknown_log_format_is_refused_in_french() {
    let sortie = benkan()
        .args(["--log-format", "xml", "serve"])
        .output()
        .unwrap();
    assert_eq!(sortie.status.code(), Some(2));
    let erreur = String::from_utf8(sortie.stderr).unwrap();
    assert!(
        erreur.contains("« xml » n'est pas une valeur admise pour --log-format")
            && erreur.contains("texte, json"),
        "{erreur}"
    );
    let variable = benkan()
        .env("BENKAN_LOG_FORMAT", "yaml")
        .args(["serve"])
        .output()
        .unwrap();
    assert_eq!(variable.status.code(), Some(2));
}
