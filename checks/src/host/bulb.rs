//! `bulb.set(colour)` and `bulb.get()`: the bulb service (`PUT`/`GET /api/bulb`) with
//! the answers unpacked for the check.

use bulbwatch_api::HttpMethod;
use rhai::{Dynamic, Engine, EvalAltResult, INT, Map, NativeCallContext, Position};
use serde_json::{Value, json};

use super::http::{Answer, duration, send};
use crate::json;
use crate::state::Shared;

/// The `bulb` object a check calls methods on.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Bulb;

const PATH: &str = "/api/bulb";

/// `/api/bulb`, or `/api/bulb?shard=N` for a pinned shard.
fn path(shard: Option<INT>) -> String {
    match shard {
        Some(n) => format!("{PATH}?shard={n}"),
        None => PATH.to_string(),
    }
}

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
                None,
                ctx.call_position(),
            )
        },
    );
    // `bulb.set("green", 2)`: on shard 2, whichever shard is mine.
    let s = state.clone();
    engine.register_fn(
        "set",
        move |ctx: NativeCallContext, _: &mut Bulb, colour: &str, shard: INT| {
            set(
                &s,
                Some(colour),
                &json!({ "colour": colour }),
                Some(shard),
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
            set(&s, colour.as_deref(), &body, None, ctx.call_position())
        },
    );

    let s = state.clone();
    engine.register_fn("get", move |ctx: NativeCallContext, _: &mut Bulb| {
        get(&s, None, ctx.call_position())
    });
    // `bulb.get(2)`: shard 2's bulb.
    let s = state.clone();
    engine.register_fn(
        "get",
        move |ctx: NativeCallContext, _: &mut Bulb, shard: INT| {
            get(&s, Some(shard), ctx.call_position())
        },
    );
}

/// `GET /api/bulb`; answers the bulb's fields plus `status` and `duration_ms`.
fn get(state: &Shared, shard: Option<INT>, pos: Position) -> Result<Map, Box<EvalAltResult>> {
    let answer = send(state, HttpMethod::Get, &path(shard), None, pos)?;
    let mut map = match &answer.json {
        Some(Value::Object(fields)) => json::object_to_map(fields),
        _ => Map::new(),
    };
    insert_status(&mut map, &answer);
    Ok(map)
}

/// `PUT /api/bulb`; answers `#{status, request_id, queue_length, json, duration_ms}`.
/// A 4xx is an answer (its `json` has the error), not a failure.
fn set(
    state: &Shared,
    colour: Option<&str>,
    body: &Value,
    shard: Option<INT>,
    pos: Position,
) -> Result<Map, Box<EvalAltResult>> {
    state.borrow_mut().colour = colour.map(str::to_string);
    let answer = send(
        state,
        HttpMethod::Put,
        &path(shard),
        Some(body.to_string()),
        pos,
    )?;
    let field = |name: &str| answer.json.as_ref().and_then(|j| j.get(name)).cloned();
    let request_id = field("request_id").and_then(|v| v.as_str().map(str::to_string));
    let answered_shard = field("shard")
        .and_then(|v| v.as_u64())
        .and_then(|n| u32::try_from(n).ok());
    {
        let mut state = state.borrow_mut();
        state.request_id.clone_from(&request_id);
        state.shard = answered_shard;
    }

    let mut map = Map::new();
    map.insert(
        "request_id".into(),
        request_id.map_or(Dynamic::UNIT, Dynamic::from),
    );
    map.insert(
        "shard".into(),
        answered_shard.map_or(Dynamic::UNIT, |n| Dynamic::from_int(INT::from(n))),
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
