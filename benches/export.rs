//! How long the exports take on a national-scale dataset, and how much memory they hold.
//!
//! Run with `cargo bench --bench export`. It exports the synthetic database of `commun`
//! (100,000 partenariats, 1,000,000 actions) into `target/tmp/`, and prints the time, the
//! throughput and the peak resident memory of the process during the export: IATI, then the
//! open-data CSV zip as `/donnees/registre.zip` writes it.

mod commun;

use std::io::BufWriter;
use std::path::PathBuf;

use benkan::interop::csv::{self, Perimetre, Variante};
use benkan::interop::iati::{self, Editeur};
use commun::{base_synthetique, mesurer, pic_memoire, remettre_pic_memoire};

fn main() {
    let store = base_synthetique();
    let conn = store.connexion().unwrap();
    let fichier = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench-export.xml");
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

    remettre_pic_memoire();
    let zip = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench-registre.zip");
    let mut rapport = None;
    let mediane = mesurer("zip CSV public", 1, || {
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
