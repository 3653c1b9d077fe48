//! La bourse aux partenariats: demandes and offres as published, reviewed and withdrawn, the
//! profiles the matching reads, the expressions of interest, and the partenariat born from a
//! pair. Every change to a demande or an offre is journalled like any record.

use rusqlite::{Connection, OptionalExtension, Row, params};
use time::Date;

use super::sql::{Valeurs, code, code_facultatif, codes, executer};
use super::{MAINTENANT, Result, StoreError, atomique, collectivite, journal, partenariat};
use crate::model::bourse::{
    Annonce, Demande, DemandeId, EtatAnnonce, Offre, OffreId, ProfilDemande, ProfilOffre,
    Rapprochement, classer, rapprocher,
};
use crate::model::{
    ActeurId, Code, CollectiviteId, CompteId, Devise, ErreurModele, Etape, EtapeDatee, Montant,
    Niveau, NouveauPartenariat, ObjectifId, PartenariatId, Pays, StatutPartenariat, Validation,
};

/// A demande or an offre: what the review, the journal and the interest speak of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Annonceur {
    Demande(DemandeId),
    Offre(OffreId),
}

impl Annonceur {
    /// Its table, which is also its name in the journal.
    pub fn table(self) -> (&'static str, i64) {
        match self {
            Annonceur::Demande(id) => ("bourse_demande", id.0),
            Annonceur::Offre(id) => ("bourse_offre", id.0),
        }
    }
}

/// A collectivité as the bourse's pages name it, with where it lies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lieu {
    pub id: CollectiviteId,
    /// « Commune de Siby », « Lyon (commune) » (see `Collectivite::intitule`).
    pub intitule: String,
    pub nom: String,
    /// Its official code, which places it on the map.
    pub code: Option<String>,
    pub pays: Pays,
    pub niveau: Niveau,
    /// Its région or the district (itself for a région), for a Malian collectivité.
    pub region: Option<(CollectiviteId, String)>,
}

/// A demande as stored, with its collectivité.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemandeLue {
    pub id: DemandeId,
    pub collectivite: Lieu,
    pub demande: Demande,
    /// The PDESC objective it serves, with its wording.
    pub objectif: Option<(ObjectifId, String)>,
    pub etat: EtatAnnonce,
    pub validation: Validation,
    pub commentaire_validation: Option<String>,
    pub pourvue_le: Option<Date>,
    /// When it was first published (RFC 3339).
    pub cree_le: String,
}

/// Who an offre comes from: a foreign collectivité, an acteur, or an acteur on behalf of
/// the foreign collectivité it works with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origine {
    pub collectivite: Option<CollectiviteId>,
    pub acteur: Option<ActeurId>,
}

/// An offre as stored, with who it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OffreLue {
    pub id: OffreId,
    pub collectivite: Option<Lieu>,
    /// The acteur that published it, with its name and country.
    pub acteur: Option<(ActeurId, String, Option<Pays>)>,
    pub offre: Offre,
    /// The names of the régions it knows, in the order of `offre.regions_connues`.
    pub regions_connues: Vec<String>,
    pub etat: EtatAnnonce,
    pub validation: Validation,
    pub commentaire_validation: Option<String>,
    pub pourvue_le: Option<Date>,
    pub cree_le: String,
}

impl OffreLue {
    /// What the pages call its author: the acteur, else the collectivité.
    pub fn auteur(&self) -> String {
        match (&self.acteur, &self.collectivite) {
            (Some((_, nom, _)), _) => nom.clone(),
            (None, Some(lieu)) => lieu.intitule.clone(),
            (None, None) => String::new(),
        }
    }

    /// The country it comes from: its collectivité's, else its acteur's.
    pub fn pays(&self) -> Option<Pays> {
        match (&self.collectivite, &self.acteur) {
            (Some(lieu), _) => Some(lieu.pays),
            (None, Some((_, _, pays))) => *pays,
            (None, None) => None,
        }
    }

    pub fn origine(&self) -> Origine {
        Origine {
            collectivite: self.collectivite.as_ref().map(|l| l.id),
            acteur: self.acteur.as_ref().map(|a| a.0),
        }
    }
}

/// Which demandes or offres to read.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Only those the public sees on this date: validated, open, not past their last day.
    pub publiques_au: Option<Date>,
    /// Only those waiting for the review.
    pub en_revue: bool,
    /// Only the validated ones, whatever their état (the open data).
    pub validees: bool,
    /// Only those of these collectivités (a demande's, an offre's foreign collectivité).
    pub collectivites: Option<Vec<CollectiviteId>>,
    /// Only the offres of these acteurs.
    pub acteurs: Option<Vec<ActeurId>>,
}

impl Selection {
    /// What the public sees on `date`.
    pub fn publiques(date: Date) -> Selection {
        Selection {
            publiques_au: Some(date),
            ..Selection::default()
        }
    }

    /// Every one the public may read, open or not: the open data.
    pub fn validees() -> Selection {
        Selection {
            validees: true,
            ..Selection::default()
        }
    }

    fn clause(&self, alias: &str, avec_acteur: bool) -> (String, Vec<rusqlite::types::Value>) {
        use rusqlite::types::Value;
        let mut conditions = vec!["1".to_owned()];
        let mut valeurs: Vec<Value> = Vec::new();
        if let Some(date) = self.publiques_au {
            valeurs.push(Value::Text(date.to_string()));
            conditions.push(format!(
                "{alias}.validation = 'valide' AND {alias}.etat = 'ouverte' \
                 AND {alias}.ouverte_jusqu_au >= ?{}",
                valeurs.len()
            ));
        }
        if self.en_revue {
            conditions.push(format!("{alias}.validation = 'soumis'"));
        }
        if self.validees {
            conditions.push(format!("{alias}.validation = 'valide'"));
        }
        let mut auteurs = Vec::new();
        if let Some(ids) = &self.collectivites {
            let liste: Vec<String> = ids.iter().map(|c| c.0.to_string()).collect();
            auteurs.push(format!("{alias}.collectivite_id IN ({})", liste.join(",")));
        }
        if avec_acteur && let Some(ids) = &self.acteurs {
            let liste: Vec<String> = ids.iter().map(|a| a.0.to_string()).collect();
            auteurs.push(format!("{alias}.acteur_id IN ({})", liste.join(",")));
        }
        if !auteurs.is_empty() {
            conditions.push(format!("({})", auteurs.join(" OR ")));
        }
        (conditions.join(" AND "), valeurs)
    }
}

const COLONNES_DEMANDE: &str = "d.id, d.collectivite_id, d.titre, d.besoin, d.domaines, d.axes,
    d.langues, d.objectif_id, o.libelle AS objectif, d.niveau_souhaite, d.pays_souhaite,
    d.ouverte_jusqu_au, d.etat, d.pourvue_le, d.validation, d.commentaire_validation, d.cree_le";

const COLONNES_OFFRE: &str = "o.id, o.collectivite_id, o.acteur_id, a.nom AS acteur_nom,
    a.pays AS acteur_pays, o.titre, o.expertise, o.domaines, o.langues, o.capacites,
    o.financement_de, o.financement_a, o.devise, o.ouverte_jusqu_au, o.etat, o.pourvue_le,
    o.validation, o.commentaire_validation, o.cree_le";

/// A demande's row, its collectivité still to be placed.
fn lire_demande(r: &Row<'_>) -> rusqlite::Result<(CollectiviteId, DemandeLue)> {
    let collectivite: CollectiviteId = r.get("collectivite_id")?;
    let objectif: Option<ObjectifId> = r.get::<_, Option<i64>>("objectif_id")?.map(ObjectifId);
    Ok((
        collectivite,
        DemandeLue {
            id: r.get("id")?,
            collectivite: Lieu {
                id: collectivite,
                intitule: String::new(),
                nom: String::new(),
                code: None,
                pays: Pays::MALI,
                niveau: Niveau::Commune,
                region: None,
            },
            demande: Demande {
                annonce: Annonce {
                    titre: r.get("titre")?,
                    description: r.get("besoin")?,
                    domaines: codes(r, "domaines")?,
                    langues: codes(r, "langues")?,
                    ouverte_jusqu_au: r.get("ouverte_jusqu_au")?,
                },
                axes: codes(r, "axes")?,
                niveau_souhaite: code_facultatif(r, "niveau_souhaite")?,
                pays_souhaite: r.get("pays_souhaite")?,
            },
            objectif: match objectif {
                Some(id) => Some((id, r.get("objectif")?)),
                None => None,
            },
            etat: code(r, "etat")?,
            validation: code(r, "validation")?,
            commentaire_validation: r.get("commentaire_validation")?,
            pourvue_le: r.get("pourvue_le")?,
            cree_le: r.get("cree_le")?,
        },
    ))
}

/// An offre's row, its collectivité and régions still to be read.
fn lire_offre(r: &Row<'_>) -> rusqlite::Result<(Option<CollectiviteId>, OffreLue)> {
    let financement = match (
        r.get::<_, Option<i64>>("financement_de")?,
        r.get::<_, Option<i64>>("financement_a")?,
        code_facultatif::<Devise>(r, "devise")?,
    ) {
        (Some(de), Some(a), Some(devise)) => Some((
            Montant::new(de, devise).map_err(conversion)?,
            Montant::new(a, devise).map_err(conversion)?,
        )),
        _ => None,
    };
    let acteur: Option<ActeurId> = r.get("acteur_id")?;
    Ok((
        r.get("collectivite_id")?,
        OffreLue {
            id: r.get("id")?,
            collectivite: None,
            acteur: match acteur {
                Some(id) => Some((id, r.get("acteur_nom")?, r.get("acteur_pays")?)),
                None => None,
            },
            offre: Offre {
                annonce: Annonce {
                    titre: r.get("titre")?,
                    description: r.get("expertise")?,
                    domaines: codes(r, "domaines")?,
                    langues: codes(r, "langues")?,
                    ouverte_jusqu_au: r.get("ouverte_jusqu_au")?,
                },
                capacites: codes(r, "capacites")?,
                financement,
                regions_connues: Vec::new(),
            },
            regions_connues: Vec::new(),
            etat: code(r, "etat")?,
            validation: code(r, "validation")?,
            commentaire_validation: r.get("commentaire_validation")?,
            pourvue_le: r.get("pourvue_le")?,
            cree_le: r.get("cree_le")?,
        },
    ))
}

fn conversion(e: ErreurModele) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Integer, Box::new(e))
}

/// Names and places a collectivité: its designation, and its région for a Malian one.
fn lieu(conn: &Connection, id: CollectiviteId) -> Result<Lieu> {
    let c = collectivite::requise(conn, id)?;
    let region = if c.pays.est_mali() {
        conn.prepare_cached(
            "SELECT r.id, r.nom FROM collectivite_ancetre ca JOIN collectivite r ON r.id = ca.ancetre_id
             WHERE ca.collectivite_id = ?1 AND r.niveau IN ('region', 'district')",
        )?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
    } else {
        None
    };
    Ok(Lieu {
        id,
        intitule: c.intitule(),
        nom: c.nom,
        code: c.code,
        pays: c.pays,
        niveau: c.niveau,
        region,
    })
}

/// The demandes `selection` names, oldest first.
pub fn demandes(conn: &Connection, selection: &Selection) -> Result<Vec<DemandeLue>> {
    let (clause, valeurs) = selection.clause("d", false);
    let sql = format!(
        "SELECT {COLONNES_DEMANDE} FROM bourse_demande d
         LEFT JOIN pdesc_objectif o ON o.id = d.objectif_id
         WHERE {clause} ORDER BY d.cree_le, d.id"
    );
    let lignes: Vec<(CollectiviteId, DemandeLue)> = conn
        .prepare_cached(&sql)?
        .query_map(rusqlite::params_from_iter(valeurs), lire_demande)?
        .collect::<rusqlite::Result<_>>()?;
    lignes
        .into_iter()
        .map(|(c, mut d)| {
            d.collectivite = lieu(conn, c)?;
            Ok(d)
        })
        .collect()
}

pub fn demande(conn: &Connection, id: DemandeId) -> Result<Option<DemandeLue>> {
    let sql = format!(
        "SELECT {COLONNES_DEMANDE} FROM bourse_demande d
         LEFT JOIN pdesc_objectif o ON o.id = d.objectif_id WHERE d.id = ?1"
    );
    let ligne = conn
        .prepare_cached(&sql)?
        .query_row([id], lire_demande)
        .optional()?;
    ligne
        .map(|(c, mut d)| {
            d.collectivite = lieu(conn, c)?;
            Ok(d)
        })
        .transpose()
}

/// The offres `selection` names, oldest first.
pub fn offres(conn: &Connection, selection: &Selection) -> Result<Vec<OffreLue>> {
    let (clause, valeurs) = selection.clause("o", true);
    let sql = format!(
        "SELECT {COLONNES_OFFRE} FROM bourse_offre o LEFT JOIN acteur a ON a.id = o.acteur_id
         WHERE {clause} ORDER BY o.cree_le, o.id"
    );
    let lignes: Vec<(Option<CollectiviteId>, OffreLue)> = conn
        .prepare_cached(&sql)?
        .query_map(rusqlite::params_from_iter(valeurs), lire_offre)?
        .collect::<rusqlite::Result<_>>()?;
    lignes
        .into_iter()
        .map(|(c, o)| completer_offre(conn, c, o))
        .collect()
}

pub fn offre(conn: &Connection, id: OffreId) -> Result<Option<OffreLue>> {
    let sql = format!(
        "SELECT {COLONNES_OFFRE} FROM bourse_offre o LEFT JOIN acteur a ON a.id = o.acteur_id
         WHERE o.id = ?1"
    );
    let ligne = conn
        .prepare_cached(&sql)?
        .query_row([id], lire_offre)
        .optional()?;
    ligne.map(|(c, o)| completer_offre(conn, c, o)).transpose()
}

fn completer_offre(
    conn: &Connection,
    collectivite: Option<CollectiviteId>,
    mut o: OffreLue,
) -> Result<OffreLue> {
    o.collectivite = collectivite.map(|c| lieu(conn, c)).transpose()?;
    let regions: Vec<(CollectiviteId, String)> = conn
        .prepare_cached(
            "SELECT c.id, c.nom FROM bourse_offre_region r JOIN collectivite c ON c.id = r.region_id
             WHERE r.offre_id = ?1 ORDER BY c.nom_normalise",
        )?
        .query_map([o.id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    (o.offre.regions_connues, o.regions_connues) = regions.into_iter().unzip();
    Ok(o)
}

/// JSON array of `valeurs`' codes, as the lists are stored.
fn en_json<T: Code>(valeurs: &[T]) -> String {
    serde_json::Value::from(valeurs.iter().map(|v| v.code()).collect::<Vec<_>>()).to_string()
}

/// Checks what the model cannot: a Malian collectivité, and an objective of its own PDESC.
fn verifier_demande(
    conn: &Connection,
    collectivite: CollectiviteId,
    objectif: Option<ObjectifId>,
) -> Result<()> {
    let c = collectivite::requise(conn, collectivite)?;
    if !c.pays.est_mali() {
        return Err(StoreError::Modele(ErreurModele::RegleBourse(format!(
            "une demande vient d'une collectivité malienne, pas de {}",
            c.designation()
        ))));
    }
    if let Some(objectif) = objectif {
        let sien: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM pdesc_objectif o JOIN pdesc p ON p.id = o.pdesc_id
                            WHERE o.id = ?1 AND p.collectivite_id = ?2)",
            params![objectif.0, collectivite],
            |r| r.get(0),
        )?;
        if !sien {
            return Err(StoreError::Modele(ErreurModele::RegleBourse(format!(
                "l'objectif n° {objectif} n'est pas un objectif du PDESC de {}",
                c.designation()
            ))));
        }
    }
    Ok(())
}

/// Publishes a demande for the review; `compte` is journalled as its author.
pub fn deposer_demande(
    conn: &Connection,
    collectivite: CollectiviteId,
    demande: Demande,
    objectif: Option<ObjectifId>,
    compte: Option<CompteId>,
    aujourd_hui: Date,
) -> Result<DemandeId> {
    let d = demande.valider(aujourd_hui)?;
    verifier_demande(conn, collectivite, objectif)?;
    atomique(conn, || {
        let id = DemandeId(
            valeurs_demande(&d, objectif)
                .et("collectivite_id", collectivite)
                .inserer(conn, "bourse_demande")?,
        );
        journaliser_creation(conn, Annonceur::Demande(id), compte)?;
        Ok(id)
    })
}

/// Replaces what a demande says; it goes back to the review.
pub fn modifier_demande(
    conn: &Connection,
    id: DemandeId,
    demande: Demande,
    objectif: Option<ObjectifId>,
    compte: CompteId,
    aujourd_hui: Date,
) -> Result<()> {
    let d = demande.valider(aujourd_hui)?;
    let actuelle = requise_demande(conn, id)?;
    verifier_demande(conn, actuelle.collectivite.id, objectif)?;
    changer(
        conn,
        Annonceur::Demande(id),
        compte,
        "modification",
        None,
        || Ok(valeurs_demande(&d, objectif).modifier(conn, "bourse_demande", id.0, A_RELIRE)?),
    )
}

/// Checks what the model cannot: a foreign collectivité, an acteur that exists, Malian
/// régions.
fn verifier_offre(conn: &Connection, origine: Origine, offre: &Offre) -> Result<()> {
    if let Some(id) = origine.collectivite {
        let c = collectivite::requise(conn, id)?;
        if c.pays.est_mali() {
            return Err(StoreError::Modele(ErreurModele::RegleBourse(format!(
                "une offre vient de l'étranger : {} est une collectivité malienne",
                c.designation()
            ))));
        }
    }
    if let Some(id) = origine.acteur {
        let acteur = super::acteur::par_id(conn, id)?
            .ok_or_else(|| StoreError::Introuvable(format!("acteur n° {id}")))?;
        if let Some(c) = origine.collectivite
            && !collectivites_de_l_acteur(conn, id)?.contains(&c)
        {
            return Err(StoreError::Modele(ErreurModele::RegleBourse(format!(
                "{} ne travaille avec la collectivité n° {c} dans aucun partenariat du registre : \
                 choisissez l'une de celles avec lesquelles elle travaille, ou aucune",
                acteur.nom
            ))));
        }
    }
    if origine.collectivite.is_none() && origine.acteur.is_none() {
        return Err(StoreError::Modele(ErreurModele::ChampVide(
            "collectivité ou acteur",
        )));
    }
    for region in &offre.regions_connues {
        let c = collectivite::requise(conn, *region)?;
        if !(c.pays.est_mali() && matches!(c.niveau, Niveau::Region | Niveau::District)) {
            return Err(StoreError::Modele(ErreurModele::RegleBourse(format!(
                "régions connues : {} n'est pas une région du Mali",
                c.designation()
            ))));
        }
    }
    Ok(())
}

/// The foreign collectivités an acteur works with: those of the partenariats it carries
/// (intermediary), and itself when it is a collectivité.
pub fn collectivites_de_l_acteur(
    conn: &Connection,
    acteur: ActeurId,
) -> Result<Vec<CollectiviteId>> {
    Ok(conn
        .prepare_cached(
            "SELECT pa.collectivite_id FROM intermediaire i
             JOIN partie pa ON pa.partenariat_id = i.partenariat_id
             JOIN collectivite c ON c.id = pa.collectivite_id
             WHERE i.acteur_id = ?1 AND c.pays <> 'ML'
             UNION SELECT collectivite_id FROM acteur WHERE id = ?1 AND collectivite_id IS NOT NULL",
        )?
        .query_map([acteur], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// Publishes an offre for the review.
pub fn deposer_offre(
    conn: &Connection,
    origine: Origine,
    offre: Offre,
    compte: Option<CompteId>,
    aujourd_hui: Date,
) -> Result<OffreId> {
    let o = offre.valider(aujourd_hui)?;
    verifier_offre(conn, origine, &o)?;
    atomique(conn, || {
        let id = OffreId(
            valeurs_offre(&o, origine.collectivite)
                .et("acteur_id", origine.acteur)
                .inserer(conn, "bourse_offre")?,
        );
        ecrire_regions(conn, id, &o.regions_connues)?;
        journaliser_creation(conn, Annonceur::Offre(id), compte)?;
        Ok(id)
    })
}

/// The journal's entry of a new demande or offre.
fn journaliser_creation(
    conn: &Connection,
    annonce: Annonceur,
    compte: Option<CompteId>,
) -> Result<()> {
    let apres = instantane(conn, annonce)?;
    journal::noter(
        conn,
        compte,
        annonce.table(),
        "creation",
        None,
        Some(&apres),
        None,
    )
}

/// What a change by its author sets besides its columns: back to the review.
const A_RELIRE: &str = "validation = 'soumis'";

/// Replaces what an offre says; it goes back to the review. Its author stays: only an
/// acteur's offre may name another collectivité it works with (`origine.collectivite`).
pub fn modifier_offre(
    conn: &Connection,
    id: OffreId,
    offre: Offre,
    origine: Origine,
    compte: CompteId,
    aujourd_hui: Date,
) -> Result<()> {
    let o = offre.valider(aujourd_hui)?;
    let actuelle = requise_offre(conn, id)?.origine();
    let origine = match actuelle.acteur {
        Some(_) => Origine {
            collectivite: origine.collectivite,
            ..actuelle
        },
        None => actuelle,
    };
    verifier_offre(conn, origine, &o)?;
    changer(
        conn,
        Annonceur::Offre(id),
        compte,
        "modification",
        None,
        || {
            valeurs_offre(&o, origine.collectivite).modifier(
                conn,
                "bourse_offre",
                id.0,
                A_RELIRE,
            )?;
            executer(
                conn,
                "DELETE FROM bourse_offre_region WHERE offre_id = ?1",
                [id],
            )?;
            ecrire_regions(conn, id, &o.regions_connues)
        },
    )
}

/// The columns a demande is written with (validated by the caller), its collectivité aside.
fn valeurs_demande(d: &Demande, objectif: Option<ObjectifId>) -> Valeurs<'_> {
    Valeurs::new()
        .et("titre", &d.annonce.titre)
        .et("besoin", &d.annonce.description)
        .et("domaines", en_json(&d.annonce.domaines))
        .et("axes", en_json(&d.axes))
        .et("langues", en_json(&d.annonce.langues))
        .et("objectif_id", objectif.map(|o| o.0))
        .et("niveau_souhaite", d.niveau_souhaite.map(|n| n.code()))
        .et("pays_souhaite", d.pays_souhaite)
        .et("ouverte_jusqu_au", d.annonce.ouverte_jusqu_au)
}

/// The columns an offre is written with (validated by the caller), with the foreign
/// collectivité it names; its acteur and régions aside.
fn valeurs_offre(o: &Offre, collectivite: Option<CollectiviteId>) -> Valeurs<'_> {
    let (de, a, devise) = match &o.financement {
        Some((de, a)) => (
            Some(de.unites_mineures()),
            Some(a.unites_mineures()),
            Some(de.devise().code()),
        ),
        None => (None, None, None),
    };
    Valeurs::new()
        .et("collectivite_id", collectivite)
        .et("titre", &o.annonce.titre)
        .et("expertise", &o.annonce.description)
        .et("domaines", en_json(&o.annonce.domaines))
        .et("langues", en_json(&o.annonce.langues))
        .et("capacites", en_json(&o.capacites))
        .et("financement_de", de)
        .et("financement_a", a)
        .et("devise", devise)
        .et("ouverte_jusqu_au", o.annonce.ouverte_jusqu_au)
}

fn ecrire_regions(conn: &Connection, id: OffreId, regions: &[CollectiviteId]) -> Result<()> {
    let mut stmt = conn
        .prepare_cached("INSERT INTO bourse_offre_region (offre_id, region_id) VALUES (?1, ?2)")?;
    for region in regions {
        stmt.execute(params![id, region])?;
    }
    Ok(())
}

pub fn requise_demande(conn: &Connection, id: DemandeId) -> Result<DemandeLue> {
    demande(conn, id)?.ok_or_else(|| StoreError::Introuvable(format!("demande n° {id}")))
}

pub fn requise_offre(conn: &Connection, id: OffreId) -> Result<OffreLue> {
    offre(conn, id)?.ok_or_else(|| StoreError::Introuvable(format!("offre n° {id}")))
}

/// What the journal keeps of a demande or an offre at one moment.
pub(super) fn instantane(conn: &Connection, annonce: Annonceur) -> Result<serde_json::Value> {
    Ok(match annonce {
        Annonceur::Demande(id) => {
            let d = requise_demande(conn, id)?;
            serde_json::json!({
                "collectivite": d.collectivite.id.0, "titre": d.demande.annonce.titre,
                "besoin": d.demande.annonce.description,
                "domaines": codes_de(&d.demande.annonce.domaines),
                "axes": codes_de(&d.demande.axes),
                "langues": codes_de(&d.demande.annonce.langues),
                "objectif": d.objectif.map(|o| o.1),
                "niveau_souhaite": d.demande.niveau_souhaite.map(|n| n.code()),
                "pays_souhaite": d.demande.pays_souhaite.map(|p| p.code().to_owned()),
                "ouverte_jusqu_au": d.demande.annonce.ouverte_jusqu_au.to_string(),
                "etat": d.etat.code(), "validation": d.validation.code(),
                "commentaire_validation": d.commentaire_validation,
            })
        }
        Annonceur::Offre(id) => {
            let o = requise_offre(conn, id)?;
            serde_json::json!({
                "collectivite": o.collectivite.as_ref().map(|l| l.id.0),
                "acteur": o.acteur.as_ref().map(|a| a.0.0), "titre": o.offre.annonce.titre,
                "expertise": o.offre.annonce.description,
                "domaines": codes_de(&o.offre.annonce.domaines),
                "langues": codes_de(&o.offre.annonce.langues),
                "capacites": codes_de(&o.offre.capacites),
                "financement": o.offre.financement.as_ref().map(|(de, a)| format!("{de} – {a}")),
                "regions_connues": o.regions_connues,
                "ouverte_jusqu_au": o.offre.annonce.ouverte_jusqu_au.to_string(),
                "etat": o.etat.code(), "validation": o.validation.code(),
                "commentaire_validation": o.commentaire_validation,
            })
        }
    })
}

fn codes_de<T: Code>(valeurs: &[T]) -> Vec<&'static str> {
    valeurs.iter().map(|v| v.code()).collect()
}

/// One journalled step of a demande or an offre: snapshot, `changement`, mark modified,
/// snapshot, journal.
fn changer(
    conn: &Connection,
    annonce: Annonceur,
    compte: CompteId,
    operation: &str,
    commentaire: Option<&str>,
    changement: impl FnOnce() -> Result<()>,
) -> Result<()> {
    let (table, id) = annonce.table();
    atomique(conn, || {
        let avant = instantane(conn, annonce)?;
        changement()?;
        executer(
            conn,
            &format!("UPDATE {table} SET modifie_le = {MAINTENANT} WHERE id = ?1"),
            [id],
        )?;
        let apres = instantane(conn, annonce)?;
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

/// A national administrator publishes a demande or an offre.
pub fn valider(conn: &Connection, annonce: Annonceur, admin: CompteId) -> Result<()> {
    let (table, id) = annonce.table();
    changer(conn, annonce, admin, "validation", None, || {
        executer(
            conn,
            &format!(
                "UPDATE {table} SET validation = 'valide', commentaire_validation = NULL WHERE id = ?1"
            ),
            [id],
        )?;
        Ok(())
    })
}

/// A national administrator sends it back to its author with what to correct.
pub fn renvoyer(
    conn: &Connection,
    annonce: Annonceur,
    admin: CompteId,
    commentaire: &str,
) -> Result<()> {
    let commentaire = crate::model::texte_requis(
        "commentaire",
        commentaire,
        2_000,
        crate::model::Saisie::Paragraphe,
    )?;
    let (table, id) = annonce.table();
    changer(
        conn,
        annonce,
        admin,
        "correction",
        Some(&commentaire),
        || {
            executer(
                conn,
                &format!(
                    "UPDATE {table} SET validation = 'a_corriger', commentaire_validation = ?2 WHERE id = ?1"
                ),
                params![id, commentaire],
            )?;
            Ok(())
        },
    )
}

/// Its author withdraws it: it leaves the public pages and the matching, and stays in the
/// journal.
pub fn retirer(conn: &Connection, annonce: Annonceur, compte: CompteId) -> Result<()> {
    let (table, id) = annonce.table();
    changer(conn, annonce, compte, "retrait", None, || {
        let n = executer(
            conn,
            &format!("UPDATE {table} SET etat = 'retiree' WHERE id = ?1 AND etat = 'ouverte'"),
            [id],
        )?;
        if n == 0 {
            return Err(StoreError::Modele(ErreurModele::RegleBourse(
                "seule une annonce ouverte peut être retirée".to_owned(),
            )));
        }
        Ok(())
    })
}

/// How many demandes and offres wait for the review.
pub fn nombre_en_revue(conn: &Connection) -> Result<(u64, u64)> {
    Ok(conn.query_row(
        "SELECT (SELECT count(*) FROM bourse_demande WHERE validation = 'soumis'),
                (SELECT count(*) FROM bourse_offre WHERE validation = 'soumis')",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?)
}

/// The nearest unit around a Malian collectivité whose partenariats count as « its cercle »:
/// its cercle, else its district or région (for the district's communes and for a région).
fn cercle_de(conn: &Connection, id: CollectiviteId) -> Result<Option<CollectiviteId>> {
    Ok(conn
        .prepare_cached(
            "SELECT c.id FROM collectivite_ancetre ca JOIN collectivite c ON c.id = ca.ancetre_id
             WHERE ca.collectivite_id = ?1 AND c.niveau IN ('cercle', 'district', 'region')
             ORDER BY CASE c.niveau WHEN 'cercle' THEN 0 WHEN 'district' THEN 1 ELSE 2 END
             LIMIT 1",
        )?
        .query_row([id], |r| r.get(0))
        .optional()?)
}

/// What the matching knows of a demande: its collectivité's active partenariats and its
/// cercle's, and the foreign collectivités it already works with.
pub fn profil_demande(conn: &Connection, d: &DemandeLue) -> Result<ProfilDemande> {
    let id = d.collectivite.id;
    let partenariats: u32 = conn
        .prepare_cached(
            "SELECT count(DISTINCT p.id) FROM partenariat_publie p
             JOIN partie pa ON pa.partenariat_id = p.id
             WHERE pa.collectivite_id = ?1 AND p.statut = 'actif'",
        )?
        .query_row([id], |r| r.get(0))?;
    let partenariats_du_cercle: u32 = match cercle_de(conn, id)? {
        Some(cercle) => conn
            .prepare_cached(
                "SELECT count(DISTINCT p.id) FROM partenariat_publie p
                 JOIN partie pa ON pa.partenariat_id = p.id
                 JOIN collectivite_ancetre ca ON ca.collectivite_id = pa.collectivite_id
                 WHERE ca.ancetre_id = ?1 AND p.statut = 'actif'",
            )?
            .query_row([cercle], |r| r.get(0))?,
        None => partenariats,
    };
    let partenaires: Vec<CollectiviteId> = conn
        .prepare_cached(
            "SELECT DISTINCT autre.collectivite_id FROM partie moi
             JOIN partenariat p ON p.id = moi.partenariat_id AND p.archive = 0
             JOIN partie autre ON autre.partenariat_id = p.id AND autre.collectivite_id <> moi.collectivite_id
             WHERE moi.collectivite_id = ?1",
        )?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ProfilDemande {
        collectivite: id,
        niveau: d.collectivite.niveau,
        region: d.collectivite.region.clone(),
        domaines: d.demande.annonce.domaines.clone(),
        niveau_souhaite: d.demande.niveau_souhaite,
        pays_souhaite: d.demande.pays_souhaite,
        langues: d.demande.annonce.langues.clone(),
        partenariats,
        partenariats_du_cercle,
        partenaires,
    })
}

/// What the matching knows of an offre.
pub fn profil_offre(o: &OffreLue) -> ProfilOffre {
    ProfilOffre {
        collectivite: o.collectivite.as_ref().map(|l| l.id),
        pays: o.pays(),
        niveau: o.collectivite.as_ref().map(|l| l.niveau),
        domaines: o.offre.annonce.domaines.clone(),
        regions_connues: o.offre.regions_connues.clone(),
        langues: o.offre.annonce.langues.clone(),
    }
}

/// A partenariat already at work near a demande: what a newcomer should join rather than
/// duplicate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Voisin {
    pub partenariat: PartenariatId,
    pub titre: String,
    /// Its foreign parties, named as `Collectivite::intitule` does.
    pub partenaires: Vec<String>,
    /// The demande's domaines its public actions in the cercle work in.
    pub domaines: Vec<crate::model::Domaine>,
}

/// The active public partenariats with public actions in the demande's cercle (or district)
/// in one of its domaines: coordination before duplication.
pub fn voisins(conn: &Connection, d: &DemandeLue) -> Result<Vec<Voisin>> {
    let Some(cercle) = cercle_de(conn, d.collectivite.id)? else {
        return Ok(Vec::new());
    };
    let domaines = en_json(&d.demande.annonce.domaines);
    let lignes: Vec<(PartenariatId, String, String)> = conn
        .prepare_cached(
            "SELECT p.id, p.titre, a.domaine FROM action_zone z
             JOIN action_publiee a ON a.id = z.action_id
             JOIN partenariat_publie p ON p.id = a.partenariat_id AND p.statut = 'actif'
             WHERE z.collectivite_id = ?1
               AND a.domaine IN (SELECT value FROM json_each(?2))
             GROUP BY p.id, a.domaine ORDER BY p.titre_tri, p.id, a.domaine",
        )?
        .query_map(params![cercle, domaines], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut voisins: Vec<Voisin> = Vec::new();
    for (id, titre, domaine) in lignes {
        let domaine = crate::model::Domaine::depuis_code(&domaine)
            .map_err(|e| StoreError::Modele(ErreurModele::from(e)))?;
        match voisins.last_mut() {
            Some(v) if v.partenariat == id => v.domaines.push(domaine),
            _ => voisins.push(Voisin {
                partenariat: id,
                titre,
                partenaires: partenariat::parties(conn, id)?
                    .0
                    .iter()
                    .filter(|c| !c.pays.est_mali())
                    .map(|c| c.intitule())
                    .collect(),
                domaines: vec![domaine],
            }),
        }
    }
    Ok(voisins)
}

/// The side of a pair an account speaks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cote {
    Demande,
    Offre,
}

impl Cote {
    fn code(self) -> &'static str {
        match self {
            Cote::Demande => "demande",
            Cote::Offre => "offre",
        }
    }
}

/// An expression of interest, with what both sides need to recognise the pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interet {
    pub demande: DemandeId,
    pub demande_titre: String,
    pub offre: OffreId,
    pub offre_titre: String,
    pub cote: Cote,
    /// The account that expressed it (private: never in the open data).
    pub email: String,
    pub message: Option<String>,
    pub quand: String,
    /// The partenariat born from the pair, if any.
    pub partenariat: Option<PartenariatId>,
}

/// `compte` says, for its side, that the pair `demande`–`offre` interests it. Both must be
/// published and open; saying it again replaces the message.
pub fn exprimer_interet(
    conn: &Connection,
    (demande, offre): (DemandeId, OffreId),
    cote: Cote,
    compte: CompteId,
    message: Option<&str>,
    aujourd_hui: Date,
) -> Result<()> {
    let message = crate::model::texte_facultatif(
        "message",
        message,
        2_000,
        crate::model::Saisie::Paragraphe,
    )?;
    let d = requise_demande(conn, demande)?;
    let o = requise_offre(conn, offre)?;
    for (ouverte, quoi) in [
        (
            ouverte_au(&d.demande.annonce, d.etat, d.validation, aujourd_hui),
            "la demande",
        ),
        (
            ouverte_au(&o.offre.annonce, o.etat, o.validation, aujourd_hui),
            "l'offre",
        ),
    ] {
        if !ouverte {
            return Err(StoreError::Modele(ErreurModele::RegleBourse(format!(
                "{quoi} n'est plus ouverte : l'intérêt ne peut plus être exprimé"
            ))));
        }
    }
    if rapprocher(&profil_demande(conn, &d)?, &profil_offre(&o)).is_err() {
        return Err(StoreError::Modele(ErreurModele::RegleBourse(
            "cette demande et cette offre ne sont pas rapprochées par la bourse".to_owned(),
        )));
    }
    atomique(conn, || {
        executer(
            conn,
            "INSERT OR REPLACE INTO bourse_interet (demande_id, offre_id, cote, compte_id, message)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![demande, offre, cote.code(), compte, message],
        )?;
        Ok(())
    })
}

fn ouverte_au(a: &Annonce, etat: EtatAnnonce, validation: Validation, date: Date) -> bool {
    etat == EtatAnnonce::Ouverte && validation == Validation::Valide && a.ouverte_jusqu_au >= date
}

/// The expressions of interest about these demandes or these offres (every one when both
/// are `None`: the administrator's view), latest first.
pub fn interets(
    conn: &Connection,
    demandes: Option<&[DemandeId]>,
    offres: Option<&[OffreId]>,
) -> Result<Vec<Interet>> {
    let liste = |ids: Vec<i64>| {
        ids.iter()
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(",")
    };
    let condition = match (demandes, offres) {
        (None, None) => "1".to_owned(),
        (d, o) => format!(
            "i.demande_id IN ({}) OR i.offre_id IN ({})",
            liste(d.unwrap_or_default().iter().map(|x| x.0).collect()),
            liste(o.unwrap_or_default().iter().map(|x| x.0).collect()),
        ),
    };
    let sql = format!(
        "SELECT i.demande_id, d.titre, i.offre_id, o.titre, i.cote, c.email, i.message, i.quand,
                r.partenariat_id
         FROM bourse_interet i
         JOIN bourse_demande d ON d.id = i.demande_id
         JOIN bourse_offre o ON o.id = i.offre_id
         JOIN compte c ON c.id = i.compte_id
         LEFT JOIN bourse_rencontre r ON r.demande_id = i.demande_id AND r.offre_id = i.offre_id
         WHERE {condition} ORDER BY i.quand DESC, i.demande_id, i.offre_id, i.cote"
    );
    let mut stmt = conn.prepare(&sql)?;
    let lignes = stmt.query_map([], |r| {
        Ok(Interet {
            demande: r.get(0)?,
            demande_titre: r.get(1)?,
            offre: r.get(2)?,
            offre_titre: r.get(3)?,
            cote: if r.get::<_, String>(4)? == "demande" {
                Cote::Demande
            } else {
                Cote::Offre
            },
            email: r.get(5)?,
            message: r.get(6)?,
            quand: r.get(7)?,
            partenariat: r.get(8)?,
        })
    })?;
    Ok(lignes.collect::<rusqlite::Result<_>>()?)
}

/// When both sides said their interest: declares the partenariat between the demande's
/// collectivité and the offre's foreign collectivité, its first étape « amitié » dated
/// `aujourd_hui`, the acteur (if any) as its intermediary, for the review like any
/// declaration; the demande and the offre are marked fulfilled, in one transaction.
pub fn convertir(
    conn: &Connection,
    (demande, offre): (DemandeId, OffreId),
    compte: CompteId,
    aujourd_hui: Date,
) -> Result<PartenariatId> {
    let d = requise_demande(conn, demande)?;
    let o = requise_offre(conn, offre)?;
    let cotes: u32 = conn.query_row(
        "SELECT count(*) FROM bourse_interet WHERE demande_id = ?1 AND offre_id = ?2",
        params![demande, offre],
        |r| r.get(0),
    )?;
    if cotes < 2 {
        return Err(StoreError::Modele(ErreurModele::RegleBourse(
            "les deux côtés doivent avoir exprimé leur intérêt avant de déclarer le partenariat"
                .to_owned(),
        )));
    }
    let Some(etranger) = &o.collectivite else {
        return Err(StoreError::Modele(ErreurModele::RegleBourse(format!(
            "l'offre « {} » ne nomme pas la collectivité étrangère partenaire : \
             son auteur doit la compléter avant la déclaration",
            o.offre.annonce.titre
        ))));
    };
    for (etat, quoi) in [(d.etat, "la demande"), (o.etat, "l'offre")] {
        if etat != EtatAnnonce::Ouverte {
            return Err(StoreError::Modele(ErreurModele::RegleBourse(format!(
                "{quoi} n'est plus ouverte ({})",
                crate::model::minuscule(etat.libelle())
            ))));
        }
    }
    let nouveau = NouveauPartenariat {
        titre: format!("{} – {}", d.collectivite.nom, etranger.nom),
        description: Some(format!(
            "Né de la bourse aux partenariats : demande « {} » et offre « {} ».",
            d.demande.annonce.titre, o.offre.annonce.titre
        )),
        statut: StatutPartenariat::Actif,
        parties: vec![d.collectivite.id, etranger.id],
        source: Some("bourse aux partenariats".to_owned()),
        demonstration: false,
        validation: Validation::Soumis,
    };
    let etape = EtapeDatee {
        etape: Etape::Amitie,
        depuis: aujourd_hui,
        note: None,
    };
    atomique(conn, || {
        let id = partenariat::creer_avec_etape(conn, nouveau, Some(etape), Some(compte))?;
        if let Some((acteur, _, _)) = &o.acteur {
            partenariat::ajouter_intermediaire(
                conn,
                id,
                *acteur,
                crate::model::RoleIntermediaire::Autre,
                Some("auteur de l'offre de la bourse aux partenariats"),
            )?;
        }
        executer(
            conn,
            "INSERT INTO bourse_rencontre (partenariat_id, demande_id, offre_id, le)
             VALUES (?1, ?2, ?3, ?4)",
            params![id, demande, offre, aujourd_hui],
        )?;
        for annonce in [Annonceur::Demande(demande), Annonceur::Offre(offre)] {
            let (table, ligne) = annonce.table();
            changer(conn, annonce, compte, "pourvue", None, || {
                executer(
                    conn,
                    &format!("UPDATE {table} SET etat = 'pourvue', pourvue_le = ?2 WHERE id = ?1"),
                    params![ligne, aujourd_hui],
                )?;
                Ok(())
            })?;
        }
        Ok(id)
    })
}

/// The overview's line: demandes and offres open on `date`, and partenariats born from the
/// bourse in `date`'s year. Part of the aperçu's JSON contract (docs/apercu.md, `bourse`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Chiffres {
    pub demandes_ouvertes: u64,
    pub offres_ouvertes: u64,
    pub nes_dans_l_annee: u64,
}

pub fn chiffres(conn: &Connection, date: Date) -> Result<Chiffres> {
    Ok(conn
        .prepare_cached(
            "SELECT (SELECT count(*) FROM bourse_demande WHERE validation = 'valide'
                       AND etat = 'ouverte' AND ouverte_jusqu_au >= ?1),
                    (SELECT count(*) FROM bourse_offre WHERE validation = 'valide'
                       AND etat = 'ouverte' AND ouverte_jusqu_au >= ?1),
                    (SELECT count(*) FROM bourse_rencontre r JOIN partenariat_publie p
                       ON p.id = r.partenariat_id
                       WHERE r.le BETWEEN strftime('%Y-01-01', ?1) AND ?1)",
        )?
        .query_row([date], |r| {
            Ok(Chiffres {
                demandes_ouvertes: r.get(0)?,
                offres_ouvertes: r.get(1)?,
                nes_dans_l_annee: r.get(2)?,
            })
        })?)
}

/// The offres open to the public on `date` that the bourse proposes for `d`, best first,
/// each with its reasons.
pub fn offres_pour(
    conn: &Connection,
    d: &DemandeLue,
    date: Date,
) -> Result<Vec<(OffreLue, Rapprochement)>> {
    let profil = profil_demande(conn, d)?;
    let candidates = offres(conn, &Selection::publiques(date))?;
    Ok(classer(candidates.into_iter().map(|o| {
        let r = rapprocher(&profil, &profil_offre(&o));
        (o, r)
    })))
}

/// The demandes open to the public on `date` that the bourse proposes for `o`, best first.
pub fn demandes_pour(
    conn: &Connection,
    o: &OffreLue,
    date: Date,
) -> Result<Vec<(DemandeLue, Rapprochement)>> {
    let profil = profil_offre(o);
    let mut candidates = Vec::new();
    for d in demandes(conn, &Selection::publiques(date))? {
        let r = rapprocher(&profil_demande(conn, &d)?, &profil);
        candidates.push((d, r));
    }
    Ok(classer(candidates))
}

/// The addresses of the active accounts that speak for the author of `annonce` (its
/// collectivité's, or its acteur's for an association's offre): those the other side's
/// interest is told to.
pub fn adresses_de_l_auteur(conn: &Connection, annonce: Annonceur) -> Result<Vec<String>> {
    let sql = match annonce {
        Annonceur::Demande(_) => {
            "SELECT c.email FROM bourse_demande d
             JOIN compte_collectivite cc ON cc.collectivite_id = d.collectivite_id
             JOIN compte c ON c.id = cc.compte_id AND c.actif = 1 AND c.role = 'collectivite'
             WHERE d.id = ?1 ORDER BY c.email"
        }
        Annonceur::Offre(_) => {
            "SELECT c.email FROM bourse_offre o
             JOIN compte_collectivite cc ON o.acteur_id IS NULL AND cc.collectivite_id = o.collectivite_id
             JOIN compte c ON c.id = cc.compte_id AND c.actif = 1 AND c.role = 'collectivite'
             WHERE o.id = ?1
             UNION
             SELECT c.email FROM bourse_offre o
             JOIN compte_acteur ca ON ca.acteur_id = o.acteur_id
             JOIN compte c ON c.id = ca.compte_id AND c.actif = 1 AND c.role = 'acteur'
             WHERE o.id = ?1 ORDER BY 1"
        }
    };
    Ok(conn
        .prepare_cached(sql)?
        .query_map([annonce.table().1], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}
