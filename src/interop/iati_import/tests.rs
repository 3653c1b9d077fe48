use std::io::Cursor;

use super::*;
use crate::model::Narratif;
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
        [(Some("A4".to_owned()), "ML-1".to_owned())]
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
    assert_eq!(ligne_colonne(&chemin, 0).unwrap(), (1, 1));
    assert_eq!(ligne_colonne(&chemin, 3).unwrap(), (2, 1));
    // « < » is the 8th byte (ç and é take two each): line 2, column 3.
    assert_eq!(ligne_colonne(&chemin, 7).unwrap(), (2, 3));
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
        resoudre_nom(&resolveur, nom).map(|id| {
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
    assert_eq!(code("Nioro"), None);
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
        convertir(&mut cache, activite, "2.03", &mut rapport)
            .unwrap()
            .map(|i| i.lieux[0].collectivite.is_some())
    };
    let nomme = |nom: &str| LieuLu {
        noms: vec![Narratif {
            texte: nom.into(),
            langue: None,
        }],
        ..LieuLu::default()
    };
    let code_a4 = |code: &str| LieuLu {
        administratifs: vec![(Some("A4".into()), code.into())],
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
    assert_eq!((rapport.lieux_lies, rapport.lieux_non_resolus), (2, 1));
    let sans_identifiant = ActiviteLue {
        pays: vec![("ML".into(), None)],
        ..ActiviteLue::default()
    };
    assert_eq!(
        convertir(&mut cache, sans_identifiant, "2.03", &mut rapport).unwrap(),
        None
    );
    assert_eq!(rapport.sans_identifiant, 1);
}
