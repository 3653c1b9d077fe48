//! The contributors' space: sign-in, sessions, CSRF, throttling, password change.

mod commun;

use benkan::model::{Email, Role};
use benkan::store::compte;
use commun::{MOT_DE_PASSE, Reponse, Serveur};

/// A server whose database has one account of each role.
fn serveur() -> Serveur {
    Serveur::demarrer(|conn| {
        let hash = benkan::acces::hacher(MOT_DE_PASSE).unwrap();
        for (email, role) in [
            ("admin@mdat.ml", Role::AdminNational),
            ("maire@kayes.ml", Role::Lecteur),
        ] {
            compte::creer(conn, &Email::new(email).unwrap(), &hash, role, &[], &[]).unwrap();
        }
    })
}

/// The session token the server set, from its Set-Cookie header.
fn jeton(reponse: &Reponse) -> String {
    let cookie = reponse
        .entetes
        .iter()
        .find(|(n, v)| n.eq_ignore_ascii_case("set-cookie") && v.starts_with("benkan_session="))
        .map(|(_, v)| v.as_str())
        .expect("no session cookie set");
    cookie
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("benkan_session=")
        .to_owned()
}

fn connecter(s: &Serveur, email: &str, mot_de_passe: &str) -> Reponse {
    s.connecter(email, mot_de_passe, "/espace")
}

/// The CSRF token of a page's forms.
fn csrf(page: &Reponse) -> String {
    let debut = page
        .corps
        .find("name=\"csrf\" value=\"")
        .expect("no csrf field")
        + "name=\"csrf\" value=\"".len();
    page.corps[debut..debut + 64].to_owned()
}

#[test]
fn signing_in_opens_a_session_in_a_safe_cookie() {
    let s = serveur();
    let anonyme = s.get("/espace");
    assert_eq!(anonyme.statut, 303);
    assert_eq!(
        anonyme.entete("location"),
        Some("/connexion?suite=%2Fespace")
    );
    let formulaire = s.get("/connexion?suite=%2Fespace");
    assert!(
        formulaire
            .corps
            .contains("<label for=\"email\">Adresse e-mail</label>")
    );

    let reponse = connecter(&s, "Admin@MDAT.ml", MOT_DE_PASSE);
    assert_eq!(reponse.statut, 303);
    assert_eq!(reponse.entete("location"), Some("/espace"));
    let cookie = reponse.entete("set-cookie").unwrap();
    for attribut in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(attribut), "{cookie}");
    }
    assert!(!cookie.contains("Secure"), "plain HTTP here");
    let espace = s.get_avec("/espace", &jeton(&reponse));
    assert_eq!(espace.statut, 200);
    assert!(espace.corps.contains("<dd>admin@mdat.ml</dd>"));
    assert!(
        espace.corps.contains("maire@kayes.ml"),
        "an administrator sees the accounts"
    );
    assert_eq!(espace.entete("cache-control"), Some("no-store"));
    // The database keeps a hash of the token, never the token.
    let conn = s.conn();
    let stocke: String = conn
        .query_row("SELECT jeton_hash FROM session", [], |r| r.get(0))
        .unwrap();
    assert_ne!(stocke, jeton(&reponse));
}

#[test]
fn a_failed_sign_in_does_not_tell_whether_the_account_exists() {
    let s = serveur();
    let inconnu = connecter(&s, "personne@nulle-part.ml", MOT_DE_PASSE);
    let mauvais = connecter(&s, "admin@mdat.ml", "pas le bon mot de passe");
    for r in [&inconnu, &mauvais] {
        assert_eq!(r.statut, 401);
        assert!(
            r.corps
                .contains("Adresse e-mail ou mot de passe incorrect.")
        );
        assert!(r.entete("set-cookie").is_none());
    }
    assert!(
        mauvais.corps.contains("value=\"admin@mdat.ml\""),
        "the form keeps the e-mail typed"
    );
}

#[test]
fn repeated_failures_from_one_address_are_refused_for_that_account() {
    let s = serveur();
    for _ in 0..5 {
        assert_eq!(
            connecter(&s, "admin@mdat.ml", "pas le bon mot de passe").statut,
            401
        );
    }
    let refuse = connecter(&s, "admin@mdat.ml", MOT_DE_PASSE);
    assert_eq!(
        refuse.statut, 429,
        "from this address, even the right password waits"
    );
    assert!(
        refuse.corps.contains("Réessayez dans 15 minute(s)"),
        "{}",
        refuse.corps
    );
    let attente: u64 = refuse.entete("retry-after").unwrap().parse().unwrap();
    assert!((890..=900).contains(&attente), "{attente}");
    // Another account is not locked by someone else's failures (other addresses: tests/connexion.rs).
    assert_eq!(connecter(&s, "maire@kayes.ml", MOT_DE_PASSE).statut, 303);
}

#[test]
fn signing_out_needs_the_form_token() {
    let s = serveur();
    let session = jeton(&connecter(&s, "admin@mdat.ml", MOT_DE_PASSE));
    let espace = s.get_avec("/espace", &session);
    let bon = csrf(&espace);

    for faux in [
        "",
        "0000000000000000000000000000000000000000000000000000000000000000",
    ] {
        let refus = s.post("/deconnexion", Some(&session), &[("csrf", faux)]);
        assert_eq!(refus.statut, 403, "{faux:?}");
        assert_eq!(
            s.get_avec("/espace", &session).statut,
            200,
            "still signed in"
        );
    }
    assert_eq!(
        s.post("/deconnexion", None, &[("csrf", &bon)]).statut,
        403,
        "no session, no action"
    );

    let sortie = s.post("/deconnexion", Some(&session), &[("csrf", &bon)]);
    assert_eq!(sortie.statut, 303);
    assert!(sortie.entete("set-cookie").unwrap().contains("Max-Age=0"));
    assert_eq!(
        s.get_avec("/espace", &session).statut,
        303,
        "the session is gone"
    );
}

#[test]
fn a_session_expires_after_inactivity() {
    let s = serveur();
    let session = jeton(&connecter(&s, "admin@mdat.ml", MOT_DE_PASSE));
    s.conn()
        .execute(
            "UPDATE session SET vu_le = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-3 hours')",
            [],
        )
        .unwrap();
    assert_eq!(s.get_avec("/espace", &session).statut, 303);
    // A day past its limits, the next sign-in clears it.
    s.conn()
        .execute(
            "UPDATE session SET vu_le = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-25 hours')",
            [],
        )
        .unwrap();
    connecter(&s, "admin@mdat.ml", MOT_DE_PASSE);
    let restantes: i64 = s
        .conn()
        .query_row("SELECT count(*) FROM session", [], |r| r.get(0))
        .unwrap();
    assert_eq!(restantes, 1, "only the new session is left");
}

#[test]
fn changing_the_password_checks_the_old_one_and_closes_other_sessions() {
    let s = serveur();
    let session = jeton(&connecter(&s, "admin@mdat.ml", MOT_DE_PASSE));
    let autre = jeton(&connecter(&s, "admin@mdat.ml", MOT_DE_PASSE));
    let page = s.get_avec("/espace/mot-de-passe", &session);
    let jeton_csrf = csrf(&page);
    let changer = |actuel: &str, nouveau: &str, confirmation: &str| {
        s.post(
            "/espace/mot-de-passe",
            Some(&session),
            &[
                ("csrf", &jeton_csrf),
                ("actuel", actuel),
                ("nouveau", nouveau),
                ("confirmation", confirmation),
            ],
        )
    };
    let nouveau = "une toute nouvelle phrase de passe";
    let court = changer(MOT_DE_PASSE, "court", "court");
    assert_eq!(court.statut, 422);
    assert!(court.corps.contains("au moins 12 caractères"));
    assert_eq!(
        changer(MOT_DE_PASSE, nouveau, "autre chose encore").statut,
        422
    );
    assert!(
        changer("pas le bon mot de passe", nouveau, nouveau)
            .corps
            .contains("Le mot de passe actuel est incorrect.")
    );
    let fait = changer(MOT_DE_PASSE, nouveau, nouveau);
    assert_eq!(fait.statut, 200);
    assert!(fait.corps.contains("Mot de passe changé."));

    assert_eq!(
        s.get_avec("/espace", &session).statut,
        200,
        "this session goes on"
    );
    assert_eq!(
        s.get_avec("/espace", &autre).statut,
        303,
        "the other one is closed"
    );
    assert_eq!(connecter(&s, "admin@mdat.ml", MOT_DE_PASSE).statut, 401);
    assert_eq!(connecter(&s, "admin@mdat.ml", nouveau).statut, 303);
}

#[test]
fn a_disabled_account_cannot_sign_in_and_loses_its_sessions() {
    let s = serveur();
    let session = jeton(&connecter(&s, "maire@kayes.ml", MOT_DE_PASSE));
    assert!(compte::desactiver(&s.conn(), &Email::new("maire@kayes.ml").unwrap()).unwrap());
    assert_eq!(s.get_avec("/espace", &session).statut, 303);
    assert_eq!(connecter(&s, "maire@kayes.ml", MOT_DE_PASSE).statut, 401);
}

#[test]
fn only_local_paths_are_followed_after_sign_in() {
    let s = serveur();
    for suite in [
        "https://ailleurs.example/",
        "//ailleurs.example",
        "/\\ailleurs",
    ] {
        let r = s.connecter("admin@mdat.ml", MOT_DE_PASSE, suite);
        assert_eq!(r.entete("location"), Some("/espace"), "{suite}");
    }
}

/// « Déclarer un partenariat » is the page's main action; each row's « Confirmer » is
/// explained, names its partenariat, looks secondary, and every cell is labelled for the
/// phone's card layout.
#[test]
fn the_main_action_leads_and_confirmer_is_explained_on_each_row() {
    let s = Serveur::demo();
    commun::comptes_kayes_mopti(&s.conn());
    let (maire, _) = s.session("maire@kayes.ml", MOT_DE_PASSE);
    let page = s.get_avec("/espace", &maire);
    assert_eq!(page.statut, 200);
    let corps = &page.corps;
    let principal = corps
        .find(
            "<a class=\"bouton\" href=\"/espace/partenariats/nouveau\">Déclarer un partenariat</a>",
        )
        .expect("the main action as a button-link");
    assert!(
        principal < corps.find("Vos partenariats").unwrap(),
        "at the top"
    );
    assert_eq!(
        corps
            .matches("href=\"/espace/partenariats/nouveau\"")
            .count(),
        1
    );
    assert!(corps.contains(
        "id=\"aide-confirmer\">«&nbsp;Confirmer&nbsp;» dit que les informations d'un partenariat sont toujours exactes"
    ));
    assert!(corps.contains(
        "<button type=\"submit\" class=\"secondaire\" aria-describedby=\"aide-confirmer\">Confirmer<span class=\"cache\"> « Évry – Kayes »</span></button>"
    ), "{corps}");
    let tableau = &corps[corps.find("<table class=\"empilable\">").unwrap()..];
    let tableau = &tableau[..tableau.find("</table>").unwrap()];
    assert_eq!(
        tableau.matches("<td").count(),
        tableau.matches("<td data-titre=\"").count(),
        "every cell named: {tableau}"
    );

    // A reader declares nothing: no such button.
    let (lecteur, _) = s.session("lecteur@ambassade.fr", MOT_DE_PASSE);
    let lue = s.get_avec("/espace", &lecteur);
    assert!(!lue.corps.contains("Déclarer un partenariat"));
}
