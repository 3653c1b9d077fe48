//! One line being read: its cells by column, and its mistakes in French.

use super::fichier::Fichier;
use crate::interop::csv::erreurs::ErreurLigne;
use crate::interop::csv::format;
use crate::model::{Code, ErreurModele};
use crate::store::StoreError;
use crate::store::echange::Table;

/// What became of a line.
pub(super) enum Issue {
    Cree,
    Modifie,
    Inchange,
}

impl Issue {
    /// A number for the import's digest.
    pub(super) fn code(&self) -> u8 {
        match self {
            Issue::Cree => 1,
            Issue::Modifie => 2,
            Issue::Inchange => 3,
        }
    }

    /// Whether the line writes something.
    pub(super) fn ecrit(&self) -> bool {
        !matches!(self, Issue::Inchange)
    }
}

/// A line being read: its cells by column name, and its mistakes.
pub(super) struct LigneLue<'a> {
    pub(super) fichier: &'a Fichier,
    pub(super) ligne: u64,
    pub(super) valeurs: &'a [String],
    pub(super) erreurs: Vec<ErreurLigne>,
    /// The line depends on one that failed: its own mistakes would only repeat those.
    pub(super) saut: bool,
}

impl LigneLue<'_> {
    /// The cell of `colonne`, `None` when empty or absent.
    pub(super) fn texte(&self, colonne: &str) -> Option<&str> {
        let i = *self.fichier.colonnes.get(colonne)?;
        self.valeurs
            .get(i)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    pub(super) fn erreur(&mut self, colonne: &str, attendu: impl Into<String>) {
        let valeur = self.texte(colonne).unwrap_or("").to_owned();
        self.erreurs.push(ErreurLigne {
            fichier: self.fichier.nom.clone(),
            ligne: self.ligne,
            colonne: colonne.to_owned(),
            valeur,
            attendu: attendu.into(),
        });
    }

    pub(super) fn requis(&mut self, colonne: &str) -> Option<String> {
        let v = self.texte(colonne).map(str::to_owned);
        if v.is_none() {
            self.erreur(colonne, "une valeur (colonne obligatoire)");
        }
        v
    }

    pub(super) fn code<T: Code>(&mut self, colonne: &str) -> Option<T> {
        let texte = self.requis(colonne)?;
        match T::depuis_code(&texte) {
            Ok(v) => Some(v),
            Err(e) => {
                self.erreur(
                    colonne,
                    format!("une de ces valeurs : {}", e.attendus.join(", ")),
                );
                None
            }
        }
    }

    /// An optional date; `Err` when the cell is not one.
    pub(super) fn date(&mut self, colonne: &str) -> Result<Option<time::Date>, ()> {
        match self.texte(colonne) {
            None => Ok(None),
            Some(t) => match format::date(t) {
                Some(d) => Ok(Some(d)),
                None => {
                    self.erreur(colonne, "une date existante AAAA-MM-JJ ou JJ/MM/AAAA");
                    Err(())
                }
            },
        }
    }

    /// A code column that may be left empty, for `defaut`.
    pub(super) fn code_ou<T: Code>(&mut self, colonne: &str, defaut: T) -> Option<T> {
        match self.texte(colonne) {
            Some(_) => self.code(colonne),
            None => Some(defaut),
        }
    }

    /// The period of two dates read; one that ends before it starts is a mistake of the
    /// column `colonne_fin`.
    pub(super) fn periode(
        &mut self,
        colonne_fin: &str,
        debut: Option<time::Date>,
        fin: Option<time::Date>,
    ) -> Option<crate::model::Periode> {
        crate::model::Periode::new(debut, fin)
            .map_err(|e| self.erreur(colonne_fin, e.to_string()))
            .ok()
    }

    pub(super) fn booleen(&mut self, colonne: &str) -> bool {
        let texte = self.texte(colonne).unwrap_or("").to_owned();
        format::booleen(&texte).unwrap_or_else(|| {
            self.erreur(colonne, "oui ou non");
            false
        })
    }

    pub(super) fn entier<T: std::str::FromStr>(
        &mut self,
        colonne: &str,
        attendu: &str,
    ) -> Result<Option<T>, ()> {
        match self.texte(colonne) {
            None => Ok(None),
            Some(t) => match t.replace([' ', '\u{A0}', '\u{202F}'], "").parse() {
                Ok(n) => Ok(Some(n)),
                Err(_) => {
                    self.erreur(colonne, attendu.to_owned());
                    Err(())
                }
            },
        }
    }

    /// The key of the line's own record, when the line names it (so that lines that depend
    /// on it are skipped rather than reported again).
    pub(super) fn cle_propre(&self, table: Table) -> Option<String> {
        match table {
            Table::Resultats => Some(cle_de_resultat(self.texte("action")?, self.texte("rang")?)),
            Table::Etapes | Table::Intermediaires | Table::Pdesc | Table::Mesures => None,
            _ => self.texte("identifiant").map(str::to_owned),
        }
    }

    /// A storage refusal as a mistake of this line, on the column it concerns.
    pub(super) fn erreur_store(&mut self, table: Table, e: StoreError) {
        let colonne = match &e {
            StoreError::Modele(m) => colonne_du_modele(table, m),
            _ => table.colonnes().get(1).copied().unwrap_or("identifiant"),
        };
        let message = match e {
            StoreError::Sqlite(s) if s.to_string().contains("UNIQUE") => format!(
                "une valeur qu'aucune autre fiche n'a déjà ({})",
                s.to_string()
                    .rsplit(": ")
                    .next()
                    .unwrap_or_default()
                    .replace('.', " : ")
            ),
            StoreError::Sqlite(s) => format!("une ligne que la base accepte ({s})"),
            autre => format!("une ligne conforme aux règles : {autre}"),
        };
        self.erreur(colonne, message);
    }
}

/// What names a result in the files: its action's identifiant and its rank, as typed.
pub(super) fn cle_de_resultat(action: &str, rang: &str) -> String {
    format!("{action} {rang}")
}

/// The column of a field as the model names it in its messages.
fn colonne_du_champ(champ: &str) -> &str {
    match champ {
        "code" => "code_officiel",
        "indicateur libre" => "libelle",
        "situation de départ" => "base",
        "valeur mesurée" => "valeur",
        "première année" => "debut",
        "dernière année" => "fin",
        "référence" => "reference",
        "objectif" => "objectifs",
        autre => autre,
    }
}

/// The column a broken domain rule is about.
pub(super) fn colonne_du_modele(table: Table, e: &ErreurModele) -> &'static str {
    let par_nom = |champ: &str| {
        let champ = colonne_du_champ(champ);
        table.colonnes().iter().copied().find(|c| *c == champ)
    };
    let colonne = e.champ().map_or_else(
        || match e {
            ErreurModele::PartieManquante(_) | ErreurModele::PartieEnDouble(_) => {
                par_nom("parties")
            }
            ErreurModele::PeriodeInversee { .. } => par_nom("fin").or(par_nom("valide_au")),
            ErreurModele::EtapeMemeJour(_) => par_nom("depuis"),
            ErreurModele::EtapeHorsOrdre { .. } => par_nom("etape"),
            ErreurModele::AnneeHorsBornes(_) => par_nom("annee").or(par_nom("debut")),
            ErreurModele::MontantNegatif | ErreurModele::MontantIllisible(..) => par_nom("montant"),
            ErreurModele::NiveauHorsPays { .. } => par_nom("niveau"),
            ErreurModele::CoordonneeHorsBornes { .. }
            | ErreurModele::PointIllisible { .. }
            | ErreurModele::TropDePoints(_)
            | ErreurModele::BarreDansLibelle => par_nom("points"),
            ErreurModele::PcodeLocalite(_)
            | ErreurModele::TropDeLocalites(_)
            | ErreurModele::LocaliteInconnue(_) => par_nom("localites"),
            ErreurModele::PaysInvalide(_) | ErreurModele::PaysInconnu(_) => par_nom("pays"),
            ErreurModele::Code(c) => par_nom(c.champ),
            ErreurModele::ValeurIllisible { champ, .. }
            | ErreurModele::ValeurNegative(champ)
            | ErreurModele::ValeurHorsBornes { champ, .. }
            | ErreurModele::DateManquante(champ)
            | ErreurModele::AnneeIllisible { champ, .. } => par_nom(champ),
            ErreurModele::IndicateurInconnu(_) | ErreurModele::IndicateurRetire(_) => {
                par_nom("indicateur")
            }
            ErreurModele::VentilationSansPersonnes(_)
            | ErreurModele::VentilationTropGrande { .. } => par_nom("femmes"),
            ErreurModele::PeriodeEnDouble { .. } => par_nom("debut"),
            ErreurModele::PdescPeriode { .. } => par_nom("fin"),
            ErreurModele::ObjectifEnDouble(_)
            | ErreurModele::TropDObjectifs(_)
            | ErreurModele::BarreDansObjectif(_) => par_nom("objectifs"),
            _ => None,
        },
        par_nom,
    );
    colonne.unwrap_or_else(|| table.colonnes().get(1).copied().unwrap_or("identifiant"))
}

impl LigneLue<'_> {
    /// A mistake about one value of a list cell.
    pub(super) fn erreur_valeur(
        &mut self,
        colonne: &str,
        valeur: &str,
        attendu: impl Into<String>,
    ) {
        self.erreurs.push(ErreurLigne {
            fichier: self.fichier.nom.clone(),
            ligne: self.ligne,
            colonne: colonne.to_owned(),
            valeur: valeur.to_owned(),
            attendu: attendu.into(),
        });
    }
}
