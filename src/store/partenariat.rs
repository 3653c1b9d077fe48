//! Partenariats with their parties, étapes, conventions and intermediaries.

use rusqlite::{Connection, OptionalExtension, Row, params};
use time::Date;

use super::action::{self, ActionResume};
use super::financement::{self, Total};
use super::sql::{Valeurs, code};
use super::{MAINTENANT, Result, StoreError, atomique, collectivite};
use crate::model::nom::normaliser;
use crate::model::{
    ActeurId, CollectiviteId, Convention, Etape, EtapeDatee, HistoriqueEtapes, Intermediaire,
    NouveauPartenariat, NouvelleConvention, Partenariat, PartenariatId, Parties, Pays,
    RoleIntermediaire, Saisie, StatutPartenariat, verifier_parties,
};
use crate::store::sql::executer;

mod liste;
pub use liste::{FiltreEtape, PartenariatQuery, PartenariatResume, TriPartenariats, trouves};

const COLONNES: &str = "p.id, p.titre, p.description, p.statut, p.source, p.demonstration, p.modifie_le, p.cree_le, \
                        p.validation, p.commentaire_validation, p.archive, p.confirme_le";

fn lire(row: &Row<'_>) -> rusqlite::Result<Partenariat> {
    Ok(Partenariat {
        id: row.get("id")?,
        titre: row.get("titre")?,
        description: row.get("description")?,
        statut: code(row, "statut")?,
        source: row.get("source")?,
        demonstration: row.get("demonstration")?,
        modifie_le: row.get("modifie_le")?,
        cree_le: row.get("cree_le")?,
        validation: code(row, "validation")?,
        commentaire_validation: row.get("commentaire_validation")?,
        archive: row.get("archive")?,
        confirme_le: row.get("confirme_le")?,
    })
}

/// Records a partenariat and its parties, after checking that both sides are present.
pub fn creer(conn: &Connection, nouveau: NouveauPartenariat) -> Result<PartenariatId> {
    creer_par(conn, nouveau, None)
}

/// Like [`creer`], for an account: the journal says who declared it.
pub fn creer_par(
    conn: &Connection,
    nouveau: NouveauPartenariat,
    auteur: Option<crate::model::CompteId>,
) -> Result<PartenariatId> {
    creer_avec_etape(conn, nouveau, None, auteur)
}

/// Like [`creer_par`], with the relation's first étape written in the same transaction, so
/// that the declaration's journal entry names it (« Étape ajoutée : … depuis le … »).
pub fn creer_avec_etape(
    conn: &Connection,
    nouveau: NouveauPartenariat,
    etape: Option<EtapeDatee>,
    auteur: Option<crate::model::CompteId>,
) -> Result<PartenariatId> {
    let p = nouveau.valider()?;
    let etape = etape.map(EtapeDatee::valider).transpose()?;
    let mut parties = Vec::with_capacity(p.parties.len());
    for id in &p.parties {
        parties.push((*id, collectivite::requise(conn, *id)?.pays));
    }
    verifier_parties(&parties)?;
    atomique(conn, || {
        let id = PartenariatId(valeurs(&p).inserer(conn, "partenariat")?);
        let mut stmt = conn.prepare_cached(
            "INSERT INTO partie (partenariat_id, collectivite_id) VALUES (?1, ?2)",
        )?;
        for (partie, _) in &parties {
            stmt.execute(params![id, partie])?;
        }
        if let Some(etape) = &etape {
            inserer_etape(conn, id, etape)?;
        }
        let apres = instantane(conn, id)?;
        super::journal::noter(
            conn,
            auteur,
            ("partenariat", id.0),
            "creation",
            None,
            Some(&apres),
            None,
        )?;
        Ok(id)
    })
}

/// The columns a partenariat is written with (validated by the caller), its parties aside.
pub(super) fn valeurs(p: &NouveauPartenariat) -> Valeurs<'_> {
    Valeurs::new()
        .et("titre", &p.titre)
        .et("titre_tri", normaliser(&p.titre))
        .et("description", &p.description)
        .et("statut", p.statut.code())
        .et("source", &p.source)
        .et("demonstration", p.demonstration)
        .et("validation", p.validation.code())
}

/// The columns a convention of partenariat `id` is written with (validated by the caller).
pub(super) fn valeurs_convention(id: PartenariatId, c: &NouvelleConvention) -> Valeurs<'_> {
    Valeurs::new()
        .et("partenariat_id", id)
        .et("intitule", &c.intitule)
        .et("signee_le", c.signee_le)
        .et("duree_mois", c.duree_mois)
        .et("reconduction", c.reconduction.code())
        .et("document", &c.document)
}

pub fn par_id(conn: &Connection, id: PartenariatId) -> Result<Option<Partenariat>> {
    lire_un(conn, "partenariat", id)
}

/// The partenariat if it is public: validated and not archived.
pub fn publie(conn: &Connection, id: PartenariatId) -> Result<Option<Partenariat>> {
    lire_un(conn, "partenariat_publie", id)
}

fn lire_un(conn: &Connection, table: &str, id: PartenariatId) -> Result<Option<Partenariat>> {
    let sql = format!("SELECT {COLONNES} FROM {table} p WHERE p.id = ?1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([id], lire)
        .optional()?)
}

fn requis(conn: &Connection, id: PartenariatId) -> Result<Partenariat> {
    par_id(conn, id)?.ok_or_else(|| StoreError::Introuvable(format!("partenariat n° {id}")))
}

fn toucher(conn: &Connection, id: PartenariatId) -> Result<()> {
    executer(
        conn,
        &format!("UPDATE partenariat SET modifie_le = {MAINTENANT} WHERE id = ?1"),
        [id],
    )?;
    Ok(())
}

/// The parties of a partenariat, Malian first, then by name.
pub fn parties(conn: &Connection, id: PartenariatId) -> Result<Parties> {
    let mut stmt = conn.prepare_cached(
        "SELECT collectivite_id FROM partie pa JOIN collectivite c ON c.id = pa.collectivite_id
         WHERE pa.partenariat_id = ?1 ORDER BY c.pays <> 'ML', c.nom_normalise",
    )?;
    let ids: Vec<CollectiviteId> = stmt
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let parties = ids
        .into_iter()
        .map(|c| collectivite::requise(conn, c))
        .collect::<Result<_>>()?;
    Ok(Parties(parties))
}

/// The dated étapes of a partenariat, oldest first.
pub fn etapes(conn: &Connection, id: PartenariatId) -> Result<HistoriqueEtapes> {
    let mut stmt = conn.prepare_cached(
        "SELECT etape, depuis, note FROM etape WHERE partenariat_id = ?1 ORDER BY depuis",
    )?;
    let etapes = stmt
        .query_map([id], |row| {
            Ok(EtapeDatee {
                etape: code(row, "etape")?,
                depuis: row.get("depuis")?,
                note: row.get("note")?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(HistoriqueEtapes::new(etapes)?)
}

/// Adds a dated étape, refused when it contradicts the relation's history.
pub fn ajouter_etape(conn: &Connection, id: PartenariatId, etape: EtapeDatee) -> Result<()> {
    let etape = etape.valider()?;
    requis(conn, id)?;
    let mut historique = etapes(conn, id)?;
    historique.ajouter(etape.clone())?;
    atomique(conn, || {
        inserer_etape(conn, id, &etape)?;
        toucher(conn, id)
    })
}

/// Writes one étape row (checked by the caller against the relation's other étapes).
fn inserer_etape(conn: &Connection, id: PartenariatId, etape: &EtapeDatee) -> Result<()> {
    executer(
        conn,
        "INSERT INTO etape (partenariat_id, etape, depuis, note) VALUES (?1, ?2, ?3, ?4)",
        params![id, etape.etape.code(), etape.depuis, etape.note],
    )?;
    Ok(())
}

/// Records a convention of a partenariat.
pub fn ajouter_convention(
    conn: &Connection,
    id: PartenariatId,
    convention: NouvelleConvention,
) -> Result<()> {
    let c = convention.valider()?;
    requis(conn, id)?;
    atomique(conn, || {
        valeurs_convention(id, &c).inserer(conn, "convention")?;
        toucher(conn, id)
    })
}

pub fn conventions(conn: &Connection, id: PartenariatId) -> Result<Vec<Convention>> {
    let mut stmt = conn.prepare_cached(
        "SELECT intitule, signee_le, duree_mois, reconduction, document FROM convention
         WHERE partenariat_id = ?1 ORDER BY signee_le IS NULL, signee_le, id",
    )?;
    let lignes = stmt.query_map([id], |row| {
        Ok(Convention {
            intitule: row.get("intitule")?,
            signee_le: row.get("signee_le")?,
            duree_mois: row.get("duree_mois")?,
            reconduction: code(row, "reconduction")?,
            document: row.get("document")?,
        })
    })?;
    Ok(lignes.collect::<rusqlite::Result<_>>()?)
}

/// What an intermediary's role is said to be exactly: free text, checked.
pub fn precision_intermediaire(precision: Option<&str>) -> Result<Option<String>> {
    Ok(crate::model::texte_facultatif(
        "precision",
        precision,
        2_000,
        Saisie::Paragraphe,
    )?)
}

/// Records that an acteur carries the relation in some role.
pub fn ajouter_intermediaire(
    conn: &Connection,
    id: PartenariatId,
    acteur: ActeurId,
    role: RoleIntermediaire,
    precision: Option<&str>,
) -> Result<()> {
    let precision = precision_intermediaire(precision)?;
    requis(conn, id)?;
    atomique(conn, || {
        executer(
            conn,
            "INSERT OR REPLACE INTO intermediaire (partenariat_id, acteur_id, role, precision)
             VALUES (?1, ?2, ?3, ?4)",
            params![id, acteur, role.code(), precision],
        )?;
        toucher(conn, id)
    })
}

pub fn intermediaires(conn: &Connection, id: PartenariatId) -> Result<Vec<Intermediaire>> {
    let mut stmt = conn.prepare_cached(
        "SELECT i.acteur_id, a.nom, i.role, i.precision FROM intermediaire i JOIN acteur a ON a.id = i.acteur_id
         WHERE i.partenariat_id = ?1 ORDER BY a.nom",
    )?;
    let lignes = stmt.query_map([id], |row| {
        Ok(Intermediaire {
            acteur: row.get("acteur_id")?,
            nom: row.get("nom")?,
            role: code(row, "role")?,
            precision: row.get("precision")?,
        })
    })?;
    Ok(lignes.collect::<rusqlite::Result<_>>()?)
}

/// Everything the page of a partenariat shows.
#[derive(Debug, Clone)]
pub struct FichePartenariat {
    pub partenariat: Partenariat,
    pub parties: Parties,
    pub etapes: HistoriqueEtapes,
    /// The étape reached on the day the page is read.
    pub etape_actuelle: Option<Etape>,
    pub conventions: Vec<Convention>,
    pub intermediaires: Vec<Intermediaire>,
    pub actions: Vec<ActionResume>,
    pub totaux: Vec<Total>,
}

/// The public page of a partenariat, with étapes read at `date`.
pub fn fiche(conn: &Connection, id: PartenariatId, date: Date) -> Result<Option<FichePartenariat>> {
    publie(conn, id)?
        .map(|p| completer(conn, p, date))
        .transpose()
}

/// The whole of a partenariat whatever its review state: what the administrator examines.
pub fn fiche_declaree(
    conn: &Connection,
    id: PartenariatId,
    date: Date,
) -> Result<Option<FichePartenariat>> {
    par_id(conn, id)?
        .map(|p| completer(conn, p, date))
        .transpose()
}

fn completer(conn: &Connection, partenariat: Partenariat, date: Date) -> Result<FichePartenariat> {
    let id = partenariat.id;
    let etapes = etapes(conn, id)?;
    Ok(FichePartenariat {
        etape_actuelle: etapes.a_la_date(date).map(|e| e.etape),
        etapes,
        parties: parties(conn, id)?,
        conventions: conventions(conn, id)?,
        intermediaires: intermediaires(conn, id)?,
        actions: action::du_partenariat(conn, id)?,
        totaux: financement::totaux_partenariat(conn, id)?,
        partenariat,
    })
}

/// The countries of the foreign parties of the public partenariats, for the list's filter:
/// read from the counts that triggers keep (migration 0019), not from every party.
pub fn pays_partenaires(conn: &Connection) -> Result<Vec<Pays>> {
    let mut stmt = conn.prepare_cached("SELECT pays FROM pays_compteur ORDER BY pays")?;
    let lignes = stmt.query_map([], |r| r.get(0))?;
    Ok(lignes.collect::<rusqlite::Result<_>>()?)
}

/// Records that the authority confirmed the partenariat on `date`.
pub fn confirmer(conn: &Connection, id: PartenariatId, date: Date) -> Result<()> {
    confirmer_par(conn, id, date, None)
}

/// Like [`confirmer`], for an account: the journal says who confirmed.
pub fn confirmer_par(
    conn: &Connection,
    id: PartenariatId,
    date: Date,
    compte: Option<crate::model::CompteId>,
) -> Result<()> {
    requis(conn, id)?;
    atomique(conn, || {
        executer(
            conn,
            "UPDATE partenariat SET confirme_le = ?2 WHERE id = ?1",
            params![id, date],
        )?;
        let commentaire = format!("Confirmé par sa collectivité le {date}");
        super::journal::noter(
            conn,
            compte,
            ("partenariat", id.0),
            "modification",
            None,
            None,
            Some(&commentaire),
        )
    })
}

/// What the journal keeps of a partenariat: its fields, its review state, its parties and
/// its contacts (the journal is not public).
pub(super) fn instantane(conn: &Connection, id: PartenariatId) -> Result<serde_json::Value> {
    let (titre, description, statut, validation, commentaire, archive): (String, Option<String>, String, String, Option<String>, bool) =
        conn.query_row(
            "SELECT titre, description, statut, validation, commentaire_validation, archive FROM partenariat WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
        )?;
    let parties: Vec<i64> = parties(conn, id)?.0.iter().map(|c| c.id.0).collect();
    let etapes: Vec<String> = etapes(conn, id)?
        .etapes()
        .iter()
        .map(|e| format!("{} {}", e.depuis, e.etape.code()))
        .collect();
    let conventions: Vec<String> = conventions(conn, id)?
        .iter()
        .map(|c| c.intitule.clone())
        .collect();
    let intermediaires: Vec<String> = intermediaires(conn, id)?
        .iter()
        .map(|i| format!("{} ({})", i.nom, i.role.code()))
        .collect();
    let contacts = super::contact::resumes(conn, id)?;
    Ok(serde_json::json!({
        "titre": titre, "description": description, "statut": statut, "validation": validation,
        "commentaire_validation": commentaire, "archive": archive, "parties": parties,
        "etapes": etapes, "conventions": conventions, "intermediaires": intermediaires,
        "contacts": contacts,
    }))
}

/// The declarations waiting for a national administrator, oldest first.
pub fn en_attente(conn: &Connection) -> Result<Vec<Partenariat>> {
    let sql = format!(
        "SELECT {COLONNES} FROM partenariat p WHERE p.validation = 'soumis' AND p.archive = 0 ORDER BY p.modifie_le, p.id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let lignes = stmt.query_map([], lire)?;
    Ok(lignes.collect::<rusqlite::Result<_>>()?)
}

/// Every partenariat (any review state, archived ones included) where one of `collectivites`
/// is a party: what an authority sees of its own records.
pub fn des_collectivites(
    conn: &Connection,
    collectivites: &[CollectiviteId],
) -> Result<Vec<Partenariat>> {
    let sql = format!(
        "SELECT DISTINCT {COLONNES} FROM partenariat p JOIN partie pa ON pa.partenariat_id = p.id
         WHERE pa.collectivite_id = ?1 ORDER BY p.titre_tri, p.id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut resultat: Vec<Partenariat> = Vec::new();
    for c in collectivites {
        for p in stmt.query_map([c], lire)? {
            let p = p?;
            if !resultat.iter().any(|r| r.id == p.id) {
                resultat.push(p);
            }
        }
    }
    Ok(resultat)
}

/// The parties of a partenariat and the current successors of the former ones: whoever
/// speaks for a successor speaks for the records of the collectivité it replaced.
pub fn parties_et_successeurs(conn: &Connection, id: PartenariatId) -> Result<Vec<CollectiviteId>> {
    let mut stmt = conn.prepare_cached(
        "WITH RECURSIVE suite(id) AS (
             SELECT collectivite_id FROM partie WHERE partenariat_id = ?1
             UNION
             SELECT s.successeur_id FROM suite JOIN collectivite_successeur s ON s.predecesseur_id = suite.id)
         SELECT id FROM suite ORDER BY id",
    )?;
    let ids = stmt
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

/// Changes the title, description and statut of a partenariat (call it inside
/// [`modifier_par`], which journals the change).
pub fn changer_champs(
    conn: &Connection,
    id: PartenariatId,
    titre: &str,
    description: Option<&str>,
    statut: StatutPartenariat,
) -> Result<()> {
    let titre = crate::model::texte_requis("titre", titre, 300, Saisie::Ligne)?;
    let description =
        crate::model::texte_facultatif("description", description, 20_000, Saisie::Paragraphe)?;
    executer(
        conn,
        "UPDATE partenariat SET titre = ?2, titre_tri = ?3, description = ?4, statut = ?5 WHERE id = ?1",
        params![id, titre, normaliser(&titre), description, statut.code()],
    )?;
    Ok(())
}

/// Adds a party to a partenariat (call it inside `validation::modifier`).
pub fn ajouter_partie(
    conn: &Connection,
    id: PartenariatId,
    collectivite: CollectiviteId,
) -> Result<()> {
    collectivite::requise(conn, collectivite)?;
    executer(
        conn,
        "INSERT OR IGNORE INTO partie (partenariat_id, collectivite_id) VALUES (?1, ?2)",
        params![id, collectivite],
    )?;
    Ok(())
}

/// Removes a party, refused when it would leave a side empty (call it inside
/// `validation::modifier`).
pub fn retirer_partie(
    conn: &Connection,
    id: PartenariatId,
    collectivite: CollectiviteId,
) -> Result<()> {
    let restantes: Vec<(CollectiviteId, Pays)> = parties(conn, id)?
        .0
        .iter()
        .filter(|c| c.id != collectivite)
        .map(|c| (c.id, c.pays))
        .collect();
    verifier_parties(&restantes)?;
    atomique(conn, || {
        executer(
            conn,
            "DELETE FROM partie WHERE partenariat_id = ?1 AND collectivite_id = ?2",
            params![id, collectivite],
        )?;
        // Its contacts stay, no longer speaking for a party of the partenariat.
        executer(
            conn,
            "UPDATE contact SET collectivite_id = NULL WHERE partenariat_id = ?1 AND collectivite_id = ?2",
            params![id, collectivite],
        )?;
        Ok(())
    })
}
