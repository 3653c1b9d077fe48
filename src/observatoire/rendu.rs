//! The overview written out: JSON (the machine contract), tables (CSV, Markdown, HTML), the
//! prose that reads like the founding document, inline SVG charts, and the method.
//!
//! Every table is built once, as a [`Tableau`], and each format only lays it out.

use std::collections::BTreeMap;

use askama::Template;

use super::{Apercu, LigneIndicateur, LigneZone, Somme};
use crate::model::{Code, Unite, Valeur, minuscule};

/// The JSON contract, documented field by field in docs/apercu.md.
pub fn json(apercu: &Apercu) -> String {
    serde_json::to_string_pretty(apercu).unwrap_or_else(|e| format!("{{\"erreur\": \"{e}\"}}"))
}

/// One cell: what a French reader sees, and what a program reads in CSV.
#[derive(Debug, Clone)]
pub struct Cellule {
    pub texte: String,
    pub brut: String,
    /// A path to the record the cell names, if any.
    pub lien: Option<String>,
}

impl Cellule {
    fn texte(texte: impl Into<String>) -> Cellule {
        let texte = texte.into();
        Cellule {
            brut: texte.clone(),
            texte,
            lien: None,
        }
    }

    fn nombre(n: u64) -> Cellule {
        Cellule {
            texte: entier(n),
            brut: n.to_string(),
            lien: None,
        }
    }

    fn part(p: f64) -> Cellule {
        Cellule {
            texte: pourcentage(p),
            brut: p.to_string(),
            lien: None,
        }
    }

    /// A sum reads in francs CFA and euros; the CSV keeps its euros with two decimals.
    fn somme(e: Option<Somme>) -> Cellule {
        match e {
            Some(e) => Cellule {
                texte: e.to_string(),
                brut: e.euros_decimaux(),
                lien: None,
            },
            None => Cellule {
                texte: "inconnu".to_owned(),
                brut: String::new(),
                lien: None,
            },
        }
    }

    fn lien(texte: impl Into<String>, lien: String) -> Cellule {
        Cellule {
            lien: Some(lien),
            ..Cellule::texte(texte)
        }
    }
}

/// « 84 850 »: French digit grouping, with a narrow no-break space. Templates hand a count by
/// value or by reference.
pub fn entier(n: impl std::borrow::Borrow<u64>) -> String {
    crate::model::chiffres_groupes((*n.borrow()).into())
}

/// « 34 % », French style; « 0,4 % » below one per cent, so that a small share is not
/// shown as nothing.
pub fn pourcentage(part: impl std::borrow::Borrow<f64>) -> String {
    let pour_cent = *part.borrow() * 100.0;
    if pour_cent > 0.0 && pour_cent < 1.0 {
        format!("{:.1}\u{202F}%", pour_cent).replace('.', ",")
    } else {
        format!("{}\u{202F}%", pour_cent.round() as i64)
    }
}

/// A table of the overview, in every format.
#[derive(Debug, Clone)]
pub struct Tableau {
    /// The file name of its CSV (`regions` → regions.csv).
    pub nom: &'static str,
    pub titre: &'static str,
    pub colonnes: Vec<&'static str>,
    pub lignes: Vec<Vec<Cellule>>,
    /// What the reader must know to read it right.
    pub note: Option<String>,
}

fn zones(
    nom: &'static str,
    titre: &'static str,
    lignes: &[LigneZone],
    note: Option<String>,
) -> Tableau {
    Tableau {
        nom,
        titre,
        colonnes: vec![
            "Collectivité",
            "Code",
            "Région",
            "Partenariats",
            "Part des partenariats",
            "Actions",
            "Part des actions",
        ],
        lignes: lignes
            .iter()
            .map(|z| {
                vec![
                    Cellule::lien(&z.region, format!("/collectivites/{}", z.id)),
                    Cellule::texte(z.code.clone().unwrap_or_default()),
                    Cellule::texte(z.dans.clone().unwrap_or_default()),
                    Cellule::nombre(z.partenariats),
                    Cellule::part(z.part_partenariats),
                    Cellule::nombre(z.actions),
                    Cellule::part(z.part_actions),
                ]
            })
            .collect(),
        note,
    }
}

/// The file name and title of every table of the overview, in reading order.
pub const NOMS_TABLEAUX: [(&str, &str); 19] = [
    ("pays", "Partenariats actifs par pays partenaire"),
    (
        "regions",
        "Partenariats et interventions par région malienne",
    ),
    ("cercles", "Par cercle"),
    ("communes", "Par commune"),
    (
        "top_partenariats",
        "Les partenariats qui mobilisent le plus de fonds",
    ),
    ("plus_actifs", "Les partenariats les plus actifs"),
    ("axes", "Actions et financements par axe d'intervention"),
    ("domaines", "Par domaine"),
    ("annees", "Par année"),
    ("etapes", "Étape atteinte par les partenariats actifs"),
    ("transitions", "Passages d'étape par année"),
    ("couverture", "Couverture du territoire malien"),
    (
        "zones_blanches",
        "Zones blanches : communes sans partenariat actif",
    ),
    (
        "coordination",
        "Coordination : plusieurs partenariats au même endroit dans le même domaine",
    ),
    ("asymetries", "Partenaires de niveaux différents"),
    ("realisations", "Ce que les actions ont réalisé"),
    ("realisations_regions", "Réalisations par région"),
    ("realisations_axes", "Réalisations par axe d'intervention"),
    ("qualite", "Qualité des données : à vérifier"),
];

/// Every table of the overview, in reading order.
pub fn tableaux(a: &Apercu) -> Vec<Tableau> {
    let multi = format!(
        "Un partenariat ou une action présent dans plusieurs régions compte dans chacune : au total, {} partenariats et {} actions localisées distincts ; les parts sont rapportées à ces totaux.",
        a.total_regions.partenariats, a.total_regions.actions
    );
    let top = |nom, titre, lignes: &[super::LigneTop]| {
        Tableau {
        nom,
        titre,
        colonnes: vec!["Partenariat", "Montant mobilisé (EUR)", "Engagements (EUR)", "Décaissements (EUR)", "Actions"],
        lignes: lignes
            .iter()
            .map(|t| {
                vec![
                    Cellule::lien(&t.titre, format!("/partenariats/{}", t.id)),
                    Cellule::somme(t.argent.montant_eur),
                    Cellule::somme(t.argent.engagements_eur),
                    Cellule::somme(t.argent.decaissements_eur),
                    Cellule::nombre(t.actions),
                ]
            })
            .collect(),
        note: Some(
            "Montant mobilisé : le plus grand des engagements et des décaissements. « inconnu » : aucun financement enregistré (ou aucun taux pour le convertir), ce qui n'est pas zéro.".to_owned(),
        ),
    }
    };
    vec![
        Tableau {
            nom: "pays",
            titre: "Partenariats actifs par pays partenaire",
            colonnes: vec!["Pays", "Code ISO", "Partenariats", "Part"],
            lignes: a
                .par_pays
                .iter()
                .map(|p| vec![Cellule::texte(&p.nom), Cellule::texte(&p.pays), Cellule::nombre(p.partenariats), Cellule::part(p.part)])
                .collect(),
            note: Some(format!("Parts rapportées aux {} partenariats actifs.", a.partenariats_actifs)),
        },
        zones("regions", "Partenariats et interventions par région malienne", &a.par_region, Some(multi)),
        zones("cercles", "Par cercle", &a.par_cercle, None),
        zones("communes", "Par commune", &a.par_commune, None),
        top("top_partenariats", "Les partenariats qui mobilisent le plus de fonds", &a.top_partenariats),
        top("plus_actifs", "Les partenariats les plus actifs", &a.plus_actifs),
        Tableau {
            nom: "axes",
            titre: "Actions et financements par axe d'intervention",
            colonnes: vec!["Axe", "Actions", "Part", "Montant mobilisé (EUR)"],
            lignes: a
                .par_axe
                .iter()
                .map(|x| vec![Cellule::texte(x.libelle), Cellule::nombre(x.actions), Cellule::part(x.part), Cellule::somme(x.montant_eur)])
                .collect(),
            note: None,
        },
        Tableau {
            nom: "domaines",
            titre: "Par domaine",
            colonnes: vec!["Domaine", "Secteur CAD", "Actions", "Montant mobilisé (EUR)"],
            lignes: a
                .par_domaine
                .iter()
                .map(|d| vec![Cellule::texte(d.libelle), Cellule::texte(d.code_cad), Cellule::nombre(d.actions), Cellule::somme(d.montant_eur)])
                .collect(),
            note: None,
        },
        Tableau {
            nom: "annees",
            titre: "Par année",
            colonnes: vec!["Année", "Actions commencées", "Engagements (EUR)", "Décaissements (EUR)"],
            lignes: a
                .par_annee
                .iter()
                .map(|y| {
                    vec![
                        Cellule::texte(y.annee.to_string()),
                        Cellule::nombre(y.actions),
                        Cellule::somme(y.engagements_eur),
                        Cellule::somme(y.decaissements_eur),
                    ]
                })
                .collect(),
            note: Some("Les actions sont comptées l'année de leur début, l'argent l'année de son financement.".to_owned()),
        },
        Tableau {
            nom: "etapes",
            titre: "Étape atteinte par les partenariats actifs",
            colonnes: vec!["Étape", "Partenariats", "Part"],
            lignes: a
                .etapes
                .iter()
                .map(|e| vec![Cellule::texte(e.libelle), Cellule::nombre(e.partenariats), Cellule::part(e.part)])
                .collect(),
            note: None,
        },
        Tableau {
            nom: "transitions",
            titre: "Passages d'étape par année",
            colonnes: vec!["Année", "Étape atteinte", "Partenariats"],
            lignes: a
                .transitions
                .iter()
                .map(|t| vec![Cellule::texte(t.annee.to_string()), Cellule::texte(libelle_etape(t.etape)), Cellule::nombre(t.partenariats)])
                .collect(),
            note: None,
        },
        Tableau {
            nom: "couverture",
            titre: "Couverture du territoire malien",
            colonnes: vec!["Niveau", "Collectivités", "Avec un partenariat actif", "Part"],
            lignes: a
                .couverture
                .par_niveau
                .iter()
                .map(|n| {
                    vec![
                        Cellule::texte(match n.niveau {
                            "region" => "Régions et district de Bamako",
                            "cercle" => "Cercles",
                            "commune" => "Communes",
                            autre => autre,
                        }),
                        Cellule::nombre(n.collectivites),
                        Cellule::nombre(n.avec_partenariat),
                        Cellule::part(n.part),
                    ]
                })
                .collect(),
            note: Some(
                "Une collectivité est couverte quand elle-même, ou une collectivité de son territoire, est partie à un partenariat actif.".to_owned(),
            ),
        },
        Tableau {
            nom: "zones_blanches",
            titre: "Zones blanches : communes sans partenariat actif",
            colonnes: vec!["Région", "Communes sans partenariat", "Nombre"],
            lignes: a
                .zones_blanches
                .iter()
                .map(|z| {
                    let noms: Vec<&str> = z.communes.iter().map(|c| c.nom.as_str()).collect();
                    vec![Cellule::texte(&z.region), Cellule::texte(noms.join(", ")), Cellule::nombre(z.communes.len() as u64)]
                })
                .collect(),
            note: None,
        },
        Tableau {
            nom: "coordination",
            titre: "Coordination : plusieurs partenariats au même endroit dans le même domaine",
            colonnes: vec!["Lieu", "Domaine", "Partenariats"],
            lignes: a
                .coordination
                .iter()
                .map(|c| {
                    let ids: Vec<String> = c.partenariats.iter().map(|p| format!("n° {p}")).collect();
                    vec![
                        Cellule::lien(&c.lieu, format!("/collectivites/{}", c.lieu_id)),
                        Cellule::texte(libelle_domaine(c.domaine)),
                        Cellule::texte(ids.join(", ")),
                    ]
                })
                .collect(),
            note: None,
        },
        Tableau {
            nom: "asymetries",
            titre: "Partenaires de niveaux différents",
            colonnes: vec!["Partenariat", "Niveaux maliens", "Niveaux étrangers"],
            lignes: a
                .asymetries
                .iter()
                .map(|x| {
                    vec![
                        Cellule::lien(&x.titre, format!("/partenariats/{}", x.id)),
                        Cellule::texte(libelles_niveaux(&x.niveaux_maliens)),
                        Cellule::texte(libelles_niveaux(&x.niveaux_etrangers)),
                    ]
                })
                .collect(),
            note: Some("Le document fondateur recommande des partenaires « de niveaux similaires » : ces relations sont admises, mais signalées.".to_owned()),
        },
        realisations(a),
        realisations_par(
            "realisations_regions",
            "Réalisations par région",
            "Région",
            a.realisations.par_region.iter().map(|r| {
                (Cellule::lien(&r.region, format!("/collectivites/{}", r.id)), r.indicateurs.as_slice())
            }),
            Some("Une action présente dans plusieurs régions compte dans chacune.".to_owned()),
        ),
        realisations_par(
            "realisations_axes",
            "Réalisations par axe d'intervention",
            "Axe",
            a.realisations.par_axe.iter().map(|x| (Cellule::texte(x.libelle), x.indicateurs.as_slice())),
            None,
        ),
        qualite(a),
    ]
}

/// A value of the overview in its unit: « 12,5 km », « 2 450 personnes »; the CSV keeps
/// the number (`12.5`).
fn cellule_valeur(l: &LigneIndicateur, v: Option<f64>) -> Cellule {
    match valeur(l, v) {
        Some(valeur) => Cellule {
            texte: valeur.to_string(),
            brut: valeur.en_fichier(),
            lien: None,
        },
        None => Cellule::texte(""),
    }
}

/// A number of the JSON contract back in its unit's exact steps.
fn valeur(l: &LigneIndicateur, v: Option<f64>) -> Option<Valeur> {
    let unite = Unite::depuis_code(l.unite).ok()?;
    Some(Valeur {
        unite,
        pas: (v? * 10f64.powi(unite.decimales() as i32)).round() as i64,
    })
}

fn cellule_part(p: Option<f64>) -> Cellule {
    p.map_or_else(|| Cellule::texte(""), Cellule::part)
}

/// What was achieved, or for a percentage the mean level.
fn cellule_realise(l: &LigneIndicateur) -> Cellule {
    match l.moyenne {
        Some(m) => cellule_valeur(l, Some(m)),
        None => cellule_valeur(l, l.valeur),
    }
}

fn realisations(a: &Apercu) -> Tableau {
    let r = &a.realisations;
    Tableau {
        nom: "realisations",
        titre: "Ce que les actions ont réalisé",
        colonnes: vec![
            "Indicateur",
            "Code",
            "Actions mesurées",
            "Réalisé",
            "Femmes",
            "Hommes",
            "Part des femmes",
            "Actions avec cible",
            "Cible",
            "Atteint",
            "Progression",
            "Cibles atteintes",
        ],
        lignes: r
            .indicateurs
            .iter()
            .map(|l| {
                let nombre = |n: Option<u64>| n.map_or_else(|| Cellule::texte(""), Cellule::nombre);
                vec![
                    Cellule::lien(
                        if l.retire {
                            format!("{} (retiré du catalogue)", l.libelle)
                        } else {
                            l.libelle.to_owned()
                        },
                        l.lien.clone(),
                    ),
                    Cellule::texte(l.code),
                    Cellule::nombre(l.actions_mesurees),
                    cellule_realise(l),
                    nombre(l.femmes),
                    nombre(l.hommes),
                    cellule_part(l.part_femmes),
                    Cellule::nombre(l.actions_avec_cible),
                    cellule_valeur(l, l.cible),
                    cellule_valeur(l, l.atteint),
                    cellule_part(l.progression),
                    Cellule::nombre(l.cibles_atteintes),
                ]
            })
            .collect(),
        note: Some(format!(
            "Indicateurs du catalogue de benkan ; une valeur compte quand sa période s'est achevée à la date. Un taux est un niveau : la colonne « Réalisé » donne la moyenne des derniers niveaux mesurés. « Cible » et « Atteint » additionnent les cibles des actions qui en ont une et ce que ces mêmes actions ont atteint ; la progression rapporte l'un à l'autre. {} résultat{} sur des indicateurs propres à une action ne {} pas additionné{}.",
            entier(r.resultats_propres),
            s(r.resultats_propres),
            if r.resultats_propres > 1 {
                "sont"
            } else {
                "est"
            },
            s(r.resultats_propres),
        )),
    }
}

/// The achievements of each région or axe, one line per indicator.
fn realisations_par<'a>(
    nom: &'static str,
    titre: &'static str,
    colonne: &'static str,
    groupes: impl Iterator<Item = (Cellule, &'a [LigneIndicateur])>,
    note: Option<String>,
) -> Tableau {
    let mut lignes = Vec::new();
    for (groupe, indicateurs) in groupes {
        for l in indicateurs {
            lignes.push(vec![
                groupe.clone(),
                Cellule::lien(l.libelle, l.lien.clone()),
                Cellule::texte(l.code),
                Cellule::nombre(l.actions_mesurees),
                cellule_realise(l),
                cellule_part(l.part_femmes),
                cellule_part(l.progression),
            ]);
        }
    }
    Tableau {
        nom,
        titre,
        colonnes: vec![
            colonne,
            "Indicateur",
            "Code",
            "Actions mesurées",
            "Réalisé",
            "Part des femmes",
            "Progression",
        ],
        lignes,
        note,
    }
}

fn libelle_etape(code: &str) -> &'static str {
    use crate::model::Code;
    crate::model::Etape::depuis_code(code)
        .map(|e| e.libelle())
        .unwrap_or("Non renseignée")
}

/// « cercle, commune » for the codes of the JSON contract.
fn libelles_niveaux(codes: &[&str]) -> String {
    use crate::model::Code;
    let libelles: Vec<String> = codes
        .iter()
        .map(|code| {
            crate::model::Niveau::depuis_code(code)
                .map_or_else(|_| (*code).to_owned(), |n| n.libelle().to_lowercase())
        })
        .collect();
    libelles.join(", ")
}

fn libelle_domaine(code: &str) -> &'static str {
    use crate::model::Code;
    crate::model::Domaine::depuis_code(code)
        .map(|d| d.libelle())
        .unwrap_or("?")
}

fn qualite(a: &Apercu) -> Tableau {
    let q = &a.qualite;
    let ligne = |probleme: &str, s: &super::Signalement| {
        let exemples: Vec<String> = s
            .exemples
            .iter()
            .map(|t| format!("{} (n° {})", t.titre, t.id))
            .collect();
        vec![
            Cellule::texte(probleme),
            Cellule::nombre(s.total),
            Cellule::texte(exemples.join(" ; ")),
        ]
    };
    let mut lignes = vec![
        ligne(
            "Actions encore « prévues » ou « en cours » après leur date de fin",
            &q.actions_echues_en_cours,
        ),
        ligne(
            "Partenariats actifs non confirmés depuis plus d'un an",
            &q.partenariats_non_confirmes,
        ),
        ligne(
            "Actions sans financement enregistré",
            &q.actions_sans_financement,
        ),
        ligne("Actions sans lieu", &q.actions_sans_lieu),
        ligne(
            "Actions achevées ou échues sans résultat mesuré",
            &q.actions_terminees_sans_resultat,
        ),
    ];
    let doublons: Vec<String> = q
        .doublons_probables
        .iter()
        .map(|g| {
            g.iter()
                .map(|t| format!("{} (n° {})", t.titre, t.id))
                .collect::<Vec<_>>()
                .join(" / ")
        })
        .collect();
    lignes.push(vec![
        Cellule::texte("Doublons probables (mêmes parties, titres proches)"),
        Cellule::nombre(q.doublons_probables.len() as u64),
        Cellule::texte(doublons.join(" ; ")),
    ]);
    Tableau {
        nom: "qualite",
        titre: "Qualité des données : à vérifier",
        colonnes: vec!["Point à vérifier", "Nombre", "Exemples"],
        lignes,
        note: Some("Les exemples sont les premiers enregistrements concernés, par numéro ; le JSON donne leurs liens.".to_owned()),
    }
}

/// The overview in sentences, as the founding document reads.
pub fn phrases(a: &Apercu) -> Vec<String> {
    let date = crate::model::date_fr(&a.jour);
    let mut phrases = Vec::new();
    let pays: Vec<String> = a
        .par_pays
        .iter()
        .map(|p| format!("{} avec {}", entier(p.partenariats), avec_article(&p.nom)))
        .collect();
    phrases.push(match a.partenariats_actifs {
        0 => format!("Au {date}, benkan ne recense aucun partenariat de coopération décentralisée actif."),
        n => format!(
            "Au {date}, benkan recense {} partenariat{} de coopération décentralisée actif{} avec des collectivités étrangères{}.",
            entier(n),
            s(n),
            s(n),
            if pays.is_empty() { String::new() } else { format!(", dont {}", crate::model::enumeration_fr(&pays)) }
        ),
    });
    if let Some(r) = a.par_region.iter().find(|r| r.actions > 0) {
        phrases.push(format!(
            "{} concentre {} des interventions ({} action{} sur {} localisées au Mali).",
            majuscule(&nom_region(r)),
            pourcentage(r.part_actions),
            entier(r.actions),
            s(r.actions),
            entier(a.total_regions.actions)
        ));
    } else if let Some(r) = a.par_region.first() {
        phrases.push(format!(
            "Aucune action localisée n'est enregistrée ; {} est partie à {} des partenariats.",
            nom_region(r),
            pourcentage(r.part_partenariats)
        ));
    }
    let finances: Vec<String> = a
        .top_partenariats
        .iter()
        .filter_map(|t| {
            t.argent
                .montant_eur
                .map(|m| format!("{} ({}, soit {})", t.titre, m.en_francs(), m.en_euros()))
        })
        .take(5)
        .collect();
    if finances.is_empty() {
        phrases.push(
            "Aucun financement n'est enregistré : les fonds mobilisés sont inconnus, pas nuls."
                .to_owned(),
        );
    } else {
        phrases.push(format!(
            "Les coopérations qui mobilisent les fonds les plus importants sont : {}.",
            crate::model::enumeration_fr(&finances)
        ));
    }
    if let Some(axe) = a
        .par_axe
        .iter()
        .filter(|x| x.actions > 0)
        .max_by_key(|x| x.actions)
    {
        phrases.push(format!(
            "Les actions relèvent d'abord de l'axe « {} » ({}).",
            axe.libelle,
            pourcentage(axe.part)
        ));
    }
    phrases.extend(phrase_realisations(a));
    let compte = |code: &str| {
        a.etapes
            .iter()
            .find(|e| e.etape == code)
            .map(|e| e.partenariats)
            .unwrap_or(0)
    };
    let (conventions, sans_etape) = (compte("convention_partenariat"), compte("non_renseignee"));
    phrases.push(format!(
        "{} partenariat{} actif{} {} atteint l'étape de la convention de partenariat ; {} n'{} pas d'étape datée.",
        entier(conventions),
        s(conventions),
        s(conventions),
        if conventions > 1 { "ont" } else { "a" },
        entier(sans_etape),
        if sans_etape > 1 { "ont" } else { "a" }
    ));
    let blanches = a.communes_blanches();
    phrases.push(format!(
        "{} des {} communes maliennes ont au moins un partenariat actif ; {} restent des zones blanches.",
        pourcentage(a.couverture.part),
        entier(a.couverture.collectivites),
        entier(blanches)
    ));
    let q = &a.qualite;
    let (echues, non_confirmes, doublons) = (
        q.actions_echues_en_cours.total,
        q.partenariats_non_confirmes.total,
        q.doublons_probables.len() as u64,
    );
    let sans_resultat = q.actions_terminees_sans_resultat.total;
    phrases.push(format!(
        "À vérifier : {} action{} encore en cours après leur fin, {} partenariat{} non confirmé{} depuis plus d'un an, \
         {} doublon{} probable{}, {} action{} sans financement, {} sans lieu et {} achevée{} sans résultat mesuré.",
        entier(echues),
        s(echues),
        entier(non_confirmes),
        s(non_confirmes),
        s(non_confirmes),
        entier(doublons),
        s(doublons),
        s(doublons),
        entier(q.actions_sans_financement.total),
        s(q.actions_sans_financement.total),
        entier(q.actions_sans_lieu.total),
        entier(sans_resultat),
        s(sans_resultat)
    ));
    phrases
}

/// « Les actions ont réalisé 312 points d'eau…, 2 450 élus et agents formés (dont 31 % de
/// femmes) », then how many targets are reached.
fn phrase_realisations(a: &Apercu) -> Vec<String> {
    let r = &a.realisations;
    if a.actions == 0 {
        return Vec::new();
    }
    let mesures: Vec<String> = r
        .indicateurs
        .iter()
        .filter(|l| l.actions_mesurees > 0)
        .map(|l| {
            let libelle = minuscule(l.libelle);
            match (l.moyenne, l.valeur) {
                (Some(m), _) => format!(
                    "{libelle} : {} en moyenne sur {} action{}",
                    cellule_valeur(l, Some(m)).texte,
                    entier(l.actions_mesurees),
                    s(l.actions_mesurees)
                ),
                (None, Some(v)) => {
                    let nombre = valeur(l, Some(v)).map(Valeur::nombre).unwrap_or_default();
                    match l.part_femmes {
                        Some(p) => {
                            format!("{nombre} {libelle} (dont {} de femmes)", pourcentage(p))
                        }
                        None => format!("{nombre} {libelle}"),
                    }
                }
                (None, None) => libelle,
            }
        })
        .collect();
    if mesures.is_empty() {
        return vec![
            "Aucun résultat mesuré n'est encore enregistré pour les actions comptées.".to_owned(),
        ];
    }
    let enumeration = crate::model::enumeration_fr(&mesures);
    let mut phrases = vec![match r.actions_mesurees {
        1 => format!("L'action dont un résultat est mesuré a réalisé : {enumeration}."),
        n => format!(
            "Les {} actions dont un résultat est mesuré ont réalisé : {enumeration}.",
            entier(n)
        ),
    }];
    let (avec_cible, atteintes) = r.indicateurs.iter().fold((0, 0), |(n, k), l| {
        (n + l.actions_avec_cible, k + l.cibles_atteintes)
    });
    if avec_cible > 0 {
        phrases.push(format!(
            "Sur {} résultat{} assorti{} d'une cible, {} l'{} atteinte.",
            entier(avec_cible),
            s(avec_cible),
            s(avec_cible),
            entier(atteintes),
            if atteintes > 1 { "ont" } else { "a" }
        ));
    }
    phrases
}

fn s(n: u64) -> &'static str {
    if n > 1 { "s" } else { "" }
}

/// « la France », « le Canada »: the countries benkan commonly meets, with their article.
fn avec_article(pays: &str) -> String {
    let article = match pays {
        "France" | "Belgique" | "Suisse" | "Mauritanie" | "Guinée" | "Côte d'Ivoire" => "la ",
        "Canada" | "Luxembourg" | "Royaume-Uni" | "Sénégal" | "Burkina Faso" | "Niger"
        | "Maroc" | "Japon" => "le ",
        "Allemagne" | "Espagne" | "Italie" | "Algérie" => "l'",
        "Pays-Bas" | "États-Unis" => "les ",
        _ => "",
    };
    format!("{article}{pays}")
}

/// « la région de Kayes », « le district de Bamako ».
fn nom_region(r: &LigneZone) -> String {
    if r.code.as_deref() == Some("ML-BKO") {
        "le district de Bamako".to_owned()
    } else {
        format!("la région de {}", r.region)
    }
}

/// The first letter in upper case, for a sentence that starts with a name.
fn majuscule(texte: &str) -> String {
    let mut lettres = texte.chars();
    lettres
        .next()
        .map(|p| p.to_uppercase().chain(lettres).collect())
        .unwrap_or_default()
}

/// How every figure was obtained, for the reader who must cite one.
pub fn methode(a: &Apercu) -> Vec<String> {
    vec![
        format!("Données lues au {} ; découpage : {}.", a.date, a.division),
        "Un partenariat est actif à la date s'il est marqué « actif » et a commencé (sa première étape datée est antérieure à la date, ou il n'a pas d'étape datée). Le statut est l'état actuel : il n'a pas d'historique.".to_owned(),
        "Une action est comptée si son partenariat est actif et si elle a commencé à la date (ou si son début est inconnu). Elle compte dans chaque région, cercle ou commune où elle a un lieu ; les actions sans lieu ne sont pas réparties.".to_owned(),
        "Un partenariat compte dans chaque unité malienne où se trouve l'une de ses parties maliennes (une partie région compte pour la région seulement, une partie commune aussi pour son cercle et sa région).".to_owned(),
        "Les montants sont additionnés exactement en francs CFA et en euros, liés par la parité fixe 1 € = 655,957 FCFA, puis arrondis une seule fois à l'affichage (au franc et à l'euro) ; les autres devises sont converties au dernier taux enregistré au 31 décembre de l'année du financement ; sans taux, le montant est laissé de côté et signalé.".to_owned(),
        "Montant mobilisé par un partenariat, un axe ou un domaine : le plus grand du total des engagements et du total des décaissements. Un partenariat sans aucun financement a un montant inconnu, jamais zéro.".to_owned(),
        "Couverture : part des collectivités maliennes du découpage qui sont parties à un partenariat actif, elles-mêmes ou par une collectivité de leur territoire ; les zones blanches sont les communes qui ne le sont pas.".to_owned(),
        "Résultats : une valeur mesurée compte quand sa période s'est achevée à la date. Les quantités s'additionnent sur les périodes et sur les actions comptées ; un taux est un niveau, chaque action donne son dernier et l'aperçu en fait la moyenne. La part des femmes est rapportée aux femmes et hommes renseignés. La progression rapporte ce qu'ont atteint les actions assorties d'une cible à la somme de leurs cibles. Seuls les indicateurs du catalogue s'additionnent ; ceux propres à une action sont comptés à part. Le lien de chaque indicateur mène aux actions publiques qui le mesurent.".to_owned(),
        "Chaque tableau est disponible en CSV et l'ensemble en JSON, pour la même date : les chiffres se recalculent à l'identique sur les mêmes données.".to_owned(),
    ]
}

/// The width of a chart in SVG units. Labels stand above their bar, so a chart is narrow: on
/// a 390 px phone it is drawn about 340 px wide, and its 14-unit labels read at 13 px.
pub const LARGEUR: u32 = 360;
/// The longest bar, leaving room for its value on its right.
const BARRE_MAX: f64 = 230.0;
/// One label and its bar.
const LIGNE: u32 = 42;

/// An inline SVG chart of horizontal bars, labelled so that it reads without colour.
#[derive(Template)]
#[template(path = "graphique.html")]
pub struct Graphique {
    pub id: &'static str,
    pub titre: String,
    /// The text alternative: the figures in words.
    pub description: String,
    pub barres: Vec<Barre>,
    pub hauteur: u32,
}

pub struct Barre {
    pub libelle: String,
    pub texte: String,
    pub largeur: u32,
    pub y: u32,
}

impl Graphique {
    /// Bars for (label, value, shown value); an empty list gives no chart.
    fn new(
        id: &'static str,
        titre: &str,
        valeurs: Vec<(String, u64, String)>,
    ) -> Option<Graphique> {
        let max = valeurs
            .iter()
            .map(|(_, v, _)| *v)
            .max()
            .filter(|m| *m > 0)?;
        let description = valeurs
            .iter()
            .map(|(l, _, t)| format!("{l} : {t}"))
            .collect::<Vec<_>>()
            .join(" ; ");
        let barres: Vec<Barre> = valeurs
            .into_iter()
            .enumerate()
            .map(|(i, (libelle, valeur, texte))| Barre {
                libelle,
                texte,
                largeur: ((valeur as f64 / max as f64) * BARRE_MAX).round() as u32,
                y: i as u32 * LIGNE,
            })
            .collect();
        Some(Graphique {
            id,
            titre: titre.to_owned(),
            description,
            hauteur: barres.len() as u32 * LIGNE + 4,
            barres,
        })
    }
}

/// The charts of the overview: régions, partner countries, axes, progress towards the
/// targets, and stages by year.
pub fn graphiques(a: &Apercu) -> Vec<Graphique> {
    // Two charts rather than one that changes subject when the first action is recorded.
    let par_region = |choisir: fn(&LigneZone) -> (u64, f64)| {
        a.par_region
            .iter()
            .map(|r| {
                let (n, p) = choisir(r);
                (
                    r.region.clone(),
                    n,
                    format!("{} ({})", entier(n), pourcentage(p)),
                )
            })
            .collect()
    };
    let regions = par_region(|r| (r.partenariats, r.part_partenariats));
    let regions_actions = if a.total_regions.actions > 0 {
        par_region(|r| (r.actions, r.part_actions))
    } else {
        Vec::new()
    };
    // One bar per year (the étapes reached that year added up), the last twenty years.
    let mut par_annee: BTreeMap<i32, u64> = BTreeMap::new();
    for t in &a.transitions {
        *par_annee.entry(t.annee).or_default() += t.partenariats;
    }
    let debut = par_annee.len().saturating_sub(20);
    let transitions = par_annee
        .into_iter()
        .skip(debut)
        .map(|(annee, n)| (annee.to_string(), n, entier(n)))
        .collect();
    [
        Graphique::new(
            "graphique-regions",
            "Partenariats par région malienne",
            regions,
        ),
        Graphique::new(
            "graphique-regions-actions",
            "Actions par région malienne",
            regions_actions,
        ),
        Graphique::new(
            "graphique-pays",
            "Partenariats actifs par pays partenaire",
            a.par_pays
                .iter()
                .map(|p| {
                    (
                        p.nom.clone(),
                        p.partenariats,
                        format!("{} ({})", entier(p.partenariats), pourcentage(p.part)),
                    )
                })
                .collect(),
        ),
        Graphique::new(
            "graphique-axes",
            "Actions par axe d'intervention",
            a.par_axe
                .iter()
                .map(|x| {
                    (
                        x.libelle.to_owned(),
                        x.actions,
                        format!("{} ({})", entier(x.actions), pourcentage(x.part)),
                    )
                })
                .collect(),
        ),
        Graphique::new(
            "graphique-progression",
            "Progression vers les cibles, par indicateur",
            a.realisations
                .indicateurs
                .iter()
                .filter_map(|l| {
                    let p = l.progression?;
                    // the figures behind the share are in the table: a longer label would
                    // run off a phone's chart
                    Some((
                        l.libelle.to_owned(),
                        (p * 1000.0).round() as u64,
                        pourcentage(p),
                    ))
                })
                .collect(),
        ),
        Graphique::new(
            "graphique-etapes",
            "Passages d'étape au fil des années",
            transitions,
        ),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The Markdown report: prose, tables, method.
pub fn markdown(a: &Apercu) -> String {
    let mut md = String::from("# Aperçu général sur la coopération décentralisée au Mali\n\n");
    for p in phrases(a) {
        md.push_str(&p);
        md.push_str("\n\n");
    }
    for t in tableaux(a) {
        md.push_str(&format!("## {}\n\n", t.titre));
        if t.lignes.is_empty() {
            md.push_str("Aucune ligne.\n\n");
            continue;
        }
        md.push_str(&format!(
            "| {} |\n|{}\n",
            t.colonnes.join(" | "),
            " --- |".repeat(t.colonnes.len())
        ));
        for ligne in &t.lignes {
            let cellules: Vec<String> = ligne.iter().map(|c| c.texte.replace('|', "\\|")).collect();
            md.push_str(&format!("| {} |\n", cellules.join(" | ")));
        }
        if let Some(note) = &t.note {
            md.push_str(&format!("\n{note}\n"));
        }
        md.push('\n');
    }
    md.push_str("## Méthode\n\n");
    for m in methode(a) {
        md.push_str(&format!("- {m}\n"));
    }
    md
}

/// One CSV file per table (UTF-8, `,`, machine values: shares between 0 and 1, euros with
/// a decimal point — the francs CFA are in the JSON's `…_xof` fields).
pub fn tableaux_csv(a: &Apercu) -> Vec<(&'static str, String)> {
    tableaux(a).into_iter().map(|t| (t.nom, csv(&t))).collect()
}

/// One table as CSV.
pub fn csv(t: &Tableau) -> String {
    let mut ecrivain = ::csv::Writer::from_writer(Vec::new());
    let _ = ecrivain.write_record(&t.colonnes);
    for ligne in &t.lignes {
        let _ = ecrivain.write_record(ligne.iter().map(|c| c.brut.as_str()));
    }
    String::from_utf8(ecrivain.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// The self-contained printable report: one HTML file with its style and charts inline.
#[derive(Template)]
#[template(path = "rapport.html")]
pub struct Rapport<'a> {
    pub apercu: &'a Apercu,
    pub phrases: Vec<String>,
    pub tableaux: Vec<Tableau>,
    pub graphiques: Vec<Graphique>,
    pub methode: Vec<String>,
    /// Links to the site (CSV beside each table, records) — off in the standalone file.
    pub liens: bool,
    /// The query string of the date, for the links.
    pub requete: String,
    /// The national map (régions by active partenariats), in the standalone report.
    pub carte: Option<String>,
}

impl<'a> Rapport<'a> {
    pub fn new(apercu: &'a Apercu, liens: bool) -> Self {
        Rapport {
            phrases: phrases(apercu),
            tableaux: tableaux(apercu),
            graphiques: graphiques(apercu),
            methode: methode(apercu),
            liens,
            requete: format!("date={}", apercu.date),
            carte: None,
            apercu,
        }
    }
}

pub fn html(a: &Apercu) -> Result<String, askama::Error> {
    let mut rapport = Rapport::new(a, false);
    let carte = super::carte::choroplethe(
        a,
        crate::carte::Echelon::Region,
        super::carte::Mesure::Partenariats,
        None,
        None,
        &|_| None,
        "carte",
    );
    rapport.carte = carte.map(|c| c.render()).transpose()?;
    rapport.render()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_shares_read_as_french() {
        assert_eq!(entier(84_850), "84\u{202F}850");
        assert_eq!(entier(1_000_000), "1\u{202F}000\u{202F}000");
        assert_eq!(entier(999), "999");
        assert_eq!(pourcentage(0.3333), "33\u{202F}%");
        assert_eq!(pourcentage(0.004), "0,4\u{202F}%");
        assert_eq!(pourcentage(0.0), "0\u{202F}%");
        assert_eq!(pourcentage(1.0), "100\u{202F}%");
    }

    #[test]
    fn countries_take_their_article() {
        assert_eq!(avec_article("France"), "la France");
        assert_eq!(avec_article("Canada"), "le Canada");
        assert_eq!(avec_article("Allemagne"), "l'Allemagne");
        assert_eq!(avec_article("États-Unis"), "les États-Unis");
    }
}
