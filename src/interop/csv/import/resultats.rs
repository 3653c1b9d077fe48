//! The lines of the actions' results and their measured values.
//!
//! An action's results are stored as one list (the action's journal records it before and
//! after), so their lines are gathered while the files are read — `resultats.csv` gives
//! the list, `mesures.csv` the periods of each result — and each action's list is written
//! once, at the end, if it differs from the stored one.

use std::collections::{BTreeMap, HashSet};

use super::fichier::Fichier;
use super::ligne::{Issue, LigneLue, cle_de_resultat};
use super::{Import, Resultat, date_texte, texte};
use crate::model::{self, ActionId, Mesure, NouveauResultat, NouvellePeriode, Valeur};
use crate::store::echange::{self, Ligne, Table, Trace};
use crate::store::{StoreError, resultat};

/// The results of one action as the files give them, until they are written.
pub(super) struct EnCours {
    /// By rank, from 1: those of `resultats.csv`, or the stored ones when only
    /// `mesures.csv` names the action.
    resultats: BTreeMap<u32, model::Resultat>,
    /// The ranks whose periods `mesures.csv` gives, in the place of the stored ones.
    mesures: HashSet<u32>,
    /// The action's first line (file and line number): the write's mistakes name it.
    fichier: String,
    ligne: u64,
    /// The journal's comment, which names that file.
    commentaire: String,
}

impl EnCours {
    fn nouveau(
        l: &LigneLue<'_>,
        trace: Trace<'_>,
        resultats: BTreeMap<u32, model::Resultat>,
    ) -> Self {
        EnCours {
            resultats,
            mesures: HashSet::new(),
            fichier: l.fichier.nom.clone(),
            ligne: l.ligne,
            commentaire: trace.commentaire.to_owned(),
        }
    }
}

/// A value as the export's SQL writes it (a point before the tenths).
fn en_fichier(v: Option<Valeur>) -> Option<String> {
    v.map(Valeur::en_fichier)
}

impl Import<'_> {
    /// The action a line of results names, if it is one the import may change.
    fn action_des_resultats(&mut self, l: &mut LigneLue<'_>) -> Resultat<Option<ActionId>> {
        let Some(action) = self.reference(l, Table::Actions, "action")? else {
            return Ok(None);
        };
        if let Some(p) = echange::partenariat_de(self.conn, Table::Actions, action)?
            && !self.a_soi(l, "action", p)?
        {
            return Ok(None);
        }
        Ok(Some(ActionId(action)))
    }

    pub(super) fn resultat(
        &mut self,
        l: &mut LigneLue<'_>,
        trace: Trace<'_>,
    ) -> Resultat<Option<Issue>> {
        let action = self.action_des_resultats(l)?;
        let rang = rang(l);
        let (base_date, cible_date) = (l.date("base_date"), l.date("cible_date"));
        let (Some(action), Some(rang), Ok(base_date), Ok(cible_date)) =
            (action, rang, base_date, cible_date)
        else {
            return Ok(None);
        };
        if !l.erreurs.is_empty() || l.saut {
            return Ok(None);
        }
        let cellule = |colonne| l.texte(colonne).unwrap_or("").to_owned();
        // a result already recorded on a retired indicator stays importable
        let lu = NouveauResultat {
            indicateur: cellule("indicateur"),
            libelle: cellule("libelle"),
            unite: cellule("unite"),
            base: cellule("base"),
            base_date,
            cible: cellule("cible"),
            cible_date,
            periodes: Vec::new(),
        }
        .valider(false);
        let r = match lu {
            Ok(r) => r,
            Err(e) => {
                l.erreur_store(Table::Resultats, e.into());
                return Ok(None);
            }
        };
        // what the model would drop silently is a mistake in a file
        if let Mesure::Catalogue(code) = &r.mesure {
            if l.texte("libelle").is_some() {
                l.erreur(
                    "libelle",
                    format!("une cellule vide : le libellé de l'indicateur {code} est celui du catalogue"),
                );
            }
            let unite = r.mesure.unite().code();
            if l.texte("unite").is_some_and(|u| u != unite) {
                l.erreur(
                    "unite",
                    format!("l'unité de l'indicateur {code} du catalogue : {unite} (ou une cellule vide)"),
                );
            }
        }
        for (date, valeur) in [("base_date", "base"), ("cible_date", "cible")] {
            if l.texte(date).is_some() && l.texte(valeur).is_none() {
                l.erreur(
                    date,
                    format!("une cellule vide, ou une valeur dans la colonne « {valeur} » à laquelle cette date se rapporte"),
                );
            }
        }
        let en_cours = self
            .resultats
            .entry(action)
            .or_insert_with(|| EnCours::nouveau(l, trace, BTreeMap::new()));
        if en_cours.resultats.contains_key(&rang) {
            l.erreur(
                "rang",
                "un rang qu'aucune autre ligne de la même action n'a (1 pour son premier résultat, 2 pour le suivant…)",
            );
        }
        if !l.erreurs.is_empty() {
            return Ok(None);
        }
        let voulue: Ligne = vec![
            texte(l.texte("action")),
            Some(rang.to_string()),
            r.mesure.indicateur().map(|i| i.code.clone()),
            match &r.mesure {
                Mesure::Libre { libelle, .. } => Some(libelle.clone()),
                Mesure::Catalogue(_) => None,
            },
            Some(r.mesure.unite().code().to_owned()),
            en_fichier(r.base.map(|(v, _)| v)),
            date_texte(r.base.map(|(_, d)| d)),
            en_fichier(r.cible.map(|(v, _)| v)),
            date_texte(r.cible.and_then(|(_, d)| d)),
        ];
        en_cours.resultats.insert(rang, r);
        let reference = voulue[0].clone().unwrap_or_default();
        let existante =
            self.existante_par_cle(Table::Resultats, &[&reference, &rang.to_string()])?;
        Ok(Some(issue(existante, &voulue)))
    }

    pub(super) fn mesure(
        &mut self,
        l: &mut LigneLue<'_>,
        trace: Trace<'_>,
    ) -> Resultat<Option<Issue>> {
        let action = self.action_des_resultats(l)?;
        let rang = rang(l);
        let debut = date_requise(l, "debut");
        let fin = date_requise(l, "fin");
        let (Some(action), Some(rang), Some(debut), Some(fin)) = (action, rang, debut, fin) else {
            return Ok(None);
        };
        if !l.erreurs.is_empty() || l.saut {
            return Ok(None);
        }
        if !self.resultats.contains_key(&action) {
            let stockes = resultat::de_l_action(self.conn, action)?
                .into_iter()
                .zip(1..)
                .map(|((_, r), rang)| (rang, r))
                .collect();
            self.resultats
                .insert(action, EnCours::nouveau(l, trace, stockes));
        }
        let en_cours = self.resultats.get_mut(&action).expect("inserted above");
        let Some(r) = en_cours.resultats.get_mut(&rang) else {
            // a result whose own line failed: that mistake is enough
            let cle = cle_de_resultat(l.texte("action").unwrap_or(""), &rang.to_string());
            if self.echecs.contains(&(Table::Resultats, cle)) {
                l.saut = true;
                return Ok(None);
            }
            l.erreur(
                "rang",
                format!(
                    "le rang d'un résultat de l'action, dans resultats.csv ou dans la base (elle en a {})",
                    en_cours.resultats.len()
                ),
            );
            return Ok(None);
        };
        if en_cours.mesures.insert(rang) {
            // the file gives this result's periods: they replace the stored ones
            r.periodes.clear();
        }
        let cellule = |colonne| l.texte(colonne).unwrap_or("").to_owned();
        let lue = NouvellePeriode {
            debut: Some(debut),
            fin: Some(fin),
            valeur: cellule("valeur"),
            femmes: cellule("femmes"),
            hommes: cellule("hommes"),
            commentaire: cellule("commentaire"),
            source: cellule("source"),
        }
        .valider(r.mesure.unite());
        let periode = match lue.and_then(|p| r.ajouter_periode(p.clone()).map(|()| p)) {
            Ok(p) => p,
            Err(e) => {
                l.erreur_store(Table::Mesures, e.into());
                return Ok(None);
            }
        };
        let voulue: Ligne = vec![
            texte(l.texte("action")),
            Some(rang.to_string()),
            date_texte(Some(periode.debut)),
            date_texte(Some(periode.fin)),
            en_fichier(Some(periode.valeur)),
            periode.femmes.map(|n| n.to_string()),
            periode.hommes.map(|n| n.to_string()),
            periode.commentaire,
            periode.source,
        ];
        let cle: Vec<String> = voulue[..4].iter().flatten().cloned().collect();
        let cle: Vec<&str> = cle.iter().map(String::as_str).collect();
        let existante = self.existante_par_cle(Table::Mesures, &cle)?;
        Ok(Some(issue(existante, &voulue)))
    }

    /// Writes the results gathered from the files: each action's list, when it differs
    /// from the stored one. A mistake names the action's first line.
    pub(super) fn ecrire_resultats(&mut self, fichiers: &[(Table, Fichier)]) -> Resultat<()> {
        for (action, en_cours) in std::mem::take(&mut self.resultats) {
            let EnCours {
                resultats,
                fichier,
                ligne,
                commentaire,
                ..
            } = en_cours;
            let rangs: Vec<u32> = resultats.keys().copied().collect();
            let refus = if rangs.iter().zip(1..).any(|(r, attendu)| *r != attendu) {
                Refus::Rangs(rangs.iter().map(u32::to_string).collect())
            } else {
                let voulus: Vec<model::Resultat> = resultats.into_values().collect();
                let stockes: Vec<model::Resultat> = resultat::de_l_action(self.conn, action)?
                    .into_iter()
                    .map(|(_, r)| r)
                    .collect();
                if voulus == stockes {
                    continue;
                }
                let trace = super::trace(self.compte, &commentaire);
                match echange::ecrire_resultats(self.conn, action, &voulus, trace) {
                    Ok(()) => continue,
                    Err(e) => Refus::Ecriture(e),
                }
            };
            // the mistake is the action's first line's
            let (table, f) = fichiers
                .iter()
                .find(|(_, f)| f.nom == fichier)
                .ok_or_else(|| StoreError::Introuvable(format!("le fichier {fichier}")))?;
            let valeurs = f
                .lignes
                .iter()
                .find(|(n, _)| *n == ligne)
                .map_or(&[][..], |(_, v)| v.as_slice());
            let mut l = LigneLue {
                fichier: f,
                ligne,
                valeurs,
                erreurs: Vec::new(),
                saut: false,
            };
            match refus {
                Refus::Rangs(rangs) => l.erreur_valeur(
                    "rang",
                    &rangs.join(", "),
                    "les rangs 1, 2, 3… sans trou pour les résultats d'une même action",
                ),
                Refus::Ecriture(e) => l.erreur_store(*table, e),
            }
            self.erreurs.append(&mut l.erreurs);
        }
        Ok(())
    }
}

/// Why an action's gathered results are not written.
enum Refus {
    /// Its ranks, which are not 1, 2, 3…
    Rangs(Vec<String>),
    Ecriture(StoreError),
}

/// The `rang` cell: 1 for an action's first result.
fn rang(l: &mut LigneLue<'_>) -> Option<u32> {
    const ATTENDU: &str = "un rang : 1 pour le premier résultat de l'action, 2 pour le suivant…";
    match l.entier::<u32>("rang", ATTENDU) {
        Ok(Some(r)) if r >= 1 => Some(r),
        Ok(_) => {
            l.erreur("rang", ATTENDU);
            None
        }
        Err(()) => None,
    }
}

fn date_requise(l: &mut LigneLue<'_>, colonne: &str) -> Option<time::Date> {
    match l.date(colonne) {
        Ok(Some(d)) => Some(d),
        Ok(None) => {
            l.erreur(colonne, "une date (colonne obligatoire)");
            None
        }
        Err(()) => None,
    }
}

/// What a line of results does, compared with the stored line as the export writes it.
fn issue(existante: Option<(i64, Ligne)>, voulue: &Ligne) -> Issue {
    match existante {
        None => Issue::Cree,
        Some((_, actuelle)) if &actuelle == voulue => Issue::Inchange,
        Some(_) => Issue::Modifie,
    }
}
