//! Accounts, sessions, and refused API tokens (sign-in attempts are in `tentative`).

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::sql::code;
use super::{MAINTENANT, Result, StoreError, atomique};
use crate::model::{ActeurId, CollectiviteId, Compte, CompteId, Email, Role};
use crate::store::sql::executer;

/// An account from a row with its `id`, `email`, `role` and `actif` columns.
pub(super) fn lire(conn: &Connection, row: &Row<'_>) -> rusqlite::Result<Compte> {
    let id: CompteId = row.get("id")?;
    let email: String = row.get("email")?;
    let mut stmt = conn.prepare_cached(
        "SELECT collectivite_id FROM compte_collectivite WHERE compte_id = ?1 ORDER BY collectivite_id",
    )?;
    let collectivites = stmt
        .query_map([id.0], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<CollectiviteId>>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT acteur_id FROM compte_acteur WHERE compte_id = ?1 ORDER BY acteur_id",
    )?;
    let acteurs = stmt
        .query_map([id.0], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<ActeurId>>>()?;
    Ok(Compte {
        id,
        email: Email::new(&email).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(1, rusqlite::types::Type::Text, Box::new(e))
        })?,
        role: code(row, "role")?,
        actif: row.get("actif")?,
        collectivites,
        acteurs,
    })
}

/// Creates an account bound to the collectivités or the acteurs it speaks for (as its role
/// allows: [`Role::verifier_rattachements`]); an e-mail already in use, or an acteur that
/// does not exist, is refused.
pub fn creer(
    conn: &Connection,
    email: &Email,
    hash: &str,
    role: Role,
    collectivites: &[CollectiviteId],
    acteurs: &[ActeurId],
) -> Result<CompteId> {
    role.verifier_rattachements(collectivites, acteurs)?;
    if par_email(conn, email)?.is_some() {
        return Err(StoreError::Existe(format!(
            "un compte utilise déjà l'adresse {email}"
        )));
    }
    for acteur in acteurs {
        if super::acteur::par_id(conn, *acteur)?.is_none() {
            return Err(StoreError::Introuvable(format!("l'acteur n° {acteur}")));
        }
    }
    atomique(conn, || {
        executer(
            conn,
            "INSERT INTO compte (email, hash, role) VALUES (?1, ?2, ?3)",
            params![email.as_str(), hash, role.code()],
        )?;
        let id = CompteId(conn.last_insert_rowid());
        for c in collectivites {
            executer(
                conn,
                "INSERT OR IGNORE INTO compte_collectivite (compte_id, collectivite_id) VALUES (?1, ?2)",
                params![id.0, c],
            )?;
        }
        for a in acteurs {
            executer(
                conn,
                "INSERT OR IGNORE INTO compte_acteur (compte_id, acteur_id) VALUES (?1, ?2)",
                params![id.0, a],
            )?;
        }
        Ok(id)
    })
}

/// The account with this e-mail and its password hash.
pub fn par_email(conn: &Connection, email: &Email) -> Result<Option<(Compte, String)>> {
    Ok(conn
        .prepare_cached("SELECT id, email, role, actif, hash FROM compte WHERE email = ?1")?
        .query_row([email.as_str()], |r| Ok((lire(conn, r)?, r.get("hash")?)))
        .optional()?)
}

/// Every account, by e-mail.
pub fn lister(conn: &Connection) -> Result<Vec<Compte>> {
    let mut stmt =
        conn.prepare_cached("SELECT id, email, role, actif FROM compte ORDER BY email")?;
    let comptes = stmt
        .query_map([], |r| lire(conn, r))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(comptes)
}

/// Disables an account and closes its sessions; returns false when there is no such account.
pub fn desactiver(conn: &Connection, email: &Email) -> Result<bool> {
    atomique(conn, || {
        let n = executer(
            conn,
            "UPDATE compte SET actif = 0 WHERE email = ?1",
            [email.as_str()],
        )?;
        executer(
            conn,
            "DELETE FROM session WHERE compte_id IN (SELECT id FROM compte WHERE email = ?1)",
            [email.as_str()],
        )?;
        Ok(n > 0)
    })
}

/// Replaces the password hash, closes every session of the account but `garder` (the
/// session that changed it, if any) and revokes its API tokens: whoever knew the old
/// password may have made some. Failed sign-ins on its e-mail are forgotten. Returns how
/// many tokens were revoked.
pub fn changer_hash(
    conn: &Connection,
    id: CompteId,
    hash: &str,
    garder: Option<&str>,
) -> Result<usize> {
    atomique(conn, || {
        executer(
            conn,
            &format!(
                "UPDATE compte SET hash = ?2, mot_de_passe_change_le = {MAINTENANT} WHERE id = ?1"
            ),
            params![id.0, hash],
        )?;
        executer(
            conn,
            "DELETE FROM session WHERE compte_id = ?1 AND jeton_hash IS NOT ?2",
            params![id.0, garder],
        )?;
        let revoques = super::jeton_api::revoquer_tous(conn, id)?;
        let email: String =
            conn.query_row("SELECT email FROM compte WHERE id = ?1", [id.0], |r| {
                r.get(0)
            })?;
        super::tentative::oublier_email(conn, &email)?;
        Ok(revoques)
    })
}

/// Opens a session for an account: the token's hash and its CSRF token.
pub fn ouvrir_session(
    conn: &Connection,
    empreinte: &str,
    compte: CompteId,
    csrf: &str,
) -> Result<()> {
    executer(
        conn,
        "INSERT INTO session (jeton_hash, compte_id, csrf) VALUES (?1, ?2, ?3)",
        params![empreinte, compte.0, csrf],
    )?;
    // Sessions past every limit are refused when read; they are cleared here, a day later.
    executer(
        conn,
        "DELETE FROM session WHERE vu_le < strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-1 day')
         OR cree_le < strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-1 day')",
        [],
    )?;
    Ok(())
}

/// How long a session lives: at most `inactivite_minutes` between two requests, and at
/// most `duree_minutes` from sign-in, however active.
#[derive(Debug, Clone, Copy)]
pub struct DureeSession {
    pub inactivite_minutes: u32,
    pub duree_minutes: u32,
}

/// A live session: its account, its CSRF token, and whether it was last marked seen long
/// enough ago to be marked again ([`marquer_vue`]).
pub struct SessionVivante {
    pub compte: Compte,
    pub csrf: String,
    pub a_marquer: bool,
}

/// The live session with this hash — one of an active account, within both limits of
/// `duree` — if there is one. It only reads: a signed-in page view does not take the write
/// lock, except about once a minute to mark the session seen.
pub fn session(
    conn: &Connection,
    empreinte: &str,
    duree: DureeSession,
) -> Result<Option<SessionVivante>> {
    Ok(conn
        .prepare_cached(
            "SELECT c.id, c.email, c.role, c.actif, s.csrf,
                    s.vu_le < strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-1 minute') AS a_marquer
             FROM session s JOIN compte c ON c.id = s.compte_id
             WHERE s.jeton_hash = ?1 AND c.actif = 1
               AND s.vu_le >= strftime('%Y-%m-%dT%H:%M:%SZ', 'now', ?2)
               AND s.cree_le >= strftime('%Y-%m-%dT%H:%M:%SZ', 'now', ?3)",
        )?
        .query_row(
            params![
                empreinte,
                format!("-{} minutes", duree.inactivite_minutes),
                format!("-{} minutes", duree.duree_minutes)
            ],
            |r| {
                Ok(SessionVivante {
                    compte: lire(conn, r)?,
                    csrf: r.get("csrf")?,
                    a_marquer: r.get("a_marquer")?,
                })
            },
        )
        .optional()?)
}

/// Marks a session seen now (the inactivity limit counts from here).
pub fn marquer_vue(conn: &Connection, empreinte: &str) -> Result<()> {
    executer(
        conn,
        "UPDATE session SET vu_le = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE jeton_hash = ?1",
        [empreinte],
    )?;
    Ok(())
}

pub fn fermer_session(conn: &Connection, empreinte: &str) -> Result<()> {
    executer(
        conn,
        "DELETE FROM session WHERE jeton_hash = ?1",
        [empreinte],
    )?;
    Ok(())
}

/// Records a failure under each key (`jeton:…` for refused API tokens, by address).
pub fn noter_echec(conn: &Connection, cles: &[String]) -> Result<()> {
    for cle in cles {
        executer(conn, "INSERT INTO echec_connexion (cle) VALUES (?1)", [cle])?;
    }
    executer(
        conn,
        "DELETE FROM echec_connexion WHERE quand < strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-1 day')",
        [],
    )?;
    Ok(())
}

/// Failures under `cle` in the last `minutes`.
pub fn echecs_recents(conn: &Connection, cle: &str, minutes: u32) -> Result<u64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM echec_connexion WHERE cle = ?1 AND quand >= strftime('%Y-%m-%dT%H:%M:%SZ', 'now', ?2)",
        params![cle, format!("-{minutes} minutes")],
        |r| r.get(0),
    )?)
}

/// After territorial reforms, an account bound to a former collectivité speaks for its
/// successors too, so that nobody is left without the collectivité they serve. Returns how
/// many bindings were added.
pub fn suivre_successeurs(conn: &Connection) -> Result<usize> {
    Ok(executer(
        conn,
        "INSERT OR IGNORE INTO compte_collectivite (compte_id, collectivite_id)
         WITH RECURSIVE suite(compte_id, collectivite_id) AS (
             SELECT compte_id, collectivite_id FROM compte_collectivite
             UNION
             SELECT suite.compte_id, s.successeur_id FROM suite
             JOIN collectivite_successeur s ON s.predecesseur_id = suite.collectivite_id)
         SELECT compte_id, collectivite_id FROM suite",
        [],
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ErreurModele, NouvelActeur, TypeOrganisation};
    use crate::store::Store;

    #[test]
    fn an_association_account_is_bound_to_acteurs_that_exist_and_read_with_them() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::ouvrir(&dir.path().join("c.db")).unwrap();
        let conn = store.connexion().unwrap();
        let association = super::super::acteur::creer(
            &conn,
            NouvelActeur {
                nom: "Comité de jumelage".into(),
                type_organisation: TypeOrganisation::OngInternationale,
                identifiant_iati: None,
                pays: None,
                collectivite: None,
            },
        )
        .unwrap();
        let email = |e: &str| Email::new(e).unwrap();
        let inconnu = creer(
            &conn,
            &email("a@b.fr"),
            "$argon2id$x",
            Role::Acteur,
            &[],
            &[ActeurId(999)],
        );
        assert!(matches!(inconnu, Err(StoreError::Introuvable(m)) if m.contains("999")));
        let lecteur = creer(
            &conn,
            &email("a@b.fr"),
            "$argon2id$x",
            Role::Lecteur,
            &[],
            &[association],
        );
        assert!(matches!(
            lecteur,
            Err(StoreError::Modele(ErreurModele::ActeursHorsCompteActeur))
        ));
        assert!(lister(&conn).unwrap().is_empty(), "nothing written");
        let id = creer(
            &conn,
            &email("a@b.fr"),
            "$argon2id$x",
            Role::Acteur,
            &[],
            &[association],
        )
        .unwrap();
        let (lu, _) = par_email(&conn, &email("a@b.fr")).unwrap().unwrap();
        assert_eq!(
            (lu.id, lu.role, lu.collectivites, lu.acteurs),
            (id, Role::Acteur, vec![], vec![association])
        );
    }
}
