use super::code::{identifiant, vocabulaire};
use super::{ActeurId, CollectiviteId, ErreurModele};

identifiant!(
    /// Identifies an account of the contributors' space.
    CompteId
);

vocabulaire! {
    /// What an account may do.
    Role, champ = "role" {
        /// Everything: validates, manages accounts.
        AdminNational => ("admin_national", "Administrateur national"),
        /// Declares and updates the records of its own collectivités.
        Collectivite => ("collectivite", "Collectivité"),
        /// Reads the non-public fields (contacts…).
        Lecteur => ("lecteur", "Lecteur"),
        /// An association or NGO working with a foreign collectivité: publishes offres in
        /// the bourse aux partenariats for its acteurs, never declares for a collectivité.
        Acteur => ("acteur", "Association ou ONG partenaire"),
    }
}

impl Role {
    /// Checks who an account of this role may be bound to: acteurs for an `acteur` account
    /// (at least one), and only for it; no collectivité for it, since an association is
    /// not a collectivité.
    pub fn verifier_rattachements(
        self,
        collectivites: &[CollectiviteId],
        acteurs: &[ActeurId],
    ) -> Result<(), ErreurModele> {
        match self {
            Role::Acteur if !collectivites.is_empty() => {
                Err(ErreurModele::CompteActeurCollectivite)
            }
            Role::Acteur if acteurs.is_empty() => Err(ErreurModele::CompteActeurSansActeur),
            Role::Acteur => Ok(()),
            _ if !acteurs.is_empty() => Err(ErreurModele::ActeursHorsCompteActeur),
            _ => Ok(()),
        }
    }
}

/// An e-mail address, trimmed and in lower case: the identifier of an account.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    /// Accepts `quelqu.un@domaine.tld` in any case; refuses what cannot be an address.
    pub fn new(texte: &str) -> Result<Email, ErreurModele> {
        let email = texte.trim().to_lowercase();
        let valide = email.len() <= 254
            && !email.chars().any(|c| c.is_whitespace() || c.is_control())
            && match email.split_once('@') {
                Some((local, domaine)) => {
                    !local.is_empty()
                        && domaine.contains('.')
                        && !domaine.starts_with('.')
                        && !domaine.ends_with('.')
                        && !domaine.contains('@')
                }
                None => false,
            };
        if valide {
            Ok(Email(email))
        } else {
            Err(ErreurModele::EmailInvalide(texte.trim().to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The shortest password accepted: long passphrases beat complex short passwords.
pub const MOT_DE_PASSE_MIN: usize = 12;

/// Checks a new password: long enough, not absurdly long.
pub fn verifier_mot_de_passe(mot_de_passe: &str) -> Result<(), ErreurModele> {
    let longueur = mot_de_passe.chars().count();
    if !(MOT_DE_PASSE_MIN..=200).contains(&longueur) {
        return Err(ErreurModele::MotDePasse(MOT_DE_PASSE_MIN));
    }
    Ok(())
}

/// An account as stored, without its password hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compte {
    pub id: CompteId,
    pub email: Email,
    pub role: Role,
    pub actif: bool,
    /// The collectivités a `collectivite` account speaks for.
    pub collectivites: Vec<CollectiviteId>,
    /// The acteurs an `acteur` account speaks for.
    pub acteurs: Vec<ActeurId>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_lower_case_and_plausible() {
        assert_eq!(
            Email::new("  Maire.Kayes@Exemple.ML ").unwrap().as_str(),
            "maire.kayes@exemple.ml"
        );
        for mauvais in [
            "",
            "kayes",
            "@exemple.ml",
            "a@b",
            "a@.ml",
            "a@exemple.",
            "a b@exemple.ml",
            "a@b@c.ml",
        ] {
            assert!(Email::new(mauvais).is_err(), "{mauvais:?}");
        }
    }

    #[test]
    fn only_an_acteur_account_is_bound_to_acteurs_and_never_to_a_collectivite() {
        let kayes = [CollectiviteId(7)];
        let association = [ActeurId(3)];
        assert!(
            Role::Acteur
                .verifier_rattachements(&[], &association)
                .is_ok()
        );
        assert_eq!(
            Role::Acteur.verifier_rattachements(&kayes, &association),
            Err(ErreurModele::CompteActeurCollectivite)
        );
        assert_eq!(
            Role::Acteur.verifier_rattachements(&[], &[]),
            Err(ErreurModele::CompteActeurSansActeur)
        );
        for role in [Role::AdminNational, Role::Collectivite, Role::Lecteur] {
            assert_eq!(
                role.verifier_rattachements(&kayes, &association),
                Err(ErreurModele::ActeursHorsCompteActeur),
                "{role:?}"
            );
        }
        assert!(
            Role::Collectivite
                .verifier_rattachements(&kayes, &[])
                .is_ok()
        );
    }

    #[test]
    fn passwords_are_long_enough() {
        assert!(verifier_mot_de_passe("court").is_err());
        assert!(verifier_mot_de_passe("onze carac.").is_err());
        assert!(verifier_mot_de_passe("une phrase de passe").is_ok());
        assert!(verifier_mot_de_passe(&"x".repeat(201)).is_err());
    }
}
