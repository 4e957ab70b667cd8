//! Entry point: readable panics and tracing in the browser console, then mount Explore.

fn main() {
    console_error_panic_hook::set_once();
    tracing_wasm::set_as_global_default();
    leptos::mount::mount_to_body(bulbwatch_explore::App);
}
