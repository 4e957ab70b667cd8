//! One thread or several: the same answer to the last bit (compared as JSON, so -0
//! and 0 differ), on random data and specs and on a table large enough that its
//! chunks are cut into several units of work.

use bulbwatch_api::{CalcOp, Calculation, QuerySpec};
use bulbwatch_query::{EventTable, ExecuteOptions, FieldValue, execute_with};
use proptest::prelude::*;

use crate::generate::{events, spec};

fn answers(table: &EventTable, spec: &QuerySpec, now: i64) -> Vec<String> {
    [1, 2, 3]
        .into_iter()
        .map(
            |threads| match execute_with(table, spec, now, ExecuteOptions::threads(threads)) {
                Ok(r) => serde_json::to_string(&r).unwrap(),
                Err(e) => format!("error {}: {}", e.field, e.message),
            },
        )
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn threads_do_not_change_the_answer(
        pushed in events(120),
        (spec, now) in spec(),
        chunk_rows in prop::sample::select(vec![1usize, 3, 7, 64]),
    ) {
        let mut table = EventTable::with_chunk_rows(chunk_rows);
        for e in &pushed {
            e.push_into(&mut table);
        }
        let a = answers(&table, &spec, now);
        prop_assert_eq!(&a[0], &a[1]);
        prop_assert_eq!(&a[0], &a[2]);
    }
}

/// 200,000 events in chunks of 65,536 rows (so units of 16,384 rows inside chunks),
/// fractional numbers whose sums depend on the order they are added in, every
/// calculation, two breakdowns and a heatmap.
#[test]
fn a_large_table_answers_alike_on_one_two_and_three_threads() {
    let mut table = EventTable::new();
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let t0 = 1_767_225_600_000i64;
    let colours = ["red", "green", "blue"];
    for i in 0..200_000i64 {
        let r = next();
        let v = (r % 1_000_000) as f64 / 7.0 + 1e-3;
        table.push(
            t0 + i * 30,
            &[
                ("colour", FieldValue::Str(colours[(r >> 20) as usize % 3])),
                ("shard", FieldValue::Num(((r >> 30) % 5) as f64)),
                ("delay_ms", FieldValue::Num(v)),
                ("ok", FieldValue::Bool(r >> 40 & 1 == 1)),
            ],
        );
    }
    let calcs = [
        CalcOp::Sum,
        CalcOp::Avg,
        CalcOp::Min,
        CalcOp::Max,
        CalcOp::P50,
        CalcOp::P99,
        CalcOp::CountDistinct,
        CalcOp::Heatmap,
    ];
    let mut calculations = vec![Calculation::count()];
    calculations.extend(calcs.iter().map(|&op| Calculation::of(op, "delay_ms")));
    let spec = QuerySpec {
        dataset: "bulb".into(),
        calculations,
        breakdowns: vec!["colour".into(), "shard".into()],
        start_time: Some(t0 / 1000),
        end_time: Some(t0 / 1000 + 6000),
        granularity: Some(60),
        ..QuerySpec::default()
    };
    let a = answers(&table, &spec, t0 + 6_000_000);
    assert!(a[0].starts_with('{'), "{}", a[0]);
    assert_eq!(a[0], a[1], "1 and 2 threads");
    assert_eq!(a[0], a[2], "1 and 3 threads");
    let r = execute_with(&table, &spec, t0 + 6_000_000, ExecuteOptions::threads(2)).unwrap();
    assert_eq!(r.matched_events, 200_000);
    assert_eq!(r.totals.len(), 15);
}
