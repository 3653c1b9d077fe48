//! Demonstration data: the nine partnerships that the founding document names as « les plus
//! actives ou qui mobilisent les fonds les plus importants », with only the facts it gives.
//!
//! The document names the parties, and sometimes their level (« Région de Kayes »,
//! « Département Ille-et-Vilaine »); where it gives a bare town name the level is deduced
//! from the partner's and the record says so. Everything it does not say (dates, étapes,
//! actions, money) stays empty. Every partenariat loaded here is flagged as demonstration
//! data, and its `source` quotes the document's line.

use rusqlite::Connection;
use time::Date;
use time::macros::date;

use crate::model::{
    CollectiviteId, Niveau, NouveauPartenariat, NouvelleCollectivite, Pays, Periode,
    StatutPartenariat,
};
use crate::store::{self, Result, collectivite, partenariat};

const SOURCE_COG: &str =
    "Code officiel géographique (INSEE), via @etalab/decoupage-administratif 6.0.0";
const SOURCE_FUSION_2016: &str =
    "Loi n° 2015-29 du 16 janvier 2015 : fusion des régions au 1er janvier 2016";
const SOURCE_MALI: &str =
    "Découpage administratif du Mali de 2016 (geo-api-mali) ; code ISO 3166-2 pour les régions";

/// A collectivité the demonstration needs, known by a local key.
struct Unite {
    cle: &'static str,
    pays: &'static str,
    niveau: Niveau,
    libelle_niveau: Option<&'static str>,
    code: Option<&'static str>,
    nom: &'static str,
    parent: Option<&'static str>,
    valide_du: Option<Date>,
    valide_au: Option<Date>,
    source: &'static str,
}

const fn unite(
    cle: &'static str,
    pays: &'static str,
    niveau: Niveau,
    code: Option<&'static str>,
    nom: &'static str,
    parent: Option<&'static str>,
    source: &'static str,
) -> Unite {
    Unite {
        cle,
        pays,
        niveau,
        libelle_niveau: None,
        code,
        nom,
        parent,
        valide_du: None,
        valide_au: None,
        source,
    }
}

/// Parents before children.
const UNITES: &[Unite] = &[
    // Mali
    unite(
        "ml-bamako",
        "ML",
        Niveau::District,
        Some("ML-BKO"),
        "Bamako",
        None,
        SOURCE_MALI,
    ),
    unite(
        "ml-r-kayes",
        "ML",
        Niveau::Region,
        Some("ML-1"),
        "Kayes",
        None,
        SOURCE_MALI,
    ),
    unite(
        "ml-c-kayes",
        "ML",
        Niveau::Cercle,
        None,
        "Kayes",
        Some("ml-r-kayes"),
        SOURCE_MALI,
    ),
    unite(
        "ml-kayes",
        "ML",
        Niveau::Commune,
        None,
        "Kayes",
        Some("ml-c-kayes"),
        SOURCE_MALI,
    ),
    unite(
        "ml-c-yelimane",
        "ML",
        Niveau::Cercle,
        None,
        "Yélimané",
        Some("ml-r-kayes"),
        SOURCE_MALI,
    ),
    unite(
        "ml-r-koulikoro",
        "ML",
        Niveau::Region,
        Some("ML-2"),
        "Koulikoro",
        None,
        SOURCE_MALI,
    ),
    unite(
        "ml-c-kati",
        "ML",
        Niveau::Cercle,
        None,
        "Kati",
        Some("ml-r-koulikoro"),
        SOURCE_MALI,
    ),
    unite(
        "ml-sanankoroba",
        "ML",
        Niveau::Commune,
        None,
        "Sanankoroba",
        Some("ml-c-kati"),
        SOURCE_MALI,
    ),
    unite(
        "ml-r-mopti",
        "ML",
        Niveau::Region,
        Some("ML-5"),
        "Mopti",
        None,
        SOURCE_MALI,
    ),
    unite(
        "ml-c-mopti",
        "ML",
        Niveau::Cercle,
        None,
        "Mopti",
        Some("ml-r-mopti"),
        SOURCE_MALI,
    ),
    unite(
        "ml-mopti",
        "ML",
        Niveau::Commune,
        None,
        "Mopti",
        Some("ml-c-mopti"),
        SOURCE_MALI,
    ),
    unite(
        "ml-r-tombouctou",
        "ML",
        Niveau::Region,
        Some("ML-6"),
        "Tombouctou",
        None,
        SOURCE_MALI,
    ),
    // France: current units
    unite(
        "fr-r-idf",
        "FR",
        Niveau::Region,
        Some("11"),
        "Île-de-France",
        None,
        SOURCE_COG,
    ),
    unite(
        "fr-r-pdl",
        "FR",
        Niveau::Region,
        Some("52"),
        "Pays de la Loire",
        None,
        SOURCE_COG,
    ),
    unite(
        "fr-r-bretagne",
        "FR",
        Niveau::Region,
        Some("53"),
        "Bretagne",
        None,
        SOURCE_COG,
    ),
    Unite {
        valide_du: Some(date!(2016 - 01 - 01)),
        ..unite(
            "fr-r-hdf",
            "FR",
            Niveau::Region,
            Some("32"),
            "Hauts-de-France",
            None,
            SOURCE_COG,
        )
    },
    Unite {
        valide_du: Some(date!(2016 - 01 - 01)),
        ..unite(
            "fr-r-ara",
            "FR",
            Niveau::Region,
            Some("84"),
            "Auvergne-Rhône-Alpes",
            None,
            SOURCE_COG,
        )
    },
    unite(
        "fr-d-49",
        "FR",
        Niveau::Departement,
        Some("49"),
        "Maine-et-Loire",
        Some("fr-r-pdl"),
        SOURCE_COG,
    ),
    unite(
        "fr-d-91",
        "FR",
        Niveau::Departement,
        Some("91"),
        "Essonne",
        Some("fr-r-idf"),
        SOURCE_COG,
    ),
    unite(
        "fr-d-93",
        "FR",
        Niveau::Departement,
        Some("93"),
        "Seine-Saint-Denis",
        Some("fr-r-idf"),
        SOURCE_COG,
    ),
    unite(
        "fr-d-78",
        "FR",
        Niveau::Departement,
        Some("78"),
        "Yvelines",
        Some("fr-r-idf"),
        SOURCE_COG,
    ),
    unite(
        "fr-d-35",
        "FR",
        Niveau::Departement,
        Some("35"),
        "Ille-et-Vilaine",
        Some("fr-r-bretagne"),
        SOURCE_COG,
    ),
    unite(
        "fr-angers",
        "FR",
        Niveau::Commune,
        Some("49007"),
        "Angers",
        Some("fr-d-49"),
        SOURCE_COG,
    ),
    unite(
        "fr-montreuil",
        "FR",
        Niveau::Commune,
        Some("93048"),
        "Montreuil",
        Some("fr-d-93"),
        SOURCE_COG,
    ),
    unite(
        "fr-maurepas",
        "FR",
        Niveau::Commune,
        Some("78383"),
        "Maurepas",
        Some("fr-d-78"),
        SOURCE_COG,
    ),
    Unite {
        valide_du: Some(date!(2019 - 01 - 01)),
        ..unite(
            "fr-evry-courcouronnes",
            "FR",
            Niveau::Commune,
            Some("91228"),
            "Évry-Courcouronnes",
            Some("fr-d-91"),
            SOURCE_COG,
        )
    },
    // France: units that reforms replaced
    Unite {
        valide_au: Some(date!(2018 - 12 - 31)),
        ..unite(
            "fr-evry",
            "FR",
            Niveau::Commune,
            Some("91228"),
            "Évry",
            Some("fr-d-91"),
            "Code officiel géographique (INSEE) : Évry et Courcouronnes forment Évry-Courcouronnes (91228) le 1er janvier 2019",
        )
    },
    Unite {
        valide_au: Some(date!(2015 - 12 - 31)),
        ..unite(
            "fr-r-npdc",
            "FR",
            Niveau::Region,
            Some("31"),
            "Nord-Pas-de-Calais",
            None,
            SOURCE_FUSION_2016,
        )
    },
    Unite {
        valide_au: Some(date!(2015 - 12 - 31)),
        ..unite(
            "fr-r-rhone-alpes",
            "FR",
            Niveau::Region,
            Some("82"),
            "Rhône-Alpes",
            None,
            SOURCE_FUSION_2016,
        )
    },
    // Canada
    Unite {
        libelle_niveau: Some("municipalité"),
        ..unite(
            "ca-sainte-elisabeth",
            "CA",
            Niveau::Niveau3,
            None,
            "Sainte-Élisabeth",
            None,
            "Municipalité de Sainte-Élisabeth (Québec, Canada), écrite « Sainte Elizabeth » dans le document fondateur",
        )
    },
];

/// (former unit, successor, date of effect)
const SUCCESSIONS: &[(&str, &str, Date)] = &[
    ("fr-evry", "fr-evry-courcouronnes", date!(2019 - 01 - 01)),
    ("fr-r-npdc", "fr-r-hdf", date!(2016 - 01 - 01)),
    ("fr-r-rhone-alpes", "fr-r-ara", date!(2016 - 01 - 01)),
];

/// A partnership as the founding document lists it.
struct PartenariatDuDocument {
    titre: &'static str,
    /// The line as the document writes it, typos included.
    ligne: &'static str,
    parties: [&'static str; 2],
    /// How the names were matched to collectivités, where the document leaves room.
    identification: &'static str,
}

const PARTENARIATS: &[PartenariatDuDocument] = &[
    PartenariatDuDocument {
        titre: "Bamako – Angers",
        ligne: "Bamako –Angers",
        parties: ["ml-bamako", "fr-angers"],
        identification: "Bamako : le district ; Angers : la commune (49007).",
    },
    PartenariatDuDocument {
        titre: "Évry – Kayes",
        ligne: "Evry –Kayes",
        parties: ["ml-kayes", "fr-evry"],
        identification: "Évry : la commune de l'Essonne, devenue Évry-Courcouronnes en 2019 ; \
                         Kayes : la commune, niveau déduit de celui d'Évry.",
    },
    PartenariatDuDocument {
        titre: "Montreuil – Yélimané",
        ligne: "Montreuil-Yélimané",
        parties: ["ml-c-yelimane", "fr-montreuil"],
        identification: "Montreuil : la commune de Seine-Saint-Denis (93048), la plus peuplée des homonymes ; \
                         Yélimané : le cercle, la liste de référence n'ayant pas de commune de ce nom.",
    },
    PartenariatDuDocument {
        titre: "Sanankoroba – Sainte-Élisabeth",
        ligne: "Sanankoroba –Sainte Elizabeth",
        parties: ["ml-sanankoroba", "ca-sainte-elisabeth"],
        identification: "Sanankoroba : la commune (cercle de Kati) ; \
                         Sainte-Élisabeth : la municipalité du Québec (Canada).",
    },
    PartenariatDuDocument {
        titre: "Région Nord-Pas-de-Calais – Région de Kayes",
        ligne: "Région Nord-Pas -de Calais- Région de Kayes",
        parties: ["ml-r-kayes", "fr-r-npdc"],
        identification: "Niveaux donnés par le document. Le Nord-Pas-de-Calais fait partie des \
                         Hauts-de-France depuis le 1er janvier 2016.",
    },
    PartenariatDuDocument {
        titre: "Région Île-de-France – Région de Kayes",
        ligne: "Région Ile-de France –Région de Kayes",
        parties: ["ml-r-kayes", "fr-r-idf"],
        identification: "Niveaux donnés par le document.",
    },
    PartenariatDuDocument {
        titre: "Maurepas – Mopti",
        ligne: "Maurepas –Mopti",
        parties: ["ml-mopti", "fr-maurepas"],
        identification: "Maurepas : la commune des Yvelines (78383), la plus peuplée des homonymes ; \
                         Mopti : la commune, niveau déduit de celui de Maurepas.",
    },
    PartenariatDuDocument {
        titre: "Département d'Ille-et-Vilaine – Région de Mopti",
        ligne: "Département Ille –et vilaine –Région de Mopti",
        parties: ["ml-r-mopti", "fr-d-35"],
        identification: "Niveaux donnés par le document.",
    },
    PartenariatDuDocument {
        titre: "Région Rhône-Alpes – Région de Tombouctou",
        ligne: "Région Rhône-Alpes –Région de Tombouctou",
        parties: ["ml-r-tombouctou", "fr-r-rhone-alpes"],
        identification: "Niveaux donnés par le document. Rhône-Alpes fait partie \
                         d'Auvergne-Rhône-Alpes depuis le 1er janvier 2016.",
    },
];

/// What [`charger`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RapportDemo {
    pub collectivites_creees: usize,
    pub partenariats_crees: usize,
}

/// Loads the demonstration partnerships and the collectivités they need, all or nothing.
/// Loading twice changes nothing; collectivités already present are reused.
pub fn charger(conn: &Connection) -> Result<RapportDemo> {
    store::atomique(conn, || {
        let mut rapport = RapportDemo {
            collectivites_creees: 0,
            partenariats_crees: 0,
        };
        let mut ids: Vec<(&str, CollectiviteId)> = Vec::new();
        let id_de = |ids: &[(&str, CollectiviteId)], cle: &str| {
            ids.iter()
                .find(|(c, _)| *c == cle)
                .map(|(_, id)| *id)
                .expect("demo keys are declared before use")
        };
        for u in UNITES {
            let pays = Pays::new(u.pays)?;
            let parent = u.parent.map(|p| id_de(&ids, p));
            let id = match collectivite::par_nom(conn, pays, u.niveau, u.nom, parent)? {
                Some(existante) => existante.id,
                None => {
                    rapport.collectivites_creees += 1;
                    collectivite::inserer(
                        conn,
                        NouvelleCollectivite {
                            libelle_niveau: u.libelle_niveau.map(str::to_owned),
                            code: u.code.map(str::to_owned),
                            parent,
                            validite: Periode::new(u.valide_du, u.valide_au)?,
                            source: Some(u.source.to_owned()),
                            ..NouvelleCollectivite::new(pays, u.niveau, u.nom)
                        },
                    )?
                }
            };
            ids.push((u.cle, id));
        }
        for (avant, apres, date_effet) in SUCCESSIONS {
            collectivite::ajouter_successeur(
                conn,
                id_de(&ids, avant),
                id_de(&ids, apres),
                *date_effet,
            )?;
        }
        let deja: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM partenariat WHERE demonstration = 1)",
            [],
            |r| r.get(0),
        )?;
        if deja {
            return Ok(rapport);
        }
        for p in PARTENARIATS {
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
                    ..NouveauPartenariat::new(
                        p.titre,
                        StatutPartenariat::Actif,
                        p.parties.iter().map(|cle| id_de(&ids, cle)).collect(),
                    )
                },
            )?;
            rapport.partenariats_crees += 1;
        }
        Ok(rapport)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;
    use crate::store::partenariat::PartenariatQuery;

    #[test]
    fn the_nine_partnerships_load_once() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::ouvrir(&dir.path().join("demo.db")).unwrap();
        let conn = store.connexion().unwrap();
        let premier = charger(&conn).unwrap();
        assert_eq!(premier.partenariats_crees, 9);
        assert_eq!(premier.collectivites_creees, UNITES.len());
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
        for p in &liste.elements {
            assert!(p.partenariat.demonstration);
            assert_eq!(p.partenariat.statut, StatutPartenariat::Actif);
            assert_eq!(p.etape, None, "the document gives no étape");
            assert_eq!(p.parties.maliennes().len(), 1);
            assert_eq!(p.parties.etrangeres().len(), 1);
        }
    }

    #[test]
    fn every_key_is_declared_before_it_is_used() {
        let mut vues = Vec::new();
        for u in UNITES {
            if let Some(parent) = u.parent {
                assert!(
                    vues.contains(&parent),
                    "{} before its parent {parent}",
                    u.cle
                );
            }
            assert!(!vues.contains(&u.cle), "{} twice", u.cle);
            vues.push(u.cle);
        }
        for (a, b, _) in SUCCESSIONS {
            assert!(vues.contains(a) && vues.contains(b));
        }
        for p in PARTENARIATS {
            assert!(p.parties.iter().all(|c| vues.contains(c)), "{}", p.titre);
        }
    }
}
