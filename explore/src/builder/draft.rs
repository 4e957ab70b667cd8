//! The builder's form as plain data: a [`Draft`] is made from a [`QuerySpec`], edited
//! field by field as text, and turned back into a spec (typing the filter values by the
//! column's type) when the query runs. Plain Rust, so it is tested natively.

use bulbwatch_api::{
    CalcOp, Calculation, ColumnInfo, ColumnType, Filter, FilterCombination, FilterOp, FilterValue,
    Having, HavingOp, Order, QUERY_LIMIT_MAX, QuerySpec, Scalar, SortOrder, TIME_BUCKETS_MAX,
    TIME_RANGE_DEFAULT_S,
};
use serde::de::DeserializeOwned;

use crate::query_url::ATTENDEE_COLUMN;

/// Every calculation operator, in the order the builder offers them.
pub const CALC_OPS: [CalcOp; 11] = [
    CalcOp::Count,
    CalcOp::CountDistinct,
    CalcOp::Sum,
    CalcOp::Avg,
    CalcOp::Min,
    CalcOp::Max,
    CalcOp::P50,
    CalcOp::P90,
    CalcOp::P95,
    CalcOp::P99,
    CalcOp::Heatmap,
];

/// Every filter operator, in the order the builder offers them.
pub const FILTER_OPS: [FilterOp; 14] = [
    FilterOp::Eq,
    FilterOp::Ne,
    FilterOp::Lt,
    FilterOp::Le,
    FilterOp::Gt,
    FilterOp::Ge,
    FilterOp::In,
    FilterOp::NotIn,
    FilterOp::Contains,
    FilterOp::DoesNotContain,
    FilterOp::StartsWith,
    FilterOp::DoesNotStartWith,
    FilterOp::Exists,
    FilterOp::DoesNotExist,
];

/// Every having comparison.
pub const HAVING_OPS: [HavingOp; 6] = [
    HavingOp::Gt,
    HavingOp::Ge,
    HavingOp::Lt,
    HavingOp::Le,
    HavingOp::Eq,
    HavingOp::Ne,
];

/// The time range presets, seconds: 15 min, 1 h, 6 h, 24 h, 7 days.
pub const TIME_PRESETS: [u64; 5] = [900, 3600, 6 * 3600, 24 * 3600, 7 * 24 * 3600];

/// Bucket widths offered, seconds (those that fit the range are shown).
pub const GRANULARITIES: [u64; 10] = [1, 10, 30, 60, 300, 900, 1800, 3600, 6 * 3600, 86400];

/// The datasets one can query.
pub const DATASETS: [&str; 2] = ["e2e", "bulb"];

/// A value parsed from its wire spelling (`"P95"`, `"does-not-exist"`, `">="`).
pub fn from_wire<T: DeserializeOwned>(text: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(text.to_owned())).ok()
}

/// The wire spelling of a having comparison.
pub fn having_op_str(op: HavingOp) -> &'static str {
    match op {
        HavingOp::Eq => "=",
        HavingOp::Ne => "!=",
        HavingOp::Lt => "<",
        HavingOp::Le => "<=",
        HavingOp::Gt => ">",
        HavingOp::Ge => ">=",
    }
}

/// Whether a filter operator compares with a value (all but `exists`/`does-not-exist`).
pub fn needs_value(op: FilterOp) -> bool {
    !matches!(op, FilterOp::Exists | FilterOp::DoesNotExist)
}

/// Whether a filter operator takes a comma-separated list (`in`, `not-in`).
pub fn takes_list(op: FilterOp) -> bool {
    matches!(op, FilterOp::In | FilterOp::NotIn)
}

/// Whether a column holds numbers.
pub fn is_numeric(t: ColumnType) -> bool {
    matches!(t, ColumnType::Integer | ColumnType::Float)
}

/// How a calculation is named in the builder and the answer: `COUNT`, `P95(duration_ms)`.
pub fn calc_key(op: CalcOp, column: Option<&str>) -> String {
    match column {
        Some(c) if op != CalcOp::Count => format!("{op}({c})"),
        _ => op.to_string(),
    }
}

/// The calculation a [`calc_key`] names.
pub fn parse_calc_key(key: &str) -> Option<(CalcOp, Option<String>)> {
    match key.split_once('(') {
        Some((op, rest)) => Some((from_wire(op)?, Some(rest.strip_suffix(')')?.to_owned()))),
        None => Some((from_wire(key)?, None)),
    }
}

/// A duration for people: `15 min`, `1 h`, `7 days`, `30 s`.
pub fn duration_label(secs: u64) -> String {
    match secs {
        s if s >= 86400 && s % 86400 == 0 => {
            let d = s / 86400;
            if d == 1 {
                "24 h".into()
            } else {
                format!("{d} days")
            }
        }
        s if s >= 3600 && s % 3600 == 0 => format!("{} h", s / 3600),
        s if s >= 60 && s % 60 == 0 => format!("{} min", s / 60),
        s => format!("{s} s"),
    }
}

/// The bucket widths that suit a range: at least range / [`TIME_BUCKETS_MAX`] (the
/// server's limit) and at most half the range (two buckets at least).
pub fn granularity_choices(range_s: u64) -> Vec<u64> {
    let least = range_s.div_ceil(TIME_BUCKETS_MAX).max(1);
    GRANULARITIES
        .iter()
        .copied()
        .filter(|&g| g >= least && g * 2 <= range_s)
        .collect()
}

/// One calculation row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalcRow {
    /// The operator.
    pub op: CalcOp,
    /// Its column (ignored for `COUNT`); empty until chosen.
    pub column: String,
}

/// What kind of value a filter had in the address, used to type its text when the
/// column's type is not known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueKind {
    /// `true` / `false`.
    Bool,
    /// A number.
    Number,
    /// A string.
    String,
}

/// One filter row: the value as typed (`in` lists comma-separated).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FilterRow {
    /// The column tested; empty until chosen.
    pub column: String,
    /// The test.
    pub op: FilterOp,
    /// The value's text.
    pub value: String,
    /// The kind the value had in the spec it came from.
    pub kind: Option<ValueKind>,
}

impl FilterRow {
    /// An empty `=` filter.
    pub fn blank() -> Self {
        Self {
            column: String::new(),
            op: FilterOp::Eq,
            value: String::new(),
            kind: None,
        }
    }
}

/// One ordering row: `target` is `calc:<calc key>` or `column:<name>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderRow {
    /// What to order by (see [`order_target`]).
    pub target: String,
    /// Direction; the server's default when `None`.
    pub order: Option<SortOrder>,
}

/// The select value for ordering by a calculation (`Some(key)`) or a column.
pub fn order_target(calc: Option<&str>, column: &str) -> String {
    match calc {
        Some(key) => format!("calc:{key}"),
        None => format!("column:{column}"),
    }
}

/// One having row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HavingRow {
    /// The calculation tested, as its [`calc_key`].
    pub calc: String,
    /// The comparison.
    pub op: HavingOp,
    /// The number, as typed.
    pub value: String,
}

/// The time range: the last N seconds, or between two moments (Unix seconds).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeChoice {
    /// Ending now.
    Last(u64),
    /// From `start` to `end`; `None` until chosen.
    Between {
        /// Start, Unix seconds.
        start: Option<i64>,
        /// End, Unix seconds.
        end: Option<i64>,
    },
}

impl TimeChoice {
    /// The range's length in seconds, when known.
    pub fn seconds(self) -> Option<u64> {
        match self {
            TimeChoice::Last(s) => Some(s),
            TimeChoice::Between {
                start: Some(s),
                end: Some(e),
            } if e > s => Some((e - s) as u64),
            TimeChoice::Between { .. } => None,
        }
    }
}

/// The builder's whole form.
#[derive(Clone, Debug, PartialEq)]
pub struct Draft {
    /// `bulb` or `e2e`.
    pub dataset: String,
    /// Calculations, in order.
    pub calculations: Vec<CalcRow>,
    /// Filters, in order.
    pub filters: Vec<FilterRow>,
    /// AND / OR (`None`: as the server defaults, AND).
    pub combination: Option<FilterCombination>,
    /// Group-by columns (empty until chosen).
    pub breakdowns: Vec<String>,
    /// Orderings.
    pub orders: Vec<OrderRow>,
    /// Most groups, as typed (empty: the server's default).
    pub limit: String,
    /// Havings.
    pub havings: Vec<HavingRow>,
    /// The time range.
    pub time: TimeChoice,
    /// Bucket width, seconds (`None`: automatic).
    pub granularity: Option<u64>,
}

impl Draft {
    /// The form showing `spec`.
    pub fn from_spec(spec: &QuerySpec) -> Self {
        let calculations = if spec.calculations.is_empty() {
            vec![CalcRow {
                op: CalcOp::Count,
                column: String::new(),
            }]
        } else {
            spec.calculations
                .iter()
                .map(|c| CalcRow {
                    op: c.op,
                    column: c.column.clone().unwrap_or_default(),
                })
                .collect()
        };
        Self {
            dataset: spec.dataset.clone(),
            calculations,
            filters: spec.filters.iter().map(filter_row).collect(),
            combination: spec.filter_combination,
            breakdowns: spec.breakdowns.clone(),
            orders: spec
                .orders
                .iter()
                .map(|o| OrderRow {
                    target: match (o.op, &o.column) {
                        (Some(op), column) => order_target(
                            Some(&calc_key(op, column.as_deref())),
                            column.as_deref().unwrap_or_default(),
                        ),
                        (None, column) => order_target(None, column.as_deref().unwrap_or_default()),
                    },
                    order: o.order,
                })
                .collect(),
            limit: spec.limit.map(|l| l.to_string()).unwrap_or_default(),
            havings: spec
                .havings
                .iter()
                .map(|h| HavingRow {
                    calc: calc_key(h.calculate_op, h.column.as_deref()),
                    op: h.op,
                    value: number_text(h.value),
                })
                .collect(),
            time: match (spec.start_time, spec.end_time) {
                (Some(start), Some(end)) => TimeChoice::Between {
                    start: Some(start),
                    end: Some(end),
                },
                _ => TimeChoice::Last(spec.time_range.unwrap_or(TIME_RANGE_DEFAULT_S)),
            },
            granularity: spec.granularity,
        }
    }

    /// The spec the form describes, values typed by `columns`; or the first problem,
    /// for people.
    pub fn to_spec(&self, columns: &[ColumnInfo]) -> Result<QuerySpec, String> {
        let mut spec = QuerySpec {
            dataset: self.dataset.clone(),
            filter_combination: self.combination,
            granularity: self.granularity,
            ..QuerySpec::default()
        };
        for row in &self.calculations {
            spec.calculations.push(calculation(row)?);
        }
        for (i, row) in self.filters.iter().enumerate() {
            spec.filters.push(filter(i, row, columns)?);
        }
        for column in &self.breakdowns {
            if column.is_empty() {
                return Err("Group by: choose a column (or remove the empty one).".into());
            }
            spec.breakdowns.push(column.clone());
        }
        for row in &self.orders {
            spec.orders.push(order(row)?);
        }
        let limit = self.limit.trim();
        if !limit.is_empty() {
            match limit.parse::<u32>() {
                Ok(n) if (1..=QUERY_LIMIT_MAX).contains(&n) => spec.limit = Some(n),
                _ => {
                    return Err(format!(
                        "Limit must be a whole number from 1 to {QUERY_LIMIT_MAX}, not “{limit}”."
                    ));
                }
            }
        }
        for row in &self.havings {
            spec.havings.push(having(row)?);
        }
        match self.time {
            TimeChoice::Last(s) => spec.time_range = Some(s),
            TimeChoice::Between {
                start: Some(start),
                end: Some(end),
            } if end > start => {
                spec.start_time = Some(start);
                spec.end_time = Some(end);
            }
            TimeChoice::Between { .. } => {
                return Err("Custom time range: choose a start before the end.".into());
            }
        }
        Ok(spec)
    }

    /// Starts over on another dataset: COUNT, and only the filters on whose data it is.
    pub fn switch_dataset(&mut self, dataset: &str) {
        self.dataset = dataset.to_owned();
        self.calculations = vec![CalcRow {
            op: CalcOp::Count,
            column: String::new(),
        }];
        self.filters.retain(|f| f.column == ATTENDEE_COLUMN);
        self.breakdowns.clear();
        self.orders.clear();
        self.havings.clear();
    }

    /// The calculations that orderings and havings can name, as [`calc_key`]s.
    pub fn calc_keys(&self) -> Vec<String> {
        self.calculations
            .iter()
            .filter(|c| c.op != CalcOp::Heatmap)
            .map(|c| {
                calc_key(
                    c.op,
                    Some(&c.column)
                        .filter(|c| !c.is_empty())
                        .map(|c| c.as_str()),
                )
            })
            .collect()
    }
}

/// A number as people write it: `3`, `2.5`.
pub fn number_text(n: f64) -> String {
    format!("{n}")
}

/// A value as typed in a filter's field.
pub fn scalar_text(s: &Scalar) -> String {
    match s {
        Scalar::Bool(b) => b.to_string(),
        Scalar::Number(n) => number_text(*n),
        Scalar::String(s) => s.clone(),
    }
}

fn kind_of(s: &Scalar) -> ValueKind {
    match s {
        Scalar::Bool(_) => ValueKind::Bool,
        Scalar::Number(_) => ValueKind::Number,
        Scalar::String(_) => ValueKind::String,
    }
}

fn filter_row(f: &Filter) -> FilterRow {
    let (value, kind) = match &f.value {
        None => (String::new(), None),
        Some(FilterValue::One(s)) => (scalar_text(s), Some(kind_of(s))),
        Some(FilterValue::List(items)) => (
            items.iter().map(scalar_text).collect::<Vec<_>>().join(", "),
            items.first().map(kind_of),
        ),
    };
    FilterRow {
        column: f.column.clone(),
        op: f.op,
        value,
        kind,
    }
}

fn calculation(row: &CalcRow) -> Result<Calculation, String> {
    if row.op == CalcOp::Count {
        return Ok(Calculation::count());
    }
    if row.column.is_empty() {
        return Err(format!("Calculation {}: choose a column.", row.op));
    }
    Ok(Calculation::of(row.op, row.column.clone()))
}

/// The value typed as the column holds them (or as the spec had it, or by its look).
fn typed(
    text: &str,
    column: &str,
    column_type: Option<ColumnType>,
    kind: Option<ValueKind>,
) -> Result<Scalar, String> {
    let kind = match column_type {
        Some(ColumnType::Integer | ColumnType::Float) => ValueKind::Number,
        Some(ColumnType::Boolean) => ValueKind::Bool,
        Some(ColumnType::String) => ValueKind::String,
        None => kind.unwrap_or_else(|| guess(text)),
    };
    match kind {
        ValueKind::Number => text.trim().parse::<f64>().map(Scalar::Number).map_err(|_| {
            format!("Filter on {column}: “{text}” is not a number, and {column} holds numbers.")
        }),
        ValueKind::Bool => match text.trim().to_ascii_lowercase().as_str() {
            "true" => Ok(Scalar::Bool(true)),
            "false" => Ok(Scalar::Bool(false)),
            _ => Err(format!(
                "Filter on {column}: {column} is true or false, not “{text}”."
            )),
        },
        ValueKind::String => Ok(Scalar::String(text.to_owned())),
    }
}

fn guess(text: &str) -> ValueKind {
    let t = text.trim();
    if t == "true" || t == "false" {
        ValueKind::Bool
    } else if t.parse::<f64>().is_ok() {
        ValueKind::Number
    } else {
        ValueKind::String
    }
}

fn filter(i: usize, row: &FilterRow, columns: &[ColumnInfo]) -> Result<Filter, String> {
    if row.column.is_empty() {
        return Err(format!("Filter {}: choose a column.", i + 1));
    }
    let column_type = columns
        .iter()
        .find(|c| c.name == row.column)
        .map(|c| c.column_type);
    let value = match row.op {
        FilterOp::Exists | FilterOp::DoesNotExist => None,
        FilterOp::In | FilterOp::NotIn => {
            let items = row
                .value
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| typed(s, &row.column, column_type, row.kind))
                .collect::<Result<Vec<_>, _>>()?;
            if items.is_empty() {
                return Err(format!(
                    "Filter on {}: list the values, separated by commas.",
                    row.column
                ));
            }
            Some(FilterValue::List(items))
        }
        FilterOp::Contains
        | FilterOp::DoesNotContain
        | FilterOp::StartsWith
        | FilterOp::DoesNotStartWith => Some(FilterValue::One(Scalar::String(row.value.clone()))),
        FilterOp::Lt | FilterOp::Le | FilterOp::Gt | FilterOp::Ge => Some(FilterValue::One(
            typed(
                &row.value,
                &row.column,
                column_type,
                Some(ValueKind::Number),
            )
            .and_then(|s| match s {
                Scalar::Number(_) => Ok(s),
                _ => Err(format!(
                    "Filter on {}: {} compares numbers only.",
                    row.column, row.op
                )),
            })?,
        )),
        FilterOp::Eq | FilterOp::Ne => Some(FilterValue::One(typed(
            &row.value,
            &row.column,
            column_type,
            row.kind,
        )?)),
    };
    Ok(Filter {
        column: row.column.clone(),
        op: row.op,
        value,
    })
}

fn order(row: &OrderRow) -> Result<Order, String> {
    if let Some(key) = row.target.strip_prefix("calc:") {
        let (op, column) =
            parse_calc_key(key).ok_or_else(|| format!("Order by: “{key}” is no calculation."))?;
        return Ok(Order {
            column,
            op: Some(op),
            order: row.order,
        });
    }
    match row.target.strip_prefix("column:") {
        Some(column) if !column.is_empty() => Ok(Order {
            column: Some(column.to_owned()),
            op: None,
            order: row.order,
        }),
        _ => Err("Order by: choose a calculation or a group column.".into()),
    }
}

fn having(row: &HavingRow) -> Result<Having, String> {
    let (calculate_op, column) =
        parse_calc_key(&row.calc).ok_or_else(|| "Having: choose a calculation.".to_string())?;
    let value = row
        .value
        .trim()
        .parse::<f64>()
        .map_err(|_| format!("Having {}: “{}” is not a number.", row.calc, row.value))?;
    Ok(Having {
        calculate_op,
        column,
        op: row.op,
        value,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn columns() -> Vec<ColumnInfo> {
        [
            ("colour", ColumnType::String),
            ("success", ColumnType::Boolean),
            ("duration_ms", ColumnType::Float),
            ("queue_length", ColumnType::Integer),
            ("attendee_id", ColumnType::String),
        ]
        .into_iter()
        .map(|(name, column_type)| ColumnInfo {
            name: name.into(),
            column_type,
        })
        .collect()
    }

    fn busy_spec() -> QuerySpec {
        QuerySpec {
            dataset: "e2e".into(),
            calculations: vec![
                Calculation::count(),
                Calculation::of(CalcOp::P95, "duration_ms"),
                Calculation::of(CalcOp::Heatmap, "duration_ms"),
            ],
            filters: vec![
                Filter::new("attendee_id", FilterOp::Eq, "a-1"),
                Filter::new("success", FilterOp::Eq, false),
                Filter::new("colour", FilterOp::In, vec!["red".into(), "green".into()]),
                Filter::new("queue_length", FilterOp::Ge, 3.0),
                Filter::bare("error", FilterOp::DoesNotExist),
                Filter::new("colour", FilterOp::StartsWith, "gr"),
            ],
            filter_combination: Some(FilterCombination::And),
            breakdowns: vec!["colour".into(), "success".into()],
            orders: vec![
                Order {
                    column: Some("duration_ms".into()),
                    op: Some(CalcOp::P95),
                    order: Some(SortOrder::Ascending),
                },
                Order {
                    column: Some("colour".into()),
                    op: None,
                    order: None,
                },
                Order {
                    column: None,
                    op: Some(CalcOp::Count),
                    order: Some(SortOrder::Descending),
                },
            ],
            limit: Some(20),
            havings: vec![Having {
                calculate_op: CalcOp::Count,
                column: None,
                op: HavingOp::Ge,
                value: 2.5,
            }],
            time_range: Some(6 * 3600),
            granularity: Some(300),
            ..QuerySpec::default()
        }
    }

    #[test]
    fn a_spec_survives_the_form() {
        let spec = busy_spec();
        assert_eq!(
            Draft::from_spec(&spec).to_spec(&columns()),
            Ok(spec.clone())
        );
        // Without the column list, the values keep the types they had.
        assert_eq!(Draft::from_spec(&spec).to_spec(&[]), Ok(spec));
    }

    #[test]
    fn a_custom_range_survives_the_form() {
        let spec = QuerySpec {
            dataset: "bulb".into(),
            calculations: vec![Calculation::count()],
            start_time: Some(1_700_000_000),
            end_time: Some(1_700_000_600),
            ..QuerySpec::default()
        };
        let draft = Draft::from_spec(&spec);
        assert_eq!(draft.time.seconds(), Some(600));
        assert_eq!(draft.to_spec(&[]), Ok(spec));
        let mut backwards = draft;
        backwards.time = TimeChoice::Between {
            start: Some(10),
            end: Some(5),
        };
        assert!(
            backwards
                .to_spec(&[])
                .unwrap_err()
                .contains("start before the end")
        );
    }

    #[test]
    fn values_are_typed_by_their_column() {
        let mut d = Draft::from_spec(&busy_spec());
        d.filters = vec![
            FilterRow {
                column: "queue_length".into(),
                op: FilterOp::Eq,
                value: " 4 ".into(),
                kind: None,
            },
            FilterRow {
                column: "success".into(),
                op: FilterOp::Ne,
                value: "TRUE".into(),
                kind: None,
            },
            FilterRow {
                column: "colour".into(),
                op: FilterOp::Eq,
                value: "12".into(),
                kind: None,
            },
            FilterRow {
                column: "queue_length".into(),
                op: FilterOp::NotIn,
                value: "1, 2,,3".into(),
                kind: None,
            },
        ];
        let spec = d.to_spec(&columns()).unwrap();
        assert_eq!(
            spec.filters[0],
            Filter::new("queue_length", FilterOp::Eq, 4.0)
        );
        assert_eq!(spec.filters[1], Filter::new("success", FilterOp::Ne, true));
        assert_eq!(spec.filters[2], Filter::new("colour", FilterOp::Eq, "12"));
        assert_eq!(
            spec.filters[3].value,
            Some(FilterValue::List(vec![1.0.into(), 2.0.into(), 3.0.into()]))
        );
        // Unknown columns: by the value's look.
        d.filters = vec![FilterRow {
            column: "shard".into(),
            op: FilterOp::Eq,
            value: "7".into(),
            kind: None,
        }];
        assert_eq!(
            d.to_spec(&columns()).unwrap().filters[0],
            Filter::new("shard", FilterOp::Eq, 7.0)
        );
    }

    #[test]
    fn mistakes_are_named() {
        let base = Draft::from_spec(&busy_spec());
        let mut d = base.clone();
        d.filters[3].value = "lots".into();
        let e = d.to_spec(&columns()).unwrap_err();
        assert!(e.contains("queue_length") && e.contains("lots"), "{e}");

        let mut d = base.clone();
        d.filters[1].value = "maybe".into();
        assert!(d.to_spec(&columns()).unwrap_err().contains("true or false"));

        let mut d = base.clone();
        d.calculations[1].column.clear();
        assert!(d.to_spec(&columns()).unwrap_err().contains("P95"));

        let mut d = base.clone();
        d.limit = "0".into();
        assert!(d.to_spec(&columns()).unwrap_err().contains("Limit"));

        let mut d = base.clone();
        d.filters[2].value = " , ".into();
        assert!(d.to_spec(&columns()).unwrap_err().contains("commas"));

        let mut d = base;
        d.breakdowns.push(String::new());
        assert!(d.to_spec(&columns()).unwrap_err().contains("Group by"));
    }

    #[test]
    fn another_dataset_starts_over_but_keeps_my_scope() {
        let mut d = Draft::from_spec(&busy_spec());
        d.switch_dataset("bulb");
        let spec = d.to_spec(&[]).unwrap();
        assert_eq!(spec.dataset, "bulb");
        assert_eq!(spec.calculations, vec![Calculation::count()]);
        assert_eq!(
            spec.filters,
            vec![Filter::new("attendee_id", FilterOp::Eq, "a-1")]
        );
        assert!(spec.breakdowns.is_empty() && spec.orders.is_empty() && spec.havings.is_empty());
    }

    #[test]
    fn keys_name_calculations() {
        assert_eq!(calc_key(CalcOp::P95, Some("delay_ms")), "P95(delay_ms)");
        assert_eq!(calc_key(CalcOp::Count, None), "COUNT");
        assert_eq!(
            parse_calc_key("COUNT_DISTINCT(colour)"),
            Some((CalcOp::CountDistinct, Some("colour".into())))
        );
        assert_eq!(parse_calc_key("COUNT"), Some((CalcOp::Count, None)));
        assert_eq!(parse_calc_key("P42"), None);
        let d = Draft::from_spec(&busy_spec());
        assert_eq!(d.calc_keys(), ["COUNT", "P95(duration_ms)"]);
    }

    #[test]
    fn granularities_fit_the_range() {
        assert_eq!(granularity_choices(900), [1, 10, 30, 60, 300]);
        assert_eq!(granularity_choices(3600), [10, 30, 60, 300, 900, 1800]);
        let week = granularity_choices(7 * 86400);
        assert_eq!(week, [900, 1800, 3600, 21600, 86400]);
        for g in week {
            assert!(g >= (7 * 86400u64).div_ceil(TIME_BUCKETS_MAX));
        }
    }

    #[test]
    fn durations_read_naturally() {
        let labels: Vec<_> = TIME_PRESETS.iter().map(|&s| duration_label(s)).collect();
        assert_eq!(labels, ["15 min", "1 h", "6 h", "24 h", "7 days"]);
        assert_eq!(duration_label(30), "30 s");
        assert_eq!(duration_label(7200), "2 h");
    }

    #[test]
    fn every_operator_reads_back_from_its_spelling() {
        for op in CALC_OPS {
            assert_eq!(from_wire::<CalcOp>(op.as_str()), Some(op));
        }
        for op in FILTER_OPS {
            assert_eq!(from_wire::<FilterOp>(op.as_str()), Some(op));
        }
        for op in HAVING_OPS {
            assert_eq!(from_wire::<HavingOp>(having_op_str(op)), Some(op));
        }
    }
}
