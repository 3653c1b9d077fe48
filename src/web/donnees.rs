//! The open-data page: every download in one place, and the IATI file and the registry's
//! CSV zips generated on demand.

use std::io::Seek;
use std::path::Path;

use askama::Template;
use axum::body::Body;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::format::Html;
use super::{AppState, WebError};
use crate::interop::csv::{self, Perimetre, Variante};
use crate::interop::iati::{self, Editeur};

#[derive(Template)]
#[template(path = "donnees.html")]
pub struct PageDonnees {
    tableaux: Vec<(&'static str, &'static str)>,
}

pub async fn page() -> Html<PageDonnees> {
    let tableaux = crate::observatoire::rendu::NOMS_TABLEAUX.to_vec();
    Html(PageDonnees { tableaux })
}

/// The IATI 2.03 file of every public, dated action, published under benkan's placeholder
/// identifier (a publisher exports with its own through `benkan export iati`).
pub async fn iati(State(etat): State<AppState>) -> Result<Response, WebError> {
    let xml = etat
        .lire(|conn| {
            let editeur = Editeur {
                reference: "BENKAN".to_owned(),
                nom: "benkan — registre de la coopération décentralisée au Mali".to_owned(),
                type_organisation: "10".to_owned(),
            };
            let mut tampon = Vec::new();
            let rapport = iati::exporter(conn, &editeur, &mut tampon).map_err(|e| WebError::Interne(e.to_string()))?;
            if rapport.activites == 0 {
                return Err(WebError::Introuvable(
                    "Aucune action publique datée n'est encore enregistrée : le fichier IATI serait vide.".to_owned(),
                ));
            }
            Ok(tampon)
        })
        .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/xml; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"benkan-iati.xml\"",
            ),
        ],
        xml,
    )
        .into_response())
}

/// The public registry as a zip of CSV files in UTF-8 (docs/formats.md).
pub async fn registre(State(etat): State<AppState>) -> Result<Response, WebError> {
    registre_zip(etat, Variante::Utf8, "benkan-registre.zip").await
}

/// The same files in the variant French Excel opens.
pub async fn registre_excel(State(etat): State<AppState>) -> Result<Response, WebError> {
    registre_zip(etat, Variante::ExcelFr, "benkan-registre-excel.zip").await
}

/// Writes the zip to an anonymous temporary file on a blocking thread, then streams it: the
/// database connection is given back before a slow client starts reading, and memory does
/// not grow with the registry.
async fn registre_zip(
    etat: AppState,
    variante: Variante,
    nom: &'static str,
) -> Result<Response, WebError> {
    let (fichier, taille) = etat
        .lire(move |conn| {
            let interne = |e: std::io::Error| WebError::Interne(format!("{nom} : {e}"));
            let mut fichier = tempfile::tempfile().map_err(interne)?;
            csv::ecrire_zip(
                conn,
                &mut fichier,
                variante,
                Perimetre::Public,
                Path::new(nom),
            )
            .map_err(|e| WebError::Interne(e.to_string()))?;
            let taille = fichier.stream_position().map_err(interne)?;
            fichier.rewind().map_err(interne)?;
            Ok((fichier, taille))
        })
        .await?;
    let corps = Body::from_stream(tokio_util::io::ReaderStream::new(
        tokio::fs::File::from_std(fichier),
    ));
    Ok((
        [
            (header::CONTENT_TYPE, "application/zip".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{nom}\""),
            ),
            (header::CONTENT_LENGTH, taille.to_string()),
        ],
        corps,
    )
        .into_response())
}
