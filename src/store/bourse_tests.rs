//! The bourse's storage on a small hand-built Mali: the région of Kayes, its cercle, two
//! communes (Kayes with a partner in Angers, Sadiola with none), and Lyon.

use time::macros::date;

use super::bourse::{self, Annonceur, Cote, Origine, Selection};
use super::essai::base;
use super::{
    Connection, StoreError, action, collectivite, compte, journal, partenariat, validation,
};
use crate::model::bourse::{Annonce, Capacite, Demande, EtatAnnonce, Langue, Offre, rapprocher};
use crate::model::{
    CollectiviteId, CompteId, Domaine, Email, Etape, Niveau, NouveauPartenariat,
    NouvelleCollectivite, Pays, Role, StatutPartenariat, Validation,
};

const AUJOURD_HUI: time::Date = date!(2026 - 12 - 01);

struct Monde {
    kayes: CollectiviteId,
    sadiola: CollectiviteId,
    region: CollectiviteId,
    angers: CollectiviteId,
    lyon: CollectiviteId,
    admin: CompteId,
}

fn monde(conn: &Connection) -> Monde {
    let unite = |pays, niveau, nom: &str, parent| {
        collectivite::inserer(
            conn,
            NouvelleCollectivite {
                parent,
                ..NouvelleCollectivite::new(pays, niveau, nom)
            },
        )
        .unwrap()
    };
    let region = unite(Pays::MALI, Niveau::Region, "Kayes", None);
    let cercle = unite(Pays::MALI, Niveau::Cercle, "Kayes", Some(region));
    let kayes = unite(Pays::MALI, Niveau::Commune, "Kayes", Some(cercle));
    let sadiola = unite(Pays::MALI, Niveau::Commune, "Sadiola", Some(cercle));
    let angers = unite(Pays::FRANCE, Niveau::Commune, "Angers", None);
    let lyon = unite(Pays::FRANCE, Niveau::Commune, "Lyon", None);
    let p = partenariat::creer(
        conn,
        NouveauPartenariat::new(
            "Kayes – Angers",
            StatutPartenariat::Actif,
            vec![kayes, angers],
        ),
    )
    .unwrap();
    action::creer(conn, super::essai::puits(p, vec![kayes])).unwrap();
    let admin = compte::creer(
        conn,
        &Email::new("admin@mdat.ml").unwrap(),
        "$argon2id$essai",
        Role::AdminNational,
        &[],
        &[],
    )
    .unwrap();
    Monde {
        kayes,
        sadiola,
        region,
        angers,
        lyon,
        admin,
    }
}

fn annonce(domaines: Vec<Domaine>) -> Annonce {
    Annonce {
        titre: "Eau potable".into(),
        description: "Deux forages et leur comité de gestion.".into(),
        domaines,
        langues: vec![Langue::Francais],
        ouverte_jusqu_au: date!(2027 - 06 - 30),
    }
}

fn demande() -> Demande {
    Demande {
        annonce: annonce(vec![Domaine::EauAssainissement]),
        axes: Vec::new(),
        niveau_souhaite: None,
        pays_souhaite: None,
    }
}

fn offre(regions: Vec<CollectiviteId>) -> Offre {
    Offre {
        annonce: annonce(vec![Domaine::EauAssainissement, Domaine::Sante]),
        capacites: vec![Capacite::AppuiTechnique],
        financement: None,
        regions_connues: regions,
    }
}

fn publiques(conn: &Connection, date: time::Date) -> (usize, usize) {
    let s = Selection {
        publiques_au: Some(date),
        ..Selection::default()
    };
    (
        bourse::demandes(conn, &s).unwrap().len(),
        bourse::offres(conn, &s).unwrap().len(),
    )
}

fn regle(erreur: StoreError) -> String {
    match erreur {
        StoreError::Modele(e) => e.to_string(),
        autre => panic!("une règle de la bourse attendue, pas {autre:?}"),
    }
}

#[test]
fn a_demande_and_an_offre_are_public_once_validated_and_while_open() {
    let (_d, store) = base();
    let conn = store.connexion().unwrap();
    let m = monde(&conn);
    let d = bourse::deposer_demande(&conn, m.sadiola, demande(), None, None, AUJOURD_HUI).unwrap();
    let origine = Origine {
        collectivite: Some(m.lyon),
        acteur: None,
    };
    let o =
        bourse::deposer_offre(&conn, origine, offre(vec![m.region]), None, AUJOURD_HUI).unwrap();
    assert_eq!(
        publiques(&conn, AUJOURD_HUI),
        (0, 0),
        "waiting for the review"
    );
    assert_eq!(bourse::nombre_en_revue(&conn).unwrap(), (1, 1));

    bourse::valider(&conn, Annonceur::Demande(d), m.admin).unwrap();
    bourse::valider(&conn, Annonceur::Offre(o), m.admin).unwrap();
    assert_eq!(publiques(&conn, AUJOURD_HUI), (1, 1));
    assert_eq!(publiques(&conn, date!(2027 - 07 - 01)), (0, 0), "expired");
    let lue = bourse::requise_offre(&conn, o).unwrap();
    assert_eq!(lue.regions_connues, vec!["Kayes".to_owned()]);
    assert_eq!(lue.auteur(), "Lyon (commune)");
    let lue = bourse::requise_demande(&conn, d).unwrap();
    assert_eq!(
        lue.collectivite.region,
        Some((m.region, "Kayes".to_owned()))
    );
    assert_eq!(
        lue.etat.au(
            &lue.demande.annonce.ouverte_jusqu_au,
            &date!(2027 - 07 - 01)
        ),
        "Expirée"
    );

    // a change goes back to the review; a withdrawal leaves the public pages
    let mut autre = demande();
    autre.annonce.titre = "Eau potable et latrines".into();
    bourse::modifier_demande(&conn, d, autre, None, m.admin, AUJOURD_HUI).unwrap();
    assert_eq!(publiques(&conn, AUJOURD_HUI), (0, 1));
    bourse::retirer(&conn, Annonceur::Offre(o), m.admin).unwrap();
    assert_eq!(publiques(&conn, AUJOURD_HUI), (0, 0));
    assert!(bourse::retirer(&conn, Annonceur::Offre(o), m.admin).is_err());

    let operations: Vec<String> = journal::historique(&conn, "bourse_offre", o.0)
        .unwrap()
        .into_iter()
        .map(|e| e.operation)
        .collect();
    assert_eq!(operations, ["creation", "validation", "retrait"]);
}

#[test]
fn a_demande_comes_from_mali_and_an_offre_from_abroad() {
    let (_d, store) = base();
    let conn = store.connexion().unwrap();
    let m = monde(&conn);
    let erreur = bourse::deposer_demande(&conn, m.lyon, demande(), None, None, AUJOURD_HUI);
    assert!(regle(erreur.unwrap_err()).contains("collectivité malienne"));
    let depuis = |collectivite| Origine {
        collectivite: Some(collectivite),
        acteur: None,
    };
    let erreur = bourse::deposer_offre(&conn, depuis(m.kayes), offre(vec![]), None, AUJOURD_HUI);
    assert!(regle(erreur.unwrap_err()).contains("vient de l'étranger"));
    let erreur = bourse::deposer_offre(
        &conn,
        depuis(m.lyon),
        offre(vec![m.sadiola]),
        None,
        AUJOURD_HUI,
    );
    assert!(regle(erreur.unwrap_err()).contains("n'est pas une région du Mali"));
    let personne = Origine {
        collectivite: None,
        acteur: None,
    };
    assert!(bourse::deposer_offre(&conn, personne, offre(vec![]), None, AUJOURD_HUI).is_err());
    assert_eq!(
        bourse::nombre_en_revue(&conn).unwrap(),
        (0, 0),
        "nothing written"
    );
}

#[test]
fn the_matching_knows_partners_white_zones_and_neighbours() {
    let (_d, store) = base();
    let conn = store.connexion().unwrap();
    let m = monde(&conn);
    let de_kayes =
        bourse::deposer_demande(&conn, m.kayes, demande(), None, None, AUJOURD_HUI).unwrap();
    let de_sadiola =
        bourse::deposer_demande(&conn, m.sadiola, demande(), None, None, AUJOURD_HUI).unwrap();
    let depuis = |collectivite| Origine {
        collectivite: Some(collectivite),
        acteur: None,
    };
    let d_angers =
        bourse::deposer_offre(&conn, depuis(m.angers), offre(vec![]), None, AUJOURD_HUI).unwrap();
    let o_angers = bourse::requise_offre(&conn, d_angers).unwrap();
    let profil = |id| {
        let d = bourse::requise_demande(&conn, id).unwrap();
        bourse::profil_demande(&conn, &d).unwrap()
    };
    // Kayes already works with Angers: not proposed
    let kayes = profil(de_kayes);
    assert_eq!((kayes.partenariats, kayes.partenariats_du_cercle), (1, 1));
    assert_eq!(kayes.partenaires, vec![m.angers]);
    assert!(rapprocher(&kayes, &bourse::profil_offre(&o_angers)).is_err());
    // Sadiola has none, its cercle has one
    let sadiola = profil(de_sadiola);
    assert_eq!(
        (sadiola.partenariats, sadiola.partenariats_du_cercle),
        (0, 1)
    );
    let r = rapprocher(&sadiola, &bourse::profil_offre(&o_angers)).unwrap();
    assert!(
        r.raisons
            .iter()
            .any(|r| r.texte == "commune sans aucun partenariat")
    );

    // the well of Kayes – Angers is in the same cercle and domaine: a neighbour to join
    let d = bourse::requise_demande(&conn, de_sadiola).unwrap();
    let voisins = bourse::voisins(&conn, &d).unwrap();
    assert_eq!(voisins.len(), 1);
    assert_eq!(voisins[0].titre, "Kayes – Angers");
    assert_eq!(voisins[0].partenaires, vec!["Angers (commune)".to_owned()]);
    assert_eq!(voisins[0].domaines, vec![Domaine::EauAssainissement]);
    let mut ailleurs = d.clone();
    ailleurs.demande.annonce.domaines = vec![Domaine::Culture];
    assert!(bourse::voisins(&conn, &ailleurs).unwrap().is_empty());
}

#[test]
fn both_sides_interest_turns_a_pair_into_a_declared_partenariat() {
    let (_d, store) = base();
    let conn = store.connexion().unwrap();
    let m = monde(&conn);
    let d = bourse::deposer_demande(&conn, m.sadiola, demande(), None, None, AUJOURD_HUI).unwrap();
    let origine = Origine {
        collectivite: Some(m.lyon),
        acteur: None,
    };
    let o =
        bourse::deposer_offre(&conn, origine, offre(vec![m.region]), None, AUJOURD_HUI).unwrap();
    let paire = (d, o);
    let erreur = bourse::exprimer_interet(&conn, paire, Cote::Demande, m.admin, None, AUJOURD_HUI);
    assert!(
        regle(erreur.unwrap_err()).contains("n'est plus ouverte"),
        "not yet published"
    );
    bourse::valider(&conn, Annonceur::Demande(d), m.admin).unwrap();
    bourse::valider(&conn, Annonceur::Offre(o), m.admin).unwrap();

    bourse::exprimer_interet(
        &conn,
        paire,
        Cote::Demande,
        m.admin,
        Some("Bonjour"),
        AUJOURD_HUI,
    )
    .unwrap();
    let erreur = bourse::convertir(&conn, paire, m.admin, AUJOURD_HUI).unwrap_err();
    assert!(regle(erreur).contains("les deux côtés"));
    bourse::exprimer_interet(&conn, paire, Cote::Offre, m.admin, None, AUJOURD_HUI).unwrap();
    assert_eq!(bourse::interets(&conn, Some(&[d]), None).unwrap().len(), 2);
    assert_eq!(bourse::interets(&conn, None, Some(&[]),).unwrap().len(), 0);

    let p = bourse::convertir(&conn, paire, m.admin, AUJOURD_HUI).unwrap();
    let declare = partenariat::par_id(&conn, p).unwrap().unwrap();
    assert_eq!(
        declare.validation,
        Validation::Soumis,
        "reviewed like any declaration"
    );
    let parties: Vec<CollectiviteId> = partenariat::parties(&conn, p)
        .unwrap()
        .0
        .iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(parties.len(), 2);
    assert!(parties.contains(&m.sadiola) && parties.contains(&m.lyon));
    let etapes = partenariat::etapes(&conn, p).unwrap();
    assert_eq!(etapes.etapes()[0].etape, Etape::Amitie);
    assert_eq!(
        bourse::requise_demande(&conn, d).unwrap().etat,
        EtatAnnonce::Pourvue
    );
    assert_eq!(
        bourse::requise_offre(&conn, o).unwrap().etat,
        EtatAnnonce::Pourvue
    );
    assert!(
        bourse::convertir(&conn, paire, m.admin, AUJOURD_HUI).is_err(),
        "once"
    );

    // born from the bourse this year once public
    assert_eq!(
        bourse::chiffres(&conn, AUJOURD_HUI)
            .unwrap()
            .nes_dans_l_annee,
        0
    );
    validation::valider(&conn, validation::Objet::Partenariat(p), m.admin).unwrap();
    let chiffres = bourse::chiffres(&conn, AUJOURD_HUI).unwrap();
    assert_eq!(
        (
            chiffres.demandes_ouvertes,
            chiffres.offres_ouvertes,
            chiffres.nes_dans_l_annee
        ),
        (0, 0, 1)
    );
    assert_eq!(
        bourse::chiffres(&conn, date!(2027 - 01 - 01))
            .unwrap()
            .nes_dans_l_annee,
        0
    );
}
