//! Which commands may create the database, and the read-only commands on a read-only file.

mod commun;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use benkan::model::{
    Axe, Domaine, Nature, Niveau, NouveauPartenariat, NouvelleAction, NouvelleCollectivite, Pays,
    Periode, StatutAction, StatutPartenariat,
};
use benkan::store::{Store, action, collectivite, partenariat};
use commun::ligne::{benkan, contenu, texte};
use time::macros::date;

#[test]
fn only_init_and_serve_create_a_database_the_others_say_how() {
    let dossier = tempfile::tempdir().unwrap();
    let fichier = dossier.path().join("donnees.csv");
    std::fs::write(&fichier, "x\n").unwrap();
    let faute = dossier.path().join("bnekan.db");
    let sortie = dossier.path().join("sortie");
    let sortie = sortie.to_str().unwrap();
    let fichier = fichier.to_str().unwrap();
    for args in [
        &["report"][..],
        &["report", "--format", "json"],
        &["export", "csv", "--out", sortie],
        &["export", "iati", "--out", sortie],
        &["resolve", "Kayes"],
        &["import", "csv", fichier],
        &["import", "iati", fichier],
        &["user", "list"],
        &["user", "token", "maire@kayes.ml"],
    ] {
        let o = benkan(args, &faute);
        let message = texte(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {message}");
        assert!(
            message.contains(&format!("la base {} n'existe pas", faute.display()))
                && message.contains(&format!("benkan init --db {}", faute.display())),
            "{args:?}: {message}"
        );
        assert_eq!(
            contenu(dossier.path()),
            ["donnees.csv"],
            "{args:?} created a file"
        );
    }
    // The environment variable is a path like another.
    let o = Command::new(env!("CARGO_BIN_EXE_benkan"))
        .env("BENKAN_DB", &faute)
        .args(["report"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(texte(&o.stderr).contains("n'existe pas"));
    assert_eq!(contenu(dossier.path()), ["donnees.csv"]);
}

/// A small registry (no référentiel, so that it is built in a moment): one partenariat
/// Kayes – Angers with one dated action, so that every export has something to write.
fn petite_base(chemin: &Path) {
    let store = Store::ouvrir(chemin).unwrap();
    let conn = store.connexion().unwrap();
    let commune = |pays, nom| {
        collectivite::inserer(&conn, NouvelleCollectivite::new(pays, Niveau::Commune, nom)).unwrap()
    };
    let kayes = commune(Pays::MALI, "Kayes");
    let angers = commune(Pays::FRANCE, "Angers");
    let p = partenariat::creer(
        &conn,
        NouveauPartenariat::new(
            "Kayes – Angers",
            StatutPartenariat::Actif,
            vec![kayes, angers],
        ),
    )
    .unwrap();
    action::creer(
        &conn,
        NouvelleAction {
            partenariat: p,
            titre: "Forage".into(),
            description: None,
            axe: Axe::ServicesSociauxDeBase,
            domaine: Domaine::EauAssainissement,
            nature: Nature::Physique,
            statut: StatutAction::EnCours,
            periode: Periode::new(Some(date!(2024 - 01 - 15)), None).unwrap(),
            lieux: vec![kayes],
            points: Vec::new(),
            localites: Vec::new(),
        },
    )
    .unwrap();
    drop(conn);
    drop(store);
}

/// Waits until the last connection has taken the -wal and -shm files away.
#[track_caller]
fn attendre_seul(dossier: &Path, attendu: &[&str]) {
    for _ in 0..100 {
        if contenu(dossier) == attendu {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(contenu(dossier), attendu);
}

#[test]
fn read_only_commands_read_a_read_only_file_and_leave_it_as_it_was() {
    let dossier = tempfile::tempdir().unwrap();
    let base_dir = dossier.path().join("base");
    std::fs::create_dir(&base_dir).unwrap();
    let base = base_dir.join("registre.db");
    petite_base(&base);
    attendre_seul(&base_dir, &["registre.db"]);
    let mut permissions = std::fs::metadata(&base).unwrap().permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&base, permissions).unwrap();
    let octets = std::fs::read(&base).unwrap();
    let modifie = std::fs::metadata(&base).unwrap().modified().unwrap();
    // root writes a read-only file all the same: then this test proves that nothing is
    // written nor left beside the file (through `query_only`), not the read-only open,
    // which the store's unit tests check on their own.
    let permissions_appliquees = std::fs::OpenOptions::new().write(true).open(&base).is_err();
    if !permissions_appliquees {
        eprintln!(
            "note : permissions non appliquées (root) — vérifié : ni écriture ni fichier laissé"
        );
    }

    let sorties = dossier.path();
    let csv = sorties.join("csv");
    let xml = sorties.join("x.xml");
    for args in [
        vec!["report", "--format", "json"],
        vec!["report"],
        vec!["export", "csv", "--out", csv.to_str().unwrap()],
        vec!["export", "iati", "--out", xml.to_str().unwrap()],
        vec!["resolve", "Kayes", "--json"],
    ] {
        let o = benkan(&args, &base);
        assert!(
            o.status.success(),
            "{args:?} on a read-only file: {}",
            texte(&o.stderr)
        );
        // A database without the shipped référentiel: a note says how to load it.
        assert!(texte(&o.stderr).contains("benkan init --db"), "{args:?}");
        attendre_seul(&base_dir, &["registre.db"]);
        assert!(
            std::fs::read(&base).unwrap() == octets,
            "{args:?} changed the file"
        );
        assert_eq!(
            std::fs::metadata(&base).unwrap().modified().unwrap(),
            modifie,
            "{args:?}"
        );
    }
    let json: serde_json::Value =
        serde_json::from_slice(&benkan(&["report", "--format", "json"], &base).stdout).unwrap();
    assert_eq!(json["partenariats_actifs"], 1);
    assert!(std::fs::read_to_string(&xml).unwrap().contains("Forage"));
    assert!(csv.join("actions.csv").exists(), "{:?}", contenu(&csv));
    let resolu = texte(&benkan(&["resolve", "Kayes", "--json"], &base).stdout);
    assert!(
        resolu.contains("\"name\": \"Kayes\"") || resolu.contains("\"name\":\"Kayes\""),
        "{resolu}"
    );
    attendre_seul(&base_dir, &["registre.db"]);
}

#[test]
fn an_older_schema_is_read_by_no_read_only_command_and_left_as_it_was() {
    let dossier = tempfile::tempdir().unwrap();
    let base = dossier.path().join("ancienne.db");
    petite_base(&base);
    attendre_seul(dossier.path(), &["ancienne.db"]);
    let version = |base: &Path| -> u32 {
        rusqlite::Connection::open(base)
            .unwrap()
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap()
    };
    let actuelle = version(&base);
    rusqlite::Connection::open(&base)
        .unwrap()
        .pragma_update(None, "user_version", actuelle - 1)
        .unwrap();
    for args in [
        &["report"][..],
        &["export", "csv", "--out", "inutile"],
        &["resolve", "Kayes"],
    ] {
        let o = benkan(args, &base);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        assert!(
            texte(&o.stderr).contains("mettez la base à jour avec benkan init"),
            "{args:?}: {}",
            texte(&o.stderr)
        );
        assert_eq!(version(&base), actuelle - 1, "{args:?} migrated the file");
    }
}
