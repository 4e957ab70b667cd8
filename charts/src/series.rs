//! Time series: one line per group for one calculation, markers as vertical lines, and
//! what the pointer is over (the nearest time bucket's values).

use bulbwatch_api::{Marker, MarkerKind, QueryResult, Scalar};

use crate::colour_scale::Rgb;
use crate::group_colours::{Dash, GroupColours};
use crate::plot_rect::PlotRect;
use crate::scale::LinearScale;
use crate::ticks::format_value;

/// A line chart over time.
#[derive(Clone, Debug, PartialEq)]
pub struct SeriesChart {
    /// Start of the time axis, ms since the epoch.
    pub start_ms: i64,
    /// End of the time axis, ms since the epoch.
    pub end_ms: i64,
    /// What the values are: `P95(duration_ms)`.
    pub y_label: String,
    /// One line per group.
    pub lines: Vec<Line>,
    /// Markers to draw as vertical lines.
    pub markers: Vec<MarkerLine>,
}

/// One group's line.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// The legend's label: the group's values.
    pub label: String,
    /// Its colour.
    pub colour: Rgb,
    /// Its line: solid, or dashed/dotted to tell it from a group of the same colour.
    pub dash: Dash,
    /// `(time_ms, value)` per time bucket that has a value, oldest first.
    pub points: Vec<(i64, f64)>,
}

/// A marker: a vertical line at a time with its text.
#[derive(Clone, Debug, PartialEq)]
pub struct MarkerLine {
    /// When, ms since the epoch.
    pub at_ms: i64,
    /// What kind of action it was (close markers of one kind are summed up by it).
    pub kind: MarkerKind,
    /// What happened, and who did it: "queue delay set to 0 ms (Ada)".
    pub text: String,
}

/// The values at the time bucket nearest the pointer.
#[derive(Clone, Debug, PartialEq)]
pub struct Hover {
    /// Start of the bucket, ms since the epoch.
    pub time_ms: i64,
    /// Its x in device pixels.
    pub x: f64,
    /// Per line: label, colour, line and value (none when the line has no point there).
    pub values: Vec<(String, Rgb, Dash, Option<f64>)>,
}

/// How a legend names a group: its values joined with ", ", a missing one as "(none)".
pub fn group_label(group: &[Option<Scalar>]) -> String {
    group
        .iter()
        .map(|v| match v {
            None => "(none)".to_owned(),
            Some(Scalar::String(s)) => s.clone(),
            Some(Scalar::Number(n)) => format_value(*n),
            Some(Scalar::Bool(b)) => b.to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Markers as lines to draw.
pub fn marker_lines(markers: &[Marker]) -> Vec<MarkerLine> {
    markers
        .iter()
        .map(|m| MarkerLine {
            at_ms: m.at_ms,
            kind: m.kind,
            text: match &m.attendee {
                Some(a) => format!("{} ({})", m.text, a.name),
                None => m.text.clone(),
            },
        })
        .collect()
}

impl SeriesChart {
    /// The lines of calculation `calculation` (an index into `r.calculations`), one per
    /// group; a query without breakdowns has one line named after the calculation.
    pub fn from_result(r: &QueryResult, calculation: usize, markers: &[Marker]) -> Self {
        let y_label = r
            .calculations
            .get(calculation)
            .map_or_else(String::new, |c| c.label.clone());
        let colours = GroupColours::of_result(r);
        let lines = r
            .series
            .iter()
            .map(|s| {
                let style = colours.style(&s.group);
                Line {
                    label: if s.group.is_empty() {
                        y_label.clone()
                    } else {
                        group_label(&s.group)
                    },
                    colour: style.colour,
                    dash: style.dash,
                    points: s
                        .points
                        .iter()
                        .filter_map(|p| Some((p.time_ms, p.values.get(calculation).copied()??)))
                        .collect(),
                }
            })
            .collect();
        SeriesChart {
            start_ms: r.start_time_ms,
            end_ms: r.end_time_ms,
            y_label,
            lines,
            markers: marker_lines(markers),
        }
    }

    /// The time axis over a plotting area.
    pub fn x_scale(&self, rect: &PlotRect) -> LinearScale {
        LinearScale::new(
            (self.start_ms as f64, self.end_ms as f64),
            (rect.left, rect.right),
        )
    }

    /// Smallest and largest value of any line (0 included, so bars of counts sit on
    /// zero), `(0, 1)` when there is none.
    pub fn value_range(&self) -> (f64, f64) {
        let (lo, hi) = self
            .lines
            .iter()
            .flat_map(|l| l.points.iter().map(|p| p.1))
            .filter(|v| v.is_finite())
            .fold((0.0f64, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
        if lo == hi { (lo, lo + 1.0) } else { (lo, hi) }
    }

    /// The values at the time bucket nearest `x` (device pixels), when `x` is over the
    /// plotting area and there is a point.
    pub fn hover(&self, rect: &PlotRect, x: f64) -> Option<Hover> {
        if x < rect.left || x > rect.right {
            return None;
        }
        let scale = self.x_scale(rect);
        let at = scale.invert(x);
        let time_ms = self
            .lines
            .iter()
            .flat_map(|l| l.points.iter().map(|p| p.0))
            .min_by(|a, b| (*a as f64 - at).abs().total_cmp(&(*b as f64 - at).abs()))?;
        let values = self
            .lines
            .iter()
            .map(|l| {
                let v = l
                    .points
                    .binary_search_by_key(&time_ms, |p| p.0)
                    .ok()
                    .map(|i| l.points[i].1);
                (l.label.clone(), l.colour, l.dash, v)
            })
            .collect();
        Some(Hover {
            time_ms,
            x: scale.map(time_ms as f64),
            values,
        })
    }
}
