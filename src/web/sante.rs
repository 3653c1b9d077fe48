//! `/sante`: the state of the site for load balancers and supervision (README « Sauvegardes
//! et supervision »). Cheap by design — one read of three `meta` rows through the readers'
//! pool and one `statvfs` — so that it can be asked every few seconds, and never kept by
//! `reponses` (it is outside its `GARDABLE` addresses) nor by any cache on the way
//! (`no-store`).
//!
//! 200 when the database answers, 503 when it does not: that is the only thing a load
//! balancer needs. The rest (free space, age of the last backup) is for supervision to
//! judge against its own thresholds. A failure here is the answer itself, not an error page:
//! it is written here rather than through `erreur`, as JSON like the rest.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::{AppState, WebError};
use crate::store::{VERSION_SCHEMA, sauvegarde};

/// The JSON answer (French keys, as the API's).
#[derive(Debug, Serialize)]
struct Sante {
    /// « ok », or « base injoignable ».
    etat: &'static str,
    base: Base,
    disque: Disque,
    derniere_sauvegarde: Option<Sauvegarde>,
}

#[derive(Debug, Serialize)]
struct Base {
    joignable: bool,
    schema: Option<u32>,
    schema_attendu: u32,
    referentiel: Option<String>,
    referentiel_attendu: &'static str,
}

#[derive(Debug, Serialize)]
struct Disque {
    /// Bytes free for the service on the disk of the database's folder; null if unknown.
    libre_octets: Option<u64>,
}

#[derive(Debug, Serialize)]
struct Sauvegarde {
    /// When the copy began (UTC).
    moment: String,
    /// Seconds since then; null if the noted moment cannot be read.
    age_secondes: Option<i64>,
}

/// `GET /sante`: JSON, or plain text when `Accept` asks for `text/plain` before JSON.
pub async fn sante(State(etat): State<AppState>, entetes: HeaderMap) -> Response {
    let base = etat
        .lire(|conn| Ok(sauvegarde::etat(conn)?))
        .await
        .map_err(|e: WebError| tracing::warn!("/sante : base injoignable : {e:?}"))
        .ok();
    let chemin = etat.store.chemin().to_owned();
    let libre = super::bloquant(move || Ok(sauvegarde::espace_libre(&chemin).ok()))
        .await
        .ok()
        .flatten();
    let reponse = constituer(base, libre, OffsetDateTime::now_utc());
    let statut = statut(&reponse);
    let (type_, corps) = if veut_du_texte(&entetes) {
        ("text/plain; charset=utf-8", en_texte(&reponse))
    } else {
        (
            "application/json",
            serde_json::to_string_pretty(&reponse).unwrap_or_default(),
        )
    };
    let mut r = (statut, [(header::CONTENT_TYPE, type_)], corps).into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// The answer from what was read: `base` is `None` when the database did not answer.
fn constituer(
    base: Option<sauvegarde::EtatBase>,
    libre_octets: Option<u64>,
    maintenant: OffsetDateTime,
) -> Sante {
    let derniere_sauvegarde = base
        .as_ref()
        .and_then(|b| b.derniere_sauvegarde.clone())
        .map(|moment| Sauvegarde {
            age_secondes: OffsetDateTime::parse(&moment, &Rfc3339)
                .ok()
                .map(|m| (maintenant - m).whole_seconds()),
            moment,
        });
    Sante {
        etat: if base.is_some() {
            "ok"
        } else {
            "base injoignable"
        },
        base: Base {
            joignable: base.is_some(),
            schema: base.as_ref().map(|b| b.schema),
            schema_attendu: VERSION_SCHEMA,
            referentiel: base.and_then(|b| b.referentiel),
            referentiel_attendu: crate::referentiel::VERSION,
        },
        disque: Disque { libre_octets },
        derniere_sauvegarde,
    }
}

fn statut(sante: &Sante) -> StatusCode {
    if sante.base.joignable {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    }
}

/// Whether the client asks for text (`curl -H 'Accept: text/plain'`) rather than JSON.
fn veut_du_texte(entetes: &HeaderMap) -> bool {
    let accept = entetes
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    match (accept.find("text/plain"), accept.find("json")) {
        (Some(_), None) => true,
        (Some(texte), Some(json)) => texte < json,
        _ => false,
    }
}

/// The same answer, a line per fact, for a person at a terminal.
fn en_texte(s: &Sante) -> String {
    let inconnu = || "inconnu".to_owned();
    let mut lignes = vec![format!("benkan : {}", s.etat)];
    lignes.push(format!(
        "base : {}",
        if s.base.joignable {
            "joignable"
        } else {
            "injoignable"
        }
    ));
    lignes.push(format!(
        "schéma : {} (attendu {})",
        s.base.schema.map_or_else(inconnu, |n| n.to_string()),
        s.base.schema_attendu
    ));
    lignes.push(format!(
        "référentiel : {} (attendu {})",
        s.base.referentiel.clone().unwrap_or_else(inconnu),
        s.base.referentiel_attendu
    ));
    lignes.push(format!(
        "disque libre : {}",
        s.disque
            .libre_octets
            .map_or_else(inconnu, |o| format!("{} Mo", o / 1_000_000))
    ));
    lignes.push(format!(
        "dernière sauvegarde : {}",
        match &s.derniere_sauvegarde {
            None => "aucune notée".to_owned(),
            Some(d) => match d.age_secondes {
                Some(age) => format!(
                    "{} (il y a {} h {:02} min)",
                    d.moment,
                    age / 3600,
                    age % 3600 / 60
                ),
                None => d.moment.clone(),
            },
        }
    ));
    lignes.join("\n") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn an_unreachable_database_is_a_503_with_what_is_known() {
        let s = constituer(None, Some(42), datetime!(2026-12-01 10:00 UTC));
        assert_eq!(statut(&s), StatusCode::SERVICE_UNAVAILABLE);
        let json = serde_json::to_value(&s).unwrap();
        assert_eq!(json["etat"], "base injoignable");
        assert_eq!(json["base"]["joignable"], false);
        assert_eq!(json["disque"]["libre_octets"], 42);
        assert!(json["derniere_sauvegarde"].is_null());
    }

    #[test]
    fn the_age_of_the_last_backup_is_counted_from_its_moment() {
        let base = sauvegarde::EtatBase {
            schema: VERSION_SCHEMA,
            referentiel: Some("x".into()),
            derniere_sauvegarde: Some("2026-12-01T08:30:00Z".into()),
        };
        let s = constituer(Some(base), None, datetime!(2026-12-01 10:00 UTC));
        assert_eq!(statut(&s), StatusCode::OK);
        let sauvegarde = s.derniere_sauvegarde.as_ref().unwrap();
        assert_eq!(sauvegarde.age_secondes, Some(5400));
        assert!(
            en_texte(&s).contains("il y a 1 h 30 min"),
            "{}",
            en_texte(&s)
        );
    }

    #[test]
    fn text_only_when_asked_before_json() {
        let avec = |accept: &str| {
            let mut h = HeaderMap::new();
            h.insert(header::ACCEPT, HeaderValue::from_str(accept).unwrap());
            veut_du_texte(&h)
        };
        assert!(avec("text/plain"));
        assert!(!avec("*/*"));
        assert!(!avec("application/json, text/plain"));
        assert!(avec("text/plain, application/json"));
        assert!(!veut_du_texte(&HeaderMap::new()));
    }
}
