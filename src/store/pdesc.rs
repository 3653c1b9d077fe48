//! The collectivités' PDESC (migration 0024): one in force per collectivité, its objectives,
//! and the objective an action serves.

use rusqlite::{Connection, OptionalExtension, params};

use super::{MAINTENANT, Result, StoreError, atomique, journal};
use crate::model::{ActionId, CollectiviteId, CompteId, ObjectifId, Pdesc};
use crate::store::sql::executer;

/// An objective, with the public actions that cite it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectifLu {
    pub id: ObjectifId,
    pub libelle: String,
    /// Public actions serving it: id and title.
    pub actions: Vec<(ActionId, String)>,
}

/// A PDESC as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdescLu {
    pub titre: String,
    pub debut: i32,
    pub fin: i32,
    pub reference: Option<String>,
    pub objectifs: Vec<ObjectifLu>,
}

impl PdescLu {
    /// How many objectives no public action serves.
    pub fn sans_action(&self) -> usize {
        self.objectifs
            .iter()
            .filter(|o| o.actions.is_empty())
            .count()
    }
}

/// The PDESC of a collectivité, with the public actions citing each objective.
pub fn de_la_collectivite(conn: &Connection, id: CollectiviteId) -> Result<Option<PdescLu>> {
    let Some((pdesc, titre, debut, fin, reference)) = conn
        .prepare_cached(
            "SELECT id, titre, debut, fin, reference FROM pdesc WHERE collectivite_id = ?1",
        )?
        .query_row([id.0], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
            ))
        })
        .optional()?
    else {
        return Ok(None);
    };
    let mut objectifs: Vec<ObjectifLu> = conn
        .prepare_cached("SELECT id, libelle FROM pdesc_objectif WHERE pdesc_id = ?1 ORDER BY rang")?
        .query_map([pdesc], |r| {
            Ok(ObjectifLu {
                id: ObjectifId(r.get(0)?),
                libelle: r.get(1)?,
                actions: Vec::new(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT a.id, a.titre FROM action_objectif o JOIN action_publiee a ON a.id = o.action_id
         WHERE o.objectif_id = ?1 ORDER BY a.titre, a.id",
    )?;
    for o in &mut objectifs {
        o.actions = stmt
            .query_map([o.id.0], |r| Ok((ActionId(r.get(0)?), r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
    }
    Ok(Some(PdescLu {
        titre,
        debut,
        fin,
        reference,
        objectifs,
    }))
}

/// Records the PDESC of `collectivite` in the place of the one before, journalled under the
/// collectivité with its `auteur` (none: the command line) and `commentaire` (an import
/// names its file). An objective keeps its identity while its wording stays; one that goes
/// while actions cite it is refused, naming it, and nothing is written.
pub fn enregistrer(
    conn: &Connection,
    collectivite: CollectiviteId,
    pdesc: &Pdesc,
    auteur: Option<CompteId>,
    commentaire: Option<&str>,
) -> Result<()> {
    atomique(conn, || {
        let avant = instantane(conn, collectivite)?;
        let id: i64 = conn.query_row(
            &format!(
                "INSERT INTO pdesc (collectivite_id, debut, fin, titre, reference) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (collectivite_id) DO UPDATE SET debut = excluded.debut, fin = excluded.fin,
                   titre = excluded.titre, reference = excluded.reference, modifie_le = {MAINTENANT}
                 RETURNING id"
            ),
            params![collectivite.0, pdesc.debut, pdesc.fin, pdesc.titre, pdesc.reference],
            |r| r.get(0),
        )?;
        let anciens: Vec<(i64, String, i64)> = conn
            .prepare_cached(
                "SELECT o.id, o.libelle, (SELECT count(*) FROM action_objectif a WHERE a.objectif_id = o.id)
                 FROM pdesc_objectif o WHERE o.pdesc_id = ?1",
            )?
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (ancien, libelle, citations) in &anciens {
            if pdesc.objectifs.contains(libelle) {
                continue;
            }
            if *citations > 0 {
                return Err(StoreError::Existe(format!(
                    "l'objectif « {libelle} » est servi par {citations} action(s) : gardez-le dans la liste, ou faites d'abord citer un autre objectif à ces actions"
                )));
            }
            executer(conn, "DELETE FROM pdesc_objectif WHERE id = ?1", [ancien])?;
        }
        for (rang, libelle) in pdesc.objectifs.iter().enumerate() {
            executer(
                conn,
                "INSERT INTO pdesc_objectif (pdesc_id, rang, libelle) VALUES (?1, ?2, ?3)
                 ON CONFLICT (pdesc_id, libelle) DO UPDATE SET rang = excluded.rang",
                params![id, rang as i64, libelle],
            )?;
        }
        let apres = instantane(conn, collectivite)?;
        journal::noter(
            conn,
            auteur,
            ("collectivite", collectivite.0),
            "modification",
            Some(&avant),
            Some(&apres),
            commentaire,
        )
    })
}

/// What the journal keeps of a collectivité's PDESC: one readable line, or null.
fn instantane(conn: &Connection, id: CollectiviteId) -> Result<serde_json::Value> {
    Ok(serde_json::json!({
        "pdesc": de_la_collectivite(conn, id)?.map(|p| {
            let objectifs: Vec<&str> = p.objectifs.iter().map(|o| o.libelle.as_str()).collect();
            format!("{} ({}–{}) : {}", p.titre, p.debut, p.fin, objectifs.join(" ; "))
        })
    }))
}

/// The objectives an action may cite: those of the PDESC of the Malian parties of its
/// partenariat and of the collectivités where it takes place, with the collectivité's name.
pub fn objectifs_pour_action(
    conn: &Connection,
    action: ActionId,
) -> Result<Vec<(ObjectifId, String, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT o.id, c.nom, o.libelle
         FROM pdesc p JOIN pdesc_objectif o ON o.pdesc_id = p.id
         JOIN collectivite c ON c.id = p.collectivite_id
         WHERE p.collectivite_id IN (
             SELECT pa.collectivite_id FROM action a JOIN partie pa ON pa.partenariat_id = a.partenariat_id
             WHERE a.id = ?1
             UNION SELECT collectivite_id FROM action_lieu WHERE action_id = ?1)
         ORDER BY c.nom, p.id, o.rang",
    )?;
    let lignes = stmt.query_map([action.0], |r| {
        Ok((ObjectifId(r.get(0)?), r.get(1)?, r.get(2)?))
    })?;
    Ok(lignes.collect::<rusqlite::Result<_>>()?)
}

/// The objective an action serves, with its collectivité.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectifServi {
    pub id: ObjectifId,
    pub collectivite: CollectiviteId,
    pub collectivite_nom: String,
    pub libelle: String,
}

pub fn objectif_de_l_action(conn: &Connection, action: ActionId) -> Result<Option<ObjectifServi>> {
    Ok(conn
        .prepare_cached(
            "SELECT o.id, c.id, c.nom, o.libelle FROM action_objectif ao
             JOIN pdesc_objectif o ON o.id = ao.objectif_id
             JOIN pdesc p ON p.id = o.pdesc_id JOIN collectivite c ON c.id = p.collectivite_id
             WHERE ao.action_id = ?1",
        )?
        .query_row([action.0], |r| {
            Ok(ObjectifServi {
                id: ObjectifId(r.get(0)?),
                collectivite: CollectiviteId(r.get(1)?),
                collectivite_nom: r.get(2)?,
                libelle: r.get(3)?,
            })
        })
        .optional()?)
}

/// Sets (or clears) the objective an action serves: one that `objectifs_pour_action` offers.
pub fn citer(conn: &Connection, action: ActionId, objectif: Option<ObjectifId>) -> Result<()> {
    match objectif {
        None => executer(
            conn,
            "DELETE FROM action_objectif WHERE action_id = ?1",
            [action.0],
        )?,
        Some(o) => {
            if !objectifs_pour_action(conn, action)?
                .iter()
                .any(|(id, _, _)| *id == o)
            {
                return Err(StoreError::Introuvable(format!(
                    "objectif n° {o} parmi ceux des PDESC des collectivités de cette action"
                )));
            }
            executer(
                conn,
                "INSERT INTO action_objectif (action_id, objectif_id) VALUES (?1, ?2)
                 ON CONFLICT (action_id) DO UPDATE SET objectif_id = excluded.objectif_id",
                params![action.0, o.0],
            )?
        }
    };
    Ok(())
}
