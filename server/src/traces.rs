//! One trace, client and server, as a flat list ready to draw as a tree.
//!
//! The server's side is its span events (`bulb` dataset) with that trace id. The
//! client's side is every recorded check run with that trace id: the run itself (a
//! root span whose id is the run id, attributes from its `e2e` event) and each request
//! of its report (span id from the report, parent the run). A server HTTP span's parent
//! is the request span that carried the `traceparent`, so the tree joins up.
//!
//! A report keeps each request's duration but not its start: a request is placed at
//! the start of the server span it caused, else at the start of its step, else at the
//! run's start.

use std::collections::{BTreeMap, HashMap};

use bulbwatch_api::{CheckReport, Scalar, SpanKind, TraceSpan};
use serde_json::{Map, Value};

use crate::error::AppError;
use crate::store::Store;

/// Fields of a span event that are the span's structure, not its attributes.
const STRUCTURE: [&str; 7] = [
    "timestamp",
    "duration_ms",
    "name",
    "trace.trace_id",
    "trace.span_id",
    "trace.parent_id",
    "span.kind",
];

/// Whether `id` is a W3C trace id: 32 lowercase hex digits, not all zero.
pub fn is_trace_id(id: &str) -> bool {
    id.len() == 32
        && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        && id.bytes().any(|b| b != b'0')
}

/// Every span of `trace_id`, oldest first; empty if there is none.
pub async fn spans(store: &Store, trace_id: &str) -> Result<Vec<TraceSpan>, AppError> {
    let mut spans = Vec::new();
    for fields in store.trace_spans(trace_id.to_string()).await? {
        if let Ok(Value::Object(fields)) = serde_json::from_str(&fields)
            && let Some(span) = server_span(&fields)
        {
            spans.push(span);
        }
    }
    // Where each client request landed on the server.
    let mut landed: HashMap<String, f64> = HashMap::new();
    for span in &spans {
        if let Some(parent) = &span.parent_id {
            let start = landed.entry(parent.clone()).or_insert(span.start_ms);
            *start = start.min(span.start_ms);
        }
    }
    for run in store.trace_runs(trace_id.to_string()).await? {
        let report: CheckReport = serde_json::from_str(&run.report)
            .map_err(|e| AppError::internal("reading a stored report", e))?;
        let event: Map<String, Value> = serde_json::from_str(&run.event).unwrap_or_default();
        spans.extend(client_spans(
            trace_id,
            &run.run_id,
            run.started_at_ms,
            &report,
            &event,
            &landed,
        ));
    }
    spans.sort_by(|a, b| a.start_ms.total_cmp(&b.start_ms));
    Ok(spans)
}

fn server_span(fields: &Map<String, Value>) -> Option<TraceSpan> {
    let text = |key: &str| fields.get(key).and_then(Value::as_str).map(str::to_string);
    let number = |key: &str| fields.get(key).and_then(Value::as_f64);
    let kind = match fields.get("span.kind").and_then(Value::as_str) {
        Some("server") => SpanKind::Server,
        Some("client") => SpanKind::Client,
        _ => SpanKind::Internal,
    };
    let attributes = fields
        .iter()
        .filter(|(key, _)| !STRUCTURE.contains(&key.as_str()))
        .filter_map(|(key, value)| Some((key.clone(), scalar(value)?)))
        .collect();
    Some(TraceSpan {
        span_id: text("trace.span_id")?,
        parent_id: text("trace.parent_id"),
        name: text("name").unwrap_or_default(),
        kind,
        start_ms: number("timestamp")?,
        duration_ms: number("duration_ms").unwrap_or(0.0),
        attributes,
    })
}

fn client_spans(
    trace_id: &str,
    run_id: &str,
    started_at_ms: i64,
    report: &CheckReport,
    event: &Map<String, Value>,
    landed: &HashMap<String, f64>,
) -> Vec<TraceSpan> {
    let run_start = started_at_ms as f64;
    let check = event
        .get("check")
        .and_then(Value::as_str)
        .unwrap_or("check");
    let mut spans = vec![TraceSpan {
        span_id: run_id.to_string(),
        parent_id: None,
        name: format!("check run {check}"),
        kind: SpanKind::Client,
        start_ms: run_start,
        duration_ms: report.duration_ms,
        attributes: event
            .iter()
            .filter_map(|(key, value)| Some((key.clone(), scalar(value)?)))
            .collect(),
    }];
    for request in report.requests.iter().filter(|r| r.trace_id == trace_id) {
        let step_start = request
            .step
            .as_ref()
            .and_then(|name| report.steps.iter().find(|s| &s.name == name))
            .map(|step| run_start + step.started_ms);
        let start_ms = landed
            .get(&request.span_id)
            .copied()
            .or(step_start)
            .unwrap_or(run_start);
        let mut attributes = BTreeMap::from([
            (
                "http.request.method".to_string(),
                Scalar::from(request.method.as_str()),
            ),
            ("url.path".to_string(), Scalar::from(request.path.as_str())),
            ("run_id".to_string(), Scalar::from(run_id)),
        ]);
        if let Some(status) = request.status {
            attributes.insert(
                "http.response.status_code".into(),
                Scalar::Number(f64::from(status)),
            );
        }
        if let Some(step) = &request.step {
            attributes.insert("step".into(), Scalar::from(step.as_str()));
        }
        spans.push(TraceSpan {
            span_id: request.span_id.clone(),
            parent_id: Some(run_id.to_string()),
            name: format!("{} {}", request.method, request.path),
            kind: SpanKind::Client,
            start_ms,
            duration_ms: request.duration_ms,
            attributes,
        });
    }
    spans
}

/// A field as an attribute: nulls are left out, arrays and objects become JSON text.
fn scalar(value: &Value) -> Option<Scalar> {
    match value {
        Value::Null => None,
        Value::Bool(b) => Some(Scalar::Bool(*b)),
        Value::Number(n) => n.as_f64().map(Scalar::Number),
        Value::String(s) => Some(Scalar::String(s.clone())),
        other => Some(Scalar::String(other.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::is_trace_id;

    #[test]
    fn trace_ids_are_32_lowercase_hex_not_all_zero() {
        assert!(is_trace_id("0af7651916cd43dd8448eb211c80319c"));
        assert!(!is_trace_id("0AF7651916CD43DD8448EB211C80319C"));
        assert!(!is_trace_id("0af7651916cd43dd8448eb211c80319"));
        assert!(!is_trace_id("0af7651916cd43dd8448eb211c80319g"));
        assert!(!is_trace_id(&"0".repeat(32)));
    }
}
