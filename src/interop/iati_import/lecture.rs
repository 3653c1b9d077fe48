//! Reading an IATI activity file as a stream: one `iati-activity` in memory at a time, every
//! element benkan does not use skipped as it goes by.

use std::io::BufRead;

use quick_xml::XmlVersion;
use quick_xml::errors::{Error as ErreurXml, IllFormedError, SyntaxError};
use quick_xml::events::{BytesStart, Event};

use super::activite::{
    ActiviteLue, BaseLue, CodeLu, IndicateurLu, LieuLu, PeriodeLue, PointLu, ResultatLu,
    TransactionLue, ValeurLue,
};
use super::controle::{OctetsVerifies, interdit_en_xml, message_caractere, verifier_attributs};
use crate::model::{
    Extrait, Narratif, OrganisationIati, SecteurIati, retirer_caracteres_interdits,
};

/// The versions of the activity standard benkan reads.
pub const VERSIONS: &[&str] = &["2.01", "2.02", "2.03"];

/// Why a file cannot be read, at which byte.
#[derive(Debug, thiserror::Error)]
pub enum ErreurLecture {
    #[error("lecture impossible : {0}")]
    Io(#[from] std::io::Error),
    /// Not well-formed XML, or not an IATI activity file benkan reads.
    #[error("{message}")]
    Fichier { position: u64, message: String },
}

/// The elements benkan reads; every other one is `Autre` and its content is ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Balise {
    Activite,
    Identifiant,
    Titre,
    Description,
    Editeur,
    Participant,
    Narratif,
    Lieu,
    NomLieu,
    DescriptionLieu,
    DescriptionActiviteLieu,
    Point,
    Pos,
    Transaction,
    Valeur,
    Fournisseur,
    Beneficiaire,
    Resultat,
    TitreResultat,
    Indicateur,
    TitreIndicateur,
    Periode,
    Cible,
    Atteint,
    Autre,
}

/// Reads the activities of one file, one at a time.
pub struct LecteurIati<R: BufRead> {
    xml: quick_xml::Reader<OctetsVerifies<R>>,
    tampon: Vec<u8>,
    /// The version the root element declares.
    pub version: String,
    /// The file's default language (`iati-activities/@xml:lang`).
    langue_fichier: Option<String>,
    /// The elements open inside the current activity.
    pile: Vec<Balise>,
    /// The text of the element being read (narrative, identifier, value).
    texte: String,
    langue_activite: Option<String>,
    langue_narratif: Option<String>,
    fini: bool,
    /// Control characters XML allows but benkan does not store (C1, DEL), removed from
    /// what was kept.
    pub caracteres_retires: u64,
}

/// An attribute's value, without the characters benkan does not store (counted in
/// `retires`). The element's attributes were checked by [`verifier_attributs`], so that
/// looking one up does not need quick-xml's (quadratic) duplicate check.
fn attribut(e: &BytesStart<'_>, nom: &str, retires: &mut u64) -> Option<String> {
    let mut attributs = e.attributes();
    attributs.with_checks(false);
    attributs
        .flatten()
        .find(|a| AsRef::<str>::as_ref(&a.key) == nom)
        .and_then(|a| a.normalized_value(XmlVersion::Implicit1_0).ok())
        .map(|v| {
            let mut v = v.trim().to_owned();
            *retires += retirer_caracteres_interdits(&mut v) as u64;
            v
        })
        .filter(|v| !v.is_empty())
}

/// Where an element starts in the file, from the position just after it.
fn debut_element(e: &BytesStart<'_>, apres: u64, vide: bool) -> u64 {
    apres.saturating_sub(e.len() as u64 + if vide { 3 } else { 2 })
}

/// [`verifier_attributs`] with the offending offset in the file.
fn attributs_valides(e: &BytesStart<'_>, apres: u64, vide: bool) -> Result<(), ErreurLecture> {
    verifier_attributs(e).map_err(|(decalage, message)| ErreurLecture::Fichier {
        position: debut_element(e, apres, vide) + 1 + decalage as u64,
        message,
    })
}

/// An element's name as written, prefix included: IATI's own elements have none, so an
/// extension element (`<ext:title>`) never passes for one of them.
fn nom<'a>(e: &'a BytesStart<'_>) -> &'a str {
    e.name().into_inner()
}

/// Checks the root element — `iati-activities` in a version benkan reads — and returns the
/// version and the file's default language.
fn racine(
    e: &BytesStart<'_>,
    position: u64,
    vide: bool,
) -> Result<(String, Option<String>), ErreurLecture> {
    attributs_valides(e, position, vide)?;
    let nom = nom(e);
    let debut = debut_element(e, position, vide);
    let mut retires = 0;
    if nom != "iati-activities" {
        return Err(ErreurLecture::Fichier {
            position: debut,
            message: format!(
                "l'élément racine est <{}> : un fichier d'activités IATI commence par <iati-activities>",
                Extrait(nom)
            ),
        });
    }
    let version = attribut(e, "version", &mut retires).unwrap_or_default();
    if !VERSIONS.contains(&version.as_str()) {
        let lue = if version.is_empty() {
            "sans attribut version".to_owned()
        } else {
            format!("en version {}", Extrait(&version))
        };
        return Err(ErreurLecture::Fichier {
            position: debut,
            message: format!(
                "fichier IATI {lue} : benkan lit les versions {} (convertissez d'abord les fichiers 1.x)",
                VERSIONS.join(", ")
            ),
        });
    }
    Ok((version, attribut(e, "xml:lang", &mut retires)))
}

/// quick-xml's error, in French.
fn message_xml(e: &ErreurXml) -> String {
    match e {
        ErreurXml::IllFormed(IllFormedError::MismatchedEndTag { expected, found }) => {
            format!("XML mal formé : balise fermante </{found}> alors que <{expected}> est ouverte")
        }
        ErreurXml::IllFormed(IllFormedError::UnmatchedEndTag(nom)) => {
            format!("XML mal formé : balise fermante </{nom}> sans balise ouvrante")
        }
        ErreurXml::IllFormed(IllFormedError::MissingEndTag(nom)) => {
            format!("XML mal formé : l'élément <{nom}> n'est pas fermé")
        }
        ErreurXml::IllFormed(IllFormedError::UnclosedReference) => {
            "XML mal formé : « & » isolé (écrivez &amp;)".to_owned()
        }
        ErreurXml::Syntax(SyntaxError::UnclosedTag) => {
            "XML mal formé : balise non terminée (« > » manquant)".to_owned()
        }
        ErreurXml::Encoding(_) => {
            "le fichier n'est pas en UTF-8 : benkan lit les fichiers IATI en UTF-8 \
                                   (convertissez-le d'abord, par exemple avec iconv)"
                .to_owned()
        }
        ErreurXml::Syntax(s) => format!("XML mal formé : {s}"),
        autre => format!("XML mal formé : {autre}"),
    }
}

/// A reading error with its position: the forbidden character [`OctetsVerifies`] stopped
/// at, or quick-xml's error.
fn erreur_xml<R: BufRead>(
    xml: &quick_xml::Reader<OctetsVerifies<R>>,
    e: &ErreurXml,
) -> ErreurLecture {
    match xml.get_ref().fautif {
        Some((position, c)) => ErreurLecture::Fichier {
            position,
            message: message_caractere(c),
        },
        None => ErreurLecture::Fichier {
            position: xml.error_position(),
            message: message_xml(e),
        },
    }
}

impl<R: BufRead> LecteurIati<R> {
    /// Reads up to the root element and checks that it is `iati-activities` in a version
    /// benkan reads.
    pub fn nouveau(source: R) -> Result<Self, ErreurLecture> {
        let mut xml = quick_xml::Reader::from_reader(OctetsVerifies::new(source));
        xml.config_mut().trim_text(false);
        let mut tampon = Vec::new();
        let (version, langue_fichier, vide) = loop {
            tampon.clear();
            let evenement = xml.read_event_into(&mut tampon);
            let position = xml.buffer_position();
            match evenement {
                Err(e) => return Err(erreur_xml(&xml, &e)),
                Ok(Event::Start(e)) => {
                    let (version, langue) = racine(&e, position, false)?;
                    break (version, langue, false);
                }
                Ok(Event::Empty(e)) => {
                    let (version, langue) = racine(&e, position, true)?;
                    break (version, langue, true);
                }
                Ok(Event::Eof) => {
                    return Err(ErreurLecture::Fichier {
                        position,
                        message: "le fichier ne contient aucun élément XML".to_owned(),
                    });
                }
                Ok(Event::Text(t)) if !t.xml10_content().trim().is_empty() => {
                    return Err(ErreurLecture::Fichier {
                        position: xml.buffer_position() - t.len() as u64,
                        message: "XML mal formé : du texte avant l'élément racine".to_owned(),
                    });
                }
                Ok(_) => {}
            }
        };
        Ok(LecteurIati {
            xml,
            tampon,
            version,
            langue_fichier,
            pile: Vec::new(),
            texte: String::new(),
            langue_activite: None,
            langue_narratif: None,
            // <iati-activities/>: a file without activities.
            fini: vide,
            caracteres_retires: 0,
        })
    }

    /// Bytes read so far.
    pub fn position(&self) -> u64 {
        self.xml.buffer_position()
    }

    /// The next activity, or `None` at the end of the file.
    pub fn suivante(&mut self) -> Result<Option<ActiviteLue>, ErreurLecture> {
        // The buffer is taken out of `self` so that events can borrow it while the
        // activity is built: no event is copied.
        let mut tampon = std::mem::take(&mut self.tampon);
        let resultat = self.lire_activite(&mut tampon);
        self.tampon = tampon;
        resultat
    }

    fn lire_activite(
        &mut self,
        tampon: &mut Vec<u8>,
    ) -> Result<Option<ActiviteLue>, ErreurLecture> {
        if self.fini {
            return Ok(None);
        }
        let mut activite: Option<ActiviteLue> = None;
        // Depth below the root, outside activities (foreign elements are skipped).
        let mut profondeur_hors_activite = 0usize;
        loop {
            tampon.clear();
            let evenement = match self.xml.read_event_into(tampon) {
                Ok(e) => e,
                Err(e) => return Err(erreur_xml(&self.xml, &e)),
            };
            let position = self.xml.buffer_position();
            match &evenement {
                Event::Start(e) => attributs_valides(e, position, false)?,
                Event::Empty(e) => attributs_valides(e, position, true)?,
                Event::GeneralRef(r) => {
                    if let Ok(Some(c)) = r.resolve_char_ref()
                        && interdit_en_xml(c)
                    {
                        return Err(ErreurLecture::Fichier {
                            position: position.saturating_sub(r.len() as u64 + 2),
                            message: message_caractere(c),
                        });
                    }
                }
                _ => {}
            }
            match evenement {
                Event::Start(e) if activite.is_none() => {
                    if profondeur_hors_activite == 0 && nom(&e) == "iati-activity" {
                        self.langue_activite =
                            attribut(&e, "xml:lang", &mut self.caracteres_retires)
                                .or_else(|| self.langue_fichier.clone());
                        self.pile.clear();
                        self.pile.push(Balise::Activite);
                        activite = Some(ActiviteLue {
                            position: position.saturating_sub(e.len() as u64 + 2),
                            derniere_maj: attribut(
                                &e,
                                "last-updated-datetime",
                                &mut self.caracteres_retires,
                            ),
                            devise_defaut: attribut(
                                &e,
                                "default-currency",
                                &mut self.caracteres_retires,
                            ),
                            ..ActiviteLue::default()
                        });
                    } else {
                        profondeur_hors_activite += 1;
                    }
                }
                Event::Empty(e)
                    if activite.is_none()
                        && profondeur_hors_activite == 0
                        && nom(&e) == "iati-activity" =>
                {
                    // An empty activity: without an identifier, it is counted and left out.
                    return Ok(Some(ActiviteLue {
                        position: position.saturating_sub(e.len() as u64 + 3),
                        ..ActiviteLue::default()
                    }));
                }
                Event::End(_) if activite.is_none() => {
                    if profondeur_hors_activite == 0 {
                        // </iati-activities>: the rest is at most comments and blanks.
                        self.fini = true;
                        return Ok(None);
                    }
                    profondeur_hors_activite -= 1;
                }
                Event::Eof => {
                    return Err(ErreurLecture::Fichier {
                        position,
                        message: format!(
                            "fin de fichier inattendue : <{}> n'est pas fermé",
                            if activite.is_some() {
                                "iati-activity"
                            } else {
                                "iati-activities"
                            }
                        ),
                    });
                }
                Event::Start(e) => {
                    if let Some(a) = activite.as_mut() {
                        let balise = self.ouvrir(a, &e, debut_element(&e, position, false));
                        self.pile.push(balise);
                    }
                }
                Event::Empty(e) => {
                    if let Some(a) = activite.as_mut() {
                        let balise = self.ouvrir(a, &e, debut_element(&e, position, true));
                        self.pile.push(balise);
                        self.fermer(a);
                    }
                }
                Event::End(_) => {
                    if let Some(a) = activite.as_mut() {
                        self.fermer(a);
                        if self.pile.is_empty() {
                            return Ok(activite);
                        }
                    }
                }
                Event::Text(t) if self.collecte() => {
                    self.texte.push_str(&t.xml10_content());
                }
                Event::CData(t) if self.collecte() => {
                    self.texte.push_str(&t.xml10_content());
                }
                Event::GeneralRef(r) if self.collecte() => match r.resolve_char_ref() {
                    Ok(Some(c)) => self.texte.push(c),
                    Ok(None) => match quick_xml::escape::resolve_predefined_entity(&r) {
                        Some(s) => self.texte.push_str(s),
                        None => {
                            return Err(ErreurLecture::Fichier {
                                position: position.saturating_sub(r.len() as u64 + 2),
                                message: format!(
                                    "XML mal formé : entité inconnue « &{}; »",
                                    Extrait(&r)
                                ),
                            });
                        }
                    },
                    Err(e) => {
                        return Err(ErreurLecture::Fichier {
                            position: position.saturating_sub(r.len() as u64 + 2),
                            message: message_xml(&e),
                        });
                    }
                },
                _ => {}
            }
        }
    }

    /// Whether the text being read is kept.
    fn collecte(&self) -> bool {
        matches!(
            self.pile.last(),
            Some(Balise::Narratif | Balise::Identifiant | Balise::Valeur | Balise::Pos)
        )
    }

    /// What an opening element is, given where it is (`debut`: its first byte in the file);
    /// records its attributes.
    fn ouvrir(&mut self, a: &mut ActiviteLue, e: &BytesStart<'_>, debut: u64) -> Balise {
        let parent = self.pile.last().copied().unwrap_or(Balise::Autre);
        let retires = &mut self.caracteres_retires;
        let mut attribut = |nom: &str| attribut(e, nom, retires);
        let nom = nom(e);
        match (parent, nom) {
            (Balise::Activite, "iati-identifier") => {
                self.texte.clear();
                Balise::Identifiant
            }
            (Balise::Activite, "title") => Balise::Titre,
            (Balise::Activite, "description") => {
                a.descriptions.push((
                    attribut("type").unwrap_or_else(|| "1".to_owned()),
                    Vec::new(),
                ));
                Balise::Description
            }
            (Balise::Activite, "reporting-org") => {
                a.editeur = OrganisationIati {
                    role: None,
                    reference: attribut("ref"),
                    nom: None,
                    type_organisation: attribut("type"),
                };
                Balise::Editeur
            }
            (Balise::Activite, "participating-org") => {
                a.participants.push((
                    OrganisationIati {
                        role: attribut("role"),
                        reference: attribut("ref"),
                        nom: None,
                        type_organisation: attribut("type"),
                    },
                    Vec::new(),
                ));
                Balise::Participant
            }
            (Balise::Activite, "activity-status") => {
                a.statut = attribut("code");
                Balise::Autre
            }
            (Balise::Activite, "activity-date") => {
                if let (Some(t), Some(d)) = (attribut("type"), attribut("iso-date")) {
                    a.dates.push((t, d));
                }
                Balise::Autre
            }
            (Balise::Activite, "recipient-country") => {
                if let Some(code) = attribut("code") {
                    a.pays
                        .push((code.to_ascii_uppercase(), attribut("percentage")));
                }
                Balise::Autre
            }
            (Balise::Activite, "location") => {
                a.lieux.push(LieuLu {
                    reference: attribut("ref"),
                    ..LieuLu::default()
                });
                Balise::Lieu
            }
            (Balise::Lieu, lieu_nom) => {
                let Some(lieu) = a.lieux.last_mut() else {
                    return Balise::Autre;
                };
                let code = |attribut: &mut dyn FnMut(&str) -> Option<String>| {
                    attribut("code").map(|code| CodeLu {
                        vocabulaire: attribut("vocabulary"),
                        niveau: attribut("level"),
                        code,
                    })
                };
                match lieu_nom {
                    "name" => return Balise::NomLieu,
                    "description" => return Balise::DescriptionLieu,
                    "activity-description" => return Balise::DescriptionActiviteLieu,
                    "location-id" => lieu.identifiants.extend(code(&mut attribut)),
                    "administrative" => lieu.administratifs.extend(code(&mut attribut)),
                    "point" => {
                        lieu.point = Some(PointLu {
                            srs: attribut("srsName"),
                            pos: None,
                        });
                        return Balise::Point;
                    }
                    "exactness" => lieu.exactitude = attribut("code"),
                    "location-class" => lieu.classe = attribut("code"),
                    "feature-designation" => lieu.designation = attribut("code"),
                    "location-reach" => lieu.portee = attribut("code"),
                    _ => {}
                }
                Balise::Autre
            }
            (Balise::Point, "pos") => {
                self.texte.clear();
                Balise::Pos
            }
            (Balise::Activite, "sector") => {
                if let Some(code) = attribut("code") {
                    a.secteurs.push(SecteurIati {
                        vocabulaire: attribut("vocabulary").unwrap_or_else(|| "1".to_owned()),
                        code,
                        pourcentage: attribut("percentage"),
                    });
                }
                Balise::Autre
            }
            (Balise::Activite, "transaction") => {
                a.transactions.push(TransactionLue::default());
                Balise::Transaction
            }
            (Balise::Transaction, _) => {
                let Some(t) = a.transactions.last_mut() else {
                    return Balise::Autre;
                };
                match nom {
                    "transaction-type" => t.type_transaction = attribut("code"),
                    "transaction-date" => t.date = attribut("iso-date"),
                    "value" => {
                        t.devise = attribut("currency");
                        t.date_valeur = attribut("value-date");
                        self.texte.clear();
                        return Balise::Valeur;
                    }
                    "provider-org" => return Balise::Fournisseur,
                    "receiver-org" => return Balise::Beneficiaire,
                    "recipient-country" => {
                        if let Some(code) = attribut("code") {
                            t.pays.push(code.to_ascii_uppercase());
                        }
                    }
                    _ => {}
                }
                Balise::Autre
            }
            (Balise::Activite, "result") => {
                a.resultats.push(ResultatLu {
                    type_resultat: attribut("type"),
                    ..ResultatLu::default()
                });
                Balise::Resultat
            }
            (Balise::Resultat, "title") => Balise::TitreResultat,
            (Balise::Resultat, "indicator") => {
                let Some(r) = a.resultats.last_mut() else {
                    return Balise::Autre;
                };
                r.indicateurs.push(IndicateurLu {
                    mesure: attribut("measure"),
                    croissant: attribut("ascending"),
                    ..IndicateurLu::default()
                });
                Balise::Indicateur
            }
            (Balise::Indicateur | Balise::Periode | Balise::Cible | Balise::Atteint, _) => {
                let Some(i) = a
                    .resultats
                    .last_mut()
                    .and_then(|r| r.indicateurs.last_mut())
                else {
                    return Balise::Autre;
                };
                let valeur = |attribut: &mut dyn FnMut(&str) -> Option<String>| ValeurLue {
                    texte: attribut("value"),
                    position: debut,
                    dimensions: Vec::new(),
                };
                match (parent, nom) {
                    (Balise::Indicateur, "title") => return Balise::TitreIndicateur,
                    (Balise::Indicateur, "reference") if i.reference.is_none() => {
                        i.reference = attribut("vocabulary").zip(attribut("code"));
                    }
                    (Balise::Indicateur, "baseline") if i.base.is_none() => {
                        i.base = Some(BaseLue {
                            annee: attribut("year"),
                            date: attribut("iso-date"),
                            valeur: valeur(&mut attribut),
                        });
                    }
                    (Balise::Indicateur, "period") => {
                        i.periodes.push(PeriodeLue {
                            position: debut,
                            ..PeriodeLue::default()
                        });
                        return Balise::Periode;
                    }
                    (Balise::Periode, _) => {
                        let Some(p) = i.periodes.last_mut() else {
                            return Balise::Autre;
                        };
                        match nom {
                            "period-start" => p.debut = attribut("iso-date"),
                            "period-end" => p.fin = attribut("iso-date"),
                            "target" => {
                                p.cibles.push(valeur(&mut attribut));
                                return Balise::Cible;
                            }
                            "actual" => {
                                p.atteints.push(valeur(&mut attribut));
                                return Balise::Atteint;
                            }
                            _ => {}
                        }
                    }
                    (Balise::Cible | Balise::Atteint, "dimension") => {
                        let p = i.periodes.last_mut();
                        let v = match parent {
                            Balise::Cible => p.and_then(|p| p.cibles.last_mut()),
                            _ => p.and_then(|p| p.atteints.last_mut()),
                        };
                        if let (Some(v), Some(d)) = (v, attribut("name").zip(attribut("value"))) {
                            v.dimensions.push(d);
                        }
                    }
                    _ => {}
                }
                Balise::Autre
            }
            (
                Balise::Titre
                | Balise::TitreResultat
                | Balise::TitreIndicateur
                | Balise::Description
                | Balise::Editeur
                | Balise::Participant
                | Balise::NomLieu
                | Balise::DescriptionLieu
                | Balise::DescriptionActiviteLieu
                | Balise::Fournisseur
                | Balise::Beneficiaire,
                "narrative",
            ) => {
                self.texte.clear();
                self.langue_narratif =
                    attribut("xml:lang").or_else(|| self.langue_activite.clone());
                Balise::Narratif
            }
            _ => Balise::Autre,
        }
    }

    /// Closes the innermost element, storing the text it held.
    fn fermer(&mut self, a: &mut ActiviteLue) {
        let Some(balise) = self.pile.pop() else {
            return;
        };
        if matches!(
            balise,
            Balise::Identifiant | Balise::Valeur | Balise::Narratif | Balise::Pos
        ) {
            self.caracteres_retires += retirer_caracteres_interdits(&mut self.texte) as u64;
        }
        match balise {
            Balise::Identifiant => a.identifiant = self.texte.trim().to_owned(),
            Balise::Valeur => {
                if let Some(t) = a.transactions.last_mut() {
                    t.valeur = self.texte.trim().to_owned();
                }
            }
            Balise::Pos => {
                if let Some(p) = a.lieux.last_mut().and_then(|l| l.point.as_mut()) {
                    p.pos = Some(self.texte.trim().to_owned());
                }
            }
            Balise::Narratif => {
                let texte = self.texte.trim();
                if texte.is_empty() {
                    return;
                }
                let narratif = Narratif {
                    texte: texte.to_owned(),
                    langue: self.langue_narratif.take(),
                };
                match self.pile.last() {
                    Some(Balise::Titre) => a.titre.push(narratif),
                    Some(Balise::Description) => {
                        if let Some((_, n)) = a.descriptions.last_mut() {
                            n.push(narratif);
                        }
                    }
                    Some(Balise::Editeur) => a.editeur_noms.push(narratif),
                    Some(Balise::Participant) => {
                        if let Some((_, n)) = a.participants.last_mut() {
                            n.push(narratif);
                        }
                    }
                    Some(Balise::NomLieu) => {
                        if let Some(l) = a.lieux.last_mut() {
                            l.noms.push(narratif);
                        }
                    }
                    Some(Balise::DescriptionLieu) => {
                        if let Some(l) = a.lieux.last_mut() {
                            l.descriptions.push(narratif);
                        }
                    }
                    Some(Balise::DescriptionActiviteLieu) => {
                        if let Some(l) = a.lieux.last_mut() {
                            l.descriptions_activite.push(narratif);
                        }
                    }
                    Some(Balise::Fournisseur) => {
                        if let Some(t) = a.transactions.last_mut() {
                            t.fournisseur.push(narratif);
                        }
                    }
                    Some(Balise::Beneficiaire) => {
                        if let Some(t) = a.transactions.last_mut() {
                            t.beneficiaire.push(narratif);
                        }
                    }
                    Some(Balise::TitreResultat) => {
                        if let Some(r) = a.resultats.last_mut() {
                            r.titre.push(narratif);
                        }
                    }
                    Some(Balise::TitreIndicateur) => {
                        if let Some(i) = a
                            .resultats
                            .last_mut()
                            .and_then(|r| r.indicateurs.last_mut())
                        {
                            i.titre.push(narratif);
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
}
