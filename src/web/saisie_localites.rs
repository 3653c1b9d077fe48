//! The villages (localités) of an action as people type them: one per line in the form, by
//! name or P-code, or a list of P-codes in the API. A village must lie in the territory of the
//! partenariat's Malian party — a commune's villages, or those inside a cercle or région —
//! as the action's places must.

use crate::model::{Collectivite, CollectiviteId, LOCALITES_MAX, Localite, Niveau, Pays};
use crate::referentiel::{Candidat, Portee, Requete, Resolveur, SCORE_SUR, UniteConnue};

/// The territory an action's villages may lie in: the partenariat's Malian parties.
pub(super) struct Territoire<'a> {
    parties: Vec<&'a Collectivite>,
}

impl<'a> Territoire<'a> {
    /// From an action's possible places (the Malian parties and the units they contain),
    /// the parties: the places whose parent is not one of them.
    pub(super) fn depuis_lieux(lieux: &'a [Collectivite]) -> Territoire<'a> {
        let ids: Vec<CollectiviteId> = lieux.iter().map(|c| c.id).collect();
        let parties = lieux
            .iter()
            .filter(|c| c.parent.is_none_or(|p| !ids.contains(&p)))
            .collect();
        Territoire { parties }
    }

    /// Whether a place lying in `dans` (nearest first) lies in the territory.
    fn contient(&self, dans: &[&UniteConnue]) -> bool {
        dans.iter()
            .any(|u| self.parties.iter().any(|p| p.id == u.id))
    }

    /// « la commune de Siby », « le cercle de Kati ou la région de Kayes ».
    fn nom(&self) -> String {
        if self.parties.is_empty() {
            return "le territoire du partenariat (il n'a aucune partie malienne)".to_owned();
        }
        let noms: Vec<String> = self
            .parties
            .iter()
            .map(|c| {
                let article = match c.niveau {
                    Niveau::Cercle | Niveau::District => "le",
                    _ => "la",
                };
                format!("{article} {}", c.designation())
            })
            .collect();
        noms.join(" ou ")
    }
}

/// A village as a message names it: « Worofara (commune de Sanankoro Djitoumou, ML020530035) ».
fn decrire(l: &Localite, dans: &[&UniteConnue]) -> String {
    match dans.first() {
        Some(c) => format!("{} ({}, {})", l.nom, c.designation(), l.pcode),
        None => format!("{} ({})", l.nom, l.pcode),
    }
}

/// The P-code a line gives: the line itself (« ML020530035 »), or what ends it in
/// parentheses, as the edit form writes a village (« Worofara (ML020530035) »).
fn pcode_de_la_ligne(ligne: &str) -> Option<String> {
    let code = match ligne.strip_suffix(')') {
        Some(debut) => &debut[debut.rfind('(')? + 1..],
        None => ligne,
    };
    crate::model::pcode_localite(&code.trim().to_uppercase()).ok()
}

/// The village of P-code `pcode` if the gazetteer has it inside the territory, else why not.
pub(super) fn par_pcode(
    pcode: &str,
    resolveur: &Resolveur,
    territoire: &Territoire<'_>,
) -> Result<String, String> {
    match resolveur.par_pcode(pcode) {
        None => Err(format!(
            "aucun village du Mali ne porte le code P « {pcode} » (voir data/carte/localites.csv)"
        )),
        Some((l, dans)) if !territoire.contient(&dans) => Err(format!(
            "{} n'est pas dans {}, le territoire du partenariat",
            decrire(l, &dans),
            territoire.nom()
        )),
        Some((l, _)) => Ok(l.pcode.clone()),
    }
}

/// The village a line of the form names, by P-code or by name, inside the territory; else
/// the message that says what to write instead.
fn ligne(
    texte: &str,
    resolveur: &Resolveur,
    territoire: &Territoire<'_>,
) -> Result<String, String> {
    if let Some(pcode) = pcode_de_la_ligne(texte) {
        return par_pcode(&pcode, resolveur, territoire);
    }
    let requete = Requete {
        texte: texte.to_owned(),
        pays: Some(Pays::MALI),
        portee: Portee::Localites,
        limite: 100,
    };
    let resolution = resolveur.resoudre(&requete).map_err(|e| e.to_string())?;
    let (dedans, dehors): (Vec<&Candidat<'_>>, Vec<&Candidat<'_>>) = resolution
        .candidats
        .iter()
        .filter(|c| c.localite.is_some())
        .partition(|c| territoire.contient(&c.dans));
    let surs: Vec<&Candidat<'_>> = dedans
        .iter()
        .copied()
        .filter(|c| c.score >= SCORE_SUR)
        .collect();
    let Some(premier) = surs.first() else {
        let mut message = format!(
            "aucun village de ce nom dans {} ; écrivez son nom comme au recensement ou son code P (ML…)",
            territoire.nom()
        );
        if let Some(proche) = dedans.first() {
            message.push_str(&format!(" ; le plus proche : {}", candidat(proche)));
        }
        let ailleurs: Vec<String> = dehors
            .iter()
            .filter(|c| c.score >= SCORE_SUR)
            .take(3)
            .map(|c| candidat(c))
            .collect();
        if !ailleurs.is_empty() {
            message.push_str(&format!(
                " ; hors de ce territoire : {}",
                ailleurs.join(", ")
            ));
        }
        return Err(message);
    };
    // villages of one name in one commune (the gazetteer lists a seat twice) lead to the
    // same place: the first is taken; in two communes, a person has to choose
    let egaux: Vec<&Candidat<'_>> = surs
        .iter()
        .copied()
        .take_while(|c| c.ex_aequo(premier))
        .collect();
    if egaux.iter().any(|c| c.unite.id != premier.unite.id) {
        let noms: Vec<String> = egaux.iter().map(|c| candidat(c)).collect();
        return Err(format!(
            "plusieurs villages portent ce nom : {} ; écrivez le code P de celui de l'action",
            noms.join(", ")
        ));
    }
    Ok(premier
        .localite
        .map(|l| l.pcode.clone())
        .unwrap_or_default())
}

fn candidat(c: &Candidat<'_>) -> String {
    match c.localite {
        Some(l) => decrire(l, &c.dans),
        None => c.nom().to_owned(),
    }
}

/// The villages typed in the form, one per line (blank lines aside), as P-codes; every line
/// that names none is quoted in one message, which the form shows next to the field.
pub(super) fn lire(
    texte: &str,
    resolveur: &Resolveur,
    territoire: &Territoire<'_>,
) -> Result<Vec<String>, String> {
    let lignes: Vec<&str> = texte
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if lignes.len() > LOCALITES_MAX {
        return Err(format!(
            "{}.",
            crate::model::ErreurModele::TropDeLocalites(lignes.len())
        ));
    }
    let mut pcodes: Vec<String> = Vec::new();
    let mut fautes = Vec::new();
    for l in lignes {
        match ligne(l, resolveur, territoire) {
            Ok(p) if pcodes.contains(&p) => {}
            Ok(p) => pcodes.push(p),
            Err(e) => fautes.push(format!("« {} » : {e}.", crate::model::Extrait(l))),
        }
    }
    if fautes.is_empty() {
        Ok(pcodes)
    } else {
        Err(fautes.join(" "))
    }
}

/// The villages of an action as the edit form shows them, one per line, which [`lire`]
/// reads back to the same villages.
pub(super) fn en_lignes(localites: &[Localite]) -> String {
    localites
        .iter()
        .map(|l| format!("{} ({})", l.nom, l.pcode))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use super::*;
    use crate::store::{Store, collectivite};

    /// The référentiel indexed once, with the cercle of Kati and its commune of Sanankoro
    /// Djitoumou.
    fn donnees() -> &'static (Resolveur, Collectivite, Collectivite) {
        static DONNEES: OnceLock<(Resolveur, Collectivite, Collectivite)> = OnceLock::new();
        DONNEES.get_or_init(|| {
            let dossier = tempfile::tempdir().unwrap();
            let store = Store::ouvrir(&dossier.path().join("referentiel.db")).unwrap();
            let conn = store.connexion().unwrap();
            crate::referentiel::charger(&conn).unwrap();
            let unite = |niveau, code| {
                collectivite::par_code(&conn, Pays::MALI, niveau, code)
                    .unwrap()
                    .unwrap()
            };
            (
                crate::referentiel::resolveur(&conn).unwrap(),
                unite(Niveau::Cercle, "ML-2-KATI"),
                unite(Niveau::Commune, "ML-2-KATI-SANANKORO-DJITOUMOU"),
            )
        })
    }

    fn lire_dans(texte: &str, territoire: &Collectivite) -> Result<Vec<String>, String> {
        let (resolveur, ..) = donnees();
        let lieux = [territoire.clone()];
        lire(texte, resolveur, &Territoire::depuis_lieux(&lieux))
    }

    #[test]
    fn a_village_is_found_by_name_or_p_code_inside_the_territory() {
        let (_, kati, sanankoro) = donnees();
        assert_eq!(
            lire_dans("Worofara", sanankoro),
            Ok(vec!["ML020530035".to_owned()])
        );
        assert_eq!(
            lire_dans("worofara\n\n  ml020530035 \r\nWorofara (ML020530035)", kati),
            Ok(vec!["ML020530035".to_owned()]),
            "a name, a P-code and the edit form's line name one village, kept once"
        );
        // the gazetteer lists the seat of Siby twice, in the same commune: no choice to make
        assert_eq!(lire_dans("Siby", kati), Ok(vec!["ML020533000".to_owned()]));
        // what the edit form writes reads back to the same villages
        let (resolveur, ..) = donnees();
        let (worofara, _) = resolveur.par_pcode("ML020530035").unwrap();
        let (bamakoni, _) = resolveur.par_pcode("ML020530001").unwrap();
        let lignes = en_lignes(&[bamakoni.clone(), worofara.clone()]);
        assert_eq!(lignes, "Bamakoni (ML020530001)\nWorofara (ML020530035)");
        assert_eq!(
            lire_dans(&lignes, sanankoro),
            Ok(vec!["ML020530001".to_owned(), "ML020530035".to_owned()])
        );
    }

    #[test]
    fn an_unknown_village_says_where_it_was_looked_for_and_what_to_write() {
        let (_, kati, sanankoro) = donnees();
        let message = lire_dans("Worofra", sanankoro).unwrap_err();
        assert!(
            message.starts_with(
                "« Worofra » : aucun village de ce nom dans la commune de Sanankoro Djitoumou ; écrivez son nom comme au recensement ou son code P (ML…)"
            ),
            "{message}"
        );
        assert!(
            message.contains(
                "le plus proche : Worofara (commune de Sanankoro Djitoumou, ML020530035)"
            ),
            "{message}"
        );
        let message = lire_dans("ML099999999", kati).unwrap_err();
        assert!(
            message.contains("aucun village du Mali ne porte le code P « ML099999999 »"),
            "{message}"
        );
        let message = lire_dans("Worofara\nZzzyxw", kati).unwrap_err();
        assert!(
            message.starts_with("« Zzzyxw » : aucun village de ce nom dans le cercle de Kati"),
            "only the wrong line is named: {message}"
        );
        let trop: String = (0..=LOCALITES_MAX).map(|_| "Worofara\n").collect();
        assert!(
            lire_dans(&trop, kati)
                .unwrap_err()
                .starts_with("51 villages : une action en compte au plus 50")
        );
    }

    #[test]
    fn a_village_outside_the_territory_is_refused_by_name_and_by_p_code() {
        let (_, _, sanankoro) = donnees();
        // Bakaribougou lies in two other communes of the cercle of Kati
        let message = lire_dans("Bakaribougou", sanankoro).unwrap_err();
        assert!(
            message.contains("aucun village de ce nom dans la commune de Sanankoro Djitoumou"),
            "{message}"
        );
        assert!(
            message.contains("hors de ce territoire : Bakaribougou ("),
            "{message}"
        );
        let message = lire_dans("ML020514028", sanankoro).unwrap_err();
        assert!(
            message.starts_with("« ML020514028 » : Bakaribougou (commune de "),
            "{message}"
        );
        assert!(
            message.ends_with(
                "ML020514028) n'est pas dans la commune de Sanankoro Djitoumou, le territoire du partenariat."
            ),
            "{message}"
        );
    }

    #[test]
    fn homonymous_villages_of_two_communes_ask_for_the_p_code() {
        let (_, kati, _) = donnees();
        let message = lire_dans("Bakaribougou", kati).unwrap_err();
        assert!(
            message.starts_with("« Bakaribougou » : plusieurs villages portent ce nom : "),
            "{message}"
        );
        for pcode in ["ML020501003", "ML020514028"] {
            assert!(message.contains(&format!(", {pcode})")), "{message}");
        }
        assert!(
            message.ends_with("écrivez le code P de celui de l'action."),
            "{message}"
        );
        assert_eq!(
            lire_dans("ML020514028", kati),
            Ok(vec!["ML020514028".to_owned()])
        );
    }
}
