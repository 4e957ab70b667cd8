//! The checks journey: join, run the classic check with Ctrl+Enter and see it pass;
//! break it and see it fail with the right line marked; schedule it and see three runs
//! in the history; stop a runaway loop while the page stays usable; reload and
//! find the check still there.

use std::time::Duration;

use bulbwatch_e2e::{Browser, ChromeDriver, TestServer, screenshot_dir};
use serde_json::json;

const PAGE_LOAD: Duration = Duration::from_secs(15);
/// The classic check polls for about 3 s at most; the worker needs a moment to load.
const RUN: Duration = Duration::from_secs(20);

const CTRL: char = '\u{E009}';
const ENTER: char = '\u{E007}';
const RELEASE: char = '\u{E000}';

const EDITOR: &str = "[data-testid=check-editor]";

/// Polls 30 times for a colour the bulb never shows: the failure is the inner
/// assertion's, on line 4, and the 30 GETs make one row.
const POLL_BROKEN: &str = "bulb.set(\"red\");\npoll(30, 10, || {\nlet state = bulb.get();\nassert_eq(state.colour, \"ultraviolet\", \"the bulb's colour\");\ntrue\n});\n";

const BROKEN: &str = "let answer = bulb.set(\"red\");\nassert_eq(answer.status, 202, \"status\");\nlet state = bulb.get();\nassert_eq(state.colour, \"ultraviolet\", \"the bulb's colour\");\n";

/// Replaces the editor's text by selecting all and typing, as a person would.
async fn replace_check(page: &Browser, source: &str) {
    page.type_into(EDITOR, &format!("{CTRL}a{RELEASE}")).await;
    page.type_into(EDITOR, source).await;
}

async fn editor_value(page: &Browser) -> String {
    let value = page
        .client
        .execute(
            "return document.querySelector('[data-testid=check-editor]').value",
            vec![],
        )
        .await
        .unwrap();
    value.as_str().unwrap().to_string()
}

async fn verdict_becomes(page: &Browser, verdict: &str, within: Duration) {
    page.wait_text(
        "[data-testid=check-verdict]",
        within,
        &format!("the verdict becomes {verdict}"),
        |t| t == verdict,
    )
    .await;
}

/// Waits until the attendee's saved check on the server has `source` (trimmed).
async fn saved_on_server(page: &Browser, source: &str) {
    let deadline = std::time::Instant::now() + PAGE_LOAD;
    loop {
        let checks = page.fetch_json("GET", "/api/checks", None).await;
        let ids: Vec<String> = checks
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| c["id"].as_str().map(String::from))
            .collect();
        for id in ids {
            let check = page
                .fetch_json("GET", &format!("/api/checks/{id}"), None)
                .await;
            if check["source"].as_str().map(str::trim) == Some(source) {
                return;
            }
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the server never held the edited check: {checks}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn history_len(page: &Browser) -> usize {
    let n = page
        .client
        .execute(
            "return document.querySelectorAll('[data-testid=run-history-item]').length",
            vec![],
        )
        .await
        .unwrap();
    usize::try_from(n.as_u64().unwrap()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn write_run_break_schedule_stop_and_reload_a_check() {
    let server = TestServer::start().await;
    let chromedriver = ChromeDriver::start().await;
    let page = chromedriver.browser().await;
    let shots = screenshot_dir();

    page.join(&server.join_url(), "Ada").await;
    page.wait_text("[data-testid=me]", PAGE_LOAD, "joined", |t| t == "Ada")
        .await;

    // The editor opens with the classic check; Ctrl+Enter runs it and it passes.
    // The editor is there before the check has loaded into it: wait for the text.
    page.find(EDITOR).await;
    let deadline = std::time::Instant::now() + PAGE_LOAD;
    let mut classic = editor_value(&page).await;
    while classic.is_empty() && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
        classic = editor_value(&page).await;
    }
    assert!(classic.contains("bulb.set(colour)"), "{classic}");
    page.type_into(EDITOR, &format!("{CTRL}{ENTER}{RELEASE}"))
        .await;
    verdict_becomes(&page, "pass", RUN).await;
    page.find("[data-testid=check-steps] [data-testid=check-step]")
        .await;
    let request = page
        .find("[data-testid=check-requests] [data-testid=check-request]")
        .await;
    let trace_id = request
        .attr("data-trace-id")
        .await
        .unwrap()
        .unwrap_or_default();
    assert_eq!(trace_id.len(), 32, "requests show the run's trace id");
    // What next: the pass points at the schedule.
    page.wait_text(
        "[data-testid=next-hint]",
        PAGE_LOAD,
        "a hint after the pass",
        |t| t.contains("Run every"),
    )
    .await;
    // The editor soft-wraps: nothing hides to the right, and the classic check's long
    // line 5 (the colours) takes two rows, so line 6's number sits two rows lower.
    let layout = page
        .client
        .execute(
            "const e = document.querySelector('[data-testid=check-editor]');
             const top = n => document.querySelector(`[data-testid=check-gutter] [data-line=\"${n}\"]`).getBoundingClientRect().top;
             return [e.scrollWidth - e.clientWidth, top(6) - top(5), top(7) - top(6)];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(layout[0], json!(0), "no horizontal scrolling: {layout}");
    let (wrapped, single) = (layout[1].as_f64().unwrap(), layout[2].as_f64().unwrap());
    assert!(
        wrapped >= 2.0 * single - 1.0,
        "line 5 wraps onto a second row under its number: {layout}"
    );
    // The play page fits a laptop's window: it does not scroll, with everything on it
    // (the history charts' frame comes once the check has runs and the page is idle).
    page.find("iframe[data-testid=history-frame]").await;
    assert_eq!(page.viewport().await, (1280, 800));
    let heights = page
        .client
        .execute(
            "return [document.documentElement.scrollHeight, window.innerHeight]",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        heights[0].as_f64() <= heights[1].as_f64(),
        "the play page does not scroll at 1280×800: {heights}"
    );
    page.screenshot(&shots.join("checks-pass.png")).await;
    // And on the projector.
    page.fit_viewport((1920, 1080)).await;
    page.screenshot(&shots.join("checks-pass-1920x1080.png"))
        .await;
    page.fit_viewport((1280, 800)).await;

    // Broken: the bulb can never be ultraviolet. It fails on line 4, which is marked,
    // and the location moves the cursor there.
    replace_check(&page, BROKEN).await;
    page.click("[data-testid=check-run]").await;
    verdict_becomes(&page, "fail", RUN).await;
    let failure = page
        .wait_text(
            "[data-testid=check-failure]",
            PAGE_LOAD,
            "the failure shows",
            |t| t.contains("ultraviolet"),
        )
        .await;
    assert!(failure.contains("the bulb's colour"), "{failure}");
    page.find("[data-testid=check-gutter] [data-line=\"4\"].failing")
        .await;
    let marked = page
        .client
        .execute(
            "return document.querySelectorAll('[data-testid=check-gutter] .failing').length",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(marked, json!(1), "only the failing line is marked");
    let location = page.find("[data-testid=check-failure-location]").await;
    let text = location.text().await.unwrap();
    assert!(text.starts_with("line 4, column "), "{text}");
    location.click().await.unwrap();
    let cursor = page
        .client
        .execute(
            "const e = document.querySelector('[data-testid=check-editor]'); return e.value.slice(0, e.selectionStart).split('\\n').length",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(cursor, json!(4), "the cursor is on the failing line");
    page.wait_text(
        "[data-testid=next-hint]",
        PAGE_LOAD,
        "a hint after the failure",
        |t| t.contains("Instrumentation"),
    )
    .await;
    page.screenshot(&shots.join("checks-fail.png")).await;

    // A failure inside poll marks the inner assertion's line, and the 30 polls show
    // as one request row after the PUT.
    replace_check(&page, POLL_BROKEN).await;
    page.click("[data-testid=check-run]").await;
    verdict_becomes(&page, "fail", RUN).await;
    page.wait_text(
        "[data-testid=check-failure]",
        PAGE_LOAD,
        "poll's failure shows",
        |t| t.contains("poll gave up after 30 tries"),
    )
    .await;
    page.find("[data-testid=check-gutter] [data-line=\"4\"].failing")
        .await;
    let rows = page
        .texts("[data-testid=check-requests] [data-testid=check-request]")
        .await;
    assert_eq!(rows.len(), 2, "the PUT and one row for the polls: {rows:?}");
    assert!(rows[1].contains("× 30"), "{rows:?}");
    page.find("[data-testid=check-request][data-count=\"30\"]")
        .await;
    page.screenshot(&shots.join("checks-poll-fail.png")).await;

    // On a schedule every 5 s: three more runs land in the history.
    let before = history_len(&page).await;
    let interval = page.find("[data-testid=schedule-interval]").await;
    interval.clear().await.unwrap();
    interval.send_keys("5").await.unwrap();
    page.click("[data-testid=schedule-toggle]").await;
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while history_len(&page).await < before + 3 {
        assert!(
            std::time::Instant::now() < deadline,
            "three scheduled runs within 30 s"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    page.click("[data-testid=schedule-toggle]").await;
    page.wait_text(
        "[data-testid=pass-rate]",
        PAGE_LOAD,
        "the pass rate shows",
        |t| t.contains('%'),
    )
    .await;
    page.screenshot(&shots.join("checks-schedule.png")).await;

    // A runaway loop (sleeping, so the operation limit does not end it first): Stop
    // ends it and the page still answers.
    replace_check(&page, "loop { sleep(50); }\n").await;
    page.click("[data-testid=check-run]").await;
    verdict_becomes(&page, "running…", PAGE_LOAD).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    page.click("[data-testid=check-stop]").await;
    verdict_becomes(&page, "error", Duration::from_secs(3)).await;
    page.wait_text(
        "[data-testid=check-failure]",
        PAGE_LOAD,
        "it says it was stopped",
        |t| t.contains("stopped"),
    )
    .await;
    page.click("[data-testid=colour-picker] button[data-colour=green]")
        .await;
    page.wait_text(
        "[data-testid=last-request]",
        PAGE_LOAD,
        "the page still works",
        |t| t.contains("Accepted"),
    )
    .await;

    // Reload once the server holds the last text: the check is still there.
    saved_on_server(&page, "loop { sleep(50); }").await;
    page.client.refresh().await.unwrap();
    page.wait_text(
        "[data-testid=save-status]",
        PAGE_LOAD,
        "the check loads",
        |t| t.contains("saved"),
    )
    .await;
    let after = editor_value(&page).await;
    assert_eq!(
        after.trim(),
        "loop { sleep(50); }",
        "the last text survives a reload"
    );
    page.close().await;
}
