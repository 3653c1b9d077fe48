//! The address of the client a request comes from, for the sign-in limits (README
//! « Déploiement sur un serveur Debian »).
//!
//! Behind a reverse proxy every request comes from the proxy's address: counted per TCP
//! peer, the failed sign-ins of every visitor would share one limit, and one attacker would
//! lock everybody out. A proxy named with `serve --proxy-de-confiance` is believed about the
//! client: the **last** entry of `X-Forwarded-For`, the one it added itself (entries before
//! it were written by whoever sent the request, and can be anything). From any other peer
//! the header is ignored: a client talking to benkan directly cannot choose its address.
//!
//! Only the sign-in limits read this address. `/metrics` keeps its own, stricter rule
//! (`metriques::autoriser`): any request that carries `X-Forwarded-For` is not local.

use std::net::{IpAddr, SocketAddr};

use axum::http::HeaderMap;

/// The client's address: the last entry of `X-Forwarded-For` when the TCP peer `pair` is
/// one of the trusted `proxys` and that entry is an IP address (`192.0.2.7`, `2001:db8::7`,
/// or with a port, `192.0.2.7:5000`, `[2001:db8::7]:5000`); the peer's address otherwise —
/// no header, a malformed one (then the request counts against the proxy's own address, the
/// safe side), or a peer that is not a trusted proxy.
pub fn adresse_client(pair: IpAddr, entetes: &HeaderMap, proxys: &[IpAddr]) -> IpAddr {
    let pair = pair.to_canonical();
    if !proxys.iter().any(|p| p.to_canonical() == pair) {
        return pair;
    }
    // Several header lines are one list, in order (RFC 9110, 5.3): the last line holds the
    // last entry.
    entetes
        .get_all("x-forwarded-for")
        .iter()
        .next_back()
        .and_then(|valeur| valeur.to_str().ok())
        .and_then(|liste| liste.rsplit(',').next())
        .and_then(|derniere| lire_adresse(derniere.trim()))
        .map_or(pair, |client| client.to_canonical())
}

/// An IP address, alone or with a port.
fn lire_adresse(texte: &str) -> Option<IpAddr> {
    texte
        .parse::<IpAddr>()
        .ok()
        .or_else(|| texte.parse::<SocketAddr>().ok().map(|a| a.ip()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entetes(valeurs: &[&'static str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in valeurs {
            h.append("x-forwarded-for", v.parse().unwrap());
        }
        h
    }

    fn ip(texte: &str) -> IpAddr {
        texte.parse().unwrap()
    }

    #[test]
    fn a_trusted_proxy_gives_the_last_entry() {
        let proxy = ip("127.0.0.1");
        let proxys = [proxy];
        assert_eq!(
            adresse_client(proxy, &entetes(&["192.0.2.7"]), &proxys),
            ip("192.0.2.7")
        );
        // the client wrote the first entries, the proxy added the last one
        assert_eq!(
            adresse_client(
                proxy,
                &entetes(&["10.9.9.9, 203.0.113.5 ,192.0.2.7"]),
                &proxys
            ),
            ip("192.0.2.7")
        );
        assert_eq!(
            adresse_client(
                proxy,
                &entetes(&["10.9.9.9", "198.51.100.1, 192.0.2.8"]),
                &proxys
            ),
            ip("192.0.2.8"),
            "several header lines are one list"
        );
        assert_eq!(
            adresse_client(proxy, &entetes(&["192.0.2.7:5000"]), &proxys),
            ip("192.0.2.7"),
            "a port is dropped"
        );
    }

    #[test]
    fn an_untrusted_peer_cannot_choose_its_address() {
        let pair = ip("198.51.100.20");
        for proxys in [&[][..], &[ip("127.0.0.1")][..]] {
            assert_eq!(adresse_client(pair, &entetes(&["192.0.2.7"]), proxys), pair);
            assert_eq!(adresse_client(pair, &HeaderMap::new(), proxys), pair);
        }
    }

    #[test]
    fn a_trusted_proxy_without_a_usable_header_counts_as_itself() {
        let proxy = ip("10.0.0.2");
        let proxys = [proxy];
        for mauvais in [
            "",
            "inconnu",
            "192.0.2.7, ",
            "192.0.2.300",
            "192.0.2.7 203.0.113.5",
            "for=192.0.2.7",
            "unknown",
        ] {
            assert_eq!(
                adresse_client(proxy, &entetes(&[mauvais]), &proxys),
                proxy,
                "{mauvais:?}"
            );
        }
        assert_eq!(adresse_client(proxy, &HeaderMap::new(), &proxys), proxy);
        let mut pas_ascii = HeaderMap::new();
        pas_ascii.insert(
            "x-forwarded-for",
            axum::http::HeaderValue::from_bytes(b"192.0.2.7\xff").unwrap(),
        );
        assert_eq!(adresse_client(proxy, &pas_ascii, &proxys), proxy);
    }

    #[test]
    fn ipv6_peers_and_clients() {
        let proxy = ip("::1");
        let proxys = [proxy];
        assert_eq!(
            adresse_client(proxy, &entetes(&["2001:db8::7"]), &proxys),
            ip("2001:db8::7")
        );
        assert_eq!(
            adresse_client(proxy, &entetes(&["192.0.2.1, [2001:db8::8]:443"]), &proxys),
            ip("2001:db8::8")
        );
        // an IPv4 proxy seen on an IPv6 socket (::ffff:a.b.c.d) is the same proxy
        assert_eq!(
            adresse_client(
                ip("::ffff:127.0.0.1"),
                &entetes(&["::ffff:192.0.2.9"]),
                &[ip("127.0.0.1")]
            ),
            ip("192.0.2.9")
        );
        assert_eq!(
            adresse_client(ip("2001:db8::99"), &entetes(&["2001:db8::7"]), &proxys),
            ip("2001:db8::99")
        );
    }
}
