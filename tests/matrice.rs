//! Every mutating route of the contributors' space, tried by an anonymous visitor, a reader,
//! an association's account, the authority of another collectivité and a forged form: each
//! is refused and the database is left exactly as it was; then the rightful user (or an
//! administrator) succeeds.

mod commun;

use benkan::model::{Email, Niveau, Pays, Role};
use benkan::store::compte;
use commun::{MOT_DE_PASSE, Serveur, par_code};

/// A mutating route, the fields of a valid request, and who may use it (`maire` for the
/// Kayes authority, `admin` for administrators only).
type Route<'a> = (String, Vec<(&'a str, &'a str)>, &'a str);

/// Everything a refused request must not change.
fn empreinte(s: &Serveur) -> String {
    s.conn()
        .query_row(
            "SELECT (SELECT count(*) FROM partenariat) || '/' || (SELECT count(*) FROM action) || '/' ||
                    (SELECT count(*) FROM journal) || '/' || (SELECT count(*) FROM etape) || '/' ||
                    (SELECT count(*) FROM convention) || '/' || (SELECT count(*) FROM intermediaire) || '/' ||
                    (SELECT count(*) FROM compte) || '/' || (SELECT count(*) FROM collectivite) || '/' ||
                    (SELECT count(*) FROM financement) || '/' || (SELECT group_concat(titre || statut || validation) FROM action) || '/' ||
                    coalesce((SELECT valeur FROM meta WHERE cle = 'campagne'), '') || '/' ||
                    (SELECT group_concat(titre || statut || validation || archive || coalesce(confirme_le, '') || coalesce(description, ''), '|')
                     FROM partenariat)",
            [],
            |r| r.get(0),
        )
        .unwrap()
}

#[test]
fn every_mutating_route_refuses_whoever_is_not_entitled_and_changes_nothing() {
    let s = Serveur::demo();
    let (kayes, mopti, angers, id, action) = {
        let conn = s.conn();
        let kayes = par_code(&conn, Pays::MALI, Niveau::Commune, "ML-1-KAYES-KAYES").id;
        let mopti = par_code(&conn, Pays::MALI, Niveau::Commune, "ML-5-MOPTI-MOPTI").id;
        let angers = par_code(&conn, Pays::FRANCE, Niveau::Commune, "49007").id;
        let hash = benkan::acces::hacher(MOT_DE_PASSE).unwrap();
        for (email, role, c) in [
            ("admin@mdat.ml", Role::AdminNational, vec![]),
            ("maire@kayes.ml", Role::Collectivite, vec![kayes]),
            ("maire@mopti.ml", Role::Collectivite, vec![mopti]),
            ("lecteur@ambassade.fr", Role::Lecteur, vec![]),
        ] {
            compte::creer(&conn, &Email::new(email).unwrap(), &hash, role, &c, &[]).unwrap();
        }
        // An association working with Angers: it speaks for itself, never for a collectivité.
        let association = benkan::store::acteur::creer(
            &conn,
            benkan::model::NouvelActeur {
                nom: "Comité de jumelage Angers-Bamako".into(),
                type_organisation: benkan::model::TypeOrganisation::OngInternationale,
                identifiant_iati: None,
                pays: Some(Pays::FRANCE),
                collectivite: None,
            },
        )
        .unwrap();
        compte::creer(
            &conn,
            &Email::new("asso@jumelage.fr").unwrap(),
            &hash,
            Role::Acteur,
            &[],
            &[association],
        )
        .unwrap();
        // « Évry – Kayes » has the commune of Kayes as its Malian party.
        let id: i64 = conn
            .query_row(
                "SELECT id FROM partenariat WHERE titre = 'Évry – Kayes'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        conn.execute(
            "UPDATE partenariat SET archive = 1 WHERE titre = 'Maurepas – Mopti'",
            [],
        )
        .unwrap();
        let action = benkan::store::action::creer(
            &conn,
            benkan::model::NouvelleAction {
                partenariat: benkan::model::PartenariatId(id),
                titre: "Action existante".into(),
                description: None,
                axe: benkan::model::Axe::DeveloppementLocal,
                domaine: benkan::model::Domaine::Culture,
                nature: benkan::model::Nature::Physique,
                statut: benkan::model::StatutAction::EnCours,
                periode: benkan::model::Periode::inconnue(),
                lieux: vec![kayes],
                points: Vec::new(),
                localites: Vec::new(),
            },
        )
        .unwrap();
        (
            kayes.0.to_string(),
            mopti.0,
            angers.0.to_string(),
            id,
            action.0,
        )
    };
    let archive: i64 = s
        .conn()
        .query_row(
            "SELECT id FROM partenariat WHERE titre = 'Maurepas – Mopti'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let _ = mopti;
    let p = format!("/espace/partenariats/{id}");

    // (route, fields, who may: "maire" for the Kayes authority, "admin" for administrators only)
    let routes: Vec<Route> = vec![
        (
            format!("{p}/champs"),
            vec![
                ("titre", "Titre changé"),
                ("description", "d"),
                ("statut", "en_veille"),
            ],
            "maire",
        ),
        (
            format!("{p}/etapes"),
            vec![("etape", "amitie"), ("depuis", "1994-01-01")],
            "maire",
        ),
        (
            format!("{p}/conventions"),
            vec![("intitule", "Convention cadre"), ("reconduction", "tacite")],
            "maire",
        ),
        (
            format!("{p}/intermediaires"),
            vec![
                ("nom", "Comité"),
                ("type_organisation", "22"),
                ("role", "comite_jumelage"),
            ],
            "maire",
        ),
        (format!("{p}/confirmer"), vec![], "maire"),
        (
            format!("{p}/actions/nouvelle"),
            vec![
                ("titre", "Puits"),
                ("axe", "services_sociaux_de_base"),
                ("domaine", "eau_assainissement"),
                ("nature", "physique"),
                ("statut", "en_cours"),
            ],
            "maire",
        ),
        (
            "/espace/partenariats/nouveau".to_owned(),
            vec![
                ("action", "declarer"),
                ("titre", "Nouveau"),
                ("statut", "actif"),
                ("partie_malienne", &kayes),
                ("partenaire_id", &angers),
            ],
            "maire",
        ),
        (
            format!("/espace/actions/{action}"),
            vec![
                ("titre", "Action modifiée"),
                ("axe", "developpement_local"),
                ("domaine", "culture"),
                ("nature", "physique"),
                ("statut", "achevee"),
                ("lieu", &kayes),
                ("montant", "1 000"),
                ("devise", "EUR"),
                ("type_financement", "decaissement"),
                ("annee", "2024"),
                ("source", "Angers"),
                ("type_source", "11"),
            ],
            "maire",
        ),
        (
            format!("{p}/parties"),
            vec![("collectivite", &angers), ("operation", "ajouter")],
            "maire",
        ),
        (
            format!("/espace/validation/action/{action}"),
            vec![("decision", "valider")],
            "admin",
        ),
        (format!("{p}/archiver"), vec![], "maire"),
        (
            format!("/espace/partenariats/{archive}/restaurer"),
            vec![],
            "admin",
        ),
        (
            format!("/espace/validation/{id}"),
            vec![("decision", "valider")],
            "admin",
        ),
        (
            "/espace/comptes".to_owned(),
            vec![
                ("email", "nouveau@kayes.ml"),
                ("role", "lecteur"),
                ("mot_de_passe", MOT_DE_PASSE),
            ],
            "admin",
        ),
        ("/espace/campagne".to_owned(), vec![], "admin"),
    ];

    let (maire, csrf_maire) = s.session("maire@kayes.ml", MOT_DE_PASSE);
    let (autre, csrf_autre) = s.session("maire@mopti.ml", MOT_DE_PASSE);
    let (lecteur, csrf_lecteur) = s.session("lecteur@ambassade.fr", MOT_DE_PASSE);
    let (admin, csrf_admin) = s.session("admin@mdat.ml", MOT_DE_PASSE);
    let (asso, csrf_asso) = s.session("asso@jumelage.fr", MOT_DE_PASSE);
    for (route, champs, droit) in &routes {
        let envoyer = |jeton: Option<&str>, csrf: &str| {
            let mut tous = vec![("csrf", csrf)];
            tous.extend(champs.iter().copied());
            s.post(route, jeton, &tous)
        };
        let avant = empreinte(&s);
        let mut refus = vec![
            ("anonyme", envoyer(None, "0".repeat(64).as_str())),
            ("lecteur", envoyer(Some(&lecteur), &csrf_lecteur)),
            ("association", envoyer(Some(&asso), &csrf_asso)),
            ("jeton faux", envoyer(Some(&maire), &"0".repeat(64))),
            ("jeton absent", envoyer(Some(&maire), "")),
            (
                "jeton d'une autre session",
                envoyer(Some(&maire), &csrf_autre),
            ),
        ];
        if *droit == "admin" {
            refus.push(("collectivité", envoyer(Some(&maire), &csrf_maire)));
        } else {
            refus.push(("autre collectivité", envoyer(Some(&autre), &csrf_autre)));
        }
        for (qui, reponse) in refus {
            let attendu = if route.ends_with("/nouveau") && qui == "autre collectivité" {
                422
            } else {
                403
            };
            assert_eq!(
                reponse.statut, attendu,
                "{route} by {qui}: {}",
                reponse.corps
            );
            assert_eq!(
                empreinte(&s),
                avant,
                "{route} by {qui} changed the database"
            );
        }
        let reponse = if *droit == "admin" {
            envoyer(Some(&admin), &csrf_admin)
        } else {
            envoyer(Some(&maire), &csrf_maire)
        };
        assert_eq!(
            reponse.statut, 303,
            "{route} by the rightful user: {}",
            reponse.corps
        );
        assert_ne!(
            empreinte(&s),
            avant,
            "{route} by the rightful user changed nothing"
        );
    }
}

#[test]
fn an_association_account_signs_in_sees_its_acteur_and_nothing_to_declare() {
    let s = Serveur::demo();
    let association_id;
    let id = {
        let conn = s.conn();
        let association = benkan::store::acteur::creer(
            &conn,
            benkan::model::NouvelActeur {
                nom: "Comité de jumelage Angers-Bamako".into(),
                type_organisation: benkan::model::TypeOrganisation::OngInternationale,
                identifiant_iati: None,
                pays: Some(Pays::FRANCE),
                collectivite: None,
            },
        )
        .unwrap();
        let hash = benkan::acces::hacher(MOT_DE_PASSE).unwrap();
        compte::creer(
            &conn,
            &Email::new("asso@jumelage.fr").unwrap(),
            &hash,
            Role::Acteur,
            &[],
            &[association],
        )
        .unwrap();
        compte::creer(
            &conn,
            &Email::new("admin@mdat.ml").unwrap(),
            &hash,
            Role::AdminNational,
            &[],
            &[],
        )
        .unwrap();
        association_id = association.0.to_string();
        conn.query_row(
            "SELECT id FROM partenariat WHERE titre = 'Évry – Kayes'",
            [],
            |r| r.get::<_, i64>(0),
        )
        .unwrap()
    };
    let (asso, csrf) = s.session("asso@jumelage.fr", MOT_DE_PASSE);
    let espace = s.get_avec("/espace", &asso);
    assert_eq!(espace.statut, 200, "{}", espace.corps);
    assert!(espace.corps.contains("Comité de jumelage Angers-Bamako"));
    assert!(espace.corps.contains("Association ou ONG partenaire"));
    for lien in [
        "/espace/partenariats/nouveau",
        "/espace/tableur",
        "Vos partenariats",
        "Vos actions",
    ] {
        assert!(
            !espace.corps.contains(lien),
            "{lien} shown to an association"
        );
    }
    // Nor the private contacts of a partenariat, nor its follow-up, nor the spreadsheet.
    let fiche = s.get_avec(&format!("/partenariats/{id}"), &asso);
    assert_eq!(fiche.statut, 200);
    assert!(
        fiche
            .corps
            .contains("Les contacts sont réservés aux comptes des collectivités"),
        "{}",
        fiche.corps
    );
    for route in [
        format!("/espace/partenariats/{id}/historique"),
        "/espace/partenariats/nouveau".to_owned(),
        "/espace/tableur.zip".to_owned(),
    ] {
        assert_eq!(s.get_avec(&route, &asso).statut, 403, "{route}");
    }
    // The writes the first test leaves out, which a collectivité's account may make: the
    // contacts, an action's results, the PDESC, the spreadsheet, the API with a token.
    let (kayes, action) = {
        let conn = s.conn();
        let kayes = par_code(&conn, Pays::MALI, Niveau::Commune, "ML-1-KAYES-KAYES").id;
        let action: i64 = conn
            .query_row(
                "SELECT id FROM action WHERE partenariat_id = ?1 LIMIT 1",
                [id],
                |r| r.get(0),
            )
            .unwrap_or_else(|_| {
                benkan::store::action::creer(
                    &conn,
                    benkan::model::NouvelleAction {
                        partenariat: benkan::model::PartenariatId(id),
                        titre: "Action existante".into(),
                        description: None,
                        axe: benkan::model::Axe::DeveloppementLocal,
                        domaine: benkan::model::Domaine::Culture,
                        nature: benkan::model::Nature::Physique,
                        statut: benkan::model::StatutAction::EnCours,
                        periode: benkan::model::Periode::inconnue(),
                        lieux: vec![kayes],
                        points: Vec::new(),
                        localites: Vec::new(),
                    },
                )
                .unwrap()
                .0
            });
        (kayes.0, action)
    };
    let compter = || {
        s.conn()
            .query_row(
                "SELECT (SELECT count(*) FROM contact) || '/' || (SELECT count(*) FROM resultat) || '/' ||
                        (SELECT count(*) FROM pdesc) || '/' || (SELECT count(*) FROM partenariat) || '/' ||
                        (SELECT count(*) FROM journal)",
                [],
                |r| r.get::<_, String>(0),
            )
            .unwrap()
    };
    let avant = compter();
    let ecritures: [(String, Vec<(&str, &str)>); 5] = [
        (
            format!("/espace/partenariats/{id}/contacts"),
            vec![("nom", "Awa Traoré"), ("email", "awa@exemple.ml")],
        ),
        (
            format!("/espace/partenariats/{id}/contacts/retirer"),
            vec![("contact", "1")],
        ),
        (
            format!("/espace/actions/{action}/resultats"),
            vec![("indicateur", "eau_personnes_desservies"), ("cible", "100")],
        ),
        (
            format!("/espace/collectivites/{kayes}/pdesc"),
            vec![
                ("debut", "2024"),
                ("fin", "2028"),
                ("titre", "PDESC de Kayes"),
            ],
        ),
        ("/espace/tableur/confirmer".to_owned(), vec![("jeton", "x")]),
    ];
    for (route, champs) in &ecritures {
        let mut tous = vec![("csrf", csrf.as_str())];
        tous.extend(champs.iter().copied());
        let reponse = s.post(route, Some(&asso), &tous);
        assert_eq!(reponse.statut, 403, "{route}: {}", reponse.corps);
        // refused for the account, not for its form
        assert!(
            !reponse.corps.contains("jeton de sécurité"),
            "{route}: {}",
            reponse.corps
        );
    }
    let jeton = benkan::acces::jeton().unwrap();
    {
        let conn = s.conn();
        let (compte, _) = compte::par_email(&conn, &Email::new("asso@jumelage.fr").unwrap())
            .unwrap()
            .unwrap();
        benkan::store::jeton_api::creer(
            &conn,
            compte.id,
            &benkan::acces::empreinte(&jeton),
            "essai",
        )
        .unwrap();
    }
    let angers = par_code(&s.conn(), Pays::FRANCE, Niveau::Commune, "49007").id;
    let declaration = serde_json::json!({
        "titre": "Kayes – Angers",
        "partie_malienne": kayes,
        "partenaire": angers.0,
    });
    for (route, corps) in [
        ("/api/v1/partenariats".to_owned(), declaration),
        (
            format!("/api/v1/partenariats/{id}/actions"),
            commun::api::une_action("Puits", kayes, 1000),
        ),
    ] {
        let r = commun::api::ecrire(&s, &route, Some(&jeton), &corps);
        assert_eq!(
            r.statut,
            403,
            "{route}: {}",
            String::from_utf8_lossy(&r.octets)
        );
    }
    assert_eq!(
        compter(),
        avant,
        "an association's account changed something"
    );

    // An administrator creates such an account on the web, bound to an acteur that exists.
    let (admin, csrf_admin) = s.session("admin@mdat.ml", MOT_DE_PASSE);
    let creer = |email: &str, role: &str, collectivites: &str, acteurs: &str| {
        s.post(
            "/espace/comptes",
            Some(&admin),
            &[
                ("csrf", csrf_admin.as_str()),
                ("email", email),
                ("role", role),
                ("collectivites", collectivites),
                ("acteurs", acteurs),
                ("mot_de_passe", MOT_DE_PASSE),
            ],
        )
    };
    for (role, collectivites, acteurs, message) in [
        ("acteur", "", "999", "Aucun acteur ne porte le numéro 999"),
        ("acteur", "", "", "agit au nom d&#39;au moins un acteur"),
        (
            "acteur",
            "ML-1-KAYES-KAYES",
            association_id.as_str(),
            "n&#39;agit au nom d&#39;aucune collectivité",
        ),
        (
            "lecteur",
            "",
            association_id.as_str(),
            "Seul un compte « Association ou ONG partenaire »",
        ),
        (
            "acteur",
            "",
            "douze",
            "« douze » n&#39;est pas un numéro d&#39;acteur",
        ),
    ] {
        let reponse = creer("autre@jumelage.fr", role, collectivites, acteurs);
        assert_eq!(reponse.statut, 422, "{role} {acteurs}: {}", reponse.corps);
        assert!(
            commun::paragraphe(
                &reponse.corps,
                if collectivites.is_empty() {
                    "acteurs"
                } else {
                    "collectivites"
                }
            )
            .contains(message),
            "{role} {acteurs}: {}",
            reponse.corps
        );
    }
    let reponse = creer("autre@jumelage.fr", "acteur", "", &association_id);
    assert_eq!(reponse.statut, 303, "{}", reponse.corps);
    let (cree, _) = compte::par_email(&s.conn(), &Email::new("autre@jumelage.fr").unwrap())
        .unwrap()
        .unwrap();
    assert_eq!((cree.role, cree.acteurs.len()), (Role::Acteur, 1));
}

/// A write of the bourse, its fields, the account entitled to it, and the accounts refused
/// besides the anonymous visitor, the reader and forged tokens.
type RouteBourse<'a> = (String, Vec<(String, String)>, &'a str, Vec<&'a str>);

/// Everything a refused request of the bourse must not change.
fn empreinte_bourse(s: &Serveur) -> String {
    s.conn()
        .query_row(
            "SELECT (SELECT count(*) FROM partenariat) || '/' || (SELECT count(*) FROM journal) || '/' ||
                    (SELECT count(*) FROM bourse_interet) || '/' || (SELECT count(*) FROM bourse_rencontre) || '/' ||
                    (SELECT group_concat(titre || etat || validation, '|') FROM bourse_demande) || '/' ||
                    (SELECT group_concat(titre || etat || validation || coalesce(collectivite_id, ''), '|') FROM bourse_offre)",
            [],
            |r| r.get(0),
        )
        .unwrap()
}

/// The bourse's writes: a demande speaks for a Malian collectivité, an offre for a foreign
/// one or an acteur, an interest for one side of a pair; nobody writes for another
/// collectivité or another acteur, and refused requests change nothing.
#[test]
fn nobody_acts_in_the_bourse_for_another_collectivite_or_acteur() {
    use benkan::model::bourse::{Annonce, Capacite, Demande, Langue, Offre};
    use benkan::model::{Domaine, RoleIntermediaire};
    use benkan::store::bourse::{self, Annonceur, Origine};

    let s = Serveur::demo();
    let (kayes, asso, d1, d2, o1, o2) = {
        let conn = s.conn();
        let kayes = par_code(&conn, Pays::MALI, Niveau::Commune, "ML-1-KAYES-KAYES").id;
        let mopti = par_code(&conn, Pays::MALI, Niveau::Commune, "ML-5-MOPTI-MOPTI").id;
        let lyon = par_code(&conn, Pays::FRANCE, Niveau::Commune, "69123").id;
        let hash = benkan::acces::hacher(MOT_DE_PASSE).unwrap();
        let acteur = |nom: &str| {
            benkan::store::acteur::creer(
                &conn,
                benkan::model::NouvelActeur {
                    nom: nom.into(),
                    type_organisation: benkan::model::TypeOrganisation::OngInternationale,
                    identifiant_iati: None,
                    pays: Some(Pays::FRANCE),
                    collectivite: None,
                },
            )
            .unwrap()
        };
        let (asso, autre_asso) = (acteur("Lyon Solidarité Mali"), acteur("Autre association"));
        for (email, role, c, a) in [
            ("admin@mdat.ml", Role::AdminNational, vec![], vec![]),
            ("maire@kayes.ml", Role::Collectivite, vec![kayes], vec![]),
            ("maire@mopti.ml", Role::Collectivite, vec![mopti], vec![]),
            ("lecteur@ambassade.fr", Role::Lecteur, vec![], vec![]),
            ("asso@lyon.fr", Role::Acteur, vec![], vec![asso]),
            ("autre@asso.fr", Role::Acteur, vec![], vec![autre_asso]),
        ] {
            compte::creer(&conn, &Email::new(email).unwrap(), &hash, role, &c, &a).unwrap();
        }
        // the association carries Lyon's partenariat with Mopti: it works with Lyon
        let p = commun::partenariat(&conn, "Lyon – Mopti", &[mopti, lyon]);
        benkan::store::partenariat::ajouter_intermediaire(
            &conn,
            p,
            asso,
            RoleIntermediaire::ComiteJumelage,
            None,
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
        let demande = |titre: &str| {
            let d = Demande {
                annonce: annonce(titre),
                axes: Vec::new(),
                niveau_souhaite: None,
                pays_souhaite: None,
            };
            bourse::deposer_demande(&conn, kayes, d, None, None, aujourd_hui).unwrap()
        };
        let offre = |titre: &str| {
            let o = Offre {
                annonce: annonce(titre),
                capacites: vec![Capacite::AppuiTechnique],
                financement: None,
                regions_connues: Vec::new(),
            };
            let origine = Origine {
                collectivite: Some(lyon),
                acteur: Some(asso),
            };
            bourse::deposer_offre(&conn, origine, o, None, aujourd_hui).unwrap()
        };
        let (d1, d2, o1, o2) = (
            demande("Eau 1"),
            demande("Eau 2"),
            offre("Appui 1"),
            offre("Appui 2"),
        );
        let admin = compte::par_email(&conn, &Email::new("admin@mdat.ml").unwrap())
            .unwrap()
            .unwrap()
            .0
            .id;
        for a in [
            Annonceur::Demande(d1),
            Annonceur::Demande(d2),
            Annonceur::Offre(o1),
            Annonceur::Offre(o2),
        ] {
            bourse::valider(&conn, a, admin).unwrap();
        }
        (
            kayes.0.to_string(),
            asso.0.to_string(),
            d1.0.to_string(),
            d2.0.to_string(),
            o1.0,
            o2.0,
        )
    };
    let o1 = o1.to_string();
    let champs_demande = vec![
        ("titre", "Latrines"),
        ("description", "Des latrines scolaires."),
        ("domaine", "eau_assainissement"),
        ("langue", "fr"),
        ("ouverte_jusqu_au", ""),
    ];
    let champs_offre = vec![
        ("titre", "Appui technique"),
        ("description", "Nos techniciens."),
        ("domaine", "eau_assainissement"),
        ("capacite", "appui_technique"),
        ("devise", "EUR"),
        ("langue", "fr"),
        ("ouverte_jusqu_au", ""),
    ];
    // the closing date, in three months whatever the day the test runs
    let dans = (time::OffsetDateTime::now_utc().date() + time::Duration::days(90)).to_string();
    let avec_date = |champs: &Vec<(&'static str, &'static str)>| -> Vec<(String, String)> {
        champs
            .iter()
            .map(|(k, v)| {
                let v = if *k == "ouverte_jusqu_au" {
                    dans.clone()
                } else {
                    (*v).to_owned()
                };
                ((*k).to_owned(), v)
            })
            .collect()
    };
    let paire = |cote: &str| {
        vec![
            ("demande".to_owned(), d1.clone()),
            ("offre".to_owned(), o1.clone()),
            ("cote".to_owned(), cote.to_owned()),
        ]
    };
    let routes: Vec<RouteBourse> = vec![
        (
            format!("/espace/bourse/demandes/nouvelle?collectivite={kayes}"),
            avec_date(&champs_demande),
            "maire@kayes.ml",
            vec!["maire@mopti.ml", "asso@lyon.fr"],
        ),
        (
            format!("/espace/bourse/offres/nouvelle?acteur={asso}"),
            avec_date(&champs_offre),
            "asso@lyon.fr",
            vec!["autre@asso.fr", "maire@kayes.ml"],
        ),
        (
            "/espace/bourse/interet".to_owned(),
            paire("demande"),
            "maire@kayes.ml",
            vec!["maire@mopti.ml", "asso@lyon.fr", "admin@mdat.ml"],
        ),
        (
            "/espace/bourse/interet".to_owned(),
            paire("offre"),
            "asso@lyon.fr",
            vec!["autre@asso.fr", "maire@kayes.ml", "admin@mdat.ml"],
        ),
        (
            "/espace/bourse/partenariat".to_owned(),
            paire("demande"),
            "maire@kayes.ml",
            vec!["maire@mopti.ml", "autre@asso.fr"],
        ),
        (
            format!("/espace/bourse/demandes/{d2}"),
            avec_date(&champs_demande),
            "maire@kayes.ml",
            vec!["maire@mopti.ml", "asso@lyon.fr"],
        ),
        (
            format!("/espace/bourse/demandes/{d2}/decision"),
            vec![("decision".to_owned(), "valider".to_owned())],
            "admin@mdat.ml",
            vec!["maire@kayes.ml", "asso@lyon.fr"],
        ),
        (
            format!("/espace/bourse/offres/{o2}"),
            avec_date(&champs_offre),
            "asso@lyon.fr",
            vec!["autre@asso.fr", "maire@kayes.ml"],
        ),
        (
            format!("/espace/bourse/demandes/{d2}/retirer"),
            vec![],
            "maire@kayes.ml",
            vec!["maire@mopti.ml", "asso@lyon.fr"],
        ),
    ];
    let sessions: std::collections::HashMap<&str, (String, String)> = [
        "admin@mdat.ml",
        "maire@kayes.ml",
        "maire@mopti.ml",
        "lecteur@ambassade.fr",
        "asso@lyon.fr",
        "autre@asso.fr",
    ]
    .into_iter()
    .map(|e| (e, s.session(e, MOT_DE_PASSE)))
    .collect();
    for (route, champs, droit, autres) in &routes {
        let envoyer = |session: Option<&str>, csrf: &str| {
            let mut tous = vec![("csrf", csrf)];
            tous.extend(champs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
            s.post(route, session, &tous)
        };
        let (moi, mon_csrf) = &sessions[droit];
        let (lecteur, csrf_lecteur) = &sessions["lecteur@ambassade.fr"];
        let avant = empreinte_bourse(&s);
        let faux = "0".repeat(64);
        let mut refus: Vec<(&str, Option<&str>, &str)> = vec![
            ("anonyme", None, &faux),
            ("lecteur", Some(lecteur), csrf_lecteur),
            ("jeton faux", Some(moi), &faux),
            ("jeton absent", Some(moi), ""),
        ];
        for autre in autres {
            let (session, csrf) = &sessions[autre];
            refus.push((autre, Some(session), csrf));
        }
        // each refusal checked as soon as it is answered, so that a write is blamed on its
        // author
        for (qui, session, csrf) in refus {
            let reponse = envoyer(session, csrf);
            assert_eq!(reponse.statut, 403, "{route} by {qui}: {}", reponse.corps);
            assert_eq!(
                empreinte_bourse(&s),
                avant,
                "{route} by {qui} changed the bourse"
            );
        }
        let reponse = envoyer(Some(moi), mon_csrf);
        assert_eq!(reponse.statut, 303, "{route} by {droit}: {}", reponse.corps);
        assert_ne!(
            empreinte_bourse(&s),
            avant,
            "{route} by {droit} changed nothing"
        );
    }
}
