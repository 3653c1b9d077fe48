//! La bourse aux partenariats over HTTP: a Malian commune asks for a partner, a French
//! commune offers one, the administrator publishes both, each side says its interest from
//! the other's page, and one click declares the partenariat; nobody acts for another.

mod commun;

use benkan::model::{CollectiviteId, Email, Niveau, Pays, Role};
use commun::{MOT_DE_PASSE, Serveur, nombre};

struct Bourse {
    serveur: Serveur,
    kayes: CollectiviteId,
    lyon: CollectiviteId,
    region_kayes: CollectiviteId,
}

/// The demonstration server with the accounts of `comptes_kayes_mopti` and
/// `mairie@lyon.fr` for the commune of Lyon.
fn bourse() -> Bourse {
    let mut ids = None;
    let serveur = Serveur::demo_preparee(
        |conn| {
            let (kayes, _, _) = commun::comptes_kayes_mopti(conn);
            let lyon = commun::par_code(conn, Pays::FRANCE, Niveau::Commune, "69123").id;
            let region = commun::par_code(conn, Pays::MALI, Niveau::Region, "ML-1").id;
            benkan::store::compte::creer(
                conn,
                &Email::new("mairie@lyon.fr").unwrap(),
                &benkan::acces::hacher(MOT_DE_PASSE).unwrap(),
                Role::Collectivite,
                &[lyon],
                &[],
            )
            .unwrap();
            ids = Some((kayes, lyon, region));
        },
        |_| benkan::web::Reglages::default(),
    );
    let (kayes, lyon, region_kayes) = ids.unwrap();
    Bourse {
        serveur,
        kayes,
        lyon,
        region_kayes,
    }
}

fn demande_de_kayes(b: &Bourse, session: &str, csrf: &str) -> commun::Reponse {
    b.serveur.post(
        &format!("/espace/bourse/demandes/nouvelle?collectivite={}", b.kayes),
        Some(session),
        &[
            ("csrf", csrf),
            ("titre", "Eau potable pour trois villages"),
            ("description", "Deux forages et un comité de gestion formé."),
            ("domaine", "eau_assainissement"),
            ("domaine", "sante"),
            ("langue", "fr"),
            ("langue", "snk"),
            ("ouverte_jusqu_au", &date_dans(180)),
        ],
    )
}

fn offre_de_lyon(b: &Bourse, session: &str, csrf: &str) -> commun::Reponse {
    b.serveur.post(
        &format!("/espace/bourse/offres/nouvelle?collectivite={}", b.lyon),
        Some(session),
        &[
            ("csrf", csrf),
            ("titre", "Appui à la gestion de l'eau"),
            (
                "description",
                "Nos techniciens de l'eau forment des comités de gestion.",
            ),
            ("domaine", "eau_assainissement"),
            ("capacite", "appui_technique"),
            ("capacite", "financement"),
            ("financement_de", "5 000"),
            ("financement_a", "20 000"),
            ("devise", "EUR"),
            ("region", &b.region_kayes.to_string()),
            ("langue", "fr"),
            ("ouverte_jusqu_au", &date_dans(300)),
        ],
    )
}

fn date_dans(jours: i64) -> String {
    (time::OffsetDateTime::now_utc().date() + time::Duration::days(jours)).to_string()
}

fn dernier(b: &Bourse, table: &str) -> i64 {
    nombre(&b.serveur, &format!("SELECT max(id) FROM {table}"))
}

#[test]
fn a_demande_meets_an_offre_and_becomes_a_declared_partenariat() {
    let b = bourse();
    let s = &b.serveur;
    let (kayes, csrf_kayes) = s.session("maire@kayes.ml", MOT_DE_PASSE);
    let (lyon, csrf_lyon) = s.session("mairie@lyon.fr", MOT_DE_PASSE);
    let (admin, csrf_admin) = s.session("admin@mdat.ml", MOT_DE_PASSE);

    let publiee = demande_de_kayes(&b, &kayes, &csrf_kayes);
    assert_eq!(publiee.statut, 303, "{}", publiee.corps);
    let demande = dernier(&b, "bourse_demande");
    let publiee = offre_de_lyon(&b, &lyon, &csrf_lyon);
    assert_eq!(publiee.statut, 303, "{}", publiee.corps);
    let offre = dernier(&b, "bourse_offre");
    let page_demande = format!("/bourse/demandes/{demande}");
    let page_offre = format!("/bourse/offres/{offre}");

    // waiting for the review: not public, but its author sees it
    assert_eq!(s.get(&page_demande).statut, 404);
    assert!(
        !s.get("/bourse")
            .corps
            .contains("Eau potable pour trois villages")
    );
    let vue = s.get_avec(&page_demande, &kayes).corps;
    assert!(vue.contains("en attente de la validation"), "{vue}");
    let espace = s.get_avec("/espace/bourse", &admin).corps;
    assert!(
        espace.contains("Valider « Eau potable pour trois villages »"),
        "{espace}"
    );
    for chemin in [
        format!("/espace/bourse/demandes/{demande}/decision"),
        format!("/espace/bourse/offres/{offre}/decision"),
    ] {
        let non = s.post(
            &chemin,
            Some(&kayes),
            &[("csrf", &csrf_kayes), ("decision", "valider")],
        );
        assert_eq!(non.statut, 403, "only an administrator validates");
        let oui = s.post(
            &chemin,
            Some(&admin),
            &[("csrf", &csrf_admin), ("decision", "valider")],
        );
        assert_eq!(oui.statut, 303, "{}", oui.corps);
    }

    // public, filtered, and proposed with its reasons
    let liste = s.get("/bourse").corps;
    assert!(liste.contains("Eau potable pour trois villages"), "{liste}");
    assert!(liste.contains("Appui à la gestion de l&#39;eau"), "{liste}");
    assert!(
        liste.contains("Lieux des demandes sur la carte du Mali"),
        "the demandes' map"
    );
    assert!(
        s.get("/bourse?region=ML-1&domaine=sante")
            .corps
            .contains("Eau potable pour trois")
    );
    assert!(
        !s.get("/bourse?domaine=culture")
            .corps
            .contains("Eau potable pour trois")
    );
    assert!(
        !s.get("/bourse?region=ML-5")
            .corps
            .contains("Eau potable pour trois")
    );
    for (mauvais, message) in [
        ("/bourse?region=ML-99", "aucune région malienne"),
        ("/bourse?domaine=forage", "domaine"),
        ("/bourse?pays=France", "pays"),
    ] {
        let r = s.get(mauvais);
        assert_eq!(r.statut, 400, "{mauvais}");
        assert!(r.corps.contains(message), "{mauvais}: {}", r.corps);
    }
    let vue = s.get(&page_demande).corps;
    assert!(vue.contains("Appui à la gestion de l&#39;eau"), "{vue}");
    assert!(
        vue.contains("même domaine : eau et assainissement"),
        "{vue}"
    );
    assert!(vue.contains("connaît déjà la région de Kayes"), "{vue}");
    assert!(vue.contains("langue commune : français"), "{vue}");
    assert!(
        !vue.contains("Exprimer l'intérêt"),
        "anonymous visitors only read"
    );

    // nobody speaks for another: Mopti for Kayes's side, Kayes for Lyon's
    let (mopti, csrf_mopti) = s.session("maire@mopti.ml", MOT_DE_PASSE);
    let paire = |cote: &'static str, csrf: &str| {
        vec![
            ("csrf".to_owned(), csrf.to_owned()),
            ("demande".to_owned(), demande.to_string()),
            ("offre".to_owned(), offre.to_string()),
            ("cote".to_owned(), cote.to_owned()),
        ]
    };
    let poster = |chemin: &str, session: &str, champs: Vec<(String, String)>| {
        let champs: Vec<(&str, &str)> = champs
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        s.post(chemin, Some(session), &champs)
    };
    assert_eq!(
        poster(
            "/espace/bourse/interet",
            &mopti,
            paire("demande", &csrf_mopti)
        )
        .statut,
        403
    );
    assert_eq!(
        poster(
            "/espace/bourse/interet",
            &kayes,
            paire("offre", &csrf_kayes)
        )
        .statut,
        403
    );
    assert_eq!(
        s.post(
            &format!("/espace/bourse/demandes/{demande}/retirer"),
            Some(&mopti),
            &[("csrf", &csrf_mopti)]
        )
        .statut,
        403
    );
    let pour_kayes = s.post(
        &format!("/espace/bourse/demandes/nouvelle?collectivite={}", b.kayes),
        Some(&lyon),
        &[("csrf", &csrf_lyon), ("titre", "x")],
    );
    assert_eq!(pour_kayes.statut, 403, "Lyon does not publish for Kayes");
    assert_eq!(
        poster(
            "/espace/bourse/partenariat",
            &mopti,
            paire("demande", &csrf_mopti)
        )
        .statut,
        403
    );

    // each side says its interest from the other's page; one click declares the partenariat
    let vue = s.get_avec(&page_demande, &lyon).corps;
    assert!(
        vue.contains("Exprimer l'intérêt de « Appui à la gestion"),
        "{vue}"
    );
    let mut avec_mot = paire("offre", &csrf_lyon);
    avec_mot.push((
        "message".to_owned(),
        "Nos techniciens viennent en février.".to_owned(),
    ));
    let dit = poster("/espace/bourse/interet", &lyon, avec_mot);
    assert_eq!(dit.statut, 303, "{}", dit.corps);
    let trop_tot = poster(
        "/espace/bourse/partenariat",
        &lyon,
        paire("offre", &csrf_lyon),
    );
    assert_eq!(trop_tot.statut, 400);
    assert!(
        trop_tot.corps.contains("les deux côtés"),
        "{}",
        trop_tot.corps
    );
    let dit = poster(
        "/espace/bourse/interet",
        &kayes,
        paire("demande", &csrf_kayes),
    );
    assert_eq!(dit.statut, 303, "{}", dit.corps);
    let espace = s.get_avec("/espace/bourse", &kayes).corps;
    assert!(
        espace.contains("mairie@lyon.fr"),
        "both sides see the interest: {espace}"
    );
    assert!(
        s.get_avec("/espace/bourse", &admin)
            .corps
            .contains("mairie@lyon.fr")
    );
    assert!(
        !s.get(&page_demande).corps.contains("mairie@lyon.fr"),
        "contacts stay private"
    );
    let vue = s.get_avec(&page_offre, &kayes).corps;
    assert!(vue.contains("Déclarer le partenariat"), "{vue}");

    let declare = poster(
        "/espace/bourse/partenariat",
        &kayes,
        paire("demande", &csrf_kayes),
    );
    assert_eq!(declare.statut, 303, "{}", declare.corps);
    let p = dernier(&b, "partenariat");
    assert_eq!(
        commun::entete(&declare.entetes, "location"),
        Some(format!("/espace/partenariats/{p}/historique").as_str())
    );
    assert_eq!(
        nombre(
            s,
            &format!(
                "SELECT count(*) FROM partie WHERE partenariat_id = {p} AND collectivite_id IN ({}, {})",
                b.kayes, b.lyon
            )
        ),
        2
    );
    assert_eq!(
        nombre(
            s,
            &format!("SELECT count(*) FROM partenariat WHERE id = {p} AND validation = 'soumis'")
        ),
        1,
        "reviewed like any declaration"
    );
    assert_eq!(
        nombre(
            s,
            &format!("SELECT count(*) FROM etape WHERE partenariat_id = {p} AND etape = 'amitie'")
        ),
        1
    );
    assert_eq!(
        nombre(
            s,
            "SELECT count(*) FROM bourse_demande WHERE etat = 'pourvue'"
        ) + nombre(
            s,
            "SELECT count(*) FROM bourse_offre WHERE etat = 'pourvue'"
        ),
        2
    );
    assert!(
        !s.get("/bourse")
            .corps
            .contains("Eau potable pour trois villages"),
        "fulfilled"
    );
    assert!(s.get(&page_demande).corps.contains("Pourvue"));
}

#[test]
fn a_refused_form_says_what_to_fix_and_writes_nothing() {
    let b = bourse();
    let s = &b.serveur;
    let (kayes, csrf) = s.session("maire@kayes.ml", MOT_DE_PASSE);
    let refuse = s.post(
        &format!("/espace/bourse/demandes/nouvelle?collectivite={}", b.kayes),
        Some(&kayes),
        &[
            ("csrf", &csrf),
            ("titre", "Eau"),
            ("description", "Un forage."),
            ("langue", "fr"),
            ("ouverte_jusqu_au", &date_dans(30)),
        ],
    );
    assert_eq!(refuse.statut, 422);
    assert!(
        refuse.corps.contains("Remplissez le champ « Domaines »"),
        "{}",
        refuse.corps
    );
    let tard = s.post(
        &format!("/espace/bourse/demandes/nouvelle?collectivite={}", b.kayes),
        Some(&kayes),
        &[
            ("csrf", &csrf),
            ("titre", "Eau"),
            ("description", "Un forage."),
            ("domaine", "eau_assainissement"),
            ("langue", "fr"),
            ("ouverte_jusqu_au", &date_dans(1000)),
        ],
    );
    assert_eq!(tard.statut, 422);
    assert!(tard.corps.contains("deux ans"), "{}", tard.corps);
    let (lyon, csrf_lyon) = s.session("mairie@lyon.fr", MOT_DE_PASSE);
    let sans_financement = s.post(
        &format!("/espace/bourse/offres/nouvelle?collectivite={}", b.lyon),
        Some(&lyon),
        &[
            ("csrf", &csrf_lyon),
            ("titre", "Appui"),
            ("description", "Des techniciens."),
            ("domaine", "eau_assainissement"),
            ("capacite", "appui_technique"),
            ("financement_de", "5 000"),
            ("financement_a", "1 000"),
            ("devise", "EUR"),
            ("langue", "fr"),
            ("ouverte_jusqu_au", &date_dans(30)),
        ],
    );
    assert_eq!(sans_financement.statut, 422);
    assert!(
        sans_financement.corps.contains("Financement"),
        "{}",
        sans_financement.corps
    );
    assert_eq!(nombre(s, "SELECT count(*) FROM bourse_demande"), 0);
    assert_eq!(nombre(s, "SELECT count(*) FROM bourse_offre"), 0);
    // a Malian commune offers nothing, a French one asks nothing
    let (lyon, _) = (lyon, ());
    assert_eq!(
        s.get_avec(
            &format!("/espace/bourse/demandes/nouvelle?collectivite={}", b.lyon),
            &lyon
        )
        .statut,
        400
    );
}

#[test]
fn the_method_page_is_written_from_the_weights() {
    let b = bourse();
    let page = b.serveur.get("/bourse/comment-nous-rapprochons").corps;
    let poids = benkan::model::bourse::POIDS;
    for (raison, points) in [
        ("Un domaine en commun", poids.domaine),
        ("Niveaux comparables", poids.niveau_comparable),
        ("connaît déjà la région", poids.region_connue),
        ("n'a aucun partenariat actif", poids.sans_partenariat),
    ] {
        let ligne = page
            .lines()
            .find(|l| l.contains(raison))
            .unwrap_or_else(|| panic!("{raison} absent: {page}"));
        assert!(ligne.contains(&format!(">{points}<")), "{ligne}");
    }
    for e in benkan::model::bourse::Ecart::TOUS {
        assert!(
            page.contains(&e.texte().replace('\'', "&#39;")),
            "{}",
            e.texte()
        );
    }
}

/// Both sides click « Déclarer le partenariat » at the same moment while authorities publish
/// and visitors read: one partenariat is born, the other click is told why not, every
/// publication lands and every page answers.
#[test]
fn simultaneous_clicks_declare_one_partenariat_while_others_publish_and_read() {
    let b = bourse();
    let s = &b.serveur;
    let (kayes, csrf_kayes) = s.session("maire@kayes.ml", MOT_DE_PASSE);
    let (lyon, csrf_lyon) = s.session("mairie@lyon.fr", MOT_DE_PASSE);
    let (admin, csrf_admin) = s.session("admin@mdat.ml", MOT_DE_PASSE);
    assert_eq!(demande_de_kayes(&b, &kayes, &csrf_kayes).statut, 303);
    assert_eq!(offre_de_lyon(&b, &lyon, &csrf_lyon).statut, 303);
    let (demande, offre) = (dernier(&b, "bourse_demande"), dernier(&b, "bourse_offre"));
    for chemin in [
        format!("/espace/bourse/demandes/{demande}/decision"),
        format!("/espace/bourse/offres/{offre}/decision"),
    ] {
        let r = s.post(
            &chemin,
            Some(&admin),
            &[("csrf", &csrf_admin), ("decision", "valider")],
        );
        assert_eq!(r.statut, 303);
    }
    let (d, o) = (demande.to_string(), offre.to_string());
    for (session, csrf, cote) in [
        (&kayes, &csrf_kayes, "demande"),
        (&lyon, &csrf_lyon, "offre"),
    ] {
        let champs = [
            ("csrf", csrf.as_str()),
            ("demande", &d),
            ("offre", &o),
            ("cote", cote),
        ];
        assert_eq!(
            s.post("/espace/bourse/interet", Some(session), &champs)
                .statut,
            303
        );
    }
    let partenariats = nombre(s, "SELECT count(*) FROM partenariat");

    let depart = std::sync::Barrier::new(10);
    let statuts: Vec<(&str, u16)> = std::thread::scope(|t| {
        let mut fils = Vec::new();
        for (session, csrf) in [(&kayes, &csrf_kayes), (&lyon, &csrf_lyon)] {
            let (depart, d, o) = (&depart, &d, &o);
            fils.push(t.spawn(move || {
                depart.wait();
                let champs = [("csrf", csrf.as_str()), ("demande", d), ("offre", o)];
                (
                    "déclarer",
                    s.post("/espace/bourse/partenariat", Some(session), &champs)
                        .statut,
                )
            }));
        }
        for _ in 0..4 {
            let (depart, b, kayes, csrf) = (&depart, &b, &kayes, &csrf_kayes);
            fils.push(t.spawn(move || {
                depart.wait();
                ("publier", demande_de_kayes(b, kayes, csrf).statut)
            }));
        }
        for i in 0..4 {
            let (depart, page) = (&depart, format!("/bourse/demandes/{demande}"));
            fils.push(t.spawn(move || {
                depart.wait();
                (
                    "lire",
                    s.get(if i % 2 == 0 { "/bourse" } else { &page }).statut,
                )
            }));
        }
        fils.into_iter().map(|f| f.join().unwrap()).collect()
    });
    let mut declares: Vec<u16> = statuts
        .iter()
        .filter(|(q, _)| *q == "déclarer")
        .map(|(_, s)| *s)
        .collect();
    declares.sort();
    assert_eq!(
        declares,
        [303, 400],
        "one click declares, the other is told: {statuts:?}"
    );
    assert!(
        statuts
            .iter()
            .filter(|(q, _)| *q == "publier")
            .all(|(_, s)| *s == 303),
        "{statuts:?}"
    );
    assert!(
        statuts
            .iter()
            .filter(|(q, _)| *q == "lire")
            .all(|(_, s)| *s == 200),
        "{statuts:?}"
    );
    assert_eq!(
        nombre(s, "SELECT count(*) FROM partenariat"),
        partenariats + 1
    );
    assert_eq!(nombre(s, "SELECT count(*) FROM bourse_rencontre"), 1);
    assert_eq!(nombre(s, "SELECT count(*) FROM bourse_demande"), 5);
}

/// The accounts of [`bourse`]: none may appear in what the public reads.
const EMAILS: [&str; 5] = [
    "admin@mdat.ml",
    "maire@kayes.ml",
    "maire@mopti.ml",
    "lecteur@ambassade.fr",
    "mairie@lyon.fr",
];

#[test]
fn the_api_reads_what_the_public_sees_and_never_a_contact() {
    use commun::api::{conforme, erreur, lire};
    let b = bourse();
    let s = &b.serveur;
    let (kayes, csrf_kayes) = s.session("maire@kayes.ml", MOT_DE_PASSE);
    let (lyon, csrf_lyon) = s.session("mairie@lyon.fr", MOT_DE_PASSE);
    let (admin, csrf_admin) = s.session("admin@mdat.ml", MOT_DE_PASSE);
    assert_eq!(demande_de_kayes(&b, &kayes, &csrf_kayes).statut, 303);
    let demande = dernier(&b, "bourse_demande");
    assert_eq!(offre_de_lyon(&b, &lyon, &csrf_lyon).statut, 303);
    let offre = dernier(&b, "bourse_offre");
    let fiche_demande = format!("/api/v1/bourse/demandes/{demande}");
    let fiche_offre = format!("/api/v1/bourse/offres/{offre}");

    // under review: unknown to the API
    assert_eq!(lire(s, "/api/v1/bourse/demandes")["total"], 0);
    assert_eq!(lire(s, "/api/v1/bourse/offres")["total"], 0);
    erreur(s, "GET", &fiche_demande, 404, "introuvable");
    erreur(s, "GET", &fiche_offre, 404, "introuvable");

    for chemin in [
        format!("/espace/bourse/demandes/{demande}/decision"),
        format!("/espace/bourse/offres/{offre}/decision"),
    ] {
        let oui = s.post(
            &chemin,
            Some(&admin),
            &[("csrf", &csrf_admin), ("decision", "valider")],
        );
        assert_eq!(oui.statut, 303, "{}", oui.corps);
    }
    let demandes = lire(s, "/api/v1/bourse/demandes");
    conforme(s, "ListeDemandesBourse", &demandes, "demandes");
    assert_eq!(demandes["total"], 1);
    let d = &demandes["elements"][0];
    assert_eq!(d["titre"], "Eau potable pour trois villages");
    assert_eq!(d["etat"], "ouverte");
    assert_eq!(d["collectivite"]["id"], b.kayes.0);
    assert_eq!(d["collectivite"]["region"]["id"], b.region_kayes.0);
    assert_eq!(
        d["domaines"][0],
        serde_json::json!({ "code": "eau_assainissement", "libelle": "Eau et assainissement" })
    );
    assert_eq!(d["page"], format!("/bourse/demandes/{demande}"));
    let offres = lire(s, "/api/v1/bourse/offres");
    conforme(s, "ListeOffresBourse", &offres, "offres");
    let o = &offres["elements"][0];
    assert_eq!(o["collectivite"]["id"], b.lyon.0);
    assert_eq!(o["acteur"], serde_json::Value::Null);
    assert_eq!(o["pays"], "FR");
    assert_eq!(o["financement"]["de"]["unites_mineures"], 500_000);
    assert_eq!(o["financement"]["a"]["devise"], "EUR");
    assert_eq!(o["regions_connues"][0]["id"], b.region_kayes.0);

    // the page's filters, same names, same meaning
    for (chemin, total) in [
        ("/api/v1/bourse/demandes?region=ML-1&domaine=sante", 1),
        ("/api/v1/bourse/demandes?region=ML-5", 0),
        ("/api/v1/bourse/demandes?domaine=culture", 0),
        ("/api/v1/bourse/demandes?niveau=commune&pays=FR", 1),
        ("/api/v1/bourse/demandes?niveau=region", 0),
        ("/api/v1/bourse/offres?region=ML-1&pays=fr", 1),
        ("/api/v1/bourse/offres?pays=DE", 0),
        (
            "/api/v1/bourse/offres?niveau=commune&domaine=eau_assainissement",
            1,
        ),
        ("/api/v1/bourse/offres?par_page=1&page=2", 1),
    ] {
        assert_eq!(lire(s, chemin)["total"], total, "{chemin}");
    }
    assert_eq!(
        lire(s, "/api/v1/bourse/offres?par_page=1&page=2")["elements"],
        serde_json::json!([])
    );
    for (chemin, mot) in [
        ("/api/v1/bourse/demandes?region=ML-99", "région"),
        ("/api/v1/bourse/demandes?domaine=forage", "domaine"),
        ("/api/v1/bourse/offres?pays=France", "pays"),
        ("/api/v1/bourse/offres?niveau=village", "niveau"),
        ("/api/v1/bourse/offres?etat=ouverte", "etat"),
    ] {
        let message = erreur(s, "GET", chemin, 400, "parametre_invalide");
        assert!(message.contains(mot), "{chemin}: {message}");
    }
    erreur(
        s,
        "GET",
        "/api/v1/bourse/demandes/1?x=1",
        400,
        "parametre_invalide",
    );

    // both sides say their interest and declare the partenariat: the pair is fulfilled,
    // out of the lists, still readable with its état
    let paire = |cote: &'static str, csrf: &str| {
        [
            ("csrf".to_owned(), csrf.to_owned()),
            ("demande".to_owned(), demande.to_string()),
            ("offre".to_owned(), offre.to_string()),
            ("cote".to_owned(), cote.to_owned()),
            ("message".to_owned(), "Écrivez-nous".to_owned()),
        ]
    };
    let poster = |chemin: &str, session: &str, champs: [(String, String); 5]| {
        let champs: Vec<(&str, &str)> = champs
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        s.post(chemin, Some(session), &champs)
    };
    for (session, cote, csrf) in [
        (&lyon, "offre", &csrf_lyon),
        (&kayes, "demande", &csrf_kayes),
    ] {
        let dit = poster("/espace/bourse/interet", session, paire(cote, csrf));
        assert_eq!(dit.statut, 303, "{}", dit.corps);
    }
    let mut lus = vec![
        lire(s, "/api/v1/bourse/demandes").to_string(),
        lire(s, "/api/v1/bourse/offres").to_string(),
        lire(s, &fiche_demande).to_string(),
        lire(s, &fiche_offre).to_string(),
    ];
    let declare = poster(
        "/espace/bourse/partenariat",
        &kayes,
        paire("demande", &csrf_kayes),
    );
    assert_eq!(declare.statut, 303, "{}", declare.corps);
    assert_eq!(lire(s, "/api/v1/bourse/demandes")["total"], 0);
    assert_eq!(lire(s, "/api/v1/bourse/offres")["total"], 0);
    let pourvue = lire(s, &fiche_demande);
    conforme(s, "DemandeBourse", &pourvue, &fiche_demande);
    assert_eq!(pourvue["etat"], "pourvue");
    let pourvue = lire(s, &fiche_offre);
    conforme(s, "OffreBourse", &pourvue, &fiche_offre);
    assert_eq!(pourvue["etat"], "pourvue");
    lus.extend([pourvue.to_string(), lire(s, &fiche_demande).to_string()]);
    for corps in &lus {
        for email in EMAILS {
            assert!(!corps.contains(email), "{email} in {corps}");
        }
        for mot in ["interet", "Écrivez-nous", "@"] {
            assert!(!corps.contains(mot), "{mot} in {corps}");
        }
    }
}

/// The entries of the open data's zip at `chemin`, by name, once it holds today's data.
fn donnees_ouvertes(
    s: &commun::Serveur,
    chemin: &str,
) -> std::collections::BTreeMap<String, String> {
    let debut = std::time::Instant::now();
    let octets = loop {
        let r = commun::api::requete(s, "GET", chemin, &[]);
        assert_eq!(r.statut, 200, "{chemin}");
        if r.entete("benkan-fichier") == Some("a-jour") {
            break r.octets;
        }
        assert!(debut.elapsed().as_secs() < 60, "{chemin} never rebuilt");
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
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
fn the_open_data_holds_every_published_demande_and_offre_and_no_contact() {
    let b = bourse();
    let s = &b.serveur;
    let (kayes, csrf_kayes) = s.session("maire@kayes.ml", MOT_DE_PASSE);
    let (lyon, csrf_lyon) = s.session("mairie@lyon.fr", MOT_DE_PASSE);
    let (admin, csrf_admin) = s.session("admin@mdat.ml", MOT_DE_PASSE);
    assert_eq!(demande_de_kayes(&b, &kayes, &csrf_kayes).statut, 303);
    let demande = dernier(&b, "bourse_demande");
    assert_eq!(offre_de_lyon(&b, &lyon, &csrf_lyon).statut, 303);
    let offre = dernier(&b, "bourse_offre");
    // a second demande stays under review: not in the files
    assert_eq!(demande_de_kayes(&b, &kayes, &csrf_kayes).statut, 303);
    for chemin in [
        format!("/espace/bourse/demandes/{demande}/decision"),
        format!("/espace/bourse/offres/{offre}/decision"),
    ] {
        let oui = s.post(
            &chemin,
            Some(&admin),
            &[("csrf", &csrf_admin), ("decision", "valider")],
        );
        assert_eq!(oui.statut, 303, "{}", oui.corps);
    }
    // withdrawn by its author: still published, with its état
    let retiree = s.post(
        &format!("/espace/bourse/offres/{offre}/retirer"),
        Some(&lyon),
        &[("csrf", &csrf_lyon)],
    );
    assert_eq!(retiree.statut, 303, "{}", retiree.corps);

    let fichiers = donnees_ouvertes(s, "/donnees/registre.zip");
    let demandes = &fichiers["bourse_demandes.csv"];
    let lignes: Vec<&str> = demandes.lines().collect();
    assert_eq!(
        lignes[0],
        "identifiant,titre,besoin,domaines,axes,langues,objectif_pdesc,niveau_souhaite,\
         pays_souhaite,collectivite,collectivite_nom,region,ouverte_jusqu_au,etat,publiee_le"
    );
    assert_eq!(lignes.len(), 2, "{demandes}");
    assert!(
        lignes[1].starts_with(&format!(
            "{demande},Eau potable pour trois villages,Deux forages et un comité de gestion formé.,\
             eau_assainissement | sante,,fr | snk,,,,ML:ML-1-KAYES-KAYES,Kayes,ML:ML-1,{},ouverte,",
            date_dans(180)
        )),
        "{demandes}"
    );
    let offres = &fichiers["bourse_offres.csv"];
    let lignes: Vec<&str> = offres.lines().collect();
    assert_eq!(lignes.len(), 2, "{offres}");
    assert!(
        lignes[1].starts_with(&format!(
            "{offre},Appui à la gestion de l'eau,Nos techniciens de l'eau forment des comités de gestion.,\
             eau_assainissement,fr,appui_technique | financement,5000.00,20000.00,EUR,\
             FR:commune-actuelle:69123,Lyon,,FR,ML:ML-1,{},retiree,",
            date_dans(300)
        )),
        "{offres}"
    );
    let excel = donnees_ouvertes(s, "/donnees/registre-excel.zip");
    assert!(
        excel["bourse_offres.csv"].contains(";5000,00;20000,00;EUR;"),
        "{}",
        excel["bourse_offres.csv"]
    );
    for texte in [demandes, offres, &excel["bourse_demandes.csv"]] {
        for email in EMAILS {
            assert!(!texte.contains(email), "{email} in {texte}");
        }
        assert!(!texte.contains('@'), "{texte}");
    }
}

/// The overview's line of the bourse, as the page writes it.
fn ligne_de_l_apercu(s: &commun::Serveur) -> String {
    let page = s.get("/apercu").corps;
    let debut = page
        .find("<p class=\"bourse\">")
        .unwrap_or_else(|| panic!("no line of the bourse: {page}"));
    let fin = debut + page[debut..].find("</p>").unwrap();
    page[debut..fin].to_owned()
}

#[test]
fn the_overview_counts_what_is_open_and_what_the_bourse_gave_this_year() {
    let b = bourse();
    let s = &b.serveur;
    let annee = time::OffsetDateTime::now_utc().year();
    let ligne = ligne_de_l_apercu(s);
    assert!(
        ligne.contains(&format!(
            "<a href=\"/bourse\">Bourse aux partenariats</a> : 0 demande ouverte, 0 offre ouverte, \
             0 partenariat né de la bourse en {annee}"
        )),
        "{ligne}"
    );
    let (kayes, csrf_kayes) = s.session("maire@kayes.ml", MOT_DE_PASSE);
    let (lyon, csrf_lyon) = s.session("mairie@lyon.fr", MOT_DE_PASSE);
    let (admin, csrf_admin) = s.session("admin@mdat.ml", MOT_DE_PASSE);
    assert_eq!(demande_de_kayes(&b, &kayes, &csrf_kayes).statut, 303);
    let demande = dernier(&b, "bourse_demande");
    assert_eq!(offre_de_lyon(&b, &lyon, &csrf_lyon).statut, 303);
    assert!(
        ligne_de_l_apercu(s).contains(" 0 demande ouverte, 0 offre ouverte"),
        "under review: not counted"
    );
    let oui = s.post(
        &format!("/espace/bourse/demandes/{demande}/decision"),
        Some(&admin),
        &[("csrf", &csrf_admin), ("decision", "valider")],
    );
    assert_eq!(oui.statut, 303, "{}", oui.corps);
    let ligne = ligne_de_l_apercu(s);
    assert!(
        ligne.contains(" 1 demande ouverte, 0 offre ouverte, 0 partenariat né"),
        "{ligne}"
    );
    let json = commun::api::lire(s, "/api/v1/apercu");
    assert_eq!(
        json["bourse"],
        serde_json::json!({ "demandes_ouvertes": 1, "offres_ouvertes": 0, "nes_dans_l_annee": 0 })
    );
    commun::api::conforme(s, "Apercu", &json, "/api/v1/apercu");
    let rapport = s.get("/apercu/rapport.html").corps;
    assert!(
        rapport.contains("Bourse aux partenariats : 1 demande ouverte")
            && !rapport.contains("href=\"/bourse\""),
        "the printable report names it without a link"
    );
}
