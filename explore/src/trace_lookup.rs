//! From a heatmap cell to a trace: one query for the trace ids of the events in the
//! cell's time bucket and value bucket (with the query's own filters), the trace with
//! the most events first.

use bulbwatch_api::{
    CalcOp, Calculation, Filter, FilterCombination, FilterOp, Order, QuerySpec, Scalar, SortOrder,
};
use bulbwatch_app::api::ApiFailure;
use bulbwatch_charts::heatmap::HeatmapCell;

use crate::api;

/// Trace ids asked for: a few, in case the first has none.
const TRACES_ASKED: u32 = 5;

/// A trace with an event in `cell` of the heatmap of `column` drawn for `query`; `None`
/// when no event there has a trace id.
pub async fn trace_in_cell(
    query: &QuerySpec,
    column: &str,
    cell: &HeatmapCell,
) -> Result<Option<String>, ApiFailure> {
    let answer = api::query(&cell_query(query, column, cell, false)).await?;
    if let Some(id) = first_trace(&answer.result) {
        return Ok(Some(id));
    }
    // The top value bucket also holds its upper edge (the heatmap does not say which
    // cell is on top, so only ask again when the half-open bucket was empty).
    let answer = api::query(&cell_query(query, column, cell, true)).await?;
    Ok(first_trace(&answer.result))
}

/// The query for the trace ids in `cell`: its time bucket (whole seconds around it),
/// the query's filters, `column >= min_value`, `column < max_value` (`<=` when
/// `closed`), the trace id exists; grouped by the trace id ([`trace_column`]), most
/// events first.
///
/// Filters combine with one operator: when the query's are `OR`ed, they are left out
/// (the cell's own bounds still hold).
pub fn cell_query(query: &QuerySpec, column: &str, cell: &HeatmapCell, closed: bool) -> QuerySpec {
    let ored = query.filter_combination == Some(FilterCombination::Or) && query.filters.len() > 1;
    let mut filters = if ored {
        Vec::new()
    } else {
        query.filters.clone()
    };
    filters.push(Filter::new(column, FilterOp::Ge, cell.min_value));
    filters.push(Filter::new(
        column,
        if closed { FilterOp::Le } else { FilterOp::Lt },
        cell.max_value,
    ));
    let trace = trace_column(&query.dataset);
    filters.push(Filter::bare(trace, FilterOp::Exists));
    QuerySpec {
        dataset: query.dataset.clone(),
        calculations: vec![Calculation::count()],
        filters,
        breakdowns: vec![trace.into()],
        orders: vec![Order {
            column: None,
            op: Some(CalcOp::Count),
            order: Some(SortOrder::Descending),
        }],
        limit: Some(TRACES_ASKED),
        start_time: Some(cell.start_ms.div_euclid(1000)),
        end_time: Some((cell.end_ms + 999).div_euclid(1000)),
        ..QuerySpec::default()
    }
}

/// The column that holds the trace id: a check run's `trace_id` in `e2e`, the span's
/// `trace.trace_id` in `bulb`.
pub fn trace_column(dataset: &str) -> &'static str {
    if dataset == "bulb" {
        "trace.trace_id"
    } else {
        "trace_id"
    }
}

/// The first group's trace id.
fn first_trace(result: &bulbwatch_api::QueryResult) -> Option<String> {
    result
        .totals
        .iter()
        .find_map(|row| match row.group.first() {
            Some(Some(Scalar::String(id))) if !id.is_empty() => Some(id.clone()),
            _ => None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use bulbwatch_api::{GroupRow, QueryResult};

    fn cell() -> HeatmapCell {
        HeatmapCell {
            start_ms: 1_767_225_630_000,
            end_ms: 1_767_225_660_500,
            min_value: 200.0,
            max_value: 400.0,
            count: 7,
        }
    }

    fn drawn() -> QuerySpec {
        QuerySpec {
            dataset: "bulb".into(),
            calculations: vec![Calculation::of(CalcOp::Heatmap, "duration_ms")],
            filters: vec![Filter::new("http.route", FilterOp::Eq, "/api/bulb")],
            breakdowns: vec!["colour".into()],
            time_range: Some(3600),
            granularity: Some(30),
            limit: Some(100),
            ..QuerySpec::default()
        }
    }

    #[test]
    fn the_cell_becomes_bounds_on_time_and_value() {
        let spec = cell_query(&drawn(), "duration_ms", &cell(), false);
        assert_eq!(spec.dataset, "bulb");
        assert_eq!(
            spec.filters,
            vec![
                Filter::new("http.route", FilterOp::Eq, "/api/bulb"),
                Filter::new("duration_ms", FilterOp::Ge, 200.0),
                Filter::new("duration_ms", FilterOp::Lt, 400.0),
                Filter::bare("trace.trace_id", FilterOp::Exists),
            ]
        );
        assert_eq!(spec.start_time, Some(1_767_225_630));
        assert_eq!(spec.end_time, Some(1_767_225_661), "rounded out to seconds");
        assert_eq!(spec.time_range, None);
        assert_eq!(spec.granularity, None);
        assert_eq!(spec.breakdowns, vec!["trace.trace_id".to_string()]);
        assert_eq!(spec.calculations, vec![Calculation::count()]);
        assert_eq!(spec.limit, Some(TRACES_ASKED));
        assert_eq!(spec.orders[0].op, Some(CalcOp::Count));
        let closed = cell_query(&drawn(), "duration_ms", &cell(), true);
        assert_eq!(
            closed.filters[2],
            Filter::new("duration_ms", FilterOp::Le, 400.0)
        );
        // It is a spec the server takes: it survives the wire.
        let json = serde_json::to_value(&spec).unwrap();
        assert_eq!(
            json["filters"][3],
            serde_json::json!({"column": "trace.trace_id", "op": "exists"})
        );
        // Check runs keep theirs as `trace_id`.
        let runs = QuerySpec {
            dataset: "e2e".into(),
            ..drawn()
        };
        assert_eq!(
            cell_query(&runs, "duration_ms", &cell(), false).breakdowns,
            vec!["trace_id".to_string()]
        );
    }

    #[test]
    fn ored_filters_are_left_out() {
        let mut q = drawn();
        q.filters.push(Filter::new("colour", FilterOp::Eq, "red"));
        q.filter_combination = Some(FilterCombination::Or);
        let spec = cell_query(&q, "duration_ms", &cell(), false);
        assert_eq!(spec.filters.len(), 3);
        assert_eq!(spec.filter_combination, None);
        assert_eq!(spec.filters[0].column, "duration_ms");
    }

    #[test]
    fn the_first_named_trace_wins() {
        let result = QueryResult {
            start_time_ms: 0,
            end_time_ms: 0,
            granularity_ms: 0,
            breakdowns: vec!["trace_id".into()],
            calculations: vec![],
            matched_events: 3,
            totals: vec![
                GroupRow {
                    group: vec![None],
                    values: vec![Some(2.0)],
                },
                GroupRow {
                    group: vec![Some(Scalar::from("ab".repeat(16)))],
                    values: vec![Some(1.0)],
                },
            ],
            series: vec![],
            heatmaps: vec![],
            groups_truncated: false,
        };
        assert_eq!(first_trace(&result), Some("ab".repeat(16)));
    }
}
