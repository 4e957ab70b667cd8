//! The bulb driver the server runs: the virtual bulbs, or a Hue bridge's lights, and
//! what it found when it started.

use serde::{Deserialize, Serialize};

/// `GET /api/room/driver` (facilitator): which driver sets the bulbs and, for a Hue
/// bridge, what the server found on it at start.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DriverStatus {
    /// The driver's name: `"virtual"` or `"hue"`.
    pub driver: String,
    /// The bridge's base URL (`http://ADDR`), for a Hue bridge.
    pub bridge: Option<String>,
    /// The lights it drives, one per shard, shard 0 first (none for the virtual bulb).
    pub lights: Vec<DriverLight>,
    /// Why the driver cannot set some or all of the bulbs, in words that say what to
    /// do; `None` when everything answered.
    pub problem: Option<String>,
}

impl DriverStatus {
    /// A driver with nothing to report but its name (the virtual bulb).
    pub fn named(driver: &str) -> Self {
        Self {
            driver: driver.to_string(),
            bridge: None,
            lights: Vec::new(),
            problem: None,
        }
    }
}

/// One light a shard drives.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DriverLight {
    /// The shard whose changes it shows.
    pub shard: u32,
    /// The light's id on the bridge (`--hue-lights`).
    pub id: String,
    /// The light's name on the bridge, when the bridge answered for it.
    pub name: Option<String>,
    /// Whether the bridge could reach the light at start (its `state.reachable`);
    /// false when the light or the bridge did not answer.
    pub reachable: bool,
}
