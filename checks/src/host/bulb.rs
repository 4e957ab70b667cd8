//! `bulb.set(colour)` and `bulb.get()`: the bulb service (`PUT`/`GET /api/bulb`) with
//! the answers unpacked for the check.

use bulbwatch_api::HttpMethod;
use rhai::{Dynamic, Engine, EvalAltResult, Map, NativeCallContext, Position};
use serde_json::{Value, json};

use super::http::{Answer, duration, send};
use crate::json;
use crate::state::Shared;

/// The `bulb` object a check calls methods on.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Bulb;

const PATH: &str = "/api/bulb";

pub(super) fn register(engine: &mut Engine, state: &Shared) {
    engine.register_type_with_name::<Bulb>("Bulb");

    let s = state.clone();
    engine.register_fn(
        "set",
        move |ctx: NativeCallContext, _: &mut Bulb, colour: &str| {
            set(
                &s,
                Some(colour),
                &json!({ "colour": colour }),
                ctx.call_position(),
            )
        },
    );
    // `bulb.set(#{hue: 0, sat: 254, bri: 254})`: any body the service takes.
    let s = state.clone();
    engine.register_fn(
        "set",
        move |ctx: NativeCallContext, _: &mut Bulb, request: Map| {
            let body = json::from_dynamic(&Dynamic::from_map(request))
                .unwrap_or_else(|_| Value::Object(serde_json::Map::new()));
            let colour = body
                .get("colour")
                .and_then(Value::as_str)
                .map(str::to_string);
            set(&s, colour.as_deref(), &body, ctx.call_position())
        },
    );

    let s = state.clone();
    engine.register_fn("get", move |ctx: NativeCallContext, _: &mut Bulb| {
        let answer = send(&s, HttpMethod::Get, PATH, None, ctx.call_position())?;
        let mut map = match &answer.json {
            Some(Value::Object(fields)) => json::object_to_map(fields),
            _ => Map::new(),
        };
        insert_status(&mut map, &answer);
        Ok::<_, Box<EvalAltResult>>(map)
    });
}

/// `PUT /api/bulb`; answers `#{status, request_id, queue_length, json, duration_ms}`.
/// A 4xx is an answer (its `json` has the error), not a failure.
fn set(
    state: &Shared,
    colour: Option<&str>,
    body: &Value,
    pos: Position,
) -> Result<Map, Box<EvalAltResult>> {
    state.borrow_mut().colour = colour.map(str::to_string);
    let answer = send(state, HttpMethod::Put, PATH, Some(body.to_string()), pos)?;
    let field = |name: &str| answer.json.as_ref().and_then(|j| j.get(name)).cloned();
    let request_id = field("request_id").and_then(|v| v.as_str().map(str::to_string));
    state.borrow_mut().request_id.clone_from(&request_id);

    let mut map = Map::new();
    map.insert(
        "request_id".into(),
        request_id.map_or(Dynamic::UNIT, Dynamic::from),
    );
    map.insert(
        "queue_length".into(),
        field("queue_length").map_or(Dynamic::UNIT, |v| json::to_dynamic(&v)),
    );
    map.insert(
        "json".into(),
        answer.json.as_ref().map_or(Dynamic::UNIT, json::to_dynamic),
    );
    insert_status(&mut map, &answer);
    Ok(map)
}

fn insert_status(map: &mut Map, answer: &Answer) {
    map.insert("status".into(), Dynamic::from_int(i64::from(answer.status)));
    map.insert("duration_ms".into(), duration(answer.duration_ms));
}
