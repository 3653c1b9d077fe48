//! What the integration tests share: a real server on a free port over a temporary database.
#![allow(dead_code)] // each test file uses its own part of this module

pub mod api;
pub mod generateur_iati;
pub mod ligne;
pub mod smtp;

use std::net::SocketAddr;

use benkan::model::{
    Collectivite, CollectiviteId, Email, Niveau, NouveauPartenariat, NouvelleCollectivite,
    PartenariatId, Pays, Role, StatutPartenariat,
};
use benkan::store::{Store, collectivite, partenariat};
use rusqlite::Connection;

/// A running benkan server with its temporary database.
pub struct Serveur {
    pub adresse: SocketAddr,
    pub store: Store,
    _dossier: tempfile::TempDir,
}

impl Serveur {
    /// Starts a server on a new database prepared by `preparer`.
    pub fn demarrer(preparer: impl FnOnce(&Connection)) -> Serveur {
        Serveur::depuis(|chemin| {
            let store = Store::ouvrir(chemin).unwrap();
            preparer(&store.connexion().unwrap());
        })
    }

    /// Starts a server on the database file that `creer` writes.
    pub fn depuis(creer: impl FnOnce(&std::path::Path)) -> Serveur {
        Serveur::depuis_avec(creer, false)
    }

    /// The same, with the session cookie marked Secure as `serve --cookie-securise` does.
    pub fn depuis_avec(creer: impl FnOnce(&std::path::Path), cookie_securise: bool) -> Serveur {
        let reglages = benkan::web::Reglages {
            cookie_securise,
            ..Default::default()
        };
        Serveur::depuis_reglages(creer, reglages)
    }

    /// The same, with the site's settings as `serve` passes them.
    pub fn depuis_reglages(
        creer: impl FnOnce(&std::path::Path),
        reglages: benkan::web::Reglages,
    ) -> Serveur {
        Serveur::depuis_store(creer, |_| reglages)
    }

    /// The same, with settings made from the opened database (the e-mail sender sends
    /// what it queues).
    pub fn depuis_store(
        creer: impl FnOnce(&std::path::Path),
        reglages: impl FnOnce(&Store) -> benkan::web::Reglages,
    ) -> Serveur {
        let dossier = tempfile::tempdir().unwrap();
        let chemin = dossier.path().join("essai.db");
        creer(&chemin);
        let store = Store::ouvrir(&chemin).unwrap();
        let reglages = reglages(&store);
        let ecoute = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        ecoute.set_nonblocking(true).unwrap();
        let adresse = ecoute.local_addr().unwrap();
        let routeur = benkan::web::routeur(store.clone(), reglages).unwrap();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Runtime::new().unwrap();
            runtime.block_on(async move {
                let ecoute = tokio::net::TcpListener::from_std(ecoute).unwrap();
                benkan::web::servir(ecoute, routeur, std::future::pending())
                    .await
                    .unwrap();
            });
        });
        Serveur {
            adresse,
            store,
            _dossier: dossier,
        }
    }

    /// A server over the référentiel and the demonstration data, copied from a database
    /// built once per test binary (loading 40,000 collectivités takes a moment).
    pub fn demo() -> Serveur {
        Serveur::demo_avec(benkan::web::Reglages::default())
    }

    /// The demonstration server with the site's settings as `serve` passes them.
    pub fn demo_avec(reglages: benkan::web::Reglages) -> Serveur {
        Serveur::demo_preparee(|_| (), |_| reglages)
    }

    /// The demonstration server, its copy of the database changed by `preparer` before it
    /// starts, with settings made from the opened database.
    pub fn demo_preparee(
        preparer: impl FnOnce(&Connection),
        reglages: impl FnOnce(&Store) -> benkan::web::Reglages,
    ) -> Serveur {
        static MODELE: std::sync::OnceLock<(tempfile::TempDir, std::path::PathBuf)> =
            std::sync::OnceLock::new();
        let (_, modele) = MODELE.get_or_init(|| {
            let dossier = tempfile::tempdir().unwrap();
            let chemin = dossier.path().join("modele.db");
            let store = Store::ouvrir(&chemin).unwrap();
            let conn = store.connexion().unwrap();
            benkan::demo::charger(&conn).unwrap();
            conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
                .unwrap();
            (dossier, chemin)
        });
        Serveur::depuis_store(
            |chemin| {
                std::fs::copy(modele, chemin).unwrap();
                preparer(&Store::ouvrir(chemin).unwrap().connexion().unwrap());
            },
            reglages,
        )
    }

    pub fn get(&self, chemin: &str) -> Reponse {
        get(&format!("http://{}{chemin}", self.adresse))
    }

    pub fn conn(&self) -> benkan::store::Connexion {
        self.store.connexion().unwrap()
    }
}

/// What a user would read: the status, the headers and the body.
pub struct Reponse {
    pub statut: u16,
    pub corps: String,
    pub entetes: Vec<(String, String)>,
}

impl Reponse {
    pub fn entete(&self, nom: &str) -> Option<&str> {
        entete(&self.entetes, nom)
    }

    /// How many times `motif` appears in the body.
    pub fn compte(&self, motif: &str) -> usize {
        self.corps.matches(motif).count()
    }
}

/// The value of the header `nom`, whatever its case.
pub fn entete<'a>(entetes: &'a [(String, String)], nom: &str) -> Option<&'a str> {
    entetes
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(nom))
        .map(|(_, v)| v.as_str())
}

/// The headers of an answer, as they came.
pub fn entetes<B>(reponse: &ureq::http::Response<B>) -> Vec<(String, String)> {
    reponse
        .headers()
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_str().unwrap_or_default().to_owned()))
        .collect()
}

/// An agent that shows every answer as it is: no error for a 4xx or 5xx, no redirect followed.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into()
}

pub fn get(url: &str) -> Reponse {
    lire(agent().get(url).call().unwrap())
}

impl Serveur {
    /// A GET with a session cookie.
    pub fn get_avec(&self, chemin: &str, session: &str) -> Reponse {
        let url = format!("http://{}{chemin}", self.adresse);
        lire(
            agent()
                .get(&url)
                .header("Cookie", &format!("benkan_session={session}"))
                .call()
                .unwrap(),
        )
    }

    /// A form POST, with a session cookie if given.
    pub fn post(&self, chemin: &str, session: Option<&str>, champs: &[(&str, &str)]) -> Reponse {
        let url = format!("http://{}{chemin}", self.adresse);
        let mut requete = agent().post(&url);
        if let Some(jeton) = session {
            requete = requete.header("Cookie", &format!("benkan_session={jeton}"));
        }
        lire(requete.send_form(champs.iter().copied()).unwrap())
    }
}

impl Serveur {
    /// A form POST with this `Cookie` header.
    pub fn post_cookie(&self, chemin: &str, cookie: &str, champs: &[(&str, &str)]) -> Reponse {
        let url = format!("http://{}{chemin}", self.adresse);
        lire(
            agent()
                .post(&url)
                .header("Cookie", cookie)
                .send_form(champs.iter().copied())
                .unwrap(),
        )
    }

    /// Opens the sign-in form as a browser does: the `Cookie` header to send back (its CSRF
    /// cookie) and the token of its hidden field.
    pub fn formulaire_connexion(&self) -> (String, String) {
        self.formulaire_anonyme("/connexion")
    }

    /// The same for another form of a visitor not signed in (`/connexion/oubli`).
    pub fn formulaire_anonyme(&self, chemin: &str) -> (String, String) {
        let page = self.get(chemin);
        assert_eq!(page.statut, 200);
        let cookie = page
            .entete("set-cookie")
            .expect("the sign-in form sets its cookie")
            .split(';')
            .next()
            .unwrap()
            .to_owned();
        let debut =
            page.corps.find("name=\"csrf\" value=\"").unwrap() + "name=\"csrf\" value=\"".len();
        (cookie, page.corps[debut..debut + 64].to_owned())
    }

    /// Signs in through the form (fetched first, for its CSRF token), coming back to `suite`.
    pub fn connecter(&self, email: &str, mot_de_passe: &str, suite: &str) -> Reponse {
        let (cookie, csrf) = self.formulaire_connexion();
        self.post_cookie(
            "/connexion",
            &cookie,
            &[
                ("email", email),
                ("mot_de_passe", mot_de_passe),
                ("suite", suite),
                ("csrf", &csrf),
            ],
        )
    }

    /// Signs in and returns the session token and the CSRF token of its forms.
    pub fn session(&self, email: &str, mot_de_passe: &str) -> (String, String) {
        let r = self.connecter(email, mot_de_passe, "/espace");
        assert_eq!(r.statut, 303, "{email} cannot sign in");
        let jeton = r
            .entetes
            .iter()
            .find(|(n, v)| n.eq_ignore_ascii_case("set-cookie") && v.starts_with("benkan_session="))
            .map(|(_, v)| v.as_str())
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .trim_start_matches("benkan_session=")
            .to_owned();
        let espace = self.get_avec("/espace", &jeton);
        let debut =
            espace.corps.find("name=\"csrf\" value=\"").unwrap() + "name=\"csrf\" value=\"".len();
        let csrf = espace.corps[debut..debut + 64].to_owned();
        (jeton, csrf)
    }
}

/// The status, headers and body of an answer.
pub fn lire(mut reponse: ureq::http::Response<ureq::Body>) -> Reponse {
    let entetes = entetes(&reponse);
    Reponse {
        statut: reponse.status().as_u16(),
        corps: reponse.body_mut().read_to_string().unwrap(),
        entetes,
    }
}

/// The one number an SQL query on the server's database answers (`SELECT count(*) …`).
pub fn nombre(s: &Serveur, sql: &str) -> i64 {
    s.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

/// Small builders for the records a test needs.
pub fn collectivite(
    conn: &Connection,
    pays: &str,
    niveau: Niveau,
    nom: &str,
    parent: Option<CollectiviteId>,
) -> CollectiviteId {
    collectivite::inserer(
        conn,
        NouvelleCollectivite {
            parent,
            ..NouvelleCollectivite::new(Pays::new(pays).unwrap(), niveau, nom)
        },
    )
    .unwrap()
}

pub fn partenariat(conn: &Connection, titre: &str, parties: &[CollectiviteId]) -> PartenariatId {
    partenariat::creer(
        conn,
        NouveauPartenariat::new(titre, StatutPartenariat::Actif, parties.to_vec()),
    )
    .unwrap()
}

/// An action under way, without dates, points nor villages, in `lieux`.
pub fn action(
    conn: &Connection,
    partenariat: PartenariatId,
    titre: &str,
    (axe, domaine, nature): (
        benkan::model::Axe,
        benkan::model::Domaine,
        benkan::model::Nature,
    ),
    lieux: Vec<CollectiviteId>,
) -> benkan::model::ActionId {
    benkan::store::action::creer(
        conn,
        benkan::model::NouvelleAction {
            partenariat,
            titre: titre.into(),
            description: None,
            axe,
            domaine,
            nature,
            statut: benkan::model::StatutAction::EnCours,
            periode: benkan::model::Periode::inconnue(),
            lieux,
            points: Vec::new(),
            localites: Vec::new(),
        },
    )
    .unwrap()
}

/// The demonstration server with the accounts of [`comptes_kayes_mopti`], and one action
/// under way of a partenariat Kayes – Angers, placed in the commune of Kayes.
pub struct ActionDeKayes {
    pub serveur: Serveur,
    pub kayes: i64,
    pub action: i64,
}

pub fn action_de_kayes(
    titre: &str,
    genre: (
        benkan::model::Axe,
        benkan::model::Domaine,
        benkan::model::Nature,
    ),
) -> ActionDeKayes {
    let serveur = Serveur::demo();
    let conn = serveur.conn();
    let (kayes, _, angers) = comptes_kayes_mopti(&conn);
    let p = partenariat(&conn, "Kayes – Angers", &[kayes, angers]);
    let action = action(&conn, p, titre, genre, vec![kayes]);
    drop(conn);
    ActionDeKayes {
        serveur,
        kayes: kayes.0,
        action: action.0,
    }
}

/// The current collectivité of that country, level and official code.
pub fn par_code(conn: &Connection, pays: Pays, niveau: Niveau, code: &str) -> Collectivite {
    collectivite::par_code(conn, pays, niveau, code)
        .unwrap()
        .unwrap_or_else(|| panic!("{code} absent"))
}

/// The password of the accounts the tests create.
pub const MOT_DE_PASSE: &str = "une phrase de passe assez longue";

/// Four accounts for the contributors' space: `admin@mdat.ml` (administrator),
/// `maire@kayes.ml` and `maire@mopti.ml` (bound to those communes), `lecteur@ambassade.fr`
/// (reader). Returns the communes of Kayes and Mopti, and Angers (France).
pub fn comptes_kayes_mopti(conn: &Connection) -> (CollectiviteId, CollectiviteId, CollectiviteId) {
    let kayes = par_code(conn, Pays::MALI, Niveau::Commune, "ML-1-KAYES-KAYES").id;
    let mopti = par_code(conn, Pays::MALI, Niveau::Commune, "ML-5-MOPTI-MOPTI").id;
    let angers = par_code(conn, Pays::FRANCE, Niveau::Commune, "49007").id;
    let hash = benkan::acces::hacher(MOT_DE_PASSE).unwrap();
    for (email, role, collectivites) in [
        ("admin@mdat.ml", Role::AdminNational, vec![]),
        ("maire@kayes.ml", Role::Collectivite, vec![kayes]),
        ("maire@mopti.ml", Role::Collectivite, vec![mopti]),
        ("lecteur@ambassade.fr", Role::Lecteur, vec![]),
    ] {
        benkan::store::compte::creer(
            conn,
            &Email::new(email).unwrap(),
            &hash,
            role,
            &collectivites,
            &[],
        )
        .unwrap();
    }
    (kayes, mopti, angers)
}

/// The paragraph of a form that holds the field `id`: its label, its input and its message.
pub fn paragraphe<'a>(corps: &'a str, id: &str) -> &'a str {
    let debut = corps
        .find(&format!(r#"id="{id}""#))
        .unwrap_or_else(|| panic!("no field {id}"));
    let fin = corps[debut..].find("</p>").unwrap() + debut;
    &corps[debut..fin]
}

/// The paragraph of field `id` in a refused form, checked to be marked invalid and tied to
/// its hint and its message (`aide-{id}`, `err-{id}`), with the message's text.
pub fn champ_refuse<'a>(corps: &'a str, id: &str) -> (&'a str, &'a str) {
    let champ = paragraphe(corps, id);
    assert!(
        champ.contains("aria-invalid=\"true\"")
            && champ.contains(&format!("aria-describedby=\"aide-{id} err-{id}\"")),
        "{champ}"
    );
    let ouverture = format!("<span class=\"erreur\" id=\"err-{id}\">");
    let debut = champ.find(&ouverture).unwrap_or_else(|| panic!("{champ}")) + ouverture.len();
    let fin = debut + champ[debut..].find("</span>").unwrap();
    (champ, &champ[debut..fin])
}

/// Every integration test is also a test of the figures that triggers keep (migration
/// 0019): whatever it wrote, through the site, the API or the imports, they must equal a
/// recomputation from scratch when it ends.
impl Drop for Serveur {
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        let ecarts = benkan::store::zones::verifier_compteurs(&self.conn()).unwrap();
        assert!(ecarts.is_empty(), "compteurs faux : {ecarts:?}");
    }
}
