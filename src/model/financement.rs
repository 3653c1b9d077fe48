use std::fmt;

use super::code::{identifiant, vocabulaire};
use super::{ActeurId, ActionId, ErreurModele};

identifiant!(
    /// Identifies a financement.
    FinancementId
);

vocabulaire! {
    /// The currencies benkan accepts; each has a fixed number of minor units.
    Devise, champ = "devise" {
        Xof => ("XOF", "franc CFA (XOF)"),
        Eur => ("EUR", "euro"),
        Usd => ("USD", "dollar des États-Unis"),
        Cad => ("CAD", "dollar canadien"),
        Gbp => ("GBP", "livre sterling"),
        Chf => ("CHF", "franc suisse"),
    }
}

impl Devise {
    /// How a French reader writes the currency after an amount: « FCFA », « € », and the
    /// ISO code for the others (« $ » would not say which dollar).
    pub fn symbole(self) -> &'static str {
        match self {
            Devise::Xof => "FCFA",
            Devise::Eur => "€",
            autre => autre.code(),
        }
    }

    /// Digits after the decimal mark (ISO 4217): the franc CFA has none.
    pub fn decimales(self) -> u32 {
        match self {
            Devise::Xof => 0,
            _ => 2,
        }
    }
}

vocabulaire! {
    /// Money promised or money paid out (IATI transaction types 2 and 3).
    TypeFinancement, champ = "type" {
        Engagement => ("engagement", "Engagement"),
        Decaissement => ("decaissement", "Décaissement"),
    }
}

/// An exact, non-negative amount in a currency's minor units (cents for the euro, francs for
/// the franc CFA): never a float.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Montant {
    unites_mineures: i64,
    devise: Devise,
}

impl Montant {
    pub fn new(unites_mineures: i64, devise: Devise) -> Result<Self, ErreurModele> {
        if unites_mineures < 0 {
            return Err(ErreurModele::MontantNegatif);
        }
        Ok(Montant {
            unites_mineures,
            devise,
        })
    }

    /// Reads an amount as people write it — « 12 345,67 », « 12345.67 », « 25 000 000 » —
    /// in the currency's units; refuses more decimals than the currency has.
    pub fn depuis_texte(texte: &str, devise: Devise) -> Result<Self, ErreurModele> {
        let propre: String = texte
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '\u{A0}' | '\u{202F}' | '\''))
            .collect();
        let invalide =
            || ErreurModele::MontantIllisible(texte.trim().to_owned(), devise.decimales());
        if propre.starts_with('-') {
            return Err(ErreurModele::MontantNegatif);
        }
        let (entiers, decimales) = match propre.split_once([',', '.']) {
            Some((e, d)) => (e, d),
            None => (propre.as_str(), ""),
        };
        let chiffres = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
        if !chiffres(entiers)
            || (!decimales.is_empty() && !chiffres(decimales))
            || decimales.len() > devise.decimales() as usize
        {
            return Err(invalide());
        }
        let echelle = 10_i64.pow(devise.decimales());
        let complement = format!("{decimales:0<width$}", width = devise.decimales() as usize);
        let mineures = entiers
            .parse::<i64>()
            .ok()
            .and_then(|e| e.checked_mul(echelle))
            .and_then(|e| {
                e.checked_add(if complement.is_empty() {
                    0
                } else {
                    complement.parse().ok()?
                })
            })
            .ok_or_else(invalide)?;
        Montant::new(mineures, devise)
    }

    pub fn unites_mineures(&self) -> i64 {
        self.unites_mineures
    }

    pub fn devise(&self) -> Devise {
        self.devise
    }
}

/// French notation: « 1 234 567,89 € », « 25 000 000 FCFA », « 300,00 USD ».
impl fmt::Display for Montant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let diviseur = 10_i64.pow(self.devise.decimales());
        f.write_str(&chiffres_groupes(
            (self.unites_mineures / diviseur).unsigned_abs().into(),
        ))?;
        if self.devise.decimales() > 0 {
            let largeur = self.devise.decimales() as usize;
            write!(f, ",{:0largeur$}", self.unites_mineures % diviseur)?;
        }
        write!(f, "\u{A0}{}", self.devise.symbole())
    }
}

/// « 25 000 000 »: French digit grouping by three, with a narrow no-break space (U+202F),
/// the one grouping of every number benkan shows; the unit follows after a no-break space.
pub fn chiffres_groupes(n: u128) -> String {
    let chiffres = n.to_string();
    let mut groupe = String::with_capacity(chiffres.len() + chiffres.len() / 3 * 3);
    for (i, chiffre) in chiffres.chars().enumerate() {
        if i > 0 && (chiffres.len() - i).is_multiple_of(3) {
            groupe.push('\u{202F}');
        }
        groupe.push(chiffre);
    }
    groupe
}

/// Money for an action, from one source.
#[derive(Debug, Clone)]
pub struct NouveauFinancement {
    pub action: ActionId,
    /// The organisation the money comes from.
    pub source: ActeurId,
    pub type_financement: TypeFinancement,
    pub montant: Montant,
    pub annee: i32,
}

impl NouveauFinancement {
    pub fn valider(self) -> Result<Self, ErreurModele> {
        if !(1960..=2100).contains(&self.annee) {
            return Err(ErreurModele::AnneeHorsBornes(self.annee));
        }
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_amount_is_never_negative() {
        assert_eq!(
            Montant::new(-1, Devise::Eur),
            Err(ErreurModele::MontantNegatif)
        );
        assert!(Montant::new(0, Devise::Eur).is_ok());
    }

    #[test]
    fn amounts_print_in_french_notation() {
        let eur = Montant::new(123_456_789, Devise::Eur).unwrap();
        assert_eq!(eur.to_string(), "1\u{202F}234\u{202F}567,89\u{A0}€");
        let xof = Montant::new(25_000_000, Devise::Xof).unwrap();
        assert_eq!(xof.to_string(), "25\u{202F}000\u{202F}000\u{A0}FCFA");
        assert_eq!(
            Montant::new(5, Devise::Eur).unwrap().to_string(),
            "0,05\u{A0}€"
        );
        assert_eq!(
            Montant::new(100, Devise::Xof).unwrap().to_string(),
            "100\u{A0}FCFA"
        );
        assert_eq!(
            Montant::new(30_000, Devise::Usd).unwrap().to_string(),
            "300,00\u{A0}USD"
        );
        assert_eq!(chiffres_groupes(999), "999");
        assert_eq!(chiffres_groupes(1_000), "1\u{202F}000");
    }

    #[test]
    fn amounts_read_as_people_write_them() {
        let eur = |t| Montant::depuis_texte(t, Devise::Eur).map(|m| m.unites_mineures());
        assert_eq!(eur("12 345,67"), Ok(1_234_567));
        assert_eq!(eur("12345.6"), Ok(1_234_560));
        assert_eq!(eur("1\u{202F}000"), Ok(100_000));
        assert_eq!(eur("0,05"), Ok(5));
        let xof = |t| Montant::depuis_texte(t, Devise::Xof).map(|m| m.unites_mineures());
        assert_eq!(xof("25 000 000"), Ok(25_000_000));
        assert!(xof("10,5").is_err(), "the franc CFA has no decimals");
        assert_eq!(eur("-3"), Err(ErreurModele::MontantNegatif));
        for mauvais in [
            "",
            "abc",
            "1,2,3",
            "12,345",
            ",5",
            "1e6",
            "99999999999999999999",
        ] {
            assert!(eur(mauvais).is_err(), "{mauvais:?}");
        }
    }

    #[test]
    fn years_stay_within_bounds() {
        let f = NouveauFinancement {
            action: ActionId(1),
            source: ActeurId(1),
            type_financement: TypeFinancement::Engagement,
            montant: Montant::new(1, Devise::Xof).unwrap(),
            annee: 1901,
        };
        assert_eq!(
            f.clone().valider().unwrap_err(),
            ErreurModele::AnneeHorsBornes(1901)
        );
        assert!(NouveauFinancement { annee: 2024, ..f }.valider().is_ok());
    }
}
