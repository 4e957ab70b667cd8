//! A trace's waterfall: its spans as rows in tree order (a parent, then its children by
//! start), each placed in time relative to the trace's start, and which row a pointer
//! is on. Broken trees still draw: a span whose parent is not in the trace is a root,
//! and a cycle or a repeated span id never makes the layout loop.

mod fold;

use std::collections::HashMap;

use bulbwatch_api::{Scalar, SpanKind, TraceSpan};

use crate::plot_rect::PlotRect;
use crate::ticks::{format_tick, format_value, nice_step, nice_ticks};

pub use fold::{FOLD_MIN, Repeat};

/// One span as a row of the waterfall.
#[derive(Clone, Debug, PartialEq)]
pub struct WaterfallRow {
    /// Index of the span in the list the waterfall was made from.
    pub span: usize,
    /// The span's id.
    pub span_id: String,
    /// The span's name.
    pub name: String,
    /// Depth in the tree: 0 for a root.
    pub depth: usize,
    /// Start, ms after the trace's start.
    pub offset_ms: f64,
    /// Duration, ms.
    pub duration_ms: f64,
    /// Client, server or internal (its colour).
    pub kind: SpanKind,
    /// Whether the span failed.
    pub error: bool,
    /// Whether the row stands for repeated siblings (see [`Waterfall::folded`]).
    pub repeat: Repeat,
}

/// The rows of one trace, and its time span.
#[derive(Clone, Debug, PartialEq)]
pub struct Waterfall {
    /// The earliest start, ms since the epoch.
    pub start_ms: f64,
    /// From the earliest start to the latest end, ms.
    pub total_ms: f64,
    /// Rows in tree order.
    pub rows: Vec<WaterfallRow>,
}

impl Waterfall {
    /// The rows of `spans` in tree order: roots by start, each followed by its
    /// children by start (depth first).
    pub fn from_spans(spans: &[TraceSpan]) -> Self {
        let start_ms = spans
            .iter()
            .map(|s| s.start_ms)
            .filter(|v| v.is_finite())
            .fold(f64::INFINITY, f64::min);
        let start_ms = if start_ms.is_finite() { start_ms } else { 0.0 };
        let end_ms = spans
            .iter()
            .map(|s| s.start_ms + s.duration_ms.max(0.0))
            .filter(|v| v.is_finite())
            .fold(start_ms, f64::max);

        // The first span with an id is the one its children hang from.
        let mut by_id: HashMap<&str, usize> = HashMap::new();
        for (i, s) in spans.iter().enumerate() {
            by_id.entry(s.span_id.as_str()).or_insert(i);
        }
        let parent = |i: usize| {
            spans[i]
                .parent_id
                .as_deref()
                .and_then(|p| by_id.get(p).copied())
                .filter(|&p| p != i)
        };
        let mut children: Vec<Vec<usize>> = vec![Vec::new(); spans.len()];
        let mut roots = Vec::new();
        for i in 0..spans.len() {
            match parent(i) {
                Some(p) => children[p].push(i),
                None => roots.push(i),
            }
        }
        let by_start = |a: &usize, b: &usize| {
            spans[*a]
                .start_ms
                .total_cmp(&spans[*b].start_ms)
                .then(a.cmp(b))
        };
        roots.sort_by(by_start);
        for list in &mut children {
            list.sort_by(by_start);
        }

        let mut rows = Vec::with_capacity(spans.len());
        let mut placed = vec![false; spans.len()];
        let visit = |root: usize, rows: &mut Vec<WaterfallRow>, placed: &mut [bool]| {
            let mut stack = vec![(root, 0usize)];
            while let Some((i, depth)) = stack.pop() {
                if std::mem::replace(&mut placed[i], true) {
                    continue;
                }
                let s = &spans[i];
                rows.push(WaterfallRow {
                    span: i,
                    span_id: s.span_id.clone(),
                    name: s.name.clone(),
                    depth,
                    offset_ms: s.start_ms - start_ms,
                    duration_ms: s.duration_ms.max(0.0),
                    kind: s.kind,
                    error: is_error(s),
                    repeat: Repeat::Single,
                });
                stack.extend(children[i].iter().rev().map(|&c| (c, depth + 1)));
            }
        };
        for &root in &roots {
            visit(root, &mut rows, &mut placed);
        }
        // Spans in a cycle have no root: the earliest of each becomes one.
        let mut rest: Vec<usize> = (0..spans.len()).collect();
        rest.sort_by(by_start);
        for i in rest {
            if !placed[i] {
                visit(i, &mut rows, &mut placed);
            }
        }

        Waterfall {
            start_ms,
            total_ms: end_ms - start_ms,
            rows,
        }
    }

    /// The row drawn at device y `y` in `rect` (rows share its height evenly).
    pub fn row_at(&self, rect: &PlotRect, y: f64) -> Option<usize> {
        if self.rows.is_empty() || y < rect.top || y >= rect.bottom {
            return None;
        }
        let height = rect.height() / self.rows.len() as f64;
        let row = ((y - rect.top) / height).floor() as usize;
        (row < self.rows.len()).then_some(row)
    }

    /// The index of the row of span `span_id`.
    pub fn row_of(&self, span_id: &str) -> Option<usize> {
        self.rows.iter().position(|r| r.span_id == span_id)
    }

    /// Time ticks from the trace's start: offsets in ms with labels such as `250 ms`
    /// or `1.5 s`.
    pub fn ticks(&self, max_count: usize) -> Vec<(f64, String)> {
        let total = self.total_ms.max(1.0);
        let step = nice_step(total, max_count);
        nice_ticks(0.0, total, max_count)
            .into_iter()
            .map(|t| (t, duration_label(t, step)))
            .collect()
    }
}

/// A duration for people: `0`, `250 ms`, `1.5 s`.
pub fn duration_label(ms: f64, step: f64) -> String {
    if ms == 0.0 {
        "0".to_owned()
    } else if step >= 1000.0 || ms >= 10_000.0 {
        format!("{} s", format_tick(ms / 1000.0, step / 1000.0))
    } else {
        format!("{} ms", format_tick(ms, step))
    }
}

/// A span's duration for people: `0.42 ms`, `12.3 ms`, `245 ms`, `1.25 s`.
pub fn format_duration(ms: f64) -> String {
    if !ms.is_finite() || ms < 0.0 {
        "–".to_owned()
    } else if ms >= 1000.0 {
        format!("{} s", format_value(ms / 1000.0))
    } else if ms >= 100.0 {
        format!("{ms:.0} ms")
    } else if ms >= 10.0 {
        format!("{} ms", trim(format!("{ms:.1}")))
    } else {
        format!("{} ms", trim(format!("{ms:.2}")))
    }
}

fn trim(s: String) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    }
}

/// Whether a span failed: an `error` or `error.type` attribute, `succeeded` or
/// `success` false, or an HTTP status of 400 or more.
pub fn is_error(span: &TraceSpan) -> bool {
    let a = &span.attributes;
    let error = match a.get("error") {
        Some(Scalar::Bool(b)) => *b,
        Some(Scalar::String(s)) => !s.is_empty(),
        Some(Scalar::Number(_)) => true,
        None => false,
    };
    let failed = |key: &str| matches!(a.get(key), Some(Scalar::Bool(false)));
    let status = ["http.response.status_code", "http.status_code"]
        .iter()
        .any(|key| matches!(a.get(*key), Some(Scalar::Number(n)) if *n >= 400.0));
    error || a.contains_key("error.type") || failed("succeeded") || failed("success") || status
}
