//! Each invalid spec is refused with an error naming the field at fault.

use bulbwatch_api::{CompareSpec, QuerySpec};
use bulbwatch_query::{EventTable, compare, execute};
use serde_json::json;

use crate::generate::T0;

fn table() -> EventTable {
    let mut t = EventTable::new();
    for i in 0..50 {
        let colour = if i % 3 == 0 { "green" } else { "red" };
        let request_id = format!("req-{i}");
        t.push(
            T0 + i * 1000,
            &[
                ("duration_ms", (i as f64 * 10.0).into()),
                ("colour", colour.into()),
                ("success", (i % 4 != 0).into()),
                ("attendee", format!("a{}", i % 7).as_str().into()),
                ("request_id", request_id.as_str().into()),
            ],
        );
    }
    t
}

fn refused(spec: serde_json::Value) -> (String, String) {
    let mut spec = spec;
    spec["dataset"] = json!("bulb");
    if spec.get("time_range").is_none() && spec.get("start_time").is_none() {
        spec["start_time"] = json!(T0 / 1000);
        spec["end_time"] = json!(T0 / 1000 + 3600);
    }
    let spec: QuerySpec = serde_json::from_value(spec).unwrap();
    let e = execute(&table(), &spec, T0 + 3_600_000).expect_err("refused");
    (e.field, e.message)
}

#[test]
fn invalid_specs_name_the_field_at_fault() {
    let cases = [
        (
            json!({"calculations": [{"op": "COUNT"}, {"op": "P95", "column": "dur"}]}),
            "calculations[1].column",
            "unknown column \"dur\"",
        ),
        (
            json!({"calculations": [{"op": "AVG"}]}),
            "calculations[0].column",
            "AVG needs a column",
        ),
        (
            json!({"calculations": [{"op": "COUNT", "column": "colour"}]}),
            "calculations[0].column",
            "takes no column",
        ),
        (
            json!({"calculations": [{"op": "SUM", "column": "colour"}]}),
            "calculations[0].column",
            "SUM needs numbers, but \"colour\" holds strings",
        ),
        (
            json!({"calculations": [{"op": "HEATMAP", "column": "success"}]}),
            "calculations[0].column",
            "holds booleans",
        ),
        (
            json!({"calculations": vec![json!({"op": "COUNT"}); 21]}),
            "calculations",
            "at most 20",
        ),
        (
            json!({"filters": [{"column": "duration_ms", "op": ">", "value": "abc"}]}),
            "filters[0].value",
            "\">\" needs a number, got \"abc\"",
        ),
        (
            json!({"filters": [{"column": "duration_ms", "op": "<"}]}),
            "filters[0].value",
            "needs a number",
        ),
        (
            json!({"filters": [{"column": "colour", "op": ">=", "value": 3}]}),
            "filters[0].column",
            "reads numbers, but \"colour\" holds strings",
        ),
        (
            json!({"filters": [{"column": "nope", "op": "exists"}]}),
            "filters[0].column",
            "unknown column \"nope\"",
        ),
        (
            json!({"filters": [{"column": "colour", "op": "exists", "value": 1}]}),
            "filters[0].value",
            "takes no value",
        ),
        (
            json!({"filters": [{"column": "colour", "op": "contains", "value": 3}]}),
            "filters[0].value",
            "needs a string",
        ),
        (
            json!({"filters": [{"column": "duration_ms", "op": "contains", "value": "3"}]}),
            "filters[0].column",
            "reads strings",
        ),
        (
            json!({"filters": [{"column": "colour", "op": "=", "value": ["a", "b"]}]}),
            "filters[0].value",
            "use \"in\"",
        ),
        (
            json!({"filters": [{"column": "colour", "op": "in", "value": []}]}),
            "filters[0].value",
            "needs 1–50 values",
        ),
        (
            json!({"filters": [{"column": "colour", "op": "!="}]}),
            "filters[0].value",
            "needs a value",
        ),
        (
            json!({"breakdowns": ["colour", "shade"]}),
            "breakdowns[1]",
            "unknown column \"shade\"",
        ),
        (
            json!({"breakdowns": ["colour", "colour"]}),
            "breakdowns[1]",
            "listed twice",
        ),
        (
            json!({"breakdowns": ["request_id"], "time_range": 7200}),
            "breakdowns",
            "",
        ),
        (
            json!({"orders": [{"op": "P95", "column": "duration_ms"}]}),
            "orders[0]",
            "P95(duration_ms) is not among the calculations",
        ),
        (
            json!({"orders": [{"column": "colour"}]}),
            "orders[0].column",
            "not a breakdown",
        ),
        (
            json!({"orders": [{"order": "ascending"}]}),
            "orders[0]",
            "give op",
        ),
        (
            json!({"calculations": [{"op": "HEATMAP", "column": "duration_ms"}], "orders": [{"op": "HEATMAP", "column": "duration_ms"}]}),
            "orders[0].op",
            "HEATMAP",
        ),
        (
            json!({"havings": [{"calculate_op": "AVG", "column": "duration_ms", "op": ">", "value": 1}]}),
            "havings[0]",
            "AVG(duration_ms) is not among",
        ),
        (json!({"limit": 0}), "limit", "must be 1–1000, got 0"),
        (json!({"limit": 1001}), "limit", "must be 1–1000"),
        (
            json!({"time_range": 7200, "granularity": 7}),
            "granularity",
            "must be at least time_range/1000 = 8 s",
        ),
        (
            json!({"time_range": 60, "granularity": 61}),
            "granularity",
            "at most the time range",
        ),
        (json!({"time_range": 0}), "time_range", "must be 1–"),
        (
            json!({"time_range": 60, "start_time": 1, "end_time": 61}),
            "time_range",
            "at most two",
        ),
        (
            json!({"start_time": 100, "end_time": 100}),
            "end_time",
            "end after it starts",
        ),
        (
            json!({"start_time": 100, "end_time": 100_000_000}),
            "end_time",
            "at most",
        ),
    ];
    for (spec, field, fragment) in cases {
        let shown = spec.to_string();
        let (got_field, message) = if field == "breakdowns" {
            // Too many groups needs more distinct values than the small table has.
            too_many_groups()
        } else {
            refused(spec)
        };
        assert_eq!(got_field, field, "{shown}: {message}");
        assert!(
            message.contains(fragment),
            "{shown}: {message:?} lacks {fragment:?}"
        );
    }
}

fn too_many_groups() -> (String, String) {
    let mut t = EventTable::new();
    for i in 0..(bulbwatch_query::MAX_GROUPS as i64 + 1) {
        t.push(
            T0 + i,
            &[("request_id", format!("req-{i}").as_str().into())],
        );
    }
    let spec: QuerySpec = serde_json::from_value(json!({
        "dataset": "bulb", "time_range": 7200, "breakdowns": ["request_id"]
    }))
    .unwrap();
    let e = execute(&t, &spec, T0 + 3_600_000).expect_err("too many groups");
    assert!(e.message.contains("too many groups"), "{e}");
    (e.field, e.message)
}

#[test]
fn invalid_comparisons_name_the_field_at_fault() {
    let cases = [
        (
            json!({"kind": "region", "column": "dur", "min": 1}),
            json!({}),
            "selection.column",
            "unknown column",
        ),
        (
            json!({"kind": "region", "column": "colour", "min": 1}),
            json!({}),
            "selection.column",
            "needs numbers",
        ),
        (
            json!({"kind": "region", "min": 1}),
            json!({}),
            "selection.column",
            "needs the column",
        ),
        (
            json!({"kind": "region", "column": "duration_ms", "min": 5, "max": 1}),
            json!({}),
            "selection.min",
            "must not exceed max",
        ),
        (
            json!({"kind": "region", "start_time_ms": 5, "end_time_ms": 5}),
            json!({}),
            "selection.end_time_ms",
            "end after",
        ),
        (
            json!({"kind": "filters", "filters": [{"column": "x", "op": "exists"}]}),
            json!({}),
            "selection.filters[0].column",
            "unknown column",
        ),
        (
            json!({"kind": "region"}),
            json!({"filters": [{"column": "duration_ms", "op": ">", "value": "a"}]}),
            "filters[0].value",
            "needs a number",
        ),
        (
            json!({"kind": "region"}),
            json!({"values_per_column": 0}),
            "values_per_column",
            "1–50",
        ),
    ];
    for (selection, extra, field, fragment) in cases {
        let mut spec = json!({"dataset": "bulb", "time_range": 7200, "selection": selection});
        for (k, v) in extra.as_object().unwrap() {
            spec[k] = v.clone();
        }
        let shown = spec.to_string();
        let spec: CompareSpec = serde_json::from_value(spec).unwrap();
        let e = compare(&table(), &spec, T0 + 3_600_000).expect_err("refused");
        assert_eq!(e.field, field, "{shown}: {e}");
        assert!(e.message.contains(fragment), "{shown}: {e}");
    }
}

#[test]
fn a_valid_spec_runs_and_errors_display_field_first() {
    let spec: QuerySpec = serde_json::from_value(json!({
        "dataset": "bulb", "start_time": T0 / 1000, "end_time": T0 / 1000 + 60,
        "calculations": [{"op": "COUNT"}, {"op": "AVG", "column": "duration_ms"}],
        "filters": [{"column": "colour", "op": "=", "value": "green"},
                    {"column": "success", "op": "=", "value": "true"}],
        "breakdowns": ["attendee"], "orders": [{"column": "attendee"}], "limit": 2
    }))
    .unwrap();
    let r = execute(&table(), &spec, T0).unwrap();
    // i % 3 == 0 and i % 4 != 0 within the first minute (i < 50).
    let matched = (0..50).filter(|i| i % 3 == 0 && i % 4 != 0).count();
    assert_eq!(r.matched_events as usize, matched);
    assert_eq!(r.totals.len(), 2);
    assert!(r.groups_truncated);
    let e = execute(
        &table(),
        &QuerySpec {
            limit: Some(0),
            ..spec
        },
        T0,
    )
    .unwrap_err();
    assert_eq!(e.to_string(), "limit: must be 1–1000, got 0");
}
