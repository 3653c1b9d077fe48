//! The overview's counting. Each table is read once (`store::apercu`), in four phases:
//!
//! 1. partenariats and their étapes: which are active at the date;
//! 2. the collectivités with the parties (countries, régions, coverage, levels, duplicates),
//!    and the actions (which count, and where they belong);
//! 3. the places of the counted actions, and their financements;
//! 4. the assembly of the [`Apercu`], with the few titles it shows.
//!
//! All of it reads one connection inside one read transaction, so that the figures come
//! from a single snapshot of the data (see `store::concurrence`).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use time::Date;

use super::{
    Apercu, Argent, COORDINATION, Couverture, CouvertureNiveau, EXEMPLES, LigneAnnee,
    LigneAsymetrie, LigneAxe, LigneCoordination, LigneDomaine, LigneEtape, LignePays, LigneTop,
    LigneTransition, LigneZone, Qualite, Reference, Signalement, TOP, Taux, Titre, TotalZones,
    ZoneBlanche, en_francs, groupes_de_titres_proches, part,
};
use crate::model::nom::normaliser;
use crate::model::{
    Axe, Code, Domaine, Etape, Niveau, Parties, Pays, StatutAction, StatutPartenariat,
};
use crate::store;
use crate::store::apercu::{self as sql, LigneCollectivite, Table};

/// Grows `v` so that index `i` exists.
fn place<T: Clone + Default>(v: &mut Vec<T>, i: i64) -> &mut T {
    let i = i as usize;
    if v.len() <= i {
        v.resize(i + 1, T::default());
    }
    &mut v[i]
}

fn lire<T: Copy + Default>(v: &[T], i: i64) -> T {
    v.get(i as usize).copied().unwrap_or_default()
}

/// Phase 1: which public partenariats are active, their étape at the date, the transitions.
struct Partenariats {
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
    let un_an_avant = date.replace_year(date.year() - 1).unwrap_or(date);
    let (mut actif, mut actifs, mut non_confirmes) = (Vec::new(), Vec::new(), Vec::new());
    for p in publics {
        let commence = premiere.get(&p.id).is_none_or(|d| *d <= date);
        if p.statut == StatutPartenariat::Actif && commence {
            *place(&mut actif, p.id) = true;
            actifs.push(p.id);
            // confirmed, or recorded, within the year: nothing to check yet
            let vu_le = p.confirme_le.map_or(p.cree_le, |c| c.max(p.cree_le));
            if vu_le < un_an_avant {
                non_confirmes.push(p.id);
            }
        }
    }
    etape.retain(|p, _| lire(&actif, *p));
    Ok(Partenariats {
        publie,
        actif,
        actifs,
        etape,
        transitions,
        non_confirmes,
    })
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
    echues: (u64, Vec<i64>),
}

fn actions(conn: &rusqlite::Connection, p: &Partenariats, date: Date) -> store::Result<Actions> {
    let jour = date.to_string();
    let mut a = Actions {
        par_axe: vec![0; Axe::TOUS.len()],
        par_domaine: vec![0; Domaine::TOUS.len()],
        ..Actions::default()
    };
    sql::actions(conn, |l| {
        let en_retard = matches!(l.statut, StatutAction::Prevue | StatutAction::EnCours)
            && l.fin.is_some_and(|f| f < jour.as_str());
        if en_retard {
            a.echues.0 += 1;
            if a.echues.1.len() < EXEMPLES {
                a.echues.1.push(l.id);
            }
        }
        if !lire(&p.actif, l.partenariat) || l.debut.is_some_and(|d| d > jour.as_str()) {
            return;
        }
        a.total += 1;
        *place(&mut a.partenariat, l.id) = l.partenariat as u32;
        *place(&mut a.axe, l.id) = l.axe as u8;
        *place(&mut a.domaine, l.id) = l.domaine as u8;
        *a.par_partenariat.entry(l.partenariat).or_default() += 1;
        a.par_axe[l.axe as usize] += 1;
        a.par_domaine[l.domaine as usize] += 1;
        if let Some(annee) = l
            .debut
            .and_then(|d| d.get(..4))
            .and_then(|y| y.parse().ok())
        {
            *a.par_annee.entry(annee).or_default() += 1;
        }
    })?;
    Ok(a)
}

/// Phase 2b: the collectivités, and what the parties of the active partenariats say.
struct Territoire {
    /// Malian units valid at the date, by normalised name.
    unites: Vec<LigneCollectivite>,
    index: HashMap<i64, usize>,
    /// Every Malian unit (valid or not) with its ancestors, itself first.
    ancetres: HashMap<i64, Vec<i64>>,
    region_de: HashMap<i64, i64>,
    par_pays: BTreeMap<Pays, u64>,
    partenariats_par_unite: HashMap<i64, u64>,
    partenariats_distincts: u64,
    asymetriques: Vec<(i64, Vec<Niveau>, Vec<Niveau>)>,
    memes_parties: Vec<Vec<i64>>,
}

fn territoire(
    conn: &rusqlite::Connection,
    p: &Partenariats,
    date: Date,
) -> store::Result<Territoire> {
    let mut pays: Vec<Option<Pays>> = Vec::new();
    let mut niveau: Vec<Option<Niveau>> = Vec::new();
    let mut maliennes: Vec<LigneCollectivite> = Vec::new();
    sql::collectivites(conn, |c| {
        *place(&mut pays, c.id) = Some(c.pays);
        *place(&mut niveau, c.id) = Some(c.niveau);
        if c.pays.est_mali() {
            maliennes.push(c);
        }
    })?;
    let parent: HashMap<i64, Option<i64>> = maliennes.iter().map(|c| (c.id, c.parent)).collect();
    let ancetres: HashMap<i64, Vec<i64>> = maliennes
        .iter()
        .map(|c| {
            let mut chaine = vec![c.id];
            while let Some(Some(suivant)) = chaine.last().and_then(|d| parent.get(d)) {
                if chaine.len() > 10 || chaine.contains(suivant) {
                    break;
                }
                chaine.push(*suivant);
            }
            (c.id, chaine)
        })
        .collect();
    let est_region =
        |id: &i64| matches!(lire(&niveau, *id), Some(Niveau::Region | Niveau::District));
    let region_de: HashMap<i64, i64> = ancetres
        .iter()
        .filter_map(|(id, chaine)| chaine.iter().find(|a| est_region(a)).map(|r| (*id, *r)))
        .collect();
    let mut unites: Vec<LigneCollectivite> = maliennes
        .into_iter()
        .filter(|c| c.valide_du.is_none_or(|d| d <= date) && c.valide_au.is_none_or(|f| f >= date))
        .collect();
    unites.sort_by_cached_key(|c| (normaliser(&c.nom), c.id));
    let index = unites.iter().enumerate().map(|(i, c)| (c.id, i)).collect();

    let mut t = Territoire {
        unites,
        index,
        ancetres,
        region_de,
        par_pays: BTreeMap::new(),
        partenariats_par_unite: HashMap::new(),
        partenariats_distincts: 0,
        asymetriques: Vec::new(),
        memes_parties: Vec::new(),
    };
    let mut groupes: HashMap<Vec<i64>, Vec<i64>> = HashMap::new();
    let mut courant: Option<(i64, Vec<i64>)> = None;
    let mut finir = |t: &mut Territoire, (id, parties): (i64, Vec<i64>)| {
        if !lire(&p.publie, id) {
            return;
        }
        let mut triees = parties.clone();
        triees.sort_unstable();
        groupes.entry(triees).or_default().push(id);
        if !lire(&p.actif, id) {
            return;
        }
        let mut etrangers: BTreeSet<Pays> = BTreeSet::new();
        let mut unites: BTreeSet<i64> = BTreeSet::new();
        let (mut maliens, mut autres) = (Vec::new(), Vec::new());
        for c in parties {
            let (Some(pays_c), Some(niveau_c)) = (lire(&pays, c), lire(&niveau, c)) else {
                continue;
            };
            if pays_c.est_mali() {
                maliens.push(niveau_c);
                unites.extend(t.ancetres.get(&c).into_iter().flatten());
            } else {
                autres.push(niveau_c);
                etrangers.insert(pays_c);
            }
        }
        for pays_e in etrangers {
            *t.par_pays.entry(pays_e).or_default() += 1;
        }
        if !maliens.is_empty() {
            t.partenariats_distincts += 1;
        }
        for u in unites {
            *t.partenariats_par_unite.entry(u).or_default() += 1;
        }
        if Parties::rangs_asymetriques(&maliens, &autres) {
            t.asymetriques.push((id, maliens, autres));
        }
    };
    sql::parties(conn, |partenariat, collectivite| match &mut courant {
        Some((id, parties)) if *id == partenariat => parties.push(collectivite),
        _ => {
            if let Some(fini) = courant.replace((partenariat, vec![collectivite])) {
                finir(&mut t, fini);
            }
        }
    })?;
    if let Some(fini) = courant.take() {
        finir(&mut t, fini);
    }
    let mut memes: Vec<Vec<i64>> = groupes.into_values().filter(|g| g.len() > 1).collect();
    memes.iter_mut().for_each(|g| g.sort_unstable());
    memes.sort();
    t.memes_parties = memes;
    Ok(t)
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
        let ancetres = t
            .ancetres
            .get(&collectivite)
            .map(Vec::as_slice)
            .unwrap_or_default();
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
fn interventions(conn: &rusqlite::Connection, t: &Territoire) -> store::Result<HashMap<i64, u64>> {
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

/// Computes the overview at `date` from one connection, inside the read transaction its
/// caller opened (`Store::lire`): every table is read from the same snapshot, and the
/// computation never holds one connection while it waits for another.
pub(super) fn calculer(conn: &rusqlite::Connection, date: Date) -> store::Result<Apercu> {
    let taux = Taux::new(sql::taux_change(conn)?);
    let p = partenariats(conn, date)?;
    let t = territoire(conn, &p, date)?;
    let a = actions(conn, &p, date)?;
    let l = lieux(conn, &a, &t)?;
    let f = financements(conn, &a, &taux)?;
    assembler(conn, date, p, a, t, l, f)
}

fn titres(
    conn: &rusqlite::Connection,
    table: Table,
    ids: &[i64],
) -> store::Result<HashMap<i64, String>> {
    Ok(sql::titres(conn, table, ids)?.into_iter().collect())
}

fn signalement(
    conn: &rusqlite::Connection,
    table: Table,
    total: u64,
    ids: &[i64],
) -> store::Result<Signalement> {
    let (genre, table_titres) = match table {
        Table::Partenariat => ("partenariats", titres(conn, table, ids)?),
        Table::Action => ("actions", titres(conn, table, ids)?),
    };
    Ok(Signalement {
        total,
        exemples: ids
            .iter()
            .map(|id| Titre {
                id: *id,
                titre: table_titres.get(id).cloned().unwrap_or_default(),
                lien: format!("/{genre}/{id}"),
            })
            .collect(),
    })
}

/// The first `EXEMPLES` ids of the counted actions that `manque` says lack something.
fn manquants(a: &Actions, manque: impl Fn(i64) -> bool) -> (u64, Vec<i64>) {
    let mut total = 0;
    let mut exemples = Vec::new();
    for (id, p) in a.partenariat.iter().enumerate() {
        let id = id as i64;
        if *p != 0 && manque(id) {
            total += 1;
            if exemples.len() < EXEMPLES {
                exemples.push(id);
            }
        }
    }
    (total, exemples)
}

#[allow(clippy::too_many_arguments)]
fn assembler(
    conn: &rusqlite::Connection,
    date: Date,
    p: Partenariats,
    a: Actions,
    t: Territoire,
    l: Lieux,
    f: Financements,
) -> store::Result<Apercu> {
    let actifs = p.actifs.len() as u64;
    let mut par_pays: Vec<LignePays> = t
        .par_pays
        .iter()
        .map(|(pays, n)| LignePays {
            pays: pays.code().to_owned(),
            nom: pays.nom().to_owned(),
            partenariats: *n,
            part: part(*n, actifs),
        })
        .collect();
    par_pays.sort_by(|x, y| {
        y.partenariats
            .cmp(&x.partenariats)
            .then(x.pays.cmp(&y.pays))
    });

    let total_regions = TotalZones {
        partenariats: t.partenariats_distincts,
        actions: l.actions_localisees,
    };
    let nom = |id: i64| t.index.get(&id).map(|i| t.unites[*i].nom.clone());
    let mut argent_par_unite: HashMap<i64, Argent> = HashMap::new();
    for (action, unites) in &l.unites_par_action {
        if let Some(argent) = f.par_action.get(action) {
            for u in unites {
                argent_par_unite.entry(*u).or_default().cumuler(argent);
            }
        }
    }
    let (mut par_region, mut par_cercle, mut par_commune) = (Vec::new(), Vec::new(), Vec::new());
    for u in &t.unites {
        let partenariats = t.partenariats_par_unite.get(&u.id).copied().unwrap_or(0);
        let actions = l.actions_par_unite.get(&u.id).copied().unwrap_or(0);
        let interventions = l.interventions_par_unite.get(&u.id).copied().unwrap_or(0);
        if partenariats == 0 && actions == 0 && interventions == 0 {
            continue;
        }
        let argent = argent_par_unite.get(&u.id);
        let ligne = LigneZone {
            id: u.id,
            region: u.nom.clone(),
            code: u.code.clone(),
            dans: t.region_de.get(&u.id).and_then(|r| nom(*r)),
            partenariats,
            actions,
            part_partenariats: part(partenariats, total_regions.partenariats),
            part_actions: part(actions, total_regions.actions),
            montant_eur: argent.and_then(Argent::mobilise),
            montant_xof: en_francs(argent.and_then(Argent::mobilise)),
            montant_incomplet: argent.is_some_and(|a| a.incomplet),
            interventions,
        };
        match u.niveau {
            Niveau::Region | Niveau::District => par_region.push(ligne),
            Niveau::Cercle => par_cercle.push(ligne),
            _ => par_commune.push(ligne),
        }
    }
    for liste in [&mut par_region, &mut par_cercle, &mut par_commune] {
        liste.sort_by(|x, y| {
            y.actions
                .cmp(&x.actions)
                .then(y.partenariats.cmp(&x.partenariats))
                .then(normaliser(&x.region).cmp(&normaliser(&y.region)))
        });
    }

    // Tops: only the partenariats that could be in them need a title.
    let ligne_top = |id: i64| {
        let argent = f.par_partenariat.get(&id).copied().unwrap_or_default();
        LigneTop {
            id,
            titre: String::new(),
            argent: argent.montants(),
            actions: a.par_partenariat.get(&id).copied().unwrap_or(0),
        }
    };
    let mut par_argent: Vec<LigneTop> = p.actifs.iter().map(|id| ligne_top(*id)).collect();
    let mut par_actions = par_argent.clone();
    par_argent.sort_by(|x, y| {
        let (x_m, y_m) = (x.argent.montant_eur, y.argent.montant_eur);
        y_m.is_some()
            .cmp(&x_m.is_some())
            .then(y_m.cmp(&x_m))
            .then(y.actions.cmp(&x.actions))
            .then(x.id.cmp(&y.id))
    });
    par_argent.truncate(TOP);
    par_actions.sort_by(|x, y| y.actions.cmp(&x.actions).then(x.id.cmp(&y.id)));
    par_actions.truncate(TOP);

    let asymetries_ids: Vec<i64> = t.asymetriques.iter().map(|(id, ..)| *id).collect();
    let doublons_ids: Vec<i64> = t.memes_parties.iter().flatten().copied().collect();
    let a_nommer: Vec<i64> = par_argent
        .iter()
        .chain(&par_actions)
        .map(|l| l.id)
        .chain(asymetries_ids.iter().copied())
        .chain(doublons_ids.iter().copied())
        .collect::<BTreeSet<i64>>()
        .into_iter()
        .collect();
    let noms = titres(conn, Table::Partenariat, &a_nommer)?;
    for ligne in par_argent.iter_mut().chain(par_actions.iter_mut()) {
        ligne.titre = noms.get(&ligne.id).cloned().unwrap_or_default();
    }

    let par_axe = Axe::TOUS
        .iter()
        .map(|axe| {
            let n = a.par_axe[*axe as usize];
            LigneAxe {
                axe: axe.code(),
                libelle: axe.libelle(),
                actions: n,
                part: part(n, a.total),
                montant_eur: f.par_axe[*axe as usize].mobilise(),
                montant_xof: en_francs(f.par_axe[*axe as usize].mobilise()),
            }
        })
        .collect();
    let par_domaine = Domaine::TOUS
        .iter()
        .filter(|d| a.par_domaine[**d as usize] > 0)
        .map(|d| LigneDomaine {
            domaine: d.code(),
            libelle: d.libelle(),
            code_cad: d.code_cad(),
            actions: a.par_domaine[*d as usize],
            montant_eur: f.par_domaine[*d as usize].mobilise(),
            montant_xof: en_francs(f.par_domaine[*d as usize].mobilise()),
        })
        .collect();
    let annees: BTreeSet<i32> = a
        .par_annee
        .keys()
        .chain(f.par_annee.keys())
        .copied()
        .collect();
    let par_annee = annees
        .into_iter()
        .map(|annee| {
            let argent = f.par_annee.get(&annee).copied().unwrap_or_default();
            LigneAnnee {
                annee,
                actions: a.par_annee.get(&annee).copied().unwrap_or(0),
                engagements_eur: argent.engagements,
                engagements_xof: en_francs(argent.engagements),
                decaissements_eur: argent.decaissements,
                decaissements_xof: en_francs(argent.decaissements),
            }
        })
        .collect();
    // Each financement has one year: the years together hold all the money once.
    let mut tout = Argent::default();
    for argent in f.par_annee.values() {
        tout.cumuler(argent);
    }
    let financements = tout.montants();

    let mut par_etape: HashMap<Option<Etape>, u64> = HashMap::new();
    for id in &p.actifs {
        *par_etape.entry(p.etape.get(id).copied()).or_default() += 1;
    }
    let mut etapes: Vec<LigneEtape> = Etape::TOUS
        .iter()
        .map(|e| {
            let n = par_etape.get(&Some(*e)).copied().unwrap_or(0);
            LigneEtape {
                etape: e.code(),
                libelle: e.libelle(),
                partenariats: n,
                part: part(n, actifs),
            }
        })
        .collect();
    let inconnue = par_etape.get(&None).copied().unwrap_or(0);
    etapes.push(LigneEtape {
        etape: "non_renseignee",
        libelle: "Non renseignée",
        partenariats: inconnue,
        part: part(inconnue, actifs),
    });
    let transitions = p
        .transitions
        .iter()
        .map(|((annee, etape), n)| LigneTransition {
            annee: *annee,
            etape: etape.code(),
            partenariats: *n,
        })
        .collect();

    let couverte = |u: &LigneCollectivite| t.partenariats_par_unite.contains_key(&u.id);
    let niveaux: [(&'static str, &[Niveau]); 3] = [
        ("region", &[Niveau::Region, Niveau::District]),
        ("cercle", &[Niveau::Cercle]),
        ("commune", &[Niveau::Commune]),
    ];
    let par_niveau: Vec<CouvertureNiveau> = niveaux
        .iter()
        .map(|(nom, niveaux)| {
            let du_niveau: Vec<&LigneCollectivite> = t
                .unites
                .iter()
                .filter(|u| niveaux.contains(&u.niveau))
                .collect();
            let avec = du_niveau.iter().filter(|u| couverte(u)).count() as u64;
            CouvertureNiveau {
                niveau: nom,
                collectivites: du_niveau.len() as u64,
                avec_partenariat: avec,
                part: part(avec, du_niveau.len() as u64),
            }
        })
        .collect();
    let couverture = Couverture {
        collectivites: par_niveau[2].collectivites,
        avec_partenariat: par_niveau[2].avec_partenariat,
        part: par_niveau[2].part,
        par_niveau,
    };
    let mut blanches: BTreeMap<String, ZoneBlanche> = BTreeMap::new();
    for u in t
        .unites
        .iter()
        .filter(|u| u.niveau == Niveau::Commune && !couverte(u))
    {
        let region = t
            .region_de
            .get(&u.id)
            .and_then(|r| t.index.get(r))
            .map(|i| &t.unites[*i]);
        let nom_region = region
            .map(|r| r.nom.clone())
            .unwrap_or_else(|| "Sans région".to_owned());
        blanches
            .entry(normaliser(&nom_region))
            .or_insert_with(|| ZoneBlanche {
                region: nom_region,
                code: region.and_then(|r| r.code.clone()),
                communes: Vec::new(),
            })
            .communes
            .push(Reference {
                id: u.id,
                nom: u.nom.clone(),
                code: u.code.clone(),
            });
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
    rencontres.retain(|(_, _, liste)| liste.len() > 1);
    let coordination_total = rencontres.len() as u64;
    rencontres.sort_by(|x, y| {
        y.2.len()
            .cmp(&x.2.len())
            .then(x.0.cmp(&y.0))
            .then(x.1.cmp(&y.1))
    });
    rencontres.truncate(COORDINATION);
    let coordination = rencontres
        .into_iter()
        .map(|(lieu, domaine, partenariats)| LigneCoordination {
            lieu_id: lieu,
            lieu: nom(lieu).unwrap_or_else(|| format!("n° {lieu}")),
            domaine: Domaine::TOUS[usize::from(domaine)].code(),
            partenariats,
        })
        .collect();

    let asymetries = t
        .asymetriques
        .iter()
        .map(|(id, maliens, etrangers)| LigneAsymetrie {
            id: *id,
            titre: noms.get(id).cloned().unwrap_or_default(),
            niveaux_maliens: maliens.iter().map(|n| n.code()).collect(),
            niveaux_etrangers: etrangers.iter().map(|n| n.code()).collect(),
        })
        .collect();

    let doublons_probables = t
        .memes_parties
        .iter()
        .flat_map(|groupe| {
            let avec_titres: Vec<(i64, String)> = groupe
                .iter()
                .map(|id| (*id, noms.get(id).cloned().unwrap_or_default()))
                .collect();
            groupes_de_titres_proches(&avec_titres)
        })
        .map(|groupe| {
            groupe
                .into_iter()
                .map(|(id, titre)| Titre {
                    id,
                    titre,
                    lien: format!("/partenariats/{id}"),
                })
                .collect()
        })
        .collect();
    let sans_financement = manquants(&a, |id| !lire(&f.avec_financement, id));
    let sans_lieu = manquants(&a, |id| !lire(&l.avec_lieu, id));
    let non_confirmes: Vec<i64> = p.non_confirmes.iter().take(EXEMPLES).copied().collect();
    let qualite = Qualite {
        actions_echues_en_cours: signalement(conn, Table::Action, a.echues.0, &a.echues.1)?,
        partenariats_non_confirmes: signalement(
            conn,
            Table::Partenariat,
            p.non_confirmes.len() as u64,
            &non_confirmes,
        )?,
        doublons_probables,
        actions_sans_financement: signalement(
            conn,
            Table::Action,
            sans_financement.0,
            &sans_financement.1,
        )?,
        actions_sans_lieu: signalement(conn, Table::Action, sans_lieu.0, &sans_lieu.1)?,
    };

    Ok(Apercu {
        date: date.to_string(),
        jour: date,
        division: format!(
            "Mali : découpage territorial de 2016 (référentiel benkan {}) ; pays partenaires en codes ISO 3166-1",
            crate::referentiel::VERSION
        ),
        partenariats_actifs: actifs,
        actions: a.total,
        par_pays,
        par_region,
        total_regions,
        par_cercle,
        par_commune,
        top_partenariats: par_argent,
        plus_actifs: par_actions,
        par_axe,
        par_domaine,
        par_annee,
        financements,
        etapes,
        transitions,
        couverture,
        zones_blanches: blanches.into_values().collect(),
        coordination,
        coordination_total,
        asymetries,
        qualite,
        devises_non_converties: f.non_converties.into_iter().map(str::to_owned).collect(),
    })
}
