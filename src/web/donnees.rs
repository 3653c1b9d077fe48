//! The open-data page: every download in one place, and the IATI file and the registry's
//! CSV zips, kept on disk and rebuilt in the background after the data changed
//! (`preparation`).

use std::io::{BufWriter, Write};
use std::path::Path;
use std::sync::Arc;

use askama::Template;
use axum::body::Body;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use rusqlite::Connection;
use time::OffsetDateTime;

use super::calculs::Calculs;
use super::format::Html;
use super::metriques::Cache;
use super::preparation::{Donnees, Preparations, Servi, Sorte};
use super::{AppState, WebError};
use crate::interop::csv::{self, Perimetre, Variante};
use crate::interop::iati::{self, Editeur};
use crate::observatoire::{Apercu, rendu};

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
    /// The file at hand describes older data; a newer one is being prepared.
    en_preparation: bool,
}

impl Fichier {
    /// « 1,2 Mo », « 38,4 ko », « 512 octets ».
    pub fn taille_lisible(&self) -> Option<String> {
        self.taille.map(crate::model::taille_fr)
    }

    /// The day of the data; with the time when a newer file is being prepared, since the
    /// day alone may well be today's.
    pub fn date_lisible(&self) -> Option<String> {
        self.date.map(|d| match self.en_preparation {
            true => super::format::instant(&d),
            false => super::format::date(&d.date()),
        })
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

/// The open-data page: every download with its size and date when a file is at hand,
/// « taille connue après la première préparation » otherwise — the page never waits for a
/// file to be built. A registry file built from older data is named with its date and « une
/// mise à jour est en préparation », and its rebuild starts.
pub async fn page(State(etat): State<AppState>) -> Result<Html<PageDonnees>, WebError> {
    let actuelles = etat.lire(|conn| Ok(Donnees::lire(conn)?)).await?;
    let (generation, mise_a_jour) = (actuelles.generation, actuelles.mise_a_jour);
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
                en_preparation: false,
                lien,
                titre,
                format,
            })
            .collect()
    });
    let prepare = |lien: &str, nom: &'static str, titre: &str, format| {
        let vue = etat.telechargements.preparations.vue(&etat, nom, actuelles);
        Fichier {
            lien: lien.to_owned(),
            titre: titre.to_owned(),
            format,
            taille: vue.as_ref().map(|v| v.taille),
            date: match &vue {
                Some(v) => v.donnees.mise_a_jour,
                None => mise_a_jour,
            },
            en_preparation: vue.is_some_and(|v| !v.a_jour),
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

/// The files built from the whole registry, rebuilt in the background (`preparation`).
static SORTES: [Sorte; 3] = [
    Sorte {
        nom: IATI,
        ecrire: ecrire_iati,
    },
    Sorte {
        nom: REGISTRE,
        ecrire: ecrire_registre,
    },
    Sorte {
        nom: REGISTRE_EXCEL,
        ecrire: ecrire_registre_excel,
    },
];

/// The downloads built from the whole registry (kept on disk, see `preparation`) and the
/// sizes of the files drawn from the overview, measured once per data generation (`cache`
/// counts how often they were).
pub struct Telechargements {
    preparations: Preparations,
    tailles: Calculs<(), TaillesApercu>,
}

impl Telechargements {
    /// The downloads of the database at `base`, whose data are `actuelles` at start.
    pub fn new(base: &Path, actuelles: Donnees, cache: Cache) -> Telechargements {
        Telechargements {
            preparations: Preparations::new(base, &SORTES, actuelles),
            tailles: Calculs::new(1, cache),
        }
    }

    /// The sizes of the files drawn from `apercu`, measured once per data generation, on a
    /// blocking thread and within the site's bound on heavy work.
    async fn tailles(
        &self,
        etat: &AppState,
        generation: u64,
        apercu: Arc<Apercu>,
    ) -> Result<Arc<TaillesApercu>, WebError> {
        self.tailles
            .obtenir((), generation, &etat.limite, || {
                super::bloquant(move || TaillesApercu::mesurer(&apercu))
            })
            .await
    }
}

/// « Tue, 01 Dec 2026 14:03:00 GMT », as `Last-Modified` wants it.
fn date_http(moment: OffsetDateTime) -> Option<String> {
    const FORMAT: &[time::format_description::BorrowedFormatItem<'_>] = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    moment.to_offset(time::UtcOffset::UTC).format(FORMAT).ok()
}

/// Streams a download: the database connection was given back before a slow client starts
/// reading, and memory does not grow with the file. The headers say which data it describes
/// (`Last-Modified`, `Benkan-Generation`), whether newer ones are being prepared
/// (`Benkan-Fichier: precedent`) and how many times it was prepared since the site started
/// (`Benkan-Preparations`, as a metrics page would).
fn envoyer(servi: Servi, type_contenu: &'static str, nom: &'static str) -> Response {
    let mut entetes = vec![
        (header::CONTENT_TYPE, type_contenu.to_owned()),
        (
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{nom}\""),
        ),
        (header::CONTENT_LENGTH, servi.taille.to_string()),
        (
            header::HeaderName::from_static("benkan-generation"),
            servi.donnees.generation.to_string(),
        ),
        (
            header::HeaderName::from_static("benkan-fichier"),
            if servi.a_jour { "a-jour" } else { "precedent" }.to_owned(),
        ),
        (
            header::HeaderName::from_static("benkan-preparations"),
            servi.preparations.to_string(),
        ),
    ];
    if let Some(date) = servi.donnees.mise_a_jour.and_then(date_http) {
        entetes.push((header::LAST_MODIFIED, date));
    }
    let mut reponse = Body::from_stream(tokio_util::io::ReaderStream::new(
        tokio::fs::File::from_std(servi.fichier),
    ))
    .into_response();
    for (nom, valeur) in entetes {
        if let Ok(valeur) = header::HeaderValue::from_str(&valeur) {
            reponse.headers_mut().insert(nom, valeur);
        }
    }
    reponse
}

/// The IATI 2.03 file of every public, dated action, published under benkan's placeholder
/// identifier (a publisher exports with its own through `benkan export iati`).
pub async fn iati(State(etat): State<AppState>) -> Result<Response, WebError> {
    telecharger(&etat, IATI, "application/xml; charset=utf-8").await
}

/// The prepared file `nom`, the current one or the previous one (`preparation`).
async fn telecharger(
    etat: &AppState,
    nom: &'static str,
    type_contenu: &'static str,
) -> Result<Response, WebError> {
    let servi = etat.telechargements.preparations.obtenir(etat, nom).await?;
    Ok(envoyer(servi, type_contenu, nom))
}

fn ecrire_iati(conn: &Connection, fichier: &mut std::fs::File) -> Result<(), WebError> {
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
            "Aucune action publique datée n'est encore enregistrée : le fichier IATI serait vide."
                .to_owned(),
        ));
    }
    sortie
        .flush()
        .map_err(|e| WebError::Interne(format!("{IATI} : {e}")))
}

/// The public registry as a zip of CSV files in UTF-8 (docs/formats.md).
pub async fn registre(State(etat): State<AppState>) -> Result<Response, WebError> {
    telecharger(&etat, REGISTRE, "application/zip").await
}

/// The same files in the variant French Excel opens.
pub async fn registre_excel(State(etat): State<AppState>) -> Result<Response, WebError> {
    telecharger(&etat, REGISTRE_EXCEL, "application/zip").await
}

fn ecrire_registre(conn: &Connection, fichier: &mut std::fs::File) -> Result<(), WebError> {
    ecrire_zip(conn, fichier, Variante::Utf8, REGISTRE)
}

fn ecrire_registre_excel(conn: &Connection, fichier: &mut std::fs::File) -> Result<(), WebError> {
    ecrire_zip(conn, fichier, Variante::ExcelFr, REGISTRE_EXCEL)
}

fn ecrire_zip(
    conn: &Connection,
    fichier: &mut std::fs::File,
    variante: Variante,
    nom: &'static str,
) -> Result<(), WebError> {
    csv::ecrire_zip(conn, fichier, variante, Perimetre::Public, Path::new(nom))
        .map(drop)
        .map_err(|e| WebError::Interne(e.to_string()))
}
