//! The exchange files (CSV export and import): every table read in one ordered pass, every
//! record found by its stable reference, and the writes of an import, journalled.
//!
//! A collectivité is named in these files by its code: the référentiel key
//! (`ML:ML-1-KAYES`, `FR:departement:49`) or, for a unit created on demand, its reference.

mod ecriture;

use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, StoreError};
use crate::model::nom::normaliser;
use crate::model::{
    Code, CollectiviteId, CompteId, NouveauFinancement, NouvelleCollectivite, PartenariatId,
    PointAction, Unite,
};

pub use ecriture::{
    ActionImportee, PartenariatImporte, Trace, ecrire_acteur, ecrire_action, ecrire_collectivite,
    ecrire_convention, ecrire_etape, ecrire_financement, ecrire_intermediaire, ecrire_partenariat,
    ecrire_pdesc, ecrire_resultats,
};

/// One line of an exchange file as text, in the order of [`Table::colonnes`]; `None` is an
/// empty cell.
pub type Ligne = Vec<Option<String>>;

/// The code of collectivité `c` in the exchange files.
const CODE: &str = "coalesce(c.cle_referentiel, c.reference)";

/// A point `pt` of an action as the exchange files write it, « 14.4485 -11.4389 ; puits » —
/// the digits of `model::degres`, which [`texte_des_points`] writes in Rust.
const POINT: &str = "rtrim(rtrim(printf('%.6f', pt.latitude), '0'), '.') || ' ' ||
    rtrim(rtrim(printf('%.6f', pt.longitude), '0'), '.') ||
    coalesce(' ; ' || pt.libelle, '')";

/// A value of result `r` stored in steps (`pas`, a column), as files write it with a
/// point: « 1250 », « 12.5 » — the digits of `model::Valeur::en_fichier`, which an import
/// compares with the stored line (a test checks that both agree for every unit).
fn valeur_ecrite(pas: &str) -> String {
    let en_dixiemes: Vec<String> = Unite::TOUS
        .iter()
        .filter(|u| u.decimales() == 1)
        .map(|u| format!("'{}'", u.code()))
        .collect();
    format!(
        "CASE WHEN r.unite IN ({}) THEN ({pas} / 10) || '.' || ({pas} % 10) ELSE CAST({pas} AS TEXT) END",
        en_dixiemes.join(", ")
    )
}

/// The `objectifs` cell of a PDESC: its objectives in their order, joined by ` | ` (the
/// model refuses a `|` inside one) — as the export's SQL writes them.
pub fn texte_des_objectifs(objectifs: &[String]) -> Option<String> {
    Some(objectifs.join(SEPARATEUR_LISTE)).filter(|t| !t.is_empty())
}

/// What separates the items of a list cell in the files benkan writes.
pub const SEPARATEUR_LISTE: &str = " | ";

/// The `points` cell of an action, as the export's SQL writes it ([`POINT`], joined by
/// ` | `): what an import compares with the stored line to know whether it changed.
pub fn texte_des_points(points: &[PointAction]) -> Option<String> {
    let textes: Vec<String> = points.iter().map(PointAction::en_texte).collect();
    Some(textes.join(" | ")).filter(|t| !t.is_empty())
}

/// The `localites` cell of an action: its villages' P-codes, sorted, joined by ` ; ` — as the
/// export's SQL writes it, so that an import compares it with the stored line.
pub fn texte_des_localites(pcodes: &[String]) -> Option<String> {
    let mut tries: Vec<&str> = pcodes.iter().map(String::as_str).collect();
    tries.sort_unstable();
    tries.dedup();
    Some(tries.join(" ; ")).filter(|t| !t.is_empty())
}

/// Which records an export holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Perimetre {
    /// The administrator's copy: every record, with its state of validation.
    Registre,
    /// The open data: what the public pages show (the views `partenariat_publie` and
    /// `action_publiee`), without the columns of the review.
    Public,
    /// What an account works on offline: the partenariats where one of its collectivités is
    /// a party (any state of review), what hangs on them, and what they name.
    Compte(CompteId),
}

impl Perimetre {
    /// The columns only the administrator's copy has. Every public record is validated and
    /// not archived, which is what the import assumes when these columns are absent.
    const COLONNES_INTERNES: [&'static str; 3] =
        ["validation", "commentaire_validation", "archive"];

    fn garde(self, colonne: &str) -> bool {
        self != Perimetre::Public || !Self::COLONNES_INTERNES.contains(&colonne)
    }
}

/// The tables of the exchange files, in the order an import reads them (what a line names
/// comes before it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Table {
    Collectivites,
    Acteurs,
    Partenariats,
    Etapes,
    Conventions,
    Intermediaires,
    /// Before the actions, which cite their objectives.
    Pdesc,
    Actions,
    Financements,
    Resultats,
    /// After the results they measure.
    Mesures,
}

impl Table {
    pub const TOUTES: [Table; 11] = [
        Table::Collectivites,
        Table::Acteurs,
        Table::Partenariats,
        Table::Etapes,
        Table::Conventions,
        Table::Intermediaires,
        Table::Pdesc,
        Table::Actions,
        Table::Financements,
        Table::Resultats,
        Table::Mesures,
    ];

    /// The file's name without `.csv`.
    pub fn nom(self) -> &'static str {
        match self {
            Table::Collectivites => "collectivites",
            Table::Acteurs => "acteurs",
            Table::Partenariats => "partenariats",
            Table::Etapes => "etapes",
            Table::Conventions => "conventions",
            Table::Intermediaires => "intermediaires",
            Table::Pdesc => "pdesc",
            Table::Actions => "actions",
            Table::Financements => "financements",
            Table::Resultats => "resultats",
            Table::Mesures => "mesures",
        }
    }

    /// The columns, as the header line names them.
    pub fn colonnes(self) -> &'static [&'static str] {
        match self {
            Table::Collectivites => &[
                "identifiant",
                "pays",
                "niveau",
                "libelle_niveau",
                "code_officiel",
                "nom",
                "parent",
                "valide_du",
                "valide_au",
                "population",
                "source",
            ],
            Table::Acteurs => &[
                "identifiant",
                "nom",
                "type_organisation",
                "identifiant_iati",
                "pays",
                "collectivite",
            ],
            Table::Partenariats => &[
                "identifiant",
                "titre",
                "description",
                "statut",
                "parties",
                "source",
                "demonstration",
                "confirme_le",
                "validation",
                "commentaire_validation",
                "archive",
            ],
            Table::Etapes => &["partenariat", "etape", "depuis", "note"],
            Table::Conventions => &[
                "identifiant",
                "partenariat",
                "intitule",
                "signee_le",
                "duree_mois",
                "reconduction",
                "document",
            ],
            Table::Intermediaires => &["partenariat", "acteur", "role", "precision"],
            Table::Pdesc => &[
                "collectivite",
                "debut",
                "fin",
                "titre",
                "reference",
                "objectifs",
            ],
            Table::Actions => &[
                "identifiant",
                "partenariat",
                "titre",
                "description",
                "axe",
                "domaine",
                "nature",
                "statut",
                "debut",
                "fin",
                "lieux",
                "points",
                "localites",
                "pdesc_collectivite",
                "objectif_pdesc",
                "validation",
                "commentaire_validation",
                "archive",
            ],
            Table::Financements => &[
                "identifiant",
                "action",
                "source",
                "type",
                "montant",
                "devise",
                "annee",
            ],
            Table::Resultats => &[
                "action",
                "rang",
                "indicateur",
                "libelle",
                "unite",
                "base",
                "base_date",
                "cible",
                "cible_date",
            ],
            Table::Mesures => &[
                "action",
                "rang",
                "debut",
                "fin",
                "valeur",
                "femmes",
                "hommes",
                "commentaire",
                "source",
            ],
        }
    }

    /// The header of the table's file in `perimetre`: [`Table::colonnes`], less the internal
    /// ones in the open data.
    pub fn entete(self, perimetre: Perimetre) -> Vec<&'static str> {
        self.colonnes()
            .iter()
            .copied()
            .filter(|c| perimetre.garde(c))
            .collect()
    }

    /// The columns that find an existing record (its identifiant, or its natural key for
    /// étapes and intermediaries).
    pub fn cle(self) -> &'static [&'static str] {
        match self {
            Table::Etapes => &["partenariat", "depuis"],
            Table::Intermediaires => &["partenariat", "acteur", "role"],
            Table::Pdesc => &["collectivite"],
            Table::Resultats => &["action", "rang"],
            Table::Mesures => &["action", "rang", "debut", "fin"],
            _ => &["identifiant"],
        }
    }

    /// The record's rowid, then the columns, from the table's joins.
    fn selection(self) -> String {
        let oui_non = |c: &str| format!("CASE {c} WHEN 1 THEN 'oui' ELSE 'non' END");
        match self {
            Table::Collectivites => "SELECT c.id, c.reference, c.pays, c.niveau, c.libelle_niveau, c.code, c.nom,
                    coalesce(p.cle_referentiel, p.reference), c.valide_du, c.valide_au,
                    CAST(c.population AS TEXT), c.source
                 FROM collectivite c LEFT JOIN collectivite p ON p.id = c.parent_id
                 WHERE c.cle_referentiel IS NULL"
                .to_owned(),
            Table::Acteurs => format!(
                "SELECT a.id, a.reference, a.nom, a.type_organisation, a.identifiant_iati, a.pays, {CODE}
                 FROM acteur a LEFT JOIN collectivite c ON c.id = a.collectivite_id WHERE 1"
            ),
            Table::Partenariats => format!(
                "SELECT p.id, p.reference, p.titre, p.description, p.statut,
                    (SELECT group_concat(k, ' | ' ORDER BY k) FROM
                        (SELECT {CODE} AS k FROM partie pa JOIN collectivite c ON c.id = pa.collectivite_id
                         WHERE pa.partenariat_id = p.id)),
                    p.source, {}, p.confirme_le, p.validation, p.commentaire_validation, {}
                 FROM partenariat p WHERE 1",
                oui_non("p.demonstration"),
                oui_non("p.archive")
            ),
            Table::Etapes => "SELECT e.id, p.reference, e.etape, e.depuis, e.note
                 FROM etape e JOIN partenariat p ON p.id = e.partenariat_id WHERE 1"
                .to_owned(),
            Table::Conventions => "SELECT v.id, v.reference, p.reference, v.intitule, v.signee_le,
                    CAST(v.duree_mois AS TEXT), v.reconduction, v.document
                 FROM convention v JOIN partenariat p ON p.id = v.partenariat_id WHERE 1"
                .to_owned(),
            Table::Intermediaires => "SELECT p.id, p.reference, a.reference, i.role, i.precision
                 FROM intermediaire i JOIN partenariat p ON p.id = i.partenariat_id
                 JOIN acteur a ON a.id = i.acteur_id WHERE 1"
                .to_owned(),
            Table::Pdesc => format!(
                "SELECT p.id, {CODE}, CAST(p.debut AS TEXT), CAST(p.fin AS TEXT), p.titre, p.reference,
                    (SELECT group_concat(o.libelle, '{SEPARATEUR_LISTE}' ORDER BY o.rang)
                     FROM pdesc_objectif o WHERE o.pdesc_id = p.id)
                 FROM pdesc p JOIN collectivite c ON c.id = p.collectivite_id WHERE 1"
            ),
            Table::Actions => format!(
                "SELECT a.id, a.reference, p.reference, a.titre, a.description, a.axe, a.domaine, a.nature,
                    a.statut, a.debut, a.fin,
                    (SELECT group_concat(k, ' | ' ORDER BY k) FROM
                        (SELECT {CODE} AS k FROM action_lieu l JOIN collectivite c ON c.id = l.collectivite_id
                         WHERE l.action_id = a.id)),
                    (SELECT group_concat({POINT}, ' | ' ORDER BY pt.rang) FROM action_point pt
                         WHERE pt.action_id = a.id),
                    (SELECT group_concat(lo.pcode, ' ; ' ORDER BY lo.pcode) FROM action_localite al
                         JOIN localite lo ON lo.id = al.localite_id WHERE al.action_id = a.id),
                    (SELECT {CODE} FROM action_objectif ao JOIN pdesc_objectif o ON o.id = ao.objectif_id
                         JOIN pdesc pd ON pd.id = o.pdesc_id JOIN collectivite c ON c.id = pd.collectivite_id
                         WHERE ao.action_id = a.id),
                    (SELECT o.libelle FROM action_objectif ao JOIN pdesc_objectif o ON o.id = ao.objectif_id
                         WHERE ao.action_id = a.id),
                    a.validation, a.commentaire_validation, {}
                 FROM action a JOIN partenariat p ON p.id = a.partenariat_id WHERE 1",
                oui_non("a.archive")
            ),
            // the amount stays in minor units here: its notation depends on the file's variant
            Table::Financements => "SELECT f.id, f.reference, a.reference, s.reference, f.type,
                    CAST(f.montant AS TEXT), f.devise, CAST(f.annee AS TEXT)
                 FROM financement f JOIN action a ON a.id = f.action_id JOIN acteur s ON s.id = f.source_id
                 WHERE 1"
                .to_owned(),
            // the rank counts from 1 in the files
            Table::Resultats => format!(
                "SELECT r.id, a.reference, CAST(r.rang + 1 AS TEXT), r.indicateur, r.libelle, r.unite,
                    {}, r.base_date, {}, r.cible_date
                 FROM resultat r JOIN action a ON a.id = r.action_id WHERE 1",
                valeur_ecrite("r.base_pas"),
                valeur_ecrite("r.cible_pas")
            ),
            Table::Mesures => format!(
                "SELECT m.rowid, a.reference, CAST(r.rang + 1 AS TEXT), m.debut, m.fin, {},
                    CAST(m.femmes AS TEXT), CAST(m.hommes AS TEXT), m.commentaire, m.source
                 FROM resultat_periode m JOIN resultat r ON r.id = m.resultat_id
                 JOIN action a ON a.id = r.action_id WHERE 1",
                valeur_ecrite("m.valeur_pas")
            ),
        }
    }

    /// The records of the open data: those of the public views, and what they name (the
    /// actors of their intermediaries and financements; the collectivités created on demand
    /// that are their parties, places or actors, with their parents), so that the public
    /// files import into another database.
    fn condition_publique(self) -> String {
        const ACTEURS: &str = "SELECT i.acteur_id FROM intermediaire i
                JOIN partenariat_publie pp ON pp.id = i.partenariat_id
             UNION SELECT f.source_id FROM financement f JOIN action_publiee ap ON ap.id = f.action_id";
        match self {
            Table::Collectivites => collectivites_nommees(
                "SELECT id FROM partenariat_publie",
                "SELECT id FROM action_publiee",
                ACTEURS,
                "SELECT id FROM pdesc",
            ),
            Table::Acteurs => format!("a.id IN ({ACTEURS})"),
            Table::Partenariats | Table::Etapes | Table::Conventions | Table::Intermediaires => {
                "p.id IN (SELECT id FROM partenariat_publie)".to_owned()
            }
            // the collectivités' pages show every PDESC
            Table::Pdesc => "1".to_owned(),
            Table::Actions | Table::Financements | Table::Resultats | Table::Mesures => {
                "a.id IN (SELECT id FROM action_publiee)".to_owned()
            }
        }
    }

    /// The records of an account's copy ([`Perimetre::Compte`]): those of its partenariats,
    /// the actors they name and the collectivités created on demand they name (with their
    /// parents), so that the copy imports back as it is.
    fn condition_du_compte(self, compte: CompteId) -> String {
        let siens = format!(
            "SELECT pa.partenariat_id FROM partie pa JOIN compte_collectivite cc
                ON cc.collectivite_id = pa.collectivite_id WHERE cc.compte_id = {}",
            compte.0
        );
        let acteurs = format!(
            "SELECT i.acteur_id FROM intermediaire i WHERE i.partenariat_id IN ({siens})
             UNION SELECT f.source_id FROM financement f JOIN action x ON x.id = f.action_id
                WHERE x.partenariat_id IN ({siens})"
        );
        // the PDESC of its collectivités, and those its actions cite
        let pdesc = format!(
            "SELECT id FROM pdesc WHERE collectivite_id IN
                (SELECT collectivite_id FROM compte_collectivite WHERE compte_id = {})
             UNION SELECT o.pdesc_id FROM action_objectif ao
                JOIN pdesc_objectif o ON o.id = ao.objectif_id JOIN action x ON x.id = ao.action_id
                WHERE x.partenariat_id IN ({siens})",
            compte.0
        );
        match self {
            Table::Collectivites => collectivites_nommees(
                &siens,
                &format!("SELECT id FROM action WHERE partenariat_id IN ({siens})"),
                &acteurs,
                &pdesc,
            ),
            Table::Acteurs => format!("a.id IN ({acteurs})"),
            Table::Partenariats | Table::Etapes | Table::Conventions | Table::Intermediaires => {
                format!("p.id IN ({siens})")
            }
            Table::Pdesc => format!("p.id IN ({pdesc})"),
            Table::Actions | Table::Financements | Table::Resultats | Table::Mesures => {
                format!("a.partenariat_id IN ({siens})")
            }
        }
    }

    /// The condition on the key columns, `?1`, `?2`…
    fn condition(self) -> &'static str {
        match self {
            Table::Collectivites => "c.reference = ?1",
            Table::Acteurs => "a.reference = ?1",
            Table::Partenariats => "p.reference = ?1",
            Table::Etapes => "p.reference = ?1 AND e.depuis = ?2",
            Table::Conventions => "v.reference = ?1",
            Table::Intermediaires => "p.reference = ?1 AND a.reference = ?2 AND i.role = ?3",
            Table::Pdesc => "coalesce(c.cle_referentiel, c.reference) = ?1",
            Table::Actions => "a.reference = ?1",
            Table::Financements => "f.reference = ?1",
            Table::Resultats => "a.reference = ?1 AND r.rang + 1 = CAST(?2 AS INTEGER)",
            Table::Mesures => {
                "a.reference = ?1 AND r.rang + 1 = CAST(?2 AS INTEGER) AND m.debut = ?3 AND m.fin = ?4"
            }
        }
    }

    /// A stable order that does not depend on rowids, so that two databases holding the same
    /// records write the same files.
    fn ordre(self) -> &'static str {
        match self {
            Table::Collectivites => "c.reference",
            Table::Acteurs => "a.reference",
            Table::Partenariats => "p.reference",
            Table::Etapes => "p.reference, e.depuis",
            Table::Conventions => "v.reference",
            Table::Intermediaires => "p.reference, a.reference, i.role",
            Table::Pdesc => "coalesce(c.cle_referentiel, c.reference)",
            Table::Actions => "a.reference",
            Table::Financements => "f.reference",
            Table::Resultats => "a.reference, r.rang",
            Table::Mesures => "a.reference, r.rang, m.debut, m.fin",
        }
    }
}

/// The condition on `c` of the collectivités created on demand that a copy of the records
/// needs, with their parents: the parties of the partenariats of `partenariats`, the places
/// of the actions of `actions`, the collectivités of the acteurs of `acteurs` and of the
/// PDESC of `pdesc` (four queries of ids).
fn collectivites_nommees(partenariats: &str, actions: &str, acteurs: &str, pdesc: &str) -> String {
    format!(
        "c.id IN (WITH RECURSIVE nommees(id) AS (
            SELECT id FROM (
                SELECT collectivite_id AS id FROM partie WHERE partenariat_id IN ({partenariats})
                UNION SELECT collectivite_id FROM action_lieu WHERE action_id IN ({actions})
                UNION SELECT collectivite_id FROM acteur
                    WHERE collectivite_id IS NOT NULL AND id IN ({acteurs})
                UNION SELECT collectivite_id FROM pdesc WHERE id IN ({pdesc}))
            UNION SELECT k.parent_id FROM collectivite k JOIN nommees ON nommees.id = k.id
                WHERE k.parent_id IS NOT NULL)
         SELECT id FROM nommees)"
    )
}

fn ligne(row: &rusqlite::Row<'_>, colonnes: usize) -> rusqlite::Result<Ligne> {
    (1..=colonnes).map(|i| row.get(i)).collect()
}

/// Calls `f` with every line of `table` in `perimetre` (the cells of
/// [`Table::entete`]), in order, from one query: memory does not grow with the table.
pub fn parcourir<E: From<StoreError>>(
    conn: &Connection,
    table: Table,
    perimetre: Perimetre,
    mut f: impl FnMut(Ligne) -> std::result::Result<(), E>,
) -> std::result::Result<(), E> {
    let filtre = match perimetre {
        Perimetre::Registre => String::new(),
        Perimetre::Public => format!(" AND {}", table.condition_publique()),
        Perimetre::Compte(compte) => format!(" AND {}", table.condition_du_compte(compte)),
    };
    let sql = format!("{}{filtre} ORDER BY {}", table.selection(), table.ordre());
    let mut stmt = conn.prepare(&sql).map_err(StoreError::from)?;
    let mut lignes = stmt.query([]).map_err(StoreError::from)?;
    let gardees: Vec<bool> = table
        .colonnes()
        .iter()
        .map(|c| perimetre.garde(c))
        .collect();
    while let Some(row) = lignes.next().map_err(StoreError::from)? {
        let mut cellules = ligne(row, gardees.len()).map_err(StoreError::from)?;
        if perimetre == Perimetre::Public {
            let mut garde = gardees.iter();
            cellules.retain(|_| garde.next() == Some(&true));
        }
        f(cellules)?;
    }
    Ok(())
}

/// The record with this key (see [`Table::cle`]), as its rowid and its line.
pub fn existante(conn: &Connection, table: Table, cle: &[&str]) -> Result<Option<(i64, Ligne)>> {
    let sql = format!("{} AND {}", table.selection(), table.condition());
    let n = table.colonnes().len();
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(rusqlite::params_from_iter(cle), |row| {
            Ok((row.get(0)?, ligne(row, n)?))
        })
        .optional()?)
}

/// The collectivité that an exchange code names: a référentiel key or a reference.
pub fn collectivite_par_code(conn: &Connection, code: &str) -> Result<Option<CollectiviteId>> {
    Ok(conn
        .prepare_cached(
            "SELECT id FROM collectivite WHERE cle_referentiel = ?1
             UNION ALL SELECT id FROM collectivite WHERE reference = ?1 LIMIT 1",
        )?
        .query_row([code], |r| r.get(0))
        .optional()?)
}

/// The rowid of the record of `table` with this reference (tables that have one).
pub fn par_reference(conn: &Connection, table: Table, reference: &str) -> Result<Option<i64>> {
    let nom = match table {
        Table::Collectivites => "collectivite",
        Table::Acteurs => "acteur",
        Table::Partenariats => "partenariat",
        Table::Conventions => "convention",
        Table::Actions => "action",
        Table::Financements => "financement",
        Table::Etapes
        | Table::Intermediaires
        | Table::Pdesc
        | Table::Resultats
        | Table::Mesures => return Ok(None),
    };
    Ok(conn
        .prepare_cached(&format!("SELECT id FROM {nom} WHERE reference = ?1"))?
        .query_row([reference], |r| r.get(0))
        .optional()?)
}

/// The reference of the record that a line without identifiant stands for, found by its
/// natural key: a hand-made spreadsheet imported twice creates nothing the second time.
pub enum CleNaturelle<'a> {
    /// Same country, level and normalised name, outside the référentiel.
    Collectivite(&'a NouvelleCollectivite),
    /// Same name.
    Acteur(&'a str),
    /// Same normalised title and same parties.
    Partenariat(&'a str, &'a [CollectiviteId]),
    /// Same partenariat and normalised title.
    Convention(PartenariatId, &'a str),
    Action(PartenariatId, &'a str),
    /// Same action, source, kind, amount, currency and year.
    Financement(&'a NouveauFinancement),
}

pub fn par_cle_naturelle(conn: &Connection, cle: CleNaturelle<'_>) -> Result<Option<String>> {
    match cle {
        CleNaturelle::Collectivite(c) => premiere(
            conn,
            "SELECT reference FROM collectivite WHERE cle_referentiel IS NULL AND pays = ?1
             AND niveau = ?2 AND nom_normalise = ?3 ORDER BY id LIMIT 1",
            params![c.pays, c.niveau.code(), normaliser(&c.nom)],
        ),
        CleNaturelle::Acteur(nom) => premiere(
            conn,
            "SELECT reference FROM acteur WHERE nom = ?1 ORDER BY id LIMIT 1",
            params![nom.trim()],
        ),
        CleNaturelle::Partenariat(titre, parties) => {
            let mut voulues: Vec<i64> = parties.iter().map(|c| c.0).collect();
            voulues.sort_unstable();
            voulues.dedup();
            let mut stmt = conn.prepare_cached(
                "SELECT p.reference, (SELECT group_concat(collectivite_id, ',' ORDER BY collectivite_id)
                                      FROM partie WHERE partenariat_id = p.id)
                 FROM partenariat p WHERE p.titre_tri = ?1 ORDER BY p.id",
            )?;
            let attendu = voulues
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(",");
            let mut lignes = stmt.query([normaliser(titre)])?;
            while let Some(row) = lignes.next()? {
                let ids: Option<String> = row.get(1)?;
                if ids.as_deref() == Some(attendu.as_str()) {
                    return Ok(row.get(0)?);
                }
            }
            Ok(None)
        }
        CleNaturelle::Convention(partenariat, intitule) => meme_titre(
            conn,
            "SELECT reference, intitule FROM convention WHERE partenariat_id = ?1 ORDER BY id",
            partenariat,
            intitule,
        ),
        CleNaturelle::Action(partenariat, titre) => meme_titre(
            conn,
            "SELECT reference, titre FROM action WHERE partenariat_id = ?1 ORDER BY id",
            partenariat,
            titre,
        ),
        CleNaturelle::Financement(f) => {
            let valeurs = super::financement::valeurs(f);
            premiere(
                conn,
                &format!(
                    "SELECT reference FROM financement WHERE {} ORDER BY id LIMIT 1",
                    valeurs.egalites()
                ),
                valeurs.parametres(),
            )
        }
    }
}

fn premiere(conn: &Connection, sql: &str, p: impl rusqlite::Params) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(sql)?
        .query_row(p, |r| r.get(0))
        .optional()?)
}

fn meme_titre(
    conn: &Connection,
    sql: &str,
    partenariat: PartenariatId,
    titre: &str,
) -> Result<Option<String>> {
    let voulu = normaliser(titre);
    let mut stmt = conn.prepare_cached(sql)?;
    let mut lignes = stmt.query([partenariat])?;
    while let Some(row) = lignes.next()? {
        let existant: String = row.get(1)?;
        if normaliser(&existant) == voulu {
            return Ok(row.get(0)?);
        }
    }
    Ok(None)
}

/// The partenariat that record `id` of `table` hangs on (itself for a partenariat; an
/// action's, or a financement's action's); none for the other tables or a missing record.
pub fn partenariat_de(conn: &Connection, table: Table, id: i64) -> Result<Option<PartenariatId>> {
    let sql = match table {
        Table::Partenariats => "SELECT id FROM partenariat WHERE id = ?1",
        Table::Actions => "SELECT partenariat_id FROM action WHERE id = ?1",
        Table::Financements => {
            "SELECT a.partenariat_id FROM financement f JOIN action a ON a.id = f.action_id
             WHERE f.id = ?1"
        }
        _ => return Ok(None),
    };
    Ok(conn
        .prepare_cached(sql)?
        .query_row([id], |r| r.get(0))
        .optional()?)
}

/// The parties of a partenariat, as stored.
pub fn parties(conn: &Connection, partenariat: PartenariatId) -> Result<Vec<CollectiviteId>> {
    let mut stmt =
        conn.prepare_cached("SELECT collectivite_id FROM partie WHERE partenariat_id = ?1")?;
    let ids = stmt.query_map([partenariat], |r| r.get(0))?;
    Ok(ids.collect::<rusqlite::Result<_>>()?)
}

/// The exchange code of a collectivité (its référentiel key, or its reference).
pub fn code_collectivite(conn: &Connection, id: CollectiviteId) -> Result<String> {
    conn.prepare_cached(&format!(
        "SELECT {CODE} FROM collectivite c WHERE c.id = ?1"
    ))?
    .query_row([id], |r| r.get::<_, Option<String>>(0))
    .optional()?
    .flatten()
    .ok_or_else(|| StoreError::Introuvable(format!("collectivité n° {id}")))
}

/// Whether this code is a key of the shipped référentiel (such units are not imported).
pub fn est_du_referentiel(conn: &Connection, code: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM collectivite WHERE cle_referentiel = ?1)")?
        .query_row([code], |r| r.get(0))?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{NouveauPartenariat, StatutPartenariat};
    use crate::store::partenariat;

    #[test]
    fn the_sql_writes_a_value_as_the_model_does() {
        let conn = Connection::open_in_memory().unwrap();
        let sql = format!(
            "SELECT {} FROM (SELECT ?1 AS unite, ?2 AS pas) r",
            valeur_ecrite("r.pas")
        );
        for unite in Unite::TOUS {
            for pas in [0, 7, 10, 125, 1_000, 123_456_789] {
                let ecrite: String = conn
                    .query_row(&sql, params![unite.code(), pas], |r| r.get(0))
                    .unwrap();
                let valeur = crate::model::Valeur { unite: *unite, pas };
                assert_eq!(ecrite, valeur.en_fichier(), "{unite:?} {pas}");
            }
        }
    }

    #[test]
    fn records_get_a_stable_reference_and_are_found_by_it() {
        let (_dossier, store) = crate::store::essai::base();
        let conn = store.connexion().unwrap();
        let (ml, fr) = crate::store::essai::kayes_angers(&conn);
        let p = partenariat::creer(
            &conn,
            NouveauPartenariat::new("Kayes – Angers", StatutPartenariat::Actif, vec![ml, fr]),
        )
        .unwrap();
        let reference: String = conn
            .query_row(
                "SELECT reference FROM partenariat WHERE id = ?1",
                [p],
                |r| r.get(0),
            )
            .unwrap();
        assert!(
            reference.starts_with("PART-") && reference.len() == 17,
            "{reference}"
        );
        let (id, ligne) = existante(&conn, Table::Partenariats, &[&reference])
            .unwrap()
            .unwrap();
        assert_eq!(id, p.0);
        assert_eq!(ligne.len(), Table::Partenariats.colonnes().len());
        let code_ml = code_collectivite(&conn, ml).unwrap();
        assert!(code_ml.starts_with("COLL-"), "{code_ml}");
        assert_eq!(collectivite_par_code(&conn, &code_ml).unwrap(), Some(ml));
        // a reference names one record only
        let doublon = conn.execute(
            "UPDATE collectivite SET reference = ?1 WHERE id = ?2",
            rusqlite::params![code_ml, fr],
        );
        assert!(doublon.is_err());
        // the points cell of SQL is the one Rust writes, digit for digit
        let action = crate::store::action::creer(
            &conn,
            crate::model::NouvelleAction {
                statut: crate::model::StatutAction::EnCours,
                points: [
                    (14.4485, -11.4389, Some("puits de Kayes ; nord")),
                    (12.0, -8.0, None),
                    (0.1 + 0.2, -90.0 / 7.0, None),
                    (-0.000_001, 179.999_999, Some("x")),
                    (-90.0, -180.0, None),
                ]
                .into_iter()
                .map(|(lat, lon, l)| PointAction::nouveau(lat, lon, l).unwrap())
                .collect(),
                ..crate::store::essai::puits(p, vec![ml])
            },
        )
        .unwrap();
        let reference: String = conn
            .query_row(
                "SELECT reference FROM action WHERE id = ?1",
                [action],
                |r| r.get(0),
            )
            .unwrap();
        let (_, ligne) = existante(&conn, Table::Actions, &[&reference])
            .unwrap()
            .unwrap();
        let cellule = ligne[Table::Actions
            .colonnes()
            .iter()
            .position(|c| *c == "points")
            .unwrap()]
        .clone();
        assert_eq!(
            cellule.as_deref(),
            Some(
                "14.4485 -11.4389 ; puits de Kayes ; nord | 12 -8 | 0.3 -12.857143 | -0.000001 179.999999 ; x | -90 -180"
            )
        );
        let points = crate::store::action::points(&conn, action).unwrap();
        assert_eq!(texte_des_points(&points), cellule);
        // every table's line has as many cells as its header
        for table in Table::TOUTES {
            parcourir(&conn, table, Perimetre::Registre, |l| {
                assert_eq!(l.len(), table.colonnes().len(), "{table:?}");
                Ok::<_, StoreError>(())
            })
            .unwrap();
        }
    }
}
