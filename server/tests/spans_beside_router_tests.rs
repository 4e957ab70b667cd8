//! A server's spans still reach its event store when the same code already ran
//! outside any server's dispatch (as router tests in the same process do). `tracing`
//! caches interest per callsite for the whole process; this file holds one test so
//! that the order below is the order things happen.

mod support;

use std::sync::Arc;

use axum::http::StatusCode;
use support::running::{Running, span, span_id, trace_id};
use support::{RecordingBulb, get, test_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spans_are_kept_after_the_code_ran_without_telemetry() {
    let dir = tempfile::tempdir().unwrap();
    let server = Running::start(dir.path(), Arc::new(RecordingBulb::default())).await;
    // The request span's code runs first here, with no server's dispatch around it.
    let router = test_app().await;
    assert_eq!(router.send(get("/api/bulb")).await.status(), StatusCode::OK);

    let client = reqwest::Client::new();
    let (trace, caller) = (trace_id(), span_id());
    let res = client
        .get(server.url("/api/bulb"))
        .header("traceparent", format!("00-{trace}-{caller}-01"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let events = server.trace_events(&trace, &["GET /api/bulb"]).await;
    assert_eq!(
        span(&events, "GET /api/bulb")["trace.parent_id"],
        caller.as_str()
    );
    server.shut_down().await;
}
