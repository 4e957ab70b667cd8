//! From a box drawn on a heatmap to the comparison it asks for: the query's events
//! (dataset, filters, time range), split by the box's time window and value range.

use bulbwatch_api::{CompareSpec, Filter, FilterCombination, QuerySpec, Selection};
use bulbwatch_charts::heatmap::HeatmapSelection;

/// The comparison of the events inside `selection` (on the heatmap of `column`) with
/// the rest of the query's events.
pub fn compare_spec(spec: &QuerySpec, column: &str, selection: &HeatmapSelection) -> CompareSpec {
    CompareSpec {
        dataset: spec.dataset.clone(),
        filters: spec.filters.clone(),
        filter_combination: spec.filter_combination,
        time_range: spec.time_range,
        start_time: spec.start_time,
        end_time: spec.end_time,
        selection: Selection::Region {
            column: Some(column.to_owned()),
            min: Some(selection.min_value),
            max: Some(selection.max_value),
            start_time_ms: Some(selection.start_ms),
            end_time_ms: Some(selection.end_ms),
        },
        values_per_column: None,
    }
}

/// The query narrowed by one more filter (a value clicked in the comparison). With OR
/// filters the new one could only widen the query, so the old ones go.
pub fn with_filter(spec: &QuerySpec, filter: Filter) -> QuerySpec {
    let mut next = spec.clone();
    if next.filter_combination == Some(FilterCombination::Or) {
        next.filters.clear();
        next.filter_combination = None;
    }
    if !next.filters.contains(&filter) {
        next.filters.push(filter);
    }
    next
}

#[cfg(test)]
mod tests {
    use super::*;
    use bulbwatch_api::FilterOp;

    #[test]
    fn a_box_becomes_a_region_of_the_query() {
        let spec = QuerySpec {
            dataset: "bulb".into(),
            filters: vec![Filter::new("attendee_id", FilterOp::Eq, "a-1")],
            time_range: Some(3600),
            breakdowns: vec!["colour".into()],
            ..QuerySpec::default()
        };
        let sel = HeatmapSelection {
            start_ms: 1_000,
            end_ms: 61_000,
            min_value: 500.0,
            max_value: 2_000.0,
        };
        let c = compare_spec(&spec, "delay_ms", &sel);
        assert_eq!(c.dataset, "bulb");
        assert_eq!(c.filters, spec.filters);
        assert_eq!(c.time_range, Some(3600));
        assert_eq!(
            c.selection,
            Selection::Region {
                column: Some("delay_ms".into()),
                min: Some(500.0),
                max: Some(2_000.0),
                start_time_ms: Some(1_000),
                end_time_ms: Some(61_000),
            }
        );
        // It is what the server reads.
        let json = serde_json::to_value(&c).unwrap();
        assert_eq!(json["selection"]["kind"], "region");
    }

    #[test]
    fn a_clicked_value_narrows_the_query() {
        let spec = QuerySpec {
            dataset: "e2e".into(),
            filters: vec![Filter::new("attendee_id", FilterOp::Eq, "a-1")],
            ..QuerySpec::default()
        };
        let green = Filter::new("colour", FilterOp::Eq, "green");
        let next = with_filter(&spec, green.clone());
        assert_eq!(next.filters, vec![spec.filters[0].clone(), green.clone()]);
        assert_eq!(with_filter(&next, green.clone()), next);
        let or = QuerySpec {
            filter_combination: Some(FilterCombination::Or),
            ..next
        };
        assert_eq!(with_filter(&or, green.clone()).filters, vec![green]);
    }
}
