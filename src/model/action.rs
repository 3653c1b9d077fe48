use super::code::{identifiant, vocabulaire};
use super::texte::{Saisie, texte_facultatif, texte_requis};
use super::{
    CollectiviteId, ErreurModele, PartenariatId, Periode, PointAction, valider_localites,
    valider_points,
};

identifiant!(
    /// Identifies an action.
    ActionId
);

vocabulaire! {
    /// The five axes d'intervention the founding document names.
    Axe, champ = "axe" {
        /// Support to the authority's public management: elected officials, technical
        /// services, transferred competences.
        AppuiInstitutionnel => ("appui_institutionnel", "Appui institutionnel"),
        /// Education, water, health…
        ServicesSociauxDeBase => ("services_sociaux_de_base", "Services sociaux de base"),
        /// Tourism, culture, economic, urban and rural development.
        DeveloppementLocal => ("developpement_local", "Développement local"),
        /// Mobilising local actors in consultation and participatory management.
        ConcertationParticipative => ("concertation_participative", "Concertation et gestion participative"),
        /// Solidarity between young people of the North and the South.
        EducationAuDeveloppement => ("education_au_developpement", "Éducation au développement"),
    }
}

vocabulaire! {
    /// The finer field of an action; each maps to an OECD DAC 5-digit sector for IATI.
    Domaine, champ = "domaine" {
        Education => ("education", "Éducation"),
        FormationProfessionnelle => ("formation_professionnelle", "Formation professionnelle"),
        Sante => ("sante", "Santé"),
        EauAssainissement => ("eau_assainissement", "Eau et assainissement"),
        GouvernanceLocale => ("gouvernance_locale", "Gouvernance locale et décentralisation"),
        SocieteCivile => ("societe_civile", "Participation citoyenne et société civile"),
        Culture => ("culture", "Culture"),
        Tourisme => ("tourisme", "Tourisme"),
        Economie => ("economie", "Économie locale"),
        Agriculture => ("agriculture", "Agriculture"),
        Rural => ("rural", "Développement rural"),
        Urbain => ("urbain", "Développement urbain"),
        Environnement => ("environnement", "Environnement"),
        Energie => ("energie", "Énergie"),
        Jeunesse => ("jeunesse", "Jeunesse et sensibilisation au développement"),
    }
}

impl Domaine {
    /// The OECD DAC 5-digit purpose code (IATI Sector vocabulary 1).
    pub fn code_cad(self) -> &'static str {
        use Domaine::*;
        match self {
            Education => "11220",
            FormationProfessionnelle => "11330",
            Sante => "12220",
            EauAssainissement => "14030",
            GouvernanceLocale => "15112",
            SocieteCivile => "15150",
            Culture => "16061",
            Tourisme => "33210",
            Economie => "32130",
            Agriculture => "31120",
            Rural => "43040",
            Urbain => "43030",
            Environnement => "41010",
            Energie => "23110",
            Jeunesse => "99820",
        }
    }
}

vocabulaire! {
    /// The founding document stresses that decentralized cooperation cares as much for the
    /// partner's functioning as for physical works.
    Nature, champ = "nature" {
        Institutionnelle => ("institutionnelle", "Appui au fonctionnement"),
        Physique => ("physique", "Réalisation physique"),
    }
}

vocabulaire! {
    /// Where an action stands; maps onto the IATI ActivityStatus codelist.
    StatutAction, champ = "statut" {
        Prevue => ("prevue", "Prévue"),
        EnCours => ("en_cours", "En cours"),
        Achevee => ("achevee", "Achevée"),
        Suspendue => ("suspendue", "Suspendue"),
        Annulee => ("annulee", "Annulée"),
    }
}

/// An action as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    pub id: ActionId,
    pub partenariat: PartenariatId,
    pub titre: String,
    pub description: Option<String>,
    pub axe: Axe,
    pub domaine: Domaine,
    pub nature: Nature,
    pub statut: StatutAction,
    pub periode: Periode,
    pub modifie_le: time::OffsetDateTime,
}

/// An action to create within a partenariat.
#[derive(Debug, Clone)]
pub struct NouvelleAction {
    pub partenariat: PartenariatId,
    pub titre: String,
    pub description: Option<String>,
    pub axe: Axe,
    pub domaine: Domaine,
    pub nature: Nature,
    pub statut: StatutAction,
    pub periode: Periode,
    /// The collectivités where the action takes place.
    pub lieux: Vec<CollectiviteId>,
    /// Where exactly, when its authors know: a well, a school.
    pub points: Vec<PointAction>,
    /// The villages (localités of the gazetteer) where it takes place, by P-code; each
    /// counts for its commune, cercle and région.
    pub localites: Vec<String>,
}

impl NouvelleAction {
    /// Trims and checks the texts, the points and the villages' P-codes; a place, a point
    /// or a village listed twice is kept once.
    pub fn valider(mut self) -> Result<Self, ErreurModele> {
        self.titre = texte_requis("titre", &self.titre, 300, Saisie::Ligne)?;
        self.description = texte_facultatif(
            "description",
            self.description.as_deref(),
            20_000,
            Saisie::Paragraphe,
        )?;
        let mut vus = std::collections::HashSet::new();
        self.lieux.retain(|id| vus.insert(*id));
        self.points = valider_points(self.points)?;
        self.localites = valider_localites(self.localites)?;
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Code;

    #[test]
    fn five_axes_as_in_the_founding_document() {
        assert_eq!(Axe::TOUS.len(), 5);
        assert_eq!(
            "services_sociaux_de_base".parse::<Axe>(),
            Ok(Axe::ServicesSociauxDeBase)
        );
        let err = "sante".parse::<Axe>().unwrap_err();
        assert!(err.to_string().contains("appui_institutionnel"), "{err}");
    }

    #[test]
    fn every_domaine_has_a_five_digit_dac_code() {
        for d in Domaine::TOUS {
            let code = d.code_cad();
            assert!(
                code.len() == 5 && code.bytes().all(|b| b.is_ascii_digit()),
                "{d:?}"
            );
        }
        assert_eq!(Domaine::EauAssainissement.code_cad(), "14030");
        assert_eq!(Domaine::GouvernanceLocale.code_cad(), "15112");
    }

    #[test]
    fn an_action_needs_a_title() {
        let action = NouvelleAction {
            partenariat: PartenariatId(1),
            titre: "".into(),
            description: None,
            axe: Axe::DeveloppementLocal,
            domaine: Domaine::Tourisme,
            nature: Nature::Physique,
            statut: StatutAction::Prevue,
            periode: Periode::inconnue(),
            lieux: vec![CollectiviteId(3), CollectiviteId(3)],
            points: Vec::new(),
            localites: Vec::new(),
        };
        assert_eq!(
            action.clone().valider().unwrap_err(),
            ErreurModele::ChampVide("titre")
        );
        let ok = NouvelleAction {
            titre: " Puits ".into(),
            ..action
        }
        .valider()
        .unwrap();
        assert_eq!(ok.titre, "Puits");
        assert_eq!(ok.lieux, [CollectiviteId(3)]);
    }
}
