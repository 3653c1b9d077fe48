//! Conversions between the model's types and SQLite values.

use rusqlite::Row;
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

use crate::model::{
    ActeurId, ActionId, Code, CollectiviteId, CompteId, FinancementId, InterventionId,
    PartenariatId, Pays,
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
    FinancementId,
    InterventionId,
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

/// Reads a vocabulary column; a code this build does not know is a conversion error.
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

fn depuis_code<T: Code>(texte: &str) -> rusqlite::Result<T> {
    T::depuis_code(texte).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}
