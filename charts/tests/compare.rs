//! The comparison chart: the server's ranking kept, labels, shares, filters, drawing.

use bulbwatch_api::{
    ColumnComparison, CompareBucket, CompareResult, Filter, FilterOp, Scalar, ValueShare,
};
use bulbwatch_charts::compare::{CompareChart, bucket_label, percent};
use bulbwatch_charts::draw::draw_compare;
use bulbwatch_charts::theme::Theme;

mod common;
use common::{rect, to_svg};

fn share(bucket: CompareBucket, i: u64, o: u64) -> ValueShare {
    ValueShare {
        bucket,
        selection_count: i,
        baseline_count: o,
        selection_share: i as f64 / 40.0,
        baseline_share: o as f64 / 1200.0,
    }
}

fn value(v: impl Into<Scalar>) -> CompareBucket {
    CompareBucket::Value { value: v.into() }
}

fn result() -> CompareResult {
    CompareResult {
        start_time_ms: 0,
        end_time_ms: 3_600_000,
        selection_count: 40,
        baseline_count: 1200,
        columns: vec![
            ColumnComparison {
                column: "colour".into(),
                score: 0.7,
                values: vec![
                    share(value("ultraviolet"), 30, 60),
                    share(value("green"), 6, 700),
                    share(CompareBucket::Missing, 4, 440),
                ],
            },
            ColumnComparison {
                column: "queue_length".into(),
                score: 0.4,
                values: vec![
                    share(CompareBucket::Range { min: 0.0, max: 5.0 }, 10, 900),
                    share(
                        CompareBucket::Range {
                            min: 5.0,
                            max: 10.0,
                        },
                        30,
                        300,
                    ),
                ],
            },
            ColumnComparison {
                column: "success".into(),
                score: 0.1,
                values: vec![
                    share(value(true), 36, 1200),
                    share(value(12.0), 1, 0),
                    share(CompareBucket::Other, 3, 0),
                ],
            },
        ],
        excluded_columns: vec!["trace_id".into()],
        restating_columns: Vec::new(),
    }
}

#[test]
fn the_servers_ranking_and_shares_are_kept() {
    let chart = CompareChart::from_result(&result());
    assert_eq!((chart.selection_count, chart.baseline_count), (40, 1200));
    let columns: Vec<&str> = chart.attributes.iter().map(|a| a.column.as_str()).collect();
    assert_eq!(columns, vec!["colour", "queue_length", "success"]);
    let colour = &chart.attributes[0];
    let labels: Vec<&str> = colour.values.iter().map(|v| v.label.as_str()).collect();
    assert_eq!(labels, vec!["ultraviolet", "green", "(none)"]);
    assert_eq!(colour.values[0].selection_share, 0.75);
    assert_eq!(colour.values[0].baseline_share, 0.05);
    assert!((colour.values[0].difference() - 0.7).abs() < 1e-9);
    assert_eq!(colour.max_share(), 0.75);
    assert_eq!(chart.attributes[2].values[1].label, "12");
}

#[test]
fn buckets_read_as_values_ranges_and_none() {
    assert_eq!(bucket_label(&value("green")), "green");
    assert_eq!(bucket_label(&value(false)), "false");
    assert_eq!(bucket_label(&value(2.5)), "2.5");
    assert_eq!(
        bucket_label(&CompareBucket::Range {
            min: 100.0,
            max: 250.5
        }),
        "100 – 250.5"
    );
    assert_eq!(bucket_label(&CompareBucket::Other), "(other)");
    assert_eq!(percent(0.75), "75%");
    assert_eq!(percent(0.015), "1.5%");
    assert_eq!(percent(0.0), "0%");
}

#[test]
fn each_value_has_the_filters_that_keep_it() {
    let chart = CompareChart::from_result(&result());
    let colour = &chart.attributes[0];
    assert_eq!(
        colour.values[0].filters("colour"),
        vec![Filter::new("colour", FilterOp::Eq, "ultraviolet")]
    );
    assert_eq!(
        colour.values[2].filters("colour"),
        vec![Filter::bare("colour", FilterOp::DoesNotExist)]
    );
    let queue = &chart.attributes[1];
    assert_eq!(
        queue.values[0].filters("queue_length"),
        vec![
            Filter::new("queue_length", FilterOp::Ge, 0.0),
            Filter::new("queue_length", FilterOp::Lt, 5.0),
        ]
    );
    // The top bucket includes its upper edge.
    assert_eq!(
        queue.values[1].filters("queue_length")[1],
        Filter::new("queue_length", FilterOp::Le, 10.0)
    );
    assert!(chart.attributes[2].values[2].filters("success").is_empty());
}

#[test]
fn the_pointer_finds_a_value_by_its_row() {
    let chart = CompareChart::from_result(&result());
    let colour = &chart.attributes[0];
    let rect = rect(0.0, 0.0, 300.0, 90.0);
    assert_eq!(colour.value_at(&rect, 5.0), Some(0));
    assert_eq!(colour.value_at(&rect, 45.0), Some(1));
    assert_eq!(colour.value_at(&rect, 89.0), Some(2));
    assert_eq!(colour.value_at(&rect, 90.0), None);
}

#[test]
fn the_drawing_shows_both_shares() {
    let chart = CompareChart::from_result(&result());
    let (svg, rect) = to_svg((800, 180), |b| {
        draw_compare(b, &chart.attributes[0], Some(1), &Theme { ratio: 2.0 })
    });
    for text in ["75%", "5%", "15%", "58%"] {
        assert!(svg.contains(&format!("\n{text}\n")), "{text} missing");
    }
    assert!(
        svg.contains("#F5C542") || svg.contains("#f5c542"),
        "selection colour"
    );
    assert_eq!((rect.top, rect.bottom), (0.0, 180.0));
}
