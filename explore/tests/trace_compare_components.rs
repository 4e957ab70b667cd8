//! Component tests of the comparison and the trace views in headless Chromium: value
//! buttons from a comparison and the filter a click adds; the span list in tree order
//! and the details of the chosen span.
//! Run with `cargo test -p bulbwatch-explore --target wasm32-unknown-unknown --test trace_compare_components`.
#![cfg(target_arch = "wasm32")]

use std::collections::BTreeMap;

use bulbwatch_api::{
    ColumnComparison, CompareBucket, CompareResult, Filter, FilterOp, Scalar, SpanKind, TraceSpan,
    ValueShare,
};
use bulbwatch_explore::compare_view::{CompareResultView, CompareView, thousands};
use bulbwatch_explore::waterfall_view::TraceView;
use leptos::mount::mount_to;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::Element;

wasm_bindgen_test_configure!(run_in_browser);

#[path = "../../app/tests/dom/mod.rs"]
mod dom;
use dom::{click, container, find, find_all, settle, text};

fn share(bucket: CompareBucket, i: u64, o: u64) -> ValueShare {
    ValueShare {
        bucket,
        selection_count: i,
        baseline_count: o,
        selection_share: i as f64 / 42.0,
        baseline_share: o as f64 / 1200.0,
    }
}

fn comparison() -> CompareResult {
    CompareResult {
        start_time_ms: 0,
        end_time_ms: 3_600_000,
        selection_count: 42,
        baseline_count: 1200,
        columns: vec![
            ColumnComparison {
                column: "colour".into(),
                score: 0.6,
                values: vec![
                    share(
                        CompareBucket::Value {
                            value: Scalar::from("ultraviolet"),
                        },
                        30,
                        100,
                    ),
                    share(
                        CompareBucket::Value {
                            value: Scalar::from("green"),
                        },
                        12,
                        1100,
                    ),
                ],
            },
            ColumnComparison {
                column: "queue_length".into(),
                score: 0.3,
                values: vec![
                    share(
                        CompareBucket::Range {
                            min: 5.0,
                            max: 10.0,
                        },
                        20,
                        100,
                    ),
                    share(CompareBucket::Range { min: 0.0, max: 5.0 }, 22, 1100),
                ],
            },
        ],
        excluded_columns: vec![],
        restating_columns: vec![],
    }
}

#[wasm_bindgen_test]
async fn a_comparison_lists_attributes_and_a_value_click_filters() {
    let chosen = RwSignal::new(Vec::<Filter>::new());
    let on_filter = Callback::new(move |f: Filter| chosen.update(|c| c.push(f)));
    let root = container();
    let _mounted = mount_to(root.clone(), move || {
        view! { <CompareResultView result=comparison() on_filter=on_filter /> }
    });
    settle().await;
    let root: Element = root.unchecked_into();

    let columns: Vec<String> = find_all(&root, "[data-column]")
        .iter()
        .map(|e| e.get_attribute("data-column").unwrap())
        .collect();
    assert_eq!(columns, vec!["colour", "queue_length"], "server order kept");
    let counts = text(&find(&root, "[data-testid=compare-counts]"));
    assert!(
        counts.contains("selection 42 events") && counts.contains("baseline 1,200"),
        "{counts}"
    );
    let colour = find(&root, "[data-column=colour]");
    let values: Vec<String> = find_all(&colour, "button[data-value]")
        .iter()
        .map(text)
        .collect();
    assert_eq!(values, vec!["ultraviolet", "green"]);
    assert!(
        find(&colour, "button[data-value=green]")
            .get_attribute("title")
            .unwrap()
            .contains("29%"),
        "the shares are told"
    );
    assert_eq!(find_all(&colour, "canvas").len(), 1, "paired bars drawn");

    click(&find(&colour, "button[data-value=green]"));
    assert_eq!(
        chosen.get_untracked(),
        vec![Filter::new("colour", FilterOp::Eq, "green")]
    );

    // A number bucket filters by its range; the top one keeps its upper edge.
    chosen.set(Vec::new());
    click(&find(
        &root,
        "[data-column=queue_length] button[data-value='5 – 10']",
    ));
    assert_eq!(
        chosen.get_untracked(),
        vec![
            Filter::new("queue_length", FilterOp::Ge, 5.0),
            Filter::new("queue_length", FilterOp::Le, 10.0),
        ]
    );
}

fn text_value(s: &str) -> CompareBucket {
    CompareBucket::Value {
        value: Scalar::from(s),
    }
}

#[wasm_bindgen_test]
async fn restating_columns_are_listed_apart_and_long_values_stay_distinct() {
    let messages = ["red", "blue", "green", "white", "#12ABEF"]
        .map(|c| format!("poll gave up after 30 tries: the bulb's colour stayed {c}"));
    let mut result = comparison();
    result.restating_columns = vec![
        ColumnComparison {
            column: "failure.message".into(),
            score: 1.0,
            values: messages
                .iter()
                .map(|m| share(text_value(m), 8, 0))
                .collect(),
        },
        ColumnComparison {
            column: "verdict".into(),
            score: 1.0,
            values: vec![share(text_value("fail"), 42, 0)],
        },
    ];
    let root = container();
    let _mounted = mount_to(root.clone(), move || {
        view! { <CompareResultView result=result.clone() on_filter=Callback::new(|_| ()) /> }
    });
    settle().await;
    let root: Element = root.unchecked_into();

    let ranked: Vec<String> = find_all(
        &root,
        ".compare__result > .compare__attributes [data-column]",
    )
    .iter()
    .map(|e| e.get_attribute("data-column").unwrap())
    .collect();
    assert_eq!(
        ranked,
        vec!["colour", "queue_length"],
        "the causes rank alone"
    );
    let apart = find(&root, "[data-testid=compare-restating]");
    assert_eq!(apart.tag_name(), "DETAILS");
    assert!(!apart.has_attribute("open"), "folded away");
    assert!(
        text(&apart).contains("These only restate the selection"),
        "{}",
        text(&apart)
    );
    assert_eq!(
        text(&find(&apart, "[data-testid=compare-restating-names]")),
        "(failure.message, verdict)"
    );
    let restated: Vec<String> = find_all(&apart, "[data-column]")
        .iter()
        .map(|e| e.get_attribute("data-column").unwrap())
        .collect();
    assert_eq!(restated, vec!["failure.message", "verdict"]);

    // Five messages that start alike read differently, and whole on hover.
    let buttons = find_all(&apart, "[data-column='failure.message'] button[data-value]");
    let shown: Vec<String> = buttons.iter().map(text).collect();
    for (k, a) in shown.iter().enumerate() {
        assert!(a.chars().count() <= 26, "{a}");
        for b in &shown[k + 1..] {
            assert_ne!(a, b, "{shown:?}");
        }
    }
    for (button, message) in buttons.iter().zip(&messages) {
        assert_eq!(
            button.get_attribute("data-value").as_deref(),
            Some(message.as_str())
        );
        let title = button.get_attribute("title").unwrap();
        assert!(title.starts_with(message.as_str()), "{title}");
    }
}

#[wasm_bindgen_test]
async fn columns_alike_on_both_sides_come_last_and_folded() {
    let mut result = comparison();
    result.columns.insert(
        1,
        ColumnComparison {
            column: "shard".into(),
            score: 0.0,
            values: vec![share(
                CompareBucket::Value {
                    value: Scalar::Number(0.0),
                },
                42,
                1200,
            )],
        },
    );
    result.restating_columns = vec![ColumnComparison {
        column: "verdict".into(),
        score: 1.0,
        values: vec![share(text_value("fail"), 42, 0)],
    }];
    let root = container();
    let _mounted = mount_to(root.clone(), move || {
        view! { <CompareResultView result=result.clone() on_filter=Callback::new(|_| ()) /> }
    });
    settle().await;
    let root: Element = root.unchecked_into();

    let ranked: Vec<String> = find_all(
        &root,
        ".compare__result > .compare__attributes [data-column]",
    )
    .iter()
    .map(|e| e.get_attribute("data-column").unwrap())
    .collect();
    assert_eq!(
        ranked,
        vec!["colour", "queue_length"],
        "what differs, alone"
    );
    let every: Vec<String> = find_all(&root, "[data-column]")
        .iter()
        .map(|e| e.get_attribute("data-column").unwrap())
        .collect();
    assert_eq!(
        every,
        vec!["colour", "queue_length", "verdict", "shard"],
        "alike last"
    );
    let alike = find(&root, "[data-testid=compare-alike]");
    assert_eq!(alike.tag_name(), "DETAILS");
    assert!(!alike.has_attribute("open"), "folded away");
    assert_eq!(
        text(&find(&alike, "[data-testid=compare-alike-names]")),
        "(shard)"
    );
}

#[wasm_bindgen_test]
async fn an_empty_selection_says_so() {
    let mut empty = comparison();
    empty.selection_count = 0;
    empty.columns.clear();
    let root = container();
    let _mounted = mount_to(root.clone(), move || {
        view! { <CompareResultView result=empty.clone() on_filter=Callback::new(|_| ()) /> }
    });
    settle().await;
    let root: Element = root.unchecked_into();
    assert!(text(&find(&root, "[data-testid=compare-status]")).contains("no events"));
    assert!(find_all(&root, "button[data-value]").is_empty());
}

#[wasm_bindgen_test]
async fn without_a_spec_the_comparison_waits() {
    let spec = RwSignal::new(None);
    let root = container();
    let _mounted = mount_to(root.clone(), move || {
        view! { <CompareView spec=spec on_filter=Callback::new(|_| ()) /> }
    });
    settle().await;
    let root: Element = root.unchecked_into();
    assert!(find_all(&root, "[data-testid=compare-view]").len() == 1);
    assert!(text(&find(&root, "[data-testid=compare-status]")).contains("Drag a box"));
    assert_eq!(thousands(1_234_567), "1,234,567");
}

fn span(id: &str, parent: Option<&str>, name: &str, start: f64, kind: SpanKind) -> TraceSpan {
    TraceSpan {
        span_id: id.into(),
        parent_id: parent.map(Into::into),
        name: name.into(),
        kind,
        start_ms: start,
        duration_ms: 10.0,
        attributes: BTreeMap::new(),
    }
}

fn trace() -> Vec<TraceSpan> {
    let mut apply = span("a1", Some("e1"), "bulb.apply", 1_020.0, SpanKind::Internal);
    apply
        .attributes
        .insert("colour".into(), Scalar::from("ultraviolet"));
    apply
        .attributes
        .insert("queue_length".into(), Scalar::Number(3.0));
    apply
        .attributes
        .insert("succeeded".into(), Scalar::Bool(false));
    // The server lists spans by start, not as a tree.
    vec![
        apply,
        span("s1", Some("r1"), "PUT /api/bulb", 1_005.0, SpanKind::Server),
        span("r1", None, "check run classic", 1_000.0, SpanKind::Client),
        span(
            "e1",
            Some("s1"),
            "bulb.enqueue",
            1_006.0,
            SpanKind::Internal,
        ),
        span("g1", Some("r1"), "GET /api/bulb", 1_001.0, SpanKind::Client),
    ]
}

#[wasm_bindgen_test]
async fn the_span_list_is_in_tree_order_and_a_row_shows_its_attributes() {
    let root = container();
    let _mounted = mount_to(root.clone(), move || view! { <TraceView spans=trace() /> });
    settle().await;
    let root: Element = root.unchecked_into();
    assert_eq!(find_all(&root, "canvas[data-testid=waterfall]").len(), 1);

    let rows = find_all(&root, "[data-span-id]");
    let ids: Vec<String> = rows
        .iter()
        .map(|r| r.get_attribute("data-span-id").unwrap())
        .collect();
    assert_eq!(ids, vec!["r1", "g1", "s1", "e1", "a1"]);
    assert!(text(&rows[4]).contains("bulb.apply"));
    assert!(text(&rows[4]).contains("internal"));
    assert!(text(&rows[4]).contains("failed"), "succeeded = false");
    assert!(text(&rows[2]).contains("server"));
    assert_eq!(
        rows[4].get_attribute("style").as_deref(),
        Some("--depth: 3")
    );

    // The root is chosen first.
    let details = find(&root, "[data-testid=span-details]");
    assert!(text(&details).contains("check run classic"));
    assert!(!text(&details).contains("ultraviolet"));

    click(&find(&rows[4], "button"));
    settle().await;
    let details = text(&find(&root, "[data-testid=span-details]"));
    assert!(details.contains("bulb.apply"), "{details}");
    for part in [
        "colour",
        "ultraviolet",
        "queue_length",
        "3",
        "succeeded",
        "false",
        "e1",
    ] {
        assert!(details.contains(part), "{part} missing: {details}");
    }
    assert_eq!(
        find(&rows[4], "button")
            .get_attribute("aria-pressed")
            .as_deref(),
        Some("true")
    );
    assert_eq!(
        find(&rows[0], "button")
            .get_attribute("aria-pressed")
            .as_deref(),
        Some("false")
    );

    // A click on the waterfall chooses the row under it (the second: GET /api/bulb).
    let canvas = find(&root, "canvas[data-testid=waterfall]");
    let top = canvas.get_bounding_client_rect().top();
    let left = canvas.get_bounding_client_rect().left();
    // Below the 30 px time axis, in the middle of the second 30 px row.
    let pointer_up = js_sys::Function::new_with_args(
        "el, x, y",
        "el.dispatchEvent(new PointerEvent('pointerup', {bubbles: true, clientX: x, clientY: y}))",
    );
    pointer_up
        .call3(
            &wasm_bindgen::JsValue::NULL,
            &canvas,
            &(left + 300.0).into(),
            &(top + 30.0 + 30.0 + 15.0).into(),
        )
        .unwrap();
    settle().await;
    let details = text(&find(&root, "[data-testid=span-details]"));
    assert!(details.contains("GET /api/bulb"), "{details}");
    assert!(rows[1].class_list().contains("span-row--selected"));
}

#[wasm_bindgen_test]
async fn repeated_polls_fold_into_one_row_that_a_click_opens() {
    let mut spans = vec![span(
        "r1",
        None,
        "check run classic",
        1_000.0,
        SpanKind::Client,
    )];
    for i in 0..30 {
        spans.push(span(
            &format!("g{i}"),
            Some("r1"),
            "GET /api/bulb",
            1_001.0 + f64::from(i),
            SpanKind::Client,
        ));
    }
    let root = container();
    let _mounted = mount_to(
        root.clone(),
        move || view! { <TraceView spans=spans.clone() /> },
    );
    settle().await;
    let root: Element = root.unchecked_into();
    let rows = find_all(&root, "[data-span-id]");
    assert_eq!(rows.len(), 2, "the root and one row for the 30 polls");
    assert!(
        text(&rows[1]).contains("GET /api/bulb × 30"),
        "{}",
        text(&rows[1])
    );
    assert_eq!(
        find(&rows[1], "button")
            .get_attribute("aria-expanded")
            .as_deref(),
        Some("false")
    );
    click(&find(&rows[1], "button"));
    settle().await;
    assert_eq!(find_all(&root, "[data-span-id]").len(), 31, "opened");
    let first = find(&root, "[data-span-id=g0] button");
    assert_eq!(
        first.get_attribute("aria-expanded").as_deref(),
        Some("true")
    );
    // Another row chosen, then the first poll: it is chosen, and stays open.
    click(&find(&root, "[data-span-id=g5] button"));
    settle().await;
    click(&find(&root, "[data-span-id=g0] button"));
    settle().await;
    assert_eq!(find_all(&root, "[data-span-id]").len(), 31, "still open");
    assert!(text(&find(&root, "[data-testid=span-details]")).contains("GET /api/bulb"));
    // Chosen once more, the polls fold again.
    click(&find(&root, "[data-span-id=g0] button"));
    settle().await;
    assert_eq!(find_all(&root, "[data-span-id]").len(), 2, "closed again");
}
