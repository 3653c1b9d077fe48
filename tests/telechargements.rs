//! The open-data files built from the whole registry are kept on disk and rebuilt in the
//! background after a change: a download gets the previous file at once, with its date,
//! then the new one; only a site that never built a file makes its first visitor wait.

mod commun;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use commun::Serveur;

/// One download as a program sees it.
struct Telechargement {
    statut: u16,
    entetes: Vec<(String, String)>,
    octets: Vec<u8>,
    duree: Duration,
}

impl Telechargement {
    fn entete(&self, nom: &str) -> &str {
        commun::entete(&self.entetes, nom).unwrap_or_else(|| panic!("{nom} absent"))
    }

    fn generation(&self) -> u64 {
        self.entete("benkan-generation").parse().unwrap()
    }

    fn preparations(&self) -> u64 {
        self.entete("benkan-preparations").parse().unwrap()
    }

    fn a_jour(&self) -> bool {
        match self.entete("benkan-fichier") {
            "a-jour" => true,
            "precedent" => false,
            autre => panic!("benkan-fichier: {autre}"),
        }
    }

    /// The partenariats' titles in the registry zip.
    fn titres(&self) -> String {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&self.octets)).unwrap();
        let mut csv = String::new();
        std::io::Read::read_to_string(&mut archive.by_name("partenariats.csv").unwrap(), &mut csv)
            .unwrap();
        csv
    }
}

fn telecharger(s: &Serveur, chemin: &str) -> Telechargement {
    let debut = Instant::now();
    let mut reponse = commun::agent()
        .get(&format!("http://{}{chemin}", s.adresse))
        .call()
        .unwrap();
    let entetes = commun::entetes(&reponse);
    let octets = reponse
        .body_mut()
        .with_config()
        .limit(64 * 1024 * 1024)
        .read_to_vec()
        .unwrap();
    Telechargement {
        statut: reponse.status().as_u16(),
        entetes,
        octets,
        duree: debut.elapsed(),
    }
}

/// Downloads `chemin` until it describes the data as they are (bounded).
fn jusqu_a_jour(s: &Serveur, chemin: &str) -> Telechargement {
    let debut = Instant::now();
    loop {
        let t = telecharger(s, chemin);
        assert_eq!(t.statut, 200);
        if t.a_jour() {
            return t;
        }
        assert!(
            debut.elapsed() < Duration::from_secs(60),
            "{chemin} never rebuilt"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn generation(s: &Serveur) -> u64 {
    s.conn()
        .query_row(
            "SELECT CAST(valeur AS INTEGER) FROM meta WHERE cle = 'generation'",
            [],
            |r| r.get(0),
        )
        .unwrap()
}

/// Renames the first partenariat: a change of the published data.
fn renommer(s: &Serveur, titre: &str) {
    s.conn()
        .execute(
            "UPDATE partenariat SET titre = ?1 WHERE id = (SELECT min(id) FROM partenariat)",
            [titre],
        )
        .unwrap();
}

/// The line of the open-data page that lists `lien`.
fn ligne(page: &str, lien: &str) -> String {
    let debut = page
        .find(&format!("href=\"{lien}\""))
        .unwrap_or_else(|| panic!("{lien} listed"));
    page[debut..debut + page[debut..].find("</li>").unwrap()].to_owned()
}

#[test]
fn after_a_change_the_previous_file_comes_at_once_with_its_date_then_the_new_one() {
    let s = Serveur::demo();
    let premier = telecharger(&s, "/donnees/registre.zip");
    assert_eq!(premier.statut, 200);
    assert!(premier.a_jour());
    assert_eq!(premier.generation(), generation(&s));
    assert_eq!(premier.preparations(), 1);
    let date = premier.entete("last-modified").to_owned();
    assert!(date.ends_with(" GMT") && date.len() == 29, "{date}");

    renommer(&s, "Partenariat renommé une fois");
    let precedent = telecharger(&s, "/donnees/registre.zip");
    assert_eq!(precedent.statut, 200);
    assert!(!precedent.a_jour(), "served before the rebuild it started");
    assert_eq!(precedent.octets, premier.octets, "the previous file, whole");
    assert_eq!(precedent.generation(), premier.generation());
    assert_eq!(precedent.entete("last-modified"), date, "with its date");
    assert!(!precedent.titres().contains("renommé"));

    let nouveau = jusqu_a_jour(&s, "/donnees/registre.zip");
    assert!(nouveau.titres().contains("Partenariat renommé une fois"));
    assert_eq!(nouveau.generation(), generation(&s));
    assert_eq!(nouveau.preparations(), 2, "one rebuild for that change");

    // The page says which data the file at hand describes, and starts its rebuild itself.
    renommer(&s, "Partenariat renommé deux fois");
    let page = s.get("/donnees").corps;
    let registre = ligne(&page, "/donnees/registre.zip");
    assert!(
        registre.contains("une mise à jour est en préparation") && registre.contains(" h "),
        "{registre}"
    );
    assert!(
        ligne(&page, "/donnees/registre-excel.zip")
            .contains("taille connue après la première préparation"),
        "a file never built is not named as being prepared"
    );
    let debut = Instant::now();
    while ligne(&s.get("/donnees").corps, "/donnees/registre.zip").contains("en préparation") {
        assert!(debut.elapsed() < Duration::from_secs(60), "never rebuilt");
        std::thread::sleep(Duration::from_millis(20));
    }
    let apres = telecharger(&s, "/donnees/registre.zip");
    assert!(apres.a_jour(), "rebuilt without a download asking");
    assert!(apres.titres().contains("renommé deux fois"));
    assert_eq!(apres.preparations(), 3);
}

/// A registry large enough that rebuilding its zip takes a noticeable time (about a second
/// in a debug build): 30,000 actions more.
fn grande_base() -> Serveur {
    let s = Serveur::demo();
    s.conn()
        .execute_batch(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30000)
             INSERT INTO action (partenariat_id, titre, axe, domaine, nature, statut, debut)
             SELECT (SELECT min(id) FROM partenariat), 'Action de volume n° ' || i,
                    'developpement_local', 'economie', 'physique', 'en_cours', '2024-01-01'
               FROM n;",
        )
        .unwrap();
    s
}

#[test]
fn concurrent_downloads_before_and_during_a_rebuild_all_succeed() {
    let s = grande_base();
    let chemins = ["/donnees/registre.zip", "/donnees/registre-excel.zip"];
    let tous = |s: &Serveur, fois: usize| -> Vec<Telechargement> {
        std::thread::scope(|portee| {
            let taches: Vec<_> = (0..8)
                .map(|i| {
                    let chemin = chemins[i % 2];
                    portee.spawn(move || {
                        (0..fois)
                            .map(|_| telecharger(s, chemin))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            taches
                .into_iter()
                .flat_map(|t| t.join().unwrap())
                .collect::<Vec<_>>()
        })
    };
    // A new site: the first visitors wait for the one build of each file.
    let premiers = tous(&s, 1);
    for t in &premiers {
        assert_eq!(t.statut, 200, "{:?}", String::from_utf8_lossy(&t.octets));
        assert!(t.a_jour() && t.octets.starts_with(b"PK"));
        assert_eq!(t.preparations(), 1, "one build however many asked");
        assert_eq!(t.octets.len().to_string(), t.entete("content-length"));
    }
    let construction = premiers.iter().map(|t| t.duree).max().unwrap();

    renommer(&s, "Renommé pendant les téléchargements");
    let pendant = tous(&s, 5);
    let mut etats = BTreeMap::new();
    for t in &pendant {
        assert_eq!(t.statut, 200, "never a 5xx while rebuilding");
        assert!(t.octets.starts_with(b"PK"));
        assert_eq!(t.octets.len().to_string(), t.entete("content-length"));
        *etats.entry(t.a_jour()).or_insert(0) += 1;
    }
    assert!(
        etats.get(&false).is_some_and(|n| *n >= 2),
        "the previous files were served while rebuilding: {etats:?}"
    );
    let plus_rapide = pendant
        .iter()
        .filter(|t| !t.a_jour())
        .map(|t| t.duree)
        .min()
        .unwrap();
    assert!(
        plus_rapide < construction,
        "the previous file ({plus_rapide:?}) without waiting for a build ({construction:?})"
    );
    for chemin in chemins {
        let fin = jusqu_a_jour(&s, chemin);
        assert_eq!(
            fin.preparations(),
            2,
            "{chemin}: one rebuild for the change"
        );
    }
}

#[test]
fn a_burst_of_writes_causes_one_more_rebuild_per_build_at_most() {
    let s = grande_base();
    let avant = telecharger(&s, "/donnees/registre.zip");
    assert_eq!(avant.preparations(), 1);
    let debut = Instant::now();
    for n in 1..=20 {
        renommer(&s, &format!("Rafale n° {n}"));
        let t = telecharger(&s, "/donnees/registre.zip");
        assert_eq!(t.statut, 200);
        assert!(!t.a_jour(), "write {n}: the previous file at once");
    }
    let rafale = debut.elapsed();
    let fin = jusqu_a_jour(&s, "/donnees/registre.zip");
    assert!(fin.titres().contains("Rafale n° 20"));
    assert_eq!(fin.generation(), generation(&s));
    // The writes made while a rebuild runs cause one more at most: a burst shorter than a
    // build gives two rebuilds at most, and each further build's length of burst one more
    // (the first download waited for a whole build: how long one takes on this machine).
    let construction = avant.duree;
    let permises = 2 + (rafale.as_millis() / construction.as_millis().max(1)) as u64;
    let reconstructions = fin.preparations() - avant.preparations();
    assert!(
        (1..=permises).contains(&reconstructions),
        "20 writes in {rafale:?}, a build {construction:?}: {reconstructions} rebuilds, at most {permises}"
    );
}

#[test]
fn a_restart_serves_the_files_on_disk_at_once_and_never_as_current_when_the_data_moved() {
    let s = Serveur::demo();
    let avant = telecharger(&s, "/donnees/registre.zip");
    assert!(avant.a_jour());
    let source = s.store.chemin().to_owned();
    let mut dossier = source.clone().into_os_string();
    dossier.push(".donnees");
    let fichiers: Vec<_> = std::fs::read_dir(&dossier)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(fichiers.len(), 1, "{fichiers:?}");
    // The same database and its files, as after a restart; `change` alters the copy first.
    let redemarrer = |change: Option<&str>| {
        Serveur::depuis(|chemin| {
            s.conn()
                .execute("VACUUM INTO ?1", [chemin.to_str().unwrap()])
                .unwrap();
            let mut copie = chemin.to_owned().into_os_string();
            copie.push(".donnees");
            std::fs::create_dir(&copie).unwrap();
            for f in &fichiers {
                std::fs::copy(f, std::path::Path::new(&copie).join(f.file_name().unwrap()))
                    .unwrap();
            }
            std::fs::write(
                std::path::Path::new(&copie).join(".en-cours-interrompu"),
                b"PK partial",
            )
            .unwrap();
            if let Some(titre) = change {
                rusqlite::Connection::open(chemin)
                    .unwrap()
                    .execute(
                        "UPDATE partenariat SET titre = ?1
                          WHERE id = (SELECT min(id) FROM partenariat)",
                        [titre],
                    )
                    .unwrap();
            }
        })
    };
    let meme = redemarrer(None);
    let repris = telecharger(&meme, "/donnees/registre.zip");
    assert!(repris.a_jour(), "the file on disk describes these data");
    assert_eq!(repris.preparations(), 0, "served without building");
    assert_eq!(repris.octets, avant.octets);
    assert_eq!(
        repris.entete("last-modified"),
        avant.entete("last-modified")
    );

    let change = redemarrer(Some("Renommé pendant l'arrêt"));
    let ancien = telecharger(&change, "/donnees/registre.zip");
    assert!(
        !ancien.a_jour(),
        "the data moved while stopped: previous, not current"
    );
    assert_eq!(ancien.octets, avant.octets);
    let nouveau = jusqu_a_jour(&change, "/donnees/registre.zip");
    assert!(nouveau.titres().contains("Renommé pendant l'arrêt"));
    let restants: Vec<_> = std::fs::read_dir(change.store.chemin().with_extension("db.donnees"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(
        restants.len(),
        1,
        "{restants:?}: the partial and the replaced files are gone"
    );
    assert!(
        restants[0].starts_with(&format!("benkan-registre.zip.{}.", nouveau.generation())),
        "{restants:?}"
    );
}
