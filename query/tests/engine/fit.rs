//! A fitted window (`"fit": true`): it starts at the first event that passes the
//! filters, and the buckets follow it.

use bulbwatch_api::{Filter, FilterOp, QuerySpec};
use bulbwatch_query::{EventTable, execute};

const NOW: i64 = 1_767_225_600_500;
const MINUTE: i64 = 60_000;

/// A failed run 50 minutes ago, then passing runs over the last 3 minutes.
fn runs() -> EventTable {
    let mut table = EventTable::new();
    table.push(NOW - 50 * MINUTE, &[("success", false.into())]);
    for k in 0..6 {
        table.push(NOW - 3 * MINUTE + k * 30_000, &[("success", true.into())]);
    }
    table
}

fn last_hour(fit: bool, filters: Vec<Filter>) -> QuerySpec {
    QuerySpec {
        dataset: "e2e".into(),
        time_range: Some(3600),
        filters,
        fit,
        ..QuerySpec::default()
    }
}

#[test]
fn the_window_starts_at_the_first_matching_event() {
    let table = runs();
    let passed = vec![Filter::new("success", FilterOp::Eq, true)];
    // Only the passing runs: they cover 3 minutes, so 3 minutes (and a bucket).
    let r = execute(&table, &last_hour(true, passed.clone()), NOW).unwrap();
    assert_eq!(r.end_time_ms, NOW);
    assert_eq!(r.granularity_ms, 2_000);
    let first = NOW - 3 * MINUTE;
    assert!(
        (first - 4_000..first).contains(&r.start_time_ms),
        "{} ms before the first run",
        first - r.start_time_ms
    );
    assert_eq!(r.matched_events, 6);
    let points = &r.series[0].points;
    let first_counted = points.iter().position(|p| p.values[0] != Some(0.0));
    assert_eq!(
        first_counted,
        Some(1),
        "the first run is in the second bucket: the data spans the chart"
    );

    // Every run: the one 50 minutes ago starts the window (one 30 s bucket before it).
    let r = execute(&table, &last_hour(true, vec![]), NOW).unwrap();
    let length = r.end_time_ms - r.start_time_ms;
    assert!((50 * MINUTE..52 * MINUTE).contains(&length), "{length} ms");
    assert_eq!(r.granularity_ms, 30_000);
    assert_eq!(r.matched_events, 7);

    // Not fitted: the hour, whatever the data.
    let r = execute(&table, &last_hour(false, passed), NOW).unwrap();
    assert_eq!((r.start_time_ms, r.end_time_ms), (NOW - 60 * MINUTE, NOW));
    assert_eq!(r.granularity_ms, 30_000);
}

#[test]
fn a_fitted_spec_is_checked_like_any_other() {
    let table = runs();
    let mut spec = last_hour(true, vec![Filter::new("success", FilterOp::Eq, true)]);
    spec.granularity = Some(1);
    let e = execute(&table, &spec, NOW).unwrap_err();
    assert_eq!(
        e.field, "granularity",
        "checked against the whole hour: {e}"
    );
    spec.granularity = Some(60);
    let r = execute(&table, &spec, NOW).unwrap();
    assert_eq!(r.granularity_ms, 60_000);
    // Aligned to whole minutes, one before the first run's.
    let first = NOW - 3 * MINUTE;
    assert_eq!(r.start_time_ms, first.div_euclid(MINUTE) * MINUTE - MINUTE);
}
