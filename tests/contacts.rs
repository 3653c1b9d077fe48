//! The contacts of a partenariat: added and removed by its authority from the follow-up page,
//! shown on the public page to signed-in accounts only, never in the open data.

mod commun;

use benkan::model::{CollectiviteId, Niveau, Pays};
use commun::{MOT_DE_PASSE, Reponse, Serveur, par_code, paragraphe};

struct Monde {
    serveur: Serveur,
    id: i64,
    kayes: i64,
    mopti: i64,
}

/// The demonstration data, a validated Kayes – Angers partenariat and four accounts.
fn monde() -> Monde {
    let serveur = Serveur::demo();
    let conn = serveur.conn();
    let (kayes, mopti, angers) = commun::comptes_kayes_mopti(&conn);
    let id = commun::partenariat(&conn, "Kayes – Angers", &[kayes, angers]);
    drop(conn);
    Monde {
        serveur,
        id: id.0,
        kayes: kayes.0,
        mopti: mopti.0,
    }
}

impl Monde {
    fn ajouter(&self, session: &str, csrf: &str, champs: &[(&str, &str)]) -> Reponse {
        let mut paires = vec![("csrf", csrf)];
        paires.extend_from_slice(champs);
        self.serveur.post(
            &format!("/espace/partenariats/{}/contacts", self.id),
            Some(session),
            &paires,
        )
    }

    fn retirer(&self, session: &str, csrf: &str, contact: i64) -> Reponse {
        self.serveur.post(
            &format!("/espace/partenariats/{}/contacts/retirer", self.id),
            Some(session),
            &[("csrf", csrf), ("contact", &contact.to_string())],
        )
    }

    fn valeur(&self, sql: &str) -> String {
        self.serveur
            .conn()
            .query_row(sql, [self.id], |r| r.get::<_, rusqlite::types::Value>(0))
            .map(|v| format!("{v:?}"))
            .unwrap()
    }

    fn nombre_de_contacts(&self) -> String {
        self.valeur("SELECT count(*) FROM contact WHERE partenariat_id = ?1")
    }

    fn nombre_d_entrees(&self) -> String {
        self.valeur("SELECT count(*) FROM journal WHERE objet = 'partenariat' AND objet_id = ?1")
    }
}

#[test]
fn an_authority_adds_a_contact_that_only_signed_in_accounts_see() {
    let m = monde();
    let s = &m.serveur;
    let fiche = format!("/partenariats/{}", m.id);
    let anonyme_avant = s.get(&fiche);
    assert_eq!(anonyme_avant.statut, 200);
    assert!(
        anonyme_avant
            .corps
            .contains("Les contacts sont réservés aux comptes connectés")
    );
    assert!(anonyme_avant.corps.contains(&format!(
        r#"href="/connexion?suite=/partenariats/{}""#,
        m.id
    )));
    assert_ne!(anonyme_avant.entete("cache-control"), Some("no-store"));
    let modifie_le = m.valeur("SELECT modifie_le FROM partenariat WHERE id = ?1");

    let (maire, csrf) = s.session("maire@kayes.ml", MOT_DE_PASSE);
    let kayes = m.kayes.to_string();
    let r = m.ajouter(
        &maire,
        &csrf,
        &[
            ("nom_contact", " Awa Traoré "),
            ("fonction", "Chargée de la coopération"),
            ("email", "Awa.Traore@Kayes.ML"),
            ("telephone", " +223 21 52 00 00 "),
            ("partie_contact", &kayes),
        ],
    );
    assert_eq!(r.statut, 303, "{}", r.corps);
    assert_eq!(
        r.entete("location"),
        Some(format!("/espace/partenariats/{}/historique", m.id).as_str())
    );
    assert_eq!(
        m.valeur("SELECT email || ' ' || telephone FROM contact WHERE partenariat_id = ?1"),
        r#"Text("awa.traore@kayes.ml +223 21 52 00 00")"#
    );
    // Not public: still validated, and its public « last modified » date has not moved.
    assert_eq!(
        m.valeur("SELECT validation FROM partenariat WHERE id = ?1"),
        r#"Text("valide")"#
    );
    assert_eq!(
        m.valeur("SELECT modifie_le FROM partenariat WHERE id = ?1"),
        modifie_le
    );
    let suivi = s.get_avec(&format!("/espace/partenariats/{}/historique", m.id), &maire);
    assert_eq!(suivi.statut, 200);
    assert!(
        suivi
            .corps
            .contains("Modification par maire@kayes.ml : « contact ajouté : Awa Traoré »")
    );
    assert!(
        suivi
            .corps
            .contains("Awa Traoré — Chargée de la coopération — awa.traore@kayes.ml"),
        "the journal's snapshot names the contact"
    );
    assert!(
        suivi
            .corps
            .contains(r#"<a href="mailto:awa.traore@kayes.ml">"#)
    );
    assert!(
        suivi
            .corps
            .contains("ne repasse donc pas le partenariat en validation")
    );

    // An anonymous visitor sees the same page as before, without the contact.
    let anonyme = s.get(&fiche);
    assert_eq!(anonyme.corps, anonyme_avant.corps);
    assert!(!anonyme.corps.contains("awa.traore"));
    // Nor does the open data carry it.
    for chemin in [
        format!("/api/v1/partenariats/{}", m.id),
        "/api/v1/partenariats".to_owned(),
    ] {
        let api = s.get(&chemin);
        assert_eq!(api.statut, 200, "{chemin}");
        assert!(!api.corps.contains("awa.traore"), "{chemin}");
        assert!(!api.corps.contains("Traoré"), "{chemin}");
    }

    // A reader (and any signed-in account) sees it, on a private answer.
    let (lecteur, _) = s.session("lecteur@ambassade.fr", MOT_DE_PASSE);
    let vue = s.get_avec(&fiche, &lecteur);
    assert_eq!(vue.statut, 200);
    assert!(
        vue.corps
            .contains(r#"<strong>Awa Traoré</strong>, Chargée de la coopération"#)
    );
    assert!(vue.corps.contains("awa.traore@kayes.ml"));
    assert!(vue.corps.contains("+223 21 52 00 00"));
    assert!(!vue.corps.contains("Les contacts sont réservés"));
    assert_eq!(vue.entete("cache-control"), Some("no-store"));
    let (mopti, _) = s.session("maire@mopti.ml", MOT_DE_PASSE);
    assert!(
        s.get_avec(&fiche, &mopti)
            .corps
            .contains("awa.traore@kayes.ml")
    );

    // Removal: the reader may not, the authority may.
    let contact: i64 = s
        .conn()
        .query_row("SELECT id FROM contact", [], |r| r.get(0))
        .unwrap();
    let (lecteur, csrf_lecteur) = s.session("lecteur@ambassade.fr", MOT_DE_PASSE);
    assert_eq!(m.retirer(&lecteur, &csrf_lecteur, contact).statut, 403);
    assert_eq!(m.nombre_de_contacts(), "Integer(1)");
    let r = m.retirer(&maire, &csrf, contact);
    assert_eq!(r.statut, 303, "{}", r.corps);
    assert_eq!(m.nombre_de_contacts(), "Integer(0)");
    let suivi = s.get_avec(&format!("/espace/partenariats/{}/historique", m.id), &maire);
    assert!(suivi.corps.contains(&format!(
        "Modification par maire@kayes.ml : « contact n° {contact} retiré »"
    )));
    assert!(
        s.get_avec(&fiche, &lecteur)
            .corps
            .contains("Aucun contact enregistré.")
    );
    // A contact that is not there (any more) is a 404.
    assert_eq!(m.retirer(&maire, &csrf, contact).statut, 404);
    assert_eq!(
        m.valeur("SELECT validation FROM partenariat WHERE id = ?1"),
        r#"Text("valide")"#
    );
}

#[test]
fn a_malformed_contact_comes_back_with_what_was_typed() {
    let m = monde();
    let s = &m.serveur;
    let (maire, csrf) = s.session("maire@kayes.ml", MOT_DE_PASSE);
    let entrees = m.nombre_d_entrees();
    let kayes = m.kayes.to_string();

    let r = m.ajouter(
        &maire,
        &csrf,
        &[
            ("nom_contact", "Awa Traoré"),
            ("fonction", "Chargée de la coopération"),
            ("email", "awa.kayes"),
            ("telephone", "+223 21 52 00 00"),
            ("partie_contact", &kayes),
        ],
    );
    assert_eq!(r.statut, 422, "{}", r.corps);
    assert!(r.corps.contains("Le formulaire contient 1 erreur</h2>"));
    let email = paragraphe(&r.corps, "email");
    assert!(email.contains("« awa.kayes » n&#39;est pas une adresse e-mail valable"));
    assert!(email.contains(r#"value="awa.kayes""#));
    assert!(paragraphe(&r.corps, "nom_contact").contains(r#"value="Awa Traoré""#));
    assert!(paragraphe(&r.corps, "fonction").contains(r#"value="Chargée de la coopération""#));
    assert!(paragraphe(&r.corps, "telephone").contains(r#"value="+223 21 52 00 00""#));
    assert!(
        paragraphe(&r.corps, "partie_contact")
            .contains(&format!(r#"<option value="{kayes}" selected>"#))
    );

    // Neither e-mail nor telephone: said at the top of the form.
    let r = m.ajouter(
        &maire,
        &csrf,
        &[("nom_contact", "Awa Traoré"), ("email", " ")],
    );
    assert_eq!(r.statut, 422);
    assert!(r.corps.contains(
        r#"<p class="alerte" id="err-contacts">Indiquez au moins une adresse e-mail ou un téléphone"#
    ));
    // No name: next to the contact's name, not the intermediary's.
    let r = m.ajouter(
        &maire,
        &csrf,
        &[("nom_contact", " "), ("telephone", "76 00 00 00")],
    );
    assert_eq!(r.statut, 422);
    assert!(paragraphe(&r.corps, "nom_contact").contains("Remplissez le champ « Nom »."));
    assert!(!paragraphe(&r.corps, "nom").contains("obligatoire"));
    // A telephone too long, a collectivité that is not a party.
    let r = m.ajouter(
        &maire,
        &csrf,
        &[("nom_contact", "Awa"), ("telephone", &"7".repeat(41))],
    );
    assert_eq!(r.statut, 422);
    assert!(
        paragraphe(&r.corps, "telephone")
            .contains("Raccourcissez « Téléphone » : 40 caractères au plus.")
    );
    let mopti = m.mopti.to_string();
    let r = m.ajouter(
        &maire,
        &csrf,
        &[
            ("nom_contact", "Awa"),
            ("telephone", "76 00 00 00"),
            ("partie_contact", &mopti),
        ],
    );
    assert_eq!(r.statut, 422, "{}", r.corps);
    assert!(
        paragraphe(&r.corps, "partie_contact")
            .contains("Choisissez dans la liste une partie de ce partenariat.")
    );
    let r = m.ajouter(
        &maire,
        &csrf,
        &[
            ("nom_contact", "Awa"),
            ("telephone", "76"),
            ("partie_contact", "Kayes"),
        ],
    );
    assert_eq!(r.statut, 422);
    assert!(
        paragraphe(&r.corps, "partie_contact")
            .contains("Choisissez dans la liste la partie pour laquelle ce contact parle.")
    );

    assert_eq!(m.nombre_de_contacts(), "Integer(0)");
    assert_eq!(m.nombre_d_entrees(), entrees);
}

#[test]
fn only_an_authority_of_the_partenariat_changes_its_contacts() {
    let m = monde();
    let s = &m.serveur;
    let champs = [("nom_contact", "Awa Traoré"), ("email", "awa@kayes.ml")];
    // Another commune's authority, a reader: refused before the values are even read.
    for email in ["maire@mopti.ml", "lecteur@ambassade.fr"] {
        let (jeton, csrf) = s.session(email, MOT_DE_PASSE);
        let r = m.ajouter(&jeton, &csrf, &champs);
        assert_eq!(r.statut, 403, "{email}");
        assert!(
            r.corps
                .contains("Ce partenariat ne relève pas de votre compte.")
        );
        let r = m.ajouter(&jeton, &csrf, &[("nom_contact", "Awa"), ("email", "faux")]);
        assert_eq!(r.statut, 403, "{email}");
    }
    // Without the form's token, without a session.
    let (maire, csrf) = s.session("maire@kayes.ml", MOT_DE_PASSE);
    assert_eq!(m.ajouter(&maire, "faux", &champs).statut, 403);
    let r = s.post(
        &format!("/espace/partenariats/{}/contacts", m.id),
        None,
        &[
            ("csrf", &csrf),
            ("nom_contact", "Awa"),
            ("email", "awa@kayes.ml"),
        ],
    );
    assert_eq!(r.statut, 403);
    assert_eq!(m.nombre_de_contacts(), "Integer(0)");
    // A reader does not see the form, only the list.
    let (lecteur, _) = s.session("lecteur@ambassade.fr", MOT_DE_PASSE);
    let suivi = s.get_avec(
        &format!("/espace/partenariats/{}/historique", m.id),
        &lecteur,
    );
    assert_eq!(suivi.statut, 200);
    assert!(suivi.corps.contains("<h2>Contacts</h2>"));
    assert!(!suivi.corps.contains("Ajouter un contact"));

    // The administrator may, and the partenariat stays validated.
    let (admin, csrf_admin) = s.session("admin@mdat.ml", MOT_DE_PASSE);
    assert_eq!(m.ajouter(&admin, &csrf_admin, &champs).statut, 303);
    assert_eq!(m.nombre_de_contacts(), "Integer(1)");
    // The contact of one partenariat cannot be removed through another.
    let contact: i64 = s
        .conn()
        .query_row("SELECT id FROM contact", [], |r| r.get(0))
        .unwrap();
    let autre = {
        let conn = s.conn();
        let angers = par_code(&conn, Pays::FRANCE, Niveau::Commune, "49007").id;
        commun::partenariat(
            &conn,
            "Kayes – Angers bis",
            &[CollectiviteId(m.kayes), angers],
        )
    };
    let r = s.post(
        &format!("/espace/partenariats/{autre}/contacts/retirer"),
        Some(&maire),
        &[("csrf", &csrf), ("contact", &contact.to_string())],
    );
    assert_eq!(r.statut, 404);
    assert_eq!(m.nombre_de_contacts(), "Integer(1)");
    assert_eq!(
        m.valeur("SELECT validation FROM partenariat WHERE id = ?1"),
        r#"Text("valide")"#
    );
}
