//! Which benkan unit each COD cercle and commune draws. Régions are fixed by the
//! preparation script (nine P-codes, plus Ménaka formed of its cercle); below them, a
//! cercle is found by its name among the cercles of its région, a commune by its name among
//! the communes of its cercle, both through the name resolver, so that OCHA's spellings
//! (« Koulikouro », « Tenenkou », « Kemene Tambo ») meet benkan's as any user's would.
//! What the resolver cannot settle is decided by hand in `data/carte/decisions.csv`, each
//! line with its reason.
//!
//! The result is written to `data/carte/correspondance.csv` and compiled in; a test checks
//! that the file is what this computation gives (`BENKAN_REGENERER_CARTE=1 cargo test
//! --lib carte::correspondance` rewrites it).

use std::collections::HashMap;

use rusqlite::Connection;

use super::Echelon;
use super::chargement::{Proprietes, unites_cod};
use crate::model::{CollectiviteId, Niveau, Pays};
use crate::referentiel::{self, Portee, Raison, Requete};
use crate::store;

const DECISIONS: &str = include_str!("../../data/carte/decisions.csv");

/// How a P-code found its benkan unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Methode {
    /// The same name, once case, accents and punctuation are set aside.
    Nom,
    /// The only name close enough inside the same parent.
    NomApprochant,
    /// A line of `decisions.csv`.
    Decision,
    /// Nothing found and nothing decided: the unit is drawn but counts for no one.
    Aucune,
}

impl Methode {
    pub fn cle(self) -> &'static str {
        match self {
            Methode::Nom => "nom",
            Methode::NomApprochant => "nom approchant",
            Methode::Decision => "décision",
            Methode::Aucune => "aucune",
        }
    }
}

/// One line of the correspondence.
#[derive(Debug, Clone)]
pub struct Ligne {
    pub pcode: String,
    pub echelon: Echelon,
    pub nom_cod: String,
    pub code: Option<String>,
    pub nom_benkan: Option<String>,
    pub methode: Methode,
    /// A decision that the resolver now makes alone: to be removed from the table.
    pub decision_superflue: bool,
}

/// A hand-made decision: the P-code, the benkan code (empty: none) and why.
struct Decision {
    code: Option<String>,
}

fn decisions() -> HashMap<String, Decision> {
    let mut lecteur = csv::Reader::from_reader(DECISIONS.as_bytes());
    lecteur
        .records()
        .filter_map(Result::ok)
        .filter_map(|l| {
            Some((
                l.get(0)?.to_owned(),
                Decision {
                    code: l.get(1).filter(|c| !c.is_empty()).map(str::to_owned),
                },
            ))
        })
        .collect()
}

/// The correspondence for every COD cercle and commune, in the order of the map files.
pub fn calculer(conn: &Connection) -> store::Result<Vec<Ligne>> {
    let resolveur = referentiel::resolveur(conn)?;
    let donnees = store::referentiel::donnees_resolution(conn)?;
    let maliennes: HashMap<CollectiviteId, (String, Option<CollectiviteId>, String)> = donnees
        .unites
        .iter()
        .filter(|(c, _)| c.pays.est_mali())
        .filter_map(|(c, _)| Some((c.id, (c.code.clone()?, c.parent, c.nom.clone()))))
        .collect();
    let code_parent = |id: CollectiviteId| {
        let parent = maliennes.get(&id)?.1?;
        Some(maliennes.get(&parent)?.0.as_str())
    };
    let nom_de = |code: &str| {
        maliennes
            .values()
            .find(|(c, _, _)| c == code)
            .map(|(_, _, n)| n.clone())
    };
    let decisions = decisions();
    let chercher = |nom: &str, niveau: Niveau, parent: Option<&str>| -> (Option<String>, Methode) {
        let Some(parent) = parent else {
            return (None, Methode::Aucune);
        };
        let requete = Requete {
            texte: nom.to_owned(),
            pays: Some(Pays::MALI),
            portee: Portee::Niveau(niveau),
            limite: 50,
        };
        let Ok(resolution) = resolveur.resoudre(&requete) else {
            return (None, Methode::Aucune);
        };
        let dans_le_parent: Vec<_> = resolution
            .candidats
            .iter()
            .filter(|c| c.unite.niveau == niveau && code_parent(c.unite.id) == Some(parent))
            .collect();
        let surs: Vec<_> = dans_le_parent
            .iter()
            .filter(|c| {
                matches!(
                    c.raison,
                    Raison::Exact | Raison::Normalised | Raison::FormerName
                )
            })
            .collect();
        let code = |c: &referentiel::Candidat<'_>| maliennes.get(&c.unite.id).map(|m| m.0.clone());
        match (surs.as_slice(), dans_le_parent.as_slice()) {
            ([un], _) => (code(un), Methode::Nom),
            ([], [un, reste @ ..]) if reste.iter().all(|c| c.score < un.score) => {
                (code(un), Methode::NomApprochant)
            }
            _ => (None, Methode::Aucune),
        }
    };
    let (cercles, communes) = unites_cod();
    let mut lignes: Vec<Ligne> = Vec::with_capacity(cercles.len() + communes.len());
    let mut ligne = |p: &Proprietes, echelon: Echelon, parent: Option<&str>| {
        let niveau = match echelon {
            Echelon::Cercle => Niveau::Cercle,
            _ => Niveau::Commune,
        };
        let trouve = chercher(&p.nom, niveau, parent);
        let decision_superflue = decisions
            .get(&p.pcode)
            .is_some_and(|d| trouve.0.is_some() && d.code == trouve.0);
        let (code, methode) = match decisions.get(&p.pcode) {
            Some(d) => (d.code.clone(), Methode::Decision),
            None => trouve,
        };
        let l = Ligne {
            pcode: p.pcode.clone(),
            echelon,
            nom_cod: p.nom.clone(),
            nom_benkan: code.as_deref().and_then(nom_de),
            code,
            methode,
            decision_superflue,
        };
        lignes.push(l.clone());
        l
    };
    let mut cercle_code: HashMap<String, Option<String>> = HashMap::new();
    for c in &cercles {
        let l = ligne(c, Echelon::Cercle, c.region.as_deref());
        cercle_code.insert(l.pcode, l.code);
    }
    for c in &communes {
        let parent = c
            .pcode_parent
            .as_ref()
            .and_then(|p| cercle_code.get(p).cloned().flatten());
        ligne(c, Echelon::Commune, parent.as_deref());
    }
    Ok(lignes)
}

/// The correspondence as `data/carte/correspondance.csv` holds it.
pub fn en_csv(lignes: &[Ligne]) -> String {
    let mut ecrivain = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let mut ecrire = |champs: [&str; 6]| ecrivain.write_record(champs);
    let _ = ecrire([
        "pcode",
        "niveau",
        "nom_cod",
        "code",
        "nom_benkan",
        "methode",
    ]);
    for l in lignes {
        let _ = ecrire([
            &l.pcode,
            l.echelon.cle(),
            &l.nom_cod,
            l.code.as_deref().unwrap_or(""),
            l.nom_benkan.as_deref().unwrap_or(""),
            l.methode.cle(),
        ]);
    }
    String::from_utf8(ecrivain.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn lignes() -> Vec<Ligne> {
        let dossier = tempfile::tempdir().unwrap();
        let store = Store::ouvrir(&dossier.path().join("carte.db")).unwrap();
        let conn = store.connexion().unwrap();
        referentiel::charger(&conn).unwrap();
        calculer(&conn).unwrap()
    }

    /// The shipped file is what the resolver and the decisions give today.
    #[test]
    fn le_fichier_embarque_est_a_jour() {
        let attendu = en_csv(&lignes());
        if std::env::var_os("BENKAN_REGENERER_CARTE").is_some() {
            std::fs::write(
                concat!(env!("CARGO_MANIFEST_DIR"), "/data/carte/correspondance.csv"),
                &attendu,
            )
            .unwrap();
            return;
        }
        assert!(
            referentiel::CORRESPONDANCE_COD == attendu,
            "data/carte/correspondance.csv n'est plus à jour : \
             BENKAN_REGENERER_CARTE=1 cargo test --lib carte::correspondance"
        );
    }

    /// Every decision is still needed, and no unit is left without one.
    #[test]
    fn chaque_decision_sert_et_rien_ne_reste_sans_decision() {
        let lignes = lignes();
        let sans: Vec<_> = lignes
            .iter()
            .filter(|l| l.methode == Methode::Aucune)
            .map(|l| format!("{} {}", l.pcode, l.nom_cod))
            .collect();
        assert!(
            sans.is_empty(),
            "sans correspondance ni décision : {sans:?}"
        );
        let mut codes: Vec<_> = lignes
            .iter()
            .filter_map(|l| l.code.as_deref())
            .filter(|c| *c != "ML-BKO")
            .collect();
        codes.sort_unstable();
        let doubles: Vec<_> = codes
            .windows(2)
            .filter(|p| p[0] == p[1])
            .map(|p| p[0])
            .collect();
        assert!(
            doubles.is_empty(),
            "unités benkan dessinées deux fois : {doubles:?}"
        );
        let superflues: Vec<_> = lignes
            .iter()
            .filter(|l| l.decision_superflue)
            .map(|l| &l.pcode)
            .collect();
        assert!(
            superflues.is_empty(),
            "décisions que le résolveur prend seul : {superflues:?}"
        );
        for pcode in decisions().keys() {
            assert!(
                lignes.iter().any(|l| &l.pcode == pcode),
                "décision pour un P-code inconnu : {pcode}"
            );
        }
    }
}
