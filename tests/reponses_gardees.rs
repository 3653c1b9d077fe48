//! Public answers kept until the data they show changes (`web::reponses`), through a real
//! server: served again while nothing changed, computed again after any public write made
//! by any connection, computed once for many simultaneous visitors, never kept for a
//! signed-in visitor.

mod commun;

use benkan::model::{Niveau, StatutPartenariat};
use commun::{Serveur, collectivite};

fn nombre(corps: &str) -> String {
    corps
        .split("<p class=\"resultat\" role=\"status\">")
        .nth(1)
        .and_then(|s| s.split("partenariat").next())
        .unwrap_or_default()
        .trim()
        .to_owned()
}

#[test]
fn a_kept_page_is_served_again_until_a_write_changes_what_it_shows() {
    let s = Serveur::demo();
    let adresse = "/partenariats?q=Tessalit";
    let premiere = s.get(adresse);
    assert_eq!(premiere.statut, 200);
    assert_eq!(premiere.entete("benkan-reponse"), Some("calculee"));
    assert!(premiere.corps.contains("Aucun partenariat ne correspond"));
    let seconde = s.get(adresse);
    assert_eq!(seconde.entete("benkan-reponse"), Some("gardee"));
    assert_eq!(seconde.corps, premiere.corps);
    // another connection publishes a partenariat of Tessalit, as `benkan import` would
    {
        let conn = s.conn();
        let tessalit = collectivite(&conn, "ML", Niveau::Commune, "Tessalit", None);
        let lorient = collectivite(&conn, "FR", Niveau::Commune, "Lorient", None);
        commun::partenariat(&conn, "Tessalit – Lorient", &[tessalit, lorient]);
    }
    let apres = s.get(adresse);
    assert_eq!(apres.entete("benkan-reponse"), Some("calculee"));
    assert_eq!(nombre(&apres.corps), "1", "{}", apres.corps);
    // a change of status is a change too, and the API list follows the same rule
    let api = "/api/v1/partenariats?q=Tessalit&statut=termine";
    assert_eq!(commun::api::lire(&s, api)["total"], 0);
    assert_eq!(
        commun::api::requete(&s, "GET", api, &[]).entete("benkan-reponse"),
        Some("gardee")
    );
    s.conn()
        .execute(
            "UPDATE partenariat SET statut = ?1 WHERE titre = 'Tessalit – Lorient'",
            [benkan::model::Code::code(StatutPartenariat::Termine)],
        )
        .unwrap();
    assert_eq!(commun::api::lire(&s, api)["total"], 1);
}

#[test]
fn simultaneous_visitors_of_a_new_address_share_one_computation() {
    let s = Serveur::demo();
    let adresse = "/partenariats?tri=-montant&statut=actif";
    let reponses: Vec<commun::Reponse> = std::thread::scope(|portee| {
        let fils: Vec<_> = (0..16).map(|_| portee.spawn(|| s.get(adresse))).collect();
        fils.into_iter().map(|f| f.join().unwrap()).collect()
    });
    assert!(reponses.iter().all(|r| r.statut == 200));
    assert!(reponses.iter().all(|r| r.corps == reponses[0].corps));
    let calculees = reponses
        .iter()
        .filter(|r| r.entete("benkan-reponse") == Some("calculee"))
        .count();
    assert_eq!(
        calculees, 1,
        "one visitor computes, the others wait for its answer"
    );
}

#[test]
fn nothing_is_kept_for_a_signed_in_visitor_nor_for_a_conditional_request() {
    let s = Serveur::demo();
    {
        let conn = s.conn();
        commun::comptes_kayes_mopti(&conn);
    }
    let (session, _) = s.session("maire@kayes.ml", commun::MOT_DE_PASSE);
    for _ in 0..2 {
        let page = s.get_avec("/partenariats", &session);
        assert_eq!(page.statut, 200);
        assert_eq!(page.entete("benkan-reponse"), None);
    }
    let etag = commun::api::requete(&s, "GET", "/api/v1/partenariats", &[])
        .entete("etag")
        .unwrap()
        .to_owned();
    let conditionnelle = commun::api::requete(
        &s,
        "GET",
        "/api/v1/partenariats",
        &[("If-None-Match", &etag)],
    );
    assert_eq!(conditionnelle.statut, 304);
    assert_eq!(conditionnelle.entete("benkan-reponse"), None);
}
