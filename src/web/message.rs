//! What just happened, said once on the page a form leads to: « L'action « Forage » est
//! enregistrée et soumise à validation. » The form's answer is a redirect (so that a reload
//! does not post again); it leaves a short-lived cookie naming the event and the record,
//! and the next page of the contributors' space says it and forgets it.

use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use rusqlite::Connection;

use super::WebError;
use super::espace::prive;
use super::session::{cookie_lu, cookie_nomme};
use crate::model::bourse::{DemandeId, OffreId};
use crate::model::{ActionId, Code, Extrait, PartenariatId, vocabulaire};
use crate::store::{action, bourse, partenariat};

const COOKIE: &str = "benkan_fait";

vocabulaire! {
    /// What was done, on which kind of record; the code travels in the cookie.
    Fait, champ = "fait" {
        PartenariatDeclare => ("partenariat_declare", "Partenariat déclaré"),
        PartenariatConfirme => ("partenariat_confirme", "Partenariat confirmé"),
        PartenariatValide => ("partenariat_valide", "Partenariat validé"),
        PartenariatRenvoye => ("partenariat_renvoye", "Partenariat renvoyé"),
        ActionDeclaree => ("action_declaree", "Action déclarée"),
        ActionModifiee => ("action_modifiee", "Action modifiée"),
        ActionValidee => ("action_validee", "Action validée"),
        ActionRenvoyee => ("action_renvoyee", "Action renvoyée"),
        TableurImporte => ("tableur_importe", "Tableur importé"),
        DemandePubliee => ("demande_publiee", "Demande publiée"),
        DemandeModifiee => ("demande_modifiee", "Demande modifiée"),
        DemandeValidee => ("demande_validee", "Demande validée"),
        DemandeRenvoyee => ("demande_renvoyee", "Demande renvoyée"),
        DemandeRetiree => ("demande_retiree", "Demande retirée"),
        OffrePubliee => ("offre_publiee", "Offre publiée"),
        OffreModifiee => ("offre_modifiee", "Offre modifiée"),
        OffreValidee => ("offre_validee", "Offre validée"),
        OffreRenvoyee => ("offre_renvoyee", "Offre renvoyée"),
        OffreRetiree => ("offre_retiree", "Offre retirée"),
    }
}

/// The kind of record a message names, to read its title.
enum Sujet {
    Partenariat,
    Action,
    Demande,
    Offre,
    /// An import: the « title » is how many records it wrote.
    Nombre,
}

impl Fait {
    fn sujet(self) -> Sujet {
        match self {
            Fait::ActionDeclaree
            | Fait::ActionModifiee
            | Fait::ActionValidee
            | Fait::ActionRenvoyee => Sujet::Action,
            Fait::TableurImporte => Sujet::Nombre,
            Fait::DemandePubliee
            | Fait::DemandeModifiee
            | Fait::DemandeValidee
            | Fait::DemandeRenvoyee
            | Fait::DemandeRetiree => Sujet::Demande,
            Fait::OffrePubliee
            | Fait::OffreModifiee
            | Fait::OffreValidee
            | Fait::OffreRenvoyee
            | Fait::OffreRetiree => Sujet::Offre,
            Fait::PartenariatDeclare
            | Fait::PartenariatConfirme
            | Fait::PartenariatValide
            | Fait::PartenariatRenvoye => Sujet::Partenariat,
        }
    }

    /// The sentence, with the record's title.
    fn phrase(self, titre: &str) -> String {
        let t = Extrait(titre);
        match self {
            Fait::PartenariatDeclare => format!(
                "Le partenariat « {t} » est enregistré et soumis à validation : il sera public dès qu'un administrateur national l'aura validé."
            ),
            Fait::PartenariatConfirme => {
                format!("Le partenariat « {t} » est confirmé à la date d'aujourd'hui. Merci.")
            }
            Fait::PartenariatValide => format!("Le partenariat « {t} » est validé et publié."),
            Fait::PartenariatRenvoye => format!(
                "Le partenariat « {t} » est renvoyé à sa collectivité avec votre commentaire."
            ),
            Fait::ActionDeclaree => format!(
                "L'action « {t} » est enregistrée et soumise à validation : elle sera publique dès qu'un administrateur national l'aura validée."
            ),
            Fait::ActionModifiee => {
                format!("Les modifications de l'action « {t} » sont enregistrées.")
            }
            Fait::ActionValidee => format!("L'action « {t} » est validée et publiée."),
            Fait::ActionRenvoyee => {
                format!("L'action « {t} » est renvoyée à sa collectivité avec votre commentaire.")
            }
            // the « title » of an import is how many records it wrote
            Fait::TableurImporte => format!(
                "Votre tableur est importé : {t} enregistrement(s) créé(s) ou modifié(s). Comme depuis les formulaires, ce que déclare une collectivité attend la validation d'un administrateur national."
            ),
            Fait::DemandePubliee | Fait::OffrePubliee => format!(
                "« {t} » est enregistrée et soumise à validation : elle paraîtra dans la bourse aux partenariats dès qu'un administrateur national l'aura validée."
            ),
            Fait::DemandeModifiee | Fait::OffreModifiee => {
                format!("Les modifications de « {t} » sont enregistrées et soumises à validation.")
            }
            Fait::DemandeValidee | Fait::OffreValidee => {
                format!("« {t} » est validée et publiée dans la bourse aux partenariats.")
            }
            Fait::DemandeRenvoyee | Fait::OffreRenvoyee => {
                format!("« {t} » est renvoyée à son auteur avec votre commentaire.")
            }
            Fait::DemandeRetiree | Fait::OffreRetiree => {
                format!("« {t} » est retirée de la bourse aux partenariats.")
            }
        }
    }
}

/// A redirect to `vers` that leaves « `fait` on record `id` » for the next page.
pub fn rediriger(vers: &str, fait: Fait, id: i64, securise: bool) -> Response {
    let mut reponse = prive(Redirect::to(vers));
    let valeur = format!("{}.{id}", fait.code());
    reponse.headers_mut().append(
        header::SET_COOKIE,
        cookie_nomme(COOKIE, "/espace", Some(&valeur), securise),
    );
    reponse
}

/// The message left for this page, if any, read from the request and the database (the
/// record's title). A value that is not ours is ignored.
pub fn lire(conn: &Connection, entetes: &HeaderMap) -> Result<Option<String>, WebError> {
    let Some(valeur) = cookie_lu(entetes, COOKIE) else {
        return Ok(None);
    };
    let Some((fait, id)) = valeur
        .split_once('.')
        .and_then(|(c, id)| Some((Fait::depuis_code(c).ok()?, id.parse::<i64>().ok()?)))
    else {
        return Ok(None);
    };
    let titre = match fait.sujet() {
        Sujet::Nombre => Some(id.to_string()),
        Sujet::Action => action::par_id(conn, ActionId(id))?.map(|a| a.titre),
        Sujet::Partenariat => partenariat::par_id(conn, PartenariatId(id))?.map(|p| p.titre),
        Sujet::Demande => bourse::demande(conn, DemandeId(id))?.map(|d| d.demande.annonce.titre),
        Sujet::Offre => bourse::offre(conn, OffreId(id))?.map(|o| o.offre.annonce.titre),
    };
    Ok(titre.map(|t| fait.phrase(&t)))
}

/// `page` with the header that forgets the message, once it has been said.
pub fn dit(page: impl IntoResponse, dit: bool, securise: bool) -> Response {
    let mut reponse = page.into_response();
    if dit {
        reponse.headers_mut().append(
            header::SET_COOKIE,
            cookie_nomme(COOKIE, "/espace", None, securise),
        );
    }
    reponse
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_reads_back_from_its_code() {
        for fait in Fait::TOUS {
            assert_eq!(Fait::depuis_code(fait.code()), Ok(*fait));
        }
        assert!(Fait::depuis_code("autre").is_err());
        let r = rediriger("/espace", Fait::ActionDeclaree, 42, false);
        let pose = r.headers()[header::SET_COOKIE].to_str().unwrap();
        assert!(
            pose.starts_with("benkan_fait=action_declaree.42;"),
            "{pose}"
        );
        assert!(pose.contains("Path=/espace"), "{pose}");
    }
}
