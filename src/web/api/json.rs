//! The records as the API writes them: French snake_case field names, integer ids, ISO
//! dates, money as integer minor units with its currency. The names are a contract,
//! described in `openapi.json` and checked by `tests/api.rs`.

use serde::Serialize;
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime};

use crate::model::{Action, Collectivite, Localite, Montant, PointAction};
use crate::store::action::ActionResume;
use crate::store::financement::Total;
use crate::store::partenariat::PartenariatResume;

/// `AAAA-MM-JJ`.
pub fn date(jour: Date) -> String {
    jour.to_string()
}

/// RFC 3339 in UTC.
pub fn instant(moment: OffsetDateTime) -> String {
    moment
        .to_offset(time::UtcOffset::UTC)
        .format(&Rfc3339)
        .unwrap_or_default()
}

#[derive(Serialize)]
pub struct CollectiviteJson {
    pub id: i64,
    /// ISO 3166-1 alpha-2.
    pub pays: String,
    pub niveau: &'static str,
    /// The local name of a numbered level, or null.
    pub libelle_niveau: Option<String>,
    pub code: Option<String>,
    pub nom: String,
    pub parent_id: Option<i64>,
    pub valide_du: Option<String>,
    pub valide_au: Option<String>,
    pub actuelle: bool,
    pub population: Option<u64>,
}

impl From<&Collectivite> for CollectiviteJson {
    fn from(c: &Collectivite) -> Self {
        CollectiviteJson {
            id: c.id.0,
            pays: c.pays.code().to_owned(),
            niveau: c.niveau.code(),
            libelle_niveau: c.libelle_niveau.clone(),
            code: c.code.clone(),
            nom: c.nom.clone(),
            parent_id: c.parent.map(|p| p.0),
            valide_du: c.validite.debut().map(date),
            valide_au: c.validite.fin().map(date),
            actuelle: c.actuelle(),
            population: c.population,
        }
    }
}

pub fn collectivites(liste: &[Collectivite]) -> Vec<CollectiviteJson> {
    liste.iter().map(CollectiviteJson::from).collect()
}

/// An exact amount: `unites_mineures` of the currency (cents; francs for the XOF, which has
/// no decimals), never a float.
#[derive(Serialize)]
pub struct MontantJson {
    pub unites_mineures: i64,
    /// ISO 4217.
    pub devise: &'static str,
    /// Digits after the decimal mark: 0 for XOF, 2 otherwise.
    pub decimales: u32,
}

impl From<Montant> for MontantJson {
    fn from(m: Montant) -> Self {
        MontantJson {
            unites_mineures: m.unites_mineures(),
            devise: m.devise().code(),
            decimales: m.devise().decimales(),
        }
    }
}

/// The sum of one kind of money in one currency.
#[derive(Serialize)]
pub struct TotalJson {
    /// `engagement` or `decaissement`.
    #[serde(rename = "type")]
    pub type_financement: &'static str,
    pub montant: MontantJson,
    pub nombre: u64,
}

pub fn totaux(totaux: &[Total]) -> Vec<TotalJson> {
    totaux
        .iter()
        .map(|t| TotalJson {
            type_financement: t.type_financement.code(),
            montant: t.montant.into(),
            nombre: t.nombre,
        })
        .collect()
}

/// A partenariat as a line of a list.
#[derive(Serialize)]
pub struct PartenariatResumeJson {
    pub id: i64,
    pub titre: String,
    pub statut: &'static str,
    /// The étape reached today, or null.
    pub etape: Option<&'static str>,
    pub demonstration: bool,
    pub modifie_le: String,
    /// Malian first, then by name.
    pub parties: Vec<CollectiviteJson>,
}

impl From<PartenariatResume> for PartenariatResumeJson {
    fn from(r: PartenariatResume) -> Self {
        let p = r.partenariat;
        PartenariatResumeJson {
            id: p.id.0,
            titre: p.titre,
            statut: p.statut.code(),
            etape: r.etape.map(|e| e.code()),
            demonstration: p.demonstration,
            modifie_le: instant(p.modifie_le),
            parties: collectivites(&r.parties.0),
        }
    }
}

/// An action as a line of a list, with its places.
#[derive(Serialize)]
pub struct ActionResumeJson {
    pub id: i64,
    pub partenariat_id: i64,
    pub titre: String,
    pub axe: &'static str,
    pub domaine: &'static str,
    /// The OECD DAC 5-digit sector of the domaine.
    pub code_cad: &'static str,
    pub nature: &'static str,
    pub statut: &'static str,
    pub debut: Option<String>,
    pub fin: Option<String>,
    pub lieux: Vec<CollectiviteJson>,
    pub points: Vec<PointJson>,
    pub localites: Vec<LocaliteJson>,
}

/// A village of an action: its P-code, name and point, and the id of the collectivité it
/// lies in (its commune; its cercle for the few villages of a commune benkan lacks).
#[derive(Serialize)]
pub struct LocaliteJson {
    pub pcode: String,
    pub nom: String,
    pub commune_id: i64,
    pub longitude: f64,
    pub latitude: f64,
}

impl From<&Localite> for LocaliteJson {
    fn from(l: &Localite) -> Self {
        LocaliteJson {
            pcode: l.pcode.clone(),
            nom: l.nom.clone(),
            commune_id: l.collectivite.0,
            longitude: l.longitude,
            latitude: l.latitude,
        }
    }
}

/// A point of an action: WGS 84 degrees, its label, and the code of the unit it is attached
/// to (its commune; null outside Mali).
#[derive(Serialize)]
pub struct PointJson {
    pub latitude: f64,
    pub longitude: f64,
    pub libelle: Option<String>,
    pub commune: Option<String>,
}

impl From<&PointAction> for PointJson {
    fn from(p: &PointAction) -> Self {
        PointJson {
            latitude: p.latitude,
            longitude: p.longitude,
            libelle: p.libelle.clone(),
            commune: p.commune.clone(),
        }
    }
}

impl ActionResumeJson {
    pub fn new(
        a: &Action,
        lieux: &[Collectivite],
        points: &[PointAction],
        localites: &[Localite],
    ) -> Self {
        ActionResumeJson {
            id: a.id.0,
            partenariat_id: a.partenariat.0,
            titre: a.titre.clone(),
            axe: a.axe.code(),
            domaine: a.domaine.code(),
            code_cad: a.domaine.code_cad(),
            nature: a.nature.code(),
            statut: a.statut.code(),
            debut: a.periode.debut().map(date),
            fin: a.periode.fin().map(date),
            lieux: collectivites(lieux),
            points: points.iter().map(PointJson::from).collect(),
            localites: localites.iter().map(LocaliteJson::from).collect(),
        }
    }
}

impl From<ActionResume> for ActionResumeJson {
    fn from(r: ActionResume) -> Self {
        ActionResumeJson::new(&r.action, &r.lieux, &r.points, &r.localites)
    }
}

pub fn actions(liste: Vec<ActionResume>) -> Vec<ActionResumeJson> {
    liste.into_iter().map(ActionResumeJson::from).collect()
}
