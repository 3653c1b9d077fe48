//! The journal: every change to a record, who made it, when, and the values before and after.

use rusqlite::{Connection, params};

use super::Result;
use crate::model::CompteId;

/// One change of a record.
#[derive(Debug, Clone, PartialEq)]
pub struct Entree {
    pub quand: String,
    /// The account that made the change; none for the command line and the data loads.
    pub compte: Option<String>,
    pub operation: String,
    pub avant: Option<serde_json::Value>,
    pub apres: Option<serde_json::Value>,
    pub commentaire: Option<String>,
}

/// Writes one change; `objet` is `partenariat`, `action`, `financement`, `collectivite` or `compte`.
pub fn noter(
    conn: &Connection,
    compte: Option<CompteId>,
    (objet, objet_id): (&str, i64),
    operation: &str,
    avant: Option<&serde_json::Value>,
    apres: Option<&serde_json::Value>,
    commentaire: Option<&str>,
) -> Result<()> {
    conn.execute(
        "INSERT INTO journal (compte_id, objet, objet_id, operation, avant, apres, commentaire)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            compte.map(|c| c.0),
            objet,
            objet_id,
            operation,
            avant.map(ToString::to_string),
            apres.map(ToString::to_string),
            commentaire
        ],
    )?;
    Ok(())
}

/// The changes of one record, oldest first.
pub fn historique(conn: &Connection, objet: &str, objet_id: i64) -> Result<Vec<Entree>> {
    let mut stmt = conn.prepare_cached(
        "SELECT j.quand, c.email, j.operation, j.avant, j.apres, j.commentaire
         FROM journal j LEFT JOIN compte c ON c.id = j.compte_id
         WHERE j.objet = ?1 AND j.objet_id = ?2 ORDER BY j.quand, j.id",
    )?;
    let json = |texte: Option<String>| texte.and_then(|t| serde_json::from_str(&t).ok());
    let lignes = stmt.query_map(params![objet, objet_id], |r| {
        Ok(Entree {
            quand: r.get(0)?,
            compte: r.get(1)?,
            operation: r.get(2)?,
            avant: json(r.get(3)?),
            apres: json(r.get(4)?),
            commentaire: r.get(5)?,
        })
    })?;
    Ok(lignes.collect::<rusqlite::Result<_>>()?)
}
