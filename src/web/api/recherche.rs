//! `/api/v1/recherche`: the name resolver, with the JSON of `benkan resolve --json`.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;

use super::erreur::ErreurApi;
use super::reponse::{self, Requete};
use crate::referentiel::{Portee, Requete as Recherche, Resolution, Resolveur, json};
use crate::web::AppState;

/// Candidates returned when `limite` is not given, as `benkan resolve`.
const LIMITE: usize = 5;

pub async fn recherche(
    State(etat): State<AppState>,
    entetes: HeaderMap,
    requete: Requete,
) -> Result<Response, ErreurApi> {
    let params = requete.accepter(&["q", "pays", "niveau", "limite"])?;
    let texte = params.texte("q").ok_or_else(|| {
        ErreurApi::Parametre(
            "Paramètre « q » manquant : le nom à chercher est attendu, par exemple q=Kayes."
                .to_owned(),
        )
    })?;
    let limite = match params.texte("limite") {
        None => LIMITE,
        Some(v) => match v.parse::<usize>() {
            Ok(n) if (1..=100).contains(&n) => n,
            _ => {
                return Err(ErreurApi::Parametre(format!(
                    "Paramètre « limite » : « {v} » n'est pas admis ; un nombre entier de 1 à 100 est attendu."
                )));
            }
        },
    };
    let portee = match params.texte("niveau") {
        None => Portee::Tout,
        Some(v) => Portee::depuis_code(v)
            .map_err(|e| ErreurApi::Parametre(format!("Paramètre « niveau » : {e}.")))?,
    };
    let recherche = Recherche {
        texte: texte.to_owned(),
        pays: params.pays("pays")?,
        portee,
        limite,
    };
    let resolveur = etat.resolveur();
    let resolution = resoudre(&resolveur, &recherche)?;
    reponse::json(&entetes, &json::candidats(&resolution))
}

/// The resolver's candidates for the parameter `q`; a text it refuses is a 400 on `q`.
pub(super) fn resoudre<'r>(
    resolveur: &'r Resolveur,
    recherche: &Recherche,
) -> Result<Resolution<'r>, ErreurApi> {
    resolveur
        .resoudre(recherche)
        .map_err(|e| ErreurApi::Parametre(format!("Paramètre « q » : {e}.")))
}
