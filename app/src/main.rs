//! Entry point: readable panics in the browser console, then mount the app.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(bulbwatch_app::App);
}
