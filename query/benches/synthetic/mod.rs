//! The synthetic events every query benchmark reads, generated in one place: `n`
//! events over two hours, 200 attendees, 10 colours, 4 shards, 3 routes, log-normal
//! `duration_ms` (rounded to whole milliseconds), 2 % of statuses 500, 90 % succeeded,
//! from a fixed seed. The same `n` always gives the same events, whoever reads them
//! (the engine's table, or the CSV file DuckDB loads).

use bulbwatch_api::{CalcOp, Calculation, Filter, FilterOp, QuerySpec};
use bulbwatch_query::{EventTable, FieldValue};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rand_distr::{Distribution, LogNormal};

/// The first event's time, ms since the epoch (2026-01-01).
pub const START_MS: i64 = 1_767_225_600_000;
/// The events span two hours, whatever their number.
pub const SPAN_MS: i64 = 2 * 3600 * 1000;
/// Series and heatmap buckets, seconds.
pub const GRANULARITY_S: i64 = 30;
/// Attendees named `attendee-000` to `attendee-199`.
pub const ATTENDEES: usize = 200;
pub const COLOURS: [&str; 10] = [
    "red", "orange", "yellow", "green", "cyan", "blue", "purple", "pink", "white", "#123456",
];
pub const ROUTES: [&str; 3] = ["/api/bulb", "/api/runs", "/api/checks"];

/// One generated event.
#[derive(Clone, Copy, Debug)]
pub struct Synthetic {
    pub ts: i64,
    /// Index into the attendees (`attendee-{:03}`).
    pub attendee: usize,
    pub colour: &'static str,
    pub shard: u8,
    pub duration_ms: f64,
    pub queue_length: u8,
    pub route: &'static str,
    pub status: u16,
    pub succeeded: bool,
}

/// The `n` events, roughly in time order with a little jitter (late events).
pub fn events(n: usize) -> impl Iterator<Item = Synthetic> {
    let mut rng = StdRng::seed_from_u64(7);
    let durations = LogNormal::new(4.0, 1.0).unwrap();
    (0..n).map(move |i| {
        // The draws keep the order of the first generator (the benchmarks' numbers
        // before this module read the very same events).
        let ts =
            (START_MS + (i as i64 * SPAN_MS) / n as i64 - rng.random_range(0..50)).max(START_MS);
        let attendee = rng.random_range(0..ATTENDEES);
        let duration: f64 = durations.sample(&mut rng);
        Synthetic {
            ts,
            attendee,
            colour: COLOURS[rng.random_range(0..COLOURS.len())],
            shard: rng.random_range(0..4),
            duration_ms: duration.round(),
            queue_length: rng.random_range(0..12),
            route: ROUTES[rng.random_range(0..ROUTES.len())],
            status: if rng.random_bool(0.02) { 500 } else { 202 },
            succeeded: rng.random_bool(0.9),
        }
    })
}

/// An attendee's name.
pub fn attendee_name(i: usize) -> String {
    format!("attendee-{i:03}")
}

/// The `n` events in an engine table.
pub fn table(n: usize) -> EventTable {
    let names: Vec<String> = (0..ATTENDEES).map(attendee_name).collect();
    let mut t = EventTable::new();
    for e in events(n) {
        t.push(
            e.ts,
            &[
                ("attendee", FieldValue::Str(&names[e.attendee])),
                ("colour", e.colour.into()),
                ("shard", FieldValue::Num(f64::from(e.shard))),
                ("duration_ms", e.duration_ms.into()),
                ("queue_length", FieldValue::Num(f64::from(e.queue_length))),
                ("http.route", e.route.into()),
                (
                    "http.response.status_code",
                    FieldValue::Num(f64::from(e.status)),
                ),
                ("succeeded", e.succeeded.into()),
            ],
        );
    }
    t
}

/// The instant the benchmarks' queries are asked, ms: the end of the events.
pub const NOW_MS: i64 = START_MS + SPAN_MS;

fn spec(calculations: Vec<Calculation>, breakdowns: &[&str], filters: Vec<Filter>) -> QuerySpec {
    QuerySpec {
        dataset: "bulb".into(),
        calculations,
        filters,
        breakdowns: breakdowns.iter().map(|b| b.to_string()).collect(),
        start_time: Some(START_MS / 1000),
        end_time: Some((START_MS + SPAN_MS) / 1000),
        granularity: Some(GRANULARITY_S as u64),
        ..QuerySpec::default()
    }
}

/// The three benchmark queries, each with its name.
pub struct Queries {
    /// COUNT + P95(duration_ms) by attendee, with the per-group series.
    pub group_by: QuerySpec,
    /// HEATMAP(duration_ms), 2 h at 30 s.
    pub heatmap: QuerySpec,
    /// The group-by, filtered `shard != 3 AND colour != red`.
    pub filtered: QuerySpec,
}

impl Queries {
    pub fn new() -> Self {
        let group_by = spec(
            vec![
                Calculation::count(),
                Calculation::of(CalcOp::P95, "duration_ms"),
            ],
            &["attendee"],
            vec![],
        );
        let heatmap = spec(
            vec![Calculation::of(CalcOp::Heatmap, "duration_ms")],
            &[],
            vec![],
        );
        let filtered = spec(
            group_by.calculations.clone(),
            &["attendee"],
            vec![
                Filter::new("shard", FilterOp::Ne, 3.0),
                Filter::new("colour", FilterOp::Ne, "red"),
            ],
        );
        Queries {
            group_by,
            heatmap,
            filtered,
        }
    }

    /// (name, spec) of each, in the benchmarks' order.
    pub fn all(&self) -> [(&'static str, &QuerySpec); 3] {
        [
            (
                "COUNT + P95(duration_ms) by attendee, with series",
                &self.group_by,
            ),
            ("HEATMAP(duration_ms), 2 h at 30 s", &self.heatmap),
            ("as the first, shard != 3 AND colour != red", &self.filtered),
        ]
    }
}
