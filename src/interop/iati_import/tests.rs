use std::io::Cursor;

use super::*;
use crate::model::{LieuIati, Narratif};
use crate::referentiel;
use crate::store::Store;

fn lire(xml: &str) -> Result<Vec<ActiviteLue>, ErreurLecture> {
    let mut lecteur = LecteurIati::nouveau(Cursor::new(xml.as_bytes()))?;
    let mut activites = Vec::new();
    while let Some(a) = lecteur.suivante()? {
        activites.push(a);
    }
    Ok(activites)
}

fn echec(e: ErreurLecture) -> (u64, String) {
    match e {
        ErreurLecture::Fichier { position, message } => (position, message),
        ErreurLecture::Io(e) => panic!("{e}"),
    }
}

const TOLERANT: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment -->
<iati-activities version="2.02" xmlns:ext="http://example.org/ext" xml:lang="en">
 <ext:header><title><narrative>not an activity</narrative></title></ext:header>
 <iati-activity default-currency="XOF" xml:lang="es" last-updated-datetime="2024-01-02T00:00:00Z">
  <iati-identifier> XM-1-A </iati-identifier>
  <reporting-org ref="XM-1" type="10"><narrative>Agence</narrative></reporting-org>
  <title><narrative>Título</narrative><narrative xml:lang="EN">Title</narrative><narrative xml:lang="fr">Titre &amp; &#233;t&#xE9;</narrative></title>
  <ext:title><narrative xml:lang="fr">Extension, ignorée</narrative></ext:title>
  <description type="2"><narrative>Objectifs</narrative></description>
  <description><narrative xml:lang="en">General</narrative></description>
  <participating-org role="1" ref="XM-2"><narrative>Bailleur</narrative></participating-org>
  <participating-org role="4"/>
  <activity-status code="2"/>
  <activity-date type="1" iso-date="2020-01-01"/><activity-date type="2" iso-date="2020-02-03T00:00:00"/>
  <recipient-country code="ml" percentage="60"/>
  <location><name><narrative>Yélimané</narrative></name><administrative vocabulary="A4" code="ML-1"/></location>
  <location ref="X"/>
  <sector code="14030" percentage="100"/>
  <sector vocabulary="2" code="140"/>
  <unknown-element><deep><narrative>skip me</narrative></deep></unknown-element>
  <transaction><transaction-type code="3"/><transaction-date iso-date="2021-05-01"/>
   <value value-date="2021-05-01">25000000</value>
   <provider-org><narrative>Bailleur</narrative></provider-org></transaction>
  <transaction><transaction-type code="2"/><value currency="EUR"><![CDATA[1500.5]]></value></transaction>
 </iati-activity>
 <iati-activity><iati-identifier>XM-1-B</iati-identifier></iati-activity>
 <iati-activity/>
</iati-activities>
"#;

#[test]
fn the_reader_keeps_what_benkan_uses_and_skips_the_rest() {
    let activites = lire(TOLERANT).unwrap();
    assert_eq!(activites.len(), 3);
    let a = &activites[0];
    assert_eq!(a.identifiant, "XM-1-A");
    assert_eq!(a.devise_defaut.as_deref(), Some("XOF"));
    assert_eq!(a.titre.len(), 3);
    assert_eq!(
        choisir(&a.titre),
        Some(&Narratif {
            texte: "Titre & été".into(),
            langue: Some("fr".into())
        })
    );
    assert_eq!(a.descriptions.len(), 2);
    assert_eq!(a.descriptions[1].0, "1");
    assert_eq!(a.participants.len(), 2);
    assert_eq!(a.editeur.reference.as_deref(), Some("XM-1"));
    assert_eq!(a.statut.as_deref(), Some("2"));
    assert_eq!(a.pays, [("ML".to_owned(), Some("60".to_owned()))]);
    assert_eq!(a.lieux.len(), 2);
    assert_eq!(a.lieux[0].noms[0].texte, "Yélimané");
    assert_eq!(a.lieux[0].noms[0].langue.as_deref(), Some("es"));
    assert_eq!(
        a.lieux[0].administratifs,
        [CodeLu {
            vocabulaire: Some("A4".into()),
            niveau: None,
            code: "ML-1".into()
        }]
    );
    assert_eq!(a.secteurs[0].vocabulaire, "1");
    assert_eq!(a.secteurs[1].vocabulaire, "2");
    assert_eq!(a.transactions.len(), 2);
    assert_eq!(a.transactions[0].valeur, "25000000");
    assert_eq!(a.transactions[0].devise, None);
    assert_eq!(a.transactions[0].fournisseur[0].texte, "Bailleur");
    assert_eq!(a.transactions[1].valeur, "1500.5");
    assert_eq!(activites[1].identifiant, "XM-1-B");
    assert_eq!(activites[2].identifiant, "");
}

#[test]
fn narratives_prefer_french_then_english_then_the_first() {
    let n = |texte: &str, langue: Option<&str>| Narratif {
        texte: texte.into(),
        langue: langue.map(str::to_owned),
    };
    let liste = [
        n("uno", Some("es")),
        n("one", Some("en-GB")),
        n("un", Some("FR")),
    ];
    assert_eq!(choisir(&liste).unwrap().texte, "un");
    assert_eq!(choisir(&liste[..2]).unwrap().texte, "one");
    assert_eq!(choisir(&liste[..1]).unwrap().texte, "uno");
    assert_eq!(choisir(&[]), None);
}

#[test]
fn only_versions_2_01_to_2_03_are_read() {
    for version in ["2.01", "2.02", "2.03"] {
        let xml = format!(r#"<iati-activities version="{version}"></iati-activities>"#);
        assert_eq!(lire(&xml).unwrap(), []);
    }
    let (octet, message) = echec(
        lire("\n<iati-activities version=\"1.05\"><iati-activity/></iati-activities>").unwrap_err(),
    );
    assert_eq!(octet, 1);
    assert!(message.contains("version 1.05"), "{message}");
    assert!(message.contains("2.01, 2.02, 2.03"), "{message}");
    let (_, message) = echec(lire("<iati-activities></iati-activities>").unwrap_err());
    assert!(message.contains("sans attribut version"), "{message}");
    let (_, message) = echec(lire(r#"<iati-organisations version="2.03"/>"#).unwrap_err());
    assert!(message.contains("<iati-organisations>"), "{message}");
}

#[test]
fn a_malformed_file_is_an_error_at_its_position() {
    let xml = "<iati-activities version=\"2.03\">\n <iati-activity>\n  <title></titre>\n";
    let (octet, message) = echec(lire(xml).unwrap_err());
    assert!(message.contains("</titre>"), "{message}");
    assert!(message.contains("<title>"), "{message}");
    assert_eq!(&xml[octet as usize..octet as usize + 8], "</titre>");
    let (_, message) =
        echec(lire("<iati-activities version=\"2.03\"><iati-activity>").unwrap_err());
    assert!(message.contains("fin de fichier"), "{message}");
    let (_, message) = echec(
        lire("<iati-activities version=\"2.03\"><iati-activity><title><narrative>a &nbsp; b</narrative></title></iati-activity></iati-activities>").unwrap_err(),
    );
    assert!(message.contains("&nbsp;"), "{message}");
    let latin1 = b"<iati-activities version=\"2.03\"><iati-activity><title><narrative>\xe9t\xe9</narrative></title></iati-activity></iati-activities>";
    let mut lecteur = LecteurIati::nouveau(Cursor::new(&latin1[..])).unwrap();
    let (_, message) = echec(lecteur.suivante().unwrap_err());
    assert!(message.contains("pas en UTF-8"), "{message}");
}

#[test]
fn lines_and_columns_count_characters_from_one() {
    let dir = tempfile::tempdir().unwrap();
    let chemin = dir.path().join("f.xml");
    std::fs::write(&chemin, "ab\nçé<x\n").unwrap();
    // « < » is the 8th byte (ç and é take two each): line 2, column 3. Any order, one pass.
    assert_eq!(
        lignes_colonnes(&chemin, &[7, 0, 3, 7, 10]).unwrap(),
        [(2, 3), (1, 1), (2, 1), (2, 3), (3, 1)]
    );
    assert!(lignes_colonnes(&chemin, &[]).unwrap().is_empty());
}

#[test]
fn place_names_are_cleaned_and_malian_codes_recognised() {
    assert_eq!(nettoyer_nom(" Kayes, Mali "), "Kayes");
    assert_eq!(nettoyer_nom("Kati cercle (Mali)"), "Kati cercle");
    assert_eq!(nettoyer_nom("Gao – mali"), "Gao");
    assert_eq!(nettoyer_nom("Mali"), "Mali");
    assert_eq!(code_malien(Some("A4"), "ML-1"), Some("ML-1"));
    assert_eq!(code_malien(Some("A4"), "ml"), Some("ml"));
    assert_eq!(code_malien(Some("A4"), "MLI"), None);
    assert_eq!(code_malien(Some("G1"), "ML-1"), None);
    assert_eq!(code_malien(None, "ML-1"), None);
}

#[test]
fn places_link_only_when_the_resolver_is_sure() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::ouvrir(&dir.path().join("b.db")).unwrap();
    let conn = store.connexion().unwrap();
    referentiel::mettre_a_jour(&conn).unwrap();
    let resolveur = referentiel::resolveur(&conn).unwrap();
    let code = |nom: &str| {
        resoudre_nom(&resolveur, nom).ok().map(|id| {
            crate::store::collectivite::requise(&conn, id)
                .unwrap()
                .code
                .unwrap()
        })
    };
    assert_eq!(code("Yélimané").as_deref(), Some("ML-1-YELIMANE"));
    assert_eq!(code("YELIMANE").as_deref(), Some("ML-1-YELIMANE"));
    assert_eq!(code("Bamako").as_deref(), Some("ML-BKO"));
    // Région, cercle and commune of Kayes: the widest holds every reading.
    assert_eq!(code("Kayes").as_deref(), Some("ML-1"));
    assert_eq!(code("Kayes, Mali").as_deref(), Some("ML-1"));
    assert_eq!(
        code("Commune de Kayes").as_deref(),
        Some("ML-1-KAYES-KAYES")
    );
    // the level after the name, as publishers write it, read by the resolver
    assert_eq!(code("Mopti Region").as_deref(), Some("ML-5"));
    assert_eq!(code("Kati cercle (Mali)").as_deref(), Some("ML-2-KATI"));
    assert_eq!(code("Kita Commune").as_deref(), Some("ML-1-KITA-KITA"));
    assert_eq!(code("Diéma").as_deref(), Some("ML-1-DIEMA"));
    // A prefix, a typo and an unknown name do not link.
    assert_eq!(code("Nioro du"), None);
    assert_eq!(code("Yelimanee"), None);
    assert_eq!(code("Zorglub"), None);
    // A French name is not Malian.
    assert_eq!(code("Montreuil"), None);

    // Which activities concern Mali.
    let mut cache = lieux::Cache::new(&conn, &resolveur);
    let mut rapport = RapportImport::default();
    let mut garder = |pays: &[&str], lieu: LieuLu| {
        let activite = ActiviteLue {
            identifiant: "XM-1".into(),
            pays: pays.iter().map(|p| (p.to_string(), None)).collect(),
            lieux: vec![lieu],
            ..ActiviteLue::default()
        };
        convertir(
            &mut cache,
            activite,
            "2.03",
            &mut rapport,
            &mut resultats::Illisibles::new(0),
        )
        .unwrap()
        .map(|i| !i.lieux[0].collectivites().is_empty())
    };
    let nomme = |nom: &str| LieuLu {
        noms: vec![Narratif {
            texte: nom.into(),
            langue: None,
        }],
        ..LieuLu::default()
    };
    let code_a4 = |code: &str| LieuLu {
        administratifs: vec![CodeLu {
            vocabulaire: Some("A4".into()),
            niveau: None,
            code: code.into(),
        }],
        ..LieuLu::default()
    };
    // An ISO 3166-2 code of Mali is enough, and links the région.
    assert_eq!(garder(&[], code_a4("ML-5")), Some(true));
    // A Malian name in a Burkina Faso activity stays there.
    assert_eq!(garder(&["BF"], nomme("Kayes")), None);
    // Without any country, a Malian place decides; an unknown one does not.
    assert_eq!(garder(&[], nomme("Yélimané")), Some(true));
    assert_eq!(garder(&[], nomme("Zorglub")), None);
    // Mali among several countries: kept, even with an unknown place.
    assert_eq!(garder(&["BF", "ML"], nomme("Zorglub")), Some(false));
    assert_eq!(rapport.hors_mali, 2);
    assert_eq!(rapport.lies(MethodeLien::CodeAdministratif), 1);
    assert_eq!(rapport.lies(MethodeLien::Nom), 1);
    assert_eq!(rapport.non_lies(MotifNonLie::Inconnu), 1);
    assert_eq!((rapport.lieux_lus, rapport.lieux_ignores), (5, 2));
    let sans_identifiant = ActiviteLue {
        pays: vec![("ML".into(), None)],
        ..ActiviteLue::default()
    };
    assert_eq!(
        convertir(
            &mut cache,
            sans_identifiant,
            "2.03",
            &mut rapport,
            &mut resultats::Illisibles::new(0)
        )
        .unwrap(),
        None
    );
    assert_eq!(rapport.sans_identifiant, 1);
}

#[test]
fn every_part_of_a_location_is_read() {
    let activites = lire(
        r#"<iati-activities version="2.03"><iati-activity xml:lang="en">
          <iati-identifier>XM-1</iati-identifier>
          <location ref="L1">
            <location-reach code="2"/>
            <location-id vocabulary="G1" code="2453347"/>
            <name><narrative>Sikasso</narrative></name>
            <description><narrative>Ville de Sikasso</narrative></description>
            <activity-description><narrative>Forages</narrative></activity-description>
            <administrative vocabulary="A4" level="1" code="ML-3"/>
            <administrative vocabulary="A1" level="2" code="ML0301"/>
            <point srsName="http://www.opengis.net/def/crs/EPSG/0/4326"><pos> 11.31755 -5.66654 </pos></point>
            <exactness code="1"/>
            <location-class code="2"/>
            <feature-designation code="PPLA"/>
          </location>
          <location><point srsName="EPSG:4326"/></location>
        </iati-activity></iati-activities>"#,
    )
    .unwrap();
    let code = |vocabulaire: &str, niveau: Option<&str>, code: &str| CodeLu {
        vocabulaire: Some(vocabulaire.into()),
        niveau: niveau.map(str::to_owned),
        code: code.into(),
    };
    let narratif = |texte: &str| {
        vec![Narratif {
            texte: texte.into(),
            langue: Some("en".into()),
        }]
    };
    assert_eq!(
        activites[0].lieux,
        [
            LieuLu {
                reference: Some("L1".into()),
                noms: narratif("Sikasso"),
                descriptions: narratif("Ville de Sikasso"),
                descriptions_activite: narratif("Forages"),
                identifiants: vec![code("G1", None, "2453347")],
                administratifs: vec![
                    code("A4", Some("1"), "ML-3"),
                    code("A1", Some("2"), "ML0301")
                ],
                point: Some(PointLu {
                    srs: Some("http://www.opengis.net/def/crs/EPSG/0/4326".into()),
                    pos: Some("11.31755 -5.66654".into()),
                }),
                exactitude: Some("1".into()),
                classe: Some("2".into()),
                designation: Some("PPLA".into()),
                portee: Some("2".into()),
            },
            LieuLu {
                point: Some(PointLu {
                    srs: Some("EPSG:4326".into()),
                    pos: None,
                }),
                ..LieuLu::default()
            }
        ]
    );
}

/// A database with the shipped référentiel, for the places of real publishers' files.
fn base() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::ouvrir(&dir.path().join("b.db")).unwrap();
    referentiel::mettre_a_jour(&store.connexion().unwrap()).unwrap();
    (dir, store)
}

/// What became of a place: its method and the codes of its collectivités, or its reason.
type Devenir = Result<(MethodeLien, Vec<String>), MotifNonLie>;

/// Imports one Malian activity holding `lieux` (XML) and says what became of each place,
/// kept or not, with the report.
fn importer_lieux(conn: &rusqlite::Connection, lieux: &str) -> (Vec<Devenir>, RapportImport) {
    let xml = format!(
        r#"<iati-activities version="2.03"><iati-activity>
             <iati-identifier>XM-1</iati-identifier><recipient-country code="ML"/>{lieux}
           </iati-activity></iati-activities>"#
    );
    let activite = lire(&xml).unwrap().remove(0);
    let resolveur = referentiel::resolveur(conn).unwrap();
    let mut cache = lieux::Cache::new(conn, &resolveur);
    let devenirs = activite
        .lieux
        .iter()
        .map(|l| {
            let lieu: LieuIati = rattachement::rattacher(&mut cache, l).unwrap();
            match lieu.rattachement {
                crate::model::Rattachement::Lie {
                    methode,
                    collectivites,
                } => Ok((
                    methode,
                    collectivites
                        .iter()
                        .map(|c| {
                            crate::store::collectivite::requise(conn, *c)
                                .unwrap()
                                .code
                                .unwrap()
                        })
                        .collect(),
                )),
                crate::model::Rattachement::NonLie(motif) => Err(motif),
            }
        })
        .collect();
    let mut rapport = RapportImport::default();
    convertir(
        &mut cache,
        activite,
        "2.03",
        &mut rapport,
        &mut resultats::Illisibles::new(0),
    )
    .unwrap()
    .unwrap();
    (devenirs, rapport)
}

fn lie(methode: MethodeLien, codes: &[&str]) -> Devenir {
    Ok((methode, codes.iter().map(|c| c.to_string()).collect()))
}

/// The national centroid that real files put, approximate, on Mali-wide places.
const CENTRE: &str = r#"<point srsName="http://www.opengis.net/def/crs/EPSG/0/4326"><pos>17.570692 -3.996166</pos></point>"#;

#[test]
fn undp_names_its_regions() {
    let (_dir, store) = base();
    let conn = store.connexion().unwrap();
    let (devenirs, _) = importer_lieux(
        &conn,
        r#"<location ref="MLI-00089466-1"><location-reach code="1"/>
             <name><narrative xml:lang="en">Mopti Region</narrative></name>
             <location-class code="1"/><feature-designation code="ADM1"/></location>
           <location><name><narrative xml:lang="fr">Tombouctou, Mali</narrative></name></location>
           <location><name><narrative>Mali</narrative></name><exactness code="2"/></location>"#,
    );
    assert_eq!(
        devenirs,
        [
            lie(MethodeLien::Nom, &["ML-5"]),
            lie(MethodeLien::Nom, &["ML-6"]),
            Err(MotifNonLie::MaliEntier),
        ]
    );
}

#[test]
fn afd_lists_the_regions_in_the_description_beside_the_countrys_centroid() {
    let (_dir, store) = base();
    let conn = store.connexion().unwrap();
    let (devenirs, rapport) = importer_lieux(
        &conn,
        &format!(
            r#"<location><location-reach code="1"/><name><narrative>Mali</narrative></name>
                 <description><narrative>Gao, Kidal, Mopti</narrative></description>
                 {CENTRE}<exactness code="2"/><location-class code="1"/>
                 <feature-designation code="PCLI"/></location>
               <location><description><narrative>Les régions de Ségou et Sikasso</narrative></description>
                 {CENTRE}<exactness code="2"/></location>"#
        ),
    );
    // The description names the places; the country's point is not used for a commune.
    assert_eq!(
        devenirs,
        [
            lie(MethodeLien::ListeDeNoms, &["ML-7", "ML-8", "ML-5"]),
            lie(MethodeLien::ListeDeNoms, &["ML-4", "ML-3"]),
        ]
    );
    assert_eq!(rapport.lies(MethodeLien::ListeDeNoms), 2);
}

#[test]
fn afdb_lists_them_in_the_name() {
    let (_dir, store) = base();
    let conn = store.connexion().unwrap();
    let (devenirs, _) = importer_lieux(
        &conn,
        r#"<location><name><narrative>Koulikoro, Mopti et Ménaka</narrative></name></location>
           <location><name><narrative>Cercles de Kati et de Kangaba</narrative></name></location>
           <location><name><narrative>Kayes, Zorglub</narrative></name></location>"#,
    );
    assert_eq!(
        devenirs,
        [
            lie(MethodeLien::ListeDeNoms, &["ML-2", "ML-5", "ML-9"]),
            lie(MethodeLien::ListeDeNoms, &["ML-2-KATI", "ML-2-KANGABA"]),
            // One item known, one unknown: not a list but the name Kayes with an unknown
            // parent in context, which the resolver sets aside.
            lie(MethodeLien::Nom, &["ML-1"]),
        ]
    );
}

#[test]
fn usaid_gives_geonames_ids_which_benkan_cannot_read() {
    let (_dir, store) = base();
    let conn = store.connexion().unwrap();
    let (devenirs, rapport) = importer_lieux(
        &conn,
        r#"<location><location-reach code="1"/><location-id vocabulary="G1" code="2451185"/>
             <name><narrative>Sikasso</narrative></name>
             <point srsName="http://www.opengis.net/def/crs/EPSG/0/4326"><pos>11.31755 -5.66654</pos></point>
             <exactness code="1"/><location-class code="2"/><feature-designation code="PPLA"/></location>
           <location><location-id vocabulary="G1" code="2460594"/></location>"#,
    );
    // The name is more explicit than the point; a GeoNames id alone says nothing benkan knows.
    assert_eq!(
        devenirs,
        [lie(MethodeLien::Nom, &["ML-3"]), Err(MotifNonLie::Inconnu)]
    );
    assert_eq!(rapport.non_lies(MotifNonLie::Inconnu), 1);
}

#[test]
fn sida_gives_iso_codes() {
    let (_dir, store) = base();
    let conn = store.connexion().unwrap();
    let (devenirs, _) = importer_lieux(
        &conn,
        r#"<location><administrative vocabulary="A4" level="1" code="ML-4"/>
             <name><narrative>Segou region</narrative></name></location>
           <location><administrative vocabulary="A4" code="ml-bko"/></location>
           <location><administrative vocabulary="A4" code="ML"/><name><narrative>Nationwide</narrative></name></location>
           <location><administrative vocabulary="A4" code="BF-02"/></location>
           <location><administrative vocabulary="A4" code="ML-99"/></location>"#,
    );
    assert_eq!(
        devenirs,
        [
            lie(MethodeLien::CodeAdministratif, &["ML-4"]),
            lie(MethodeLien::CodeAdministratif, &["ML-BKO"]),
            Err(MotifNonLie::MaliEntier),
            Err(MotifNonLie::HorsMali),
            Err(MotifNonLie::Inconnu),
        ]
    );
}

#[test]
fn echo_gives_points_that_must_be_read_before_they_are_trusted() {
    let (_dir, store) = base();
    let conn = store.connexion().unwrap();
    let (devenirs, rapport) = importer_lieux(
        &conn,
        r#"<location><point srsName="http://www.opengis.net/def/crs/EPSG/0/4326"><pos>12.64 nord</pos></point></location>
           <location><point srsName="EPSG:3857"><pos>1600000 -1270000</pos></point><name><narrative>Zorglub</narrative></name></location>
           <location><point srsName="http://www.opengis.net/def/crs/EPSG/0/4326"><pos>0 0</pos></point></location>
           <location/>"#,
    );
    // A malformed point is unlinked, with its reason, never a failed import; an unknown name
    // says more than an unreadable point.
    assert_eq!(
        devenirs,
        [
            Err(MotifNonLie::Illisible),
            Err(MotifNonLie::Inconnu),
            Err(MotifNonLie::Illisible),
            Err(MotifNonLie::Illisible),
        ]
    );
    // Only the named place has something to show.
    assert_eq!(rapport.non_lies(MotifNonLie::Illisible), 3);
}

/// A `point` element in WGS 84.
fn point(lat: f64, lon: f64) -> String {
    format!(
        r#"<point srsName="http://www.opengis.net/def/crs/EPSG/0/4326"><pos>{lat} {lon}</pos></point>"#
    )
}

#[test]
fn echo_gives_points_only_placed_in_their_commune_or_said_to_be_the_country() {
    let (_dir, store) = base();
    let conn = store.connexion().unwrap();
    let kayes = point(14.45, -11.44);
    let bamako = point(12.64, -8.0);
    let (devenirs, _) = importer_lieux(
        &conn,
        &format!(
            r#"<location>{kayes}<exactness code="1"/><location-class code="2"/></location>
               <location>{bamako}</location>
               <location>{dakar}<exactness code="1"/><location-class code="2"/></location>
               <location>{CENTRE}<exactness code="2"/><location-class code="1"/></location>
               <location>{CENTRE}<exactness code="1"/><location-class code="2"/></location>
               <location>{kayes}<exactness code="2"/><feature-designation code="ADM1"/></location>
               <location>{kayes}<exactness code="1"/><feature-designation code="ADM2"/></location>
               <location>{kayes}<exactness code="2"/><location-class code="1"/></location>
               <location>{bamako}<feature-designation code="ADM2"/></location>
               <location>{kayes}<feature-designation code="PCLI"/></location>
               <location><name><narrative>Worofara</narrative></name>{kayes}<exactness code="1"/></location>
               <location><name><narrative>Zorglub</narrative></name>{kayes}<exactness code="1"/></location>
               <location><name><narrative>Yélimané</narrative></name>{kayes}<exactness code="1"/></location>"#,
            dakar = point(14.69, -17.44)
        ),
    );
    assert_eq!(
        devenirs,
        [
            // An exact populated place, or a point with nothing said: its commune.
            lie(MethodeLien::Point, &["ML-1-KAYES-KAYES"]),
            lie(MethodeLien::Point, &["ML-BKO-COMMUNE-III"]),
            // Dakar is kept, attached to nothing.
            Err(MotifNonLie::HorsMali),
            // The country's centroid, approximate: Mali, not the commune of Issabéry where
            // it falls; marked exact for a populated place, it is that commune.
            Err(MotifNonLie::MaliEntier),
            lie(MethodeLien::Point, &["ML-6-GOUNDAM-ISSABERY"]),
            // An administrative designation or class gives the level.
            lie(MethodeLien::Point, &["ML-1"]),
            lie(MethodeLien::Point, &["ML-1-KAYES"]),
            lie(MethodeLien::Point, &["ML-1"]),
            // Bamako's communes have no cercle: the district.
            lie(MethodeLien::Point, &["ML-BKO"]),
            // A country's designation: the country.
            Err(MotifNonLie::MaliEntier),
            // A village of the gazetteer is its commune (the name wins over the point, which
            // this test puts in Kayes); a place benkan does not know: its point places it.
            lie(MethodeLien::Nom, &["ML-2-KATI-SANANKORO-DJITOUMOU"]),
            lie(MethodeLien::Point, &["ML-1-KAYES-KAYES"]),
            // A name that links is more explicit than the point, which is not used.
            lie(MethodeLien::Nom, &["ML-1-YELIMANE"]),
        ]
    );
}

#[test]
fn a_village_links_its_commune_when_its_name_is_sure_and_alone() {
    let (_dir, store) = base();
    let conn = store.connexion().unwrap();
    let (devenirs, rapport) = importer_lieux(
        &conn,
        r#"<location><name><narrative>Worofara</narrative></name></location>
           <location><name><narrative>WOROFARA, Mali</narrative></name></location>
           <location><name><narrative>Somadougou</narrative></name></location>
           <location><name><narrative>Somadougou (Tominian)</narrative></name></location>
           <location><name><narrative>Worofarra</narrative></name></location>
           <location><name><narrative>Guinangourou</narrative></name></location>
           <location><name><narrative>Banikane (Niafunké)</narrative></name></location>
           <location><name><narrative>Sanankoroba</narrative></name></location>
           <location><description><narrative>Worofara et Yélimané</narrative></description></location>"#,
    );
    assert_eq!(
        devenirs,
        [
            // exact, then normalised: the commune the village lies in
            lie(MethodeLien::Nom, &["ML-2-KATI-SANANKORO-DJITOUMOU"]),
            lie(MethodeLien::Nom, &["ML-2-KATI-SANANKORO-DJITOUMOU"]),
            // three villages of that name in three communes: nobody can tell which
            Err(MotifNonLie::Ambigu),
            // the cercle given picks the one in the commune of Lanfiala
            lie(MethodeLien::Nom, &["ML-4-TOMINIAN-LANFIALA"]),
            // a typo is no sure name
            Err(MotifNonLie::Inconnu),
            // in a COD commune that benkan lacks (Diafounou Diongaga): its cercle
            lie(MethodeLien::Nom, &["ML-1-YELIMANE"]),
            // the seat names its commune
            lie(MethodeLien::Nom, &["ML-6-NIAFOUNKE-BANIKANE-NARHAWA"]),
            // a commune keeps its name from the villages that bear it
            lie(MethodeLien::Nom, &["ML-2-KATI-SANANKOROBA"]),
            lie(
                MethodeLien::ListeDeNoms,
                &["ML-2-KATI-SANANKORO-DJITOUMOU", "ML-1-YELIMANE"]
            ),
        ]
    );
    assert_eq!(rapport.lies(MethodeLien::Nom), 6);
}

#[test]
fn cod_p_codes_link_through_the_map() {
    let (_dir, store) = base();
    let conn = store.connexion().unwrap();
    let (devenirs, _) = importer_lieux(
        &conn,
        r#"<location><administrative vocabulary="A1" level="1" code="ML01"/></location>
           <location><location-id vocabulary="A1" code="ml0101"/></location>
           <location><administrative code="ML010112"/></location>
           <location><location-id vocabulary="A3" code="ML010101001"/></location>
           <location><location-id vocabulary="A3" code="ML010000000"/></location>
           <location><administrative vocabulary="A1" level="1" code="ML01"/>
             <administrative vocabulary="A1" level="2" code="ML0101"/></location>
           <location><administrative vocabulary="A1" level="3" code="ML010701"/></location>
           <location><location-id vocabulary="G1" code="ML0101"/></location>"#,
    );
    assert_eq!(
        devenirs,
        [
            lie(MethodeLien::CodeAdministratif, &["ML-1"]),
            lie(MethodeLien::CodeAdministratif, &["ML-1-KAYES"]),
            lie(MethodeLien::CodeAdministratif, &["ML-1-KAYES-KAYES"]),
            // A localité's P-code: its commune, from the gazetteer — the seat of the région
            // of Kayes has a P-code of its own, and lies in the commune of Kayes.
            lie(MethodeLien::CodeAdministratif, &["ML-1-KAYES-BANGASSI"]),
            lie(MethodeLien::CodeAdministratif, &["ML-1-KAYES-KAYES"]),
            // Two levels of one place: the most precise.
            lie(MethodeLien::CodeAdministratif, &["ML-1-KAYES"]),
            // A commune the map could not match (Diafounou Diongaga): its cercle.
            lie(MethodeLien::CodeAdministratif, &["ML-1-YELIMANE"]),
            // In a gazetteer's vocabulary it is not a P-code.
            Err(MotifNonLie::Inconnu),
        ]
    );
}

#[test]
fn homonyms_in_two_cercles_are_ambiguous() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::ouvrir(&dir.path().join("b.db")).unwrap();
    let conn = store.connexion().unwrap();
    use crate::model::{Niveau, NouvelleCollectivite, Pays};
    let inserer = |niveau, nom: &str, code: &str, parent| {
        crate::store::collectivite::inserer(
            &conn,
            NouvelleCollectivite {
                parent,
                code: Some(code.into()),
                ..NouvelleCollectivite::new(Pays::MALI, niveau, nom)
            },
        )
        .unwrap()
    };
    let region = inserer(Niveau::Region, "Sikasso", "T-3", None);
    for cercle in ["Kadiolo", "Bougouni"] {
        let code = format!("T-3-{cercle}");
        let id = inserer(Niveau::Cercle, cercle, &code, Some(region));
        inserer(Niveau::Commune, "Sanankoro", &format!("{code}-S"), Some(id));
    }
    let resolveur = referentiel::resolveur(&conn).unwrap();
    assert_eq!(resoudre_nom(&resolveur, "Sanankoro"), Err(EchecNom::Ambigu));
    assert_eq!(resoudre_nom(&resolveur, "Sanan"), Err(EchecNom::Inconnu));
    assert_eq!(resoudre_nom(&resolveur, "Sikasso"), Ok(region));
    let (devenirs, rapport) = importer_lieux(
        &conn,
        r#"<location><name><narrative>Sanankoro</narrative></name></location>
           <location><name><narrative>Sanankoro, Sikasso</narrative></name></location>
           <location><name><narrative>Sanankoro</narrative></name><administrative vocabulary="A4" code="T-3"/></location>"#,
    );
    assert_eq!(
        devenirs,
        [
            Err(MotifNonLie::Ambigu),
            // In a list, the item that is sure links.
            lie(MethodeLien::ListeDeNoms, &["T-3"]),
            // A code is trusted before the name.
            Err(MotifNonLie::Ambigu),
        ]
    );
    assert_eq!(rapport.non_lies(MotifNonLie::Ambigu), 2);
}

#[test]
fn every_location_read_is_counted_once() {
    let (_dir, store) = base();
    let conn = store.connexion().unwrap();
    let resolveur = referentiel::resolveur(&conn).unwrap();
    let dossier = tempfile::tempdir().unwrap();
    let fichier = dossier.path().join("lieux.xml");
    std::fs::write(
        &fichier,
        format!(
            r#"<iati-activities version="2.03">
             <iati-activity><iati-identifier>XM-A</iati-identifier><recipient-country code="ML"/>
               <location><name><narrative>Kayes</narrative></name></location>
               <location><administrative vocabulary="A4" code="ML-2"/></location>
               <location><name><narrative>Gao et Kidal</narrative></name></location>
               <location><name><narrative>Zorglub</narrative></name></location>
               <location><name><narrative>Mali</narrative></name>{CENTRE}<exactness code="2"/></location>
               <location><administrative vocabulary="A4" code="SN"/></location>
               <location/>
             </iati-activity>
             <iati-activity><iati-identifier>XM-B</iati-identifier><recipient-country code="BF"/>
               <location><name><narrative>Kayes</narrative></name></location>
             </iati-activity>
             <iati-activity><recipient-country code="ML"/><location/><location/></iati-activity>
             <iati-activity><iati-identifier>XM-C</iati-identifier>
               <location><name><narrative>Zorglub</narrative></name></location>
             </iati-activity>
           </iati-activities>"#
        ),
    )
    .unwrap();
    let rapport = importer(
        &conn,
        &resolveur,
        std::slice::from_ref(&fichier),
        &mut |_| {},
    )
    .unwrap();
    assert_eq!(rapport.lieux_lus, 11);
    let par_methode: u64 = MethodeLien::TOUTES.iter().map(|m| rapport.lies(*m)).sum();
    let par_motif: u64 = MotifNonLie::TOUS.iter().map(|m| rapport.non_lies(*m)).sum();
    assert_eq!(
        (par_methode, par_motif),
        (rapport.total_lies(), rapport.total_non_lies())
    );
    assert_eq!(
        par_methode + par_motif + rapport.lieux_ignores,
        rapport.lieux_lus
    );
    assert_eq!(rapport.lies(MethodeLien::Nom), 1);
    assert_eq!(rapport.lies(MethodeLien::CodeAdministratif), 1);
    assert_eq!(rapport.lies(MethodeLien::ListeDeNoms), 1);
    assert_eq!(rapport.non_lies(MotifNonLie::Inconnu), 1);
    assert_eq!(rapport.non_lies(MotifNonLie::MaliEntier), 1);
    assert_eq!(rapport.non_lies(MotifNonLie::HorsMali), 1);
    assert_eq!(rapport.non_lies(MotifNonLie::Illisible), 1);
    assert_eq!(rapport.lieux_ignores, 4);
    // The empty place, and the one whose only code is another country's, have nothing to
    // show: counted, not kept.
    let gardes: i64 = conn
        .query_row("SELECT count(*) FROM intervention_lieu", [], |r| r.get(0))
        .unwrap();
    assert_eq!(gardes, 5);

    // The same file again: nothing changed, nothing written.
    let encore = importer(&conn, &resolveur, &[fichier], &mut |_| {}).unwrap();
    assert_eq!(
        (encore.importees, encore.mises_a_jour, encore.inchangees),
        (0, 0, 1)
    );
    assert_eq!(encore.lieux_lus, rapport.lieux_lus);
}

const RESULTATS: &str = r#"<iati-activities version="2.03">
 <iati-activity><iati-identifier>XM-R</iati-identifier><recipient-country code="ML"/>
  <result type="1" aggregation-status="1">
   <title><narrative xml:lang="en">Water</narrative><narrative xml:lang="fr">Eau</narrative></title>
   <indicator measure="1" ascending="0">
    <title><narrative>Forages réalisés</narrative></title>
    <reference vocabulary="99" code="BENKAN-forages"/><reference vocabulary="1" code="X"/>
    <baseline year="2019" iso-date="2019-12-31" value="004.50"><comment><narrative>c</narrative></comment></baseline>
    <baseline year="2018" value="1"/>
    <period><period-start iso-date="2020-01-01"/><period-end iso-date="2020-12-31T00:00:00"/>
     <target value="10"/><actual value="7"><comment><narrative>ok</narrative></comment></actual>
     <actual value="3"><dimension name="sexe" value="femmes"/><dimension name="âge" value="15-24"/></actual>
    </period>
    <period><period-start iso-date="2021-01-01"/><period-end iso-date="31/12/2021"/>
     <target value="12"/>
     <actual value="50%"/>
    </period>
   </indicator>
   <indicator measure="5"><title><narrative>Qualité</narrative></title>
    <period><period-start iso-date="2021-01-01"/><period-end iso-date="2021-12-31"/><actual/></period>
   </indicator>
  </result>
  <result type="2"><title><narrative>Sans indicateur</narrative></title></result>
 </iati-activity>
 <iati-activity><iati-identifier>XM-SANS</iati-identifier><recipient-country code="ML"/></iati-activity>
</iati-activities>"#;

#[test]
fn results_are_read_as_published_and_an_unreadable_value_is_left_out_and_said() {
    use crate::model::{DecimalIati, ResultatIati, ValeurResultatIati};
    let activites = lire(RESULTATS).unwrap();
    assert_eq!(
        activites.len(),
        2,
        "a malformed value does not stop the reading"
    );
    let mut illisibles = resultats::Illisibles::new(SIGNALEMENTS_MAX);
    let r = resultats::convertir(&activites[0].resultats, &mut illisibles);
    assert_eq!(
        r.len(),
        2,
        "one line per indicator; the result without one has none"
    );
    let d = |t: &str| DecimalIati::lire(t);
    let v = |t: &str| ValeurResultatIati {
        valeur: d(t),
        dimensions: Vec::new(),
    };
    let eau: &ResultatIati = &r[0];
    assert_eq!(
        (eau.type_resultat.as_deref(), eau.titre.as_deref()),
        (Some("1"), Some("Eau"))
    );
    assert_eq!(eau.indicateur.as_deref(), Some("Forages réalisés"));
    assert_eq!(
        (eau.mesure.as_deref(), eau.croissant),
        (Some("1"), Some(false))
    );
    assert_eq!(
        eau.reference,
        Some(("99".to_owned(), "BENKAN-forages".to_owned())),
        "the first reference"
    );
    let base = eau.base.as_ref().unwrap();
    assert_eq!(
        (
            base.annee,
            base.date,
            base.valeur.as_ref().map(DecimalIati::as_str)
        ),
        (
            Some(2019),
            crate::model::date_iso("2019-12-31"),
            Some("4.5")
        ),
        "the first baseline, its value in one written form"
    );
    assert_eq!(eau.periodes.len(), 2);
    let p = &eau.periodes[0];
    assert_eq!(
        (p.debut, p.fin),
        (
            crate::model::date_iso("2020-01-01"),
            crate::model::date_iso("2020-12-31")
        )
    );
    assert_eq!(p.cibles, [v("10")]);
    assert_eq!(
        p.atteints,
        [
            v("7"),
            ValeurResultatIati {
                valeur: d("3"),
                dimensions: vec![
                    ("sexe".into(), "femmes".into()),
                    ("âge".into(), "15-24".into())
                ],
            }
        ]
    );
    // The second period: its end and its actual cannot be read; its target is kept.
    let p = &eau.periodes[1];
    assert_eq!((p.fin, p.cibles.clone()), (None, vec![v("12")]));
    assert_eq!(p.atteints.len(), 1);
    assert_eq!(p.atteints[0].valeur, None);
    let messages: Vec<&str> = illisibles
        .gardes
        .iter()
        .map(|i| i.message.as_str())
        .collect();
    assert_eq!(
        messages,
        [
            "la date « 31/12/2021 » d'une période de résultat n'est pas une date AAAA-MM-JJ : laissée de côté",
            "la valeur atteinte « 50% » d'un résultat n'est pas un nombre : laissée de côté",
        ]
    );
    // Each says where its element starts.
    assert!(RESULTATS[illisibles.gardes[0].position as usize..].starts_with("<period>"));
    assert!(
        RESULTATS[illisibles.gardes[1].position as usize..].starts_with(r#"<actual value="50%"/>"#)
    );
    // A qualitative measure has no value: nothing to say.
    assert_eq!(r[1].mesure.as_deref(), Some("5"));
    assert_eq!(
        r[1].periodes[0].atteints,
        [ValeurResultatIati {
            valeur: None,
            dimensions: Vec::new()
        }]
    );
    assert_eq!(r[1].titre.as_deref(), Some("Eau"));

    assert!(activites[1].resultats.is_empty());
    assert!(resultats::convertir(&activites[1].resultats, &mut illisibles).is_empty());
    // Beyond the places to list, values left out are counted only.
    let mut une_place = resultats::Illisibles::new(1);
    resultats::convertir(&activites[0].resultats, &mut une_place);
    assert_eq!((une_place.nombre, une_place.gardes.len()), (2, 1));
}

#[test]
fn an_import_stores_the_results_reports_bad_values_by_line_and_replaces_them_again() {
    let (dir, store) = base();
    let conn = store.connexion().unwrap();
    let resolveur = referentiel::resolveur(&conn).unwrap();
    let fichier = dir.path().join("resultats.xml");
    std::fs::write(&fichier, RESULTATS).unwrap();
    let rapport = importer(
        &conn,
        &resolveur,
        std::slice::from_ref(&fichier),
        &mut |_| {},
    )
    .unwrap();
    assert_eq!(rapport.importees, 2);
    assert_eq!(rapport.valeurs_resultats_illisibles, 2);
    let lignes: Vec<(&str, u64)> = rapport
        .signalements
        .iter()
        .map(|s| (s.fichier.as_str(), s.ligne))
        .collect();
    assert_eq!(lignes, [("resultats.xml", 14), ("resultats.xml", 16)]);
    let compter = |table: &str| -> i64 {
        conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    };
    let id: crate::model::InterventionId = conn
        .query_row(
            "SELECT id FROM intervention WHERE identifiant_iati = 'XM-R'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let fiche = intervention::fiche(&conn, id).unwrap().unwrap();
    let attendus = resultats::convertir(
        &lire(RESULTATS).unwrap()[0].resultats,
        &mut resultats::Illisibles::new(0),
    );
    assert_eq!(fiche.resultats, attendus, "read back as written");
    let avant = (
        compter("intervention_resultat"),
        compter("intervention_resultat_periode"),
        compter("intervention_resultat_valeur"),
        compter("intervention_resultat_dimension"),
    );
    assert_eq!(avant, (2, 3, 6, 2));

    // The same activity with one indicator less: replaced, not added to.
    let moins = RESULTATS.replace(
        r#"<indicator measure="5"><title><narrative>Qualité</narrative></title>
    <period><period-start iso-date="2021-01-01"/><period-end iso-date="2021-12-31"/><actual/></period>
   </indicator>"#,
        "",
    );
    assert_ne!(moins, RESULTATS);
    std::fs::write(&fichier, moins).unwrap();
    let rapport = importer(&conn, &resolveur, &[fichier], &mut |_| {}).unwrap();
    assert_eq!((rapport.mises_a_jour, rapport.inchangees), (1, 1));
    assert_eq!(
        (
            compter("intervention_resultat"),
            compter("intervention_resultat_periode"),
            compter("intervention_resultat_valeur"),
            compter("intervention_resultat_dimension"),
        ),
        (1, 2, 5, 2)
    );
}
