//! Signing in to the contributors' space: the form, its CSRF cookie, the throttled check of
//! the password, and the local path to come back to.
//!
//! The order matters: the attempt is recorded (with the check of the limits) before the
//! password is checked, then the connection goes back to the pool, then the hash waits for
//! its turn among a few ([`acces::a_son_tour`]); the session is opened last.

use std::net::SocketAddr;

use askama::Template;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::espace::{formulaire, prive};
use super::format::Html;
use super::metriques::MotifEchec;
use super::params::Parametres;
use super::session::{self, Visiteur};
use super::{AppState, WebError};
use crate::acces::{self, LIMITES};
use crate::model::{Compte, Email};
use crate::store::tentative::{Limite, Tentative};
use crate::store::{compte, tentative};

/// The cookie that carries the sign-in form's CSRF token (double submit: the form carries
/// it too). There is no session yet to keep it in.
const COOKIE_CONNEXION: &str = "benkan_connexion";
/// The only path that cookie is sent to.
const CHEMIN_CONNEXION: &str = "/connexion";

/// The longest path `suite` may hold.
const SUITE_MAX: usize = 2000;

/// Only a plain local path is a place to come back to after signing in: `/` then safe URL
/// characters (letters, digits, `-._~!$&'()*+,;=:@/?`, and `%` with two hex digits that do
/// not encode a control character or a backslash), no `//` anywhere. A backslash, a control
/// character, white space or a scheme could make a browser leave the site (`/\t/evil.example`
/// reads as `//evil.example`); anything else goes to `/espace`. What passes is a valid
/// `Location` header, so a redirect never fails.
fn suite_sure(suite: Option<&str>) -> String {
    fn sur(s: &str) -> bool {
        let octets = s.as_bytes();
        let pourcent_valide = |i: usize| {
            octets
                .get(i + 1..i + 3)
                .filter(|h| h.iter().all(u8::is_ascii_hexdigit))
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .is_some_and(|o| o >= 0x20 && o != 0x7f && o != b'\\')
        };
        s.len() <= SUITE_MAX
            && s.starts_with('/')
            && !s.contains("//")
            && octets.iter().enumerate().all(|(i, &o)| {
                o.is_ascii_alphanumeric()
                    || b"-._~!$&'()*+,;=:@/?".contains(&o)
                    || (o == b'%' && pourcent_valide(i))
            })
    }
    match suite {
        Some(s) if sur(s) => s.to_owned(),
        _ => "/espace".to_owned(),
    }
}

#[derive(Template)]
#[template(path = "connexion.html")]
pub struct PageConnexion {
    email: String,
    suite: String,
    csrf: String,
    erreurs: super::formulaire::Erreurs,
}

/// The sign-in form's CSRF token of the request: its cookie's, when it has a well-formed one
/// (several tabs share it), a new one otherwise.
pub(super) fn jeton_connexion(entetes: &HeaderMap) -> Result<(String, bool), WebError> {
    match session::cookie_lu(entetes, COOKIE_CONNEXION) {
        Some(j) if j.len() == 64 && j.bytes().all(|o| o.is_ascii_hexdigit()) => Ok((j, false)),
        _ => Ok((
            acces::jeton().map_err(|e| WebError::Interne(e.to_string()))?,
            true,
        )),
    }
}

pub async fn formulaire_connexion(
    State(etat): State<AppState>,
    Visiteur(visiteur): Visiteur,
    entetes: HeaderMap,
    params: Parametres,
) -> Result<Response, WebError> {
    let suite = suite_sure(params.texte("suite"));
    if visiteur.is_some() {
        return Ok(Redirect::to(&suite).into_response());
    }
    let (csrf, nouveau) = jeton_connexion(&entetes)?;
    let mut reponse = prive(Html(PageConnexion {
        email: String::new(),
        suite,
        csrf: csrf.clone(),
        erreurs: Vec::new(),
    }));
    if nouveau {
        poser_jeton_connexion(&mut reponse, &csrf, etat.cookie_securise);
    }
    Ok(reponse)
}

/// Gives the visitor the cookie of a new form token (sign-in and « mot de passe oublié »).
pub(super) fn poser_jeton_connexion(reponse: &mut Response, csrf: &str, securise: bool) {
    reponse.headers_mut().append(
        header::SET_COOKIE,
        session::cookie_nomme(COOKIE_CONNEXION, CHEMIN_CONNEXION, Some(csrf), securise),
    );
}

#[derive(Deserialize)]
pub struct Identifiants {
    #[serde(default)]
    email: String,
    #[serde(default)]
    mot_de_passe: String,
    #[serde(default)]
    suite: Option<String>,
    #[serde(default)]
    csrf: String,
}

/// Refuses (403) a sign-in whose form token is not the one of its cookie: a third-party page
/// cannot sign a visitor into an account of its choosing.
pub(super) fn exiger_jeton(entetes: &HeaderMap, jeton: &str) -> Result<(), WebError> {
    match session::cookie_lu(entetes, COOKIE_CONNEXION) {
        Some(cookie) if !jeton.is_empty() && acces::egaux(jeton, &cookie) => Ok(()),
        _ => Err(WebError::Interdit(
            "Le formulaire de connexion a expiré ou ne vient pas de benkan (jeton de sécurité absent ou faux). Rechargez la page de connexion, puis recommencez.".to_owned(),
        )),
    }
}

/// The attempt is recorded, or refused by a limit: then 429 with when to come back.
fn refus_limite(limite: Limite, secondes: u64) -> WebError {
    let minutes = secondes.div_ceil(60);
    let message = match limite {
        Limite::Paire => format!(
            "Trop de tentatives ont échoué pour cette adresse e-mail depuis votre connexion. Réessayez dans {minutes} minute(s), ou demandez à un administrateur national de réinitialiser votre mot de passe."
        ),
        Limite::Adresse => format!(
            "Trop de tentatives de connexion ont échoué depuis votre adresse. Réessayez dans {minutes} minute(s)."
        ),
    };
    WebError::TropDeTentatives(message, secondes)
}

pub async fn connexion(
    State(etat): State<AppState>,
    ConnectInfo(pair): ConnectInfo<SocketAddr>,
    entetes: HeaderMap,
    form: Result<Form<Identifiants>, FormRejection>,
) -> Result<Response, WebError> {
    let saisie = formulaire(form)?;
    let echec = |motif| etat.metriques.connexion_echouee(motif);
    exiger_jeton(&entetes, &saisie.csrf).inspect_err(|_| echec(MotifEchec::Formulaire))?;
    let suite = suite_sure(saisie.suite.as_deref());
    let email = acces::cle_email(&saisie.email);
    let adresse = acces::cle_adresse(super::client::adresse_client(
        pair.ip(),
        &entetes,
        &etat.proxys_de_confiance,
    ));

    let (id, echecs_email, trouve) = {
        let (email, adresse) = (email.clone(), adresse.clone());
        etat.ecrire(move |conn| {
            let l = LIMITES;
            Ok(
                match tentative::noter(
                    conn,
                    &email,
                    &adresse,
                    l.fenetre_minutes,
                    l.par_paire,
                    l.par_adresse,
                )? {
                    Tentative::Refusee { limite, secondes } => Err(refus_limite(limite, secondes)),
                    Tentative::Notee { id, echecs_email } => {
                        let trouve = match Email::new(&email) {
                            Ok(e) => compte::par_email(conn, &e)?,
                            Err(_) => None,
                        };
                        Ok((id, echecs_email, trouve))
                    }
                },
            )
        })
        .await?
        .inspect_err(|_| echec(MotifEchec::Limite))?
    };
    tokio::time::sleep(acces::delai_avant_verification(echecs_email)).await;

    let mot_de_passe = saisie.mot_de_passe;
    let verifie = acces::a_son_tour(move || match trouve {
        Some((compte, hash)) => {
            (acces::verifier(&mot_de_passe, &hash) && compte.actif).then_some(compte)
        }
        None => {
            acces::verifier_pour_rien(&mot_de_passe);
            None
        }
    })
    .await;
    let reconnu: Option<Compte> = match verifie {
        Ok(reconnu) => reconnu,
        Err(e) => {
            echec(MotifEchec::Occupe);
            etat.ecrire(move |conn| Ok(tentative::annulee(conn, id)?))
                .await?;
            return Err(e.into());
        }
    };
    let (csrf_connexion, _) = jeton_connexion(&entetes)?;
    let Some(compte_reconnu) = reconnu else {
        echec(MotifEchec::Identifiants);
        // Already counted against the limits; now it slows the e-mail's next checks too. If
        // this write fails the attempt still counts, so the answer stays the same.
        etat.noter("échec de connexion non marqué", move |conn| {
            Ok(tentative::echouee(conn, id)?)
        })
        .await;
        return Ok(prive((
            StatusCode::UNAUTHORIZED,
            Html(PageConnexion {
                email: saisie.email,
                suite,
                csrf: csrf_connexion,
                erreurs: vec![(
                    "email",
                    "Adresse e-mail ou mot de passe incorrect.".to_owned(),
                )],
            }),
        )));
    };

    let jeton = acces::jeton().map_err(|e| WebError::Interne(e.to_string()))?;
    let csrf = acces::jeton().map_err(|e| WebError::Interne(e.to_string()))?;
    let empreinte = acces::empreinte(&jeton);
    etat.ecrire(move |conn| {
        tentative::reussie(conn, id, &email, &adresse)?;
        Ok(compte::ouvrir_session(
            conn,
            &empreinte,
            compte_reconnu.id,
            &csrf,
        )?)
    })
    .await?;
    let mut reponse = Redirect::to(&suite).into_response();
    let cookies = reponse.headers_mut();
    cookies.append(
        header::SET_COOKIE,
        session::cookie(Some(&jeton), etat.cookie_securise),
    );
    cookies.append(
        header::SET_COOKIE,
        session::cookie_nomme(
            COOKIE_CONNEXION,
            CHEMIN_CONNEXION,
            None,
            etat.cookie_securise,
        ),
    );
    Ok(prive(reponse))
}

#[cfg(test)]
mod tests {
    use super::suite_sure;

    #[test]
    fn only_plain_local_paths_are_followed() {
        for bon in [
            "/espace",
            "/partenariats/12",
            "/collectivites?q=S%C3%A9gou&page=2",
            "/%2Fici",
            "/espace/partenariats/3/historique",
            "/",
        ] {
            assert_eq!(suite_sure(Some(bon)), bon);
        }
        for mauvais in [
            "/\t/evil.example",
            "/%09/evil.example\t",
            "//evil.example",
            "/espace//evil.example",
            "/\\evil.example",
            "\\/evil.example",
            "https://evil.example/",
            "javascript:alert(1)",
            "evil.example",
            "",
            "/a\r\nSet-Cookie: x=1",
            "/a\0",
            "/a\u{7f}",
            "/a b",
            "/é",
            "/%zz",
            "/%4",
            "/%09/evil.example",
            "/%5c/evil.example",
            "/%7F",
        ] {
            assert_eq!(suite_sure(Some(mauvais)), "/espace", "{mauvais:?}");
        }
        assert_eq!(suite_sure(None), "/espace");
        assert_eq!(
            suite_sure(Some(&format!("/{}", "a".repeat(3000)))),
            "/espace"
        );
    }
}
