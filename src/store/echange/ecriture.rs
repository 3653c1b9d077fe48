//! The writes of an import: each record checked by the model, written, and journalled with
//! the import's comment.

use rusqlite::{Connection, params};
use time::Date;

use crate::model::{
    ActeurId, ActionId, CollectiviteId, CompteId, EtapeDatee, FinancementId, NouveauFinancement,
    NouveauPartenariat, NouvelActeur, NouvelleAction, NouvelleCollectivite, NouvelleConvention,
    ObjectifId, PartenariatId, Pdesc, Resultat, RoleIntermediaire, Saisie, Validation,
};
use crate::store::sql::Valeurs;
use crate::store::sql::executer;
use crate::store::{
    MAINTENANT, Result, StoreError, acteur, action, atomique, collectivite, financement, journal,
    partenariat, pdesc, resultat,
};

/// Creates row `id` of `table` (none: a new one) or updates it with `valeurs`, through the
/// same column list as the entity's store function; an update keeps the row's reference
/// unless one is given. Returns the rowid and the journal's word for what happened.
fn ecrire_ligne<'a>(
    conn: &Connection,
    table: &str,
    valeurs: Valeurs<'a>,
    id: Option<i64>,
    reference: Option<&'a str>,
    en_plus: &str,
) -> Result<(i64, &'static str)> {
    match id {
        None => Ok((
            valeurs.et("reference", reference).inserer(conn, table)?,
            "creation",
        )),
        Some(id) => {
            let valeurs = match reference {
                Some(r) => valeurs.et("reference", r),
                None => valeurs,
            };
            valeurs.modifier(conn, table, id, en_plus)?;
            Ok((id, "modification"))
        }
    }
}

/// Who writes an import and how: the journal's author (none for the command line) and
/// comment (which names the file), and whether every record it creates or changes goes
/// (back) to review, as a contributor's form does.
#[derive(Debug, Clone, Copy)]
pub struct Trace<'a> {
    pub auteur: Option<CompteId>,
    pub commentaire: &'a str,
    pub resoumettre: bool,
}

/// A journal entry of the import.
fn noter(
    conn: &Connection,
    objet: (&str, i64),
    operation: &str,
    avant: Option<&serde_json::Value>,
    apres: &serde_json::Value,
    trace: Trace<'_>,
) -> Result<()> {
    journal::noter(
        conn,
        trace.auteur,
        objet,
        operation,
        avant,
        Some(apres),
        Some(trace.commentaire),
    )
}

/// Creates (`id` none) or updates a collectivité created on demand.
pub fn ecrire_collectivite(
    conn: &Connection,
    id: Option<CollectiviteId>,
    reference: Option<&str>,
    nouvelle: NouvelleCollectivite,
    trace: Trace<'_>,
) -> Result<CollectiviteId> {
    let c = nouvelle.valider()?;
    atomique(conn, || {
        let (id, operation) = ecrire_ligne(
            conn,
            "collectivite",
            collectivite::valeurs(&c),
            id.map(|i| i.0),
            reference,
            "",
        )?;
        let apres = serde_json::json!({
            "pays": c.pays.code(), "niveau": c.niveau.code(), "nom": c.nom,
            "code": c.code, "libelle_niveau": c.libelle_niveau,
        });
        noter(conn, ("collectivite", id), operation, None, &apres, trace)?;
        Ok(CollectiviteId(id))
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
    let (id, _) = ecrire_ligne(
        conn,
        "acteur",
        acteur::valeurs(&a),
        id.map(|i| i.0),
        reference,
        "",
    )?;
    Ok(ActeurId(id))
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
    trace: Trace<'_>,
) -> Result<PartenariatId> {
    let p = importe.nouveau.valider()?;
    let mut parties = Vec::with_capacity(p.parties.len());
    for partie in &p.parties {
        parties.push((*partie, collectivite::requise(conn, *partie)?.pays));
    }
    crate::model::verifier_parties(&parties)?;
    let commentaire_validation = crate::model::texte_facultatif(
        "commentaire_validation",
        importe.commentaire_validation.as_deref(),
        2_000,
        Saisie::Paragraphe,
    )?;
    atomique(conn, || {
        let avant = match id {
            Some(id) => Some(partenariat::instantane(conn, id)?),
            None => None,
        };
        let valeurs = partenariat::valeurs(&p)
            .et("confirme_le", importe.confirme_le)
            .et("commentaire_validation", &commentaire_validation)
            .et("archive", importe.archive);
        let (id, _) = ecrire_ligne(
            conn,
            "partenariat",
            valeurs,
            id.map(|i| i.0),
            reference,
            &format!("modifie_le = {MAINTENANT}"),
        )?;
        let id = PartenariatId(id);
        // add before removing, so that a side is never empty in between
        for (partie, _) in &parties {
            conn.prepare_cached(
                "INSERT OR IGNORE INTO partie (partenariat_id, collectivite_id) VALUES (?1, ?2)",
            )?
            .execute(params![id, partie])?;
        }
        let gardees: Vec<String> = parties.iter().map(|(c, _)| c.0.to_string()).collect();
        executer(
            conn,
            &format!(
                "DELETE FROM partie WHERE partenariat_id = ?1 AND collectivite_id NOT IN ({})",
                gardees.join(",")
            ),
            [id],
        )?;
        noter_partenariat(conn, id, avant, trace)?;
        Ok(id)
    })
}

fn noter_partenariat(
    conn: &Connection,
    id: PartenariatId,
    avant: Option<serde_json::Value>,
    trace: Trace<'_>,
) -> Result<()> {
    if trace.resoumettre {
        // a change from a contributor goes (back) to review, as from its forms
        conn.prepare_cached("UPDATE partenariat SET validation = 'soumis' WHERE id = ?1")?
            .execute([id])?;
    }
    let apres = partenariat::instantane(conn, id)?;
    let operation = if avant.is_some() {
        "modification"
    } else {
        "creation"
    };
    noter(
        conn,
        ("partenariat", id.0),
        operation,
        avant.as_ref(),
        &apres,
        trace,
    )
}

/// Adds an étape to a partenariat's history (checked against the others), or changes the
/// note of the étape of that day (`existante`).
pub fn ecrire_etape(
    conn: &Connection,
    partenariat_id: PartenariatId,
    existante: Option<i64>,
    etape: EtapeDatee,
    trace: Trace<'_>,
) -> Result<()> {
    let etape = etape.valider()?;
    atomique(conn, || {
        let avant = partenariat::instantane(conn, partenariat_id)?;
        match existante {
            None => partenariat::ajouter_etape(conn, partenariat_id, etape.clone())?,
            Some(id) => {
                let actuelle: String =
                    conn.query_row("SELECT etape FROM etape WHERE id = ?1", [id], |r| r.get(0))?;
                if actuelle != etape.etape.code() {
                    return Err(StoreError::Existe(format!(
                        "le partenariat a déjà l'étape « {actuelle} » à cette date : une étape ne se modifie pas"
                    )));
                }
                executer(
                    conn,
                    "UPDATE etape SET note = ?2 WHERE id = ?1",
                    params![id, etape.note],
                )?;
            }
        }
        noter_partenariat(conn, partenariat_id, Some(avant), trace)
    })
}

/// Creates or updates a convention of a partenariat.
pub fn ecrire_convention(
    conn: &Connection,
    id: Option<i64>,
    reference: Option<&str>,
    partenariat_id: PartenariatId,
    convention: NouvelleConvention,
    trace: Trace<'_>,
) -> Result<()> {
    let c = convention.valider()?;
    atomique(conn, || {
        let avant = partenariat::instantane(conn, partenariat_id)?;
        ecrire_ligne(
            conn,
            "convention",
            partenariat::valeurs_convention(partenariat_id, &c),
            id,
            reference,
            "",
        )?;
        noter_partenariat(conn, partenariat_id, Some(avant), trace)
    })
}

/// Records (or updates the precision of) an intermediary of a partenariat.
pub fn ecrire_intermediaire(
    conn: &Connection,
    partenariat_id: PartenariatId,
    acteur: ActeurId,
    role: RoleIntermediaire,
    precision: Option<&str>,
    trace: Trace<'_>,
) -> Result<()> {
    let precision = partenariat::precision_intermediaire(precision)?;
    atomique(conn, || {
        let avant = partenariat::instantane(conn, partenariat_id)?;
        executer(conn,
            "INSERT INTO intermediaire (partenariat_id, acteur_id, role, precision) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (partenariat_id, acteur_id, role) DO UPDATE SET precision = excluded.precision",
            params![partenariat_id, acteur, role.code(), precision],
        )?;
        noter_partenariat(conn, partenariat_id, Some(avant), trace)
    })
}

/// What an exchange file says of an action beyond what a form declares.
pub struct ActionImportee {
    pub nouvelle: NouvelleAction,
    pub validation: Validation,
    pub commentaire_validation: Option<String>,
    pub archive: bool,
    /// The PDESC objective it serves, if any.
    pub objectif: Option<ObjectifId>,
}

/// Creates or updates an action and sets its places, points and cited objective to
/// exactly these.
pub fn ecrire_action(
    conn: &Connection,
    id: Option<ActionId>,
    reference: Option<&str>,
    importee: ActionImportee,
    trace: Trace<'_>,
) -> Result<ActionId> {
    let a = importee.nouvelle.valider()?;
    for lieu in &a.lieux {
        collectivite::requise(conn, *lieu)?;
    }
    let commentaire_validation = crate::model::texte_facultatif(
        "commentaire_validation",
        importee.commentaire_validation.as_deref(),
        2_000,
        Saisie::Paragraphe,
    )?;
    atomique(conn, || {
        let avant = match id {
            Some(id) => Some(action::instantane(conn, id)?),
            None => None,
        };
        let validation = if trace.resoumettre {
            Validation::Soumis
        } else {
            importee.validation
        };
        let valeurs = action::valeurs(&a)
            .et("validation", validation.code())
            .et("commentaire_validation", &commentaire_validation)
            .et("archive", importee.archive);
        let (id, operation) = ecrire_ligne(
            conn,
            "action",
            valeurs,
            id.map(|i| i.0),
            reference,
            &format!("modifie_le = {MAINTENANT}"),
        )?;
        let id = ActionId(id);
        action::ecrire_lieux(conn, id, &a)?;
        pdesc::citer(conn, id, importee.objectif)?;
        let apres = action::instantane(conn, id)?;
        noter(
            conn,
            ("action", id.0),
            operation,
            avant.as_ref(),
            &apres,
            trace,
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
    trace: Trace<'_>,
) -> Result<FinancementId> {
    let f = nouveau.valider()?;
    atomique(conn, || {
        if trace.resoumettre {
            // new money changes the action: it goes back to review, as from its form
            conn.prepare_cached(&format!(
                "UPDATE action SET validation = 'soumis', modifie_le = {MAINTENANT} WHERE id = ?1"
            ))?
            .execute([f.action])?;
        }
        let (id, operation) = ecrire_ligne(
            conn,
            "financement",
            financement::valeurs(&f),
            id.map(|i| i.0),
            reference,
            "",
        )?;
        let apres = serde_json::json!({
            "action": f.action.0, "source": f.source.0, "type": f.type_financement.code(),
            "montant": f.montant.unites_mineures(), "devise": f.montant.devise().code(), "annee": f.annee,
        });
        noter(conn, ("financement", id), operation, None, &apres, trace)?;
        Ok(FinancementId(id))
    })
}

/// Puts `resultats` in the place of an action's results, journalled as a change of the
/// action (its snapshot lists them), which goes back to review when a contributor made it.
pub fn ecrire_resultats(
    conn: &Connection,
    id: ActionId,
    resultats: &[Resultat],
    trace: Trace<'_>,
) -> Result<()> {
    atomique(conn, || {
        let avant = action::instantane(conn, id)?;
        resultat::remplacer(conn, id, resultats)?;
        if trace.resoumettre {
            executer(
                conn,
                &format!(
                    "UPDATE action SET validation = 'soumis', modifie_le = {MAINTENANT} WHERE id = ?1"
                ),
                [id],
            )?;
        }
        let apres = action::instantane(conn, id)?;
        noter(
            conn,
            ("action", id.0),
            "modification",
            Some(&avant),
            &apres,
            trace,
        )
    })
}

/// Records the PDESC of a collectivité (in the place of the one before), journalled under
/// the collectivité with the import's comment.
pub fn ecrire_pdesc(
    conn: &Connection,
    collectivite: CollectiviteId,
    p: &Pdesc,
    trace: Trace<'_>,
) -> Result<()> {
    pdesc::enregistrer(conn, collectivite, p, trace.auteur, Some(trace.commentaire))
}
