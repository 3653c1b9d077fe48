//! The registry as CSV files, both ways: one file per table (docs/formats.md describes each
//! column), in a directory or a zip, in UTF-8 or in the variant French Excel opens.
//!
//! Every record carries a stable `identifiant` (its reference in the database), so that an
//! export imported into another database and exported again gives the same bytes, and a
//! second import of the same files changes nothing.

pub mod bourse;
mod erreurs;
mod export;
pub mod format;
mod import;

pub use crate::store::echange::{Perimetre, Table};
pub use erreurs::{ErreurExport, ErreurImport, ErreurLigne};
pub use export::{RapportExport, ecrire_table, ecrire_zip, exporter};
pub use format::Variante;
pub use import::{Decompte, Options, RapportImport, importer, importer_envoi};
