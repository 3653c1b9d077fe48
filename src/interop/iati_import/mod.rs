//! IATI import: the activities published for Mali, kept as « autres interventions » and linked
//! to the Malian collectivités their places name. docs/iati.md (« Import ») says what is
//! read, which activities are kept and how places are resolved.

mod activite;
mod controle;
pub mod lecture;
mod lieux;
mod liste;
mod point;
mod rattachement;
mod resultats;

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use rusqlite::Connection;

use crate::model::{
    DatesIati, MethodeLien, MotifNonLie, NouvelleIntervention, OrganisationIati, Rattachement,
    TransactionIati, ValeurIati, date_iso,
};
use crate::referentiel::Resolveur;
use crate::store::{self, intervention};
pub use activite::{ActiviteLue, CodeLu, LieuLu, PointLu, TransactionLue, choisir};
pub use lecture::{ErreurLecture, LecteurIati};
pub use lieux::{EchecNom, code_malien, nettoyer_nom, nomme_le_pays, resoudre_nom};

/// Why an import failed; nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum ErreurImport {
    #[error("{} : ouverture impossible : {}", .fichier.display(), super::en_francais(.source))]
    Ouverture {
        fichier: PathBuf,
        source: std::io::Error,
    },
    #[error("{fichier}, ligne {ligne}, colonne {colonne} : {message}")]
    Lecture {
        fichier: PathBuf,
        ligne: u64,
        colonne: u64,
        message: String,
    },
    #[error("{} : lecture impossible : {}", .fichier.display(), super::en_francais(.source))]
    Io {
        fichier: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] store::StoreError),
}

impl From<rusqlite::Error> for ErreurImport {
    fn from(e: rusqlite::Error) -> Self {
        ErreurImport::Store(e.into())
    }
}

/// A value of a file that the import left out, and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signalement {
    /// The file's name.
    pub fichier: String,
    pub ligne: u64,
    pub message: String,
}

/// At most this many [`Signalement`]s are listed, over all the files; all are counted.
pub const SIGNALEMENTS_MAX: usize = 20;

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RapportImport {
    pub fichiers: usize,
    pub activites: u64,
    /// New interventions.
    pub importees: u64,
    /// Interventions already imported, replaced.
    pub mises_a_jour: u64,
    /// Interventions already imported with the same content, left as they were.
    pub inchangees: u64,
    /// Activities that concern neither Mali nor a Malian place.
    pub hors_mali: u64,
    /// Activities without an iati-identifier, which cannot be kept.
    pub sans_identifiant: u64,
    /// `<location>` elements read, in every activity: each one is counted once below, linked
    /// by one method, unlinked for one reason, or in an activity left out.
    pub lieux_lus: u64,
    /// Places linked, by method, in the order of [`MethodeLien::TOUTES`].
    pub lieux_lies: [u64; 4],
    /// Places not linked, by reason, in the order of [`MotifNonLie::TOUS`].
    pub lieux_non_lies: [u64; 5],
    /// Places of the activities left out (not about Mali, or without identifier).
    pub lieux_ignores: u64,
    /// Transactions without a readable value or currency.
    pub transactions_illisibles: u64,
    /// Values and dates of results that are not a number or a date, left out (their
    /// result is kept): the first [`SIGNALEMENTS_MAX`] of them are in `signalements`.
    pub valeurs_resultats_illisibles: u64,
    pub signalements: Vec<Signalement>,
    /// Control characters that XML allows but benkan does not store (C1, DEL), removed from
    /// the texts kept: foreign data is not ours to correct, and refusing a whole national
    /// file for one mis-encoded apostrophe would help no one. (The C0 controls XML forbids
    /// make the file malformed: refused with their line and column.)
    pub caracteres_retires: u64,
}

impl RapportImport {
    /// Places linked by this method.
    pub fn lies(&self, methode: MethodeLien) -> u64 {
        let i = MethodeLien::TOUTES.iter().position(|m| *m == methode);
        i.map_or(0, |i| self.lieux_lies[i])
    }

    /// Places left unlinked for this reason.
    pub fn non_lies(&self, motif: MotifNonLie) -> u64 {
        let i = MotifNonLie::TOUS.iter().position(|m| *m == motif);
        i.map_or(0, |i| self.lieux_non_lies[i])
    }

    /// Places linked, whatever the method.
    pub fn total_lies(&self) -> u64 {
        self.lieux_lies.iter().sum()
    }

    /// Places not linked, whatever the reason.
    pub fn total_non_lies(&self) -> u64 {
        self.lieux_non_lies.iter().sum()
    }

    fn compter(&mut self, rattachement: &Rattachement) {
        match rattachement {
            Rattachement::Lie { methode, .. } => {
                if let Some(i) = MethodeLien::TOUTES.iter().position(|m| m == methode) {
                    self.lieux_lies[i] += 1;
                }
            }
            Rattachement::NonLie(motif) => {
                if let Some(i) = MotifNonLie::TOUS.iter().position(|m| m == motif) {
                    self.lieux_non_lies[i] += 1;
                }
            }
        }
    }
}

/// Where the import is, for a progress bar.
#[derive(Debug, Clone, Copy)]
pub struct Avancement<'a> {
    pub fichier: &'a Path,
    pub octets_lus: u64,
    pub taille: u64,
    pub activites: u64,
}

/// Imports every file in one transaction: a malformed file anywhere and nothing is written.
/// `progression` is called after each activity.
pub fn importer(
    conn: &Connection,
    resolveur: &Resolveur,
    fichiers: &[PathBuf],
    progression: &mut dyn FnMut(Avancement<'_>),
) -> Result<RapportImport, ErreurImport> {
    let mut rapport = RapportImport {
        fichiers: fichiers.len(),
        ..RapportImport::default()
    };
    let mut resolution = lieux::Cache::new(conn, resolveur);
    store::atomique(conn, || {
        for fichier in fichiers {
            importer_fichier(conn, &mut resolution, fichier, &mut rapport, progression)?;
        }
        Ok::<_, ErreurImport>(())
    })?;
    Ok(rapport)
}

fn importer_fichier(
    conn: &Connection,
    resolution: &mut lieux::Cache<'_>,
    fichier: &Path,
    rapport: &mut RapportImport,
    progression: &mut dyn FnMut(Avancement<'_>),
) -> Result<(), ErreurImport> {
    let ouverture = |source| ErreurImport::Ouverture {
        fichier: fichier.to_owned(),
        source,
    };
    let source = File::open(fichier).map_err(ouverture)?;
    let taille = source.metadata().map_err(ouverture)?.len();
    let nom_fichier = fichier
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| fichier.display().to_string());
    let erreur = |e: ErreurLecture| match e {
        ErreurLecture::Io(source) => ErreurImport::Io {
            fichier: fichier.to_owned(),
            source,
        },
        ErreurLecture::Fichier { position, message } => {
            match lignes_colonnes(fichier, &[position]).map(|l| l[0]) {
                Ok((ligne, colonne)) => ErreurImport::Lecture {
                    fichier: fichier.to_owned(),
                    ligne,
                    colonne,
                    message,
                },
                Err(source) => ErreurImport::Io {
                    fichier: fichier.to_owned(),
                    source,
                },
            }
        }
    };
    let mut lecteur =
        LecteurIati::nouveau(BufReader::with_capacity(1 << 16, source)).map_err(erreur)?;
    let version = lecteur.version.clone();
    let mut illisibles =
        resultats::Illisibles::new(SIGNALEMENTS_MAX.saturating_sub(rapport.signalements.len()));
    while let Some(activite) = lecteur.suivante().map_err(erreur)? {
        rapport.activites += 1;
        if let Some(i) = convertir(resolution, activite, &version, rapport, &mut illisibles)? {
            match intervention::enregistrer(conn, &i, &nom_fichier)? {
                intervention::Enregistrement::Creee(_) => rapport.importees += 1,
                intervention::Enregistrement::MiseAJour(_) => rapport.mises_a_jour += 1,
                intervention::Enregistrement::Inchangee(_) => rapport.inchangees += 1,
            }
        }
        progression(Avancement {
            fichier,
            octets_lus: lecteur.position(),
            taille,
            activites: rapport.activites,
        });
    }
    rapport.caracteres_retires += lecteur.caracteres_retires;
    rapport.valeurs_resultats_illisibles += illisibles.nombre;
    let positions: Vec<u64> = illisibles.gardes.iter().map(|i| i.position).collect();
    let lignes = lignes_colonnes(fichier, &positions).map_err(|source| ErreurImport::Io {
        fichier: fichier.to_owned(),
        source,
    })?;
    for (i, (ligne, _)) in illisibles.gardes.into_iter().zip(lignes) {
        rapport.signalements.push(Signalement {
            fichier: nom_fichier.clone(),
            ligne,
            message: i.message,
        });
    }
    Ok(())
}

/// Keeps an activity if it concerns Mali (see docs/iati.md), with its places resolved.
fn convertir(
    resolution: &mut lieux::Cache<'_>,
    a: ActiviteLue,
    version: &str,
    rapport: &mut RapportImport,
    illisibles: &mut resultats::Illisibles,
) -> store::Result<Option<NouvelleIntervention>> {
    rapport.lieux_lus += a.lieux.len() as u64;
    if a.identifiant.is_empty() {
        rapport.sans_identifiant += 1;
        rapport.lieux_ignores += a.lieux.len() as u64;
        return Ok(None);
    }
    let pays_publies = !a.pays.is_empty() || a.transactions.iter().any(|t| !t.pays.is_empty());
    let mali_declare = a.pays.iter().any(|(code, _)| code == "ML")
        || a.transactions
            .iter()
            .any(|t| t.pays.iter().any(|c| c == "ML"))
        || a.lieux.iter().any(rattachement::declare_le_mali);
    // Places are looked up in Mali only for an activity that may be there.
    if pays_publies && !mali_declare {
        rapport.hors_mali += 1;
        rapport.lieux_ignores += a.lieux.len() as u64;
        return Ok(None);
    }
    let mut lieux = Vec::with_capacity(a.lieux.len());
    for l in &a.lieux {
        lieux.push(rattachement::rattacher(resolution, l)?);
    }
    // Without any country, a Malian place decides.
    if !mali_declare && !lieux.iter().any(|l| !l.collectivites().is_empty()) {
        rapport.hors_mali += 1;
        rapport.lieux_ignores += a.lieux.len() as u64;
        return Ok(None);
    }
    for l in &lieux {
        rapport.compter(&l.rattachement);
    }
    lieux.retain(rattachement::a_montrer);
    let date = |texte: &str| date_iso(texte.get(..10).unwrap_or(texte));
    let mut dates = DatesIati::default();
    for (type_date, valeur) in &a.dates {
        let d = date(valeur);
        match type_date.as_str() {
            "1" => dates.debut_prevu = d,
            "2" => dates.debut_reel = d,
            "3" => dates.fin_prevue = d,
            "4" => dates.fin_reelle = d,
            _ => {}
        }
    }
    let nommer = |o: &OrganisationIati, noms: &[crate::model::Narratif]| OrganisationIati {
        nom: choisir(noms).map(|n| n.texte.clone()),
        ..o.clone()
    };
    let description = a
        .descriptions
        .iter()
        .find(|(t, n)| t == "1" && !n.is_empty())
        .or_else(|| a.descriptions.iter().find(|(_, n)| !n.is_empty()))
        .and_then(|(_, n)| choisir(n).cloned());
    let mut transactions = Vec::with_capacity(a.transactions.len());
    for t in &a.transactions {
        let devise = t.devise.as_deref().or(a.devise_defaut.as_deref());
        let valeur = devise.and_then(|d| ValeurIati::lire(&t.valeur, d));
        match (t.type_transaction.clone(), valeur) {
            (Some(type_transaction), Some(valeur)) => transactions.push(TransactionIati {
                type_transaction,
                date: t.date.as_deref().and_then(date),
                valeur,
                date_valeur: t.date_valeur.as_deref().and_then(date),
                fournisseur: choisir(&t.fournisseur).map(|n| n.texte.clone()),
                beneficiaire: choisir(&t.beneficiaire).map(|n| n.texte.clone()),
            }),
            _ => rapport.transactions_illisibles += 1,
        }
    }
    Ok(Some(NouvelleIntervention {
        identifiant_iati: a.identifiant,
        version: version.to_owned(),
        derniere_maj: a.derniere_maj,
        titre: choisir(&a.titre).cloned(),
        description,
        editeur: nommer(&a.editeur, &a.editeur_noms),
        participants: a.participants.iter().map(|(o, n)| nommer(o, n)).collect(),
        statut: a.statut,
        dates,
        pourcentage_mali: a
            .pays
            .iter()
            .find(|(code, _)| code == "ML")
            .and_then(|(_, p)| p.clone()),
        secteurs: a.secteurs,
        transactions,
        lieux,
        resultats: resultats::convertir(&a.resultats, illisibles),
    }))
}

/// The line and column (from 1, in characters) of bytes of the file, read again up to the
/// last: counting lines only for the rare file with an error or a value left out keeps the
/// import itself fast. One pass, whatever the order of `positions`; the answer is in theirs.
fn lignes_colonnes(fichier: &Path, positions: &[u64]) -> std::io::Result<Vec<(u64, u64)>> {
    let mut ordre: Vec<usize> = (0..positions.len()).collect();
    ordre.sort_unstable_by_key(|&i| positions[i]);
    let mut sortie = vec![(1, 1); positions.len()];
    let Some(&fin) = positions.iter().max() else {
        return Ok(sortie);
    };
    let mut source = BufReader::new(File::open(fichier)?).take(fin);
    let mut tampon = [0u8; 1 << 16];
    let (mut ligne, mut colonne, mut lus) = (1u64, 1u64, 0u64);
    let mut suivantes = ordre.into_iter().peekable();
    loop {
        let n = source.read(&mut tampon)?;
        for &octet in &tampon[..n] {
            while let Some(i) = suivantes.next_if(|&i| positions[i] == lus) {
                sortie[i] = (ligne, colonne);
            }
            lus += 1;
            if octet == b'\n' {
                ligne += 1;
                colonne = 1;
            } else if octet & 0xC0 != 0x80 {
                // Continuation bytes of a UTF-8 character do not start a new column.
                colonne += 1;
            }
        }
        if n == 0 {
            for i in suivantes {
                sortie[i] = (ligne, colonne);
            }
            return Ok(sortie);
        }
    }
}

#[cfg(test)]
mod tests;
