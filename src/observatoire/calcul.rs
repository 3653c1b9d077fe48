//! The overview's full count at any date. Each table is read once (`store::apercu`), in
//! four phases:
//!
//! 1. partenariats and their étapes: which are active at the date;
//! 2. the collectivités with the parties (countries, régions, coverage, levels, duplicates),
//!    and the actions (which count, and where they belong);
//! 3. the places of the counted actions, and their financements;
//! 4. the [`Comptes`] handed to `assemblage`.
//!
//! All of it reads one connection inside one read transaction, so that the figures come
//! from a single snapshot of the data (see `store::concurrence`).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use time::Date;

use super::assemblage::{self, Comptes, Exemples, coordination, exemples};
use super::realisations::{self, Sommes};
use super::territoire::{Territoire, lire, place};
use super::{Apercu, Argent, Taux, TotalZones};
use crate::model::{
    Axe, Code, Domaine, Etape, Niveau, Parties, Pays, StatutAction, StatutPartenariat,
};
use crate::store;
use crate::store::apercu::{self as sql, LignePartenariat};

/// Phase 1: which public partenariats are active, their étape at the date, the transitions.
struct Partenariats {
    /// Public partenariats that are demonstration data.
    demonstration: u64,
    /// By id: the partenariat is public (validated, not archived).
    publie: Vec<bool>,
    actif: Vec<bool>,
    actifs: Vec<i64>,
    etape: HashMap<i64, Etape>,
    transitions: BTreeMap<(i32, Etape), u64>,
    non_confirmes: Vec<i64>,
}

fn partenariats(conn: &rusqlite::Connection, date: Date) -> store::Result<Partenariats> {
    let mut publics = Vec::new();
    sql::partenariats(conn, |p| publics.push(p))?;
    let demonstration = publics.iter().filter(|p| p.demonstration).count() as u64;
    let mut publie = Vec::new();
    for p in &publics {
        *place(&mut publie, p.id) = true;
    }
    let mut premiere: HashMap<i64, Date> = HashMap::new();
    let mut etape: HashMap<i64, Etape> = HashMap::new();
    let mut transitions: BTreeMap<(i32, Etape), u64> = BTreeMap::new();
    sql::etapes(conn, |p, e, depuis| {
        if !lire(&publie, p) {
            return;
        }
        premiere.entry(p).or_insert(depuis);
        if depuis <= date {
            etape.insert(p, e);
            *transitions.entry((depuis.year(), e)).or_default() += 1;
        }
    })?;
    let (mut actif, mut actifs, mut non_confirmes) = (Vec::new(), Vec::new(), Vec::new());
    for p in publics {
        if est_actif(&p, premiere.get(&p.id).copied(), date) {
            *place(&mut actif, p.id) = true;
            actifs.push(p.id);
            if non_confirme(&p, date) {
                non_confirmes.push(p.id);
            }
        }
    }
    etape.retain(|p, _| lire(&actif, *p));
    Ok(Partenariats {
        demonstration,
        publie,
        actif,
        actifs,
        etape,
        transitions,
        non_confirmes,
    })
}

/// A public partenariat is active at `date` when its statut is « actif » and it had begun:
/// its first dated étape (`premiere`) is on or before the date, or it has none.
pub(super) fn est_actif(p: &LignePartenariat, premiere: Option<Date>, date: Date) -> bool {
    p.statut == StatutPartenariat::Actif && premiere.is_none_or(|d| d <= date)
}

/// Neither confirmed nor recorded within the year before `date`.
pub(super) fn non_confirme(p: &LignePartenariat, date: Date) -> bool {
    let un_an_avant = date.replace_year(date.year() - 1).unwrap_or(date);
    let vu_le = p.confirme_le.map_or(p.cree_le, |c| c.max(p.cree_le));
    vu_le < un_an_avant
}

/// Phase 2a: the actions counted at the date.
#[derive(Default)]
struct Actions {
    total: u64,
    /// By action id: its partenariat when the action counts, else 0.
    partenariat: Vec<u32>,
    /// By action id: its axe and domaine, as positions in their vocabularies.
    axe: Vec<u8>,
    domaine: Vec<u8>,
    par_partenariat: HashMap<i64, u64>,
    par_axe: Vec<u64>,
    par_domaine: Vec<u64>,
    par_annee: BTreeMap<i32, u64>,
    echues: Vec<i64>,
    /// By action id: the counted action has ended (see [`terminee`]).
    terminee: Vec<bool>,
}

/// An action ended at `jour`: « achevée », or past its end date and not cancelled (a
/// cancelled action is not expected to show results).
pub(super) fn terminee(statut: StatutAction, fin: Option<&str>, jour: &str) -> bool {
    statut == StatutAction::Achevee
        || (statut != StatutAction::Annulee && fin.is_some_and(|f| f < jour))
}

/// An action overdue at `jour`: planned or under way, with an end before the date.
pub(super) fn echue(statut: StatutAction, fin: Option<&str>, jour: &str) -> bool {
    matches!(statut, StatutAction::Prevue | StatutAction::EnCours) && fin.is_some_and(|f| f < jour)
}

/// The year an action began, from its ISO start date.
pub(super) fn annee(debut: Option<&str>) -> Option<i32> {
    debut.and_then(|d| d.get(..4)).and_then(|y| y.parse().ok())
}

fn actions(conn: &rusqlite::Connection, p: &Partenariats, date: Date) -> store::Result<Actions> {
    let jour = date.to_string();
    let mut a = Actions {
        par_axe: vec![0; Axe::TOUS.len()],
        par_domaine: vec![0; Domaine::TOUS.len()],
        ..Actions::default()
    };
    sql::actions(conn, |l| {
        if echue(l.statut, l.fin, &jour) {
            a.echues.push(l.id);
        }
        if !lire(&p.actif, l.partenariat) || l.debut.is_some_and(|d| d > jour.as_str()) {
            return;
        }
        a.total += 1;
        *place(&mut a.terminee, l.id) = terminee(l.statut, l.fin, &jour);
        *place(&mut a.partenariat, l.id) = l.partenariat as u32;
        *place(&mut a.axe, l.id) = l.axe as u8;
        *place(&mut a.domaine, l.id) = l.domaine as u8;
        *a.par_partenariat.entry(l.partenariat).or_default() += 1;
        a.par_axe[l.axe as usize] += 1;
        a.par_domaine[l.domaine as usize] += 1;
        if let Some(annee) = annee(l.debut) {
            *a.par_annee.entry(annee).or_default() += 1;
        }
    })?;
    Ok(a)
}

/// Phase 2b: what the parties of the public and active partenariats say.
#[derive(Default)]
struct LesParties {
    par_pays: BTreeMap<Pays, u64>,
    partenariats_par_unite: HashMap<i64, u64>,
    partenariats_distincts: u64,
    asymetriques: Vec<(i64, Vec<Niveau>, Vec<Niveau>)>,
    memes_parties: Vec<Vec<i64>>,
}

fn parties(
    conn: &rusqlite::Connection,
    p: &Partenariats,
    t: &Territoire,
) -> store::Result<LesParties> {
    let mut l = LesParties::default();
    let mut groupes: HashMap<Vec<i64>, Vec<i64>> = HashMap::new();
    let mut courant: Option<(i64, Vec<i64>)> = None;
    let mut finir = |l: &mut LesParties, (id, mut parties): (i64, Vec<i64>)| {
        if !lire(&p.publie, id) {
            return;
        }
        parties.sort_unstable();
        let lecture = t.parties(&parties);
        groupes.entry(parties).or_default().push(id);
        if !lire(&p.actif, id) {
            return;
        }
        for pays in lecture.pays {
            *l.par_pays.entry(pays).or_default() += 1;
        }
        if !lecture.maliens.is_empty() {
            l.partenariats_distincts += 1;
        }
        for u in lecture.unites {
            *l.partenariats_par_unite.entry(u).or_default() += 1;
        }
        if Parties::rangs_asymetriques(&lecture.maliens, &lecture.etrangers) {
            l.asymetriques
                .push((id, lecture.maliens, lecture.etrangers));
        }
    };
    sql::parties(conn, |partenariat, collectivite| match &mut courant {
        Some((id, parties)) if *id == partenariat => parties.push(collectivite),
        _ => {
            if let Some(fini) = courant.replace((partenariat, vec![collectivite])) {
                finir(&mut l, fini);
            }
        }
    })?;
    if let Some(fini) = courant.take() {
        finir(&mut l, fini);
    }
    l.asymetriques.sort_by_key(|(id, ..)| *id);
    let mut memes: Vec<Vec<i64>> = groupes.into_values().filter(|g| g.len() > 1).collect();
    memes.iter_mut().for_each(|g| g.sort_unstable());
    memes.sort();
    l.memes_parties = memes;
    Ok(l)
}

/// Phase 3a: where the counted actions take place.
#[derive(Default)]
struct Lieux {
    actions_par_unite: HashMap<i64, u64>,
    /// Each located action with the Malian units it counts for (its places and their
    /// ancestors), to add its money to each.
    unites_par_action: Vec<(i64, Vec<i64>)>,
    /// Imported IATI interventions that name each unit or a unit inside it.
    interventions_par_unite: HashMap<i64, u64>,
    actions_localisees: u64,
    avec_lieu: Vec<bool>,
    /// (place, domaine, partenariat), sorted and without repeats.
    rencontres: Vec<(i64, u8, u32)>,
}

/// Gathers the places of one record (action, intervention) as they come, sorted by
/// record: the Malian units they count for — each place and its ancestors —, once each.
#[derive(Default)]
struct Regroupement {
    courant: Option<(i64, Vec<i64>)>,
}

impl Regroupement {
    /// Adds a place of record `id`; hands over the previous record's units when it changes.
    fn ajouter(&mut self, t: &Territoire, id: i64, collectivite: i64) -> Option<(i64, Vec<i64>)> {
        let ancetres = t.ancetres_de(collectivite);
        match &mut self.courant {
            Some((courant, unites)) if *courant == id => {
                unites.extend_from_slice(ancetres);
                None
            }
            _ => self
                .courant
                .replace((id, ancetres.to_vec()))
                .map(Regroupement::trier),
        }
    }

    /// The last record's units.
    fn terminer(self) -> Option<(i64, Vec<i64>)> {
        self.courant.map(Regroupement::trier)
    }

    fn trier((id, mut unites): (i64, Vec<i64>)) -> (i64, Vec<i64>) {
        unites.sort_unstable();
        unites.dedup();
        (id, unites)
    }
}

fn lieux(conn: &rusqlite::Connection, a: &Actions, t: &Territoire) -> store::Result<Lieux> {
    let mut l = Lieux::default();
    let mut regroupement = Regroupement::default();
    // The Malian units of one action's places, each counted once for the action.
    let finir = |l: &mut Lieux, (action, unites): (i64, Vec<i64>)| {
        if unites.is_empty() {
            return;
        }
        l.actions_localisees += 1;
        for u in &unites {
            *l.actions_par_unite.entry(*u).or_default() += 1;
        }
        l.unites_par_action.push((action, unites));
    };
    sql::lieux(conn, |action, collectivite| {
        let partenariat = lire(&a.partenariat, action);
        if partenariat == 0 {
            return;
        }
        *place(&mut l.avec_lieu, action) = true;
        l.rencontres
            .push((collectivite, lire(&a.domaine, action), partenariat));
        if let Some(fini) = regroupement.ajouter(t, action, collectivite) {
            finir(&mut l, fini);
        }
    })?;
    if let Some(fini) = regroupement.terminer() {
        finir(&mut l, fini);
    }
    l.rencontres.sort_unstable();
    l.rencontres.dedup();
    l.interventions_par_unite = interventions(conn, t)?;
    Ok(l)
}

/// Each Malian unit with the number of interventions placed in it or inside it.
pub(super) fn interventions(
    conn: &rusqlite::Connection,
    t: &Territoire,
) -> store::Result<HashMap<i64, u64>> {
    let mut par_unite: HashMap<i64, u64> = HashMap::new();
    let mut compter = |(_, unites): (i64, Vec<i64>)| {
        for u in unites {
            *par_unite.entry(u).or_default() += 1;
        }
    };
    let mut regroupement = Regroupement::default();
    sql::lieux_interventions(conn, |intervention, collectivite| {
        if let Some(fini) = regroupement.ajouter(t, intervention, collectivite) {
            compter(fini);
        }
    })?;
    if let Some(fini) = regroupement.terminer() {
        compter(fini);
    }
    Ok(par_unite)
}

/// Phase 3b: the money of the counted actions, each financement converted once to an exact
/// [`Somme`](super::Somme).
#[derive(Default)]
struct Financements {
    par_partenariat: HashMap<i64, Argent>,
    par_action: HashMap<i64, Argent>,
    par_axe: Vec<Argent>,
    par_domaine: Vec<Argent>,
    par_annee: BTreeMap<i32, Argent>,
    avec_financement: Vec<bool>,
    non_converties: BTreeSet<&'static str>,
}

fn financements(
    conn: &rusqlite::Connection,
    a: &Actions,
    taux: &Taux,
) -> store::Result<Financements> {
    let mut f = Financements {
        par_axe: vec![Argent::default(); Axe::TOUS.len()],
        par_domaine: vec![Argent::default(); Domaine::TOUS.len()],
        ..Financements::default()
    };
    sql::financements(conn, |l| {
        let partenariat = lire(&a.partenariat, l.action);
        if partenariat == 0 {
            return;
        }
        *place(&mut f.avec_financement, l.action) = true;
        let euros = taux.convertir(l.unites_mineures, l.devise, l.annee);
        if euros.is_none() {
            f.non_converties.insert(l.devise.code());
        }
        f.par_partenariat
            .entry(i64::from(partenariat))
            .or_default()
            .ajouter(l.type_financement, euros);
        f.par_action
            .entry(l.action)
            .or_default()
            .ajouter(l.type_financement, euros);
        f.par_axe[usize::from(lire(&a.axe, l.action))].ajouter(l.type_financement, euros);
        f.par_domaine[usize::from(lire(&a.domaine, l.action))].ajouter(l.type_financement, euros);
        f.par_annee
            .entry(l.annee)
            .or_default()
            .ajouter(l.type_financement, euros);
    })?;
    Ok(f)
}

/// Phase 3c: what the counted actions achieved at the date.
#[derive(Default)]
struct Resultats {
    sommes: Sommes,
    /// By action id: a value was measured by the date.
    mesuree: Vec<bool>,
    mesurees: u64,
    propres: u64,
}

fn resultats(
    conn: &rusqlite::Connection,
    a: &Actions,
    l: &Lieux,
    t: &Territoire,
    date: Date,
) -> store::Result<Resultats> {
    let mut r = Resultats::default();
    // both in action order: the places are walked alongside
    let mut places = l.unites_par_action.iter().peekable();
    let mut d = realisations::DeLAction::default();
    sql::resultats(conn, |action, liste| {
        if lire(&a.partenariat, action) == 0 {
            return;
        }
        while places.next_if(|(id, _)| *id < action).is_some() {}
        let unites = places
            .peek()
            .filter(|(id, _)| *id == action)
            .map_or(&[][..], |(_, u)| u.as_slice());
        d.remplir(&liste, date);
        if d.mesuree {
            *place(&mut r.mesuree, action) = true;
            r.mesurees += 1;
        }
        r.propres += d.propres as u64;
        let regions = realisations::regions(t, unites);
        realisations::repartir(&d, regions, lire(&a.axe, action), |case, x| {
            r.sommes.ajouter(case, x, 1)
        });
    })?;
    Ok(r)
}

/// The counted actions that `manque` says lack something.
fn manquants(a: &Actions, manque: impl Fn(i64) -> bool) -> Exemples {
    exemples(
        a.partenariat
            .iter()
            .enumerate()
            .filter(|(id, p)| **p != 0 && manque(*id as i64))
            .map(|(id, _)| id as i64),
    )
}

/// Computes the overview at `date` from one connection, inside the read transaction its
/// caller opened (`Store::lire`): every table is read from the same snapshot, and the
/// computation never holds one connection while it waits for another.
pub(super) fn calculer(conn: &rusqlite::Connection, date: Date) -> store::Result<Apercu> {
    let taux = Taux::new(sql::taux_change(conn)?);
    let territoire = Territoire::lire(conn, date)?;
    let p = partenariats(conn, date)?;
    let lp = parties(conn, &p, &territoire)?;
    let a = actions(conn, &p, date)?;
    let l = lieux(conn, &a, &territoire)?;
    let f = financements(conn, &a, &taux)?;
    let r = resultats(conn, &a, &l, &territoire, date)?;
    let comptes = comptes(p, lp, a, l, f, r);
    assemblage::assembler(conn, date, &territoire, comptes)
}

fn comptes(
    p: Partenariats,
    lp: LesParties,
    a: Actions,
    l: Lieux,
    f: Financements,
    r: Resultats,
) -> Comptes {
    let mut argent_par_unite: HashMap<i64, Argent> = HashMap::new();
    for (action, unites) in &l.unites_par_action {
        if let Some(argent) = f.par_action.get(action) {
            for u in unites {
                argent_par_unite.entry(*u).or_default().cumuler(argent);
            }
        }
    }
    let candidats: Vec<(i64, Argent, u64)> = p
        .actifs
        .iter()
        .map(|id| {
            (
                *id,
                f.par_partenariat.get(id).copied().unwrap_or_default(),
                a.par_partenariat.get(id).copied().unwrap_or(0),
            )
        })
        .collect();
    let mut par_etape: HashMap<Option<Etape>, u64> = HashMap::new();
    for id in &p.actifs {
        *par_etape.entry(p.etape.get(id).copied()).or_default() += 1;
    }
    let mut rencontres: Vec<(i64, u8, Vec<i64>)> = Vec::new();
    for (lieu, domaine, partenariat) in &l.rencontres {
        match rencontres.last_mut() {
            Some((l2, d2, liste)) if l2 == lieu && d2 == domaine => {
                liste.push(i64::from(*partenariat))
            }
            _ => rencontres.push((*lieu, *domaine, vec![i64::from(*partenariat)])),
        }
    }
    let coordination = coordination(rencontres.iter().map(|(l, d, v)| (*l, *d, v.as_slice())));
    let sans_financement = manquants(&a, |id| !lire(&f.avec_financement, id));
    let sans_lieu = manquants(&a, |id| !lire(&l.avec_lieu, id));
    let sans_resultat = manquants(&a, |id| lire(&a.terminee, id) && !lire(&r.mesuree, id));
    let echues = exemples(a.echues.iter().copied());
    let non_confirmes = exemples(p.non_confirmes.iter().copied());
    Comptes {
        demonstration: p.demonstration,
        actifs: p.actifs.len() as u64,
        actions: a.total,
        par_pays: lp.par_pays,
        total_regions: TotalZones {
            partenariats: lp.partenariats_distincts,
            actions: l.actions_localisees,
        },
        partenariats_par_unite: lp.partenariats_par_unite,
        actions_par_unite: l.actions_par_unite,
        argent_par_unite,
        interventions_par_unite: l.interventions_par_unite,
        candidats_actions: candidats.clone(),
        candidats_argent: candidats,
        par_axe: a.par_axe.iter().copied().zip(f.par_axe).collect(),
        par_domaine: a.par_domaine.iter().copied().zip(f.par_domaine).collect(),
        actions_par_annee: a.par_annee,
        argent_par_annee: f.par_annee,
        par_etape,
        transitions: p.transitions,
        coordination,
        asymetriques: lp.asymetriques,
        memes_parties: lp.memes_parties,
        echues,
        non_confirmes,
        sans_financement,
        sans_lieu,
        non_converties: f.non_converties,
        realisations: r.sommes,
        actions_mesurees: r.mesurees,
        resultats_propres: r.propres,
        sans_resultat,
    }
}
