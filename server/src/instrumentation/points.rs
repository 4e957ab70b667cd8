//! The catalogue of instrumentation points: for each, where it is in the code (file,
//! line), the lines that record it (the teaching comment and the `if points.on(…)`
//! block), and the attributes it adds.
//!
//! The snippet is read from the source compiled in: the comment that starts
//! ``// Instrumentation point `KEY`:`` and the `if points.on(…) { … }` after it, less
//! their indentation. Edit the code and the catalogue follows.

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
    /// `bulb.apply.shown`
    ApplyShown,
}

impl PointId {
    /// How many points there are.
    pub const COUNT: usize = 9;

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
        PointId::ApplyShown,
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
    },
    PointDef {
        id: PointId::EnqueueColour,
        key: "bulb.enqueue.colour",
        title: "Which colour was asked for",
        span: "bulb.enqueue",
        file: "server/src/bulb.rs",
        attributes: &["colour", "hue", "input_form"],
    },
    PointDef {
        id: PointId::EnqueueRequestId,
        key: "bulb.enqueue.request_id",
        title: "Request id and shard",
        span: "bulb.enqueue",
        file: "server/src/bulb.rs",
        attributes: &["request_id", "shard"],
    },
    PointDef {
        id: PointId::EnqueueQueueLength,
        key: "bulb.enqueue.queue_length",
        title: "Queue length at enqueue",
        span: "bulb.enqueue",
        file: "server/src/bulb.rs",
        attributes: &["queue_length"],
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
    },
    PointDef {
        id: PointId::ApplyDelay,
        key: "bulb.apply.delay",
        title: "How long the change waited",
        span: "bulb.apply",
        file: "server/src/bulb/queue.rs",
        attributes: &["queue_delay_ms", "queue_length", "delay_ms"],
    },
    PointDef {
        id: PointId::ApplyPrevious,
        key: "bulb.apply.previous",
        title: "What the bulb showed before, and whose it was",
        span: "bulb.apply",
        file: "server/src/bulb/queue.rs",
        attributes: &["previous_colour", "previous_writer"],
    },
    PointDef {
        id: PointId::ApplyOutcome,
        key: "bulb.apply.outcome",
        title: "Whether the bulb took the colour",
        span: "bulb.apply, bulb.driver",
        file: "server/src/bulb/queue.rs",
        attributes: &[
            "save_ms",
            "succeeded",
            "error",
            "driver",
            "error_type",
            "error_description",
        ],
    },
    PointDef {
        id: PointId::ApplyShown,
        key: "bulb.apply.shown",
        title: "What the bulb shows",
        span: "bulb.apply",
        file: "server/src/bulb/queue.rs",
        attributes: &["applied_colour", "clamped"],
    },
];

/// The files points live in, compiled in, so a point's line is always the line of
/// the running build.
const SOURCES: [(&str, &str); 2] = [
    ("server/src/bulb.rs", include_str!("../bulb.rs")),
    ("server/src/bulb/queue.rs", include_str!("../bulb/queue.rs")),
];

impl PointDef {
    /// 1-based line of the snippet's first line in [`PointDef::file`] (0 if the point
    /// is not there, which the tests rule out).
    pub fn line(&self) -> u32 {
        found()[self.id as usize].0
    }

    /// The lines that record it, as in the source less their indentation.
    pub fn snippet(&self) -> &'static str {
        &found()[self.id as usize].1
    }
}

/// Each point's line and snippet, read from the sources once.
fn found() -> &'static [(u32, String); PointId::COUNT] {
    static FOUND: OnceLock<[(u32, String); PointId::COUNT]> = OnceLock::new();
    FOUND.get_or_init(|| {
        CATALOGUE.each_ref().map(|def| {
            SOURCES
                .iter()
                .find(|(file, _)| *file == def.file)
                .and_then(|(_, source)| read_snippet(source, def.key))
                .unwrap_or_default()
        })
    })
}

/// The point `key` in `source`: the 1-based line of its comment, and the comment with
/// the `if points.on(…)` block after it (to the `}` at the `if`'s indentation), less
/// that indentation.
pub fn read_snippet(source: &str, key: &str) -> Option<(u32, String)> {
    let lines: Vec<&str> = source.lines().collect();
    let opening = format!("// Instrumentation point `{key}`:");
    let start = lines
        .iter()
        .position(|l| l.trim_start().starts_with(&opening))?;
    let indent = &lines[start][..lines[start].len() - lines[start].trim_start().len()];
    let mut end = start;
    while lines.get(end)?.trim_start().starts_with("//") {
        end += 1;
    }
    if !lines[end].trim_start().starts_with("if points.on(") {
        return None;
    }
    let closing = format!("{indent}}}");
    while lines.get(end)? != &closing {
        end += 1;
    }
    let snippet = lines[start..=end]
        .iter()
        .map(|l| l.strip_prefix(indent).unwrap_or(l.trim_start()))
        .collect::<Vec<_>>()
        .join("\n");
    Some((start as u32 + 1, snippet))
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
    fn snippets_are_read_to_the_end_of_their_block() {
        let source = "fn f() {\n    // Instrumentation point `a.b`: why.\n    // More.\n    if points.on(PointId::A) {\n        if x {\n        }\n    }\n    later();\n}\n";
        let (line, snippet) = read_snippet(source, "a.b").unwrap();
        assert_eq!(line, 2);
        assert_eq!(
            snippet,
            "// Instrumentation point `a.b`: why.\n// More.\nif points.on(PointId::A) {\n    if x {\n    }\n}"
        );
        assert_eq!(read_snippet(source, "a.c"), None);
    }

    #[test]
    fn the_catalogue_is_in_enum_order_with_unique_ids() {
        for (i, def) in CATALOGUE.iter().enumerate() {
            assert_eq!(def.id as usize, i, "{}", def.key);
            assert_eq!(PointId::find(def.key), Some(def.id));
        }
    }
}
