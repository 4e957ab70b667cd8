//! The built app from disk, made for a room sharing one Wi-Fi: the compressed
//! variants the build wrote (`FILE.br`, `FILE.gz`, see `precompress/`) for browsers
//! that ask for them, a year of caching for content-hashed names, and revalidation
//! (`no-cache`) for everything else, so a new build reaches every page at its next
//! load. A file without variants is served as it is.

use std::path::Path;

use axum::Router;
use axum::extract::Request;
use axum::http::header::{CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE, VARY};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeader;

/// For names that change whenever their content does: never asked for again.
const IMMUTABLE: HeaderValue = HeaderValue::from_static("public, max-age=31536000, immutable");
/// For names that stay (the pages, the check worker, `public/`): asked again each load,
/// answered `304 Not Modified` while unchanged.
const NO_CACHE: HeaderValue = HeaderValue::from_static("no-cache");
const ACCEPT_ENCODING: HeaderValue = HeaderValue::from_static("accept-encoding");

/// An `index.html` served for whatever path reached it, never cached for long.
type Page = SetResponseHeader<ServeFile, HeaderValue>;

/// The page and Explore: `/explore/…` from `app_dir/explore` (its index for unknown
/// paths), the facilitator's console (Explore's index) at `/facilitator` and below,
/// and everything else from `app_dir` (the page's index for unknown paths, so a
/// reload on any page works). Merge it after the API.
pub fn routes<S: Clone + Send + Sync + 'static>(app_dir: &Path) -> Router<S> {
    let explore_dir = app_dir.join("explore");
    let explore_index = page(&explore_dir.join("index.html"));
    Router::new()
        .nest_service("/explore", dir(&explore_dir))
        // The facilitator's console is a page of Explore's wasm.
        .route_service("/facilitator", explore_index.clone())
        .nest_service("/facilitator/", explore_index)
        .fallback_service(dir(app_dir))
        .layer(middleware::from_fn(cache_headers))
}

/// The files under `path`, each in the encoding the browser prefers among those on
/// disk; `path/index.html` for a path with no file.
fn dir(path: &Path) -> ServeDir<Page> {
    ServeDir::new(path)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(page(&path.join("index.html")))
}

/// One page (an `index.html`) for any path: `no-cache` even when the path looks
/// content-hashed (a stale build's script asked for after a new build must not be
/// kept for a year as this page).
fn page(path: &Path) -> Page {
    let file = ServeFile::new(path).precompressed_br().precompressed_gzip();
    SetResponseHeader::overriding(file, CACHE_CONTROL, NO_CACHE)
}

/// Sets `Cache-Control` (unless the file's service did) by the name asked for, and
/// `Vary: Accept-Encoding` on answers whose encoding was negotiated.
async fn cache_headers(request: Request, next: Next) -> Response {
    let hashed = request
        .uri()
        .path()
        .rsplit('/')
        .next()
        .is_some_and(is_content_hashed);
    let mut response = next.run(request).await;
    let status = response.status();
    let headers = response.headers_mut();
    if !headers.contains_key(CACHE_CONTROL) {
        let found = status.is_success() || status == StatusCode::NOT_MODIFIED;
        let policy = if hashed && found { IMMUTABLE } else { NO_CACHE };
        headers.insert(CACHE_CONTROL, policy);
    }
    let negotiated = headers.contains_key(CONTENT_ENCODING)
        || status == StatusCode::NOT_MODIFIED
        || headers
            .get(CONTENT_TYPE)
            .and_then(|t| t.to_str().ok())
            .is_some_and(is_compressible_type);
    if negotiated {
        headers.append(VARY, ACCEPT_ENCODING);
    }
    response
}

/// Whether a file name carries Trunk's content hash: `name-<16 hex>.ext`, or
/// `name-<16 hex>_bg.wasm` for the wasm beside such a script.
pub fn is_content_hashed(file_name: &str) -> bool {
    let Some((stem, _extension)) = file_name.rsplit_once('.') else {
        return false;
    };
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(name, hash)| {
        !name.is_empty() && hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

/// The types the build compresses (wasm, scripts, styles, pages, SVG, JSON).
fn is_compressible_type(content_type: &str) -> bool {
    let mime = content_type.split(';').next().unwrap_or("").trim();
    mime.starts_with("text/")
        || matches!(
            mime,
            "application/javascript" | "application/wasm" | "application/json" | "image/svg+xml"
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trunks_hashed_names_are_recognised_and_stable_names_are_not() {
        for hashed in [
            "bulbwatch-app-6b4bbd23e168e938.js",
            "bulbwatch-app-6b4bbd23e168e938_bg.wasm",
            "main-5f2f74165bf69694.css",
            "favicon-4a9e5df1df5921c4.svg",
            "x-0123456789abcdef_bg.wasm",
        ] {
            assert!(is_content_hashed(hashed), "{hashed}");
        }
        for stable in [
            "index.html",
            "check_worker.js",
            "check_worker_bg.wasm",
            "check_worker_loader.js",
            "favicon.svg",
            "-0123456789abcdef.js",
            "app-0123456789abcde.js",
            "app-0123456789abcdefg.js",
            "app-0123456789abcdef",
            "",
        ] {
            assert!(!is_content_hashed(stable), "{stable}");
        }
    }

    #[test]
    fn compressible_types_are_the_builds() {
        for yes in [
            "application/wasm",
            "text/javascript",
            "application/javascript; charset=utf-8",
            "text/html; charset=utf-8",
            "text/css",
            "image/svg+xml",
        ] {
            assert!(is_compressible_type(yes), "{yes}");
        }
        for no in ["image/png", "application/octet-stream", ""] {
            assert!(!is_compressible_type(no), "{no}");
        }
    }
}
