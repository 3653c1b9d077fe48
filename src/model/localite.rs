//! The localités of Mali: the villages, hamlets and quarters of the COD gazetteer
//! (`data/carte/localites.csv`). A localité is not a collectivité territoriale — it has no
//! council and is party to no partenariat — but it is where an action happens, and it
//! counts for the collectivité it lies in.

use super::code::identifiant;
use super::point::coordonnee;
use super::{CollectiviteId, ErreurModele, Saisie, texte_requis};

identifiant!(
    /// Identifies a localité in the database.
    LocaliteId
);

/// The longest name kept: the gazetteer's longest is some 40 characters.
const NOM_MAX: usize = 200;

/// The most villages an action lists, as for its points: beyond, its places are its
/// communes.
pub const LOCALITES_MAX: usize = 50;

/// A localité's P-code, trimmed, if it is one: « ML » and nine digits.
pub fn pcode_localite(texte: &str) -> Result<String, ErreurModele> {
    let pcode = texte.trim();
    let chiffres = pcode.strip_prefix("ML").unwrap_or("");
    if chiffres.len() != 9 || !chiffres.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ErreurModele::PcodeLocalite(pcode.to_owned()));
    }
    Ok(pcode.to_owned())
}

/// Checks the villages of an action, by P-code: at most [`LOCALITES_MAX`], each a P-code;
/// one listed twice is kept once. Whether the gazetteer holds them is the store's to say.
pub fn valider_localites(pcodes: Vec<String>) -> Result<Vec<String>, ErreurModele> {
    if pcodes.len() > LOCALITES_MAX {
        return Err(ErreurModele::TropDeLocalites(pcodes.len()));
    }
    let mut gardes: Vec<String> = Vec::with_capacity(pcodes.len());
    for p in pcodes {
        let p = pcode_localite(&p)?;
        if !gardes.contains(&p) {
            gardes.push(p);
        }
    }
    Ok(gardes)
}

/// A localité as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Localite {
    pub id: LocaliteId,
    /// The COD P-code, « ML » and nine digits (« ML020530035 »).
    pub pcode: String,
    pub nom: String,
    /// The commune it lies in; for the few villages of a COD commune that benkan does not
    /// have (data/carte/decisions.csv), the cercle around it.
    pub collectivite: CollectiviteId,
    /// WGS 84 degrees.
    pub longitude: f64,
    pub latitude: f64,
}

/// A localité of the shipped gazetteer, before its rules are checked.
#[derive(Debug, Clone, PartialEq)]
pub struct NouvelleLocalite {
    pub pcode: String,
    pub nom: String,
    pub collectivite: CollectiviteId,
    pub longitude: f64,
    pub latitude: f64,
}

impl NouvelleLocalite {
    /// Trims the name; refuses an empty or over-long one, a P-code that is not « ML » and nine
    /// digits, and coordinates off the globe.
    pub fn valider(self) -> Result<NouvelleLocalite, ErreurModele> {
        let nom = texte_requis("nom", &self.nom, NOM_MAX, Saisie::Ligne)?;
        Ok(NouvelleLocalite {
            pcode: pcode_localite(&self.pcode)?,
            nom,
            longitude: coordonnee("longitude", self.longitude, 180.0)?,
            latitude: coordonnee("latitude", self.latitude, 90.0)?,
            ..self
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn worofara() -> NouvelleLocalite {
        NouvelleLocalite {
            pcode: "ML020530035".into(),
            nom: " Worofara ".into(),
            collectivite: CollectiviteId(1),
            longitude: -7.58078,
            latitude: 12.10206,
        }
    }

    #[test]
    fn a_localite_needs_a_name_a_p_code_and_a_point_on_the_globe() {
        assert_eq!(worofara().valider().unwrap().nom, "Worofara");
        let sans_nom = NouvelleLocalite {
            nom: "  ".into(),
            ..worofara()
        };
        assert_eq!(sans_nom.valider(), Err(ErreurModele::ChampVide("nom")));
        for pcode in ["ML0205300", "ML02053003X", "FR020530035", ""] {
            let l = NouvelleLocalite {
                pcode: pcode.into(),
                ..worofara()
            };
            assert!(
                matches!(l.valider(), Err(ErreurModele::PcodeLocalite(_))),
                "{pcode}"
            );
        }
        let ailleurs = NouvelleLocalite {
            latitude: 91.0,
            ..worofara()
        };
        assert!(matches!(
            ailleurs.valider(),
            Err(ErreurModele::CoordonneeHorsBornes { .. })
        ));
        assert_eq!(
            valider_localites(vec![" ML020530035".into(), "ML020530035".into()]),
            Ok(vec!["ML020530035".to_owned()])
        );
        let trop = vec!["ML020530035".to_owned(); LOCALITES_MAX + 1];
        assert_eq!(
            valider_localites(trop),
            Err(ErreurModele::TropDeLocalites(51))
        );
        let nan = NouvelleLocalite {
            longitude: f64::NAN,
            ..worofara()
        };
        assert!(nan.valider().is_err());
    }
}
