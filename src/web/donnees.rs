//! The open-data page: every download in one place, and the IATI file and the registry's
//! CSV zips generated on demand and kept until the data changes.

use std::io::{BufWriter, Seek, Write};
use std::path::Path;
use std::sync::Arc;

use askama::Template;
use axum::body::Body;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use rusqlite::Connection;
use tempfile::NamedTempFile;
use time::OffsetDateTime;

use super::calculs::Calculs;
use super::format::Html;
use super::{AppState, WebError};
use crate::interop::csv::{self, Perimetre, Variante};
use crate::interop::iati::{self, Editeur};
use crate::observatoire::{Apercu, rendu};
use crate::store;

/// The licence of everything published, as the downloads' `Link` header and the pages name it.
pub const LICENCE: &str = "Licence Ouverte 2.0 (Etalab)";
pub const LICENCE_URL: &str = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/";

/// Whether `chemin` serves open data: the downloads, the overview's files and the API.
fn donnee_ouverte(chemin: &str) -> bool {
    ["/donnees/", "/apercu.", "/apercu/", "/api/v1/"]
        .iter()
        .any(|debut| chemin.starts_with(debut))
}

/// Names the licence in a `Link` header on every successful open-data answer, so that a
/// program that only downloads still learns under which terms.
pub async fn licence(requete: axum::extract::Request, suivant: axum::middleware::Next) -> Response {
    let ouverte = donnee_ouverte(requete.uri().path());
    let mut reponse = suivant.run(requete).await;
    static LIEN: std::sync::LazyLock<Option<axum::http::HeaderValue>> =
        std::sync::LazyLock::new(|| {
            axum::http::HeaderValue::from_str(&format!("<{LICENCE_URL}>; rel=\"license\"")).ok()
        });
    if let Some(lien) = LIEN
        .as_ref()
        .filter(|_| ouverte && reponse.status().is_success())
    {
        reponse.headers_mut().insert(header::LINK, lien.clone());
    }
    reponse
}

/// One download as the page lists it.
pub struct Fichier {
    lien: String,
    titre: String,
    format: &'static str,
    /// Known once the file has been prepared for the current data.
    taille: Option<u64>,
    /// When the data it is drawn from last changed.
    date: Option<OffsetDateTime>,
}

impl Fichier {
    /// « 1,2 Mo », « 38 ko », « 512 octets ».
    pub fn taille_lisible(&self) -> Option<String> {
        self.taille.map(|octets| match octets {
            0..1_000 => format!("{octets} octets"),
            1_000..1_000_000 => format!("{} ko", octets.div_ceil(1_000)),
            _ => format!("{:.1} Mo", octets as f64 / 1e6).replace('.', ","),
        })
    }

    pub fn date_lisible(&self) -> Option<String> {
        self.date.map(|d| super::format::date(&d.date()))
    }
}

#[derive(Template)]
#[template(path = "donnees.html")]
pub struct PageDonnees {
    mise_a_jour: Option<OffsetDateTime>,
    apercu: Vec<Fichier>,
    tableaux: Vec<Fichier>,
    registre: Vec<Fichier>,
    iati: Vec<Fichier>,
    cartes: Vec<Fichier>,
}

/// The files drawn from the overview, by link and title.
fn fichiers_apercu() -> [Vec<(String, String, &'static str)>; 3] {
    let apercu = vec![
        (
            "/apercu.json".to_owned(),
            "L'aperçu complet en JSON".to_owned(),
            "JSON",
        ),
        (
            "/apercu/rapport.html".to_owned(),
            "Le rapport imprimable (page HTML autonome)".to_owned(),
            "HTML",
        ),
    ];
    let tableaux = rendu::NOMS_TABLEAUX
        .iter()
        .map(|(nom, titre)| (format!("/apercu/{nom}.csv"), (*titre).to_owned(), "CSV"))
        .collect();
    let cartes = [
        ("regions", "Régions et district de Bamako"),
        ("cercles", "Cercles"),
        ("communes", "Communes"),
    ]
    .into_iter()
    .map(|(nom, titre)| {
        (
            format!("/donnees/carte/{nom}.geojson"),
            titre.to_owned(),
            "GeoJSON",
        )
    })
    .collect();
    [apercu, tableaux, cartes]
}

/// The size of each file drawn from the overview, by link.
pub struct TaillesApercu(Vec<(String, u64)>);

impl TaillesApercu {
    /// Renders every file as its route does, to measure it.
    fn mesurer(a: &Apercu) -> Result<TaillesApercu, WebError> {
        let mut tailles = vec![
            ("/apercu.json".to_owned(), rendu::json(a).len() as u64),
            (
                "/apercu/rapport.html".to_owned(),
                rendu::html(a)
                    .map_err(|e| WebError::Interne(e.to_string()))?
                    .len() as u64,
            ),
        ];
        for (nom, csv) in rendu::tableaux_csv(a) {
            tailles.push((format!("/apercu/{nom}.csv"), csv.len() as u64));
        }
        for (echelon, nom) in crate::carte::Echelon::TOUS
            .into_iter()
            .zip(["regions", "cercles", "communes"])
        {
            let corps = crate::observatoire::carte::geojson(a, echelon).to_string();
            tailles.push((format!("/donnees/carte/{nom}.geojson"), corps.len() as u64));
        }
        Ok(TaillesApercu(tailles))
    }

    fn de(&self, lien: &str) -> Option<u64> {
        self.0.iter().find(|(l, _)| l == lien).map(|(_, t)| *t)
    }
}

/// The open-data page: every download with its size and date when the file is ready for the
/// current data, « taille connue après la première préparation » otherwise — the page never
/// waits for a file to be built.
pub async fn page(State(etat): State<AppState>) -> Result<Html<PageDonnees>, WebError> {
    let (generation, mise_a_jour) = etat
        .lire(|conn| {
            Ok((
                store::apercu::generation(conn)?,
                store::apercu::mise_a_jour(conn)?,
            ))
        })
        .await?;
    let tailles = match etat.apercus.deja(&super::format::aujourd_hui(), generation) {
        Some(apercu) => Some(
            etat.telechargements
                .tailles(&etat, generation, apercu)
                .await?,
        ),
        None => None,
    };
    let [apercu, tableaux, cartes] = fichiers_apercu().map(|liste| {
        liste
            .into_iter()
            .map(|(lien, titre, format)| Fichier {
                taille: tailles.as_ref().and_then(|t| t.de(&lien)),
                date: mise_a_jour,
                lien,
                titre,
                format,
            })
            .collect()
    });
    let prepare = |lien: &str, nom: &'static str, titre: &str, format| {
        let pret = etat.telechargements.0.deja(&nom, generation);
        Fichier {
            lien: lien.to_owned(),
            titre: titre.to_owned(),
            format,
            taille: pret.map(|g| g.taille),
            date: mise_a_jour,
        }
    };
    Ok(Html(PageDonnees {
        mise_a_jour,
        apercu,
        tableaux,
        registre: vec![
            prepare(
                "/donnees/registre.zip",
                REGISTRE,
                "Le registre en CSV (UTF-8, séparateur « , »)",
                "ZIP",
            ),
            prepare(
                "/donnees/registre-excel.zip",
                REGISTRE_EXCEL,
                "Le registre pour Excel en français (séparateur « ; », virgule décimale)",
                "ZIP",
            ),
        ],
        iati: vec![prepare(
            "/donnees/iati.xml",
            IATI,
            "Les actions au format IATI 2.03",
            "XML",
        )],
        cartes,
    }))
}

/// The names of the prepared files, as their downloads call them.
const IATI: &str = "benkan-iati.xml";
const REGISTRE: &str = "benkan-registre.zip";
const REGISTRE_EXCEL: &str = "benkan-registre-excel.zip";

/// Downloads built from the whole registry, kept in temporary files until the data changes
/// (`meta.generation`): building one takes seconds on a national-scale registry, and a
/// request for an unchanged registry should not pay that again. Each file is built once
/// however many ask for it at the same moment (`calculs`), and one file's build does not
/// hold up the download of another.
pub struct Telechargements(Calculs<&'static str, Genere>, Calculs<(), TaillesApercu>);

impl Default for Telechargements {
    fn default() -> Self {
        Telechargements(Calculs::new(FICHIERS), Calculs::new(1))
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

impl Telechargements {
    /// The sizes of the files drawn from `apercu`, measured once per data generation, on a
    /// blocking thread and within the site's bound on heavy work.
    async fn tailles(
        &self,
        etat: &AppState,
        generation: u64,
        apercu: Arc<Apercu>,
    ) -> Result<Arc<TaillesApercu>, WebError> {
        self.1
            .obtenir((), generation, &etat.limite, || {
                super::bloquant(move || TaillesApercu::mesurer(&apercu))
            })
            .await
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
    const NOM: &str = IATI;
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
    registre_zip(etat, Variante::Utf8, REGISTRE).await
}

/// The same files in the variant French Excel opens.
pub async fn registre_excel(State(etat): State<AppState>) -> Result<Response, WebError> {
    registre_zip(etat, Variante::ExcelFr, REGISTRE_EXCEL).await
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
