//! Every request carries a W3C traceparent: the run's trace id, a fresh span id.

use std::collections::HashSet;

use bulbwatch_checks::{is_valid_span_id, is_valid_trace_id};

use super::support::*;

#[test]
fn every_request_carries_the_runs_trace_and_a_fresh_span() {
    let run = run(r#"
        bulb.set("red");
        bulb.get();
        step("s", || { http.get("/text"); http.post("/echo", #{}); });
    "#);
    run.assert_passed();
    let bulb = run.bulb.borrow();
    assert_eq!(bulb.requests.len(), 4);
    let mut spans = HashSet::new();
    for (sent, reported) in bulb.requests.iter().zip(&run.report.requests) {
        let header = sent.header("traceparent").expect("traceparent");
        let parts: Vec<&str> = header.split('-').collect();
        assert_eq!(parts.len(), 4, "{header}");
        assert_eq!(parts[0], "00");
        assert_eq!(parts[1], trace_id());
        assert!(is_valid_trace_id(parts[1]));
        assert!(is_valid_span_id(parts[2]), "{header}");
        assert_eq!(parts[3], "01");
        assert!(
            spans.insert(parts[2].to_string()),
            "span id reused: {header}"
        );
        // The report names the same ids the server saw.
        assert_eq!(reported.trace_id, parts[1]);
        assert_eq!(reported.span_id, parts[2]);
    }
}

#[test]
fn content_type_is_sent_only_with_a_body() {
    let run = run(r#"bulb.get(); bulb.set("red"); http.post("/echo");"#);
    let bulb = run.bulb.borrow();
    let types: Vec<Option<&str>> = bulb
        .requests
        .iter()
        .map(|r| r.header("content-type"))
        .collect();
    assert_eq!(types, [None, Some("application/json"), None]);
}
