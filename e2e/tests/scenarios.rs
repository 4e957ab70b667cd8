//! The rehearsal journey: a facilitator alone fills the room with simulated
//! attendees from the console, switches on Flaky green and three shards; an
//! attendee's page shows the shards' bulbs, theirs first; the board goes red; the
//! attendee opens the scenario's revealing query in Explore and sees every failed
//! apply is green; one click removes the simulated attendees. Screenshots of the
//! console with the scenarios (projector and laptop), of the attendee's page with
//! three shards and of Explore finding green.

use std::time::{Duration, Instant};

use bulbwatch_e2e::{Browser, ChromeDriver, TestServer, screenshot_dir};
use serde_json::{Value, json};

const PAGE_LOAD: Duration = Duration::from_secs(15);
const PROJECTOR: (u32, u32) = (1920, 1080);
const LAPTOP: (u32, u32) = (1280, 800);

/// Sets a number input the way a person does: select all, type.
async fn type_number(page: &Browser, css: &str, value: &str) {
    let input = page.find(css).await;
    input.clear().await.unwrap();
    input.send_keys(value).await.unwrap();
}

async fn scenario_board(page: &Browser, facilitator: &str) -> Value {
    page.fetch_json_as_facilitator(facilitator, "GET", "/api/room/scenarios", None)
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_facilitator_rehearses_flaky_green_on_three_shards() {
    let server = TestServer::start().await;
    let chromedriver = ChromeDriver::start().await;
    let shots = screenshot_dir();
    let facilitator = server.facilitator();

    let console = chromedriver.browser().await;
    console.fit_viewport(PROJECTOR).await;
    console.open(&server.console_url()).await;
    console.find("[data-testid=scenarios-panel]").await;
    let seed = console
        .wait_text(
            "[data-testid=room-seed]",
            PAGE_LOAD,
            "the seed shows",
            |t| t.chars().any(|c| c.is_ascii_digit()),
        )
        .await;
    let board = scenario_board(&console, &facilitator).await;
    assert!(
        seed.contains(&board["seed"].to_string()),
        "{seed} shows the room's seed {}",
        board["seed"]
    );
    // Every point on and a short queue delay, as for the hunt.
    let points = console
        .fetch_json("GET", "/api/instrumentation/points", None)
        .await;
    for point in points.as_array().unwrap() {
        let id = point["id"].as_str().unwrap();
        console
            .fetch_json_as_facilitator(
                &facilitator,
                "PUT",
                &format!("/api/instrumentation/points/{id}"),
                Some(json!({"on": true})),
            )
            .await;
    }
    console
        .fetch_json_as_facilitator(
            &facilitator,
            "PUT",
            "/api/bulb/queue-delay",
            Some(json!({"queue_delay_ms": 20})),
        )
        .await;

    // From the console: Flaky green on, three shards, twelve simulated attendees.
    console
        .click("[data-testid=scenario-toggle-flaky_green]")
        .await;
    console
        .wait_attr(
            "[data-testid=scenario-toggle-flaky_green]",
            "aria-checked",
            PAGE_LOAD,
            "Flaky green is on",
            |v| v == "true",
        )
        .await;
    console
        .find("[data-testid=shards-select]")
        .await
        .select_by_value("3")
        .await
        .unwrap();
    type_number(&console, "[data-testid=rehearsal-count]", "12").await;
    type_number(&console, "[data-testid=rehearsal-interval]", "1").await;
    console.click("[data-testid=rehearsal-set]").await;
    console
        .wait_text(
            "[data-testid=rehearsal-running]",
            PAGE_LOAD,
            "twelve simulated attendees run",
            |t| t.trim() == "12",
        )
        .await;
    let board = scenario_board(&console, &facilitator).await;
    assert_eq!(board["shards"], 3);
    let flaky = board["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "flaky_green")
        .unwrap()
        .clone();
    assert_eq!(flaky["on"], true);

    // An attendee's page shows the three shards' bulbs, theirs first.
    let attendee = chromedriver.browser().await;
    attendee.join(&server.join_url(), "Ada").await;
    attendee
        .wait_text("[data-testid=me]", PAGE_LOAD, "joined", |t| t == "Ada")
        .await;
    attendee
        .find("[data-testid^=bulb-shard-][data-mine=true]")
        .await;
    attendee
        .wait_text(
            "[data-testid=bulb-mine-label]",
            PAGE_LOAD,
            "my shard is labelled",
            |t| t.contains("yours"),
        )
        .await;
    let shards = attendee
        .client
        .execute(
            "return [...document.querySelectorAll('[data-testid^=bulb-shard-]')]
               .map(b => [b.dataset.testid, b.dataset.mine])",
            vec![],
        )
        .await
        .unwrap();
    let shards = shards.as_array().unwrap();
    assert_eq!(shards.len(), 3, "{shards:?}");
    assert_eq!(shards[0][1], "true", "mine first: {shards:?}");
    assert!(shards[1..].iter().all(|s| s[1] == "false"), "{shards:?}");
    let me = attendee.fetch_json("GET", "/api/bulb", None).await;
    assert_eq!(
        shards[0][0],
        format!("bulb-shard-{}", me["shard"]),
        "the first is my shard: {me}"
    );

    // The board fills and goes red: failed runs of simulated attendees.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let board = console
            .fetch_json_as_facilitator(&facilitator, "GET", "/api/room/board", None)
            .await;
        let tiles = board["tiles"].as_array().unwrap();
        let simulated = tiles.iter().filter(|t| t["simulated"] == true).count();
        let failed: u64 = tiles
            .iter()
            .map(|t| t["recent_runs"].as_u64().unwrap() - t["recent_passed"].as_u64().unwrap())
            .sum();
        if simulated == 12 && failed >= 3 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the board shows 12 simulated attendees and failures: {board}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    console.find("[data-testid=tile-simulated]").await;
    console
        .screenshot(&shots.join("console-scenarios-1920x1080.png"))
        .await;
    console.fit_viewport(LAPTOP).await;
    console
        .screenshot(&shots.join("console-scenarios-1280x800.png"))
        .await;
    attendee
        .screenshot(&shots.join("attendee-three-shards.png"))
        .await;

    // Green is lost 1 in 5: wait until the bridge has lost one (bounded).
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let answer = attendee
            .fetch_json(
                "POST",
                "/api/query",
                Some(json!({
                    "dataset": "bulb", "calculations": [{"op": "COUNT"}],
                    "filters": [{"column": "name", "op": "=", "value": "bulb.apply"},
                                {"column": "succeeded", "op": "=", "value": false}],
                    "time_range": 3600,
                })),
            )
            .await;
        if answer["matched_events"].as_u64().unwrap_or(0) > 0 {
            break;
        }
        assert!(Instant::now() < deadline, "no green lost yet: {answer}");
        tokio::time::sleep(Duration::from_secs(1)).await;
    }

    // The attendee opens the revealing query: every failed apply is green.
    let url = flaky["explore_url"].as_str().unwrap();
    attendee
        .open(&format!("{}{}", server.url(), url.trim_start_matches('/')))
        .await;
    attendee
        .wait_text(
            "[data-testid=totals-table]",
            PAGE_LOAD,
            "failed applies of green",
            // Green asked for by name or as #00ff00: the bridge loses either.
            |t| {
                t.lines().any(|row| {
                    (row.contains("green") || row.contains("#00ff00")) && row.contains("false")
                })
            },
        )
        .await;
    let rows = attendee
        .texts("[data-testid=totals-table] tr[data-group]")
        .await;
    let failed: Vec<&String> = rows.iter().filter(|r| r.contains("false")).collect();
    assert!(!failed.is_empty(), "{rows:?}");
    assert!(
        failed
            .iter()
            .all(|r| r.contains("green") || r.contains("#00ff00")),
        "only green fails: {rows:?}"
    );
    attendee
        .screenshot(&shots.join("explore-flaky-green.png"))
        .await;

    // One click removes the simulated attendees; Ada stays.
    console.click("[data-testid=rehearsal-remove]").await;
    console
        .wait_text(
            "[data-testid=rehearsal-running]",
            PAGE_LOAD,
            "none run any more",
            |t| t.trim() == "0",
        )
        .await;
    let board = console
        .fetch_json_as_facilitator(&facilitator, "GET", "/api/room/board", None)
        .await;
    let names: Vec<&str> = board["tiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["attendee"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Ada"], "{board}");
}
