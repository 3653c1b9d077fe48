//! The overview on the map: each zone shaded by one of its figures, in quantile classes,
//! the zones without an active partenariat (« zones blanches ») hatched apart.

use std::collections::HashMap;

use geo::BoundingRect;

use super::{Apercu, LigneZone, rendu};
use crate::carte::classes::Classes;
use crate::carte::dessin::{Dessin, EntreeLegende, Teinte};
use crate::carte::{self, Echelon, Zone};

/// The figure a choropleth shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mesure {
    #[default]
    Partenariats,
    Actions,
    Montant,
    Interventions,
}

impl Mesure {
    pub const TOUTES: [Mesure; 4] = [
        Mesure::Partenariats,
        Mesure::Actions,
        Mesure::Montant,
        Mesure::Interventions,
    ];

    /// The word used in URLs (`?mesure=montant`).
    pub fn cle(self) -> &'static str {
        match self {
            Mesure::Partenariats => "partenariats",
            Mesure::Actions => "actions",
            Mesure::Montant => "montant",
            Mesure::Interventions => "interventions",
        }
    }

    pub fn depuis_cle(cle: &str) -> Option<Mesure> {
        Mesure::TOUTES.into_iter().find(|m| m.cle() == cle)
    }

    pub fn libelle(self) -> &'static str {
        match self {
            Mesure::Partenariats => "partenariats actifs",
            Mesure::Actions => "actions",
            Mesure::Montant => "montant mobilisé (euros)",
            Mesure::Interventions => "interventions publiées (IATI)",
        }
    }

    fn valeur(self, l: &LigneZone) -> f64 {
        match self {
            Mesure::Partenariats => l.partenariats as f64,
            Mesure::Actions => l.actions as f64,
            Mesure::Montant => l.montant_eur.map_or(0.0, |e| e.centimes() as f64 / 100.0),
            Mesure::Interventions => l.interventions as f64,
        }
    }

    fn texte(self, v: f64) -> String {
        match self {
            Mesure::Montant => montant_court(v),
            _ => rendu::entier(v.round() as u64),
        }
    }
}

/// « 1,2 M€ », « 350 k€ », « 900 € »: enough to compare zones on a map.
pub fn montant_court(euros: f64) -> String {
    let virgule = |x: f64| format!("{x:.1}").replace('.', ",").replace(",0", "");
    if euros >= 1e6 {
        format!("{}\u{A0}M€", virgule(euros / 1e6))
    } else if euros >= 1e3 {
        format!("{}\u{A0}k€", virgule(euros / 1e3))
    } else {
        format!("{}\u{A0}€", euros.round())
    }
}

/// The figures of a zone in words, for its `<title>`.
fn resume(nom: &str, niveau: &str, ligne: Option<&LigneZone>) -> String {
    let Some(l) = ligne.filter(|l| l.partenariats > 0 || l.actions > 0 || l.interventions > 0)
    else {
        return format!("{nom} ({niveau}) : aucun partenariat actif (zone blanche)");
    };
    let pluriel =
        |n: u64, mot: &str| format!("{} {mot}{}", rendu::entier(n), if n > 1 { "s" } else { "" });
    let mut texte = format!(
        "{nom} ({niveau}) : {}, {}",
        pluriel(l.partenariats, "partenariat"),
        pluriel(l.actions, "action")
    );
    if let Some(m) = l.montant_eur {
        texte.push_str(", ");
        texte.push_str(&montant_court(m.centimes() as f64 / 100.0));
        if l.montant_incomplet {
            texte.push_str(" (incomplet)");
        }
    }
    if l.interventions > 0 {
        texte.push_str(", ");
        texte.push_str(&pluriel(l.interventions, "intervention"));
    }
    texte
}

/// The overview's lines by benkan code, all levels together.
fn lignes_par_code(apercu: &Apercu) -> HashMap<&str, &LigneZone> {
    apercu
        .par_region
        .iter()
        .chain(&apercu.par_cercle)
        .chain(&apercu.par_commune)
        .filter_map(|l| Some((l.code.as_deref()?, l)))
        .collect()
}

/// A choropleth of `echelon` zones inside `dans` (the whole country when `None`).
/// `lien` gives the page of a benkan code; `accent` is drawn outlined.
pub fn choroplethe(
    apercu: &Apercu,
    echelon: Echelon,
    mesure: Mesure,
    dans: Option<&str>,
    accent: Option<&str>,
    lien: &dyn Fn(&str) -> Option<String>,
    id: &str,
) -> Option<Dessin> {
    let carte = carte::carte();
    let parent = match dans {
        Some(code) => Some(carte.zone(code)?),
        None => None,
    };
    let zones = echelon.zones_dans(carte, parent);
    if zones.is_empty() {
        return None;
    }
    let lignes = lignes_par_code(apercu);
    let ligne = |z: &Zone| z.code.as_deref().and_then(|c| lignes.get(c).copied());
    let classes = Classes::quantiles(
        zones
            .iter()
            .filter_map(|z| ligne(z))
            .map(|l| mesure.valeur(l)),
    );
    let teinte = |z: &Zone| {
        let l = ligne(z);
        let blanche = l.is_none_or(|l| l.partenariats == 0);
        let valeur = l.map_or(0.0, |l| mesure.valeur(l));
        Some(Teinte {
            couleur: if blanche && valeur == 0.0 {
                None
            } else {
                Some(classes.classe(valeur).map_or(ZERO, |c| classes.couleur(c)))
            },
            titre: resume(&z.nom, z.niveau(), l),
            lien: z.code.as_deref().and_then(lien),
            accent: accent.is_some() && z.code.as_deref() == accent,
        })
    };
    let contours: Vec<&Zone> = match (parent, echelon) {
        (None, Echelon::Region) | (Some(_), _) => Vec::new(),
        (None, _) => carte.zones(Echelon::Region).iter().collect(),
    };
    let ou = match parent {
        Some(p) => format!("dans {} ({})", p.nom, p.niveau()),
        None => "au Mali".to_owned(),
    };
    let titre = format!(
        "{} par {} {ou}, au {}",
        majuscule(mesure.libelle()),
        echelon.libelle(),
        crate::model::date_fr(&apercu.jour)
    );
    let avec_valeur = zones
        .iter()
        .filter(|z| ligne(z).is_some_and(|l| mesure.valeur(l) > 0.0))
        .count();
    let blanches = zones
        .iter()
        .filter(|z| ligne(z).is_none_or(|l| l.partenariats == 0))
        .count();
    let description = format!(
        "Carte de {} zones ({}s) : {avec_valeur} ont une valeur non nulle, {blanches} sont des zones blanches (aucun partenariat actif, hachurées). Les chiffres de chaque zone sont dans le tableau de la page.",
        zones.len(),
        echelon.libelle()
    );
    let cadre = parent.and_then(|p| p.forme.bounding_rect());
    let mut dessin = Dessin::new(
        carte,
        id,
        titre,
        description,
        cadre,
        &zones,
        &teinte,
        &contours,
        &[],
    );
    dessin.legende = legende(&classes, mesure);
    let classement = match classes.bornes.len() {
        0 => "aucune zone n'a de valeur non nulle à cette date".to_owned(),
        1 => "une seule classe (une seule valeur non nulle)".to_owned(),
        n => format!(
            "{n} classes par quantiles des valeurs non nulles (autant de zones dans chacune)"
        ),
    };
    dessin.note_legende = format!(
        "Classes : {classement} ; palette séquentielle lisible par les daltoniens (ColorBrewer YlGnBu). Une zone est un lien vers sa page ; au clavier, le tableau donne les mêmes liens. Découpage de 2015 (COD-AB) : Taoudénit n'a pas de polygone, son territoire est dans Tombouctou."
    );
    Some(dessin)
}

/// The colour of a zone with a partenariat but nothing of the measure.
const ZERO: &str = "#ffffff";

fn legende(classes: &Classes, mesure: Mesure) -> Vec<EntreeLegende> {
    let mut entrees: Vec<EntreeLegende> = classes
        .intervalles()
        .into_iter()
        .enumerate()
        .map(|(i, (bas, haut))| {
            let libelle = if i == 0 && bas == 0.0 {
                format!("jusqu'à {}", mesure.texte(haut))
            } else {
                format!("plus de {} à {}", mesure.texte(bas), mesure.texte(haut))
            };
            EntreeLegende {
                couleur: Some(classes.couleur(i)),
                libelle: format!("{libelle} ({})", mesure.libelle()),
            }
        })
        .collect();
    entrees.push(EntreeLegende {
        couleur: Some(ZERO),
        libelle: format!("partenariat actif, mais 0 ({})", mesure.libelle()),
    });
    entrees.push(EntreeLegende {
        couleur: None,
        libelle: "zone blanche : aucun partenariat actif".to_owned(),
    });
    entrees
}

fn majuscule(texte: &str) -> String {
    let mut c = texte.chars();
    c.next()
        .map(|p| p.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// Where a unit is: Mali with its région outlined and the unit highlighted.
pub fn situation(code: &str, lien: &dyn Fn(&str) -> Option<String>) -> Option<Dessin> {
    let carte = carte::carte();
    let zone = carte.zone(code)?;
    let lignee = carte.lignee(zone);
    let regions: Vec<&Zone> = carte.zones(Echelon::Region).iter().collect();
    let mut zones = regions.clone();
    if zone.echelon != Echelon::Region {
        zones.push(zone);
    }
    let teinte = |z: &Zone| {
        let est = std::ptr::eq(z, zone);
        let dans = lignee.iter().any(|l| std::ptr::eq(*l, z));
        Some(Teinte {
            couleur: Some(if est {
                "#d7301f"
            } else if dans {
                "#fdcc8a"
            } else {
                "#eeeeee"
            }),
            titre: format!("{} ({})", z.nom, z.niveau()),
            lien: z.code.as_deref().and_then(lien),
            accent: false,
        })
    };
    let titre = format!("Situation de {} ({}) au Mali", zone.nom, zone.niveau());
    let description = match lignee.first() {
        Some(r) if !std::ptr::eq(*r, zone) => format!(
            "{} est en rouge, dans {} {} (en orange clair), sur la carte des régions du Mali.",
            zone.nom,
            if r.niveau() == "district" {
                "le district de"
            } else {
                "la région de"
            },
            r.nom
        ),
        _ => format!(
            "{} est en rouge sur la carte des régions du Mali.",
            zone.nom
        ),
    };
    Some(Dessin::new(
        carte,
        "situation",
        titre,
        description,
        None,
        &zones,
        &teinte,
        &[],
        &[],
    ))
}

/// The zones of a level as GeoJSON with the overview's figures at its date.
pub fn geojson(apercu: &Apercu, echelon: Echelon) -> serde_json::Value {
    use serde_json::{Map, Value, json};
    let lignes = lignes_par_code(apercu);
    let mut entete = Map::new();
    entete.insert("date".into(), json!(apercu.date));
    entete.insert("division".into(), json!(apercu.division));
    entete.insert("source_limites".into(), json!(carte::CREDIT));
    let proprietes = |z: &Zone| {
        let l = z.code.as_deref().and_then(|c| lignes.get(c).copied());
        let mut p = Map::new();
        p.insert(
            "partenariats".into(),
            json!(l.map_or(0, |l| l.partenariats)),
        );
        p.insert("actions".into(), json!(l.map_or(0, |l| l.actions)));
        p.insert(
            "montant_eur".into(),
            l.and_then(|l| l.montant_eur)
                .map_or(Value::Null, |e| json!(e)),
        );
        p.insert(
            "montant_xof".into(),
            l.and_then(|l| l.montant_xof)
                .map_or(Value::Null, |e| json!(e)),
        );
        p.insert(
            "interventions".into(),
            json!(l.map_or(0, |l| l.interventions)),
        );
        p.insert(
            "zone_blanche".into(),
            json!(l.is_none_or(|l| l.partenariats == 0)),
        );
        p
    };
    carte::geojson::collection(carte::carte(), echelon, entete, &proprietes)
}
