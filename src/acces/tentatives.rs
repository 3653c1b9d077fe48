//! The sign-in throttling rule: slow a guesser down without letting anyone lock the real
//! owner out of an account.
//!
//! Every attempt is recorded (by the store, atomically with the check of the limits) before
//! its password is checked, and forgotten when it succeeds. What remains — failures, and
//! attempts still being checked — counts against two limits over a window: per (e-mail,
//! address) pair, so a guesser cannot go on from one address; and per address, so one
//! address cannot try many e-mails. Past either, that address gets 429. Failures on one
//! e-mail from every address together only make its checks wait longer and longer, up to a
//! cap: the owner, from another address, still signs in. The same rule applies to e-mails
//! of no account, so that nothing reveals which accounts exist.

use std::net::IpAddr;
use std::time::Duration;

/// The limits of unsuccessful sign-in attempts.
#[derive(Debug, Clone, Copy)]
pub struct Limites {
    /// Attempts older than this are not counted any more (minutes).
    pub fenetre_minutes: u32,
    /// Unsuccessful attempts on one e-mail from one address.
    pub par_paire: u32,
    /// Unsuccessful attempts from one address, whatever the e-mail.
    pub par_adresse: u32,
}

/// The limits in force.
pub const LIMITES: Limites = Limites {
    fenetre_minutes: 15,
    par_paire: 5,
    par_adresse: 25,
};

/// From this many failures on one e-mail in the window (from any address), each new check
/// of that e-mail waits: 1 s, then twice as long each time, up to [`DELAI_MAX`].
const RALENTIR_APRES: u64 = 3;
const DELAI_MAX: Duration = Duration::from_secs(30);

/// How long a check waits after `echecs` failures on its e-mail in the window.
pub fn delai_avant_verification(echecs: u64) -> Duration {
    match echecs.checked_sub(RALENTIR_APRES) {
        None => Duration::ZERO,
        Some(rang) => Duration::from_secs(1u64 << rang.min(5)).min(DELAI_MAX),
    }
}

/// The e-mail as attempts are counted: as typed, trimmed and in lower case (an account's
/// e-mail is stored so), at most 254 characters — also for what is not an address.
pub fn cle_email(saisie: &str) -> String {
    saisie.trim().to_lowercase().chars().take(254).collect()
}

/// The address as attempts are counted: an IPv4 address, or the /64 network of an IPv6
/// one, since anyone with one IPv6 address usually has the 2^64 of its network.
pub fn cle_adresse(adresse: IpAddr) -> String {
    match adresse.to_canonical() {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_then_stop_growing() {
        let secondes: Vec<u64> = (0..12)
            .map(|n| delai_avant_verification(n).as_secs())
            .collect();
        assert_eq!(secondes, [0, 0, 0, 1, 2, 4, 8, 16, 30, 30, 30, 30]);
        assert_eq!(delai_avant_verification(u64::MAX), DELAI_MAX);
    }

    #[test]
    fn keys_are_normalised() {
        assert_eq!(cle_email("  Admin@MDAT.ml "), "admin@mdat.ml");
        assert_eq!(cle_email(&"x".repeat(1000)).len(), 254);
        assert_eq!(cle_adresse("192.0.2.7".parse().unwrap()), "192.0.2.7");
        assert_eq!(
            cle_adresse("::ffff:192.0.2.7".parse().unwrap()),
            "192.0.2.7"
        );
        assert_eq!(
            cle_adresse("2001:db8:1:2:aaaa::1".parse().unwrap()),
            cle_adresse("2001:db8:1:2:bbbb::9".parse().unwrap()),
            "one /64, one key"
        );
        assert_ne!(
            cle_adresse("2001:db8:1:2::1".parse().unwrap()),
            cle_adresse("2001:db8:1:3::1".parse().unwrap())
        );
    }
}
