//! E-mail against a real SMTP server (aiosmtpd, `commun::smtp`): « mot de passe oublié »,
//! the first sign-in link, the review digest, the notices of decisions, the campaign's
//! reminders, retries when the server is down, and the site without SMTP.

mod commun;

use std::time::{Duration, Instant};

use benkan::courriel::{Courrier, Securite, Smtp};
use benkan::model::{Email, NouveauPartenariat, StatutPartenariat, Validation};
use benkan::store::{Store, compte, partenariat};
use commun::smtp::{BoiteSmtp, Recu, port_libre};
use commun::{MOT_DE_PASSE, Reponse, Serveur, nombre};

const SITE: &str = "https://benkan.exemple.ml";

fn smtp(port: u16, securite: Securite) -> Smtp {
    Smtp {
        serveur: "127.0.0.1".to_owned(),
        port,
        securite,
        identifiants: None,
        expediteur: "benkan <registre@benkan.exemple.ml>".to_owned(),
        site: SITE.to_owned(),
        reessai: Duration::from_secs(1),
        heure_resume: 0,
    }
}

fn reglages(store: &Store, smtp: Smtp) -> benkan::web::Reglages {
    benkan::web::Reglages {
        courrier: Some(Courrier::demarrer(smtp, store.clone()).unwrap()),
        ..Default::default()
    }
}

/// The demonstration site with the test accounts, sending through `boite`, after
/// `preparer` ran on its database.
fn site(port: u16, securite: Securite, preparer: impl FnOnce(&rusqlite::Connection)) -> Serveur {
    Serveur::demo_preparee(
        |conn| {
            commun::comptes_kayes_mopti(conn);
            preparer(conn);
        },
        |store| reglages(store, smtp(port, securite)),
    )
}

/// The link a message carries to choose a password, and its token.
fn lien(recu: &Recu) -> (String, String) {
    let debut = recu
        .texte
        .find(&format!("{SITE}/connexion/nouveau-mot-de-passe?jeton="))
        .unwrap_or_else(|| panic!("no link in {}", recu.texte));
    let lien: String = recu.texte[debut..]
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect();
    let jeton = lien.rsplit('=').next().unwrap().to_owned();
    assert!(
        recu.html.contains(&format!("href=\"{lien}\"")),
        "{}",
        recu.html
    );
    (lien.trim_start_matches(SITE).to_owned(), jeton)
}

fn demander_lien(s: &Serveur, email: &str) -> Reponse {
    let (cookie, csrf) = s.formulaire_anonyme("/connexion/oubli");
    s.post_cookie(
        "/connexion/oubli",
        &cookie,
        &[("csrf", &csrf), ("email", email)],
    )
}

fn choisir(s: &Serveur, jeton: &str, nouveau: &str, confirmation: &str) -> Reponse {
    s.post(
        "/connexion/nouveau-mot-de-passe",
        None,
        &[
            ("jeton", jeton),
            ("nouveau", nouveau),
            ("confirmation", confirmation),
        ],
    )
}

/// Waits (up to 30 s) until `condition` holds.
fn attendre_que(quoi: &str, condition: impl Fn() -> bool) {
    let debut = Instant::now();
    while !condition() {
        assert!(debut.elapsed() < Duration::from_secs(30), "never: {quoi}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_forgotten_password_is_replaced_through_a_single_use_link_that_the_database_never_holds() {
    let boite = BoiteSmtp::demarrer();
    let s = site(boite.port, Securite::Aucune, |_| ());

    assert!(
        s.get("/connexion")
            .corps
            .contains("href=\"/connexion/oubli\"")
    );
    let inconnu = demander_lien(&s, "personne@nulle-part.ml");
    let connu = demander_lien(&s, "Maire@Kayes.ml");
    assert_eq!((inconnu.statut, connu.statut), (200, 200));
    // the same answer, whether or not the account exists
    let sans_adresse = |r: &Reponse, email: &str| {
        let corps = r.corps.replace(email, "ADRESSE");
        let debut = corps.find("name=\"csrf\"").unwrap_or(0);
        corps[..debut].to_owned()
    };
    assert_eq!(
        sans_adresse(&inconnu, "personne@nulle-part.ml"),
        sans_adresse(&connu, "Maire@Kayes.ml")
    );
    assert!(connu.corps.contains("Si un compte actif porte l'adresse"));

    let recus = boite.attendre(1);
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(boite.messages().len(), 1, "nothing for an unknown address");
    let recu = &recus[0];
    assert_eq!(recu.a, "maire@kayes.ml");
    assert_eq!(recu.de, "benkan <registre@benkan.exemple.ml>");
    assert_eq!(recu.sujet, "benkan : choisir un nouveau mot de passe");
    assert!(recu.texte.contains("pendant une heure"), "{}", recu.texte);
    assert_eq!(recu.auto_submitted.as_deref(), Some("auto-generated"));
    assert!(!recu.html.contains("<img"), "no tracking");
    let (chemin, jeton) = lien(recu);

    // only the hash is kept, and nothing in the queue
    assert_eq!(
        nombre(
            &s,
            &format!(
                "SELECT count(*) FROM lien_connexion WHERE jeton_hash = '{}'",
                benkan::acces::empreinte(&jeton)
            )
        ),
        1
    );
    assert_eq!(
        nombre(
            &s,
            &format!("SELECT count(*) FROM lien_connexion WHERE jeton_hash LIKE '%{jeton}%'")
        ),
        0
    );
    assert_eq!(nombre(&s, "SELECT count(*) FROM courriel"), 0);

    let formulaire = s.get(&chemin);
    assert_eq!(formulaire.statut, 200);
    assert!(formulaire.corps.contains("maire@kayes.ml"));
    let (ancienne, _) = s.session("maire@kayes.ml", MOT_DE_PASSE);
    let nouveau = "une phrase de passe toute neuve";
    assert_eq!(
        choisir(&s, &jeton, nouveau, "autre chose encore").statut,
        422
    );
    assert_eq!(choisir(&s, &jeton, "court", "court").statut, 422);
    let fait = choisir(&s, &jeton, nouveau, nouveau);
    assert_eq!(fait.statut, 200, "{}", fait.corps);
    assert!(fait.corps.contains("Mot de passe enregistré"));

    assert_eq!(
        s.connecter("maire@kayes.ml", MOT_DE_PASSE, "/espace")
            .statut,
        401
    );
    assert_eq!(
        s.connecter("maire@kayes.ml", nouveau, "/espace").statut,
        303
    );
    assert_eq!(
        s.get_avec("/espace", &ancienne).statut,
        303,
        "the sessions opened with the old password are closed"
    );
    // single use
    assert_eq!(s.get(&chemin).statut, 410);
    assert_eq!(
        choisir(
            &s,
            &jeton,
            "encore une autre phrase",
            "encore une autre phrase"
        )
        .statut,
        410
    );

    // a link past its hour does not work
    demander_lien(&s, "maire@kayes.ml");
    let (chemin, jeton) = lien(&boite.attendre(2)[1]);
    s.conn()
        .execute(
            "UPDATE lien_connexion SET expire_le = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-1 minute') WHERE jeton_hash = ?1",
            [benkan::acces::empreinte(&jeton)],
        )
        .unwrap();
    assert_eq!(s.get(&chemin).statut, 410);
    assert!(s.get(&chemin).corps.contains("Ce lien ne marche plus"));
    assert_eq!(
        s.get("/connexion/nouveau-mot-de-passe?jeton=abc").statut,
        410
    );
    assert_eq!(s.get("/connexion/nouveau-mot-de-passe").statut, 410);

    // asking again and again is limited, per address
    let mut statuts = Vec::new();
    for _ in 0..4 {
        statuts.push(demander_lien(&s, "maire@mopti.ml").statut);
    }
    assert_eq!(statuts, [200, 200, 200, 429]);
    // and a form from elsewhere is refused
    assert_eq!(
        s.post("/connexion/oubli", None, &[("email", "maire@kayes.ml")])
            .statut,
        403
    );
}

#[test]
fn an_account_created_without_password_gets_its_first_sign_in_link() {
    let boite = BoiteSmtp::demarrer();
    let s = site(boite.port, Securite::Aucune, |_| ());
    let (admin, csrf) = s.session("admin@mdat.ml", MOT_DE_PASSE);
    let formulaire = s.get_avec("/espace/comptes", &admin);
    assert!(
        formulaire
            .corps
            .contains("Premier mot de passe (facultatif")
    );
    let cree = s.post(
        "/espace/comptes",
        Some(&admin),
        &[
            ("csrf", &csrf),
            ("email", "secretaire@kita.ml"),
            ("role", "lecteur"),
            ("collectivites", ""),
            ("mot_de_passe", ""),
        ],
    );
    assert_eq!(cree.statut, 303, "{}", cree.corps);
    assert_eq!(cree.entete("location"), Some("/espace/comptes?lien=envoye"));
    assert!(
        s.get_avec("/espace/comptes?lien=envoye", &admin)
            .corps
            .contains("Un e-mail part vers son adresse")
    );
    let recu = &boite.attendre(1)[0];
    assert_eq!(recu.a, "secretaire@kita.ml");
    assert_eq!(recu.sujet, "benkan : votre compte est ouvert");
    assert!(recu.texte.contains("trois jours"));
    let (chemin, jeton) = lien(recu);
    assert!(s.get(&chemin).corps.contains("Première connexion"));
    let choisi = "le mot de passe de la secrétaire";
    assert_eq!(choisir(&s, &jeton, choisi, choisi).statut, 200);
    assert_eq!(
        s.connecter("secretaire@kita.ml", choisi, "/espace").statut,
        303
    );
}

/// Two partenariats declared by the maire of Kayes, waiting for the review.
fn deux_declarations(conn: &rusqlite::Connection) {
    let kayes = commun::par_code(
        conn,
        benkan::model::Pays::MALI,
        benkan::model::Niveau::Commune,
        "ML-1-KAYES-KAYES",
    )
    .id;
    let angers = commun::par_code(
        conn,
        benkan::model::Pays::FRANCE,
        benkan::model::Niveau::Commune,
        "49007",
    )
    .id;
    let maire = compte::par_email(conn, &Email::new("maire@kayes.ml").unwrap())
        .unwrap()
        .unwrap()
        .0
        .id;
    for titre in ["Kayes – Angers : eau", "Kayes – Angers : écoles"] {
        partenariat::creer_par(
            conn,
            NouveauPartenariat {
                validation: Validation::Soumis,
                ..NouveauPartenariat::new(titre, StatutPartenariat::Actif, vec![kayes, angers])
            },
            Some(maire),
        )
        .unwrap();
    }
}

#[test]
fn administrators_get_one_digest_a_day_and_authorities_hear_of_each_decision() {
    let boite = BoiteSmtp::demarrer();
    let s = site(boite.port, Securite::Aucune, deux_declarations);
    let en_attente = nombre(
        &s,
        "SELECT count(*) FROM partenariat WHERE validation = 'soumis' AND archive = 0",
    ) + nombre(
        &s,
        "SELECT count(*) FROM action WHERE validation = 'soumis' AND archive = 0",
    );
    assert!(en_attente >= 2);

    // one digest per active administrator, written at start (the hour is 0 here)
    let admins = nombre(
        &s,
        "SELECT count(*) FROM compte WHERE role = 'admin_national' AND actif = 1",
    );
    let recus = boite.attendre(admins as usize);
    let resume = recus
        .iter()
        .find(|r| r.a == "admin@mdat.ml")
        .expect("the digest reaches admin@mdat.ml");
    assert_eq!(
        resume.sujet,
        format!("benkan : {en_attente} déclarations attendent votre revue")
    );
    assert!(resume.texte.contains(&format!("{SITE}/espace/validation")));
    // the day is noted: a second sender on the same database writes no second digest
    let second = Courrier::demarrer(smtp(boite.port, Securite::Aucune), s.store.clone()).unwrap();
    second.reveiller();
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(boite.messages().len(), admins as usize);
    drop(second);

    let id = |titre: &str| -> i64 {
        s.conn()
            .query_row(
                "SELECT id FROM partenariat WHERE titre = ?1",
                [titre],
                |r| r.get(0),
            )
            .unwrap()
    };
    let (eau, ecoles) = (id("Kayes – Angers : eau"), id("Kayes – Angers : écoles"));
    let (admin, csrf) = s.session("admin@mdat.ml", MOT_DE_PASSE);
    let debut = Instant::now();
    let valide = s.post(
        &format!("/espace/validation/{eau}"),
        Some(&admin),
        &[("csrf", &csrf), ("decision", "valider")],
    );
    assert_eq!(valide.statut, 303);
    let renvoye = s.post(
        &format!("/espace/validation/{ecoles}"),
        Some(&admin),
        &[
            ("csrf", &csrf),
            ("decision", "renvoyer"),
            ("commentaire", "Précisez le nombre de classes & le lieu."),
        ],
    );
    assert_eq!(renvoye.statut, 303);
    assert!(debut.elapsed() < Duration::from_secs(20));
    let recus = boite.attendre(admins as usize + 2);
    let au_maire: Vec<&Recu> = recus.iter().filter(|r| r.a == "maire@kayes.ml").collect();
    assert_eq!(au_maire.len(), 2, "{recus:#?}");
    let validee = au_maire
        .iter()
        .find(|r| r.sujet.contains("est validée"))
        .unwrap();
    assert_eq!(
        validee.sujet,
        "benkan : votre déclaration « Kayes – Angers : eau » est validée"
    );
    assert!(
        validee
            .texte
            .contains(&format!("{SITE}/partenariats/{eau}"))
    );
    let renvoi = au_maire
        .iter()
        .find(|r| r.sujet.contains("renvoyée"))
        .unwrap();
    assert!(
        renvoi
            .texte
            .contains("« Précisez le nombre de classes & le lieu. »"),
        "{}",
        renvoi.texte
    );
    assert!(
        renvoi
            .html
            .contains("Précisez le nombre de classes &#38; le lieu."),
        "escaped in HTML: {}",
        renvoi.html
    );
    assert_eq!(
        nombre(&s, "SELECT count(*) FROM courriel WHERE envoye_le IS NULL"),
        0,
        "every kept message left"
    );
}

#[test]
fn the_campaign_reminds_each_account_of_its_own_partenariats() {
    let boite = BoiteSmtp::demarrer();
    let s = site(boite.port, Securite::Aucune, |_| ());
    let (admin, csrf) = s.session("admin@mdat.ml", MOT_DE_PASSE);
    assert_eq!(
        s.post("/espace/campagne/rappels", Some(&admin), &[("csrf", &csrf)])
            .statut,
        400,
        "no campaign open yet"
    );
    s.post("/espace/campagne", Some(&admin), &[("csrf", &csrf)]);
    let page = s.get_avec("/espace/campagne", &admin);
    assert!(page.corps.contains("Envoyer les rappels par e-mail"));
    let envoi = s.post("/espace/campagne/rappels", Some(&admin), &[("csrf", &csrf)]);
    assert_eq!(envoi.statut, 303);

    // what each account should hear of, from the same list as the CSV
    let conn = s.conn();
    let depuis = benkan::store::campagne::ouverte_depuis(&conn)
        .unwrap()
        .unwrap();
    let mut attendu: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for l in benkan::store::campagne::a_confirmer(&conn, depuis).unwrap() {
        for email in l.comptes.split(',').filter(|e| !e.is_empty()) {
            attendu
                .entry(email.to_owned())
                .or_default()
                .push(l.titre.clone());
        }
    }
    drop(conn);
    assert!(attendu.contains_key("maire@kayes.ml"), "{attendu:?}");
    assert_eq!(
        envoi.entete("location"),
        Some(format!("/espace/campagne?rappels={}", attendu.len()).as_str())
    );
    let recus = boite.attendre(attendu.len());
    assert_eq!(recus.len(), attendu.len());
    for recu in &recus {
        let titres = &attendu[&recu.a];
        for titre in titres {
            assert!(
                recu.texte.contains(&format!("- {titre}\n")),
                "{titre} in {}",
                recu.texte
            );
        }
        assert_eq!(
            recu.texte.matches("\n- ").count(),
            titres.len(),
            "{}",
            recu.texte
        );
    }
    assert!(
        s.get_avec("/espace/campagne", &admin)
            .corps
            .contains("Derniers rappels envoyés le")
    );
}

#[test]
fn a_mail_server_down_delays_messages_without_holding_pages_and_they_leave_once_it_is_back() {
    let port = port_libre();
    let s = site(port, Securite::Aucune, deux_declarations);
    let (admin, csrf) = s.session("admin@mdat.ml", MOT_DE_PASSE);
    let eau: i64 = s
        .conn()
        .query_row(
            "SELECT id FROM partenariat WHERE titre = 'Kayes – Angers : eau'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let debut = Instant::now();
    let valide = s.post(
        &format!("/espace/validation/{eau}"),
        Some(&admin),
        &[("csrf", &csrf), ("decision", "valider")],
    );
    assert_eq!(valide.statut, 303);
    assert!(
        debut.elapsed() < Duration::from_secs(10),
        "the page did not wait for SMTP"
    );
    assert_eq!(demander_lien(&s, "maire@mopti.ml").statut, 200);

    // tried, failed, kept with the error, counted
    attendre_que("a failed try noted", || {
        nombre(
            &s,
            "SELECT count(*) FROM courriel WHERE essais > 0 AND derniere_erreur IS NOT NULL AND genre = 'decision'",
        ) > 0
    });
    let metriques = s.get("/metrics").corps;
    assert!(
        metriques.contains("benkan_courriels_echecs_total{genre=\"decision\"}"),
        "{metriques}"
    );

    // the server comes back: the kept notice, the digest and the link in memory all leave
    let boite = BoiteSmtp::sur(port);
    let admins = nombre(
        &s,
        "SELECT count(*) FROM compte WHERE role = 'admin_national' AND actif = 1",
    ) as usize;
    let recus = boite.attendre(admins + 2);
    assert!(
        recus
            .iter()
            .any(|r| r.a == "maire@kayes.ml" && r.sujet.contains("est validée"))
    );
    assert!(
        recus
            .iter()
            .any(|r| r.a == "maire@mopti.ml" && r.sujet.contains("mot de passe"))
    );
    attendre_que("every kept message marked sent", || {
        nombre(&s, "SELECT count(*) FROM courriel WHERE envoye_le IS NULL") == 0
    });
    let metriques = s.get("/metrics").corps;
    assert!(
        metriques.contains("benkan_courriels_envoyes_total{genre=\"decision\"} 1"),
        "{metriques}"
    );
}

#[test]
fn starttls_is_required_when_asked_for_nothing_leaves_in_clear() {
    let boite = BoiteSmtp::demarrer();
    let s = site(boite.port, Securite::StartTls, |_| ());
    assert_eq!(demander_lien(&s, "maire@kayes.ml").statut, 200);
    attendre_que("the failed try counted", || {
        s.get("/metrics")
            .corps
            .contains("benkan_courriels_echecs_total{genre=\"oubli\"} 1")
    });
    assert!(
        boite.messages().is_empty(),
        "the server offers no STARTTLS: nothing is sent"
    );
}

#[test]
fn without_smtp_the_pages_say_whom_to_ask() {
    let s = Serveur::demo_preparee(
        |conn| {
            commun::comptes_kayes_mopti(conn);
        },
        |_| benkan::web::Reglages {
            exploitant: benkan::web::Exploitant::new(Some("DGCT"), Some("registre@exemple.ml")),
            ..Default::default()
        },
    );
    let oubli = s.get("/connexion/oubli");
    assert_eq!(oubli.statut, 200);
    assert!(oubli.corps.contains("Ce site n'envoie pas d'e-mails"));
    assert!(oubli.corps.contains("mailto:registre@exemple.ml"));
    assert!(!oubli.corps.contains("<form class=\"formulaire\""));
    let (admin, csrf) = s.session("admin@mdat.ml", MOT_DE_PASSE);
    let comptes = s.get_avec("/espace/comptes", &admin);
    assert!(comptes.corps.contains("à transmettre à la personne"));
    let sans_mot_de_passe = s.post(
        "/espace/comptes",
        Some(&admin),
        &[
            ("csrf", &csrf),
            ("email", "secretaire@kita.ml"),
            ("role", "lecteur"),
            ("mot_de_passe", ""),
        ],
    );
    assert_eq!(sans_mot_de_passe.statut, 422, "a first password is needed");
    s.post("/espace/campagne", Some(&admin), &[("csrf", &csrf)]);
    assert!(
        s.get_avec("/espace/campagne", &admin)
            .corps
            .contains("Ce site n'envoie pas d'e-mails")
    );
    assert_eq!(
        s.post("/espace/campagne/rappels", Some(&admin), &[("csrf", &csrf)])
            .statut,
        400
    );
    assert!(
        s.get("/demander-un-compte")
            .corps
            .contains("Ce site n'envoie pas d'e-mails")
    );
    assert!(!s.get("/metrics").corps.contains("courriels"));
    assert_eq!(nombre(&s, "SELECT count(*) FROM courriel"), 0);
}

/// The bourse aux partenariats: when one side says its interest in a pair, the accounts of
/// the other side are told, with the word left and the page where the pair is proposed;
/// when the second side says it, the first hears that the partenariat may be declared.
#[test]
fn each_side_of_the_bourse_hears_of_the_other_s_interest() {
    use benkan::model::bourse::{Annonce, Capacite, Demande, Langue, Offre};
    use benkan::model::{Domaine, Niveau, Pays, Role};
    use benkan::store::bourse::{self, Annonceur, Origine};

    let boite = BoiteSmtp::demarrer();
    let mut ids = (0, 0);
    let s = site(boite.port, Securite::Aucune, |conn| {
        let kayes = commun::par_code(conn, Pays::MALI, Niveau::Commune, "ML-1-KAYES-KAYES").id;
        let lyon = commun::par_code(conn, Pays::FRANCE, Niveau::Commune, "69123").id;
        let hash = benkan::acces::hacher(MOT_DE_PASSE).unwrap();
        compte::creer(
            conn,
            &Email::new("mairie@lyon.fr").unwrap(),
            &hash,
            Role::Collectivite,
            &[lyon],
            &[],
        )
        .unwrap();
        let aujourd_hui = time::OffsetDateTime::now_utc().date();
        let annonce = |titre: &str| Annonce {
            titre: titre.into(),
            description: "Des forages.".into(),
            domaines: vec![Domaine::EauAssainissement],
            langues: vec![Langue::Francais],
            ouverte_jusqu_au: aujourd_hui + time::Duration::days(100),
        };
        let d = Demande {
            annonce: annonce("Eau de Kayes"),
            axes: Vec::new(),
            niveau_souhaite: None,
            pays_souhaite: None,
        };
        let d = bourse::deposer_demande(conn, kayes, d, None, None, aujourd_hui).unwrap();
        let o = Offre {
            annonce: annonce("Appui de Lyon"),
            capacites: vec![Capacite::AppuiTechnique],
            financement: None,
            regions_connues: Vec::new(),
        };
        let origine = Origine {
            collectivite: Some(lyon),
            acteur: None,
        };
        let o = bourse::deposer_offre(conn, origine, o, None, aujourd_hui).unwrap();
        let admin = compte::par_email(conn, &Email::new("admin@mdat.ml").unwrap())
            .unwrap()
            .unwrap()
            .0
            .id;
        bourse::valider(conn, Annonceur::Demande(d), admin).unwrap();
        bourse::valider(conn, Annonceur::Offre(o), admin).unwrap();
        ids = (d.0, o.0);
    });
    let (d, o) = (ids.0.to_string(), ids.1.to_string());
    let interet = |email: &str, cote: &str, message: &str| {
        let (session, csrf) = s.session(email, MOT_DE_PASSE);
        let champs = [
            ("csrf", csrf.as_str()),
            ("demande", &d),
            ("offre", &o),
            ("cote", cote),
            ("message", message),
        ];
        assert_eq!(
            s.post("/espace/bourse/interet", Some(&session), &champs)
                .statut,
            303
        );
    };
    let recu = |a: &str| {
        attendre_que(&format!("a notice to {a}"), || {
            boite
                .messages()
                .iter()
                .any(|r| r.a == a && r.sujet.contains("intérêt"))
        });
        boite
            .messages()
            .into_iter()
            .find(|r| r.a == a && r.sujet.contains("intérêt"))
            .unwrap()
    };

    interet(
        "mairie@lyon.fr",
        "offre",
        "Nos techniciens viennent en février & en mars.",
    );
    let au_maire = recu("maire@kayes.ml");
    assert_eq!(
        au_maire.sujet,
        "benkan : intérêt pour votre demande « Eau de Kayes »"
    );
    assert!(
        au_maire
            .texte
            .contains("Lyon (commune) s'intéresse à votre demande « Eau de Kayes »"),
        "{}",
        au_maire.texte
    );
    assert!(
        au_maire
            .texte
            .contains("« Nos techniciens viennent en février & en mars. »")
    );
    assert!(
        au_maire.html.contains("février &#38; en mars"),
        "escaped in HTML: {}",
        au_maire.html
    );
    assert!(
        au_maire
            .texte
            .contains(&format!("{SITE}/bourse/demandes/{d}#offres"))
    );
    assert!(au_maire.texte.contains("dites-le depuis la page"));
    assert!(
        !boite.messages().iter().any(|r| r.a == "maire@mopti.ml"),
        "nobody else is told"
    );

    interet("maire@kayes.ml", "demande", "");
    let a_lyon = recu("mairie@lyon.fr");
    assert_eq!(
        a_lyon.sujet,
        "benkan : intérêt pour votre offre « Appui de Lyon »"
    );
    assert!(
        a_lyon.texte.contains("Commune de Kayes s'intéresse"),
        "{}",
        a_lyon.texte
    );
    assert!(
        a_lyon
            .texte
            .contains("peut maintenant déclarer le partenariat"),
        "{}",
        a_lyon.texte
    );
    assert!(
        !a_lyon.texte.contains("Son message"),
        "no word, no empty quote"
    );
}
