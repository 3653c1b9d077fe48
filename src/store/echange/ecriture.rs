//! The writes of an import: each record checked by the model, written, and journalled with
//! the import's comment.

use rusqlite::{Connection, params};
use time::Date;

use crate::model::nom::normaliser;
use crate::model::{
    ActeurId, ActionId, CollectiviteId, EtapeDatee, FinancementId, NouveauFinancement,
    NouveauPartenariat, NouvelActeur, NouvelleAction, NouvelleCollectivite, NouvelleConvention,
    PartenariatId, RoleIntermediaire, Validation,
};
use crate::store::{MAINTENANT, Result, StoreError, atomique, journal};

/// Creates (`id` none) or updates a collectivité created on demand.
pub fn ecrire_collectivite(
    conn: &Connection,
    id: Option<CollectiviteId>,
    reference: Option<&str>,
    nouvelle: NouvelleCollectivite,
    commentaire: &str,
) -> Result<CollectiviteId> {
    let c = nouvelle.valider()?;
    let valeurs = params![
        c.pays,
        c.niveau.code(),
        c.libelle_niveau,
        c.code,
        c.nom,
        normaliser(&c.nom),
        c.parent,
        c.validite.debut(),
        c.validite.fin(),
        c.population,
        c.source,
        reference,
    ];
    atomique(conn, || {
        let (id, operation) = match id {
            None => {
                conn.execute(
                    "INSERT INTO collectivite (pays, niveau, libelle_niveau, code, nom, nom_normalise, parent_id,
                                               valide_du, valide_au, population, source, reference)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                    valeurs,
                )?;
                (CollectiviteId(conn.last_insert_rowid()), "creation")
            }
            Some(id) => {
                conn.execute(
                    "UPDATE collectivite SET pays = ?1, niveau = ?2, libelle_niveau = ?3, code = ?4, nom = ?5,
                         nom_normalise = ?6, parent_id = ?7, valide_du = ?8, valide_au = ?9, population = ?10,
                         source = ?11, reference = coalesce(?12, reference) WHERE id = ?13",
                    params![
                        c.pays,
                        c.niveau.code(),
                        c.libelle_niveau,
                        c.code,
                        c.nom,
                        normaliser(&c.nom),
                        c.parent,
                        c.validite.debut(),
                        c.validite.fin(),
                        c.population,
                        c.source,
                        reference,
                        id
                    ],
                )?;
                (id, "modification")
            }
        };
        let apres = serde_json::json!({
            "pays": c.pays.code(), "niveau": c.niveau.code(), "nom": c.nom,
            "code": c.code, "libelle_niveau": c.libelle_niveau,
        });
        journal::noter(
            conn,
            None,
            ("collectivite", id.0),
            operation,
            None,
            Some(&apres),
            Some(commentaire),
        )?;
        Ok(id)
    })
}

/// Creates or updates an acteur (acteurs have no journal of their own).
pub fn ecrire_acteur(
    conn: &Connection,
    id: Option<ActeurId>,
    reference: Option<&str>,
    nouvel: NouvelActeur,
) -> Result<ActeurId> {
    let a = nouvel.valider()?;
    let valeurs = params![
        a.nom,
        a.type_organisation.code(),
        a.identifiant_iati,
        a.pays,
        a.collectivite,
        reference
    ];
    match id {
        None => {
            conn.execute(
                "INSERT INTO acteur (nom, type_organisation, identifiant_iati, pays, collectivite_id, reference)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                valeurs,
            )?;
            Ok(ActeurId(conn.last_insert_rowid()))
        }
        Some(id) => {
            conn.execute(
                "UPDATE acteur SET nom = ?1, type_organisation = ?2, identifiant_iati = ?3, pays = ?4,
                     collectivite_id = ?5, reference = coalesce(?6, reference) WHERE id = ?7",
                params![
                    a.nom,
                    a.type_organisation.code(),
                    a.identifiant_iati,
                    a.pays,
                    a.collectivite,
                    reference,
                    id
                ],
            )?;
            Ok(id)
        }
    }
}

/// What an exchange file says of a partenariat beyond what a form declares.
pub struct PartenariatImporte {
    pub nouveau: NouveauPartenariat,
    pub confirme_le: Option<Date>,
    pub commentaire_validation: Option<String>,
    pub archive: bool,
}

/// Creates or updates a partenariat and sets its parties to exactly these.
pub fn ecrire_partenariat(
    conn: &Connection,
    id: Option<PartenariatId>,
    reference: Option<&str>,
    importe: PartenariatImporte,
    commentaire: &str,
) -> Result<PartenariatId> {
    let p = importe.nouveau.valider()?;
    let mut parties = Vec::with_capacity(p.parties.len());
    for partie in &p.parties {
        parties.push((
            *partie,
            crate::store::collectivite::requise(conn, *partie)?.pays,
        ));
    }
    crate::model::verifier_parties(&parties)?;
    let commentaire_validation = crate::model::texte_facultatif(
        "commentaire_validation",
        importe.commentaire_validation.as_deref(),
        2_000,
    )?;
    atomique(conn, || {
        let avant = match id {
            Some(id) => Some(crate::store::partenariat::instantane(conn, id)?),
            None => None,
        };
        let valeurs = params![
            p.titre,
            normaliser(&p.titre),
            p.description,
            p.statut.code(),
            p.source,
            p.demonstration,
            p.validation.code(),
            importe.confirme_le,
            commentaire_validation,
            importe.archive,
            reference,
            id,
        ];
        let id = match id {
            None => {
                conn.execute(
                    "INSERT INTO partenariat (titre, titre_tri, description, statut, source, demonstration,
                         validation, confirme_le, commentaire_validation, archive, reference)
                     SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11 WHERE ?12 IS NULL",
                    valeurs,
                )?;
                PartenariatId(conn.last_insert_rowid())
            }
            Some(id) => {
                conn.execute(
                    &format!(
                        "UPDATE partenariat SET titre = ?1, titre_tri = ?2, description = ?3, statut = ?4,
                             source = ?5, demonstration = ?6, validation = ?7, confirme_le = ?8,
                             commentaire_validation = ?9, archive = ?10, modifie_le = {MAINTENANT},
                         reference = coalesce(?11, reference) WHERE id = ?12"
                    ),
                    valeurs,
                )?;
                id
            }
        };
        // add before removing, so that a side is never empty in between
        for (partie, _) in &parties {
            conn.prepare_cached(
                "INSERT OR IGNORE INTO partie (partenariat_id, collectivite_id) VALUES (?1, ?2)",
            )?
            .execute(params![id, partie])?;
        }
        let gardees: Vec<String> = parties.iter().map(|(c, _)| c.0.to_string()).collect();
        conn.execute(
            &format!(
                "DELETE FROM partie WHERE partenariat_id = ?1 AND collectivite_id NOT IN ({})",
                gardees.join(",")
            ),
            [id],
        )?;
        noter_partenariat(conn, id, avant, commentaire)?;
        Ok(id)
    })
}

fn noter_partenariat(
    conn: &Connection,
    id: PartenariatId,
    avant: Option<serde_json::Value>,
    commentaire: &str,
) -> Result<()> {
    let apres = crate::store::partenariat::instantane(conn, id)?;
    let operation = if avant.is_some() {
        "modification"
    } else {
        "creation"
    };
    journal::noter(
        conn,
        None,
        ("partenariat", id.0),
        operation,
        avant.as_ref(),
        Some(&apres),
        Some(commentaire),
    )
}

/// Adds an étape to a partenariat's history (checked against the others), or changes the
/// note of the étape of that day (`existante`).
pub fn ecrire_etape(
    conn: &Connection,
    partenariat: PartenariatId,
    existante: Option<i64>,
    etape: EtapeDatee,
    commentaire: &str,
) -> Result<()> {
    let note = crate::model::texte_facultatif("note", etape.note.as_deref(), 2_000)?;
    atomique(conn, || {
        let avant = crate::store::partenariat::instantane(conn, partenariat)?;
        match existante {
            None => crate::store::partenariat::ajouter_etape(
                conn,
                partenariat,
                EtapeDatee {
                    note: note.clone(),
                    ..etape
                },
            )?,
            Some(id) => {
                let actuelle: String =
                    conn.query_row("SELECT etape FROM etape WHERE id = ?1", [id], |r| r.get(0))?;
                if actuelle != etape.etape.code() {
                    return Err(StoreError::Existe(format!(
                        "le partenariat a déjà l'étape « {actuelle} » à cette date : une étape ne se modifie pas"
                    )));
                }
                conn.execute(
                    "UPDATE etape SET note = ?2 WHERE id = ?1",
                    params![id, note],
                )?;
            }
        }
        noter_partenariat(conn, partenariat, Some(avant), commentaire)
    })
}

/// Creates or updates a convention of a partenariat.
pub fn ecrire_convention(
    conn: &Connection,
    id: Option<i64>,
    reference: Option<&str>,
    partenariat: PartenariatId,
    convention: NouvelleConvention,
    commentaire: &str,
) -> Result<()> {
    let c = convention.valider()?;
    atomique(conn, || {
        let avant = crate::store::partenariat::instantane(conn, partenariat)?;
        let valeurs = params![
            partenariat,
            c.intitule,
            c.signee_le,
            c.duree_mois,
            c.reconduction.code(),
            c.document,
            reference,
            id
        ];
        match id {
            None => conn.execute(
                "INSERT INTO convention (partenariat_id, intitule, signee_le, duree_mois, reconduction, document, reference)
                 SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 WHERE ?8 IS NULL",
                valeurs,
            )?,
            Some(_) => conn.execute(
                "UPDATE convention SET partenariat_id = ?1, intitule = ?2, signee_le = ?3, duree_mois = ?4,
                     reconduction = ?5, document = ?6, reference = coalesce(?7, reference) WHERE id = ?8",
                valeurs,
            )?,
        };
        noter_partenariat(conn, partenariat, Some(avant), commentaire)
    })
}

/// Records (or updates the precision of) an intermediary of a partenariat.
pub fn ecrire_intermediaire(
    conn: &Connection,
    partenariat: PartenariatId,
    acteur: ActeurId,
    role: RoleIntermediaire,
    precision: Option<&str>,
    commentaire: &str,
) -> Result<()> {
    let precision = crate::model::texte_facultatif("precision", precision, 2_000)?;
    atomique(conn, || {
        let avant = crate::store::partenariat::instantane(conn, partenariat)?;
        conn.execute(
            "INSERT INTO intermediaire (partenariat_id, acteur_id, role, precision) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (partenariat_id, acteur_id, role) DO UPDATE SET precision = excluded.precision",
            params![partenariat, acteur, role.code(), precision],
        )?;
        noter_partenariat(conn, partenariat, Some(avant), commentaire)
    })
}

/// What an exchange file says of an action beyond what a form declares.
pub struct ActionImportee {
    pub nouvelle: NouvelleAction,
    pub validation: Validation,
    pub commentaire_validation: Option<String>,
    pub archive: bool,
}

/// Creates or updates an action and sets its places to exactly these.
pub fn ecrire_action(
    conn: &Connection,
    id: Option<ActionId>,
    reference: Option<&str>,
    importee: ActionImportee,
    commentaire: &str,
) -> Result<ActionId> {
    let a = importee.nouvelle.valider()?;
    for lieu in &a.lieux {
        crate::store::collectivite::requise(conn, *lieu)?;
    }
    let commentaire_validation = crate::model::texte_facultatif(
        "commentaire_validation",
        importee.commentaire_validation.as_deref(),
        2_000,
    )?;
    atomique(conn, || {
        let avant = match id {
            Some(id) => Some(crate::store::action::instantane(conn, id)?),
            None => None,
        };
        let valeurs = params![
            a.partenariat,
            a.titre,
            a.description,
            a.axe.code(),
            a.domaine.code(),
            a.nature.code(),
            a.statut.code(),
            a.periode.debut(),
            a.periode.fin(),
            importee.validation.code(),
            commentaire_validation,
            importee.archive,
            reference,
            id,
        ];
        let id = match id {
            None => {
                conn.execute(
                    "INSERT INTO action (partenariat_id, titre, description, axe, domaine, nature, statut, debut, fin,
                         validation, commentaire_validation, archive, reference)
                     SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13 WHERE ?14 IS NULL",
                    valeurs,
                )?;
                ActionId(conn.last_insert_rowid())
            }
            Some(id) => {
                conn.execute(
                    &format!(
                        "UPDATE action SET partenariat_id = ?1, titre = ?2, description = ?3, axe = ?4, domaine = ?5,
                             nature = ?6, statut = ?7, debut = ?8, fin = ?9, validation = ?10,
                             commentaire_validation = ?11, archive = ?12, modifie_le = {MAINTENANT},
                         reference = coalesce(?13, reference) WHERE id = ?14"
                    ),
                    valeurs,
                )?;
                conn.execute("DELETE FROM action_lieu WHERE action_id = ?1", [id])?;
                id
            }
        };
        for lieu in &a.lieux {
            conn.prepare_cached(
                "INSERT OR IGNORE INTO action_lieu (action_id, collectivite_id) VALUES (?1, ?2)",
            )?
            .execute(params![id, lieu])?;
        }
        let apres = crate::store::action::instantane(conn, id)?;
        let operation = if avant.is_some() {
            "modification"
        } else {
            "creation"
        };
        journal::noter(
            conn,
            None,
            ("action", id.0),
            operation,
            avant.as_ref(),
            Some(&apres),
            Some(commentaire),
        )?;
        Ok(id)
    })
}

/// Creates or updates a financement.
pub fn ecrire_financement(
    conn: &Connection,
    id: Option<FinancementId>,
    reference: Option<&str>,
    nouveau: NouveauFinancement,
    commentaire: &str,
) -> Result<FinancementId> {
    let f = nouveau.valider()?;
    atomique(conn, || {
        let valeurs = params![
            f.action,
            f.source,
            f.type_financement.code(),
            f.montant.unites_mineures(),
            f.montant.devise().code(),
            f.annee,
            reference,
            id
        ];
        let (id, operation) = match id {
            None => {
                conn.execute(
                    "INSERT INTO financement (action_id, source_id, type, montant, devise, annee, reference)
                     SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 WHERE ?8 IS NULL",
                    valeurs,
                )?;
                (FinancementId(conn.last_insert_rowid()), "creation")
            }
            Some(id) => {
                conn.execute(
                    "UPDATE financement SET action_id = ?1, source_id = ?2, type = ?3, montant = ?4, devise = ?5,
                         annee = ?6, reference = coalesce(?7, reference) WHERE id = ?8",
                    valeurs,
                )?;
                (id, "modification")
            }
        };
        let apres = serde_json::json!({
            "action": f.action.0, "source": f.source.0, "type": f.type_financement.code(),
            "montant": f.montant.unites_mineures(), "devise": f.montant.devise().code(), "annee": f.annee,
        });
        journal::noter(
            conn,
            None,
            ("financement", id.0),
            operation,
            None,
            Some(&apres),
            Some(commentaire),
        )?;
        Ok(id)
    })
}
