pub fn code_du_pcode(_pcode: &str) -> Option<&'static str> {
    None
}
pub fn commune_du_point(_lon: f64, _lat: f64) -> Option<&'static str> {
    None
}
