//! `benkan user`: accounts of the contributors' space, from the command line, so that the
//! first national administrator can be created on a fresh install.

use std::io::IsTerminal;
use std::path::Path;

use clap::Subcommand;

use super::{ErreurCli, afficher, ouvrir_existante};
use crate::acces;
use crate::model::{ActeurId, CollectiviteId, Email, Role, verifier_mot_de_passe};
use crate::store::{acteur, collectivite, compte, jeton_api};

#[derive(Subcommand)]
pub enum CommandeCompte {
    /// Crée un compte ; le mot de passe est lu sur l'entrée standard, jamais sur la ligne de commande
    Add {
        /// Adresse e-mail, identifiant du compte
        #[arg(long)]
        email: String,
        /// admin_national, collectivite, lecteur ou acteur (association ou ONG partenaire)
        #[arg(long, value_parser = role)]
        role: Role,
        /// Code d'une collectivité au nom de laquelle le compte agit (répétable), par exemple ML-1-KAYES-KAYES
        #[arg(long = "collectivite", value_name = "CODE")]
        collectivites: Vec<String>,
        /// Numéro de l'acteur (association ou ONG) au nom duquel un compte « acteur » agit (répétable)
        #[arg(long = "acteur", value_name = "ID")]
        acteurs: Vec<i64>,
    },
    /// Liste les comptes
    List,
    /// Désactive un compte et ferme ses sessions
    Disable {
        /// Adresse e-mail du compte
        #[arg(long)]
        email: String,
    },
    /// Remplace le mot de passe d'un compte (lu sur l'entrée standard), ferme ses sessions et révoque ses jetons d'API
    ResetPassword {
        /// Adresse e-mail du compte
        #[arg(long)]
        email: String,
    },
    /// Crée un jeton d'API personnel pour ce compte et l'écrit seul sur la sortie standard
    /// (il n'est montré qu'une fois ; « Authorization: Bearer <jeton> », voir docs/api.md)
    Token {
        /// Adresse e-mail du compte
        email: String,
        /// À quoi sert le jeton, listé sous ce nom sur /espace/jetons (par défaut « ligne de commande »)
        #[arg(long, default_value = "ligne de commande")]
        nom: String,
    },
}

fn role(texte: &str) -> Result<Role, String> {
    texte
        .parse()
        .map_err(|e: crate::model::CodeInconnu| e.to_string())
}

fn email(texte: &str) -> Result<Email, ErreurCli> {
    Email::new(texte).map_err(|e| ErreurCli::Usage(e.to_string()))
}

/// Reads a new password: hidden at a terminal, one line from a pipe otherwise.
fn lire_mot_de_passe() -> Result<String, ErreurCli> {
    let lu = if std::io::stdin().is_terminal() {
        rpassword::prompt_password("Mot de passe (au moins 12 caractères) : ")
    } else {
        let mut ligne = String::new();
        std::io::stdin()
            .read_line(&mut ligne)
            .map(|_| ligne.trim_end_matches(['\r', '\n']).to_owned())
    };
    let mot_de_passe = lu.map_err(|e| {
        ErreurCli::Usage(format!(
            "mot de passe illisible sur l'entrée standard : {e}"
        ))
    })?;
    verifier_mot_de_passe(&mot_de_passe).map_err(|e| ErreurCli::Usage(e.to_string()))?;
    Ok(mot_de_passe)
}

fn hacher(mot_de_passe: &str) -> Result<String, ErreurCli> {
    acces::hacher(mot_de_passe).map_err(|e| ErreurCli::Sortie(e.to_string()))
}

pub fn executer(chemin: &Path, commande: CommandeCompte) -> Result<(), ErreurCli> {
    let store = ouvrir_existante(chemin)?;
    let conn = store.connexion()?;
    match commande {
        CommandeCompte::Add {
            email: texte,
            role,
            collectivites,
            acteurs,
        } => {
            let adresse = email(&texte)?;
            if role == Role::Collectivite && collectivites.is_empty() {
                return Err(ErreurCli::Usage(
                    "un compte « collectivite » agit au nom d'au moins une collectivité : ajoutez --collectivite CODE".to_owned(),
                ));
            }
            let mut ids: Vec<CollectiviteId> = Vec::new();
            for code in &collectivites {
                ids.push(
                    collectivite::unique_par_code(&conn, code)
                        .map_err(|e| ErreurCli::Usage(e.to_string()))?,
                );
            }
            let acteurs: Vec<ActeurId> = acteurs.into_iter().map(ActeurId).collect();
            // Before the password is asked for: a wrong role or acteur is said at once.
            role.verifier_rattachements(&ids, &acteurs)
                .map_err(|e| ErreurCli::Usage(e.to_string()))?;
            for id in &acteurs {
                if acteur::par_id(&conn, *id)?.is_none() {
                    return Err(ErreurCli::Usage(format!(
                        "aucun acteur ne porte le numéro {id}"
                    )));
                }
            }
            let hash = hacher(&lire_mot_de_passe()?)?;
            let id =
                compte::creer(&conn, &adresse, &hash, role, &ids, &acteurs).map_err(
                    |e| match e {
                        crate::store::StoreError::Existe(message) => ErreurCli::Usage(message),
                        autre => autre.into(),
                    },
                )?;
            afficher(&format!(
                "Compte n° {id} créé : {adresse} ({}).",
                role.libelle()
            ))
        }
        CommandeCompte::List => {
            let lignes: Vec<String> = compte::lister(&conn)?
                .into_iter()
                .map(|c| {
                    format!(
                        "{}\t{}\t{}\t{} collectivité(s)\t{} acteur(s)",
                        c.email,
                        c.role.code(),
                        if c.actif { "actif" } else { "désactivé" },
                        c.collectivites.len(),
                        c.acteurs.len()
                    )
                })
                .collect();
            afficher(&if lignes.is_empty() {
                "Aucun compte.".to_owned()
            } else {
                lignes.join("\n")
            })
        }
        CommandeCompte::Disable { email: texte } => {
            let adresse = email(&texte)?;
            if !compte::desactiver(&conn, &adresse)? {
                return Err(ErreurCli::Usage(format!(
                    "aucun compte n'a l'adresse {adresse}"
                )));
            }
            afficher(&format!(
                "Compte {adresse} désactivé ; ses sessions sont fermées."
            ))
        }
        CommandeCompte::ResetPassword { email: texte } => {
            let adresse = email(&texte)?;
            let (trouve, _) = compte::par_email(&conn, &adresse)?
                .ok_or_else(|| ErreurCli::Usage(format!("aucun compte n'a l'adresse {adresse}")))?;
            let hash = hacher(&lire_mot_de_passe()?)?;
            let revoques = compte::changer_hash(&conn, trouve.id, &hash, None)?;
            afficher(&format!(
                "Mot de passe de {adresse} remplacé ; ses sessions sont fermées et ses jetons d'API révoqués ({revoques})."
            ))
        }
        CommandeCompte::Token { email: texte, nom } => {
            let adresse = email(&texte)?;
            let (trouve, _) = compte::par_email(&conn, &adresse)?
                .ok_or_else(|| ErreurCli::Usage(format!("aucun compte n'a l'adresse {adresse}")))?;
            if !trouve.actif {
                return Err(ErreurCli::Usage(format!(
                    "le compte {adresse} est désactivé : son jeton serait refusé"
                )));
            }
            let jeton = acces::jeton().map_err(|e| ErreurCli::Sortie(e.to_string()))?;
            jeton_api::creer(&conn, trouve.id, &acces::empreinte(&jeton), &nom).map_err(
                |e| match e {
                    crate::store::StoreError::Modele(m) => ErreurCli::Usage(m.to_string()),
                    autre => autre.into(),
                },
            )?;
            eprintln!(
                "Jeton d'API « {} » créé pour {adresse} ; conservez-le, il ne sera plus affiché.",
                nom.trim()
            );
            afficher(&jeton)
        }
    }
}
