//! What a published `point` says once the publisher's own qualifiers are read. Real files put
//! the country's centroid, marked approximate, on every place of a Mali-wide or multi-région
//! activity: such a point says « Mali », never « the commune it happens to fall in ».
//! docs/iati.md (« Points ») gives the rule for each combination.

use super::activite::PointLu;
use crate::model::PointIati;

/// The centroid real files give Mali (17.57 N, 3.99 W, which falls in a commune of the
/// Goundam cercle), and how far from it an approximate point is taken for the country: 0.6°
/// also covers GeoNames' point for Mali (17 N, 4 W) and Natural Earth's (17.35 N, 3.54 W).
const CENTRE_DU_MALI: (f64, f64) = (17.57, -3.99);
const RAYON_DU_CENTRE: f64 = 0.6;

/// What a point inside Mali stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Sens {
    /// The whole country.
    Pays,
    /// The unit of this rank that contains it (1 région or district, 2 cercle, 3 commune).
    Rang(u8),
}

/// The point, if it can be read: `srsName` absent or WGS 84 (EPSG:4326, as IATI requires),
/// `pos` « latitude longitude », both numbers within the globe, and not 0 0 (a placeholder).
pub(super) fn lire(point: &PointLu) -> Option<PointIati> {
    let wgs84 = point.srs.as_deref().is_none_or(|srs| {
        let srs = srs.to_ascii_uppercase().replace([' ', '_'], "");
        srs.contains("4326") || srs.contains("WGS84")
    });
    if !wgs84 {
        return None;
    }
    let pos = point.pos.as_deref()?.trim();
    // « 14.45 -11.43 »; a few publishers separate them with a comma alone: « 14.45,-11.43 ».
    let mut nombres: Vec<&str> = pos.split_whitespace().collect();
    if nombres.len() == 1 {
        nombres = pos.split(',').collect();
    }
    let [latitude, longitude] = nombres.as_slice() else {
        return None;
    };
    let (latitude, longitude): (f64, f64) = (latitude.parse().ok()?, longitude.parse().ok()?);
    if latitude == 0.0 && longitude == 0.0 {
        return None;
    }
    PointIati::nouveau(latitude, longitude)
}

/// What a point inside Mali stands for, given its `exactness`, `location-class` and
/// `feature-designation`, in this order:
/// 1. a country designation (PCLI and the other PCL codes): the country;
/// 2. a point not marked exact within 0.6° of the national centroid: the country;
/// 3. an administrative designation: the unit of its level (ADM1 and ADMD the région, ADM2
///    the cercle, ADM3 and below the commune);
/// 4. location class 1 (an administrative region) without designation: the région — the
///    point of an area (its centroid, its capital) only says which région it lies in;
/// 5. anything else (exact, populated place, structure, other feature): the commune.
pub(super) fn sens(
    point: PointIati,
    exactitude: Option<&str>,
    classe: Option<&str>,
    designation: Option<&str>,
) -> Sens {
    let designation = designation.map(str::to_ascii_uppercase);
    let designation = designation.as_deref().unwrap_or("");
    if designation.starts_with("PCL") {
        return Sens::Pays;
    }
    let (lat, lon) = CENTRE_DU_MALI;
    let ecart = ((point.latitude - lat).powi(2) + (point.longitude - lon).powi(2)).sqrt();
    if exactitude != Some("1") && ecart <= RAYON_DU_CENTRE {
        return Sens::Pays;
    }
    // ADM1H, ADM2H…: the same levels in a historical division.
    match designation.trim_end_matches('H') {
        "ADM1" | "ADMD" => return Sens::Rang(1),
        "ADM2" => return Sens::Rang(2),
        "ADM3" | "ADM4" | "ADM5" => return Sens::Rang(3),
        _ => {}
    }
    if classe == Some("1") {
        Sens::Rang(1)
    } else {
        Sens::Rang(3)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(srs: Option<&str>, pos: &str) -> Option<(f64, f64)> {
        lire(&PointLu {
            srs: srs.map(str::to_owned),
            pos: Some(pos.to_owned()),
        })
        .map(|p| (p.latitude, p.longitude))
    }

    #[test]
    fn a_point_is_read_as_latitude_then_longitude_in_wgs84_only() {
        let epsg = Some("http://www.opengis.net/def/crs/EPSG/0/4326");
        assert_eq!(point(epsg, " 14.45 -11.44 "), Some((14.45, -11.44)));
        assert_eq!(point(None, "12.64\t-8.0"), Some((12.64, -8.0)));
        assert_eq!(
            point(Some("EPSG:4326"), "14.45,-11.44"),
            Some((14.45, -11.44))
        );
        assert_eq!(point(Some("WGS 84"), "14 -11"), Some((14.0, -11.0)));
        // Another system, malformed or missing coordinates, off the globe, the 0 0 placeholder.
        assert_eq!(point(Some("EPSG:3857"), "1600000 -1270000"), None);
        for faux in [
            "",
            "14.45",
            "14.45 -11.44 3",
            "14,45 -11,44",
            "nord ouest",
            "95 3",
            "14 200",
            "0 0",
            "NaN 3",
        ] {
            assert_eq!(point(epsg, faux), None, "{faux}");
        }
        assert_eq!(
            lire(&PointLu {
                srs: None,
                pos: None
            }),
            None
        );
    }

    #[test]
    fn each_combination_of_qualifiers_says_what_the_point_stands_for() {
        let centre = PointIati::nouveau(17.57, -3.99).unwrap();
        let geonames = PointIati::nouveau(17.0, -4.0).unwrap();
        let kayes = PointIati::nouveau(14.45, -11.44).unwrap();
        // The country's centroid, approximate or unqualified: Mali, whatever the class.
        assert_eq!(sens(centre, Some("2"), Some("1"), None), Sens::Pays);
        assert_eq!(sens(centre, None, Some("2"), None), Sens::Pays);
        assert_eq!(sens(geonames, Some("2"), None, Some("ADM1")), Sens::Pays);
        // Marked exact, a point there is a real place.
        assert_eq!(sens(centre, Some("1"), Some("2"), None), Sens::Rang(3));
        // A country designation anywhere: Mali.
        assert_eq!(sens(kayes, Some("1"), Some("1"), Some("PCLI")), Sens::Pays);
        // Administrative designations give their level, exact or not.
        assert_eq!(
            sens(kayes, Some("2"), Some("1"), Some("ADM1")),
            Sens::Rang(1)
        );
        assert_eq!(sens(kayes, Some("1"), None, Some("adm2")), Sens::Rang(2));
        assert_eq!(
            sens(kayes, Some("2"), Some("1"), Some("ADM3")),
            Sens::Rang(3)
        );
        assert_eq!(sens(kayes, None, None, Some("ADM1H")), Sens::Rang(1));
        // An administrative region without designation: its région.
        assert_eq!(sens(kayes, Some("1"), Some("1"), None), Sens::Rang(1));
        // A populated place, a structure, a feature, or nothing said: its commune.
        assert_eq!(
            sens(kayes, Some("2"), Some("2"), Some("PPLA")),
            Sens::Rang(3)
        );
        assert_eq!(sens(kayes, Some("1"), Some("3"), None), Sens::Rang(3));
        assert_eq!(sens(kayes, Some("2"), Some("4"), None), Sens::Rang(3));
        assert_eq!(sens(kayes, None, None, None), Sens::Rang(3));
    }
}
