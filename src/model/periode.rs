use time::Date;

use super::ErreurModele;

/// A span of time whose ends may be unknown; when both are known, the end is not before the start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Periode {
    debut: Option<Date>,
    fin: Option<Date>,
}

impl Periode {
    /// Both ends, each optional; the end is inclusive.
    pub fn new(debut: Option<Date>, fin: Option<Date>) -> Result<Self, ErreurModele> {
        if let (Some(debut), Some(fin)) = (debut, fin)
            && fin < debut
        {
            return Err(ErreurModele::PeriodeInversee { debut, fin });
        }
        Ok(Periode { debut, fin })
    }

    /// Nothing known.
    pub fn inconnue() -> Self {
        Periode::default()
    }

    pub fn debut(&self) -> Option<Date> {
        self.debut
    }

    pub fn fin(&self) -> Option<Date> {
        self.fin
    }

    /// Whether `jour` falls inside the period; an unknown end is open.
    pub fn contient(&self, jour: Date) -> bool {
        self.debut.is_none_or(|d| d <= jour) && self.fin.is_none_or(|f| jour <= f)
    }
}

const MOIS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// A date as French prose writes it: « 1er janvier 2019 », « 12 mars 2020 ».
pub fn date_fr(jour: &Date) -> String {
    let mois = MOIS[jour.month() as usize - 1];
    match jour.day() {
        1 => format!("1er {mois} {}", jour.year()),
        d => format!("{d} {mois} {}", jour.year()),
    }
}

/// Parses a `YYYY-MM-DD` date, the only date format benkan reads and writes.
pub fn date_iso(texte: &str) -> Option<Date> {
    Date::parse(
        texte.trim(),
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_period_cannot_end_before_it_starts() {
        let err =
            Periode::new(Some(date!(2020 - 05 - 01)), Some(date!(2020 - 04 - 30))).unwrap_err();
        assert!(matches!(err, ErreurModele::PeriodeInversee { .. }));
        assert!(Periode::new(Some(date!(2020 - 05 - 01)), Some(date!(2020 - 05 - 01))).is_ok());
        assert!(Periode::new(None, Some(date!(2020 - 05 - 01))).is_ok());
    }

    #[test]
    fn open_ends_contain_everything_on_their_side() {
        let p = Periode::new(Some(date!(2016 - 01 - 01)), None).unwrap();
        assert!(p.contient(date!(2030 - 01 - 01)));
        assert!(!p.contient(date!(2015 - 12 - 31)));
        assert!(Periode::inconnue().contient(date!(1990 - 01 - 01)));
    }

    #[test]
    fn only_iso_dates_parse() {
        assert_eq!(date_iso("2019-01-01"), Some(date!(2019 - 01 - 01)));
        assert_eq!(date_iso("01/01/2019"), None);
        assert_eq!(date_iso("2019-02-30"), None);
    }
}
