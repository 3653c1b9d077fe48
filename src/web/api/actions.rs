//! `/api/v1/actions`: public actions filtered by partenariat, axe, domaine, statut and
//! collectivité; one action with its places, points and money.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Serialize;

use super::erreur::ErreurApi;
use super::json::{self, ActionResumeJson, MontantJson, TotalJson};
use super::reponse::{self, IdSeul, Liste, Requete};
use crate::model::{ActionId, CollectiviteId, PartenariatId, Resultat};
use crate::store::action::{self, ActionQuery};
use crate::web::{AppState, format};

pub async fn liste(
    State(etat): State<AppState>,
    entetes: HeaderMap,
    requete: Requete,
) -> Result<Response, ErreurApi> {
    let (params, page) = requete.liste(&[
        "partenariat",
        "axe",
        "domaine",
        "statut",
        "collectivite",
        "indicateur",
    ])?;
    let query = ActionQuery {
        partenariat: reponse::identifiant(params, "partenariat")?.map(PartenariatId),
        axe: params.code("axe")?,
        domaine: params.code("domaine")?,
        statut: params.code("statut")?,
        zone: reponse::identifiant(params, "collectivite")?.map(CollectiviteId),
        indicateur: params.indicateur("indicateur")?.map(|i| i.code.clone()),
        page,
    };
    let tenu = etat.apercu_tenu.clone();
    let resultats = etat
        .lire(move |conn| {
            // the criteria alone: their count is kept beside today's overview
            let total = if query.zone.is_none()
                && query.partenariat.is_none()
                && query.indicateur.is_none()
            {
                let (axe, domaine, statut) = (query.axe, query.domaine, query.statut);
                Some(tenu.actions(conn, format::aujourd_hui(), axe, domaine, statut)?)
            } else {
                None
            };
            Ok(query.lister(conn, total)?)
        })
        .await?;
    reponse::json(&entetes, &Liste::depuis(resultats, ActionResumeJson::from))
}

#[derive(Serialize)]
struct PartenariatLien {
    id: i64,
    titre: String,
}

#[derive(Serialize)]
struct Financement {
    id: i64,
    source_id: i64,
    source_nom: String,
    /// `engagement` or `decaissement`.
    #[serde(rename = "type")]
    type_financement: &'static str,
    montant: MontantJson,
    annee: i32,
}

#[derive(Serialize)]
struct Fiche {
    #[serde(flatten)]
    action: ActionResumeJson,
    description: Option<String>,
    modifie_le: String,
    partenariat: PartenariatLien,
    financements: Vec<Financement>,
    totaux: Vec<TotalJson>,
    resultats: Vec<ResultatJson>,
}

/// A value in its unit, exact, as files write it (« 12.5 »), with the date it holds for.
#[derive(Serialize)]
struct ValeurDatee {
    valeur: String,
    date: Option<String>,
}

#[derive(Serialize)]
struct PeriodeJson {
    debut: String,
    fin: String,
    valeur: String,
    femmes: Option<i64>,
    hommes: Option<i64>,
    commentaire: Option<String>,
    source: Option<String>,
}

/// What the action produced for one indicator.
#[derive(Serialize)]
struct ResultatJson {
    /// The catalogue's code; none for the action's own indicator.
    indicateur: Option<String>,
    libelle: String,
    unite: &'static str,
    base: Option<ValeurDatee>,
    cible: Option<ValeurDatee>,
    /// The sum of the measured values (the latest for a percentage).
    atteint: Option<String>,
    periodes: Vec<PeriodeJson>,
}

impl From<&Resultat> for ResultatJson {
    fn from(r: &Resultat) -> Self {
        ResultatJson {
            indicateur: r.mesure.indicateur().map(|i| i.code.clone()),
            libelle: r.mesure.libelle().to_owned(),
            unite: r.mesure.unite().code(),
            base: r.base.map(|(v, d)| ValeurDatee {
                valeur: v.en_fichier(),
                date: Some(d.to_string()),
            }),
            cible: r.cible.map(|(v, d)| ValeurDatee {
                valeur: v.en_fichier(),
                date: d.map(|d| d.to_string()),
            }),
            atteint: r.atteint().map(|v| v.en_fichier()),
            periodes: r
                .periodes
                .iter()
                .map(|p| PeriodeJson {
                    debut: p.debut.to_string(),
                    fin: p.fin.to_string(),
                    valeur: p.valeur.en_fichier(),
                    femmes: p.femmes,
                    hommes: p.hommes,
                    commentaire: p.commentaire.clone(),
                    source: p.source.clone(),
                })
                .collect(),
        }
    }
}

pub async fn fiche(
    State(etat): State<AppState>,
    entetes: HeaderMap,
    IdSeul(id): IdSeul,
) -> Result<Response, ErreurApi> {
    let id = ActionId(id);
    let introuvable = format!("Aucune action ne porte le numéro {id}.");
    let f = reponse::un(&etat, introuvable, move |conn| action::fiche(conn, id)).await?;
    let fiche = Fiche {
        action: ActionResumeJson::new(
            &f.action,
            &f.lieux,
            &f.points.iter().map(|p| p.point.clone()).collect::<Vec<_>>(),
            &f.localites
                .iter()
                .map(|(l, _)| l.clone())
                .collect::<Vec<_>>(),
        ),
        description: f.action.description.clone(),
        modifie_le: json::instant(f.action.modifie_le),
        partenariat: PartenariatLien {
            id: f.partenariat.id.0,
            titre: f.partenariat.titre.clone(),
        },
        financements: f
            .financements
            .iter()
            .map(|l| Financement {
                id: l.id.0,
                source_id: l.source.0,
                source_nom: l.source_nom.clone(),
                type_financement: l.type_financement.code(),
                montant: l.montant.into(),
                annee: l.annee,
            })
            .collect(),
        totaux: json::totaux(&f.totaux),
        resultats: f.resultats.iter().map(ResultatJson::from).collect(),
    };
    reponse::json(&entetes, &fiche)
}
