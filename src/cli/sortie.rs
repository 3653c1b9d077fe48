//! How `benkan resolve` writes its candidates: French text for a person, JSON for a program.

use serde::Serialize;

use crate::referentiel::{Candidat, Raison, Resolution};

/// One candidate of `benkan resolve --json`; the field names are a documented contract.
#[derive(Serialize)]
struct CandidatJson<'a> {
    country: &'a str,
    level: &'a str,
    code: Option<&'a str>,
    name: &'a str,
    parent: Option<&'a str>,
    current: bool,
    /// Codes of the current units a former one leads to.
    successors: Vec<Option<&'a str>>,
    score: f64,
    reason: Raison,
    /// Several candidates are equally plausible.
    ambiguous: bool,
    /// benkan's own identifier, as in /collectivites/{id}.
    id: i64,
}

pub fn json(resolution: &Resolution<'_>) -> serde_json::Result<String> {
    let elements: Vec<CandidatJson<'_>> = resolution
        .candidats
        .iter()
        .map(|c| CandidatJson {
            country: c.unite.pays.code(),
            level: c.unite.niveau.code(),
            code: c.unite.code.as_deref(),
            name: &c.unite.nom,
            parent: c.unite.parent_nom.as_deref(),
            current: c.unite.actuelle(),
            successors: successeurs(c).map(|s| s.code.as_deref()).collect(),
            score: c.score,
            reason: c.raison,
            ambiguous: resolution.ambigu,
            id: c.unite.id.0,
        })
        .collect();
    serde_json::to_string_pretty(&elements)
}

fn successeurs<'a>(
    c: &'a Candidat<'a>,
) -> impl Iterator<Item = &'a crate::referentiel::UniteConnue> {
    c.successeurs_actuels
        .iter()
        .copied()
        .filter(|s| s.id != c.unite.id)
}

pub fn texte(requete: &str, resolution: &Resolution<'_>) -> String {
    if resolution.candidats.is_empty() {
        return format!("Aucune collectivité connue ne ressemble à « {requete} ».");
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
        let score = format!("{:.2}", c.score).replace('.', ",");
        ligne.push_str(&format!(" — {} ({score})", c.raison.libelle()));
        lignes.push(ligne);
    }
    lignes.join("\n")
}
