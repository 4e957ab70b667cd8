//! The lights: one per shard (ids "1"…"N" for shards 0…N-1), each a complete Hue
//! light object (an "Extended color light" of gamut C) made from what the bulb shows.

use bulbwatch_api::BulbState;
use serde_json::{Value, json};

use super::colour::{CT_MAX, CT_MIN, GAMUT, ct_for_xy, xy_of};
use super::{HueBridge, Shade};
use crate::bulb::Bulb;
use crate::colour::Hsb;

/// The Hue id of shard `shard`'s light.
pub fn light_id(shard: u32) -> String {
    (shard + 1).to_string()
}

/// The shard light `id` is, when the room has it: `"1"` is shard 0.
pub fn shard_of(id: &str, shards: u32) -> Option<u32> {
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) || id.starts_with('0') {
        return None;
    }
    let n: u32 = id.parse().ok()?;
    (1..=shards).contains(&n).then(|| n - 1)
}

impl HueBridge {
    /// What light `state.shard` reports beside its hue/sat/bri: the shade a Hue app
    /// set when the change applied is one of theirs, else the bulb's colour in
    /// hue/sat mode (its xy and nearest colour temperature worked out from it).
    pub fn shade(&self, state: &BulbState) -> Shade {
        if let Some(shade) = state
            .request_id
            .as_deref()
            .and_then(|id| self.shade_of(state.shard, id))
        {
            return shade;
        }
        let xy = xy_of(Hsb {
            hue: state.hue,
            sat: state.sat,
            bri: state.bri,
        });
        Shade {
            colormode: "hs",
            xy,
            ct: ct_for_xy(xy),
        }
    }

    /// The light's `state` object.
    pub fn light_state(&self, state: &BulbState) -> Value {
        let shade = self.shade(state);
        let (effect, alert) = self.effect_and_alert(state.shard);
        json!({
            "on": state.on,
            "bri": state.bri,
            "hue": state.hue,
            "sat": state.sat,
            "effect": effect,
            "xy": shade.xy,
            "ct": shade.ct,
            "alert": alert,
            "colormode": shade.colormode,
            "mode": "homeautomation",
            "reachable": true,
        })
    }

    /// The whole light object of `state.shard`.
    pub fn light(&self, state: &BulbState) -> Value {
        let four = |v: f32| (f64::from(v) * 10_000.0).round() / 10_000.0;
        let corners: Vec<[f64; 2]> = GAMUT
            .corners
            .iter()
            .map(|&(x, y)| [four(x), four(y)])
            .collect();
        json!({
            "state": self.light_state(state),
            "swupdate": {"state": "noupdates", "lastinstall": "2024-01-01T00:00:00"},
            "type": "Extended color light",
            "name": self.light_name(state.shard),
            "modelid": "LCT015",
            "manufacturername": "Signify Netherlands B.V.",
            "productname": "Hue color lamp",
            "capabilities": {
                "certified": true,
                "control": {
                    "mindimlevel": 1000,
                    "maxlumen": 806,
                    "colorgamuttype": GAMUT.name,
                    "colorgamut": corners,
                    "ct": {"min": CT_MIN, "max": CT_MAX},
                },
                "streaming": {"renderer": false, "proxy": false},
            },
            "config": {
                "archetype": "sultanbulb",
                "function": "mixed",
                "direction": "omnidirectional",
                "startup": {"mode": "safety", "configured": true},
            },
            "uniqueid": self.unique_id(state.shard),
            "swversion": "1.104.2",
            "productid": "Philips-LCT015-1-A19ECLv5",
        })
    }

    /// Every light of the room, by id.
    pub fn lights(&self, bulb: &Bulb) -> Value {
        let lights: serde_json::Map<String, Value> = bulb
            .states()
            .iter()
            .map(|state| (light_id(state.shard), self.light(state)))
            .collect();
        Value::Object(lights)
    }

    /// A light's Zigbee-style unique id: the bridge's address bytes and the light's
    /// number, so it stays the same across restarts.
    fn unique_id(&self, shard: u32) -> String {
        let tail: Vec<&str> = self.identity().mac.split(':').skip(3).collect();
        format!("00:17:88:01:{}:{:02x}-0b", tail.join(":"), shard + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_count_from_one_and_only_the_rooms_lights_exist() {
        assert_eq!(light_id(0), "1");
        assert_eq!(shard_of("1", 1), Some(0));
        assert_eq!(shard_of("3", 4), Some(2));
        for bad in ["0", "2", "01", "", "a", "-1", "1.0", "99999999999"] {
            assert_eq!(shard_of(bad, 1), None, "{bad}");
        }
    }
}
