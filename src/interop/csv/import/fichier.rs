//! One imported file: its header, the table it holds, its lines.

use std::collections::HashMap;

use super::Source;
use crate::interop::csv::erreurs::{EnFrancais, ErreurLigne};
use crate::interop::csv::format;
use crate::store::echange::Table;

/// A file read into memory: its header, and its lines with their line numbers.
pub(super) struct Fichier {
    pub(super) nom: String,
    /// Column name → position in the line.
    pub(super) colonnes: HashMap<String, usize>,
    pub(super) lignes: Vec<(u64, Vec<String>)>,
    pub(super) marque_decimale: char,
    /// Lines that could not be split into the header's columns.
    pub(super) erreurs: Vec<ErreurLigne>,
}

impl Fichier {
    pub(super) fn lire(source: Source) -> Result<(Table, Fichier), ErreurLigne> {
        let erreur = |ligne, colonne: &str, valeur: &str, attendu: String| ErreurLigne {
            fichier: source.nom.clone(),
            ligne,
            colonne: colonne.to_owned(),
            valeur: valeur.to_owned(),
            attendu,
        };
        let texte = format::texte(&source.octets);
        let separateur = format::separateur(&texte);
        let variante = format::Variante::du_separateur(separateur);
        let mut lecteur = csv::ReaderBuilder::new()
            .delimiter(separateur)
            .flexible(true)
            .from_reader(texte.as_bytes());
        let entete: Vec<String> = lecteur
            .headers()
            .map_err(|e| {
                erreur(
                    1,
                    "",
                    "",
                    format!("une ligne d'en-tête CSV lisible ({})", e.en_francais()),
                )
            })?
            .iter()
            .map(nom_de_colonne)
            .collect();
        let table = Self::table(&source.nom, &entete).ok_or_else(|| {
            erreur(
                1,
                "",
                &entete.join(","),
                format!(
                    "un fichier nommé d'après sa table ({}) ou dont l'en-tête est celui d'une de ces tables",
                    Table::TOUTES
                        .iter()
                        .map(|t| format!("{}.csv", t.nom()))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })?;
        for (i, c) in entete.iter().enumerate() {
            if entete[..i].contains(c) && !c.is_empty() {
                return Err(erreur(
                    1,
                    c,
                    c,
                    "chaque colonne une seule fois dans l'en-tête".to_owned(),
                ));
            }
            // spreadsheets often leave empty columns at the right
            if !c.is_empty() && !table.colonnes().contains(&c.as_str()) {
                return Err(erreur(
                    1,
                    c,
                    c,
                    format!(
                        "une colonne du fichier {}.csv : {}",
                        table.nom(),
                        table.colonnes().join(", ")
                    ),
                ));
            }
        }
        for c in table.cle() {
            if *c != "identifiant" && !entete.iter().any(|e| e == c) {
                return Err(erreur(1, c, "", "cette colonne, obligatoire".to_owned()));
            }
        }
        let colonnes: HashMap<String, usize> = entete
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.is_empty())
            .map(|(i, c)| (c.clone(), i))
            .collect();
        let mut lignes: Vec<(u64, Vec<String>)> = Vec::new();
        let mut erreurs = Vec::new();
        let mut numeros = Numeroteur::new(&texte);
        for enregistrement in lecteur.records() {
            let enregistrement = enregistrement.map_err(|e| {
                erreur(
                    0,
                    "",
                    "",
                    format!("un fichier CSV bien formé ({})", e.en_francais()),
                )
            })?;
            let ligne = enregistrement
                .position()
                .map_or(0, |p| numeros.ligne(p.byte()));
            if enregistrement.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            let hors_colonnes = enregistrement
                .iter()
                .enumerate()
                .find(|(i, c)| !c.trim().is_empty() && entete.get(*i).is_none_or(String::is_empty));
            if let Some((i, c)) = hors_colonnes {
                erreurs.push(erreur(
                    ligne,
                    "",
                    c.trim(),
                    format!(
                        "des cellules sous les colonnes de l'en-tête (la cellule n° {} n'a pas de colonne)",
                        i + 1
                    ),
                ));
                continue;
            }
            lignes.push((
                ligne,
                enregistrement
                    .iter()
                    .map(|c| variante.valeur(c.trim()).to_owned())
                    .collect(),
            ));
        }
        let marque_decimale = match colonnes.get("montant") {
            Some(&i) => format::marque_decimale(
                lignes
                    .iter()
                    .filter_map(|(_, l)| l.get(i).map(String::as_str)),
            ),
            None => '.',
        };
        Ok((
            table,
            Fichier {
                nom: source.nom,
                colonnes,
                lignes,
                marque_decimale,
                erreurs,
            },
        ))
    }

    /// The table a file holds: by its name (`partenariats.csv`, `2024-partenariats.csv`),
    /// else by its header.
    pub(super) fn table(nom: &str, entete: &[String]) -> Option<Table> {
        let base = nom
            .rsplit(['/', '\\', ':'])
            .next()
            .unwrap_or(nom)
            .to_lowercase();
        let base = base.strip_suffix(".csv").unwrap_or(&base);
        if let Some(t) = Table::TOUTES.iter().find(|t| base.ends_with(t.nom())) {
            return Some(*t);
        }
        // the one table whose columns include every column of the header
        let mut possibles = Table::TOUTES.into_iter().filter(|t| {
            entete
                .iter()
                .filter(|c| !c.is_empty())
                .all(|c| t.colonnes().contains(&c.as_str()))
        });
        match (possibles.next(), possibles.next()) {
            (Some(t), None) => Some(t),
            _ => None,
        }
    }
}

/// The line a record starts on, as an editor numbers it. The csv crate's own line number
/// is taken before the line ends that precede a record are skipped: after a CRLF (Excel,
/// `--excel-fr`) it still counts the `\n`, and after a blank line the blank line, so every
/// error would name a line too early. A record's byte offset is exact, and the lines are
/// counted from it: the line ends (`\r\n`, `\n` or a lone `\r`) before its first byte.
struct Numeroteur<'t> {
    octets: &'t [u8],
    /// Where counting stopped, and the line number there; records come in order.
    octet: usize,
    ligne: u64,
}

impl<'t> Numeroteur<'t> {
    fn new(texte: &'t str) -> Self {
        Numeroteur {
            octets: texte.as_bytes(),
            octet: 0,
            ligne: 1,
        }
    }

    /// The line of the record whose reading began at `debut`.
    fn ligne(&mut self, debut: u64) -> u64 {
        let debut = usize::try_from(debut)
            .unwrap_or(usize::MAX)
            .min(self.octets.len());
        // the line ends left before the record's first byte belong before it
        let premier = self.octets[debut..]
            .iter()
            .position(|b| !matches!(b, b'\r' | b'\n'))
            .map_or(self.octets.len(), |p| debut + p);
        if premier < self.octet {
            return self.ligne;
        }
        let passe = &self.octets[self.octet..premier];
        let fins = passe
            .iter()
            .enumerate()
            .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && passe.get(i + 1) != Some(&b'\n')))
            .count();
        self.ligne += fins as u64;
        self.octet = premier;
        self.ligne
    }
}

/// A header cell as benkan names its columns: « Intitulé », « Libellé niveau » and
/// « annee » all read as the column they mean.
pub(super) fn nom_de_colonne(entete: &str) -> String {
    crate::model::nom::normaliser(entete).replace(' ', "_")
}

/// Lines of `collectivites.csv` whose parent is another line of the import come after it.
pub(super) fn parents_d_abord(fichier: &mut Fichier) {
    let (Some(&i_id), Some(&i_parent)) = (
        fichier.colonnes.get("identifiant"),
        fichier.colonnes.get("parent"),
    ) else {
        return;
    };
    let parents: HashMap<String, String> = fichier
        .lignes
        .iter()
        .filter_map(|(_, l)| {
            let id = l.get(i_id).filter(|v| !v.is_empty())?;
            Some((id.clone(), l.get(i_parent).cloned().unwrap_or_default()))
        })
        .collect();
    let profondeur = |ligne: &Vec<String>| {
        let mut n = 0;
        let mut parent = ligne.get(i_parent).cloned().unwrap_or_default();
        // bounded: a cycle is reported by the import, not looped over
        while let Some(suivant) = parents.get(&parent) {
            n += 1;
            if n > parents.len() {
                break;
            }
            parent = suivant.clone();
        }
        n
    };
    fichier
        .lignes
        .sort_by_cached_key(|(numero, l)| (profondeur(l), *numero));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(nom: &str, texte: &str) -> Source {
        Source {
            nom: nom.to_owned(),
            octets: texte.as_bytes().to_vec(),
        }
    }

    #[test]
    fn a_file_is_known_by_its_name_or_its_header() {
        let entete = |t: &str| t.split(',').map(nom_de_colonne).collect::<Vec<_>>();
        assert_eq!(
            Fichier::table("export/2024-partenariats.csv", &[]),
            Some(Table::Partenariats)
        );
        assert_eq!(
            Fichier::table("registre.zip:actions.csv", &[]),
            Some(Table::Actions)
        );
        assert_eq!(
            Fichier::table("feuille1.csv", &entete("Titre,Statut,Parties")),
            Some(Table::Partenariats)
        );
        assert_eq!(
            Fichier::table(
                "feuille1.csv",
                &entete("Action,Source,Type,Montant,Devise,Année")
            ),
            Some(Table::Financements)
        );
        assert_eq!(Fichier::table("feuille1.csv", &entete("nom,prenom")), None);
        // acteurs and collectivités both have these: no guess
        assert_eq!(
            Fichier::table("feuille1.csv", &entete("identifiant,nom")),
            None
        );
    }

    #[test]
    fn headers_read_as_the_columns_they_mean() {
        assert_eq!(nom_de_colonne(" Intitulé "), "intitule");
        assert_eq!(nom_de_colonne("Libellé niveau"), "libelle_niveau");
        assert_eq!(nom_de_colonne("code_officiel"), "code_officiel");
    }

    #[test]
    fn lines_keep_their_numbers_and_quoted_line_breaks() {
        let (table, f) = Fichier::lire(source(
            "etapes.csv",
            "\u{feff}partenariat;etape;depuis;note\nP1;amitie;2001-01-01;\"deux\nlignes\"\n\n;;;\nP1;jumelage_culturel;2002-01-01;\n",
        ))
        .unwrap();
        assert_eq!(table, Table::Etapes);
        let numeros: Vec<u64> = f.lignes.iter().map(|(n, _)| *n).collect();
        assert_eq!(numeros, vec![2, 6]);
        assert_eq!(f.lignes[0].1[3], "deux\nlignes");
        assert!(f.erreurs.is_empty());
    }

    /// The same sheet with either line end, a quoted cell over two lines (written with
    /// the file's own line end) and a blank line: each kept line is numbered as an editor
    /// shows it.
    #[test]
    fn line_numbers_are_the_same_with_lf_and_crlf() {
        for fin in ["\n", "\r\n"] {
            let texte = [
                "partenariat;etape;depuis;note",
                "P1;amitie;2001-01-01;",
                "P1;jumelage_culturel;2002-01-01;\"deux",
                "lignes\"",
                "",
                "P2;amitie;2003-01-01;",
                "",
            ]
            .join(fin);
            let (_, f) = Fichier::lire(source("etapes.csv", &texte)).unwrap();
            let numeros: Vec<u64> = f.lignes.iter().map(|(n, _)| *n).collect();
            assert_eq!(numeros, vec![2, 3, 6], "{fin:?}");
            assert_eq!(f.lignes[1].1[3], format!("deux{fin}lignes"), "{fin:?}");
        }
    }

    #[test]
    fn an_unknown_column_is_refused_with_the_expected_ones() {
        let erreur = Fichier::lire(source("etapes.csv", "partenariat,etape,date\n"))
            .err()
            .unwrap();
        assert_eq!((erreur.ligne, erreur.colonne.as_str()), (1, "date"));
        assert!(
            erreur.attendu.contains("partenariat, etape, depuis, note"),
            "{erreur}"
        );
    }

    #[test]
    fn parents_come_before_their_children() {
        let (_, mut f) = Fichier::lire(source(
            "collectivites.csv",
            "identifiant,pays,niveau,nom,parent\n\
             C,DE,niveau_3,Enfant,B\nB,DE,niveau_2,Parent,A\nA,DE,niveau_1,Racine,\n",
        ))
        .unwrap();
        parents_d_abord(&mut f);
        let ordre: Vec<&str> = f.lignes.iter().map(|(_, l)| l[0].as_str()).collect();
        assert_eq!(ordre, vec!["A", "B", "C"]);
    }
}
