//! Component tests of the Explore page's parts in headless Chromium, mounted with data
//! (no server): the builder shows a spec and gives the same spec back, its controls
//! change it; the scope buttons add and remove my filter; the totals table sorts; the
//! results say loading, empty and error.
//! Run with `cargo test -p bulbwatch-explore --target wasm32-unknown-unknown --test explore_components`.
#![cfg(target_arch = "wasm32")]

use std::sync::{Arc, Mutex};

use bulbwatch_api::{
    CalcOp, Calculation, CalculationLabel, Filter, FilterOp, GroupRow, GroupSeries, QueryAnswer,
    QueryResult, QuerySpec, Scalar, SeriesPoint,
};
use bulbwatch_explore::builder::example::{example_columns, example_spec};
use bulbwatch_explore::builder::scope::ScopeButtons;
use bulbwatch_explore::builder::{Draft, QueryBuilder};
use bulbwatch_explore::pages::explore::results::{Outcome, Results};
use bulbwatch_explore::pages::explore::totals_table::TotalsTable;
use bulbwatch_explore::query_url::{is_mine, with_scope};
use leptos::mount::mount_to;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlInputElement, HtmlSelectElement};

wasm_bindgen_test_configure!(run_in_browser);

#[path = "../../app/tests/dom/mod.rs"]
mod dom;
use dom::{click, container, find, find_all, settle, text};

fn select_values(root: &Element, testid: &str) -> Vec<String> {
    find_all(root, &format!("[data-testid={testid}]"))
        .into_iter()
        .map(|e| e.unchecked_into::<HtmlSelectElement>().value())
        .collect()
}

fn input_values(root: &Element, testid: &str) -> Vec<String> {
    find_all(root, &format!("[data-testid={testid}]"))
        .into_iter()
        .map(|e| e.unchecked_into::<HtmlInputElement>().value())
        .collect()
}

/// Chooses `value` in the `index`th select with the test id, as a person would.
fn choose(root: &Element, testid: &str, index: usize, value: &str) {
    let select: HtmlSelectElement = find_all(root, &format!("[data-testid={testid}]"))
        .swap_remove(index)
        .unchecked_into();
    select.set_value(value);
    assert_eq!(select.value(), value, "{testid} offers {value}");
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
}

/// Types `value` into the `index`th input with the test id.
fn type_into(root: &Element, testid: &str, index: usize, value: &str) {
    let input: HtmlInputElement = find_all(root, &format!("[data-testid={testid}]"))
        .swap_remove(index)
        .unchecked_into();
    input.set_value(value);
    input
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
}

/// Mounts the builder on `spec`; returns the container and what "Run query" ran.
async fn mount_builder(spec: &QuerySpec) -> (Element, Arc<Mutex<Vec<QuerySpec>>>) {
    let draft = RwSignal::new(Draft::from_spec(spec));
    let cols = Signal::stored(example_columns());
    let ran = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&ran);
    let on_run = Callback::new(move |s: QuerySpec| sink.lock().unwrap().push(s));
    let root = container();
    let mounted = mount_to(
        root.clone(),
        move || view! { <QueryBuilder draft=draft columns=cols on_run=on_run /> },
    );
    std::mem::forget(mounted);
    settle().await;
    (root.into(), ran)
}

#[wasm_bindgen_test]
async fn the_builder_shows_a_spec_and_gives_it_back() {
    let spec = example_spec();
    let (root, ran) = mount_builder(&spec).await;

    assert_eq!(select_values(&root, "dataset-select"), ["e2e"]);
    assert_eq!(select_values(&root, "calc-op"), ["COUNT", "P95", "HEATMAP"]);
    // COUNT has no column; the others offer numeric columns only, with their types.
    assert_eq!(
        select_values(&root, "calc-column"),
        ["duration_ms", "duration_ms"]
    );
    let offered: Vec<String> = find_all(&root, "[data-testid=calc-column] option")
        .iter()
        .map(text)
        .collect();
    assert!(
        offered.contains(&"duration_ms · float".to_owned()),
        "{offered:?}"
    );
    assert!(
        !offered.iter().any(|o| o.starts_with("colour")),
        "{offered:?}"
    );
    assert_eq!(
        select_values(&root, "filter-column"),
        [
            "attendee_id",
            "success",
            "colour",
            "queue_length",
            "error",
            "colour"
        ]
    );
    assert_eq!(
        select_values(&root, "filter-op"),
        ["=", "=", "in", ">=", "does-not-exist", "starts-with"]
    );
    // `does-not-exist` has no value field.
    assert_eq!(
        input_values(&root, "filter-value"),
        ["a-1", "false", "red, green", "3", "gr"]
    );
    assert_eq!(
        select_values(&root, "breakdown-column"),
        ["colour", "success"]
    );
    assert_eq!(
        select_values(&root, "order-target"),
        ["calc:P95(duration_ms)", "column:colour", "calc:COUNT"]
    );
    assert_eq!(
        select_values(&root, "order-direction"),
        ["ascending", "", "descending"]
    );
    assert_eq!(input_values(&root, "limit"), ["20"]);
    assert_eq!(select_values(&root, "having-calc"), ["COUNT"]);
    assert_eq!(select_values(&root, "having-op"), [">="]);
    assert_eq!(select_values(&root, "time-range"), ["21600"]);
    assert_eq!(select_values(&root, "granularity"), ["300"]);

    click(&find(&root, "[data-testid=run-query]"));
    settle().await;
    assert_eq!(ran.lock().unwrap().as_slice(), [spec]);
}

#[wasm_bindgen_test]
async fn the_controls_change_the_spec() {
    let spec = QuerySpec {
        dataset: "e2e".into(),
        calculations: vec![Calculation::count()],
        time_range: Some(3600),
        ..QuerySpec::default()
    };
    let (root, ran) = mount_builder(&spec).await;
    assert!(find_all(&root, "[data-testid=calc-column]").is_empty());

    click(&find(&root, "[data-testid=calc-add]"));
    settle().await;
    choose(&root, "calc-op", 1, "AVG");
    settle().await;
    choose(&root, "calc-column", 0, "duration_ms");
    click(&find(&root, "[data-testid=filter-add]"));
    settle().await;
    choose(&root, "filter-column", 0, "queue_length");
    choose(&root, "filter-op", 0, ">=");
    type_into(&root, "filter-value", 0, "3");
    click(&find(&root, "[data-testid=breakdown-add]"));
    settle().await;
    choose(&root, "breakdown-column", 0, "colour");
    choose(&root, "time-range", 0, "900");
    settle().await;
    choose(&root, "granularity", 0, "30");
    settle().await;

    click(&find(&root, "[data-testid=run-query]"));
    settle().await;
    let got = ran.lock().unwrap().pop().expect("the query ran");
    assert_eq!(
        got.calculations,
        vec![
            Calculation::count(),
            Calculation::of(CalcOp::Avg, "duration_ms")
        ]
    );
    // Typed by the column: a number, not the text "3".
    assert_eq!(
        got.filters,
        vec![Filter::new("queue_length", FilterOp::Ge, 3.0)]
    );
    assert_eq!(got.breakdowns, ["colour"]);
    assert_eq!(got.time_range, Some(900));
    assert_eq!(got.granularity, Some(30));

    // A value that does not fit the column is named, and nothing runs.
    type_into(&root, "filter-value", 0, "many");
    click(&find(&root, "[data-testid=run-query]"));
    settle().await;
    let problem = text(&find(&root, "[data-testid=builder-problem]"));
    assert!(
        problem.contains("many") && problem.contains("queue_length"),
        "{problem}"
    );
    assert!(ran.lock().unwrap().is_empty());
}

#[wasm_bindgen_test]
async fn scope_buttons_add_and_remove_my_filter() {
    let other = Filter::new("success", FilterOp::Eq, false);
    let filters = RwSignal::new(with_scope(std::slice::from_ref(&other), "a-1", true));
    let mine = Signal::derive(move || filters.with(|f| is_mine(f, None, "a-1")));
    let on_scope = Callback::new(move |m: bool| filters.update(|f| *f = with_scope(f, "a-1", m)));
    let root = container();
    let _mounted = mount_to(
        root.clone(),
        move || view! { <ScopeButtons mine=mine on_scope=on_scope /> },
    );
    settle().await;
    let pressed = |id: &str| {
        find(&root, &format!("[data-testid={id}]"))
            .get_attribute("aria-pressed")
            .unwrap()
    };
    assert_eq!(
        (pressed("scope-mine"), pressed("scope-room")),
        ("true".into(), "false".into())
    );

    click(&find(&root, "[data-testid=scope-room]"));
    settle().await;
    assert_eq!(filters.get_untracked(), vec![other.clone()]);
    assert_eq!(
        (pressed("scope-mine"), pressed("scope-room")),
        ("false".into(), "true".into())
    );

    click(&find(&root, "[data-testid=scope-mine]"));
    settle().await;
    assert_eq!(
        filters.get_untracked(),
        vec![Filter::new("attendee_id", FilterOp::Eq, "a-1"), other]
    );
    assert_eq!(pressed("scope-mine"), "true");
}

fn label(op: CalcOp, column: Option<&str>, label: &str) -> CalculationLabel {
    CalculationLabel {
        op,
        column: column.map(Into::into),
        label: label.into(),
    }
}

fn colour_result() -> QueryResult {
    let row = |colour: &str, count: f64, p95: Option<f64>| GroupRow {
        group: vec![Some(Scalar::String(colour.into()))],
        values: vec![Some(count), p95],
    };
    let series = |colour: &str, count: f64| GroupSeries {
        group: vec![Some(Scalar::String(colour.into()))],
        points: vec![SeriesPoint {
            time_ms: 0,
            values: vec![Some(count), None],
        }],
    };
    QueryResult {
        start_time_ms: 0,
        end_time_ms: 60_000,
        granularity_ms: 60_000,
        breakdowns: vec!["colour".into()],
        calculations: vec![
            label(CalcOp::Count, None, "COUNT"),
            label(CalcOp::P95, Some("duration_ms"), "P95(duration_ms)"),
        ],
        matched_events: 23,
        totals: vec![
            row("blue", 4.0, Some(300.0)),
            row("green", 12.0, Some(2500.0)),
            row("red", 7.0, None),
        ],
        series: vec![
            series("blue", 4.0),
            series("green", 12.0),
            series("red", 7.0),
        ],
        heatmaps: vec![],
        groups_truncated: false,
    }
}

fn row_groups(root: &Element) -> Vec<String> {
    find_all(root, "[data-testid=totals-table] tr[data-group]")
        .iter()
        .map(|r| r.get_attribute("data-group").unwrap())
        .collect()
}

#[wasm_bindgen_test]
async fn the_totals_table_sorts_by_a_clicked_header() {
    let result = Signal::stored(Some(colour_result()));
    let root = container();
    let _mounted = mount_to(
        root.clone(),
        move || view! { <TotalsTable result=result /> },
    );
    settle().await;
    let root: Element = root.into();
    let headers: Vec<String> = find_all(&root, "th").iter().map(text).collect();
    assert_eq!(headers, ["colour", "COUNT", "P95(duration_ms)"]);
    assert_eq!(row_groups(&root), ["blue", "green", "red"]);
    let first = text(&find_all(&root, "tr[data-group]")[1]);
    assert!(
        first.contains("green") && first.contains("12") && first.contains("2500"),
        "{first}"
    );

    let sort = find_all(&root, "[data-testid=totals-sort]");
    click(&sort[1]);
    settle().await;
    assert_eq!(row_groups(&root), ["green", "red", "blue"]);
    assert_eq!(
        find_all(&root, "th")[1]
            .get_attribute("aria-sort")
            .as_deref(),
        Some("descending")
    );
    click(&sort[1]);
    settle().await;
    assert_eq!(row_groups(&root), ["blue", "red", "green"]);
    // A missing value goes last either way.
    click(&sort[2]);
    settle().await;
    assert_eq!(row_groups(&root), ["green", "blue", "red"]);
    click(&sort[0]);
    click(&sort[0]);
    settle().await;
    assert_eq!(row_groups(&root), ["red", "green", "blue"]);
}

#[wasm_bindgen_test]
async fn results_say_loading_empty_and_the_servers_error() {
    let outcome = RwSignal::new(Outcome::Loading);
    let spec = QuerySpec {
        dataset: "e2e".into(),
        time_range: Some(900),
        ..QuerySpec::default()
    };
    let root = container();
    let _mounted = mount_to(root.clone(), move || {
        view! {
            <Results
                outcome=outcome
                spec=spec.clone()
                on_filter=Callback::new(|_: Filter| {})
                on_open_trace=Callback::new(|_: String| {})
            />
        }
    });
    settle().await;
    let root: Element = root.into();
    let status = || find(&root, "[data-testid=results-status]");
    assert_eq!(
        status().get_attribute("data-state").as_deref(),
        Some("loading")
    );
    assert!(text(&status()).contains("Running"));

    let message = "calculations[0].column: P95 needs a numeric column, and colour holds strings";
    outcome.set(Outcome::Failed(message.into()));
    settle().await;
    assert_eq!(
        status().get_attribute("data-state").as_deref(),
        Some("error")
    );
    assert_eq!(text(&status()), message);
    assert_eq!(status().get_attribute("role").as_deref(), Some("alert"));
    assert!(find_all(&root, "[data-testid=totals-table]").is_empty());
    assert!(find_all(&root, "[data-testid=unknown-column-hint]").is_empty());
    outcome.set(Outcome::Failed(
        "calculations[0].column: unknown column \"delay_ms\"".into(),
    ));
    settle().await;
    assert!(text(&status()).contains("delay_ms"));
    let hint = find(&root, "[data-testid=unknown-column-hint]");
    assert!(text(&hint).contains("instrumentation point"));

    let mut empty = colour_result();
    empty.matched_events = 0;
    empty.totals.clear();
    empty.series.clear();
    outcome.set(Outcome::Ready(QueryAnswer {
        result: empty,
        markers: vec![],
    }));
    settle().await;
    assert_eq!(
        status().get_attribute("data-state").as_deref(),
        Some("empty")
    );
    let said = text(&status());
    assert!(
        said.contains("No events match")
            && said.contains("last 15 min")
            && said.contains("run a check"),
        "{said}"
    );

    outcome.set(Outcome::Ready(QueryAnswer {
        result: colour_result(),
        markers: vec![],
    }));
    settle().await;
    assert_eq!(
        status().get_attribute("data-state").as_deref(),
        Some("ready")
    );
    assert!(text(&status()).contains("23 events"));
    assert_eq!(row_groups(&root), ["blue", "green", "red"]);
    assert_eq!(find_all(&root, "[data-testid=series-chart]").len(), 1);
    assert_eq!(find_all(&root, "[data-testid=bars-chart]").len(), 1);
    assert_eq!(select_values(&root, "series-calc"), ["0"]);
}
