//! Numbered SQL migrations, embedded at compile time and applied in order at start.
//! A migration that has landed is never edited: a change is a new file.
//!
//! SQLite cannot change a column's CHECK in place: a migration rebuilds the table instead
//! (create the new table, copy the rows, drop the old one, rename the new one, create again
//! the indexes, triggers and views the drop took away — the procedure of
//! <https://www.sqlite.org/lang_altertable.html#otheralter>). Such a migration
//! carries the line [`MARQUE_RECONSTRUCTION`] in its opening comment: it runs with foreign
//! keys off (dropping a table that others reference would otherwise fail or cascade), and
//! `PRAGMA foreign_key_check` must find no broken reference before it commits. Foreign
//! keys are on again afterwards, whether it landed or not.

use std::path::Path;

use rusqlite::Connection;

use super::{Result, StoreError};

/// Marks a SQLite file as benkan's (`PRAGMA application_id`, « benk » in ASCII).
pub(super) const APPLICATION_ID: i32 = 0x6265_6e6b;

const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_modele.sql"),
    include_str!("migrations/0002_referentiel.sql"),
    include_str!("migrations/0003_observatoire.sql"),
    include_str!("migrations/0004_comptes.sql"),
    include_str!("migrations/0005_validation.sql"),
    include_str!("migrations/0006_echange.sql"),
    include_str!("migrations/0007_autres_interventions.sql"),
    include_str!("migrations/0008_jetons_api.sql"),
    include_str!("migrations/0009_generation_telechargements.sql"),
    include_str!("migrations/0010_contacts.sql"),
    include_str!("migrations/0011_tentatives_connexion.sql"),
    include_str!("migrations/0012_collectivites_par_pays.sql"),
    include_str!("migrations/0013_generation_publique.sql"),
    include_str!("migrations/0014_lieux_iati.sql"),
    include_str!("migrations/0015_localites.sql"),
    include_str!("migrations/0016_points_actions.sql"),
    include_str!("migrations/0017_mise_a_jour.sql"),
    include_str!("migrations/0018_recherche_partenariats.sql"),
    include_str!("migrations/0019_zones_des_actions.sql"),
    include_str!("migrations/0020_apercu_tenu.sql"),
    include_str!("migrations/0021_declencheurs_par_cle.sql"),
    include_str!("migrations/0022_courriels.sql"),
    include_str!("migrations/0023_resultats.sql"),
    include_str!("migrations/0024_pdesc.sql"),
    include_str!("migrations/0025_resultats_interventions.sql"),
    include_str!("migrations/0026_comptes_acteurs.sql"),
    include_str!("migrations/0027_bourse.sql"),
];

/// The schema version this build writes (`PRAGMA user_version`).
pub const VERSION_SCHEMA: u32 = MIGRATIONS.len() as u32;

/// The line, in a migration's opening comment, of a migration that rebuilds tables.
const MARQUE_RECONSTRUCTION: &str = "-- benkan: reconstruction de tables";

/// Brings the database to [`VERSION_SCHEMA`], one transaction per migration; refuses a file
/// that is not benkan's or that a newer benkan wrote.
pub(super) fn appliquer(conn: &mut Connection, chemin: &Path) -> Result<()> {
    let version = version_lisible(conn, chemin, true)?;
    appliquer_depuis(conn, version, MIGRATIONS)
}

/// Applies `migrations` after the first `version` of them.
fn appliquer_depuis(conn: &mut Connection, version: u32, migrations: &[&str]) -> Result<()> {
    for (numero, sql) in migrations.iter().enumerate().skip(version as usize) {
        let version = numero as u32 + 1;
        if reconstruit(sql) {
            // A no-op inside a transaction: set before it opens.
            conn.pragma_update(None, "foreign_keys", false)?;
            let resultat = migrer(conn, version, sql, true);
            let retour = conn.pragma_update(None, "foreign_keys", true);
            resultat?;
            retour?;
        } else {
            migrer(conn, version, sql, false)?;
        }
        tracing::info!(version, "migration appliquée");
    }
    Ok(())
}

/// Whether the opening comment of `sql` carries [`MARQUE_RECONSTRUCTION`].
fn reconstruit(sql: &str) -> bool {
    sql.lines()
        .map(str::trim)
        .take_while(|ligne| ligne.starts_with("--"))
        .any(|ligne| ligne == MARQUE_RECONSTRUCTION)
}

/// Runs one migration in its own transaction; after a rebuild, refuses it (nothing is
/// written) if a row refers to a row that is no longer there.
fn migrer(conn: &mut Connection, version: u32, sql: &str, verifier_cles: bool) -> Result<()> {
    let tx = conn.transaction()?;
    tx.execute_batch(sql)?;
    if verifier_cles {
        let rompues: Vec<(String, String)> = tx
            .prepare("SELECT \"table\", parent FROM pragma_foreign_key_check")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        if let Some((table, parent)) = rompues.first() {
            return Err(StoreError::ReferencesRompues {
                version,
                lignes: rompues.len(),
                table: table.clone(),
                parent: parent.clone(),
            });
        }
    }
    tx.pragma_update(None, "application_id", APPLICATION_ID)?;
    tx.pragma_update(None, "user_version", version)?;
    tx.commit()?;
    Ok(())
}

/// Checks, without writing, that the database is benkan's at exactly [`VERSION_SCHEMA`]:
/// what a read-only open needs.
pub(super) fn verifier(conn: &Connection, chemin: &Path) -> Result<()> {
    let version = version_lisible(conn, chemin, false)?;
    if version < VERSION_SCHEMA {
        return Err(StoreError::SchemaAncien {
            chemin: chemin.to_owned(),
            trouve: version,
            connu: VERSION_SCHEMA,
        });
    }
    Ok(())
}

/// The schema version of a benkan database that this build can read or upgrade; an empty
/// file counts as version 0 when `vierge_permise`.
fn version_lisible(conn: &Connection, chemin: &Path, vierge_permise: bool) -> Result<u32> {
    let application_id: i32 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    let version: u32 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let tables: u32 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
    let vierge = application_id == 0 && version == 0 && tables == 0;
    if !(vierge && vierge_permise) && application_id != APPLICATION_ID {
        return Err(StoreError::PasUneBaseBenkan(chemin.to_owned()));
    }
    if version > VERSION_SCHEMA {
        return Err(StoreError::SchemaFutur {
            chemin: chemin.to_owned(),
            trouve: version,
            connu: VERSION_SCHEMA,
        });
    }
    Ok(version)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn version(conn: &Connection) -> u32 {
        conn.pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn no_trigger_asks_sqlite_to_choose_between_keys_without_statistics() {
        // 0021: `id IN (OLD…, NEW…)` beside `validation = …` was planned as a walk of every
        // validated action on a base that never ran ANALYZE
        let dir = tempfile::tempdir().unwrap();
        let store = Store::ouvrir(&dir.path().join("neuve.db")).unwrap();
        let conn = store.connexion().unwrap();
        let declencheurs: Vec<(String, String)> = conn
            .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger'")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert!(declencheurs.len() > 50);
        for (nom, sql) in &declencheurs {
            assert!(!sql.contains("id IN (OLD.action_id"), "{nom}: {sql}");
        }
        let plan: String = conn
            .query_row(
                "EXPLAIN QUERY PLAN SELECT 1 FROM action WHERE id = 1 AND validation = 'valide'",
                [],
                |r| r.get(3),
            )
            .unwrap();
        assert!(plan.contains("INTEGER PRIMARY KEY"), "{plan}");
    }

    #[test]
    fn an_empty_file_gets_the_whole_schema() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::ouvrir(&dir.path().join("vide.db")).unwrap();
        let conn = store.connexion().unwrap();
        assert_eq!(version(&conn), VERSION_SCHEMA);
        let mut tables: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        tables.sort();
        assert_eq!(
            tables,
            [
                "acteur",
                "action",
                "action_lieu",
                "action_localite",
                // the PDESC objective an action serves (0024)
                "action_objectif",
                "action_point",
                "action_zone",
                "action_zone_a_refaire",
                // which partenariats the overview kept up to date must recount (0020)
                "apercu_version",
                // la bourse aux partenariats (0027)
                "bourse_demande",
                "bourse_interet",
                "bourse_offre",
                "bourse_offre_region",
                "bourse_rencontre",
                "collectivite",
                "collectivite_ancetre",
                "collectivite_ancien_code",
                "collectivite_ancien_nom",
                "collectivite_par_pays",
                "collectivite_successeur",
                "compte",
                // the acteurs an association's account speaks for (0026)
                "compte_acteur",
                "compte_collectivite",
                "contact",
                "convention",
                // e-mail waiting for the SMTP server (0022)
                "courriel",
                "echec_connexion",
                "epci_membre",
                "etape",
                "financement",
                "intermediaire",
                "intervention",
                "intervention_lieu",
                "intervention_lieu_collectivite",
                "intervention_organisation",
                // the results they publish (0025)
                "intervention_resultat",
                "intervention_resultat_dimension",
                "intervention_resultat_periode",
                "intervention_resultat_valeur",
                "intervention_secteur",
                "intervention_transaction",
                "jeton_api",
                "journal",
                // single-use links to choose a password, by hash (0022)
                "lien_connexion",
                "localite",
                "meta",
                "partenariat",
                "partenariat_pays",
                "partenariat_pays_a_refaire",
                "partenariat_recherche",
                "partenariat_recherche_config",
                "partenariat_recherche_data",
                "partenariat_recherche_docsize",
                "partenariat_recherche_idx",
                "partie",
                "pays_compteur",
                // the collectivités' PDESC and its objectives (0024)
                "pdesc",
                "pdesc_objectif",
                // what actions produced (0023)
                "resultat",
                "resultat_periode",
                "session",
                "taux_change",
                "tentative_connexion",
                "zone_compteur",
                "zone_financement"
            ]
        );
        let mode: String = conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        let fk: i32 = conn
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .unwrap();
        assert_eq!(fk, 1);
    }

    #[test]
    fn reopening_an_existing_database_keeps_its_data() {
        let dir = tempfile::tempdir().unwrap();
        let chemin = dir.path().join("b.db");
        {
            let store = Store::ouvrir(&chemin).unwrap();
            let conn = store.connexion().unwrap();
            conn.execute(
                "INSERT INTO collectivite (pays, niveau, nom, nom_normalise) VALUES ('ML', 'region', 'Kayes', 'kayes')",
                [],
            )
            .unwrap();
        }
        let store = Store::ouvrir(&chemin).unwrap();
        let conn = store.connexion().unwrap();
        assert_eq!(version(&conn), VERSION_SCHEMA);
        let n: i64 = conn
            .query_row("SELECT count(*) FROM collectivite", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 1);
    }

    #[test]
    fn an_older_database_is_upgraded_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let chemin = dir.path().join("ancienne.db");
        {
            // A database as the first release left it, with a record in it.
            let conn = Connection::open(&chemin).unwrap();
            conn.execute_batch(MIGRATIONS[0]).unwrap();
            conn.pragma_update(None, "application_id", APPLICATION_ID)
                .unwrap();
            conn.pragma_update(None, "user_version", 1).unwrap();
            conn.execute(
                "INSERT INTO collectivite (pays, niveau, code, nom, nom_normalise) VALUES ('ML', 'region', 'ML-1', 'Kayes', 'kayes')",
                [],
            )
            .unwrap();
        }
        let store = Store::ouvrir(&chemin).unwrap();
        let conn = store.connexion().unwrap();
        assert_eq!(version(&conn), VERSION_SCHEMA);
        let (nom, cle): (String, Option<String>) = conn
            .query_row(
                "SELECT nom, cle_referentiel FROM collectivite WHERE code = 'ML-1'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((nom.as_str(), cle), ("Kayes", None));
    }

    #[test]
    fn places_imported_before_0014_keep_their_link_in_the_new_table() {
        let dir = tempfile::tempdir().unwrap();
        let chemin = dir.path().join("avant-0014.db");
        let avant = MIGRATIONS
            .iter()
            .position(|m| m.starts_with("-- benkan 0014"))
            .unwrap();
        {
            let conn = Connection::open(&chemin).unwrap();
            for m in &MIGRATIONS[..avant] {
                conn.execute_batch(m).unwrap();
            }
            conn.pragma_update(None, "application_id", APPLICATION_ID)
                .unwrap();
            conn.pragma_update(None, "user_version", avant as u32)
                .unwrap();
            conn.execute_batch(
                "INSERT INTO collectivite (id, pays, niveau, code, nom, nom_normalise)
                     VALUES (7, 'ML', 'region', 'ML-1', 'Kayes', 'kayes');
                 INSERT INTO intervention (id, identifiant_iati, version_iati, fichier)
                     VALUES (1, 'XM-1', '2.03', 'a.xml');
                 INSERT INTO intervention_lieu (intervention_id, rang, nom, code_administratif, collectivite_id)
                     VALUES (1, 0, 'Kayes', 'ML-1', 7), (1, 1, 'Ailleurs', NULL, NULL);",
            )
            .unwrap();
        }
        let store = Store::ouvrir(&chemin).unwrap();
        let conn = store.connexion().unwrap();
        let lieux: Vec<(String, Option<String>, Option<String>)> = conn
            .prepare("SELECT nom, methode, motif FROM intervention_lieu ORDER BY rang")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(
            lieux,
            [
                ("Kayes".into(), None, None),
                ("Ailleurs".into(), None, None)
            ]
        );
        let lien: (i64, i64) = conn
            .query_row(
                "SELECT rang, collectivite_id FROM intervention_lieu_collectivite",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(lien, (0, 7));
        // Deleting the intervention takes its places and their links with it.
        conn.execute("DELETE FROM intervention", []).unwrap();
        let reste: i64 = conn
            .query_row(
                "SELECT count(*) FROM intervention_lieu_collectivite",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(reste, 0);
    }

    /// Every row of `table`, every column, by rowid or key order.
    fn lignes(conn: &Connection, table: &str) -> Vec<Vec<rusqlite::types::Value>> {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {table} ORDER BY 1, 2"))
            .unwrap();
        let colonnes = stmt.column_count();
        stmt.query_map([], |r| {
            (0..colonnes)
                .map(|i| r.get(i))
                .collect::<rusqlite::Result<Vec<_>>>()
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
    }

    #[test]
    fn rebuilding_accounts_and_journal_in_0026_keeps_every_row_id_and_reference() {
        let dir = tempfile::tempdir().unwrap();
        let chemin = dir.path().join("avant-0026.db");
        let avant = MIGRATIONS
            .iter()
            .position(|m| m.starts_with("-- benkan 0026"))
            .unwrap();
        assert!(reconstruit(MIGRATIONS[avant]));
        assert!(!MIGRATIONS[..avant].iter().any(|m| reconstruit(m)));
        let tables = [
            "compte",
            "compte_collectivite",
            "session",
            "jeton_api",
            "lien_connexion",
            "journal",
        ];
        let anciennes: Vec<_> = {
            let conn = Connection::open(&chemin).unwrap();
            conn.pragma_update(None, "foreign_keys", true).unwrap();
            for m in &MIGRATIONS[..avant] {
                conn.execute_batch(m).unwrap();
            }
            conn.pragma_update(None, "application_id", APPLICATION_ID)
                .unwrap();
            conn.pragma_update(None, "user_version", avant as u32)
                .unwrap();
            // ids with gaps, a disabled account, rows pointing at both accounts
            conn.execute_batch(
                "INSERT INTO collectivite (id, pays, niveau, code, nom, nom_normalise)
                     VALUES (7, 'ML', 'region', 'ML-1', 'Kayes', 'kayes');
                 INSERT INTO compte (id, email, hash, role, actif, cree_le, mot_de_passe_change_le) VALUES
                     (3, 'admin@mdat.ml', '$argon2id$a', 'admin_national', 1, '2024-01-02T03:04:05Z', '2024-02-02T03:04:05Z'),
                     (8, 'maire@kayes.ml', '$argon2id$b', 'collectivite', 0, '2025-01-02T03:04:05Z', '2025-02-02T03:04:05Z');
                 INSERT INTO compte_collectivite (compte_id, collectivite_id) VALUES (8, 7);
                 INSERT INTO session (jeton_hash, compte_id, csrf)
                     VALUES ('s1', 8, '0123456789abcdef0123456789abcdef');
                 INSERT INTO jeton_api (id, compte_id, empreinte, nom)
                     VALUES (4, 3, printf('%064d', 1), 'tableur');
                 INSERT INTO lien_connexion (jeton_hash, compte_id, motif, expire_le)
                     VALUES ('l1', 8, 'oubli', '2030-01-01T00:00:00Z');
                 INSERT INTO journal (id, quand, compte_id, objet, objet_id, operation, avant, apres, commentaire) VALUES
                     (5, '2025-03-01T00:00:00Z', 8, 'partenariat', 1, 'creation', NULL, '{\"titre\":\"t\"}', NULL),
                     (9, '2025-03-02T00:00:00Z', NULL, 'compte', 3, 'modification', '{}', '{}', 'ligne de commande');",
            )
            .unwrap();
            tables.iter().map(|t| lignes(&conn, t)).collect()
        };
        let store = Store::ouvrir(&chemin).unwrap();
        let conn = store.connexion().unwrap();
        assert_eq!(version(&conn), VERSION_SCHEMA);
        for (table, anciennes) in tables.iter().zip(&anciennes) {
            assert_eq!(&lignes(&conn, table), anciennes, "{table}");
        }
        let rompues: i64 = conn
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(rompues, 0);
        let fk: i32 = conn
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .unwrap();
        assert_eq!(fk, 1);
        let index: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = 'journal_objet' AND tbl_name = 'journal'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(index, 1);
        // what the new CHECKs admit, with the defaults kept; references still enforced
        conn.execute_batch(
            "INSERT INTO acteur (id, nom, type_organisation) VALUES (2, 'Comité de jumelage', '22');
             INSERT INTO compte (id, email, hash, role) VALUES (10, 'asso@exemple.fr', '$argon2id$c', 'acteur');
             INSERT INTO compte_acteur (compte_id, acteur_id) VALUES (10, 2);
             INSERT INTO journal (compte_id, objet, objet_id, operation) VALUES (10, 'bourse_offre', 1, 'retrait'), (10, 'bourse_demande', 1, 'pourvue');",
        )
        .unwrap();
        let (actif, cree_le): (bool, String) = conn
            .query_row("SELECT actif, cree_le FROM compte WHERE id = 10", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert!(actif && cree_le.ends_with('Z'), "{cree_le}");
        assert!(
            conn.execute(
                "INSERT INTO compte_acteur (compte_id, acteur_id) VALUES (10, 99)",
                []
            )
            .is_err()
        );
        // the tables that named the old `compte` point at the new one
        assert!(
            conn.execute(
                "INSERT INTO session (jeton_hash, compte_id, csrf) VALUES ('s2', 99, printf('%032d', 0))",
                []
            )
            .is_err()
        );
        conn.execute(
            "INSERT INTO session (jeton_hash, compte_id, csrf) VALUES ('s2', 10, printf('%032d', 0))",
            [],
        )
        .unwrap();
        assert!(
            conn.execute(
                "INSERT INTO journal (objet, objet_id, operation) VALUES ('offre', 1, 'effacement')",
                []
            )
            .is_err()
        );
    }

    #[test]
    fn a_rebuild_that_would_leave_a_broken_reference_is_rolled_back() {
        let creation = "CREATE TABLE parent (id INTEGER PRIMARY KEY);
             CREATE TABLE enfant (parent_id INTEGER NOT NULL REFERENCES parent (id));
             INSERT INTO parent VALUES (1), (2);
             INSERT INTO enfant VALUES (2);";
        // forgets to copy the rows
        let oubli = "-- a rebuild that loses rows
             -- benkan: reconstruction de tables
             CREATE TABLE parent_nouveau (id INTEGER PRIMARY KEY, nom TEXT);
             INSERT INTO parent_nouveau (id) SELECT id FROM parent WHERE id = 1;
             DROP TABLE parent;
             ALTER TABLE parent_nouveau RENAME TO parent;";
        let juste = "-- benkan: reconstruction de tables
             CREATE TABLE parent_nouveau (id INTEGER PRIMARY KEY, nom TEXT);
             INSERT INTO parent_nouveau (id) SELECT id FROM parent;
             DROP TABLE parent;
             ALTER TABLE parent_nouveau RENAME TO parent;";
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", true).unwrap();
        let erreur = appliquer_depuis(&mut conn, 0, &[creation, oubli])
            .expect_err("a broken reference must be refused");
        assert!(
            matches!(&erreur, StoreError::ReferencesRompues { version: 2, lignes: 1, table, parent }
                if table == "enfant" && parent == "parent"),
            "{erreur}"
        );
        assert!(erreur.to_string().contains("la base reste telle quelle"));
        assert_eq!(version(&conn), 1);
        let parents: i64 = conn
            .query_row("SELECT count(*) FROM parent", [], |r| r.get(0))
            .unwrap();
        assert_eq!(parents, 2, "rolled back");
        let fk = |conn: &Connection| -> i32 {
            conn.pragma_query_value(None, "foreign_keys", |r| r.get(0))
                .unwrap()
        };
        assert_eq!(fk(&conn), 1, "foreign keys on again after a refusal");
        // The same rebuild, rows copied, lands; foreign keys on again.
        appliquer_depuis(&mut conn, 1, &[creation, juste]).unwrap();
        assert_eq!(version(&conn), 2);
        assert_eq!(fk(&conn), 1);
        assert!(conn.execute("INSERT INTO enfant VALUES (3)", []).is_err());
    }

    #[test]
    fn a_database_from_a_newer_benkan_is_refused_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let chemin = dir.path().join("futur.db");
        drop(Store::ouvrir(&chemin).unwrap());
        {
            let conn = Connection::open(&chemin).unwrap();
            conn.pragma_update(None, "user_version", VERSION_SCHEMA + 1)
                .unwrap();
        }
        let err = Store::ouvrir(&chemin)
            .err()
            .expect("a newer schema must be refused");
        assert!(
            matches!(err, StoreError::SchemaFutur { trouve, .. } if trouve == VERSION_SCHEMA + 1)
        );
        assert!(err.to_string().contains("mettez benkan à jour"));
        let conn = Connection::open(&chemin).unwrap();
        assert_eq!(version(&conn), VERSION_SCHEMA + 1);
    }

    #[test]
    fn another_programs_database_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let chemin = dir.path().join("autre.db");
        {
            let conn = Connection::open(&chemin).unwrap();
            conn.execute_batch("CREATE TABLE clients (nom TEXT);")
                .unwrap();
        }
        let err = Store::ouvrir(&chemin)
            .err()
            .expect("a foreign database must be refused");
        assert!(matches!(err, StoreError::PasUneBaseBenkan(_)));
    }
}
