//! Time comes through a trait: `std::time` panics on wasm32, and tests want virtual
//! time so that `poll(30, 100, …)` runs instantly.

use std::cell::Cell;

/// Where a run gets the time from and how it waits.
pub trait Clock {
    /// Milliseconds since the Unix epoch (fractions welcome).
    fn now_ms(&self) -> f64;
    /// Blocks for `ms` milliseconds.
    fn sleep_ms(&self, ms: u64);
}

/// The machine's clock, for the terminal.
#[cfg(not(target_arch = "wasm32"))]
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

#[cfg(not(target_arch = "wasm32"))]
impl Clock for SystemClock {
    fn now_ms(&self) -> f64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    }

    fn sleep_ms(&self, ms: u64) {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
}

/// Virtual time: `sleep_ms` moves it forward at once. Optionally every `now_ms` call
/// moves it forward a little too, to stand in for time spent computing.
#[derive(Debug)]
pub struct TestClock {
    now: Cell<f64>,
    tick_ms: f64,
}

impl TestClock {
    /// A clock at `start_ms` that moves only when slept on.
    pub fn new(start_ms: f64) -> Self {
        Self {
            now: Cell::new(start_ms),
            tick_ms: 0.0,
        }
    }

    /// A clock at `start_ms` that also moves `tick_ms` on every reading.
    pub fn ticking(start_ms: f64, tick_ms: f64) -> Self {
        Self {
            now: Cell::new(start_ms),
            tick_ms,
        }
    }

    /// Moves the clock forward.
    pub fn advance(&self, ms: f64) {
        self.now.set(self.now.get() + ms);
    }

    /// The time now, without ticking.
    pub fn peek_ms(&self) -> f64 {
        self.now.get()
    }
}

impl Default for TestClock {
    /// 2023-11-14T22:13:20Z, a fixed start for reproducible tests.
    fn default() -> Self {
        Self::new(1_700_000_000_000.0)
    }
}

impl Clock for TestClock {
    fn now_ms(&self) -> f64 {
        let now = self.now.get();
        self.now.set(now + self.tick_ms);
        now
    }

    #[allow(clippy::cast_precision_loss)]
    fn sleep_ms(&self, ms: u64) {
        self.advance(ms as f64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_clock_moves_on_sleep_and_tick() {
        let c = TestClock::new(1000.0);
        c.sleep_ms(250);
        assert!((c.now_ms() - 1250.0).abs() < f64::EPSILON);
        let t = TestClock::ticking(0.0, 5.0);
        assert!(t.now_ms().abs() < f64::EPSILON);
        assert!((t.now_ms() - 5.0).abs() < f64::EPSILON);
    }
}
