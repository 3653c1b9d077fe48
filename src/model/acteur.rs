use super::code::{identifiant, vocabulaire};
use super::texte::{Saisie, texte_facultatif, texte_requis};
use super::{CollectiviteId, ErreurModele, Pays};

identifiant!(
    /// Identifies an acteur.
    ActeurId
);

vocabulaire! {
    /// The IATI OrganisationType codelist, so that an acteur can be published as is.
    TypeOrganisation, champ = "type_organisation" {
        Gouvernement => ("10", "Gouvernement"),
        GouvernementLocal => ("11", "Collectivité territoriale"),
        AutreSecteurPublic => ("15", "Autre organisme public"),
        OngInternationale => ("21", "ONG internationale"),
        OngNationale => ("22", "ONG nationale"),
        OngRegionale => ("23", "ONG régionale"),
        OngPaysPartenaire => ("24", "ONG du pays partenaire"),
        PartenariatPublicPrive => ("30", "Partenariat public-privé"),
        Multilateral => ("40", "Organisation multilatérale"),
        Fondation => ("60", "Fondation"),
        SecteurPrive => ("70", "Secteur privé"),
        SecteurPriveDonateur => ("71", "Secteur privé du pays donateur"),
        SecteurPrivePaysBeneficiaire => ("72", "Secteur privé du pays bénéficiaire"),
        SecteurPriveTiers => ("73", "Secteur privé d'un pays tiers"),
        Academique => ("80", "Établissement académique, de formation ou de recherche"),
        Autre => ("90", "Autre"),
    }
}

/// Any organisation involved: a collectivité, an association, an NGO, a ministry, an agency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acteur {
    pub id: ActeurId,
    pub nom: String,
    pub type_organisation: TypeOrganisation,
    /// The IATI organisation identifier where known (`FR-…`, `XM-DAC-…`).
    pub identifiant_iati: Option<String>,
    pub pays: Option<Pays>,
    /// Set when the acteur is a collectivité of the référentiel.
    pub collectivite: Option<CollectiviteId>,
}

/// An acteur to create.
#[derive(Debug, Clone)]
pub struct NouvelActeur {
    pub nom: String,
    pub type_organisation: TypeOrganisation,
    pub identifiant_iati: Option<String>,
    pub pays: Option<Pays>,
    pub collectivite: Option<CollectiviteId>,
}

impl NouvelActeur {
    pub fn valider(mut self) -> Result<Self, ErreurModele> {
        self.nom = texte_requis("nom", &self.nom, 300, Saisie::Ligne)?;
        self.identifiant_iati = texte_facultatif(
            "identifiant_iati",
            self.identifiant_iati.as_deref(),
            200,
            Saisie::Ligne,
        )?;
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organisation_types_use_iati_codes() {
        assert_eq!(
            "11".parse::<TypeOrganisation>(),
            Ok(TypeOrganisation::GouvernementLocal)
        );
        assert!("12".parse::<TypeOrganisation>().is_err());
    }

    #[test]
    fn an_acteur_has_a_name() {
        let a = NouvelActeur {
            nom: "  ".into(),
            type_organisation: TypeOrganisation::OngNationale,
            identifiant_iati: Some(" ".into()),
            pays: None,
            collectivite: None,
        };
        assert_eq!(a.valider().unwrap_err(), ErreurModele::ChampVide("nom"));
    }
}
