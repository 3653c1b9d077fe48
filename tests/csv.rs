//! `benkan export csv` and `benkan import csv` as an administrator runs them: round trips,
//! the Excel variant, re-imports, and imports that go wrong.

mod commun;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use benkan::model::{
    Axe, Devise, Domaine, Etape, EtapeDatee, Montant, Nature, Niveau, NouveauFinancement,
    NouveauPartenariat, NouveauPdesc, NouveauResultat, NouvelActeur, NouvelleAction,
    NouvelleCollectivite, NouvelleConvention, NouvellePeriode, Pays, Periode, PointAction,
    Reconduction, RoleIntermediaire, StatutAction, StatutPartenariat, TypeFinancement,
    TypeOrganisation, Validation,
};
use benkan::store::{
    Store, acteur, action, collectivite, financement, partenariat, pdesc, referentiel, resultat,
};
use time::macros::date;

fn benkan() -> Command {
    let mut commande = Command::new(env!("CARGO_BIN_EXE_benkan"));
    commande.env_remove("BENKAN_DB").env_remove("BENKAN_ADDR");
    commande
}

fn lancer(args: &[&std::ffi::OsStr]) -> Output {
    benkan().args(args).output().unwrap()
}

fn reussir(args: &[&std::ffi::OsStr]) -> String {
    let sortie = lancer(args);
    assert!(
        sortie.status.success(),
        "{args:?}\n{}\n{}",
        String::from_utf8_lossy(&sortie.stdout),
        String::from_utf8_lossy(&sortie.stderr)
    );
    String::from_utf8(sortie.stdout).unwrap()
}

/// A fresh database in `dossier`, with the référentiel (and the demo if asked).
fn base(dossier: &Path, nom: &str, demo: bool) -> PathBuf {
    let chemin = dossier.join(nom);
    let mut args = vec!["init".as_ref(), "--db".as_ref(), chemin.as_os_str()];
    if demo {
        args.push("--demo".as_ref());
    }
    reussir(&args);
    chemin
}

fn exporter(db: &Path, out: &Path, excel: bool) {
    exporter_avec(db, out, excel, false);
}

fn exporter_avec(db: &Path, out: &Path, excel: bool, public: bool) {
    let mut args = vec![
        "export".as_ref(),
        "csv".as_ref(),
        "--db".as_ref(),
        db.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ];
    if excel {
        args.push("--excel-fr".as_ref());
    }
    if public {
        args.push("--public".as_ref());
    }
    reussir(&args);
}

fn importer(db: &Path, chemins: &[&Path], essai: bool) -> Output {
    let mut args = vec![
        "import".as_ref(),
        "csv".as_ref(),
        "--db".as_ref(),
        db.as_os_str(),
    ];
    if essai {
        args.push("--dry-run".as_ref());
    }
    args.extend(chemins.iter().map(|c| c.as_os_str()));
    lancer(&args)
}

fn importer_ok(db: &Path, chemins: &[&Path], essai: bool) -> String {
    let sortie = importer(db, chemins, essai);
    assert!(
        sortie.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&sortie.stdout),
        String::from_utf8_lossy(&sortie.stderr)
    );
    String::from_utf8(sortie.stdout).unwrap()
}

/// Every file of a directory, by name.
fn fichiers(dossier: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dossier)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn texte(dossier: &Path, fichier: &str) -> String {
    String::from_utf8(std::fs::read(dossier.join(fichier)).unwrap()).unwrap()
}

/// A registry with everything a file can carry: several étapes, a convention, an
/// intermediary, actions with places, money in three currencies with decimals, a foreign
/// collectivité created on demand, records under review and archived, texts with accents,
/// commas, quotes, semicolons and line breaks, the PDESC of Kayes with an action serving
/// one of its objectives, and results (catalogue and own indicators, km with a decimal,
/// people with women and men, several periods, a percentage).
fn registre_riche(db: &Path) {
    let store = Store::ouvrir(db).unwrap();
    let conn = store.connexion().unwrap();
    let cle = |c: &str| {
        benkan::model::CollectiviteId(
            referentiel::par_cle(&conn, c)
                .unwrap()
                .unwrap_or_else(|| panic!("{c}"))
                .0,
        )
    };
    let kayes = cle("ML:ML-1-KAYES-KAYES");
    let region_kayes = cle("ML:ML-1");
    let angers = cle("FR:commune-actuelle:49007");
    let maine_et_loire = cle("FR:departement:49");
    let landkreis = collectivite::inserer(
        &conn,
        NouvelleCollectivite::new(
            Pays::new("DE").unwrap(),
            Niveau::Niveau2,
            "Landkreis Lüneburg",
        ),
    )
    .unwrap();
    let luneburg = collectivite::inserer(
        &conn,
        NouvelleCollectivite {
            parent: Some(landkreis),
            libelle_niveau: Some("Hansestadt".into()),
            source: Some("Créée à la demande ; « ville hanséatique »,\nsur déclaration".into()),
            ..NouvelleCollectivite::new(Pays::new("DE").unwrap(), Niveau::Niveau3, "Lüneburg")
        },
    )
    .unwrap();
    // the child sorts before its parent: the import must still create the parent first
    conn.execute(
        "UPDATE collectivite SET reference = 'COLL-zz-landkreis' WHERE id = ?1",
        [landkreis.0],
    )
    .unwrap();
    conn.execute(
        "UPDATE collectivite SET reference = 'COLL-aa-luneburg' WHERE id = ?1",
        [luneburg.0],
    )
    .unwrap();

    let p1 = partenariat::creer(
        &conn,
        NouveauPartenariat {
            description: Some(
                "Première ligne, avec des \"guillemets\" ; et un point-virgule\nseconde ligne"
                    .into(),
            ),
            source: Some("Convention, archives de la mairie".into()),
            ..NouveauPartenariat::new(
                "Kayes – Angers, « jumelage »",
                StatutPartenariat::Actif,
                vec![kayes, angers],
            )
        },
    )
    .unwrap();
    for (etape, depuis, note) in [
        (Etape::Amitie, date!(2001 - 03 - 15), None),
        (
            Etape::JumelageCulturel,
            date!(2005 - 06 - 01),
            Some("Délibération n° 12, « culture »"),
        ),
        (Etape::ConventionPartenariat, date!(2012 - 01 - 10), None),
    ] {
        partenariat::ajouter_etape(
            &conn,
            p1,
            EtapeDatee {
                etape,
                depuis,
                note: note.map(Into::into),
            },
        )
        .unwrap();
    }
    partenariat::ajouter_convention(
        &conn,
        p1,
        NouvelleConvention {
            intitule: "Convention triennale 2012-2015".into(),
            signee_le: Some(date!(2012 - 01 - 10)),
            duree_mois: Some(36),
            reconduction: Reconduction::Tacite,
            document: Some("https://exemple.org/convention.pdf".into()),
        },
    )
    .unwrap();
    let comite = acteur::creer(
        &conn,
        NouvelActeur {
            nom: "Comité de jumelage Angers–Kayes".into(),
            type_organisation: TypeOrganisation::OngNationale,
            identifiant_iati: None,
            pays: Some(Pays::FRANCE),
            collectivite: None,
        },
    )
    .unwrap();
    partenariat::ajouter_intermediaire(
        &conn,
        p1,
        comite,
        RoleIntermediaire::ComiteJumelage,
        Some("anime les échanges, \"scolaires\""),
    )
    .unwrap();
    let ville = acteur::creer(
        &conn,
        NouvelActeur {
            nom: "Ville d'Angers".into(),
            type_organisation: TypeOrganisation::GouvernementLocal,
            identifiant_iati: Some("FR-COM-49007".into()),
            pays: Some(Pays::FRANCE),
            collectivite: Some(angers),
        },
    )
    .unwrap();
    let fondation = acteur::creer(
        &conn,
        NouvelActeur {
            nom: "Fondation « Eau, vie »".into(),
            type_organisation: TypeOrganisation::Fondation,
            identifiant_iati: None,
            pays: None,
            collectivite: None,
        },
    )
    .unwrap();

    let p2 = partenariat::creer(
        &conn,
        NouveauPartenariat {
            validation: Validation::Soumis,
            ..NouveauPartenariat::new(
                "Région de Kayes – Lüneburg – Maine-et-Loire",
                StatutPartenariat::EnVeille,
                vec![region_kayes, luneburg, maine_et_loire],
            )
        },
    )
    .unwrap();
    partenariat::ajouter_etape(
        &conn,
        p2,
        EtapeDatee {
            etape: Etape::Amitie,
            depuis: date!(2019 - 11 - 30),
            note: None,
        },
    )
    .unwrap();
    conn.execute(
        "UPDATE partenariat SET commentaire_validation = 'Précisez les dates, svp', confirme_le = '2024-02-29' WHERE id = ?1",
        [p2.0],
    )
    .unwrap();

    let puits = action::creer(
        &conn,
        NouvelleAction {
            partenariat: p1,
            titre: "Forages, puits et latrines".into(),
            description: Some("Trois forages ;\n« eau potable » pour 2 000 habitants".into()),
            axe: Axe::ServicesSociauxDeBase,
            domaine: Domaine::EauAssainissement,
            nature: Nature::Physique,
            statut: StatutAction::EnCours,
            periode: Periode::new(Some(date!(2020 - 01 - 01)), Some(date!(2023 - 12 - 31)))
                .unwrap(),
            lieux: vec![kayes, region_kayes],
            // labelled (with a « ; » and quotes), bare, past six decimals, outside Mali
            points: [
                (14.4485, -11.4389, Some("puits du marché ; « nord »")),
                (14.45, -11.44, None),
                (12.639_231_7, -8.002_891_3, Some("Bamako, école")),
                (14.69, -17.44, Some("Dakar")),
            ]
            .into_iter()
            .map(|(lat, lon, l)| benkan::carte::situer(PointAction::nouveau(lat, lon, l).unwrap()))
            .collect(),
            // Plateau, a quarter of Kayes, and the town itself (the gazetteer's own P-code)
            localites: vec!["ML010112005".into(), "ML010000000".into()],
        },
    )
    .unwrap();
    let formation = action::creer(
        &conn,
        NouvelleAction {
            partenariat: p1,
            titre: "Formation des élus".into(),
            description: None,
            axe: Axe::AppuiInstitutionnel,
            domaine: Domaine::GouvernanceLocale,
            nature: Nature::Institutionnelle,
            statut: StatutAction::Prevue,
            periode: Periode::inconnue(),
            lieux: vec![],
            points: Vec::new(),
            localites: Vec::new(),
        },
    )
    .unwrap();
    let archivee = action::creer(
        &conn,
        NouvelleAction {
            partenariat: p2,
            titre: "Échanges scolaires".into(),
            description: None,
            axe: Axe::EducationAuDeveloppement,
            domaine: Domaine::Jeunesse,
            nature: Nature::Institutionnelle,
            statut: StatutAction::Annulee,
            periode: Periode::new(Some(date!(2021 - 09 - 01)), None).unwrap(),
            lieux: vec![region_kayes],
            points: Vec::new(),
            localites: Vec::new(),
        },
    )
    .unwrap();
    conn.execute(
        "UPDATE action SET archive = 1, validation = 'a_corriger', commentaire_validation = 'Doublon ?' WHERE id = ?1",
        [archivee.0],
    )
    .unwrap();
    for (action, source, type_financement, unites, devise, annee) in [
        (
            puits,
            ville,
            TypeFinancement::Engagement,
            25_000_000,
            Devise::Xof,
            2020,
        ),
        (
            puits,
            ville,
            TypeFinancement::Decaissement,
            123_456,
            Devise::Eur,
            2021,
        ),
        (
            puits,
            fondation,
            TypeFinancement::Decaissement,
            7,
            Devise::Usd,
            2022,
        ),
        (
            formation,
            fondation,
            TypeFinancement::Engagement,
            1_000_050,
            Devise::Usd,
            2024,
        ),
    ] {
        financement::creer(
            &conn,
            NouveauFinancement {
                action,
                source,
                type_financement,
                montant: Montant::new(unites, devise).unwrap(),
                annee,
            },
        )
        .unwrap();
    }

    for (collectivite, titre, objectifs) in [
        (
            kayes,
            "PDESC de la commune de Kayes, « 2022-2026 »",
            "Accès à l'eau potable\nÉcoles ; cantines\nÉtat civil",
        ),
        (region_kayes, "PDESC de la région", "Pistes rurales"),
    ] {
        let p = NouveauPdesc {
            titre: titre.into(),
            debut: "2022".into(),
            fin: "2026".into(),
            reference: "Délibération n° 12, 3 mars 2022".into(),
            objectifs: objectifs.into(),
        }
        .valider()
        .unwrap();
        pdesc::enregistrer(&conn, collectivite, &p, None, None).unwrap();
    }
    let eau: i64 = conn
        .query_row(
            "SELECT id FROM pdesc_objectif WHERE libelle = 'Accès à l''eau potable'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    pdesc::citer(&conn, puits, Some(benkan::model::ObjectifId(eau))).unwrap();
    let periode = |debut, fin, valeur: &str, femmes: &str, hommes: &str| NouvellePeriode {
        debut: Some(debut),
        fin: Some(fin),
        valeur: valeur.into(),
        femmes: femmes.into(),
        hommes: hommes.into(),
        commentaire: String::new(),
        source: String::new(),
    };
    let resultats = [
        NouveauResultat {
            indicateur: "EAU-01".into(),
            base: "1".into(),
            base_date: Some(date!(2019 - 12 - 31)),
            cible: "12".into(),
            cible_date: Some(date!(2023 - 12 - 31)),
            periodes: vec![
                NouvellePeriode {
                    commentaire: "Deux forages, « réception » le 3 mars ;\nun puits".into(),
                    source: "PV de réception".into(),
                    ..periode(date!(2021 - 01 - 01), date!(2021 - 12 - 31), "3", "", "")
                },
                periode(date!(2020 - 01 - 01), date!(2020 - 12 - 31), "2", "", ""),
            ],
            ..NouveauResultat::default()
        },
        NouveauResultat {
            libelle: "Pistes d'accès aux forages".into(),
            unite: "km".into(),
            cible: "12,5".into(),
            periodes: vec![periode(
                date!(2022 - 01 - 01),
                date!(2022 - 06 - 30),
                "7,3",
                "",
                "",
            )],
            ..NouveauResultat::default()
        },
        NouveauResultat {
            indicateur: "EAU-02".into(),
            cible: "2000".into(),
            periodes: vec![
                periode(
                    date!(2021 - 01 - 01),
                    date!(2021 - 12 - 31),
                    "1200",
                    "640",
                    "560",
                ),
                periode(
                    date!(2022 - 01 - 01),
                    date!(2022 - 12 - 31),
                    "300",
                    "",
                    "150",
                ),
            ],
            ..NouveauResultat::default()
        },
    ]
    .map(|r| r.valider(true).unwrap());
    resultat::remplacer(&conn, puits, &resultats).unwrap();
    let taux = NouveauResultat {
        indicateur: "GOU-03".into(),
        base: "0".into(),
        base_date: Some(date!(2023 - 01 - 01)),
        cible: "100".into(),
        periodes: vec![periode(
            date!(2024 - 01 - 01),
            date!(2024 - 12 - 31),
            "45,5",
            "",
            "",
        )],
        ..NouveauResultat::default()
    }
    .valider(true)
    .unwrap();
    resultat::remplacer(&conn, formation, &[taux]).unwrap();
}

/// Export `db` in a variant, import into a new database, export again: the same bytes.
fn aller_retour(dossier: &Path, db: &Path, nom: &str, excel: bool) {
    let premier = dossier.join(format!("{nom}-1"));
    let second = dossier.join(format!("{nom}-2"));
    exporter(db, &premier, excel);
    let vide = base(dossier, &format!("{nom}-vide.db"), false);
    importer_ok(&vide, &[&premier], false);
    exporter(&vide, &second, excel);
    let (a, b) = (fichiers(&premier), fichiers(&second));
    assert_eq!(a.len(), 11, "{:?}", a.keys());
    for (nom_fichier, octets) in &a {
        assert!(
            b.get(nom_fichier) == Some(octets),
            "{nom_fichier} differs after the round trip:\n{}\n---\n{}",
            String::from_utf8_lossy(octets),
            String::from_utf8_lossy(b.get(nom_fichier).map_or(&[][..], |v| v))
        );
    }
}

#[test]
fn the_demonstration_survives_a_round_trip_byte_for_byte() {
    let dossier = tempfile::tempdir().unwrap();
    let db = base(dossier.path(), "demo.db", true);
    aller_retour(dossier.path(), &db, "utf8", false);
    aller_retour(dossier.path(), &db, "excel", true);
    let partenariats = texte(&dossier.path().join("utf8-1"), "partenariats.csv");
    assert_eq!(
        partenariats
            .lines()
            .filter(|l| l.starts_with("PART-"))
            .count(),
        9
    );
    assert!(
        partenariats.contains("FR:commune-actuelle:49007 | ML:ML-BKO"),
        "{partenariats}"
    );
}

#[test]
fn a_rich_registry_survives_a_round_trip_in_both_variants_and_as_a_zip() {
    let dossier = tempfile::tempdir().unwrap();
    let db = base(dossier.path(), "riche.db", false);
    registre_riche(&db);
    aller_retour(dossier.path(), &db, "utf8", false);
    aller_retour(dossier.path(), &db, "excel", true);

    let utf8 = dossier.path().join("utf8-1");
    let financements = texte(&utf8, "financements.csv");
    for montant in [
        ",25000000,XOF,",
        ",1234.56,EUR,",
        ",0.07,USD,",
        ",10000.50,USD,",
    ] {
        assert!(financements.contains(montant), "{montant}: {financements}");
    }
    let actions = texte(&utf8, "actions.csv");
    assert!(
        actions.contains("ML:ML-1 | ML:ML-1-KAYES-KAYES"),
        "{actions}"
    );
    assert!(actions.contains("a_corriger,Doublon ?,oui"), "{actions}");
    assert!(
        actions.contains(
            ",ML:ML-1 | ML:ML-1-KAYES-KAYES,\"14.4485 -11.4389 ; puits du marché ; « nord » | 14.45 -11.44 | 12.639232 -8.002891 ; Bamako, école | 14.69 -17.44 ; Dakar\",ML010000000 ; ML010112005,ML:ML-1-KAYES-KAYES,Accès à l'eau potable,valide,"
        ),
        "{actions}"
    );
    // Imported elsewhere, each point is attached to its commune again (Dakar to nothing).
    let importee = Store::ouvrir(&dossier.path().join("utf8-vide.db")).unwrap();
    let communes: Vec<Option<String>> = importee
        .connexion()
        .unwrap()
        .prepare(
            "SELECT c.code FROM action_point p LEFT JOIN collectivite c ON c.id = p.collectivite_id
             ORDER BY p.action_id, p.rang",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(communes.len(), 4, "{communes:?}");
    assert_eq!(communes[0].as_deref(), Some("ML-1-KAYES-KAYES"));
    assert_eq!(communes[1].as_deref(), Some("ML-1-KAYES-KAYES"));
    assert!(
        communes[2]
            .as_deref()
            .is_some_and(|c| c.starts_with("ML-BKO-COMMUNE-")),
        "{communes:?}"
    );
    assert_eq!(communes[3], None);
    assert!(
        texte(&utf8, "collectivites.csv")
            .contains("COLL-aa-luneburg,DE,niveau_3,Hansestadt,,Lüneburg,COLL-zz-landkreis,")
    );

    // the PDESC, the results and their measured periods, values with a decimal point
    assert_eq!(
        texte(&utf8, "pdesc.csv"),
        "collectivite,debut,fin,titre,reference,objectifs\n\
         ML:ML-1,2022,2026,PDESC de la région,\"Délibération n° 12, 3 mars 2022\",Pistes rurales\n\
         ML:ML-1-KAYES-KAYES,2022,2026,\"PDESC de la commune de Kayes, « 2022-2026 »\",\"Délibération n° 12, 3 mars 2022\",Accès à l'eau potable | Écoles ; cantines | État civil\n"
    );
    let resultats = texte(&utf8, "resultats.csv");
    for ligne in [
        "action,rang,indicateur,libelle,unite,base,base_date,cible,cible_date\n",
        ",1,EAU-01,,nombre,1,2019-12-31,12,2023-12-31\n",
        ",2,,Pistes d'accès aux forages,km,,,12.5,\n",
        ",3,EAU-02,,personnes,,,2000,\n",
        ",1,GOU-03,,pourcentage,0.0,2023-01-01,100.0,\n",
    ] {
        assert!(resultats.contains(ligne), "{ligne}: {resultats}");
    }
    let mesures = texte(&utf8, "mesures.csv");
    for ligne in [
        "action,rang,debut,fin,valeur,femmes,hommes,commentaire,source\n",
        ",1,2020-01-01,2020-12-31,2,,,,\n",
        ",1,2021-01-01,2021-12-31,3,,,\"Deux forages, « réception » le 3 mars ;\nun puits\",PV de réception\n",
        ",2,2022-01-01,2022-06-30,7.3,,,,\n",
        ",3,2021-01-01,2021-12-31,1200,640,560,,\n",
        ",3,2022-01-01,2022-12-31,300,,150,,\n",
        ",1,2024-01-01,2024-12-31,45.5,,,,\n",
    ] {
        assert!(mesures.contains(ligne), "{ligne}: {mesures}");
    }
    let excel_mesures = texte(&dossier.path().join("excel-1"), "mesures.csv");
    assert!(
        excel_mesures.contains(";2022-06-30;7,3;;;;\r\n")
            && excel_mesures.contains(";45,5;;;;\r\n"),
        "{excel_mesures}"
    );
    assert!(
        texte(&dossier.path().join("excel-1"), "resultats.csv")
            .contains(";pourcentage;0,0;2023-01-01;100,0;\r\n")
    );

    let excel = std::fs::read(dossier.path().join("excel-1/financements.csv")).unwrap();
    assert!(
        excel.starts_with(b"\xEF\xBB\xBFidentifiant;action;source;type;montant;devise;annee\r\n")
    );
    let excel = String::from_utf8(excel).unwrap();
    assert!(
        excel.contains(";1234,56;EUR;") && excel.contains(";25000000;XOF;"),
        "{excel}"
    );

    // the zip holds the same files, and its round trip gives the same bytes
    let zip1 = dossier.path().join("registre-1.zip");
    let zip2 = dossier.path().join("registre-2.zip");
    exporter(&db, &zip1, true);
    let vide = base(dossier.path(), "zip-vide.db", false);
    importer_ok(&vide, &[&zip1], false);
    exporter(&vide, &zip2, true);
    assert_eq!(std::fs::read(&zip1).unwrap(), std::fs::read(&zip2).unwrap());
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&zip1).unwrap()).unwrap();
    assert_eq!(archive.len(), 11);
    let mut dedans = String::new();
    std::io::Read::read_to_string(
        &mut archive.by_name("financements.csv").unwrap(),
        &mut dedans,
    )
    .unwrap();
    assert_eq!(dedans, excel);
}

#[test]
fn importing_the_same_files_again_changes_nothing() {
    let dossier = tempfile::tempdir().unwrap();
    let db = base(dossier.path(), "riche.db", true);
    registre_riche(&db);
    let export = dossier.path().join("export");
    exporter(&db, &export, false);

    for essai in [true, false] {
        let sortie = importer_ok(&db, &[&export], essai);
        assert!(
            !sortie.contains("1 créé") && !sortie.contains("1 modifié"),
            "{sortie}"
        );
        for (table, n) in [
            ("partenariats", 11),
            ("etapes", 4),
            ("pdesc", 2),
            ("actions", 3),
            ("financements", 4),
            ("resultats", 4),
            ("mesures", 6),
        ] {
            let ligne = sortie
                .lines()
                .find(|l| l.trim_start().starts_with(table))
                .unwrap_or_else(|| panic!("{table}: {sortie}"));
            assert!(
                ligne.contains("0 créé(s), 0 modifié(s)")
                    && ligne.contains(&format!("{n} inchangé(s)")),
                "{ligne}"
            );
        }
    }
    let apres = dossier.path().join("apres");
    exporter(&db, &apres, false);
    assert_eq!(fichiers(&export), fichiers(&apres));
}

#[test]
fn a_file_re_saved_by_french_excel_is_read_back() {
    let dossier = tempfile::tempdir().unwrap();
    let db = base(dossier.path(), "riche.db", false);
    registre_riche(&db);
    let excel = dossier.path().join("excel");
    let utf8 = dossier.path().join("utf8");
    exporter(&db, &excel, true);
    exporter(&db, &utf8, false);

    // what Excel does on « Enregistrer » as « CSV (séparateur : point-virgule) »: dates in
    // JJ/MM/AAAA, Windows-1252 instead of UTF-8, no BOM
    let resauve = dossier.path().join("resauve");
    std::fs::create_dir(&resauve).unwrap();
    let date_fr = regex_dates();
    for (nom, octets) in fichiers(&excel) {
        let texte = String::from_utf8(octets[3..].to_vec()).unwrap();
        let texte = date_fr(&texte);
        let ansi: Vec<u8> = texte
            .chars()
            .map(|c| match c {
                '€' => 0x80,
                '–' => 0x96,
                c if (c as u32) < 256 => c as u8,
                autre => panic!("{autre} has no Windows-1252 byte"),
            })
            .collect();
        std::fs::write(resauve.join(nom), ansi).unwrap();
    }
    assert!(texte_latin(&resauve.join("etapes.csv")).contains(";15/03/2001;"));

    let vide = base(dossier.path(), "vide.db", false);
    importer_ok(&vide, &[&resauve], false);
    let retour = dossier.path().join("retour");
    exporter(&vide, &retour, false);
    assert_eq!(fichiers(&utf8), fichiers(&retour));
}

fn texte_latin(chemin: &Path) -> String {
    std::fs::read(chemin)
        .unwrap()
        .iter()
        .map(|&b| b as char)
        .collect()
}

/// Rewrites every ISO date `AAAA-MM-JJ` of a text as `JJ/MM/AAAA`.
fn regex_dates() -> impl Fn(&str) -> String {
    |texte: &str| {
        let octets = texte.as_bytes();
        let mut sortie = String::with_capacity(texte.len());
        let mut i = 0;
        while i < texte.len() {
            let morceau = octets.get(i..i + 10);
            let est_date = morceau.is_some_and(|m| {
                m.iter().enumerate().all(|(j, b)| match j {
                    4 | 7 => *b == b'-',
                    _ => b.is_ascii_digit(),
                })
            }) && (i == 0 || !octets[i - 1].is_ascii_alphanumeric());
            if est_date {
                let d = &texte[i..i + 10];
                sortie.push_str(&format!("{}/{}/{}", &d[8..10], &d[5..7], &d[0..4]));
                i += 10;
            } else {
                let c = texte[i..].chars().next().unwrap();
                sortie.push(c);
                i += c.len_utf8();
            }
        }
        sortie
    }
}

#[test]
fn every_mistake_of_every_file_is_reported_and_nothing_is_written() {
    let dossier = tempfile::tempdir().unwrap();
    let db = base(dossier.path(), "demo.db", true);
    let avant = dossier.path().join("avant");
    exporter(&db, &avant, false);

    let fichiers_faux = dossier.path().join("faux");
    std::fs::create_dir(&fichiers_faux).unwrap();
    std::fs::write(
        fichiers_faux.join("partenariats.csv"),
        "identifiant;titre;statut;parties\n\
         P1;Ségou – Lyon;actif;ML:ML-4 | FR:commune-actuelle:69123\n\
         P2;Sans statut valable;activ;ML:ML-4 | FR:commune-actuelle:69123\n\
         P3;Tout malien;actif;ML:ML-4 | ML:ML-1\n",
    )
    .unwrap();
    std::fs::write(
        fichiers_faux.join("actions.csv"),
        "identifiant,partenariat,titre,axe,domaine,nature,statut,debut,fin\n\
         A1,P1,Forage,services_sociaux_de_base,eau,physique,en_cours,2020-01-01,2019-12-31\n\
         A2,P1,Puits,services_sociaux_de_base,eau_assainissement,physique,en_cours,31/02/2020,\n\
         A3,P9,Latrines,services_sociaux_de_base,eau_assainissement,physique,en_cours,,\n",
    )
    .unwrap();
    std::fs::write(
        fichiers_faux.join("financements.csv"),
        "identifiant,action,source,type,montant,devise,annee\n\
         F1,A2,ORG-inconnu,engagement,\"12,5\",XOF,2020\n",
    )
    .unwrap();

    // a stray cell right of the header's columns (the empty header cell is allowed)
    std::fs::write(
        fichiers_faux.join("etapes.csv"),
        "partenariat,etape,depuis,note,\nP1,amitie,2020-01-01,,en trop\n",
    )
    .unwrap();

    let sortie = importer(&db, &[&fichiers_faux], false);
    assert_eq!(sortie.status.code(), Some(1));
    let erreur = String::from_utf8(sortie.stderr).unwrap();
    let attendues = [
        ("partenariats.csv", 3, "statut", "activ"),
        ("partenariats.csv", 4, "parties", ""),
        ("actions.csv", 2, "domaine", "eau"),
        ("actions.csv", 3, "debut", "31/02/2020"),
        ("actions.csv", 4, "partenariat", "P9"),
        ("financements.csv", 2, "source", "ORG-inconnu"),
        ("financements.csv", 2, "montant", "12,5"),
    ];
    for (fichier, ligne, colonne, valeur) in attendues {
        let trouvee = erreur.lines().find(|l| {
            l.contains(fichier)
                && l.contains(&format!("ligne {ligne},"))
                && l.contains(&format!("colonne « {colonne} »"))
        });
        let trouvee =
            trouvee.unwrap_or_else(|| panic!("{fichier} {ligne} {colonne} missing:\n{erreur}"));
        assert!(
            trouvee.contains(&format!("valeur « {valeur}")) && trouvee.contains("attendu :"),
            "{trouvee}"
        );
    }
    assert!(
        erreur.contains(
            "etapes.csv, ligne 2 : valeur « en trop » ; attendu : des cellules sous les colonnes"
        ),
        "{erreur}"
    );
    assert!(
        erreur.contains("import annulé, rien n'a été écrit : 8 erreur(s) :"),
        "{erreur}"
    );
    // the period's ends are checked too once the cells are readable
    assert!(
        !erreur.contains("ligne 2, colonne « fin »"),
        "A1 already has a bad domaine: {erreur}"
    );

    let apres = dossier.path().join("apres");
    exporter(&db, &apres, false);
    assert_eq!(fichiers(&avant), fichiers(&apres));
}

/// Excel and `--excel-fr` end lines with CRLF: errors name the line a spreadsheet shows,
/// past a blank line and a cell over two lines alike.
#[test]
fn errors_in_a_crlf_sheet_name_the_lines_a_spreadsheet_shows() {
    let dossier = tempfile::tempdir().unwrap();
    let db = base(dossier.path(), "demo.db", true);
    let feuilles = dossier.path().join("feuilles");
    std::fs::create_dir(&feuilles).unwrap();
    let crlf = |lignes: &[&str]| format!("\u{feff}{}\r\n", lignes.join("\r\n"));
    std::fs::write(
        feuilles.join("partenariats.csv"),
        crlf(&[
            "identifiant;titre;statut;parties",
            "P1;Ségou – Lyon;actif;ML:ML-4 | FR:commune-actuelle:69123",
            "P2;Sans statut valable;activ;ML:ML-4 | FR:commune-actuelle:69123",
            "",
            "P3;Tout malien;actif;ML:ML-4 | ML:ML-1",
        ]),
    )
    .unwrap();
    std::fs::write(
        feuilles.join("etapes.csv"),
        crlf(&[
            "partenariat;etape;depuis;note",
            "P1;amitie;2020-01-01;\"sur deux",
            "lignes\"",
            "P1;jumelage_inconnu;2021-01-01;",
        ]),
    )
    .unwrap();
    let sortie = importer(&db, &[&feuilles], false);
    assert_eq!(sortie.status.code(), Some(1));
    let erreur = String::from_utf8(sortie.stderr).unwrap();
    for (fichier, ligne, colonne) in [
        ("partenariats.csv", 3, "statut"),
        ("partenariats.csv", 5, "parties"),
        ("etapes.csv", 4, "etape"),
    ] {
        assert!(
            erreur.lines().any(|l| l.contains(fichier)
                && l.contains(&format!("ligne {ligne}, colonne « {colonne} »"))),
            "{fichier} {ligne} {colonne}:\n{erreur}"
        );
    }
    assert!(
        erreur.contains("3 erreur(s) :"),
        "nothing else, and no line off by one:\n{erreur}"
    );
}

#[test]
fn ambiguous_and_unknown_names_list_the_candidates() {
    let dossier = tempfile::tempdir().unwrap();
    let db = base(dossier.path(), "vide.db", false);
    let fichier = dossier.path().join("partenariats.csv");
    std::fs::write(
        &fichier,
        "titre,statut,parties\n\
         Kayes – Angers,actif,Kayes | Angers\n\
         Bamako – Nulle part,actif,Bamako | Xqzwvville\n\
         Sanankoroba – Lyon,actif,Sanankorba | Lyon\n\
         Bamako V – Angers,actif,Commune V de Bamako | Mairie d'Angers\n\
         Banikane – Lyon,actif,Banikane (Kidal) | Grand Lyon\n",
    )
    .unwrap();
    let sortie = importer(&db, &[&fichier], false);
    assert_eq!(sortie.status.code(), Some(1));
    let erreur = String::from_utf8(sortie.stderr).unwrap();
    let ambigu = erreur
        .lines()
        .find(|l| l.contains("ligne 2, colonne « parties »"))
        .unwrap_or_else(|| panic!("{erreur}"));
    assert!(
        ambigu.contains("valeur « Kayes »") && ambigu.contains("ambigu"),
        "{ambigu}"
    );
    for code in ["ML:ML-1 ", "ML:ML-1-KAYES "] {
        assert!(
            ambigu.contains(&format!(": {}", code.trim())),
            "{code}: {ambigu}"
        );
    }
    let inconnu = erreur
        .lines()
        .find(|l| l.contains("ligne 3, colonne « parties »"))
        .unwrap_or_else(|| panic!("{erreur}"));
    assert!(inconnu.contains("valeur « Xqzwvville »"), "{inconnu}");
    let proche = erreur
        .lines()
        .find(|l| l.contains("ligne 4, colonne « parties »"))
        .unwrap_or_else(|| panic!("{erreur}"));
    assert!(
        proche.contains("valeur « Sanankorba »")
            && proche.contains("Sanankoroba (Commune, ML) : ML:"),
        "{proche}"
    );
    // a parent that does not hold the name leaves it a guess
    let contredit = erreur
        .lines()
        .find(|l| l.contains("ligne 6, colonne « parties »"))
        .unwrap_or_else(|| panic!("{erreur}"));
    assert!(
        contredit.contains("valeur « Banikane (Kidal) »")
            && contredit.contains("Banikane (Commune, ML) : ML:ML-6-GOURMA-RHAROUS-BANIKANE"),
        "{contredit}"
    );
    // real-world spellings are read: a numbered commune of Bamako, an institution, a brand
    assert!(!erreur.contains("ligne 5,"), "{erreur}");
    for trouve in [
        "Angers",
        "Bamako",
        "Lyon",
        "Commune V de Bamako",
        "Mairie d'Angers",
        "Grand Lyon",
    ] {
        assert!(
            !erreur.contains(&format!("valeur « {trouve} »")),
            "{trouve}: {erreur}"
        );
    }
}

#[test]
fn a_hand_made_sheet_without_identifiants_is_not_duplicated_and_dry_run_writes_nothing() {
    let dossier = tempfile::tempdir().unwrap();
    let db = base(dossier.path(), "vide.db", false);
    let vide = dossier.path().join("vide");
    exporter(&db, &vide, false);
    let feuille = dossier.path().join("feuille");
    std::fs::create_dir(&feuille).unwrap();
    std::fs::write(
        feuille.join("partenariats.csv"),
        "Titre;Statut;Parties\nRégion de Kayes – Nord;actif;Région de Kayes | FR:region:32\n",
    )
    .unwrap();
    std::fs::write(
        feuille.join("acteurs.csv"),
        "Nom;Type organisation\nAssociation des ressortissants de Kayes;22\n",
    )
    .unwrap();

    let essai = importer_ok(&db, &[&feuille], true);
    assert!(
        essai.contains("Essai") && essai.contains("1 créé(s)"),
        "{essai}"
    );
    let apres_essai = dossier.path().join("apres-essai");
    exporter(&db, &apres_essai, false);
    assert_eq!(
        fichiers(&vide),
        fichiers(&apres_essai),
        "a dry run writes nothing"
    );

    let premier = importer_ok(&db, &[&feuille], false);
    assert!(premier.contains("1 créé(s)"), "{premier}");
    let second = importer_ok(&db, &[&feuille], false);
    assert!(!second.contains("1 créé(s)"), "{second}");
    assert_eq!(second.matches("1 inchangé(s)").count(), 2, "{second}");
    let partenariats = texte(
        &{
            let d = dossier.path().join("fin");
            exporter(&db, &d, false);
            d
        },
        "partenariats.csv",
    );
    assert_eq!(partenariats.lines().count(), 2, "{partenariats}");
    assert!(
        partenariats.contains("FR:region:32 | ML:ML-1"),
        "{partenariats}"
    );

    // the import is in the record's history, like a change made through a form
    let store = Store::ouvrir(&db).unwrap();
    let conn = store.connexion().unwrap();
    let id: i64 = conn
        .query_row("SELECT id FROM partenariat", [], |r| r.get(0))
        .unwrap();
    let historique = benkan::store::journal::historique(&conn, "partenariat", id).unwrap();
    assert_eq!(historique.len(), 1, "{historique:?}");
    assert_eq!(historique[0].operation, "creation");
    assert_eq!(historique[0].compte, None);
    let commentaire = historique[0].commentaire.as_deref().unwrap_or_default();
    assert!(
        commentaire.starts_with("import CSV (") && commentaire.contains("partenariats.csv"),
        "{commentaire}"
    );
}

#[test]
fn a_missing_path_is_a_usage_error() {
    let dossier = tempfile::tempdir().unwrap();
    let db = base(dossier.path(), "vide.db", false);
    let sortie = importer(&db, &[&dossier.path().join("absent.csv")], false);
    assert_eq!(sortie.status.code(), Some(2));
    let erreur = String::from_utf8(sortie.stderr).unwrap();
    assert!(
        erreur.contains("absent.csv : fichier ou dossier introuvable"),
        "{erreur}"
    );
}

/// Rewrites, as a user would in a spreadsheet, the cell of `colonne` on the first line of
/// `fichier` for which `trouver` holds.
fn changer(
    dossier: &Path,
    fichier: &str,
    trouver: impl Fn(&csv::StringRecord) -> bool,
    colonne: &str,
    valeur: &str,
) {
    let chemin = dossier.join(fichier);
    let mut lecteur = csv::Reader::from_path(&chemin).unwrap();
    let entete = lecteur.headers().unwrap().clone();
    let i = entete.iter().position(|c| c == colonne).unwrap();
    let mut lignes: Vec<csv::StringRecord> = lecteur.records().map(Result::unwrap).collect();
    let ligne = lignes.iter_mut().find(|l| trouver(l)).unwrap();
    let mut nouvelle: Vec<String> = ligne.iter().map(str::to_owned).collect();
    nouvelle[i] = valeur.to_owned();
    *ligne = csv::StringRecord::from(nouvelle);
    let mut ecrivain = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_path(&chemin)
        .unwrap();
    ecrivain.write_record(&entete).unwrap();
    for l in &lignes {
        ecrivain.write_record(l).unwrap();
    }
    ecrivain.flush().unwrap();
}

#[test]
fn an_edited_export_updates_exactly_what_changed() {
    let dossier = tempfile::tempdir().unwrap();
    let db = base(dossier.path(), "riche.db", false);
    registre_riche(&db);
    let export = dossier.path().join("export");
    exporter(&db, &export, false);
    let contient = |texte: &'static str| move |l: &csv::StringRecord| l.iter().any(|c| c == texte);

    changer(
        &export,
        "collectivites.csv",
        contient("Lüneburg"),
        "population",
        "75351",
    );
    changer(
        &export,
        "acteurs.csv",
        contient("Ville d'Angers"),
        "nom",
        "Ville d'Angers (mairie)",
    );
    changer(
        &export,
        "partenariats.csv",
        contient("Kayes – Angers, « jumelage »"),
        "parties",
        "ML:ML-1-KAYES-KAYES | FR:commune-actuelle:49007 | FR:departement:49",
    );
    changer(
        &export,
        "etapes.csv",
        contient("2005-06-01"),
        "note",
        "Délibération corrigée",
    );
    changer(
        &export,
        "conventions.csv",
        contient("Convention triennale 2012-2015"),
        "duree_mois",
        "48",
    );
    changer(
        &export,
        "intermediaires.csv",
        contient("comite_jumelage"),
        "precision",
        "",
    );
    changer(
        &export,
        "actions.csv",
        contient("Forages, puits et latrines"),
        "lieux",
        "Région de Kayes",
    );
    changer(
        &export,
        "financements.csv",
        contient("1234.56"),
        "montant",
        "1500",
    );

    let essai = importer_ok(&db, &[&export], true);
    for table in [
        "collectivites",
        "acteurs",
        "partenariats",
        "etapes",
        "conventions",
        "intermediaires",
        "actions",
        "financements",
    ] {
        let ligne = essai
            .lines()
            .find(|l| l.trim_start().starts_with(table))
            .unwrap_or_else(|| panic!("{table}: {essai}"));
        assert!(ligne.contains("0 créé(s), 1 modifié(s)"), "{ligne}");
    }
    importer_ok(&db, &[&export], false);
    let apres = dossier.path().join("apres");
    exporter(&db, &apres, false);
    // written back in the canonical form: codes sorted, names resolved, amounts with their decimals
    assert!(texte(&apres, "collectivites.csv").contains(",COLL-zz-landkreis,,,75351,"));
    assert!(texte(&apres, "acteurs.csv").contains(",Ville d'Angers (mairie),11,"));
    assert!(
        texte(&apres, "etapes.csv")
            .contains(",jumelage_culturel,2005-06-01,Délibération corrigée\n")
    );
    assert!(texte(&apres, "conventions.csv").contains(",2012-01-10,48,tacite,"));
    assert!(texte(&apres, "intermediaires.csv").contains(",comite_jumelage,\n"));
    let partenariats = texte(&apres, "partenariats.csv");
    assert!(
        partenariats
            .contains("FR:commune-actuelle:49007 | FR:departement:49 | ML:ML-1-KAYES-KAYES"),
        "{partenariats}"
    );
    assert!(texte(&apres, "actions.csv").contains(",en_cours,2020-01-01,2023-12-31,ML:ML-1,"));
    assert!(texte(&apres, "financements.csv").contains(",1500.00,EUR,2021"));

    let store = Store::ouvrir(&db).unwrap();
    let conn = store.connexion().unwrap();
    let id: i64 = conn
        .query_row(
            "SELECT id FROM action WHERE titre = 'Forages, puits et latrines'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let historique = benkan::store::journal::historique(&conn, "action", id).unwrap();
    let derniere = historique.last().unwrap();
    assert_eq!(derniere.operation, "modification");
    assert_ne!(derniere.avant, derniere.apres);

    let encore = importer_ok(&db, &[&export], false);
    assert!(
        !encore.contains("1 modifié") && !encore.contains("1 créé"),
        "{encore}"
    );
}

#[test]
fn points_in_a_sheet_are_read_as_the_form_reads_them_and_each_mistake_is_named() {
    let dossier = tempfile::tempdir().unwrap();
    let db = base(dossier.path(), "riche.db", false);
    registre_riche(&db);
    let export = dossier.path().join("export");
    exporter(&db, &export, false);
    let puits = |l: &csv::StringRecord| l.iter().any(|c| c == "Forages, puits et latrines");

    changer(
        &export,
        "actions.csv",
        puits,
        "points",
        "14,4485 ; -11,4389 ; puits | 95 10 | 14,11",
    );
    let sortie = importer(&db, &[&export], false);
    assert_eq!(sortie.status.code(), Some(1));
    let erreur = String::from_utf8(sortie.stderr).unwrap();
    for (valeur, attendu) in [
        (
            "95 10",
            "la latitude « 95 » n'est pas un nombre de degrés entre -90 et 90",
        ),
        (
            "14,11",
            "« 14,11 » n'est pas un point : il manque la longitude",
        ),
    ] {
        assert!(
            erreur.lines().any(|l| l.contains("actions.csv, ligne ")
                && l.contains(&format!(
                    "colonne « points » : valeur « {valeur} » ; attendu : un point lisible : "
                ))
                && l.contains(attendu)),
            "{valeur}: {erreur}"
        );
    }
    assert!(
        erreur.contains("import annulé, rien n'a été écrit : 2 erreur(s) :"),
        "{erreur}"
    );

    changer(
        &export,
        "actions.csv",
        puits,
        "points",
        "14,4485 ; -11,4389 ; puits refait|14.69, -17.44",
    );
    let sortie = importer_ok(&db, &[&export], false);
    let ligne = sortie
        .lines()
        .find(|l| l.trim_start().starts_with("actions"))
        .unwrap();
    assert!(ligne.contains("0 créé(s), 1 modifié(s)"), "{ligne}");
    let apres = dossier.path().join("apres");
    exporter(&db, &apres, false);
    assert!(
        texte(&apres, "actions.csv").contains(
            ",14.4485 -11.4389 ; puits refait | 14.69 -17.44,ML010000000 ; ML010112005,ML:ML-1-KAYES-KAYES,Accès à l'eau potable,valide,"
        ),
        "written back in the canonical form"
    );
    let store = Store::ouvrir(&db).unwrap();
    let communes: Vec<Option<String>> = store
        .connexion()
        .unwrap()
        .prepare(
            "SELECT c.code FROM action_point p JOIN action a ON a.id = p.action_id
             LEFT JOIN collectivite c ON c.id = p.collectivite_id
             WHERE a.titre = 'Forages, puits et latrines' ORDER BY p.rang",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(communes, [Some("ML-1-KAYES-KAYES".to_owned()), None]);
}

#[test]
fn villages_in_a_sheet_are_p_codes_and_each_unknown_one_is_named_at_its_line_and_column() {
    let dossier = tempfile::tempdir().unwrap();
    let db = base(dossier.path(), "riche.db", false);
    registre_riche(&db);
    let export = dossier.path().join("export");
    exporter(&db, &export, false);
    let puits = |l: &csv::StringRecord| l.iter().any(|c| c == "Forages, puits et latrines");
    let villages = |db: &Path| -> Vec<String> {
        Store::ouvrir(db)
            .unwrap()
            .connexion()
            .unwrap()
            .prepare(
                "SELECT l.pcode FROM action_localite al JOIN localite l ON l.id = al.localite_id
                 JOIN action a ON a.id = al.action_id
                 WHERE a.titre = 'Forages, puits et latrines' ORDER BY l.pcode",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    };
    assert_eq!(villages(&db), ["ML010000000", "ML010112005"]);

    changer(
        &export,
        "actions.csv",
        puits,
        "localites",
        "ML010112005 ; ML099999999 ; Plateau",
    );
    let sortie = importer(&db, &[&export], false);
    assert_eq!(sortie.status.code(), Some(1));
    let erreur = String::from_utf8(sortie.stderr).unwrap();
    for valeur in ["ML099999999", "Plateau"] {
        assert!(
            erreur.lines().any(|l| l.contains("actions.csv, ligne ")
                && l.contains(&format!(
                    "colonne « localites » : valeur « {valeur} » ; attendu : le code P d'une localité du Mali"
                ))),
            "{valeur}: {erreur}"
        );
    }
    assert_eq!(
        villages(&db),
        ["ML010000000", "ML010112005"],
        "nothing written"
    );

    // « | » separates them too; the export writes them back sorted, joined by « ; ».
    changer(
        &export,
        "actions.csv",
        puits,
        "localites",
        "ML010112004|ML010112005",
    );
    let sortie = importer_ok(&db, &[&export], false);
    assert!(sortie.contains("0 créé(s), 1 modifié(s)"), "{sortie}");
    assert_eq!(villages(&db), ["ML010112004", "ML010112005"]);
    let apres = dossier.path().join("apres");
    exporter(&db, &apres, false);
    assert!(
        texte(&apres, "actions.csv").contains(
            ",ML010112004 ; ML010112005,ML:ML-1-KAYES-KAYES,Accès à l'eau potable,valide,"
        )
    );

    // A file written before the column existed is still read: its actions have no village.
    let sans = dossier.path().join("sans-colonne");
    std::fs::create_dir(&sans).unwrap();
    for (nom, octets) in fichiers(&apres) {
        std::fs::write(sans.join(nom), octets).unwrap();
    }
    let mut lecteur = csv::Reader::from_path(apres.join("actions.csv")).unwrap();
    let entete = lecteur.headers().unwrap().clone();
    let i = entete.iter().position(|c| c == "localites").unwrap();
    let garder = |l: &csv::StringRecord| -> Vec<String> {
        l.iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, c)| c.to_owned())
            .collect()
    };
    let mut ecrivain = csv::Writer::from_path(sans.join("actions.csv")).unwrap();
    ecrivain.write_record(garder(&entete)).unwrap();
    for l in lecteur.records() {
        ecrivain.write_record(garder(&l.unwrap())).unwrap();
    }
    ecrivain.flush().unwrap();
    let vide = base(dossier.path(), "ancienne.db", false);
    importer_ok(&vide, &[&sans], false);
    assert!(villages(&vide).is_empty());
    assert_eq!(
        Store::ouvrir(&vide)
            .unwrap()
            .connexion()
            .unwrap()
            .query_row(
                "SELECT count(*) FROM action WHERE titre = 'Forages, puits et latrines'",
                [],
                |r| r.get::<_, i64>(0)
            )
            .unwrap(),
        1
    );
}

/// A download as bytes: status, a header's value, body.
fn telecharger(
    serveur: &commun::Serveur,
    chemin: &str,
) -> (u16, BTreeMap<String, String>, Vec<u8>) {
    let mut reponse = ureq::get(&format!("http://{}{chemin}", serveur.adresse))
        .call()
        .unwrap();
    let entetes = reponse
        .headers()
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_str().unwrap().to_owned()))
        .collect();
    let statut = reponse.status().as_u16();
    (statut, entetes, reponse.body_mut().read_to_vec().unwrap())
}

/// The entries of a zip, by name.
fn entrees(octets: &[u8]) -> BTreeMap<String, String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(octets)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut entree = archive.by_index(i).unwrap();
            let mut texte = String::new();
            std::io::Read::read_to_string(&mut entree, &mut texte).unwrap();
            (entree.name().unwrap().into_owned(), texte)
        })
        .collect()
}

#[test]
fn the_open_data_page_offers_the_published_registry_as_zips_that_import_elsewhere() {
    let dossier = tempfile::tempdir().unwrap();
    let serveur = commun::Serveur::depuis(|chemin| {
        reussir(&["init".as_ref(), "--db".as_ref(), chemin.as_os_str()]);
        registre_riche(chemin);
        // besides the partenariat under review and its archived action: an archived action
        // of a published partenariat, and a published partenariat archived since
        let store = Store::ouvrir(chemin).unwrap();
        let conn = store.connexion().unwrap();
        let publie: i64 = conn
            .query_row(
                "SELECT id FROM partenariat WHERE validation = 'valide'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let archivee = action::creer(
            &conn,
            NouvelleAction {
                partenariat: benkan::model::PartenariatId(publie),
                titre: "Caravane culturelle abandonnée".into(),
                description: None,
                axe: Axe::DeveloppementLocal,
                domaine: Domaine::Culture,
                nature: Nature::Institutionnelle,
                statut: StatutAction::Annulee,
                periode: Periode::inconnue(),
                lieux: vec![],
                points: Vec::new(),
                localites: Vec::new(),
            },
        )
        .unwrap();
        conn.execute("UPDATE action SET archive = 1 WHERE id = ?1", [archivee.0])
            .unwrap();
        // its results are not public either
        let spectateurs = NouveauResultat {
            indicateur: "CUL-01".into(),
            cible: "3".into(),
            ..NouveauResultat::default()
        }
        .valider(true)
        .unwrap();
        resultat::remplacer(&conn, archivee, &[spectateurs]).unwrap();
        let mali = referentiel::par_cle(&conn, "ML:ML-2").unwrap().unwrap().0;
        let ailleurs = referentiel::par_cle(&conn, "FR:departement:49")
            .unwrap()
            .unwrap()
            .0;
        let ancien = partenariat::creer(
            &conn,
            NouveauPartenariat::new(
                "Kayes – Maine-et-Loire, ancien",
                StatutPartenariat::Termine,
                vec![
                    benkan::model::CollectiviteId(mali),
                    benkan::model::CollectiviteId(ailleurs),
                ],
            ),
        )
        .unwrap();
        conn.execute(
            "UPDATE partenariat SET archive = 1 WHERE id = ?1",
            [ancien.0],
        )
        .unwrap();
    });

    let page = serveur.get("/donnees");
    assert!(
        page.corps.contains("href=\"/donnees/registre.zip\"")
            && page.corps.contains("href=\"/donnees/registre-excel.zip\""),
        "{}",
        page.corps
    );

    let (statut, entetes, zip_utf8) = telecharger(&serveur, "/donnees/registre.zip");
    assert_eq!(statut, 200);
    assert_eq!(entetes["content-type"], "application/zip");
    assert_eq!(
        entetes["content-disposition"],
        "attachment; filename=\"benkan-registre.zip\""
    );
    assert_eq!(entetes["content-length"], zip_utf8.len().to_string());
    assert!(!entetes.contains_key("content-encoding"), "{entetes:?}");
    let utf8 = entrees(&zip_utf8);
    let noms: Vec<&str> = utf8.keys().map(String::as_str).collect();
    assert_eq!(
        noms,
        [
            "acteurs.csv",
            "actions.csv",
            "bourse_demandes.csv",
            "bourse_offres.csv",
            "collectivites.csv",
            "conventions.csv",
            "etapes.csv",
            "financements.csv",
            "intermediaires.csv",
            "mesures.csv",
            "partenariats.csv",
            "pdesc.csv",
            "resultats.csv"
        ]
    );
    let partenariats = &utf8["partenariats.csv"];
    assert!(
        partenariats.starts_with(
            "identifiant,titre,description,statut,parties,source,demonstration,confirme_le\n"
        ),
        "{partenariats}"
    );
    assert!(partenariats.contains("Kayes – Angers"), "{partenariats}");
    for absent in ["Lüneburg", "ancien", "Précisez"] {
        assert!(!partenariats.contains(absent), "{absent}: {partenariats}");
    }
    let actions = &utf8["actions.csv"];
    assert!(
        actions.contains("Forages, puits") && actions.contains("Formation des élus"),
        "{actions}"
    );
    for absent in ["Échanges scolaires", "Caravane", "Doublon", "validation"] {
        assert!(!actions.contains(absent), "{absent}: {actions}");
    }
    // the collectivités created on demand are named only by the partenariat under review
    assert_eq!(utf8["collectivites.csv"].lines().count(), 1);
    assert!(!utf8["etapes.csv"].contains("2019-11-30"));
    assert_eq!(utf8["financements.csv"].lines().count(), 5);
    assert_eq!(utf8["acteurs.csv"].lines().count(), 4);
    // the results of the published actions, and every PDESC (the collectivités' pages
    // show them)
    assert_eq!(utf8["resultats.csv"].lines().count(), 5);
    assert!(!utf8["resultats.csv"].contains("CUL-01"));
    // six periods, one of them with a comment on two lines
    assert_eq!(utf8["mesures.csv"].lines().count(), 8);
    assert_eq!(utf8["pdesc.csv"].lines().count(), 3);

    // the command line writes the same archive
    let cli = dossier.path().join("public.zip");
    let base_serveur = dossier.path().join("copie.db");
    serveur
        .conn()
        .execute("VACUUM INTO ?1", [base_serveur.to_str().unwrap()])
        .unwrap();
    exporter_avec(&base_serveur, &cli, false, true);
    assert_eq!(std::fs::read(&cli).unwrap(), zip_utf8);

    // imported into an empty database, it gives back the same public files
    let telecharge = dossier.path().join("telecharge.zip");
    std::fs::write(&telecharge, &zip_utf8).unwrap();
    let vide = base(dossier.path(), "vide.db", false);
    importer_ok(&vide, &[&telecharge], false);
    let retour = dossier.path().join("retour.zip");
    exporter_avec(&vide, &retour, false, true);
    assert_eq!(entrees(&std::fs::read(&retour).unwrap()), utf8);

    let (statut, entetes, zip_excel) = telecharger(&serveur, "/donnees/registre-excel.zip");
    assert_eq!(statut, 200);
    assert_eq!(
        entetes["content-disposition"],
        "attachment; filename=\"benkan-registre-excel.zip\""
    );
    let excel = entrees(&zip_excel);
    assert_eq!(excel.len(), 13);
    assert!(
        excel["financements.csv"].starts_with("\u{FEFF}identifiant;action;source;type;montant")
            && excel["financements.csv"].contains(";1234,56;EUR;"),
        "{}",
        excel["financements.csv"]
    );
    assert!(!excel["actions.csv"].contains("Caravane"));
}

/// The first cell of the line of `fichier` that has `contenu` in some cell.
fn identifiant_de(dossier: &Path, fichier: &str, contenu: &str) -> String {
    let mut lecteur = csv::Reader::from_path(dossier.join(fichier)).unwrap();
    lecteur
        .records()
        .map(Result::unwrap)
        .find(|l| l.iter().any(|c| c == contenu))
        .unwrap_or_else(|| panic!("{contenu} in {fichier}"))[0]
        .to_owned()
}

/// The line (as an editor numbers it) of the record of `fichier` that has `contenu` in
/// some cell: the order of the lines follows the random identifiants.
fn ligne_de(dossier: &Path, fichier: &str, contenu: &str) -> u64 {
    let mut lecteur = csv::Reader::from_path(dossier.join(fichier)).unwrap();
    lecteur
        .records()
        .map(Result::unwrap)
        .find(|l| l.iter().any(|c| c == contenu))
        .unwrap_or_else(|| panic!("{contenu} in {fichier}"))
        .position()
        .unwrap()
        .line()
}

/// Imports `fichiers` (name, text) written in `dossier`, expects a refusal and returns the
/// error output; the registry, exported again, has not changed.
fn refuser(db: &Path, dossier: &Path, export: &Path, envoyes: &[(&str, String)]) -> String {
    std::fs::create_dir_all(dossier).unwrap();
    for (nom, texte) in envoyes {
        std::fs::write(dossier.join(nom), texte).unwrap();
    }
    let sortie = importer(db, &[dossier], false);
    assert_eq!(sortie.status.code(), Some(1));
    let apres = dossier.with_extension("apres");
    exporter(db, &apres, false);
    assert_eq!(fichiers(export), fichiers(&apres), "nothing written");
    String::from_utf8(sortie.stderr).unwrap()
}

#[test]
fn results_pdesc_and_cited_objectives_refuse_each_mistake_at_its_line_and_column() {
    let dossier = tempfile::tempdir().unwrap();
    let db = base(dossier.path(), "riche.db", false);
    registre_riche(&db);
    let export = dossier.path().join("export");
    exporter(&db, &export, false);
    let puits = identifiant_de(&export, "actions.csv", "Forages, puits et latrines");
    let formation = identifiant_de(&export, "actions.csv", "Formation des élus");
    let attendre = |erreur: &str, fichier: &str, ligne: u64, colonne: &str, message: &str| {
        assert!(
            erreur.lines().any(|l| l.contains(&format!(
                "{fichier}, ligne {ligne}, colonne « {colonne} » : "
            )) && l.contains(message)),
            "{fichier} {ligne} {colonne} {message}:\n{erreur}"
        );
    };

    let tete = "action,rang,indicateur,libelle,unite,base,base_date,cible,cible_date\n";
    let erreur = refuser(
        &db,
        &dossier.path().join("resultats-faux"),
        &export,
        &[(
            "resultats.csv",
            format!(
                "{tete}{puits},1,EAU-01,,,-3,2020-01-01,12,\n\
                 {puits},2,,Pistes,km,,,\"12,55\",\n\
                 {formation},1,GOU-03,,,,,120,\n\
                 {puits},3,EAU-99,,,,,,\n\
                 ACT-inconnue,1,EAU-01,,,,,,\n\
                 {puits},4,EAU-01,,km,,,,\n"
            ),
        )],
    );
    attendre(
        &erreur,
        "resultats.csv",
        2,
        "base",
        "« -3 » n'est pas une valeur en nombre pour le champ « situation de départ »",
    );
    attendre(
        &erreur,
        "resultats.csv",
        3,
        "cible",
        "« 12,55 » n'est pas une valeur en km pour le champ « cible » : écrivez un nombre positif avec au plus 1 chiffre(s) après la virgule",
    );
    attendre(
        &erreur,
        "resultats.csv",
        4,
        "cible",
        "le champ « cible » dépasse le maximum de l'unité % : 100,0 %",
    );
    attendre(
        &erreur,
        "resultats.csv",
        5,
        "indicateur",
        "« EAU-99 » n'est pas un indicateur du catalogue",
    );
    attendre(
        &erreur,
        "resultats.csv",
        6,
        "action",
        "l'identifiant d'une ligne du fichier actions.csv ou d'un enregistrement de la base",
    );
    attendre(
        &erreur,
        "resultats.csv",
        7,
        "unite",
        "l'unité de l'indicateur EAU-01 du catalogue : nombre",
    );
    assert!(erreur.contains(": 6 erreur(s) :"), "{erreur}");

    // measured values, read against the stored results of the action
    let tete = "action,rang,debut,fin,valeur,femmes,hommes,commentaire,source\n";
    let erreur = refuser(
        &db,
        &dossier.path().join("mesures-fausses"),
        &export,
        &[(
            "mesures.csv",
            format!(
                "{tete}{puits},3,2021-01-01,2021-12-31,100,80,40,,\n\
                 {puits},1,2022-05-01,2022-01-01,3,,,,\n\
                 {puits},2,2023-01-01,2023-12-31,\"12,55\",,,,\n\
                 {formation},1,01/01/2025,31/12/2025,120,,,,\n\
                 {puits},9,2023-01-01,2023-12-31,1,,,,\n\
                 {puits},1,2023-01-01,2023-12-31,1,,,,\n\
                 {puits},1,2023-01-01,2023-12-31,2,,,,\n"
            ),
        )],
    );
    attendre(
        &erreur,
        "mesures.csv",
        2,
        "femmes",
        "femmes (80) et hommes (40) ensemble dépassent la valeur mesurée (100)",
    );
    attendre(
        &erreur,
        "mesures.csv",
        3,
        "fin",
        "la période se termine le 2022-01-01 avant de commencer le 2022-05-01",
    );
    attendre(
        &erreur,
        "mesures.csv",
        4,
        "valeur",
        "« 12,55 » n'est pas une valeur en km",
    );
    attendre(
        &erreur,
        "mesures.csv",
        5,
        "valeur",
        "le champ « valeur mesurée » dépasse le maximum de l'unité % : 100,0 %",
    );
    attendre(
        &erreur,
        "mesures.csv",
        6,
        "rang",
        "le rang d'un résultat de l'action, dans resultats.csv ou dans la base (elle en a 3)",
    );
    attendre(
        &erreur,
        "mesures.csv",
        8,
        "debut",
        "deux valeurs sont mesurées pour la même période, du 2023-01-01 au 2023-12-31",
    );
    assert!(erreur.contains(": 6 erreur(s) :"), "{erreur}");

    // ranks with a gap are refused at the action's first line; a measure of a result whose
    // line failed is not reported again
    let erreur = refuser(
        &db,
        &dossier.path().join("rangs"),
        &export,
        &[
            (
                "resultats.csv",
                format!(
                    "action,rang,indicateur,libelle,unite,base,base_date,cible,cible_date\n\
                     {puits},1,EAU-01,,,,,,\n\
                     {puits},3,EAU-01,,,,,,\n\
                     {formation},1,GOU-03,,,,,,2024-12-31\n"
                ),
            ),
            (
                "mesures.csv",
                format!("{tete}{formation},1,2024-01-01,2024-12-31,50,,,,\n"),
            ),
        ],
    );
    attendre(
        &erreur,
        "resultats.csv",
        4,
        "cible_date",
        "une cellule vide, ou une valeur dans la colonne « cible »",
    );
    assert!(erreur.contains(": 1 erreur(s) :"), "{erreur}");
    let erreur = refuser(
        &db,
        &dossier.path().join("trou"),
        &export,
        &[(
            "resultats.csv",
            format!(
                "action,rang,indicateur,libelle,unite,base,base_date,cible,cible_date\n\
                 {puits},1,EAU-01,,,,,,\n\
                 {puits},3,EAU-01,,,,,,\n"
            ),
        )],
    );
    attendre(
        &erreur,
        "resultats.csv",
        2,
        "rang",
        "valeur « 1, 3 » ; attendu : les rangs 1, 2, 3… sans trou",
    );

    // an objective the PDESC does not have; a PDESC for a foreign collectivité
    let faux = dossier.path().join("objectif-faux");
    std::fs::create_dir_all(&faux).unwrap();
    std::fs::copy(export.join("actions.csv"), faux.join("actions.csv")).unwrap();
    changer(
        &faux,
        "actions.csv",
        |l| l.iter().any(|c| c == "Forages, puits et latrines"),
        "objectif_pdesc",
        "Routes bitumées",
    );
    let actions = std::fs::read_to_string(faux.join("actions.csv")).unwrap();
    let erreur = refuser(
        &db,
        &faux,
        &export,
        &[
            ("actions.csv", actions),
            (
                "pdesc.csv",
                "collectivite,debut,fin,titre,objectifs\n\
                 FR:commune-actuelle:49007,2022,2026,Plan d'Angers,Eau\n\
                 ML:ML-1-KAYES,2026,2022,PDESC du cercle,Eau | Eau\n"
                    .to_owned(),
            ),
        ],
    );
    attendre(
        &erreur,
        "actions.csv",
        ligne_de(&faux, "actions.csv", "Forages, puits et latrines"),
        "objectif_pdesc",
        "un objectif du PDESC « PDESC de la commune de Kayes, « 2022-2026 » » : Accès à l'eau potable ; Écoles ; cantines ; État civil",
    );
    attendre(
        &erreur,
        "pdesc.csv",
        2,
        "collectivite",
        "une collectivité malienne",
    );
    attendre(&erreur, "pdesc.csv", 3, "fin", "un PDESC de 2026 à 2022");
}

#[test]
fn an_edited_measure_rewrites_its_action_results_journalled_and_an_older_actions_file_drops_the_objective()
 {
    let dossier = tempfile::tempdir().unwrap();
    let db = base(dossier.path(), "riche.db", false);
    registre_riche(&db);
    let export = dossier.path().join("export");
    exporter(&db, &export, false);
    changer(
        &export,
        "mesures.csv",
        |l| l.iter().any(|c| c == "7.3"),
        "valeur",
        "8,1",
    );
    let sortie = importer_ok(&db, &[&export], false);
    for (table, attendu) in [
        ("resultats", "0 créé(s), 0 modifié(s), 4 inchangé(s)"),
        ("mesures", "0 créé(s), 1 modifié(s), 5 inchangé(s)"),
        ("actions", "0 créé(s), 0 modifié(s), 3 inchangé(s)"),
    ] {
        let ligne = sortie
            .lines()
            .find(|l| l.trim_start().starts_with(table))
            .unwrap();
        assert!(ligne.contains(attendu), "{ligne}");
    }
    let apres = dossier.path().join("apres");
    exporter(&db, &apres, false);
    assert!(texte(&apres, "mesures.csv").contains(",2022-01-01,2022-06-30,8.1,,,,\n"));
    let store = Store::ouvrir(&db).unwrap();
    let conn = store.connexion().unwrap();
    let (commentaire, apres_json): (String, String) = conn
        .query_row(
            "SELECT commentaire, apres FROM journal WHERE objet = 'action' ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    // the action's results are written once, under the first file that names them
    assert!(commentaire.contains("resultats.csv"), "{commentaire}");
    assert!(apres_json.contains("8,1 km"), "{apres_json}");

    // a file written before the objective's columns: absent reads as empty, as for every column
    let ancien = dossier.path().join("ancien");
    std::fs::create_dir(&ancien).unwrap();
    let mut lecteur = csv::Reader::from_path(export.join("actions.csv")).unwrap();
    let entete = lecteur.headers().unwrap().clone();
    let gardees: Vec<usize> = (0..entete.len())
        .filter(|&i| !["pdesc_collectivite", "objectif_pdesc"].contains(&&entete[i]))
        .collect();
    let mut ecrivain = csv::Writer::from_path(ancien.join("actions.csv")).unwrap();
    ecrivain
        .write_record(gardees.iter().map(|&i| &entete[i]))
        .unwrap();
    for l in lecteur.records() {
        let l = l.unwrap();
        ecrivain
            .write_record(gardees.iter().map(|&i| &l[i]))
            .unwrap();
    }
    ecrivain.flush().unwrap();
    let sortie = importer_ok(&db, &[&ancien], false);
    assert!(
        sortie.contains("0 créé(s), 1 modifié(s), 2 inchangé(s)"),
        "{sortie}"
    );
    let cite: i64 = conn
        .query_row("SELECT count(*) FROM action_objectif", [], |r| r.get(0))
        .unwrap();
    assert_eq!(cite, 0);
}
