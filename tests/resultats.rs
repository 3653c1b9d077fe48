//! Declaring what an action produced, through the real forms: a result, a measured value,
//! the review, the public page's table and progress bar, bad input and rights.

mod commun;

use benkan::model::{Axe, Domaine, Nature};
use commun::{MOT_DE_PASSE, nombre};

fn monde() -> commun::ActionDeKayes {
    commun::action_de_kayes(
        "Formation des élus",
        (
            Axe::AppuiInstitutionnel,
            Domaine::GouvernanceLocale,
            Nature::Institutionnelle,
        ),
    )
}

#[test]
fn an_authority_declares_a_result_and_the_public_sees_its_progress_once_validated() {
    let m = monde();
    let s = &m.serveur;
    let page = format!("/espace/actions/{}/resultats", m.action);
    let (maire, csrf) = s.session("maire@kayes.ml", MOT_DE_PASSE);
    let formulaire = s.get_avec(&page, &maire);
    assert_eq!(formulaire.statut, 200);
    assert!(formulaire.corps.contains("Aucun résultat déclaré"));
    assert!(formulaire.corps.contains("value=\"GOU-01\""));

    let ajoute = s.post(
        &page,
        Some(&maire),
        &[
            ("csrf", &csrf),
            ("operation", "ajouter"),
            ("indicateur", "GOU-01"),
            ("base", "0"),
            ("base_date", "2023-01-01"),
            ("cible", "40"),
        ],
    );
    assert_eq!(ajoute.statut, 303, "{}", ajoute.corps);
    let mesure = s.post(
        &page,
        Some(&maire),
        &[
            ("csrf", &csrf),
            ("operation", "mesurer"),
            ("rang", "0"),
            ("debut", "2024-01-01"),
            ("fin", "2024-12-31"),
            ("valeur", "30"),
            ("femmes", "12"),
            ("hommes", "18"),
            ("source", "Rapport annuel 2024"),
        ],
    );
    assert_eq!(mesure.statut, 303, "{}", mesure.corps);
    assert_eq!(
        nombre(
            s,
            &format!(
                "SELECT count(*) FROM action WHERE id = {} AND validation = 'soumis'",
                m.action
            )
        ),
        1,
        "an authority's change goes back to review"
    );
    let declare = s.get_avec(&format!("{page}?fait=mesure"), &maire);
    assert!(declare.corps.contains("Mesure enregistrée."));
    assert!(declare.corps.contains("30 personnes"));
    // the history says what changed
    let historique = s.get_avec(&format!("/espace/actions/{}/historique", m.action), &maire);
    assert!(
        historique
            .corps
            .contains("Résultat ajouté : Élus et agents formés"),
        "{}",
        historique.corps
    );

    let (admin, csrf_admin) = s.session("admin@mdat.ml", MOT_DE_PASSE);
    let valide = s.post(
        &format!("/espace/validation/action/{}", m.action),
        Some(&admin),
        &[("csrf", &csrf_admin), ("decision", "valider")],
    );
    assert_eq!(valide.statut, 303);
    let publique = s.get(&format!("/actions/{}", m.action));
    assert_eq!(publique.statut, 200);
    let corps = &publique.corps;
    assert!(corps.contains("<h2 id=\"resultats\">Résultats</h2>"));
    assert!(corps.contains("Élus et agents formés"));
    assert!(corps.contains("40 personnes"), "the target");
    assert!(corps.contains("30 personnes"), "what was achieved");
    assert!(
        corps.contains(
            "<meter min=\"0\" max=\"1000\" low=\"500\" high=\"999\" optimum=\"1000\" value=\"750\""
        ),
        "{corps}"
    );
    assert!(corps.contains("75\u{202f}%"));
    assert!(corps.contains("12 femmes, 18 hommes"));
    assert!(corps.contains("source : Rapport annuel 2024"));

    // The commune's page adds up its actions' results. A second action there trained 10
    // more people, with no target: by hand, 30 + 10 = 40 achieved, 40 targeted, and 30 of 40
    // (75 %) for the one action with a target.
    let conn = s.conn();
    let (partenariat, domaine): (i64, String) = conn
        .query_row(
            "SELECT partenariat_id, domaine FROM action WHERE id = ?1",
            [m.action],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(domaine, "gouvernance_locale");
    let seconde = commun::action(
        &conn,
        benkan::model::PartenariatId(partenariat),
        "Formation des secrétaires",
        (
            Axe::AppuiInstitutionnel,
            Domaine::GouvernanceLocale,
            Nature::Institutionnelle,
        ),
        vec![benkan::model::CollectiviteId(m.kayes)],
    );
    benkan::store::resultat::remplacer(
        &conn,
        seconde,
        &[benkan::model::NouveauResultat {
            indicateur: "GOU-01".into(),
            periodes: vec![benkan::model::NouvellePeriode {
                debut: Some(time::macros::date!(2025 - 01 - 01)),
                fin: Some(time::macros::date!(2025 - 03 - 31)),
                valeur: "10".into(),
                femmes: "6".into(),
                hommes: "4".into(),
                ..Default::default()
            }],
            ..Default::default()
        }
        .valider(true)
        .unwrap()],
    )
    .unwrap();
    drop(conn);
    let commune = s.get(&format!("/collectivites/{}", m.kayes)).corps;
    let section = &commune[commune.find("id=\"realisations\"").unwrap()..];
    let section = &section[..section.find("<h2>Financements</h2>").unwrap()];
    assert!(section.contains("<td data-titre=\"Indicateur\">Élus et agents formés</td><td data-titre=\"Actions\" class=\"nombre\">2</td>"), "{section}");
    assert!(
        section.contains("40 personnes <span class=\"niveau\">(dont 18 femmes, 22 hommes)</span>"),
        "{section}"
    );
    assert!(section.contains("value=\"750\""), "{section}");
    assert!(section.contains("75\u{202f}%"), "{section}");

    // the JSON API says the same, in the documented shape
    let chemin = format!("/api/v1/actions/{}", m.action);
    let fiche = commun::api::lire(s, &chemin);
    assert_eq!(
        fiche["resultats"],
        serde_json::json!([{
            "indicateur": "GOU-01", "libelle": "Élus et agents formés", "unite": "personnes",
            "base": { "valeur": "0", "date": "2023-01-01" },
            "cible": { "valeur": "40", "date": null },
            "atteint": "30",
            "periodes": [{ "debut": "2024-01-01", "fin": "2024-12-31", "valeur": "30",
                           "femmes": 12, "hommes": 18, "commentaire": null,
                           "source": "Rapport annuel 2024" }],
        }])
    );
    let (_, vus) = commun::api::conforme(s, "FicheAction", &fiche, &chemin);
    assert!(vus.contains("Resultat"), "{vus:?}");

    // The overview adds both to the country's total (30 + 10 people, 12 + 6 women, 18 + 4
    // men; the one target 40, reached at 30 by its action), and its line leads to them.
    let apercu: serde_json::Value = serde_json::from_str(&s.get("/apercu.json").corps).unwrap();
    let gou = apercu["realisations"]["indicateurs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["code"] == "GOU-01")
        .cloned()
        .unwrap();
    use serde_json::json;
    assert_eq!(
        (
            &gou["valeur"],
            &gou["femmes"],
            &gou["hommes"],
            &gou["actions_mesurees"]
        ),
        (&json!(40.0), &json!(18), &json!(22), &json!(2))
    );
    assert_eq!(
        (
            &gou["cible"],
            &gou["atteint"],
            &gou["progression"],
            &gou["part_femmes"]
        ),
        (&json!(40.0), &json!(30.0), &json!(0.75), &json!(0.45))
    );
    let liste = s.get(gou["lien"].as_str().unwrap());
    assert_eq!(liste.statut, 200);
    for id in [m.action, seconde.0] {
        assert!(
            liste.corps.contains(&format!("href=\"/actions/{id}\"")),
            "{}",
            liste.corps
        );
    }
    assert!(liste.corps.contains("2 actions"));
    let api = commun::api::lire(s, "/api/v1/actions?indicateur=GOU-01");
    assert_eq!(api["total"], 2);
    let aucune = s.get("/actions?indicateur=EAU-01");
    assert!(aucune.corps.contains("Aucune action ne correspond."));
    for (chemin, statut, attendu) in [
        ("/actions?indicateur=EAU-99", 400, "le code « EAU-99 »"),
        ("/actions?zone=abc", 400, "Paramètre « zone » : « abc »"),
        (
            "/actions?zone=999999",
            404,
            "Aucune collectivité ne porte le numéro 999999",
        ),
        ("/actions?axe=rien", 400, "axe"),
    ] {
        let r = s.get(chemin);
        assert_eq!(r.statut, statut, "{chemin}");
        assert!(r.corps.contains(attendu), "{chemin}: {}", r.corps);
    }
}

#[test]
fn bad_input_is_refused_naming_the_field_and_changes_nothing() {
    let m = monde();
    let s = &m.serveur;
    let page = format!("/espace/actions/{}/resultats", m.action);
    let (maire, csrf) = s.session("maire@kayes.ml", MOT_DE_PASSE);
    let envoyer = |champs: &[(&str, &str)]| {
        let mut tous = vec![("csrf", csrf.as_str())];
        tous.extend_from_slice(champs);
        s.post(&page, Some(&maire), &tous)
    };
    assert_eq!(
        envoyer(&[
            ("operation", "ajouter"),
            ("indicateur", "EAU-01"),
            ("cible", "12")
        ])
        .statut,
        303
    );
    let avant = nombre(s, "SELECT count(*) FROM resultat")
        + nombre(s, "SELECT count(*) FROM resultat_periode");
    for (champs, attendu) in [
        (
            vec![
                ("operation", "ajouter"),
                ("indicateur", "EAU-01"),
                ("cible", "-3"),
            ],
            "pas une valeur en nombre pour le champ « cible »",
        ),
        (
            vec![
                ("operation", "ajouter"),
                ("indicateur", "PIS-01"),
                ("cible", "12,55"),
            ],
            "au plus 1 chiffre(s) après la virgule",
        ),
        (
            vec![
                ("operation", "ajouter"),
                ("indicateur", "EAU-01"),
                ("base", "3"),
            ],
            "demande aussi sa date",
        ),
        (
            vec![
                ("operation", "ajouter"),
                ("indicateur", ""),
                ("libelle", ""),
                ("unite", "nombre"),
            ],
            "Remplissez le champ « Indicateur propre à l&#39;action »",
        ),
        (
            vec![
                ("operation", "ajouter"),
                ("indicateur", "GOU-03"),
                ("cible", "120"),
            ],
            "dépasse le maximum de l&#39;unité %",
        ),
        (
            vec![
                ("operation", "mesurer"),
                ("rang", "0"),
                ("debut", "2024-06-01"),
                ("fin", "2024-01-01"),
                ("valeur", "2"),
            ],
            "précède le début",
        ),
        (
            vec![
                ("operation", "mesurer"),
                ("rang", "0"),
                ("debut", "2024-01-01"),
                ("fin", "2024-06-01"),
                ("valeur", "2"),
                ("femmes", "1"),
            ],
            "ne vaut que pour des personnes",
        ),
        (
            vec![
                ("operation", "mesurer"),
                ("rang", "0"),
                ("debut", "pas une date"),
                ("fin", "2024-06-01"),
                ("valeur", "2"),
            ],
            "pas une date",
        ),
    ] {
        let r = envoyer(&champs);
        assert_eq!(r.statut, 422, "{champs:?}");
        assert!(
            r.corps.contains(attendu),
            "{champs:?} : {attendu}\n{}",
            r.corps
        );
        assert!(r.corps.contains("Rien n'a été enregistré"));
    }
    let r = envoyer(&[("operation", "mesurer"), ("rang", "7"), ("valeur", "2")]);
    assert_eq!(r.statut, 400, "a result that does not exist");
    let r = envoyer(&[("operation", "effacer_tout")]);
    assert_eq!(r.statut, 400);
    let apres = nombre(s, "SELECT count(*) FROM resultat")
        + nombre(s, "SELECT count(*) FROM resultat_periode");
    assert_eq!(avant, apres, "nothing was written");
}

#[test]
fn nobody_declares_results_for_another_collectivite() {
    let m = monde();
    let s = &m.serveur;
    let page = format!("/espace/actions/{}/resultats", m.action);
    let (mopti, csrf) = s.session("maire@mopti.ml", MOT_DE_PASSE);
    assert_eq!(s.get_avec(&page, &mopti).statut, 403);
    let r = s.post(
        &page,
        Some(&mopti),
        &[
            ("csrf", &csrf),
            ("operation", "ajouter"),
            ("indicateur", "EAU-01"),
            ("cible", "3"),
        ],
    );
    assert_eq!(r.statut, 403);
    let (lecteur, csrf_lecteur) = s.session("lecteur@ambassade.fr", MOT_DE_PASSE);
    let r = s.post(
        &page,
        Some(&lecteur),
        &[
            ("csrf", &csrf_lecteur),
            ("operation", "ajouter"),
            ("indicateur", "EAU-01"),
        ],
    );
    assert_eq!(r.statut, 403);
    assert_eq!(s.get(&page).statut, 303, "signed out: to the sign-in page");
    assert_eq!(nombre(s, "SELECT count(*) FROM resultat"), 0);
}
