//! The open-data files built from the whole registry (IATI, registry zips), kept on disk next
//! to the database and rebuilt in the background after the data changed: building one takes
//! seconds on a national-scale registry, so a request never waits for it while a previous
//! version exists — it gets that version at once, with its date, and the rebuild starts.
//!
//! One rebuild at a time per file, within the site's bound on heavy work ([`Limite`]); the
//! writes that land during a rebuild cause one more at most (coalescing). Only when a file has
//! never been built (a new site) does a request wait for it, within [`ATTENTE`].
//!
//! A file is `<db>.donnees/<nom>.<generation>.<mise à jour>`: written to a temporary name in
//! that directory, synced, then renamed, so a name that matches is always a whole file, and
//! the data it describes are in its name — a restart serves it at once, and never as current
//! when the data moved. The directory is inside the database's own, the one directory the site
//! must be able to write (SQLite keeps its `-wal` and `-shm` files there).

use std::fs::File;
use std::io::Seek;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use rusqlite::Connection;
use time::OffsetDateTime;
use tokio::sync::watch;

use super::calculs::{ATTENTE, Limite};
use super::{AppState, WebError};
use crate::store;

/// A file the site prepares: its download name and how to write it from one snapshot.
pub struct Sorte {
    pub nom: &'static str,
    pub ecrire: fn(&Connection, &mut File) -> Result<(), WebError>,
}

/// Which state of the data a file describes: the generation (`meta.generation`) and when it
/// last moved, read in the snapshot the file is built from. Both are compared, so that a
/// database restored from a backup never gets a file of the one it replaced as current.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Donnees {
    pub generation: u64,
    pub mise_a_jour: Option<OffsetDateTime>,
}

impl Donnees {
    pub fn lire(conn: &Connection) -> store::Result<Donnees> {
        Ok(Donnees {
            generation: store::apercu::generation(conn)?,
            // to the second: the file's name keeps no more
            mise_a_jour: store::apercu::mise_a_jour(conn)?
                .map(|m| m.replace_nanosecond(0).unwrap_or(m)),
        })
    }

    /// The end of a file's name: `.<generation>.<unix seconds, or - when unknown>`.
    fn suffixe(&self) -> String {
        match self.mise_a_jour {
            Some(m) => format!(".{}.{}", self.generation, m.unix_timestamp()),
            None => format!(".{}.-", self.generation),
        }
    }

    fn depuis_suffixe(suffixe: &str) -> Option<Donnees> {
        let (generation, mise_a_jour) = suffixe.strip_prefix('.')?.split_once('.')?;
        Some(Donnees {
            generation: generation.parse().ok()?,
            mise_a_jour: match mise_a_jour {
                "-" => None,
                secondes => Some(OffsetDateTime::from_unix_timestamp(secondes.parse().ok()?).ok()?),
            },
        })
    }
}

/// One built file.
struct Version {
    donnees: Donnees,
    chemin: PathBuf,
    taille: u64,
}

/// What a file's state is, shared by its requests and its rebuild.
#[derive(Default)]
struct Etat {
    /// The latest file built, current or not.
    version: Option<Arc<Version>>,
    /// The data had nothing to publish (an IATI file without any activity): the French
    /// message of the 404, for these data.
    vide: Option<(Donnees, String)>,
    /// The last rebuild failed (logged); a request waiting for a first version gets a 500.
    echec: bool,
    /// A rebuild is under way (its task loops while newer data are asked for).
    en_cours: bool,
    /// The newest generation a request asked for since the rebuild under way started.
    voulue: Option<u64>,
    /// Rebuilds finished since the site started (the `Benkan-Preparations` header).
    preparations: u64,
}

struct Fichier {
    sorte: &'static Sorte,
    etat: Mutex<Etat>,
    /// Moves when a rebuild ends, waking the requests that wait for a first version.
    fini: watch::Sender<u64>,
}

impl Fichier {
    /// The state; a panic while it was held leaves it usable, since every change to it is
    /// complete.
    fn verrou(&self) -> MutexGuard<'_, Etat> {
        match self.etat.lock() {
            Ok(e) => e,
            Err(empoisonne) => empoisonne.into_inner(),
        }
    }
}

/// A download ready to stream: its own handle on the file and what it describes.
pub struct Servi {
    pub fichier: File,
    pub taille: u64,
    pub donnees: Donnees,
    /// `false`: the data changed since, a newer file is being prepared.
    pub a_jour: bool,
    pub preparations: u64,
}

/// What the open-data page says of a file, without waiting for anything.
pub struct Vue {
    pub taille: u64,
    pub donnees: Donnees,
    pub a_jour: bool,
}

/// Every prepared file of the site.
pub struct Preparations {
    dossier: PathBuf,
    fichiers: Vec<Arc<Fichier>>,
}

/// Marks the files being written, so that a start after a crash removes them.
const TEMPORAIRE: &str = ".en-cours-";

impl Preparations {
    /// The files of the database at `base`, taking up those built by an earlier run when
    /// they describe the data `actuelles` or an older state of them.
    pub fn new(base: &Path, sortes: &'static [Sorte], actuelles: Donnees) -> Preparations {
        let mut dossier = base.as_os_str().to_owned();
        dossier.push(".donnees");
        let dossier = PathBuf::from(dossier);
        let mut trouves: Vec<(String, PathBuf)> = Vec::new();
        if let Ok(entrees) = std::fs::read_dir(&dossier) {
            for entree in entrees.flatten() {
                let nom = entree.file_name().to_string_lossy().into_owned();
                trouves.push((nom, entree.path()));
            }
        }
        let mut garder: Vec<PathBuf> = Vec::new();
        let fichiers = sortes
            .iter()
            .map(|sorte| {
                let version = trouves
                    .iter()
                    .filter_map(|(nom, chemin)| {
                        let donnees = Donnees::depuis_suffixe(nom.strip_prefix(sorte.nom)?)?;
                        let taille = std::fs::metadata(chemin).ok()?.len();
                        Some(Version {
                            donnees,
                            chemin: chemin.clone(),
                            taille,
                        })
                    })
                    .filter(|v| {
                        v.donnees.generation < actuelles.generation || v.donnees == actuelles
                    })
                    .max_by_key(|v| v.donnees.generation);
                garder.extend(version.iter().map(|v| v.chemin.clone()));
                Arc::new(Fichier {
                    sorte,
                    etat: Mutex::new(Etat {
                        version: version.map(Arc::new),
                        ..Etat::default()
                    }),
                    fini: watch::Sender::new(0),
                })
            })
            .collect();
        for (_, chemin) in trouves.iter().filter(|(_, c)| !garder.contains(c)) {
            if let Err(e) = std::fs::remove_file(chemin) {
                tracing::warn!("{} : {e}", chemin.display());
            }
        }
        Preparations { dossier, fichiers }
    }

    fn fichier(&self, nom: &str) -> Result<&Arc<Fichier>, WebError> {
        self.fichiers
            .iter()
            .find(|f| f.sorte.nom == nom)
            .ok_or_else(|| WebError::Interne(format!("{nom} : fichier inconnu")))
    }

    /// The file `nom` for the data as they are now: the current one, else the previous one
    /// at once while a rebuild starts, else (never built) the first one, waited for.
    pub async fn obtenir(&self, etat: &AppState, nom: &str) -> Result<Servi, WebError> {
        let actuelles = etat.lire(|conn| Ok(Donnees::lire(conn)?)).await?;
        let fichier = self.fichier(nom)?;
        let mut fini = fichier.fini.subscribe();
        let debut = Instant::now();
        let mut attendu = false;
        loop {
            {
                let mut e = fichier.verrou();
                if let Some(v) = e.version.clone() {
                    // a rebuild that read newer data than this request is as good
                    let a_jour =
                        v.donnees == actuelles || v.donnees.generation > actuelles.generation;
                    match File::open(&v.chemin) {
                        Ok(f) => {
                            if !a_jour {
                                self.lancer(&mut e, fichier, etat, actuelles.generation);
                            }
                            return Ok(Servi {
                                fichier: f,
                                taille: v.taille,
                                donnees: v.donnees,
                                a_jour,
                                preparations: e.preparations,
                            });
                        }
                        Err(erreur) => {
                            // removed by hand: build it again
                            tracing::warn!("{} : {erreur}", v.chemin.display());
                            e.version = None;
                        }
                    }
                }
                if let Some((donnees, message)) = &e.vide
                    && (donnees.generation >= actuelles.generation)
                {
                    return Err(WebError::Introuvable(message.clone()));
                }
                if attendu && e.echec && !e.en_cours {
                    return Err(WebError::Interne(format!(
                        "{nom} : la préparation a échoué"
                    )));
                }
                self.lancer(&mut e, fichier, etat, actuelles.generation);
            }
            let reste = ATTENTE.saturating_sub(debut.elapsed());
            match tokio::time::timeout(reste, fini.changed()).await {
                Ok(Ok(())) => attendu = true,
                Ok(Err(e)) => return Err(WebError::Interne(e.to_string())),
                Err(_) => {
                    return Err(WebError::EnPreparation(format!(
                        "Le fichier {nom} n'a encore jamais été préparé sur ce site : sa \
                         préparation est en cours et peut prendre une minute pour un registre \
                         national. Rien n'est perdu : réessayez dans une minute."
                    )));
                }
            }
        }
    }

    /// What the page shows of `nom`: the file at hand, if any, and whether it describes the
    /// data `actuelles`; a previous one starts its rebuild, since a download is likely next.
    pub fn vue(&self, etat: &AppState, nom: &str, actuelles: Donnees) -> Option<Vue> {
        let fichier = self.fichier(nom).ok()?;
        let mut e = fichier.verrou();
        let v = e.version.clone()?;
        let a_jour = v.donnees == actuelles || v.donnees.generation > actuelles.generation;
        if !a_jour {
            self.lancer(&mut e, fichier, etat, actuelles.generation);
        }
        Some(Vue {
            taille: v.taille,
            donnees: v.donnees,
            a_jour,
        })
    }

    /// Asks for the file at `generation`: starts its rebuild unless one is under way, which
    /// will then run once more.
    fn lancer(&self, e: &mut Etat, fichier: &Arc<Fichier>, etat: &AppState, generation: u64) {
        e.voulue = e.voulue.max(Some(generation));
        if !e.en_cours {
            e.en_cours = true;
            tokio::spawn(reconstruire(
                fichier.clone(),
                etat.clone(),
                etat.limite.clone(),
                self.dossier.clone(),
            ));
        }
    }
}

/// What one rebuild gave.
enum Prepare {
    Fichier(Version),
    Vide(Donnees, String),
}

/// Rebuilds `fichier` until no newer data were asked for during the last rebuild.
async fn reconstruire(fichier: Arc<Fichier>, etat: AppState, limite: Limite, dossier: PathBuf) {
    loop {
        fichier.verrou().voulue = None;
        let resultat = match limite.tour().await {
            Ok(_tour) => {
                let (sorte, dossier) = (fichier.sorte, dossier.clone());
                etat.lire(move |conn| preparer(conn, sorte, &dossier)).await
            }
            Err(e) => Err(e),
        };
        let encore = {
            let mut e = fichier.verrou();
            e.preparations += 1;
            let construite = match resultat {
                Ok(Prepare::Fichier(v)) => {
                    let g = v.donnees.generation;
                    if let Some(ancienne) = e.version.replace(Arc::new(v))
                        && e.version
                            .as_ref()
                            .is_some_and(|v| v.chemin != ancienne.chemin)
                    {
                        supprimer(&ancienne.chemin);
                    }
                    (e.vide, e.echec) = (None, false);
                    Some(g)
                }
                Ok(Prepare::Vide(donnees, message)) => {
                    if let Some(ancienne) = e.version.take() {
                        supprimer(&ancienne.chemin);
                    }
                    (e.vide, e.echec) = (Some((donnees, message)), false);
                    Some(donnees.generation)
                }
                Err(erreur) => {
                    tracing::error!("préparation de {} : {erreur:?}", fichier.sorte.nom);
                    e.echec = true;
                    None
                }
            };
            let encore = construite.is_some_and(|g| e.voulue.is_some_and(|v| v > g));
            e.en_cours = encore;
            encore
        };
        fichier.fini.send_modify(|n| *n += 1);
        if !encore {
            return;
        }
    }
}

/// Writes `sorte` from the snapshot of `conn` into `dossier`, under a temporary name renamed
/// once whole and on disk.
fn preparer(conn: &Connection, sorte: &Sorte, dossier: &Path) -> Result<Prepare, WebError> {
    let interne = |e: std::io::Error| WebError::Interne(format!("{} : {e}", sorte.nom));
    let donnees = Donnees::lire(conn)?;
    std::fs::create_dir_all(dossier).map_err(interne)?;
    let mut temporaire = tempfile::Builder::new()
        .prefix(TEMPORAIRE)
        .tempfile_in(dossier)
        .map_err(interne)?;
    match (sorte.ecrire)(conn, temporaire.as_file_mut()) {
        Ok(()) => {}
        Err(WebError::Introuvable(message)) => return Ok(Prepare::Vide(donnees, message)),
        Err(autre) => return Err(autre),
    }
    let taille = temporaire
        .as_file_mut()
        .stream_position()
        .map_err(interne)?;
    temporaire.as_file().sync_all().map_err(interne)?;
    let chemin = dossier.join(format!("{}{}", sorte.nom, donnees.suffixe()));
    temporaire.persist(&chemin).map_err(|e| interne(e.error))?;
    Ok(Prepare::Fichier(Version {
        donnees,
        chemin,
        taille,
    }))
}

/// Removes a replaced file; a download streaming it keeps reading its own handle.
fn supprimer(chemin: &Path) {
    if let Err(e) = std::fs::remove_file(chemin) {
        tracing::warn!("{} : {e}", chemin.display());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_says_which_data_and_nothing_else_matches() {
        let d = Donnees {
            generation: 42,
            mise_a_jour: Some(OffsetDateTime::from_unix_timestamp(1_764_590_580).unwrap()),
        };
        assert_eq!(d.suffixe(), ".42.1764590580");
        assert_eq!(Donnees::depuis_suffixe(&d.suffixe()), Some(d));
        let inconnue = Donnees {
            generation: 3,
            mise_a_jour: None,
        };
        assert_eq!(Donnees::depuis_suffixe(&inconnue.suffixe()), Some(inconnue));
        for autre in ["", ".42", ".x.1", ".42.1764590580.zip", "-excel.zip.4.5"] {
            assert_eq!(Donnees::depuis_suffixe(autre), None, "{autre}");
        }
    }

    #[test]
    fn a_start_takes_up_the_newest_whole_file_of_these_data_and_removes_the_rest() {
        fn rien(_: &Connection, _: &mut File) -> Result<(), WebError> {
            Ok(())
        }
        static SORTES: [Sorte; 2] = [
            Sorte {
                nom: "a.zip",
                ecrire: rien,
            },
            Sorte {
                nom: "b.xml",
                ecrire: rien,
            },
        ];
        let racine = tempfile::tempdir().unwrap();
        let base = racine.path().join("s.db");
        let dossier = racine.path().join("s.db.donnees");
        std::fs::create_dir(&dossier).unwrap();
        for nom in [
            "a.zip.3.-",
            "a.zip.5.-",
            ".en-cours-x1y2",
            "b.xml.9.-",
            "b.xml.7.100",
        ] {
            std::fs::write(dossier.join(nom), nom).unwrap();
        }
        let actuelles = Donnees {
            generation: 7,
            mise_a_jour: None,
        };
        let p = Preparations::new(&base, &SORTES, actuelles);
        let version = |i: usize| {
            p.fichiers[i]
                .verrou()
                .version
                .as_ref()
                .map(|v| (v.donnees, v.taille))
        };
        assert_eq!(
            version(0),
            Some((
                Donnees {
                    generation: 5,
                    mise_a_jour: None
                },
                9
            )),
            "the newest of older data: served as previous"
        );
        assert_eq!(
            version(1),
            None,
            "newer than the database (a restored backup), or the same generation with \
             another date: never served"
        );
        let mut restants: Vec<_> = std::fs::read_dir(&dossier)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        restants.sort();
        assert_eq!(restants, ["a.zip.5.-"]);
    }
}
