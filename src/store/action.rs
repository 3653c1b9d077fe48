//! Actions, the places, points and villages where they happen, and the page of one action.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::financement::{self, FinancementLigne, Total};
use super::sql::{Conditions, Valeurs, code};
use super::{Result, StoreError, atomique, collectivite, localite, partenariat, zones};
use crate::model::Validation;
use crate::model::{
    Action, ActionId, Collectivite, CollectiviteId, ErreurModele, Localite, NouvelleAction,
    Partenariat, PartenariatId, Periode, PointAction,
};
use crate::store::sql::executer;

pub(super) const COLONNES: &str = "a.id, a.partenariat_id, a.titre, a.description, a.axe, a.domaine, a.nature, a.statut, \
                        a.debut, a.fin, a.modifie_le";

pub(super) fn lire(row: &Row<'_>) -> rusqlite::Result<Action> {
    let periode = Periode::new(row.get("debut")?, row.get("fin")?).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(8, rusqlite::types::Type::Text, Box::new(e))
    })?;
    Ok(Action {
        id: row.get("id")?,
        partenariat: row.get("partenariat_id")?,
        titre: row.get("titre")?,
        description: row.get("description")?,
        axe: code(row, "axe")?,
        domaine: code(row, "domaine")?,
        nature: code(row, "nature")?,
        statut: code(row, "statut")?,
        periode,
        modifie_le: row.get("modifie_le")?,
    })
}

/// The columns an action is written with (validated by the caller), its places aside.
pub(super) fn valeurs(a: &NouvelleAction) -> Valeurs<'_> {
    Valeurs::new()
        .et("partenariat_id", a.partenariat)
        .et("titre", &a.titre)
        .et("description", &a.description)
        .et("axe", a.axe.code())
        .et("domaine", a.domaine.code())
        .et("nature", a.nature.code())
        .et("statut", a.statut.code())
        .et("debut", a.periode.debut())
        .et("fin", a.periode.fin())
}

/// Records an action and its places within an existing partenariat.
pub fn creer(conn: &Connection, nouvelle: NouvelleAction) -> Result<ActionId> {
    creer_par(conn, nouvelle, Validation::Valide, None)
}

/// Like [`creer`], for an account: declared actions wait for validation, and the journal
/// says who declared them.
pub fn creer_par(
    conn: &Connection,
    nouvelle: NouvelleAction,
    validation: Validation,
    auteur: Option<crate::model::CompteId>,
) -> Result<ActionId> {
    let a = nouvelle.valider()?;
    partenariat::par_id(conn, a.partenariat)?
        .ok_or_else(|| StoreError::Introuvable(format!("partenariat n° {}", a.partenariat)))?;
    for lieu in &a.lieux {
        collectivite::requise(conn, *lieu)?;
    }
    atomique(conn, || {
        let id = ActionId(
            valeurs(&a)
                .et("validation", validation.code())
                .inserer(conn, "action")?,
        );
        ecrire_lieux(conn, id, &a)?;
        let apres = instantane(conn, id)?;
        super::journal::noter(
            conn,
            auteur,
            ("action", id.0),
            "creation",
            None,
            Some(&apres),
            None,
        )?;
        Ok(id)
    })
}

/// Sets the places, points and villages of action `id` to exactly those of `a` (validated by
/// the caller). A point's unit is found by the code `carte::situer` gave it; a code this
/// database does not hold (one without the référentiel) leaves the point attached to
/// nothing. A village's P-code the gazetteer does not hold is refused
/// ([`ErreurModele::LocaliteInconnue`]): the caller's transaction then writes nothing.
pub(super) fn ecrire_lieux(conn: &Connection, id: ActionId, a: &NouvelleAction) -> Result<()> {
    executer(conn, "DELETE FROM action_lieu WHERE action_id = ?1", [id])?;
    executer(conn, "DELETE FROM action_point WHERE action_id = ?1", [id])?;
    executer(
        conn,
        "DELETE FROM action_localite WHERE action_id = ?1",
        [id],
    )?;
    let mut village = conn.prepare_cached(
        "INSERT OR IGNORE INTO action_localite (action_id, localite_id)
         SELECT ?1, id FROM localite WHERE pcode = ?2",
    )?;
    for pcode in &a.localites {
        if village.execute(params![id, pcode])? == 0
            && localite::collectivite_du_pcode(conn, pcode)?.is_none()
        {
            return Err(ErreurModele::LocaliteInconnue(pcode.clone()).into());
        }
    }
    let mut lieu = conn.prepare_cached(
        "INSERT OR IGNORE INTO action_lieu (action_id, collectivite_id) VALUES (?1, ?2)",
    )?;
    for c in &a.lieux {
        lieu.execute(params![id, c])?;
    }
    let mut point = conn.prepare_cached(
        "INSERT INTO action_point (action_id, rang, latitude, longitude, libelle, collectivite_id)
         VALUES (?1, ?2, ?3, ?4, ?5,
                 (SELECT id FROM collectivite WHERE pays = 'ML' AND code = ?6 AND valide_au IS NULL))",
    )?;
    for (rang, p) in a.points.iter().enumerate() {
        point.execute(params![
            id,
            rang as i64,
            p.latitude,
            p.longitude,
            p.libelle,
            p.commune
        ])?;
    }
    Ok(())
}

/// The points of an action, in their order, each with the code of the unit it is attached
/// to.
pub fn points(conn: &Connection, id: ActionId) -> Result<Vec<PointAction>> {
    Ok(points_et_unites(conn, id)?
        .into_iter()
        .map(|(p, _)| p)
        .collect())
}

/// A point of an action with the unit it is attached to, as its page shows it.
#[derive(Debug, Clone)]
pub struct PointLocalise {
    pub point: PointAction,
    /// Its commune (or cercle); `None` outside Mali.
    pub unite: Option<Collectivite>,
}

fn points_localises(conn: &Connection, id: ActionId) -> Result<Vec<PointLocalise>> {
    points_et_unites(conn, id)?
        .into_iter()
        .map(|(point, unite)| {
            Ok(PointLocalise {
                point,
                unite: unite.map(|c| collectivite::requise(conn, c)).transpose()?,
            })
        })
        .collect()
}

/// The points of an action with the id of their unit, in one query.
fn points_et_unites(
    conn: &Connection,
    id: ActionId,
) -> Result<Vec<(PointAction, Option<CollectiviteId>)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.latitude, p.longitude, p.libelle, c.code, p.collectivite_id FROM action_point p
         LEFT JOIN collectivite c ON c.id = p.collectivite_id
         WHERE p.action_id = ?1 ORDER BY p.rang",
    )?;
    let lignes = stmt.query_map([id], |r| {
        Ok((
            PointAction {
                latitude: r.get(0)?,
                longitude: r.get(1)?,
                libelle: r.get(2)?,
                commune: r.get(3)?,
            },
            r.get(4)?,
        ))
    })?;
    Ok(lignes.collect::<rusqlite::Result<_>>()?)
}

/// The collectivités where an action takes place, by name.
pub fn lieux(conn: &Connection, id: ActionId) -> Result<Vec<Collectivite>> {
    let mut stmt = conn.prepare_cached(
        "SELECT l.collectivite_id FROM action_lieu l JOIN collectivite c ON c.id = l.collectivite_id
         WHERE l.action_id = ?1 ORDER BY c.nom_normalise",
    )?;
    let ids: Vec<CollectiviteId> = stmt
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    ids.into_iter()
        .map(|c| collectivite::requise(conn, c))
        .collect()
}

/// An action as a line of a list, with its places, points and villages.
#[derive(Debug, Clone)]
pub struct ActionResume {
    pub action: Action,
    pub lieux: Vec<Collectivite>,
    pub points: Vec<PointAction>,
    pub localites: Vec<Localite>,
}

fn resumes(conn: &Connection, sql: &str, parametre: i64) -> Result<Vec<ActionResume>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let actions = stmt
        .query_map([parametre], lire)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    avec_lieux(conn, actions)
}

/// Actions as lines of a list, with their places, points and villages.
fn avec_lieux(conn: &Connection, actions: Vec<Action>) -> Result<Vec<ActionResume>> {
    actions
        .into_iter()
        .map(|action| {
            let lieux = lieux(conn, action.id)?;
            let points = points(conn, action.id)?;
            let localites = localite::de_l_action(conn, action.id)?;
            Ok(ActionResume {
                action,
                lieux,
                points,
                localites,
            })
        })
        .collect()
}

/// The public actions of a partenariat, most recent first.
pub fn du_partenariat(conn: &Connection, id: PartenariatId) -> Result<Vec<ActionResume>> {
    let sql = format!(
        "SELECT {COLONNES} FROM action_publiee a WHERE a.partenariat_id = ?1 ORDER BY a.debut IS NULL, a.debut DESC, a.id"
    );
    resumes(conn, &sql, id.0)
}

/// How many actions concern a collectivité, and the `limite` most recent of them. An action
/// concerns the units of its partenariat's parties and those where it takes place (a place,
/// a point or a village there), and every unit above them: read from the zones and counts
/// that triggers keep (migration 0019), a few index entries whatever the size of the zone.
pub fn de_la_zone(
    conn: &Connection,
    id: CollectiviteId,
    limite: u32,
) -> Result<(u64, Vec<ActionResume>)> {
    let total = super::zones::actions(conn, id.0)?;
    let sql = format!(
        "SELECT {COLONNES} FROM action_zone z JOIN action a ON a.id = z.action_id
         WHERE z.collectivite_id = ?1
         ORDER BY z.sans_debut, z.debut DESC, z.action_id LIMIT {limite}"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let actions = stmt
        .query_map([id], lire)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((total, avec_lieux(conn, actions)?))
}

/// Everything the page of an action shows.
#[derive(Debug, Clone)]
pub struct FicheAction {
    pub action: Action,
    pub partenariat: Partenariat,
    pub lieux: Vec<Collectivite>,
    pub points: Vec<PointLocalise>,
    /// Its villages by name, each with the collectivité it lies in.
    pub localites: Vec<(Localite, Collectivite)>,
    pub financements: Vec<FinancementLigne>,
    pub totaux: Vec<Total>,
    /// What it produced, by indicator.
    pub resultats: Vec<crate::model::Resultat>,
    /// The objective of a PDESC it serves.
    pub objectif_pdesc: Option<super::pdesc::ObjectifServi>,
}

/// The public page of an action (validated, of a public partenariat).
pub fn fiche(conn: &Connection, id: ActionId) -> Result<Option<FicheAction>> {
    fiche_depuis(conn, "action_publiee", id)
}

/// The whole of an action whatever its review state: what the administrator examines.
pub fn fiche_declaree(conn: &Connection, id: ActionId) -> Result<Option<FicheAction>> {
    fiche_depuis(conn, "action", id)
}

fn fiche_depuis(conn: &Connection, table: &str, id: ActionId) -> Result<Option<FicheAction>> {
    let sql = format!("SELECT {COLONNES} FROM {table} a WHERE a.id = ?1");
    let Some(action) = conn
        .prepare_cached(&sql)?
        .query_row([id], lire)
        .optional()?
    else {
        return Ok(None);
    };
    let partenariat = partenariat::par_id(conn, action.partenariat)?
        .ok_or_else(|| StoreError::Introuvable(format!("partenariat n° {}", action.partenariat)))?;
    Ok(Some(FicheAction {
        lieux: lieux(conn, id)?,
        points: points_localises(conn, id)?,
        localites: localite::de_l_action(conn, id)?
            .into_iter()
            .map(|l| {
                let dans = collectivite::requise(conn, l.collectivite)?;
                Ok((l, dans))
            })
            .collect::<Result<_>>()?,
        financements: financement::de_l_action(conn, id)?,
        totaux: financement::totaux_action(conn, id)?,
        resultats: super::resultat::de_l_action(conn, id)?
            .into_iter()
            .map(|(_, r)| r)
            .collect(),
        objectif_pdesc: super::pdesc::objectif_de_l_action(conn, id)?,
        partenariat,
        action,
    }))
}

/// What the journal keeps of an action: its fields, its review state, its places, its
/// points (as the exchange files write them) and its villages (« Worofara (ML020530035) »).
pub(super) fn instantane(conn: &Connection, id: ActionId) -> Result<serde_json::Value> {
    let sql = "SELECT titre, description, axe, domaine, nature, statut, debut, fin, validation,
                      commentaire_validation, archive FROM action WHERE id = ?1";
    let mut valeur = conn.query_row(sql, [id], |r| {
        Ok(serde_json::json!({
            "titre": r.get::<_, String>(0)?, "description": r.get::<_, Option<String>>(1)?,
            "axe": r.get::<_, String>(2)?, "domaine": r.get::<_, String>(3)?, "nature": r.get::<_, String>(4)?,
            "statut": r.get::<_, String>(5)?, "debut": r.get::<_, Option<String>>(6)?, "fin": r.get::<_, Option<String>>(7)?,
            "validation": r.get::<_, String>(8)?, "commentaire_validation": r.get::<_, Option<String>>(9)?,
            "archive": r.get::<_, bool>(10)?,
        }))
    })?;
    let lieux: Vec<i64> = lieux(conn, id)?.iter().map(|c| c.id.0).collect();
    valeur["lieux"] = serde_json::json!(lieux);
    let points: Vec<String> = points(conn, id)?
        .iter()
        .map(PointAction::en_texte)
        .collect();
    valeur["points"] = serde_json::json!(points);
    let villages: Vec<String> = localite::de_l_action(conn, id)?
        .iter()
        .map(|l| format!("{} ({})", l.nom, l.pcode))
        .collect();
    valeur["localites"] = serde_json::json!(villages);
    valeur["resultats"] = super::resultat::instantane(conn, id)?;
    valeur["objectif_pdesc"] = serde_json::json!(
        super::pdesc::objectif_de_l_action(conn, id)?
            .map(|o| format!("{} ({})", o.libelle, o.collectivite_nom))
    );
    Ok(valeur)
}

/// The actions waiting for a national administrator, with their partenariat's title.
pub fn en_attente(conn: &Connection) -> Result<Vec<(Action, String)>> {
    let sql = format!(
        "SELECT {COLONNES}, p.titre AS titre_partenariat FROM action a JOIN partenariat p ON p.id = a.partenariat_id
         WHERE a.validation = 'soumis' AND a.archive = 0 ORDER BY a.modifie_le, a.id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let lignes = stmt.query_map([], |r| Ok((lire(r)?, r.get("titre_partenariat")?)))?;
    Ok(lignes.collect::<rusqlite::Result<_>>()?)
}

/// Money declared with an action: its source (found by name, or created), kind, amount and
/// year.
pub struct FinancementDeclare {
    pub source: crate::model::NouvelActeur,
    pub type_financement: crate::model::TypeFinancement,
    pub montant: crate::model::Montant,
    pub annee: i32,
}

/// Adds money to an action: its source is found by name, or created.
pub fn ajouter_financement(conn: &Connection, id: ActionId, f: FinancementDeclare) -> Result<()> {
    let source = match super::acteur::par_nom(conn, &f.source.nom)? {
        Some(existant) => existant,
        None => super::acteur::creer(conn, f.source)?,
    };
    super::financement::creer(
        conn,
        crate::model::NouveauFinancement {
            action: id,
            source,
            type_financement: f.type_financement,
            montant: f.montant,
            annee: f.annee,
        },
    )?;
    Ok(())
}

/// Records an action declared by an account, with its first financement, all or nothing.
pub fn declarer(
    conn: &Connection,
    nouvelle: NouvelleAction,
    validation: Validation,
    auteur: crate::model::CompteId,
    argent: Option<FinancementDeclare>,
) -> Result<ActionId> {
    atomique(conn, || {
        let id = creer_par(conn, nouvelle, validation, Some(auteur))?;
        if let Some(f) = argent {
            ajouter_financement(conn, id, f)?;
        }
        Ok(id)
    })
}

/// Replaces an action's fields, places, points and villages (call it inside `validation::modifier`, which
/// journals the change).
pub fn changer(conn: &Connection, id: ActionId, action: NouvelleAction) -> Result<()> {
    let a = action.valider()?;
    for lieu in &a.lieux {
        collectivite::requise(conn, *lieu)?;
    }
    executer(conn,
        "UPDATE action SET titre = ?2, description = ?3, axe = ?4, domaine = ?5, nature = ?6, statut = ?7,
                           debut = ?8, fin = ?9 WHERE id = ?1",
        params![
            id,
            a.titre,
            a.description,
            a.axe.code(),
            a.domaine.code(),
            a.nature.code(),
            a.statut.code(),
            a.periode.debut(),
            a.periode.fin()
        ],
    )?;
    ecrire_lieux(conn, id, &a)
}

/// Every action of a partenariat, whatever its review state, with its places: what its
/// authority and the administrators work on.
pub fn toutes_du_partenariat(conn: &Connection, id: PartenariatId) -> Result<Vec<ActionResume>> {
    let sql = format!("SELECT {COLONNES} FROM action a WHERE a.partenariat_id = ?1 ORDER BY a.id");
    resumes(conn, &sql, id.0)
}

/// An action as its authority follows it: where it stands in review, and its partenariat.
pub struct ActionSuivie {
    pub action: Action,
    pub validation: crate::model::Validation,
    pub archive: bool,
    pub commentaire_validation: Option<String>,
    pub titre_partenariat: String,
}

/// Every action of `partenariats`, whatever its review state: the authority's own list.
pub fn suivies(conn: &Connection, partenariats: &[PartenariatId]) -> Result<Vec<ActionSuivie>> {
    let sql = format!(
        "SELECT {COLONNES}, a.validation, a.archive, a.commentaire_validation,
                p.titre AS titre_partenariat
         FROM action a JOIN partenariat p ON p.id = a.partenariat_id
         WHERE a.partenariat_id = ?1 ORDER BY a.id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut suivies = Vec::new();
    for p in partenariats {
        for a in stmt.query_map([p], |r| {
            Ok(ActionSuivie {
                action: lire(r)?,
                validation: code(r, "validation")?,
                archive: r.get("archive")?,
                commentaire_validation: r.get("commentaire_validation")?,
                titre_partenariat: r.get("titre_partenariat")?,
            })
        })? {
            suivies.push(a?);
        }
    }
    Ok(suivies)
}

/// An action whatever its review state.
pub fn par_id(conn: &Connection, id: ActionId) -> Result<Option<Action>> {
    let sql = format!("SELECT {COLONNES} FROM action a WHERE a.id = ?1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([id], lire)
        .optional()?)
}

/// The filters of a list of public actions (the API's), by id so that pages stay stable
/// while actions are added.
#[derive(Debug, Clone, Default)]
pub struct ActionQuery {
    pub partenariat: Option<PartenariatId>,
    pub axe: Option<crate::model::Axe>,
    pub domaine: Option<crate::model::Domaine>,
    pub statut: Option<crate::model::StatutAction>,
    /// The action concerns this collectivité: a place in its territory, or a party of its
    /// partenariat within it (as on the collectivité's page).
    pub zone: Option<CollectiviteId>,
    /// The action has a result on this catalogue indicator (the overview's figures link
    /// to these lists).
    pub indicateur: Option<String>,
    pub page: super::Page,
}

impl ActionQuery {
    /// One page of the matching public actions and how many there are. A zone's actions
    /// (or, with no zone, every public action: [`zones::TOUT_LE_REGISTRE`]) are read from
    /// `action_zone` in id order, and their number from `zone_compteur` when no other
    /// filter applies, instead of computing the zone and counting it on every request.
    /// Without a zone, the other filters read the actions themselves, as before. Only the
    /// filters given are written in the SQL: « ?2 IS NULL OR a.partenariat_id = ?2 » kept
    /// SQLite from using the partenariat's index (0.35 s for ten actions). `total`, when the
    /// caller knows it (the counts kept beside the overview), saves counting.
    pub fn lister(
        &self,
        conn: &Connection,
        total: Option<u64>,
    ) -> Result<super::Pagine<ActionResume>> {
        let zone = self.zone.map_or(zones::TOUT_LE_REGISTRE, |z| z.0);
        let mut conditions = Conditions::default();
        if let Some(p) = self.partenariat {
            conditions.egal("a.partenariat_id", p);
        }
        if let Some(axe) = self.axe {
            conditions.egal("a.axe", axe.code());
        }
        if let Some(domaine) = self.domaine {
            conditions.egal("a.domaine", domaine.code());
        }
        if let Some(statut) = self.statut {
            conditions.egal("a.statut", statut.code());
        }
        if let Some(indicateur) = &self.indicateur {
            conditions.terme(
                "EXISTS (SELECT 1 FROM resultat r WHERE r.action_id = a.id AND r.indicateur = ?)",
                indicateur.clone(),
            );
        }
        let sans_autre_filtre = conditions.est_vide();
        let (depuis, ordre) = if self.zone.is_none() && !sans_autre_filtre {
            // `action_publiee`, written so that SQLite walks the actions by id and stops at
            // the page (through the view it sorted the 200,000 actions of an axe: 0.1 s)
            (
                "action a WHERE +a.validation = 'valide' AND +a.archive = 0
                 AND EXISTS (SELECT 1 FROM partenariat_publie p WHERE p.id = a.partenariat_id)
                 AND",
                "a.id",
            )
        } else {
            conditions.egal("z.collectivite_id", zone);
            (
                "action_zone z JOIN action a ON a.id = z.action_id WHERE",
                "z.action_id",
            )
        };
        let filtre = conditions.sql();
        let parametres = conditions.parametres();
        let total: u64 = match total {
            Some(total) => total,
            None if sans_autre_filtre => zones::actions(conn, zone)?,
            None => conn
                .prepare_cached(&format!("SELECT count(*) FROM {depuis} {filtre}"))?
                .query_row(parametres.clone(), |r| r.get(0))?,
        };
        let (limite, decalage) = (self.page.limit(), self.page.offset());
        let sql = if sans_autre_filtre {
            // the offset walks the zone's index alone, then a page of actions is read: the
            // join read every action it skipped (0.2 s for the last page of a million)
            format!(
                "SELECT {COLONNES} FROM action a WHERE a.id IN
                     (SELECT z.action_id FROM action_zone z WHERE {filtre}
                      ORDER BY z.action_id LIMIT {limite} OFFSET {decalage})
                 ORDER BY a.id"
            )
        } else {
            format!(
                "SELECT {COLONNES} FROM {depuis} {filtre} ORDER BY {ordre}
                 LIMIT {limite} OFFSET {decalage}"
            )
        };
        let mut stmt = conn.prepare_cached(&sql)?;
        let actions = stmt
            .query_map(parametres, lire)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let elements = avec_lieux(conn, actions)?;
        Ok(super::Pagine {
            elements,
            total,
            page: self.page,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        Niveau, NouveauPartenariat, NouvelleCollectivite, Pays, StatutAction, StatutPartenariat,
    };
    use crate::store::essai;

    #[test]
    fn points_are_written_with_their_unit_read_back_journalled_and_replaced() {
        let (_dossier, store) = essai::base();
        let conn = store.connexion().unwrap();
        let unite = |niveau, code: &str, parent| {
            collectivite::inserer(
                &conn,
                NouvelleCollectivite {
                    code: Some(code.into()),
                    parent,
                    ..NouvelleCollectivite::new(Pays::MALI, niveau, "Kayes")
                },
            )
            .unwrap()
        };
        let region = unite(Niveau::Region, "ML-1", None);
        let cercle = unite(Niveau::Cercle, "ML-1-KAYES", Some(region));
        let commune = unite(Niveau::Commune, "ML-1-KAYES-KAYES", Some(cercle));
        let (_, angers) = essai::kayes_angers(&conn);
        let p = partenariat::creer(
            &conn,
            NouveauPartenariat::new(
                "Kayes – Angers",
                StatutPartenariat::Actif,
                vec![region, angers],
            ),
        )
        .unwrap();
        let point = |lat, lon, libelle, commune: Option<&str>| PointAction {
            commune: commune.map(str::to_owned),
            ..PointAction::nouveau(lat, lon, libelle).unwrap()
        };
        let puits = point(14.4485, -11.4389, Some("puits"), Some("ML-1-KAYES-KAYES"));
        let dakar = point(14.69, -17.44, None, None);
        let nouvelle = NouvelleAction {
            statut: StatutAction::EnCours,
            points: vec![puits.clone(), dakar.clone(), puits.clone()],
            ..essai::puits(p, Vec::new())
        };
        let id = creer(&conn, nouvelle.clone()).unwrap();
        assert_eq!(points(&conn, id).unwrap(), [puits.clone(), dakar.clone()]);
        let fiche = fiche(&conn, id).unwrap().unwrap();
        assert_eq!(fiche.points[0].unite.as_ref().map(|c| c.id), Some(commune));
        assert!(fiche.points[1].unite.is_none());
        // The action concerns the commune and what holds it, through its point only.
        for zone in [commune, cercle, region] {
            let (n, _) = de_la_zone(&conn, zone, 10).unwrap();
            assert_eq!(n, 1, "{zone}");
        }
        let liste = ActionQuery {
            zone: Some(commune),
            ..ActionQuery::default()
        }
        .lister(&conn, None)
        .unwrap();
        assert_eq!(liste.elements[0].points, [puits.clone(), dakar.clone()]);
        // A commune code the database does not hold leaves the point attached to nothing.
        let inconnue = point(12.0, -8.0, None, Some("ML-9-INCONNUE"));
        changer(
            &conn,
            id,
            NouvelleAction {
                points: vec![dakar.clone(), inconnue],
                ..nouvelle
            },
        )
        .unwrap();
        let relus = points(&conn, id).unwrap();
        assert_eq!(relus.len(), 2);
        assert_eq!(relus[0], dakar);
        assert_eq!(relus[1].commune, None);
        let instantane = instantane(&conn, id).unwrap();
        assert_eq!(
            instantane["points"],
            serde_json::json!(["14.69 -17.44", "12 -8"])
        );
        let creation = crate::store::journal::historique(&conn, "action", id.0).unwrap();
        assert_eq!(
            creation[0].apres.as_ref().unwrap()["points"],
            serde_json::json!(["14.4485 -11.4389 ; puits", "14.69 -17.44"])
        );
    }
}
