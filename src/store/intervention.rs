//! « Autres interventions » imported from IATI files, their places, sectors, organisations and
//! transactions.

use rusqlite::{Connection, OptionalExtension, Row, params};
use time::Date;

use super::{Result, atomique, collectivite, intervention_resultat};
use crate::model::{
    Collectivite, CollectiviteId, DatesIati, InterventionId, MethodeLien, MotifNonLie, Narratif,
    NouvelleIntervention, OrganisationIati, PointIati, Rattachement, ResultatIati, SecteurIati,
    TransactionIati, ValeurIati,
};

/// Whether [`enregistrer`] created the intervention, replaced an earlier import of it, or
/// found it as it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enregistrement {
    Creee(InterventionId),
    MiseAJour(InterventionId),
    /// The same content as the last import ([`NouvelleIntervention::empreinte`]): nothing
    /// was written, not even the file name or the import time.
    Inchangee(InterventionId),
}

/// Records an activity, or replaces what an earlier import recorded under the same
/// iati-identifier (its places, sectors, organisations, transactions and results included), unless
/// that import recorded exactly the same content.
pub fn enregistrer(
    conn: &Connection,
    i: &NouvelleIntervention,
    fichier: &str,
) -> Result<Enregistrement> {
    let empreinte = i.empreinte();
    atomique(conn, || {
        let existante: Option<(InterventionId, Option<Vec<u8>>)> = conn
            .prepare_cached("SELECT id, empreinte FROM intervention WHERE identifiant_iati = ?1")?
            .query_row([&i.identifiant_iati], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        if let Some((id, Some(avant))) = &existante
            && avant[..] == empreinte[..]
        {
            return Ok(Enregistrement::Inchangee(*id));
        }
        let existante = existante.map(|(id, _)| id);
        let narratif = |n: &Option<Narratif>| {
            n.as_ref()
                .map(|n| (n.texte.clone(), n.langue.clone()))
                .unzip()
        };
        let (titre, titre_langue): (Option<String>, Option<Option<String>>) = narratif(&i.titre);
        let (description, description_langue): (Option<String>, Option<Option<String>>) =
            narratif(&i.description);
        let valeurs = params![
            i.identifiant_iati,
            i.version,
            i.derniere_maj,
            titre,
            titre_langue.flatten(),
            description,
            description_langue.flatten(),
            i.editeur.reference,
            i.editeur.nom,
            i.editeur.type_organisation,
            i.statut,
            i.dates.debut_prevu,
            i.dates.debut_reel,
            i.dates.fin_prevue,
            i.dates.fin_reelle,
            i.pourcentage_mali,
            fichier,
            &empreinte[..],
        ];
        let resultat = match existante {
            Some(id) => {
                conn.prepare_cached(
                    "UPDATE intervention SET identifiant_iati = ?1, version_iati = ?2, derniere_maj_iati = ?3,
                         titre = ?4, titre_langue = ?5, description = ?6, description_langue = ?7,
                         editeur_ref = ?8, editeur_nom = ?9, editeur_type = ?10, statut = ?11,
                         debut_prevu = ?12, debut_reel = ?13, fin_prevue = ?14, fin_reelle = ?15,
                         pourcentage_mali = ?16, fichier = ?17, empreinte = ?18,
                         importe_le = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
                     WHERE id = ?19",
                )?
                .execute(rusqlite::params_from_iter(
                    valeurs.iter().copied().chain([&id as &dyn rusqlite::ToSql]),
                ))?;
                for table in [
                    "DELETE FROM intervention_organisation WHERE intervention_id = ?1",
                    "DELETE FROM intervention_secteur WHERE intervention_id = ?1",
                    "DELETE FROM intervention_transaction WHERE intervention_id = ?1",
                    "DELETE FROM intervention_lieu WHERE intervention_id = ?1",
                ] {
                    conn.prepare_cached(table)?.execute([id])?;
                }
                intervention_resultat::effacer(conn, id)?;
                Enregistrement::MiseAJour(id)
            }
            None => {
                conn.prepare_cached(
                    "INSERT INTO intervention (identifiant_iati, version_iati, derniere_maj_iati, titre,
                         titre_langue, description, description_langue, editeur_ref, editeur_nom,
                         editeur_type, statut, debut_prevu, debut_reel, fin_prevue, fin_reelle,
                         pourcentage_mali, fichier, empreinte)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
                )?
                .execute(valeurs)?;
                Enregistrement::Creee(InterventionId(conn.last_insert_rowid()))
            }
        };
        let (Enregistrement::Creee(id)
        | Enregistrement::MiseAJour(id)
        | Enregistrement::Inchangee(id)) = resultat;
        let mut stmt = conn.prepare_cached(
            "INSERT INTO intervention_organisation (intervention_id, rang, role, ref, nom, type)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for (rang, o) in i.participants.iter().enumerate() {
            stmt.execute(params![
                id,
                rang,
                o.role,
                o.reference,
                o.nom,
                o.type_organisation
            ])?;
        }
        let mut stmt = conn.prepare_cached(
            "INSERT INTO intervention_secteur (intervention_id, rang, vocabulaire, code, pourcentage)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for (rang, s) in i.secteurs.iter().enumerate() {
            stmt.execute(params![id, rang, s.vocabulaire, s.code, s.pourcentage])?;
        }
        let mut stmt = conn.prepare_cached(
            "INSERT INTO intervention_transaction (intervention_id, rang, type, date, valeur, devise,
                                                   date_valeur, fournisseur, beneficiaire)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        for (rang, t) in i.transactions.iter().enumerate() {
            stmt.execute(params![
                id,
                rang,
                t.type_transaction,
                t.date,
                t.valeur.unites_mineures,
                t.valeur.devise(),
                t.date_valeur,
                t.fournisseur,
                t.beneficiaire
            ])?;
        }
        let mut lieu = conn.prepare_cached(
            "INSERT INTO intervention_lieu (intervention_id, rang, nom, description, code_administratif,
                                            latitude, longitude, exactitude, portee, methode, motif)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?;
        let mut lien = conn.prepare_cached(
            "INSERT OR IGNORE INTO intervention_lieu_collectivite (intervention_id, rang, collectivite_id)
             VALUES (?1, ?2, ?3)",
        )?;
        for (rang, l) in i.lieux.iter().enumerate() {
            let (methode, motif) = match &l.rattachement {
                Rattachement::Lie { methode, .. } => (Some(methode.code()), None),
                Rattachement::NonLie(motif) => (None, Some(motif.code())),
            };
            lieu.execute(params![
                id,
                rang,
                l.nom,
                l.description,
                l.code_administratif,
                l.point.map(|p| p.latitude),
                l.point.map(|p| p.longitude),
                l.exactitude,
                l.portee,
                methode,
                motif
            ])?;
            for c in l.collectivites() {
                lien.execute(params![id, rang, c])?;
            }
        }
        intervention_resultat::inserer(conn, id, &i.resultats)?;
        Ok(resultat)
    })
}

/// How many interventions the database holds.
pub fn nombre(conn: &Connection) -> Result<u64> {
    Ok(conn.query_row("SELECT count(*) FROM intervention", [], |r| r.get(0))?)
}

/// An intervention as a line of a list.
#[derive(Debug, Clone)]
pub struct InterventionResume {
    pub id: InterventionId,
    pub identifiant_iati: String,
    pub titre: Option<String>,
    pub editeur_ref: Option<String>,
    pub editeur_nom: Option<String>,
    pub statut: Option<String>,
    /// The actual start, else the planned one.
    pub debut: Option<Date>,
    /// The actual end, else the planned one.
    pub fin: Option<Date>,
    /// The collectivités its places link to (within the zone when the list is filtered by
    /// one), by name.
    pub lieux: Vec<Collectivite>,
}

/// The filters of a list of interventions, all optional, combined with « and ». The order is
/// the collectivité page's: the most recent start first, then by id, so that pages are stable.
#[derive(Debug, Clone, Default)]
pub struct InterventionQuery {
    /// A place links to this collectivité or to a unit under it (as on its page).
    pub zone: Option<CollectiviteId>,
    /// IATI ActivityStatus code.
    pub statut: Option<String>,
    /// A DAC sector: 5 digits (vocabulary 1), or a 3-digit category (vocabulary 2, and the
    /// 5-digit codes under it).
    pub secteur: Option<String>,
    /// The IATI identifier of the reporting organisation or of a participating one.
    pub organisation: Option<String>,
    pub page: super::Page,
}

/// The collectivité `?1` and every unit under it; empty when `?1` is null.
const ZONE: &str = "WITH RECURSIVE zone(id) AS (
        SELECT ?1 WHERE ?1 IS NOT NULL
        UNION SELECT c.id FROM collectivite c JOIN zone ON c.parent_id = zone.id)";

/// The conditions of [`InterventionQuery`] on an intervention `i`, in its parameters ?1 to ?4.
/// The zone is an uncorrelated `IN`, computed once: as a correlated `EXISTS` it was evaluated
/// again for each intervention (seconds for a région over 300,000 interventions).
const FILTRE: &str = "(?1 IS NULL OR i.id IN (SELECT l.intervention_id FROM intervention_lieu_collectivite l
                                               WHERE l.collectivite_id IN zone))
     AND (?2 IS NULL OR i.statut = ?2)
     AND (?3 IS NULL OR EXISTS (SELECT 1 FROM intervention_secteur s WHERE s.intervention_id = i.id
          AND ((s.vocabulaire = '1' AND (s.code = ?3 OR (length(?3) = 3 AND substr(s.code, 1, 3) = ?3)))
               OR (s.vocabulaire = '2' AND s.code = ?3))))
     AND (?4 IS NULL OR i.editeur_ref = ?4 OR EXISTS (SELECT 1 FROM intervention_organisation o
          WHERE o.intervention_id = i.id AND o.ref = ?4))";

impl InterventionQuery {
    /// How many interventions match, over all pages.
    pub fn compter(&self, conn: &Connection) -> Result<u64> {
        Ok(conn
            .prepare_cached(&format!(
                "{ZONE} SELECT count(*) FROM intervention i WHERE {FILTRE}"
            ))?
            .query_row(
                params![self.zone, self.statut, self.secteur, self.organisation],
                |r| r.get(0),
            )?)
    }

    /// One page of the matching interventions and how many there are.
    pub fn lister(&self, conn: &Connection) -> Result<super::Pagine<InterventionResume>> {
        let total = self.compter(conn)?;
        let parametres = params![self.zone, self.statut, self.secteur, self.organisation];
        let mut stmt = conn.prepare_cached(&format!(
            "{ZONE}
             SELECT i.id, i.identifiant_iati, i.titre, i.editeur_ref, i.editeur_nom, i.statut,
                    coalesce(i.debut_reel, i.debut_prevu) AS debut, coalesce(i.fin_reelle, i.fin_prevue) AS fin
             FROM intervention i WHERE {FILTRE}
             ORDER BY debut IS NULL, debut DESC, i.id LIMIT {} OFFSET {}",
            self.page.limit(),
            self.page.offset()
        ))?;
        let lignes = stmt
            .query_map(parametres, |r| {
                Ok(InterventionResume {
                    id: r.get("id")?,
                    identifiant_iati: r.get("identifiant_iati")?,
                    titre: r.get("titre")?,
                    editeur_ref: r.get("editeur_ref")?,
                    editeur_nom: r.get("editeur_nom")?,
                    statut: r.get("statut")?,
                    debut: r.get("debut")?,
                    fin: r.get("fin")?,
                    lieux: Vec::new(),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let elements = lignes
            .into_iter()
            .map(|mut i| {
                i.lieux = collectivites_liees(conn, i.id, self.zone)?;
                Ok(i)
            })
            .collect::<Result<_>>()?;
        Ok(super::Pagine {
            elements,
            total,
            page: self.page,
        })
    }
}

/// The collectivités the places of an intervention link to, within `zone` when given, by name.
fn collectivites_liees(
    conn: &Connection,
    id: InterventionId,
    zone: Option<CollectiviteId>,
) -> Result<Vec<Collectivite>> {
    let ids: Vec<CollectiviteId> = conn
        .prepare_cached(&format!(
            "{ZONE} SELECT DISTINCT c.id FROM intervention_lieu_collectivite l JOIN collectivite c ON c.id = l.collectivite_id
             WHERE l.intervention_id = ?2 AND (?1 IS NULL OR c.id IN zone)
             ORDER BY c.nom_normalise, c.id"
        ))?
        .query_map(params![zone, id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    ids.into_iter()
        .map(|c| collectivite::requise(conn, c))
        .collect()
}

/// The interventions of a collectivité's territory (linked to it or to a unit under it), the
/// most recent first, at most `limite` of them, and how many there are in all.
pub fn de_la_zone(
    conn: &Connection,
    id: CollectiviteId,
    limite: u32,
) -> Result<(u64, Vec<InterventionResume>)> {
    let liste = InterventionQuery {
        zone: Some(id),
        page: super::Page::avec_taille(1, limite),
        ..InterventionQuery::default()
    }
    .lister(conn)?;
    Ok((liste.total, liste.elements))
}

/// A place of an intervention as its page shows it.
#[derive(Debug, Clone)]
pub struct LieuFiche {
    pub nom: Option<String>,
    pub description: Option<String>,
    pub code_administratif: Option<String>,
    pub point: Option<PointIati>,
    /// IATI GeographicExactness code.
    pub exactitude: Option<String>,
    /// IATI GeographicLocationReach code.
    pub portee: Option<String>,
    /// How it was linked; none for a place not linked, or imported before benkan said how.
    pub methode: Option<MethodeLien>,
    /// Why it is not linked; none for a linked place, or one imported before benkan said why.
    pub motif: Option<MotifNonLie>,
    /// By name.
    pub collectivites: Vec<Collectivite>,
}

/// Everything the page of an intervention shows.
#[derive(Debug, Clone)]
pub struct FicheIntervention {
    pub id: InterventionId,
    pub identifiant_iati: String,
    pub version: String,
    pub derniere_maj: Option<String>,
    pub titre: Option<Narratif>,
    pub description: Option<Narratif>,
    pub editeur: OrganisationIati,
    pub statut: Option<String>,
    pub dates: DatesIati,
    pub pourcentage_mali: Option<String>,
    pub fichier: String,
    pub importe_le: time::OffsetDateTime,
    pub participants: Vec<OrganisationIati>,
    pub secteurs: Vec<SecteurIati>,
    pub transactions: Vec<TransactionIati>,
    pub lieux: Vec<LieuFiche>,
    /// One per indicator, in the file's order.
    pub resultats: Vec<ResultatIati>,
}

fn narratif(r: &Row<'_>, texte: &str, langue: &str) -> rusqlite::Result<Option<Narratif>> {
    let langue: Option<String> = r.get(langue)?;
    Ok(r.get::<_, Option<String>>(texte)?
        .map(|texte| Narratif { texte, langue }))
}

/// The rows `sql` reads for one intervention (its parameter ?1).
fn lignes<T>(
    conn: &Connection,
    sql: &str,
    id: InterventionId,
    lire: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
) -> Result<Vec<T>> {
    Ok(conn
        .prepare_cached(sql)?
        .query_map([id], lire)?
        .collect::<rusqlite::Result<_>>()?)
}

/// The page of an intervention.
pub fn fiche(conn: &Connection, id: InterventionId) -> Result<Option<FicheIntervention>> {
    let Some(mut fiche) = conn
        .prepare_cached("SELECT * FROM intervention WHERE id = ?1")?
        .query_row([id], |r| {
            Ok(FicheIntervention {
                id: r.get("id")?,
                identifiant_iati: r.get("identifiant_iati")?,
                version: r.get("version_iati")?,
                derniere_maj: r.get("derniere_maj_iati")?,
                titre: narratif(r, "titre", "titre_langue")?,
                description: narratif(r, "description", "description_langue")?,
                editeur: OrganisationIati {
                    role: None,
                    reference: r.get("editeur_ref")?,
                    nom: r.get("editeur_nom")?,
                    type_organisation: r.get("editeur_type")?,
                },
                statut: r.get("statut")?,
                dates: DatesIati {
                    debut_prevu: r.get("debut_prevu")?,
                    debut_reel: r.get("debut_reel")?,
                    fin_prevue: r.get("fin_prevue")?,
                    fin_reelle: r.get("fin_reelle")?,
                },
                pourcentage_mali: r.get("pourcentage_mali")?,
                fichier: r.get("fichier")?,
                importe_le: r.get("importe_le")?,
                participants: Vec::new(),
                secteurs: Vec::new(),
                transactions: Vec::new(),
                lieux: Vec::new(),
                resultats: Vec::new(),
            })
        })
        .optional()?
    else {
        return Ok(None);
    };
    fiche.participants = lignes(
        conn,
        "SELECT role, ref, nom, type FROM intervention_organisation WHERE intervention_id = ?1 ORDER BY rang",
        id,
        |r| {
            Ok(OrganisationIati {
                role: r.get(0)?,
                reference: r.get(1)?,
                nom: r.get(2)?,
                type_organisation: r.get(3)?,
            })
        },
    )?;
    fiche.secteurs = lignes(
        conn,
        "SELECT vocabulaire, code, pourcentage FROM intervention_secteur WHERE intervention_id = ?1 ORDER BY rang",
        id,
        |r| {
            Ok(SecteurIati {
                vocabulaire: r.get(0)?,
                code: r.get(1)?,
                pourcentage: r.get(2)?,
            })
        },
    )?;
    fiche.transactions = lignes(
        conn,
        "SELECT type, date, valeur, devise, date_valeur, fournisseur, beneficiaire
         FROM intervention_transaction WHERE intervention_id = ?1 ORDER BY date IS NULL, date, rang",
        id,
        |r| {
            let devise: String = r.get(3)?;
            Ok(TransactionIati {
                type_transaction: r.get(0)?,
                date: r.get(1)?,
                valeur: ValeurIati {
                    unites_mineures: r.get(2)?,
                    devise: devise.as_bytes().try_into().unwrap_or(*b"???"),
                },
                date_valeur: r.get(4)?,
                fournisseur: r.get(5)?,
                beneficiaire: r.get(6)?,
            })
        },
    )?;
    let mut lieux: Vec<(i64, LieuFiche)> = lignes(
        conn,
        "SELECT rang, nom, description, code_administratif, latitude, longitude, exactitude, portee,
                methode, motif
         FROM intervention_lieu WHERE intervention_id = ?1 ORDER BY rang",
        id,
        |r| {
            let latitude: Option<f64> = r.get("latitude")?;
            let longitude: Option<f64> = r.get("longitude")?;
            let methode: Option<String> = r.get("methode")?;
            let motif: Option<String> = r.get("motif")?;
            let lieu = LieuFiche {
                nom: r.get("nom")?,
                description: r.get("description")?,
                code_administratif: r.get("code_administratif")?,
                point: latitude
                    .zip(longitude)
                    .and_then(|(lat, lon)| PointIati::nouveau(lat, lon)),
                exactitude: r.get("exactitude")?,
                portee: r.get("portee")?,
                methode: methode.as_deref().and_then(MethodeLien::depuis_code),
                motif: motif.as_deref().and_then(MotifNonLie::depuis_code),
                collectivites: Vec::new(),
            };
            Ok((r.get("rang")?, lieu))
        },
    )?;
    let liens: Vec<(i64, CollectiviteId)> = lignes(
        conn,
        "SELECT l.rang, l.collectivite_id FROM intervention_lieu_collectivite l
         JOIN collectivite c ON c.id = l.collectivite_id
         WHERE l.intervention_id = ?1 ORDER BY l.rang, c.nom_normalise, c.id",
        id,
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    for (rang, c) in liens {
        if let Some((_, lieu)) = lieux.iter_mut().find(|(r, _)| *r == rang) {
            lieu.collectivites.push(collectivite::requise(conn, c)?);
        }
    }
    fiche.lieux = lieux.into_iter().map(|(_, l)| l).collect();
    fiche.resultats = intervention_resultat::lire(conn, id)?;
    Ok(Some(fiche))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{LieuIati, Niveau, NouvelleCollectivite, Pays};
    use crate::store::Store;

    fn intervention(identifiant: &str, lieux: Vec<LieuIati>) -> NouvelleIntervention {
        NouvelleIntervention {
            identifiant_iati: identifiant.into(),
            version: "2.03".into(),
            derniere_maj: None,
            titre: Some(Narratif {
                texte: "Forages".into(),
                langue: Some("fr".into()),
            }),
            description: None,
            editeur: OrganisationIati::default(),
            participants: vec![OrganisationIati {
                role: Some("1".into()),
                ..OrganisationIati::default()
            }],
            statut: Some("2".into()),
            dates: DatesIati::default(),
            pourcentage_mali: None,
            secteurs: vec![SecteurIati {
                vocabulaire: "1".into(),
                code: "14030".into(),
                pourcentage: None,
            }],
            transactions: vec![TransactionIati {
                type_transaction: "3".into(),
                date: None,
                valeur: ValeurIati::lire("-12.5", "EUR").unwrap(),
                date_valeur: None,
                fournisseur: None,
                beneficiaire: None,
            }],
            lieux,
            resultats: Vec::new(),
        }
    }

    fn lieu(nom: &str, collectivite: Option<CollectiviteId>) -> LieuIati {
        LieuIati {
            nom: Some(nom.into()),
            description: None,
            code_administratif: None,
            point: None,
            exactitude: None,
            portee: None,
            rattachement: match collectivite {
                Some(c) => Rattachement::Lie {
                    methode: MethodeLien::Nom,
                    collectivites: vec![c],
                },
                None => Rattachement::NonLie(MotifNonLie::Inconnu),
            },
        }
    }

    #[test]
    fn a_reimport_replaces_the_intervention_and_its_rows() {
        let dossier = tempfile::tempdir().unwrap();
        let store = Store::ouvrir(&dossier.path().join("b.db")).unwrap();
        let conn = store.connexion().unwrap();
        let region = collectivite::inserer(
            &conn,
            NouvelleCollectivite::new(Pays::MALI, Niveau::Region, "Kayes"),
        )
        .unwrap();
        let cercle = collectivite::inserer(
            &conn,
            NouvelleCollectivite {
                parent: Some(region),
                ..NouvelleCollectivite::new(Pays::MALI, Niveau::Cercle, "Yélimané")
            },
        )
        .unwrap();
        let premiere = intervention(
            "XM-1",
            vec![lieu("Yélimané", Some(cercle)), lieu("Ailleurs", None)],
        );
        let Enregistrement::Creee(id) = enregistrer(&conn, &premiere, "a.xml").unwrap() else {
            panic!("une nouvelle intervention est créée");
        };
        // The région sees what is linked to the cercle under it; the cercle sees it too.
        let (total, liste) = de_la_zone(&conn, region, 25).unwrap();
        assert_eq!(total, 1);
        assert_eq!(liste[0].lieux.len(), 1);
        assert_eq!(liste[0].lieux[0].nom, "Yélimané");
        assert_eq!(de_la_zone(&conn, cercle, 25).unwrap().0, 1);

        let mut seconde = intervention("XM-1", vec![lieu("Kayes", Some(region))]);
        seconde.titre = None;
        assert_eq!(
            enregistrer(&conn, &seconde, "b.xml").unwrap(),
            Enregistrement::MiseAJour(id)
        );
        assert_eq!(nombre(&conn).unwrap(), 1);
        let lue = fiche(&conn, id).unwrap().unwrap();
        assert_eq!(lue.titre, None);
        assert_eq!(lue.fichier, "b.xml");
        assert_eq!(lue.lieux.len(), 1);
        assert_eq!(lue.lieux[0].collectivites[0].id, region);
        assert_eq!(lue.transactions.len(), 1);
        assert_eq!(lue.transactions[0].valeur.unites_mineures, -1250);
        assert_eq!(lue.participants.len(), 1);
        assert_eq!(de_la_zone(&conn, cercle, 25).unwrap().0, 0);
        assert!(fiche(&conn, InterventionId(id.0 + 1)).unwrap().is_none());
    }

    #[test]
    fn the_same_content_again_is_left_alone_and_a_place_keeps_all_it_was_linked_to() {
        let dossier = tempfile::tempdir().unwrap();
        let store = Store::ouvrir(&dossier.path().join("b.db")).unwrap();
        let conn = store.connexion().unwrap();
        let region = |nom: &str| {
            collectivite::inserer(
                &conn,
                NouvelleCollectivite::new(Pays::MALI, Niveau::Region, nom),
            )
            .unwrap()
        };
        let (gao, kidal) = (region("Gao"), region("Kidal"));
        let mut liste = lieu("Nord", None);
        liste.description = Some("Gao, Kidal".into());
        liste.point = PointIati::nouveau(17.57, -3.99);
        liste.exactitude = Some("2".into());
        liste.portee = Some("2".into());
        liste.rattachement = Rattachement::Lie {
            methode: MethodeLien::ListeDeNoms,
            collectivites: vec![kidal, gao],
        };
        let mut sans_nom = lieu("x", None);
        sans_nom.nom = None;
        sans_nom.point = PointIati::nouveau(14.69, -17.44);
        sans_nom.rattachement = Rattachement::NonLie(MotifNonLie::HorsMali);
        let i = intervention("XM-1", vec![liste, sans_nom]);
        let Enregistrement::Creee(id) = enregistrer(&conn, &i, "a.xml").unwrap() else {
            panic!("une nouvelle intervention est créée");
        };
        assert_eq!(
            enregistrer(&conn, &i, "b.xml").unwrap(),
            Enregistrement::Inchangee(id)
        );
        let lue = fiche(&conn, id).unwrap().unwrap();
        assert_eq!(lue.fichier, "a.xml", "nothing was written");
        let noms: Vec<&str> = lue.lieux[0]
            .collectivites
            .iter()
            .map(|c| c.nom.as_str())
            .collect();
        assert_eq!(noms, ["Gao", "Kidal"]);
        assert_eq!(lue.lieux[0].methode, Some(MethodeLien::ListeDeNoms));
        assert_eq!(lue.lieux[0].motif, None);
        assert_eq!(lue.lieux[0].point, PointIati::nouveau(17.57, -3.99));
        assert_eq!(lue.lieux[0].description.as_deref(), Some("Gao, Kidal"));
        assert_eq!(
            (
                lue.lieux[0].exactitude.as_deref(),
                lue.lieux[0].portee.as_deref()
            ),
            (Some("2"), Some("2"))
        );
        assert_eq!(lue.lieux[1].nom, None);
        assert_eq!(lue.lieux[1].motif, Some(MotifNonLie::HorsMali));
        assert!(lue.lieux[1].collectivites.is_empty());
        assert_eq!(de_la_zone(&conn, kidal, 25).unwrap().0, 1);

        // One link less is a change.
        let mut autre = i.clone();
        autre.lieux[0].rattachement = Rattachement::Lie {
            methode: MethodeLien::ListeDeNoms,
            collectivites: vec![gao],
        };
        assert_eq!(
            enregistrer(&conn, &autre, "b.xml").unwrap(),
            Enregistrement::MiseAJour(id)
        );
        assert_eq!(de_la_zone(&conn, kidal, 25).unwrap().0, 0);
        assert_eq!(fiche(&conn, id).unwrap().unwrap().fichier, "b.xml");
    }

    #[test]
    fn the_query_filters_by_status_sector_and_organisation() {
        let dossier = tempfile::tempdir().unwrap();
        let store = Store::ouvrir(&dossier.path().join("b.db")).unwrap();
        let conn = store.connexion().unwrap();
        let mut eau = intervention("XM-EAU", vec![]);
        eau.editeur.reference = Some("XM-EDITEUR".into());
        eau.dates.debut_prevu = Some(time::macros::date!(2020 - 01 - 01));
        let mut ecole = intervention("XM-ECOLE", vec![]);
        ecole.statut = Some("4".into());
        ecole.secteurs = vec![SecteurIati {
            vocabulaire: "2".into(),
            code: "112".into(),
            pourcentage: None,
        }];
        ecole.participants[0].reference = Some("XM-EDITEUR".into());
        ecole.dates.debut_reel = Some(time::macros::date!(2022 - 06 - 01));
        let sans_date = intervention("XM-SANS-DATE", vec![]);
        for i in [&eau, &ecole, &sans_date] {
            enregistrer(&conn, i, "a.xml").unwrap();
        }
        let lister = |q: InterventionQuery| -> Vec<String> {
            let p = q.lister(&conn).unwrap();
            assert_eq!(p.total, q.compter(&conn).unwrap());
            p.elements.into_iter().map(|i| i.identifiant_iati).collect()
        };
        let q = InterventionQuery::default;
        assert_eq!(
            lister(q()),
            ["XM-ECOLE", "XM-EAU", "XM-SANS-DATE"],
            "the most recent start first, the undated last"
        );
        let statut = |s: &str| InterventionQuery {
            statut: Some(s.into()),
            ..q()
        };
        assert_eq!(lister(statut("4")), ["XM-ECOLE"]);
        assert_eq!(lister(statut("2")).len(), 2);
        let secteur = |s: &str| InterventionQuery {
            secteur: Some(s.into()),
            ..q()
        };
        assert_eq!(lister(secteur("140")).len(), 2, "the category of 14030");
        assert_eq!(lister(secteur("14030")).len(), 2);
        assert_eq!(lister(secteur("112")), ["XM-ECOLE"], "vocabulary 2");
        assert!(lister(secteur("11220")).is_empty(), "a category is wider");
        let organisation = InterventionQuery {
            organisation: Some("XM-EDITEUR".into()),
            ..q()
        };
        assert_eq!(lister(organisation), ["XM-ECOLE", "XM-EAU"]);
        let deuxieme = InterventionQuery {
            page: crate::store::Page::avec_taille(2, 2),
            ..q()
        };
        assert_eq!(lister(deuxieme), ["XM-SANS-DATE"]);
    }

    #[test]
    fn the_schema_refuses_an_unknown_version_and_a_lowercase_currency() {
        let dossier = tempfile::tempdir().unwrap();
        let store = Store::ouvrir(&dossier.path().join("b.db")).unwrap();
        let conn = store.connexion().unwrap();
        let mut i = intervention("XM-2", vec![]);
        i.version = "1.05".into();
        assert!(enregistrer(&conn, &i, "a.xml").is_err());
        assert_eq!(nombre(&conn).unwrap(), 0);
        conn.execute(
            "INSERT INTO intervention (identifiant_iati, version_iati, fichier) VALUES ('XM-3', '2.03', 'f')",
            [],
        )
        .unwrap();
        assert!(
            conn.execute(
                "INSERT INTO intervention_transaction (intervention_id, rang, type, valeur, devise)
                 VALUES (1, 0, '3', 5, 'eur')",
                [],
            )
            .is_err()
        );
        assert!(
            conn.execute(
                "INSERT INTO intervention (identifiant_iati, version_iati, fichier) VALUES (' ', '2.03', 'f')",
                [],
            )
            .is_err()
        );
    }
}
