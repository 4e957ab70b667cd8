//! Headers every answer carries: `X-Content-Type-Options: nosniff`, and a
//! Content-Security-Policy the wasm apps and the check worker run under.
//!
//! The policy allows scripts from this server only, wasm compilation
//! (`'wasm-unsafe-eval'`), and the one inline script Trunk writes into each page to
//! start its wasm — by its SHA-256, read from the built pages at start, so a new build
//! needs no change here. Styles allow inline `style` attributes (the pages set them
//! for positions and colours); nothing may frame the pages but themselves, and no
//! plugins, forms or base URLs elsewhere.

use std::path::Path;

use axum::http::HeaderValue;
use axum::http::header::{CONTENT_SECURITY_POLICY, X_CONTENT_TYPE_OPTIONS};
use base64::Engine as _;
use sha2::{Digest, Sha256};
use tower_http::set_header::SetResponseHeaderLayer;

/// The pages whose inline scripts the policy allows: the attendee's and Explore's
/// (the console is Explore's page).
const PAGES: [&str; 2] = ["index.html", "explore/index.html"];

/// The policy for an app built into `app_dir`.
pub fn content_security_policy(app_dir: &Path) -> String {
    let mut hashes: Vec<String> = PAGES
        .iter()
        .filter_map(|page| std::fs::read_to_string(app_dir.join(page)).ok())
        .flat_map(|html| {
            inline_scripts(&html)
                .into_iter()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .map(|script| {
            let digest = Sha256::digest(script.as_bytes());
            format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect();
    hashes.sort();
    hashes.dedup();
    let scripts = std::iter::once("'self' 'wasm-unsafe-eval'".to_string())
        .chain(hashes)
        .collect::<Vec<_>>()
        .join(" ");
    format!(
        "default-src 'self'; script-src {scripts}; worker-src 'self'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
         object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
    )
}

/// The contents of every `<script>` without a `src` in `html`.
fn inline_scripts(html: &str) -> Vec<&str> {
    let mut scripts = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find("<script") {
        let after_open = &rest[open..];
        let Some(tag_end) = after_open.find('>') else {
            break;
        };
        let tag = &after_open[..tag_end];
        let body = &after_open[tag_end + 1..];
        let Some(close) = body.find("</script>") else {
            break;
        };
        if !tag.contains(" src=") {
            scripts.push(&body[..close]);
        }
        rest = &body[close..];
    }
    scripts
}

/// The two headers as layers, for the whole router.
pub fn layers(
    app_dir: &Path,
) -> (
    SetResponseHeaderLayer<HeaderValue>,
    SetResponseHeaderLayer<HeaderValue>,
) {
    let policy = HeaderValue::from_str(&content_security_policy(app_dir))
        .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'"));
    (
        SetResponseHeaderLayer::if_not_present(CONTENT_SECURITY_POLICY, policy),
        SetResponseHeaderLayer::if_not_present(
            X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_are_allowed_by_their_hash_and_sourced_ones_by_self() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("index.html"),
            "<head><script type=\"module\">\nimport init from '/a.js';\n</script>\
             <script src=\"/b.js\"></script></head>",
        )
        .unwrap();
        let policy = content_security_policy(dir.path());
        let digest = Sha256::digest(b"\nimport init from '/a.js';\n");
        let expected = base64::engine::general_purpose::STANDARD.encode(digest);
        assert!(
            policy.contains(&format!(
                "script-src 'self' 'wasm-unsafe-eval' 'sha256-{expected}'"
            )),
            "{policy}"
        );
        assert_eq!(policy.matches("'sha256-").count(), 1, "{policy}");
    }
}
