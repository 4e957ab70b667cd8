//! Who may do what: for every room control and every per-attendee resource, the
//! answer to anonymous, attendee A (the owner), attendee B and the facilitator.

mod support;

use axum::http::StatusCode;
use serde_json::{Value, json};
use support::{TestApp, body_json, json_request, raw_request, test_app};

/// The callers, in the order of each row's expected statuses.
#[derive(Clone, Copy, Debug)]
enum Who {
    Anonymous,
    A,
    B,
    Facilitator,
}

const EVERYONE: [Who; 4] = [Who::Anonymous, Who::A, Who::B, Who::Facilitator];

struct Tokens {
    a: String,
    b: String,
    facilitator: String,
}

impl Tokens {
    fn of(&self, who: Who) -> Option<&str> {
        match who {
            Who::Anonymous => None,
            Who::A => Some(&self.a),
            Who::B => Some(&self.b),
            Who::Facilitator => Some(&self.facilitator),
        }
    }
}

async fn call(
    app: &TestApp,
    method: &str,
    path: &str,
    body: &Value,
    token: Option<&str>,
) -> (StatusCode, Value) {
    let req = if method == "GET" || method == "DELETE" {
        let mut req = raw_request(method, path, String::new(), token);
        req.headers_mut().remove("content-type");
        req
    } else {
        json_request(method, path, body, token)
    };
    let res = app.send(req).await;
    let status = res.status();
    let is_json = res
        .headers()
        .get("content-type")
        .is_some_and(|v| v.to_str().unwrap_or_default().contains("json"));
    let body = if is_json {
        body_json(res).await
    } else {
        Value::Null
    };
    (status, body)
}

#[tokio::test]
async fn every_control_and_resource_answers_each_caller_as_documented() {
    let app = test_app().await;
    let tokens = Tokens {
        a: app.join("A").await,
        b: app.join("B").await,
        facilitator: app.facilitator(),
    };
    // A's own things.
    let (_, check) = call(
        &app,
        "POST",
        "/api/checks",
        &json!({"name": "mine", "source": "log(1);"}),
        Some(&tokens.a),
    )
    .await;
    let check_id = check["id"].as_str().unwrap().to_string();
    let report = support::run_report(true);
    let run_trace = report["trace_id"].as_str().unwrap().to_string();
    let (_, run) = call(
        &app,
        "POST",
        "/api/runs",
        &json!({"check_name": "mine", "report": report}),
        Some(&tokens.a),
    )
    .await;
    let run_id = run["run_id"].as_str().unwrap().to_string();
    call(
        &app,
        "PUT",
        "/api/diagnosis",
        &json!({"text": "the queue"}),
        Some(&tokens.a),
    )
    .await;
    let a_id = body_json(
        app.send(raw_request(
            "GET",
            "/api/attendees/me",
            String::new(),
            Some(&tokens.a),
        ))
        .await,
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_string();

    use StatusCode as S;
    const OK: S = S::OK;
    const NO: S = S::UNAUTHORIZED;
    const FORBIDDEN: S = S::FORBIDDEN;
    const NOT_FOUND: S = S::NOT_FOUND;
    // Each row: method, path, body, and the status for anonymous, A, B, facilitator.
    // The facilitator's bearer secret is not an attendee's token: attendee routes
    // answer it 401 (in a browser, the facilitator who joined has both cookies).
    let rows: Vec<(&str, String, Value, [S; 4])> = vec![
        // Reading the room: everyone.
        ("GET", "/api/room".into(), json!(null), [OK, OK, OK, OK]),
        (
            "GET",
            "/api/room/role".into(),
            json!(null),
            [OK, OK, OK, OK],
        ),
        ("GET", "/api/bulb".into(), json!(null), [OK, OK, OK, OK]),
        ("GET", "/api/bulbs".into(), json!(null), [OK, OK, OK, OK]),
        (
            "GET",
            "/api/bulb/queue-delay".into(),
            json!(null),
            [OK, OK, OK, OK],
        ),
        (
            "GET",
            "/api/instrumentation/points".into(),
            json!(null),
            [OK, OK, OK, OK],
        ),
        ("GET", "/api/markers".into(), json!(null), [OK, OK, OK, OK]),
        // Room controls: the facilitator's.
        (
            "PUT",
            "/api/bulb/queue-delay".into(),
            json!({"queue_delay_ms": 300}),
            [NO, FORBIDDEN, FORBIDDEN, OK],
        ),
        (
            "PUT",
            "/api/instrumentation/points/bulb.apply.delay".into(),
            json!({"on": false}),
            [NO, FORBIDDEN, FORBIDDEN, OK],
        ),
        (
            "PUT",
            "/api/room/phase".into(),
            json!({"phase": "write_check"}),
            [NO, FORBIDDEN, FORBIDDEN, OK],
        ),
        (
            "PUT",
            "/api/room/switches/attendees_switch_points".into(),
            json!({"on": false}),
            [NO, FORBIDDEN, FORBIDDEN, OK],
        ),
        (
            "GET",
            "/api/room/scenarios".into(),
            json!(null),
            [NO, FORBIDDEN, FORBIDDEN, OK],
        ),
        (
            "PUT",
            "/api/room/scenarios/flaky_green".into(),
            json!({"on": false}),
            [NO, FORBIDDEN, FORBIDDEN, OK],
        ),
        (
            "PUT",
            "/api/room/shards".into(),
            json!({"shards": 1}),
            [NO, FORBIDDEN, FORBIDDEN, OK],
        ),
        (
            "PUT",
            "/api/room/rehearsal".into(),
            json!({"attendees": 0}),
            [NO, FORBIDDEN, FORBIDDEN, OK],
        ),
        (
            "DELETE",
            "/api/room/rehearsal".into(),
            json!(null),
            [NO, FORBIDDEN, FORBIDDEN, OK],
        ),
        (
            "POST",
            "/api/room/reveal".into(),
            json!({}),
            [NO, FORBIDDEN, FORBIDDEN, OK],
        ),
        (
            "DELETE",
            "/api/room/reveal".into(),
            json!(null),
            [NO, FORBIDDEN, FORBIDDEN, OK],
        ),
        (
            "GET",
            "/api/room/join".into(),
            json!(null),
            [NO, FORBIDDEN, FORBIDDEN, OK],
        ),
        (
            "PUT",
            "/api/room/join".into(),
            json!({"code": "ACDEFH"}),
            [NO, FORBIDDEN, FORBIDDEN, OK],
        ),
        (
            "GET",
            "/api/room/join/qr.svg".into(),
            json!(null),
            [NO, FORBIDDEN, FORBIDDEN, OK],
        ),
        (
            "GET",
            "/api/room/board".into(),
            json!(null),
            [NO, FORBIDDEN, FORBIDDEN, OK],
        ),
        (
            "GET",
            "/api/room/hue".into(),
            json!(null),
            [NO, FORBIDDEN, FORBIDDEN, OK],
        ),
        (
            "POST",
            "/api/room/hue/link-button".into(),
            json!(null),
            [NO, FORBIDDEN, FORBIDDEN, OK],
        ),
        (
            "GET",
            "/api/room/driver".into(),
            json!(null),
            [NO, FORBIDDEN, FORBIDDEN, OK],
        ),
        (
            "PUT",
            format!("/api/room/diagnoses/{a_id}"),
            json!({"right": true}),
            [NO, FORBIDDEN, FORBIDDEN, OK],
        ),
        // Refused for want of confirmation, after the caller is known.
        (
            "POST",
            "/api/room/sessions".into(),
            json!({"confirm": false}),
            [NO, FORBIDDEN, FORBIDDEN, S::BAD_REQUEST],
        ),
        (
            "DELETE",
            "/api/attendees/nobody".into(),
            json!(null),
            [NO, FORBIDDEN, FORBIDDEN, NOT_FOUND],
        ),
        // A's own resources: A only.
        (
            "GET",
            format!("/api/checks/{check_id}"),
            json!(null),
            [NO, OK, NOT_FOUND, NO],
        ),
        (
            "PUT",
            format!("/api/checks/{check_id}"),
            json!({"name": "mine", "source": "log(2);"}),
            [NO, OK, NOT_FOUND, NO],
        ),
        (
            "GET",
            format!("/api/checks/{check_id}/versions"),
            json!(null),
            [NO, OK, NOT_FOUND, NO],
        ),
        ("GET", "/api/checks".into(), json!(null), [NO, OK, OK, NO]),
        ("GET", "/api/runs".into(), json!(null), [NO, OK, OK, NO]),
        (
            "GET",
            "/api/diagnosis".into(),
            json!(null),
            [NO, OK, NOT_FOUND, NO],
        ),
        (
            "PUT",
            "/api/diagnosis".into(),
            json!({"text": "still the queue"}),
            [NO, OK, OK, NO],
        ),
        (
            "PUT",
            "/api/bulb".into(),
            json!({"colour": "red"}),
            [NO, S::ACCEPTED, S::ACCEPTED, NO],
        ),
        // What the room shares: any run's report, its trace, the events, queries.
        // Every attendee and the facilitator; nobody from outside the room.
        (
            "GET",
            format!("/api/runs/{run_id}"),
            json!(null),
            [NO, OK, OK, OK],
        ),
        (
            "GET",
            format!("/api/traces/{run_trace}"),
            json!(null),
            [NO, OK, OK, OK],
        ),
        (
            "GET",
            "/api/events?dataset=e2e".into(),
            json!(null),
            [NO, OK, OK, OK],
        ),
        (
            "POST",
            "/api/query".into(),
            json!({"dataset": "e2e"}),
            [NO, OK, OK, OK],
        ),
        (
            "POST",
            "/api/compare".into(),
            json!({"dataset": "e2e", "selection": {"kind": "region", "column": "duration_ms", "min": 1}}),
            [NO, OK, OK, OK],
        ),
        (
            "GET",
            "/api/datasets/e2e/columns".into(),
            json!(null),
            [NO, OK, OK, OK],
        ),
    ];
    for (method, path, body, expected) in &rows {
        for (who, want) in EVERYONE.iter().zip(expected) {
            let (status, answer) = call(&app, method, path, body, tokens.of(*who)).await;
            assert_eq!(status, *want, "{method} {path} as {who:?}: {answer}");
            if status == NO || status == FORBIDDEN {
                let message = answer["error"]["message"].as_str().unwrap_or_default();
                assert!(!message.is_empty(), "{method} {path} as {who:?}: {answer}");
            }
            if status == FORBIDDEN && path.contains("/room") {
                let message = answer["error"]["message"].as_str().unwrap_or_default();
                assert!(
                    message.contains("facilitator"),
                    "{method} {path}: says who may: {message}"
                );
            }
        }
    }

    // Each attendee's diagnosis is their own.
    let (_, mine) = call(&app, "GET", "/api/diagnosis", &Value::Null, Some(&tokens.a)).await;
    assert_eq!(mine["text"], "still the queue");
    let (_, theirs) = call(&app, "GET", "/api/diagnosis", &Value::Null, Some(&tokens.b)).await;
    assert_eq!(theirs["attendee"]["name"], "B");

    // Removing an attendee: their token stops working at once.
    let b_id = theirs["attendee"]["id"].as_str().unwrap().to_string();
    let path = format!("/api/attendees/{b_id}");
    let (status, _) = call(&app, "DELETE", &path, &Value::Null, Some(&tokens.a)).await;
    assert_eq!(status, FORBIDDEN);
    let (status, _) = call(
        &app,
        "DELETE",
        &path,
        &Value::Null,
        Some(&tokens.facilitator),
    )
    .await;
    assert_eq!(status, S::NO_CONTENT);
    let (status, answer) = call(
        &app,
        "GET",
        "/api/attendees/me",
        &Value::Null,
        Some(&tokens.b),
    )
    .await;
    assert_eq!(status, NO, "{answer}");
    assert!(
        answer["error"]["message"]
            .as_str()
            .unwrap()
            .contains("removed")
    );
    let (status, _) = call(
        &app,
        "GET",
        "/api/attendees/me",
        &Value::Null,
        Some(&tokens.a),
    )
    .await;
    assert_eq!(status, OK, "A stays");

    // The role each caller has.
    let role = |token: Option<String>| {
        let app = &app;
        async move {
            body_json(
                app.send(raw_request(
                    "GET",
                    "/api/room/role",
                    String::new(),
                    token.as_deref(),
                ))
                .await,
            )
            .await["role"]
                .clone()
        }
    };
    assert_eq!(role(None).await, "anonymous");
    assert_eq!(role(Some(tokens.a.clone())).await, "attendee");
    assert_eq!(role(Some(tokens.facilitator.clone())).await, "facilitator");
}
