//! What an action's results are measured in: the units, exact values in them, and the
//! catalogue of standard indicators (`data/indicateurs/catalogue.csv`, compiled in).

use std::sync::OnceLock;

use super::code::vocabulaire;
use super::{Code, Domaine, ErreurModele};

vocabulaire! {
    /// The unit of an indicator. Values are kept as integers in the unit's smallest step
    /// ([`Unite::decimales`]): never floats.
    Unite, champ = "unite" {
        Nombre => ("nombre", "nombre"),
        Personnes => ("personnes", "personnes"),
        Km => ("km", "km"),
        Ha => ("ha", "ha"),
        Pourcentage => ("pourcentage", "%"),
    }
}

impl Unite {
    /// Digits after the decimal comma: 0 for counts, 1 for km, ha and percentages.
    pub fn decimales(self) -> u32 {
        match self {
            Unite::Nombre | Unite::Personnes => 0,
            Unite::Km | Unite::Ha | Unite::Pourcentage => 1,
        }
    }

    /// The largest value, in steps: 100 % for a percentage.
    fn maximum(self) -> i64 {
        match self {
            Unite::Pourcentage => 1_000,
            _ => 1_000_000_000_000,
        }
    }

    /// Whether a value splits into women and men (people only).
    pub fn par_sexe(self) -> bool {
        self == Unite::Personnes
    }

    /// IATI's IndicatorMeasure code: 2 (percentage) or 1 (unit).
    pub fn mesure_iati(self) -> &'static str {
        match self {
            Unite::Pourcentage => "2",
            _ => "1",
        }
    }

    /// Reads a value as typed in a form or a file: « 12 », « 1 250 », « 12,5 », « 12.5 ».
    /// `champ` names the field in the message.
    pub fn lire(self, champ: &'static str, texte: &str) -> Result<Valeur, ErreurModele> {
        let propre: String = texte
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
            .collect();
        let illisible = || ErreurModele::ValeurIllisible {
            champ,
            texte: texte.trim().to_owned(),
            unite: self,
        };
        let (entier, decimales) = match propre.split_once([',', '.']) {
            Some((_, "")) => return Err(illisible()),
            Some((e, d)) => (e, d),
            None => (propre.as_str(), ""),
        };
        if entier.is_empty()
            || !entier.bytes().all(|o| o.is_ascii_digit())
            || !decimales.bytes().all(|o| o.is_ascii_digit())
            || decimales.len() > self.decimales() as usize
            || entier.len() > 13
        {
            return Err(illisible());
        }
        let echelle = 10i64.pow(self.decimales());
        let mut pas = entier.parse::<i64>().map_err(|_| illisible())? * echelle;
        if !decimales.is_empty() {
            let d: i64 = decimales.parse().map_err(|_| illisible())?;
            pas += d * 10i64.pow(self.decimales() - decimales.len() as u32);
        }
        Valeur::new(self, champ, pas)
    }
}

/// An exact value in a unit, as a number of its smallest steps (tenths of km, ha, %).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Valeur {
    pub unite: Unite,
    pub pas: i64,
}

impl Valeur {
    /// A value of `pas` steps, checked: not negative, a percentage within 0–100.
    pub fn new(unite: Unite, champ: &'static str, pas: i64) -> Result<Valeur, ErreurModele> {
        if pas < 0 {
            return Err(ErreurModele::ValeurNegative(champ));
        }
        if pas > unite.maximum() {
            return Err(ErreurModele::ValeurHorsBornes {
                champ,
                unite,
                maximum: Valeur {
                    unite,
                    pas: unite.maximum(),
                }
                .to_string(),
            });
        }
        Ok(Valeur { unite, pas })
    }

    /// The number alone, in French: « 1 250 », « 12,5 ».
    pub fn nombre(self) -> String {
        let echelle = 10i64.pow(self.unite.decimales());
        let groupes = super::chiffres_groupes((self.pas / echelle).unsigned_abs().into());
        match self.unite.decimales() {
            0 => groupes,
            d => format!(
                "{groupes},{:0width$}",
                self.pas % echelle,
                width = d as usize
            ),
        }
    }

    /// The number as files write it: « 1250 », « 12.5 » (a point, no grouping).
    pub fn en_fichier(self) -> String {
        let echelle = 10i64.pow(self.unite.decimales());
        match self.unite.decimales() {
            0 => self.pas.to_string(),
            d => format!(
                "{}.{:0width$}",
                self.pas / echelle,
                self.pas % echelle,
                width = d as usize
            ),
        }
    }
}

/// « 1 250 personnes », « 12,5 km », « 45,0 % », and a count alone: « 6 200 ».
impl std::fmt::Display for Valeur {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.unite {
            Unite::Nombre => f.write_str(&self.nombre()),
            unite => write!(f, "{} {}", self.nombre(), unite.libelle()),
        }
    }
}

/// A standard indicator of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indicateur {
    /// Stable, never reused (« EAU-01 »).
    pub code: String,
    pub libelle: String,
    pub unite: Unite,
    pub domaines: Vec<Domaine>,
    /// IATI's ResultType: 1 output, 2 outcome.
    pub type_resultat: u8,
    /// Whether its values split into women and men.
    pub par_sexe: bool,
    /// The benkan version that took it out of the catalogue: not offered any more, its
    /// results stay readable and counted.
    pub retire_dans: Option<String>,
}

impl Indicateur {
    pub fn retire(&self) -> bool {
        self.retire_dans.is_some()
    }
}

/// The shipped catalogue, read once.
pub fn catalogue() -> &'static [Indicateur] {
    static CATALOGUE: OnceLock<Vec<Indicateur>> = OnceLock::new();
    CATALOGUE.get_or_init(|| {
        lire_catalogue(include_str!("../../data/indicateurs/catalogue.csv"))
            .unwrap_or_else(|e| panic!("data/indicateurs/catalogue.csv : {e}"))
    })
}

/// The catalogue's indicator with this code, retired ones included.
pub fn indicateur(code: &str) -> Option<&'static Indicateur> {
    catalogue().iter().find(|i| i.code == code)
}

/// The position of `code` in the catalogue: the overview counts by it, a small number
/// instead of a text per result.
pub fn rang_au_catalogue(code: &str) -> Option<u16> {
    catalogue()
        .iter()
        .position(|i| i.code == code)
        .and_then(|i| u16::try_from(i).ok())
}

/// Reads the catalogue's CSV (checked by a test: a broken file never ships).
fn lire_catalogue(texte: &str) -> Result<Vec<Indicateur>, String> {
    let mut lecteur = csv::Reader::from_reader(texte.as_bytes());
    let mut liste: Vec<Indicateur> = Vec::new();
    for (i, ligne) in lecteur.records().enumerate() {
        let ligne = ligne.map_err(|e| e.to_string())?;
        let n = i + 2;
        let champ = |k: usize| ligne.get(k).unwrap_or("").trim();
        let code = champ(0).to_owned();
        if code.is_empty() || liste.iter().any(|x| x.code == code) {
            return Err(format!("ligne {n} : code vide ou en double « {code} »"));
        }
        let unite = Unite::depuis_code(champ(2)).map_err(|e| format!("ligne {n} : {e}"))?;
        let domaines = champ(3)
            .split('|')
            .map(|d| Domaine::depuis_code(d.trim()).map_err(|e| format!("ligne {n} : {e}")))
            .collect::<Result<Vec<_>, _>>()?;
        let type_resultat = match champ(4) {
            "1" => 1,
            "2" => 2,
            autre => return Err(format!("ligne {n} : type_resultat « {autre} » (1 ou 2)")),
        };
        let par_sexe = match champ(5) {
            "oui" => true,
            "non" => false,
            autre => return Err(format!("ligne {n} : par_sexe « {autre} » (oui ou non)")),
        };
        if par_sexe && !unite.par_sexe() {
            return Err(format!(
                "ligne {n} : seules des personnes se ventilent par sexe"
            ));
        }
        liste.push(Indicateur {
            code,
            libelle: champ(1).to_owned(),
            unite,
            domaines,
            type_resultat,
            par_sexe,
            retire_dans: Some(champ(6)).filter(|r| !r.is_empty()).map(str::to_owned),
        });
    }
    Ok(liste)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_catalogue_reads_and_covers_every_domaine() {
        let c = catalogue();
        assert!(c.len() >= 20);
        for d in Domaine::TOUS {
            assert!(
                c.iter().any(|i| i.domaines.contains(d)),
                "no indicator for {d}"
            );
        }
        let eau = indicateur("EAU-01").unwrap();
        assert_eq!(eau.unite, Unite::Nombre);
        assert!(!eau.retire());
        assert!(indicateur("GOU-01").unwrap().par_sexe);
    }

    #[test]
    fn a_broken_catalogue_says_its_line() {
        let tete = "code,libelle,unite,domaines,type_resultat,par_sexe,retire_dans\n";
        for (ligne, attendu) in [
            ("X,a,litres,sante,1,non,", "ligne 2 : « litres »"),
            ("X,a,nombre,sante,3,non,", "type_resultat « 3 »"),
            ("X,a,km,sante,1,oui,", "seules des personnes"),
            ("X,a,nombre,peche,1,non,", "« peche »"),
        ] {
            let e = lire_catalogue(&format!("{tete}{ligne}\n")).unwrap_err();
            assert!(e.contains(attendu), "{e}");
        }
        let double = lire_catalogue(&format!(
            "{tete}X,a,nombre,sante,1,non,\nX,b,nombre,sante,1,non,\n"
        ))
        .unwrap_err();
        assert!(double.contains("ligne 3"), "{double}");
    }

    #[test]
    fn values_are_exact_in_their_unit() {
        let km = |t| Unite::Km.lire("cible", t);
        assert_eq!(km("12,5").unwrap().pas, 125);
        assert_eq!(km("12.5").unwrap().pas, 125);
        assert_eq!(km("12").unwrap().pas, 120);
        assert_eq!(km("1 250,5").unwrap().to_string(), "1\u{202f}250,5 km");
        assert_eq!(km("0,1").unwrap().en_fichier(), "0.1");
        assert!(matches!(
            km("12,55"),
            Err(ErreurModele::ValeurIllisible { .. })
        ));
        for mauvais in ["", "-3", "douze", "1e3", "12,", ",5", "1,2,3"] {
            assert!(km(mauvais).is_err(), "{mauvais:?}");
        }
        let personnes = Unite::Personnes.lire("valeur", "2 450").unwrap();
        assert_eq!(personnes.to_string(), "2\u{202f}450 personnes");
        assert!(Unite::Personnes.lire("valeur", "2,5").is_err());
        assert_eq!(
            Unite::Pourcentage
                .lire("cible", "100")
                .unwrap()
                .en_fichier(),
            "100.0"
        );
        let trop = Unite::Pourcentage.lire("cible", "100,1").unwrap_err();
        assert_eq!(
            trop.to_string(),
            "le champ « cible » dépasse le maximum de l'unité % : 100,0 %"
        );
        assert_eq!(
            Valeur::new(Unite::Nombre, "valeur", -1)
                .unwrap_err()
                .to_string(),
            "le champ « valeur » ne peut pas être négatif"
        );
    }
}
