//! The maps: their weight once gzipped and the time to draw them, on the national-scale
//! synthetic database of `commun` (100,000 partenariats spread over Mali's units).
//!
//! Run with `cargo bench --bench carte`. Drawing depends on the number of zones (701
//! communes) rather than of records: the README's figures come from
//! `BENKAN_BENCH_PARTENARIATS=10000 cargo bench --bench carte` (10,000 partenariats, 100,000
//! actions), whose base is generated in minutes rather than hours. « à froid » is everything a first visitor after a
//! change waits for on top of the overview (classes, paths, template); « depuis le cache »
//! is what the site does for every later visitor (`web::calculs`): a lookup of the rendered
//! string, timed here as the same lookup in a map of rendered maps.

mod commun;

use std::collections::HashMap;
use std::io::Write;

use benkan::carte::Echelon;
use benkan::observatoire::{self, carte::Mesure};
use commun::{base_synthetique, mesurer, pic_memoire, remettre_pic_memoire};
use flate2::Compression;
use flate2::write::GzEncoder;
use time::macros::date;

fn gzip(texte: &str) -> usize {
    let mut e = GzEncoder::new(Vec::new(), Compression::default());
    e.write_all(texte.as_bytes()).unwrap();
    e.finish().unwrap().len()
}

fn main() {
    let store = base_synthetique();
    let jour = date!(2026 - 06 - 30);
    let apercu = store
        .lire(|conn| observatoire::calculer(conn, jour))
        .unwrap();
    let lien = |code: &str| Some(format!("/collectivites/{}", code.len() * 1000));
    benkan::carte::carte();
    let mut cache = HashMap::new();
    remettre_pic_memoire();
    for echelon in Echelon::TOUS {
        let rendre = || {
            let d = observatoire::carte::choroplethe(
                &apercu,
                echelon,
                Mesure::Actions,
                None,
                None,
                &lien,
                "carte",
            )
            .unwrap();
            askama::Template::render(&d).unwrap()
        };
        let svg = rendre();
        println!(
            "carte par {} : {} Ko, {} Ko gzip",
            echelon.libelle(),
            svg.len() / 1024,
            gzip(&svg) / 1024
        );
        mesurer(
            &format!("carte par {} à froid", echelon.libelle()),
            20,
            rendre,
        );
        cache.insert(echelon.cle(), svg);
        mesurer(
            &format!("carte par {} depuis le cache", echelon.libelle()),
            1000,
            || cache.get(echelon.cle()).map(String::len),
        );
    }
    println!(
        "pic mémoire pendant les cartes : {:.0} Mio",
        pic_memoire().unwrap_or(f64::NAN)
    );
}
