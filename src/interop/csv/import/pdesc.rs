//! The lines of the collectivités' PDESC.

use super::ligne::{Issue, LigneLue};
use super::{Import, Resultat};
use crate::acces;
use crate::interop::csv::format;
use crate::model::NouveauPdesc;
use crate::store::collectivite;
use crate::store::echange::{self, Ligne, Table, Trace};

impl Import<'_> {
    /// A PDESC replaces the one of its collectivité (a Malian one), as its space's form
    /// does; under an account, only for one of the account's collectivités.
    pub(super) fn pdesc(
        &mut self,
        l: &mut LigneLue<'_>,
        trace: Trace<'_>,
    ) -> Resultat<Option<Issue>> {
        let collectivite = match l.requis("collectivite") {
            Some(valeur) => self.collectivite_nommee(l, "collectivite", &valeur)?,
            None => None,
        };
        let cellule = |colonne| l.texte(colonne).unwrap_or("").to_owned();
        let nouveau = NouveauPdesc {
            titre: cellule("titre"),
            debut: cellule("debut"),
            fin: cellule("fin"),
            reference: cellule("reference"),
            // one per line for the model; a `|` in the cell always separates two
            objectifs: format::liste(&cellule("objectifs")).join("\n"),
        };
        let Some(collectivite) = collectivite else {
            return Ok(None);
        };
        if !l.erreurs.is_empty() || l.saut {
            return Ok(None);
        }
        if !collectivite::requise(self.conn, collectivite)?
            .pays
            .est_mali()
        {
            l.erreur(
                "collectivite",
                "une collectivité malienne : le PDESC est le programme de développement d'une collectivité du Mali",
            );
            return Ok(None);
        }
        let pdesc = match nouveau.valider() {
            Ok(p) => p,
            Err(e) => {
                l.erreur_store(Table::Pdesc, e.into());
                return Ok(None);
            }
        };
        let code = echange::code_collectivite(self.conn, collectivite)?;
        let existante = self.existante_par_cle(Table::Pdesc, &[&code])?;
        let voulue: Ligne = vec![
            Some(code),
            Some(pdesc.debut.to_string()),
            Some(pdesc.fin.to_string()),
            Some(pdesc.titre.clone()),
            pdesc.reference.clone(),
            echange::texte_des_objectifs(&pdesc.objectifs),
        ];
        let issue = match existante {
            Some((_, actuelle)) if actuelle == voulue => return Ok(Some(Issue::Inchange)),
            Some(_) => Issue::Modifie,
            None => Issue::Cree,
        };
        if let Some(compte) = self.compte
            && !acces::peut_agir_pour(compte, collectivite)
        {
            l.erreur(
                "collectivite",
                "une de vos collectivités : le PDESC d'une autre collectivité ne se modifie pas depuis votre espace",
            );
            return Ok(None);
        }
        echange::ecrire_pdesc(self.conn, collectivite, &pdesc, trace)?;
        Ok(Some(issue))
    }
}
