//! The lines of the actions and their financements.

use super::ligne::{Issue, LigneLue};
use super::{Import, Resultat, date_texte, enregistrer, espace, oui_non, texte};
use crate::carte;
use crate::interop::csv::format;
use crate::model::nom::normaliser;
use crate::model::{
    ActeurId, ActionId, CollectiviteId, Devise, FinancementId, LOCALITES_MAX, NouveauFinancement,
    NouvelleAction, ObjectifId, POINTS_MAX, PartenariatId, PointAction, pcode_localite,
};
use crate::store::echange::{self, ActionImportee, CleNaturelle, Table, Trace};
use crate::store::{localite, pdesc};

/// The `points` cell: points separated by `|`, each written as the form reads it
/// (« 14.4485 -11.4389 ; puits de Kayes »), attached to their unit on the map.
fn points(l: &mut LigneLue<'_>) -> Vec<PointAction> {
    let cellule = l.texte("points").unwrap_or("").to_owned();
    let valeurs = format::liste(&cellule);
    if valeurs.len() > POINTS_MAX {
        l.erreur(
            "points",
            format!(
                "au plus {POINTS_MAX} points par action (la cellule en compte {})",
                valeurs.len()
            ),
        );
        return Vec::new();
    }
    let mut points = Vec::with_capacity(valeurs.len());
    for valeur in valeurs {
        match PointAction::depuis_texte(valeur) {
            // listed twice, kept once (as the store does): re-importing then changes nothing
            Ok(p) if points.contains(&p) => {}
            Ok(p) => points.push(p),
            Err(e) => l.erreur_valeur("points", valeur, format!("un point lisible : {e}")),
        }
    }
    points.into_iter().map(carte::situer).collect()
}

/// The PDESC objective an action's line cites, found.
struct ObjectifCite {
    id: ObjectifId,
    /// Whose PDESC it is.
    collectivite: CollectiviteId,
    /// As the PDESC writes it.
    libelle: String,
}

impl Import<'_> {
    /// The `localites` cell: villages' P-codes separated by `;` (or `|`, as other lists),
    /// each one the gazetteer holds. A file written before the column existed has no
    /// villages.
    fn localites(&self, l: &mut LigneLue<'_>) -> Resultat<Vec<String>> {
        let cellule = l.texte("localites").unwrap_or("").to_owned();
        let valeurs: Vec<&str> = cellule
            .split([';', '|'])
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .collect();
        if valeurs.len() > LOCALITES_MAX {
            l.erreur(
                "localites",
                format!(
                    "au plus {LOCALITES_MAX} villages par action (la cellule en compte {})",
                    valeurs.len()
                ),
            );
            return Ok(Vec::new());
        }
        let mut pcodes: Vec<String> = Vec::with_capacity(valeurs.len());
        for valeur in valeurs {
            let connu = match pcode_localite(valeur) {
                Ok(p) => localite::collectivite_du_pcode(self.conn, &p)?.map(|_| p),
                Err(_) => None,
            };
            match connu {
                Some(p) if pcodes.contains(&p) => {}
                Some(p) => pcodes.push(p),
                None => l.erreur_valeur(
                    "localites",
                    valeur,
                    "le code P d'une localité du Mali (« ML » et neuf chiffres, comme ML020530035 ; voir data/carte/localites.csv)",
                ),
            }
        }
        Ok(pcodes)
    }

    /// The PDESC objective the action serves (`pdesc_collectivite`, `objectif_pdesc`): an
    /// objective of the PDESC of a party of its partenariat or of one of its places, named
    /// by its wording. Both cells empty (or absent, in a file written before them): none.
    /// A mistake is the line's.
    fn objectif(
        &mut self,
        l: &mut LigneLue<'_>,
        partenariat: PartenariatId,
        lieux: &[CollectiviteId],
    ) -> Resultat<Option<ObjectifCite>> {
        let (code, libelle) = (
            l.texte("pdesc_collectivite").map(str::to_owned),
            l.texte("objectif_pdesc").map(str::to_owned),
        );
        let (code, libelle) = match (code, libelle) {
            (None, None) => return Ok(None),
            (Some(c), Some(o)) => (c, o),
            (None, Some(_)) => {
                l.erreur(
                    "pdesc_collectivite",
                    "la collectivité dont le PDESC porte l'objectif de la colonne « objectif_pdesc »",
                );
                return Ok(None);
            }
            (Some(_), None) => {
                l.erreur(
                    "objectif_pdesc",
                    "l'objectif du PDESC que l'action sert, tel que pdesc.csv l'écrit",
                );
                return Ok(None);
            }
        };
        let Some(collectivite) = self.collectivite_nommee(l, "pdesc_collectivite", &code)? else {
            return Ok(None);
        };
        let concernees = echange::parties(self.conn, partenariat)?;
        if !concernees.contains(&collectivite) && !lieux.contains(&collectivite) {
            l.erreur(
                "pdesc_collectivite",
                "une partie du partenariat de l'action ou un de ses lieux : une action sert le PDESC d'une collectivité qu'elle concerne",
            );
            return Ok(None);
        }
        let Some(p) = pdesc::de_la_collectivite(self.conn, collectivite)? else {
            l.erreur(
                "pdesc_collectivite",
                "une collectivité dont le PDESC est enregistré (dans pdesc.csv ou dans la base)",
            );
            return Ok(None);
        };
        let voulu = normaliser(&libelle);
        match p.objectifs.iter().find(|o| normaliser(&o.libelle) == voulu) {
            Some(o) => Ok(Some(ObjectifCite {
                id: o.id,
                collectivite,
                libelle: o.libelle.clone(),
            })),
            None => {
                let objectifs: Vec<&str> = p.objectifs.iter().map(|o| o.libelle.as_str()).collect();
                l.erreur(
                    "objectif_pdesc",
                    format!(
                        "un objectif du PDESC « {} » : {}",
                        p.titre,
                        objectifs.join(" ; ")
                    ),
                );
                Ok(None)
            }
        }
    }

    pub(super) fn action(
        &mut self,
        l: &mut LigneLue<'_>,
        trace: Trace<'_>,
    ) -> Resultat<Option<Issue>> {
        let identifiant = texte(l.texte("identifiant"));
        let partenariat = self.reference(l, Table::Partenariats, "partenariat")?;
        let titre = l.requis("titre");
        let axe = l.code("axe");
        let domaine = l.code("domaine");
        let nature = l.code("nature");
        let statut = l.code("statut");
        let debut = l.date("debut");
        let fin = l.date("fin");
        let lieux = self.collectivites(l, "lieux")?;
        let points = points(l);
        let localites = self.localites(l)?;
        let validation = l.code_ou("validation", crate::model::Validation::Valide);
        let archive = l.booleen("archive");
        let (
            Some(partenariat),
            Some(titre),
            Some(axe),
            Some(domaine),
            Some(nature),
            Some(statut),
            Ok(debut),
            Ok(fin),
            Some(validation),
        ) = (
            partenariat,
            titre,
            axe,
            domaine,
            nature,
            statut,
            debut,
            fin,
            validation,
        )
        else {
            return Ok(None);
        };
        if !l.erreurs.is_empty() || l.saut {
            return Ok(None);
        }
        let Some(periode) = l.periode("fin", debut, fin) else {
            return Ok(None);
        };
        let partenariat = PartenariatId(partenariat);
        if !self.a_soi(l, "partenariat", partenariat)? {
            return Ok(None);
        }
        let objectif = self.objectif(l, partenariat, &lieux)?;
        if !l.erreurs.is_empty() || l.saut {
            return Ok(None);
        }
        let existante = self.existante(
            Table::Actions,
            identifiant.as_deref(),
            CleNaturelle::Action(partenariat, &titre),
        )?;
        let description = texte(l.texte("description"));
        let mut commentaire_validation = texte(l.texte("commentaire_validation"));
        let (mut validation, mut archive) = (validation, archive);
        if let Some(compte) = self.compte {
            if !self.existante_a_soi(l, Table::Actions, &existante)? {
                return Ok(None);
            }
            let stockee = |c| espace::stockee(Table::Actions, &existante, c);
            validation = espace::validation_stockee(compte, Table::Actions, &existante);
            commentaire_validation = stockee("commentaire_validation");
            archive = stockee("archive").as_deref() == Some("oui");
        }
        let importee = ActionImportee {
            nouvelle: NouvelleAction {
                partenariat,
                titre: titre.clone(),
                description: description.clone(),
                axe,
                domaine,
                nature,
                statut,
                periode,
                lieux: lieux.clone(),
                points: points.clone(),
                localites: localites.clone(),
            },
            validation,
            commentaire_validation: commentaire_validation.clone(),
            archive,
            objectif: objectif.as_ref().map(|o| o.id),
        };
        let voulue = |reference| {
            Ok(vec![
                reference,
                texte(l.texte("partenariat")),
                Some(titre.clone()),
                description.clone(),
                Some(axe.code().to_owned()),
                Some(domaine.code().to_owned()),
                Some(nature.code().to_owned()),
                Some(statut.code().to_owned()),
                date_texte(debut),
                date_texte(fin),
                self.codes(&lieux)?,
                echange::texte_des_points(&points),
                echange::texte_des_localites(&localites),
                match &objectif {
                    Some(o) => self.codes(&[o.collectivite])?,
                    None => None,
                },
                objectif.as_ref().map(|o| o.libelle.clone()),
                Some(validation.code().to_owned()),
                commentaire_validation.clone(),
                oui_non(archive),
            ])
        };
        enregistrer(
            existante,
            identifiant.as_deref(),
            voulue,
            |id, reference| {
                echange::ecrire_action(self.conn, id.map(ActionId), reference, importee, trace)
                    .map(drop)
            },
        )
    }

    pub(super) fn financement(
        &mut self,
        l: &mut LigneLue<'_>,
        trace: Trace<'_>,
    ) -> Resultat<Option<Issue>> {
        let identifiant = texte(l.texte("identifiant"));
        let action = self.reference(l, Table::Actions, "action")?;
        let source = self.reference(l, Table::Acteurs, "source")?;
        let type_financement = l.code("type");
        let devise: Option<Devise> = l.code("devise");
        let montant = match (l.requis("montant"), devise) {
            (Some(texte), Some(devise)) => {
                let m = format::montant(&texte, devise, l.fichier.marque_decimale);
                if m.is_none() {
                    l.erreur(
                        "montant",
                        format!(
                            "un montant positif en {}, avec au plus {} décimale(s) après « {} » et sans séparateur de milliers autre que l'espace",
                            devise.code(),
                            devise.decimales(),
                            l.fichier.marque_decimale
                        ),
                    );
                }
                m
            }
            _ => None,
        };
        let annee = match l.entier::<i32>("annee", "une année sur quatre chiffres") {
            Ok(None) => {
                l.erreur("annee", "une année (colonne obligatoire)");
                None
            }
            Ok(a) => a,
            Err(()) => None,
        };
        let (Some(action), Some(source), Some(type_financement), Some(montant), Some(annee)) =
            (action, source, type_financement, montant, annee)
        else {
            return Ok(None);
        };
        if !l.erreurs.is_empty() || l.saut {
            return Ok(None);
        }
        let nouveau = NouveauFinancement {
            action: ActionId(action),
            source: ActeurId(source),
            type_financement,
            montant,
            annee,
        };
        if self.compte.is_some() {
            let partenariat = echange::partenariat_de(self.conn, Table::Actions, action)?;
            if let Some(p) = partenariat
                && !self.a_soi(l, "action", p)?
            {
                return Ok(None);
            }
        }
        let existante = self.existante(
            Table::Financements,
            identifiant.as_deref(),
            CleNaturelle::Financement(&nouveau),
        )?;
        if !self.existante_a_soi(l, Table::Financements, &existante)? {
            return Ok(None);
        }
        let voulue = |reference| {
            Ok(vec![
                reference,
                texte(l.texte("action")),
                texte(l.texte("source")),
                Some(type_financement.code().to_owned()),
                Some(montant.unites_mineures().to_string()),
                Some(montant.devise().code().to_owned()),
                Some(annee.to_string()),
            ])
        };
        enregistrer(
            existante,
            identifiant.as_deref(),
            voulue,
            |id, reference| {
                echange::ecrire_financement(
                    self.conn,
                    id.map(FinancementId),
                    reference,
                    nouveau,
                    trace,
                )
                .map(drop)
            },
        )
    }
}
