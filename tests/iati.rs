//! The IATI export validates against the official 2.03 schema (xmllint), and maps the records
//! as docs/iati.md says.

mod commun;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use benkan::interop::iati::{Editeur, exporter};
use benkan::model::*;
use benkan::store::{acteur, action, financement, partenariat};
use commun::{Serveur, par_code};
use quick_xml::events::Event;
use quick_xml::reader::Reader;
use time::macros::date;

fn schema() -> PathBuf {
    std::env::var_os("IATI_SCHEMA_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/iati/schema-2.03"))
        .join("iati-activities-schema.xsd")
}

#[test]
fn the_export_validates_against_the_official_schema_and_maps_the_records() {
    let s = Serveur::demo();
    let conn = s.conn();
    let kayes_region = par_code(&conn, Pays::MALI, Niveau::Region, "ML-1").id;
    let kayes = par_code(&conn, Pays::MALI, Niveau::Commune, "ML-1-KAYES-KAYES").id;
    let id: i64 = conn
        .query_row(
            "SELECT id FROM partenariat WHERE titre = 'Évry – Kayes'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let source = acteur::creer(
        &conn,
        NouvelActeur {
            nom: "Fonds d'essai".into(),
            type_organisation: TypeOrganisation::GouvernementLocal,
            identifiant_iati: Some("XM-EXEMPLE-FONDS".into()),
            pays: Some(Pays::FRANCE),
            collectivite: None,
        },
    )
    .unwrap();
    // Another partenariat, whose actions an NGO operates.
    let angers: i64 = conn
        .query_row(
            "SELECT id FROM partenariat WHERE titre = 'Bamako – Angers'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let ong = acteur::creer(
        &conn,
        NouvelActeur {
            nom: "ONG d'essai".into(),
            type_organisation: TypeOrganisation::OngInternationale,
            identifiant_iati: Some("XM-EXEMPLE-ONG".into()),
            pays: None,
            collectivite: None,
        },
    )
    .unwrap();
    partenariat::ajouter_intermediaire(
        &conn,
        PartenariatId(angers),
        ong,
        RoleIntermediaire::OngOperatrice,
        None,
    )
    .unwrap();
    let creer_dans = |p: i64,
                      titre: &str,
                      statut,
                      debut,
                      fin,
                      lieux: Vec<CollectiviteId>,
                      points: Vec<PointAction>| {
        action::creer(
            &conn,
            NouvelleAction {
                partenariat: PartenariatId(p),
                titre: titre.into(),
                description: Some("Action d'essai <pour l'export> & sa description".into()),
                axe: Axe::ServicesSociauxDeBase,
                domaine: Domaine::EauAssainissement,
                nature: Nature::Physique,
                statut,
                periode: Periode::new(debut, fin).unwrap(),
                lieux,
                points,
                // the forage also names Plateau, a quarter of Kayes
                localites: match titre {
                    "Forage" => vec!["ML010112005".into()],
                    _ => Vec::new(),
                },
            },
        )
        .unwrap()
    };
    let creer = |titre: &str, statut, debut, fin, lieux| {
        creer_dans(id, titre, statut, debut, fin, lieux, Vec::new())
    };
    let operee = creer_dans(
        angers,
        "Bibliothèque",
        StatutAction::EnCours,
        Some(date!(2024 - 01 - 01)),
        None,
        vec![],
        Vec::new(),
    );
    // Its points: one in Kayes with a label, one without.
    let points = vec![
        PointAction::nouveau(14.4485, -11.4389, Some("Puits <du marché> & école")).unwrap(),
        PointAction::nouveau(14.45, -11.44, None).unwrap(),
    ];
    let forage = creer_dans(
        id,
        "Forage",
        StatutAction::EnCours,
        Some(date!(2023 - 02 - 01)),
        None,
        vec![kayes, kayes_region],
        points,
    );
    creer(
        "Étude",
        StatutAction::Achevee,
        Some(date!(2019 - 01 - 01)),
        Some(date!(2019 - 12 - 31)),
        vec![],
    );
    creer("Sans date", StatutAction::Prevue, None, None, vec![]);
    for (type_financement, montant) in [
        (
            TypeFinancement::Engagement,
            Montant::new(250_000_000, Devise::Eur).unwrap(),
        ),
        (
            TypeFinancement::Decaissement,
            Montant::new(10_000_000, Devise::Xof).unwrap(),
        ),
    ] {
        financement::creer(
            &conn,
            NouveauFinancement {
                action: forage,
                source,
                type_financement,
                montant,
                annee: 2023,
            },
        )
        .unwrap();
    }

    // What the forage produced: a catalogue indicator with baseline, target and two periods,
    // one counting people by sex, and the action's own indicator in hectares.
    let resultat = |n: NouveauResultat| n.valider(true).unwrap();
    let periode = |debut, fin, valeur: &str, femmes: &str, hommes: &str| NouvellePeriode {
        debut: Some(debut),
        fin: Some(fin),
        valeur: valeur.into(),
        femmes: femmes.into(),
        hommes: hommes.into(),
        source: "PV de réception <n° 3>".into(),
        ..NouvellePeriode::default()
    };
    benkan::store::resultat::remplacer(
        &conn,
        forage,
        &[
            resultat(NouveauResultat {
                indicateur: "EAU-02".into(),
                base: "1200".into(),
                base_date: Some(date!(2022 - 12 - 31)),
                cible: "5000".into(),
                cible_date: Some(date!(2025 - 12 - 31)),
                periodes: vec![
                    periode(
                        date!(2023 - 01 - 01),
                        date!(2023 - 12 - 31),
                        "2000",
                        "1100",
                        "900",
                    ),
                    periode(date!(2024 - 01 - 01), date!(2024 - 12 - 31), "1500", "", ""),
                ],
                ..NouveauResultat::default()
            }),
            resultat(NouveauResultat {
                libelle: "Périmètre maraîcher irrigué".into(),
                unite: "ha".into(),
                cible: "2,5".into(),
                cible_date: Some(date!(2026 - 06 - 30)),
                ..NouveauResultat::default()
            }),
        ],
    )
    .unwrap();

    let dossier = tempfile::tempdir().unwrap();
    let fichier = dossier.path().join("iati.xml");
    let editeur = Editeur {
        reference: "XM-EXEMPLE-1".into(),
        nom: "Ministère d'essai".into(),
        type_organisation: "10".into(),
    };
    let rapport = exporter(&conn, &editeur, std::fs::File::create(&fichier).unwrap()).unwrap();
    assert_eq!((rapport.activites, rapport.sans_date), (3, 1));
    let xml = std::fs::read_to_string(&fichier).unwrap();
    for attendu in [
        &format!("<iati-identifier>XM-EXEMPLE-1-benkan-action-{forage}</iati-identifier>") as &str,
        "<narrative xml:lang=\"fr\">Forage</narrative>",
        "Action d&apos;essai &lt;pour l&apos;export&gt; &amp; sa description",
        "<sector vocabulary=\"1\" code=\"14030\" percentage=\"100\"/>",
        "<recipient-country code=\"ML\" percentage=\"100\"/>",
        "<administrative vocabulary=\"A4\" level=\"1\" code=\"ML-1\"/>",
        "<narrative xml:lang=\"fr\">Puits &lt;du marché&gt; &amp; école</narrative>",
        "<point srsName=\"http://www.opengis.net/def/crs/EPSG/0/4326\">",
        "<pos>14.4485 -11.4389</pos>",
        "<pos>14.45 -11.44</pos>",
        "<exactness code=\"1\"/>",
        "<location>\n   <name>\n    <narrative xml:lang=\"fr\">Plateau</narrative>\n   </name>\n   <point srsName=\"http://www.opengis.net/def/crs/EPSG/0/4326\">\n    <pos>14.43955 -11.43195</pos>\n   </point>\n   <exactness code=\"1\"/>\n   <location-class code=\"2\"/>\n  </location>",
        "<transaction-type code=\"2\"/>",
        "<value currency=\"EUR\" value-date=\"2023-12-31\">2500000.00</value>",
        "<value currency=\"XOF\" value-date=\"2023-12-31\">10000000</value>",
        "<participating-org ref=\"XM-EXEMPLE-FONDS\" type=\"11\" role=\"1\">",
        "<provider-org ref=\"XM-EXEMPLE-FONDS\" type=\"11\">",
        "<activity-status code=\"2\"/>",
        "<activity-date type=\"2\" iso-date=\"2023-02-01\"/>",
        &format!("<related-activity ref=\"XM-EXEMPLE-1-benkan-partenariat-{id}\" type=\"1\"/>"),
        "<result type=\"2\" aggregation-status=\"1\">",
        "<indicator measure=\"1\" ascending=\"1\">",
        "<reference vocabulary=\"99\" code=\"BENKAN-EAU-02\"/>",
        "<baseline year=\"2022\" iso-date=\"2022-12-31\" value=\"1200\"/>",
        "<period-start iso-date=\"2023-02-01\"/>\n     <period-end iso-date=\"2025-12-31\"/>\n     <target value=\"5000\"/>",
        "<actual value=\"2000\">",
        "<narrative xml:lang=\"fr\">Source : PV de réception &lt;n° 3&gt;</narrative>",
        "<actual value=\"1100\">\n      <dimension name=\"sexe\" value=\"femmes\"/>",
        "<actual value=\"1500\">",
        "<result type=\"1\" aggregation-status=\"0\">",
        "<narrative xml:lang=\"fr\">Périmètre maraîcher irrigué</narrative>",
        "<target value=\"2.5\"/>",
    ] {
        assert!(xml.contains(attendu), "{attendu} missing in\n{xml}");
    }
    // implementing: the NGO operator where the partenariat has one, else the Malian parties
    let activite = |action: ActionId| {
        let debut = xml
            .find(&format!("-benkan-action-{action}</iati-identifier>"))
            .unwrap();
        let fin = debut + xml[debut..].find("</iati-activity>").unwrap();
        &xml[debut..fin]
    };
    assert!(
        activite(operee).contains(
            "<participating-org ref=\"XM-EXEMPLE-ONG\" type=\"21\" role=\"4\">\n   <narrative xml:lang=\"fr\">ONG d&apos;essai</narrative>"
        ),
        "{}",
        activite(operee)
    );
    assert!(!activite(operee).contains("role=\"4\" type=\"11\""));
    assert!(
        activite(forage).contains(
            "<participating-org role=\"4\" type=\"11\">\n   <narrative xml:lang=\"fr\">Kayes</narrative>"
        ),
        "{}",
        activite(forage)
    );
    assert_eq!(
        activite(forage).matches("<location>").count(),
        5,
        "two places, two points and a village"
    );
    codes_des_listes_officielles(&xml);

    // benkan's own file reads back: its results come in as published, nothing left out.
    let resolveur = benkan::referentiel::resolveur(&conn).unwrap();
    let import = benkan::interop::iati_import::importer(
        &conn,
        &resolveur,
        std::slice::from_ref(&fichier),
        &mut |_| {},
    )
    .unwrap();
    assert_eq!(
        (import.importees, import.valeurs_resultats_illisibles),
        (3, 0)
    );
    let relue: i64 = conn
        .query_row(
            "SELECT id FROM intervention WHERE identifiant_iati = ?1",
            [format!("XM-EXEMPLE-1-benkan-action-{forage}")],
            |r| r.get(0),
        )
        .unwrap();
    let fiche = benkan::store::intervention::fiche(&conn, InterventionId(relue))
        .unwrap()
        .unwrap();
    let decimal = |v: &ValeurResultatIati| v.valeur.as_ref().map(|d| d.as_str().to_owned());
    // (end, targets, actuals) of each period
    type Relue = (Option<String>, Vec<Option<String>>, Vec<Option<String>>);
    let resume: Vec<Relue> = fiche.resultats[0]
        .periodes
        .iter()
        .map(|p| {
            (
                p.fin.map(|d| d.to_string()),
                p.cibles.iter().map(decimal).collect(),
                p.atteints.iter().map(decimal).collect(),
            )
        })
        .collect();
    let t = |s: &str| Some(s.to_owned());
    assert_eq!(
        resume,
        [
            (t("2025-12-31"), vec![t("5000")], vec![]),
            (
                t("2023-12-31"),
                vec![],
                vec![t("2000"), t("1100"), t("900")]
            ),
            (t("2024-12-31"), vec![], vec![t("1500")]),
        ]
    );
    let eau = &fiche.resultats[0];
    assert_eq!(
        eau.reference,
        Some(("99".to_owned(), "BENKAN-EAU-02".to_owned()))
    );
    assert_eq!(
        eau.base
            .as_ref()
            .map(|b| (b.annee, b.valeur.as_ref().map(DecimalIati::as_str))),
        Some((Some(2022), Some("1200")))
    );
    assert_eq!(
        eau.periodes[1].atteints[1].dimensions,
        [("sexe".to_owned(), "femmes".to_owned())]
    );
    assert_eq!(
        fiche.resultats[1].indicateur.as_deref(),
        Some("Périmètre maraîcher irrigué")
    );
    assert_eq!(decimal(&fiche.resultats[1].periodes[0].cibles[0]), t("2.5"));

    let xsd = schema();
    let xmllint = Command::new("xmllint").arg("--version").output();
    if xmllint.is_err() || !xsd.exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "xmllint ou le schéma IATI ({}) manque en CI",
            xsd.display()
        );
        eprintln!(
            "validation IATI non exécutée : xmllint ou {} absent",
            xsd.display()
        );
        return;
    }
    let validation = Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(&xsd)
        .arg(&fichier)
        .output()
        .unwrap();
    assert!(
        validation.status.success(),
        "{}",
        String::from_utf8_lossy(&validation.stderr)
    );
}

/// The codes of one of the official codelists copied into `data/iati/codelists`.
fn codelist(nom: &str) -> HashSet<String> {
    let chemin =
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("data/iati/codelists/{nom}.xml"));
    let mut lecteur = Reader::from_file(&chemin).unwrap();
    let (mut codes, mut dans_code, mut tampon) = (HashSet::new(), false, Vec::new());
    loop {
        match lecteur.read_event_into(&mut tampon).unwrap() {
            Event::Start(e) => dans_code = e.name().as_ref() == "code",
            Event::Text(t) if dans_code => {
                codes.insert(t.into_inner().trim().to_owned());
            }
            Event::End(_) => dans_code = false,
            Event::Eof => break,
            _ => {}
        }
        tampon.clear();
    }
    assert!(!codes.is_empty(), "{nom} : aucun code");
    codes
}

/// Every coded attribute of the export comes from its official codelist.
fn codes_des_listes_officielles(xml: &str) {
    let listes: &[(&str, &str, &str)] = &[
        ("activity-status", "code", "ActivityStatus"),
        ("activity-date", "type", "ActivityDateType"),
        ("participating-org", "role", "OrganisationRole"),
        ("participating-org", "type", "OrganisationType"),
        ("reporting-org", "type", "OrganisationType"),
        ("sector", "code", "Sector"),
        ("sector", "vocabulary", "SectorVocabulary"),
        ("transaction-type", "code", "TransactionType"),
        ("value", "currency", "Currency"),
        ("collaboration-type", "code", "CollaborationType"),
        ("default-flow-type", "code", "FlowType"),
        ("default-finance-type", "code", "FinanceType"),
        ("default-aid-type", "code", "AidType"),
        ("related-activity", "type", "RelatedActivityType"),
        ("administrative", "vocabulary", "GeographicVocabulary"),
    ];
    let codes: HashMap<&str, HashSet<String>> =
        listes.iter().map(|(_, _, l)| (*l, codelist(l))).collect();
    let mut lecteur = Reader::from_str(xml);
    let mut verifies = 0;
    loop {
        match lecteur.read_event().unwrap() {
            Event::Start(e) | Event::Empty(e) => {
                for (element, attribut, liste) in listes {
                    if e.name().as_ref() != *element {
                        continue;
                    }
                    if let Some(a) = e.try_get_attribute(attribut).unwrap() {
                        let code = a
                            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .unwrap();
                        assert!(
                            codes[liste].contains(code.as_ref()),
                            "<{element} {attribut}=\"{code}\"> n'est pas dans la liste {liste}"
                        );
                        verifies += 1;
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(verifies > 20, "{verifies} codes vérifiés seulement");
}

#[test]
fn every_mapped_vocabulary_value_is_in_its_official_codelist() {
    let organisations = codelist("OrganisationType");
    for t in TypeOrganisation::TOUS {
        assert!(organisations.contains(t.code()), "{}", t.code());
    }
    let secteurs = codelist("Sector");
    for d in Domaine::TOUS {
        assert!(secteurs.contains(d.code_cad()), "{}", d.code_cad());
    }
    let devises = codelist("Currency");
    for d in Devise::TOUS {
        assert!(devises.contains(d.code()), "{}", d.code());
    }
}

#[test]
fn the_command_writes_the_file_or_says_why_not() {
    let dossier = tempfile::tempdir().unwrap();
    let base = dossier.path().join("b.db");
    let benkan = || {
        let mut c = Command::new(env!("CARGO_BIN_EXE_benkan"));
        c.env_remove("BENKAN_DB");
        c
    };
    assert!(
        benkan()
            .args(["init", "--demo", "--db"])
            .arg(&base)
            .output()
            .unwrap()
            .status
            .success()
    );
    let sortie = benkan()
        .args(["export", "iati", "--db"])
        .arg(&base)
        .arg("--out")
        .arg(dossier.path().join("x.xml"))
        .output()
        .unwrap();
    assert_eq!(
        sortie.status.code(),
        Some(1),
        "the demonstration has no dated action"
    );
    assert!(String::from_utf8_lossy(&sortie.stderr).contains("aucune action publique datée"));
    assert!(
        !dossier.path().join("x.xml").exists() && !dossier.path().join("x.xml.partiel").exists(),
        "no half file"
    );
    let mauvais = benkan()
        .args([
            "export",
            "iati",
            "--reporting-org-type",
            "99",
            "--out",
            "y.xml",
            "--db",
        ])
        .arg(&base)
        .output()
        .unwrap();
    assert_eq!(mauvais.status.code(), Some(2));
    let sans_dossier = benkan()
        .args(["export", "iati", "--db"])
        .arg(&base)
        .arg("--out")
        .arg(dossier.path().join("absent/x.xml"))
        .output()
        .unwrap();
    assert_eq!(sans_dossier.status.code(), Some(1));
    let message = String::from_utf8_lossy(&sans_dossier.stderr);
    assert!(
        message.contains("absent/x.xml.partiel : fichier ou dossier introuvable"),
        "{message}"
    );
}
