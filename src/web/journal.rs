//! The journal as people read it. The store keeps two snapshots per change (fields, codes
//! and ids, for the audit); the history pages turn them into sentences of what changed —
//! « Étape ajoutée : jumelage-coopération depuis le 12 juin 1988 », « Partie ajoutée :
//! Angers (commune, France) » — with who made the change and when.

use std::collections::HashMap;

use rusqlite::Connection;
use serde_json::Value;

use super::WebError;
use crate::model::{
    Axe, Code, CollectiviteId, Domaine, Etape, Nature, RoleIntermediaire, StatutAction,
    StatutPartenariat, Validation,
};
use crate::store::{collectivite, journal::Entree};

/// One change as the history page shows it.
pub struct Ligne {
    pub quand: String,
    pub qui: String,
    /// What was done: « Déclaration », « Validation et publication »…
    pub operation: String,
    /// One sentence per change.
    pub changements: Vec<String>,
    pub commentaire: Option<String>,
}

/// The collectivités the snapshots cite by id (parties, places), by id: « Angers (commune,
/// France) ».
pub type Noms = HashMap<i64, String>;

/// Reads the names of the collectivités cited in `entrees`.
pub fn noms_cites(conn: &Connection, entrees: &[Entree]) -> Result<Noms, WebError> {
    noms_des_instantanes(
        conn,
        entrees.iter().flat_map(|e| [&e.avant, &e.apres]).flatten(),
    )
}

/// Reads the names of the collectivités cited in some snapshots.
pub fn noms_des_instantanes<'a>(
    conn: &Connection,
    instantanes: impl Iterator<Item = &'a Value>,
) -> Result<Noms, WebError> {
    let mut noms = Noms::new();
    let cites = instantanes
        .flat_map(|instantane| ["parties", "lieux"].map(|champ| instantane.get(champ)))
        .flatten()
        .filter_map(Value::as_array)
        .flatten()
        .filter_map(Value::as_i64);
    for id in cites {
        if noms.contains_key(&id) {
            continue;
        }
        if let Some(c) = collectivite::par_id(conn, CollectiviteId(id))? {
            let niveau = c.niveau_affiche().to_lowercase();
            noms.insert(id, format!("{} ({niveau}, {})", c.nom, c.pays.nom()));
        }
    }
    Ok(noms)
}

/// Who made a change the journal records without an account.
pub const SANS_COMPTE: &str = "benkan (chargement ou ligne de commande)";

/// The journal's entries as the history pages show them, oldest first.
pub fn lignes(entrees: Vec<Entree>, noms: &Noms) -> Vec<Ligne> {
    entrees
        .into_iter()
        .map(|e| Ligne {
            changements: phrases(e.avant.as_ref(), e.apres.as_ref(), noms),
            quand: quand(&e.quand),
            qui: e.compte.unwrap_or_else(|| SANS_COMPTE.to_owned()),
            operation: operation(&e.operation).to_owned(),
            commentaire: e.commentaire,
        })
        .collect()
}

fn operation(code: &str) -> &str {
    match code {
        "creation" => "Déclaration",
        "modification" => "Modification",
        "validation" => "Validation et publication",
        "correction" => "Renvoi pour correction",
        "archivage" => "Archivage",
        "restauration" => "Restauration",
        "pourvue" => "Pourvue : un partenariat en est né",
        "retrait" => "Retrait par son auteur",
        autre => autre,
    }
}

/// « 30 novembre 2026 à 16 h 27 (UTC) » from the journal's RFC 3339 instant.
pub fn quand(texte: &str) -> String {
    time::OffsetDateTime::parse(texte, &time::format_description::well_known::Rfc3339)
        .map(|m| super::format::instant(&m))
        .unwrap_or_else(|_| texte.replace('T', " ").replace('Z', " UTC"))
}

/// How a field of a snapshot reads.
enum Champ {
    /// A text or a code: « Titre : « A » → « B » ».
    Valeur(&'static str, fn(&str) -> String),
    /// A list whose items are added or removed: (singular, plural, feminine, item).
    Liste(&'static str, &'static str, bool, Item),
    /// `archive`, said as what happened.
    Archive,
}

enum Item {
    Texte(fn(&str) -> String),
    Collectivite,
}

/// The order the sentences come in: what the record is, where, its history, its review.
const ORDRE: [&str; 22] = [
    "titre",
    "description",
    "statut",
    "axe",
    "domaine",
    "nature",
    "debut",
    "fin",
    "parties",
    "lieux",
    "localites",
    "points",
    "resultats",
    "pdesc",
    "objectif_pdesc",
    "etapes",
    "conventions",
    "intermediaires",
    "contacts",
    "validation",
    "commentaire_validation",
    "archive",
];

fn champ(nom: &str) -> Option<Champ> {
    use Champ::*;
    Some(match nom {
        "titre" => Valeur("Titre", guillemets),
        "description" => Valeur("Description", guillemets),
        "statut" => Valeur("Statut", statut),
        "validation" => Valeur("Validation", libelle::<Validation>),
        "commentaire_validation" => Valeur("Commentaire de validation", guillemets),
        "axe" => Valeur("Axe d'intervention", libelle::<Axe>),
        "domaine" => Valeur("Domaine", libelle::<Domaine>),
        "nature" => Valeur("Nature", libelle::<Nature>),
        "debut" => Valeur("Début", date),
        "fin" => Valeur("Fin", date),
        "archive" => Archive,
        "parties" => Liste("Partie", "Parties", true, Item::Collectivite),
        "lieux" => Liste("Lieu", "Lieux", false, Item::Collectivite),
        "etapes" => Liste("Étape", "Étapes", true, Item::Texte(etape)),
        "conventions" => Liste("Convention", "Conventions", true, Item::Texte(guillemets)),
        "intermediaires" => Liste(
            "Intermédiaire",
            "Intermédiaires",
            false,
            Item::Texte(intermediaire),
        ),
        "contacts" => Liste("Contact", "Contacts", false, Item::Texte(str::to_owned)),
        "points" => Liste("Point", "Points", false, Item::Texte(str::to_owned)),
        "localites" => Liste("Localité", "Localités", true, Item::Texte(str::to_owned)),
        "resultats" => Liste("Résultat", "Résultats", false, Item::Texte(str::to_owned)),
        "pdesc" => Valeur("PDESC", str::to_owned),
        "objectif_pdesc" => Valeur("Objectif du PDESC servi", str::to_owned),
        _ => return None,
    })
}

fn guillemets(texte: &str) -> String {
    format!("« {} »", crate::model::Extrait(texte))
}

fn libelle<C: Code>(code: &str) -> String {
    C::depuis_code(code).map_or_else(|_| code.to_owned(), |c| c.libelle().to_owned())
}

/// A partenariat's or an action's statut: the two vocabularies share no code that would
/// read differently.
fn statut(code: &str) -> String {
    match StatutPartenariat::depuis_code(code) {
        Ok(s) => s.libelle().to_owned(),
        Err(_) => libelle::<StatutAction>(code),
    }
}

fn date(texte: &str) -> String {
    time::Date::parse(texte, &time::format_description::well_known::Iso8601::DATE)
        .map(|d| crate::model::date_fr(&d))
        .unwrap_or_else(|_| texte.to_owned())
}

/// « 1988-06-12 jumelage_cooperation » → « jumelage-coopération depuis le 12 juin 1988 ».
fn etape(texte: &str) -> String {
    match texte.split_once(' ') {
        Some((depuis, code)) => format!(
            "{} depuis le {}",
            libelle::<Etape>(code).to_lowercase(),
            date(depuis)
        ),
        None => texte.to_owned(),
    }
}

/// « Cités Unies France (appui_technique) » → its role's label.
fn intermediaire(texte: &str) -> String {
    match texte.strip_suffix(')').and_then(|t| t.rsplit_once(" (")) {
        Some((nom, role)) => format!(
            "{nom} ({})",
            libelle::<RoleIntermediaire>(role).to_lowercase()
        ),
        None => texte.to_owned(),
    }
}

/// The sentences that say how `apres` differs from `avant` (everything it holds for a
/// creation), in the snapshot's order.
fn phrases(avant: Option<&Value>, apres: Option<&Value>, noms: &Noms) -> Vec<String> {
    let Some(Value::Object(apres)) = apres else {
        return Vec::new();
    };
    let vide = serde_json::Map::new();
    let avant = match avant {
        Some(Value::Object(a)) => a,
        _ => &vide,
    };
    let mut noms_champs: Vec<&String> = apres.keys().collect();
    noms_champs.sort_by_key(|n| ORDRE.iter().position(|o| o == n).unwrap_or(ORDRE.len()));
    let mut phrases = Vec::new();
    for nom in noms_champs {
        let nouvelle = &apres[nom];
        let ancienne = avant.get(nom).unwrap_or(&Value::Null);
        if ancienne == nouvelle {
            continue;
        }
        match champ(nom) {
            Some(Champ::Valeur(libelle, lire)) => {
                let texte = |v: &Value| valeur(lire, v);
                match (texte(ancienne), texte(nouvelle)) {
                    (None, Some(n)) => phrases.push(format!("{libelle} : {n}")),
                    (Some(a), Some(n)) => phrases.push(format!("{libelle} : {a} → {n}")),
                    (Some(a), None) => phrases.push(format!("{libelle} effacé (était : {a})")),
                    (None, None) => {}
                }
            }
            Some(Champ::Archive) => match (ancienne, nouvelle) {
                (_, Value::Bool(true)) => {
                    phrases.push("Archivé : retiré des pages publiques et des chiffres".to_owned())
                }
                (Value::Bool(true), _) => phrases.push("Sorti des archives".to_owned()),
                _ => {}
            },
            Some(Champ::Liste(libelle, _, feminin, item)) => {
                let dire = |v: &Value| element(&item, v, noms);
                let e = if feminin { "e" } else { "" };
                let (avant, apres) = (liste(ancienne), liste(nouvelle));
                for retire in avant.iter().filter(|v| !apres.contains(v)) {
                    phrases.push(format!("{libelle} retiré{e} : {}", dire(retire)));
                }
                for ajoute in apres.iter().filter(|v| !avant.contains(v)) {
                    phrases.push(format!("{libelle} ajouté{e} : {}", dire(ajoute)));
                }
            }
            None => phrases.push(format!("{nom} : {} → {}", ancienne, nouvelle)),
        }
    }
    phrases
}

/// A value of a snapshot as people read it; none when empty.
fn valeur(lire: fn(&str) -> String, v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) if s.is_empty() => None,
        Value::String(s) => Some(lire(s)),
        autre => Some(autre.to_string()),
    }
}

/// One item of a snapshot's list as people read it.
fn element(item: &Item, v: &Value, noms: &Noms) -> String {
    match (item, v) {
        (Item::Collectivite, Value::Number(n)) => n
            .as_i64()
            .and_then(|id| noms.get(&id).cloned())
            .unwrap_or_else(|| format!("collectivité n° {n}")),
        (Item::Texte(lire), Value::String(s)) => lire(s),
        (_, autre) => autre.to_string(),
    }
}

fn liste(v: &Value) -> Vec<Value> {
    v.as_array().cloned().unwrap_or_default()
}

/// One field of a record whose published and proposed versions differ.
pub struct Difference {
    pub libelle: &'static str,
    /// The published value, one line per item; empty when there was none.
    pub publie: Vec<String>,
    pub propose: Vec<String>,
}

/// The fields that a change to a published record would alter, side by side, in the
/// snapshot's order; the review state itself (validation, comment, archive) is left out.
pub fn differences(publie: &Value, propose: &Value, noms: &Noms) -> Vec<Difference> {
    let Value::Object(propose) = propose else {
        return Vec::new();
    };
    let mut noms_champs: Vec<&String> = propose.keys().collect();
    noms_champs.sort_by_key(|n| ORDRE.iter().position(|o| o == n).unwrap_or(ORDRE.len()));
    let revue = ["validation", "commentaire_validation", "archive"];
    noms_champs
        .into_iter()
        .filter(|nom| !revue.contains(&nom.as_str()))
        .filter_map(|nom| {
            let nouvelle = &propose[nom];
            let ancienne = publie.get(nom).unwrap_or(&Value::Null);
            if ancienne == nouvelle {
                return None;
            }
            let champ = champ(nom)?;
            let lire = |v: &Value| match &champ {
                Champ::Valeur(_, lire) => valeur(*lire, v).into_iter().collect(),
                Champ::Liste(_, _, _, item) => {
                    liste(v).iter().map(|e| element(item, e, noms)).collect()
                }
                Champ::Archive => Vec::new(),
            };
            let libelle = match &champ {
                Champ::Valeur(libelle, _) | Champ::Liste(_, libelle, _, _) => *libelle,
                Champ::Archive => return None,
            };
            Some(Difference {
                libelle,
                publie: lire(ancienne),
                propose: lire(nouvelle),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn noms() -> Noms {
        Noms::from([
            (1, "Kayes (commune, Mali)".to_owned()),
            (18379, "Angers (commune, France)".to_owned()),
        ])
    }

    #[test]
    fn a_declaration_reads_as_sentences_without_codes_or_ids() {
        let cree = json!({
            "titre": "Kayes – Angers", "description": null, "statut": "actif",
            "validation": "soumis", "commentaire_validation": null, "archive": false,
            "parties": [1, 18379], "etapes": ["1988-06-12 jumelage_cooperation"],
            "conventions": [], "intermediaires": [], "contacts": [],
        });
        let phrases = phrases(None, Some(&cree), &noms());
        assert_eq!(
            phrases,
            [
                "Titre : « Kayes – Angers »",
                "Statut : Actif",
                "Partie ajoutée : Kayes (commune, Mali)",
                "Partie ajoutée : Angers (commune, France)",
                "Étape ajoutée : jumelage-coopération depuis le 12 juin 1988",
                "Validation : Soumis à validation",
            ]
        );
        let tout = phrases.join(" ");
        for brut in ["archive", "false", "[", "jumelage_cooperation", "18379"] {
            assert!(!tout.contains(brut), "« {brut} » dans {tout}");
        }
    }

    #[test]
    fn a_change_says_what_moved_and_nothing_else() {
        let avant = json!({
            "titre": "Forage", "axe": "services_sociaux_de_base", "debut": null,
            "lieux": [1], "archive": false, "validation": "valide",
            "intermediaires": ["Cités Unies France (appui_technique)"],
        });
        let apres = json!({
            "titre": "Forage du Plateau", "axe": "services_sociaux_de_base",
            "debut": "2024-01-15", "lieux": [18379], "archive": true, "validation": "valide",
            "intermediaires": [],
        });
        let phrases = phrases(Some(&avant), Some(&apres), &noms());
        assert_eq!(phrases[0], "Titre : « Forage » → « Forage du Plateau »");
        assert_eq!(phrases[1], "Début : 15 janvier 2024");
        assert_eq!(phrases[2], "Lieu retiré : Kayes (commune, Mali)");
        assert_eq!(phrases[3], "Lieu ajouté : Angers (commune, France)");
        assert!(phrases[4].starts_with("Intermédiaire retiré : Cités Unies France ("));
        assert!(phrases[5].starts_with("Archivé"));
        assert_eq!(phrases.len(), 6, "{phrases:?}");
        assert!(super::phrases(Some(&avant), None, &noms()).is_empty());
    }

    fn lignes(v: &[String]) -> Vec<&str> {
        v.iter().map(String::as_str).collect()
    }

    #[test]
    fn a_change_to_a_published_record_reads_side_by_side() {
        let publie = json!({
            "titre": "Forage", "description": null, "validation": "valide", "archive": false,
            "lieux": [1], "etapes": ["1988-06-12 jumelage_cooperation"], "points": [],
        });
        let propose = json!({
            "titre": "Forage du Plateau", "description": "Deux forages", "validation": "soumis",
            "archive": false, "lieux": [1, 18379], "etapes": ["1988-06-12 jumelage_cooperation"],
            "points": [],
        });
        let d = differences(&publie, &propose, &noms());
        let lu: Vec<(&str, Vec<&str>, Vec<&str>)> = d
            .iter()
            .map(|d| (d.libelle, lignes(&d.publie), lignes(&d.propose)))
            .collect();
        assert_eq!(
            lu,
            [
                ("Titre", vec!["« Forage »"], vec!["« Forage du Plateau »"]),
                ("Description", vec![], vec!["« Deux forages »"]),
                (
                    "Lieux",
                    vec!["Kayes (commune, Mali)"],
                    vec!["Kayes (commune, Mali)", "Angers (commune, France)"]
                ),
            ],
            "unchanged fields and the review state are left out"
        );
    }

    #[test]
    fn the_instant_and_the_operation_are_in_french() {
        assert_eq!(
            quand("2026-11-30T16:27:05Z"),
            "30 novembre 2026 à 16 h 27 (UTC)"
        );
        assert_eq!(operation("correction"), "Renvoi pour correction");
    }
}
