//! A check's pass rate over time: the share of passing runs among the latest few,
//! sampled evenly from the first run to the last, with the room's markers; and the
//! room's pass rate in the board's time slices (the facilitator's console).

use bulbwatch_api::{Marker, PassRatePoint, RunSummary, Verdict};

use crate::group_colours::Dash;
use crate::run_durations::PASS_COLOUR;
use crate::series::{Line, SeriesChart, marker_lines};

/// Points of the pass-rate line.
pub const SAMPLES: usize = 60;

/// The 100 % line (the axes' colour).
const GOAL: (u8, u8, u8) = (0x4a, 0x52, 0x66);

/// The pass rate over time, sampled at [`SAMPLES`] evenly spaced moments from the first
/// run to the last: at each, the percentage of passing runs among the `window` latest
/// runs started by then. Even spacing keeps the line whole however bursty the runs are.
/// Plus the 100 % goal, faint, and the markers as vertical lines. `None` without runs.
pub fn pass_rate_chart(
    runs: &[RunSummary],
    window: usize,
    markers: &[Marker],
) -> Option<SeriesChart> {
    let window = window.max(1);
    let (first, end_ms) = time_window(runs)?;
    let mut oldest_first: Vec<&RunSummary> = runs.iter().collect();
    oldest_first.sort_by_key(|r| r.started_at_ms);
    let last = oldest_first.last()?.started_at_ms;
    let samples = if last > first { SAMPLES } else { 1 };
    let points = (0..samples)
        .map(|k| {
            let at = if samples == 1 {
                last
            } else {
                #[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)]
                let offset = ((last - first) as f64 * k as f64 / (samples - 1) as f64) as i64;
                first + offset
            };
            let started = oldest_first.partition_point(|r| r.started_at_ms <= at);
            let seen = &oldest_first[started.saturating_sub(window)..started];
            let passed = seen.iter().filter(|r| r.verdict == Verdict::Pass).count();
            #[allow(clippy::cast_precision_loss)]
            let percent = 100.0 * passed as f64 / seen.len().max(1) as f64;
            (at, percent)
        })
        .collect();
    Some(SeriesChart {
        start_ms: first,
        end_ms,
        y_label: "% passing".into(),
        lines: vec![
            // The goal, faint: it also keeps the axis at 0–100 %.
            Line {
                label: "all passing".into(),
                colour: GOAL,
                dash: Dash::Solid,
                points: vec![(first, 100.0), (end_ms, 100.0)],
            },
            Line {
                label: format!("pass rate, last {window} runs"),
                colour: PASS_COLOUR,
                dash: Dash::Solid,
                points,
            },
        ],
        markers: marker_lines(markers),
    })
}

/// The room's pass rate over time from the board's slices (`slice_ms` wide, oldest
/// first): a point per slice that had runs, at its middle, the percentage of them that
/// passed; slices without runs leave a gap. Plus the 100 % goal and the markers.
/// `None` without slices.
pub fn room_pass_rate_chart(
    slices: &[PassRatePoint],
    slice_ms: i64,
    markers: &[Marker],
) -> Option<SeriesChart> {
    let slice_ms = slice_ms.max(1);
    let start_ms = slices.iter().map(|s| s.start_ms).min()?;
    let end_ms = slices.iter().map(|s| s.start_ms).max()? + slice_ms;
    let points = slices
        .iter()
        .filter(|s| s.runs > 0)
        .map(|s| {
            let percent = 100.0 * f64::from(s.passed.min(s.runs)) / f64::from(s.runs);
            (s.start_ms + slice_ms / 2, percent)
        })
        .collect();
    Some(SeriesChart {
        start_ms,
        end_ms,
        y_label: "% passing".into(),
        lines: vec![
            Line {
                label: "all passing".into(),
                colour: GOAL,
                dash: Dash::Solid,
                points: vec![(start_ms, 100.0), (end_ms, 100.0)],
            },
            Line {
                label: "room pass rate".into(),
                colour: PASS_COLOUR,
                dash: Dash::Solid,
                points,
            },
        ],
        markers: marker_lines(markers),
    })
}

/// The pass-rate chart's time axis: from the first run's start to the last's, at least
/// a second long (one run is a moment: give the axis a second to stand on).
pub fn time_window(runs: &[RunSummary]) -> Option<(i64, i64)> {
    let first = runs.iter().map(|r| r.started_at_ms).min()?;
    let last = runs.iter().map(|r| r.started_at_ms).max()?;
    Some((first, last.max(first + 1000)))
}
