//! Entry point of the check worker (a Web Worker built by Trunk): readable panics in
//! the console, then listen for runs.

fn main() {
    console_error_panic_hook::set_once();
    bulbwatch_app::worker::start();
}
