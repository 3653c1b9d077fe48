//! What can go wrong with the exchange files, said in French with where and what.

use std::fmt;

use crate::model::Extrait;
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
            write!(f, ", colonne « {} »", Extrait(&self.colonne))?;
        }
        write!(
            f,
            " : valeur « {} » ; attendu : {}",
            Extrait(&self.valeur),
            self.attendu
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

/// A library's error said in French, for the person who named the file: the libraries speak
/// English, and their detail (« Invalid checksum ») helps no one who reads French.
pub(super) trait EnFrancais {
    fn en_francais(&self) -> String;
}

impl<T: EnFrancais + ?Sized> EnFrancais for &T {
    fn en_francais(&self) -> String {
        (**self).en_francais()
    }
}

impl EnFrancais for std::io::Error {
    fn en_francais(&self) -> String {
        crate::interop::en_francais(self)
    }
}

impl EnFrancais for zip::result::ZipError {
    fn en_francais(&self) -> String {
        use zip::result::ZipError as Z;
        match self {
            Z::Io(e) => e.en_francais(),
            Z::InvalidArchive(_) => {
                "ce n'est pas une archive zip valide (fichier abîmé, tronqué ou d'un autre format)"
                    .to_owned()
            }
            Z::UnsupportedArchive(_) | Z::CompressionMethodNotSupported(_) => {
                "archive zip d'un type que benkan ne lit pas (seules les entrées non compressées ou en « deflate » se lisent)"
                    .to_owned()
            }
            Z::InvalidPassword => "archive protégée par un mot de passe".to_owned(),
            Z::FileNotFound => "entrée absente de l'archive".to_owned(),
            _ => "archive zip illisible".to_owned(),
        }
    }
}

impl EnFrancais for csv::Error {
    fn en_francais(&self) -> String {
        let ligne = self
            .position()
            .map(|p| format!(" à la ligne {}", p.line()))
            .unwrap_or_default();
        match self.kind() {
            csv::ErrorKind::Io(e) => e.en_francais(),
            csv::ErrorKind::Utf8 { .. } => format!("texte illisible{ligne} (encodage)"),
            csv::ErrorKind::UnequalLengths {
                expected_len, len, ..
            } => format!("{len} cellule(s){ligne}, au lieu de {expected_len}"),
            _ => format!("CSV illisible{ligne}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::EnFrancais;

    #[test]
    fn library_errors_are_said_in_french() {
        let absent = std::fs::File::open("/nulle/part/registre.zip").unwrap_err();
        assert!(
            absent
                .en_francais()
                .starts_with("fichier ou dossier introuvable")
        );
        let pas_un_zip = zip::ZipArchive::new(std::io::Cursor::new(b"identifiant,nom\n".to_vec()))
            .map(|_| ())
            .unwrap_err();
        assert_eq!(
            pas_un_zip.en_francais(),
            "ce n'est pas une archive zip valide (fichier abîmé, tronqué ou d'un autre format)"
        );
        let inegale = csv::ReaderBuilder::new()
            .from_reader(&b"a,b\n1,2,3\n"[..])
            .records()
            .next()
            .unwrap()
            .unwrap_err();
        assert_eq!(
            inegale.en_francais(),
            "3 cellule(s) à la ligne 2, au lieu de 2"
        );
    }
}
