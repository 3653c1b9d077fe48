//! The sending thread: it takes the messages due from the database and from memory, hands
//! them to the SMTP server one by one, and retries a failure later with a doubled delay,
//! up to [`ESSAIS_MAX`] tries; it also writes the day's review digest. Nothing here runs on
//! a request's path.

use std::sync::Weak;
use std::time::{Duration, Instant};

use lettre::message::{Mailbox, MultiPart, header};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{Message, SmtpTransport, Transport};

use super::{Compteurs, Courriel, ErreurCourriel, Interne, Securite, Smtp, textes};
use crate::store::{Store, StoreError, courriel as file, validation};

/// Tries of one message before it is given up (about eight hours with the default delay
/// of a minute, doubled each time up to [`DELAI_MAX`]).
pub const ESSAIS_MAX: u32 = 10;
/// The longest wait between two tries.
const DELAI_MAX: Duration = Duration::from_secs(6 * 3600);
/// The longest the thread sleeps: the day's digest is looked at least this often.
const SOMME_MAX: Duration = Duration::from_secs(60);
/// Messages taken from the database per round.
const PAR_TOUR: u32 = 20;

/// A message with a link, waiting in memory.
pub(super) struct EnMemoire {
    courriel: Courriel,
    essais: u32,
    prochain: Instant,
}

pub(super) fn garder_en_memoire(interne: &Interne, courriel: Courriel) {
    interne
        .en_memoire
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(EnMemoire {
            courriel,
            essais: 0,
            prochain: Instant::now(),
        });
}

/// The SMTP client for `smtp`; it connects only when a message leaves.
pub(super) fn transport(smtp: &Smtp) -> Result<SmtpTransport, ErreurCourriel> {
    let erreur = |e: lettre::transport::smtp::Error| ErreurCourriel::Serveur {
        serveur: smtp.serveur.clone(),
        raison: e.to_string(),
    };
    let tls = |serveur: &str| TlsParameters::new(serveur.to_owned()).map_err(erreur);
    let constructeur =
        SmtpTransport::builder_dangerous(smtp.serveur.as_str()).tls(match smtp.securite {
            Securite::StartTls => Tls::Required(tls(&smtp.serveur)?),
            Securite::Tls => Tls::Wrapper(tls(&smtp.serveur)?),
            Securite::Aucune => Tls::None,
        });
    let constructeur = constructeur
        .port(smtp.port)
        .timeout(Some(Duration::from_secs(30)));
    Ok(match &smtp.identifiants {
        Some((compte, mot_de_passe)) => {
            constructeur.credentials(Credentials::new(compte.clone(), mot_de_passe.clone()))
        }
        None => constructeur,
    }
    .build())
}

pub(super) fn lancer(
    interne: Weak<Interne>,
    transport: SmtpTransport,
    store: Store,
) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("courriels".into())
        .spawn(move || {
            while let Some(i) = interne.upgrade() {
                let attente = tour(&i, &transport, &store);
                let (drapeau, condition) = &i.reveil;
                let mut reveille = drapeau.lock().unwrap_or_else(|e| e.into_inner());
                if !*reveille {
                    reveille = condition
                        .wait_timeout(reveille, attente)
                        .unwrap_or_else(|e| e.into_inner())
                        .0;
                }
                *reveille = false;
            }
        })
        .map(drop)
}

/// One round: the digest if it is time, then every message due. Returns how long to sleep.
fn tour(interne: &Interne, transport: &SmtpTransport, store: &Store) -> Duration {
    // read first: the write lock is taken only on the day's first round with something to tell
    let du = store.lire(|conn| resume_du(conn, &interne.smtp));
    if let Err(e) = du.and_then(|du| match du {
        true => store.ecrire(|conn| resumer(conn, &interne.smtp)),
        false => Ok(()),
    }) {
        tracing::warn!("courriels : résumé de la revue non écrit ({e}), réessai au prochain tour");
    }
    let envoyer = |courriel: &Courriel| envoyer(transport, &interne.expediteur, courriel);
    let compteurs = &interne.compteurs;
    let reessai = interne.smtp.reessai;
    loop {
        let dus = match store.lire(|conn| file::a_envoyer(conn, PAR_TOUR)) {
            Ok(dus) => dus,
            Err(e) => {
                tracing::warn!("courriels : file illisible ({e})");
                break;
            }
        };
        let nombre = dus.len();
        for du in dus {
            let genre = du.courriel.genre;
            let suite = match envoyer(&du.courriel) {
                Ok(()) => {
                    Compteurs::compter(&compteurs.envoyes, genre);
                    store.ecrire(|conn| file::marquer_envoye(conn, du.id))
                }
                Err(erreur) => {
                    let apres = echec(compteurs, genre, du.id, du.essais + 1, &erreur, reessai);
                    store.ecrire(|conn| {
                        file::marquer_echec(conn, du.id, &erreur, apres.map(|d| d.as_secs()))
                    })
                }
            };
            if let Err(e) = suite {
                tracing::warn!("courriels : état du courriel n° {} non noté ({e})", du.id);
            }
        }
        if nombre < PAR_TOUR as usize {
            break;
        }
    }
    let maintenant = Instant::now();
    let dus: Vec<EnMemoire> = {
        let mut memoire = interne.en_memoire.lock().unwrap_or_else(|e| e.into_inner());
        let (dus, plus_tard) = memoire.drain(..).partition(|m| m.prochain <= maintenant);
        *memoire = plus_tard;
        dus
    };
    for mut m in dus {
        let genre = m.courriel.genre;
        match envoyer(&m.courriel) {
            Ok(()) => Compteurs::compter(&compteurs.envoyes, genre),
            Err(erreur) => {
                m.essais += 1;
                if let Some(apres) = echec(compteurs, genre, 0, m.essais, &erreur, reessai) {
                    m.prochain = Instant::now() + apres;
                    interne
                        .en_memoire
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push(m);
                }
            }
        }
    }
    let memoire = interne
        .en_memoire
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .map(|m| m.prochain.saturating_duration_since(Instant::now()))
        .min();
    let base = store
        .lire(file::prochain_dans)
        .ok()
        .flatten()
        .map(|s| Duration::from_secs(s.max(0) as u64));
    [Some(SOMME_MAX), memoire, base]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(SOMME_MAX)
}

/// Counts and logs a failed try (`id` 0 for a message in memory); returns when to try
/// again, or `None` when it is given up.
fn echec(
    compteurs: &Compteurs,
    genre: file::Genre,
    id: i64,
    essais: u32,
    erreur: &str,
    reessai: Duration,
) -> Option<Duration> {
    Compteurs::compter(&compteurs.echecs, genre);
    let quoi = if id == 0 {
        format!("courriel « {} » (en mémoire)", genre.code())
    } else {
        format!("courriel « {} » n° {id}", genre.code())
    };
    if essais >= ESSAIS_MAX {
        Compteurs::compter(&compteurs.abandonnes, genre);
        tracing::error!("{quoi} abandonné après {essais} essais : {erreur}");
        return None;
    }
    let apres = reessai
        .saturating_mul(1 << (essais - 1).min(16))
        .min(DELAI_MAX);
    tracing::warn!(
        "{quoi} non envoyé (essai {essais} sur {ESSAIS_MAX}) : {erreur} ; nouvel essai dans {} s",
        apres.as_secs()
    );
    Some(apres)
}

/// Hands one message to the SMTP server; the error as a French line.
fn envoyer(
    transport: &SmtpTransport,
    expediteur: &Mailbox,
    courriel: &Courriel,
) -> Result<(), String> {
    let destinataire: Mailbox = courriel
        .destinataire
        .parse()
        .map_err(|e| format!("adresse du destinataire refusée ({e})"))?;
    let message = Message::builder()
        .from(expediteur.clone())
        .to(destinataire)
        .subject(courriel.sujet.as_str())
        // a notice, not a conversation: no out-of-office replies
        .header(AutoSubmitted)
        .multipart(MultiPart::alternative_plain_html(
            courriel.texte.clone(),
            courriel.html.clone(),
        ))
        .map_err(|e| format!("message impossible à écrire ({e})"))?;
    transport
        .send(&message)
        .map(drop)
        .map_err(|e| format!("serveur SMTP : {e}"))
}

/// `Auto-Submitted: auto-generated` (RFC 3834).
#[derive(Clone)]
struct AutoSubmitted;

impl header::Header for AutoSubmitted {
    fn name() -> header::HeaderName {
        header::HeaderName::new_from_ascii_str("Auto-Submitted")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(AutoSubmitted)
    }

    fn display(&self) -> header::HeaderValue {
        header::HeaderValue::new(Self::name(), "auto-generated".to_owned())
    }
}

/// Writes today's review digest once, from the configured hour, as soon as declarations
/// wait: one message per active national administrator. The day is noted in the same
/// transaction, so that a restart or a second server never writes it twice.
fn resumer(conn: &rusqlite::Connection, smtp: &Smtp) -> Result<(), StoreError> {
    if !resume_du(conn, smtp)? {
        return Ok(());
    }
    let jour = time::OffsetDateTime::now_utc().date().to_string();
    let (partenariats, actions) = validation::nombre_en_revue(conn)?;
    for admin in file::emails_administrateurs(conn)? {
        file::mettre_en_file(
            conn,
            &textes::resume_revue(&smtp.site, &admin, partenariats, actions),
        )?;
    }
    file::noter_resume(conn, &jour)?;
    Ok(())
}

/// Whether today's digest is due: past the hour, not written yet today, and declarations
/// wait (when none do, it is looked at again next round: a declaration later in the day
/// gets its digest).
fn resume_du(conn: &rusqlite::Connection, smtp: &Smtp) -> Result<bool, StoreError> {
    let maintenant = time::OffsetDateTime::now_utc();
    if maintenant.hour() < smtp.heure_resume {
        return Ok(false);
    }
    let jour = maintenant.date().to_string();
    if file::dernier_resume(conn)?.as_deref() == Some(jour.as_str()) {
        return Ok(false);
    }
    let (partenariats, actions) = validation::nombre_en_revue(conn)?;
    Ok(partenariats + actions > 0)
}
