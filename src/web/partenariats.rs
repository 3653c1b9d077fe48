use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

use super::espace::prive;
use super::format::{self, Html};
use super::params::{Identifiant, Parametres};
use super::session::Visiteur;
use super::{AppState, WebError};
use crate::model::{Code, Collectivite, Etape, Niveau, PartenariatId, Pays, StatutPartenariat};
use crate::observatoire::ApercuTenu;
use crate::store::partenariat::{
    self, FichePartenariat, FiltreEtape, PartenariatQuery, PartenariatResume, TriPartenariats,
};
use crate::store::{Pagine, collectivite};

#[derive(Template)]
#[template(path = "partenariats.html")]
pub struct PageListe {
    resultats: Pagine<PartenariatResume>,
    /// The query string without the page, for the pagination links.
    requete: String,
    pays_choisi: Option<Pays>,
    region_choisie: Option<String>,
    etape_choisie: Option<FiltreEtape>,
    statut_choisi: Option<StatutPartenariat>,
    /// The words searched, as typed.
    texte: Option<String>,
    tri: TriPartenariats,
    pays: Vec<Pays>,
    regions: Vec<Collectivite>,
}

pub async fn liste(
    State(etat): State<AppState>,
    params: Parametres,
) -> Result<Html<PageListe>, WebError> {
    let query = filtres(&params)?;
    let region_choisie = params.texte("region").map(str::to_owned);
    let requete = params.sans_page();
    let code_region = region_choisie.clone();
    let (pays_choisi, etape_choisie, statut_choisi) = (query.pays, query.etape, query.statut);
    let (texte, tri) = (query.texte.clone(), query.tri);
    let tenu = etat.apercu_tenu.clone();
    let (resultats, pays, regions) = etat
        .lire(move |conn| {
            Ok((
                lister(conn, &tenu, query, code_region.as_deref())?,
                partenariat::pays_partenaires(conn)?,
                collectivite::regions_maliennes(conn)?,
            ))
        })
        .await?;
    Ok(Html(PageListe {
        resultats,
        requete,
        pays_choisi,
        region_choisie,
        etape_choisie,
        statut_choisi,
        texte,
        tri,
        pays,
        regions,
    }))
}

/// One page of the list for the page and the API: `region` is the `region` parameter's
/// code. Read from the list kept beside today's overview (`ApercuTenu::partenariats`).
pub(super) fn lister(
    conn: &rusqlite::Connection,
    tenu: &ApercuTenu,
    mut query: PartenariatQuery,
    region: Option<&str>,
) -> Result<Pagine<PartenariatResume>, WebError> {
    if let Some(code) = region {
        query.zone = Some(region_malienne(conn, code)?);
    }
    Ok(tenu.partenariats(conn, &query, format::aujourd_hui())?)
}

/// The list's filters, search and order as the page and the API read them (the région
/// aside, which needs the database).
pub(super) fn filtres(params: &Parametres) -> Result<PartenariatQuery, WebError> {
    let mut query = PartenariatQuery::new(format::aujourd_hui());
    query.pays = params.pays("pays")?;
    query.etape = params
        .texte("etape")
        .map(|v| {
            FiltreEtape::depuis_code(v)
                .map_err(|e| WebError::Requete(format!("Paramètre « etape » : {e}.")))
        })
        .transpose()?;
    query.statut = params.code("statut")?;
    query.texte = params.recherche("q")?;
    query.tri = params.code("tri")?.unwrap_or(TriPartenariats::NomCroissant);
    query.page = params.page()?;
    Ok(query)
}

/// The Malian région (or the district of Bamako) of an ISO 3166-2 code, as the list's
/// `region` parameter (and the API's) names it.
pub(super) fn region_malienne(
    conn: &rusqlite::Connection,
    code: &str,
) -> Result<crate::model::CollectiviteId, WebError> {
    let region = collectivite::par_code(conn, Pays::MALI, Niveau::Region, code)?
        .or(collectivite::par_code(
            conn,
            Pays::MALI,
            Niveau::District,
            code,
        )?)
        .ok_or_else(|| {
            WebError::Requete(format!(
                "Paramètre « region » : « {code} » n'est le code d'aucune région malienne ; \
                 choisissez une région dans la liste (codes ISO 3166-2 comme ML-1 pour Kayes)."
            ))
        })?;
    Ok(region.id)
}

impl PageListe {
    fn filtre_actif(&self) -> bool {
        self.pays_choisi.is_some()
            || self.region_choisie.is_some()
            || self.etape_choisie.is_some()
            || self.statut_choisi.is_some()
            || self.texte.is_some()
    }

    fn etapes(&self) -> &'static [Etape] {
        Etape::TOUS
    }

    fn tris(&self) -> &'static [TriPartenariats] {
        TriPartenariats::TOUS
    }

    fn etape_choisie_est(&self, code: &str) -> bool {
        self.etape_choisie.is_some_and(|e| e.code() == code)
    }

    fn non_renseignee(&self) -> &'static str {
        FiltreEtape::NON_RENSEIGNEE
    }

    fn statuts(&self) -> &'static [StatutPartenariat] {
        StatutPartenariat::TOUS
    }
}

#[derive(Template)]
#[template(path = "partenariat.html")]
pub struct PageFiche {
    fiche: FichePartenariat,
    /// The contacts, for a signed-in account that may read them (`None` otherwise).
    contacts: Option<Vec<crate::model::Contact>>,
    /// A signed-in account whose role does not read contacts (an association's).
    connecte: bool,
    /// Its Malian parties and its actions' places on the map of Mali.
    carte: Option<String>,
}

/// The public page of a partenariat. A signed-in account also sees its contacts if its role
/// reads them (`acces::lit_les_contacts`), personal data: a signed-in answer is private (`Cache-Control: no-store`), so that no shared
/// cache keeps it.
pub async fn fiche(
    State(etat): State<AppState>,
    Visiteur(visiteur): Visiteur,
    Identifiant(id): Identifiant,
) -> Result<Response, WebError> {
    let id = PartenariatId(id);
    let connecte = visiteur.is_some();
    let lit_les_contacts = visiteur
        .as_ref()
        .is_some_and(|u| crate::acces::lit_les_contacts(&u.compte));
    let (fiche, contacts) = etat
        .lire(move |conn| {
            let fiche = partenariat::fiche(conn, id, format::aujourd_hui())?.ok_or_else(|| {
                WebError::Introuvable(format!("Aucun partenariat ne porte le numéro {id}."))
            })?;
            let contacts = if lit_les_contacts {
                Some(crate::store::contact::du_partenariat(conn, id)?)
            } else {
                None
            };
            Ok((fiche, contacts))
        })
        .await?;
    let codes = super::carte::codes_maliens(
        fiche
            .parties
            .0
            .iter()
            .chain(fiche.actions.iter().flat_map(|a| &a.lieux)),
    );
    let carte = super::carte::des_lieux(&etat, "du partenariat", codes, Vec::new()).await?;
    let page = Html(PageFiche {
        fiche,
        contacts,
        connecte,
        carte,
    });
    Ok(if connecte {
        prive(page)
    } else {
        page.into_response()
    })
}
