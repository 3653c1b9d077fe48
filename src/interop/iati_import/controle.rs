//! The well-formedness checks quick-xml leaves to its caller, each in linear time: characters
//! XML 1.0 forbids, and attributes given twice in one element.
//!
//! quick-xml's own duplicate check compares each attribute with every previous one (an
//! element with 200,000 copies of one attribute took 46 s) and its reader does not look at
//! characters; a file that is not XML must be refused, not half-read.

use std::collections::HashSet;
use std::io::{self, BufRead, Read};

use quick_xml::XmlVersion;
use quick_xml::events::BytesStart;
use quick_xml::events::attributes::AttrError;

/// A `BufRead` that refuses, as they go by, the bytes of characters XML 1.0 forbids: the C0
/// controls other than tab, LF and CR, and U+FFFE / U+FFFF (`EF BF BE`, `EF BF BF` in
/// UTF-8). Each byte is looked at once.
pub struct OctetsVerifies<R> {
    source: R,
    /// Bytes consumed so far.
    consommes: u64,
    /// Bytes at the start of the source's current buffer already looked at.
    verifies: usize,
    /// How many bytes of `EF BF` were just seen.
    prefixe_ffff: u8,
    /// The offending character and its offset in the file, once found.
    pub fautif: Option<(u64, char)>,
}

impl<R: BufRead> OctetsVerifies<R> {
    pub fn new(source: R) -> Self {
        OctetsVerifies {
            source,
            consommes: 0,
            verifies: 0,
            prefixe_ffff: 0,
            fautif: None,
        }
    }
}

impl<R: BufRead> Read for OctetsVerifies<R> {
    fn read(&mut self, sortie: &mut [u8]) -> io::Result<usize> {
        let disponibles = self.fill_buf()?;
        let n = disponibles.len().min(sortie.len());
        sortie[..n].copy_from_slice(&disponibles[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for OctetsVerifies<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.fautif.is_some() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "caractère interdit",
            ));
        }
        let tampon = self.source.fill_buf()?;
        for (i, &octet) in tampon.iter().enumerate().skip(self.verifies) {
            let position = self.consommes + i as u64;
            let interdit = match (octet, self.prefixe_ffff) {
                (0x00..=0x08 | 0x0B | 0x0C | 0x0E..=0x1F, _) => Some((position, char::from(octet))),
                (0xBE, 2) => Some((position - 2, '\u{FFFE}')),
                (0xBF, 2) => Some((position - 2, '\u{FFFF}')),
                _ => None,
            };
            if let Some(f) = interdit {
                self.fautif = Some(f);
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "caractère interdit",
                ));
            }
            self.prefixe_ffff = match (octet, self.prefixe_ffff) {
                (0xEF, _) => 1,
                (0xBF, 1) => 2,
                _ => 0,
            };
        }
        self.verifies = tampon.len();
        Ok(tampon)
    }

    fn consume(&mut self, n: usize) {
        self.source.consume(n);
        self.consommes += n as u64;
        self.verifies = self.verifies.saturating_sub(n);
    }
}

/// Whether XML 1.0 forbids `c` (its `Char` production): C0 controls other than tab, LF and
/// CR, and U+FFFE / U+FFFF. The C1 controls are XML, only discouraged.
pub fn interdit_en_xml(c: char) -> bool {
    matches!(c, '\0'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
}

/// The French message for a forbidden character.
pub fn message_caractere(c: char) -> String {
    let indice = if c == '\0' {
        " (un fichier en UTF-16 ? benkan lit les fichiers IATI en UTF-8)"
    } else {
        ""
    };
    format!(
        "XML mal formé : caractère U+{:04X} interdit en XML 1.0 (caractère de contrôle invisible){indice}",
        u32::from(c)
    )
}

/// Above this many attributes, duplicates are looked for with a set rather than by
/// comparing each with the previous ones (a handful, the usual case, costs nothing).
const ATTRIBUTS_SANS_ENSEMBLE: usize = 8;

/// Checks the attributes of an element once: well-formed, none twice, no forbidden
/// character reference in a value. Returns the offending offset within the tag (after its
/// `<`) and a French message.
pub fn verifier_attributs(e: &BytesStart<'_>) -> Result<(), (usize, String)> {
    let debut = e.as_ptr() as usize;
    let mut attributs = e.attributes();
    attributs.with_checks(false);
    let mut cles: Vec<&str> = Vec::new();
    let mut ensemble: Option<HashSet<&str>> = None;
    for attribut in attributs {
        let attribut = attribut.map_err(|erreur| message_attribut(&erreur))?;
        let cle = attribut.key.0;
        let position = cle.as_ptr() as usize - debut;
        let double = match ensemble.as_mut() {
            Some(ensemble) => !ensemble.insert(cle),
            None => {
                let double = cles.contains(&cle);
                cles.push(cle);
                if cles.len() > ATTRIBUTS_SANS_ENSEMBLE {
                    ensemble = Some(cles.drain(..).collect());
                }
                double
            }
        };
        if double {
            return Err((
                position,
                format!(
                    "XML mal formé : l'attribut « {} » figure deux fois dans <{}>",
                    crate::model::Extrait(cle),
                    crate::model::Extrait(e.name().into_inner())
                ),
            ));
        }
        if attribut.value.contains("&#")
            && let Ok(valeur) = attribut.normalized_value(XmlVersion::Implicit1_0)
            && let Some(c) = valeur.chars().find(|&c| interdit_en_xml(c))
        {
            return Err((position, message_caractere(c)));
        }
    }
    Ok(())
}

fn message_attribut(erreur: &AttrError) -> (usize, String) {
    match *erreur {
        AttrError::ExpectedEq(p) => (
            p,
            "XML mal formé : « = » attendu après le nom d'un attribut".to_owned(),
        ),
        AttrError::ExpectedValue(p) => (
            p,
            "XML mal formé : valeur d'attribut attendue après « = »".to_owned(),
        ),
        AttrError::UnquotedValue(p) => (
            p,
            "XML mal formé : valeur d'attribut sans guillemets".to_owned(),
        ),
        AttrError::ExpectedQuote(p, _) => (
            p,
            "XML mal formé : valeur d'attribut non terminée (guillemet fermant manquant)"
                .to_owned(),
        ),
        AttrError::Duplicated(p, _) => (p, "XML mal formé : attribut en double".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lire_tout(octets: &[u8], capacite: usize) -> (Vec<u8>, Option<(u64, char)>) {
        let mut lecteur = OctetsVerifies::new(io::BufReader::with_capacity(capacite, octets));
        let mut lu = Vec::new();
        let _ = lecteur.read_to_end(&mut lu);
        (lu, lecteur.fautif)
    }

    #[test]
    fn forbidden_bytes_are_found_at_their_offset_across_buffers() {
        let propre = "<a>\tÉté\r\n\u{FFFD}\u{FFFC}</a>".as_bytes();
        for capacite in [1, 2, 3, 64] {
            assert_eq!(lire_tout(propre, capacite), (propre.to_vec(), None));
        }
        for capacite in [1, 2, 3, 64] {
            assert_eq!(lire_tout(b"<a>xy\x01</a>", capacite).1, Some((5, '\u{1}')));
            assert_eq!(
                lire_tout("<a>é\u{FFFF}</a>".as_bytes(), capacite).1,
                Some((5, '\u{FFFF}'))
            );
            assert_eq!(
                lire_tout("<a>\u{FFFE}</a>".as_bytes(), capacite).1,
                Some((3, '\u{FFFE}'))
            );
        }
    }

    fn element(xml: &str) -> Result<(), (usize, String)> {
        let mut lecteur = quick_xml::Reader::from_str(xml);
        match lecteur.read_event().unwrap() {
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => {
                verifier_attributs(&e)
            }
            autre => panic!("{autre:?}"),
        }
    }

    #[test]
    fn duplicate_attributes_are_found_in_linear_time() {
        assert!(element(r#"<a x="1" y='2' ref="3"/>"#).is_ok());
        let (position, message) = element(r#"<a x="1" y="2" x="3"/>"#).unwrap_err();
        assert_eq!(position, 14);
        assert!(
            message.contains("« x » figure deux fois dans <a>"),
            "{message}"
        );
        let nombreux: String = (0..20).map(|i| format!(r#" k{i}="{i}""#)).collect();
        assert!(element(&format!("<a{nombreux}/>")).is_ok());
        assert!(element(&format!(r#"<a{nombreux} k7="x"/>"#)).is_err());
        // 200,000 copies: the quadratic check took 46 s in release
        let enorme = format!("<a{}/>", r#" x="1""#.repeat(200_000));
        let debut = std::time::Instant::now();
        assert!(element(&enorme).is_err());
        let distincts: String = (0..200_000).map(|i| format!(r#" k{i}="1""#)).collect();
        assert!(element(&format!("<a{distincts}/>")).is_ok());
        assert!(debut.elapsed().as_secs() < 5, "{:?}", debut.elapsed());
    }

    #[test]
    fn malformed_attributes_and_control_references_are_refused() {
        assert!(element(r#"<a x/>"#).is_err());
        assert!(element(r#"<a x=1/>"#).is_err());
        assert!(
            element(r#"<a x="&#1;"/>"#)
                .unwrap_err()
                .1
                .contains("U+0001")
        );
        assert!(
            element(r#"<a x="&#233;&#x85;"/>"#).is_ok(),
            "C1 is XML; stripped later"
        );
    }
}
