//! Declaring a partenariat and validating it, through the real forms.

mod commun;

use benkan::model::{Email, Niveau, Pays, Role};
use benkan::store::compte;
use commun::{MOT_DE_PASSE, Reponse, Serveur, par_code, paragraphe};

struct Monde {
    serveur: Serveur,
    kayes: i64,
    angers: i64,
}

fn monde() -> Monde {
    let serveur = Serveur::demo();
    let conn = serveur.conn();
    let (kayes, _, angers) = commun::comptes_kayes_mopti(&conn);
    drop(conn);
    Monde {
        serveur,
        kayes: kayes.0,
        angers: angers.0,
    }
}

fn nombre_de_partenariats(s: &Serveur) -> i64 {
    s.conn()
        .query_row("SELECT count(*) FROM partenariat", [], |r| r.get(0))
        .unwrap()
}

fn declarer(s: &Serveur, jeton: &str, champs: &[(&str, &str)]) -> Reponse {
    s.post("/espace/partenariats/nouveau", Some(jeton), champs)
}

#[test]
fn an_authority_declares_an_administrator_validates_the_public_sees() {
    let m = monde();
    let s = &m.serveur;
    let (maire, csrf) = s.session("maire@kayes.ml", MOT_DE_PASSE);
    let formulaire = s.get_avec("/espace/partenariats/nouveau", &maire);
    assert_eq!(formulaire.statut, 200);
    assert!(
        formulaire
            .corps
            .contains(&format!("value=\"{}\" checked", m.kayes)),
        "its only collectivité is preselected"
    );

    // Search the partner without JavaScript: the page comes back with candidates and what was typed.
    let kayes = m.kayes.to_string();
    let recherche = declarer(
        s,
        &maire,
        &[
            ("csrf", &csrf),
            ("action", "chercher"),
            ("titre", "Kayes – Angers"),
            ("partie_malienne", &kayes),
            ("partenaire", "ANGERS"),
            ("statut", "actif"),
        ],
    );
    assert_eq!(recherche.statut, 200);
    assert!(
        recherche
            .corps
            .contains(&format!("name=\"partenaire_id\" value=\"{}\"", m.angers))
    );
    assert!(
        recherche.corps.contains("value=\"Kayes – Angers\""),
        "the title typed is kept"
    );

    let angers = m.angers.to_string();
    let faite = declarer(
        s,
        &maire,
        &[
            ("csrf", &csrf),
            ("action", "declarer"),
            ("titre", "Kayes – Angers"),
            ("description", "Déclaré par le test."),
            ("statut", "actif"),
            ("partie_malienne", &kayes),
            ("partenaire", "ANGERS"),
            ("partenaire_id", &angers),
        ],
    );
    assert_eq!(faite.statut, 303, "{}", faite.corps);
    let id: i64 = s
        .conn()
        .query_row("SELECT max(id) FROM partenariat", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        s.get(&format!("/partenariats/{id}")).statut,
        404,
        "not public before validation"
    );
    let espace = s.get_avec("/espace", &maire);
    assert!(
        espace
            .corps
            .contains("Kayes – Angers</td><td data-titre=\"Validation\">Soumis à validation"),
        "{}",
        espace.corps
    );

    // The maire cannot validate; the administrator can.
    assert_eq!(s.get_avec("/espace/validation", &maire).statut, 403);
    assert_eq!(
        s.post(
            &format!("/espace/validation/{id}"),
            Some(&maire),
            &[("csrf", &csrf), ("decision", "valider")]
        )
        .statut,
        403
    );
    let (admin, csrf_admin) = s.session("admin@mdat.ml", MOT_DE_PASSE);
    let file = s.get_avec("/espace/validation", &admin);
    assert!(file.corps.contains("Kayes – Angers"));
    let renvoi_vide = s.post(
        &format!("/espace/validation/{id}"),
        Some(&admin),
        &[
            ("csrf", &csrf_admin),
            ("decision", "renvoyer"),
            ("commentaire", ""),
        ],
    );
    assert_eq!(renvoi_vide.statut, 422, "sending back needs a comment");
    assert!(
        renvoi_vide.corps.contains(&format!(
            r#"id="commentaire-p{id}" name="commentaire" rows="2" maxlength="2000" aria-invalid="true" aria-describedby="err-commentaire-p{id}""#
        )),
        "the comment box is marked and tied to its message: {}",
        renvoi_vide.corps
    );
    assert!(renvoi_vide.corps.contains(&format!(
        r##"<a href="#commentaire-p{id}">Écrivez dans le commentaire ce que la collectivité doit corriger"##
    )));
    assert_eq!(
        s.conn()
            .query_row(
                "SELECT validation FROM partenariat WHERE id = ?1",
                [id],
                |r| r.get::<_, String>(0)
            )
            .unwrap(),
        "soumis",
        "nothing was decided"
    );
    let valide = s.post(
        &format!("/espace/validation/{id}"),
        Some(&admin),
        &[("csrf", &csrf_admin), ("decision", "valider")],
    );
    assert_eq!(valide.statut, 303);
    let publique = s.get(&format!("/partenariats/{id}"));
    assert_eq!(publique.statut, 200);
    assert!(publique.corps.contains("Déclaré par le test."));
    let liste = s.get("/partenariats?pays=FR&region=ML-1");
    assert!(liste.corps.contains("Kayes – Angers"));
}

#[test]
fn refusals_change_nothing() {
    let m = monde();
    let s = &m.serveur;
    let avant = nombre_de_partenariats(s);
    let (kayes, angers) = (m.kayes.to_string(), m.angers.to_string());
    let champs = |csrf: &str| {
        vec![
            ("csrf".to_owned(), csrf.to_owned()),
            ("action".to_owned(), "declarer".to_owned()),
            ("titre".to_owned(), "Tentative".to_owned()),
            ("statut".to_owned(), "actif".to_owned()),
            ("partie_malienne".to_owned(), kayes.clone()),
            ("partenaire_id".to_owned(), angers.clone()),
        ]
    };
    let envoyer = |jeton: Option<&str>, champs: Vec<(String, String)>| {
        let paires: Vec<(&str, &str)> = champs
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        s.post("/espace/partenariats/nouveau", jeton, &paires)
    };

    // Anonymous, without or with a wrong CSRF token, a reader, another authority.
    assert_eq!(envoyer(None, champs("x")).statut, 403);
    let (maire, csrf) = s.session("maire@kayes.ml", MOT_DE_PASSE);
    assert_eq!(envoyer(Some(&maire), champs("")).statut, 403);
    assert_eq!(envoyer(Some(&maire), champs(&"0".repeat(64))).statut, 403);
    let (lecteur, csrf_lecteur) = s.session("lecteur@ambassade.fr", MOT_DE_PASSE);
    assert_eq!(envoyer(Some(&lecteur), champs(&csrf_lecteur)).statut, 403);
    let (mopti, csrf_mopti) = s.session("maire@mopti.ml", MOT_DE_PASSE);
    let autre = envoyer(Some(&mopti), champs(&csrf_mopti));
    assert_eq!(autre.statut, 422, "Mopti cannot declare for Kayes");
    assert!(autre.corps.contains("parmi les vôtres"));
    assert_eq!(nombre_de_partenariats(s), avant);

    // A form with errors keeps what was typed and says what is wrong next to the field.
    let sans_partenaire = declarer(
        s,
        &maire,
        &[
            ("csrf", &csrf),
            ("action", "declarer"),
            ("titre", "<script>x</script>"),
            ("statut", "actif"),
            ("partie_malienne", &kayes),
        ],
    );
    assert_eq!(sans_partenaire.statut, 422);
    assert!(
        sans_partenaire
            .corps
            .contains("value=\"&#60;script&#62;x&#60;/script&#62;\"")
    );
    assert!(
        sans_partenaire
            .corps
            .contains("Choisissez le partenaire étranger")
    );
    let francais = declarer(
        s,
        &maire,
        &[
            ("csrf", &csrf),
            ("action", "declarer"),
            ("titre", "T"),
            ("statut", "actif"),
            ("partie_malienne", &kayes),
            ("nouveau_nom", "Angers bis"),
            ("nouveau_pays", "FR"),
            ("nouveau_niveau", "niveau_3"),
        ],
    );
    assert!(francais.corps.contains("déjà dans le référentiel"));
    assert_eq!(nombre_de_partenariats(s), avant);

    // A partner outside the référentiel is created on demand.
    let nouveau = declarer(
        s,
        &maire,
        &[
            ("csrf", &csrf),
            ("action", "declarer"),
            ("titre", "Kayes – Liège"),
            ("statut", "actif"),
            ("partie_malienne", &kayes),
            ("nouveau_nom", "Liège"),
            ("nouveau_pays", "be"),
            ("nouveau_niveau", "niveau_3"),
            ("nouveau_libelle", "commune"),
        ],
    );
    assert_eq!(nouveau.statut, 303, "{}", nouveau.corps);
    assert_eq!(nombre_de_partenariats(s), avant + 1);
    let pays: String = s
        .conn()
        .query_row(
            "SELECT pays FROM collectivite WHERE nom = 'Liège'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(pays, "BE");
    // The search box finds the new collectivité at once.
    let recherche = s.get("/collectivites?q=Liege");
    assert!(
        recherche.corps.contains(">Liège</a>"),
        "{}",
        recherche.corps
    );
}

#[test]
fn an_authority_confirms_its_partnership_and_anyone_allowed_reads_its_history() {
    let m = monde();
    let s = &m.serveur;
    let (maire, csrf) = s.session("maire@kayes.ml", MOT_DE_PASSE);
    let (kayes, angers) = (m.kayes.to_string(), m.angers.to_string());
    let faite = declarer(
        s,
        &maire,
        &[
            ("csrf", &csrf),
            ("action", "declarer"),
            ("titre", "Kayes – Angers"),
            ("statut", "actif"),
            ("partie_malienne", &kayes),
            ("partenaire_id", &angers),
        ],
    );
    assert_eq!(faite.statut, 303);
    let id: i64 = s
        .conn()
        .query_row("SELECT max(id) FROM partenariat", [], |r| r.get(0))
        .unwrap();
    let confirmer = format!("/espace/partenariats/{id}/confirmer");

    let (mopti, csrf_mopti) = s.session("maire@mopti.ml", MOT_DE_PASSE);
    assert_eq!(
        s.post(&confirmer, Some(&mopti), &[("csrf", &csrf_mopti)])
            .statut,
        403,
        "not its partnership"
    );
    assert_eq!(
        s.post(&confirmer, Some(&maire), &[("csrf", "")]).statut,
        403,
        "no token"
    );
    let confirme: Option<String> = s
        .conn()
        .query_row(
            "SELECT confirme_le FROM partenariat WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(confirme, None, "refusals change nothing");
    assert_eq!(
        s.post(&confirmer, Some(&maire), &[("csrf", &csrf)]).statut,
        303
    );
    let confirme: Option<String> = s
        .conn()
        .query_row(
            "SELECT confirme_le FROM partenariat WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .unwrap();
    assert!(confirme.is_some());

    let (admin, csrf_admin) = s.session("admin@mdat.ml", MOT_DE_PASSE);
    s.post(
        &format!("/espace/validation/{id}"),
        Some(&admin),
        &[("csrf", &csrf_admin), ("decision", "valider")],
    );
    let chemin = format!("/espace/partenariats/{id}/historique");
    let historique = s.get_avec(&chemin, &maire);
    assert_eq!(historique.statut, 200);
    assert!(
        historique.corps.contains("Déclaration par maire@kayes.ml"),
        "{}",
        historique.corps
    );
    assert!(historique.corps.contains("Confirmé par sa collectivité le"));
    assert!(
        historique
            .corps
            .contains("Validation et publication par admin@mdat.ml")
    );
    assert!(
        historique
            .corps
            .contains("Validation : Soumis à validation → Validé")
    );
    let (lecteur, _) = s.session("lecteur@ambassade.fr", MOT_DE_PASSE);
    assert_eq!(s.get_avec(&chemin, &lecteur).statut, 200, "a reader reads");
    assert_eq!(s.get_avec(&chemin, &mopti).statut, 403);
    assert_eq!(s.get(&chemin).statut, 303, "anonymous: sign in first");
}

/// A Kayes – Angers partenariat declared through the form by the mayor of Kayes and
/// validated by the administrator, with both sessions.
struct Valide {
    id: i64,
    maire: String,
    csrf: String,
    admin: String,
    csrf_admin: String,
}

fn declare_et_valide(m: &Monde) -> Valide {
    let s = &m.serveur;
    let (maire, csrf) = s.session("maire@kayes.ml", MOT_DE_PASSE);
    let (kayes, angers) = (m.kayes.to_string(), m.angers.to_string());
    declarer(
        s,
        &maire,
        &[
            ("csrf", &csrf),
            ("action", "declarer"),
            ("titre", "Kayes – Angers"),
            ("statut", "actif"),
            ("partie_malienne", &kayes),
            ("partenaire_id", &angers),
        ],
    );
    let id: i64 = s
        .conn()
        .query_row("SELECT max(id) FROM partenariat", [], |r| r.get(0))
        .unwrap();
    let (admin, csrf_admin) = s.session("admin@mdat.ml", MOT_DE_PASSE);
    s.post(
        &format!("/espace/validation/{id}"),
        Some(&admin),
        &[("csrf", &csrf_admin), ("decision", "valider")],
    );
    Valide {
        id,
        maire,
        csrf,
        admin,
        csrf_admin,
    }
}

#[test]
fn an_action_with_its_money_is_declared_then_validated() {
    let m = monde();
    let s = &m.serveur;
    let Valide {
        id,
        maire,
        csrf,
        admin,
        csrf_admin,
    } = declare_et_valide(&m);
    let kayes = m.kayes.to_string();

    let chemin = format!("/espace/partenariats/{id}/actions/nouvelle");
    let formulaire = s.get_avec(&chemin, &maire);
    assert_eq!(formulaire.statut, 200);
    assert!(
        formulaire
            .corps
            .contains(&format!("name=\"lieu\" value=\"{kayes}\""))
    );
    let (mopti, _) = s.session("maire@mopti.ml", MOT_DE_PASSE);
    assert_eq!(s.get_avec(&chemin, &mopti).statut, 403);

    let champs = |montant: &'static str, lieu: &str| -> Vec<(String, String)> {
        [
            ("csrf", csrf.as_str()),
            ("titre", "Forage du quartier Plateau"),
            ("axe", "services_sociaux_de_base"),
            ("domaine", "eau_assainissement"),
            ("nature", "physique"),
            ("statut", "en_cours"),
            ("debut", "2024-03-01"),
            ("lieu", lieu),
            ("montant", montant),
            ("devise", "XOF"),
            ("type_financement", "engagement"),
            ("annee", "2024"),
            ("source", "Commune d'Angers"),
            ("type_source", "11"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
    };
    let envoyer = |champs: Vec<(String, String)>| {
        let paires: Vec<(&str, &str)> = champs
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        s.post(&chemin, Some(&maire), &paires)
    };
    let actions = || -> i64 {
        s.conn()
            .query_row("SELECT count(*) FROM action", [], |r| r.get(0))
            .unwrap()
    };
    let avant = actions();
    let decimales = envoyer(champs("10,5", &kayes));
    assert_eq!(decimales.statut, 422);
    assert!(
        decimales
            .corps
            .contains("Le franc CFA n&#39;a pas de centimes"),
        "the franc CFA has none"
    );
    assert!(
        decimales
            .corps
            .contains("value=\"Forage du quartier Plateau\""),
        "what was typed is kept"
    );
    assert_eq!(
        envoyer(champs("1000", "999999")).statut,
        422,
        "a place outside the partenariat"
    );
    assert_eq!(actions(), avant, "refusals write nothing");

    assert_eq!(envoyer(champs("25 000 000", &kayes)).statut, 303);
    assert_eq!(actions(), avant + 1);
    let publique = s.get(&format!("/partenariats/{id}"));
    assert!(
        !publique.corps.contains("Forage du quartier Plateau"),
        "not public before validation"
    );

    let file = s.get_avec("/espace/validation", &admin);
    assert!(file.corps.contains("Action : Forage du quartier Plateau"));
    let action_id: i64 = s
        .conn()
        .query_row("SELECT max(id) FROM action", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        s.post(
            &format!("/espace/validation/action/{action_id}"),
            Some(&admin),
            &[("csrf", &csrf_admin), ("decision", "valider")]
        )
        .statut,
        303
    );
    let publique = s.get(&format!("/partenariats/{id}"));
    assert!(publique.corps.contains("Forage du quartier Plateau"));
    assert!(
        publique
            .corps
            .contains("25\u{202F}000\u{202F}000\u{A0}FCFA")
    );
}

#[test]
fn stages_conventions_and_archiving_from_the_follow_up_page() {
    let m = monde();
    let s = &m.serveur;
    let Valide {
        id,
        maire,
        csrf,
        admin,
        csrf_admin,
    } = declare_et_valide(&m);
    let valider = || {
        s.post(
            &format!("/espace/validation/{id}"),
            Some(&admin),
            &[("csrf", &csrf_admin), ("decision", "valider")],
        )
    };
    assert_eq!(s.get(&format!("/partenariats/{id}")).statut, 200);

    let etapes = format!("/espace/partenariats/{id}/etapes");
    let nombre_etapes = || -> i64 {
        s.conn()
            .query_row(
                "SELECT count(*) FROM etape WHERE partenariat_id = ?1",
                [id],
                |r| r.get(0),
            )
            .unwrap()
    };
    let (mopti, csrf_mopti) = s.session("maire@mopti.ml", MOT_DE_PASSE);
    let (lecteur, csrf_lecteur) = s.session("lecteur@ambassade.fr", MOT_DE_PASSE);
    let champs = |csrf: &str| {
        vec![
            ("csrf".to_owned(), csrf.to_owned()),
            ("etape".to_owned(), "amitie".to_owned()),
            ("depuis".to_owned(), "1990-05-01".to_owned()),
        ]
    };
    let envoyer = |jeton: Option<&str>, champs: Vec<(String, String)>| {
        let paires: Vec<(&str, &str)> = champs
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        s.post(&etapes, jeton, &paires)
    };
    assert_eq!(envoyer(None, champs(&csrf)).statut, 403);
    assert_eq!(envoyer(Some(&maire), champs("")).statut, 403);
    assert_eq!(envoyer(Some(&mopti), champs(&csrf_mopti)).statut, 403);
    assert_eq!(envoyer(Some(&lecteur), champs(&csrf_lecteur)).statut, 403);
    assert_eq!(nombre_etapes(), 0, "refusals write nothing");

    assert_eq!(envoyer(Some(&maire), champs(&csrf)).statut, 303);
    assert_eq!(nombre_etapes(), 1);
    assert_eq!(
        s.get(&format!("/partenariats/{id}")).statut,
        404,
        "an authority's change goes back to review"
    );
    let suivi = s.get_avec(&format!("/espace/partenariats/{id}/historique"), &maire);
    assert!(
        suivi
            .corps
            .contains("Étape ajoutée : amitié depuis le 1er mai 1990"),
        "{}",
        suivi.corps
    );

    // A stage that contradicts the history is refused with the reason, nothing written.
    let mut contradiction = champs(&csrf);
    contradiction[2].1 = "1985-01-01".to_owned();
    contradiction[1].1 = "jumelage_culturel".to_owned();
    let refus = envoyer(Some(&maire), contradiction);
    assert_eq!(refus.statut, 422);
    assert!(
        refus.corps.contains("Rien n&#39;a été enregistré")
            || refus.corps.contains("Rien n'a été enregistré")
    );
    assert!(refus.corps.contains("contredit"));
    assert_eq!(nombre_etapes(), 1);

    let conventions = format!("/espace/partenariats/{id}/conventions");
    let mauvaise = s.post(
        &conventions,
        Some(&maire),
        &[
            ("csrf", &csrf),
            ("intitule", "Convention cadre"),
            ("signee_le", "2010-02-30"),
            ("reconduction", "tacite"),
        ],
    );
    // A date that does not exist: the follow-up page again (422), the form kept as typed.
    assert_eq!(mauvaise.statut, 422);
    assert!(
        mauvaise
            .corps
            .contains("« 2010-02-30 » n&#39;est pas une date : écrivez-la au format JJ/MM/AAAA")
    );
    assert!(mauvaise.corps.contains(r#"value="2010-02-30""#));
    let bonne = s.post(
        &conventions,
        Some(&maire),
        &[
            ("csrf", &csrf),
            ("intitule", "Convention cadre"),
            ("signee_le", "2010-03-01"),
            ("duree_mois", "36"),
            ("reconduction", "tacite"),
        ],
    );
    assert_eq!(bonne.statut, 303);
    valider();
    let publique = s.get(&format!("/partenariats/{id}"));
    assert!(publique.corps.contains("Convention cadre") && publique.corps.contains("1er mai 1990"));

    // Archived by its authority, restored by an administrator only.
    assert_eq!(
        s.post(
            &format!("/espace/partenariats/{id}/archiver"),
            Some(&maire),
            &[("csrf", &csrf)]
        )
        .statut,
        303
    );
    assert_eq!(s.get(&format!("/partenariats/{id}")).statut, 404);
    let restaurer = format!("/espace/partenariats/{id}/restaurer");
    assert_eq!(
        s.post(&restaurer, Some(&maire), &[("csrf", &csrf)]).statut,
        403
    );
    assert_eq!(
        s.post(&restaurer, Some(&admin), &[("csrf", &csrf_admin)])
            .statut,
        303
    );
    assert_eq!(s.get(&format!("/partenariats/{id}")).statut, 200);
}

#[test]
fn a_successor_speaks_for_the_records_of_the_collectivite_it_replaced() {
    let m = monde();
    let s = &m.serveur;
    let conn = s.conn();
    // The demo's « Évry – Kayes » names the Évry of the Essonne, merged into Évry-Courcouronnes.
    let evry_courcouronnes = par_code(&conn, Pays::FRANCE, Niveau::Commune, "91228").id;
    let hash = benkan::acces::hacher(MOT_DE_PASSE).unwrap();
    compte::creer(
        &conn,
        &Email::new("maire@evry-courcouronnes.fr").unwrap(),
        &hash,
        Role::Collectivite,
        &[evry_courcouronnes],
        &[],
    )
    .unwrap();
    let id: i64 = conn
        .query_row(
            "SELECT id FROM partenariat WHERE titre = 'Évry – Kayes'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    drop(conn);
    let (maire, csrf) = s.session("maire@evry-courcouronnes.fr", MOT_DE_PASSE);
    let reponse = s.post(
        &format!("/espace/partenariats/{id}/intermediaires"),
        Some(&maire),
        &[
            ("csrf", &csrf),
            ("nom", "Comité de jumelage Évry–Kayes"),
            ("type_organisation", "22"),
            ("role", "comite_jumelage"),
        ],
    );
    assert_eq!(reponse.statut, 303, "{}", reponse.corps);
    let n: i64 = s
        .conn()
        .query_row(
            "SELECT count(*) FROM intermediaire WHERE partenariat_id = ?1",
            [id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 1);
    let (mopti, csrf_mopti) = s.session("maire@mopti.ml", MOT_DE_PASSE);
    let refus = s.post(
        &format!("/espace/partenariats/{id}/intermediaires"),
        Some(&mopti),
        &[
            ("csrf", &csrf_mopti),
            ("nom", "Intrus"),
            ("type_organisation", "22"),
            ("role", "autre"),
        ],
    );
    assert_eq!(refus.statut, 403);
}

#[test]
fn administrators_manage_accounts_from_the_web() {
    let m = monde();
    let s = &m.serveur;
    let (admin, csrf) = s.session("admin@mdat.ml", MOT_DE_PASSE);
    let creer =
        |jeton: &str, csrf: &str, email: &str, role: &str, codes: &str, mot_de_passe: &str| {
            s.post(
                "/espace/comptes",
                Some(jeton),
                &[
                    ("csrf", csrf),
                    ("email", email),
                    ("role", role),
                    ("collectivites", codes),
                    ("mot_de_passe", mot_de_passe),
                ],
            )
        };
    let comptes = || -> i64 {
        s.conn()
            .query_row("SELECT count(*) FROM compte", [], |r| r.get(0))
            .unwrap()
    };
    let avant = comptes();
    assert_eq!(
        creer(
            &admin,
            &csrf,
            "secretaire@segou.ml",
            "collectivite",
            "ML-4-SEGOU-SEGOU",
            MOT_DE_PASSE
        )
        .statut,
        303
    );
    assert_eq!(comptes(), avant + 1);
    assert_eq!(
        s.session("secretaire@segou.ml", MOT_DE_PASSE).0.len(),
        64,
        "the new account signs in"
    );

    for (email, role, codes, mot_de_passe, message) in [
        (
            "secretaire@segou.ml",
            "lecteur",
            "",
            MOT_DE_PASSE,
            "utilise déjà",
        ),
        (
            "x@y.ml",
            "collectivite",
            "",
            MOT_DE_PASSE,
            "au moins une collectivité",
        ),
        ("x@y.ml", "collectivite", "ZZ-1", MOT_DE_PASSE, "ZZ-1"),
        ("x@y.ml", "lecteur", "", "court", "au moins 12 caractères"),
        (
            "pas-une-adresse",
            "lecteur",
            "",
            MOT_DE_PASSE,
            "adresse e-mail",
        ),
        (
            "x@y.ml",
            "chef",
            "",
            MOT_DE_PASSE,
            "Choisissez un rôle dans la liste.",
        ),
    ] {
        let r = creer(&admin, &csrf, email, role, codes, mot_de_passe);
        assert_eq!(r.statut, 422, "{email} {role}");
        assert!(r.corps.contains(message), "{message}: {}", r.corps);
    }
    assert_eq!(comptes(), avant + 1);

    let (maire, csrf_maire) = s.session("maire@kayes.ml", MOT_DE_PASSE);
    assert_eq!(s.get_avec("/espace/comptes", &maire).statut, 403);
    assert_eq!(
        creer(
            &maire,
            &csrf_maire,
            "intrus@kayes.ml",
            "admin_national",
            "",
            MOT_DE_PASSE
        )
        .statut,
        403
    );
    assert_eq!(comptes(), avant + 1);

    let id: i64 = s
        .conn()
        .query_row(
            "SELECT id FROM compte WHERE email = 'secretaire@segou.ml'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        s.post(
            &format!("/espace/comptes/{id}/desactiver"),
            Some(&admin),
            &[("csrf", &csrf)]
        )
        .statut,
        303
    );
    let actif: bool = s
        .conn()
        .query_row("SELECT actif FROM compte WHERE id = ?1", [id], |r| r.get(0))
        .unwrap();
    assert!(!actif);
    let moi: i64 = s
        .conn()
        .query_row(
            "SELECT id FROM compte WHERE email = 'admin@mdat.ml'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        s.post(
            &format!("/espace/comptes/{moi}/desactiver"),
            Some(&admin),
            &[("csrf", &csrf)]
        )
        .statut,
        400
    );
}

#[test]
fn hostile_text_is_kept_verbatim_or_refused_and_always_escaped() {
    let m = monde();
    let s = &m.serveur;
    let (admin, csrf) = s.session("admin@mdat.ml", MOT_DE_PASSE);
    let (kayes, angers) = (m.kayes.to_string(), m.angers.to_string());
    let longue = "x".repeat(25_000);
    let pieges = [
        "'; DROP TABLE partenariat; --",
        "<script>alert('x')</script>",
        "\"guillemets\" & 'apostrophes'",
        "nul\u{0}au milieu",
        longue.as_str(),
    ];
    for piege in pieges {
        let r = s.post(
            "/espace/partenariats/nouveau",
            Some(&admin),
            &[
                ("csrf", &csrf),
                ("action", "declarer"),
                ("titre", piege),
                ("description", piege),
                ("statut", "actif"),
                ("partie_malienne", &kayes),
                ("partenaire_id", &angers),
            ],
        );
        assert!(
            r.statut == 303 || r.statut == 422,
            "{} for {:.40}",
            r.statut,
            piege
        );
        assert!(!r.corps.contains("<script>alert"), "escaped in the form");
        if r.statut == 303 {
            let (id, titre): (i64, String) = s
                .conn()
                .query_row(
                    "SELECT id, titre FROM partenariat ORDER BY id DESC LIMIT 1",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .unwrap();
            assert_eq!(titre, piege.trim(), "stored verbatim");
            let page = s.get(&format!("/partenariats/{id}"));
            assert_eq!(page.statut, 200);
            assert!(!page.corps.contains("<script>alert"), "escaped on the page");
        } else {
            // too long, or an invisible control character (issue 10): refused, said why
            let pourquoi = if piege.contains('\0') {
                "caractère invisible (U+0000)"
            } else {
                "Raccourcissez « Titre » : 300 caractères au plus"
            };
            assert!(
                r.corps.contains(pourquoi),
                "a refusal says why: {:.200}",
                r.corps
            );
        }
    }
    let tables: i64 = s
        .conn()
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE name = 'partenariat'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(tables, 1);
    let liste = s.get("/partenariats");
    assert!(!liste.corps.contains("<script>alert"));
}

#[test]
fn an_update_campaign_asks_every_authority_to_confirm() {
    let m = monde();
    let s = &m.serveur;
    let (admin, csrf_admin) = s.session("admin@mdat.ml", MOT_DE_PASSE);
    let (maire, csrf) = s.session("maire@kayes.ml", MOT_DE_PASSE);
    assert_eq!(s.get_avec("/espace/campagne", &maire).statut, 403);
    assert_eq!(
        s.post("/espace/campagne", Some(&maire), &[("csrf", &csrf)])
            .statut,
        403
    );
    assert!(
        !s.get_avec("/espace", &maire)
            .corps
            .contains("Campagne annuelle")
    );

    assert_eq!(
        s.post("/espace/campagne", Some(&admin), &[("csrf", &csrf_admin)])
            .statut,
        303
    );
    let espace = s.get_avec("/espace", &maire);
    assert!(
        espace
            .corps
            .contains("Campagne annuelle de mise à jour ouverte depuis le")
    );
    assert!(
        espace.corps.contains("<strong>à confirmer</strong>"),
        "Évry – Kayes is the commune's"
    );

    let liste = s.get_avec("/espace/campagne.csv", &admin);
    assert_eq!(liste.statut, 200);
    assert!(
        liste
            .entete("content-type")
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(
        liste
            .corps
            .starts_with("partenariat,titre,collectivites,comptes,confirme_le\n")
    );
    let ligne = liste
        .corps
        .lines()
        .find(|l| l.contains("Évry – Kayes"))
        .expect("Évry – Kayes to confirm");
    assert!(ligne.contains("maire@kayes.ml"), "{ligne}");
    assert_eq!(
        liste.corps.lines().count(),
        10,
        "the nine demonstration partnerships and the header"
    );

    let id: i64 = s
        .conn()
        .query_row(
            "SELECT id FROM partenariat WHERE titre = 'Évry – Kayes'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    s.post(
        &format!("/espace/partenariats/{id}/confirmer"),
        Some(&maire),
        &[("csrf", &csrf)],
    );
    let liste = s.get_avec("/espace/campagne.csv", &admin);
    assert!(
        !liste.corps.contains("Évry – Kayes"),
        "confirmed: off the list"
    );
    assert!(
        !s.get_avec("/espace", &maire)
            .corps
            .contains("<strong>à confirmer</strong>")
    );
}

#[test]
fn an_action_is_edited_and_given_more_money_then_validated_again() {
    let m = monde();
    let s = &m.serveur;
    let (maire, csrf) = s.session("maire@kayes.ml", MOT_DE_PASSE);
    let kayes = m.kayes.to_string();
    let id: i64 = s
        .conn()
        .query_row(
            "SELECT id FROM partenariat WHERE titre = 'Évry – Kayes'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let nouvelle = s.post(
        &format!("/espace/partenariats/{id}/actions/nouvelle"),
        Some(&maire),
        &[
            ("csrf", &csrf),
            ("titre", "Bibliothèque"),
            ("axe", "services_sociaux_de_base"),
            ("domaine", "education"),
            ("nature", "physique"),
            ("statut", "prevue"),
            ("lieu", &kayes),
            ("montant", "3 000"),
            ("devise", "EUR"),
            ("type_financement", "engagement"),
            ("annee", "2025"),
            ("source", "Évry-Courcouronnes"),
            ("type_source", "11"),
        ],
    );
    assert_eq!(nouvelle.statut, 303);
    let action: i64 = s
        .conn()
        .query_row("SELECT max(id) FROM action", [], |r| r.get(0))
        .unwrap();
    // The next page says once what was done, and lists the action with its state.
    let fait = nouvelle
        .entete("set-cookie")
        .expect("the redirect leaves its message")
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    assert_eq!(fait, format!("benkan_fait=action_declaree.{action}"));
    let espace = |cookie: &str| {
        commun::lire(
            commun::agent()
                .get(&format!("http://{}/espace", s.adresse))
                .header("Cookie", &format!("benkan_session={maire}; {cookie}"))
                .call()
                .unwrap(),
        )
    };
    let apres = espace(&fait);
    assert!(
        apres.corps.contains(
            "<p class=\"succes\" role=\"status\">L&#39;action « Bibliothèque » est enregistrée et soumise à validation"
        ),
        "{}",
        apres.corps
    );
    assert!(
        apres
            .entete("set-cookie")
            .is_some_and(|c| c.starts_with("benkan_fait=;") && c.contains("Max-Age=0")),
        "said once, then forgotten"
    );
    assert!(
        apres
            .corps
            .contains("<tr><td>Bibliothèque</td><td>Évry – Kayes</td><td>Soumis à validation</td>"),
        "{}",
        apres.corps
    );
    assert!(!espace("").corps.contains("class=\"succes\""));
    assert!(
        !espace("benkan_fait=inconnu.1")
            .corps
            .contains("class=\"succes\""),
        "a value that is not ours says nothing"
    );
    let formulaire = s.get_avec(&format!("/espace/actions/{action}"), &maire);
    assert!(
        formulaire.corps.contains("value=\"Bibliothèque\""),
        "the form is filled with what is recorded"
    );
    assert!(
        formulaire
            .corps
            .contains(&format!("value=\"{kayes}\" checked"))
    );
    let modifiee = s.post(
        &format!("/espace/actions/{action}"),
        Some(&maire),
        &[
            ("csrf", &csrf),
            ("titre", "Bibliothèque municipale"),
            ("axe", "services_sociaux_de_base"),
            ("domaine", "education"),
            ("nature", "physique"),
            ("statut", "en_cours"),
            ("debut", "2025-09-01"),
            ("lieu", &kayes),
            ("montant", "1 200,50"),
            ("devise", "EUR"),
            ("type_financement", "decaissement"),
            ("annee", "2025"),
            ("source", "Évry-Courcouronnes"),
            ("type_source", "11"),
        ],
    );
    assert_eq!(modifiee.statut, 303, "{}", modifiee.corps);
    let (admin, csrf_admin) = s.session("admin@mdat.ml", MOT_DE_PASSE);
    s.post(
        &format!("/espace/validation/action/{action}"),
        Some(&admin),
        &[("csrf", &csrf_admin), ("decision", "valider")],
    );
    let page = s.get(&format!("/actions/{action}"));
    assert_eq!(page.statut, 200);
    assert!(page.corps.contains("<h1>Bibliothèque municipale</h1>"));
    assert!(
        page.corps.contains("3\u{202F}000,00\u{A0}€")
            && page.corps.contains("1\u{202F}200,50\u{A0}€")
    );
    let sources: i64 = s
        .conn()
        .query_row(
            "SELECT count(*) FROM acteur WHERE nom = 'Évry-Courcouronnes'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        sources, 1,
        "the source is found again by name, not duplicated"
    );
    let journal: i64 = s
        .conn()
        .query_row(
            "SELECT count(*) FROM journal WHERE objet = 'action' AND objet_id = ?1",
            [action],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(journal, 3, "creation, modification, validation");
    let historique = s.get_avec(&format!("/espace/actions/{action}/historique"), &maire);
    assert_eq!(historique.statut, 200);
    assert!(
        historique
            .corps
            .contains("Titre : « Bibliothèque » → « Bibliothèque municipale »"),
        "{}",
        historique.corps
    );
    assert!(
        historique
            .corps
            .contains("Validation et publication par admin@mdat.ml")
    );
    let (mopti, _) = s.session("maire@mopti.ml", MOT_DE_PASSE);
    assert_eq!(
        s.get_avec(&format!("/espace/actions/{action}/historique"), &mopti)
            .statut,
        403
    );
}

#[test]
fn hostile_text_in_every_other_form_is_stored_verbatim_and_escaped() {
    let m = monde();
    let s = &m.serveur;
    let (admin, csrf) = s.session("admin@mdat.ml", MOT_DE_PASSE);
    let kayes = m.kayes.to_string();
    let id: i64 = s
        .conn()
        .query_row(
            "SELECT id FROM partenariat WHERE titre = 'Évry – Kayes'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let piege = "<script>alert('x')</script> '; DROP TABLE action; -- \"";
    let p = format!("/espace/partenariats/{id}");
    let envois: Vec<(String, Vec<(&str, &str)>)> = vec![
        (
            format!("{p}/champs"),
            vec![
                ("titre", "Évry – Kayes"),
                ("description", piege),
                ("statut", "actif"),
            ],
        ),
        (
            format!("{p}/etapes"),
            vec![
                ("etape", "amitie"),
                ("depuis", "1990-01-01"),
                ("note", piege),
            ],
        ),
        (
            format!("{p}/conventions"),
            vec![
                ("intitule", piege),
                ("reconduction", "tacite"),
                ("document", piege),
            ],
        ),
        (
            format!("{p}/intermediaires"),
            vec![
                ("nom", piege),
                ("type_organisation", "22"),
                ("role", "autre"),
                ("precision", piege),
            ],
        ),
        (
            format!("{p}/actions/nouvelle"),
            vec![
                ("titre", piege),
                ("description", piege),
                ("axe", "developpement_local"),
                ("domaine", "culture"),
                ("nature", "physique"),
                ("statut", "en_cours"),
                ("lieu", &kayes),
                ("montant", "10"),
                ("devise", "EUR"),
                ("type_financement", "engagement"),
                ("annee", "2024"),
                ("source", piege),
                ("type_source", "90"),
            ],
        ),
    ];
    for (route, champs) in envois {
        let mut tous = vec![("csrf", csrf.as_str())];
        tous.extend(champs);
        let r = s.post(&route, Some(&admin), &tous);
        assert_eq!(r.statut, 303, "{route}: {}", r.corps);
    }
    let conn = s.conn();
    let compte = |sql: &str| -> i64 { conn.query_row(sql, [piege], |r| r.get(0)).unwrap() };
    assert_eq!(
        compte("SELECT count(*) FROM partenariat WHERE description = ?1"),
        1
    );
    assert_eq!(compte("SELECT count(*) FROM etape WHERE note = ?1"), 1);
    assert_eq!(
        compte("SELECT count(*) FROM convention WHERE intitule = ?1 AND document = ?1"),
        1
    );
    assert_eq!(
        compte("SELECT count(*) FROM acteur WHERE nom = ?1"),
        1,
        "the money's source is the intermediary, found again by name"
    );
    assert_eq!(
        compte("SELECT count(*) FROM action WHERE titre = ?1 AND description = ?1"),
        1
    );
    for page in [
        s.get(&format!("/partenariats/{id}")),
        s.get_avec(&format!("{p}/historique"), &admin),
    ] {
        assert_eq!(page.statut, 200);
        assert!(!page.corps.contains("<script>alert"), "{}", page.corps);
        assert!(page.corps.contains("&#60;script&#62;alert"));
    }
    let action: i64 = conn
        .query_row("SELECT max(id) FROM action", [], |r| r.get(0))
        .unwrap();
    let page = s.get(&format!("/actions/{action}"));
    assert_eq!(page.statut, 200);
    assert!(!page.corps.contains("<script>alert"));
}

#[test]
fn parties_are_added_through_the_resolver_and_a_side_is_never_emptied() {
    let m = monde();
    let s = &m.serveur;
    let (maire, csrf) = s.session("maire@kayes.ml", MOT_DE_PASSE);
    let id: i64 = s
        .conn()
        .query_row(
            "SELECT id FROM partenariat WHERE titre = 'Évry – Kayes'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let suivi = format!("/espace/partenariats/{id}/historique");
    let recherche = s.get_avec(&format!("{suivi}?partie=Angers"), &maire);
    assert_eq!(recherche.statut, 200);
    let angers = m.angers.to_string();
    assert!(
        recherche
            .corps
            .contains(&format!("name=\"collectivite\" value=\"{angers}\""))
    );
    let parties = || -> i64 {
        s.conn()
            .query_row(
                "SELECT count(*) FROM partie WHERE partenariat_id = ?1",
                [id],
                |r| r.get(0),
            )
            .unwrap()
    };
    let route = format!("/espace/partenariats/{id}/parties");
    assert_eq!(
        s.post(
            &route,
            Some(&maire),
            &[
                ("csrf", &csrf),
                ("collectivite", &angers),
                ("operation", "ajouter")
            ]
        )
        .statut,
        303
    );
    assert_eq!(parties(), 3);
    // Removing the only Malian party is refused with the rule, nothing written.
    let kayes = m.kayes.to_string();
    let refus = s.post(
        &route,
        Some(&maire),
        &[
            ("csrf", &csrf),
            ("collectivite", &kayes),
            ("operation", "retirer"),
        ],
    );
    assert_eq!(refus.statut, 422);
    assert!(
        refus.corps.contains("il manque une partie malienne"),
        "{}",
        refus.corps
    );
    assert_eq!(parties(), 3);
    assert_eq!(
        s.post(
            &route,
            Some(&maire),
            &[
                ("csrf", &csrf),
                ("collectivite", &angers),
                ("operation", "retirer")
            ]
        )
        .statut,
        303
    );
    assert_eq!(parties(), 2);
    let (mopti, csrf_mopti) = s.session("maire@mopti.ml", MOT_DE_PASSE);
    assert_eq!(
        s.post(
            &route,
            Some(&mopti),
            &[
                ("csrf", &csrf_mopti),
                ("collectivite", &angers),
                ("operation", "ajouter")
            ]
        )
        .statut,
        403
    );
    assert_eq!(parties(), 2);
}

/// A Kayes – Angers partenariat recorded directly, its follow-up page and the maire's session.
fn suivi_kayes_angers(m: &Monde) -> (i64, String, String) {
    let conn = m.serveur.conn();
    let id = commun::partenariat(
        &conn,
        "Kayes – Angers",
        &[
            benkan::model::CollectiviteId(m.kayes),
            benkan::model::CollectiviteId(m.angers),
        ],
    );
    drop(conn);
    let (maire, csrf) = m.serveur.session("maire@kayes.ml", MOT_DE_PASSE);
    (id.0, maire, csrf)
}

/// What the follow-up forms may have written, to show that a refusal writes nothing.
fn etat_du_suivi(s: &Serveur, id: i64) -> Vec<String> {
    let conn = s.conn();
    let mut etat: Vec<String> = [
        "SELECT count(*) FROM journal",
        "SELECT count(*) FROM etape",
        "SELECT count(*) FROM convention",
        "SELECT count(*) FROM intermediaire",
        "SELECT count(*) FROM acteur",
    ]
    .iter()
    .map(|sql| {
        conn.query_row(sql, [], |r| r.get::<_, i64>(0))
            .unwrap()
            .to_string()
    })
    .collect();
    etat.push(
        conn.query_row(
            "SELECT titre || '|' || coalesce(description, '') || '|' || statut || '|' || validation
             FROM partenariat WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .unwrap(),
    );
    etat
}

#[test]
fn follow_up_forms_keep_what_was_typed_when_a_value_is_malformed() {
    let m = monde();
    let s = &m.serveur;
    let (id, maire, csrf) = suivi_kayes_angers(&m);
    let avant = etat_du_suivi(s, id);
    let envoyer = |chemin: &str, champs: &[(&str, &str)]| {
        let mut paires = vec![("csrf", csrf.as_str())];
        paires.extend_from_slice(champs);
        s.post(
            &format!("/espace/partenariats/{id}/{chemin}"),
            Some(&maire),
            &paires,
        )
    };

    // Title, description and statut: the typed ones come back, not the stored ones.
    let r = envoyer(
        "champs",
        &[
            ("titre", "Kayes – Angers, 2e période"),
            ("description", "Ligne une\nligne deux"),
            ("statut", "en_sommeil"),
        ],
    );
    assert_eq!(r.statut, 422, "{}", r.corps);
    assert!(r.corps.contains("Le formulaire contient 1 erreur</h2>"));
    assert!(
        paragraphe(&r.corps, "statut")
            .contains(r#"class="erreur" id="err-statut">Choisissez un statut dans la liste."#)
    );
    assert!(
        paragraphe(&r.corps, "titre").contains(r#"value="Kayes – Angers, 2e période""#),
        "{}",
        r.corps
    );
    assert!(r.corps.contains(">Ligne une\nligne deux</textarea>"));
    assert!(!r.corps.contains(r#"value="Kayes – Angers""#));
    // A rule of the model (an empty title) too, the chosen statut kept.
    let r = envoyer(
        "champs",
        &[
            ("titre", "  "),
            ("description", "Gardée"),
            ("statut", "suspendu"),
        ],
    );
    assert_eq!(r.statut, 422);
    assert!(paragraphe(&r.corps, "titre").contains("Remplissez le champ « Titre »."));
    assert!(r.corps.contains(r#"<option value="suspendu" selected>"#));
    assert!(!r.corps.contains(r#"<option value="actif" selected>"#));
    assert!(r.corps.contains(">Gardée</textarea>"));

    // An étape dated « hier » or on a day that does not exist.
    for depuis in ["hier", "2024-02-30"] {
        let r = envoyer(
            "etapes",
            &[
                ("etape", "jumelage_culturel"),
                ("depuis", depuis),
                ("note", "Délibération n° 12"),
            ],
        );
        assert_eq!(r.statut, 422, "{depuis}");
        assert!(
            paragraphe(&r.corps, "depuis").contains(&format!(
                "« {depuis} » n&#39;est pas une date : écrivez-la au format JJ/MM/AAAA, par exemple 12/06/1988."
            )),
            "{}",
            r.corps
        );
        assert!(paragraphe(&r.corps, "depuis").contains(&format!(r#"value="{depuis}""#)));
        assert!(
            r.corps
                .contains(r#"<option value="jumelage_culturel" selected>"#)
        );
        assert!(paragraphe(&r.corps, "note").contains(r#"value="Délibération n° 12""#));
    }
    let r = envoyer(
        "etapes",
        &[("etape", "fiancailles"), ("depuis", "1990-05-01")],
    );
    assert_eq!(r.statut, 422);
    assert!(paragraphe(&r.corps, "etape").contains("Choisissez une étape dans la liste."));
    assert!(paragraphe(&r.corps, "depuis").contains(r#"value="1990-05-01""#));

    // A convention signed « hier » for « douze » months.
    let r = envoyer(
        "conventions",
        &[
            ("intitule", "Convention cadre"),
            ("signee_le", "hier"),
            ("duree_mois", "douze"),
            ("reconduction", "expresse"),
            ("document", "https://kayes.ml/convention.pdf"),
        ],
    );
    assert_eq!(r.statut, 422);
    assert!(paragraphe(&r.corps, "signee_le").contains("« hier » n&#39;est pas une date"));
    assert!(
        paragraphe(&r.corps, "duree_mois").contains("« douze » n&#39;est pas une durée en mois")
    );
    assert!(paragraphe(&r.corps, "intitule").contains(r#"value="Convention cadre""#));
    assert!(paragraphe(&r.corps, "signee_le").contains(r#"value="hier""#));
    assert!(paragraphe(&r.corps, "duree_mois").contains(r#"value="douze""#));
    assert!(r.corps.contains(r#"<option value="expresse" selected>"#));
    assert!(
        paragraphe(&r.corps, "document").contains(r#"value="https://kayes.ml/convention.pdf""#)
    );
    // The other forms stay empty.
    assert!(paragraphe(&r.corps, "note").contains(r#"value="""#));
    // A convention without a title: the model's rule, next to the field.
    let r = envoyer(
        "conventions",
        &[
            ("intitule", ""),
            ("signee_le", "2010-03-01"),
            ("reconduction", "tacite"),
        ],
    );
    assert_eq!(r.statut, 422);
    assert!(paragraphe(&r.corps, "intitule").contains("Remplissez le champ « Intitulé »."));
    assert!(paragraphe(&r.corps, "signee_le").contains(r#"value="2010-03-01""#));

    // An intermediary of an unknown type.
    let r = envoyer(
        "intermediaires",
        &[
            ("nom", "Comité de jumelage Kayes–Angers"),
            ("type_organisation", "99"),
            ("role", "association_migrants"),
            ("precision", "Porte les échanges scolaires"),
        ],
    );
    assert_eq!(r.statut, 422);
    assert!(
        paragraphe(&r.corps, "type_organisation")
            .contains("Choisissez un type d&#39;organisation dans la liste.")
    );
    assert!(paragraphe(&r.corps, "nom").contains(r#"value="Comité de jumelage Kayes–Angers""#));
    assert!(
        r.corps
            .contains(r#"<option value="association_migrants" selected>"#)
    );
    assert!(paragraphe(&r.corps, "precision").contains(r#"value="Porte les échanges scolaires""#));
    // Without a name: nothing created, not even the acteur.
    let r = envoyer(
        "intermediaires",
        &[
            ("nom", " "),
            ("type_organisation", "22"),
            ("role", "comite_jumelage"),
            ("precision", "Sans nom"),
        ],
    );
    assert_eq!(r.statut, 422);
    assert!(paragraphe(&r.corps, "nom").contains("Remplissez le champ « Organisation »."));
    assert!(r.corps.contains(r#"<option value="22" selected>"#));

    assert_eq!(etat_du_suivi(s, id), avant, "refusals write nothing");
}

#[test]
fn an_etape_out_of_order_is_refused_above_its_form_with_what_was_typed() {
    let m = monde();
    let s = &m.serveur;
    let (id, maire, csrf) = suivi_kayes_angers(&m);
    let etapes = format!("/espace/partenariats/{id}/etapes");
    let premiere = s.post(
        &etapes,
        Some(&maire),
        &[
            ("csrf", &csrf),
            ("etape", "jumelage_cooperation"),
            ("depuis", "2001-06-01"),
        ],
    );
    assert_eq!(premiere.statut, 303);
    let avant = etat_du_suivi(s, id);
    let r = s.post(
        &etapes,
        Some(&maire),
        &[
            ("csrf", &csrf),
            ("etape", "amitie"),
            ("depuis", "2005-01-15"),
            ("note", "Premiers échanges"),
        ],
    );
    assert_eq!(r.statut, 422);
    // The message sits at the top of the étape form, before its first field.
    let formulaire = r.corps.find(&format!(r#"action="{etapes}""#)).unwrap();
    let message = formulaire + r.corps[formulaire..].find("contredit").unwrap();
    let champ = r.corps.find(r#"id="etape""#).unwrap();
    assert!(formulaire < message && message < champ, "{}", r.corps);
    assert!(r.corps.contains(r#"<option value="amitie" selected>"#));
    assert!(paragraphe(&r.corps, "depuis").contains(r#"value="2005-01-15""#));
    assert!(paragraphe(&r.corps, "note").contains(r#"value="Premiers échanges""#));
    assert_eq!(etat_du_suivi(s, id), avant);
}

#[test]
fn malformed_follow_up_input_still_needs_the_token_and_the_rights() {
    let m = monde();
    let s = &m.serveur;
    let (id, maire, csrf) = suivi_kayes_angers(&m);
    let avant = etat_du_suivi(s, id);
    let (mopti, csrf_mopti) = s.session("maire@mopti.ml", MOT_DE_PASSE);
    let (lecteur, csrf_lecteur) = s.session("lecteur@ambassade.fr", MOT_DE_PASSE);
    let etape = |chemin: &str, jeton: Option<&str>, csrf: &str| {
        s.post(
            chemin,
            jeton,
            &[("csrf", csrf), ("etape", "amitie"), ("depuis", "hier")],
        )
        .statut
    };
    let chemin = format!("/espace/partenariats/{id}/etapes");
    assert_eq!(etape(&chemin, None, &csrf), 403);
    assert_eq!(etape(&chemin, Some(&maire), "faux"), 403);
    assert_eq!(etape(&chemin, Some(&mopti), &csrf_mopti), 403);
    assert_eq!(etape(&chemin, Some(&lecteur), &csrf_lecteur), 403);
    assert_eq!(
        etape("/espace/partenariats/999999/etapes", Some(&maire), &csrf),
        404
    );
    assert_eq!(etape(&chemin, Some(&maire), &csrf), 422);
    assert_eq!(etat_du_suivi(s, id), avant);
}
