//! The domain of decentralized cooperation: plain types and the rules they keep.
//!
//! Nothing here touches the database or the web; every invariant the schema enforces is
//! also checked here first, so that a user gets a French message rather than a constraint
//! error.

mod acteur;
mod action;
pub mod bourse;
mod code;
mod collectivite;
mod compte;
mod contact;
mod erreur;
mod financement;
mod indicateur;
mod intervention;
mod lieu_iati;
mod localite;
mod montant_saisi;
pub mod nom;
mod partenariat;
mod pdesc;
mod periode;
mod point;
mod resultat;
mod resultat_iati;
mod texte;

pub use acteur::{Acteur, ActeurId, NouvelActeur, TypeOrganisation};
pub use action::{Action, ActionId, Axe, Domaine, Nature, NouvelleAction, StatutAction};
pub(crate) use code::vocabulaire;
pub use code::{Code, CodeInconnu, enumeration_fr};
pub use collectivite::{Collectivite, CollectiviteId, Niveau, NouvelleCollectivite, Pays};
pub use compte::{Compte, CompteId, Email, MOT_DE_PASSE_MIN, Role, verifier_mot_de_passe};
pub use contact::{Contact, ContactId, ContactValide, NouveauContact, TELEPHONE_MAX};
pub use erreur::ErreurModele;
pub use financement::{
    Devise, FinancementId, Montant, NouveauFinancement, TypeFinancement, chiffres_groupes,
};
pub use indicateur::{Indicateur, Unite, Valeur, catalogue, indicateur, rang_au_catalogue};
pub use intervention::{
    DatesIati, InterventionId, ListeIati, Narratif, NouvelleIntervention, OrganisationIati,
    SecteurIati, TransactionIati, ValeurIati, codes_iati, libelle_iati,
};
pub use lieu_iati::{LieuIati, MethodeLien, MotifNonLie, PointIati, Rattachement};
pub use localite::{
    LOCALITES_MAX, Localite, LocaliteId, NouvelleLocalite, pcode_localite, valider_localites,
};
pub use montant_saisi::ErreurMontant;
pub use partenariat::{
    Convention, Etape, EtapeDatee, HistoriqueEtapes, Intermediaire, NouveauPartenariat,
    NouvelleConvention, Partenariat, PartenariatId, Parties, Reconduction, RoleIntermediaire,
    StatutPartenariat, Validation, verifier_parties,
};
pub use pdesc::{NouveauPdesc, OBJECTIFS_MAX, ObjectifId, Pdesc};
pub use periode::{Periode, date_fr, date_iso};
pub use point::{POINTS_MAX, PointAction, degres, valider_points};
pub use resultat::{
    Mesure, NouveauResultat, NouvellePeriode, PeriodeMesuree, Resultat, ResultatId,
    progression_pour_mille,
};
pub use resultat_iati::{
    BaseIati, DecimalIati, PeriodeResultatIati, ResultatIati, ValeurResultatIati, type_resultat_fr,
};
pub use texte::{
    EXTRAIT_MAX, Extrait, Saisie, caractere_interdit, minuscule, retirer_caracteres_interdits,
    sans_caracteres_interdits, taille_fr, texte_facultatif, texte_requis, verifier_caracteres,
};
