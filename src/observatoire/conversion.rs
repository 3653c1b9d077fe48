//! Money of the overview: an exact sum that reads both in francs CFA and in euros. The franc
//! CFA and the euro are tied by a fixed, exact parity (1 EUR = 655.957 XOF), so a sum of both
//! is kept exactly, in hundred-thousandths of a franc, and rounded only when it is shown.
//! Other currencies enter through the dated rate table, rounded once at that conversion.

use serde::{Serialize, Serializer};
use time::{Date, Month};

use crate::model::{Devise, chiffres_groupes};

/// Units of a [`Somme`] in one franc CFA.
const PAR_FRANC: i128 = 100_000;
/// Units of a [`Somme`] in one euro cent: 1 cent = 6.55957 XOF, exactly.
const PAR_CENTIME: i128 = 655_957;

/// An exact sum of money, in hundred-thousandths of a franc CFA: francs and euro cents both
/// are whole numbers of that unit, so adding them never rounds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Somme(i128);

impl std::ops::Add for Somme {
    type Output = Somme;
    fn add(self, autre: Somme) -> Somme {
        Somme(self.0 + autre.0)
    }
}

/// Taking a sum back out, as the overview kept up to date does when a record changes.
impl std::ops::Sub for Somme {
    type Output = Somme;
    fn sub(self, autre: Somme) -> Somme {
        Somme(self.0 - autre.0)
    }
}

impl Somme {
    pub fn de_francs(francs: i128) -> Somme {
        Somme(francs * PAR_FRANC)
    }

    pub fn de_centimes(centimes: i128) -> Somme {
        Somme(centimes * PAR_CENTIME)
    }

    /// In whole francs CFA, rounded half up.
    pub fn francs(self) -> i128 {
        diviser(self.0, PAR_FRANC)
    }

    /// In euro cents, rounded half up.
    pub fn centimes(self) -> i128 {
        diviser(self.0, PAR_CENTIME)
    }

    /// In whole euros, rounded half up from the exact sum (not from the rounded cents).
    pub fn euros(self) -> i128 {
        diviser(self.0, PAR_CENTIME * 100)
    }

    /// « 25 000 000 FCFA »: whole francs.
    pub fn en_francs(self) -> String {
        format!(
            "{}\u{A0}FCFA",
            chiffres_groupes(self.francs().unsigned_abs())
        )
    }

    /// « 38 112 € »: whole euros, as the overview speaks.
    pub fn en_euros(self) -> String {
        format!("{}\u{A0}€", chiffres_groupes(self.euros().unsigned_abs()))
    }

    /// The euros with two decimals for a program (« 38112.25 »), as the CSV files write them.
    pub fn euros_decimaux(self) -> String {
        let c = self.centimes();
        format!("{}.{:02}", c / 100, c % 100)
    }
}

/// « 25 000 000 FCFA (38 112 €) »: a total reads in both currencies, francs first.
impl std::fmt::Display for Somme {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.en_francs(), self.en_euros())
    }
}

/// In JSON, the historical `*_eur` fields: a number of euros with two decimals.
impl Serialize for Somme {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.centimes() as f64 / 100.0)
    }
}

/// The same sum for the `*_xof` fields of the JSON: a whole number of francs CFA.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnFrancs(pub Somme);

impl Serialize for EnFrancs {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(i64::try_from(self.0.francs()).unwrap_or(i64::MAX))
    }
}

/// The francs of an optional sum, for the `*_xof` fields.
pub fn en_francs(somme: Option<Somme>) -> Option<EnFrancs> {
    somme.map(EnFrancs)
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

    /// Converts an amount of a financement of year `annee`: francs and euros exactly, other
    /// currencies at the latest rate in force on 31 December of that year (rounded there, to
    /// the hundred-thousandth of a franc); `None` when there is none.
    pub fn convertir(&self, unites_mineures: i64, devise: Devise, annee: i32) -> Option<Somme> {
        let m = i128::from(unites_mineures);
        match devise {
            Devise::Eur => Some(Somme::de_centimes(m)),
            Devise::Xof => Some(Somme::de_francs(m)),
            autre => {
                let fin_annee = Date::from_calendar_date(annee, Month::December, 31).ok()?;
                let (_, _, num, den) = self
                    .0
                    .iter()
                    .rev()
                    .find(|(d, depuis, ..)| *d == autre && *depuis <= fin_annee)?;
                // units = minor units / 10^decimals × num/den EUR × 100 cents × PAR_CENTIME
                Some(Somme(diviser(
                    m * i128::from(*num) * 100 * PAR_CENTIME,
                    i128::from(*den) * 10_i128.pow(autre.decimales()),
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
        let xof = |francs| taux.convertir(francs, Devise::Xof, 2020).unwrap();
        assert_eq!(xof(655_957).centimes(), 100_000, "655 957 FCFA = 1 000 €");
        assert_eq!(xof(655_957).euros(), 1_000);
        assert_eq!(
            xof(25_000_000).euros(),
            38_112,
            "25 000 000 FCFA ≈ 38 112,25 €"
        );
        assert_eq!(xof(25_000_000).centimes(), 3_811_225);
        assert_eq!(xof(10_000_000).centimes(), 1_524_490);
        assert_eq!(xof(1).centimes(), 0);
        let eur = taux.convertir(1_000_00, Devise::Eur, 1999).unwrap();
        assert_eq!(eur.francs(), 655_957, "1 000 € = 655 957 FCFA, exactly");
        assert_eq!(
            eur,
            xof(655_957),
            "the two are the same sum, not two roundings"
        );
    }

    #[test]
    fn sums_round_once_when_shown() {
        // 1 FCFA is 0.15 cent: a thousand of them rounded one by one would make 0 €,
        // added exactly they make 1,52 €.
        let taux = Taux::new(vec![]);
        let un_franc = taux.convertir(1, Devise::Xof, 2020).unwrap();
        let mille = (0..1000).fold(Somme::default(), |s, _| s + un_franc);
        assert_eq!(mille.centimes(), 152);
        assert_eq!(mille.francs(), 1000);
        let melange = Somme::de_francs(25_000_000) + Somme::de_centimes(12_345_67);
        assert_eq!(melange.francs(), 25_000_000 + 8_098_229);
        assert_eq!(melange.euros(), 38_112 + 12_346);
    }

    #[test]
    fn other_currencies_need_a_dated_rate() {
        let taux = Taux::new(vec![
            (Devise::Usd, date!(2020 - 01 - 01), 9, 10),
            (Devise::Usd, date!(2023 - 06 - 01), 92, 100),
        ]);
        assert_eq!(
            taux.convertir(100_00, Devise::Usd, 2019),
            None,
            "no rate before 2020"
        );
        let centimes = |annee| {
            taux.convertir(100_00, Devise::Usd, annee)
                .map(Somme::centimes)
        };
        assert_eq!(centimes(2021), Some(90_00));
        assert_eq!(centimes(2023), Some(92_00));
        assert_eq!(taux.convertir(100_00, Devise::Cad, 2023), None);
    }

    #[test]
    fn sums_print_in_francs_and_euros() {
        let somme = Somme::de_francs(25_000_000);
        assert_eq!(
            somme.to_string(),
            "25\u{202F}000\u{202F}000\u{A0}FCFA (38\u{202F}112\u{A0}€)"
        );
        assert_eq!(somme.euros_decimaux(), "38112.25");
        assert_eq!(
            Somme::de_centimes(123_456_789).en_euros(),
            "1\u{202F}234\u{202F}568\u{A0}€"
        );
        assert_eq!(Somme::default().to_string(), "0\u{A0}FCFA (0\u{A0}€)");
        assert_eq!(
            serde_json::to_string(&(somme, EnFrancs(somme))).unwrap(),
            "[38112.25,25000000]"
        );
    }
}
