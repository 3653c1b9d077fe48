use std::collections::HashMap;
use std::fmt;
use std::sync::LazyLock;

use super::code::{identifiant, vocabulaire};
use super::texte::{Saisie, texte_facultatif, texte_requis};
use super::{ErreurModele, Periode};

identifiant!(
    /// Identifies a collectivité territoriale in the database.
    CollectiviteId
);

/// A country as an ISO 3166-1 alpha-2 code, upper case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pays([u8; 2]);

impl Pays {
    /// Mali, the country whose registry this is.
    pub const MALI: Pays = Pays(*b"ML");
    pub const FRANCE: Pays = Pays(*b"FR");

    /// Accepts an ISO 3166-1 alpha-2 code of the IATI Country codelist, in either case.
    pub fn new(code: &str) -> Result<Self, ErreurModele> {
        match code.trim().as_bytes() {
            [a, b] if a.is_ascii_alphabetic() && b.is_ascii_alphabetic() => {
                let pays = Pays([a.to_ascii_uppercase(), b.to_ascii_uppercase()]);
                if NOMS_ISO.contains_key(&pays.0) {
                    Ok(pays)
                } else {
                    Err(ErreurModele::PaysInconnu(code.trim().to_owned()))
                }
            }
            _ => Err(ErreurModele::PaysInvalide(code.to_owned())),
        }
    }

    pub fn code(&self) -> &str {
        // Both bytes are ASCII letters by construction.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }

    /// The French name for the countries benkan commonly meets, else the English name of the
    /// IATI codelist.
    pub fn nom(&self) -> &str {
        match &self.0 {
            b"ML" => "Mali",
            b"FR" => "France",
            b"CA" => "Canada",
            b"BE" => "Belgique",
            b"DE" => "Allemagne",
            b"ES" => "Espagne",
            b"IT" => "Italie",
            b"CH" => "Suisse",
            b"NL" => "Pays-Bas",
            b"LU" => "Luxembourg",
            b"GB" => "Royaume-Uni",
            b"US" => "États-Unis",
            b"SN" => "Sénégal",
            b"BF" => "Burkina Faso",
            b"NE" => "Niger",
            b"GN" => "Guinée",
            b"CI" => "Côte d'Ivoire",
            b"MR" => "Mauritanie",
            b"DZ" => "Algérie",
            b"MA" => "Maroc",
            b"TN" => "Tunisie",
            b"CN" => "Chine",
            b"JP" => "Japon",
            _ => NOMS_ISO.get(&self.0).copied().unwrap_or(self.code()),
        }
    }

    pub fn est_mali(&self) -> bool {
        *self == Pays::MALI
    }
}

/// Every ISO 3166-1 alpha-2 code with its English name, from the IATI Country codelist
/// shipped in `data/iati/pays.csv`.
static NOMS_ISO: LazyLock<HashMap<[u8; 2], &'static str>> = LazyLock::new(|| {
    include_str!("../../data/iati/pays.csv")
        .lines()
        .skip(1)
        .filter_map(|ligne| {
            let (code, nom) = ligne.split_once(',')?;
            let code: [u8; 2] = code.as_bytes().try_into().ok()?;
            Some((code, nom.trim_matches('"')))
        })
        .collect()
});

impl fmt::Display for Pays {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

vocabulaire! {
    /// The level of a collectivité. Mali and France have named levels; elsewhere a numbered
    /// level carries a free label (« municipalité », « Land »…).
    Niveau, champ = "niveau" {
        Region => ("region", "Région"),
        District => ("district", "District"),
        Cercle => ("cercle", "Cercle"),
        Commune => ("commune", "Commune"),
        Departement => ("departement", "Département"),
        Epci => ("epci", "Intercommunalité (EPCI)"),
        Metropole => ("metropole", "Métropole"),
        Niveau1 => ("niveau_1", "Niveau 1"),
        Niveau2 => ("niveau_2", "Niveau 2"),
        Niveau3 => ("niveau_3", "Niveau 3"),
    }
}

impl Niveau {
    /// The levels a country's collectivités may have.
    pub fn admis_pour(pays: Pays) -> &'static [Niveau] {
        use Niveau::*;
        match &pays.0 {
            b"ML" => &[Region, District, Cercle, Commune],
            b"FR" => &[Region, Departement, Commune, Epci, Metropole],
            _ => &[Niveau1, Niveau2, Niveau3],
        }
    }

    /// Whether partners of these two levels are « de niveaux similaires »: the same rank, or
    /// the district of Bamako — a région by status and a city by nature — with a région or a
    /// commune.
    pub fn comparable(self, autre: Niveau) -> bool {
        self.rang() == autre.rang()
            || (self == Niveau::District && autre.rang() != 2)
            || (autre == Niveau::District && self.rang() != 2)
    }

    /// 1 for the largest units (région, district de Bamako), 3 for the local ones: partners
    /// should be « de niveaux similaires », and comparing ranks shows when they are not.
    pub fn rang(self) -> u8 {
        use Niveau::*;
        match self {
            Region | District | Niveau1 => 1,
            Cercle | Departement | Niveau2 => 2,
            Commune | Epci | Metropole | Niveau3 => 3,
        }
    }
}

/// A collectivité territoriale as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collectivite {
    pub id: CollectiviteId,
    pub pays: Pays,
    pub niveau: Niveau,
    /// The local name of a numbered level (« municipalité »).
    pub libelle_niveau: Option<String>,
    /// The official code where one exists (INSEE COG, ISO 3166-2 for Malian régions).
    pub code: Option<String>,
    pub nom: String,
    pub parent: Option<CollectiviteId>,
    pub validite: Periode,
    /// Inhabitants, where the reference data gives it (used to rank homonyms).
    pub population: Option<u64>,
    /// Where the record comes from.
    pub source: Option<String>,
}

impl Collectivite {
    /// « Région », « Commune », or the free label of a numbered level.
    pub fn niveau_affiche(&self) -> &str {
        self.libelle_niveau
            .as_deref()
            .unwrap_or(self.niveau.libelle())
    }

    /// The unit as a sentence names it: « commune de Siby », « cercle d'Ansongo », or the
    /// name alone when it already says its level (« Commune V »).
    pub fn designation(&self) -> String {
        let niveau = self.niveau_affiche().to_lowercase();
        let nom = super::nom::normaliser(&self.nom);
        if nom.starts_with(&super::nom::normaliser(&niveau)) {
            return self.nom.clone();
        }
        let voyelle = nom.starts_with(['a', 'e', 'i', 'o', 'u']);
        let de = if voyelle { "d'" } else { "de " };
        format!("{niveau} {de}{}", self.nom)
    }

    /// The unit with its level, for a breadcrumb: « Région de Kayes », « Cercle de Kayes »
    /// in Mali, where people name a unit so; « Pays de la Loire (région) » elsewhere, where
    /// « région de … » would often be wrong French.
    pub fn intitule(&self) -> String {
        if self.pays.est_mali() {
            let designation = self.designation();
            let mut lettres = designation.chars();
            match lettres.next() {
                Some(premiere) => premiere.to_uppercase().chain(lettres).collect(),
                None => designation,
            }
        } else {
            format!("{} ({})", self.nom, self.niveau_affiche().to_lowercase())
        }
    }

    /// Whether the unit still exists (no end of validity).
    pub fn actuelle(&self) -> bool {
        self.validite.fin().is_none()
    }
}

/// A collectivité to create; [`NouvelleCollectivite::valider`] enforces the domain rules.
#[derive(Debug, Clone)]
pub struct NouvelleCollectivite {
    pub pays: Pays,
    pub niveau: Niveau,
    pub libelle_niveau: Option<String>,
    pub code: Option<String>,
    pub nom: String,
    pub parent: Option<CollectiviteId>,
    pub validite: Periode,
    pub population: Option<u64>,
    pub source: Option<String>,
}

impl NouvelleCollectivite {
    /// A current unit with only the mandatory facts.
    pub fn new(pays: Pays, niveau: Niveau, nom: &str) -> Self {
        NouvelleCollectivite {
            pays,
            niveau,
            libelle_niveau: None,
            code: None,
            nom: nom.to_owned(),
            parent: None,
            validite: Periode::inconnue(),
            population: None,
            source: None,
        }
    }

    /// Trims the texts and checks that the level exists in the country.
    pub fn valider(mut self) -> Result<Self, ErreurModele> {
        self.nom = texte_requis("nom", &self.nom, 200, Saisie::Ligne)?;
        self.code = texte_facultatif("code", self.code.as_deref(), 80, Saisie::Ligne)?;
        self.libelle_niveau = texte_facultatif(
            "libelle_niveau",
            self.libelle_niveau.as_deref(),
            80,
            Saisie::Ligne,
        )?;
        self.source = texte_facultatif("source", self.source.as_deref(), 2000, Saisie::Paragraphe)?;
        if !Niveau::admis_pour(self.pays).contains(&self.niveau) {
            return Err(ErreurModele::NiveauHorsPays {
                niveau: self.niveau,
                pays: self.pays,
            });
        }
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn country_codes_are_two_letters() {
        assert_eq!(Pays::new("fr").unwrap(), Pays::FRANCE);
        assert_eq!(Pays::new(" ML ").unwrap().nom(), "Mali");
        for bad in ["", "F", "FRA", "1A", "é1", "ZZ", "QQ"] {
            assert!(Pays::new(bad).is_err(), "{bad:?} accepted");
        }
        assert_eq!(Pays::new("de").unwrap().nom(), "Allemagne");
        assert_eq!(
            Pays::new("BO").unwrap().nom(),
            "Bolivia (Plurinational State of)"
        );
    }

    #[test]
    fn a_level_must_exist_in_its_country() {
        let err = NouvelleCollectivite::new(Pays::MALI, Niveau::Departement, "Kayes")
            .valider()
            .unwrap_err();
        assert!(matches!(err, ErreurModele::NiveauHorsPays { .. }));
        assert!(
            err.to_string()
                .contains("region, district, cercle, commune")
        );
        let canada = Pays::new("CA").unwrap();
        assert!(
            NouvelleCollectivite::new(canada, Niveau::Commune, "Sainte-Élisabeth")
                .valider()
                .is_err()
        );
        assert!(
            NouvelleCollectivite::new(canada, Niveau::Niveau3, "Sainte-Élisabeth")
                .valider()
                .is_ok()
        );
    }

    #[test]
    fn a_name_is_required() {
        let err = NouvelleCollectivite::new(Pays::MALI, Niveau::Commune, "   ")
            .valider()
            .unwrap_err();
        assert_eq!(err, ErreurModele::ChampVide("nom"));
    }

    #[test]
    fn a_unit_is_designated_by_its_level_and_name() {
        let unite = |niveau, nom: &str| Collectivite {
            id: CollectiviteId(1),
            pays: Pays::MALI,
            niveau,
            libelle_niveau: None,
            code: None,
            nom: nom.to_owned(),
            parent: None,
            validite: Periode::inconnue(),
            population: None,
            source: None,
        };
        assert_eq!(
            unite(Niveau::Commune, "Siby").designation(),
            "commune de Siby"
        );
        assert_eq!(
            unite(Niveau::Cercle, "Ansongo").designation(),
            "cercle d'Ansongo"
        );
        assert_eq!(
            unite(Niveau::Commune, "Ouéléssébougou").designation(),
            "commune d'Ouéléssébougou"
        );
        assert_eq!(
            unite(Niveau::Commune, "Commune V").designation(),
            "Commune V"
        );
        assert_eq!(
            unite(Niveau::District, "Bamako").designation(),
            "district de Bamako"
        );
        assert_eq!(unite(Niveau::Region, "Kayes").intitule(), "Région de Kayes");
        assert_eq!(unite(Niveau::Cercle, "Kayes").intitule(), "Cercle de Kayes");
        assert_eq!(unite(Niveau::Commune, "Commune V").intitule(), "Commune V");
        let francaise = Collectivite {
            pays: Pays::new("FR").unwrap(),
            ..unite(Niveau::Region, "Pays de la Loire")
        };
        assert_eq!(francaise.intitule(), "Pays de la Loire (région)");
    }

    #[test]
    fn bamako_compares_with_regions_and_cities() {
        assert!(Niveau::District.comparable(Niveau::Commune));
        assert!(Niveau::Region.comparable(Niveau::District));
        assert!(!Niveau::District.comparable(Niveau::Departement));
        assert!(!Niveau::Cercle.comparable(Niveau::Commune));
        assert!(Niveau::Cercle.comparable(Niveau::Departement));
    }

    #[test]
    fn ranks_compare_levels_across_countries() {
        assert_eq!(Niveau::Region.rang(), Niveau::District.rang());
        assert_eq!(Niveau::Cercle.rang(), Niveau::Departement.rang());
        assert!(Niveau::Region.rang() < Niveau::Commune.rang());
    }
}
