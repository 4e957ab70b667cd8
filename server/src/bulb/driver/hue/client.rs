//! HTTP to a Hue bridge (local REST API v1): every request bounded by the timeout,
//! every failure a [`HueError`] that says what went wrong.

use std::time::Duration;

use serde_json::{Value, json};

use super::errors::{HueApiError, HueError, HueItem, HueLight, excerpt, first_error};
use super::errors::{parse_answer, parse_light};
use crate::bulb::LightState;

/// A bridge at a base URL, with or without a username.
#[derive(Clone, Debug)]
pub struct HueClient {
    http: reqwest::Client,
    bridge: String,
    username: String,
    timeout: Duration,
}

impl HueClient {
    /// A client for the bridge at `bridge` (`http://ADDR`), as `username` (empty to
    /// pair), each request given `timeout`.
    pub fn new(bridge: &str, username: &str, timeout: Duration) -> Result<Self, HueError> {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .build()
            .map_err(|e| HueError::Client(e.to_string()))?;
        Ok(Self {
            http,
            bridge: bridge.trim_end_matches('/').to_string(),
            username: username.to_string(),
            timeout,
        })
    }

    /// The bridge's base URL.
    pub fn bridge(&self) -> &str {
        &self.bridge
    }

    fn url(&self, path: &str) -> String {
        format!("{}/api/{}{path}", self.bridge, self.username)
    }

    /// `PUT /api/<username>/lights/<id>/state`: on, and the colour while on.
    pub async fn set_state(&self, id: &str, light: LightState) -> Result<(), HueError> {
        let body = if light.on {
            json!({"on": true, "hue": light.hsb.hue, "sat": light.hsb.sat, "bri": light.hsb.bri})
        } else {
            json!({"on": false})
        };
        let answer = self
            .send(
                self.http
                    .put(self.url(&format!("/lights/{id}/state")))
                    .json(&body),
            )
            .await?;
        let items = self.answer_list(&answer)?;
        match first_error(&items) {
            Some(e) => Err(HueError::Api(e.clone())),
            None => Ok(()),
        }
    }

    /// `GET /api/<username>/lights/<id>`: its name and whether it is reachable.
    pub async fn light(&self, id: &str) -> Result<HueLight, HueError> {
        let answer = self
            .send(self.http.get(self.url(&format!("/lights/{id}"))))
            .await?;
        match parse_light(&answer) {
            Ok(Ok(light)) => Ok(light),
            Ok(Err(e)) => Err(HueError::Api(e)),
            Err(what) => Err(self.not_a_bridge(what)),
        }
    }

    /// `GET /api/<username>/lights`: every light's id and name, by id.
    pub async fn lights(&self) -> Result<Vec<(String, String)>, HueError> {
        let answer = self.send(self.http.get(self.url("/lights"))).await?;
        let value: Value = serde_json::from_str(&answer)
            .map_err(|e| self.not_a_bridge(format!("not JSON ({e})")))?;
        match value {
            Value::Object(lights) => {
                let mut lights: Vec<(String, String)> = lights
                    .into_iter()
                    .map(|(id, light)| {
                        let name = light["name"].as_str().unwrap_or_default().to_string();
                        (id, name)
                    })
                    .collect();
                lights.sort_by_key(|(id, _)| (id.parse::<u64>().unwrap_or(u64::MAX), id.clone()));
                Ok(lights)
            }
            Value::Array(_) => {
                let items = self.answer_list(&answer)?;
                Err(first_error(&items).map_or_else(
                    || self.not_a_bridge(format!("a list, not lights: {}", excerpt(&answer))),
                    |e| HueError::Api(e.clone()),
                ))
            }
            _ => Err(self.not_a_bridge(format!("not lights: {}", excerpt(&answer)))),
        }
    }

    /// `POST /api` `{"devicetype"}`: one pairing attempt. `Ok(Err)` is the bridge's
    /// refusal (101 until the link button is pressed).
    pub async fn create_user(
        &self,
        devicetype: &str,
    ) -> Result<Result<String, HueApiError>, HueError> {
        let answer = self
            .send(
                self.http
                    .post(format!("{}/api", self.bridge))
                    .json(&json!({"devicetype": devicetype})),
            )
            .await?;
        let items = self.answer_list(&answer)?;
        if let Some(e) = first_error(&items) {
            return Ok(Err(e.clone()));
        }
        items
            .iter()
            .find_map(|item| match item {
                HueItem::Success(success) => success["username"].as_str().map(str::to_string),
                HueItem::Error(_) => None,
            })
            .map(Ok)
            .ok_or_else(|| {
                self.not_a_bridge(format!("no username in its answer: {}", excerpt(&answer)))
            })
    }

    fn answer_list(&self, answer: &str) -> Result<Vec<HueItem>, HueError> {
        parse_answer(answer).map_err(|what| self.not_a_bridge(what))
    }

    fn not_a_bridge(&self, what: String) -> HueError {
        HueError::NotABridge {
            bridge: self.bridge.clone(),
            what,
        }
    }

    /// Sends a request; the body of a 2xx answer, else why there is none.
    async fn send(&self, request: reqwest::RequestBuilder) -> Result<String, HueError> {
        let response = request.send().await.map_err(|e| self.transport(&e))?;
        let status = response.status();
        let body = response.text().await.map_err(|e| self.transport(&e))?;
        if !status.is_success() {
            return Err(self.not_a_bridge(format!("HTTP {status}: {}", excerpt(&body))));
        }
        Ok(body)
    }

    fn transport(&self, e: &reqwest::Error) -> HueError {
        if e.is_timeout() {
            return HueError::Timeout {
                bridge: self.bridge.clone(),
                timeout_ms: u64::try_from(self.timeout.as_millis()).unwrap_or(u64::MAX),
            };
        }
        HueError::Unreachable {
            bridge: self.bridge.clone(),
            reason: innermost(e),
        }
    }
}

/// The deepest cause of an error ("Connection refused (os error 111)"), which says
/// more than reqwest's own "error sending request".
fn innermost(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = e;
    while let Some(source) = cause.source() {
        cause = source;
    }
    cause.to_string()
}
