//! Reading the JSON bodies of writes: every wrong field is named, all at once.

use serde_json::{Map, Value};

use super::erreur::ErreurApi;
use crate::carte;
use crate::model::{
    Code, Devise, ErreurModele, Extrait, LOCALITES_MAX, Montant, NouvelActeur, POINTS_MAX,
    PointAction, TypeFinancement, TypeOrganisation, pcode_localite,
};
use crate::store::action::FinancementDeclare;

/// The fields of a JSON object, read one by one; the errors pile up.
pub struct Champs<'a> {
    objet: &'a Map<String, Value>,
    /// Prefix of the field names in messages (`financement.`).
    prefixe: String,
    pub erreurs: Vec<String>,
}

/// The body as a JSON object, or a 400.
pub fn objet(corps: &[u8]) -> Result<Map<String, Value>, ErreurApi> {
    match serde_json::from_slice::<Value>(corps) {
        Ok(Value::Object(o)) => Ok(o),
        Ok(_) => Err(ErreurApi::CorpsIllisible(
            "Le corps de la requête doit être un objet JSON ({ … }).".to_owned(),
        )),
        Err(e) => Err(ErreurApi::CorpsIllisible(format!(
            "Le corps de la requête n'est pas du JSON lisible : {e}."
        ))),
    }
}

impl<'a> Champs<'a> {
    /// Reads `objet`, refusing at once the fields not in `connus`.
    pub fn new(objet: &'a Map<String, Value>, prefixe: &str, connus: &[&str]) -> Champs<'a> {
        let mut champs = Champs {
            objet,
            prefixe: prefixe.to_owned(),
            erreurs: Vec::new(),
        };
        let mut inconnus: Vec<&String> = objet
            .keys()
            .filter(|k| !connus.contains(&k.as_str()))
            .collect();
        inconnus.sort();
        for nom in inconnus {
            let message = format!(
                "champ « {prefixe}{nom} » inconnu ; champs acceptés : {}",
                connus.join(", ")
            );
            champs.erreurs.push(message);
        }
        champs
    }

    fn erreur(&mut self, nom: &str, attendu: &str, valeur: Option<&Value>) {
        let message = match valeur {
            Some(v) => format!(
                "champ « {}{nom} » : {} n'est pas admis ; {attendu} est attendu",
                self.prefixe,
                Extrait(&v.to_string())
            ),
            None => format!(
                "champ « {}{nom} » manquant : {attendu} est attendu",
                self.prefixe
            ),
        };
        self.erreurs.push(message);
    }

    fn present(&self, nom: &str) -> Option<&'a Value> {
        self.objet.get(nom).filter(|v| !v.is_null())
    }

    /// A text; `Some("")` is kept for the form's checks to name.
    pub fn texte(&mut self, nom: &str, requis: bool) -> Option<String> {
        match self.present(nom) {
            Some(Value::String(t)) => Some(t.clone()),
            None if !requis => None,
            autre => {
                self.erreur(nom, "un texte", autre);
                None
            }
        }
    }

    pub fn entier(&mut self, nom: &str, requis: bool) -> Option<i64> {
        match self.present(nom) {
            Some(Value::Number(n)) if n.as_i64().is_some() => n.as_i64(),
            None if !requis => None,
            autre => {
                self.erreur(nom, "un nombre entier", autre);
                None
            }
        }
    }

    /// Positive integer ids.
    pub fn identifiants(&mut self, nom: &str) -> Vec<i64> {
        match self.present(nom) {
            None => Vec::new(),
            Some(Value::Array(a)) if a.iter().all(|v| v.as_i64().is_some_and(|i| i > 0)) => {
                a.iter().filter_map(Value::as_i64).collect()
            }
            autre => {
                self.erreur(nom, "un tableau d'identifiants entiers positifs", autre);
                Vec::new()
            }
        }
    }

    /// A vocabulary code, or its default when absent.
    pub fn code<T: Code>(&mut self, nom: &str, defaut: Option<T>) -> Option<T> {
        match (self.present(nom), defaut) {
            (None, Some(d)) => Some(d),
            (Some(Value::String(t)), _) => match T::depuis_code(t) {
                Ok(v) => Some(v),
                Err(e) => {
                    self.erreurs
                        .push(format!("champ « {}{nom} » : {e}", self.prefixe));
                    None
                }
            },
            (autre, _) => {
                let attendus: Vec<&str> = T::TOUS.iter().map(|v| v.code()).collect();
                self.erreur(
                    nom,
                    &format!("un des textes {}", attendus.join(", ")),
                    autre,
                );
                None
            }
        }
    }

    /// A number (JSON has no NaN nor infinity).
    fn nombre(&mut self, nom: &str) -> Option<f64> {
        match self.present(nom) {
            Some(Value::Number(n)) => n.as_f64(),
            autre => {
                self.erreur(nom, "un nombre de degrés décimaux", autre);
                None
            }
        }
    }

    /// The elements of array `nom` (`forme` says what it holds), none when it is absent;
    /// one that is no array, or holds more than `max` elements (`trop` says so), is named.
    fn tableau(
        &mut self,
        nom: &str,
        forme: &str,
        max: usize,
        trop: fn(usize) -> ErreurModele,
    ) -> &'a [Value] {
        match self.present(nom) {
            None => &[],
            Some(Value::Array(a)) if a.len() > max => {
                let e = trop(a.len());
                self.erreurs
                    .push(format!("champ « {}{nom} » : {e}", self.prefixe));
                &[]
            }
            Some(Value::Array(a)) => a,
            autre => {
                self.erreur(nom, forme, autre);
                &[]
            }
        }
    }

    /// An action's points, `[{ "latitude", "longitude", "libelle"? }]` in WGS 84 decimal
    /// degrees, checked as the form checks its lines and attached to their unit on the map.
    pub fn points(&mut self, nom: &str) -> Vec<PointAction> {
        const FORME: &str = "un tableau d'objets { \"latitude\": nombre, \"longitude\": nombre, \"libelle\": texte facultatif }";
        let elements = self.tableau(nom, FORME, POINTS_MAX, ErreurModele::TropDePoints);
        let mut points = Vec::with_capacity(elements.len());
        for (i, element) in elements.iter().enumerate() {
            let nom_point = format!("{}{nom}[{i}]", self.prefixe);
            let Value::Object(o) = element else {
                self.erreurs.push(format!(
                    "champ « {nom_point} » : {} n'est pas admis ; un objet {{ \"latitude\", \"longitude\", \"libelle\" }} est attendu",
                    Extrait(&element.to_string())
                ));
                continue;
            };
            let prefixe = format!("{nom_point}.");
            let mut c = Champs::new(o, &prefixe, &["latitude", "longitude", "libelle"]);
            let latitude = c.nombre("latitude");
            let longitude = c.nombre("longitude");
            let libelle = c.texte("libelle", false);
            if let (Some(latitude), Some(longitude)) = (latitude, longitude) {
                match PointAction::nouveau(latitude, longitude, libelle.as_deref()) {
                    Ok(p) => points.push(carte::situer(p)),
                    Err(e) => {
                        let champ = match &e {
                            ErreurModele::CoordonneeHorsBornes { champ, .. } => champ,
                            _ => "libelle",
                        };
                        c.erreurs.push(format!("champ « {prefixe}{champ} » : {e}"));
                    }
                }
            }
            self.erreurs.append(&mut c.erreurs);
        }
        points
    }

    /// An action's villages, an array of P-codes (« ML020530035 »), each checked by
    /// `verifier` (the gazetteer holds it, in the partenariat's territory); every wrong one
    /// is named by its index.
    pub fn localites(
        &mut self,
        nom: &str,
        verifier: impl Fn(&str) -> Result<String, String>,
    ) -> Vec<String> {
        let elements = self.tableau(
            nom,
            "un tableau de codes P de localités (« ML020530035 »)",
            LOCALITES_MAX,
            ErreurModele::TropDeLocalites,
        );
        let mut pcodes = Vec::with_capacity(elements.len());
        for (i, element) in elements.iter().enumerate() {
            let probleme = match element {
                Value::String(t) => match pcode_localite(t).map_err(|e| e.to_string()) {
                    Ok(p) => match verifier(&p) {
                        Ok(p) => {
                            pcodes.push(p);
                            continue;
                        }
                        Err(e) => e,
                    },
                    Err(e) => e,
                },
                autre => format!(
                    "{} n'est pas admis ; un code P (texte, « ML » et neuf chiffres) est attendu",
                    Extrait(&autre.to_string())
                ),
            };
            self.erreurs
                .push(format!("champ « {}{nom}[{i}] » : {probleme}", self.prefixe));
        }
        pcodes
    }

    pub fn objet(&mut self, nom: &str) -> Option<&'a Map<String, Value>> {
        match self.present(nom) {
            None => None,
            Some(Value::Object(o)) => Some(o),
            autre => {
                self.erreur(nom, "un objet", autre);
                None
            }
        }
    }
}

/// Money sent with the API: `{ "type", "montant": { "unites_mineures", "devise" }, "annee",
/// "source", "type_source" }` — the read side's shape, with where the money comes from.
pub fn financement(
    o: &Map<String, Value>,
    prefixe: &str,
) -> Result<FinancementDeclare, Vec<String>> {
    let mut c = Champs::new(
        o,
        prefixe,
        &["type", "montant", "annee", "source", "type_source"],
    );
    let type_financement = c.code::<TypeFinancement>("type", None);
    let montant = c.objet("montant").and_then(|m| {
        let prefixe_montant = format!("{prefixe}montant.");
        let mut cm = Champs::new(
            m,
            &prefixe_montant,
            &["unites_mineures", "devise", "decimales"],
        );
        let unites = cm.entier("unites_mineures", true);
        let devise = cm.code::<Devise>("devise", None);
        // `decimales` may come back as read; it must then agree with the currency.
        if let (Some(d), Some(n)) = (devise, cm.entier("decimales", false))
            && n != i64::from(d.decimales())
        {
            cm.erreurs.push(format!(
                "champ « {prefixe_montant}decimales » : {n} n'est pas admis ; {} est attendu pour {}",
                d.decimales(),
                d.code()
            ));
        }
        let montant = match (unites, devise) {
            (Some(u), Some(d)) => Montant::new(u, d)
                .map_err(|e| {
                    cm.erreurs
                        .push(format!("champ « {prefixe_montant}unites_mineures » : {e}"))
                })
                .ok(),
            _ => None,
        };
        c.erreurs.append(&mut cm.erreurs);
        montant
    });
    if !o.contains_key("montant") {
        c.erreurs.push(format!(
            "champ « {prefixe}montant » manquant : un objet {{ \"unites_mineures\": entier, \"devise\": \"XOF\" }} est attendu"
        ));
    }
    let annee = c.entier("annee", true).and_then(|a| {
        if (1960..=2100).contains(&a) {
            Some(a as i32)
        } else {
            c.erreurs.push(format!(
                "champ « {prefixe}annee » : {a} n'est pas admis ; une année de 1960 à 2100 est attendue"
            ));
            None
        }
    });
    let source = c.texte("source", true).and_then(|s| {
        if s.trim().is_empty() {
            c.erreurs.push(format!(
                "champ « {prefixe}source » vide : d'où vient l'argent (la commune, un ministère, une agence…) est attendu"
            ));
            None
        } else {
            Some(s)
        }
    });
    let type_source =
        c.code::<TypeOrganisation>("type_source", Some(TypeOrganisation::GouvernementLocal));
    match (type_financement, montant, annee, source, type_source) {
        (
            Some(type_financement),
            Some(montant),
            Some(annee),
            Some(nom),
            Some(type_organisation),
        ) if c.erreurs.is_empty() => Ok(FinancementDeclare {
            source: NouvelActeur {
                nom,
                type_organisation,
                identifiant_iati: None,
                pays: None,
                collectivite: None,
            },
            type_financement,
            montant,
            annee,
        }),
        _ => Err(c.erreurs),
    }
}

/// The 422 of a body with these errors.
pub fn invalide(erreurs: Vec<String>) -> ErreurApi {
    let mut message = erreurs.join(" ; ");
    if let Some(premiere) = message.get(..1) {
        message = premiere.to_uppercase() + &message[1..];
    }
    message.push('.');
    ErreurApi::Corps(message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn lire(v: Value) -> Result<FinancementDeclare, Vec<String>> {
        financement(v.as_object().unwrap(), "financement.")
    }

    #[test]
    fn money_is_read_in_minor_units_and_every_wrong_field_is_named() {
        let f = lire(json!({
            "type": "engagement", "annee": 2024, "source": "Commune de Kayes",
            "montant": { "unites_mineures": 1_234_567, "devise": "EUR", "decimales": 2 }
        }))
        .unwrap();
        assert_eq!(f.montant, Montant::new(1_234_567, Devise::Eur).unwrap());
        assert_eq!(
            f.source.type_organisation,
            TypeOrganisation::GouvernementLocal
        );
        let erreurs = lire(json!({
            "type": "don", "annee": 1900, "source": " ", "couleur": "bleu",
            "montant": { "unites_mineures": 1.5, "devise": "XOF", "decimales": 2 }
        }))
        .err()
        .unwrap();
        for attendu in [
            "« financement.couleur » inconnu",
            "« financement.type » : « don »",
            "« financement.montant.unites_mineures » : 1.5",
            "« financement.montant.decimales » : 2",
            "« financement.annee » : 1900",
            "« financement.source » vide",
        ] {
            assert!(
                erreurs.iter().any(|e| e.contains(attendu)),
                "{attendu} absent de {erreurs:?}"
            );
        }
        assert!(
            lire(json!({}))
                .err()
                .unwrap()
                .iter()
                .any(|e| e.contains("« financement.montant » manquant"))
        );
    }

    #[test]
    fn points_are_read_checked_and_attached_and_every_wrong_one_is_named() {
        let corps = json!({ "points": [
            { "latitude": 14.4485, "longitude": -11.4389, "libelle": "puits de Kayes" },
            { "latitude": 14.69, "longitude": -17.44 },
        ]});
        let mut c = Champs::new(corps.as_object().unwrap(), "", &["points"]);
        let points = c.points("points");
        assert!(c.erreurs.is_empty(), "{:?}", c.erreurs);
        assert_eq!(points[0].commune.as_deref(), Some("ML-1-KAYES-KAYES"));
        assert_eq!(points[0].libelle.as_deref(), Some("puits de Kayes"));
        assert_eq!(points[1].commune, None);

        let corps = json!({ "points": [
            { "latitude": 95, "longitude": 0 },
            { "latitude": "14,4", "longitude": -8, "altitude": 300 },
            { "latitude": 12, "longitude": -8, "libelle": "a | b" },
            [12, -8],
        ]});
        let mut c = Champs::new(corps.as_object().unwrap(), "", &["points"]);
        assert!(c.points("points").is_empty());
        for attendu in [
            "« points[0].latitude » : la latitude « 95 » n'est pas un nombre de degrés entre -90 et 90",
            "« points[1].altitude » inconnu",
            "« points[1].latitude » : \"14,4\" n'est pas admis ; un nombre de degrés décimaux est attendu",
            "« points[2].libelle » : le libellé d'un point ne peut pas contenir « | »",
            "« points[3] » : [12,-8] n'est pas admis",
        ] {
            assert!(
                c.erreurs.iter().any(|e| e.contains(attendu)),
                "{attendu} absent de {:?}",
                c.erreurs
            );
        }
        let beaucoup: Vec<Value> = (0..=POINTS_MAX)
            .map(|_| json!({ "latitude": 12, "longitude": -8 }))
            .collect();
        let corps = json!({ "points": beaucoup });
        let mut c = Champs::new(corps.as_object().unwrap(), "", &["points"]);
        c.points("points");
        assert!(c.erreurs[0].contains("51 points : une action en compte au plus 50"));
    }

    #[test]
    fn a_body_must_be_a_json_object() {
        assert!(objet(b"{\"a\": 1}").is_ok());
        assert!(matches!(objet(b"[1]"), Err(ErreurApi::CorpsIllisible(_))));
        assert!(matches!(
            objet(b"titre=x"),
            Err(ErreurApi::CorpsIllisible(_))
        ));
    }
}
