//! IATI 2.03 activity XML: one `iati-activity` per public action, mapped as docs/iati.md
//! explains, written as a stream with quick-xml.

use std::io::Write;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use rusqlite::Connection;

use crate::model::{
    Acteur, Collectivite, Devise, Localite, Niveau, PointAction, Resultat, StatutAction,
    TypeFinancement, sans_caracteres_interdits,
};
use crate::store::{self, export::ActionComplete};

/// The organisation that publishes the file (IATI `reporting-org`).
#[derive(Debug, Clone)]
pub struct Editeur {
    /// Its IATI organisation identifier; every iati-identifier starts with it.
    pub reference: String,
    pub nom: String,
    /// IATI OrganisationType code.
    pub type_organisation: String,
}

/// What an export wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RapportExport {
    pub activites: usize,
    /// Actions left out because IATI requires a date and theirs is unknown.
    pub sans_date: usize,
}

/// A failure while exporting.
#[derive(Debug, thiserror::Error)]
pub enum ErreurIati {
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error("écriture du fichier IATI : {}", super::en_francais(.0))]
    Ecriture(#[from] std::io::Error),
}

/// IATI ActivityStatus for an action's statut.
fn statut(s: StatutAction) -> &'static str {
    match s {
        StatutAction::Prevue => "1",
        StatutAction::EnCours => "2",
        StatutAction::Achevee => "3",
        StatutAction::Annulee => "5",
        StatutAction::Suspendue => "6",
    }
}

/// An amount as IATI writes it: a decimal with a point.
fn valeur(unites_mineures: i64, devise: Devise) -> String {
    match devise.decimales() {
        0 => unites_mineures.to_string(),
        d => {
            let diviseur = 10_i64.pow(d);
            format!(
                "{}.{:0width$}",
                unites_mineures / diviseur,
                unites_mineures % diviseur,
                width = d as usize
            )
        }
    }
}

/// The only way benkan writes XML: every text and attribute value goes through
/// [`sans_caracteres_interdits`], so that a record stored before the model refused control
/// characters cannot make the whole file unreadable.
struct Ecrivain<W: Write>(Writer<W>);

/// An element with its attributes, their values cleaned.
fn element<'a>(nom: &'a str, attributs: &[(&str, &str)]) -> BytesStart<'a> {
    let mut e = BytesStart::new(nom);
    for (k, v) in attributs {
        e.push_attribute((*k, &*sans_caracteres_interdits(v)));
    }
    e
}

impl<W: Write> Ecrivain<W> {
    fn ouvrir(&mut self, nom: &str, attributs: &[(&str, &str)]) -> std::io::Result<()> {
        let e = element(nom, attributs);
        self.0
            .write_event(Event::Start(e))
            .map_err(std::io::Error::other)
    }

    fn fermer(&mut self, nom: &str) -> std::io::Result<()> {
        self.0
            .write_event(Event::End(BytesEnd::new(nom)))
            .map_err(std::io::Error::other)
    }

    fn vide(&mut self, nom: &str, attributs: &[(&str, &str)]) -> std::io::Result<()> {
        let e = element(nom, attributs);
        self.0
            .write_event(Event::Empty(e))
            .map_err(std::io::Error::other)
    }

    fn texte(&mut self, nom: &str, attributs: &[(&str, &str)], texte: &str) -> std::io::Result<()> {
        self.ouvrir(nom, attributs)?;
        self.0
            .write_event(Event::Text(BytesText::new(&sans_caracteres_interdits(
                texte,
            ))))
            .map_err(std::io::Error::other)?;
        self.fermer(nom)
    }

    /// `<nom><narrative xml:lang="fr">texte</narrative></nom>`
    fn narratif(
        &mut self,
        nom: &str,
        attributs: &[(&str, &str)],
        texte: &str,
    ) -> std::io::Result<()> {
        self.ouvrir(nom, attributs)?;
        self.texte("narrative", &[("xml:lang", "fr")], texte)?;
        self.fermer(nom)
    }
}

/// Writes every public action as an IATI 2.03 activity, all of one file.
pub fn exporter(
    conn: &Connection,
    editeur: &Editeur,
    sortie: impl Write,
) -> Result<RapportExport, ErreurIati> {
    let maintenant = time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    let mut w = Ecrivain(Writer::new_with_indent(sortie, b' ', 1));
    w.0.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
        .map_err(std::io::Error::other)?;
    w.ouvrir(
        "iati-activities",
        &[("version", "2.03"), ("generated-datetime", &maintenant)],
    )?;
    let mut rapport = RapportExport {
        activites: 0,
        sans_date: 0,
    };
    store::export::actions_publiques(conn, |a: &ActionComplete<'_>| {
        if a.action.periode.debut().is_none() {
            rapport.sans_date += 1;
            return Ok::<_, ErreurIati>(());
        }
        ecrire_activite(&mut w, editeur, a, &maintenant)?;
        rapport.activites += 1;
        Ok(())
    })?;
    w.fermer("iati-activities")?;
    // A buffered writer dropped unflushed would lose the error of its last write.
    w.0.get_mut().flush()?;
    Ok(rapport)
}

fn ecrire_activite<W: Write>(
    w: &mut Ecrivain<W>,
    editeur: &Editeur,
    complete: &ActionComplete<'_>,
    maintenant: &str,
) -> std::io::Result<()> {
    let ActionComplete {
        action: a,
        parties,
        operateurs,
        sources,
        lieux,
        points,
        localites,
        financements,
        resultats,
    } = complete;
    let ref_editeur = editeur.reference.as_str();
    w.ouvrir(
        "iati-activity",
        &[
            ("last-updated-datetime", maintenant),
            ("xml:lang", "fr"),
            ("hierarchy", "2"),
        ],
    )?;
    w.texte(
        "iati-identifier",
        &[],
        &format!("{ref_editeur}-benkan-action-{}", a.id),
    )?;
    w.narratif(
        "reporting-org",
        &[("ref", ref_editeur), ("type", &editeur.type_organisation)],
        &editeur.nom,
    )?;
    w.narratif("title", &[], &a.titre)?;
    w.narratif(
        "description",
        &[("type", "1")],
        a.description
            .as_deref()
            .filter(|d| !d.trim().is_empty())
            .unwrap_or(&a.titre),
    )?;
    // Funding: the sources of the money; accountable: the parties; implementing: the NGO
    // operators, or else the Malian parties.
    for source in sources {
        organisation(w, "participating-org", Some("1"), source)?;
    }
    for c in parties.iter() {
        w.narratif(
            "participating-org",
            &[("role", "2"), ("type", "11")],
            &c.nom,
        )?;
    }
    if operateurs.is_empty() {
        for c in parties.iter().filter(|c| c.pays.est_mali()) {
            w.narratif(
                "participating-org",
                &[("role", "4"), ("type", "11")],
                &c.nom,
            )?;
        }
    }
    for operateur in operateurs.iter() {
        organisation(w, "participating-org", Some("4"), operateur)?;
    }
    w.vide("activity-status", &[("code", statut(a.statut))])?;
    if let Some(debut) = a.periode.debut() {
        let type_date = if a.statut == StatutAction::Prevue {
            "1"
        } else {
            "2"
        };
        w.vide(
            "activity-date",
            &[("type", type_date), ("iso-date", &debut.to_string())],
        )?;
    }
    if let Some(fin) = a.periode.fin() {
        let type_date = if a.statut == StatutAction::Achevee {
            "4"
        } else {
            "3"
        };
        w.vide(
            "activity-date",
            &[("type", type_date), ("iso-date", &fin.to_string())],
        )?;
    }
    w.vide(
        "recipient-country",
        &[("code", "ML"), ("percentage", "100")],
    )?;
    for lieu in lieux {
        ecrire_lieu(w, lieu)?;
    }
    for point in points {
        ecrire_point(w, point)?;
    }
    for village in localites {
        ecrire_localite(w, village)?;
    }
    w.vide(
        "sector",
        &[
            ("vocabulary", "1"),
            ("code", a.domaine.code_cad()),
            ("percentage", "100"),
        ],
    )?;
    w.narratif(
        "tag",
        &[
            ("vocabulary", "99"),
            ("code", &format!("benkan-partenariat-{}", a.partenariat)),
        ],
        "Partenariat de coopération décentralisée",
    )?;
    // Decentralized cooperation: bilateral ODA grants for projects.
    w.vide("collaboration-type", &[("code", "1")])?;
    w.vide("default-flow-type", &[("code", "10")])?;
    w.vide("default-finance-type", &[("code", "110")])?;
    w.vide("default-aid-type", &[("code", "C01"), ("vocabulary", "1")])?;
    for f in financements {
        let type_transaction = match f.type_financement {
            TypeFinancement::Engagement => "2",
            TypeFinancement::Decaissement => "3",
        };
        let date = format!("{}-12-31", f.annee);
        w.ouvrir("transaction", &[])?;
        w.vide("transaction-type", &[("code", type_transaction)])?;
        w.vide("transaction-date", &[("iso-date", &date)])?;
        w.texte(
            "value",
            &[
                ("currency", f.montant.devise().code()),
                ("value-date", &date),
            ],
            &valeur(f.montant.unites_mineures(), f.montant.devise()),
        )?;
        match sources.iter().find(|s| s.id == f.source) {
            Some(source) => organisation(w, "provider-org", None, source)?,
            None => w.narratif("provider-org", &[], &f.source_nom)?,
        }
        w.fermer("transaction")?;
    }
    w.vide(
        "related-activity",
        &[
            (
                "ref",
                &format!("{ref_editeur}-benkan-partenariat-{}", a.partenariat),
            ),
            ("type", "1"),
        ],
    )?;
    let fin_action = a.periode.fin();
    for r in resultats {
        ecrire_resultat(w, r, a.periode.debut(), fin_action)?;
    }
    w.fermer("iati-activity")?;
    Ok(())
}

/// A result as IATI's `<result>` with one `<indicator>`: the catalogue's code under
/// vocabulary 99 (defined by the publisher), the baseline, each measured period with its
/// value and, for people, one more `<actual>` per sex (`<dimension name="sexe">`). The target
/// is not a measure of a period: it goes in a period of its own, from the action's start to
/// the target's date (or the action's end, or the last measure's), with no actual value, so
/// that no figure is counted twice.
fn ecrire_resultat<W: Write>(
    w: &mut Ecrivain<W>,
    r: &Resultat,
    debut_action: Option<time::Date>,
    fin_action: Option<time::Date>,
) -> std::io::Result<()> {
    let indicateur = r.mesure.indicateur();
    let type_resultat = indicateur.map_or(1, |i| i.type_resultat).to_string();
    let agregeable = if indicateur.is_some() { "1" } else { "0" };
    w.ouvrir(
        "result",
        &[("type", &type_resultat), ("aggregation-status", agregeable)],
    )?;
    w.narratif("title", &[], r.mesure.libelle())?;
    w.ouvrir(
        "indicator",
        &[
            ("measure", r.mesure.unite().mesure_iati()),
            ("ascending", "1"),
        ],
    )?;
    w.narratif("title", &[], r.mesure.libelle())?;
    if let Some(i) = indicateur {
        w.vide(
            "reference",
            &[
                ("vocabulary", "99"),
                ("code", &format!("BENKAN-{}", i.code)),
            ],
        )?;
    }
    if let Some((valeur, date)) = r.base {
        w.vide(
            "baseline",
            &[
                ("year", &date.year().to_string()),
                ("iso-date", &date.to_string()),
                ("value", &valeur.en_fichier()),
            ],
        )?;
    }
    let derniere_mesure = r.periodes.iter().map(|p| p.fin).max();
    if let Some((cible, date)) = r.cible {
        let fin = date.or(fin_action).or(derniere_mesure);
        if let (Some(debut), Some(fin)) = (debut_action, fin) {
            w.ouvrir("period", &[])?;
            w.vide("period-start", &[("iso-date", &debut.min(fin).to_string())])?;
            w.vide("period-end", &[("iso-date", &fin.to_string())])?;
            w.vide("target", &[("value", &cible.en_fichier())])?;
            w.fermer("period")?;
        }
    }
    for p in &r.periodes {
        w.ouvrir("period", &[])?;
        w.vide("period-start", &[("iso-date", &p.debut.to_string())])?;
        w.vide("period-end", &[("iso-date", &p.fin.to_string())])?;
        let mut note = Vec::new();
        if let Some(c) = &p.commentaire {
            note.push(c.clone());
        }
        if let Some(s) = &p.source {
            note.push(format!("Source : {s}"));
        }
        w.ouvrir("actual", &[("value", &p.valeur.en_fichier())])?;
        if !note.is_empty() {
            w.narratif("comment", &[], &note.join(" — "))?;
        }
        w.fermer("actual")?;
        for (sexe, nombre) in [("femmes", p.femmes), ("hommes", p.hommes)] {
            if let Some(n) = nombre {
                w.ouvrir("actual", &[("value", &n.to_string())])?;
                w.vide("dimension", &[("name", "sexe"), ("value", sexe)])?;
                w.fermer("actual")?;
            }
        }
        w.fermer("period")?;
    }
    w.fermer("indicator")?;
    w.fermer("result")
}

/// An acteur as an IATI organisation element: its identifier when known, its type, its name.
fn organisation<W: Write>(
    w: &mut Ecrivain<W>,
    element: &str,
    role: Option<&str>,
    acteur: &Acteur,
) -> std::io::Result<()> {
    let mut attributs = Vec::with_capacity(3);
    if let Some(reference) = &acteur.identifiant_iati {
        attributs.push(("ref", reference.as_str()));
    }
    attributs.push(("type", acteur.type_organisation.code()));
    if let Some(role) = role {
        attributs.push(("role", role));
    }
    w.narratif(element, &attributs, &acteur.nom)
}

/// A place: its name, and for a Malian région its ISO 3166-2 code.
fn ecrire_lieu<W: Write>(w: &mut Ecrivain<W>, lieu: &Collectivite) -> std::io::Result<()> {
    w.ouvrir("location", &[])?;
    w.narratif(
        "name",
        &[],
        &format!("{} ({})", lieu.nom, lieu.niveau_affiche()),
    )?;
    let niveau = match lieu.niveau.rang() {
        1 => "1",
        2 => "2",
        _ => "3",
    };
    if let (Some(code), true) = (
        &lieu.code,
        matches!(lieu.niveau, Niveau::Region | Niveau::District),
    ) {
        w.vide(
            "administrative",
            &[("vocabulary", "A4"), ("level", niveau), ("code", code)],
        )?;
    }
    w.fermer("location")
}

/// A point its authors typed: its label, and the point itself.
fn ecrire_point<W: Write>(w: &mut Ecrivain<W>, point: &PointAction) -> std::io::Result<()> {
    w.ouvrir("location", &[])?;
    if let Some(libelle) = &point.libelle {
        w.narratif("name", &[], libelle)?;
    }
    ecrire_position(w, point.latitude, point.longitude)?;
    w.fermer("location")
}

/// A point in WGS 84 (« lat lon »), located exactly (IATI GeographicExactness 1).
fn ecrire_position<W: Write>(
    w: &mut Ecrivain<W>,
    latitude: f64,
    longitude: f64,
) -> std::io::Result<()> {
    w.ouvrir(
        "point",
        &[("srsName", "http://www.opengis.net/def/crs/EPSG/0/4326")],
    )?;
    let position = format!(
        "{} {}",
        crate::model::degres(latitude),
        crate::model::degres(longitude)
    );
    w.texte("pos", &[], &position)?;
    w.fermer("point")?;
    w.vide("exactness", &[("code", "1")])
}

/// A village of the gazetteer: its name and its point, a populated place (IATI
/// GeographicLocationClass 2). No IATI geographic vocabulary holds the COD P-codes, so none is
/// written as a `<location-id>`; the point is the gazetteer's, exact for the village.
fn ecrire_localite<W: Write>(w: &mut Ecrivain<W>, village: &Localite) -> std::io::Result<()> {
    w.ouvrir("location", &[])?;
    w.narratif("name", &[], &village.nom)?;
    ecrire_position(w, village.latitude, village.longitude)?;
    w.vide("location-class", &[("code", "2")])?;
    w.fermer("location")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads `xml` back with quick-xml, every check on; returns the texts and attribute
    /// values it holds.
    fn relire(xml: &[u8]) -> Vec<String> {
        let mut lecteur = quick_xml::Reader::from_reader(xml);
        lecteur.config_mut().enable_all_checks(true);
        let mut lus = Vec::new();
        let mut tampon = Vec::new();
        loop {
            match lecteur
                .read_event_into(&mut tampon)
                .expect("well-formed XML")
            {
                Event::Eof => return lus,
                Event::Start(e) | Event::Empty(e) => {
                    for a in e.attributes() {
                        let a = a.expect("well-formed attribute");
                        lus.push(
                            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .unwrap()
                                .into_owned(),
                        );
                    }
                }
                Event::Text(t) => lus.push(t.xml10_content().into_owned()),
                Event::GeneralRef(r) => lus.push(format!("&{};", &*r)),
                _ => {}
            }
            tampon.clear();
        }
    }

    #[test]
    fn the_writer_never_emits_a_character_xml_forbids() {
        let mut w = Ecrivain(Writer::new(Vec::new()));
        let sale = "Titre\u{0}avec\u{1}des\u{B}contrôles\u{1F}\u{7F}\u{85}\u{FFFE} < & \"";
        w.ouvrir("iati-activities", &[("version", "2.03")]).unwrap();
        w.narratif("title", &[("ref", sale)], sale).unwrap();
        w.vide("sector", &[("code", "\u{1}15150")]).unwrap();
        w.fermer("iati-activities").unwrap();
        let xml = w.0.into_inner();
        let texte = String::from_utf8(xml.clone()).unwrap();
        assert!(
            !texte.chars().any(crate::model::caractere_interdit),
            "{texte:?}"
        );
        let lus = relire(&xml).concat();
        assert!(
            lus.contains("Titre\u{FFFD}avec\u{FFFD}des\u{FFFD}contrôles"),
            "{lus}"
        );
        assert!(lus.contains("\u{FFFD}15150"), "{lus}");
        // what XML allows is kept, escaped
        assert!(lus.contains("&lt;") && lus.contains("&amp;"), "{lus}");
        // xmllint, when installed, agrees
        if let Ok(mut xmllint) = std::process::Command::new("xmllint")
            .args(["--noout", "-"])
            .stdin(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
        {
            use std::io::Write as _;
            xmllint.stdin.take().unwrap().write_all(&xml).unwrap();
            let sortie = xmllint.wait_with_output().unwrap();
            assert!(
                sortie.status.success(),
                "{}",
                String::from_utf8_lossy(&sortie.stderr)
            );
        }
    }
}
