//! Search, sort and the « non renseignée » filter of /partenariats and of its API, through a
//! real server over the demonstration database.

mod commun;

use benkan::model::{
    Devise, Etape, EtapeDatee, Montant, Niveau, NouveauFinancement, Pays, TypeFinancement,
};
use benkan::store::{action, financement, partenariat};
use commun::{Serveur, collectivite, par_code};
use time::macros::date;

/// The demonstration and thirty partenariats of Ségou with Saint-Étienne, « n° 01 » to « 30 ».
fn serveur_avec_segou() -> Serveur {
    let serveur = Serveur::demo();
    {
        let conn = serveur.conn();
        let segou = collectivite(&conn, "ML", Niveau::Commune, "Ségou", None);
        let etienne = collectivite(&conn, "FR", Niveau::Commune, "Saint-Étienne", None);
        for i in 1..=30 {
            commun::partenariat(&conn, &format!("Jumelage n° {i:02}"), &[segou, etienne]);
        }
    }
    serveur
}

/// The titles of the list's rows, in order.
fn titres(corps: &str) -> Vec<String> {
    corps
        .split("<a href=\"/partenariats/")
        .skip(1)
        .filter_map(|s| Some(s.split_once("\">")?.1.split_once("</a>")?.0.to_owned()))
        .collect()
}

#[test]
fn the_search_ignores_accents_and_case_and_keeps_the_query_across_pages() {
    let serveur = serveur_avec_segou();
    let page = serveur.get("/partenariats?q=SEGOU&tri=-nom");
    assert_eq!(page.statut, 200);
    assert!(
        page.corps
            .contains("30 partenariats correspondant aux filtres")
    );
    let lignes = titres(&page.corps);
    assert_eq!(lignes.len(), 25);
    assert_eq!(lignes[0], "Jumelage n° 30");
    // The words stay in the box, the order in its list, and both in the next page's link.
    assert!(page.corps.contains("name=\"q\" value=\"SEGOU\""));
    assert!(
        page.corps
            .contains("<option value=\"-nom\" selected>Nom, de Z à A</option>")
    );
    assert!(
        page.corps
            .contains("href=\"/partenariats?q=SEGOU&#38;tri=-nom&amp;page=2\""),
        "{}",
        page.corps
    );
    let suite = serveur.get("/partenariats?q=SEGOU&tri=-nom&page=2");
    assert_eq!(
        titres(&suite.corps),
        ["05", "04", "03", "02", "01"].map(|n| format!("Jumelage n° {n}"))
    );
    // A party's name with its accents, a word's start, and the demonstration's own names.
    assert_eq!(
        titres(&serveur.get("/partenariats?q=saint-etienne").corps).len(),
        25
    );
    assert_eq!(
        titres(&serveur.get("/partenariats?q=yelim").corps),
        ["Montreuil – Yélimané"]
    );
    let kayes = titres(&serveur.get("/partenariats?q=kayes").corps);
    assert_eq!(kayes.len(), 3, "{kayes:?}");
    assert!(kayes.contains(&"Évry – Kayes".to_owned()));
    assert_eq!(
        titres(&serveur.get("/partenariats?q=angers+bamako").corps),
        ["Bamako – Angers"]
    );
    let rien = serveur.get("/partenariats?q=tokyo");
    assert_eq!(rien.statut, 200);
    assert!(
        rien.corps
            .contains("Aucun partenariat ne correspond à ces filtres.")
    );
}

#[test]
fn the_list_sorts_by_money_and_etape_with_unknowns_last() {
    let serveur = Serveur::demo();
    {
        let conn = serveur.conn();
        let kayes = par_code(&conn, Pays::MALI, Niveau::Commune, "ML-1-KAYES-KAYES");
        let evry_kayes = partenariat::PartenariatQuery {
            zone: Some(kayes.id),
            ..partenariat::PartenariatQuery::new(date!(2026 - 01 - 01))
        }
        .lister(&conn)
        .unwrap()
        .elements[0]
            .partenariat
            .id;
        let a = action::creer(&conn, commun_puits(evry_kayes, kayes.id)).unwrap();
        conn.execute(
            "INSERT INTO acteur (nom, type_organisation) VALUES ('Fonds d''essai', '90')",
            [],
        )
        .unwrap();
        let source = benkan::model::ActeurId(conn.last_insert_rowid());
        financement::creer(
            &conn,
            NouveauFinancement {
                action: a,
                source,
                type_financement: TypeFinancement::Engagement,
                montant: Montant::new(25_000_000, Devise::Xof).unwrap(),
                annee: 2024,
            },
        )
        .unwrap();
        partenariat::ajouter_etape(
            &conn,
            evry_kayes,
            EtapeDatee {
                etape: Etape::JumelageCooperation,
                depuis: date!(1988 - 06 - 12),
                note: None,
            },
        )
        .unwrap();
    }
    for tri in ["-montant", "montant", "-etape", "etape", "-date", "date"] {
        let page = serveur.get(&format!("/partenariats?tri={tri}"));
        assert_eq!(page.statut, 200, "{tri}");
        let lignes = titres(&page.corps);
        assert_eq!(lignes.len(), 9, "{tri}");
        assert_eq!(lignes[0], "Évry – Kayes", "the only known one first: {tri}");
        // The unknowns follow by name.
        assert_eq!(lignes[1], "Bamako – Angers", "{tri}");
    }
    let page = serveur.get("/partenariats?tri=-date");
    assert!(
        page.corps
            .contains("Jumelage-coopération, depuis le 12 juin 1988")
    );
    // The étape « non renseignée » is a value of the filter.
    let sans = serveur.get("/partenariats?etape=non_renseignee");
    assert_eq!(sans.statut, 200);
    assert!(
        sans.corps
            .contains("8 partenariats correspondant aux filtres")
    );
    assert!(!titres(&sans.corps).contains(&"Évry – Kayes".to_owned()));
    assert!(
        sans.corps
            .contains("<option value=\"non_renseignee\" selected>Non renseignée</option>")
    );
    let api = serveur.get("/api/v1/partenariats?etape=non_renseignee&q=kayes&tri=-nom");
    assert_eq!(api.statut, 200);
    let json: serde_json::Value = serde_json::from_str(&api.corps).unwrap();
    assert_eq!(json["total"], 2, "{json}");
    assert_eq!(
        json["elements"][0]["titre"],
        "Région Nord-Pas-de-Calais – Région de Kayes"
    );
}

fn commun_puits(
    p: benkan::model::PartenariatId,
    lieu: benkan::model::CollectiviteId,
) -> benkan::model::NouvelleAction {
    benkan::model::NouvelleAction {
        partenariat: p,
        titre: "Puits".into(),
        description: None,
        axe: benkan::model::Axe::ServicesSociauxDeBase,
        domaine: benkan::model::Domaine::EauAssainissement,
        nature: benkan::model::Nature::Physique,
        statut: benkan::model::StatutAction::Prevue,
        periode: benkan::model::Periode::inconnue(),
        lieux: vec![lieu],
        points: Vec::new(),
        localites: Vec::new(),
    }
}

#[test]
fn bad_orders_and_filters_are_refused_in_french() {
    let serveur = Serveur::demo();
    let tri = serveur.get("/partenariats?tri=prix");
    assert_eq!(tri.statut, 400);
    assert!(tri.corps.contains("Paramètre « tri »"), "{}", tri.corps);
    assert!(tri.corps.contains("-montant"));
    let etape = serveur.get("/partenariats?etape=aucune");
    assert_eq!(etape.statut, 400);
    assert!(etape.corps.contains("non_renseignee"));
    let long = serveur.get(&format!("/partenariats?q={}", "a".repeat(201)));
    assert_eq!(long.statut, 400);
    assert!(
        long.corps
            .contains("la recherche fait plus de 200 caractères")
    );
    let api = serveur.get("/api/v1/partenariats?tri=prix");
    assert_eq!(api.statut, 400);
    assert!(api.corps.contains("Paramètre « tri »"), "{}", api.corps);
    // The OpenAPI document describes both new parameters.
    let openapi = serveur.get("/api/v1/openapi.json");
    assert!(openapi.corps.contains("\"-montant\""), "{}", openapi.corps);
    assert!(openapi.corps.contains("\"non_renseignee\""));
}
