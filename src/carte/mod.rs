//! The map of Mali: the communes, cercles and régions of the COD-AB boundaries (DNCT / OCHA,
//! 2015), simplified and compiled into the binary, tied to benkan's codes, and drawn as SVG
//! on the server so that a page shows its territory without JavaScript, tiles or internet.
//!
//! The data files are prepared by `data/carte/prepare.mjs` and the P-code ↔ benkan code
//! correspondence by [`correspondance`]; `data/carte/README.md` says where they come from
//! and what does not match.

mod chargement;
pub mod classes;
pub mod correspondance;
pub mod dessin;
pub mod geojson;
pub mod svg;

use std::collections::HashMap;
use std::sync::LazyLock;

use geo::{Contains, MultiPolygon, Point};
use rstar::{AABB, RTree, primitives::GeomWithData, primitives::Rectangle};

use crate::model::PointAction;

/// Shown under every map: the boundaries are not ours.
pub const CREDIT: &str = "Limites administratives : DNCT Mali / OCHA, COD-AB 2015";

/// The levels the map knows, from the widest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Echelon {
    Region,
    Cercle,
    Commune,
}

impl Echelon {
    pub const TOUS: [Echelon; 3] = [Echelon::Region, Echelon::Cercle, Echelon::Commune];

    /// The word used in URLs (`?niveau=cercle`) and file names.
    pub fn cle(self) -> &'static str {
        match self {
            Echelon::Region => "region",
            Echelon::Cercle => "cercle",
            Echelon::Commune => "commune",
        }
    }

    pub fn depuis_cle(cle: &str) -> Option<Echelon> {
        Echelon::TOUS.into_iter().find(|e| e.cle() == cle)
    }

    /// In French, plural, for titles (« par cercle »).
    pub fn libelle(self) -> &'static str {
        match self {
            Echelon::Region => "région",
            Echelon::Cercle => "cercle",
            Echelon::Commune => "commune",
        }
    }
}

/// One unit of the map.
#[derive(Debug)]
pub struct Zone {
    pub echelon: Echelon,
    /// The COD P-code (`ML0101`); empty for Ménaka, a région that the 2015 data lacks.
    pub pcode: String,
    /// The name as OCHA writes it.
    pub nom_cod: String,
    /// benkan's name of the unit it draws, else OCHA's.
    pub nom: String,
    /// benkan's code of the unit it draws, when the correspondence found one.
    pub code: Option<String>,
    /// Its place in its level's list.
    index: usize,
    /// The enclosing zone one level up, as an index into that level's list.
    parent: Option<usize>,
    pub forme: MultiPolygon<f64>,
}

impl Zone {
    /// Its level as a reader says it: the district of Bamako is drawn among the régions but
    /// is not one.
    pub fn niveau(&self) -> &'static str {
        if self.code.as_deref() == Some("ML-BKO") {
            "district"
        } else {
            self.echelon.libelle()
        }
    }
}

/// Every zone of every level, with the indexes to find them.
pub struct Carte {
    pub pays: MultiPolygon<f64>,
    regions: Vec<Zone>,
    cercles: Vec<Zone>,
    communes: Vec<Zone>,
    par_code: HashMap<String, (Echelon, usize)>,
    par_pcode: HashMap<String, (Echelon, usize)>,
    /// The communes' bounding boxes, to test a point against a handful of polygons only.
    index_communes: RTree<GeomWithData<Rectangle<[f64; 2]>, usize>>,
    /// The communes drawn to about 50 m, to place points: (commune index, shape).
    precises: Vec<(usize, MultiPolygon<f64>)>,
}

static CARTE: LazyLock<Carte> = LazyLock::new(chargement::charger);

/// The map, loaded from the embedded files on first use.
pub fn carte() -> &'static Carte {
    &CARTE
}

/// benkan's code for a COD P-code (`ML0101` → `ML-1-KAYES`), if the correspondence has one.
pub fn code_du_pcode(pcode: &str) -> Option<&'static str> {
    let carte = carte();
    let (echelon, i) = *carte.par_pcode.get(pcode.trim())?;
    carte.zones(echelon)[i].code.as_deref()
}

/// benkan's code of the commune whose polygon contains the point, `None` outside Mali (or in
/// the rare commune that matches no benkan unit). Borders are simplified to about 50 m.
pub fn commune_du_point(lon: f64, lat: f64) -> Option<&'static str> {
    let carte = carte();
    carte
        .commune_contenant(lon, lat)
        .and_then(|i| carte.communes[i].code.as_deref())
}

/// benkan's code of the unit a point is attached to: the commune whose polygon contains it,
/// or, in the few communes the correspondence could not match (data/carte/README.md), the
/// nearest unit around it that has a code; `None` outside Mali.
pub fn unite_du_point(lon: f64, lat: f64) -> Option<&'static str> {
    let carte = carte();
    let i = carte.commune_contenant(lon, lat)?;
    carte.code_autour(&carte.communes[i])
}

/// An action's point attached to its unit ([`unite_du_point`]): what every entry (form, API,
/// CSV import) does before the store writes the point, since the store cannot see the map.
pub fn situer(mut point: PointAction) -> PointAction {
    point.commune = unite_du_point(point.longitude, point.latitude).map(str::to_owned);
    point
}

impl Carte {
    /// benkan's code of the zone, else of the nearest zone around it that has one.
    pub fn code_autour<'a>(&'a self, zone: &'a Zone) -> Option<&'a str> {
        self.lignee(zone)
            .into_iter()
            .rev()
            .find_map(|z| z.code.as_deref())
    }

    pub fn zones(&self, echelon: Echelon) -> &[Zone] {
        match echelon {
            Echelon::Region => &self.regions,
            Echelon::Cercle => &self.cercles,
            Echelon::Commune => &self.communes,
        }
    }

    /// The zone drawing a benkan unit.
    pub fn zone(&self, code: &str) -> Option<&Zone> {
        let (echelon, i) = *self.par_code.get(code)?;
        Some(&self.zones(echelon)[i])
    }

    /// The zone one level up.
    pub fn parent(&self, zone: &Zone) -> Option<&Zone> {
        let echelon = match zone.echelon {
            Echelon::Region => return None,
            Echelon::Cercle => Echelon::Region,
            Echelon::Commune => Echelon::Cercle,
        };
        zone.parent.map(|i| &self.zones(echelon)[i])
    }

    /// The zones one level down.
    pub fn enfants<'a>(&'a self, zone: &'a Zone) -> impl Iterator<Item = &'a Zone> + 'a {
        let niveau = match zone.echelon {
            Echelon::Region => Some(Echelon::Cercle),
            Echelon::Cercle => Some(Echelon::Commune),
            Echelon::Commune => None,
        };
        niveau.into_iter().flat_map(move |e| {
            self.zones(e)
                .iter()
                .filter(move |z| z.parent == Some(zone.index))
        })
    }

    /// The index of the commune containing the point.
    pub fn commune_contenant(&self, lon: f64, lat: f64) -> Option<usize> {
        if !lon.is_finite() || !lat.is_finite() {
            return None;
        }
        let point = Point::new(lon, lat);
        self.index_communes
            .locate_all_at_point(&[lon, lat])
            .map(|r| &self.precises[r.data])
            .find(|(_, forme)| forme.contains(&point))
            .map(|(commune, _)| *commune)
    }

    /// The zones that a benkan unit's map shows around it: itself and its ancestors, widest
    /// first.
    pub fn lignee<'a>(&'a self, zone: &'a Zone) -> Vec<&'a Zone> {
        let mut lignee = vec![zone];
        while let Some(parent) = self.parent(lignee[lignee.len() - 1]) {
            lignee.push(parent);
        }
        lignee.reverse();
        lignee
    }
}

/// The bounding box of a shape, for the R-tree.
fn enveloppe(forme: &MultiPolygon<f64>) -> Option<Rectangle<[f64; 2]>> {
    use geo::BoundingRect;
    let r = forme.bounding_rect()?;
    Some(Rectangle::from_aabb(AABB::from_corners(
        [r.min().x, r.min().y],
        [r.max().x, r.max().y],
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chaque_niveau_est_charge_et_relie_a_son_parent() {
        let c = carte();
        assert_eq!(c.zones(Echelon::Region).len(), 10);
        assert_eq!(c.zones(Echelon::Cercle).len(), 50);
        assert_eq!(c.zones(Echelon::Commune).len(), 701);
        let kayes = c.zone("ML-1").unwrap();
        assert_eq!(c.enfants(kayes).count(), 7);
        let menaka = c.zone("ML-9").unwrap();
        assert_eq!(menaka.pcode, "");
        let cercles: Vec<_> = c.enfants(menaka).map(|z| z.pcode.as_str()).collect();
        assert_eq!(cercles, ["ML0704"]);
        let yelimane = c.zone("ML-1-YELIMANE").unwrap();
        let lignee: Vec<_> = c
            .lignee(c.enfants(yelimane).next().unwrap())
            .iter()
            .map(|z| z.echelon)
            .collect();
        assert_eq!(lignee, [Echelon::Region, Echelon::Cercle, Echelon::Commune]);
    }

    #[test]
    fn un_point_trouve_sa_commune_et_pas_hors_du_mali() {
        assert_eq!(
            commune_du_point(-11.4389, 14.4485),
            Some("ML-1-KAYES-KAYES")
        );
        assert!(
            commune_du_point(-8.00, 12.64)
                .unwrap()
                .starts_with("ML-BKO-COMMUNE-")
        );
        // The national centroid that publishers use for « Mali » falls in the Goundam cercle.
        assert!(
            commune_du_point(-3.99, 17.57)
                .unwrap()
                .starts_with("ML-6-GOUNDAM-")
        );
        assert_eq!(commune_du_point(-17.44, 14.69), None, "Dakar");
        assert_eq!(commune_du_point(f64::NAN, 14.0), None);
    }

    #[test]
    fn un_point_d_une_commune_sans_code_va_a_son_cercle() {
        let c = carte();
        // Chantoula (ML030403) matches no benkan commune: its points go to Yanfolila's cercle.
        let chantoula = c
            .zones(Echelon::Commune)
            .iter()
            .find(|z| z.pcode == "ML030403")
            .unwrap();
        assert_eq!(chantoula.code, None);
        let (lon, lat) = c
            .precises
            .iter()
            .find(|(i, _)| *i == chantoula.index)
            .and_then(|(_, forme)| geo::InteriorPoint::interior_point(forme))
            .map(|p| (p.x(), p.y()))
            .unwrap();
        assert_eq!(commune_du_point(lon, lat), None);
        let cercle = unite_du_point(lon, lat).unwrap();
        assert_eq!(
            Some(cercle),
            c.parent(chantoula).and_then(|z| z.code.as_deref())
        );
        assert_eq!(unite_du_point(-11.4389, 14.4485), Some("ML-1-KAYES-KAYES"));
        let puits = situer(PointAction::nouveau(14.4485, -11.4389, None).unwrap());
        assert_eq!(puits.commune.as_deref(), Some("ML-1-KAYES-KAYES"));
        let dakar = situer(PointAction::nouveau(14.69, -17.44, None).unwrap());
        assert_eq!(dakar.commune, None);
    }

    #[test]
    fn les_p_codes_menent_aux_codes_benkan() {
        assert_eq!(code_du_pcode("ML01"), Some("ML-1"));
        assert_eq!(code_du_pcode("ML0107"), Some("ML-1-YELIMANE"));
        assert_eq!(code_du_pcode("ML0901"), Some("ML-BKO"));
        assert_eq!(code_du_pcode("ML0704"), Some("ML-9-MENAKA"));
        assert_eq!(code_du_pcode("ML99"), None);
    }
}
