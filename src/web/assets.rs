use axum::http::header;
use axum::response::IntoResponse;

/// The one stylesheet, compiled into the binary; its URL carries a version so it can be
/// cached for a long time on slow connections.
pub async fn style() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=604800"),
        ],
        include_str!("assets/style.css"),
    )
}
