//! What a Hue app changes: a light's state (queued like an attendee's change, under
//! the same rate limit), group 0's action (every light), a light's name.
//!
//! A change that cannot be queued is answered with one error item of type 901, its
//! description saying why: `Internal error, 429 (…)` past the app's rate limit (the
//! attendees' limit on bulb changes, counted per light changed), `Internal error, 503
//! (…)` when the bulb's queue is full, `Internal error, 500 (…)` otherwise. The
//! parameters that would have changed the bulb then get no success item.

use serde_json::{Map, Value};

use super::errors::{HueError, success};
use super::lights::light_id;
use super::state_body::{Current, Item, Plan, plan};
use super::{HueBridge, writer};
use crate::AppState;
use crate::colour::Hsb;
use crate::error::AppError;
use crate::limits::Write;
use crate::store::PairedApp;

/// Longest light name Hue takes.
pub const MAX_NAME_CHARS: usize = 32;

/// Light attributes a PUT to the light may not change.
const READ_ONLY_ATTRIBUTES: [&str; 11] = [
    "state",
    "swupdate",
    "type",
    "modelid",
    "manufacturername",
    "productname",
    "capabilities",
    "config",
    "uniqueid",
    "swversion",
    "productid",
];

impl HueBridge {
    /// Light `shard` as a body is read against: as it will be once the change a Hue
    /// app queued last is applied (a real bridge changes the light at once, so an app
    /// that switches a light on and then sets its colour expects it on), else as the
    /// bulb shows it.
    fn current(&self, state: &AppState, shard: u32) -> Current {
        let bulb = state.bulb.state(shard);
        if let Some(target) = self.pending(shard, bulb.request_id.as_deref(), bulb.queue_length) {
            return target;
        }
        Current {
            on: bulb.on,
            hsb: Hsb {
                hue: bulb.hue,
                sat: bulb.sat,
                bri: bulb.bri,
            },
            shade: self.shade(&bulb),
        }
    }

    /// Queues `plan`'s change for light `shard` as `app`; remembers its shade.
    async fn queue(
        &self,
        state: &AppState,
        app: &PairedApp,
        shard: u32,
        plan: &Plan,
        address: &str,
        current: &Current,
    ) -> Result<bool, HueError> {
        let Some(change) = plan.change.clone() else {
            return Ok(false);
        };
        let target = Current {
            on: change.lit(),
            hsb: change.colour.as_ref().map_or(current.hsb, |c| c.hsb),
            shade: plan.shade.unwrap_or(current.shade),
        };
        state
            .limits
            .check_write(Write::BulbChange, &app.attendee_id)
            .map_err(|e| refusal(address, &e))?;
        let accepted = state
            .bulb
            .enqueue(&writer(app), change, plan.form, shard)
            .await
            .map_err(|e| refusal(address, &e))?;
        if let Some(shade) = plan.shade {
            self.remember_shade(shard, accepted.request_id.clone(), shade);
        }
        self.remember_pending(shard, accepted.request_id, target);
        Ok(true)
    }

    /// `PUT /api/<username>/lights/<id>/state`.
    pub async fn set_light_state(
        &self,
        state: &AppState,
        app: &PairedApp,
        shard: u32,
        body: &Map<String, Value>,
    ) -> Vec<Value> {
        let prefix = format!("/lights/{}/state", light_id(shard));
        let current = self.current(state, shard);
        let plan = plan(body, &current, &prefix, false);
        self.set_effect_and_alert(shard, plan.effect, plan.alert);
        let queued = self
            .queue(state, app, shard, &plan, &prefix, &current)
            .await;
        answer(&plan, &[queued])
    }

    /// `PUT /api/<username>/groups/0/action`: the body applies to every light. Its
    /// items are answered once, under `/groups/0/action`; a light that is off keeps
    /// its colour unless the body switches it on (a group answers no 201).
    pub async fn set_group_action(
        &self,
        state: &AppState,
        app: &PairedApp,
        body: &Map<String, Value>,
    ) -> Vec<Value> {
        let prefix = "/groups/0/action";
        let first = self.current(state, 0);
        let answered = plan(body, &Current { on: true, ..first }, prefix, true);
        let mut outcomes = Vec::new();
        for shard in 0..state.bulb.shards() {
            let current = self.current(state, shard);
            let light = plan(body, &current, prefix, true);
            self.set_effect_and_alert(shard, light.effect, light.alert);
            outcomes.push(
                self.queue(state, app, shard, &light, prefix, &current)
                    .await,
            );
        }
        answer(&answered, &outcomes)
    }

    /// `PUT /api/<username>/lights/<id>`: renaming (`{"name": "…"}`, 1–32
    /// characters, kept across restarts).
    pub async fn rename(
        &self,
        shard: u32,
        body: &Map<String, Value>,
    ) -> Result<Vec<Value>, AppError> {
        let resource = format!("/lights/{}", light_id(shard));
        let mut items = Vec::new();
        if body.is_empty() {
            items.push(HueError::missing_parameters(&resource).item());
        }
        for (param, value) in body {
            let address = format!("{resource}/{param}");
            if param == "name" {
                match value.as_str().map(str::trim) {
                    Some(name) if !name.is_empty() && name.chars().count() <= MAX_NAME_CHARS => {
                        self.rename_light(shard, name.to_string()).await?;
                        items.push(success(address, Value::String(name.to_string())));
                    }
                    _ => items.push(HueError::invalid_value(&address, param, value).item()),
                }
            } else if READ_ONLY_ATTRIBUTES.contains(&param.as_str()) {
                items.push(HueError::not_modifiable(&address, param).item());
            } else {
                items.push(HueError::parameter_not_available(&address, param).item());
            }
        }
        Ok(items)
    }
}

/// The items of `plan`, given how queueing went on each light: the queued successes
/// when at least one light took the change, and each distinct refusal.
fn answer(plan: &Plan, outcomes: &[Result<bool, HueError>]) -> Vec<Value> {
    let queued = outcomes.iter().any(|o| matches!(o, Ok(true)));
    let mut items: Vec<Value> = plan
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Done(v) => Some(v.clone()),
            Item::Queued(v) => queued.then(|| v.clone()),
        })
        .collect();
    let mut refusals: Vec<&HueError> = Vec::new();
    for outcome in outcomes {
        if let Err(e) = outcome
            && !refusals.contains(&e)
        {
            refusals.push(e);
        }
    }
    items.extend(refusals.into_iter().map(HueError::item));
    items
}

/// A change the bulb service refused, as Hue's 901.
fn refusal(address: &str, e: &AppError) -> HueError {
    let code = match e {
        AppError::RateLimited { .. } => 429,
        AppError::QueueFull(_) => 503,
        _ => 500,
    };
    HueError::internal(address, code, &e.to_string())
}
