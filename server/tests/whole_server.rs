//! The whole server on port 0 over real HTTP: concurrent writers, the queue's order
//! and delay, live updates, and a restart that keeps everything acknowledged.

mod support;

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use serde_json::{Value, json};
use support::RecordingBulb;
use support::running::Running;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_writers_are_acknowledged_at_once_and_applied_in_order_with_the_delay() {
    let dir = tempfile::tempdir().unwrap();
    let driver = Arc::new(RecordingBulb::default());
    let server = Running::start(dir.path(), driver.clone()).await;
    let client = reqwest::Client::new();
    const DELAY_MS: u64 = 300;

    let names = ["Ada", "Grace", "Linus", "Barbara"];
    let colours = ["red", "green", "blue", "yellow"];
    let mut tokens = Vec::new();
    for name in names {
        tokens.push(server.join(&client, name).await);
    }
    server.set_delay(&client, DELAY_MS).await;

    // Four attendees write at the same moment. Each 202 comes back while its own
    // change is still waiting: the driver has not seen that colour yet.
    let writes = tokens.iter().zip(colours).map(|(token, colour)| {
        let (server, client, driver) = (&server, &client, &driver);
        async move {
            let accepted = server.set(client, token, json!({"colour": colour})).await;
            let hue = bulbwatch::colour::parse_colour(colour).unwrap().hsb.hue;
            let applied_yet = driver.applied().iter().any(|(_, hsb)| hsb.hue == hue);
            assert!(!applied_yet, "{colour} was applied before its 202");
            accepted
        }
    });
    let accepted: Vec<Value> = futures_util::future::join_all(writes).await;
    let state = server.bulb(&client).await;
    assert_eq!(state["queue_length"], 4);
    assert_eq!(state["request_id"], Value::Null);

    let state = server.drained(&client, Duration::from_secs(5)).await;
    let applied = driver.applied();
    assert_eq!(applied.len(), 4);
    for pair in applied.windows(2) {
        let gap = pair[1].0 - pair[0].0;
        assert!(gap >= Duration::from_millis(DELAY_MS - 5), "gap {gap:?}");
    }
    // GET shows the last writer: the one whose change the worker applied last.
    let last_hue = applied.last().unwrap().1.hue;
    let last = accepted
        .iter()
        .zip(names)
        .zip(colours)
        .find(|((a, _), _)| a["request_id"] == state["request_id"])
        .expect("the shown request id is one of ours");
    let ((_, last_name), last_colour) = last;
    assert_eq!(state["applied_by"]["name"], last_name);
    assert_eq!(state["colour"], last_colour);
    assert_eq!(state["hue"], last_hue);

    // One writer, three quick changes: applied in the order they were acknowledged.
    let sequence = ["cyan", "purple", "pink"];
    for colour in sequence {
        server
            .set(&client, &tokens[1], json!({"colour": colour}))
            .await;
    }
    server.drained(&client, Duration::from_secs(5)).await;
    let hues: Vec<u16> = driver.applied()[4..]
        .iter()
        .map(|(_, hsb)| hsb.hue)
        .collect();
    let expected: Vec<u16> = sequence
        .iter()
        .map(|c| bulbwatch::colour::parse_colour(c).unwrap().hsb.hue)
        .collect();
    assert_eq!(hues, expected);
    server.shut_down().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_change_reaches_the_live_stream() {
    let dir = tempfile::tempdir().unwrap();
    let server = Running::start(dir.path(), Arc::new(RecordingBulb::default())).await;
    let client = reqwest::Client::new();
    let token = server.join(&client, "Ada").await;
    server.set_delay(&client, 0).await;

    let res = client
        .get(server.url("/api/bulb/events"))
        .send()
        .await
        .unwrap();
    let mut stream = res.bytes_stream();
    let first = stream.next().await.unwrap().unwrap();
    assert!(String::from_utf8_lossy(&first).contains("event: bulb"));

    let accepted = server
        .set(&client, &token, json!({"colour": "orange"}))
        .await;
    let id = accepted["request_id"].as_str().unwrap().to_string();
    let seen = tokio::time::timeout(Duration::from_secs(2), async {
        let mut text = String::new();
        while let Some(chunk) = stream.next().await {
            text.push_str(&String::from_utf8_lossy(&chunk.unwrap()));
            if text.contains(&id) {
                return text;
            }
        }
        panic!("stream ended")
    })
    .await
    .expect("the applied change arrives on the stream within 2 s");
    assert!(seen.contains("\"colour\":\"orange\""), "{seen}");
    assert!(seen.contains("\"name\":\"Ada\""), "{seen}");
    drop(stream);
    server.shut_down().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_keeps_attendees_bulb_state_and_the_queue() {
    let dir = tempfile::tempdir().unwrap();
    let client = reqwest::Client::new();

    let server = Running::start(dir.path(), Arc::new(RecordingBulb::default())).await;
    let token = server.join(&client, "Ada").await;
    server.set_delay(&client, 0).await;
    let accepted = server
        .set(&client, &token, json!({"colour": "#336699"}))
        .await;
    let before = server.drained(&client, Duration::from_secs(5)).await;
    assert_eq!(before["request_id"], accepted["request_id"]);
    // Queue one more with a long delay and stop before it is applied.
    server.set_delay(&client, 1000).await;
    let pending = server
        .set(&client, &token, json!({"colour": "green"}))
        .await;
    server.shut_down().await;

    let driver = Arc::new(RecordingBulb::default());
    let server = Running::start(dir.path(), driver.clone()).await;
    let after = server.bulb(&client).await;
    assert_eq!(after["colour"], "#336699");
    assert_eq!(after["request_id"], before["request_id"]);
    assert_eq!(after["applied_by"]["name"], "Ada");
    assert_eq!(
        after["queue_length"], 1,
        "the acknowledged change is still queued"
    );
    assert_eq!(
        after["queue_delay_ms"], 1000,
        "the queue delay survives too"
    );
    // The driver was set back to the last colour at start.
    assert_eq!(driver.applied().len(), 1);

    let me = client
        .get(server.url("/api/attendees/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200, "the token still works after a restart");
    assert_eq!(me.json::<Value>().await.unwrap()["name"], "Ada");

    let finished = server.drained(&client, Duration::from_secs(5)).await;
    assert_eq!(finished["request_id"], pending["request_id"]);
    assert_eq!(finished["colour"], "green");
    server.shut_down().await;
}
