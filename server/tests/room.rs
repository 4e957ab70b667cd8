//! The facilitator's room: phases, diagnoses and the reveal survive a restart; the
//! board follows recorded runs; rate limits stop one attendee's flood without
//! slowing another; a new session exports everything before it empties the room.

mod support;

use std::io::Read;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use serde_json::{Value, json};
use support::running::Running;
use support::{RecordingBulb, TestApp, assert_error, body_json, get, json_request, test_app};

async fn put(app: &TestApp, path: &str, body: Value, token: &str) -> (StatusCode, Value) {
    let res = app
        .send(json_request("PUT", path, &body, Some(token)))
        .await;
    (res.status(), body_json(res).await)
}

async fn post(app: &TestApp, path: &str, body: Value, token: &str) -> (StatusCode, Value) {
    let res = app
        .send(json_request("POST", path, &body, Some(token)))
        .await;
    (res.status(), body_json(res).await)
}

async fn get_as(app: &TestApp, path: &str, token: &str) -> Value {
    let req = support::raw_request("GET", path, String::new(), Some(token));
    body_json(app.send(req).await).await
}

fn report(passed: bool) -> Value {
    support::run_report(passed)
}

#[tokio::test]
async fn phase_code_switches_diagnoses_and_reveal_survive_a_restart() {
    let app = test_app().await;
    let facilitator = app.facilitator();
    let ada = app.join("Ada").await;
    let (status, room) = put(
        &app,
        "/api/room/phase",
        json!({"phase": "investigate"}),
        &facilitator,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{room}");
    assert_eq!(room["phase"], "investigate");
    put(
        &app,
        "/api/room/switches/attendees_switch_points",
        json!({"on": true}),
        &facilitator,
    )
    .await;
    let (_, info) = put(
        &app,
        "/api/room/join",
        json!({"code": "kmn-prt"}),
        &facilitator,
    )
    .await;
    assert_eq!(info["code"], "KMNPRT");
    let evidence = "/explore?q=%7B%22dataset%22%3A%22bulb%22%7D";
    let (status, diagnosis) = put(
        &app,
        "/api/diagnosis",
        json!({"text": "the queue backs up", "evidence": evidence}),
        &ada,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{diagnosis}");
    assert_eq!(diagnosis["revision"], 1);
    let (_, revised) = put(
        &app,
        "/api/diagnosis",
        json!({"text": "the queue backs up: delay_ms grows with queue_length", "evidence": evidence}),
        &ada,
    )
    .await;
    assert_eq!(revised["revision"], 2);
    let ada_id = revised["attendee"]["id"].as_str().unwrap().to_string();
    let (_, marked) = put(
        &app,
        &format!("/api/room/diagnoses/{ada_id}"),
        json!({"right": true}),
        &facilitator,
    )
    .await;
    assert_eq!(marked["right"], true);
    let (status, _) = put(
        &app,
        "/api/room/scenarios/busy_queue",
        json!({"on": true, "value": 900}),
        &facilitator,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, room) = post(&app, "/api/room/reveal", json!({}), &facilitator).await;
    assert_eq!(status, StatusCode::OK);
    // The shared bulb is always there; then each scenario switched on.
    assert_eq!(room["reveal"]["causes"][0]["title"], "Shared bulb");
    let cause = &room["reveal"]["causes"][1];
    assert_eq!(cause["title"], "Busy queue");
    assert!(
        cause["text"].as_str().unwrap().contains("900 ms"),
        "{cause}"
    );
    assert!(
        cause["explore_url"]
            .as_str()
            .unwrap()
            .starts_with("/explore?q=%7B")
    );

    let app = app.restart().await;
    let room = body_json(app.send(get("/api/room")).await).await;
    assert_eq!(room["phase"], "investigate");
    assert_eq!(room["attendees_switch_points"], true);
    assert_eq!(room["reveal"]["causes"][1]["title"], "Busy queue");
    assert_eq!(app.state.room.join_code(), "KMNPRT");
    let scenarios = get_as(&app, "/api/room/scenarios", &facilitator).await;
    let busy = &scenarios["scenarios"][1];
    assert_eq!(
        (&busy["id"], &busy["on"], &busy["setting"]["value"]),
        (&json!("busy_queue"), &json!(true), &json!(900)),
        "the scenario and its setting survive the restart"
    );
    assert_eq!(
        app.facilitator(),
        facilitator,
        "the secret is kept in the data dir"
    );
    let mine = get_as(&app, "/api/diagnosis", &ada).await;
    assert_eq!(mine["revision"], 2);
    assert_eq!(mine["right"], true);
    assert_eq!(mine["evidence"], evidence);

    // Every phase change, switch, scenario and reveal is a marker.
    let markers = body_json(app.send(get("/api/markers")).await).await;
    let kinds: Vec<&str> = markers
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["phase", "room_switch", "scenario", "reveal"],
        "{markers}"
    );
    assert_eq!(markers[2]["text"], "queue delay raised to 900 ms");
    assert_eq!(markers[0]["text"], "phase: Investigate");
}

#[tokio::test]
async fn bad_room_input_names_what_is_wrong() {
    let app = test_app().await;
    let facilitator = app.facilitator();
    let ada = app.join("Ada").await;
    let res = app
        .send(json_request(
            "PUT",
            "/api/room/phase",
            &json!({"phase": "party"}),
            Some(&facilitator),
        ))
        .await;
    let message = assert_error(res, StatusCode::BAD_REQUEST, "invalid_json").await;
    assert!(message.contains("phase"), "{message}");
    let res = app
        .send(json_request(
            "PUT",
            "/api/room/join",
            &json!({"code": "HELLO1"}),
            Some(&facilitator),
        ))
        .await;
    let message = assert_error(res, StatusCode::BAD_REQUEST, "invalid_input").await;
    assert!(message.contains("misread"), "{message}");
    let res = app
        .send(json_request(
            "PUT",
            "/api/room/switches/disco",
            &json!({"on": true}),
            Some(&facilitator),
        ))
        .await;
    assert_error(res, StatusCode::NOT_FOUND, "not_found").await;
    for (body, says) in [
        (json!({"text": ""}), "1–500 characters, got 0"),
        (json!({"text": "x".repeat(501)}), "got 501"),
        (
            json!({"text": "x", "evidence": "https://evil.example"}),
            "Explore address",
        ),
    ] {
        let res = app
            .send(json_request("PUT", "/api/diagnosis", &body, Some(&ada)))
            .await;
        let message = assert_error(res, StatusCode::BAD_REQUEST, "invalid_input").await;
        assert!(message.contains(says), "{message}");
    }
    let res = app
        .send(support::raw_request(
            "GET",
            "/api/diagnosis",
            String::new(),
            Some(&ada),
        ))
        .await;
    assert_error(res, StatusCode::NOT_FOUND, "not_found").await;
    let res = app
        .send(json_request(
            "PUT",
            "/api/room/diagnoses/nobody",
            &json!({"right": true}),
            Some(&facilitator),
        ))
        .await;
    assert_error(res, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn the_board_shows_each_attendees_runs_schedule_and_diagnosis() {
    let app = test_app().await;
    let facilitator = app.facilitator();
    let ada = app.join("Ada").await;
    let grace = app.join("Grace").await;
    for passed in [true, false, true] {
        let (status, _) = post(
            &app,
            "/api/runs",
            json!({"check_name": "classic", "report": report(passed), "scheduled": true}),
            &ada,
        )
        .await;
        assert_eq!(status, StatusCode::CREATED);
    }
    post(
        &app,
        "/api/runs",
        json!({"check_name": "classic", "report": report(false)}),
        &grace,
    )
    .await;
    put(
        &app,
        "/api/diagnosis",
        json!({"text": "green is lost"}),
        &grace,
    )
    .await;

    let board = get_as(&app, "/api/room/board", &facilitator).await;
    let tiles = board["tiles"].as_array().unwrap();
    assert_eq!(tiles.len(), 2);
    assert_eq!(tiles[0]["attendee"]["name"], "Ada");
    assert_eq!(tiles[0]["last_verdict"], "pass");
    assert_eq!(
        (
            tiles[0]["recent_passed"].as_u64(),
            tiles[0]["recent_runs"].as_u64()
        ),
        (Some(2), Some(3))
    );
    assert_eq!(tiles[0]["scheduled"], true);
    assert_eq!(tiles[0]["diagnosis"], Value::Null);
    assert_eq!(tiles[1]["last_verdict"], "fail");
    assert_eq!(tiles[1]["scheduled"], false);
    assert_eq!(tiles[1]["diagnosis"]["text"], "green is lost");
    let slices = board["pass_rate"].as_array().unwrap();
    let runs: u64 = slices.iter().map(|s| s["runs"].as_u64().unwrap()).sum();
    let passed: u64 = slices.iter().map(|s| s["passed"].as_u64().unwrap()).sum();
    assert_eq!((runs, passed), (4, 2));
}

#[tokio::test]
async fn a_new_session_exports_everything_then_empties_the_room() {
    let app = test_app().await;
    let facilitator = app.facilitator();
    let ada = app.join("Ada").await;
    post(
        &app,
        "/api/checks",
        json!({"name": "classic", "source": "log(1);"}),
        &ada,
    )
    .await;
    post(
        &app,
        "/api/runs",
        json!({"check_name": "classic", "report": report(true)}),
        &ada,
    )
    .await;
    put(&app, "/api/diagnosis", json!({"text": "the queue"}), &ada).await;
    put(
        &app,
        "/api/room/phase",
        json!({"phase": "reveal"}),
        &facilitator,
    )
    .await;

    let (status, answer) = post(
        &app,
        "/api/room/sessions",
        json!({"confirm": false}),
        &facilitator,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
    assert_eq!(
        get_as(&app, "/api/attendees/me", &ada).await["name"],
        "Ada",
        "nothing went"
    );

    let (status, exported) = post(
        &app,
        "/api/room/sessions",
        json!({"confirm": true}),
        &facilitator,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{exported}");
    assert_eq!(
        (
            exported["attendees"].as_u64(),
            exported["check_versions"].as_u64(),
            exported["runs"].as_u64(),
            exported["diagnoses"].as_u64()
        ),
        (Some(1), Some(1), Some(1), Some(1))
    );
    // The export holds every record, one JSON object a line.
    let file = std::fs::File::open(exported["export_file"].as_str().unwrap()).unwrap();
    let mut text = String::new();
    flate2::read::GzDecoder::new(file)
        .read_to_string(&mut text)
        .unwrap();
    let records: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let of = |kind: &str| records.iter().filter(|r| r["type"] == kind).count();
    assert_eq!(
        (
            of("attendee"),
            of("check_version"),
            of("run"),
            of("diagnosis")
        ),
        (1, 1, 1, 1)
    );
    assert!(of("event") >= 1, "the run's e2e event");
    assert!(of("marker") >= 1, "the phase change");
    let run = records.iter().find(|r| r["type"] == "run").unwrap();
    assert_eq!(run["report"]["verdict"], "pass");

    // The room is empty: Ada must join again, the phase is back to the lobby.
    let res = app
        .send(support::raw_request(
            "GET",
            "/api/attendees/me",
            String::new(),
            Some(&ada),
        ))
        .await;
    assert_error(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_eq!(
        body_json(app.send(get("/api/room")).await).await["phase"],
        "lobby"
    );
    let board = get_as(&app, "/api/room/board", &facilitator).await;
    assert_eq!(board["tiles"], json!([]));
    let stats = body_json(app.send(get("/api/events/stats")).await).await;
    assert_eq!(stats["datasets"]["e2e"]["events"], 0, "{stats}");
    let again = app.join("Ada").await;
    let (_, runs) = (StatusCode::OK, get_as(&app, "/api/runs", &again).await);
    assert_eq!(runs, json!([]));
}

/// A flood from one attendee gets 429s; another attendee's changes still get 202
/// promptly (the bound is loose: it catches starvation, not speed).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_attendees_flood_is_refused_while_another_is_served() {
    let dir = tempfile::tempdir().unwrap();
    let server = Running::start(dir.path(), Arc::new(RecordingBulb::default())).await;
    let client = reqwest::Client::new();
    let flooder = server.join(&client, "Flood").await;
    let calm = server.join(&client, "Calm").await;
    server.set_delay(&client, 0).await;

    let flood = (0..200).map(|_| {
        let (client, url, token) = (client.clone(), server.url("/api/bulb"), flooder.clone());
        tokio::spawn(async move {
            let res = client
                .put(url)
                .bearer_auth(token)
                .json(&json!({"colour": "red"}))
                .send()
                .await
                .unwrap();
            let retry = res
                .headers()
                .get("retry-after")
                .map(|v| v.to_str().unwrap().to_string());
            (res.status().as_u16(), retry)
        })
    });
    let flood: Vec<_> = flood.collect();
    let mut calm_latencies = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        let res = client
            .put(server.url("/api/bulb"))
            .bearer_auth(&calm)
            .json(&json!({"colour": "blue"}))
            .send()
            .await
            .unwrap();
        calm_latencies.push(started.elapsed());
        assert_eq!(
            res.status(),
            202,
            "the calm attendee is served during the flood"
        );
    }
    let mut refused = 0;
    for task in flood {
        let (status, retry) = task.await.unwrap();
        if status == 429 {
            refused += 1;
            assert!(retry.is_some(), "a 429 says when to retry");
        } else {
            assert_eq!(status, 202);
        }
    }
    let (burst, _) = bulbwatch::limits::Write::BulbChange.quota();
    assert!(
        refused >= 200 - burst as usize - 5,
        "{refused} of 200 refused"
    );
    let slowest = calm_latencies.iter().max().unwrap();
    assert!(
        *slowest < Duration::from_secs(2),
        "the calm attendee waited {slowest:?}"
    );
    server.shut_down().await;
}

#[tokio::test]
async fn bad_scenario_and_rehearsal_input_names_what_is_wrong() {
    let app = test_app().await;
    let facilitator = app.facilitator();
    let cases = [
        (
            "/api/room/scenarios/no_such",
            json!({"on": true}),
            StatusCode::NOT_FOUND,
            "no scenario \"no_such\"; GET /api/room/scenarios lists them",
        ),
        (
            "/api/room/scenarios/shared_bulb",
            json!({"on": false}),
            StatusCode::BAD_REQUEST,
            "Shared bulb is always on: it is how the bulb works, not a fault",
        ),
        (
            "/api/room/scenarios/busy_queue",
            json!({"on": true, "value": 99999}),
            StatusCode::BAD_REQUEST,
            "queue delay of Busy queue must be 0–2000 ms, got 99999",
        ),
        (
            "/api/room/scenarios/flaky_green",
            json!({"on": true, "value": 3}),
            StatusCode::BAD_REQUEST,
            "Flaky green has no setting: send only `on`",
        ),
        (
            "/api/room/rehearsal",
            json!({"attendees": 51}),
            StatusCode::BAD_REQUEST,
            "a rehearsal room holds 0–50 simulated attendees, got 51",
        ),
        (
            "/api/room/rehearsal",
            json!({"attendees": 1, "interval_ms": 10}),
            StatusCode::BAD_REQUEST,
            "interval_ms must be 1000–60000, got 10",
        ),
    ];
    for (path, body, status, message) in cases {
        let res = app
            .send(json_request("PUT", path, &body, Some(&facilitator)))
            .await;
        let code = if status == StatusCode::NOT_FOUND {
            "not_found"
        } else {
            "invalid_input"
        };
        let msg = assert_error(res, status, code).await;
        assert_eq!(msg, message, "{path} {body}");
    }
    // Nothing was switched.
    let board = get_as(&app, "/api/room/scenarios", &facilitator).await;
    let on: Vec<&str> = board["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["on"] == true)
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(on, ["shared_bulb"]);
    assert_eq!(board["rehearsal"]["running"], 0);
}

#[tokio::test]
async fn a_diagnosis_whose_evidence_groups_by_a_cause_points_at_its_scenario() {
    let app = test_app().await;
    let facilitator = app.facilitator();
    let (status, _) = put(
        &app,
        "/api/room/scenarios/flaky_green",
        json!({"on": true}),
        &facilitator,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let by = |column: &str| {
        let spec = json!({"dataset": "bulb", "breakdowns": [column],
                          "filters": [{"column": "succeeded", "op": "=", "value": false}]});
        bulbwatch::room::reveal::explore_url(&spec)
    };
    let ada = app.join("Ada").await;
    let bob = app.join("Bob").await;
    for (token, column) in [(&ada, "colour"), (&bob, "attendee")] {
        let (status, _) = put(
            &app,
            "/api/diagnosis",
            json!({"text": "look at this", "evidence": by(column)}),
            token,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
    }
    let board = get_as(&app, "/api/room/board", &facilitator).await;
    let points: Vec<(&str, &Value)> = board["tiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["attendee"]["name"].as_str().unwrap(), &t["points_at"]))
        .collect();
    assert_eq!(
        points,
        [("Ada", &json!(["Flaky green"])), ("Bob", &json!([]))]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_seed_is_kept_and_can_be_fixed() {
    let data_dir = tempfile::tempdir().unwrap();
    let start = |seed| {
        Running::start_seeded(
            data_dir.path(),
            Arc::new(RecordingBulb::default()),
            bulbwatch::TelemetrySettings::default(),
            seed,
        )
    };
    let seed_of = |server: &Running| server.state.scenarios.seed();
    let server = start(None).await;
    let made = seed_of(&server);
    assert!(made < 1_000_000, "short enough to type: {made}");
    server.shut_down().await;
    let server = start(None).await;
    assert_eq!(seed_of(&server), made, "kept in the data dir");
    server.shut_down().await;
    let server = start(Some(42)).await;
    assert_eq!(seed_of(&server), 42, "--seed fixes it");
    let client = reqwest::Client::new();
    let board = server
        .as_facilitator(&client, "GET", "/api/room/scenarios", Value::Null)
        .await;
    assert_eq!(board["seed"], 42, "the console shows it");
    server.shut_down().await;
}
