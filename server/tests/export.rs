//! Export: `GET /api/events` streams a dataset's events in a time range as NDJSON or
//! CSV (a header of the union of fields); bad datasets, formats and ranges get 400.

mod support;

use axum::http::{Request, StatusCode};
use bulbwatch::events::NewEvent;
use bulbwatch_api::Dataset;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use support::{TestApp, assert_error, test_app};

fn event(timestamp_ms: i64, fields: Value) -> NewEvent {
    NewEvent {
        dataset: Dataset::Bulb,
        timestamp_ms,
        trace_id: None,
        fields: fields.as_object().unwrap().clone(),
    }
}

async fn export(app: &TestApp, token: &str, query: &str) -> (StatusCode, String, String) {
    let req = Request::builder()
        .uri(format!("/api/events?{query}"))
        .header("authorization", format!("Bearer {token}"))
        .body(axum::body::Body::empty())
        .unwrap();
    let res = app.send(req).await;
    let status = res.status();
    let content_type = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let body = res.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        content_type,
        String::from_utf8(body.to_vec()).unwrap(),
    )
}

#[tokio::test]
async fn ndjson_and_csv_stream_the_events_in_the_range() {
    let app = test_app().await;
    let token = app.join("Ada").await;
    app.state
        .events
        .write(vec![
            event(3_000, json!({"timestamp": 3_000, "name": "late"})),
            event(1_000, json!({"timestamp": 1_000, "name": "bulb.apply", "colour": "red", "delay_ms": 412})),
            event(2_000, json!({"timestamp": 2_000, "name": "PUT /api/bulb", "note": "say \"hi\", twice", "ok": true})),
        ])
        .await
        .unwrap();

    let (status, content_type, body) =
        export(&app, &token, "dataset=bulb&from=1000&to=3000&format=ndjson").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type, "application/x-ndjson");
    let lines: Vec<Value> = body
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "to is exclusive: {body}");
    assert_eq!(lines[0]["name"], "bulb.apply");
    assert_eq!(lines[0]["delay_ms"], 412);
    assert_eq!(lines[1]["timestamp"], 2_000);

    let (status, content_type, body) = export(&app, &token, "dataset=bulb&from=0&format=csv").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type, "text/csv; charset=utf-8");
    let rows: Vec<&str> = body.split("\r\n").collect();
    assert_eq!(rows[0], "timestamp,colour,delay_ms,name,note,ok");
    assert_eq!(rows[1], "1000,red,412,bulb.apply,,");
    assert_eq!(
        rows[2],
        "2000,,,PUT /api/bulb,\"say \"\"hi\"\", twice\",true"
    );
    assert_eq!(rows[3], "3000,,,late,,");
    assert_eq!(rows[4], "", "ends with a line break");
    assert_eq!(rows.len(), 5);

    // An empty range is an empty file (CSV: just the header).
    let (_, _, body) = export(&app, &token, "dataset=bulb&from=5000&to=6000").await;
    assert_eq!(body, "");
    let (_, _, body) = export(&app, &token, "dataset=bulb&from=5000&to=6000&format=csv").await;
    assert_eq!(body, "timestamp\r\n");
}

#[tokio::test]
async fn e2e_events_get_their_timestamp_and_long_exports_page_in_order() {
    let app = test_app().await;
    let token = app.join("Ada").await;
    let report = json!({
        "verdict": "fail", "failure": null, "steps": [], "requests": [], "logs": [],
        "duration_ms": 5.0, "trace_id": "0af7651916cd43dd8448eb211c80319c",
        "iterations": 1, "colour": "red", "request_id": null
    });
    let res = app
        .send(support::json_request(
            "POST",
            "/api/runs",
            &json!({"check_name": "classic", "report": report}),
            Some(&token),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let (status, _, body) = export(&app, &token, "dataset=e2e").await;
    assert_eq!(status, StatusCode::OK);
    let run: Value = serde_json::from_str(body.trim()).unwrap();
    assert_eq!(run["check"], "classic");
    assert_eq!(run["timestamp"], run["started_at"]);

    // More events than one page holds, written out of order.
    let batch: Vec<NewEvent> = (0..4_500)
        .map(|i| {
            let t = 10_000 + (i * 7919) % 4_500;
            event(t, json!({"timestamp": t, "i": i}))
        })
        .collect();
    app.state.events.write(batch).await.unwrap();
    let (_, _, body) = export(&app, &token, "dataset=bulb").await;
    let times: Vec<i64> = body
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["timestamp"]
                .as_i64()
                .unwrap()
        })
        .collect();
    assert_eq!(times.len(), 4_500);
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "in time order");
}

#[tokio::test]
async fn bad_datasets_formats_and_ranges_get_400_and_strangers_401() {
    let app = test_app().await;
    let token = app.join("Ada").await;
    let cases = [
        ("format=csv", "say which dataset"),
        ("dataset=spans", "dataset must be `bulb` or `e2e`"),
        (
            "dataset=bulb&format=xml",
            "format must be `ndjson` or `csv`",
        ),
        ("dataset=bulb&from=yesterday", "`from` must be a time"),
        ("dataset=bulb&from=10&to=5", "must not be after"),
        ("dataset=bulb&limit=5", "bad query"),
    ];
    for (query, expected) in cases {
        let req = Request::builder()
            .uri(format!("/api/events?{query}"))
            .header("authorization", format!("Bearer {token}"))
            .body(axum::body::Body::empty())
            .unwrap();
        let message = assert_error(
            app.send(req).await,
            StatusCode::BAD_REQUEST,
            "invalid_input",
        )
        .await;
        assert!(message.contains(expected), "{query}: {message}");
    }
    let res = app.send(support::get("/api/events?dataset=bulb")).await;
    assert_error(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

#[tokio::test]
async fn a_name_a_spreadsheet_would_run_is_exported_as_text() {
    let app = test_app().await;
    let token = app.join("=HYPERLINK(\"http://e.x\",\"go\")").await;
    let report = json!({
        "verdict": "pass", "failure": null, "steps": [], "requests": [], "logs": [],
        "duration_ms": 5.0, "trace_id": "0af7651916cd43dd8448eb211c80319c",
        "iterations": 1, "colour": "+red", "request_id": null
    });
    let res = app
        .send(support::json_request(
            "POST",
            "/api/runs",
            &json!({"check_name": "@classic", "report": report}),
            Some(&token),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let (status, _, body) = export(&app, &token, "dataset=e2e&format=csv").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        body.contains("\"'=HYPERLINK(\"\"http://e.x\"\",\"\"go\"\")\""),
        "{body}"
    );
    assert!(
        body.contains(",'@classic,") || body.contains("'@classic"),
        "{body}"
    );
    assert!(body.contains("'+red"), "{body}");
    for line in body.lines().skip(1) {
        for cell in line.split(',') {
            assert!(!cell.starts_with(['=', '+', '@']), "{cell} in {line}");
        }
    }
}
