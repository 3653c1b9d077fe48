//! The journal: every change to a record, who made it, when, and the values before and after.

use rusqlite::{Connection, params};

use super::Result;
use crate::model::CompteId;
use crate::store::sql::executer;

/// One change of a record.
#[derive(Debug, Clone, PartialEq)]
pub struct Entree {
    pub quand: String,
    /// The account that made the change; none for the command line and the data loads.
    pub compte: Option<String>,
    pub operation: String,
    pub avant: Option<serde_json::Value>,
    pub apres: Option<serde_json::Value>,
    pub commentaire: Option<String>,
}

/// Writes one change; `objet` is `partenariat`, `action`, `financement`, `collectivite` or `compte`.
pub fn noter(
    conn: &Connection,
    compte: Option<CompteId>,
    (objet, objet_id): (&str, i64),
    operation: &str,
    avant: Option<&serde_json::Value>,
    apres: Option<&serde_json::Value>,
    commentaire: Option<&str>,
) -> Result<()> {
    executer(
        conn,
        "INSERT INTO journal (compte_id, objet, objet_id, operation, avant, apres, commentaire)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            compte.map(|c| c.0),
            objet,
            objet_id,
            operation,
            avant.map(ToString::to_string),
            apres.map(ToString::to_string),
            commentaire
        ],
    )?;
    Ok(())
}

/// The changes of one record, oldest first.
pub fn historique(conn: &Connection, objet: &str, objet_id: i64) -> Result<Vec<Entree>> {
    let mut stmt = conn.prepare_cached(
        "SELECT j.quand, c.email, j.operation, j.avant, j.apres, j.commentaire
         FROM journal j LEFT JOIN compte c ON c.id = j.compte_id
         WHERE j.objet = ?1 AND j.objet_id = ?2 ORDER BY j.quand, j.id",
    )?;
    let json = |texte: Option<String>| texte.and_then(|t| serde_json::from_str(&t).ok());
    let lignes = stmt.query_map(params![objet, objet_id], |r| {
        Ok(Entree {
            quand: r.get(0)?,
            compte: r.get(1)?,
            operation: r.get(2)?,
            avant: json(r.get(3)?),
            apres: json(r.get(4)?),
            commentaire: r.get(5)?,
        })
    })?;
    Ok(lignes.collect::<rusqlite::Result<_>>()?)
}

/// The values of one change that may be rewritten: its snapshots and its comment.
pub struct Contenu {
    pub avant: Option<serde_json::Value>,
    pub apres: Option<serde_json::Value>,
    pub commentaire: Option<String>,
}

/// Rewrites the changes of one record through `expurger`, which returns whether it changed
/// anything: the one way the journal forgets, for personal data that must not outlive its
/// removal (a contact's name, e-mail and telephone). Returns how many changes were rewritten.
pub fn expurger(
    conn: &Connection,
    (objet, objet_id): (&str, i64),
    mut expurger: impl FnMut(&mut Contenu) -> bool,
) -> Result<usize> {
    let mut lecture = conn.prepare_cached(
        "SELECT id, avant, apres, commentaire FROM journal WHERE objet = ?1 AND objet_id = ?2",
    )?;
    let json = |texte: Option<String>| texte.and_then(|t| serde_json::from_str(&t).ok());
    let entrees = lecture
        .query_map(params![objet, objet_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                Contenu {
                    avant: json(r.get(1)?),
                    apres: json(r.get(2)?),
                    commentaire: r.get(3)?,
                },
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut ecriture = conn.prepare_cached(
        "UPDATE journal SET avant = ?2, apres = ?3, commentaire = ?4 WHERE id = ?1",
    )?;
    let mut reecrites = 0;
    for (id, mut contenu) in entrees {
        if expurger(&mut contenu) {
            ecriture.execute(params![
                id,
                contenu.avant.as_ref().map(ToString::to_string),
                contenu.apres.as_ref().map(ToString::to_string),
                contenu.commentaire
            ])?;
            reecrites += 1;
        }
    }
    Ok(reecrites)
}
