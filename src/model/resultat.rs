//! What an action produced: for an indicator (of the catalogue, or the action's own), a
//! baseline, a target and values measured by period, with their rules.

use time::Date;

use super::code::identifiant;
use super::texte::{Saisie, texte_facultatif, texte_requis};
use super::{ErreurModele, Indicateur, Unite, Valeur, indicateur};

identifiant!(
    /// A result of an action, in the database.
    ResultatId
);

/// What a result measures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mesure {
    /// A standard indicator, by its code.
    Catalogue(String),
    /// The action's own indicator.
    Libre { libelle: String, unite: Unite },
}

impl Mesure {
    /// The catalogue's indicator, if it is one (retired ones included).
    pub fn indicateur(&self) -> Option<&'static Indicateur> {
        match self {
            Mesure::Catalogue(code) => indicateur(code),
            Mesure::Libre { .. } => None,
        }
    }

    pub fn unite(&self) -> Unite {
        match self {
            Mesure::Catalogue(code) => indicateur(code).map_or(Unite::Nombre, |i| i.unite),
            Mesure::Libre { unite, .. } => *unite,
        }
    }

    pub fn libelle(&self) -> &str {
        match self {
            Mesure::Catalogue(code) => indicateur(code).map_or(code.as_str(), |i| &i.libelle),
            Mesure::Libre { libelle, .. } => libelle,
        }
    }
}

/// A value measured over a period, with who it counts (women, men) when it counts people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodeMesuree {
    pub debut: Date,
    pub fin: Date,
    pub valeur: Valeur,
    pub femmes: Option<i64>,
    pub hommes: Option<i64>,
    pub commentaire: Option<String>,
    /// The document the value comes from (a report, a reception record).
    pub source: Option<String>,
}

/// One result of an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resultat {
    pub mesure: Mesure,
    /// The situation before the action, and when it was observed.
    pub base: Option<(Valeur, Date)>,
    /// What the action aims at, and by when if said.
    pub cible: Option<(Valeur, Option<Date>)>,
    pub periodes: Vec<PeriodeMesuree>,
}

impl Resultat {
    /// The sum of the values measured: what the action achieved so far.
    pub fn atteint(&self) -> Option<Valeur> {
        let unite = self.mesure.unite();
        if self.periodes.is_empty() {
            return None;
        }
        // a percentage is a level, not a quantity: the latest period says it
        if unite == Unite::Pourcentage {
            return self.periodes.iter().max_by_key(|p| p.fin).map(|p| p.valeur);
        }
        Some(Valeur {
            unite,
            pas: self.periodes.iter().map(|p| p.valeur.pas).sum(),
        })
    }

    /// Adds a measured period in date order; a second value for the same dates is refused
    /// (a period is measured once, and the exchange files find it by its dates).
    pub fn ajouter_periode(&mut self, periode: PeriodeMesuree) -> Result<(), ErreurModele> {
        let cle = (periode.debut, periode.fin);
        match self
            .periodes
            .binary_search_by_key(&cle, |p| (p.debut, p.fin))
        {
            Ok(_) => Err(ErreurModele::PeriodeEnDouble {
                debut: periode.debut,
                fin: periode.fin,
            }),
            Err(i) => {
                self.periodes.insert(i, periode);
                Ok(())
            }
        }
    }

    /// Achieved over target, in thousandths, when both are known and the target is not 0.
    pub fn progression_pour_mille(&self) -> Option<i64> {
        progression_pour_mille(self.atteint()?, self.cible?.0)
    }
}

/// `atteint` over `cible`, in thousandths; none for a target of 0.
pub fn progression_pour_mille(atteint: Valeur, cible: Valeur) -> Option<i64> {
    (cible.pas > 0).then(|| atteint.pas * 1000 / cible.pas)
}

/// A result as typed in a form or read from a file, before its checks.
#[derive(Debug, Clone, Default)]
pub struct NouveauResultat {
    /// A catalogue code, or empty for the action's own indicator.
    pub indicateur: String,
    pub libelle: String,
    /// The unit's code, for the action's own indicator.
    pub unite: String,
    pub base: String,
    pub base_date: Option<Date>,
    pub cible: String,
    pub cible_date: Option<Date>,
    pub periodes: Vec<NouvellePeriode>,
}

#[derive(Debug, Clone, Default)]
pub struct NouvellePeriode {
    pub debut: Option<Date>,
    pub fin: Option<Date>,
    pub valeur: String,
    pub femmes: String,
    pub hommes: String,
    pub commentaire: String,
    pub source: String,
}

impl NouveauResultat {
    /// Checks every rule; `nouveau` refuses a retired indicator (a result already recorded
    /// on one stays valid).
    pub fn valider(self, nouveau: bool) -> Result<Resultat, ErreurModele> {
        let mesure = match self.indicateur.trim() {
            "" => Mesure::Libre {
                libelle: texte_requis("indicateur libre", &self.libelle, 200, Saisie::Ligne)?,
                unite: super::Code::depuis_code(self.unite.trim())?,
            },
            code => {
                let i = indicateur(code)
                    .ok_or_else(|| ErreurModele::IndicateurInconnu(code.to_owned()))?;
                if nouveau && i.retire() {
                    return Err(ErreurModele::IndicateurRetire(i.libelle.clone()));
                }
                Mesure::Catalogue(i.code.clone())
            }
        };
        let unite = mesure.unite();
        let valeur = |champ, texte: &str| -> Result<Option<Valeur>, ErreurModele> {
            match texte.trim() {
                "" => Ok(None),
                t => unite.lire(champ, t).map(Some),
            }
        };
        let base = match (valeur("situation de départ", &self.base)?, self.base_date) {
            (Some(v), Some(d)) => Some((v, d)),
            (Some(_), None) => return Err(ErreurModele::DateManquante("situation de départ")),
            (None, _) => None,
        };
        let cible = valeur("cible", &self.cible)?.map(|v| (v, self.cible_date));
        let mut resultat = Resultat {
            mesure,
            base,
            cible,
            periodes: Vec::with_capacity(self.periodes.len()),
        };
        for p in self.periodes {
            resultat.ajouter_periode(p.valider(unite)?)?;
        }
        Ok(resultat)
    }
}

impl NouvellePeriode {
    /// Checks a measured value in the result's `unite`.
    pub fn valider(self, unite: Unite) -> Result<PeriodeMesuree, ErreurModele> {
        let (Some(debut), Some(fin)) = (self.debut, self.fin) else {
            return Err(ErreurModele::ChampVide("période mesurée (début et fin)"));
        };
        if fin < debut {
            return Err(ErreurModele::PeriodeInversee { debut, fin });
        }
        let valeur = match self.valeur.trim() {
            "" => return Err(ErreurModele::ChampVide("valeur mesurée")),
            t => unite.lire("valeur mesurée", t)?,
        };
        let compte = |champ, texte: &str| -> Result<Option<i64>, ErreurModele> {
            match texte.trim() {
                "" => Ok(None),
                _ if !unite.par_sexe() => Err(ErreurModele::VentilationSansPersonnes(unite)),
                t => Unite::Personnes.lire(champ, t).map(|v| Some(v.pas)),
            }
        };
        let femmes = compte("femmes", &self.femmes)?;
        let hommes = compte("hommes", &self.hommes)?;
        if femmes.unwrap_or(0) + hommes.unwrap_or(0) > valeur.pas {
            return Err(ErreurModele::VentilationTropGrande {
                femmes: femmes.unwrap_or(0),
                hommes: hommes.unwrap_or(0),
                valeur: valeur.pas,
            });
        }
        Ok(PeriodeMesuree {
            debut,
            fin,
            valeur,
            femmes,
            hommes,
            commentaire: texte_facultatif(
                "commentaire",
                Some(&self.commentaire),
                1_000,
                Saisie::Paragraphe,
            )?,
            source: texte_facultatif("source", Some(&self.source), 300, Saisie::Ligne)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn periode(debut: Date, fin: Date, valeur: &str) -> NouvellePeriode {
        NouvellePeriode {
            debut: Some(debut),
            fin: Some(fin),
            valeur: valeur.to_owned(),
            ..NouvellePeriode::default()
        }
    }

    #[test]
    fn a_result_sums_its_periods_against_its_target() {
        let r = NouveauResultat {
            indicateur: "GOU-01".to_owned(),
            base: "0".to_owned(),
            base_date: Some(date!(2023 - 01 - 01)),
            cible: "40".to_owned(),
            periodes: vec![
                NouvellePeriode {
                    femmes: "4".to_owned(),
                    hommes: "8".to_owned(),
                    ..periode(date!(2023 - 01 - 01), date!(2023 - 12 - 31), "12")
                },
                periode(date!(2024 - 01 - 01), date!(2024 - 06 - 30), "18"),
            ],
            ..NouveauResultat::default()
        }
        .valider(true)
        .unwrap();
        assert_eq!(r.mesure.libelle(), "Élus et agents formés");
        assert_eq!(r.atteint().unwrap().to_string(), "30 personnes");
        assert_eq!(r.progression_pour_mille(), Some(750));
    }

    #[test]
    fn a_percentage_is_its_latest_level() {
        let r = NouveauResultat {
            indicateur: "GOU-03".to_owned(),
            cible: "60".to_owned(),
            periodes: vec![
                periode(date!(2024 - 01 - 01), date!(2024 - 12 - 31), "45,5"),
                periode(date!(2023 - 01 - 01), date!(2023 - 12 - 31), "30"),
            ],
            ..NouveauResultat::default()
        }
        .valider(true)
        .unwrap();
        assert_eq!(r.atteint().unwrap().to_string(), "45,5 %");
        assert_eq!(r.periodes[0].debut, date!(2023 - 01 - 01), "sorted by date");
    }

    #[test]
    fn broken_rules_name_their_field() {
        let base = || NouveauResultat {
            indicateur: "EAU-01".to_owned(),
            ..NouveauResultat::default()
        };
        let cas: Vec<(NouveauResultat, &str)> = vec![
            (
                NouveauResultat {
                    indicateur: "EAU-99".to_owned(),
                    ..base()
                },
                "« EAU-99 » n'est pas un indicateur du catalogue",
            ),
            (
                NouveauResultat {
                    indicateur: String::new(),
                    libelle: "Moulins installés".to_owned(),
                    unite: "litres".to_owned(),
                    ..base()
                },
                "« litres » n'est pas une valeur admise pour « unite »",
            ),
            (
                NouveauResultat {
                    base: "3".to_owned(),
                    ..base()
                },
                "le champ « situation de départ » demande aussi sa date",
            ),
            (
                NouveauResultat {
                    cible: "-2".to_owned(),
                    ..base()
                },
                "« -2 » n'est pas une valeur en nombre pour le champ « cible »",
            ),
            (
                NouveauResultat {
                    periodes: vec![periode(date!(2024 - 05 - 01), date!(2024 - 01 - 01), "3")],
                    ..base()
                },
                "la période se termine le 2024-01-01 avant de commencer le 2024-05-01",
            ),
            (
                NouveauResultat {
                    periodes: vec![NouvellePeriode {
                        valeur: "3".to_owned(),
                        ..NouvellePeriode::default()
                    }],
                    ..base()
                },
                "période mesurée (début et fin)",
            ),
            (
                NouveauResultat {
                    periodes: vec![NouvellePeriode {
                        femmes: "1".to_owned(),
                        ..periode(date!(2024 - 01 - 01), date!(2024 - 02 - 01), "3")
                    }],
                    ..base()
                },
                "la ventilation femmes / hommes ne vaut que pour des personnes",
            ),
            (
                NouveauResultat {
                    indicateur: "EAU-02".to_owned(),
                    periodes: vec![NouvellePeriode {
                        femmes: "200".to_owned(),
                        hommes: "150".to_owned(),
                        ..periode(date!(2024 - 01 - 01), date!(2024 - 02 - 01), "300")
                    }],
                    ..base()
                },
                "femmes (200) et hommes (150) ensemble dépassent la valeur mesurée (300)",
            ),
            (
                NouveauResultat {
                    periodes: vec![
                        periode(date!(2024 - 01 - 01), date!(2024 - 02 - 01), "3"),
                        periode(date!(2024 - 01 - 01), date!(2024 - 02 - 01), "4"),
                    ],
                    ..base()
                },
                "deux valeurs sont mesurées pour la même période, du 2024-01-01 au 2024-02-01",
            ),
        ];
        for (saisie, attendu) in cas {
            let e = saisie.valider(true).unwrap_err().to_string();
            assert!(e.contains(attendu), "{e} / {attendu}");
        }
    }
}
