//! Harness for the browser journeys in `tests/`: a Bulbwatch server on a loopback
//! port serving the built app, a local ChromeDriver, and headless Chromium sessions.
//!
//! The app must be built first (`dist/`); `scripts/test.sh` does that. Nothing here
//! downloads a browser: it uses Debian's `chromium` and `chromedriver`.

mod browser;
pub mod faults;
mod server;

pub use browser::{Browser, ChromeDriver};
pub use server::TestServer;

/// Where screenshots go, for a person to look at: `target/screenshots/`.
pub fn screenshot_dir() -> std::path::PathBuf {
    let dir = workspace_root().join("target").join("screenshots");
    std::fs::create_dir_all(&dir).expect("create target/screenshots");
    dir
}

/// The repository's root.
pub fn workspace_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("e2e/ has a parent")
        .to_path_buf()
}
