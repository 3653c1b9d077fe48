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
        // each side walks its index of modification times backwards and stops after `nombre`
        // public rows, instead of sorting every record of the registry (`action_publiee`'s
        // join would make SQLite read every partenariat first)
        "SELECT quand, genre, id, titre FROM (
             SELECT * FROM (SELECT modifie_le AS quand, 'partenariat' AS genre, id, titre
                            FROM partenariat_publie ORDER BY modifie_le DESC, id DESC LIMIT ?1)
             UNION ALL
             SELECT * FROM (SELECT a.modifie_le, 'action', a.id, a.titre FROM action a
                            WHERE a.validation = 'valide' AND a.archive = 0 AND EXISTS
                                (SELECT 1 FROM partenariat_publie p WHERE p.id = a.partenariat_id)
                            ORDER BY a.modifie_le DESC, a.id DESC LIMIT ?1))
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
