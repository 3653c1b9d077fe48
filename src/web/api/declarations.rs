//! Writes through the API, with a personal token: declaring a partenariat, an action, money
//! for an action. They take the web forms' path — same rights checks
//! (`declaration::peut_declarer`, `declaration_action::contexte` with `acces`), same
//! checks of the fields (`declaration_action::verifier`), same store functions, journal
//! and review: what an authority writes is `soumis` until a national administrator
//! validates it.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::auteur::Auteur;
use super::corps::{self, Champs};
use super::erreur::ErreurApi;
use super::reponse::{self, Id, TYPE_JSON};
use crate::acces;
use crate::model::{
    ActionId, Axe, Code, CollectiviteId, Compte, Domaine, Extrait, Nature, NouveauPartenariat,
    PartenariatId, Role, StatutAction, StatutPartenariat, Validation, date_iso,
};
use crate::store::validation::{self, Objet};
use crate::store::{StoreError, action, collectivite, partenariat};
use crate::web::AppState;
use crate::web::declaration_action::{Saisie, contexte, verifier};
use crate::web::saisie_localites::{self, Territoire};

/// What an account writes: validated at once for a national administrator, `soumis`
/// otherwise.
fn validation_pour(compte: &Compte) -> Validation {
    if compte.role == Role::AdminNational {
        Validation::Valide
    } else {
        Validation::Soumis
    }
}

/// 201 with the new record's address.
fn cree(lien: String, corps: serde_json::Value) -> Response {
    (
        StatusCode::CREATED,
        [
            (header::CONTENT_TYPE, TYPE_JSON.to_owned()),
            (header::LOCATION, lien),
        ],
        corps.to_string(),
    )
        .into_response()
}

/// 201 with the new record's address and the `Cree` body: its id and where it stands in
/// review.
fn enregistre(chemin: &str, id: i64, validation: Validation) -> Response {
    cree(
        format!("/api/v1/{chemin}/{id}"),
        json!({ "id": id, "validation": validation.code() }),
    )
}

/// A domain rule broken by the body is a 422; anything else keeps its status.
fn selon_store(erreur: StoreError) -> ErreurApi {
    match erreur {
        StoreError::Modele(e) => ErreurApi::Corps(e.to_string()),
        autre => autre.into(),
    }
}

/// `POST /api/v1/partenariats`: `{ "titre", "description"?, "statut"?, "partie_malienne",
/// "partenaire" }` — a Malian collectivité the account acts for, and a foreign one.
pub async fn declarer_partenariat(
    State(etat): State<AppState>,
    Auteur(compte): Auteur,
    corps: Bytes,
) -> Result<Response, ErreurApi> {
    crate::web::declaration::peut_declarer(&compte)?;
    let o = corps::objet(&corps)?;
    let mut c = Champs::new(
        &o,
        "",
        &[
            "titre",
            "description",
            "statut",
            "partie_malienne",
            "partenaire",
        ],
    );
    let titre = c.texte("titre", true);
    let description = c.texte("description", false);
    let statut = c.code::<StatutPartenariat>("statut", Some(StatutPartenariat::Actif));
    let malienne = c.entier("partie_malienne", true).map(CollectiviteId);
    let partenaire = c.entier("partenaire", true).map(CollectiviteId);
    let (Some(titre), Some(statut), Some(malienne), Some(partenaire)) =
        (titre, statut, malienne, partenaire)
    else {
        return Err(corps::invalide(c.erreurs));
    };
    if !c.erreurs.is_empty() {
        return Err(corps::invalide(c.erreurs));
    }
    let mut nouveau = NouveauPartenariat::new(&titre, statut, vec![malienne, partenaire]);
    nouveau.description = description;
    nouveau.validation = validation_pour(&compte);
    let validation = nouveau.validation;
    let id = etat
        .ecrire(move |conn| {
            let mut erreurs = Vec::new();
            match collectivite::par_id(conn, malienne)? {
                None => erreurs.push(format!(
                    "champ « partie_malienne » : aucune collectivité ne porte le numéro {malienne}"
                )),
                Some(m) if !m.pays.est_mali() => erreurs.push(format!(
                    "champ « partie_malienne » : {} (n° {malienne}) n'est pas une collectivité malienne",
                    m.nom
                )),
                Some(m) if !acces::peut_agir_pour(&compte, m.id) => {
                    return Ok(Err(ErreurApi::Interdit(format!(
                        "Votre compte n'agit pas pour {} (n° {malienne}) : déclarez pour l'une de vos collectivités.",
                        m.nom
                    ))));
                }
                Some(_) => {}
            }
            match collectivite::par_id(conn, partenaire)? {
                None => erreurs.push(format!(
                    "champ « partenaire » : aucune collectivité ne porte le numéro {partenaire}"
                )),
                Some(p) if p.pays.est_mali() => erreurs.push(format!(
                    "champ « partenaire » : {} (n° {partenaire}) est malienne ; le partenaire est une collectivité étrangère",
                    p.nom
                )),
                Some(_) => {}
            }
            if !erreurs.is_empty() {
                return Ok(Err(corps::invalide(erreurs)));
            }
            Ok(partenariat::creer_par(conn, nouveau, Some(compte.id)).map_err(selon_store))
        })
        .await??;
    Ok(enregistre("partenariats", id.0, validation))
}

/// `POST /api/v1/partenariats/{id}/actions`: the web form's fields (`titre`, `description`,
/// `axe`, `domaine`, `nature`, `statut`, `debut`, `fin`, `lieux` as ids), `points` (see
/// [`Champs::points`]), `localites` as P-codes (see [`Champs::localites`]) and an optional `financement` (see [`corps::financement`]).
pub async fn declarer_action(
    State(etat): State<AppState>,
    Auteur(compte): Auteur,
    Id(id): Id,
    corps: Bytes,
) -> Result<Response, ErreurApi> {
    let id = PartenariatId(id);
    let (_, lieux_possibles) = contexte(&etat, &compte, id).await?;
    let o = corps::objet(&corps)?;
    let mut c = Champs::new(
        &o,
        "",
        &[
            "titre",
            "description",
            "axe",
            "domaine",
            "nature",
            "statut",
            "debut",
            "fin",
            "lieux",
            "points",
            "localites",
            "financement",
        ],
    );
    let texte = |c: &mut Champs<'_>, nom: &str, requis| c.texte(nom, requis).unwrap_or_default();
    let saisie = Saisie {
        titre: texte(&mut c, "titre", true),
        description: texte(&mut c, "description", false),
        axe: texte(&mut c, "axe", true),
        domaine: texte(&mut c, "domaine", true),
        nature: texte(&mut c, "nature", true),
        statut: texte(&mut c, "statut", true),
        debut: texte(&mut c, "debut", false),
        fin: texte(&mut c, "fin", false),
        lieux: c.identifiants("lieux").iter().map(i64::to_string).collect(),
        ..Saisie::default()
    };
    // The API speaks codes and ISO dates: its messages list the codes admitted, where the
    // form's (`verifier`, said again below only for the fields not named here) give labels.
    let codes = [
        ("axe", Axe::depuis_code(&saisie.axe).err()),
        ("domaine", Domaine::depuis_code(&saisie.domaine).err()),
        ("nature", Nature::depuis_code(&saisie.nature).err()),
        ("statut", StatutAction::depuis_code(&saisie.statut).err()),
    ];
    for (champ, inconnu) in codes {
        let deja = c
            .erreurs
            .iter()
            .any(|e| e.contains(&format!("« {champ} »")));
        if let (Some(e), false) = (inconnu, deja) {
            c.erreurs.push(format!("champ « {champ} » : {e}"));
        }
    }
    for (champ, texte) in [("debut", &saisie.debut), ("fin", &saisie.fin)] {
        if !texte.trim().is_empty() && date_iso(texte).is_none() {
            c.erreurs.push(format!(
                "champ « {champ} » : « {} » n'est pas une date AAAA-MM-JJ existante",
                Extrait(texte.trim())
            ));
        }
    }
    for lieu in &saisie.lieux {
        if !lieux_possibles.iter().any(|l| l.id.to_string() == *lieu) {
            let admis: Vec<String> = lieux_possibles
                .iter()
                .map(|l| format!("{} ({})", l.id, l.nom))
                .collect();
            c.erreurs.push(format!(
                "champ « lieux » : {lieu} n'est pas un lieu possible de ce partenariat ; lieux admis : {}",
                admis.join(", ")
            ));
        }
    }
    let points = c.points("points");
    let resolveur = etat.resolveur();
    let territoire = Territoire::depuis_lieux(&lieux_possibles);
    let localites = c.localites("localites", |p| {
        saisie_localites::par_pcode(p, &resolveur, &territoire)
    });
    let argent = c
        .objet("financement")
        .map(|f| corps::financement(f, "financement."));
    let mut erreurs = std::mem::take(&mut c.erreurs);
    let deja_nommes: Vec<String> = erreurs.clone();
    let verifiee = verifier(&saisie, id, &lieux_possibles, &resolveur).map_err(|par_champ| {
        for (champ, message) in par_champ {
            // A field already said missing or of the wrong type is not named twice.
            if !deja_nommes
                .iter()
                .any(|e| e.contains(&format!("« {champ} »")))
            {
                let message = message.trim_end_matches('.');
                erreurs.push(format!("champ « {champ} » : {message}"));
            }
        }
    });
    let argent = match argent {
        Some(Err(mut e)) => {
            erreurs.append(&mut e);
            None
        }
        Some(Ok(f)) => Some(f),
        None => None,
    };
    let (mut nouvelle, _) = match verifiee {
        Ok(v) if erreurs.is_empty() => v,
        _ => return Err(corps::invalide(erreurs)),
    };
    nouvelle.points = points;
    nouvelle.localites = localites;
    let validation = validation_pour(&compte);
    let nouvelle_id: ActionId = etat
        .ecrire(move |conn| {
            Ok(
                action::declarer(conn, nouvelle, validation, compte.id, argent)
                    .map_err(selon_store),
            )
        })
        .await??;
    Ok(enregistre("actions", nouvelle_id.0, validation))
}

/// `POST /api/v1/actions/{id}/financements`: money for an action, journalled; an
/// authority's addition sends the action back to review, as the web form does.
pub async fn ajouter_financement(
    State(etat): State<AppState>,
    Auteur(compte): Auteur,
    Id(id): Id,
    corps: Bytes,
) -> Result<Response, ErreurApi> {
    let id = ActionId(id);
    let introuvable = format!("Aucune action ne porte le numéro {id}.");
    let trouvee = reponse::un(&etat, introuvable, move |conn| action::par_id(conn, id)).await?;
    contexte(&etat, &compte, trouvee.partenariat).await?;
    let f = corps::financement(&corps::objet(&corps)?, "").map_err(corps::invalide)?;
    let a_revalider = compte.role != Role::AdminNational;
    etat.ecrire(move |conn| {
        Ok(
            validation::modifier(conn, Objet::Action(id), compte.id, a_revalider, || {
                action::ajouter_financement(conn, id, f)
            })
            .map_err(selon_store),
        )
    })
    .await??;
    Ok(cree(
        format!("/api/v1/actions/{id}"),
        json!({ "action_id": id.0, "a_revalider": a_revalider }),
    ))
}
