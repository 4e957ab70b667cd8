//! Spans over real HTTP: a request with a `traceparent` gets a server span in the
//! caller's trace with OpenTelemetry's HTTP attribute names; the bulb service's
//! enqueue, apply and driver spans join that trace with the right parents; business
//! attributes appear only for the instrumentation points that are on.

mod support;

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use support::running::{Running, span, span_id, trace_id};
use support::{PickyBulb, RecordingBulb};

/// What every span event has, points or not.
const BASE: [&str; 8] = [
    "timestamp",
    "duration_ms",
    "name",
    "trace.trace_id",
    "trace.span_id",
    "trace.parent_id",
    "span.kind",
    "service.name",
];

/// What an HTTP server span may add: the semantic conventions, nothing of ours.
const HTTP: [&str; 7] = [
    "http.request.method",
    "http.route",
    "http.response.status_code",
    "url.path",
    "client.address",
    "user_agent.original",
    "error.type",
];

fn keys(event: &Value) -> BTreeSet<&str> {
    event
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect()
}

fn only(groups: &[&[&'static str]]) -> BTreeSet<&'static str> {
    groups.iter().flat_map(|g| g.iter().copied()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_every_point_off_spans_carry_only_what_an_apm_shows() {
    let dir = tempfile::tempdir().unwrap();
    let server = Running::start(dir.path(), Arc::new(RecordingBulb::default())).await;
    let client = reqwest::Client::new();
    let token = server.join(&client, "Ada").await;
    server.set_delay(&client, 20).await;

    let (trace, caller) = (trace_id(), span_id());
    server
        .set_traced(&client, &token, json!({"colour": "green"}), &trace, &caller)
        .await;
    let events = server
        .trace_events(
            &trace,
            &["PUT /api/bulb", "bulb.enqueue", "bulb.apply", "bulb.driver"],
        )
        .await;

    let http = span(&events, "PUT /api/bulb");
    assert_eq!(http["trace.parent_id"], caller.as_str(), "the check's span");
    assert_eq!(http["span.kind"], "server");
    assert_eq!(http["service.name"], "bulbwatch");
    assert_eq!(http["http.request.method"], "PUT");
    assert_eq!(http["http.route"], "/api/bulb");
    assert_eq!(http["url.path"], "/api/bulb");
    assert_eq!(http["http.response.status_code"], 202);
    assert_eq!(http["client.address"], "127.0.0.1");
    assert_eq!(http["user_agent.original"], "bulbwatch-test");
    assert!(http.get("error.type").is_none(), "{http}");
    assert!(http["duration_ms"].as_f64().unwrap() > 0.0);
    assert!(keys(http).is_subset(&only(&[&BASE, &HTTP])), "{http}");

    let enqueue = span(&events, "bulb.enqueue");
    let apply = span(&events, "bulb.apply");
    let driver = span(&events, "bulb.driver");
    assert_eq!(enqueue["trace.parent_id"], http["trace.span_id"]);
    assert_eq!(apply["trace.parent_id"], enqueue["trace.span_id"]);
    assert_eq!(driver["trace.parent_id"], apply["trace.span_id"]);
    for inner in [enqueue, apply, driver] {
        assert_eq!(inner["span.kind"], "internal");
        assert_eq!(
            keys(inner),
            only(&[&BASE]),
            "no business attributes: {inner}"
        );
    }
    // The apply span includes the queue delay it waited.
    assert!(apply["duration_ms"].as_f64().unwrap() >= 19.0, "{apply}");

    // An error is what an error tracker sees: the status code as `error.type`.
    let (trace, caller) = (trace_id(), span_id());
    let res = client
        .put(server.url("/api/bulb"))
        .header("traceparent", format!("00-{trace}-{caller}-01"))
        .json(&json!({"colour": "green"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    let events = server.trace_events(&trace, &["PUT /api/bulb"]).await;
    let http = span(&events, "PUT /api/bulb");
    assert_eq!(http["error.type"], "401");
    assert_eq!(http["http.response.status_code"], 401);
    assert_eq!(events.len(), 1, "nothing was queued: {events:#?}");

    // Without a traceparent a request starts a trace of its own.
    client.get(server.url("/api/bulb")).send().await.unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    loop {
        let events = server.state.store.events("bulb").await.unwrap();
        if let Some(get) = events.iter().find(|e| e["name"] == "GET /api/bulb") {
            assert!(get.get("trace.parent_id").is_none(), "{get}");
            assert_eq!(get["trace.trace_id"].as_str().unwrap().len(), 32);
            break;
        }
        assert!(std::time::Instant::now() < deadline, "no GET span");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    server.shut_down().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn points_that_are_on_add_business_attributes_to_the_same_trace() {
    let dir = tempfile::tempdir().unwrap();
    let blue = bulbwatch::colour::parse_colour("blue").unwrap().hsb.hue;
    let server = Running::start(dir.path(), Arc::new(PickyBulb { refused_hue: blue })).await;
    let client = reqwest::Client::new();
    let ada = server.join(&client, "Ada").await;
    let grace = server.join(&client, "Grace").await;
    server.set_delay(&client, 30).await;
    server.set_all_points(&client, true).await;

    // Grace's red is on the bulb when Ada's green is applied.
    server.set(&client, &grace, json!({"colour": "red"})).await;
    server.drained(&client, Duration::from_secs(5)).await;
    let (trace, caller) = (trace_id(), span_id());
    let accepted = server
        .set_traced(&client, &ada, json!({"colour": "green"}), &trace, &caller)
        .await;
    let events = server
        .trace_events(
            &trace,
            &["PUT /api/bulb", "bulb.enqueue", "bulb.apply", "bulb.driver"],
        )
        .await;
    let http = span(&events, "PUT /api/bulb");
    let enqueue = span(&events, "bulb.enqueue");
    let apply = span(&events, "bulb.apply");
    let driver = span(&events, "bulb.driver");
    assert_eq!(http["trace.parent_id"], caller.as_str());
    assert_eq!(enqueue["trace.parent_id"], http["trace.span_id"]);
    assert_eq!(apply["trace.parent_id"], enqueue["trace.span_id"]);
    assert_eq!(driver["trace.parent_id"], apply["trace.span_id"]);
    // Points add nothing to the HTTP span.
    assert!(keys(http).is_subset(&only(&[&BASE, &HTTP])), "{http}");

    let green_hue = bulbwatch::colour::parse_colour("green").unwrap().hsb.hue;
    assert_eq!(enqueue["attendee"], "Ada");
    assert_eq!(enqueue["attendee_id"].as_str().unwrap().len(), 32);
    assert_eq!(enqueue["colour"], "green");
    assert_eq!(enqueue["hue"], green_hue);
    assert_eq!(enqueue["request_id"], accepted["request_id"]);
    assert_eq!(enqueue["shard"], 0);
    assert_eq!(enqueue["queue_length"], 1);

    assert_eq!(apply["request_id"], accepted["request_id"]);
    assert_eq!(apply["attendee"], "Ada");
    assert_eq!(apply["colour"], "green");
    assert_eq!(apply["hue"], green_hue);
    assert_eq!(apply["shard"], 0);
    assert_eq!(apply["queue_delay_ms"], 30);
    assert!(apply["delay_ms"].as_i64().unwrap() >= 30, "{apply}");
    assert_eq!(apply["previous_colour"], "red");
    assert_eq!(apply["previous_writer"], "Grace");
    assert!(apply["save_ms"].as_f64().unwrap() >= 0.0);
    assert_eq!(apply["succeeded"], true);
    assert!(apply.get("error").is_none(), "{apply}");
    assert_eq!(driver["driver"], "picky");

    // A save the driver refuses: the PUT still said 202; only the point says so.
    let (trace, caller) = (trace_id(), span_id());
    server
        .set_traced(&client, &ada, json!({"colour": "blue"}), &trace, &caller)
        .await;
    let events = server
        .trace_events(&trace, &["bulb.apply", "bulb.driver"])
        .await;
    let apply = span(&events, "bulb.apply");
    assert_eq!(apply["succeeded"], false);
    assert_eq!(apply["error"], format!("the bridge refused hue {blue}"));
    assert_eq!(span(&events, "bulb.driver")["error"], apply["error"]);

    // One point off: its attributes go, the others stay.
    server
        .set_point(&client, "bulb.enqueue.queue_length", false)
        .await;
    let (trace, caller) = (trace_id(), span_id());
    server
        .set_traced(&client, &ada, json!({"colour": "pink"}), &trace, &caller)
        .await;
    let events = server.trace_events(&trace, &["bulb.enqueue"]).await;
    let enqueue = span(&events, "bulb.enqueue");
    assert!(enqueue.get("queue_length").is_none(), "{enqueue}");
    assert_eq!(enqueue["colour"], "pink");
    server.shut_down().await;
}
