//! The SQL of the observatory: every figure of the « aperçu » is one aggregate query over
//! the records, at a date. `preparer` fills three temporary tables that the other queries
//! share — the partenariats active at the date, and for each Malian unit its ancestors
//! (itself included) — so that each query stays a single scan.

use rusqlite::{Connection, params};
use time::Date;

use super::Result;
use super::sql::{code, code_facultatif};
use crate::model::{
    Axe, CollectiviteId, Devise, Domaine, Etape, Niveau, PartenariatId, Pays, TypeFinancement,
};

/// Fills the temporary tables for a computation at `date`. Call it before the other
/// functions, on the same connection, inside one read transaction.
pub fn preparer(conn: &Connection, date: Date) -> Result<()> {
    conn.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS ap_actif (id INTEGER PRIMARY KEY);
         CREATE TEMP TABLE IF NOT EXISTS ap_ancetre (
             collectivite_id INTEGER NOT NULL, ancetre_id INTEGER NOT NULL,
             PRIMARY KEY (collectivite_id, ancetre_id)) WITHOUT ROWID;
         DELETE FROM ap_actif;
         DELETE FROM ap_ancetre;",
    )?;
    // Active at the date: marked actif, and started by then (its first étape, when known).
    conn.execute(
        "INSERT INTO ap_actif
         SELECT p.id FROM partenariat p
         WHERE p.statut = 'actif'
           AND coalesce((SELECT min(e.depuis) FROM etape e WHERE e.partenariat_id = p.id), '') <= ?1",
        [date],
    )?;
    conn.execute(
        "INSERT INTO ap_ancetre
         WITH RECURSIVE chaine(id, ancetre) AS (
             SELECT id, id FROM collectivite WHERE pays = 'ML'
             UNION ALL
             SELECT chaine.id, c.parent_id FROM chaine JOIN collectivite c ON c.id = chaine.ancetre
             WHERE c.parent_id IS NOT NULL)
         SELECT id, ancetre FROM chaine",
        [],
    )?;
    Ok(())
}

fn compter(conn: &Connection, sql: &str, date: Date) -> Result<u64> {
    Ok(conn.prepare_cached(sql)?.query_row([date], |r| r.get(0))?)
}

/// Active partenariats at the date.
pub fn partenariats_actifs(conn: &Connection) -> Result<u64> {
    Ok(conn.query_row("SELECT count(*) FROM ap_actif", [], |r| r.get(0))?)
}

/// The actions counted at the date: those of active partenariats that have begun (or whose
/// start is unknown).
const ACTIONS: &str =
    "action a JOIN ap_actif p ON p.id = a.partenariat_id AND (a.debut IS NULL OR a.debut <= ?1)";

pub fn actions(conn: &Connection, date: Date) -> Result<u64> {
    compter(conn, &format!("SELECT count(*) FROM {ACTIONS}"), date)
}

/// (country of a foreign party, active partenariats with a party there)
pub fn par_pays(conn: &Connection) -> Result<Vec<(Pays, u64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.pays, count(DISTINCT pa.partenariat_id) AS n
         FROM partie pa JOIN ap_actif p ON p.id = pa.partenariat_id
         JOIN collectivite c ON c.id = pa.collectivite_id
         WHERE c.pays <> 'ML' GROUP BY c.pays ORDER BY n DESC, c.pays",
    )?;
    let lignes = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(lignes.collect::<rusqlite::Result<_>>()?)
}

/// Counts per Malian unit of the units it contains: (unit, partenariats, actions). A
/// partenariat counts for every unit where one of its Malian parties lies, an action for
/// every unit where one of its places lies, each once per unit.
pub struct Comptes {
    pub par_unite: Vec<(CollectiviteId, u64, u64)>,
    /// Distinct active partenariats with a Malian party.
    pub partenariats_distincts: u64,
    /// Distinct counted actions with a place in Mali.
    pub actions_distinctes: u64,
}

pub fn comptes_par_unite(conn: &Connection, date: Date) -> Result<Comptes> {
    let mut partenariats: std::collections::HashMap<CollectiviteId, u64> =
        std::collections::HashMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT an.ancetre_id, count(DISTINCT pa.partenariat_id)
         FROM partie pa JOIN ap_actif p ON p.id = pa.partenariat_id
         JOIN ap_ancetre an ON an.collectivite_id = pa.collectivite_id
         GROUP BY an.ancetre_id",
    )?;
    for ligne in stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))? {
        let (id, n) = ligne?;
        partenariats.insert(id, n);
    }
    let mut actions: std::collections::HashMap<CollectiviteId, u64> =
        std::collections::HashMap::new();
    let sql = format!(
        "SELECT an.ancetre_id, count(DISTINCT l.action_id)
         FROM {ACTIONS} JOIN action_lieu l ON l.action_id = a.id
         JOIN ap_ancetre an ON an.collectivite_id = l.collectivite_id
         GROUP BY an.ancetre_id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    for ligne in stmt.query_map([date], |r| Ok((r.get(0)?, r.get(1)?)))? {
        let (id, n) = ligne?;
        actions.insert(id, n);
    }
    let mut ids: Vec<CollectiviteId> = partenariats.keys().chain(actions.keys()).copied().collect();
    ids.sort_unstable();
    ids.dedup();
    let par_unite = ids
        .into_iter()
        .map(|id| {
            (
                id,
                partenariats.get(&id).copied().unwrap_or(0),
                actions.get(&id).copied().unwrap_or(0),
            )
        })
        .collect();
    Ok(Comptes {
        par_unite,
        partenariats_distincts: compter(
            conn,
            "SELECT count(DISTINCT pa.partenariat_id) FROM partie pa
             JOIN ap_actif p ON p.id = pa.partenariat_id
             JOIN collectivite c ON c.id = pa.collectivite_id AND c.pays = 'ML' WHERE ?1 IS NOT NULL",
            date,
        )?,
        actions_distinctes: compter(
            conn,
            &format!(
                "SELECT count(DISTINCT a.id) FROM {ACTIONS}
                 JOIN action_lieu l ON l.action_id = a.id JOIN ap_ancetre an ON an.collectivite_id = l.collectivite_id
                 AND an.ancetre_id = l.collectivite_id"
            ),
            date,
        )?,
    })
}

/// A Malian unit of the division in force at the date.
pub struct UniteMalienne {
    pub id: CollectiviteId,
    pub niveau: Niveau,
    pub code: Option<String>,
    pub nom: String,
    /// Its région (or the district), itself for a région.
    pub region: Option<CollectiviteId>,
}

/// Every Malian unit valid at the date, by name.
pub fn unites_maliennes(conn: &Connection, date: Date) -> Result<Vec<UniteMalienne>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.id, c.niveau, c.code, c.nom,
                (SELECT an.ancetre_id FROM ap_ancetre an JOIN collectivite r ON r.id = an.ancetre_id
                 WHERE an.collectivite_id = c.id AND r.niveau IN ('region', 'district')) AS region
         FROM collectivite c
         WHERE c.pays = 'ML' AND (c.valide_du IS NULL OR c.valide_du <= ?1) AND (c.valide_au IS NULL OR c.valide_au >= ?1)
         ORDER BY c.nom_normalise, c.id",
    )?;
    let lignes = stmt.query_map([date], |row| {
        Ok(UniteMalienne {
            id: row.get("id")?,
            niveau: code(row, "niveau")?,
            code: row.get("code")?,
            nom: row.get("nom")?,
            region: row.get("region")?,
        })
    })?;
    Ok(lignes.collect::<rusqlite::Result<_>>()?)
}

/// Malian units party (themselves or through a unit they contain) to an active partenariat.
pub fn unites_couvertes(conn: &Connection) -> Result<Vec<CollectiviteId>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT an.ancetre_id FROM partie pa JOIN ap_actif p ON p.id = pa.partenariat_id
         JOIN ap_ancetre an ON an.collectivite_id = pa.collectivite_id",
    )?;
    let lignes = stmt.query_map([], |r| r.get(0))?;
    Ok(lignes.collect::<rusqlite::Result<_>>()?)
}

/// One sum of money, before conversion.
pub struct Somme<K> {
    pub cle: K,
    pub type_financement: TypeFinancement,
    pub devise: Devise,
    pub annee: i32,
    pub unites_mineures: i64,
}

fn sommes<K>(
    conn: &Connection,
    date: Date,
    cle_sql: &str,
    lire_cle: impl Fn(&rusqlite::Row<'_>) -> rusqlite::Result<K>,
) -> Result<Vec<Somme<K>>> {
    let sql = format!(
        "SELECT {cle_sql}, f.type, f.devise, f.annee, sum(f.montant) AS total
         FROM {ACTIONS} JOIN financement f ON f.action_id = a.id
         GROUP BY 1, 2, 3, 4, 5"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let lignes = stmt.query_map([date], |row| {
        Ok(Somme {
            cle: lire_cle(row)?,
            type_financement: code(row, "type")?,
            devise: code(row, "devise")?,
            annee: row.get("annee")?,
            unites_mineures: row.get("total")?,
        })
    })?;
    Ok(lignes.collect::<rusqlite::Result<_>>()?)
}

/// Money of the counted actions, per partenariat.
pub fn sommes_par_partenariat(conn: &Connection, date: Date) -> Result<Vec<Somme<PartenariatId>>> {
    sommes(
        conn,
        date,
        "a.partenariat_id AS cle_a, NULL AS cle_b",
        |r| r.get("cle_a"),
    )
}

/// Money of the counted actions, per axe and domaine.
pub fn sommes_par_axe_domaine(conn: &Connection, date: Date) -> Result<Vec<Somme<(Axe, Domaine)>>> {
    sommes(conn, date, "a.axe AS cle_a, a.domaine AS cle_b", |r| {
        Ok((code(r, "cle_a")?, code(r, "cle_b")?))
    })
}

/// Counted actions of one axe and domaine that began in one year (`None`: start unknown).
pub type ActionsParAxe = (Axe, Domaine, Option<i32>, u64);

pub fn actions_par_axe_domaine_annee(conn: &Connection, date: Date) -> Result<Vec<ActionsParAxe>> {
    let sql = format!(
        "SELECT a.axe, a.domaine, CAST(substr(a.debut, 1, 4) AS INTEGER) AS annee, count(*) AS n
         FROM {ACTIONS} GROUP BY 1, 2, 3"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let lignes = stmt.query_map([date], |r| {
        Ok((
            code(r, "axe")?,
            code(r, "domaine")?,
            r.get("annee")?,
            r.get("n")?,
        ))
    })?;
    Ok(lignes.collect::<rusqlite::Result<_>>()?)
}

/// (partenariat, counted actions)
pub fn actions_par_partenariat(conn: &Connection, date: Date) -> Result<Vec<(PartenariatId, u64)>> {
    let sql = format!("SELECT a.partenariat_id, count(*) FROM {ACTIONS} GROUP BY 1");
    let mut stmt = conn.prepare_cached(&sql)?;
    let lignes = stmt.query_map([date], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(lignes.collect::<rusqlite::Result<_>>()?)
}

/// (id, title) of the active partenariats.
pub fn titres_actifs(conn: &Connection) -> Result<Vec<(PartenariatId, String)>> {
    let mut stmt = conn
        .prepare_cached("SELECT p.id, p.titre FROM ap_actif a JOIN partenariat p ON p.id = a.id")?;
    let lignes = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(lignes.collect::<rusqlite::Result<_>>()?)
}

/// (étape reached at the date or None, active partenariats)
pub fn etapes(conn: &Connection, date: Date) -> Result<Vec<(Option<Etape>, u64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT (SELECT e.etape FROM etape e WHERE e.partenariat_id = p.id AND e.depuis <= ?1
                 ORDER BY e.depuis DESC LIMIT 1) AS etape, count(*) AS n
         FROM ap_actif p GROUP BY 1",
    )?;
    let lignes = stmt.query_map([date], |r| Ok((code_facultatif(r, "etape")?, r.get("n")?)))?;
    Ok(lignes.collect::<rusqlite::Result<_>>()?)
}

/// (year, étape, partenariats that reached it that year), all partenariats, up to the date.
pub fn transitions(conn: &Connection, date: Date) -> Result<Vec<(i32, Etape, u64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT CAST(substr(depuis, 1, 4) AS INTEGER) AS annee, etape, count(*) AS n
         FROM etape WHERE depuis <= ?1 GROUP BY 1, 2 ORDER BY 1, etape",
    )?;
    let lignes = stmt.query_map([date], |r| {
        Ok((r.get("annee")?, code(r, "etape")?, r.get("n")?))
    })?;
    Ok(lignes.collect::<rusqlite::Result<_>>()?)
}

/// Places where several active partenariats act in the same domaine:
/// (place, domaine, the partenariats, ascending).
pub fn coordination(
    conn: &Connection,
    date: Date,
) -> Result<Vec<(CollectiviteId, Domaine, Vec<PartenariatId>)>> {
    let sql = format!(
        "SELECT l.collectivite_id, a.domaine, group_concat(DISTINCT a.partenariat_id) AS liste
         FROM {ACTIONS} JOIN action_lieu l ON l.action_id = a.id
         GROUP BY 1, 2 HAVING count(DISTINCT a.partenariat_id) > 1"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let lignes = stmt.query_map([date], |r| {
        let liste: String = r.get("liste")?;
        let mut ids: Vec<PartenariatId> = liste
            .split(',')
            .filter_map(|i| i.parse().ok())
            .map(PartenariatId)
            .collect();
        ids.sort_unstable();
        Ok((r.get(0)?, code(r, "domaine")?, ids))
    })?;
    Ok(lignes.collect::<rusqlite::Result<_>>()?)
}

/// (partenariat, is the party Malian, its level) for every party of an active partenariat.
pub fn niveaux_des_parties(conn: &Connection) -> Result<Vec<(PartenariatId, bool, Niveau)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT pa.partenariat_id, c.pays = 'ML' AS malien, c.niveau FROM partie pa
         JOIN ap_actif p ON p.id = pa.partenariat_id JOIN collectivite c ON c.id = pa.collectivite_id",
    )?;
    let lignes = stmt.query_map([], |r| {
        Ok((r.get(0)?, r.get("malien")?, code(r, "niveau")?))
    })?;
    Ok(lignes.collect::<rusqlite::Result<_>>()?)
}

/// A record the observatory flags, with how many there are in all.
pub struct Signalement {
    pub total: u64,
    /// The first ones, by id: (id, title).
    pub exemples: Vec<(i64, String)>,
}

fn signaler(conn: &Connection, depuis: &str, date: Date, limite: u32) -> Result<Signalement> {
    let total = compter(conn, &format!("SELECT count(*) FROM {depuis}"), date)?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT x.id, x.titre FROM {depuis} ORDER BY x.id LIMIT ?2"
    ))?;
    let exemples = stmt
        .query_map(params![date, limite], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Signalement { total, exemples })
}

/// Actions still « prévue » or « en cours » whose end date has passed.
pub fn actions_echues(conn: &Connection, date: Date, limite: u32) -> Result<Signalement> {
    signaler(
        conn,
        "action x WHERE x.statut IN ('prevue', 'en_cours') AND x.fin < ?1",
        date,
        limite,
    )
}

/// Active partenariats never confirmed, or last confirmed more than a year before the date.
pub fn partenariats_non_confirmes(
    conn: &Connection,
    date: Date,
    limite: u32,
) -> Result<Signalement> {
    signaler(
        conn,
        "ap_actif a JOIN partenariat x ON x.id = a.id
         WHERE x.confirme_le IS NULL OR x.confirme_le < date(?1, '-1 year')",
        date,
        limite,
    )
}

/// Counted actions with no financement.
pub fn actions_sans_financement(conn: &Connection, date: Date, limite: u32) -> Result<Signalement> {
    signaler(
        conn,
        "action x JOIN ap_actif p ON p.id = x.partenariat_id AND (x.debut IS NULL OR x.debut <= ?1)
         WHERE NOT EXISTS (SELECT 1 FROM financement f WHERE f.action_id = x.id)",
        date,
        limite,
    )
}

/// Counted actions with no place.
pub fn actions_sans_lieu(conn: &Connection, date: Date, limite: u32) -> Result<Signalement> {
    signaler(
        conn,
        "action x JOIN ap_actif p ON p.id = x.partenariat_id AND (x.debut IS NULL OR x.debut <= ?1)
         WHERE NOT EXISTS (SELECT 1 FROM action_lieu l WHERE l.action_id = x.id)",
        date,
        limite,
    )
}

/// Groups of partenariats (any statut) with exactly the same parties: (ids, titles).
pub fn memes_parties(conn: &Connection) -> Result<Vec<Vec<(PartenariatId, String)>>> {
    let mut stmt = conn.prepare_cached(
        "WITH cles AS (
             SELECT partenariat_id, group_concat(collectivite_id, '-') AS cle
             FROM (SELECT partenariat_id, collectivite_id FROM partie ORDER BY partenariat_id, collectivite_id)
             GROUP BY partenariat_id)
         SELECT group_concat(c.partenariat_id) FROM cles c GROUP BY c.cle HAVING count(*) > 1",
    )?;
    let groupes: Vec<String> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut titre = conn.prepare_cached("SELECT titre FROM partenariat WHERE id = ?1")?;
    let mut resultat = Vec::with_capacity(groupes.len());
    for groupe in groupes {
        let mut membres = Vec::new();
        for id in groupe
            .split(',')
            .filter_map(|i| i.parse().ok())
            .map(PartenariatId)
        {
            membres.push((id, titre.query_row([id], |r| r.get(0))?));
        }
        membres.sort_by_key(|(id, _)| *id);
        resultat.push(membres);
    }
    Ok(resultat)
}

/// Exchange rates into euros: (currency, from, numerator, denominator), oldest first.
pub fn taux_change(conn: &Connection) -> Result<Vec<(Devise, Date, i64, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT devise, depuis, numerateur, denominateur FROM taux_change ORDER BY devise, depuis",
    )?;
    let lignes = stmt.query_map([], |r| {
        Ok((code(r, "devise")?, r.get(1)?, r.get(2)?, r.get(3)?))
    })?;
    Ok(lignes.collect::<rusqlite::Result<_>>()?)
}

/// Records that from `depuis`, one unit of `devise` is worth `numerateur / denominateur` EUR.
pub fn ajouter_taux(
    conn: &Connection,
    devise: Devise,
    depuis: Date,
    numerateur: i64,
    denominateur: i64,
    source: &str,
) -> Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO taux_change (devise, depuis, numerateur, denominateur, source) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![devise.code(), depuis, numerateur, denominateur, source],
    )?;
    Ok(())
}

/// Distinct countries of the foreign parties of active partenariats.
pub fn pays_partenaires(conn: &Connection) -> Result<u64> {
    Ok(conn.query_row(
        "SELECT count(DISTINCT c.pays) FROM partie pa JOIN ap_actif p ON p.id = pa.partenariat_id
         JOIN collectivite c ON c.id = pa.collectivite_id WHERE c.pays <> 'ML'",
        [],
        |r| r.get(0),
    )?)
}

/// Malian régions (and the district) where an active partenariat has a party, directly or
/// through one of their cercles or communes.
pub fn regions_concernees(conn: &Connection) -> Result<u64> {
    Ok(conn.query_row(
        "SELECT count(DISTINCT an.ancetre_id) FROM partie pa JOIN ap_actif p ON p.id = pa.partenariat_id
         JOIN ap_ancetre an ON an.collectivite_id = pa.collectivite_id
         JOIN collectivite r ON r.id = an.ancetre_id AND r.niveau IN ('region', 'district')",
        [],
        |r| r.get(0),
    )?)
}

/// Partenariats that are demonstration data.
pub fn partenariats_demonstration(conn: &Connection) -> Result<u64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM partenariat WHERE demonstration = 1",
        [],
        |r| r.get(0),
    )?)
}
