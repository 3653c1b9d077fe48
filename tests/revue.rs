//! The national review shows the whole record, who submitted it and when, and for a change
//! to a published record the published and proposed versions side by side.

mod commun;

use commun::{MOT_DE_PASSE, Serveur};

fn dernier(s: &Serveur, table: &str) -> i64 {
    s.conn()
        .query_row(&format!("SELECT max(id) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

/// The section of the review page about one record.
fn section<'a>(corps: &'a str, id: &str) -> &'a str {
    let debut = corps
        .find(&format!(r#"aria-labelledby="{id}""#))
        .unwrap_or_else(|| panic!("no record {id} in the queue"));
    let fin = corps[debut..].find("</section>").unwrap() + debut;
    &corps[debut..fin]
}

#[test]
fn the_administrator_sees_the_whole_record_and_what_a_change_would_alter() {
    let s = Serveur::demo();
    let (kayes, _, angers) = commun::comptes_kayes_mopti(&s.conn());
    let (maire, csrf) = s.session("maire@kayes.ml", MOT_DE_PASSE);
    let (admin, csrf_admin) = s.session("admin@mdat.ml", MOT_DE_PASSE);
    let (kayes, angers) = (kayes.0.to_string(), angers.0.to_string());

    let declare = s.post(
        "/espace/partenariats/nouveau",
        Some(&maire),
        &[
            ("csrf", &csrf),
            ("action", "declarer"),
            ("titre", "Kayes – Angers"),
            ("description", "Échanges entre les deux mairies"),
            ("statut", "actif"),
            ("partie_malienne", &kayes),
            ("partenaire_id", &angers),
        ],
    );
    assert_eq!(declare.statut, 303, "{}", declare.corps);
    let id = dernier(&s, "partenariat");

    let file = s.get_avec("/espace/validation", &admin);
    assert_eq!(file.statut, 200);
    let fiche = section(&file.corps, &format!("revue-p{id}"));
    for attendu in [
        "Nouvelle déclaration</strong>, soumise par maire@kayes.ml le ",
        ">Kayes</a>",
        ">Angers</a>",
        "Échanges entre les deux mairies",
        "class=\"valider\">Valider et publier",
        "class=\"renvoyer\">Renvoyer pour correction",
    ] {
        assert!(
            fiche.contains(attendu),
            "« {attendu} » missing from {fiche}"
        );
    }
    assert!(
        !fiche.contains("Ce qui change"),
        "a first declaration has nothing to compare"
    );
    assert_eq!(
        s.post(
            &format!("/espace/validation/{id}"),
            Some(&admin),
            &[("csrf", &csrf_admin), ("decision", "valider")],
        )
        .statut,
        303
    );

    let action = s.post(
        &format!("/espace/partenariats/{id}/actions/nouvelle"),
        Some(&maire),
        &[
            ("csrf", &csrf),
            ("titre", "Forage du quartier Plateau"),
            ("axe", "services_sociaux_de_base"),
            ("domaine", "eau_assainissement"),
            ("nature", "physique"),
            ("statut", "en_cours"),
            ("debut", "2024-03-01"),
            ("fin", "2025-06-30"),
            ("lieu", &kayes),
            ("montant", "25 000 000"),
            ("devise", "XOF"),
            ("type_financement", "engagement"),
            ("annee", "2024"),
            ("source", "Commune d'Angers"),
            ("type_source", "11"),
        ],
    );
    assert_eq!(action.statut, 303, "{}", action.corps);
    let action_id = dernier(&s, "action");
    let file = s.get_avec("/espace/validation", &admin);
    let fiche = section(&file.corps, &format!("revue-a{action_id}"));
    for attendu in [
        "soumise par maire@kayes.ml le ",
        "Kayes – Angers",
        "Eau et assainissement",
        "du 1er mars 2024 au 30 juin 2025",
        ">Kayes</a>",
        "25\u{202F}000\u{202F}000",
        "source : Commune d&#39;Angers",
    ] {
        assert!(
            fiche.contains(attendu),
            "« {attendu} » missing from {fiche}"
        );
    }

    let change = s.post(
        &format!("/espace/partenariats/{id}/champs"),
        Some(&maire),
        &[
            ("csrf", &csrf),
            ("titre", "Kayes – Angers, jumelage"),
            ("description", "Échanges entre les deux mairies"),
            ("statut", "actif"),
        ],
    );
    assert_eq!(change.statut, 303, "{}", change.corps);
    let file = s.get_avec("/espace/validation", &admin);
    let fiche = section(&file.corps, &format!("revue-p{id}"));
    assert!(
        fiche.contains("Modification d'une fiche publiée</strong>, soumise par maire@kayes.ml"),
        "{fiche}"
    );
    let comparaison = &fiche[fiche.find("<table class=\"comparaison\">").expect(fiche)..];
    let comparaison = &comparaison[..comparaison.find("</table>").unwrap()];
    assert!(
        comparaison.contains(
            "<th scope=\"row\">Titre</th><td>« Kayes – Angers »</td><td>« Kayes – Angers, jumelage »</td>"
        ),
        "{comparaison}"
    );
    assert_eq!(
        comparaison.matches("<tr>").count(),
        2,
        "the header and the one field that changed: {comparaison}"
    );
}
