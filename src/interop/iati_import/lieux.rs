//! Which Malian collectivité a published place designates, if any: only a certain answer
//! links; anything doubtful keeps the name alone.

use std::collections::HashMap;

use rusqlite::Connection;

use crate::model::{CollectiviteId, Pays};
use crate::referentiel::{Requete, Resolveur, SCORE_SUR};
use crate::store::{self, collectivite};

/// The code of an `administrative` element when it is a Malian ISO 3166-2 code (vocabulary
/// A4: « ML-1 », « ML-BKO »), or « ML » itself.
pub fn code_malien<'a>(vocabulaire: Option<&str>, code: &'a str) -> Option<&'a str> {
    let malien = code.eq_ignore_ascii_case("ML")
        || code.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("ML-"));
    (vocabulaire == Some("A4") && malien).then_some(code)
}

/// A place name as publishers write it, without the country after it: « Kayes, Mali » →
/// « Kayes ». The resolver reads the rest (« Mopti Region », « Kati cercle »); the
/// country, it would look up as a parent.
pub fn nettoyer_nom(nom: &str) -> &str {
    let mut nom = nom.trim();
    for suffixe in [", Mali", " (Mali)", " - Mali", " – Mali", "/Mali"] {
        if nom.len() > suffixe.len()
            && nom
                .get(nom.len() - suffixe.len()..)
                .is_some_and(|s| s.eq_ignore_ascii_case(suffixe))
        {
            nom = nom[..nom.len() - suffixe.len()].trim_end();
        }
    }
    nom
}

/// The Malian collectivité a name designates without doubt: the best candidate of the name
/// resolver if it is sure (exact, normalised or former name) and alone; when the name is
/// shared by nested units of the same name only (région, cercle and commune of Kayes), the
/// widest of them, which holds every reading.
pub fn resoudre_nom(resolveur: &Resolveur, nom: &str) -> Option<CollectiviteId> {
    let requete = Requete {
        texte: nettoyer_nom(nom).to_owned(),
        pays: Some(Pays::MALI),
        niveau: None,
        limite: 10,
    };
    let resolution = resolveur.resoudre(&requete).ok()?;
    let premier = resolution.candidats.first()?;
    if premier.score < SCORE_SUR {
        return None;
    }
    let retenu = if resolution.ambigu {
        let mut ex_aequo: Vec<_> = resolution
            .candidats
            .iter()
            .filter(|c| c.score == premier.score && c.niveau_attendu == premier.niveau_attendu)
            .collect();
        ex_aequo.sort_by_key(|c| c.unite.niveau.rang());
        let emboites = ex_aequo
            .windows(2)
            .all(|p| p[1].unite.parent == Some(p[0].unite.id));
        if !emboites {
            return None;
        }
        ex_aequo[0]
    } else {
        premier
    };
    // A former unit counts as the one current unit it became, if there is exactly one.
    match retenu.successeurs_actuels.as_slice() {
        [actuelle] => Some(actuelle.id),
        _ => None,
    }
}

/// Resolutions already made in this import: a file names the same places again and again.
pub(super) struct Cache<'a> {
    conn: &'a Connection,
    resolveur: &'a Resolveur,
    noms: HashMap<String, Option<CollectiviteId>>,
}

impl<'a> Cache<'a> {
    /// Distinct names kept; past this the cache starts again, so memory stays bounded.
    const TAILLE_MAX: usize = 50_000;

    pub(super) fn new(conn: &'a Connection, resolveur: &'a Resolveur) -> Self {
        Cache {
            conn,
            resolveur,
            noms: HashMap::new(),
        }
    }

    /// The collectivité of a place: by its ISO 3166-2 code when it names a Malian unit,
    /// else by its name.
    pub(super) fn resoudre(
        &mut self,
        nom: &str,
        code: Option<&str>,
    ) -> store::Result<Option<CollectiviteId>> {
        if let Some(code) = code.filter(|c| c.len() > 2) {
            let trouvees = collectivite::par_code_seul(self.conn, &code.to_ascii_uppercase())?;
            let maliennes: Vec<_> = trouvees.iter().filter(|c| c.pays.est_mali()).collect();
            if let [une] = maliennes.as_slice() {
                return Ok(Some(une.id));
            }
        }
        if let Some(deja) = self.noms.get(nom) {
            return Ok(*deja);
        }
        if self.noms.len() >= Self::TAILLE_MAX {
            self.noms.clear();
        }
        let resultat = resoudre_nom(self.resolveur, nom);
        self.noms.insert(nom.to_owned(), resultat);
        Ok(resultat)
    }
}
