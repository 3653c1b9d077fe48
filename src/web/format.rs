//! How dates, instants and templates are written out for French readers.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use time::{Date, OffsetDateTime};

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
    crate::observatoire::rendu::entier(*n.borrow())
}

/// An ISO date or date-time kept as text (« 2026-11-30 », « 2014-09-10T07:15:37Z ») as a
/// French reader reads its day (« 30 novembre 2026 »); anything else as it is.
pub fn date_texte(texte: &str) -> String {
    let jour = texte.split('T').next().unwrap_or(texte);
    crate::model::date_iso(jour).map_or_else(|| texte.to_owned(), |jour| date(&jour))
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
    fn points_read_in_french_degrees() {
        assert_eq!(coordonnees(14.4485, -11.4389), "14,4485° N, 11,4389° O");
        assert_eq!(coordonnees(-8.0, 100.123_456), "8° S, 100,1235° E");
    }
}
