//! The answer to a query: per-group totals, per-group time series, heatmaps.
//!
//! ```json
//! {
//!   "start_time_ms": 1767225600000, "end_time_ms": 1767232800000, "granularity_ms": 30000,
//!   "breakdowns": ["colour"],
//!   "calculations": [{"op": "COUNT", "label": "COUNT"},
//!                    {"op": "P95", "column": "duration_ms", "label": "P95(duration_ms)"}],
//!   "matched_events": 1234,
//!   "totals": [{"group": ["green"], "values": [412.0, 2150.0]},
//!              {"group": [null], "values": [17.0, null]}],
//!   "series": [{"group": ["green"], "points": [{"time_ms": 1767225600000, "values": [3.0, 1800.0]}]}],
//!   "heatmaps": [],
//!   "groups_truncated": false
//! }
//! ```

use serde::{Deserialize, Serialize};

use super::{CalcOp, Scalar};
use crate::Marker;

/// `POST /api/query` answer: the [`QueryResult`]'s fields, flat, plus `markers`.
///
/// ```json
/// {"start_time_ms": 1767225600000, "end_time_ms": 1767232800000, …,
///  "markers": [{"at_ms": 1767229000000, "kind": "instrumentation_point",
///               "text": "…", "attendee": {"id": "…", "name": "Ada"}}]}
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueryAnswer {
    /// The query's result (its fields sit at the top level of the JSON).
    #[serde(flatten)]
    pub result: QueryResult,
    /// The markers (facilitator and attendee actions) with `start_time_ms <= at_ms <
    /// end_time_ms`, oldest first, to draw on the charts.
    pub markers: Vec<Marker>,
}

/// The engine's answer to a query; on the wire inside a [`QueryAnswer`].
///
/// Groups are keyed by their breakdown values (`group`, one entry per breakdown, `null`
/// where the event lacks the column). `totals` and `series` list the same groups in
/// the same order: the spec's `orders`, ties broken by group key.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueryResult {
    /// Start of the time range the query covered (inclusive), ms since the epoch.
    pub start_time_ms: i64,
    /// End of the time range (exclusive), ms since the epoch.
    pub end_time_ms: i64,
    /// Width of one time bucket, ms. Buckets are aligned to multiples of it since the
    /// epoch, so the first and last may be partly outside the range.
    pub granularity_ms: i64,
    /// The spec's breakdown columns, in order: the meaning of each `group` entry.
    pub breakdowns: Vec<String>,
    /// The calculations `values` hold, in order: the spec's calculations less the
    /// HEATMAPs (which answer in `heatmaps`); `COUNT` when the spec had none.
    pub calculations: Vec<CalculationLabel>,
    /// Events in the time range that passed the filters (before havings and limit).
    pub matched_events: u64,
    /// One row per group answered, over the whole time range.
    pub totals: Vec<GroupRow>,
    /// One series per group answered (the same groups as `totals`), one point per
    /// time bucket.
    pub series: Vec<GroupSeries>,
    /// One per HEATMAP calculation, in the spec's order. A heatmap covers every event
    /// that passed the filters, whatever its group.
    pub heatmaps: Vec<Heatmap>,
    /// True when more groups passed the havings than `limit` let through.
    pub groups_truncated: bool,
}

/// Names one calculation of the answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalculationLabel {
    /// The operator.
    pub op: CalcOp,
    /// Its column (absent for `COUNT`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// How a chart names it: `COUNT`, `P95(duration_ms)`.
    pub label: String,
}

/// A group's results over the whole time range.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupRow {
    /// Breakdown values, one per breakdown (`null`: the events lack the column).
    pub group: Vec<Option<Scalar>>,
    /// One per entry of [`QueryResult::calculations`]. `COUNT` and `COUNT_DISTINCT`
    /// are never null; the others are null when the group has no number in the column.
    pub values: Vec<Option<f64>>,
}

/// A group's results per time bucket.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupSeries {
    /// Breakdown values, as in [`GroupRow::group`].
    pub group: Vec<Option<Scalar>>,
    /// One per time bucket, oldest first, every bucket present (empty ones too).
    pub points: Vec<SeriesPoint>,
}

/// A group's results in one time bucket.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SeriesPoint {
    /// Start of the bucket, ms since the epoch; it ends `granularity_ms` later.
    pub time_ms: i64,
    /// One per entry of [`QueryResult::calculations`], null as in [`GroupRow::values`].
    pub values: Vec<Option<f64>>,
}

/// The distribution of a column's numbers over time: a grid of counts, time buckets
/// by value buckets.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Heatmap {
    /// The column.
    pub column: String,
    /// How the value buckets are spaced.
    pub scale: HeatmapScale,
    /// Edges of the value buckets, ascending: bucket `j` holds values `v` with
    /// `boundaries[j] <= v < boundaries[j + 1]`, the last bucket also `v == max`.
    /// From the smallest to the largest number matched (integer columns with a small
    /// range get one bucket per integer); empty when no event had a number.
    pub boundaries: Vec<f64>,
    /// One row per time bucket, as the series' points.
    pub rows: Vec<HeatmapRow>,
    /// The largest count of any cell, for a colour scale.
    pub max_count: u32,
}

/// How a heatmap's value buckets are spaced.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HeatmapScale {
    /// Equal widths.
    Linear,
    /// Equal ratios: used when every value is positive and the largest is at least 20
    /// times the smallest (durations, delays).
    Log,
}

/// One time bucket of a heatmap.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HeatmapRow {
    /// Start of the bucket, ms since the epoch.
    pub time_ms: i64,
    /// Events per value bucket (`boundaries.len() - 1` entries, or none); they add up
    /// to the bucket's events that have a number in the column.
    pub counts: Vec<u32>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_result_serialises_as_documented() {
        let r = QueryResult {
            start_time_ms: 0,
            end_time_ms: 60_000,
            granularity_ms: 30_000,
            breakdowns: vec!["colour".into()],
            calculations: vec![CalculationLabel {
                op: CalcOp::Count,
                column: None,
                label: "COUNT".into(),
            }],
            matched_events: 1,
            totals: vec![GroupRow {
                group: vec![None],
                values: vec![Some(1.0)],
            }],
            series: vec![],
            heatmaps: vec![],
            groups_truncated: false,
        };
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["totals"][0]["group"][0], serde_json::Value::Null);
        assert_eq!(
            json["calculations"][0],
            serde_json::json!({"op": "COUNT", "label": "COUNT"})
        );
        let back: QueryResult = serde_json::from_value(json).unwrap();
        assert_eq!(back, r);
    }

    #[test]
    fn an_answer_is_the_result_flat_plus_markers() {
        let result = QueryResult {
            start_time_ms: 0,
            end_time_ms: 60_000,
            granularity_ms: 30_000,
            breakdowns: vec!["colour".into()],
            calculations: vec![CalculationLabel {
                op: CalcOp::P95,
                column: Some("delay_ms".into()),
                label: "P95(delay_ms)".into(),
            }],
            matched_events: 2,
            totals: vec![GroupRow {
                group: vec![Some(Scalar::String("green".into()))],
                values: vec![None],
            }],
            series: vec![GroupSeries {
                group: vec![Some(Scalar::Number(3.0))],
                points: vec![SeriesPoint {
                    time_ms: 0,
                    values: vec![Some(12.5)],
                }],
            }],
            heatmaps: vec![],
            groups_truncated: true,
        };
        let answer = QueryAnswer {
            result,
            markers: vec![Marker {
                at_ms: 1_000,
                kind: crate::MarkerKind::QueueDelay,
                text: "queue delay set to 1500 ms".into(),
                attendee: None,
            }],
        };
        let json = serde_json::to_value(&answer).unwrap();
        assert_eq!(json["granularity_ms"], 30_000);
        assert_eq!(json["totals"][0]["values"][0], serde_json::Value::Null);
        assert_eq!(json["markers"][0]["kind"], "queue_delay");
        assert!(json.get("result").is_none(), "flat: {json}");
        let back: QueryAnswer = serde_json::from_value(json).unwrap();
        assert_eq!(back, answer);
    }
}
