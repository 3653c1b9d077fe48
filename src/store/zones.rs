//! The zones of the public actions and their figures, kept by the triggers of migration
//! 0019 in the transaction of every write, and their check against a recomputation.

use rusqlite::{Connection, OptionalExtension};

use super::Result;

/// The zone that holds every public action: no collectivité has the id 0.
pub const TOUT_LE_REGISTRE: i64 = 0;

/// How many public actions concern the zone `id` (every one for [`TOUT_LE_REGISTRE`]).
pub fn actions(conn: &Connection, id: i64) -> Result<u64> {
    let n: Option<u64> = conn
        .prepare_cached("SELECT actions FROM zone_compteur WHERE collectivite_id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    Ok(n.unwrap_or(0))
}

/// Each kept figure against the same figure computed from scratch from the records: the
/// hierarchy against `parent_id`, then the zones of each public action, the counts and sums
/// per zone. Returns one French line per difference (empty when
/// all agree); a test calls it after every kind of write.
pub fn verifier_compteurs(conn: &Connection) -> Result<Vec<String>> {
    // computed as the collectivité pages computed them before 0019, through the hierarchy
    // once it is found right
    let zones = format!(
        "WITH zones(collectivite_id, action_id, sans_debut, debut) AS (
            SELECT DISTINCT s.ancetre_id, a.id, a.debut IS NULL, a.debut
            FROM action_publiee a
            JOIN (SELECT action_id, collectivite_id FROM action_lieu
                  UNION SELECT action_id, collectivite_id FROM action_point
                        WHERE collectivite_id IS NOT NULL
                  UNION SELECT al.action_id, lo.collectivite_id FROM action_localite al
                        JOIN localite lo ON lo.id = al.localite_id
                  UNION SELECT a.id, pa.collectivite_id FROM action a
                        JOIN partie pa ON pa.partenariat_id = a.partenariat_id) u
              ON u.action_id = a.id
            JOIN collectivite_ancetre s ON s.collectivite_id = u.collectivite_id
            UNION SELECT {}, a.id, a.debut IS NULL, a.debut FROM action_publiee a)",
        TOUT_LE_REGISTRE
    );
    let comparaisons = [
        (
            "hiérarchie (collectivite_ancetre)",
            // each unit's ancestors are itself and its parent's: checked unit by unit, this
            // holds only for the closure, without walking the hierarchy (seconds)
            "SELECT id, id FROM collectivite
             UNION SELECT c.id, a.ancetre_id FROM collectivite c
                   JOIN collectivite_ancetre a ON a.collectivite_id = c.parent_id"
                .to_owned(),
            "SELECT collectivite_id, ancetre_id FROM collectivite_ancetre",
        ),
        (
            "zones des actions (action_zone)",
            format!("{zones} SELECT * FROM zones"),
            "SELECT collectivite_id, action_id, sans_debut, debut FROM action_zone",
        ),
        (
            "actions par zone (zone_compteur)",
            format!("{zones} SELECT collectivite_id, count(*) FROM zones GROUP BY collectivite_id"),
            "SELECT collectivite_id, actions FROM zone_compteur",
        ),
        (
            "financements par zone (zone_financement)",
            format!(
                "{zones} SELECT z.collectivite_id, f.type, f.devise, sum(f.montant), count(*)
                 FROM zones z JOIN financement f ON f.action_id = z.action_id
                 GROUP BY z.collectivite_id, f.type, f.devise"
            ),
            "SELECT collectivite_id, type, devise, montant, nombre FROM zone_financement",
        ),
        (
            "pays des partenariats (partenariat_pays)",
            "SELECT DISTINCT c.pays, p.id FROM partenariat_publie p
             JOIN partie pa ON pa.partenariat_id = p.id
             JOIN collectivite c ON c.id = pa.collectivite_id WHERE c.pays <> 'ML'"
                .to_owned(),
            "SELECT pays, partenariat_id FROM partenariat_pays",
        ),
        (
            "partenariats par pays (pays_compteur)",
            "SELECT c.pays, count(DISTINCT p.id) FROM partenariat_publie p
             JOIN partie pa ON pa.partenariat_id = p.id
             JOIN collectivite c ON c.id = pa.collectivite_id WHERE c.pays <> 'ML'
             GROUP BY c.pays"
                .to_owned(),
            "SELECT pays, partenariats FROM pays_compteur",
        ),
    ];
    let mut ecarts = Vec::new();
    for (nom, attendu, tenu) in comparaisons {
        for (sens, sql) in [
            ("manque", format!("{attendu} EXCEPT {tenu}")),
            (
                "en trop",
                format!("SELECT * FROM ({tenu}) EXCEPT SELECT * FROM ({attendu})"),
            ),
        ] {
            let n: u64 =
                conn.query_row(&format!("SELECT count(*) FROM ({sql})"), [], |r| r.get(0))?;
            if n > 0 {
                ecarts.push(format!("{nom} : {n} ligne(s) {sens}"));
            }
        }
    }
    Ok(ecarts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        ActeurId, CollectiviteId, Devise, Email, Montant, Niveau, NouveauFinancement,
        NouveauPartenariat, NouvelActeur, NouvelleCollectivite, Pays, Periode, Role,
        StatutPartenariat, TypeFinancement, TypeOrganisation, Validation,
    };
    use crate::store::validation::{self, Objet};
    use crate::store::{acteur, action, collectivite, compte, essai, financement, partenariat};

    fn juste(conn: &Connection, apres: &str) {
        let ecarts = verifier_compteurs(conn).unwrap();
        assert!(ecarts.is_empty(), "après {apres} : {ecarts:?}");
    }

    fn argent(conn: &Connection, a: crate::model::ActionId, source: ActeurId, unites: i64) -> i64 {
        financement::creer(
            conn,
            NouveauFinancement {
                action: a,
                source,
                type_financement: TypeFinancement::Engagement,
                montant: Montant::new(unites, Devise::Xof).unwrap(),
                annee: 2020,
            },
        )
        .unwrap()
        .0
    }

    #[test]
    fn every_kind_of_write_keeps_the_figures_equal_to_a_recomputation() {
        let (_dossier, store) = essai::base();
        let conn = store.connexion().unwrap();
        let unite = |niveau, nom, parent: Option<CollectiviteId>| {
            collectivite::inserer(
                &conn,
                NouvelleCollectivite {
                    parent,
                    ..NouvelleCollectivite::new(Pays::MALI, niveau, nom)
                },
            )
            .unwrap()
        };
        let region = unite(Niveau::Region, "Kayes", None);
        let cercle = unite(Niveau::Cercle, "Kita", Some(region));
        let commune = unite(Niveau::Commune, "Kita", Some(cercle));
        let autre_cercle = unite(Niveau::Cercle, "Bafoulabé", Some(region));
        let (kayes, angers) = essai::kayes_angers(&conn);
        juste(&conn, "la hiérarchie");
        let admin = compte::creer(
            &conn,
            &Email::new("admin@mdat.ml").unwrap(),
            "$argon2id$x",
            Role::AdminNational,
            &[],
            &[],
        )
        .unwrap();
        let source = acteur::creer(
            &conn,
            NouvelActeur {
                nom: "Ville d'Angers".into(),
                type_organisation: TypeOrganisation::Autre,
                identifiant_iati: None,
                pays: None,
                collectivite: None,
            },
        )
        .unwrap();
        // a declared partenariat and its action: nothing public yet
        let p = partenariat::creer_par(
            &conn,
            NouveauPartenariat {
                validation: Validation::Soumis,
                ..NouveauPartenariat::new(
                    "Kita – Angers",
                    StatutPartenariat::Actif,
                    vec![kayes, angers],
                )
            },
            None,
        )
        .unwrap();
        let a = action::creer(&conn, essai::puits(p, vec![commune])).unwrap();
        let f = argent(&conn, a, source, 1_000);
        juste(&conn, "une déclaration");
        assert_eq!(actions(&conn, region.0).unwrap(), 0);
        validation::valider(&conn, Objet::Partenariat(p), admin).unwrap();
        juste(&conn, "une validation");
        assert_eq!(actions(&conn, region.0).unwrap(), 1);
        assert_eq!(actions(&conn, TOUT_LE_REGISTRE).unwrap(), 1);
        // money added, changed, moved, removed
        let g = argent(&conn, a, source, 500);
        conn.execute(
            "UPDATE financement SET montant = 700, devise = 'EUR' WHERE id = ?1",
            [g],
        )
        .unwrap();
        juste(&conn, "un financement changé");
        let b = action::creer(&conn, essai::puits(p, vec![autre_cercle])).unwrap();
        conn.execute(
            "UPDATE financement SET action_id = ?2 WHERE id = ?1",
            [g, b.0],
        )
        .unwrap();
        juste(&conn, "un financement déplacé");
        conn.execute("DELETE FROM financement WHERE id = ?1", [f])
            .unwrap();
        juste(&conn, "un financement retiré");
        // an edit: places, dates; then sent back, validated, archived, restored
        action::changer(
            &conn,
            a,
            crate::model::NouvelleAction {
                periode: Periode::new(Some(time::macros::date!(2021 - 01 - 01)), None).unwrap(),
                ..essai::puits(p, vec![autre_cercle, commune])
            },
        )
        .unwrap();
        juste(&conn, "une modification");
        conn.execute(
            "DELETE FROM action_lieu WHERE action_id = ?1 AND collectivite_id = ?2",
            [a.0, commune.0],
        )
        .unwrap();
        juste(&conn, "un lieu retiré");
        validation::renvoyer(&conn, Objet::Action(b), admin, "Précisez le lieu.").unwrap();
        juste(&conn, "un renvoi");
        validation::valider(&conn, Objet::Action(b), admin).unwrap();
        validation::archiver(&conn, Objet::Action(a), admin).unwrap();
        juste(&conn, "un archivage");
        validation::restaurer(&conn, Objet::Action(a), admin).unwrap();
        validation::archiver(&conn, Objet::Partenariat(p), admin).unwrap();
        juste(&conn, "l'archivage d'un partenariat");
        assert_eq!(actions(&conn, TOUT_LE_REGISTRE).unwrap(), 0);
        validation::restaurer(&conn, Objet::Partenariat(p), admin).unwrap();
        // parties: a Malian unit of the région joins, then leaves
        partenariat::ajouter_partie(&conn, p, cercle).unwrap();
        juste(&conn, "une partie ajoutée");
        partenariat::retirer_partie(&conn, p, cercle).unwrap();
        juste(&conn, "une partie retirée");
        // the référentiel moves a cercle to another région, then deletes an action
        let autre_region = unite(Niveau::Region, "Koulikoro", None);
        conn.execute(
            "UPDATE collectivite SET parent_id = ?2 WHERE id = ?1",
            [autre_cercle.0, autre_region.0],
        )
        .unwrap();
        juste(&conn, "un cercle déplacé");
        conn.execute(
            "UPDATE collectivite SET pays = 'BE', niveau = 'niveau_3' WHERE id = ?1",
            [angers.0],
        )
        .unwrap();
        juste(&conn, "une partie étrangère changée de pays");
        assert_eq!(actions(&conn, autre_region.0).unwrap(), 2);
        conn.execute("DELETE FROM action WHERE id = ?1", [a.0])
            .unwrap();
        juste(&conn, "une action supprimée");
        conn.execute("DELETE FROM partenariat WHERE id = ?1", [p.0])
            .unwrap();
        juste(&conn, "un partenariat supprimé");
        assert_eq!(actions(&conn, TOUT_LE_REGISTRE).unwrap(), 0);
    }

    #[test]
    fn the_check_sees_a_figure_that_drifted() {
        let (_dossier, store) = essai::base();
        let conn = store.connexion().unwrap();
        let puits = essai::puits_de_kayes(&conn);
        juste(&conn, "une action");
        conn.execute(
            "UPDATE zone_compteur SET actions = actions + 1
             WHERE collectivite_id = (SELECT collectivite_id FROM action_lieu WHERE action_id = ?1)",
            [puits.0],
        )
        .unwrap();
        assert_eq!(
            verifier_compteurs(&conn).unwrap(),
            [
                "actions par zone (zone_compteur) : 1 ligne(s) manque",
                "actions par zone (zone_compteur) : 1 ligne(s) en trop"
            ]
        );
    }
}
