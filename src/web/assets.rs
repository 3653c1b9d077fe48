//! The site's few static files, compiled into the binary.

use axum::http::header;
use axum::response::IntoResponse;

/// A static file that may be kept for a week: its URL carries a version where it can change
/// (`style.css?v=…`), so that slow connections do not download it again on every page.
fn fixe(type_contenu: &'static str, corps: &'static str) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, type_contenu),
            (header::CACHE_CONTROL, "public, max-age=604800"),
        ],
        corps,
    )
}

/// The one stylesheet.
pub async fn style() -> impl IntoResponse {
    fixe("text/css; charset=utf-8", include_str!("assets/style.css"))
}

/// The icon browsers show in tabs and bookmarks: a few hundred bytes of SVG.
pub async fn favicon() -> impl IntoResponse {
    fixe("image/svg+xml", include_str!("assets/favicon.svg"))
}

/// What crawlers may read.
pub async fn robots() -> impl IntoResponse {
    fixe(
        "text/plain; charset=utf-8",
        include_str!("assets/robots.txt"),
    )
}
