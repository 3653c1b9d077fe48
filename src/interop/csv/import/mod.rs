//! Reading exchange files back: files, directories or zips, in either variant or as a
//! spreadsheet re-saved them; everything in one transaction, every mistake reported.

use std::collections::{BTreeMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

use rusqlite::Connection;

mod actions;
mod archive;
mod espace;
mod fichier;
mod ligne;
mod partenariats;
mod pdesc;
mod references;
mod resultats;

use super::erreurs::{EnFrancais, ErreurImport, ErreurLigne};
use crate::model::{ActionId, Compte, Role};
use crate::referentiel::Resolveur;
use crate::store::StoreError;
use crate::store::echange::{Ligne, Table, Trace};
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
    /// Nothing was written: a dry run, or an import whose [`Options::attendu`] did not hold.
    pub essai: bool,
    /// A digest of what the import found and would do: every line's outcome and the stored
    /// record it compared the line with. The same files on the same data give the same
    /// digest; anything written in between changes it.
    pub empreinte: u64,
}

impl RapportImport {
    /// How many records it creates or changes, all tables together.
    pub fn ecritures(&self) -> u64 {
        self.tables.iter().map(|(_, d)| d.crees + d.modifies).sum()
    }
}

/// How an import of files sent to the site runs.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    /// Check and count everything, then undo it.
    pub essai: bool,
    /// The account whose space sent the files: it changes only its own partenariats and
    /// what hangs on them (never a collectivité or an acteur, never another authority's
    /// record), the review's columns stay the registry's, its changes go to review as from
    /// its forms, and the journal names it. None: the command line, which may do anything.
    pub compte: Option<&'a Compte>,
    /// Write only if the import finds exactly what a dry run found
    /// ([`RapportImport::empreinte`]); else undo it and say so (`essai` in the report).
    pub attendu: Option<u64>,
    /// At most this many bytes are read, decompressed, from all the files.
    pub taille_max: u64,
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
    let options = Options {
        essai,
        compte: None,
        attendu: None,
        taille_max: archive::TAILLE_MAX,
    };
    importer_sources(conn, sources, &options)
}

/// Imports files sent as bytes (name, content): each a `.csv` file or a zip of them
/// (recognised by its name or its first bytes), within `options.taille_max`.
pub fn importer_envoi(
    conn: &Connection,
    fichiers: &[(String, Vec<u8>)],
    options: &Options<'_>,
) -> Result<RapportImport, ErreurImport> {
    let mut sources = Vec::new();
    let mut budget = archive::Budget::de(options.taille_max);
    for (nom, octets) in fichiers {
        if nom.to_lowercase().ends_with(".zip") || octets.starts_with(b"PK\x03\x04") {
            archive::lire_zip_de(nom, std::io::Cursor::new(octets), &mut sources, &mut budget)?;
        } else {
            archive::lire_octets(nom, octets, &mut sources, &mut budget)?;
        }
    }
    importer_sources(conn, sources, options)
}

fn importer_sources(
    conn: &Connection,
    sources: Vec<Source>,
    options: &Options<'_>,
) -> Result<RapportImport, ErreurImport> {
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

    let commentaire_base = if options.compte.is_some() {
        "import d'un tableur depuis l'espace"
    } else {
        "import CSV"
    };
    let tx = ToutOuRien::ouvrir(conn)?;
    let mut import = Import {
        conn,
        resolveur: None,
        echecs: HashSet::new(),
        erreurs,
        compte: options.compte,
        empreinte: DefaultHasher::new(),
        resultats: BTreeMap::new(),
    };
    let mut rapport = RapportImport {
        tables: Table::TOUTES
            .iter()
            .map(|t| (*t, Decompte::default()))
            .collect(),
        essai: options.essai,
        empreinte: 0,
    };
    for (table, fichier) in &fichiers {
        let commentaire = format!("{commentaire_base} ({})", fichier.nom);
        let trace = trace(options.compte, &commentaire);
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
            match import.ligne(*table, &mut l, trace) {
                Ok(Some(issue)) => {
                    match issue {
                        Issue::Cree => compte.crees += 1,
                        Issue::Modifie => compte.modifies += 1,
                        Issue::Inchange => compte.inchanges += 1,
                    }
                    import.hors_du_registre(*table, &mut l, &issue);
                    (*table, *ligne, issue.code()).hash(&mut import.empreinte);
                }
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
    if import.erreurs.is_empty() {
        import.ecrire_resultats(&fichiers)?;
    }
    rapport.empreinte = import.empreinte.finish();
    let erreurs = std::mem::take(&mut import.erreurs);
    if !erreurs.is_empty() {
        tx.finir(false)?;
        return Err(ErreurImport::Donnees(erreurs));
    }
    if options.attendu.is_some_and(|a| a != rapport.empreinte) {
        rapport.essai = true;
    }
    tx.finir(!rapport.essai)?;
    Ok(rapport)
}

/// How an import's writes are journalled: the account whose space sent the files (none:
/// the command line) and the comment naming the file; a contributor's changes go to review.
fn trace<'a>(compte: Option<&Compte>, commentaire: &'a str) -> Trace<'a> {
    Trace {
        auteur: compte.map(|c| c.id),
        commentaire,
        resoumettre: compte.is_some_and(|c| c.role != Role::AdminNational),
    }
}

/// An import's all or nothing: its own write transaction, or a savepoint when the caller
/// holds one already (the site's `Store::ecrire`). Dropped unfinished, it undoes everything.
struct ToutOuRien<'c> {
    conn: &'c Connection,
    imbrique: bool,
    fini: bool,
}

impl<'c> ToutOuRien<'c> {
    fn ouvrir(conn: &'c Connection) -> rusqlite::Result<Self> {
        let imbrique = !conn.is_autocommit();
        conn.execute_batch(if imbrique {
            "SAVEPOINT import_csv"
        } else {
            "BEGIN IMMEDIATE"
        })?;
        Ok(ToutOuRien {
            conn,
            imbrique,
            fini: false,
        })
    }

    /// Keeps what was written (`garder`) or undoes it.
    fn finir(mut self, garder: bool) -> rusqlite::Result<()> {
        self.fini = true;
        self.conn.execute_batch(match (self.imbrique, garder) {
            (true, true) => "RELEASE import_csv",
            (true, false) => "ROLLBACK TO import_csv; RELEASE import_csv",
            (false, true) => "COMMIT",
            (false, false) => "ROLLBACK",
        })
    }
}

impl Drop for ToutOuRien<'_> {
    fn drop(&mut self) {
        if !self.fini {
            let _ = self.conn.execute_batch(if self.imbrique {
                "ROLLBACK TO import_csv; RELEASE import_csv"
            } else {
                "ROLLBACK"
            });
        }
    }
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
            .filter(|p| !crate::interop::csv::bourse::Fichier::est_un(&p.to_string_lossy()))
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
    /// The account whose space sent the files (see [`Options::compte`]).
    compte: Option<&'c Compte>,
    /// What the import found and did so far (see [`RapportImport::empreinte`]).
    empreinte: DefaultHasher,
    /// The actions' results read so far, written at the end ([`Import::ecrire_resultats`]).
    resultats: BTreeMap<ActionId, resultats::EnCours>,
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
        trace: Trace<'_>,
    ) -> Resultat<Option<Issue>> {
        match table {
            Table::Collectivites => self.collectivite(l, trace),
            Table::Acteurs => self.acteur(l),
            Table::Partenariats => self.partenariat(l, trace),
            Table::Etapes => self.etape(l, trace),
            Table::Conventions => self.convention(l, trace),
            Table::Intermediaires => self.intermediaire(l, trace),
            Table::Pdesc => self.pdesc(l, trace),
            Table::Actions => self.action(l, trace),
            Table::Financements => self.financement(l, trace),
            Table::Resultats => self.resultat(l, trace),
            Table::Mesures => self.mesure(l, trace),
        }
    }
}
