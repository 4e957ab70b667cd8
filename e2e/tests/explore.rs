//! The explore journey: green is made to fail (the bulb refuses it), every
//! instrumentation point is on, and Ada runs a check in several colours, with the
//! queue delay set halfway. Her history charts show the runs and that marker; Explore
//! groups the e2e runs by colour and success and shows green failing; a box dragged on
//! the heatmap compares the selection with the rest by colour; a failed run's trace
//! shows the server's spans.

use std::sync::Arc;
use std::time::{Duration, Instant};

use bulbwatch_e2e::faults::RefusedColour;
use bulbwatch_e2e::{Browser, ChromeDriver, TestServer, screenshot_dir};
use serde_json::json;

const PAGE_LOAD: Duration = Duration::from_secs(15);
/// A run polls for at most 1.5 s here; the worker needs a moment to load.
const RUN: Duration = Duration::from_secs(20);
const CTRL: char = '\u{E009}';
const RELEASE: char = '\u{E000}';
const ENTER: char = '\u{E007}';
const EDITOR: &str = "[data-testid=check-editor]";
/// The colours Ada asks for, in order: green three times, the last run a failing one.
const COLOURS: [&str; 6] = ["red", "green", "blue", "green", "yellow", "green"];

/// The classic check with a fixed colour and a shorter poll (1.5 s).
fn check_for(colour: &str) -> String {
    format!(
        "let colour = \"{colour}\";\n\
         let id = step(\"set colour\", || {{ let answer = bulb.set(colour); assert_eq(answer.status, 202, \"PUT /api/bulb status\"); answer.request_id }});\n\
         step(\"wait for the bulb\", || {{ poll(15, 100, || {{ let state = bulb.get(); assert_eq(state.colour, colour, \"the bulb's colour\"); assert_eq(state.request_id, id, \"the change the bulb shows\"); true }}); }});\n"
    )
}

/// The verdict on show and the trace id of the run's first request.
async fn last_run(page: &Browser) -> (String, String) {
    let seen = page
        .client
        .execute(
            "const v = document.querySelector('[data-testid=check-verdict]');
             const r = document.querySelector('[data-testid=check-requests] [data-testid=check-request]');
             return [v ? v.textContent.trim() : '', r ? (r.getAttribute('data-trace-id') || '') : ''];",
            vec![],
        )
        .await
        .unwrap();
    (
        seen[0].as_str().unwrap_or_default().to_string(),
        seen[1].as_str().unwrap_or_default().to_string(),
    )
}

/// Types a check for `colour`, runs it with the Run button, and waits for its verdict;
/// returns the verdict and the run's trace id.
async fn run_in(page: &Browser, colour: &str) -> (String, String) {
    let (_, before) = last_run(page).await;
    page.type_into(EDITOR, &format!("{CTRL}a{RELEASE}")).await;
    page.type_into(EDITOR, &check_for(colour)).await;
    page.click("[data-testid=check-run]").await;
    let deadline = Instant::now() + RUN;
    loop {
        let (verdict, trace_id) = last_run(page).await;
        if ["pass", "fail", "error"].contains(&verdict.as_str())
            && trace_id.len() == 32
            && trace_id != before
        {
            return (verdict, trace_id);
        }
        assert!(
            Instant::now() < deadline,
            "the {colour} run did not finish within {RUN:?} (verdict {verdict:?})"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Sets the queue delay to 0 ms, as the facilitator (which records a marker, even
/// when it already was).
async fn no_queue_delay(page: &Browser, facilitator: &str) {
    let delay = page
        .fetch_json_as_facilitator(
            facilitator,
            "PUT",
            "/api/bulb/queue-delay",
            Some(json!({"queue_delay_ms": 0})),
        )
        .await;
    assert_eq!(delay["queue_delay_ms"], json!(0), "{delay}");
}

/// Adds a group-by on `column` with the builder.
async fn group_by(page: &Browser, column: &str) {
    let selects = "[data-testid=breakdown-column]";
    let count = |page: &Browser| {
        let client = page.client.clone();
        async move {
            client
                .execute(
                    "return document.querySelectorAll('[data-testid=breakdown-column]').length",
                    vec![],
                )
                .await
                .unwrap()
                .as_u64()
                .unwrap()
        }
    };
    let before = count(page).await;
    page.click("[data-testid=breakdown-add]").await;
    let deadline = Instant::now() + PAGE_LOAD;
    while count(page).await <= before {
        assert!(Instant::now() < deadline, "breakdown-add adds a group-by");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // The columns arrive from the server: retry until the select offers `column`.
    let deadline = Instant::now() + PAGE_LOAD;
    loop {
        let all = page
            .client
            .find_all(fantoccini::Locator::Css(selects))
            .await
            .unwrap();
        match all.last().unwrap().select_by_value(column).await {
            Ok(()) => return,
            Err(e) => assert!(Instant::now() < deadline, "group by {column}: {e}"),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// N in the comparison's "selection N events · baseline M".
fn selected(counts: &str) -> Option<u64> {
    counts
        .split("selection ")
        .nth(1)?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// How many rows match `css` right now.
async fn count_of(page: &Browser, css: &str) -> u64 {
    page.client
        .execute(
            "return document.querySelectorAll(arguments[0]).length",
            vec![json!(css)],
        )
        .await
        .unwrap()
        .as_u64()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn green_fails_and_explore_shows_why() {
    let server =
        TestServer::start_with_faults(vec![Arc::new(RefusedColour::refusing("green"))]).await;
    let chromedriver = ChromeDriver::start().await;
    let page = chromedriver.browser().await;
    let shots = screenshot_dir();

    page.join(&server.join_url(), "Ada").await;
    page.wait_text("[data-testid=me]", PAGE_LOAD, "joined", |t| t == "Ada")
        .await;

    // Every instrumentation point on, and no queue delay, as the room would set it.
    let points = page
        .fetch_json("GET", "/api/instrumentation/points", None)
        .await;
    let ids: Vec<String> = points
        .as_array()
        .expect("the points")
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect();
    assert!(ids.len() >= 8, "{points}");
    for id in &ids {
        let answer = page
            .fetch_json_as_facilitator(
                &server.facilitator(),
                "PUT",
                &format!("/api/instrumentation/points/{id}"),
                Some(json!({"on": true})),
            )
            .await;
        assert_eq!(answer["on"], json!(true), "{answer}");
    }
    no_queue_delay(&page, &server.facilitator()).await;

    // Runs in several colours: green fails every time, the others pass.
    page.find(EDITOR).await;
    let mut failed_trace = String::new();
    // When the first run was over (and so recorded, with its start before then).
    let mut first_run_done = None;
    for (n, colour) in COLOURS.into_iter().enumerate() {
        if n == COLOURS.len() / 2 {
            // A marker halfway through the runs, for the pass-rate chart to draw.
            no_queue_delay(&page, &server.facilitator()).await;
        }
        let (verdict, trace_id) = run_in(&page, colour).await;
        first_run_done.get_or_insert_with(Instant::now);
        let expected = if colour == "green" { "fail" } else { "pass" };
        assert_eq!(verdict, expected, "the {colour} run");
        if colour == "green" {
            failed_trace = trace_id;
        }
    }
    page.wait_text(
        "[data-testid=check-failure]",
        PAGE_LOAD,
        "the failure names the colour",
        |t| t.contains("green"),
    )
    .await;

    // The failed run links to its trace.
    let link = page.find("a[data-testid=run-trace]").await;
    let href = link.attr("href").await.unwrap().unwrap_or_default();
    assert!(
        href.ends_with(&format!("/explore/traces/{failed_trace}")),
        "{href} links the failed run's trace {failed_trace}"
    );

    // The history charts of the saved check, in their frame under the history strip.
    let frame = page.find("iframe[data-testid=history-frame]").await;
    let src = frame.attr("src").await.unwrap().unwrap_or_default();
    assert!(src.starts_with("/explore/history?check="), "{src}");
    frame.clone().enter_frame().await.unwrap();
    // The play page tells the frame of every recorded run (the frame's own refresh is
    // only every 10 s): all six runs show at once.
    page.wait_attr(
        "[data-testid=history]",
        "data-runs",
        Duration::from_secs(5),
        "the charts hold every run",
        |n| n == "6",
    )
    .await;
    // The queue-delay change halfway through stands on the pass-rate chart.
    page.wait_attr(
        "[data-testid=history]",
        "data-markers",
        Duration::from_secs(5),
        "the marker set between the runs",
        |n| n == "1",
    )
    .await;
    page.find("canvas[data-testid=history-pass-rate]").await;
    page.find("canvas[data-testid=history-durations]").await;
    page.client.enter_parent_frame().await.unwrap();
    page.screenshot(&shots.join("explore-history.png")).await;

    // Explore: the e2e runs grouped by colour and success; green never succeeds. The
    // first run is at least 22 s old (a room's first minutes are more), so it lies in
    // the first third of the window fitted to the runs (30 s at the least).
    let first_run_done = first_run_done.expect("the runs ran");
    let settled = Duration::from_secs(22).saturating_sub(first_run_done.elapsed());
    tokio::time::sleep(settled).await;
    page.open(&format!("{}explore", server.url())).await;
    page.find("[data-testid=explore]").await;
    // It opens on my own runs, and says the attendee filter is me.
    page.find("[data-testid=filter-is-me]").await;
    // Since my first run: the window starts at it and the buckets follow, not an hour
    // with the runs squeezed into its right edge.
    let range = page.find("[data-testid=time-range]").await;
    assert_eq!(range.prop("value").await.unwrap().as_deref(), Some("fit"));
    let said = range.text().await.unwrap();
    assert!(said.contains("since the first event (up to 1 h)"), "{said}");
    page.wait_attr(
        ".results",
        "data-first-data-ms",
        PAGE_LOAD,
        "the default query answers my runs",
        |ms| !ms.is_empty(),
    )
    .await;
    let results = page.find(".results").await;
    let mut window = Vec::new();
    for name in [
        "data-start-ms",
        "data-end-ms",
        "data-granularity-ms",
        "data-first-data-ms",
    ] {
        let ms = results.attr(name).await.unwrap().unwrap_or_default();
        window.push(
            ms.parse::<i64>()
                .unwrap_or_else(|_| panic!("{name}={ms:?}")),
        );
    }
    let [start, end, granularity, first] = window[..] else {
        unreachable!()
    };
    assert!(
        (30_000..600_000).contains(&(end - start)),
        "a window of minutes, not the hour: {} s",
        (end - start) / 1000
    );
    assert!(
        granularity <= 5_000,
        "the buckets follow the window: {granularity} ms"
    );
    // The series' data spans most of the plot's width: the first run is in its first
    // third (one bucket's margin when the window is longer than its minimum).
    let first_at = (first - start) as f64 / (end - start) as f64;
    assert!(
        (0.0..0.34).contains(&first_at),
        "the first run at {} s of the {} s window",
        (first - start) / 1000,
        (end - start) / 1000
    );
    page.find("[data-testid=dataset-select]")
        .await
        .select_by_value("e2e")
        .await
        .unwrap();
    group_by(&page, "colour").await;
    group_by(&page, "success").await;
    // A second filter (colour exists: it keeps every run). With two group-bys and two
    // filters the form runs past the window, and Run query is still in sight.
    page.click("[data-testid=filter-add]").await;
    let second = "[data-testid=filter-row]:nth-of-type(2)";
    page.find(&format!("{second} [data-testid=filter-column]"))
        .await
        .select_by_value("colour")
        .await
        .unwrap();
    page.find(&format!("{second} [data-testid=filter-op]"))
        .await
        .select_by_value("exists")
        .await
        .unwrap();
    assert_eq!(count_of(&page, "[data-testid=filter-row]").await, 2);
    assert_eq!(page.viewport().await, (1280, 800));
    let run_box = page
        .client
        .execute(
            "const r = document.querySelector('[data-testid=run-query]').getBoundingClientRect();
             return [r.top, r.bottom, window.innerHeight];",
            vec![],
        )
        .await
        .unwrap();
    let (top, bottom, height) = (
        run_box[0].as_f64().unwrap(),
        run_box[1].as_f64().unwrap(),
        run_box[2].as_f64().unwrap(),
    );
    assert!(
        top >= 0.0 && bottom <= height,
        "Run query is in the window: {top}..{bottom} of {height}"
    );
    // Ctrl+Enter in a field runs the query, as the button does.
    page.type_into(
        &format!("{second} [data-testid=filter-op]"),
        &format!("{CTRL}{ENTER}{RELEASE}"),
    )
    .await;
    page.wait_text(
        "[data-testid=totals-table]",
        PAGE_LOAD,
        "a row for green runs that failed",
        |t| {
            t.lines()
                .any(|row| row.contains("green") && row.contains("false"))
        },
    )
    .await;
    let rows = page
        .texts("[data-testid=totals-table] tr[data-group]")
        .await;
    assert!(
        rows.iter()
            .any(|r| r.contains("green") && r.contains("false") && r.contains('3')),
        "three failed green runs: {rows:?}"
    );
    assert!(
        !rows
            .iter()
            .any(|r| r.contains("green") && r.contains("true")),
        "no green run succeeded: {rows:?}"
    );
    page.find("canvas[data-testid=heatmap-chart]").await;
    page.screenshot(&shots.join("explore-results.png")).await;

    // On the projector the charts grow with the window and their legends read at the
    // body's size at least (the canvas text is the theme's: charts/tests/readable.rs).
    page.fit_viewport((1920, 1080)).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let sizes = page
        .client
        .execute(
            "const px = e => parseFloat(getComputedStyle(e).fontSize);
             const labels = [...document.querySelectorAll('.legend__label')].map(px);
             const canvas = document.querySelector('canvas[data-testid=heatmap-chart]');
             return [px(document.body), Math.min(...labels), labels.length,
                     canvas.getBoundingClientRect().width];",
            vec![],
        )
        .await
        .unwrap();
    let number = |i: usize| sizes[i].as_f64().unwrap();
    assert!(number(2) >= 1.0, "the series has a legend: {sizes}");
    assert!(
        number(1) >= number(0),
        "legend text at least body size: {sizes}"
    );
    assert!(
        number(3) > 1000.0,
        "the heatmap fills the projector: {sizes}"
    );
    page.screenshot(&shots.join("explore-results-1920x1080.png"))
        .await;
    page.fit_viewport((1280, 800)).await;

    // The whole query is in the address: Back goes to the query before (no groups),
    // Forward brings the grouped one back.
    let grouped = page.client.current_url().await.unwrap().to_string();
    assert!(grouped.contains("breakdowns"), "{grouped}");
    page.client.back().await.unwrap();
    wait_for_groups(&page, 0).await;
    assert!(
        !page
            .client
            .current_url()
            .await
            .unwrap()
            .as_str()
            .contains("breakdowns"),
        "Back left the grouped query"
    );
    page.client.forward().await.unwrap();
    wait_for_groups(&page, 2).await;
    assert_eq!(page.client.current_url().await.unwrap().as_str(), grouped);
    page.wait_text(
        "[data-testid=totals-table]",
        PAGE_LOAD,
        "the grouped totals again",
        |t| t.contains("green"),
    )
    .await;

    // A box over the slow runs compared with the rest: the upper part of the plot,
    // from just right of its axis to its right edge, since the window fits the runs and the failed ones are the
    // slowest. The selection holds the failed green runs, and colour is among the
    // attributes that set them apart.
    page.drag(
        "canvas[data-testid=heatmap-chart]",
        (0.12, 0.6),
        (0.995, 0.01),
    )
    .await;
    page.wait_text(
        "[data-testid=compare-counts]",
        PAGE_LOAD,
        "the selection holds the three slow runs (and maybe a slow pass)",
        |t| selected(t).is_some_and(|n| (3..6).contains(&n)),
    )
    .await;
    page.find("[data-testid=compare-view] [data-column=colour] button[data-value=green]")
        .await;
    page.screenshot(&shots.join("explore-compare.png")).await;
    page.fit_viewport((1920, 1080)).await;
    page.screenshot(&shots.join("explore-compare-1920x1080.png"))
        .await;
    page.fit_viewport((1280, 800)).await;

    // The failed run's trace: its rows include the server's spans.
    let trace_url = if href.starts_with("http") {
        href.clone()
    } else {
        format!("{}{}", server.url(), href.trim_start_matches('/'))
    };
    page.open(&trace_url).await;
    page.find("[data-testid=trace]").await;
    page.find("[data-testid=waterfall]").await;
    let deadline = Instant::now() + PAGE_LOAD;
    loop {
        let names = page
            .client
            .execute(
                "return [...document.querySelectorAll('[data-span-id]')].map(r => r.textContent).join('\\n')",
                vec![],
            )
            .await
            .unwrap();
        let names = names.as_str().unwrap_or_default().to_string();
        if names.contains("PUT /api/bulb") && names.contains("bulb.apply") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the trace shows the server's spans: {names}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(count_of(&page, "[data-span-id]").await >= 4);
    page.screenshot(&shots.join("explore-trace.png")).await;
    page.fit_viewport((1920, 1080)).await;
    page.screenshot(&shots.join("explore-trace-1920x1080.png"))
        .await;
    page.close().await;
}

/// Waits until the builder shows `n` group-by columns (after Back or Forward rebuilt
/// the page from the address).
async fn wait_for_groups(page: &Browser, n: usize) {
    for _ in 0..100 {
        if count_of(page, "[data-testid=breakdown-column]").await == n as u64 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the builder never showed {n} group-by columns");
}
