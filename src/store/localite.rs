//! The localités (villages) of the gazetteer, written by the référentiel's load and read by
//! the name resolver, an action's page and its exports.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::Result;
use crate::model::{ActionId, CollectiviteId, Localite, LocaliteId, NouvelleLocalite};

/// Writes a localité of the shipped gazetteer, or rewrites in place the one with its P-code,
/// so that a reload keeps its id (and the actions placed in it).
pub fn enregistrer_referentiel(
    conn: &Connection,
    nouvelle: NouvelleLocalite,
    source: &str,
) -> Result<LocaliteId> {
    let l = nouvelle.valider()?;
    // the gazetteer's 18,769 localités come through here: prepared once
    let id = conn
        .prepare_cached(
            "INSERT INTO localite (pcode, nom, collectivite_id, longitude, latitude, source)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (pcode) DO UPDATE SET nom = excluded.nom,
                 collectivite_id = excluded.collectivite_id, longitude = excluded.longitude,
                 latitude = excluded.latitude, source = excluded.source
             RETURNING id",
        )?
        .query_row(
            params![
                l.pcode,
                l.nom,
                l.collectivite,
                l.longitude,
                l.latitude,
                source
            ],
            |r| r.get(0),
        )?;
    Ok(id)
}

/// The columns [`lire`] reads, in its order, from `localite l`.
pub(super) const COLONNES: &str =
    "l.id, l.pcode, l.nom, l.collectivite_id, l.longitude, l.latitude";

pub(super) fn lire(r: &Row<'_>) -> rusqlite::Result<Localite> {
    Ok(Localite {
        id: r.get(0)?,
        pcode: r.get(1)?,
        nom: r.get(2)?,
        collectivite: r.get(3)?,
        longitude: r.get(4)?,
        latitude: r.get(5)?,
    })
}

/// Every localité, by P-code: what the name resolver indexes.
pub fn toutes(conn: &Connection) -> Result<Vec<Localite>> {
    Ok(conn
        .prepare(&format!(
            "SELECT {COLONNES} FROM localite l ORDER BY l.pcode"
        ))?
        .query_map([], lire)?
        .collect::<rusqlite::Result<_>>()?)
}

/// The collectivité the localité with this P-code lies in, if the gazetteer has it.
pub fn collectivite_du_pcode(conn: &Connection, pcode: &str) -> Result<Option<CollectiviteId>> {
    Ok(conn
        .prepare_cached("SELECT collectivite_id FROM localite WHERE pcode = ?1")?
        .query_row([pcode], |r| r.get(0))
        .optional()?)
}

/// The localités where an action takes place, by name.
pub fn de_l_action(conn: &Connection, id: ActionId) -> Result<Vec<Localite>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {COLONNES} FROM action_localite a JOIN localite l ON l.id = a.localite_id
             WHERE a.action_id = ?1 ORDER BY l.nom, l.pcode"
        ))?
        .query_map([id], lire)?
        .collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        Niveau, NouveauPartenariat, NouvelleAction, NouvelleCollectivite, Pays, StatutPartenariat,
    };
    use crate::store::{StoreError, action, collectivite, essai, partenariat};

    fn siby(conn: &Connection) -> CollectiviteId {
        collectivite::inserer(
            conn,
            NouvelleCollectivite::new(Pays::MALI, Niveau::Commune, "Siby"),
        )
        .unwrap()
    }

    fn village(nom: &str, pcode: &str, commune: CollectiviteId) -> NouvelleLocalite {
        NouvelleLocalite {
            pcode: pcode.into(),
            nom: nom.into(),
            collectivite: commune,
            longitude: -7.58,
            latitude: 12.1,
        }
    }

    #[test]
    fn a_reload_rewrites_a_localite_in_place() {
        let (_d, store) = essai::base();
        let conn = store.connexion().unwrap();
        let commune = siby(&conn);
        let id = enregistrer_referentiel(&conn, village("Worofara", "ML020530035", commune), "COD")
            .unwrap();
        let encore = enregistrer_referentiel(
            &conn,
            village("Worofara Coura", "ML020530035", commune),
            "COD",
        )
        .unwrap();
        assert_eq!(id, encore);
        let toutes = toutes(&conn).unwrap();
        assert_eq!(toutes.len(), 1);
        assert_eq!(toutes[0].nom, "Worofara Coura");
        assert_eq!(
            collectivite_du_pcode(&conn, "ML020530035").unwrap(),
            Some(commune)
        );
        assert_eq!(collectivite_du_pcode(&conn, "ML020530036").unwrap(), None);
        // the model's rules hold before SQLite is asked
        let erreur = enregistrer_referentiel(&conn, village(" ", "ML020530036", commune), "COD")
            .unwrap_err();
        assert!(matches!(erreur, StoreError::Modele(_)), "{erreur:?}");
    }

    #[test]
    fn an_action_writes_reads_journals_and_replaces_its_localites() {
        let (_d, store) = essai::base();
        let conn = store.connexion().unwrap();
        let (kayes, angers) = essai::kayes_angers(&conn);
        let commune = siby(&conn);
        let p = partenariat::creer(
            &conn,
            NouveauPartenariat::new("Jumelage", StatutPartenariat::Actif, vec![kayes, angers]),
        )
        .unwrap();
        for (nom, pcode) in [
            ("Worofara", "ML020530035"),
            ("Bancoumana", "ML020530001"),
            ("Siby", "ML020530000"),
        ] {
            enregistrer_referentiel(&conn, village(nom, pcode, commune), "COD").unwrap();
        }
        let nouvelle = NouvelleAction {
            localites: vec![
                "ML020530035".into(),
                " ML020530001".into(),
                "ML020530035".into(),
            ],
            ..essai::puits(p, vec![kayes])
        };
        let action = action::creer(&conn, nouvelle.clone()).unwrap();
        let noms = |conn: &Connection| -> Vec<String> {
            de_l_action(conn, action)
                .unwrap()
                .into_iter()
                .map(|l| l.nom)
                .collect()
        };
        assert_eq!(noms(&conn), ["Bancoumana", "Worofara"]);
        let creation = crate::store::journal::historique(&conn, "action", action.0).unwrap();
        assert_eq!(
            creation[0].apres.as_ref().unwrap()["localites"],
            serde_json::json!(["Bancoumana (ML020530001)", "Worofara (ML020530035)"])
        );
        // Changed: the set is replaced.
        action::changer(
            &conn,
            action,
            NouvelleAction {
                localites: vec!["ML020530000".into()],
                ..nouvelle.clone()
            },
        )
        .unwrap();
        assert_eq!(noms(&conn), ["Siby"]);
        // A P-code the gazetteer does not hold is refused and nothing is written.
        let avant: i64 = conn
            .query_row("SELECT count(*) FROM action", [], |r| r.get(0))
            .unwrap();
        let erreur = action::creer(
            &conn,
            NouvelleAction {
                localites: vec!["ML020530035".into(), "ML099999999".into()],
                ..nouvelle.clone()
            },
        )
        .unwrap_err();
        assert_eq!(
            erreur.to_string(),
            "aucune localité du Mali ne porte le code P « ML099999999 »"
        );
        let apres: i64 = conn
            .query_row("SELECT count(*) FROM action", [], |r| r.get(0))
            .unwrap();
        assert_eq!(avant, apres);
        let mal_ecrit = action::creer(
            &conn,
            NouvelleAction {
                localites: vec!["Worofara".into()],
                ..nouvelle
            },
        )
        .unwrap_err();
        assert!(matches!(mal_ecrit, StoreError::Modele(_)), "{mal_ecrit:?}");
    }
}
