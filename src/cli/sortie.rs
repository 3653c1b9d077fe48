//! How `benkan resolve` writes its candidates: French text for a person, JSON for a program.

use crate::referentiel::Resolution;
use crate::referentiel::json::{self, successeurs};

/// The candidates as the JSON contract of `referentiel::json`, shared with the API.
pub fn json(resolution: &Resolution<'_>) -> serde_json::Result<String> {
    serde_json::to_string_pretty(&json::candidats(resolution))
}

pub fn texte(requete: &str, resolution: &Resolution<'_>) -> String {
    if resolution.candidats.is_empty() {
        return format!("Aucune collectivité ni localité connue ne ressemble à « {requete} ».");
    }
    let mut lignes = vec![match (resolution.candidats.len(), resolution.ambigu) {
        (1, _) => format!("« {requete} » : 1 candidat."),
        (n, false) => format!("« {requete} » : {n} candidats, le meilleur d'abord."),
        (n, true) => format!(
            "« {requete} » : {n} candidats — ambigu : plusieurs sont également plausibles, choisissez."
        ),
    }];
    for (rang, c) in resolution.candidats.iter().enumerate() {
        let u = c.unite;
        let score = format!("{:.2}", c.score).replace('.', ",");
        if let Some(l) = c.localite {
            // « Worofara (localité, commune de Siby, cercle de Kati) »
            let dans: Vec<String> = c.dans.iter().take(2).map(|d| d.designation()).collect();
            lignes.push(format!(
                "{:>2}. {} (localité, {}) — {} ({}) — {} ({score})",
                rang + 1,
                l.nom,
                dans.join(", "),
                u.pays.nom(),
                l.pcode,
                c.raison.libelle()
            ));
            continue;
        }
        let mut ligne = format!(
            "{:>2}. {} — {}, {}",
            rang + 1,
            u.nom,
            u.niveau_affiche().to_lowercase(),
            u.pays.nom()
        );
        if let Some(code) = &u.code {
            ligne.push_str(&format!(" ({code})"));
        }
        if let Some(parent) = &u.parent_nom {
            ligne.push_str(&format!(", dans {parent}"));
        }
        if !u.actuelle() {
            let suite: Vec<String> = successeurs(c)
                .map(|s| {
                    format!(
                        "{}{}",
                        s.nom,
                        s.code
                            .as_deref()
                            .map(|k| format!(" ({k})"))
                            .unwrap_or_default()
                    )
                })
                .collect();
            if suite.is_empty() {
                ligne.push_str(" — n'existe plus");
            } else {
                ligne.push_str(&format!(" — n'existe plus, devenue {}", suite.join(" et ")));
            }
        }
        ligne.push_str(&format!(" — {} ({score})", c.raison.libelle()));
        lignes.push(ligne);
    }
    lignes.join("\n")
}
