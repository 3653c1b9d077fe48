//! The people to write to on each side of a partenariat. Personal data: never public, read
//! only by signed-in accounts.

use super::code::identifiant;
use super::{CollectiviteId, Email, ErreurModele, Saisie, texte_facultatif, texte_requis};

identifiant!(
    /// Identifies a contact of a partenariat.
    ContactId
);

/// The longest telephone text kept: room for a country code, spaces and an extension.
pub const TELEPHONE_MAX: usize = 40;

/// A contact as typed, before its rules are checked.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NouveauContact {
    pub nom: String,
    pub fonction: Option<String>,
    pub email: Option<String>,
    /// Free text (« +223 21 52 00 00, poste 12 »): numbers are written in too many ways.
    pub telephone: Option<String>,
    /// The party of the partenariat the person speaks for, when known.
    pub collectivite: Option<CollectiviteId>,
}

/// A contact whose rules hold: a name, and a way to reach the person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactValide {
    pub nom: String,
    pub fonction: Option<String>,
    pub email: Option<Email>,
    pub telephone: Option<String>,
    pub collectivite: Option<CollectiviteId>,
}

impl NouveauContact {
    /// Trims every text; refuses a missing name, a malformed e-mail, an over-long text, and a
    /// contact with neither e-mail nor telephone (nobody could be reached).
    pub fn valider(self) -> Result<ContactValide, ErreurModele> {
        let nom = texte_requis("nom", &self.nom, 200, Saisie::Ligne)?;
        let fonction = texte_facultatif("fonction", self.fonction.as_deref(), 200, Saisie::Ligne)?;
        let email = match self.email.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(texte) => Some(Email::new(texte)?),
        };
        let telephone = texte_facultatif(
            "telephone",
            self.telephone.as_deref(),
            TELEPHONE_MAX,
            Saisie::Ligne,
        )?;
        if email.is_none() && telephone.is_none() {
            return Err(ErreurModele::ContactInjoignable);
        }
        Ok(ContactValide {
            nom,
            fonction,
            email,
            telephone,
            collectivite: self.collectivite,
        })
    }
}

/// A contact as stored, with the name of the party it speaks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    pub id: ContactId,
    pub nom: String,
    pub fonction: Option<String>,
    pub email: Option<String>,
    pub telephone: Option<String>,
    pub collectivite: Option<CollectiviteId>,
    pub collectivite_nom: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(nom: &str, email: Option<&str>, telephone: Option<&str>) -> NouveauContact {
        NouveauContact {
            nom: nom.to_owned(),
            email: email.map(str::to_owned),
            telephone: telephone.map(str::to_owned),
            ..NouveauContact::default()
        }
    }

    #[test]
    fn a_contact_has_a_name_and_a_way_to_be_reached() {
        let c = contact("  Awa Traoré ", Some(" Awa@Kayes.ML "), Some("  "))
            .valider()
            .unwrap();
        assert_eq!(c.nom, "Awa Traoré");
        assert_eq!(c.email.unwrap().as_str(), "awa@kayes.ml");
        assert_eq!(c.telephone, None);
        assert_eq!(
            contact("Awa", None, Some(" +223 21 52 00 00 "))
                .valider()
                .unwrap()
                .telephone
                .as_deref(),
            Some("+223 21 52 00 00")
        );
        assert_eq!(
            contact(" ", Some("a@b.ml"), None).valider(),
            Err(ErreurModele::ChampVide("nom"))
        );
        assert_eq!(
            contact("Awa", Some(""), None).valider(),
            Err(ErreurModele::ContactInjoignable)
        );
        assert_eq!(
            contact("Awa", Some("awa.kayes"), None).valider(),
            Err(ErreurModele::EmailInvalide("awa.kayes".to_owned()))
        );
        assert_eq!(
            contact("Awa", None, Some(&"1".repeat(TELEPHONE_MAX + 1))).valider(),
            Err(ErreurModele::ChampTropLong {
                champ: "telephone",
                max: TELEPHONE_MAX
            })
        );
    }
}
