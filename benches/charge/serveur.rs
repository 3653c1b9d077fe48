//! The server under load: the release `benkan` binary that `cargo bench` builds, started as
//! a child process on a fresh demonstration database, or on a copy of a given one, in a
//! temporary folder.

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

/// Adds the Kayes `collectivite` account to `base`; its new API token.
fn compte_kayes(base: &Path) -> String {
    benkan(
        base,
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
    benkan(base, &["user", "token", EMAIL_KAYES, "--nom", "charge"], "")
        .trim()
        .to_owned()
}

impl Serveur {
    /// A new database with the demonstration data and the Kayes account, then the server on
    /// a free port of 127.0.0.1; returns it with the account's API token.
    pub fn demarrer() -> (Serveur, String) {
        let dossier = tempfile::tempdir().unwrap();
        let base = dossier.path().join("charge.db");
        benkan(&base, &["init", "--demo"], "");
        let jeton = compte_kayes(&base);
        (Serveur::lancer(base, dossier), jeton)
    }

    /// The server on a copy of `source` (closed, its WAL checkpointed), made in a temporary
    /// folder beside it so that the writes of a run never reach the shared file; with the
    /// Kayes account and its API token.
    pub fn sur_copie(source: &Path) -> (Serveur, String) {
        let dossier = tempfile::tempdir_in(source.parent().unwrap_or(Path::new("."))).unwrap();
        let base = dossier.path().join("charge.db");
        std::fs::copy(source, &base)
            .unwrap_or_else(|e| panic!("copie de {} impossible : {e}", source.display()));
        // A WAL left by a process that did not close the base holds committed pages too.
        let wal = |p: &Path| PathBuf::from(format!("{}-wal", p.display()));
        if wal(source).exists() {
            std::fs::copy(wal(source), wal(&base)).unwrap();
        }
        let jeton = compte_kayes(&base);
        (Serveur::lancer(base, dossier), jeton)
    }

    fn lancer(base: PathBuf, dossier: tempfile::TempDir) -> Serveur {
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
        Serveur {
            processus,
            adresse,
            base,
            journal,
            _dossier: dossier,
        }
    }

    /// How long the log is now: [`Serveur::durees_depuis`] reads what follows.
    pub fn position_journal(&self) -> u64 {
        std::fs::metadata(&self.journal).map_or(0, |m| m.len())
    }

    /// The server's own durations (milliseconds, sorted) of the requests logged after byte
    /// `position` of its log: `serve` writes one line per request ending in
    /// « 200 en 12,3 ms », from the request read to the answer's headers (the body may
    /// still be streaming).
    pub fn durees_depuis(&self, position: u64) -> Vec<f64> {
        let texte = std::fs::read(&self.journal).unwrap_or_default();
        let debut = (position as usize).min(texte.len());
        let mut durees: Vec<f64> = String::from_utf8_lossy(&texte[debut..])
            .lines()
            .filter_map(|l| {
                let reste = l.strip_suffix(" ms")?;
                let nombre = reste.rsplit(" en ").next()?;
                nombre.replace(',', ".").parse().ok()
            })
            .collect();
        durees.sort_by(f64::total_cmp);
        durees
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
