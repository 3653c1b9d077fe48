//! Drawing zones as SVG path data: an equirectangular projection corrected for latitude
//! (Mali spans 10° to 25° N, where a degree of longitude is 0.90 to 0.98 of a degree of
//! latitude), integer coordinates relative to the previous point, so that the commune map
//! of the whole country stays small once gzipped.

use std::fmt::Write;

use geo::{BoundingRect, MultiPolygon, Rect};

/// From degrees to the picture's units.
#[derive(Debug, Clone, Copy)]
pub struct Projection {
    ouest: f64,
    nord: f64,
    /// Units per degree of latitude.
    echelle: f64,
    /// Cosine of the middle latitude: how much shorter a degree of longitude is.
    k: f64,
    pub largeur: u32,
    pub hauteur: u32,
}

impl Projection {
    /// Frames `cadre` in a picture `largeur` units wide, with a margin of `marge` units.
    pub fn cadrer(cadre: Rect<f64>, largeur: u32, marge: u32) -> Projection {
        let milieu = (cadre.min().y + cadre.max().y) / 2.0;
        let k = milieu.to_radians().cos();
        let utile = f64::from(largeur.saturating_sub(2 * marge).max(1));
        let etendue = (cadre.width() * k).max(1e-6);
        let echelle = utile / etendue;
        let hauteur = (cadre.height() * echelle).round() as u32 + 2 * marge;
        Projection {
            ouest: cadre.min().x - f64::from(marge) / echelle / k,
            nord: cadre.max().y + f64::from(marge) / echelle,
            echelle,
            k,
            largeur,
            hauteur,
        }
    }

    /// The frame of a shape.
    pub fn pour(forme: &MultiPolygon<f64>, largeur: u32, marge: u32) -> Projection {
        let cadre = forme
            .bounding_rect()
            .unwrap_or_else(|| Rect::new((-12.3, 10.1), (4.3, 25.0)));
        Projection::cadrer(cadre, largeur, marge)
    }

    pub fn point(&self, lon: f64, lat: f64) -> (i64, i64) {
        (
            ((lon - self.ouest) * self.k * self.echelle).round() as i64,
            ((self.nord - lat) * self.echelle).round() as i64,
        )
    }

    /// The `d` attribute of a shape: absolute move to each ring's start, then relative
    /// lines, points that round to the same unit dropped.
    pub fn chemin(&self, forme: &MultiPolygon<f64>) -> String {
        let mut d = String::new();
        for polygone in forme {
            for anneau in std::iter::once(polygone.exterior()).chain(polygone.interiors()) {
                let mut precedent: Option<(i64, i64)> = None;
                let mut points = 0;
                for c in anneau.coords() {
                    let p = self.point(c.x, c.y);
                    match precedent {
                        None => {
                            let _ = write!(d, "M{} {}", p.0, p.1);
                        }
                        Some(q) if q == p => continue,
                        Some(q) => {
                            let (dx, dy) = (p.0 - q.0, p.1 - q.1);
                            if points == 1 {
                                d.push('l');
                            } else if dx >= 0 {
                                d.push(' ');
                            }
                            let _ = write!(d, "{dx}");
                            if dy >= 0 {
                                d.push(' ');
                            }
                            let _ = write!(d, "{dy}");
                        }
                    }
                    precedent = Some(p);
                    points += 1;
                }
                if points > 0 {
                    d.push('z');
                }
            }
        }
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    #[test]
    fn un_carre_donne_un_chemin_relatif_ferme() {
        let carre = MultiPolygon::new(vec![polygon![
            (x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 1.0), (x: 0.0, y: 0.0)
        ]]);
        let p = Projection::cadrer(Rect::new((0.0, 0.0), (1.0, 1.0)), 100, 0);
        assert_eq!((p.largeur, p.hauteur), (100, 100));
        assert_eq!(p.chemin(&carre), "M0 100l100 0 0-100-100 0 0 100z");
    }

    #[test]
    fn le_nord_est_en_haut_et_la_longitude_est_raccourcie() {
        let p = Projection::cadrer(Rect::new((0.0, 60.0), (2.0, 62.0)), 100, 0);
        // At 61° N a degree of longitude is about half a degree of latitude.
        assert!(p.hauteur > 180, "{}", p.hauteur);
        assert_eq!(p.point(0.0, 62.0), (0, 0));
    }
}
