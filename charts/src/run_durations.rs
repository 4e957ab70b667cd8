//! How long each run of a check took, oldest first, one bar per run coloured by how it
//! ended (pass, fail, error).

use bulbwatch_api::{RunSummary, Verdict};

/// Passing runs (`--live`).
pub const PASS_COLOUR: (u8, u8, u8) = (0x3d, 0xdc, 0x84);
/// Failing runs (`--danger-line`).
pub const FAIL_COLOUR: (u8, u8, u8) = (0xff, 0x6b, 0x81);
/// Runs whose check was wrong (`--warn`).
pub const ERROR_COLOUR: (u8, u8, u8) = (0xf0, 0xa6, 0x40);

/// One run's bar in the duration chart.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DurationBar {
    /// How long it took, ms.
    pub duration_ms: f64,
    /// How it ended.
    pub verdict: Verdict,
}

impl DurationBar {
    /// The bar's colour: green for pass, red for fail, amber for error.
    pub fn colour(self) -> (u8, u8, u8) {
        match self.verdict {
            Verdict::Pass => PASS_COLOUR,
            Verdict::Fail => FAIL_COLOUR,
            Verdict::Error => ERROR_COLOUR,
        }
    }
}

/// The bars of `runs` (newest first, as the server lists them), oldest first.
pub fn duration_bars(runs: &[RunSummary]) -> Vec<DurationBar> {
    let mut oldest_first: Vec<&RunSummary> = runs.iter().collect();
    oldest_first.sort_by_key(|r| r.started_at_ms);
    oldest_first
        .into_iter()
        .map(|r| DurationBar {
            duration_ms: r.duration_ms,
            verdict: r.verdict,
        })
        .collect()
}
