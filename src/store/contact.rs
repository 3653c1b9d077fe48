//! The contacts of a partenariat. Personal data: only the contributors' space and the
//! signed-in view of a partenariat read them; no public view, export or overview does.
//!
//! A change is journalled on its partenariat but, unlike the other follow-up changes, does
//! not touch `modifie_le` nor send the record back to review: nothing public moves.

use rusqlite::{Connection, params};

use super::{Result, StoreError, atomique, journal, partenariat};
use crate::model::{CompteId, Contact, ContactId, ErreurModele, NouveauContact, PartenariatId};

/// Records a contact of `id`; its party, when given, must be one of the partenariat's.
pub fn ajouter(
    conn: &Connection,
    id: PartenariatId,
    compte: Option<CompteId>,
    nouveau: NouveauContact,
) -> Result<ContactId> {
    let c = nouveau.valider()?;
    requis(conn, id)?;
    if let Some(collectivite) = c.collectivite
        && !partenariat::parties(conn, id)?
            .0
            .iter()
            .any(|p| p.id == collectivite)
    {
        return Err(ErreurModele::ContactHorsParties(collectivite.0).into());
    }
    let commentaire = format!("contact ajouté : {}", c.nom);
    journaliser(conn, id, compte, &commentaire, || {
        conn.execute(
            "INSERT INTO contact (partenariat_id, nom, fonction, email, telephone, collectivite_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                id,
                c.nom,
                c.fonction,
                c.email.as_ref().map(|e| e.as_str()),
                c.telephone,
                c.collectivite
            ],
        )?;
        Ok(ContactId(conn.last_insert_rowid()))
    })
}

/// Removes a contact of `id` (a contact of another partenariat is not found).
pub fn retirer(
    conn: &Connection,
    id: PartenariatId,
    compte: Option<CompteId>,
    contact: ContactId,
) -> Result<()> {
    requis(conn, id)?;
    journaliser(
        conn,
        id,
        compte,
        &format!("contact n° {contact} retiré"),
        || {
            let n = conn.execute(
                "DELETE FROM contact WHERE id = ?1 AND partenariat_id = ?2",
                params![contact, id],
            )?;
            if n == 0 {
                return Err(StoreError::Introuvable(format!(
                    "le contact n° {contact} de ce partenariat"
                )));
            }
            Ok(())
        },
    )
}

/// The contacts of a partenariat, by party (Malian first, as the parties are shown) then name.
pub fn du_partenariat(conn: &Connection, id: PartenariatId) -> Result<Vec<Contact>> {
    let mut stmt = conn.prepare_cached(
        "SELECT k.id, k.nom, k.fonction, k.email, k.telephone, k.collectivite_id, c.nom AS collectivite_nom
         FROM contact k LEFT JOIN collectivite c ON c.id = k.collectivite_id
         WHERE k.partenariat_id = ?1
         ORDER BY k.collectivite_id IS NULL, c.pays <> 'ML', c.nom, k.nom, k.id",
    )?;
    let lignes = stmt.query_map([id], |r| {
        Ok(Contact {
            id: r.get("id")?,
            nom: r.get("nom")?,
            fonction: r.get("fonction")?,
            email: r.get("email")?,
            telephone: r.get("telephone")?,
            collectivite: r.get("collectivite_id")?,
            collectivite_nom: r.get("collectivite_nom")?,
        })
    })?;
    Ok(lignes.collect::<rusqlite::Result<_>>()?)
}

/// How the journal's snapshot of a partenariat shows its contacts.
pub(super) fn resumes(conn: &Connection, id: PartenariatId) -> Result<Vec<String>> {
    Ok(du_partenariat(conn, id)?
        .into_iter()
        .map(|c| {
            [
                Some(c.nom),
                c.fonction,
                c.email,
                c.telephone,
                c.collectivite_nom,
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" — ")
        })
        .collect())
}

fn requis(conn: &Connection, id: PartenariatId) -> Result<()> {
    partenariat::par_id(conn, id)?
        .map(|_| ())
        .ok_or_else(|| StoreError::Introuvable(format!("partenariat n° {id}")))
}

/// Runs `changement` and journals it on the partenariat as a « modification », with its
/// snapshots before and after and `commentaire` saying what changed.
fn journaliser<T>(
    conn: &Connection,
    id: PartenariatId,
    compte: Option<CompteId>,
    commentaire: &str,
    changement: impl FnOnce() -> Result<T>,
) -> Result<T> {
    atomique(conn, || {
        let avant = partenariat::instantane(conn, id)?;
        let valeur = changement()?;
        let apres = partenariat::instantane(conn, id)?;
        journal::noter(
            conn,
            compte,
            ("partenariat", id.0),
            "modification",
            Some(&avant),
            Some(&apres),
            Some(commentaire),
        )?;
        Ok(valeur)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Niveau, NouveauPartenariat, NouvelleCollectivite, Pays, StatutPartenariat};
    use crate::store::{collectivite, essai};

    #[test]
    fn contacts_are_journalled_and_lose_a_removed_party() {
        let (_dossier, store) = essai::base();
        let conn = store.connexion().unwrap();
        let (kayes, angers) = essai::kayes_angers(&conn);
        let logo = collectivite::inserer(
            &conn,
            NouvelleCollectivite::new(Pays::MALI, Niveau::Commune, "Logo"),
        )
        .unwrap();
        let p = partenariat::creer(
            &conn,
            NouveauPartenariat::new(
                "Jumelage",
                StatutPartenariat::Actif,
                vec![kayes, logo, angers],
            ),
        )
        .unwrap();
        let contact = |nom: &str, collectivite| NouveauContact {
            nom: nom.to_owned(),
            telephone: Some("76 00 00 00".to_owned()),
            collectivite,
            ..NouveauContact::default()
        };
        let awa = ajouter(&conn, p, None, contact("Awa", Some(logo))).unwrap();
        ajouter(&conn, p, None, contact("Jean", Some(angers))).unwrap();
        let etranger = collectivite::inserer(
            &conn,
            NouvelleCollectivite::new(Pays::FRANCE, Niveau::Commune, "Tours"),
        )
        .unwrap();
        assert!(matches!(
            ajouter(&conn, p, None, contact("Paul", Some(etranger))),
            Err(StoreError::Modele(ErreurModele::ContactHorsParties(_)))
        ));
        let noms: Vec<_> = du_partenariat(&conn, p)
            .unwrap()
            .into_iter()
            .map(|c| (c.nom, c.collectivite_nom))
            .collect();
        assert_eq!(
            noms,
            [
                ("Awa".to_owned(), Some("Logo".to_owned())),
                ("Jean".to_owned(), Some("Angers".to_owned()))
            ]
        );
        let historique = journal::historique(&conn, "partenariat", p.0).unwrap();
        let derniere = historique.last().unwrap();
        assert_eq!(
            derniere.commentaire.as_deref(),
            Some("contact ajouté : Jean")
        );
        assert_eq!(
            derniere.apres.as_ref().unwrap()["contacts"],
            serde_json::json!(["Awa — 76 00 00 00 — Logo", "Jean — 76 00 00 00 — Angers"])
        );

        partenariat::retirer_partie(&conn, p, logo).unwrap();
        let awa_apres = du_partenariat(&conn, p).unwrap();
        assert_eq!(awa_apres[1].id, awa);
        assert_eq!(awa_apres[1].collectivite, None);

        retirer(&conn, p, None, awa).unwrap();
        assert!(matches!(
            retirer(&conn, p, None, awa),
            Err(StoreError::Introuvable(_))
        ));
        assert_eq!(du_partenariat(&conn, p).unwrap().len(), 1);
    }
}
