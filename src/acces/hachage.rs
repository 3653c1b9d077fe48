//! Argon2id password hashes computed in a fixed set of memory buffers, a few at a time.
//!
//! Each Argon2id computation with the default cost needs 19 MiB. Letting the library
//! allocate it for every sign-in made resident memory grow by a gigabyte per burst of
//! concurrent sign-ins: the system allocator keeps freed 19 MiB chunks in per-thread arenas
//! and rarely gives them back. Here one buffer per core is allocated on first use and reused
//! for ever, so hashing costs at most `cores × 19 MiB`, whatever the load. The web layer
//! waits for a free buffer through [`a_son_tour`] (bounded wait, never a blocked thread);
//! the command line calls [`hacher`] and [`verifier`] directly, which wait for one.

use std::sync::{Arc, Condvar, LazyLock, Mutex};
use std::time::Duration;

use argon2::password_hash::phc::{Output, ParamsString, PasswordHash, Salt};
use argon2::{Algorithm, Argon2, Block, Params, Version};

use super::{ErreurAcces, egaux_octets};

/// Length of the random salt of a new hash, in bytes (the PHC recommendation).
const LONGUEUR_SEL: usize = 16;

/// How many hashes may run at once: one per core, each in its own buffer.
fn guichets() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// The reusable Argon2 memories, each big enough for the default cost.
struct Memoires {
    libres: Mutex<Vec<Box<[Block]>>>,
    rendue: Condvar,
}

static MEMOIRES: LazyLock<Memoires> = LazyLock::new(|| Memoires {
    libres: Mutex::new(Vec::new()),
    rendue: Condvar::new(),
});

/// How many buffers exist (allocated lazily, up to [`guichets`]).
static CREEES: Mutex<usize> = Mutex::new(0);

/// Runs `calcul` with a free buffer, allocating one if fewer than [`guichets`] exist, and
/// waiting for one otherwise. The buffer goes back to the set even if `calcul` panics.
fn avec_memoire<T>(calcul: impl FnOnce(&mut [Block]) -> T) -> T {
    struct Rendre(Option<Box<[Block]>>);
    impl Drop for Rendre {
        fn drop(&mut self) {
            if let Some(memoire) = self.0.take() {
                let mut libres = MEMOIRES.libres.lock().unwrap_or_else(|e| e.into_inner());
                libres.push(memoire);
                MEMOIRES.rendue.notify_one();
            }
        }
    }
    let memoire = {
        let mut libres = MEMOIRES.libres.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if let Some(m) = libres.pop() {
                break m;
            }
            let mut creees = CREEES.lock().unwrap_or_else(|e| e.into_inner());
            if *creees < guichets() {
                *creees += 1;
                break vec![Block::new(); Params::DEFAULT.block_count()].into_boxed_slice();
            }
            drop(creees);
            libres = MEMOIRES
                .rendue
                .wait(libres)
                .unwrap_or_else(|e| e.into_inner());
        }
    };
    let mut rendre = Rendre(Some(memoire));
    calcul(rendre.0.as_deref_mut().unwrap_or_default())
}

/// Computes the Argon2 output of `mot_de_passe` with these settings into `sortie`, in a
/// reused buffer. A stored hash with a higher memory cost than today's default (none is
/// written by benkan) gets a buffer of its own for this one computation.
fn calculer(
    argon2: &Argon2<'_>,
    mot_de_passe: &[u8],
    sel: &[u8],
    sortie: &mut [u8],
) -> Result<(), argon2::Error> {
    let blocs = argon2.params().block_count();
    avec_memoire(|memoire| match memoire.get_mut(..blocs) {
        Some(memoire) => argon2.hash_password_into_with_memory(mot_de_passe, sel, sortie, memoire),
        None => argon2.hash_password_into(mot_de_passe, sel, sortie),
    })
}

/// The PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`) of a password, with a fresh random
/// salt and the library's default cost.
pub fn hacher(mot_de_passe: &str) -> Result<String, ErreurAcces> {
    let erreur = |e: &dyn std::fmt::Display| ErreurAcces::Systeme(e.to_string());
    let mut sel = [0u8; LONGUEUR_SEL];
    getrandom::fill(&mut sel).map_err(|e| erreur(&e))?;
    let params = Params::DEFAULT;
    let mut sortie = [0u8; Params::DEFAULT_OUTPUT_LEN];
    let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    calculer(&argon2, mot_de_passe.as_bytes(), &sel, &mut sortie).map_err(|e| erreur(&e))?;
    let hash = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| erreur(&e))?,
        salt: Some(Salt::new(&sel).map_err(|e| erreur(&e))?),
        hash: Some(Output::new(&sortie).map_err(|e| erreur(&e))?),
    };
    Ok(hash.to_string())
}

/// Whether `mot_de_passe` matches the stored PHC string: its algorithm, version, cost and
/// salt are read from it, the output compared in constant time. A malformed hash matches
/// nothing.
pub fn verifier(mot_de_passe: &str, hash: &str) -> bool {
    let Ok(lu) = PasswordHash::new(hash) else {
        return false;
    };
    let (Some(sel), Some(attendu)) = (&lu.salt, &lu.hash) else {
        return false;
    };
    let reglage = (
        Algorithm::try_from(lu.algorithm.as_str()),
        Version::try_from(lu.version.unwrap_or(Version::V0x13.into())),
        Params::try_from(&lu),
    );
    let (Ok(algorithme), Ok(version), Ok(params)) = reglage else {
        return false;
    };
    let argon2 = Argon2::new(algorithme, version, params);
    let mut sortie = [0u8; Output::MAX_LENGTH];
    let sortie = &mut sortie[..attendu.len()];
    calculer(&argon2, mot_de_passe.as_bytes(), sel.as_ref(), sortie).is_ok()
        && egaux_octets(sortie, attendu.as_bytes())
}

/// Spends the time of a verification, so that an unknown e-mail answers as slowly as a
/// wrong password and does not reveal that the account does not exist.
pub fn verifier_pour_rien(mot_de_passe: &str) {
    static FACTICE: LazyLock<String> =
        LazyLock::new(|| hacher("mot de passe factice").unwrap_or_default());
    let _ = verifier(mot_de_passe, &FACTICE);
}

/// Tickets to the buffers for the web server: as many as there are buffers, so that a task
/// holding one never waits for memory.
static TICKETS: LazyLock<Arc<tokio::sync::Semaphore>> =
    LazyLock::new(|| Arc::new(tokio::sync::Semaphore::new(guichets())));

/// How long a request waits for its turn to hash before it is told to come back.
pub const ATTENTE_MAX: Duration = Duration::from_secs(5);

/// Runs `hachage` (one or two of the functions above) on a blocking thread once a hashing
/// buffer is free, waiting at most [`ATTENTE_MAX`]; [`ErreurAcces::Occupe`] after that. The
/// caller must hold no database connection: the wait and the hash take time. The ticket
/// stays with the blocking thread, so a client that hangs up does not free its place before
/// the hash ends.
pub async fn a_son_tour<T: Send + 'static>(
    hachage: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ErreurAcces> {
    let ticket = tokio::time::timeout(ATTENTE_MAX, TICKETS.clone().acquire_owned())
        .await
        .map_err(|_| ErreurAcces::Occupe)?
        .map_err(|e| ErreurAcces::Systeme(e.to_string()))?;
    tokio::task::spawn_blocking(move || {
        let resultat = hachage();
        drop(ticket);
        resultat
    })
    .await
    .map_err(|e| ErreurAcces::Systeme(format!("calcul interrompu : {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_against_its_own_hash_only() {
        let hash = hacher("une phrase de passe").unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(verifier("une phrase de passe", &hash));
        assert!(!verifier("une autre phrase", &hash));
        assert!(!verifier("une phrase de passe", "pas un hash"));
        assert!(!verifier(
            "une phrase de passe",
            "$argon2id$v=19$m=19456,t=2,p=1"
        ));
        assert_ne!(
            hash,
            hacher("une phrase de passe").unwrap(),
            "a fresh salt every time"
        );
        verifier_pour_rien("quoi que ce soit");
    }

    #[test]
    fn hashes_of_the_library_and_of_other_costs_verify() {
        use argon2::PasswordHasher;
        // What benkan wrote before the buffers were reused: the library's own PHC string.
        let ancien = Argon2::default()
            .hash_password(b"une phrase de passe")
            .unwrap()
            .to_string();
        assert!(verifier("une phrase de passe", &ancien));
        assert!(!verifier("une autre phrase", &ancien));
        // A costlier hash than the buffers hold gets memory of its own.
        let couteux = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(Params::DEFAULT_M_COST * 2, 1, 1, None).unwrap(),
        )
        .hash_password(b"une phrase de passe")
        .unwrap()
        .to_string();
        assert!(verifier("une phrase de passe", &couteux));
        // And the library reads what we write.
        use argon2::PasswordVerifier;
        let notre = hacher("une phrase de passe").unwrap();
        assert!(
            Argon2::default()
                .verify_password(b"une phrase de passe", notre.as_str())
                .is_ok()
        );
    }

    #[test]
    fn no_more_buffers_than_cores_even_under_many_threads() {
        let fils: Vec<_> = (0..8)
            .map(|i| std::thread::spawn(move || hacher(&format!("phrase numéro {i}")).unwrap()))
            .collect();
        for f in fils {
            assert!(f.join().unwrap().starts_with("$argon2id$"));
        }
        assert!(*CREEES.lock().unwrap() <= guichets());
    }
}
