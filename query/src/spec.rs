//! Checking a [`QuerySpec`] against a table and turning it into a [`Plan`]: columns
//! resolved to ids, filters to typed predicates, orders and havings to calculation
//! indexes, the time range and buckets to milliseconds (fitted to the data when the
//! spec asks, see `spec::fit`). Every error names its field.

pub(crate) mod filter;
mod fit;
pub(crate) mod time;

use bulbwatch_api::{
    BREAKDOWNS_MAX, CALCULATIONS_MAX, CalcOp, Calculation, CalculationLabel, HavingOp,
    QUERY_LIMIT_DEFAULT, QUERY_LIMIT_MAX, QuerySpec, SortOrder,
};

use crate::predicate::FilterSet;
use crate::{EventTable, QueryError};
pub(crate) use time::{Buckets, TimeRange};

/// Most groups a query may make (before havings and limit); more is an error.
pub const MAX_GROUPS: usize = 10_000;

/// A calculation other than HEATMAP, resolved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct PlannedCalc {
    pub(crate) op: CalcOp,
    pub(crate) column: Option<usize>,
}

/// What a group is ordered by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum OrderKey {
    /// Index into [`Plan::calcs`].
    Calc(usize),
    /// Index into [`Plan::breakdowns`].
    Breakdown(usize),
}

/// One ordering, resolved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct PlannedOrder {
    pub(crate) key: OrderKey,
    pub(crate) descending: bool,
}

/// One having, resolved.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct PlannedHaving {
    pub(crate) calc: usize,
    pub(crate) op: HavingOp,
    pub(crate) value: f64,
}

/// A checked spec, ready to run.
#[derive(Clone, Debug)]
pub(crate) struct Plan {
    pub(crate) range: TimeRange,
    pub(crate) buckets: Buckets,
    pub(crate) filters: FilterSet,
    pub(crate) breakdowns: Vec<usize>,
    pub(crate) calcs: Vec<PlannedCalc>,
    pub(crate) labels: Vec<CalculationLabel>,
    /// HEATMAP columns: id and name.
    pub(crate) heatmaps: Vec<(usize, String)>,
    pub(crate) orders: Vec<PlannedOrder>,
    pub(crate) havings: Vec<PlannedHaving>,
    pub(crate) limit: usize,
}

fn unknown(field: String, name: &str) -> QueryError {
    QueryError::new(field, format!("unknown column {name:?}"))
}

/// `COUNT`, `P95(duration_ms)`.
fn label(op: CalcOp, column: Option<&str>) -> String {
    match column {
        Some(c) => format!("{op}({c})"),
        None => op.to_string(),
    }
}

/// Checks a calculation; answers its column id.
fn resolve_calculation(
    table: &EventTable,
    field: &str,
    calc: &Calculation,
) -> Result<Option<usize>, QueryError> {
    let op = calc.op;
    let column_field = format!("{field}.column");
    let Some(name) = &calc.column else {
        if op == CalcOp::Count {
            return Ok(None);
        }
        return Err(QueryError::new(
            column_field,
            format!("{op} needs a column"),
        ));
    };
    if op == CalcOp::Count {
        return Err(QueryError::new(
            column_field,
            format!(
                "COUNT counts events and takes no column (got {name:?}); use COUNT_DISTINCT to count values"
            ),
        ));
    }
    let (id, stats) = table
        .column(name)
        .ok_or_else(|| unknown(column_field.clone(), name))?;
    if op.is_numeric() && stats.numbers == 0 {
        return Err(QueryError::new(
            column_field,
            format!(
                "{op} needs numbers, but {name:?} holds {}",
                stats.describe()
            ),
        ));
    }
    Ok(Some(id))
}

/// Finds the calculation `op(column)` among the spec's, for orders and havings.
fn find_calc(
    spec_calcs: &[Calculation],
    field: &str,
    op: CalcOp,
    column: Option<&String>,
) -> Result<usize, QueryError> {
    if op == CalcOp::Heatmap {
        return Err(QueryError::new(
            format!("{field}.op"),
            "a HEATMAP has no single value to use here",
        ));
    }
    spec_calcs
        .iter()
        .filter(|c| c.op != CalcOp::Heatmap)
        .position(|c| c.op == op && c.column.as_ref() == column)
        .ok_or_else(|| {
            QueryError::new(
                field,
                format!(
                    "{} is not among the calculations; add it there first",
                    label(op, column.map(String::as_str))
                ),
            )
        })
}

impl Plan {
    /// Checks `spec` against `table` and resolves it; `now_ms` anchors relative ranges.
    pub(crate) fn new(
        table: &EventTable,
        spec: &QuerySpec,
        now_ms: i64,
    ) -> Result<Self, QueryError> {
        let range = time::resolve_range(spec.time_range, spec.start_time, spec.end_time, now_ms)?;
        let buckets = time::resolve_buckets(range, spec.granularity)?;

        if spec.calculations.len() > CALCULATIONS_MAX {
            return Err(QueryError::new(
                "calculations",
                format!(
                    "at most {CALCULATIONS_MAX} calculations, got {}",
                    spec.calculations.len()
                ),
            ));
        }
        let default_calcs = [Calculation::count()];
        let spec_calcs: &[Calculation] = if spec.calculations.is_empty() {
            &default_calcs
        } else {
            &spec.calculations
        };
        let mut calcs = Vec::new();
        let mut labels = Vec::new();
        let mut heatmaps = Vec::new();
        for (i, c) in spec_calcs.iter().enumerate() {
            let column = resolve_calculation(table, &format!("calculations[{i}]"), c)?;
            if c.op == CalcOp::Heatmap {
                heatmaps.push((
                    column.unwrap_or_default(),
                    c.column.clone().unwrap_or_default(),
                ));
            } else {
                calcs.push(PlannedCalc { op: c.op, column });
                labels.push(CalculationLabel {
                    op: c.op,
                    column: c.column.clone(),
                    label: label(c.op, c.column.as_deref()),
                });
            }
        }

        let filters =
            filter::resolve_filters(table, "filters", &spec.filters, spec.filter_combination)?;

        if spec.breakdowns.len() > BREAKDOWNS_MAX {
            return Err(QueryError::new(
                "breakdowns",
                format!(
                    "at most {BREAKDOWNS_MAX} breakdowns, got {}",
                    spec.breakdowns.len()
                ),
            ));
        }
        let mut breakdowns = Vec::new();
        for (i, name) in spec.breakdowns.iter().enumerate() {
            let field = format!("breakdowns[{i}]");
            if spec.breakdowns[..i].contains(name) {
                return Err(QueryError::new(field, format!("{name:?} is listed twice")));
            }
            breakdowns.push(table.column(name).ok_or_else(|| unknown(field, name))?.0);
        }

        let mut orders = Vec::new();
        for (i, o) in spec.orders.iter().enumerate() {
            let field = format!("orders[{i}]");
            let key = match (&o.op, &o.column) {
                (Some(op), column) => OrderKey::Calc(find_calc(spec_calcs, &field, *op, column.as_ref())?),
                (None, Some(column)) => OrderKey::Breakdown(
                    spec.breakdowns.iter().position(|b| b == column).ok_or_else(|| {
                        QueryError::new(
                            format!("{field}.column"),
                            format!("{column:?} is not a breakdown; to order by a calculation, give its op"),
                        )
                    })?,
                ),
                (None, None) => {
                    return Err(QueryError::new(
                        field,
                        "give op (a calculation) or column (a breakdown) to order by",
                    ));
                }
            };
            let descending = match o.order {
                Some(order) => order == SortOrder::Descending,
                None => matches!(key, OrderKey::Calc(_)),
            };
            orders.push(PlannedOrder { key, descending });
        }
        if spec.orders.is_empty() && !calcs.is_empty() {
            orders.push(PlannedOrder {
                key: OrderKey::Calc(0),
                descending: true,
            });
        }

        let mut havings = Vec::new();
        for (i, h) in spec.havings.iter().enumerate() {
            let field = format!("havings[{i}]");
            let calc = find_calc(spec_calcs, &field, h.calculate_op, h.column.as_ref())
                .map_err(|e| QueryError::new(e.field.replace(".op", ".calculate_op"), e.message))?;
            if !h.value.is_finite() {
                return Err(QueryError::new(
                    format!("{field}.value"),
                    "must be a finite number",
                ));
            }
            havings.push(PlannedHaving {
                calc,
                op: h.op,
                value: h.value,
            });
        }

        let limit = spec.limit.unwrap_or(QUERY_LIMIT_DEFAULT);
        if !(1..=QUERY_LIMIT_MAX).contains(&limit) {
            return Err(QueryError::new(
                "limit",
                format!("must be 1–{QUERY_LIMIT_MAX}, got {limit}"),
            ));
        }

        // Last, once the spec is known to be good: the granularity was checked against
        // the whole range, and the fitted window is at least one bucket long.
        let (range, buckets) = if spec.fit {
            let first = fit::first_match(table, &filters, range);
            let fitted = fit::fit_range(range, first, spec.granularity);
            (fitted, time::resolve_buckets(fitted, spec.granularity)?)
        } else {
            (range, buckets)
        };

        Ok(Plan {
            range,
            buckets,
            filters,
            breakdowns,
            calcs,
            labels,
            heatmaps,
            orders,
            havings,
            limit: limit as usize,
        })
    }
}
