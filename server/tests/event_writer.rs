//! The event writer on its own connection: the drop counters it saves survive a
//! restart; the cap on bytes trims SQLite and memory alike, oldest first; and the
//! requests' writes (attendees, runs, checks) never fail while it writes.

mod support;

use std::sync::Arc;

use axum::http::StatusCode;
use bulbwatch::events::{Events, NewEvent, Retention};
use bulbwatch::store::Store;
use bulbwatch_api::Dataset;
use serde_json::json;
use support::running::Running;
use support::{RecordingBulb, json_request};
use tokio_util::sync::CancellationToken;

/// An event whose fields encode to the same number of bytes for every timestamp and
/// `n` of 2 digits.
fn event(timestamp_ms: i64, n: i64) -> NewEvent {
    let fields = json!({"timestamp": timestamp_ms, "name": "test", "n": n, "pad": "x".repeat(100)});
    NewEvent {
        dataset: Dataset::Bulb,
        timestamp_ms,
        trace_id: None,
        fields: fields.as_object().unwrap().clone(),
    }
}

fn size_of(event: &NewEvent) -> u64 {
    serde_json::to_string(&event.fields).unwrap().len() as u64
}

async fn stored_ns(store: &Store) -> Vec<i64> {
    store
        .events("bulb")
        .await
        .unwrap()
        .iter()
        .map(|e| e["n"].as_i64().unwrap())
        .collect()
}

/// The oldest and newest timestamps in memory, and how many events (each event's
/// `n` is its timestamp).
async fn held(events: &Events) -> (Option<i64>, Option<i64>, usize) {
    events
        .tables()
        .read(Dataset::Bulb, |t| (t.oldest_ms(), t.newest_ms(), t.len()))
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drop_counters_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    {
        let events = Events::open(Store::open(dir.path()).unwrap(), 2)
            .await
            .unwrap();
        // A queue of three that nobody drains yet: two of five are dropped.
        let (sink, queue) = events.queue(3);
        for i in 0..5 {
            sink.send(event(10 + i, 10 + i));
        }
        let finish = CancellationToken::new();
        finish.cancel();
        // The three queued land; the cap of two deletes the oldest.
        events.spawn_writer(queue, finish).await.unwrap();
        let stats = events.stats().datasets[&Dataset::Bulb];
        assert_eq!(
            (stats.events, stats.dropped, stats.retention_dropped),
            (2, 2, 1)
        );
    }

    let client = reqwest::Client::new();
    let server = Running::start(dir.path(), Arc::new(RecordingBulb::default())).await;
    let stats = server.get_json(&client, "/api/events/stats", None).await;
    let bulb = &stats["datasets"]["bulb"];
    assert_eq!(bulb["dropped"], 2, "{stats}");
    assert_eq!(bulb["retention_dropped"], 1, "{stats}");
    assert_eq!(stats["datasets"]["e2e"]["dropped"], 0);
    server.shut_down().await;

    // And again: they add up across restarts rather than start over.
    let events = Events::open(Store::open(dir.path()).unwrap(), 1)
        .await
        .unwrap();
    events.load().await.unwrap();
    let stats = events.stats().datasets[&Dataset::Bulb];
    assert_eq!(stats.dropped, 2);
    assert!(stats.retention_dropped > 1, "the lower cap trimmed at load");
    assert_eq!(stats.events, 1);
}

#[tokio::test]
async fn the_cap_on_bytes_deletes_the_oldest_from_sqlite_and_memory() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let size = size_of(&event(10, 10));
    // Room for three and a half events' fields; the count cap is far away.
    let retention = Retention {
        events: 1_000,
        bytes: size * 7 / 2,
    };
    let events = Events::open(store.clone(), retention).await.unwrap();
    // Out of order on purpose: age is the timestamp, not the arrival.
    let batch = [15, 11, 19, 13, 17, 12, 18, 10, 16, 14]
        .map(|t| event(t, t))
        .to_vec();
    events.write(batch).await.unwrap();
    assert_eq!(stored_ns(&store).await, vec![19, 17, 18]);
    assert_eq!(held(&events).await, (Some(17), Some(19), 3));
    let stats = events.stats().datasets[&Dataset::Bulb];
    assert_eq!((stats.events, stats.retention_dropped), (3, 7));
    assert_eq!(events.stored_bytes(Dataset::Bulb), 3 * size);

    // One more: the oldest goes, in both.
    events.write(vec![event(20, 20)]).await.unwrap();
    assert_eq!(held(&events).await, (Some(18), Some(20), 3));
    assert_eq!(stored_ns(&store).await.len(), 3);

    // A lower cap at the next start trims before anything is loaded.
    drop(events);
    let retention = Retention {
        events: 1_000,
        bytes: size * 3 / 2,
    };
    let events = Events::open(store.clone(), retention).await.unwrap();
    assert_eq!(
        events.stored_bytes(Dataset::Bulb),
        3 * size,
        "counted at open"
    );
    events.load().await.unwrap();
    assert_eq!(stored_ns(&store).await, vec![20]);
    assert_eq!(held(&events).await, (Some(20), Some(20), 1));
    let stats = events.stats().datasets[&Dataset::Bulb];
    assert_eq!((stats.events, stats.retention_dropped), (1, 10));
    assert_eq!(events.stored_bytes(Dataset::Bulb), size);

    // An event larger than the whole cap is written, then trimmed with the rest.
    let mut fat = event(30, 30);
    fat.fields.insert("pad".into(), json!("y".repeat(1_000)));
    events.write(vec![fat]).await.unwrap();
    assert_eq!(stored_ns(&store).await, Vec::<i64>::new());
    assert_eq!(events.tables().len(Dataset::Bulb).await.unwrap(), 0);
    assert_eq!(events.stored_bytes(Dataset::Bulb), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_write_while_the_event_writer_writes() {
    // A cap the batches keep crossing, so every batch also deletes.
    let app = support::test_app_with_retention(tempfile::tempdir().unwrap(), 3_000).await;
    let events = app.state.events.clone();
    let writer = tokio::spawn(async move {
        for round in 0..30i64 {
            let batch = (0..2_000).map(|i| event(round * 2_000 + i, 10)).collect();
            events.write(batch).await.unwrap();
        }
    });
    // Twenty attendees (joins are rate-limited per address), each recording a run
    // and saving a check, while the batches go on.
    let mut written = 0;
    while written < 20 {
        let token = app.join(&format!("Ada {written}")).await;
        let run = json!({"check_name": "classic", "report": support::run_report(true)});
        let res = app
            .send(json_request("POST", "/api/runs", &run, Some(&token)))
            .await;
        assert_eq!(res.status(), StatusCode::CREATED);
        let check = json!({"name": "mine", "source": "// nothing yet"});
        let res = app
            .send(json_request("POST", "/api/checks", &check, Some(&token)))
            .await;
        assert_eq!(res.status(), StatusCode::CREATED);
        written += 1;
    }
    writer.await.unwrap();
    let stats = app.state.events.stats();
    assert_eq!(stats.datasets[&Dataset::Bulb].events, 3_000);
    assert_eq!(stats.datasets[&Dataset::Bulb].retention_dropped, 57_000);
    assert_eq!(stats.datasets[&Dataset::E2e].events, written);
    assert_eq!(stats.datasets[&Dataset::Bulb].dropped, 0);
    assert_eq!(
        app.state.store.attendees().await.unwrap().len() as u64,
        written
    );
}
