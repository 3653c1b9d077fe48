//! La bourse aux partenariats in the open data: every published demande and offre, one line
//! each, whatever its état, never a contact. These two files are only read: a demande or an
//! offre is published through the space and its review, so the import passes them by.

use std::io::Write;
use std::path::Path;

use rusqlite::Connection;
use time::Date;

use super::erreurs::ErreurExport;
use super::export::{commencer, ecrire_ligne};
use super::format::{Variante, ecrire_montant};
use crate::model::{Code, CollectiviteId};
use crate::store::bourse::{self, DemandeLue, OffreLue, Selection};
use crate::store::echange::{SEPARATEUR_LISTE, code_collectivite};

/// The two files of the bourse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fichier {
    Demandes,
    Offres,
}

impl Fichier {
    pub const TOUS: [Fichier; 2] = [Fichier::Demandes, Fichier::Offres];

    pub fn nom(self) -> &'static str {
        match self {
            Fichier::Demandes => "bourse_demandes.csv",
            Fichier::Offres => "bourse_offres.csv",
        }
    }

    /// The columns, as the header line names them (docs/formats.md describes each).
    pub fn colonnes(self) -> &'static [&'static str] {
        match self {
            Fichier::Demandes => &[
                "identifiant",
                "titre",
                "besoin",
                "domaines",
                "axes",
                "langues",
                "objectif_pdesc",
                "niveau_souhaite",
                "pays_souhaite",
                "collectivite",
                "collectivite_nom",
                "region",
                "ouverte_jusqu_au",
                "etat",
                "publiee_le",
            ],
            Fichier::Offres => &[
                "identifiant",
                "titre",
                "expertise",
                "domaines",
                "langues",
                "capacites",
                "financement_de",
                "financement_a",
                "devise",
                "collectivite",
                "collectivite_nom",
                "acteur",
                "pays",
                "regions_connues",
                "ouverte_jusqu_au",
                "etat",
                "publiee_le",
            ],
        }
    }

    /// Writes the file (header and lines) to `sortie`, the état as of today; returns the
    /// number of lines.
    pub fn ecrire<W: Write>(
        self,
        conn: &Connection,
        variante: Variante,
        sortie: W,
        chemin: &Path,
    ) -> Result<u64, ErreurExport> {
        // today in Mali (UTC all year round), as the pages say it
        let aujourd_hui = time::OffsetDateTime::now_utc().date();
        let mut csv = commencer(variante, sortie, self.colonnes(), chemin)?;
        let lignes = match self {
            Fichier::Demandes => bourse::demandes(conn, &Selection::validees())?
                .iter()
                .map(|d| ligne_demande(conn, d, aujourd_hui))
                .collect::<crate::store::Result<Vec<_>>>()?,
            Fichier::Offres => bourse::offres(conn, &Selection::validees())?
                .iter()
                .map(|o| ligne_offre(conn, o, variante, aujourd_hui))
                .collect::<crate::store::Result<Vec<_>>>()?,
        };
        for ligne in &lignes {
            ecrire_ligne(&mut csv, variante, ligne, chemin)?;
        }
        csv.flush().map_err(|e| super::export::erreur(chemin, e))?;
        Ok(lignes.len() as u64)
    }

    /// Whether the file named `nom` (a path or a zip entry) is one of these, which the
    /// import passes by.
    pub fn est_un(nom: &str) -> bool {
        let base = nom.rsplit(['/', '\\', ':']).next().unwrap_or(nom);
        Fichier::TOUS
            .iter()
            .any(|f| base.eq_ignore_ascii_case(f.nom()))
    }
}

/// Codes joined as the exchange files join a list.
fn liste<T: Code>(valeurs: &[T]) -> Option<String> {
    let codes: Vec<&str> = valeurs.iter().map(|v| v.code()).collect();
    Some(codes.join(SEPARATEUR_LISTE)).filter(|t| !t.is_empty())
}

/// Collectivités by their code in the exchange files, sorted, joined.
fn collectivites(
    conn: &Connection,
    ids: &[CollectiviteId],
) -> crate::store::Result<Option<String>> {
    let mut codes = ids
        .iter()
        .map(|id| code_collectivite(conn, *id))
        .collect::<crate::store::Result<Vec<String>>>()?;
    codes.sort();
    Ok(Some(codes.join(SEPARATEUR_LISTE)).filter(|t| !t.is_empty()))
}

fn ligne_demande(
    conn: &Connection,
    d: &DemandeLue,
    aujourd_hui: Date,
) -> crate::store::Result<Vec<Option<String>>> {
    let annonce = &d.demande.annonce;
    Ok(vec![
        Some(d.id.to_string()),
        Some(annonce.titre.clone()),
        Some(annonce.description.clone()),
        liste(&annonce.domaines),
        liste(&d.demande.axes),
        liste(&annonce.langues),
        d.objectif.as_ref().map(|(_, libelle)| libelle.clone()),
        d.demande.niveau_souhaite.map(|n| n.code().to_owned()),
        d.demande
            .pays_souhaite
            .as_ref()
            .map(|p| p.code().to_owned()),
        Some(code_collectivite(conn, d.collectivite.id)?),
        Some(d.collectivite.nom.clone()),
        d.collectivite
            .region
            .as_ref()
            .map(|(id, _)| code_collectivite(conn, *id))
            .transpose()?,
        Some(annonce.ouverte_jusqu_au.to_string()),
        Some(
            d.etat
                .code_au(&annonce.ouverte_jusqu_au, &aujourd_hui)
                .to_owned(),
        ),
        Some(d.cree_le.clone()),
    ])
}

fn ligne_offre(
    conn: &Connection,
    o: &OffreLue,
    variante: Variante,
    aujourd_hui: Date,
) -> crate::store::Result<Vec<Option<String>>> {
    let annonce = &o.offre.annonce;
    let montant =
        |m: crate::model::Montant| ecrire_montant(m.unites_mineures(), m.devise(), variante);
    Ok(vec![
        Some(o.id.to_string()),
        Some(annonce.titre.clone()),
        Some(annonce.description.clone()),
        liste(&annonce.domaines),
        liste(&annonce.langues),
        liste(&o.offre.capacites),
        o.offre.financement.map(|(de, _)| montant(de)),
        o.offre.financement.map(|(_, a)| montant(a)),
        o.offre
            .financement
            .map(|(de, _)| de.devise().code().to_owned()),
        o.collectivite
            .as_ref()
            .map(|c| code_collectivite(conn, c.id))
            .transpose()?,
        o.collectivite.as_ref().map(|c| c.nom.clone()),
        o.acteur.as_ref().map(|(_, nom, _)| nom.clone()),
        o.pays().as_ref().map(|p| p.code().to_owned()),
        collectivites(conn, &o.offre.regions_connues)?,
        Some(annonce.ouverte_jusqu_au.to_string()),
        Some(
            o.etat
                .code_au(&annonce.ouverte_jusqu_au, &aujourd_hui)
                .to_owned(),
        ),
        Some(o.cree_le.clone()),
    ])
}
