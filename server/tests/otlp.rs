//! OTLP export: with an endpoint set, the same spans go out as OTLP/HTTP protobuf.
//! A receiver in the test (an axum route on port 0) decodes what arrives.

mod support;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use bulbwatch::TelemetrySettings;
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::common::v1::KeyValue;
use opentelemetry_proto::tonic::common::v1::any_value::Value as AnyValue;
use prost::Message;
use serde_json::json;
use support::RecordingBulb;
use support::running::{Running, span_id, trace_id};

type Received = Arc<Mutex<Vec<ExportTraceServiceRequest>>>;

async fn receive(State(received): State<Received>, body: Bytes) -> StatusCode {
    match ExportTraceServiceRequest::decode(body) {
        Ok(request) => {
            received.lock().unwrap().push(request);
            StatusCode::OK
        }
        Err(_) => StatusCode::BAD_REQUEST,
    }
}

/// A span as received: name, trace id, parent span id, attributes as text.
#[derive(Debug)]
struct Received1 {
    name: String,
    trace_id: String,
    span_id: String,
    parent_id: String,
    attributes: HashMap<String, String>,
}

fn text(kv: &KeyValue) -> String {
    match kv.value.as_ref().and_then(|v| v.value.as_ref()) {
        Some(AnyValue::StringValue(s)) => s.clone(),
        Some(AnyValue::IntValue(n)) => n.to_string(),
        Some(AnyValue::DoubleValue(n)) => n.to_string(),
        Some(AnyValue::BoolValue(b)) => b.to_string(),
        other => format!("{other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spans_go_out_by_otlp_with_the_same_names_and_attributes() {
    let received: Received = Arc::default();
    let receiver = Router::new()
        .route("/v1/traces", post(receive))
        .with_state(received.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, receiver).await });

    let dir = tempfile::tempdir().unwrap();
    let server = Running::start_with(
        dir.path(),
        Arc::new(RecordingBulb::default()),
        TelemetrySettings {
            otlp_endpoint: Some(endpoint),
            ..TelemetrySettings::default()
        },
    )
    .await;
    let client = reqwest::Client::new();
    let token = server.join(&client, "Ada").await;
    server.set_delay(&client, 0).await;
    server
        .set_point(&client, "bulb.enqueue.queue_length", true)
        .await;
    let (trace, caller) = (trace_id(), span_id());
    server
        .set_traced(&client, &token, json!({"colour": "green"}), &trace, &caller)
        .await;
    server.drained(&client, Duration::from_secs(5)).await;
    // Stopping flushes the batch exporter.
    server.shut_down().await;

    let spans: Vec<Received1> = received
        .lock()
        .unwrap()
        .iter()
        .flat_map(|r| &r.resource_spans)
        .inspect(|rs| {
            let resource = rs.resource.as_ref().unwrap();
            let service = resource
                .attributes
                .iter()
                .find(|kv| kv.key == "service.name")
                .map(text);
            assert_eq!(service.as_deref(), Some("bulbwatch"));
        })
        .flat_map(|rs| &rs.scope_spans)
        .flat_map(|ss| &ss.spans)
        .map(|s| Received1 {
            name: s.name.clone(),
            trace_id: hex::encode(&s.trace_id),
            span_id: hex::encode(&s.span_id),
            parent_id: hex::encode(&s.parent_span_id),
            attributes: s
                .attributes
                .iter()
                .map(|kv| (kv.key.clone(), text(kv)))
                .collect(),
        })
        .filter(|s| s.trace_id == trace)
        .collect();
    let find = |name: &str| {
        spans
            .iter()
            .find(|s| s.name == name)
            .unwrap_or_else(|| panic!("no {name} span received: {spans:#?}"))
    };
    let http = find("PUT /api/bulb");
    assert_eq!(http.parent_id, caller);
    assert_eq!(http.attributes["http.request.method"], "PUT");
    assert_eq!(http.attributes["http.route"], "/api/bulb");
    assert_eq!(http.attributes["url.path"], "/api/bulb");
    assert_eq!(http.attributes["http.response.status_code"], "202");
    assert_eq!(http.attributes["client.address"], "127.0.0.1");
    assert_eq!(http.attributes["user_agent.original"], "bulbwatch-test");
    let enqueue = find("bulb.enqueue");
    assert_eq!(enqueue.parent_id, http.span_id);
    assert_eq!(enqueue.attributes["queue_length"], "1");
    let apply = find("bulb.apply");
    assert_eq!(apply.parent_id, enqueue.span_id);
    assert_eq!(find("bulb.driver").parent_id, apply.span_id);
}
