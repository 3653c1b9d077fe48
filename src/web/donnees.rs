//! The open-data page: every download in one place, and the IATI file and the registry's
//! CSV zips generated on demand and kept until the data changes.

use std::io::{BufWriter, Seek, Write};
use std::path::Path;

use askama::Template;
use axum::body::Body;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use rusqlite::Connection;
use tempfile::NamedTempFile;

use super::calculs::Calculs;
use super::format::Html;
use super::{AppState, WebError};
use crate::interop::csv::{self, Perimetre, Variante};
use crate::interop::iati::{self, Editeur};
use crate::store;

#[derive(Template)]
#[template(path = "donnees.html")]
pub struct PageDonnees {
    tableaux: Vec<(&'static str, &'static str)>,
}

pub async fn page() -> Html<PageDonnees> {
    let tableaux = crate::observatoire::rendu::NOMS_TABLEAUX.to_vec();
    Html(PageDonnees { tableaux })
}

/// Downloads built from the whole registry, kept in temporary files until the data changes
/// (`meta.generation`): building one takes seconds on a national-scale registry, and a
/// request for an unchanged registry should not pay that again. Each file is built once
/// however many ask for it at the same moment (`calculs`), and one file's build does not
/// hold up the download of another.
pub struct Telechargements(Calculs<&'static str, Genere>);

impl Default for Telechargements {
    fn default() -> Self {
        Telechargements(Calculs::new(FICHIERS))
    }
}

/// How many different files the site offers.
const FICHIERS: usize = 3;

struct Genere {
    fichier: NamedTempFile,
    taille: u64,
}

/// A download ready to stream: its own handle on the file, and its size.
struct Pret {
    fichier: std::fs::File,
    taille: u64,
}

impl Telechargements {
    /// The file `nom`, built by `construire` unless the one built before still describes the
    /// data.
    async fn obtenir(
        &self,
        etat: &AppState,
        nom: &'static str,
        construire: impl FnOnce(&Connection, &mut std::fs::File) -> Result<(), WebError>
        + Send
        + 'static,
    ) -> Result<Pret, WebError> {
        let interne = move |e: std::io::Error| WebError::Interne(format!("{nom} : {e}"));
        let generation = etat
            .lire(|conn| Ok(store::apercu::generation(conn)?))
            .await?;
        let genere = self
            .0
            .obtenir(nom, generation, &etat.limite, || {
                etat.lire(move |conn| {
                    let mut fichier = NamedTempFile::new().map_err(interne)?;
                    construire(conn, fichier.as_file_mut())?;
                    let taille = fichier.as_file_mut().stream_position().map_err(interne)?;
                    Ok(Genere { fichier, taille })
                })
            })
            .await?;
        Ok(Pret {
            fichier: genere.fichier.reopen().map_err(interne)?,
            taille: genere.taille,
        })
    }
}

/// Streams a download: the database connection was given back before a slow client starts
/// reading, and memory does not grow with the file.
fn envoyer(pret: Pret, type_contenu: &'static str, nom: &'static str) -> Response {
    let corps = Body::from_stream(tokio_util::io::ReaderStream::new(
        tokio::fs::File::from_std(pret.fichier),
    ));
    (
        [
            (header::CONTENT_TYPE, type_contenu.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{nom}\""),
            ),
            (header::CONTENT_LENGTH, pret.taille.to_string()),
        ],
        corps,
    )
        .into_response()
}

/// The IATI 2.03 file of every public, dated action, published under benkan's placeholder
/// identifier (a publisher exports with its own through `benkan export iati`).
pub async fn iati(State(etat): State<AppState>) -> Result<Response, WebError> {
    const NOM: &str = "benkan-iati.xml";
    let pret = etat
        .telechargements
        .obtenir(&etat, NOM, |conn, fichier| {
            let editeur = Editeur {
                reference: "BENKAN".to_owned(),
                nom: "benkan — registre de la coopération décentralisée au Mali".to_owned(),
                type_organisation: "10".to_owned(),
            };
            let mut sortie = BufWriter::new(fichier);
            let rapport = iati::exporter(conn, &editeur, &mut sortie)
                .map_err(|e| WebError::Interne(e.to_string()))?;
            if rapport.activites == 0 {
                return Err(WebError::Introuvable(
                    "Aucune action publique datée n'est encore enregistrée : le fichier IATI serait vide.".to_owned(),
                ));
            }
            sortie
                .flush()
                .map_err(|e| WebError::Interne(format!("{NOM} : {e}")))
        })
        .await?;
    Ok(envoyer(pret, "application/xml; charset=utf-8", NOM))
}

/// The public registry as a zip of CSV files in UTF-8 (docs/formats.md).
pub async fn registre(State(etat): State<AppState>) -> Result<Response, WebError> {
    registre_zip(etat, Variante::Utf8, "benkan-registre.zip").await
}

/// The same files in the variant French Excel opens.
pub async fn registre_excel(State(etat): State<AppState>) -> Result<Response, WebError> {
    registre_zip(etat, Variante::ExcelFr, "benkan-registre-excel.zip").await
}

async fn registre_zip(
    etat: AppState,
    variante: Variante,
    nom: &'static str,
) -> Result<Response, WebError> {
    let pret = etat
        .telechargements
        .obtenir(&etat, nom, move |conn, fichier| {
            csv::ecrire_zip(conn, fichier, variante, Perimetre::Public, Path::new(nom))
                .map(drop)
                .map_err(|e| WebError::Interne(e.to_string()))
        })
        .await?;
    Ok(envoyer(pret, "application/zip", nom))
}
