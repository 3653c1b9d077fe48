//! The resolver's candidates as JSON: one documented contract shared by `benkan resolve
//! --json` and `GET /api/v1/recherche`.

use serde::Serialize;

use super::{Candidat, Raison, Resolution, UniteConnue};

/// One candidate; the field names are a documented contract (README, OpenAPI).
#[derive(Serialize)]
pub struct CandidatJson<'a> {
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

/// The candidates of `resolution`, best first.
pub fn candidats<'a>(resolution: &'a Resolution<'a>) -> Vec<CandidatJson<'a>> {
    resolution
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
        .collect()
}

/// The current units a former one became (not itself).
pub fn successeurs<'a>(c: &'a Candidat<'a>) -> impl Iterator<Item = &'a UniteConnue> {
    c.successeurs_actuels
        .iter()
        .copied()
        .filter(|s| s.id != c.unite.id)
}
