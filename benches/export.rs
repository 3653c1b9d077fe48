//! How long the exports take on a national-scale dataset, and how much memory they hold.
//!
//! Run with `cargo bench --bench export`. It exports the synthetic database of `commun`
//! (100,000 partenariats, 1,000,000 actions) into `target/tmp/` — IATI XML; the whole
//! registry in CSV, a UTF-8 folder and an Excel-FR zip; the open-data zip as
//! `/donnees/registre.zip` writes it — and prints the time, the throughput and the peak
//! resident memory of the process during each export.

mod commun;

use std::io::BufWriter;
use std::path::PathBuf;

use benkan::interop::csv::{self, Perimetre, Table, Variante};
use benkan::interop::iati::{self, Editeur};
use commun::{base_synthetique, mesurer, pic_memoire, remettre_pic_memoire};

fn main() {
    let store = base_synthetique();
    let conn = store.connexion().unwrap();
    let dossier = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let fichier = dossier.join("bench-export.xml");
    let editeur = Editeur {
        reference: "XM-BENKAN-BANC".into(),
        nom: "Banc d'essai".into(),
        type_organisation: "10".into(),
    };
    remettre_pic_memoire();
    let mut rapport = None;
    let mediane = mesurer("export IATI", 3, || {
        let sortie = BufWriter::new(std::fs::File::create(&fichier).unwrap());
        rapport = Some(iati::exporter(&conn, &editeur, sortie).unwrap());
    });
    let rapport = rapport.unwrap();
    let taille = std::fs::metadata(&fichier).unwrap().len() as f64 / 1e6;
    println!(
        "export IATI : {} activités écrites, {} actions sans date laissées de côté — {:.0} actions/s, {taille:.0} Mo ({:.1} Mo/s), pic mémoire {:.0} Mio",
        rapport.activites,
        rapport.sans_date,
        (rapport.activites + rapport.sans_date) as f64 / mediane,
        taille / mediane,
        pic_memoire().unwrap_or(f64::NAN),
    );

    for (nom, sortie, variante) in [
        (
            "export CSV, dossier UTF-8",
            dossier.join("bench-export-csv"),
            Variante::Utf8,
        ),
        (
            "export CSV, zip Excel-FR",
            dossier.join("bench-export.zip"),
            Variante::ExcelFr,
        ),
    ] {
        remettre_pic_memoire();
        let mut rapport = None;
        let mediane = mesurer(nom, 3, || {
            rapport = Some(csv::exporter(&conn, &sortie, variante, Perimetre::Registre).unwrap());
        });
        let rapport = rapport.unwrap();
        let actions = rapport
            .lignes
            .iter()
            .find(|(table, _)| *table == Table::Actions)
            .map_or(0, |(_, n)| *n);
        let lignes: Vec<String> = rapport
            .lignes
            .iter()
            .map(|(table, n)| format!("{} {n}", table.nom()))
            .collect();
        let mo = octets(&sortie) / 1e6;
        println!(
            "{nom} : {} — {:.0} actions/s, {mo:.0} Mo ({:.1} Mo/s), pic mémoire {:.0} Mio",
            lignes.join(", "),
            actions as f64 / mediane,
            mo / mediane,
            pic_memoire().unwrap_or(f64::NAN),
        );
    }

    remettre_pic_memoire();
    let zip = dossier.join("bench-registre.zip");
    let mut rapport = None;
    let mediane = mesurer("zip CSV public (/donnees/registre.zip)", 3, || {
        let sortie = std::fs::File::create(&zip).unwrap();
        rapport =
            Some(csv::ecrire_zip(&conn, sortie, Variante::Utf8, Perimetre::Public, &zip).unwrap());
    });
    let lignes: u64 = rapport.unwrap().lignes.iter().map(|(_, n)| n).sum();
    println!(
        "zip CSV public : {lignes} lignes en {mediane:.1} s, {:.0} Mo, pic mémoire {:.0} Mio",
        std::fs::metadata(&zip).unwrap().len() as f64 / 1e6,
        pic_memoire().unwrap_or(f64::NAN),
    );
}

/// The size of a file, or of the files of a folder, in bytes.
fn octets(chemin: &std::path::Path) -> f64 {
    match std::fs::read_dir(chemin) {
        Ok(fichiers) => fichiers
            .map(|f| f.unwrap().metadata().unwrap().len() as f64)
            .sum(),
        Err(_) => std::fs::metadata(chemin).unwrap().len() as f64,
    }
}
