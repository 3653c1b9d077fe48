//! E-mail: the site's messages (password links, review digest, notices of decisions, the
//! campaign's reminders) written in French, plain text and HTML, and sent over SMTP by a
//! thread of their own, so that a slow or absent mail server never holds a page.
//!
//! Messages that tell something are kept in the database until the server takes them
//! (`store::courriel`), retried with a growing delay, also after a restart; a message that
//! carries a sign-in link waits in memory only, since the database keeps nothing but the
//! hash of a link's token. Without SMTP settings nothing is sent and the pages say whom to
//! ask instead (`web`).

mod envoi;
pub mod textes;

use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use lettre::message::Mailbox;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;

use crate::store::Store;
pub use crate::store::courriel::{Courriel, Genre};

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Securite {
    /// Plain connection upgraded with STARTTLS, which must succeed (usually port 587).
    StartTls,
    /// TLS from the first byte (usually port 465).
    Tls,
    /// No encryption: only for a relay on the same machine or in tests.
    Aucune,
}

/// The SMTP settings (`serve --smtp-…` or `BENKAN_SMTP_…`).
#[derive(Clone)]
pub struct Smtp {
    pub serveur: String,
    pub port: u16,
    pub securite: Securite,
    /// The account and its password, when the server asks for one.
    pub identifiants: Option<(String, String)>,
    /// The sender, « benkan <registre@ministere.ml> » or a bare address.
    pub expediteur: String,
    /// The site's public address (`https://benkan.gouv.ml`), for the links in the messages.
    pub site: String,
    /// The delay before the first retry of a failed message; each next one doubles it.
    pub reessai: Duration,
    /// The hour (UTC, Mali's time) from which the day's review digest is written.
    pub heure_resume: u8,
}

impl Smtp {
    /// The settings with the site's address trimmed, or what cannot work: said before the
    /// server opens its database.
    pub fn verifie(self) -> Result<Smtp, ErreurCourriel> {
        self.preparer().map(|(smtp, ..)| smtp)
    }

    /// The checked settings, the sender they name and the SMTP client they make.
    fn preparer(self) -> Result<(Smtp, Mailbox, lettre::SmtpTransport), ErreurCourriel> {
        let smtp = Smtp {
            site: self.site.trim().trim_end_matches('/').to_owned(),
            ..self
        };
        if !(smtp.site.starts_with("https://") || smtp.site.starts_with("http://"))
            || smtp.site.len() <= "https://".len()
        {
            return Err(ErreurCourriel::Site(smtp.site));
        }
        let expediteur = smtp
            .expediteur
            .parse::<Mailbox>()
            .map_err(|_| ErreurCourriel::Expediteur(smtp.expediteur.clone()))?;
        let transport = envoi::transport(&smtp)?;
        Ok((smtp, expediteur, transport))
    }
}

/// Printed with the password masked: settings end up in logs, a secret must not.
impl std::fmt::Debug for Smtp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Smtp")
            .field("serveur", &self.serveur)
            .field("port", &self.port)
            .field("securite", &self.securite)
            .field(
                "identifiants",
                &self.identifiants.as_ref().map(|(c, _)| (c, "(masqué)")),
            )
            .field("expediteur", &self.expediteur)
            .field("site", &self.site)
            .field("reessai", &self.reessai)
            .field("heure_resume", &self.heure_resume)
            .finish()
    }
}

/// Settings that cannot work, said before the server starts.
#[derive(Debug, thiserror::Error)]
pub enum ErreurCourriel {
    #[error(
        "l'expéditeur « {0} » n'est pas une adresse e-mail : écrivez par exemple « benkan <registre@exemple.ml> » (BENKAN_SMTP_EXPEDITEUR)"
    )]
    Expediteur(String),
    #[error(
        "l'adresse publique du site « {0} » doit commencer par https:// ou http:// (BENKAN_URL_PUBLIQUE) : les liens des courriels la reprennent"
    )]
    Site(String),
    #[error("le serveur SMTP « {serveur} » est inutilisable : {raison}")]
    Serveur { serveur: String, raison: String },
    #[error("fil d'envoi des courriels non démarré : {0}")]
    Fil(std::io::Error),
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct EtiquetteGenre {
    genre: &'static str,
}

/// What `/metrics` tells about e-mail, counted by the sending thread.
#[derive(Clone, Default)]
pub struct Compteurs {
    /// Messages the SMTP server took, by genre.
    pub envoyes: Family<EtiquetteGenre, Counter>,
    /// Tries that failed (each retry counts), by genre.
    pub echecs: Family<EtiquetteGenre, Counter>,
    /// Messages given up after the last retry, by genre.
    pub abandonnes: Family<EtiquetteGenre, Counter>,
}

impl Compteurs {
    fn compter(famille: &Family<EtiquetteGenre, Counter>, genre: Genre) {
        famille
            .get_or_create(&EtiquetteGenre {
                genre: genre.code(),
            })
            .inc();
    }
}

/// The site's way to send e-mail: a handle on the sending thread, shared by every request.
#[derive(Clone)]
pub struct Courrier {
    interne: Arc<Interne>,
}

struct Interne {
    smtp: Smtp,
    /// `smtp.expediteur`, read once.
    expediteur: Mailbox,
    /// Messages with a link, never written to the database.
    en_memoire: Mutex<Vec<envoi::EnMemoire>>,
    /// Wakes the thread when a message was queued.
    reveil: (Mutex<bool>, Condvar),
    compteurs: Compteurs,
}

impl Courrier {
    /// Checks the settings and starts the thread that sends what `store` queues; it ends
    /// once every handle is gone.
    pub fn demarrer(smtp: Smtp, store: Store) -> Result<Courrier, ErreurCourriel> {
        let (smtp, expediteur, transport) = smtp.preparer()?;
        let interne = Arc::new(Interne {
            smtp,
            expediteur,
            en_memoire: Mutex::default(),
            reveil: (Mutex::new(false), Condvar::new()),
            compteurs: Compteurs::default(),
        });
        envoi::lancer(Arc::downgrade(&interne), transport, store).map_err(ErreurCourriel::Fil)?;
        Ok(Courrier { interne })
    }

    /// The site's public address, without a final slash.
    pub fn site(&self) -> &str {
        &self.interne.smtp.site
    }

    /// Sends a message that carries a link: it waits in memory, never in the database.
    pub fn envoyer_lien(&self, courriel: Courriel) {
        envoi::garder_en_memoire(&self.interne, courriel);
        self.reveiller();
    }

    /// Tells the thread that messages were queued in the database (after the transaction).
    pub fn reveiller(&self) {
        let (drapeau, condition) = &self.interne.reveil;
        *drapeau.lock().unwrap_or_else(|e| e.into_inner()) = true;
        condition.notify_one();
    }

    pub fn compteurs(&self) -> &Compteurs {
        &self.interne.compteurs
    }
}

impl std::fmt::Debug for Courrier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Courrier")
            .field("smtp", &self.interne.smtp)
            .finish()
    }
}
