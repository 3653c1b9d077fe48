//! The partenariat declaration form's core facts and keyboard: the étape and its date written
//! with the record, the warning about parties of different levels, and the search that keeps
//! the choice made.

mod commun;

use benkan::model::{Niveau, Pays};
use commun::{MOT_DE_PASSE, Reponse, Serveur, par_code, paragraphe};

struct Monde {
    serveur: Serveur,
    kayes: String,
    angers: String,
    /// The Région Pays de la Loire: not of the level of the commune of Kayes.
    region: String,
    maire: String,
    csrf: String,
}

fn monde() -> Monde {
    let serveur = Serveur::demo();
    let conn = serveur.conn();
    let (kayes, _, angers) = commun::comptes_kayes_mopti(&conn);
    let region = par_code(&conn, Pays::FRANCE, Niveau::Region, "52").id;
    drop(conn);
    let (maire, csrf) = serveur.session("maire@kayes.ml", MOT_DE_PASSE);
    Monde {
        serveur,
        kayes: kayes.0.to_string(),
        angers: angers.0.to_string(),
        region: region.0.to_string(),
        maire,
        csrf,
    }
}

impl Monde {
    /// Posts the form with a title, the commune of Kayes and `champs`.
    fn envoyer(&self, champs: &[(&str, &str)]) -> Reponse {
        let mut tous = vec![
            ("csrf", self.csrf.as_str()),
            ("titre", "Kayes – partenaire"),
            ("statut", "actif"),
            ("partie_malienne", self.kayes.as_str()),
        ];
        tous.extend_from_slice(champs);
        self.serveur
            .post("/espace/partenariats/nouveau", Some(&self.maire), &tous)
    }

    fn nombre(&self, table: &str) -> i64 {
        self.serveur
            .conn()
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    }

    fn dernier(&self) -> i64 {
        self.serveur
            .conn()
            .query_row("SELECT max(id) FROM partenariat", [], |r| r.get(0))
            .unwrap()
    }

    /// The étapes of partenariat `id`: (code, depuis, note).
    fn etapes(&self, id: i64) -> Vec<(String, String, Option<String>)> {
        let conn = self.serveur.conn();
        let mut stmt = conn
            .prepare("SELECT etape, depuis, note FROM etape WHERE partenariat_id = ?1")
            .unwrap();
        stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }
}

/// Asserts that the page holds `motif`.
fn contient(reponse: &Reponse, motif: &str) {
    assert!(
        reponse.corps.contains(motif),
        "« {motif} » absent : {}",
        reponse.corps
    );
}

#[test]
fn the_etape_and_its_date_are_declared_with_the_partenariat_and_read_in_its_history() {
    let m = monde();
    let formulaire = m.serveur.get_avec("/espace/partenariats/nouveau", &m.maire);
    assert!(
        formulaire
            .corps
            .contains("<option value=\"\">Non renseignée</option>")
    );
    assert!(formulaire.corps.contains("href=\"/glossaire#etapes\""));

    let faite = m.envoyer(&[
        ("action", "declarer"),
        ("partenaire_id", &m.angers),
        ("etape", "jumelage_cooperation"),
        ("depuis", "1988-06-12"),
    ]);
    assert_eq!(faite.statut, 303, "{}", faite.corps);
    let id = m.dernier();
    assert_eq!(
        m.etapes(id),
        [(
            "jumelage_cooperation".to_owned(),
            "1988-06-12".to_owned(),
            None
        )]
    );
    let historique = m
        .serveur
        .get_avec(&format!("/espace/partenariats/{id}/historique"), &m.maire);
    assert!(
        historique
            .corps
            .contains("Étape ajoutée : jumelage-coopération depuis le 12 juin 1988"),
        "{}",
        historique.corps
    );
}

#[test]
fn an_etape_without_a_date_is_dated_of_the_declaration_and_says_so() {
    let m = monde();
    let faite = m.envoyer(&[
        ("action", "declarer"),
        ("partenaire_id", &m.angers),
        ("etape", "amitie"),
    ]);
    assert_eq!(faite.statut, 303, "{}", faite.corps);
    let etapes = m.etapes(m.dernier());
    assert_eq!(etapes.len(), 1);
    let (etape, depuis, note) = &etapes[0];
    assert_eq!(etape, "amitie");
    let aujourd_hui = time::OffsetDateTime::now_utc().date().to_string();
    assert_eq!(depuis, &aujourd_hui);
    assert!(
        note.as_deref()
            .is_some_and(|n| n.starts_with("Date de début inconnue")),
        "{note:?}"
    );

    // Left « non renseignée », no étape is written.
    let sans = m.envoyer(&[("action", "declarer"), ("partenaire_id", &m.angers)]);
    assert_eq!(sans.statut, 303, "{}", sans.corps);
    assert!(m.etapes(m.dernier()).is_empty());
}

#[test]
fn a_date_without_an_etape_an_impossible_or_future_date_are_refused_and_nothing_is_written() {
    let m = monde();
    let (partenariats, etapes) = (m.nombre("partenariat"), m.nombre("etape"));
    let demain = (time::OffsetDateTime::now_utc().date() + time::Duration::days(1)).to_string();
    for (etape, depuis, champ, attendu) in [
        (
            "",
            "1988-06-12",
            "etape",
            "Vous avez indiqué une date sans étape : choisissez l'étape atteinte depuis cette date, ou effacez la date.",
        ),
        (
            "amitie",
            demain.as_str(),
            "depuis",
            "est dans l'avenir : indiquez depuis quand la relation en est à cette étape, au plus tard aujourd'hui.",
        ),
        ("amitie", "1988-02-30", "depuis", ""),
        ("fiancailles", "", "etape", ""),
    ] {
        let refus = m.envoyer(&[
            ("action", "declarer"),
            ("partenaire_id", &m.angers),
            ("etape", etape),
            ("depuis", depuis),
        ]);
        assert_eq!(refus.statut, 422, "{etape} {depuis}: {}", refus.corps);
        let p = paragraphe(&refus.corps, champ);
        assert!(
            p.contains(&attendu.replace('\'', "&#39;")) && p.contains("aria-invalid=\"true\""),
            "{etape} {depuis}: {p}"
        );
        assert!(
            refus.corps.contains(&format!("value=\"{depuis}\"")),
            "the date typed is kept"
        );
    }
    assert_eq!(m.nombre("partenariat"), partenariats);
    assert_eq!(m.nombre("etape"), etapes);
}

#[test]
fn parties_of_different_levels_are_warned_before_writing_then_declared_once_confirmed() {
    let m = monde();
    let avant = m.nombre("partenariat");
    let champs = [
        ("action", "declarer"),
        ("partenaire", "Pays de la Loire"),
        ("partenaire_cherche", "Pays de la Loire"),
        ("partenaire_id", m.region.as_str()),
        ("etape", "amitie"),
        ("depuis", "2001-03-04"),
    ];
    let avertie = m.envoyer(&champs);
    assert_eq!(avertie.statut, 200, "{}", avertie.corps);
    assert!(
        avertie.corps.contains(
            "Kayes (commune) et Pays de la Loire (région) ne sont pas de même niveau territorial."
        ),
        "{}",
        avertie.corps
    );
    assert!(
        avertie
            .corps
            .contains("Je confirme que ces niveaux sont voulus")
    );
    assert!(
        avertie
            .corps
            .contains("href=\"/glossaire#niveaux-asymetriques\"")
    );
    assert_eq!(m.nombre("partenariat"), avant, "nothing written yet");
    // Everything typed is still there, the partner still chosen.
    assert!(
        avertie
            .corps
            .contains(&format!("value=\"{}\" checked", m.region))
    );
    assert!(avertie.corps.contains("value=\"2001-03-04\""));
    let cle = format!("{}-{}", m.kayes, m.region);
    assert!(avertie.corps.contains(&format!(
        "name=\"niveaux_voulus\" value=\"{cle}\" aria-describedby=\"avertissement-niveaux\""
    )));

    // A confirmation given for other parties does not count.
    let autre_cle = format!("{}-{}", m.kayes, m.angers);
    let mut mal_confirmee = champs.to_vec();
    mal_confirmee.push(("niveaux_voulus", &autre_cle));
    let encore = m.envoyer(&mal_confirmee);
    assert_eq!(encore.statut, 200);
    assert!(
        encore
            .corps
            .contains("Je confirme que ces niveaux sont voulus")
    );
    assert_eq!(m.nombre("partenariat"), avant);

    let mut confirmee = champs.to_vec();
    confirmee.push(("niveaux_voulus", &cle));
    let faite = m.envoyer(&confirmee);
    assert_eq!(faite.statut, 303, "{}", faite.corps);
    assert_eq!(m.nombre("partenariat"), avant + 1);
    assert_eq!(m.etapes(m.dernier()).len(), 1);

    // Parties of the same level are declared at once, without a warning.
    let meme_niveau = m.envoyer(&[("action", "declarer"), ("partenaire_id", &m.angers)]);
    assert_eq!(meme_niveau.statut, 303, "{}", meme_niveau.corps);
}

#[test]
fn enter_searches_a_new_text_keeps_the_choice_and_declares_once_the_text_was_searched() {
    let m = monde();
    let avant = m.nombre("partenariat");
    // The first button of the form is the one Enter presses.
    let formulaire = m.serveur.get_avec("/espace/partenariats/nouveau", &m.maire);
    let premier = formulaire.corps.find("type=\"submit\"").unwrap();
    assert!(
        formulaire.corps[premier..].starts_with("type=\"submit\" name=\"action\" value=\"entree\"")
    );

    // Enter in the search box: a search, its results focused.
    let recherche = m.envoyer(&[("action", "entree"), ("partenaire", "Angers")]);
    assert_eq!(recherche.statut, 200);
    contient(
        &recherche,
        &format!("name=\"partenaire_id\" value=\"{}\"", m.angers),
    );
    contient(
        &recherche,
        "id=\"resultats\" class=\"resultats\" tabindex=\"-1\" autofocus",
    );
    contient(&recherche, "name=\"partenaire_cherche\" value=\"Angers\"");
    assert_eq!(m.nombre("partenariat"), avant);

    // Angers chosen, another search: Angers stays, chosen, among the new results.
    let autre = m.envoyer(&[
        ("action", "chercher"),
        ("partenaire", "Pays de la Loire"),
        ("partenaire_cherche", "Angers"),
        ("partenaire_id", &m.angers),
    ]);
    assert_eq!(autre.statut, 200);
    contient(&autre, &format!("value=\"{}\" checked", m.angers));
    contient(
        &autre,
        &format!("name=\"partenaire_id\" value=\"{}\"", m.region),
    );

    // Enter after choosing, the text already searched: the declaration, not a new search.
    let faite = m.envoyer(&[
        ("action", "entree"),
        ("partenaire", "Angers"),
        ("partenaire_cherche", "Angers"),
        ("partenaire_id", &m.angers),
    ]);
    assert_eq!(faite.statut, 303, "{}", faite.corps);
    assert_eq!(m.nombre("partenariat"), avant + 1);

    // A declaration that fails sends the focus to the error summary, not to the results.
    let refusee = m.envoyer(&[("action", "declarer"), ("partenaire", "Angers")]);
    assert_eq!(refusee.statut, 422);
    assert_eq!(
        refusee.corps.matches("autofocus").count(),
        1,
        "{}",
        refusee.corps
    );
    assert!(
        refusee
            .corps
            .contains(r#"id="resume-erreurs" role="alert" tabindex="-1" autofocus"#),
        "{}",
        refusee.corps
    );
}
