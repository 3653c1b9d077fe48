//! Exchange formats: what benkan writes for other tools and reads from them.

pub mod iati;
pub mod iati_import;
