//! Conversions between the model's types and SQLite values.

use rusqlite::Row;
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

use crate::model::bourse::{DemandeId, OffreId};
use crate::model::{
    ActeurId, ActionId, Code, CollectiviteId, CompteId, ContactId, DecimalIati, FinancementId,
    InterventionId, LocaliteId, PartenariatId, Pays,
};

macro_rules! identifiant_sql {
    ($($id:ident),+) => {$(
        impl ToSql for $id {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.0))
            }
        }
        impl FromSql for $id {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                i64::column_result(value).map($id)
            }
        }
    )+};
}
identifiant_sql!(
    ActeurId,
    ActionId,
    CollectiviteId,
    CompteId,
    ContactId,
    DemandeId,
    FinancementId,
    InterventionId,
    LocaliteId,
    OffreId,
    PartenariatId
);

impl ToSql for Pays {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.code()))
    }
}

impl FromSql for Pays {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        Pays::new(value.as_str()?).map_err(|e| FromSqlError::Other(Box::new(e)))
    }
}

/// An IATI decimal as the text of its one written form (migration 0025 says why not REAL).
impl ToSql for DecimalIati {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

impl FromSql for DecimalIati {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let texte = value.as_str()?;
        DecimalIati::lire(texte).ok_or_else(|| {
            FromSqlError::Other(format!("« {texte} » n'est pas un décimal IATI").into())
        })
    }
}

/// Reads a vocabulary column; a code this build does not know is a conversion error.
/// Runs one statement through the connection's statement cache. Every write fires triggers
/// (journal, zones, counters, versions) that SQLite compiles into the statement: preparing it
/// again at each call cost more than running it (a bulk load spent most of its time in the
/// query planner), so writes never use the uncached `Connection::execute`.
pub fn executer<P: rusqlite::Params>(
    conn: &rusqlite::Connection,
    sql: &str,
    parametres: P,
) -> rusqlite::Result<usize> {
    conn.prepare_cached(sql)?.execute(parametres)
}

/// The WHERE of a list with optional filters, holding only the filters given: written
/// « ?1 IS NULL OR c = ?1 », a filter keeps SQLite from using the column's index, and the
/// list then reads every row (0.35 s for the ten actions of a partenariat).
#[derive(Default)]
pub struct Conditions {
    termes: Vec<String>,
    valeurs: Vec<Box<dyn ToSql>>,
}

impl Conditions {
    /// Adds `colonne = valeur`.
    pub fn egal(&mut self, colonne: &str, valeur: impl ToSql + 'static) {
        self.terme(&format!("{colonne} = ?"), valeur);
    }

    /// Adds a term written with `?` where the value goes (`EXISTS (… = ?)`).
    pub fn terme(&mut self, gabarit: &str, valeur: impl ToSql + 'static) {
        self.valeurs.push(Box::new(valeur));
        self.termes
            .push(gabarit.replace('?', &format!("?{}", self.valeurs.len())));
    }

    pub fn est_vide(&self) -> bool {
        self.termes.is_empty()
    }

    /// The terms joined by AND (`1` when there are none).
    pub fn sql(&self) -> String {
        if self.termes.is_empty() {
            return "1".to_owned();
        }
        self.termes.join(" AND ")
    }

    pub fn parametres(&self) -> impl rusqlite::Params + Clone + '_ {
        rusqlite::params_from_iter(self.valeurs.iter())
    }
}

pub fn code<T: Code>(row: &Row<'_>, colonne: &str) -> rusqlite::Result<T> {
    depuis_code(&row.get::<_, String>(colonne)?)
}

/// Reads an optional vocabulary column.
pub fn code_facultatif<T: Code>(row: &Row<'_>, colonne: &str) -> rusqlite::Result<Option<T>> {
    row.get::<_, Option<String>>(colonne)?
        .as_deref()
        .map(depuis_code)
        .transpose()
}

/// Reads a list of codes stored as a JSON array (`["eau", "sante"]`).
pub fn codes<T: Code>(row: &Row<'_>, colonne: &str) -> rusqlite::Result<Vec<T>> {
    let texte: String = row.get(colonne)?;
    let codes: Vec<String> = serde_json::from_str(&texte).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })?;
    codes.iter().map(|c| depuis_code(c)).collect()
}

fn depuis_code<T: Code>(texte: &str) -> rusqlite::Result<T> {
    T::depuis_code(texte).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// The values of one row, by column: each table lists the columns a record is written with
/// once, and both its store function (which creates it) and the import (which creates or
/// updates it) write through that list.
pub struct Valeurs<'a> {
    colonnes: Vec<&'static str>,
    valeurs: Vec<Box<dyn ToSql + 'a>>,
}

impl<'a> Valeurs<'a> {
    pub fn new() -> Self {
        Valeurs {
            colonnes: Vec::new(),
            valeurs: Vec::new(),
        }
    }

    /// These values and `colonne` = `valeur`.
    pub fn et(mut self, colonne: &'static str, valeur: impl ToSql + 'a) -> Self {
        self.colonnes.push(colonne);
        self.valeurs.push(Box::new(valeur));
        self
    }

    /// The values as statement parameters `?1`, `?2`… in column order.
    pub fn parametres(&self) -> impl rusqlite::Params + '_ {
        rusqlite::params_from_iter(self.valeurs.iter())
    }

    /// `INSERT INTO table (c1, c2…) VALUES (?1, ?2…)`.
    pub fn insertion(&self, table: &str) -> String {
        let marques: Vec<String> = (1..=self.colonnes.len()).map(|i| format!("?{i}")).collect();
        format!(
            "INSERT INTO {table} ({}) VALUES ({})",
            self.colonnes.join(", "),
            marques.join(", ")
        )
    }

    /// `c1 = excluded.c1, …`: an upsert's update.
    pub fn reprises(&self) -> String {
        self.colonnes
            .iter()
            .map(|c| format!("{c} = excluded.{c}"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// `c1 = ?1 AND c2 = ?2 …`: the row with exactly these values.
    pub fn egalites(&self) -> String {
        self.affectations().join(" AND ")
    }

    fn affectations(&self) -> Vec<String> {
        self.colonnes
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c} = ?{}", i + 1))
            .collect()
    }

    /// Inserts the row; its rowid.
    pub fn inserer(&self, conn: &rusqlite::Connection, table: &str) -> rusqlite::Result<i64> {
        conn.prepare_cached(&self.insertion(table))?
            .execute(self.parametres())?;
        Ok(conn.last_insert_rowid())
    }

    /// Sets these columns of row `id`, and `en_plus` (`SET` items without parameters, such
    /// as `modifie_le = …`) when not empty.
    pub fn modifier(
        &self,
        conn: &rusqlite::Connection,
        table: &str,
        id: i64,
        en_plus: &str,
    ) -> rusqlite::Result<()> {
        let mut affectations = self.affectations();
        if !en_plus.is_empty() {
            affectations.push(en_plus.to_owned());
        }
        let sql = format!(
            "UPDATE {table} SET {} WHERE id = ?{}",
            affectations.join(", "),
            self.colonnes.len() + 1
        );
        let mut parametres: Vec<&dyn ToSql> =
            self.valeurs.iter().map(|v| v as &dyn ToSql).collect();
        parametres.push(&id);
        conn.prepare_cached(&sql)?
            .execute(rusqlite::params_from_iter(parametres))?;
        Ok(())
    }
}

/// The value of a `meta` row, if it is there.
pub fn meta(conn: &rusqlite::Connection, cle: &str) -> rusqlite::Result<Option<String>> {
    use rusqlite::OptionalExtension;
    conn.prepare_cached("SELECT valeur FROM meta WHERE cle = ?1")?
        .query_row([cle], |r| r.get(0))
        .optional()
}

/// Sets a `meta` row (only its `generation` row has a trigger: others move no cache).
pub fn noter_meta(conn: &rusqlite::Connection, cle: &str, valeur: &str) -> rusqlite::Result<()> {
    executer(
        conn,
        "INSERT INTO meta (cle, valeur) VALUES (?1, ?2)
         ON CONFLICT (cle) DO UPDATE SET valeur = excluded.valeur",
        [cle, valeur],
    )
    .map(drop)
}
