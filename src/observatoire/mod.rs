//! The observatory: the live « aperçu » of decentralized cooperation that the founding
//! document sketches (how many partnerships, with whom, where, on what, with how much money),
//! computed from the records at a date, with the method that lets anyone check each figure.
//!
//! `calculer` gathers the aggregates of `store::apercu` and turns them into an [`Apercu`],
//! whose JSON form is the documented machine contract (docs/apercu.md); `rendu` writes it as
//! HTML, Markdown and CSV.

mod conversion;
pub mod rendu;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use rusqlite::Connection;
use serde::Serialize;
use time::Date;

pub use conversion::{Euros, Taux};

use crate::model::{
    Axe, Code, CollectiviteId, Domaine, Etape, Niveau, PartenariatId, Parties, TypeFinancement,
};
use crate::store::{self, apercu as sql};

/// How many records each data-quality list shows (the total is always given).
const EXEMPLES: u32 = 50;
/// How many partenariats the top lists show.
const TOP: usize = 10;

/// The whole overview at one date. Field names are the JSON contract.
#[derive(Debug, Clone, Serialize)]
pub struct Apercu {
    /// The date the records are read at (YYYY-MM-DD).
    pub date: String,
    #[serde(skip)]
    pub jour: Date,
    /// The territorial division the figures are computed on.
    pub division: String,
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
    pub etapes: Vec<LigneEtape>,
    pub transitions: Vec<LigneTransition>,
    pub couverture: Couverture,
    pub zones_blanches: Vec<ZoneBlanche>,
    pub coordination: Vec<LigneCoordination>,
    pub asymetries: Vec<LigneAsymetrie>,
    pub qualite: Qualite,
    /// Currencies with amounts that no rate could convert to euros.
    pub devises_non_converties: Vec<String>,
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
}

#[derive(Debug, Clone, Serialize)]
pub struct TotalZones {
    pub partenariats: u64,
    pub actions: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct LigneTop {
    pub id: i64,
    pub titre: String,
    /// Money mobilised: the larger of commitments and disbursements, in euros; null when
    /// the partenariat has no financement at all (unknown, not zero).
    pub montant_eur: Option<Euros>,
    pub engagements_eur: Option<Euros>,
    pub decaissements_eur: Option<Euros>,
    /// Some amounts could not be converted and are left out.
    pub conversion_incomplete: bool,
    pub actions: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct LigneAxe {
    pub axe: &'static str,
    pub libelle: &'static str,
    pub actions: u64,
    pub part: f64,
    pub montant_eur: Option<Euros>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LigneDomaine {
    pub domaine: &'static str,
    pub libelle: &'static str,
    pub code_cad: &'static str,
    pub actions: u64,
    pub montant_eur: Option<Euros>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LigneAnnee {
    pub annee: i32,
    /// Actions that began that year.
    pub actions: u64,
    pub engagements_eur: Option<Euros>,
    pub decaissements_eur: Option<Euros>,
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
    /// Partenariats that are demonstration data, so that the page can say so.
    pub partenariats_demonstration: u64,
}

/// Only the headline figures: a few counts, fast enough for every view of the home page.
pub fn chiffres_cles(conn: &Connection, date: Date) -> store::Result<ChiffresCles> {
    conn.execute_batch("BEGIN")?;
    let resultat = (|| {
        sql::preparer(conn, date)?;
        Ok(ChiffresCles {
            date: date.to_string(),
            partenariats_actifs: sql::partenariats_actifs(conn)?,
            pays_partenaires: sql::pays_partenaires(conn)?,
            regions_maliennes: sql::regions_concernees(conn)?,
            actions: sql::actions(conn, date)?,
            partenariats_demonstration: sql::partenariats_demonstration(conn)?,
        })
    })();
    conn.execute_batch("COMMIT")?;
    resultat
}

/// A share between 0 and 1, rounded to four decimals; 0 when the whole is empty.
fn part(n: u64, total: u64) -> f64 {
    if total == 0 {
        0.0
    } else {
        (n as f64 / total as f64 * 10_000.0).round() / 10_000.0
    }
}

/// Computes the overview at `date` in one read transaction.
pub fn calculer(conn: &Connection, date: Date) -> store::Result<Apercu> {
    conn.execute_batch("BEGIN")?;
    let resultat = calculer_dans_transaction(conn, date);
    conn.execute_batch("COMMIT")?;
    resultat
}

fn calculer_dans_transaction(conn: &Connection, date: Date) -> store::Result<Apercu> {
    sql::preparer(conn, date)?;
    let taux = Taux::new(sql::taux_change(conn)?);
    let partenariats_actifs = sql::partenariats_actifs(conn)?;
    let actions = sql::actions(conn, date)?;

    let par_pays = sql::par_pays(conn)?
        .into_iter()
        .map(|(pays, n)| LignePays {
            pays: pays.code().to_owned(),
            nom: pays.nom().to_owned(),
            partenariats: n,
            part: part(n, partenariats_actifs),
        })
        .collect();

    let unites = sql::unites_maliennes(conn, date)?;
    let par_id: HashMap<CollectiviteId, &sql::UniteMalienne> =
        unites.iter().map(|u| (u.id, u)).collect();
    let comptes = sql::comptes_par_unite(conn, date)?;
    let total_regions = TotalZones {
        partenariats: comptes.partenariats_distincts,
        actions: comptes.actions_distinctes,
    };
    let (mut par_region, mut par_cercle, mut par_commune) = (Vec::new(), Vec::new(), Vec::new());
    for (id, partenariats, actions) in &comptes.par_unite {
        let Some(u) = par_id.get(id) else { continue };
        let ligne = LigneZone {
            id: id.0,
            region: u.nom.clone(),
            code: u.code.clone(),
            dans: u.region.and_then(|r| par_id.get(&r)).map(|r| r.nom.clone()),
            partenariats: *partenariats,
            actions: *actions,
            part_partenariats: part(*partenariats, total_regions.partenariats),
            part_actions: part(*actions, total_regions.actions),
        };
        match u.niveau {
            Niveau::Region | Niveau::District => par_region.push(ligne),
            Niveau::Cercle => par_cercle.push(ligne),
            _ => par_commune.push(ligne),
        }
    }
    for liste in [&mut par_region, &mut par_cercle, &mut par_commune] {
        liste.sort_by(|a, b| {
            b.actions
                .cmp(&a.actions)
                .then(b.partenariats.cmp(&a.partenariats))
                .then(a.region.cmp(&b.region))
        });
    }

    let mut devises_non_converties = Vec::new();
    let (top_partenariats, plus_actifs) = tops(conn, date, &taux, &mut devises_non_converties)?;
    let (par_axe, par_domaine, par_annee) =
        axes_domaines_annees(conn, date, actions, &taux, &mut devises_non_converties)?;
    devises_non_converties.sort();
    devises_non_converties.dedup();

    let etapes = etapes(conn, date, partenariats_actifs)?;
    let transitions = sql::transitions(conn, date)?
        .into_iter()
        .map(|(annee, etape, n)| LigneTransition {
            annee,
            etape: etape.code(),
            partenariats: n,
        })
        .collect();

    let (couverture, zones_blanches) = couverture(conn, &unites, &par_id)?;
    let coordination = sql::coordination(conn, date)?
        .into_iter()
        .map(|(lieu, domaine, ids)| LigneCoordination {
            lieu_id: lieu.0,
            lieu: par_id
                .get(&lieu)
                .map(|u| u.nom.clone())
                .unwrap_or_else(|| format!("n° {lieu}")),
            domaine: domaine.code(),
            partenariats: ids.into_iter().map(|p| p.0).collect(),
        })
        .collect();

    Ok(Apercu {
        date: date.to_string(),
        jour: date,
        division: format!(
            "Mali : découpage territorial de 2016 (référentiel benkan {}) ; pays partenaires en codes ISO 3166-1",
            crate::referentiel::VERSION
        ),
        partenariats_actifs,
        actions,
        par_pays,
        par_region,
        total_regions,
        par_cercle,
        par_commune,
        top_partenariats,
        plus_actifs,
        par_axe,
        par_domaine,
        par_annee,
        etapes,
        transitions,
        couverture,
        zones_blanches,
        coordination,
        asymetries: asymetries(conn)?,
        qualite: qualite(conn, date)?,
        devises_non_converties,
    })
}

/// Commitments and disbursements in euros, and whether something could not be converted.
#[derive(Default, Clone, Copy)]
struct Argent {
    engagements: Option<Euros>,
    decaissements: Option<Euros>,
    incomplet: bool,
}

impl Argent {
    fn ajouter(&mut self, somme_type: TypeFinancement, euros: Option<Euros>) {
        let cible = match somme_type {
            TypeFinancement::Engagement => &mut self.engagements,
            TypeFinancement::Decaissement => &mut self.decaissements,
        };
        match euros {
            Some(e) => *cible = Some(cible.unwrap_or_default() + e),
            None => self.incomplet = true,
        }
    }

    /// The larger of commitments and disbursements: commitments usually include what was
    /// paid out, and a record with only payments still shows them.
    fn mobilise(&self) -> Option<Euros> {
        match (self.engagements, self.decaissements) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        }
    }
}

fn convertir<K: Copy + Eq + std::hash::Hash>(
    sommes: Vec<sql::Somme<K>>,
    taux: &Taux,
    non_converties: &mut Vec<String>,
) -> HashMap<K, Argent> {
    let mut argent: HashMap<K, Argent> = HashMap::new();
    for s in sommes {
        let euros = taux.en_euros(s.unites_mineures, s.devise, s.annee);
        if euros.is_none() {
            non_converties.push(s.devise.code().to_owned());
        }
        argent
            .entry(s.cle)
            .or_default()
            .ajouter(s.type_financement, euros);
    }
    argent
}

fn tops(
    conn: &Connection,
    date: Date,
    taux: &Taux,
    non_converties: &mut Vec<String>,
) -> store::Result<(Vec<LigneTop>, Vec<LigneTop>)> {
    let argent = convertir(
        sql::sommes_par_partenariat(conn, date)?,
        taux,
        non_converties,
    );
    let actions: HashMap<PartenariatId, u64> = sql::actions_par_partenariat(conn, date)?
        .into_iter()
        .collect();
    let lignes: Vec<LigneTop> = sql::titres_actifs(conn)?
        .into_iter()
        .map(|(id, titre)| {
            let a = argent.get(&id).copied().unwrap_or_default();
            LigneTop {
                id: id.0,
                titre,
                montant_eur: a.mobilise(),
                engagements_eur: a.engagements,
                decaissements_eur: a.decaissements,
                conversion_incomplete: a.incomplet,
                actions: actions.get(&id).copied().unwrap_or(0),
            }
        })
        .collect();
    let mut par_argent = lignes.clone();
    // Unknown money (null) comes after every known amount, zero included.
    par_argent.sort_by(|a, b| {
        b.montant_eur
            .is_some()
            .cmp(&a.montant_eur.is_some())
            .then(b.montant_eur.cmp(&a.montant_eur))
            .then(b.actions.cmp(&a.actions))
            .then(a.id.cmp(&b.id))
    });
    par_argent.truncate(TOP);
    let mut par_actions = lignes;
    par_actions.sort_by(|a, b| b.actions.cmp(&a.actions).then(a.id.cmp(&b.id)));
    par_actions.truncate(TOP);
    Ok((par_argent, par_actions))
}

fn axes_domaines_annees(
    conn: &Connection,
    date: Date,
    total_actions: u64,
    taux: &Taux,
    non_converties: &mut Vec<String>,
) -> store::Result<(Vec<LigneAxe>, Vec<LigneDomaine>, Vec<LigneAnnee>)> {
    let mut actions_axe: HashMap<Axe, u64> = HashMap::new();
    let mut actions_domaine: HashMap<Domaine, u64> = HashMap::new();
    let mut actions_annee: HashMap<i32, u64> = HashMap::new();
    for (axe, domaine, annee, n) in sql::actions_par_axe_domaine_annee(conn, date)? {
        *actions_axe.entry(axe).or_default() += n;
        *actions_domaine.entry(domaine).or_default() += n;
        if let Some(annee) = annee {
            *actions_annee.entry(annee).or_default() += n;
        }
    }
    let sommes = sql::sommes_par_axe_domaine(conn, date)?;
    let mut par_annee: HashMap<i32, Argent> = HashMap::new();
    let mut par_axe: HashMap<Axe, Argent> = HashMap::new();
    let mut par_domaine: HashMap<Domaine, Argent> = HashMap::new();
    for s in sommes {
        let euros = taux.en_euros(s.unites_mineures, s.devise, s.annee);
        if euros.is_none() {
            non_converties.push(s.devise.code().to_owned());
        }
        par_annee
            .entry(s.annee)
            .or_default()
            .ajouter(s.type_financement, euros);
        par_axe
            .entry(s.cle.0)
            .or_default()
            .ajouter(s.type_financement, euros);
        par_domaine
            .entry(s.cle.1)
            .or_default()
            .ajouter(s.type_financement, euros);
    }
    let axes = Axe::TOUS
        .iter()
        .map(|axe| {
            let n = actions_axe.get(axe).copied().unwrap_or(0);
            LigneAxe {
                axe: axe.code(),
                libelle: axe.libelle(),
                actions: n,
                part: part(n, total_actions),
                montant_eur: par_axe.get(axe).and_then(Argent::mobilise),
            }
        })
        .collect();
    let domaines = Domaine::TOUS
        .iter()
        .filter(|d| actions_domaine.contains_key(d))
        .map(|d| LigneDomaine {
            domaine: d.code(),
            libelle: d.libelle(),
            code_cad: d.code_cad(),
            actions: actions_domaine[d],
            montant_eur: par_domaine.get(d).and_then(Argent::mobilise),
        })
        .collect();
    let mut annees: Vec<i32> = actions_annee
        .keys()
        .chain(par_annee.keys())
        .copied()
        .collect();
    annees.sort_unstable();
    annees.dedup();
    let annees = annees
        .into_iter()
        .map(|annee| {
            let argent = par_annee.get(&annee).copied().unwrap_or_default();
            LigneAnnee {
                annee,
                actions: actions_annee.get(&annee).copied().unwrap_or(0),
                engagements_eur: argent.engagements,
                decaissements_eur: argent.decaissements,
            }
        })
        .collect();
    Ok((axes, domaines, annees))
}

fn etapes(conn: &Connection, date: Date, total: u64) -> store::Result<Vec<LigneEtape>> {
    let comptes: HashMap<Option<Etape>, u64> = sql::etapes(conn, date)?.into_iter().collect();
    let mut lignes: Vec<LigneEtape> = Etape::TOUS
        .iter()
        .map(|e| {
            let n = comptes.get(&Some(*e)).copied().unwrap_or(0);
            LigneEtape {
                etape: e.code(),
                libelle: e.libelle(),
                partenariats: n,
                part: part(n, total),
            }
        })
        .collect();
    let inconnue = comptes.get(&None).copied().unwrap_or(0);
    lignes.push(LigneEtape {
        etape: "non_renseignee",
        libelle: "Non renseignée",
        partenariats: inconnue,
        part: part(inconnue, total),
    });
    Ok(lignes)
}

fn couverture(
    conn: &Connection,
    unites: &[sql::UniteMalienne],
    par_id: &HashMap<CollectiviteId, &sql::UniteMalienne>,
) -> store::Result<(Couverture, Vec<ZoneBlanche>)> {
    let couvertes: std::collections::HashSet<CollectiviteId> =
        sql::unites_couvertes(conn)?.into_iter().collect();
    let niveaux: [(&'static str, &[Niveau]); 3] = [
        ("region", &[Niveau::Region, Niveau::District]),
        ("cercle", &[Niveau::Cercle]),
        ("commune", &[Niveau::Commune]),
    ];
    let par_niveau: Vec<CouvertureNiveau> = niveaux
        .iter()
        .map(|(nom, niveaux)| {
            let du_niveau: Vec<&sql::UniteMalienne> = unites
                .iter()
                .filter(|u| niveaux.contains(&u.niveau))
                .collect();
            let avec = du_niveau
                .iter()
                .filter(|u| couvertes.contains(&u.id))
                .count() as u64;
            CouvertureNiveau {
                niveau: nom,
                collectivites: du_niveau.len() as u64,
                avec_partenariat: avec,
                part: part(avec, du_niveau.len() as u64),
            }
        })
        .collect();
    let communes = &par_niveau[2];
    let couverture = Couverture {
        collectivites: communes.collectivites,
        avec_partenariat: communes.avec_partenariat,
        part: communes.part,
        par_niveau: par_niveau.clone(),
    };
    let mut blanches: HashMap<Option<CollectiviteId>, Vec<Reference>> = HashMap::new();
    for u in unites
        .iter()
        .filter(|u| u.niveau == Niveau::Commune && !couvertes.contains(&u.id))
    {
        blanches.entry(u.region).or_default().push(Reference {
            id: u.id.0,
            nom: u.nom.clone(),
            code: u.code.clone(),
        });
    }
    let mut zones: Vec<ZoneBlanche> = blanches
        .into_iter()
        .map(|(region, communes)| {
            let r = region.and_then(|r| par_id.get(&r));
            ZoneBlanche {
                region: r
                    .map(|r| r.nom.clone())
                    .unwrap_or_else(|| "Sans région".to_owned()),
                code: r.and_then(|r| r.code.clone()),
                communes,
            }
        })
        .collect();
    zones.sort_by(|a, b| a.region.cmp(&b.region));
    Ok((couverture, zones))
}

fn asymetries(conn: &Connection) -> store::Result<Vec<LigneAsymetrie>> {
    let mut niveaux: HashMap<PartenariatId, (Vec<Niveau>, Vec<Niveau>)> = HashMap::new();
    for (id, malien, niveau) in sql::niveaux_des_parties(conn)? {
        let (maliens, etrangers) = niveaux.entry(id).or_default();
        if malien {
            maliens.push(niveau)
        } else {
            etrangers.push(niveau)
        }
    }
    let titres: HashMap<PartenariatId, String> = sql::titres_actifs(conn)?.into_iter().collect();
    let mut lignes: Vec<LigneAsymetrie> = niveaux
        .into_iter()
        .filter(|(_, (maliens, etrangers))| Parties::rangs_asymetriques(maliens, etrangers))
        .map(|(id, (maliens, etrangers))| LigneAsymetrie {
            id: id.0,
            titre: titres.get(&id).cloned().unwrap_or_default(),
            niveaux_maliens: maliens.iter().map(|n| n.code()).collect(),
            niveaux_etrangers: etrangers.iter().map(|n| n.code()).collect(),
        })
        .collect();
    lignes.sort_by_key(|l| l.id);
    Ok(lignes)
}

fn titres(genre: &str, exemples: Vec<(i64, String)>) -> Vec<Titre> {
    exemples
        .into_iter()
        .map(|(id, titre)| Titre {
            id,
            titre,
            lien: format!("/{genre}/{id}"),
        })
        .collect()
}

fn signalement(genre: &str, s: sql::Signalement) -> Signalement {
    Signalement {
        total: s.total,
        exemples: titres(genre, s.exemples),
    }
}

fn qualite(conn: &Connection, date: Date) -> store::Result<Qualite> {
    let doublons_probables = sql::memes_parties(conn)?
        .into_iter()
        .flat_map(|groupe| groupes_de_titres_proches(&groupe))
        .map(|groupe| {
            titres(
                "partenariats",
                groupe.into_iter().map(|(id, t)| (id.0, t)).collect(),
            )
        })
        .collect();
    Ok(Qualite {
        actions_echues_en_cours: signalement("actions", sql::actions_echues(conn, date, EXEMPLES)?),
        partenariats_non_confirmes: signalement(
            "partenariats",
            sql::partenariats_non_confirmes(conn, date, EXEMPLES)?,
        ),
        doublons_probables,
        actions_sans_financement: signalement(
            "actions",
            sql::actions_sans_financement(conn, date, EXEMPLES)?,
        ),
        actions_sans_lieu: signalement("actions", sql::actions_sans_lieu(conn, date, EXEMPLES)?),
    })
}

/// Among partenariats with the same parties, those whose titles are close enough to be the
/// same relation entered twice.
fn groupes_de_titres_proches(
    groupe: &[(PartenariatId, String)],
) -> Vec<Vec<(PartenariatId, String)>> {
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
