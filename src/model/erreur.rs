use time::Date;

use super::{CodeInconnu, Etape, Niveau, Pays};

/// A broken domain rule. Messages are French because they reach the user as they are.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ErreurModele {
    #[error("le champ « {0} » est obligatoire")]
    ChampVide(&'static str),
    #[error("le champ « {champ} » dépasse {max} caractères")]
    ChampTropLong { champ: &'static str, max: usize },
    #[error("« {0} » n'est pas un code pays ISO 3166-1 à deux lettres (exemples : ML, FR, CA)")]
    PaysInvalide(String),
    #[error("« {0} » n'est le code d'aucun pays (ISO 3166-1 alpha-2, par exemple ML, FR, CA)")]
    PaysInconnu(String),
    #[error("le niveau « {} » n'existe pas pour le pays {pays} ; niveaux admis : {}", niveau.code(), Niveau::admis_pour(*pays).iter().map(|n| n.code()).collect::<Vec<_>>().join(", "))]
    NiveauHorsPays { niveau: Niveau, pays: Pays },
    #[error("la période se termine le {fin} avant de commencer le {debut}")]
    PeriodeInversee { debut: Date, fin: Date },
    #[error(
        "un partenariat réunit au moins une collectivité malienne et une collectivité étrangère ; il manque une partie {0}"
    )]
    PartieManquante(&'static str),
    #[error("la collectivité n° {0} figure deux fois parmi les parties")]
    PartieEnDouble(i64),
    #[error("deux étapes ne peuvent pas commencer le même jour ({0})")]
    EtapeMemeJour(Date),
    #[error("l'étape « {} » datée du {depuis} contredit l'étape « {} » du {autre_depuis} : une relation avance d'amitié en jumelage puis en convention, les dates doivent suivre cet ordre", etape.libelle(), autre.libelle())]
    EtapeHorsOrdre {
        etape: Etape,
        depuis: Date,
        autre: Etape,
        autre_depuis: Date,
    },
    #[error("l'année {0} est hors des bornes admises (1960 à 2100)")]
    AnneeHorsBornes(i32),
    #[error("un montant ne peut pas être négatif")]
    MontantNegatif,
    #[error(
        "« {0} » n'est pas un montant : écrivez des chiffres, avec au plus {1} décimale(s) après la virgule (exemple : 12 345,67)"
    )]
    MontantIllisible(String, u32),
    #[error("« {0} » n'est pas une adresse e-mail valable (exemple : maire@kayes.ml)")]
    EmailInvalide(String),
    #[error(
        "le mot de passe doit compter au moins {0} caractères (une phrase de passe est plus sûre et plus facile à retenir)"
    )]
    MotDePasse(usize),
    #[error("indiquez au moins une adresse e-mail ou un téléphone pour joindre ce contact")]
    ContactInjoignable,
    #[error("la collectivité n° {0} n'est pas une partie de ce partenariat")]
    ContactHorsParties(i64),
    #[error(transparent)]
    Code(#[from] CodeInconnu),
}

/// Checks that a required text is present and of reasonable length; returns it trimmed.
pub fn texte_requis(champ: &'static str, valeur: &str, max: usize) -> Result<String, ErreurModele> {
    let valeur = valeur.trim();
    if valeur.is_empty() {
        return Err(ErreurModele::ChampVide(champ));
    }
    if valeur.chars().count() > max {
        return Err(ErreurModele::ChampTropLong { champ, max });
    }
    Ok(valeur.to_owned())
}

/// Like [`texte_requis`] for an optional text: blank becomes `None`.
pub fn texte_facultatif(
    champ: &'static str,
    valeur: Option<&str>,
    max: usize,
) -> Result<Option<String>, ErreurModele> {
    match valeur.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => texte_requis(champ, v, max).map(Some),
    }
}
