//! Who may do what: password hashing with Argon2id, random session tokens, and the rules
//! that bind an account to the records it may change.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use blake2::{Blake2b256, Digest};

use crate::model::{CollectiviteId, Compte, Role};

/// Failures of the operating system's randomness or of the hashing library.
#[derive(Debug, thiserror::Error)]
#[error("sécurité : {0}")]
pub struct ErreurAcces(String);

/// The PHC string (`$argon2id$v=19$…`) of a password, with a fresh random salt.
pub fn hacher(mot_de_passe: &str) -> Result<String, ErreurAcces> {
    Argon2::default()
        .hash_password(mot_de_passe.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| ErreurAcces(e.to_string()))
}

/// Whether `mot_de_passe` matches the stored hash; a malformed hash matches nothing.
pub fn verifier(mot_de_passe: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(mot_de_passe.as_bytes(), &h)
            .is_ok()
    })
}

/// Spends the time of a verification, so that an unknown e-mail answers as slowly as a
/// wrong password and does not reveal that the account does not exist.
pub fn verifier_pour_rien(mot_de_passe: &str) {
    static FACTICE: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| hacher("mot de passe factice").unwrap_or_default());
    let _ = verifier(mot_de_passe, &FACTICE);
}

/// A random token of 256 bits, in hexadecimal: session cookies and CSRF tokens.
pub fn jeton() -> Result<String, ErreurAcces> {
    let mut octets = [0u8; 32];
    getrandom::fill(&mut octets).map_err(|e| ErreurAcces(e.to_string()))?;
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
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Whether `compte` may declare or change records for the collectivité `id`: a national
/// administrator always, a `collectivite` account for its own collectivités, a `lecteur` never.
pub fn peut_agir_pour(compte: &Compte, id: CollectiviteId) -> bool {
    compte.actif
        && match compte.role {
            Role::AdminNational => true,
            Role::Collectivite => compte.collectivites.contains(&id),
            Role::Lecteur => false,
        }
}

/// Whether `compte` may change a partenariat with these parties: it speaks for one of them.
pub fn peut_modifier(compte: &Compte, parties: &[CollectiviteId]) -> bool {
    parties.iter().any(|p| peut_agir_pour(compte, *p))
}

/// Whether `compte` validates declarations.
pub fn valide(compte: &Compte) -> bool {
    compte.actif && compte.role == Role::AdminNational
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_against_its_own_hash_only() {
        let hash = hacher("une phrase de passe").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verifier("une phrase de passe", &hash));
        assert!(!verifier("une autre phrase", &hash));
        assert!(!verifier("une phrase de passe", "pas un hash"));
        assert_ne!(
            hash,
            hacher("une phrase de passe").unwrap(),
            "a fresh salt every time"
        );
        verifier_pour_rien("quoi que ce soit");
    }

    #[test]
    fn an_account_acts_for_its_own_collectivites_only() {
        let compte = |role, collectivites: Vec<i64>| Compte {
            id: crate::model::CompteId(1),
            email: crate::model::Email::new("a@b.ml").unwrap(),
            role,
            actif: true,
            collectivites: collectivites.into_iter().map(CollectiviteId).collect(),
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
