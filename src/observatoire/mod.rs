//! The observatory: the live « aperçu » of decentralized cooperation that the founding
//! document sketches (how many partnerships, with whom, where, on what, with how much money),
//! computed from the records at a date, with the method that lets anyone check each figure.
//!
//! `calculer` reads each table once (`store::apercu`) in one snapshot, counts in memory, and
//! turns the counts into an [`Apercu`], whose JSON form is the documented machine contract (docs/apercu.md); `rendu` writes it as
//! HTML, Markdown and CSV.

mod agregats;
mod assemblage;
mod calcul;
pub mod carte;
mod conversion;
mod liste;
mod realisations;
pub mod rendu;
mod territoire;
#[cfg(test)]
mod tests;

use serde::Serialize;
use time::Date;

pub use agregats::ApercuTenu;
pub use conversion::{EnFrancs, Somme, Taux, en_francs};
pub use realisations::{LigneIndicateur, Realisations, RealisationsAxe, RealisationsRegion};

use crate::model::TypeFinancement;
use crate::store;

/// How many records each data-quality list shows (the total is always given).
const EXEMPLES: usize = 50;
/// How many partenariats the top lists show.
const TOP: usize = 10;
/// How many coordination places the overview lists (the total is always given).
const COORDINATION: usize = 100;

/// The whole overview at one date. Field names are the JSON contract.
#[derive(Debug, Clone, Serialize)]
pub struct Apercu {
    /// The date the records are read at (YYYY-MM-DD).
    pub date: String,
    #[serde(skip)]
    pub jour: Date,
    /// The territorial division the figures are computed on.
    pub division: String,
    /// Public partenariats that are demonstration data (the home page says so); not in the
    /// JSON contract.
    #[serde(skip)]
    pub partenariats_demonstration: u64,
    pub partenariats_actifs: u64,
    /// Actions of the active partenariats that had begun by the date (or whose start is unknown).
    pub actions: u64,
    pub par_pays: Vec<LignePays>,
    pub par_region: Vec<LigneZone>,
    /// Distinct partenariats and actions behind `par_region` (one that spans several régions
    /// counts once here, once for each région above).
    pub total_regions: TotalZones,
    pub par_cercle: Vec<LigneZone>,
    pub par_commune: Vec<LigneZone>,
    pub top_partenariats: Vec<LigneTop>,
    pub plus_actifs: Vec<LigneTop>,
    pub par_axe: Vec<LigneAxe>,
    pub par_domaine: Vec<LigneDomaine>,
    pub par_annee: Vec<LigneAnnee>,
    /// All the money of the counted actions, each financement once.
    pub financements: Montants,
    pub etapes: Vec<LigneEtape>,
    pub transitions: Vec<LigneTransition>,
    pub couverture: Couverture,
    pub zones_blanches: Vec<ZoneBlanche>,
    /// The places where most partenariats meet in one domaine, at most 100.
    pub coordination: Vec<LigneCoordination>,
    /// How many (place, domaine) pairs have several partenariats.
    pub coordination_total: u64,
    pub asymetries: Vec<LigneAsymetrie>,
    /// What the counted actions achieved, by catalogue indicator.
    pub realisations: Realisations,
    pub qualite: Qualite,
    /// Currencies with amounts that no rate could convert to euros.
    pub devises_non_converties: Vec<String>,
    /// La bourse aux partenariats: what is open on the date, and what it gave that year.
    pub bourse: crate::store::bourse::Chiffres,
}

#[derive(Debug, Clone, Serialize)]
pub struct LignePays {
    pub pays: String,
    pub nom: String,
    pub partenariats: u64,
    pub part: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct LigneZone {
    pub id: i64,
    /// The name of the unit (a région in `par_region`).
    pub region: String,
    pub code: Option<String>,
    /// The région the unit lies in (itself for a région).
    pub dans: Option<String>,
    pub partenariats: u64,
    pub actions: u64,
    pub part_partenariats: f64,
    pub part_actions: f64,
    /// Money mobilised by the actions placed in the zone (an action in two zones counts in
    /// each), in euros; `montant_xof` is the same sum in francs CFA.
    pub montant_eur: Option<Somme>,
    pub montant_xof: Option<EnFrancs>,
    /// Some of that money is in a currency without a known rate.
    pub montant_incomplet: bool,
    /// Imported IATI interventions placed in the zone.
    pub interventions: u64,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct TotalZones {
    pub partenariats: u64,
    pub actions: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct LigneTop {
    pub id: i64,
    pub titre: String,
    /// Its money (the fields appear inline in JSON).
    #[serde(flatten)]
    pub argent: Montants,
    pub actions: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct LigneAxe {
    pub axe: &'static str,
    pub libelle: &'static str,
    pub actions: u64,
    pub part: f64,
    pub montant_eur: Option<Somme>,
    pub montant_xof: Option<EnFrancs>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LigneDomaine {
    pub domaine: &'static str,
    pub libelle: &'static str,
    pub code_cad: &'static str,
    pub actions: u64,
    pub montant_eur: Option<Somme>,
    pub montant_xof: Option<EnFrancs>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LigneAnnee {
    pub annee: i32,
    /// Actions that began that year.
    pub actions: u64,
    pub engagements_eur: Option<Somme>,
    pub engagements_xof: Option<EnFrancs>,
    pub decaissements_eur: Option<Somme>,
    pub decaissements_xof: Option<EnFrancs>,
}

/// Money of a partenariat, or of all counted actions: commitments and disbursements, and the
/// money mobilised (the larger of the two); null when there is no financement at all (unknown,
/// not zero). Each `*_xof` field is the same sum in francs CFA.
#[derive(Debug, Clone, Serialize)]
pub struct Montants {
    pub montant_eur: Option<Somme>,
    pub montant_xof: Option<EnFrancs>,
    pub engagements_eur: Option<Somme>,
    pub engagements_xof: Option<EnFrancs>,
    pub decaissements_eur: Option<Somme>,
    pub decaissements_xof: Option<EnFrancs>,
    /// Some amounts had no rate and are left out.
    pub conversion_incomplete: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct LigneEtape {
    /// An étape code, or `non_renseignee` for partenariats without a dated étape.
    pub etape: &'static str,
    pub libelle: &'static str,
    pub partenariats: u64,
    pub part: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct LigneTransition {
    pub annee: i32,
    pub etape: &'static str,
    pub partenariats: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Couverture {
    /// Malian communes (the district's included) in the division.
    pub collectivites: u64,
    /// Those party to an active partenariat.
    pub avec_partenariat: u64,
    pub part: f64,
    pub par_niveau: Vec<CouvertureNiveau>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CouvertureNiveau {
    pub niveau: &'static str,
    pub collectivites: u64,
    pub avec_partenariat: u64,
    pub part: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ZoneBlanche {
    pub region: String,
    pub code: Option<String>,
    /// Its communes without any active partenariat.
    pub communes: Vec<Reference>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Reference {
    pub id: i64,
    pub nom: String,
    pub code: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LigneCoordination {
    pub lieu_id: i64,
    pub lieu: String,
    pub domaine: &'static str,
    pub partenariats: Vec<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LigneAsymetrie {
    pub id: i64,
    pub titre: String,
    pub niveaux_maliens: Vec<&'static str>,
    pub niveaux_etrangers: Vec<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Qualite {
    pub actions_echues_en_cours: Signalement,
    pub partenariats_non_confirmes: Signalement,
    pub doublons_probables: Vec<Vec<Titre>>,
    pub actions_sans_financement: Signalement,
    pub actions_sans_lieu: Signalement,
    /// Counted actions ended (« achevée », or past their end date and not cancelled)
    /// without any value measured by the date.
    pub actions_terminees_sans_resultat: Signalement,
}

#[derive(Debug, Clone, Serialize)]
pub struct Signalement {
    pub total: u64,
    /// The first records, by number, with the path of their page.
    pub exemples: Vec<Titre>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Titre {
    pub id: i64,
    pub titre: String,
    pub lien: String,
}

/// The headline figures of the home page, with the definitions of the overview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChiffresCles {
    pub date: String,
    pub partenariats_actifs: u64,
    pub pays_partenaires: u64,
    /// Malian régions (and the district) with a party to an active partenariat.
    pub regions_maliennes: u64,
    pub actions: u64,
    /// Money mobilised by those actions (`financements.montant_eur` of the overview).
    pub montant: Option<Somme>,
    /// Partenariats that are demonstration data, so that the page can say so.
    pub partenariats_demonstration: u64,
}

impl ChiffresCles {
    /// The figures of `apercu`.
    pub fn depuis(apercu: &Apercu) -> ChiffresCles {
        ChiffresCles {
            date: apercu.date.clone(),
            partenariats_actifs: apercu.partenariats_actifs,
            pays_partenaires: apercu.par_pays.len() as u64,
            regions_maliennes: apercu
                .par_region
                .iter()
                .filter(|r| r.partenariats > 0)
                .count() as u64,
            actions: apercu.actions,
            montant: apercu.financements.montant_eur,
            partenariats_demonstration: apercu.partenariats_demonstration,
        }
    }
}

impl Apercu {
    /// Communes without any active partenariat, all régions together.
    pub fn communes_blanches(&self) -> u64 {
        self.zones_blanches
            .iter()
            .map(|z| z.communes.len() as u64)
            .sum()
    }
}

/// `n` over `total` rounded to four decimals (a share between 0 and 1, or a progress that
/// may pass 1); 0 when the whole is empty.
fn part(n: u64, total: u64) -> f64 {
    if total == 0 {
        0.0
    } else {
        (n as f64 / total as f64 * 10_000.0).round() / 10_000.0
    }
}

/// Computes the overview at `date`, inside the caller's read transaction
/// ([`Store::lire`](crate::store::Store::lire)) so that every figure comes from one snapshot.
pub fn calculer(conn: &rusqlite::Connection, date: Date) -> store::Result<Apercu> {
    calcul::calculer(conn, date)
}

/// Commitments and disbursements, exact, and whether something could not be converted.
#[derive(Default, Clone, Copy)]
struct Argent {
    engagements: Option<Somme>,
    decaissements: Option<Somme>,
    incomplet: bool,
}

impl Argent {
    fn ajouter(&mut self, somme_type: TypeFinancement, montant: Option<Somme>) {
        let cible = match somme_type {
            TypeFinancement::Engagement => &mut self.engagements,
            TypeFinancement::Decaissement => &mut self.decaissements,
        };
        match montant {
            Some(e) => *cible = Some(cible.unwrap_or_default() + e),
            None => self.incomplet = true,
        }
    }

    /// Adds another sum, kind by kind.
    fn cumuler(&mut self, autre: &Argent) {
        let somme = |a: Option<Somme>, b: Option<Somme>| match (a, b) {
            (Some(a), Some(b)) => Some(a + b),
            (a, b) => a.or(b),
        };
        self.engagements = somme(self.engagements, autre.engagements);
        self.decaissements = somme(self.decaissements, autre.decaissements);
        self.incomplet |= autre.incomplet;
    }

    fn montants(&self) -> Montants {
        Montants {
            montant_eur: self.mobilise(),
            montant_xof: en_francs(self.mobilise()),
            engagements_eur: self.engagements,
            engagements_xof: en_francs(self.engagements),
            decaissements_eur: self.decaissements,
            decaissements_xof: en_francs(self.decaissements),
            conversion_incomplete: self.incomplet,
        }
    }

    /// The larger of commitments and disbursements: commitments usually include what was
    /// paid out, and a record with only payments still shows them.
    fn mobilise(&self) -> Option<Somme> {
        match (self.engagements, self.decaissements) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        }
    }
}

/// Among partenariats with the same parties, those whose titles are close enough to be the
/// same relation entered twice.
fn groupes_de_titres_proches(groupe: &[(i64, String)]) -> Vec<Vec<(i64, String)>> {
    let mut pris = vec![false; groupe.len()];
    let mut resultat = Vec::new();
    for i in 0..groupe.len() {
        if pris[i] {
            continue;
        }
        let reference = crate::model::nom::normaliser(&groupe[i].1);
        let mut proches = vec![groupe[i].clone()];
        for j in i + 1..groupe.len() {
            let autre = crate::model::nom::normaliser(&groupe[j].1);
            if !pris[j] && strsim::normalized_damerau_levenshtein(&reference, &autre) >= 0.8 {
                pris[j] = true;
                proches.push(groupe[j].clone());
            }
        }
        if proches.len() > 1 {
            resultat.push(proches);
        }
    }
    resultat
}
