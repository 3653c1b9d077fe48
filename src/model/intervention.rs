//! « Autres interventions »: aid activities that funders publish in IATI for Mali and that are
//! not decentralized cooperation. benkan keeps them as published, to show beside the
//! partenariats all the aid a collectivité receives.

use std::collections::HashMap;
use std::fmt;
use std::sync::LazyLock;

use time::Date;

use blake2::{Blake2b256, Digest};

use super::code::identifiant;
use super::{LieuIati, ResultatIati};

identifiant!(
    /// Identifies an imported intervention (benkan's own number, not the iati-identifier).
    InterventionId
);

/// A text and the language it is written in (`xml:lang`, or the activity's default).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Narratif {
    pub texte: String,
    pub langue: Option<String>,
}

/// An organisation as IATI names it: `reporting-org`, `participating-org`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct OrganisationIati {
    /// IATI OrganisationRole code (participating organisations only).
    pub role: Option<String>,
    /// Its IATI organisation identifier.
    pub reference: Option<String>,
    pub nom: Option<String>,
    /// IATI OrganisationType code.
    pub type_organisation: Option<String>,
}

/// A sector with its vocabulary (1: DAC 5 digits, the default; 2: DAC 3 digits…).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SecteurIati {
    pub vocabulaire: String,
    pub code: String,
    /// As published (« 50 », « 33.3 »): kept as text, it is never summed.
    pub pourcentage: Option<String>,
}

/// An amount in any ISO 4217 currency, exact, in its minor units. Unlike a [`super::Montant`]
/// it may be negative: IATI publishes reimbursements and corrections that way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ValeurIati {
    pub unites_mineures: i64,
    pub devise: [u8; 3],
}

/// The currencies whose minor unit is not the hundredth (ISO 4217).
const SANS_DECIMALES: &[&str] = &[
    "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND",
    "VUV", "XAF", "XOF", "XPF",
];
const TROIS_DECIMALES: &[&str] = &["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"];

/// Digits after the decimal mark of an ISO 4217 currency.
fn decimales_devise(devise: &str) -> u32 {
    if SANS_DECIMALES.contains(&devise) {
        0
    } else if TROIS_DECIMALES.contains(&devise) {
        3
    } else {
        2
    }
}

impl ValeurIati {
    /// Reads an IATI `value` (`xsd:decimal`: « 1000 », « -250.5 », « 3e3 » is not allowed);
    /// more decimals than the currency has are rounded half away from zero.
    pub fn lire(texte: &str, devise: &str) -> Option<ValeurIati> {
        let devise: [u8; 3] = devise
            .trim()
            .to_ascii_uppercase()
            .as_bytes()
            .try_into()
            .ok()?;
        if !devise.iter().all(u8::is_ascii_uppercase) {
            return None;
        }
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
        let d = decimales_devise(std::str::from_utf8(&devise).ok()?) as usize;
        let mut mineures: i64 = 0;
        for b in entiers
            .bytes()
            .chain(fraction.bytes().chain(std::iter::repeat(b'0')).take(d))
        {
            mineures = mineures.checked_mul(10)?.checked_add(i64::from(b - b'0'))?;
        }
        if fraction.as_bytes().get(d).is_some_and(|b| *b >= b'5') {
            mineures = mineures.checked_add(1)?;
        }
        Some(ValeurIati {
            unites_mineures: if negatif { -mineures } else { mineures },
            devise,
        })
    }

    pub fn devise(&self) -> &str {
        std::str::from_utf8(&self.devise).unwrap_or("???")
    }

    /// Digits after the decimal mark of its currency: what `unites_mineures` counts.
    pub fn decimales(&self) -> u32 {
        decimales_devise(self.devise())
    }
}

/// French notation, as for [`super::Montant`]: « 1 234 567,89 USD », « -500 XOF ».
impl fmt::Display for ValeurIati {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = decimales_devise(self.devise());
        let diviseur = 10_i64.pow(d);
        let absolu = self.unites_mineures.unsigned_abs();
        if self.unites_mineures < 0 {
            f.write_str("-")?;
        }
        f.write_str(&super::chiffres_groupes((absolu / diviseur as u64).into()))?;
        if d > 0 {
            write!(
                f,
                ",{:0largeur$}",
                absolu % diviseur as u64,
                largeur = d as usize
            )?;
        }
        write!(f, "\u{A0}{}", self.devise())
    }
}

/// One transaction of an activity.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TransactionIati {
    /// IATI TransactionType code (2 commitment, 3 disbursement, 4 expenditure…).
    pub type_transaction: String,
    pub date: Option<Date>,
    pub valeur: ValeurIati,
    pub date_valeur: Option<Date>,
    pub fournisseur: Option<String>,
    pub beneficiaire: Option<String>,
}

/// The four activity dates IATI distinguishes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct DatesIati {
    pub debut_prevu: Option<Date>,
    pub debut_reel: Option<Date>,
    pub fin_prevue: Option<Date>,
    pub fin_reelle: Option<Date>,
}

/// An activity as read from an IATI file, ready to be stored.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NouvelleIntervention {
    pub identifiant_iati: String,
    /// The version of the file it comes from (2.01, 2.02, 2.03).
    pub version: String,
    pub derniere_maj: Option<String>,
    pub titre: Option<Narratif>,
    pub description: Option<Narratif>,
    pub editeur: OrganisationIati,
    pub participants: Vec<OrganisationIati>,
    /// IATI ActivityStatus code.
    pub statut: Option<String>,
    pub dates: DatesIati,
    /// The share of the activity that goes to Mali, when published (`recipient-country` ML).
    pub pourcentage_mali: Option<String>,
    pub secteurs: Vec<SecteurIati>,
    pub transactions: Vec<TransactionIati>,
    pub lieux: Vec<LieuIati>,
    /// One per indicator of its `<result>` elements, in the file's order.
    pub resultats: Vec<ResultatIati>,
}

impl NouvelleIntervention {
    /// A fingerprint of everything benkan stores of the activity, its places' links included:
    /// a re-import that finds the same one leaves it alone and calls it unchanged. Built on
    /// the derived `Hash`, fed to BLAKE2b: stable for one build of benkan; another build may
    /// compute other fingerprints, and its first re-import then updates each activity once.
    pub fn empreinte(&self) -> [u8; 32] {
        struct Empreinte(Blake2b256);
        impl std::hash::Hasher for Empreinte {
            fn write(&mut self, octets: &[u8]) {
                self.0.update(octets);
            }
            /// Unused: the whole digest is read instead.
            fn finish(&self) -> u64 {
                0
            }
        }
        let mut e = Empreinte(Blake2b256::new());
        std::hash::Hash::hash(self, &mut e);
        e.0.finalize().into()
    }
}

/// Which IATI codelist a code belongs to, for its French label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListeIati {
    StatutActivite,
    TypeTransaction,
    RoleOrganisation,
    TypeOrganisation,
    VocabulaireSecteur,
    /// DAC 5-digit sectors (vocabulary 1).
    Secteur,
    /// DAC 3-digit categories (vocabulary 2).
    CategorieSecteur,
}

impl ListeIati {
    /// The official codelist's name (`ActivityStatus`).
    pub fn nom(self) -> &'static str {
        match self {
            ListeIati::StatutActivite => "ActivityStatus",
            ListeIati::TypeTransaction => "TransactionType",
            ListeIati::RoleOrganisation => "OrganisationRole",
            ListeIati::TypeOrganisation => "OrganisationType",
            ListeIati::VocabulaireSecteur => "SectorVocabulary",
            ListeIati::Secteur => "Sector",
            ListeIati::CategorieSecteur => "SectorCategory",
        }
    }
}

/// French labels of the official codelists, shipped in `data/iati/codes.csv`: by list, by code.
static LIBELLES: LazyLock<HashMap<String, HashMap<String, String>>> = LazyLock::new(|| {
    let mut table: HashMap<String, HashMap<String, String>> = HashMap::new();
    let mut lecteur =
        csv::Reader::from_reader(include_str!("../../data/iati/codes.csv").as_bytes());
    for ligne in lecteur.records().flatten() {
        if let (Some(liste), Some(code), Some(libelle)) = (ligne.get(0), ligne.get(1), ligne.get(2))
        {
            table
                .entry(liste.to_owned())
                .or_default()
                .insert(code.to_owned(), libelle.to_owned());
        }
    }
    table
});

/// The French label of an IATI code (English when the codelist has no French), if known.
pub fn libelle_iati(liste: ListeIati, code: &str) -> Option<&'static str> {
    LIBELLES
        .get(liste.nom())
        .and_then(|codes| codes.get(code))
        .map(String::as_str)
}

/// Every code of an IATI codelist that has a label, in order (numeric codes by number).
pub fn codes_iati(liste: ListeIati) -> Vec<&'static str> {
    let mut codes: Vec<&'static str> = LIBELLES
        .get(liste.nom())
        .map(|codes| codes.keys().map(String::as_str).collect())
        .unwrap_or_default();
    codes.sort_unstable_by_key(|c| (c.parse::<u64>().unwrap_or(u64::MAX), *c));
    codes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valeur(texte: &str, devise: &str) -> Option<(i64, String)> {
        ValeurIati::lire(texte, devise).map(|v| (v.unites_mineures, v.to_string()))
    }

    #[test]
    fn values_are_read_exactly_in_minor_units() {
        assert_eq!(
            valeur("1000", "EUR"),
            Some((100_000, "1\u{202F}000,00\u{A0}EUR".into()))
        );
        assert_eq!(
            valeur("25000000", "xof"),
            Some((25_000_000, "25\u{202F}000\u{202F}000\u{A0}XOF".into()))
        );
        assert_eq!(valeur("-250.5", "USD").map(|v| v.0), Some(-25_050));
        assert_eq!(valeur("0.125", "USD").map(|v| v.0), Some(13));
        assert_eq!(valeur("1.5", "XOF").map(|v| v.0), Some(2));
        assert_eq!(valeur("1.234", "KWD").map(|v| v.0), Some(1_234));
        assert_eq!(valeur(".5", "EUR").map(|v| v.0), Some(50));
        assert_eq!(valeur("-3", "EUR").unwrap().1, "-3,00\u{A0}EUR");
        assert_eq!(ValeurIati::lire("1", "KWD").unwrap().decimales(), 3);
        assert_eq!(ValeurIati::lire("1", "XOF").unwrap().decimales(), 0);
        for faux in ["", "abc", "1,5", "1e3", "-", "."] {
            assert_eq!(valeur(faux, "EUR"), None, "{faux}");
        }
        assert_eq!(valeur("1", "EURO"), None);
        assert_eq!(valeur("99999999999999999999", "EUR"), None);
    }

    #[test]
    fn codes_have_french_labels_from_the_codelists() {
        assert_eq!(libelle_iati(ListeIati::StatutActivite, "2"), Some("Actif"));
        assert_eq!(
            libelle_iati(ListeIati::TypeTransaction, "3"),
            Some("Décaissement")
        );
        assert_eq!(
            libelle_iati(ListeIati::Secteur, "11220"),
            Some("Enseignement primaire")
        );
        assert_eq!(libelle_iati(ListeIati::Secteur, "99999"), None);
        assert_eq!(
            codes_iati(ListeIati::StatutActivite),
            ["1", "2", "3", "4", "5", "6"]
        );
    }
}
