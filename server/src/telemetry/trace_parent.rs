//! A span's place in its trace, kept with a queued change so the worker's apply span
//! can join the trace of the request that queued it.

use opentelemetry::Context;
use opentelemetry::trace::{SpanContext, SpanId, TraceContextExt, TraceFlags, TraceId, TraceState};
use tracing_opentelemetry::OpenTelemetrySpanExt;

/// Trace id (32 lowercase hex) and span id (16 lowercase hex) of a span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TraceParent {
    /// The trace.
    pub trace_id: String,
    /// The span.
    pub span_id: String,
}

impl TraceParent {
    /// Where `span` is, if it is recorded (it is not when no OpenTelemetry layer
    /// sees it, e.g. in router tests without telemetry).
    pub fn of(span: &tracing::Span) -> Option<Self> {
        let cx = span.context();
        let sc = cx.span().span_context().clone();
        sc.is_valid().then(|| Self {
            trace_id: sc.trace_id().to_string(),
            span_id: sc.span_id().to_string(),
        })
    }

    /// From two stored columns; `None` unless both are there.
    pub fn from_columns(trace_id: Option<String>, span_id: Option<String>) -> Option<Self> {
        Some(Self {
            trace_id: trace_id?,
            span_id: span_id?,
        })
    }

    /// A context whose (remote) span is this one, to make it a new span's parent.
    pub fn context(&self) -> Option<Context> {
        let sc = SpanContext::new(
            TraceId::from_hex(&self.trace_id).ok()?,
            SpanId::from_hex(&self.span_id).ok()?,
            TraceFlags::SAMPLED,
            true,
            TraceState::default(),
        );
        sc.is_valid()
            .then(|| Context::new().with_remote_span_context(sc))
    }

    /// Makes this span `span`'s parent. Call before `span` is first entered.
    pub fn adopt(&self, span: &tracing::Span) {
        if let Some(cx) = self.context() {
            // Fails only when no OpenTelemetry layer sees the span: nothing to link.
            let _ = span.set_parent(cx);
        }
    }
}
