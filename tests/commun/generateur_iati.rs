//! Synthetic IATI activity files, as varied as real publishers' — several narratives and
//! languages, unknown and extension elements, comments, CDATA, entities, default currencies
//! — for the import tests and the import benchmark (`benches/import_iati.rs`).
#![allow(dead_code)] // the benchmark uses only part of it

use std::io::{self, Write};

/// What an activity says about where it takes place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Genre {
    /// recipient-country ML, a place « Kayes » (région, cercle and commune: the région links).
    Kayes,
    /// recipient-country ML, « Yélimané » (the cercle).
    Yelimane,
    /// recipient-country ML, « District de Bamako ».
    Bamako,
    /// recipient-country ML, « Somadougou »: three villages of that name in three communes,
    /// nobody can tell which; no point.
    Ambigu,
    /// recipient-country ML, a place no référentiel knows; no point.
    Inconnu,
    /// No recipient-country at all, a place « YELIMANE »: kept because the place is Malian.
    SansPays,
    /// recipient-country BF with a place « Kayes »: not Mali, skipped.
    HorsMali,
    /// The country is given on the transactions only (ML), a place « Kayes, Mali ».
    PaysTransaction,
    /// recipient-country ML, a place given only by its ISO 3166-2 code ML-BKO.
    CodeBamako,
}

pub const GENRES: [Genre; 9] = [
    Genre::Kayes,
    Genre::Yelimane,
    Genre::Bamako,
    Genre::Ambigu,
    Genre::Inconnu,
    Genre::SansPays,
    Genre::HorsMali,
    Genre::PaysTransaction,
    Genre::CodeBamako,
];

pub fn genre(i: usize) -> Genre {
    GENRES[i % GENRES.len()]
}

/// What importing activities `debut..debut + nombre` must report.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Attendu {
    pub activites: u64,
    pub gardees: u64,
    pub hors_mali: u64,
    pub lieux_lies: u64,
    pub lieux_non_lies: u64,
    /// Places of the activities left out.
    pub lieux_ignores: u64,
}

pub fn attendu(debut: usize, nombre: usize) -> Attendu {
    let mut a = Attendu::default();
    for i in debut..debut + nombre {
        a.activites += 1;
        match genre(i) {
            Genre::HorsMali => {
                a.hors_mali += 1;
                a.lieux_ignores += 1;
            }
            Genre::Ambigu | Genre::Inconnu => {
                a.gardees += 1;
                a.lieux_non_lies += 1;
            }
            _ => {
                a.gardees += 1;
                a.lieux_lies += 1;
            }
        }
    }
    a
}

pub fn identifiant(prefixe: &str, i: usize) -> String {
    format!("XM-BENKAN-{prefixe}-{i:07}")
}

/// Writes a whole file of `nombre` activities numbered from `debut`.
pub fn ecrire(
    sortie: &mut impl Write,
    version: &str,
    prefixe: &str,
    debut: usize,
    nombre: usize,
) -> io::Result<()> {
    writeln!(sortie, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        sortie,
        "<!-- Fichier synthétique de benkan : aucune activité réelle. -->"
    )?;
    writeln!(
        sortie,
        r#"<iati-activities version="{version}" generated-datetime="2025-01-01T00:00:00Z" xmlns:ext="http://example.org/extension">"#
    )?;
    for i in debut..debut + nombre {
        activite(sortie, prefixe, i)?;
    }
    writeln!(sortie, "</iati-activities>")
}

fn activite(s: &mut impl Write, prefixe: &str, i: usize) -> io::Result<()> {
    let g = genre(i);
    let id = identifiant(prefixe, i);
    let langue = ["en", "fr", "es"][i % 3];
    writeln!(
        s,
        r#" <iati-activity xml:lang="{langue}" default-currency="XOF" last-updated-datetime="2025-01-01T00:00:00Z" hierarchy="1">"#
    )?;
    writeln!(s, "  <iati-identifier>{id}</iati-identifier>")?;
    writeln!(
        s,
        r#"  <reporting-org ref="XM-BENKAN-{prefixe}" type="10"><narrative>Agence synthétique {prefixe}</narrative><narrative xml:lang="en">Synthetic agency {prefixe}</narrative></reporting-org>"#
    )?;
    writeln!(
        s,
        r#"  <title><narrative>Project {i} &amp; partners</narrative><narrative xml:lang="fr">Projet n° {i} — eau &amp; assainissement</narrative><narrative xml:lang="es">Proyecto {i}</narrative></title>"#
    )?;
    writeln!(
        s,
        r#"  <description type="1"><narrative xml:lang="en">Long description of activity {i}: boreholes, latrines and the training of water committees in rural communes, with the support of the regional technical services.</narrative><narrative xml:lang="fr"><![CDATA[Description longue de l'activité {i} : forages, latrines & formation des comités de gestion de l'eau dans les communes rurales, avec l'appui des services techniques régionaux.]]></narrative></description>"#
    )?;
    writeln!(
        s,
        r#"  <description type="2"><narrative>Objectives of activity {i}.</narrative></description>"#
    )?;
    writeln!(
        s,
        r#"  <participating-org ref="XM-FUNDER-{}" role="1" type="10"><narrative>Funder {}</narrative></participating-org>"#,
        i % 7,
        i % 7
    )?;
    writeln!(
        s,
        r#"  <participating-org role="4" type="22"><narrative xml:lang="fr">ONG de mise en œuvre {}</narrative></participating-org>"#,
        i % 11
    )?;
    writeln!(s, "  <!-- contact, scope and unknown elements follow -->")?;
    writeln!(
        s,
        r#"  <contact-info type="1"><organisation><narrative>Contact</narrative></organisation><email>contact@example.org</email></contact-info>"#
    )?;
    writeln!(
        s,
        r#"  <ext:marker ext:code="{i}"><ext:title><narrative>Extension element, to be skipped</narrative></ext:title></ext:marker>"#
    )?;
    writeln!(s, r#"  <activity-status code="{}"/>"#, 1 + i % 4)?;
    writeln!(
        s,
        r#"  <activity-date type="1" iso-date="20{:02}-01-15"/>"#,
        10 + i % 12
    )?;
    writeln!(
        s,
        r#"  <activity-date type="2" iso-date="20{:02}-02-01"/>"#,
        10 + i % 12
    )?;
    writeln!(
        s,
        r#"  <activity-date type="3" iso-date="20{:02}-12-31"/>"#,
        24 + i % 4
    )?;
    match g {
        Genre::HorsMali => writeln!(s, r#"  <recipient-country code="BF" percentage="100"/>"#)?,
        Genre::SansPays | Genre::PaysTransaction => writeln!(
            s,
            r#"  <recipient-region code="289" vocabulary="1" percentage="100"/>"#
        )?,
        _ => writeln!(s, r#"  <recipient-country code="ML" percentage="100"/>"#)?,
    }
    let nom = match g {
        Genre::Kayes | Genre::HorsMali => Some("Kayes"),
        Genre::Yelimane => Some("Yélimané"),
        Genre::Bamako => Some("District de Bamako"),
        Genre::Ambigu => Some("Somadougou"),
        Genre::Inconnu => Some("Zorglub-Village"),
        Genre::SansPays => Some("YELIMANE"),
        Genre::PaysTransaction => Some("Kayes, Mali"),
        Genre::CodeBamako => None,
    };
    writeln!(s, r#"  <location ref="L-{i}">"#)?;
    writeln!(s, r#"   <location-reach code="1"/>"#)?;
    if let Some(nom) = nom {
        writeln!(
            s,
            r#"   <name><narrative>{nom}</narrative><narrative xml:lang="ar">مكان</narrative></name>"#
        )?;
    } else {
        writeln!(
            s,
            r#"   <administrative vocabulary="A4" level="1" code="ML-BKO"/>"#
        )?;
    }
    if !matches!(g, Genre::Ambigu | Genre::Inconnu) {
        writeln!(
            s,
            r#"   <point srsName="http://www.opengis.net/def/crs/EPSG/0/4326"><pos>14.45 -11.43</pos></point>"#
        )?;
    }
    writeln!(s, "  </location>")?;
    writeln!(
        s,
        r#"  <sector vocabulary="1" code="14030" percentage="60"/>"#
    )?;
    writeln!(s, r#"  <sector code="15112" percentage="40"/>"#)?;
    writeln!(
        s,
        r#"  <budget type="1"><period-start iso-date="2020-01-01"/><period-end iso-date="2020-12-31"/><value currency="EUR" value-date="2020-01-01">1000</value></budget>"#
    )?;
    for (type_transaction, montant) in [(2, 25_000_000 + i), (3, 10_000_000 + i)] {
        writeln!(s, "  <transaction>")?;
        writeln!(
            s,
            r#"   <transaction-type code="{type_transaction}"/><transaction-date iso-date="2021-06-30"/>"#
        )?;
        writeln!(s, r#"   <value value-date="2021-06-30">{montant}</value>"#)?;
        writeln!(
            s,
            r#"   <provider-org ref="XM-FUNDER-{}"><narrative>Funder {}</narrative></provider-org>"#,
            i % 7,
            i % 7
        )?;
        if g == Genre::PaysTransaction {
            writeln!(s, r#"   <recipient-country code="ML"/>"#)?;
        }
        writeln!(s, "  </transaction>")?;
    }
    // A result as publishers give them: a baseline, a period with a target, an actual and
    // an actual for one sex; a percentage for every other activity.
    let mesure = 1 + i % 2;
    writeln!(
        s,
        r#"  <result type="1" aggregation-status="0"><title><narrative>Result</narrative></title><indicator measure="{mesure}" ascending="1"><title><narrative>Indicator</narrative></title>"#
    )?;
    writeln!(
        s,
        r#"   <reference vocabulary="99" code="XM-IND-{}"/><baseline year="2020" iso-date="2020-01-01" value="{}"><comment><narrative>Baseline</narrative></comment></baseline>"#,
        i % 4,
        i % 10
    )?;
    writeln!(
        s,
        r#"   <period><period-start iso-date="2021-01-01"/><period-end iso-date="2021-12-31"/><target value="{}.5"/><actual value="{}"/><actual value="3"><dimension name="sex" value="2"/></actual></period>"#,
        i % 10 + 20,
        i % 10 + 10
    )?;
    writeln!(s, "  </indicator></result>")?;
    writeln!(s, " </iati-activity>")
}
