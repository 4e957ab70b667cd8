//! Checking filters against the table and resolving them to [`Predicate`]s.

use bulbwatch_api::{FILTERS_MAX, Filter, FilterCombination, FilterOp, FilterValue, Scalar};

use crate::predicate::{FilterSet, Ordering, Predicate, TextMatch, parse_bool};
use crate::{EventTable, QueryError};

/// Resolves a list of filters; `prefix` is the field path of the list (`filters`).
pub(crate) fn resolve_filters(
    table: &EventTable,
    prefix: &str,
    filters: &[Filter],
    combination: Option<FilterCombination>,
) -> Result<FilterSet, QueryError> {
    if filters.len() > FILTERS_MAX {
        return Err(QueryError::new(
            prefix,
            format!("at most {FILTERS_MAX} filters, got {}", filters.len()),
        ));
    }
    let predicates = filters
        .iter()
        .enumerate()
        .map(|(i, f)| resolve_filter(table, &format!("{prefix}[{i}]"), f))
        .collect::<Result<_, _>>()?;
    Ok(FilterSet {
        predicates,
        any: combination == Some(FilterCombination::Or),
    })
}

fn shown(v: &FilterValue) -> String {
    match v {
        FilterValue::One(s) => s.to_string(),
        FilterValue::List(l) => format!("a list of {}", l.len()),
    }
}

fn resolve_filter(table: &EventTable, field: &str, f: &Filter) -> Result<Predicate, QueryError> {
    let (column, stats) = table.column(&f.column).ok_or_else(|| {
        QueryError::new(
            format!("{field}.column"),
            format!("unknown column {:?}", f.column),
        )
    })?;
    let value_field = format!("{field}.value");
    let op = f.op;
    let wrong_column = |wants: &str| {
        QueryError::new(
            format!("{field}.column"),
            format!(
                "\"{op}\" reads {wants}, but {:?} holds {}",
                f.column,
                stats.describe()
            ),
        )
    };
    match op {
        FilterOp::Exists | FilterOp::DoesNotExist => {
            if let Some(v) = &f.value {
                return Err(QueryError::new(
                    value_field,
                    format!("\"{op}\" takes no value, got {}", shown(v)),
                ));
            }
            Ok(Predicate::Exists {
                column,
                negate: op == FilterOp::DoesNotExist,
            })
        }
        FilterOp::Lt | FilterOp::Le | FilterOp::Gt | FilterOp::Ge => {
            let value = match &f.value {
                Some(FilterValue::One(Scalar::Number(n))) => *n,
                Some(FilterValue::One(Scalar::String(s)))
                    if s.parse::<f64>().is_ok_and(f64::is_finite) =>
                {
                    s.parse().unwrap_or_default()
                }
                Some(v) => {
                    return Err(QueryError::new(
                        value_field,
                        format!("\"{op}\" needs a number, got {}", shown(v)),
                    ));
                }
                None => {
                    return Err(QueryError::new(
                        value_field,
                        format!("\"{op}\" needs a number"),
                    ));
                }
            };
            if stats.numbers == 0 {
                return Err(wrong_column("numbers"));
            }
            let op = match op {
                FilterOp::Lt => Ordering::Lt,
                FilterOp::Le => Ordering::Le,
                FilterOp::Gt => Ordering::Gt,
                _ => Ordering::Ge,
            };
            Ok(Predicate::Compare { column, op, value })
        }
        FilterOp::Contains
        | FilterOp::DoesNotContain
        | FilterOp::StartsWith
        | FilterOp::DoesNotStartWith => {
            let text = match &f.value {
                Some(FilterValue::One(Scalar::String(s))) => s.clone(),
                Some(v) => {
                    return Err(QueryError::new(
                        value_field,
                        format!("\"{op}\" needs a string, got {}", shown(v)),
                    ));
                }
                None => {
                    return Err(QueryError::new(
                        value_field,
                        format!("\"{op}\" needs a string"),
                    ));
                }
            };
            if stats.strings == 0 {
                return Err(wrong_column("strings"));
            }
            let (text, negate) = match op {
                FilterOp::Contains => (TextMatch::Contains(text), false),
                FilterOp::DoesNotContain => (TextMatch::Contains(text), true),
                FilterOp::StartsWith => (TextMatch::StartsWith(text), false),
                _ => (TextMatch::StartsWith(text), true),
            };
            Ok(Predicate::Match {
                column,
                numbers: Vec::new(),
                bools: [false; 2],
                text,
                negate,
            })
        }
        FilterOp::Eq | FilterOp::Ne | FilterOp::In | FilterOp::NotIn => {
            let list = matches!(op, FilterOp::In | FilterOp::NotIn);
            let values: Vec<&Scalar> = match &f.value {
                None => {
                    return Err(QueryError::new(
                        value_field,
                        format!("\"{op}\" needs a value"),
                    ));
                }
                Some(FilterValue::One(s)) => vec![s],
                Some(FilterValue::List(_)) if !list => {
                    return Err(QueryError::new(
                        value_field,
                        format!("\"{op}\" takes one value, got a list; use \"in\" for a list"),
                    ));
                }
                Some(FilterValue::List(l)) if l.is_empty() || l.len() > FILTERS_MAX => {
                    return Err(QueryError::new(
                        value_field,
                        format!("\"{op}\" needs 1–{FILTERS_MAX} values, got {}", l.len()),
                    ));
                }
                Some(FilterValue::List(l)) => l.iter().collect(),
            };
            Ok(equality(
                column,
                &values,
                matches!(op, FilterOp::Ne | FilterOp::NotIn),
            ))
        }
    }
}

/// Equality with any of `values`: same types compare directly, a string compares with
/// a number or a boolean by its text.
fn equality(column: usize, values: &[&Scalar], negate: bool) -> Predicate {
    let mut lane_numbers = Vec::new();
    let mut lane_bools = [false; 2];
    let mut strings = Vec::new();
    let mut numbers = Vec::new();
    let mut bools = [false; 2];
    for v in values {
        match v {
            Scalar::Number(n) => {
                lane_numbers.push(*n);
                numbers.push(*n);
            }
            Scalar::Bool(b) => {
                lane_bools[usize::from(*b)] = true;
                bools[usize::from(*b)] = true;
            }
            Scalar::String(s) => {
                strings.push(s.clone());
                if let Ok(n) = s.parse::<f64>() {
                    lane_numbers.push(n);
                }
                if let Some(b) = parse_bool(s) {
                    lane_bools[usize::from(b)] = true;
                }
            }
        }
    }
    Predicate::Match {
        column,
        numbers: lane_numbers,
        bools: lane_bools,
        text: TextMatch::Equal {
            strings,
            numbers,
            bools,
        },
        negate,
    }
}
