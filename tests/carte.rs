//! The maps on the real server: the national choropleth, the pages of Malian units, the
//! report and the GeoJSON downloads, with the figures of the overview they draw.

mod commun;

use commun::Serveur;

/// The `<title>` of the zone whose title starts with `debut`.
fn titre_de_zone<'a>(html: &'a str, debut: &str) -> Option<&'a str> {
    let i = html.find(&format!("<title>{debut}"))?;
    let fin = html[i..].find("</title>")?;
    Some(&html[i + 7..i + fin])
}

#[test]
fn l_apercu_montre_la_carte_des_regions_avec_les_chiffres_du_tableau() {
    let s = Serveur::demo();
    let json: serde_json::Value = serde_json::from_str(&s.get("/apercu.json").corps).unwrap();
    let kayes = json["par_region"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["code"] == "ML-1")
        .unwrap();
    let n = kayes["partenariats"].as_u64().unwrap();
    assert!(n > 0);

    let page = s.get("/apercu");
    assert_eq!(page.statut, 200);
    let html = &page.corps;
    assert!(html.contains("<figure class=\"carte\">\n<svg viewBox="));
    assert!(html.contains("<desc id=\"carte-d\">"));
    assert!(html.contains("Limites administratives : DNCT Mali / OCHA, COD-AB 2015"));
    assert!(html.contains("District de Bamako (encart)"));
    assert_eq!(
        titre_de_zone(html, "Kayes (région)"),
        Some(format!("Kayes (région) : {n} partenariats, 0 action").as_str())
    );
    assert!(html.contains("zone blanche : aucun partenariat actif"));
    // Every région is drawn, and the district of Bamako (not a région) twice: the inset
    // draws it again.
    assert_eq!(html.matches("(région) :").count(), 9);
    assert_eq!(html.matches("Bamako (district) :").count(), 2);
    assert!(html.contains("<a href=\"/collectivites/"));
}

#[test]
fn le_niveau_et_la_mesure_se_choisissent_par_des_liens() {
    let s = Serveur::demo();
    let communes = s.get("/apercu?niveau=commune&mesure=montant");
    assert_eq!(communes.statut, 200);
    assert!(communes.corps.matches("(commune) :").count() >= 701);
    assert!(
        communes
            .corps
            .contains("Montant mobilisé (euros) par commune au Mali")
    );
    assert!(communes.corps.contains("aria-current=\"true\">commune</a>"));
    let faux = s.get("/apercu?niveau=province");
    assert_eq!(faux.statut, 400);
    assert!(faux.corps.contains("choisissez region, cercle ou commune"));
    let faux = s.get("/apercu?mesure=habitants");
    assert_eq!(faux.statut, 400);
    assert!(
        faux.corps
            .contains("partenariats, actions, montant ou interventions")
    );
}

#[test]
fn la_page_d_une_region_la_situe_et_montre_ses_cercles() {
    let s = Serveur::demo();
    let id: i64 = s
        .conn()
        .query_row("SELECT id FROM collectivite WHERE code = 'ML-1'", [], |r| {
            r.get(0)
        })
        .unwrap();
    let page = s.get(&format!("/collectivites/{id}"));
    assert_eq!(page.statut, 200);
    assert!(page.corps.contains("Situation de Kayes (région) au Mali"));
    assert!(
        page.corps
            .contains("Partenariats actifs par cercle dans Kayes (région)")
    );
    assert_eq!(page.corps.matches("(cercle) :").count(), 7);
    let montant = s.get(&format!("/collectivites/{id}?mesure=montant"));
    assert!(
        montant
            .corps
            .contains("Montant mobilisé (euros) par cercle dans Kayes (région)")
    );
    assert!(
        montant
            .corps
            .contains("aria-current=\"true\">montant mobilisé (euros)</a>")
    );
    assert_eq!(
        s.get(&format!("/collectivites/{id}?mesure=habitants"))
            .statut,
        400
    );
    // A French unit has no map.
    let evry: i64 = s
        .conn()
        .query_row(
            "SELECT id FROM collectivite WHERE pays = 'FR' AND nom = 'Évry' LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        !s.get(&format!("/collectivites/{evry}"))
            .corps
            .contains("<figure class=\"carte\">")
    );
}

#[test]
fn le_rapport_imprimable_contient_la_carte() {
    let s = Serveur::demo();
    let rapport = s.get("/apercu/rapport.html");
    assert_eq!(rapport.statut, 200);
    assert!(
        rapport.corps.contains("role=\"img\""),
        "no links in the standalone file"
    );
    assert!(!rapport.corps.contains("<a href=\"/collectivites/"));
    assert!(rapport.corps.contains("COD-AB 2015"));
}

/// Twice the signed area of a ring: positive when counter-clockwise.
fn aire(anneau: &[serde_json::Value]) -> f64 {
    anneau
        .windows(2)
        .map(|p| {
            let (a, b) = (&p[0], &p[1]);
            a[0].as_f64().unwrap() * b[1].as_f64().unwrap()
                - b[0].as_f64().unwrap() * a[1].as_f64().unwrap()
        })
        .sum()
}

#[test]
fn les_geojson_portent_les_codes_les_p_codes_et_les_chiffres() {
    let s = Serveur::demo();
    let r = s.get("/donnees/carte/regions.geojson");
    assert_eq!(r.statut, 200);
    assert_eq!(r.entete("content-type"), Some("application/geo+json"));
    let g: serde_json::Value = serde_json::from_str(&r.corps).unwrap();
    let entites = g["features"].as_array().unwrap();
    assert_eq!(entites.len(), 10);
    let kayes = entites
        .iter()
        .find(|f| f["properties"]["code"] == "ML-1")
        .unwrap();
    assert_eq!(kayes["properties"]["pcode"], "ML01");
    assert!(kayes["properties"]["partenariats"].as_u64().unwrap() > 0);
    let menaka = entites
        .iter()
        .find(|f| f["properties"]["code"] == "ML-9")
        .unwrap();
    assert_eq!(menaka["properties"]["pcode"], serde_json::Value::Null);
    for f in entites {
        for polygone in f["geometry"]["coordinates"].as_array().unwrap() {
            let exterieur = polygone[0].as_array().unwrap();
            assert!(
                aire(exterieur) > 0.0,
                "RFC 7946: exterior rings counter-clockwise"
            );
        }
    }
    let communes: serde_json::Value = serde_json::from_str(
        &s.get("/donnees/carte/communes.geojson?date=1990-01-01")
            .corps,
    )
    .unwrap();
    assert_eq!(communes["date"], "1990-01-01");
    let entites = communes["features"].as_array().unwrap();
    assert_eq!(entites.len(), 701);
    assert_eq!(s.get("/donnees/carte/pays.geojson").statut, 404);
    assert_eq!(
        s.get("/donnees/carte/regions.geojson?date=hier").statut,
        400
    );
}

/// Sixteen visitors ask for the same cold commune map at once: one rendering, sixteen
/// identical answers.
#[test]
fn seize_visiteurs_sur_une_carte_froide() {
    let s = Serveur::demo();
    let adresse = s.adresse;
    let corps: Vec<(u16, String)> = std::thread::scope(|portee| {
        let fils: Vec<_> = (0..16)
            .map(|_| {
                portee.spawn(move || {
                    let r = commun::get(&format!(
                        "http://{adresse}/apercu?niveau=commune&mesure=partenariats"
                    ));
                    (r.statut, r.corps)
                })
            })
            .collect();
        fils.into_iter().map(|f| f.join().unwrap()).collect()
    });
    assert!(corps.iter().all(|(statut, _)| *statut == 200));
    assert!(corps.iter().all(|(_, c)| c == &corps[0].1));
}
