//! Reading the files of an import within bounds: a small zip must not decompress into
//! gigabytes of memory (a 255 KB « zip bomb » once made the import take 1.5 GB).
//!
//! The import keeps every file in memory before its transaction (it sorts the tables and
//! reports every mistake at once), so the bound is on what is read: each zip entry is
//! decompressed as a stream, checked as it grows, and refused as soon as it passes a limit.

use std::io::{self, Read};
use std::path::Path;

use super::Source;
use crate::interop::csv::erreurs::{EnFrancais, ErreurImport};
use crate::model::Extrait;

/// At most this many bytes are read, decompressed, for one import, all files together:
/// 512 MiB. The export of the synthetic stress dataset (100,000 partenariats, 1,000,000
/// actions, 800,620 financements) is 257 MB, and the national registry is one to two orders
/// of magnitude smaller; twice the stress dataset still fits, and a machine of a few GB
/// survives the import's working copy of it.
pub const TAILLE_MAX: u64 = 512 << 20;

/// A zip entry may decompress to at most this many times its compressed size. benkan's own
/// exports compress about 5 to 1 (52 MB for 257 MB); a deflate bomb reaches 1,000 to 1.
pub const TAUX_MAX: u64 = 100;

/// Entries smaller than this are not held to [`TAUX_MAX`]: a short file of blanks
/// compresses very well and harms no one.
const TAUX_A_PARTIR_DE: u64 = 1 << 20;

/// At most this many entries in a zip (an export has 8): reading the central directory of
/// millions of empty entries is another way to exhaust memory.
pub const ENTREES_MAX: usize = 1_000;

/// What is left of [`TAILLE_MAX`] for the rest of an import.
pub(super) struct Budget {
    pub(super) reste: u64,
    /// The bound it started from, said in the refusal.
    pub(super) total: u64,
}

impl Budget {
    /// At most `total` bytes for the whole import.
    pub(super) fn de(total: u64) -> Self {
        Budget {
            reste: total,
            total,
        }
    }
}

impl Default for Budget {
    fn default() -> Self {
        Budget::de(TAILLE_MAX)
    }
}

/// Why an entry was not read.
#[derive(Debug)]
pub(super) enum Refus {
    Io(io::Error),
    /// It would pass the import's total (this many bytes).
    Taille(u64),
    /// It decompresses `taux` times its compressed size.
    Taux(u64),
}

impl Refus {
    fn en_francais(&self) -> String {
        match self {
            Refus::Io(e) => format!("lecture impossible : {}", e.en_francais()),
            Refus::Taille(total) => format!(
                "trop grande : un import lit au plus {} Mio de fichiers CSV (décompressés) ; \
                 importez les fichiers en plusieurs fois",
                total.div_ceil(1 << 20)
            ),
            Refus::Taux(taux) => format!(
                "se décompresse en plus de {taux} fois sa taille compressée (au plus {TAUX_MAX} fois \
                 pour un fichier CSV) : archive suspecte (« bombe de décompression »), refusée"
            ),
        }
    }
}

/// Reads `entree` (whose compressed size is `compresse`) to its end, refusing it as soon as
/// it passes what is left of the budget or [`TAUX_MAX`]: memory never holds more than
/// the limits allow, whatever the zip's headers claim.
pub(super) fn lire_borne(
    mut entree: impl Read,
    compresse: u64,
    budget: &mut Budget,
) -> Result<Vec<u8>, Refus> {
    let mut octets = Vec::new();
    let mut morceau = vec![0u8; 1 << 16];
    loop {
        let n = match entree.read(&mut morceau) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Refus::Io(e)),
        };
        let total = (octets.len() + n) as u64;
        if total > TAUX_A_PARTIR_DE && total > compresse.max(1) * TAUX_MAX {
            return Err(Refus::Taux(total / compresse.max(1)));
        }
        if total > budget.reste {
            return Err(Refus::Taille(budget.total));
        }
        octets.extend_from_slice(&morceau[..n]);
    }
    budget.reste -= octets.len() as u64;
    Ok(octets)
}

/// What a zip's headers say of an entry, checked before anything is decompressed (an
/// honest bomb is refused at once; a lying one by [`lire_borne`]).
fn annonce(taille: u64, compresse: u64, budget: &Budget) -> Result<(), Refus> {
    if taille > TAUX_A_PARTIR_DE && taille > compresse.max(1) * TAUX_MAX {
        return Err(Refus::Taux(taille / compresse.max(1)));
    }
    if taille > budget.reste {
        return Err(Refus::Taille(budget.total));
    }
    Ok(())
}

fn lecture(chemin: &Path, message: String) -> ErreurImport {
    ErreurImport::Lecture {
        chemin: chemin.display().to_string(),
        message,
    }
}

/// The `.csv` entries of the zip at `chemin`, each read within the bounds.
pub(super) fn lire_zip(
    chemin: &Path,
    sources: &mut Vec<Source>,
    budget: &mut Budget,
) -> Result<(), ErreurImport> {
    let fichier = std::fs::File::open(chemin).map_err(|e| lecture(chemin, e.en_francais()))?;
    lire_zip_de(
        &chemin.display().to_string(),
        io::BufReader::new(fichier),
        sources,
        budget,
    )
}

/// The `.csv` entries of the zip `nom` read from `zip` (a file or bytes sent to the site),
/// each read within the bounds.
pub(super) fn lire_zip_de(
    nom_zip: &str,
    zip: impl Read + io::Seek,
    sources: &mut Vec<Source>,
    budget: &mut Budget,
) -> Result<(), ErreurImport> {
    let chemin = Path::new(nom_zip);
    let mut zip = zip::ZipArchive::new(zip).map_err(|e| {
        lecture(
            chemin,
            format!("archive zip illisible : {}", e.en_francais()),
        )
    })?;
    if zip.len() > ENTREES_MAX {
        return Err(lecture(
            chemin,
            format!(
                "l'archive contient {} entrées : un import en lit au plus {ENTREES_MAX} \
                 (un export de benkan en a 8)",
                zip.len()
            ),
        ));
    }
    for i in 0..zip.len() {
        let illisible = |e: &dyn EnFrancais| {
            lecture(
                chemin,
                format!("entrée n° {} illisible : {}", i + 1, e.en_francais()),
            )
        };
        let entree = zip.by_index(i).map_err(|e| illisible(&e))?;
        let nom = entree.name().map_err(|e| illisible(&e))?.into_owned();
        if !nom.to_lowercase().ends_with(".csv")
            || crate::interop::csv::bourse::Fichier::est_un(&nom)
        {
            continue;
        }
        let compresse = entree.compressed_size();
        let refus = |r: Refus| {
            lecture(
                chemin,
                format!("entrée « {} » {}", Extrait(&nom), r.en_francais()),
            )
        };
        annonce(entree.size(), compresse, budget).map_err(refus)?;
        let octets = lire_borne(entree, compresse, budget).map_err(refus)?;
        sources.push(Source {
            nom: format!("{nom_zip}:{nom}"),
            octets,
        });
    }
    Ok(())
}

/// A plain file sent as bytes, held to the budget like one read from disk.
pub(super) fn lire_octets(
    nom: &str,
    octets: &[u8],
    sources: &mut Vec<Source>,
    budget: &mut Budget,
) -> Result<(), ErreurImport> {
    let taille = octets.len() as u64;
    let refus = |r: Refus| lecture(Path::new(nom), format!("fichier {}", r.en_francais()));
    annonce(taille, taille, budget).map_err(refus)?;
    budget.reste -= taille;
    sources.push(Source {
        nom: nom.to_owned(),
        octets: octets.to_vec(),
    });
    Ok(())
}

/// A plain file, read within the budget.
pub(super) fn lire_fichier(
    chemin: &Path,
    sources: &mut Vec<Source>,
    budget: &mut Budget,
) -> Result<(), ErreurImport> {
    let fichier = std::fs::File::open(chemin).map_err(|e| lecture(chemin, e.en_francais()))?;
    // a plain file is not compressed: its size is its own ratio
    let taille = fichier.metadata().map(|m| m.len()).unwrap_or(0);
    let refus = |r: Refus| lecture(chemin, format!("fichier {}", r.en_francais()));
    annonce(taille, taille, budget).map_err(refus)?;
    let octets = lire_borne(fichier, u64::MAX / TAUX_MAX, budget).map_err(refus)?;
    sources.push(Source {
        nom: chemin.display().to_string(),
        octets,
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_is_cut_off_as_soon_as_it_passes_a_bound() {
        // headers that lie: 1 GiB of zeros said to be 1 KiB compressed
        let mut budget = Budget::default();
        let bombe = io::repeat(0).take(1 << 30);
        let debut = std::time::Instant::now();
        assert!(matches!(
            lire_borne(bombe, 1024, &mut budget),
            Err(Refus::Taux(_))
        ));
        assert!(debut.elapsed().as_secs() < 2, "refused early");
        assert_eq!(budget.reste, TAILLE_MAX, "nothing was counted");
        // an honest large file runs into the total instead
        let mut petit = Budget::de(3 << 20);
        assert!(matches!(
            lire_borne(io::repeat(b'a').take(4 << 20), 1 << 20, &mut petit),
            Err(Refus::Taille(_))
        ));
        // what fits is read and counted
        let octets = lire_borne(io::repeat(b'a').take(2 << 20), 1 << 20, &mut petit).unwrap();
        assert_eq!(octets.len(), 2 << 20);
        assert_eq!(petit.reste, 1 << 20);
        // small files are not held to the ratio
        assert!(lire_borne(io::repeat(0).take(1000), 1, &mut Budget::default()).is_ok());
    }

    #[test]
    fn headers_refuse_an_honest_bomb_before_decompressing() {
        let budget = Budget::default();
        assert!(matches!(
            annonce(1 << 30, 1 << 20, &budget),
            Err(Refus::Taux(1024))
        ));
        assert!(matches!(
            annonce(1 << 30, 100 << 20, &budget),
            Err(Refus::Taille(_))
        ));
        assert!(matches!(
            annonce(200 << 20, 1 << 20, &budget),
            Err(Refus::Taux(200))
        ));
        assert!(annonce(50 << 20, 10 << 20, &budget).is_ok());
        assert!(
            Refus::Taux(1000)
                .en_francais()
                .contains("plus de 1000 fois sa taille compressée")
        );
    }
}
