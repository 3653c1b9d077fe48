//! The latest changes shown on the home page.

use rusqlite::Connection;
use time::OffsetDateTime;

use super::Result;

/// A record that changed recently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Modification {
    pub quand: OffsetDateTime,
    /// The path of the record's page, e.g. `/partenariats/3`.
    pub lien: String,
    /// « Partenariat » or « Action ».
    pub genre: &'static str,
    pub titre: String,
}

/// The `nombre` partenariats and actions changed last, newest first.
///
/// Each kind walks its index of modification times backwards (`INDEXED BY`: one SQL query
/// for both let SQLite 3.50's planner start from the partenariats and sort the million
/// actions, 1.6 s per view of the home page at national scale), and stops after `nombre`
/// public rows; an action is public when its partenariat is, which is asked row by row.
pub fn dernieres_modifications(conn: &Connection, nombre: u32) -> Result<Vec<Modification>> {
    let n = nombre as usize;
    let mut modifications = Vec::with_capacity(2 * n);
    let mut partenariats = conn.prepare_cached(
        "SELECT modifie_le, id, titre FROM partenariat INDEXED BY partenariat_modifie
         WHERE +validation = 'valide' AND +archive = 0
         ORDER BY modifie_le DESC, id DESC LIMIT ?1",
    )?;
    let mut lignes = partenariats.query([nombre])?;
    while let Some(l) = lignes.next()? {
        modifications.push((l.get(0)?, "Partenariat", l.get::<_, i64>(1)?, l.get(2)?));
    }
    let mut actions = conn.prepare_cached(
        "SELECT modifie_le, id, titre, partenariat_id FROM action INDEXED BY action_modifie
         WHERE +validation = 'valide' AND +archive = 0 ORDER BY modifie_le DESC, id DESC",
    )?;
    let mut publie = conn.prepare_cached("SELECT 1 FROM partenariat_publie WHERE id = ?1")?;
    let mut lignes = actions.query([])?;
    let mut trouvees = 0;
    while trouvees < n {
        let Some(l) = lignes.next()? else { break };
        if publie.exists([l.get::<_, i64>(3)?])? {
            modifications.push((l.get(0)?, "Action", l.get(1)?, l.get(2)?));
            trouvees += 1;
        }
    }
    // newest first; at the same instant, actions before partenariats, then the latest id
    modifications.sort_by(|a: &(OffsetDateTime, &str, i64, String), b| {
        b.0.cmp(&a.0).then(a.1.cmp(b.1)).then(b.2.cmp(&a.2))
    });
    modifications.truncate(n);
    Ok(modifications
        .into_iter()
        .map(|(quand, genre, id, titre)| Modification {
            quand,
            lien: match genre {
                "Action" => format!("/actions/{id}"),
                _ => format!("/partenariats/{id}"),
            },
            genre,
            titre,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{NouveauPartenariat, StatutPartenariat, Validation};
    use crate::store::{action, essai, partenariat};

    #[test]
    fn the_latest_public_changes_come_newest_first_and_private_ones_never() {
        let (_dossier, store) = essai::base();
        let conn = store.connexion().unwrap();
        let (kayes, angers) = essai::kayes_angers(&conn);
        let nouveau = |titre: &str, validation| {
            partenariat::creer(
                &conn,
                NouveauPartenariat {
                    validation,
                    ..NouveauPartenariat::new(titre, StatutPartenariat::Actif, vec![kayes, angers])
                },
            )
            .unwrap()
        };
        let public = nouveau("Public", Validation::Valide);
        let prive = nouveau("Soumis", Validation::Soumis);
        for (p, n) in [(public, 3), (prive, 2)] {
            for _ in 0..n {
                action::creer(&conn, essai::puits(p, vec![kayes])).unwrap();
            }
        }
        // one instant per record, in the order of creation
        conn.execute_batch(
            "UPDATE partenariat SET modifie_le = '2026-01-0' || id || 'T00:00:00Z';
             UPDATE action SET modifie_le = '2026-02-0' || id || 'T00:00:00Z';",
        )
        .unwrap();
        let liens = |n| -> Vec<String> {
            dernieres_modifications(&conn, n)
                .unwrap()
                .into_iter()
                .map(|m| m.lien)
                .collect()
        };
        assert_eq!(
            liens(10),
            [
                "/actions/3",
                "/actions/2",
                "/actions/1",
                &format!("/partenariats/{public}")
            ]
        );
        assert_eq!(liens(2), ["/actions/3", "/actions/2"]);
    }
}
