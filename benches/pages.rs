//! What the public pages and the API ask the database, on a national-scale dataset.
//!
//! Run with `cargo bench --bench pages`. On the synthetic database of `commun` (100,000
//! partenariats, 1,000,000 actions), it times the list queries behind `/partenariats`,
//! `/api/v1/actions` and a collectivité's page, unfiltered and for the Kayes région (a
//! third of the Malian parties, as the founding document says).

mod commun;

use benkan::model::{CollectiviteId, Pays};
use benkan::store::{Page, action, collectivite, partenariat};
use commun::{base_synthetique, mesurer, pic_memoire, remettre_pic_memoire};
use time::macros::date;

fn main() {
    let store = base_synthetique();
    let conn = store.connexion().unwrap();
    let jour = date!(2026 - 06 - 30);
    let kayes: CollectiviteId = conn
        .query_row(
            "SELECT id FROM collectivite WHERE pays = 'ML' AND niveau = 'region' AND code = 'ML-1'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let commune: CollectiviteId = conn
        .query_row(
            "SELECT collectivite_id FROM partie p JOIN collectivite c ON c.id = p.collectivite_id
             WHERE c.code LIKE 'ML-1-%' AND c.niveau = 'commune' LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    remettre_pic_memoire();
    let partenariats = |zone, pays| partenariat::PartenariatQuery {
        zone,
        pays,
        ..partenariat::PartenariatQuery::new(jour)
    };
    mesurer("/partenariats, sans filtre", 5, || {
        partenariats(None, None).lister(&conn).unwrap()
    });
    mesurer("/partenariats?pays=FR", 5, || {
        partenariats(None, Some(Pays::FRANCE))
            .lister(&conn)
            .unwrap()
    });
    mesurer("/partenariats?region=ML-1", 5, || {
        partenariats(Some(kayes), None).lister(&conn).unwrap()
    });
    let actions = |zone| action::ActionQuery {
        zone,
        ..action::ActionQuery::default()
    };
    mesurer("/api/v1/actions, sans filtre", 5, || {
        actions(None).lister(&conn, None).unwrap()
    });
    mesurer("/api/v1/actions?collectivite=Kayes (région)", 5, || {
        actions(Some(kayes)).lister(&conn, None).unwrap()
    });
    mesurer("/collectivites/{Kayes, région}", 5, || {
        collectivite::fiche(&conn, kayes, jour, Page::default()).unwrap()
    });
    mesurer("/collectivites/{une commune de Kayes}", 5, || {
        collectivite::fiche(&conn, commune, jour, Page::default()).unwrap()
    });
    println!(
        "pic mémoire du processus pendant ces requêtes : {:.0} Mio",
        pic_memoire().unwrap_or(f64::NAN)
    );
}
