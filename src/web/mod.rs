//! The public web site: server-rendered French pages that work without JavaScript.
//!
//! Handlers are thin: they read the request through [`params`], call the store once on a
//! blocking thread, and render a compiled template. Errors become a status and a French
//! page in one place, [`erreur`].

mod accueil;
mod actions;
mod apercu;
mod api;
mod assets;
mod bourse;
mod bourse_espace;
mod calculs;
mod campagne;
mod carte;
mod client;
mod collectivites;
mod comptes;
mod connexion;
mod contacts;
mod declaration;
mod declaration_action;
mod documentation_api;
mod donnees;
mod erreur;
mod espace;
mod exploitant;
mod format;
mod formulaire;
mod informations;
mod interventions;
mod jetons;
mod journal;
mod message;
mod metriques;
mod oubli;
mod params;
mod partenariats;
mod pdesc;
mod preparation;
mod reponses;
mod resultats;
mod revue;
mod saisie_localites;
mod sante;
mod session;
mod suivi;
mod tableur;

use std::future::Future;
use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::routing::{get, post};
use rusqlite::Connection;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::referentiel::{self, Resolveur};
use crate::store::{Store, StoreError};
pub use erreur::WebError;
pub use exploitant::{Exploitant, Reglages};

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    store: Store,
    /// The name resolver over every collectivité, built at start and rebuilt when a
    /// declaration creates a collectivité.
    resolveur: Arc<std::sync::RwLock<Arc<Resolveur>>>,
    /// Overviews by date, computed once and reused until the data changes.
    apercus: Arc<calculs::Calculs<time::Date, crate::observatoire::Apercu>>,
    /// The `/apercu` pages as sent (by date, map level and measure): the same for every
    /// visitor until the data changes, and long to write at national scale.
    pages_apercu: Arc<calculs::Calculs<apercu::ClePage, axum::body::Bytes>>,
    /// Today's overview kept up to date write by write, so that its first view after a
    /// change recounts only what changed.
    apercu_tenu: Arc<crate::observatoire::ApercuTenu>,
    /// Rendered maps, reused until the data changes.
    cartes: Arc<calculs::Calculs<carte::CleCarte, carte::CarteRendue>>,
    /// The pages the maps link to, by unit code, read again only when the data moved.
    liens_cartes: Arc<carte::Liens>,
    /// What bounds the expensive computations (overviews, open-data files) running at once.
    limite: calculs::Limite,
    /// Open-data files kept on disk, rebuilt in the background when the data changed.
    telechargements: Arc<donnees::Telechargements>,
    /// Whether the session cookie is marked Secure (the site is served over HTTPS).
    cookie_securise: bool,
    /// Who runs the registry, as configured (the « À propos » and legal pages).
    exploitant: Arc<Exploitant>,
    /// Spreadsheets sent from the contributors' space, waiting for their confirmation.
    tableurs: Arc<tableur::EnAttente>,
    /// What `/metrics` shows (requests, waits for the database, caches, sign-ins).
    metriques: Arc<metriques::Metriques>,
    /// The token that opens `/metrics` to a request from elsewhere.
    jeton_metriques: Option<Arc<str>>,
    /// The reverse proxies whose `X-Forwarded-For` names the client (`client`).
    proxys_de_confiance: Arc<[std::net::IpAddr]>,
    /// What sends e-mail; none when SMTP is not configured, and the pages say whom to ask.
    courrier: Option<crate::courriel::Courrier>,
}

impl AppState {
    /// The current name resolver.
    fn resolveur(&self) -> Arc<Resolveur> {
        match self.resolveur.read() {
            Ok(r) => r.clone(),
            Err(empoisonne) => empoisonne.into_inner().clone(),
        }
    }

    /// Indexes the collectivités again, after one was created.
    async fn reindexer(&self) -> Result<(), WebError> {
        let nouveau = self.lire(|conn| Ok(referentiel::resolveur(conn)?)).await?;
        match self.resolveur.write() {
            Ok(mut r) => *r = Arc::new(nouveau),
            Err(empoisonne) => *empoisonne.into_inner() = Arc::new(nouveau),
        }
        Ok(())
    }

    /// Runs `lecture` in one read transaction (one snapshot) on a thread where blocking is
    /// allowed.
    async fn lire<T, F>(&self, lecture: F) -> Result<T, WebError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, WebError> + Send + 'static,
    {
        let store = self.store.clone();
        bloquant(move || store.lire(lecture)).await
    }

    /// Runs `ecriture` as one write transaction that takes the write lock up front: every
    /// handler that writes to the database goes through here, never through
    /// [`AppState::lire`] (whose connections are read-only).
    async fn ecrire<T, F>(&self, ecriture: F) -> Result<T, WebError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, WebError> + Send + 'static,
    {
        let store = self.store.clone();
        bloquant(move || store.ecrire(ecriture)).await
    }

    /// A write that only keeps a note (a session seen, a token used, a failed sign-in
    /// marked): when it fails — the database busy under load — the request goes on and the
    /// cause is logged as `quoi`.
    async fn noter<F>(&self, quoi: &'static str, ecriture: F)
    where
        F: FnOnce(&Connection) -> Result<(), WebError> + Send + 'static,
    {
        if let Err(e) = self.ecrire(ecriture).await {
            tracing::warn!("{quoi} : {e:?}");
        }
    }
}

/// Runs `travail` on a thread where blocking is allowed.
async fn bloquant<T: Send + 'static>(
    travail: impl FnOnce() -> Result<T, WebError> + Send + 'static,
) -> Result<T, WebError> {
    tokio::task::spawn_blocking(travail)
        .await
        .map_err(|e| WebError::Interne(format!("tâche interrompue : {e}")))?
}

/// How many dates of the overview are kept.
const APERCUS_GARDES: usize = 8;

/// The largest request body of every route but the spreadsheet upload
/// ([`tableur::ENVOI_MAX`]): forms and API writes are a few kilobytes.
const CORPS_MAX: usize = 64 * 1024;
/// Maps kept: the national ones at a few dates (3 levels × 4 measures) and the pages of the
/// units visited most recently.
const CARTES_GARDEES: usize = 128;

/// The whole site, with its security headers and compression; indexes the collectivités
/// for the search box first.
pub fn routeur(store: Store, reglages: Reglages) -> Result<Router, StoreError> {
    let Reglages {
        cookie_securise,
        exploitant,
        jeton_metriques,
        proxys_de_confiance,
        courrier,
    } = reglages;
    let mut metriques = metriques::Metriques::default();
    if let Some(c) = &courrier {
        metriques.enregistrer_courriels(c.compteurs());
    }
    let metriques = Arc::new(metriques);
    // Every read and write of the site, the caches' included, tells how long it waited.
    let store = store.observe(metriques.observateur());
    let (resolveur, donnees) = {
        let conn = store.connexion()?;
        let donnees = preparation::Donnees::lire(&conn)?;
        (referentiel::resolveur(&conn)?, donnees)
    };
    let resolveur = Arc::new(std::sync::RwLock::new(Arc::new(resolveur)));
    let telechargements = Arc::new(donnees::Telechargements::new(
        store.chemin(),
        donnees,
        metriques.cache("tailles_fichiers"),
    ));
    let apercu_tenu = Arc::default();
    compter_chaque_jour(store.clone(), Arc::downgrade(&apercu_tenu));
    // No script may run, so `connect-src 'self'` opens nothing to the site's own pages: it
    // lets audit tools that read /robots.txt from inside the page (Lighthouse) find it.
    let entetes = [
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'self'; img-src 'self' data:; connect-src 'self'; \
             form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
        ),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "same-origin"),
    ];
    let mut routeur = Router::new()
        .route("/", get(accueil::page))
        .route("/collectivites", get(collectivites::index))
        .route("/collectivites/{id}", get(collectivites::fiche))
        .route("/partenariats", get(partenariats::liste))
        .route("/partenariats/{id}", get(partenariats::fiche))
        .route("/actions", get(actions::liste))
        .route("/actions/{id}", get(actions::fiche))
        .route("/interventions/{id}", get(interventions::fiche))
        .route("/bourse", get(bourse::liste))
        .route("/bourse/comment-nous-rapprochons", get(bourse::methode))
        .route("/bourse/demandes/{id}", get(bourse::demande))
        .route("/bourse/offres/{id}", get(bourse::offre))
        .route("/espace/bourse", get(bourse_espace::espace))
        .route(
            "/espace/bourse/{genre}/nouvelle",
            get(bourse_espace::formulaire_nouvelle).post(bourse_espace::publier),
        )
        .route(
            "/espace/bourse/{genre}/{id}",
            get(bourse_espace::formulaire_existante).post(bourse_espace::modifier),
        )
        .route(
            "/espace/bourse/{genre}/{id}/retirer",
            post(bourse_espace::retirer),
        )
        .route(
            "/espace/bourse/{genre}/{id}/decision",
            post(bourse_espace::decider),
        )
        .route("/espace/bourse/interet", post(bourse_espace::interet))
        .route(
            "/espace/bourse/partenariat",
            post(bourse_espace::partenariat),
        )
        .route("/apercu", get(apercu::page))
        .route("/apercu.json", get(apercu::json))
        .route("/donnees", get(donnees::page))
        .route("/donnees/iati.xml", get(donnees::iati))
        .route("/donnees/carte/{fichier}", get(carte::geojson))
        .route("/donnees/registre.zip", get(donnees::registre))
        .route("/donnees/registre-excel.zip", get(donnees::registre_excel))
        .route("/apercu/{fichier}", get(apercu::fichier))
        .route(
            "/connexion",
            get(connexion::formulaire_connexion).post(connexion::connexion),
        )
        .route(
            "/connexion/oubli",
            get(oubli::formulaire_oubli).post(oubli::demander),
        )
        .route(
            "/connexion/nouveau-mot-de-passe",
            get(oubli::formulaire_nouveau).post(oubli::choisir),
        )
        .route("/deconnexion", post(espace::deconnexion))
        .route("/espace", get(espace::espace))
        .route(
            "/espace/campagne",
            get(campagne::page).post(campagne::ouvrir),
        )
        .route("/espace/campagne.csv", get(campagne::export))
        .route("/espace/campagne/rappels", post(campagne::rappeler))
        .route("/espace/comptes", get(comptes::liste).post(comptes::creer))
        .route("/espace/comptes/{id}/desactiver", post(comptes::desactiver))
        .route(
            "/espace/partenariats/nouveau",
            get(declaration::formulaire_declaration).post(declaration::declarer),
        )
        .route(
            "/espace/partenariats/{id}/actions/nouvelle",
            get(declaration_action::formulaire).post(declaration_action::declarer),
        )
        .route("/espace/validation", get(revue::file_validation))
        .route(
            "/espace/validation/action/{id}",
            post(declaration::decider_action),
        )
        .route(
            "/espace/partenariats/{id}/confirmer",
            post(suivi::confirmer),
        )
        .route(
            "/espace/partenariats/{id}/historique",
            get(suivi::historique),
        )
        .route(
            "/espace/partenariats/{id}/etapes",
            post(suivi::ajouter_etape),
        )
        .route(
            "/espace/partenariats/{id}/conventions",
            post(suivi::ajouter_convention),
        )
        .route(
            "/espace/partenariats/{id}/intermediaires",
            post(suivi::ajouter_intermediaire),
        )
        .route("/espace/partenariats/{id}/archiver", post(suivi::archiver))
        .route(
            "/espace/partenariats/{id}/restaurer",
            post(suivi::restaurer),
        )
        .route(
            "/espace/partenariats/{id}/champs",
            post(suivi::changer_champs),
        )
        .route(
            "/espace/actions/{id}",
            get(declaration_action::formulaire_modification).post(declaration_action::modifier),
        )
        .route(
            "/espace/collectivites/{id}/pdesc",
            get(pdesc::formulaire_pdesc).post(pdesc::enregistrer_pdesc),
        )
        .route(
            "/espace/actions/{id}/resultats",
            get(resultats::formulaire_resultats).post(resultats::modifier_resultats),
        )
        .route(
            "/espace/actions/{id}/historique",
            get(suivi::historique_action),
        )
        .route(
            "/espace/partenariats/{id}/parties",
            post(suivi::changer_partie),
        )
        .route(
            "/espace/partenariats/{id}/contacts",
            post(contacts::ajouter),
        )
        .route(
            "/espace/partenariats/{id}/contacts/retirer",
            post(contacts::retirer),
        )
        .route("/espace/validation/{id}", post(declaration::decider))
        .route(
            "/espace/mot-de-passe",
            get(espace::formulaire_mot_de_passe).post(espace::changer_mot_de_passe),
        )
        .route("/espace/tableur.zip", get(tableur::telecharger))
        .route("/espace/tableur/confirmer", post(tableur::confirmer))
        .route("/espace/tableur/annuler", post(tableur::annuler))
        .route("/espace/jetons", get(jetons::liste).post(jetons::creer))
        .route("/espace/jetons/{id}/revoquer", post(jetons::revoquer))
        .route("/static/style.css", get(assets::style))
        .route("/static/favicon.svg", get(assets::favicon))
        .route("/robots.txt", get(assets::robots))
        // for load balancers and supervision: never kept (`reponses`), always read
        .route("/sante", get(sante::sante))
        .route("/a-propos", get(informations::a_propos))
        .route("/glossaire", get(informations::glossaire))
        .route("/mentions-legales", get(informations::mentions_legales))
        .route("/confidentialite", get(informations::confidentialite))
        .route("/demander-un-compte", get(informations::demander_un_compte))
        .route("/api", get(documentation_api::page))
        .route("/metrics", get(metriques::page))
        .nest("/api/v1", api::routeur())
        .layer(axum::middleware::from_fn(donnees::licence))
        .fallback(erreur::page_introuvable)
        .layer(RequestBodyLimitLayer::new(CORPS_MAX))
        // the one route that takes files, with its own bound (said in French by the handler)
        .merge(
            Router::new()
                .route("/espace/tableur", post(tableur::envoyer))
                .layer(axum::extract::DefaultBodyLimit::max(tableur::ENVOI_MAX)),
        )
        .with_state(AppState {
            store: store.clone(),
            resolveur,
            apercus: Arc::new(calculs::Calculs::new(
                APERCUS_GARDES,
                metriques.cache("apercus"),
            )),
            apercu_tenu,
            pages_apercu: Arc::new(calculs::Calculs::new(
                CARTES_GARDEES,
                metriques.cache("pages_apercu"),
            )),
            cartes: Arc::new(calculs::Calculs::new(
                CARTES_GARDEES,
                metriques.cache("cartes"),
            )),
            liens_cartes: Arc::default(),
            limite: calculs::Limite::default(),
            telechargements,
            cookie_securise,
            exploitant: Arc::new(exploitant),
            tableurs: Arc::default(),
            metriques: metriques.clone(),
            jeton_metriques: jeton_metriques
                .filter(|j| !j.trim().is_empty())
                .map(|j| Arc::from(j.trim())),
            proxys_de_confiance: proxys_de_confiance.into(),
            courrier,
        });
    for (nom, valeur) in entetes {
        routeur = routeur.layer(SetResponseHeaderLayer::if_not_present(
            nom,
            HeaderValue::from_static(valeur),
        ));
    }
    if cookie_securise {
        // Served over HTTPS: browsers will not come back over plain HTTP for a year.
        routeur = routeur.layer(SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        ));
    }
    Ok(routeur
        .layer(axum::middleware::from_fn_with_state(
            (
                Arc::new(reponses::Reponses::new(metriques.cache("reponses"))),
                store,
            ),
            reponses::garder,
        ))
        // a zip is compressed already
        .layer(CompressionLayer::new().compress_when(
            DefaultPredicate::new().and(NotForContentType::const_new("application/zip")),
        ))
        // outside the kept answers, so that they count too; inside the routing, which gives
        // it the route template (`MatchedPath`)
        .layer(axum::middleware::from_fn_with_state(
            metriques,
            metriques::mesurer,
        ))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(requete_journalisee)
                .on_request(())
                .on_response(reponse_journalisee),
        ))
}

/// The span of a request in the log: its method and path. The path only: a query string
/// may carry what a person searched for.
fn requete_journalisee(requete: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    tracing::info_span!(
        "requête",
        methode = %requete.method(),
        chemin = %requete.uri().path()
    )
}

/// One log line per request, in its span: status and time.
fn reponse_journalisee(
    reponse: &axum::http::Response<axum::body::Body>,
    duree: std::time::Duration,
    _: &tracing::Span,
) {
    let ms = format!("{:.1}", duree.as_secs_f64() * 1000.0);
    tracing::info!(
        "{} en {} ms",
        reponse.status().as_u16(),
        ms.replace('.', ",")
    );
}

/// Counts today's overview before any visitor asks for it: at start, then just after each
/// midnight (UTC), when the date of « today » moves and the kept overview must be counted
/// again whole; every other change is counted write by write (`observatoire::agregats`).
/// The thread ends after the site that owns `tenu` is gone.
fn compter_chaque_jour(store: Store, tenu: std::sync::Weak<crate::observatoire::ApercuTenu>) {
    let compter = move || {
        while let Some(t) = tenu.upgrade() {
            let jour = format::aujourd_hui();
            if let Err(e) = store.lire(|conn| t.apercu(conn, jour)) {
                tracing::warn!("aperçu du jour non compté d'avance : {e}");
            }
            drop(t);
            let maintenant = time::OffsetDateTime::now_utc();
            let minuit = jour
                .next_day()
                .map_or(maintenant, |d| d.midnight().assume_utc());
            let attente = (minuit - maintenant).max(time::Duration::ZERO) + time::Duration::SECOND;
            std::thread::sleep(
                attente
                    .try_into()
                    .unwrap_or(std::time::Duration::from_secs(60)),
            );
        }
    };
    if let Err(e) = std::thread::Builder::new()
        .name("apercu-du-jour".into())
        .spawn(compter)
    {
        tracing::warn!("aperçu du jour : fil non démarré ({e}), il sera compté à la première vue");
    }
}

/// Serves `routeur` on `listener` until `arret` completes.
pub async fn servir(
    listener: tokio::net::TcpListener,
    routeur: Router,
    arret: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // The peer's address counts failed sign-ins per address (or, from a trusted proxy, the
    // client it names: `client`).
    let service = routeur.into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, service)
        .with_graceful_shutdown(arret)
        .await
}
