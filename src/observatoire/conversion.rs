//! Money in euros: the franc CFA at its fixed parity, other currencies through the dated
//! rate table, always in integer cents.

use std::ops::Add;

use serde::{Serialize, Serializer};
use time::{Date, Month};

use crate::model::Devise;

/// 1 EUR = 655.957 XOF, fixed since 1999.
const XOF_POUR_1000_EUR: i128 = 655_957;

/// An amount in euro cents. It is written in JSON as a number of euros with two decimals.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Euros(pub i128);

impl Add for Euros {
    type Output = Euros;
    fn add(self, autre: Euros) -> Euros {
        Euros(self.0 + autre.0)
    }
}

impl Serialize for Euros {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.0 as f64 / 100.0)
    }
}

impl std::fmt::Display for Euros {
    /// « 1 234 567 € », rounded to the euro: the overview speaks in whole euros.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let euros = (self.0 + 50).div_euclid(100).to_string();
        let mut groupe = String::new();
        for (i, chiffre) in euros.chars().enumerate() {
            if i > 0 && (euros.len() - i).is_multiple_of(3) {
                groupe.push('\u{202F}');
            }
            groupe.push(chiffre);
        }
        write!(f, "{groupe}\u{A0}€")
    }
}

/// Divides rounding half away from zero (amounts are never negative).
fn diviser(numerateur: i128, denominateur: i128) -> i128 {
    (2 * numerateur + denominateur) / (2 * denominateur)
}

/// The rates into euros known to the database.
pub struct Taux(Vec<(Devise, Date, i64, i64)>);

impl Taux {
    /// Rates as (currency, from, numerator, denominator): one unit is worth num/den EUR.
    pub fn new(mut taux: Vec<(Devise, Date, i64, i64)>) -> Taux {
        taux.sort_by_key(|(d, depuis, ..)| (*d, *depuis));
        Taux(taux)
    }

    /// Converts an amount of a financement of year `annee`, using for other currencies the
    /// latest rate in force on 31 December of that year; `None` when there is none.
    pub fn en_euros(&self, unites_mineures: i64, devise: Devise, annee: i32) -> Option<Euros> {
        let m = i128::from(unites_mineures);
        match devise {
            Devise::Eur => Some(Euros(m)),
            // cents = francs × 100 / 655.957
            Devise::Xof => Some(Euros(diviser(m * 100_000, XOF_POUR_1000_EUR))),
            autre => {
                let fin_annee = Date::from_calendar_date(annee, Month::December, 31).ok()?;
                let (_, _, num, den) = self
                    .0
                    .iter()
                    .rev()
                    .find(|(d, depuis, ..)| *d == autre && *depuis <= fin_annee)?;
                let echelle = 10_i128.pow(2) / 10_i128.pow(autre.decimales());
                Some(Euros(diviser(
                    m * echelle * i128::from(*num),
                    i128::from(*den),
                )))
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::inconsistent_digit_grouping)] // amounts in cents read as euros_cents
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_franc_cfa_converts_at_the_fixed_parity() {
        let taux = Taux::new(vec![]);
        assert_eq!(
            taux.en_euros(655_957, Devise::Xof, 2020),
            Some(Euros(100_000))
        );
        assert_eq!(
            taux.en_euros(10_000_000, Devise::Xof, 2020),
            Some(Euros(1_524_490))
        );
        assert_eq!(taux.en_euros(1, Devise::Xof, 2020), Some(Euros(0)));
        assert_eq!(
            taux.en_euros(12_345, Devise::Eur, 1999),
            Some(Euros(12_345))
        );
    }

    #[test]
    fn other_currencies_need_a_dated_rate() {
        let taux = Taux::new(vec![
            (Devise::Usd, date!(2020 - 01 - 01), 9, 10),
            (Devise::Usd, date!(2023 - 06 - 01), 92, 100),
        ]);
        assert_eq!(
            taux.en_euros(100_00, Devise::Usd, 2019),
            None,
            "no rate before 2020"
        );
        assert_eq!(taux.en_euros(100_00, Devise::Usd, 2021), Some(Euros(90_00)));
        assert_eq!(taux.en_euros(100_00, Devise::Usd, 2023), Some(Euros(92_00)));
        assert_eq!(taux.en_euros(100_00, Devise::Cad, 2023), None);
    }

    #[test]
    fn euros_print_rounded_in_french() {
        assert_eq!(
            Euros(123_456_789).to_string(),
            "1\u{202F}234\u{202F}568\u{A0}€"
        );
        assert_eq!(Euros(0).to_string(), "0\u{A0}€");
    }
}
