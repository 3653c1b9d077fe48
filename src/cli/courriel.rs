//! The SMTP settings of `serve`, by option or environment variable (a systemd unit reads
//! them from its `EnvironmentFile`, deploy/benkan.env), turned into the site's `Courrier`.

use std::time::Duration;

use clap::Args;

use super::ErreurCli;
use crate::courriel::{Courrier, Securite, Smtp};
use crate::store::Store;

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(super) enum SecuriteSmtp {
    /// STARTTLS obligatoire (port 587 par défaut)
    Starttls,
    /// TLS dès la connexion (port 465 par défaut)
    Tls,
    /// Aucun chiffrement : seulement pour un relais sur la même machine (port 25 par défaut)
    Aucune,
}

#[derive(Args)]
#[command(next_display_order = 100)]
pub(super) struct OptionsCourriel {
    /// Serveur SMTP par lequel envoyer les courriels : mot de passe oublié, premier lien de connexion, résumé de la revue, décisions, rappels de campagne (variable BENKAN_SMTP_SERVEUR). Sans lui, le site n'envoie aucun courriel et les pages disent à qui écrire
    #[arg(long, env = "BENKAN_SMTP_SERVEUR", value_name = "HÔTE")]
    smtp_serveur: Option<String>,
    /// Port du serveur SMTP (par défaut 587 avec starttls, 465 avec tls, 25 avec aucune ; variable BENKAN_SMTP_PORT)
    #[arg(long, env = "BENKAN_SMTP_PORT", value_name = "PORT")]
    smtp_port: Option<u16>,
    /// Protection de la connexion au serveur SMTP : starttls (par défaut ; STARTTLS obligatoire), tls (TLS dès la connexion) ou aucune (seulement pour un relais sur la même machine) ; variable BENKAN_SMTP_SECURITE
    #[arg(long, env = "BENKAN_SMTP_SECURITE", value_enum, value_name = "PROTECTION",
          default_value_t = SecuriteSmtp::Starttls)]
    smtp_securite: SecuriteSmtp,
    /// Compte SMTP, quand le serveur en demande un (variable BENKAN_SMTP_COMPTE)
    #[arg(long, env = "BENKAN_SMTP_COMPTE", value_name = "COMPTE")]
    smtp_compte: Option<String>,
    /// Mot de passe du compte SMTP. Préférez la variable BENKAN_SMTP_MOT_DE_PASSE : une option se voit dans la liste des processus
    #[arg(
        long,
        env = "BENKAN_SMTP_MOT_DE_PASSE",
        value_name = "MOT_DE_PASSE",
        hide_env_values = true
    )]
    smtp_mot_de_passe: Option<String>,
    /// Expéditeur des courriels, par exemple « benkan <registre@ministere.gouv.ml> » (variable BENKAN_SMTP_EXPEDITEUR ; obligatoire avec --smtp-serveur)
    #[arg(long, env = "BENKAN_SMTP_EXPEDITEUR", value_name = "ADRESSE")]
    smtp_expediteur: Option<String>,
    /// Adresse publique du site, reprise dans les liens des courriels, par exemple https://benkan.gouv.ml (variable BENKAN_URL_PUBLIQUE ; obligatoire avec --smtp-serveur)
    #[arg(long, env = "BENKAN_URL_PUBLIQUE", value_name = "URL")]
    url_publique: Option<String>,
    /// Délai avant de réessayer un courriel refusé, en secondes (60 par défaut ; variable BENKAN_SMTP_REESSAI) ; il double à chaque essai, 10 essais au plus
    #[arg(long, env = "BENKAN_SMTP_REESSAI", value_name = "SECONDES", default_value_t = 60,
          value_parser = secondes)]
    smtp_reessai: u64,
    /// Heure (UTC, l'heure du Mali) à partir de laquelle part le résumé quotidien des déclarations à valider, de 0 à 23 (7 par défaut ; variable BENKAN_HEURE_RESUME)
    #[arg(long, env = "BENKAN_HEURE_RESUME", value_name = "HEURE", default_value_t = 7,
          value_parser = heure)]
    heure_resume: u8,
}

fn secondes(texte: &str) -> Result<u64, String> {
    texte
        .parse()
        .ok()
        .filter(|n| (1..=86_400).contains(n))
        .ok_or_else(|| format!("« {texte} » n'est pas un nombre de secondes de 1 à 86400"))
}

fn heure(texte: &str) -> Result<u8, String> {
    texte
        .parse()
        .ok()
        .filter(|n| *n <= 23)
        .ok_or_else(|| format!("« {texte} » n'est pas une heure de 0 à 23"))
}

impl OptionsCourriel {
    /// The SMTP settings, checked; none without `--smtp-serveur`.
    pub(super) fn smtp(self) -> Result<Option<Smtp>, ErreurCli> {
        let Some(serveur) = self.smtp_serveur.filter(|s| !s.trim().is_empty()) else {
            return Ok(None);
        };
        let manque = |variable: &str, option: &str| {
            ErreurCli::Usage(format!(
                "--smtp-serveur est donné mais pas {option} (variable {variable}) : les courriels en ont besoin"
            ))
        };
        let expediteur = self
            .smtp_expediteur
            .ok_or_else(|| manque("BENKAN_SMTP_EXPEDITEUR", "--smtp-expediteur"))?;
        let site = self
            .url_publique
            .ok_or_else(|| manque("BENKAN_URL_PUBLIQUE", "--url-publique"))?;
        let identifiants = match (self.smtp_compte, self.smtp_mot_de_passe) {
            (Some(compte), Some(mot_de_passe)) => Some((compte, mot_de_passe)),
            (None, None) => None,
            (Some(_), None) => {
                return Err(manque("BENKAN_SMTP_MOT_DE_PASSE", "--smtp-mot-de-passe"));
            }
            (None, Some(_)) => return Err(manque("BENKAN_SMTP_COMPTE", "--smtp-compte")),
        };
        let (securite, port) = match self.smtp_securite {
            SecuriteSmtp::Starttls => (Securite::StartTls, 587),
            SecuriteSmtp::Tls => (Securite::Tls, 465),
            SecuriteSmtp::Aucune => (Securite::Aucune, 25),
        };
        let smtp = Smtp {
            serveur: serveur.trim().to_owned(),
            port: self.smtp_port.unwrap_or(port),
            securite,
            identifiants,
            expediteur,
            site,
            reessai: Duration::from_secs(self.smtp_reessai),
            heure_resume: self.heure_resume,
        };
        smtp.verifie()
            .map(Some)
            .map_err(|e| ErreurCli::Usage(e.to_string()))
    }
}

/// The site's e-mail sender, started on `store`; none without settings.
pub(super) fn courrier(smtp: Option<Smtp>, store: &Store) -> Result<Option<Courrier>, ErreurCli> {
    let Some(smtp) = smtp else {
        return Ok(None);
    };
    tracing::info!("courriels envoyés par {}:{}", smtp.serveur, smtp.port);
    Courrier::demarrer(smtp, store.clone())
        .map(Some)
        .map_err(|e| ErreurCli::Usage(e.to_string()))
}
