//! Component tests of the check workbench's pieces in headless Chromium: the editor
//! (gutter, failing line, Tab, Ctrl+Enter, cursor to a failure), the result pane, the
//! history strip and pass rate, the schedule switch, the read-only code view.
//! Run with `cargo test -p bulbwatch-app --target wasm32-unknown-unknown`.
#![cfg(target_arch = "wasm32")]

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use bulbwatch_api::{
    CheckReport, Failure, FailureKind, HttpMethod, LogLine, Progress, RequestReport, RunSummary,
    StepOutcome, StepReport, Verdict,
};
use bulbwatch_app::checks::run_view::RunView;
use bulbwatch_app::components::check_editor::reveal;
use bulbwatch_app::components::{CheckEditor, CheckResult, CodeView, RunHistory, ScheduleControl};
use leptos::html::Textarea;
use leptos::mount::mount_to;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement, HtmlTextAreaElement, KeyboardEvent, KeyboardEventInit};

wasm_bindgen_test_configure!(run_in_browser);

mod dom;
use dom::{container, find, find_all, settle, text};

const TRACE: &str = "0af7651916cd43dd8448eb211c80319c";

fn key(area: &HtmlTextAreaElement, key: &str, shift: bool, ctrl: bool) -> bool {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_shift_key(shift);
    init.set_ctrl_key(ctrl);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    area.dispatch_event(&event).unwrap();
    event.default_prevented()
}

/// Mounts an editor; returns the root, the textarea, and counters of runs and edits.
fn editor(
    source: RwSignal<String>,
    failing: RwSignal<Option<u32>>,
) -> (
    HtmlElement,
    HtmlTextAreaElement,
    Arc<AtomicU32>,
    Arc<AtomicU32>,
) {
    let root = container();
    let runs = Arc::new(AtomicU32::new(0));
    let edits = Arc::new(AtomicU32::new(0));
    let (r, e) = (Arc::clone(&runs), Arc::clone(&edits));
    let on_run = Callback::new(move |()| {
        r.fetch_add(1, Ordering::SeqCst);
    });
    let on_edit = Callback::new(move |()| {
        e.fetch_add(1, Ordering::SeqCst);
    });
    let mounted = mount_to(root.clone(), move || {
        view! { <CheckEditor source=source failing_line=failing on_run=on_run on_edit=on_edit /> }
    });
    std::mem::forget(mounted);
    let area: HtmlTextAreaElement = find(&root, "[data-testid=check-editor]").unchecked_into();
    (root, area, runs, edits)
}

fn line_numbers(root: &HtmlElement) -> Vec<String> {
    find_all(root, "[data-testid=check-gutter] [data-line]")
        .iter()
        .map(|e| e.get_attribute("data-line").unwrap())
        .collect()
}

#[wasm_bindgen_test]
async fn gutter_follows_the_text() {
    let source = RwSignal::new("let a = 1;\nlet b = 2;\nlog(a + b);".to_string());
    let failing = RwSignal::new(None);
    let (root, area, _, edits) = editor(source, failing);
    settle().await;
    assert_eq!(area.value(), source.get_untracked());
    assert_eq!(line_numbers(&root), ["1", "2", "3"]);

    // Typing (an input event) updates the source and the gutter.
    area.set_value("a\nb\nc\nd\ne");
    area.dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    settle().await;
    assert_eq!(source.get_untracked(), "a\nb\nc\nd\ne");
    assert_eq!(line_numbers(&root), ["1", "2", "3", "4", "5"]);
    assert_eq!(edits.load(Ordering::SeqCst), 1, "typing is an edit");

    // Text loaded from elsewhere shows too, and is not an edit.
    source.set("only one line".into());
    settle().await;
    assert_eq!(area.value(), "only one line");
    assert_eq!(line_numbers(&root), ["1"]);
    assert_eq!(edits.load(Ordering::SeqCst), 1);
}

#[wasm_bindgen_test]
async fn failing_line_is_marked_once() {
    let source = RwSignal::new("a\nb\nc\nd".to_string());
    let failing = RwSignal::new(None);
    let (root, _, _, _) = editor(source, failing);
    assert!(find_all(&root, ".failing").is_empty());
    assert!(find_all(&root, ".editor__row--failing").is_empty());

    failing.set(Some(3));
    settle().await;
    let marked = find_all(&root, "[data-testid=check-gutter] .failing");
    assert_eq!(marked.len(), 1);
    assert_eq!(marked[0].get_attribute("data-line").as_deref(), Some("3"));
    // The band is the whole row of line 3 in the backdrop (all its wrapped rows).
    let band = find_all(&root, ".editor__row--failing");
    assert_eq!(band.len(), 1);
    assert!(text(&band[0]).contains('c'), "{}", text(&band[0]));

    failing.set(None);
    settle().await;
    assert!(find_all(&root, ".failing").is_empty());
}

#[wasm_bindgen_test]
async fn tab_indents_and_shift_tab_outdents() {
    let source = RwSignal::new("let x = 1;\nlog(x);".to_string());
    let failing = RwSignal::new(None);
    let (root, area, _, edits) = editor(source, failing);
    settle().await;
    area.focus().unwrap();
    area.set_selection_range(0, 0).unwrap();
    assert!(
        key(&area, "Tab", false, false),
        "Tab does not leave the editor"
    );
    settle().await;
    assert_eq!(area.value(), "  let x = 1;\nlog(x);");
    assert_eq!(source.get_untracked(), area.value());
    assert_eq!(area.selection_start().unwrap(), Some(2));
    assert!(edits.load(Ordering::SeqCst) >= 1);

    // A selection over both lines: both indented, then both outdented.
    area.set_selection_range(0, 19).unwrap();
    key(&area, "Tab", false, false);
    settle().await;
    assert_eq!(area.value(), "    let x = 1;\n  log(x);");
    key(&area, "Tab", true, false);
    settle().await;
    assert_eq!(area.value(), "  let x = 1;\nlog(x);");
    assert_eq!(source.get_untracked(), area.value());
    assert_eq!(line_numbers(&root), ["1", "2"]);

    // After Escape, Tab is left to the browser (focus moves on).
    key(&area, "Escape", false, false);
    assert!(!key(&area, "Tab", false, false));
}

#[wasm_bindgen_test]
async fn ctrl_enter_runs() {
    let source = RwSignal::new("log(1);".to_string());
    let (_, area, runs, _) = editor(source, RwSignal::new(None));
    assert!(key(&area, "Enter", false, true));
    assert_eq!(runs.load(Ordering::SeqCst), 1);
    assert!(
        !key(&area, "Enter", false, false),
        "a plain Enter types a newline"
    );
    assert_eq!(runs.load(Ordering::SeqCst), 1);
}

fn failed_report() -> CheckReport {
    CheckReport {
        verdict: Verdict::Fail,
        failure: Some(Failure {
            message: "the bulb's colour: expected \"ultraviolet\", got \"red\"".into(),
            line: Some(4),
            column: Some(3),
            step: Some("wait for the bulb".into()),
            kind: FailureKind::Assertion,
            expected: Some("\"ultraviolet\"".into()),
            actual: Some("\"red\"".into()),
        }),
        steps: vec![
            StepReport {
                name: "set colour".into(),
                started_ms: 1.0,
                duration_ms: 12.0,
                outcome: StepOutcome::Pass,
                depth: 0,
            },
            StepReport {
                name: "wait for the bulb".into(),
                started_ms: 14.0,
                duration_ms: 3100.0,
                outcome: StepOutcome::Fail,
                depth: 0,
            },
            StepReport {
                name: "read".into(),
                started_ms: 15.0,
                duration_ms: 4.0,
                outcome: StepOutcome::Fail,
                depth: 1,
            },
        ],
        requests: vec![
            RequestReport {
                method: HttpMethod::Put,
                path: "/api/bulb".into(),
                status: Some(202),
                duration_ms: 5.0,
                trace_id: TRACE.into(),
                span_id: "b7ad6b7169203331".into(),
                step: Some("set colour".into()),
            },
            RequestReport {
                method: HttpMethod::Get,
                path: "/api/bulb".into(),
                status: Some(200),
                duration_ms: 3.0,
                trace_id: TRACE.into(),
                span_id: "c7ad6b7169203331".into(),
                step: Some("read".into()),
            },
        ],
        logs: vec![LogLine {
            at_ms: 2.0,
            text: "asking for ultraviolet".into(),
        }],
        steps_dropped: 0,
        requests_dropped: 0,
        logs_dropped: 0,
        duration_ms: 3120.0,
        trace_id: TRACE.into(),
        iterations: 30,
        colour: Some("ultraviolet".into()),
        request_id: Some("r-1".into()),
        shard: Some(0),
    }
}

#[wasm_bindgen_test]
async fn result_pane_shows_a_report() {
    let run = RwSignal::new(None::<RunView>);
    let root = container();
    let _mounted = mount_to(root.clone(), move || view! { <CheckResult run=run /> });
    assert!(find_all(&root, "[data-testid=check-verdict]").is_empty());

    run.set(Some(RunView::finished(&failed_report())));
    settle().await;
    let verdict = find(&root, "[data-testid=check-verdict]");
    assert_eq!(text(&verdict), "fail");
    let failure = text(&find(&root, "[data-testid=check-failure]"));
    assert!(failure.contains("ultraviolet"), "{failure}");
    assert!(failure.contains("wait for the bulb"), "{failure}");
    assert_eq!(
        text(&find(&root, "[data-testid=check-failure-location]")),
        "line 4, column 3"
    );
    let steps = find_all(&root, "[data-testid=check-steps] [data-testid=check-step]");
    assert_eq!(steps.len(), 3);
    assert!(text(&steps[1]).contains("3.10 s"), "{}", text(&steps[1]));
    assert!(
        steps[2]
            .get_attribute("style")
            .unwrap()
            .contains("--depth: 1")
    );
    assert_eq!(
        steps[2].get_attribute("data-outcome").as_deref(),
        Some("fail")
    );
    let requests = find_all(
        &root,
        "[data-testid=check-requests] [data-testid=check-request]",
    );
    assert_eq!(requests.len(), 2);
    assert_eq!(
        requests[0].get_attribute("data-trace-id").as_deref(),
        Some(TRACE)
    );
    let row = text(&requests[0]);
    assert!(
        row.contains("PUT") && row.contains("/api/bulb") && row.contains("202"),
        "{row}"
    );
    // One link to the run's trace, in the head, for all its requests.
    let link = find(&root, "a[data-testid=run-trace]");
    assert_eq!(
        link.get_attribute("href").unwrap(),
        format!("/explore/traces/{TRACE}")
    );
    assert_eq!(text(&link), "Open trace");
    assert!(link.get_attribute("title").unwrap().contains(TRACE));
    assert!(text(&root.clone().unchecked_into()).contains("asking for ultraviolet"));
}

#[wasm_bindgen_test]
async fn result_pane_streams_a_running_check() {
    let run = RwSignal::new(Some(RunView::running(TRACE, 0.0)));
    let root = container();
    let _mounted = mount_to(root.clone(), move || view! { <CheckResult run=run /> });
    assert_eq!(
        text(&find(&root, "[data-testid=check-verdict]")),
        "running…"
    );
    run.update(|r| {
        r.as_mut().unwrap().apply(
            Progress::StepStarted {
                name: "set colour".into(),
                depth: 0,
            },
            5.0,
        );
    });
    settle().await;
    let steps = find_all(&root, "[data-testid=check-step]");
    assert_eq!(steps.len(), 1);
    assert_eq!(
        steps[0].get_attribute("data-outcome").as_deref(),
        Some("running")
    );
    assert!(find_all(&root, "[data-testid=check-failure]").is_empty());
}

#[wasm_bindgen_test]
async fn failure_location_moves_the_cursor() {
    let source =
        RwSignal::new("let a = 1;\nlet b = 2;\nlet c = 3;\nassert(a == b, \"x\");\n".to_string());
    let failing = Signal::derive(|| Some(4));
    let area_ref = NodeRef::<Textarea>::new();
    let run = RwSignal::new(Some(RunView::finished(&failed_report())));
    let on_locate = Callback::new(move |(line, column): (u32, u32)| {
        reveal(&area_ref.get_untracked().unwrap(), line, column);
    });
    let root = container();
    let _mounted = mount_to(root.clone(), move || {
        view! {
            <CheckEditor
                source=source
                failing_line=failing
                on_run=Callback::new(|()| {})
                textarea=area_ref
            />
            <CheckResult run=run on_locate=on_locate />
        }
    });
    let area: HtmlTextAreaElement = find(&root, "[data-testid=check-editor]").unchecked_into();
    settle().await;
    let location = find(&root, "[data-testid=check-failure-location]");
    location.unchecked_ref::<HtmlElement>().click();
    // Line 4, column 3: 3 lines of 11 characters before it, then 2 characters in.
    assert_eq!(area.selection_start().unwrap(), Some(35));
    assert_eq!(area.selection_end().unwrap(), Some(35));
    let active = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .active_element();
    assert_eq!(active.as_ref(), Some(area.unchecked_ref::<Element>()));
}

fn summary(id: &str, verdict: Verdict) -> RunSummary {
    RunSummary {
        run_id: id.into(),
        check_id: Some("c1".into()),
        check_name: "classic".into(),
        verdict,
        duration_ms: 1240.0,
        started_at_ms: 1_750_000_000_000,
        message: (verdict != Verdict::Pass).then(|| "the bulb's colour".to_string()),
    }
}

#[wasm_bindgen_test]
async fn history_strip_and_pass_rate() {
    let runs = RwSignal::new(Vec::<RunSummary>::new());
    let root = container();
    let _mounted = mount_to(root.clone(), move || view! { <RunHistory runs=runs /> });
    assert_eq!(text(&find(&root, "[data-testid=pass-rate]")), "no runs yet");
    assert!(find_all(&root, "[data-testid=run-history-item]").is_empty());

    // Newest first, as the server lists them.
    runs.set(vec![
        summary("r3", Verdict::Error),
        summary("r2", Verdict::Fail),
        summary("r1", Verdict::Pass),
    ]);
    settle().await;
    let items = find_all(
        &root,
        "[data-testid=run-history] [data-testid=run-history-item]",
    );
    let verdicts: Vec<String> = items
        .iter()
        .map(|i| i.get_attribute("data-verdict").unwrap())
        .collect();
    assert_eq!(verdicts, ["pass", "fail", "error"], "oldest on the left");
    assert_eq!(items[0].get_attribute("href").as_deref(), Some("/runs/r1"));
    let title = items[1].get_attribute("title").unwrap();
    assert!(
        title.contains("1.24 s") && title.contains("fail"),
        "{title}"
    );
    assert_eq!(
        text(&find(&root, "[data-testid=pass-rate]")),
        "1/3 passed · 33%"
    );
}

#[wasm_bindgen_test]
async fn schedule_switch_and_problem() {
    let on = RwSignal::new(false);
    let interval = RwSignal::new("10".to_string());
    let problem = RwSignal::new(None::<String>);
    let root = container();
    let _mounted = mount_to(root.clone(), move || {
        view! {
            <ScheduleControl
                on=on
                on_toggle=Callback::new(move |()| on.update(|o| *o = !*o))
                interval=interval
                problem=problem
            />
        }
    });
    let toggle = find(&root, "[data-testid=schedule-toggle]");
    assert_eq!(
        toggle.get_attribute("aria-checked").as_deref(),
        Some("false")
    );
    toggle.unchecked_ref::<HtmlElement>().click();
    settle().await;
    assert_eq!(
        toggle.get_attribute("aria-checked").as_deref(),
        Some("true")
    );

    let field: web_sys::HtmlInputElement =
        find(&root, "[data-testid=schedule-interval]").unchecked_into();
    assert_eq!(field.value(), "10");
    field.set_value("3");
    field
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    settle().await;
    assert_eq!(interval.get_untracked(), "3");
    problem.set(Some("Run every 5–300 seconds, not 3.".into()));
    settle().await;
    assert!(text(&find(&root, "[data-testid=schedule-problem]")).contains("5–300"));
}

#[wasm_bindgen_test]
async fn code_view_numbers_lines() {
    let root = container();
    let _mounted = mount_to(root.clone(), || {
        view! { <CodeView source="a\nb\nc".to_string() testid="shared-source" /> }
    });
    assert_eq!(text(&find(&root, "[data-testid=shared-source]")), "a\nb\nc");
    assert_eq!(find_all(&root, ".code-view__gutter [data-line]").len(), 3);
}

#[wasm_bindgen_test]
async fn links_navigate_without_reload_and_back_returns() {
    use bulbwatch_app::routing::{Route, provide_router};
    let owner = Owner::new();
    let router = owner.with(provide_router::<Route>);
    let window = web_sys::window().unwrap();
    let start = window.location().pathname().unwrap();

    let root = container();
    root.set_inner_html(
        r#"<a id="to-run" href="/runs/r-1">run</a><a id="away" href="/runs/r-2" target="_blank">tab</a>"#,
    );
    find(&root, "#to-run")
        .unchecked_ref::<HtmlElement>()
        .click();
    assert_eq!(router.0.get_untracked(), Route::Run("r-1".into()));
    assert_eq!(window.location().pathname().unwrap(), "/runs/r-1");

    // A link meant for another tab is left to the browser (we only look, not follow).
    let before = router.0.get_untracked();
    let away = find(&root, "#away");
    away.set_attribute("href", "#").unwrap();
    away.unchecked_ref::<HtmlElement>().click();
    assert_eq!(router.0.get_untracked(), before);

    router.navigate("/shared/s-1");
    assert_eq!(router.0.get_untracked(), Route::Shared("s-1".into()));
    window.history().unwrap().back().unwrap();
    let mut tries = 0;
    while router.0.get_untracked() != Route::Run("r-1".into()) && tries < 50 {
        settle().await;
        tries += 1;
    }
    assert_eq!(
        router.0.get_untracked(),
        Route::Run("r-1".into()),
        "Back follows history"
    );
    // Leave the runner's address as it was.
    window
        .history()
        .unwrap()
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&start))
        .unwrap();
    drop(owner);
}
