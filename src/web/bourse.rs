//! La bourse aux partenariats, public side: the open demandes and offres with their
//! filters, each one's page with the pairs the bourse proposes and why, the partners
//! already at work nearby, and the page that explains the score.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

use super::espace::prive;
use super::format::{self, Html};
use super::params::{Identifiant, Parametres};
use super::partenariats::region_malienne;
use super::session::Visiteur;
use super::{AppState, WebError};
use crate::model::bourse::{Capacite, DemandeId, Ecart, Langue, OffreId, POIDS, Rapprochement};
use crate::model::{Code, Collectivite, CollectiviteId, Compte, Domaine, Niveau, Pays, Role};
use crate::store::bourse::{self, Cote, DemandeLue, Interet, OffreLue, Selection, Voisin};
use crate::store::collectivite;

/// What a visitor filters the lists by, on the page /bourse and in the API
/// (`/api/v1/bourse/…`): same names, same meaning.
#[derive(Debug, Clone, Default)]
pub(super) struct Filtres {
    /// A Malian région's ISO code (ML-1).
    region: Option<String>,
    niveau: Option<Niveau>,
    domaine: Option<Domaine>,
    pays: Option<Pays>,
}

impl Filtres {
    /// The names the filters take in a query string.
    pub(super) const NOMS: [&'static str; 4] = ["region", "niveau", "domaine", "pays"];

    pub(super) fn lire(params: &Parametres) -> Result<Filtres, WebError> {
        Ok(Filtres {
            region: params.texte("region").map(str::to_owned),
            niveau: params.code("niveau")?,
            domaine: params.code("domaine")?,
            pays: params.pays("pays")?,
        })
    }

    fn actif(&self) -> bool {
        self.region.is_some()
            || self.niveau.is_some()
            || self.domaine.is_some()
            || self.pays.is_some()
    }

    /// The région named by its code, or a 400 that says the code is unknown.
    fn region(&self, conn: &rusqlite::Connection) -> Result<Option<CollectiviteId>, WebError> {
        self.region
            .as_deref()
            .map(|code| region_malienne(conn, code))
            .transpose()
    }

    /// The demandes the public sees on `date` that pass the filters, oldest first.
    pub(super) fn demandes(
        &self,
        conn: &rusqlite::Connection,
        date: time::Date,
    ) -> Result<Vec<DemandeLue>, WebError> {
        let region = self.region(conn)?;
        Ok(bourse::demandes(conn, &Selection::publiques(date))?
            .into_iter()
            .filter(|d| self.demande(d, region))
            .collect())
    }

    /// The offres the public sees on `date` that pass the filters, oldest first.
    pub(super) fn offres(
        &self,
        conn: &rusqlite::Connection,
        date: time::Date,
    ) -> Result<Vec<OffreLue>, WebError> {
        let region = self.region(conn)?;
        Ok(bourse::offres(conn, &Selection::publiques(date))?
            .into_iter()
            .filter(|o| self.offre(o, region))
            .collect())
    }

    /// A demande passes when it is in the région, from a collectivité of the level, needs the
    /// domaine, and wants a partner of the country (or any).
    fn demande(&self, d: &DemandeLue, region: Option<CollectiviteId>) -> bool {
        region.is_none_or(|r| {
            d.collectivite
                .region
                .as_ref()
                .is_some_and(|(id, _)| *id == r)
        }) && self.niveau.is_none_or(|n| d.collectivite.niveau == n)
            && self
                .domaine
                .is_none_or(|x| d.demande.annonce.domaines.contains(&x))
            && self
                .pays
                .as_ref()
                .is_none_or(|p| d.demande.pays_souhaite.as_ref().is_none_or(|s| s == p))
    }

    /// An offre passes when it knows the région, comes from a collectivité of the level, brings
    /// the domaine, and comes from the country.
    fn offre(&self, o: &OffreLue, region: Option<CollectiviteId>) -> bool {
        region.is_none_or(|r| o.offre.regions_connues.contains(&r))
            && self
                .niveau
                .is_none_or(|n| o.collectivite.as_ref().is_some_and(|c| c.niveau == n))
            && self
                .domaine
                .is_none_or(|x| o.offre.annonce.domaines.contains(&x))
            && self
                .pays
                .as_ref()
                .is_none_or(|p| o.pays().as_ref() == Some(p))
    }
}

#[derive(Template)]
#[template(path = "bourse.html")]
pub struct PageBourse {
    demandes: Vec<DemandeLue>,
    offres: Vec<OffreLue>,
    filtres: Filtres,
    regions: Vec<Collectivite>,
    pays: Vec<Pays>,
    /// The listed demandes' collectivités on the map of Mali.
    carte: Option<String>,
}

impl PageBourse {
    fn domaines(&self) -> &'static [Domaine] {
        Domaine::TOUS
    }

    fn niveaux(&self) -> [Niveau; 4] {
        [
            Niveau::Region,
            Niveau::Cercle,
            Niveau::Commune,
            Niveau::Departement,
        ]
    }

    fn niveau_choisi(&self, n: &Niveau) -> bool {
        self.filtres.niveau.as_ref() == Some(n)
    }

    fn domaine_choisi(&self, x: &Domaine) -> bool {
        self.filtres.domaine.as_ref() == Some(x)
    }
}

pub async fn liste(
    State(etat): State<AppState>,
    params: Parametres,
) -> Result<Html<PageBourse>, WebError> {
    let filtres = Filtres::lire(&params)?;
    let aujourd_hui = format::aujourd_hui();
    let lus = filtres.clone();
    let (demandes, offres, regions) = etat
        .lire(move |conn| {
            Ok((
                lus.demandes(conn, aujourd_hui)?,
                lus.offres(conn, aujourd_hui)?,
                collectivite::regions_maliennes(conn)?,
            ))
        })
        .await?;
    let mut pays: Vec<Pays> = offres.iter().filter_map(OffreLue::pays).collect();
    pays.extend(filtres.pays);
    pays.sort_by(|a, b| a.nom().cmp(b.nom()));
    pays.dedup();
    let codes = demandes
        .iter()
        .filter_map(|d| d.collectivite.code.clone())
        .collect();
    let carte = super::carte::des_lieux(&etat, "des demandes", codes, Vec::new()).await?;
    Ok(Html(PageBourse {
        demandes,
        offres,
        filtres,
        regions,
        pays,
        carte,
    }))
}

/// Whether `compte` speaks for the side of a demande: its collectivité's account, or an
/// administrator.
pub(super) fn parle_pour_demande(compte: &Compte, d: &DemandeLue) -> bool {
    crate::acces::peut_agir_pour(compte, d.collectivite.id)
}

/// Whether `compte` speaks for the side of an offre: its foreign collectivité's account,
/// its acteur's account, or an administrator.
pub(super) fn parle_pour_offre(compte: &Compte, o: &OffreLue) -> bool {
    compte.actif
        && match compte.role {
            Role::AdminNational => true,
            Role::Collectivite => o
                .collectivite
                .as_ref()
                .is_some_and(|c| o.acteur.is_none() && compte.collectivites.contains(&c.id)),
            Role::Acteur => o
                .acteur
                .as_ref()
                .is_some_and(|(a, _, _)| compte.acteurs.contains(a)),
            Role::Lecteur => false,
        }
}

/// A proposed pair as a page lists it, with what the visitor may do about it.
pub struct Proposition<T> {
    pub annonce: T,
    pub rapprochement: Rapprochement,
    /// The visitor speaks for the other side of the pair and may say its interest.
    pub peut_exprimer: bool,
    /// The visitor already said it, for its side.
    pub deja_exprime: bool,
    /// The other side said it too: the visitor may declare the partenariat.
    pub reciproque: bool,
}

impl<T> Proposition<T> {
    /// `cotes`: the sides that said their interest in this pair; `cote`: the visitor's side.
    fn new(
        annonce: T,
        rapprochement: Rapprochement,
        peut_exprimer: bool,
        cotes: &[Cote],
        cote: Cote,
    ) -> Self {
        Proposition {
            annonce,
            rapprochement,
            peut_exprimer,
            deja_exprime: cotes.contains(&cote),
            reciproque: cotes.iter().any(|c| *c != cote),
        }
    }
}

/// The sides that said their interest in the pair `demande`–`offre`, among `interets`.
fn cotes(interets: &[Interet], demande: DemandeId, offre: OffreId) -> Vec<Cote> {
    interets
        .iter()
        .filter(|i| i.demande == demande && i.offre == offre)
        .map(|i| i.cote)
        .collect()
}

#[derive(Template)]
#[template(path = "bourse_demande.html")]
pub struct PageDemande {
    d: DemandeLue,
    propositions: Vec<Proposition<OffreLue>>,
    voisins: Vec<Voisin>,
    /// The visitor's session token, when signed in (the interest forms need it).
    csrf: Option<String>,
    /// The visitor speaks for this demande.
    auteur: bool,
    interets: Vec<Interet>,
    aujourd_hui: time::Date,
}

/// A demande, visible to all once validated, to its author and the administrators before.
pub async fn demande(
    State(etat): State<AppState>,
    Visiteur(visiteur): Visiteur,
    Identifiant(id): Identifiant,
) -> Result<Response, WebError> {
    let id = DemandeId(id);
    let aujourd_hui = format::aujourd_hui();
    let compte = visiteur.as_ref().map(|u| u.compte.clone());
    let csrf = visiteur.as_ref().map(|u| u.csrf.clone());
    let connecte = visiteur.is_some();
    let page = etat
        .lire(move |conn| {
            let d = bourse::demande(conn, id)?.ok_or_else(|| introuvable("demande", id.0))?;
            let auteur = compte.as_ref().is_some_and(|c| parle_pour_demande(c, &d));
            if !visible(d.validation, auteur) {
                return Err(introuvable("demande", id.0));
            }
            let tous = if compte.is_some() {
                bourse::interets(conn, Some(&[id]), None)?
            } else {
                Vec::new()
            };
            let propositions = bourse::offres_pour(conn, &d, aujourd_hui)?
                .into_iter()
                .map(|(o, rapprochement)| {
                    let peut = compte
                        .as_ref()
                        .is_some_and(|c| c.role != Role::AdminNational && parle_pour_offre(c, &o));
                    let cotes = cotes(&tous, id, o.id);
                    Proposition::new(o, rapprochement, peut, &cotes, Cote::Offre)
                })
                .collect();
            let voisins = bourse::voisins(conn, &d)?;
            Ok(PageDemande {
                d,
                propositions,
                voisins,
                csrf,
                auteur,
                interets: if auteur { tous } else { Vec::new() },
                aujourd_hui,
            })
        })
        .await?;
    Ok(sur_mesure(page, connecte))
}

#[derive(Template)]
#[template(path = "bourse_offre.html")]
pub struct PageOffre {
    o: OffreLue,
    propositions: Vec<Proposition<DemandeLue>>,
    csrf: Option<String>,
    auteur: bool,
    interets: Vec<Interet>,
    aujourd_hui: time::Date,
}

/// An offre, visible to all once validated, to its author and the administrators before.
pub async fn offre(
    State(etat): State<AppState>,
    Visiteur(visiteur): Visiteur,
    Identifiant(id): Identifiant,
) -> Result<Response, WebError> {
    let id = OffreId(id);
    let aujourd_hui = format::aujourd_hui();
    let compte = visiteur.as_ref().map(|u| u.compte.clone());
    let csrf = visiteur.as_ref().map(|u| u.csrf.clone());
    let connecte = visiteur.is_some();
    let page = etat
        .lire(move |conn| {
            let o = bourse::offre(conn, id)?.ok_or_else(|| introuvable("offre", id.0))?;
            let auteur = compte.as_ref().is_some_and(|c| parle_pour_offre(c, &o));
            if !visible(o.validation, auteur) {
                return Err(introuvable("offre", id.0));
            }
            let tous = if compte.is_some() {
                bourse::interets(conn, None, Some(&[id]))?
            } else {
                Vec::new()
            };
            let propositions = bourse::demandes_pour(conn, &o, aujourd_hui)?
                .into_iter()
                .map(|(d, rapprochement)| {
                    let peut = compte.as_ref().is_some_and(|c| {
                        c.role != Role::AdminNational && parle_pour_demande(c, &d)
                    });
                    let cotes = cotes(&tous, d.id, id);
                    Proposition::new(d, rapprochement, peut, &cotes, Cote::Demande)
                })
                .collect();
            Ok(PageOffre {
                o,
                propositions,
                csrf,
                auteur,
                interets: if auteur { tous } else { Vec::new() },
                aujourd_hui,
            })
        })
        .await?;
    Ok(sur_mesure(page, connecte))
}

/// A page that says more to a signed-in visitor (its interest forms, its own interests) is
/// not kept by shared caches.
fn sur_mesure(page: impl Template, connecte: bool) -> Response {
    if connecte {
        prive(Html(page))
    } else {
        Html(page).into_response()
    }
}

/// The public sees what was validated; the author and the administrators see it from the
/// start.
fn visible(validation: crate::model::Validation, auteur: bool) -> bool {
    auteur || validation == crate::model::Validation::Valide
}

fn introuvable(quoi: &str, id: i64) -> WebError {
    WebError::Introuvable(format!(
        "Aucune {quoi} publiée de la bourse aux partenariats ne porte le numéro {id}."
    ))
}

#[derive(Template)]
#[template(path = "bourse_methode.html")]
pub struct PageMethode {
    ecarts: [Ecart; 4],
}

impl PageMethode {
    fn poids(&self) -> &'static crate::model::bourse::Poids {
        &POIDS
    }
}

/// « Comment nous rapprochons »: the score, written from [`POIDS`] and [`Ecart`].
pub async fn methode() -> Html<PageMethode> {
    Html(PageMethode {
        ecarts: Ecart::TOUS,
    })
}

/// The words of the lists, for the templates.
pub fn langues(liste: &[Langue]) -> String {
    let noms: Vec<&str> = liste.iter().map(|l| l.libelle()).collect();
    crate::model::enumeration_fr(&noms)
}

pub fn capacites(liste: &[Capacite]) -> String {
    let noms: Vec<String> = liste
        .iter()
        .map(|c| crate::model::minuscule(c.libelle()))
        .collect();
    crate::model::enumeration_fr(&noms)
}

pub fn domaines(liste: &[Domaine]) -> String {
    let noms: Vec<String> = liste
        .iter()
        .map(|d| crate::model::minuscule(d.libelle()))
        .collect();
    crate::model::enumeration_fr(&noms)
}
