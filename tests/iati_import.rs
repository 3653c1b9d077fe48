//! `benkan import iati` as a user runs it: the standard's example, a generated multi-megabyte
//! file, re-imports, a malformed file, and the pages that show what was imported.

mod commun;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use benkan::model::{Niveau, Pays};
use commun::generateur_iati::{self, Genre};
use commun::{Serveur, nombre, par_code};

fn benkan() -> Command {
    let mut commande = Command::new(env!("CARGO_BIN_EXE_benkan"));
    commande.env_remove("BENKAN_DB");
    commande
}

fn importer(base: &Path, fichiers: &[&Path]) -> Output {
    benkan()
        .args(["import", "iati", "--db"])
        .arg(base)
        .args(fichiers)
        .output()
        .unwrap()
}

fn texte(o: &[u8]) -> String {
    String::from_utf8_lossy(o).into_owned()
}

/// The figure after « libellé : » in the summary.
fn chiffre(sortie: &str, libelle: &str) -> u64 {
    sortie
        .lines()
        .find_map(|l| l.trim().strip_prefix(libelle)?.strip_prefix(" : "))
        .unwrap_or_else(|| panic!("« {libelle} » absent de :\n{sortie}"))
        .parse()
        .unwrap()
}

fn exemple() -> PathBuf {
    std::env::var_os("IATI_SCHEMA_DIR")
        .map(|d| PathBuf::from(d).join("../examples"))
        .filter(|d| d.exists())
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/iati/examples"))
        .join("activity-standard-example-annotated.xml")
}

/// A count as the pages write it: « 1 234 », with a narrow no-break space.
fn entier(n: i64) -> String {
    benkan::observatoire::rendu::entier(u64::try_from(n).unwrap())
}

#[test]
fn the_standards_example_is_not_about_mali_and_is_skipped() {
    let s = Serveur::demo();
    let sortie = importer(s.store.chemin(), &[&exemple()]);
    let stdout = texte(&sortie.stdout);
    assert!(sortie.status.success(), "{}", texte(&sortie.stderr));
    assert_eq!(chiffre(&stdout, "ignorées, hors Mali"), 1, "{stdout}");
    assert_eq!(chiffre(&stdout, "importées"), 0);
    assert_eq!(nombre(&s, "SELECT count(*) FROM intervention"), 0);
}

#[test]
fn the_standards_example_set_in_mali_is_imported_with_its_content_and_shown() {
    let s = Serveur::demo();
    let dossier = tempfile::tempdir().unwrap();
    let original = std::fs::read_to_string(exemple()).unwrap();
    assert!(original.contains(r#"<recipient-country code="AF" percentage="25" />"#));
    let malien = dossier.path().join("exemple-mali.xml");
    std::fs::write(
        &malien,
        original.replace(
            r#"<recipient-country code="AF" percentage="25" />"#,
            r#"<recipient-country code="ML" percentage="25" />"#,
        ),
    )
    .unwrap();
    let sortie = importer(s.store.chemin(), &[&malien]);
    let stdout = texte(&sortie.stdout);
    assert!(sortie.status.success(), "{}", texte(&sortie.stderr));
    assert_eq!(chiffre(&stdout, "importées"), 1, "{stdout}");
    // « Location name » names no Malian place: kept as given, not linked. The example's
    // point (31.616944 N, 65.716944 E, Kandahar) is not in Mali either.
    assert_eq!(chiffre(&stdout, "lieux lus (<location>)"), 1);
    assert_eq!(chiffre(&stdout, "non liés"), 1);

    let conn = s.conn();
    let (id, titre, langue, editeur, statut, debut, fin, mali, fichier): (
        i64,
        String,
        String,
        String,
        String,
        String,
        String,
        String,
        String,
    ) = conn
        .query_row(
            "SELECT id, titre, titre_langue, editeur_nom, statut, debut_reel, fin_prevue, pourcentage_mali, fichier
             FROM intervention WHERE identifiant_iati = 'AA-AAA-123456789-ABC123'",
            [],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                ))
            },
        )
        .unwrap();
    assert_eq!(
        (titre.as_str(), langue.as_str()),
        ("Titre de l'activité", "fr")
    );
    assert_eq!(editeur, "Nom de l'organisme");
    assert_eq!(
        (statut.as_str(), debut.as_str(), fin.as_str(), mali.as_str()),
        ("2", "2012-04-28", "2015-12-31", "25")
    );
    assert_eq!(fichier, "exemple-mali.xml");
    let secteurs: Vec<(String, String)> = conn
        .prepare("SELECT vocabulaire, code FROM intervention_secteur WHERE intervention_id = ?1 ORDER BY rang")
        .unwrap()
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        secteurs,
        [("2".into(), "111".into()), ("2".into(), "112".into())]
    );
    let (type_t, valeur, devise, fournisseur): (String, i64, String, String) = conn
        .query_row(
            "SELECT type, valeur, devise, fournisseur FROM intervention_transaction WHERE intervention_id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(
        (
            type_t.as_str(),
            valeur,
            devise.as_str(),
            fournisseur.as_str()
        ),
        ("1", 100_000, "EUR", "Agency B")
    );
    assert_eq!(
        nombre(
            &s,
            "SELECT count(*) FROM intervention_organisation WHERE role IS NOT NULL"
        ),
        3
    );

    let page = s.get(&format!("/interventions/{id}"));
    assert_eq!(page.statut, 200);
    assert!(
        page.corps.contains("Titre de l&#39;activité"),
        "{}",
        page.corps
    );
    // The publisher's last-updated-datetime read as a day, not as XML.
    assert!(
        page.corps
            .contains("mis à jour par l'éditeur le 10 septembre 2014"),
        "{}",
        page.corps
    );
    assert!(
        page.corps
            .contains(r#"href="https://d-portal.org/q.html?aid=AA-AAA-123456789-ABC123""#)
    );
    assert!(page.corps.contains("Location name"));
    assert!(page.corps.contains("non rattaché à une collectivité"));
    assert!(page.corps.contains("Fonds entrants"));
    assert!(page.corps.contains("1\u{202F}000,00\u{A0}EUR"));
    // Its result: the indicator, its baseline, the period's target and actual.
    let resultats = page
        .corps
        .split("<h2>Résultats publiés</h2>")
        .nth(1)
        .unwrap();
    for attendu in [
        "Indicator title",
        "produit — Result title",
        "10 en 2012",
        "du 1er janvier 2013 au 31 mars 2013",
        "<td class=\"nombre\">11</td>",
    ] {
        assert!(
            resultats.contains(attendu),
            "« {attendu} » absent de :\n{resultats}"
        );
    }
    assert!(page.corps.contains("(UTC).</p>"), "{}", page.corps);
    assert!(!page.corps.contains("<script"));

    // The same file again: unchanged, nothing written, no duplicate.
    let importe_le: String = conn
        .query_row("SELECT importe_le FROM intervention", [], |r| r.get(0))
        .unwrap();
    let sortie = importer(s.store.chemin(), &[&malien]);
    let stdout = texte(&sortie.stdout);
    assert_eq!(chiffre(&stdout, "importées"), 0, "{stdout}");
    assert_eq!(chiffre(&stdout, "mises à jour"), 0);
    assert_eq!(chiffre(&stdout, "inchangées"), 1);
    assert_eq!(
        conn.query_row("SELECT importe_le FROM intervention", [], |r| r
            .get::<_, String>(0))
            .unwrap(),
        importe_le
    );
    assert_eq!(nombre(&s, "SELECT count(*) FROM intervention"), 1);
    assert_eq!(
        nombre(&s, "SELECT count(*) FROM intervention_transaction"),
        1
    );
    assert_eq!(nombre(&s, "SELECT count(*) FROM intervention_lieu"), 1);

    // Published text is shown as text, never as markup.
    let hostile = dossier.path().join("hostile.xml");
    std::fs::write(
        &hostile,
        r#"<iati-activities version="2.03"><iati-activity xml:lang="x&quot;><b>">
          <iati-identifier>XM-1/&lt;b&gt;</iati-identifier>
          <title><narrative>&lt;script&gt;alert(1)&lt;/script&gt;</narrative></title>
          <recipient-country code="ML"/>
          <location><name><narrative>&lt;img src=x&gt;</narrative></name></location>
        </iati-activity></iati-activities>"#,
    )
    .unwrap();
    assert!(importer(s.store.chemin(), &[&hostile]).status.success());
    let autre: i64 = nombre(
        &s,
        "SELECT id FROM intervention WHERE identifiant_iati = 'XM-1/<b>'",
    );
    let page = s.get(&format!("/interventions/{autre}"));
    assert_eq!(page.statut, 200);
    assert!(
        page.corps.contains("&#60;script&#62;alert(1)"),
        "{}",
        page.corps
    );
    assert!(
        !page.corps.contains("<script")
            && !page.corps.contains("<img")
            && !page.corps.contains("<b>")
    );
    assert!(page.corps.contains("aid=XM-1%2F%3Cb%3E"));
}

/// Real publishers' ways of giving places for Mali, one activity each (UNDP names régions,
/// ECHO gives points only, AFD lists the régions in the description beside the country's
/// centroid, USAID GeoNames ids, Sida ISO codes, AfDB a list in the name), and one activity
/// of Burkina Faso.
const EDITEURS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03">
 <iati-activity><iati-identifier>XM-DAC-41114-PNUD</iati-identifier><recipient-country code="ML"/>
  <location><location-reach code="1"/><name><narrative xml:lang="en">Mopti Region</narrative></name>
   <location-class code="1"/><feature-designation code="ADM1"/></location>
  <location><name><narrative>Tombouctou</narrative></name></location>
 </iati-activity>
 <iati-activity><iati-identifier>XI-IATI-EC_ECHO-1</iati-identifier><recipient-country code="ML"/>
  <location><point srsName="http://www.opengis.net/def/crs/EPSG/0/4326"><pos>14.45 -11.44</pos></point><exactness code="1"/><location-class code="2"/></location>
  <location><point srsName="http://www.opengis.net/def/crs/EPSG/0/4326"><pos>14.69 -17.44</pos></point><exactness code="1"/></location>
  <location><point srsName="http://www.opengis.net/def/crs/EPSG/0/4326"><pos>quatorze</pos></point></location>
 </iati-activity>
 <iati-activity><iati-identifier>FR-3-CML-1</iati-identifier><recipient-country code="ML"/>
  <location><name><narrative>Mali</narrative></name><description><narrative>Gao, Kidal, Mopti</narrative></description>
   <point srsName="http://www.opengis.net/def/crs/EPSG/0/4326"><pos>17.570692 -3.996166</pos></point>
   <exactness code="2"/><location-class code="1"/><feature-designation code="PCLI"/></location>
  <location><name><narrative>Mali</narrative></name>
   <point srsName="http://www.opengis.net/def/crs/EPSG/0/4326"><pos>17.570692 -3.996166</pos></point><exactness code="2"/></location>
 </iati-activity>
 <iati-activity><iati-identifier>US-GOV-1-688</iati-identifier><recipient-country code="ML"/>
  <location><location-id vocabulary="G1" code="2451185"/><name><narrative>Sikasso</narrative></name></location>
  <location><location-id vocabulary="G1" code="2460594"/></location>
 </iati-activity>
 <iati-activity><iati-identifier>SE-0-SE-6-1</iati-identifier><recipient-country code="ML"/>
  <location><administrative vocabulary="A4" level="1" code="ML-4"/></location>
 </iati-activity>
 <iati-activity><iati-identifier>46002-P1</iati-identifier><recipient-country code="ML"/>
  <location><name><narrative>Koulikoro, Mopti et Ménaka</narrative></name></location>
  <location/>
 </iati-activity>
 <iati-activity><iati-identifier>XM-BF-1</iati-identifier><recipient-country code="BF"/>
  <location><name><narrative>Kaya</narrative></name></location>
 </iati-activity>
</iati-activities>
"#;

#[test]
fn every_location_of_real_publishers_files_is_accounted_for() {
    let s = Serveur::demo();
    let dossier = tempfile::tempdir().unwrap();
    let fichier = dossier.path().join("editeurs.xml");
    std::fs::write(&fichier, EDITEURS).unwrap();
    let sortie = importer(s.store.chemin(), &[&fichier]);
    let stdout = texte(&sortie.stdout);
    assert!(sortie.status.success(), "{}", texte(&sortie.stderr));
    let attendus = [
        ("lieux lus (<location>)", 13),
        ("liés à une collectivité malienne", 7),
        ("par code administratif", 1),
        ("par nom", 3),
        ("par liste de noms", 2),
        ("par point", 1),
        ("non liés", 5),
        ("le Mali entier (nom ou point du pays)", 1),
        ("hors du Mali", 1),
        ("lieu inconnu", 1),
        ("nom ambigu", 0),
        ("vide ou illisible", 2),
        ("dans des activités ignorées", 1),
    ];
    for (libelle, nombre) in attendus {
        assert_eq!(chiffre(&stdout, libelle), nombre, "{libelle} :\n{stdout}");
    }
    assert_eq!(
        chiffre(&stdout, "liés à une collectivité malienne")
            + chiffre(&stdout, "non liés")
            + chiffre(&stdout, "dans des activités ignorées"),
        chiffre(&stdout, "lieux lus (<location>)")
    );

    // The page of the AFD activity shows the three régions, how, and the country's point.
    let conn = s.conn();
    let id: i64 = conn
        .query_row(
            "SELECT id FROM intervention WHERE identifiant_iati = 'FR-3-CML-1'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let page = s.get(&format!("/interventions/{id}"));
    assert_eq!(page.statut, 200);
    for region in ["Gao", "Kidal", "Mopti"] {
        let c = conn
            .query_row(
                "SELECT id FROM collectivite WHERE nom = ?1 AND niveau = 'region'",
                [region],
                |r| r.get::<_, i64>(0),
            )
            .unwrap();
        assert!(
            page.corps
                .contains(&format!("<a href=\"/collectivites/{c}\">{region}</a>")),
            "{}",
            page.corps
        );
    }
    assert!(page.corps.contains("lié par liste de noms"));
    assert!(
        page.corps
            .contains("point 17,5707° N, 3,9962° O (approximatif)")
    );
    assert!(
        page.corps
            .contains("non rattaché à une collectivité : le Mali entier (nom ou point du pays)")
    );
    // The ECHO point in Kayes counts for the commune of Kayes and the région above it.
    let echo: i64 = conn
        .query_row(
            "SELECT id FROM intervention WHERE identifiant_iati = 'XI-IATI-EC_ECHO-1'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let kayes = par_code(&conn, Pays::MALI, Niveau::Region, "ML-1");
    let page = s.get(&format!("/collectivites/{}", kayes.id));
    assert!(
        page.corps
            .contains(&format!("href=\"/interventions/{echo}\""))
    );
    let page = s.get(&format!("/interventions/{echo}"));
    assert!(page.corps.contains("lié par point"));
    assert!(
        page.corps
            .contains("non rattaché à une collectivité : hors du Mali")
    );

    // The same file again: every activity unchanged.
    let sortie = importer(s.store.chemin(), &[&fichier]);
    let stdout = texte(&sortie.stdout);
    assert_eq!(chiffre(&stdout, "inchangées"), 6, "{stdout}");
    assert_eq!(chiffre(&stdout, "mises à jour"), 0);
    assert_eq!(chiffre(&stdout, "importées"), 0);
}

/// Writes the generated files: a multi-megabyte 2.03 file and two small 2.01 and 2.02 ones.
fn generer(dossier: &Path) -> Vec<(PathBuf, usize, usize)> {
    let mut fichiers = Vec::new();
    for (version, prefixe, debut, nombre) in [
        ("2.03", "GRAND", 0, 3_000),
        ("2.01", "V201", 0, 90),
        ("2.02", "V202", 0, 90),
    ] {
        let chemin = dossier.join(format!("{prefixe}.xml"));
        let mut sortie = std::io::BufWriter::new(std::fs::File::create(&chemin).unwrap());
        generateur_iati::ecrire(&mut sortie, version, prefixe, debut, nombre).unwrap();
        drop(sortie);
        fichiers.push((chemin, debut, nombre));
    }
    fichiers
}

#[test]
fn a_generated_multi_megabyte_import_links_places_and_reimports_without_duplicates() {
    let s = Serveur::demo();
    let dossier = tempfile::tempdir().unwrap();
    let fichiers = generer(dossier.path());
    let taille = std::fs::metadata(&fichiers[0].0).unwrap().len();
    assert!(taille > 3_000_000, "{taille} octets seulement");
    let chemins: Vec<&Path> = fichiers.iter().map(|(c, ..)| c.as_path()).collect();
    let mut attendu = generateur_iati::Attendu::default();
    for (_, debut, nombre) in &fichiers {
        let a = generateur_iati::attendu(*debut, *nombre);
        attendu.activites += a.activites;
        attendu.gardees += a.gardees;
        attendu.hors_mali += a.hors_mali;
        attendu.lieux_lies += a.lieux_lies;
        attendu.lieux_non_lies += a.lieux_non_lies;
        attendu.lieux_ignores += a.lieux_ignores;
    }

    let sortie = importer(s.store.chemin(), &chemins);
    let stdout = texte(&sortie.stdout);
    assert!(sortie.status.success(), "{}", texte(&sortie.stderr));
    // Not a terminal: no progress bar on standard error.
    assert!(
        !texte(&sortie.stderr).contains('%'),
        "{}",
        texte(&sortie.stderr)
    );
    assert!(stdout.starts_with(&format!(
        "Import IATI : 3 fichier(s), {} activité(s) lue(s).",
        attendu.activites
    )));
    assert_eq!(chiffre(&stdout, "importées"), attendu.gardees, "{stdout}");
    assert_eq!(chiffre(&stdout, "mises à jour"), 0);
    assert_eq!(chiffre(&stdout, "ignorées, hors Mali"), attendu.hors_mali);
    assert_eq!(
        chiffre(&stdout, "liés à une collectivité malienne"),
        attendu.lieux_lies
    );
    assert_eq!(chiffre(&stdout, "non liés"), attendu.lieux_non_lies);
    assert_eq!(
        chiffre(&stdout, "dans des activités ignorées"),
        attendu.lieux_ignores
    );
    // Every <location> read is accounted for, once.
    assert_eq!(
        chiffre(&stdout, "lieux lus (<location>)"),
        attendu.lieux_lies + attendu.lieux_non_lies + attendu.lieux_ignores
    );
    let detail = |libelles: &[&str]| libelles.iter().map(|l| chiffre(&stdout, l)).sum::<u64>();
    assert_eq!(
        detail(&[
            "par code administratif",
            "par nom",
            "par liste de noms",
            "par point"
        ]),
        attendu.lieux_lies
    );
    assert_eq!(
        detail(&[
            "le Mali entier (nom ou point du pays)",
            "hors du Mali",
            "lieu inconnu",
            "nom ambigu",
            "vide ou illisible"
        ]),
        attendu.lieux_non_lies
    );
    assert_eq!(
        chiffre(&stdout, "transactions illisibles (valeur ou devise)"),
        0
    );
    assert_eq!(
        nombre(&s, "SELECT count(*) FROM intervention") as u64,
        attendu.gardees
    );

    // Each kind of place went where docs/iati.md says.
    let conn = s.conn();
    let lieu = |genre: Genre| -> (Option<String>, Option<String>) {
        let i = (0..).find(|i| generateur_iati::genre(*i) == genre).unwrap();
        conn.query_row(
            "SELECT l.nom, c.code FROM intervention i JOIN intervention_lieu l ON l.intervention_id = i.id
             LEFT JOIN intervention_lieu_collectivite lc ON lc.intervention_id = l.intervention_id AND lc.rang = l.rang
             LEFT JOIN collectivite c ON c.id = lc.collectivite_id WHERE i.identifiant_iati = ?1",
            [generateur_iati::identifiant("GRAND", i)],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
    };
    let code = |genre| lieu(genre).1;
    assert_eq!(code(Genre::Kayes).as_deref(), Some("ML-1"));
    assert_eq!(code(Genre::Yelimane).as_deref(), Some("ML-1-YELIMANE"));
    assert_eq!(code(Genre::Bamako).as_deref(), Some("ML-BKO"));
    assert_eq!(code(Genre::SansPays).as_deref(), Some("ML-1-YELIMANE"));
    assert_eq!(code(Genre::PaysTransaction).as_deref(), Some("ML-1"));
    assert_eq!(code(Genre::CodeBamako).as_deref(), Some("ML-BKO"));
    assert_eq!(lieu(Genre::Ambigu), (Some("Somadougou".to_owned()), None));
    assert_eq!(
        lieu(Genre::Inconnu),
        (Some("Zorglub-Village".to_owned()), None)
    );
    // A place given by its code alone has no name.
    assert_eq!(lieu(Genre::CodeBamako).0, None);
    let (titre, langue): (String, String) = conn
        .query_row(
            "SELECT titre, titre_langue FROM intervention WHERE identifiant_iati = ?1",
            [generateur_iati::identifiant("V201", 0)],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(titre, "Projet n° 0 — eau & assainissement");
    assert_eq!(langue, "fr");
    let versions: i64 = nombre(&s, "SELECT count(DISTINCT version_iati) FROM intervention");
    assert_eq!(versions, 3);

    // The cercle of Yélimané shows its interventions; the région of Kayes those under it too.
    let yelimane = par_code(&conn, Pays::MALI, Niveau::Cercle, "ML-1-YELIMANE");
    let kayes = par_code(&conn, Pays::MALI, Niveau::Region, "ML-1");
    let au_cercle = nombre(
        &s,
        &format!(
            "SELECT count(DISTINCT intervention_id) FROM intervention_lieu_collectivite WHERE collectivite_id = {}",
            yelimane.id
        ),
    );
    let page = s.get(&format!("/collectivites/{}", yelimane.id));
    assert_eq!(page.statut, 200);
    assert!(page.corps.contains("Autres interventions (IATI)"));
    assert!(
        page.corps.contains(&format!(
            "{} interventions ; les 25 plus récentes",
            entier(au_cercle)
        )),
        "{}",
        page.corps
    );
    assert_eq!(page.compte("href=\"/interventions/"), 25);
    let dans_la_region = nombre(
        &s,
        "SELECT count(DISTINCT intervention_id) FROM intervention_lieu_collectivite WHERE collectivite_id IN (SELECT id FROM collectivite WHERE code = 'ML-1' OR code LIKE 'ML-1-%')",
    );
    assert!(dans_la_region > au_cercle);
    let page = s.get(&format!("/collectivites/{}", kayes.id));
    assert!(
        page.corps
            .contains(&format!("{} interventions", entier(dans_la_region))),
        "counts grouped by thousands: {}",
        page.corps
    );
    let premiere: i64 = conn
        .query_row(
            "SELECT intervention_id FROM intervention_lieu_collectivite WHERE collectivite_id = ?1 LIMIT 1",
            [yelimane.id],
            |r| r.get(0),
        )
        .unwrap();
    let page = s.get(&format!("/interventions/{premiere}"));
    assert_eq!(page.statut, 200);
    assert!(
        page.corps
            .contains(&format!("href=\"/collectivites/{}\"", yelimane.id))
    );
    assert_eq!(s.get("/interventions/999999").statut, 404);
    // A foreign collectivité's page has no such section: IATI imports are about Mali.
    let francaise: i64 = nombre(&s, "SELECT id FROM collectivite WHERE pays = 'FR' LIMIT 1");
    let page = s.get(&format!("/collectivites/{francaise}"));
    assert_eq!(page.statut, 200);
    assert!(!page.corps.contains("Autres interventions"));
    assert_eq!(s.get("/interventions/abc").statut, 400);

    // Again, with one title changed: updates in place, nothing duplicated.
    let lieux_avant = nombre(&s, "SELECT count(*) FROM intervention_lieu");
    let transactions_avant = nombre(&s, "SELECT count(*) FROM intervention_transaction");
    let petit = &fichiers[1].0;
    let contenu = std::fs::read_to_string(petit).unwrap();
    std::fs::write(
        petit,
        contenu.replacen("Projet n° 0 — eau", "Projet n° 0 révisé — eau", 1),
    )
    .unwrap();
    let sortie = importer(s.store.chemin(), &chemins);
    let stdout = texte(&sortie.stdout);
    assert!(sortie.status.success());
    assert_eq!(chiffre(&stdout, "importées"), 0, "{stdout}");
    // Only the activity whose title changed is updated; the others are found unchanged.
    assert_eq!(chiffre(&stdout, "mises à jour"), 1);
    assert_eq!(chiffre(&stdout, "inchangées"), attendu.gardees - 1);
    assert_eq!(
        nombre(&s, "SELECT count(*) FROM intervention") as u64,
        attendu.gardees
    );
    assert_eq!(
        nombre(&s, "SELECT count(*) FROM intervention_lieu"),
        lieux_avant
    );
    assert_eq!(
        nombre(&s, "SELECT count(*) FROM intervention_transaction"),
        transactions_avant
    );
    let titre: String = conn
        .query_row(
            "SELECT titre FROM intervention WHERE identifiant_iati = ?1",
            [generateur_iati::identifiant("V201", 0)],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(titre, "Projet n° 0 révisé — eau & assainissement");
}

/// One Malian activity with a result as funders publish them: a baseline, two periods, an
/// actual for one sex, and `cible` as the first period's target; and one without results.
fn activite_avec_resultat(cible: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03">
 <iati-activity xml:lang="fr"><iati-identifier>XM-SUIVI-1</iati-identifier>
  <title><narrative>Écoles du cercle</narrative></title>
  <recipient-country code="ML"/>
  <result type="2"><title><narrative>Scolarisation</narrative></title>
   <indicator measure="2" ascending="1"><title><narrative>Taux de scolarisation des filles</narrative></title>
    <reference vocabulary="1" code="SDG-4.1"/>
    <baseline year="2019" value="41.50"/>
    <period><period-start iso-date="2020-01-01"/><period-end iso-date="2020-12-31"/>
     <target value="{cible}"/><actual value="47.25"/>
     <actual value="44"><dimension name="sexe" value="femmes"/></actual></period>
    <period><period-start iso-date="2021-01-01"/><period-end iso-date="2021-12-31"/>
     <target value="55"/><actual value="environ 50"/></period>
   </indicator>
  </result>
 </iati-activity>
 <iati-activity><iati-identifier>XM-SUIVI-2</iati-identifier><recipient-country code="ML"/></iati-activity>
</iati-activities>
"#
    )
}

#[test]
fn published_results_are_shown_in_a_table_and_replaced_by_a_reimport() {
    let s = Serveur::demo();
    let dossier = tempfile::tempdir().unwrap();
    let fichier = dossier.path().join("suivi.xml");
    std::fs::write(&fichier, activite_avec_resultat("50")).unwrap();
    let sortie = importer(s.store.chemin(), &[&fichier]);
    let stdout = texte(&sortie.stdout);
    assert!(sortie.status.success(), "{}", texte(&sortie.stderr));
    assert_eq!(chiffre(&stdout, "importées"), 2, "{stdout}");
    // The value that is not a number is left out and said, with its line; the rest is kept.
    assert_eq!(
        chiffre(
            &stdout,
            "valeurs ou dates de résultats illisibles, laissées de côté"
        ),
        1
    );
    assert!(
        stdout.contains(
            "suivi.xml, ligne 14 : la valeur atteinte « environ 50 » d'un résultat n'est pas un nombre : laissée de côté"
        ),
        "{stdout}"
    );
    let id = nombre(
        &s,
        "SELECT id FROM intervention WHERE identifiant_iati = 'XM-SUIVI-1'",
    );
    let page = s.get(&format!("/interventions/{id}"));
    assert_eq!(page.statut, 200);
    let tableau = page
        .corps
        .split("<h2>Résultats publiés</h2>")
        .nth(1)
        .and_then(|t| t.split("</table>").next())
        .unwrap_or_else(|| panic!("pas de tableau des résultats :\n{}", page.corps));
    for attendu in [
        "Taux de scolarisation des filles",
        "effet — Scolarisation",
        "<code>SDG-4.1</code>",
        "41,5\u{A0}% en 2019",
        "du 1er janvier 2020 au 31 décembre 2020",
        "50\u{A0}%",
        "47,25\u{A0}%",
        "44\u{A0}% (sexe : femmes)",
        "55\u{A0}%",
        "sans valeur",
        r#"rowspan="2""#,
    ] {
        assert!(
            tableau.contains(attendu),
            "« {attendu} » absent de :\n{tableau}"
        );
    }
    assert_eq!(
        tableau.matches("<tr>").count(),
        3,
        "a header and two periods"
    );
    // The API gives the same, values as exact decimal strings.
    let json = commun::api::lire(&s, &format!("/api/v1/interventions/{id}"));
    let resultat = &json["resultats"][0];
    assert_eq!(resultat["base"]["valeur"], "41.5");
    assert_eq!(resultat["periodes"][0]["atteints"][1]["valeur"], "44");
    assert_eq!(
        resultat["periodes"][0]["atteints"][1]["dimensions"][0]["valeur"],
        "femmes"
    );
    assert!(resultat["periodes"][1]["atteints"][0]["valeur"].is_null());

    // The funder revises its target: the activity is updated, its results replaced.
    let lignes = |table: &str| nombre(&s, &format!("SELECT count(*) FROM {table}"));
    let avant = (
        lignes("intervention_resultat"),
        lignes("intervention_resultat_periode"),
        lignes("intervention_resultat_valeur"),
    );
    assert_eq!(avant, (1, 2, 5));
    std::fs::write(&fichier, activite_avec_resultat("52.5")).unwrap();
    let stdout = texte(&importer(s.store.chemin(), &[&fichier]).stdout);
    assert_eq!(chiffre(&stdout, "mises à jour"), 1, "{stdout}");
    assert_eq!(
        (
            lignes("intervention_resultat"),
            lignes("intervention_resultat_periode"),
            lignes("intervention_resultat_valeur"),
        ),
        avant
    );
    let page = s.get(&format!("/interventions/{id}"));
    assert!(page.corps.contains("52,5\u{A0}%"));
    // The API's answer kept for the first import is not served again.
    assert_eq!(
        commun::api::lire(&s, &format!("/api/v1/interventions/{id}"))["resultats"][0]["periodes"]
            [0]["cibles"][0]["valeur"],
        "52.5"
    );
    assert!(!page.corps.contains(">50\u{A0}%"));
    // An activity without results says so.
    let sans = nombre(
        &s,
        "SELECT id FROM intervention WHERE identifiant_iati = 'XM-SUIVI-2'",
    );
    let page = s.get(&format!("/interventions/{sans}"));
    let section = page
        .corps
        .split("<h2>Résultats publiés</h2>")
        .nth(1)
        .unwrap();
    assert!(
        section
            .trim_start()
            .starts_with("<p class=\"inconnu\">Aucun résultat publié.</p>"),
        "{section}"
    );
    assert_eq!(
        commun::api::lire(&s, &format!("/api/v1/interventions/{sans}"))["resultats"],
        serde_json::json!([])
    );
}

#[test]
fn a_malformed_file_writes_nothing_and_says_where() {
    let s = Serveur::demo();
    let dossier = tempfile::tempdir().unwrap();
    let bon = dossier.path().join("bon.xml");
    let mut sortie = std::fs::File::create(&bon).unwrap();
    generateur_iati::ecrire(&mut sortie, "2.03", "BON", 0, 20).unwrap();
    // A good file first, then one whose 5th line closes the wrong element at column 36.
    let mauvais = dossier.path().join("mauvais.xml");
    std::fs::write(
        &mauvais,
        "<?xml version=\"1.0\"?>\n<iati-activities version=\"2.02\">\n <iati-activity>\n  \
         <iati-identifier>XM-1</iati-identifier>\n  <title><narrative>Été</narrative></titre>\n \
         </iati-activity>\n</iati-activities>\n",
    )
    .unwrap();
    let avant = nombre(&s, "SELECT count(*) FROM intervention");
    let sortie = importer(s.store.chemin(), &[&bon, &mauvais]);
    assert_eq!(sortie.status.code(), Some(1));
    let stderr = texte(&sortie.stderr);
    assert!(
        stderr.contains("mauvais.xml, ligne 5, colonne 36 :"),
        "{stderr}"
    );
    assert!(stderr.contains("</titre>") && stderr.contains("rien n'a été écrit"));
    assert_eq!(nombre(&s, "SELECT count(*) FROM intervention"), avant);
    assert_eq!(nombre(&s, "SELECT count(*) FROM intervention_lieu"), 0);

    // A file of the 1.x standard is refused with the versions benkan reads.
    let ancien = dossier.path().join("ancien.xml");
    std::fs::write(
        &ancien,
        "<iati-activities version=\"1.05\"><iati-activity/></iati-activities>",
    )
    .unwrap();
    let sortie = importer(s.store.chemin(), &[&ancien]);
    assert_eq!(sortie.status.code(), Some(1));
    let stderr = texte(&sortie.stderr);
    assert!(
        stderr.contains("ancien.xml, ligne 1, colonne 1 : fichier IATI en version 1.05"),
        "{stderr}"
    );
    assert!(stderr.contains("2.01, 2.02, 2.03"));

    // A missing file, and no file at all.
    let sortie = importer(s.store.chemin(), &[&dossier.path().join("absent.xml")]);
    assert_eq!(sortie.status.code(), Some(1));
    assert!(texte(&sortie.stderr).contains("absent.xml : ouverture impossible"));
    let sortie = benkan()
        .args(["import", "iati", "--db"])
        .arg(s.store.chemin())
        .output()
        .unwrap();
    assert_eq!(sortie.status.code(), Some(2));
    assert_eq!(nombre(&s, "SELECT count(*) FROM intervention"), avant);
}

#[test]
fn a_progress_bar_is_drawn_at_a_terminal_only() {
    let s = Serveur::demo();
    let dossier = tempfile::tempdir().unwrap();
    let fichier = dossier.path().join("terminal.xml");
    let mut sortie = std::fs::File::create(&fichier).unwrap();
    generateur_iati::ecrire(&mut sortie, "2.03", "TTY", 0, 200).unwrap();
    // util-linux's `script` runs the command in a pseudo-terminal (Debian: bsdutils, essential).
    let commande = format!(
        "{} import iati --db '{}' '{}'",
        env!("CARGO_BIN_EXE_benkan"),
        s.store.chemin().display(),
        fichier.display()
    );
    let sortie = Command::new("script")
        .args(["-qec", &commande, "/dev/null"])
        .env_remove("BENKAN_DB")
        .output()
        .expect("`script` (util-linux) is needed to run benkan at a terminal");
    let ecran = texte(&sortie.stdout);
    assert!(sortie.status.success(), "{ecran}");
    assert!(
        ecran.contains("\rterminal.xml [") && ecran.contains(" Mo — ") && ecran.contains(" %"),
        "{ecran}"
    );
    assert!(ecran.contains("Import IATI : 1 fichier(s), 200 activité(s) lue(s)."));
}
