//! The headline figures of the home page and the latest changes. The full « aperçu » with
//! its shares and history belongs to the observatory.

use rusqlite::Connection;
use time::OffsetDateTime;

use super::Result;

/// The home page's key figures, each counted from the records themselves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChiffresCles {
    pub partenariats_actifs: u64,
    /// Distinct countries of the foreign parties of active partenariats.
    pub pays_partenaires: u64,
    /// Malian régions (and the district of Bamako) where an active partenariat has a party,
    /// directly or through one of their cercles or communes.
    pub regions_maliennes: u64,
    pub actions: u64,
    /// Partenariats that are demonstration data, so that the page can say so.
    pub partenariats_demonstration: u64,
}

pub fn chiffres_cles(conn: &Connection) -> Result<ChiffresCles> {
    let compter = |sql: &str| -> Result<u64> { Ok(conn.query_row(sql, [], |r| r.get(0))?) };
    Ok(ChiffresCles {
        partenariats_actifs: compter("SELECT count(*) FROM partenariat WHERE statut = 'actif'")?,
        pays_partenaires: compter(
            "SELECT count(DISTINCT c.pays) FROM partie pa
             JOIN partenariat p ON p.id = pa.partenariat_id AND p.statut = 'actif'
             JOIN collectivite c ON c.id = pa.collectivite_id WHERE c.pays <> 'ML'",
        )?,
        regions_maliennes: compter(
            "WITH RECURSIVE remontee(id) AS (
                 SELECT pa.collectivite_id FROM partie pa
                 JOIN partenariat p ON p.id = pa.partenariat_id AND p.statut = 'actif'
                 UNION SELECT c.parent_id FROM collectivite c JOIN remontee r ON c.id = r.id
                 WHERE c.parent_id IS NOT NULL)
             SELECT count(*) FROM remontee r JOIN collectivite c ON c.id = r.id
             WHERE c.pays = 'ML' AND c.niveau IN ('region', 'district')",
        )?,
        actions: compter("SELECT count(*) FROM action")?,
        partenariats_demonstration: compter(
            "SELECT count(*) FROM partenariat WHERE demonstration = 1",
        )?,
    })
}

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
             SELECT modifie_le AS quand, 'partenariat' AS genre, id, titre FROM partenariat
             UNION ALL
             SELECT modifie_le, 'action', id, titre FROM action)
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
