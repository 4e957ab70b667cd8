//! Notes for the browser console, written straight to `console.warn` / `console.info`:
//! the page needs no logging framework for a handful of notes, and each call site costs
//! one call instead of a callsite with its own formatting code. Natively (unit tests)
//! they go to stderr.

use wasm_bindgen::JsValue;

/// Something went wrong that the page works around.
pub fn warn(message: &str) {
    if in_browser() {
        web_sys::console::warn_1(&JsValue::from_str(message));
    } else {
        eprintln!("warning: {message}");
    }
}

/// Something went wrong that the page works around, with the browser's own error
/// object after the message (the console shows it expandable, stack and all).
pub fn warn_with(message: &str, error: &JsValue) {
    if in_browser() {
        web_sys::console::warn_2(&JsValue::from_str(message), error);
    } else {
        eprintln!("warning: {message}");
    }
}

/// Something worth knowing when reading the console.
pub fn info(message: &str) {
    if in_browser() {
        web_sys::console::info_1(&JsValue::from_str(message));
    } else {
        eprintln!("{message}");
    }
}

/// True in the wasm build, where the console exists.
const fn in_browser() -> bool {
    cfg!(target_arch = "wasm32")
}
