//! The Hue bridge driver over real HTTP on loopback: a bridge that is down or never
//! answers fails the change with the reason and the queue goes on; a shard without a
//! light says what to set; and against Bulbwatch's own Hue-compatible API, changes
//! reach the light, the rate limit holds, Hue's errors arrive typed, and pairing
//! survives a restart.

mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use bulbwatch::bulb::driver::hue::{HueConfig, HueDriver, HueError};
use bulbwatch::bulb::{BulbDriver, DriverError, LightState};
use bulbwatch::colour::Hsb;
use serde_json::{Value, json};
use support::running::Running;
use tokio::net::TcpListener;

const RED: Hsb = Hsb {
    hue: 0,
    sat: 254,
    bri: 254,
};

fn config(bridge: &str, username: &str, lights: &[&str], timeout_ms: u64) -> HueConfig {
    HueConfig {
        bridge: bridge.to_string(),
        username: username.to_string(),
        lights: lights.iter().map(|l| l.to_string()).collect(),
        timeout: Duration::from_millis(timeout_ms),
    }
}

/// A loopback address nothing listens on (a port just bound and let go).
async fn nothing_listening() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}")
}

/// A "bridge" that takes every connection and never answers (the connections stay
/// open until the test ends).
async fn silent_bridge() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    format!("http://{addr}")
}

/// Waits until the `bulb` dataset holds `count` `bulb.driver` spans; answers them.
async fn driver_spans(server: &Running, count: usize) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let spans: Vec<Value> = server
            .state
            .store
            .events("bulb")
            .await
            .unwrap()
            .into_iter()
            .filter(|e| e["name"] == "bulb.driver")
            .collect();
        if spans.len() >= count {
            return spans;
        }
        assert!(
            Instant::now() < deadline,
            "{count} driver spans: {spans:#?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn a_bridge_that_is_down_or_silent_fails_the_change_with_the_reason() {
    let down = nothing_listening().await;
    let driver = HueDriver::new(config(&down, "abc", &["1"], 300)).unwrap();
    let err = driver.apply(0, LightState::lit(RED)).await.unwrap_err();
    assert!(
        matches!(&err, DriverError::Hue(HueError::Unreachable { bridge, .. }) if *bridge == down),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .starts_with(&format!("cannot reach the Hue bridge at {down}: ")),
        "{err}"
    );
    assert_eq!(err.error_type(), None);

    let silent = silent_bridge().await;
    let driver = HueDriver::new(config(&silent, "abc", &["1"], 300)).unwrap();
    let err = driver.apply(0, LightState::lit(RED)).await.unwrap_err();
    assert!(
        matches!(
            &err,
            DriverError::Hue(HueError::Timeout {
                timeout_ms: 300,
                ..
            })
        ),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        format!("the Hue bridge at {silent} did not answer within 300 ms")
    );
}

#[tokio::test]
async fn a_shard_without_a_light_fails_saying_what_to_set() {
    let driver = HueDriver::new(config(&nothing_listening().await, "abc", &["7"], 300)).unwrap();
    let err = driver.apply(2, LightState::lit(RED)).await.unwrap_err();
    assert!(
        matches!(
            &err,
            DriverError::Hue(HueError::NoLight {
                shard: 2,
                count: 1,
                ..
            })
        ),
        "{err:?}"
    );
    let said = err.to_string();
    assert!(
        said.contains("shard 2 has no Hue light") && said.contains("--hue-lights 1,2,3"),
        "{said}"
    );
}

#[tokio::test]
async fn the_queue_goes_on_past_a_silent_bridge_and_the_console_hears_why() {
    let data = tempfile::tempdir().unwrap();
    let silent = silent_bridge().await;
    let driver = Arc::new(HueDriver::new(config(&silent, "abc", &["1"], 200)).unwrap());
    let server = Running::start(data.path(), driver).await;
    let client = reqwest::Client::new();
    server.set_delay(&client, 0).await;
    server.set_point(&client, "bulb.apply.outcome", true).await;

    // What it found at start, for the console: the light did not answer.
    let status = server
        .as_facilitator(&client, "GET", "/api/room/driver", Value::Null)
        .await;
    assert_eq!(status["driver"], "hue");
    assert_eq!(status["bridge"], silent.as_str());
    assert_eq!(
        status["lights"],
        json!([{"shard": 0, "id": "1", "name": null, "reachable": false}])
    );
    assert_eq!(
        status["problem"],
        format!("the Hue bridge at {silent} did not answer within 200 ms")
    );

    let ada = server.join(&client, "Ada").await;
    server.set(&client, &ada, json!({"colour": "red"})).await;
    server.set(&client, &ada, json!({"colour": "green"})).await;
    let state = server.drained(&client, Duration::from_secs(30)).await;
    // Neither change was shown; both were tried, one after the other.
    assert_eq!(state["request_id"], Value::Null, "{state}");
    let spans = driver_spans(&server, 2).await;
    for span in &spans {
        assert_eq!(span["driver"], "hue");
        assert_eq!(
            span["error"],
            format!("the Hue bridge at {silent} did not answer within 200 ms")
        );
        assert!(span.get("error_type").is_none(), "{span}");
    }
    server.shut_down().await;
}

#[tokio::test]
async fn a_bridge_that_is_down_at_start_is_said_on_the_console_and_changes_fail() {
    let data = tempfile::tempdir().unwrap();
    let down = nothing_listening().await;
    let driver = Arc::new(HueDriver::new(config(&down, "abc", &["1", "2"], 500)).unwrap());
    let server = Running::start(data.path(), driver).await;
    let client = reqwest::Client::new();
    let status = server
        .as_facilitator(&client, "GET", "/api/room/driver", Value::Null)
        .await;
    let problem = status["problem"].as_str().unwrap();
    assert!(
        problem.starts_with(&format!("cannot reach the Hue bridge at {down}: ")),
        "{problem}"
    );
    // Asked once, not once per light.
    assert_eq!(status["lights"].as_array().unwrap().len(), 2);
    assert!(!problem.contains("; "), "{problem}");

    server.set_delay(&client, 0).await;
    server.set_point(&client, "bulb.apply.outcome", true).await;
    let ada = server.join(&client, "Ada").await;
    server.set(&client, &ada, json!({"colour": "blue"})).await;
    server.drained(&client, Duration::from_secs(30)).await;
    let spans = driver_spans(&server, 1).await;
    assert!(
        spans[0]["error"]
            .as_str()
            .unwrap()
            .starts_with("cannot reach the Hue bridge"),
        "{spans:#?}"
    );
    server.shut_down().await;
}

#[tokio::test]
async fn the_virtual_bulbs_say_so_on_the_console() {
    let data = tempfile::tempdir().unwrap();
    let server = Running::start(
        data.path(),
        Arc::new(bulbwatch::bulb::VirtualBulb::default()),
    )
    .await;
    let client = reqwest::Client::new();
    let status = server
        .as_facilitator(&client, "GET", "/api/room/driver", Value::Null)
        .await;
    assert_eq!(
        status,
        json!({"driver": "virtual", "bridge": null, "lights": [], "problem": null})
    );
    server.shut_down().await;
}

/// Runs `bulbwatch hue pair` with `args`; its exit code and what it printed.
async fn hue_pair(args: &[&str]) -> (Option<i32>, String, String) {
    let args: Vec<String> = args.iter().map(|s| (*s).to_string()).collect();
    tokio::task::spawn_blocking(move || {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_bulbwatch"))
            .args(["hue", "pair"])
            .args(args)
            .env_remove("BULBWATCH_HUE_BRIDGE")
            .output()
            .unwrap();
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn pairing_with_no_bridge_or_not_a_bridge_is_exit_2_saying_which() {
    let down = nothing_listening().await;
    let (code, out, err) = hue_pair(&["--bridge", &down, "--wait-s", "1"]).await;
    assert_eq!(code, Some(2), "{out}{err}");
    assert!(
        err.starts_with(&format!(
            "bulbwatch: cannot reach the Hue bridge at {down}: "
        )),
        "{err}"
    );
    assert!(out.is_empty(), "{out}");

    // Bulbwatch's own API is no Hue bridge: its `/api` answers an envelope 404.
    let data = tempfile::tempdir().unwrap();
    let server = Running::start(
        data.path(),
        Arc::new(bulbwatch::bulb::VirtualBulb::default()),
    )
    .await;
    let (code, _, err) = hue_pair(&["--bridge", &server.base, "--wait-s", "1"]).await;
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains(&format!(
            "{} answered, but not as a Hue bridge does: HTTP 404",
            server.base
        )),
        "{err}"
    );
    let (code, _, err) = hue_pair(&["--bridge", "https://127.0.0.1:9"]).await;
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("plain HTTP"), "{err}");
    server.shut_down().await;
}
