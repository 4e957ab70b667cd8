//! Entry point of the check worker (a Web Worker built by Trunk): readable panics and
//! tracing in the console and the performance timeline, then listen for runs.

fn main() {
    console_error_panic_hook::set_once();
    tracing_wasm::set_as_global_default();
    bulbwatch_app::worker::start();
}
