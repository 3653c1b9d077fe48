//! The registry as exchange files: one CSV per table, in a directory or a zip.
//!
//! The administrator's copy (the command line has the database) holds records under review
//! and archived ones with their state, so that an import elsewhere rebuilds the same
//! registry; the open data ([`Perimetre::Public`]) holds what the public pages show. Each
//! table is read in one ordered query and written as it is read.

use std::fs::File;
use std::io::{BufWriter, Seek, Write};
use std::path::{Path, PathBuf};

use rusqlite::Connection;

use super::bourse;
use super::erreurs::{EnFrancais, ErreurExport};
use super::format::{BOM, Variante, ecrire_montant};
use crate::model::Devise;
use crate::store::echange::{self, Perimetre, Table};

/// How many lines each file received, by table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RapportExport {
    pub lignes: Vec<(Table, u64)>,
}

/// Writes every table of `conn` in `perimetre` to `destination`: a `.zip` file, or else a
/// directory (created if needed). Files are written under a temporary name and renamed at
/// the end, so that a failed export leaves the previous files as they were.
pub fn exporter(
    conn: &Connection,
    destination: &Path,
    variante: Variante,
    perimetre: Perimetre,
) -> Result<RapportExport, ErreurExport> {
    let est_zip = destination
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"));
    en_lecture(conn, |conn| {
        if est_zip {
            exporter_zip(conn, destination, variante, perimetre)
        } else {
            exporter_dossier(conn, destination, variante, perimetre)
        }
    })
}

/// Writes the zip of every table of `conn` in `perimetre` to `sortie` (the web server's
/// temporary file); `nom` names it in error messages.
pub fn ecrire_zip<W: Write + Seek>(
    conn: &Connection,
    sortie: W,
    variante: Variante,
    perimetre: Perimetre,
    nom: &Path,
) -> Result<RapportExport, ErreurExport> {
    en_lecture(conn, |conn| {
        let mut sortie = BufWriter::new(sortie);
        let rapport = zipper(conn, &mut sortie, variante, perimetre, nom)?;
        sortie.flush().map_err(|e| erreur(nom, e))?;
        Ok(rapport)
    })
}

/// Runs `export` in one read transaction: the files agree with each other even while the
/// site writes. Inside the caller's transaction (the site's `Store::lire`), that one is used.
fn en_lecture<T>(
    conn: &Connection,
    export: impl FnOnce(&Connection) -> Result<T, ErreurExport>,
) -> Result<T, ErreurExport> {
    if !conn.is_autocommit() {
        return export(conn);
    }
    let lecture =
        rusqlite::Transaction::new_unchecked(conn, rusqlite::TransactionBehavior::Deferred)
            .map_err(crate::store::StoreError::from)?;
    let resultat = export(&lecture);
    lecture.finish().map_err(crate::store::StoreError::from)?;
    resultat
}

pub(super) fn erreur(chemin: &Path, cause: impl EnFrancais) -> ErreurExport {
    ErreurExport::Ecriture {
        chemin: chemin.display().to_string(),
        message: cause.en_francais(),
    }
}

fn provisoire(chemin: &Path) -> PathBuf {
    let mut nom = chemin.as_os_str().to_owned();
    nom.push(".partiel");
    PathBuf::from(nom)
}

fn exporter_dossier(
    conn: &Connection,
    dossier: &Path,
    variante: Variante,
    perimetre: Perimetre,
) -> Result<RapportExport, ErreurExport> {
    std::fs::create_dir_all(dossier).map_err(|e| erreur(dossier, e))?;
    let mut rapport = RapportExport::default();
    let mut ecrits = Vec::new();
    // Writes one file under its temporary name, synced, and notes it for the renaming.
    let mut fichier =
        |nom: &str,
         contenu: &mut dyn FnMut(&mut dyn Write, &Path) -> Result<(), ErreurExport>|
         -> Result<(), ErreurExport> {
            let chemin = dossier.join(nom);
            let partiel = provisoire(&chemin);
            ecrits.push((partiel.clone(), chemin));
            let mut sortie =
                BufWriter::new(File::create(&partiel).map_err(|e| erreur(&partiel, e))?);
            contenu(&mut sortie, &partiel)?;
            sortie
                .into_inner()
                .map_err(|e| erreur(&partiel, e.error()))?
                .sync_all()
                .map_err(|e| erreur(&partiel, e))
        };
    let resultat = (|| {
        for table in Table::TOUTES {
            fichier(&format!("{}.csv", table.nom()), &mut |sortie, partiel| {
                let n = ecrire_table(conn, table, variante, perimetre, sortie, partiel)?;
                rapport.lignes.push((table, n));
                Ok(())
            })?;
        }
        if perimetre == Perimetre::Public {
            for f in bourse::Fichier::TOUS {
                fichier(f.nom(), &mut |sortie, partiel| {
                    f.ecrire(conn, variante, sortie, partiel).map(|_| ())
                })?;
            }
        }
        Ok(())
    })();
    if let Err(e) = resultat {
        for (partiel, _) in &ecrits {
            let _ = std::fs::remove_file(partiel);
        }
        return Err(e);
    }
    for (partiel, chemin) in &ecrits {
        std::fs::rename(partiel, chemin).map_err(|e| erreur(chemin, e))?;
    }
    Ok(rapport)
}

fn exporter_zip(
    conn: &Connection,
    chemin: &Path,
    variante: Variante,
    perimetre: Perimetre,
) -> Result<RapportExport, ErreurExport> {
    let partiel = provisoire(chemin);
    let resultat = (|| {
        let fichier = File::create(&partiel).map_err(|e| erreur(&partiel, e))?;
        let mut sortie = BufWriter::new(fichier);
        let rapport = zipper(conn, &mut sortie, variante, perimetre, &partiel)?;
        sortie
            .into_inner()
            .map_err(|e| erreur(&partiel, e.error()))?
            .sync_all()
            .map_err(|e| erreur(&partiel, e))?;
        Ok(rapport)
    })();
    match resultat {
        Ok(rapport) => {
            std::fs::rename(&partiel, chemin).map_err(|e| erreur(chemin, e))?;
            Ok(rapport)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&partiel);
            Err(e)
        }
    }
}

/// Writes one zip entry per table to `sortie`.
fn zipper<W: Write + Seek>(
    conn: &Connection,
    sortie: W,
    variante: Variante,
    perimetre: Perimetre,
    chemin: &Path,
) -> Result<RapportExport, ErreurExport> {
    let mut zip = zip::ZipWriter::new(sortie);
    // a fixed date and mode: the same registry gives the same bytes
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::DEFAULT)
        .unix_permissions(0o644);
    let mut rapport = RapportExport::default();
    for table in Table::TOUTES {
        zip.start_file(format!("{}.csv", table.nom()), options)
            .map_err(|e| erreur(chemin, e))?;
        let n = ecrire_table(conn, table, variante, perimetre, &mut zip, chemin)?;
        rapport.lignes.push((table, n));
    }
    if perimetre == Perimetre::Public {
        for fichier in bourse::Fichier::TOUS {
            zip.start_file(fichier.nom(), options)
                .map_err(|e| erreur(chemin, e))?;
            fichier.ecrire(conn, variante, &mut zip, chemin)?;
        }
    }
    zip.finish().map_err(|e| erreur(chemin, e))?;
    Ok(rapport)
}

/// Writes one table (header and lines) to `sortie`; returns the number of lines.
pub fn ecrire_table<W: Write>(
    conn: &Connection,
    table: Table,
    variante: Variante,
    perimetre: Perimetre,
    sortie: W,
    chemin: &Path,
) -> Result<u64, ErreurExport> {
    let mut csv = commencer(variante, sortie, &table.entete(perimetre), chemin)?;
    let mut n = 0;
    let valeurs: Vec<usize> = match table {
        Table::Resultats | Table::Mesures => table
            .entete(perimetre)
            .iter()
            .enumerate()
            .filter(|(_, c)| VALEURS.contains(c))
            .map(|(i, _)| i)
            .collect(),
        _ => Vec::new(),
    };
    echange::parcourir(conn, table, perimetre, |mut ligne| {
        if table == Table::Financements {
            ligne[4] = montant_ecrit(&ligne[4], &ligne[5], variante);
        }
        for &i in &valeurs {
            if let Some(v) = &mut ligne[i] {
                *v = v.replace('.', &variante.marque_decimale().to_string());
            }
        }
        ecrire_ligne(&mut csv, variante, &ligne, chemin)?;
        n += 1;
        Ok::<_, ErreurExport>(())
    })?;
    csv.flush().map_err(|e| erreur(chemin, e))?;
    Ok(n)
}

/// A file's start in the variant: its byte order mark for French Excel, then its header.
pub(super) fn commencer<W: Write>(
    variante: Variante,
    mut sortie: W,
    entete: &[&str],
    chemin: &Path,
) -> Result<csv::Writer<W>, ErreurExport> {
    if variante == Variante::ExcelFr {
        sortie.write_all(BOM).map_err(|e| erreur(chemin, e))?;
    }
    let mut csv = variante.ecrivain(sortie);
    csv.write_record(entete).map_err(|e| erreur(chemin, e))?;
    Ok(csv)
}

/// One line, each cell in the variant's form (an empty cell for an absent value).
pub(super) fn ecrire_ligne<W: Write>(
    csv: &mut csv::Writer<W>,
    variante: Variante,
    ligne: &[Option<String>],
    chemin: &Path,
) -> Result<(), ErreurExport> {
    for cellule in ligne {
        let cellule = variante.cellule(cellule.as_deref().unwrap_or(""));
        csv.write_field(cellule.as_bytes())
            .map_err(|e| erreur(chemin, e))?;
    }
    csv.write_record(None::<&[u8]>)
        .map_err(|e| erreur(chemin, e))
}

/// The columns of the results' values, which the store writes with a decimal point
/// (`model::Valeur::en_fichier`): the variant's mark here, a comma for French Excel.
const VALEURS: [&str; 3] = ["base", "cible", "valeur"];

/// The stored minor units in the variant's notation.
fn montant_ecrit(
    montant: &Option<String>,
    devise: &Option<String>,
    variante: Variante,
) -> Option<String> {
    let unites: i64 = montant.as_deref()?.parse().ok()?;
    let devise: Devise = devise.as_deref()?.parse().ok()?;
    Some(ecrire_montant(unites, devise, variante))
}
