//! Collectivités territoriales, their hierarchy and their successors.

use rusqlite::{Connection, OptionalExtension, Row, params};
use time::Date;

use super::action::{self, ActionResume};
use super::financement::{self, Total};
use super::partenariat::{PartenariatQuery, PartenariatResume};
use super::sql::{Conditions, Valeurs, code};
use super::{Page, Pagine, Result, StoreError};
use crate::model::nom::normaliser;
use crate::model::{Collectivite, CollectiviteId, Niveau, NouvelleCollectivite, Pays, Periode};
use crate::store::sql::executer;

pub(super) const COLONNES: &str = "c.id, c.pays, c.niveau, c.libelle_niveau, c.code, c.nom, c.parent_id, \
                        c.valide_du, c.valide_au, c.population, c.source";

pub(super) fn lire(row: &Row<'_>) -> rusqlite::Result<Collectivite> {
    let validite = Periode::new(row.get("valide_du")?, row.get("valide_au")?).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(7, rusqlite::types::Type::Text, Box::new(e))
    })?;
    Ok(Collectivite {
        id: row.get("id")?,
        pays: row.get("pays")?,
        niveau: code(row, "niveau")?,
        libelle_niveau: row.get("libelle_niveau")?,
        code: row.get("code")?,
        nom: row.get("nom")?,
        parent: row.get("parent_id")?,
        validite,
        population: row.get("population")?,
        source: row.get("source")?,
    })
}

fn lister(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<Collectivite>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let lignes = stmt.query_map(params, lire)?;
    Ok(lignes.collect::<rusqlite::Result<_>>()?)
}

/// Records a collectivité after checking it against the domain rules.
pub fn inserer(conn: &Connection, nouvelle: NouvelleCollectivite) -> Result<CollectiviteId> {
    ecrire(conn, nouvelle, None)
}

/// Records or updates a unit of the shipped référentiel, known by its stable key: a new
/// release of the reference data updates its units in place.
pub fn enregistrer_referentiel(
    conn: &Connection,
    cle: &str,
    nouvelle: NouvelleCollectivite,
) -> Result<CollectiviteId> {
    ecrire(conn, nouvelle, Some(cle))
}

fn ecrire(
    conn: &Connection,
    nouvelle: NouvelleCollectivite,
    cle: Option<&str>,
) -> Result<CollectiviteId> {
    // the référentiel's 40,000 units come through here: the statement is built once
    static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let c = nouvelle.valider()?;
    let valeurs = valeurs(&c);
    let reprises = valeurs.reprises();
    let valeurs = valeurs.et("cle_referentiel", cle);
    let sql = SQL.get_or_init(|| {
        format!(
            "{} ON CONFLICT (cle_referentiel) DO UPDATE SET {reprises} RETURNING id",
            valeurs.insertion("collectivite")
        )
    });
    let id = conn
        .prepare_cached(sql)?
        .query_row(valeurs.parametres(), |r| r.get(0))?;
    Ok(id)
}

/// The columns a collectivité is written with (validated by the caller).
pub(super) fn valeurs(c: &NouvelleCollectivite) -> Valeurs<'_> {
    Valeurs::new()
        .et("pays", c.pays)
        .et("niveau", c.niveau.code())
        .et("libelle_niveau", &c.libelle_niveau)
        .et("code", &c.code)
        .et("nom", &c.nom)
        .et("nom_normalise", normaliser(&c.nom))
        .et("parent_id", c.parent)
        .et("valide_du", c.validite.debut())
        .et("valide_au", c.validite.fin())
        .et("population", c.population)
        .et("source", &c.source)
}

/// Records that `successeur` replaced `predecesseur` on `date_effet` (merger, split, renaming).
pub fn ajouter_successeur(
    conn: &Connection,
    predecesseur: CollectiviteId,
    successeur: CollectiviteId,
    date_effet: Date,
) -> Result<()> {
    executer(
        conn,
        "INSERT OR IGNORE INTO collectivite_successeur (predecesseur_id, successeur_id, date_effet)
         VALUES (?1, ?2, ?3)",
        params![predecesseur, successeur, date_effet],
    )?;
    Ok(())
}

pub fn par_id(conn: &Connection, id: CollectiviteId) -> Result<Option<Collectivite>> {
    let sql = format!("SELECT {COLONNES} FROM collectivite c WHERE c.id = ?1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([id], lire)
        .optional()?)
}

/// Like [`par_id`], for when the collectivité must exist.
pub fn requise(conn: &Connection, id: CollectiviteId) -> Result<Collectivite> {
    par_id(conn, id)?.ok_or_else(|| StoreError::Introuvable(format!("collectivité n° {id}")))
}

/// The current unit with this official code at this level, if any.
pub fn par_code(
    conn: &Connection,
    pays: Pays,
    niveau: Niveau,
    code_officiel: &str,
) -> Result<Option<Collectivite>> {
    let sql = format!(
        "SELECT {COLONNES} FROM collectivite c
         WHERE c.pays = ?1 AND c.niveau = ?2 AND c.code = ?3 AND c.valide_au IS NULL"
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(params![pays, niveau.code(), code_officiel], lire)
        .optional()?)
}

/// Every current Malian unit's id by its benkan code, for links from the map.
pub fn ids_maliens(conn: &Connection) -> Result<std::collections::HashMap<String, i64>> {
    let mut requete = conn.prepare_cached(
        "SELECT code, id FROM collectivite WHERE pays = 'ML' AND code IS NOT NULL AND valide_au IS NULL",
    )?;
    let lignes = requete.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(lignes.collect::<rusqlite::Result<_>>()?)
}

/// The current units with this official code, whatever their country and level (a commune
/// déléguée that shares its commune nouvelle's code is left aside).
pub fn par_code_seul(conn: &Connection, code_officiel: &str) -> Result<Vec<Collectivite>> {
    let sql = format!(
        "SELECT {COLONNES} FROM collectivite c
         WHERE c.code = ?1 AND c.valide_au IS NULL
           AND NOT (c.libelle_niveau IS NOT NULL AND c.libelle_niveau IN ('Commune déléguée', 'Commune associée'))"
    );
    lister(conn, &sql, [code_officiel.trim()])
}

/// The one current collectivité with this official code, or a message saying there is none
/// or several (with their names).
pub fn unique_par_code(conn: &Connection, code_officiel: &str) -> Result<CollectiviteId> {
    let trouvees = par_code_seul(conn, code_officiel)?;
    match trouvees.as_slice() {
        [une] => Ok(une.id),
        [] => Err(StoreError::Introuvable(format!(
            "collectivité actuelle de code « {} » (cherchez-la par son nom, sa page donne son code)",
            code_officiel.trim()
        ))),
        plusieurs => {
            let noms: Vec<String> = plusieurs
                .iter()
                .map(|c| format!("{} ({}, {})", c.nom, c.niveau_affiche(), c.pays))
                .collect();
            Err(StoreError::Existe(format!(
                "le code « {} » désigne plusieurs collectivités : {}",
                code_officiel.trim(),
                noms.join(", ")
            )))
        }
    }
}

/// The unit of this country and level with exactly this name under this parent, if any.
pub fn par_nom(
    conn: &Connection,
    pays: Pays,
    niveau: Niveau,
    nom: &str,
    parent: Option<CollectiviteId>,
) -> Result<Option<Collectivite>> {
    let sql = format!(
        "SELECT {COLONNES} FROM collectivite c
         WHERE c.pays = ?1 AND c.niveau = ?2 AND c.nom_normalise = ?3 AND c.parent_id IS ?4"
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(params![pays, niveau.code(), normaliser(nom), parent], lire)
        .optional()?)
}

/// Every collectivité with the name of its parent, by id: what the name resolver indexes.
pub fn toutes_avec_parent(conn: &Connection) -> Result<Vec<(Collectivite, Option<String>)>> {
    let sql = format!(
        "SELECT {COLONNES}, p.nom AS parent_nom FROM collectivite c
         LEFT JOIN collectivite p ON p.id = c.parent_id ORDER BY c.id"
    );
    let mut stmt = conn.prepare(&sql)?;
    let lignes = stmt.query_map([], |row| Ok((lire(row)?, row.get("parent_nom")?)))?;
    Ok(lignes.collect::<rusqlite::Result<_>>()?)
}

/// The units directly below `parent`, by name.
pub fn enfants(conn: &Connection, parent: CollectiviteId) -> Result<Vec<Collectivite>> {
    let sql = format!(
        "SELECT {COLONNES} FROM collectivite c WHERE c.parent_id = ?1 ORDER BY c.nom_normalise"
    );
    lister(conn, &sql, [parent])
}

/// The top units of a country (régions, district, units without a parent), current ones
/// first, by name. Intercommunalités, which span several départements, are reached through
/// their member communes instead.
pub fn racines(conn: &Connection, pays: Pays) -> Result<Vec<Collectivite>> {
    let sql = format!(
        "SELECT {COLONNES} FROM collectivite c
         WHERE c.pays = ?1 AND c.parent_id IS NULL AND c.niveau NOT IN ('epci', 'metropole')
         ORDER BY c.valide_au IS NOT NULL, c.niveau <> 'region', c.nom_normalise"
    );
    lister(conn, &sql, [pays])
}

/// The intercommunalités a commune belongs to.
pub fn intercommunalites(conn: &Connection, commune: CollectiviteId) -> Result<Vec<Collectivite>> {
    let sql = format!(
        "SELECT {COLONNES} FROM epci_membre m JOIN collectivite c ON c.id = m.epci_id
         WHERE m.commune_id = ?1 ORDER BY c.nom_normalise"
    );
    lister(conn, &sql, [commune])
}

/// The member communes of an intercommunalité.
pub fn membres(conn: &Connection, epci: CollectiviteId) -> Result<Vec<Collectivite>> {
    let sql = format!(
        "SELECT {COLONNES} FROM epci_membre m JOIN collectivite c ON c.id = m.commune_id
         WHERE m.epci_id = ?1 ORDER BY c.nom_normalise"
    );
    lister(conn, &sql, [epci])
}

/// The Malian régions and the district of Bamako, current ones, by name: those with an
/// official code, since the list's filter names a région by its code. Saying so lets SQLite
/// read the ten of them through `collectivite_code_actuel` (0.2 ms) instead of walking the
/// 40,000 names in order (40 ms per view of `/partenariats`).
pub fn regions_maliennes(conn: &Connection) -> Result<Vec<Collectivite>> {
    let sql = format!(
        "SELECT {COLONNES} FROM collectivite c
         WHERE c.pays = 'ML' AND c.niveau IN ('region', 'district')
           AND c.code IS NOT NULL AND c.valide_au IS NULL
         ORDER BY c.nom_normalise"
    );
    lister(conn, &sql, [])
}

/// From the top unit down to the direct parent of `id`.
pub fn ancetres(conn: &Connection, id: CollectiviteId) -> Result<Vec<Collectivite>> {
    let sql = format!(
        "WITH RECURSIVE chaine(id, profondeur) AS (
             SELECT parent_id, 1 FROM collectivite WHERE id = ?1 AND parent_id IS NOT NULL
             UNION ALL
             SELECT c.parent_id, chaine.profondeur + 1 FROM collectivite c JOIN chaine ON c.id = chaine.id
             WHERE c.parent_id IS NOT NULL AND chaine.profondeur < 10
         )
         SELECT {COLONNES} FROM chaine JOIN collectivite c ON c.id = chaine.id ORDER BY chaine.profondeur DESC"
    );
    lister(conn, &sql, [id])
}

/// The units that replaced `id`, with the date they did.
pub fn successeurs(conn: &Connection, id: CollectiviteId) -> Result<Vec<(Collectivite, Date)>> {
    liens(
        conn,
        id,
        "s.predecesseur_id = ?1 AND c.id = s.successeur_id",
    )
}

/// The units that `id` replaced, with the date it did.
pub fn predecesseurs(conn: &Connection, id: CollectiviteId) -> Result<Vec<(Collectivite, Date)>> {
    liens(
        conn,
        id,
        "s.successeur_id = ?1 AND c.id = s.predecesseur_id",
    )
}

fn liens(
    conn: &Connection,
    id: CollectiviteId,
    condition: &str,
) -> Result<Vec<(Collectivite, Date)>> {
    let sql = format!(
        "SELECT {COLONNES}, s.date_effet FROM collectivite_successeur s, collectivite c
         WHERE {condition} ORDER BY c.nom_normalise"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let lignes = stmt.query_map([id], |row| Ok((lire(row)?, row.get("date_effet")?)))?;
    Ok(lignes.collect::<rusqlite::Result<_>>()?)
}

/// Each country present in the référentiel with its number of collectivités, Mali first:
/// read from the counts that triggers keep (migration 0012), not counted on every view.
pub fn pays_presents(conn: &Connection) -> Result<Vec<(Pays, u64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT pays, nombre FROM collectivite_par_pays
         ORDER BY pays <> 'ML', pays <> 'FR', pays",
    )?;
    let lignes = stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
    Ok(lignes.collect::<rusqlite::Result<_>>()?)
}

/// Everything the page of a collectivité shows.
#[derive(Debug, Clone)]
pub struct FicheCollectivite {
    pub collectivite: Collectivite,
    /// From the top unit down to the direct parent.
    pub ancetres: Vec<Collectivite>,
    pub enfants: Vec<Collectivite>,
    /// The intercommunalités of a commune.
    pub intercommunalites: Vec<Collectivite>,
    /// The member communes of an intercommunalité.
    pub membres: Vec<Collectivite>,
    pub successeurs: Vec<(Collectivite, Date)>,
    pub predecesseurs: Vec<(Collectivite, Date)>,
    /// The partenariats a unit of its territory is party to.
    pub partenariats: Pagine<PartenariatResume>,
    /// How many actions concern it: those of its partenariats and those on its territory.
    pub actions_total: u64,
    /// The [`ACTIONS_MONTREES`] most recent of them.
    pub actions: Vec<ActionResume>,
    /// The money of those actions.
    pub totaux: Vec<Total>,
}

/// A collectivité's page lists at most this many of its actions, the most recent: a région
/// may have thousands.
pub const ACTIONS_MONTREES: u32 = 50;

/// The page of a collectivité, with étapes read at `date` and one page of its partenariats.
pub fn fiche(
    conn: &Connection,
    id: CollectiviteId,
    date: Date,
    page: Page,
) -> Result<Option<FicheCollectivite>> {
    fiche_avec(conn, id, date, page, |q| q.lister(conn))
}

/// [`fiche`], its list of partenariats given by `lister` (the site reads the list kept in
/// memory beside today's overview, which gives the same pages).
pub fn fiche_avec(
    conn: &Connection,
    id: CollectiviteId,
    date: Date,
    page: Page,
    lister: impl FnOnce(&PartenariatQuery) -> Result<Pagine<PartenariatResume>>,
) -> Result<Option<FicheCollectivite>> {
    let Some(collectivite) = par_id(conn, id)? else {
        return Ok(None);
    };
    let partenariats = lister(&PartenariatQuery {
        zone: Some(id),
        page,
        ..PartenariatQuery::new(date)
    })?;
    let (actions_total, actions) = action::de_la_zone(conn, id, ACTIONS_MONTREES)?;
    Ok(Some(FicheCollectivite {
        ancetres: ancetres(conn, id)?,
        enfants: enfants(conn, id)?,
        intercommunalites: intercommunalites(conn, id)?,
        membres: membres(conn, id)?,
        successeurs: successeurs(conn, id)?,
        predecesseurs: predecesseurs(conn, id)?,
        partenariats,
        actions_total,
        actions,
        totaux: financement::totaux_zone(conn, id)?,
        collectivite,
    }))
}

/// The filters of a list of collectivités (the API's browsing), by name then id.
#[derive(Debug, Clone, Default)]
pub struct CollectiviteQuery {
    pub pays: Option<Pays>,
    pub niveau: Option<Niveau>,
    /// Direct children of this unit.
    pub parent: Option<CollectiviteId>,
    pub page: Page,
}

impl CollectiviteQuery {
    /// One page of the matching collectivités and how many there are.
    pub fn lister(&self, conn: &Connection) -> Result<Pagine<Collectivite>> {
        let mut conditions = Conditions::default();
        if let Some(pays) = self.pays {
            conditions.egal("c.pays", pays);
        }
        if let Some(niveau) = self.niveau {
            conditions.egal("c.niveau", niveau.code());
        }
        if let Some(parent) = self.parent {
            conditions.egal("c.parent_id", parent);
        }
        let (filtre, parametres) = (conditions.sql(), conditions.parametres());
        let total: u64 = conn
            .prepare_cached(&format!(
                "SELECT count(*) FROM collectivite c WHERE {filtre}"
            ))?
            .query_row(parametres.clone(), |r| r.get(0))?;
        let sql = format!(
            "SELECT {COLONNES} FROM collectivite c WHERE {filtre}
             ORDER BY c.nom_normalise, c.id LIMIT {} OFFSET {}",
            self.page.limit(),
            self.page.offset()
        );
        Ok(Pagine {
            elements: lister(conn, &sql, parametres)?,
            total,
            page: self.page,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::essai;

    #[test]
    fn the_counts_per_country_follow_every_insert_update_and_delete() {
        let (_dossier, store) = essai::base();
        let conn = store.connexion().unwrap();
        let (kayes, angers) = essai::kayes_angers(&conn);
        let compte = |conn: &Connection| {
            let lus = pays_presents(conn).unwrap();
            let mut stmt = conn
                .prepare("SELECT pays, count(*) FROM collectivite GROUP BY pays ORDER BY pays <> 'ML', pays <> 'FR', pays")
                .unwrap();
            let comptes: Vec<(Pays, u64)> = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            assert_eq!(lus, comptes);
            lus
        };
        assert_eq!(compte(&conn), [(Pays::MALI, 1), (Pays::FRANCE, 1)]);
        let quebec = inserer(
            &conn,
            NouvelleCollectivite::new(Pays::new("CA").unwrap(), Niveau::Niveau3, "Québec"),
        )
        .unwrap();
        assert_eq!(compte(&conn).len(), 3);
        conn.execute(
            "UPDATE collectivite SET pays = 'BE' WHERE id = ?1",
            [quebec],
        )
        .unwrap();
        let belgique = Pays::new("BE").unwrap();
        assert_eq!(
            compte(&conn),
            [(Pays::MALI, 1), (Pays::FRANCE, 1), (belgique, 1)]
        );
        conn.execute(
            "UPDATE collectivite SET nom = 'Kayes ville' WHERE id = ?1",
            [kayes],
        )
        .unwrap();
        conn.execute(
            "DELETE FROM collectivite WHERE id IN (?1, ?2)",
            [kayes, angers],
        )
        .unwrap();
        assert_eq!(compte(&conn), [(belgique, 1)]);
    }
}
