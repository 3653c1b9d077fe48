//! Loading the shipped reference data into the database, all or nothing, and again in place
//! when a new release ships a new version of it.

use std::collections::HashMap;

use rusqlite::Connection;
use serde::Deserialize;
use time::{Date, Duration};

use crate::model::{
    CollectiviteId, Niveau, NouvelleCollectivite, NouvelleLocalite, Pays, Periode, date_iso,
};
use crate::store::{self, StoreError, collectivite, localite, referentiel as base};

/// The version of the shipped data; a database holding another one is updated at start.
pub const VERSION: &str = "2026-11-30";

const MALI: &str = include_str!("../../data/referentiel/mali.csv");
const FRANCE_REGIONS: &str = include_str!("../../data/referentiel/france-regions.csv");
const FRANCE_DEPARTEMENTS: &str = include_str!("../../data/referentiel/france-departements.csv");
const FRANCE_COMMUNES: &str = include_str!("../../data/referentiel/france-communes.csv");
const FRANCE_EPCI: &str = include_str!("../../data/referentiel/france-epci.csv");
const FRANCE_REGIONS_2016: &str = include_str!("../../data/referentiel/france-regions-2016.csv");
const ANCIENS_NOMS: &str = include_str!("../../data/referentiel/anciens-noms.csv");
const LOCALITES: &str = include_str!("../../data/carte/localites.csv");
/// The COD P-codes of the cercles and communes with benkan's codes: the map's correspondence
/// (data/carte/README.md), written by `carte::correspondance`'s test.
pub const CORRESPONDANCE_COD: &str = include_str!("../../data/carte/correspondance.csv");

const SOURCE_MALI: &str = "Découpage administratif du Mali de 2016, d'après geo-api-mali (MIT), nettoyé par benkan \
                           (data/referentiel/mali.csv) ; codes ISO 3166-2 pour les régions, codes benkan en dessous";
const SOURCE_COG: &str =
    "Code officiel géographique (INSEE), via @etalab/decoupage-administratif 6.0.0 (MIT)";
const SOURCE_FUSIONS: &str =
    "Loi n° 2015-29 du 16 janvier 2015 relative à la délimitation des régions";
const SOURCE_LOCALITES: &str = "Lieux habités du Mali (COD_MLI_PopulatedPlaces), DNCT Mali / OCHA, \
                                COD-AB 2015 (data/carte/localites.csv)";

/// A shipped file that cannot be read: a defect of this build, reported precisely.
#[derive(Debug, thiserror::Error)]
pub enum ErreurReferentiel {
    #[error("données de référence {fichier}, ligne {ligne} : {message}")]
    Donnees {
        fichier: &'static str,
        ligne: u64,
        message: String,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for ErreurReferentiel {
    fn from(e: rusqlite::Error) -> Self {
        ErreurReferentiel::Store(e.into())
    }
}

/// What a load wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RapportReferentiel {
    /// Units per country, current and former.
    pub unites: HashMap<&'static str, usize>,
    /// Units whose parent is not in the data (left without a parent).
    pub sans_parent: usize,
    /// Localités (villages) of Mali.
    pub localites: usize,
    /// Of them, those tied to their cercle: their COD commune has no benkan commune.
    pub localites_au_cercle: usize,
}

impl RapportReferentiel {
    pub fn total(&self) -> usize {
        self.unites.values().sum()
    }
}

/// Loads the référentiel if the database does not hold this version of it yet; returns what
/// was written, or `None` when it was already up to date.
pub fn mettre_a_jour(conn: &Connection) -> Result<Option<RapportReferentiel>, ErreurReferentiel> {
    if base::version(conn)?.as_deref() == Some(VERSION) {
        return Ok(None);
    }
    charger(conn).map(Some)
}

/// Writes (or rewrites in place) every unit of the shipped data, in one transaction.
pub fn charger(conn: &Connection) -> Result<RapportReferentiel, ErreurReferentiel> {
    let mut chargement = Chargement {
        conn,
        ids: HashMap::new(),
        rapport: RapportReferentiel::default(),
    };
    store::atomique(conn, || {
        base::effacer_liens(conn)?;
        chargement.tout()?;
        crate::store::compte::suivre_successeurs(conn)?;
        base::marquer_version(conn, VERSION)?;
        Ok::<_, ErreurReferentiel>(())
    })?;
    Ok(chargement.rapport)
}

struct Chargement<'c> {
    conn: &'c Connection,
    ids: HashMap<String, CollectiviteId>,
    rapport: RapportReferentiel,
}

/// A unit to write under a stable key.
struct Unite<'a> {
    cle: String,
    pays: Pays,
    niveau: Niveau,
    libelle_niveau: Option<&'a str>,
    code: Option<&'a str>,
    nom: &'a str,
    cle_parent: Option<String>,
    /// A parent known by id rather than by key.
    parent: Option<CollectiviteId>,
    validite: Periode,
    population: Option<u64>,
    source: &'a str,
}

impl<'a> Unite<'a> {
    fn new(
        cle: String,
        pays: Pays,
        niveau: Niveau,
        code: Option<&'a str>,
        nom: &'a str,
        source: &'a str,
    ) -> Self {
        Unite {
            cle,
            pays,
            niveau,
            libelle_niveau: None,
            code,
            nom,
            cle_parent: None,
            parent: None,
            validite: Periode::inconnue(),
            population: None,
            source,
        }
    }
}

fn lire<T: for<'de> Deserialize<'de>>(
    fichier: &'static str,
    contenu: &str,
) -> Result<Vec<(u64, T)>, ErreurReferentiel> {
    let mut lecteur = csv::Reader::from_reader(contenu.as_bytes());
    lecteur
        .deserialize::<T>()
        .map(|ligne| {
            let position = ligne
                .as_ref()
                .err()
                .and_then(|e| e.position())
                .map(|p| p.line())
                .unwrap_or(0);
            ligne.map_err(|e| ErreurReferentiel::Donnees {
                fichier,
                ligne: position,
                message: e.to_string(),
            })
        })
        .enumerate()
        .map(|(i, r)| r.map(|v| (i as u64 + 2, v)))
        .collect()
}

fn date(fichier: &'static str, ligne: u64, texte: &str) -> Result<Date, ErreurReferentiel> {
    date_iso(texte).ok_or_else(|| ErreurReferentiel::Donnees {
        fichier,
        ligne,
        message: format!("« {texte} » n'est pas une date AAAA-MM-JJ"),
    })
}

fn vide(texte: &str) -> Option<&str> {
    Some(texte.trim()).filter(|t| !t.is_empty())
}

#[derive(Deserialize)]
struct LigneMali {
    code: String,
    niveau: String,
    nom: String,
    code_parent: String,
}

/// A COD cercle or commune and the benkan unit it stands for (an empty code: none).
#[derive(Deserialize)]
pub struct CorrespondanceCod {
    pub pcode: String,
    pub code: String,
    #[serde(rename = "nom_benkan")]
    pub nom: String,
}

/// The lines of [`CORRESPONDANCE_COD`]: one reader for the localités' load and the map.
pub fn correspondance_cod() -> Result<Vec<CorrespondanceCod>, ErreurReferentiel> {
    Ok(lire("correspondance.csv", CORRESPONDANCE_COD)?
        .into_iter()
        .map(|(_, l)| l)
        .collect())
}

#[derive(Deserialize)]
struct LigneLocalite {
    pcode: String,
    nom: String,
    pcode_commune: String,
    longitude: f64,
    latitude: f64,
}

#[derive(Deserialize)]
struct LigneRegion {
    code: String,
    nom: String,
}

#[derive(Deserialize)]
struct LigneDepartement {
    code: String,
    nom: String,
    code_region: String,
}

#[derive(Deserialize)]
struct LigneCommune {
    code: String,
    nom: String,
    r#type: String,
    code_departement: String,
    code_commune_parente: String,
    population: Option<u64>,
    anciens_codes: String,
}

#[derive(Deserialize)]
struct LigneEpci {
    code: String,
    nom: String,
    r#type: String,
    membres: String,
}

#[derive(Deserialize)]
struct LigneFusion {
    ancien_code: String,
    ancien_nom: String,
    nouveau_code: String,
    date_effet: String,
}

#[derive(Deserialize)]
struct LigneAncienNom {
    pays: String,
    niveau: String,
    ancien_nom: String,
    code_actuel: String,
    valide_jusqu_au: String,
    source: String,
}

fn erreur(fichier: &'static str, ligne: u64, message: String) -> ErreurReferentiel {
    ErreurReferentiel::Donnees {
        fichier,
        ligne,
        message,
    }
}

impl Chargement<'_> {
    fn tout(&mut self) -> Result<(), ErreurReferentiel> {
        self.mali()?;
        self.localites()?;
        self.france()?;
        self.anciens_noms()
    }

    fn ecrire(&mut self, unite: Unite<'_>) -> Result<CollectiviteId, ErreurReferentiel> {
        let parent = match &unite.cle_parent {
            None => unite.parent,
            Some(cle) => {
                let parent = self.ids.get(cle).copied();
                if parent.is_none() {
                    self.rapport.sans_parent += 1;
                }
                parent
            }
        };
        let nouvelle = NouvelleCollectivite {
            libelle_niveau: unite.libelle_niveau.map(str::to_owned),
            code: unite.code.map(str::to_owned),
            parent,
            validite: unite.validite,
            population: unite.population,
            source: Some(unite.source.to_owned()),
            ..NouvelleCollectivite::new(unite.pays, unite.niveau, unite.nom)
        };
        let id = collectivite::enregistrer_referentiel(self.conn, &unite.cle, nouvelle).map_err(
            |e| match e {
                StoreError::Modele(e) => ErreurReferentiel::Donnees {
                    fichier: "référentiel",
                    ligne: 0,
                    message: format!("{} : {e}", unite.cle),
                },
                autre => autre.into(),
            },
        )?;
        *self
            .rapport
            .unites
            .entry(if unite.pays == Pays::MALI { "ML" } else { "FR" })
            .or_default() += 1;
        self.ids.insert(unite.cle, id);
        Ok(id)
    }

    fn mali(&mut self) -> Result<(), ErreurReferentiel> {
        const FICHIER: &str = "mali.csv";
        for (ligne, l) in lire::<LigneMali>(FICHIER, MALI)? {
            let niveau: Niveau = l
                .niveau
                .parse()
                .map_err(|e| erreur(FICHIER, ligne, format!("{e}")))?;
            let mut unite = Unite::new(
                format!("ML:{}", l.code),
                Pays::MALI,
                niveau,
                Some(&l.code),
                &l.nom,
                SOURCE_MALI,
            );
            unite.cle_parent = vide(&l.code_parent).map(|p| format!("ML:{p}"));
            self.ecrire(unite)?;
        }
        Ok(())
    }

    /// The villages of the COD gazetteer, each in its commune: the benkan commune of its COD
    /// commune, or — for the three COD communes that benkan does not have
    /// (data/carte/decisions.csv) — the cercle around it, as for a point that falls there.
    fn localites(&mut self) -> Result<(), ErreurReferentiel> {
        const FICHIER: &str = "localites.csv";
        let codes: HashMap<String, String> = correspondance_cod()?
            .into_iter()
            .filter(|l| !l.code.is_empty())
            .map(|l| (l.pcode, l.code))
            .collect();
        for (ligne, l) in lire::<LigneLocalite>(FICHIER, LOCALITES)? {
            let (code, au_cercle) = match codes.get(&l.pcode_commune) {
                Some(code) => (code, false),
                None => match l.pcode_commune.get(..6).and_then(|c| codes.get(c)) {
                    Some(code) => (code, true),
                    None => {
                        return Err(erreur(
                            FICHIER,
                            ligne,
                            format!("commune {} sans correspondance", l.pcode_commune),
                        ));
                    }
                },
            };
            let collectivite = *self
                .ids
                .get(&format!("ML:{code}"))
                .ok_or_else(|| erreur(FICHIER, ligne, format!("collectivité {code} inconnue")))?;
            let nouvelle = NouvelleLocalite {
                pcode: l.pcode,
                nom: l.nom,
                collectivite,
                longitude: l.longitude,
                latitude: l.latitude,
            };
            localite::enregistrer_referentiel(self.conn, nouvelle, SOURCE_LOCALITES).map_err(
                |e| match e {
                    StoreError::Modele(e) => erreur(FICHIER, ligne, e.to_string()),
                    autre => autre.into(),
                },
            )?;
            self.rapport.localites += 1;
            self.rapport.localites_au_cercle += usize::from(au_cercle);
        }
        Ok(())
    }

    fn france(&mut self) -> Result<(), ErreurReferentiel> {
        for (_, l) in lire::<LigneRegion>("france-regions.csv", FRANCE_REGIONS)? {
            let mut unite = Unite::new(
                format!("FR:region:{}", l.code),
                Pays::FRANCE,
                Niveau::Region,
                Some(&l.code),
                &l.nom,
                SOURCE_COG,
            );
            // The COG files list the collectivités d'outre-mer (codes 975 to 989) with the
            // régions, so that their « départements » have a parent.
            if l.code.len() == 3 {
                unite.libelle_niveau = Some("Collectivité d'outre-mer");
            }
            self.ecrire(unite)?;
        }
        for (_, l) in lire::<LigneDepartement>("france-departements.csv", FRANCE_DEPARTEMENTS)? {
            let mut unite = Unite::new(
                format!("FR:departement:{}", l.code),
                Pays::FRANCE,
                Niveau::Departement,
                Some(&l.code),
                &l.nom,
                SOURCE_COG,
            );
            unite.cle_parent = Some(format!("FR:region:{}", l.code_region));
            self.ecrire(unite)?;
        }
        self.communes()?;
        self.epci()?;
        self.regions_2016()
    }

    fn communes(&mut self) -> Result<(), ErreurReferentiel> {
        const FICHIER: &str = "france-communes.csv";
        let lignes = lire::<LigneCommune>(FICHIER, FRANCE_COMMUNES)?;
        // Communes actuelles first: déléguées, associées and arrondissements hang from them.
        let (actuelles, rattachees): (Vec<_>, Vec<_>) = lignes
            .iter()
            .partition(|(_, l)| l.r#type == "commune-actuelle");
        for (ligne, l) in actuelles.into_iter().chain(rattachees) {
            let libelle = match l.r#type.as_str() {
                "commune-actuelle" => None,
                "commune-deleguee" => Some("Commune déléguée"),
                "commune-associee" => Some("Commune associée"),
                "arrondissement-municipal" => Some("Arrondissement municipal"),
                autre => {
                    return Err(erreur(
                        FICHIER,
                        *ligne,
                        format!("type de commune inconnu « {autre} »"),
                    ));
                }
            };
            let mut unite = Unite::new(
                format!("FR:{}:{}", l.r#type, l.code),
                Pays::FRANCE,
                Niveau::Commune,
                Some(&l.code),
                &l.nom,
                SOURCE_COG,
            );
            unite.libelle_niveau = libelle;
            unite.population = l.population;
            unite.cle_parent = match (vide(&l.code_commune_parente), vide(&l.code_departement)) {
                (Some(parente), _) => Some(format!("FR:commune-actuelle:{parente}")),
                (None, Some(departement)) => Some(format!("FR:departement:{departement}")),
                (None, None) => None,
            };
            let id = self.ecrire(unite)?;
            for ancien in l.anciens_codes.split('|').filter_map(vide) {
                base::ajouter_ancien_code(self.conn, id, ancien)?;
            }
        }
        Ok(())
    }

    fn epci(&mut self) -> Result<(), ErreurReferentiel> {
        const FICHIER: &str = "france-epci.csv";
        for (ligne, l) in lire::<LigneEpci>(FICHIER, FRANCE_EPCI)? {
            let (niveau, libelle) = match l.r#type.as_str() {
                "CC" => (Niveau::Epci, "Communauté de communes"),
                "CA" => (Niveau::Epci, "Communauté d'agglomération"),
                "CU" => (Niveau::Epci, "Communauté urbaine"),
                "METRO" => (Niveau::Metropole, "Métropole"),
                "MET69" => (Niveau::Metropole, "Métropole de Lyon"),
                "EPT" => (Niveau::Epci, "Établissement public territorial"),
                autre => {
                    return Err(erreur(
                        FICHIER,
                        ligne,
                        format!("type d'EPCI inconnu « {autre} »"),
                    ));
                }
            };
            let mut unite = Unite::new(
                format!("FR:epci:{}", l.code),
                Pays::FRANCE,
                niveau,
                Some(&l.code),
                &l.nom,
                SOURCE_COG,
            );
            unite.libelle_niveau = Some(libelle);
            let epci = self.ecrire(unite)?;
            for membre in l.membres.split('|').filter_map(vide) {
                let cle = format!("FR:commune-actuelle:{membre}");
                match self.ids.get(&cle) {
                    Some(&commune) => base::ajouter_membre_epci(self.conn, epci, commune)?,
                    None => {
                        return Err(erreur(
                            FICHIER,
                            ligne,
                            format!("commune membre {membre} inconnue"),
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    /// The régions merged in 2016 become former units, valid until the day before the
    /// merger, with a link to the new région.
    fn regions_2016(&mut self) -> Result<(), ErreurReferentiel> {
        const FICHIER: &str = "france-regions-2016.csv";
        for (ligne, l) in lire::<LigneFusion>(FICHIER, FRANCE_REGIONS_2016)? {
            let effet = date(FICHIER, ligne, &l.date_effet)?;
            let mut unite = Unite::new(
                format!("FR:region-historique:{}", l.ancien_code),
                Pays::FRANCE,
                Niveau::Region,
                Some(&l.ancien_code),
                &l.ancien_nom,
                SOURCE_FUSIONS,
            );
            unite.validite = Periode::new(None, Some(effet - Duration::days(1)))
                .map_err(|e| erreur(FICHIER, ligne, e.to_string()))?;
            let ancienne = self.ecrire(unite)?;
            let nouvelle = self
                .ids
                .get(&format!("FR:region:{}", l.nouveau_code))
                .copied()
                .ok_or_else(|| {
                    erreur(
                        FICHIER,
                        ligne,
                        format!("région {} inconnue", l.nouveau_code),
                    )
                })?;
            collectivite::ajouter_successeur(self.conn, ancienne, nouvelle, effet)?;
        }
        Ok(())
    }

    /// Former names the official files do not carry: each becomes a former unit with a
    /// successor link, and a name that still leads to the current unit.
    fn anciens_noms(&mut self) -> Result<(), ErreurReferentiel> {
        const FICHIER: &str = "anciens-noms.csv";
        for (ligne, l) in lire::<LigneAncienNom>(FICHIER, ANCIENS_NOMS)? {
            let pays = Pays::new(&l.pays).map_err(|e| erreur(FICHIER, ligne, e.to_string()))?;
            let niveau: Niveau = l
                .niveau
                .parse()
                .map_err(|e| erreur(FICHIER, ligne, format!("{e}")))?;
            let jusqu_au = date(FICHIER, ligne, &l.valide_jusqu_au)?;
            let cle_actuelle = match (pays.code(), niveau) {
                ("FR", Niveau::Commune) => format!("FR:commune-actuelle:{}", l.code_actuel),
                ("FR", niveau) => format!("FR:{}:{}", niveau.code(), l.code_actuel),
                (_, _) => format!("{}:{}", pays.code(), l.code_actuel),
            };
            let actuelle = *self.ids.get(&cle_actuelle).ok_or_else(|| {
                erreur(
                    FICHIER,
                    ligne,
                    format!("collectivité actuelle {} inconnue", l.code_actuel),
                )
            })?;
            let parent = collectivite::requise(self.conn, actuelle)?.parent;
            let mut unite = Unite::new(
                format!(
                    "{}:ancien-nom:{}:{}",
                    pays.code(),
                    l.code_actuel,
                    crate::model::nom::normaliser(&l.ancien_nom)
                ),
                pays,
                niveau,
                None,
                &l.ancien_nom,
                &l.source,
            );
            unite.parent = parent;
            unite.validite = Periode::new(None, Some(jusqu_au))
                .map_err(|e| erreur(FICHIER, ligne, e.to_string()))?;
            let ancienne = self.ecrire(unite)?;
            collectivite::ajouter_successeur(
                self.conn,
                ancienne,
                actuelle,
                jusqu_au + Duration::days(1),
            )?;
            base::ajouter_ancien_nom(
                self.conn,
                actuelle,
                &l.ancien_nom,
                Some(jusqu_au),
                &l.source,
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn the_gazetteer_is_loaded_in_place_each_village_in_its_commune() {
        let dossier = tempfile::tempdir().unwrap();
        let store = Store::ouvrir(&dossier.path().join("r.db")).unwrap();
        let conn = store.connexion().unwrap();
        let premier = charger(&conn).unwrap();
        assert_eq!(
            (premier.localites, premier.localites_au_cercle),
            (18_769, 42)
        );
        let avant = localite::toutes(&conn).unwrap();
        let second = charger(&conn).unwrap();
        assert_eq!(second, premier);
        assert_eq!(
            localite::toutes(&conn).unwrap(),
            avant,
            "same rows, same ids"
        );

        let code_de = |pcode: &str| {
            let l = avant.iter().find(|l| l.pcode == pcode).unwrap();
            collectivite::requise(&conn, l.collectivite).unwrap().code
        };
        assert_eq!(
            code_de("ML020530035").as_deref(),
            Some("ML-2-KATI-SANANKORO-DJITOUMOU"),
            "Worofara"
        );
        // Diafounou Diongaga, a COD commune that benkan does not have: its cercle
        assert_eq!(code_de("ML010701001").as_deref(), Some("ML-1-YELIMANE"));
        // a seat of région has a P-code of its own, and lies in its commune
        assert_eq!(code_de("ML010000000").as_deref(), Some("ML-1-KAYES-KAYES"));
    }
}
