//! The référentiel territorial: every Malian and French collectivité, shipped with benkan,
//! and the resolver that finds them from the names people write.
//!
//! The data files live in `data/referentiel/` (see the README there for their provenance)
//! and are compiled into the binary: benkan needs no download to know where Kayes is.

mod chargement;
mod flou;
pub mod json;
mod lecture;
pub mod resolution;
#[cfg(test)]
mod resolution_tests;

pub use chargement::{
    CORRESPONDANCE_COD, CorrespondanceCod, ErreurReferentiel, RapportReferentiel, VERSION, charger,
    correspondance_cod, mettre_a_jour,
};
pub use resolution::{
    Candidat, Portee, Raison, Requete, RequeteInvalide, Resolution, Resolveur, SCORE_SUR,
    UniteConnue,
};

use rusqlite::Connection;

use crate::store::{self, referentiel::DonneesResolution};

/// Builds the resolver over every collectivité in the database, former names and successor
/// links included, and every localité.
pub fn resolveur(conn: &Connection) -> store::Result<Resolveur> {
    let DonneesResolution {
        unites,
        anciens_noms,
        successions,
        localites,
    } = store::referentiel::donnees_resolution(conn)?;
    let position: std::collections::HashMap<_, _> = unites
        .iter()
        .enumerate()
        .map(|(i, (u, _))| (u.id, i))
        .collect();
    let mut connues: Vec<UniteConnue> = unites
        .into_iter()
        .map(|(collectivite, parent_nom)| UniteConnue {
            collectivite,
            parent_nom,
            anciens_noms: Vec::new(),
            successeurs: Vec::new(),
        })
        .collect();
    for (id, nom) in anciens_noms {
        if let Some(&i) = position.get(&id) {
            connues[i].anciens_noms.push(nom);
        }
    }
    for (avant, apres) in successions {
        if let (Some(&i), Some(&j)) = (position.get(&avant), position.get(&apres)) {
            connues[i].successeurs.push(j);
        }
    }
    Ok(Resolveur::new(connues, localites))
}
