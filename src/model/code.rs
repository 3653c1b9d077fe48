//! Closed vocabularies (étapes, axes, statuts…) as Rust enums with a stable ASCII code.
//!
//! The code is what the database, the URLs and the open-data files carry; the libellé is
//! what a French reader sees. One macro writes both directions so that no vocabulary can
//! drift between its parser and its printer.

use std::fmt;

/// A code that is not in a vocabulary: says which field, what was given and what is accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("« {} » n'est pas une valeur admise pour « {champ} » ; valeurs attendues : {}", super::texte::Extrait(valeur), attendus.join(", "))]
pub struct CodeInconnu {
    /// The vocabulary's name, as the field is called in forms and URLs.
    pub champ: &'static str,
    /// What was given.
    pub valeur: String,
    /// Every accepted code.
    pub attendus: Vec<&'static str>,
}

/// A closed vocabulary whose values travel as ASCII codes.
pub trait Code: Sized + Copy + 'static {
    /// The field name used in messages (`etape`, `axe`…).
    const CHAMP: &'static str;
    /// Every value, in display order.
    const TOUS: &'static [Self];
    /// The stable ASCII code.
    fn code(self) -> &'static str;
    /// The French label.
    fn libelle(self) -> &'static str;

    /// Parses a code, or says which codes are accepted.
    fn depuis_code(code: &str) -> Result<Self, CodeInconnu> {
        Self::TOUS
            .iter()
            .copied()
            .find(|v| v.code() == code)
            .ok_or_else(|| CodeInconnu {
                champ: Self::CHAMP,
                valeur: code.to_owned(),
                attendus: Self::TOUS.iter().map(|v| v.code()).collect(),
            })
    }
}

/// Declares a vocabulary: `Variant => ("code", "Libellé")`.
macro_rules! vocabulaire {
    (
        $(#[$meta:meta])*
        $name:ident, champ = $champ:literal {
            $( $(#[$vmeta:meta])* $variant:ident => ($code:literal, $libelle:literal), )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $crate::model::Code for $name {
            const CHAMP: &'static str = $champ;
            const TOUS: &'static [Self] = &[$($name::$variant,)+];
            fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)+ }
            }
            fn libelle(self) -> &'static str {
                match self { $($name::$variant => $libelle,)+ }
            }
        }

        impl $name {
            /// The stable ASCII code (also available through [`Code`](crate::model::Code)).
            pub fn code(self) -> &'static str {
                <Self as $crate::model::Code>::code(self)
            }
            /// The French label.
            pub fn libelle(self) -> &'static str {
                <Self as $crate::model::Code>::libelle(self)
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::model::CodeInconnu;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                <Self as $crate::model::Code>::depuis_code(s)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.libelle())
            }
        }
    };
}
pub(crate) use vocabulaire;

/// Declares a database identifier newtype, so that one entity's id cannot stand for another's.
macro_rules! identifiant {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    };
}
pub(crate) use identifiant;

/// Writes `values` as « a, b et c ».
pub fn enumeration_fr<T: fmt::Display>(values: &[T]) -> String {
    match values {
        [] => String::new(),
        [seul] => seul.to_string(),
        [debut @ .., dernier] => {
            let debut: Vec<String> = debut.iter().map(ToString::to_string).collect();
            format!("{} et {dernier}", debut.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enumeration_reads_as_french() {
        assert_eq!(enumeration_fr::<&str>(&[]), "");
        assert_eq!(enumeration_fr(&["Kayes"]), "Kayes");
        assert_eq!(
            enumeration_fr(&["Kayes", "Mopti", "Ségou"]),
            "Kayes, Mopti et Ségou"
        );
    }
}
