//! Shared helpers for the server's tests: a state on a temporary data dir, request
//! builders, a driver that records what it was asked to show.

#![allow(dead_code)]

pub mod running;

use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::body::Body;
use axum::http::{Request, Response, StatusCode};
use bulbwatch::bulb::{BulbDriver, DriverError, LightState};
use bulbwatch::colour::Hsb;
use bulbwatch::store::Store;
use bulbwatch::{AppState, app};
use http_body_util::BodyExt;
use tokio_util::sync::CancellationToken;
use tower::ServiceExt;

/// A driver that remembers every colour it was asked to show, and when.
#[derive(Default)]
pub struct RecordingBulb {
    pub applied: Mutex<Vec<(Instant, u32, Hsb)>>,
}

impl RecordingBulb {
    pub fn applied(&self) -> Vec<(Instant, Hsb)> {
        self.applied
            .lock()
            .unwrap()
            .iter()
            .map(|(at, _, hsb)| (*at, *hsb))
            .collect()
    }

    /// When each change was applied, and on which shard.
    pub fn applied_on(&self) -> Vec<(Instant, u32)> {
        self.applied
            .lock()
            .unwrap()
            .iter()
            .map(|(at, shard, _)| (*at, *shard))
            .collect()
    }
}

impl BulbDriver for RecordingBulb {
    fn name(&self) -> &'static str {
        "recording"
    }

    fn apply(
        &self,
        shard: u32,
        light: LightState,
    ) -> std::pin::Pin<Box<dyn Future<Output = Result<(), DriverError>> + Send + '_>> {
        self.applied
            .lock()
            .unwrap()
            .push((Instant::now(), shard, light.hsb));
        Box::pin(std::future::ready(Ok(())))
    }
}

/// A driver that refuses one hue (like a bridge that drops some saves) and takes the
/// rest.
pub struct PickyBulb {
    pub refused_hue: u16,
}

impl BulbDriver for PickyBulb {
    fn name(&self) -> &'static str {
        "picky"
    }

    fn apply(
        &self,
        _shard: u32,
        light: LightState,
    ) -> std::pin::Pin<Box<dyn Future<Output = Result<(), DriverError>> + Send + '_>> {
        let hsb = light.hsb;
        let result = if hsb.hue == self.refused_hue {
            Err(DriverError::Failed(format!(
                "the bridge refused hue {}",
                hsb.hue
            )))
        } else {
            Ok(())
        };
        Box::pin(std::future::ready(result))
    }
}

/// A router over a fresh state in a temporary data dir (kept alive by the guard).
pub struct TestApp {
    pub router: axum::Router,
    pub state: AppState,
    pub data_dir: tempfile::TempDir,
    pub app_dir: tempfile::TempDir,
    pub stop: CancellationToken,
    /// The bulb's queue worker; a restart waits for it, so two never share the data.
    pub worker: Option<tokio::task::JoinHandle<()>>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

pub async fn test_app() -> TestApp {
    test_app_in(tempfile::tempdir().unwrap()).await
}

/// A router over the state in `data_dir` (a restart when it was used before).
pub async fn test_app_in(data_dir: tempfile::TempDir) -> TestApp {
    test_app_with(data_dir, bulbwatch::bulb::DEFAULT_MAX_QUEUE_LENGTH).await
}

/// A router over the state in `data_dir` whose bulb queue holds `max_queue_length`.
pub async fn test_app_with(data_dir: tempfile::TempDir, max_queue_length: u32) -> TestApp {
    test_app_kept(
        data_dir,
        max_queue_length,
        bulbwatch::events::DEFAULT_RETENTION,
    )
    .await
}

/// A router over the state in `data_dir` whose events keep at most `retention` per
/// dataset.
pub async fn test_app_with_retention(data_dir: tempfile::TempDir, retention: u64) -> TestApp {
    test_app_kept(
        data_dir,
        bulbwatch::bulb::DEFAULT_MAX_QUEUE_LENGTH,
        retention,
    )
    .await
}

async fn test_app_kept(
    data_dir: tempfile::TempDir,
    max_queue_length: u32,
    retention: u64,
) -> TestApp {
    let app_dir = tempfile::tempdir().unwrap();
    std::fs::write(
        app_dir.path().join("index.html"),
        "<!doctype html><title>Bulbwatch</title>",
    )
    .unwrap();
    std::fs::create_dir(app_dir.path().join("explore")).unwrap();
    std::fs::write(
        app_dir.path().join("explore/index.html"),
        "<!doctype html><title>Explore · Bulbwatch</title>",
    )
    .unwrap();
    let store = Store::open(data_dir.path()).unwrap();
    let stop = CancellationToken::new();
    let events = bulbwatch::events::Events::open(store.clone(), retention)
        .await
        .unwrap();
    let (state, worker) = AppState::start_with(
        store,
        Arc::new(RecordingBulb::default()),
        events,
        max_queue_length,
        stop.clone(),
    )
    .await
    .unwrap();
    let router = app(state.clone(), app_dir.path());
    TestApp {
        router,
        state,
        data_dir,
        app_dir,
        stop,
        worker: Some(worker),
    }
}

impl TestApp {
    /// Stops this state, waits for its queue worker to finish, and starts a new one
    /// on the same data dir.
    pub async fn restart(mut self) -> TestApp {
        let data_dir = std::mem::replace(&mut self.data_dir, tempfile::tempdir().unwrap());
        self.stop.cancel();
        if let Some(worker) = self.worker.take() {
            tokio::time::timeout(std::time::Duration::from_secs(30), worker)
                .await
                .expect("the queue worker stops within 30 s")
                .expect("the queue worker ends cleanly");
        }
        drop(self);
        test_app_in(data_dir).await
    }

    /// The facilitator's secret, to send as a bearer token.
    pub fn facilitator(&self) -> String {
        self.state.room.facilitator_token()
    }

    pub async fn send(&self, req: Request<Body>) -> Response<Body> {
        self.router.clone().oneshot(req).await.unwrap()
    }

    /// Joins as `name`; returns the token.
    pub async fn join(&self, name: &str) -> String {
        let res = self
            .send(json_request(
                "POST",
                "/api/attendees",
                &serde_json::json!({"name": name, "code": self.state.room.join_code()}),
                None,
            ))
            .await;
        assert_eq!(res.status(), StatusCode::CREATED);
        body_json(res).await["token"].as_str().unwrap().to_string()
    }
}

/// A finished check's report as the engine makes it: passed, or failed in a poll.
pub fn run_report(passed: bool) -> serde_json::Value {
    let failure = if passed {
        serde_json::Value::Null
    } else {
        serde_json::json!({"kind": "assertion", "message": "poll gave up after 30 tries",
                           "line": 5, "column": 3, "step": null})
    };
    serde_json::json!({
        "verdict": if passed { "pass" } else { "fail" }, "failure": failure,
        "steps": [], "requests": [], "logs": [],
        "duration_ms": 5.0, "trace_id": "0af7651916cd43dd8448eb211c80319c",
        "iterations": 1, "colour": "red", "request_id": null
    })
}

pub fn json_request(
    method: &str,
    uri: &str,
    body: &serde_json::Value,
    token: Option<&str>,
) -> Request<Body> {
    raw_request(method, uri, body.to_string(), token)
}

pub fn raw_request(method: &str, uri: &str, body: String, token: Option<&str>) -> Request<Body> {
    let mut builder = Request::builder()
        .method(method)
        .uri(uri)
        .header("content-type", "application/json");
    if let Some(token) = token {
        builder = builder.header("authorization", format!("Bearer {token}"));
    }
    builder.body(Body::from(body)).unwrap()
}

pub fn get(uri: &str) -> Request<Body> {
    Request::builder().uri(uri).body(Body::empty()).unwrap()
}

pub async fn body_json(res: Response<Body>) -> serde_json::Value {
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&bytes)))
}

/// Asserts a response is the error envelope with this status and code, and returns
/// its message.
pub async fn assert_error(res: Response<Body>, status: StatusCode, code: &str) -> String {
    assert_eq!(res.status(), status);
    let body = body_json(res).await;
    assert_eq!(body["error"]["code"], code, "{body}");
    let message = body["error"]["message"].as_str().unwrap().to_string();
    assert!(!message.is_empty());
    message
}
