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
pub fn dernieres_modifications(conn: &Connection, nombre: u32) -> Result<Vec<Modification>> {
    let mut stmt = conn.prepare_cached(
        "SELECT quand, genre, id, titre FROM (
             SELECT modifie_le AS quand, 'partenariat' AS genre, id, titre FROM partenariat_publie
             UNION ALL
             SELECT modifie_le, 'action', id, titre FROM action_publiee)
         ORDER BY quand DESC, genre, id DESC LIMIT ?1",
    )?;
    let lignes = stmt.query_map([nombre], |row| {
        let genre: String = row.get("genre")?;
        let id: i64 = row.get("id")?;
        let (genre, lien) = if genre == "action" {
            ("Action", format!("/actions/{id}"))
        } else {
            ("Partenariat", format!("/partenariats/{id}"))
        };
        Ok(Modification {
            quand: row.get("quand")?,
            lien,
            genre,
            titre: row.get("titre")?,
        })
    })?;
    Ok(lignes.collect::<rusqlite::Result<_>>()?)
}
