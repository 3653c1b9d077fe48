//! The collectivités as the overview sees them at a date: every unit's country and level,
//! the Malian units valid at the date (the lines of the zone tables), and each Malian unit's
//! ancestors, so that a place counts for its commune, cercle and région.

use std::collections::HashMap;

use time::Date;

use crate::model::nom::normaliser;
use crate::model::{Niveau, Pays};
use crate::store;
use crate::store::apercu::{self as sql, LigneCollectivite};

/// Grows `v` so that index `i` exists.
pub(super) fn place<T: Clone + Default>(v: &mut Vec<T>, i: i64) -> &mut T {
    let i = i as usize;
    if v.len() <= i {
        v.resize(i + 1, T::default());
    }
    &mut v[i]
}

pub(super) fn lire<T: Copy + Default>(v: &[T], i: i64) -> T {
    v.get(i as usize).copied().unwrap_or_default()
}

pub(super) struct Territoire {
    /// Malian units valid at the date, by normalised name.
    pub unites: Vec<LigneCollectivite>,
    pub index: HashMap<i64, usize>,
    /// Every Malian unit (valid or not) with its ancestors, itself first.
    pub ancetres: HashMap<i64, Vec<i64>>,
    pub region_de: HashMap<i64, i64>,
    /// Every Malian région and the district (valid or not), by id: a région's rank here
    /// numbers its sums of results.
    pub regions: Vec<i64>,
    /// By collectivité id: its country and level (every country).
    pub pays: Vec<Option<Pays>>,
    pub niveau: Vec<Option<Niveau>>,
}

impl Territoire {
    pub fn lire(conn: &rusqlite::Connection, date: Date) -> store::Result<Territoire> {
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
        let parent: HashMap<i64, Option<i64>> =
            maliennes.iter().map(|c| (c.id, c.parent)).collect();
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
        let mut regions: Vec<i64> = maliennes.iter().map(|c| c.id).filter(est_region).collect();
        regions.sort_unstable();
        let mut unites: Vec<LigneCollectivite> = maliennes
            .into_iter()
            .filter(|c| {
                c.valide_du.is_none_or(|d| d <= date) && c.valide_au.is_none_or(|f| f >= date)
            })
            .collect();
        unites.sort_by_cached_key(|c| (normaliser(&c.nom), c.id));
        let index = unites.iter().enumerate().map(|(i, c)| (c.id, i)).collect();
        Ok(Territoire {
            unites,
            index,
            ancetres,
            region_de,
            regions,
            pays,
            niveau,
        })
    }

    /// The unit and its ancestors (empty for a foreign or unknown collectivité).
    pub fn ancetres_de(&self, collectivite: i64) -> &[i64] {
        self.ancetres
            .get(&collectivite)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// The rank of a Malian région or the district in [`Territoire::regions`].
    pub fn rang_region(&self, id: i64) -> Option<usize> {
        self.regions.binary_search(&id).ok()
    }

    /// The name of a unit valid at the date.
    pub fn nom(&self, id: i64) -> Option<String> {
        self.index.get(&id).map(|i| self.unites[*i].nom.clone())
    }

    /// What a partenariat's parties say: its foreign countries, the Malian units it counts
    /// for (each party and its ancestors, once), and the levels on each side.
    pub fn parties(&self, parties: &[i64]) -> LectureParties {
        let mut l = LectureParties::default();
        for c in parties {
            let (Some(pays_c), Some(niveau_c)) = (lire(&self.pays, *c), lire(&self.niveau, *c))
            else {
                continue;
            };
            if pays_c.est_mali() {
                l.maliens.push(niveau_c);
                l.unites.extend_from_slice(self.ancetres_de(*c));
            } else {
                l.etrangers.push(niveau_c);
                l.pays.push(pays_c);
            }
        }
        l.pays.sort_unstable();
        l.pays.dedup();
        l.unites.sort_unstable();
        l.unites.dedup();
        l
    }
}

/// See [`Territoire::parties`].
#[derive(Default)]
pub(super) struct LectureParties {
    pub pays: Vec<Pays>,
    pub unites: Vec<i64>,
    pub maliens: Vec<Niveau>,
    pub etrangers: Vec<Niveau>,
}
