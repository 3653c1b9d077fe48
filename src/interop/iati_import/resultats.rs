//! The `<result>` elements of an activity, from the text published to benkan's types: what
//! cannot be read is left out and said, never guessed, and never fails the activity.

use super::activite::{ResultatLu, ValeurLue, choisir};
use crate::model::{
    BaseIati, DecimalIati, Extrait, PeriodeResultatIati, ResultatIati, ValeurResultatIati, date_iso,
};

/// A value or a date left out, with where its element starts in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Illisible {
    pub position: u64,
    pub message: String,
}

/// The values and dates left out of a file: all counted, only the first `places` kept to be
/// listed, so that a file full of them does not fill the memory.
#[derive(Debug)]
pub struct Illisibles {
    pub nombre: u64,
    pub gardes: Vec<Illisible>,
    places: usize,
}

impl Illisibles {
    pub fn new(places: usize) -> Illisibles {
        Illisibles {
            nombre: 0,
            gardes: Vec::new(),
            places,
        }
    }

    fn ajouter(&mut self, position: u64, message: impl FnOnce() -> String) {
        self.nombre += 1;
        if self.gardes.len() < self.places {
            self.gardes.push(Illisible {
                position,
                message: message(),
            });
        }
    }
}

/// An `iso-date` as published; a date-time keeps its date.
fn date(texte: &str) -> Option<time::Date> {
    date_iso(texte.get(..10).unwrap_or(texte))
}

/// A published value read as a decimal; one that is not a number is left out and said.
fn nombre(v: &ValeurLue, quoi: &str, illisibles: &mut Illisibles) -> Option<DecimalIati> {
    let texte = v.texte.as_deref()?;
    let lu = DecimalIati::lire(texte);
    if lu.is_none() {
        illisibles.ajouter(v.position, || {
            format!(
                "{quoi} « {} » d'un résultat n'est pas un nombre : laissée de côté",
                Extrait(texte)
            )
        });
    }
    lu
}

fn valeurs(
    liste: &[ValeurLue],
    quoi: &str,
    illisibles: &mut Illisibles,
) -> Vec<ValeurResultatIati> {
    liste
        .iter()
        .map(|v| ValeurResultatIati {
            valeur: nombre(v, quoi, illisibles),
            dimensions: v.dimensions.clone(),
        })
        .collect()
}

/// A period's date; one that cannot be read is left out and said.
fn jour(texte: &Option<String>, position: u64, illisibles: &mut Illisibles) -> Option<time::Date> {
    let texte = texte.as_deref()?;
    let lu = date(texte);
    if lu.is_none() {
        illisibles.ajouter(position, || {
            format!(
                "la date « {} » d'une période de résultat n'est pas une date AAAA-MM-JJ : laissée de côté",
                Extrait(texte)
            )
        });
    }
    lu
}

/// One [`ResultatIati`] per indicator. A result without indicator has nothing to show: left
/// out (IATI requires one).
pub fn convertir(resultats: &[ResultatLu], illisibles: &mut Illisibles) -> Vec<ResultatIati> {
    let mut sortie = Vec::new();
    for r in resultats {
        let titre = choisir(&r.titre).map(|n| n.texte.clone());
        for i in &r.indicateurs {
            let base = i.base.as_ref().map(|b| BaseIati {
                annee: b.annee.as_deref().and_then(|a| a.trim().parse().ok()),
                date: b.date.as_deref().and_then(date),
                valeur: nombre(&b.valeur, "la valeur de départ", illisibles),
            });
            let periodes = i
                .periodes
                .iter()
                .map(|p| PeriodeResultatIati {
                    debut: jour(&p.debut, p.position, illisibles),
                    fin: jour(&p.fin, p.position, illisibles),
                    cibles: valeurs(&p.cibles, "la cible", illisibles),
                    atteints: valeurs(&p.atteints, "la valeur atteinte", illisibles),
                })
                .collect();
            sortie.push(ResultatIati {
                type_resultat: r.type_resultat.clone(),
                titre: titre.clone(),
                indicateur: choisir(&i.titre).map(|n| n.texte.clone()),
                mesure: i.mesure.clone(),
                // xsd:boolean: « 0 » and « false » say less is better.
                croissant: i.croissant.as_deref().map(|c| c != "0" && c != "false"),
                reference: i.reference.clone(),
                base,
                periodes,
            });
        }
    }
    sortie
}
