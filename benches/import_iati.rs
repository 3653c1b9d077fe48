//! How fast `benkan import iati` reads a large file, and how much memory it needs.
//!
//! Run with `cargo bench --bench import_iati`. It generates, once, a SYNTHETIC IATI file of
//! at least 100 MB (and a 10 MB one) in `target/tmp/` with the test generator
//! (`tests/commun/generateur_iati.rs`: nine kinds of places, eight of them in Mali), then
//! imports each into a fresh database with the référentiel loaded. The import runs in a
//! child process (this same program, called again) so that its peak memory (`VmHWM` of
//! `/proc/self/status`) counts the import alone, not the generator: if the reader streams,
//! the peak does not grow with the file.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use benkan::interop::iati_import;
use benkan::referentiel;
use benkan::store::Store;

#[path = "../tests/commun/generateur_iati.rs"]
mod generateur_iati;

const ENFANT: &str = "BENKAN_BENCH_IMPORT_ENFANT";

/// Counts what goes through, to stop the generator at the wanted size.
struct Compteur<W: Write>(W, u64);

impl<W: Write> Write for Compteur<W> {
    fn write(&mut self, octets: &[u8]) -> std::io::Result<usize> {
        let n = self.0.write(octets)?;
        self.1 += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

/// Writes (once) a 2.03 file of at least `octets` bytes; returns its path.
fn fichier(dossier: &Path, nom: &str, octets: u64) -> PathBuf {
    let chemin = dossier.join(nom);
    if std::fs::metadata(&chemin).is_ok_and(|m| m.len() >= octets) {
        return chemin;
    }
    let debut = Instant::now();
    // A sample activity gives the size of one; the generator writes whole files.
    let mut essai = Compteur(std::io::sink(), 0);
    generateur_iati::ecrire(&mut essai, "2.03", "BENCH", 0, 90).unwrap();
    let nombre = (octets / (essai.1 / 90) + 1) as usize;
    let provisoire = chemin.with_extension("partiel");
    let mut sortie = std::io::BufWriter::new(std::fs::File::create(&provisoire).unwrap());
    generateur_iati::ecrire(&mut sortie, "2.03", "BENCH", 0, nombre).unwrap();
    sortie.flush().unwrap();
    drop(sortie);
    std::fs::rename(&provisoire, &chemin).unwrap();
    println!(
        "généré {} : {nombre} activités en {:.1?}",
        chemin.display(),
        debut.elapsed()
    );
    chemin
}

/// A `/proc/self/status` figure in kB.
fn statut_ko(champ: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| {
            l.strip_prefix(champ)?
                .trim()
                .strip_suffix("kB")?
                .trim()
                .parse()
                .ok()
        })
        .unwrap_or(0)
}

/// In the child: imports the file into the database and prints one line of figures.
fn enfant(base: &Path, fichier: &Path) {
    let store = Store::ouvrir(base).unwrap();
    let conn = store.connexion().unwrap();
    let resolveur = referentiel::resolveur(&conn).unwrap();
    let avant = statut_ko("VmHWM:");
    let debut = Instant::now();
    let rapport =
        iati_import::importer(&conn, &resolveur, &[fichier.to_owned()], &mut |_| {}).unwrap();
    let duree = debut.elapsed().as_secs_f64();
    println!(
        "{duree} {} {} {} {avant} {} {}",
        rapport.activites,
        rapport.importees,
        rapport.total_lies(),
        statut_ko("VmHWM:"),
        statut_ko("VmRSS:")
    );
}

fn main() {
    let arguments: Vec<String> = std::env::args().collect();
    if std::env::var_os(ENFANT).is_some() {
        enfant(Path::new(&arguments[1]), Path::new(&arguments[2]));
        return;
    }
    let dossier = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    std::fs::create_dir_all(&dossier).unwrap();
    let modele = dossier.join("bench-import-modele.db");
    if !modele.exists() {
        let store = Store::ouvrir(&modele).unwrap();
        referentiel::mettre_a_jour(&store.connexion().unwrap()).unwrap();
        store
            .connexion()
            .unwrap()
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
            .unwrap();
    }
    for (nom, octets, essais) in [
        ("bench-iati-10mo.xml", 10_000_000, 1),
        ("bench-iati-100mo.xml", 100_000_000, 3),
    ] {
        let chemin = fichier(&dossier, nom, octets);
        let taille = std::fs::metadata(&chemin).unwrap().len() as f64 / 1e6;
        for _ in 0..essais {
            importer_dans_un_enfant(&dossier, &modele, nom, &chemin, taille);
        }
    }
}

/// Imports `chemin` into a fresh copy of `modele`, in a child process, and prints the figures.
fn importer_dans_un_enfant(dossier: &Path, modele: &Path, nom: &str, chemin: &Path, taille: f64) {
    let base = dossier.join("bench-import.db");
    for suffixe in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffixe}", base.display()));
    }
    std::fs::copy(modele, &base).unwrap();
    let sortie = Command::new(std::env::current_exe().unwrap())
        .env(ENFANT, "1")
        .arg(&base)
        .arg(chemin)
        .output()
        .unwrap();
    assert!(
        sortie.status.success(),
        "{}",
        String::from_utf8_lossy(&sortie.stderr)
    );
    let ligne = String::from_utf8(sortie.stdout).unwrap();
    let v: Vec<f64> = ligne
        .split_whitespace()
        .map(|x| x.parse().unwrap())
        .collect();
    let (duree, activites, importees, lies, avant, pic, fin) =
        (v[0], v[1], v[2], v[3], v[4], v[5], v[6]);
    println!(
        "{nom} ({taille:.1} Mo, {activites} activités, {importees} gardées, {lies} lieux liés) : \
         {duree:.2} s, {:.1} Mo/s, {:.0} activités/s ; mémoire : {:.1} Mo avant la lecture \
         (pic atteint en indexant le référentiel), pic après l'import {:.1} Mo, résident à la fin {:.1} Mo",
        taille / duree,
        activites / duree,
        avant / 1024.0,
        pic / 1024.0,
        fin / 1024.0
    );
}
