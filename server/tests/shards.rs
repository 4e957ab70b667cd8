//! Shards: each its own bulb, queue and worker. Changes to two shards apply in
//! parallel; a check can pin a shard; a restart keeps the shard count and every
//! shard's queue; bad shard numbers are refused with a message.

mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use bulbwatch::TelemetrySettings;
use bulbwatch::bulb::shard_of;
use serde_json::{Value, json};
use support::running::Running;
use support::{RecordingBulb, assert_error, body_json, get, json_request, test_app};

async fn set_shards(server: &Running, client: &reqwest::Client, shards: u32) -> Value {
    server
        .as_facilitator(
            client,
            "PUT",
            "/api/room/shards",
            json!({ "shards": shards }),
        )
        .await
}

async fn put_on(server: &Running, client: &reqwest::Client, token: &str, shard: u32) -> Value {
    let res = client
        .put(server.url(&format!("/api/bulb?shard={shard}")))
        .bearer_auth(token)
        .json(&json!({"colour": "blue"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 202);
    res.json().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changes_to_two_shards_apply_in_parallel() {
    let data_dir = tempfile::tempdir().unwrap();
    let bulb = Arc::new(RecordingBulb::default());
    let server = Running::start(data_dir.path(), bulb.clone()).await;
    let client = reqwest::Client::new();
    let board = set_shards(&server, &client, 2).await;
    assert_eq!(board["shards"], 2);
    server.set_delay(&client, 300).await;
    let ada = server.join(&client, "Ada").await;
    for shard in [0, 0, 0, 1, 1, 1] {
        let accepted = put_on(&server, &client, &ada, shard).await;
        assert_eq!(accepted["shard"], shard);
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    while bulb.applied_on().len() < 6 {
        assert!(Instant::now() < deadline, "{:?}", bulb.applied_on());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let order: Vec<u32> = bulb.applied_on().iter().map(|(_, shard)| *shard).collect();
    // One queue would apply 0, 0, 0, 1, 1, 1; two workers interleave.
    assert_ne!(order, [0, 0, 0, 1, 1, 1], "the shards took turns");
    let first_on_1 = order.iter().position(|s| *s == 1).unwrap();
    let last_on_0 = order.iter().rposition(|s| *s == 0).unwrap();
    assert!(first_on_1 < last_on_0, "{order:?}");
    // Each shard's bulb shows its own last change; every page hears of both.
    let bulbs = server.get_json(&client, "/api/bulbs", None).await;
    let shards: Vec<&Value> = bulbs
        .as_array()
        .unwrap()
        .iter()
        .map(|b| &b["shard"])
        .collect();
    assert_eq!(shards, [&json!(0), &json!(1)]);
    server.shut_down().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pinned_check_hits_its_shard_and_its_run_says_so() {
    let data_dir = tempfile::tempdir().unwrap();
    let server = Running::start_with(
        data_dir.path(),
        Arc::new(RecordingBulb::default()),
        TelemetrySettings::default(),
    )
    .await;
    let client = reqwest::Client::new();
    set_shards(&server, &client, 3).await;
    server.set_delay(&client, 0).await;
    let ada = server.join(&client, "Ada").await;
    let me = server
        .get_json(&client, "/api/attendees/me", Some(&ada))
        .await;
    let own = shard_of(me["id"].as_str().unwrap(), 3);
    let pinned = (own + 1) % 3;

    let script = format!(
        r#"
        let a = bulb.set("red", {pinned});
        assert_eq(a.shard, {pinned}, "the shard of the pinned set");
        poll(30, 50, || {{
            assert_eq(bulb.get({pinned}).request_id, a.request_id, "pinned read");
            true
        }});
        let b = bulb.set("blue");
        assert_eq(b.shard, {own}, "my own shard");
        poll(30, 50, || {{
            assert_eq(bulb.get().request_id, b.request_id, "my bulb");
            true
        }});
        bulb.set("green", {pinned});
        "#
    );
    let (base, token) = (server.base.clone(), ada.clone());
    let report = tokio::task::spawn_blocking(move || {
        let http = bulbwatch::check_cli::transport::client().unwrap();
        let transport = std::rc::Rc::new(std::cell::RefCell::new(
            bulbwatch::check_cli::transport::BlockingTransport::new(http, base, token),
        ));
        bulbwatch_checks::run_check(
            &script,
            &bulbwatch_checks::RunOptions::new(bulbwatch_checks::trace_id_from_bytes([9; 16])),
            transport,
            std::rc::Rc::new(bulbwatch_checks::SystemClock),
            |_| {},
        )
    })
    .await
    .unwrap();
    assert!(report.passed(), "{:?}", report.failure);
    assert_eq!(report.shard, Some(pinned), "the last set's shard");

    // The run's e2e event carries the shard.
    let res = client
        .post(server.url("/api/runs"))
        .bearer_auth(&ada)
        .json(&json!({"check_name": "pinned", "report": report}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let answer: Value = client
        .post(server.url("/api/query"))
        .bearer_auth(&ada)
        .json(&json!({"dataset": "e2e", "calculations": [{"op": "COUNT"}],
                      "breakdowns": ["shard", "colour"], "time_range": 600}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let group = &answer["totals"][0]["group"];
    assert_eq!(group[0].as_f64(), Some(f64::from(pinned)), "{answer}");
    assert_eq!(group[1], "green");
    server.shut_down().await;
}

#[tokio::test]
async fn a_restart_keeps_the_shard_count_and_every_shards_queue() {
    let app = test_app().await;
    let facilitator = app.facilitator();
    let res = app
        .send(json_request(
            "PUT",
            "/api/room/shards",
            &json!({"shards": 3}),
            Some(&facilitator),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = app
        .send(json_request(
            "PUT",
            "/api/bulb/queue-delay",
            &json!({"queue_delay_ms": 2000}),
            Some(&facilitator),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let ada = app.join("Ada").await;
    for shard in [2, 2, 2, 1, 1] {
        let res = app
            .send(json_request(
                "PUT",
                &format!("/api/bulb?shard={shard}"),
                &json!({"colour": "red"}),
                Some(&ada),
            ))
            .await;
        assert_eq!(res.status(), StatusCode::ACCEPTED);
    }
    let app = app.restart().await;
    assert_eq!(app.state.bulb.shards(), 3);
    let room = body_json(app.send(get("/api/room")).await).await;
    assert_eq!(room["shards"], 3);
    // At most the first change of each shard was being applied when it stopped.
    assert!(app.state.bulb.state(2).queue_length >= 2);
    assert!(app.state.bulb.state(1).queue_length >= 1);
    assert_eq!(app.state.bulb.state(0).queue_length, 0);
    let bulbs = body_json(app.send(get("/api/bulbs")).await).await;
    assert_eq!(bulbs.as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn bad_shard_numbers_name_what_is_wrong() {
    let app = test_app().await;
    let facilitator = app.facilitator();
    let ada = app.join("Ada").await;
    let msg = assert_error(
        app.send(json_request(
            "PUT",
            "/api/bulb?shard=5",
            &json!({"colour": "red"}),
            Some(&ada),
        ))
        .await,
        StatusCode::BAD_REQUEST,
        "invalid_input",
    )
    .await;
    assert_eq!(msg, "shard must be 0–0 (the room has 1 shard), got 5");
    let msg = assert_error(
        app.send(get("/api/bulb?shard=two")).await,
        StatusCode::BAD_REQUEST,
        "invalid_input",
    )
    .await;
    assert!(msg.contains("only ?shard=N"), "{msg}");
    for shards in [0, 9] {
        let msg = assert_error(
            app.send(json_request(
                "PUT",
                "/api/room/shards",
                &json!({ "shards": shards }),
                Some(&facilitator),
            ))
            .await,
            StatusCode::BAD_REQUEST,
            "invalid_input",
        )
        .await;
        assert_eq!(msg, format!("shards must be 1–8, got {shards}"));
    }
    assert_eq!(app.state.bulb.shards(), 1, "nothing changed");
}
