//! What can go wrong with the exchange files, said in French with where and what.

use std::fmt;

use crate::store::StoreError;

/// One mistake in an imported file: where it is, what was found and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErreurLigne {
    pub fichier: String,
    /// The line in the file (the header is line 1); 0 for the file as a whole.
    pub ligne: u64,
    /// The column's name in the header; empty for the file as a whole.
    pub colonne: String,
    pub valeur: String,
    pub attendu: String,
}

impl fmt::Display for ErreurLigne {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.fichier)?;
        if self.ligne > 0 {
            write!(f, ", ligne {}", self.ligne)?;
        }
        if !self.colonne.is_empty() {
            write!(f, ", colonne « {} »", self.colonne)?;
        }
        write!(
            f,
            " : valeur « {} » ; attendu : {}",
            self.valeur, self.attendu
        )
    }
}

/// Why an import wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum ErreurImport {
    /// The files hold mistakes: all of them, in the order of the files and lines.
    #[error("{} erreur(s) :\n{}", .0.len(), .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Donnees(Vec<ErreurLigne>),
    #[error("{chemin} : {message}")]
    Lecture { chemin: String, message: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for ErreurImport {
    fn from(e: rusqlite::Error) -> Self {
        ErreurImport::Store(e.into())
    }
}

/// Why an export failed (nothing is left at the destination).
#[derive(Debug, thiserror::Error)]
pub enum ErreurExport {
    #[error("{chemin} : {message}")]
    Ecriture { chemin: String, message: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}
