//! Queries over the event datasets, shaped like Honeycomb's query specification so that
//! people who know it feel at home: `POST /api/query` takes a [`QuerySpec`] (its
//! `dataset` names the dataset) and answers a [`QueryAnswer`] (the [`QueryResult`]
//! plus the markers in its window); `POST /api/compare` (selection vs baseline, like
//! BubbleUp) takes a [`CompareSpec`] and answers a [`CompareResult`];
//! `GET /api/datasets/{name}/columns` answers `Vec<ColumnInfo>`.
//!
//! Units: the spec's times are Unix **seconds** (as in Honeycomb); every time in an
//! answer is **milliseconds** since the Unix epoch, and says so in its name (`_ms`).
//!
//! ```json
//! {
//!   "dataset": "e2e",
//!   "time_range": 7200,
//!   "granularity": 30,
//!   "calculations": [{"op": "COUNT"}, {"op": "P95", "column": "duration_ms"}],
//!   "filters": [{"column": "success", "op": "=", "value": false}],
//!   "breakdowns": ["colour"],
//!   "orders": [{"op": "COUNT", "order": "descending"}],
//!   "havings": [{"calculate_op": "COUNT", "op": ">", "value": 5}],
//!   "limit": 10
//! }
//! ```
//!
//! One field is ours, not Honeycomb's: `"fit": true` fits the window to the data. The
//! time range is then the longest window, which starts instead at the first event
//! that passes the filters (rounded down to a bucket, less one bucket), at least
//! [`FIT_MIN_S`] before its end; the granularity, when not given, follows the fitted
//! window. Only the start moves, so events keep their place; the answer's
//! `start_time_ms` and `granularity_ms` say the window chosen.

mod compare;
mod result;

use serde::{Deserialize, Serialize};

pub use compare::{
    COMPARE_VALUES_DEFAULT, COMPARE_VALUES_MAX, ColumnComparison, CompareBucket, CompareResult,
    CompareSpec, Selection, ValueShare,
};
pub use result::{CalculationLabel, GroupRow, GroupSeries, Heatmap, HeatmapRow, HeatmapScale};
pub use result::{QueryAnswer, QueryResult, SeriesPoint};

/// Groups answered when the spec sets no `limit`.
pub const QUERY_LIMIT_DEFAULT: u32 = 100;
/// Largest `limit` a spec may set.
pub const QUERY_LIMIT_MAX: u32 = 1000;
/// Time range used when a spec gives neither `time_range` nor both ends, in seconds.
pub const TIME_RANGE_DEFAULT_S: u64 = 7200;
/// Longest time range a spec may ask for, in seconds (31 days).
pub const TIME_RANGE_MAX_S: u64 = 31 * 24 * 3600;
/// Shortest window a spec with `fit` is fitted to, in seconds: a room's first runs
/// fill the chart instead of its last pixels, and one event still gets a window.
pub const FIT_MIN_S: u64 = 30;
/// Most time buckets a query may have: `granularity` must be at least range / 1000.
pub const TIME_BUCKETS_MAX: u64 = 1000;
/// Buckets on the value axis of a heatmap (fewer when the values are a few integers).
pub const HEATMAP_VALUE_BUCKETS: usize = 40;
/// Most calculations in one spec.
pub const CALCULATIONS_MAX: usize = 20;
/// Most filters in one spec (and most values in an `in` list).
pub const FILTERS_MAX: usize = 50;
/// Most breakdown columns in one spec.
pub const BREAKDOWNS_MAX: usize = 8;

/// One value of an event's field, or of a filter, or of a group's key. In JSON it is
/// the plain value: `"green"`, `404`, `true`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Scalar {
    /// `true` or `false`.
    Bool(bool),
    /// Any number (integers are exact up to 2^53).
    Number(f64),
    /// Any string.
    String(String),
}

impl From<&str> for Scalar {
    fn from(s: &str) -> Self {
        Scalar::String(s.to_owned())
    }
}

impl From<String> for Scalar {
    fn from(s: String) -> Self {
        Scalar::String(s)
    }
}

impl From<f64> for Scalar {
    fn from(n: f64) -> Self {
        Scalar::Number(n)
    }
}

impl From<i64> for Scalar {
    fn from(n: i64) -> Self {
        Scalar::Number(n as f64)
    }
}

impl From<bool> for Scalar {
    fn from(b: bool) -> Self {
        Scalar::Bool(b)
    }
}

impl std::fmt::Display for Scalar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Scalar::Bool(b) => write!(f, "{b}"),
            Scalar::Number(n) => write!(f, "{n}"),
            Scalar::String(s) => write!(f, "{s:?}"),
        }
    }
}

/// `POST /api/query`: what to calculate, over which events, grouped how.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuerySpec {
    /// Dataset to query: `bulb` (server spans) or `e2e` (check runs).
    pub dataset: String,
    /// What to calculate per group; none means `[{"op": "COUNT"}]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub calculations: Vec<Calculation>,
    /// Which events count; none means all events in the time range.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub filters: Vec<Filter>,
    /// How filters combine; `AND` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter_combination: Option<FilterCombination>,
    /// Columns to group by (GROUP BY); none means one group of all events.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub breakdowns: Vec<String>,
    /// How to order the groups; the first calculation, descending, when absent.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub orders: Vec<Order>,
    /// Most groups answered, 1–1000; 100 when absent. Applies after `orders`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// Keep only groups whose calculation result passes these tests (HAVING).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub havings: Vec<Having>,
    /// Length of the time range, seconds. Alone: the range ends now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_range: Option<u64>,
    /// Start of the time range (inclusive), Unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<i64>,
    /// End of the time range (exclusive), Unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<i64>,
    /// Width of a time bucket of the series and heatmaps, seconds; at least
    /// range / 1000 and at most the range. Chosen for about 120 buckets when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub granularity: Option<u64>,
    /// Fit the window to the data: the range above is the longest it may be, and it
    /// starts instead at the first event that passes the filters (less one bucket),
    /// so the charts are not squeezed to the right; never shorter than
    /// [`FIT_MIN_S`] (nor the granularity), the end unchanged. The answer's
    /// `start_time_ms` and `granularity_ms` say the window chosen.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub fit: bool,
}

/// One calculation: an operator and, for all but `COUNT`, a column.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Calculation {
    /// What to calculate.
    pub op: CalcOp,
    /// The column it reads; absent for `COUNT`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
}

impl Calculation {
    /// `COUNT` of events.
    pub fn count() -> Self {
        Self {
            op: CalcOp::Count,
            column: None,
        }
    }

    /// An operator over a column, e.g. `Calculation::of(CalcOp::P95, "duration_ms")`.
    pub fn of(op: CalcOp, column: impl Into<String>) -> Self {
        Self {
            op,
            column: Some(column.into()),
        }
    }
}

/// Calculation operators, spelled as Honeycomb spells them (`"P95"`, `"COUNT_DISTINCT"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CalcOp {
    /// Number of events.
    Count,
    /// Number of distinct values of the column (any type; `2` and `"2"` differ).
    CountDistinct,
    /// Sum of the column's numbers.
    Sum,
    /// Mean of the column's numbers.
    Avg,
    /// Smallest of the column's numbers.
    Min,
    /// Largest of the column's numbers.
    Max,
    /// Median (nearest rank) of the column's numbers.
    P50,
    /// 90th percentile (nearest rank).
    P90,
    /// 95th percentile (nearest rank).
    P95,
    /// 99th percentile (nearest rank).
    P99,
    /// Distribution of the column's numbers per time bucket: see [`Heatmap`].
    Heatmap,
}

impl CalcOp {
    /// Honeycomb's spelling, e.g. `"P95"`.
    pub fn as_str(self) -> &'static str {
        match self {
            CalcOp::Count => "COUNT",
            CalcOp::CountDistinct => "COUNT_DISTINCT",
            CalcOp::Sum => "SUM",
            CalcOp::Avg => "AVG",
            CalcOp::Min => "MIN",
            CalcOp::Max => "MAX",
            CalcOp::P50 => "P50",
            CalcOp::P90 => "P90",
            CalcOp::P95 => "P95",
            CalcOp::P99 => "P99",
            CalcOp::Heatmap => "HEATMAP",
        }
    }

    /// The percentile it stands for, for `P50`–`P99`.
    pub fn percentile(self) -> Option<u32> {
        match self {
            CalcOp::P50 => Some(50),
            CalcOp::P90 => Some(90),
            CalcOp::P95 => Some(95),
            CalcOp::P99 => Some(99),
            _ => None,
        }
    }

    /// Whether it reads the column's numbers only (SUM, AVG, MIN, MAX, Pxx, HEATMAP).
    pub fn is_numeric(self) -> bool {
        !matches!(self, CalcOp::Count | CalcOp::CountDistinct)
    }
}

impl std::fmt::Display for CalcOp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One filter: `column op value`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Filter {
    /// The column tested.
    pub column: String,
    /// The test.
    pub op: FilterOp,
    /// What to compare with: absent for `exists` / `does-not-exist`, a list for `in` /
    /// `not-in`, one value otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<FilterValue>,
}

impl Filter {
    /// A filter with a value, e.g. `Filter::new("success", FilterOp::Eq, false)`.
    pub fn new(column: impl Into<String>, op: FilterOp, value: impl Into<FilterValue>) -> Self {
        Self {
            column: column.into(),
            op,
            value: Some(value.into()),
        }
    }

    /// A filter without a value (`exists`, `does-not-exist`).
    pub fn bare(column: impl Into<String>, op: FilterOp) -> Self {
        Self {
            column: column.into(),
            op,
            value: None,
        }
    }
}

/// A filter's value: one scalar, or a list for `in` / `not-in`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum FilterValue {
    /// One value.
    One(Scalar),
    /// Several values.
    List(Vec<Scalar>),
}

impl<T: Into<Scalar>> From<T> for FilterValue {
    fn from(v: T) -> Self {
        FilterValue::One(v.into())
    }
}

impl From<Vec<Scalar>> for FilterValue {
    fn from(v: Vec<Scalar>) -> Self {
        FilterValue::List(v)
    }
}

/// Filter operators, spelled as Honeycomb spells them.
///
/// Equality (`=`, `!=`, `in`, `not-in`) compares values of the same type; a string
/// compares with a number or a boolean by its text (`"2"` equals `2`, `"true"` equals
/// `true`). Ordering (`<` …) reads numbers only; `contains` and `starts-with` read
/// strings only. Every negative operator matches exactly the events its positive
/// twin does not, including events that lack the column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FilterOp {
    /// Equal.
    #[serde(rename = "=")]
    Eq,
    /// Not equal (also matches events without the column).
    #[serde(rename = "!=")]
    Ne,
    /// Less than (numbers).
    #[serde(rename = "<")]
    Lt,
    /// Less than or equal (numbers).
    #[serde(rename = "<=")]
    Le,
    /// Greater than (numbers).
    #[serde(rename = ">")]
    Gt,
    /// Greater than or equal (numbers).
    #[serde(rename = ">=")]
    Ge,
    /// The event has the column (any value but null).
    #[serde(rename = "exists")]
    Exists,
    /// The event lacks the column.
    #[serde(rename = "does-not-exist", alias = "not exists", alias = "not-exists")]
    DoesNotExist,
    /// A string value contains the text.
    #[serde(rename = "contains")]
    Contains,
    /// Not `contains`.
    #[serde(rename = "does-not-contain")]
    DoesNotContain,
    /// A string value starts with the text.
    #[serde(rename = "starts-with")]
    StartsWith,
    /// Not `starts-with`.
    #[serde(rename = "does-not-start-with")]
    DoesNotStartWith,
    /// Equal to one of the list.
    #[serde(rename = "in")]
    In,
    /// Not `in`.
    #[serde(rename = "not-in")]
    NotIn,
}

impl FilterOp {
    /// Honeycomb's spelling, e.g. `"does-not-exist"`.
    pub fn as_str(self) -> &'static str {
        match self {
            FilterOp::Eq => "=",
            FilterOp::Ne => "!=",
            FilterOp::Lt => "<",
            FilterOp::Le => "<=",
            FilterOp::Gt => ">",
            FilterOp::Ge => ">=",
            FilterOp::Exists => "exists",
            FilterOp::DoesNotExist => "does-not-exist",
            FilterOp::Contains => "contains",
            FilterOp::DoesNotContain => "does-not-contain",
            FilterOp::StartsWith => "starts-with",
            FilterOp::DoesNotStartWith => "does-not-start-with",
            FilterOp::In => "in",
            FilterOp::NotIn => "not-in",
        }
    }
}

impl std::fmt::Display for FilterOp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a spec's filters combine.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum FilterCombination {
    /// Every filter must match.
    #[default]
    And,
    /// At least one filter must match.
    Or,
}

/// One ordering of the groups: by a calculation (`op`, plus `column` unless `COUNT`)
/// or by a breakdown column (`column` alone).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Order {
    /// The calculation's column, or the breakdown column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// The calculation to order by; it must be among the spec's calculations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub op: Option<CalcOp>,
    /// Direction: descending by default for a calculation, ascending for a column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<SortOrder>,
}

/// Sort direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SortOrder {
    /// Smallest first.
    Ascending,
    /// Largest first.
    Descending,
}

/// Keep a group only if `calculate_op(column) op value`; a group whose calculation has
/// no value (e.g. AVG over no numbers) is dropped.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Having {
    /// The calculation tested; it must be among the spec's calculations.
    pub calculate_op: CalcOp,
    /// The calculation's column; absent for `COUNT`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// The comparison.
    pub op: HavingOp,
    /// The number compared with.
    pub value: f64,
}

/// Comparisons a having can make.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum HavingOp {
    /// Equal.
    #[serde(rename = "=")]
    Eq,
    /// Not equal.
    #[serde(rename = "!=")]
    Ne,
    /// Less than.
    #[serde(rename = "<")]
    Lt,
    /// Less than or equal.
    #[serde(rename = "<=")]
    Le,
    /// Greater than.
    #[serde(rename = ">")]
    Gt,
    /// Greater than or equal.
    #[serde(rename = ">=")]
    Ge,
}

impl HavingOp {
    /// Whether `left op right` holds.
    pub fn holds(self, left: f64, right: f64) -> bool {
        match self {
            HavingOp::Eq => left == right,
            HavingOp::Ne => left != right,
            HavingOp::Lt => left < right,
            HavingOp::Le => left <= right,
            HavingOp::Gt => left > right,
            HavingOp::Ge => left >= right,
        }
    }
}

/// `GET /api/datasets/{name}/columns`: one column of a dataset.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnInfo {
    /// Column name, e.g. `http.route`.
    pub name: String,
    /// The type most of its values have.
    pub column_type: ColumnType,
}

/// What a column holds (the type of most of its values; a column may hold others).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ColumnType {
    /// Text.
    String,
    /// Whole numbers only.
    Integer,
    /// Numbers, some with fractions.
    Float,
    /// `true` / `false`.
    Boolean,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_honeycomb_spec_parses() {
        let spec: QuerySpec = serde_json::from_value(serde_json::json!({
            "dataset": "bulb",
            "time_range": 7200,
            "granularity": 30,
            "calculations": [{"op": "COUNT"}, {"op": "P95", "column": "delay_ms"},
                             {"op": "COUNT_DISTINCT", "column": "attendee"}],
            "filters": [{"column": "queue_length", "op": ">=", "value": 3},
                        {"column": "colour", "op": "in", "value": ["red", "green"]},
                        {"column": "error", "op": "does-not-exist"},
                        {"column": "error", "op": "not exists"}],
            "filter_combination": "OR",
            "breakdowns": ["shard"],
            "orders": [{"op": "P95", "column": "delay_ms", "order": "descending"}, {"column": "shard"}],
            "havings": [{"calculate_op": "COUNT", "op": ">", "value": 10}],
            "limit": 5
        }))
        .unwrap();
        assert_eq!(
            spec.calculations[1],
            Calculation::of(CalcOp::P95, "delay_ms")
        );
        assert_eq!(spec.calculations[2].op, CalcOp::CountDistinct);
        assert_eq!(
            spec.filters[0],
            Filter::new("queue_length", FilterOp::Ge, 3.0)
        );
        assert_eq!(
            spec.filters[1].value,
            Some(FilterValue::List(vec!["red".into(), "green".into()]))
        );
        assert_eq!(spec.filters[3].op, FilterOp::DoesNotExist);
        assert_eq!(spec.filter_combination, Some(FilterCombination::Or));
        assert_eq!(spec.orders[0].order, Some(SortOrder::Descending));
        assert_eq!(spec.havings[0].op, HavingOp::Gt);
        assert!(!spec.fit);
        let back = serde_json::to_value(&spec).unwrap();
        assert!(back.get("fit").is_none(), "only a fitted spec says so");
        assert_eq!(back["filters"][3]["op"], "does-not-exist");
        assert_eq!(back["calculations"][0], serde_json::json!({"op": "COUNT"}));
    }

    #[test]
    fn a_fitted_spec_says_so() {
        let json = serde_json::json!({"dataset": "e2e", "time_range": 3600, "fit": true});
        let spec: QuerySpec = serde_json::from_value(json.clone()).unwrap();
        assert!(spec.fit);
        assert_eq!(serde_json::to_value(&spec).unwrap(), json);
    }

    #[test]
    fn unknown_fields_and_operators_are_refused() {
        let typo = serde_json::json!({"dataset": "bulb", "breakdown": ["shard"]});
        assert!(serde_json::from_value::<QuerySpec>(typo).is_err());
        let op = serde_json::json!({"dataset": "bulb", "calculations": [{"op": "P42"}]});
        assert!(serde_json::from_value::<QuerySpec>(op).is_err());
    }

    #[test]
    fn scalars_are_plain_json_values() {
        let v: Vec<Scalar> = serde_json::from_str(r#"[true, 2.5, 3, "x"]"#).unwrap();
        assert_eq!(
            v,
            vec![
                Scalar::Bool(true),
                Scalar::Number(2.5),
                Scalar::Number(3.0),
                Scalar::String("x".into())
            ]
        );
        assert_eq!(serde_json::to_string(&v).unwrap(), r#"[true,2.5,3.0,"x"]"#);
    }

    #[test]
    fn column_types_are_lowercase() {
        let c = ColumnInfo {
            name: "shard".into(),
            column_type: ColumnType::Integer,
        };
        assert_eq!(
            serde_json::to_value(c).unwrap(),
            serde_json::json!({"name": "shard", "column_type": "integer"})
        );
    }
}
