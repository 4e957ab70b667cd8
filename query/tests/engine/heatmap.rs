//! Heatmap cells add up to each time bucket's events.

use bulbwatch_api::{CalcOp, Calculation, QuerySpec};
use bulbwatch_query::{EventTable, execute};
use proptest::prelude::*;

use crate::generate::{SPAN, T0, some_events};
use crate::reference::V;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn cells_add_up_to_the_bucket_counts(
        mut pushed in some_events(200),
        granularity in 1u64..120,
        column in prop::sample::select(vec!["n", "f"]),
    ) {
        // Every event has a number in the column.
        for (i, e) in pushed.iter_mut().enumerate() {
            e.fields.insert(column.to_string(), V::N(i as f64 * 1.5 - 20.0));
        }
        let mut table = EventTable::with_chunk_rows(16);
        for e in &pushed {
            e.push_into(&mut table);
        }
        let spec = QuerySpec {
            dataset: "test".into(),
            calculations: vec![Calculation::count(), Calculation::of(CalcOp::Heatmap, column)],
            start_time: Some(T0 / 1000),
            end_time: Some((T0 + SPAN) / 1000),
            granularity: Some(granularity),
            ..QuerySpec::default()
        };
        let r = execute(&table, &spec, T0 + SPAN).unwrap();
        let heatmap = &r.heatmaps[0];
        let points = &r.series[0].points;
        prop_assert_eq!(heatmap.rows.len(), points.len());
        let mut total = 0;
        for (row, point) in heatmap.rows.iter().zip(points) {
            prop_assert_eq!(row.time_ms, point.time_ms);
            let sum: u32 = row.counts.iter().sum();
            prop_assert_eq!(Some(f64::from(sum)), point.values[0]);
            total += sum;
        }
        prop_assert_eq!(total as usize, pushed.len());
        prop_assert_eq!(heatmap.boundaries[0], -20.0);
        prop_assert!(*heatmap.boundaries.last().unwrap() >= (pushed.len() - 1) as f64 * 1.5 - 20.0);
    }
}

#[test]
fn durations_get_log_buckets_and_cells_land_between_their_edges() {
    let mut table = EventTable::new();
    let durations = [3.0, 10.0, 30.0, 100.0, 300.0, 1000.0, 3000.0, 3000.0];
    for (i, d) in durations.iter().enumerate() {
        table.push(T0 + i as i64 * 1000, &[("duration_ms", (*d).into())]);
    }
    let spec = QuerySpec {
        dataset: "bulb".into(),
        calculations: vec![Calculation::of(CalcOp::Heatmap, "duration_ms")],
        start_time: Some(T0 / 1000),
        end_time: Some(T0 / 1000 + 60),
        granularity: Some(60),
        ..QuerySpec::default()
    };
    let r = execute(&table, &spec, T0).unwrap();
    let h = &r.heatmaps[0];
    assert_eq!(h.scale, bulbwatch_api::HeatmapScale::Log);
    assert_eq!(h.boundaries.len(), 41);
    assert_eq!((h.boundaries[0], h.boundaries[40]), (3.0, 3000.0));
    let counts = &h.rows[0].counts;
    assert_eq!(counts[0], 1, "3 ms in the first bucket");
    assert_eq!(counts[39], 2, "the maximum in the last bucket");
    assert_eq!(h.max_count, 2);
    // 30 ms is exactly one third of the way up the log axis.
    let j = h.boundaries.partition_point(|&b| b <= 30.0) - 1;
    assert_eq!(counts[j], 1);
    assert_eq!(counts.iter().sum::<u32>(), 8);
}
