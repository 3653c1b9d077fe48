//! Reading the embedded map files: GeoJSON written by `data/carte/prepare.mjs` and the
//! correspondence table written by [`super::correspondance`].

use std::collections::HashMap;

use geo::{LineString, MultiPolygon, Polygon};
use rstar::RTree;
use rstar::primitives::GeomWithData;
use serde::Deserialize;

use super::{Carte, Echelon, Zone, enveloppe};
use crate::referentiel;

const REGIONS: &str = include_str!("../../data/carte/regions.geojson");
const CERCLES: &str = include_str!("../../data/carte/cercles.geojson");
const COMMUNES: &str = include_str!("../../data/carte/communes.geojson");
const COMMUNES_PRECISES: &str = include_str!("../../data/carte/communes-precises.geojson");
const PAYS: &str = include_str!("../../data/carte/mali.geojson");

#[derive(Deserialize)]
struct Collection {
    features: Vec<Entite>,
}

#[derive(Deserialize)]
struct Entite {
    properties: Proprietes,
    geometry: Geometrie,
}

/// The properties the preparation writes: `pcode`, `nom`, and the parent as `pcode_parent`
/// (communes), `region` (cercles, a benkan code) or the benkan `code` itself (régions).
#[derive(Deserialize, Default)]
pub(super) struct Proprietes {
    #[serde(default)]
    pub pcode: String,
    #[serde(default)]
    pub nom: String,
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub pcode_parent: Option<String>,
    #[serde(default)]
    pub region: Option<String>,
}

#[derive(Deserialize)]
#[serde(tag = "type", content = "coordinates")]
enum Geometrie {
    Polygon(Vec<Vec<[f64; 2]>>),
    MultiPolygon(Vec<Vec<Vec<[f64; 2]>>>),
}

fn polygone(anneaux: Vec<Vec<[f64; 2]>>) -> Polygon<f64> {
    let mut anneaux = anneaux
        .into_iter()
        .map(|a| LineString::from(a.into_iter().map(|[x, y]| (x, y)).collect::<Vec<_>>()));
    let exterieur = anneaux
        .next()
        .unwrap_or_else(|| LineString::new(Vec::new()));
    Polygon::new(exterieur, anneaux.collect())
}

impl From<Geometrie> for MultiPolygon<f64> {
    fn from(g: Geometrie) -> Self {
        match g {
            Geometrie::Polygon(p) => MultiPolygon::new(vec![polygone(p)]),
            Geometrie::MultiPolygon(ps) => {
                MultiPolygon::new(ps.into_iter().map(polygone).collect())
            }
        }
    }
}

/// The features of one embedded file. The files are ours and checked by the tests: a
/// broken one is a build defect, so this panics with its name rather than limp on.
fn lire(nom: &str, texte: &str) -> Vec<(Proprietes, MultiPolygon<f64>)> {
    let collection: Collection =
        serde_json::from_str(texte).unwrap_or_else(|e| panic!("data/carte/{nom} illisible : {e}"));
    collection
        .features
        .into_iter()
        .map(|e| (e.properties, e.geometry.into()))
        .collect()
}

/// The cercles and communes as the COD names them, for the correspondence.
pub(super) fn unites_cod() -> (Vec<Proprietes>, Vec<Proprietes>) {
    let proprietes = |nom, texte| lire(nom, texte).into_iter().map(|(p, _)| p).collect();
    (
        proprietes("cercles.geojson", CERCLES),
        proprietes("communes.geojson", COMMUNES),
    )
}

/// P-code → benkan code and name, from the embedded correspondence (none: no benkan unit).
fn correspondance() -> HashMap<String, Option<(String, String)>> {
    referentiel::correspondance_cod()
        .unwrap_or_else(|e| panic!("data/carte/correspondance.csv illisible : {e}"))
        .into_iter()
        .map(|l| (l.pcode, (!l.code.is_empty()).then_some((l.code, l.nom))))
        .collect()
}

pub(super) fn charger() -> Carte {
    let codes = correspondance();
    let code_de = |pcode: &str| codes.get(pcode).cloned().flatten();
    let mut par_code = HashMap::new();
    let mut par_pcode = HashMap::new();
    let mut zones = |echelon: Echelon,
                     entites: Vec<(Proprietes, MultiPolygon<f64>)>,
                     parent: &dyn Fn(&Proprietes) -> Option<usize>| {
        entites
            .into_iter()
            .enumerate()
            .map(|(index, (p, forme))| {
                let (code, nom) = match echelon {
                    Echelon::Region => (p.code.clone(), p.nom.clone()),
                    _ => match code_de(&p.pcode) {
                        Some((code, nom)) => (Some(code), nom),
                        None => (None, p.nom.clone()),
                    },
                };
                if let Some(code) = &code {
                    par_code.entry(code.clone()).or_insert((echelon, index));
                }
                if !p.pcode.is_empty() {
                    par_pcode.insert(p.pcode.clone(), (echelon, index));
                }
                Zone {
                    echelon,
                    parent: parent(&p),
                    pcode: p.pcode,
                    nom_cod: p.nom,
                    nom,
                    code,
                    index,
                    forme,
                }
            })
            .collect::<Vec<_>>()
    };
    let regions = zones(Echelon::Region, lire("regions.geojson", REGIONS), &|_| None);
    let rang_region: HashMap<_, _> = regions
        .iter()
        .filter_map(|z| Some((z.code.clone()?, z.index)))
        .collect();
    let cercles = zones(Echelon::Cercle, lire("cercles.geojson", CERCLES), &|p| {
        rang_region.get(p.region.as_ref()?).copied()
    });
    let rang_cercle: HashMap<_, _> = cercles.iter().map(|z| (z.pcode.clone(), z.index)).collect();
    let communes = zones(Echelon::Commune, lire("communes.geojson", COMMUNES), &|p| {
        rang_cercle.get(p.pcode_parent.as_ref()?).copied()
    });
    let pays = lire("mali.geojson", PAYS)
        .into_iter()
        .next()
        .map(|(_, forme)| forme)
        .unwrap_or_else(|| MultiPolygon::new(Vec::new()));
    let rang_commune: HashMap<_, _> = communes
        .iter()
        .map(|z| (z.pcode.clone(), z.index))
        .collect();
    let mut precises = Vec::with_capacity(communes.len());
    let mut index = Vec::with_capacity(communes.len());
    for (p, forme) in lire("communes-precises.geojson", COMMUNES_PRECISES) {
        if let (Some(&commune), Some(cadre)) = (rang_commune.get(&p.pcode), enveloppe(&forme)) {
            index.push(GeomWithData::new(cadre, precises.len()));
            precises.push((commune, forme));
        }
    }
    let index_communes = RTree::bulk_load(index);
    Carte {
        pays,
        regions,
        cercles,
        communes,
        par_code,
        par_pcode,
        index_communes,
        precises,
    }
}
