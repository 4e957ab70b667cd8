//! The performance target: over 1,000,000 events (200 attendees, 10 colours, 4 shards,
//! log-normal durations, two hours), (a) COUNT + P95(duration_ms) by attendee,
//! (b) HEATMAP(duration_ms) at 30 s, (c) (a) with filters — each ≤ 50 ms.
//!
//! `cargo bench -p bulbwatch-query`

use std::hint::black_box;

use bulbwatch_api::{CalcOp, Calculation, Filter, FilterOp, QuerySpec};
use bulbwatch_query::{EventTable, FieldValue, execute};
use criterion::{Criterion, criterion_group, criterion_main};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rand_distr::{Distribution, LogNormal};

const EVENTS: usize = 1_000_000;
const START_MS: i64 = 1_767_225_600_000;
const SPAN_MS: i64 = 2 * 3600 * 1000;
const COLOURS: [&str; 10] = [
    "red", "orange", "yellow", "green", "cyan", "blue", "purple", "pink", "white", "#123456",
];
const ROUTES: [&str; 3] = ["/api/bulb", "/api/runs", "/api/checks"];

fn table() -> EventTable {
    let mut rng = StdRng::seed_from_u64(7);
    let durations = LogNormal::new(4.0, 1.0).unwrap();
    let attendees: Vec<String> = (0..200).map(|i| format!("attendee-{i:03}")).collect();
    let mut t = EventTable::new();
    for i in 0..EVENTS {
        // Roughly in time order, with a little jitter (late events).
        let ts = (START_MS + (i as i64 * SPAN_MS) / EVENTS as i64 - rng.random_range(0..50))
            .max(START_MS);
        let attendee = &attendees[rng.random_range(0..attendees.len())];
        let duration: f64 = durations.sample(&mut rng);
        t.push(
            ts,
            &[
                ("attendee", FieldValue::Str(attendee)),
                ("colour", COLOURS[rng.random_range(0..COLOURS.len())].into()),
                ("shard", FieldValue::Num(rng.random_range(0..4) as f64)),
                ("duration_ms", duration.round().into()),
                (
                    "queue_length",
                    FieldValue::Num(rng.random_range(0..12) as f64),
                ),
                (
                    "http.route",
                    ROUTES[rng.random_range(0..ROUTES.len())].into(),
                ),
                (
                    "http.response.status_code",
                    FieldValue::Num(if rng.random_bool(0.02) { 500.0 } else { 202.0 }),
                ),
                ("succeeded", rng.random_bool(0.9).into()),
            ],
        );
    }
    t
}

fn spec(calculations: Vec<Calculation>, breakdowns: &[&str], filters: Vec<Filter>) -> QuerySpec {
    QuerySpec {
        dataset: "bulb".into(),
        calculations,
        filters,
        breakdowns: breakdowns.iter().map(|b| b.to_string()).collect(),
        start_time: Some(START_MS / 1000),
        end_time: Some((START_MS + SPAN_MS) / 1000),
        granularity: Some(30),
        ..QuerySpec::default()
    }
}

fn bench(c: &mut Criterion) {
    let t = table();
    let now = START_MS + SPAN_MS;
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
    let r = execute(&t, &group_by, now).unwrap();
    assert_eq!(r.matched_events as usize, t.len());
    assert_eq!(r.totals.len(), 100);

    let mut g = c.benchmark_group("1M events");
    g.sample_size(10);
    g.bench_function("COUNT + P95(duration_ms) by attendee", |b| {
        b.iter(|| execute(black_box(&t), &group_by, now).unwrap());
    });
    g.bench_function("HEATMAP(duration_ms), 2 h at 30 s", |b| {
        b.iter(|| execute(black_box(&t), &heatmap, now).unwrap());
    });
    g.bench_function(
        "COUNT + P95 by attendee, shard != 3 AND colour != red",
        |b| b.iter(|| execute(black_box(&t), &filtered, now).unwrap()),
    );
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
