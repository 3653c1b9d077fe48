//! An activity as the reader hands it over: what benkan keeps of it, still as published.

use crate::model::{Narratif, OrganisationIati, SecteurIati};

/// A code of a `location`: its `location-id` or one of its `administrative` elements.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CodeLu {
    /// IATI GeographicVocabulary (A4 ISO, G1 GeoNames…).
    pub vocabulaire: Option<String>,
    /// `administrative/@level`.
    pub niveau: Option<String>,
    pub code: String,
}

/// A `point` as published: its reference system and its `pos`, still as text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PointLu {
    pub srs: Option<String>,
    pub pos: Option<String>,
}

/// A `location` as published, every part of it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LieuLu {
    pub reference: Option<String>,
    pub noms: Vec<Narratif>,
    /// `description`: qualifies the location.
    pub descriptions: Vec<Narratif>,
    /// `activity-description`: what the activity does there.
    pub descriptions_activite: Vec<Narratif>,
    /// `location-id` elements: the location itself in a gazetteer.
    pub identifiants: Vec<CodeLu>,
    /// `administrative` elements: the areas it lies in, at one level or several.
    pub administratifs: Vec<CodeLu>,
    pub point: Option<PointLu>,
    /// The codes of `exactness`, `location-class`, `feature-designation`, `location-reach`.
    pub exactitude: Option<String>,
    pub classe: Option<String>,
    pub designation: Option<String>,
    pub portee: Option<String>,
}

/// A `transaction` as published, its value still as text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TransactionLue {
    pub type_transaction: Option<String>,
    pub date: Option<String>,
    pub valeur: String,
    pub devise: Option<String>,
    pub date_valeur: Option<String>,
    pub fournisseur: Vec<Narratif>,
    pub beneficiaire: Vec<Narratif>,
    /// Its `recipient-country` codes (IATI allows them here instead of on the activity).
    pub pays: Vec<String>,
}

/// A `value` attribute of a baseline, target or actual, still as text, with where its
/// element starts in the file (to say which line holds a value that is not a number).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValeurLue {
    pub texte: Option<String>,
    pub position: u64,
    /// Its `dimension` elements (name, value) (none for a baseline: not read there).
    pub dimensions: Vec<(String, String)>,
}

/// A `period` of an indicator as published.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeriodeLue {
    pub position: u64,
    /// The `iso-date` of `period-start` and `period-end`.
    pub debut: Option<String>,
    pub fin: Option<String>,
    pub cibles: Vec<ValeurLue>,
    pub atteints: Vec<ValeurLue>,
}

/// The first `baseline` of an indicator as published.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BaseLue {
    pub annee: Option<String>,
    pub date: Option<String>,
    pub valeur: ValeurLue,
}

/// An `indicator` as published.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IndicateurLu {
    pub mesure: Option<String>,
    pub croissant: Option<String>,
    pub titre: Vec<Narratif>,
    /// Its first `reference` (vocabulary, code).
    pub reference: Option<(String, String)>,
    pub base: Option<BaseLue>,
    pub periodes: Vec<PeriodeLue>,
}

/// A `result` as published.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResultatLu {
    pub type_resultat: Option<String>,
    pub titre: Vec<Narratif>,
    pub indicateurs: Vec<IndicateurLu>,
}

/// One `iati-activity` with what benkan keeps of it, as published.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActiviteLue {
    /// Where it starts in the file, in bytes.
    pub position: u64,
    pub identifiant: String,
    pub derniere_maj: Option<String>,
    pub devise_defaut: Option<String>,
    pub titre: Vec<Narratif>,
    /// Descriptions with their type (1 general when absent).
    pub descriptions: Vec<(String, Vec<Narratif>)>,
    pub editeur: OrganisationIati,
    pub editeur_noms: Vec<Narratif>,
    pub participants: Vec<(OrganisationIati, Vec<Narratif>)>,
    pub statut: Option<String>,
    /// (type, iso-date) of each `activity-date`.
    pub dates: Vec<(String, String)>,
    /// (code, percentage) of each activity-level `recipient-country`.
    pub pays: Vec<(String, Option<String>)>,
    pub lieux: Vec<LieuLu>,
    pub secteurs: Vec<SecteurIati>,
    pub transactions: Vec<TransactionLue>,
    pub resultats: Vec<ResultatLu>,
}

/// The narrative to show: in French, else in English, else the first one.
pub fn choisir(narratifs: &[Narratif]) -> Option<&Narratif> {
    let langue = |l: &str| {
        narratifs.iter().find(|n| {
            n.langue.as_deref().is_some_and(|x| {
                x.eq_ignore_ascii_case(l) || x.to_ascii_lowercase().starts_with(&format!("{l}-"))
            })
        })
    };
    langue("fr").or_else(|| langue("en")).or(narratifs.first())
}
