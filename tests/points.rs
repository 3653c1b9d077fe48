//! The points of an action through the real server: typed in the form (good and bad lines,
//! nothing saved on a mistake, the edit form filled back), shown on the action's page and
//! map, journalled, counted for their commune; written and read back through the API.

mod commun;

use benkan::model::{Niveau, Pays};
use commun::api::{conforme, ecrire, jeton_cli, lire};
use commun::{MOT_DE_PASSE, Serveur, champ_refuse, nombre, par_code, paragraphe};
use serde_json::json;

/// The demo's « Évry – Kayes » partenariat.
fn evry_kayes(s: &Serveur) -> i64 {
    nombre(s, "SELECT id FROM partenariat WHERE titre = 'Évry – Kayes'")
}

#[test]
fn points_typed_in_the_form_are_checked_attached_shown_mapped_and_journalled() {
    let s = Serveur::demo();
    let (kayes, _, _) = commun::comptes_kayes_mopti(&s.conn());
    let kayes = kayes.0.to_string();
    let id = evry_kayes(&s);
    let (maire, csrf) = s.session("maire@kayes.ml", MOT_DE_PASSE);
    let chemin = format!("/espace/partenariats/{id}/actions/nouvelle");

    let formulaire = s.get_avec(&chemin, &maire);
    let champ = paragraphe(&formulaire.corps, "points");
    assert!(
        champ.contains("aria-describedby=\"aide-points\"") && !champ.contains("aria-invalid"),
        "{champ}"
    );
    assert!(formulaire.corps.contains(
        "<small id=\"aide-points\" class=\"note\">Un point par ligne : la latitude puis la longitude"
    ));

    let envoyer = |points: &str| {
        s.post(
            &chemin,
            Some(&maire),
            &[
                ("csrf", &csrf),
                ("titre", "Puits et école"),
                ("axe", "services_sociaux_de_base"),
                ("domaine", "eau_assainissement"),
                ("nature", "physique"),
                ("statut", "en_cours"),
                ("debut", "2024-03-01"),
                ("lieu", &kayes),
                ("points", points),
            ],
        )
    };
    let (actions, points) = (
        nombre(&s, "SELECT count(*) FROM action"),
        nombre(&s, "SELECT count(*) FROM action_point"),
    );
    let refus = envoyer("14,4485 ; -11,4389 ; puits de Kayes\r\n95 10\r\n\r\n14,11");
    assert_eq!(refus.statut, 422);
    let (champ, message) = champ_refuse(&refus.corps, "points");
    assert!(
        message.starts_with(
            "Ligne 2 : la latitude « 95 » n&#39;est pas un nombre de degrés entre -90 et 90 (sud négatif, nord positif). Ligne 4 : « 14,11 » n&#39;est pas un point : il manque la longitude"
        ),
        "{champ}"
    );
    assert!(
        champ.contains(">14,4485 ; -11,4389 ; puits de Kayes\r\n95 10"),
        "what was typed is kept: {champ}"
    );
    assert_eq!(
        (
            nombre(&s, "SELECT count(*) FROM action"),
            nombre(&s, "SELECT count(*) FROM action_point")
        ),
        (actions, points),
        "a mistake saves nothing"
    );

    let ok = envoyer("14,4485 ; -11,4389 ; puits de Kayes\r\n14.69, -17.44\r\n");
    assert_eq!(ok.statut, 303, "{}", ok.corps);
    let action = nombre(&s, "SELECT max(id) FROM action");
    let commune_kayes = par_code(&s.conn(), Pays::MALI, Niveau::Commune, "ML-1-KAYES-KAYES").id;
    let rattaches: Vec<(f64, f64, Option<String>, Option<i64>)> = s
        .conn()
        .prepare(
            "SELECT latitude, longitude, libelle, collectivite_id FROM action_point
             WHERE action_id = ?1 ORDER BY rang",
        )
        .unwrap()
        .query_map([action], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(
        rattaches,
        [
            (
                14.4485,
                -11.4389,
                Some("puits de Kayes".into()),
                Some(commune_kayes.0)
            ),
            (14.69, -17.44, None, None),
        ]
    );

    // The edit form gives them back as the exchange files write them, and reads them again.
    let edition = s.get_avec(&format!("/espace/actions/{action}"), &maire);
    assert!(
        paragraphe(&edition.corps, "points")
            .contains(">14.4485 -11.4389 ; puits de Kayes\n14.69 -17.44</textarea>"),
        "{}",
        paragraphe(&edition.corps, "points")
    );
    let modifiee = s.post(
        &format!("/espace/actions/{action}"),
        Some(&maire),
        &[
            ("csrf", &csrf),
            ("titre", "Puits et école"),
            ("axe", "services_sociaux_de_base"),
            ("domaine", "eau_assainissement"),
            ("nature", "physique"),
            ("statut", "en_cours"),
            ("debut", "2024-03-01"),
            ("lieu", &kayes),
            (
                "points",
                "14.4485 -11.4389 ; puits de Kayes\n14.69 -17.44\n14,4501° N, 11,4420° O ; école",
            ),
        ],
    );
    assert_eq!(modifiee.statut, 303, "{}", modifiee.corps);
    let (admin, csrf_admin) = s.session("admin@mdat.ml", MOT_DE_PASSE);
    s.post(
        &format!("/espace/validation/action/{action}"),
        Some(&admin),
        &[("csrf", &csrf_admin), ("decision", "valider")],
    );

    let page = s.get(&format!("/actions/{action}"));
    assert_eq!(page.statut, 200);
    assert!(
        page.corps.contains(&format!(
            "<li>puits de Kayes : 14,4485° N, 11,4389° O — <a href=\"/collectivites/{commune_kayes}\">Kayes</a>"
        )),
        "{}",
        page.corps
    );
    assert!(page.corps.contains(
        "<li>14,69° N, 17,44° O — <span class=\"inconnu\">hors du Mali : rattaché à aucune collectivité</span></li>"
    ));
    assert!(page.corps.contains("<li>école : 14,4501° N, 11,442° O — "));
    // On the map, the two points in Mali are red markers; Dakar is off the map. The
    // commune of Kayes, too small to see at the country's scale, has its own marker.
    assert_eq!(
        page.compte("r=\"14\" fill=\"#d7301f\""),
        2,
        "{}",
        page.corps
    );
    assert_eq!(page.compte("<circle "), 3, "{}", page.corps);
    assert!(page.corps.contains("<title>puits de Kayes</title>"));
    assert!(
        page.corps
            .contains("2 points en rouge : puits de Kayes, école.")
    );

    // Lists of actions count them after the places.
    let partenariat = s.get(&format!("/partenariats/{id}"));
    assert!(
        partenariat.corps.contains(&format!(
            "<td><a href=\"/collectivites/{kayes}\">Kayes</a>, 3 points</td>"
        )),
        "{}",
        partenariat.corps
    );

    let historique = s.get_avec(&format!("/espace/actions/{action}/historique"), &maire);
    assert!(
        historique
            .corps
            .contains("<li>Point ajouté : 14.4501 -11.442 ; école</li>"),
        "{}",
        historique.corps
    );

    // A commune the action only has a point in counts it among its actions.
    let bafoulabe = par_code(
        &s.conn(),
        Pays::MALI,
        Niveau::Commune,
        "ML-1-BAFOULABE-BAFOULABE",
    );
    let vue = lire(
        &s,
        &format!("/api/v1/actions?collectivite={}", bafoulabe.id),
    );
    assert!(
        !vue["elements"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["id"] == action),
        "not there before"
    );
    let (lat, lon) = bafoulabe_point();
    let ligne = format!("{lat} {lon} ; marché de Bafoulabé");
    let modifiee = s.post(
        &format!("/espace/actions/{action}"),
        Some(&admin),
        &[
            ("csrf", &csrf_admin),
            ("titre", "Puits et école"),
            ("axe", "services_sociaux_de_base"),
            ("domaine", "eau_assainissement"),
            ("nature", "physique"),
            ("statut", "en_cours"),
            ("debut", "2024-03-01"),
            ("lieu", &kayes),
            ("points", &ligne),
        ],
    );
    assert_eq!(modifiee.statut, 303, "{}", modifiee.corps);
    let vue = lire(
        &s,
        &format!("/api/v1/actions?collectivite={}", bafoulabe.id),
    );
    let trouvee = vue["elements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == action)
        .expect("the action concerns Bafoulabé through its point");
    assert_eq!(
        trouvee["points"],
        json!([{ "latitude": lat, "longitude": lon,
                 "libelle": "marché de Bafoulabé", "commune": "ML-1-BAFOULABE-BAFOULABE" }])
    );
}

/// The town of Bafoulabé (the COD localités' point).
fn bafoulabe_point() -> (f64, f64) {
    (13.8034, -10.8323)
}

#[test]
fn the_api_writes_points_and_reads_them_back_with_their_commune() {
    let s = Serveur::demo();
    commun::comptes_kayes_mopti(&s.conn());
    let jeton = jeton_cli(&s, "admin@mdat.ml");
    let id = evry_kayes(&s);
    let chemin = format!("/api/v1/partenariats/{id}/actions");
    let corps = |points: serde_json::Value| {
        json!({
            "titre": "Forage du marché", "axe": "services_sociaux_de_base",
            "domaine": "eau_assainissement", "nature": "physique", "statut": "en_cours",
            "debut": "2024-01-15", "points": points,
        })
    };
    let avant = nombre(&s, "SELECT count(*) FROM action");
    let refus = ecrire(
        &s,
        &chemin,
        Some(&jeton),
        &corps(json!([
            { "latitude": 14.4485, "longitude": -11.4389 },
            { "latitude": 14.4485, "longitude": 200 },
            { "latitude": "14,4", "longitude": -8, "hauteur": 3 },
        ])),
    );
    assert_eq!(refus.statut, 422);
    let message = refus.json()["message"].as_str().unwrap().to_owned();
    for attendu in [
        "« points[1].longitude » : la longitude « 200 » n'est pas un nombre de degrés entre -180 et 180",
        "champ « points[2].hauteur » inconnu",
        "champ « points[2].latitude » : \"14,4\" n'est pas admis ; un nombre de degrés décimaux est attendu",
    ] {
        assert!(message.contains(attendu), "{attendu} absent de {message}");
    }
    assert_eq!(
        nombre(&s, "SELECT count(*) FROM action"),
        avant,
        "nothing saved"
    );

    let cree = ecrire(
        &s,
        &chemin,
        Some(&jeton),
        &corps(json!([
            { "latitude": 14.448_512_345, "longitude": -11.4389, "libelle": "forage du marché" },
            { "latitude": 14.69, "longitude": -17.44, "libelle": null },
        ])),
    );
    assert_eq!(
        cree.statut,
        201,
        "{}",
        String::from_utf8_lossy(&cree.octets)
    );
    let lien = cree.entete("location").unwrap().to_owned();
    let fiche = lire(&s, &lien);
    assert_eq!(
        fiche["points"],
        json!([
            { "latitude": 14.448512, "longitude": -11.4389, "libelle": "forage du marché",
              "commune": "ML-1-KAYES-KAYES" },
            { "latitude": 14.69, "longitude": -17.44, "libelle": null, "commune": null },
        ]),
        "six decimals kept, each point with its commune"
    );
    // The shape is the documented one.
    let (doc, vus) = conforme(&s, "FicheAction", &fiche, &lien);
    assert!(vus.contains("Point"));
    let ecriture = &doc["components"]["schemas"]["DeclarationAction"]["properties"]["points"];
    assert_eq!(ecriture["maxItems"], 50);
    assert_eq!(ecriture["items"]["$ref"], "#/components/schemas/PointSaisi");
}
