//! What a person reads when a form is refused, through the real server: plain French with the
//! labels of the form (no code of a list, no column name), each message tied to its field
//! (`aria-invalid`, `aria-describedby`) and listed in a summary at the top that links to the
//! fields and takes the focus; nothing written (422). And amounts read as people type them.

mod commun;

use commun::{MOT_DE_PASSE, Serveur, nombre, paragraphe};

/// The summary at the top of a refused form: its heading and its links (target, text).
fn resume(corps: &str) -> (String, Vec<(String, String)>) {
    let debut = corps
        .find("<div class=\"resume-erreurs\"")
        .unwrap_or_else(|| panic!("no summary: {corps}"));
    let bloc = &corps[debut..debut + corps[debut..].find("</div>").unwrap()];
    assert!(
        bloc.contains("role=\"alert\" tabindex=\"-1\" autofocus"),
        "the summary takes the focus: {bloc}"
    );
    let titre = bloc
        .split("<h2 id=\"resume-erreurs-titre\">")
        .nth(1)
        .and_then(|t| t.split("</h2>").next())
        .unwrap()
        .to_owned();
    let liens = bloc
        .split("<li><a href=\"#")
        .skip(1)
        .map(|l| {
            let (cible, reste) = l.split_once("\">").unwrap();
            (
                cible.to_owned(),
                reste.split("</a>").next().unwrap().to_owned(),
            )
        })
        .collect();
    (titre, liens)
}

/// The field `id` is marked invalid and described by its message, which reads `message`.
fn lie(corps: &str, id: &str, message: &str) {
    let champ = paragraphe(corps, id);
    assert!(
        champ.contains("aria-invalid=\"true\"")
            && champ.contains(&format!("err-{id}\""))
            && champ.contains("aria-describedby=\""),
        "{champ}"
    );
    assert!(
        champ.contains(&format!(
            "<span class=\"erreur\" id=\"err-{id}\">{message}</span>"
        )),
        "{id}: {champ}"
    );
}

#[test]
fn a_refused_action_says_what_to_do_next_to_each_field_and_in_a_summary() {
    let s = Serveur::demo();
    let (kayes, _, _) = commun::comptes_kayes_mopti(&s.conn());
    let kayes = kayes.0.to_string();
    let id = nombre(
        &s,
        "SELECT id FROM partenariat WHERE titre = 'Évry – Kayes'",
    );
    let (maire, csrf) = s.session("maire@kayes.ml", MOT_DE_PASSE);
    let chemin = format!("/espace/partenariats/{id}/actions/nouvelle");
    let envoyer = |domaine: &str, debut: &str, montant: &str, devise: &str| {
        s.post(
            &chemin,
            Some(&maire),
            &[
                ("csrf", &csrf),
                ("titre", "Forage du quartier Plateau"),
                ("axe", "services_sociaux_de_base"),
                ("domaine", domaine),
                ("nature", "physique"),
                ("statut", "en_cours"),
                ("debut", debut),
                ("lieu", &kayes),
                ("montant", montant),
                ("devise", devise),
                ("type_financement", "engagement"),
                ("annee", "2024"),
                ("source", "Commune d'Évry"),
                ("type_source", "11"),
            ],
        )
    };
    let (actions, financements) = (
        nombre(&s, "SELECT count(*) FROM action"),
        nombre(&s, "SELECT count(*) FROM financement"),
    );

    let refus = envoyer("", "31/02/2024", "12.500", "EUR");
    assert_eq!(refus.statut, 422);
    let (titre, liens) = resume(&refus.corps);
    assert_eq!(titre, "Le formulaire contient 3 erreurs");
    let domaine = "Choisissez un domaine.";
    let date = "« 31/02/2024 » n&#39;est pas une date : écrivez-la au format JJ/MM/AAAA, par exemple 12/06/1988.";
    let montant = "« 12.500 » peut se lire de deux façons : écrivez 12\u{A0}500 s&#39;il s&#39;agit de milliers, ou 12,50 sinon.";
    assert_eq!(
        liens,
        [("domaine", domaine), ("debut", date), ("montant", montant)]
            .map(|(c, m)| (c.to_owned(), m.to_owned()))
    );
    lie(&refus.corps, "domaine", domaine);
    lie(&refus.corps, "debut", date);
    lie(&refus.corps, "montant", montant);
    assert!(
        paragraphe(&refus.corps, "montant")
            .contains("aria-describedby=\"aide-montant err-montant\"")
    );
    assert!(
        !paragraphe(&refus.corps, "titre").contains("aria-invalid"),
        "a right field is not marked"
    );
    for (_, message) in &liens {
        assert!(
            !message.contains('_'),
            "a code shown to a person: {message}"
        );
    }
    for code in ["valeurs attendues", "décimale(s)", "AAAA-MM-JJ"] {
        assert!(!refus.corps.contains(code), "{code} shown to a person");
    }
    assert_eq!(
        (
            nombre(&s, "SELECT count(*) FROM action"),
            nombre(&s, "SELECT count(*) FROM financement")
        ),
        (actions, financements),
        "a refused form writes nothing"
    );

    // Francs CFA typed with a written currency, and a date as people write it.
    let devise = envoyer("eau_assainissement", "01/03/2024", "25.000.000 FCFA", "EUR");
    assert_eq!(devise.statut, 422);
    lie(
        &devise.corps,
        "montant",
        "Le montant est écrit en franc CFA (XOF) mais la devise choisie est : euro. Choisissez la bonne devise ou corrigez le montant.",
    );
    let fait = envoyer("eau_assainissement", "01/03/2024", "25.000.000 FCFA", "XOF");
    assert_eq!(fait.statut, 303, "{}", fait.corps);
    let (montant, debut): (i64, String) = s
        .conn()
        .query_row(
            "SELECT f.montant, a.debut FROM financement f JOIN action a ON a.id = f.action_id ORDER BY f.id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((montant, debut.as_str()), (25_000_000, "2024-03-01"));

    let formulaire = s.get_avec(&chemin, &maire);
    assert!(
        !formulaire.corps.contains("resume-erreurs"),
        "no summary before sending"
    );
    assert!(
        formulaire
            .corps
            .contains("<kbd>1,2 M</kbd> pour 1,2 million")
    );
}

#[test]
fn every_small_form_links_its_message_to_its_field() {
    let s = Serveur::demo();
    commun::comptes_kayes_mopti(&s.conn());
    let (maire, csrf) = s.session("maire@kayes.ml", MOT_DE_PASSE);

    let r = s.post(
        "/espace/mot-de-passe",
        Some(&maire),
        &[
            ("csrf", &csrf),
            ("actuel", MOT_DE_PASSE),
            ("nouveau", "court"),
            ("confirmation", "court"),
        ],
    );
    assert_eq!(r.statut, 422);
    let (titre, liens) = resume(&r.corps);
    assert_eq!(titre, "Le formulaire contient 1 erreur");
    assert_eq!(liens[0].0, "nouveau");
    lie(
        &r.corps,
        "nouveau",
        "Le mot de passe doit compter au moins 12 caractères (une phrase de passe est plus sûre et plus facile à retenir).",
    );

    let r = s.post(
        "/espace/jetons",
        Some(&maire),
        &[("csrf", &csrf), ("nom", " ")],
    );
    assert_eq!(r.statut, 422);
    lie(
        &r.corps,
        "nom",
        "Remplissez le champ « À quoi servira-t-il ? ».",
    );
    assert_eq!(resume(&r.corps).1[0].0, "nom");
    assert_eq!(nombre(&s, "SELECT count(*) FROM jeton_api"), 0);

    let (admin, csrf_admin) = s.session("admin@mdat.ml", MOT_DE_PASSE);
    let comptes = nombre(&s, "SELECT count(*) FROM compte");
    let r = s.post(
        "/espace/comptes",
        Some(&admin),
        &[
            ("csrf", &csrf_admin),
            ("email", "agent@kayes.ml"),
            ("role", "collectivite"),
            ("collectivites", "ML-9-NULLE-PART"),
            ("mot_de_passe", MOT_DE_PASSE),
        ],
    );
    assert_eq!(r.statut, 422, "{}", r.corps);
    lie(
        &r.corps,
        "collectivites",
        "Aucune collectivité actuelle ne porte le code « ML-9-NULLE-PART » : ouvrez sa page (cherchez-la par son nom) pour lire son code.",
    );
    let r = s.post(
        "/espace/comptes",
        Some(&admin),
        &[
            ("csrf", &csrf_admin),
            ("email", "agent"),
            ("role", ""),
            ("mot_de_passe", "court"),
        ],
    );
    assert_eq!(r.statut, 422);
    let (titre, liens) = resume(&r.corps);
    assert_eq!(titre, "Le formulaire contient 3 erreurs");
    assert_eq!(
        liens.iter().map(|(c, _)| c.as_str()).collect::<Vec<_>>(),
        ["email", "role", "mot_de_passe"]
    );
    lie(&r.corps, "role", "Choisissez un rôle.");
    assert_eq!(nombre(&s, "SELECT count(*) FROM compte"), comptes);
}
