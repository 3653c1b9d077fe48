use std::collections::HashSet;

use time::{Date, OffsetDateTime};

use super::code::{identifiant, vocabulaire};
use super::texte::{Saisie, texte_facultatif, texte_requis};
use super::{ActeurId, Collectivite, CollectiviteId, ErreurModele, Niveau, Pays};

identifiant!(
    /// Identifies a partenariat.
    PartenariatId
);

vocabulaire! {
    /// Where a partenariat stands today.
    StatutPartenariat, champ = "statut" {
        Actif => ("actif", "Actif"),
        EnVeille => ("en_veille", "En veille"),
        Suspendu => ("suspendu", "Suspendu"),
        Termine => ("termine", "Terminé"),
    }
}

vocabulaire! {
    /// Where a declared record stands in the national administrators' review: only
    /// validated records are public.
    Validation, champ = "validation" {
        Soumis => ("soumis", "Soumis à validation"),
        Valide => ("valide", "Validé"),
        ACorriger => ("a_corriger", "À corriger"),
    }
}

vocabulaire! {
    /// The stages a relation goes through, in the order the founding document gives:
    /// « partant de simples amitiés pour évoluer vers des jumelages culturels, des
    /// jumelages-coopérations puis […] des conventions de partenariat ».
    Etape, champ = "etape" {
        Amitie => ("amitie", "Amitié"),
        JumelageCulturel => ("jumelage_culturel", "Jumelage culturel"),
        JumelageCooperation => ("jumelage_cooperation", "Jumelage-coopération"),
        ConventionPartenariat => ("convention_partenariat", "Convention de partenariat"),
    }
}

vocabulaire! {
    /// How a convention is renewed.
    Reconduction, champ = "reconduction" {
        NonPrecisee => ("non_precisee", "Non précisée"),
        Aucune => ("aucune", "Aucune"),
        Tacite => ("tacite", "Tacite"),
        Expresse => ("expresse", "Expresse"),
    }
}

vocabulaire! {
    /// What an intermediary does for a partenariat.
    RoleIntermediaire, champ = "role" {
        ComiteJumelage => ("comite_jumelage", "Comité de jumelage"),
        AssociationMigrants => ("association_migrants", "Association de migrants"),
        OngOperatrice => ("ong_operatrice", "ONG opératrice"),
        Autre => ("autre", "Autre"),
    }
}

/// Checks the parties of a partenariat given with their countries: at least one Malian and
/// one foreign collectivité, none twice.
pub fn verifier_parties(parties: &[(CollectiviteId, Pays)]) -> Result<(), ErreurModele> {
    let mut vues = HashSet::new();
    for (id, _) in parties {
        if !vues.insert(*id) {
            return Err(ErreurModele::PartieEnDouble(id.0));
        }
    }
    if !parties.iter().any(|(_, pays)| pays.est_mali()) {
        return Err(ErreurModele::PartieManquante("malienne"));
    }
    if !parties.iter().any(|(_, pays)| !pays.est_mali()) {
        return Err(ErreurModele::PartieManquante("étrangère"));
    }
    Ok(())
}

/// A partenariat as stored, without its parts (see the store's `FichePartenariat`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partenariat {
    pub id: PartenariatId,
    pub titre: String,
    pub description: Option<String>,
    pub statut: StatutPartenariat,
    pub source: Option<String>,
    pub demonstration: bool,
    pub modifie_le: OffsetDateTime,
    /// When it was recorded in benkan (declared, imported or loaded).
    pub cree_le: OffsetDateTime,
    /// Where the record stands in the national review; only `Valide` is public.
    pub validation: Validation,
    /// What the administrator asked to correct.
    pub commentaire_validation: Option<String>,
    pub archive: bool,
    /// When its authority last confirmed it.
    pub confirme_le: Option<Date>,
}

/// The collectivités party to a partenariat, as the store lists them (Malian first).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parties(pub Vec<Collectivite>);

impl Parties {
    pub fn maliennes(&self) -> Vec<&Collectivite> {
        self.0.iter().filter(|c| c.pays.est_mali()).collect()
    }

    pub fn etrangeres(&self) -> Vec<&Collectivite> {
        self.0.iter().filter(|c| !c.pays.est_mali()).collect()
    }

    /// Whether a foreign party has no Malian party of its level (a French département with
    /// a Malian région): allowed — the founding document only asks for « niveaux
    /// similaires » —, but shown.
    pub fn niveaux_asymetriques(&self) -> bool {
        let niveaux =
            |parties: Vec<&Collectivite>| parties.iter().map(|c| c.niveau).collect::<Vec<_>>();
        Parties::rangs_asymetriques(&niveaux(self.maliennes()), &niveaux(self.etrangeres()))
    }

    /// The rule of [`Parties::niveaux_asymetriques`] on bare levels.
    pub fn rangs_asymetriques(maliens: &[Niveau], etrangers: &[Niveau]) -> bool {
        etrangers
            .iter()
            .any(|e| !maliens.iter().any(|m| m.comparable(*e)))
    }
}

/// A partenariat to create. Its parties are checked by the store against their countries
/// with [`verifier_parties`].
#[derive(Debug, Clone)]
pub struct NouveauPartenariat {
    pub titre: String,
    pub description: Option<String>,
    pub statut: StatutPartenariat,
    pub parties: Vec<CollectiviteId>,
    /// Where the information comes from.
    pub source: Option<String>,
    /// Demonstration data is labelled as such wherever it is shown.
    pub demonstration: bool,
    /// What an authority declares is `Soumis`; reference and imported data is `Valide`.
    pub validation: Validation,
}

impl NouveauPartenariat {
    /// A validated partenariat; set `validation` for one declared by an authority.
    pub fn new(titre: &str, statut: StatutPartenariat, parties: Vec<CollectiviteId>) -> Self {
        NouveauPartenariat {
            titre: titre.to_owned(),
            description: None,
            statut,
            parties,
            source: None,
            demonstration: false,
            validation: Validation::Valide,
        }
    }

    /// Trims and checks the texts.
    pub fn valider(mut self) -> Result<Self, ErreurModele> {
        self.titre = texte_requis("titre", &self.titre, 300, Saisie::Ligne)?;
        self.description = texte_facultatif(
            "description",
            self.description.as_deref(),
            20_000,
            Saisie::Paragraphe,
        )?;
        self.source =
            texte_facultatif("source", self.source.as_deref(), 2_000, Saisie::Paragraphe)?;
        Ok(self)
    }
}

/// One dated stage of a relation's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EtapeDatee {
    pub etape: Etape,
    pub depuis: Date,
    pub note: Option<String>,
}

impl EtapeDatee {
    /// Trims and checks the note.
    pub fn valider(mut self) -> Result<Self, ErreurModele> {
        self.note = texte_facultatif("note", self.note.as_deref(), 2_000, Saisie::Paragraphe)?;
        Ok(self)
    }
}

/// A relation's stages, ordered by date. A relation moves forward: a later date carries a
/// later stage, and no two stages start on the same day.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HistoriqueEtapes(Vec<EtapeDatee>);

impl HistoriqueEtapes {
    /// Rebuilds a history, checking every stage against the others.
    pub fn new(etapes: Vec<EtapeDatee>) -> Result<Self, ErreurModele> {
        let mut historique = HistoriqueEtapes::default();
        for etape in etapes {
            historique.ajouter(etape)?;
        }
        Ok(historique)
    }

    /// Inserts a stage at its place in time, or says which stage it contradicts.
    pub fn ajouter(&mut self, nouvelle: EtapeDatee) -> Result<(), ErreurModele> {
        for e in &self.0 {
            if e.depuis == nouvelle.depuis {
                return Err(ErreurModele::EtapeMemeJour(e.depuis));
            }
            let dans_l_ordre = e.etape != nouvelle.etape
                && (e.depuis < nouvelle.depuis) == (e.etape < nouvelle.etape);
            if !dans_l_ordre {
                return Err(ErreurModele::EtapeHorsOrdre {
                    etape: nouvelle.etape,
                    depuis: nouvelle.depuis,
                    autre: e.etape,
                    autre_depuis: e.depuis,
                });
            }
        }
        let position = self.0.partition_point(|e| e.depuis < nouvelle.depuis);
        self.0.insert(position, nouvelle);
        Ok(())
    }

    /// The stage the relation had reached on `jour`, if it had started then.
    pub fn a_la_date(&self, jour: Date) -> Option<&EtapeDatee> {
        self.0.iter().rev().find(|e| e.depuis <= jour)
    }

    /// Oldest first.
    pub fn etapes(&self) -> &[EtapeDatee] {
        &self.0
    }
}

/// A convention to record for a partenariat.
#[derive(Debug, Clone)]
pub struct NouvelleConvention {
    pub intitule: String,
    pub signee_le: Option<Date>,
    pub duree_mois: Option<u32>,
    pub reconduction: Reconduction,
    /// A link or a reference to the signed document.
    pub document: Option<String>,
}

impl NouvelleConvention {
    pub fn valider(mut self) -> Result<Self, ErreurModele> {
        self.intitule = texte_requis("intitule", &self.intitule, 300, Saisie::Ligne)?;
        self.document =
            texte_facultatif("document", self.document.as_deref(), 2_000, Saisie::Ligne)?;
        if self.duree_mois == Some(0) {
            return Err(ErreurModele::ChampVide("duree_mois"));
        }
        Ok(self)
    }
}

/// A convention as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Convention {
    pub intitule: String,
    pub signee_le: Option<Date>,
    pub duree_mois: Option<u32>,
    pub reconduction: Reconduction,
    pub document: Option<String>,
}

impl Convention {
    /// The end implied by signature and duration: a convention has no end before it is signed.
    pub fn echeance(&self) -> Option<Date> {
        let signee = self.signee_le?;
        let mois = self.duree_mois?;
        let total = signee.month() as u32 - 1 + mois;
        let annee = signee.year() + (total / 12) as i32;
        let mois = time::Month::try_from((total % 12 + 1) as u8).ok()?;
        let jour = signee.day().min(mois.length(annee));
        Date::from_calendar_date(annee, mois, jour).ok()
    }
}

/// An organisation that carries the relation with the authorities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Intermediaire {
    pub acteur: ActeurId,
    pub nom: String,
    pub role: RoleIntermediaire,
    pub precision: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn etape(etape: Etape, depuis: Date) -> EtapeDatee {
        EtapeDatee {
            etape,
            depuis,
            note: None,
        }
    }

    #[test]
    fn parties_need_both_sides_and_no_repeat() {
        let ml = (CollectiviteId(1), Pays::MALI);
        let fr = (CollectiviteId(2), Pays::FRANCE);
        assert!(verifier_parties(&[ml, fr]).is_ok());
        assert_eq!(
            verifier_parties(&[fr]),
            Err(ErreurModele::PartieManquante("malienne"))
        );
        assert_eq!(
            verifier_parties(&[ml]),
            Err(ErreurModele::PartieManquante("étrangère"))
        );
        assert_eq!(
            verifier_parties(&[]),
            Err(ErreurModele::PartieManquante("malienne"))
        );
        assert_eq!(
            verifier_parties(&[ml, fr, ml]),
            Err(ErreurModele::PartieEnDouble(1))
        );
    }

    #[test]
    fn different_levels_are_flagged() {
        use crate::model::Periode;
        let c = |id, pays, niveau| Collectivite {
            id: CollectiviteId(id),
            pays,
            niveau,
            libelle_niveau: None,
            code: None,
            nom: format!("n° {id}"),
            parent: None,
            validite: Periode::inconnue(),
            population: None,
            source: None,
        };
        let symetrique = Parties(vec![
            c(1, Pays::MALI, Niveau::Region),
            c(2, Pays::FRANCE, Niveau::Region),
        ]);
        assert!(!symetrique.niveaux_asymetriques());
        let asymetrique = Parties(vec![
            c(1, Pays::MALI, Niveau::Region),
            c(3, Pays::FRANCE, Niveau::Departement),
        ]);
        assert!(asymetrique.niveaux_asymetriques());
        assert_eq!(asymetrique.maliennes().len(), 1);
        assert_eq!(asymetrique.etrangeres()[0].id, CollectiviteId(3));
    }

    #[test]
    fn a_title_is_required() {
        let p = NouveauPartenariat::new(" \t", StatutPartenariat::Actif, vec![]);
        assert_eq!(p.valider().unwrap_err(), ErreurModele::ChampVide("titre"));
    }

    #[test]
    fn stages_move_forward_in_time() {
        let mut h = HistoriqueEtapes::default();
        h.ajouter(etape(Etape::JumelageCulturel, date!(1990 - 06 - 01)))
            .unwrap();
        // An older friendship documented afterwards takes its place before.
        h.ajouter(etape(Etape::Amitie, date!(1985 - 01 - 01)))
            .unwrap();
        h.ajouter(etape(Etape::ConventionPartenariat, date!(2005 - 03 - 15)))
            .unwrap();
        let ordre: Vec<Etape> = h.etapes().iter().map(|e| e.etape).collect();
        assert_eq!(
            ordre,
            [
                Etape::Amitie,
                Etape::JumelageCulturel,
                Etape::ConventionPartenariat
            ]
        );

        // A stage dated later than a more advanced one is rejected…
        let err = h
            .ajouter(etape(Etape::JumelageCooperation, date!(2010 - 01 - 01)))
            .unwrap_err();
        assert!(matches!(
            err,
            ErreurModele::EtapeHorsOrdre {
                autre: Etape::ConventionPartenariat,
                ..
            }
        ));
        // …and so is a stage repeated, or two on the same day.
        assert!(
            h.ajouter(etape(Etape::Amitie, date!(1986 - 01 - 01)))
                .is_err()
        );
        assert!(
            h.ajouter(etape(Etape::JumelageCulturel, date!(1989 - 01 - 01)))
                .is_err()
        );
        let err = h
            .ajouter(etape(Etape::JumelageCooperation, date!(1990 - 06 - 01)))
            .unwrap_err();
        assert_eq!(err, ErreurModele::EtapeMemeJour(date!(1990 - 06 - 01)));
        assert_eq!(h.etapes().len(), 3, "a rejected stage is not kept");
    }

    #[test]
    fn the_stage_at_a_date_is_the_latest_started() {
        let h = HistoriqueEtapes::new(vec![
            etape(Etape::Amitie, date!(1985 - 01 - 01)),
            etape(Etape::JumelageCooperation, date!(1999 - 01 - 01)),
        ])
        .unwrap();
        assert_eq!(h.a_la_date(date!(1984 - 12 - 31)), None);
        assert_eq!(
            h.a_la_date(date!(1998 - 12 - 31)).unwrap().etape,
            Etape::Amitie
        );
        assert_eq!(
            h.a_la_date(date!(2020 - 01 - 01)).unwrap().etape,
            Etape::JumelageCooperation
        );
    }

    #[test]
    fn a_convention_ends_after_its_duration() {
        let c = Convention {
            intitule: "Convention cadre".into(),
            signee_le: Some(date!(2019 - 11 - 30)),
            duree_mois: Some(27),
            reconduction: Reconduction::Tacite,
            document: None,
        };
        assert_eq!(c.echeance(), Some(date!(2022 - 02 - 28)));
        let non_signee = Convention {
            signee_le: None,
            ..c
        };
        assert_eq!(non_signee.echeance(), None);
    }

    #[test]
    fn a_convention_lasts_at_least_a_month() {
        let c = NouvelleConvention {
            intitule: "Convention".into(),
            signee_le: None,
            duree_mois: Some(0),
            reconduction: Reconduction::Aucune,
            document: None,
        };
        assert!(c.valider().is_err());
    }
}
