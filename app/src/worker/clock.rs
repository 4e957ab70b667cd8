//! The engine's clock in the browser. `sleep` and `poll` must block the worker without
//! spinning a core: with cross-origin isolation (the server sends COOP and COEP) the
//! worker has `SharedArrayBuffer`, and `Atomics.wait` sleeps properly. Without it (the
//! wasm test runner, the page's own thread) it falls back to waiting busily.

use std::cell::Cell;

use bulbwatch_checks::Clock;
use js_sys::{Atomics, Int32Array, SharedArrayBuffer};
use wasm_bindgen::JsCast;
use web_sys::Performance;

/// `performance.timeOrigin + performance.now()` (or `Date.now()`), and a sleep that
/// blocks on `Atomics.wait` where it can.
#[derive(Debug)]
pub struct BrowserClock {
    performance: Option<Performance>,
    /// One shared cell nobody ever notifies: waiting on it is a plain sleep.
    cell: Option<Int32Array>,
    /// Cleared when `Atomics.wait` turns out not to be allowed here.
    can_wait: Cell<bool>,
}

impl BrowserClock {
    /// The clock of this thread (a worker or a page).
    pub fn new() -> Self {
        let global = js_sys::global();
        let performance = js_sys::Reflect::get(&global, &"performance".into())
            .ok()
            .and_then(|p| p.dyn_into::<Performance>().ok());
        let has_shared_memory = js_sys::Reflect::get(&global, &"SharedArrayBuffer".into())
            .is_ok_and(|constructor| !constructor.is_undefined());
        let cell = has_shared_memory.then(|| Int32Array::new(&SharedArrayBuffer::new(4).into()));
        Self {
            can_wait: Cell::new(cell.is_some()),
            performance,
            cell,
        }
    }

    /// Whether sleeps block on `Atomics.wait` (rather than spin).
    pub fn sleeps_without_spinning(&self) -> bool {
        self.can_wait.get()
    }
}

impl Default for BrowserClock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock for BrowserClock {
    fn now_ms(&self) -> f64 {
        match &self.performance {
            Some(p) => p.time_origin() + p.now(),
            None => js_sys::Date::now(),
        }
    }

    #[allow(clippy::cast_precision_loss)]
    fn sleep_ms(&self, ms: u64) {
        let deadline = self.now_ms() + ms as f64;
        if self.can_wait.get()
            && let Some(cell) = &self.cell
        {
            // Returns "timed-out" after `ms`; throws where blocking is not allowed.
            match Atomics::wait_with_timeout(cell, 0, 0, ms as f64) {
                Ok(_) => return,
                Err(e) => {
                    crate::console::info(&format!(
                        "Atomics.wait is not allowed here ({e:?}); sleeping busily"
                    ));
                    self.can_wait.set(false);
                }
            }
        }
        while self.now_ms() < deadline {
            std::hint::spin_loop();
        }
    }
}
