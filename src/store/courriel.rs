//! E-mail kept in the database: the messages waiting for the SMTP server (retried until they
//! leave, across restarts) and the single-use links that let a person choose a password,
//! stored as the hash of their token only. Sending is `crate::courriel`'s job.

use rusqlite::{Connection, OptionalExtension, params};

use super::{MAINTENANT, Result, atomique};
use crate::model::{Compte, CompteId, Role, vocabulaire};
use crate::store::sql::{code, executer, meta, noter_meta};

vocabulaire! {
    /// What a message is about (the column `genre` of a kept one), for the logs and the
    /// metrics. « Mot de passe oublié » and the first sign-in carry a link: never kept here.
    Genre, champ = "genre" {
        ResumeRevue => ("resume_revue", "Résumé de la revue"),
        Decision => ("decision", "Décision de la revue"),
        RappelCampagne => ("rappel_campagne", "Rappel de la campagne"),
        BourseInteret => ("bourse_interet", "Intérêt dans la bourse aux partenariats"),
        Oubli => ("oubli", "Mot de passe oublié"),
        PremiereConnexion => ("premiere_connexion", "Première connexion"),
    }
}

/// One message, as written: French plain text and HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Courriel {
    pub genre: Genre,
    pub destinataire: String,
    pub sujet: String,
    pub texte: String,
    pub html: String,
}

/// A kept message due for sending, with how many times it was tried already.
#[derive(Debug, Clone)]
pub struct EnFile {
    pub id: i64,
    pub essais: u32,
    pub courriel: Courriel,
}

/// Puts a message in the queue, due now; inside the caller's transaction, so that a notice
/// leaves only if what it tells was written.
pub fn mettre_en_file(conn: &Connection, courriel: &Courriel) -> Result<()> {
    debug_assert!(
        !matches!(courriel.genre, Genre::Oubli | Genre::PremiereConnexion),
        "a message with a sign-in link is never kept"
    );
    executer(
        conn,
        "INSERT INTO courriel (genre, destinataire, sujet, texte, html) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            courriel.genre.code(),
            courriel.destinataire,
            courriel.sujet,
            courriel.texte,
            courriel.html
        ],
    )?;
    Ok(())
}

/// The oldest `nombre` messages due for sending now.
pub fn a_envoyer(conn: &Connection, nombre: u32) -> Result<Vec<EnFile>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT id, essais, genre, destinataire, sujet, texte, html FROM courriel
         WHERE envoye_le IS NULL AND abandonne_le IS NULL AND prochain_essai <= {MAINTENANT}
         ORDER BY prochain_essai, id LIMIT ?1"
    ))?;
    let lignes = stmt.query_map([nombre], |r| {
        Ok(EnFile {
            id: r.get("id")?,
            essais: r.get("essais")?,
            courriel: Courriel {
                genre: code(r, "genre")?,
                destinataire: r.get("destinataire")?,
                sujet: r.get("sujet")?,
                texte: r.get("texte")?,
                html: r.get("html")?,
            },
        })
    })?;
    Ok(lignes.collect::<rusqlite::Result<_>>()?)
}

/// How many seconds until the next kept message is due (0 when one is due now), if any waits.
pub fn prochain_dans(conn: &Connection) -> Result<Option<i64>> {
    Ok(conn.query_row(
        "SELECT max(0, CAST(round((julianday(min(prochain_essai)) - julianday('now')) * 86400) AS INTEGER))
         FROM courriel WHERE envoye_le IS NULL AND abandonne_le IS NULL",
        [],
        |r| r.get(0),
    )?)
}

/// The SMTP server took the message.
pub fn marquer_envoye(conn: &Connection, id: i64) -> Result<()> {
    executer(
        conn,
        &format!(
            "UPDATE courriel SET envoye_le = {MAINTENANT}, essais = essais + 1, derniere_erreur = NULL WHERE id = ?1"
        ),
        [id],
    )?;
    Ok(())
}

/// A try failed with `erreur`: retried in `dans_secondes`, or given up with `None`.
pub fn marquer_echec(
    conn: &Connection,
    id: i64,
    erreur: &str,
    dans_secondes: Option<u64>,
) -> Result<()> {
    match dans_secondes {
        Some(secondes) => executer(
            conn,
            "UPDATE courriel SET essais = essais + 1, derniere_erreur = ?2,
                    prochain_essai = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', ?3)
             WHERE id = ?1",
            params![id, erreur, format!("+{secondes} seconds")],
        )?,
        None => executer(
            conn,
            &format!(
                "UPDATE courriel SET essais = essais + 1, derniere_erreur = ?2, abandonne_le = {MAINTENANT}
                 WHERE id = ?1"
            ),
            params![id, erreur],
        )?,
    };
    Ok(())
}

/// How the queue stands: messages waiting, and given up over the last 30 days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EtatFile {
    pub en_attente: u64,
    pub abandonnes: u64,
}

pub fn etat_file(conn: &Connection) -> Result<EtatFile> {
    Ok(conn.query_row(
        "SELECT count(*) FILTER (WHERE envoye_le IS NULL AND abandonne_le IS NULL),
                count(*) FILTER (WHERE abandonne_le >= strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-30 days'))
         FROM courriel",
        [],
        |r| {
            Ok(EtatFile {
                en_attente: r.get(0)?,
                abandonnes: r.get(1)?,
            })
        },
    )?)
}

/// Why a sign-in link was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Motif {
    /// « Mot de passe oublié ».
    Oubli,
    /// An account just created by an administrator.
    PremiereConnexion,
}

impl Motif {
    fn code(self) -> &'static str {
        match self {
            Motif::Oubli => "oubli",
            Motif::PremiereConnexion => "premiere_connexion",
        }
    }
}

/// Keeps the hash of a new link's token for `compte`, valid `minutes`. The account's older
/// links of the same kind stop working: only the last message sent counts.
pub fn creer_lien(
    conn: &Connection,
    empreinte: &str,
    compte: CompteId,
    motif: Motif,
    minutes: u32,
) -> Result<()> {
    atomique(conn, || {
        executer(
            conn,
            &format!(
                "UPDATE lien_connexion SET utilise_le = {MAINTENANT}
                 WHERE compte_id = ?1 AND motif = ?2 AND utilise_le IS NULL"
            ),
            params![compte.0, motif.code()],
        )?;
        executer(
            conn,
            "INSERT INTO lien_connexion (jeton_hash, compte_id, motif, expire_le)
             VALUES (?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%SZ', 'now', ?4))",
            params![
                empreinte,
                compte.0,
                motif.code(),
                format!("+{minutes} minutes")
            ],
        )?;
        // links past their time are useless: cleared here, a day later
        executer(
            conn,
            "DELETE FROM lien_connexion WHERE expire_le < strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-1 day')",
            [],
        )?;
        Ok(())
    })
}

/// The active account whose unused, unexpired link has this hash, with the link's kind.
pub fn lien_valide(conn: &Connection, empreinte: &str) -> Result<Option<(Compte, Motif)>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT c.id, c.email, c.role, c.actif, l.motif
             FROM lien_connexion l JOIN compte c ON c.id = l.compte_id
             WHERE l.jeton_hash = ?1 AND l.utilise_le IS NULL AND l.expire_le > {MAINTENANT}
               AND c.actif = 1"
        ))?
        .query_row([empreinte], |r| {
            let motif: String = r.get("motif")?;
            let motif = if motif == Motif::Oubli.code() {
                Motif::Oubli
            } else {
                Motif::PremiereConnexion
            };
            Ok((super::compte::lire(conn, r)?, motif))
        })
        .optional()?)
}

/// Uses the link: true once, false if it was used, expired or never existed — checked and
/// marked in one statement, so that two uses at the same moment cannot both pass.
pub fn utiliser_lien(conn: &Connection, empreinte: &str, compte: CompteId) -> Result<bool> {
    let marques = executer(
        conn,
        &format!(
            "UPDATE lien_connexion SET utilise_le = {MAINTENANT}
             WHERE jeton_hash = ?1 AND compte_id = ?2 AND utilise_le IS NULL
               AND expire_le > {MAINTENANT}"
        ),
        params![empreinte, compte.0],
    )?;
    if marques == 1 {
        // every other link of the account stops too: the password was just chosen
        executer(
            conn,
            &format!(
                "UPDATE lien_connexion SET utilise_le = {MAINTENANT} WHERE compte_id = ?1 AND utilise_le IS NULL"
            ),
            [compte.0],
        )?;
    }
    Ok(marques == 1)
}

/// The e-mails of the active national administrators.
pub fn emails_administrateurs(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn
        .prepare_cached("SELECT email FROM compte WHERE role = ?1 AND actif = 1 ORDER BY email")?;
    let lignes = stmt.query_map([Role::AdminNational.code()], |r| r.get(0))?;
    Ok(lignes.collect::<rusqlite::Result<_>>()?)
}

/// The day (AAAA-MM-JJ) the last review digest was written, if ever.
pub fn dernier_resume(conn: &Connection) -> Result<Option<String>> {
    Ok(meta(conn, "resume_revue")?)
}

/// Notes that today's review digest was written (`jour`, AAAA-MM-JJ).
pub fn noter_resume(conn: &Connection, jour: &str) -> Result<()> {
    Ok(noter_meta(conn, "resume_revue", jour)?)
}
