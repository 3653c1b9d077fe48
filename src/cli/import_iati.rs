//! `benkan import iati`: reads IATI activity files into the « autres interventions », with a
//! progress bar on a terminal.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use clap::Args;

use super::{ErreurCli, ouvrir_existante};
use crate::interop::iati_import::{self, Avancement, RapportImport};
use crate::model::{MethodeLien, MotifNonLie};
use crate::referentiel;

/// The arguments of `benkan import iati`.
#[derive(Args)]
pub struct ArgsIati {
    /// Fichiers IATI (activités, versions 2.01 à 2.03) à lire
    #[arg(value_name = "FICHIER.xml", required = true)]
    fichiers: Vec<PathBuf>,
}

pub fn executer(chemin: &Path, args: ArgsIati) -> Result<(), ErreurCli> {
    let store = ouvrir_existante(chemin)?;
    let conn = store.connexion()?;
    let resolveur = referentiel::resolveur(&conn)?;
    let mut barre = Barre::new();
    let resultat = iati_import::importer(&conn, &resolveur, &args.fichiers, &mut |a| {
        barre.afficher(a)
    });
    barre.effacer();
    let rapport = resultat.map_err(|e| ErreurCli::Import(e.to_string()))?;
    println!("{}", resume(&rapport));
    Ok(())
}

/// The final summary, in French. The places are accounted for one by one: the lines under
/// « lieux lus » add up to it.
fn resume(r: &RapportImport) -> String {
    let mut texte = format!(
        "Import IATI : {} fichier(s), {} activité(s) lue(s).\n\
         \x20 importées : {}\n\
         \x20 mises à jour : {}\n\
         \x20 inchangées : {}\n\
         \x20 ignorées, hors Mali : {}\n\
         \x20 ignorées, sans iati-identifier : {}\n\
         \x20 lieux lus (<location>) : {}\n",
        r.fichiers,
        r.activites,
        r.importees,
        r.mises_a_jour,
        r.inchangees,
        r.hors_mali,
        r.sans_identifiant,
        r.lieux_lus,
    );
    texte += &format!(
        "    liés à une collectivité malienne : {}\n",
        r.total_lies()
    );
    for m in MethodeLien::TOUTES {
        texte += &format!("      par {} : {}\n", m.libelle(), r.lies(m));
    }
    texte += &format!("    non liés : {}\n", r.total_non_lies());
    for m in MotifNonLie::TOUS {
        texte += &format!("      {} : {}\n", m.libelle(), r.non_lies(m));
    }
    texte += &format!(
        "    dans des activités ignorées : {}\n\
         \x20 transactions illisibles (valeur ou devise) : {}\n\
         \x20 valeurs ou dates de résultats illisibles, laissées de côté : {}",
        r.lieux_ignores, r.transactions_illisibles, r.valeurs_resultats_illisibles
    );
    for s in &r.signalements {
        texte += &format!("\n    {}, ligne {} : {}", s.fichier, s.ligne, s.message);
    }
    let non_listes = r.valeurs_resultats_illisibles - r.signalements.len() as u64;
    if non_listes > 0 {
        texte += &format!("\n    … et {non_listes} autre(s)");
    }
    texte += &format!(
        "\n  caractères de contrôle invisibles retirés des textes lus : {}",
        r.caracteres_retires
    );
    texte
}

/// A one-line progress bar on standard error, only when it is a terminal, redrawn at most
/// ten times a second.
struct Barre {
    actif: bool,
    dernier: Option<Instant>,
}

impl Barre {
    fn new() -> Barre {
        Barre {
            actif: std::io::stderr().is_terminal(),
            dernier: None,
        }
    }

    fn afficher(&mut self, a: Avancement<'_>) {
        if !self.actif
            || self
                .dernier
                .is_some_and(|d| d.elapsed() < Duration::from_millis(100))
        {
            return;
        }
        self.dernier = Some(Instant::now());
        let part = if a.taille == 0 {
            1.0
        } else {
            (a.octets_lus as f64 / a.taille as f64).min(1.0)
        };
        const LARGEUR: usize = 30;
        let plein = (part * LARGEUR as f64) as usize;
        let nom = a
            .fichier
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mo = |octets: u64| format!("{:.1}", octets as f64 / 1e6).replace('.', ",");
        let mut sortie = std::io::stderr().lock();
        let _ = write!(
            sortie,
            "\r{nom} [{}{}] {:>3} % — {} / {} Mo — {} activités",
            "#".repeat(plein),
            " ".repeat(LARGEUR - plein),
            (part * 100.0) as u32,
            mo(a.octets_lus),
            mo(a.taille),
            a.activites
        );
        let _ = sortie.flush();
    }

    /// Clears the bar before the summary or the error message.
    fn effacer(&mut self) {
        if self.actif && self.dernier.is_some() {
            let _ = write!(std::io::stderr(), "\r\x1b[2K");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interop::iati_import::Signalement;

    #[test]
    fn the_summary_names_every_count() {
        let texte = resume(&RapportImport {
            fichiers: 2,
            activites: 10,
            importees: 3,
            mises_a_jour: 1,
            inchangees: 2,
            hors_mali: 5,
            sans_identifiant: 1,
            lieux_lus: 26,
            lieux_lies: [1, 2, 3, 4],
            lieux_non_lies: [5, 6, 0, 0, 2],
            lieux_ignores: 3,
            transactions_illisibles: 0,
            valeurs_resultats_illisibles: 3,
            signalements: vec![Signalement {
                fichier: "bm.xml".into(),
                ligne: 42,
                message: "la cible « 50% » d'un résultat n'est pas un nombre : laissée de côté"
                    .into(),
            }],
            caracteres_retires: 7,
        });
        assert!(texte.starts_with("Import IATI : 2 fichier(s), 10 activité(s) lue(s)."));
        assert!(texte.contains("  importées : 3\n"));
        assert!(texte.contains("  inchangées : 2\n"));
        assert!(texte.contains("  ignorées, hors Mali : 5\n"));
        assert!(texte.contains("  lieux lus (<location>) : 26\n"));
        assert!(texte.contains("    liés à une collectivité malienne : 10\n"));
        assert!(texte.contains("      par code administratif : 1\n"));
        assert!(texte.contains("      par liste de noms : 3\n"));
        assert!(texte.contains("      par point : 4\n"));
        assert!(texte.contains("    non liés : 13\n"));
        assert!(texte.contains("      le Mali entier (nom ou point du pays) : 5\n"));
        assert!(texte.contains("      hors du Mali : 6\n"));
        assert!(texte.contains("      vide ou illisible : 2\n"));
        assert!(texte.contains("    dans des activités ignorées : 3\n"));
        assert!(texte.contains(
            "  valeurs ou dates de résultats illisibles, laissées de côté : 3\n    \
             bm.xml, ligne 42 : la cible « 50% » d'un résultat n'est pas un nombre : laissée de côté\n    \
             … et 2 autre(s)\n"
        ));
        assert!(texte.ends_with("  caractères de contrôle invisibles retirés des textes lus : 7"));
    }
}
