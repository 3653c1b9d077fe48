//! A collectivité's PDESC (programme de développement économique, social et culturel): its
//! period, title, where to read it, and its objectives, which cooperation actions may cite.

use super::ErreurModele;
use super::code::identifiant;
use super::texte::{Saisie, texte_facultatif, texte_requis};

identifiant!(
    /// An objective of a PDESC.
    ObjectifId
);

/// The most objectives a PDESC lists here: its programmes, not every line of the document.
pub const OBJECTIFS_MAX: usize = 30;

/// A PDESC as typed: the objectives one per line.
#[derive(Debug, Clone, Default)]
pub struct NouveauPdesc {
    pub titre: String,
    pub debut: String,
    pub fin: String,
    pub reference: String,
    pub objectifs: String,
}

/// A PDESC that follows the rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pdesc {
    pub titre: String,
    pub debut: i32,
    pub fin: i32,
    /// A link or a reference to the document (« délibération n° 12 du 3 mars 2022 »).
    pub reference: Option<String>,
    /// In their order, without repetition.
    pub objectifs: Vec<String>,
}

impl NouveauPdesc {
    pub fn valider(self) -> Result<Pdesc, ErreurModele> {
        let titre = texte_requis("titre", &self.titre, 300, Saisie::Ligne)?;
        let annee = |champ: &'static str, texte: &str| -> Result<i32, ErreurModele> {
            let t = texte.trim();
            if t.is_empty() {
                return Err(ErreurModele::ChampVide(champ));
            }
            match t.parse::<i32>() {
                Ok(a) if (1990..=2100).contains(&a) => Ok(a),
                Ok(a) => Err(ErreurModele::AnneeHorsBornes(a)),
                Err(_) => Err(ErreurModele::AnneeIllisible {
                    champ,
                    texte: t.to_owned(),
                }),
            }
        };
        let debut = annee("première année", &self.debut)?;
        let fin = annee("dernière année", &self.fin)?;
        if fin < debut || fin - debut > 10 {
            return Err(ErreurModele::PdescPeriode { debut, fin });
        }
        let reference = texte_facultatif("référence", Some(&self.reference), 500, Saisie::Ligne)?;
        let mut objectifs: Vec<String> = Vec::new();
        for ligne in self.objectifs.lines() {
            let ligne = ligne.trim().trim_start_matches(['-', '•', '*']).trim();
            if ligne.is_empty() {
                continue;
            }
            let objectif = texte_requis("objectif", ligne, 300, Saisie::Ligne)?;
            // the exchange files list the objectives in one cell, separated by « | »
            if objectif.contains('|') {
                return Err(ErreurModele::BarreDansObjectif(objectif));
            }
            if objectifs.contains(&objectif) {
                return Err(ErreurModele::ObjectifEnDouble(objectif));
            }
            objectifs.push(objectif);
        }
        if objectifs.is_empty() {
            return Err(ErreurModele::ChampVide("objectifs"));
        }
        if objectifs.len() > OBJECTIFS_MAX {
            return Err(ErreurModele::TropDObjectifs(objectifs.len()));
        }
        Ok(Pdesc {
            titre,
            debut,
            fin,
            reference,
            objectifs,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn saisie(debut: &str, fin: &str, objectifs: &str) -> NouveauPdesc {
        NouveauPdesc {
            titre: "PDESC de Kayes".into(),
            debut: debut.into(),
            fin: fin.into(),
            reference: String::new(),
            objectifs: objectifs.into(),
        }
    }

    #[test]
    fn objectives_are_read_one_per_line() {
        let p = saisie(
            "2022",
            "2026",
            "- Eau potable pour tous\n\n• Écoles\r\nÉtat civil  \n",
        )
        .valider()
        .unwrap();
        assert_eq!(
            p.objectifs,
            ["Eau potable pour tous", "Écoles", "État civil"]
        );
        assert_eq!((p.debut, p.fin), (2022, 2026));
    }

    #[test]
    fn broken_rules_say_what_to_fix() {
        for (s, attendu) in [
            (saisie("2026", "2022", "a"), "de 2026 à 2022"),
            (saisie("2010", "2030", "a"), "de 2010 à 2030"),
            (saisie("deux mille", "2026", "a"), "« deux mille »"),
            (
                saisie("2022", "2026", "\n \n"),
                "« objectifs » est obligatoire",
            ),
            (
                saisie("2022", "2026", "Eau\nEau"),
                "« Eau » figure deux fois",
            ),
            (
                saisie("2022", "2026", "Eau | assainissement"),
                "« Eau | assainissement » contient « | »",
            ),
        ] {
            match s.valider() {
                Ok(_) => assert!(attendu.is_empty()),
                Err(e) => assert!(e.to_string().contains(attendu), "{e} / {attendu}"),
            }
        }
        let beaucoup: String = (0..31).map(|i| format!("objectif {i}\n")).collect();
        assert!(
            saisie("2022", "2026", &beaucoup)
                .valider()
                .unwrap_err()
                .to_string()
                .contains("31 objectifs")
        );
    }
}
