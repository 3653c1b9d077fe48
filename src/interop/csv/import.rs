//! Reading exchange files back: files, directories or zips, in either variant or as a
//! spreadsheet re-saved them; everything in one transaction, every mistake reported.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rusqlite::{Connection, TransactionBehavior};

use super::erreurs::{ErreurImport, ErreurLigne};
use super::format::{self, SEPARATEUR_LISTE};
use crate::model::{
    ActeurId, ActionId, Code, CollectiviteId, Devise, ErreurModele, EtapeDatee, FinancementId,
    NouveauFinancement, NouveauPartenariat, NouvelActeur, NouvelleAction, NouvelleCollectivite,
    NouvelleConvention, PartenariatId, Pays, Periode,
};
use crate::referentiel::{self, Raison, Requete, Resolveur};
use crate::store::StoreError;
use crate::store::echange::{self, ActionImportee, CleNaturelle, Ligne, PartenariatImporte, Table};

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
    for chemin in chemins {
        lire_sources(chemin, &mut sources)?;
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
    let message = match e.kind() {
        std::io::ErrorKind::NotFound => "fichier ou dossier introuvable".to_owned(),
        std::io::ErrorKind::PermissionDenied => "lecture interdite (droits du fichier)".to_owned(),
        _ => format!("lecture impossible ({e})"),
    };
    lecture(chemin, message)
}

/// The `.csv` files at `chemin`: the file itself, those of a directory (by name), or those
/// of a zip.
fn lire_sources(chemin: &Path, sources: &mut Vec<Source>) -> Result<(), ErreurImport> {
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
            lire_sources(&f, sources)?;
        }
    } else if chemin
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
    {
        let fichier = std::fs::File::open(chemin).map_err(|e| lecture_io(chemin, e))?;
        let mut zip = zip::ZipArchive::new(std::io::BufReader::new(fichier))
            .map_err(|e| lecture(chemin, format!("archive zip illisible : {e}")))?;
        for i in 0..zip.len() {
            let mut entree = zip.by_index(i).map_err(|e| lecture(chemin, e))?;
            let nom = entree.name().map_err(|e| lecture(chemin, e))?.into_owned();
            if !nom.to_lowercase().ends_with(".csv") {
                continue;
            }
            let mut octets = Vec::new();
            std::io::Read::read_to_end(&mut entree, &mut octets)
                .map_err(|e| lecture(chemin, format!("{nom} : {e}")))?;
            sources.push(Source {
                nom: format!("{}:{nom}", chemin.display()),
                octets,
            });
        }
    } else {
        let octets = std::fs::read(chemin).map_err(|e| lecture_io(chemin, e))?;
        sources.push(Source {
            nom: chemin.display().to_string(),
            octets,
        });
    }
    Ok(())
}

/// A file read into memory: its header, and its lines with their line numbers.
struct Fichier {
    nom: String,
    /// Column name → position in the line.
    colonnes: HashMap<String, usize>,
    lignes: Vec<(u64, Vec<String>)>,
    marque_decimale: char,
    /// Lines that could not be split into the header's columns.
    erreurs: Vec<ErreurLigne>,
}

impl Fichier {
    fn lire(source: Source) -> Result<(Table, Fichier), ErreurLigne> {
        let erreur = |ligne, colonne: &str, valeur: &str, attendu: String| ErreurLigne {
            fichier: source.nom.clone(),
            ligne,
            colonne: colonne.to_owned(),
            valeur: valeur.to_owned(),
            attendu,
        };
        let texte = format::texte(&source.octets);
        let mut lecteur = csv::ReaderBuilder::new()
            .delimiter(format::separateur(&texte))
            .flexible(true)
            .from_reader(texte.as_bytes());
        let entete: Vec<String> = lecteur
            .headers()
            .map_err(|e| erreur(1, "", "", format!("une ligne d'en-tête CSV lisible ({e})")))?
            .iter()
            .map(nom_de_colonne)
            .collect();
        let table = Self::table(&source.nom, &entete).ok_or_else(|| {
            erreur(
                1,
                "",
                &entete.join(","),
                format!(
                    "un fichier nommé d'après sa table ({}) ou dont l'en-tête est celui d'une de ces tables",
                    Table::TOUTES
                        .iter()
                        .map(|t| format!("{}.csv", t.nom()))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })?;
        for (i, c) in entete.iter().enumerate() {
            if entete[..i].contains(c) && !c.is_empty() {
                return Err(erreur(
                    1,
                    c,
                    c,
                    "chaque colonne une seule fois dans l'en-tête".to_owned(),
                ));
            }
            // spreadsheets often leave empty columns at the right
            if !c.is_empty() && !table.colonnes().contains(&c.as_str()) {
                return Err(erreur(
                    1,
                    c,
                    c,
                    format!(
                        "une colonne de {} : {}",
                        table.nom(),
                        table.colonnes().join(", ")
                    ),
                ));
            }
        }
        for c in table.cle() {
            if *c != "identifiant" && !entete.iter().any(|e| e == c) {
                return Err(erreur(1, c, "", "cette colonne, obligatoire".to_owned()));
            }
        }
        let colonnes: HashMap<String, usize> = entete
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.is_empty())
            .map(|(i, c)| (c.clone(), i))
            .collect();
        let mut lignes: Vec<(u64, Vec<String>)> = Vec::new();
        let mut erreurs = Vec::new();
        for enregistrement in lecteur.records() {
            let enregistrement = enregistrement
                .map_err(|e| erreur(0, "", "", format!("un fichier CSV bien formé ({e})")))?;
            let ligne = enregistrement.position().map_or(0, |p| p.line());
            if enregistrement.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            let hors_colonnes = enregistrement
                .iter()
                .enumerate()
                .find(|(i, c)| !c.trim().is_empty() && entete.get(*i).is_none_or(String::is_empty));
            if let Some((i, c)) = hors_colonnes {
                erreurs.push(erreur(
                    ligne,
                    "",
                    c.trim(),
                    format!(
                        "des cellules sous les colonnes de l'en-tête (la cellule n° {} n'a pas de colonne)",
                        i + 1
                    ),
                ));
                continue;
            }
            lignes.push((
                ligne,
                enregistrement.iter().map(|c| c.trim().to_owned()).collect(),
            ));
        }
        let marque_decimale = match colonnes.get("montant") {
            Some(&i) => format::marque_decimale(
                lignes
                    .iter()
                    .filter_map(|(_, l)| l.get(i).map(String::as_str)),
            ),
            None => '.',
        };
        Ok((
            table,
            Fichier {
                nom: source.nom,
                colonnes,
                lignes,
                marque_decimale,
                erreurs,
            },
        ))
    }

    /// The table a file holds: by its name (`partenariats.csv`, `2024-partenariats.csv`),
    /// else by its header.
    fn table(nom: &str, entete: &[String]) -> Option<Table> {
        let base = nom
            .rsplit(['/', '\\', ':'])
            .next()
            .unwrap_or(nom)
            .to_lowercase();
        let base = base.strip_suffix(".csv").unwrap_or(&base);
        if let Some(t) = Table::TOUTES.iter().find(|t| base.ends_with(t.nom())) {
            return Some(*t);
        }
        Table::TOUTES.into_iter().find(|t| {
            let colonnes = t.colonnes();
            entete.iter().all(|c| colonnes.contains(&c.as_str()))
                && colonnes
                    .iter()
                    .filter(|c| entete.contains(&c.to_string()))
                    .count()
                    * 2
                    > colonnes.len()
        })
    }
}

/// A header cell as benkan names its columns: « Intitulé », « Libellé niveau » and
/// « annee » all read as the column they mean.
fn nom_de_colonne(entete: &str) -> String {
    crate::model::nom::normaliser(entete).replace(' ', "_")
}

/// Lines of `collectivites.csv` whose parent is another line of the import come after it.
fn parents_d_abord(fichier: &mut Fichier) {
    let (Some(&i_id), Some(&i_parent)) = (
        fichier.colonnes.get("identifiant"),
        fichier.colonnes.get("parent"),
    ) else {
        return;
    };
    let parents: HashMap<String, String> = fichier
        .lignes
        .iter()
        .filter_map(|(_, l)| {
            let id = l.get(i_id).filter(|v| !v.is_empty())?;
            Some((id.clone(), l.get(i_parent).cloned().unwrap_or_default()))
        })
        .collect();
    let profondeur = |ligne: &Vec<String>| {
        let mut n = 0;
        let mut parent = ligne.get(i_parent).cloned().unwrap_or_default();
        // bounded: a cycle is reported by the import, not looped over
        while let Some(suivant) = parents.get(&parent) {
            n += 1;
            if n > parents.len() {
                break;
            }
            parent = suivant.clone();
        }
        n
    };
    fichier
        .lignes
        .sort_by_cached_key(|(numero, l)| (profondeur(l), *numero));
}

/// What became of a line.
enum Issue {
    Cree,
    Modifie,
    Inchange,
}

/// A line being read: its cells by column name, and its mistakes.
struct LigneLue<'a> {
    fichier: &'a Fichier,
    ligne: u64,
    valeurs: &'a [String],
    erreurs: Vec<ErreurLigne>,
    /// The line depends on one that failed: its own mistakes would only repeat those.
    saut: bool,
}

impl LigneLue<'_> {
    /// The cell of `colonne`, `None` when empty or absent.
    fn texte(&self, colonne: &str) -> Option<&str> {
        let i = *self.fichier.colonnes.get(colonne)?;
        self.valeurs
            .get(i)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    fn erreur(&mut self, colonne: &str, attendu: impl Into<String>) {
        let valeur = self.texte(colonne).unwrap_or("").to_owned();
        self.erreurs.push(ErreurLigne {
            fichier: self.fichier.nom.clone(),
            ligne: self.ligne,
            colonne: colonne.to_owned(),
            valeur,
            attendu: attendu.into(),
        });
    }

    fn requis(&mut self, colonne: &str) -> Option<String> {
        let v = self.texte(colonne).map(str::to_owned);
        if v.is_none() {
            self.erreur(colonne, "une valeur (colonne obligatoire)");
        }
        v
    }

    fn code<T: Code>(&mut self, colonne: &str) -> Option<T> {
        let texte = self.requis(colonne)?;
        match T::depuis_code(&texte) {
            Ok(v) => Some(v),
            Err(e) => {
                self.erreur(
                    colonne,
                    format!("une de ces valeurs : {}", e.attendus.join(", ")),
                );
                None
            }
        }
    }

    /// An optional date; `Err` when the cell is not one.
    fn date(&mut self, colonne: &str) -> Result<Option<time::Date>, ()> {
        match self.texte(colonne) {
            None => Ok(None),
            Some(t) => match format::date(t) {
                Some(d) => Ok(Some(d)),
                None => {
                    self.erreur(colonne, "une date existante AAAA-MM-JJ ou JJ/MM/AAAA");
                    Err(())
                }
            },
        }
    }

    fn booleen(&mut self, colonne: &str) -> bool {
        let texte = self.texte(colonne).unwrap_or("").to_owned();
        format::booleen(&texte).unwrap_or_else(|| {
            self.erreur(colonne, "oui ou non");
            false
        })
    }

    fn entier<T: std::str::FromStr>(
        &mut self,
        colonne: &str,
        attendu: &str,
    ) -> Result<Option<T>, ()> {
        match self.texte(colonne) {
            None => Ok(None),
            Some(t) => match t.replace([' ', '\u{A0}', '\u{202F}'], "").parse() {
                Ok(n) => Ok(Some(n)),
                Err(_) => {
                    self.erreur(colonne, attendu.to_owned());
                    Err(())
                }
            },
        }
    }

    /// The key of the line's own record, when the line names it (so that lines that depend
    /// on it are skipped rather than reported again).
    fn cle_propre(&self, table: Table) -> Option<String> {
        match table {
            Table::Etapes | Table::Intermediaires => None,
            _ => self.texte("identifiant").map(str::to_owned),
        }
    }

    /// A storage refusal as a mistake of this line, on the column it concerns.
    fn erreur_store(&mut self, table: Table, e: StoreError) {
        let colonne = match &e {
            StoreError::Modele(m) => colonne_du_modele(table, m),
            _ => table.colonnes().get(1).copied().unwrap_or("identifiant"),
        };
        let message = match e {
            StoreError::Sqlite(s) if s.to_string().contains("UNIQUE") => format!(
                "une valeur qu'aucune autre fiche n'a déjà ({})",
                s.to_string()
                    .rsplit(": ")
                    .next()
                    .unwrap_or_default()
                    .replace('.', " : ")
            ),
            StoreError::Sqlite(s) => format!("une ligne que la base accepte ({s})"),
            autre => format!("une ligne conforme aux règles : {autre}"),
        };
        self.erreur(colonne, message);
    }
}

/// The column a broken domain rule is about.
fn colonne_du_modele(table: Table, e: &ErreurModele) -> &'static str {
    let par_nom = |champ: &str| {
        table
            .colonnes()
            .iter()
            .copied()
            .find(|c| *c == champ || (champ == "code" && *c == "code_officiel"))
    };
    let colonne = match e {
        ErreurModele::ChampVide(c) | ErreurModele::ChampTropLong { champ: c, .. } => par_nom(c),
        ErreurModele::PartieManquante(_) | ErreurModele::PartieEnDouble(_) => par_nom("parties"),
        ErreurModele::PeriodeInversee { .. } => par_nom("fin").or(par_nom("valide_au")),
        ErreurModele::EtapeMemeJour(_) => par_nom("depuis"),
        ErreurModele::EtapeHorsOrdre { .. } => par_nom("etape"),
        ErreurModele::AnneeHorsBornes(_) => par_nom("annee"),
        ErreurModele::MontantNegatif | ErreurModele::MontantIllisible(..) => par_nom("montant"),
        ErreurModele::NiveauHorsPays { .. } => par_nom("niveau"),
        ErreurModele::PaysInvalide(_) | ErreurModele::PaysInconnu(_) => par_nom("pays"),
        ErreurModele::Code(c) => par_nom(c.champ),
        _ => None,
    };
    colonne.unwrap_or_else(|| table.colonnes().get(1).copied().unwrap_or("identifiant"))
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

    /// The record of `table` that column `colonne` names by its identifiant.
    fn reference(
        &mut self,
        l: &mut LigneLue<'_>,
        table: Table,
        colonne: &str,
    ) -> Resultat<Option<i64>> {
        let Some(reference) = l.requis(colonne) else {
            return Ok(None);
        };
        if let Some(id) = echange::par_reference(self.conn, table, &reference)? {
            return Ok(Some(id));
        }
        if self.echecs.contains(&(table, reference.clone())) {
            l.saut = true;
        } else {
            l.erreur(
                colonne,
                format!(
                    "l'identifiant d'une ligne du fichier {}.csv ou d'un enregistrement de la base",
                    table.nom()
                ),
            );
        }
        Ok(None)
    }

    /// A collectivité named by its code, or by a name the resolver finds without doubt.
    fn collectivite_nommee(
        &mut self,
        l: &mut LigneLue<'_>,
        colonne: &str,
        valeur: &str,
    ) -> Resultat<Option<CollectiviteId>> {
        if let Some(id) = self.par_code(valeur)? {
            return Ok(Some(id));
        }
        if self
            .echecs
            .contains(&(Table::Collectivites, valeur.to_owned()))
        {
            l.saut = true;
            return Ok(None);
        }
        let ressemble_a_un_code = !valeur.contains(' ')
            && (valeur.contains(':') || valeur.starts_with("COLL-") || valeur.starts_with("ML-"));
        if ressemble_a_un_code {
            l.erreur_valeur(
                colonne,
                valeur,
                "le code d'une collectivité (ML:ML-1-KAYES, FR:departement:49, FR:commune-actuelle:49007…) \
                 ou l'identifiant d'une ligne de collectivites.csv",
            );
            return Ok(None);
        }
        if self.resolveur.is_none() {
            self.resolveur = Some(referentiel::resolveur(self.conn)?);
        }
        let resolveur = self.resolveur.as_ref().expect("built above");
        let requete = Requete {
            texte: valeur.to_owned(),
            pays: None,
            niveau: None,
            limite: 5,
        };
        let resolution = match resolveur.resoudre(&requete) {
            Ok(r) => r,
            Err(e) => {
                l.erreur_valeur(colonne, valeur, e.to_string());
                return Ok(None);
            }
        };
        let certain =
            |r: Raison| matches!(r, Raison::Exact | Raison::Normalised | Raison::FormerName);
        match resolution.candidats.first() {
            Some(premier) if certain(premier.raison) && !resolution.ambigu => {
                return Ok(Some(premier.unite.id));
            }
            _ => {}
        }
        let mut candidats = Vec::new();
        for c in &resolution.candidats {
            let code = echange::code_collectivite(self.conn, c.unite.id)?;
            candidats.push(format!(
                "{} ({}, {}) : {code}",
                c.unite.nom,
                c.unite.niveau_affiche(),
                c.unite.pays
            ));
        }
        let attendu = if resolution.candidats.is_empty() {
            "le nom ou le code d'une collectivité connue ; aucune collectivité de ce nom ni d'un nom proche"
                .to_owned()
        } else if resolution.ambigu {
            format!(
                "un nom qui désigne une seule collectivité ; ce nom est ambigu, écrivez le code de la bonne : {}",
                candidats.join(" ; ")
            )
        } else {
            format!(
                "le nom ou le code d'une collectivité connue ; aucune ne porte ce nom, les plus proches sont : {}",
                candidats.join(" ; ")
            )
        };
        l.erreur_valeur(colonne, valeur, attendu);
        Ok(None)
    }

    /// The collectivité of an exchange code, shorthands included: a bare Malian code
    /// (`ML-1-KAYES`) and `FR:commune:49007` for a current commune.
    fn par_code(&self, code: &str) -> Resultat<Option<CollectiviteId>> {
        let mut essais = vec![code.to_owned()];
        if code.starts_with("ML-") {
            essais.push(format!("ML:{code}"));
        }
        if let Some(reste) = code.strip_prefix("FR:commune:") {
            essais.push(format!("FR:commune-actuelle:{reste}"));
        }
        for essai in essais {
            if let Some(id) = echange::collectivite_par_code(self.conn, &essai)? {
                return Ok(Some(id));
            }
        }
        Ok(None)
    }

    fn collectivites(
        &mut self,
        l: &mut LigneLue<'_>,
        colonne: &str,
    ) -> Resultat<Vec<CollectiviteId>> {
        let cellule = l.texte(colonne).unwrap_or("").to_owned();
        let mut ids = Vec::new();
        for valeur in format::liste(&cellule) {
            if let Some(id) = self.collectivite_nommee(l, colonne, valeur)? {
                ids.push(id);
            }
        }
        Ok(ids)
    }

    fn codes(&self, ids: &[CollectiviteId]) -> Resultat<Option<String>> {
        let mut codes = ids
            .iter()
            .map(|id| echange::code_collectivite(self.conn, *id))
            .collect::<Resultat<Vec<_>>>()?;
        codes.sort();
        codes.dedup();
        Ok(Some(codes.join(SEPARATEUR_LISTE)).filter(|c| !c.is_empty()))
    }

    /// The existing record for the line: by identifiant, else by the natural key.
    fn existante(
        &self,
        table: Table,
        identifiant: Option<&str>,
        naturelle: CleNaturelle<'_>,
    ) -> Resultat<Option<(i64, Ligne)>> {
        let reference = match identifiant {
            Some(r) => Some(r.to_owned()),
            None => echange::par_cle_naturelle(self.conn, naturelle)?,
        };
        match reference {
            Some(r) => echange::existante(self.conn, table, &[&r]),
            None => Ok(None),
        }
    }

    fn collectivite(&mut self, l: &mut LigneLue<'_>, commentaire: &str) -> Resultat<Option<Issue>> {
        let identifiant = texte(l.texte("identifiant"));
        if let Some(i) = &identifiant
            && echange::est_du_referentiel(self.conn, i)?
        {
            l.erreur(
                "identifiant",
                "l'identifiant d'une collectivité hors référentiel (les unités du référentiel ne s'importent pas)",
            );
            return Ok(None);
        }
        let pays = l.requis("pays").and_then(|p| match Pays::new(&p) {
            Ok(p) => Some(p),
            Err(e) => {
                l.erreur("pays", e.to_string());
                None
            }
        });
        let niveau = l.code("niveau");
        let nom = l.requis("nom");
        let parent = match l.texte("parent").map(str::to_owned) {
            Some(p) => self.collectivite_nommee(l, "parent", &p)?,
            None => None,
        };
        let valide_du = l.date("valide_du");
        let valide_au = l.date("valide_au");
        let population = l.entier::<u64>("population", "un nombre entier d'habitants");
        let (Some(pays), Some(niveau), Some(nom), Ok(du), Ok(au), Ok(population)) =
            (pays, niveau, nom, valide_du, valide_au, population)
        else {
            return Ok(None);
        };
        if !l.erreurs.is_empty() || l.saut {
            return Ok(None);
        }
        let validite = match Periode::new(du, au) {
            Ok(p) => p,
            Err(e) => {
                l.erreur("valide_au", e.to_string());
                return Ok(None);
            }
        };
        let nouvelle = NouvelleCollectivite {
            libelle_niveau: texte(l.texte("libelle_niveau")),
            code: texte(l.texte("code_officiel")),
            parent,
            validite,
            population,
            source: texte(l.texte("source")),
            ..NouvelleCollectivite::new(pays, niveau, &nom)
        };
        let existante = self.existante(
            Table::Collectivites,
            identifiant.as_deref(),
            CleNaturelle::Collectivite(&nouvelle),
        )?;
        let parent_code = match parent {
            Some(p) => Some(echange::code_collectivite(self.conn, p)?),
            None => None,
        };
        let voulue = |reference: Option<String>| -> Ligne {
            vec![
                reference,
                Some(pays.code().to_owned()),
                Some(niveau.code().to_owned()),
                nouvelle.libelle_niveau.clone(),
                nouvelle.code.clone(),
                Some(nom.clone()),
                parent_code.clone(),
                date_texte(du),
                date_texte(au),
                population.map(|p| p.to_string()),
                nouvelle.source.clone(),
            ]
        };
        match existante {
            Some((id, actuelle)) => {
                if actuelle == voulue(actuelle[0].clone()) {
                    return Ok(Some(Issue::Inchange));
                }
                echange::ecrire_collectivite(
                    self.conn,
                    Some(CollectiviteId(id)),
                    None,
                    nouvelle,
                    commentaire,
                )?;
                Ok(Some(Issue::Modifie))
            }
            None => {
                echange::ecrire_collectivite(
                    self.conn,
                    None,
                    identifiant.as_deref(),
                    nouvelle,
                    commentaire,
                )?;
                Ok(Some(Issue::Cree))
            }
        }
    }

    fn acteur(&mut self, l: &mut LigneLue<'_>) -> Resultat<Option<Issue>> {
        let identifiant = texte(l.texte("identifiant"));
        let nom = l.requis("nom");
        let type_organisation = l.code("type_organisation");
        let pays = match l.texte("pays").map(str::to_owned) {
            Some(p) => match Pays::new(&p) {
                Ok(p) => Some(p),
                Err(e) => {
                    l.erreur("pays", e.to_string());
                    None
                }
            },
            None => None,
        };
        let collectivite = match l.texte("collectivite").map(str::to_owned) {
            Some(c) => self.collectivite_nommee(l, "collectivite", &c)?,
            None => None,
        };
        let (Some(nom), Some(type_organisation)) = (nom, type_organisation) else {
            return Ok(None);
        };
        if !l.erreurs.is_empty() || l.saut {
            return Ok(None);
        }
        let nouvel = NouvelActeur {
            nom: nom.clone(),
            type_organisation,
            identifiant_iati: texte(l.texte("identifiant_iati")),
            pays,
            collectivite,
        };
        let existante = self.existante(
            Table::Acteurs,
            identifiant.as_deref(),
            CleNaturelle::Acteur(&nom),
        )?;
        let collectivite_code = match collectivite {
            Some(c) => Some(echange::code_collectivite(self.conn, c)?),
            None => None,
        };
        match existante {
            Some((id, actuelle)) => {
                let voulue = vec![
                    actuelle[0].clone(),
                    Some(nom),
                    Some(type_organisation.code().to_owned()),
                    nouvel.identifiant_iati.clone(),
                    pays.map(|p| p.code().to_owned()),
                    collectivite_code,
                ];
                if actuelle == voulue {
                    return Ok(Some(Issue::Inchange));
                }
                echange::ecrire_acteur(self.conn, Some(ActeurId(id)), None, nouvel)?;
                Ok(Some(Issue::Modifie))
            }
            None => {
                echange::ecrire_acteur(self.conn, None, identifiant.as_deref(), nouvel)?;
                Ok(Some(Issue::Cree))
            }
        }
    }

    fn partenariat(&mut self, l: &mut LigneLue<'_>, commentaire: &str) -> Resultat<Option<Issue>> {
        let identifiant = texte(l.texte("identifiant"));
        let titre = l.requis("titre");
        let statut = l.code("statut");
        if l.texte("parties").is_none() {
            l.erreur("parties", "les collectivités parties, séparées par « | » (au moins une malienne et une étrangère)");
        }
        let parties = self.collectivites(l, "parties")?;
        let demonstration = l.booleen("demonstration");
        let confirme_le = l.date("confirme_le");
        let validation = match l.texte("validation") {
            Some(_) => l.code("validation"),
            None => Some(crate::model::Validation::Valide),
        };
        let archive = l.booleen("archive");
        let (Some(titre), Some(statut), Ok(confirme_le), Some(validation)) =
            (titre, statut, confirme_le, validation)
        else {
            return Ok(None);
        };
        if !l.erreurs.is_empty() || l.saut {
            return Ok(None);
        }
        let existante = self.existante(
            Table::Partenariats,
            identifiant.as_deref(),
            CleNaturelle::Partenariat(&titre, &parties),
        )?;
        let importe = PartenariatImporte {
            nouveau: NouveauPartenariat {
                description: texte(l.texte("description")),
                source: texte(l.texte("source")),
                demonstration,
                validation,
                ..NouveauPartenariat::new(&titre, statut, parties.clone())
            },
            confirme_le,
            commentaire_validation: texte(l.texte("commentaire_validation")),
            archive,
        };
        match existante {
            Some((id, actuelle)) => {
                let voulue = vec![
                    actuelle[0].clone(),
                    Some(titre),
                    importe.nouveau.description.clone(),
                    Some(statut.code().to_owned()),
                    self.codes(&parties)?,
                    importe.nouveau.source.clone(),
                    oui_non(demonstration),
                    date_texte(confirme_le),
                    Some(validation.code().to_owned()),
                    importe.commentaire_validation.clone(),
                    oui_non(archive),
                ];
                if actuelle == voulue {
                    return Ok(Some(Issue::Inchange));
                }
                echange::ecrire_partenariat(
                    self.conn,
                    Some(PartenariatId(id)),
                    None,
                    importe,
                    commentaire,
                )?;
                Ok(Some(Issue::Modifie))
            }
            None => {
                echange::ecrire_partenariat(
                    self.conn,
                    None,
                    identifiant.as_deref(),
                    importe,
                    commentaire,
                )?;
                Ok(Some(Issue::Cree))
            }
        }
    }

    fn etape(&mut self, l: &mut LigneLue<'_>, commentaire: &str) -> Resultat<Option<Issue>> {
        let partenariat = self.reference(l, Table::Partenariats, "partenariat")?;
        let etape = l.code("etape");
        let depuis = match l.date("depuis") {
            Ok(None) => {
                l.erreur("depuis", "une date (colonne obligatoire)");
                None
            }
            Ok(d) => d,
            Err(()) => None,
        };
        let (Some(partenariat), Some(etape), Some(depuis)) = (partenariat, etape, depuis) else {
            return Ok(None);
        };
        let note = texte(l.texte("note"));
        let reference = l.texte("partenariat").unwrap_or("").to_owned();
        let existante =
            echange::existante(self.conn, Table::Etapes, &[&reference, &depuis.to_string()])?;
        let etape_datee = EtapeDatee {
            etape,
            depuis,
            note: note.clone(),
        };
        match existante {
            Some((id, actuelle)) => {
                let voulue = vec![
                    Some(reference),
                    Some(etape.code().to_owned()),
                    Some(depuis.to_string()),
                    note,
                ];
                if actuelle == voulue {
                    return Ok(Some(Issue::Inchange));
                }
                echange::ecrire_etape(
                    self.conn,
                    PartenariatId(partenariat),
                    Some(id),
                    etape_datee,
                    commentaire,
                )?;
                Ok(Some(Issue::Modifie))
            }
            None => {
                echange::ecrire_etape(
                    self.conn,
                    PartenariatId(partenariat),
                    None,
                    etape_datee,
                    commentaire,
                )?;
                Ok(Some(Issue::Cree))
            }
        }
    }

    fn convention(&mut self, l: &mut LigneLue<'_>, commentaire: &str) -> Resultat<Option<Issue>> {
        let identifiant = texte(l.texte("identifiant"));
        let partenariat = self.reference(l, Table::Partenariats, "partenariat")?;
        let intitule = l.requis("intitule");
        let signee_le = l.date("signee_le");
        let duree = l.entier::<u32>("duree_mois", "un nombre entier de mois, supérieur à zéro");
        let reconduction = match l.texte("reconduction") {
            Some(_) => l.code("reconduction"),
            None => Some(crate::model::Reconduction::NonPrecisee),
        };
        let (Some(partenariat), Some(intitule), Ok(signee_le), Ok(duree_mois), Some(reconduction)) =
            (partenariat, intitule, signee_le, duree, reconduction)
        else {
            return Ok(None);
        };
        if !l.erreurs.is_empty() || l.saut {
            return Ok(None);
        }
        let partenariat = PartenariatId(partenariat);
        let convention = NouvelleConvention {
            intitule: intitule.clone(),
            signee_le,
            duree_mois,
            reconduction,
            document: texte(l.texte("document")),
        };
        let existante = self.existante(
            Table::Conventions,
            identifiant.as_deref(),
            CleNaturelle::Convention(partenariat, &intitule),
        )?;
        match existante {
            Some((id, actuelle)) => {
                let voulue = vec![
                    actuelle[0].clone(),
                    texte(l.texte("partenariat")),
                    Some(intitule),
                    date_texte(signee_le),
                    duree_mois.map(|d| d.to_string()),
                    Some(reconduction.code().to_owned()),
                    convention.document.clone(),
                ];
                if actuelle == voulue {
                    return Ok(Some(Issue::Inchange));
                }
                echange::ecrire_convention(
                    self.conn,
                    Some(id),
                    None,
                    partenariat,
                    convention,
                    commentaire,
                )?;
                Ok(Some(Issue::Modifie))
            }
            None => {
                echange::ecrire_convention(
                    self.conn,
                    None,
                    identifiant.as_deref(),
                    partenariat,
                    convention,
                    commentaire,
                )?;
                Ok(Some(Issue::Cree))
            }
        }
    }

    fn intermediaire(
        &mut self,
        l: &mut LigneLue<'_>,
        commentaire: &str,
    ) -> Resultat<Option<Issue>> {
        let partenariat = self.reference(l, Table::Partenariats, "partenariat")?;
        let acteur = self.reference(l, Table::Acteurs, "acteur")?;
        let role: Option<crate::model::RoleIntermediaire> = l.code("role");
        let (Some(partenariat), Some(acteur), Some(role)) = (partenariat, acteur, role) else {
            return Ok(None);
        };
        let precision = texte(l.texte("precision"));
        let cle_partenariat = l.texte("partenariat").unwrap_or("").to_owned();
        let cle_acteur = l.texte("acteur").unwrap_or("").to_owned();
        let existante = echange::existante(
            self.conn,
            Table::Intermediaires,
            &[&cle_partenariat, &cle_acteur, role.code()],
        )?;
        let issue = match existante {
            Some((_, actuelle)) => {
                let voulue = vec![
                    Some(cle_partenariat),
                    Some(cle_acteur),
                    Some(role.code().to_owned()),
                    precision.clone(),
                ];
                if actuelle == voulue {
                    return Ok(Some(Issue::Inchange));
                }
                Issue::Modifie
            }
            None => Issue::Cree,
        };
        echange::ecrire_intermediaire(
            self.conn,
            PartenariatId(partenariat),
            ActeurId(acteur),
            role,
            precision.as_deref(),
            commentaire,
        )?;
        Ok(Some(issue))
    }

    fn action(&mut self, l: &mut LigneLue<'_>, commentaire: &str) -> Resultat<Option<Issue>> {
        let identifiant = texte(l.texte("identifiant"));
        let partenariat = self.reference(l, Table::Partenariats, "partenariat")?;
        let titre = l.requis("titre");
        let axe = l.code("axe");
        let domaine = l.code("domaine");
        let nature = l.code("nature");
        let statut = l.code("statut");
        let debut = l.date("debut");
        let fin = l.date("fin");
        let lieux = self.collectivites(l, "lieux")?;
        let validation = match l.texte("validation") {
            Some(_) => l.code("validation"),
            None => Some(crate::model::Validation::Valide),
        };
        let archive = l.booleen("archive");
        let (
            Some(partenariat),
            Some(titre),
            Some(axe),
            Some(domaine),
            Some(nature),
            Some(statut),
            Ok(debut),
            Ok(fin),
            Some(validation),
        ) = (
            partenariat,
            titre,
            axe,
            domaine,
            nature,
            statut,
            debut,
            fin,
            validation,
        )
        else {
            return Ok(None);
        };
        if !l.erreurs.is_empty() || l.saut {
            return Ok(None);
        }
        let periode = match Periode::new(debut, fin) {
            Ok(p) => p,
            Err(e) => {
                l.erreur("fin", e.to_string());
                return Ok(None);
            }
        };
        let partenariat = PartenariatId(partenariat);
        let existante = self.existante(
            Table::Actions,
            identifiant.as_deref(),
            CleNaturelle::Action(partenariat, &titre),
        )?;
        let importee = ActionImportee {
            nouvelle: NouvelleAction {
                partenariat,
                titre: titre.clone(),
                description: texte(l.texte("description")),
                axe,
                domaine,
                nature,
                statut,
                periode,
                lieux: lieux.clone(),
            },
            validation,
            commentaire_validation: texte(l.texte("commentaire_validation")),
            archive,
        };
        match existante {
            Some((id, actuelle)) => {
                let voulue = vec![
                    actuelle[0].clone(),
                    texte(l.texte("partenariat")),
                    Some(titre),
                    importee.nouvelle.description.clone(),
                    Some(axe.code().to_owned()),
                    Some(domaine.code().to_owned()),
                    Some(nature.code().to_owned()),
                    Some(statut.code().to_owned()),
                    date_texte(debut),
                    date_texte(fin),
                    self.codes(&lieux)?,
                    Some(validation.code().to_owned()),
                    importee.commentaire_validation.clone(),
                    oui_non(archive),
                ];
                if actuelle == voulue {
                    return Ok(Some(Issue::Inchange));
                }
                echange::ecrire_action(self.conn, Some(ActionId(id)), None, importee, commentaire)?;
                Ok(Some(Issue::Modifie))
            }
            None => {
                echange::ecrire_action(
                    self.conn,
                    None,
                    identifiant.as_deref(),
                    importee,
                    commentaire,
                )?;
                Ok(Some(Issue::Cree))
            }
        }
    }

    fn financement(&mut self, l: &mut LigneLue<'_>, commentaire: &str) -> Resultat<Option<Issue>> {
        let identifiant = texte(l.texte("identifiant"));
        let action = self.reference(l, Table::Actions, "action")?;
        let source = self.reference(l, Table::Acteurs, "source")?;
        let type_financement = l.code("type");
        let devise: Option<Devise> = l.code("devise");
        let montant = match (l.requis("montant"), devise) {
            (Some(texte), Some(devise)) => {
                let m = format::montant(&texte, devise, l.fichier.marque_decimale);
                if m.is_none() {
                    l.erreur(
                        "montant",
                        format!(
                            "un montant positif en {}, avec au plus {} décimale(s) après « {} » et sans séparateur de milliers autre que l'espace",
                            devise.code(),
                            devise.decimales(),
                            l.fichier.marque_decimale
                        ),
                    );
                }
                m
            }
            _ => None,
        };
        let annee = match l.entier::<i32>("annee", "une année sur quatre chiffres") {
            Ok(None) => {
                l.erreur("annee", "une année (colonne obligatoire)");
                None
            }
            Ok(a) => a,
            Err(()) => None,
        };
        let (Some(action), Some(source), Some(type_financement), Some(montant), Some(annee)) =
            (action, source, type_financement, montant, annee)
        else {
            return Ok(None);
        };
        if !l.erreurs.is_empty() || l.saut {
            return Ok(None);
        }
        let nouveau = NouveauFinancement {
            action: ActionId(action),
            source: ActeurId(source),
            type_financement,
            montant,
            annee,
        };
        let existante = self.existante(
            Table::Financements,
            identifiant.as_deref(),
            CleNaturelle::Financement(&nouveau),
        )?;
        match existante {
            Some((id, actuelle)) => {
                let voulue = vec![
                    actuelle[0].clone(),
                    texte(l.texte("action")),
                    texte(l.texte("source")),
                    Some(type_financement.code().to_owned()),
                    Some(montant.unites_mineures().to_string()),
                    Some(montant.devise().code().to_owned()),
                    Some(annee.to_string()),
                ];
                if actuelle == voulue {
                    return Ok(Some(Issue::Inchange));
                }
                echange::ecrire_financement(
                    self.conn,
                    Some(FinancementId(id)),
                    None,
                    nouveau,
                    commentaire,
                )?;
                Ok(Some(Issue::Modifie))
            }
            None => {
                echange::ecrire_financement(
                    self.conn,
                    None,
                    identifiant.as_deref(),
                    nouveau,
                    commentaire,
                )?;
                Ok(Some(Issue::Cree))
            }
        }
    }
}

impl LigneLue<'_> {
    /// A mistake about one value of a list cell.
    fn erreur_valeur(&mut self, colonne: &str, valeur: &str, attendu: impl Into<String>) {
        self.erreurs.push(ErreurLigne {
            fichier: self.fichier.nom.clone(),
            ligne: self.ligne,
            colonne: colonne.to_owned(),
            valeur: valeur.to_owned(),
            attendu: attendu.into(),
        });
    }
}
