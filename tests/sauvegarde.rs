//! `benkan sauvegarde`, `benkan verifier` and `/sante`, as the people who run benkan use
//! them: a backup of a live database while the site writes, and what each says when
//! something is wrong.

mod commun;

use std::collections::HashSet;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use benkan::model::{Niveau, NouveauPartenariat, NouvelleCollectivite, Pays, StatutPartenariat};
use benkan::store::{Store, VERSION_SCHEMA, collectivite, partenariat};
use commun::Serveur;
use commun::ligne::{benkan, contenu, texte};
use rusqlite::Connection;

/// `/sante` as JSON.
fn sante(serveur: &Serveur) -> serde_json::Value {
    let r = serveur.get("/sante");
    assert_eq!(r.statut, 200, "{}", r.corps);
    assert_eq!(r.entete("cache-control"), Some("no-store"));
    assert_eq!(r.entete("content-type"), Some("application/json"));
    assert_eq!(r.entete("benkan-reponse"), None, "never kept");
    serde_json::from_str(&r.corps).unwrap()
}

/// Titles of the partenariats, or names of the collectivités, written by the test.
fn ecrits(conn: &Connection, table: &str, colonne: &str) -> HashSet<String> {
    conn.prepare(&format!(
        "SELECT {colonne} FROM {table} WHERE {colonne} LIKE 'Écriture %'"
    ))
    .unwrap()
    .query_map([], |r| r.get(0))
    .unwrap()
    .collect::<rusqlite::Result<_>>()
    .unwrap()
}

#[test]
fn a_backup_taken_while_the_site_writes_holds_every_acknowledged_write() {
    let serveur = Serveur::demo();
    let base = serveur.store.chemin().to_owned();
    let avant = sante(&serveur);
    assert_eq!(avant["etat"], "ok");
    assert_eq!(avant["base"]["joignable"], true);
    assert_eq!(avant["base"]["schema"], VERSION_SCHEMA);
    assert_eq!(avant["base"]["schema_attendu"], VERSION_SCHEMA);
    assert_eq!(avant["base"]["referentiel"], benkan::referentiel::VERSION);
    assert!(avant["disque"]["libre_octets"].as_u64().unwrap() > 0);
    assert!(avant["derniere_sauvegarde"].is_null());

    let kayes = commun::par_code(
        &serveur.conn(),
        Pays::MALI,
        Niveau::Commune,
        "ML-1-KAYES-KAYES",
    )
    .id;
    // Two writers through the site's own writer: each transaction adds a French commune
    // and its partenariat with Kayes, and is counted once committed.
    let arret = Arc::new(AtomicBool::new(false));
    let acquittes = Arc::new(Mutex::new(Vec::<String>::new()));
    let ecrivains: Vec<_> = (0..2)
        .map(|fil| {
            let store = serveur.store.clone();
            let (arret, acquittes) = (arret.clone(), acquittes.clone());
            std::thread::spawn(move || {
                let mut refus = 0;
                for i in 0.. {
                    if arret.load(Ordering::Relaxed) {
                        break;
                    }
                    let nom = format!("Écriture {fil}-{i}");
                    let ecrit = store.ecrire(|conn| {
                        let commune = collectivite::inserer(
                            conn,
                            NouvelleCollectivite::new(Pays::FRANCE, Niveau::Commune, &nom),
                        )?;
                        partenariat::creer(
                            conn,
                            NouveauPartenariat::new(
                                &nom,
                                StatutPartenariat::Actif,
                                vec![kayes, commune],
                            ),
                        )
                    });
                    match ecrit {
                        Ok(_) => acquittes.lock().unwrap().push(nom),
                        // the backup's note takes the lock a moment: a busy answer is allowed
                        Err(benkan::store::StoreError::Occupe) => refus += 1,
                        Err(e) => panic!("{e}"),
                    }
                }
                refus
            })
        })
        .collect();
    let acquittes_au_depart = || {
        let debut = Instant::now();
        loop {
            let n = acquittes.lock().unwrap().clone();
            if n.len() >= 20 {
                return n;
            }
            assert!(debut.elapsed() < Duration::from_secs(60), "writers stuck");
            std::thread::sleep(Duration::from_millis(10));
        }
    };
    let avant_la_copie = acquittes_au_depart();

    let dossier = tempfile::tempdir().unwrap();
    let copie = dossier.path().join("benkan-copie.db");
    let debut = Instant::now();
    let mut enfant = Command::new(env!("CARGO_BIN_EXE_benkan"))
        .env_remove("BENKAN_DB")
        .args(["sauvegarde", "--db"])
        .arg(&base)
        .arg("--out")
        .arg(&copie)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let au_lancement = acquittes.lock().unwrap().len();
    // Bounded: the copy must end while the writers go on.
    while enfant.try_wait().unwrap().is_none() {
        if debut.elapsed() > Duration::from_secs(120) {
            let _ = enfant.kill();
            panic!("the backup did not end within 120 s of steady writes");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let duree = debut.elapsed();
    let pendant = acquittes.lock().unwrap().len() - au_lancement;
    let sortie = enfant.wait_with_output().unwrap();
    arret.store(true, Ordering::Relaxed);
    let refus: u32 = ecrivains.into_iter().map(|e| e.join().unwrap()).sum();
    eprintln!(
        "backup: {duree:?}; writes acknowledged before it: {}, while it ran: {pendant}, refused as busy: {refus}",
        avant_la_copie.len()
    );
    let message = texte(&sortie.stdout);
    assert!(
        sortie.status.success(),
        "{message}{}",
        texte(&sortie.stderr)
    );
    assert!(
        pendant > 0,
        "the site kept writing during the backup ({duree:?})"
    );
    for attendu in [
        "Sauvegarde écrite",
        "integrity_check",
        &format!("schéma {VERSION_SCHEMA}, celui de ce benkan"),
        "Mo)",
        "noté dans",
    ] {
        assert!(message.contains(attendu), "{attendu} : {message}");
    }
    assert_eq!(
        contenu(dossier.path()),
        ["benkan-copie.db"],
        "no temporary file left"
    );

    // The copy opens as a benkan database, SQLite finds it whole, and it holds every write
    // acknowledged before the backup began — and whole transactions only.
    let conn = Connection::open(&copie).unwrap();
    let integrite: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrite, "ok");
    let communes = ecrits(&conn, "collectivite", "nom");
    let partenariats = ecrits(&conn, "partenariat", "titre");
    for nom in &avant_la_copie {
        assert!(
            partenariats.contains(nom) && communes.contains(nom),
            "{nom} missing"
        );
    }
    assert_eq!(communes, partenariats, "a transaction cut in two");
    let ecarts = benkan::store::zones::verifier_compteurs(&conn).unwrap();
    assert!(ecarts.is_empty(), "{ecarts:?}");
    drop(conn);
    let store = Store::ouvrir_en_lecture(&copie).unwrap();
    drop(store);

    let verifie = benkan(&["verifier"], &copie);
    assert!(
        verifie.status.success(),
        "{}{}",
        texte(&verifie.stdout),
        texte(&verifie.stderr)
    );
    assert!(texte(&verifie.stdout).contains("Base saine."));

    // /sante now knows when the last backup began.
    let apres = sante(&serveur);
    let moment = apres["derniere_sauvegarde"]["moment"].as_str().unwrap();
    assert!(message.contains(moment), "{moment} : {message}");
    let age = apres["derniere_sauvegarde"]["age_secondes"]
        .as_i64()
        .unwrap();
    assert!((0..600).contains(&age), "{age}");
    let texte_sante = commun::lire(
        commun::agent()
            .get(&format!("http://{}/sante", serveur.adresse))
            .header("Accept", "text/plain")
            .call()
            .unwrap(),
    );
    assert_eq!(texte_sante.statut, 200);
    assert!(
        texte_sante.corps.starts_with("benkan : ok\n")
            && texte_sante
                .corps
                .contains(&format!("dernière sauvegarde : {moment}")),
        "{}",
        texte_sante.corps
    );
}

/// A small benkan database (no référentiel: built in a moment).
fn petite_base(chemin: &Path) {
    let store = Store::ouvrir(chemin).unwrap();
    let conn = store.connexion().unwrap();
    let kayes = collectivite::inserer(
        &conn,
        NouvelleCollectivite::new(Pays::MALI, Niveau::Commune, "Kayes"),
    )
    .unwrap();
    let angers = collectivite::inserer(
        &conn,
        NouvelleCollectivite::new(Pays::FRANCE, Niveau::Commune, "Angers"),
    )
    .unwrap();
    partenariat::creer(
        &conn,
        NouveauPartenariat::new(
            "Kayes – Angers",
            StatutPartenariat::Actif,
            vec![kayes, angers],
        ),
    )
    .unwrap();
    // Everything in the file itself, so that the tests can damage it byte by byte.
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .unwrap();
}

#[test]
fn a_backup_never_replaces_a_file_nor_leaves_a_partial_one() {
    let dossier = tempfile::tempdir().unwrap();
    let base = dossier.path().join("benkan.db");
    petite_base(&base);
    let sauvegardes = dossier.path().join("sauvegardes");
    std::fs::create_dir(&sauvegardes).unwrap();

    // An existing file is left as it was.
    let existante = sauvegardes.join("hier.db");
    std::fs::write(&existante, "la sauvegarde d'hier").unwrap();
    let o = benkan(&["sauvegarde", "--out", existante.to_str().unwrap()], &base);
    assert_eq!(o.status.code(), Some(1));
    let erreur = texte(&o.stderr);
    assert!(
        erreur.contains("benkan : erreur")
            && erreur.contains("existe déjà")
            && erreur.contains("--out"),
        "{erreur}"
    );
    assert_eq!(
        std::fs::read_to_string(&existante).unwrap(),
        "la sauvegarde d'hier"
    );

    // A folder given for the file.
    let o = benkan(
        &["sauvegarde", "--out", sauvegardes.to_str().unwrap()],
        &base,
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        texte(&o.stderr).contains("est un dossier"),
        "{}",
        texte(&o.stderr)
    );

    // A folder that does not exist.
    let ailleurs = dossier.path().join("absent").join("copie.db");
    let o = benkan(&["sauvegarde", "--out", ailleurs.to_str().unwrap()], &base);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        texte(&o.stderr).contains("n'existe pas"),
        "{}",
        texte(&o.stderr)
    );

    // No --out: a usage error.
    let o = benkan(&["sauvegarde"], &base);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        texte(&o.stderr).contains("il manque --out"),
        "{}",
        texte(&o.stderr)
    );

    // Not a benkan database: refused before anything is written.
    let notes = dossier.path().join("notes.txt");
    std::fs::write(&notes, "ceci n'est pas une base de données\n".repeat(200)).unwrap();
    let o = benkan(
        &[
            "sauvegarde",
            "--out",
            sauvegardes.join("notes.db").to_str().unwrap(),
        ],
        &notes,
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        texte(&o.stderr).contains("n'est pas une base SQLite"),
        "{}",
        texte(&o.stderr)
    );
    assert_eq!(contenu(&sauvegardes), ["hier.db"], "nothing left behind");

    // A sound one, then the same name again.
    let copie = sauvegardes.join("benkan-1.db");
    let o = benkan(&["sauvegarde", "--out", copie.to_str().unwrap()], &base);
    assert!(o.status.success(), "{}", texte(&o.stderr));
    assert!(texte(&o.stdout).contains("octets)") || texte(&o.stdout).contains("ko)"));
    let o = benkan(&["sauvegarde", "--out", copie.to_str().unwrap()], &base);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(contenu(&sauvegardes), ["benkan-1.db", "hier.db"]);
}

#[test]
fn verifier_says_what_is_wrong_and_never_panics() {
    let dossier = tempfile::tempdir().unwrap();
    let sans_panique = |o: &Output| {
        let erreur = texte(&o.stderr);
        assert!(!erreur.contains("panicked"), "{erreur}");
        erreur
    };

    // A sound database.
    let saine = dossier.path().join("saine.db");
    petite_base(&saine);
    let o = benkan(&["verifier"], &saine);
    sans_panique(&o);
    assert!(o.status.success());
    let rapport = texte(&o.stdout);
    for attendu in [
        "intégrité SQLite (integrity_check) : correcte",
        "clés étrangères (foreign_key_check) : aucune référence cassée",
        &format!("schéma : {VERSION_SCHEMA}, celui de ce benkan"),
        "référentiel territorial : aucun",
        "dernière sauvegarde notée : aucune",
        "Base saine.",
    ] {
        assert!(rapport.contains(attendu), "{attendu} : {rapport}");
    }

    // Not a database at all.
    let notes = dossier.path().join("notes.txt");
    std::fs::write(&notes, "ceci n'est pas une base de données\n".repeat(200)).unwrap();
    let o = benkan(&["verifier"], &notes);
    assert_eq!(o.status.code(), Some(1));
    let erreur = sans_panique(&o);
    assert!(erreur.contains("n'est pas une base SQLite"), "{erreur}");

    // A missing file.
    let o = benkan(&["verifier"], &dossier.path().join("absente.db"));
    assert_eq!(o.status.code(), Some(1));
    assert!(sans_panique(&o).contains("n'existe pas"));

    // A broken reference, written with the foreign keys off.
    let cassee = dossier.path().join("cassee.db");
    petite_base(&cassee);
    Connection::open(&cassee)
        .unwrap()
        .execute_batch(
            "PRAGMA foreign_keys = OFF;
             INSERT INTO collectivite_ancien_code (collectivite_id, code) VALUES (999999, 'X');",
        )
        .unwrap();
    let o = benkan(&["verifier"], &cassee);
    assert_eq!(o.status.code(), Some(1));
    let erreur = sans_panique(&o);
    assert!(
        erreur.contains("1 problème(s)")
            && erreur.contains(
                "références cassées : 1 anomalie(s) : collectivite_ancien_code → collectivite"
            ),
        "{erreur}"
    );
    assert!(texte(&o.stdout).contains("1 référence(s) cassée(s)"));

    // An older schema.
    let ancienne = dossier.path().join("ancienne.db");
    petite_base(&ancienne);
    Connection::open(&ancienne)
        .unwrap()
        .pragma_update(None, "user_version", VERSION_SCHEMA - 1)
        .unwrap();
    let o = benkan(&["verifier"], &ancienne);
    assert_eq!(o.status.code(), Some(1));
    assert!(sans_panique(&o).contains("plus ancien"));

    // An index that disagrees with its table: SQLite reads the file, its check finds it
    // wrong, and a backup of it is refused and removed.
    let incoherente = dossier.path().join("incoherente.db");
    petite_base(&incoherente);
    let conn = Connection::open(&incoherente).unwrap();
    conn.execute_batch(
        "CREATE INDEX essai ON meta (valeur);
         PRAGMA writable_schema = ON;
         UPDATE sqlite_schema SET sql = 'CREATE INDEX essai ON meta (cle)' WHERE name = 'essai';
         PRAGMA writable_schema = OFF;",
    )
    .unwrap();
    drop(conn);
    let o = benkan(&["verifier"], &incoherente);
    assert_eq!(o.status.code(), Some(1));
    let erreur = sans_panique(&o);
    assert!(erreur.contains("intégrité SQLite : "), "{erreur}");
    assert!(
        texte(&o.stdout).contains("intégrité SQLite (integrity_check) : ")
            && texte(&o.stdout).contains("problème(s)\n"),
        "{}",
        texte(&o.stdout)
    );
    let sortie = dossier.path().join("copie-incoherente.db");
    let o = benkan(
        &["sauvegarde", "--out", sortie.to_str().unwrap()],
        &incoherente,
    );
    assert_eq!(o.status.code(), Some(1), "{}", texte(&o.stdout));
    let erreur = sans_panique(&o);
    assert!(
        erreur.contains("la copie n'a pas passé la vérification, elle a été effacée"),
        "{erreur}"
    );
    assert!(!sortie.exists());

    // Damaged pages past the first: SQLite still opens it, its checks fail.
    let abimee = dossier.path().join("abimee.db");
    petite_base(&abimee);
    let mut octets = std::fs::read(&abimee).unwrap();
    assert!(octets.len() > 40_000, "{}", octets.len());
    for o in &mut octets[8_192..] {
        *o = 0xA5;
    }
    std::fs::write(&abimee, &octets).unwrap();
    let o = benkan(&["verifier"], &abimee);
    assert_eq!(o.status.code(), Some(1));
    let erreur = sans_panique(&o);
    assert!(
        erreur.contains("endommagée") || erreur.contains("intégrité SQLite"),
        "{erreur}"
    );
    // Nor does a backup of it leave anything.
    let sortie = dossier.path().join("copie-abimee.db");
    let o = benkan(&["sauvegarde", "--out", sortie.to_str().unwrap()], &abimee);
    assert_eq!(o.status.code(), Some(1), "{}", texte(&o.stdout));
    sans_panique(&o);
    assert!(!sortie.exists());
    assert!(
        !contenu(dossier.path())
            .iter()
            .any(|n| n.contains("benkan-sauvegarde")),
        "{:?}",
        contenu(dossier.path())
    );
}

#[test]
fn sante_answers_503_when_no_connection_can_read_the_database() {
    let serveur = Serveur::demarrer(|_| {});
    assert_eq!(sante(&serveur)["etat"], "ok");
    // Every connection of the readers' pool (`LECTEURS` in store/concurrence.rs) held
    // longer than a read may wait for one (5 s).
    let lecteurs = 8;
    let tenus = Arc::new(std::sync::Barrier::new(lecteurs + 1));
    let liberer = Arc::new(AtomicBool::new(false));
    let fils: Vec<_> = (0..lecteurs)
        .map(|_| {
            let (store, tenus, liberer) = (serveur.store.clone(), tenus.clone(), liberer.clone());
            std::thread::spawn(move || {
                store
                    .lire(|_| {
                        tenus.wait();
                        while !liberer.load(Ordering::Relaxed) {
                            std::thread::sleep(Duration::from_millis(10));
                        }
                        Ok::<_, benkan::store::StoreError>(())
                    })
                    .unwrap();
            })
        })
        .collect();
    tenus.wait();
    let debut = Instant::now();
    let r = serveur.get("/sante");
    liberer.store(true, Ordering::Relaxed);
    for f in fils {
        f.join().unwrap();
    }
    assert_eq!(r.statut, 503, "{}", r.corps);
    assert!(debut.elapsed() < Duration::from_secs(15));
    assert_eq!(r.entete("cache-control"), Some("no-store"));
    let json: serde_json::Value = serde_json::from_str(&r.corps).unwrap();
    assert_eq!(json["etat"], "base injoignable");
    assert_eq!(json["base"]["joignable"], false);
    assert!(json["base"]["schema"].is_null());
    assert_eq!(json["base"]["schema_attendu"], VERSION_SCHEMA);
    // And healthy again once the readers are back.
    assert_eq!(sante(&serveur)["etat"], "ok");
}
