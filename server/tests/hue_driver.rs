//! The Hue bridge driver over real HTTP on loopback: a bridge that is down or never
//! answers fails the change with the reason and the queue goes on; a shard without a
//! light says what to set; and against Bulbwatch's own Hue-compatible API, changes
//! reach the light, the rate limit holds, Hue's errors arrive typed, and pairing
//! survives a restart.

mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use bulbwatch::bulb::driver::hue::{FakePace, HueConfig, HueDriver, HueError, HueErrorType, pair};
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

// ---- Against Bulbwatch's own Hue-compatible API (`--hue-addr`) ----

/// A Bulbwatch server answering the Hue API, its queue delay 0, with `shards` lights.
async fn virtual_bridge(data: &std::path::Path, shards: u32) -> Running {
    let bridge =
        Running::start_with_hue(data, Arc::new(bulbwatch::bulb::VirtualBulb::default())).await;
    let client = reqwest::Client::new();
    bridge.set_delay(&client, 0).await;
    if shards > 1 {
        bridge
            .as_facilitator(
                &client,
                "PUT",
                "/api/room/shards",
                json!({"shards": shards}),
            )
            .await;
    }
    bridge
}

fn hue_base(bridge: &Running) -> String {
    bridge.hue_base.clone().expect("the Hue API listens")
}

/// Presses the virtual bridge's link button (the console's button) and pairs as
/// `devicetype` with the driver's own pairing code.
async fn paired(bridge: &Running, devicetype: &str) -> String {
    let client = reqwest::Client::new();
    bridge
        .as_facilitator(&client, "POST", "/api/room/hue/link-button", Value::Null)
        .await;
    pair(
        &hue_base(bridge),
        devicetype,
        Duration::from_secs(5),
        |_| {},
    )
    .await
    .unwrap()
}

/// Polls the virtual bridge's `GET /api/<username>/lights/<id>` until its state
/// satisfies `want`; answers the light.
async fn light_until(
    bridge: &Running,
    username: &str,
    id: &str,
    want: impl Fn(&Value) -> bool,
) -> Value {
    let client = reqwest::Client::new();
    let url = format!("{}/api/{username}/lights/{id}", hue_base(bridge));
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let light: Value = client.get(&url).send().await.unwrap().json().await.unwrap();
        if want(&light["state"]) {
            return light;
        }
        assert!(
            Instant::now() < deadline,
            "light {id} never got there: {light}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn hsb(hue: u16) -> Hsb {
    Hsb {
        hue,
        sat: 200,
        bri: 150,
    }
}

fn shows(hue: u16) -> impl Fn(&Value) -> bool {
    move |state| {
        state["on"] == true && state["hue"] == hue && state["sat"] == 200 && state["bri"] == 150
    }
}

#[tokio::test]
async fn changes_reach_the_virtual_bridges_light_and_a_room_drives_it_through_its_queue() {
    let bridge_data = tempfile::tempdir().unwrap();
    let bridge = virtual_bridge(bridge_data.path(), 1).await;
    let username = paired(&bridge, "bulbwatch#driver-test").await;
    let driver = HueDriver::new(config(&hue_base(&bridge), &username, &["1"], 2000)).unwrap();

    // At start it finds the light, by the name the bridge gives it.
    let status = driver.status().await;
    assert_eq!(status.driver, "hue");
    assert_eq!(status.bridge.as_deref(), Some(hue_base(&bridge).as_str()));
    assert_eq!(status.problem, None, "{status:?}");
    assert_eq!(status.lights.len(), 1);
    assert_eq!(
        (status.lights[0].shard, status.lights[0].id.as_str()),
        (0, "1")
    );
    assert!(status.lights[0].reachable);
    assert!(
        !status.lights[0]
            .name
            .as_deref()
            .unwrap_or_default()
            .is_empty(),
        "{status:?}"
    );

    // A colour, then off (the colour kept), then on again.
    driver.apply(0, LightState::lit(hsb(12_000))).await.unwrap();
    light_until(&bridge, &username, "1", shows(12_000)).await;
    driver
        .apply(
            0,
            LightState {
                on: false,
                hsb: hsb(12_000),
            },
        )
        .await
        .unwrap();
    let dark = light_until(&bridge, &username, "1", |s| s["on"] == false).await;
    assert_eq!(dark["state"]["hue"], 12_000, "{dark}");
    driver.apply(0, LightState::lit(hsb(40_000))).await.unwrap();
    light_until(&bridge, &username, "1", shows(40_000)).await;
    // The bridge's room saw the paired app as the writer.
    let client = reqwest::Client::new();
    let shown = bridge.bulb(&client).await;
    assert_eq!(
        shown["applied_by"]["name"], "bulbwatch#driver-test",
        "{shown}"
    );

    // A whole room on the Hue driver: an attendee's change goes through its queue to
    // the bridge's light, and its page shows it as applied.
    let room_data = tempfile::tempdir().unwrap();
    let room = Running::start(room_data.path(), Arc::new(driver)).await;
    room.set_delay(&client, 0).await;
    let status = room
        .as_facilitator(&client, "GET", "/api/room/driver", Value::Null)
        .await;
    assert_eq!(status["problem"], Value::Null, "{status}");
    assert_eq!(status["lights"][0]["reachable"], true, "{status}");
    let ada = room.join(&client, "Ada").await;
    let accepted = room.set(&client, &ada, json!({"colour": "green"})).await;
    let green = bulbwatch::colour::parse_colour("green").unwrap().hsb;
    light_until(&bridge, &username, "1", |s| {
        s["on"] == true && s["hue"] == green.hue && s["sat"] == green.sat
    })
    .await;
    let state = room.drained(&client, Duration::from_secs(20)).await;
    assert_eq!(state["request_id"], accepted["request_id"], "{state}");
    assert_eq!(state["colour"], "green");
    room.shut_down().await;
    bridge.shut_down().await;
}

#[tokio::test]
async fn the_eleventh_command_to_a_light_in_one_instant_waits_for_its_turn() {
    let data = tempfile::tempdir().unwrap();
    let bridge = virtual_bridge(data.path(), 2).await;
    let username = paired(&bridge, "bulbwatch#pace-test").await;
    let pace = FakePace::default();
    let driver = Arc::new(
        HueDriver::with_pace(
            config(&hue_base(&bridge), &username, &["1", "2"], 2000),
            pace.clone(),
        )
        .unwrap(),
    );

    // Ten at once: the light's burst. The clock never moves.
    for n in 0..10u16 {
        driver
            .apply(0, LightState::lit(hsb(1_000 + n)))
            .await
            .unwrap();
    }
    assert_eq!(pace.waiting(), 0);
    let mut eleventh = tokio::spawn({
        let driver = Arc::clone(&driver);
        async move { driver.apply(0, LightState::lit(hsb(1_010))).await }
    });
    tokio::select! {
        () = pace.until_waiting(1) => {}
        sent = &mut eleventh => panic!("the eleventh went at once: {sent:?}"),
    }
    // The other light is not held up by this one's limit.
    driver.apply(1, LightState::lit(hsb(2_000))).await.unwrap();
    light_until(&bridge, &username, "2", shows(2_000)).await;
    // The bridge got the tenth and not the eleventh, which still waits.
    light_until(&bridge, &username, "1", shows(1_009)).await;
    assert!(!eleventh.is_finished());
    assert_eq!(pace.waiting(), 1);

    // One command's time (100 ms at 10 a second) later, it goes.
    pace.advance(Duration::from_millis(100));
    eleventh.await.unwrap().unwrap();
    assert_eq!(pace.waiting(), 0);
    light_until(&bridge, &username, "1", shows(1_010)).await;
    bridge.shut_down().await;
}

#[tokio::test]
async fn hues_error_answers_arrive_typed_on_the_change_the_console_and_the_span() {
    let data = tempfile::tempdir().unwrap();
    let bridge = virtual_bridge(data.path(), 1).await;
    let base = hue_base(&bridge);
    let username = paired(&bridge, "bulbwatch#errors-test").await;

    // 1: a username the bridge never gave.
    let stranger = HueDriver::new(config(&base, "never-paired", &["1"], 2000)).unwrap();
    let err = stranger.apply(0, LightState::lit(RED)).await.unwrap_err();
    assert_eq!(err.error_type(), Some(1), "{err}");
    assert!(
        matches!(&err, DriverError::Hue(HueError::Api(e)) if e.kind == HueErrorType::UnauthorizedUser)
    );
    assert_eq!(err.error_description(), Some("unauthorized user"));
    let status = stranger.status().await;
    let problem = status.problem.unwrap();
    assert!(
        problem.contains(&format!("run `bulbwatch hue pair --bridge {base}`")),
        "{problem}"
    );

    // 3: a light the bridge does not have (its room has one shard, one light).
    let driver = HueDriver::new(config(&base, &username, &["1", "9"], 2000)).unwrap();
    let err = driver.apply(1, LightState::lit(RED)).await.unwrap_err();
    assert_eq!(err.error_type(), Some(3), "{err}");
    assert_eq!(
        err.error_description(),
        Some("resource, /lights/9, not available")
    );
    let status = driver.status().await;
    assert!(
        status.lights[0].reachable && !status.lights[1].reachable,
        "{status:?}"
    );
    let problem = status.problem.unwrap();
    assert!(
        problem.starts_with(&format!(
            "light 9 is not on the bridge at {base}: it has 1 (\""
        )),
        "{problem}"
    );

    // 7: a value out of Hue's range (saturation 255); the bridge names the parameter.
    let err = driver
        .apply(
            0,
            LightState::lit(Hsb {
                hue: 0,
                sat: 255,
                bri: 100,
            }),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, DriverError::Hue(HueError::Api(e))
            if e.kind == HueErrorType::InvalidValue && e.address == "/lights/1/state/sat"),
        "{err:?}"
    );
    assert_eq!(err.error_type(), Some(7));

    // 7 again, from pairing: a device type longer than Hue allows.
    let long = format!("bulbwatch#{}", "x".repeat(40));
    bridge
        .as_facilitator(
            &reqwest::Client::new(),
            "POST",
            "/api/room/hue/link-button",
            Value::Null,
        )
        .await;
    let refused = pair(&base, &long, Duration::from_secs(5), |_| {})
        .await
        .unwrap_err();
    assert!(
        matches!(&refused, bulbwatch::bulb::driver::hue::PairError::Refused(e) if e.kind == HueErrorType::InvalidValue),
        "{refused:?}"
    );

    // Through a room's queue: the driver span carries Hue's type and description,
    // as columns of the bulb dataset.
    let room_data = tempfile::tempdir().unwrap();
    let room = Running::start(room_data.path(), Arc::new(driver)).await;
    let client = reqwest::Client::new();
    room.set_delay(&client, 0).await;
    room.set_point(&client, "bulb.apply.outcome", true).await;
    room.as_facilitator(&client, "PUT", "/api/room/shards", json!({"shards": 2}))
        .await;
    let ada = room.join(&client, "Ada").await;
    let res = client
        .put(room.url("/api/bulb?shard=1"))
        .bearer_auth(&ada)
        .json(&json!({"colour": "red"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 202);
    let spans = driver_spans(&room, 1).await;
    assert_eq!(spans[0]["error_type"], 3, "{spans:#?}");
    assert_eq!(
        spans[0]["error_description"],
        "resource, /lights/9, not available"
    );
    assert!(
        spans[0]["error"]
            .as_str()
            .unwrap()
            .contains("error 3 (resource not available)")
    );
    let columns = room
        .get_json(&client, "/api/datasets/bulb/columns", Some(&ada))
        .await;
    let column = |name: &str| {
        columns
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .map(|c| c["column_type"].clone())
    };
    assert_eq!(column("error_type"), Some(json!("integer")), "{columns}");
    assert_eq!(
        column("error_description"),
        Some(json!("string")),
        "{columns}"
    );
    room.shut_down().await;
    bridge.shut_down().await;
}

#[tokio::test]
async fn pairing_with_the_cli_survives_the_bridges_restart() {
    let data = tempfile::tempdir().unwrap();
    let bridge = virtual_bridge(data.path(), 1).await;
    let base = hue_base(&bridge);
    let client = reqwest::Client::new();

    // Nobody presses the button: it asks, says so, and gives up with exit 1.
    let (code, out, err) = hue_pair(&["--bridge", &base, "--wait-s", "1"]).await;
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(
        err.contains("Press the link button on the bridge… 1 s left"),
        "{err}"
    );
    assert!(
        err.contains("the link button was not pressed within 1 s"),
        "{err}"
    );

    bridge
        .as_facilitator(&client, "POST", "/api/room/hue/link-button", Value::Null)
        .await;
    let (code, out, err) = hue_pair(&["--bridge", &base, "--devicetype", "bulbwatch#cli"]).await;
    assert_eq!(code, Some(0), "{out}{err}");
    let lines: Vec<&str> = out.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with("Username"))
        .unwrap();
    let username = lines[at + 1].trim().to_string();
    assert!(!username.is_empty());
    assert!(
        out.starts_with(&format!(
            "Paired with the Hue bridge at {base} as bulbwatch#cli."
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "bulbwatch serve --hue-bridge {base} --hue-username {username} --hue-lights 1"
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "BULBWATCH_HUE_BRIDGE={base} BULBWATCH_HUE_USERNAME={username} BULBWATCH_HUE_LIGHTS=1 bulbwatch serve"
        )),
        "{out}"
    );

    // The bridge restarts on the same data (on another port): the username still
    // works, without pressing the button again.
    bridge.shut_down().await;
    let bridge = virtual_bridge(data.path(), 1).await;
    let driver = HueDriver::new(config(&hue_base(&bridge), &username, &["1"], 2000)).unwrap();
    assert_eq!(driver.status().await.problem, None);
    driver.apply(0, LightState::lit(hsb(30_000))).await.unwrap();
    light_until(&bridge, &username, "1", shows(30_000)).await;
    bridge.shut_down().await;
}
