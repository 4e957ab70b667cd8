//! A comparison (selection vs baseline) as paired bars: per attribute, in the server's
//! order (the most different first), each value's share of the selection next to its
//! share of the baseline; the filter that keeps a value; which bar a pointer is on.

use bulbwatch_api::{
    ColumnComparison, CompareBucket, CompareResult, Filter, FilterOp, Scalar, ValueShare,
};

use crate::plot_rect::PlotRect;

/// The selection's bars (`--accent`).
pub const SELECTION_COLOUR: (u8, u8, u8) = (0xf5, 0xc5, 0x42);
/// The baseline's bars (a calm blue-grey).
pub const BASELINE_COLOUR: (u8, u8, u8) = (0x7f, 0x8c, 0xa8);

/// The comparison, ready to draw.
#[derive(Clone, Debug, PartialEq)]
pub struct CompareChart {
    /// Events selected.
    pub selection_count: u64,
    /// Events in the baseline.
    pub baseline_count: u64,
    /// One per attribute, the most different first.
    pub attributes: Vec<AttributeBars>,
}

/// One attribute's values.
#[derive(Clone, Debug, PartialEq)]
pub struct AttributeBars {
    /// The column.
    pub column: String,
    /// How strongly it sets the selection apart, 0–1.
    pub score: f64,
    /// Its values, the most different first.
    pub values: Vec<ValueBars>,
}

/// One value (or bucket) with both shares.
#[derive(Clone, Debug, PartialEq)]
pub struct ValueBars {
    /// For people: `green`, `true`, `100 – 200`, `(none)`, `(other)`.
    pub label: String,
    /// What was compared.
    pub bucket: CompareBucket,
    /// Whether it is the column's highest number bucket (its upper edge included).
    pub top_range: bool,
    /// Share of the selection, 0–1.
    pub selection_share: f64,
    /// Share of the baseline, 0–1.
    pub baseline_share: f64,
    /// Selected events with it.
    pub selection_count: u64,
    /// Baseline events with it.
    pub baseline_count: u64,
}

impl CompareChart {
    /// The chart of a comparison, keeping the server's order of attributes and values.
    pub fn from_result(r: &CompareResult) -> Self {
        CompareChart {
            selection_count: r.selection_count,
            baseline_count: r.baseline_count,
            attributes: r.columns.iter().map(AttributeBars::from_column).collect(),
        }
    }
}

impl AttributeBars {
    /// One attribute of the answer.
    pub fn from_column(c: &ColumnComparison) -> Self {
        let top = c
            .values
            .iter()
            .filter_map(|v| match v.bucket {
                CompareBucket::Range { max, .. } => Some(max),
                _ => None,
            })
            .fold(f64::NEG_INFINITY, f64::max);
        // With values summed into `other`, the real top bucket may be among them.
        let complete = !c.values.iter().any(|v| v.bucket == CompareBucket::Other);
        AttributeBars {
            column: c.column.clone(),
            score: c.score,
            values: c
                .values
                .iter()
                .map(|v| {
                    let top_range = complete
                        && matches!(v.bucket, CompareBucket::Range { max, .. } if max == top);
                    ValueBars::from_share(v, top_range)
                })
                .collect(),
        }
    }

    /// The value drawn at device y `y` when this attribute is drawn in `rect` (its
    /// values share the height evenly, the most different on top): its index.
    pub fn value_at(&self, rect: &PlotRect, y: f64) -> Option<usize> {
        if self.values.is_empty() || y < rect.top || y >= rect.bottom {
            return None;
        }
        let row = ((y - rect.top) / (rect.height() / self.values.len() as f64)).floor();
        let row = row as usize;
        (row < self.values.len()).then_some(row)
    }

    /// The largest share of any value on either side (for a common scale).
    pub fn max_share(&self) -> f64 {
        self.values
            .iter()
            .map(|v| v.selection_share.max(v.baseline_share))
            .fold(0.0, f64::max)
    }
}

impl ValueBars {
    fn from_share(v: &ValueShare, top_range: bool) -> Self {
        ValueBars {
            label: bucket_label(&v.bucket),
            bucket: v.bucket.clone(),
            top_range,
            selection_share: v.selection_share,
            baseline_share: v.baseline_share,
            selection_count: v.selection_count,
            baseline_count: v.baseline_count,
        }
    }

    /// The filters that keep only this value of `column`: `column = value`, a range as
    /// `>=` and `<` (`<=` for the top bucket), a missing value as `does-not-exist`;
    /// none for `other`.
    pub fn filters(&self, column: &str) -> Vec<Filter> {
        match &self.bucket {
            CompareBucket::Value { value } => {
                vec![Filter::new(column, FilterOp::Eq, value.clone())]
            }
            CompareBucket::Range { min, max } => vec![
                Filter::new(column, FilterOp::Ge, *min),
                Filter::new(
                    column,
                    if self.top_range {
                        FilterOp::Le
                    } else {
                        FilterOp::Lt
                    },
                    *max,
                ),
            ],
            CompareBucket::Missing => vec![Filter::bare(column, FilterOp::DoesNotExist)],
            CompareBucket::Other => Vec::new(),
        }
    }

    /// The selection's share minus the baseline's.
    pub fn difference(&self) -> f64 {
        self.selection_share - self.baseline_share
    }
}

/// A bucket for people: the value as text (strings unquoted), a range as `min – max`,
/// `(none)` for a missing value, `(other)` for the rest.
pub fn bucket_label(bucket: &CompareBucket) -> String {
    match bucket {
        CompareBucket::Value { value } => scalar_text(value),
        CompareBucket::Range { min, max } => {
            format!("{} – {}", edge(*min), edge(*max))
        }
        CompareBucket::Missing => "(none)".to_owned(),
        CompareBucket::Other => "(other)".to_owned(),
    }
}

/// A value as plain text: strings without quotes, numbers without a trailing `.0`.
pub fn scalar_text(value: &Scalar) -> String {
    match value {
        Scalar::String(s) => s.clone(),
        Scalar::Bool(b) => b.to_string(),
        Scalar::Number(n) => n.to_string(),
    }
}

/// A share as a percentage: `42%`, `0.5%`, `0%`.
pub fn percent(share: f64) -> String {
    let p = share * 100.0;
    if p == 0.0 || p >= 10.0 {
        format!("{p:.0}%")
    } else if p >= 1.0 {
        format!("{}%", trim_zero(format!("{p:.1}")))
    } else {
        format!("{}%", trim_zero(format!("{p:.2}")))
    }
}

/// A bucket edge: whole numbers as such, others with up to 3 decimals.
fn edge(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        trim_zero(format!("{v:.3}"))
    }
}

fn trim_zero(s: String) -> String {
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}
