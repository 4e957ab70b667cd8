//! The trace API: a check run recorded with `POST /api/runs` and the server's spans
//! of the requests it sent make one trace, client and server linked by span ids.

mod support;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use support::RecordingBulb;
use support::running::{Running, span_id, trace_id};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recorded_run_and_the_server_spans_make_one_trace() {
    let dir = tempfile::tempdir().unwrap();
    let server = Running::start(dir.path(), Arc::new(RecordingBulb::default())).await;
    let client = reqwest::Client::new();
    let token = server.join(&client, "Ada").await;
    server.set_delay(&client, 0).await;

    // What a check does: set, then read back, every request in the run's trace.
    let (trace, put_span, get_span) = (trace_id(), span_id(), span_id());
    let accepted = server
        .set_traced(
            &client,
            &token,
            json!({"colour": "green"}),
            &trace,
            &put_span,
        )
        .await;
    server.drained(&client, Duration::from_secs(5)).await;
    let res = client
        .get(server.url("/api/bulb"))
        .header("traceparent", format!("00-{trace}-{get_span}-01"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    server
        .trace_events(
            &trace,
            &[
                "PUT /api/bulb",
                "GET /api/bulb",
                "bulb.enqueue",
                "bulb.apply",
                "bulb.driver",
            ],
        )
        .await;

    let report = json!({
        "verdict": "pass", "failure": null,
        "steps": [
            {"name": "set colour", "started_ms": 1.0, "duration_ms": 5.0, "outcome": "pass", "depth": 0},
            {"name": "wait for the bulb", "started_ms": 6.0, "duration_ms": 5.0, "outcome": "pass", "depth": 0}
        ],
        "requests": [
            {"method": "PUT", "path": "/api/bulb", "status": 202, "duration_ms": 3.0,
             "trace_id": trace, "span_id": put_span, "step": "set colour"},
            {"method": "GET", "path": "/api/bulb", "status": 200, "duration_ms": 2.0,
             "trace_id": trace, "span_id": get_span, "step": "wait for the bulb"}
        ],
        "logs": [], "duration_ms": 40.0, "trace_id": trace, "iterations": 1,
        "colour": "green", "request_id": accepted["request_id"]
    });
    let res = client
        .post(server.url("/api/runs"))
        .bearer_auth(&token)
        .json(&json!({"check_name": "classic", "report": report}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let run_id = res.json::<Value>().await.unwrap()["run_id"]
        .as_str()
        .unwrap()
        .to_string();

    let res = client
        .get(server.url(&format!("/api/traces/{trace}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let spans: Vec<Value> = res.json().await.unwrap();
    let by_name = |name: &str, kind: &str| -> &Value {
        let found: Vec<&Value> = spans
            .iter()
            .filter(|s| s["name"] == name && s["kind"] == kind)
            .collect();
        assert_eq!(found.len(), 1, "one {kind} {name} in {spans:#?}");
        found[0]
    };

    let run = by_name("check run classic", "client");
    assert_eq!(run["span_id"], run_id.as_str());
    assert_eq!(run["parent_id"], Value::Null);
    assert_eq!(run["duration_ms"], 40.0);
    assert_eq!(run["attributes"]["success"], true);
    assert_eq!(run["attributes"]["trace_id"], trace.as_str());

    let put_client = by_name("PUT /api/bulb", "client");
    assert_eq!(put_client["span_id"], put_span.as_str());
    assert_eq!(put_client["parent_id"], run_id.as_str());
    assert_eq!(put_client["attributes"]["http.response.status_code"], 202.0);
    assert_eq!(put_client["attributes"]["step"], "set colour");
    let get_client = by_name("GET /api/bulb", "client");
    assert_eq!(get_client["span_id"], get_span.as_str());

    let put_server = by_name("PUT /api/bulb", "server");
    assert_eq!(put_server["parent_id"], put_span.as_str());
    assert_eq!(put_server["attributes"]["http.route"], "/api/bulb");
    assert_eq!(put_server["attributes"]["service.name"], "bulbwatch");
    assert!(put_server["attributes"].get("trace.span_id").is_none());
    // The client request is placed where the server saw it.
    assert_eq!(put_client["start_ms"], put_server["start_ms"]);
    let get_server = by_name("GET /api/bulb", "server");
    assert_eq!(get_server["parent_id"], get_span.as_str());

    let enqueue = by_name("bulb.enqueue", "internal");
    let apply = by_name("bulb.apply", "internal");
    let driver = by_name("bulb.driver", "internal");
    assert_eq!(enqueue["parent_id"], put_server["span_id"]);
    assert_eq!(apply["parent_id"], enqueue["span_id"]);
    assert_eq!(driver["parent_id"], apply["span_id"]);

    // A tree: every parent is in the list, one root, oldest first.
    let ids: HashSet<&str> = spans
        .iter()
        .map(|s| s["span_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), spans.len(), "span ids are unique");
    for span in &spans {
        if let Some(parent) = span["parent_id"].as_str() {
            assert!(ids.contains(parent), "orphan: {span}");
        }
    }
    assert_eq!(spans.iter().filter(|s| s["parent_id"].is_null()).count(), 1);
    let starts: Vec<f64> = spans
        .iter()
        .map(|s| s["start_ms"].as_f64().unwrap())
        .collect();
    assert!(starts.windows(2).all(|w| w[0] <= w[1]), "{starts:?}");
    server.shut_down().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_ids_are_400_unknown_ones_404_strangers_401() {
    let dir = tempfile::tempdir().unwrap();
    let server = Running::start(dir.path(), Arc::new(RecordingBulb::default())).await;
    let client = reqwest::Client::new();
    let token = server.join(&client, "Ada").await;
    let status = |path: String, token: Option<String>| {
        let mut req = client.get(server.url(&path));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        async move {
            let res = req.send().await.unwrap();
            let status = res.status().as_u16();
            let body: Value = res.json().await.unwrap();
            (
                status,
                body["error"]["code"].as_str().unwrap_or("").to_string(),
            )
        }
    };
    let bad = [
        "0AF7651916CD43DD8448EB211C80319C".to_string(),
        "0af7651916cd43dd".to_string(),
        "0".repeat(32),
        "zzf7651916cd43dd8448eb211c80319c".to_string(),
    ];
    for id in bad {
        let got = status(format!("/api/traces/{id}"), Some(token.clone())).await;
        assert_eq!(got, (400, "invalid_input".to_string()), "{id}");
    }
    let unknown = format!("/api/traces/{}", trace_id());
    assert_eq!(
        status(unknown.clone(), Some(token.clone())).await,
        (404, "not_found".to_string())
    );
    assert_eq!(
        status(unknown, None).await,
        (401, "unauthorized".to_string())
    );
    server.shut_down().await;
}
