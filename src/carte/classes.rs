//! Classes for a choropleth: quantiles of the values that are not zero, so that each colour
//! holds about as many units, with a sequential palette that colour-blind readers can tell
//! apart (ColorBrewer « YlGnBu », 5 classes).

/// Light to dark, ColorBrewer YlGnBu (Cynthia Brewer, Penn State), colour-blind safe.
pub const PALETTE: [&str; 5] = ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"];

/// The upper bounds of each class (inclusive), from the smallest.
#[derive(Debug, Clone, PartialEq)]
pub struct Classes {
    pub bornes: Vec<f64>,
}

impl Classes {
    /// Quantile classes of `valeurs` (zeros and missing values set aside), at most as many
    /// as the palette and as the distinct values.
    pub fn quantiles(valeurs: impl IntoIterator<Item = f64>) -> Classes {
        let mut v: Vec<f64> = valeurs
            .into_iter()
            .filter(|x| x.is_finite() && *x > 0.0)
            .collect();
        v.sort_by(f64::total_cmp);
        let mut bornes: Vec<f64> = Vec::new();
        if v.is_empty() {
            return Classes { bornes };
        }
        let n = PALETTE.len();
        for i in 1..=n {
            let rang = (i * v.len()).div_ceil(n).clamp(1, v.len()) - 1;
            let borne = v[rang];
            if bornes.last() != Some(&borne) {
                bornes.push(borne);
            }
        }
        Classes { bornes }
    }

    /// The class of a value, `None` for zero (shown apart).
    pub fn classe(&self, valeur: f64) -> Option<usize> {
        if valeur <= 0.0 || self.bornes.is_empty() {
            return None;
        }
        Some(
            self.bornes
                .iter()
                .position(|b| valeur <= *b)
                .unwrap_or(self.bornes.len() - 1),
        )
    }

    /// The colour of a class, spread over the palette when there are fewer classes.
    pub fn couleur(&self, classe: usize) -> &'static str {
        let n = self.bornes.len().max(1);
        if n == 1 {
            return PALETTE[PALETTE.len() / 2];
        }
        PALETTE[classe * (PALETTE.len() - 1) / (n - 1)]
    }

    /// Each class as (lower bound exclusive of the previous, upper bound), for the legend.
    pub fn intervalles(&self) -> Vec<(f64, f64)> {
        let mut bas = 0.0;
        self.bornes
            .iter()
            .map(|&haut| {
                let i = (bas, haut);
                bas = haut;
                i
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn des_quantiles_a_effectifs_egaux() {
        let c = Classes::quantiles((1..=10).map(f64::from));
        assert_eq!(c.bornes, [2.0, 4.0, 6.0, 8.0, 10.0]);
        assert_eq!(c.classe(1.0), Some(0));
        assert_eq!(c.classe(3.0), Some(1));
        assert_eq!(c.classe(10.0), Some(4));
        assert_eq!(c.classe(0.0), None);
    }

    #[test]
    fn peu_de_valeurs_distinctes_donnent_peu_de_classes() {
        let c = Classes::quantiles([1.0, 1.0, 1.0, 3.0, 0.0]);
        assert_eq!(c.bornes, [1.0, 3.0]);
        assert_eq!(c.couleur(0), PALETTE[0]);
        assert_eq!(c.couleur(1), PALETTE[4]);
        assert_eq!(c.intervalles(), [(0.0, 1.0), (1.0, 3.0)]);
        assert!(Classes::quantiles([0.0]).bornes.is_empty());
    }
}
