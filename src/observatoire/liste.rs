//! The public list of partenariats at today's date, kept in memory beside the overview.
//!
//! Its filters and orders need, for each public partenariat, the étape reached today and
//! the money it mobilises: SQL computed them with a subquery per row, so every view of
//! `/partenariats` read the whole registry (0.4 s to 9 s at 100,000 partenariats). Here each
//! public partenariat has a line, and each order is a sorted set of those lines, changed
//! line by line when a partenariat changes (the overview's versions, `agregats`). A view
//! walks one set in order and keeps the lines its filters accept. The SQL list
//! (`store::partenariat::PartenariatQuery::lister`) stays the definition: the tests compare
//! both after every kind of write.

use std::cmp::Reverse;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use time::Date;

use super::Taux;
use super::conversion::Somme;
use super::territoire::Territoire;
use crate::model::{Etape, Pays, StatutPartenariat, TypeFinancement};
use crate::store::apercu::Dossier;
use crate::store::partenariat::{FiltreEtape, PartenariatQuery, TriPartenariats};

/// What the list reads of one public partenariat.
#[derive(Debug, Clone)]
pub(super) struct Ligne {
    titre: Arc<str>,
    statut: StatutPartenariat,
    /// The étape reached at the date, and since when.
    etape: Option<(Etape, Date)>,
    pays: Vec<Pays>,
    /// Its Malian parties and their ancestors.
    unites: Vec<i64>,
    /// The larger of its converted commitments and disbursements (`MOBILISE` in SQL).
    mobilise: Option<Somme>,
}

impl Ligne {
    /// The line of a partenariat, `None` when it is not public.
    pub(super) fn de(d: &Dossier, t: &Territoire, taux: &Taux, date: Date) -> Option<Ligne> {
        let p = d.partenariat.as_ref()?;
        let etape = d
            .etapes
            .iter()
            .rev()
            .find(|(_, depuis)| *depuis <= date)
            .copied();
        let lecture = t.parties(&d.parties);
        let (mut engagements, mut decaissements) = (None::<Somme>, None::<Somme>);
        for f in d.actions.iter().flat_map(|a| &a.financements) {
            let Some(m) = taux.convertir(f.unites_mineures, f.devise, f.annee) else {
                continue;
            };
            let total = match f.type_financement {
                TypeFinancement::Engagement => &mut engagements,
                TypeFinancement::Decaissement => &mut decaissements,
            };
            *total = Some(total.map_or(m, |t| t + m));
        }
        Some(Ligne {
            titre: Arc::from(p.titre_tri.as_str()),
            statut: p.statut,
            etape,
            pays: lecture.pays,
            unites: lecture.unites,
            mobilise: engagements.max(decaissements),
        })
    }

    fn accepte(&self, q: &PartenariatQuery, textes: Option<&HashSet<i64>>, id: i64) -> bool {
        q.pays.is_none_or(|p| self.pays.contains(&p))
            && q.zone.is_none_or(|z| self.unites.contains(&z.0))
            && q.statut.is_none_or(|s| self.statut == s)
            && q.etape
                .is_none_or(|e| etape_acceptee(e, self.etape.map(|(e, _)| e)))
            && textes.is_none_or(|ids| ids.contains(&id))
    }
}

/// Whether the étape filter `filtre` accepts a partenariat that reached `etape` today.
fn etape_acceptee(filtre: FiltreEtape, etape: Option<Etape>) -> bool {
    match filtre {
        FiltreEtape::Atteinte(e) => etape == Some(e),
        FiltreEtape::NonRenseignee => etape.is_none(),
    }
}

/// What the filters read of a line, packed and stored by id: a walk of 100,000 lines that
/// looked each one up in a hash map and followed its vectors spent 30 ms in cache misses.
#[derive(Clone, Copy, Default)]
struct Filtrable {
    present: bool,
    /// The countries and units below are all the line's: else read the line itself.
    complet: bool,
    statut: Option<StatutPartenariat>,
    etape: Option<Etape>,
    pays: [Option<Pays>; 3],
    unites: [u32; 8],
}

impl Filtrable {
    fn de(l: &Ligne) -> Filtrable {
        let mut f = Filtrable {
            present: true,
            complet: l.pays.len() <= 3 && l.unites.len() <= 8,
            statut: Some(l.statut),
            etape: l.etape.map(|(e, _)| e),
            ..Filtrable::default()
        };
        for (place, p) in f.pays.iter_mut().zip(&l.pays) {
            *place = Some(*p);
        }
        for (place, u) in f.unites.iter_mut().zip(&l.unites) {
            *place = u32::try_from(*u).unwrap_or(0);
        }
        f.complet &= l
            .unites
            .iter()
            .all(|u| u32::try_from(*u).is_ok_and(|u| u > 0));
        f
    }

    /// Whether `q`'s filters (but the text) accept the line: `None` when only the line knows.
    fn accepte(&self, q: &PartenariatQuery) -> Option<bool> {
        if !self.complet {
            return None;
        }
        let zone = match q.zone {
            None => true,
            Some(z) => u32::try_from(z.0).is_ok_and(|z| self.unites.contains(&z)),
        };
        Some(
            zone && q.pays.is_none_or(|p| self.pays.contains(&Some(p)))
                && q.statut.is_none_or(|s| self.statut == Some(s))
                && q.etape.is_none_or(|e| etape_acceptee(e, self.etape)),
        )
    }
}

/// A key of a sorted set: unknown values last, then the value in the set's direction, then
/// the title and the id (the SQL list's `ORDER BY`).
type Cle<V> = (bool, Option<V>, Arc<str>, i64);

fn cle<V>(valeur: Option<V>, l: &Ligne, id: i64) -> Cle<V> {
    (valeur.is_none(), valeur, l.titre.clone(), id)
}

/// A partenariat of a page, with the étape it reached and since when.
pub(super) type Trouve = (i64, Option<(Etape, Date)>);

/// Every public line, and each order of the list as a set kept sorted.
#[derive(Default)]
pub(super) struct Liste {
    lignes: HashMap<i64, Ligne>,
    /// By id.
    filtrables: Vec<Filtrable>,
    par_nom: BTreeSet<(Arc<str>, i64)>,
    par_etape: BTreeSet<Cle<u8>>,
    par_etape_dec: BTreeSet<Cle<Reverse<u8>>>,
    par_date: BTreeSet<Cle<Date>>,
    par_date_dec: BTreeSet<Cle<Reverse<Date>>>,
    par_montant: BTreeSet<Cle<Somme>>,
    par_montant_dec: BTreeSet<Cle<Reverse<Somme>>>,
}

fn rang(l: &Ligne) -> Option<u8> {
    l.etape.map(|(e, _)| e as u8)
}

impl Liste {
    /// Sets the line of partenariat `id` (`None`: it is no longer public).
    pub(super) fn remplacer(&mut self, id: i64, ligne: Option<Ligne>) {
        *super::territoire::place(&mut self.filtrables, id) =
            ligne.as_ref().map(Filtrable::de).unwrap_or_default();
        if let Some(l) = self.lignes.remove(&id) {
            self.par_nom.remove(&(l.titre.clone(), id));
            self.par_etape.remove(&cle(rang(&l), &l, id));
            self.par_etape_dec
                .remove(&cle(rang(&l).map(Reverse), &l, id));
            self.par_date.remove(&cle(l.etape.map(|e| e.1), &l, id));
            self.par_date_dec
                .remove(&cle(l.etape.map(|e| Reverse(e.1)), &l, id));
            self.par_montant.remove(&cle(l.mobilise, &l, id));
            self.par_montant_dec
                .remove(&cle(l.mobilise.map(Reverse), &l, id));
        }
        if let Some(l) = ligne {
            self.par_nom.insert((l.titre.clone(), id));
            self.par_etape.insert(cle(rang(&l), &l, id));
            self.par_etape_dec
                .insert(cle(rang(&l).map(Reverse), &l, id));
            self.par_date.insert(cle(l.etape.map(|e| e.1), &l, id));
            self.par_date_dec
                .insert(cle(l.etape.map(|e| Reverse(e.1)), &l, id));
            self.par_montant.insert(cle(l.mobilise, &l, id));
            self.par_montant_dec
                .insert(cle(l.mobilise.map(Reverse), &l, id));
            self.lignes.insert(id, l);
        }
    }

    /// The ids in the order `tri`.
    fn ordre(&self, tri: TriPartenariats) -> Box<dyn Iterator<Item = i64> + '_> {
        fn ids<V>(set: &BTreeSet<Cle<V>>) -> Box<dyn Iterator<Item = i64> + '_> {
            Box::new(set.iter().map(|k| k.3))
        }
        match tri {
            TriPartenariats::NomCroissant => Box::new(self.par_nom.iter().map(|k| k.1)),
            TriPartenariats::NomDecroissant => Box::new(self.par_nom.iter().rev().map(|k| k.1)),
            TriPartenariats::EtapeCroissante => ids(&self.par_etape),
            TriPartenariats::EtapeDecroissante => ids(&self.par_etape_dec),
            TriPartenariats::DateCroissante => ids(&self.par_date),
            TriPartenariats::DateDecroissante => ids(&self.par_date_dec),
            TriPartenariats::MontantCroissant => ids(&self.par_montant),
            TriPartenariats::MontantDecroissant => ids(&self.par_montant_dec),
        }
    }

    /// How many lines `q`'s filters accept (and `textes`, the ids the text search found,
    /// when there was one), and those of `q`'s page in `q`'s order, each with the étape
    /// reached and since when.
    pub(super) fn page(
        &self,
        q: &PartenariatQuery,
        textes: Option<&HashSet<i64>>,
    ) -> (u64, Vec<Trouve>) {
        let debut = q.page.offset().max(0) as u64;
        let fin = debut + q.page.limit().max(0) as u64;
        let sans_filtre = q.pays.is_none()
            && q.zone.is_none()
            && q.statut.is_none()
            && q.etape.is_none()
            && textes.is_none();
        let etape = |id: i64| self.lignes.get(&id).and_then(|l| l.etape);
        if sans_filtre {
            let elements = self
                .ordre(q.tri)
                .skip(debut as usize)
                .take((fin - debut) as usize)
                .map(|id| (id, etape(id)))
                .collect();
            return (self.lignes.len() as u64, elements);
        }
        let mut total = 0;
        let mut elements = Vec::new();
        for id in self.ordre(q.tri) {
            let f = super::territoire::lire(&self.filtrables, id);
            let accepte = match f.accepte(q) {
                Some(oui) => oui && textes.is_none_or(|ids| ids.contains(&id)),
                None => self
                    .lignes
                    .get(&id)
                    .is_some_and(|l| l.accepte(q, textes, id)),
            };
            if !f.present || !accepte {
                continue;
            }
            if (debut..fin).contains(&total) {
                elements.push((id, etape(id)));
            }
            total += 1;
        }
        (total, elements)
    }
}
