//! Instrumentation points: the catalogue matches the code (every snippet is in its
//! file, at its line), the switches start off, persist across a restart, and are
//! recorded as markers; bad ids and bodies get the envelope.

mod support;

use std::path::Path;

use axum::http::StatusCode;
use bulbwatch::instrumentation::points::snippet_line;
use bulbwatch::instrumentation::{CATALOGUE, PointId};
use serde_json::{Value, json};
use support::{assert_error, body_json, get, json_request, raw_request, test_app};

fn repo_file(relative: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    std::fs::read_to_string(root.join(relative))
        .unwrap_or_else(|e| panic!("cannot read {relative}: {e}"))
}

#[test]
fn every_snippet_is_in_its_file_at_its_line() {
    for def in &CATALOGUE {
        let source = repo_file(def.file);
        let lines: Vec<&str> = source.lines().collect();
        let line = def.line();
        assert!(line > 0, "{}: snippet not found in {}", def.key, def.file);
        assert_eq!(
            snippet_line(&source, def.snippet()),
            Some(line),
            "{}",
            def.key
        );
        // Line by line, with the indentation of the first line.
        let first = lines[line as usize - 1];
        let indent = &first[..first.len() - first.trim_start().len()];
        for (i, want) in def.snippet().lines().enumerate() {
            let got = lines[line as usize - 1 + i];
            if want.is_empty() {
                assert!(
                    got.trim().is_empty(),
                    "{} line {}",
                    def.key,
                    line as usize + i
                );
            } else {
                assert_eq!(
                    got,
                    format!("{indent}{want}"),
                    "{} line {}",
                    def.key,
                    line as usize + i
                );
            }
        }
        // It is the point it says it is, and it records what it says it adds.
        assert!(
            def.snippet()
                .starts_with(&format!("// Instrumentation point `{}`", def.key)),
            "{}",
            def.key
        );
        assert!(
            def.snippet()
                .contains(&format!("points.on(PointId::{:?})", def.id)),
            "{}",
            def.key
        );
        for attribute in def.attributes {
            assert!(
                def.snippet().contains(&format!("record(\"{attribute}\"")),
                "{} does not record {attribute}",
                def.key
            );
        }
        // Exactly one spot asks for this point.
        let asks = source.matches(&format!("PointId::{:?})", def.id)).count();
        assert_eq!(asks, 1, "{} is asked for {asks} times", def.key);
    }
}

#[tokio::test]
async fn points_start_off_and_list_their_code() {
    let app = test_app().await;
    let res = app.send(get("/api/instrumentation/points")).await;
    assert_eq!(res.status(), StatusCode::OK);
    let points = body_json(res).await;
    let points = points.as_array().unwrap();
    assert_eq!(points.len(), PointId::COUNT);
    let ids: Vec<&str> = points.iter().map(|p| p["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&"bulb.enqueue.queue_length"), "{ids:?}");
    for point in points {
        assert_eq!(point["on"], false, "{point}");
        assert!(point["line"].as_u64().unwrap() > 0);
        assert!(point["file"].as_str().unwrap().starts_with("server/src/"));
        assert!(!point["snippet"].as_str().unwrap().is_empty());
        assert!(!point["attributes"].as_array().unwrap().is_empty());
        assert!(!point["title"].as_str().unwrap().is_empty());
    }
    let one = body_json(
        app.send(get("/api/instrumentation/points/bulb.apply.delay"))
            .await,
    )
    .await;
    assert_eq!(
        one["attributes"],
        json!(["queue_delay_ms", "queue_length", "delay_ms"])
    );
    assert_eq!(one["span"], "bulb.apply");
}

#[tokio::test]
async fn a_switch_survives_a_restart_and_leaves_a_marker() {
    let app = test_app().await;
    let ada = app.join("Ada").await;
    let path = "/api/instrumentation/points/bulb.enqueue.queue_length";
    let switch =
        |token: String, on: bool| json_request("PUT", path, &json!({"on": on}), Some(&token));
    // Points are the facilitator's until they let attendees switch them.
    let res = app.send(switch(ada.clone(), true)).await;
    let message = assert_error(res, StatusCode::FORBIDDEN, "forbidden").await;
    assert!(message.contains("facilitator"), "{message}");
    let res = app.send(switch(app.facilitator(), true)).await;
    assert_eq!(res.status(), StatusCode::OK);
    let point = body_json(res).await;
    assert_eq!(point["on"], true);
    assert!(app.state.points.on(PointId::EnqueueQueueLength));

    let app = app.restart().await;
    let points = body_json(app.send(get("/api/instrumentation/points")).await).await;
    for point in points.as_array().unwrap() {
        let expected = point["id"] == "bulb.enqueue.queue_length";
        assert_eq!(point["on"], expected, "{point}");
    }

    let markers = body_json(app.send(get("/api/markers")).await).await;
    let markers = markers.as_array().unwrap();
    assert_eq!(markers.len(), 1, "{markers:?}");
    assert_eq!(markers[0]["kind"], "instrumentation_point");
    assert_eq!(
        markers[0]["text"],
        "instrumentation point bulb.enqueue.queue_length switched on"
    );
    assert_eq!(markers[0]["attendee"], Value::Null);

    // With the room switch on, an attendee may switch points. Switching one to what
    // it already is leaves no marker; off again does, with their name.
    let res = app
        .send(json_request(
            "PUT",
            "/api/room/switches/attendees_switch_points",
            &json!({"on": true}),
            Some(&app.facilitator()),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let grace = app.join("Grace").await;
    for on in [true, false] {
        let res = app.send(switch(grace.clone(), on)).await;
        assert_eq!(res.status(), StatusCode::OK);
    }
    let markers = body_json(app.send(get("/api/markers")).await).await;
    let kinds: Vec<&str> = markers
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "instrumentation_point",
            "room_switch",
            "instrumentation_point"
        ],
        "{markers}"
    );
    assert_eq!(markers[2]["attendee"]["name"], "Grace");
    assert!(!app.state.points.on(PointId::EnqueueQueueLength));
}

#[tokio::test]
async fn unknown_points_bad_bodies_and_strangers_get_the_envelope() {
    let app = test_app().await;
    let ada = app.join("Ada").await;
    let token = app.facilitator();
    let res = app
        .send(json_request(
            "PUT",
            "/api/instrumentation/points/bulb.nope",
            &json!({"on": true}),
            Some(&token),
        ))
        .await;
    let message = assert_error(res, StatusCode::NOT_FOUND, "not_found").await;
    assert!(message.contains("bulb.nope"), "{message}");
    let res = app.send(get("/api/instrumentation/points/bulb.nope")).await;
    assert_error(res, StatusCode::NOT_FOUND, "not_found").await;

    let path = "/api/instrumentation/points/bulb.enqueue.colour";
    for body in [
        json!({"on": "yes"}),
        json!({}),
        json!({"on": true, "off": 1}),
    ] {
        let res = app
            .send(json_request("PUT", path, &body, Some(&token)))
            .await;
        assert_error(res, StatusCode::BAD_REQUEST, "invalid_json").await;
    }
    let res = app
        .send(raw_request("PUT", path, "{on:".into(), Some(&token)))
        .await;
    assert_error(res, StatusCode::BAD_REQUEST, "invalid_json").await;
    let res = app
        .send(json_request("PUT", path, &json!({"on": true}), None))
        .await;
    assert_error(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let res = app
        .send(json_request("PUT", path, &json!({"on": true}), Some(&ada)))
        .await;
    assert_error(res, StatusCode::FORBIDDEN, "forbidden").await;
    assert!(!app.state.points.on(PointId::EnqueueColour));
}

#[tokio::test]
async fn a_queue_delay_change_leaves_a_marker_and_markers_take_a_range() {
    let app = test_app().await;
    let token = app.facilitator();
    let before = bulbwatch::store::now_ms();
    let res = app
        .send(json_request(
            "PUT",
            "/api/bulb/queue-delay",
            &json!({"queue_delay_ms": 1500}),
            Some(&token),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let after = bulbwatch::store::now_ms() + 1;

    let uri = format!("/api/markers?from={before}&to={after}");
    let markers = body_json(app.send(get(&uri)).await).await;
    assert_eq!(markers[0]["kind"], "queue_delay");
    assert_eq!(markers[0]["text"], "queue delay set to 1500 ms");
    let at = markers[0]["at_ms"].as_i64().unwrap();
    assert!((before..after).contains(&at));

    let uri = format!("/api/markers?from={after}");
    let markers = body_json(app.send(get(&uri)).await).await;
    assert_eq!(markers, json!([]));

    for bad in [
        "/api/markers?from=soon",
        "/api/markers?from=10&to=5",
        "/api/markers?from=-1",
        "/api/markers?colour=red",
    ] {
        let res = app.send(get(bad)).await;
        assert_error(res, StatusCode::BAD_REQUEST, "invalid_input").await;
    }
}
