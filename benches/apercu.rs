//! How long the observatory takes on a national-scale dataset.
//!
//! Run with `cargo bench --bench apercu`. It times the whole overview
//! (`observatoire::calculer`, in one read transaction as the site computes it) on the
//! synthetic database of `commun` (100,000 partenariats, 1,000,000 actions); the site keeps
//! it until the data changes (`web::calculs`), which `cargo bench --bench charge` measures.

mod commun;

use benkan::observatoire;
use commun::{base_synthetique, mesurer, pic_memoire, remettre_pic_memoire};
use time::macros::date;

fn main() {
    let store = base_synthetique();
    let jour = date!(2026 - 06 - 30);
    let apercu = store
        .lire(|conn| observatoire::calculer(conn, jour))
        .unwrap();
    println!(
        "aperçu : {} partenariats actifs, {} actions comptées",
        apercu.partenariats_actifs, apercu.actions
    );
    remettre_pic_memoire();
    mesurer("aperçu complet", 5, || {
        store
            .lire(|conn| observatoire::calculer(conn, jour))
            .unwrap()
    });
    println!(
        "pic mémoire pendant l'aperçu : {:.0} Mio",
        pic_memoire().unwrap_or(f64::NAN)
    );
    mesurer("aperçu complet + rendu HTML", 3, || {
        observatoire::rendu::html(
            &store
                .lire(|conn| observatoire::calculer(conn, jour))
                .unwrap(),
        )
        .unwrap()
    });
}
