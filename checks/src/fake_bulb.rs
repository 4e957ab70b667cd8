//! A tiny bulb service in memory, as a `Transport`: for tests of the engine and of
//! whatever embeds it. `PUT /api/bulb` queues a change; `GET /api/bulb` applies the
//! queued change after a few polls. It records every request it gets.

use std::collections::VecDeque;

use bulbwatch_api::{
    ApiError, Attendee, BulbState, ErrorCode, HttpMethod, NAMED_COLOURS, SetBulb, SetBulbAccepted,
};
use serde_json::{Value, json};

use crate::transport::{HttpRequest, HttpResponse, Transport, TransportError};

/// The fake bulb service. Besides `/api/bulb` it answers `PUT|POST /echo` (the request
/// back as JSON), `GET /text` (a plain-text body) and `GET /status/<code>`.
#[derive(Debug)]
pub struct FakeBulb {
    /// Every request received, in order, headers included.
    pub requests: Vec<HttpRequest>,
    apply_after_gets: u32,
    stuck: bool,
    intruder: Option<String>,
    unreachable: Option<String>,
    bulb: BulbState,
    queue: VecDeque<(String, String)>,
    gets_waited: u32,
    next_id: u32,
}

impl Default for FakeBulb {
    fn default() -> Self {
        Self::new()
    }
}

impl FakeBulb {
    /// A white bulb with an empty queue that applies a change on the 2nd poll after it.
    pub fn new() -> Self {
        Self {
            requests: Vec::new(),
            apply_after_gets: 2,
            stuck: false,
            intruder: None,
            unreachable: None,
            bulb: BulbState {
                shard: 0,
                colour: "white".into(),
                hex: "#ffffff".into(),
                hue: 0,
                sat: 0,
                bri: 254,
                on: true,
                request_id: None,
                applied_at_ms: None,
                applied_by: None,
                queue_length: 0,
                queue_delay_ms: 400,
            },
            queue: VecDeque::new(),
            gets_waited: 0,
            next_id: 0,
        }
    }

    /// Applies a queued change on the `n`th `GET` after it (0: at the first one).
    #[must_use]
    pub fn applying_after(mut self, gets: u32) -> Self {
        self.apply_after_gets = gets;
        self
    }

    /// Accepts changes and never applies them.
    #[must_use]
    pub fn stuck(mut self) -> Self {
        self.stuck = true;
        self
    }

    /// Another attendee sets `colour` right after each of our changes is applied.
    #[must_use]
    pub fn with_intruder(mut self, colour: &str) -> Self {
        self.intruder = Some(colour.to_string());
        self
    }

    /// Every request fails with this transport error.
    #[must_use]
    pub fn unreachable(mut self, message: &str) -> Self {
        self.unreachable = Some(message.to_string());
        self
    }

    /// The bulb as it is now.
    pub fn state(&self) -> &BulbState {
        &self.bulb
    }

    fn put_bulb(&mut self, req: &HttpRequest) -> HttpResponse {
        if req.header("content-type") != Some("application/json") {
            return error(415, ErrorCode::UnsupportedMediaType, "send JSON");
        }
        let set = match serde_json::from_str::<SetBulb>(req.body.as_deref().unwrap_or("")) {
            Ok(set) => set,
            Err(e) => return error(400, ErrorCode::InvalidJson, &e.to_string()),
        };
        let Some(colour) = set.colour.filter(|c| hex_of(c).is_some()) else {
            return error(
                400,
                ErrorCode::InvalidInput,
                "colour must be a named colour or #rrggbb",
            );
        };
        self.next_id += 1;
        let id = format!("req-{}", self.next_id);
        self.queue.push_back((id.clone(), colour));
        let accepted = SetBulbAccepted {
            request_id: id,
            queue_length: u32::try_from(self.queue.len()).unwrap_or(u32::MAX),
            shard: 0,
        };
        HttpResponse::json(202, &json!(accepted))
    }

    fn get_bulb(&mut self) -> HttpResponse {
        if !self.stuck && !self.queue.is_empty() {
            if self.gets_waited >= self.apply_after_gets {
                self.gets_waited = 0;
                if let Some((id, colour)) = self.queue.pop_front() {
                    self.apply(&id, &colour, "you");
                    if let Some(other) = self.intruder.clone() {
                        self.next_id += 1;
                        let other_id = format!("req-{}", self.next_id);
                        self.apply(&other_id, &other, "someone else");
                    }
                }
            } else {
                self.gets_waited += 1;
            }
        }
        self.bulb.queue_length = u32::try_from(self.queue.len()).unwrap_or(u32::MAX);
        HttpResponse::json(200, &json!(self.bulb))
    }

    fn apply(&mut self, id: &str, colour: &str, by: &str) {
        self.bulb.colour = colour.to_string();
        self.bulb.hex = hex_of(colour).unwrap_or_default();
        self.bulb.request_id = Some(id.to_string());
        self.bulb.applied_at_ms = Some(1_700_000_000_000);
        self.bulb.applied_by = Some(Attendee {
            id: by.replace(' ', "-"),
            name: by.to_string(),
        });
    }
}

impl Transport for FakeBulb {
    fn send(&mut self, req: HttpRequest) -> Result<HttpResponse, TransportError> {
        self.requests.push(req.clone());
        if let Some(message) = &self.unreachable {
            return Err(TransportError::new(message.clone()));
        }
        let path = req
            .path
            .split_once('?')
            .map_or(req.path.as_str(), |(p, _)| p);
        Ok(match (req.method, path) {
            (HttpMethod::Put, "/api/bulb") => self.put_bulb(&req),
            (HttpMethod::Get, "/api/bulb") => self.get_bulb(),
            (HttpMethod::Put | HttpMethod::Post, "/echo") => {
                let body = req.body.as_deref().map(|b| {
                    serde_json::from_str::<Value>(b).unwrap_or_else(|_| Value::String(b.into()))
                });
                HttpResponse::json(
                    200,
                    &json!({
                        "method": req.method.as_str(),
                        "body": body,
                        "content_type": req.header("content-type"),
                        "traceparent": req.header("traceparent"),
                    }),
                )
            }
            (HttpMethod::Get, "/text") => HttpResponse {
                status: 200,
                headers: vec![
                    ("Content-Type".into(), "text/plain".into()),
                    ("X-Thing".into(), "a".into()),
                    ("x-thing".into(), "b".into()),
                ],
                body: "hello, bulb".into(),
            },
            (HttpMethod::Get, path) if path.starts_with("/status/") => {
                let status = path["/status/".len()..].parse().unwrap_or(500);
                error(status, ErrorCode::Internal, "as you asked")
            }
            _ => error(404, ErrorCode::NotFound, "nothing here"),
        })
    }
}

fn hex_of(colour: &str) -> Option<String> {
    if let Some((_, hex)) = NAMED_COLOURS.iter().find(|(name, _)| *name == colour) {
        return Some((*hex).to_string());
    }
    let digits = colour.strip_prefix('#')?;
    (digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| colour.to_ascii_lowercase())
}

fn error(status: u16, code: ErrorCode, message: &str) -> HttpResponse {
    HttpResponse::json(status, &json!(ApiError::new(code, message)))
}
