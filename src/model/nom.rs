use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The one way benkan compares names: lower case, accents removed, every run of punctuation,
/// dashes, apostrophes or spaces turned into one space. « Ille –et vilaine » and
/// « Ille-et-Vilaine » both become « ille et vilaine ».
pub fn normaliser(nom: &str) -> String {
    let mut sortie = String::with_capacity(nom.len());
    let mut espace_en_attente = false;
    for c in nom.nfd().filter(|c| !is_combining_mark(*c)) {
        if c.is_alphanumeric() {
            if espace_en_attente && !sortie.is_empty() {
                sortie.push(' ');
            }
            espace_en_attente = false;
            sortie.extend(c.to_lowercase());
        } else {
            espace_en_attente = true;
        }
    }
    sortie
}

#[cfg(test)]
mod tests {
    use super::normaliser;

    #[test]
    fn spelling_variants_meet() {
        assert_eq!(
            normaliser("Ille –et vilaine"),
            normaliser("Ille-et-Vilaine")
        );
        assert_eq!(normaliser("Nord-Pas -de Calais"), "nord pas de calais");
        assert_eq!(normaliser("  Yélimané "), "yelimane");
        assert_eq!(normaliser("Côte d’Ivoire"), "cote d ivoire");
        assert_eq!(normaliser("ÉVRY"), "evry");
        assert_eq!(normaliser("--"), "");
    }
}
