//! The waterfall's layout: tree order, offsets, broken trees, and its drawing.

use std::collections::BTreeMap;

use bulbwatch_api::{Scalar, SpanKind, TraceSpan};
use bulbwatch_charts::draw::draw_waterfall;
use bulbwatch_charts::theme::Theme;
use bulbwatch_charts::waterfall::{Waterfall, format_duration};

mod common;
use common::{rect, to_svg};

fn span(id: &str, parent: Option<&str>, name: &str, start: f64, duration: f64) -> TraceSpan {
    TraceSpan {
        span_id: id.into(),
        parent_id: parent.map(Into::into),
        name: name.into(),
        kind: SpanKind::Internal,
        start_ms: start,
        duration_ms: duration,
        attributes: BTreeMap::new(),
    }
}

fn names(w: &Waterfall) -> Vec<(&str, usize)> {
    w.rows.iter().map(|r| (r.name.as_str(), r.depth)).collect()
}

/// A check run: two requests, the second one's server span with enqueue → apply.
fn trace() -> Vec<TraceSpan> {
    // Deliberately not in tree order: the server sorts by start only.
    vec![
        span("apply", Some("enqueue"), "bulb.apply", 1_040.0, 20.0),
        span("run", None, "check run classic", 1_000.0, 100.0),
        span("put", Some("run"), "PUT /api/bulb", 1_030.0, 15.0),
        span("get", Some("run"), "GET /api/bulb", 1_010.0, 5.0),
        span("server", Some("put"), "PUT /api/bulb server", 1_031.0, 12.0),
        span("enqueue", Some("server"), "bulb.enqueue", 1_032.0, 1.0),
    ]
}

#[test]
fn rows_come_in_tree_order_with_children_by_start() {
    let w = Waterfall::from_spans(&trace());
    assert_eq!(
        names(&w),
        vec![
            ("check run classic", 0),
            ("GET /api/bulb", 1),
            ("PUT /api/bulb", 1),
            ("PUT /api/bulb server", 2),
            ("bulb.enqueue", 3),
            ("bulb.apply", 4),
        ]
    );
    assert_eq!(w.start_ms, 1_000.0);
    assert_eq!(w.total_ms, 100.0);
    let apply = &w.rows[5];
    assert_eq!((apply.offset_ms, apply.duration_ms), (40.0, 20.0));
    assert_eq!(apply.span, 0, "points back at the given span");
    assert_eq!(w.row_of("put"), Some(2));
}

#[test]
fn orphans_become_roots_in_time_order() {
    let spans = vec![
        span("b", Some("missing"), "late orphan", 50.0, 5.0),
        span("a", None, "root", 10.0, 100.0),
        span("c", Some("gone"), "early orphan", 0.0, 5.0),
        span("d", Some("c"), "child of orphan", 1.0, 1.0),
    ];
    let w = Waterfall::from_spans(&spans);
    assert_eq!(
        names(&w),
        vec![
            ("early orphan", 0),
            ("child of orphan", 1),
            ("root", 0),
            ("late orphan", 0),
        ]
    );
    assert_eq!(w.rows[2].offset_ms, 10.0);
}

#[test]
fn cycles_and_duplicates_end_and_keep_every_span_once() {
    let spans = vec![
        span("a", Some("b"), "a", 0.0, 1.0),
        span("b", Some("a"), "b", 1.0, 1.0),
        span("self", Some("self"), "own parent", 2.0, 1.0),
        span("x", None, "x first", 3.0, 1.0),
        span("x", None, "x again", 4.0, 1.0),
        span("y", Some("x"), "child of x", 5.0, 1.0),
    ];
    let w = Waterfall::from_spans(&spans);
    assert_eq!(w.rows.len(), spans.len());
    assert_eq!(
        names(&w),
        vec![
            ("own parent", 0),
            ("x first", 0),
            ("child of x", 1),
            ("x again", 0),
            ("a", 0),
            ("b", 1),
        ]
    );
}

#[test]
fn failures_are_flagged() {
    let mut spans = trace();
    spans[0]
        .attributes
        .insert("error".into(), Scalar::from("driver unplugged"));
    spans[2]
        .attributes
        .insert("http.response.status_code".into(), Scalar::Number(503.0));
    spans[3]
        .attributes
        .insert("http.response.status_code".into(), Scalar::Number(200.0));
    spans[1]
        .attributes
        .insert("success".into(), Scalar::Bool(true));
    spans[4]
        .attributes
        .insert("succeeded".into(), Scalar::Bool(false));
    let w = Waterfall::from_spans(&spans);
    let failed: Vec<&str> = w
        .rows
        .iter()
        .filter(|r| r.error)
        .map(|r| r.name.as_str())
        .collect();
    assert_eq!(
        failed,
        vec!["PUT /api/bulb", "PUT /api/bulb server", "bulb.apply"]
    );
}

#[test]
fn rows_are_found_by_height_and_ticks_read_as_durations() {
    let w = Waterfall::from_spans(&trace());
    let rect = rect(100.0, 20.0, 500.0, 140.0);
    assert_eq!(w.row_at(&rect, 20.0), Some(0));
    assert_eq!(w.row_at(&rect, 59.0), Some(1));
    assert_eq!(w.row_at(&rect, 139.9), Some(5));
    assert_eq!(w.row_at(&rect, 140.0), None);
    assert_eq!(w.row_at(&rect, 10.0), None);
    let ticks = w.ticks(6);
    assert_eq!(ticks.first().map(|t| t.1.as_str()), Some("0"));
    assert!(ticks.iter().any(|t| t.1 == "100 ms"), "{ticks:?}");
    assert_eq!(format_duration(0.4), "0.4 ms");
    assert_eq!(format_duration(12.34), "12.3 ms");
    assert_eq!(format_duration(1500.0), "1.5 s");
}

#[test]
fn an_empty_trace_has_no_rows() {
    let w = Waterfall::from_spans(&[]);
    assert!(w.rows.is_empty());
    let rect = rect(0.0, 0.0, 10.0, 10.0);
    assert_eq!(w.row_at(&rect, 5.0), None);
}

#[test]
fn the_drawing_names_every_span() {
    let w = Waterfall::from_spans(&trace());
    let (svg, rect) = to_svg((1200, 400), |b| {
        draw_waterfall(b, &w, Some(2), &Theme { ratio: 2.0 })
    });
    for name in ["check run classic", "bulb.apply", "bulb.enqueue", "20 ms"] {
        assert!(svg.contains(name), "{name} missing");
    }
    assert!(rect.left > 0.0 && rect.top > 0.0 && rect.bottom <= 400.0);
    // The row under the apply span's bar is its row.
    let mid = rect.top + rect.height() / 6.0 * 5.5;
    assert_eq!(w.row_at(&rect, mid), Some(5));
}

/// A check that polls: a PUT, then `n` GETs each with a server span under it.
fn polling_trace(n: usize) -> Vec<TraceSpan> {
    let mut spans = vec![
        span("run", None, "check run classic", 0.0, 1_000.0),
        span("put", Some("run"), "PUT /api/bulb", 1.0, 5.0),
    ];
    for i in 0..n {
        let start = 10.0 + 30.0 * i as f64;
        spans.push(span(
            &format!("get{i}"),
            Some("run"),
            "GET /api/bulb",
            start,
            4.0,
        ));
        spans.push(span(
            &format!("srv{i}"),
            Some(&format!("get{i}")),
            "GET /api/bulb server",
            start + 1.0,
            2.0,
        ));
    }
    spans
}

#[test]
fn repeated_siblings_fold_into_one_row_until_opened() {
    use bulbwatch_charts::waterfall::Repeat;
    let mut spans = polling_trace(30);
    spans
        .last_mut()
        .unwrap()
        .attributes
        .insert("error".into(), Scalar::Bool(true));
    let w = Waterfall::from_spans(&spans);
    assert_eq!(w.rows.len(), 62);
    let folded = w.folded(&[]);
    assert_eq!(
        names(&folded),
        vec![
            ("check run classic", 0),
            ("PUT /api/bulb", 1),
            ("GET /api/bulb", 1)
        ]
    );
    let polls = &folded.rows[2];
    assert_eq!(polls.repeat, Repeat::Folded(30));
    assert_eq!(polls.label(), "GET /api/bulb × 30");
    assert_eq!(
        (polls.offset_ms, polls.duration_ms),
        (10.0, 30.0 * 29.0 + 4.0)
    );
    assert!(
        polls.error,
        "a failed server span inside shows on the folded row"
    );

    let opened = w.folded(&["get0".to_string()]);
    assert_eq!(opened.rows.len(), 62);
    assert_eq!(opened.rows[2].repeat, Repeat::Unfolded(30));
    assert_eq!(opened.rows[3].name, "GET /api/bulb server");
}

#[test]
fn two_in_a_row_stay_apart() {
    let w = Waterfall::from_spans(&polling_trace(2));
    assert_eq!(w.folded(&[]).rows.len(), w.rows.len());
}

#[test]
fn an_opened_row_keeps_the_repeats_inside_it_folded() {
    use bulbwatch_charts::waterfall::Repeat;
    // Three steps in a row, each polling four times.
    let mut spans = vec![span("run", None, "check run", 0.0, 1_000.0)];
    for s in 0..3 {
        let start = 100.0 * s as f64;
        spans.push(span(
            &format!("step{s}"),
            Some("run"),
            "step wait",
            start,
            90.0,
        ));
        for p in 0..4 {
            spans.push(span(
                &format!("get{s}.{p}"),
                Some(&format!("step{s}")),
                "GET /api/bulb",
                start + 1.0 + 20.0 * p as f64,
                5.0,
            ));
        }
    }
    let w = Waterfall::from_spans(&spans);
    assert_eq!(w.folded(&[]).rows.len(), 2, "the run and the three steps");
    let opened = w.folded(&["step0".to_string()]);
    assert_eq!(
        opened
            .rows
            .iter()
            .map(|r| (r.label(), r.repeat))
            .collect::<Vec<_>>(),
        vec![
            ("check run".to_string(), Repeat::Single),
            ("step wait".to_string(), Repeat::Unfolded(3)),
            ("GET /api/bulb × 4".to_string(), Repeat::Folded(4)),
            ("step wait".to_string(), Repeat::Single),
            ("GET /api/bulb × 4".to_string(), Repeat::Folded(4)),
            ("step wait".to_string(), Repeat::Single),
            ("GET /api/bulb × 4".to_string(), Repeat::Folded(4)),
        ]
    );
}
