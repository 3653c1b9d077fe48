//! Who is asking: the session cookie, read on every request of the contributors' space.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use cookie::{Cookie, SameSite};

use super::{AppState, WebError};
use crate::acces;
use crate::model::Compte;
use crate::store::compte;

/// The cookie that carries the session token.
pub const COOKIE: &str = "benkan_session";
/// A session ends after two hours without a request, and twelve hours after sign-in
/// however active it is, so that a stolen cookie does not open the space for ever.
pub const DUREE: compte::DureeSession = compte::DureeSession {
    inactivite_minutes: 120,
    duree_minutes: 12 * 60,
};

/// A signed-in user, with the session's CSRF token.
pub struct Utilisateur {
    pub compte: Compte,
    pub csrf: String,
    /// The stored hash of the session token.
    pub empreinte: String,
}

impl Utilisateur {
    /// Refuses (403) a mutating request whose form does not carry this session's token.
    pub fn exiger_csrf(&self, jeton: &str) -> Result<(), WebError> {
        if acces::egaux(jeton, &self.csrf) {
            Ok(())
        } else {
            Err(WebError::Interdit(
                "Le formulaire a expiré ou ne vient pas de benkan (jeton de sécurité absent ou faux). Rechargez la page et recommencez.".to_owned(),
            ))
        }
    }
}

impl Utilisateur {
    /// Refuses (403, with `refus` as the reason) an account that is not an active national
    /// administrator.
    pub fn exiger_admin(&self, refus: &str) -> Result<(), WebError> {
        if acces::valide(&self.compte) {
            Ok(())
        } else {
            Err(WebError::Interdit(refus.to_owned()))
        }
    }
}

/// The value of the request's cookie `nom`, if any.
pub fn cookie_lu(entetes: &HeaderMap, nom: &str) -> Option<String> {
    entetes
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == nom)
        .map(|c| c.value().to_owned())
}

/// The user of the request, if signed in.
pub struct Visiteur(pub Option<Utilisateur>);

impl FromRequestParts<AppState> for Visiteur {
    type Rejection = WebError;

    async fn from_request_parts(
        parts: &mut Parts,
        etat: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Some(jeton) = cookie_lu(&parts.headers, COOKIE) else {
            return Ok(Visiteur(None));
        };
        let empreinte = acces::empreinte(&jeton);
        let trouve = {
            let empreinte = empreinte.clone();
            etat.lire(move |conn| Ok(compte::session(conn, &empreinte, DUREE)?))
                .await?
        };
        let Some(session) = trouve else {
            return Ok(Visiteur(None));
        };
        if session.a_marquer {
            let empreinte = empreinte.clone();
            // Being marked seen only extends the inactivity limit: when the database is busy,
            // the page is still shown.
            etat.noter("session non marquée comme vue", move |conn| {
                Ok(compte::marquer_vue(conn, &empreinte)?)
            })
            .await;
        }
        Ok(Visiteur(Some(Utilisateur {
            compte: session.compte,
            csrf: session.csrf,
            empreinte,
        })))
    }
}

/// A page of the contributors' space: without a session, a GET is sent to the sign-in page
/// and anything else is refused (403).
impl FromRequestParts<AppState> for Utilisateur {
    type Rejection = WebError;

    async fn from_request_parts(
        parts: &mut Parts,
        etat: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match Visiteur::from_request_parts(parts, etat).await?.0 {
            Some(utilisateur) => Ok(utilisateur),
            None if parts.method == axum::http::Method::GET => Err(WebError::Connexion(parts.uri.path().to_owned())),
            None => Err(WebError::Interdit(
                "Cette action demande d'être connecté : votre session a peut-être expiré. Connectez-vous puis recommencez.".to_owned(),
            )),
        }
    }
}

/// The Set-Cookie header that opens a session (or, with `None`, forgets it).
pub fn cookie(jeton: Option<&str>, securise: bool) -> HeaderValue {
    cookie_nomme(COOKIE, "/", jeton, securise)
}

/// A Set-Cookie header for `nom` on `chemin`: `HttpOnly`, `SameSite=Lax`, `Secure` when the
/// site is served over HTTPS; `None` forgets it.
pub fn cookie_nomme(nom: &str, chemin: &str, valeur: Option<&str>, securise: bool) -> HeaderValue {
    let mut c = Cookie::build((nom.to_owned(), valeur.unwrap_or("").to_owned()))
        .path(chemin.to_owned())
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(securise);
    if valeur.is_none() {
        c = c.max_age(cookie::time::Duration::ZERO);
    }
    HeaderValue::from_str(&c.build().to_string()).unwrap_or(HeaderValue::from_static(""))
}
