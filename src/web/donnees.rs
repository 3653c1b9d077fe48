//! The open-data page: every download in one place, and the IATI file generated on demand.

use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::format::Html;
use super::{AppState, WebError};
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
