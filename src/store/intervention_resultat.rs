//! The results an « autre intervention » publishes (migration 0025): written with the
//! intervention by [`super::intervention::enregistrer`], read by its page.

use rusqlite::{Connection, params};

use super::Result;
use crate::model::{
    BaseIati, InterventionId, PeriodeResultatIati, ResultatIati, ValeurResultatIati,
};

/// Writes the results of an intervention that has none (new, or just cleared by
/// [`effacer`]).
pub(super) fn inserer(
    conn: &Connection,
    id: InterventionId,
    resultats: &[ResultatIati],
) -> Result<()> {
    let mut resultat = conn.prepare_cached(
        "INSERT INTO intervention_resultat (intervention_id, rang, type, titre, indicateur, mesure,
             croissant, reference_vocabulaire, reference_code, base_annee, base_date, base_valeur)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?;
    let mut periode = conn.prepare_cached(
        "INSERT INTO intervention_resultat_periode (intervention_id, resultat_rang, rang, debut, fin)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut valeur = conn.prepare_cached(
        "INSERT INTO intervention_resultat_valeur (intervention_id, resultat_rang, periode_rang, rang,
                                                   nature, valeur)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    let mut dimension = conn.prepare_cached(
        "INSERT INTO intervention_resultat_dimension (intervention_id, resultat_rang, periode_rang,
                                                      valeur_rang, rang, nom, valeur)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for (r, res) in resultats.iter().enumerate() {
        let base = res.base.as_ref();
        let (vocabulaire, code) = res.reference.clone().unzip();
        resultat.execute(params![
            id,
            r,
            res.type_resultat,
            res.titre,
            res.indicateur,
            res.mesure,
            res.croissant,
            vocabulaire,
            code,
            base.and_then(|b| b.annee),
            base.and_then(|b| b.date),
            base.and_then(|b| b.valeur.as_ref()),
        ])?;
        for (p, per) in res.periodes.iter().enumerate() {
            periode.execute(params![id, r, p, per.debut, per.fin])?;
            let natures = per
                .cibles
                .iter()
                .map(|v| ("cible", v))
                .chain(per.atteints.iter().map(|v| ("atteint", v)));
            for (v, (nature, val)) in natures.enumerate() {
                valeur.execute(params![id, r, p, v, nature, val.valeur])?;
                for (d, (nom, texte)) in val.dimensions.iter().enumerate() {
                    dimension.execute(params![id, r, p, v, d, nom, texte])?;
                }
            }
        }
    }
    Ok(())
}

/// Removes the results of an intervention, before a re-import writes them again.
pub(super) fn effacer(conn: &Connection, id: InterventionId) -> Result<()> {
    conn.prepare_cached("DELETE FROM intervention_resultat WHERE intervention_id = ?1")?
        .execute([id])?;
    Ok(())
}

/// The results of an intervention, in the file's order.
pub(super) fn lire(conn: &Connection, id: InterventionId) -> Result<Vec<ResultatIati>> {
    let mut resultats: Vec<ResultatIati> = conn
        .prepare_cached(
            "SELECT type, titre, indicateur, mesure, croissant, reference_vocabulaire, reference_code,
                    base_annee, base_date, base_valeur
             FROM intervention_resultat WHERE intervention_id = ?1 ORDER BY rang",
        )?
        .query_map([id], |r| {
            let base = BaseIati {
                annee: r.get("base_annee")?,
                date: r.get("base_date")?,
                valeur: r.get("base_valeur")?,
            };
            let vocabulaire: Option<String> = r.get("reference_vocabulaire")?;
            let code: Option<String> = r.get("reference_code")?;
            Ok(ResultatIati {
                type_resultat: r.get("type")?,
                titre: r.get("titre")?,
                indicateur: r.get("indicateur")?,
                mesure: r.get("mesure")?,
                croissant: r.get("croissant")?,
                reference: vocabulaire.zip(code),
                base: (base.annee.is_some() || base.date.is_some() || base.valeur.is_some())
                    .then_some(base),
                periodes: Vec::new(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut periodes = conn.prepare_cached(
        "SELECT resultat_rang, debut, fin FROM intervention_resultat_periode
         WHERE intervention_id = ?1 ORDER BY resultat_rang, rang",
    )?;
    for ligne in periodes.query_map([id], |r| {
        Ok((
            r.get::<_, usize>(0)?,
            PeriodeResultatIati {
                debut: r.get(1)?,
                fin: r.get(2)?,
                cibles: Vec::new(),
                atteints: Vec::new(),
            },
        ))
    })? {
        let (r, periode) = ligne?;
        if let Some(res) = resultats.get_mut(r) {
            res.periodes.push(periode);
        }
    }
    // One row per dimension (or one without): a value's dimensions follow it.
    let mut valeurs = conn.prepare_cached(
        "SELECT v.resultat_rang, v.periode_rang, v.rang, v.nature, v.valeur,
                d.nom AS dimension_nom, d.valeur AS dimension_valeur
         FROM intervention_resultat_valeur v
         LEFT JOIN intervention_resultat_dimension d
           ON d.intervention_id = v.intervention_id AND d.resultat_rang = v.resultat_rang
          AND d.periode_rang = v.periode_rang AND d.valeur_rang = v.rang
         WHERE v.intervention_id = ?1
         ORDER BY v.resultat_rang, v.periode_rang, v.rang, d.rang",
    )?;
    let mut precedente: Option<(usize, usize, usize)> = None;
    let mut lignes = valeurs.query([id])?;
    while let Some(l) = lignes.next()? {
        let cle: (usize, usize, usize) = (l.get(0)?, l.get(1)?, l.get(2)?);
        let Some(periode) = resultats
            .get_mut(cle.0)
            .and_then(|res| res.periodes.get_mut(cle.1))
        else {
            continue;
        };
        let nature: String = l.get("nature")?;
        let liste = if nature == "cible" {
            &mut periode.cibles
        } else {
            &mut periode.atteints
        };
        if precedente != Some(cle) {
            liste.push(ValeurResultatIati {
                valeur: l.get("valeur")?,
                dimensions: Vec::new(),
            });
            precedente = Some(cle);
        }
        let dimension: Option<(String, String)> = l
            .get::<_, Option<String>>("dimension_nom")?
            .zip(l.get::<_, Option<String>>("dimension_valeur")?);
        if let (Some(v), Some(d)) = (liste.last_mut(), dimension) {
            v.dimensions.push(d);
        }
    }
    Ok(resultats)
}
