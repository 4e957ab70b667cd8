//! Router tests for joining: `POST /api/attendees` (with the room's join code, rate
//! limited per address), `GET /api/attendees/me`.

mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::json;
use support::{assert_error, body_json, get, json_request, raw_request, test_app};

#[tokio::test]
async fn join_answers_a_token_in_body_and_httponly_cookie() {
    let app = test_app().await;
    let res = app
        .send(json_request(
            "POST",
            "/api/attendees",
            &json!({"name": "  Zoë 李  ", "code": app.state.room.join_code()}),
            None,
        ))
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
    let body = body_json(res).await;
    assert_eq!(body["attendee"]["name"], "Zoë 李");
    let token = body["token"].as_str().unwrap();
    assert_eq!(token.len(), 64, "256-bit hex token");
    assert!(
        cookie.starts_with(&format!("bulbwatch_token={token}")),
        "{cookie}"
    );
    assert!(cookie.contains("HttpOnly"), "{cookie}");

    // The cookie alone identifies the attendee.
    let me = app
        .send(
            Request::builder()
                .uri("/api/attendees/me")
                .header("cookie", format!("other=1; bulbwatch_token={token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(me.status(), StatusCode::OK);
    assert_eq!(body_json(me).await["name"], "Zoë 李");
}

#[tokio::test]
async fn tokens_are_unique_per_join() {
    let app = test_app().await;
    let a = app.join("Ada").await;
    let b = app.join("Ada").await;
    assert_ne!(a, b);
}

#[tokio::test]
async fn me_with_bearer_token_names_the_attendee() {
    let app = test_app().await;
    let token = app.join("Grace").await;
    let res = app
        .send(
            Request::builder()
                .uri("/api/attendees/me")
                .header("authorization", format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(body_json(res).await["name"], "Grace");
}

#[tokio::test]
async fn me_without_or_with_forged_token_is_401() {
    let app = test_app().await;
    app.join("Ada").await;
    let msg = assert_error(
        app.send(get("/api/attendees/me")).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    assert!(msg.contains("join the room first"), "{msg}");
    let forged = Request::builder()
        .uri("/api/attendees/me")
        .header("authorization", format!("Bearer {}", "0".repeat(64)))
        .body(Body::empty())
        .unwrap();
    let msg = assert_error(
        app.send(forged).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    assert!(msg.contains("join again"), "{msg}");
}

#[tokio::test]
async fn bad_names_are_400_with_the_reason() {
    let app = test_app().await;
    for (name, expected) in [
        ("   ", "must not be empty"),
        (&"x".repeat(41), "at most 40 characters, got 41"),
        ("a\u{7}b", "control characters"),
    ] {
        let res = app
            .send(json_request(
                "POST",
                "/api/attendees",
                &json!({"name": name}),
                None,
            ))
            .await;
        let msg = assert_error(res, StatusCode::BAD_REQUEST, "invalid_input").await;
        assert!(msg.contains(expected), "{name:?}: {msg}");
    }
}

#[tokio::test]
async fn malformed_join_bodies_get_the_envelope() {
    let app = test_app().await;
    let res = app
        .send(raw_request(
            "POST",
            "/api/attendees",
            "{\"name\": ".into(),
            None,
        ))
        .await;
    assert_error(res, StatusCode::BAD_REQUEST, "invalid_json").await;

    let res = app
        .send(json_request(
            "POST",
            "/api/attendees",
            &json!({"name": "A", "admin": true}),
            None,
        ))
        .await;
    let msg = assert_error(res, StatusCode::BAD_REQUEST, "invalid_json").await;
    assert!(msg.contains("unknown field `admin`"), "{msg}");

    let res = app
        .send(json_request(
            "POST",
            "/api/attendees",
            &json!({"nom": "A"}),
            None,
        ))
        .await;
    let msg = assert_error(res, StatusCode::BAD_REQUEST, "invalid_json").await;
    assert!(msg.contains("nom"), "{msg}");

    let res = app
        .send(
            Request::builder()
                .method("POST")
                .uri("/api/attendees")
                .body(Body::from("{\"name\":\"A\"}"))
                .unwrap(),
        )
        .await;
    assert_error(
        res,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;
}

#[tokio::test]
async fn a_wrong_or_missing_join_code_says_what_to_do() {
    let app = test_app().await;
    let join = |body: serde_json::Value, token: Option<String>| {
        json_request("POST", "/api/attendees", &body, token.as_deref())
    };
    let res = app.send(join(json!({"name": "Ada"}), None)).await;
    let msg = assert_error(res, StatusCode::BAD_REQUEST, "invalid_input").await;
    assert!(msg.contains("join code is needed"), "{msg}");
    let res = app
        .send(join(json!({"name": "Ada", "code": "WXYWXY"}), None))
        .await;
    let msg = assert_error(res, StatusCode::FORBIDDEN, "forbidden").await;
    assert!(msg.contains("not this room's join code"), "{msg}");

    // Typed in lower case with a dash: still the code.
    let code = app.state.room.join_code();
    let typed = format!("{}-{}", &code[..3], &code[3..]).to_lowercase();
    let res = app
        .send(join(json!({"name": "Ada", "code": typed}), None))
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let ada = body_json(res).await["token"].as_str().unwrap().to_string();

    // The facilitator changes the code: Ada stays joined, the old code stops working.
    let res = app
        .send(json_request(
            "PUT",
            "/api/room/join",
            &json!({}),
            Some(&app.facilitator()),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let info = body_json(res).await;
    let new_code = info["code"].as_str().unwrap().to_string();
    assert_ne!(new_code, code);
    assert!(
        info["join_url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/join/{new_code}"))
    );
    let me = app
        .send(
            Request::builder()
                .uri("/api/attendees/me")
                .header("authorization", format!("Bearer {ada}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(me.status(), StatusCode::OK);
    let res = app
        .send(join(json!({"name": "Bo", "code": code}), None))
        .await;
    assert_error(res, StatusCode::FORBIDDEN, "forbidden").await;

    // The facilitator joins without a code, to run checks too.
    let res = app
        .send(join(
            json!({"name": "Facilitator"}),
            Some(app.facilitator()),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn joins_from_one_address_are_rate_limited() {
    let app = test_app().await;
    let (burst, _) = bulbwatch::limits::JOIN_QUOTA;
    for _ in 0..burst {
        app.join("Ada").await;
    }
    let res = app
        .send(json_request(
            "POST",
            "/api/attendees",
            &json!({"name": "One more", "code": app.state.room.join_code()}),
            None,
        ))
        .await;
    let retry = res.headers()["retry-after"].to_str().unwrap().to_string();
    assert!(retry.parse::<u64>().unwrap() >= 1, "{retry}");
    let msg = assert_error(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    assert!(msg.contains("try again in"), "{msg}");
}
