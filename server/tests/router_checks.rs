//! Router tests for saved checks: versions, ownership, share links and forks.

mod support;

use axum::http::StatusCode;
use serde_json::{Value, json};
use support::{TestApp, assert_error, body_json, json_request, raw_request, test_app};

async fn get_as(app: &TestApp, uri: &str, token: &str) -> axum::http::Response<axum::body::Body> {
    app.send(raw_request("GET", uri, String::new(), Some(token)))
        .await
}

async fn create(app: &TestApp, token: &str, name: &str, source: &str) -> Value {
    let res = app
        .send(json_request(
            "POST",
            "/api/checks",
            &json!({"name": name, "source": source}),
            Some(token),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    body_json(res).await
}

#[tokio::test]
async fn saving_keeps_every_version() {
    let app = test_app().await;
    let token = app.join("Ada").await;
    let check = create(&app, &token, "  classic  ", "bulb.get();").await;
    assert_eq!(check["name"], "classic");
    assert_eq!(check["version"], 1);
    let id = check["id"].as_str().unwrap();
    let uri = format!("/api/checks/{id}");

    let v2 = app
        .send(json_request(
            "PUT",
            &uri,
            &json!({"name": "classic", "source": "bulb.set(\"red\");"}),
            Some(&token),
        ))
        .await;
    assert_eq!(body_json(v2).await["version"], 2);
    // Same source again (an autosave with no change): no new version.
    let same = app
        .send(json_request(
            "PUT",
            &uri,
            &json!({"name": "renamed", "source": "bulb.set(\"red\");"}),
            Some(&token),
        ))
        .await;
    let same = body_json(same).await;
    assert_eq!(same["version"], 2);
    assert_eq!(same["name"], "renamed");

    let latest = body_json(get_as(&app, &uri, &token).await).await;
    assert_eq!(latest["source"], "bulb.set(\"red\");");
    let versions = body_json(get_as(&app, &format!("{uri}/versions"), &token).await).await;
    let numbers: Vec<u64> = versions
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["version"].as_u64().unwrap())
        .collect();
    assert_eq!(numbers, [2, 1]);
    let v1 = body_json(get_as(&app, &format!("{uri}/versions/1"), &token).await).await;
    assert_eq!(v1["source"], "bulb.get();");
    let missing = get_as(&app, &format!("{uri}/versions/9"), &token).await;
    assert_error(missing, StatusCode::NOT_FOUND, "not_found").await;
    let bad = get_as(&app, &format!("{uri}/versions/latest"), &token).await;
    assert_error(bad, StatusCode::BAD_REQUEST, "invalid_input").await;

    let list = body_json(get_as(&app, "/api/checks", &token).await).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["name"], "renamed");
    assert_eq!(list[0]["version"], 2);
}

#[tokio::test]
async fn checks_are_private_to_their_owner() {
    let app = test_app().await;
    let ada = app.join("Ada").await;
    let eve = app.join("Eve").await;
    let check = create(&app, &ada, "mine", "log(1);").await;
    let uri = format!("/api/checks/{}", check["id"].as_str().unwrap());
    assert_error(
        get_as(&app, &uri, &eve).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let res = app
        .send(json_request(
            "PUT",
            &uri,
            &json!({"name": "x", "source": "stolen"}),
            Some(&eve),
        ))
        .await;
    assert_error(res, StatusCode::NOT_FOUND, "not_found").await;
    let list = body_json(get_as(&app, "/api/checks", &eve).await).await;
    assert_eq!(list, json!([]));
    let unchanged = body_json(get_as(&app, &uri, &ada).await).await;
    assert_eq!(unchanged["source"], "log(1);");
    let res = app.send(support::get("/api/checks")).await;
    assert_error(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

#[tokio::test]
async fn a_share_link_gives_a_read_only_copy_that_can_be_forked() {
    let app = test_app().await;
    let ada = app.join("Ada").await;
    let grace = app.join("Grace").await;
    let check = create(&app, &ada, "classic", "bulb.get();").await;
    let share = check["share_id"].as_str().unwrap();

    let shared = body_json(get_as(&app, &format!("/api/shared/{share}"), &grace).await).await;
    assert_eq!(shared["owner"], "Ada");
    assert_eq!(shared["source"], "bulb.get();");

    let res = app
        .send(raw_request(
            "POST",
            &format!("/api/shared/{share}/fork"),
            String::new(),
            Some(&grace),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let fork = body_json(res).await;
    assert_eq!(fork["name"], "classic (fork)");
    assert_eq!(fork["version"], 1);
    assert_ne!(fork["id"], check["id"]);
    // The fork is Grace's own; Ada's check is untouched by edits to it.
    let res = app
        .send(json_request(
            "PUT",
            &format!("/api/checks/{}", fork["id"].as_str().unwrap()),
            &json!({"name": "mine now", "source": "log(2);"}),
            Some(&grace),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let original = body_json(
        get_as(
            &app,
            &format!("/api/checks/{}", check["id"].as_str().unwrap()),
            &ada,
        )
        .await,
    )
    .await;
    assert_eq!(original["source"], "bulb.get();");

    let res = get_as(&app, "/api/shared/nope", &grace).await;
    assert_error(res, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn bad_checks_are_rejected_and_nothing_is_lost() {
    let app = test_app().await;
    let token = app.join("Ada").await;
    let check = create(&app, &token, "classic", "bulb.get();").await;
    let uri = format!("/api/checks/{}", check["id"].as_str().unwrap());
    let cases = [
        (
            json!({"name": "", "source": "x"}),
            "check name must be 1–80 characters, got 0",
        ),
        (json!({"name": "x".repeat(81), "source": "x"}), "got 81"),
        (
            json!({"name": "big", "source": "x".repeat(40 * 1024)}),
            "at most 32 KB",
        ),
    ];
    for (body, expected) in cases {
        let res = app
            .send(json_request("PUT", &uri, &body, Some(&token)))
            .await;
        let msg = assert_error(res, StatusCode::BAD_REQUEST, "invalid_input").await;
        assert!(msg.contains(expected), "{msg}");
    }
    let res = app
        .send(json_request(
            "POST",
            "/api/checks",
            &json!({"name": "x", "source": "y", "owner": "Eve"}),
            Some(&token),
        ))
        .await;
    assert_error(res, StatusCode::BAD_REQUEST, "invalid_json").await;
    let still = body_json(get_as(&app, &uri, &token).await).await;
    assert_eq!(still["source"], "bulb.get();");
    assert_eq!(still["version"], 1);
}
