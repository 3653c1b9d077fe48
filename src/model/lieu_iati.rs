//! The places of an « autre intervention »: each IATI `<location>` as published, and the
//! Malian collectivités it was linked to — or why none. docs/iati.md (« Places ») says how.

use std::hash::{Hash, Hasher};

use super::CollectiviteId;

/// A point as IATI publishes it (WGS 84, EPSG:4326), in degrees. Built only from finite,
/// in-range values, so that comparing the bits of two points compares the points.
#[derive(Debug, Clone, Copy)]
pub struct PointIati {
    pub latitude: f64,
    pub longitude: f64,
}

impl PartialEq for PointIati {
    fn eq(&self, autre: &Self) -> bool {
        self.latitude.to_bits() == autre.latitude.to_bits()
            && self.longitude.to_bits() == autre.longitude.to_bits()
    }
}

impl Eq for PointIati {}

impl Hash for PointIati {
    fn hash<H: Hasher>(&self, etat: &mut H) {
        self.latitude.to_bits().hash(etat);
        self.longitude.to_bits().hash(etat);
    }
}

impl PointIati {
    /// A point from its coordinates, if they are numbers within the globe.
    pub fn nouveau(latitude: f64, longitude: f64) -> Option<PointIati> {
        ((-90.0..=90.0).contains(&latitude) && (-180.0..=180.0).contains(&longitude)).then_some(
            PointIati {
                latitude,
                longitude,
            },
        )
    }
}

/// How a place was linked, from the most to the least trusted (docs/iati.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MethodeLien {
    /// An `administrative` or `location-id` code: ISO 3166-2 « ML-1 » or a COD P-code.
    CodeAdministratif,
    /// The place's name, through the name resolver.
    Nom,
    /// Several names in the `name` or `description` (« Gao, Kidal, Mopti »).
    ListeDeNoms,
    /// The point, inside Mali, when the publisher's qualifiers let it stand for a place.
    Point,
}

impl MethodeLien {
    pub const TOUTES: [MethodeLien; 4] = [
        MethodeLien::CodeAdministratif,
        MethodeLien::Nom,
        MethodeLien::ListeDeNoms,
        MethodeLien::Point,
    ];

    /// As stored.
    pub fn code(self) -> &'static str {
        match self {
            MethodeLien::CodeAdministratif => "code",
            MethodeLien::Nom => "nom",
            MethodeLien::ListeDeNoms => "liste",
            MethodeLien::Point => "point",
        }
    }

    pub fn depuis_code(code: &str) -> Option<MethodeLien> {
        MethodeLien::TOUTES.into_iter().find(|m| m.code() == code)
    }

    /// In French, after « lié par ».
    pub fn libelle(self) -> &'static str {
        match self {
            MethodeLien::CodeAdministratif => "code administratif",
            MethodeLien::Nom => "nom",
            MethodeLien::ListeDeNoms => "liste de noms",
            MethodeLien::Point => "point",
        }
    }
}

/// Why a place links to no collectivité.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MotifNonLie {
    /// It names or points at Mali as a whole: its name, the code « ML », a country feature, or
    /// the country's centroid given as an approximate point.
    MaliEntier,
    /// Its point or its code is in another country.
    HorsMali,
    /// A name or a code benkan does not know (a GeoNames id, an unknown village).
    Inconnu,
    /// A name that surely designates several distinct units (homonyms).
    Ambigu,
    /// Nothing to read: no name, code or point, or a point that cannot be read.
    Illisible,
}

impl MotifNonLie {
    pub const TOUS: [MotifNonLie; 5] = [
        MotifNonLie::MaliEntier,
        MotifNonLie::HorsMali,
        MotifNonLie::Inconnu,
        MotifNonLie::Ambigu,
        MotifNonLie::Illisible,
    ];

    /// As stored.
    pub fn code(self) -> &'static str {
        match self {
            MotifNonLie::MaliEntier => "mali_entier",
            MotifNonLie::HorsMali => "hors_mali",
            MotifNonLie::Inconnu => "inconnu",
            MotifNonLie::Ambigu => "ambigu",
            MotifNonLie::Illisible => "illisible",
        }
    }

    pub fn depuis_code(code: &str) -> Option<MotifNonLie> {
        MotifNonLie::TOUS.into_iter().find(|m| m.code() == code)
    }

    /// In French.
    pub fn libelle(self) -> &'static str {
        match self {
            MotifNonLie::MaliEntier => "le Mali entier (nom ou point du pays)",
            MotifNonLie::HorsMali => "hors du Mali",
            MotifNonLie::Inconnu => "lieu inconnu",
            MotifNonLie::Ambigu => "nom ambigu",
            MotifNonLie::Illisible => "vide ou illisible",
        }
    }
}

/// What became of a place: linked to one or more collectivités by one method, or not, for
/// one reason.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Rattachement {
    /// `collectivites` is never empty.
    Lie {
        methode: MethodeLien,
        collectivites: Vec<CollectiviteId>,
    },
    NonLie(MotifNonLie),
}

/// A place of an activity as published, and what benkan linked it to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LieuIati {
    /// The `name`, if published.
    pub nom: Option<String>,
    /// The `description` (else the `activity-description`), if published.
    pub description: Option<String>,
    /// The administrative code read: ISO 3166-2 (« ML-1 ») or COD P-code (« ML0101 »).
    pub code_administratif: Option<String>,
    pub point: Option<PointIati>,
    /// IATI GeographicExactness: 1 exact, 2 approximate.
    pub exactitude: Option<String>,
    /// IATI GeographicLocationReach: 1 where the activity happens, 2 where its intended
    /// beneficiaries live.
    pub portee: Option<String>,
    pub rattachement: Rattachement,
}

impl LieuIati {
    /// The collectivités it links to (none when it is not linked).
    pub fn collectivites(&self) -> &[CollectiviteId] {
        match &self.rattachement {
            Rattachement::Lie { collectivites, .. } => collectivites,
            Rattachement::NonLie(_) => &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_back_and_points_stay_on_the_globe() {
        for m in MethodeLien::TOUTES {
            assert_eq!(MethodeLien::depuis_code(m.code()), Some(m));
        }
        for m in MotifNonLie::TOUS {
            assert_eq!(MotifNonLie::depuis_code(m.code()), Some(m));
        }
        assert_eq!(MethodeLien::depuis_code("autre"), None);
        assert!(PointIati::nouveau(14.45, -11.44).is_some());
        assert!(PointIati::nouveau(-90.0, 180.0).is_some());
        assert!(PointIati::nouveau(90.5, 0.0).is_none());
        assert!(PointIati::nouveau(0.0, -180.1).is_none());
        assert!(PointIati::nouveau(f64::NAN, 0.0).is_none());
    }
}
