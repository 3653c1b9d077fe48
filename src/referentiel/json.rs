//! The resolver's candidates as JSON: one documented contract shared by `benkan resolve
//! --json` and `GET /api/v1/recherche`.

use serde::Serialize;

use super::{Candidat, Portee, Raison, Resolution, UniteConnue};

/// One candidate; the field names are a documented contract (README, OpenAPI).
#[derive(Serialize)]
pub struct CandidatJson<'a> {
    country: &'a str,
    /// A collectivité's level, or `localite`.
    level: &'a str,
    /// The official code; a localité's COD P-code.
    code: Option<&'a str>,
    name: &'a str,
    /// The collectivité it lies in: a localité's commune.
    parent: Option<&'a str>,
    parent_code: Option<&'a str>,
    /// As in /collectivites/{id}: the page a localité's search result opens.
    parent_id: Option<i64>,
    current: bool,
    /// Codes of the current units a former one leads to.
    successors: Vec<Option<&'a str>>,
    score: f64,
    reason: Raison,
    /// Several candidates are equally plausible.
    ambiguous: bool,
    /// A collectivité's identifier, as in /collectivites/{id}; null for a localité, which
    /// has no page of its own (its P-code is `code`, its commune `parent_id`), so that no
    /// program takes a village's number for a collectivité's.
    id: Option<i64>,
}

/// The candidates of `resolution`, best first.
pub fn candidats<'a>(resolution: &'a Resolution<'a>) -> Vec<CandidatJson<'a>> {
    resolution
        .candidats
        .iter()
        .map(|c| {
            let parent = c.dans.first();
            let commun = CandidatJson {
                country: c.unite.pays.code(),
                level: c.unite.niveau.code(),
                code: c.unite.code.as_deref(),
                name: &c.unite.nom,
                parent: c.unite.parent_nom.as_deref(),
                parent_code: parent.and_then(|p| p.code.as_deref()),
                parent_id: parent.map(|p| p.id.0),
                current: c.unite.actuelle(),
                successors: successeurs(c).map(|s| s.code.as_deref()).collect(),
                score: c.score,
                reason: c.raison,
                ambiguous: resolution.ambigu,
                id: Some(c.unite.id.0),
            };
            match c.localite {
                None => commun,
                Some(l) => CandidatJson {
                    level: Portee::LOCALITE,
                    code: Some(&l.pcode),
                    name: &l.nom,
                    parent: parent.map(|p| p.nom.as_str()),
                    current: true,
                    successors: Vec::new(),
                    id: None,
                    ..commun
                },
            }
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
