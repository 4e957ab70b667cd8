//! A whole server on port 0 over real HTTP, with helpers for the requests tests send.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bulbwatch::bulb::BulbDriver;
use bulbwatch::{AppState, Application, Settings, TelemetrySettings};
use serde_json::{Value, json};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

pub struct Running {
    pub base: String,
    /// The Hue-compatible API's base URL (`http://127.0.0.1:PORT`), when it is on.
    pub hue_base: Option<String>,
    pub stop: CancellationToken,
    pub handle: JoinHandle<std::io::Result<()>>,
    pub state: AppState,
}

impl Running {
    pub async fn start(data_dir: &Path, driver: Arc<dyn BulbDriver>) -> Self {
        Self::start_with(data_dir, driver, TelemetrySettings::default()).await
    }

    pub async fn start_with(
        data_dir: &Path,
        driver: Arc<dyn BulbDriver>,
        telemetry: TelemetrySettings,
    ) -> Self {
        Self::start_seeded(data_dir, driver, telemetry, None).await
    }

    /// [`Running::start_with`] with the room's seed fixed.
    pub async fn start_seeded(
        data_dir: &Path,
        driver: Arc<dyn BulbDriver>,
        telemetry: TelemetrySettings,
        seed: Option<u64>,
    ) -> Self {
        Self::start_limited(data_dir, driver, telemetry, seed, Default::default()).await
    }

    /// [`Running::start_seeded`] with its connection limits set.
    pub async fn start_limited(
        data_dir: &Path,
        driver: Arc<dyn BulbDriver>,
        telemetry: TelemetrySettings,
        seed: Option<u64>,
        connections: bulbwatch::serve::ConnectionLimits,
    ) -> Self {
        Self::start_full(data_dir, driver, telemetry, seed, connections, false).await
    }

    /// A server with the Hue-compatible API on a port of its own ([`Running::hue_base`]).
    pub async fn start_with_hue(data_dir: &Path, driver: Arc<dyn BulbDriver>) -> Self {
        Self::start_full(
            data_dir,
            driver,
            TelemetrySettings::default(),
            None,
            Default::default(),
            true,
        )
        .await
    }

    async fn start_full(
        data_dir: &Path,
        driver: Arc<dyn BulbDriver>,
        telemetry: TelemetrySettings,
        seed: Option<u64>,
        connections: bulbwatch::serve::ConnectionLimits,
        hue: bool,
    ) -> Self {
        let app = Application::build_with(
            Settings {
                addr: SocketAddr::from(([127, 0, 0, 1], 0)),
                data_dir: data_dir.to_path_buf(),
                app_dir: data_dir.join("no-app"),
                driver,
                max_queue_length: bulbwatch::bulb::DEFAULT_MAX_QUEUE_LENGTH,
                facilitator_token: None,
                public_url: None,
                seed,
                extra_scenarios: Vec::new(),
                connections,
                hue_addr: hue.then(|| SocketAddr::from(([127, 0, 0, 1], 0))),
            },
            telemetry,
        )
        .await
        .unwrap();
        let base = format!("http://{}", app.local_addr());
        let hue_base = app.hue_addr().map(|addr| format!("http://{addr}"));
        let stop = app.stop_token();
        let state = app.state().clone();
        let handle = tokio::spawn(app.run());
        Self {
            base,
            hue_base,
            stop,
            handle,
            state,
        }
    }

    pub async fn shut_down(self) {
        self.stop.cancel();
        tokio::time::timeout(Duration::from_secs(5), self.handle)
            .await
            .expect("server stops within 5 s")
            .unwrap()
            .unwrap();
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn join(&self, client: &reqwest::Client, name: &str) -> String {
        let res = client
            .post(self.url("/api/attendees"))
            .json(&json!({"name": name, "code": self.state.room.join_code()}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201);
        res.json::<Value>().await.unwrap()["token"]
            .as_str()
            .unwrap()
            .to_string()
    }

    pub async fn set(&self, client: &reqwest::Client, token: &str, body: Value) -> Value {
        let res = client
            .put(self.url("/api/bulb"))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 202);
        res.json().await.unwrap()
    }

    /// `PUT /api/bulb` as a check sends it: with a `traceparent` and a user agent.
    pub async fn set_traced(
        &self,
        client: &reqwest::Client,
        token: &str,
        body: Value,
        trace_id: &str,
        span_id: &str,
    ) -> Value {
        let res = client
            .put(self.url("/api/bulb"))
            .bearer_auth(token)
            .header("traceparent", format!("00-{trace_id}-{span_id}-01"))
            .header("user-agent", "bulbwatch-test")
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 202);
        res.json().await.unwrap()
    }

    /// GETs `path` (with the token, if any) and decodes the JSON answer.
    pub async fn get_json(
        &self,
        client: &reqwest::Client,
        path: &str,
        token: Option<&str>,
    ) -> Value {
        let mut req = client.get(self.url(path));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        req.send().await.unwrap().json().await.unwrap()
    }

    pub async fn bulb(&self, client: &reqwest::Client) -> Value {
        self.get_json(client, "/api/bulb", None).await
    }

    /// The facilitator's secret, to send as a bearer token.
    pub fn facilitator(&self) -> String {
        self.state.room.facilitator_token()
    }

    /// `method path` with `body` (JSON, none for `null`) as the facilitator; asserts a
    /// success and answers the JSON.
    pub async fn as_facilitator(
        &self,
        client: &reqwest::Client,
        method: &str,
        path: &str,
        body: Value,
    ) -> Value {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut req = client
            .request(method, self.url(path))
            .bearer_auth(self.facilitator());
        if !body.is_null() {
            req = req.json(&body);
        }
        let res = req.send().await.unwrap();
        let status = res.status();
        let answer: Value = res.json().await.unwrap();
        assert!(status.is_success(), "{path}: {status} {answer}");
        answer
    }

    /// Sets the queue delay, as the facilitator.
    pub async fn set_delay(&self, client: &reqwest::Client, ms: u64) {
        let res = client
            .put(self.url("/api/bulb/queue-delay"))
            .bearer_auth(self.facilitator())
            .json(&json!({"queue_delay_ms": ms}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
    }

    /// Switches an instrumentation point, as the facilitator.
    pub async fn set_point(&self, client: &reqwest::Client, id: &str, on: bool) {
        let res = client
            .put(self.url(&format!("/api/instrumentation/points/{id}")))
            .bearer_auth(self.facilitator())
            .json(&json!({"on": on}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{id}");
    }

    /// Switches every instrumentation point on or off.
    pub async fn set_all_points(&self, client: &reqwest::Client, on: bool) {
        let points = self
            .get_json(client, "/api/instrumentation/points", None)
            .await;
        for point in points.as_array().unwrap() {
            self.set_point(client, point["id"].as_str().unwrap(), on)
                .await;
        }
    }

    /// Polls until the queue is empty; returns the final state.
    pub async fn drained(&self, client: &reqwest::Client, within: Duration) -> Value {
        let deadline = Instant::now() + within;
        loop {
            let state = self.bulb(client).await;
            if state["queue_length"] == 0 {
                return state;
            }
            assert!(Instant::now() < deadline, "queue not drained: {state}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Polls the `bulb` dataset until the spans of `trace_id` include every name in
    /// `names`; returns that trace's span events.
    pub async fn trace_events(&self, trace_id: &str, names: &[&str]) -> Vec<Value> {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let events: Vec<Value> = self
                .state
                .store
                .events("bulb")
                .await
                .unwrap()
                .into_iter()
                .filter(|e| e["trace.trace_id"] == trace_id)
                .collect();
            let has = |name: &&str| events.iter().any(|e| e["name"] == *name);
            if names.iter().all(has) {
                return events;
            }
            assert!(
                Instant::now() < deadline,
                "trace {trace_id} lacks some of {names:?}: {events:#?}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// The one span event named `name`.
pub fn span<'a>(events: &'a [Value], name: &str) -> &'a Value {
    let found: Vec<&Value> = events.iter().filter(|e| e["name"] == name).collect();
    assert_eq!(found.len(), 1, "one {name} span in {events:#?}");
    found[0]
}

/// Random-enough ids for tests: a trace id (32 hex) and a span id (16 hex).
pub fn trace_id() -> String {
    uuid_hex(32)
}

pub fn span_id() -> String {
    uuid_hex(16)
}

fn uuid_hex(len: usize) -> String {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).unwrap();
    bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()[..len].to_string()
}
