//! The national review of declared records, and their archiving: each step changes one
//! record's state and is journalled with the values before and after.

use rusqlite::{Connection, params};

use super::{MAINTENANT, Result, StoreError, action, atomique, journal, partenariat};
use crate::model::{ActionId, CompteId, PartenariatId, Saisie, texte_requis};
use crate::store::sql::executer;

/// A record that goes through the review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Objet {
    Partenariat(PartenariatId),
    Action(ActionId),
}

impl Objet {
    fn table(self) -> (&'static str, i64) {
        match self {
            Objet::Partenariat(id) => ("partenariat", id.0),
            Objet::Action(id) => ("action", id.0),
        }
    }

    fn instantane(self, conn: &Connection) -> Result<serde_json::Value> {
        match self {
            Objet::Partenariat(id) => partenariat::instantane(conn, id),
            Objet::Action(id) => action::instantane(conn, id),
        }
    }
}

/// What the review shows beside a record waiting for it: who submitted it and when, and
/// the version the public saw before, when a published record was changed.
#[derive(Debug, Clone, PartialEq)]
pub struct Soumission {
    /// The account that made the last declaration or change; none for the command line.
    pub par: Option<String>,
    /// When (the journal's RFC 3339 instant); none for a record the journal never saw.
    pub le: Option<String>,
    /// The record as it was last validated; none for a first declaration.
    pub publie: Option<serde_json::Value>,
    /// The record as it stands, waiting.
    pub propose: serde_json::Value,
}

/// Reads from the journal who submitted `objet`, when, and what was published before.
pub fn soumission(conn: &Connection, objet: Objet) -> Result<Soumission> {
    let (table, id) = objet.table();
    let historique = journal::historique(conn, table, id)?;
    let derniere = derniere_declaration(&historique);
    let publie = historique
        .iter()
        .rev()
        .find(|e| e.operation == "validation")
        .and_then(|e| e.apres.clone());
    Ok(Soumission {
        par: derniere.and_then(|e| e.compte.clone()),
        le: derniere.map(|e| e.quand.clone()),
        publie,
        propose: objet.instantane(conn)?,
    })
}

/// The journal's last declaration or change of a record (what the review examines).
fn derniere_declaration(historique: &[journal::Entree]) -> Option<&journal::Entree> {
    historique
        .iter()
        .rev()
        .find(|e| matches!(e.operation.as_str(), "creation" | "modification") && e.apres.is_some())
}

/// The e-mail of the account that last declared or changed `objet`; none for the command
/// line. [`soumission`] without the snapshots.
pub fn declarant(conn: &Connection, objet: Objet) -> Result<Option<String>> {
    let (table, id) = objet.table();
    let historique = journal::historique(conn, table, id)?;
    Ok(derniere_declaration(&historique).and_then(|e| e.compte.clone()))
}

/// The one way a record changes state: check it exists, snapshot it, apply `changement`,
/// mark it modified, snapshot it again and journal the step with both snapshots.
fn journaliser(
    conn: &Connection,
    objet: Objet,
    compte: CompteId,
    operation: &str,
    commentaire: Option<&str>,
    changement: impl FnOnce(&str, i64) -> Result<()>,
) -> Result<()> {
    let (table, id) = objet.table();
    let existe: bool = conn.query_row(
        &format!("SELECT EXISTS (SELECT 1 FROM {table} WHERE id = ?1)"),
        [id],
        |r| r.get(0),
    )?;
    if !existe {
        return Err(StoreError::Introuvable(format!("{table} n° {id}")));
    }
    atomique(conn, || {
        let avant = objet.instantane(conn)?;
        changement(table, id)?;
        executer(
            conn,
            &format!("UPDATE {table} SET modifie_le = {MAINTENANT} WHERE id = ?1"),
            [id],
        )?;
        let apres = objet.instantane(conn)?;
        journal::noter(
            conn,
            Some(compte),
            (table, id),
            operation,
            Some(&avant),
            Some(&apres),
            commentaire,
        )
    })
}

/// Sets review columns (`affectation`, where `?2` is the comment) as one journalled step.
fn changer(
    conn: &Connection,
    objet: Objet,
    compte: CompteId,
    (operation, affectation): (&str, &str),
    commentaire: Option<&str>,
) -> Result<()> {
    journaliser(conn, objet, compte, operation, commentaire, |table, id| {
        executer(
            conn,
            &format!("UPDATE {table} SET {affectation} WHERE id = ?1"),
            params![id, commentaire],
        )?;
        Ok(())
    })
}

/// A national administrator makes a declared record public.
pub fn valider(conn: &Connection, objet: Objet, admin: CompteId) -> Result<()> {
    changer(
        conn,
        objet,
        admin,
        (
            "validation",
            "validation = 'valide', commentaire_validation = ?2",
        ),
        None,
    )
}

/// A national administrator sends a declaration back to its authority with what to correct.
pub fn renvoyer(conn: &Connection, objet: Objet, admin: CompteId, commentaire: &str) -> Result<()> {
    let commentaire = texte_requis("commentaire", commentaire, 2_000, Saisie::Paragraphe)?;
    changer(
        conn,
        objet,
        admin,
        (
            "correction",
            "validation = 'a_corriger', commentaire_validation = ?2",
        ),
        Some(&commentaire),
    )
}

/// Archives a record: it leaves the public pages and the figures, and stays restorable.
pub fn archiver(conn: &Connection, objet: Objet, compte: CompteId) -> Result<()> {
    changer(
        conn,
        objet,
        compte,
        (
            "archivage",
            "archive = 1, commentaire_validation = coalesce(?2, commentaire_validation)",
        ),
        None,
    )
}

/// Brings an archived record back.
pub fn restaurer(conn: &Connection, objet: Objet, admin: CompteId) -> Result<()> {
    changer(
        conn,
        objet,
        admin,
        (
            "restauration",
            "archive = 0, commentaire_validation = coalesce(?2, commentaire_validation)",
        ),
        None,
    )
}

/// Applies `modification` to a record and journals it with the values before and after. A
/// change made by an authority (`resoumettre`) sends the record back to review: the public
/// sees only what an administrator validated.
pub fn modifier(
    conn: &Connection,
    objet: Objet,
    compte: CompteId,
    resoumettre: bool,
    modification: impl FnOnce() -> Result<()>,
) -> Result<()> {
    journaliser(conn, objet, compte, "modification", None, |table, id| {
        modification()?;
        if resoumettre {
            executer(
                conn,
                &format!("UPDATE {table} SET validation = 'soumis' WHERE id = ?1"),
                [id],
            )?;
        }
        Ok(())
    })
}

/// How many partenariats and actions wait for the review (archived ones aside).
pub fn nombre_en_revue(conn: &Connection) -> Result<(u64, u64)> {
    Ok(conn.query_row(
        "SELECT (SELECT count(*) FROM partenariat WHERE validation = 'soumis' AND archive = 0),
                (SELECT count(*) FROM action WHERE validation = 'soumis' AND archive = 0)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?)
}

/// The title of a reviewed record, and for an action the partenariat it belongs to.
pub fn titre(conn: &Connection, objet: Objet) -> Result<(String, Option<PartenariatId>)> {
    let (table, id) = objet.table();
    let (titre, partenariat): (String, Option<i64>) = conn.query_row(
        &match objet {
            Objet::Partenariat(_) => format!("SELECT titre, NULL FROM {table} WHERE id = ?1"),
            Objet::Action(_) => format!("SELECT titre, partenariat_id FROM {table} WHERE id = ?1"),
        },
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok((titre, partenariat.map(PartenariatId)))
}
