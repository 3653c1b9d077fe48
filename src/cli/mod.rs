//! The `benkan` command line: thin commands over the library, French messages, and the one
//! place where errors become exit statuses.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{ArgAction, Args, Parser, Subcommand};

use crate::store::{Store, StoreError, VERSION_SCHEMA};
use crate::{demo, web};

/// clap's help, with French headings.
const GABARIT_AIDE: &str = "{about-with-newline}\nUtilisation : {usage}\n\n{all-args}{after-help}";

#[derive(Parser)]
#[command(
    name = "benkan",
    version,
    about = "Registre et observatoire de la coopération décentralisée au Mali",
    long_about = "Registre et observatoire de la coopération décentralisée au Mali.\n\n\
                  Sans réglage, benkan utilise la base ./benkan.db (variable BENKAN_DB) et \
                  la crée au besoin.",
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true,
    subcommand_help_heading = "Commandes",
    subcommand_value_name = "COMMANDE",
    help_template = GABARIT_AIDE
)]
struct Cli {
    #[command(subcommand)]
    commande: Commande,
    /// Affiche l'aide
    #[arg(short, long, action = ArgAction::Help, global = true)]
    help: Option<bool>,
    /// Affiche la version
    #[arg(short = 'V', long, action = ArgAction::Version)]
    version: Option<bool>,
}

#[derive(Subcommand)]
enum Commande {
    /// Crée la base de données ou la met à niveau, et charge au besoin les données de démonstration
    #[command(
        help_template = GABARIT_AIDE,
        after_help = "Exemple :\n  benkan init --db /srv/benkan/benkan.db --demo"
    )]
    Init {
        #[command(flatten)]
        base: OptionBase,
        /// Charge les neuf partenariats cités par le document fondateur, marqués comme données de démonstration
        #[arg(long)]
        demo: bool,
    },
    /// Lance le site web ; une base absente est créée avec les données de démonstration
    #[command(
        help_template = GABARIT_AIDE,
        after_help = "Exemple :\n  benkan serve --addr 0.0.0.0:8080\n\nArrêt propre avec Ctrl-C."
    )]
    Serve {
        #[command(flatten)]
        base: OptionBase,
        /// Adresse et port d'écoute (port 0 : un port libre, affiché au démarrage)
        #[arg(
            long,
            env = "BENKAN_ADDR",
            default_value = "127.0.0.1:8080",
            value_name = "ADRESSE:PORT"
        )]
        addr: SocketAddr,
    },
}

#[derive(Args)]
struct OptionBase {
    /// Fichier de la base SQLite
    #[arg(
        long = "db",
        env = "BENKAN_DB",
        default_value = "benkan.db",
        value_name = "CHEMIN"
    )]
    db: PathBuf,
}

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
enum ErreurCli {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(
        "impossible d'écouter sur {addr} : {source} (le port est-il déjà pris ? essayez --addr 127.0.0.1:8081)"
    )]
    Ecoute {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("le serveur s'est arrêté : {0}")]
    Serveur(std::io::Error),
}

/// Runs the command line and returns the process's exit status: 0 on success, 1 when the
/// command failed, 2 for a usage error (clap's own).
pub fn executer() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(tracing::Level::INFO)
        .with_target(false)
        .init();
    let resultat = match cli.commande {
        Commande::Init { base, demo } => init(&base.db, demo),
        Commande::Serve { base, addr } => serve(&base.db, addr),
    };
    match resultat {
        Ok(()) => ExitCode::SUCCESS,
        Err(erreur) => {
            eprintln!("benkan : erreur : {erreur}");
            ExitCode::FAILURE
        }
    }
}

fn init(chemin: &Path, avec_demo: bool) -> Result<(), ErreurCli> {
    ouvrir(chemin, avec_demo)?;
    Ok(())
}

/// Opens (creating or upgrading) the database and loads the demonstration data if asked.
fn ouvrir(chemin: &Path, avec_demo: bool) -> Result<Store, ErreurCli> {
    let store = Store::ouvrir(chemin)?;
    println!(
        "Base prête : {} (schéma {VERSION_SCHEMA}).",
        chemin.display()
    );
    if avec_demo {
        let rapport = demo::charger(&*store.connexion()?)?;
        println!(
            "Données de démonstration : {} partenariat(s) et {} collectivité(s) ajoutés.",
            rapport.partenariats_crees, rapport.collectivites_creees
        );
    }
    Ok(store)
}

fn serve(chemin: &Path, addr: SocketAddr) -> Result<(), ErreurCli> {
    // A first run shows a populated site rather than an empty one.
    let store = ouvrir(chemin, !chemin.exists())?;
    let runtime = tokio::runtime::Runtime::new().map_err(ErreurCli::Serveur)?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| ErreurCli::Ecoute { addr, source })?;
        let local = listener.local_addr().map_err(ErreurCli::Serveur)?;
        println!(
            "benkan écoute sur http://{local}/ (base {}). Ctrl-C pour arrêter.",
            chemin.display()
        );
        web::servir(listener, store, async {
            // If the signal cannot be installed, the server simply runs until killed.
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
        })
        .await
        .map_err(ErreurCli::Serveur)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }
}
