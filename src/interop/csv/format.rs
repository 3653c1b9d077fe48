//! How the exchange files are written and read: the two variants, and the cells that
//! spreadsheets rewrite (separator, byte order mark, decimal mark, dates).

use std::borrow::Cow;

use time::Date;

use crate::model::{Devise, Montant, sans_caracteres_interdits};

/// The two ways benkan writes its files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variante {
    /// UTF-8 without BOM, `,` separator, `.` decimal mark, `\n` line ends.
    Utf8,
    /// What French Excel opens correctly: UTF-8 with BOM, `;` separator, decimal comma,
    /// `\r\n` line ends.
    ExcelFr,
}

impl Variante {
    pub fn separateur(self) -> u8 {
        match self {
            Variante::Utf8 => b',',
            Variante::ExcelFr => b';',
        }
    }

    pub fn marque_decimale(self) -> char {
        match self {
            Variante::Utf8 => '.',
            Variante::ExcelFr => ',',
        }
    }

    /// A CSV writer of this variant over `sortie` (the BOM is the caller's).
    pub fn ecrivain<W: std::io::Write>(self, sortie: W) -> csv::Writer<W> {
        csv::WriterBuilder::new()
            .delimiter(self.separateur())
            .terminator(match self {
                Variante::Utf8 => csv::Terminator::Any(b'\n'),
                Variante::ExcelFr => csv::Terminator::CRLF,
            })
            .from_writer(sortie)
    }
}

/// What a spreadsheet takes for the start of a formula (`=`, `+`, `-`, `@`, and tab or CR
/// before one, as OWASP lists them).
const DEBUTS_DE_FORMULE: &[char] = &['=', '+', '-', '@', '\t', '\r'];

/// Whether a cell of the Excel variant starting so gets (or got) a neutralising `'`.
fn a_neutraliser(texte: &str) -> bool {
    texte.starts_with(|c: char| c == '\'' || DEBUTS_DE_FORMULE.contains(&c))
}

impl Variante {
    /// A stored value as a cell of this variant. Never a control character (a record
    /// stored before the model refused them gets U+FFFD instead). In the Excel variant, a
    /// value a spreadsheet would run as a formula (`=SUM(1)`, `+33…`, `-x`, `@a`) is
    /// neutralised the OWASP way, with a leading `'`; so is a value that genuinely starts
    /// with `'`, so that [`Variante::valeur`] gives back exactly what was written.
    pub fn cellule(self, valeur: &str) -> Cow<'_, str> {
        let propre = sans_caracteres_interdits(valeur);
        if self == Variante::ExcelFr && a_neutraliser(&propre) {
            Cow::Owned(format!("'{propre}"))
        } else {
            propre
        }
    }

    /// A cell read back as the value it holds: in the Excel variant, the `'` that
    /// [`Variante::cellule`] put before a formula start or a quote is removed; a `'` before
    /// anything else is the value's own.
    pub fn valeur(self, cellule: &str) -> &str {
        match cellule.strip_prefix('\'') {
            Some(reste) if self == Variante::ExcelFr && a_neutraliser(reste) => reste,
            _ => cellule,
        }
    }

    /// The variant a file read with this separator was written in: `;` is what French
    /// Excel (and `--excel-fr`) writes.
    pub fn du_separateur(separateur: u8) -> Variante {
        if separateur == b';' {
            Variante::ExcelFr
        } else {
            Variante::Utf8
        }
    }
}

/// The UTF-8 byte order mark, which tells Excel the file's encoding.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A file's text, whatever spreadsheet wrote it: the BOM is dropped, and a file that is not
/// UTF-8 is read as Windows-1252 (what French Excel writes for « CSV (séparateur :
/// point-virgule) »).
pub fn texte(octets: &[u8]) -> String {
    let octets = octets.strip_prefix(BOM).unwrap_or(octets);
    match std::str::from_utf8(octets) {
        Ok(t) => t.to_owned(),
        Err(_) => octets.iter().map(|&b| windows_1252(b)).collect(),
    }
}

fn windows_1252(b: u8) -> char {
    const HAUT: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HAUT[(b - 0x80) as usize],
        _ => b as char,
    }
}

/// The separator of a file: among `,`, `;` and tab, the one the header line uses most
/// (outside quotes).
pub fn separateur(texte: &str) -> u8 {
    let mut comptes = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut entre_guillemets = false;
    for b in texte.bytes() {
        match b {
            b'"' => entre_guillemets = !entre_guillemets,
            b'\n' | b'\r' if !entre_guillemets => break,
            _ if !entre_guillemets => {
                if let Some(c) = comptes.iter_mut().find(|(s, _)| *s == b) {
                    c.1 += 1;
                }
            }
            _ => {}
        }
    }
    comptes
        .iter()
        .max_by_key(|(s, n)| (*n, *s == b','))
        .map_or(b',', |(s, _)| *s)
}

/// The decimal mark of the amounts of a file: `,` when one amount has a comma, else `.`.
pub fn marque_decimale<'a>(montants: impl IntoIterator<Item = &'a str>) -> char {
    if montants.into_iter().any(|m| m.contains(',')) {
        ','
    } else {
        '.'
    }
}

/// A date as ISO (`2019-01-31`) or as French spreadsheets re-save it (`31/01/2019`).
pub fn date(texte: &str) -> Option<Date> {
    let texte = texte.trim();
    if let Some(d) = crate::model::date_iso(texte) {
        return Some(d);
    }
    let mut morceaux = texte.split('/');
    let (jour, mois, annee) = (morceaux.next()?, morceaux.next()?, morceaux.next()?);
    if morceaux.next().is_some()
        || annee.len() != 4
        || !(1..=2).contains(&jour.len())
        || !(1..=2).contains(&mois.len())
    {
        return None;
    }
    let mois = time::Month::try_from(mois.parse::<u8>().ok()?).ok()?;
    Date::from_calendar_date(annee.parse().ok()?, mois, jour.parse().ok()?).ok()
}

/// An amount in the file's decimal mark (`marque`); spaces may group thousands. The other
/// mark is refused, so that `1.234` in a decimal-comma file is not read as one euro.
pub fn montant(texte: &str, devise: Devise, marque: char) -> Option<Montant> {
    let autre = if marque == ',' { '.' } else { ',' };
    if texte.contains(autre) {
        return None;
    }
    Montant::depuis_texte(texte, devise).ok()
}

/// An amount in the variant's notation, without grouping: `1234.56`, `1234,56`, `25000000`.
pub fn ecrire_montant(unites_mineures: i64, devise: Devise, variante: Variante) -> String {
    let decimales = devise.decimales();
    if decimales == 0 {
        return unites_mineures.to_string();
    }
    let diviseur = 10_i64.pow(decimales);
    format!(
        "{}{}{:0largeur$}",
        unites_mineures / diviseur,
        variante.marque_decimale(),
        unites_mineures % diviseur,
        largeur = decimales as usize
    )
}

/// `oui`/`non`, and what spreadsheets and programs write for them.
pub fn booleen(texte: &str) -> Option<bool> {
    match texte.trim().to_lowercase().as_str() {
        "oui" | "o" | "1" | "vrai" | "true" => Some(true),
        "non" | "n" | "0" | "faux" | "false" | "" => Some(false),
        _ => None,
    }
}

/// The separator of the cells that hold several collectivités (`parties`, `lieux`) or
/// objectives (`objectifs`).
pub use crate::store::echange::SEPARATEUR_LISTE;

/// The items of a list cell, trimmed, without empty ones.
pub fn liste(texte: &str) -> Vec<&str> {
    texte
        .split('|')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_separator_is_the_one_the_header_uses() {
        assert_eq!(separateur("identifiant,titre,statut\n"), b',');
        assert_eq!(separateur("identifiant;titre;statut\r\na,b;c"), b';');
        assert_eq!(separateur("identifiant\ttitre\tstatut"), b'\t');
        // a quoted header with the other separators inside
        assert_eq!(separateur("\"a;b;c\",d,e\n"), b',');
        // one column: nothing to count, comma by default
        assert_eq!(separateur("identifiant\n"), b',');
    }

    #[test]
    fn the_bom_goes_and_windows_1252_is_understood() {
        assert_eq!(texte(b"\xEF\xBB\xBFnom\nS\xC3\xA9gou"), "nom\nSégou");
        assert_eq!(texte(b"nom\nS\xE9gou \x80"), "nom\nSégou €");
        assert_eq!(texte("Kayes".as_bytes()), "Kayes");
    }

    #[test]
    fn dates_are_iso_or_french() {
        assert_eq!(date("2019-01-31"), Some(date!(2019 - 01 - 31)));
        assert_eq!(date("31/01/2019"), Some(date!(2019 - 01 - 31)));
        assert_eq!(date(" 1/2/2019 "), Some(date!(2019 - 02 - 01)));
        for faux in [
            "31/02/2019",
            "2019/01/31",
            "31/01/19",
            "01-31-2019",
            "",
            "1/1/1/2019",
        ] {
            assert_eq!(date(faux), None, "{faux}");
        }
    }

    #[test]
    fn amounts_keep_their_decimal_mark() {
        let m = |t, d, mq| montant(t, d, mq).map(|m| m.unites_mineures());
        assert_eq!(m("1234.56", Devise::Eur, '.'), Some(123_456));
        assert_eq!(m("1234,56", Devise::Eur, ','), Some(123_456));
        assert_eq!(m("1 234,5", Devise::Eur, ','), Some(123_450));
        assert_eq!(m("25000000", Devise::Xof, ','), Some(25_000_000));
        assert_eq!(m("1.234", Devise::Eur, ','), None, "the other mark");
        assert_eq!(m("1,5", Devise::Xof, ','), None, "no decimals in XOF");
        assert_eq!(m("-3", Devise::Eur, '.'), None);
        assert_eq!(m("douze", Devise::Eur, '.'), None);
        assert_eq!(marque_decimale(["12", "3,5"]), ',');
        assert_eq!(marque_decimale(["12", "3.5"]), '.');
        assert_eq!(marque_decimale([]), '.');
    }

    #[test]
    fn amounts_are_written_in_the_variant() {
        assert_eq!(
            ecrire_montant(123_456, Devise::Eur, Variante::Utf8),
            "1234.56"
        );
        assert_eq!(
            ecrire_montant(123_405, Devise::Usd, Variante::ExcelFr),
            "1234,05"
        );
        assert_eq!(ecrire_montant(7, Devise::Eur, Variante::Utf8), "0.07");
        assert_eq!(
            ecrire_montant(25_000_000, Devise::Xof, Variante::ExcelFr),
            "25000000"
        );
    }

    #[test]
    fn excel_cells_never_start_a_formula_and_read_back_the_same() {
        let excel = Variante::ExcelFr;
        for (valeur, cellule) in [
            ("=SUM(1)", "'=SUM(1)"),
            ("+33 6 12 34 56 78", "'+33 6 12 34 56 78"),
            ("-x", "'-x"),
            ("@a", "'@a"),
            ("\tTab", "'\tTab"),
            ("\r=1", "'\r=1"),
            ("'deja", "''deja"),
            ("''", "'''"),
            ("'", "''"),
            ("Kayes", "Kayes"),
            ("1234,56", "1234,56"),
            ("", ""),
        ] {
            assert_eq!(excel.cellule(valeur), cellule, "{valeur:?}");
            assert_eq!(excel.valeur(cellule), valeur, "{cellule:?}");
            // the UTF-8 variant stays raw
            assert_eq!(Variante::Utf8.cellule(valeur), valeur);
            assert_eq!(Variante::Utf8.valeur(valeur), valeur);
        }
        // a quote typed by hand before an ordinary text is the text's own
        assert_eq!(excel.valeur("'Kayes"), "'Kayes");
        // no variant writes a control character
        assert_eq!(Variante::Utf8.cellule("a\u{1}b"), "a\u{FFFD}b");
        assert_eq!(excel.cellule("\u{0}=1"), "\u{FFFD}=1");
        assert_eq!(Variante::du_separateur(b';'), excel);
        assert_eq!(Variante::du_separateur(b','), Variante::Utf8);
    }

    #[test]
    fn booleans_and_lists() {
        assert_eq!(booleen("Oui"), Some(true));
        assert_eq!(booleen("0"), Some(false));
        assert_eq!(booleen(""), Some(false));
        assert_eq!(booleen("peut-être"), None);
        assert_eq!(
            liste(" ML:ML-1 |FR:region:84 | "),
            vec!["ML:ML-1", "FR:region:84"]
        );
    }
}
