//! The catalogue of instrumentation points: for each, where it is in the code (file,
//! line), the lines that record it (the teaching comment and the `if points.on(…)`
//! block, exactly as in the source), and the attributes it adds.
//!
//! A snippet must be the source's lines verbatim (less their common indentation):
//! the line is found by searching the file, and a test checks every snippet against
//! the file on disk. Edit the code and the snippet together.

use std::sync::OnceLock;

/// Every instrumentation point; the order is the catalogue's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PointId {
    /// `bulb.enqueue.attendee`
    EnqueueAttendee,
    /// `bulb.enqueue.colour`
    EnqueueColour,
    /// `bulb.enqueue.request_id`
    EnqueueRequestId,
    /// `bulb.enqueue.queue_length`
    EnqueueQueueLength,
    /// `bulb.apply.request`
    ApplyRequest,
    /// `bulb.apply.delay`
    ApplyDelay,
    /// `bulb.apply.previous`
    ApplyPrevious,
    /// `bulb.apply.outcome`
    ApplyOutcome,
}

impl PointId {
    /// How many points there are.
    pub const COUNT: usize = 8;

    /// Every point, in catalogue order.
    pub const ALL: [PointId; Self::COUNT] = [
        PointId::EnqueueAttendee,
        PointId::EnqueueColour,
        PointId::EnqueueRequestId,
        PointId::EnqueueQueueLength,
        PointId::ApplyRequest,
        PointId::ApplyDelay,
        PointId::ApplyPrevious,
        PointId::ApplyOutcome,
    ];

    /// Its catalogue entry.
    pub fn def(self) -> &'static PointDef {
        &CATALOGUE[self as usize]
    }

    /// Its id on the wire, e.g. `bulb.enqueue.queue_length`.
    pub fn key(self) -> &'static str {
        self.def().key
    }

    /// The point whose id is `key`.
    pub fn find(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|id| id.key() == key)
    }
}

/// One instrumentation point.
#[derive(Debug)]
pub struct PointDef {
    /// Which point.
    pub id: PointId,
    /// Its id on the wire.
    pub key: &'static str,
    /// Short title for people.
    pub title: &'static str,
    /// The span(s) it adds attributes to.
    pub span: &'static str,
    /// Source file, relative to the repository root.
    pub file: &'static str,
    /// The attributes it adds.
    pub attributes: &'static [&'static str],
    /// The source lines that record it, less their common indentation.
    pub snippet: &'static str,
}

/// The catalogue, in [`PointId`] order.
pub static CATALOGUE: [PointDef; PointId::COUNT] = [
    PointDef {
        id: PointId::EnqueueAttendee,
        key: "bulb.enqueue.attendee",
        title: "Who asked",
        span: "bulb.enqueue",
        file: "server/src/bulb.rs",
        attributes: &["attendee", "attendee_id"],
        snippet: r#"// Instrumentation point `bulb.enqueue.attendee`: who asked. Every question
// ("is it only some people's checks that fail?") can now be grouped by
// person. The name is for people; the id stays apart when two share a name.
if points.on(PointId::EnqueueAttendee) {
    span.record("attendee", attendee.name.as_str());
    span.record("attendee_id", attendee.id.as_str());
}"#,
    },
    PointDef {
        id: PointId::EnqueueColour,
        key: "bulb.enqueue.colour",
        title: "Which colour was asked for",
        span: "bulb.enqueue",
        file: "server/src/bulb.rs",
        attributes: &["colour", "hue"],
        snippet: r#"// Instrumentation point `bulb.enqueue.colour`: the colour asked for, as its
// label and as the hue the bulb will get. Failures that hit only some colours
// (a flaky save, a colour the bulb cannot show) stand out when grouped by it.
if points.on(PointId::EnqueueColour) {
    span.record("colour", colour.label.as_str());
    span.record("hue", i64::from(colour.hsb.hue));
}"#,
    },
    PointDef {
        id: PointId::EnqueueRequestId,
        key: "bulb.enqueue.request_id",
        title: "Request id and shard",
        span: "bulb.enqueue",
        file: "server/src/bulb.rs",
        attributes: &["request_id", "shard"],
        snippet: r#"// Instrumentation point `bulb.enqueue.request_id`: the id the 202 answers
// with, which a check then waits to see on the bulb, and the shard whose
// queue takes the change (always 0 until the room is sharded). With it, one
// check's request can be followed to the moment its change was applied.
if points.on(PointId::EnqueueRequestId) {
    span.record("request_id", request_id.as_str());
    span.record("shard", i64::from(SHARD));
}"#,
    },
    PointDef {
        id: PointId::EnqueueQueueLength,
        key: "bulb.enqueue.queue_length",
        title: "Queue length at enqueue",
        span: "bulb.enqueue",
        file: "server/src/bulb.rs",
        attributes: &["queue_length"],
        snippet: r#"// Instrumentation point `bulb.enqueue.queue_length`: how many changes wait,
// this one included. Each waits the queue delay before it is applied, so a
// change at the back of a long queue shows after length × delay — longer
// than a check polls, although its PUT answered 202 at once.
if points.on(PointId::EnqueueQueueLength) {
    span.record("queue_length", i64::from(before + 1));
}"#,
    },
    PointDef {
        id: PointId::ApplyRequest,
        key: "bulb.apply.request",
        title: "Which change is applied, and whose",
        span: "bulb.apply",
        file: "server/src/bulb/queue.rs",
        attributes: &[
            "request_id",
            "attendee",
            "attendee_id",
            "colour",
            "hue",
            "shard",
        ],
        snippet: r#"// Instrumentation point `bulb.apply.request`: which change this is and whose —
// the same attributes as on the enqueue span, because a wide event answers
// questions on its own: "which colours fail to apply?" needs no join.
if points.on(PointId::ApplyRequest) {
    span.record("request_id", change.request_id.as_str());
    span.record("attendee", change.attendee.name.as_str());
    span.record("attendee_id", change.attendee.id.as_str());
    span.record("colour", change.colour.label.as_str());
    span.record("hue", i64::from(change.colour.hsb.hue));
    span.record("shard", i64::from(SHARD));
}"#,
    },
    PointDef {
        id: PointId::ApplyDelay,
        key: "bulb.apply.delay",
        title: "How long the change waited",
        span: "bulb.apply",
        file: "server/src/bulb/queue.rs",
        attributes: &["queue_delay_ms", "queue_length", "delay_ms"],
        snippet: r#"// Instrumentation point `bulb.apply.delay`: the queue delay this change waited,
// the queue length it joined, and the whole time from the request to the bulb
// showing it. `delay_ms` is what the attendee's check feels; when it grows with
// `queue_length` while `queue_delay_ms` stays put, the queue is backing up.
if points.on(PointId::ApplyDelay) {
    span.record("queue_delay_ms", i64::from(delay));
    span.record("queue_length", change.queue_length.map(i64::from));
    span.record("delay_ms", finished_at_ms - change.requested_at_ms);
}"#,
    },
    PointDef {
        id: PointId::ApplyPrevious,
        key: "bulb.apply.previous",
        title: "What the bulb showed before, and whose it was",
        span: "bulb.apply",
        file: "server/src/bulb/queue.rs",
        attributes: &["previous_colour", "previous_writer"],
        snippet: r#"// Instrumentation point `bulb.apply.previous`: the colour this change replaces
// and who had set it. When a check reads back a colour it never asked for, this
// shows whose change landed in between.
if points.on(PointId::ApplyPrevious)
    && let Some(previous) = &previous
{
    span.record("previous_colour", previous.colour.label.as_str());
    span.record("previous_writer", previous.attendee.name.as_str());
}"#,
    },
    PointDef {
        id: PointId::ApplyOutcome,
        key: "bulb.apply.outcome",
        title: "Whether the bulb took the colour",
        span: "bulb.apply, bulb.driver",
        file: "server/src/bulb/queue.rs",
        attributes: &["save_ms", "succeeded", "error", "driver"],
        snippet: r#"// Instrumentation point `bulb.apply.outcome`: how long the driver took, and
// whether the bulb took the colour. The PUT answered 202 long ago, so a failed
// save never reaches the status codes an error tracker watches: only this shows
// it, on the apply span and on the driver call's span.
if points.on(PointId::ApplyOutcome) {
    let error = saved.as_ref().err().map(ToString::to_string);
    span.record("save_ms", save_ms);
    span.record("succeeded", saved.is_ok());
    span.record("error", error.as_deref());
    driver_span.record("driver", inner.driver.name());
    driver_span.record("error", error.as_deref());
}"#,
    },
];

/// The files points live in, compiled in, so a point's line is always the line of
/// the running build.
const SOURCES: [(&str, &str); 2] = [
    ("server/src/bulb.rs", include_str!("../bulb.rs")),
    ("server/src/bulb/queue.rs", include_str!("../bulb/queue.rs")),
];

impl PointDef {
    /// 1-based line of the snippet's first line in [`PointDef::file`] (0 if it is not
    /// there, which the tests rule out).
    pub fn line(&self) -> u32 {
        static LINES: OnceLock<[u32; PointId::COUNT]> = OnceLock::new();
        LINES.get_or_init(|| {
            CATALOGUE.each_ref().map(|def| {
                SOURCES
                    .iter()
                    .find(|(file, _)| *file == def.file)
                    .and_then(|(_, source)| snippet_line(source, def.snippet))
                    .unwrap_or(0)
            })
        })[self.id as usize]
    }
}

/// The 1-based line where `snippet` starts in `source`: the first run of lines that
/// are the snippet's lines with one common indentation added (blank lines match
/// blank lines).
pub fn snippet_line(source: &str, snippet: &str) -> Option<u32> {
    let lines: Vec<&str> = source.lines().collect();
    let want: Vec<&str> = snippet.lines().collect();
    let first = *want.first()?;
    (0..lines.len().saturating_sub(want.len() - 1)).find_map(|start| {
        let indent = lines[start].strip_suffix(first)?;
        if !indent.chars().all(char::is_whitespace) {
            return None;
        }
        let all = want.iter().zip(&lines[start..]).all(|(w, l)| {
            if w.is_empty() {
                l.trim().is_empty()
            } else {
                l.strip_prefix(indent) == Some(*w)
            }
        });
        all.then_some(start as u32 + 1)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_are_found_with_their_indentation() {
        let source = "fn f() {\n    if x {\n        y();\n    }\n}\n";
        assert_eq!(snippet_line(source, "if x {\n    y();\n}"), Some(2));
        assert_eq!(snippet_line(source, "if x {\n y();\n}"), None);
        assert_eq!(snippet_line(source, "y();\n}"), None);
    }

    #[test]
    fn the_catalogue_is_in_enum_order_with_unique_ids() {
        for (i, def) in CATALOGUE.iter().enumerate() {
            assert_eq!(def.id as usize, i, "{}", def.key);
            assert_eq!(PointId::find(def.key), Some(def.id));
        }
    }
}
