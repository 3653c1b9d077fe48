//! Working offline from /espace: download one's records as the Excel-FR zip, edit them,
//! upload, preview, confirm — with the rights, the review and the journal of the forms.

mod commun;

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};
use std::sync::Arc;

use commun::{MOT_DE_PASSE, Reponse, Serveur, agent, comptes_kayes_mopti, lire, nombre};

const BOM: &[u8] = b"\xEF\xBB\xBF";

fn serveur() -> Serveur {
    let s = Serveur::demo();
    comptes_kayes_mopti(&s.conn());
    s
}

/// The download of `/espace/tableur.zip` with this session: status, headers, bytes.
fn telecharger(s: &Serveur, session: &str) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let mut r = agent()
        .get(&format!("http://{}/espace/tableur.zip", s.adresse))
        .header("Cookie", &format!("benkan_session={session}"))
        .call()
        .unwrap();
    let entetes = commun::entetes(&r);
    let statut = r.status().as_u16();
    (statut, entetes, r.body_mut().read_to_vec().unwrap())
}

/// The files of a zip, by name.
fn dezipper(octets: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(octets)).unwrap();
    let mut fichiers = BTreeMap::new();
    for i in 0..zip.len() {
        let mut entree = zip.by_index(i).unwrap();
        let mut contenu = Vec::new();
        entree.read_to_end(&mut contenu).unwrap();
        fichiers.insert(entree.name().unwrap().into_owned(), contenu);
    }
    fichiers
}

fn zipper(fichiers: &BTreeMap<String, Vec<u8>>) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (nom, contenu) in fichiers {
        zip.start_file(nom.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(contenu).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// The upload form, sent as a browser does (multipart/form-data).
fn envoyer(s: &Serveur, session: &str, csrf: &str, fichiers: &[(&str, &[u8])]) -> Reponse {
    let limite = "----benkanLimite7MA4YWxkTrZu0gW";
    let mut corps = Vec::new();
    corps.extend_from_slice(
        format!("--{limite}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n")
            .as_bytes(),
    );
    for (nom, contenu) in fichiers {
        corps.extend_from_slice(
            format!(
                "--{limite}\r\nContent-Disposition: form-data; name=\"fichiers\"; filename=\"{nom}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        corps.extend_from_slice(contenu);
        corps.extend_from_slice(b"\r\n");
    }
    corps.extend_from_slice(format!("--{limite}--\r\n").as_bytes());
    lire(
        agent()
            .post(&format!("http://{}/espace/tableur", s.adresse))
            .header("Cookie", &format!("benkan_session={session}"))
            .header(
                "Content-Type",
                &format!("multipart/form-data; boundary={limite}"),
            )
            .send(&corps[..])
            .unwrap(),
    )
}

/// The token of the preview waiting for its confirmation.
fn jeton_apercu(page: &Reponse) -> String {
    let debut = page
        .corps
        .find("name=\"jeton\" value=\"")
        .expect("a preview to confirm")
        + "name=\"jeton\" value=\"".len();
    page.corps[debut..debut + 64].to_owned()
}

fn titre_du(s: &Serveur, titre_tri_like: &str) -> (String, String) {
    s.conn()
        .query_row(
            "SELECT titre, validation FROM partenariat WHERE titre LIKE ?1",
            [titre_tri_like],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
}

/// The reference of a partenariat by title.
fn reference(s: &Serveur, titre: &str) -> String {
    s.conn()
        .query_row(
            "SELECT reference FROM partenariat WHERE titre = ?1",
            [titre],
            |r| r.get(0),
        )
        .unwrap()
}

/// A line of actions.csv (Excel-FR) for a new action of `partenariat`.
fn nouvelle_action(partenariat: &str, titre: &str) -> String {
    format!(
        ";{partenariat};{titre};Forage au quartier Plateau;services_sociaux_de_base;eau_assainissement;physique;en_cours;2025-01-15;;;;;;;;;non\r\n"
    )
}

/// An actions.csv as Excel-FR writes it (BOM, header, `;`), with these lines.
fn actions_csv(lignes: &[String]) -> Vec<u8> {
    let mut octets = BOM.to_vec();
    octets.extend_from_slice(
        b"identifiant;partenariat;titre;description;axe;domaine;nature;statut;debut;fin;lieux;points;localites;pdesc_collectivite;objectif_pdesc;validation;commentaire_validation;archive\r\n",
    );
    for l in lignes {
        octets.extend_from_slice(l.as_bytes());
    }
    octets
}

#[test]
fn the_download_holds_only_the_account_s_records_in_the_excel_fr_variant() {
    let s = serveur();
    let (session, _) = s.session("maire@kayes.ml", MOT_DE_PASSE);
    let (statut, entetes, octets) = telecharger(&s, &session);
    assert_eq!(statut, 200);
    assert_eq!(
        commun::entete(&entetes, "content-type"),
        Some("application/zip")
    );
    assert!(
        commun::entete(&entetes, "content-disposition")
            .unwrap()
            .starts_with("attachment; filename=\"benkan-mes-donnees-")
    );
    assert_eq!(commun::entete(&entetes, "cache-control"), Some("no-store"));
    let fichiers = dezipper(&octets);
    assert_eq!(fichiers.len(), 11, "{:?}", fichiers.keys());
    let partenariats = &fichiers["partenariats.csv"];
    assert!(partenariats.starts_with(BOM), "Excel-FR: a BOM");
    let texte = String::from_utf8(partenariats[BOM.len()..].to_vec()).unwrap();
    assert!(texte.starts_with("identifiant;titre;description;statut;parties;"));
    assert!(texte.contains("\r\n"), "Excel-FR: CRLF");
    // Kayes (commune) is a party of « Évry – Kayes » only; not of the others
    let lignes: Vec<&str> = texte.lines().skip(1).collect();
    assert_eq!(lignes.len(), 1, "{texte}");
    assert!(lignes[0].contains("Évry – Kayes"));
    for autre in ["Maurepas – Mopti", "Bamako – Angers", "Région de Kayes"] {
        assert!(!texte.contains(autre), "{autre} in {texte}");
    }
    // a reader has nothing to download
    let (session_lecteur, _) = s.session("lecteur@ambassade.fr", MOT_DE_PASSE);
    assert_eq!(telecharger(&s, &session_lecteur).0, 403);
    // and the section is on /espace for a contributor
    let espace = s.get_avec("/espace", &session);
    assert!(
        espace
            .corps
            .contains("<h2 id=\"hors-ligne\">Travailler hors ligne</h2>")
    );
    assert!(espace.corps.contains("href=\"/espace/tableur.zip\""));
    assert!(espace.corps.contains("enctype=\"multipart/form-data\""));
    let espace_lecteur = s.get_avec("/espace", &session_lecteur);
    assert!(!espace_lecteur.corps.contains("Travailler hors ligne"));
}

#[test]
fn an_edited_sheet_is_previewed_then_written_for_review_under_the_account_s_name() {
    let s = serveur();
    let (session, csrf) = s.session("maire@kayes.ml", MOT_DE_PASSE);
    let mut fichiers = dezipper(&telecharger(&s, &session).2);
    let evry = reference(&s, "Évry – Kayes");
    // offline: a new title, and a new action
    let partenariats = String::from_utf8(fichiers["partenariats.csv"].clone()).unwrap();
    fichiers.insert(
        "partenariats.csv".to_owned(),
        partenariats
            .replace("Évry – Kayes", "Évry – Kayes (jumelage)")
            .into_bytes(),
    );
    let mut actions = fichiers["actions.csv"].clone();
    actions.extend_from_slice(nouvelle_action(&evry, "Forage de Plateau").as_bytes());
    fichiers.insert("actions.csv".to_owned(), actions);
    let zip = zipper(&fichiers);
    let journal_avant = nombre(&s, "SELECT count(*) FROM journal");

    let apercu = envoyer(&s, &session, &csrf, &[("mes-donnees.zip", &zip)]);
    assert_eq!(apercu.statut, 200, "{}", apercu.corps);
    assert_eq!(apercu.entete("cache-control"), Some("no-store"));
    for compte in [
        "<strong>Partenariats</strong> (partenariats.csv) : à créer : <strong>0</strong>, à modifier : <strong>1</strong>, inchangés : 0",
        "<strong>Actions</strong> (actions.csv) : à créer : <strong>1</strong>, à modifier : <strong>0</strong>, inchangés : 0",
    ] {
        assert!(apercu.corps.contains(compte), "{compte}\n{}", apercu.corps);
    }
    assert!(
        apercu
            .corps
            .contains("Confirmer l'import (2 enregistrement(s))")
    );
    assert!(apercu.corps.contains(">Annuler</button>"));
    // nothing written yet
    assert_eq!(titre_du(&s, "Évry – Kayes%").0, "Évry – Kayes");
    assert_eq!(nombre(&s, "SELECT count(*) FROM action"), 0);
    assert_eq!(nombre(&s, "SELECT count(*) FROM journal"), journal_avant);

    let jeton = jeton_apercu(&apercu);
    let fait = s.post(
        "/espace/tableur/confirmer",
        Some(&session),
        &[("csrf", &csrf), ("jeton", &jeton)],
    );
    assert_eq!(fait.statut, 303, "{}", fait.corps);
    assert_eq!(fait.entete("location"), Some("/espace"));
    let (titre, validation) = titre_du(&s, "Évry – Kayes%");
    assert_eq!(titre, "Évry – Kayes (jumelage)");
    assert_eq!(validation, "soumis", "a change goes back to review");
    assert_eq!(
        nombre(
            &s,
            "SELECT count(*) FROM action WHERE titre = 'Forage de Plateau' AND validation = 'soumis'"
        ),
        1
    );
    let kayes: i64 = nombre(&s, "SELECT id FROM compte WHERE email = 'maire@kayes.ml'");
    for objet in ["partenariat", "action"] {
        let auteurs: Vec<Option<i64>> = {
            let conn = s.conn();
            let mut stmt = conn
                .prepare("SELECT compte_id FROM journal WHERE id > ?1 AND objet = ?2")
                .unwrap();
            stmt.query_map(rusqlite::params![journal_avant, objet], |r| r.get(0))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap()
        };
        assert!(!auteurs.is_empty(), "{objet} journalled");
        assert!(
            auteurs.iter().all(|a| *a == Some(kayes)),
            "{objet}: {auteurs:?}"
        );
    }
    // the one-time message on /espace
    let cookie = fait
        .entetes
        .iter()
        .find(|(n, v)| n.eq_ignore_ascii_case("set-cookie") && v.starts_with("benkan_fait="))
        .map(|(_, v)| v.split(';').next().unwrap().to_owned())
        .unwrap();
    let espace = lire(
        agent()
            .get(&format!("http://{}/espace", s.adresse))
            .header("Cookie", &format!("benkan_session={session}; {cookie}"))
            .call()
            .unwrap(),
    );
    assert!(
        espace
            .corps
            .contains("Votre tableur est importé : 2 enregistrement(s) créé(s) ou modifié(s)"),
        "{}",
        espace.corps
    );
    // the same files again change nothing: nothing to confirm
    let encore = envoyer(&s, &session, &csrf, &[("mes-donnees.zip", &zip)]);
    assert_eq!(encore.statut, 200);
    assert!(encore.corps.contains("Vos fichiers ne changent rien"));
    assert!(!encore.corps.contains("name=\"jeton\""));
}

#[test]
fn an_upload_that_touches_another_authority_s_records_is_refused_and_writes_nothing() {
    let s = serveur();
    let (session, csrf) = s.session("maire@kayes.ml", MOT_DE_PASSE);
    let mopti = reference(&s, "Maurepas – Mopti");
    // an action added to Mopti's partenariat, and Mopti's partenariat renamed
    let actions = actions_csv(&[nouvelle_action(&mopti, "Forage pirate")]);
    let ligne_mopti: String = s
        .conn()
        .query_row(
            "SELECT p.reference || ';Maurepas – Mopti renommé;;actif;' ||
                (SELECT group_concat(coalesce(c.cle_referentiel, c.reference), ' | ') FROM partie pa
                 JOIN collectivite c ON c.id = pa.collectivite_id WHERE pa.partenariat_id = p.id)
             FROM partenariat p WHERE p.titre = 'Maurepas – Mopti'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let partenariats = format!("identifiant;titre;description;statut;parties\r\n{ligne_mopti}\r\n");
    let journal_avant = nombre(&s, "SELECT count(*) FROM journal");
    let r = envoyer(
        &s,
        &session,
        &csrf,
        &[
            ("actions.csv", &actions),
            ("partenariats.csv", partenariats.as_bytes()),
        ],
    );
    assert_eq!(r.statut, 422, "{}", r.corps);
    assert!(
        r.corps.contains("rien n&#39;a été enregistré")
            || r.corps.contains("rien n'a été enregistré")
    );
    assert!(!r.corps.contains("name=\"jeton\""), "nothing to confirm");
    // each refused line is named, with its reason
    let ligne_partenariat = "<strong>partenariats.csv, ligne 2, colonne « identifiant »</strong>";
    assert!(r.corps.contains(ligne_partenariat), "{}", r.corps);
    assert!(r.corps.contains("une autre autorité"));
    assert!(
        r.corps
            .contains("<strong>actions.csv, ligne 2, colonne « partenariat »</strong>"),
        "{}",
        r.corps
    );
    assert_eq!(titre_du(&s, "Maurepas%").0, "Maurepas – Mopti");
    assert_eq!(nombre(&s, "SELECT count(*) FROM action"), 0);
    assert_eq!(nombre(&s, "SELECT count(*) FROM journal"), journal_avant);

    // nor the référentiel: a collectivité line that would change one is refused
    let collectivites = "identifiant;pays;niveau;nom\r\n;FR;commune;Ville nouvelle\r\n";
    let r = envoyer(
        &s,
        &session,
        &csrf,
        &[("collectivites.csv", collectivites.as_bytes())],
    );
    assert_eq!(r.statut, 422, "{}", r.corps);
    assert!(
        r.corps.contains("ne se créent ni ne se modifient"),
        "{}",
        r.corps
    );
    assert_eq!(
        nombre(
            &s,
            "SELECT count(*) FROM collectivite WHERE nom = 'Ville nouvelle'"
        ),
        0
    );
}

#[test]
fn a_malformed_file_is_reported_with_line_and_column_and_writes_nothing() {
    let s = serveur();
    let (session, csrf) = s.session("maire@kayes.ml", MOT_DE_PASSE);
    let evry = reference(&s, "Évry – Kayes");
    let actions = actions_csv(&[
        nouvelle_action(&evry, "Bonne ligne"),
        nouvelle_action(&evry, "Mauvaise ligne").replace("en_cours", "bientôt"),
    ]);
    let r = envoyer(&s, &session, &csrf, &[("actions.csv", &actions)]);
    assert_eq!(r.statut, 422, "{}", r.corps);
    assert!(
        r.corps
            .contains("<strong>actions.csv, ligne 3, colonne « statut »</strong> : valeur « bientôt » ; attendu : une de ces valeurs : prevue, en_cours"),
        "{}",
        r.corps
    );
    assert_eq!(
        nombre(&s, "SELECT count(*) FROM action"),
        0,
        "all or nothing"
    );
    // not a CSV file at all
    let r = envoyer(&s, &session, &csrf, &[("photo.zip", b"PK\x03\x04 abime")]);
    assert_eq!(r.statut, 422);
    assert!(r.corps.contains("archive zip illisible"), "{}", r.corps);
    // no file chosen
    let r = envoyer(&s, &session, &csrf, &[]);
    assert_eq!(r.statut, 422);
    assert!(r.corps.contains("Aucun fichier reçu"));
    // a request too large is refused in French
    let gros = vec![b'a'; (2 << 20) + 10];
    let r = envoyer(&s, &session, &csrf, &[("gros.csv", &gros)]);
    assert_eq!(r.statut, 413);
    assert!(r.corps.contains("au plus 2 Mio"), "{}", r.corps);
    // the other routes keep their 64 KiB bound
    let long = "x".repeat(70_000);
    let r = s.post(
        "/espace/tableur/confirmer",
        Some(&session),
        &[("csrf", &csrf), ("jeton", &long)],
    );
    assert_eq!(r.statut, 413);
}

#[test]
fn the_security_token_is_required_and_a_reader_is_refused() {
    let s = serveur();
    let (session, csrf) = s.session("maire@kayes.ml", MOT_DE_PASSE);
    let evry = reference(&s, "Évry – Kayes");
    let actions = actions_csv(&[nouvelle_action(&evry, "Forage")]);
    let r = envoyer(&s, &session, "faux", &[("actions.csv", &actions)]);
    assert_eq!(r.statut, 403);
    let apercu = envoyer(&s, &session, &csrf, &[("actions.csv", &actions)]);
    assert_eq!(apercu.statut, 200, "{}", apercu.corps);
    let jeton = jeton_apercu(&apercu);
    let r = s.post(
        "/espace/tableur/confirmer",
        Some(&session),
        &[("csrf", "faux"), ("jeton", &jeton)],
    );
    assert_eq!(r.statut, 403);
    assert_eq!(nombre(&s, "SELECT count(*) FROM action"), 0);
    // another session cannot confirm this preview
    let (autre, csrf_autre) = s.session("maire@kayes.ml", MOT_DE_PASSE);
    let r = s.post(
        "/espace/tableur/confirmer",
        Some(&autre),
        &[("csrf", &csrf_autre), ("jeton", &jeton)],
    );
    assert_eq!(r.statut, 404);
    assert_eq!(nombre(&s, "SELECT count(*) FROM action"), 0);
    // « Annuler » drops it
    let r = s.post(
        "/espace/tableur/annuler",
        Some(&session),
        &[("csrf", &csrf), ("jeton", &jeton)],
    );
    assert_eq!(r.statut, 303);
    let r = s.post(
        "/espace/tableur/confirmer",
        Some(&session),
        &[("csrf", &csrf), ("jeton", &jeton)],
    );
    assert_eq!(r.statut, 404);
    assert!(r.corps.contains("n&#39;attend plus") || r.corps.contains("n'attend plus"));
    assert_eq!(nombre(&s, "SELECT count(*) FROM action"), 0);

    let (lecteur, csrf_lecteur) = s.session("lecteur@ambassade.fr", MOT_DE_PASSE);
    let r = envoyer(&s, &lecteur, &csrf_lecteur, &[("actions.csv", &actions)]);
    assert_eq!(r.statut, 403);
    assert_eq!(nombre(&s, "SELECT count(*) FROM action"), 0);
}

#[test]
fn two_confirmations_of_one_preview_apply_it_once() {
    let s = Arc::new(serveur());
    let (session, csrf) = s.session("maire@kayes.ml", MOT_DE_PASSE);
    let evry = reference(&s, "Évry – Kayes");
    let actions = actions_csv(&[nouvelle_action(&evry, "Forage double")]);
    let apercu = envoyer(&s, &session, &csrf, &[("actions.csv", &actions)]);
    let jeton = jeton_apercu(&apercu);
    let fils: Vec<_> = (0..2)
        .map(|_| {
            let (s, session, csrf, jeton) =
                (s.clone(), session.clone(), csrf.clone(), jeton.clone());
            std::thread::spawn(move || {
                s.post(
                    "/espace/tableur/confirmer",
                    Some(&session),
                    &[("csrf", &csrf), ("jeton", &jeton)],
                )
                .statut
            })
        })
        .collect();
    let mut statuts: Vec<u16> = fils.into_iter().map(|f| f.join().unwrap()).collect();
    statuts.sort_unstable();
    assert_eq!(statuts, [303, 404]);
    assert_eq!(
        nombre(
            &s,
            "SELECT count(*) FROM action WHERE titre = 'Forage double'"
        ),
        1
    );
}

#[test]
fn data_changed_since_the_preview_shows_the_new_preview_and_writes_nothing() {
    let s = serveur();
    let (session, csrf) = s.session("maire@kayes.ml", MOT_DE_PASSE);
    let fichiers = dezipper(&telecharger(&s, &session).2);
    let partenariats = String::from_utf8(fichiers["partenariats.csv"].clone())
        .unwrap()
        .replace("Évry – Kayes", "Évry – Kayes (mon titre)");
    let apercu = envoyer(
        &s,
        &session,
        &csrf,
        &[("partenariats.csv", partenariats.as_bytes())],
    );
    assert_eq!(apercu.statut, 200, "{}", apercu.corps);
    let jeton = jeton_apercu(&apercu);
    // meanwhile, the administrator changes the record
    s.conn()
        .execute(
            "UPDATE partenariat SET titre = 'Évry – Kayes (version admin)' WHERE titre = 'Évry – Kayes'",
            [],
        )
        .unwrap();
    let r = s.post(
        "/espace/tableur/confirmer",
        Some(&session),
        &[("csrf", &csrf), ("jeton", &jeton)],
    );
    assert_eq!(r.statut, 200, "{}", r.corps);
    assert!(
        r.corps
            .contains("Les données ont changé depuis votre aperçu")
    );
    assert_eq!(
        titre_du(&s, "Évry – Kayes%").0,
        "Évry – Kayes (version admin)"
    );
    // the new preview can be confirmed
    let nouveau = jeton_apercu(&r);
    assert_ne!(nouveau, jeton);
    let fait = s.post(
        "/espace/tableur/confirmer",
        Some(&session),
        &[("csrf", &csrf), ("jeton", &nouveau)],
    );
    assert_eq!(fait.statut, 303);
    assert_eq!(titre_du(&s, "Évry – Kayes%").0, "Évry – Kayes (mon titre)");
}

#[test]
fn a_collectivite_sends_its_pdesc_and_its_actions_results_but_not_another_s_pdesc() {
    let s = serveur();
    let (session, csrf) = s.session("maire@kayes.ml", MOT_DE_PASSE);
    let pdesc = |code: &str| {
        format!(
            "\u{feff}collectivite;debut;fin;titre;reference;objectifs\r\n{code};2022;2026;PDESC 2022-2026;;Eau potable | Écoles\r\n"
        )
    };
    // another collectivité's PDESC is not the account's to write
    let r = envoyer(
        &s,
        &session,
        &csrf,
        &[("pdesc.csv", pdesc("ML:ML-5-MOPTI-MOPTI").as_bytes())],
    );
    assert_eq!(r.statut, 422, "{}", r.corps);
    assert!(
        r.corps
            .contains("<strong>pdesc.csv, ligne 2, colonne « collectivite »</strong>")
            && r.corps.contains("une autre collectivité"),
        "{}",
        r.corps
    );
    assert_eq!(nombre(&s, "SELECT count(*) FROM pdesc"), 0);

    // its own PDESC, and an action of its partenariat with a result and a measure, in one go
    let evry = reference(&s, "Évry – Kayes");
    let actions = actions_csv(&[format!(
        "ACT-PLATEAU{}",
        nouvelle_action(&evry, "Piste de Plateau")
    )]);
    let resultats = "\u{feff}action;rang;indicateur;libelle;unite;base;base_date;cible;cible_date\r\n\
                     ACT-PLATEAU;1;PIS-01;;;;;12,5;\r\n";
    let mesures = "\u{feff}action;rang;debut;fin;valeur;femmes;hommes;commentaire;source\r\n\
                   ACT-PLATEAU;1;01/01/2025;30/06/2025;3,5;;;;\r\n";
    let r = envoyer(
        &s,
        &session,
        &csrf,
        &[
            ("pdesc.csv", pdesc("ML:ML-1-KAYES-KAYES").as_bytes()),
            ("actions.csv", &actions),
            ("resultats.csv", resultats.as_bytes()),
            ("mesures.csv", mesures.as_bytes()),
        ],
    );
    assert_eq!(r.statut, 200, "{}", r.corps);
    for compte in [
        "<strong>PDESC</strong> (pdesc.csv) : à créer : <strong>1</strong>",
        "<strong>Résultats</strong> (resultats.csv) : à créer : <strong>1</strong>",
        "<strong>Mesures des résultats</strong> (mesures.csv) : à créer : <strong>1</strong>",
    ] {
        assert!(r.corps.contains(compte), "{compte}\n{}", r.corps);
    }
    assert_eq!(
        nombre(&s, "SELECT count(*) FROM resultat"),
        0,
        "a preview writes nothing"
    );
}
