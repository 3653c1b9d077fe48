//! The `benkan` command line: thin commands over the library, French messages, and the one
//! place where errors become exit statuses.

mod comptes;
mod courriel;
mod echange;
mod exploitation;
mod import_iati;
mod sortie;

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{ArgAction, Args, CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::interop::en_francais;
use crate::model::Pays;
use crate::observatoire::{self, rendu};
use crate::referentiel::{self, ErreurReferentiel, Portee, Requete};
use crate::store::{Store, StoreError, VERSION_SCHEMA};
use crate::{demo, web};

/// clap's help, with French headings.
const GABARIT_AIDE: &str = "{about-with-newline}\nUtilisation : {usage}\n\n{all-args}{after-help}";

/// Gives every command of `commande` French headings. clap writes « Commands: »,
/// « Arguments: », « Options: » and « [default: …] » itself: every heading is set here (clap
/// adds the colon, so the trailing space gives « Options : »), and defaults, variables and
/// accepted values are said in each help text instead of clap's English brackets.
fn aide_francaise(mut commande: clap::Command) -> clap::Command {
    if commande.get_subcommand_help_heading().is_none() {
        commande = commande.subcommand_help_heading("Commandes ");
    }
    if commande.get_subcommand_value_name().is_none() {
        commande = commande.subcommand_value_name("COMMANDE");
    }
    commande
        .help_template(GABARIT_AIDE)
        .disable_help_subcommand(true)
        .mut_args(|argument| {
            let titre = if argument.is_positional() {
                "Arguments "
            } else {
                "Options "
            };
            let valeurs = argument.get_action().takes_values();
            argument
                .help_heading(titre)
                .hide_env(true)
                .hide_default_value(valeurs)
                .hide_possible_values(valeurs)
        })
        .mut_subcommands(aide_francaise)
}

/// A usage error in French (clap's own are English), with the usage line: exit status 2.
/// Help and version are printed as asked, with status 0.
fn erreur_d_usage(erreur: clap::Error) -> ExitCode {
    use clap::error::{ContextKind, ErrorKind};
    match erreur.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = erreur.print();
            return ExitCode::SUCCESS;
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = erreur.print();
            return ExitCode::from(2);
        }
        _ => {}
    }
    let contexte = |cle| erreur.get(cle).map(|v| v.to_string()).unwrap_or_default();
    let argument = contexte(ContextKind::InvalidArg);
    let valeur = contexte(ContextKind::InvalidValue);
    let mut message = match erreur.kind() {
        ErrorKind::InvalidSubcommand => {
            format!(
                "« {} » n'est pas une commande de benkan",
                contexte(ContextKind::InvalidSubcommand)
            )
        }
        ErrorKind::UnknownArgument => {
            format!("« {argument} » n'est pas une option de cette commande")
        }
        ErrorKind::InvalidValue if valeur.is_empty() => format!("{argument} attend une valeur"),
        ErrorKind::InvalidValue => format!(
            "« {valeur} » n'est pas une valeur admise pour {argument} ; valeurs admises : {}",
            contexte(ContextKind::ValidValue)
        ),
        ErrorKind::ValueValidation => match std::error::Error::source(&erreur) {
            Some(cause) => format!("{argument} : {cause}"),
            None => format!("« {valeur} » n'est pas une valeur admise pour {argument}"),
        },
        ErrorKind::MissingRequiredArgument => format!("il manque {argument}"),
        ErrorKind::MissingSubcommand => "il manque la commande".to_owned(),
        ErrorKind::ArgumentConflict => format!(
            "{argument} ne peut pas être donné avec {}",
            contexte(ContextKind::PriorArg)
        ),
        ErrorKind::NoEquals
        | ErrorKind::TooManyValues
        | ErrorKind::TooFewValues
        | ErrorKind::WrongNumberOfValues => {
            format!("nombre de valeurs incorrect pour {argument}")
        }
        ErrorKind::InvalidUtf8 => "un argument n'est pas un texte UTF-8 valable".to_owned(),
        _ => "ligne de commande incorrecte".to_owned(),
    };
    for cle in [ContextKind::SuggestedSubcommand, ContextKind::SuggestedArg] {
        let suggestion = contexte(cle);
        if !suggestion.is_empty() {
            message.push_str(&format!(" (peut-être : {suggestion})"));
        }
    }
    let utilisation = contexte(ContextKind::Usage);
    let utilisation = utilisation.trim().trim_start_matches("Usage:").trim();
    eprintln!("benkan : demande incorrecte : {message}\n");
    if !utilisation.is_empty() {
        eprintln!("Utilisation : {utilisation}\n");
    }
    eprintln!("L'aide : benkan --help, ou benkan COMMANDE --help.");
    ExitCode::from(2)
}

#[derive(Parser)]
#[command(
    name = "benkan",
    version,
    about = "Registre et observatoire de la coopération décentralisée au Mali",
    long_about = "Registre et observatoire de la coopération décentralisée au Mali.\n\n\
                  Sans réglage, benkan utilise la base ./benkan.db (variable BENKAN_DB). \
                  Seuls init et le premier serve la créent ; les autres commandes veulent une \
                  base existante, et report, export, resolve et verifier la lisent sans \
                  l'écrire.",
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true,
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
    /// Forme du journal écrit sur la sortie d'erreur : texte (par défaut, une ligne lisible par événement) ou json (un objet JSON par ligne, pour un collecteur de journaux ; variable BENKAN_LOG_FORMAT)
    #[arg(
        long,
        global = true,
        value_enum,
        env = "BENKAN_LOG_FORMAT",
        default_value_t = FormatJournal::Texte,
        value_name = "FORMAT"
    )]
    log_format: FormatJournal,
}

/// How the log is written (`--log-format`).
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum FormatJournal {
    Texte,
    Json,
}

#[derive(Subcommand)]
enum Commande {
    /// Crée la base de données ou la met à niveau, et charge au besoin les données de démonstration
    #[command(
        help_template = GABARIT_AIDE,
        after_help = "Exemple :\n  benkan init --db /var/lib/benkan/benkan.db --demo"
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
        /// Adresse et port d'écoute, par exemple 127.0.0.1:8081 (par défaut 127.0.0.1:8080 ; variable BENKAN_ADDR ; port 0 : un port libre, affiché au démarrage)
        #[arg(
            long,
            env = "BENKAN_ADDR",
            default_value = "127.0.0.1:8080",
            value_name = "ADRESSE:PORT",
            value_parser = adresse
        )]
        addr: SocketAddr,
        /// Marque le cookie de session « Secure » : à activer quand le site est servi en HTTPS, derrière un proxy (variable BENKAN_COOKIE_SECURE)
        #[arg(long, env = "BENKAN_COOKIE_SECURE")]
        cookie_securise: bool,
        /// Institution qui exploite le registre, affichée sur les pages « À propos » et « Mentions légales »
        #[arg(long, env = "BENKAN_OPERATEUR", value_name = "NOM", value_parser = reglage("operateur"))]
        operateur: Option<String>,
        /// Adresse e-mail ou postale où écrire à l'exploitant (comptes, mots de passe, données personnelles)
        #[arg(long, env = "BENKAN_CONTACT", value_name = "ADRESSE", value_parser = reglage("contact"))]
        contact: Option<String>,
        /// Jeton qui ouvre /metrics aux demandes venues d'ailleurs que de la machine du serveur (en-tête « Authorization: Bearer JETON ») ; sans lui, seules les demandes locales les lisent. Préférez la variable BENKAN_JETON_METRIQUES : une option se voit dans la liste des processus
        #[arg(long, env = "BENKAN_JETON_METRIQUES", value_name = "JETON", value_parser = jeton_metriques)]
        jeton_metriques: Option<String>,
        /// Adresse IP d'un proxy inverse (Caddy, nginx) sur lequel le site est servi : pour les demandes qu'il relaie, les limites de tentatives de connexion comptent l'adresse du visiteur qu'il écrit en dernier dans X-Forwarded-For. Répétable, ou une liste séparée par des virgules (variable BENKAN_PROXY_DE_CONFIANCE). L'en-tête de tout autre pair est ignoré
        #[arg(
            long = "proxy-de-confiance",
            env = "BENKAN_PROXY_DE_CONFIANCE",
            value_name = "ADRESSE",
            value_delimiter = ',',
            value_parser = adresse_ip
        )]
        proxy_de_confiance: Vec<IpAddr>,
        #[command(flatten)]
        courriel: courriel::OptionsCourriel,
    },
    /// Calcule l'aperçu de la coopération décentralisée à une date : chiffres, tableaux, méthode
    #[command(
        help_template = GABARIT_AIDE,
        after_help = "Exemples :\n  benkan report --format html --out apercu.html\n  \
                      benkan report --date 2020-12-31 --format json\n  benkan report --format csv --out tableaux/\n\n\
                      Le format csv écrit un fichier par tableau dans le dossier --out."
    )]
    Report {
        #[command(flatten)]
        base: OptionBase,
        /// Date à laquelle lire les données (AAAA-MM-JJ ; par défaut aujourd'hui)
        #[arg(long, value_name = "AAAA-MM-JJ", value_parser = date)]
        date: Option<time::Date>,
        /// Format : md (par défaut), html (rapport imprimable autonome), json (le contrat machine) ou csv
        #[arg(long, value_enum, default_value_t = FormatRapport::Md)]
        format: FormatRapport,
        /// Fichier à écrire (un dossier pour csv) ; sans lui, la sortie standard
        #[arg(long, value_name = "CHEMIN")]
        out: Option<PathBuf>,
    },
    /// Exporte les données (csv : tout le registre, un fichier par table ; iati : activités IATI 2.03)
    #[command(help_template = GABARIT_AIDE)]
    Export {
        #[command(flatten)]
        base: OptionBase,
        #[command(subcommand)]
        format: FormatExport,
    },
    /// Importe des données dans le registre (csv : les fichiers de « export csv » ou un tableur ; iati : les activités publiées pour le Mali, « autres interventions »)
    #[command(
        help_template = GABARIT_AIDE,
        subcommand_help_heading = "Formats ",
        subcommand_value_name = "FORMAT"
    )]
    Import {
        #[command(flatten)]
        base: OptionBase,
        #[command(subcommand)]
        format: FormatImport,
    },
    /// Gère les comptes de l'espace contributeur : add, list, disable, reset-password, token
    #[command(help_template = GABARIT_AIDE, after_help = "Exemples :\n  \
        echo 'une longue phrase de passe' | benkan user add --email admin@mdat.gouv.ml --role admin_national\n  \
        benkan user add --email maire@kayes.ml --role collectivite --collectivite ML-1-KAYES-KAYES\n  \
        benkan user list")]
    User {
        #[command(flatten)]
        base: OptionBase,
        #[command(subcommand)]
        commande: comptes::CommandeCompte,
    },
    /// Trouve une collectivité, ou une localité du Mali, à partir d'un nom tel qu'on l'écrit, fautes et anciens noms compris
    #[command(
        help_template = GABARIT_AIDE,
        after_help = "Exemples :\n  benkan resolve \"Ille –et vilaine\"\n  benkan resolve Montreuil --country FR --limit 3\n  \
                      benkan resolve \"Région de Kayes\" --json\n  benkan resolve Somadougou --level localite\n\n\
                      Statut de sortie : 0 même sans résultat (le tableau JSON est alors vide), 2 pour une demande mal formée."
    )]
    Resolve {
        #[command(flatten)]
        base: OptionBase,
        /// Le nom à chercher, par exemple « Nord-Pas -de Calais » ou « Commune de Sanankoroba »
        #[arg(value_name = "NOM")]
        texte: String,
        /// Seulement les collectivités de ce pays (code ISO à deux lettres : ML, FR, CA…)
        #[arg(long, value_name = "PAYS", value_parser = pays)]
        country: Option<Pays>,
        /// Seulement ce niveau : region, district, cercle, commune, departement, epci, metropole, niveau_1…, ou localite (les villages du Mali)
        #[arg(long, value_name = "NIVEAU", value_parser = portee)]
        level: Option<Portee>,
        /// Nombre maximal de candidats, de 1 à 100 (par défaut 5)
        #[arg(long, default_value_t = 5, value_name = "N", value_parser = limite)]
        limit: u16,
        /// Écrit un tableau JSON, le meilleur candidat d'abord
        #[arg(long)]
        json: bool,
    },
    /// Copie la base, même pendant que le site tourne et écrit, dans un nouveau fichier vérifié
    #[command(
        help_template = GABARIT_AIDE,
        after_help = "Exemple :\n  benkan sauvegarde --db /var/lib/benkan/benkan.db \\\n    --out /var/lib/benkan/sauvegardes/benkan-$(date +%F).db\n\n\
                      La copie est l'état de la base à un instant (VACUUM INTO de SQLite) ; le site continue \
                      d'écrire pendant ce temps. Elle est écrite sous un nom provisoire dans le dossier de \
                      --out, vérifiée (elle s'ouvre, PRAGMA integrity_check, version du schéma), puis \
                      renommée : un fichier qui porte le nom final est toujours une sauvegarde complète. \
                      Un fichier existant n'est jamais remplacé. Le moment de la sauvegarde est noté dans \
                      la base (lu par /sante).\n\n\
                      Restaurer : voir la section « Sauvegardes » du README."
    )]
    Sauvegarde {
        #[command(flatten)]
        base: OptionBase,
        /// Fichier de la sauvegarde, qui ne doit pas exister ; son dossier doit exister
        #[arg(long, value_name = "FICHIER")]
        out: PathBuf,
    },
    /// Vérifie une base (ou une sauvegarde) : intégrité SQLite, clés étrangères, version du schéma et du référentiel
    #[command(
        help_template = GABARIT_AIDE,
        after_help = "Exemples :\n  benkan verifier --db /var/lib/benkan/benkan.db\n  \
                      benkan verifier --db /var/lib/benkan/sauvegardes/benkan-2026-12-01.db\n\n\
                      La base n'est que lue : on peut vérifier celle que le site sert pendant qu'il tourne.\n\
                      Statut de sortie : 0 pour une base saine, 1 quand une vérification a trouvé un \
                      problème ou que le fichier n'est pas une base."
    )]
    Verifier {
        #[command(flatten)]
        base: OptionBase,
    },
}

/// What `benkan export` writes.
#[derive(Subcommand)]
enum FormatExport {
    /// Tout le registre en CSV, un fichier par table, dans un dossier ou un .zip
    Csv(echange::ExportCsv),
    /// Un fichier IATI 2.03 (activités), valide selon le schéma officiel
    #[command(
        help_template = GABARIT_AIDE,
        after_help = "Exemple :\n  benkan export iati --out benkan-iati.xml --reporting-org XM-EXEMPLE-1 \\\n    --reporting-org-name \"Ministère\" --reporting-org-type 10\n\n\
                      Les actions sans date de début sont laissées de côté (IATI exige une date) et comptées."
    )]
    Iati {
        /// Fichier XML à écrire
        #[arg(long, value_name = "FICHIER")]
        out: PathBuf,
        /// Identifiant IATI de l'organisation qui publie, préfixe de chaque iati-identifier (par défaut BENKAN)
        #[arg(long, default_value = "BENKAN", value_name = "REF")]
        reporting_org: String,
        /// Nom de l'organisation qui publie (par défaut « benkan — registre de la coopération décentralisée au Mali »)
        #[arg(
            long,
            default_value = "benkan — registre de la coopération décentralisée au Mali",
            value_name = "NOM"
        )]
        reporting_org_name: String,
        /// Type IATI de l'organisation qui publie (OrganisationType : 10 gouvernement, par défaut ; 11 collectivité…)
        #[arg(long, default_value = "10", value_parser = type_organisation, value_name = "CODE")]
        reporting_org_type: String,
    },
}

/// What `benkan import` reads.
#[derive(Subcommand)]
enum FormatImport {
    /// Des fichiers CSV (un par table), un dossier ou une archive zip ; tout ou rien
    Csv(echange::ImportCsv),
    /// Des fichiers d'activités IATI 2.01 à 2.03 : les activités pour le Mali deviennent des « autres interventions »
    #[command(
        help_template = GABARIT_AIDE,
        after_help = "Exemple :\n  benkan import iati mali-*.xml\n\n\
                      Une activité est gardée si son pays bénéficiaire est ML, ou si l'un de ses lieux est au Mali.\n\
                      Réimporter met à jour par iati-identifier. Tous les fichiers forment une seule transaction :\n\
                      au moindre fichier mal formé, rien n'est écrit (statut de sortie 1)."
    )]
    Iati(import_iati::ArgsIati),
}

fn type_organisation(texte: &str) -> Result<String, String> {
    texte
        .parse::<crate::model::TypeOrganisation>()
        .map(|t| t.code().to_owned())
        .map_err(|e| e.to_string())
}

/// The formats of `benkan report`.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum FormatRapport {
    Html,
    Md,
    Json,
    Csv,
}

fn date(texte: &str) -> Result<time::Date, String> {
    crate::model::date_iso(texte)
        .ok_or_else(|| format!("« {texte} » n'est pas une date AAAA-MM-JJ existante"))
}

fn adresse(texte: &str) -> Result<SocketAddr, String> {
    texte.parse().map_err(|_| {
        format!("« {texte} » n'est pas une adresse ADRESSE:PORT, par exemple 127.0.0.1:8081")
    })
}

/// A trusted proxy: an IP address, without a port nor a network.
fn adresse_ip(texte: &str) -> Result<IpAddr, String> {
    let texte = texte.trim();
    texte.parse().map_err(|_| {
        format!(
            "« {texte} » n'est pas une adresse IP (par exemple 127.0.0.1 ou ::1, sans port ni masque de réseau)"
        )
    })
}

fn limite(texte: &str) -> Result<u16, String> {
    texte
        .parse()
        .ok()
        .filter(|n| (1..=100).contains(n))
        .ok_or_else(|| format!("« {texte} » n'est pas un nombre de 1 à 100"))
}

/// A one-line text setting of at most 300 characters, named `champ` in its message.
fn reglage(champ: &'static str) -> impl Fn(&str) -> Result<String, String> + Clone {
    move |texte| {
        crate::model::texte_requis(champ, texte, 300, crate::model::Saisie::Ligne)
            .map_err(|e| e.to_string())
    }
}

/// The shortest supervision token accepted: short ones can be guessed.
const JETON_METRIQUES_MIN: usize = 16;

/// A supervision token: printable ASCII without spaces (it travels in a header), long
/// enough not to be guessed.
fn jeton_metriques(texte: &str) -> Result<String, String> {
    if !texte.bytes().all(|o| o.is_ascii_graphic()) {
        return Err(
            "le jeton ne peut contenir que des caractères ASCII visibles, sans espace".to_owned(),
        );
    }
    if texte.len() < JETON_METRIQUES_MIN {
        return Err(format!(
            "le jeton doit compter au moins {JETON_METRIQUES_MIN} caractères (par exemple : openssl rand -hex 32)"
        ));
    }
    Ok(texte.to_owned())
}

fn pays(texte: &str) -> Result<Pays, String> {
    Pays::new(texte).map_err(|e| e.to_string())
}

fn portee(texte: &str) -> Result<Portee, String> {
    Portee::depuis_code(texte).map_err(|e| e.to_string())
}

#[derive(Args)]
struct OptionBase {
    /// Fichier de la base SQLite (par défaut benkan.db ; variable BENKAN_DB)
    #[arg(
        long = "db",
        env = "BENKAN_DB",
        default_value = "benkan.db",
        value_name = "CHEMIN",
        global = true
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
    #[error(transparent)]
    Referentiel(#[from] ErreurReferentiel),
    #[error(transparent)]
    Demo(#[from] demo::ErreurDemo),
    /// A request that the command line accepted but that makes no sense: exit status 2.
    #[error("{0}")]
    Usage(String),
    #[error("écriture impossible : {0}")]
    Sortie(String),
    #[error("import annulé, rien n'a été écrit : {0}")]
    Import(String),
    /// A check found a problem, or a backup was refused (`exploitation`).
    #[error("{0}")]
    Verification(String),
}

/// Runs the command line and returns the process's exit status: 0 on success, 1 when the
/// command failed, 2 for a usage error (clap's own).
pub fn executer() -> ExitCode {
    let cli = match aide_francaise(Cli::command())
        .try_get_matches()
        .and_then(|arguments| Cli::from_arg_matches(&arguments))
    {
        Ok(cli) => cli,
        Err(erreur) => return erreur_d_usage(erreur),
    };
    journaliser(cli.log_format);
    let resultat = match cli.commande {
        Commande::Init { base, demo } => init(&base.db, demo),
        Commande::Serve {
            base,
            addr,
            cookie_securise,
            operateur,
            contact,
            jeton_metriques,
            proxy_de_confiance,
            courriel,
        } => {
            let reglages = web::Reglages {
                cookie_securise,
                exploitant: web::Exploitant::new(operateur.as_deref(), contact.as_deref()),
                jeton_metriques,
                proxys_de_confiance: proxy_de_confiance,
                courrier: None,
            };
            serve(&base.db, addr, reglages, courriel)
        }
        Commande::Report {
            base,
            date,
            format,
            out,
        } => report(&base.db, date, format, out.as_deref()),
        Commande::User { base, commande } => comptes::executer(&base.db, commande),
        Commande::Export { base, format } => exporter(&base.db, format),
        Commande::Import { base, format } => match format {
            FormatImport::Iati(args) => import_iati::executer(&base.db, args),
            FormatImport::Csv(options) => echange::importer(&base.db, options),
        },
        Commande::Resolve {
            base,
            texte,
            country,
            level,
            limit,
            json,
        } => resolve(
            &base.db,
            Requete {
                texte,
                pays: country,
                portee: level.unwrap_or(Portee::Tout),
                limite: limit.into(),
            },
            json,
        ),
        Commande::Sauvegarde { base, out } => exploitation::sauvegarder(&base.db, &out),
        Commande::Verifier { base } => exploitation::verifier(&base.db),
    };
    match resultat {
        Ok(()) => ExitCode::SUCCESS,
        Err(ErreurCli::Usage(message)) => {
            eprintln!("benkan : demande incorrecte : {message}");
            ExitCode::from(2)
        }
        Err(erreur) => {
            eprintln!("benkan : erreur : {erreur}");
            ExitCode::FAILURE
        }
    }
}

/// Sets up the log on standard error: plain lines, coloured only for a person at a terminal
/// (never in a log file or a journal), or one JSON object per line for a log collector.
fn journaliser(format: FormatJournal) {
    let journal = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(tracing::Level::INFO)
        .with_target(false);
    match format {
        FormatJournal::Texte => journal
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .init(),
        FormatJournal::Json => journal.json().with_ansi(false).init(),
    }
}

fn init(chemin: &Path, avec_demo: bool) -> Result<(), ErreurCli> {
    ouvrir(chemin, avec_demo)?;
    Ok(())
}

/// Opens (creating or upgrading) the database and loads the demonstration data if asked.
fn ouvrir(chemin: &Path, avec_demo: bool) -> Result<Store, ErreurCli> {
    let store = Store::ouvrir(chemin)?;
    if let Some(rapport) = referentiel::mettre_a_jour(&*store.connexion()?)? {
        println!(
            "Référentiel territorial {} chargé : {} collectivités, {} localités du Mali \
             ({} rattachées à leur cercle, leur commune COD n'ayant pas d'équivalent).",
            referentiel::VERSION,
            rapport.total(),
            rapport.localites,
            rapport.localites_au_cercle
        );
    }
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

fn serve(
    chemin: &Path,
    addr: SocketAddr,
    reglages: web::Reglages,
    courriel: courriel::OptionsCourriel,
) -> Result<(), ErreurCli> {
    // settings that cannot work are said before anything is created
    let smtp = courriel.smtp()?;
    // A first run shows a populated site rather than an empty one.
    let store = ouvrir(chemin, !chemin.exists())?;
    if crate::store::compte::lister(&*store.connexion()?)?.is_empty() {
        let conseil = format!(
            "aucun compte dans {base} : pour créer le premier administrateur national, \
             arrêtez le serveur ou ouvrez un autre terminal et tapez \
             benkan user add --db {base} --email VOTRE@ADRESSE --role admin_national \
             (le mot de passe est demandé ensuite)",
            base = chemin.display()
        );
        // In the log, and plainly beside « benkan écoute sur … » for whoever started it.
        tracing::warn!("{conseil}");
        println!("Note : {conseil}.");
    }
    let reglages = web::Reglages {
        courrier: courriel::courrier(smtp, &store)?,
        ..reglages
    };
    let routeur = web::routeur(store, reglages)?;
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
        web::servir(listener, routeur, async {
            let signal = signal_d_arret().await;
            tracing::info!("{signal} reçu : arrêt après les requêtes en cours");
        })
        .await
        .map_err(ErreurCli::Serveur)?;
        tracing::info!("benkan s'est arrêté proprement");
        Ok(())
    })
}

/// Waits for Ctrl-C or, on Unix, SIGTERM (what a service manager sends) and says which came.
/// A signal that cannot be installed is simply never received: the server then runs until
/// killed.
async fn signal_d_arret() -> &'static str {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terme = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terme = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => "Ctrl-C",
        () = terme => "SIGTERM",
    }
}

fn report(
    chemin: &Path,
    date: Option<time::Date>,
    format: FormatRapport,
    out: Option<&Path>,
) -> Result<(), ErreurCli> {
    let store = ouvrir_en_lecture(chemin)?;
    let date = date.unwrap_or_else(|| time::OffsetDateTime::now_utc().date());
    let apercu = store.lire(|conn| observatoire::calculer(conn, date))?;
    let ecrire = |chemin: &Path, contenu: &str| {
        std::fs::write(chemin, contenu)
            .map_err(|e| ErreurCli::Sortie(format!("{} : {}", chemin.display(), en_francais(&e))))
    };
    let texte = match format {
        FormatRapport::Json => rendu::json(&apercu),
        FormatRapport::Md => rendu::markdown(&apercu),
        FormatRapport::Html => {
            rendu::html(&apercu).map_err(|e| ErreurCli::Sortie(e.to_string()))?
        }
        FormatRapport::Csv => {
            let dossier = out.ok_or_else(|| {
                ErreurCli::Usage(
                    "le format csv écrit un fichier par tableau : indiquez un dossier avec --out"
                        .to_owned(),
                )
            })?;
            std::fs::create_dir_all(dossier).map_err(|e| {
                ErreurCli::Sortie(format!("{} : {}", dossier.display(), en_francais(&e)))
            })?;
            for (nom, contenu) in rendu::tableaux_csv(&apercu) {
                ecrire(&dossier.join(format!("{nom}.csv")), &contenu)?;
            }
            eprintln!("Tableaux écrits dans {}.", dossier.display());
            return Ok(());
        }
    };
    match out {
        Some(fichier) => ecrire(fichier, &texte),
        None => afficher(&texte),
    }
}

/// Prints a command's result; a reader that stops early (`| head`) is not an error.
fn afficher(texte: &str) -> Result<(), ErreurCli> {
    use std::io::Write;
    let mut sortie = std::io::stdout().lock();
    match writeln!(sortie, "{texte}").and_then(|()| sortie.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(ErreurCli::Sortie(e.to_string()))
        }
        _ => Ok(()),
    }
}

fn exporter(chemin: &Path, format: FormatExport) -> Result<(), ErreurCli> {
    let store = ouvrir_en_lecture(chemin)?;
    match format {
        FormatExport::Csv(options) => echange::exporter(&store, options),
        FormatExport::Iati {
            out,
            reporting_org,
            reporting_org_name,
            reporting_org_type,
        } => {
            let editeur = crate::interop::iati::Editeur {
                reference: reporting_org,
                nom: reporting_org_name,
                type_organisation: reporting_org_type,
            };
            // Written beside the target, then moved: a failed export leaves no half file.
            let provisoire = out.with_extension("xml.partiel");
            let fichier = std::fs::File::create(&provisoire).map_err(|e| {
                ErreurCli::Sortie(format!("{} : {}", provisoire.display(), en_francais(&e)))
            })?;
            let rapport = crate::interop::iati::exporter(
                &*store.connexion()?,
                &editeur,
                std::io::BufWriter::new(fichier),
            )
            .map_err(|e| {
                let _ = std::fs::remove_file(&provisoire);
                ErreurCli::Sortie(e.to_string())
            })?;
            if rapport.activites == 0 {
                let _ = std::fs::remove_file(&provisoire);
                return Err(ErreurCli::Sortie(
                    "aucune action publique datée à publier : un fichier IATI compte au moins une activité".to_owned(),
                ));
            }
            std::fs::rename(&provisoire, &out).map_err(|e| {
                ErreurCli::Sortie(format!("{} : {}", out.display(), en_francais(&e)))
            })?;
            eprintln!(
                "{} : {} activité(s) IATI ; {} action(s) sans date de début laissée(s) de côté.",
                out.display(),
                rapport.activites,
                rapport.sans_date
            );
            Ok(())
        }
    }
}

/// Opens an existing database (upgrading it) without the progress lines of `init`, for
/// commands that write and whose standard output is their result.
fn ouvrir_existante(chemin: &Path) -> Result<Store, ErreurCli> {
    let store = Store::ouvrir_existante(chemin)?;
    referentiel::mettre_a_jour(&*store.connexion()?)?;
    Ok(store)
}

/// Opens an existing database for reading only (a read-only file works), for the commands
/// that only read: an older référentiel is read as it is, with a word on how to update it.
fn ouvrir_en_lecture(chemin: &Path) -> Result<Store, ErreurCli> {
    let store = Store::ouvrir_en_lecture(chemin)?;
    let version = crate::store::referentiel::version(&*store.connexion()?)?;
    if version.as_deref() != Some(referentiel::VERSION) {
        eprintln!(
            "benkan : note : la base a le référentiel territorial {}, cette version de benkan \
             connaît le {} ; benkan init --db {} le met à jour.",
            version.as_deref().unwrap_or("(aucun)"),
            referentiel::VERSION,
            chemin.display()
        );
    }
    Ok(store)
}

fn resolve(chemin: &Path, requete: Requete, json: bool) -> Result<(), ErreurCli> {
    let store = ouvrir_en_lecture(chemin)?;
    let resolveur = referentiel::resolveur(&*store.connexion()?)?;
    let resolution = resolveur
        .resoudre(&requete)
        .map_err(|e| ErreurCli::Usage(e.to_string()))?;
    let sortie = if json {
        sortie::json(&resolution).map_err(|e| ErreurCli::Sortie(e.to_string()))?
    } else {
        sortie::texte(&requete.texte, &resolution)
    };
    afficher(&sortie)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
        aide_francaise(Cli::command()).debug_assert();
    }
}
