//! Demonstration data: the nine partnerships that the founding document names as « les plus
//! actives ou qui mobilisent les fonds les plus importants », with only the facts it gives.
//!
//! Each party is found by the name resolver from the document's own spelling (« Evry »,
//! « Ille –et vilaine », « Sainte Elizabeth »). The document names the parties, and
//! sometimes their level (« Région de Kayes », « Département Ille-et-Vilaine »); where it
//! gives a bare town name the level is deduced from the partner's, and where a name is
//! ambiguous (France has several Montreuil) the choice is written down. Everything the
//! document does not say (dates, étapes, actions, money) stays empty. Every partenariat
//! loaded here is flagged as demonstration data, and its `source` quotes the document.

use rusqlite::Connection;

use crate::model::{
    CollectiviteId, Niveau, NouveauPartenariat, NouvelleCollectivite, Pays, StatutPartenariat,
};
use crate::referentiel::{self, ErreurReferentiel, Portee, Requete, Resolveur};
use crate::store::{self, StoreError, collectivite, partenariat};

/// A party as the document writes it, and how to find it.
struct PartieDuDocument {
    /// The document's spelling.
    texte: &'static str,
    pays: &'static str,
    /// Given by the document (« Région de ») or deduced from the partner's level.
    niveau: Niveau,
    /// For an ambiguous name, the official code of the unit meant (or of its successor).
    code_attendu: Option<&'static str>,
    /// For a unit outside the référentiel: its proper name, level label and source.
    a_creer: Option<(&'static str, &'static str, &'static str)>,
}

const fn partie(texte: &'static str, pays: &'static str, niveau: Niveau) -> PartieDuDocument {
    PartieDuDocument {
        texte,
        pays,
        niveau,
        code_attendu: None,
        a_creer: None,
    }
}

/// A partnership as the founding document lists it.
struct PartenariatDuDocument {
    titre: &'static str,
    /// The line as the document writes it, typos included.
    ligne: &'static str,
    parties: [PartieDuDocument; 2],
    /// How the names were matched to collectivités, where the document leaves room.
    identification: &'static str,
}

const PARTENARIATS: &[PartenariatDuDocument] = &[
    PartenariatDuDocument {
        titre: "Bamako – Angers",
        ligne: "Bamako –Angers",
        parties: [
            partie("Bamako", "ML", Niveau::District),
            partie("Angers", "FR", Niveau::Commune),
        ],
        identification: "Bamako : le district ; Angers : la commune (49007).",
    },
    PartenariatDuDocument {
        titre: "Évry – Kayes",
        ligne: "Evry –Kayes",
        parties: [
            partie("Kayes", "ML", Niveau::Commune),
            PartieDuDocument {
                code_attendu: Some("91228"),
                ..partie("Evry", "FR", Niveau::Commune)
            },
        ],
        identification: "Évry : la commune de l'Essonne, devenue Évry-Courcouronnes (91228) le 1er janvier 2019, \
                         et non l'Évry de l'Yonne ; Kayes : la commune, niveau déduit de celui d'Évry.",
    },
    PartenariatDuDocument {
        titre: "Montreuil – Yélimané",
        ligne: "Montreuil-Yélimané",
        parties: [
            partie("Yélimané", "ML", Niveau::Cercle),
            PartieDuDocument {
                code_attendu: Some("93048"),
                ..partie("Montreuil", "FR", Niveau::Commune)
            },
        ],
        identification: "Montreuil : la commune de Seine-Saint-Denis (93048), la plus peuplée des homonymes ; \
                         Yélimané : le cercle, la liste de référence n'ayant pas de commune de ce nom.",
    },
    PartenariatDuDocument {
        titre: "Sanankoroba – Sainte-Élisabeth",
        ligne: "Sanankoroba –Sainte Elizabeth",
        parties: [
            partie("Sanankoroba", "ML", Niveau::Commune),
            PartieDuDocument {
                a_creer: Some((
                    "Sainte-Élisabeth",
                    "municipalité",
                    "Municipalité de Sainte-Élisabeth (Québec, Canada), écrite « Sainte Elizabeth » dans le \
                     document fondateur ; créée à la demande, hors référentiel",
                )),
                ..partie("Sainte Elizabeth", "CA", Niveau::Niveau3)
            },
        ],
        identification: "Sanankoroba : la commune (cercle de Kati) ; \
                         Sainte-Élisabeth : la municipalité du Québec (Canada).",
    },
    PartenariatDuDocument {
        titre: "Région Nord-Pas-de-Calais – Région de Kayes",
        ligne: "Région Nord-Pas -de Calais- Région de Kayes",
        parties: [
            partie("Région de Kayes", "ML", Niveau::Region),
            partie("Région Nord-Pas -de Calais", "FR", Niveau::Region),
        ],
        identification: "Niveaux donnés par le document. Le Nord-Pas-de-Calais fait partie des \
                         Hauts-de-France depuis le 1er janvier 2016.",
    },
    PartenariatDuDocument {
        titre: "Région Île-de-France – Région de Kayes",
        ligne: "Région Ile-de France –Région de Kayes",
        parties: [
            partie("Région de Kayes", "ML", Niveau::Region),
            partie("Région Ile-de France", "FR", Niveau::Region),
        ],
        identification: "Niveaux donnés par le document.",
    },
    PartenariatDuDocument {
        titre: "Maurepas – Mopti",
        ligne: "Maurepas –Mopti",
        parties: [
            partie("Mopti", "ML", Niveau::Commune),
            PartieDuDocument {
                code_attendu: Some("78383"),
                ..partie("Maurepas", "FR", Niveau::Commune)
            },
        ],
        identification: "Maurepas : la commune des Yvelines (78383), la plus peuplée des homonymes ; \
                         Mopti : la commune, niveau déduit de celui de Maurepas.",
    },
    PartenariatDuDocument {
        titre: "Département d'Ille-et-Vilaine – Région de Mopti",
        ligne: "Département Ille –et vilaine –Région de Mopti",
        parties: [
            partie("Région de Mopti", "ML", Niveau::Region),
            partie("Département Ille –et vilaine", "FR", Niveau::Departement),
        ],
        identification: "Niveaux donnés par le document.",
    },
    PartenariatDuDocument {
        titre: "Région Rhône-Alpes – Région de Tombouctou",
        ligne: "Région Rhône-Alpes –Région de Tombouctou",
        parties: [
            partie("Région de Tombouctou", "ML", Niveau::Region),
            partie("Région Rhône-Alpes", "FR", Niveau::Region),
        ],
        identification: "Niveaux donnés par le document. Rhône-Alpes fait partie \
                         d'Auvergne-Rhône-Alpes depuis le 1er janvier 2016.",
    },
];

/// Why the demonstration could not be loaded: a defect of this build, since the data is
/// fixed; the message names the party.
#[derive(Debug, thiserror::Error)]
pub enum ErreurDemo {
    #[error("partie « {0} » du document fondateur : {1}")]
    Partie(&'static str, String),
    #[error(transparent)]
    Referentiel(#[from] ErreurReferentiel),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for ErreurDemo {
    fn from(e: rusqlite::Error) -> Self {
        ErreurDemo::Store(e.into())
    }
}

/// What [`charger`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RapportDemo {
    pub collectivites_creees: usize,
    pub partenariats_crees: usize,
}

/// Loads the demonstration partnerships, all or nothing, after the référentiel they need.
/// Loading twice changes nothing.
pub fn charger(conn: &Connection) -> Result<RapportDemo, ErreurDemo> {
    referentiel::mettre_a_jour(conn)?;
    let deja: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM partenariat WHERE demonstration = 1)",
        [],
        |r| r.get(0),
    )?;
    let mut rapport = RapportDemo {
        collectivites_creees: 0,
        partenariats_crees: 0,
    };
    if deja {
        return Ok(rapport);
    }
    let resolveur = referentiel::resolveur(conn)?;
    store::atomique(conn, || {
        for p in PARTENARIATS {
            let mut parties = Vec::with_capacity(2);
            for partie in &p.parties {
                parties.push(trouver(conn, &resolveur, partie, &mut rapport)?);
            }
            partenariat::creer(
                conn,
                NouveauPartenariat {
                    source: Some(format!(
                        "Données de démonstration tirées du document fondateur « Aperçu général sur la \
                         coopération décentralisée au Mali », qui la range parmi les coopérations actives \
                         « les plus actives ou qui mobilisent les fonds les plus importants » : « {} ». {}",
                        p.ligne, p.identification
                    )),
                    demonstration: true,
                    ..NouveauPartenariat::new(p.titre, StatutPartenariat::Actif, parties)
                },
            )?;
            rapport.partenariats_crees += 1;
        }
        Ok::<_, ErreurDemo>(())
    })?;
    Ok(rapport)
}

/// The collectivité a party names: the resolver's best candidate of the expected country and
/// level (the one with the expected code when the name is ambiguous), or a unit created on
/// demand for a country outside the référentiel.
fn trouver(
    conn: &Connection,
    resolveur: &Resolveur,
    partie: &PartieDuDocument,
    rapport: &mut RapportDemo,
) -> Result<CollectiviteId, ErreurDemo> {
    let erreur = |message: String| ErreurDemo::Partie(partie.texte, message);
    let pays = Pays::new(partie.pays).map_err(|e| erreur(e.to_string()))?;
    let requete = Requete {
        texte: partie.texte.to_owned(),
        pays: Some(pays),
        portee: Portee::Niveau(partie.niveau),
        limite: 10,
    };
    let resolution = resoudre(resolveur, &requete).map_err(erreur)?;
    let choisi = match partie.code_attendu {
        Some(code) => resolution
            .iter()
            .find(|(_, codes, _)| codes.iter().any(|c| c == code)),
        None if resolution.len() > 1 && resolution[0].2 => {
            return Err(erreur(format!(
                "nom ambigu ({} candidats)",
                resolution.len()
            )));
        }
        None => resolution.first(),
    };
    if let Some((id, ..)) = choisi {
        return Ok(*id);
    }
    let (nom, libelle, source) = partie.a_creer.ok_or_else(|| {
        erreur("aucune collectivité correspondante dans le référentiel".to_owned())
    })?;
    if let Some(existante) = collectivite::par_nom(conn, pays, partie.niveau, nom, None)? {
        return Ok(existante.id);
    }
    rapport.collectivites_creees += 1;
    Ok(collectivite::inserer(
        conn,
        NouvelleCollectivite {
            libelle_niveau: Some(libelle.to_owned()),
            source: Some(source.to_owned()),
            ..NouvelleCollectivite::new(pays, partie.niveau, nom)
        },
    )?)
}

/// The candidates as (id, codes of the unit and its current successors, ambiguous).
#[allow(clippy::type_complexity)]
fn resoudre(
    resolveur: &Resolveur,
    requete: &Requete,
) -> Result<Vec<(CollectiviteId, Vec<String>, bool)>, String> {
    let resolution = resolveur.resoudre(requete).map_err(|e| e.to_string())?;
    Ok(resolution
        .candidats
        .iter()
        .map(|c| {
            let codes = std::iter::once(c.unite)
                .chain(c.successeurs_actuels.iter().copied())
                .filter_map(|u| u.code.clone())
                .collect();
            (c.unite.id, codes, resolution.ambigu)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;
    use crate::store::partenariat::PartenariatQuery;
    use time::macros::date;

    #[test]
    fn the_nine_partnerships_load_once_with_the_intended_parties() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::ouvrir(&dir.path().join("demo.db")).unwrap();
        let conn = store.connexion().unwrap();
        let premier = charger(&conn).unwrap();
        assert_eq!(
            premier,
            RapportDemo {
                collectivites_creees: 1,
                partenariats_crees: 9
            }
        );
        let second = charger(&conn).unwrap();
        assert_eq!(
            second,
            RapportDemo {
                collectivites_creees: 0,
                partenariats_crees: 0
            }
        );

        let liste = PartenariatQuery::new(date!(2026 - 01 - 01))
            .lister(&conn)
            .unwrap();
        assert_eq!(liste.total, 9);
        let mut parties: Vec<String> = Vec::new();
        for p in &liste.elements {
            assert!(p.partenariat.demonstration);
            assert_eq!(p.partenariat.statut, StatutPartenariat::Actif);
            assert_eq!(p.etape, None, "the document gives no étape");
            assert_eq!(p.parties.maliennes().len(), 1);
            assert_eq!(p.parties.etrangeres().len(), 1);
            for c in &p.parties.0 {
                parties.push(format!(
                    "{} {} {} {}",
                    c.pays,
                    c.niveau.code(),
                    c.code.as_deref().unwrap_or("-"),
                    c.nom
                ));
            }
        }
        parties.sort();
        parties.dedup();
        assert_eq!(
            parties,
            [
                "CA niveau_3 - Sainte-Élisabeth",
                "FR commune - Évry",
                "FR commune 49007 Angers",
                "FR commune 78383 Maurepas",
                "FR commune 93048 Montreuil",
                "FR departement 35 Ille-et-Vilaine",
                "FR region 11 Île-de-France",
                "FR region 31 Nord-Pas-de-Calais",
                "FR region 82 Rhône-Alpes",
                "ML cercle ML-1-YELIMANE Yélimané",
                "ML commune ML-1-KAYES-KAYES Kayes",
                "ML commune ML-2-KATI-SANANKOROBA Sanankoroba",
                "ML commune ML-5-MOPTI-MOPTI Mopti",
                "ML district ML-BKO Bamako",
                "ML region ML-1 Kayes",
                "ML region ML-5 Mopti",
                "ML region ML-6 Tombouctou",
            ]
        );
    }
}
