//! The bulb: its state, how to ask for a colour, the queue delay.

use serde::{Deserialize, Serialize};

use crate::Attendee;

/// The workshop's named colours and the sRGB each one stands for. The server turns
/// them into Hue's hue/sat/bri; the app draws swatches from the same table.
pub const NAMED_COLOURS: &[(&str, &str)] = &[
    ("red", "#ff0000"),
    ("orange", "#ff8000"),
    ("yellow", "#ffff00"),
    ("green", "#00ff00"),
    ("cyan", "#00ffff"),
    ("blue", "#0000ff"),
    ("purple", "#8000ff"),
    ("pink", "#ff40a0"),
    ("white", "#ffffff"),
];

/// Upper bound of the queue delay, in milliseconds.
pub const QUEUE_DELAY_MAX_MS: i64 = 2000;

/// `PUT /api/bulb`: either `colour` (a named colour or `#rrggbb`) or all three of
/// `hue` (0–65535), `sat` (0–254) and `bri` (1–254), Hue's own ranges.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetBulb {
    /// A named colour (`"green"`) or `"#rrggbb"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub colour: Option<String>,
    /// Hue, 0–65535 (Hue's wheel: 0 red, 21845 green, 43690 blue).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hue: Option<i64>,
    /// Saturation, 0–254.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sat: Option<i64>,
    /// Brightness, 1–254.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bri: Option<i64>,
    /// Lit (`true`) or dark (`false`). Alone it switches the bulb and keeps its
    /// colour; a colour without it also switches the bulb on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on: Option<bool>,
}

impl SetBulb {
    /// A request for a named colour or `#rrggbb`.
    pub fn colour(colour: impl Into<String>) -> Self {
        Self {
            colour: Some(colour.into()),
            ..Self::default()
        }
    }
}

/// `202 Accepted` answer to `PUT /api/bulb`: the change is queued, not yet applied.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetBulbAccepted {
    /// Id of this change; `GET /api/bulb` shows it once the change is applied.
    pub request_id: String,
    /// Changes waiting in the queue, this one included.
    pub queue_length: u32,
    /// The shard whose queue took it (0 while the room has one bulb).
    #[serde(default)]
    pub shard: u32,
}

/// `GET /api/bulb` and every live update: the bulb as it is now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulbState {
    /// Which shard's bulb this is (0 while the room has one bulb).
    #[serde(default)]
    pub shard: u32,
    /// What was asked for: a named colour, or `#rrggbb` for any other colour.
    pub colour: String,
    /// The colour to draw, `#rrggbb`, derived from hue/sat/bri.
    pub hex: String,
    /// Hue, 0–65535.
    pub hue: u16,
    /// Saturation, 0–254.
    pub sat: u8,
    /// Brightness, 1–254.
    pub bri: u8,
    /// Lit or dark (a dark bulb keeps its colour for when it is switched on).
    #[serde(default = "lit")]
    pub on: bool,
    /// Id of the change last applied; `None` before the first change.
    pub request_id: Option<String>,
    /// When that change was applied, milliseconds since the Unix epoch.
    pub applied_at_ms: Option<i64>,
    /// Who asked for that change.
    pub applied_by: Option<Attendee>,
    /// Changes waiting in the queue.
    pub queue_length: u32,
    /// How long each queued change waits before it is applied.
    pub queue_delay_ms: u32,
}

fn lit() -> bool {
    true
}

/// `PUT /api/bulb/queue-delay` body and answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueueDelay {
    /// Milliseconds, 0–2000.
    pub queue_delay_ms: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_bulb_rejects_unknown_fields() {
        let err = serde_json::from_str::<SetBulb>(r#"{"color":"red"}"#).unwrap_err();
        assert!(err.to_string().contains("unknown field `color`"), "{err}");
    }

    #[test]
    fn named_colours_cover_the_workshop_set() {
        for name in [
            "red", "orange", "yellow", "green", "cyan", "blue", "purple", "pink", "white",
        ] {
            assert!(NAMED_COLOURS.iter().any(|(n, _)| *n == name), "{name}");
        }
        for (_, hex) in NAMED_COLOURS {
            assert_eq!(hex.len(), 7);
            assert!(hex.starts_with('#'));
        }
    }
}
