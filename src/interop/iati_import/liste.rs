//! The places one text lists: « Gao, Kidal, Mopti », « Koulikoro, Mopti et Ménaka »,
//! « régions de Ségou et Sikasso », « in the regions of Mopti and Ségou ». Each item is
//! then resolved on its own, like a name.

use crate::model::nom::normaliser;

/// What separates two items: punctuation, or a conjunction between spaces.
const SEPARATEURS: &[&str] = &[
    ",", ";", "/", "|", "+", "\n", " et ", " and ", " & ", " - ", " – ", " — ", " ou ", " or ",
];

/// Plural level words: « régions de A et B » makes every item a région.
const NIVEAUX: &[(&str, &str)] = &[
    ("regions", "Région de "),
    ("cercles", "Cercle de "),
    ("communes", "Commune de "),
];

/// Small words an item may start with once it is cut from its list (« de Kangaba »,
/// « in Mopti », « the regions of »).
const MOTS_VIDES: &[&str] = &[
    "de", "du", "des", "d", "l", "la", "le", "les", "of", "the", "in", "en", "dans", "a", "au",
    "aux",
];

/// Level words that start a name the resolver reads (« cercle de Kati »).
const NIVEAUX_SINGULIERS: &[&str] = &["region", "cercle", "commune", "district"];

/// How many words at most the end of an item has when a name is looked for there
/// (« cercle de Nioro du Sahel »).
const MOTS_MAX: usize = 5;

/// The items a text lists, each with the texts to try for it, most complete first: the item
/// itself, then the ends of it that start with a capital or a level word (« Activities in
/// Gao » → « Gao »). A plural level word before the list (« régions de ») is put before each
/// item that does not name its own level.
pub(super) fn elements(texte: &str) -> Vec<Vec<String>> {
    let mut niveau: Option<&str> = None;
    let mut elements = Vec::new();
    for morceau in couper(texte) {
        let mut mots: Vec<&str> = morceau.split_whitespace().collect();
        // « (dans) les régions de Ségou »: the level holds for this item and those after it.
        if let Some(i) = mots.iter().position(|m| {
            let m = normaliser(m);
            NIVEAUX.iter().any(|(pluriel, _)| m == *pluriel)
        }) {
            let pluriel = normaliser(mots[i]);
            niveau = NIVEAUX
                .iter()
                .find(|(p, _)| *p == pluriel)
                .map(|(_, prefixe)| *prefixe);
            mots.drain(..=i);
        }
        while let Some(premier) = mots.first() {
            let sans_elision = premier
                .strip_prefix("d'")
                .or_else(|| premier.strip_prefix("d’"))
                .or_else(|| premier.strip_prefix("l'"))
                .or_else(|| premier.strip_prefix("l’"));
            if let Some(reste) = sans_elision.filter(|r| !r.is_empty()) {
                mots[0] = reste;
                break;
            }
            if !MOTS_VIDES.contains(&normaliser(premier).as_str()) {
                break;
            }
            mots.remove(0);
        }
        if mots.is_empty() {
            continue;
        }
        let niveau_ecrit = |mot: &str| NIVEAUX_SINGULIERS.contains(&normaliser(mot).as_str());
        let prefixe = if niveau_ecrit(mots[0]) {
            ""
        } else {
            niveau.unwrap_or("")
        };
        let mut essais = vec![format!("{prefixe}{}", mots.join(" "))];
        for n in (1..mots.len().min(MOTS_MAX + 1)).rev() {
            let fin = &mots[mots.len() - n..];
            if niveau_ecrit(fin[0]) {
                essais.push(fin.join(" "));
            } else if fin[0].chars().next().is_some_and(char::is_uppercase) {
                essais.push(format!("{prefixe}{}", fin.join(" ")));
            }
        }
        elements.push(essais);
    }
    elements
}

/// The text cut at each separator.
fn couper(texte: &str) -> Vec<&str> {
    // ASCII lower case keeps every byte where it is: the cuts fall on the same positions.
    let bas = texte.to_ascii_lowercase();
    let mut coupures: Vec<(usize, usize)> = Vec::new();
    for s in SEPARATEURS {
        coupures.extend(bas.match_indices(s).map(|(i, s)| (i, i + s.len())));
    }
    coupures.sort_unstable();
    let mut morceaux = Vec::new();
    let mut debut = 0;
    for (i, fin) in coupures {
        if i >= debut {
            morceaux.push(&texte[debut..i]);
            debut = fin;
        }
    }
    morceaux.push(&texte[debut..]);
    morceaux
        .into_iter()
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn premiers(texte: &str) -> Vec<String> {
        elements(texte).into_iter().map(|e| e[0].clone()).collect()
    }

    #[test]
    fn lists_are_cut_at_commas_and_conjunctions() {
        assert_eq!(premiers("Gao, Kidal, Mopti"), ["Gao", "Kidal", "Mopti"]);
        assert_eq!(
            premiers("Koulikoro, Mopti et Ménaka"),
            ["Koulikoro", "Mopti", "Ménaka"]
        );
        assert_eq!(
            premiers("Gao/Tombouctou;Kidal"),
            ["Gao", "Tombouctou", "Kidal"]
        );
        assert_eq!(premiers("Mopti AND Ségou"), ["Mopti", "Ségou"]);
        // A hyphen inside a name is not a separator.
        assert_eq!(premiers("Bourem-Inaly"), ["Bourem-Inaly"]);
        assert_eq!(premiers(" , ; "), Vec::<String>::new());
    }

    #[test]
    fn a_plural_level_word_gives_every_item_its_level() {
        assert_eq!(
            premiers("régions de Ségou et Sikasso"),
            ["Région de Ségou", "Région de Sikasso"]
        );
        assert_eq!(
            premiers("Les cercles de Kati et de Kangaba"),
            ["Cercle de Kati", "Cercle de Kangaba"]
        );
        assert_eq!(
            premiers("communes d'Ansongo et de Bourem"),
            ["Commune de Ansongo", "Commune de Bourem"]
        );
        assert_eq!(
            premiers("in the regions of Mopti and Ségou"),
            ["Région de Mopti", "Région de Ségou"]
        );
    }

    #[test]
    fn a_name_is_also_looked_for_at_the_end_of_an_item() {
        assert_eq!(
            elements("Activités dans le cercle de Nioro du Sahel"),
            [vec![
                "Activités dans le cercle de Nioro du Sahel".to_owned(),
                "cercle de Nioro du Sahel".to_owned(),
                "Nioro du Sahel".to_owned(),
                "Sahel".to_owned(),
            ]]
        );
        assert_eq!(
            premiers("régions de Gao et cercle de Bla"),
            ["Région de Gao", "cercle de Bla"]
        );
        assert_eq!(
            elements("Appui à Gao"),
            [vec!["Appui à Gao".to_owned(), "Gao".to_owned()]]
        );
    }
}
