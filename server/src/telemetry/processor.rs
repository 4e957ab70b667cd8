//! Closed spans become wide events: one flat JSON object per span, every attribute a
//! column, queued for the event writer without ever waiting.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bulbwatch_api::Dataset;
use opentelemetry::trace::SpanKind;
use opentelemetry::{Array, Context, Value};
use opentelemetry_sdk::error::OTelSdkResult;
use opentelemetry_sdk::trace::{Span, SpanData, SpanProcessor};
use serde_json::{Map, Value as Json};

use super::SERVICE_NAME;
use crate::events::{EventSink, NewEvent};

/// The span processor that feeds the event store.
#[derive(Debug)]
pub(super) struct EventProcessor {
    sink: EventSink,
}

impl EventProcessor {
    pub(super) fn new(sink: EventSink) -> Self {
        Self { sink }
    }
}

impl SpanProcessor for EventProcessor {
    fn on_start(&self, _span: &mut Span, _cx: &Context) {}

    fn on_end(&self, span: SpanData) {
        self.sink.send(span_event(&span));
    }

    fn force_flush(&self) -> OTelSdkResult {
        Ok(())
    }

    fn shutdown_with_timeout(&self, _timeout: Duration) -> OTelSdkResult {
        Ok(())
    }
}

fn ms_since_epoch(t: SystemTime) -> f64 {
    t.duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

/// The `bulb` event of a closed span: its attributes, plus `timestamp` (start, ms),
/// `duration_ms`, `name`, `trace.trace_id`, `trace.span_id`, `trace.parent_id` (not on
/// a root), `span.kind` and `service.name`.
pub fn span_event(span: &SpanData) -> NewEvent {
    let mut fields = Map::new();
    for kv in &span.attributes {
        fields.insert(kv.key.as_str().to_string(), json_value(&kv.value));
    }
    let start = ms_since_epoch(span.start_time);
    let duration = span
        .end_time
        .duration_since(span.start_time)
        .unwrap_or_default();
    let timestamp_ms = start.floor() as i64;
    let trace_id = span.span_context.trace_id().to_string();
    fields.insert("timestamp".into(), timestamp_ms.into());
    fields.insert(
        "duration_ms".into(),
        Json::from(duration.as_secs_f64() * 1000.0),
    );
    fields.insert("name".into(), span.name.as_ref().into());
    fields.insert("trace.trace_id".into(), trace_id.clone().into());
    fields.insert(
        "trace.span_id".into(),
        span.span_context.span_id().to_string().into(),
    );
    if span.parent_span_id != opentelemetry::trace::SpanId::INVALID {
        fields.insert(
            "trace.parent_id".into(),
            span.parent_span_id.to_string().into(),
        );
    }
    fields.insert("span.kind".into(), kind_name(&span.span_kind).into());
    fields.insert("service.name".into(), SERVICE_NAME.into());
    NewEvent {
        dataset: Dataset::Bulb,
        timestamp_ms,
        trace_id: Some(trace_id),
        fields,
    }
}

fn kind_name(kind: &SpanKind) -> &'static str {
    match kind {
        SpanKind::Client => "client",
        SpanKind::Server => "server",
        SpanKind::Producer => "producer",
        SpanKind::Consumer => "consumer",
        SpanKind::Internal => "internal",
    }
}

fn json_value(value: &Value) -> Json {
    match value {
        Value::Bool(b) => Json::Bool(*b),
        Value::I64(n) => Json::from(*n),
        // Non-finite numbers have no JSON form: no value.
        Value::F64(n) => serde_json::Number::from_f64(*n).map_or(Json::Null, Json::Number),
        Value::String(s) => Json::String(s.as_str().to_string()),
        Value::Array(Array::Bool(v)) => Json::from(v.clone()),
        Value::Array(Array::I64(v)) => Json::from(v.clone()),
        Value::Array(Array::F64(v)) => Json::from(v.clone()),
        Value::Array(Array::String(v)) => {
            Json::from(v.iter().map(|s| s.as_str().to_string()).collect::<Vec<_>>())
        }
        other => Json::String(other.to_string()),
    }
}
