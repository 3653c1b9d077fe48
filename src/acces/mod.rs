//! Who may do what: password hashing with Argon2id, the sign-in throttling rule, random
//! session tokens, and the rules that bind an account to the records it may change.

mod hachage;
mod tentatives;

use blake2::{Blake2b256, Digest};

use crate::model::{CollectiviteId, Compte, Role};
pub use hachage::{ATTENTE_MAX, a_son_tour, hacher, verifier, verifier_pour_rien};
pub use tentatives::{LIMITES, Limites, cle_adresse, cle_email, delai_avant_verification};

/// Failures of the operating system's randomness or of the hashing library, and a hashing
/// queue too long to wait in.
#[derive(Debug, thiserror::Error)]
pub enum ErreurAcces {
    #[error("sécurité : {0}")]
    Systeme(String),
    /// Every hashing buffer stayed busy for [`ATTENTE_MAX`].
    #[error("trop de connexions simultanées")]
    Occupe,
}

/// A random token of 256 bits, in hexadecimal: session cookies and CSRF tokens.
pub fn jeton() -> Result<String, ErreurAcces> {
    let mut octets = [0u8; 32];
    getrandom::fill(&mut octets).map_err(|e| ErreurAcces::Systeme(e.to_string()))?;
    Ok(hexadecimal(&octets))
}

/// What the database keeps of a session token: its BLAKE2b hash, so that a copy of the
/// database does not open anyone's session.
pub fn empreinte(jeton: &str) -> String {
    hexadecimal(&Blake2b256::digest(jeton.as_bytes()))
}

fn hexadecimal(octets: &[u8]) -> String {
    octets.iter().map(|o| format!("{o:02x}")).collect()
}

/// Compares two secrets in time independent of where they differ.
pub fn egaux(a: &str, b: &str) -> bool {
    egaux_octets(a.as_bytes(), b.as_bytes())
}

fn egaux_octets(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Whether `compte` may declare or change records for the collectivité `id`: a national
/// administrator always, a `collectivite` account for its own collectivités, a `lecteur`
/// never, nor an `acteur` (an association speaks for itself, not for a collectivité — even
/// one it works with).
pub fn peut_agir_pour(compte: &Compte, id: CollectiviteId) -> bool {
    compte.actif
        && match compte.role {
            Role::AdminNational => true,
            Role::Collectivite => compte.collectivites.contains(&id),
            Role::Lecteur | Role::Acteur => false,
        }
}

/// Whether `compte` may change a partenariat with these parties: it speaks for one of them.
pub fn peut_modifier(compte: &Compte, parties: &[CollectiviteId]) -> bool {
    parties.iter().any(|p| peut_agir_pour(compte, *p))
}

/// Whether `compte` reads the contacts of partenariats, personal data: every active account
/// but an association's, which takes part in no partenariat of the registry.
pub fn lit_les_contacts(compte: &Compte) -> bool {
    compte.actif
        && match compte.role {
            Role::AdminNational | Role::Collectivite | Role::Lecteur => true,
            Role::Acteur => false,
        }
}

/// Whether `compte` validates declarations.
pub fn valide(compte: &Compte) -> bool {
    compte.actif && compte.role == Role::AdminNational
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_acts_for_its_own_collectivites_only() {
        let compte = |role, collectivites: Vec<i64>| Compte {
            id: crate::model::CompteId(1),
            email: crate::model::Email::new("a@b.ml").unwrap(),
            role,
            actif: true,
            collectivites: collectivites.into_iter().map(CollectiviteId).collect(),
            acteurs: Vec::new(),
        };
        let kayes = compte(Role::Collectivite, vec![7]);
        assert!(peut_agir_pour(&kayes, CollectiviteId(7)));
        assert!(!peut_agir_pour(&kayes, CollectiviteId(8)));
        assert!(peut_modifier(
            &kayes,
            &[CollectiviteId(8), CollectiviteId(7)]
        ));
        assert!(!peut_modifier(
            &compte(Role::Lecteur, vec![7]),
            &[CollectiviteId(7)]
        ));
        assert!(!peut_modifier(
            &compte(Role::Acteur, vec![7]),
            &[CollectiviteId(7)]
        ));
        assert!(peut_modifier(
            &compte(Role::AdminNational, vec![]),
            &[CollectiviteId(9)]
        ));
        assert!(!peut_modifier(
            &Compte {
                actif: false,
                ..kayes
            },
            &[CollectiviteId(7)]
        ));
        assert!(lit_les_contacts(&compte(Role::Lecteur, vec![])));
        assert!(!lit_les_contacts(&compte(Role::Acteur, vec![])));
        assert!(
            valide(&compte(Role::AdminNational, vec![]))
                && !valide(&compte(Role::Collectivite, vec![7]))
        );
    }

    #[test]
    fn tokens_are_random_and_stored_hashed() {
        let (a, b) = (jeton().unwrap(), jeton().unwrap());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(empreinte(&a), empreinte(&a));
        assert_ne!(empreinte(&a), a);
        assert!(egaux(&a, &a.clone()) && !egaux(&a, &b) && !egaux(&a, "court"));
    }
}
