//! `benkan export csv` and `benkan import csv`: the registry as CSV files, both ways.

use std::path::{Path, PathBuf};

use clap::Args;

use super::{ErreurCli, GABARIT_AIDE, ouvrir_existante};
use crate::interop::csv::{self, ErreurImport, Perimetre, Variante};
use crate::store::Store;

/// The options of `benkan export csv`.
#[derive(Args)]
#[command(
    help_template = GABARIT_AIDE,
    after_help = "Exemples :\n  benkan export csv --out registre/\n  benkan export csv --out registre.zip --excel-fr\n\n\
                  Un fichier par table (collectivites, acteurs, partenariats, etapes, conventions, intermediaires,\n\
                  pdesc, actions, financements, resultats, mesures), tout le registre y compris les fiches en\n\
                  attente et archivées ;\n\
                  avec --public, les seules fiches publiées (celles de la page /donnees).\n\
                  Colonnes décrites dans docs/formats.md."
)]
pub struct ExportCsv {
    /// Dossier à remplir, ou fichier .zip à écrire
    #[arg(long, value_name = "DOSSIER|FICHIER.zip")]
    pub out: PathBuf,
    /// Pour Excel en français : séparateur « ; », marque d'ordre des octets (BOM), virgule décimale
    #[arg(long)]
    pub excel_fr: bool,
    /// Les seules fiches publiées, sans les colonnes de la validation (les données ouvertes)
    #[arg(long)]
    pub public: bool,
}

/// The options of `benkan import csv`.
#[derive(Args)]
#[command(
    help_template = GABARIT_AIDE,
    after_help = "Exemples :\n  benkan import csv --dry-run registre.zip\n  benkan import csv partenariats.csv actions.csv\n\n\
                  Tout ou rien : à la moindre erreur, rien n'est écrit et toutes les erreurs sont listées\n\
                  (statut de sortie 1). Réimporter les mêmes fichiers ne change rien."
)]
pub struct ImportCsv {
    /// Vérifie et compte ce qui serait créé ou modifié, sans rien écrire
    #[arg(long)]
    pub dry_run: bool,
    /// Fichiers .csv, dossiers de fichiers .csv ou archives .zip
    #[arg(value_name = "CHEMIN", required = true)]
    pub chemins: Vec<PathBuf>,
}

pub fn exporter(store: &Store, options: ExportCsv) -> Result<(), ErreurCli> {
    let variante = if options.excel_fr {
        Variante::ExcelFr
    } else {
        Variante::Utf8
    };
    let perimetre = if options.public {
        Perimetre::Public
    } else {
        Perimetre::Registre
    };
    let rapport = csv::exporter(&*store.connexion()?, &options.out, variante, perimetre)
        .map_err(|e| ErreurCli::Sortie(e.to_string()))?;
    let detail: Vec<String> = rapport
        .lignes
        .iter()
        .map(|(table, n)| format!("{} {n}", table.nom()))
        .collect();
    eprintln!(
        "{} : export CSV écrit ({}).",
        options.out.display(),
        detail.join(", ")
    );
    Ok(())
}

pub fn importer(base: &Path, options: ImportCsv) -> Result<(), ErreurCli> {
    let store = ouvrir_existante(base)?;
    let rapport = match csv::importer(&*store.connexion()?, &options.chemins, options.dry_run) {
        Ok(rapport) => rapport,
        Err(ErreurImport::Lecture { chemin, message }) if !Path::new(&chemin).exists() => {
            return Err(ErreurCli::Usage(format!("{chemin} : {message}")));
        }
        Err(e) => return Err(ErreurCli::Import(e.to_string())),
    };
    let mut texte = String::from(if rapport.essai {
        "Essai (--dry-run) : rien n'a été écrit. Ce que l'import ferait :\n"
    } else {
        "Import CSV terminé :\n"
    });
    for (table, compte) in &rapport.tables {
        texte.push_str(&format!(
            "  {:<15} {} créé(s), {} modifié(s), {} inchangé(s)\n",
            table.nom(),
            compte.crees,
            compte.modifies,
            compte.inchanges
        ));
    }
    super::afficher(texte.trim_end())
}
