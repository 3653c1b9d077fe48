//! What a line names: another record by its identifiant, a collectivité by code or name.

use std::hash::Hash;

use super::ligne::LigneLue;
use super::{Import, Resultat};
use crate::interop::csv::format::{self, SEPARATEUR_LISTE};
use crate::model::CollectiviteId;
use crate::referentiel::{self, Candidat, Portee, Raison, Requete, SCORE_SUR};
use crate::store::echange::{self, CleNaturelle, Ligne, Table};

impl Import<'_> {
    /// The record of `table` that column `colonne` names by its identifiant.
    pub(super) fn reference(
        &mut self,
        l: &mut LigneLue<'_>,
        table: Table,
        colonne: &str,
    ) -> Resultat<Option<i64>> {
        let Some(reference) = l.requis(colonne) else {
            return Ok(None);
        };
        if let Some(id) = echange::par_reference(self.conn, table, &reference)? {
            return Ok(Some(id));
        }
        if self.echecs.contains(&(table, reference.clone())) {
            l.saut = true;
        } else {
            l.erreur(
                colonne,
                format!(
                    "l'identifiant d'une ligne du fichier {}.csv ou d'un enregistrement de la base",
                    table.nom()
                ),
            );
        }
        Ok(None)
    }

    /// A collectivité named by its code, or by a name the resolver finds without doubt.
    pub(super) fn collectivite_nommee(
        &mut self,
        l: &mut LigneLue<'_>,
        colonne: &str,
        valeur: &str,
    ) -> Resultat<Option<CollectiviteId>> {
        if let Some(id) = self.par_code(valeur)? {
            return Ok(Some(id));
        }
        if self
            .echecs
            .contains(&(Table::Collectivites, valeur.to_owned()))
        {
            l.saut = true;
            return Ok(None);
        }
        let ressemble_a_un_code = !valeur.contains(' ')
            && (valeur.contains(':') || valeur.starts_with("COLL-") || valeur.starts_with("ML-"));
        if ressemble_a_un_code {
            l.erreur_valeur(
                colonne,
                valeur,
                "le code d'une collectivité (ML:ML-1-KAYES, FR:departement:49, FR:commune-actuelle:49007…) \
                 ou l'identifiant d'une ligne de collectivites.csv",
            );
            return Ok(None);
        }
        // Indexing the référentiel takes a moment: only for files that name collectivités.
        let resolveur = match self.resolveur.take() {
            Some(r) => r,
            None => referentiel::resolveur(self.conn)?,
        };
        let resolveur = &*self.resolveur.insert(resolveur);
        let requete = Requete {
            texte: valeur.to_owned(),
            pays: None,
            portee: Portee::Collectivites,
            limite: 5,
        };
        let resolution = match resolveur.resoudre(&requete) {
            Ok(r) => r,
            Err(e) => {
                l.erreur_valeur(colonne, valeur, e.to_string());
                return Ok(None);
            }
        };
        let certain = |c: &Candidat<'_>| {
            matches!(
                c.raison,
                Raison::Exact | Raison::Normalised | Raison::FormerName
            ) && c.score >= SCORE_SUR
        };
        match resolution.candidats.first() {
            Some(premier) if certain(premier) && !resolution.ambigu => {
                return Ok(Some(premier.unite.id));
            }
            _ => {}
        }
        let mut candidats = Vec::new();
        for c in &resolution.candidats {
            let code = echange::code_collectivite(self.conn, c.unite.id)?;
            candidats.push(format!(
                "{} ({}, {}) : {code}",
                c.unite.nom,
                c.unite.niveau_affiche(),
                c.unite.pays
            ));
        }
        let attendu = if resolution.candidats.is_empty() {
            "le nom ou le code d'une collectivité connue ; aucune collectivité de ce nom ni d'un nom proche"
                .to_owned()
        } else if resolution.ambigu {
            format!(
                "un nom qui désigne une seule collectivité ; ce nom est ambigu, écrivez le code de la bonne : {}",
                candidats.join(" ; ")
            )
        } else {
            format!(
                "le nom ou le code d'une collectivité connue ; aucune ne porte ce nom, les plus proches sont : {}",
                candidats.join(" ; ")
            )
        };
        l.erreur_valeur(colonne, valeur, attendu);
        Ok(None)
    }

    /// The collectivité of an exchange code, shorthands included: a bare Malian code
    /// (`ML-1-KAYES`) and `FR:commune:49007` for a current commune.
    pub(super) fn par_code(&self, code: &str) -> Resultat<Option<CollectiviteId>> {
        let mut essais = vec![code.to_owned()];
        if code.starts_with("ML-") {
            essais.push(format!("ML:{code}"));
        }
        if let Some(reste) = code.strip_prefix("FR:commune:") {
            essais.push(format!("FR:commune-actuelle:{reste}"));
        }
        for essai in essais {
            if let Some(id) = echange::collectivite_par_code(self.conn, &essai)? {
                return Ok(Some(id));
            }
        }
        Ok(None)
    }

    pub(super) fn collectivites(
        &mut self,
        l: &mut LigneLue<'_>,
        colonne: &str,
    ) -> Resultat<Vec<CollectiviteId>> {
        let cellule = l.texte(colonne).unwrap_or("").to_owned();
        let mut ids = Vec::new();
        for valeur in format::liste(&cellule) {
            if let Some(id) = self.collectivite_nommee(l, colonne, valeur)? {
                ids.push(id);
            }
        }
        Ok(ids)
    }

    pub(super) fn codes(&self, ids: &[CollectiviteId]) -> Resultat<Option<String>> {
        let mut codes = ids
            .iter()
            .map(|id| echange::code_collectivite(self.conn, *id))
            .collect::<Resultat<Vec<_>>>()?;
        codes.sort();
        codes.dedup();
        Ok(Some(codes.join(SEPARATEUR_LISTE)).filter(|c| !c.is_empty()))
    }

    /// The existing record for the line: by identifiant, else by the natural key.
    pub(super) fn existante(
        &mut self,
        table: Table,
        identifiant: Option<&str>,
        naturelle: CleNaturelle<'_>,
    ) -> Resultat<Option<(i64, Ligne)>> {
        let reference = match identifiant {
            Some(r) => Some(r.to_owned()),
            None => echange::par_cle_naturelle(self.conn, naturelle)?,
        };
        match reference {
            Some(r) => self.existante_par_cle(table, &[&r]),
            None => Ok(None),
        }
    }

    /// The existing record with this key (see [`Table::cle`]), counted in the digest: the
    /// same line compared with another stored record is another import.
    pub(super) fn existante_par_cle(
        &mut self,
        table: Table,
        cle: &[&str],
    ) -> Resultat<Option<(i64, Ligne)>> {
        let existante = echange::existante(self.conn, table, cle)?;
        existante.hash(&mut self.empreinte);
        Ok(existante)
    }
}
