//! The overview at today's date kept up to date: each partenariat's contribution to every
//! figure is kept in memory with the sums of all of them, and a write recounts only the
//! partenariats it touched — their new contribution replaces the old one in the sums.
//!
//! Which partenariats changed comes from the database itself: triggers give a partenariat a
//! new version in the transaction that writes it or anything of it (migration 0020), so a
//! change made by any process — the site, `benkan import` — is seen, and nothing is
//! recounted on a timer. What concerns every partenariat at once (rates, collectivités,
//! villages) and a new day rebuild everything; imported interventions are read again when
//! they change. The result is the same document as the full count (`calcul`), which the
//! tests compare after every kind of write.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use time::Date;

use super::assemblage::{self, Comptes, coordination};
use super::calcul::{annee, echue, est_actif, interventions, non_confirme, terminee};
use super::liste::{Ligne, Liste};
use super::realisations::{self, Brouillon, Realise, Sommes};
use super::territoire::Territoire;
use super::{Apercu, Argent, EXEMPLES, Somme, TOP, Taux, TotalZones};
use crate::model::{
    Axe, Code, Domaine, Etape, Niveau, PartenariatId, Parties, Pays, StatutAction, TypeFinancement,
};
use crate::store::apercu::{self as sql, ActionDossier, Dossier};
use crate::store::partenariat::{PartenariatQuery, PartenariatResume};
use crate::store::{self, Pagine};

/// Money that can be taken back out: exact sums with the number of financements behind
/// them, so that « no financement » (unknown) stays apart from zero.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Cumul {
    engagements: Somme,
    decaissements: Somme,
    /// Converted commitments, converted disbursements, amounts without a rate.
    nombres: [i64; 3],
}

impl Cumul {
    fn ajouter(&mut self, type_financement: TypeFinancement, montant: Option<Somme>) {
        match (type_financement, montant) {
            (TypeFinancement::Engagement, Some(m)) => {
                self.engagements = self.engagements + m;
                self.nombres[0] += 1;
            }
            (TypeFinancement::Decaissement, Some(m)) => {
                self.decaissements = self.decaissements + m;
                self.nombres[1] += 1;
            }
            (_, None) => self.nombres[2] += 1,
        }
    }

    /// Adds `autre` (`signe` 1) or takes it out (`signe` -1).
    fn appliquer(&mut self, autre: &Cumul, signe: i64) {
        if signe > 0 {
            self.engagements = self.engagements + autre.engagements;
            self.decaissements = self.decaissements + autre.decaissements;
        } else {
            self.engagements = self.engagements - autre.engagements;
            self.decaissements = self.decaissements - autre.decaissements;
        }
        for (n, m) in self.nombres.iter_mut().zip(autre.nombres) {
            *n += signe * m;
        }
    }

    fn vide(&self) -> bool {
        self.nombres == [0; 3]
    }

    fn argent(&self) -> Argent {
        Argent {
            engagements: (self.nombres[0] > 0).then_some(self.engagements),
            decaissements: (self.nombres[1] > 0).then_some(self.decaissements),
            incomplet: self.nombres[2] > 0,
        }
    }
}

/// What one active partenariat adds to the figures at the date.
#[derive(Default)]
struct Actif {
    etape: Option<Etape>,
    non_confirme: bool,
    pays: Vec<Pays>,
    malien: bool,
    /// The Malian units of its parties and their ancestors.
    unites: Vec<i64>,
    asymetrie: Option<(Vec<Niveau>, Vec<Niveau>)>,
    actions: i64,
    argent: Cumul,
    par_axe: Vec<(usize, i64, Cumul)>,
    par_domaine: Vec<(usize, i64, Cumul)>,
    actions_par_annee: Vec<(i32, i64)>,
    argent_par_annee: Vec<(i32, Cumul)>,
    /// Each unit its counted actions take place in: how many, and their money.
    par_unite: Vec<(i64, i64, Cumul)>,
    localisees: i64,
    rencontres: Vec<(i64, u8)>,
    sans_financement: Vec<i64>,
    sans_lieu: Vec<i64>,
    non_converties: Vec<&'static str>,
    /// What its counted actions achieved, by case of [`Sommes`], in order.
    realisations: Vec<(usize, Realise)>,
    actions_mesurees: i64,
    resultats_propres: i64,
    sans_resultat: Vec<i64>,
}

/// What one partenariat adds to the figures at the date (nothing when it is not public).
#[derive(Default)]
struct Contribution {
    /// Public and demonstration data.
    demonstration: bool,
    /// Its parties, sorted, when it is public and has some: partenariats with the same
    /// parties may be duplicates.
    groupe: Vec<i64>,
    transitions: Vec<(i32, Etape)>,
    echues: Vec<i64>,
    /// Its public actions by axe, domaine and statut, whatever the date: the API's list of
    /// actions counts its filtered total from their sums.
    criteres: Vec<(Critere, i64)>,
    actif: Option<Box<Actif>>,
}

/// An action's axe, domaine and statut.
type Critere = (Axe, Domaine, StatutAction);

/// Adds `n` to the entry `cle` (`signe` -1 takes it out), removing entries that fall to zero
/// so that « has some » stays « is in the map ».
fn compter<K: Ord>(map: &mut BTreeMap<K, i64>, cle: K, n: i64) {
    let v = map.entry(cle).or_default();
    *v += n;
    if *v == 0 {
        map.retain(|_, v| *v != 0);
    }
}

fn compter_h<K: std::hash::Hash + Eq>(map: &mut HashMap<K, i64>, cle: K, n: i64) {
    let v = map.entry(cle).or_default();
    *v += n;
    if *v == 0 {
        map.retain(|_, v| *v != 0);
    }
}

/// Adds to a sparse list keyed by `cle`.
fn cumuler<K: PartialEq>(liste: &mut Vec<(K, i64, Cumul)>, cle: K, n: i64, argent: &Cumul) {
    match liste.iter_mut().find(|(k, ..)| *k == cle) {
        Some((_, m, a)) => {
            *m += n;
            a.appliquer(argent, 1);
        }
        None => liste.push((cle, n, *argent)),
    }
}

/// Partenariat `d`'s contribution at `date` (`jour` written out); `brouillon` is scratch
/// space for its results, blank before and after.
fn contribuer(
    d: &Dossier,
    t: &Territoire,
    taux: &Taux,
    date: Date,
    jour: &str,
    brouillon: &mut Brouillon,
) -> Contribution {
    let Some(p) = &d.partenariat else {
        return Contribution::default();
    };
    let mut c = Contribution {
        demonstration: p.demonstration,
        groupe: d.parties.clone(),
        ..Contribution::default()
    };
    c.groupe.sort_unstable();
    let mut etape = None;
    for (e, depuis) in &d.etapes {
        if *depuis <= date {
            etape = Some(*e);
            c.transitions.push((depuis.year(), *e));
        }
    }
    let mut criteres: Vec<Critere> = d
        .actions
        .iter()
        .map(|a| (a.axe, a.domaine, a.statut))
        .collect();
    criteres.sort_unstable();
    c.criteres = criteres
        .chunk_by(|x, y| x == y)
        .map(|pareils| (pareils[0], pareils.len() as i64))
        .collect();
    c.echues = d
        .actions
        .iter()
        .filter(|a| echue(a.statut, a.fin.as_deref(), jour))
        .map(|a| a.id)
        .collect();
    if !est_actif(p, d.etapes.first().map(|(_, depuis)| *depuis), date) {
        return c;
    }
    let lecture = t.parties(&c.groupe);
    let mut a = Actif {
        etape,
        non_confirme: non_confirme(p, date),
        asymetrie: Parties::rangs_asymetriques(&lecture.maliens, &lecture.etrangers)
            .then(|| (lecture.maliens.clone(), lecture.etrangers.clone())),
        malien: !lecture.maliens.is_empty(),
        pays: lecture.pays,
        unites: lecture.unites,
        ..Actif::default()
    };
    let mut non_converties = BTreeSet::new();
    let mut unites = Vec::new();
    for action in d
        .actions
        .iter()
        .filter(|x| x.debut.as_deref().is_none_or(|debut| debut <= jour))
    {
        compter_action(&mut a, action, t, taux, &mut non_converties, &mut unites);
        compter_resultats(&mut a, brouillon, action, &unites, t, date, jour);
    }
    a.realisations = brouillon.vider();
    a.rencontres.sort_unstable();
    a.rencontres.dedup();
    a.non_converties = non_converties.into_iter().collect();
    c.actif = Some(Box::new(a));
    c
}

/// Adds `action` to its partenariat's share; `unites` becomes the Malian units it counts
/// for.
fn compter_action(
    a: &mut Actif,
    action: &ActionDossier,
    t: &Territoire,
    taux: &Taux,
    non_converties: &mut BTreeSet<&'static str>,
    unites: &mut Vec<i64>,
) {
    a.actions += 1;
    let mut argent = Cumul::default();
    for f in &action.financements {
        let euros = taux.convertir(f.unites_mineures, f.devise, f.annee);
        if euros.is_none() {
            non_converties.insert(f.devise.code());
        }
        argent.ajouter(f.type_financement, euros);
        let mut seul = Cumul::default();
        seul.ajouter(f.type_financement, euros);
        match a.argent_par_annee.iter_mut().find(|(y, _)| *y == f.annee) {
            Some((_, c)) => c.appliquer(&seul, 1),
            None => a.argent_par_annee.push((f.annee, seul)),
        }
    }
    a.argent.appliquer(&argent, 1);
    cumuler(&mut a.par_axe, action.axe as usize, 1, &argent);
    cumuler(&mut a.par_domaine, action.domaine as usize, 1, &argent);
    if let Some(y) = annee(action.debut.as_deref()) {
        match a.actions_par_annee.iter_mut().find(|(k, _)| *k == y) {
            Some((_, n)) => *n += 1,
            None => a.actions_par_annee.push((y, 1)),
        }
    }
    if action.financements.is_empty() {
        a.sans_financement.push(action.id);
    }
    if action.lieux.is_empty() {
        a.sans_lieu.push(action.id);
    }
    unites.clear();
    for lieu in &action.lieux {
        a.rencontres.push((*lieu, action.domaine as u8));
        unites.extend_from_slice(t.ancetres_de(*lieu));
    }
    unites.sort_unstable();
    unites.dedup();
    if !unites.is_empty() {
        a.localisees += 1;
    }
    for u in unites.iter() {
        cumuler(&mut a.par_unite, *u, 1, &argent);
    }
}

/// Adds what `action` achieved by `date` to its partenariat's share (its sums by case in
/// `b`).
fn compter_resultats(
    a: &mut Actif,
    b: &mut Brouillon,
    action: &ActionDossier,
    unites: &[i64],
    t: &Territoire,
    date: Date,
    jour: &str,
) {
    let d = &mut b.action;
    d.remplir(&action.resultats, date);
    if d.mesuree {
        a.actions_mesurees += 1;
    } else if terminee(action.statut, action.fin.as_deref(), jour) {
        a.sans_resultat.push(action.id);
    }
    a.resultats_propres += d.propres;
    if d.par_indicateur.is_empty() {
        return;
    }
    b.ajouter_action(realisations::regions(t, unites), action.axe as u8);
}

/// The key of the « most money » list, in its order (see `assemblage::ordre_argent`).
type CleArgent = (Reverse<bool>, Reverse<Option<Somme>>, Reverse<i64>, i64);

fn cle_argent(id: i64, a: &Actif) -> CleArgent {
    let mobilise = a.argent.argent().mobilise();
    (
        Reverse(mobilise.is_some()),
        Reverse(mobilise),
        Reverse(a.actions),
        id,
    )
}

/// The sums of every contribution.
#[derive(Default)]
struct Totaux {
    demonstration: i64,
    actifs: i64,
    actions: i64,
    par_pays: BTreeMap<Pays, i64>,
    partenariats_maliens: i64,
    actions_localisees: i64,
    partenariats_par_unite: HashMap<i64, i64>,
    actions_par_unite: HashMap<i64, (i64, Cumul)>,
    par_axe: Vec<(i64, Cumul)>,
    par_domaine: Vec<(i64, Cumul)>,
    actions_par_annee: BTreeMap<i32, i64>,
    argent_par_annee: BTreeMap<i32, Cumul>,
    par_etape: BTreeMap<Option<Etape>, i64>,
    transitions: BTreeMap<(i32, Etape), i64>,
    /// (place, domaine) → its partenariats, in no order (`coordination` sorts the few it
    /// shows).
    rencontres: HashMap<(i64, u8), Vec<i64>>,
    asymetriques: BTreeMap<i64, (Vec<Niveau>, Vec<Niveau>)>,
    groupes: HashMap<Vec<i64>, Vec<i64>>,
    /// The groups above with more than one partenariat.
    multiples: HashSet<Vec<i64>>,
    echues: BTreeSet<i64>,
    non_confirmes: BTreeSet<i64>,
    sans_financement: BTreeSet<i64>,
    sans_lieu: BTreeSet<i64>,
    non_converties: BTreeMap<&'static str, i64>,
    realisations: Sommes,
    actions_mesurees: i64,
    resultats_propres: i64,
    sans_resultat: BTreeSet<i64>,
    par_argent: BTreeSet<CleArgent>,
    par_actions: BTreeSet<(Reverse<i64>, i64)>,
    /// Each active partenariat's money and number of actions, which the top lists show.
    argent_actifs: HashMap<i64, (Argent, i64)>,
    par_critere: BTreeMap<Critere, i64>,
}

/// Adds (`signe` 1) or takes back (-1) `n` actions and their money to a count of actions
/// with their money.
fn ajouter(total: &mut (i64, Cumul), n: i64, argent: &Cumul, signe: i64) {
    total.0 += signe * n;
    total.1.appliquer(argent, signe);
}

/// Puts `id` in the sorted list `ids` (`signe` 1) or takes it out (-1).
fn ranger(ids: &mut Vec<i64>, id: i64, signe: i64) {
    match ids.binary_search(&id) {
        Err(i) if signe > 0 => ids.insert(i, id),
        Ok(i) if signe < 0 => {
            ids.remove(i);
        }
        _ => {}
    }
}

fn ensemble(set: &mut BTreeSet<i64>, ids: &[i64], signe: i64) {
    for id in ids {
        if signe > 0 {
            set.insert(*id);
        } else {
            set.remove(id);
        }
    }
}

impl Totaux {
    fn new() -> Totaux {
        Totaux {
            par_axe: vec![(0, Cumul::default()); Axe::TOUS.len()],
            par_domaine: vec![(0, Cumul::default()); Domaine::TOUS.len()],
            ..Totaux::default()
        }
    }

    /// Adds the contribution of partenariat `id` (`signe` 1) or takes it out (-1).
    fn appliquer(&mut self, id: i64, c: &Contribution, signe: i64) {
        if c.demonstration {
            self.demonstration += signe;
        }
        if !c.groupe.is_empty() {
            // the group is copied only when it is new
            let n = match self.groupes.get_mut(&c.groupe) {
                Some(ids) => {
                    ranger(ids, id, signe);
                    ids.len()
                }
                None if signe > 0 => {
                    self.groupes.insert(c.groupe.clone(), vec![id]);
                    1
                }
                None => 0,
            };
            if n == 0 {
                self.groupes.remove(&c.groupe);
            }
            if n <= 1 {
                self.multiples.remove(&c.groupe);
            } else if !self.multiples.contains(&c.groupe) {
                self.multiples.insert(c.groupe.clone());
            }
        }
        for (y, e) in &c.transitions {
            compter(&mut self.transitions, (*y, *e), signe);
        }
        ensemble(&mut self.echues, &c.echues, signe);
        for (critere, n) in &c.criteres {
            compter(&mut self.par_critere, *critere, signe * n);
        }
        if let Some(a) = &c.actif {
            self.appliquer_actif(id, a, signe);
        }
    }

    fn appliquer_actif(&mut self, id: i64, a: &Actif, signe: i64) {
        self.actifs += signe;
        self.actions += signe * a.actions;
        compter(&mut self.par_etape, a.etape, signe);
        if a.non_confirme {
            ensemble(&mut self.non_confirmes, &[id], signe);
        }
        for p in &a.pays {
            compter(&mut self.par_pays, *p, signe);
        }
        if a.malien {
            self.partenariats_maliens += signe;
        }
        for u in &a.unites {
            compter_h(&mut self.partenariats_par_unite, *u, signe);
        }
        if let Some(asymetrie) = &a.asymetrie {
            if signe > 0 {
                self.asymetriques.insert(id, asymetrie.clone());
            } else {
                self.asymetriques.remove(&id);
            }
        }
        for (i, n, argent) in &a.par_axe {
            ajouter(&mut self.par_axe[*i], *n, argent, signe);
        }
        for (i, n, argent) in &a.par_domaine {
            ajouter(&mut self.par_domaine[*i], *n, argent, signe);
        }
        for (y, n) in &a.actions_par_annee {
            compter(&mut self.actions_par_annee, *y, signe * n);
        }
        for (y, argent) in &a.argent_par_annee {
            let total = self.argent_par_annee.entry(*y).or_default();
            total.appliquer(argent, signe);
            if total.vide() {
                self.argent_par_annee.remove(y);
            }
        }
        for (u, n, argent) in &a.par_unite {
            let total = self.actions_par_unite.entry(*u).or_default();
            ajouter(total, *n, argent, signe);
            if total.0 == 0 {
                self.actions_par_unite.remove(u);
            }
        }
        self.actions_localisees += signe * a.localisees;
        // a partenariat meets each (place, domaine) once: its contribution lists it once
        for (lieu, domaine) in &a.rencontres {
            let liste = self.rencontres.entry((*lieu, *domaine)).or_default();
            if signe > 0 {
                liste.push(id);
            } else if let Some(i) = liste.iter().position(|p| *p == id) {
                liste.swap_remove(i);
            }
            if liste.is_empty() {
                self.rencontres.remove(&(*lieu, *domaine));
            }
        }
        ensemble(&mut self.sans_financement, &a.sans_financement, signe);
        ensemble(&mut self.sans_lieu, &a.sans_lieu, signe);
        ensemble(&mut self.sans_resultat, &a.sans_resultat, signe);
        self.actions_mesurees += signe * a.actions_mesurees;
        self.resultats_propres += signe * a.resultats_propres;
        for (case, r) in &a.realisations {
            self.realisations.ajouter(*case, r, signe);
        }
        for devise in &a.non_converties {
            compter(&mut self.non_converties, *devise, signe);
        }
        if signe > 0 {
            self.par_argent.insert(cle_argent(id, a));
            self.par_actions.insert((Reverse(a.actions), id));
            self.argent_actifs
                .insert(id, (a.argent.argent(), a.actions));
        } else {
            self.par_argent.remove(&cle_argent(id, a));
            self.par_actions.remove(&(Reverse(a.actions), id));
            self.argent_actifs.remove(&id);
        }
    }

    /// Adds the sums of other partenariats than those counted here.
    fn fusionner(&mut self, mut autre: Totaux) {
        self.demonstration += autre.demonstration;
        self.actifs += autre.actifs;
        self.actions += autre.actions;
        self.partenariats_maliens += autre.partenariats_maliens;
        self.actions_localisees += autre.actions_localisees;
        self.actions_mesurees += autre.actions_mesurees;
        self.resultats_propres += autre.resultats_propres;
        for (p, n) in autre.par_pays {
            compter(&mut self.par_pays, p, n);
        }
        for (u, n) in autre.partenariats_par_unite {
            compter_h(&mut self.partenariats_par_unite, u, n);
        }
        for (u, (n, argent)) in autre.actions_par_unite {
            ajouter(self.actions_par_unite.entry(u).or_default(), n, &argent, 1);
        }
        for (total, (n, argent)) in self.par_axe.iter_mut().zip(autre.par_axe) {
            ajouter(total, n, &argent, 1);
        }
        for (total, (n, argent)) in self.par_domaine.iter_mut().zip(autre.par_domaine) {
            ajouter(total, n, &argent, 1);
        }
        for (y, n) in autre.actions_par_annee {
            compter(&mut self.actions_par_annee, y, n);
        }
        for (y, argent) in autre.argent_par_annee {
            self.argent_par_annee
                .entry(y)
                .or_default()
                .appliquer(&argent, 1);
        }
        for (e, n) in autre.par_etape {
            compter(&mut self.par_etape, e, n);
        }
        for (t, n) in autre.transitions {
            compter(&mut self.transitions, t, n);
        }
        for (cle, ids) in autre.rencontres {
            self.rencontres.entry(cle).or_default().extend(ids);
        }
        self.asymetriques.append(&mut autre.asymetriques);
        for (groupe, ids) in autre.groupes {
            let tous = self.groupes.entry(groupe.clone()).or_default();
            for id in ids {
                ranger(tous, id, 1);
            }
            if tous.len() > 1 {
                self.multiples.insert(groupe);
            }
        }
        self.echues.append(&mut autre.echues);
        self.non_confirmes.append(&mut autre.non_confirmes);
        self.sans_financement.append(&mut autre.sans_financement);
        self.sans_lieu.append(&mut autre.sans_lieu);
        self.sans_resultat.append(&mut autre.sans_resultat);
        for (devise, n) in autre.non_converties {
            compter(&mut self.non_converties, devise, n);
        }
        self.realisations.fusionner(&autre.realisations);
        self.par_argent.append(&mut autre.par_argent);
        self.par_actions.append(&mut autre.par_actions);
        self.argent_actifs.extend(autre.argent_actifs);
        for (critere, n) in autre.par_critere {
            compter(&mut self.par_critere, critere, n);
        }
    }

    fn comptes(&self, interventions: &HashMap<i64, u64>) -> Comptes {
        let n = |v: i64| v.max(0) as u64;
        let candidat = |id: i64| {
            let (argent, actions) = self.argent_actifs.get(&id).copied().unwrap_or_default();
            (id, argent, n(actions))
        };
        Comptes {
            demonstration: n(self.demonstration),
            actifs: n(self.actifs),
            actions: n(self.actions),
            par_pays: self.par_pays.iter().map(|(p, v)| (*p, n(*v))).collect(),
            total_regions: TotalZones {
                partenariats: n(self.partenariats_maliens),
                actions: n(self.actions_localisees),
            },
            partenariats_par_unite: self
                .partenariats_par_unite
                .iter()
                .map(|(u, v)| (*u, n(*v)))
                .collect(),
            actions_par_unite: self
                .actions_par_unite
                .iter()
                .map(|(u, (v, _))| (*u, n(*v)))
                .collect(),
            argent_par_unite: self
                .actions_par_unite
                .iter()
                .filter(|(_, (_, argent))| !argent.vide())
                .map(|(u, (_, argent))| (*u, argent.argent()))
                .collect(),
            interventions_par_unite: interventions.clone(),
            candidats_argent: self
                .par_argent
                .iter()
                .take(TOP)
                .map(|k| candidat(k.3))
                .collect(),
            candidats_actions: self
                .par_actions
                .iter()
                .take(TOP)
                .map(|k| candidat(k.1))
                .collect(),
            par_axe: self
                .par_axe
                .iter()
                .map(|(v, a)| (n(*v), a.argent()))
                .collect(),
            par_domaine: self
                .par_domaine
                .iter()
                .map(|(v, a)| (n(*v), a.argent()))
                .collect(),
            actions_par_annee: self
                .actions_par_annee
                .iter()
                .map(|(y, v)| (*y, n(*v)))
                .collect(),
            argent_par_annee: self
                .argent_par_annee
                .iter()
                .map(|(y, a)| (*y, a.argent()))
                .collect(),
            par_etape: self.par_etape.iter().map(|(e, v)| (*e, n(*v))).collect(),
            transitions: self.transitions.iter().map(|(k, v)| (*k, n(*v))).collect(),
            coordination: coordination(
                self.rencontres
                    .iter()
                    .map(|((lieu, domaine), liste)| (*lieu, *domaine, liste.as_slice())),
            ),
            asymetriques: self
                .asymetriques
                .iter()
                .map(|(id, (m, e))| (*id, m.clone(), e.clone()))
                .collect(),
            memes_parties: {
                let mut memes: Vec<Vec<i64>> = self
                    .multiples
                    .iter()
                    .filter_map(|g| self.groupes.get(g))
                    .cloned()
                    .collect();
                memes.sort();
                memes
            },
            echues: premiers(&self.echues),
            non_confirmes: premiers(&self.non_confirmes),
            sans_financement: premiers(&self.sans_financement),
            sans_lieu: premiers(&self.sans_lieu),
            non_converties: self.non_converties.keys().copied().collect(),
            realisations: self.realisations.clone(),
            actions_mesurees: n(self.actions_mesurees),
            resultats_propres: n(self.resultats_propres),
            sans_resultat: premiers(&self.sans_resultat),
        }
    }
}

fn premiers(set: &BTreeSet<i64>) -> (u64, Vec<i64>) {
    (
        set.len() as u64,
        set.iter().take(EXEMPLES).copied().collect(),
    )
}

/// Counts every dossier at `date`: the sums, and each partenariat's contribution when
/// `garder` (to take it out again later). The dossiers are counted in two halves side by
/// side, each on its own thread with its own sums, which are then added together: a
/// contribution is made and taken in by the same thread while it is still in its cache,
/// and freed there at once when it is not kept. (Handing the contributions from a thread
/// that made them to one that took them in cost a third more at national scale.)
fn compter_tout(
    dossiers: &Dossiers,
    t: &Territoire,
    taux: &Taux,
    date: Date,
    garder: bool,
) -> (Totaux, Vec<(i64, Contribution)>) {
    compter_en_deux(dossiers, t, taux, date, garder, dossiers.len() / 2)
}

/// [`compter_tout`] with the first `milieu` dossiers in the first half.
fn compter_en_deux(
    dossiers: &Dossiers,
    t: &Territoire,
    taux: &Taux,
    date: Date,
    garder: bool,
    milieu: usize,
) -> (Totaux, Vec<(i64, Contribution)>) {
    let jour = date.to_string();
    let compter = |moitie: &mut dyn Iterator<Item = (&i64, &Arc<Dossier>)>| {
        let mut totaux = Totaux::new();
        let mut gardees = Vec::new();
        let mut brouillon = Brouillon::default();
        for (id, d) in moitie {
            let c = contribuer(d, t, taux, date, &jour, &mut brouillon);
            totaux.appliquer(*id, &c, 1);
            if garder {
                gardees.push((*id, c));
            }
        }
        (totaux, gardees)
    };
    let (premiere, seconde) = std::thread::scope(|s| {
        let ouvrier = std::thread::Builder::new()
            .name("apercu-moitie".into())
            .spawn_scoped(s, || compter(&mut dossiers.iter().skip(milieu)));
        let premiere = compter(&mut dossiers.iter().take(milieu));
        let seconde = match ouvrier {
            Ok(ouvrier) => ouvrier
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e)),
            // no thread to be had: one after the other
            Err(_) => compter(&mut dossiers.iter().skip(milieu)),
        };
        (premiere, seconde)
    });
    let (mut totaux, mut gardees) = premiere;
    totaux.fusionner(seconde.0);
    gardees.extend(seconde.1);
    (totaux, gardees)
}

/// The figures at one date kept up to date: each partenariat's contribution, to take it
/// out again when the partenariat changes, and their sums.
struct Compte {
    contributions: HashMap<i64, Contribution>,
    totaux: Totaux,
}

impl Compte {
    /// Counts every dossier at `date`.
    fn de(dossiers: &Dossiers, t: &Territoire, taux: &Taux, date: Date) -> Compte {
        let (totaux, contributions) = compter_tout(dossiers, t, taux, date, true);
        Compte {
            contributions: contributions.into_iter().collect(),
            totaux,
        }
    }

    /// Puts `c` in the place of partenariat `id`'s previous contribution, if any.
    fn remplacer(&mut self, id: i64, c: Contribution) {
        if let Some(ancienne) = self.contributions.remove(&id) {
            self.totaux.appliquer(id, &ancienne, -1);
        }
        self.totaux.appliquer(id, &c, 1);
        self.contributions.insert(id, c);
    }
}

/// Every public partenariat's dossier by id. Shared: an overview at another date counts
/// from them outside the lock while the kept aggregates go on (a write then copies the map
/// of pointers, not the dossiers). Counted in id order, the sets of ids grow at their end.
type Dossiers = Arc<BTreeMap<i64, Arc<Dossier>>>;

/// The overview at one date, kept up to date.
struct Agregats {
    jour: Date,
    /// The latest partenariat version counted, and the shared counters seen.
    version: i64,
    territoire_vu: u64,
    interventions_vues: u64,
    territoire: Territoire,
    taux: Arc<Taux>,
    dossiers: Dossiers,
    compte: Compte,
    interventions: Arc<HashMap<i64, u64>>,
    liste: Liste,
}

impl Agregats {
    /// Counts everything at `date`, reading each table once.
    fn construire(conn: &rusqlite::Connection, date: Date) -> store::Result<Agregats> {
        let version = sql::version(conn)?;
        let (territoire_vu, interventions_vues) = sql::generations_communes(conn)?;
        let territoire = Territoire::lire(conn, date)?;
        let taux = Taux::new(sql::taux_change(conn)?);
        let dossiers: Dossiers = Arc::new(tous_les_dossiers(conn)?);
        let compte = Compte::de(&dossiers, &territoire, &taux, date);
        let mut liste = Liste::default();
        for (id, d) in dossiers.iter() {
            liste.remplacer(*id, Ligne::de(d, &territoire, &taux, date));
        }
        let interventions = Arc::new(interventions(conn, &territoire)?);
        Ok(Agregats {
            jour: date,
            version,
            territoire_vu,
            interventions_vues,
            territoire,
            taux: Arc::new(taux),
            dossiers,
            compte,
            interventions,
            liste,
        })
    }

    /// Recounts the partenariats written since the last count. `false` when what every
    /// partenariat depends on changed: the aggregates must be rebuilt.
    fn rattraper(&mut self, conn: &rusqlite::Connection) -> store::Result<bool> {
        let (territoire, interventions_vues) = sql::generations_communes(conn)?;
        if territoire != self.territoire_vu {
            return Ok(false);
        }
        let (modifies, version) = sql::modifies_depuis(conn, self.version)?;
        let jour = self.jour.to_string();
        for id in modifies {
            let d = sql::dossier(conn, id)?;
            let c = contribuer(
                &d,
                &self.territoire,
                &self.taux,
                self.jour,
                &jour,
                &mut Brouillon::default(),
            );
            self.compte.remplacer(id, c);
            let ligne = Ligne::de(&d, &self.territoire, &self.taux, self.jour);
            self.liste.remplacer(id, ligne);
            let dossiers = Arc::make_mut(&mut self.dossiers);
            if d.partenariat.is_some() {
                dossiers.insert(id, Arc::new(d));
            } else {
                dossiers.remove(&id);
            }
        }
        self.version = version;
        if interventions_vues != self.interventions_vues {
            self.interventions = Arc::new(interventions(conn, &self.territoire)?);
            self.interventions_vues = interventions_vues;
        }
        Ok(true)
    }
}

/// The overview at `date` counted in two halves cut after the first `milieu` dossiers: the
/// same document wherever the cut falls.
#[cfg(test)]
pub(super) fn apercu_en_deux(
    conn: &rusqlite::Connection,
    date: Date,
    milieu: usize,
) -> store::Result<(usize, Apercu)> {
    let territoire = Territoire::lire(conn, date)?;
    let taux = Taux::new(sql::taux_change(conn)?);
    let dossiers: Dossiers = Arc::new(tous_les_dossiers(conn)?);
    let (totaux, _) = compter_en_deux(&dossiers, &territoire, &taux, date, false, milieu);
    let comptes = totaux.comptes(&interventions(conn, &territoire)?);
    Ok((
        dossiers.len(),
        assemblage::assembler(conn, date, &territoire, comptes)?,
    ))
}

/// Every partenariat's dossier, from one pass over each table.
fn tous_les_dossiers(conn: &rusqlite::Connection) -> store::Result<BTreeMap<i64, Arc<Dossier>>> {
    let mut dossiers: HashMap<i64, Dossier> = HashMap::new();
    sql::partenariats(conn, |p| {
        let id = p.id;
        dossiers.entry(id).or_default().partenariat = Some(p);
    })?;
    sql::etapes(conn, |p, e, depuis| {
        if let Some(d) = dossiers.get_mut(&p) {
            d.etapes.push((e, depuis));
        }
    })?;
    sql::parties(conn, |p, c| {
        if let Some(d) = dossiers.get_mut(&p) {
            d.parties.push(c);
        }
    })?;
    // Where each action sits: (partenariat, position in its dossier).
    let mut place_de: HashMap<i64, (i64, usize)> = HashMap::new();
    sql::actions(conn, |l| {
        if let Some(d) = dossiers.get_mut(&l.partenariat) {
            place_de.insert(l.id, (l.partenariat, d.actions.len()));
            d.actions.push(ActionDossier::depuis(&l));
        }
    })?;
    fn action<'d>(
        dossiers: &'d mut HashMap<i64, Dossier>,
        place_de: &HashMap<i64, (i64, usize)>,
        id: i64,
    ) -> Option<&'d mut ActionDossier> {
        let (p, i) = place_de.get(&id)?;
        dossiers.get_mut(p).map(|d| &mut d.actions[*i])
    }
    sql::lieux(conn, |a, c| {
        if let Some(a) = action(&mut dossiers, &place_de, a) {
            a.lieux.push(c);
        }
    })?;
    sql::financements(conn, |f| {
        if let Some(a) = action(&mut dossiers, &place_de, f.action) {
            a.financements.push(f);
        }
    })?;
    sql::resultats(conn, |id, liste| {
        if let Some(a) = action(&mut dossiers, &place_de, id) {
            a.resultats = liste;
        }
    })?;
    Ok(dossiers
        .into_iter()
        .map(|(id, d)| (id, Arc::new(d)))
        .collect())
}

/// The overview at today's date, kept up to date between requests (see the module's
/// documentation). One per site; a request that finds it busy waits for it.
#[derive(Default)]
pub struct ApercuTenu {
    agregats: Mutex<Option<Agregats>>,
    constructions: AtomicU64,
}

impl ApercuTenu {
    /// The overview at `date` (today) on `conn`'s snapshot (see `ApercuTenu::a_jour`).
    pub fn apercu(&self, conn: &rusqlite::Connection, date: Date) -> store::Result<Apercu> {
        self.a_jour(conn, date, |a| {
            let comptes = a.compte.totaux.comptes(&a.interventions);
            assemblage::assembler(conn, date, &a.territoire, comptes)
        })?
    }

    /// The overview at another `date` than `aujourd_hui`, counted from the dossiers kept for
    /// today (brought up to date on `conn`'s snapshot) instead of reading every table again:
    /// the same count as [`calculer`](super::calculer), with nothing kept afterwards. The
    /// lock is held only to take the dossiers, so today's visitors do not wait for it.
    pub fn apercu_au(
        &self,
        conn: &rusqlite::Connection,
        aujourd_hui: Date,
        date: Date,
    ) -> store::Result<Apercu> {
        if date == aujourd_hui {
            return self.apercu(conn, date);
        }
        let (dossiers, taux, interventions) = self.a_jour(conn, aujourd_hui, |a| {
            (a.dossiers.clone(), a.taux.clone(), a.interventions.clone())
        })?;
        let territoire = Territoire::lire(conn, date)?;
        // nothing is taken out again: no contribution is kept
        let (totaux, _) = compter_tout(&dossiers, &territoire, &taux, date, false);
        assemblage::assembler(conn, date, &territoire, totaux.comptes(&interventions))
    }

    /// One page of the public list of partenariats as [`PartenariatQuery::lister`] gives it,
    /// read from the kept lines (`liste`) when `q` reads the étapes at `date` (today): its
    /// filters and orders then cost a walk of memory instead of a subquery per partenariat.
    pub fn partenariats(
        &self,
        conn: &rusqlite::Connection,
        q: &PartenariatQuery,
        date: Date,
    ) -> store::Result<Pagine<PartenariatResume>> {
        if q.date != date {
            return q.lister(conn);
        }
        let textes = match &q.texte {
            Some(texte) => Some(store::partenariat::trouves(conn, texte)?),
            None => None,
        };
        let (total, ids) = self.a_jour(conn, date, |a| a.liste.page(q, textes.as_ref()))?;
        let elements = ids
            .into_iter()
            .map(|(id, etape)| {
                let partenariat =
                    store::partenariat::par_id(conn, PartenariatId(id))?.ok_or_else(|| {
                        store::StoreError::Introuvable(format!("partenariat n° {id}"))
                    })?;
                Ok(PartenariatResume {
                    parties: store::partenariat::parties(conn, partenariat.id)?,
                    partenariat,
                    etape: etape.map(|(e, _)| e),
                    etape_depuis: etape.map(|(_, depuis)| depuis),
                })
            })
            .collect::<store::Result<_>>()?;
        Ok(Pagine {
            elements,
            total,
            page: q.page,
        })
    }

    /// How many public actions have this axe, domaine and statut (`None`: any), on `conn`'s
    /// snapshot at `date` (today).
    pub fn actions(
        &self,
        conn: &rusqlite::Connection,
        date: Date,
        axe: Option<Axe>,
        domaine: Option<Domaine>,
        statut: Option<StatutAction>,
    ) -> store::Result<u64> {
        let n: i64 = self.a_jour(conn, date, |a| {
            a.compte
                .totaux
                .par_critere
                .iter()
                .filter(|((a, d, s), _)| {
                    axe.is_none_or(|x| x == *a)
                        && domaine.is_none_or(|x| x == *d)
                        && statut.is_none_or(|x| x == *s)
                })
                .map(|(_, n)| n)
                .sum()
        })?;
        Ok(n.max(0) as u64)
    }

    /// The list of the partenariats of a zone, as [`ApercuTenu::partenariats`] gives it: the
    /// kept lines know the Malian units of their parties and those units' ancestors, so a
    /// foreign zone (a French département) is read by SQL.
    pub fn partenariats_de_la_zone(
        &self,
        conn: &rusqlite::Connection,
        q: &PartenariatQuery,
        date: Date,
    ) -> store::Result<Pagine<PartenariatResume>> {
        let malienne = match q.zone {
            Some(zone) => {
                store::collectivite::par_id(conn, zone)?.is_some_and(|c| c.pays.est_mali())
            }
            None => true,
        };
        if malienne {
            self.partenariats(conn, q, date)
        } else {
            q.lister(conn)
        }
    }

    /// Runs `lire` on the kept aggregates brought up to date on `conn`'s snapshot, or built
    /// first when there are none yet, or they are of another day, or the territory or the
    /// rates changed; they stay locked meanwhile.
    fn a_jour<T>(
        &self,
        conn: &rusqlite::Connection,
        date: Date,
        lire: impl FnOnce(&Agregats) -> T,
    ) -> store::Result<T> {
        let mut garde = match self.agregats.lock() {
            Ok(g) => g,
            Err(empoisonne) => {
                // a panic mid-update may have left the sums half-changed: start again
                let mut g = empoisonne.into_inner();
                *g = None;
                g
            }
        };
        let a_jour = match garde.as_mut() {
            Some(a) if a.jour == date => a.rattraper(conn)?,
            _ => false,
        };
        if !a_jour {
            *garde = None;
            *garde = Some(Agregats::construire(conn, date)?);
            self.constructions.fetch_add(1, Ordering::Relaxed);
        }
        Ok(lire(garde.as_ref().expect("built above")))
    }

    /// How many times everything was counted (at start, each new day, after a change of
    /// rates or territory); every other change was counted partenariat by partenariat.
    pub fn constructions(&self) -> u64 {
        self.constructions.load(Ordering::Relaxed)
    }
}
