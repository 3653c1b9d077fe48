//! A map as the pages show it: an inline SVG with a title and a description for screen
//! readers, each zone a link with its figures in a `<title>`, the district of Bamako
//! enlarged in an inset (it is a few pixels wide at the scale of the country), then a
//! legend and the credit of the boundaries in HTML below.

use askama::Template;
use geo::{BoundingRect, Rect};

use super::svg::Projection;
use super::{Carte, Echelon, Zone};

/// Width of the national map, in SVG units: about one unit per kilometre.
pub const LARGEUR: u32 = 1600;
/// The inset's frame, top left, over Mauritania where Mali draws nothing.
const ENCART: (u32, u32, u32) = (20, 20, 380);

/// One zone to draw.
pub struct Trace {
    pub d: String,
    /// A fill colour, or `None` for the hatched « zone blanche » pattern.
    pub couleur: Option<&'static str>,
    pub titre: String,
    pub lien: Option<String>,
    /// Drawn stronger: the unit the page is about.
    pub accent: bool,
}

/// A marker on the map: a point, or a named zone too small to be seen at its scale.
pub struct Repere {
    pub x: i64,
    pub y: i64,
    pub titre: String,
    pub couleur: &'static str,
    /// Outlined dark, larger: stands for a zone rather than a point.
    pub zone: bool,
}

/// Fill of a point's marker.
const POINT: &str = "#d7301f";
/// Below this width and height (SVG units, about kilometres on the national map) a named
/// zone also gets a marker: a commune is often a few kilometres wide.
const PETITE: i64 = 30;

/// One line of the legend.
pub struct EntreeLegende {
    /// `None`: the hatched pattern.
    pub couleur: Option<&'static str>,
    pub libelle: String,
}

pub struct Encart {
    pub x: u32,
    pub y: u32,
    pub cote: u32,
    pub hauteur: u32,
    /// The district drawn at the inset's scale, in the inset's own units.
    pub traces: Vec<Trace>,
    /// Where the district is on the main map, to frame it.
    pub repere: (i64, i64, i64, i64),
}

/// What a zone shows: its fill, its tooltip and its link.
pub struct Teinte {
    pub couleur: Option<&'static str>,
    pub titre: String,
    pub lien: Option<String>,
    pub accent: bool,
}

#[derive(Template)]
#[template(path = "_carte.html")]
pub struct Dessin {
    /// Unique on the page: ids of the title, description and pattern.
    pub id: String,
    pub titre: String,
    pub description: String,
    pub largeur: u32,
    pub hauteur: u32,
    pub traces: Vec<Trace>,
    /// Outlines drawn over the zones (the régions over a commune map).
    pub contours: Vec<String>,
    pub encart: Option<Encart>,
    pub reperes: Vec<Repere>,
    pub legende: Vec<EntreeLegende>,
    pub note_legende: String,
    pub credit: &'static str,
    /// Where places fall on this map, for markers added after drawing.
    projection: Projection,
}

impl Dessin {
    /// A map of `zones` in the frame of `cadre` (the whole of Mali when `None`), each zone
    /// painted by `teinte` (not drawn when it gives `None`), with the outlines of `contours`
    /// and the points `points` (longitude, latitude, label).
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        carte: &Carte,
        id: &str,
        titre: String,
        description: String,
        cadre: Option<Rect<f64>>,
        zones: &[&Zone],
        teinte: &dyn Fn(&Zone) -> Option<Teinte>,
        contours: &[&Zone],
        points: &[(f64, f64, String)],
    ) -> Dessin {
        let national = cadre.is_none();
        let cadre = cadre
            .or_else(|| carte.pays.bounding_rect())
            .unwrap_or_else(|| Rect::new((-12.3, 10.1), (4.3, 25.0)));
        let projection = Projection::cadrer(cadre, LARGEUR, 10);
        let tracer = |projection: &Projection, zones: &mut dyn Iterator<Item = &&Zone>| {
            zones
                .filter_map(|z| {
                    let t = teinte(z)?;
                    Some(Trace {
                        d: projection.chemin(&z.forme),
                        couleur: t.couleur,
                        titre: t.titre,
                        lien: t.lien,
                        accent: t.accent,
                    })
                })
                .collect::<Vec<_>>()
        };
        let traces = tracer(&projection, &mut zones.iter());
        let mut contours: Vec<String> = contours
            .iter()
            .map(|z| projection.chemin(&z.forme))
            .collect();
        if national {
            contours.push(projection.chemin(&carte.pays));
        }
        let encart = national
            .then(|| encart_bamako(carte, &projection, zones, &tracer))
            .flatten();
        let reperes = points
            .iter()
            .map(|(lon, lat, titre)| {
                let (x, y) = projection.point(*lon, *lat);
                Repere {
                    x,
                    y,
                    titre: titre.clone(),
                    couleur: POINT,
                    zone: false,
                }
            })
            .collect();
        Dessin {
            id: id.to_owned(),
            titre,
            description,
            largeur: projection.largeur,
            hauteur: projection.hauteur,
            traces,
            contours,
            encart,
            reperes,
            legende: Vec::new(),
            note_legende: String::new(),
            credit: super::CREDIT,
            projection,
        }
    }

    /// Marks, under the points, those of `zones` too small to be seen on this map (the
    /// district of Bamako's are in its inset); how many.
    fn marquer_les_petites(&mut self, zones: &[&Zone], couleur: &'static str) -> usize {
        let projection = self.projection;
        let marques: Vec<Repere> = zones
            .iter()
            .filter(|z| !dans_le_district(z))
            .filter_map(|z| {
                let r = z.forme.bounding_rect()?;
                let (x0, y0) = projection.point(r.min().x, r.max().y);
                let (x1, y1) = projection.point(r.max().x, r.min().y);
                ((x1 - x0).max(y1 - y0) < PETITE).then(|| Repere {
                    x: (x0 + x1) / 2,
                    y: (y0 + y1) / 2,
                    titre: format!("{} ({})", z.nom, z.echelon.libelle()),
                    couleur,
                    zone: true,
                })
            })
            .collect();
        let nombre = marques.len();
        self.reperes.splice(0..0, marques);
        nombre
    }
}

impl Dessin {
    /// Whether zones are links: the SVG is then a group of links (`role="group"`) rather
    /// than a picture (`role="img"`), whose children assistive technologies would not
    /// reach. The links are out of the tab order: the table beside the map holds the same.
    fn avec_liens(&self) -> bool {
        self.traces.iter().any(|t| t.lien.is_some())
    }
}

/// Whether a zone is the district of Bamako or one of its communes, drawn in the inset.
fn dans_le_district(zone: &Zone) -> bool {
    zone.code
        .as_deref()
        .is_some_and(|c| c.starts_with("ML-BKO"))
}

/// The zones of the district of Bamako drawn large, when the map shows them.
fn encart_bamako(
    carte: &Carte,
    projection: &Projection,
    zones: &[&Zone],
    tracer: &dyn Fn(&Projection, &mut dyn Iterator<Item = &&Zone>) -> Vec<Trace>,
) -> Option<Encart> {
    let district = carte.zone("ML-BKO")?;
    let dans_le_district: Vec<&&Zone> = zones.iter().filter(|z| dans_le_district(z)).collect();
    if dans_le_district.is_empty() {
        return None;
    }
    let cadre = district.forme.bounding_rect()?;
    let (x, y, cote) = ENCART;
    let local = Projection::cadrer(cadre, cote, 12);
    let traces = tracer(&local, &mut dans_le_district.into_iter());
    let (x0, y0) = projection.point(cadre.min().x, cadre.max().y);
    let (x1, y1) = projection.point(cadre.max().x, cadre.min().y);
    Some(Encart {
        x,
        y,
        cote,
        hauteur: local.hauteur,
        traces,
        repere: (x0 - 4, y0 - 4, x1 - x0 + 8, y1 - y0 + 8),
    })
}

impl Echelon {
    /// The zones of this level inside a zone (all of them when `dans` is `None`).
    pub fn zones_dans<'a>(self, carte: &'a Carte, dans: Option<&'a Zone>) -> Vec<&'a Zone> {
        match dans {
            None => carte.zones(self).iter().collect(),
            Some(parent) => {
                let mut zones: Vec<&Zone> = carte.enfants(parent).collect();
                if self == Echelon::Commune && parent.echelon == Echelon::Region {
                    zones = zones.into_iter().flat_map(|c| carte.enfants(c)).collect();
                }
                zones
            }
        }
    }
}

/// Fill of the zones a record names, and of the markers' legend.
const LIEU: &str = "#fc8d59";
/// The régions behind them.
const FOND: &str = "#eeeeee";

/// The places of a record on the map of Mali: the units it names shaded (widest first, so a
/// commune shows over its région) and its points as markers. `None` when nothing can be
/// drawn (no Malian unit with a polygon, no point).
pub fn des_lieux(
    id: &str,
    sujet: &str,
    codes: &[&str],
    points: &[(f64, f64, String)],
    lien: &dyn Fn(&str) -> Option<String>,
) -> Option<Dessin> {
    let carte = super::carte();
    let mut nommees: Vec<&Zone> = codes.iter().filter_map(|c| carte.zone(c)).collect();
    nommees.sort_by_key(|z| Echelon::TOUS.iter().position(|e| *e == z.echelon));
    nommees.dedup_by(|a, b| std::ptr::eq(*a, *b));
    let dans_mali: Vec<&(f64, f64, String)> = points
        .iter()
        .filter(|(lon, lat, _)| carte.commune_contenant(*lon, *lat).is_some())
        .collect();
    if nommees.is_empty() && dans_mali.is_empty() {
        return None;
    }
    let mut zones: Vec<&Zone> = carte.zones(Echelon::Region).iter().collect();
    zones.extend(nommees.iter().copied());
    let teinte = |z: &Zone| {
        let nommee = nommees.iter().any(|n| std::ptr::eq(*n, z));
        Some(Teinte {
            couleur: Some(if nommee { LIEU } else { FOND }),
            titre: format!("{} ({})", z.nom, z.niveau()),
            lien: z.code.as_deref().and_then(lien),
            accent: false,
        })
    };
    let points: Vec<(f64, f64, String)> = dans_mali.into_iter().cloned().collect();
    let noms: Vec<String> = nommees
        .iter()
        .map(|z| format!("{} ({})", z.nom, z.niveau()))
        .collect();
    let mut description = if noms.is_empty() {
        String::from("Aucune collectivité nommée.")
    } else {
        format!("Lieux en orange : {}.", noms.join(", "))
    };
    if !points.is_empty() {
        description.push_str(&format!(
            " {} point{} en rouge : {}.",
            points.len(),
            if points.len() > 1 { "s" } else { "" },
            points
                .iter()
                .map(|p| p.2.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let mut dessin = Dessin::new(
        carte,
        id,
        format!("Lieux {sujet} sur la carte du Mali"),
        description,
        None,
        &zones,
        &teinte,
        &[],
        &points,
    );
    let petites = dessin.marquer_les_petites(&nommees, LIEU);
    dessin.legende = vec![EntreeLegende {
        couleur: Some(LIEU),
        libelle: if petites > 0 {
            "collectivité nommée (rond orange : trop petite pour se voir à cette échelle)"
        } else {
            "collectivité nommée"
        }
        .to_owned(),
    }];
    if !points.is_empty() {
        dessin.legende.push(EntreeLegende {
            couleur: Some(POINT),
            libelle: "point publié (rond rouge)".to_owned(),
        });
    }
    Some(dessin)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sans_lien(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn a_commune_too_small_to_see_gets_a_marker_and_a_region_does_not() {
        let commune = des_lieux("l", "de l'action", &["ML-1-KAYES-KAYES"], &[], &sans_lien)
            .expect("Kayes has a polygon");
        let marques: Vec<&Repere> = commune.reperes.iter().filter(|r| r.zone).collect();
        assert_eq!(marques.len(), 1);
        assert!(
            marques[0].titre.starts_with("Kayes ("),
            "{}",
            marques[0].titre
        );
        assert!(commune.legende[0].libelle.contains("rond orange"));

        let region = des_lieux("l", "de l'action", &["ML-1"], &[], &sans_lien).unwrap();
        assert!(region.reperes.is_empty());
        assert_eq!(region.legende[0].libelle, "collectivité nommée");

        // a point is drawn over the zone's marker
        let point = [(-11.4389, 14.4485, "puits".to_owned())];
        let les_deux = des_lieux(
            "l",
            "de l'action",
            &["ML-1-KAYES-KAYES"],
            &point,
            &sans_lien,
        )
        .unwrap();
        let ordre: Vec<bool> = les_deux.reperes.iter().map(|r| r.zone).collect();
        assert_eq!(ordre, [true, false]);
    }
}
