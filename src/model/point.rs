//! The points of an action: coordinates its authors type (a well, a school, a market), read
//! from the forms' and exchange files' one-line notation, checked, and attached to the
//! Malian unit whose polygon holds them by whoever builds them (the map is a layer above).

use super::ErreurModele;
use super::texte::{Saisie, texte_facultatif};

/// How many points an action may carry: enough for every well of a programme, few enough
/// that a page and its map stay readable.
pub const POINTS_MAX: usize = 50;

/// How long a point's label may be.
const LIBELLE_MAX: usize = 200;

/// A point where an action takes place, in WGS 84 degrees (EPSG:4326, what a phone's GPS
/// gives), rounded to six decimals (about 11 cm: more than any field GPS, and a fixed
/// precision lets the exchange files write the same digits the database holds).
#[derive(Debug, Clone, PartialEq)]
pub struct PointAction {
    pub latitude: f64,
    pub longitude: f64,
    /// What stands there: « puits de Kayes ».
    pub libelle: Option<String>,
    /// benkan's code of the unit the point is attached to (`carte::situer`): its commune, or
    /// its cercle where the map's commune matches no benkan unit; `None` outside Mali. The
    /// model cannot see the map: every entry (form, API, CSV import) sets it through
    /// `carte::situer`, and the store reads it back from the database.
    pub commune: Option<String>,
}

impl PointAction {
    /// A point from its coordinates and label, checked; attached to nothing yet.
    pub fn nouveau(
        latitude: f64,
        longitude: f64,
        libelle: Option<&str>,
    ) -> Result<PointAction, ErreurModele> {
        PointAction {
            latitude,
            longitude,
            libelle: libelle.map(str::to_owned),
            commune: None,
        }
        .valider()
    }

    /// Checks the coordinates (finite, on the globe) and the label; rounds the coordinates
    /// to six decimals.
    pub fn valider(mut self) -> Result<PointAction, ErreurModele> {
        self.latitude = coordonnee("latitude", self.latitude, 90.0)?;
        self.longitude = coordonnee("longitude", self.longitude, 180.0)?;
        self.libelle = texte_facultatif(
            "libellé du point",
            self.libelle.as_deref(),
            LIBELLE_MAX,
            Saisie::Ligne,
        )?;
        if self.libelle.as_deref().is_some_and(|l| l.contains('|')) {
            return Err(ErreurModele::BarreDansLibelle);
        }
        Ok(self)
    }

    /// Reads a point as a person types it: the latitude then the longitude in decimal
    /// degrees, separated by a space, a comma or « ; », with a decimal point or comma, then
    /// an optional label after « ; » — « 14,4485 ; -11,4389 ; puits de Kayes »,
    /// « 14.4485, -11.4389 », « 14,4485 -11,4389 ». A degree sign and a hemisphere letter
    /// (« 14,4485° N 11,4389° O ») are read too, since that is how pages show points.
    pub fn depuis_texte(texte: &str) -> Result<PointAction, ErreurModele> {
        let texte = texte.trim();
        let illisible = |probleme: String| ErreurModele::PointIllisible {
            texte: texte.to_owned(),
            probleme,
        };
        let mut l = Lecteur { reste: texte };
        if l.reste.is_empty() {
            return Err(illisible("il est vide".to_owned()));
        }
        let latitude = l
            .coordonnee(('N', 'S'), ('E', 'O'))
            .map_err(|p| illisible(p.en_francais("la latitude")))?;
        l.separateur();
        if l.reste.is_empty() {
            let mut probleme = "il manque la longitude".to_owned();
            if latitude.texte.contains(',') {
                probleme.push_str(&format!(
                    " (« {} » se lit comme un seul nombre à virgule décimale : séparez la latitude et la longitude par une espace ou « ; »)",
                    latitude.texte
                ));
            }
            return Err(illisible(probleme));
        }
        let longitude = l
            .coordonnee(('E', 'O'), ('N', 'S'))
            .map_err(|p| illisible(p.en_francais("la longitude")))?;
        let reste = l.reste.trim_start();
        let libelle = match reste.strip_prefix(';') {
            Some(libelle) => Some(libelle.trim()).filter(|l| !l.is_empty()),
            None if reste.is_empty() => None,
            None => {
                return Err(illisible(format!(
                    "après la longitude, « {} » n'est pas lu : un libellé s'écrit après « ; »",
                    super::Extrait(reste)
                )));
            }
        };
        PointAction::nouveau(latitude.valeur, longitude.valeur, libelle)
    }

    /// « 14.4485 -11.4389 »: the latitude then the longitude with a decimal point, as IATI's
    /// `pos` and the exchange files write them.
    pub fn position(&self) -> String {
        format!("{} {}", degres(self.latitude), degres(self.longitude))
    }

    /// « 14.4485 -11.4389 ; puits de Kayes »: the point as the exchange files, the journal
    /// and the edit form write it, which [`PointAction::depuis_texte`] reads back.
    pub fn en_texte(&self) -> String {
        match &self.libelle {
            Some(l) => format!("{} ; {l}", self.position()),
            None => self.position(),
        }
    }
}

/// Checks the points of an action: at most [`POINTS_MAX`], each valid; the same point
/// (coordinates and label) listed twice is kept once.
pub fn valider_points(points: Vec<PointAction>) -> Result<Vec<PointAction>, ErreurModele> {
    if points.len() > POINTS_MAX {
        return Err(ErreurModele::TropDePoints(points.len()));
    }
    let mut gardes: Vec<PointAction> = Vec::with_capacity(points.len());
    for p in points {
        let p = p.valider()?;
        if !gardes.contains(&p) {
            gardes.push(p);
        }
    }
    Ok(gardes)
}

/// A coordinate with at most six decimals and a decimal point, without trailing zeros
/// (`14.4485`, `-8`). `store::echange` writes the same digits in SQL (`printf('%.6f')` then
/// trimmed): the exchange files compare the two.
pub fn degres(valeur: f64) -> String {
    let texte = format!("{valeur:.6}");
    texte.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// `valeur` if it is a number within ±`borne`, rounded to six decimals (and never −0).
pub(super) fn coordonnee(
    champ: &'static str,
    valeur: f64,
    borne: f64,
) -> Result<f64, ErreurModele> {
    if !valeur.is_finite() || valeur.abs() > borne {
        return Err(ErreurModele::CoordonneeHorsBornes {
            champ,
            valeur: valeur.to_string(),
        });
    }
    Ok((valeur * 1e6).round() / 1e6 + 0.0)
}

/// A coordinate as read: its value (hemisphere applied) and its digits as typed.
struct Lu<'a> {
    valeur: f64,
    texte: &'a str,
}

/// Why a coordinate could not be read, before the message names which one.
enum Probleme {
    Absente(String),
    Sexagesimale,
    MauvaiseLettre(char, (char, char)),
    DoubleSigne(char),
}

impl Probleme {
    fn en_francais(&self, quoi: &str) -> String {
        match self {
            Probleme::Absente(trouve) if trouve.is_empty() => format!("il manque {quoi}"),
            Probleme::Absente(trouve) => format!(
                "{quoi} est attendue en chiffres, et « {} » n'est pas un nombre",
                super::Extrait(trouve)
            ),
            Probleme::Sexagesimale => format!(
                "{quoi} est en degrés, minutes et secondes : écrivez-la en degrés décimaux (14°26′55″ s'écrit 14,4486)"
            ),
            Probleme::MauvaiseLettre(lettre, (positif, negatif)) => format!(
                "{quoi} se termine par {positif} ou {negatif}, pas par « {lettre} » (la latitude vient en premier)"
            ),
            Probleme::DoubleSigne(lettre) => format!(
                "{quoi} porte à la fois le signe moins et la lettre {lettre} : gardez l'un des deux"
            ),
        }
    }
}

/// Reads a point's text from left to right.
struct Lecteur<'a> {
    reste: &'a str,
}

impl<'a> Lecteur<'a> {
    /// A number (sign, digits, one decimal point or comma followed by a digit), then an
    /// optional degree sign and hemisphere letter: `positif` makes it positive, `negatif`
    /// negative; the other axis's letters are a mistake.
    fn coordonnee(
        &mut self,
        (positif, negatif): (char, char),
        (autre_positif, autre_negatif): (char, char),
    ) -> Result<Lu<'a>, Probleme> {
        let texte = self.reste;
        let mut fin = 0;
        let mut chiffres = String::new();
        let mut signe_moins = false;
        let mut caracteres = texte.char_indices().peekable();
        if let Some(&(_, c)) = caracteres.peek()
            && matches!(c, '-' | '−' | '+')
        {
            signe_moins = c != '+';
            caracteres.next();
            fin = c.len_utf8();
        }
        let mut decimale = false;
        let mut sans_chiffre = true;
        while let Some(&(i, c)) = caracteres.peek() {
            let suivi_d_un_chiffre = texte[i + c.len_utf8()..]
                .chars()
                .next()
                .is_some_and(|s| s.is_ascii_digit());
            if c.is_ascii_digit() {
                chiffres.push(c);
                sans_chiffre = false;
            } else if matches!(c, '.' | ',') && !decimale && !sans_chiffre && suivi_d_un_chiffre {
                decimale = true;
                chiffres.push('.');
            } else {
                break;
            }
            caracteres.next();
            fin = i + c.len_utf8();
        }
        if sans_chiffre {
            let mot = texte
                .split(|c: char| c.is_whitespace() || c == ';')
                .next()
                .unwrap_or("");
            return Err(Probleme::Absente(mot.to_owned()));
        }
        let mut valeur: f64 = chiffres.parse().unwrap_or(f64::NAN);
        if signe_moins {
            valeur = -valeur;
        }
        let nombre = &texte[..fin];
        let mut apres = texte[fin..].trim_start();
        if apres.starts_with(['\'', '′', '"', '″', '’']) {
            return Err(Probleme::Sexagesimale);
        }
        if let Some(sans_degre) = apres.strip_prefix(['°', 'º']) {
            apres = sans_degre.trim_start();
            if sans_degre
                .trim_start()
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit())
            {
                return Err(Probleme::Sexagesimale);
            }
        }
        let lettre = apres.chars().next().map(|c| c.to_ascii_uppercase());
        let seule = |reste: &str| !reste.chars().nth(1).is_some_and(|c| c.is_alphanumeric());
        match lettre {
            Some(l)
                if (l == positif || l == negatif || (negatif == 'O' && l == 'W'))
                    && seule(apres) =>
            {
                if l != positif && signe_moins {
                    return Err(Probleme::DoubleSigne(l));
                }
                if l != positif {
                    valeur = -valeur;
                }
                apres = &apres[1..];
            }
            Some(l)
                if (l == autre_positif
                    || l == autre_negatif
                    || (autre_negatif == 'O' && l == 'W'))
                    && seule(apres) =>
            {
                return Err(Probleme::MauvaiseLettre(l, (positif, negatif)));
            }
            _ => {}
        }
        self.reste = apres;
        Ok(Lu {
            valeur,
            texte: nombre,
        })
    }

    /// Between the two coordinates: spaces, and at most one comma or « ; ».
    fn separateur(&mut self) {
        let reste = self.reste.trim_start();
        self.reste = match reste.strip_prefix([',', ';']) {
            Some(r) => r.trim_start(),
            None => reste,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lire(texte: &str) -> (f64, f64, Option<String>) {
        let p = PointAction::depuis_texte(texte).unwrap_or_else(|e| panic!("{texte} : {e}"));
        (p.latitude, p.longitude, p.libelle)
    }

    fn refus(texte: &str) -> String {
        PointAction::depuis_texte(texte)
            .map(|p| panic!("{texte} lu comme {p:?}"))
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn every_usual_way_of_typing_a_point_is_read() {
        let kayes = (14.4485, -11.4389, None);
        for texte in [
            "14.4485 -11.4389",
            "14.4485, -11.4389",
            "14.4485,-11.4389",
            "14,4485 -11,4389",
            "14,4485 ; -11,4389",
            "14,4485;-11,4389",
            "14,4485, -11,4389",
            "14,4485,-11,4389",
            "  14.4485\t-11.4389  ",
            "14,4485° N, 11,4389° O",
            "14.4485N 11.4389W",
            "+14.4485 −11.4389",
            "14.4485 -11.4389 ;",
        ] {
            assert_eq!(lire(texte), kayes, "{texte}");
        }
        assert_eq!(
            lire("14,4485 ; -11,4389 ; puits de Kayes"),
            (14.4485, -11.4389, Some("puits de Kayes".into()))
        );
        assert_eq!(
            lire("14.4485 -11.4389 ; école ; bloc B"),
            (14.4485, -11.4389, Some("école ; bloc B".into())),
            "the label is everything after the « ; » that follows the longitude"
        );
        assert_eq!(lire("12 -8"), (12.0, -8.0, None));
        assert_eq!(lire("14.5,11.2"), (14.5, 11.2, None));
        assert_eq!(lire("8° S 100,5 E"), (-8.0, 100.5, None));
    }

    #[test]
    fn a_point_that_cannot_be_read_says_what_is_wrong_and_what_is_expected() {
        let exemple = "« 14,4485 ; -11,4389 ; puits de Kayes »";
        let m = refus("14,4485");
        assert!(m.contains("il manque la longitude"), "{m}");
        assert!(m.contains(exemple), "{m}");
        let m = refus("14,11");
        assert!(
            m.contains("« 14,11 » se lit comme un seul nombre à virgule décimale"),
            "{m}"
        );
        let m = refus("Kayes");
        assert!(
            m.contains("la latitude est attendue en chiffres, et « Kayes » n'est pas un nombre"),
            "{m}"
        );
        let m = refus("14,4485 ; ouest");
        assert!(m.contains("la longitude est attendue en chiffres"), "{m}");
        let m = refus("14.4485 -11.4389 puits");
        assert!(
            m.contains(
                "après la longitude, « puits » n'est pas lu : un libellé s'écrit après « ; »"
            ),
            "{m}"
        );
        let m = refus("14.4485 -11.4389 12");
        assert!(m.contains("« 12 » n'est pas lu"), "{m}");
        let m = refus("14°26'55\" N, 11°26'20\" O");
        assert!(m.contains("degrés, minutes et secondes"), "{m}");
        let m = refus("11,4389 O 14,4485 N");
        assert!(
            m.contains("la latitude se termine par N ou S, pas par « O »"),
            "{m}"
        );
        let m = refus("14,4 N -11,4 O");
        assert!(m.contains("à la fois le signe moins et la lettre O"), "{m}");
        assert!(refus("").contains("il est vide"));
    }

    #[test]
    fn coordinates_stay_on_the_globe_and_are_rounded() {
        let m = refus("95 10");
        assert_eq!(
            m,
            "la latitude « 95 » n'est pas un nombre de degrés entre -90 et 90 (sud négatif, nord positif)"
        );
        let m = PointAction::nouveau(10.0, -180.5, None)
            .unwrap_err()
            .to_string();
        assert!(m.contains("la longitude « -180.5 »"), "{m}");
        assert!(
            m.contains("entre -180 et 180 (ouest négatif, est positif)"),
            "{m}"
        );
        for (lat, lon) in [(f64::NAN, 0.0), (0.0, f64::INFINITY)] {
            assert!(matches!(
                PointAction::nouveau(lat, lon, None),
                Err(ErreurModele::CoordonneeHorsBornes { .. })
            ));
        }
        let p = PointAction::nouveau(14.448_512_345, -0.000_000_1, Some(" puits ")).unwrap();
        assert_eq!((p.latitude, p.longitude), (14.448_512, 0.0));
        assert!(p.longitude.is_sign_positive(), "never -0");
        assert_eq!(p.libelle.as_deref(), Some("puits"));
        assert!(PointAction::nouveau(-90.0, 180.0, None).is_ok());
    }

    #[test]
    fn a_label_is_one_line_without_a_bar() {
        assert_eq!(
            PointAction::nouveau(1.0, 2.0, Some("a | b")).unwrap_err(),
            ErreurModele::BarreDansLibelle
        );
        assert!(matches!(
            PointAction::nouveau(1.0, 2.0, Some("a\nb")).unwrap_err(),
            ErreurModele::RetourALaLigne {
                champ: "libellé du point",
                ..
            }
        ));
        assert_eq!(
            PointAction::nouveau(1.0, 2.0, Some("  ")).unwrap().libelle,
            None
        );
    }

    #[test]
    fn the_written_form_reads_back_the_same() {
        for (lat, lon, libelle) in [
            (14.4485, -11.4389, Some("puits de Kayes ; nord")),
            (12.0, -8.0, None),
            (-0.000_001, 179.999_999, None),
            (0.1 + 0.2, -90.0 / 7.0, Some("a")),
        ] {
            let p = PointAction::nouveau(lat, lon, libelle).unwrap();
            let relu = PointAction::depuis_texte(&p.en_texte()).unwrap();
            assert_eq!(relu, p, "{}", p.en_texte());
        }
        let p = PointAction::nouveau(12.0, -8.5, Some("x")).unwrap();
        assert_eq!(p.position(), "12 -8.5");
        assert_eq!(p.en_texte(), "12 -8.5 ; x");
        assert_eq!(degres(0.3), "0.3");
        assert_eq!(degres(-12.857_143), "-12.857143");
    }

    #[test]
    fn an_action_has_at_most_fifty_points_each_once() {
        let p = |i: usize| PointAction::nouveau(10.0 + i as f64 / 100.0, -8.0, None).unwrap();
        let mut points: Vec<_> = (0..POINTS_MAX - 1).map(p).collect();
        points.push(p(3));
        assert_eq!(
            valider_points(points.clone()).unwrap().len(),
            POINTS_MAX - 1
        );
        points.push(p(POINTS_MAX));
        points.push(p(POINTS_MAX + 1));
        let m = valider_points(points).unwrap_err().to_string();
        assert!(m.contains("52 points") && m.contains("au plus 50"), "{m}");
    }
}
