//! Working offline: an account downloads its own records as the Excel-FR exchange files (one
//! zip), fills them in a spreadsheet, sends them back, sees what they would change, and
//! confirms.
//!
//! The zip is the export's own format (one CSV per table, the tables naming each other by
//! identifiant): one download holds everything, and the upload takes that zip back as well
//! as single `.csv` files, so that a commune that edited one table in Excel sends that file
//! alone. The preview is a dry run of the import scoped to the account
//! ([`csv::Options::compte`]); the files sent stay in memory on the server, under a random
//! token bound to the session, for [`DUREE`], so that the confirmation does not send them a
//! second time over a slow connection. The confirmation takes them out (a second
//! confirmation finds nothing) and writes only if the import finds exactly what the
//! preview found (its digest); otherwise nothing is written and the new preview is shown.
//! Nothing sent is ever written to disk.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use askama::Template;
use axum::Form;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::{BytesRejection, FormRejection};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Redirect, Response};
use serde::Deserialize;

use super::declaration::peut_declarer;
use super::espace::{formulaire, prive};
use super::format::Html;
use super::message::{self, Fait};
use super::session::Utilisateur;
use super::{AppState, WebError};
use crate::interop::csv::{self, ErreurImport, Perimetre, RapportImport, Table, Variante};
use crate::model::{Compte, Role};

/// The largest request the upload accepts: 2 MiB. One commune's records are a few
/// kilobytes (the nine founding partenariats with their actions zip to under 10 KB), and a
/// slow connection should not be kept busy for more.
pub const ENVOI_MAX: usize = 2 << 20;

/// At most this many bytes are read from the files of one upload, decompressed: a zip of
/// 2 MiB cannot make the server read more (see `interop::csv` for the zip bombs).
const LECTURE_MAX: u64 = 16 << 20;

/// How long a preview waits for its confirmation.
pub const DUREE: Duration = Duration::from_secs(30 * 60);

/// At most this many previews wait at once (one per session; the oldest goes first): with
/// [`ENVOI_MAX`], the memory they hold stays under 64 MiB.
const EN_ATTENTE_MAX: usize = 32;

/// The files of one preview, waiting for its confirmation.
struct Apercu {
    /// The session that sent them (the stored hash of its token).
    session: String,
    fichiers: Vec<(String, Vec<u8>)>,
    /// What the preview found ([`RapportImport::empreinte`]).
    empreinte: u64,
    expire: Instant,
}

/// The previews waiting for their confirmation, by token.
#[derive(Default)]
pub struct EnAttente(Mutex<HashMap<String, Apercu>>);

impl EnAttente {
    fn carte(&self) -> std::sync::MutexGuard<'_, HashMap<String, Apercu>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Keeps `fichiers` for `session` under a new token; the session's previous preview and
    /// the expired ones go.
    fn deposer(
        &self,
        session: &str,
        fichiers: Vec<(String, Vec<u8>)>,
        empreinte: u64,
    ) -> Result<String, WebError> {
        let jeton = crate::acces::jeton()?;
        let maintenant = Instant::now();
        let mut carte = self.carte();
        carte.retain(|_, a| a.expire > maintenant && a.session != session);
        while carte.len() >= EN_ATTENTE_MAX {
            let Some(plus_ancien) = carte
                .iter()
                .min_by_key(|(_, a)| a.expire)
                .map(|(j, _)| j.clone())
            else {
                break;
            };
            carte.remove(&plus_ancien);
        }
        carte.insert(
            jeton.clone(),
            Apercu {
                session: session.to_owned(),
                fichiers,
                empreinte,
                expire: maintenant + DUREE,
            },
        );
        Ok(jeton)
    }

    /// Takes out the preview `jeton` of `session`, if it is still there.
    fn prendre(&self, jeton: &str, session: &str) -> Option<Apercu> {
        let mut carte = self.carte();
        let a = carte.get(jeton)?;
        if a.session != session {
            return None;
        }
        let a = carte.remove(jeton)?;
        (a.expire > Instant::now()).then_some(a)
    }
}

/// The download: the account's records (an administrator's: the whole registry) as the
/// zip of the Excel-FR exchange files.
pub async fn telecharger(
    State(etat): State<AppState>,
    utilisateur: Utilisateur,
) -> Result<Response, WebError> {
    peut_declarer(&utilisateur.compte)?;
    let perimetre = perimetre(&utilisateur.compte);
    let octets = etat
        .lire(move |conn| {
            let mut sortie = std::io::Cursor::new(Vec::new());
            csv::ecrire_zip(
                conn,
                &mut sortie,
                Variante::ExcelFr,
                perimetre,
                std::path::Path::new("tableur.zip"),
            )
            .map_err(|e| WebError::Interne(e.to_string()))?;
            Ok(sortie.into_inner())
        })
        .await?;
    let jour = time::OffsetDateTime::now_utc().date();
    let nom = format!("benkan-mes-donnees-{jour}.zip");
    let mut reponse = prive(octets);
    let entetes = reponse.headers_mut();
    entetes.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/zip"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{nom}\"")) {
        entetes.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(reponse)
}

fn perimetre(compte: &Compte) -> Perimetre {
    if compte.role == Role::AdminNational {
        Perimetre::Registre
    } else {
        Perimetre::Compte(compte.id)
    }
}

/// One table's line of the preview.
struct LigneApercu {
    table: &'static str,
    fichier: String,
    crees: u64,
    modifies: u64,
    inchanges: u64,
}

/// One mistake, as the preview lists it.
struct ErreurAffichee {
    fichier: String,
    ligne: u64,
    colonne: String,
    valeur: String,
    attendu: String,
}

#[derive(Template)]
#[template(path = "tableur.html")]
pub struct PageApercu {
    csrf: String,
    /// The token of the waiting preview: none when there is nothing to confirm.
    jeton: Option<String>,
    fichiers: Vec<String>,
    lignes: Vec<LigneApercu>,
    /// Records the confirmation would create or change.
    ecritures: u64,
    erreurs: Vec<ErreurAffichee>,
    /// The data changed between the preview and its confirmation: this is the new preview.
    change: bool,
    /// Sent without any file.
    vide: bool,
}

impl PageApercu {
    fn new(utilisateur: &Utilisateur, fichiers: &[(String, Vec<u8>)]) -> Self {
        PageApercu {
            csrf: utilisateur.csrf.clone(),
            jeton: None,
            fichiers: fichiers.iter().map(|(n, _)| n.clone()).collect(),
            lignes: Vec::new(),
            ecritures: 0,
            erreurs: Vec::new(),
            change: false,
            vide: false,
        }
    }

    fn rapport(mut self, rapport: &RapportImport) -> Self {
        self.ecritures = rapport.ecritures();
        self.lignes = rapport
            .tables
            .iter()
            .filter(|(_, d)| d.crees + d.modifies + d.inchanges > 0)
            .map(|(t, d)| LigneApercu {
                table: nom_de_table(*t),
                fichier: format!("{}.csv", t.nom()),
                crees: d.crees,
                modifies: d.modifies,
                inchanges: d.inchanges,
            })
            .collect();
        self
    }

    fn erreur(mut self, e: ErreurImport) -> Result<Self, WebError> {
        self.erreurs = match e {
            ErreurImport::Donnees(erreurs) => erreurs
                .into_iter()
                .map(|e| ErreurAffichee {
                    fichier: e.fichier,
                    ligne: e.ligne,
                    colonne: e.colonne,
                    valeur: e.valeur,
                    attendu: e.attendu,
                })
                .collect(),
            ErreurImport::Lecture { chemin, message } => vec![ErreurAffichee {
                fichier: chemin,
                ligne: 0,
                colonne: String::new(),
                valeur: String::new(),
                attendu: message,
            }],
            ErreurImport::Store(e) => return Err(e.into()),
        };
        Ok(self)
    }
}

/// A table as the preview names it (its file's name follows).
fn nom_de_table(table: Table) -> &'static str {
    match table {
        Table::Collectivites => "Collectivités",
        Table::Acteurs => "Acteurs",
        Table::Partenariats => "Partenariats",
        Table::Etapes => "Étapes",
        Table::Conventions => "Conventions",
        Table::Intermediaires => "Intermédiaires",
        Table::Pdesc => "PDESC",
        Table::Actions => "Actions",
        Table::Financements => "Financements",
        Table::Resultats => "Résultats",
        Table::Mesures => "Mesures des résultats",
    }
}

/// What the upload form sends: its security token and its files.
#[derive(Debug, Default, PartialEq)]
struct Envoi {
    csrf: String,
    fichiers: Vec<(String, Vec<u8>)>,
}

/// The upload: the files are checked by a dry run scoped to the account, and the preview
/// says what they would do, or every mistake.
pub async fn envoyer(
    State(etat): State<AppState>,
    utilisateur: Utilisateur,
    entetes: HeaderMap,
    corps: Result<Bytes, BytesRejection>,
) -> Result<Response, WebError> {
    let corps = match corps {
        Ok(c) => c,
        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            let mut page = PageApercu::new(&utilisateur, &[]);
            page.erreurs.push(ErreurAffichee {
                fichier: "envoi".to_owned(),
                ligne: 0,
                colonne: String::new(),
                valeur: String::new(),
                attendu: format!(
                    "au plus {} Mio de fichiers par envoi : envoyez le zip téléchargé depuis votre espace, ou les seuls fichiers .csv que vous avez modifiés",
                    ENVOI_MAX >> 20
                ),
            });
            return Ok(prive((StatusCode::PAYLOAD_TOO_LARGE, Html(page))));
        }
        Err(e) => return Err(WebError::Requete(format!("Envoi illisible : {e}."))),
    };
    let type_contenu = entetes
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let envoi = lire_multipart(type_contenu, &corps).map_err(WebError::Requete)?;
    utilisateur.exiger_csrf(&envoi.csrf)?;
    peut_declarer(&utilisateur.compte)?;
    if envoi.fichiers.is_empty() {
        let mut page = PageApercu::new(&utilisateur, &[]);
        page.vide = true;
        return Ok(prive((StatusCode::UNPROCESSABLE_ENTITY, Html(page))));
    }
    apercu(&etat, &utilisateur, envoi.fichiers, false).await
}

/// Runs the dry run of `fichiers` and shows its preview; a clean one waits for its
/// confirmation.
async fn apercu(
    etat: &AppState,
    utilisateur: &Utilisateur,
    fichiers: Vec<(String, Vec<u8>)>,
    change: bool,
) -> Result<Response, WebError> {
    let compte = utilisateur.compte.clone();
    let (resultat, fichiers) = etat
        .ecrire(move |conn| {
            let resultat = csv::importer_envoi(conn, &fichiers, &options(&compte, true, None));
            Ok((resultat, fichiers))
        })
        .await?;
    let page = PageApercu {
        change,
        ..PageApercu::new(utilisateur, &fichiers)
    };
    match resultat {
        Ok(rapport) => {
            let mut page = page.rapport(&rapport);
            if rapport.ecritures() > 0 {
                page.jeton = Some(etat.tableurs.deposer(
                    &utilisateur.empreinte,
                    fichiers,
                    rapport.empreinte,
                )?);
            }
            Ok(prive(Html(page)))
        }
        Err(e) => Ok(prive((
            StatusCode::UNPROCESSABLE_ENTITY,
            Html(page.erreur(e)?),
        ))),
    }
}

fn options(compte: &Compte, essai: bool, attendu: Option<u64>) -> csv::Options<'_> {
    csv::Options {
        essai,
        compte: Some(compte),
        attendu,
        taille_max: LECTURE_MAX,
    }
}

/// The confirmation or cancellation of a preview.
#[derive(Deserialize)]
pub struct Decision {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    jeton: String,
}

impl Decision {
    /// The form, read, with its security token checked.
    fn lue(
        utilisateur: &Utilisateur,
        form: Result<Form<Decision>, FormRejection>,
    ) -> Result<Decision, WebError> {
        let decision = formulaire(form)?;
        utilisateur.exiger_csrf(&decision.csrf)?;
        Ok(decision)
    }
}

/// Applies a preview, exactly: if the data changed since, nothing is written and the new
/// preview is shown.
pub async fn confirmer(
    State(etat): State<AppState>,
    utilisateur: Utilisateur,
    form: Result<Form<Decision>, FormRejection>,
) -> Result<Response, WebError> {
    let decision = Decision::lue(&utilisateur, form)?;
    peut_declarer(&utilisateur.compte)?;
    let Some(attente) = etat
        .tableurs
        .prendre(&decision.jeton, &utilisateur.empreinte)
    else {
        return Err(WebError::Introuvable(
            "Cet aperçu n'attend plus de confirmation : il a déjà été appliqué ou annulé, ou il a expiré (il est gardé 30 minutes). Envoyez à nouveau votre fichier depuis votre espace.".to_owned(),
        ));
    };
    let compte = utilisateur.compte.clone();
    let fichiers = attente.fichiers;
    let attendu = attente.empreinte;
    let (resultat, fichiers) = etat
        .ecrire(move |conn| {
            let resultat =
                csv::importer_envoi(conn, &fichiers, &options(&compte, false, Some(attendu)));
            Ok((resultat, fichiers))
        })
        .await?;
    match resultat {
        Ok(rapport) if !rapport.essai => Ok(message::rediriger(
            "/espace",
            Fait::TableurImporte,
            i64::try_from(rapport.ecritures()).unwrap_or(i64::MAX),
            etat.cookie_securise,
        )),
        // the data moved since the preview: show what the files would do now
        _ => apercu(&etat, &utilisateur, fichiers, true).await,
    }
}

/// Drops a preview without applying it.
pub async fn annuler(
    State(etat): State<AppState>,
    utilisateur: Utilisateur,
    form: Result<Form<Decision>, FormRejection>,
) -> Result<Response, WebError> {
    let decision = Decision::lue(&utilisateur, form)?;
    etat.tableurs
        .prendre(&decision.jeton, &utilisateur.empreinte);
    Ok(prive(Redirect::to("/espace")))
}

/// The body of a `multipart/form-data` form (RFC 7578) with a `csrf` field and `fichiers`
/// files: the upload form's, read here rather than through another dependency. Files
/// without a name and without content (no file chosen) are left out; a name keeps only its
/// last component (it names the file in messages, never a path on the server).
fn lire_multipart(type_contenu: &str, corps: &[u8]) -> Result<Envoi, String> {
    let illisible = |quoi: &str| {
        format!("Envoi illisible : {quoi}. Utilisez le formulaire « Envoyer » de votre espace.")
    };
    let (genre, parametres) = type_contenu.split_once(';').unwrap_or((type_contenu, ""));
    if !genre.trim().eq_ignore_ascii_case("multipart/form-data") {
        return Err(illisible(
            "le formulaire doit être envoyé en multipart/form-data",
        ));
    }
    let limite = parametres
        .split(';')
        .filter_map(|p| p.trim().split_once('='))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("boundary"))
        .map(|(_, v)| v.trim().trim_matches('"'))
        .filter(|v| !v.is_empty())
        .ok_or_else(|| illisible("limite (boundary) absente"))?;
    let debut = format!("--{limite}");
    let separateur = format!("\r\n--{limite}");
    let mut reste = corps
        .strip_prefix(debut.as_bytes())
        .ok_or_else(|| illisible("début de l'envoi introuvable"))?;
    let mut envoi = Envoi::default();
    loop {
        if reste.starts_with(b"--") {
            return Ok(envoi);
        }
        reste = reste
            .strip_prefix(b"\r\n")
            .ok_or_else(|| illisible("partie mal formée"))?;
        let fin_entetes =
            chercher(reste, b"\r\n\r\n").ok_or_else(|| illisible("en-têtes d'une partie"))?;
        let entetes = String::from_utf8_lossy(&reste[..fin_entetes]).into_owned();
        let contenu_et_suite = &reste[fin_entetes + 4..];
        let fin = chercher(contenu_et_suite, separateur.as_bytes())
            .ok_or_else(|| illisible("fin d'une partie introuvable (envoi interrompu ?)"))?;
        let contenu = &contenu_et_suite[..fin];
        reste = &contenu_et_suite[fin + separateur.len()..];
        let disposition = entetes
            .lines()
            .find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.trim()
                    .eq_ignore_ascii_case("content-disposition")
                    .then(|| v.to_owned())
            })
            .unwrap_or_default();
        let parametre = |nom: &str| {
            disposition.split(';').find_map(|p| {
                let (k, v) = p.trim().split_once('=')?;
                k.trim()
                    .eq_ignore_ascii_case(nom)
                    .then(|| v.trim().trim_matches('"').to_owned())
            })
        };
        match (parametre("name").as_deref(), parametre("filename")) {
            (Some("csrf"), None) => envoi.csrf = String::from_utf8_lossy(contenu).into_owned(),
            (Some("fichiers"), Some(nom)) => {
                let nom = nom.rsplit(['/', '\\']).next().unwrap_or("").to_owned();
                if !(nom.is_empty() && contenu.is_empty()) {
                    let nom = if nom.is_empty() {
                        "fichier".to_owned()
                    } else {
                        nom
                    };
                    envoi.fichiers.push((nom, contenu.to_vec()));
                }
            }
            _ => {}
        }
    }
}

/// Where `aiguille` first occurs in `botte`.
fn chercher(botte: &[u8], aiguille: &[u8]) -> Option<usize> {
    botte.windows(aiguille.len()).position(|w| w == aiguille)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_upload_form_is_read_and_its_file_names_lose_their_path() {
        let corps = b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc\r\n\
            --XyZ\r\nContent-Disposition: form-data; name=\"fichiers\"; filename=\"C:\\\\Users\\\\k\\\\partenariats.csv\"\r\n\
            Content-Type: text/csv\r\n\r\nidentifiant;titre\r\n\r\nPART-1;x\r\n\
            --XyZ\r\nContent-Disposition: form-data; name=\"fichiers\"; filename=\"\"\r\n\
            Content-Type: application/octet-stream\r\n\r\n\r\n--XyZ--\r\n";
        let envoi = lire_multipart("multipart/form-data; boundary=XyZ", corps).unwrap();
        assert_eq!(envoi.csrf, "abc");
        assert_eq!(
            envoi.fichiers,
            vec![(
                "partenariats.csv".to_owned(),
                b"identifiant;titre\r\n\r\nPART-1;x".to_vec()
            )]
        );
        for (type_contenu, corps) in [
            ("application/x-www-form-urlencoded", &b"csrf=abc"[..]),
            ("multipart/form-data", &b"--a\r\n"[..]),
            (
                "multipart/form-data; boundary=a",
                &b"--a\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc"[..],
            ),
            ("multipart/form-data; boundary=a", &b"autre chose"[..]),
        ] {
            let e = lire_multipart(type_contenu, corps).unwrap_err();
            assert!(e.starts_with("Envoi illisible : "), "{e}");
        }
    }

    #[test]
    fn a_preview_is_taken_once_by_its_own_session() {
        let attente = EnAttente::default();
        let jeton = attente.deposer("s1", vec![], 7).unwrap();
        assert!(attente.prendre(&jeton, "s2").is_none(), "another session");
        let a = attente.prendre(&jeton, "s1").unwrap();
        assert_eq!(a.empreinte, 7);
        assert!(attente.prendre(&jeton, "s1").is_none(), "taken once");
        // a new preview of the same session replaces the previous one
        let premier = attente.deposer("s1", vec![], 1).unwrap();
        let second = attente.deposer("s1", vec![], 2).unwrap();
        assert!(attente.prendre(&premier, "s1").is_none());
        assert!(attente.prendre(&second, "s1").is_some());
        // the number waiting is bounded
        for i in 0..EN_ATTENTE_MAX + 5 {
            attente.deposer(&format!("s{i}"), vec![], 0).unwrap();
        }
        assert_eq!(attente.carte().len(), EN_ATTENTE_MAX);
    }
}
