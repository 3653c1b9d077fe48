//! Exchange formats: what benkan writes for other tools and reads from them.

pub mod csv;
pub mod iati;
pub mod iati_import;

/// An I/O error in French, for messages that name a file: the standard library's texts are
/// in English.
pub fn en_francais(e: &std::io::Error) -> String {
    use std::io::ErrorKind as E;
    let message = match e.kind() {
        E::NotFound => "fichier ou dossier introuvable",
        E::PermissionDenied => "accès refusé (droits du fichier ou du dossier)",
        E::AlreadyExists => "un fichier de ce nom existe déjà",
        E::IsADirectory => "c'est un dossier, pas un fichier",
        E::NotADirectory => "un élément du chemin n'est pas un dossier",
        E::StorageFull | E::QuotaExceeded => "plus de place sur le disque",
        E::ReadOnlyFilesystem => "le disque est en lecture seule",
        E::FileTooLarge => "fichier trop grand pour le système de fichiers",
        E::UnexpectedEof => "le fichier s'arrête trop tôt (tronqué ?)",
        E::InvalidData => "contenu abîmé (données invalides ou somme de contrôle fausse)",
        E::Interrupted | E::BrokenPipe | E::WriteZero => "l'écriture a été interrompue",
        _ => "erreur d'entrée-sortie du système",
    };
    match e.raw_os_error() {
        Some(code) => format!("{message} (code système {code})"),
        None => message.to_owned(),
    }
}
