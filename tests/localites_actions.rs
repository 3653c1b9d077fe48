//! The villages (localités) of an action through the real server: typed in the form by name
//! or P-code (a mistake saves nothing and keeps the text), shown on the action's page and
//! map, listed, journalled, counted for their commune, cercle and région in the overview;
//! written and read back through the API. (The CSV column is tested in tests/csv.rs, the
//! IATI `<location>` in tests/iati.rs, with the helpers of those files.)

mod commun;

use benkan::model::{Niveau, Pays};
use commun::api::{conforme, ecrire, jeton_cli, lire};
use commun::{MOT_DE_PASSE, Serveur, champ_refuse, nombre, par_code, paragraphe};
use serde_json::{Value, json};

/// The demo's « Évry – Kayes » partenariat, whose Malian party is the commune of Kayes.
fn evry_kayes(s: &Serveur) -> i64 {
    nombre(s, "SELECT id FROM partenariat WHERE titre = 'Évry – Kayes'")
}

/// The actions the overview counts for the unit of `code` in `liste` (`par_commune`…).
fn actions_comptees(apercu: &Value, liste: &str, code: &str) -> i64 {
    apercu[liste]
        .as_array()
        .unwrap()
        .iter()
        .find(|z| z["code"] == code)
        .map_or(0, |z| z["actions"].as_i64().unwrap())
}

/// The overview's counts for the commune, cercle and région of Kayes.
fn comptes_kayes(s: &Serveur) -> [i64; 3] {
    let apercu = lire(s, "/api/v1/apercu");
    [
        actions_comptees(&apercu, "par_commune", "ML-1-KAYES-KAYES"),
        actions_comptees(&apercu, "par_cercle", "ML-1-KAYES"),
        actions_comptees(&apercu, "par_region", "ML-1"),
    ]
}

/// The row of the overview's page that links to collectivité `id`.
fn ligne_apercu(s: &Serveur, chemin: &str, id: i64) -> String {
    let page = s.get(chemin);
    assert_eq!(page.statut, 200);
    let lien = format!("<tr><td><a href=\"/collectivites/{id}\">");
    let debut = page
        .corps
        .find(&lien)
        .unwrap_or_else(|| panic!("{lien} absent de {chemin}"));
    let fin = debut + page.corps[debut..].find("</tr>").unwrap();
    page.corps[debut..fin].to_owned()
}

#[test]
fn villages_typed_in_the_form_are_resolved_shown_mapped_counted_and_journalled() {
    let s = Serveur::demo();
    let (kayes, _, _) = commun::comptes_kayes_mopti(&s.conn());
    let cercle = par_code(&s.conn(), Pays::MALI, Niveau::Cercle, "ML-1-KAYES").id;
    let id = evry_kayes(&s);
    let (maire, csrf) = s.session("maire@kayes.ml", MOT_DE_PASSE);
    let chemin = format!("/espace/partenariats/{id}/actions/nouvelle");

    let formulaire = s.get_avec(&chemin, &maire);
    let champ = paragraphe(&formulaire.corps, "localites");
    assert!(
        formulaire
            .corps
            .contains("<label for=\"localites\">Localités (villages, facultatif)</label>")
    );
    assert!(
        champ.contains("aria-describedby=\"aide-localites\"") && !champ.contains("aria-invalid"),
        "{champ}"
    );

    let envoyer = |session: &str, csrf: &str, chemin: &str, localites: &str| {
        s.post(
            chemin,
            Some(session),
            &[
                ("csrf", csrf),
                ("titre", "Latrines des quartiers"),
                ("axe", "services_sociaux_de_base"),
                ("domaine", "eau_assainissement"),
                ("nature", "physique"),
                ("statut", "en_cours"),
                ("debut", "2024-03-01"),
                ("localites", localites),
            ],
        )
    };
    let avant = (
        nombre(&s, "SELECT count(*) FROM action"),
        nombre(&s, "SELECT count(*) FROM action_localite"),
    );
    // Worofara lies in the commune of Sanankoro Djitoumou, far from Kayes.
    let refus = envoyer(
        &maire,
        &csrf,
        &chemin,
        "Plateau\r\nWorofara\r\n\r\nML099999999",
    );
    assert_eq!(refus.statut, 422);
    let (champ, message) = champ_refuse(&refus.corps, "localites");
    assert!(
        message.starts_with(
            "« Worofara » : aucun village de ce nom dans la commune de Kayes ; écrivez son nom comme au recensement ou son code P (ML…)"
        ),
        "{champ}"
    );
    assert!(
        message.contains(
            "hors de ce territoire : Worofara (commune de Sanankoro Djitoumou, ML020530035)"
        ),
        "{message}"
    );
    assert!(
        message
            .contains("« ML099999999 » : aucun village du Mali ne porte le code P « ML099999999 »"),
        "{message}"
    );
    assert!(
        champ.contains(">Plateau\r\nWorofara\r\n\r\nML099999999</textarea>"),
        "what was typed is kept: {champ}"
    );
    assert_eq!(
        (
            nombre(&s, "SELECT count(*) FROM action"),
            nombre(&s, "SELECT count(*) FROM action_localite")
        ),
        avant,
        "a mistake saves nothing"
    );

    let comptes_avant = comptes_kayes(&s);
    let ligne_avant = ligne_apercu(&s, "/apercu?niveau=cercle", cercle.0);
    let ok = envoyer(&maire, &csrf, &chemin, "Plateau\r\nML010112004\r\n");
    assert_eq!(ok.statut, 303, "{}", ok.corps);
    let action = nombre(&s, "SELECT max(id) FROM action");
    let villages: Vec<(String, i64)> = s
        .conn()
        .prepare(
            "SELECT l.pcode, l.collectivite_id FROM action_localite a
             JOIN localite l ON l.id = a.localite_id WHERE a.action_id = ?1 ORDER BY l.pcode",
        )
        .unwrap()
        .query_map([action], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(
        villages,
        [
            ("ML010112004".into(), kayes.0),
            ("ML010112005".into(), kayes.0)
        ]
    );
    assert_eq!(
        comptes_kayes(&s),
        comptes_avant,
        "not counted before it is validated"
    );

    let (admin, csrf_admin) = s.session("admin@mdat.ml", MOT_DE_PASSE);
    s.post(
        &format!("/espace/validation/action/{action}"),
        Some(&admin),
        &[("csrf", &csrf_admin), ("decision", "valider")],
    );
    // Through its villages only, the action counts for Kayes, its cercle and its région.
    assert_eq!(comptes_kayes(&s), comptes_avant.map(|n| n + 1));
    let ligne_apres = ligne_apercu(&s, "/apercu?niveau=cercle", cercle.0);
    assert_ne!(ligne_avant, ligne_apres);
    assert!(
        ligne_apres.contains(&format!("<td>{}</td>", comptes_avant[1] + 1)),
        "{ligne_avant}\n{ligne_apres}"
    );

    let page = s.get(&format!("/actions/{action}"));
    assert_eq!(page.statut, 200);
    for (nom, pcode) in [("Liberte", "ML010112004"), ("Plateau", "ML010112005")] {
        assert!(
            page.corps.contains(&format!(
                "<li>{nom} <span class=\"note\">({pcode})</span> — <a href=\"/collectivites/{kayes}\">Kayes</a>"
            )),
            "{}",
            page.corps
        );
        assert!(page.corps.contains(&format!("<title>{nom}</title>")));
    }
    // On the map, the two villages are markers.
    assert_eq!(page.compte("<circle "), 2, "{}", page.corps);

    // Lists of actions name them after the places; the cercle's page lists the action.
    let partenariat = s.get(&format!("/partenariats/{id}"));
    assert!(
        partenariat.corps.contains(&format!(
            "<td><a href=\"/actions/{action}\">Latrines des quartiers</a></td>"
        )) && partenariat.corps.contains("<td>Liberte, Plateau</td>"),
        "{}",
        partenariat.corps
    );
    let page_cercle = s.get(&format!("/collectivites/{cercle}"));
    assert!(
        page_cercle
            .corps
            .contains(&format!("<a href=\"/actions/{action}\">")),
        "{}",
        page_cercle.corps
    );

    // The edit form gives them back as « Nom (P-code) », which reads back the same villages.
    let edition = s.get_avec(&format!("/espace/actions/{action}"), &admin);
    let champ = paragraphe(&edition.corps, "localites");
    assert!(
        champ.contains(">Liberte (ML010112004)\nPlateau (ML010112005)</textarea>"),
        "{champ}"
    );
    let chemin_action = format!("/espace/actions/{action}");
    let meme = envoyer(
        &admin,
        &csrf_admin,
        &chemin_action,
        "Liberte (ML010112004)\nPlateau (ML010112005)",
    );
    assert_eq!(meme.statut, 303, "{}", meme.corps);
    let moins = envoyer(&admin, &csrf_admin, &chemin_action, "Plateau (ML010112005)");
    assert_eq!(moins.statut, 303, "{}", moins.corps);
    let historique = s.get_avec(&format!("/espace/actions/{action}/historique"), &admin);
    assert!(
        historique
            .corps
            .contains("<li>Localité retirée : Liberte (ML010112004)</li>"),
        "{}",
        historique.corps
    );
    assert!(
        historique
            .corps
            .contains("<li>Localité ajoutée : Plateau (ML010112005)</li>"),
        "the creation lists them: {}",
        historique.corps
    );
}

#[test]
fn the_api_writes_villages_by_p_code_and_reads_them_back_with_their_commune() {
    let s = Serveur::demo();
    let (kayes, _, _) = commun::comptes_kayes_mopti(&s.conn());
    let cercle = par_code(&s.conn(), Pays::MALI, Niveau::Cercle, "ML-1-KAYES").id;
    let jeton = jeton_cli(&s, "admin@mdat.ml");
    let id = evry_kayes(&s);
    let chemin = format!("/api/v1/partenariats/{id}/actions");
    let corps = |localites: Value| {
        json!({
            "titre": "Latrines du Plateau", "axe": "services_sociaux_de_base",
            "domaine": "eau_assainissement", "nature": "physique", "statut": "en_cours",
            "localites": localites,
        })
    };
    let avant = nombre(&s, "SELECT count(*) FROM action");
    let refus = ecrire(
        &s,
        &chemin,
        Some(&jeton),
        &corps(json!(["ML099999999", 12, "ML020530035", "Plateau"])),
    );
    assert_eq!(refus.statut, 422);
    let message = refus.json()["message"].as_str().unwrap().to_owned();
    for attendu in [
        "« localites[0] » : aucun village du Mali ne porte le code P « ML099999999 »",
        "« localites[1] » : 12 n'est pas admis ; un code P (texte, « ML » et neuf chiffres) est attendu",
        "« localites[2] » : Worofara (commune de Sanankoro Djitoumou, ML020530035) n'est pas dans la commune de Kayes, le territoire du partenariat",
        "« localites[3] » : « Plateau » n'est pas le P-code d'une localité du Mali",
    ] {
        assert!(message.contains(attendu), "{attendu} absent de {message}");
    }
    let pas_un_tableau = ecrire(&s, &chemin, Some(&jeton), &corps(json!("ML010112005")));
    assert_eq!(pas_un_tableau.statut, 422);
    assert_eq!(
        nombre(&s, "SELECT count(*) FROM action"),
        avant,
        "nothing saved"
    );

    let cree = ecrire(
        &s,
        &chemin,
        Some(&jeton),
        &corps(json!(["ML010112005", "ML010112005"])),
    );
    assert_eq!(
        cree.statut,
        201,
        "{}",
        String::from_utf8_lossy(&cree.octets)
    );
    let lien = cree.entete("location").unwrap().to_owned();
    let fiche = lire(&s, &lien);
    let plateau = json!([{ "pcode": "ML010112005", "nom": "Plateau", "commune_id": kayes.0,
                           "longitude": -11.43195, "latitude": 14.43955 }]);
    assert_eq!(fiche["localites"], plateau, "listed twice, kept once");
    // The action concerns the cercle through its village only.
    let liste = lire(
        &s,
        &format!("/api/v1/actions?collectivite={cercle}&par_page=100"),
    );
    let trouvee = liste["elements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == fiche["id"])
        .expect("the action concerns the cercle of Kayes through its village");
    assert_eq!(trouvee["localites"], plateau);

    // The shapes are the documented ones.
    let (doc, vus) = conforme(&s, "FicheAction", &fiche, &lien);
    assert!(vus.contains("Localite"));
    let ecriture = &doc["components"]["schemas"]["DeclarationAction"]["properties"]["localites"];
    assert_eq!(ecriture["maxItems"], 50);
    assert_eq!(ecriture["items"]["pattern"], "^ML[0-9]{9}$");
}
