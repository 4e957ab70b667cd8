//! Groups: only group 0, every light of the room (a real bridge's special group,
//! which `GET …/groups` does not list), and the full state.

use serde_json::{Value, json};

use super::HueBridge;
use super::lights::light_id;
use crate::bulb::Bulb;

impl HueBridge {
    /// `GET /api/<username>/groups/0`.
    pub fn group_zero(&self, bulb: &Bulb) -> Value {
        let states = bulb.states();
        let lights: Vec<String> = states.iter().map(|s| light_id(s.shard)).collect();
        let mut action = states
            .first()
            .map_or_else(|| json!({}), |first| self.light_state(first));
        if let Value::Object(action) = &mut action {
            action.remove("reachable");
            action.remove("mode");
        }
        json!({
            "name": "Group 0",
            "lights": lights,
            "sensors": [],
            "type": "LightGroup",
            "state": {
                "all_on": !states.is_empty() && states.iter().all(|s| s.on),
                "any_on": states.iter().any(|s| s.on),
            },
            "recycle": false,
            "action": action,
        })
    }

    /// `GET /api/<username>/groups`: the groups apps made (none: they cannot make
    /// any here).
    pub fn groups(&self) -> Value {
        json!({})
    }

    /// `GET /api/<username>`: everything the bridge has.
    pub fn full_state(&self, bulb: &Bulb) -> Value {
        json!({
            "lights": self.lights(bulb),
            "groups": self.groups(),
            "config": self.full_config(),
            "schedules": {},
            "scenes": {},
            "rules": {},
            "sensors": {},
            "resourcelinks": {},
        })
    }
}
