//! The server under load: the release `benkan` binary that `cargo bench` builds, started as
//! a child process on a fresh demonstration database in a temporary folder.

use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// The binary under test: cargo builds it with the bench profile (release) before a bench.
const BENKAN: &str = env!("CARGO_BIN_EXE_benkan");

/// What the writers post as: a `collectivite` account of the commune of Kayes.
pub const EMAIL_KAYES: &str = "charge@kayes.ml";
pub const COMMUNE_KAYES: &str = "ML-1-KAYES-KAYES";

/// A running server; killed when dropped, so that a failed run leaves no process behind.
pub struct Serveur {
    processus: Child,
    pub adresse: SocketAddr,
    pub base: PathBuf,
    /// Its standard error (the server's log), for the count of logged errors.
    pub journal: PathBuf,
    _dossier: tempfile::TempDir,
}

/// Runs `benkan ARGS --db base`, feeding `entree` on standard input; its standard output.
pub fn benkan(base: &Path, args: &[&str], entree: &str) -> String {
    let mut processus = Command::new(BENKAN)
        .args(args)
        .arg("--db")
        .arg(base)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{BENKAN} introuvable ou non exécutable : {e}"));
    processus
        .stdin
        .take()
        .unwrap()
        .write_all(entree.as_bytes())
        .unwrap();
    let sortie = processus.wait_with_output().unwrap();
    assert!(
        sortie.status.success(),
        "benkan {args:?} a échoué : {}",
        String::from_utf8_lossy(&sortie.stderr)
    );
    String::from_utf8(sortie.stdout).unwrap()
}

impl Serveur {
    /// A new database with the demonstration data and the Kayes account, then the server on
    /// a free port of 127.0.0.1; returns it with the account's API token.
    pub fn demarrer() -> (Serveur, String) {
        let dossier = tempfile::tempdir().unwrap();
        let base = dossier.path().join("charge.db");
        benkan(&base, &["init", "--demo"], "");
        benkan(
            &base,
            &[
                "user",
                "add",
                "--email",
                EMAIL_KAYES,
                "--role",
                "collectivite",
                "--collectivite",
                COMMUNE_KAYES,
            ],
            "une longue phrase de passe pour la charge\n",
        );
        let jeton = benkan(
            &base,
            &["user", "token", EMAIL_KAYES, "--nom", "charge"],
            "",
        )
        .trim()
        .to_owned();
        let journal = dossier.path().join("serveur.log");
        let mut processus = Command::new(BENKAN)
            .args(["serve", "--addr", "127.0.0.1:0", "--db"])
            .arg(&base)
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&journal).unwrap())
            .spawn()
            .unwrap();
        // « Base prête : … », then « benkan écoute sur http://127.0.0.1:PORT/ (base …). »
        let mut sortie = BufReader::new(processus.stdout.take().unwrap());
        let mut ligne = String::new();
        while !ligne.contains("écoute sur") {
            ligne.clear();
            if sortie.read_line(&mut ligne).unwrap() == 0 {
                panic!("le serveur s'est arrêté avant d'écouter");
            }
        }
        let adresse: SocketAddr = ligne
            .split("http://")
            .nth(1)
            .and_then(|reste| reste.split('/').next())
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| panic!("adresse d'écoute illisible : « {ligne} »"));
        assert!(
            adresse.ip().is_loopback(),
            "la charge ne vise que 127.0.0.1"
        );
        let serveur = Serveur {
            processus,
            adresse,
            base,
            journal,
            _dossier: dossier,
        };
        (serveur, jeton)
    }

    /// The server's peak resident memory so far (`VmHWM`), in MiB.
    pub fn pic_memoire_mio(&self) -> f64 {
        let statut =
            std::fs::read_to_string(format!("/proc/{}/status", self.processus.id())).unwrap();
        statut
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            .map_or(f64::NAN, |ko| ko / 1024.0)
    }

    /// How many lines of the server's log are errors.
    pub fn erreurs_journalisees(&self) -> usize {
        std::fs::read_to_string(&self.journal)
            .unwrap_or_default()
            .lines()
            .filter(|l| l.contains("ERROR"))
            .count()
    }
}

impl Drop for Serveur {
    fn drop(&mut self) {
        let _ = self.processus.kill();
        let _ = self.processus.wait();
    }
}
