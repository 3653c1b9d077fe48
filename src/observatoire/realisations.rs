//! What the counted actions achieved at the date, by catalogue indicator: for the country,
//! each région and each axe. One action's share is worked out here, once, for both the full
//! count (`calcul`) and the kept sums (`agregats`), which add and take it back out.
//!
//! A measure counts when its period has ended on or before the date. Quantities add up over
//! the periods and the actions; a percentage is a level, so an action gives its latest one
//! and the overview shows the mean of the actions' levels.

use serde::Serialize;
use time::Date;

use super::territoire::{Territoire, place};
use crate::model::{Axe, Code, Unite, catalogue};
use crate::store::apercu::ResultatLu;

/// What an action, or a set of actions, achieved on one indicator. Every field adds up, so
/// that a kept sum can take one action's share back out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Realise {
    /// Actions with a result on the indicator (measured or only targeted).
    pub actions: i64,
    /// Of which some value was measured by the date.
    pub mesurees: i64,
    /// Measured values, in the unit's steps (for a percentage: the sum of the levels).
    pub valeur: i64,
    pub femmes: i64,
    pub hommes: i64,
    /// Actions with a target, the sum of their targets, and what they achieved.
    pub avec_cible: i64,
    pub cible: i64,
    pub atteint: i64,
    /// Actions whose target is reached.
    pub cibles_atteintes: i64,
}

impl Realise {
    /// Adds `autre` (`signe` 1) or takes it out (-1).
    pub fn appliquer(&mut self, autre: &Realise, signe: i64) {
        self.actions += signe * autre.actions;
        self.mesurees += signe * autre.mesurees;
        self.valeur += signe * autre.valeur;
        self.femmes += signe * autre.femmes;
        self.hommes += signe * autre.hommes;
        self.avec_cible += signe * autre.avec_cible;
        self.cible += signe * autre.cible;
        self.atteint += signe * autre.atteint;
        self.cibles_atteintes += signe * autre.cibles_atteintes;
    }
}

/// Sums of [`Realise`] in numbered cases, one per (axe or région, catalogue indicator):
/// counting is then indexing, and a few hundred cases cover the country. The country's
/// sums are not kept: every action has one axe, so they are the sums of the axes'.
#[derive(Debug, Clone, Default)]
pub(super) struct Sommes(Vec<Realise>);

/// The axes come first, then the régions by their rank in [`Territoire::regions`].
const AXES: usize = <Axe as Code>::TOUS.len();

/// The case of `indicateur` (its catalogue position) for the axe or région of rank
/// `portee` (see [`AXES`]).
fn case(portee: usize, indicateur: u16) -> usize {
    portee * catalogue().len() + usize::from(indicateur)
}

impl Sommes {
    /// Adds `r` (`signe` 1) or takes it out (-1) of case `case`.
    pub fn ajouter(&mut self, case: usize, r: &Realise, signe: i64) {
        place(&mut self.0, case as i64).appliquer(r, signe);
    }

    /// Adds every sum of `autre`.
    pub fn fusionner(&mut self, autre: &Sommes) {
        for (case, r) in autre.0.iter().enumerate() {
            self.ajouter(case, r, 1);
        }
    }

    fn lire(&self, case: usize) -> Realise {
        self.0.get(case).copied().unwrap_or_default()
    }

    /// The indicators with some action in the scope of rank `portee`, in the catalogue's
    /// order.
    fn portee(&self, portee: usize) -> impl Iterator<Item = (u16, Realise)> + '_ {
        (0..catalogue().len() as u16)
            .map(move |i| (i, self.lire(case(portee, i))))
            .filter(|(_, r)| r.actions != 0)
    }

    /// The country's sums: those of the axes.
    fn pays(&self) -> Sommes {
        let mut pays = Sommes::default();
        for axe in 0..AXES {
            for (i, r) in self.portee(axe) {
                pays.ajouter(usize::from(i), &r, 1);
            }
        }
        pays
    }
}

/// One partenariat's sums while its actions are counted, kept between partenariats so that
/// counting one allocates nothing but its list.
#[derive(Default)]
pub(super) struct Brouillon {
    sommes: Sommes,
    touchees: Vec<usize>,
    /// The action being counted.
    pub action: DeLAction,
}

impl Brouillon {
    /// Adds the share of the action in [`Brouillon::action`], with its `regions` and `axe`
    /// (see [`repartir`]).
    pub fn ajouter_action(&mut self, regions: impl Iterator<Item = usize>, axe: u8) {
        let Brouillon {
            sommes,
            touchees,
            action,
        } = self;
        repartir(action, regions, axe, |case, r| {
            if sommes.lire(case).actions == 0 {
                touchees.push(case);
            }
            sommes.ajouter(case, r, 1);
        });
    }

    /// The partenariat's sums by case, in order; the draft is blank again.
    pub fn vider(&mut self) -> Vec<(usize, Realise)> {
        self.touchees.sort_unstable();
        self.touchees
            .drain(..)
            .map(|c| (c, std::mem::take(&mut self.sommes.0[c])))
            .collect()
    }
}

/// One action's results at the date.
#[derive(Debug, Default)]
pub(super) struct DeLAction {
    /// By catalogue position, one entry per indicator (two results on the same indicator
    /// are one achievement of the action).
    pub par_indicateur: Vec<(u16, Realise)>,
    /// Some value was measured by the date (any indicator, the action's own included).
    pub mesuree: bool,
    /// Results on the action's own indicators, which no total adds up.
    pub propres: i64,
}

/// What `resultats` (one action's) achieved by `date`.
#[cfg(test)]
fn de_l_action(resultats: &[ResultatLu], date: Date) -> DeLAction {
    let mut d = DeLAction::default();
    d.remplir(resultats, date);
    d
}

impl DeLAction {
    /// Becomes what `resultats` (one action's) achieved by `date`. One `DeLAction` serves
    /// every action of a count: a list per action cost a tenth of a second at national
    /// scale.
    pub fn remplir(&mut self, resultats: &[ResultatLu], date: Date) {
        let d = self;
        d.par_indicateur.clear();
        d.mesuree = false;
        d.propres = 0;
        for r in resultats {
            let mesures = || r.mesures.iter().filter(|m| m.fin <= date);
            let mesuree = mesures().next().is_some();
            d.mesuree |= mesuree;
            let Some(indicateur) = r.indicateur else {
                d.propres += 1;
                continue;
            };
            let atteint = if r.unite == Unite::Pourcentage {
                // the latest level (the larger of two on the same day)
                mesures()
                    .max_by_key(|m| (m.fin, m.valeur))
                    .map_or(0, |m| m.valeur)
            } else {
                mesures().map(|m| m.valeur).sum()
            };
            let nouveau = Realise {
                actions: 1,
                mesurees: i64::from(mesuree),
                valeur: atteint,
                femmes: mesures().filter_map(|m| m.femmes).sum(),
                hommes: mesures().filter_map(|m| m.hommes).sum(),
                avec_cible: i64::from(r.cible.is_some()),
                cible: r.cible.unwrap_or(0),
                atteint: if r.cible.is_some() { atteint } else { 0 },
                cibles_atteintes: i64::from(r.cible.is_some_and(|c| atteint >= c)),
            };
            match d.par_indicateur.iter_mut().find(|(i, _)| *i == indicateur) {
                // the same indicator twice on one action: one action, its values together
                Some((_, deja)) => {
                    let mut somme = *deja;
                    somme.appliquer(&nouveau, 1);
                    *deja = Realise {
                        actions: 1,
                        mesurees: deja.mesurees.max(nouveau.mesurees),
                        avec_cible: deja.avec_cible.max(nouveau.avec_cible),
                        cibles_atteintes: deja.cibles_atteintes.max(nouveau.cibles_atteintes),
                        ..somme
                    };
                }
                None => d.par_indicateur.push((indicateur, nouveau)),
            }
        }
    }
}

/// The ranks of the régions (and district) among an action's Malian units.
pub(super) fn regions<'u>(
    t: &'u Territoire,
    unites: &'u [i64],
) -> impl Iterator<Item = usize> + 'u {
    unites.iter().filter_map(|u| t.rang_region(*u))
}

/// Hands one action's achievements to `ajouter` by case: for its `axe` (its position in
/// `Axe::TOUS`) and each of its `regions` (ranks).
pub(super) fn repartir(
    d: &DeLAction,
    regions: impl Iterator<Item = usize>,
    axe: u8,
    mut ajouter: impl FnMut(usize, &Realise),
) {
    let portees = std::iter::once(usize::from(axe)).chain(regions.map(|r| AXES + r));
    for portee in portees {
        for (indicateur, r) in &d.par_indicateur {
            ajouter(case(portee, *indicateur), r);
        }
    }
}

/// The results part of the overview (JSON contract: docs/apercu.md).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Realisations {
    /// Counted actions with a value measured by the date.
    pub actions_mesurees: u64,
    /// Results on the actions' own indicators, counted but not added up.
    pub resultats_propres: u64,
    /// The whole country, in the catalogue's order.
    pub indicateurs: Vec<LigneIndicateur>,
    pub par_region: Vec<RealisationsRegion>,
    pub par_axe: Vec<RealisationsAxe>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RealisationsRegion {
    pub id: i64,
    pub region: String,
    pub code: Option<String>,
    pub indicateurs: Vec<LigneIndicateur>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RealisationsAxe {
    pub axe: &'static str,
    pub libelle: &'static str,
    pub indicateurs: Vec<LigneIndicateur>,
}

/// One indicator's figures. Values are numbers in the unit (`12.5` km), exact to the unit's
/// step.
#[derive(Debug, Clone, Serialize)]
pub struct LigneIndicateur {
    pub code: &'static str,
    pub libelle: &'static str,
    pub unite: &'static str,
    /// Retired from the catalogue: its records stay counted.
    pub retire: bool,
    pub actions: u64,
    pub actions_mesurees: u64,
    /// The sum of the measured values; null for a percentage (levels do not add up).
    pub valeur: Option<f64>,
    /// For a percentage: the mean of the measured actions' latest levels.
    pub moyenne: Option<f64>,
    /// People only: the women and men of the values that give them.
    pub femmes: Option<u64>,
    pub hommes: Option<u64>,
    /// Women among the women and men given.
    pub part_femmes: Option<f64>,
    pub actions_avec_cible: u64,
    /// Sum of the targets, and what those same actions achieved (null for a percentage).
    pub cible: Option<f64>,
    pub atteint: Option<f64>,
    /// `atteint` / `cible`.
    pub progression: Option<f64>,
    pub cibles_atteintes: u64,
    /// The public actions behind the figure.
    pub lien: String,
}

/// Steps as a number in the unit: 125 tenths of km → 12.5.
fn en_unite(unite: Unite, pas: i64) -> f64 {
    pas as f64 / 10f64.powi(unite.decimales() as i32)
}

/// The line of indicator `rang`, and where its actions are listed (`filtre`: `&zone=…`).
fn ligne(rang: u16, r: &Realise, filtre: &str) -> Option<LigneIndicateur> {
    let i = catalogue().get(usize::from(rang))?;
    let pourcentage = i.unite == Unite::Pourcentage;
    let personnes = i.unite.par_sexe();
    let ventiles = r.femmes + r.hommes;
    let somme = |pas: i64| (!pourcentage).then(|| en_unite(i.unite, pas));
    Some(LigneIndicateur {
        code: &i.code,
        libelle: &i.libelle,
        unite: i.unite.code(),
        retire: i.retire(),
        actions: r.actions.max(0) as u64,
        actions_mesurees: r.mesurees.max(0) as u64,
        valeur: somme(r.valeur),
        moyenne: (pourcentage && r.mesurees > 0)
            .then(|| (en_unite(i.unite, r.valeur) / r.mesurees as f64 * 10.0).round() / 10.0),
        femmes: personnes.then_some(r.femmes.max(0) as u64),
        hommes: personnes.then_some(r.hommes.max(0) as u64),
        part_femmes: (personnes && ventiles > 0)
            .then(|| super::part(r.femmes as u64, ventiles as u64)),
        actions_avec_cible: r.avec_cible.max(0) as u64,
        cible: (r.avec_cible > 0).then(|| somme(r.cible)).flatten(),
        atteint: (r.avec_cible > 0).then(|| somme(r.atteint)).flatten(),
        progression: (!pourcentage && r.cible > 0)
            .then(|| super::part(r.atteint as u64, r.cible as u64)),
        cibles_atteintes: r.cibles_atteintes.max(0) as u64,
        lien: format!("/actions?indicateur={}{filtre}", i.code),
    })
}

/// The lines of the scope of rank `portee`, in the catalogue's order.
fn lignes(sommes: &Sommes, portee: usize, filtre: &str) -> Vec<LigneIndicateur> {
    sommes
        .portee(portee)
        .filter_map(|(i, r)| ligne(i, &r, filtre))
        .collect()
}

/// The results part of the overview from its sums.
pub(super) fn assembler(
    t: &Territoire,
    sommes: &Sommes,
    actions_mesurees: u64,
    resultats_propres: u64,
) -> Realisations {
    let mut par_region: Vec<RealisationsRegion> = (t.regions.iter().enumerate())
        .filter_map(|(rang, r)| {
            let i = t.index.get(r)?;
            let indicateurs = lignes(sommes, AXES + rang, &format!("&zone={r}"));
            (!indicateurs.is_empty()).then(|| RealisationsRegion {
                id: *r,
                region: t.unites[*i].nom.clone(),
                code: t.unites[*i].code.clone(),
                indicateurs,
            })
        })
        .collect();
    par_region.sort_by_cached_key(|r| crate::model::nom::normaliser(&r.region));
    let par_axe = Axe::TOUS
        .iter()
        .map(|axe| RealisationsAxe {
            axe: axe.code(),
            libelle: axe.libelle(),
            indicateurs: lignes(sommes, *axe as usize, &format!("&axe={}", axe.code())),
        })
        .filter(|x| !x.indicateurs.is_empty())
        .collect();
    Realisations {
        actions_mesurees,
        resultats_propres,
        indicateurs: lignes(&sommes.pays(), 0, ""),
        par_region,
        par_axe,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::apercu::MesureLue;
    use time::macros::date;

    fn mesure(fin: Date, valeur: i64, femmes: Option<i64>, hommes: Option<i64>) -> MesureLue {
        MesureLue {
            fin,
            valeur,
            femmes,
            hommes,
        }
    }

    fn rang(code: &str) -> Option<u16> {
        crate::model::rang_au_catalogue(code)
    }

    #[test]
    fn an_action_counts_the_measures_ended_by_the_date() {
        let resultats = vec![
            ResultatLu {
                indicateur: rang("GOU-01"),
                unite: Unite::Personnes,
                cible: Some(40),
                mesures: vec![
                    mesure(date!(2024 - 06 - 30), 12, Some(5), Some(7)),
                    mesure(date!(2024 - 12 - 31), 18, Some(7), Some(11)),
                    mesure(date!(2025 - 06 - 30), 20, None, None),
                ],
            },
            ResultatLu {
                indicateur: rang("GOU-03"),
                unite: Unite::Pourcentage,
                cible: Some(600),
                mesures: vec![
                    mesure(date!(2024 - 12 - 31), 450, None, None),
                    mesure(date!(2023 - 12 - 31), 300, None, None),
                ],
            },
            ResultatLu {
                indicateur: None,
                unite: Unite::Nombre,
                cible: None,
                mesures: vec![],
            },
        ];
        let d = de_l_action(&resultats, date!(2025 - 01 - 01));
        assert!(d.mesuree);
        assert_eq!(d.propres, 1);
        let gou01 = d.par_indicateur[0].1;
        // 12 + 18; the third period ends after the date
        assert_eq!((gou01.valeur, gou01.femmes, gou01.hommes), (30, 12, 18));
        assert_eq!((gou01.avec_cible, gou01.cible, gou01.atteint), (1, 40, 30));
        assert_eq!(gou01.cibles_atteintes, 0);
        // a level: the latest period's, not a sum
        let gou03 = d.par_indicateur[1].1;
        assert_eq!((gou03.valeur, gou03.cibles_atteintes), (450, 0));

        let avant = de_l_action(&resultats, date!(2024 - 01 - 01));
        assert_eq!(avant.par_indicateur[0].1.mesurees, 0);
        assert_eq!(avant.par_indicateur[1].1.valeur, 300);
        assert!(
            de_l_action(&resultats[..1], date!(2024 - 01 - 01)).par_indicateur[0]
                .1
                .actions
                == 1
        );
        assert!(!de_l_action(&resultats[..1], date!(2024 - 01 - 01)).mesuree);
    }

    #[test]
    fn the_same_indicator_twice_is_one_action() {
        let r = |valeur, cible| ResultatLu {
            indicateur: rang("EAU-01"),
            unite: Unite::Nombre,
            cible,
            mesures: vec![mesure(date!(2024 - 01 - 31), valeur, None, None)],
        };
        let d = de_l_action(&[r(3, Some(2)), r(4, None)], date!(2025 - 01 - 01));
        assert_eq!(d.par_indicateur.len(), 1);
        let e = d.par_indicateur[0].1;
        assert_eq!((e.actions, e.mesurees, e.valeur), (1, 1, 7));
        assert_eq!(
            (e.avec_cible, e.cible, e.atteint, e.cibles_atteintes),
            (1, 2, 3, 1)
        );
    }
}
