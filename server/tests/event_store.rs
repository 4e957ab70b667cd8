//! The event store: closed spans that find the queue full are dropped and counted;
//! the retention cap deletes the oldest events (and, for `e2e`, their runs) and counts
//! them (the counts are saved); a graceful stop writes everything accepted, so a restart finds it.

mod support;

use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;
use bulbwatch::TelemetrySettings;
use bulbwatch::events::{Events, NewEvent};
use bulbwatch::store::Store;
use bulbwatch::telemetry::Telemetry;
use bulbwatch_api::Dataset;
use serde_json::json;
use support::running::Running;
use support::{RecordingBulb, body_json, get, json_request};
use tokio_util::sync::CancellationToken;

fn event(dataset: Dataset, timestamp_ms: i64, n: i64) -> NewEvent {
    let fields = json!({"timestamp": timestamp_ms, "name": "test", "n": n});
    NewEvent {
        dataset,
        timestamp_ms,
        trace_id: None,
        fields: fields.as_object().unwrap().clone(),
    }
}

#[tokio::test]
async fn spans_that_find_the_queue_full_are_dropped_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let events = Events::open(Store::open(dir.path()).unwrap(), 1_000)
        .await
        .unwrap();
    // A queue of two that nobody drains: the third span on is dropped.
    let (sink, mut queue) = events.queue(2);
    let telemetry = Telemetry::new(sink, &TelemetrySettings::default()).unwrap();
    tracing::dispatcher::with_default(telemetry.dispatch(), || {
        for i in 0..5 {
            tracing::info_span!(target: "bulbwatch::test", "bulb.test", i).in_scope(|| {});
        }
    });
    let stats = events.stats().datasets[&Dataset::Bulb];
    assert_eq!(stats.dropped, 3);
    assert_eq!(queue.recv().await.unwrap().fields["i"], 0);
    assert_eq!(queue.recv().await.unwrap().fields["i"], 1);
    assert!(queue.try_recv().is_err());
    // Nothing was written, so nothing is stored.
    assert_eq!(stats.events, 0);
    assert_eq!(events.stats().datasets[&Dataset::E2e].dropped, 0);
}

#[tokio::test]
async fn the_writer_batches_what_is_queued_and_writes_the_rest_when_finishing() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let events = Events::open(store.clone(), 1_000).await.unwrap();
    let (sink, queue) = events.queue(5_000);
    for i in 0..2_500 {
        sink.send(event(Dataset::Bulb, 1_000 + i, i));
    }
    let finish = CancellationToken::new();
    finish.cancel();
    // Finishing at once still writes all that was queued (in batches).
    events.spawn_writer(queue, finish).await.unwrap();
    let stored = store.events("bulb").await.unwrap();
    assert_eq!(stored.len(), 1_000, "kept to the cap");
    assert_eq!(stored[0]["n"], 1_500, "the oldest went first");
    let stats = events.stats().datasets[&Dataset::Bulb];
    assert_eq!(
        (stats.events, stats.retention_dropped, stats.dropped),
        (1_000, 1_500, 0)
    );
}

#[tokio::test]
async fn retention_deletes_the_oldest_events_and_counts_them() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let events = Events::open(store.clone(), 3).await.unwrap();
    // Out of order on purpose: age is the timestamp, not the arrival.
    let batch = [5, 1, 4, 2, 3].map(|t| event(Dataset::Bulb, t, t)).to_vec();
    events.write(batch).await.unwrap();
    let kept: Vec<i64> = store
        .events("bulb")
        .await
        .unwrap()
        .iter()
        .map(|e| e["n"].as_i64().unwrap())
        .collect();
    assert_eq!(kept, vec![5, 4, 3]);
    let stats = events.stats().datasets[&Dataset::Bulb];
    assert_eq!((stats.events, stats.retention_dropped), (3, 2));

    // Counts are per dataset, and survive a reopen (what is stored is counted; what
    // retention deleted is saved).
    events.write(vec![event(Dataset::E2e, 9, 9)]).await.unwrap();
    let reopened = Events::open(store, 3).await.unwrap();
    let stats = reopened.stats();
    assert_eq!(stats.datasets[&Dataset::Bulb].events, 3);
    assert_eq!(stats.datasets[&Dataset::E2e].events, 1);
    assert_eq!(stats.datasets[&Dataset::Bulb].retention_dropped, 2);
    assert_eq!(stats.datasets[&Dataset::E2e].retention_dropped, 0);
}

#[tokio::test]
async fn e2e_retention_deletes_the_oldest_runs_with_their_events() {
    let app = support::test_app_with_retention(tempfile::tempdir().unwrap(), 2).await;
    let token = app.join("Ada").await;
    let mut runs = Vec::new();
    for _ in 0..3 {
        let report = support::run_report(true);
        let res = app
            .send(json_request(
                "POST",
                "/api/runs",
                &json!({"check_name": "classic", "report": report}),
                Some(&token),
            ))
            .await;
        assert_eq!(res.status(), StatusCode::CREATED);
        runs.push(body_json(res).await["run_id"].as_str().unwrap().to_string());
        // Distinct start times, so "oldest" is well defined.
        tokio::time::sleep(Duration::from_millis(3)).await;
    }
    let stats = body_json(app.send(get("/api/events/stats")).await).await;
    assert_eq!(stats["datasets"]["e2e"]["events"], 2);
    assert_eq!(stats["datasets"]["e2e"]["retention_dropped"], 1);
    assert_eq!(app.state.store.events("e2e").await.unwrap().len(), 2);
    let detail = |run: &str| {
        let mut req = get(&format!("/api/runs/{run}"));
        req.headers_mut()
            .insert("authorization", format!("Bearer {token}").parse().unwrap());
        req
    };
    assert_eq!(
        app.send(detail(&runs[0])).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.send(detail(&runs[2])).await.status(), StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_graceful_stop_writes_every_span_so_a_restart_finds_them() {
    let dir = tempfile::tempdir().unwrap();
    let client = reqwest::Client::new();
    let server = Running::start(dir.path(), Arc::new(RecordingBulb::default())).await;
    let token = server.join(&client, "Ada").await;
    server.set_delay(&client, 0).await;
    server.set(&client, &token, json!({"colour": "red"})).await;
    server.drained(&client, Duration::from_secs(5)).await;
    // Requests right before the stop: their spans may still be queued when it comes.
    for _ in 0..50 {
        let res = client.get(server.url("/api/bulb")).send().await.unwrap();
        assert_eq!(res.status(), 200);
    }
    server.shut_down().await;

    let events = Store::open(dir.path())
        .unwrap()
        .events("bulb")
        .await
        .unwrap();
    let named = |name: &str| events.iter().filter(|e| e["name"] == name).count();
    let gets = named("GET /api/bulb");
    assert!(gets >= 50, "{gets} GET spans");
    assert_eq!(named("POST /api/attendees"), 1);
    assert_eq!(named("PUT /api/bulb"), 1);
    assert_eq!(named("bulb.enqueue"), 1);
    assert_eq!(named("bulb.apply"), 1);
    assert_eq!(named("bulb.driver"), 1);

    // The counters start from what is on disk.
    let server = Running::start(dir.path(), Arc::new(RecordingBulb::default())).await;
    let stats = server.get_json(&client, "/api/events/stats", None).await;
    let bulb = &stats["datasets"]["bulb"];
    assert!(
        bulb["events"].as_u64().unwrap() >= events.len() as u64,
        "{stats}"
    );
    assert_eq!(bulb["dropped"], 0);
    assert_eq!(bulb["retention_dropped"], 0);
    assert_eq!(stats["datasets"]["e2e"]["events"], 0);
    server.shut_down().await;
}
