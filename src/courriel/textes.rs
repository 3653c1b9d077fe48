//! What each message says, in French, as plain text and as HTML from the same parts (two
//! templates, `gabarits/courriel.txt` and `courriel.html`). No image, no tracking pixel, no
//! link but to the site itself.

use askama::Template;

use super::{Courriel, Genre};

/// How long a « mot de passe oublié » link works.
pub const MINUTES_OUBLI: u32 = 60;
/// How long the first sign-in link of a new account works: three days, for a person who
/// reads mail once or twice a week.
pub const MINUTES_PREMIERE_CONNEXION: u32 = 3 * 24 * 60;

/// The parts of a message; both templates lay them out.
struct Corps {
    sujet: String,
    paragraphes: Vec<String>,
    /// Items, each with the page it opens.
    liste: Vec<(String, Option<String>)>,
    /// The main links: what to click, and the address (also written out in full).
    liens: Vec<(String, String)>,
    /// Paragraphs after the links.
    apres: Vec<String>,
}

#[derive(Template)]
#[template(path = "courriel.txt", whitespace = "preserve")]
struct Texte<'a> {
    corps: &'a Corps,
    site: &'a str,
}

#[derive(Template)]
#[template(path = "courriel.html")]
struct Html<'a> {
    corps: &'a Corps,
    site: &'a str,
}

fn ecrire(genre: Genre, site: &str, destinataire: &str, corps: Corps) -> Courriel {
    // The templates only print strings: rendering them cannot fail.
    let rendu = |r: askama::Result<String>| r.unwrap_or_default();
    Courriel {
        genre,
        destinataire: destinataire.to_owned(),
        texte: rendu(
            Texte {
                corps: &corps,
                site,
            }
            .render(),
        ),
        html: rendu(
            Html {
                corps: &corps,
                site,
            }
            .render(),
        ),
        sujet: corps.sujet,
    }
}

/// The address where a link's token is used (in the query string: the site's log writes
/// paths only).
fn lien_mot_de_passe(site: &str, jeton: &str) -> String {
    format!("{site}/connexion/nouveau-mot-de-passe?jeton={jeton}")
}

/// « Mot de passe oublié »: the link that lets the owner choose a new password.
pub fn oubli(site: &str, email: &str, jeton: &str) -> Courriel {
    ecrire(
        Genre::Oubli,
        site,
        email,
        Corps {
            sujet: "benkan : choisir un nouveau mot de passe".to_owned(),
            paragraphes: vec![format!(
                "Quelqu'un, vous sans doute, a demandé à choisir un nouveau mot de passe pour le compte {email} sur benkan."
            )],
            liste: Vec::new(),
            liens: vec![(
                "Choisir un nouveau mot de passe".to_owned(),
                lien_mot_de_passe(site, jeton),
            )],
            apres: vec![
                "Ce lien ne sert qu'une fois et ne marche que pendant une heure. Passé ce délai, redemandez-en un sur la page de connexion.".to_owned(),
                "Si vous n'avez rien demandé, ne faites rien : votre mot de passe reste le même.".to_owned(),
            ],
        },
    )
}

/// The first sign-in link of an account an administrator just created.
pub fn premiere_connexion(site: &str, email: &str, role: &str, jeton: &str) -> Courriel {
    ecrire(
        Genre::PremiereConnexion,
        site,
        email,
        Corps {
            sujet: "benkan : votre compte est ouvert".to_owned(),
            paragraphes: vec![format!(
                "Un administrateur national a ouvert un compte benkan pour {email} ({role}). benkan est le registre et l'observatoire de la coopération décentralisée au Mali."
            )],
            liste: Vec::new(),
            liens: vec![(
                "Choisir mon mot de passe".to_owned(),
                lien_mot_de_passe(site, jeton),
            )],
            apres: vec![format!(
                "Ce lien ne sert qu'une fois et marche pendant trois jours. Passé ce délai, demandez un nouveau lien avec « Mot de passe oublié » sur {site}/connexion."
            )],
        },
    )
}

/// The day's digest of declarations waiting for the national review.
pub fn resume_revue(site: &str, admin: &str, partenariats: u64, actions: u64) -> Courriel {
    let total = partenariats + actions;
    let sujet = if total == 1 {
        "benkan : une déclaration attend votre revue".to_owned()
    } else {
        format!("benkan : {total} déclarations attendent votre revue")
    };
    let compte = |n: u64, aucun: &str, un: &str, plusieurs: &str| match n {
        0 => aucun.to_owned(),
        1 => format!("1 {un}"),
        n => format!("{n} {plusieurs}"),
    };
    ecrire(
        Genre::ResumeRevue,
        site,
        admin,
        Corps {
            sujet,
            paragraphes: vec![format!(
                "Attendent aujourd'hui la validation nationale : {} et {}.",
                compte(partenariats, "aucun partenariat", "partenariat", "partenariats"),
                compte(actions, "aucune action", "action", "actions"),
            )],
            liste: Vec::new(),
            liens: vec![(
                "Ouvrir la file de validation".to_owned(),
                format!("{site}/espace/validation"),
            )],
            apres: vec![
                "Ce résumé part au plus une fois par jour, les jours où des déclarations attendent.".to_owned(),
            ],
        },
    )
}

/// A record validated or sent back, for the account that declared it.
pub struct Decision<'a> {
    /// « du partenariat » or « de l'action ».
    pub quoi: &'a str,
    pub titre: &'a str,
    /// The comment of a record sent back; `None` when it was validated.
    pub commentaire: Option<&'a str>,
    /// Where to see it (validated) or correct it (sent back).
    pub lien: String,
}

pub fn decision(site: &str, destinataire: &str, d: &Decision<'_>) -> Courriel {
    let (sujet, paragraphes, libelle, apres) = match d.commentaire {
        None => (
            format!("benkan : votre déclaration « {} » est validée", d.titre),
            vec![format!(
                "Votre déclaration {} « {} » a été validée par l'administration nationale : elle est maintenant publique et compte dans l'aperçu.",
                d.quoi, d.titre
            )],
            "Voir la fiche publique",
            Vec::new(),
        ),
        Some(commentaire) => (
            format!(
                "benkan : votre déclaration « {} » vous est renvoyée pour correction",
                d.titre
            ),
            vec![
                format!(
                    "Votre déclaration {} « {} » vous est renvoyée par l'administration nationale, avec ce commentaire :",
                    d.quoi, d.titre
                ),
                format!("« {commentaire} »"),
            ],
            "Corriger la déclaration",
            vec!["Une fois corrigée, la déclaration repart d'elle-même en validation.".to_owned()],
        ),
    };
    ecrire(
        Genre::Decision,
        site,
        destinataire,
        Corps {
            sujet,
            paragraphes,
            liste: Vec::new(),
            liens: vec![(libelle.to_owned(), d.lien.clone())],
            apres,
        },
    )
}

/// An interest said in the bourse aux partenariats, for the accounts of the other side.
pub struct InteretBourse<'a> {
    /// « votre demande » or « votre offre ».
    pub votre: &'a str,
    pub titre: &'a str,
    /// Who said it: « Lyon (commune) », an association's name.
    pub qui: &'a str,
    /// The title of their demande or offre.
    pub leur_titre: &'a str,
    pub message: Option<&'a str>,
    /// Both sides have now said it: the partenariat may be declared.
    pub reciproque: bool,
    /// Where to answer: the page of their annonce, which proposes the pair.
    pub lien: String,
}

pub fn interet_bourse(site: &str, destinataire: &str, i: &InteretBourse<'_>) -> Courriel {
    let mut paragraphes = vec![format!(
        "{} s'intéresse à {} « {} » dans la bourse aux partenariats, pour « {} ».",
        i.qui, i.votre, i.titre, i.leur_titre
    )];
    if let Some(message) = i.message {
        paragraphes.push(format!("Son message : « {message} »"));
    }
    paragraphes.push(if i.reciproque {
        "Vous aviez vous aussi exprimé votre intérêt : l'un de vous peut maintenant déclarer le partenariat, en un clic, depuis la page ci-dessous.".to_owned()
    } else {
        "Si la proposition vous intéresse aussi, dites-le depuis la page ci-dessous (« Exprimer l'intérêt ») : vous verrez alors l'un et l'autre vos adresses dans votre espace.".to_owned()
    });
    ecrire(
        Genre::BourseInteret,
        site,
        destinataire,
        Corps {
            sujet: format!("benkan : intérêt pour {} « {} »", i.votre, i.titre),
            paragraphes,
            liste: Vec::new(),
            liens: vec![("Voir la proposition".to_owned(), i.lien.clone())],
            apres: Vec::new(),
        },
    )
}

/// The campaign's reminder to one account: its partenariats not confirmed since `depuis`.
pub fn rappel_campagne(
    site: &str,
    destinataire: &str,
    depuis: time::Date,
    partenariats: &[(i64, String)],
) -> Courriel {
    let n = partenariats.len();
    let sujet = if n == 1 {
        "benkan : un partenariat à confirmer pour la campagne de mise à jour".to_owned()
    } else {
        format!("benkan : {n} partenariats à confirmer pour la campagne de mise à jour")
    };
    ecrire(
        Genre::RappelCampagne,
        site,
        destinataire,
        Corps {
            sujet,
            paragraphes: vec![format!(
                "La campagne annuelle de mise à jour est ouverte depuis le {}. Merci de confirmer que ces partenariats sont à jour, ou de les corriger :",
                crate::model::date_fr(&depuis)
            )],
            liste: partenariats
                .iter()
                .map(|(id, titre)| (titre.clone(), Some(format!("{site}/partenariats/{id}"))))
                .collect(),
            liens: vec![(
                "Confirmer depuis mon espace".to_owned(),
                format!("{site}/espace"),
            )],
            apres: Vec::new(),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_says_the_same_in_text_and_html_and_escapes_what_it_quotes() {
        let c = decision(
            "https://benkan.exemple.ml",
            "mairie@kayes.ml",
            &Decision {
                quoi: "de l'action",
                titre: "Forage <b>Kayes</b>",
                commentaire: Some("Précisez le lieu & la date."),
                lien: "https://benkan.exemple.ml/espace/actions/3".to_owned(),
            },
        );
        assert_eq!(
            c.sujet,
            "benkan : votre déclaration « Forage <b>Kayes</b> » vous est renvoyée pour correction"
        );
        assert!(c.texte.starts_with("Bonjour,\n\n"), "{}", c.texte);
        assert!(
            c.texte.contains("« Précisez le lieu & la date. »\n"),
            "{}",
            c.texte
        );
        assert!(
            c.texte.contains(
                "Corriger la déclaration :\nhttps://benkan.exemple.ml/espace/actions/3\n"
            ),
            "{}",
            c.texte
        );
        assert!(
            c.html.contains("Forage &#60;b&#62;Kayes&#60;/b&#62;"),
            "{}",
            c.html
        );
        assert!(
            c.html.contains("Précisez le lieu &#38; la date."),
            "{}",
            c.html
        );
        assert!(!c.html.contains("<img"), "no tracking image");
    }

    #[test]
    fn the_digest_counts_in_words() {
        let c = resume_revue("https://b.ml", "admin@b.ml", 1, 0);
        assert_eq!(c.sujet, "benkan : une déclaration attend votre revue");
        assert!(
            c.texte.contains("1 partenariat et aucune action."),
            "{}",
            c.texte
        );
        let c = resume_revue("https://b.ml", "admin@b.ml", 0, 3);
        assert!(
            c.texte.contains("aucun partenariat et 3 actions."),
            "{}",
            c.texte
        );
    }
}
