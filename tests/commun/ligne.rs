//! Running the `benkan` binary on a database, as a person at a terminal would.

use std::path::Path;
use std::process::{Command, Output};

/// `benkan ARGS --db BASE`, whatever `BENKAN_DB` the test runner has.
pub fn benkan(args: &[&str], base: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_benkan"))
        .env_remove("BENKAN_DB")
        .args(args)
        .arg("--db")
        .arg(base)
        .output()
        .unwrap()
}

/// A command's output as text.
pub fn texte(octets: &[u8]) -> String {
    String::from_utf8_lossy(octets).into_owned()
}

/// The names in `dossier`, sorted.
pub fn contenu(dossier: &Path) -> Vec<String> {
    let mut noms: Vec<String> = std::fs::read_dir(dossier)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    noms.sort();
    noms
}
