//! The names within a few typing errors of a query, found through two indexes:
//!
//! - a trigram index, for names several edits away that still share most of their
//!   trigrams (« Yelimene » for Yélimané);
//! - a deletion index, for every name one edit or one transposition away, even when it
//!   shares almost no trigram with the query (« Motpi » for Mopti: only « mo »): two
//!   strings are within one insertion, deletion, substitution or adjacent transposition
//!   only if one of them, or one of them less one character, equals the other less at most
//!   one character (the « symmetric delete » of SymSpell). Each name and each of its
//!   one-character deletions is filed under a 32-bit hash, in a flat array of (hash, unit)
//!   pairs — about a dozen per name, 8 bytes each — and a hash collision only brings a
//!   candidate that the similarity then rejects.
//!
//! The candidates are then scored by Damerau–Levenshtein similarity (`strsim`).

use std::collections::HashMap;

/// Below this similarity a name is not « close enough ».
const SEUIL_FLOU: f64 = 0.75;
/// How many of the names sharing the most trigrams are scored.
const RETENUS_PAR_TRIGRAMMES: usize = 32;

type Trigramme = [char; 3];

fn trigrammes(nom: &str) -> Vec<Trigramme> {
    let lettres: Vec<char> = format!(" {nom} ").chars().collect();
    let mut t: Vec<Trigramme> = lettres.windows(3).map(|w| [w[0], w[1], w[2]]).collect();
    t.sort_unstable();
    t.dedup();
    t
}

/// FNV-1a, continued from `h` over `octets`.
fn fnv(mut h: u32, octets: &[u8]) -> u32 {
    for &b in octets {
        h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
    }
    h
}

const FNV_DEPART: u32 = 0x811c_9dc5;

/// Adds to `sortie` the hashes of `nom` and of each string made by deleting one of its
/// characters. The text before a deletion is hashed once for all of them; deleting either
/// letter of a double letter gives the same string, which is kept once.
fn effacements(nom: &str, sortie: &mut Vec<u32>) {
    let octets = nom.as_bytes();
    sortie.push(fnv(FNV_DEPART, octets));
    let mut avant = FNV_DEPART;
    let mut debut = 0;
    for c in nom.chars() {
        let fin = debut + c.len_utf8();
        sortie.push(fnv(avant, &octets[fin..]));
        avant = fnv(avant, &octets[debut..fin]);
        debut = fin;
    }
    sortie.dedup();
}

/// The deletion index, laid out flat: the high bits of a hash choose a bucket, and each
/// bucket's (hash, unit) entries sit together. Built in two linear passes (count, then
/// place), without sorting half a million entries.
struct Effacements {
    /// Where each bucket's entries start in `entrees`, and one more for the end.
    debuts: Vec<u32>,
    entrees: Vec<(u32, u32)>,
}

impl Effacements {
    /// 65,536 buckets: about eight entries each for the référentiel.
    const BITS: u32 = 16;

    fn case(empreinte: u32) -> usize {
        (empreinte >> (32 - Self::BITS)) as usize
    }

    fn new(paires: &[(u32, u32)]) -> Effacements {
        let mut debuts = vec![0u32; (1 << Self::BITS) + 1];
        for &(e, _) in paires {
            debuts[Self::case(e) + 1] += 1;
        }
        for c in 1..debuts.len() {
            debuts[c] += debuts[c - 1];
        }
        let mut places = debuts.clone();
        let mut entrees = vec![(0, 0); paires.len()];
        for &(e, i) in paires {
            let place = &mut places[Self::case(e)];
            entrees[*place as usize] = (e, i);
            *place += 1;
        }
        Effacements { debuts, entrees }
    }

    /// The units filed under `empreinte`.
    fn unites(&self, empreinte: u32) -> impl Iterator<Item = u32> + '_ {
        let c = Self::case(empreinte);
        self.entrees[self.debuts[c] as usize..self.debuts[c + 1] as usize]
            .iter()
            .filter(move |(e, _)| *e == empreinte)
            .map(|(_, i)| *i)
    }
}

/// The typo indexes over the normalised names of the units (unit `i` is `noms[i]`).
pub(super) struct IndexFlou {
    par_trigramme: HashMap<Trigramme, Vec<u32>>,
    effacements: Effacements,
}

impl IndexFlou {
    pub(super) fn new(noms: &[String]) -> IndexFlou {
        let mut par_trigramme: HashMap<Trigramme, Vec<u32>> = HashMap::new();
        let mut paires = Vec::new();
        let mut empreintes = Vec::new();
        for (i, nom) in noms.iter().enumerate() {
            let i = i as u32;
            for t in trigrammes(nom) {
                par_trigramme.entry(t).or_default().push(i);
            }
            empreintes.clear();
            effacements(nom, &mut empreintes);
            paires.extend(empreintes.iter().map(|&e| (e, i)));
        }
        IndexFlou {
            par_trigramme,
            effacements: Effacements::new(&paires),
        }
    }

    /// How many entries the deletion index holds (8 bytes each).
    #[cfg(test)]
    pub(super) fn taille_effacements(&self) -> usize {
        self.effacements.entrees.len()
    }

    /// Units whose name is within a few typos of `texte`, with their similarity: every
    /// name one edit or transposition away, and the names sharing the most trigrams.
    pub(super) fn candidats(&self, texte: &str, noms: &[String]) -> Vec<(u32, f64)> {
        let mut retenus = self.par_trigrammes(texte, noms.len());
        let mut empreintes = Vec::new();
        effacements(texte, &mut empreintes);
        for e in empreintes {
            retenus.extend(self.effacements.unites(e));
        }
        retenus.sort_unstable();
        retenus.dedup();
        retenus
            .into_iter()
            .filter_map(|i| {
                let similarite = strsim::normalized_damerau_levenshtein(texte, &noms[i as usize]);
                (similarite >= SEUIL_FLOU).then_some((i, similarite))
            })
            .collect()
    }

    /// The few units sharing the most trigrams with `texte`.
    fn par_trigrammes(&self, texte: &str, unites: usize) -> Vec<u32> {
        let cherches = trigrammes(texte);
        // Only names that share enough trigrams can be within a few edits.
        let minimum = (cherches.len() as u16).saturating_sub(6).max(1);
        let mut communs = vec![0u16; unites];
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
        if retenus.len() > RETENUS_PAR_TRIGRAMMES {
            retenus.select_nth_unstable_by(RETENUS_PAR_TRIGRAMMES, ordre);
            retenus.truncate(RETENUS_PAR_TRIGRAMMES);
        }
        retenus
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every name within one edit or transposition is found, however many names share
    /// more trigrams with the query.
    #[test]
    fn every_name_one_edit_away_is_a_candidate() {
        // Sixty names that share two trigrams with « motpi » (« mo », « mot ») push
        // « mopti », which shares one, out of the trigram index's few best.
        let mut noms: Vec<String> = (0..60).map(|i| format!("motel{i}")).collect();
        noms.extend(
            [
                "mopti", "motp", "omtpi", "motpi", "mopt", "moptie", "mapti", "kayes",
            ]
            .map(String::from),
        );
        let index = IndexFlou::new(&noms);
        let trouves: Vec<&str> = index
            .candidats("motpi", &noms)
            .into_iter()
            .map(|(i, _)| noms[i as usize].as_str())
            .collect();
        // a transposition, a deletion, a transposition at the start, the same name
        for attendu in ["mopti", "motp", "omtpi", "motpi"] {
            assert!(trouves.contains(&attendu), "{attendu}: {trouves:?}");
        }
        // two edits away, or nothing in common
        for absent in ["mopt", "moptie", "mapti", "kayes"] {
            assert!(!trouves.contains(&absent), "{absent}: {trouves:?}");
        }
        assert!(index.taille_effacements() <= noms.iter().map(|n| n.len() + 1).sum());
    }

    #[test]
    fn deletions_are_of_characters_not_bytes() {
        let noms = vec!["sœur".to_owned(), "ségou".to_owned()];
        let index = IndexFlou::new(&noms);
        assert_eq!(index.candidats("sœr", &noms).len(), 1);
        let mut empreintes = Vec::new();
        effacements("œ", &mut empreintes);
        assert_eq!(empreintes.len(), 2, "« œ » and the empty string");
    }
}
