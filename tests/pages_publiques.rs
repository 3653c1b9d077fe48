//! The pages every public registry owes its readers (issue 12, point 13): about, glossary,
//! legal and privacy notices, account requests, the API described for people, the
//! open-data licence with each download's size and date, the date of the last change, and
//! what browsers and crawlers look for (favicon, robots.txt, meta descriptions).

mod commun;

use std::collections::BTreeSet;

use benkan::web::{Exploitant, Reglages};
use commun::api::{ecrire, jeton_cli, lire, requete, une_action};
use commun::{MOT_DE_PASSE, Serveur, comptes_kayes_mopti};

/// The new pages: path, title, and a sentence each must hold.
const PAGES: [(&str, &str, &str); 6] = [
    ("/a-propos", "À propos de benkan", "Ce que benkan recense"),
    (
        "/glossaire",
        "Glossaire",
        "Une commune malienne qui n'est partie à aucun partenariat actif",
    ),
    (
        "/mentions-legales",
        "Mentions légales",
        "Licence Ouverte 2.0",
    ),
    (
        "/confidentialite",
        "Données personnelles et cookies",
        "ni dans l'API, ni dans les fichiers CSV, IATI ou JSON",
    ),
    (
        "/demander-un-compte",
        "Demander un compte contributeur",
        "Mot de passe oublié",
    ),
    ("/api", "API JSON", "/api/v1/partenariats/{id}"),
];

/// The values of `attribut="…"` in `html`, in order.
fn valeurs<'a>(html: &'a str, attribut: &str) -> Vec<&'a str> {
    let motif = format!("{attribut}=\"");
    html.match_indices(&motif)
        .map(|(i, _)| {
            let debut = i + motif.len();
            &html[debut..debut + html[debut..].find('"').unwrap()]
        })
        .collect()
}

/// The page's `<meta name="description">`.
fn description(html: &str) -> &str {
    let motif = "<meta name=\"description\" content=\"";
    let debut = html.find(motif).expect("a meta description") + motif.len();
    &html[debut..debut + html[debut..].find('"').unwrap()]
}

/// The first link of `html` that starts with `prefixe` followed by a number.
fn premier_lien(html: &str, prefixe: &str) -> String {
    valeurs(html, "href")
        .into_iter()
        .find(|l| {
            l.strip_prefix(prefixe)
                .is_some_and(|reste| !reste.is_empty() && reste.bytes().all(|b| b.is_ascii_digit()))
        })
        .unwrap_or_else(|| panic!("no link {prefixe}…"))
        .to_owned()
}

#[test]
fn each_new_page_answers_with_its_title_and_content_and_every_footer_links_them() {
    let s = Serveur::demo();
    for (chemin, titre, contenu) in PAGES {
        let r = s.get(chemin);
        assert_eq!(r.statut, 200, "{chemin}");
        assert!(
            r.corps
                .contains(&format!("<title>{titre} — benkan</title>")),
            "{chemin}: title"
        );
        assert!(
            r.corps.contains(&format!("<h1>{titre}</h1>")),
            "{chemin}: heading"
        );
        assert!(r.corps.contains(contenu), "{chemin}: « {contenu} »");
    }
    for chemin in ["/", "/partenariats", "/a-propos", "/donnees"] {
        let corps = s.get(chemin).corps;
        let liens = valeurs(&corps, "href").into_iter().collect::<BTreeSet<_>>();
        for attendu in [
            "/a-propos",
            "/glossaire",
            "/mentions-legales",
            "/confidentialite",
            "/demander-un-compte",
            "/api",
            "/donnees#licence",
        ] {
            assert!(liens.contains(attendu), "{chemin} links {attendu}");
        }
    }
    // Nothing configured: the pages say so, and invent no address.
    for chemin in ["/a-propos", "/mentions-legales", "/demander-un-compte"] {
        let r = s.get(chemin);
        assert!(
            r.corps
                .contains("L'exploitant de ce registre n'a pas encore renseigné ses coordonnées"),
            "{chemin}"
        );
        assert!(!r.corps.contains("mailto:"), "{chemin}");
    }
    let connexion = s.get("/connexion");
    assert!(
        connexion
            .corps
            .contains("href=\"/connexion/oubli\">Mot de passe oublié ?</a>")
    );
    assert!(connexion.corps.contains("href=\"/demander-un-compte\""));
    assert!(
        s.get("/demander-un-compte")
            .corps
            .contains("id=\"mot-de-passe-oublie\"")
    );
}

#[test]
fn the_operator_configured_at_start_is_named_with_its_contact() {
    let s = Serveur::demo_avec(Reglages {
        exploitant: Exploitant::new(
            Some("Direction générale des collectivités territoriales"),
            Some("registre@exemple.ml"),
        ),
        ..Default::default()
    });
    for chemin in [
        "/a-propos",
        "/mentions-legales",
        "/confidentialite",
        "/demander-un-compte",
    ] {
        let r = s.get(chemin);
        assert!(
            r.corps
                .contains("Direction générale des collectivités territoriales"),
            "{chemin}"
        );
        assert!(
            r.corps
                .contains("<a href=\"mailto:registre@exemple.ml\">registre@exemple.ml</a>"),
            "{chemin}"
        );
        assert!(!r.corps.contains("n'a pas encore renseigné"), "{chemin}");
    }
    let compte = s.get("/demander-un-compte").corps;
    let oubli = &compte[compte.find("id=\"mot-de-passe-oublie\"").unwrap()..];
    assert!(
        oubli.contains("mailto:registre@exemple.ml"),
        "whom to ask for a forgotten password"
    );
    let postal = Serveur::demo_avec(Reglages {
        exploitant: Exploitant::new(None, Some("BP 215, Bamako")),
        ..Default::default()
    });
    let a_propos = postal.get("/a-propos").corps;
    assert!(a_propos.contains("BP 215, Bamako"));
    assert!(!a_propos.contains("mailto:"), "a postal address is no link");
}

#[test]
fn robots_and_favicon_are_served_with_their_types() {
    let s = Serveur::demo();
    let robots = s.get("/robots.txt");
    assert_eq!(robots.statut, 200);
    assert_eq!(
        robots.entete("content-type"),
        Some("text/plain; charset=utf-8")
    );
    for ligne in [
        "User-agent: *",
        "Allow: /",
        "Disallow: /espace",
        "Disallow: /connexion",
    ] {
        assert!(
            robots.corps.lines().any(|l| l == ligne),
            "robots.txt: {ligne}"
        );
    }
    let icone = s.get("/static/favicon.svg");
    assert_eq!(icone.statut, 200);
    assert_eq!(icone.entete("content-type"), Some("image/svg+xml"));
    assert_eq!(
        icone.entete("cache-control"),
        Some("public, max-age=604800")
    );
    assert!(icone.corps.starts_with("<svg"));
    assert!(
        s.get("/").corps.contains(
            "<link rel=\"icon\" href=\"/static/favicon.svg?v=1\" type=\"image/svg+xml\">"
        )
    );
}

#[test]
fn the_api_page_describes_every_path_and_method_of_the_openapi_document() {
    let s = Serveur::demo();
    let page = s.get("/api");
    assert_eq!(page.statut, 200);
    let document = lire(&s, "/api/v1/openapi.json");
    let chemins = document["paths"].as_object().unwrap();
    assert!(chemins.len() >= 10);
    for (chemin, methodes) in chemins {
        for (methode, operation) in methodes.as_object().unwrap() {
            let titre = format!(
                "<span class=\"methode-http\">{}</span> {chemin}</h3>",
                methode.to_uppercase()
            );
            assert!(page.corps.contains(&titre), "{methode} {chemin}");
            let resume = operation["summary"].as_str().unwrap();
            assert!(
                page.corps.contains(&resume.replace('\'', "&#x27;"))
                    || page.corps.contains(&resume.replace('\'', "&#39;")),
                "{methode} {chemin}: « {resume} »"
            );
        }
    }
    // Parameters with their descriptions, bodies and the responses' schemas.
    assert!(page.corps.contains("<code>region</code>"));
    assert!(page.corps.contains("numéro de page, à partir de 1"));
    assert!(page.corps.contains("<code>DeclarationPartenariat</code>"));
    assert!(page.corps.contains("<code>FichePartenariat</code>"));
    assert!(page.corps.contains("Jeton personnel obligatoire"));
    assert_eq!(
        document["info"]["license"]["name"],
        "Licence Ouverte 2.0 (Etalab)"
    );
}

#[test]
fn downloads_show_the_licence_and_their_size_once_prepared_without_waiting() {
    let s = Serveur::demo();
    let avant = s.get("/donnees").corps;
    assert!(avant.contains("id=\"licence\""));
    assert!(avant.contains("Licence Ouverte 2.0"));
    assert!(avant.contains("ODbL"), "the choice is explained");
    let ligne = |page: &str, lien: &str| -> String {
        let debut = page
            .find(&format!("href=\"{lien}\""))
            .unwrap_or_else(|| panic!("{lien} listed"));
        page[debut..debut + page[debut..].find("</li>").unwrap()].to_owned()
    };
    assert!(
        ligne(&avant, "/donnees/registre.zip")
            .contains("taille connue après la première préparation"),
        "not built yet: the page does not build it"
    );
    let zip = requete(&s, "GET", "/donnees/registre.zip", &[]);
    assert_eq!(zip.statut, 200);
    assert!(zip.octets.starts_with(b"PK"));
    assert!(
        zip.entete("link")
            .is_some_and(|l| l.contains("rel=\"license\"") && l.contains("etalab")),
        "{:?}",
        zip.entete("link")
    );
    for lien in ["/apercu.json", "/apercu/axes.csv", "/api/v1/partenariats"] {
        assert!(
            s.get(lien)
                .entete("link")
                .is_some_and(|l| l.contains("rel=\"license\"")),
            "{lien} names its licence"
        );
    }
    assert_eq!(s.get("/").entete("link"), None, "a page is not a dataset");
    assert_eq!(s.get("/apercu").statut, 200, "computes today's overview");
    let apres = s.get("/donnees").corps;
    let registre = ligne(&apres, "/donnees/registre.zip");
    assert!(
        registre.contains(" ko,") || registre.contains(" octets,"),
        "{registre}"
    );
    assert!(registre.contains("données du "), "{registre}");
    let json = ligne(&apres, "/apercu.json");
    assert!(json.contains(" ko,") || json.contains(" octets,"), "{json}");
    for lien in [
        "/apercu/rapport.html",
        "/apercu/zones_blanches.csv",
        "/donnees/carte/communes.geojson",
    ] {
        assert!(
            !ligne(&apres, lien).contains("taille connue après"),
            "{lien} measured from the computed overview"
        );
    }
    assert!(
        ligne(&apres, "/donnees/registre-excel.zip").contains("taille connue après"),
        "a file nobody asked for is still not built"
    );
}

#[test]
fn the_date_of_the_last_change_moves_when_a_declaration_is_validated_and_glossary_links_hold() {
    let s = Serveur::demo();
    let conn = s.conn();
    let (kayes, _, angers) = comptes_kayes_mopti(&conn);
    let partenariat = commun::partenariat(&conn, "Kayes – Angers", &[kayes, angers]);
    conn.execute(
        "UPDATE meta SET valeur = '2020-01-01T08:00:00Z' WHERE cle = 'mise_a_jour'",
        [],
    )
    .unwrap();
    let ancienne = "Données mises à jour le <time datetime=\"2020-01-01\">1er janvier 2020 à 08 h 00 (UTC)</time>";
    for chemin in ["/", "/apercu", "/donnees"] {
        assert!(s.get(chemin).corps.contains(ancienne), "{chemin}");
    }

    let jeton = jeton_cli(&s, "maire@kayes.ml");
    let action = une_action("Forage du marché", kayes.0, 5_000_000);
    let r = ecrire(
        &s,
        &format!("/api/v1/partenariats/{}/actions", partenariat.0),
        Some(&jeton),
        &action,
    );
    assert_eq!(r.statut, 201);
    let id = r.json()["id"].as_i64().unwrap();
    // Declaring may touch what the public sees (the partenariat's last change, a new
    // funder): start again from a known date, so that only the validation moves it.
    conn.execute(
        "UPDATE meta SET valeur = '2020-01-01T08:00:00Z' WHERE cle = 'mise_a_jour'",
        [],
    )
    .unwrap();
    assert!(s.get("/").corps.contains(ancienne));

    let (admin, csrf) = s.session("admin@mdat.ml", MOT_DE_PASSE);
    let decision = s.post(
        &format!("/espace/validation/action/{id}"),
        Some(&admin),
        &[("csrf", &csrf), ("decision", "valider")],
    );
    assert_eq!(decision.statut, 303);
    let aujourd_hui = time::OffsetDateTime::now_utc().date().to_string();
    for chemin in ["/", "/apercu", "/donnees"] {
        let corps = s.get(chemin).corps;
        assert!(!corps.contains(ancienne), "{chemin}");
        assert!(
            corps.contains(&format!(
                "Données mises à jour le <time datetime=\"{aujourd_hui}\">"
            )),
            "{chemin}"
        );
    }

    // Where the terms appear, they link to the glossary, and every link finds its entry.
    let glossaire = s.get("/glossaire").corps;
    let ancres: BTreeSet<&str> = valeurs(&glossaire, "id").into_iter().collect();
    let partenariats = s.get("/partenariats").corps;
    let fiche = premier_lien(&partenariats, "/partenariats/");
    let collectivites = s.get("/collectivites").corps;
    let collectivite = premier_lien(&collectivites, "/collectivites/");
    let (sienne, page_action) = (
        format!("/partenariats/{}", partenariat.0),
        format!("/actions/{id}"),
    );
    let attendus: [(&str, &[&str]); 5] = [
        ("/apercu", &["zone-blanche", "axes", "etapes"]),
        ("/partenariats", &["etapes", "statut"]),
        (&fiche, &["etapes", "statut"]),
        (&sienne, &["etapes", "axes", "engagement"]),
        (&page_action, &["axes", "nature", "domaine", "financement"]),
    ];
    for (chemin, termes) in attendus {
        let corps = s.get(chemin).corps;
        for terme in termes {
            assert!(
                corps.contains(&format!("href=\"/glossaire#{terme}\"")),
                "{chemin} links the glossary's « {terme} »"
            );
        }
    }
    let mut vus = 0;
    for chemin in [
        "/".to_owned(),
        "/apercu".to_owned(),
        "/partenariats".to_owned(),
        fiche.clone(),
        sienne.clone(),
        page_action.clone(),
        "/collectivites".to_owned(),
        collectivite,
        "/donnees".to_owned(),
        "/a-propos".to_owned(),
        "/glossaire".to_owned(),
        "/api".to_owned(),
    ] {
        let corps = s.get(&chemin).corps;
        for lien in valeurs(&corps, "href") {
            let ancre = lien.strip_prefix("/glossaire#").or_else(|| {
                (chemin == "/glossaire")
                    .then(|| lien.strip_prefix('#'))
                    .flatten()
            });
            if let Some(ancre) = ancre {
                assert!(ancres.contains(ancre), "{chemin}: {lien} has no entry");
                vus += 1;
            }
        }
    }
    assert!(vus > 20, "{vus} glossary links checked");
}

#[test]
fn every_public_page_has_its_own_meta_description() {
    let s = Serveur::demo();
    let partenariats = s.get("/partenariats").corps;
    let collectivites = s.get("/collectivites").corps;
    let mut chemins = vec![
        "/".to_owned(),
        "/apercu".to_owned(),
        "/partenariats".to_owned(),
        premier_lien(&partenariats, "/partenariats/"),
        "/collectivites".to_owned(),
        premier_lien(&collectivites, "/collectivites/"),
        "/donnees".to_owned(),
        "/connexion".to_owned(),
    ];
    chemins.extend(PAGES.iter().map(|(c, ..)| (*c).to_owned()));
    let mut descriptions = BTreeSet::new();
    for chemin in &chemins {
        let r = s.get(chemin);
        assert_eq!(r.statut, 200, "{chemin}");
        let d = description(&r.corps).to_owned();
        assert!(d.len() > 60, "{chemin}: « {d} »");
        assert!(
            descriptions.insert(d),
            "{chemin}: the same description as another page"
        );
    }
    let partenariat = premier_lien(&partenariats, "/partenariats/");
    let d = description(&s.get(&partenariat).corps).to_owned();
    assert!(
        d.starts_with("Partenariat de coopération décentralisée « "),
        "{d}"
    );
}
