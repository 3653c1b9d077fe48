//! Sign-in attempts: recorded, with the check of the limits, in one statement before the
//! password is checked, so that concurrent attempts cannot all pass a limit; forgotten when
//! they succeed. The rule and its numbers are in `acces::tentatives`.

use rusqlite::{Connection, OptionalExtension, params};

use super::Result;
use crate::store::sql::executer;

/// Which limit refused an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limite {
    /// Too many unsuccessful attempts on this e-mail from this address.
    Paire,
    /// Too many unsuccessful attempts from this address.
    Adresse,
}

/// What became of an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tentative {
    /// Recorded: `id` to forget it when it succeeds; `echecs_email` counts the failures on
    /// the e-mail, from every address, in the window (not the attempts still being
    /// checked: the owner's concurrent sign-ins do not slow each other).
    Notee { id: i64, echecs_email: u64 },
    /// Over `limite`; the oldest attempt it counts leaves the window in `secondes`.
    Refusee { limite: Limite, secondes: u64 },
}

/// The SQL bound of the window, from a `-N minutes` modifier.
const DEPUIS: &str = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now', ?3)";

/// Records an attempt on `email` from `adresse` unless, over the last `fenetre_minutes`,
/// that pair already has `par_paire` unsuccessful attempts or that address `par_adresse`.
/// The check and the insertion are one statement, which takes the write lock before it
/// reads: two concurrent attempts never both see the count below the limit.
pub fn noter(
    conn: &Connection,
    email: &str,
    adresse: &str,
    fenetre_minutes: u32,
    par_paire: u32,
    par_adresse: u32,
) -> Result<Tentative> {
    let fenetre = format!("-{fenetre_minutes} minutes");
    let notee = executer(
        conn,
        &format!(
            "INSERT INTO tentative_connexion (email, adresse)
             SELECT ?1, ?2
             WHERE (SELECT count(*) FROM tentative_connexion
                    WHERE adresse = ?2 AND email = ?1 AND quand >= {DEPUIS}) < ?4
               AND (SELECT count(*) FROM tentative_connexion
                    WHERE adresse = ?2 AND quand >= {DEPUIS}) < ?5"
        ),
        params![email, adresse, fenetre, par_paire, par_adresse],
    )? == 1;
    if notee {
        let id = conn.last_insert_rowid();
        let echecs_email = conn.query_row(
            &format!(
                "SELECT count(*) FROM tentative_connexion
                 WHERE email = ?1 AND echec = 1 AND id <> ?2 AND quand >= {}",
                DEPUIS
            ),
            params![email, id, fenetre],
            |r| r.get(0),
        )?;
        executer(
            conn,
            "DELETE FROM tentative_connexion WHERE quand < strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-1 day')",
            [],
        )?;
        return Ok(Tentative::Notee { id, echecs_email });
    }
    let paire: u32 = conn.query_row(
        &format!(
            "SELECT count(*) FROM tentative_connexion WHERE adresse = ?2 AND email = ?1 AND quand >= {DEPUIS}"
        ),
        params![email, adresse, fenetre],
        |r| r.get(0),
    )?;
    let limite = if paire >= par_paire {
        Limite::Paire
    } else {
        Limite::Adresse
    };
    let filtre = match limite {
        Limite::Paire => "adresse = ?2 AND email = ?1",
        Limite::Adresse => "adresse = ?2",
    };
    let ecoule: Option<i64> = conn
        .query_row(
            &format!(
                "SELECT CAST(strftime('%s', 'now') AS INTEGER) - CAST(strftime('%s', min(quand)) AS INTEGER)
                 FROM tentative_connexion WHERE {filtre} AND quand >= {DEPUIS}"
            ),
            params![email, adresse, fenetre],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    let reste = i64::from(fenetre_minutes) * 60 - ecoule.unwrap_or(0);
    Ok(Tentative::Refusee {
        limite,
        secondes: reste.clamp(1, i64::from(fenetre_minutes) * 60) as u64,
    })
}

/// The password proved wrong: the attempt now slows the e-mail's next checks.
pub fn echouee(conn: &Connection, id: i64) -> Result<()> {
    executer(
        conn,
        "UPDATE tentative_connexion SET echec = 1 WHERE id = ?1",
        [id],
    )?;
    Ok(())
}

/// A successful sign-in: forgets this attempt and the earlier failures of the same pair,
/// which were the owner's own typing mistakes.
pub fn reussie(conn: &Connection, id: i64, email: &str, adresse: &str) -> Result<()> {
    executer(
        conn,
        "DELETE FROM tentative_connexion WHERE id = ?1 OR (email = ?2 AND adresse = ?3)",
        params![id, email, adresse],
    )?;
    Ok(())
}

/// An attempt whose password could not be checked (the server was too busy): it proved
/// nothing, so it does not count.
pub fn annulee(conn: &Connection, id: i64) -> Result<()> {
    executer(conn, "DELETE FROM tentative_connexion WHERE id = ?1", [id])?;
    Ok(())
}

/// Forgets the failures on an e-mail, when its password is replaced.
pub(super) fn oublier_email(conn: &Connection, email: &str) -> Result<()> {
    executer(
        conn,
        "DELETE FROM tentative_connexion WHERE email = ?1",
        [email],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn noter_15(conn: &Connection, email: &str, adresse: &str) -> Tentative {
        noter(conn, email, adresse, 15, 5, 25).unwrap()
    }

    #[test]
    fn the_pair_limit_then_the_address_limit() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::ouvrir(&dir.path().join("t.db")).unwrap();
        let conn = store.connexion().unwrap();
        for n in 0..5 {
            assert_eq!(
                noter_15(&conn, "a@b.ml", "192.0.2.1"),
                Tentative::Notee {
                    id: n + 1,
                    echecs_email: n as u64
                }
            );
            echouee(&conn, n + 1).unwrap();
        }
        let Tentative::Refusee { limite, secondes } = noter_15(&conn, "a@b.ml", "192.0.2.1") else {
            panic!("the sixth attempt of the pair passes");
        };
        assert_eq!(limite, Limite::Paire);
        assert!((890..=900).contains(&secondes), "{secondes}");
        // Another address goes on, and sees the e-mail's failures for its delay.
        assert!(matches!(
            noter_15(&conn, "a@b.ml", "192.0.2.2"),
            Tentative::Notee {
                echecs_email: 5,
                ..
            }
        ));
        assert!(
            matches!(
                noter_15(&conn, "a@b.ml", "192.0.2.3"),
                Tentative::Notee {
                    echecs_email: 5,
                    ..
                }
            ),
            "an attempt still being checked does not slow the others"
        );
        // One address, many e-mails: 25 in all.
        for n in 0..20 {
            assert!(matches!(
                noter_15(&conn, &format!("{n}@b.ml"), "192.0.2.1"),
                Tentative::Notee { .. }
            ));
        }
        assert!(matches!(
            noter_15(&conn, "autre@b.ml", "192.0.2.1"),
            Tentative::Refusee {
                limite: Limite::Adresse,
                ..
            }
        ));
        // Old attempts no longer count.
        conn.execute(
            "UPDATE tentative_connexion SET quand = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-16 minutes')",
            [],
        )
        .unwrap();
        let Tentative::Notee { id, echecs_email } = noter_15(&conn, "a@b.ml", "192.0.2.1") else {
            panic!("the window has passed");
        };
        assert_eq!(echecs_email, 0);
        reussie(&conn, id, "a@b.ml", "192.0.2.1").unwrap();
        annulee(&conn, 1).unwrap();
        let restent: i64 = conn
            .query_row(
                "SELECT count(*) FROM tentative_connexion WHERE email = 'a@b.ml'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(
            restent, 2,
            "only the attempts of the other addresses remain"
        );
    }
}
