//! The overview on a small world whose every figure is counted by hand (see the comments).
#![allow(clippy::inconsistent_digit_grouping)] // amounts in cents read as euros_cents

use serde_json::{Value, json};
use time::Date;
use time::macros::date;

use super::Apercu;

/// The overview at `date`, read as the site reads it: one snapshot.
fn calculer(store: &Store, date: Date) -> crate::store::Result<Apercu> {
    store.lire(|conn| super::calculer(conn, date))
}
use crate::model::*;
use crate::store::{Store, acteur, action, apercu, collectivite, financement, partenariat};

/// The date the figures are read at.
const D: Date = date!(2026 - 06 - 30);

struct Monde {
    _dossier: tempfile::TempDir,
    store: Store,
}

fn unite(
    conn: &rusqlite::Connection,
    pays: Pays,
    niveau: Niveau,
    code: &str,
    nom: &str,
    parent: Option<CollectiviteId>,
) -> CollectiviteId {
    collectivite::inserer(
        conn,
        NouvelleCollectivite {
            code: Some(code.into()),
            parent,
            ..NouvelleCollectivite::new(pays, niveau, nom)
        },
    )
    .unwrap()
}

/// Régions Kayes (cercle K1: communes A, B), Mopti (cercle M1: commune C), Ségou (cercle S1:
/// commune D); Rhône-Alpes, a French région gone in 2016; Angers; a Canadian MRC.
///
/// P1 Kayes–Rhône-Alpes (actif; amitié 1990, convention 2010; confirmed 2026-03-01)
/// P2 A–Angers (actif; jumelage culturel 2005; confirmed 2025-01-01)
/// P3 C–MRC (actif; no étape; never confirmed; asymmetric: commune with a level-2 unit)
/// P4 D–Angers (terminé)   P5 B–Angers (actif, but its first étape is in 2030)
/// P6 Kayes–Rhône-Alpes again, « Kayes - Rhone Alpes » (en veille): a likely duplicate of P1
///
/// Actions counted at D (active partenariat, begun or start unknown):
/// a1 P1 @A  services sociaux / eau, 2020: engagement 10 000 EUR (2020), décaissement 655 957 XOF (2021)
/// a2 P1 @A,C appui institutionnel / gouvernance, 2021: engagement 1 000 USD (2021, 0.9 EUR)
/// a3 P2 @D  développement local / tourisme, 2022: no money
/// a4 P3 @C  services sociaux / eau, 2022, en cours but ended 2025-12-31: no money
/// a5 P3 @C  éducation au développement / jeunesse, 2023: engagement 5 000 CAD (no rate)
/// a6 P2 @C  services sociaux / eau, start unknown: engagement 3 279 785 XOF (2024) = 5 000 EUR
/// a7 P2 no place, concertation / société civile, 2024: no money
/// Not counted: a8 P1 @A begins in 2027; a9 P4 @D (terminé).
fn monde() -> Monde {
    let dossier = tempfile::tempdir().unwrap();
    let store = Store::ouvrir(&dossier.path().join("monde.db")).unwrap();
    let conn = store.connexion().unwrap();
    let ml = Pays::MALI;
    let kayes = unite(&conn, ml, Niveau::Region, "ML-1", "Kayes", None);
    let k1 = unite(&conn, ml, Niveau::Cercle, "ML-1-K1", "K1", Some(kayes));
    let a = unite(&conn, ml, Niveau::Commune, "ML-1-K1-A", "A", Some(k1));
    let b = unite(&conn, ml, Niveau::Commune, "ML-1-K1-B", "B", Some(k1));
    let mopti = unite(&conn, ml, Niveau::Region, "ML-5", "Mopti", None);
    let m1 = unite(&conn, ml, Niveau::Cercle, "ML-5-M1", "M1", Some(mopti));
    let c = unite(&conn, ml, Niveau::Commune, "ML-5-M1-C", "C", Some(m1));
    let segou = unite(&conn, ml, Niveau::Region, "ML-4", "Ségou", None);
    let s1 = unite(&conn, ml, Niveau::Cercle, "ML-4-S1", "S1", Some(segou));
    let d = unite(&conn, ml, Niveau::Commune, "ML-4-S1-D", "D", Some(s1));
    let rhone_alpes = collectivite::inserer(
        &conn,
        NouvelleCollectivite {
            code: Some("82".into()),
            validite: Periode::new(None, Some(date!(2015 - 12 - 31))).unwrap(),
            ..NouvelleCollectivite::new(Pays::FRANCE, Niveau::Region, "Rhône-Alpes")
        },
    )
    .unwrap();
    let ara = unite(
        &conn,
        Pays::FRANCE,
        Niveau::Region,
        "84",
        "Auvergne-Rhône-Alpes",
        None,
    );
    collectivite::ajouter_successeur(&conn, rhone_alpes, ara, date!(2016 - 01 - 01)).unwrap();
    let angers = unite(
        &conn,
        Pays::FRANCE,
        Niveau::Commune,
        "49007",
        "Angers",
        None,
    );
    let mrc = unite(
        &conn,
        Pays::new("CA").unwrap(),
        Niveau::Niveau2,
        "CA-MRC",
        "MRC",
        None,
    );

    let creer = |titre: &str, statut, parties: Vec<CollectiviteId>| {
        partenariat::creer(&conn, NouveauPartenariat::new(titre, statut, parties)).unwrap()
    };
    let etape = |p, etape, depuis| {
        partenariat::ajouter_etape(
            &conn,
            p,
            EtapeDatee {
                etape,
                depuis,
                note: None,
            },
        )
        .unwrap()
    };
    let p1 = creer(
        "Kayes – Rhône-Alpes",
        StatutPartenariat::Actif,
        vec![kayes, rhone_alpes],
    );
    etape(p1, Etape::Amitie, date!(1990 - 05 - 01));
    etape(p1, Etape::ConventionPartenariat, date!(2010 - 03 - 01));
    partenariat::confirmer(&conn, p1, date!(2026 - 03 - 01)).unwrap();
    let p2 = creer("A – Angers", StatutPartenariat::Actif, vec![a, angers]);
    etape(p2, Etape::JumelageCulturel, date!(2005 - 01 - 01));
    partenariat::confirmer(&conn, p2, date!(2025 - 01 - 01)).unwrap();
    let p3 = creer("C – MRC", StatutPartenariat::Actif, vec![c, mrc]);
    let p4 = creer("D – Angers", StatutPartenariat::Termine, vec![d, angers]);
    let p5 = creer("B – Angers", StatutPartenariat::Actif, vec![b, angers]);
    etape(p5, Etape::Amitie, date!(2030 - 01 - 01));
    creer(
        "Kayes - Rhone Alpes",
        StatutPartenariat::EnVeille,
        vec![kayes, rhone_alpes],
    );

    let source = acteur::creer(
        &conn,
        NouvelActeur {
            nom: "Bailleur d'essai".into(),
            type_organisation: TypeOrganisation::GouvernementLocal,
            identifiant_iati: None,
            pays: None,
            collectivite: None,
        },
    )
    .unwrap();
    let mut numero = 0;
    let mut action = |p,
                      lieux: Vec<CollectiviteId>,
                      axe,
                      domaine,
                      statut,
                      debut: Option<Date>,
                      fin: Option<Date>| {
        numero += 1;
        action::creer(
            &conn,
            NouvelleAction {
                partenariat: p,
                titre: format!("a{numero}"),
                description: None,
                axe,
                domaine,
                nature: Nature::Physique,
                statut,
                periode: Periode::new(debut, fin).unwrap(),
                lieux,
                points: Vec::new(),
                localites: Vec::new(),
            },
        )
        .unwrap()
    };
    use Axe::*;
    use Domaine::*;
    let en_cours = StatutAction::EnCours;
    let a1 = action(
        p1,
        vec![a],
        ServicesSociauxDeBase,
        EauAssainissement,
        en_cours,
        Some(date!(2020 - 01 - 01)),
        None,
    );
    let a2 = action(
        p1,
        vec![a, c],
        AppuiInstitutionnel,
        GouvernanceLocale,
        en_cours,
        Some(date!(2021 - 03 - 01)),
        None,
    );
    action(
        p2,
        vec![d],
        DeveloppementLocal,
        Tourisme,
        en_cours,
        Some(date!(2022 - 01 - 01)),
        None,
    );
    action(
        p3,
        vec![c],
        ServicesSociauxDeBase,
        EauAssainissement,
        en_cours,
        Some(date!(2022 - 06 - 01)),
        Some(date!(2025 - 12 - 31)),
    );
    let a5 = action(
        p3,
        vec![c],
        EducationAuDeveloppement,
        Jeunesse,
        en_cours,
        Some(date!(2023 - 01 - 01)),
        None,
    );
    let a6 = action(
        p2,
        vec![c],
        ServicesSociauxDeBase,
        EauAssainissement,
        en_cours,
        None,
        None,
    );
    action(
        p2,
        vec![],
        ConcertationParticipative,
        SocieteCivile,
        StatutAction::Prevue,
        Some(date!(2024 - 01 - 01)),
        None,
    );
    let a8 = action(
        p1,
        vec![a],
        DeveloppementLocal,
        Culture,
        StatutAction::Prevue,
        Some(date!(2027 - 01 - 01)),
        None,
    );
    let a9 = action(
        p4,
        vec![d],
        DeveloppementLocal,
        Culture,
        StatutAction::Achevee,
        Some(date!(2015 - 01 - 01)),
        None,
    );

    let argent = |action, type_financement, unites, devise, annee| {
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
    };
    use TypeFinancement::*;
    argent(a1, Engagement, 10_000_00, Devise::Eur, 2020);
    argent(a1, Decaissement, 655_957, Devise::Xof, 2021);
    argent(a2, Engagement, 1_000_00, Devise::Usd, 2021);
    argent(a5, Engagement, 5_000_00, Devise::Cad, 2023);
    argent(a6, Engagement, 3_279_785, Devise::Xof, 2024);
    argent(a8, Engagement, 99_000_00, Devise::Eur, 2027);
    argent(a9, Engagement, 77_000_00, Devise::Eur, 2015);
    apercu::ajouter_taux(
        &conn,
        Devise::Usd,
        date!(2020 - 01 - 01),
        9,
        10,
        "taux d'essai",
    )
    .unwrap();
    // a world recorded long before the date of the overview
    conn.execute(
        "UPDATE partenariat SET cree_le = '2020-01-01T00:00:00Z'",
        [],
    )
    .unwrap();
    drop(conn);
    Monde {
        _dossier: dossier,
        store,
    }
}

fn apercu_json(monde: &Monde, date: Date) -> Value {
    let apercu = calculer(&monde.store, date).unwrap();
    serde_json::to_value(apercu).unwrap()
}

#[test]
fn counts_and_shares_by_country_and_region() {
    let monde = monde();
    let a = apercu_json(&monde, D);
    assert_eq!(a["date"], "2026-06-30");
    assert_eq!(
        a["partenariats_actifs"], 3,
        "P1, P2, P3; P4 ended, P5 not begun, P6 dormant"
    );
    assert_eq!(a["actions"], 7, "a1 to a7");
    assert_eq!(
        a["par_pays"],
        json!([
            {"pays": "FR", "nom": "France", "partenariats": 2, "part": 0.6667},
            {"pays": "CA", "nom": "Canada", "partenariats": 1, "part": 0.3333},
        ])
    );
    // Six actions have a place in Mali; a2 is in Kayes and Mopti and counts for both.
    assert_eq!(a["total_regions"], json!({"partenariats": 3, "actions": 6}));
    let regions: Vec<(String, u64, u64, f64, f64)> = a["par_region"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["region"].as_str().unwrap().to_owned(),
                r["partenariats"].as_u64().unwrap(),
                r["actions"].as_u64().unwrap(),
                r["part_partenariats"].as_f64().unwrap(),
                r["part_actions"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        regions,
        [
            ("Mopti".to_owned(), 1, 4, 0.3333, 0.6667),
            ("Kayes".to_owned(), 2, 2, 0.6667, 0.3333),
            ("Ségou".to_owned(), 0, 1, 0.0, 0.1667),
        ],
        "Kayes holds exactly a third of the located actions"
    );
    assert_eq!(a["par_region"][1]["code"], "ML-1");
    let communes: Vec<(&str, u64)> = a["par_commune"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["region"].as_str().unwrap(),
                c["actions"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(communes, [("C", 4), ("A", 2), ("D", 1)]);
    assert_eq!(a["par_cercle"][0]["dans"], "Mopti");
}

#[test]
fn money_is_converted_and_unknown_money_stays_unknown() {
    let monde = monde();
    let a = apercu_json(&monde, D);
    // P1: engagements 10 000 + 900 (USD at 0.9) = 10 900; décaissement 655 957 XOF = 1 000.
    // P2: 3 279 785 XOF = 5 000. P3: only CAD, which no rate converts: unknown, not zero.
    assert_eq!(
        a["top_partenariats"],
        json!([
            {"id": 1, "titre": "Kayes – Rhône-Alpes", "montant_eur": 10900.0, "montant_xof": 7_149_931,
             "engagements_eur": 10900.0, "engagements_xof": 7_149_931,
             "decaissements_eur": 1000.0, "decaissements_xof": 655_957, "conversion_incomplete": false, "actions": 2},
            {"id": 2, "titre": "A – Angers", "montant_eur": 5000.0, "montant_xof": 3_279_785,
             "engagements_eur": 5000.0, "engagements_xof": 3_279_785,
             "decaissements_eur": null, "decaissements_xof": null, "conversion_incomplete": false, "actions": 3},
            {"id": 3, "titre": "C – MRC", "montant_eur": null, "montant_xof": null, "engagements_eur": null,
             "engagements_xof": null, "decaissements_eur": null, "decaissements_xof": null,
             "conversion_incomplete": true, "actions": 2},
        ])
    );
    // All the money once: 10 900 + 5 000 committed, 1 000 paid out; CAD left out.
    assert_eq!(
        a["financements"],
        json!({"montant_eur": 15900.0, "montant_xof": 10_429_716, "engagements_eur": 15900.0,
               "engagements_xof": 10_429_716, "decaissements_eur": 1000.0, "decaissements_xof": 655_957,
               "conversion_incomplete": true})
    );
    let actifs: Vec<u64> = a["plus_actifs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_u64().unwrap())
        .collect();
    assert_eq!(actifs, [2, 1, 3]);
    assert_eq!(a["devises_non_converties"], json!(["CAD"]));
    let axes: Vec<(&str, u64, f64, Value)> = a["par_axe"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["axe"].as_str().unwrap(),
                x["actions"].as_u64().unwrap(),
                x["part"].as_f64().unwrap(),
                x["montant_eur"].clone(),
            )
        })
        .collect();
    assert_eq!(
        axes,
        [
            ("appui_institutionnel", 1, 0.1429, json!(900.0)),
            ("services_sociaux_de_base", 3, 0.4286, json!(15000.0)),
            ("developpement_local", 1, 0.1429, Value::Null),
            ("concertation_participative", 1, 0.1429, Value::Null),
            ("education_au_developpement", 1, 0.1429, Value::Null),
        ]
    );
    let eau = a["par_domaine"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["domaine"] == "eau_assainissement")
        .unwrap();
    assert_eq!(
        eau,
        &json!({"domaine": "eau_assainissement", "libelle": "Eau et assainissement", "code_cad": "14030", "actions": 3, "montant_eur": 15000.0, "montant_xof": 9_839_355})
    );
    assert_eq!(
        a["par_annee"],
        json!([
            {"annee": 2020, "actions": 1, "engagements_eur": 10000.0, "engagements_xof": 6_559_570,
             "decaissements_eur": null, "decaissements_xof": null},
            {"annee": 2021, "actions": 1, "engagements_eur": 900.0, "engagements_xof": 590_361,
             "decaissements_eur": 1000.0, "decaissements_xof": 655_957},
            {"annee": 2022, "actions": 2, "engagements_eur": null, "engagements_xof": null,
             "decaissements_eur": null, "decaissements_xof": null},
            {"annee": 2023, "actions": 1, "engagements_eur": null, "engagements_xof": null,
             "decaissements_eur": null, "decaissements_xof": null},
            {"annee": 2024, "actions": 1, "engagements_eur": 5000.0, "engagements_xof": 3_279_785,
             "decaissements_eur": null, "decaissements_xof": null},
        ])
    );
}

#[test]
fn stages_coverage_coordination_and_symmetry() {
    let monde = monde();
    let a = apercu_json(&monde, D);
    let etapes: Vec<(&str, u64)> = a["etapes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["etape"].as_str().unwrap(),
                e["partenariats"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        etapes,
        [
            ("amitie", 0),
            ("jumelage_culturel", 1),
            ("jumelage_cooperation", 0),
            ("convention_partenariat", 1),
            ("non_renseignee", 1)
        ]
    );
    assert_eq!(
        a["transitions"],
        json!([
            {"annee": 1990, "etape": "amitie", "partenariats": 1},
            {"annee": 2005, "etape": "jumelage_culturel", "partenariats": 1},
            {"annee": 2010, "etape": "convention_partenariat", "partenariats": 1},
        ]),
        "P1 moved from amitié (1990) to convention (2010); P5's 2030 stage is not yet"
    );
    // Parties of active partenariats: Kayes (région), A, C — and the units that contain them.
    assert_eq!(
        a["couverture"],
        json!({"collectivites": 4, "avec_partenariat": 2, "part": 0.5, "par_niveau": [
            {"niveau": "region", "collectivites": 3, "avec_partenariat": 2, "part": 0.6667},
            {"niveau": "cercle", "collectivites": 3, "avec_partenariat": 2, "part": 0.6667},
            {"niveau": "commune", "collectivites": 4, "avec_partenariat": 2, "part": 0.5},
        ]})
    );
    let blanches: Vec<(&str, Vec<&str>)> = a["zones_blanches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|z| {
            (
                z["region"].as_str().unwrap(),
                z["communes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c["nom"].as_str().unwrap())
                    .collect(),
            )
        })
        .collect();
    assert_eq!(blanches, [("Kayes", vec!["B"]), ("Ségou", vec!["D"])]);
    assert_eq!(
        a["coordination"],
        json!([{"lieu_id": 7, "lieu": "C", "domaine": "eau_assainissement", "partenariats": [2, 3]}])
    );
    assert_eq!(
        a["asymetries"],
        json!([{"id": 3, "titre": "C – MRC", "niveaux_maliens": ["commune"], "niveaux_etrangers": ["niveau_2"]}])
    );
}

#[test]
fn data_quality_is_listed_with_links() {
    let monde = monde();
    let q = &apercu_json(&monde, D)["qualite"];
    assert_eq!(
        q["actions_echues_en_cours"],
        json!({"total": 1, "exemples": [{"id": 4, "titre": "a4", "lien": "/actions/4"}]})
    );
    let non_confirmes: Vec<u64> = q["partenariats_non_confirmes"]["exemples"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_u64().unwrap())
        .collect();
    assert_eq!(
        non_confirmes,
        [2, 3],
        "P2 last confirmed more than a year before, P3 never"
    );
    // A record declared within the year has not gone unconfirmed for more than a year.
    monde
        .store
        .connexion()
        .unwrap()
        .execute(
            "UPDATE partenariat SET cree_le = '2026-03-01T10:00:00Z' WHERE id = 3",
            [],
        )
        .unwrap();
    let recent = &apercu_json(&monde, D)["qualite"]["partenariats_non_confirmes"];
    assert_eq!(recent["total"], 1, "{recent}");
    assert_eq!(
        q["doublons_probables"],
        json!([[
            {"id": 1, "titre": "Kayes – Rhône-Alpes", "lien": "/partenariats/1"},
            {"id": 6, "titre": "Kayes - Rhone Alpes", "lien": "/partenariats/6"},
        ]])
    );
    let ids = |champ: &str| -> Vec<u64> {
        q[champ]["exemples"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["id"].as_u64().unwrap())
            .collect()
    };
    assert_eq!(ids("actions_sans_financement"), [3, 4, 7]);
    assert_eq!(ids("actions_sans_lieu"), [7]);
    assert_eq!(q["actions_sans_lieu"]["total"], 1);
}

#[test]
fn an_earlier_date_sees_an_earlier_world() {
    let monde = monde();
    let a = apercu_json(&monde, date!(2000 - 01 - 01));
    assert_eq!(
        a["partenariats_actifs"], 2,
        "P1 (since 1990) and P3 (no date); P2 began in 2005"
    );
    assert_eq!(
        a["actions"], 0,
        "a6, the only undated action, belongs to P2"
    );
    assert_eq!(
        a["etapes"][0],
        json!({"etape": "amitie", "libelle": "Amitié", "partenariats": 1, "part": 0.5})
    );
    assert_eq!(
        a["transitions"],
        json!([{"annee": 1990, "etape": "amitie", "partenariats": 1}])
    );
}

#[test]
fn the_headline_figures_are_those_of_the_overview() {
    let monde = monde();
    let apercu = calculer(&monde.store, D).unwrap();
    let chiffres = super::ChiffresCles::depuis(&apercu);
    assert_eq!(
        (
            chiffres.partenariats_actifs,
            chiffres.pays_partenaires,
            chiffres.regions_maliennes,
            chiffres.actions,
            chiffres.montant.map(|m| m.to_string())
        ),
        (
            3,
            2,
            2,
            7,
            Some("10\u{202F}429\u{202F}716\u{A0}FCFA (15\u{202F}900\u{A0}€)".to_owned())
        )
    );
}

#[test]
fn the_open_data_page_lists_every_table_under_its_title() {
    let monde = monde();
    let apercu = calculer(&monde.store, D).unwrap();
    let tableaux: Vec<(&str, &str)> = super::rendu::tableaux(&apercu)
        .iter()
        .map(|t| (t.nom, t.titre))
        .collect();
    assert_eq!(tableaux, super::rendu::NOMS_TABLEAUX);
}

/// The money of a zone is that of the actions placed in it or inside it, each action counted
/// fully in every zone it is in; a currency without a rate leaves the sum marked incomplete.
#[test]
fn each_zone_has_the_money_of_its_actions() {
    let monde = monde();
    let a = apercu_json(&monde, D);
    let zone = |liste: &str, code: &str| {
        a[liste]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["code"] == code)
            .cloned()
            .unwrap_or_else(|| panic!("{code} absent de {liste}"))
    };
    // A: commitments a1 (10 000 EUR) + a2 (1 000 USD at 0.9: 900 EUR), larger than what was
    // paid (a1: 655 957 XOF, 1 000 EUR).
    for (liste, code) in [
        ("par_commune", "ML-1-K1-A"),
        ("par_cercle", "ML-1-K1"),
        ("par_region", "ML-1"),
    ] {
        let l = zone(liste, code);
        assert_eq!(l["montant_eur"], json!(10_900.0), "{code}");
        assert_eq!(l["montant_incomplet"], false, "{code}");
        assert_eq!(l["interventions"], 0, "{code}");
    }
    // C: a2 (900 EUR) + a6 (5 000 EUR) + a5 (5 000 CAD without a rate).
    let c = zone("par_commune", "ML-5-M1-C");
    assert_eq!(c["montant_eur"], json!(5_900.0));
    assert_eq!(c["montant_incomplet"], true);
    // D: a3 has no money; a9 is not counted.
    assert_eq!(zone("par_commune", "ML-4-S1-D")["montant_eur"], Value::Null);
}

#[test]
fn a_point_or_a_village_counts_for_its_commune_cercle_and_region_like_a_place() {
    let dossier = tempfile::tempdir().unwrap();
    let store = Store::ouvrir(&dossier.path().join("points.db")).unwrap();
    let conn = store.connexion().unwrap();
    let ml = Pays::MALI;
    let region = unite(&conn, ml, Niveau::Region, "ML-1", "Kayes", None);
    let cercle = unite(
        &conn,
        ml,
        Niveau::Cercle,
        "ML-1-KAYES",
        "Kayes",
        Some(region),
    );
    let commune = unite(
        &conn,
        ml,
        Niveau::Commune,
        "ML-1-KAYES-KAYES",
        "Kayes",
        Some(cercle),
    );
    let evry = unite(&conn, Pays::FRANCE, Niveau::Commune, "91228", "Évry", None);
    let p = partenariat::creer(
        &conn,
        NouveauPartenariat::new("Kayes – Évry", StatutPartenariat::Actif, vec![region, evry]),
    )
    .unwrap();
    let point = |lat, lon| crate::carte::situer(PointAction::nouveau(lat, lon, None).unwrap());
    crate::store::localite::enregistrer_referentiel(
        &conn,
        crate::model::NouvelleLocalite {
            pcode: "ML010112005".into(),
            nom: "Plateau".into(),
            collectivite: commune,
            longitude: -11.43195,
            latitude: 14.43955,
        },
        "COD",
    )
    .unwrap();
    let action = |titre: &str, lieux: Vec<CollectiviteId>, points: Vec<PointAction>| {
        let localites = match titre {
            "Village" | "Place et village" => vec!["ML010112005".to_owned()],
            _ => Vec::new(),
        };
        action::creer(
            &conn,
            NouvelleAction {
                partenariat: p,
                titre: titre.into(),
                description: None,
                axe: Axe::ServicesSociauxDeBase,
                domaine: Domaine::EauAssainissement,
                nature: Nature::Physique,
                statut: StatutAction::EnCours,
                periode: Periode::new(Some(date!(2024 - 01 - 01)), None).unwrap(),
                lieux,
                points,
                localites,
            },
        )
        .unwrap()
    };
    // Kayes town, 14.4485 N 11.4389 W: only a point.
    action("Puits", vec![], vec![point(14.4485, -11.4389)]);
    // A place and two points in the same commune: counted once there.
    action(
        "Forages",
        vec![commune],
        vec![point(14.4485, -11.4389), point(14.45, -11.44)],
    );
    // Dakar: kept, attached to nothing, so the action has no place in Mali.
    action("Hors du Mali", vec![], vec![point(14.69, -17.44)]);
    // A village of the commune: only it; then a place and a village in the same commune.
    action("Village", vec![], vec![]);
    action("Place et village", vec![commune], vec![]);
    let a = serde_json::to_value(calculer(&store, D).unwrap()).unwrap();
    assert_eq!(a["actions"], 5);
    assert_eq!(a["total_regions"]["actions"], 4, "Dakar is in no région");
    for (liste, code) in [
        ("par_region", "ML-1"),
        ("par_cercle", "ML-1-KAYES"),
        ("par_commune", "ML-1-KAYES-KAYES"),
    ] {
        let zones = a[liste].as_array().unwrap();
        assert_eq!(zones.len(), 1, "{liste}: {zones:?}");
        assert_eq!(zones[0]["code"], code, "{liste}");
        assert_eq!(
            zones[0]["actions"], 4,
            "{liste}: the point, the place and the villages, once each per action"
        );
    }
}

#[test]
fn the_charts_of_regions_keep_their_subject_once_actions_exist() {
    let monde = monde();
    let apercu = calculer(&monde.store, D).unwrap();
    assert!(apercu.total_regions.actions > 0);
    let titres: Vec<(String, String)> = super::rendu::graphiques(&apercu)
        .into_iter()
        .map(|g| (g.id.to_string(), g.titre))
        .collect();
    assert!(titres.contains(&(
        "graphique-regions".to_owned(),
        "Partenariats par région malienne".to_owned()
    )));
    assert!(titres.contains(&(
        "graphique-regions-actions".to_owned(),
        "Actions par région malienne".to_owned()
    )));
}

/// Dates on either side of the world's étapes, actions and boundary change: the overview
/// at each, counted from the kept dossiers, must be the full count's.
const AUTRES_DATES: [Date; 5] = [
    date!(1989 - 12 - 31),
    date!(2000 - 01 - 01),
    date!(2015 - 12 - 31),
    date!(2022 - 06 - 01),
    date!(2031 - 01 - 01),
];

/// A result of `unite` on `mesure`, with a target (in steps) and measures (end of the
/// period, value in steps, women, men); each period lasts the three months before its end.
fn resultat(
    mesure: Mesure,
    cible: Option<i64>,
    mesures: &[(Date, i64, Option<i64>, Option<i64>)],
) -> Resultat {
    let unite = mesure.unite();
    Resultat {
        mesure,
        base: None,
        cible: cible.map(|pas| (Valeur { unite, pas }, None)),
        periodes: mesures
            .iter()
            .map(|(fin, pas, femmes, hommes)| PeriodeMesuree {
                debut: *fin - time::Duration::days(90),
                fin: *fin,
                valeur: Valeur { unite, pas: *pas },
                femmes: *femmes,
                hommes: *hommes,
                commentaire: None,
                source: None,
            })
            .collect(),
    }
}

fn catalogue(code: &str) -> Mesure {
    Mesure::Catalogue(code.into())
}

/// The world above with results, counted by hand at D (2026-06-30):
/// a1 (Kayes: A; services sociaux): EAU-01 target 10, measured 3 (2024-06-30) + 4
///    (2025-12-31) = 7, and 5 more on 2026-12-31, after D; EAU-02 target 2 000, measured
///    1 500 (800 women, 700 men) on 2025-12-31.
/// a2 (Kayes and Mopti: A, C; appui institutionnel): GOU-01 target 40, 30 (12 women, 18
///    men) on 2025-06-30; GOU-03 (a rate) 45 % on 2024-12-31 then 60 % on 2025-12-31,
///    target 50 %: reached; an own indicator « Registres distribués », 9.
/// a6 (Mopti: C; services sociaux): EAU-01 target 5, measured 5 on 2025-03-31: reached;
///    PIS-01 12.5 km, no target.
/// a8 (begins in 2027: not counted): EAU-01, 100.
/// a4 (Mopti, ended 2025-12-31, still « en cours ») has none: ended without a result.
fn avec_resultats(monde: &Monde) {
    let conn = monde.store.connexion().unwrap();
    let a = |titre: &str| ActionId(id_de(&conn, "action", titre));
    let d = |y, m, j| Date::from_calendar_date(y, time::Month::try_from(m).unwrap(), j).unwrap();
    let remplacer = |action, resultats: Vec<Resultat>| {
        crate::store::resultat::remplacer(&conn, action, &resultats).unwrap()
    };
    remplacer(
        a("a1"),
        vec![
            resultat(
                catalogue("EAU-01"),
                Some(10),
                &[
                    (d(2024, 6, 30), 3, None, None),
                    (d(2025, 12, 31), 4, None, None),
                    (d(2026, 12, 31), 5, None, None),
                ],
            ),
            resultat(
                catalogue("EAU-02"),
                Some(2_000),
                &[(d(2025, 12, 31), 1_500, Some(800), Some(700))],
            ),
        ],
    );
    remplacer(
        a("a2"),
        vec![
            resultat(
                catalogue("GOU-01"),
                Some(40),
                &[(d(2025, 6, 30), 30, Some(12), Some(18))],
            ),
            resultat(
                catalogue("GOU-03"),
                Some(500),
                &[
                    (d(2024, 12, 31), 450, None, None),
                    (d(2025, 12, 31), 600, None, None),
                ],
            ),
            resultat(
                Mesure::Libre {
                    libelle: "Registres distribués".into(),
                    unite: Unite::Nombre,
                },
                None,
                &[(d(2025, 12, 31), 9, None, None)],
            ),
        ],
    );
    remplacer(
        a("a6"),
        vec![
            resultat(
                catalogue("EAU-01"),
                Some(5),
                &[(d(2025, 3, 31), 5, None, None)],
            ),
            resultat(
                catalogue("PIS-01"),
                None,
                &[(d(2025, 3, 31), 125, None, None)],
            ),
        ],
    );
    remplacer(
        a("a8"),
        vec![resultat(
            catalogue("EAU-01"),
            None,
            &[(d(2027, 3, 31), 100, None, None)],
        )],
    );
}

#[test]
fn what_the_actions_achieved_is_summed_by_indicator_region_and_axe() {
    let monde = monde();
    avec_resultats(&monde);
    let j = apercu_json(&monde, D);
    let r = &j["realisations"];
    assert_eq!(r["actions_mesurees"], 3, "a1, a2, a6");
    assert_eq!(r["resultats_propres"], 1);
    let codes: Vec<&str> = r["indicateurs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        ["EAU-01", "EAU-02", "GOU-01", "GOU-03", "PIS-01"],
        "catalogue order"
    );
    let ligne = |liste: &Value, code: &str| {
        liste
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["code"] == code)
            .cloned()
            .unwrap_or(Value::Null)
    };
    let eau = ligne(&r["indicateurs"], "EAU-01");
    // a1: 3 + 4 (the third measure ends after D), a6: 5; a8 has not begun
    assert_eq!(eau["valeur"], 12.0);
    assert_eq!(eau["actions"], 2);
    assert_eq!(eau["actions_avec_cible"], 2);
    assert_eq!(eau["cible"], 15.0);
    assert_eq!(eau["atteint"], 12.0);
    assert_eq!(eau["progression"], 0.8);
    assert_eq!(eau["cibles_atteintes"], 1, "a6 only");
    assert_eq!(eau["femmes"], Value::Null, "not people");
    assert_eq!(eau["lien"], "/actions?indicateur=EAU-01");
    let eau2 = ligne(&r["indicateurs"], "EAU-02");
    assert_eq!(
        (
            &eau2["valeur"],
            &eau2["femmes"],
            &eau2["hommes"],
            &eau2["part_femmes"]
        ),
        (&json!(1500.0), &json!(800), &json!(700), &json!(0.5333))
    );
    assert_eq!(eau2["progression"], 0.75);
    let gou = ligne(&r["indicateurs"], "GOU-01");
    assert_eq!(
        (&gou["valeur"], &gou["part_femmes"]),
        (&json!(30.0), &json!(0.4))
    );
    let taux = ligne(&r["indicateurs"], "GOU-03");
    // a level: the latest one, not 45 + 60; no sum of targets
    assert_eq!(taux["valeur"], Value::Null);
    assert_eq!(taux["moyenne"], 60.0);
    assert_eq!(
        (&taux["cible"], &taux["progression"]),
        (&Value::Null, &Value::Null)
    );
    assert_eq!(taux["cibles_atteintes"], 1);
    let piste = ligne(&r["indicateurs"], "PIS-01");
    assert_eq!(
        (&piste["valeur"], &piste["cible"]),
        (&json!(12.5), &Value::Null)
    );

    // by région: a2 counts in Kayes and in Mopti
    let region = |nom: &str| {
        r["par_region"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["region"] == nom)
            .cloned()
            .unwrap()
    };
    let kayes = region("Kayes");
    assert_eq!(ligne(&kayes["indicateurs"], "EAU-01")["valeur"], 7.0);
    assert_eq!(ligne(&kayes["indicateurs"], "GOU-01")["valeur"], 30.0);
    assert_eq!(ligne(&kayes["indicateurs"], "PIS-01"), Value::Null);
    let mopti = region("Mopti");
    assert_eq!(ligne(&mopti["indicateurs"], "EAU-01")["valeur"], 5.0);
    assert_eq!(ligne(&mopti["indicateurs"], "GOU-01")["valeur"], 30.0);
    assert_eq!(ligne(&mopti["indicateurs"], "PIS-01")["valeur"], 12.5);
    assert_eq!(
        ligne(&mopti["indicateurs"], "EAU-01")["lien"],
        format!("/actions?indicateur=EAU-01&zone={}", mopti["id"])
    );
    assert_eq!(
        r["par_region"].as_array().unwrap().len(),
        2,
        "Ségou has none"
    );
    // by axe
    let axes: Vec<&str> = r["par_axe"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["axe"].as_str().unwrap())
        .collect();
    assert_eq!(axes, ["appui_institutionnel", "services_sociaux_de_base"]);
    let sociaux = &r["par_axe"][1]["indicateurs"];
    assert_eq!(ligne(sociaux, "EAU-01")["valeur"], 12.0);
    assert_eq!(ligne(sociaux, "EAU-02")["valeur"], 1500.0);

    // quality: a4 ended on 2025-12-31 without any result
    let q = &j["qualite"]["actions_terminees_sans_resultat"];
    assert_eq!(q["total"], 1);
    assert_eq!(q["exemples"][0]["titre"], "a4");

    // earlier: only what had ended by then
    let avant = apercu_json(&monde, date!(2025 - 01 - 01));
    let r = &avant["realisations"];
    assert_eq!(ligne(&r["indicateurs"], "EAU-01")["valeur"], 3.0);
    assert_eq!(ligne(&r["indicateurs"], "EAU-01")["actions_mesurees"], 1);
    assert_eq!(ligne(&r["indicateurs"], "GOU-03")["moyenne"], 45.0);
    assert_eq!(ligne(&r["indicateurs"], "EAU-02")["actions_mesurees"], 0);
    assert_eq!(ligne(&r["indicateurs"], "EAU-02")["valeur"], 0.0);

    // the prose, the tables, the chart
    let apercu = calculer(&monde.store, D).unwrap();
    let phrases = super::rendu::phrases(&apercu).join("\n");
    assert!(
        phrases.contains("Les 3 actions dont un résultat est mesuré ont réalisé : 12 points d'eau modernes réalisés ou réhabilités, 1\u{202F}500 population desservie en eau potable (dont 53\u{202F}% de femmes)"),
        "{phrases}"
    );
    assert!(
        phrases.contains("Sur 5 résultats assortis d'une cible, 2 l'ont atteinte."),
        "{phrases}"
    );
    assert!(
        phrases.contains("1 achevée sans résultat mesuré"),
        "{phrases}"
    );
    let tableaux = super::rendu::tableaux_csv(&apercu);
    let csv = |nom: &str| tableaux.iter().find(|(n, _)| *n == nom).unwrap().1.clone();
    assert!(
        csv("realisations")
            .contains("Kilomètres de piste construits ou réhabilités,PIS-01,1,12.5,"),
        "{}",
        csv("realisations")
    );
    assert!(
        csv("realisations_regions").contains("Mopti,Élus et agents formés,GOU-01,1,30,0.4,0.75"),
        "{}",
        csv("realisations_regions")
    );
    let graphiques = super::rendu::graphiques(&apercu);
    let progression = graphiques
        .iter()
        .find(|g| g.id == "graphique-progression")
        .unwrap();
    assert!(
        progression
            .description
            .contains("Points d'eau modernes réalisés ou réhabilités : 80\u{202F}% ; Population desservie en eau potable : 75\u{202F}%"),
        "{}",
        progression.description
    );
}

/// The partenariats counted in two halves give the sums of them all wherever the halves
/// are cut: every kind of sum is added from one half to the other (the world's partenariats
/// share places, domaines, parties, countries and régions).
#[test]
fn two_halves_add_up_to_the_whole_wherever_they_are_cut() {
    let monde = monde();
    avec_resultats(&monde);
    for date in std::iter::once(D).chain(AUTRES_DATES) {
        let complet = apercu_json(&monde, date);
        let mut milieu = 0;
        loop {
            let (n, apercu) = monde
                .store
                .lire(|conn| super::agregats::apercu_en_deux(conn, date, milieu))
                .unwrap();
            let en_deux = serde_json::to_value(apercu).unwrap();
            assert_eq!(en_deux, complet, "at {date}, cut after {milieu} of {n}");
            if milieu >= n {
                break;
            }
            milieu += 1;
        }
    }
}

/// The overview kept up to date and the full count, on the same snapshot, must be the same
/// document, today and at other dates.
fn pareils(monde: &Monde, tenu: &super::ApercuTenu, apres: &str) {
    for date in std::iter::once(D).chain(AUTRES_DATES) {
        let (kept, complet) = monde
            .store
            .lire(|conn| {
                Ok::<_, crate::store::StoreError>((
                    serde_json::to_value(tenu.apercu_au(conn, D, date)?).unwrap(),
                    serde_json::to_value(super::calculer(conn, date)?).unwrap(),
                ))
            })
            .unwrap();
        assert_eq!(kept, complet, "at {date} after {apres}");
    }
    memes_listes(monde, tenu, apres);
}

/// The list kept beside the overview gives what the SQL list gives, for every order with
/// each filter, over small pages; so do the kept counts of actions by axe, domaine, statut.
fn memes_listes(monde: &Monde, tenu: &super::ApercuTenu, apres: &str) {
    use crate::store::partenariat::{FiltreEtape, PartenariatQuery, TriPartenariats};
    let conn = monde.store.connexion().unwrap();
    let region = |nom: &str| {
        CollectiviteId(
            conn.query_row(
                "SELECT id FROM collectivite WHERE nom = ?1 AND niveau = 'region'",
                [nom],
                |r| r.get(0),
            )
            .unwrap(),
        )
    };
    type Filtre = Box<dyn Fn(&mut PartenariatQuery)>;
    let mut filtres: Vec<Filtre> = vec![
        Box::new(|_| {}),
        Box::new(|q| q.pays = Some(Pays::FRANCE)),
        Box::new(|q| q.texte = Some("angers".into())),
        Box::new(|q| q.texte = Some("« »".into())),
        Box::new(|q| q.etape = Some(FiltreEtape::NonRenseignee)),
    ];
    for zone in [region("Kayes"), region("Mopti")] {
        filtres.push(Box::new(move |q| q.zone = Some(zone)));
    }
    for e in Etape::TOUS {
        filtres.push(Box::new(|q| q.etape = Some(FiltreEtape::Atteinte(*e))));
    }
    for s in StatutPartenariat::TOUS {
        filtres.push(Box::new(|q| q.statut = Some(*s)));
    }
    let lire = |page: &crate::store::Pagine<crate::store::partenariat::PartenariatResume>| {
        let lignes: Vec<_> = page
            .elements
            .iter()
            .map(|r| (r.partenariat.id, r.etape, r.etape_depuis, r.parties.clone()))
            .collect();
        (page.total, format!("{lignes:?}"))
    };
    let compte = |condition: String| -> u64 {
        conn.query_row(
            &format!("SELECT count(*) FROM action_publiee WHERE {condition}"),
            [],
            |r| r.get(0),
        )
        .unwrap()
    };
    let actions = |axe, domaine, statut| tenu.actions(&conn, D, axe, domaine, statut).unwrap();
    assert_eq!(
        actions(None, None, None),
        compte("1".into()),
        "after {apres}"
    );
    for axe in Axe::TOUS {
        let sql = compte(format!("axe = '{}'", axe.code()));
        assert_eq!(
            actions(Some(*axe), None, None),
            sql,
            "after {apres}: {axe:?}"
        );
    }
    for domaine in Domaine::TOUS {
        let sql = compte(format!("domaine = '{}'", domaine.code()));
        assert_eq!(actions(None, Some(*domaine), None), sql, "after {apres}");
    }
    for statut in StatutAction::TOUS {
        let sql = compte(format!("statut = '{}'", statut.code()));
        assert_eq!(actions(None, None, Some(*statut)), sql, "after {apres}");
        let sql = compte(format!(
            "statut = '{}' AND axe = 'services_sociaux_de_base' AND domaine = 'sante'",
            statut.code()
        ));
        let kept = actions(
            Some(Axe::ServicesSociauxDeBase),
            Some(Domaine::Sante),
            Some(*statut),
        );
        assert_eq!(kept, sql, "after {apres}");
    }
    // a collectivité's page: any Malian unit, and a foreign one (read by SQL)
    for nom in ["K1", "A", "Angers", "Rhône-Alpes"] {
        let zone: i64 = conn
            .query_row("SELECT id FROM collectivite WHERE nom = ?1", [nom], |r| {
                r.get(0)
            })
            .unwrap();
        let q = PartenariatQuery {
            zone: Some(CollectiviteId(zone)),
            ..PartenariatQuery::new(D)
        };
        let garde = tenu.partenariats_de_la_zone(&conn, &q, D).unwrap();
        assert_eq!(
            lire(&garde),
            lire(&q.lister(&conn).unwrap()),
            "after {apres}: {nom}"
        );
    }
    for filtre in &filtres {
        for tri in TriPartenariats::TOUS {
            for numero in 1..=3 {
                let mut q = PartenariatQuery::new(D);
                filtre(&mut q);
                q.tri = *tri;
                q.page = crate::store::Page::avec_taille(numero, 2);
                let garde = tenu.partenariats(&conn, &q, D).unwrap();
                let sql = q.lister(&conn).unwrap();
                assert_eq!(lire(&garde), lire(&sql), "after {apres}: {q:?}");
            }
        }
    }
}

fn id_de(conn: &rusqlite::Connection, table: &str, titre: &str) -> i64 {
    conn.query_row(
        &format!("SELECT id FROM {table} WHERE titre = ?1"),
        [titre],
        |r| r.get(0),
    )
    .unwrap()
}

#[test]
fn kept_figures_equal_a_full_count_after_every_kind_of_write() {
    use crate::store::validation::{self, Objet};
    let monde = monde();
    let tenu = super::ApercuTenu::default();
    pareils(&monde, &tenu, "the first count");
    let conn = monde.store.connexion().unwrap();
    let p = |titre: &str| PartenariatId(id_de(&conn, "partenariat", titre));
    let a = |titre: &str| ActionId(id_de(&conn, "action", titre));
    let nomme = |nom: &str| {
        CollectiviteId(
            conn.query_row("SELECT id FROM collectivite WHERE nom = ?1", [nom], |r| {
                r.get(0)
            })
            .unwrap(),
        )
    };
    let admin = crate::store::compte::creer(
        &conn,
        &Email::new("admin@mdat.ml").unwrap(),
        "$argon2id$x",
        Role::AdminNational,
        &[],
        &[],
    )
    .unwrap();
    let nouvelle = |partenariat, titre: &str, lieux| NouvelleAction {
        partenariat,
        titre: titre.into(),
        description: None,
        axe: Axe::ServicesSociauxDeBase,
        domaine: Domaine::Sante,
        nature: Nature::Physique,
        statut: StatutAction::EnCours,
        periode: Periode::new(Some(date!(2024 - 01 - 01)), Some(date!(2025 - 01 - 01))).unwrap(),
        lieux,
        points: Vec::new(),
        localites: Vec::new(),
    };
    let argent = |unites, devise, type_financement| action::FinancementDeclare {
        source: NouvelActeur {
            nom: "Ville d'Angers".into(),
            type_organisation: TypeOrganisation::GouvernementLocal,
            identifiant_iati: None,
            pays: None,
            collectivite: None,
        },
        type_financement,
        montant: Montant::new(unites, devise).unwrap(),
        annee: 2024,
    };

    // a declaration, private until validated
    let declare = partenariat::creer_par(
        &conn,
        NouveauPartenariat {
            validation: Validation::Soumis,
            ..NouveauPartenariat::new(
                "B – Angers, encore",
                StatutPartenariat::Actif,
                vec![nomme("B"), nomme("Angers")],
            )
        },
        Some(admin),
    )
    .unwrap();
    pareils(&monde, &tenu, "a declaration");
    validation::valider(&conn, Objet::Partenariat(declare), admin).unwrap();
    pareils(&monde, &tenu, "its validation");
    let declaree = action::declarer(
        &conn,
        nouvelle(declare, "b1", vec![nomme("B"), nomme("C")]),
        Validation::Soumis,
        admin,
        Some(argent(2_000_000, Devise::Xof, TypeFinancement::Engagement)),
    )
    .unwrap();
    pareils(&monde, &tenu, "an action declared");
    validation::valider(&conn, Objet::Action(declaree), admin).unwrap();
    pareils(&monde, &tenu, "the action validated");
    let renvoyee = action::declarer(
        &conn,
        nouvelle(p("A – Angers"), "a-renvoyer", vec![nomme("A")]),
        Validation::Soumis,
        admin,
        None,
    )
    .unwrap();
    validation::renvoyer(&conn, Objet::Action(renvoyee), admin, "Précisez le lieu.").unwrap();
    pareils(&monde, &tenu, "an action sent back");

    // edits
    action::changer(
        &conn,
        a("a1"),
        nouvelle(p("Kayes – Rhône-Alpes"), "a1", vec![nomme("D")]),
    )
    .unwrap();
    pareils(&monde, &tenu, "an action edited (places, domaine, dates)");
    action::ajouter_financement(
        &conn,
        a("a2"),
        argent(150_000, Devise::Eur, TypeFinancement::Decaissement),
    )
    .unwrap();
    pareils(&monde, &tenu, "money added");
    conn.execute(
        "DELETE FROM financement WHERE id = (SELECT min(id) FROM financement)",
        [],
    )
    .unwrap();
    pareils(&monde, &tenu, "money removed");
    for (titre, annee) in [("C – MRC", 2010), ("B – Angers", 2031)] {
        partenariat::ajouter_etape(
            &conn,
            p(titre),
            EtapeDatee {
                etape: Etape::JumelageCooperation,
                depuis: Date::from_ordinal_date(annee, 100).unwrap(),
                note: None,
            },
        )
        .unwrap();
    }
    pareils(&monde, &tenu, "étapes added, one in the past, one to come");
    partenariat::changer_champs(
        &conn,
        p("A – Angers"),
        "A – Angers",
        None,
        StatutPartenariat::EnVeille,
    )
    .unwrap();
    pareils(&monde, &tenu, "a partenariat gone to sleep");
    partenariat::ajouter_partie(&conn, p("C – MRC"), nomme("Angers")).unwrap();
    pareils(&monde, &tenu, "a party added");
    partenariat::retirer_partie(&conn, p("C – MRC"), nomme("Angers")).unwrap();
    pareils(&monde, &tenu, "a party removed");
    partenariat::confirmer(&conn, p("C – MRC"), D).unwrap();
    pareils(&monde, &tenu, "a confirmation");
    validation::archiver(&conn, Objet::Partenariat(p("Kayes – Rhône-Alpes")), admin).unwrap();
    pareils(&monde, &tenu, "a partenariat archived");
    validation::restaurer(&conn, Objet::Partenariat(p("Kayes – Rhône-Alpes")), admin).unwrap();
    pareils(&monde, &tenu, "a partenariat restored");
    validation::archiver(&conn, Objet::Action(a("a6")), admin).unwrap();
    pareils(&monde, &tenu, "an action archived");
    avec_resultats(&monde);
    pareils(&monde, &tenu, "results recorded");
    crate::store::resultat::remplacer(
        &conn,
        a("a2"),
        &[resultat(
            catalogue("GOU-01"),
            Some(40),
            &[(date!(2026 - 01 - 31), 50, Some(20), Some(30))],
        )],
    )
    .unwrap();
    pareils(&monde, &tenu, "results replaced");
    crate::store::resultat::remplacer(&conn, a("a1"), &[]).unwrap();
    pareils(&monde, &tenu, "results removed");

    // the exchange files: the money removed above comes back from an earlier export
    let dossier = tempfile::tempdir().unwrap();
    let export = dossier.path().join("registre");
    crate::interop::csv::exporter(
        &conn,
        &export,
        crate::interop::csv::Variante::Utf8,
        crate::interop::csv::Perimetre::Registre,
    )
    .unwrap();
    conn.execute("DELETE FROM financement WHERE action_id = ?1", [a("a2")])
        .unwrap();
    pareils(&monde, &tenu, "an action's money removed");
    let rapport = crate::interop::csv::importer(&conn, &[export], false).unwrap();
    assert!(rapport.ecritures() > 0, "the import wrote the money back");
    pareils(&monde, &tenu, "a CSV import");

    // an IATI activity placed in the Kayes région
    let iati = dossier.path().join("iati.xml");
    std::fs::write(
        &iati,
        r#"<iati-activities version="2.03"><iati-activity>
  <iati-identifier>XM-1-KAYES</iati-identifier>
  <reporting-org ref="XM-1" type="10"><narrative>Agence</narrative></reporting-org>
  <title><narrative xml:lang="fr">Puits à Kayes</narrative></title>
  <recipient-country code="ML"/>
  <location><name><narrative>Kayes</narrative></name><administrative vocabulary="A4" code="ML-1"/></location>
 </iati-activity></iati-activities>"#,
    )
    .unwrap();
    let resolveur = crate::referentiel::resolveur(&conn).unwrap();
    crate::interop::iati_import::importer(&conn, &resolveur, &[iati], &mut |_| {}).unwrap();
    pareils(&monde, &tenu, "an IATI import");
    assert_eq!(
        tenu.constructions(),
        1,
        "every change above was counted write by write"
    );

    // a new rate concerns every partenariat: everything is counted again
    apercu::ajouter_taux(&conn, Devise::Cad, date!(2020 - 01 - 01), 68, 100, "essai").unwrap();
    pareils(&monde, &tenu, "a new exchange rate");
    assert_eq!(tenu.constructions(), 2);
}
