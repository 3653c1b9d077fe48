//! The readings of a query. People write words around a name: a level before or after it
//! (« Région de Kayes », « Mopti Cercle »), the institution that governs it (« Assemblée
//! régionale de Kayes », « Mairie de Kita »), a legal form (« Communauté urbaine
//! d'Alençon »), the unit it lies in (« Banikane (Niafunké) », « Commune V de Bamako »).
//! Each reading sets some of them aside and says what they tell about the unit; the
//! resolver looks every reading up and keeps the best score of each unit.

use crate::model::Niveau;
use crate::model::nom::normaliser;

/// Where a reading is looked up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Index {
    /// The units' names.
    Noms,
    /// The intercommunalities' names without their legal form ([`cles_intercommunales`]).
    Intercommunalites,
}

/// One way to read a query.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Lecture {
    /// What to look up, normalised.
    pub(super) nom: String,
    pub(super) index: Index,
    /// The level the words set aside name (« Région de », « Cercle », « Mairie de »).
    pub(super) niveau: Option<Niveau>,
    /// The unit the query places this one in, normalised (« niafunke », « cercle de
    /// kenieba »): the candidates inside it are kept, when there are any.
    pub(super) parent: Option<String>,
    /// Whether names within a few typos count: only for the reading with the fewest words
    /// around the name, so that « Région de » is never taken for typos.
    pub(super) flou: bool,
}

/// Words written before a name — a level, or the institution of a level — and the level
/// they mean; the longest first where one begins another.
const PREFIXES: &[(&str, Option<Niveau>)] = &[
    ("assemblee regionale", Some(Niveau::Region)),
    ("conseil regional", Some(Niveau::Region)),
    ("assemblee de cercle", Some(Niveau::Cercle)),
    ("conseil de cercle", Some(Niveau::Cercle)),
    ("conseil departemental", Some(Niveau::Departement)),
    ("conseil general", Some(Niveau::Departement)),
    ("conseil communal", Some(Niveau::Commune)),
    ("conseil municipal", Some(Niveau::Commune)),
    ("hotel de ville", Some(Niveau::Commune)),
    ("mairie", Some(Niveau::Commune)),
    ("ville", Some(Niveau::Commune)),
    ("municipalite", None),
    ("collectivite territoriale", None),
    ("region", Some(Niveau::Region)),
    ("departement", Some(Niveau::Departement)),
    ("district", Some(Niveau::District)),
    ("cercle", Some(Niveau::Cercle)),
    ("commune urbaine", Some(Niveau::Commune)),
    ("commune rurale", Some(Niveau::Commune)),
    ("commune", Some(Niveau::Commune)),
];

/// Level words written after a name (« Mopti Cercle », « Kita Commune », « Mopti Region »).
const SUFFIXES: &[(&str, Niveau)] = &[
    ("commune urbaine", Niveau::Commune),
    ("commune rurale", Niveau::Commune),
    ("region", Niveau::Region),
    ("cercle", Niveau::Cercle),
    ("commune", Niveau::Commune),
    ("district", Niveau::District),
    ("departement", Niveau::Departement),
];

/// Articles that may follow a prefix: « Région de », « Département d' », « Cercle du ».
const ARTICLES: &[&str] = &["de la", "de l", "des", "de", "du", "d", "l"];

/// The legal forms of French intercommunalities, full or abbreviated as the official names
/// write them (« CU d'Alençon »), and the level they mean.
const FORMES_INTERCOMMUNALES: &[(&str, Niveau)] = &[
    ("communaute de communes", Niveau::Epci),
    ("communaute d agglomeration", Niveau::Epci),
    ("communaute d agglo", Niveau::Epci),
    ("communaute urbaine", Niveau::Epci),
    ("agglomeration", Niveau::Epci),
    ("agglo", Niveau::Epci),
    ("eurometropole", Niveau::Metropole),
    ("metropole", Niveau::Metropole),
    ("cc", Niveau::Epci),
    ("ca", Niveau::Epci),
    ("cu", Niveau::Epci),
];

/// Every reading of `texte`: the whole text first, then the name without its parent, then
/// a numbered commune of a city.
pub(super) fn lectures(texte: &str) -> Vec<Lecture> {
    let normalise = normaliser(texte);
    let mut lectures = lectures_du_nom(&normalise, None);
    if let Some((nom, parent)) = separer_parent(texte) {
        let (nom, parent) = (normaliser(nom), normaliser(parent));
        if !nom.is_empty() && !parent.is_empty() {
            lectures.extend(lectures_du_nom(&nom, Some(&parent)));
        }
    }
    lectures.extend(commune_numerotee(&normalise));
    lectures
}

/// The readings of a name alone (normalised): as written, without its level and
/// institution words, and as an intercommunality's name.
pub(super) fn lectures_du_nom(nom: &str, parent: Option<&str>) -> Vec<Lecture> {
    let lecture = |nom: &str, index, niveau| Lecture {
        nom: nom.to_owned(),
        index,
        niveau,
        parent: parent.map(str::to_owned),
        flou: false,
    };
    let mut lectures = vec![lecture(nom, Index::Noms, None)];
    if let Some((reste, niveau)) = sans_mots_de_niveau(nom) {
        lectures.push(lecture(reste, Index::Noms, niveau));
    }
    if let Some(derniere) = lectures.last_mut() {
        derniere.flou = true;
    }
    if let Some((cles, niveau)) = cles_intercommunales(nom, false) {
        lectures.extend(
            cles.iter()
                .map(|cle| lecture(cle, Index::Intercommunalites, niveau)),
        );
    }
    lectures
}

/// The name without the level and institution words around it, with the level they
/// name: « mairie du district de bamako » → (« bamako », District), the innermost word
/// saying the level; « mopti cercle » → (« mopti », Cercle). None when there are none.
fn sans_mots_de_niveau(nom: &str) -> Option<(&str, Option<Niveau>)> {
    let mut reste = nom;
    let mut niveau = None;
    // two are the most people write (« Mairie du district de »); three leave a margin
    for _ in 0..3 {
        let Some((suite, n)) = sans_prefixe(reste) else {
            break;
        };
        reste = suite;
        niveau = n.or(niveau);
    }
    if let Some((debut, n)) = SUFFIXES.iter().find_map(|(suffixe, n)| {
        let debut = reste.strip_suffix(suffixe)?.strip_suffix(' ')?;
        (!debut.is_empty()).then_some((debut, *n))
    }) {
        reste = debut;
        niveau = Some(n);
    }
    (reste != nom).then_some((reste, niveau))
}

/// Splits off one level or institution prefix and its article: « region de kayes » →
/// (« kayes », Some(Region)).
fn sans_prefixe(normalise: &str) -> Option<(&str, Option<Niveau>)> {
    PREFIXES.iter().find_map(|(prefixe, niveau)| {
        let reste = normalise.strip_prefix(prefixe)?.strip_prefix(' ')?;
        let reste = sans_article(reste);
        (!reste.is_empty()).then_some((reste, *niveau))
    })
}

fn sans_article(texte: &str) -> &str {
    ARTICLES
        .iter()
        .find_map(|a| texte.strip_prefix(a)?.strip_prefix(' '))
        .unwrap_or(texte)
}

/// « Banikane (Niafunké) » → (« Banikane », « Niafunké »); « Baye, cercle de Kéniéba » →
/// (« Baye », « cercle de Kéniéba »): a name followed by its parent in brackets or after a
/// comma (only the next part: « Baye, Kéniéba, Kayes » gives « Kéniéba »).
fn separer_parent(texte: &str) -> Option<(&str, &str)> {
    let texte = texte.trim();
    if let Some(interieur) = texte.strip_suffix(')') {
        let (nom, parent) = interieur.rsplit_once('(')?;
        return Some((nom, parent));
    }
    let (nom, suite) = texte.split_once(',')?;
    Some((nom, suite.split(',').next().unwrap_or(suite)))
}

/// The numbered communes of a city, written « Commune V de Bamako », « commune VI du
/// District de Bamako », « Commune 5 Bamako » or « Bamako Commune V »: the name « commune
/// v » (roman numerals, as the référentiel writes them) inside the rest, if any. None for
/// other texts, and for « commune v » itself, read as it is.
fn commune_numerotee(normalise: &str) -> Option<Lecture> {
    let mots: Vec<&str> = normalise.split(' ').collect();
    let k = mots.iter().position(|m| *m == "commune")?;
    let numero = mots.get(k + 1)?;
    let romain = match numero.parse::<u16>() {
        Ok(n) => chiffres_romains(n)?,
        Err(_) => {
            let romain = numero.chars().all(|c| matches!(c, 'i' | 'v' | 'x'));
            romain.then(|| (*numero).to_owned())?
        }
    };
    let parent = match (k, mots.len() - k - 2) {
        (0, _) => sans_article(&mots[2..].join(" ")).to_owned(),
        (_, 0) => mots[..k].join(" "),
        _ => return None,
    };
    let nom = format!("commune {romain}");
    if nom == normalise {
        return None;
    }
    Some(Lecture {
        nom,
        index: Index::Noms,
        niveau: Some(Niveau::Commune),
        parent: (!parent.is_empty()).then_some(parent),
        flou: false,
    })
}

/// 1 to 39 in lower-case roman numerals; None beyond (no city has so many communes).
fn chiffres_romains(n: u16) -> Option<String> {
    const UNITES: [&str; 10] = ["", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix"];
    if !(1..40).contains(&n) {
        return None;
    }
    let dizaines = "x".repeat(usize::from(n / 10));
    Some(format!("{dizaines}{}", UNITES[usize::from(n % 10)]))
}

/// An intercommunality's name without its legal form, articles or spaces, as the keys
/// under which the resolver files it: « CU d'Alençon » and « Communauté urbaine
/// d'Alençon » both give « alencon »; « CA du Grand Angoulême », « grand Angoulême » and
/// « GrandAngoulême » give « grandangouleme », and « Agglomération d'Angoulême » finds it
/// under « angouleme » (a « Grand » is filed both ways). With the level the form names.
///
/// For a query (`toujours` false), None unless the name has a legal form or starts with
/// « grand »: « Lyon » is the commune, not the métropole.
pub(super) fn cles_intercommunales(
    normalise: &str,
    toujours: bool,
) -> Option<(Vec<String>, Option<Niveau>)> {
    let mut mots: Vec<&str> = normalise.split(' ').filter(|m| !m.is_empty()).collect();
    let mut niveau = None;
    for (forme, n) in FORMES_INTERCOMMUNALES {
        let forme: Vec<&str> = forme.split(' ').collect();
        if mots.len() > forme.len() && mots.starts_with(&forme) {
            mots.drain(..forme.len());
            niveau = Some(*n);
            break;
        }
    }
    for (forme, n) in FORMES_INTERCOMMUNALES {
        if mots.len() > 1 && mots.last() == Some(forme) {
            mots.pop();
            niveau = niveau.or(Some(*n));
            break;
        }
    }
    let sans_articles = sans_article(&mots.join(" ")).to_owned();
    let mots: Vec<&str> = sans_articles.split(' ').collect();
    let grand = mots[0].starts_with("grand");
    if niveau.is_none() && !grand && !toujours {
        return None;
    }
    let mut cles = vec![mots.concat()];
    if mots.len() > 1 && mots[0] == "grand" {
        cles.push(mots[1..].concat());
    }
    cles.retain(|c| !c.is_empty());
    (!cles.is_empty()).then_some((cles, niveau))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The (name, level, parent) of each reading of `texte` looked up among names.
    fn noms(texte: &str) -> Vec<(String, Option<Niveau>, Option<String>)> {
        lectures(texte)
            .into_iter()
            .filter(|l| l.index == Index::Noms)
            .map(|l| (l.nom, l.niveau, l.parent))
            .collect()
    }

    fn lit(texte: &str, nom: &str, niveau: Option<Niveau>, parent: Option<&str>) -> bool {
        noms(texte).contains(&(nom.to_owned(), niveau, parent.map(str::to_owned)))
    }

    #[test]
    fn a_level_before_or_after_the_name() {
        use Niveau::*;
        assert!(lit("Région de Kayes", "kayes", Some(Region), None));
        assert!(lit("Mopti Cercle", "mopti", Some(Cercle), None));
        assert!(lit("Kita Commune", "kita", Some(Commune), None));
        assert!(lit("Mopti Region", "mopti", Some(Region), None));
        assert!(lit("Kayes Région", "kayes", Some(Region), None));
        assert!(lit("Kita commune urbaine", "kita", Some(Commune), None));
        // the whole text is always read too, and a level word alone is a name
        assert!(lit("Mopti Cercle", "mopti cercle", None, None));
        assert_eq!(noms("Cercle"), [("cercle".to_owned(), None, None)]);
        assert_eq!(noms("Région"), [("region".to_owned(), None, None)]);
    }

    #[test]
    fn institutions_read_as_their_collectivite() {
        use Niveau::*;
        for (texte, nom, niveau) in [
            ("Assemblée régionale de Kayes", "kayes", Region),
            ("Conseil régional de Ségou", "segou", Region),
            ("Conseil de cercle de Kati", "kati", Cercle),
            ("Assemblée de cercle de Bougouni", "bougouni", Cercle),
            ("Mairie de Kita", "kita", Commune),
            ("Hôtel de ville de Kita", "kita", Commune),
            ("Mairie du district de Bamako", "bamako", District),
            (
                "Conseil départemental de l'Ille-et-Vilaine",
                "ille et vilaine",
                Departement,
            ),
        ] {
            assert!(
                lit(texte, nom, Some(niveau), None),
                "{texte}: {:?}",
                noms(texte)
            );
        }
    }

    #[test]
    fn a_parent_in_brackets_or_after_a_comma() {
        assert!(lit(
            "Banikane (Niafunké)",
            "banikane",
            None,
            Some("niafunke")
        ));
        assert!(lit(
            "Baye, cercle de Kéniéba",
            "baye",
            None,
            Some("cercle de kenieba")
        ));
        assert!(lit("Kita (Kayes)", "kita", None, Some("kayes")));
        assert!(lit("Baye, Kéniéba, Kayes", "baye", None, Some("kenieba")));
        assert!(lit(
            "Mopti Cercle (Mopti)",
            "mopti",
            Some(Niveau::Cercle),
            Some("mopti")
        ));
        // nothing to split, or nothing on one side
        assert_eq!(separer_parent("Kayes"), None);
        assert_eq!(noms("(Kayes)").len(), 1);
        assert_eq!(noms(", Kayes").len(), 1);
    }

    #[test]
    fn numbered_communes_of_a_city() {
        let commune = Some(Niveau::Commune);
        assert!(lit(
            "Commune V de Bamako",
            "commune v",
            commune,
            Some("bamako")
        ));
        assert!(lit(
            "commune VI du District de Bamako",
            "commune vi",
            commune,
            Some("district de bamako")
        ));
        assert!(lit(
            "Commune 5 Bamako",
            "commune v",
            commune,
            Some("bamako")
        ));
        assert!(lit(
            "Bamako Commune V",
            "commune v",
            commune,
            Some("bamako")
        ));
        assert!(lit(
            "Bamako, commune 3",
            "commune iii",
            commune,
            Some("bamako")
        ));
        assert!(lit("Commune 4", "commune iv", commune, None));
        assert!(lit("Commune 14", "commune xiv", commune, None));
        // already the référentiel's name; not a number; no such number
        assert_eq!(noms("Commune I").len(), 2);
        assert!(commune_numerotee("commune kayes").is_none());
        assert!(commune_numerotee("commune 0 de bamako").is_none());
        assert!(commune_numerotee("commune 40").is_none());
        assert!(commune_numerotee("la commune v de bamako est").is_none());
    }

    #[test]
    fn intercommunalities_without_their_legal_form() {
        let cles = |texte: &str, toujours| {
            cles_intercommunales(&normaliser(texte), toujours).map(|(c, n)| (c.join("|"), n))
        };
        let epci = Some(Niveau::Epci);
        assert_eq!(cles("CU d'Alençon", true), Some(("alencon".into(), epci)));
        assert_eq!(
            cles("Communauté urbaine d'Alençon", false),
            Some(("alencon".into(), epci))
        );
        assert_eq!(
            cles("CA du Grand Angoulême", true),
            Some(("grandangouleme|angouleme".into(), epci))
        );
        assert_eq!(
            cles("GrandAngoulême", false),
            Some(("grandangouleme".into(), None))
        );
        assert_eq!(
            cles("grand Angoulême", false),
            Some(("grandangouleme|angouleme".into(), None))
        );
        assert_eq!(
            cles("Communauté d'agglomération du Grand Angoulême", false),
            Some(("grandangouleme|angouleme".into(), epci))
        );
        assert_eq!(
            cles("Bordeaux Métropole", true),
            Some(("bordeaux".into(), Some(Niveau::Metropole)))
        );
        assert_eq!(
            cles("Métropole de Lyon", false),
            Some(("lyon".into(), Some(Niveau::Metropole)))
        );
        assert_eq!(
            cles("CC Faucigny - Glières", true),
            Some(("faucignyglieres".into(), epci))
        );
        // a plain name is not read as an intercommunality, and a form alone is no name
        assert_eq!(cles("Lyon", false), None);
        assert_eq!(cles("Lyon", true), Some(("lyon".into(), None)));
        assert_eq!(cles("Métropole", false), None);
        assert_eq!(cles("CA", false), None);
    }

    #[test]
    fn only_the_barest_reading_tolerates_typos() {
        let flous: Vec<String> = lectures("Région de Kayes")
            .into_iter()
            .filter(|l| l.flou)
            .map(|l| l.nom)
            .collect();
        assert_eq!(flous, ["kayes"]);
        let flous: Vec<String> = lectures("Banikane (Niafunké)")
            .into_iter()
            .filter(|l| l.flou)
            .map(|l| l.nom)
            .collect();
        assert_eq!(flous, ["banikane niafunke", "banikane"]);
    }
}
