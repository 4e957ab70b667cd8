//! An example: a busy query using every part of the form, and the columns it is
//! typed by. The builder's own tests and the component tests share it.

use bulbwatch_api::{
    CalcOp, Calculation, ColumnInfo, ColumnType, Filter, FilterCombination, FilterOp, Having,
    HavingOp, Order, QuerySpec, SortOrder,
};

/// Example columns of the `e2e` dataset, one of each type.
pub fn example_columns() -> Vec<ColumnInfo> {
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

/// An example spec that uses every part of the builder: each calculation kind, filters
/// of every value shape, group by, orderings, limit, having, time range and buckets.
pub fn example_spec() -> QuerySpec {
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
