//! How long `Resolveur::resoudre` takes for one name among the whole référentiel.
//!
//! Run with `cargo bench --bench resolution`. It builds the référentiel in a temporary
//! database, indexes it, then times each query over many repetitions and prints the mean
//! per query; the README quotes the figures.

use std::hint::black_box;
use std::time::Instant;

use benkan::referentiel::{self, Portee, Requete};
use benkan::store::Store;

const REQUETES: &[&str] = &[
    "Ille –et vilaine",
    "Evry",
    "Montreuil",
    "Région de Kayes",
    "YELIMANE",
    "Sainte Elizabeth",
    "Région Nord-Pas -de Calais",
    "Sanankorba",
    "Saint-Denis",
    "Bourg",
    "Commune de Ouagadougou",
    "Worofara",
    "Somadougou",
    "zzzqqq",
];

fn main() {
    let dossier = tempfile::tempdir().expect("temporary directory");
    let store = Store::ouvrir(&dossier.path().join("bench.db")).expect("database");
    let conn = store.connexion().expect("connection");
    let debut = Instant::now();
    let rapport = referentiel::charger(&conn).expect("référentiel");
    println!(
        "chargement du référentiel : {} collectivités et {} localités en {:.2?}",
        rapport.total(),
        rapport.localites,
        debut.elapsed()
    );
    let debut = Instant::now();
    let resolveur = referentiel::resolveur(&conn).expect("resolver");
    println!(
        "index en mémoire : {} collectivités et localités en {:.2?}",
        resolveur.len(),
        debut.elapsed()
    );

    let mut moyennes = Vec::new();
    for texte in REQUETES {
        let requete = Requete {
            texte: (*texte).to_owned(),
            pays: None,
            portee: Portee::Tout,
            limite: 10,
        };
        for _ in 0..100 {
            black_box(resolveur.resoudre(&requete).expect("valid query"));
        }
        let repetitions = 2_000;
        let debut = Instant::now();
        for _ in 0..repetitions {
            black_box(
                resolveur
                    .resoudre(black_box(&requete))
                    .expect("valid query"),
            );
        }
        let moyenne = debut.elapsed().as_secs_f64() * 1e6 / f64::from(repetitions);
        println!("{texte:<30} {moyenne:>8.1} µs par requête");
        moyennes.push(moyenne);
    }
    moyennes.sort_by(f64::total_cmp);
    println!(
        "médiane {:.1} µs, maximum {:.1} µs sur {} requêtes",
        moyennes[moyennes.len() / 2],
        moyennes[moyennes.len() - 1],
        moyennes.len()
    );
}
