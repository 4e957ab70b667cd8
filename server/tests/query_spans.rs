//! Queries over the server's own spans (the `bulb` dataset) on a whole server: with
//! the instrumentation points off, "P95 of delay_ms by queue_length" cannot be asked
//! (the column does not exist); with them on it is answered, from the same events
//! SQLite holds, and again after a restart. Spans land in memory in step with SQLite,
//! retention included.

mod support;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bulbwatch::events::{Events, NewEvent};
use bulbwatch::store::Store;
use bulbwatch_api::{Dataset, QuerySpec};
use serde_json::{Value, json};
use support::RecordingBulb;
use support::running::Running;

async fn query(
    server: &Running,
    client: &reqwest::Client,
    token: &str,
    spec: &Value,
) -> (u16, Value) {
    let res = client
        .post(server.url("/api/query"))
        .bearer_auth(token)
        .json(spec)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.json().await.unwrap())
}

/// Polls until COUNT over `spec`'s events reaches `n` (the writer stores spans a
/// moment after they close).
async fn wait_for_count(
    server: &Running,
    client: &reqwest::Client,
    token: &str,
    spec: &Value,
    n: u64,
) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (status, answer) = query(server, client, token, spec).await;
        assert_eq!(status, 200, "{answer}");
        if answer["matched_events"].as_u64() == Some(n) {
            return;
        }
        assert!(Instant::now() < deadline, "never {n} events: {answer}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Nearest rank, computed apart from the engine.
fn p95(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let rank = (95 * values.len()).div_ceil(100).max(1);
    values[rank - 1]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p95_delay_by_queue_length_is_answered_only_with_the_points_on() {
    let dir = tempfile::tempdir().unwrap();
    let server = Running::start(dir.path(), Arc::new(RecordingBulb::default())).await;
    let client = reqwest::Client::new();
    let token = server.join(&client, "Ada").await;
    server.set_delay(&client, 200).await;
    let now_s = bulbwatch::store::now_ms() / 1000;
    let (start, end) = (now_s - 600, now_s + 600);
    let applies = |extra: Value| {
        let mut filters = vec![json!({"column": "name", "op": "=", "value": "bulb.apply"})];
        if !extra.is_null() {
            filters.push(extra);
        }
        json!({"dataset": "bulb", "start_time": start, "end_time": end, "filters": filters})
    };

    // Every point off: the apply span exists, its delay does not.
    server.set(&client, &token, json!({"colour": "red"})).await;
    server.drained(&client, Duration::from_secs(5)).await;
    wait_for_count(&server, &client, &token, &applies(Value::Null), 1).await;
    let mut delay_by_length = json!({
        "dataset": "bulb", "start_time": start, "end_time": end,
        "calculations": [{"op": "P95", "column": "delay_ms"}, {"op": "COUNT"}],
        "filters": [{"column": "name", "op": "=", "value": "bulb.apply"}],
        "breakdowns": ["queue_length"],
        "orders": [{"column": "queue_length", "order": "ascending"}]
    });
    let (status, answer) = query(&server, &client, &token, &delay_by_length).await;
    assert_eq!(status, 400, "{answer}");
    assert_eq!(answer["error"]["code"], "invalid_input");
    let message = answer["error"]["message"].as_str().unwrap();
    assert!(
        message.starts_with("calculations[0].column: ") && message.contains("delay_ms"),
        "{message}"
    );

    // Every point on, then a burst: the changes queue up behind each other.
    server.set_all_points(&client, true).await;
    let burst = (0..4).map(|_| server.set(&client, &token, json!({"colour": "green"})));
    futures_util::future::join_all(burst).await;
    server.drained(&client, Duration::from_secs(10)).await;
    let delayed = json!({"column": "delay_ms", "op": "exists"});
    wait_for_count(&server, &client, &token, &applies(delayed.clone()), 4).await;
    delay_by_length["filters"]
        .as_array_mut()
        .unwrap()
        .push(delayed);
    let (status, answer) = query(&server, &client, &token, &delay_by_length).await;
    assert_eq!(status, 200, "{answer}");

    // The same numbers from what SQLite holds.
    let mut by_length: BTreeMap<i64, Vec<f64>> = BTreeMap::new();
    for e in server.state.store.events("bulb").await.unwrap() {
        if e["name"] == "bulb.apply" && e.get("delay_ms").is_some() {
            let length = e["queue_length"].as_i64().expect("queue_length on apply");
            by_length
                .entry(length)
                .or_default()
                .push(e["delay_ms"].as_f64().unwrap());
        }
    }
    assert_eq!(by_length.values().map(Vec::len).sum::<usize>(), 4);
    let expected: Vec<Value> = by_length
        .into_iter()
        .map(|(length, delays)| {
            let n = delays.len() as f64;
            json!({"group": [length as f64], "values": [p95(delays), n]})
        })
        .collect();
    assert_eq!(answer["totals"], json!(expected), "{answer:#}");
    assert_eq!(answer["calculations"][0]["label"], "P95(delay_ms)");
    // Switching the points on left markers in the window.
    let markers = answer["markers"].as_array().unwrap();
    assert!(markers.len() >= 8, "{markers:?}");
    assert!(
        markers
            .iter()
            .all(|m| m["kind"] == "instrumentation_point" || m["kind"] == "queue_delay")
    );

    // A restart rebuilds the table from SQLite: the same answer.
    let columns = server
        .get_json(&client, "/api/datasets/bulb/columns", Some(&token))
        .await;
    assert!(
        columns
            .as_array()
            .unwrap()
            .contains(&json!({"name": "delay_ms", "column_type": "integer"})),
        "{columns}"
    );
    server.shut_down().await;
    let server = Running::start(dir.path(), Arc::new(RecordingBulb::default())).await;
    // Nothing has landed since the start: memory holds what SQLite holds.
    let stored = server.state.store.events("bulb").await.unwrap().len();
    let tables = server.state.events.tables();
    assert_eq!(tables.len(Dataset::Bulb).await.unwrap(), stored);
    let (status, again) = query(&server, &client, &token, &delay_by_length).await;
    assert_eq!(status, 200, "{again}");
    assert_eq!(again["totals"], answer["totals"]);
    assert_eq!(again["markers"], answer["markers"]);
    server.shut_down().await;
}

fn event(timestamp_ms: i64) -> NewEvent {
    let fields = json!({"timestamp": timestamp_ms, "name": "test", "n": timestamp_ms});
    NewEvent {
        dataset: Dataset::Bulb,
        timestamp_ms,
        trace_id: None,
        fields: fields.as_object().unwrap().clone(),
    }
}

/// The `n` of every event in memory, oldest first, by a query.
async fn in_memory(events: &Events) -> Vec<i64> {
    let spec: QuerySpec = serde_json::from_value(json!({
        "dataset": "bulb", "start_time": 0, "end_time": 1000,
        "breakdowns": ["n"], "orders": [{"column": "n"}]
    }))
    .unwrap();
    let answer = events
        .tables()
        .read(Dataset::Bulb, move |t| {
            bulbwatch_query::execute(t, &spec, 0).unwrap()
        })
        .await
        .unwrap();
    answer
        .totals
        .iter()
        .map(|row| match &row.group[0] {
            Some(bulbwatch_api::Scalar::Number(n)) => *n as i64,
            other => panic!("not a number: {other:?}"),
        })
        .collect()
}

/// The `n` of every event in SQLite, oldest first.
async fn in_sqlite(store: &Store) -> Vec<i64> {
    let mut n: Vec<i64> = store
        .events("bulb")
        .await
        .unwrap()
        .iter()
        .map(|e| e["n"].as_i64().unwrap())
        .collect();
    n.sort_unstable();
    n
}

#[tokio::test]
async fn spans_land_in_memory_in_step_with_sqlite_and_its_retention() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let events = Events::open(store.clone(), 3).await.unwrap();
    // Out of order on purpose: age is the timestamp, not the arrival.
    let batch = [5, 1, 4, 2, 3].map(event).to_vec();
    events.write(batch).await.unwrap();
    assert_eq!(in_sqlite(&store).await, [3, 4, 5]);
    assert_eq!(in_memory(&events).await, [3, 4, 5]);

    // An event older than all the others is the next to go, in both.
    events.write(vec![event(0), event(10)]).await.unwrap();
    assert_eq!(in_sqlite(&store).await, [4, 5, 10]);
    assert_eq!(in_memory(&events).await, [4, 5, 10]);

    // Reopened: the table is rebuilt from SQLite.
    let reopened = Events::open(store.clone(), 3).await.unwrap();
    assert_eq!(reopened.tables().len(Dataset::Bulb).await.unwrap(), 0);
    reopened.load().await.unwrap();
    assert_eq!(in_memory(&reopened).await, [4, 5, 10]);
    reopened.write(vec![event(7)]).await.unwrap();
    assert_eq!(in_sqlite(&store).await, [5, 7, 10]);
    assert_eq!(in_memory(&reopened).await, [5, 7, 10]);
}
