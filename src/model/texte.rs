//! Typed text: the one check every stored string goes through, and the one way a message
//! quotes what someone typed.
//!
//! An invisible control character (U+0001 pasted from a PDF, a NUL from a broken
//! spreadsheet) looks like nothing on a page but makes the open-data IATI file unreadable by
//! any XML parser, and hides in a CSV cell. So the model refuses them at every entry (forms,
//! API, CSV import: all reach a `valider` or these functions), and the writers replace them
//! in what an older database may still hold ([`sans_caracteres_interdits`]).

use std::borrow::Cow;
use std::fmt;

use super::ErreurModele;

/// What a field holds: one line (a name, a title: a line break there is a paste mistake and
/// breaks lists and headings) or free text (a description, a comment).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saisie {
    Ligne,
    Paragraphe,
}

/// Whether `c` may never be stored: the control characters (C0 and C1, DEL) other than tab,
/// line feed and carriage return, and U+FFFE / U+FFFF, which XML 1.0 forbids too. (Lone
/// surrogates cannot occur in a Rust string.)
pub fn caractere_interdit(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

/// Checks the characters of a field: no [`caractere_interdit`], and no line break in a
/// [`Saisie::Ligne`]. The message names the field and the character's code point, since it
/// is invisible.
pub fn verifier_caracteres(
    champ: &'static str,
    valeur: &str,
    saisie: Saisie,
) -> Result<(), ErreurModele> {
    let fautif = valeur
        .chars()
        .find(|&c| caractere_interdit(c) || (saisie == Saisie::Ligne && matches!(c, '\n' | '\r')));
    match fautif {
        None => Ok(()),
        Some(c @ ('\n' | '\r')) => Err(ErreurModele::RetourALaLigne {
            champ,
            point: u32::from(c),
        }),
        Some(c) => Err(ErreurModele::CaractereDeControle {
            champ,
            point: u32::from(c),
        }),
    }
}

/// Checks a required text: present, of reasonable length, of allowed characters; returns it
/// trimmed.
pub fn texte_requis(
    champ: &'static str,
    valeur: &str,
    max: usize,
    saisie: Saisie,
) -> Result<String, ErreurModele> {
    let valeur = valeur.trim();
    if valeur.is_empty() {
        return Err(ErreurModele::ChampVide(champ));
    }
    if valeur.chars().count() > max {
        return Err(ErreurModele::ChampTropLong { champ, max });
    }
    verifier_caracteres(champ, valeur, saisie)?;
    Ok(valeur.to_owned())
}

/// Like [`texte_requis`] for an optional text: blank becomes `None`.
pub fn texte_facultatif(
    champ: &'static str,
    valeur: Option<&str>,
    max: usize,
    saisie: Saisie,
) -> Result<Option<String>, ErreurModele> {
    match valeur.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => texte_requis(champ, v, max, saisie).map(Some),
    }
}

/// `texte` with every [`caractere_interdit`] replaced by U+FFFD (the replacement character,
/// visible and allowed everywhere): what the CSV and IATI writers emit, so that a record
/// stored before these checks existed cannot break a whole file.
pub fn sans_caracteres_interdits(texte: &str) -> Cow<'_, str> {
    if texte.chars().any(caractere_interdit) {
        Cow::Owned(
            texte
                .chars()
                .map(|c| if caractere_interdit(c) { '\u{FFFD}' } else { c })
                .collect(),
        )
    } else {
        Cow::Borrowed(texte)
    }
}

/// Removes every [`caractere_interdit`] from `texte`; returns how many went. For foreign
/// data that is not ours to correct (IATI files).
pub fn retirer_caracteres_interdits(texte: &mut String) -> usize {
    let avant = texte.chars().count();
    if texte.chars().any(caractere_interdit) {
        texte.retain(|c| !caractere_interdit(c));
    }
    avant - texte.chars().count()
}

/// How many characters of a value a message quotes: enough to find the cell, not so many
/// that a 20 MB cell floods the screen.
pub const EXTRAIT_MAX: usize = 80;

/// A value as a message quotes it: whole up to [`EXTRAIT_MAX`] characters, else its start
/// followed by « … (N caractères) ». Invisible characters show as their code point.
#[derive(Debug, Clone, Copy)]
pub struct Extrait<'a>(pub &'a str);

impl fmt::Display for Extrait<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut n = 0usize;
        for c in self.0.chars() {
            n += 1;
            if n > EXTRAIT_MAX {
                continue;
            }
            if caractere_interdit(c) {
                write!(f, "<U+{:04X}>", u32::from(c))?;
            } else {
                fmt::Write::write_char(f, c)?;
            }
        }
        if n > EXTRAIT_MAX {
            write!(f, "… ({n} caractères)")?;
        }
        Ok(())
    }
}

/// « Points d'eau… » → « points d'eau… », but « CSCOM » stays: a label inside a sentence.
pub fn minuscule(texte: &str) -> String {
    let mut lettres = texte.chars();
    match (lettres.next(), lettres.clone().next()) {
        (Some(p), Some(d)) if !d.is_uppercase() => p.to_lowercase().chain(lettres).collect(),
        _ => texte.to_owned(),
    }
}

/// A size as people read it: « 812 octets », « 2,5 ko », « 13,6 Mo », « 1,25 Go ».
pub fn taille_fr(octets: u64) -> String {
    match octets {
        0..1_000 => format!("{octets} octets"),
        1_000..1_000_000 => format!("{:.1} ko", octets as f64 / 1e3).replace('.', ","),
        1_000_000..1_000_000_000 => format!("{:.1} Mo", octets as f64 / 1e6).replace('.', ","),
        _ => format!("{:.2} Go", octets as f64 / 1e9).replace('.', ","),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_refused_naming_the_field() {
        for c in [
            '\u{0}', '\u{1}', '\u{B}', '\u{1F}', '\u{7F}', '\u{85}', '\u{9F}', '\u{FFFF}',
        ] {
            let valeur = format!("Jumelage{c}Kayes");
            let erreur = texte_requis("titre", &valeur, 300, Saisie::Paragraphe).unwrap_err();
            assert_eq!(
                erreur,
                ErreurModele::CaractereDeControle {
                    champ: "titre",
                    point: u32::from(c)
                }
            );
        }
        let message = texte_requis("titre", "a\u{1}b", 300, Saisie::Ligne)
            .unwrap_err()
            .to_string();
        assert_eq!(
            message,
            "le champ « titre » contient un caractère de contrôle invisible (U+0001) : supprimez-le ou retapez le texte"
        );
    }

    #[test]
    fn tab_and_line_breaks_follow_the_kind_of_field() {
        let texte = "Première ligne\r\n\tseconde ligne";
        assert_eq!(
            texte_requis("description", texte, 300, Saisie::Paragraphe).unwrap(),
            texte
        );
        assert!(matches!(
            texte_requis("titre", texte, 300, Saisie::Ligne),
            Err(ErreurModele::RetourALaLigne { champ: "titre", .. })
        ));
        assert_eq!(
            texte_requis("titre", " Kayes\tBamako \n", 300, Saisie::Ligne).unwrap(),
            "Kayes\tBamako",
            "blanks around are trimmed before the check"
        );
        // letters of every script, typographic spaces and U+FFFD pass
        let divers = "Ségou – ߒߞߏ 中文 \u{202F}\u{A0}\u{FFFD} 😀";
        assert!(texte_requis("nom", divers, 300, Saisie::Ligne).is_ok());
    }

    #[test]
    fn writers_replace_and_imports_remove() {
        assert_eq!(
            sans_caracteres_interdits("a\u{1}b\u{FFFE}\tc"),
            "a\u{FFFD}b\u{FFFD}\tc"
        );
        assert!(matches!(
            sans_caracteres_interdits("propre\n"),
            Cow::Borrowed(_)
        ));
        let mut s = "x\u{85}y\u{7F}z\n".to_owned();
        assert_eq!(retirer_caracteres_interdits(&mut s), 2);
        assert_eq!(s, "xyz\n");
    }

    #[test]
    fn quotes_are_bounded() {
        assert_eq!(Extrait("court").to_string(), "court");
        assert_eq!(Extrait("a\u{0}b").to_string(), "a<U+0000>b");
        let long = "é".repeat(20_000_000 / 2);
        let cite = Extrait(&long).to_string();
        assert_eq!(cite, format!("{}… (10000000 caractères)", "é".repeat(80)));
        assert_eq!(Extrait(&"x".repeat(80)).to_string(), "x".repeat(80));
    }

    #[test]
    fn sizes_read_in_french() {
        assert_eq!(taille_fr(812), "812 octets");
        assert_eq!(taille_fr(2_500), "2,5 ko");
        assert_eq!(taille_fr(13_612_000), "13,6 Mo");
        assert_eq!(taille_fr(1_250_000_000), "1,25 Go");
    }
}
