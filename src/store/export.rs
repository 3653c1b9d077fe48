//! What the exports read: every public action with its partenariat's parties and operators,
//! its places, points, villages and money, streamed in id order. Each table is read by one
//! query walked alongside the actions (a merge on the action id), so a million actions cost
//! six queries, not five million, and only one action is held at a time.

use std::collections::HashMap;
use std::iter::Peekable;
use std::rc::Rc;

use rusqlite::Connection;

use super::financement::{self, FinancementLigne};
use super::{StoreError, acteur, action, collectivite, localite};
use crate::model::{Acteur, ActeurId, Action, Collectivite, Localite, PartenariatId, PointAction};

/// A public action and everything an export writes about it.
#[derive(Debug)]
pub struct ActionComplete<'a> {
    pub action: Action,
    /// The parties of its partenariat, Malian ones first, then by name.
    pub parties: &'a [Rc<Collectivite>],
    /// The NGO operators of its partenariat (intermédiaires `ong_operatrice`), by id.
    pub operateurs: &'a [Rc<Acteur>],
    /// The distinct sources of its financements, by name.
    pub sources: Vec<Rc<Acteur>>,
    /// Its places, by name.
    pub lieux: Vec<Collectivite>,
    /// Its points, in their order.
    pub points: Vec<PointAction>,
    /// Its villages, by name.
    pub localites: Vec<Localite>,
    /// Its financements, by year, kind and id.
    pub financements: Vec<FinancementLigne>,
    /// What it produced, in its order.
    pub resultats: Vec<crate::model::Resultat>,
}

/// Rows of another table, ordered by action id, taken one action at a time.
struct Suivi<I: Iterator<Item = rusqlite::Result<(i64, T)>>, T> {
    lignes: Peekable<I>,
}

impl<I: Iterator<Item = rusqlite::Result<(i64, T)>>, T> Suivi<I, T> {
    /// The rows of action `id`, skipping those of actions that are not exported.
    fn pour(&mut self, id: i64) -> rusqlite::Result<Vec<T>> {
        let mut trouvees = Vec::new();
        while let Some(ligne) = self
            .lignes
            .next_if(|l| l.as_ref().map_or(true, |(cle, _)| *cle <= id))
        {
            let (cle, t) = ligne?;
            if cle == id {
                trouvees.push(t);
            }
        }
        Ok(trouvees)
    }
}

/// The parties of every public partenariat; a collectivité party to many is read once.
fn parties(conn: &Connection) -> super::Result<ParPartenariat<Collectivite>> {
    let sql = format!(
        "SELECT pa.partenariat_id AS cle, {} FROM partie pa
         JOIN partenariat_publie p ON p.id = pa.partenariat_id
         JOIN collectivite c ON c.id = pa.collectivite_id
         ORDER BY pa.partenariat_id, c.pays <> 'ML', c.nom_normalise",
        collectivite::COLONNES
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut lignes = stmt.query([])?;
    let mut unites: HashMap<i64, Rc<Collectivite>> = HashMap::new();
    let mut parties: ParPartenariat<Collectivite> = HashMap::new();
    while let Some(ligne) = lignes.next()? {
        let id: i64 = ligne.get("id")?;
        let unite = match unites.get(&id) {
            Some(u) => Rc::clone(u),
            None => {
                let u = Rc::new(collectivite::lire(ligne)?);
                unites.insert(id, Rc::clone(&u));
                u
            }
        };
        parties.entry(ligne.get("cle")?).or_default().push(unite);
    }
    Ok(parties)
}

/// Records of another table, by partenariat, shared between its actions.
type ParPartenariat<T> = HashMap<PartenariatId, Vec<Rc<T>>>;

/// Every acteur by id.
type Acteurs = HashMap<ActeurId, Rc<Acteur>>;

/// Every acteur, and the NGO operators of each public partenariat.
fn acteurs(conn: &Connection) -> super::Result<(Acteurs, ParPartenariat<Acteur>)> {
    let sql = format!("SELECT {} FROM acteur a", acteur::COLONNES);
    let mut stmt = conn.prepare(&sql)?;
    let tous = stmt
        .query_map([], |r| acteur::lire(r).map(|a| (a.id, Rc::new(a))))?
        .collect::<rusqlite::Result<HashMap<_, _>>>()?;
    let mut stmt = conn.prepare(
        "SELECT i.partenariat_id, i.acteur_id FROM intermediaire i
         JOIN partenariat_publie p ON p.id = i.partenariat_id
         WHERE i.role = 'ong_operatrice' ORDER BY i.partenariat_id, i.acteur_id",
    )?;
    let mut lignes = stmt.query([])?;
    let mut operateurs: ParPartenariat<Acteur> = HashMap::new();
    while let Some(ligne) = lignes.next()? {
        if let Some(a) = tous.get(&ligne.get(1)?) {
            operateurs
                .entry(ligne.get(0)?)
                .or_default()
                .push(Rc::clone(a));
        }
    }
    Ok((tous, operateurs))
}

/// Calls `f` with every public action, in id order.
pub fn actions_publiques<E: From<StoreError>>(
    conn: &Connection,
    mut f: impl FnMut(&ActionComplete<'_>) -> Result<(), E>,
) -> Result<(), E> {
    let parties = parties(conn)?;
    let (acteurs, operateurs) = acteurs(conn)?;
    let sql_lieux = format!(
        "SELECT l.action_id AS cle, {} FROM action_lieu l
         JOIN collectivite c ON c.id = l.collectivite_id
         ORDER BY l.action_id, c.nom_normalise",
        collectivite::COLONNES
    );
    let mut stmt_lieux = conn.prepare(&sql_lieux).map_err(StoreError::from)?;
    let mut lieux = Suivi {
        lignes: stmt_lieux
            .query_map([], |r| Ok((r.get("cle")?, collectivite::lire(r)?)))
            .map_err(StoreError::from)?
            .peekable(),
    };
    let mut stmt_points = conn
        .prepare(
            "SELECT pt.action_id, pt.latitude, pt.longitude, pt.libelle, c.code FROM action_point pt
             LEFT JOIN collectivite c ON c.id = pt.collectivite_id
             ORDER BY pt.action_id, pt.rang",
        )
        .map_err(StoreError::from)?;
    let mut points = Suivi {
        lignes: stmt_points
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    PointAction {
                        latitude: r.get(1)?,
                        longitude: r.get(2)?,
                        libelle: r.get(3)?,
                        commune: r.get(4)?,
                    },
                ))
            })
            .map_err(StoreError::from)?
            .peekable(),
    };
    let sql_localites = format!(
        "SELECT {}, a.action_id FROM action_localite a JOIN localite l ON l.id = a.localite_id
         ORDER BY a.action_id, l.nom, l.pcode",
        localite::COLONNES
    );
    let mut stmt_localites = conn.prepare(&sql_localites).map_err(StoreError::from)?;
    let mut localites = Suivi {
        lignes: stmt_localites
            .query_map([], |r| Ok((r.get(6)?, localite::lire(r)?)))
            .map_err(StoreError::from)?
            .peekable(),
    };
    let sql_financements = format!(
        "{} ORDER BY f.action_id, f.annee, f.type, f.id",
        financement::LIGNES
    );
    let mut stmt_financements = conn.prepare(&sql_financements).map_err(StoreError::from)?;
    let mut financements = Suivi {
        lignes: stmt_financements
            .query_map([], |r| {
                Ok((r.get("action_id")?, financement::lire_ligne(r)?))
            })
            .map_err(StoreError::from)?
            .peekable(),
    };
    let sql_actions = format!(
        "SELECT {} FROM action_publiee a ORDER BY a.id",
        action::COLONNES
    );
    let mut stmt_actions = conn.prepare(&sql_actions).map_err(StoreError::from)?;
    let mut actions = stmt_actions.query([]).map_err(StoreError::from)?;
    while let Some(ligne) = actions.next().map_err(StoreError::from)? {
        let action = action::lire(ligne).map_err(StoreError::from)?;
        let financements = financements.pour(action.id.0).map_err(StoreError::from)?;
        let mut sources: Vec<Rc<Acteur>> = financements
            .iter()
            .filter_map(|f| acteurs.get(&f.source).cloned())
            .collect();
        sources.sort_by(|a, b| a.nom.cmp(&b.nom).then(a.id.cmp(&b.id)));
        sources.dedup_by_key(|a| a.id);
        let complete = ActionComplete {
            parties: parties
                .get(&action.partenariat)
                .map_or(&[][..], Vec::as_slice),
            operateurs: operateurs
                .get(&action.partenariat)
                .map_or(&[][..], Vec::as_slice),
            sources,
            lieux: lieux.pour(action.id.0).map_err(StoreError::from)?,
            points: points.pour(action.id.0).map_err(StoreError::from)?,
            localites: localites.pour(action.id.0).map_err(StoreError::from)?,
            financements,
            resultats: super::resultat::de_l_action(conn, action.id)?
                .into_iter()
                .map(|(_, r)| r)
                .collect(),
            action,
        };
        f(&complete)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_follower_takes_the_rows_of_each_action_and_skips_the_others() {
        let lignes = vec![
            Ok((1, 'a')),
            Ok((2, 'b')),
            Ok((2, 'c')),
            Ok((4, 'd')),
            Ok((6, 'e')),
        ];
        let mut suivi = Suivi {
            lignes: lignes.into_iter().peekable(),
        };
        assert_eq!(suivi.pour(2).unwrap(), vec!['b', 'c']);
        assert_eq!(suivi.pour(3).unwrap(), Vec::<char>::new());
        assert_eq!(suivi.pour(5).unwrap(), Vec::<char>::new());
        assert_eq!(suivi.pour(6).unwrap(), vec!['e']);
        assert_eq!(suivi.pour(7).unwrap(), Vec::<char>::new());
    }
}
