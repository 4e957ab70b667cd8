//! Component test of the instrumentation page's list in headless Chromium: rows by
//! span, snippets as text with the file's line numbers, switches that say their state
//! and report presses.
//! Run with `cargo test -p bulbwatch-app --target wasm32-unknown-unknown`.
#![cfg(target_arch = "wasm32")]

use std::sync::{Arc, Mutex};

use bulbwatch_api::InstrumentationPoint;
use bulbwatch_app::components::PointList;
use leptos::mount::mount_to;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

mod dom;
use dom::{container, find, find_all, settle, text};

fn point(id: &str, span: &str, line: u32, snippet: &str, on: bool) -> InstrumentationPoint {
    InstrumentationPoint {
        id: id.into(),
        title: format!("Title of {id}"),
        span: span.into(),
        file: "server/src/bulb.rs".into(),
        line,
        snippet: snippet.into(),
        attributes: vec!["queue_length".into(), "<shard>".into()],
        on,
    }
}

#[wasm_bindgen_test]
async fn points_show_by_span_and_switches_report_presses() {
    let points = RwSignal::new(vec![
        point(
            "bulb.enqueue.queue_length",
            "bulb.enqueue",
            120,
            "// <b>how many</b> wait\nspan.record(\"queue_length\", n);",
            true,
        ),
        point("bulb.apply.delay", "bulb.apply", 7, "let x = 1;", false),
    ]);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    let on_toggle = Callback::new(move |press: (String, bool)| sink.lock().unwrap().push(press));
    let root = container();
    let _mounted = mount_to(
        root.clone(),
        move || view! { <PointList points=points on_toggle=on_toggle /> },
    );
    settle().await;

    let groups = find_all(&root, ".span-group");
    assert_eq!(groups.len(), 2);
    assert_eq!(
        groups[0].get_attribute("data-span").as_deref(),
        Some("bulb.enqueue")
    );
    let rows = find_all(&root, "[data-testid=point]");
    let ids: Vec<_> = rows
        .iter()
        .map(|r| r.get_attribute("data-point-id").unwrap())
        .collect();
    assert_eq!(ids, ["bulb.enqueue.queue_length", "bulb.apply.delay"]);

    let first = &rows[0];
    assert_eq!(
        text(&find(first, ".point__title")),
        "Title of bulb.enqueue.queue_length"
    );
    assert_eq!(
        text(&find(first, "[data-testid=point-where]")),
        "server/src/bulb.rs:120"
    );
    let tags: Vec<_> = find_all(first, ".tag").iter().map(text).collect();
    assert_eq!(tags, ["queue_length", "<shard>"]);
    // The snippet is text: its `<b>` is shown, not drawn.
    let snippet = find(first, "[data-testid=point-snippet]");
    assert_eq!(
        text(&snippet),
        "// <b>how many</b> wait\nspan.record(\"queue_length\", n);"
    );
    assert!(snippet.query_selector("b").unwrap().is_none());
    assert!(root.query_selector("b").unwrap().is_none());
    let numbers: Vec<_> = find_all(first, ".code-view__gutter [data-line]")
        .iter()
        .map(text)
        .collect();
    assert_eq!(numbers, ["120", "121"]);

    let toggles = find_all(&root, "[data-testid=point-toggle]");
    assert_eq!(toggles.len(), 2);
    assert_eq!(
        toggles[0].get_attribute("data-point-id").as_deref(),
        Some("bulb.enqueue.queue_length")
    );
    assert_eq!(
        toggles[0].get_attribute("aria-pressed").as_deref(),
        Some("true")
    );
    assert_eq!(
        toggles[1].get_attribute("aria-pressed").as_deref(),
        Some("false")
    );

    // A press asks for the other state; the list changes only when told to.
    toggles[1].unchecked_ref::<HtmlElement>().click();
    find(&toggles[0], ".switch__knob")
        .unchecked_ref::<HtmlElement>()
        .click();
    assert_eq!(
        *seen.lock().unwrap(),
        [
            ("bulb.apply.delay".to_string(), true),
            ("bulb.enqueue.queue_length".to_string(), false),
        ]
    );
    // Clicks elsewhere in the list are not presses.
    find(first, ".point__title")
        .unchecked_ref::<HtmlElement>()
        .click();
    assert_eq!(seen.lock().unwrap().len(), 2);

    points.update(|p| p[1].on = true);
    settle().await;
    let toggle = find(
        &root,
        "[data-testid=point-toggle][data-point-id='bulb.apply.delay']",
    );
    assert_eq!(
        toggle.get_attribute("aria-pressed").as_deref(),
        Some("true")
    );
    assert_eq!(
        text(&find(
            &root,
            ".span-group[data-span='bulb.apply'] .span-group__count"
        )),
        "1 of 1 on"
    );
}
