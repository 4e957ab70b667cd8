//! Selection vs baseline on planted data, and the bookkeeping on random data.

use bulbwatch_api::{CompareBucket, CompareSpec, Filter, FilterOp, QuerySpec, Scalar, Selection};
use bulbwatch_query::{EventTable, FieldValue, compare, execute};
use proptest::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::generate::{SPAN, T0, events, filter};
use crate::reference::{held, passes_all};

const COLOURS: [&str; 10] = [
    "red", "orange", "yellow", "green", "cyan", "blue", "purple", "pink", "white", "black",
];

/// 2000 events; a fifth are slow (≥ 1000 ms), and 90% of those are green; the rest
/// have uniformly random colours. Shard 2 fails the check; other shards pass.
fn planted() -> (EventTable, [u64; 4]) {
    let mut rng = StdRng::seed_from_u64(42);
    let mut t = EventTable::new();
    // [slow green, slow, fast green, fast]
    let mut tally = [0u64; 4];
    for i in 0..2000 {
        let slow = i % 5 == 0;
        let colour = if slow && rng.random_bool(0.9) {
            "green"
        } else {
            COLOURS[rng.random_range(0..COLOURS.len())]
        };
        let duration = if slow {
            rng.random_range(1000.0..5000.0)
        } else {
            rng.random_range(5.0..900.0)
        };
        let green = u64::from(colour == "green");
        if slow {
            tally[0] += green;
            tally[1] += 1;
        } else {
            tally[2] += green;
            tally[3] += 1;
        }
        let shard = rng.random_range(0..4);
        let request_id = format!("req-{i}");
        let attendee = format!("attendee-{}", rng.random_range(0..20));
        t.push(
            T0 + i * 100,
            &[
                ("colour", colour.into()),
                ("duration_ms", duration.into()),
                ("shard", FieldValue::Num(shard as f64)),
                ("success", (shard != 2).into()),
                ("attendee", FieldValue::Str(&attendee)),
                ("request_id", FieldValue::Str(&request_id)),
                ("trace.trace_id", FieldValue::Str(&request_id)),
                ("note", FieldValue::Str(&format!("free text {i}"))),
            ],
        );
    }
    (t, tally)
}

fn spec(selection: Selection) -> CompareSpec {
    CompareSpec {
        dataset: "bulb".into(),
        filters: vec![],
        filter_combination: None,
        time_range: None,
        start_time: Some(T0 / 1000),
        end_time: Some(T0 / 1000 + 3600),
        selection,
        values_per_column: None,
    }
}

#[test]
fn the_planted_colour_ranks_first_with_its_shares() {
    let (t, [slow_green, slow, fast_green, fast]) = planted();
    let r = compare(
        &t,
        &spec(Selection::Region {
            column: Some("duration_ms".into()),
            min: Some(1000.0),
            max: None,
            start_time_ms: None,
            end_time_ms: None,
        }),
        T0,
    )
    .unwrap();
    assert_eq!((r.selection_count, r.baseline_count), (slow, fast));
    let first = &r.columns[0];
    assert_eq!(first.column, "colour");
    let green = &first.values[0];
    assert_eq!(
        green.bucket,
        CompareBucket::Value {
            value: Scalar::String("green".into())
        }
    );
    assert_eq!(
        (green.selection_count, green.baseline_count),
        (slow_green, fast_green)
    );
    assert_eq!(green.selection_share, slow_green as f64 / slow as f64);
    assert_eq!(green.baseline_share, fast_green as f64 / fast as f64);
    assert!(green.selection_share > 0.85 && green.baseline_share < 0.15);
    assert_eq!(first.score, green.selection_share - green.baseline_share);
    // Ids, free text with a value per event, and the selected column stay out.
    for c in ["duration_ms", "note", "request_id", "trace.trace_id"] {
        assert!(r.excluded_columns.contains(&c.to_string()), "{c} excluded");
        assert!(
            r.columns.iter().all(|col| col.column != c),
            "{c} not compared"
        );
    }
    // Scores are in order.
    assert!(r.columns.windows(2).all(|w| w[0].score >= w[1].score));
}

#[test]
fn a_filter_selection_finds_the_failing_shard() {
    let (t, _) = planted();
    let selection = Selection::Filters {
        filters: vec![Filter::new("success", FilterOp::Eq, false)],
        filter_combination: None,
    };
    let r = compare(&t, &spec(selection), T0).unwrap();
    let first = &r.columns[0];
    assert_eq!(first.column, "shard");
    let top = &first.values[0];
    assert_eq!(
        top.bucket,
        CompareBucket::Value {
            value: Scalar::Number(2.0)
        }
    );
    assert_eq!((top.selection_share, top.baseline_count), (1.0, 0));
    assert!(r.excluded_columns.contains(&"success".to_string()));
}

/// Failed runs whose message and duration differ by construction: those restate the
/// selection and are listed apart, so the planted cause (a colour) ranks first.
#[test]
fn outcome_columns_that_restate_failed_runs_are_listed_apart() {
    let mut t = EventTable::new();
    for i in 0..400i64 {
        let colour = COLOURS[(i % 10) as usize];
        // Green fails 4 runs in 5; any other colour 1 run in 20.
        let failed = if colour == "green" {
            i % 50 != 3
        } else {
            i % 20 == 7
        };
        let message = if failed { "poll gave up" } else { "" };
        t.push(
            T0 + i * 100,
            &[
                ("colour", colour.into()),
                ("success", (!failed).into()),
                ("message", FieldValue::Str(message)),
                (
                    "duration_ms",
                    FieldValue::Num(if failed { 3000.0 } else { 400.0 }),
                ),
            ],
        );
    }
    let failed_runs = Selection::Filters {
        filters: vec![Filter::new("success", FilterOp::Eq, false)],
        filter_combination: None,
    };
    let r = compare(&t, &spec(failed_runs), T0).unwrap();
    assert_eq!(r.columns[0].column, "colour", "{:?}", r.columns);
    let restating: Vec<&str> = r
        .restating_columns
        .iter()
        .map(|c| c.column.as_str())
        .collect();
    assert_eq!(
        restating,
        ["duration_ms", "message"],
        "both restate the failure"
    );
    assert!(r.restating_columns[0].score > r.columns[0].score);

    // A selection that is not an outcome (a time window) keeps every column ranked.
    let window = Selection::Region {
        column: None,
        min: None,
        max: None,
        start_time_ms: Some(T0),
        end_time_ms: Some(T0 + 20_000),
    };
    let r = compare(&t, &spec(window), T0).unwrap();
    assert!(r.restating_columns.is_empty());
    assert!(r.columns.iter().any(|c| c.column == "message"));
}

#[test]
fn the_top_values_and_the_rest() {
    let (t, _) = planted();
    let mut s = spec(Selection::Region {
        column: None,
        min: None,
        max: None,
        start_time_ms: Some(T0),
        end_time_ms: Some(T0 + 50_000),
    });
    s.values_per_column = Some(3);
    let r = compare(&t, &s, T0).unwrap();
    assert_eq!(r.selection_count, 500);
    let attendee = r.columns.iter().find(|c| c.column == "attendee").unwrap();
    assert_eq!(attendee.values.len(), 4);
    assert_eq!(attendee.values[3].bucket, CompareBucket::Other);
    let sum: u64 = attendee.values.iter().map(|v| v.selection_count).sum();
    assert_eq!(sum, 500);
    // A number column with many values is bucketed in ranges.
    let duration = r
        .columns
        .iter()
        .find(|c| c.column == "duration_ms")
        .unwrap();
    assert!(
        duration
            .values
            .iter()
            .any(|v| matches!(v.bucket, CompareBucket::Range { .. }))
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    #[test]
    fn every_event_is_counted_once_per_column(
        pushed in events(150),
        population in proptest::collection::vec(filter(), 0..2),
        selected in proptest::collection::vec(filter(), 1..3),
    ) {
        let mut t = EventTable::with_chunk_rows(8);
        for e in &pushed {
            e.push_into(&mut t);
        }
        let held = held(&pushed);
        let mut s = spec(Selection::Filters { filters: selected.clone(), filter_combination: None });
        s.filters = population.clone();
        s.end_time = Some((T0 + SPAN) / 1000);
        s.values_per_column = Some(50);
        let Ok(r) = compare(&t, &s, T0) else { return Ok(()) };
        let in_pop: Vec<_> = held.iter().filter(|e| passes_all(&population, None, e)).collect();
        let in_sel = in_pop.iter().filter(|e| passes_all(&selected, None, e)).count() as u64;
        prop_assert_eq!(r.selection_count, in_sel);
        prop_assert_eq!(r.baseline_count, in_pop.len() as u64 - in_sel);
        for c in &r.columns {
            let sel: u64 = c.values.iter().map(|v| v.selection_count).sum();
            let base: u64 = c.values.iter().map(|v| v.baseline_count).sum();
            prop_assert_eq!((sel, base), (r.selection_count, r.baseline_count), "{}", c.column);
            let best = c.values.iter().map(|v| (v.selection_share - v.baseline_share).abs()).fold(0.0, f64::max);
            prop_assert_eq!(c.score, best);
        }
        // The population is what a query with the same filters matches.
        let q = QuerySpec {
            dataset: "test".into(),
            filters: population,
            start_time: s.start_time,
            end_time: s.end_time,
            ..QuerySpec::default()
        };
        let counted = execute(&t, &q, T0).unwrap().matched_events;
        prop_assert_eq!(counted, r.selection_count + r.baseline_count);
    }
}
