use crate::carte::Echelon;
use crate::observatoire::carte::Mesure;
use askama::Template;
use axum::extract::State;

use super::format::{self, Html};
use super::params::{Identifiant, Parametres};
use super::{AppState, WebError};
use crate::model::{Collectivite, CollectiviteId, Niveau, Pays};
use crate::referentiel::{Candidat, Portee, Requete};
use crate::store::Page;
use crate::store::collectivite::{self, FicheCollectivite};
use crate::store::intervention::{self, InterventionResume};
use crate::store::pdesc::{self, PdescLu};
use crate::store::resultat::{self, Realisation};

/// A place found by the search box, as the page shows it.
pub struct Trouvee {
    /// The collectivité's page; for a localité, its commune's.
    pub id: CollectiviteId,
    pub nom: String,
    pub niveau: String,
    pub pays: Pays,
    pub code: Option<String>,
    pub parent: Option<String>,
    pub actuelle: bool,
    /// The current units a former one became.
    pub successeurs: Vec<(CollectiviteId, String)>,
    pub raison: &'static str,
    /// For a localité, where it lies: « de la » / « du », its commune (« commune de Siby »,
    /// the link), and the unit above (« cercle de Kati »).
    pub localite_de: Option<(&'static str, String, Option<String>)>,
}

/// What the index shows: either search results or a country's top units.
pub enum Contenu {
    Recherche {
        trouvees: Vec<Trouvee>,
        ambigu: bool,
        /// How many of them are collectivités, and how many localités.
        collectivites: usize,
        localites: usize,
    },
    Parcours(Vec<Collectivite>),
}

#[derive(Template)]
#[template(path = "collectivites.html")]
pub struct PageIndex {
    recherche: Option<String>,
    /// The country asked for, if any.
    pays_filtre: Option<Pays>,
    /// The country browsed: the one asked for, or Mali.
    pays_choisi: Pays,
    pays: Vec<(Pays, u64)>,
    contenu: Contenu,
}

/// Searches through the name resolver (typos, level prefixes and former names included),
/// or lists a country's top units.
pub async fn index(
    State(etat): State<AppState>,
    params: Parametres,
) -> Result<Html<PageIndex>, WebError> {
    let recherche = params.texte("q").map(str::to_owned);
    let pays_filtre = params.pays("pays")?;
    let contenu = match &recherche {
        Some(texte) => {
            let requete = Requete {
                texte: texte.clone(),
                pays: pays_filtre,
                portee: Portee::Tout,
                limite: 50,
            };
            let resolveur = etat.resolveur();
            let resolution = resolveur
                .resoudre(&requete)
                .map_err(|e| WebError::Requete(format!("Paramètre « q » : {e}.")))?;
            let trouvees: Vec<Trouvee> = resolution.candidats.iter().map(trouvee).collect();
            let localites = trouvees.iter().filter(|t| t.localite_de.is_some()).count();
            Contenu::Recherche {
                ambigu: resolution.ambigu,
                collectivites: trouvees.len() - localites,
                localites,
                trouvees,
            }
        }
        None => Contenu::Parcours(
            etat.lire(move |conn| {
                Ok(collectivite::racines(
                    conn,
                    pays_filtre.unwrap_or(Pays::MALI),
                )?)
            })
            .await?,
        ),
    };
    let pays = etat
        .lire(|conn| Ok(collectivite::pays_presents(conn)?))
        .await?;
    Ok(Html(PageIndex {
        recherche,
        pays_filtre,
        pays_choisi: pays_filtre.unwrap_or(Pays::MALI),
        pays,
        contenu,
    }))
}

pub(super) fn trouvee(c: &Candidat<'_>) -> Trouvee {
    let u = c.unite;
    let localite_de = c.localite.map(|_| {
        let article = match u.niveau {
            Niveau::Commune => "de la",
            _ => "du",
        };
        let au_dessus = c.dans.get(1).map(|d| d.designation());
        (article, u.designation(), au_dessus)
    });
    Trouvee {
        id: u.id,
        nom: c.nom().to_owned(),
        niveau: match c.localite {
            Some(_) => "Localité".to_owned(),
            None => u.niveau_affiche().to_owned(),
        },
        pays: u.pays,
        code: match c.localite {
            Some(l) => Some(l.pcode.clone()),
            None => u.code.clone(),
        },
        parent: match c.localite {
            Some(_) => Some(u.nom.clone()),
            None => u.parent_nom.clone(),
        },
        actuelle: u.actuelle(),
        successeurs: c
            .successeurs_actuels
            .iter()
            .filter(|s| s.id != u.id)
            .map(|s| (s.id, s.nom.clone()))
            .collect(),
        raison: c.raison.libelle(),
        localite_de,
    }
}

/// The page lists at most this many « autres interventions », the most recent, and says how
/// many there are in all.
const INTERVENTIONS_MONTREES: u32 = crate::store::Page::TAILLE;

#[derive(Template)]
#[template(path = "collectivite.html")]
pub struct PageFiche {
    fiche: FicheCollectivite,
    /// What the actions that concern it achieved, by indicator of the catalogue (the site's
    /// page only: the API's record does not carry it).
    realisations: Vec<Realisation>,
    /// Its PDESC, with the actions serving each objective.
    pdesc: Option<PdescLu>,
    /// How many « autres interventions » its territory has…
    interventions_total: u64,
    /// …and the most recent of them.
    interventions: Vec<InterventionResume>,
    /// The query string without the page, for the pagination links.
    requete: String,
    /// For a Malian unit: where it is, and its cercles or communes by the measure chosen.
    cartes: Vec<String>,
    /// The links that switch that measure, the current one marked.
    mesures: Vec<(String, &'static str, bool)>,
}

pub async fn fiche(
    State(etat): State<AppState>,
    Identifiant(id): Identifiant,
    params: Parametres,
) -> Result<Html<PageFiche>, WebError> {
    let id = CollectiviteId(id);
    let page: Page = params.page()?;
    let tenu = etat.apercu_tenu.clone();
    let (fiche, realisations, pdesc, (interventions_total, interventions)) = etat
        .lire(move |conn| {
            let jour = format::aujourd_hui();
            let lister = |q: &_| tenu.partenariats_de_la_zone(conn, q, jour);
            let fiche =
                collectivite::fiche_avec(conn, id, jour, page, lister)?.ok_or_else(|| {
                    WebError::Introuvable(format!("Aucune collectivité ne porte le numéro {id}."))
                })?;
            Ok((
                fiche,
                resultat::realisations_de_la_zone(conn, id)?,
                pdesc::de_la_collectivite(conn, id)?,
                intervention::de_la_zone(conn, id, INTERVENTIONS_MONTREES)?,
            ))
        })
        .await?;
    let (_, mesure) = super::carte::choix(&params)?;
    let cartes = cartes(&etat, &fiche.collectivite, mesure).await?;
    let mesures = if cartes.len() > 1 {
        Mesure::TOUTES
            .into_iter()
            .map(|m| {
                let lien = format!(
                    "/collectivites/{}?mesure={}#cartes",
                    fiche.collectivite.id,
                    m.cle()
                );
                (lien, m.libelle(), m == mesure)
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(Html(PageFiche {
        fiche,
        realisations,
        pdesc,
        interventions_total,
        interventions,
        requete: params.sans_page(),
        cartes,
        mesures,
    }))
}

/// The maps of a Malian unit's page: its situation in Mali and, for a région, the district
/// or a cercle, the units inside it shaded by their active partenariats.
async fn cartes(
    etat: &AppState,
    c: &crate::model::Collectivite,
    mesure: Mesure,
) -> Result<Vec<String>, WebError> {
    let Some(code) = c.code.as_deref().filter(|_| c.pays.est_mali()) else {
        return Ok(Vec::new());
    };
    let Some(zone) = crate::carte::carte().zone(code) else {
        return Ok(Vec::new());
    };
    let mut cartes: Vec<String> = super::carte::situation(etat, code)
        .await?
        .into_iter()
        .collect();
    let enfants = match zone.echelon {
        Echelon::Region if code == "ML-BKO" => Some(Echelon::Commune),
        Echelon::Region => Some(Echelon::Cercle),
        Echelon::Cercle => Some(Echelon::Commune),
        Echelon::Commune => None,
    };
    if let Some(echelon) = enfants {
        let carte = super::carte::choroplethe(
            etat,
            format::aujourd_hui(),
            echelon,
            mesure,
            Some(code.to_owned()),
        )
        .await?;
        cartes.extend(carte.as_ref().clone());
    }
    Ok(cartes)
}

impl PageFiche {
    /// Whether the territory has more interventions than the page lists.
    fn interventions_en_plus(&self) -> bool {
        self.interventions_total > self.interventions.len() as u64
    }

    fn chemin(&self) -> String {
        format!("/collectivites/{}", self.fiche.collectivite.id)
    }
}
