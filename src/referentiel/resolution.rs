//! Finding collectivités from the names people actually write: « Ille –et vilaine »,
//! « Région Nord-Pas -de Calais », « Evry », « YELIMANE », « Mopti Cercle », « Mairie de
//! Kita », « Commune V de Bamako », « Banikane (Niafunké) », « Communauté urbaine
//! d'Alençon », « Motpi » — and the villages of Mali: « Worofara » is a localité of the
//! commune of Sanankoro Djitoumou.
//!
//! The whole référentiel (some 40,000 collectivités and 18,769 localités) is indexed in
//! memory once. A query is read in a few ways (`lecture`: the words around the name set
//! aside); each reading is looked up — exact and normalised names, former names and
//! intercommunalities without their legal form in hash maps, prefixes in a sorted list,
//! typos through the indexes of `flou` — and a reading that names a parent keeps the units
//! inside it. Collectivités and localités have indexes of their own, so that the villages
//! never crowd a collectivité out of the few prefix and typo candidates kept, and a sure
//! collectivité always ranks before a localité of the same name.

use std::collections::HashMap;

use serde::Serialize;

use super::flou::IndexFlou;
use super::lecture::{self, Index, Lecture};
use crate::model::nom::normaliser;
use crate::model::{Code, CodeInconnu, Collectivite, Localite, Niveau, Pays};

/// One unit as the resolver sees it: the collectivité, its parent's name, its former names
/// and its successors. It reads as a [`Collectivite`] (`unite.nom`, `unite.actuelle()`).
#[derive(Debug, Clone)]
pub struct UniteConnue {
    pub collectivite: Collectivite,
    pub parent_nom: Option<String>,
    /// Former names that now lead to this unit (a merged commune's name, for instance).
    pub anciens_noms: Vec<String>,
    /// The units that replaced this one, as indices into the same list.
    pub successeurs: Vec<usize>,
}

impl std::ops::Deref for UniteConnue {
    type Target = Collectivite;
    fn deref(&self) -> &Collectivite {
        &self.collectivite
    }
}

/// Why a candidate was proposed, from the most to the least certain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Raison {
    /// The name exactly as written.
    Exact,
    /// The same name once case, accents, punctuation and the words around it (a level, an
    /// institution, a legal form, a parent) are set aside.
    Normalised,
    /// A former name of the unit.
    FormerName,
    /// The text is the beginning of the name.
    Prefix,
    /// A name within a few typing errors.
    Fuzzy,
}

impl Raison {
    /// In French, for the terminal and the web.
    pub fn libelle(self) -> &'static str {
        match self {
            Raison::Exact => "nom exact",
            Raison::Normalised => "nom normalisé",
            Raison::FormerName => "ancien nom",
            Raison::Prefix => "début du nom",
            Raison::Fuzzy => "nom approchant",
        }
    }
}

/// What to look for.
#[derive(Debug, Clone)]
pub struct Requete {
    pub texte: String,
    /// Only units of this country (a localité is in Mali).
    pub pays: Option<Pays>,
    /// Which places: collectivités and localités, or one kind, or one level.
    pub portee: Portee,
    pub limite: usize,
}

/// Which places a query looks for. A caller that picks a collectivité (a party, an imported
/// name) asks for [`Portee::Collectivites`], so that a village is never taken for one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Portee {
    /// Collectivités, then localités: for a person who reads the list.
    Tout,
    /// Collectivités of every level, no localité.
    Collectivites,
    /// Collectivités of this level only.
    Niveau(Niveau),
    /// Localités only.
    Localites,
}

impl Portee {
    /// The code of the localités where a level's code is expected (`--level localite`,
    /// `niveau=localite`).
    pub const LOCALITE: &str = "localite";

    /// Reads a level's code, or [`Portee::LOCALITE`].
    pub fn depuis_code(code: &str) -> Result<Portee, CodeInconnu> {
        if code == Self::LOCALITE {
            return Ok(Portee::Localites);
        }
        Niveau::depuis_code(code)
            .map(Portee::Niveau)
            .map_err(|mut e| {
                e.attendus.push(Self::LOCALITE);
                e
            })
    }

    /// The portée of an optional level: every collectivité when none is given.
    pub fn collectivites(niveau: Option<Niveau>) -> Portee {
        niveau.map_or(Portee::Collectivites, Portee::Niveau)
    }

    /// Whether a place of this level (`None`: a localité) is looked for.
    fn admet(self, niveau: Option<Niveau>) -> bool {
        match self {
            Portee::Tout => true,
            Portee::Collectivites => niveau.is_some(),
            Portee::Niveau(n) => niveau == Some(n),
            Portee::Localites => niveau.is_none(),
        }
    }
}

/// A query that cannot be run, with what to do instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequeteInvalide {
    #[error("le nom à chercher est vide : tapez au moins une lettre")]
    Vide,
    #[error("le nom à chercher dépasse {0} caractères : tapez le nom seul")]
    TropLong(usize),
    #[error("le nom à chercher contient un caractère de contrôle (position {0}) : retirez-le")]
    Controle(usize),
    #[error("la limite doit être comprise entre 1 et {0}")]
    Limite(usize),
}

/// One proposed place: a collectivité, or a localité in its collectivité.
#[derive(Debug, Clone)]
pub struct Candidat<'a> {
    /// The collectivité proposed; for a localité, the one it lies in (its commune).
    pub unite: &'a UniteConnue,
    /// The localité proposed, if the candidate is one.
    pub localite: Option<&'a Localite>,
    /// From 0 to 1.
    pub score: f64,
    pub raison: Raison,
    /// Whether the unit's level is the one the text named (« Région de Kayes »); for a
    /// localité, whether the text named no level.
    pub niveau_attendu: bool,
    /// The current units it leads to, through successor links (itself when current).
    pub successeurs_actuels: Vec<&'a UniteConnue>,
    /// The collectivités it lies in, nearest first: a commune's cercle and région; a
    /// localité's commune (`unite`), cercle and région.
    pub dans: Vec<&'a UniteConnue>,
}

impl Candidat<'_> {
    /// Whether two candidates are equally plausible: same score, same fit to the level
    /// named, same kind of place (a village never makes its commune ambiguous).
    pub fn ex_aequo(&self, autre: &Candidat<'_>) -> bool {
        self.score == autre.score
            && self.niveau_attendu == autre.niveau_attendu
            && self.localite.is_some() == autre.localite.is_some()
    }

    /// The name proposed: the localité's, or the collectivité's.
    pub fn nom(&self) -> &str {
        self.localite.map_or(&self.unite.nom, |l| &l.nom)
    }
}

/// The ranked candidates, best first.
#[derive(Debug, Clone)]
pub struct Resolution<'a> {
    pub candidats: Vec<Candidat<'a>>,
    /// Several candidates are equally plausible: a human has to choose. Villages of one
    /// name in the same commune are one choice: they lead to the same commune.
    pub ambigu: bool,
}

const LONGUEUR_MAX: usize = 200;
const LIMITE_MAX: usize = 100;
/// From this score up a candidate is a sure reading of the text (an exact, normalised or
/// former name), below it a guess (a prefix, a typo, a name whose given parent does not
/// hold it): what an import may link without asking.
pub const SCORE_SUR: f64 = 0.9;
/// The score of a name read the same once case, accents, punctuation and the words around
/// it are set aside.
const SCORE_NORMALISE: f64 = 0.95;
/// What a unit's score is multiplied by when the text places it in a parent that is surely
/// named (« Banikane (Kidal) ») and does not hold it: still proposed, no longer sure.
const HORS_DU_PARENT: f64 = 0.8;
/// The score of an intercommunality found without its legal form: below the normalised
/// name, so that « Grand-Couronne » stays the commune of that name.
const SCORE_INTERCOMMUNALE: f64 = 0.93;
/// How far up a unit's ancestors a parent named in the query is looked for.
const PROFONDEUR_MAX: usize = 8;

/// The names of one kind of place — collectivités or localités — and the indexes that find
/// them. Places are numbered from `debut` in the resolver's numbering.
struct Noms {
    debut: u32,
    par_nom: HashMap<String, Vec<u32>>,
    /// (normalised name, place), sorted, for prefixes.
    tries: Vec<(String, u32)>,
    flou: IndexFlou,
}

impl Noms {
    /// Indexes `normalises`, the names of places `debut`, `debut + 1`…
    fn new(normalises: &[String], debut: u32) -> Noms {
        let mut par_nom: HashMap<String, Vec<u32>> = HashMap::new();
        let mut tries = Vec::with_capacity(normalises.len());
        for (i, nom) in (debut..).zip(normalises) {
            par_nom.entry(nom.clone()).or_default().push(i);
            tries.push((nom.clone(), i));
        }
        tries.sort_unstable();
        Noms {
            debut,
            par_nom,
            tries,
            flou: IndexFlou::new(normalises),
        }
    }

    /// The places named `nom`, or beginning with it, or (`flou`) a few typos away; `exact`
    /// tells a name as written from a normalised one. `normalises` are this kind's names.
    fn chercher(
        &self,
        nom: &str,
        flou: bool,
        normalises: &[String],
        exact: impl Fn(u32) -> bool,
        trouves: &mut Vec<(u32, f64, Raison)>,
    ) {
        for &i in self.par_nom.get(nom).into_iter().flatten() {
            if exact(i) {
                trouves.push((i, 1.0, Raison::Exact));
            } else {
                trouves.push((i, SCORE_NORMALISE, Raison::Normalised));
            }
        }
        if nom.chars().count() >= 3 {
            let debut = self.tries.partition_point(|(n, _)| n.as_str() < nom);
            for (n, i) in self.tries[debut..]
                .iter()
                .take_while(|(n, _)| n.starts_with(nom))
                .take(200)
            {
                let part = nom.len() as f64 / n.len() as f64;
                trouves.push((*i, 0.6 + 0.25 * part, Raison::Prefix));
            }
        }
        if flou {
            for (i, similarite) in self.flou.candidats(nom, normalises) {
                trouves.push((self.debut + i, 0.85 * similarite, Raison::Fuzzy));
            }
        }
    }
}

/// The in-memory index of every known place. Places are numbered: the collectivités
/// (`unites`) first, then the localités.
pub struct Resolveur {
    unites: Vec<UniteConnue>,
    /// Each with the index of its collectivité in `unites`.
    localites: Vec<(Localite, u32)>,
    /// Every place's normalised name, in the numbering.
    normalises: Vec<String>,
    /// Each collectivité's parent, as an index into `unites`.
    parents: Vec<Option<u32>>,
    collectivites: Noms,
    noms_localites: Noms,
    par_ancien_nom: HashMap<String, Vec<u32>>,
    /// Intercommunalities by their name without legal form (`lecture::cles_intercommunales`).
    par_cle_intercommunale: HashMap<String, Vec<u32>>,
    /// Localités by P-code, as positions in `localites`.
    par_pcode: HashMap<String, u32>,
}

impl Resolveur {
    /// Indexes `unites` and `localites`; the `successeurs` of the units must point inside
    /// the same list, and a localité whose collectivité is not in it is left out.
    pub fn new(unites: Vec<UniteConnue>, localites: Vec<Localite>) -> Resolveur {
        let position: HashMap<_, u32> = unites
            .iter()
            .enumerate()
            .map(|(i, u)| (u.id, i as u32))
            .collect();
        let parents = unites
            .iter()
            .map(|u| u.parent.and_then(|p| position.get(&p).copied()))
            .collect();
        let localites: Vec<(Localite, u32)> = localites
            .into_iter()
            .filter_map(|l| {
                let dans = *position.get(&l.collectivite)?;
                Some((l, dans))
            })
            .collect();
        let normalises: Vec<String> = unites
            .iter()
            .map(|u| normaliser(&u.nom))
            .chain(localites.iter().map(|(l, _)| normaliser(&l.nom)))
            .collect();
        let n = unites.len();
        let mut par_ancien_nom: HashMap<String, Vec<u32>> = HashMap::new();
        let mut par_cle_intercommunale: HashMap<String, Vec<u32>> = HashMap::new();
        for (i, (unite, nom)) in unites.iter().zip(&normalises).enumerate() {
            let i = i as u32;
            for ancien in &unite.anciens_noms {
                par_ancien_nom
                    .entry(normaliser(ancien))
                    .or_default()
                    .push(i);
            }
            if matches!(unite.niveau, Niveau::Epci | Niveau::Metropole) {
                let (cles, _) = lecture::cles_intercommunales(nom, true).unwrap_or_default();
                for cle in cles {
                    par_cle_intercommunale.entry(cle).or_default().push(i);
                }
            }
        }
        let par_pcode = (0..)
            .zip(&localites)
            .map(|(k, (l, _))| (l.pcode.clone(), k))
            .collect();
        Resolveur {
            par_pcode,
            collectivites: Noms::new(&normalises[..n], 0),
            noms_localites: Noms::new(&normalises[n..], n as u32),
            unites,
            localites,
            normalises,
            parents,
            par_ancien_nom,
            par_cle_intercommunale,
        }
    }

    /// How many places are indexed, collectivités and localités.
    pub fn len(&self) -> usize {
        self.normalises.len()
    }

    pub fn is_empty(&self) -> bool {
        self.normalises.is_empty()
    }

    /// Entries of the deletion indexes, for the test that keeps them small.
    #[cfg(test)]
    pub(super) fn taille_index_flou(&self) -> usize {
        self.collectivites.flou.taille_effacements() + self.noms_localites.flou.taille_effacements()
    }

    /// The localité of this P-code, with the collectivités it lies in (nearest first: its
    /// commune, cercle and région).
    pub fn par_pcode(&self, pcode: &str) -> Option<(&Localite, Vec<&UniteConnue>)> {
        let k = *self.par_pcode.get(pcode)?;
        let i = self.unites.len() as u32 + k;
        Some((&self.localites[k as usize].0, self.dans(i)))
    }

    /// The localité numbered `i`, if it is one.
    fn localite(&self, i: u32) -> Option<&(Localite, u32)> {
        (i as usize)
            .checked_sub(self.unites.len())
            .map(|k| &self.localites[k])
    }

    /// The collectivité numbered `i`, or the one localité `i` lies in.
    fn unite(&self, i: u32) -> &UniteConnue {
        match self.localite(i) {
            Some((_, dans)) => &self.unites[*dans as usize],
            None => &self.unites[i as usize],
        }
    }

    /// The parent of place `i`: a collectivité's parent, a localité's collectivité.
    fn parent(&self, i: u32) -> Option<u32> {
        match self.localite(i) {
            Some((_, dans)) => Some(*dans),
            None => self.parents[i as usize],
        }
    }

    /// The collectivités place `i` lies in, nearest first.
    fn dans(&self, i: u32) -> Vec<&UniteConnue> {
        let mut dans = Vec::new();
        let mut parent = self.parent(i);
        while let Some(p) = parent.filter(|_| dans.len() < PROFONDEUR_MAX) {
            dans.push(&self.unites[p as usize]);
            parent = self.parents[p as usize];
        }
        dans
    }

    /// Ranks the units that `requete` may name, best first; an empty list when nothing is
    /// close enough.
    pub fn resoudre(&self, requete: &Requete) -> Result<Resolution<'_>, RequeteInvalide> {
        let texte = verifier(requete)?;
        let lectures = lecture::lectures(texte);
        let indice_niveau = lectures.iter().find_map(|l| l.niveau);
        let texte_plie = texte.split_whitespace().collect::<Vec<_>>().join(" ");
        let avec_localites = requete.portee.admet(None);
        let mut trouves = self.trouver(&lectures, Some(&texte_plie), avec_localites);
        if avec_localites {
            self.par_le_chef_lieu(&mut trouves);
        }

        let mut candidats: Vec<(u32, Candidat<'_>)> = trouves
            .into_iter()
            .map(|(i, (score, raison))| (i, self.unite(i), score, raison))
            .filter(|(_, u, ..)| requete.pays.is_none_or(|p| u.pays == p))
            .map(|(i, unite, score, raison)| {
                let localite = self.localite(i).map(|(l, _)| l);
                let niveau = localite.is_none().then_some(unite.niveau);
                (i, unite, localite, niveau, score, raison)
            })
            .filter(|(.., niveau, _, _)| requete.portee.admet(*niveau))
            .map(|(i, unite, localite, niveau, score, raison)| {
                let candidat = Candidat {
                    unite,
                    localite,
                    score: (score * 1000.0).round() / 1000.0,
                    raison,
                    niveau_attendu: indice_niveau == niveau || indice_niveau.is_none(),
                    successeurs_actuels: self.actuels(unite),
                    dans: Vec::new(),
                };
                (i, candidat)
            })
            .collect();
        candidats.sort_by(|(_, a), (_, b)| ordre(a, b));
        // villages of one name in one commune (the gazetteer lists a commune's seat again
        // beside the village) lead to the same place: no choice to make
        let ambigu = candidats.first().is_some_and(|(_, premier)| {
            candidats[1..]
                .iter()
                .take_while(|(_, c)| c.ex_aequo(premier))
                .any(|(_, c)| c.localite.is_none() || c.unite.id != premier.unite.id)
        });
        candidats.truncate(requete.limite);
        let candidats = candidats
            .into_iter()
            .map(|(i, c)| Candidat {
                dans: self.dans(i),
                ..c
            })
            .collect();
        Ok(Resolution { candidats, ambigu })
    }

    /// The best (score, reason) of each unit over every reading. A reading that names a
    /// parent keeps only the units inside it, when there are any. Otherwise it keeps them
    /// all: as they are when the parent is no sure name (« Kita (Mali) », where « Mali »
    /// only begins commune names), no longer sure when it is one (« Banikane (Kidal) »).
    /// `texte_plie`, the text as typed, tells an exact name from a normalised one; the
    /// localités are looked up only `avec_localites`, so that a village the query does not
    /// want never decides what lies in the parent.
    fn trouver(
        &self,
        lectures: &[Lecture],
        texte_plie: Option<&str>,
        avec_localites: bool,
    ) -> HashMap<u32, (f64, Raison)> {
        let mut trouves: HashMap<u32, (f64, Raison)> = HashMap::new();
        for lecture in lectures {
            let mut de_la_lecture = self.chercher(lecture, texte_plie, avec_localites);
            if let Some(parent) = &lecture.parent {
                let (parents, sur) = self.parents_possibles(parent);
                let dedans = |i: &u32| self.est_dans(*i, &parents);
                if de_la_lecture.iter().any(|(i, ..)| dedans(i)) {
                    de_la_lecture.retain(|(i, ..)| dedans(i));
                } else if sur {
                    // an intercommunality has no parent in the référentiel: nothing says
                    // where it lies, so nothing contradicts it; a région named with a
                    // parent that is another unit (« Gao, Kidal, Mopti ») is contradicted
                    // (a localité, indexed after the collectivités, always has a commune)
                    for (i, score, _) in &mut de_la_lecture {
                        let intercommunalite = self
                            .unites
                            .get(*i as usize)
                            .is_some_and(|u| matches!(u.niveau, Niveau::Epci | Niveau::Metropole));
                        if !intercommunalite {
                            *score *= HORS_DU_PARENT;
                        }
                    }
                }
            }
            for (i, score, raison) in de_la_lecture {
                let entree = trouves.entry(i).or_insert((score, raison));
                if score > entree.0 {
                    *entree = (score, raison);
                }
            }
        }
        trouves
    }

    /// A village surely named that bears the beginning of its own commune's name is the
    /// commune's seat, by which people name the commune: « Baye » for Baye Kéniéba (whose
    /// source added the cercle's name), « Banikane » for Banikane Narhawa. Such a commune,
    /// found only as a prefix, becomes as sure as its village, and ranks before it.
    fn par_le_chef_lieu(&self, trouves: &mut HashMap<u32, (f64, Raison)>) {
        let chefs_lieux: Vec<(u32, f64)> = trouves
            .iter()
            .filter(|(_, (score, _))| *score >= SCORE_SUR)
            .filter_map(|(&i, &(score, _))| Some((self.localite(i)?.1, score)))
            .collect();
        for (commune, score) in chefs_lieux {
            if let Some(trouve) = trouves.get_mut(&commune)
                && trouve.1 == Raison::Prefix
            {
                *trouve = (score.min(SCORE_NORMALISE), Raison::Normalised);
            }
        }
    }

    /// The places one reading finds, with their score and reason.
    fn chercher(
        &self,
        lecture: &Lecture,
        texte_plie: Option<&str>,
        avec_localites: bool,
    ) -> Vec<(u32, f64, Raison)> {
        let nom = lecture.nom.as_str();
        let mut trouves = Vec::new();
        if lecture.index == Index::Intercommunalites {
            for &i in self.par_cle_intercommunale.get(nom).into_iter().flatten() {
                trouves.push((i, SCORE_INTERCOMMUNALE, Raison::Normalised));
            }
            return trouves;
        }
        let n = self.unites.len();
        let exact = |i: u32| {
            let nom = match self.localite(i) {
                Some((l, _)) => &l.nom,
                None => &self.unites[i as usize].nom,
            };
            texte_plie == Some(nom.as_str())
        };
        let (collectivites, localites) = self.normalises.split_at(n);
        self.collectivites
            .chercher(nom, lecture.flou, collectivites, exact, &mut trouves);
        for &i in self.par_ancien_nom.get(nom).into_iter().flatten() {
            trouves.push((i, 0.9, Raison::FormerName));
        }
        if avec_localites {
            self.noms_localites
                .chercher(nom, lecture.flou, localites, exact, &mut trouves);
        }
        trouves
    }

    /// The units a parent's text most plausibly names: those of the best score and level
    /// fit (« kayes »: the région, the cercle and the commune; « cercle de kenieba »: the
    /// cercle), and whether that score is sure. Typos count: « Niafunké » names Niafounké.
    fn parents_possibles(&self, parent: &str) -> (Vec<u32>, bool) {
        let lectures = lecture::lectures_du_nom(parent, None);
        let indice_niveau = lectures.iter().find_map(|l| l.niveau);
        let rang = |i: u32, score: f64| {
            let niveau = self.unites[i as usize].niveau;
            (score, indice_niveau.is_none_or(|n| niveau == n))
        };
        // a localité holds nothing: only collectivités are parents
        let trouves: Vec<(u32, (f64, bool))> = self
            .trouver(&lectures, None, false)
            .into_iter()
            .map(|(i, (score, _))| (i, rang(i, score)))
            .collect();
        let Some(meilleur) = trouves
            .iter()
            .map(|(_, r)| *r)
            .max_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)))
        else {
            return (Vec::new(), false);
        };
        let parents = trouves
            .into_iter()
            .filter(|(_, r)| *r == meilleur)
            .map(|(i, _)| i)
            .collect();
        (parents, meilleur.0 >= SCORE_SUR)
    }

    /// Whether one of `ancetres` holds place `i`, at any depth.
    fn est_dans(&self, i: u32, ancetres: &[u32]) -> bool {
        let mut parent = self.parent(i);
        for _ in 0..PROFONDEUR_MAX {
            match parent {
                Some(p) if ancetres.contains(&p) => return true,
                Some(p) => parent = self.parents[p as usize],
                None => return false,
            }
        }
        false
    }

    /// The current units `unite` leads to (itself if current), following successor links.
    fn actuels<'a>(&'a self, unite: &'a UniteConnue) -> Vec<&'a UniteConnue> {
        let mut resultat: Vec<&UniteConnue> = Vec::new();
        let mut a_voir = vec![unite];
        let mut vus = 0;
        while let Some(u) = a_voir.pop() {
            vus += 1;
            if u.actuelle() {
                if !resultat.iter().any(|r| r.id == u.id) {
                    resultat.push(u);
                }
            } else if vus < 50 {
                a_voir.extend(u.successeurs.iter().map(|&s| &self.unites[s]));
            }
        }
        resultat
    }
}

/// The ranking: a sure reading first (exact, normalised or former name), and among them
/// every collectivité before any localité; then by score (a guess, a collectivité before a
/// localité of the same score) and fit to the level named; homonymous collectivités by
/// population, current ones first; homonymous localités (the gazetteer gives no
/// population) by the name of their commune.
fn ordre(a: &Candidat<'_>, b: &Candidat<'_>) -> std::cmp::Ordering {
    let sur = |c: &Candidat<'_>| c.score >= SCORE_SUR;
    let localite_sure = |c: &Candidat<'_>| sur(c) && c.localite.is_some();
    let localites = || match (a.localite, b.localite) {
        (Some(a), Some(b)) => (&a.nom, &a.pcode).cmp(&(&b.nom, &b.pcode)),
        _ => std::cmp::Ordering::Equal,
    };
    sur(b)
        .cmp(&sur(a))
        .then(localite_sure(a).cmp(&localite_sure(b)))
        .then(b.score.total_cmp(&a.score))
        .then(a.localite.is_some().cmp(&b.localite.is_some()))
        .then(b.niveau_attendu.cmp(&a.niveau_attendu))
        .then(population(b).cmp(&population(a)))
        .then(b.unite.actuelle().cmp(&a.unite.actuelle()))
        .then(a.unite.nom.cmp(&b.unite.nom))
        .then(a.unite.id.cmp(&b.unite.id))
        .then_with(localites)
}

/// A collectivité's weight for ranking homonyms; a former unit weighs what its successors
/// do. A localité weighs nothing of its own.
fn population(c: &Candidat<'_>) -> u64 {
    if c.localite.is_some() {
        return 0;
    }
    c.unite.population.unwrap_or_else(|| {
        c.successeurs_actuels
            .iter()
            .filter_map(|u| u.population)
            .max()
            .unwrap_or(0)
    })
}

fn verifier(requete: &Requete) -> Result<&str, RequeteInvalide> {
    if !(1..=LIMITE_MAX).contains(&requete.limite) {
        return Err(RequeteInvalide::Limite(LIMITE_MAX));
    }
    let texte = requete.texte.trim();
    if let Some(position) = texte.chars().position(char::is_control) {
        return Err(RequeteInvalide::Controle(position + 1));
    }
    if texte.chars().count() > LONGUEUR_MAX {
        return Err(RequeteInvalide::TropLong(LONGUEUR_MAX));
    }
    if normaliser(texte).is_empty() {
        return Err(RequeteInvalide::Vide);
    }
    Ok(texte)
}
