//! Finding collectivités from the names people actually write: « Ille –et vilaine »,
//! « Région Nord-Pas -de Calais », « Evry », « YELIMANE », « Mopti Cercle », « Mairie de
//! Kita », « Commune V de Bamako », « Banikane (Niafunké) », « Communauté urbaine
//! d'Alençon », « Motpi ».
//!
//! The whole référentiel (some 45,000 units) is indexed in memory once. A query is read in
//! a few ways (`lecture`: the words around the name set aside); each reading is looked up
//! — exact and normalised names, former names and intercommunalities without their legal
//! form in hash maps, prefixes in a sorted list, typos through the indexes of `flou` — and
//! a reading that names a parent keeps the units inside it.

use std::collections::HashMap;

use serde::Serialize;

use super::flou::IndexFlou;
use super::lecture::{self, Index, Lecture};
use crate::model::nom::normaliser;
use crate::model::{Collectivite, Niveau, Pays};

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
    /// Only units of this country.
    pub pays: Option<Pays>,
    /// Only units of this level.
    pub niveau: Option<Niveau>,
    pub limite: usize,
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

/// One proposed unit.
#[derive(Debug, Clone)]
pub struct Candidat<'a> {
    pub unite: &'a UniteConnue,
    /// From 0 to 1.
    pub score: f64,
    pub raison: Raison,
    /// Whether the unit's level is the one the text named (« Région de Kayes »).
    pub niveau_attendu: bool,
    /// The current units it leads to, through successor links (itself when current).
    pub successeurs_actuels: Vec<&'a UniteConnue>,
}

/// The ranked candidates, best first.
#[derive(Debug, Clone)]
pub struct Resolution<'a> {
    pub candidats: Vec<Candidat<'a>>,
    /// Several candidates are equally plausible: a human has to choose.
    pub ambigu: bool,
}

const LONGUEUR_MAX: usize = 200;
const LIMITE_MAX: usize = 100;
/// From this score up a candidate is a sure reading of the text (an exact, normalised or
/// former name), below it a guess (a prefix, a typo, a name whose given parent does not
/// hold it): what an import may link without asking.
pub const SCORE_SUR: f64 = 0.9;
/// What a unit's score is multiplied by when the text places it in a parent that is surely
/// named (« Banikane (Kidal) ») and does not hold it: still proposed, no longer sure.
const HORS_DU_PARENT: f64 = 0.8;
/// The score of an intercommunality found without its legal form: below the normalised
/// name, so that « Grand-Couronne » stays the commune of that name.
const SCORE_INTERCOMMUNALE: f64 = 0.93;
/// How far up a unit's ancestors a parent named in the query is looked for.
const PROFONDEUR_MAX: usize = 8;

/// The in-memory index of every known unit.
pub struct Resolveur {
    unites: Vec<UniteConnue>,
    normalises: Vec<String>,
    /// Each unit's parent, as an index into `unites`.
    parents: Vec<Option<u32>>,
    par_nom: HashMap<String, Vec<u32>>,
    par_ancien_nom: HashMap<String, Vec<u32>>,
    /// Intercommunalities by their name without legal form (`lecture::cles_intercommunales`).
    par_cle_intercommunale: HashMap<String, Vec<u32>>,
    /// (normalised name, unit), sorted, for prefixes.
    tries: Vec<(String, u32)>,
    flou: IndexFlou,
}

impl Resolveur {
    /// Indexes `unites`; their `successeurs` must point inside the same list.
    pub fn new(unites: Vec<UniteConnue>) -> Resolveur {
        let normalises: Vec<String> = unites.iter().map(|u| normaliser(&u.nom)).collect();
        let position: HashMap<_, u32> = unites
            .iter()
            .enumerate()
            .map(|(i, u)| (u.id, i as u32))
            .collect();
        let parents = unites
            .iter()
            .map(|u| u.parent.and_then(|p| position.get(&p).copied()))
            .collect();
        let mut par_nom: HashMap<String, Vec<u32>> = HashMap::new();
        let mut par_ancien_nom: HashMap<String, Vec<u32>> = HashMap::new();
        let mut par_cle_intercommunale: HashMap<String, Vec<u32>> = HashMap::new();
        let mut tries = Vec::with_capacity(unites.len());
        for (i, (unite, nom)) in unites.iter().zip(&normalises).enumerate() {
            let i = i as u32;
            par_nom.entry(nom.clone()).or_default().push(i);
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
            tries.push((nom.clone(), i));
        }
        tries.sort_unstable();
        let flou = IndexFlou::new(&normalises);
        Resolveur {
            unites,
            normalises,
            parents,
            par_nom,
            par_ancien_nom,
            par_cle_intercommunale,
            tries,
            flou,
        }
    }

    pub fn len(&self) -> usize {
        self.unites.len()
    }

    pub fn is_empty(&self) -> bool {
        self.unites.is_empty()
    }

    /// Entries of the deletion index, for the test that keeps it small.
    #[cfg(test)]
    pub(super) fn taille_index_flou(&self) -> usize {
        self.flou.taille_effacements()
    }

    /// Ranks the units that `requete` may name, best first; an empty list when nothing is
    /// close enough.
    pub fn resoudre(&self, requete: &Requete) -> Result<Resolution<'_>, RequeteInvalide> {
        let texte = verifier(requete)?;
        let lectures = lecture::lectures(texte);
        let indice_niveau = lectures.iter().find_map(|l| l.niveau);
        let texte_plie = texte.split_whitespace().collect::<Vec<_>>().join(" ");
        let trouves = self.trouver(&lectures, Some(&texte_plie));

        let mut candidats: Vec<Candidat<'_>> = trouves
            .into_iter()
            .map(|(i, (score, raison))| (&self.unites[i as usize], score, raison))
            .filter(|(u, ..)| requete.pays.is_none_or(|p| u.pays == p))
            .filter(|(u, ..)| requete.niveau.is_none_or(|n| u.niveau == n))
            .map(|(unite, score, raison)| Candidat {
                unite,
                score: (score * 1000.0).round() / 1000.0,
                raison,
                niveau_attendu: indice_niveau.is_none_or(|n| unite.niveau == n),
                successeurs_actuels: self.actuels(unite),
            })
            .collect();
        candidats.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then(b.niveau_attendu.cmp(&a.niveau_attendu))
                .then(population(b).cmp(&population(a)))
                .then(b.unite.actuelle().cmp(&a.unite.actuelle()))
                .then(a.unite.nom.cmp(&b.unite.nom))
                .then(a.unite.id.cmp(&b.unite.id))
        });
        let ambigu = match candidats.as_slice() {
            [premier, second, ..] => {
                second.score == premier.score && second.niveau_attendu == premier.niveau_attendu
            }
            _ => false,
        };
        candidats.truncate(requete.limite);
        Ok(Resolution { candidats, ambigu })
    }

    /// The best (score, reason) of each unit over every reading. A reading that names a
    /// parent keeps only the units inside it, when there are any. Otherwise it keeps them
    /// all: as they are when the parent is no sure name (« Kita (Mali) », where « Mali »
    /// only begins commune names), no longer sure when it is one (« Banikane (Kidal) »).
    /// `texte_plie`, the text as typed, tells an exact name from a normalised one.
    fn trouver(
        &self,
        lectures: &[Lecture],
        texte_plie: Option<&str>,
    ) -> HashMap<u32, (f64, Raison)> {
        let mut trouves: HashMap<u32, (f64, Raison)> = HashMap::new();
        for lecture in lectures {
            let mut de_la_lecture = self.chercher(lecture, texte_plie);
            if let Some(parent) = &lecture.parent {
                let (parents, sur) = self.parents_possibles(parent);
                let dedans = |i: &u32| self.est_dans(*i, &parents);
                if de_la_lecture.iter().any(|(i, ..)| dedans(i)) {
                    de_la_lecture.retain(|(i, ..)| dedans(i));
                } else if sur {
                    // an intercommunality has no parent in the référentiel: nothing says
                    // where it lies, so nothing contradicts it; a région named with a
                    // parent that is another unit (« Gao, Kidal, Mopti ») is contradicted
                    for (i, score, _) in &mut de_la_lecture {
                        let niveau = self.unites[*i as usize].niveau;
                        if !matches!(niveau, Niveau::Epci | Niveau::Metropole) {
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

    /// The units one reading finds, with their score and reason.
    fn chercher(&self, lecture: &Lecture, texte_plie: Option<&str>) -> Vec<(u32, f64, Raison)> {
        let nom = lecture.nom.as_str();
        let mut trouves = Vec::new();
        if lecture.index == Index::Intercommunalites {
            for &i in self.par_cle_intercommunale.get(nom).into_iter().flatten() {
                trouves.push((i, SCORE_INTERCOMMUNALE, Raison::Normalised));
            }
            return trouves;
        }
        for &i in self.par_nom.get(nom).into_iter().flatten() {
            if texte_plie == Some(self.unites[i as usize].nom.as_str()) {
                trouves.push((i, 1.0, Raison::Exact));
            } else {
                trouves.push((i, 0.95, Raison::Normalised));
            }
        }
        for &i in self.par_ancien_nom.get(nom).into_iter().flatten() {
            trouves.push((i, 0.9, Raison::FormerName));
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
        if lecture.flou {
            for (i, similarite) in self.flou.candidats(nom, &self.normalises) {
                trouves.push((i, 0.85 * similarite, Raison::Fuzzy));
            }
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
        let trouves: Vec<(u32, (f64, bool))> = self
            .trouver(&lectures, None)
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

    /// Whether one of `ancetres` holds unit `i`, at any depth.
    fn est_dans(&self, i: u32, ancetres: &[u32]) -> bool {
        let mut parent = self.parents[i as usize];
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

/// A unit's weight for ranking homonyms; a former unit weighs what its successors do.
fn population(c: &Candidat<'_>) -> u64 {
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
