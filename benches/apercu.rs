//! How long the observatory takes on a national-scale dataset.
//!
//! Run with `cargo bench --bench apercu`. It times the whole overview
//! (`observatoire::calculer`, in one read transaction as the site computes it) on the
//! synthetic database of `commun` (100,000 partenariats, 1,000,000 actions); the site keeps
//! it until the data changes (`web::calculs`), which `cargo bench --bench charge` measures.
//! Then the overview kept up to date for today (`observatoire::ApercuTenu`): its first
//! count, a view with nothing changed, the view after one financement changed — what
//! the first visitor after a declaration waits for —, and the overview at past dates
//! counted from the dossiers it keeps. Every action has a result with two measured periods
//! (`commun::ajouter_resultats`).

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
        "aperçu : {} partenariats actifs, {} actions comptées, {} avec un résultat mesuré, {} indicateurs",
        apercu.partenariats_actifs,
        apercu.actions,
        apercu.realisations.actions_mesurees,
        apercu.realisations.indicateurs.len()
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
    let tenu = observatoire::ApercuTenu::default();
    remettre_pic_memoire();
    mesurer("aperçu tenu : premier comptage", 1, || {
        store.lire(|conn| tenu.apercu(conn, jour)).unwrap()
    });
    println!(
        "pic mémoire avec l'aperçu tenu : {:.0} Mio",
        pic_memoire().unwrap_or(f64::NAN)
    );
    mesurer("aperçu tenu, rien de changé", 20, || {
        store.lire(|conn| tenu.apercu(conn, jour)).unwrap()
    });
    let financements: Vec<i64> = store
        .lire(|conn| {
            let mut stmt = conn.prepare("SELECT id FROM financement ORDER BY id LIMIT 1000")?;
            let ids = stmt
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            Ok::<_, benkan::store::StoreError>(ids)
        })
        .unwrap();
    let mut suivant = financements.iter().cycle();
    mesurer("aperçu tenu après un changement", 20, || {
        let id = *suivant.next().unwrap();
        store
            .ecrire(|conn| {
                conn.execute(
                    "UPDATE financement SET montant = montant + 100 WHERE id = ?1",
                    [id],
                )?;
                Ok::<_, benkan::store::StoreError>(())
            })
            .unwrap();
        store.lire(|conn| tenu.apercu(conn, jour)).unwrap()
    });
    assert_eq!(
        tenu.constructions(),
        1,
        "one count, then changes one by one"
    );
    for passe in [date!(2015 - 06 - 30), date!(2025 - 12 - 31)] {
        remettre_pic_memoire();
        mesurer(
            &format!("aperçu au {passe} depuis les dossiers tenus"),
            5,
            || {
                store
                    .lire(|conn| tenu.apercu_au(conn, jour, passe))
                    .unwrap()
            },
        );
        println!(
            "pic mémoire pendant l'aperçu au {passe} : {:.0} Mio",
            pic_memoire().unwrap_or(f64::NAN)
        );
    }
    let kept = store.lire(|conn| tenu.apercu(conn, jour)).unwrap();
    mesurer("rendu HTML de l'aperçu", 10, || {
        observatoire::rendu::html(&kept).unwrap()
    });
    mesurer("aperçu complet + rendu HTML", 3, || {
        observatoire::rendu::html(
            &store
                .lire(|conn| observatoire::calculer(conn, jour))
                .unwrap(),
        )
        .unwrap()
    });
}
