//! Financements of actions and their totals.

use rusqlite::Connection;

use super::sql::{Valeurs, code};
use super::{Result, StoreError, acteur};
use crate::model::{
    ActeurId, ActionId, CollectiviteId, Devise, FinancementId, Montant, NouveauFinancement,
    PartenariatId, TypeFinancement,
};

/// Records money for an action.
pub fn creer(conn: &Connection, nouveau: NouveauFinancement) -> Result<FinancementId> {
    let f = nouveau.valider()?;
    acteur::par_id(conn, f.source)?
        .ok_or_else(|| StoreError::Introuvable(format!("acteur n° {}", f.source)))?;
    let existe: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM action WHERE id = ?1)",
        [f.action],
        |r| r.get(0),
    )?;
    if !existe {
        return Err(StoreError::Introuvable(format!("action n° {}", f.action)));
    }
    Ok(FinancementId(valeurs(&f).inserer(conn, "financement")?))
}

/// The columns a financement is written with (validated by the caller); together, they are
/// also its natural key.
pub(super) fn valeurs(f: &NouveauFinancement) -> Valeurs<'_> {
    Valeurs::new()
        .et("action_id", f.action)
        .et("source_id", f.source)
        .et("type", f.type_financement.code())
        .et("montant", f.montant.unites_mineures())
        .et("devise", f.montant.devise().code())
        .et("annee", f.annee)
}

/// One financement as shown on the page of its action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FinancementLigne {
    pub id: FinancementId,
    pub source: ActeurId,
    pub source_nom: String,
    pub type_financement: TypeFinancement,
    pub montant: Montant,
    pub annee: i32,
}

fn montant(row: &rusqlite::Row<'_>) -> rusqlite::Result<Montant> {
    let devise: Devise = code(row, "devise")?;
    Montant::new(row.get("montant")?, devise).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Integer, Box::new(e))
    })
}

pub fn de_l_action(conn: &Connection, id: ActionId) -> Result<Vec<FinancementLigne>> {
    let sql = format!("{LIGNES} WHERE f.action_id = ?1 ORDER BY f.annee, f.type, f.id");
    let mut stmt = conn.prepare_cached(&sql)?;
    let lignes = stmt.query_map([id], lire_ligne)?;
    Ok(lignes.collect::<rusqlite::Result<_>>()?)
}

/// What [`lire_ligne`] reads; callers add their WHERE and ORDER BY.
pub(super) const LIGNES: &str =
    "SELECT f.action_id, f.id, f.source_id, a.nom, f.type, f.montant, f.devise, f.annee
     FROM financement f JOIN acteur a ON a.id = f.source_id";

pub(super) fn lire_ligne(row: &rusqlite::Row<'_>) -> rusqlite::Result<FinancementLigne> {
    Ok(FinancementLigne {
        id: row.get("id")?,
        source: row.get("source_id")?,
        source_nom: row.get("nom")?,
        type_financement: code(row, "type")?,
        montant: montant(row)?,
        annee: row.get("annee")?,
    })
}

/// The sum of one kind of money in one currency: amounts in different currencies are never
/// added here (conversion belongs to the observatory).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Total {
    pub type_financement: TypeFinancement,
    pub montant: Montant,
    /// How many financements were added up.
    pub nombre: u64,
}

fn totaux(conn: &Connection, condition: &str, id: i64) -> Result<Vec<Total>> {
    let sql = format!(
        "SELECT f.type, sum(f.montant) AS montant, f.devise, count(*) AS nombre
         FROM financement f WHERE {condition}
         GROUP BY f.type, f.devise ORDER BY f.type DESC, f.devise"
    );
    lire_totaux(conn, &sql, id)
}

fn lire_totaux(conn: &Connection, sql: &str, id: i64) -> Result<Vec<Total>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let lignes = stmt.query_map([id], |row| {
        Ok(Total {
            type_financement: code(row, "type")?,
            montant: montant(row)?,
            nombre: row.get("nombre")?,
        })
    })?;
    Ok(lignes.collect::<rusqlite::Result<_>>()?)
}

pub fn totaux_action(conn: &Connection, id: ActionId) -> Result<Vec<Total>> {
    totaux(conn, "f.action_id = ?1", id.0)
}

pub fn totaux_partenariat(conn: &Connection, id: PartenariatId) -> Result<Vec<Total>> {
    totaux(
        conn,
        "f.action_id IN (SELECT id FROM action_publiee WHERE partenariat_id = ?1)",
        id.0,
    )
}

/// The money of the actions that concern a collectivité, as listed on its page: the sums
/// that triggers keep per zone (migration 0019), not a sum over its actions on every view.
pub fn totaux_zone(conn: &Connection, id: CollectiviteId) -> Result<Vec<Total>> {
    lire_totaux(
        conn,
        "SELECT type, montant, devise, nombre FROM zone_financement
         WHERE collectivite_id = ?1 ORDER BY type DESC, devise",
        id.0,
    )
}
