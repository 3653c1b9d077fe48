//! The lines of the collectivités, acteurs, partenariats and what hangs on them: étapes,
//! conventions, intermediaries.

use super::ligne::{Issue, LigneLue};
use super::{Import, Resultat, date_texte, enregistrer, espace, oui_non, texte};
use crate::model::{
    ActeurId, CollectiviteId, EtapeDatee, NouveauPartenariat, NouvelActeur, NouvelleCollectivite,
    NouvelleConvention, PartenariatId, Pays,
};
use crate::store::echange::{self, CleNaturelle, PartenariatImporte, Table, Trace};

impl Import<'_> {
    pub(super) fn collectivite(
        &mut self,
        l: &mut LigneLue<'_>,
        trace: Trace<'_>,
    ) -> Resultat<Option<Issue>> {
        let identifiant = texte(l.texte("identifiant"));
        if let Some(i) = &identifiant
            && echange::est_du_referentiel(self.conn, i)?
        {
            l.erreur(
                "identifiant",
                "l'identifiant d'une collectivité hors référentiel (les unités du référentiel ne s'importent pas)",
            );
            return Ok(None);
        }
        let pays = l.requis("pays").and_then(|p| match Pays::new(&p) {
            Ok(p) => Some(p),
            Err(e) => {
                l.erreur("pays", e.to_string());
                None
            }
        });
        let niveau = l.code("niveau");
        let nom = l.requis("nom");
        let parent = match l.texte("parent").map(str::to_owned) {
            Some(p) => self.collectivite_nommee(l, "parent", &p)?,
            None => None,
        };
        let valide_du = l.date("valide_du");
        let valide_au = l.date("valide_au");
        let population = l.entier::<u64>("population", "un nombre entier d'habitants");
        let (Some(pays), Some(niveau), Some(nom), Ok(du), Ok(au), Ok(population)) =
            (pays, niveau, nom, valide_du, valide_au, population)
        else {
            return Ok(None);
        };
        if !l.erreurs.is_empty() || l.saut {
            return Ok(None);
        }
        let Some(validite) = l.periode("valide_au", du, au) else {
            return Ok(None);
        };
        let libelle_niveau = texte(l.texte("libelle_niveau"));
        let code_officiel = texte(l.texte("code_officiel"));
        let source = texte(l.texte("source"));
        let nouvelle = NouvelleCollectivite {
            libelle_niveau: libelle_niveau.clone(),
            code: code_officiel.clone(),
            parent,
            validite,
            population,
            source: source.clone(),
            ..NouvelleCollectivite::new(pays, niveau, &nom)
        };
        let existante = self.existante(
            Table::Collectivites,
            identifiant.as_deref(),
            CleNaturelle::Collectivite(&nouvelle),
        )?;
        let parent_code = match parent {
            Some(p) => Some(echange::code_collectivite(self.conn, p)?),
            None => None,
        };
        let voulue = |reference: Option<String>| {
            Ok(vec![
                reference,
                Some(pays.code().to_owned()),
                Some(niveau.code().to_owned()),
                libelle_niveau.clone(),
                code_officiel.clone(),
                Some(nom.clone()),
                parent_code.clone(),
                date_texte(du),
                date_texte(au),
                population.map(|p| p.to_string()),
                source.clone(),
            ])
        };
        enregistrer(
            existante,
            identifiant.as_deref(),
            voulue,
            |id, reference| {
                echange::ecrire_collectivite(
                    self.conn,
                    id.map(CollectiviteId),
                    reference,
                    nouvelle,
                    trace,
                )
                .map(drop)
            },
        )
    }

    pub(super) fn acteur(&mut self, l: &mut LigneLue<'_>) -> Resultat<Option<Issue>> {
        let identifiant = texte(l.texte("identifiant"));
        let nom = l.requis("nom");
        let type_organisation = l.code("type_organisation");
        let pays = match l.texte("pays").map(str::to_owned) {
            Some(p) => match Pays::new(&p) {
                Ok(p) => Some(p),
                Err(e) => {
                    l.erreur("pays", e.to_string());
                    None
                }
            },
            None => None,
        };
        let collectivite = match l.texte("collectivite").map(str::to_owned) {
            Some(c) => self.collectivite_nommee(l, "collectivite", &c)?,
            None => None,
        };
        let (Some(nom), Some(type_organisation)) = (nom, type_organisation) else {
            return Ok(None);
        };
        if !l.erreurs.is_empty() || l.saut {
            return Ok(None);
        }
        let identifiant_iati = texte(l.texte("identifiant_iati"));
        let nouvel = NouvelActeur {
            nom: nom.clone(),
            type_organisation,
            identifiant_iati: identifiant_iati.clone(),
            pays,
            collectivite,
        };
        let existante = self.existante(
            Table::Acteurs,
            identifiant.as_deref(),
            CleNaturelle::Acteur(&nom),
        )?;
        let collectivite_code = match collectivite {
            Some(c) => Some(echange::code_collectivite(self.conn, c)?),
            None => None,
        };
        let voulue = |reference| {
            Ok(vec![
                reference,
                Some(nom),
                Some(type_organisation.code().to_owned()),
                identifiant_iati,
                pays.map(|p| p.code().to_owned()),
                collectivite_code,
            ])
        };
        enregistrer(
            existante,
            identifiant.as_deref(),
            voulue,
            |id, reference| {
                echange::ecrire_acteur(self.conn, id.map(ActeurId), reference, nouvel).map(drop)
            },
        )
    }

    pub(super) fn partenariat(
        &mut self,
        l: &mut LigneLue<'_>,
        trace: Trace<'_>,
    ) -> Resultat<Option<Issue>> {
        let identifiant = texte(l.texte("identifiant"));
        let titre = l.requis("titre");
        let statut = l.code("statut");
        if l.texte("parties").is_none() {
            l.erreur("parties", "les collectivités parties, séparées par « | » (au moins une malienne et une étrangère)");
        }
        let parties = self.collectivites(l, "parties")?;
        let demonstration = l.booleen("demonstration");
        let confirme_le = l.date("confirme_le");
        let validation = l.code_ou("validation", crate::model::Validation::Valide);
        let archive = l.booleen("archive");
        let (Some(titre), Some(statut), Ok(confirme_le), Some(validation)) =
            (titre, statut, confirme_le, validation)
        else {
            return Ok(None);
        };
        if !l.erreurs.is_empty() || l.saut {
            return Ok(None);
        }
        let existante = self.existante(
            Table::Partenariats,
            identifiant.as_deref(),
            CleNaturelle::Partenariat(&titre, &parties),
        )?;
        let description = texte(l.texte("description"));
        let source = texte(l.texte("source"));
        let mut commentaire_validation = texte(l.texte("commentaire_validation"));
        let (mut demonstration, mut confirme_le, mut validation, mut archive) =
            (demonstration, confirme_le, validation, archive);
        if let Some(compte) = self.compte {
            if !self.existante_a_soi(l, Table::Partenariats, &existante)? {
                return Ok(None);
            }
            if !crate::acces::peut_modifier(compte, &parties) {
                l.erreur(
                    "parties",
                    "au moins une de vos collectivités parmi les parties : un import depuis votre espace ne déclare que les partenariats de vos collectivités",
                );
                return Ok(None);
            }
            let stockee = |c| espace::stockee(Table::Partenariats, &existante, c);
            demonstration = stockee("demonstration").as_deref() == Some("oui");
            confirme_le = stockee("confirme_le").and_then(|d| crate::model::date_iso(&d));
            validation = espace::validation_stockee(compte, Table::Partenariats, &existante);
            commentaire_validation = stockee("commentaire_validation");
            archive = stockee("archive").as_deref() == Some("oui");
        }
        let importe = PartenariatImporte {
            nouveau: NouveauPartenariat {
                description: description.clone(),
                source: source.clone(),
                demonstration,
                validation,
                ..NouveauPartenariat::new(&titre, statut, parties.clone())
            },
            confirme_le,
            commentaire_validation: commentaire_validation.clone(),
            archive,
        };
        let voulue = |reference| {
            Ok(vec![
                reference,
                Some(titre.clone()),
                description,
                Some(statut.code().to_owned()),
                self.codes(&parties)?,
                source,
                oui_non(demonstration),
                date_texte(confirme_le),
                Some(validation.code().to_owned()),
                commentaire_validation,
                oui_non(archive),
            ])
        };
        enregistrer(
            existante,
            identifiant.as_deref(),
            voulue,
            |id, reference| {
                echange::ecrire_partenariat(
                    self.conn,
                    id.map(PartenariatId),
                    reference,
                    importe,
                    trace,
                )
                .map(drop)
            },
        )
    }

    pub(super) fn etape(
        &mut self,
        l: &mut LigneLue<'_>,
        trace: Trace<'_>,
    ) -> Resultat<Option<Issue>> {
        let partenariat = self.reference(l, Table::Partenariats, "partenariat")?;
        let etape = l.code("etape");
        let depuis = match l.date("depuis") {
            Ok(None) => {
                l.erreur("depuis", "une date (colonne obligatoire)");
                None
            }
            Ok(d) => d,
            Err(()) => None,
        };
        let (Some(partenariat), Some(etape), Some(depuis)) = (partenariat, etape, depuis) else {
            return Ok(None);
        };
        if !self.a_soi(l, "partenariat", PartenariatId(partenariat))? {
            return Ok(None);
        }
        let note = texte(l.texte("note"));
        let reference = l.texte("partenariat").unwrap_or("").to_owned();
        let existante =
            self.existante_par_cle(Table::Etapes, &[&reference, &depuis.to_string()])?;
        let etape_datee = EtapeDatee {
            etape,
            depuis,
            note: note.clone(),
        };
        let voulue = |_| {
            Ok(vec![
                Some(reference),
                Some(etape.code().to_owned()),
                Some(depuis.to_string()),
                note,
            ])
        };
        enregistrer(existante, None, voulue, |id, _| {
            echange::ecrire_etape(
                self.conn,
                PartenariatId(partenariat),
                id,
                etape_datee,
                trace,
            )
        })
    }

    pub(super) fn convention(
        &mut self,
        l: &mut LigneLue<'_>,
        trace: Trace<'_>,
    ) -> Resultat<Option<Issue>> {
        let identifiant = texte(l.texte("identifiant"));
        let partenariat = self.reference(l, Table::Partenariats, "partenariat")?;
        let intitule = l.requis("intitule");
        let signee_le = l.date("signee_le");
        let duree = l.entier::<u32>("duree_mois", "un nombre entier de mois, supérieur à zéro");
        let reconduction = l.code_ou("reconduction", crate::model::Reconduction::NonPrecisee);
        let (Some(partenariat), Some(intitule), Ok(signee_le), Ok(duree_mois), Some(reconduction)) =
            (partenariat, intitule, signee_le, duree, reconduction)
        else {
            return Ok(None);
        };
        if !l.erreurs.is_empty() || l.saut {
            return Ok(None);
        }
        let partenariat = PartenariatId(partenariat);
        if !self.a_soi(l, "partenariat", partenariat)? {
            return Ok(None);
        }
        let document = texte(l.texte("document"));
        let convention = NouvelleConvention {
            intitule: intitule.clone(),
            signee_le,
            duree_mois,
            reconduction,
            document: document.clone(),
        };
        let existante = self.existante(
            Table::Conventions,
            identifiant.as_deref(),
            CleNaturelle::Convention(partenariat, &intitule),
        )?;
        let voulue = |reference| {
            Ok(vec![
                reference,
                texte(l.texte("partenariat")),
                Some(intitule),
                date_texte(signee_le),
                duree_mois.map(|d| d.to_string()),
                Some(reconduction.code().to_owned()),
                document,
            ])
        };
        enregistrer(
            existante,
            identifiant.as_deref(),
            voulue,
            |id, reference| {
                echange::ecrire_convention(self.conn, id, reference, partenariat, convention, trace)
            },
        )
    }

    pub(super) fn intermediaire(
        &mut self,
        l: &mut LigneLue<'_>,
        trace: Trace<'_>,
    ) -> Resultat<Option<Issue>> {
        let partenariat = self.reference(l, Table::Partenariats, "partenariat")?;
        let acteur = self.reference(l, Table::Acteurs, "acteur")?;
        let role: Option<crate::model::RoleIntermediaire> = l.code("role");
        let (Some(partenariat), Some(acteur), Some(role)) = (partenariat, acteur, role) else {
            return Ok(None);
        };
        if !self.a_soi(l, "partenariat", PartenariatId(partenariat))? {
            return Ok(None);
        }
        let precision = texte(l.texte("precision"));
        let cle_partenariat = l.texte("partenariat").unwrap_or("").to_owned();
        let cle_acteur = l.texte("acteur").unwrap_or("").to_owned();
        let existante = self.existante_par_cle(
            Table::Intermediaires,
            &[&cle_partenariat, &cle_acteur, role.code()],
        )?;
        let voulue = |_| {
            Ok(vec![
                Some(cle_partenariat),
                Some(cle_acteur),
                Some(role.code().to_owned()),
                precision.clone(),
            ])
        };
        // an intermediary is its key: the same write creates or updates it
        enregistrer(existante, None, voulue, |_, _| {
            echange::ecrire_intermediaire(
                self.conn,
                PartenariatId(partenariat),
                ActeurId(acteur),
                role,
                precision.as_deref(),
                trace,
            )
        })
    }
}
