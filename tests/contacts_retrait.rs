//! Removing a contact removes its personal data from the partenariat's history too, and the
//! follow-up page says so next to the « Retirer » button.

mod commun;

use commun::{MOT_DE_PASSE, Serveur};

#[test]
fn a_removed_contact_disappears_from_the_history_it_was_in() {
    let s = Serveur::demo();
    let conn = s.conn();
    let (kayes, _mopti, angers) = commun::comptes_kayes_mopti(&conn);
    let id = commun::partenariat(&conn, "Kayes – Angers", &[kayes, angers]).0;
    drop(conn);
    let suivi = format!("/espace/partenariats/{id}/historique");
    let (maire, csrf) = s.session("maire@kayes.ml", MOT_DE_PASSE);
    let kayes = kayes.0.to_string();
    for (nom, email, partie) in [
        ("Awa Traoré", "awa.traore@kayes.ml", kayes.as_str()),
        ("Jean Martin", "jean.martin@angers.fr", ""),
    ] {
        let r = s.post(
            &format!("/espace/partenariats/{id}/contacts"),
            Some(&maire),
            &[
                ("csrf", csrf.as_str()),
                ("nom_contact", nom),
                ("email", email),
                ("telephone", "+223 21 52 00 00"),
                ("partie_contact", partie),
            ],
        );
        assert_eq!(r.statut, 303, "{}", r.corps);
    }
    let avant = s.get_avec(&suivi, &maire);
    assert!(avant.corps.contains("« contact ajouté : Awa Traoré »"));
    assert!(avant.corps.contains("Awa Traoré — awa.traore@kayes.ml"));
    assert!(avant.corps.contains(
        "Retirer un contact efface aussi ses données personnelles (nom, fonction, adresse e-mail, téléphone) de l'historique"
    ));
    let awa: i64 = s
        .conn()
        .query_row(
            "SELECT id FROM contact WHERE nom = 'Awa Traoré'",
            [],
            |r| r.get(0),
        )
        .unwrap();

    let r = s.post(
        &format!("/espace/partenariats/{id}/contacts/retirer"),
        Some(&maire),
        &[("csrf", csrf.as_str()), ("contact", &awa.to_string())],
    );
    assert_eq!(r.statut, 303, "{}", r.corps);

    let apres = s.get_avec(&suivi, &maire);
    assert_eq!(apres.statut, 200);
    for donnee in ["Awa", "awa.traore"] {
        assert!(
            !apres.corps.contains(donnee),
            "« {donnee} » is still on the follow-up page"
        );
    }
    assert!(
        apres
            .corps
            .contains(&format!("« contact n° {awa} retiré »"))
    );
    assert!(
        apres
            .corps
            .contains("contact retiré (données personnelles effacées)")
    );
    assert!(
        apres.corps.contains("jean.martin@angers.fr"),
        "the other contact and its history stay"
    );
    assert!(apres.corps.contains("« contact ajouté : Jean Martin »"));
    let restes: i64 = s
        .conn()
        .query_row(
            "SELECT count(*) FROM journal WHERE objet_id = ?1
               AND (avant LIKE '%awa.traore%' OR apres LIKE '%awa.traore%' OR commentaire LIKE '%Awa%')",
            [id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(restes, 0, "the journal itself keeps nothing of her");
}
