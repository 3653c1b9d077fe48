//! La bourse aux partenariats: how a Malian collectivité's *demande* and an *offre* from
//! abroad are brought together. A pair's score is a sum of points, each given for a reason
//! written in plain French, so that both sides, and anyone reading the « comment nous
//! rapprochons » page, can see why a pair is proposed and why it comes before another. The
//! weights live in [`POIDS`] and nowhere else; the page is written from them.

use time::Date;

use super::code::{enumeration_fr, identifiant, vocabulaire};
use super::texte::{Saisie, texte_requis};
use super::{Axe, CollectiviteId, Domaine, ErreurModele, Montant, Niveau, Pays, minuscule};

identifiant!(
    /// Identifies a demande of the bourse.
    DemandeId
);

identifiant!(
    /// Identifies an offre of the bourse.
    OffreId
);

vocabulaire! {
    /// Where a demande or an offre stands once published. « Expirée » is not stored: it is
    /// an open one whose last day has passed (see [`EtatAnnonce::au`]).
    EtatAnnonce, champ = "etat" {
        Ouverte => ("ouverte", "Ouverte"),
        /// A partenariat was born from it.
        Pourvue => ("pourvue", "Pourvue"),
        /// Its author withdrew it.
        Retiree => ("retiree", "Retirée"),
    }
}

impl EtatAnnonce {
    /// What the pages say of it on `aujourd_hui`: « Expirée » once an open one has passed
    /// its last day.
    pub fn au(self, ouverte_jusqu_au: &Date, aujourd_hui: &Date) -> &'static str {
        if self.expiree(ouverte_jusqu_au, aujourd_hui) {
            "Expirée"
        } else {
            self.libelle()
        }
    }

    /// Its code on `aujourd_hui`, for the API and the open data: `expiree` once an open
    /// one has passed its last day.
    pub fn code_au(self, ouverte_jusqu_au: &Date, aujourd_hui: &Date) -> &'static str {
        if self.expiree(ouverte_jusqu_au, aujourd_hui) {
            EtatAnnonce::EXPIREE
        } else {
            self.code()
        }
    }

    fn expiree(self, ouverte_jusqu_au: &Date, aujourd_hui: &Date) -> bool {
        self == EtatAnnonce::Ouverte && ouverte_jusqu_au < aujourd_hui
    }

    /// The code of an open one past its last day, which is not stored.
    pub const EXPIREE: &'static str = "expiree";
}

vocabulaire! {
    /// The languages a demande or an offre can work in: French and English, and the
    /// national languages most spoken in the régions that cooperate most.
    Langue, champ = "langue" {
        Francais => ("fr", "français"),
        Bambara => ("bm", "bambara"),
        Peul => ("ff", "peul (fulfulde)"),
        Songhai => ("son", "songhaï"),
        Soninke => ("snk", "soninké"),
        Tamasheq => ("tmh", "tamasheq"),
        Arabe => ("ar", "arabe"),
        Anglais => ("en", "anglais"),
        Allemand => ("de", "allemand"),
        Espagnol => ("es", "espagnol"),
        Italien => ("it", "italien"),
    }
}

vocabulaire! {
    /// What an offre can bring.
    Capacite, champ = "capacite" {
        EchangeVolontaires => ("echange_volontaires", "Échange de volontaires"),
        AppuiTechnique => ("appui_technique", "Appui technique"),
        Formation => ("formation", "Formation des élus et des agents"),
        Financement => ("financement", "Financement"),
    }
}

/// The most domaines a demande or an offre lists: a need or a skill, not a catalogue.
pub const DOMAINES_MAX: usize = 5;

/// How long a demande or an offre stays open at most, in days: about two years, after which
/// its author says again that it holds.
pub const OUVERTURE_MAX_JOURS: i64 = 731;

/// What a demande and an offre both say: what, about what, in which languages, until when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annonce {
    pub titre: String,
    pub description: String,
    pub domaines: Vec<Domaine>,
    pub langues: Vec<Langue>,
    /// The last day it is open; archived after.
    pub ouverte_jusqu_au: Date,
}

impl Annonce {
    /// Checks the shared rules on the date `aujourd_hui`; `description` names the field as
    /// the form does (« besoin » for a demande, « expertise » for an offre).
    pub fn valider(
        mut self,
        description: &'static str,
        aujourd_hui: Date,
    ) -> Result<Annonce, ErreurModele> {
        self.titre = texte_requis("titre", &self.titre, 200, Saisie::Ligne)?;
        self.description = texte_requis(description, &self.description, 3000, Saisie::Paragraphe)?;
        self.domaines = sans_doublons(self.domaines);
        if self.domaines.is_empty() {
            return Err(ErreurModele::ChampVide("domaines"));
        }
        if self.domaines.len() > DOMAINES_MAX {
            return Err(ErreurModele::TropDeChoix {
                champ: "domaines",
                max: DOMAINES_MAX,
            });
        }
        self.langues = sans_doublons(self.langues);
        if self.langues.is_empty() {
            return Err(ErreurModele::ChampVide("langues"));
        }
        let jours = (self.ouverte_jusqu_au - aujourd_hui).whole_days();
        if !(1..=OUVERTURE_MAX_JOURS).contains(&jours) {
            return Err(ErreurModele::EcheanceHorsBornes {
                date: self.ouverte_jusqu_au,
                aujourd_hui,
            });
        }
        Ok(self)
    }
}

/// `valeurs` in their order, each once.
fn sans_doublons<T: PartialEq>(valeurs: Vec<T>) -> Vec<T> {
    let mut uniques: Vec<T> = Vec::with_capacity(valeurs.len());
    for v in valeurs {
        if !uniques.contains(&v) {
            uniques.push(v);
        }
    }
    uniques
}

/// A Malian collectivité's request for a partner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Demande {
    pub annonce: Annonce,
    /// The axes of its need, if it names them.
    pub axes: Vec<Axe>,
    /// The kind of partner it wants; `None` for any.
    pub niveau_souhaite: Option<Niveau>,
    pub pays_souhaite: Option<Pays>,
}

impl Demande {
    /// Checks a demande typed on `aujourd_hui` (the store checks that the collectivité is
    /// Malian and the PDESC objective its own).
    pub fn valider(mut self, aujourd_hui: Date) -> Result<Demande, ErreurModele> {
        self.annonce = self.annonce.valider("besoin", aujourd_hui)?;
        self.axes = sans_doublons(self.axes);
        if self.pays_souhaite.is_some_and(|p| p.est_mali()) {
            return Err(ErreurModele::PartenaireMalien);
        }
        Ok(self)
    }
}

/// What a foreign collectivité, or an association working with one, can bring.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offre {
    pub annonce: Annonce,
    pub capacites: Vec<Capacite>,
    /// The funding it can bring, from – to, in its currency.
    pub financement: Option<(Montant, Montant)>,
    /// The régions of Mali it already knows (the store checks that they are régions).
    pub regions_connues: Vec<CollectiviteId>,
}

impl Offre {
    pub fn valider(mut self, aujourd_hui: Date) -> Result<Offre, ErreurModele> {
        self.annonce = self.annonce.valider("expertise", aujourd_hui)?;
        self.capacites = sans_doublons(self.capacites);
        if self.capacites.is_empty() {
            return Err(ErreurModele::ChampVide("ce que vous pouvez apporter"));
        }
        self.regions_connues = sans_doublons(self.regions_connues);
        if let Some((de, a)) = &self.financement {
            if !self.capacites.contains(&Capacite::Financement) {
                return Err(ErreurModele::FinancementSansCapacite);
            }
            if de.devise() != a.devise() || de.unites_mineures() > a.unites_mineures() {
                return Err(ErreurModele::FourchetteInvalide);
            }
        }
        Ok(self)
    }
}

/// The points each reason gives. A shared domaine weighs most: it is what the two sides
/// would do together. Then what makes cooperation easier (comparable levels, a région the
/// partner already knows, a shared language) and what the founding document asks for:
/// bringing cooperation where there is none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Poids {
    /// The first domaine in common.
    pub domaine: u32,
    /// Each further domaine in common.
    pub domaine_en_plus: u32,
    /// Levels of the same rank (commune – commune, cercle – département, région – région).
    pub niveau_comparable: u32,
    /// The offre's side already works in the demande's région.
    pub region_connue: u32,
    /// At least one language in common.
    pub langue: u32,
    /// The demande's collectivité has no active partenariat.
    pub sans_partenariat: u32,
    /// No collectivité of its cercle has one either: far from any existing cooperation.
    pub cercle_sans_partenariat: u32,
}

/// The weights of the bourse (see [`Poids`]).
pub const POIDS: Poids = Poids {
    domaine: 30,
    domaine_en_plus: 10,
    niveau_comparable: 15,
    region_connue: 15,
    langue: 5,
    sans_partenariat: 20,
    cercle_sans_partenariat: 10,
};

/// What the bourse knows of a demande when it looks for offres.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfilDemande {
    pub collectivite: CollectiviteId,
    pub niveau: Niveau,
    /// Its région (or the district) and that région's name.
    pub region: Option<(CollectiviteId, String)>,
    pub domaines: Vec<Domaine>,
    /// The kind of partner it wants; `None` for any.
    pub niveau_souhaite: Option<Niveau>,
    pub pays_souhaite: Option<Pays>,
    pub langues: Vec<Langue>,
    /// Active partenariats of the collectivité itself, and of its cercle's collectivités
    /// (the cercle itself included).
    pub partenariats: u32,
    pub partenariats_du_cercle: u32,
    /// The foreign collectivités it already has a partenariat with, at any étape.
    pub partenaires: Vec<CollectiviteId>,
}

/// What the bourse knows of an offre.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfilOffre {
    /// The foreign collectivité behind the offre, when there is one (itself, or the one an
    /// association works with).
    pub collectivite: Option<CollectiviteId>,
    pub pays: Option<Pays>,
    /// Its level; `None` for an association or an NGO.
    pub niveau: Option<Niveau>,
    pub domaines: Vec<Domaine>,
    /// The régions of Mali it already knows.
    pub regions_connues: Vec<CollectiviteId>,
    pub langues: Vec<Langue>,
}

/// One reason a pair is proposed, and what it adds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Raison {
    pub points: u32,
    pub texte: String,
}

/// A proposed pair: its score and the reasons that make it, largest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rapprochement {
    pub score: u32,
    pub raisons: Vec<Raison>,
}

/// Why a pair is not proposed at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ecart {
    /// They already have a partenariat: nothing to find.
    DejaPartenaires,
    /// Nothing the demande needs is among what the offre brings.
    AucunDomaineCommun,
    /// The demande asked for a partner of another country.
    AutrePays,
    /// The demande asked for a partner of another level.
    AutreNiveau,
}

impl Ecart {
    /// The sentence the « comment nous rapprochons » page gives for it.
    pub fn texte(self) -> &'static str {
        match self {
            Ecart::DejaPartenaires => "les deux collectivités ont déjà un partenariat",
            Ecart::AucunDomaineCommun => "aucun domaine demandé ne figure dans l'offre",
            Ecart::AutrePays => "la demande souhaite un partenaire d'un autre pays",
            Ecart::AutreNiveau => "la demande souhaite un partenaire d'un autre niveau",
        }
    }

    pub const TOUS: [Ecart; 4] = [
        Ecart::DejaPartenaires,
        Ecart::AucunDomaineCommun,
        Ecart::AutrePays,
        Ecart::AutreNiveau,
    ];
}

/// Scores the pair `d`–`o` with [`POIDS`], or says why it is not proposed.
pub fn rapprocher(d: &ProfilDemande, o: &ProfilOffre) -> Result<Rapprochement, Ecart> {
    if o.collectivite.is_some_and(|c| d.partenaires.contains(&c)) {
        return Err(Ecart::DejaPartenaires);
    }
    if d.pays_souhaite.is_some_and(|p| o.pays != Some(p)) {
        return Err(Ecart::AutrePays);
    }
    if let Some(souhaite) = d.niveau_souhaite
        && o.niveau.is_none_or(|n| n.rang() != souhaite.rang())
    {
        return Err(Ecart::AutreNiveau);
    }
    let communs: Vec<String> = d
        .domaines
        .iter()
        .filter(|x| o.domaines.contains(x))
        .map(|x| minuscule(x.libelle()))
        .collect();
    if communs.is_empty() {
        return Err(Ecart::AucunDomaineCommun);
    }
    let mut raisons = vec![Raison {
        points: POIDS.domaine + POIDS.domaine_en_plus * (communs.len() as u32 - 1),
        texte: if communs.len() == 1 {
            format!("même domaine : {}", communs[0])
        } else {
            format!("mêmes domaines : {}", enumeration_fr(&communs))
        },
    }];
    if let Some(niveau) = o.niveau
        && niveau.comparable(d.niveau)
    {
        raisons.push(Raison {
            points: POIDS.niveau_comparable,
            texte: format!(
                "niveau comparable : {} – {}",
                minuscule(d.niveau.libelle()),
                minuscule(niveau.libelle())
            ),
        });
    }
    if let Some((region, nom)) = &d.region
        && o.regions_connues.contains(region)
    {
        raisons.push(Raison {
            points: POIDS.region_connue,
            texte: format!("connaît déjà la région de {nom}"),
        });
    }
    let langues: Vec<String> = d
        .langues
        .iter()
        .filter(|l| o.langues.contains(l))
        .map(|l| l.libelle().to_owned())
        .collect();
    if !langues.is_empty() {
        let pluriel = if langues.len() > 1 { "s" } else { "" };
        raisons.push(Raison {
            points: POIDS.langue,
            texte: format!(
                "langue{pluriel} commune{pluriel} : {}",
                enumeration_fr(&langues)
            ),
        });
    }
    if d.partenariats == 0 {
        raisons.push(Raison {
            points: POIDS.sans_partenariat,
            texte: format!("{} sans aucun partenariat", minuscule(d.niveau.libelle())),
        });
        if d.partenariats_du_cercle == 0 {
            raisons.push(Raison {
                points: POIDS.cercle_sans_partenariat,
                texte: "aucun partenariat dans tout son cercle".to_owned(),
            });
        }
    }
    raisons.sort_by_key(|r| std::cmp::Reverse(r.points));
    Ok(Rapprochement {
        score: raisons.iter().map(|r| r.points).sum(),
        raisons,
    })
}

/// The pairs worth proposing, best first; equal scores keep the order of `candidats` (the
/// caller gives them oldest first, so that the earliest published is not overtaken by a
/// later twin).
pub fn classer<T>(
    candidats: impl IntoIterator<Item = (T, Result<Rapprochement, Ecart>)>,
) -> Vec<(T, Rapprochement)> {
    let mut retenus: Vec<(T, Rapprochement)> = candidats
        .into_iter()
        .filter_map(|(c, r)| Some((c, r.ok()?)))
        .collect();
    retenus.sort_by_key(|(_, r)| std::cmp::Reverse(r.score));
    retenus
}

#[cfg(test)]
mod tests {
    use super::*;
    use Domaine::*;

    const KAYES: CollectiviteId = CollectiviteId(1);
    const SEGOU: CollectiviteId = CollectiviteId(2);

    fn demande(domaines: Vec<Domaine>, partenariats: u32, du_cercle: u32) -> ProfilDemande {
        ProfilDemande {
            collectivite: CollectiviteId(100),
            niveau: Niveau::Commune,
            region: Some((KAYES, "Kayes".to_owned())),
            domaines,
            niveau_souhaite: None,
            pays_souhaite: None,
            langues: vec![Langue::Francais, Langue::Soninke],
            partenariats,
            partenariats_du_cercle: du_cercle,
            partenaires: vec![CollectiviteId(900)],
        }
    }

    fn offre(
        collectivite: i64,
        niveau: Option<Niveau>,
        domaines: Vec<Domaine>,
        regions: Vec<CollectiviteId>,
    ) -> ProfilOffre {
        ProfilOffre {
            collectivite: (collectivite > 0).then_some(CollectiviteId(collectivite)),
            pays: Some(Pays::FRANCE),
            niveau,
            domaines,
            regions_connues: regions,
            langues: vec![Langue::Francais],
        }
    }

    fn textes(r: &Rapprochement) -> Vec<&str> {
        r.raisons.iter().map(|x| x.texte.as_str()).collect()
    }

    /// A commune of the Kayes région with no partner at all (nor anyone in its cercle) asks
    /// for help with water and health. Five offres:
    /// - A, a French commune working on water and health that already knows Kayes: two shared
    ///   domaines (30 + 10), the same level (15), the région (15), French (5), and the white
    ///   zone (20 + 10) → 105;
    /// - C, an association (no level) on health that knows Kayes: 30 + 15 + 5 + 30 → 80;
    /// - B, a French département on water that knows only Ségou: one domaine (30), a
    ///   département is not comparable to a commune, French (5), the white zone (30) → 65;
    /// - D, a commune the demande already has a partenariat with: not proposed;
    /// - E, a commune that brings only culture: not proposed.
    ///
    /// So A, C, B: sharing more of the need and knowing the place come first, and a partner
    /// without a level is not pushed below one of the wrong level.
    #[test]
    fn offres_are_ranked_by_what_they_share_with_the_demande() {
        let d = demande(vec![EauAssainissement, Sante], 0, 0);
        let offres = [
            (
                "A",
                offre(
                    501,
                    Some(Niveau::Commune),
                    vec![Sante, EauAssainissement, Culture],
                    vec![KAYES],
                ),
            ),
            (
                "B",
                offre(
                    502,
                    Some(Niveau::Departement),
                    vec![EauAssainissement],
                    vec![SEGOU],
                ),
            ),
            ("C", offre(0, None, vec![Sante], vec![KAYES])),
            (
                "D",
                offre(
                    900,
                    Some(Niveau::Commune),
                    vec![EauAssainissement],
                    vec![KAYES],
                ),
            ),
            (
                "E",
                offre(503, Some(Niveau::Commune), vec![Culture], vec![KAYES]),
            ),
        ];
        assert_eq!(rapprocher(&d, &offres[3].1), Err(Ecart::DejaPartenaires));
        assert_eq!(rapprocher(&d, &offres[4].1), Err(Ecart::AucunDomaineCommun));
        let classes = classer(offres.iter().map(|(nom, o)| (*nom, rapprocher(&d, o))));
        let ordre: Vec<(&str, u32)> = classes.iter().map(|(n, r)| (*n, r.score)).collect();
        assert_eq!(ordre, [("A", 105), ("C", 80), ("B", 65)]);
        assert_eq!(
            textes(&classes[0].1),
            [
                "mêmes domaines : eau et assainissement et santé",
                "commune sans aucun partenariat",
                "niveau comparable : commune – commune",
                "connaît déjà la région de Kayes",
                "aucun partenariat dans tout son cercle",
                "langue commune : français",
            ]
        );
        assert_eq!(
            textes(&classes[2].1),
            [
                "même domaine : eau et assainissement",
                "commune sans aucun partenariat",
                "aucun partenariat dans tout son cercle",
                "langue commune : français",
            ]
        );
    }

    /// One French commune offers water and health. Two communes ask:
    /// - X already has three partenariats and its cercle many; it shares both domaines:
    ///   30 + 10 + 15 (level) + 5 (French) → 60;
    /// - Y has none, nor has its cercle; it shares only water: 30 + 15 + 5 + 20 + 10 → 80.
    ///
    /// Y comes first: a white zone outranks a better-served commune with one more shared
    /// domaine, which is what the bourse is for.
    #[test]
    fn white_zones_come_first() {
        let o = offre(
            501,
            Some(Niveau::Commune),
            vec![EauAssainissement, Sante],
            vec![],
        );
        let x = demande(vec![EauAssainissement, Sante], 3, 12);
        let y = demande(vec![EauAssainissement, Agriculture], 0, 0);
        let classes = classer([("X", rapprocher(&x, &o)), ("Y", rapprocher(&y, &o))]);
        let ordre: Vec<(&str, u32)> = classes.iter().map(|(n, r)| (*n, r.score)).collect();
        assert_eq!(ordre, [("Y", 80), ("X", 60)]);
        // a commune without partner in a cercle that has some gets only the first bonus
        let z = demande(vec![EauAssainissement], 0, 4);
        assert_eq!(rapprocher(&z, &o).unwrap().score, 70);
    }

    #[test]
    fn the_partner_wanted_filters_the_offres() {
        let mut d = demande(vec![Education], 1, 1);
        d.pays_souhaite = Some(Pays::FRANCE);
        d.niveau_souhaite = Some(Niveau::Departement);
        let commune = offre(501, Some(Niveau::Commune), vec![Education], vec![]);
        let departement = offre(502, Some(Niveau::Departement), vec![Education], vec![]);
        let association = offre(0, None, vec![Education], vec![]);
        let mut belge = departement.clone();
        belge.pays = Some(Pays::new("BE").unwrap());
        assert_eq!(rapprocher(&d, &commune), Err(Ecart::AutreNiveau));
        assert_eq!(rapprocher(&d, &association), Err(Ecart::AutreNiveau));
        assert_eq!(rapprocher(&d, &belge), Err(Ecart::AutrePays));
        // a département for a commune: wanted, though not of the same rank
        let r = rapprocher(&d, &departement).unwrap();
        assert_eq!(
            (r.score, textes(&r)),
            (
                35,
                vec!["même domaine : éducation", "langue commune : français"]
            )
        );
        // equal scores keep the callers' order
        let egaux = classer([
            ("premier", rapprocher(&d, &departement)),
            ("second", rapprocher(&d, &departement)),
        ]);
        assert_eq!(egaux[0].0, "premier");
    }

    fn annonce() -> Annonce {
        Annonce {
            titre: " Forage pour le centre de santé ".to_owned(),
            description: "Le CSCOM n'a pas d'eau courante.".to_owned(),
            domaines: vec![EauAssainissement, Sante, EauAssainissement],
            langues: vec![Langue::Francais],
            ouverte_jusqu_au: time::macros::date!(2027 - 06 - 30),
        }
    }

    const AUJOURD_HUI: Date = time::macros::date!(2026 - 12 - 01);

    #[test]
    fn a_demande_follows_the_rules_with_a_message_naming_the_field() {
        let d = Demande {
            annonce: annonce(),
            axes: vec![Axe::ServicesSociauxDeBase],
            niveau_souhaite: None,
            pays_souhaite: None,
        }
        .valider(AUJOURD_HUI)
        .unwrap();
        assert_eq!(d.annonce.titre, "Forage pour le centre de santé");
        assert_eq!(d.annonce.domaines, [EauAssainissement, Sante]);

        let erreur = |modifier: &dyn Fn(&mut Demande)| {
            let mut d = Demande {
                annonce: annonce(),
                axes: vec![],
                niveau_souhaite: None,
                pays_souhaite: None,
            };
            modifier(&mut d);
            d.valider(AUJOURD_HUI).unwrap_err().to_string()
        };
        assert_eq!(
            erreur(&|d| d.annonce.description = " ".into()),
            "le champ « besoin » est obligatoire"
        );
        assert_eq!(
            erreur(&|d| d.annonce.domaines.clear()),
            "le champ « domaines » est obligatoire"
        );
        assert_eq!(
            erreur(&|d| d.annonce.domaines = <Domaine as crate::model::Code>::TOUS[..6].to_vec()),
            "« domaines » : choisissez au plus 5 éléments"
        );
        assert_eq!(
            erreur(&|d| d.annonce.langues.clear()),
            "le champ « langues » est obligatoire"
        );
        assert_eq!(
            erreur(&|d| d.annonce.ouverte_jusqu_au = AUJOURD_HUI),
            "la date de clôture doit tomber entre demain et deux ans après le 1er décembre 2026 : « 1er décembre 2026 » n'y est pas"
        );
        assert!(
            erreur(&|d| d.annonce.ouverte_jusqu_au = time::macros::date!(2028 - 12 - 02))
                .contains("deux ans")
        );
        assert_eq!(
            erreur(&|d| d.pays_souhaite = Some(Pays::MALI)),
            "le partenaire recherché est étranger : choisissez un autre pays que le Mali, ou « tout pays »"
        );
    }

    #[test]
    fn an_offre_says_what_it_brings_and_a_coherent_funding_range() {
        let euros = |n| Montant::new(n, crate::model::Devise::Eur).unwrap();
        let offre = |capacites: Vec<Capacite>, financement| Offre {
            annonce: annonce(),
            capacites,
            financement,
            regions_connues: vec![KAYES, KAYES],
        };
        let o = offre(
            vec![Capacite::Financement],
            Some((euros(500_000), euros(2_000_000))),
        )
        .valider(AUJOURD_HUI)
        .unwrap();
        assert_eq!(o.regions_connues, [KAYES]);
        assert_eq!(
            offre(vec![], None)
                .valider(AUJOURD_HUI)
                .unwrap_err()
                .to_string(),
            "le champ « ce que vous pouvez apporter » est obligatoire"
        );
        assert_eq!(
            offre(vec![Capacite::AppuiTechnique], Some((euros(1), euros(2))))
                .valider(AUJOURD_HUI)
                .unwrap_err(),
            ErreurModele::FinancementSansCapacite
        );
        let francs = Montant::new(1, crate::model::Devise::Xof).unwrap();
        for fourchette in [(euros(3), euros(2)), (euros(1), francs)] {
            assert_eq!(
                offre(vec![Capacite::Financement], Some(fourchette))
                    .valider(AUJOURD_HUI)
                    .unwrap_err(),
                ErreurModele::FourchetteInvalide
            );
        }
    }
}
