//! What the observatory reads: each function streams one table once, in id order, to a
//! callback, with the few columns the overview needs. A million actions are read in a few
//! hundred milliseconds this way, where one aggregate query per figure took seconds; the
//! counting itself happens in `observatoire`.

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension, Row};
use time::Date;

use super::Result;
use super::sql::code;
use crate::model::{
    Axe, Code, Devise, Domaine, Etape, Niveau, Pays, StatutAction, StatutPartenariat,
    TypeFinancement, Unite, rang_au_catalogue,
};
use crate::store::sql::executer;

/// Reads a text column without copying it.
fn texte<'r>(row: &'r Row<'_>, i: usize) -> rusqlite::Result<Option<&'r str>> {
    match row.get_ref(i)? {
        ValueRef::Null => Ok(None),
        valeur => valeur.as_str().map(Some).map_err(Into::into),
    }
}

/// Parses a vocabulary code read without copying.
fn vocabulaire<T: Code>(row: &Row<'_>, i: usize) -> rusqlite::Result<T> {
    let t = texte(row, i)?.unwrap_or_default();
    T::depuis_code(t).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    })
}

fn parcourir(
    conn: &Connection,
    sql: &str,
    mut f: impl FnMut(&Row<'_>) -> rusqlite::Result<()>,
) -> Result<()> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut lignes = stmt.query([])?;
    while let Some(ligne) = lignes.next()? {
        f(ligne)?;
    }
    Ok(())
}

/// A public partenariat as the overview reads it (the overview counts public records only).
#[derive(Clone)]
pub struct LignePartenariat {
    pub id: i64,
    pub statut: StatutPartenariat,
    pub confirme_le: Option<Date>,
    /// The day it was recorded: a record younger than a year is not « unconfirmed for more
    /// than a year ».
    pub cree_le: Date,
    /// Demonstration data, which the home page says it counts.
    pub demonstration: bool,
    /// The normalised title, by which the public list sorts.
    pub titre_tri: String,
}

const PARTENARIATS: &str = "SELECT id, statut, confirme_le, date(cree_le), demonstration, titre_tri FROM partenariat_publie";

fn partenariat(r: &Row<'_>) -> rusqlite::Result<LignePartenariat> {
    Ok(LignePartenariat {
        id: r.get(0)?,
        statut: vocabulaire(r, 1)?,
        confirme_le: r.get(2)?,
        cree_le: r.get(3)?,
        demonstration: r.get(4)?,
        titre_tri: r.get(5)?,
    })
}

pub fn partenariats(conn: &Connection, mut f: impl FnMut(LignePartenariat)) -> Result<()> {
    parcourir(conn, &format!("{PARTENARIATS} ORDER BY id"), |r| {
        f(partenariat(r)?);
        Ok(())
    })
}

/// (partenariat, étape, since), by partenariat then date (then order of recording).
pub fn etapes(conn: &Connection, mut f: impl FnMut(i64, Etape, Date)) -> Result<()> {
    parcourir(
        conn,
        "SELECT partenariat_id, etape, depuis FROM etape ORDER BY partenariat_id, depuis, id",
        |r| {
            f(r.get(0)?, vocabulaire(r, 1)?, r.get(2)?);
            Ok(())
        },
    )
}

/// A collectivité as the overview reads it.
pub struct LigneCollectivite {
    pub id: i64,
    pub pays: Pays,
    pub niveau: Niveau,
    pub code: Option<String>,
    pub nom: String,
    pub parent: Option<i64>,
    pub valide_du: Option<Date>,
    pub valide_au: Option<Date>,
}

/// Every Malian collectivité, and the country and level of every other one (their names and
/// codes are not needed and not read).
pub fn collectivites(conn: &Connection, mut f: impl FnMut(LigneCollectivite)) -> Result<()> {
    parcourir(
        conn,
        "SELECT id, pays, niveau, CASE WHEN pays = 'ML' THEN code END, CASE WHEN pays = 'ML' THEN nom ELSE '' END,
                parent_id, valide_du, valide_au
         FROM collectivite ORDER BY id",
        |r| {
            f(LigneCollectivite {
                id: r.get(0)?,
                pays: r.get(1)?,
                niveau: vocabulaire(r, 2)?,
                code: r.get(3)?,
                nom: r.get(4)?,
                parent: r.get(5)?,
                valide_du: r.get(6)?,
                valide_au: r.get(7)?,
            });
            Ok(())
        },
    )
}

/// (partenariat, collectivité) for every party, by partenariat then collectivité.
pub fn parties(conn: &Connection, mut f: impl FnMut(i64, i64)) -> Result<()> {
    parcourir(
        conn,
        "SELECT partenariat_id, collectivite_id FROM partie ORDER BY partenariat_id, collectivite_id",
        |r| {
            f(r.get(0)?, r.get(1)?);
            Ok(())
        },
    )
}

/// An action as the overview reads it; dates stay ISO text, compared as text.
pub struct LigneAction<'r> {
    pub id: i64,
    pub partenariat: i64,
    pub axe: Axe,
    pub domaine: Domaine,
    pub statut: StatutAction,
    pub debut: Option<&'r str>,
    pub fin: Option<&'r str>,
}

fn action<'r>(r: &'r Row<'_>) -> rusqlite::Result<LigneAction<'r>> {
    Ok(LigneAction {
        id: r.get(0)?,
        partenariat: r.get(1)?,
        axe: vocabulaire(r, 2)?,
        domaine: vocabulaire(r, 3)?,
        statut: vocabulaire(r, 4)?,
        debut: texte(r, 5)?,
        fin: texte(r, 6)?,
    })
}

pub fn actions(conn: &Connection, mut f: impl FnMut(LigneAction<'_>)) -> Result<()> {
    parcourir(
        conn,
        "SELECT id, partenariat_id, axe, domaine, statut, debut, fin FROM action_publiee ORDER BY id",
        |r| {
            f(action(r)?);
            Ok(())
        },
    )
}

/// (action, place), by action: its places, then the units its points are attached to and
/// the collectivités its villages lie in (so that a village counts for its commune, cercle
/// and région). A pair may come twice (a place and a point in the same commune): the
/// overview counts each unit once per action. UNION ALL lets SQLite merge the tables in
/// their key order instead of sorting them to remove repeats.
pub fn lieux(conn: &Connection, mut f: impl FnMut(i64, i64)) -> Result<()> {
    parcourir(
        conn,
        "SELECT action_id, collectivite_id FROM action_lieu
         UNION ALL SELECT action_id, collectivite_id FROM action_point
                   WHERE collectivite_id IS NOT NULL
         UNION ALL SELECT a.action_id, l.collectivite_id FROM action_localite a
                   JOIN localite l ON l.id = a.localite_id
         ORDER BY action_id",
        |r| {
            f(r.get(0)?, r.get(1)?);
            Ok(())
        },
    )
}

/// (intervention, place) of every imported IATI activity linked to a Malian collectivité.
pub fn lieux_interventions(conn: &Connection, mut f: impl FnMut(i64, i64)) -> Result<()> {
    parcourir(
        conn,
        "SELECT DISTINCT intervention_id, collectivite_id FROM intervention_lieu_collectivite
          ORDER BY intervention_id",
        |r| {
            f(r.get(0)?, r.get(1)?);
            Ok(())
        },
    )
}

/// A financement as the overview reads it.
#[derive(Clone, Copy)]
pub struct LigneFinancement {
    pub action: i64,
    pub type_financement: TypeFinancement,
    pub devise: Devise,
    pub annee: i32,
    pub unites_mineures: i64,
}

const FINANCEMENTS: &str = "SELECT action_id, type, devise, annee, montant FROM financement";

fn financement(r: &Row<'_>) -> rusqlite::Result<LigneFinancement> {
    Ok(LigneFinancement {
        action: r.get(0)?,
        type_financement: vocabulaire(r, 1)?,
        devise: vocabulaire(r, 2)?,
        annee: r.get(3)?,
        unites_mineures: r.get(4)?,
    })
}

pub fn financements(conn: &Connection, mut f: impl FnMut(LigneFinancement)) -> Result<()> {
    parcourir(conn, &format!("{FINANCEMENTS} ORDER BY action_id"), |r| {
        f(financement(r)?);
        Ok(())
    })
}

/// A result of an action as the overview reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultatLu {
    /// Its position in the catalogue; `None` for the action's own indicator (or a code the
    /// catalogue no longer has at all), which no total can add up with another.
    pub indicateur: Option<u16>,
    pub unite: Unite,
    /// The target, in the unit's steps.
    pub cible: Option<i64>,
    pub mesures: Vec<MesureLue>,
}

/// A measured value: the end of its period, the value in steps, women and men.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MesureLue {
    pub fin: Date,
    pub valeur: i64,
    pub femmes: Option<i64>,
    pub hommes: Option<i64>,
}

const RESULTATS: &str = "SELECT id, action_id, rang, indicateur, unite, cible_pas FROM resultat";
const MESURES: &str = "SELECT resultat_id, fin, valeur_pas, femmes, hommes FROM resultat_periode";

/// A result read apart from its measures: (id, action, rank, result).
type ResultatSeul = (i64, i64, i64, ResultatLu);

fn resultat(r: &Row<'_>) -> rusqlite::Result<ResultatSeul> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        ResultatLu {
            indicateur: texte(r, 3)?.and_then(rang_au_catalogue),
            unite: vocabulaire(r, 4)?,
            cible: r.get(5)?,
            mesures: Vec::new(),
        },
    ))
}

fn mesure(r: &Row<'_>) -> rusqlite::Result<(i64, MesureLue)> {
    Ok((
        r.get(0)?,
        MesureLue {
            fin: r.get(1)?,
            valeur: r.get(2)?,
            femmes: r.get(3)?,
            hommes: r.get(4)?,
        },
    ))
}

/// Gives each result its measures, then hands each action's results, by rank, to `f`.
/// Results and measures are read apart, each table in its own order, and joined here: a
/// join in SQL sought the measures of a million results one by one (seconds).
fn joindre(
    mut lus: Vec<ResultatSeul>,
    mesures: impl Iterator<Item = rusqlite::Result<(i64, MesureLue)>>,
    mut f: impl FnMut(i64, Vec<ResultatLu>),
) -> Result<()> {
    lus.sort_unstable_by_key(|(id, ..)| *id);
    for m in mesures {
        let (resultat, m) = m?;
        if let Ok(i) = lus.binary_search_by_key(&resultat, |(id, ..)| *id) {
            lus[i].3.mesures.push(m);
        }
    }
    lus.sort_unstable_by_key(|(_, action, rang, _)| (*action, *rang));
    let mut lus = lus.into_iter().peekable();
    while let Some((_, action, _, premier)) = lus.next() {
        let mut liste = vec![premier];
        while let Some((.., r)) = lus.next_if(|(_, a, ..)| *a == action) {
            liste.push(r);
        }
        f(action, liste);
    }
    Ok(())
}

/// Every action's results, by action, in their order on the action.
pub fn resultats(conn: &Connection, f: impl FnMut(i64, Vec<ResultatLu>)) -> Result<()> {
    let mut lus = Vec::new();
    parcourir(conn, RESULTATS, |r| {
        lus.push(resultat(r)?);
        Ok(())
    })?;
    let mut stmt = conn.prepare_cached(MESURES)?;
    let mesures = stmt.query_map([], mesure)?;
    joindre(lus, mesures, f)
}

/// The titles of some partenariats or actions (`table` is `partenariat` or `action`).
pub fn titres(conn: &Connection, table: Table, ids: &[i64]) -> Result<Vec<(i64, String)>> {
    let sql = match table {
        Table::Partenariat => "SELECT titre FROM partenariat WHERE id = ?1",
        Table::Action => "SELECT titre FROM action WHERE id = ?1",
    };
    let mut stmt = conn.prepare_cached(sql)?;
    ids.iter()
        .map(|id| Ok((*id, stmt.query_row([id], |r| r.get(0))?)))
        .collect()
}

/// The tables whose titles [`titres`] reads.
#[derive(Clone, Copy)]
pub enum Table {
    Partenariat,
    Action,
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
    executer(
        conn,
        "INSERT OR REPLACE INTO taux_change (devise, depuis, numerateur, denominateur, source) VALUES (?1, ?2, ?3, ?4, ?5)",
        rusqlite::params![devise.code(), depuis, numerateur, denominateur, source],
    )?;
    Ok(())
}

/// A number that changes whenever the data the overview reads changes (triggers keep it).
pub fn generation(conn: &Connection) -> Result<u64> {
    Ok(conn.query_row(
        "SELECT CAST(valeur AS INTEGER) FROM meta WHERE cle = 'generation'",
        [],
        |r| r.get(0),
    )?)
}

/// What every public page depends on besides its address and the date: the generation of
/// the published data, and the counters of the territory and of the imported interventions
/// (`generations_communes`). All three move in the transaction of the change, so a page kept
/// with them (`web::reponses`) is served again exactly until it would read differently.
pub fn empreinte(conn: &Connection) -> Result<[u64; 3]> {
    let (territoire, interventions) = generations_communes(conn)?;
    Ok([generation(conn)?, territoire, interventions])
}

/// When [`generation`] last moved — the published data's last change —, recorded by a
/// trigger in the same transaction (migration 0017); `None` when no change has happened since
/// that migration.
pub fn mise_a_jour(conn: &Connection) -> Result<Option<time::OffsetDateTime>> {
    Ok(conn.query_row(
        "SELECT NULLIF(valeur, '') FROM meta WHERE cle = 'mise_a_jour'",
        [],
        |r| r.get(0),
    )?)
}

/// Everything the overview reads about one partenariat: its record when public, its étapes
/// by date, its parties, and its public actions with their places and money. The overview
/// kept up to date (`observatoire::agregats`) recounts a partenariat from its dossier.
#[derive(Default)]
pub struct Dossier {
    pub partenariat: Option<LignePartenariat>,
    pub etapes: Vec<(Etape, Date)>,
    /// By collectivité id.
    pub parties: Vec<i64>,
    /// By id.
    pub actions: Vec<ActionDossier>,
}

/// A public action in a [`Dossier`].
pub struct ActionDossier {
    pub id: i64,
    pub axe: Axe,
    pub domaine: Domaine,
    pub statut: StatutAction,
    pub debut: Option<String>,
    pub fin: Option<String>,
    /// As [`lieux`] gives them: places, the units of its points, its villages' collectivités.
    pub lieux: Vec<i64>,
    pub financements: Vec<LigneFinancement>,
    pub resultats: Vec<ResultatLu>,
}

impl ActionDossier {
    pub fn depuis(l: &LigneAction<'_>) -> ActionDossier {
        ActionDossier {
            id: l.id,
            axe: l.axe,
            domaine: l.domaine,
            statut: l.statut,
            debut: l.debut.map(str::to_owned),
            fin: l.fin.map(str::to_owned),
            lieux: Vec::new(),
            financements: Vec::new(),
            resultats: Vec::new(),
        }
    }
}

/// The dossier of one partenariat, read by its indexes.
pub fn dossier(conn: &Connection, id: i64) -> Result<Dossier> {
    let partenariat = conn
        .prepare_cached(&format!("{PARTENARIATS} WHERE id = ?1"))?
        .query_row([id], partenariat)
        .optional()?;
    let etapes = conn
        .prepare_cached(
            "SELECT etape, depuis FROM etape WHERE partenariat_id = ?1 ORDER BY depuis, id",
        )?
        .query_map([id], |r| Ok((vocabulaire(r, 0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let parties = conn
        .prepare_cached(
            "SELECT collectivite_id FROM partie WHERE partenariat_id = ?1 ORDER BY collectivite_id",
        )?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut actions: Vec<ActionDossier> = conn
        .prepare_cached(
            "SELECT id, partenariat_id, axe, domaine, statut, debut, fin FROM action_publiee
             WHERE partenariat_id = ?1 ORDER BY id",
        )?
        .query_map([id], |r| Ok(ActionDossier::depuis(&action(r)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut lieux = conn.prepare_cached(
        "SELECT collectivite_id FROM action_lieu WHERE action_id = ?1
         UNION ALL SELECT collectivite_id FROM action_point
                   WHERE action_id = ?1 AND collectivite_id IS NOT NULL
         UNION ALL SELECT l.collectivite_id FROM action_localite a
                   JOIN localite l ON l.id = a.localite_id WHERE a.action_id = ?1",
    )?;
    let mut financements =
        conn.prepare_cached(&format!("{FINANCEMENTS} WHERE action_id = ?1 ORDER BY id"))?;
    let mut resultats = conn.prepare_cached(&format!("{RESULTATS} WHERE action_id = ?1"))?;
    let mut mesures = conn.prepare_cached(&format!(
        "{MESURES} WHERE resultat_id IN (SELECT id FROM resultat WHERE action_id = ?1)"
    ))?;
    for a in &mut actions {
        let lus = resultats
            .query_map([a.id], resultat)?
            .collect::<rusqlite::Result<_>>()?;
        joindre(lus, mesures.query_map([a.id], mesure)?, |_, liste| {
            a.resultats = liste
        })?;
        a.lieux = lieux
            .query_map([a.id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        a.financements = financements
            .query_map([a.id], financement)?
            .collect::<rusqlite::Result<_>>()?;
    }
    Ok(Dossier {
        partenariat,
        etapes,
        parties,
        actions,
    })
}

/// The latest version given to a partenariat by the triggers of migration 0020.
pub fn version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT coalesce(max(version), 0) FROM apercu_version",
        [],
        |r| r.get(0),
    )?)
}

/// The partenariats written since `version`, with the latest version among them.
pub fn modifies_depuis(conn: &Connection, version: i64) -> Result<(Vec<i64>, i64)> {
    let mut derniere = version;
    let ids = conn
        .prepare_cached(
            "SELECT partenariat_id, version FROM apercu_version WHERE version > ?1 ORDER BY version",
        )?
        .query_map([version], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?
        .map(|l| {
            l.map(|(id, v)| {
                derniere = derniere.max(v);
                id
            })
        })
        .collect::<rusqlite::Result<_>>()?;
    Ok((ids, derniere))
}

/// Counters that move when what every partenariat's figures depend on changes: rates,
/// collectivités and villages (`territoire`), and imported interventions.
pub fn generations_communes(conn: &Connection) -> Result<(u64, u64)> {
    Ok(conn.query_row(
        "SELECT (SELECT CAST(valeur AS INTEGER) FROM meta WHERE cle = 'apercu_territoire'),
                (SELECT CAST(valeur AS INTEGER) FROM meta WHERE cle = 'apercu_interventions')",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?)
}
