//! Router tests for recorded runs: the `e2e` event, history, a run's page, and that
//! runs can only be posted as yourself.

mod support;

use axum::http::StatusCode;
use serde_json::{Value, json};
use support::{TestApp, assert_error, body_json, json_request, raw_request, test_app};

fn report(verdict: &str, failure: Value) -> Value {
    json!({
        "verdict": verdict,
        "failure": failure,
        "steps": [{"name": "set colour", "started_ms": 0.0, "duration_ms": 4.0, "outcome": "pass", "depth": 0}],
        "requests": [{"method": "PUT", "path": "/api/bulb", "status": 202, "duration_ms": 3.0,
                      "trace_id": "0af7651916cd43dd8448eb211c80319c", "span_id": "b7ad6b7169203331",
                      "step": "set colour"}],
        "logs": [],
        "duration_ms": 1234.5,
        "trace_id": "0af7651916cd43dd8448eb211c80319c",
        "iterations": 7,
        "colour": "green",
        "request_id": "abc123",
        "shard": 2
    })
}

fn failed() -> Value {
    report(
        "fail",
        json!({"message": "poll gave up after 30 tries", "line": 12, "column": 5,
               "step": "wait for the bulb", "kind": "assertion",
               "expected": "green", "actual": "white"}),
    )
}

async fn post_run(
    app: &TestApp,
    token: &str,
    body: Value,
) -> axum::http::Response<axum::body::Body> {
    app.send(json_request("POST", "/api/runs", &body, Some(token)))
        .await
}

#[tokio::test]
async fn a_run_is_recorded_as_an_e2e_event_of_the_caller() {
    let app = test_app().await;
    let token = app.join("Ada").await;
    let res = post_run(
        &app,
        &token,
        json!({"check_name": "classic", "report": failed()}),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let summary = body_json(res).await;
    assert_eq!(summary["verdict"], "fail");
    assert_eq!(summary["message"], "poll gave up after 30 tries");

    let events = app.state.store.events("e2e").await.unwrap();
    assert_eq!(events.len(), 1);
    let e = &events[0];
    for (field, expected) in [
        ("attendee", json!("Ada")),
        ("check", json!("classic")),
        ("success", json!(false)),
        ("duration_ms", json!(1234.5)),
        ("iterations", json!(7)),
        ("colour", json!("green")),
        ("input_form", json!("name")),
        ("shard", json!(2)),
        ("request_id", json!("abc123")),
        ("failed_step", json!("wait for the bulb")),
        ("expected", json!("green")),
        ("actual", json!("white")),
        ("message", json!("poll gave up after 30 tries")),
        ("trace_id", json!("0af7651916cd43dd8448eb211c80319c")),
    ] {
        assert_eq!(e[field], expected, "{field} in {e}");
    }
    assert!(e["started_at"].as_i64().unwrap() > 1_700_000_000_000);

    let run_id = summary["run_id"].as_str().unwrap();
    let detail = app
        .send(raw_request(
            "GET",
            &format!("/api/runs/{run_id}"),
            String::new(),
            Some(&token),
        ))
        .await;
    let detail = body_json(detail).await;
    assert_eq!(detail["attendee"]["name"], "Ada");
    assert_eq!(detail["report"]["failure"]["line"], 12);
    assert_eq!(
        detail["report"]["requests"][0]["span_id"],
        "b7ad6b7169203331"
    );
}

#[tokio::test]
async fn history_lists_my_runs_newest_first() {
    let app = test_app().await;
    let ada = app.join("Ada").await;
    let eve = app.join("Eve").await;
    post_run(
        &app,
        &ada,
        json!({"check_name": "classic", "report": report("pass", Value::Null)}),
    )
    .await;
    post_run(
        &app,
        &ada,
        json!({"check_name": "classic", "report": failed()}),
    )
    .await;
    post_run(
        &app,
        &eve,
        json!({"check_name": "eve's", "report": report("pass", Value::Null)}),
    )
    .await;

    let res = app
        .send(raw_request(
            "GET",
            "/api/runs?limit=10",
            String::new(),
            Some(&ada),
        ))
        .await;
    let runs = body_json(res).await;
    let verdicts: Vec<&str> = runs
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(verdicts, ["fail", "pass"]);

    let res = app
        .send(raw_request(
            "GET",
            "/api/runs?limit=0",
            String::new(),
            Some(&ada),
        ))
        .await;
    assert_error(res, StatusCode::BAD_REQUEST, "invalid_input").await;
    let res = app
        .send(raw_request(
            "GET",
            "/api/runs?limit=x",
            String::new(),
            Some(&ada),
        ))
        .await;
    assert_error(res, StatusCode::BAD_REQUEST, "invalid_input").await;
}

#[tokio::test]
async fn runs_of_a_saved_check_can_be_filtered_and_must_be_mine() {
    let app = test_app().await;
    let ada = app.join("Ada").await;
    let eve = app.join("Eve").await;
    let res = app
        .send(json_request(
            "POST",
            "/api/checks",
            &json!({"name": "classic", "source": "x"}),
            Some(&ada),
        ))
        .await;
    let check_id = body_json(res).await["id"].as_str().unwrap().to_string();
    let res = post_run(
        &app,
        &ada,
        json!({"check_id": check_id, "check_name": "classic", "report": failed()}),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    post_run(
        &app,
        &ada,
        json!({"check_name": "scratch", "report": failed()}),
    )
    .await;
    let res = app
        .send(raw_request(
            "GET",
            &format!("/api/runs?check_id={check_id}"),
            String::new(),
            Some(&ada),
        ))
        .await;
    assert_eq!(body_json(res).await.as_array().unwrap().len(), 1);

    let res = post_run(
        &app,
        &eve,
        json!({"check_id": check_id, "check_name": "classic", "report": failed()}),
    )
    .await;
    let msg = assert_error(res, StatusCode::BAD_REQUEST, "invalid_input").await;
    assert!(msg.contains("not one of your checks"), "{msg}");
}

#[tokio::test]
async fn runs_cannot_be_posted_as_someone_else_or_malformed() {
    let app = test_app().await;
    let token = app.join("Ada").await;
    let res = post_run(
        &app,
        &token,
        json!({"check_name": "c", "attendee": "Grace", "report": failed()}),
    )
    .await;
    let msg = assert_error(res, StatusCode::BAD_REQUEST, "invalid_json").await;
    assert!(msg.contains("unknown field `attendee`"), "{msg}");
    let res = app
        .send(json_request(
            "POST",
            "/api/runs",
            &json!({"check_name": "c", "report": failed()}),
            None,
        ))
        .await;
    assert_error(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let res = post_run(&app, &token, json!({"check_name": "", "report": failed()})).await;
    assert_error(res, StatusCode::BAD_REQUEST, "invalid_input").await;
    let mut bad = failed();
    bad["verdict"] = json!("maybe");
    let res = post_run(&app, &token, json!({"check_name": "c", "report": bad})).await;
    assert_error(res, StatusCode::BAD_REQUEST, "invalid_json").await;
    let mut negative = failed();
    negative["duration_ms"] = json!(-5.0);
    let res = post_run(&app, &token, json!({"check_name": "c", "report": negative})).await;
    assert_error(res, StatusCode::BAD_REQUEST, "invalid_input").await;
    assert!(app.state.store.events("e2e").await.unwrap().is_empty());
    let res = app
        .send(raw_request(
            "GET",
            "/api/runs/nope",
            String::new(),
            Some(&token),
        ))
        .await;
    assert_error(res, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn reports_may_be_larger_than_other_bodies_but_are_bounded() {
    let app = test_app().await;
    let token = app.join("Ada").await;
    let mut big = failed();
    let line = json!({"at_ms": 1.0, "text": "x".repeat(500)});
    big["logs"] = Value::Array(vec![line; 200]);
    let res = post_run(&app, &token, json!({"check_name": "chatty", "report": big})).await;
    assert_eq!(
        res.status(),
        StatusCode::CREATED,
        "a report at the engine's caps fits"
    );

    let mut huge = failed();
    huge["logs"] = Value::Array(vec![json!({"at_ms": 1.0, "text": "x".repeat(10_000)}); 60]);
    let res = post_run(&app, &token, json!({"check_name": "huge", "report": huge})).await;
    assert_error(res, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
    assert_eq!(app.state.store.events("e2e").await.unwrap().len(), 1);
}

#[tokio::test]
async fn reports_are_held_to_the_engine_s_own_limits() {
    let app = test_app().await;
    let token = app.join("Ada").await;
    let limits = bulbwatch_checks::Limits::default();

    let mut unknown = failed();
    unknown["failure"]["secret"] = json!("hidden payload");
    let res = post_run(&app, &token, json!({"check_name": "c", "report": unknown})).await;
    let msg = assert_error(res, StatusCode::BAD_REQUEST, "invalid_json").await;
    assert!(msg.contains("unknown field `secret`"), "{msg}");

    let mut top_level = failed();
    top_level["extra"] = json!(1);
    let res = post_run(
        &app,
        &token,
        json!({"check_name": "c", "report": top_level}),
    )
    .await;
    let msg = assert_error(res, StatusCode::BAD_REQUEST, "invalid_json").await;
    assert!(msg.contains("unknown field `extra`"), "{msg}");

    let mut long_message = failed();
    long_message["failure"]["message"] = json!("x".repeat(limits.max_log_chars + 1));
    let res = post_run(
        &app,
        &token,
        json!({"check_name": "c", "report": long_message}),
    )
    .await;
    let msg = assert_error(res, StatusCode::BAD_REQUEST, "invalid_input").await;
    assert!(msg.starts_with("report.failure.message: at most"), "{msg}");

    let mut long_actual = failed();
    long_actual["failure"]["actual"] = json!("y".repeat(limits.max_log_chars + 1));
    let res = post_run(
        &app,
        &token,
        json!({"check_name": "c", "report": long_actual}),
    )
    .await;
    let msg = assert_error(res, StatusCode::BAD_REQUEST, "invalid_input").await;
    assert!(msg.starts_with("report.failure.actual: "), "{msg}");

    let mut many_logs = failed();
    many_logs["logs"] = (0..=limits.max_logs)
        .map(|i| json!({"at_ms": i as f64, "text": "tick"}))
        .collect();
    let res = post_run(
        &app,
        &token,
        json!({"check_name": "c", "report": many_logs}),
    )
    .await;
    let msg = assert_error(res, StatusCode::BAD_REQUEST, "invalid_input").await;
    assert!(msg.starts_with("report.logs: at most"), "{msg}");

    // None of them was stored; a report at the limits is.
    assert!(app.state.store.events("e2e").await.unwrap().is_empty());
    let mut at_limits = failed();
    at_limits["failure"]["message"] = json!("x".repeat(limits.max_log_chars));
    at_limits["logs"] = (0..limits.max_logs)
        .map(|i| json!({"at_ms": i as f64, "text": "z".repeat(limits.max_log_chars)}))
        .collect();
    let res = post_run(
        &app,
        &token,
        json!({"check_name": "c", "report": at_limits}),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CREATED);
}
