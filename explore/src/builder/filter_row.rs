//! A filter row as typed — the value as text, `in` lists comma-separated — and its value
//! typed back by the column's type (or as the spec had it, or by its look) when the
//! query runs.

use bulbwatch_api::{ColumnInfo, ColumnType, Filter, FilterOp, FilterValue, Scalar};

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

/// The kind of a spec's value.
fn kind_of(s: &Scalar) -> ValueKind {
    match s {
        Scalar::Bool(_) => ValueKind::Bool,
        Scalar::Number(_) => ValueKind::Number,
        Scalar::String(_) => ValueKind::String,
    }
}

/// The row showing a spec's filter.
pub fn filter_row(f: &Filter) -> FilterRow {
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

/// A value's kind by its look: `true`/`false`, a number, or else a string.
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

/// The spec's filter the `i`th row describes; or its problem, for people.
pub fn filter(i: usize, row: &FilterRow, columns: &[ColumnInfo]) -> Result<Filter, String> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builder::example::example_columns;

    fn row(column: &str, op: FilterOp, value: &str) -> FilterRow {
        FilterRow {
            column: column.into(),
            op,
            value: value.into(),
            kind: None,
        }
    }

    fn typed_filter(row: &FilterRow) -> Filter {
        filter(0, row, &example_columns()).unwrap()
    }

    #[test]
    fn values_are_typed_by_their_column() {
        assert_eq!(
            typed_filter(&row("queue_length", FilterOp::Eq, " 4 ")),
            Filter::new("queue_length", FilterOp::Eq, 4.0)
        );
        assert_eq!(
            typed_filter(&row("success", FilterOp::Ne, "TRUE")),
            Filter::new("success", FilterOp::Ne, true)
        );
        assert_eq!(
            typed_filter(&row("colour", FilterOp::Eq, "12")),
            Filter::new("colour", FilterOp::Eq, "12")
        );
        assert_eq!(
            typed_filter(&row("queue_length", FilterOp::NotIn, "1, 2,,3")).value,
            Some(FilterValue::List(vec![1.0.into(), 2.0.into(), 3.0.into()]))
        );
        // Unknown columns: by the value's look.
        assert_eq!(
            typed_filter(&row("shard", FilterOp::Eq, "7")),
            Filter::new("shard", FilterOp::Eq, 7.0)
        );
    }
}
