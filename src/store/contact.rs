//! The contacts of a partenariat. Personal data: only the contributors' space and the
//! signed-in view of a partenariat read them; no public view, export or overview does.
//!
//! A change is journalled on its partenariat but, unlike the other follow-up changes, does
//! not touch `modifie_le` nor send the record back to review: nothing public moves.

use rusqlite::{Connection, params};

use super::{Result, StoreError, atomique, journal, partenariat};
use crate::model::{CompteId, Contact, ContactId, ErreurModele, NouveauContact, PartenariatId};
use crate::store::sql::executer;

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
        executer(
            conn,
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

/// Removes a contact of `id` (a contact of another partenariat is not found), and its
/// personal data from the partenariat's history: the journal's snapshots and comments that
/// name it are rewritten (« contact retiré »), unless another contact of the partenariat
/// still holds the same data. SQLite is asked to zero the freed space (`secure_delete`), so
/// that the old values do not linger in the file either.
pub fn retirer(
    conn: &Connection,
    id: PartenariatId,
    compte: Option<CompteId>,
    contact: ContactId,
) -> Result<()> {
    requis(conn, id)?;
    let secure_delete: i64 = conn.pragma_query_value(None, "secure_delete", |r| r.get(0))?;
    conn.pragma_update(None, "secure_delete", true)?;
    let resultat = atomique(conn, || {
        let contacts = du_partenariat(conn, id)?;
        let (retire, restants): (Vec<_>, Vec<_>) =
            contacts.into_iter().partition(|c| c.id == contact);
        let Some(retire) = retire.into_iter().next() else {
            return Err(StoreError::Introuvable(format!(
                "le contact n° {contact} de ce partenariat"
            )));
        };
        journaliser(
            conn,
            id,
            compte,
            &format!("contact n° {contact} retiré"),
            || {
                executer(conn, "DELETE FROM contact WHERE id = ?1", [contact])?;
                Ok(())
            },
        )?;
        effacer_de_l_historique(conn, id, &retire, &restants)
    });
    // The setting belongs to the pooled connection: leave it as it was found.
    conn.pragma_update(None, "secure_delete", secure_delete)?;
    resultat
}

/// What the journal says of a removed contact once its personal data is gone.
pub const CONTACT_EFFACE: &str = "contact retiré (données personnelles effacées)";

/// Rewrites the partenariat's journal so that nothing names `retire`: each snapshot's
/// `contacts` line of it, and the comment of its addition.
fn effacer_de_l_historique(
    conn: &Connection,
    id: PartenariatId,
    retire: &Contact,
    restants: &[Contact],
) -> Result<()> {
    let designe = |ligne: &str| {
        designe_le_contact(ligne, retire) && !restants.iter().any(|r| designe_le_contact(ligne, r))
    };
    let ajout = format!("contact ajouté : {}", retire.nom);
    let nom_partage = restants.iter().any(|r| r.nom == retire.nom);
    journal::expurger(conn, ("partenariat", id.0), |entree| {
        let mut change = false;
        for instantane in [&mut entree.avant, &mut entree.apres].into_iter().flatten() {
            if let Some(serde_json::Value::Array(lignes)) = instantane.get_mut("contacts") {
                for ligne in lignes.iter_mut() {
                    if ligne.as_str().is_some_and(designe) {
                        *ligne = CONTACT_EFFACE.into();
                        change = true;
                    }
                }
            }
        }
        if !nom_partage && entree.commentaire.as_deref() == Some(ajout.as_str()) {
            entree.commentaire = Some(format!("contact ajouté puis {CONTACT_EFFACE}"));
            change = true;
        }
        change
    })?;
    Ok(())
}

/// Whether a snapshot's line (see [`resumes`]) is this contact's: its personal data, then
/// at most the name of the party it spoke for (which a removed party takes away).
fn designe_le_contact(ligne: &str, contact: &Contact) -> bool {
    let personnel = [
        Some(contact.nom.as_str()),
        contact.fonction.as_deref(),
        contact.email.as_deref(),
        contact.telephone.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(SEPARATEUR);
    match ligne.strip_prefix(personnel.as_str()) {
        Some("") => true,
        Some(reste) => reste
            .strip_prefix(SEPARATEUR)
            .is_some_and(|partie| !partie.contains(SEPARATEUR)),
        None => false,
    }
}

/// Between the fields of a contact's line in a snapshot.
const SEPARATEUR: &str = " — ";

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
            .join(SEPARATEUR)
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
    use crate::store::{collectivite, essai, validation};

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

    #[test]
    fn a_removed_contact_leaves_no_personal_data_in_the_history_nor_the_file() {
        let (dossier, store) = essai::base();
        let conn = store.connexion().unwrap();
        let (kayes, angers) = essai::kayes_angers(&conn);
        let p = partenariat::creer(
            &conn,
            NouveauPartenariat::new("Jumelage", StatutPartenariat::Actif, vec![kayes, angers]),
        )
        .unwrap();
        let awa = ajouter(
            &conn,
            p,
            None,
            NouveauContact {
                nom: "Awa Traoré".to_owned(),
                fonction: Some("Chargée de la coopération".to_owned()),
                email: Some("awa.traore@kayes.ml".to_owned()),
                telephone: Some("+223 21 52 00 00".to_owned()),
                collectivite: Some(kayes),
            },
        )
        .unwrap();
        ajouter(
            &conn,
            p,
            None,
            NouveauContact {
                nom: "Jean Martin".to_owned(),
                email: Some("jean.martin@angers.fr".to_owned()),
                collectivite: Some(angers),
                ..NouveauContact::default()
            },
        )
        .unwrap();
        // Other changes snapshot the contacts too, one of them after her party is gone
        // (her line then loses « Kayes »).
        let logo = collectivite::inserer(
            &conn,
            NouvelleCollectivite::new(Pays::MALI, Niveau::Commune, "Logo"),
        )
        .unwrap();
        let admin = crate::store::compte::creer(
            &conn,
            &crate::model::Email::new("admin@mdat.gouv.ml").unwrap(),
            "$argon2id$essai",
            crate::model::Role::AdminNational,
            &[],
            &[],
        )
        .unwrap();
        let partie = |f: &dyn Fn() -> Result<()>| {
            validation::modifier(&conn, validation::Objet::Partenariat(p), admin, false, f).unwrap()
        };
        partie(&|| partenariat::ajouter_partie(&conn, p, logo));
        partie(&|| partenariat::retirer_partie(&conn, p, kayes));
        let journal_texte = |conn: &Connection| -> String {
            conn.query_row(
                "SELECT group_concat(coalesce(avant, '') || coalesce(apres, '') || coalesce(commentaire, ''), '|')
                 FROM journal WHERE objet = 'partenariat' AND objet_id = ?1",
                [p],
                |r| r.get(0),
            )
            .unwrap()
        };
        assert!(journal_texte(&conn).contains("awa.traore@kayes.ml"));
        assert!(journal_texte(&conn).contains("Awa Traoré — Chargée de la coopération — awa.traore@kayes.ml — +223 21 52 00 00 — Kayes"));

        // Inside a write transaction, as the site's handlers run it.
        conn.execute_batch("BEGIN IMMEDIATE").unwrap();
        retirer(&conn, p, None, awa).unwrap();
        conn.execute_batch("COMMIT").unwrap();

        let texte = journal_texte(&conn);
        for donnee in [
            "Awa",
            "awa.traore",
            "+223 21 52 00 00",
            "Chargée de la coopération",
        ] {
            assert!(
                !texte.contains(donnee),
                "{donnee} is still in the journal: {texte}"
            );
        }
        assert!(
            texte.contains("jean.martin@angers.fr"),
            "the other contact stays"
        );
        assert!(texte.contains(CONTACT_EFFACE));
        let historique = journal::historique(&conn, "partenariat", p.0).unwrap();
        let ajouts: Vec<_> = historique
            .iter()
            .filter_map(|e| e.commentaire.as_deref())
            .filter(|c| c.starts_with("contact ajouté"))
            .collect();
        assert_eq!(
            ajouts,
            [
                "contact ajouté puis contact retiré (données personnelles effacées)",
                "contact ajouté : Jean Martin"
            ]
        );
        assert_eq!(
            historique.last().unwrap().apres.as_ref().unwrap()["contacts"],
            serde_json::json!(["Jean Martin — jean.martin@angers.fr — Angers"])
        );
        let secure_delete: i64 = conn
            .pragma_query_value(None, "secure_delete", |r| r.get(0))
            .unwrap();
        assert_eq!(secure_delete, 0, "the pooled connection is left as it was");

        // Nor in the file's free space once the WAL is written back.
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
            .unwrap();
        drop(conn);
        drop(store);
        let octets = std::fs::read(dossier.path().join("essai.db")).unwrap();
        assert!(
            !octets.windows(19).any(|w| w == b"awa.traore@kayes.ml"),
            "the e-mail is still somewhere in the database file"
        );
    }
}
