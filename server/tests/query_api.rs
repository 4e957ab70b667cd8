//! The query endpoints over recorded runs (the `e2e` dataset): counts by success and
//! colour, columns with their types, selection vs baseline, markers in the window, a
//! window fitted to the data, specs refused with the field at fault, the same answer
//! after a restart (the tables are rebuilt from SQLite), and retention trimming SQLite
//! and memory alike.

mod support;

use std::collections::BTreeMap;
use std::time::Duration;

use axum::http::StatusCode;
use bulbwatch_api::Dataset;
use serde_json::{Value, json};
use support::{TestApp, assert_error, body_json, json_request, raw_request};

/// A run's report: `verdict` with a failure when it is not a pass.
fn report(passed: bool, colour: &str, duration_ms: f64) -> Value {
    let failure = if passed {
        Value::Null
    } else {
        json!({"message": "poll gave up after 30 tries", "line": 12, "column": 5,
               "step": "wait for the bulb", "kind": "assertion"})
    };
    json!({
        "verdict": if passed { "pass" } else { "fail" },
        "failure": failure,
        "steps": [], "requests": [], "logs": [],
        "duration_ms": duration_ms,
        "trace_id": "0af7651916cd43dd8448eb211c80319c",
        "iterations": 3,
        "colour": colour,
        "request_id": null
    })
}

async fn record(app: &TestApp, token: &str, passed: bool, colour: &str, duration_ms: f64) {
    let body = json!({"check_name": "classic", "report": report(passed, colour, duration_ms)});
    let res = app
        .send(json_request("POST", "/api/runs", &body, Some(token)))
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
}

async fn post(app: &TestApp, path: &str, token: &str, body: &Value) -> (StatusCode, Value) {
    let res = app
        .send(json_request("POST", path, body, Some(token)))
        .await;
    let status = res.status();
    (status, body_json(res).await)
}

/// A GET with the bearer token.
fn get_as(uri: &str, token: &str) -> axum::http::Request<axum::body::Body> {
    let mut req = support::get(uri);
    req.headers_mut()
        .insert("authorization", format!("Bearer {token}").parse().unwrap());
    req
}

/// Each group's values by its key (the breakdown values joined by `/`).
fn totals(answer: &Value) -> BTreeMap<String, Vec<Value>> {
    answer["totals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            let key: Vec<String> = row["group"]
                .as_array()
                .unwrap()
                .iter()
                .map(Value::to_string)
                .collect();
            (key.join("/"), row["values"].as_array().unwrap().clone())
        })
        .collect()
}

/// The room's runs: failures mostly green.
async fn plant_runs(app: &TestApp, token: &str) {
    for (passed, colour, n) in [
        (false, "green", 3),
        (true, "green", 1),
        (true, "red", 2),
        (false, "red", 1),
    ] {
        for _ in 0..n {
            record(app, token, passed, colour, 250.0).await;
        }
    }
}

fn count_by_success_and_colour() -> Value {
    json!({"dataset": "e2e", "time_range": 3600,
           "calculations": [{"op": "COUNT"}],
           "breakdowns": ["success", "colour"]})
}

#[tokio::test]
async fn counts_runs_by_success_and_colour() {
    let app = support::test_app().await;
    let token = app.join("Ada").await;
    plant_runs(&app, &token).await;

    let (status, answer) = post(&app, "/api/query", &token, &count_by_success_and_colour()).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["matched_events"], 7);
    assert_eq!(answer["breakdowns"], json!(["success", "colour"]));
    assert_eq!(answer["calculations"][0]["label"], "COUNT");
    let counts: BTreeMap<String, f64> = totals(&answer)
        .into_iter()
        .map(|(k, v)| (k, v[0].as_f64().unwrap()))
        .collect();
    let expected: BTreeMap<String, f64> = [
        ("false/\"green\"", 3.0),
        ("true/\"green\"", 1.0),
        ("true/\"red\"", 2.0),
        ("false/\"red\"", 1.0),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    assert_eq!(counts, expected);
    // Ordered by COUNT, descending: the green failures first.
    assert_eq!(answer["totals"][0]["group"], json!([false, "green"]));
    assert_eq!(
        answer["series"].as_array().unwrap().len(),
        4,
        "a series per group"
    );
    assert_eq!(answer["markers"], json!([]), "no marker in the window");

    // The same numbers with a filter: only the failures.
    let spec = json!({"dataset": "e2e", "time_range": 3600,
                      "filters": [{"column": "success", "op": "=", "value": false}],
                      "breakdowns": ["colour"]});
    let (status, answer) = post(&app, "/api/query", &token, &spec).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(totals(&answer)["\"green\""], vec![json!(3.0)]);
    assert_eq!(totals(&answer)["\"red\""], vec![json!(1.0)]);
}

#[tokio::test]
async fn columns_are_listed_by_name_with_their_types() {
    let app = support::test_app().await;
    let token = app.join("Ada").await;
    let res = app.send(get_as("/api/datasets/e2e/columns", &token)).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(body_json(res).await, json!([]), "no runs yet, no columns");

    record(&app, &token, false, "green", 1234.5).await;
    record(&app, &token, true, "red", 250.0).await;
    let res = app.send(get_as("/api/datasets/e2e/columns", &token)).await;
    assert_eq!(res.status(), StatusCode::OK);
    let columns = body_json(res).await;
    let columns = columns.as_array().unwrap();
    let names: Vec<&str> = columns
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted, "sorted by name");
    let type_of = |name: &str| {
        columns
            .iter()
            .find(|c| c["name"] == name)
            .map(|c| c["column_type"].as_str().unwrap().to_string())
    };
    assert_eq!(type_of("colour").as_deref(), Some("string"));
    assert_eq!(type_of("success").as_deref(), Some("boolean"));
    assert_eq!(type_of("duration_ms").as_deref(), Some("float"));
    assert_eq!(type_of("iterations").as_deref(), Some("integer"));
    assert_eq!(type_of("failed_step").as_deref(), Some("string"));
    assert_eq!(type_of("request_id"), None, "null on every run: no column");

    let res = app.send(get_as("/api/datasets/nope/columns", &token)).await;
    let message = assert_error(res, StatusCode::NOT_FOUND, "not_found").await;
    assert!(message.contains("\"nope\""), "{message}");
    let res = app.send(support::get("/api/datasets/e2e/columns")).await;
    assert_error(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

#[tokio::test]
async fn compare_ranks_the_column_that_sets_the_selection_apart_first() {
    let app = support::test_app().await;
    let token = app.join("Ada").await;
    // The slow runs are mostly green, the fast ones mostly red; nothing else differs.
    for (colour, duration, n) in [
        ("green", 1500.0, 7),
        ("red", 1500.0, 1),
        ("green", 200.0, 1),
        ("red", 200.0, 7),
    ] {
        for _ in 0..n {
            record(&app, &token, true, colour, duration).await;
        }
    }
    let spec = json!({"dataset": "e2e", "time_range": 3600,
                      "selection": {"kind": "region", "column": "duration_ms", "min": 1000}});
    let (status, answer) = post(&app, "/api/compare", &token, &spec).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["selection_count"], 8);
    assert_eq!(answer["baseline_count"], 8);
    let first = &answer["columns"][0];
    assert_eq!(first["column"], "colour", "{answer:#}");
    assert_eq!(first["score"], 0.75);
    assert_eq!(
        first["values"][0]["bucket"],
        json!({"kind": "value", "value": "green"})
    );
    let excluded = answer["excluded_columns"].as_array().unwrap();
    for id in ["duration_ms", "run_id", "trace_id", "started_at"] {
        assert!(excluded.contains(&json!(id)), "{id} in {excluded:?}");
    }

    // Failures, mostly green: colour comes right after the columns that only restate
    // the selection (a failure has a verdict, a message and a failed step).
    let app = support::test_app().await;
    let token = app.join("Ada").await;
    plant_runs(&app, &token).await;
    let spec = json!({"dataset": "e2e", "time_range": 3600,
                      "selection": {"kind": "filters",
                                    "filters": [{"column": "success", "op": "=", "value": false}]}});
    let (status, answer) = post(&app, "/api/compare", &token, &spec).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let ranked: Vec<&str> = answer["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["column"].as_str().unwrap())
        .filter(|c| !["verdict", "message", "failed_step"].contains(c))
        .collect();
    assert_eq!(ranked[0], "colour", "{answer:#}");

    // A bad comparison names its field.
    let spec = json!({"dataset": "e2e", "values_per_column": 0,
                      "selection": {"kind": "region", "column": "duration_ms", "min": 1000}});
    let (status, answer) = post(&app, "/api/compare", &token, &spec).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let message = answer["error"]["message"].as_str().unwrap();
    assert!(message.starts_with("values_per_column: "), "{message}");
    let spec = json!({"dataset": "e2e",
                      "selection": {"kind": "region", "column": "colour", "min": 1}});
    let (status, answer) = post(&app, "/api/compare", &token, &spec).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
    assert!(
        answer["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("selection.column: "),
        "{answer}"
    );
}

#[tokio::test]
async fn markers_in_the_window_come_with_the_answer() {
    let app = support::test_app().await;
    let token = app.join("Ada").await;
    let res = app
        .send(json_request(
            "PUT",
            "/api/instrumentation/points/bulb.apply.delay",
            &json!({"on": true}),
            Some(&app.facilitator()),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::OK);

    let spec = json!({"dataset": "bulb", "time_range": 600});
    let (status, answer) = post(&app, "/api/query", &token, &spec).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let markers = answer["markers"].as_array().unwrap();
    assert_eq!(markers.len(), 1, "{answer}");
    assert_eq!(markers[0]["kind"], "instrumentation_point");
    assert_eq!(
        markers[0]["attendee"],
        Value::Null,
        "the facilitator switched it"
    );
    let at = markers[0]["at_ms"].as_i64().unwrap();
    assert!(answer["start_time_ms"].as_i64().unwrap() <= at);
    assert!(at < answer["end_time_ms"].as_i64().unwrap());
    // No events yet: one group of none, and the marker all the same.
    assert_eq!(answer["matched_events"], 0);

    // A window that ended before the switch has no marker.
    let end = at / 1000 - 60;
    let spec = json!({"dataset": "bulb", "start_time": end - 600, "end_time": end});
    let (status, answer) = post(&app, "/api/query", &token, &spec).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["markers"], json!([]));
}

/// Milliseconds since the epoch.
fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

#[tokio::test]
async fn a_fitted_window_starts_near_the_first_event() {
    let app = support::test_app().await;
    let token = app.join("Ada").await;
    // A failed run that took 19 minutes (it started then), and quick passes now.
    let before = now_ms();
    record(&app, &token, false, "green", 19.0 * 60_000.0).await;
    let first = before - 19 * 60_000;
    for _ in 0..3 {
        record(&app, &token, true, "red", 250.0).await;
    }

    let fitted = json!({"dataset": "e2e", "time_range": 3600, "fit": true});
    let (status, answer) = post(&app, "/api/query", &token, &fitted).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["matched_events"], 4);
    let start = answer["start_time_ms"].as_i64().unwrap();
    let end = answer["end_time_ms"].as_i64().unwrap();
    // Up to two 10 s buckets before the first run (rounded down, less one).
    assert!(
        (first - 21_000..=first).contains(&start),
        "starts {} s before the first run",
        (first - start) / 1000
    );
    assert!(end >= now_ms() - 5_000, "ends now");
    assert_eq!(
        answer["granularity_ms"], 10_000,
        "buckets follow the window"
    );
    let points = answer["series"][0]["points"].as_array().unwrap();
    assert!(points.len() <= 124, "{} buckets", points.len());
    let counted = |p: &&Value| p["values"][0].as_f64().unwrap() > 0.0;
    let first_counted = points.iter().position(|p| counted(&p)).unwrap();
    assert!(
        first_counted <= 3,
        "the first run is on the left: bucket {first_counted}"
    );

    // Filtered to the passes, which cover seconds: the shortest window (FIT_MIN_S).
    let passes = json!({"dataset": "e2e", "time_range": 3600, "fit": true,
                        "filters": [{"column": "success", "op": "=", "value": true}]});
    let (status, answer) = post(&app, "/api/query", &token, &passes).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let length =
        answer["end_time_ms"].as_i64().unwrap() - answer["start_time_ms"].as_i64().unwrap();
    assert_eq!(length, bulbwatch_api::FIT_MIN_S as i64 * 1000);
    assert_eq!(answer["matched_events"], 3);

    // Without `fit`, the hour as asked.
    let (status, answer) = post(&app, "/api/query", &token, &count_by_success_and_colour()).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let length =
        answer["end_time_ms"].as_i64().unwrap() - answer["start_time_ms"].as_i64().unwrap();
    assert_eq!(length, 3_600_000);
    assert_eq!(answer["granularity_ms"], 30_000);
}

#[tokio::test]
async fn specs_the_engine_cannot_answer_name_the_field_at_fault() {
    let app = support::test_app().await;
    let token = app.join("Ada").await;
    record(&app, &token, true, "green", 250.0).await;

    for (spec, field) in [
        (
            json!({"dataset": "e2e", "breakdowns": ["colour", "shade"]}),
            "breakdowns[1]: ",
        ),
        (
            json!({"dataset": "e2e", "calculations": [{"op": "COUNT"}, {"op": "P95", "column": "colour"}]}),
            "calculations[1].column: ",
        ),
        (
            json!({"dataset": "e2e", "filters": [{"column": "colour", "op": ">", "value": 3}]}),
            "filters[0].column: ",
        ),
        (
            json!({"dataset": "e2e", "time_range": 7200, "granularity": 1}),
            "granularity: ",
        ),
        (json!({"dataset": "e2e", "limit": 0}), "limit: "),
        (json!({"dataset": "e3e"}), "dataset: "),
    ] {
        let (status, answer) = post(&app, "/api/query", &token, &spec).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{spec}: {answer}");
        assert_eq!(answer["error"]["code"], "invalid_input", "{answer}");
        let message = answer["error"]["message"].as_str().unwrap();
        assert!(message.starts_with(field), "{spec}: {message}");
    }

    // A misspelt field is refused by name before the engine sees the spec.
    let (status, answer) = post(
        &app,
        "/api/query",
        &token,
        &json!({"dataset": "e2e", "breakdown": ["colour"]}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(answer["error"]["code"], "invalid_json");
    assert!(
        answer["error"]["message"]
            .as_str()
            .unwrap()
            .contains("`breakdown`"),
        "{answer}"
    );
    let (status, answer) = post(
        &app,
        "/api/query",
        &token,
        &json!({"dataset": "e2e", "calculations": [{"op": "P95", "colum": "x"}]}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let message = answer["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("calculations[0]") && message.contains("`colum`"),
        "{message}"
    );

    // Queries are for joined attendees.
    let res = app
        .send(raw_request(
            "POST",
            "/api/query",
            json!({"dataset": "e2e"}).to_string(),
            None,
        ))
        .await;
    assert_error(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let res = app
        .send(raw_request(
            "POST",
            "/api/compare",
            json!({"dataset": "e2e", "selection": {"kind": "region"}}).to_string(),
            None,
        ))
        .await;
    assert_error(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

#[tokio::test]
async fn a_restart_rebuilds_the_tables_from_sqlite_and_answers_the_same() {
    let app = support::test_app().await;
    let token = app.join("Ada").await;
    plant_runs(&app, &token).await;
    // A fixed window, so "now" moving does not change the answer.
    let now_s = bulbwatch::store::now_ms() / 1000;
    let spec = json!({"dataset": "e2e", "start_time": now_s - 3600, "end_time": now_s + 60,
                      "calculations": [{"op": "COUNT"}, {"op": "P95", "column": "duration_ms"}],
                      "breakdowns": ["success", "colour"]});
    let (status, before) = post(&app, "/api/query", &token, &spec).await;
    assert_eq!(status, StatusCode::OK, "{before}");
    assert_eq!(before["matched_events"], 7);

    let app = app.restart().await;
    assert_eq!(
        app.state.events.tables().len(Dataset::E2e).await.unwrap(),
        7
    );
    let (status, after) = post(&app, "/api/query", &token, &spec).await;
    assert_eq!(status, StatusCode::OK, "{after}");
    assert_eq!(after, before);

    // New runs land on top of the loaded ones.
    record(&app, &token, false, "green", 250.0).await;
    let (_, answer) = post(&app, "/api/query", &token, &count_by_success_and_colour()).await;
    assert_eq!(totals(&answer)["false/\"green\""], vec![json!(4.0)]);
}

/// A router over `store` whose events keep at most `retention` per dataset.
async fn app_with_retention(data_dir: tempfile::TempDir, retention: u64) -> TestApp {
    support::test_app_with_retention(data_dir, retention).await
}

#[tokio::test]
async fn retention_trims_sqlite_and_memory_alike() {
    let app = app_with_retention(tempfile::tempdir().unwrap(), 3).await;
    let token = app.join("Ada").await;
    for colour in ["red", "orange", "yellow", "green", "blue"] {
        record(&app, &token, true, colour, 5.0).await;
        // Distinct start times, so "oldest" is well defined.
        tokio::time::sleep(Duration::from_millis(3)).await;
    }
    let stored: Vec<String> = app
        .state
        .store
        .events("e2e")
        .await
        .unwrap()
        .iter()
        .map(|e| e["colour"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(stored, ["yellow", "green", "blue"]);
    let tables = app.state.events.tables();
    assert_eq!(tables.len(Dataset::E2e).await.unwrap(), 3);
    let spec = json!({"dataset": "e2e", "time_range": 3600, "breakdowns": ["colour"],
                      "orders": [{"column": "colour"}]});
    let (status, answer) = post(&app, "/api/query", &token, &spec).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let in_memory: Vec<&str> = answer["totals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["group"][0].as_str().unwrap())
        .collect();
    assert_eq!(in_memory, ["blue", "green", "yellow"], "the same three");

    // A lower cap at the next start trims SQLite first, then loads what is left.
    let mut app = app;
    let data_dir = std::mem::replace(&mut app.data_dir, tempfile::tempdir().unwrap());
    drop(app);
    let app = app_with_retention(data_dir, 2).await;
    assert_eq!(app.state.store.events("e2e").await.unwrap().len(), 2);
    let tables = app.state.events.tables();
    assert_eq!(tables.len(Dataset::E2e).await.unwrap(), 2);
    let stats = app.state.events.stats().datasets[&Dataset::E2e];
    // Saved counts add up: two deleted before the restart, one at its start.
    assert_eq!((stats.events, stats.retention_dropped), (2, 3));
    let (_, answer) = post(&app, "/api/query", &token, &spec).await;
    assert_eq!(answer["matched_events"], 2);
    assert_eq!(answer["totals"][0]["group"], json!(["blue"]));
}

#[tokio::test]
async fn a_question_whose_answer_is_too_large_is_refused_with_how_to_narrow_it() {
    let app = support::test_app().await;
    let token = app.join("Ada").await;
    record(&app, &token, true, "green", 250.0).await;
    let calculations: Vec<Value> = (0..20).map(|_| json!({"op": "COUNT"})).collect();
    let at_the_maximum = json!({
        "dataset": "e2e", "calculations": calculations, "breakdowns": ["colour"],
        "limit": 1000, "time_range": 1000, "granularity": 1
    });
    let (status, body) = post(&app, "/api/query", &token, &at_the_maximum).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"]["code"], "invalid_input");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.starts_with("limit: "), "{message}");
    assert!(message.contains("fewer groups"), "{message}");

    // Narrowed as the message says, the same question is answered.
    let narrowed = json!({
        "dataset": "e2e", "calculations": [{"op": "COUNT"}], "breakdowns": ["colour"],
        "limit": 1000, "time_range": 1000, "granularity": 10
    });
    let (status, body) = post(&app, "/api/query", &token, &narrowed).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["totals"][0]["group"][0], "green", "{body}");
}

#[tokio::test]
async fn one_attendee_s_flood_of_queries_is_limited_and_others_still_ask() {
    let app = support::test_app().await;
    let ada = app.join("Ada").await;
    let grace = app.join("Grace").await;
    let spec = json!({"dataset": "e2e"});
    let mut refused = None;
    for i in 0..100 {
        let (status, body) = post(&app, "/api/query", &ada, &spec).await;
        if status == StatusCode::TOO_MANY_REQUESTS {
            refused = Some((i, body));
            break;
        }
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let (i, body) = refused.expect("a flood of queries is refused");
    assert!(i >= 40, "the burst of 40 passes first, refused at {i}");
    assert_eq!(body["error"]["code"], "rate_limited");
    let (status, _) = post(&app, "/api/query", &grace, &spec).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = post(&app, "/api/query", &app.facilitator(), &spec).await;
    assert_eq!(status, StatusCode::OK, "the facilitator is not limited");
}
