//! The annual update campaign: from the day an administrator opens it, every authority is
//! asked to confirm or update its partenariats.

use rusqlite::Connection;
use time::Date;

use super::Result;
use crate::model::date_iso;
use crate::store::sql::{meta, noter_meta};

/// Opens a campaign from `depuis` (replacing the previous one).
pub fn ouvrir(conn: &Connection, depuis: Date) -> Result<()> {
    Ok(noter_meta(conn, "campagne", &depuis.to_string())?)
}

/// The day the current campaign opened, if one is open.
pub fn ouverte_depuis(conn: &Connection) -> Result<Option<Date>> {
    Ok(meta(conn, "campagne")?.as_deref().and_then(date_iso))
}

/// A partenariat still to confirm, with who to ask.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AConfirmer {
    pub id: i64,
    pub titre: String,
    pub collectivites: String,
    pub comptes: String,
    pub confirme_le: Option<Date>,
}

/// The partenariats (archived ones aside) not confirmed since `depuis`, with their parties
/// and the e-mails of the accounts that speak for them.
pub fn a_confirmer(conn: &Connection, depuis: Date) -> Result<Vec<AConfirmer>> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.id, p.titre, p.confirme_le,
                (SELECT group_concat(c.nom, ' ; ') FROM partie pa JOIN collectivite c ON c.id = pa.collectivite_id
                 WHERE pa.partenariat_id = p.id) AS collectivites,
                (SELECT group_concat(DISTINCT co.email) FROM partie pa
                 JOIN compte_collectivite cc ON cc.collectivite_id = pa.collectivite_id
                 JOIN compte co ON co.id = cc.compte_id AND co.actif = 1
                 WHERE pa.partenariat_id = p.id) AS comptes
         FROM partenariat p
         WHERE p.archive = 0 AND (p.confirme_le IS NULL OR p.confirme_le < ?1)
         ORDER BY p.titre_tri, p.id",
    )?;
    let lignes = stmt.query_map([depuis], |r| {
        Ok(AConfirmer {
            id: r.get("id")?,
            titre: r.get("titre")?,
            confirme_le: r.get("confirme_le")?,
            collectivites: r
                .get::<_, Option<String>>("collectivites")?
                .unwrap_or_default(),
            comptes: r.get::<_, Option<String>>("comptes")?.unwrap_or_default(),
        })
    })?;
    Ok(lignes.collect::<rusqlite::Result<_>>()?)
}

/// Notes that the campaign's reminders were sent now.
pub fn noter_rappels(conn: &Connection, quand: &str) -> Result<()> {
    Ok(noter_meta(conn, "campagne_rappels", quand)?)
}

/// When the reminders were last sent (as noted: « 1er décembre 2026 à 13 h 27 UTC »), if ever.
pub fn derniers_rappels(conn: &Connection) -> Result<Option<String>> {
    Ok(meta(conn, "campagne_rappels")?)
}
