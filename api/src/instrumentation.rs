//! Instrumentation: the points attendees switch on, the event store's counters, the
//! markers drawn on charts, and traces.
//!
//! `GET /api/instrumentation/points` answers `Vec<InstrumentationPoint>`;
//! `PUT /api/instrumentation/points/{id}` takes a [`SetPoint`]. `GET /api/events/stats`
//! answers [`EventStats`], `GET /api/markers` `Vec<Marker>`, `GET /api/traces/{trace_id}`
//! `Vec<TraceSpan>`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{Attendee, Scalar};

/// A dataset of wide events.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dataset {
    /// The server's spans, one event per span.
    Bulb,
    /// Recorded check runs, one event per run.
    E2e,
}

impl Dataset {
    /// Every dataset.
    pub const ALL: [Dataset; 2] = [Dataset::Bulb, Dataset::E2e];

    /// The name on the wire: `"bulb"`, `"e2e"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Bulb => "bulb",
            Self::E2e => "e2e",
        }
    }

    /// The dataset named `name`, if there is one.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.as_str() == name)
    }
}

impl std::fmt::Display for Dataset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A named spot in the server's code that adds business attributes to a span when it
/// is on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstrumentationPoint {
    /// Stable id, e.g. `bulb.enqueue.queue_length`.
    pub id: String,
    /// Short title for people.
    pub title: String,
    /// The span it adds to, e.g. `bulb.enqueue`.
    pub span: String,
    /// Source file, relative to the repository root, e.g. `server/src/bulb.rs`.
    pub file: String,
    /// 1-based line of the snippet's first line in `file`.
    pub line: u32,
    /// The source lines at that spot (the teaching comment and the code that records),
    /// with their common indentation removed.
    pub snippet: String,
    /// The attributes it adds, e.g. `["queue_length"]`.
    pub attributes: Vec<String>,
    /// Whether it is on in this room.
    pub on: bool,
}

/// `PUT /api/instrumentation/points/{id}`: switch a point on or off.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetPoint {
    /// `true` to switch it on.
    pub on: bool,
}

/// `GET /api/events/stats`: how many events each dataset holds and lost.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventStats {
    /// Per dataset.
    pub datasets: BTreeMap<Dataset, DatasetStats>,
}

/// Counters of one dataset.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatasetStats {
    /// Events stored now.
    pub events: u64,
    /// Events lost because the writer fell behind (its queue was full) or the
    /// database refused them; saved, so it counts across restarts.
    pub dropped: u64,
    /// Oldest events deleted to stay within the retention caps; saved, so it counts
    /// across restarts.
    pub retention_dropped: u64,
}

/// What a marker records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MarkerKind {
    /// The queue delay was changed.
    QueueDelay,
    /// An instrumentation point was switched on or off.
    InstrumentationPoint,
    /// The facilitator moved the room to another phase.
    Phase,
    /// The facilitator switched a room switch.
    RoomSwitch,
    /// The facilitator revealed the answer.
    Reveal,
    /// The facilitator switched a failure scenario on or off (or "deployed").
    Scenario,
    /// The facilitator changed how many shards the bulb service has.
    Shards,
}

/// An action drawn on charts at the moment it happened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Marker {
    /// When, ms since the Unix epoch (server clock).
    pub at_ms: i64,
    /// What kind of action.
    pub kind: MarkerKind,
    /// What happened, for people: "queue delay set to 1500 ms".
    pub text: String,
    /// Who did it, when someone did.
    pub attendee: Option<Attendee>,
}

/// Which side of a call a span is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpanKind {
    /// The caller's side: a check run and the requests it sent.
    Client,
    /// The server's side of a request.
    Server,
    /// Work inside the server: enqueue, apply, the driver call.
    Internal,
}

/// One span of a trace, as `GET /api/traces/{trace_id}` answers it: a flat list whose
/// `parent_id`s make the tree.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TraceSpan {
    /// Span id: 16 lowercase hex for spans, the run id for a check run.
    pub span_id: String,
    /// The parent's span id; `None` for a root.
    pub parent_id: Option<String>,
    /// E.g. `PUT /api/bulb`, `bulb.apply`, `check run classic`.
    pub name: String,
    /// Client, server or internal.
    pub kind: SpanKind,
    /// Start, ms since the Unix epoch.
    pub start_ms: f64,
    /// Duration, ms.
    pub duration_ms: f64,
    /// Every other attribute of the span (or the run's event).
    pub attributes: BTreeMap<String, Scalar>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stats_are_keyed_by_dataset_name() {
        let stats = EventStats {
            datasets: Dataset::ALL
                .into_iter()
                .map(|d| (d, DatasetStats::default()))
                .collect(),
        };
        let json = serde_json::to_value(&stats).unwrap();
        assert_eq!(json["datasets"]["bulb"]["retention_dropped"], 0);
        assert_eq!(json["datasets"]["e2e"]["events"], 0);
        assert_eq!(Dataset::from_name("e2e"), Some(Dataset::E2e));
        assert_eq!(Dataset::from_name("nope"), None);
    }

    #[test]
    fn set_point_rejects_unknown_fields() {
        assert!(
            serde_json::from_str::<SetPoint>(r#"{"on": true}"#)
                .unwrap()
                .on
        );
        assert!(serde_json::from_str::<SetPoint>(r#"{"on": true, "x": 1}"#).is_err());
        assert!(serde_json::from_str::<SetPoint>(r#"{}"#).is_err());
    }
}
