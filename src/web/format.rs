//! How dates, instants, money and templates are written out for French readers.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use time::{Date, OffsetDateTime};

use crate::model::{Code, Devise, TypeFinancement};
use crate::observatoire::Somme;
use crate::store::financement::Total;

/// A rendered template as an HTML response; a rendering failure is a 500, logged.
pub struct Html<T>(pub T);

impl<T: Template> IntoResponse for Html<T> {
    fn into_response(self) -> Response {
        match self.0.render() {
            Ok(html) => axum::response::Html(html).into_response(),
            Err(e) => {
                tracing::error!("gabarit : {e}");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Erreur du serveur : la page n'a pas pu être produite.",
                )
                    .into_response()
            }
        }
    }
}

/// « 1er janvier 2019 », « 12 mars 2020 ».
pub fn date(jour: &Date) -> String {
    crate::model::date_fr(jour)
}

/// « 29 novembre 2026 à 06 h 30 (UTC) ».
pub fn instant(moment: &OffsetDateTime) -> String {
    let utc = moment.to_offset(time::UtcOffset::UTC);
    format!(
        "{} à {:02} h {:02} (UTC)",
        date(&utc.date()),
        utc.hour(),
        utc.minute()
    )
}

/// A point in French degrees, to four decimals (about 11 m): « 14,4485° N, 11,4389° O ».
pub fn coordonnees(latitude: f64, longitude: f64) -> String {
    let degres = |v: f64, positif: &str, negatif: &str| {
        let texte = format!("{:.4}", v.abs());
        let texte = texte.trim_end_matches('0').trim_end_matches('.');
        format!(
            "{}° {}",
            texte.replace('.', ","),
            if v < 0.0 { negatif } else { positif }
        )
    };
    format!(
        "{}, {}",
        degres(latitude, "N", "S"),
        degres(longitude, "E", "O")
    )
}

/// « 38 999 »: French digit grouping with a narrow no-break space, as the overview writes it.
/// Templates hand a count by value or by reference.
pub fn entier(n: impl std::borrow::Borrow<u64>) -> String {
    crate::observatoire::rendu::entier(n)
}

/// A number a template holds by value or by reference (askama binds `if let` by reference).
pub trait Entier {
    fn entier(&self) -> i64;
}

impl Entier for i64 {
    fn entier(&self) -> i64 {
        *self
    }
}

impl<T: Entier + ?Sized> Entier for &T {
    fn entier(&self) -> i64 {
        (**self).entier()
    }
}

/// A share in thousandths as the value of a `<meter>` from 0 to 1000: beyond the target, full.
pub fn jauge(p: impl Entier) -> i64 {
    p.entier().clamp(0, 1000)
}

/// A share in thousandths as French readers read it: « 75 % », « 112 % », « 0,5 % ».
pub fn pour_mille(p: impl Entier) -> String {
    let p = p.entier();
    if p > 0 && p < 10 {
        format!("0,{p}\u{202F}%")
    } else {
        format!("{}\u{202F}%", (p + 5) / 10)
    }
}

/// An ISO date or date-time kept as text (« 2026-11-30 », « 2014-09-10T07:15:37Z ») as a
/// French reader reads its day (« 30 novembre 2026 »); anything else as it is.
pub fn date_texte(texte: &str) -> String {
    let jour = texte.split('T').next().unwrap_or(texte);
    crate::model::date_iso(jour).map_or_else(|| texte.to_owned(), |jour| date(&jour))
}

/// One line of a record's money: a kind (engagements, décaissements) in one currency, with
/// its equivalent when the parity is fixed, or the exact total of francs and euros.
pub struct LigneTotal {
    pub type_financement: TypeFinancement,
    /// « 10 000 000 FCFA (15 245 €) », « 15 000,00 € (9 839 355 FCFA) », « 300,00 USD ».
    pub texte: String,
    /// How many financements it adds up; `None` on the line of the total.
    pub nombre: Option<u64>,
}

/// The totals of a record as its page shows them: each currency in its own notation; the franc
/// CFA and the euro with their exact equivalent, and their sum when a kind has both. Other
/// currencies have no fixed parity: they are shown as they are, never added.
pub fn totaux(liste: &[Total]) -> Vec<LigneTotal> {
    let mut lignes = Vec::new();
    for &type_financement in TypeFinancement::TOUS {
        let du_type: Vec<&Total> = liste
            .iter()
            .filter(|t| t.type_financement == type_financement)
            .collect();
        let mut somme = Somme::default();
        let mut a_parite = 0;
        for t in &du_type {
            let m = t.montant;
            let exacte = match m.devise() {
                Devise::Xof => Some(Somme::de_francs(m.unites_mineures().into())),
                Devise::Eur => Some(Somme::de_centimes(m.unites_mineures().into())),
                _ => None,
            };
            let texte = match exacte {
                Some(s) if m.devise() == Devise::Xof => format!("{m} ({})", s.en_euros()),
                Some(s) => format!("{m} ({})", s.en_francs()),
                None => m.to_string(),
            };
            if let Some(s) = exacte {
                somme = somme + s;
                a_parite += 1;
            }
            lignes.push(LigneTotal {
                type_financement,
                texte,
                nombre: Some(t.nombre),
            });
        }
        if a_parite > 1 {
            lignes.push(LigneTotal {
                type_financement,
                texte: format!("au total {somme}"),
                nombre: None,
            });
        }
    }
    lignes
}

/// Today in Mali (UTC, all year round).
pub fn aujourd_hui() -> Date {
    OffsetDateTime::now_utc().date()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn dates_read_as_french() {
        assert_eq!(date(&date!(2019 - 01 - 01)), "1er janvier 2019");
        assert_eq!(date(&date!(2016 - 08 - 15)), "15 août 2016");
        assert_eq!(
            instant(&datetime!(2026-11-29 6:05 UTC)),
            "29 novembre 2026 à 06 h 05 (UTC)"
        );
    }

    #[test]
    fn counts_and_iso_dates_read_as_french() {
        assert_eq!(entier(38_999), "38\u{202F}999");
        assert_eq!(date_texte("2026-11-30"), "30 novembre 2026");
        assert_eq!(date_texte("2014-09-10T07:15:37Z"), "10 septembre 2014");
        assert_eq!(date_texte("bientôt"), "bientôt");
    }

    #[test]
    fn totals_read_in_their_currency_with_the_exact_equivalent() {
        use crate::model::Montant;
        let total = |type_financement, unites, devise| Total {
            type_financement,
            montant: Montant::new(unites, devise).unwrap(),
            nombre: 2,
        };
        let lignes = totaux(&[
            total(TypeFinancement::Engagement, 25_000_000, Devise::Xof),
            total(TypeFinancement::Engagement, 1_234_567, Devise::Eur),
            total(TypeFinancement::Engagement, 30_000, Devise::Usd),
            total(TypeFinancement::Decaissement, 655_957, Devise::Xof),
        ]);
        let textes: Vec<&str> = lignes.iter().map(|l| l.texte.as_str()).collect();
        assert_eq!(
            textes,
            [
                "25\u{202F}000\u{202F}000\u{A0}FCFA (38\u{202F}112\u{A0}€)",
                "12\u{202F}345,67\u{A0}€ (8\u{202F}098\u{202F}229\u{A0}FCFA)",
                "300,00\u{A0}USD",
                "au total 33\u{202F}098\u{202F}229\u{A0}FCFA (50\u{202F}458\u{A0}€)",
                "655\u{202F}957\u{A0}FCFA (1\u{202F}000\u{A0}€)",
            ]
        );
        assert_eq!(lignes[3].nombre, None, "the total is not a financement");
        assert_eq!(lignes[4].type_financement, TypeFinancement::Decaissement);
    }

    #[test]
    fn points_read_in_french_degrees() {
        assert_eq!(coordonnees(14.4485, -11.4389), "14,4485° N, 11,4389° O");
        assert_eq!(coordonnees(-8.0, 100.123_456), "8° S, 100,1235° E");
    }
}
