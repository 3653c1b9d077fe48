//! The results an « autre intervention » publishes in IATI (`<result>`, `<indicator>`), kept
//! as published: they are the funder's, not benkan's catalogue (docs/iati.md, « Import »).

use std::fmt;

use time::Date;

/// A decimal as IATI publishes it (`value="1200.50"`), exact and in one written form:
/// without sign for zero or positives, leading zeros or trailing fractional zeros
/// (« 1200.5 »). Never a float: « 0.1 » stays 0.1, and equal values compare equal.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DecimalIati(String);

/// More integer digits than this is no measure; the bound keeps the digits within a `u128`
/// for French grouping.
const CHIFFRES_ENTIERS_MAX: usize = 38;
const DECIMALES_MAX: usize = 18;

impl DecimalIati {
    /// Reads `xsd:decimal` (« 12 », « -3.50 », « .5 »); anything else — « 1,200 », « 50% »,
    /// « 1e3 », « n/a » — is not a number and gives `None`.
    pub fn lire(texte: &str) -> Option<DecimalIati> {
        let texte = texte.trim();
        let (negatif, texte) = match texte.strip_prefix('-') {
            Some(reste) => (true, reste),
            None => (false, texte.strip_prefix('+').unwrap_or(texte)),
        };
        let (entiers, fraction) = texte.split_once('.').unwrap_or((texte, ""));
        let chiffres = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
        if (entiers.is_empty() && fraction.is_empty()) || !chiffres(entiers) || !chiffres(fraction)
        {
            return None;
        }
        let entiers = entiers.trim_start_matches('0');
        let fraction = fraction.trim_end_matches('0');
        if entiers.len() > CHIFFRES_ENTIERS_MAX || fraction.len() > DECIMALES_MAX {
            return None;
        }
        let mut ecrit = String::with_capacity(entiers.len() + fraction.len() + 3);
        if negatif && !(entiers.is_empty() && fraction.is_empty()) {
            ecrit.push('-');
        }
        ecrit.push_str(if entiers.is_empty() { "0" } else { entiers });
        if !fraction.is_empty() {
            ecrit.push('.');
            ecrit.push_str(fraction);
        }
        Some(DecimalIati(ecrit))
    }

    /// The written form, decimal point (what the database keeps).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// French notation: « 1 200,5 », « -0,25 ».
impl fmt::Display for DecimalIati {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (signe, absolu) = match self.0.strip_prefix('-') {
            Some(reste) => ("-", reste),
            None => ("", self.0.as_str()),
        };
        let (entiers, fraction) = absolu.split_once('.').unwrap_or((absolu, ""));
        f.write_str(signe)?;
        f.write_str(&super::chiffres_groupes(entiers.parse().unwrap_or(0)))?;
        if !fraction.is_empty() {
            write!(f, ",{fraction}")?;
        }
        Ok(())
    }
}

/// A target or an actual value of a period; `valeur` is none for a qualitative measure, or
/// when the published value was not a number (the import reports it).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ValeurResultatIati {
    pub valeur: Option<DecimalIati>,
    /// Its `dimension` elements (name, value), as published: « sexe », « femmes ».
    pub dimensions: Vec<(String, String)>,
}

/// A `period` of an indicator: its dates and what was aimed at and reached in it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PeriodeResultatIati {
    /// Required by IATI, but a date that cannot be read is left out rather than the period.
    pub debut: Option<Date>,
    pub fin: Option<Date>,
    pub cibles: Vec<ValeurResultatIati>,
    pub atteints: Vec<ValeurResultatIati>,
}

/// The `baseline` of an indicator.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BaseIati {
    pub annee: Option<i32>,
    pub date: Option<Date>,
    pub valeur: Option<DecimalIati>,
}

/// One `indicator` of a `result`, with what its result says: benkan keeps one line per
/// indicator, which is what a table can show.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ResultatIati {
    /// IATI ResultType code of the result (1 output, 2 outcome, 3 impact, 9 other).
    pub type_resultat: Option<String>,
    /// The result's title.
    pub titre: Option<String>,
    /// The indicator's title.
    pub indicateur: Option<String>,
    /// IATI IndicatorMeasure code (1 unit, 2 percentage, 3 nominal, 4 ordinal, 5
    /// qualitative).
    pub mesure: Option<String>,
    /// Whether more is better (`ascending`, true when absent in IATI).
    pub croissant: Option<bool>,
    /// The indicator's first `reference` (vocabulary, code): « 99 », « BENKAN-forages ».
    pub reference: Option<(String, String)>,
    /// Its first `baseline`.
    pub base: Option<BaseIati>,
    pub periodes: Vec<PeriodeResultatIati>,
}

/// The French name of an IATI ResultType code (2.03), else the code itself.
pub fn type_resultat_fr(code: &str) -> String {
    match code {
        "1" => "produit".to_owned(),
        "2" => "effet".to_owned(),
        "3" => "impact".to_owned(),
        "9" => "autre".to_owned(),
        autre => format!("type {autre}"),
    }
}

impl ResultatIati {
    /// Whether its values are percentages (IndicatorMeasure 2).
    pub fn en_pourcentage(&self) -> bool {
        self.mesure.as_deref() == Some("2")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lu(texte: &str) -> Option<String> {
        DecimalIati::lire(texte).map(|d| d.as_str().to_owned())
    }

    #[test]
    fn decimals_are_kept_exactly_in_one_written_form() {
        assert_eq!(lu("12").as_deref(), Some("12"));
        assert_eq!(lu(" 0012.500 ").as_deref(), Some("12.5"));
        assert_eq!(lu("+.5").as_deref(), Some("0.5"));
        assert_eq!(lu("-0.00").as_deref(), Some("0"));
        assert_eq!(lu("-3.10").as_deref(), Some("-3.1"));
        assert_eq!(lu("0.1").as_deref(), Some("0.1"));
        assert_eq!(lu("5.").as_deref(), Some("5"));
        for faux in ["", "-", ".", "1,200", "50%", "1e3", "n/a", "1 000", "--1"] {
            assert_eq!(lu(faux), None, "{faux}");
        }
        assert_eq!(lu(&"9".repeat(39)), None);
        assert!(lu(&"9".repeat(38)).is_some());
    }

    #[test]
    fn decimals_read_in_french() {
        let fr = |t: &str| DecimalIati::lire(t).unwrap().to_string();
        assert_eq!(fr("1200.50"), "1\u{202F}200,5");
        assert_eq!(fr("-0.25"), "-0,25");
        assert_eq!(fr("1000000"), "1\u{202F}000\u{202F}000");
    }
}
