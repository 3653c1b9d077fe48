//! Acteurs: every organisation involved in a partenariat or its money.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::Result;
use super::sql::code;
use crate::model::{Acteur, ActeurId, NouvelActeur};

pub fn creer(conn: &Connection, nouvel: NouvelActeur) -> Result<ActeurId> {
    let a = nouvel.valider()?;
    conn.execute(
        "INSERT INTO acteur (nom, type_organisation, identifiant_iati, pays, collectivite_id)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            a.nom,
            a.type_organisation.code(),
            a.identifiant_iati,
            a.pays,
            a.collectivite
        ],
    )?;
    Ok(ActeurId(conn.last_insert_rowid()))
}

pub(super) const COLONNES: &str =
    "a.id, a.nom, a.type_organisation, a.identifiant_iati, a.pays, a.collectivite_id";

pub(super) fn lire(row: &Row<'_>) -> rusqlite::Result<Acteur> {
    Ok(Acteur {
        id: row.get("id")?,
        nom: row.get("nom")?,
        type_organisation: code(row, "type_organisation")?,
        identifiant_iati: row.get("identifiant_iati")?,
        pays: row.get("pays")?,
        collectivite: row.get("collectivite_id")?,
    })
}

pub fn par_id(conn: &Connection, id: ActeurId) -> Result<Option<Acteur>> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {COLONNES} FROM acteur a WHERE a.id = ?1"))?;
    Ok(stmt.query_row([id], lire).optional()?)
}

/// The acteur with exactly this name, if any (the first created).
pub fn par_nom(conn: &Connection, nom: &str) -> Result<Option<ActeurId>> {
    Ok(conn
        .prepare_cached("SELECT id FROM acteur WHERE nom = ?1 ORDER BY id LIMIT 1")?
        .query_row([nom.trim()], |r| r.get(0))
        .optional()?)
}
