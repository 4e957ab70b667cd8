//! The builder's form as plain data: a [`Draft`] is made from a [`QuerySpec`], edited
//! field by field as text, and turned back into a spec (typing the filter values by the
//! column's type) when the query runs. Plain Rust, so it is tested natively.

use bulbwatch_api::{
    CalcOp, Calculation, ColumnInfo, FilterCombination, Having, HavingOp, Order, QUERY_LIMIT_MAX,
    QuerySpec, SortOrder, TIME_RANGE_DEFAULT_S,
};

use super::filter_row::{FilterRow, filter, filter_row, number_text};
use super::ops::{calc_key, parse_calc_key};
use super::time_choice::TimeChoice;
use crate::query_url::ATTENDEE_COLUMN;

/// One calculation row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalcRow {
    /// The operator.
    pub op: CalcOp,
    /// Its column (ignored for `COUNT`); empty until chosen.
    pub column: String,
}

impl CalcRow {
    /// A `COUNT` row, the one a form starts with.
    pub fn count() -> Self {
        Self {
            op: CalcOp::Count,
            column: String::new(),
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
            vec![CalcRow::count()]
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
                _ if spec.fit => TimeChoice::Fit(spec.time_range.unwrap_or(TIME_RANGE_DEFAULT_S)),
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
            TimeChoice::Fit(s) => {
                spec.time_range = Some(s);
                spec.fit = true;
            }
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
        self.calculations = vec![CalcRow::count()];
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

/// The spec's calculation a row describes.
fn calculation(row: &CalcRow) -> Result<Calculation, String> {
    if row.op == CalcOp::Count {
        return Ok(Calculation::count());
    }
    if row.column.is_empty() {
        return Err(format!("Calculation {}: choose a column.", row.op));
    }
    Ok(Calculation::of(row.op, row.column.clone()))
}

/// The spec's ordering a row describes.
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

/// The spec's having a row describes.
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
    use crate::builder::example::{example_columns, example_spec};
    use bulbwatch_api::{Filter, FilterOp};

    #[test]
    fn a_spec_survives_the_form() {
        let spec = example_spec();
        assert_eq!(
            Draft::from_spec(&spec).to_spec(&example_columns()),
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
    fn a_fitted_range_survives_the_form_and_an_explicit_one_stays_exact() {
        let fitted = QuerySpec {
            dataset: "e2e".into(),
            calculations: vec![Calculation::count()],
            time_range: Some(7200),
            fit: true,
            ..QuerySpec::default()
        };
        let draft = Draft::from_spec(&fitted);
        assert_eq!(draft.time, TimeChoice::Fit(7200));
        assert_eq!(draft.time.seconds(), Some(7200));
        assert_eq!(draft.to_spec(&[]), Ok(fitted.clone()));
        // "Last 15 minutes" chosen is exactly that: no fitting.
        let mut last = draft;
        last.time = TimeChoice::Last(900);
        let spec = last.to_spec(&[]).unwrap();
        assert_eq!((spec.time_range, spec.fit), (Some(900), false));
    }

    #[test]
    fn mistakes_are_named() {
        let columns = example_columns();
        let base = Draft::from_spec(&example_spec());
        let mut d = base.clone();
        d.filters[3].value = "lots".into();
        let e = d.to_spec(&columns).unwrap_err();
        assert!(e.contains("queue_length") && e.contains("lots"), "{e}");

        let mut d = base.clone();
        d.filters[1].value = "maybe".into();
        assert!(d.to_spec(&columns).unwrap_err().contains("true or false"));

        let mut d = base.clone();
        d.calculations[1].column.clear();
        assert!(d.to_spec(&columns).unwrap_err().contains("P95"));

        let mut d = base.clone();
        d.limit = "0".into();
        assert!(d.to_spec(&columns).unwrap_err().contains("Limit"));

        let mut d = base.clone();
        d.filters[2].value = " , ".into();
        assert!(d.to_spec(&columns).unwrap_err().contains("commas"));

        let mut d = base;
        d.breakdowns.push(String::new());
        assert!(d.to_spec(&columns).unwrap_err().contains("Group by"));
    }

    #[test]
    fn another_dataset_starts_over_but_keeps_my_scope() {
        let mut d = Draft::from_spec(&example_spec());
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
    fn calc_keys_leave_out_the_heatmap() {
        let d = Draft::from_spec(&example_spec());
        assert_eq!(d.calc_keys(), ["COUNT", "P95(duration_ms)"]);
    }
}
