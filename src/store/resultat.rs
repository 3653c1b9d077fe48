//! The results of actions (migration 0023): read with their periods, and replaced as a
//! whole — a result is never updated in place, so that what the journal records is the
//! action's list of results before and after.

use rusqlite::{Connection, params};
use time::Date;

use super::{Result, atomique, validation};
use crate::model::{
    ActionId, CompteId, Mesure, PeriodeMesuree, Resultat, ResultatId, Unite, Valeur,
};
use crate::store::sql::{code, executer};

/// The results of an action, in their order, each with its periods by date.
pub fn de_l_action(conn: &Connection, action: ActionId) -> Result<Vec<(ResultatId, Resultat)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, indicateur, libelle, unite, base_pas, base_date, cible_pas, cible_date
         FROM resultat WHERE action_id = ?1 ORDER BY rang",
    )?;
    let lignes = stmt.query_map([action.0], |r| {
        let unite: Unite = code(r, "unite")?;
        let valeur = |pas: Option<i64>| pas.map(|pas| Valeur { unite, pas });
        let mesure = match r.get::<_, Option<String>>("indicateur")? {
            Some(code) => Mesure::Catalogue(code),
            None => Mesure::Libre {
                libelle: r.get("libelle")?,
                unite,
            },
        };
        let base = valeur(r.get("base_pas")?).zip(r.get::<_, Option<Date>>("base_date")?);
        let cible_date: Option<Date> = r.get("cible_date")?;
        let cible = valeur(r.get("cible_pas")?).map(|v| (v, cible_date));
        Ok((
            ResultatId(r.get("id")?),
            Resultat {
                mesure,
                base,
                cible,
                periodes: Vec::new(),
            },
        ))
    })?;
    let mut resultats = lignes.collect::<rusqlite::Result<Vec<_>>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT debut, fin, valeur_pas, femmes, hommes, commentaire, source
         FROM resultat_periode WHERE resultat_id = ?1 ORDER BY debut, fin",
    )?;
    for (id, resultat) in &mut resultats {
        let unite = resultat.mesure.unite();
        resultat.periodes = stmt
            .query_map([id.0], |r| {
                Ok(PeriodeMesuree {
                    debut: r.get("debut")?,
                    fin: r.get("fin")?,
                    valeur: Valeur {
                        unite,
                        pas: r.get("valeur_pas")?,
                    },
                    femmes: r.get("femmes")?,
                    hommes: r.get("hommes")?,
                    commentaire: r.get("commentaire")?,
                    source: r.get("source")?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
    }
    Ok(resultats)
}

/// Writes `resultats` in the place of the action's results, in one transaction.
pub fn remplacer(conn: &Connection, action: ActionId, resultats: &[Resultat]) -> Result<()> {
    atomique(conn, || {
        executer(
            conn,
            "DELETE FROM resultat WHERE action_id = ?1",
            [action.0],
        )?;
        for (rang, r) in resultats.iter().enumerate() {
            let (indicateur, libelle) = match &r.mesure {
                Mesure::Catalogue(code) => (Some(code.as_str()), None),
                Mesure::Libre { libelle, .. } => (None, Some(libelle.as_str())),
            };
            executer(
                conn,
                "INSERT INTO resultat (action_id, rang, indicateur, libelle, unite, base_pas,
                                       base_date, cible_pas, cible_date)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    action.0,
                    rang as i64,
                    indicateur,
                    libelle,
                    r.mesure.unite().code(),
                    r.base.map(|(v, _)| v.pas),
                    r.base.map(|(_, d)| d),
                    r.cible.map(|(v, _)| v.pas),
                    r.cible.and_then(|(_, d)| d),
                ],
            )?;
            let id = conn.last_insert_rowid();
            for p in &r.periodes {
                executer(
                    conn,
                    "INSERT INTO resultat_periode (resultat_id, debut, fin, valeur_pas, femmes,
                                                   hommes, commentaire, source)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    params![
                        id,
                        p.debut,
                        p.fin,
                        p.valeur.pas,
                        p.femmes,
                        p.hommes,
                        p.commentaire,
                        p.source
                    ],
                )?;
            }
        }
        Ok(())
    })
}

/// An account changes an action's results: journalled with the action's values before and
/// after, and sent back to review when an authority made it (`resoumettre`).
pub fn modifier(
    conn: &Connection,
    action: ActionId,
    compte: CompteId,
    resoumettre: bool,
    resultats: &[Resultat],
) -> Result<()> {
    validation::modifier(
        conn,
        validation::Objet::Action(action),
        compte,
        resoumettre,
        || remplacer(conn, action, resultats),
    )
}

/// What the public actions that concern a collectivité achieved, for one indicator of the
/// catalogue (an action's own indicators do not add up across actions, nor percentages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Realisation {
    /// The catalogue's code.
    pub indicateur: String,
    pub unite: Unite,
    /// How many actions measure it.
    pub actions: u64,
    /// The sum of the values measured.
    pub atteint: Valeur,
    /// Of which women and men, where counted.
    pub femmes: i64,
    pub hommes: i64,
    /// The sum of the targets, over the actions that have one.
    pub cible: Option<Valeur>,
    /// What those same actions achieved, to set against `cible`.
    pub atteint_vers_cible: Valeur,
}

impl Realisation {
    pub fn libelle(&self) -> &str {
        crate::model::indicateur(&self.indicateur).map_or(self.indicateur.as_str(), |i| &i.libelle)
    }

    /// Achieved over target, in thousandths, counting only the actions with a target.
    pub fn progression_pour_mille(&self) -> Option<i64> {
        crate::model::progression_pour_mille(self.atteint_vers_cible, self.cible?)
    }
}

/// The catalogue indicators measured by the public actions that concern `zone` (those of
/// its partenariats and those on its territory, as `action_zone` lists them), summed.
pub fn realisations_de_la_zone(
    conn: &Connection,
    zone: crate::model::CollectiviteId,
) -> Result<Vec<Realisation>> {
    let mut stmt = conn.prepare_cached(
        "SELECT r.indicateur, r.unite, count(DISTINCT r.action_id) AS actions,
                coalesce(sum(m.valeur), 0) AS atteint,
                coalesce(sum(m.femmes), 0) AS femmes, coalesce(sum(m.hommes), 0) AS hommes,
                sum(r.cible_pas) AS cible,
                coalesce(sum(CASE WHEN r.cible_pas IS NOT NULL THEN m.valeur END), 0) AS vers_cible
         FROM action_zone z
         JOIN resultat r ON r.action_id = z.action_id
         LEFT JOIN (SELECT resultat_id, sum(valeur_pas) AS valeur, sum(femmes) AS femmes,
                           sum(hommes) AS hommes
                    FROM resultat_periode GROUP BY resultat_id) m ON m.resultat_id = r.id
         WHERE z.collectivite_id = ?1 AND r.indicateur IS NOT NULL AND r.unite <> 'pourcentage'
         GROUP BY r.indicateur, r.unite
         ORDER BY r.indicateur",
    )?;
    let lignes = stmt.query_map([zone.0], |r| {
        let unite: Unite = code(r, "unite")?;
        let valeur = |pas: i64| Valeur { unite, pas };
        Ok(Realisation {
            indicateur: r.get("indicateur")?,
            unite,
            actions: r.get("actions")?,
            atteint: valeur(r.get("atteint")?),
            femmes: r.get("femmes")?,
            hommes: r.get("hommes")?,
            cible: r.get::<_, Option<i64>>("cible")?.map(valeur),
            atteint_vers_cible: valeur(r.get("vers_cible")?),
        })
    })?;
    Ok(lignes.collect::<rusqlite::Result<_>>()?)
}

/// The results as the journal records them, inside the action's snapshot: one line each,
/// as a person reads it (« Élus et agents formés — cible 40 personnes ; du 2024-01-01 au
/// 2024-12-31 : 30 personnes (12 femmes, 18 hommes) »), so that the history says what
/// changed.
pub(super) fn instantane(conn: &Connection, action: ActionId) -> Result<serde_json::Value> {
    let lignes: Vec<String> = de_l_action(conn, action)?
        .into_iter()
        .map(|(_, r)| {
            let mut parties = Vec::new();
            if let Some((v, d)) = r.base {
                parties.push(format!("départ {v} au {d}"));
            }
            if let Some((v, d)) = r.cible {
                parties.push(match d {
                    Some(d) => format!("cible {v} au {d}"),
                    None => format!("cible {v}"),
                });
            }
            for p in &r.periodes {
                let mut mesure = format!("du {} au {} : {}", p.debut, p.fin, p.valeur);
                if p.femmes.is_some() || p.hommes.is_some() {
                    mesure.push_str(&format!(
                        " ({} femmes, {} hommes)",
                        p.femmes.map_or("?".to_owned(), |n| n.to_string()),
                        p.hommes.map_or("?".to_owned(), |n| n.to_string())
                    ));
                }
                if let Some(source) = &p.source {
                    mesure.push_str(&format!(", source : {source}"));
                }
                parties.push(mesure);
            }
            match parties.is_empty() {
                true => r.mesure.libelle().to_owned(),
                false => format!("{} — {}", r.mesure.libelle(), parties.join(" ; ")),
            }
        })
        .collect();
    Ok(serde_json::json!(lignes))
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;
    use crate::model::{Email, NouveauResultat, NouvellePeriode, Role};
    use crate::store::{Connexion, Store, compte, essai};

    /// A database with one action of a partenariat Kayes – Angers, and an administrator.
    fn monde() -> (tempfile::TempDir, Store, Connexion, ActionId, CompteId) {
        let (dossier, store) = essai::base();
        let conn = store.connexion().unwrap();
        let action = essai::puits_de_kayes(&conn);
        let admin = compte::creer(
            &conn,
            &Email::new("admin@mdat.ml").unwrap(),
            "$argon2id$v=19$m=19456,t=2,p=1$c2VsZGVzc2Fp$aGFjaGU",
            Role::AdminNational,
            &[],
            &[],
        )
        .unwrap();
        (dossier, store, conn, action, admin)
    }

    fn resultat(indicateur: &str, cible: &str, periodes: &[(&str, &str, &str)]) -> Resultat {
        NouveauResultat {
            indicateur: indicateur.to_owned(),
            cible: cible.to_owned(),
            // one year each: a period is measured once
            periodes: periodes
                .iter()
                .zip(2024..)
                .map(|((valeur, femmes, hommes), annee)| NouvellePeriode {
                    debut: Date::from_calendar_date(annee, time::Month::January, 1).ok(),
                    fin: Date::from_calendar_date(annee, time::Month::December, 31).ok(),
                    valeur: (*valeur).to_owned(),
                    femmes: (*femmes).to_owned(),
                    hommes: (*hommes).to_owned(),
                    ..NouvellePeriode::default()
                })
                .collect(),
            ..NouveauResultat::default()
        }
        .valider(true)
        .unwrap()
    }

    #[test]
    fn results_are_written_read_back_and_journalled_with_their_action() {
        let (_dossier, _store, conn, action, admin) = monde();
        let resultats = vec![
            resultat("EAU-01", "12", &[("5", "", ""), ("3", "", "")]),
            resultat("GOU-01", "40", &[("30", "12", "18")]),
            NouveauResultat {
                libelle: "Moulins à grain installés".to_owned(),
                unite: "nombre".to_owned(),
                base: "1".to_owned(),
                base_date: Some(date!(2022 - 06 - 01)),
                ..NouveauResultat::default()
            }
            .valider(true)
            .unwrap(),
        ];
        modifier(&conn, action, admin, false, &resultats).unwrap();
        let lus: Vec<Resultat> = de_l_action(&conn, action)
            .unwrap()
            .into_iter()
            .map(|(_, r)| r)
            .collect();
        assert_eq!(lus.len(), 3);
        assert_eq!(lus[0].atteint().unwrap().pas, 8);
        assert_eq!(lus[1].periodes[0].femmes, Some(12));
        assert_eq!(lus[2].mesure.libelle(), "Moulins à grain installés");
        // the journal holds the results before (none) and after
        let apres: String = conn
            .query_row(
                "SELECT apres FROM journal WHERE objet = 'action' AND operation = 'modification' ORDER BY id DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(apres.contains("Élus et agents formés"), "{apres}");
        // replaced as a whole
        modifier(&conn, action, admin, false, &lus[..1]).unwrap();
        assert_eq!(de_l_action(&conn, action).unwrap().len(), 1);
        let periodes: i64 = conn
            .query_row("SELECT count(*) FROM resultat_periode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(periodes, 2, "the periods of removed results are gone");
    }

    #[test]
    fn the_schema_checks_again_what_the_model_checks() {
        let (_dossier, _store, conn, action, admin) = monde();
        modifier(
            &conn,
            action,
            admin,
            false,
            &[
                resultat("GOU-03", "50", &[]),
                resultat("EAU-01", "", &[("4", "", "")]),
            ],
        )
        .unwrap();
        let id = |rang: i64| -> i64 {
            conn.query_row(
                "SELECT id FROM resultat WHERE action_id = ?1 AND rang = ?2",
                params![action.0, rang],
                |r| r.get(0),
            )
            .unwrap()
        };
        let (pourcentage, nombre) = (id(0), id(1));
        for (sql, quoi) in [
            (
                format!(
                    "INSERT INTO resultat_periode (resultat_id, debut, fin, valeur_pas) VALUES ({pourcentage}, '2024-01-01', '2024-02-01', 1001)"
                ),
                "a percentage over 100",
            ),
            (
                format!(
                    "INSERT INTO resultat_periode (resultat_id, debut, fin, valeur_pas, femmes) VALUES ({nombre}, '2024-01-01', '2024-02-01', 10, 4)"
                ),
                "women among wells",
            ),
            (
                format!(
                    "INSERT INTO resultat_periode (resultat_id, debut, fin, valeur_pas) VALUES ({nombre}, '2024-03-01', '2024-02-01', 1)"
                ),
                "an end before the start",
            ),
            (
                format!(
                    "INSERT INTO resultat_periode (resultat_id, debut, fin, valeur_pas) VALUES ({nombre}, '2024-01-01', '2024-02-01', -1)"
                ),
                "a negative value",
            ),
            (
                format!(
                    "INSERT INTO resultat_periode (resultat_id, debut, fin, valeur_pas) VALUES ({nombre}, '2024-01-01', '2024-02-01', 1.5)"
                ),
                "a float",
            ),
            (
                format!("UPDATE resultat SET cible_pas = 1001 WHERE id = {pourcentage}"),
                "a target over 100 %",
            ),
            (
                format!("UPDATE resultat SET base_pas = 3 WHERE id = {nombre}"),
                "a baseline without its date",
            ),
        ] {
            assert!(conn.execute(&sql, []).is_err(), "{quoi} was accepted");
        }
    }
}
