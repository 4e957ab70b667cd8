//! The operators the builder offers and their wire spellings (`"P95"`, `"does-not-exist"`,
//! `">="`), and how calculations are named (`P95(duration_ms)`).

use bulbwatch_api::{CalcOp, ColumnType, FilterOp, HavingOp};
use serde::de::DeserializeOwned;

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

#[cfg(test)]
mod tests {
    use super::*;

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
