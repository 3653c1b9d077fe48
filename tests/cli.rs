//! The `benkan` binary as a user runs it.

mod commun;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use benkan::store::{Store, partenariat::PartenariatQuery};
use time::macros::date;

fn benkan() -> Command {
    let mut commande = Command::new(env!("CARGO_BIN_EXE_benkan"));
    commande
        .env_remove("BENKAN_DB")
        .env_remove("BENKAN_ADDR")
        .env_remove("BENKAN_PROXY_DE_CONFIANCE");
    for (nom, _) in std::env::vars() {
        if nom.starts_with("BENKAN_SMTP_") || nom == "BENKAN_URL_PUBLIQUE" {
            commande.env_remove(nom);
        }
    }
    commande
}

fn partenariats(chemin: &Path) -> u64 {
    let store = Store::ouvrir(chemin).unwrap();
    PartenariatQuery::new(date!(2026 - 01 - 01))
        .lister(&store.connexion().unwrap())
        .unwrap()
        .total
}

/// What clap writes in English when its headings and brackets are not replaced.
const ANGLAIS: [&str; 9] = [
    "Usage:",
    "Commands:",
    "Options:",
    "Arguments:",
    "[default",
    "[env",
    "[possible",
    "Print help",
    "Print version",
];

#[test]
fn help_is_in_french_for_every_command() {
    for aide in ["--help", "-h"] {
        let sortie = benkan().arg(aide).output().unwrap();
        assert!(sortie.status.success());
        let texte = String::from_utf8(sortie.stdout).unwrap();
        for attendu in [
            "Utilisation : benkan [OPTIONS] <COMMANDE>",
            "Commandes :",
            "Options :",
            "Affiche l'aide",
            "Affiche la version",
            "init",
            "serve",
            "sauvegarde",
            "verifier",
        ] {
            assert!(texte.contains(attendu), "{attendu} : {texte}");
        }
        for anglais in ANGLAIS {
            assert!(!texte.contains(anglais), "{anglais} : {texte}");
        }
    }
    for commande in [
        &["init"][..],
        &["serve"],
        &["report"],
        &["export"],
        &["export", "csv"],
        &["export", "iati"],
        &["import"],
        &["import", "csv"],
        &["import", "iati"],
        &["user"],
        &["user", "add"],
        &["user", "token"],
        &["resolve"],
        &["sauvegarde"],
        &["verifier"],
    ] {
        let aide = benkan().args(commande).arg("--help").output().unwrap();
        assert!(aide.status.success(), "{commande:?}");
        let texte = String::from_utf8(aide.stdout).unwrap();
        assert!(
            texte.contains("--db <CHEMIN>")
                && texte.contains("(par défaut benkan.db ; variable BENKAN_DB)")
                && texte.contains("Utilisation : benkan")
                && texte.contains("Options :"),
            "{commande:?} : {texte}"
        );
        for anglais in ANGLAIS {
            assert!(
                !texte.contains(anglais),
                "{commande:?}, {anglais} : {texte}"
            );
        }
    }
    let serve = benkan().args(["serve", "--help"]).output().unwrap();
    let texte = String::from_utf8(serve.stdout).unwrap();
    assert!(
        texte.contains("Exemple")
            && texte.contains("par défaut 127.0.0.1:8080 ; variable BENKAN_ADDR")
            && texte.contains("--smtp-serveur <HÔTE>")
            && texte.contains("(variable BENKAN_SMTP_SERVEUR)")
            && texte.contains("starttls (par défaut ; STARTTLS obligatoire)")
            && texte.contains("variable BENKAN_URL_PUBLIQUE")
            && texte.contains("variable BENKAN_HEURE_RESUME"),
        "{texte}"
    );
}

#[test]
fn usage_errors_are_explained_in_french() {
    for (args, attendu) in [
        (
            &["inconnue"][..],
            "« inconnue » n'est pas une commande de benkan",
        ),
        (
            &["serve", "--adr", "1"],
            "« --adr » n'est pas une option de cette commande (peut-être : --addr)",
        ),
        (
            &["serve", "--addr", "pas-une-adresse"],
            "« pas-une-adresse » n'est pas une adresse ADRESSE:PORT",
        ),
        (
            &["report", "--format", "pdf"],
            "« pdf » n'est pas une valeur admise pour --format <FORMAT> ; valeurs admises : html, md, json, csv",
        ),
        (
            &["resolve", "--limit", "0", "Kayes"],
            "« 0 » n'est pas un nombre de 1 à 100",
        ),
        (&["user", "add"], "il manque --email <EMAIL>, --role <ROLE>"),
        (
            &["serve", "--proxy-de-confiance", "proxy.local"],
            "« proxy.local » n'est pas une adresse IP (par exemple 127.0.0.1 ou ::1",
        ),
        (
            &["serve", "--proxy-de-confiance", "127.0.0.1,10.0.0.0/8"],
            "« 10.0.0.0/8 » n'est pas une adresse IP (par exemple 127.0.0.1 ou ::1, sans port ni masque de réseau)",
        ),
        // SMTP settings that cannot work stop serve before it creates anything
        (
            &["serve", "--smtp-serveur", "smtp.exemple.ml"],
            "--smtp-serveur est donné mais pas --smtp-expediteur (variable BENKAN_SMTP_EXPEDITEUR)",
        ),
        (
            &[
                "serve",
                "--smtp-serveur",
                "smtp.exemple.ml",
                "--smtp-expediteur",
                "registre@exemple.ml",
                "--url-publique",
                "registre.exemple.ml",
            ],
            "l'adresse publique du site « registre.exemple.ml » doit commencer par https:// ou http:// (BENKAN_URL_PUBLIQUE)",
        ),
        (
            &[
                "serve",
                "--smtp-serveur",
                "smtp.exemple.ml",
                "--smtp-expediteur",
                "le registre",
                "--url-publique",
                "https://registre.exemple.ml",
            ],
            "l'expéditeur « le registre » n'est pas une adresse e-mail",
        ),
        (
            &[
                "serve",
                "--smtp-serveur",
                "smtp.exemple.ml",
                "--smtp-expediteur",
                "registre@exemple.ml",
                "--url-publique",
                "https://registre.exemple.ml",
                "--smtp-compte",
                "registre",
            ],
            "--smtp-serveur est donné mais pas --smtp-mot-de-passe (variable BENKAN_SMTP_MOT_DE_PASSE)",
        ),
        (&["serve", "--heure-resume", "24"], "« 24 » n'est pas"),
    ] {
        let sortie = benkan().args(args).output().unwrap();
        assert_eq!(sortie.status.code(), Some(2), "{args:?}");
        let erreur = String::from_utf8(sortie.stderr).unwrap();
        assert!(
            erreur.starts_with("benkan : demande incorrecte : ") && erreur.contains(attendu),
            "{args:?} : {erreur}"
        );
        for anglais in ["error:", "Usage:", "For more information"] {
            assert!(!erreur.contains(anglais), "{args:?} : {erreur}");
        }
    }
}

#[test]
fn a_trusted_proxy_given_by_the_environment_is_checked_too() {
    let sortie = benkan()
        // a base that cannot be created: were the value accepted, serve would stop at once
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--db",
            "/dossier-absent/essai.db",
        ])
        .env("BENKAN_PROXY_DE_CONFIANCE", "127.0.0.1, pas-une-ip")
        .output()
        .unwrap();
    assert_eq!(sortie.status.code(), Some(2));
    let erreur = String::from_utf8(sortie.stderr).unwrap();
    assert!(
        erreur.contains("« pas-une-ip » n'est pas une adresse IP"),
        "{erreur}"
    );
}

#[test]
fn usage_errors_exit_with_status_2() {
    for args in [
        &["inconnue"][..],
        &["serve", "--addr", "pas-une-adresse"],
        &["init", "--demo=oui"],
        &[],
    ] {
        let sortie = benkan().args(args).output().unwrap();
        assert_eq!(sortie.status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn init_creates_the_database_and_loads_the_demo_once() {
    let dossier = tempfile::tempdir().unwrap();
    let chemin = dossier.path().join("registre.db");
    let sortie = benkan()
        .args(["init", "--db"])
        .arg(&chemin)
        .output()
        .unwrap();
    assert!(sortie.status.success());
    assert_eq!(partenariats(&chemin), 0, "no demo unless asked");
    let texte = String::from_utf8(sortie.stdout).unwrap();
    assert!(
        texte.contains("18769 localités du Mali (42 rattachées à leur cercle"),
        "{texte}"
    );

    for _ in 0..2 {
        let sortie = benkan()
            .arg("init")
            .arg("--demo")
            .env("BENKAN_DB", &chemin)
            .output()
            .unwrap();
        assert!(
            sortie.status.success(),
            "{}",
            String::from_utf8_lossy(&sortie.stderr)
        );
        assert!(
            String::from_utf8(sortie.stdout)
                .unwrap()
                .contains("Données de démonstration")
        );
    }
    assert_eq!(partenariats(&chemin), 9, "loading twice adds nothing");
}

#[test]
fn a_file_that_is_not_a_benkan_database_is_refused_and_left_alone() {
    let dossier = tempfile::tempdir().unwrap();
    let chemin = dossier.path().join("notes.txt");
    std::fs::write(&chemin, "ceci n'est pas une base de données\n".repeat(200)).unwrap();
    let avant = std::fs::read(&chemin).unwrap();
    let sortie = benkan()
        .args(["init", "--db"])
        .arg(&chemin)
        .output()
        .unwrap();
    assert_eq!(sortie.status.code(), Some(1));
    let erreur = String::from_utf8(sortie.stderr).unwrap();
    assert!(erreur.contains("benkan : erreur"), "{erreur}");
    assert_eq!(std::fs::read(&chemin).unwrap(), avant);
}

#[test]
fn serve_creates_a_missing_database_with_the_demo_and_answers() {
    let dossier = tempfile::tempdir().unwrap();
    let chemin = dossier.path().join("nouvelle.db");
    let journal = dossier.path().join("journal.txt");
    let mut serveur = benkan()
        .args(["serve", "--addr", "127.0.0.1:0", "--db"])
        .arg(&chemin)
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&journal).unwrap())
        .spawn()
        .unwrap();
    let mut lignes = BufReader::new(serveur.stdout.take().unwrap()).lines();
    let mut avant = String::new();
    let url = loop {
        let ligne = lignes
            .next()
            .expect("the server stopped before listening")
            .unwrap();
        avant.push_str(&ligne);
        if let Some(reste) = ligne.split("écoute sur ").nth(1) {
            break reste
                .split_whitespace()
                .next()
                .unwrap()
                .trim_end_matches('/')
                .to_owned();
        }
    };
    let accueil = commun::get(&format!("{url}/"));
    let liste = commun::get(&format!("{url}/partenariats?pays=FR"));
    // What a service manager sends to stop it.
    let arret = Command::new("kill")
        .args(["-TERM", &serveur.id().to_string()])
        .status()
        .unwrap();
    assert!(arret.success());
    assert!(serveur.wait().unwrap().success(), "a clean stop");
    let journal = std::fs::read_to_string(&journal).unwrap();
    assert!(
        avant.contains("aucun compte")
            && avant.contains("benkan user add --db")
            && avant.contains("--role admin_national"),
        "the first administrator's command is said: {avant}"
    );
    assert!(journal.contains("aucun compte"), "{journal}");
    assert!(
        journal.contains("methode=GET chemin=/partenariats}: 200 en "),
        "one line per request: {journal}"
    );
    assert!(!journal.contains("pays="), "no query string: {journal}");
    assert!(
        !journal.contains('\u{1b}'),
        "no colour codes in a file: {journal}"
    );
    assert!(
        journal.contains("SIGTERM reçu") && journal.contains("benkan s'est arrêté proprement"),
        "{journal}"
    );
    assert_eq!(accueil.statut, 200);
    assert!(
        accueil
            .corps
            .contains("<strong>9</strong> partenariats actifs")
    );
    assert!(liste.corps.contains("Bamako – Angers"));
    assert_eq!(partenariats(&chemin), 9);
}

#[test]
fn serve_reports_a_port_already_taken() {
    let occupe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dossier = tempfile::tempdir().unwrap();
    let sortie = benkan()
        .args([
            "serve",
            "--addr",
            &occupe.local_addr().unwrap().to_string(),
            "--db",
        ])
        .arg(dossier.path().join("b.db"))
        .output()
        .unwrap();
    assert_eq!(sortie.status.code(), Some(1));
    assert!(
        String::from_utf8(sortie.stderr)
            .unwrap()
            .contains("impossible d'écouter")
    );
}

/// A database with the référentiel, shared by the resolve tests of this file.
fn base_referentiel() -> &'static Path {
    static BASE: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    BASE.get_or_init(|| {
        let dossier = tempfile::tempdir().unwrap();
        let sortie = benkan()
            .args(["init", "--db"])
            .arg(dossier.path().join("r.db"))
            .output()
            .unwrap();
        assert!(sortie.status.success());
        dossier
    })
    .path()
}

fn resolve(args: &[&str]) -> std::process::Output {
    benkan()
        .arg("resolve")
        .arg("--db")
        .arg(base_referentiel().join("r.db"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn resolve_json_is_an_array_best_first() {
    let sortie = resolve(&["Département Ille –et vilaine", "--json"]);
    assert!(sortie.status.success());
    let candidats: serde_json::Value = serde_json::from_slice(&sortie.stdout).unwrap();
    let premier = &candidats[0];
    assert_eq!(premier["country"], "FR");
    assert_eq!(premier["level"], "departement");
    assert_eq!(premier["code"], "35");
    assert_eq!(premier["name"], "Ille-et-Vilaine");
    assert_eq!(premier["parent"], "Bretagne");
    assert_eq!(premier["current"], true);
    assert_eq!(premier["successors"], serde_json::json!([]));
    assert_eq!(premier["reason"], "normalised");
    let score = premier["score"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&score));

    let ancienne = resolve(&["Région Rhône-Alpes", "--json", "--limit", "1"]);
    let candidats: serde_json::Value = serde_json::from_slice(&ancienne.stdout).unwrap();
    assert_eq!(candidats.as_array().unwrap().len(), 1);
    assert_eq!(candidats[0]["current"], false);
    assert_eq!(candidats[0]["successors"], serde_json::json!(["84"]));

    let homonymes = resolve(&["Maurepas", "--json", "--country", "fr"]);
    let candidats: serde_json::Value = serde_json::from_slice(&homonymes.stdout).unwrap();
    assert_eq!(candidats[0]["code"], "78383");
    assert_eq!(candidats[0]["ambiguous"], true);
}

#[test]
fn resolve_without_a_match_prints_an_empty_array_and_succeeds() {
    let sortie = resolve(&["Xyzzyquux", "--json"]);
    assert_eq!(sortie.status.code(), Some(0));
    assert_eq!(String::from_utf8(sortie.stdout).unwrap().trim(), "[]");
    let texte = resolve(&["Xyzzyquux"]);
    assert!(
        String::from_utf8(texte.stdout)
            .unwrap()
            .contains("Aucune collectivité ni localité connue ne ressemble à « Xyzzyquux »")
    );
}

#[test]
fn resolve_finds_the_commune_of_a_village() {
    let sortie = resolve(&["Worofara", "--limit", "1"]);
    assert!(sortie.status.success());
    let texte = String::from_utf8(sortie.stdout).unwrap();
    assert!(
        texte.contains(
            "1. Worofara (localité, commune de Sanankoro Djitoumou, cercle de Kati) — Mali \
             (ML020530035) — nom exact (1,00)"
        ),
        "{texte}"
    );
    let json = resolve(&["Somadougou", "--level", "localite", "--json"]);
    let candidats: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let communes: Vec<&str> = candidats
        .as_array()
        .unwrap()
        .iter()
        .take(3)
        .map(|c| c["parent"].as_str().unwrap())
        .collect();
    assert_eq!(communes, ["Kassaro", "Lanfiala", "Sio"]);
    assert_eq!(candidats[0]["level"], "localite");
    assert_eq!(candidats[0]["ambiguous"], true);
    // the collectivités of a name come first, the village after
    let kayes = resolve(&["Kayes", "--country", "ML", "--json"]);
    let candidats: serde_json::Value = serde_json::from_slice(&kayes.stdout).unwrap();
    let niveaux: Vec<&str> = candidats
        .as_array()
        .unwrap()
        .iter()
        .take(4)
        .map(|c| c["level"].as_str().unwrap())
        .collect();
    assert_eq!(niveaux, ["region", "cercle", "commune", "localite"]);
    assert_eq!(candidats[3]["parent_code"], "ML-1-KAYES-KAYES");
    assert_eq!(candidats[3]["parent_id"], candidats[2]["id"], "the commune");
    assert!(candidats[3]["id"].is_null());
    // another country has no localité
    let france = resolve(&["Worofara", "--country", "FR", "--json"]);
    let candidats: serde_json::Value = serde_json::from_slice(&france.stdout).unwrap();
    assert!(
        candidats
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["level"] != "localite")
    );
}

#[test]
fn resolve_explains_in_french_for_a_person() {
    let sortie = resolve(&["Evry", "--limit", "3"]);
    let texte = String::from_utf8(sortie.stdout).unwrap();
    assert!(texte.contains("ambigu"), "{texte}");
    assert!(
        texte.contains("n'existe plus, devenue Évry-Courcouronnes (91228)"),
        "{texte}"
    );
    assert!(texte.contains("ancien nom"), "{texte}");
}

#[test]
fn resolve_refuses_bad_requests_with_status_2() {
    let cas: [&[&str]; 8] = [
        &[""],
        &["   "],
        &["Ka\u{1}yes"],
        &["Kayes", "--country", "ZZ"],
        &["Kayes", "--country", "Mali"],
        &["Kayes", "--level", "ville"],
        &["Kayes", "--limit", "0"],
        &["Kayes", "--limit", "beaucoup"],
    ];
    for args in cas {
        let sortie = resolve(args);
        assert_eq!(sortie.status.code(), Some(2), "{args:?}");
        assert!(!sortie.stderr.is_empty(), "{args:?} says nothing");
        assert!(sortie.stdout.is_empty(), "{args:?}");
    }
    let long = "a".repeat(5000);
    assert_eq!(resolve(&[&long]).status.code(), Some(2));
}

#[test]
fn report_writes_every_format() {
    let dossier = tempfile::tempdir().unwrap();
    let base = dossier.path().join("b.db");
    assert!(
        benkan()
            .args(["init", "--demo", "--db"])
            .arg(&base)
            .output()
            .unwrap()
            .status
            .success()
    );
    let rapport = |args: &[&str]| {
        benkan()
            .arg("report")
            .arg("--db")
            .arg(&base)
            .args(args)
            .output()
            .unwrap()
    };

    let json = rapport(&["--date", "2026-01-01", "--format", "json"]);
    assert!(json.status.success());
    let a: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(a["partenariats_actifs"], 9);

    let md = rapport(&["--date", "2026-01-01"]);
    let texte = String::from_utf8(md.stdout).unwrap();
    assert!(texte.starts_with("# Aperçu général sur la coopération décentralisée au Mali"));
    assert!(
        texte.contains("| Kayes | ML-1 | Kayes | 4 | 44\u{202F}% | 0 | 0\u{202F}% |"),
        "{texte}"
    );

    let html = dossier.path().join("apercu.html");
    assert!(
        rapport(&["--format", "html", "--out", html.to_str().unwrap()])
            .status
            .success()
    );
    let contenu = std::fs::read_to_string(&html).unwrap();
    assert!(contenu.contains("<svg role=\"img\"") && !contenu.contains("http"));
    // The national map, drawn inline with its credit (no link: the file stands alone).
    assert!(contenu.contains("Partenariats actifs par région au Mali"));
    assert!(contenu.contains("Limites administratives : DNCT Mali / OCHA, COD-AB 2015"));

    let tableaux = dossier.path().join("tableaux");
    assert!(
        rapport(&["--format", "csv", "--out", tableaux.to_str().unwrap()])
            .status
            .success()
    );
    let pays = std::fs::read_to_string(tableaux.join("pays.csv")).unwrap();
    assert_eq!(
        pays,
        "Pays,Code ISO,Partenariats,Part\nFrance,FR,8,0.8889\nCanada,CA,1,0.1111\n"
    );
    assert!(tableaux.join("qualite.csv").exists());

    for mauvais in [
        &["--date", "2026-13-01"][..],
        &["--format", "pdf"],
        &["--format", "csv"],
    ] {
        assert_eq!(rapport(mauvais).status.code(), Some(2), "{mauvais:?}");
    }
}

#[test]
fn user_accounts_are_managed_with_the_password_on_standard_input() {
    use std::io::Write;
    let dossier = tempfile::tempdir().unwrap();
    let base = dossier.path().join("comptes.db");
    // `user` wants an existing database: `init` creates it.
    let init = benkan().args(["init", "--db"]).arg(&base).output().unwrap();
    assert!(init.status.success());
    let user = |args: &[&str], entree: &str| {
        let mut enfant = benkan()
            .arg("user")
            .args(args)
            .arg("--db")
            .arg(&base)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        enfant
            .stdin
            .take()
            .unwrap()
            .write_all(entree.as_bytes())
            .unwrap();
        enfant.wait_with_output().unwrap()
    };
    let cree = user(
        &[
            "add",
            "--email",
            "Admin@MDAT.ml",
            "--role",
            "admin_national",
        ],
        "une phrase de passe\n",
    );
    assert!(
        cree.status.success(),
        "{}",
        String::from_utf8_lossy(&cree.stderr)
    );
    assert!(
        String::from_utf8(cree.stdout)
            .unwrap()
            .contains("admin@mdat.ml")
    );
    let maire = user(
        &[
            "add",
            "--email",
            "maire@kayes.ml",
            "--role",
            "collectivite",
            "--collectivite",
            "ML-1-KAYES-KAYES",
        ],
        "une autre phrase\n",
    );
    assert!(
        maire.status.success(),
        "{}",
        String::from_utf8_lossy(&maire.stderr)
    );

    // An association's account speaks for an acteur of the registry.
    let association = {
        let store = Store::ouvrir_existante(&base).unwrap();
        benkan::store::acteur::creer(
            &store.connexion().unwrap(),
            benkan::model::NouvelActeur {
                nom: "Comité de jumelage".into(),
                type_organisation: benkan::model::TypeOrganisation::OngInternationale,
                identifiant_iati: None,
                pays: None,
                collectivite: None,
            },
        )
        .unwrap()
        .to_string()
    };
    let asso = user(
        &[
            "add",
            "--email",
            "asso@jumelage.fr",
            "--role",
            "acteur",
            "--acteur",
            &association,
        ],
        "une phrase de passe\n",
    );
    assert!(
        asso.status.success(),
        "{}",
        String::from_utf8_lossy(&asso.stderr)
    );
    let refus_association: [(&[&str], &str); 4] = [
        (
            &["add", "--email", "a@y.ml", "--role", "acteur"],
            "au moins un acteur",
        ),
        (
            &[
                "add", "--email", "a@y.ml", "--role", "acteur", "--acteur", "999",
            ],
            "aucun acteur ne porte le numéro 999",
        ),
        (
            &[
                "add",
                "--email",
                "a@y.ml",
                "--role",
                "lecteur",
                "--acteur",
                &association,
            ],
            "seul un compte « Association ou ONG partenaire »",
        ),
        (
            &[
                "add",
                "--email",
                "a@y.ml",
                "--role",
                "acteur",
                "--acteur",
                &association,
                "--collectivite",
                "ML-1-KAYES-KAYES",
            ],
            "n'agit au nom d'aucune collectivité",
        ),
    ];
    for (args, message) in refus_association {
        let sortie = user(args, "une phrase de passe\n");
        assert_eq!(sortie.status.code(), Some(2), "{args:?}");
        let erreur = String::from_utf8_lossy(&sortie.stderr);
        assert!(erreur.contains(message), "{args:?}: {erreur}");
    }

    let cas: [(&[&str], &str); 5] = [
        (
            &["add", "--email", "admin@mdat.ml", "--role", "lecteur"],
            "une phrase de passe\n",
        ),
        (
            &["add", "--email", "x@y.ml", "--role", "lecteur"],
            "court\n",
        ),
        (
            &["add", "--email", "pas-une-adresse", "--role", "lecteur"],
            "une phrase de passe\n",
        ),
        (
            &["add", "--email", "z@y.ml", "--role", "collectivite"],
            "une phrase de passe\n",
        ),
        (
            &[
                "add",
                "--email",
                "z@y.ml",
                "--role",
                "collectivite",
                "--collectivite",
                "ZZ-404",
            ],
            "une phrase de passe\n",
        ),
    ];
    for (args, entree) in cas {
        let sortie = user(args, entree);
        assert_eq!(sortie.status.code(), Some(2), "{args:?}");
        assert!(!sortie.stderr.is_empty());
    }
    assert_eq!(
        user(&["add", "--email", "w@y.ml", "--role", "chef"], "")
            .status
            .code(),
        Some(2)
    );

    let liste = String::from_utf8(user(&["list"], "").stdout).unwrap();
    assert_eq!(liste.lines().count(), 3, "{liste}");
    assert!(liste.contains("maire@kayes.ml\tcollectivite\tactif\t1 collectivité(s)\t0 acteur(s)"));
    assert!(liste.contains("asso@jumelage.fr\tacteur\tactif\t0 collectivité(s)\t1 acteur(s)"));
    assert!(
        user(&["disable", "--email", "maire@kayes.ml"], "")
            .status
            .success()
    );
    assert!(
        String::from_utf8(user(&["list"], "").stdout)
            .unwrap()
            .contains("maire@kayes.ml\tcollectivite\tdésactivé")
    );
    assert_eq!(
        user(&["disable", "--email", "inconnu@kayes.ml"], "")
            .status
            .code(),
        Some(2)
    );
    assert!(
        user(
            &["reset-password", "--email", "admin@mdat.ml"],
            "une nouvelle phrase\n"
        )
        .status
        .success()
    );

    let store = Store::ouvrir(&base).unwrap();
    let conn = store.connexion().unwrap();
    let (_, hash) = benkan::store::compte::par_email(
        &conn,
        &benkan::model::Email::new("admin@mdat.ml").unwrap(),
    )
    .unwrap()
    .unwrap();
    assert!(benkan::acces::verifier("une nouvelle phrase", &hash));
    assert!(!hash.contains("nouvelle"), "only the hash is stored");
}
