//! Which Malian collectivité a published place designates, if any: only a certain answer
//! links; anything doubtful keeps the name alone.

use std::collections::HashMap;

use rusqlite::Connection;

use crate::model::nom::normaliser;
use crate::model::{CollectiviteId, Pays};
use crate::referentiel::{Portee, Requete, Resolveur, SCORE_SUR};
use crate::store::{self, collectivite, localite};

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

/// Why a name links to no collectivité.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EchecNom {
    /// No sure reading: nothing close, only the beginning of a name, or a typo.
    Inconnu,
    /// Sure readings that are distinct units (homonyms in two cercles), or a former unit
    /// that became several.
    Ambigu,
}

/// The Malian collectivité a name designates without doubt: the best candidate of the name
/// resolver if it is sure (exact, normalised or former name) and alone; when the name is
/// shared by nested units of the same name only (région, cercle and commune of Kayes), the
/// widest of them, which holds every reading. A village's name (« Worofara ») that no
/// collectivité bears links the commune it lies in, when every village of that name lies
/// in the same one.
pub fn resoudre_nom(resolveur: &Resolveur, nom: &str) -> Result<CollectiviteId, EchecNom> {
    let requete = Requete {
        texte: nettoyer_nom(nom).to_owned(),
        pays: Some(Pays::MALI),
        portee: Portee::Tout,
        // every homonym: the commonest village name, Madina, has 49
        limite: 100,
    };
    let resolution = resolveur
        .resoudre(&requete)
        .map_err(|_| EchecNom::Inconnu)?;
    let premier = resolution.candidats.first().ok_or(EchecNom::Inconnu)?;
    if premier.score < SCORE_SUR {
        return Err(EchecNom::Inconnu);
    }
    let mut ex_aequo: Vec<_> = resolution
        .candidats
        .iter()
        .filter(|c| c.ex_aequo(premier))
        .collect();
    if premier.localite.is_some() {
        let mut communes: Vec<CollectiviteId> = ex_aequo.iter().map(|c| c.unite.id).collect();
        communes.sort_unstable();
        communes.dedup();
        return match communes.as_slice() {
            [commune] => Ok(*commune),
            _ => Err(EchecNom::Ambigu),
        };
    }
    ex_aequo.sort_by_key(|c| c.unite.niveau.rang());
    let emboites = ex_aequo
        .windows(2)
        .all(|p| p[1].unite.parent == Some(p[0].unite.id));
    if !emboites {
        return Err(EchecNom::Ambigu);
    }
    // A former unit counts as the one current unit it became, if there is exactly one.
    match ex_aequo[0].successeurs_actuels.as_slice() {
        [actuelle] => Ok(actuelle.id),
        _ => Err(EchecNom::Ambigu),
    }
}

/// Whether a name designates Mali as a whole (« Mali », « National », « Countrywide »): such a
/// place is the whole country, not a collectivité.
pub fn nomme_le_pays(nom: &str) -> bool {
    const PAYS: &[&str] = &[
        "mali",
        "republique du mali",
        "republic of mali",
        "tout le mali",
        "ensemble du mali",
        "ensemble du pays",
        "mali entier",
        "le mali",
        "mali wide",
        "mali national",
        "national",
        "niveau national",
        "nationwide",
        "nation wide",
        "national level",
        "countrywide",
        "country wide",
        "whole country",
    ];
    PAYS.contains(&normaliser(nom).as_str())
}

/// Resolutions already made in this import — a file names the same places and codes again
/// and again — and the few data the places need: collectivités by code, their ancestors.
pub(super) struct Cache<'a> {
    conn: &'a Connection,
    resolveur: &'a Resolveur,
    noms: HashMap<String, Result<CollectiviteId, EchecNom>>,
    /// By benkan code (« ML-1 ») or localité P-code (« ML010000000 »), which never meet.
    codes: HashMap<String, Option<CollectiviteId>>,
    /// Each unit with its rank, from the top one down to itself.
    lignees: HashMap<CollectiviteId, Vec<(CollectiviteId, u8)>>,
}

impl<'a> Cache<'a> {
    /// Distinct names kept; past this the cache starts again, so memory stays bounded.
    const TAILLE_MAX: usize = 50_000;

    pub(super) fn new(conn: &'a Connection, resolveur: &'a Resolveur) -> Self {
        Cache {
            conn,
            resolveur,
            noms: HashMap::new(),
            codes: HashMap::new(),
            lignees: HashMap::new(),
        }
    }

    /// The collectivité a name designates, or why none ([`resoudre_nom`]).
    pub(super) fn nom(&mut self, nom: &str) -> Result<CollectiviteId, EchecNom> {
        if let Some(deja) = self.noms.get(nom) {
            return *deja;
        }
        if self.noms.len() >= Self::TAILLE_MAX {
            self.noms.clear();
        }
        let resultat = resoudre_nom(self.resolveur, nom);
        self.noms.insert(nom.to_owned(), resultat);
        resultat
    }

    /// The one current Malian collectivité with this benkan code (« ML-1 », « ML-BKO »).
    pub(super) fn code(&mut self, code: &str) -> store::Result<Option<CollectiviteId>> {
        let code = code.trim().to_ascii_uppercase();
        if let Some(deja) = self.codes.get(&code) {
            return Ok(*deja);
        }
        let trouvees = collectivite::par_code_seul(self.conn, &code)?;
        let maliennes: Vec<_> = trouvees.iter().filter(|c| c.pays.est_mali()).collect();
        let resultat = match maliennes.as_slice() {
            [une] => Some(une.id),
            _ => None,
        };
        if self.codes.len() >= Self::TAILLE_MAX {
            self.codes.clear();
        }
        self.codes.insert(code, resultat);
        Ok(resultat)
    }

    /// The collectivité a localité lies in, from its COD P-code (« ML010000000 », the seat
    /// of Kayes, lies in the commune of Kayes), if the gazetteer has it.
    pub(super) fn localite(&mut self, pcode: &str) -> store::Result<Option<CollectiviteId>> {
        if let Some(deja) = self.codes.get(pcode) {
            return Ok(*deja);
        }
        let resultat = localite::collectivite_du_pcode(self.conn, pcode)?;
        if self.codes.len() >= Self::TAILLE_MAX {
            self.codes.clear();
        }
        self.codes.insert(pcode.to_owned(), resultat);
        Ok(resultat)
    }

    /// A collectivité and its ancestors with their ranks (1 région or district, 2 cercle,
    /// 3 commune), from the top one down to itself.
    pub(super) fn lignee(&mut self, id: CollectiviteId) -> store::Result<&[(CollectiviteId, u8)]> {
        if !self.lignees.contains_key(&id) {
            let mut lignee: Vec<(CollectiviteId, u8)> = collectivite::ancetres(self.conn, id)?
                .iter()
                .map(|c| (c.id, c.niveau.rang()))
                .collect();
            let elle = collectivite::requise(self.conn, id)?;
            lignee.push((elle.id, elle.niveau.rang()));
            // Bounded by the collectivités of Mali: no need to start again.
            self.lignees.insert(id, lignee);
        }
        Ok(&self.lignees[&id])
    }
}
