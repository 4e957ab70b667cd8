//! `bulbwatch rehearse` against a real server on port 0: it joins simulated
//! attendees through the join link, they run the classic check and record their
//! runs, the board marks them simulated, and one click removes them.

mod support;

use std::process::Command;
use std::sync::Arc;

use bulbwatch::TelemetrySettings;
use bulbwatch::bulb::VirtualBulb;
use serde_json::Value;
use support::running::Running;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_terminal_fills_the_room_with_simulated_attendees() {
    let data = tempfile::tempdir().unwrap();
    let server = Running::start_seeded(
        data.path(),
        Arc::new(VirtualBulb::default()),
        TelemetrySettings::default(),
        Some(7),
    )
    .await;
    let client = reqwest::Client::new();
    server.set_delay(&client, 20).await;
    let url = server.state.room.join_url();
    let out = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_bulbwatch"))
            .args(["rehearse", "--url", &url, "--attendees", "3"])
            .args(["--interval-ms", "1000", "--duration-s", "4", "--seed", "7"])
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(0), "{printed}");
    assert!(printed.contains("joined Linus (sim), 3 of 3"), "{printed}");
    let done = printed
        .lines()
        .find(|l| l.starts_with("Done: "))
        .unwrap_or_else(|| panic!("{printed}"));
    let runs: u64 = done["Done: ".len()..]
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(runs >= 3, "{done}");

    let board = server
        .as_facilitator(&client, "GET", "/api/room/board", Value::Null)
        .await;
    let tiles = board["tiles"].as_array().unwrap();
    assert_eq!(tiles.len(), 3, "{board}");
    assert!(tiles.iter().all(|t| t["simulated"] == true), "{board}");
    let recorded: u64 = tiles
        .iter()
        .map(|t| t["total_runs"].as_u64().unwrap())
        .sum();
    assert_eq!(
        recorded, runs,
        "every run the terminal counted is on the board"
    );

    let removed = server
        .as_facilitator(&client, "DELETE", "/api/room/rehearsal", Value::Null)
        .await;
    assert_eq!(removed["removed"], 3);
    let board = server
        .as_facilitator(&client, "GET", "/api/room/board", Value::Null)
        .await;
    assert_eq!(board["tiles"].as_array().unwrap().len(), 0);
    server.shut_down().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_consoles_rehearsal_resumes_after_a_restart() {
    let data = tempfile::tempdir().unwrap();
    let start = || {
        Running::start_seeded(
            data.path(),
            Arc::new(VirtualBulb::default()),
            TelemetrySettings::default(),
            Some(7),
        )
    };
    let client = reqwest::Client::new();
    let server = start().await;
    server
        .as_facilitator(
            &client,
            "PUT",
            "/api/room/rehearsal",
            serde_json::json!({"attendees": 2, "interval_ms": 2000}),
        )
        .await;
    server.shut_down().await;

    let server = start().await;
    let state = server.state.rehearsal.state();
    assert_eq!((state.running, state.interval_ms), (2, 2000));
    let board = server
        .as_facilitator(&client, "GET", "/api/room/board", Value::Null)
        .await;
    let tiles = board["tiles"].as_array().unwrap();
    assert_eq!(
        tiles.len(),
        2,
        "fresh ones in place of the stopped: {board}"
    );
    assert!(tiles.iter().all(|t| t["simulated"] == true));
    server.shut_down().await;
}
