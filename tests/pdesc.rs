//! A collectivité records its PDESC, an action cites the objective it serves, and the
//! collectivité's page shows which objectives cooperation serves and which it does not.

mod commun;

use benkan::model::{Axe, Domaine, Nature};
use commun::{MOT_DE_PASSE, nombre};

fn monde() -> commun::ActionDeKayes {
    commun::action_de_kayes(
        "Forage de Plateau",
        (
            Axe::ServicesSociauxDeBase,
            Domaine::EauAssainissement,
            Nature::Physique,
        ),
    )
}

#[test]
fn a_pdesc_shows_which_objectives_cooperation_serves() {
    let m = monde();
    let s = &m.serveur;
    let page = format!("/espace/collectivites/{}/pdesc", m.kayes);
    let (maire, csrf) = s.session("maire@kayes.ml", MOT_DE_PASSE);
    assert!(
        s.get_avec("/espace", &maire)
            .corps
            .contains(&format!("href=\"{page}\"")),
        "the space links its collectivité's PDESC"
    );
    let publique = format!("/collectivites/{}", m.kayes);
    assert!(s.get(&publique).corps.contains("Aucun PDESC enregistré"));
    let enregistre = s.post(
        &page,
        Some(&maire),
        &[
            ("csrf", &csrf),
            ("titre", "PDESC de la commune de Kayes"),
            ("debut", "2022"),
            ("fin", "2026"),
            ("reference", "Délibération n° 12 du 3 mars 2022"),
            (
                "objectifs",
                "Accès à l'eau potable\nScolarisation des filles\nÉtat civil",
            ),
        ],
    );
    assert_eq!(enregistre.statut, 303, "{}", enregistre.corps);

    // the action cites the first objective
    let resultats = format!("/espace/actions/{}/resultats", m.action);
    let formulaire = s.get_avec(&resultats, &maire).corps;
    assert!(
        formulaire.contains("Accès à l&#39;eau potable (PDESC de Kayes)"),
        "{formulaire}"
    );
    let eau: i64 = s
        .conn()
        .query_row(
            "SELECT id FROM pdesc_objectif WHERE libelle = 'Accès à l''eau potable'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let cite = s.post(
        &resultats,
        Some(&maire),
        &[
            ("csrf", &csrf),
            ("operation", "citer"),
            ("objectif", &eau.to_string()),
        ],
    );
    assert_eq!(cite.statut, 303, "{}", cite.corps);
    // an authority's change goes to review: the public page counts it once validated
    let (admin, csrf_admin) = s.session("admin@mdat.ml", MOT_DE_PASSE);
    assert_eq!(
        s.post(
            &format!("/espace/validation/action/{}", m.action),
            Some(&admin),
            &[("csrf", &csrf_admin), ("decision", "valider")],
        )
        .statut,
        303
    );
    let corps = s.get(&publique).corps;
    let section = &corps[corps.find("id=\"pdesc\"").unwrap()..];
    let section = &section[..section.find("</ol>").unwrap()];
    assert!(section.contains("PDESC de la commune de Kayes</strong>, de 2022 à 2026 — Délibération n° 12 du 3 mars 2022"), "{section}");
    assert!(
        section.contains("3 objectifs, dont 2 qu'aucune action de coopération publiée ne sert"),
        "{section}"
    );
    assert!(
        section.contains(&format!(
            "Accès à l&#39;eau potable — 1 action : <a href=\"/actions/{}\">Forage de Plateau</a>",
            m.action
        )),
        "{section}"
    );
    assert!(section.contains(
        "Scolarisation des filles — <span class=\"inconnu\">aucune action de coopération</span>"
    ));
    let action = s.get(&format!("/actions/{}", m.action)).corps;
    assert!(
        action.contains("<dt>Objectif du PDESC servi</dt><dd>Accès à l&#39;eau potable"),
        "{action}"
    );

    // an objective an action serves cannot silently go
    let retire = s.post(
        &page,
        Some(&maire),
        &[
            ("csrf", &csrf),
            ("titre", "PDESC de la commune de Kayes"),
            ("debut", "2022"),
            ("fin", "2026"),
            ("objectifs", "Scolarisation des filles\nÉtat civil"),
        ],
    );
    assert_eq!(retire.statut, 422);
    assert!(
        retire.corps.contains("est servi par 1 action(s)"),
        "{}",
        retire.corps
    );
    assert_eq!(
        nombre(s, "SELECT count(*) FROM pdesc_objectif"),
        3,
        "nothing written"
    );
    // rewording the others keeps the cited one and its citation
    let reformule = s.post(
        &page,
        Some(&maire),
        &[
            ("csrf", &csrf),
            ("titre", "PDESC de la commune de Kayes"),
            ("debut", "2022"),
            ("fin", "2026"),
            (
                "objectifs",
                "Accès à l'eau potable\nÉcole pour toutes et tous",
            ),
        ],
    );
    assert_eq!(reformule.statut, 303);
    assert_eq!(nombre(s, "SELECT count(*) FROM pdesc_objectif"), 2);
    assert_eq!(
        nombre(
            s,
            &format!(
                "SELECT objectif_id FROM action_objectif WHERE action_id = {}",
                m.action
            )
        ),
        eau
    );
    // the history says it
    let historique = s.conn().query_row(
        "SELECT count(*) FROM journal WHERE objet = 'collectivite' AND operation = 'modification'",
        [],
        |r| r.get::<_, i64>(0),
    );
    assert_eq!(historique.unwrap(), 2);
}

#[test]
fn bad_input_and_other_collectivites_are_refused() {
    let m = monde();
    let s = &m.serveur;
    let page = format!("/espace/collectivites/{}/pdesc", m.kayes);
    let (maire, csrf) = s.session("maire@kayes.ml", MOT_DE_PASSE);
    for (champs, attendu) in [
        (
            vec![
                ("titre", "P"),
                ("debut", "2026"),
                ("fin", "2022"),
                ("objectifs", "a"),
            ],
            "PDESC de 2026 à 2022",
        ),
        (
            vec![
                ("titre", "P"),
                ("debut", "22"),
                ("fin", "2026"),
                ("objectifs", "a"),
            ],
            "Indiquez une année de 1960 à 2100",
        ),
        (
            vec![
                ("titre", "P"),
                ("debut", "2022"),
                ("fin", "2026"),
                ("objectifs", " \n "),
            ],
            "Remplissez le champ « Objectifs »",
        ),
        (
            vec![
                ("titre", ""),
                ("debut", "2022"),
                ("fin", "2026"),
                ("objectifs", "a"),
            ],
            "Remplissez le champ « Titre »",
        ),
        (
            vec![
                ("titre", "P"),
                ("debut", "2022"),
                ("fin", "2026"),
                ("objectifs", "Eau\nEau"),
            ],
            "figure deux fois",
        ),
    ] {
        let mut tous = vec![("csrf", csrf.as_str())];
        tous.extend(champs.iter().copied());
        let r = s.post(&page, Some(&maire), &tous);
        assert_eq!(r.statut, 422, "{champs:?}");
        assert!(r.corps.contains(attendu), "{attendu}\n{}", r.corps);
    }
    assert_eq!(nombre(s, "SELECT count(*) FROM pdesc"), 0);

    let (mopti, csrf_mopti) = s.session("maire@mopti.ml", MOT_DE_PASSE);
    assert_eq!(s.get_avec(&page, &mopti).statut, 403);
    let r = s.post(
        &page,
        Some(&mopti),
        &[
            ("csrf", &csrf_mopti),
            ("titre", "P"),
            ("debut", "2022"),
            ("fin", "2026"),
            ("objectifs", "a"),
        ],
    );
    assert_eq!(r.statut, 403);
    // a foreign collectivité has no PDESC
    let angers: i64 = s
        .conn()
        .query_row(
            "SELECT collectivite_id FROM partie pa JOIN collectivite c ON c.id = pa.collectivite_id WHERE c.pays = 'FR' LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let (admin, _) = s.session("admin@mdat.ml", MOT_DE_PASSE);
    assert_eq!(
        s.get_avec(&format!("/espace/collectivites/{angers}/pdesc"), &admin)
            .statut,
        400
    );
    // an objective of another collectivité's PDESC cannot be cited
    let (_, csrf) = (maire.clone(), csrf);
    let r = s.post(
        &format!("/espace/actions/{}/resultats", m.action),
        Some(&maire),
        &[("csrf", &csrf), ("operation", "citer"), ("objectif", "999")],
    );
    assert!(r.statut == 404 || r.statut == 400, "{}", r.statut);
    assert_eq!(nombre(s, "SELECT count(*) FROM action_objectif"), 0);
}
