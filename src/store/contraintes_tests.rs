//! The schema keeps the domain's invariants on its own, even against SQL that bypasses the
//! model: each test writes a forbidden row directly and expects SQLite to refuse it.

use rusqlite::{Connection, params};
use time::macros::date;

use super::{Store, StoreError, action, collectivite, partenariat};
use crate::model::{
    Axe, Code, CollectiviteId, Devise, Domaine, ErreurModele, Etape, EtapeDatee, Nature, Niveau,
    NouveauPartenariat, NouvelleCollectivite, Pays, Reconduction, RoleIntermediaire, StatutAction,
    StatutPartenariat, TypeFinancement, TypeOrganisation,
};

struct Base {
    _dossier: tempfile::TempDir,
    store: Store,
}

fn base() -> Base {
    let dossier = tempfile::tempdir().unwrap();
    let store = Store::ouvrir(&dossier.path().join("essai.db")).unwrap();
    Base {
        _dossier: dossier,
        store,
    }
}

fn unite(conn: &Connection, pays: Pays, niveau: Niveau, nom: &str) -> CollectiviteId {
    collectivite::inserer(conn, NouvelleCollectivite::new(pays, niveau, nom)).unwrap()
}

/// A partenariat between two Malian communes and one French one, with one action.
fn jumelage(conn: &Connection) -> (i64, CollectiviteId, CollectiviteId, CollectiviteId) {
    let a = unite(conn, Pays::MALI, Niveau::Commune, "Kayes");
    let b = unite(conn, Pays::MALI, Niveau::Commune, "Logo");
    let f = unite(conn, Pays::FRANCE, Niveau::Commune, "Angers");
    let p = partenariat::creer(
        conn,
        NouveauPartenariat::new("Jumelage", StatutPartenariat::Actif, vec![a, b, f]),
    )
    .unwrap();
    action::creer(conn, super::essai::puits(p, vec![a])).unwrap();
    conn.execute(
        "INSERT INTO acteur (nom, type_organisation) VALUES ('Fonds', '11')",
        [],
    )
    .unwrap();
    (p.0, a, b, f)
}

fn refuse(conn: &Connection, sql: &str) {
    assert!(conn.execute_batch(sql).is_err(), "accepted: {sql}");
}

fn accepte(conn: &Connection, sql: &str) {
    conn.execute_batch(&format!(
        "SAVEPOINT essai; {sql}; ROLLBACK TO essai; RELEASE essai"
    ))
    .unwrap_or_else(|e| panic!("refused: {sql}: {e}"));
}

/// Every code of a vocabulary is accepted by its column, and nothing else.
fn vocabulaire<T: Code>(conn: &Connection, modele: &str) {
    for valeur in T::TOUS {
        accepte(conn, &modele.replace("{}", valeur.code()));
    }
    refuse(conn, &modele.replace("{}", "inconnu"));
}

#[test]
fn every_vocabulary_of_the_model_matches_its_column() {
    let b = base();
    let conn = b.store.connexion().unwrap();
    jumelage(&conn);
    vocabulaire::<Niveau>(
        &conn,
        "INSERT INTO collectivite (pays, niveau, nom, nom_normalise) VALUES \
         (CASE WHEN '{}' IN ('region','district','cercle','commune') THEN 'ML' \
               WHEN '{}' LIKE 'niveau%' THEN 'CA' ELSE 'FR' END, '{}', 'X', 'x')",
    );
    vocabulaire::<StatutPartenariat>(
        &conn,
        "INSERT INTO partenariat (titre, titre_tri, statut) VALUES ('T', 't', '{}')",
    );
    vocabulaire::<Etape>(
        &conn,
        "INSERT INTO etape (partenariat_id, etape, depuis) VALUES (1, '{}', '2000-01-01')",
    );
    vocabulaire::<Reconduction>(
        &conn,
        "INSERT INTO convention (partenariat_id, intitule, reconduction) VALUES (1, 'C', '{}')",
    );
    vocabulaire::<RoleIntermediaire>(
        &conn,
        "INSERT INTO intermediaire (partenariat_id, acteur_id, role) VALUES (1, 1, '{}')",
    );
    vocabulaire::<TypeOrganisation>(
        &conn,
        "INSERT INTO acteur (nom, type_organisation) VALUES ('A', '{}')",
    );
    vocabulaire::<crate::model::Role>(
        &conn,
        "INSERT INTO compte (email, hash, role) VALUES ('{}@exemple.ml', '$argon2id$x', '{}')",
    );
    let action = "INSERT INTO action (partenariat_id, titre, axe, domaine, nature, statut) VALUES \
                  (1, 'A', 'AXE', 'DOMAINE', 'NATURE', 'STATUT')";
    let action = |axe: &str, domaine: &str, nature: &str, statut: &str| {
        action
            .replace("AXE", axe)
            .replace("DOMAINE", domaine)
            .replace("NATURE", nature)
            .replace("STATUT", statut)
    };
    vocabulaire::<Axe>(&conn, &action("{}", "sante", "physique", "prevue"));
    vocabulaire::<Domaine>(
        &conn,
        &action("developpement_local", "{}", "physique", "prevue"),
    );
    vocabulaire::<Nature>(
        &conn,
        &action("developpement_local", "sante", "{}", "prevue"),
    );
    vocabulaire::<StatutAction>(
        &conn,
        &action("developpement_local", "sante", "physique", "{}"),
    );
    let financement = "INSERT INTO financement (action_id, source_id, type, montant, devise, annee) VALUES \
                       (1, 1, 'TYPE', 100, 'DEVISE', 2020)";
    vocabulaire::<TypeFinancement>(
        &conn,
        &financement.replace("TYPE", "{}").replace("DEVISE", "EUR"),
    );
    vocabulaire::<Devise>(
        &conn,
        &financement
            .replace("TYPE", "engagement")
            .replace("DEVISE", "{}"),
    );
}

#[test]
fn amounts_are_non_negative_integers() {
    let b = base();
    let conn = b.store.connexion().unwrap();
    jumelage(&conn);
    let insertion = |montant: &str| {
        format!(
            "INSERT INTO financement (action_id, source_id, type, montant, devise, annee) \
             VALUES (1, 1, 'engagement', {montant}, 'XOF', 2020)"
        )
    };
    accepte(&conn, &insertion("0"));
    accepte(&conn, &insertion("655957"));
    refuse(&conn, &insertion("-1"));
    refuse(&conn, &insertion("12.5"));
    refuse(&conn, &insertion("'beaucoup'"));
    refuse(&conn, &insertion("NULL"));
    refuse(
        &conn,
        "INSERT INTO financement (action_id, source_id, type, montant, devise, annee) VALUES (1, 1, 'engagement', 1, 'XOF', 1850)",
    );
}

#[test]
fn periods_and_dates_are_checked() {
    let b = base();
    let conn = b.store.connexion().unwrap();
    jumelage(&conn);
    let action = |debut: &str, fin: &str| {
        format!(
            "INSERT INTO action (partenariat_id, titre, axe, domaine, nature, statut, debut, fin) \
             VALUES (1, 'A', 'developpement_local', 'culture', 'physique', 'prevue', {debut}, {fin})"
        )
    };
    accepte(&conn, &action("'2020-01-01'", "'2020-01-01'"));
    accepte(&conn, &action("NULL", "'2020-01-01'"));
    refuse(&conn, &action("'2020-01-02'", "'2020-01-01'"));
    refuse(&conn, &action("'2020-02-30'", "NULL"));
    refuse(&conn, &action("'01/02/2020'", "NULL"));
    refuse(
        &conn,
        "INSERT INTO collectivite (pays, niveau, nom, nom_normalise, valide_du, valide_au) \
         VALUES ('FR', 'region', 'R', 'r', '2016-01-01', '2015-12-31')",
    );
    refuse(
        &conn,
        "INSERT INTO convention (partenariat_id, intitule, duree_mois) VALUES (1, 'C', 0)",
    );
}

#[test]
fn levels_belong_to_their_country() {
    let b = base();
    let conn = b.store.connexion().unwrap();
    let insertion = |pays: &str, niveau: &str| {
        format!(
            "INSERT INTO collectivite (pays, niveau, nom, nom_normalise) VALUES ('{pays}', '{niveau}', 'X', 'x')"
        )
    };
    accepte(&conn, &insertion("ML", "cercle"));
    accepte(&conn, &insertion("FR", "departement"));
    accepte(&conn, &insertion("CA", "niveau_3"));
    refuse(&conn, &insertion("ML", "departement"));
    refuse(&conn, &insertion("FR", "cercle"));
    refuse(&conn, &insertion("CA", "commune"));
    refuse(&conn, &insertion("fr", "commune"));
    refuse(
        &conn,
        "INSERT INTO collectivite (pays, niveau, nom, nom_normalise) VALUES ('ML', 'commune', '  ', '')",
    );
}

#[test]
fn a_partnership_keeps_both_sides() {
    let b = base();
    let conn = b.store.connexion().unwrap();
    let (p, a, second_malien, f) = jumelage(&conn);
    // One of two Malian parties may go; the last one, or the only foreign one, may not.
    accepte(
        &conn,
        &format!(
            "DELETE FROM partie WHERE partenariat_id = {p} AND collectivite_id = {second_malien}"
        ),
    );
    conn.execute(
        "DELETE FROM partie WHERE partenariat_id = ?1 AND collectivite_id = ?2",
        params![p, second_malien],
    )
    .unwrap();
    refuse(
        &conn,
        &format!("DELETE FROM partie WHERE partenariat_id = {p} AND collectivite_id = {a}"),
    );
    refuse(
        &conn,
        &format!("DELETE FROM partie WHERE partenariat_id = {p} AND collectivite_id = {f}"),
    );
    refuse(
        &conn,
        &format!(
            "UPDATE partie SET collectivite_id = {a} WHERE partenariat_id = {p} AND collectivite_id = {f}"
        ),
    );
    // Deleting the partenariat itself takes its parties with it.
    accepte(&conn, &format!("DELETE FROM partenariat WHERE id = {p}"));
}

#[test]
fn the_store_refuses_a_one_sided_partnership_and_writes_nothing() {
    let b = base();
    let conn = b.store.connexion().unwrap();
    let f1 = unite(&conn, Pays::FRANCE, Niveau::Commune, "Montreuil");
    let f2 = unite(&conn, Pays::FRANCE, Niveau::Commune, "Maurepas");
    let err = partenariat::creer(
        &conn,
        NouveauPartenariat::new("Sans Mali", StatutPartenariat::Actif, vec![f1, f2]),
    )
    .unwrap_err();
    assert!(matches!(
        err,
        StoreError::Modele(ErreurModele::PartieManquante("malienne"))
    ));
    let err = partenariat::creer(
        &conn,
        NouveauPartenariat::new(
            "Fantôme",
            StatutPartenariat::Actif,
            vec![f1, CollectiviteId(999)],
        ),
    )
    .unwrap_err();
    assert!(matches!(err, StoreError::Introuvable(_)));
    let n: i64 = conn
        .query_row("SELECT count(*) FROM partenariat", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 0);
}

#[test]
fn stages_are_ordered_in_the_schema_too() {
    let b = base();
    let conn = b.store.connexion().unwrap();
    let (p, ..) = jumelage(&conn);
    let etape = |etape: &str, depuis: &str| {
        format!(
            "INSERT INTO etape (partenariat_id, etape, depuis) VALUES ({p}, '{etape}', '{depuis}')"
        )
    };
    conn.execute_batch(&etape("jumelage_culturel", "1995-01-01"))
        .unwrap();
    accepte(&conn, &etape("amitie", "1990-01-01"));
    accepte(&conn, &etape("convention_partenariat", "2004-01-01"));
    refuse(&conn, &etape("amitie", "2000-01-01"));
    refuse(&conn, &etape("jumelage_cooperation", "1994-01-01"));
    refuse(&conn, &etape("jumelage_culturel", "1999-01-01"));
    refuse(&conn, &etape("convention_partenariat", "1995-01-01"));
    refuse(
        &conn,
        &format!("UPDATE etape SET depuis = '1980-01-01' WHERE partenariat_id = {p}"),
    );

    // Through the store, the model's message explains the refusal and nothing is written.
    let err = partenariat::ajouter_etape(
        &conn,
        crate::model::PartenariatId(p),
        EtapeDatee {
            etape: Etape::Amitie,
            depuis: date!(2000 - 01 - 01),
            note: None,
        },
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("contredit l'étape « Jumelage culturel »"),
        "{err}"
    );
    let n: i64 = conn
        .query_row("SELECT count(*) FROM etape", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);
}

#[test]
fn references_must_exist() {
    let b = base();
    let conn = b.store.connexion().unwrap();
    jumelage(&conn);
    refuse(
        &conn,
        "INSERT INTO partie (partenariat_id, collectivite_id) VALUES (1, 999)",
    );
    refuse(
        &conn,
        "INSERT INTO action_lieu (action_id, collectivite_id) VALUES (1, 999)",
    );
    refuse(
        &conn,
        "INSERT INTO financement (action_id, source_id, type, montant, devise, annee) VALUES (1, 999, 'engagement', 1, 'EUR', 2020)",
    );
    refuse(
        &conn,
        "INSERT INTO collectivite (pays, niveau, nom, nom_normalise, parent_id) VALUES ('ML', 'cercle', 'C', 'c', 999)",
    );
    // A current official code names one unit; a former unit may share it with its successor.
    let avec_code = |nom: &str, fin: &str| {
        format!(
            "INSERT INTO collectivite (pays, niveau, code, nom, nom_normalise, valide_au) \
             VALUES ('FR', 'commune', '91228', '{nom}', '{nom}', {fin})"
        )
    };
    conn.execute_batch(&avec_code("evry", "'2018-12-31'"))
        .unwrap();
    conn.execute_batch(&avec_code("evry courcouronnes", "NULL"))
        .unwrap();
    refuse(&conn, &avec_code("doublon", "NULL"));
}

#[test]
fn a_contact_has_a_name_a_way_to_be_reached_and_follows_its_partenariat() {
    let b = base();
    let conn = b.store.connexion().unwrap();
    let (p, a, _, _) = jumelage(&conn);
    let ligne = |colonnes: &str| {
        format!(
            "INSERT INTO contact (partenariat_id, nom, fonction, email, telephone, collectivite_id) \
             VALUES ({p}, {colonnes})"
        )
    };
    accepte(
        &conn,
        &ligne(&format!("'Awa', NULL, 'awa@kayes.ml', NULL, {}", a.0)),
    );
    accepte(
        &conn,
        &ligne("'Awa', 'Maire', NULL, '+223 21 52 00 00', NULL"),
    );
    for mauvais in [
        "' ', NULL, 'awa@kayes.ml', NULL, NULL",
        "'Awa', ' ', 'awa@kayes.ml', NULL, NULL",
        "'Awa', NULL, NULL, NULL, NULL",
        "'Awa', NULL, 'Awa@Kayes.ml', NULL, NULL",
        "'Awa', NULL, 'awa.kayes', NULL, NULL",
        "'Awa', NULL, NULL, '  ', NULL",
        "'Awa', NULL, NULL, '12345678901234567890123456789012345678901', NULL",
        "'Awa', NULL, 'awa@kayes.ml', NULL, 999999",
    ] {
        refuse(&conn, &ligne(mauvais));
    }
    refuse(
        &conn,
        "INSERT INTO contact (partenariat_id, nom, email) VALUES (999999, 'Awa', 'awa@kayes.ml')",
    );
    // Removing the partenariat removes its contacts.
    conn.execute_batch(&ligne("'Awa', NULL, 'awa@kayes.ml', NULL, NULL"))
        .unwrap();
    conn.execute_batch(&format!("DELETE FROM partenariat WHERE id = {p}"))
        .unwrap();
    let n: i64 = conn
        .query_row("SELECT count(*) FROM contact", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 0);
}

#[test]
fn an_action_point_stays_on_the_globe_in_order_and_under_fifty() {
    let b = base();
    let conn = b.store.connexion().unwrap();
    let (_, a, _, _) = jumelage(&conn);
    let point = |rang: &str, lat: &str, lon: &str, libelle: &str, unite: &str| {
        format!(
            "INSERT INTO action_point (action_id, rang, latitude, longitude, libelle, collectivite_id)
             VALUES (1, {rang}, {lat}, {lon}, {libelle}, {unite})"
        )
    };
    accepte(
        &conn,
        &point("0", "14.4485", "-11.4389", "'puits'", &a.to_string()),
    );
    accepte(&conn, &point("49", "-90", "180", "NULL", "NULL"));
    refuse(&conn, &point("50", "0", "0", "NULL", "NULL"));
    refuse(&conn, &point("-1", "0", "0", "NULL", "NULL"));
    refuse(&conn, &point("'a'", "0", "0", "NULL", "NULL"));
    refuse(&conn, &point("0", "90.5", "0", "NULL", "NULL"));
    refuse(&conn, &point("0", "0", "-180.1", "NULL", "NULL"));
    refuse(&conn, &point("0", "'nord'", "0", "NULL", "NULL"));
    refuse(&conn, &point("0", "NULL", "0", "NULL", "NULL"));
    refuse(&conn, &point("0", "0", "0", "' '", "NULL"));
    refuse(&conn, &point("0", "0", "0", "'a | b'", "NULL"));
    refuse(
        &conn,
        &point("0", "0", "0", "'a' || char(10) || 'b'", "NULL"),
    );
    refuse(&conn, &point("0", "0", "0", "NULL", "999"));
    conn.execute_batch(&point("0", "1", "2", "NULL", "NULL"))
        .unwrap();
    refuse(&conn, &point("0", "3", "4", "NULL", "NULL"));
    // Deleting the action takes its points with it.
    conn.execute_batch("DELETE FROM financement; DELETE FROM action")
        .unwrap();
    let reste: i64 = conn
        .query_row("SELECT count(*) FROM action_point", [], |r| r.get(0))
        .unwrap();
    assert_eq!(reste, 0);
}

#[test]
fn a_localite_lies_in_a_malian_commune_or_cercle_and_follows_its_actions() {
    let b = base();
    let conn = b.store.connexion().unwrap();
    let (action, kayes, _, angers) = jumelage(&conn);
    let cercle = unite(&conn, Pays::MALI, Niveau::Cercle, "Bla");
    let region = unite(&conn, Pays::MALI, Niveau::Region, "Ségou");
    let localite = |pcode: &str, nom: &str, collectivite: i64, lon: f64, lat: f64| {
        format!(
            "INSERT INTO localite (pcode, nom, collectivite_id, longitude, latitude, source) \
             VALUES ('{pcode}', '{nom}', {collectivite}, {lon}, {lat}, 'COD')"
        )
    };
    accepte(
        &conn,
        &localite("ML040313001", "Koloni", cercle.0, -5.3, 12.7),
    );
    conn.execute_batch(&localite("ML010112001", "Kayes Ndi", kayes.0, -11.4, 14.4))
        .unwrap();
    for sql in [
        localite("ML010112001", "Doublon", kayes.0, -11.4, 14.4),
        localite("ML01011200", "Court", kayes.0, -11.4, 14.4),
        localite("FR010112002", "Ailleurs", kayes.0, -11.4, 14.4),
        localite("ML010112003", " ", kayes.0, -11.4, 14.4),
        localite("ML010112004", "Hors", kayes.0, -11.4, 94.0),
        localite("ML010112005", "Région", region.0, -11.4, 14.4),
        localite("ML010112006", "Angers", angers.0, -0.5, 47.4),
        localite("ML010112007", "Nulle part", 999, -11.4, 14.4),
    ] {
        refuse(&conn, &sql);
    }
    refuse(
        &conn,
        &format!(
            "UPDATE localite SET collectivite_id = {} WHERE pcode = 'ML010112001'",
            angers.0
        ),
    );
    refuse(
        &conn,
        &format!("INSERT INTO action_localite (action_id, localite_id) VALUES ({action}, 999)"),
    );
    conn.execute_batch(&format!(
        "INSERT INTO action_localite (action_id, localite_id) SELECT {action}, id FROM localite"
    ))
    .unwrap();
    conn.execute_batch(&format!("DELETE FROM action WHERE id = {action}"))
        .unwrap();
    let restent: i64 = conn
        .query_row("SELECT count(*) FROM action_localite", [], |r| r.get(0))
        .unwrap();
    assert_eq!(restent, 0, "an action's localités go with it");
}
