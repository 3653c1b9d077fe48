//! The contributors' journey in a real browser: Debian's Chromium, driven by playwright-core
//! (tests/navigateur/parcours.mjs), against the real server.
//!
//! It needs Node.js, `npm ci --prefix tests/navigateur` and `/usr/bin/chromium`; `.ci/run`
//! installs them. Without them the test says so and passes on a developer's machine, but
//! fails under CI (`CI` set), where they must be present.

mod commun;

use std::path::Path;
use std::process::Command;

use benkan::model::{Email, Niveau, Pays, Role};
use benkan::store::compte;
use commun::{Serveur, par_code};

const MOT_DE_PASSE: &str = "une phrase de passe pour le navigateur";

fn prerequis_manquant() -> Option<String> {
    let dossier = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/navigateur");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned());
    if Command::new("node").arg("--version").output().is_err() {
        return Some("Node.js est absent".to_owned());
    }
    if !dossier.join("node_modules/playwright-core").exists() {
        return Some(
            "playwright-core n'est pas installé (npm ci --prefix tests/navigateur)".to_owned(),
        );
    }
    if !Path::new(&chromium).exists() {
        return Some(format!("{chromium} est absent (apt-get install chromium)"));
    }
    None
}

#[test]
fn an_authority_declares_and_an_administrator_validates_in_a_real_browser() {
    if let Some(manque) = prerequis_manquant() {
        assert!(
            std::env::var_os("CI").is_none(),
            "test navigateur impossible en CI : {manque}"
        );
        eprintln!("test navigateur non exécuté : {manque}");
        return;
    }
    let serveur = Serveur::demo();
    {
        let conn = serveur.conn();
        let kayes = par_code(&conn, Pays::MALI, Niveau::Commune, "ML-1-KAYES-KAYES").id;
        let hash = benkan::acces::hacher(MOT_DE_PASSE).unwrap();
        compte::creer(
            &conn,
            &Email::new("admin@mdat.ml").unwrap(),
            &hash,
            Role::AdminNational,
            &[],
        )
        .unwrap();
        compte::creer(
            &conn,
            &Email::new("maire@kayes.ml").unwrap(),
            &hash,
            Role::Collectivite,
            &[kayes],
        )
        .unwrap();
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/navigateur/parcours.mjs");
    let capture = std::env::temp_dir().join("benkan-parcours.png");
    let sortie = Command::new("node")
        .arg(&script)
        .arg(format!("http://{}", serveur.adresse))
        .arg(MOT_DE_PASSE)
        .env("CAPTURE", &capture)
        .output()
        .unwrap();
    assert!(
        sortie.status.success(),
        "parcours navigateur en échec :\n{}\n{}",
        String::from_utf8_lossy(&sortie.stdout),
        String::from_utf8_lossy(&sortie.stderr)
    );
    assert!(String::from_utf8_lossy(&sortie.stdout).contains("parcours navigateur : réussi"));
    // What the browser did is in the database too.
    let conn = serveur.conn();
    let (titre, validation): (String, String) = conn
        .query_row(
            "SELECT titre, validation FROM partenariat ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (titre.as_str(), validation.as_str()),
        ("Kayes – Angers (parcours navigateur)", "valide")
    );
}

/// The maps drawn by a real browser at desktop and phone width, audited by axe-core, their
/// zones links; the screenshots are left in the temporary directory for a human to look at.
#[test]
fn the_maps_are_drawn_fit_the_screen_and_lead_to_their_collectivites_in_a_real_browser() {
    if let Some(manque) = prerequis_manquant() {
        assert!(
            std::env::var_os("CI").is_none(),
            "test navigateur impossible en CI : {manque}"
        );
        eprintln!("test navigateur non exécuté : {manque}");
        return;
    }
    let serveur = Serveur::demo();
    let kayes = par_code(&serveur.conn(), Pays::MALI, Niveau::Region, "ML-1").id;
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/navigateur/cartes.mjs");
    let captures = std::env::temp_dir().join("benkan-cartes");
    let sortie = Command::new("node")
        .arg(&script)
        .arg(format!("http://{}", serveur.adresse))
        .env("CAPTURES", &captures)
        .env("PAGE_KAYES", format!("/collectivites/{kayes}"))
        .output()
        .unwrap();
    assert!(
        sortie.status.success(),
        "cartes navigateur en échec :\n{}\n{}",
        String::from_utf8_lossy(&sortie.stdout),
        String::from_utf8_lossy(&sortie.stderr)
    );
    assert!(String::from_utf8_lossy(&sortie.stdout).contains("cartes navigateur : réussi"));
    assert!(captures.join("apercu-communes-390.png").exists());
}

/// The pages about the registry (about, glossary, legal, privacy, account request, API, open
/// data) in a real browser at desktop and phone width: no horizontal scrolling, no axe-core
/// violation, every footer link present.
#[test]
fn the_pages_about_the_registry_fit_a_phone_and_pass_axe_core_in_a_real_browser() {
    if let Some(manque) = prerequis_manquant() {
        assert!(std::env::var_os("CI").is_none(), "CI : {manque}");
        eprintln!("test navigateur non exécuté : {manque}");
        return;
    }
    let serveur = Serveur::demo();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/navigateur/pages_publiques.mjs");
    let captures = std::env::temp_dir().join("benkan-pages-publiques");
    let sortie = Command::new("node")
        .arg(&script)
        .arg(format!("http://{}", serveur.adresse))
        .env("CAPTURES", &captures)
        .output()
        .unwrap();
    let lu = String::from_utf8_lossy(&sortie.stdout);
    assert!(
        sortie.status.success() && lu.contains("pages publiques navigateur : réussi"),
        "pages publiques en échec :\n{lu}\n{}",
        String::from_utf8_lossy(&sortie.stderr)
    );
    assert!(captures.join("glossaire-390.png").exists());
}
