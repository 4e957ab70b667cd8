//! The performance target: over 1,000,000 events (200 attendees, 10 colours, 4 shards,
//! log-normal durations, two hours; see `synthetic`), (a) COUNT + P95(duration_ms) by
//! attendee, (b) HEATMAP(duration_ms) at 30 s, (c) (a) with filters — each ≤ 50 ms, on
//! one thread and on two.
//!
//! `cargo bench -p bulbwatch-query --bench query`; side by side with DuckDB:
//! `scripts/bench-duckdb.sh`.

mod synthetic;

use std::hint::black_box;

use bulbwatch_query::{ExecuteOptions, execute_with};
use criterion::{Criterion, criterion_group, criterion_main};
use synthetic::{NOW_MS, Queries};

const EVENTS: usize = 1_000_000;

fn bench(c: &mut Criterion) {
    let t = synthetic::table(EVENTS);
    let queries = Queries::new();
    let r = execute_with(&t, &queries.group_by, NOW_MS, ExecuteOptions::threads(1)).unwrap();
    assert_eq!(r.matched_events as usize, t.len());
    assert_eq!(r.totals.len(), 100);

    for threads in [1, 2] {
        let options = ExecuteOptions::threads(threads);
        let mut g = c.benchmark_group(format!("1M events, {threads} thread(s)"));
        g.sample_size(10);
        for (name, spec) in queries.all() {
            g.bench_function(name, |b| {
                b.iter(|| execute_with(black_box(&t), spec, NOW_MS, options).unwrap());
            });
        }
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
