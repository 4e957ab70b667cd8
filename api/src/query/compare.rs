//! Selection vs baseline (like Honeycomb's BubbleUp): which attributes set a selected
//! set of events apart from the rest.
//!
//! ```json
//! {
//!   "dataset": "bulb",
//!   "time_range": 3600,
//!   "filters": [{"column": "http.route", "op": "=", "value": "/api/bulb"}],
//!   "selection": {"kind": "region", "column": "duration_ms", "min": 500}
//! }
//! ```

use serde::{Deserialize, Serialize};

use super::{Filter, FilterCombination, Scalar};

/// Values listed per column when the spec sets no `values_per_column`.
pub const COMPARE_VALUES_DEFAULT: u32 = 10;
/// Largest `values_per_column`.
pub const COMPARE_VALUES_MAX: u32 = 50;

/// `POST /api/compare`. The events in the time range that pass
/// `filters` are split in two: the `selection` and the baseline (all the others).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompareSpec {
    /// Dataset: `bulb` or `e2e`.
    pub dataset: String,
    /// Which events take part at all (as in [`super::QuerySpec::filters`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub filters: Vec<Filter>,
    /// How `filters` combine; `AND` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter_combination: Option<FilterCombination>,
    /// Length of the time range, seconds (as in the query spec).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_range: Option<u64>,
    /// Start of the time range (inclusive), Unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<i64>,
    /// End of the time range (exclusive), Unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<i64>,
    /// Which events are selected.
    pub selection: Selection,
    /// Values listed per column, 1–50 (10 when absent); the rest add up as `other`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values_per_column: Option<u32>,
}

/// The selected events.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Selection {
    /// A box drawn on a chart: a time window and, on a numeric column, a value range
    /// (both ends inclusive). Absent bounds are open; without `column`, only time.
    Region {
        /// The numeric column the value range is on (a heatmap's column).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        column: Option<String>,
        /// Smallest selected value (inclusive).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<f64>,
        /// Largest selected value (inclusive).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<f64>,
        /// Start of the time window (inclusive), ms since the epoch.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        start_time_ms: Option<i64>,
        /// End of the time window (exclusive), ms since the epoch.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        end_time_ms: Option<i64>,
    },
    /// The events that match these filters, e.g. `success = false`.
    Filters {
        /// The filters.
        filters: Vec<Filter>,
        /// How they combine; `AND` when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        filter_combination: Option<FilterCombination>,
    },
}

/// The answer: every column's distribution inside vs outside the selection, the
/// columns that differ most first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompareResult {
    /// Start of the time range (inclusive), ms since the epoch.
    pub start_time_ms: i64,
    /// End of the time range (exclusive), ms since the epoch.
    pub end_time_ms: i64,
    /// Events selected.
    pub selection_count: u64,
    /// Events in the baseline (the others that passed the filters).
    pub baseline_count: u64,
    /// One per column compared, by `score`, highest first (ties by name).
    pub columns: Vec<ColumnComparison>,
    /// Columns left out: ids (trace and span ids, request ids, timestamps), strings
    /// with a different value on most events, and the columns the selection is made
    /// on (they differ by construction).
    pub excluded_columns: Vec<String>,
    /// Columns that only restate the selection when it is made on an outcome (failed
    /// runs: their verdict, message, failed step, expected and actual values, …):
    /// compared like the others, listed apart so a cause can rank first.
    #[serde(default)]
    pub restating_columns: Vec<ColumnComparison>,
}

/// One column's distribution inside vs outside the selection.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ColumnComparison {
    /// The column.
    pub column: String,
    /// The largest difference of shares of any value, 0–1: how strongly this column
    /// sets the selection apart.
    pub score: f64,
    /// Its values by difference of shares, largest first; numbers are bucketed.
    pub values: Vec<ValueShare>,
}

/// How often one value (or bucket) occurs inside and outside the selection.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ValueShare {
    /// The value.
    pub bucket: CompareBucket,
    /// Selected events with it.
    pub selection_count: u64,
    /// Baseline events with it.
    pub baseline_count: u64,
    /// `selection_count / CompareResult::selection_count` (0 when nothing is selected).
    pub selection_share: f64,
    /// `baseline_count / CompareResult::baseline_count` (0 for an empty baseline).
    pub baseline_share: f64,
}

/// A value, or a bucket of values, of a compared column.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CompareBucket {
    /// One value.
    Value {
        /// The value.
        value: Scalar,
    },
    /// Numbers with `min <= v < max` (the last bucket of a column includes `max`).
    Range {
        /// Lower edge.
        min: f64,
        /// Upper edge.
        max: f64,
    },
    /// The event lacks the column.
    Missing,
    /// All values beyond the ones listed, added up.
    Other,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selections_parse() {
        let region: Selection = serde_json::from_value(serde_json::json!(
            {"kind": "region", "column": "duration_ms", "min": 500, "start_time_ms": 1000}
        ))
        .unwrap();
        assert!(matches!(region, Selection::Region { min: Some(m), .. } if m == 500.0));
        let filters: Selection = serde_json::from_value(serde_json::json!(
            {"kind": "filters", "filters": [{"column": "success", "op": "=", "value": false}]}
        ))
        .unwrap();
        assert!(matches!(filters, Selection::Filters { ref filters, .. } if filters.len() == 1));
        let typo = serde_json::json!({"kind": "region", "colum": "duration_ms"});
        assert!(serde_json::from_value::<Selection>(typo).is_err());
    }

    #[test]
    fn buckets_are_tagged() {
        let b = CompareBucket::Value {
            value: Scalar::String("green".into()),
        };
        assert_eq!(
            serde_json::to_value(&b).unwrap(),
            serde_json::json!({"kind": "value", "value": "green"})
        );
        assert_eq!(
            serde_json::to_value(CompareBucket::Missing).unwrap(),
            serde_json::json!({"kind": "missing"})
        );
    }
}
