//! How long the observatory takes on a national-scale dataset.
//!
//! Run with `cargo bench --bench apercu`. It times the whole overview
//! (`observatoire::calculer`) and the home page figures (`observatoire::chiffres_cles`) on the
//! synthetic database of `commun` (100,000 partenariats, 1,000,000 actions).

mod commun;

use benkan::observatoire;
use commun::{base_synthetique, mesurer, pic_memoire, remettre_pic_memoire};
use time::macros::date;

fn main() {
    let store = base_synthetique();
    let conn = store.connexion().unwrap();
    let jour = date!(2026 - 06 - 30);
    let apercu = observatoire::calculer(&store, jour).unwrap();
    println!(
        "aperçu : {} partenariats actifs, {} actions comptées",
        apercu.partenariats_actifs, apercu.actions
    );
    let cache = observatoire::Cache::default();
    mesurer(
        "chiffres clés de l'accueil, données inchangées",
        20,
        || cache.chiffres_cles(&store, jour).unwrap(),
    );
    mesurer(
        "chiffres clés de l'accueil après une modification",
        5,
        || {
            conn.execute("UPDATE partenariat SET description = NULL WHERE id = 1", [])
                .unwrap();
            cache.chiffres_cles(&store, jour).unwrap()
        },
    );
    remettre_pic_memoire();
    mesurer("aperçu complet", 5, || {
        observatoire::calculer(&store, jour).unwrap()
    });
    println!(
        "pic mémoire pendant l'aperçu : {:.0} Mio",
        pic_memoire().unwrap_or(f64::NAN)
    );
    mesurer("aperçu complet + rendu HTML", 3, || {
        observatoire::rendu::html(&observatoire::calculer(&store, jour).unwrap()).unwrap()
    });
}
