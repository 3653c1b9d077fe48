//! Reading an amount as a person types it in a form: « 25 000 000 FCFA », « 25.000.000 »,
//! « 12 345,67 € », « 1,2 M ».
//!
//! The rule is to never read a wrong amount silently: a notation with two plausible readings
//! (« 12.500 » in euros: twelve and a half, or twelve thousand five hundred?) is refused with
//! a message that shows both ways of writing it. The exchange files keep their stricter
//! reading ([`Montant::depuis_texte`]), where the decimal mark is known from the file.

use super::{Devise, Montant};

/// Why a typed amount cannot be read; the messages are the form's, in plain French.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ErreurMontant {
    #[error("Écrivez le montant en chiffres, par exemple {}.", exemple(*.0))]
    Illisible(Devise),
    #[error("Un montant ne peut pas être négatif : écrivez-le sans signe moins.")]
    Negatif,
    #[error(
        "Groupez les chiffres par trois pour les milliers, par exemple 25 000 000, ou écrivez-les sans espace : 25000000."
    )]
    Groupes,
    #[error("{}", ambiguite(texte, milliers, decimal.as_deref()))]
    Ambigu {
        texte: String,
        /// The reading as thousands, as it should be written.
        milliers: String,
        /// The reading with decimals, when the currency allows it.
        decimal: Option<String>,
    },
    #[error("{}", trop_de_decimales(*.0))]
    TropDeDecimales(Devise),
    #[error("Le montant est écrit en {} mais la devise choisie est : {}. Choisissez la bonne devise ou corrigez le montant.", ecrite.libelle(), choisie.libelle())]
    AutreDevise { ecrite: Devise, choisie: Devise },
    #[error("Ce montant est trop grand : vérifiez le nombre de zéros.")]
    TropGrand,
}

fn exemple(devise: Devise) -> &'static str {
    if devise.decimales() == 0 {
        "25 000 000"
    } else {
        "12 345,67"
    }
}

fn ambiguite(texte: &str, milliers: &str, decimal: Option<&str>) -> String {
    match decimal {
        Some(d) => format!(
            "« {texte} » peut se lire de deux façons : écrivez {milliers} s'il s'agit de milliers, ou {d} sinon."
        ),
        None => format!("« {texte} » est ambigu : écrivez {milliers} s'il s'agit de milliers."),
    }
}

fn trop_de_decimales(devise: Devise) -> String {
    if devise.decimales() == 0 {
        "Le franc CFA n'a pas de centimes : écrivez un nombre entier, par exemple 25 000 000."
            .to_owned()
    } else {
        format!(
            "Écrivez au plus {} chiffres après la virgule, par exemple 12 345,67.",
            devise.decimales()
        )
    }
}

/// How people write each currency after (or before) the figure, lower case, longest first
/// so that « f cfa » is not taken for « f » nor « chf » for « f ».
const DEVISES_ECRITES: &[(&str, Devise)] = &[
    ("francs suisses", Devise::Chf),
    ("livres sterling", Devise::Gbp),
    ("franc suisse", Devise::Chf),
    ("livre sterling", Devise::Gbp),
    ("francs cfa", Devise::Xof),
    ("franc cfa", Devise::Xof),
    ("francs", Devise::Xof),
    ("franc", Devise::Xof),
    ("euros", Devise::Eur),
    ("f.cfa", Devise::Xof),
    ("f cfa", Devise::Xof),
    ("euro", Devise::Eur),
    ("fcfa", Devise::Xof),
    ("cfa", Devise::Xof),
    ("xof", Devise::Xof),
    ("eur", Devise::Eur),
    ("usd", Devise::Usd),
    ("cad", Devise::Cad),
    ("gbp", Devise::Gbp),
    ("chf", Devise::Chf),
    ("€", Devise::Eur),
    ("£", Devise::Gbp),
    ("f", Devise::Xof),
];

/// « M » for million and « Md » for milliard, as French newspapers and budgets write them.
const MULTIPLICATEURS: &[(&str, u32)] = &[
    ("milliards", 9),
    ("milliard", 9),
    ("millions", 6),
    ("million", 6),
    ("mds", 9),
    ("md", 9),
    ("m", 6),
];

fn espace(c: char) -> bool {
    matches!(
        c,
        ' ' | '\u{A0}' | '\u{202F}' | '\u{2009}' | '\'' | '\u{2019}'
    )
}

/// `texte` without the word `mot` at its end (or at its start, for a symbol), if there.
fn sans_mot<'a>(texte: &'a str, mot: &str) -> Option<&'a str> {
    let debut_symbole = mot.chars().all(|c| !c.is_alphanumeric());
    if let Some(reste) = texte.strip_suffix(mot) {
        // A word must not be the end of another one: « 25m » is a multiplier, « cfa » in
        // « fcfa » was already tried.
        if debut_symbole || !reste.ends_with(|c: char| c.is_alphabetic()) {
            return Some(reste.trim_end_matches(espace));
        }
    }
    if debut_symbole {
        return texte
            .strip_prefix(mot)
            .map(|r| r.trim_start_matches(espace));
    }
    None
}

impl Montant {
    /// Reads an amount typed in a form in `devise` (see the module's notes for the rules).
    pub fn depuis_saisie(texte: &str, devise: Devise) -> Result<Montant, ErreurMontant> {
        let brut = texte.trim_matches(|c: char| c.is_whitespace() || espace(c));
        let mut reste = brut.to_lowercase();
        if reste.starts_with(['-', '\u{2212}']) {
            return Err(ErreurMontant::Negatif);
        }
        if let Some((sans, ecrite)) = DEVISES_ECRITES
            .iter()
            .find_map(|(mot, d)| sans_mot(&reste, mot).map(|s| (s.to_owned(), *d)))
        {
            if ecrite != devise {
                return Err(ErreurMontant::AutreDevise {
                    ecrite,
                    choisie: devise,
                });
            }
            reste = sans;
            if let Some(sans) = sans_mot(&reste, "de") {
                reste = sans.to_owned();
            }
        }
        let mut puissance = 0;
        if let Some((sans, p)) = MULTIPLICATEURS
            .iter()
            .find_map(|(mot, p)| sans_mot(&reste, mot).map(|s| (s.to_owned(), *p)))
        {
            reste = sans;
            puissance = p;
        }
        lire_nombre(&reste, brut, devise, puissance)
    }
}

/// The figure once the currency and the multiplier are set aside.
fn lire_nombre(
    nombre: &str,
    brut: &str,
    devise: Devise,
    puissance: u32,
) -> Result<Montant, ErreurMontant> {
    let illisible = || ErreurMontant::Illisible(devise);
    if nombre.is_empty()
        || !nombre
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',') || espace(c))
    {
        return Err(illisible());
    }
    let compte = |m: char| nombre.matches(m).count();
    let dernier = |m: char| nombre.rfind(m);
    let (decimale, groupe) = match (compte('.'), compte(',')) {
        (0, 0) => (None, None),
        (p, v) if p > 0 && v > 0 => {
            // Both marks: the last one separates the decimals, once.
            let (d, g) = if dernier('.') > dernier(',') {
                ('.', ',')
            } else {
                (',', '.')
            };
            if compte(d) > 1 {
                return Err(illisible());
            }
            (Some(d), Some(g))
        }
        (1, 0) | (0, 1) => {
            let marque = if compte('.') == 1 { '.' } else { ',' };
            let (avant, apres) = nombre.split_once(marque).unwrap_or_default();
            if apres.len() == 3 && !avant.contains(espace) {
                // « 25.000 »: thousands or decimals? Only the dot in francs CFA (which
                // have no decimals) is read as thousands, as it is written in Mali.
                if marque == '.' && devise.decimales() == 0 && puissance == 0 {
                    (None, Some('.'))
                } else {
                    return Err(ambigu(brut, avant, apres, devise, puissance));
                }
            } else {
                (Some(marque), None)
            }
        }
        (_, 0) => (None, Some('.')),
        _ => (None, Some(',')),
    };
    let (entiers, decimales) = match decimale {
        Some(d) => nombre.split_once(d).unwrap_or_default(),
        None => (nombre, ""),
    };
    let groupes: Vec<&str> = entiers
        .split(|c: char| espace(c) || Some(c) == groupe)
        .collect();
    let groupes_bons = match groupes.as_slice() {
        [seul] => !seul.is_empty(),
        [premier, suite @ ..] => {
            (1..=3).contains(&premier.len()) && suite.iter().all(|g| g.len() == 3)
        }
        [] => false,
    };
    if !groupes_bons
        || !groupes
            .iter()
            .all(|g| g.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(if groupes.len() > 1 {
            ErreurMontant::Groupes
        } else {
            illisible()
        });
    }
    if decimale.is_some()
        && (decimales.is_empty() || !decimales.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(illisible());
    }
    let chiffres: String = groupes.concat() + decimales;
    if chiffres.len() > 30 {
        return Err(ErreurMontant::TropGrand);
    }
    let valeur: i128 = chiffres.parse().map_err(|_| illisible())?;
    // value × 10^(puissance + currency decimals) / 10^(typed decimals), exactly.
    let haut = puissance + devise.decimales();
    let bas = decimales.len() as u32;
    let mineures = if haut >= bas {
        valeur.checked_mul(10_i128.pow(haut - bas))
    } else {
        let diviseur = 10_i128.pow(bas - haut);
        if valeur % diviseur != 0 {
            return Err(ErreurMontant::TropDeDecimales(devise));
        }
        Some(valeur / diviseur)
    };
    let mineures = mineures
        .and_then(|m| i64::try_from(m).ok())
        .ok_or(ErreurMontant::TropGrand)?;
    Montant::new(mineures, devise).map_err(|_| ErreurMontant::Negatif)
}

/// The refusal of « 12.500 »: both readings, written as the form accepts them.
fn ambigu(brut: &str, avant: &str, apres: &str, devise: Devise, puissance: u32) -> ErreurMontant {
    let milliers = format!("{avant}\u{A0}{apres}");
    let decimal = {
        let utiles = apres.trim_end_matches('0');
        (puissance > 0 || utiles.len() <= devise.decimales() as usize).then(|| {
            let largeur = if puissance > 0 {
                utiles.len()
            } else {
                devise.decimales() as usize
            };
            if largeur == 0 {
                avant.to_owned()
            } else {
                format!("{avant},{utiles:0<largeur$}")
            }
        })
    };
    let suffixe = if puissance > 0 { " M" } else { "" };
    ErreurMontant::Ambigu {
        texte: brut.to_owned(),
        milliers: format!("{milliers}{suffixe}"),
        decimal: decimal.map(|d| format!("{d}{suffixe}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lu(texte: &str, devise: Devise) -> Result<i64, ErreurMontant> {
        Montant::depuis_saisie(texte, devise).map(|m| m.unites_mineures())
    }

    #[test]
    fn amounts_are_read_as_people_type_them() {
        use Devise::{Eur, Xof};
        let table: &[(&str, Devise, i64)] = &[
            ("25000000", Xof, 25_000_000),
            ("25 000 000", Xof, 25_000_000),
            ("25\u{A0}000\u{A0}000", Xof, 25_000_000),
            ("25\u{202F}000\u{202F}000", Xof, 25_000_000),
            ("25.000.000", Xof, 25_000_000),
            ("25,000,000", Xof, 25_000_000),
            ("25'000'000", Xof, 25_000_000),
            ("25 000 000 FCFA", Xof, 25_000_000),
            ("25 000 000 F CFA", Xof, 25_000_000),
            ("25.000.000 FCFA", Xof, 25_000_000),
            ("25 000 000F", Xof, 25_000_000),
            ("25 000 000 francs CFA", Xof, 25_000_000),
            ("25 000 000 XOF", Xof, 25_000_000),
            ("  25 000 000  ", Xof, 25_000_000),
            ("25.000", Xof, 25_000),
            ("1.500", Xof, 1_500),
            ("25 000,00", Xof, 25_000),
            ("25.000,00 FCFA", Xof, 25_000),
            ("1,2 M", Xof, 1_200_000),
            ("1,2 M FCFA", Xof, 1_200_000),
            ("1.2 M", Xof, 1_200_000),
            ("2,5 millions de FCFA", Xof, 2_500_000),
            ("25M", Xof, 25_000_000),
            ("1,5 Md", Xof, 1_500_000_000),
            ("3 milliards", Xof, 3_000_000_000),
            ("0", Xof, 0),
            ("12 345,67 €", Eur, 1_234_567),
            ("12\u{202F}345,67\u{A0}€", Eur, 1_234_567),
            ("€ 12 345,67", Eur, 1_234_567),
            ("12345.67", Eur, 1_234_567),
            ("12.345,67", Eur, 1_234_567),
            ("12,345.67", Eur, 1_234_567),
            ("12.50", Eur, 1_250),
            ("12,5", Eur, 1_250),
            ("12,5 euros", Eur, 1_250),
            ("1 234,500", Eur, 123_450),
            ("38 112 EUR", Eur, 3_811_200),
            ("1,25 M€", Eur, 125_000_000),
            ("0,05", Eur, 5),
        ];
        for (texte, devise, attendu) in table {
            assert_eq!(lu(texte, *devise), Ok(*attendu), "{texte:?} en {devise:?}");
        }
    }

    #[test]
    fn what_could_be_misread_is_refused_with_the_way_to_write_it() {
        use Devise::{Eur, Xof};
        let ambigu = |texte: &str, devise| match lu(texte, devise) {
            Err(e @ ErreurMontant::Ambigu { .. }) => e.to_string(),
            autre => panic!("{texte:?} : {autre:?}"),
        };
        assert_eq!(
            ambigu("12.500", Eur),
            "« 12.500 » peut se lire de deux façons : écrivez 12\u{A0}500 s'il s'agit de milliers, ou 12,50 sinon."
        );
        assert_eq!(
            ambigu("12,345", Eur),
            "« 12,345 » est ambigu : écrivez 12\u{A0}345 s'il s'agit de milliers."
        );
        assert!(
            ambigu("25,000", Xof)
                .ends_with("écrivez 25\u{A0}000 s'il s'agit de milliers, ou 25 sinon.")
        );
        assert!(ambigu("1.500 M", Xof).contains("1\u{A0}500 M"));
        assert!(ambigu("1.500 M", Xof).contains("ou 1,5 M"));

        let table: &[(&str, Devise, ErreurMontant)] = &[
            ("", Xof, ErreurMontant::Illisible(Xof)),
            ("abc", Xof, ErreurMontant::Illisible(Xof)),
            ("1e6", Eur, ErreurMontant::Illisible(Eur)),
            (
                "25 000 000 FCFA ou plus",
                Xof,
                ErreurMontant::Illisible(Xof),
            ),
            ("1,2,3.4.5", Eur, ErreurMontant::Illisible(Eur)),
            (",5", Eur, ErreurMontant::Illisible(Eur)),
            ("12,", Eur, ErreurMontant::Illisible(Eur)),
            ("FCFA", Xof, ErreurMontant::Illisible(Xof)),
            ("-3", Eur, ErreurMontant::Negatif),
            ("−3 000", Xof, ErreurMontant::Negatif),
            ("25 00", Xof, ErreurMontant::Groupes),
            ("2500 000", Xof, ErreurMontant::Groupes),
            ("25.00.000", Xof, ErreurMontant::Groupes),
            ("10,5", Xof, ErreurMontant::TropDeDecimales(Xof)),
            ("12,345 67", Eur, ErreurMontant::Illisible(Eur)),
            ("1 234,567", Eur, ErreurMontant::TropDeDecimales(Eur)),
            ("1,2345678 M", Xof, ErreurMontant::TropDeDecimales(Xof)),
            (
                "12 345,67 €",
                Xof,
                ErreurMontant::AutreDevise {
                    ecrite: Eur,
                    choisie: Xof,
                },
            ),
            (
                "25 000 000 FCFA",
                Eur,
                ErreurMontant::AutreDevise {
                    ecrite: Xof,
                    choisie: Eur,
                },
            ),
            ("99999999999999999999", Xof, ErreurMontant::TropGrand),
            ("9999999999 Md", Xof, ErreurMontant::TropGrand),
        ];
        for (texte, devise, attendu) in table {
            assert_eq!(lu(texte, *devise).as_ref(), Err(attendu), "{texte:?}");
        }
    }

    #[test]
    fn messages_say_what_to_do() {
        assert_eq!(
            ErreurMontant::Illisible(Devise::Xof).to_string(),
            "Écrivez le montant en chiffres, par exemple 25 000 000."
        );
        assert_eq!(
            ErreurMontant::TropDeDecimales(Devise::Xof).to_string(),
            "Le franc CFA n'a pas de centimes : écrivez un nombre entier, par exemple 25 000 000."
        );
        assert_eq!(
            ErreurMontant::AutreDevise {
                ecrite: Devise::Eur,
                choisie: Devise::Xof
            }
            .to_string(),
            "Le montant est écrit en euro mais la devise choisie est : franc CFA (XOF). Choisissez la bonne devise ou corrigez le montant."
        );
    }
}
