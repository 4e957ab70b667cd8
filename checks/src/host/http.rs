//! `http.get(path)`, `http.put(path, body)`, `http.post(path, body)`: plain requests to
//! the server under test, and the one place every request goes through (the bulb's
//! methods too): traceparent, timing, recording, transport errors.

use bulbwatch_api::{FailureKind, HttpMethod, RequestReport};
use rhai::{Dynamic, Engine, EvalAltResult, INT, Map, NativeCallContext, Position};
use serde_json::Value;

use crate::failure::CheckFailure;
use crate::json;
use crate::state::Shared;
use crate::traceparent::traceparent;
use crate::transport::HttpRequest;

/// The `http` object a check calls methods on.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Http;

/// An answered request.
pub(crate) struct Answer {
    pub status: u16,
    pub headers: Map,
    pub body: String,
    /// The body parsed as JSON, if it is JSON.
    pub json: Option<Value>,
    pub duration_ms: f64,
}

impl Answer {
    /// `#{status, json, headers, duration_ms, body}`; `json` is `()` when the body is
    /// not JSON.
    pub(crate) fn into_map(self) -> Map {
        let mut map = Map::new();
        map.insert("status".into(), Dynamic::from_int(INT::from(self.status)));
        map.insert(
            "json".into(),
            self.json.as_ref().map_or(Dynamic::UNIT, json::to_dynamic),
        );
        map.insert("headers".into(), Dynamic::from_map(self.headers));
        map.insert("duration_ms".into(), duration(self.duration_ms));
        map.insert("body".into(), Dynamic::from(self.body));
        map
    }
}

/// Milliseconds as the whole number a check compares against.
pub(crate) fn duration(ms: f64) -> Dynamic {
    #[allow(clippy::cast_possible_truncation)]
    Dynamic::from_int(ms.round() as INT)
}

pub(super) fn register(engine: &mut Engine, state: &Shared) {
    engine.register_type_with_name::<Http>("Http");

    let s = state.clone();
    engine.register_fn(
        "get",
        move |ctx: NativeCallContext, _: &mut Http, path: &str| {
            send(&s, HttpMethod::Get, path, None, ctx.call_position()).map(Answer::into_map)
        },
    );
    for (name, method) in [("put", HttpMethod::Put), ("post", HttpMethod::Post)] {
        let s = state.clone();
        engine.register_fn(
            name,
            move |ctx: NativeCallContext, _: &mut Http, path: &str, body: Dynamic| {
                let pos = ctx.call_position();
                let body = body_text(method, path, &body, pos)?;
                send(&s, method, path, body, pos).map(Answer::into_map)
            },
        );
        let s = state.clone();
        engine.register_fn(
            name,
            move |ctx: NativeCallContext, _: &mut Http, path: &str| {
                send(&s, method, path, None, ctx.call_position()).map(Answer::into_map)
            },
        );
    }
}

/// A request body: a string goes as it is (to test what the server does with
/// malformed JSON), `()` means no body, anything else is sent as JSON.
fn body_text(
    method: HttpMethod,
    path: &str,
    body: &Dynamic,
    pos: Position,
) -> Result<Option<String>, Box<EvalAltResult>> {
    if body.is_unit() {
        return Ok(None);
    }
    if body.is_string() {
        return Ok(Some(body.to_string()));
    }
    json::from_dynamic(body)
        .map(|v| Some(v.to_string()))
        .map_err(|typ| {
            CheckFailure::raise(
                FailureKind::Script,
                format!("{method} {path}: a body must be a map, an array or a string, got {typ}"),
                pos,
            )
        })
}

/// Sends one request through the run's transport: adds `traceparent` (the run's trace,
/// a fresh span) and `content-type`, times it, records it, and turns a transport error
/// into a failure at the calling position.
pub(crate) fn send(
    state: &Shared,
    method: HttpMethod,
    path: &str,
    body: Option<String>,
    pos: Position,
) -> Result<Answer, Box<EvalAltResult>> {
    if !path.starts_with('/') {
        return Err(CheckFailure::raise(
            FailureKind::Script,
            format!(
                "{method} {path}: the path must start with / (it is relative to the server, like \"/api/bulb\")"
            ),
            pos,
        ));
    }
    let (transport, clock, trace_id, span_id, step) = {
        let mut s = state.borrow_mut();
        s.check_deadline(pos)?;
        let span_id = s.next_span_id();
        (
            s.transport.clone(),
            s.clock.clone(),
            s.trace_id.clone(),
            span_id,
            s.current_step(),
        )
    };
    let mut headers = vec![("traceparent".to_string(), traceparent(&trace_id, &span_id))];
    if body.is_some() {
        headers.push(("content-type".to_string(), "application/json".to_string()));
    }
    let request = HttpRequest {
        method,
        path: path.to_string(),
        headers,
        body,
    };

    let started = clock.now_ms();
    let result = transport.borrow_mut().send(request);
    let duration_ms = clock.now_ms() - started;

    let mut s = state.borrow_mut();
    s.record_request(RequestReport {
        method,
        path: path.to_string(),
        status: result.as_ref().ok().map(|r| r.status),
        duration_ms,
        trace_id,
        span_id,
        step,
    });
    let response = result.map_err(|err| {
        CheckFailure::raise(
            FailureKind::Transport,
            format!("{method} {path}: {err}"),
            pos,
        )
    })?;
    s.check_deadline(pos)?;

    let mut headers = Map::new();
    for (name, value) in response.headers {
        let name = name.to_ascii_lowercase();
        let value = match headers.remove(name.as_str()) {
            Some(earlier) => format!("{earlier}, {value}"),
            None => value,
        };
        headers.insert(name.into(), Dynamic::from(value));
    }
    let json = serde_json::from_str::<Value>(&response.body).ok();
    Ok(Answer {
        status: response.status,
        headers,
        body: response.body,
        json,
        duration_ms,
    })
}
