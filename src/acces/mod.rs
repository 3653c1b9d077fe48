//! Who may do what: password hashing with Argon2id, random session tokens, and the rules
//! that bind an account to the records it may change.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use blake2::{Blake2b256, Digest};

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
    fn tokens_are_random_and_stored_hashed() {
        let (a, b) = (jeton().unwrap(), jeton().unwrap());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(empreinte(&a), empreinte(&a));
        assert_ne!(empreinte(&a), a);
        assert!(egaux(&a, &a.clone()) && !egaux(&a, &b) && !egaux(&a, "court"));
    }
}
