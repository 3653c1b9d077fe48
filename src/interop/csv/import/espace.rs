//! An import sent from a contributor's space: the account changes its own partenariats
//! and what hangs on them, and nothing else (see [`super::Options::compte`]).

use super::ligne::{Issue, LigneLue};
use super::{Import, Resultat};
use crate::acces;
use crate::model::{Code, Compte, PartenariatId, Role, Validation};
use crate::store::echange::{self, Ligne, Table};

/// Said after every refusal: why, and what to do.
const SEULEMENT_LES_SIENS: &str = "un import depuis votre espace ne modifie que les partenariats \
     de vos collectivités, leurs étapes, conventions, intermédiaires, actions, financements et \
     résultats, et le PDESC de vos collectivités";

/// The stored cell of `colonne` of an existing record (none for a new one): under an
/// account, the review's columns are the registry's, whatever the file says.
pub(super) fn stockee(
    table: Table,
    existante: &Option<(i64, Ligne)>,
    colonne: &str,
) -> Option<String> {
    let (_, ligne) = existante.as_ref()?;
    let i = table.colonnes().iter().position(|c| *c == colonne)?;
    ligne.get(i).cloned().flatten()
}

/// The review state a line keeps under an account: the stored one; for a new record, the
/// one a form gives (validated for a national administrator, else submitted).
pub(super) fn validation_stockee(
    compte: &Compte,
    table: Table,
    existante: &Option<(i64, Ligne)>,
) -> Validation {
    stockee(table, existante, "validation")
        .and_then(|v| Validation::depuis_code(&v).ok())
        .unwrap_or(if compte.role == Role::AdminNational {
            Validation::Valide
        } else {
            Validation::Soumis
        })
}

impl Import<'_> {
    /// Under an account: whether partenariat `id` is one of its own; else the line gets a
    /// mistake on `colonne` and writes nothing.
    pub(super) fn a_soi(
        &mut self,
        l: &mut LigneLue<'_>,
        colonne: &str,
        id: PartenariatId,
    ) -> Resultat<bool> {
        let Some(compte) = self.compte else {
            return Ok(true);
        };
        if acces::peut_modifier(compte, &echange::parties(self.conn, id)?) {
            return Ok(true);
        }
        l.erreur(
            colonne,
            format!(
                "un partenariat d'une de vos collectivités ; celui-ci est celui d'une autre autorité : {SEULEMENT_LES_SIENS}"
            ),
        );
        Ok(false)
    }

    /// Under an account: whether the stored record the line would change hangs on one of
    /// its partenariats (a new record: yes); else a mistake on `identifiant`.
    pub(super) fn existante_a_soi(
        &mut self,
        l: &mut LigneLue<'_>,
        table: Table,
        existante: &Option<(i64, Ligne)>,
    ) -> Resultat<bool> {
        let (Some(compte), Some((id, _))) = (self.compte, existante) else {
            return Ok(true);
        };
        let Some(partenariat) = echange::partenariat_de(self.conn, table, *id)? else {
            return Ok(true);
        };
        if acces::peut_modifier(compte, &echange::parties(self.conn, partenariat)?) {
            return Ok(true);
        }
        l.erreur(
            "identifiant",
            format!(
                "l'identifiant d'un enregistrement de vos partenariats ; celui-ci appartient à une autre autorité : {SEULEMENT_LES_SIENS}"
            ),
        );
        Ok(false)
    }

    /// Under an account: a line of collectivités or acteurs that would create or change
    /// one is refused (the référentiel and the shared acteurs are not the account's); the
    /// unchanged lines of its own copy pass.
    pub(super) fn hors_du_registre(&mut self, table: Table, l: &mut LigneLue<'_>, issue: &Issue) {
        if self.compte.is_none() || !issue.ecrit() {
            return;
        }
        let quoi = match table {
            Table::Collectivites => "les collectivités",
            Table::Acteurs => "les acteurs (bailleurs, intermédiaires)",
            _ => return,
        };
        l.erreur(
            table.colonnes()[1],
            format!(
                "la ligne telle que le téléchargement l'a écrite : {quoi} ne se créent ni ne se modifient \
                 depuis votre espace (écrivez à l'administrateur national pour en ajouter un) ; {SEULEMENT_LES_SIENS}"
            ),
        );
    }
}
