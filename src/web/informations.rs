//! The pages every public registry owes its readers: who runs it and what it covers, the
//! words it uses, the legal and privacy notices, and how to get an account. Their text is
//! in the templates; the only data they show is the operator's configuration.

use std::sync::Arc;

use askama::Template;
use axum::extract::State;

use super::AppState;
use super::exploitant::Exploitant;
use super::format::Html;

/// Which of these pages.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Information {
    APropos,
    Glossaire,
    MentionsLegales,
    Confidentialite,
    DemanderUnCompte,
}

impl Information {
    /// The page's title, in the tab and the heading.
    pub fn titre(self) -> &'static str {
        match self {
            Information::APropos => "À propos de benkan",
            Information::Glossaire => "Glossaire",
            Information::MentionsLegales => "Mentions légales",
            Information::Confidentialite => "Données personnelles et cookies",
            Information::DemanderUnCompte => "Demander un compte contributeur",
        }
    }

    /// What a search engine shows under the title.
    pub fn description(self) -> &'static str {
        match self {
            Information::APropos => {
                "Qui exploite benkan, le registre de la coopération décentralisée au Mali, ce qu'il recense, comment y contribuer et qui contacter."
            }
            Information::Glossaire => {
                "Les mots de la coopération décentralisée au Mali : étapes d'un partenariat, axes d'intervention, nature, engagement et décaissement, zone blanche."
            }
            Information::MentionsLegales => {
                "Mentions légales du registre benkan : exploitant, contenus, logiciel, réutilisation des données sous Licence Ouverte 2.0."
            }
            Information::Confidentialite => {
                "Quelles données personnelles benkan conserve (contacts des partenariats, comptes), qui les voit, comment les faire corriger ou retirer, et ses cookies."
            }
            Information::DemanderUnCompte => {
                "Qui peut obtenir un compte pour déclarer les partenariats et actions d'une collectivité dans benkan, et à qui le demander."
            }
        }
    }
}

#[derive(Template)]
#[template(path = "information.html")]
pub struct PageInformation {
    page: Information,
    exploitant: Arc<Exploitant>,
    /// Whether the site sends e-mail (password links).
    envoi: bool,
}

fn rendre(etat: &AppState, page: Information) -> Html<PageInformation> {
    Html(PageInformation {
        page,
        exploitant: etat.exploitant.clone(),
        envoi: etat.courrier.is_some(),
    })
}

pub async fn a_propos(State(etat): State<AppState>) -> Html<PageInformation> {
    rendre(&etat, Information::APropos)
}

pub async fn glossaire(State(etat): State<AppState>) -> Html<PageInformation> {
    rendre(&etat, Information::Glossaire)
}

pub async fn mentions_legales(State(etat): State<AppState>) -> Html<PageInformation> {
    rendre(&etat, Information::MentionsLegales)
}

pub async fn confidentialite(State(etat): State<AppState>) -> Html<PageInformation> {
    rendre(&etat, Information::Confidentialite)
}

pub async fn demander_un_compte(State(etat): State<AppState>) -> Html<PageInformation> {
    rendre(&etat, Information::DemanderUnCompte)
}
