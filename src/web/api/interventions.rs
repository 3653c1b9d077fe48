//! `/api/v1/interventions`: the « autres interventions » imported from IATI (docs/iati.md),
//! filtered by collectivité, status, sector and organisation; one intervention with
//! everything its page shows, its codes with their French labels.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Serialize;

use super::erreur::ErreurApi;
use super::json::{self, CollectiviteJson};
use super::reponse::{self, IdSeul, Liste, Requete};
use crate::model::{
    CollectiviteId, InterventionId, ListeIati, MethodeLien, MotifNonLie, Narratif,
    OrganisationIati, ResultatIati, ValeurIati, ValeurResultatIati, libelle_iati,
};
use crate::store::intervention::{self, InterventionQuery, InterventionResume};
use crate::web::AppState;
use crate::web::interventions::lien_d_portal;

/// An IATI code and its French label from the official codelist (null when the codelist
/// does not know it).
#[derive(Serialize)]
pub struct CodeIatiJson {
    pub code: String,
    pub libelle: Option<&'static str>,
}

fn code(liste: ListeIati, code: &str) -> CodeIatiJson {
    CodeIatiJson {
        code: code.to_owned(),
        libelle: libelle_iati(liste, code),
    }
}

fn code_nul(liste: ListeIati, valeur: &Option<String>) -> Option<CodeIatiJson> {
    valeur.as_deref().map(|v| code(liste, v))
}

/// An intervention as a line of a list.
#[derive(Serialize)]
pub struct InterventionResumeJson {
    pub id: i64,
    pub identifiant_iati: String,
    pub titre: Option<String>,
    pub editeur_ref: Option<String>,
    pub editeur_nom: Option<String>,
    pub statut: Option<CodeIatiJson>,
    /// The actual start, else the planned one.
    pub debut: Option<String>,
    pub fin: Option<String>,
    /// The collectivités its places link to (within `collectivite` when filtered by it).
    pub lieux: Vec<CollectiviteJson>,
}

impl From<InterventionResume> for InterventionResumeJson {
    fn from(i: InterventionResume) -> Self {
        InterventionResumeJson {
            id: i.id.0,
            statut: code_nul(ListeIati::StatutActivite, &i.statut),
            identifiant_iati: i.identifiant_iati,
            titre: i.titre,
            editeur_ref: i.editeur_ref,
            editeur_nom: i.editeur_nom,
            debut: i.debut.map(json::date),
            fin: i.fin.map(json::date),
            lieux: json::collectivites(&i.lieux),
        }
    }
}

/// `secteur`: a DAC code of 5 digits or a category of 3.
fn secteur(texte: Option<&str>) -> Result<Option<String>, ErreurApi> {
    match texte {
        Some(v) if !((v.len() == 3 || v.len() == 5) && v.bytes().all(|b| b.is_ascii_digit())) => {
            Err(ErreurApi::Parametre(format!(
                "Paramètre « secteur » : « {v} » n'est pas un code CAD ; un secteur de 5 chiffres (14030) ou une catégorie de 3 chiffres (140) est attendu."
            )))
        }
        autre => Ok(autre.map(str::to_owned)),
    }
}

/// `statut`: a code of the IATI ActivityStatus codelist.
fn statut(texte: Option<&str>) -> Result<Option<String>, ErreurApi> {
    match texte {
        Some(v) if libelle_iati(ListeIati::StatutActivite, v).is_none() => {
            Err(ErreurApi::Parametre(format!(
                "Paramètre « statut » : « {v} » n'est pas un code de statut d'activité IATI ; valeurs attendues : {}.",
                crate::model::codes_iati(ListeIati::StatutActivite)
                    .iter()
                    .map(|c| format!(
                        "{c} ({})",
                        libelle_iati(ListeIati::StatutActivite, c).unwrap_or_default()
                    ))
                    .collect::<Vec<_>>()
                    .join(", ")
            )))
        }
        autre => Ok(autre.map(str::to_owned)),
    }
}

pub async fn liste(
    State(etat): State<AppState>,
    entetes: HeaderMap,
    requete: Requete,
) -> Result<Response, ErreurApi> {
    let (params, page) = requete.liste(&["collectivite", "statut", "secteur", "organisation"])?;
    let query = InterventionQuery {
        zone: reponse::identifiant(params, "collectivite")?.map(CollectiviteId),
        statut: statut(params.texte("statut"))?,
        secteur: secteur(params.texte("secteur"))?,
        organisation: params.texte("organisation").map(str::to_owned),
        page,
    };
    let resultats = etat.lire(move |conn| Ok(query.lister(conn)?)).await?;
    reponse::json(
        &entetes,
        &Liste::depuis(resultats, InterventionResumeJson::from),
    )
}

#[derive(Serialize)]
struct NarratifJson {
    texte: String,
    /// `xml:lang` as published, or the activity's default language; null when neither is.
    langue: Option<String>,
}

fn narratif(n: &Option<Narratif>) -> Option<NarratifJson> {
    n.as_ref().map(|n| NarratifJson {
        texte: n.texte.clone(),
        langue: n.langue.clone(),
    })
}

#[derive(Serialize)]
struct Editeur {
    reference: Option<String>,
    nom: Option<String>,
    #[serde(rename = "type")]
    type_organisation: Option<CodeIatiJson>,
}

#[derive(Serialize)]
struct Participant {
    role: Option<CodeIatiJson>,
    reference: Option<String>,
    nom: Option<String>,
    #[serde(rename = "type")]
    type_organisation: Option<CodeIatiJson>,
}

impl From<&OrganisationIati> for Participant {
    fn from(o: &OrganisationIati) -> Self {
        Participant {
            role: code_nul(ListeIati::RoleOrganisation, &o.role),
            reference: o.reference.clone(),
            nom: o.nom.clone(),
            type_organisation: code_nul(ListeIati::TypeOrganisation, &o.type_organisation),
        }
    }
}

#[derive(Serialize)]
struct Dates {
    debut_prevu: Option<String>,
    debut_reel: Option<String>,
    fin_prevue: Option<String>,
    fin_reelle: Option<String>,
}

#[derive(Serialize)]
struct Point {
    latitude: f64,
    longitude: f64,
}

#[derive(Serialize)]
struct Lieu {
    /// As published; null for a place published without a name (a point, a code).
    nom: Option<String>,
    /// Its `description`, else its `activity-description`, as published.
    description: Option<String>,
    /// ISO 3166-2 (`ML-1`) or COD P-code (`ML0101`), when published.
    code_administratif: Option<String>,
    /// WGS 84 degrees, when published and readable.
    point: Option<Point>,
    /// IATI GeographicExactness code: 1 exact, 2 approximate.
    exactitude: Option<String>,
    /// IATI GeographicLocationReach code: 1 the activity, 2 its intended beneficiaries.
    portee: Option<String>,
    /// The Malian collectivités it designates, when that is certain (several for a list).
    collectivites: Vec<CollectiviteJson>,
    /// The first of `collectivites`: the one field version 1 had, kept for its clients.
    collectivite: Option<CollectiviteJson>,
    /// How it was linked (`code`, `nom`, `liste`, `point`); null when it is not, or for a
    /// place imported before benkan recorded it.
    methode: Option<&'static str>,
    /// Why it is not linked (`mali_entier`, `hors_mali`, `inconnu`, `ambigu`, `illisible`).
    motif: Option<&'static str>,
}

#[derive(Serialize)]
struct Secteur {
    vocabulaire: CodeIatiJson,
    code: String,
    /// The DAC label of a vocabulary 1 or 2 code; null for other vocabularies.
    libelle: Option<&'static str>,
    /// As published (« 33.3 »).
    pourcentage: Option<String>,
}

/// An exact amount that may be negative, in any ISO 4217 currency.
#[derive(Serialize)]
struct ValeurJson {
    unites_mineures: i64,
    devise: String,
    decimales: u32,
}

impl From<&ValeurIati> for ValeurJson {
    fn from(v: &ValeurIati) -> Self {
        ValeurJson {
            unites_mineures: v.unites_mineures,
            devise: v.devise().to_owned(),
            decimales: v.decimales(),
        }
    }
}

#[derive(Serialize)]
struct Transaction {
    #[serde(rename = "type")]
    type_transaction: CodeIatiJson,
    date: Option<String>,
    valeur: ValeurJson,
    date_valeur: Option<String>,
    fournisseur: Option<String>,
    beneficiaire: Option<String>,
}

/// A target or actual as published: the decimal as a string, exact (« 1200.5 »).
#[derive(Serialize)]
struct ValeurResultatJson {
    valeur: Option<String>,
    dimensions: Vec<Dimension>,
}

#[derive(Serialize)]
struct Dimension {
    nom: String,
    valeur: String,
}

impl From<&ValeurResultatIati> for ValeurResultatJson {
    fn from(v: &ValeurResultatIati) -> Self {
        ValeurResultatJson {
            valeur: v.valeur.as_ref().map(|d| d.as_str().to_owned()),
            dimensions: v
                .dimensions
                .iter()
                .map(|(nom, valeur)| Dimension {
                    nom: nom.clone(),
                    valeur: valeur.clone(),
                })
                .collect(),
        }
    }
}

#[derive(Serialize)]
struct Reference {
    vocabulaire: String,
    code: String,
}

#[derive(Serialize)]
struct Base {
    annee: Option<i32>,
    date: Option<String>,
    valeur: Option<String>,
}

#[derive(Serialize)]
struct PeriodeResultat {
    debut: Option<String>,
    fin: Option<String>,
    cibles: Vec<ValeurResultatJson>,
    atteints: Vec<ValeurResultatJson>,
}

/// One indicator of a published `<result>`.
#[derive(Serialize)]
struct Resultat {
    /// IATI ResultType code.
    #[serde(rename = "type")]
    type_resultat: Option<String>,
    titre: Option<String>,
    indicateur: Option<String>,
    /// IATI IndicatorMeasure code.
    mesure: Option<String>,
    croissant: Option<bool>,
    reference: Option<Reference>,
    base: Option<Base>,
    periodes: Vec<PeriodeResultat>,
}

impl From<&ResultatIati> for Resultat {
    fn from(r: &ResultatIati) -> Self {
        Resultat {
            type_resultat: r.type_resultat.clone(),
            titre: r.titre.clone(),
            indicateur: r.indicateur.clone(),
            mesure: r.mesure.clone(),
            croissant: r.croissant,
            reference: r.reference.as_ref().map(|(vocabulaire, code)| Reference {
                vocabulaire: vocabulaire.clone(),
                code: code.clone(),
            }),
            base: r.base.as_ref().map(|b| Base {
                annee: b.annee,
                date: b.date.map(json::date),
                valeur: b.valeur.as_ref().map(|d| d.as_str().to_owned()),
            }),
            periodes: r
                .periodes
                .iter()
                .map(|p| PeriodeResultat {
                    debut: p.debut.map(json::date),
                    fin: p.fin.map(json::date),
                    cibles: p.cibles.iter().map(ValeurResultatJson::from).collect(),
                    atteints: p.atteints.iter().map(ValeurResultatJson::from).collect(),
                })
                .collect(),
        }
    }
}

#[derive(Serialize)]
struct Fiche {
    id: i64,
    identifiant_iati: String,
    version_iati: String,
    /// `last-updated-datetime` as published.
    derniere_maj_iati: Option<String>,
    titre: Option<NarratifJson>,
    description: Option<NarratifJson>,
    editeur: Editeur,
    statut: Option<CodeIatiJson>,
    dates: Dates,
    /// The share for Mali (`recipient-country` ML), as published.
    pourcentage_mali: Option<String>,
    lieux: Vec<Lieu>,
    secteurs: Vec<Secteur>,
    participants: Vec<Participant>,
    transactions: Vec<Transaction>,
    /// One per indicator of its published results, as published.
    resultats: Vec<Resultat>,
    /// The file it was read from and when.
    fichier: String,
    importe_le: String,
    /// The activity on d-portal, IATI's public viewer.
    d_portal: String,
}

pub async fn fiche(
    State(etat): State<AppState>,
    entetes: HeaderMap,
    IdSeul(id): IdSeul,
) -> Result<Response, ErreurApi> {
    let id = InterventionId(id);
    let introuvable = format!("Aucune intervention ne porte le numéro {id}.");
    let f = reponse::un(&etat, introuvable, move |conn| {
        intervention::fiche(conn, id)
    })
    .await?;
    let fiche = Fiche {
        id: f.id.0,
        d_portal: lien_d_portal(&f.identifiant_iati),
        identifiant_iati: f.identifiant_iati,
        version_iati: f.version,
        derniere_maj_iati: f.derniere_maj,
        titre: narratif(&f.titre),
        description: narratif(&f.description),
        editeur: Editeur {
            reference: f.editeur.reference.clone(),
            nom: f.editeur.nom.clone(),
            type_organisation: code_nul(ListeIati::TypeOrganisation, &f.editeur.type_organisation),
        },
        statut: code_nul(ListeIati::StatutActivite, &f.statut),
        dates: Dates {
            debut_prevu: f.dates.debut_prevu.map(json::date),
            debut_reel: f.dates.debut_reel.map(json::date),
            fin_prevue: f.dates.fin_prevue.map(json::date),
            fin_reelle: f.dates.fin_reelle.map(json::date),
        },
        pourcentage_mali: f.pourcentage_mali,
        lieux: f
            .lieux
            .iter()
            .map(|l| Lieu {
                nom: l.nom.clone(),
                description: l.description.clone(),
                code_administratif: l.code_administratif.clone(),
                point: l.point.map(|p| Point {
                    latitude: p.latitude,
                    longitude: p.longitude,
                }),
                exactitude: l.exactitude.clone(),
                portee: l.portee.clone(),
                collectivites: l.collectivites.iter().map(CollectiviteJson::from).collect(),
                collectivite: l.collectivites.first().map(CollectiviteJson::from),
                methode: l.methode.map(MethodeLien::code),
                motif: l.motif.map(MotifNonLie::code),
            })
            .collect(),
        secteurs: f
            .secteurs
            .iter()
            .map(|s| Secteur {
                vocabulaire: code(ListeIati::VocabulaireSecteur, &s.vocabulaire),
                code: s.code.clone(),
                libelle: match s.vocabulaire.as_str() {
                    "1" => libelle_iati(ListeIati::Secteur, &s.code),
                    "2" => libelle_iati(ListeIati::CategorieSecteur, &s.code),
                    _ => None,
                },
                pourcentage: s.pourcentage.clone(),
            })
            .collect(),
        participants: f.participants.iter().map(Participant::from).collect(),
        transactions: f
            .transactions
            .iter()
            .map(|t| Transaction {
                type_transaction: code(ListeIati::TypeTransaction, &t.type_transaction),
                date: t.date.map(json::date),
                valeur: (&t.valeur).into(),
                date_valeur: t.date_valeur.map(json::date),
                fournisseur: t.fournisseur.clone(),
                beneficiaire: t.beneficiaire.clone(),
            })
            .collect(),
        resultats: f.resultats.iter().map(Resultat::from).collect(),
        fichier: f.fichier,
        importe_le: json::instant(f.importe_le),
    };
    reponse::json(&entetes, &fiche)
}
