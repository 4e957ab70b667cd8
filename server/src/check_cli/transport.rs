//! The terminal's transport: a blocking HTTP client with the attendee's bearer token.

use std::time::Duration;

use bulbwatch_api::ApiError;
use bulbwatch_checks::{HttpRequest, HttpResponse, Transport, TransportError};
use serde::de::DeserializeOwned;

/// How long one request may take before it counts as unanswered.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// A blocking client for checks.
pub fn client() -> Result<reqwest::blocking::Client, String> {
    reqwest::blocking::Client::builder()
        .timeout(REQUEST_TIMEOUT)
        .user_agent(concat!("bulbwatch-check/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| format!("cannot build the HTTP client: {e}"))
}

/// Success into `T`, or the error envelope's message.
pub fn decode<T: DeserializeOwned>(res: reqwest::blocking::Response) -> Result<T, String> {
    let status = res.status();
    let text = res.text().map_err(|e| e.to_string())?;
    if status.is_success() {
        serde_json::from_str(&text).map_err(|e| format!("unexpected answer ({status}): {e}"))
    } else {
        match serde_json::from_str::<ApiError>(&text) {
            Ok(envelope) => Err(format!("{status}: {}", envelope.error.message)),
            Err(_) => Err(format!(
                "{status}: {}",
                text.chars().take(200).collect::<String>()
            )),
        }
    }
}

/// Sends the engine's requests to `base` with `Authorization: Bearer <token>`.
pub struct BlockingTransport {
    client: reqwest::blocking::Client,
    base: String,
    token: String,
}

impl BlockingTransport {
    /// A transport for the server at `base` acting as the attendee with `token`.
    pub fn new(client: reqwest::blocking::Client, base: String, token: String) -> Self {
        Self {
            client,
            base,
            token,
        }
    }
}

impl Transport for BlockingTransport {
    fn send(&mut self, req: HttpRequest) -> Result<HttpResponse, TransportError> {
        let method = reqwest::Method::from_bytes(req.method.as_str().as_bytes())
            .map_err(|e| TransportError::new(e.to_string()))?;
        let mut builder = self
            .client
            .request(method, format!("{}{}", self.base, req.path))
            .bearer_auth(&self.token);
        for (name, value) in &req.headers {
            builder = builder.header(name, value);
        }
        if let Some(body) = req.body {
            builder = builder.body(body);
        }
        let res = builder
            .send()
            .map_err(|e| TransportError::new(describe(&e)))?;
        let status = res.status().as_u16();
        let headers = res
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_string(), v.to_str().unwrap_or("").to_string()))
            .collect();
        let body = res.text().map_err(|e| TransportError::new(describe(&e)))?;
        Ok(HttpResponse {
            status,
            headers,
            body,
        })
    }
}

fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        format!("no answer within {} s", REQUEST_TIMEOUT.as_secs())
    } else if e.is_connect() {
        "connection refused".to_string()
    } else {
        e.to_string()
    }
}
