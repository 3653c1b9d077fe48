//! Hostile or careless text at every entry (issue 10, points 5 to 7 and the Excel cells):
//! control characters refused by the forms, the API and both imports; files that stay
//! well-formed even when the database holds such a character; XML and zips that cannot make
//! the import slow or huge; error messages that quote a bounded extract; spreadsheet cells
//! that never start a formula yet read back the same.

mod commun;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use benkan::model::{CollectiviteId, NouveauPartenariat, Pays, StatutPartenariat};
use benkan::store::{Store, partenariat, referentiel};
use commun::api::{donnees, ecrire, jeton_cli};
use commun::{MOT_DE_PASSE, Serveur, comptes_kayes_mopti, paragraphe};

fn benkan() -> Command {
    let mut commande = Command::new(env!("CARGO_BIN_EXE_benkan"));
    commande.env_remove("BENKAN_DB").env_remove("BENKAN_ADDR");
    commande
}

fn texte(octets: &[u8]) -> String {
    String::from_utf8_lossy(octets).into_owned()
}

fn nombre(db: &Path, requete: &str) -> i64 {
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row(requete, [], |r| r.get(0))
        .unwrap()
}

/// A fresh database with the référentiel: a copy of one made once per test binary by
/// `benkan init` (loading 40,000 collectivités takes seconds in a debug build).
fn base(dossier: &Path, nom: &str) -> PathBuf {
    static MODELE: std::sync::OnceLock<(tempfile::TempDir, PathBuf)> = std::sync::OnceLock::new();
    let (_, modele) = MODELE.get_or_init(|| {
        let dossier = tempfile::tempdir().unwrap();
        let chemin = dossier.path().join("modele.db");
        let sortie = benkan()
            .arg("init")
            .arg("--db")
            .arg(&chemin)
            .output()
            .unwrap();
        assert!(sortie.status.success(), "{}", texte(&sortie.stderr));
        (dossier, chemin)
    });
    let chemin = dossier.join(nom);
    std::fs::copy(modele, &chemin).unwrap();
    chemin
}

fn importer(genre: &str, db: &Path, chemins: &[&Path]) -> Output {
    benkan()
        .args(["import", genre, "--db"])
        .arg(db)
        .args(chemins)
        .output()
        .unwrap()
}

/// Reads `xml` with quick-xml, every check on, to its end; and with xmllint when installed.
fn bien_forme(xml: &[u8]) {
    let mut lecteur = quick_xml::Reader::from_reader(xml);
    lecteur.config_mut().enable_all_checks(true);
    let mut tampon = Vec::new();
    loop {
        match lecteur.read_event_into(&mut tampon) {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e)) => {
                for a in e.attributes() {
                    a.expect("well-formed attribute");
                }
            }
            Ok(_) => {}
            Err(e) => panic!("malformed XML at {}: {e}", lecteur.error_position()),
        }
        tampon.clear();
    }
    let texte = String::from_utf8(xml.to_vec()).expect("UTF-8");
    assert!(
        !texte.chars().any(benkan::model::caractere_interdit),
        "a control character was written"
    );
    if let Ok(mut xmllint) = Command::new("xmllint")
        .args(["--noout", "-"])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        xmllint.stdin.take().unwrap().write_all(xml).unwrap();
        let sortie = xmllint.wait_with_output().unwrap();
        assert!(
            sortie.status.success(),
            "xmllint: {}",
            texte_court(&sortie.stderr)
        );
    }
}

fn texte_court(octets: &[u8]) -> String {
    texte(&octets[..octets.len().min(2000)])
}

#[test]
fn a_form_refuses_a_control_character_and_writes_nothing() {
    let s = Serveur::demo();
    let (kayes, _, angers) = comptes_kayes_mopti(&s.conn());
    let avant = nombre(s.store.chemin(), "SELECT count(*) FROM partenariat");
    let (maire, csrf) = s.session("maire@kayes.ml", MOT_DE_PASSE);
    let (kayes, angers) = (kayes.0.to_string(), angers.0.to_string());
    for (titre, attendu) in [
        ("Kayes\u{1} – Angers", "U+0001"),
        ("Kayes\u{B} – Angers", "U+000B"),
        ("Kayes\u{85} – Angers", "U+0085"),
        ("Kayes –\nAngers", "retour à la ligne"),
    ] {
        let r = s.post(
            "/espace/partenariats/nouveau",
            Some(&maire),
            &[
                ("csrf", &csrf),
                ("action", "declarer"),
                ("titre", titre),
                ("statut", "actif"),
                ("partie_malienne", &kayes),
                ("partenaire_id", &angers),
            ],
        );
        assert_eq!(r.statut, 422, "{titre:?}");
        assert!(
            paragraphe(&r.corps, "titre").contains("« Titre » contient"),
            "{}",
            r.corps
        );
        assert!(r.corps.contains(attendu), "{titre:?}: {}", r.corps);
    }
    assert_eq!(
        nombre(s.store.chemin(), "SELECT count(*) FROM partenariat"),
        avant
    );
}

#[test]
fn the_api_refuses_a_control_character_with_a_json_422() {
    let d = donnees();
    let s = &d.s;
    let conn = s.conn();
    let (kayes, _, angers) = comptes_kayes_mopti(&conn);
    drop(conn);
    let jeton = jeton_cli(s, "maire@kayes.ml");
    let avant = nombre(s.store.chemin(), "SELECT count(*) FROM partenariat");
    let corps = serde_json::json!({
        "titre": "Kayes – Angers",
        "description": "Une description\u{0} avec un NUL",
        "partie_malienne": kayes.0,
        "partenaire": angers.0,
    });
    let r = ecrire(s, "/api/v1/partenariats", Some(&jeton), &corps);
    assert_eq!(r.statut, 422, "{}", texte(&r.octets));
    let json = r.json();
    assert_eq!(json["error"], "corps_invalide");
    let message = json["message"].as_str().unwrap();
    assert!(message.contains("« description »"), "{message}");
    assert!(message.contains("U+0000"), "{message}");
    assert_eq!(
        nombre(s.store.chemin(), "SELECT count(*) FROM partenariat"),
        avant
    );
}

#[test]
fn a_record_with_a_control_character_still_gives_well_formed_iati() {
    let d = donnees();
    let s = &d.s;
    // as an older benkan, or a hand-edited database, may have stored them
    s.conn()
        .execute_batch(
            "UPDATE action SET titre = titre || char(1) || char(11) || char(133) || char(0),
                               description = 'a' || char(31) || 'b' || char(65534);
             UPDATE acteur SET nom = nom || char(2);
             UPDATE collectivite SET nom = nom || char(12)
              WHERE id IN (SELECT collectivite_id FROM action_lieu);",
        )
        .unwrap();
    let fichier = commun::get(&format!("http://{}/donnees/iati.xml", s.adresse));
    assert_eq!(fichier.statut, 200);
    assert!(
        fichier.corps.contains("<iati-activity"),
        "{}",
        fichier.corps
    );
    bien_forme(fichier.corps.as_bytes());
    assert!(fichier.corps.contains('\u{FFFD}'), "replaced, not dropped");

    let dossier = tempfile::tempdir().unwrap();
    let sortie = dossier.path().join("iati.xml");
    let export = benkan()
        .args(["export", "iati", "--db"])
        .arg(s.store.chemin())
        .arg("--out")
        .arg(&sortie)
        .output()
        .unwrap();
    assert!(export.status.success(), "{}", texte(&export.stderr));
    bien_forme(&std::fs::read(&sortie).unwrap());

    // and the CSV files carry no control character either, in both variants
    for excel in [false, true] {
        let csv = dossier.path().join(format!("csv-{excel}"));
        let mut commande = benkan();
        commande
            .args(["export", "csv", "--db"])
            .arg(s.store.chemin())
            .arg("--out")
            .arg(&csv);
        if excel {
            commande.arg("--excel-fr");
        }
        let sortie = commande.output().unwrap();
        assert!(sortie.status.success(), "{}", texte(&sortie.stderr));
        for entree in std::fs::read_dir(&csv).unwrap() {
            let contenu = std::fs::read_to_string(entree.unwrap().path()).unwrap();
            assert!(
                !contenu
                    .chars()
                    .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')),
                "{contenu}"
            );
        }
    }
}

/// A `partenariats.csv` whose one line has `titre` as its title.
fn partenariats_csv(titre: &str) -> String {
    format!(
        "titre,statut,parties\n\"{titre}\",actif,ML:ML-1-KAYES-KAYES | FR:commune-actuelle:49007\n"
    )
}

#[test]
fn import_csv_refuses_a_control_character_with_file_line_and_column() {
    let dossier = tempfile::tempdir().unwrap();
    let db = base(dossier.path(), "vide.db");
    let fichier = dossier.path().join("partenariats.csv");
    std::fs::write(&fichier, partenariats_csv("Kayes\u{1} – Angers")).unwrap();
    let sortie = importer("csv", &db, &[&fichier]);
    assert_eq!(sortie.status.code(), Some(1));
    let erreur = texte(&sortie.stderr);
    assert!(
        erreur.contains("partenariats.csv, ligne 2, colonne « titre »"),
        "{erreur}"
    );
    assert!(erreur.contains("U+0001"), "{erreur}");
    assert!(
        erreur.contains("Kayes<U+0001> – Angers"),
        "the invisible character is shown: {erreur}"
    );
    assert_eq!(nombre(&db, "SELECT count(*) FROM partenariat"), 0);
}

#[test]
fn an_error_quotes_a_bounded_extract_of_a_huge_cell() {
    let dossier = tempfile::tempdir().unwrap();
    let db = base(dossier.path(), "vide.db");
    let fichier = dossier.path().join("partenariats.csv");
    let enorme = "x".repeat(20_000_000);
    std::fs::write(&fichier, partenariats_csv(&enorme)).unwrap();
    let sortie = importer("csv", &db, &[&fichier]);
    assert_eq!(sortie.status.code(), Some(1));
    let erreur = texte(&sortie.stderr);
    assert!(erreur.len() < 2_000, "{} bytes of errors", erreur.len());
    assert!(
        erreur.contains(&format!("{}… (20000000 caractères)", "x".repeat(80))),
        "{erreur}"
    );
    assert_eq!(nombre(&db, "SELECT count(*) FROM partenariat"), 0);
}

/// The peak resident memory of a running child, polled until it exits; and its output.
fn suivre_memoire(mut commande: Command) -> (Output, u64) {
    let mut enfant = commande
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let statut = format!("/proc/{}/status", enfant.id());
    let mut pic_kio = 0u64;
    let debut = Instant::now();
    while enfant.try_wait().unwrap().is_none() {
        if let Ok(etat) = std::fs::read_to_string(&statut)
            && let Some(ligne) = etat.lines().find(|l| l.starts_with("VmHWM:"))
        {
            let kio: u64 = ligne
                .split_whitespace()
                .nth(1)
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            pic_kio = pic_kio.max(kio);
        }
        assert!(
            debut.elapsed() < Duration::from_secs(60),
            "the import does not end"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    (enfant.wait_with_output().unwrap(), pic_kio)
}

#[test]
fn a_zip_bomb_is_refused_naming_its_entry_in_bounded_memory() {
    let dossier = tempfile::tempdir().unwrap();
    let db = base(dossier.path(), "vide.db");
    // 1 GiB of zeros deflated into a zip of about 1 MB
    let bombe = dossier.path().join("bombe.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&bombe).unwrap());
    zip.start_file(
        "partenariats.csv",
        zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .compression_level(Some(1)),
    )
    .unwrap();
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..1024 {
        zip.write_all(&zeros).unwrap();
    }
    zip.finish().unwrap();
    let taille = std::fs::metadata(&bombe).unwrap().len();
    assert!(taille < 8 << 20, "{taille}");

    let mut commande = benkan();
    commande
        .args(["import", "csv", "--db"])
        .arg(&db)
        .arg(&bombe);
    let (sortie, pic_kio) = suivre_memoire(commande);
    assert_eq!(sortie.status.code(), Some(1));
    let erreur = texte(&sortie.stderr);
    assert!(erreur.contains("bombe.zip"), "{erreur}");
    assert!(erreur.contains("entrée « partenariats.csv »"), "{erreur}");
    assert!(erreur.contains("bombe de décompression"), "{erreur}");
    eprintln!("import of the zip bomb: peak resident memory {pic_kio} KiB");
    assert!(pic_kio < 200 * 1024, "peak resident memory {pic_kio} KiB");
    assert_eq!(nombre(&db, "SELECT count(*) FROM partenariat"), 0);
}

#[test]
fn excel_cells_are_neutralised_and_read_back_identical() {
    let dossier = tempfile::tempdir().unwrap();
    let db = base(dossier.path(), "source.db");
    let titres = [
        "=SUM(1)",
        "+33 6 12 34 56 78",
        "-x",
        "@a",
        "'entre apostrophes'",
        "Kayes – Angers",
    ];
    {
        let store = Store::ouvrir(&db).unwrap();
        let conn = store.connexion().unwrap();
        let cle = |c: &str| CollectiviteId(referentiel::par_cle(&conn, c).unwrap().unwrap().0);
        let parties = vec![cle("ML:ML-1-KAYES-KAYES"), cle("FR:commune-actuelle:49007")];
        for titre in titres {
            let mut p = NouveauPartenariat::new(titre, StatutPartenariat::Actif, parties.clone());
            p.description = Some(format!("={titre}"));
            partenariat::creer(&conn, p).unwrap();
        }
        let _ = Pays::MALI;
    }
    let exporter = |db: &Path, out: &Path| {
        let sortie = benkan()
            .args(["export", "csv", "--excel-fr", "--db"])
            .arg(db)
            .arg("--out")
            .arg(out)
            .output()
            .unwrap();
        assert!(sortie.status.success(), "{}", texte(&sortie.stderr));
    };
    let premier = dossier.path().join("premier");
    exporter(&db, &premier);
    let fichier = std::fs::read_to_string(premier.join("partenariats.csv")).unwrap();
    for attendu in [
        ";'=SUM(1);'==SUM(1);",
        ";'+33 6 12 34 56 78;",
        ";'-x;'=-x;",
        ";'@a;'=@a;",
        ";''entre apostrophes';'='entre apostrophes';",
        ";Kayes – Angers;'=Kayes – Angers;",
    ] {
        assert!(fichier.contains(attendu), "{attendu} in\n{fichier}");
    }
    // no cell of the Excel file starts a formula
    let lignes = fichier.trim_start_matches('\u{feff}');
    for cellule in lignes.split(['\n', ';']) {
        let cellule = cellule.trim_matches(['"', '\r']);
        assert!(
            !cellule.starts_with(['=', '+', '-', '@', '\t']),
            "{cellule:?}"
        );
    }

    let vide = base(dossier.path(), "vide.db");
    let sortie = importer("csv", &vide, &[&premier]);
    assert!(sortie.status.success(), "{}", texte(&sortie.stderr));
    let mut stockes: Vec<String> = {
        let conn = rusqlite::Connection::open(&vide).unwrap();
        let mut stmt = conn
            .prepare("SELECT titre FROM partenariat ORDER BY id")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    stockes.sort();
    let mut attendus = titres.map(str::to_owned);
    attendus.sort();
    assert_eq!(stockes, attendus);
    let second = dossier.path().join("second");
    exporter(&vide, &second);
    for nom in ["partenariats.csv", "collectivites.csv"] {
        assert_eq!(
            std::fs::read(premier.join(nom)).unwrap(),
            std::fs::read(second.join(nom)).unwrap(),
            "{nom}"
        );
    }
    // the UTF-8 variant stays raw
    let utf8 = dossier.path().join("utf8");
    let sortie = benkan()
        .args(["export", "csv", "--db"])
        .arg(&db)
        .arg("--out")
        .arg(&utf8)
        .output()
        .unwrap();
    assert!(sortie.status.success());
    let brut = std::fs::read_to_string(utf8.join("partenariats.csv")).unwrap();
    assert!(brut.contains(",=SUM(1),==SUM(1),"), "{brut}");
}

/// An IATI file of one activity for Mali whose title is `titre` (raw XML).
fn iati(titre: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<iati-activities version=\"2.03\">\n\
         <iati-activity>\n<iati-identifier>XM-HYG-1</iati-identifier>\n\
         <title><narrative>{titre}</narrative></title>\n\
         <recipient-country code=\"ML\"/>\n</iati-activity>\n</iati-activities>\n"
    )
}

#[test]
fn import_iati_refuses_forbidden_characters_and_strips_discouraged_ones() {
    let s = Serveur::demo();
    let dossier = tempfile::tempdir().unwrap();
    let db = s.store.chemin();
    for (titre, colonne) in [
        ("Forage\u{1} à Kayes", 25),
        ("Forage&#1; à Kayes", 25),
        ("Forage à Kayes\u{FFFF}", 33),
    ] {
        let fichier = dossier.path().join("controle.xml");
        std::fs::write(&fichier, iati(titre)).unwrap();
        let sortie = importer("iati", db, &[&fichier]);
        assert_eq!(sortie.status.code(), Some(1), "{titre:?}");
        let erreur = texte(&sortie.stderr);
        assert!(
            erreur.contains(&format!("controle.xml, ligne 5, colonne {colonne} :")),
            "{titre:?}: {erreur}"
        );
        assert!(erreur.contains("interdit en XML 1.0"), "{erreur}");
        assert_eq!(nombre(db, "SELECT count(*) FROM intervention"), 0);
    }
    // C1 controls are XML (only discouraged): the activity is kept without them
    let fichier = dossier.path().join("c1.xml");
    std::fs::write(&fichier, iati("Forage\u{85} à Kayes&#x9F;")).unwrap();
    let sortie = importer("iati", db, &[&fichier]);
    assert!(sortie.status.success(), "{}", texte(&sortie.stderr));
    assert!(
        texte(&sortie.stdout)
            .contains("caractères de contrôle invisibles retirés des textes lus : 2"),
        "{}",
        texte(&sortie.stdout)
    );
    let titre: String = rusqlite::Connection::open(db)
        .unwrap()
        .query_row("SELECT titre FROM intervention", [], |r| r.get(0))
        .unwrap();
    assert_eq!(titre, "Forage à Kayes");
}

#[test]
fn duplicate_attributes_are_refused_in_linear_time() {
    let s = Serveur::demo();
    let dossier = tempfile::tempdir().unwrap();
    let activite = |attributs: &str| {
        format!(
            "<iati-activities version=\"2.03\">\n<iati-activity{attributs}>\n\
             <iati-identifier>XM-HYG-2</iati-identifier>\n<recipient-country code=\"ML\"/>\n\
             </iati-activity>\n</iati-activities>\n"
        )
    };
    // 200,000 distinct attributes, then the first one again: every one is looked at. (The
    // shape the issue measured, 100,000 pairs ` a0="1" a0="1"`, stops at the second.)
    let distincts: String = (0..200_000).map(|i| format!(" a{i}=\"1\"")).collect();
    let colonne = "<iati-activity".len() + distincts.len() + 2;
    let paires: String = (0..100_000)
        .map(|i| format!(" a{i}=\"1\" a{i}=\"1\""))
        .collect();
    // what an import of a one-element file costs on this machine now (opening the
    // database, indexing the référentiel): the hostile files must cost about the same
    let vide = dossier.path().join("vide.xml");
    std::fs::write(&vide, "<iati-activities version=\"2.03\"/>\n").unwrap();
    let debut = Instant::now();
    assert!(
        importer("iati", s.store.chemin(), &[&vide])
            .status
            .success()
    );
    let reference = debut.elapsed();
    for (nom, attributs, colonne, cle) in [
        (
            "distincts.xml",
            format!("{distincts} a0=\"2\""),
            colonne,
            "a0",
        ),
        ("paires.xml", paires, 23, "a0"),
    ] {
        let fichier = dossier.path().join(nom);
        std::fs::write(&fichier, activite(&attributs)).unwrap();
        let debut = Instant::now();
        let sortie = importer("iati", s.store.chemin(), &[&fichier]);
        let duree = debut.elapsed();
        assert_eq!(sortie.status.code(), Some(1));
        let erreur = texte(&sortie.stderr);
        let attendu = format!(
            "{nom}, ligne 2, colonne {colonne} : XML mal formé : l'attribut « {cle} » figure deux fois dans <iati-activity>"
        );
        assert!(erreur.contains(&attendu), "{attendu}\n{erreur}");
        // the quadratic check took 46 s in a release build; this one adds well under a
        // second in a debug build
        assert!(
            duree < reference * 2 + Duration::from_secs(5),
            "{nom}: {duree:?} (an empty file: {reference:?})"
        );
    }
    assert_eq!(
        nombre(s.store.chemin(), "SELECT count(*) FROM intervention"),
        0
    );
}
