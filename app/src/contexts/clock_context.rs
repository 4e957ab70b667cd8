//! The page's clock: "now" in milliseconds since the Unix epoch, ticking every second so
//! relative times ("12 s ago") stay true without a reload.

use std::time::Duration;

use leptos::prelude::*;

/// Now, in milliseconds since the Unix epoch.
#[derive(Clone, Copy, Debug)]
pub struct Clock(pub RwSignal<i64>);

/// Starts the clock and provides it.
pub fn provide_clock() -> Clock {
    let now = || js_sys::Date::now() as i64;
    let clock = Clock(RwSignal::new(now()));
    match set_interval_with_handle(move || clock.0.set(now()), Duration::from_secs(1)) {
        Ok(handle) => on_cleanup(move || handle.clear()),
        Err(e) => crate::console::warn_with(
            "the clock could not start; relative times will not tick",
            &e,
        ),
    }
    provide_context(clock);
    clock
}

/// The page's clock.
pub fn use_clock() -> Clock {
    expect_context()
}
