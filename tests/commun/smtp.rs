//! A real SMTP server for the e-mail tests: Python's aiosmtpd (Debian's python3-aiosmtpd,
//! installed by .ci/run), writing every message it accepts to a Maildir that the test reads.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use mailparse::MailHeaderMap;

/// The Python that has aiosmtpd: `$BENKAN_PYTHON`, else Debian's.
fn python() -> String {
    std::env::var("BENKAN_PYTHON").unwrap_or_else(|_| "/usr/bin/python3".to_owned())
}

/// A free port on the loopback interface.
pub fn port_libre() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A running SMTP server and the messages it received.
pub struct BoiteSmtp {
    pub port: u16,
    processus: Child,
    dossier: tempfile::TempDir,
}

/// A message as received: its headers and its decoded parts.
#[derive(Debug)]
pub struct Recu {
    pub a: String,
    pub de: String,
    pub sujet: String,
    pub texte: String,
    pub html: String,
    pub brut: String,
    pub auto_submitted: Option<String>,
}

impl BoiteSmtp {
    /// Starts the server on a free port.
    pub fn demarrer() -> BoiteSmtp {
        BoiteSmtp::sur(port_libre())
    }

    /// Starts the server on `port` and waits until it accepts connections.
    pub fn sur(port: u16) -> BoiteSmtp {
        let dossier = tempfile::tempdir().unwrap();
        let processus = Command::new(python())
            .args(["-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Mailbox"])
            .arg(dossier.path().join("boite"))
            .args(["-l", &format!("127.0.0.1:{port}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "{} -m aiosmtpd ne démarre pas ({e}) : installez python3-aiosmtpd",
                    python()
                )
            });
        let adresse: SocketAddr = ([127, 0, 0, 1], port).into();
        let debut = Instant::now();
        while TcpStream::connect_timeout(&adresse, Duration::from_millis(200)).is_err() {
            assert!(
                debut.elapsed() < Duration::from_secs(20),
                "aiosmtpd n'écoute pas sur le port {port} (python3-aiosmtpd est-il installé ?)"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        BoiteSmtp {
            port,
            processus,
            dossier,
        }
    }

    fn nouveaux(&self) -> PathBuf {
        self.dossier.path().join("boite").join("new")
    }

    /// Every message received so far, in order of arrival.
    pub fn messages(&self) -> Vec<Recu> {
        let Ok(entrees) = std::fs::read_dir(self.nouveaux()) else {
            return Vec::new();
        };
        let mut fichiers: Vec<_> = entrees
            .filter_map(Result::ok)
            .map(|e| {
                let quand = e.metadata().and_then(|m| m.modified()).ok();
                (quand, e.path())
            })
            .collect();
        fichiers.sort();
        fichiers
            .into_iter()
            .map(|(_, chemin)| lire(&std::fs::read(chemin).unwrap()))
            .collect()
    }

    /// Waits (up to 30 s) until `nombre` messages arrived, and returns them all.
    pub fn attendre(&self, nombre: usize) -> Vec<Recu> {
        let debut = Instant::now();
        loop {
            let messages = self.messages();
            if messages.len() >= nombre {
                return messages;
            }
            assert!(
                debut.elapsed() < Duration::from_secs(30),
                "{} message(s) reçu(s) au lieu de {nombre} : {messages:#?}",
                messages.len()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for BoiteSmtp {
    fn drop(&mut self) {
        let _ = self.processus.kill();
        let _ = self.processus.wait();
    }
}

fn lire(octets: &[u8]) -> Recu {
    let message = mailparse::parse_mail(octets).unwrap();
    let entete = |nom: &str| message.headers.get_first_value(nom).unwrap_or_default();
    let partie = |type_mime: &str| {
        message
            .subparts
            .iter()
            .find(|p| p.ctype.mimetype == type_mime)
            // SMTP carries lines ended by CRLF
            .map(|p| p.get_body().unwrap().replace("\r\n", "\n"))
            .unwrap_or_default()
    };
    Recu {
        a: entete("To"),
        de: entete("From"),
        sujet: entete("Subject"),
        texte: partie("text/plain"),
        html: partie("text/html"),
        brut: String::from_utf8_lossy(octets).into_owned(),
        auto_submitted: message.headers.get_first_value("Auto-Submitted"),
    }
}
