//! What the forms say when something typed is wrong: one message per field, in plain French,
//! with the label the person sees, shown next to the field and listed in the summary at the
//! top of the form (`macros.html`: `resume_erreurs`, `aria`, `erreur`).
//!
//! The model's and the vocabularies' messages name codes and columns because the exchange
//! files and the API need them (« valeurs attendues : education, … »); a person filling a
//! form needs the label and what to do instead, so the forms translate here, in one place,
//! rather than the model speaking two languages.

use time::Date;

use crate::model::{Code, Devise, ErreurModele, Extrait, Montant, date_fr, date_iso};

/// Messages by field: the key is the field's `id` in the page (the summary links to it and
/// the message's own id is `err-` followed by it).
pub type Erreurs = Vec<(&'static str, String)>;

/// The message a form shows next to the field `champ`, if any.
pub fn message<'a>(erreurs: &'a [(&'static str, String)], champ: &str) -> Option<&'a str> {
    erreurs
        .iter()
        .find(|(c, _)| *c == champ)
        .map(|(_, m)| m.as_str())
}

/// The label a field has on the forms, for the messages that must name it.
pub fn libelle(champ: &str) -> &str {
    match champ {
        "titre" => "Titre",
        "description" => "Description",
        "statut" => "Statut",
        "axe" => "Axe d'intervention",
        "domaine" => "Domaine",
        "nature" => "Nature",
        "debut" => "Début",
        "fin" => "Fin",
        "lieux" => "Lieux",
        "points" => "Points",
        "localites" => "Localités",
        "montant" => "Montant",
        "devise" => "Devise",
        "annee" => "Année",
        "source" => "Source des fonds",
        "etape" => "Étape",
        "depuis" => "Depuis le",
        "note" => "Note",
        "intitule" => "Intitulé",
        "signee_le" => "Signée le",
        "duree_mois" => "Durée (mois)",
        "reconduction" => "Reconduction",
        "document" => "Document",
        "nom" => "Organisation",
        "role" => "Rôle",
        "type_organisation" | "type_financement" => "Type",
        "type_source" => "Type de la source",
        "precision" => "Précision",
        "nom_contact" => "Nom",
        "fonction" => "Fonction",
        "email" => "Adresse e-mail",
        "telephone" => "Téléphone",
        "partie_contact" => "Parle pour",
        "nouveau_nom" => "Nom",
        "nouveau_pays" => "Pays",
        "nouveau_niveau" => "Niveau",
        autre => autre,
    }
}

/// What to choose in a list, with its article: « Choisissez un domaine. »
fn a_choisir(champ: &str) -> String {
    match champ {
        "axe" => "un axe d'intervention".to_owned(),
        "domaine" => "un domaine".to_owned(),
        "nature" => "une nature".to_owned(),
        "statut" => "un statut".to_owned(),
        "devise" => "une devise".to_owned(),
        "type_financement" => "un type de financement".to_owned(),
        "type_source" => "le type de la source".to_owned(),
        "etape" => "une étape".to_owned(),
        "reconduction" => "la reconduction".to_owned(),
        "role" => "un rôle".to_owned(),
        "type_organisation" => "un type d'organisation".to_owned(),
        "nouveau_niveau" => "un niveau".to_owned(),
        autre => format!("une valeur de « {} »", libelle(autre)),
    }
}

/// Reads a choice from a list. Only a form left at « — », or an old page, sends a value
/// that is not a code of the list.
pub fn vocabulaire<T: Code>(champ: &'static str, texte: &str, erreurs: &mut Erreurs) -> Option<T> {
    T::depuis_code(texte)
        .map_err(|_| {
            let a_choisir = a_choisir(champ);
            let message = if texte.trim().is_empty() {
                format!("Choisissez {a_choisir}.")
            } else {
                format!("Choisissez {a_choisir} dans la liste.")
            };
            erreurs.push((champ, message));
        })
        .ok()
}

/// How a date is asked for, in every message about one.
pub const FORMAT_DATE: &str = "au format JJ/MM/AAAA, par exemple 12/06/1988";

/// Reads an optional date: what a date field sends (AAAA-MM-JJ), or what a person types where
/// the browser shows a plain text box (JJ/MM/AAAA, also with « - » or « . »).
pub fn date(champ: &'static str, texte: &str, erreurs: &mut Erreurs) -> Option<Date> {
    let texte = texte.trim();
    if texte.is_empty() {
        return None;
    }
    let lue = date_iso(texte).or_else(|| date_francaise(texte));
    if lue.is_none() {
        erreurs.push((
            champ,
            format!(
                "« {} » n'est pas une date : écrivez-la {FORMAT_DATE}.",
                Extrait(texte)
            ),
        ));
    }
    lue
}

/// JJ/MM/AAAA, the way dates are written in Mali and France.
fn date_francaise(texte: &str) -> Option<Date> {
    let parties: Vec<&str> = texte.split(['/', '-', '.']).collect();
    let [jour, mois, annee] = parties.as_slice() else {
        return None;
    };
    let chiffres = |t: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit())
    };
    if !chiffres(jour, 1..=2) || !chiffres(mois, 1..=2) || !chiffres(annee, 4..=4) {
        return None;
    }
    let mois = time::Month::try_from(mois.parse::<u8>().ok()?).ok()?;
    Date::from_calendar_date(annee.parse().ok()?, mois, jour.parse().ok()?).ok()
}

/// Reads an amount as typed (see [`Montant::depuis_saisie`]).
pub fn montant(
    champ: &'static str,
    texte: &str,
    devise: Devise,
    erreurs: &mut Erreurs,
) -> Option<Montant> {
    Montant::depuis_saisie(texte, devise)
        .map_err(|e| erreurs.push((champ, e.to_string())))
        .ok()
}

/// A model rule the form broke, said with the field's `libelle` and what to do.
pub fn depuis_modele(e: &ErreurModele, libelle: &str) -> String {
    match e {
        ErreurModele::ChampVide(_) => format!("Remplissez le champ « {libelle} »."),
        ErreurModele::ChampTropLong { max, .. } => {
            format!("Raccourcissez « {libelle} » : {max} caractères au plus.")
        }
        ErreurModele::CaractereDeControle { point, .. } => format!(
            "« {libelle} » contient un caractère invisible (U+{point:04X}) : supprimez-le ou retapez le texte."
        ),
        ErreurModele::RetourALaLigne { .. } => {
            format!("« {libelle} » contient un retour à la ligne : écrivez-le sur une seule ligne.")
        }
        ErreurModele::Code(_) => format!("Choisissez « {libelle} » dans la liste."),
        ErreurModele::MontantIllisible(..) => {
            "Écrivez le montant en chiffres, par exemple 25 000 000.".to_owned()
        }
        ErreurModele::ContactHorsParties(_) => {
            "Choisissez dans la liste une partie de ce partenariat.".to_owned()
        }
        ErreurModele::AnneeHorsBornes(_) => "Indiquez une année de 1960 à 2100.".to_owned(),
        ErreurModele::PeriodeInversee { debut, fin } => format!(
            "La fin ({}) précède le début ({}) : corrigez l'une des deux dates.",
            date_fr(fin),
            date_fr(debut)
        ),
        autre => phrase(&autre.to_string()),
    }
}

/// A message of the lower layers as a sentence: capital first, full stop last.
pub fn phrase(texte: &str) -> String {
    let texte = texte.trim().trim_end_matches('.');
    let mut lettres = texte.chars();
    match lettres.next() {
        Some(premiere) => format!("{}{}.", premiere.to_uppercase(), lettres.as_str()),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Axe, CodeInconnu, Domaine};
    use time::macros::date;

    #[test]
    fn a_choice_left_empty_says_what_to_choose_without_codes() {
        let mut erreurs = Erreurs::new();
        assert_eq!(vocabulaire::<Domaine>("domaine", "", &mut erreurs), None);
        assert_eq!(vocabulaire::<Axe>("axe", "pas_un_axe", &mut erreurs), None);
        assert_eq!(
            erreurs,
            vec![
                ("domaine", "Choisissez un domaine.".to_owned()),
                (
                    "axe",
                    "Choisissez un axe d'intervention dans la liste.".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn dates_are_read_as_sent_or_as_typed() {
        let mut erreurs = Erreurs::new();
        assert_eq!(
            date("debut", "1988-06-12", &mut erreurs),
            Some(date!(1988 - 06 - 12))
        );
        assert_eq!(
            date("debut", " 12/06/1988 ", &mut erreurs),
            Some(date!(1988 - 06 - 12))
        );
        assert_eq!(
            date("debut", "1/6/1988", &mut erreurs),
            Some(date!(1988 - 06 - 01))
        );
        assert_eq!(
            date("debut", "12.06.1988", &mut erreurs),
            Some(date!(1988 - 06 - 12))
        );
        assert_eq!(date("debut", "", &mut erreurs), None);
        assert!(erreurs.is_empty(), "{erreurs:?}");
        for mauvaise in ["31/02/2020", "12/06/88", "demain", "2020-13-01", "06/12"] {
            let mut erreurs = Erreurs::new();
            assert_eq!(date("fin", mauvaise, &mut erreurs), None, "{mauvaise}");
            assert_eq!(
                erreurs,
                vec![(
                    "fin",
                    format!(
                        "« {mauvaise} » n'est pas une date : écrivez-la au format JJ/MM/AAAA, par exemple 12/06/1988."
                    )
                )]
            );
        }
    }

    #[test]
    fn model_rules_are_said_with_the_label_and_without_codes() {
        let cas = [
            (
                ErreurModele::ChampVide("nom"),
                "Remplissez le champ « Organisation ».",
            ),
            (
                ErreurModele::ChampTropLong {
                    champ: "nom",
                    max: 300,
                },
                "Raccourcissez « Organisation » : 300 caractères au plus.",
            ),
            (
                ErreurModele::RetourALaLigne {
                    champ: "nom",
                    point: 10,
                },
                "« Organisation » contient un retour à la ligne : écrivez-le sur une seule ligne.",
            ),
            (
                ErreurModele::Code(CodeInconnu {
                    champ: "type_organisation",
                    valeur: "x".to_owned(),
                    attendus: vec!["ong", "gouvernement_local"],
                }),
                "Choisissez « Organisation » dans la liste.",
            ),
            (
                ErreurModele::PeriodeInversee {
                    debut: date!(2024 - 05 - 02),
                    fin: date!(2024 - 05 - 01),
                },
                "La fin (1er mai 2024) précède le début (2 mai 2024) : corrigez l'une des deux dates.",
            ),
            (
                ErreurModele::EmailInvalide("x".to_owned()),
                "« x » n'est pas une adresse e-mail valable (exemple : maire@kayes.ml).",
            ),
        ];
        for (e, attendu) in cas {
            let dit = depuis_modele(&e, libelle("nom"));
            assert_eq!(dit, attendu);
            assert!(!dit.contains('_'), "{dit}");
        }
    }
}
