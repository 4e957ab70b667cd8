//! The Hue-compatible API (Hue local REST API v1) over the router: pairing with the
//! link button, the bridge's config, lights (one per shard), state changes through
//! the bulb's queue as the paired app, group 0, renaming, and Hue's conventions
//! (every answer a 200 with success/error items, Hue's error types and wording,
//! bodies read whatever their Content-Type, trailing slashes accepted).

mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use support::running::{Running, span, span_id, trace_id};
use support::{RecordingBulb, TestApp, body_json, get, json_request, test_app};
use tower::ServiceExt;

/// Sends `method uri` with `body` (sent as `text/plain`, as many Hue clients do) to
/// the Hue router; asserts the 200 and answers the JSON.
async fn hue(app: &TestApp, method: &str, uri: &str, body: Option<&str>) -> Value {
    let router = bulbwatch::hue::router(app.state.clone());
    let req = Request::builder()
        .method(method)
        .uri(uri)
        .header("content-type", "text/plain;charset=UTF-8")
        .body(body.map_or_else(Body::empty, |b| Body::from(b.to_string())))
        .unwrap();
    let res = router.oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{method} {uri}");
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("{method} {uri}: not JSON ({e}): {bytes:?}"))
}

/// The one error item of `answer`: (type, address, description).
fn only_error(answer: &Value) -> (u64, String, String) {
    let items = answer
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {answer}"));
    assert_eq!(items.len(), 1, "{answer}");
    let e = &items[0]["error"];
    (
        e["type"]
            .as_u64()
            .unwrap_or_else(|| panic!("not an error: {answer}")),
        e["address"].as_str().unwrap().to_string(),
        e["description"].as_str().unwrap().to_string(),
    )
}

/// Every error type in `answer`, in order.
fn error_types(answer: &Value) -> Vec<u64> {
    answer
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["error"]["type"].as_u64())
        .collect()
}

/// Every success address in `answer`, in order.
fn successes(answer: &Value) -> Vec<String> {
    answer
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["success"].as_object())
        .flat_map(|m| m.keys().cloned())
        .collect()
}

async fn press_link_button(app: &TestApp) -> Value {
    let res = app
        .send(json_request(
            "POST",
            "/api/room/hue/link-button",
            &Value::Null,
            Some(&app.facilitator()),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    body_json(res).await
}

/// Presses the link button and pairs as `devicetype`; returns the username.
async fn pair(app: &TestApp, devicetype: &str) -> String {
    press_link_button(app).await;
    let answer = hue(
        app,
        "POST",
        "/api",
        Some(&json!({"devicetype": devicetype}).to_string()),
    )
    .await;
    answer[0]["success"]["username"]
        .as_str()
        .unwrap_or_else(|| panic!("not paired: {answer}"))
        .to_string()
}

async fn facilitator(app: &TestApp, method: &str, uri: &str, body: Value) -> Value {
    let res = app
        .send(json_request(method, uri, &body, Some(&app.facilitator())))
        .await;
    assert!(
        res.status().is_success(),
        "{method} {uri}: {}",
        res.status()
    );
    body_json(res).await
}

/// Waits (polling) until shard `shard`'s bulb shows a change by `writer` and its
/// queue is empty; returns `GET /api/bulb?shard=N`.
async fn applied_by(app: &TestApp, shard: u32, writer: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let res = app.send(get(&format!("/api/bulb?shard={shard}"))).await;
        let bulb = body_json(res).await;
        if bulb["applied_by"]["name"] == writer && bulb["queue_length"] == 0 {
            return bulb;
        }
        assert!(Instant::now() < deadline, "never applied: {bulb}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

async fn no_queue_delay(app: &TestApp) {
    facilitator(
        app,
        "PUT",
        "/api/bulb/queue-delay",
        json!({"queue_delay_ms": 0}),
    )
    .await;
}

#[tokio::test]
async fn apps_pair_only_while_the_link_button_is_pressed_and_any_number_may() {
    let app = test_app().await;
    let body = json!({"devicetype": "phone#ada"}).to_string();
    let (kind, address, description) = only_error(&hue(&app, "POST", "/api", Some(&body)).await);
    assert_eq!((kind, address.as_str()), (101, ""));
    assert_eq!(description, "link button not pressed");

    // Only the facilitator presses it.
    let pressed = app
        .send(json_request(
            "POST",
            "/api/room/hue/link-button",
            &Value::Null,
            None,
        ))
        .await;
    assert_eq!(pressed.status(), StatusCode::UNAUTHORIZED);
    let token = app.join("Ada").await;
    let pressed = app
        .send(json_request(
            "POST",
            "/api/room/hue/link-button",
            &Value::Null,
            Some(&token),
        ))
        .await;
    assert_eq!(pressed.status(), StatusCode::FORBIDDEN);
    let before = bulbwatch::store::now_ms();
    let window = press_link_button(&app).await;
    let until = window["link_button_open_until_ms"].as_i64().unwrap();
    assert!(
        (before + 29_000..=before + 31_000).contains(&until),
        "{window}"
    );

    // Two apps in the same window; a client key when asked; extra fields tolerated.
    let first = hue(&app, "POST", "/api/", Some(&body)).await;
    let username = first[0]["success"]["username"].as_str().unwrap();
    assert_eq!(username.len(), 40, "{first}");
    assert!(first[0]["success"].get("clientkey").is_none());
    let second = hue(
        &app,
        "POST",
        "/api",
        Some(r#"{"devicetype": "hass#kitchen", "generateclientkey": true, "extra": 1}"#),
    )
    .await;
    assert_eq!(
        second[0]["success"]["clientkey"].as_str().unwrap().len(),
        32
    );
    assert_ne!(
        second[0]["success"]["username"],
        first[0]["success"]["username"]
    );

    let state = facilitator(&app, "GET", "/api/room/hue", Value::Null).await;
    let paired: Vec<&str> = state["apps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["devicetype"].as_str().unwrap())
        .collect();
    assert_eq!(paired, ["phone#ada", "hass#kitchen"]);
    assert!(state["apps"][0]["paired_at_ms"].as_i64().unwrap() >= before);
    // The test router has no listener of its own.
    assert_eq!(state["address"], Value::Null);
    let asked = app.send(get("/api/room/hue")).await;
    assert_eq!(asked.status(), StatusCode::UNAUTHORIZED);

    // Bad bodies: not JSON, no device type, a device type that is not a string.
    let (kind, ..) = only_error(&hue(&app, "POST", "/api", Some("{nope")).await);
    assert_eq!(kind, 2);
    let (kind, ..) = only_error(&hue(&app, "POST", "/api", Some("{}")).await);
    assert_eq!(kind, 5);
    let (kind, address, description) =
        only_error(&hue(&app, "POST", "/api", Some(r#"{"devicetype": 7}"#)).await);
    assert_eq!((kind, address.as_str()), (7, "/devicetype"));
    assert_eq!(description, "invalid value, 7, for parameter, devicetype");
}

#[tokio::test]
async fn usernames_survive_a_restart_and_a_new_session_and_are_kept_only_as_hashes() {
    let app = test_app().await;
    let username = pair(&app, "phue#python").await;
    let app = app.restart().await;
    let lights = hue(&app, "GET", &format!("/api/{username}/lights"), None).await;
    assert!(lights.get("1").is_some(), "{lights}");
    for file in std::fs::read_dir(app.data_dir.path()).unwrap() {
        let path = file.unwrap().path();
        if path.is_file() {
            let stored = std::fs::read(&path).unwrap();
            assert!(
                !stored
                    .windows(username.len())
                    .any(|w| w == username.as_bytes()),
                "the username itself is not stored ({})",
                path.display()
            );
        }
    }

    // A new session empties the room, not the bridge's pairings.
    facilitator(&app, "POST", "/api/room/sessions", json!({"confirm": true})).await;
    no_queue_delay(&app).await;
    let set = hue(
        &app,
        "PUT",
        &format!("/api/{username}/lights/1/state"),
        Some(r#"{"hue": 30000, "sat": 200}"#),
    )
    .await;
    assert_eq!(error_types(&set), Vec::<u64>::new(), "{set}");
    applied_by(&app, 0, "phue#python").await;
}

#[tokio::test]
async fn the_config_is_public_in_part_and_whole_for_a_paired_app() {
    let app = test_app().await;
    for uri in [
        "/api/config",
        "/api/config/",
        "/api/nobody/config",
        "/api//config",
    ] {
        let config = hue(&app, "GET", uri, None).await;
        for key in [
            "name",
            "datastoreversion",
            "swversion",
            "apiversion",
            "mac",
            "bridgeid",
            "modelid",
            "starterkitid",
        ] {
            assert!(config.get(key).is_some(), "{uri}: no {key} in {config}");
        }
        assert_eq!(config["modelid"], "BSB002");
        assert_eq!(config["factorynew"], false);
        assert_eq!(config["replacesbridgeid"], Value::Null);
        assert!(config["apiversion"].as_str().unwrap().starts_with("1."));
        assert!(config.get("whitelist").is_none(), "{uri}: public only");
        let mac = config["mac"].as_str().unwrap();
        let digits: String = mac.split(':').collect::<String>().to_uppercase();
        assert_eq!(
            config["bridgeid"],
            format!("{}FFFE{}", &digits[..6], &digits[6..])
        );
    }
    let username = pair(&app, "phue#python").await;
    let full = hue(&app, "GET", &format!("/api/{username}/config"), None).await;
    assert_eq!(full["name"], "Bulbwatch");
    assert!(full["ipaddress"].is_string());
    assert_eq!(full["linkbutton"], true, "the window is still open");
    let whitelist = full["whitelist"].as_object().unwrap();
    assert_eq!(whitelist.len(), 1);
    assert!(
        !whitelist.contains_key(&username),
        "usernames are not shown to other apps"
    );
    assert_eq!(whitelist.values().next().unwrap()["name"], "phue#python");
    // The identity stays across restarts.
    let mac = full["mac"].clone();
    let app = app.restart().await;
    assert_eq!(hue(&app, "GET", "/api/config", None).await["mac"], mac);
}

#[tokio::test]
async fn the_full_state_has_every_resource_and_each_light_is_a_complete_hue_light() {
    let app = test_app().await;
    let username = pair(&app, "phue#python").await;
    let all = hue(&app, "GET", &format!("/api/{username}"), None).await;
    for key in [
        "lights",
        "groups",
        "config",
        "schedules",
        "scenes",
        "rules",
        "sensors",
        "resourcelinks",
    ] {
        assert!(all[key].is_object(), "no {key}: {all}");
    }
    assert_eq!(all["config"]["whitelist"].as_object().unwrap().len(), 1);
    for resource in ["schedules", "scenes", "rules", "sensors", "resourcelinks"] {
        let empty = hue(&app, "GET", &format!("/api/{username}/{resource}/"), None).await;
        assert_eq!(empty, json!({}), "{resource}");
    }

    let light = hue(&app, "GET", &format!("/api/{username}/lights/1"), None).await;
    assert_eq!(light, all["lights"]["1"]);
    for key in [
        "on",
        "bri",
        "hue",
        "sat",
        "effect",
        "xy",
        "ct",
        "alert",
        "colormode",
        "mode",
        "reachable",
    ] {
        assert!(light["state"].get(key).is_some(), "no state.{key}: {light}");
    }
    for key in [
        "swupdate",
        "type",
        "name",
        "modelid",
        "manufacturername",
        "productname",
        "config",
        "uniqueid",
        "swversion",
    ] {
        assert!(light.get(key).is_some(), "no {key}: {light}");
    }
    assert_eq!(light["type"], "Extended color light");
    let control = &light["capabilities"]["control"];
    assert_eq!(control["colorgamuttype"], "C");
    assert_eq!(
        control["colorgamut"],
        json!([[0.6915, 0.3083], [0.17, 0.7], [0.1532, 0.0475]])
    );
    assert_eq!(control["ct"], json!({"min": 153, "max": 500}));
    // The bulb starts white and lit.
    assert_eq!(light["state"]["on"], true);
    assert_eq!(light["state"]["sat"], 0);
    assert_eq!(light["state"]["colormode"], "hs");

    // One light per shard.
    facilitator(&app, "PUT", "/api/room/shards", json!({"shards": 3})).await;
    let lights = hue(&app, "GET", &format!("/api/{username}/lights/"), None).await;
    let ids: Vec<&String> = lights.as_object().unwrap().keys().collect();
    assert_eq!(ids, ["1", "2", "3"]);
    assert_ne!(lights["1"]["uniqueid"], lights["2"]["uniqueid"]);
    let (kind, address, description) =
        only_error(&hue(&app, "GET", &format!("/api/{username}/lights/4"), None).await);
    assert_eq!((kind, address.as_str()), (3, "/lights/4"));
    assert_eq!(description, "resource, /lights/4, not available");
}

#[tokio::test]
async fn without_a_known_username_every_resource_answers_unauthorized_user() {
    let app = test_app().await;
    pair(&app, "phue#python").await;
    for (method, uri, address) in [
        ("GET", "/api/nobody", "/"),
        ("GET", "/api/nobody/", "/"),
        ("GET", "/api", "/"),
        ("GET", "/api/nobody/lights", "/lights"),
        ("GET", "/api/nobody/lights/1", "/lights/1"),
        ("PUT", "/api/nobody/lights/1/state", "/lights/1/state"),
        ("PUT", "/api/nobody/groups/0/action", "/groups/0/action"),
        ("GET", "/api/nobody/groups", "/groups"),
        ("GET", "/api/nobody/nothing", "/nothing"),
    ] {
        let answer = hue(&app, method, uri, Some(r#"{"on": true}"#)).await;
        let (kind, at, description) = only_error(&answer);
        assert_eq!((kind, at.as_str()), (1, address), "{method} {uri}");
        assert_eq!(description, "unauthorized user");
    }
}

#[tokio::test]
async fn unknown_resources_and_methods_are_hue_errors() {
    let app = test_app().await;
    let username = pair(&app, "phue#python").await;
    let (kind, address, description) =
        only_error(&hue(&app, "DELETE", &format!("/api/{username}/lights"), None).await);
    assert_eq!((kind, address.as_str()), (4, "/lights"));
    assert_eq!(
        description,
        "method, DELETE, not available for resource, /lights"
    );
    let (kind, _, description) = only_error(
        &hue(
            &app,
            "POST",
            &format!("/api/{username}/lights/1/state"),
            Some("{}"),
        )
        .await,
    );
    assert_eq!(kind, 4);
    assert_eq!(
        description,
        "method, POST, not available for resource, /lights/1/state"
    );
    let (kind, address, _) =
        only_error(&hue(&app, "GET", &format!("/api/{username}/nothing/here"), None).await);
    assert_eq!((kind, address.as_str()), (3, "/nothing/here"));
    let (kind, address, _) =
        only_error(&hue(&app, "GET", &format!("/api/{username}/groups/7"), None).await);
    assert_eq!((kind, address.as_str()), (3, "/groups/7"));
    let (kind, address, _) = only_error(
        &hue(
            &app,
            "PUT",
            &format!("/api/{username}/lights/x/state"),
            Some(r#"{"on":true}"#),
        )
        .await,
    );
    assert_eq!((kind, address.as_str()), (3, "/lights/x"));
}

#[tokio::test]
async fn a_state_change_goes_through_the_queue_as_the_app_and_a_bad_parameter_does_not_stop_the_rest()
 {
    let app = test_app().await;
    no_queue_delay(&app).await;
    let username = pair(&app, "phue#python").await;
    let answer = hue(
        &app,
        "PUT",
        &format!("/api/{username}/lights/1/state/"),
        Some(r#"{"on": true, "hue": 21845, "sat": 254, "bri": 999, "foo": 1, "colormode": "xy", "transitiontime": 4}"#),
    )
    .await;
    assert_eq!(error_types(&answer), [7, 8, 6], "{answer}");
    assert_eq!(
        answer[0]["error"],
        json!({"type": 7, "address": "/lights/1/state/bri", "description": "invalid value, 999, for parameter, bri"})
    );
    assert_eq!(
        answer[1]["error"]["description"],
        "parameter, colormode, is not modifiable"
    );
    assert_eq!(
        answer[2]["error"]["description"],
        "parameter, foo, not available"
    );
    assert_eq!(
        successes(&answer),
        [
            "/lights/1/state/on",
            "/lights/1/state/hue",
            "/lights/1/state/sat",
            "/lights/1/state/transitiontime"
        ]
    );
    assert_eq!(answer[3]["success"]["/lights/1/state/on"], true);

    // Applied after the queue delay, by the paired app, as the attendees see it.
    let bulb = applied_by(&app, 0, "phue#python").await;
    assert!(
        bulb["applied_by"]["id"]
            .as_str()
            .unwrap()
            .starts_with("hue-")
    );
    assert_eq!(bulb["sat"], 254);
    assert_eq!(bulb["bri"], 254, "the bad bri changed nothing");
    assert!(
        bulb["hue"].as_u64().unwrap().abs_diff(21845) < 400,
        "{bulb}"
    );
    let light = hue(&app, "GET", &format!("/api/{username}/lights/1"), None).await;
    assert_eq!(light["state"]["colormode"], "hs");
    assert_eq!(light["state"]["hue"], bulb["hue"]);
    assert_eq!(light["state"]["on"], true);

    // The Hue app is not an attendee of the room's lists.
    let board = facilitator(&app, "GET", "/api/room/board", Value::Null).await;
    assert_eq!(board["tiles"], json!([]), "{board}");
}

#[tokio::test]
async fn xy_beats_ct_beats_hue_and_sat_and_out_of_gamut_colours_are_clamped() {
    let app = test_app().await;
    no_queue_delay(&app).await;
    let username = pair(&app, "phue#python").await;
    let state = format!("/api/{username}/lights/1/state");

    // Spectral green is beyond gamut C: the light shows the nearest it can.
    let answer = hue(
        &app,
        "PUT",
        &state,
        Some(r#"{"xy": [0.1, 0.8], "ct": 300, "hue": 1000}"#),
    )
    .await;
    assert_eq!(
        successes(&answer),
        ["/lights/1/state/xy"],
        "only xy: {answer}"
    );
    applied_by(&app, 0, "phue#python").await;
    let light = hue(&app, "GET", &format!("/api/{username}/lights/1"), None).await;
    assert_eq!(light["state"]["colormode"], "xy");
    let xy = light["state"]["xy"].as_array().unwrap();
    let (x, y) = (xy[0].as_f64().unwrap(), xy[1].as_f64().unwrap());
    assert!(
        (0.15..0.2).contains(&x) && (0.6..=0.71).contains(&y),
        "clamped onto gamut C's green corner: {xy:?}"
    );

    // ct over hue/sat; out of range it is clamped to the light's 153–500.
    let answer = hue(
        &app,
        "PUT",
        &state,
        Some(r#"{"ct": 1000, "hue": 1000, "sat": 254}"#),
    )
    .await;
    assert_eq!(successes(&answer), ["/lights/1/state/ct"]);
    let bulb = applied_by_change(&app, &light).await;
    let light = hue(&app, "GET", &format!("/api/{username}/lights/1"), None).await;
    assert_eq!(light["state"]["colormode"], "ct");
    assert_eq!(light["state"]["ct"], 500);
    // A warm white: orange-ish hue, some saturation.
    assert!(
        (2000..8000).contains(&bulb["hue"].as_u64().unwrap()),
        "{bulb}"
    );
    assert!(bulb["sat"].as_u64().unwrap() >= 50, "{bulb}");
}

/// Waits until light 1 differs from `before`; answers `GET /api/bulb`.
async fn applied_by_change(app: &TestApp, before: &Value) -> Value {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let bulb = body_json(app.send(get("/api/bulb")).await).await;
        if bulb["queue_length"] == 0
            && (bulb["hue"] != before["state"]["hue"] || bulb["sat"] != before["state"]["sat"])
        {
            return bulb;
        }
        assert!(Instant::now() < deadline, "never applied: {bulb}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn a_light_that_is_off_keeps_its_colour_and_refuses_colour_changes() {
    let app = test_app().await;
    no_queue_delay(&app).await;
    let username = pair(&app, "phue#python").await;
    let state = format!("/api/{username}/lights/1/state");
    let answer = hue(&app, "PUT", &state, Some(r#"{"on": false}"#)).await;
    assert_eq!(successes(&answer), ["/lights/1/state/on"]);
    let bulb = applied_by(&app, 0, "phue#python").await;
    assert_eq!(bulb["on"], false);

    let answer = hue(
        &app,
        "PUT",
        &state,
        Some(r#"{"hue": 100, "bri": 20, "alert": "select"}"#),
    )
    .await;
    assert_eq!(error_types(&answer), [201, 201]);
    assert_eq!(
        answer[0]["error"],
        json!({"type": 201, "address": "/lights/1/state/bri", "description": "parameter, bri, is not modifiable. Device is set to off."})
    );
    assert_eq!(
        answer[1]["error"]["description"],
        "parameter, hue, is not modifiable. Device is set to off."
    );
    assert_eq!(successes(&answer), ["/lights/1/state/alert"]);
    let light = hue(&app, "GET", &format!("/api/{username}/lights/1"), None).await;
    assert_eq!(light["state"]["on"], false);
    assert_eq!(light["state"]["alert"], "select");
    assert_eq!(light["state"]["bri"], 254, "unchanged");

    // Switched on in the same body, the colour applies.
    let answer = hue(&app, "PUT", &state, Some(r#"{"on": true, "bri": 20}"#)).await;
    assert!(error_types(&answer).is_empty(), "{answer}");
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let bulb = body_json(app.send(get("/api/bulb")).await).await;
        if bulb["on"] == true && bulb["bri"] == 20 {
            break;
        }
        assert!(Instant::now() < deadline, "never lit: {bulb}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn bodies_that_are_not_json_objects_or_are_empty_are_hue_errors() {
    let app = test_app().await;
    let username = pair(&app, "phue#python").await;
    let state = format!("/api/{username}/lights/1/state");
    for bad in ["{\"on\": tru", "[1, 2]", "\"on\"", ""] {
        let (kind, address, description) = only_error(&hue(&app, "PUT", &state, Some(bad)).await);
        assert_eq!((kind, address.as_str()), (2, ""), "{bad:?}");
        assert_eq!(description, "body contains invalid json");
    }
    let (kind, address, description) = only_error(&hue(&app, "PUT", &state, Some("{}")).await);
    assert_eq!((kind, address.as_str()), (5, "/lights/1/state"));
    assert_eq!(description, "invalid/missing parameters in body");
    let answer = hue(&app, "PUT", &state, Some(r#"{"on": "yes", "xy": [2, 0]}"#)).await;
    assert_eq!(error_types(&answer), [7, 7]);
    assert_eq!(
        answer[0]["error"]["description"],
        "invalid value, yes, for parameter, on"
    );
}

#[tokio::test]
async fn increments_apply_to_what_the_bulb_shows() {
    let app = test_app().await;
    no_queue_delay(&app).await;
    let username = pair(&app, "phue#python").await;
    let state = format!("/api/{username}/lights/1/state");
    hue(
        &app,
        "PUT",
        &state,
        Some(r#"{"hue": 10000, "sat": 100, "bri": 100}"#),
    )
    .await;
    let before = applied_by(&app, 0, "phue#python").await;
    let answer = hue(
        &app,
        "PUT",
        &state,
        Some(r#"{"bri_inc": 50, "sat_inc": -40, "hue_inc": 2000}"#),
    )
    .await;
    assert_eq!(
        successes(&answer),
        [
            "/lights/1/state/bri_inc",
            "/lights/1/state/sat_inc",
            "/lights/1/state/hue_inc"
        ]
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let bulb = body_json(app.send(get("/api/bulb")).await).await;
        if bulb["bri"] != before["bri"] {
            assert_eq!(bulb["bri"], 150);
            assert!(bulb["sat"].as_u64().unwrap().abs_diff(60) <= 2, "{bulb}");
            assert!(
                bulb["hue"].as_u64().unwrap().abs_diff(12000) < 300,
                "{bulb}"
            );
            break;
        }
        assert!(Instant::now() < deadline, "never applied: {bulb}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn group_zero_holds_every_light_and_its_action_changes_them_all() {
    let app = test_app().await;
    no_queue_delay(&app).await;
    facilitator(&app, "PUT", "/api/room/shards", json!({"shards": 3})).await;
    let username = pair(&app, "phue#python").await;
    assert_eq!(
        hue(&app, "GET", &format!("/api/{username}/groups"), None).await,
        json!({})
    );
    let group = hue(&app, "GET", &format!("/api/{username}/groups/0/"), None).await;
    assert_eq!(group["lights"], json!(["1", "2", "3"]));
    assert_eq!(group["state"], json!({"all_on": true, "any_on": true}));
    assert!(group["action"]["xy"].is_array());

    let answer = hue(
        &app,
        "PUT",
        &format!("/api/{username}/groups/0/action"),
        Some(r#"{"on": true, "ct": 400, "bogus": 1}"#),
    )
    .await;
    assert_eq!(
        successes(&answer),
        ["/groups/0/action/on", "/groups/0/action/ct"]
    );
    assert_eq!(error_types(&answer), [6]);
    for shard in 0..3 {
        applied_by(&app, shard, "phue#python").await;
        let light = hue(
            &app,
            "GET",
            &format!("/api/{username}/lights/{}", shard + 1),
            None,
        )
        .await;
        assert_eq!(light["state"]["colormode"], "ct", "light {}", shard + 1);
        assert_eq!(light["state"]["ct"], 400);
    }
    let (kind, address, _) = only_error(
        &hue(
            &app,
            "PUT",
            &format!("/api/{username}/groups/1/action"),
            Some(r#"{"on": true}"#),
        )
        .await,
    );
    assert_eq!((kind, address.as_str()), (3, "/groups/1"));
}

#[tokio::test]
async fn lights_can_be_renamed_and_keep_the_name() {
    let app = test_app().await;
    let username = pair(&app, "phue#python").await;
    let light = format!("/api/{username}/lights/1");
    let answer = hue(
        &app,
        "PUT",
        &light,
        Some(r#"{"name": "Front of the room"}"#),
    )
    .await;
    assert_eq!(
        answer,
        json!([{"success": {"/lights/1/name": "Front of the room"}}])
    );
    let answer = hue(
        &app,
        "PUT",
        &light,
        Some(r#"{"name": 5, "type": "x", "colour": 1}"#),
    )
    .await;
    assert_eq!(error_types(&answer), [6, 7, 8], "{answer}");
    let app = app.restart().await;
    let named = hue(&app, "GET", &format!("/api/{username}/lights/1"), None).await;
    assert_eq!(named["name"], "Front of the room");
}

#[tokio::test]
async fn a_hue_app_is_held_to_the_attendees_rate_limit_on_bulb_changes() {
    let app = test_app().await;
    no_queue_delay(&app).await;
    let username = pair(&app, "phue#python").await;
    let state = format!("/api/{username}/lights/1/state");
    let mut refused = None;
    for n in 0..60 {
        let body = json!({"hue": n * 100}).to_string();
        let answer = hue(&app, "PUT", &state, Some(&body)).await;
        if !error_types(&answer).is_empty() {
            refused = Some(answer);
            break;
        }
    }
    let answer = refused.expect("the limit (20 at once) refuses some of 60");
    let (kind, address, description) = only_error(&answer);
    assert_eq!((kind, address.as_str()), (901, "/lights/1/state"));
    assert!(
        description.starts_with("Internal error, 429 (too many bulb changes"),
        "{description}"
    );
}

#[tokio::test]
async fn spans_and_events_name_the_app_as_the_writer_and_never_hold_its_username() {
    let dir = tempfile::tempdir().unwrap();
    let server = Running::start_with_hue(dir.path(), Arc::new(RecordingBulb::default())).await;
    let client = reqwest::Client::new();
    server.set_all_points(&client, true).await;
    server.set_delay(&client, 0).await;
    server
        .as_facilitator(&client, "POST", "/api/room/hue/link-button", Value::Null)
        .await;
    let hue_base = server.hue_base.clone().expect("the Hue API listens");
    let room = server
        .as_facilitator(&client, "GET", "/api/room/hue", Value::Null)
        .await;
    assert_eq!(room["address"], hue_base.trim_start_matches("http://"));
    let paired: Value = client
        .post(format!("{hue_base}/api"))
        .body(r#"{"devicetype": "phue#python"}"#)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let username = paired[0]["success"]["username"]
        .as_str()
        .unwrap()
        .to_string();

    let (trace, caller) = (trace_id(), span_id());
    let answer: Value = client
        .put(format!("{hue_base}/api/{username}/lights/1/state"))
        .header("traceparent", format!("00-{trace}-{caller}-01"))
        .body(r#"{"xy": [0.3, 0.3]}"#)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(successes(&answer), ["/lights/1/state/xy"]);
    let route = "PUT /api/-/lights/{id}/state";
    let events = server
        .trace_events(&trace, &[route, "bulb.enqueue", "bulb.apply"])
        .await;
    let http = span(&events, route);
    assert_eq!(http["url.path"], "/api/-/lights/1/state");
    let enqueue = span(&events, "bulb.enqueue");
    assert_eq!(enqueue["attendee"], "phue#python");
    assert!(enqueue["attendee_id"].as_str().unwrap().starts_with("hue-"));
    assert_eq!(enqueue["input_form"], "xy");
    assert_eq!(enqueue["trace.parent_id"], http["trace.span_id"]);
    let stored = server.state.store.events("bulb").await.unwrap();
    assert!(
        !serde_json::to_string(&stored).unwrap().contains(&username),
        "no event holds the username"
    );
    let bulb = server.drained(&client, Duration::from_secs(10)).await;
    assert_eq!(bulb["applied_by"]["name"], "phue#python");
    server.shut_down().await;
}

#[tokio::test]
async fn a_change_is_read_against_what_the_apps_queued_changes_leave() {
    let app = test_app().await;
    facilitator(
        &app,
        "PUT",
        "/api/bulb/queue-delay",
        json!({"queue_delay_ms": 300}),
    )
    .await;
    let username = pair(&app, "phue#python").await;
    let state = format!("/api/{username}/lights/1/state");
    // Off, then a colour at once: refused whether the switch is applied yet or not.
    hue(&app, "PUT", &state, Some(r#"{"on": false}"#)).await;
    let answer = hue(&app, "PUT", &state, Some(r#"{"hue": 100}"#)).await;
    assert_eq!(error_types(&answer), [201], "{answer}");
    // On, then a colour at once: taken, as a real bridge (which switches at once)
    // would take it.
    hue(&app, "PUT", &state, Some(r#"{"on": true}"#)).await;
    let answer = hue(&app, "PUT", &state, Some(r#"{"ct": 250}"#)).await;
    assert_eq!(successes(&answer), ["/lights/1/state/ct"], "{answer}");
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let light = hue(&app, "GET", &format!("/api/{username}/lights/1"), None).await;
        if light["state"]["colormode"] == "ct" {
            assert_eq!(light["state"]["on"], true);
            assert_eq!(light["state"]["ct"], 250);
            break;
        }
        assert!(Instant::now() < deadline, "never applied: {light}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
