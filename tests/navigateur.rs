//! The contributors' journey in a real browser: Debian's Chromium, driven by playwright-core
//! (tests/navigateur/parcours.mjs), against the real server.
//!
//! It needs Node.js, `npm ci --prefix tests/navigateur` and `/usr/bin/chromium`; `.ci/run`
//! installs them. Without them the test says so and passes on a developer's machine, but
//! fails under CI (`CI` set), where they must be present.

mod commun;

use std::path::Path;
use std::process::Command;

use benkan::model::{
    Axe, Devise, Domaine, Email, Montant, Nature, Niveau, NouveauFinancement, NouvelActeur,
    NouvelleAction, PartenariatId, Pays, Periode, PointAction, Role, StatutAction, TypeFinancement,
    TypeOrganisation,
};
use benkan::store::{acteur, action, compte, financement};
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

/// Whether the browser can run here; under CI it must.
fn navigateur_present() -> bool {
    let Some(manque) = prerequis_manquant() else {
        return true;
    };
    assert!(
        std::env::var_os("CI").is_none(),
        "test navigateur impossible en CI : {manque}"
    );
    eprintln!("test navigateur non exécuté : {manque}");
    false
}

/// Runs `tests/navigateur/{script}` against the server with `env`, and checks that it ends
/// with « {fin} : réussi ».
fn lancer(script: &str, serveur: &Serveur, arguments: &[&str], env: &[(&str, String)], fin: &str) {
    let chemin = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/navigateur")
        .join(script);
    let sortie = Command::new("node")
        .arg(&chemin)
        .arg(format!("http://{}", serveur.adresse))
        .args(arguments)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&sortie.stdout);
    assert!(
        sortie.status.success() && stdout.contains(&format!("{fin} : réussi")),
        "{script} en échec :\n{stdout}\n{}",
        String::from_utf8_lossy(&sortie.stderr)
    );
}

/// A demonstration server with `admin@mdat.ml` and `maire@kayes.ml` (the commune of Kayes).
fn admin_et_kayes() -> Serveur {
    let serveur = Serveur::demo();
    let conn = serveur.conn();
    let kayes = par_code(&conn, Pays::MALI, Niveau::Commune, "ML-1-KAYES-KAYES").id;
    let hash = benkan::acces::hacher(MOT_DE_PASSE).unwrap();
    for (email, role, collectivites) in [
        ("admin@mdat.ml", Role::AdminNational, vec![]),
        ("maire@kayes.ml", Role::Collectivite, vec![kayes]),
    ] {
        compte::creer(
            &conn,
            &Email::new(email).unwrap(),
            &hash,
            role,
            &collectivites,
            &[],
        )
        .unwrap();
    }
    drop(conn);
    serveur
}

/// La bourse aux partenariats, one match from demande to partenariat
/// (tests/navigateur/bourse.mjs): Kayes asks, Lyon (`mairie@lyon.fr`) offers, the
/// administrator validates both, each side says its interest, Kayes declares the partenariat.
#[test]
fn a_demande_meets_an_offre_and_becomes_a_partenariat_in_a_real_browser() {
    if !navigateur_present() {
        return;
    }
    let serveur = admin_et_kayes();
    let conn = serveur.conn();
    let kayes = par_code(&conn, Pays::MALI, Niveau::Commune, "ML-1-KAYES-KAYES").id;
    let lyon = par_code(&conn, Pays::FRANCE, Niveau::Commune, "69123").id;
    compte::creer(
        &conn,
        &Email::new("mairie@lyon.fr").unwrap(),
        &benkan::acces::hacher(MOT_DE_PASSE).unwrap(),
        Role::Collectivite,
        &[lyon],
        &[],
    )
    .unwrap();
    drop(conn);
    let captures = std::env::temp_dir().join("benkan-bourse");
    lancer(
        "bourse.mjs",
        &serveur,
        &[MOT_DE_PASSE],
        &[("CAPTURES", captures.display().to_string())],
        "bourse navigateur",
    );
    // What the browser did is in the database too: a partenariat of Kayes and Lyon born of
    // the bourse, submitted for validation, and both annonces fulfilled by it.
    let conn = serveur.conn();
    let (p, validation, parties): (i64, String, String) = conn
        .query_row(
            "SELECT p.id, p.validation, group_concat(pa.collectivite_id ORDER BY pa.collectivite_id)
             FROM partenariat p JOIN partie pa ON pa.partenariat_id = p.id
             WHERE p.id = (SELECT max(id) FROM partenariat) GROUP BY p.id",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    let mut attendues = [kayes.0, lyon.0];
    attendues.sort_unstable();
    assert_eq!(
        (validation.as_str(), parties),
        ("soumis", format!("{},{}", attendues[0], attendues[1]))
    );
    let (demande, offre): (String, String) = conn
        .query_row(
            "SELECT d.titre || ' : ' || d.etat, o.titre || ' : ' || o.etat
             FROM bourse_rencontre r JOIN bourse_demande d ON d.id = r.demande_id
             JOIN bourse_offre o ON o.id = r.offre_id WHERE r.partenariat_id = ?1",
            [p],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (demande.as_str(), offre.as_str()),
        (
            "Eau potable pour trois villages (navigateur) : pourvue",
            "Appui à la gestion de l'eau (navigateur) : pourvue"
        )
    );
    assert!(captures.join("espace-revue-390.png").exists());
}

/// Every contributor's form refused, and the review's « Renvoyer » without a comment: the
/// focus on the error summary, axe-core clean and no sideways scrolling at 390 and 1366 px.
#[test]
fn every_refused_form_focuses_its_summary_and_passes_axe_core_in_a_real_browser() {
    if !navigateur_present() {
        return;
    }
    let serveur = admin_et_kayes();
    let captures = std::env::temp_dir().join("benkan-formulaires");
    lancer(
        "formulaires.mjs",
        &serveur,
        &[MOT_DE_PASSE],
        &[("CAPTURES", captures.display().to_string())],
        "formulaires navigateur",
    );
    assert!(
        captures
            .join("validation-sans-commentaire-390.png")
            .exists()
    );
}

#[test]
fn an_authority_declares_and_an_administrator_validates_in_a_real_browser() {
    if !navigateur_present() {
        return;
    }
    let serveur = admin_et_kayes();
    let capture = std::env::temp_dir().join("benkan-parcours.png");
    lancer(
        "parcours.mjs",
        &serveur,
        &[MOT_DE_PASSE],
        &[("CAPTURE", capture.display().to_string())],
        "parcours navigateur",
    );
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
        ("Kayes – Angers (parcours navigateur), jumelage", "soumis"),
        "validated, then changed by its authority: back in the queue"
    );
}

/// An authority declares a result and a measure through the real forms, an administrator
/// validates, and the public page draws the progress bar (tests/navigateur/resultats.mjs).
#[test]
fn a_result_declared_in_a_real_browser_shows_its_progress_bar() {
    if !navigateur_present() {
        return;
    }
    let serveur = admin_et_kayes();
    let conn = serveur.conn();
    let kayes = par_code(&conn, Pays::MALI, Niveau::Commune, "ML-1-KAYES-KAYES").id;
    let angers = par_code(&conn, Pays::FRANCE, Niveau::Commune, "49007").id;
    let p = commun::partenariat(&conn, "Kayes – Angers", &[kayes, angers]);
    let action = commun::action(
        &conn,
        p,
        "Formation des élus",
        (
            benkan::model::Axe::AppuiInstitutionnel,
            benkan::model::Domaine::GouvernanceLocale,
            benkan::model::Nature::Institutionnelle,
        ),
        vec![kayes],
    );
    drop(conn);
    let captures = std::env::temp_dir().join("benkan-resultats");
    lancer(
        "resultats.mjs",
        &serveur,
        &[MOT_DE_PASSE, &action.to_string(), &kayes.to_string()],
        &[("CAPTURES", captures.display().to_string())],
        "résultats navigateur",
    );
    // what the browser did is in the database
    let conn = serveur.conn();
    let (cible, valeur, femmes): (i64, i64, i64) = conn
        .query_row(
            "SELECT r.cible_pas, p.valeur_pas, p.femmes FROM resultat r
             JOIN resultat_periode p ON p.resultat_id = r.id WHERE r.action_id = ?1",
            [action.0],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!((cible, valeur, femmes), (40, 30, 12));
}

/// The maps drawn by a real browser at desktop and phone width, audited by axe-core, their
/// zones links; the screenshots are left in the temporary directory for a human to look at.
/// Kayes with a record of each kind: an intervention imported from IATI (a place named and a
/// point), and an action of a demonstration partenariat of the commune, placed there, with
/// money in francs CFA and in euros. Returns the paths of those pages as PAGE_* variables.
fn kayes_equipee(serveur: &Serveur) -> Vec<(&'static str, String)> {
    let dossier = tempfile::tempdir().unwrap();
    let iati = dossier.path().join("kayes.xml");
    std::fs::write(
        &iati,
        r#"<iati-activities version="2.03"><iati-activity>
          <iati-identifier>XM-DAC-0-KAYES</iati-identifier>
          <title><narrative>Puits pastoraux (essai du navigateur)</narrative></title>
          <recipient-country code="ML"/>
          <location><name><narrative>Kayes</narrative></name></location>
          <location><point srsName="http://www.opengis.net/def/crs/EPSG/0/4326"><pos>14.4485 -11.4389</pos></point>
            <exactness code="1"/></location>
        </iati-activity></iati-activities>"#,
    )
    .unwrap();
    let import = Command::new(env!("CARGO_BIN_EXE_benkan"))
        .args(["import", "iati", "--db"])
        .arg(serveur.store.chemin())
        .arg(&iati)
        .output()
        .unwrap();
    assert!(
        import.status.success(),
        "{}",
        String::from_utf8_lossy(&import.stderr)
    );
    let conn = serveur.conn();
    let kayes = par_code(&conn, Pays::MALI, Niveau::Commune, "ML-1-KAYES-KAYES").id;
    let partenariat: PartenariatId = conn
        .query_row(
            "SELECT min(partenariat_id) FROM partie WHERE collectivite_id = ?1",
            [kayes],
            |r| r.get(0),
        )
        .unwrap();
    let action = action::creer(
        &conn,
        NouvelleAction {
            partenariat,
            titre: "Puits du marché (essai du navigateur)".into(),
            description: None,
            axe: Axe::ServicesSociauxDeBase,
            domaine: Domaine::EauAssainissement,
            nature: Nature::Physique,
            statut: StatutAction::EnCours,
            periode: Periode::new(None, None).unwrap(),
            lieux: vec![kayes],
            points: vec![benkan::carte::situer(
                PointAction::nouveau(14.4485, -11.4389, Some("puits du marché")).unwrap(),
            )],
            localites: Vec::new(),
        },
    )
    .unwrap();
    let source = acteur::creer(
        &conn,
        NouvelActeur {
            nom: "Commune de Kayes".into(),
            type_organisation: TypeOrganisation::GouvernementLocal,
            identifiant_iati: None,
            pays: Some(Pays::MALI),
            collectivite: Some(kayes),
        },
    )
    .unwrap();
    for (type_financement, unites, devise) in [
        (TypeFinancement::Engagement, 25_000_000, Devise::Xof),
        (TypeFinancement::Decaissement, 1_234_567, Devise::Eur),
    ] {
        financement::creer(
            &conn,
            NouveauFinancement {
                action,
                source,
                type_financement,
                montant: Montant::new(unites, devise).unwrap(),
                annee: 2024,
            },
        )
        .unwrap();
    }
    let intervention: i64 = conn
        .query_row(
            "SELECT id FROM intervention WHERE identifiant_iati = 'XM-DAC-0-KAYES'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let etrangere: i64 = conn
        .query_row(
            "SELECT c.id FROM partie p JOIN collectivite c ON c.id = p.collectivite_id
             WHERE p.partenariat_id = ?1 AND c.pays <> 'ML'",
            [partenariat.0],
            |r| r.get(0),
        )
        .unwrap();
    let region = par_code(&conn, Pays::MALI, Niveau::Region, "ML-1").id;
    let cercle = par_code(&conn, Pays::MALI, Niveau::Cercle, "ML-1-KAYES").id;
    vec![
        ("PAGE_KAYES", format!("/collectivites/{region}")),
        ("PAGE_REGION", format!("/collectivites/{region}")),
        ("PAGE_CERCLE", format!("/collectivites/{cercle}")),
        ("PAGE_COMMUNE", format!("/collectivites/{kayes}")),
        ("PAGE_ETRANGERE", format!("/collectivites/{etrangere}")),
        ("PAGE_PARTENARIAT", format!("/partenariats/{partenariat}")),
        ("PAGE_ACTION", format!("/actions/{action}")),
        (
            "PAGE_INTERVENTION",
            format!("/interventions/{intervention}"),
        ),
    ]
}

/// Runs `script` on the demonstration base with Kayes equipped (`kayes_equipee`), screenshots
/// in a temporary folder `captures`, and checks that `attendues` were taken.
fn sur_kayes_equipee(script: &str, captures: &str, fin: &str, attendues: &[&str]) {
    if !navigateur_present() {
        return;
    }
    let serveur = Serveur::demo();
    let captures = std::env::temp_dir().join(captures);
    let mut env = vec![("CAPTURES", captures.display().to_string())];
    env.extend(kayes_equipee(&serveur));
    lancer(script, &serveur, &[], &env, fin);
    for capture in attendues {
        assert!(captures.join(capture).exists(), "{capture} manquante");
    }
}

/// The pages of a partenariat, an action and an intervention (imported from IATI, with a
/// place named and a point) show their places.
#[test]
fn the_maps_are_drawn_fit_the_screen_and_lead_to_their_collectivites_in_a_real_browser() {
    sur_kayes_equipee(
        "cartes.mjs",
        "benkan-cartes",
        "cartes navigateur",
        &["apercu-communes-390.png", "intervention-390.png"],
    );
}

/// Every public page type at phone width (390 px) and desktop width: the page never scrolls
/// sideways, the overview's chart labels read at 12 px or more, axe-core finds nothing.
#[test]
fn every_public_page_fits_a_phone_in_a_real_browser() {
    sur_kayes_equipee(
        "largeur.mjs",
        "benkan-largeur",
        "largeur navigateur",
        &["apercu-390.png", "partenariat-1366.png"],
    );
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

/// Working offline in a real browser: download from /espace, upload a sheet with a new
/// action, preview (and a preview with a mistake), confirm, the one-time message; axe-core
/// at 390 and 1366 px on each page. Screenshots are left in the temporary directory.
#[test]
fn an_authority_works_offline_with_a_spreadsheet_in_a_real_browser() {
    if !navigateur_present() {
        return;
    }
    let serveur = Serveur::demo();
    let reference: String = {
        let conn = serveur.conn();
        let kayes = par_code(&conn, Pays::MALI, Niveau::Commune, "ML-1-KAYES-KAYES").id;
        compte::creer(
            &conn,
            &Email::new("maire@kayes.ml").unwrap(),
            &benkan::acces::hacher(MOT_DE_PASSE).unwrap(),
            Role::Collectivite,
            &[kayes],
            &[],
        )
        .unwrap();
        conn.query_row(
            "SELECT p.reference FROM partenariat p JOIN partie pa ON pa.partenariat_id = p.id
             WHERE pa.collectivite_id = ?1",
            [kayes],
            |r| r.get(0),
        )
        .unwrap()
    };
    let captures = std::env::temp_dir().join("benkan-tableur");
    lancer(
        "tableur.mjs",
        &serveur,
        &[MOT_DE_PASSE],
        &[
            ("PARTENARIAT", reference),
            ("CAPTURES", captures.display().to_string()),
        ],
        "tableur navigateur",
    );
    let validation: String = serveur
        .conn()
        .query_row(
            "SELECT validation FROM action WHERE titre = 'Forage du navigateur'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(validation, "soumis");
    assert!(captures.join("apercu-390.png").exists());
}
