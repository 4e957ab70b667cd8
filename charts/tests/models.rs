//! The chart models: scales, ticks, colours, legends, binning, hit tests.

use bulbwatch_api::{
    CalcOp, CalculationLabel, GroupRow, GroupSeries, Heatmap, HeatmapRow, HeatmapScale, Marker,
    MarkerKind, QueryResult, Scalar, SeriesPoint,
};
use bulbwatch_charts::bars::BarsChart;
use bulbwatch_charts::group_colours::{Dash, bulb_colour};
use bulbwatch_charts::heatmap::{HeatmapChart, HeatmapSelection};
use bulbwatch_charts::plot_rect::PlotRect;
use bulbwatch_charts::scale::LinearScale;
use bulbwatch_charts::series::{SeriesChart, group_label};
use bulbwatch_charts::ticks::{format_tick, format_time, nice_ticks, time_ticks};
use proptest::prelude::*;

const RECT: PlotRect = PlotRect {
    left: 50.0,
    top: 20.0,
    right: 650.0,
    bottom: 420.0,
};

fn label(op: CalcOp, column: Option<&str>, label: &str) -> CalculationLabel {
    CalculationLabel {
        op,
        column: column.map(str::to_owned),
        label: label.to_owned(),
    }
}

/// Two groups (green, none) over three 30 s buckets; P95 missing in the middle.
fn result() -> QueryResult {
    let point = |t: i64, c: f64, p: Option<f64>| SeriesPoint {
        time_ms: t,
        values: vec![Some(c), p],
    };
    QueryResult {
        start_time_ms: 0,
        end_time_ms: 90_000,
        granularity_ms: 30_000,
        breakdowns: vec!["colour".into()],
        calculations: vec![
            label(CalcOp::Count, None, "COUNT"),
            label(CalcOp::P95, Some("duration_ms"), "P95(duration_ms)"),
        ],
        matched_events: 9,
        totals: vec![
            GroupRow {
                group: vec![Some(Scalar::String("green".into()))],
                values: vec![Some(6.0), Some(120.0)],
            },
            GroupRow {
                group: vec![None],
                values: vec![Some(3.0), None],
            },
        ],
        series: vec![
            GroupSeries {
                group: vec![Some(Scalar::String("green".into()))],
                points: vec![
                    point(0, 1.0, Some(100.0)),
                    point(30_000, 2.0, None),
                    point(60_000, 3.0, Some(140.0)),
                ],
            },
            GroupSeries {
                group: vec![None],
                points: vec![
                    point(0, 0.0, None),
                    point(30_000, 1.0, None),
                    point(60_000, 2.0, None),
                ],
            },
        ],
        heatmaps: vec![Heatmap {
            column: "duration_ms".into(),
            scale: HeatmapScale::Linear,
            boundaries: vec![0.0, 10.0, 20.0],
            rows: vec![
                HeatmapRow {
                    time_ms: 0,
                    counts: vec![1, 2],
                },
                HeatmapRow {
                    time_ms: 30_000,
                    counts: vec![],
                },
                HeatmapRow {
                    time_ms: 60_000,
                    counts: vec![0, 5],
                },
            ],
            max_count: 5,
        }],
        groups_truncated: false,
    }
}

fn marker(at_ms: i64, text: &str) -> Marker {
    Marker {
        at_ms,
        kind: MarkerKind::QueueDelay,
        text: text.into(),
        attendee: None,
    }
}

#[test]
fn scales_map_and_invert() {
    let s = LinearScale::new((1000.0, 2000.0), (RECT.left, RECT.right));
    assert_eq!(s.map(1000.0), 50.0);
    assert_eq!(s.map(2000.0), 650.0);
    assert!((s.invert(s.map(1234.5)) - 1234.5).abs() < 1e-9);
}

#[test]
fn nice_ticks_are_round_and_bounded() {
    assert_eq!(
        nice_ticks(0.0, 100.0, 6),
        vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
    );
    assert_eq!(nice_ticks(0.0, 1.0, 3), vec![0.0, 0.5, 1.0]);
    assert_eq!(nice_ticks(3.0, 3.0, 5), vec![3.0]);
    let t = nice_ticks(0.1, 0.7, 10);
    assert_eq!(t.len(), 7, "{t:?}");
    assert_eq!(format_tick(t[2], 0.1), "0.3");
    assert_eq!(format_tick(25_000.0, 5_000.0), "25k");
    assert_eq!(format_tick(1500.0, 500.0), "1500");
}

proptest! {
    #[test]
    fn ticks_stay_inside_and_under_the_count(lo in -1e6f64..1e6, span in 1e-3f64..1e7, max in 2usize..12) {
        let hi = lo + span;
        let t = nice_ticks(lo, hi, max);
        prop_assert!(!t.is_empty());
        prop_assert!(t.len() <= max, "{} ticks > {}", t.len(), max);
        for w in t.windows(2) {
            prop_assert!(w[0] < w[1]);
        }
        for v in &t {
            prop_assert!(*v >= lo - span * 1e-9 && *v <= hi + span * 1e-9);
        }
        if t.len() >= 2 {
            let step = t[1] - t[0];
            let mantissa = step / 10f64.powf(step.log10().floor());
            prop_assert!([1.0, 2.0, 5.0, 10.0].iter().any(|m| (mantissa - m).abs() < 1e-6), "step {step}");
        }
    }

    #[test]
    fn selections_round_trip(ax in 0.0f64..700.0, ay in 0.0f64..450.0, bx in 0.0f64..700.0, by in 0.0f64..450.0) {
        let chart = grid();
        let s = chart.selection(&RECT, (ax, ay), (bx, by)).unwrap();
        prop_assert!(s.start_ms < s.end_ms && s.min_value < s.max_value);
        prop_assert_eq!((s.start_ms - chart.start_ms) % chart.granularity_ms, 0);
        prop_assert!(chart.boundaries.contains(&s.min_value) && chart.boundaries.contains(&s.max_value));
        let b = chart.selection_box(&RECT, &s);
        let again = chart.selection(&RECT, (b.left, b.top), (b.right, b.bottom)).unwrap();
        prop_assert_eq!(again, s);
    }
}

#[test]
fn time_ticks_use_round_steps_and_clock_labels() {
    // 2026-01-01 00:00:00 UTC plus 14:03.
    let base = 1_767_225_600_000 + (14 * 60 + 3) * 60_000;
    let t = time_ticks(base, base + 3_600_000, 8);
    assert!(t.len() <= 8 && t.len() >= 4, "{t:?}");
    assert_eq!(t[0].1, "14:10");
    assert!(t.iter().all(|(ms, _)| ms % 600_000 == 0));
    let short = time_ticks(base, base + 60_000, 5);
    assert_eq!(short[0].1, "14:03:00");
    assert_eq!(short[1].1, "14:03:15");
    let days = time_ticks(base, base + 5 * 86_400_000, 6);
    assert_eq!(days[0].1, "Jan 2");
    assert_eq!(format_time(base + 30_000, 1000), "14:03:30");
}

#[test]
fn legend_labels_join_values_and_name_missing_ones() {
    let g = [
        Some(Scalar::String("green".into())),
        None,
        Some(Scalar::Number(3.0)),
        Some(Scalar::Bool(true)),
    ];
    assert_eq!(group_label(&g), "green, (none), 3, true");
}

#[test]
fn series_come_from_a_result() {
    let c = SeriesChart::from_result(&result(), 1, &[marker(45_000, "queue delay 1500 ms")]);
    assert_eq!(c.y_label, "P95(duration_ms)");
    assert_eq!(c.lines.len(), 2);
    assert_eq!(c.lines[0].label, "green");
    assert_eq!(c.lines[1].label, "(none)");
    assert_eq!(c.lines[0].points, vec![(0, 100.0), (60_000, 140.0)]);
    assert!(c.lines[1].points.is_empty());
    assert_ne!(c.lines[0].colour, c.lines[1].colour);
    assert_eq!(c.markers[0].at_ms, 45_000);
    assert_eq!(c.markers[0].text, "queue delay 1500 ms");
}

#[test]
fn hover_finds_the_nearest_bucket() {
    let c = SeriesChart::from_result(&result(), 0, &[]);
    // 0..90 s over 600 px: the bucket at 30 s is at x = 250.
    let h = c.hover(&RECT, 262.0).unwrap();
    assert_eq!(h.time_ms, 30_000);
    assert!((h.x - 250.0).abs() < 1e-9);
    assert_eq!(
        h.values[0],
        ("green".into(), c.lines[0].colour, Dash::Solid, Some(2.0))
    );
    assert_eq!(h.values[1].3, Some(1.0));
    assert!(c.hover(&RECT, 10.0).is_none());
    // Only buckets with a value count: P95 of green has none at 30 s.
    let p95 = SeriesChart::from_result(&result(), 1, &[]);
    let h = p95.hover(&RECT, 262.0).unwrap();
    assert_eq!(
        (h.time_ms, h.values[0].3, h.values[1].3),
        (60_000, Some(140.0), None)
    );
}

#[test]
fn bars_come_from_the_totals() {
    let b = BarsChart::from_result(&result(), 1);
    assert_eq!(b.value_label, "P95(duration_ms)");
    assert_eq!(b.bars.len(), 1, "the group without a value is left out");
    assert_eq!(
        (b.bars[0].label.as_str(), b.bars[0].value),
        ("green", 120.0)
    );
    assert_eq!(
        b.bars[0].colour,
        bulb_colour("green").unwrap(),
        "broken down by colour: the bulb's"
    );
    let lines = SeriesChart::from_result(&result(), 1, &[]).lines;
    assert_eq!(
        lines[0].colour, b.bars[0].colour,
        "a group has one colour in every chart"
    );
    assert_eq!(BarsChart::from_result(&result(), 0).bars.len(), 2);
}

#[test]
fn a_heatmap_comes_from_a_result() {
    let h = HeatmapChart::from_result(&result(), 0, &[marker(1, "x")]).unwrap();
    assert_eq!(h.column, "duration_ms");
    assert_eq!(
        (h.start_ms, h.end_ms, h.granularity_ms),
        (0, 90_000, 30_000)
    );
    assert_eq!(h.columns, vec![vec![1, 2], vec![0, 0], vec![0, 5]]);
    assert_eq!(h.max_count, 5);
    assert_eq!(h.markers.len(), 1);
    assert!(HeatmapChart::from_result(&result(), 1, &[]).is_none());
}

/// 4 time buckets of 10 s from 100 s, values 0..100 in 10 buckets.
fn grid() -> HeatmapChart {
    let events = [(100_000, 0.0), (139_999, 100.0), (125_000, 55.0)];
    HeatmapChart::from_events(&events, 100_000, 140_000, 10_000, 10)
}

#[test]
fn events_land_in_their_cells() {
    let events = [
        (100_000, 0.0),      // first cell
        (109_999, 9.99),     // still the first
        (110_000, 10.0),     // next time, next value bucket
        (125_000, 55.0),     // time 2, value 5
        (139_999, 100.0),    // the max sits in the last bucket
        (140_000, 50.0),     // end is exclusive: ignored
        (99_999, 50.0),      // before: ignored
        (120_000, f64::NAN), // not a number: ignored
    ];
    let h = HeatmapChart::from_events(&events, 100_000, 140_000, 10_000, 10);
    assert_eq!(h.columns.len(), 4);
    assert_eq!(h.boundaries.len(), 11);
    assert_eq!((h.boundaries[0], h.boundaries[10]), (0.0, 100.0));
    assert_eq!(h.columns[0][0], 2);
    assert_eq!(h.columns[1][1], 1);
    assert_eq!(h.columns[2][5], 1);
    assert_eq!(h.columns[3][9], 1);
    let total: u32 = h.columns.iter().flatten().sum();
    assert_eq!(total, 5);
    assert_eq!(h.max_count, 2);
}

#[test]
fn binning_matches_the_servers_shapes() {
    // Time buckets aligned to the granularity: a range from 105 s starts at 100 s.
    let h = HeatmapChart::from_events(&[(106_000, 1.0)], 105_000, 125_000, 10_000, 40);
    assert_eq!(
        (h.start_ms, h.end_ms, h.columns.len()),
        (100_000, 130_000, 3)
    );
    // Few whole numbers: one bucket per integer.
    let ints = HeatmapChart::from_events(&[(0, 1.0), (1, 4.0)], 0, 10, 10, 40);
    assert_eq!(ints.boundaries, vec![1.0, 2.0, 3.0, 4.0, 5.0]);
    assert_eq!(ints.columns[0], vec![1, 0, 0, 1]);
    // Positive values spanning 20× or more: log buckets.
    let log = HeatmapChart::from_events(&[(0, 1.5), (1, 1500.5)], 0, 10, 10, 3);
    assert!(log.is_log());
    assert!(
        (log.boundaries[1] - 15.0).abs() < 0.1,
        "{:?}",
        log.boundaries
    );
    assert_eq!(log.columns[0], vec![1, 0, 1]);
    // No numbers: no value buckets.
    let empty = HeatmapChart::from_events(&[], 0, 20, 10, 40);
    assert!(empty.boundaries.is_empty() && empty.columns.len() == 2 && empty.max_count == 0);
}

#[test]
fn a_point_names_its_cell() {
    let h = grid();
    // Cells are 150 px wide and 40 px tall; bottom-left cell is time 0, value 0.
    let c = h.cell_at(&RECT, 51.0, 419.0, 1.0).unwrap();
    assert_eq!((c.start_ms, c.end_ms), (100_000, 110_000));
    assert_eq!((c.min_value, c.max_value, c.count), (0.0, 10.0, 1));
    let c = h
        .cell_at(&RECT, 50.0 + 2.5 * 150.0, 420.0 - 5.5 * 40.0, 1.0)
        .unwrap();
    assert_eq!((c.start_ms, c.min_value, c.count), (120_000, 50.0, 1));
    let c = h.cell_at(&RECT, 650.0, 20.0, 1.0).unwrap();
    assert_eq!((c.start_ms, c.max_value, c.count), (130_000, 100.0, 1));
    assert!(h.cell_at(&RECT, 49.0, 100.0, 1.0).is_none());
    // Drawn with no cell under 300 px, time buckets go in twos and the ten value
    // buckets in one: the cell under the pointer is the drawn one, with all its events.
    let min = 300.0 - 1e-9;
    let c = h.cell_at(&RECT, 50.0 + 2.5 * 150.0, 419.0, min).unwrap();
    assert_eq!((c.start_ms, c.end_ms), (120_000, 140_000));
    assert_eq!(h.row_spans(&RECT, min), vec![0..10]);
    assert_eq!((c.min_value, c.max_value), (0.0, 100.0));
    assert_eq!(
        c.count, 2,
        "the events at 55 and 100, not the empty bucket's 0"
    );
}

#[test]
fn a_dragged_box_snaps_to_cells_and_is_clamped() {
    let h = grid();
    // Dragged up and to the left, partly outside the plot.
    let s = h.selection(&RECT, (260.0, 300.0), (0.0, 900.0)).unwrap();
    assert_eq!(
        s,
        HeatmapSelection {
            start_ms: 100_000,
            end_ms: 120_000,
            min_value: 0.0,
            max_value: 30.0,
        }
    );
    // A tiny box still selects one cell.
    let one = h.selection(&RECT, (60.0, 410.0), (61.0, 409.0)).unwrap();
    assert_eq!(
        (one.start_ms, one.end_ms, one.min_value, one.max_value),
        (100_000, 110_000, 0.0, 10.0)
    );
    let b = h.selection_box(&RECT, &one);
    assert_eq!(
        (b.left, b.right, b.top, b.bottom),
        (50.0, 200.0, 380.0, 420.0)
    );
}
