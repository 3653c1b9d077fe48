//! Personal API tokens: an account signs its API writes with one. Only the token's hash is
//! stored (like sessions); a revoked token stays listed, and is refused.

use rusqlite::{Connection, OptionalExtension, params};

use super::{MAINTENANT, Result};
use crate::model::{Compte, CompteId};
use crate::store::sql::executer;

/// A token as its owner sees it: never the token itself, which is shown once at creation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JetonApi {
    pub id: i64,
    pub nom: String,
    pub cree_le: String,
    pub utilise_le: Option<String>,
    pub revoque_le: Option<String>,
}

/// Records a token of `compte` by the hash of its value; `nom` says what it is for.
pub fn creer(conn: &Connection, compte: CompteId, empreinte: &str, nom: &str) -> Result<i64> {
    let nom = crate::model::texte_requis("nom", nom, 100, crate::model::Saisie::Ligne)?;
    executer(
        conn,
        "INSERT INTO jeton_api (compte_id, empreinte, nom) VALUES (?1, ?2, ?3)",
        params![compte.0, empreinte, nom],
    )?;
    Ok(conn.last_insert_rowid())
}

/// The active account whose live token has this hash, and whether the token's last use was
/// noted long enough ago to be noted again ([`noter_utilisation`]). It only reads, so that
/// checking a token does not take the write lock.
pub fn compte(conn: &Connection, empreinte: &str) -> Result<Option<(Compte, bool)>> {
    Ok(conn
        .prepare_cached(
            "SELECT c.id, c.email, c.role, c.actif,
                    coalesce(j.utilise_le < strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-1 minute'), 1)
                        AS a_noter
             FROM jeton_api j JOIN compte c ON c.id = j.compte_id
             WHERE j.empreinte = ?1 AND j.revoque_le IS NULL AND c.actif = 1",
        )?
        .query_row([empreinte], |r| {
            Ok((super::compte::lire(conn, r)?, r.get("a_noter")?))
        })
        .optional()?)
}

/// Notes that the token was used now (shown on the account's list of tokens).
pub fn noter_utilisation(conn: &Connection, empreinte: &str) -> Result<()> {
    executer(
        conn,
        &format!("UPDATE jeton_api SET utilise_le = {MAINTENANT} WHERE empreinte = ?1"),
        [empreinte],
    )?;
    Ok(())
}

/// The tokens of an account, newest first.
pub fn lister(conn: &Connection, compte: CompteId) -> Result<Vec<JetonApi>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, nom, cree_le, utilise_le, revoque_le FROM jeton_api WHERE compte_id = ?1
         ORDER BY id DESC",
    )?;
    let lignes = stmt.query_map([compte.0], |r| {
        Ok(JetonApi {
            id: r.get(0)?,
            nom: r.get(1)?,
            cree_le: r.get(2)?,
            utilise_le: r.get(3)?,
            revoque_le: r.get(4)?,
        })
    })?;
    Ok(lignes.collect::<rusqlite::Result<_>>()?)
}

/// Revokes a token of `compte`; false when it has no such live token.
pub fn revoquer(conn: &Connection, compte: CompteId, id: i64) -> Result<bool> {
    let n = executer(
        conn,
        &format!(
            "UPDATE jeton_api SET revoque_le = {MAINTENANT}
             WHERE id = ?1 AND compte_id = ?2 AND revoque_le IS NULL"
        ),
        params![id, compte.0],
    )?;
    Ok(n > 0)
}

/// Revokes every live token of `compte` (its password was replaced); returns how many.
pub fn revoquer_tous(conn: &Connection, compte: CompteId) -> Result<usize> {
    Ok(executer(
        conn,
        &format!(
            "UPDATE jeton_api SET revoque_le = {MAINTENANT} WHERE compte_id = ?1 AND revoque_le IS NULL"
        ),
        [compte.0],
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Email, Role};
    use crate::store::{Store, compte as comptes};

    #[test]
    fn a_token_finds_its_account_until_revoked() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::ouvrir(&dir.path().join("j.db")).unwrap();
        let conn = store.connexion().unwrap();
        let email = Email::new("a@exemple.ml").unwrap();
        let id = comptes::creer(&conn, &email, "$argon2id$x", Role::Lecteur, &[], &[]).unwrap();
        let empreinte = "a".repeat(64);
        let jeton = creer(&conn, id, &empreinte, " script ").unwrap();
        let (trouve, a_noter) = compte(&conn, &empreinte).unwrap().unwrap();
        assert_eq!((trouve.id, a_noter), (id, true), "never used: to note");
        noter_utilisation(&conn, &empreinte).unwrap();
        assert!(!compte(&conn, &empreinte).unwrap().unwrap().1, "just noted");
        assert!(compte(&conn, &"b".repeat(64)).unwrap().is_none());
        let liste = lister(&conn, id).unwrap();
        assert_eq!(liste[0].nom, "script");
        assert!(liste[0].utilise_le.is_some());
        assert!(
            !revoquer(&conn, CompteId(id.0 + 1), jeton).unwrap(),
            "not its own"
        );
        assert!(revoquer(&conn, id, jeton).unwrap());
        assert!(!revoquer(&conn, id, jeton).unwrap(), "already revoked");
        assert!(compte(&conn, &empreinte).unwrap().is_none());
        assert!(
            creer(&conn, id, &"c".repeat(64), "  ").is_err(),
            "a name is required"
        );
    }
}
