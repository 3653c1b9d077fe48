//! « Autres interventions »: the page of an aid activity imported from IATI.

use askama::Template;
use axum::extract::State;

use super::format::Html;
use super::params::Identifiant;
use super::{AppState, WebError};
use crate::model::{
    BaseIati, DecimalIati, InterventionId, ListeIati, Narratif, PeriodeResultatIati, PointIati,
    ResultatIati, ValeurResultatIati, libelle_iati, type_resultat_fr,
};
use crate::store::intervention::{self, FicheIntervention};

#[derive(Template)]
#[template(path = "intervention.html")]
pub struct PageFiche {
    fiche: FicheIntervention,
    /// Its linked places and published points on the map of Mali.
    carte: Option<String>,
}

pub async fn fiche(
    State(etat): State<AppState>,
    Identifiant(id): Identifiant,
) -> Result<Html<PageFiche>, WebError> {
    let id = InterventionId(id);
    let fiche = etat
        .lire(move |conn| {
            intervention::fiche(conn, id)?.ok_or_else(|| {
                WebError::Introuvable(format!("Aucune intervention ne porte le numéro {id}."))
            })
        })
        .await?;
    let codes = super::carte::codes_maliens(fiche.lieux.iter().flat_map(|l| &l.collectivites));
    let points = fiche
        .lieux
        .iter()
        // A point that stands for the whole country (a centroid) is not a place in Mali.
        .filter(|l| l.motif != Some(crate::model::MotifNonLie::MaliEntier))
        .filter_map(|l| {
            let p = l.point.as_ref()?;
            let nom = l.nom.clone().unwrap_or_else(|| "point publié".to_owned());
            Some((p.longitude, p.latitude, nom))
        })
        .collect();
    let carte = super::carte::des_lieux(&etat, "de l'intervention", codes, points).await?;
    Ok(Html(PageFiche { fiche, carte }))
}

impl PageFiche {
    /// The activity on d-portal, IATI's public viewer.
    fn lien_d_portal(&self) -> String {
        lien_d_portal(&self.fiche.identifiant_iati)
    }

    fn titre(&self) -> &str {
        self.fiche
            .titre
            .as_ref()
            .map(|t| t.texte.as_str())
            .unwrap_or(&self.fiche.identifiant_iati)
    }
}

/// `https://d-portal.org/q.html?aid=…`, the identifier percent-encoded.
pub fn lien_d_portal(identifiant: &str) -> String {
    let requete = serde_urlencoded::to_string([("aid", identifiant)]).unwrap_or_default();
    format!(
        "https://d-portal.org/q.html?{}",
        requete.replace('+', "%20")
    )
}

/// A code with its French label from the official codelist, when known: « 2 — Actif ».
pub fn code(liste: ListeIati, code: &str) -> String {
    match libelle_iati(liste, code) {
        Some(libelle) => format!("{libelle} ({code})"),
        None => code.to_owned(),
    }
}

/// A published point in French, with the publisher's exactness: « point 14,45° N, 11,44° O
/// (approximatif) ».
pub fn point(p: &PointIati, exactitude: &Option<String>) -> String {
    let precision = match exactitude.as_deref() {
        Some("1") => " (exact)",
        Some("2") => " (approximatif)",
        _ => "",
    };
    format!(
        "point {}{precision}",
        super::format::coordonnees(p.latitude, p.longitude)
    )
}

/// A published number in French, « % » after a percentage: « 45,5 % »; « sans valeur » when
/// there is none (a qualitative measure, or a value the import left out).
fn nombre_resultat(r: &ResultatIati, valeur: &Option<DecimalIati>) -> String {
    match valeur {
        Some(d) if r.en_pourcentage() => format!("{d}\u{A0}%"),
        Some(d) => d.to_string(),
        None => "sans valeur".to_owned(),
    }
}

/// A published target or actual in French, with its dimensions: « 3 (sexe : femmes) ».
pub fn valeur_resultat(r: &ResultatIati, v: &ValeurResultatIati) -> String {
    let texte = nombre_resultat(r, &v.valeur);
    if v.dimensions.is_empty() {
        return texte;
    }
    let dimensions: Vec<String> = v
        .dimensions
        .iter()
        .map(|(nom, valeur)| format!("{nom} : {valeur}"))
        .collect();
    format!("{texte} ({})", dimensions.join(", "))
}

/// A published baseline in French: « 4,5 en 2019 », « 4,5 au 31 décembre 2019 ».
pub fn base_resultat(r: &ResultatIati, b: &BaseIati) -> String {
    let valeur = nombre_resultat(r, &b.valeur);
    match (b.date, b.annee) {
        (Some(d), _) => format!("{valeur} au {}", super::format::date(&d)),
        (None, Some(a)) => format!("{valeur} en {a}"),
        (None, None) => valeur,
    }
}

/// A period in French: « du 1er janvier 2020 au 31 décembre 2020 », with « ? » for a date
/// the import could not read.
pub fn periode_resultat(p: &PeriodeResultatIati) -> String {
    let jour = |d: &Option<time::Date>| d.map_or("?".to_owned(), |d| super::format::date(&d));
    format!("du {} au {}", jour(&p.debut), jour(&p.fin))
}

/// What the result says beside its indicator: « produit — Eau ».
pub fn contexte_resultat(r: &ResultatIati) -> String {
    let mut parties = Vec::new();
    if let Some(t) = &r.type_resultat {
        parties.push(type_resultat_fr(t));
    }
    if let Some(t) = r
        .titre
        .as_ref()
        .filter(|t| Some(*t) != r.indicateur.as_ref())
    {
        parties.push(t.clone());
    }
    parties.join(" — ")
}

/// Whether the place is where the intended beneficiaries live (IATI GeographicLocationReach
/// 2) rather than where the activity happens.
pub fn beneficiaires(portee: &Option<String>) -> bool {
    portee.as_deref() == Some("2")
}

/// The `lang` attribute a narrative needs when it is not in French, else nothing.
pub fn langue(n: &Narratif) -> String {
    match n.langue.as_deref() {
        Some(l) if !l.eq_ignore_ascii_case("fr") => format!(" lang=\"{}\"", askama_escape(l)),
        _ => String::new(),
    }
}

/// A language code is short and plain; anything else is dropped rather than written.
fn askama_escape(l: &str) -> String {
    l.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_d_portal_link_encodes_the_identifier() {
        assert_eq!(
            lien_d_portal("XM-DAC-41114-PROJECT/00012 A&B"),
            "https://d-portal.org/q.html?aid=XM-DAC-41114-PROJECT%2F00012%20A%26B"
        );
    }

    #[test]
    fn a_point_reads_in_french_degrees() {
        let kayes = PointIati::nouveau(14.45, -11.44).unwrap();
        assert_eq!(
            point(&kayes, &Some("2".into())),
            "point 14,45° N, 11,44° O (approximatif)"
        );
        let ailleurs = PointIati::nouveau(-8.0, 100.123456).unwrap();
        assert_eq!(point(&ailleurs, &None), "point 8° S, 100,1235° E");
    }

    #[test]
    fn published_results_read_in_french() {
        let mut r = ResultatIati {
            type_resultat: Some("1".into()),
            titre: Some("Eau".into()),
            indicateur: Some("Forages".into()),
            mesure: Some("1".into()),
            croissant: None,
            reference: None,
            base: None,
            periodes: vec![],
        };
        let v = |t: &str, dimensions: Vec<(String, String)>| ValeurResultatIati {
            valeur: DecimalIati::lire(t),
            dimensions,
        };
        assert_eq!(valeur_resultat(&r, &v("1200.5", vec![])), "1\u{202F}200,5");
        assert_eq!(
            valeur_resultat(&r, &v("x", vec![("sexe".into(), "femmes".into())])),
            "sans valeur (sexe : femmes)"
        );
        assert_eq!(contexte_resultat(&r), "produit — Eau");
        r.mesure = Some("2".into());
        let base = BaseIati {
            annee: Some(2019),
            date: None,
            valeur: DecimalIati::lire("41.50"),
        };
        assert_eq!(base_resultat(&r, &base), "41,5\u{A0}% en 2019");
        let periode = PeriodeResultatIati {
            debut: crate::model::date_iso("2020-01-01"),
            fin: None,
            cibles: vec![],
            atteints: vec![],
        };
        assert_eq!(periode_resultat(&periode), "du 1er janvier 2020 au ?");
        r.titre = r.indicateur.clone();
        r.type_resultat = None;
        assert_eq!(
            contexte_resultat(&r),
            "",
            "a title that repeats the indicator's"
        );
    }

    #[test]
    fn a_foreign_narrative_gets_its_language() {
        let n = |l: Option<&str>| Narratif {
            texte: "x".into(),
            langue: l.map(str::to_owned),
        };
        assert_eq!(langue(&n(Some("en"))), " lang=\"en\"");
        assert_eq!(langue(&n(Some("FR"))), "");
        assert_eq!(langue(&n(None)), "");
        assert_eq!(langue(&n(Some("en\"><script>"))), " lang=\"enscript\"");
    }
}
