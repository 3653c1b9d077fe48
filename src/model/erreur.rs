use time::Date;

use super::texte::Extrait;
use super::{CodeInconnu, Etape, Niveau, Pays};

/// A broken domain rule. Messages are French because they reach the user as they are.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ErreurModele {
    #[error("le champ « {0} » est obligatoire")]
    ChampVide(&'static str),
    #[error("« {champ} » : choisissez au plus {max} éléments")]
    TropDeChoix { champ: &'static str, max: usize },
    #[error(
        "la date de clôture doit tomber entre demain et deux ans après le {} : « {} » n'y est pas",
        super::date_fr(aujourd_hui),
        super::date_fr(date)
    )]
    EcheanceHorsBornes { date: Date, aujourd_hui: Date },
    #[error(
        "le partenaire recherché est étranger : choisissez un autre pays que le Mali, ou « tout pays »"
    )]
    PartenaireMalien,
    #[error(
        "une fourchette de financement suppose de cocher « Financement » parmi ce que vous pouvez apporter"
    )]
    FinancementSansCapacite,
    #[error(
        "la fourchette de financement va d'un montant au plus égal à l'autre, dans une même devise"
    )]
    FourchetteInvalide,
    #[error("le champ « {champ} » dépasse {max} caractères")]
    ChampTropLong { champ: &'static str, max: usize },
    /// `point` is the character's code point: the character itself cannot be seen.
    #[error(
        "le champ « {champ} » contient un caractère de contrôle invisible (U+{point:04X}) : supprimez-le ou retapez le texte"
    )]
    CaractereDeControle { champ: &'static str, point: u32 },
    #[error(
        "le champ « {champ} » tient sur une ligne : il contient un retour à la ligne (U+{point:04X}) ; écrivez-le sur une seule ligne"
    )]
    RetourALaLigne { champ: &'static str, point: u32 },
    #[error("« {} » n'est pas un code pays ISO 3166-1 à deux lettres (exemples : ML, FR, CA)", Extrait(.0))]
    PaysInvalide(String),
    #[error("« {} » n'est le code d'aucun pays (ISO 3166-1 alpha-2, par exemple ML, FR, CA)", Extrait(.0))]
    PaysInconnu(String),
    #[error("le niveau « {} » n'existe pas pour le pays {pays} ; niveaux admis : {}", niveau.code(), Niveau::admis_pour(*pays).iter().map(|n| n.code()).collect::<Vec<_>>().join(", "))]
    NiveauHorsPays { niveau: Niveau, pays: Pays },
    #[error("la période se termine le {fin} avant de commencer le {debut}")]
    PeriodeInversee { debut: Date, fin: Date },
    #[error(
        "un partenariat réunit au moins une collectivité malienne et une collectivité étrangère ; il manque une partie {0}"
    )]
    PartieManquante(&'static str),
    #[error("la collectivité n° {0} figure deux fois parmi les parties")]
    PartieEnDouble(i64),
    #[error("deux étapes ne peuvent pas commencer le même jour ({0})")]
    EtapeMemeJour(Date),
    #[error("l'étape « {} » datée du {depuis} contredit l'étape « {} » du {autre_depuis} : une relation avance d'amitié en jumelage puis en convention, les dates doivent suivre cet ordre", etape.libelle(), autre.libelle())]
    EtapeHorsOrdre {
        etape: Etape,
        depuis: Date,
        autre: Etape,
        autre_depuis: Date,
    },
    #[error("l'année {0} est hors des bornes admises (1960 à 2100)")]
    AnneeHorsBornes(i32),
    #[error("un montant ne peut pas être négatif")]
    MontantNegatif,
    #[error(
        "« {} » n'est pas une valeur en {} pour le champ « {champ} » : écrivez un nombre positif{}",
        Extrait(texte), unite.libelle(),
        match unite.decimales() { 0 => " entier, sans virgule (exemple : 1 250)".to_owned(), d => format!(" avec au plus {d} chiffre(s) après la virgule (exemple : 12,5)") }
    )]
    ValeurIllisible {
        champ: &'static str,
        texte: String,
        unite: super::Unite,
    },
    #[error("le champ « {0} » ne peut pas être négatif")]
    ValeurNegative(&'static str),
    #[error("le champ « {champ} » dépasse le maximum de l'unité {} : {maximum}", unite.libelle())]
    ValeurHorsBornes {
        champ: &'static str,
        unite: super::Unite,
        maximum: String,
    },
    #[error("« {} » n'est pas un indicateur du catalogue ; choisissez-en un dans la liste, ou déclarez un indicateur libre (libellé et unité)", Extrait(.0))]
    IndicateurInconnu(String),
    #[error(
        "l'indicateur « {0} » a été retiré du catalogue : les résultats déjà déclarés restent, mais un nouveau résultat en choisit un autre"
    )]
    IndicateurRetire(String),
    #[error("la ventilation femmes / hommes ne vaut que pour des personnes (l'unité est « {} »)", .0.libelle())]
    VentilationSansPersonnes(super::Unite),
    #[error(
        "femmes ({femmes}) et hommes ({hommes}) ensemble dépassent la valeur mesurée ({valeur})"
    )]
    VentilationTropGrande {
        femmes: i64,
        hommes: i64,
        valeur: i64,
    },
    #[error("le champ « {0} » demande aussi sa date")]
    DateManquante(&'static str),
    #[error(
        "« {} » n'est pas une année pour le champ « {champ} » : écrivez-la en quatre chiffres, par exemple 2022",
        Extrait(texte)
    )]
    AnneeIllisible { champ: &'static str, texte: String },
    #[error(
        "un PDESC de {debut} à {fin} : la dernière année suit la première, de dix ans au plus (un PDESC dure d'ordinaire cinq ans)"
    )]
    PdescPeriode { debut: i32, fin: i32 },
    #[error("l'objectif « {} » figure deux fois : chaque objectif tient sur une ligne, une seule fois", Extrait(.0))]
    ObjectifEnDouble(String),
    #[error(
        "l'objectif « {} » contient « | », qui sépare les objectifs dans les fichiers d'échange : écrivez-le sans ce signe",
        Extrait(.0)
    )]
    BarreDansObjectif(String),
    #[error(
        "deux valeurs sont mesurées pour la même période, du {debut} au {fin} : une seule par période"
    )]
    PeriodeEnDouble { debut: Date, fin: Date },
    #[error("{0} objectifs : un PDESC en liste ici au plus {max}, ses programmes plutôt que chaque ligne du document", max = super::pdesc::OBJECTIFS_MAX)]
    TropDObjectifs(usize),
    #[error(
        "« {} » n'est pas un montant : écrivez des chiffres, avec au plus {} décimale(s) après la virgule (exemple : 12 345,67)",
        Extrait(.0), .1
    )]
    MontantIllisible(String, u32),
    #[error("« {} » n'est pas une adresse e-mail valable (exemple : maire@kayes.ml)", Extrait(.0))]
    EmailInvalide(String),
    #[error(
        "le mot de passe doit compter au moins {0} caractères (une phrase de passe est plus sûre et plus facile à retenir)"
    )]
    MotDePasse(usize),
    #[error(
        "un compte « Association ou ONG partenaire » n'agit au nom d'aucune collectivité : une association n'est pas une collectivité"
    )]
    CompteActeurCollectivite,
    #[error(
        "un compte « Association ou ONG partenaire » agit au nom d'au moins un acteur : indiquez le numéro de l'association ou de l'ONG"
    )]
    CompteActeurSansActeur,
    #[error(
        "seul un compte « Association ou ONG partenaire » agit au nom d'acteurs : choisissez ce rôle ou retirez les acteurs"
    )]
    ActeursHorsCompteActeur,
    #[error("indiquez au moins une adresse e-mail ou un téléphone pour joindre ce contact")]
    ContactInjoignable,
    #[error("la collectivité n° {0} n'est pas une partie de ce partenariat")]
    ContactHorsParties(i64),
    #[error(
        "la {champ} « {valeur} » n'est pas un nombre de degrés entre {}",
        if *champ == "latitude" { "-90 et 90 (sud négatif, nord positif)" } else { "-180 et 180 (ouest négatif, est positif)" }
    )]
    CoordonneeHorsBornes { champ: &'static str, valeur: String },
    #[error(
        "« {} » n'est pas un point : {probleme} ; écrivez la latitude puis la longitude en degrés décimaux, séparées par une espace, une virgule ou « ; », puis un libellé facultatif après « ; » (exemple : « 14,4485 ; -11,4389 ; puits de Kayes »)",
        Extrait(texte)
    )]
    PointIllisible { texte: String, probleme: String },
    #[error(
        "{0} points : une action en compte au plus {max} ; gardez les plus parlants",
        max = super::point::POINTS_MAX
    )]
    TropDePoints(usize),
    #[error(
        "le libellé d'un point ne peut pas contenir « | », qui sépare les points dans les fichiers d'échange"
    )]
    BarreDansLibelle,
    #[error("« {} » n'est pas le P-code d'une localité du Mali : « ML » puis neuf chiffres (exemple : ML020530035)", Extrait(.0))]
    PcodeLocalite(String),
    #[error(
        "{0} villages : une action en compte au plus {max} ; au-delà, nommez plutôt leurs communes",
        max = super::localite::LOCALITES_MAX
    )]
    TropDeLocalites(usize),
    #[error("aucune localité du Mali ne porte le code P « {} »", Extrait(.0))]
    LocaliteInconnue(String),
    /// A rule of the bourse that only the stored records can check (who publishes, in which
    /// state, whether both sides agreed); the text says which and what to do.
    #[error("{0}")]
    RegleBourse(String),
    #[error(transparent)]
    Code(#[from] CodeInconnu),
}

impl ErreurModele {
    /// The field a text rule is about (empty, too long, a forbidden character), for the
    /// form or the column that shows the message next to it.
    pub fn champ(&self) -> Option<&'static str> {
        match self {
            ErreurModele::ChampVide(c)
            | ErreurModele::ChampTropLong { champ: c, .. }
            | ErreurModele::CaractereDeControle { champ: c, .. }
            | ErreurModele::RetourALaLigne { champ: c, .. } => Some(c),
            _ => None,
        }
    }
}
