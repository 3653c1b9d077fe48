//! Finding collectivités from the names people actually write: « Ille –et vilaine »,
//! « Région Nord-Pas -de Calais », « Evry », « YELIMANE ».
//!
//! The whole référentiel (some 45,000 units) is indexed in memory once; a query then looks
//! up exact and normalised names and former names in hash maps, prefixes in a sorted list,
//! and typos through a trigram index whose few best candidates are scored by edit distance
//! (`strsim`).

use std::collections::HashMap;

use serde::Serialize;

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
    /// The same name once case, accents, punctuation and level prefixes are set aside.
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

/// Level words that people put before a name, and the level they mean.
const PREFIXES: &[(&str, Option<Niveau>)] = &[
    ("conseil regional", Some(Niveau::Region)),
    ("conseil departemental", Some(Niveau::Departement)),
    ("conseil de cercle", Some(Niveau::Cercle)),
    ("conseil general", Some(Niveau::Departement)),
    ("region", Some(Niveau::Region)),
    ("departement", Some(Niveau::Departement)),
    ("district", Some(Niveau::District)),
    ("cercle", Some(Niveau::Cercle)),
    ("commune urbaine", Some(Niveau::Commune)),
    ("commune rurale", Some(Niveau::Commune)),
    ("commune", Some(Niveau::Commune)),
    ("municipalite", None),
    ("mairie", Some(Niveau::Commune)),
    ("ville", Some(Niveau::Commune)),
];

/// Articles that may follow a prefix: « Région de », « Département d' », « Cercle du ».
const ARTICLES: &[&str] = &["de la", "de l", "des", "de", "du", "d", "l"];

/// Splits off a level prefix: « region de kayes » → (« kayes », Some(Region)).
fn sans_prefixe(normalise: &str) -> Option<(&str, Option<Niveau>)> {
    for (prefixe, niveau) in PREFIXES {
        let Some(reste) = normalise
            .strip_prefix(prefixe)
            .and_then(|r| r.strip_prefix(' '))
        else {
            continue;
        };
        let reste = ARTICLES
            .iter()
            .find_map(|a| reste.strip_prefix(a).and_then(|r| r.strip_prefix(' ')))
            .unwrap_or(reste);
        if !reste.is_empty() {
            return Some((reste, *niveau));
        }
    }
    None
}

const LONGUEUR_MAX: usize = 200;
const LIMITE_MAX: usize = 100;
/// Below this similarity a name is not « close enough ».
const SEUIL_FLOU: f64 = 0.75;

type Trigramme = [char; 3];

fn trigrammes(nom: &str) -> Vec<Trigramme> {
    let lettres: Vec<char> = format!(" {nom} ").chars().collect();
    let mut t: Vec<Trigramme> = lettres.windows(3).map(|w| [w[0], w[1], w[2]]).collect();
    t.sort_unstable();
    t.dedup();
    t
}

/// The in-memory index of every known unit.
pub struct Resolveur {
    unites: Vec<UniteConnue>,
    normalises: Vec<String>,
    par_nom: HashMap<String, Vec<u32>>,
    par_ancien_nom: HashMap<String, Vec<u32>>,
    /// (normalised name, unit), sorted, for prefixes.
    tries: Vec<(String, u32)>,
    par_trigramme: HashMap<Trigramme, Vec<u32>>,
}

impl Resolveur {
    /// Indexes `unites`; their `successeurs` must point inside the same list.
    pub fn new(unites: Vec<UniteConnue>) -> Resolveur {
        let normalises: Vec<String> = unites.iter().map(|u| normaliser(&u.nom)).collect();
        let mut par_nom: HashMap<String, Vec<u32>> = HashMap::new();
        let mut par_ancien_nom: HashMap<String, Vec<u32>> = HashMap::new();
        let mut par_trigramme: HashMap<Trigramme, Vec<u32>> = HashMap::new();
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
            for t in trigrammes(nom) {
                par_trigramme.entry(t).or_default().push(i);
            }
            tries.push((nom.clone(), i));
        }
        tries.sort_unstable();
        Resolveur {
            unites,
            normalises,
            par_nom,
            par_ancien_nom,
            tries,
            par_trigramme,
        }
    }

    pub fn len(&self) -> usize {
        self.unites.len()
    }

    pub fn is_empty(&self) -> bool {
        self.unites.is_empty()
    }

    /// Ranks the units that `requete` may name, best first; an empty list when nothing is
    /// close enough.
    pub fn resoudre(&self, requete: &Requete) -> Result<Resolution<'_>, RequeteInvalide> {
        let texte = verifier(requete)?;
        let normalise = normaliser(texte);
        let mut variantes = vec![(normalise.as_str(), None)];
        if let Some((reste, niveau)) = sans_prefixe(&normalise) {
            variantes.push((reste, niveau));
        }
        let indice_niveau = variantes.iter().find_map(|(_, n)| *n);

        // Best (score, reason) per unit.
        let mut trouves: HashMap<u32, (f64, Raison)> = HashMap::new();
        let mut noter = |i: u32, score: f64, raison: Raison| {
            let entree = trouves.entry(i).or_insert((score, raison));
            if score > entree.0 {
                *entree = (score, raison);
            }
        };
        let texte_plie = texte.split_whitespace().collect::<Vec<_>>().join(" ");
        for (rang, (variante, _)) in variantes.iter().enumerate() {
            for &i in self.par_nom.get(*variante).into_iter().flatten() {
                let exact = self.unites[i as usize].nom == texte_plie;
                if exact {
                    noter(i, 1.0, Raison::Exact);
                } else {
                    noter(i, 0.95, Raison::Normalised);
                }
            }
            for &i in self.par_ancien_nom.get(*variante).into_iter().flatten() {
                noter(i, 0.9, Raison::FormerName);
            }
            if variante.chars().count() >= 3 {
                let debut = self
                    .tries
                    .partition_point(|(nom, _)| nom.as_str() < *variante);
                for (nom, i) in self.tries[debut..]
                    .iter()
                    .take_while(|(nom, _)| nom.starts_with(*variante))
                    .take(200)
                {
                    let part = variante.len() as f64 / nom.len() as f64;
                    noter(*i, 0.6 + 0.25 * part, Raison::Prefix);
                }
            }
            if rang + 1 == variantes.len() {
                for (i, similarite) in self.flous(variante) {
                    noter(i, 0.85 * similarite, Raison::Fuzzy);
                }
            }
        }

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

    /// Units whose name is within a few typos of `texte`, with their similarity.
    fn flous(&self, texte: &str) -> Vec<(u32, f64)> {
        const RETENUS: usize = 32;
        let cherches = trigrammes(texte);
        // Only names that share enough trigrams can be within a few edits.
        let minimum = (cherches.len() as u16).saturating_sub(6).max(1);
        let mut communs = vec![0u16; self.unites.len()];
        let mut retenus: Vec<u32> = Vec::new();
        for t in &cherches {
            for &i in self.par_trigramme.get(t).into_iter().flatten() {
                let n = &mut communs[i as usize];
                *n += 1;
                if *n == minimum {
                    retenus.push(i);
                }
            }
        }
        let ordre = |a: &u32, b: &u32| {
            communs[*b as usize]
                .cmp(&communs[*a as usize])
                .then(a.cmp(b))
        };
        if retenus.len() > RETENUS {
            retenus.select_nth_unstable_by(RETENUS, ordre);
            retenus.truncate(RETENUS);
        }
        retenus
            .into_iter()
            .filter_map(|i| {
                let similarite =
                    strsim::normalized_damerau_levenshtein(texte, &self.normalises[i as usize]);
                (similarite >= SEUIL_FLOU).then_some((i, similarite))
            })
            .collect()
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
