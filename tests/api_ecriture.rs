//! The JSON API's writes against the real server: personal tokens (web page and CLI), the
//! contributors' rights, review and journal, bodies checked field by field.

mod commun;

use std::collections::BTreeSet;

use benkan::model::{CollectiviteId, Pays};
use commun::api::*;
use commun::{Serveur, par_code};

#[test]
fn writes_follow_the_contributors_rights_and_review() {
    let d = donnees();
    let s = &d.s;
    let doc = lire(s, "/api/v1/openapi.json");
    let mut v = Validateur {
        doc: &doc,
        erreurs: vec![],
        vus: BTreeSet::new(),
    };
    let conn = s.conn();
    let kayes = par_code(
        &conn,
        Pays::MALI,
        benkan::model::Niveau::Commune,
        "ML-1-KAYES-KAYES",
    )
    .id;
    let angers: i64 = lire(s, "/api/v1/partenariats/1")["parties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["pays"] == "FR")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let hash = benkan::acces::hacher("une longue phrase de passe").unwrap();
    let compte = |email: &str, role, collectivites: &[CollectiviteId]| {
        benkan::store::compte::creer(
            &conn,
            &benkan::model::Email::new(email).unwrap(),
            &hash,
            role,
            collectivites,
            &[],
        )
        .unwrap()
    };
    let maire = compte(
        "maire@kayes.ml",
        benkan::model::Role::Collectivite,
        &[kayes],
    );
    compte("lecteur@exemple.ml", benkan::model::Role::Lecteur, &[]);
    compte(
        "admin@mdat.gouv.ml",
        benkan::model::Role::AdminNational,
        &[],
    );
    let jeton_maire = jeton_cli(s, "maire@kayes.ml");
    let jeton_lecteur = jeton_cli(s, "lecteur@exemple.ml");
    // The administrator makes a token on the web page, where it is shown once.
    let (session, csrf) = s.session("admin@mdat.gouv.ml", "une longue phrase de passe");
    let page = s.post(
        "/espace/jetons",
        Some(&session),
        &[("csrf", &csrf), ("nom", "script du ministère")],
    );
    assert_eq!(page.statut, 200);
    let debut = page.corps.find("<code id=\"jeton\">").unwrap() + "<code id=\"jeton\">".len();
    let jeton_admin = page.corps[debut..debut + 64].to_owned();
    assert!(page.corps.contains("script du ministère"));
    let sans_csrf = s.post("/espace/jetons", Some(&session), &[("nom", "x")]);
    assert_eq!(sans_csrf.statut, 403);

    let declaration = serde_json::json!({
        "titre": "Kayes – Angers",
        "description": "Déclaré par l'API",
        "partie_malienne": kayes.0,
        "partenaire": angers,
    });
    v.valider(
        &serde_json::json!({ "$ref": "#/components/schemas/DeclarationPartenariat" }),
        &declaration,
        "requête",
    );
    // Without a valid token: 401.
    let r = ecrire(s, "/api/v1/partenariats", None, &declaration);
    assert_eq!(
        (r.statut, r.json()["error"].as_str()),
        (401, Some("non_authentifie"))
    );
    assert!(r.entete("www-authenticate").unwrap().starts_with("Bearer"));
    let r = ecrire(
        s,
        "/api/v1/partenariats",
        Some(&"0".repeat(64)),
        &declaration,
    );
    assert_eq!(r.statut, 401);
    // A reader may not declare; an authority not for another's collectivité.
    let r = ecrire(
        s,
        "/api/v1/partenariats",
        Some(&jeton_lecteur),
        &declaration,
    );
    assert_eq!(
        (r.statut, r.json()["error"].as_str()),
        (403, Some("interdit"))
    );
    let mut pour_bamako = declaration.clone();
    pour_bamako["partie_malienne"] = d.bamako.0.into();
    let r = ecrire(s, "/api/v1/partenariats", Some(&jeton_maire), &pour_bamako);
    assert_eq!(r.statut, 403);
    assert!(r.json()["message"].as_str().unwrap().contains("Bamako"));
    // A wrong body: every field named at once, nothing written.
    let avant: i64 = conn
        .query_row("SELECT count(*) FROM partenariat", [], |r| r.get(0))
        .unwrap();
    let r = ecrire(
        s,
        "/api/v1/partenariats",
        Some(&jeton_maire),
        &serde_json::json!({ "titre": 3, "statut": "eternel", "partenaire": "Angers", "pays": "FR" }),
    );
    assert_eq!(
        (r.statut, r.json()["error"].as_str()),
        (422, Some("corps_invalide"))
    );
    let message = r.json()["message"].as_str().unwrap().to_owned();
    for mot in [
        "« titre »",
        "« statut »",
        "eternel",
        "« partie_malienne » manquant",
        "« partenaire »",
        "« pays » inconnu",
    ] {
        assert!(message.contains(mot), "« {message} » lacks {mot}");
    }
    let r = ecrire(
        s,
        "/api/v1/partenariats",
        Some(&jeton_maire),
        &serde_json::json!([1]),
    );
    assert_eq!(
        (r.statut, r.json()["error"].as_str()),
        (400, Some("corps_illisible"))
    );
    let mut malien = declaration.clone();
    malien["partenaire"] = d.bamako.0.into();
    let r = ecrire(s, "/api/v1/partenariats", Some(&jeton_maire), &malien);
    assert_eq!(r.statut, 422);
    assert!(r.json()["message"].as_str().unwrap().contains("étrangère"));
    let apres: i64 = conn
        .query_row("SELECT count(*) FROM partenariat", [], |r| r.get(0))
        .unwrap();
    assert_eq!(apres, avant, "nothing written by refused requests");

    // The authority's declaration waits for validation: not public, journalled.
    let r = ecrire(s, "/api/v1/partenariats", Some(&jeton_maire), &declaration);
    assert_eq!(r.statut, 201, "{}", String::from_utf8_lossy(&r.octets));
    let cree = r.json();
    v.valider(
        &serde_json::json!({ "$ref": "#/components/schemas/Cree" }),
        &cree,
        "201",
    );
    assert_eq!(cree["validation"], "soumis");
    let id = cree["id"].as_i64().unwrap();
    assert_eq!(
        r.entete("location"),
        Some(format!("/api/v1/partenariats/{id}").as_str())
    );
    assert_eq!(
        requete(s, "GET", &format!("/api/v1/partenariats/{id}"), &[]).statut,
        404
    );
    assert_eq!(lire(s, "/api/v1/partenariats")["total"], 9);
    let (auteur, operation): (i64, String) = conn
        .query_row(
            "SELECT compte_id, operation FROM journal WHERE objet = 'partenariat' AND objet_id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((auteur, operation.as_str()), (maire.0, "creation"));
    let espace = s.get_avec("/espace/validation", &session);
    assert!(
        espace.corps.contains("Kayes – Angers"),
        "in the administrators' queue"
    );

    // An action with its money, on the new partenariat.
    let mut action = une_action("Forage du marché", kayes.0, 5_000_000);
    action["points"] = serde_json::json!([{ "latitude": 14.4485, "longitude": -11.4389, "libelle": "forage du marché" }]);
    v.valider(
        &serde_json::json!({ "$ref": "#/components/schemas/DeclarationAction" }),
        &action,
        "requête",
    );
    let r = ecrire(
        s,
        &format!("/api/v1/partenariats/{id}/actions"),
        Some(&jeton_maire),
        &action,
    );
    assert_eq!(r.statut, 201, "{}", String::from_utf8_lossy(&r.octets));
    let nouvelle = r.json()["id"].as_i64().unwrap();
    assert_eq!(r.json()["validation"], "soumis");
    let commune_du_point: i64 = conn
        .query_row(
            "SELECT collectivite_id FROM action_point WHERE action_id = ?1",
            [nouvelle],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(commune_du_point, kayes.0, "the point is attached to Kayes");
    let (montant, validation): (i64, String) = conn
        .query_row(
            "SELECT f.montant, a.validation FROM financement f JOIN action a ON a.id = f.action_id WHERE a.id = ?1",
            [nouvelle],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((montant, validation.as_str()), (5_000_000, "soumis"));
    let r = ecrire(
        s,
        "/api/v1/partenariats/1/actions",
        Some(&jeton_maire),
        &action,
    );
    assert_eq!(r.statut, 403, "Bamako – Angers is not the maire's");
    let r = ecrire(
        s,
        "/api/v1/partenariats/999999/actions",
        Some(&jeton_maire),
        &action,
    );
    assert_eq!(r.statut, 404);
    let mut mauvaise = action.clone();
    mauvaise["axe"] = "jardinage".into();
    mauvaise["lieux"] = serde_json::json!([d.bamako.0]);
    mauvaise["financement"]["montant"]["unites_mineures"] = (-1).into();
    mauvaise.as_object_mut().unwrap().remove("titre");
    let r = ecrire(
        s,
        &format!("/api/v1/partenariats/{id}/actions"),
        Some(&jeton_maire),
        &mauvaise,
    );
    assert_eq!(r.statut, 422);
    let message = r.json()["message"].as_str().unwrap().to_owned();
    for mot in [
        "« titre » manquant",
        "jardinage",
        &format!("{} n'est pas un lieu possible", d.bamako.0),
        "financement.montant.unites_mineures",
    ] {
        assert!(message.contains(mot), "« {message} » lacks {mot}");
    }

    // Money added by the authority sends the public action back to review.
    let argent = serde_json::json!({
        "type": "decaissement",
        "montant": { "unites_mineures": 150_000, "devise": "EUR" },
        "annee": 2024,
        "source": "Ville d'Évry-Courcouronnes",
        "type_source": "11"
    });
    v.valider(
        &serde_json::json!({ "$ref": "#/components/schemas/NouveauFinancement" }),
        &argent,
        "requête",
    );
    let chemin = format!("/api/v1/actions/{}/financements", d.action_kayes);
    let r = ecrire(s, &chemin, Some(&jeton_maire), &argent);
    assert_eq!(r.statut, 201, "{}", String::from_utf8_lossy(&r.octets));
    v.valider(
        &serde_json::json!({ "$ref": "#/components/schemas/FinancementAjoute" }),
        &r.json(),
        "201",
    );
    assert_eq!(r.json()["a_revalider"], true);
    assert_eq!(
        requete(
            s,
            "GET",
            &format!("/api/v1/actions/{}", d.action_kayes),
            &[]
        )
        .statut,
        404
    );
    let r = ecrire(
        s,
        &format!("/api/v1/actions/{}/financements", d.action_bamako),
        Some(&jeton_maire),
        &argent,
    );
    assert_eq!(r.statut, 403);
    let r = ecrire(
        s,
        "/api/v1/actions/999999/financements",
        Some(&jeton_maire),
        &argent,
    );
    assert_eq!(r.statut, 404);

    // A national administrator's writes are validated at once, and public.
    let r = ecrire(s, "/api/v1/partenariats", Some(&jeton_admin), &declaration);
    assert_eq!(r.statut, 201);
    assert_eq!(r.json()["validation"], "valide");
    let lien = r.entete("location").unwrap().to_owned();
    assert_eq!(lire(s, &lien)["titre"], "Kayes – Angers");
    let r = ecrire(s, &chemin, Some(&jeton_admin), &argent);
    assert_eq!(r.json()["a_revalider"], false);
    assert!(v.erreurs.is_empty(), "{:#?}", v.erreurs);
    let vus: Vec<&str> = SCHEMAS_ECRITURE
        .iter()
        .copied()
        .filter(|n| !v.vus.contains(*n))
        .collect();
    assert!(vus.is_empty(), "write schemas never checked: {vus:?}");

    // A revoked token is refused.
    let jetons = s.get_avec("/espace/jetons", &session);
    let debut = jetons.corps.find("/espace/jetons/").unwrap() + "/espace/jetons/".len();
    let numero: String = jetons.corps[debut..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let r = s.post(
        &format!("/espace/jetons/{numero}/revoquer"),
        Some(&session),
        &[("csrf", &csrf)],
    );
    assert_eq!(r.statut, 303);
    assert!(
        s.get_avec("/espace/jetons", &session)
            .corps
            .contains("révoqué le")
    );
    let r = ecrire(s, "/api/v1/partenariats", Some(&jeton_admin), &declaration);
    assert_eq!(r.statut, 401);
}

#[test]
fn tokens_tried_in_bulk_are_refused_for_a_while() {
    let s = Serveur::demo();
    let corps = serde_json::json!({});
    for essai in 0..10 {
        let r = ecrire(
            &s,
            "/api/v1/partenariats",
            Some(&format!("{essai:064}")),
            &corps,
        );
        assert_eq!(r.statut, 401, "try {essai}");
    }
    let r = ecrire(&s, "/api/v1/partenariats", Some(&"f".repeat(64)), &corps);
    assert_eq!(
        (r.statut, r.json()["error"].as_str()),
        (429, Some("trop_de_requetes"))
    );
    assert_eq!(r.entete("retry-after"), Some("900"));
    assert!(r.json()["message"].as_str().unwrap().contains("15 minutes"));
    // Reads stay open.
    assert_eq!(requete(&s, "GET", "/api/v1/partenariats", &[]).statut, 200);
}
