//! Reading exchange files back: files, directories or zips, in either variant or as a
//! spreadsheet re-saved them; everything in one transaction, every mistake reported.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, TransactionBehavior};

mod actions;
mod archive;
mod fichier;
mod ligne;
mod partenariats;
mod references;

use super::erreurs::{EnFrancais, ErreurImport, ErreurLigne};
use crate::referentiel::Resolveur;
use crate::store::StoreError;
use crate::store::echange::{Ligne, Table};
use fichier::{Fichier, parents_d_abord};
use ligne::{Issue, LigneLue};

/// What an import did (or, in a dry run, would do) to one table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Decompte {
    pub crees: u64,
    pub modifies: u64,
    pub inchanges: u64,
}

/// What an import did, table by table, in import order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RapportImport {
    pub tables: Vec<(Table, Decompte)>,
    /// Nothing was written: a dry run.
    pub essai: bool,
}

/// One file to read: its name in messages and its bytes.
struct Source {
    nom: String,
    octets: Vec<u8>,
}

/// Imports the exchange files at `chemins` (files, directories of `.csv`, or zips) into
/// `conn`, all or nothing. With `essai`, everything is checked and counted, then undone.
pub fn importer(
    conn: &Connection,
    chemins: &[PathBuf],
    essai: bool,
) -> Result<RapportImport, ErreurImport> {
    let mut sources = Vec::new();
    let mut budget = archive::Budget::default();
    for chemin in chemins {
        lire_sources(chemin, &mut sources, &mut budget)?;
    }
    let mut erreurs = Vec::new();
    let mut fichiers: Vec<(Table, Fichier)> = Vec::new();
    for source in sources {
        match Fichier::lire(source) {
            Ok((table, mut f)) => {
                erreurs.append(&mut f.erreurs);
                fichiers.push((table, f));
            }
            Err(e) => erreurs.push(e),
        }
    }
    fichiers.sort_by_key(|(table, _)| *table);
    for (table, fichier) in &mut fichiers {
        if *table == Table::Collectivites {
            parents_d_abord(fichier);
        }
    }

    let commentaire_base = "import CSV";
    let tx = rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
    let mut import = Import {
        conn: &tx,
        resolveur: None,
        echecs: HashSet::new(),
        erreurs,
    };
    let mut rapport = RapportImport {
        tables: Table::TOUTES
            .iter()
            .map(|t| (*t, Decompte::default()))
            .collect(),
        essai,
    };
    for (table, fichier) in &fichiers {
        let commentaire = format!("{commentaire_base} ({})", fichier.nom);
        let compte = &mut rapport
            .tables
            .iter_mut()
            .find(|(t, _)| t == table)
            .expect("every table is in the report")
            .1;
        for (ligne, valeurs) in &fichier.lignes {
            let mut l = LigneLue {
                fichier,
                ligne: *ligne,
                valeurs,
                erreurs: Vec::new(),
                saut: false,
            };
            let issue = import.ligne(*table, &mut l, &commentaire);
            match issue {
                Ok(Some(Issue::Cree)) => compte.crees += 1,
                Ok(Some(Issue::Modifie)) => compte.modifies += 1,
                Ok(Some(Issue::Inchange)) => compte.inchanges += 1,
                Ok(None) => {}
                Err(e) => l.erreur_store(*table, e),
            }
            if (!l.erreurs.is_empty() || l.saut)
                && let Some(cle) = l.cle_propre(*table)
            {
                import.echecs.insert((*table, cle));
            }
            import.erreurs.append(&mut l.erreurs);
        }
    }
    let erreurs = std::mem::take(&mut import.erreurs);
    if !erreurs.is_empty() {
        tx.rollback()?;
        return Err(ErreurImport::Donnees(erreurs));
    }
    if essai {
        tx.rollback()?;
    } else {
        tx.commit()?;
    }
    Ok(rapport)
}

fn lecture(chemin: &Path, message: impl ToString) -> ErreurImport {
    ErreurImport::Lecture {
        chemin: chemin.display().to_string(),
        message: message.to_string(),
    }
}

fn lecture_io(chemin: &Path, e: std::io::Error) -> ErreurImport {
    lecture(chemin, e.en_francais())
}

/// The `.csv` files at `chemin`: the file itself, those of a directory (by name), or those
/// of a zip; all of them within the bounds of [`archive`].
fn lire_sources(
    chemin: &Path,
    sources: &mut Vec<Source>,
    budget: &mut archive::Budget,
) -> Result<(), ErreurImport> {
    let meta = std::fs::metadata(chemin).map_err(|e| lecture_io(chemin, e))?;
    if meta.is_dir() {
        let mut fichiers: Vec<PathBuf> = std::fs::read_dir(chemin)
            .map_err(|e| lecture_io(chemin, e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")))
            .collect();
        fichiers.sort();
        if fichiers.is_empty() {
            return Err(lecture(chemin, "ce dossier ne contient aucun fichier .csv"));
        }
        for f in fichiers {
            lire_sources(&f, sources, budget)?;
        }
    } else if chemin
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
    {
        archive::lire_zip(chemin, sources, budget)?;
    } else {
        archive::lire_fichier(chemin, sources, budget)?;
    }
    Ok(())
}

/// The state of an import in progress.
struct Import<'c> {
    conn: &'c Connection,
    /// Built on the first name to resolve: most files name collectivités by code.
    resolveur: Option<Resolveur>,
    /// The keys of the lines that failed, by table.
    echecs: HashSet<(Table, String)>,
    erreurs: Vec<ErreurLigne>,
}

type Resultat<T> = Result<T, StoreError>;

fn texte(v: Option<&str>) -> Option<String> {
    v.map(str::to_owned)
}

fn date_texte(d: Option<time::Date>) -> Option<String> {
    d.map(|d| d.to_string())
}

fn oui_non(b: bool) -> Option<String> {
    Some(if b { "oui" } else { "non" }.to_owned())
}

/// What every line does once its cells are read: an existing record is left alone when its
/// exported line is already the `voulue` one (given the record's stored first cell), else
/// updated; a new one is created with the line's `identifiant`. `ecrire` gets the rowid to
/// update (none: create) and the reference to give.
fn enregistrer(
    existante: Option<(i64, Ligne)>,
    identifiant: Option<&str>,
    voulue: impl FnOnce(Option<String>) -> Resultat<Ligne>,
    ecrire: impl FnOnce(Option<i64>, Option<&str>) -> Resultat<()>,
) -> Resultat<Option<Issue>> {
    let issue = match existante {
        Some((id, actuelle)) => {
            if actuelle == voulue(actuelle[0].clone())? {
                return Ok(Some(Issue::Inchange));
            }
            ecrire(Some(id), None)?;
            Issue::Modifie
        }
        None => {
            ecrire(None, identifiant)?;
            Issue::Cree
        }
    };
    Ok(Some(issue))
}

impl Import<'_> {
    fn ligne(
        &mut self,
        table: Table,
        l: &mut LigneLue<'_>,
        commentaire: &str,
    ) -> Resultat<Option<Issue>> {
        match table {
            Table::Collectivites => self.collectivite(l, commentaire),
            Table::Acteurs => self.acteur(l),
            Table::Partenariats => self.partenariat(l, commentaire),
            Table::Etapes => self.etape(l, commentaire),
            Table::Conventions => self.convention(l, commentaire),
            Table::Intermediaires => self.intermediaire(l, commentaire),
            Table::Actions => self.action(l, commentaire),
            Table::Financements => self.financement(l, commentaire),
        }
    }
}
