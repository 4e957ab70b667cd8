//! Router tests for the bulb service: `GET/PUT /api/bulb`, the queue delay, the live
//! stream, and the envelope for unknown paths and methods.

mod support;

use axum::http::StatusCode;
use http_body_util::BodyExt;
use serde_json::json;
use support::{assert_error, body_json, get, json_request, raw_request, test_app, test_app_with};

#[tokio::test]
async fn a_new_bulb_is_white_with_an_empty_queue() {
    let app = test_app().await;
    let res = app.send(get("/api/bulb")).await;
    assert_eq!(res.status(), StatusCode::OK);
    let state = body_json(res).await;
    assert_eq!(state["colour"], "white");
    assert_eq!(state["hex"], "#ffffff");
    assert_eq!(state["request_id"], serde_json::Value::Null);
    assert_eq!(state["queue_length"], 0);
    assert_eq!(state["queue_delay_ms"], 400);
}

#[tokio::test]
async fn put_accepts_named_hex_and_hsb_colours_with_202() {
    let app = test_app().await;
    let token = app.join("Ada").await;
    let bodies = [
        json!({"colour": "purple"}),
        json!({"colour": "#FF8800"}),
        json!({"hue": 43690, "sat": 254, "bri": 200}),
    ];
    let mut ids = Vec::new();
    for (i, body) in bodies.iter().enumerate() {
        let res = app
            .send(json_request("PUT", "/api/bulb", body, Some(&token)))
            .await;
        assert_eq!(res.status(), StatusCode::ACCEPTED, "{body}");
        let accepted = body_json(res).await;
        assert_eq!(accepted["queue_length"], i + 1);
        ids.push(accepted["request_id"].as_str().unwrap().to_string());
    }
    ids.dedup();
    assert_eq!(ids.len(), 3, "request ids are distinct");
    let state = body_json(app.send(get("/api/bulb")).await).await;
    assert_eq!(state["queue_length"], 3);
}

#[tokio::test]
async fn put_rejects_bad_colours_with_a_reason() {
    let app = test_app().await;
    let token = app.join("Ada").await;
    let cases = [
        (json!({"colour": "mauve"}), "named colour"),
        (json!({"colour": "#12345g"}), "#rrggbb"),
        (
            json!({"hue": 70000, "sat": 100, "bri": 100}),
            "`hue` must be 0–65535, got 70000",
        ),
        (
            json!({"hue": 1, "sat": 255, "bri": 100}),
            "`sat` must be 0–254, got 255",
        ),
        (
            json!({"hue": 1, "sat": 1, "bri": 0}),
            "`bri` must be 1–254, got 0",
        ),
        (json!({"hue": 1}), "all three"),
        (json!({}), "say which colour"),
        (
            json!({"colour": "red", "hue": 1, "sat": 1, "bri": 1}),
            "not both",
        ),
    ];
    for (body, expected) in cases {
        let res = app
            .send(json_request("PUT", "/api/bulb", &body, Some(&token)))
            .await;
        let msg = assert_error(res, StatusCode::BAD_REQUEST, "invalid_input").await;
        assert!(msg.contains(expected), "{body}: {msg}");
    }
    let state = body_json(app.send(get("/api/bulb")).await).await;
    assert_eq!(state["queue_length"], 0, "nothing bad was queued");
}

#[tokio::test]
async fn put_rejects_malformed_bodies() {
    let app = test_app().await;
    let token = app.join("Ada").await;
    let res = app
        .send(json_request(
            "PUT",
            "/api/bulb",
            &json!({"color": "red"}),
            Some(&token),
        ))
        .await;
    let msg = assert_error(res, StatusCode::BAD_REQUEST, "invalid_json").await;
    assert!(msg.contains("unknown field `color`"), "{msg}");
    let res = app
        .send(raw_request(
            "PUT",
            "/api/bulb",
            "not json".into(),
            Some(&token),
        ))
        .await;
    assert_error(res, StatusCode::BAD_REQUEST, "invalid_json").await;
    let res = app
        .send(json_request(
            "PUT",
            "/api/bulb",
            &json!({"hue": "red", "sat": 1, "bri": 1}),
            Some(&token),
        ))
        .await;
    assert_error(res, StatusCode::BAD_REQUEST, "invalid_json").await;
    let huge = format!("{{\"colour\": \"{}\"}}", "r".repeat(70 * 1024));
    let res = app
        .send(raw_request("PUT", "/api/bulb", huge, Some(&token)))
        .await;
    let msg = assert_error(res, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
    assert!(msg.contains("at most 64 KB"), "{msg}");
}

#[tokio::test]
async fn put_needs_a_known_token() {
    let app = test_app().await;
    let res = app
        .send(json_request(
            "PUT",
            "/api/bulb",
            &json!({"colour": "red"}),
            None,
        ))
        .await;
    assert_error(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let res = app
        .send(json_request(
            "PUT",
            "/api/bulb",
            &json!({"colour": "red"}),
            Some("forged"),
        ))
        .await;
    assert_error(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

#[tokio::test]
async fn queue_delay_is_bounded_and_readable() {
    let app = test_app().await;
    let token = app.facilitator();
    let res = app
        .send(json_request(
            "PUT",
            "/api/bulb/queue-delay",
            &json!({"queue_delay_ms": 1500}),
            Some(&token),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(body_json(res).await["queue_delay_ms"], 1500);
    let res = app.send(get("/api/bulb/queue-delay")).await;
    assert_eq!(body_json(res).await["queue_delay_ms"], 1500);

    for bad in [5000, -1] {
        let res = app
            .send(json_request(
                "PUT",
                "/api/bulb/queue-delay",
                &json!({"queue_delay_ms": bad}),
                Some(&token),
            ))
            .await;
        let msg = assert_error(res, StatusCode::BAD_REQUEST, "invalid_input").await;
        assert_eq!(msg, format!("queue delay must be 0–2000 ms, got {bad}"));
    }
    let res = app
        .send(json_request(
            "PUT",
            "/api/bulb/queue-delay",
            &json!({"queue_delay_ms": 10}),
            None,
        ))
        .await;
    assert_error(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let state = body_json(app.send(get("/api/bulb")).await).await;
    assert_eq!(
        state["queue_delay_ms"], 1500,
        "rejected values changed nothing"
    );
}

#[tokio::test]
async fn a_full_queue_refuses_changes_with_503_and_keeps_the_queued_ones() {
    let app = test_app_with(tempfile::tempdir().unwrap(), 2).await;
    let token = app.join("Ada").await;
    let delay = json!({"queue_delay_ms": 2000});
    let res = app
        .send(json_request(
            "PUT",
            "/api/bulb/queue-delay",
            &delay,
            Some(&app.facilitator()),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let green = json!({"colour": "green"});
    for _ in 0..2 {
        let res = app
            .send(json_request("PUT", "/api/bulb", &green, Some(&token)))
            .await;
        assert_eq!(res.status(), StatusCode::ACCEPTED);
    }
    let res = app
        .send(json_request("PUT", "/api/bulb", &green, Some(&token)))
        .await;
    let msg = assert_error(res, StatusCode::SERVICE_UNAVAILABLE, "queue_full").await;
    assert_eq!(
        msg,
        "the bulb's queue is full (2 changes); try again in a few seconds"
    );
    let state = body_json(app.send(get("/api/bulb")).await).await;
    assert_eq!(
        state["queue_length"], 2,
        "the refused change was not queued"
    );
}

#[tokio::test]
async fn live_stream_starts_with_the_current_state() {
    let app = test_app().await;
    let res = app.send(get("/api/bulb/events")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "text/event-stream");
    let mut body = res.into_body();
    let frame = body.frame().await.unwrap().unwrap();
    let text = String::from_utf8(frame.into_data().unwrap().to_vec()).unwrap();
    assert!(text.contains("event: bulb"), "{text}");
    assert!(text.contains("\"colour\":\"white\""), "{text}");
    assert!(text.contains("retry: 1000"), "{text}");
}

#[tokio::test]
async fn unknown_api_paths_and_methods_get_the_envelope() {
    let app = test_app().await;
    let msg = assert_error(
        app.send(get("/api/bulbz")).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert!(msg.contains("/api/bulbz"), "{msg}");
    let res = app
        .send(json_request("DELETE", "/api/bulb", &json!({}), None))
        .await;
    let msg = assert_error(res, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed").await;
    assert!(msg.contains("/api/bulb does not take DELETE"), "{msg}");
}

#[tokio::test]
async fn other_paths_serve_the_app() {
    let app = test_app().await;
    for path in ["/", "/play", "/index.html"] {
        let res = app.send(get(path)).await;
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        // Cross-origin isolated, so the check worker may use SharedArrayBuffer.
        assert_eq!(res.headers()["cross-origin-opener-policy"], "same-origin");
        assert_eq!(
            res.headers()["cross-origin-embedder-policy"],
            "require-corp"
        );
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        assert!(String::from_utf8_lossy(&bytes).contains("<title>Bulbwatch</title>"));
    }
}

#[tokio::test]
async fn explore_paths_serve_explore_and_the_rest_the_page() {
    let app = test_app().await;
    let title_of = async |path: &str| {
        let res = app.send(get(path)).await;
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        assert_eq!(
            res.headers()["cross-origin-embedder-policy"],
            "require-corp",
            "{path}"
        );
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        let html = String::from_utf8_lossy(&bytes).to_string();
        html[html.find("<title>").unwrap() + 7..html.find("</title>").unwrap()].to_string()
    };
    for path in [
        "/explore",
        "/explore/",
        "/explore/traces/4bf92f3577b34da6a3ce929d0e0e4736",
        "/explore/history?check=c1",
        "/explore?q=%7B%7D",
    ] {
        assert_eq!(title_of(path).await, "Explore · Bulbwatch", "{path}");
    }
    for path in ["/runs/r-1", "/explorer", "/instrumentation"] {
        assert_eq!(title_of(path).await, "Bulbwatch", "{path}");
    }
}

/// Waits (up to 10 s) until the bulb shows change `id`.
async fn shown(app: &support::TestApp, id: &str) -> serde_json::Value {
    for _ in 0..200 {
        let state = body_json(app.send(get("/api/bulb")).await).await;
        if state["request_id"] == id {
            return state;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("change {id} was never shown");
}

async fn change(app: &support::TestApp, token: &str, body: serde_json::Value) -> String {
    let res = app
        .send(json_request("PUT", "/api/bulb", &body, Some(token)))
        .await;
    assert_eq!(res.status(), StatusCode::ACCEPTED, "{body}");
    body_json(res).await["request_id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn on_off_switches_the_bulb_and_keeps_its_colour_across_a_restart() {
    let app = test_app().await;
    let fac = app.facilitator();
    let res = app
        .send(json_request(
            "PUT",
            "/api/bulb/queue-delay",
            &json!({"queue_delay_ms": 0}),
            Some(&fac),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let token = app.join("Ada").await;
    let state = body_json(app.send(get("/api/bulb")).await).await;
    assert_eq!(state["on"], true, "a new bulb is lit");

    change(&app, &token, json!({"colour": "red"})).await;
    let off = change(&app, &token, json!({"on": false})).await;
    let state = shown(&app, &off).await;
    assert_eq!(
        (&state["on"], &state["colour"]),
        (&json!(false), &json!("red"))
    );

    let app = app.restart().await;
    let state = body_json(app.send(get("/api/bulb")).await).await;
    assert_eq!(
        (&state["on"], &state["colour"]),
        (&json!(false), &json!("red"))
    );

    let token = app.join("Grace").await;
    let on = change(&app, &token, json!({"on": true})).await;
    let state = shown(&app, &on).await;
    assert_eq!(
        (&state["on"], &state["colour"]),
        (&json!(true), &json!("red"))
    );
    let dark_green = change(&app, &token, json!({"colour": "green", "on": false})).await;
    let state = shown(&app, &dark_green).await;
    assert_eq!(
        (&state["on"], &state["colour"]),
        (&json!(false), &json!("green"))
    );
    let green = change(&app, &token, json!({"colour": "green"})).await;
    assert_eq!(shown(&app, &green).await["on"], true, "a colour lights it");

    let res = app
        .send(json_request(
            "PUT",
            "/api/bulb",
            &json!({"on": "off"}),
            Some(&token),
        ))
        .await;
    let message = assert_error(res, StatusCode::BAD_REQUEST, "invalid_json").await;
    assert!(message.contains("expected a boolean"), "{message}");
}
