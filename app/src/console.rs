//! Notes for the browser console. Each `tracing` macro call site compiles to its own
//! callsite and formatting code; going through these two functions keeps one of each
//! in the wasm.

/// Something went wrong that the page works around.
pub fn warn(message: &str) {
    tracing::warn!("{message}");
}

/// Something worth knowing when reading the console.
pub fn info(message: &str) {
    tracing::info!("{message}");
}
