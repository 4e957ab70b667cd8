//! The facilitator's side of the fan-out: join, set the queue delay, change the bulb,
//! over plain HTTP/1 on loopback.

use std::time::Instant;

use bulbwatch_api::{Joined, SetBulbAccepted};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::{Method, Request};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// The facilitator, joined as an attendee: their writes are not rate-limited.
pub struct Facilitator {
    base: String,
    secret: String,
    token: String,
    http: Client<HttpConnector, Full<Bytes>>,
}

/// A change the bulb service accepted.
pub struct Change {
    pub request_id: String,
    /// When the PUT was sent.
    pub sent: Instant,
    /// When its 202 had arrived.
    pub accepted: Instant,
}

impl Facilitator {
    /// Joins `base` (`http://127.0.0.1:PORT`) with the facilitator's `secret`.
    pub async fn join(base: &str, secret: &str) -> Result<Self, String> {
        let http = Client::builder(TokioExecutor::new()).build_http();
        let mut facilitator = Self {
            base: base.trim_end_matches('/').to_string(),
            secret: secret.to_string(),
            token: String::new(),
            http,
        };
        let joined: Joined = facilitator
            .call(Method::POST, "/api/attendees", json!({"name": "fan-out"}))
            .await?;
        facilitator.token = joined.token;
        Ok(facilitator)
    }

    /// Sets how long each queued change waits before it is applied.
    pub async fn set_queue_delay(&self, ms: u32) -> Result<(), String> {
        let _: Value = self
            .call(
                Method::PUT,
                "/api/bulb/queue-delay",
                json!({"queue_delay_ms": ms}),
            )
            .await?;
        Ok(())
    }

    /// Asks for `colour` on the facilitator's shard.
    pub async fn change(&self, colour: &str) -> Result<Change, String> {
        let sent = Instant::now();
        let queued: SetBulbAccepted = self
            .call(Method::PUT, "/api/bulb", json!({"colour": colour}))
            .await?;
        Ok(Change {
            request_id: queued.request_id,
            sent,
            accepted: Instant::now(),
        })
    }

    async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Value,
    ) -> Result<T, String> {
        let what = format!("{method} {path}");
        let mut request = Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base))
            .header("content-type", "application/json");
        // Before joining, the secret as the bearer; after, both as cookies (a bearer
        // header would be read as the attendee's token).
        if self.token.is_empty() {
            request = request.header("authorization", format!("Bearer {}", self.secret));
        } else {
            request = request.header(
                "cookie",
                format!(
                    "bulbwatch_token={}; bulbwatch_facilitator={}",
                    self.token, self.secret
                ),
            );
        }
        let request = request
            .body(Full::new(Bytes::from(body.to_string())))
            .map_err(|e| format!("{what}: {e}"))?;
        let response = self
            .http
            .request(request)
            .await
            .map_err(|e| format!("{what}: {e}"))?;
        let status = response.status();
        let bytes = response
            .into_body()
            .collect()
            .await
            .map_err(|e| format!("{what}: {e}"))?
            .to_bytes();
        if !status.is_success() {
            return Err(format!(
                "{what} answered {status}: {}",
                String::from_utf8_lossy(&bytes)
            ));
        }
        serde_json::from_slice(&bytes).map_err(|e| format!("{what}: unexpected answer: {e}"))
    }
}
