//! The server span of every HTTP request, named and attributed after OpenTelemetry's
//! semantic conventions (`PUT /api/bulb`; `http.request.method`, `http.route`,
//! `http.response.status_code`, `url.path`, `client.address`, `user_agent.original`,
//! `error.type`), and joined to the caller's trace when the request carries a W3C
//! `traceparent` header (every request of a check run does).
//!
//! This is what an APM agent records for any app without being told anything about
//! it: always on, not an instrumentation point.

use std::net::SocketAddr;
use std::time::Duration;

use axum::extract::{ConnectInfo, MatchedPath};
use axum::http::header::USER_AGENT;
use axum::http::{HeaderMap, Request, Response};
use opentelemetry::propagation::{Extractor, TextMapPropagator};
use opentelemetry::trace::TraceContextExt;
use opentelemetry_sdk::propagation::TraceContextPropagator;
use tower_http::classify::{ServerErrorsAsFailures, SharedClassifier};
use tower_http::trace::{DefaultOnRequest, MakeSpan, OnResponse, TraceLayer};
use tracing::Span;
use tracing::field::Empty;
use tracing_opentelemetry::OpenTelemetrySpanExt;

/// Makes the request span and records the response on it.
#[derive(Clone, Copy, Debug, Default)]
pub struct HttpSpan;

/// The layer that wraps every route in an [`HttpSpan`].
pub type HttpTraceLayer =
    TraceLayer<SharedClassifier<ServerErrorsAsFailures>, HttpSpan, DefaultOnRequest, HttpSpan>;

/// The request-span layer for the router.
pub fn trace_layer() -> HttpTraceLayer {
    TraceLayer::new_for_http()
        .make_span_with(HttpSpan)
        .on_response(HttpSpan)
}

impl<B> MakeSpan<B> for HttpSpan {
    fn make_span(&mut self, req: &Request<B>) -> Span {
        let method = req.method().as_str();
        // The route template (`/api/checks/{id}`), not the path: one value per
        // endpoint, so grouping by it makes sense. Unknown paths have none.
        let route = req
            .extensions()
            .get::<MatchedPath>()
            .map(MatchedPath::as_str);
        let name = match route {
            Some(route) => format!("{method} {route}"),
            None => method.to_string(),
        };
        let client = req
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip().to_string());
        let user_agent = req.headers().get(USER_AGENT).and_then(|v| v.to_str().ok());
        let span = tracing::info_span!(
            "http.request",
            otel.name = name,
            otel.kind = "server",
            otel.status_code = Empty,
            "http.request.method" = method,
            "http.route" = route,
            "url.path" = req.uri().path(),
            "client.address" = client,
            "user_agent.original" = user_agent,
            "http.response.status_code" = Empty,
            "error.type" = Empty,
        );
        let parent = TraceContextPropagator::new().extract(&Headers(req.headers()));
        if parent.span().span_context().is_valid() {
            // Before the span is entered, so it starts inside the caller's trace.
            let _ = span.set_parent(parent);
        }
        span
    }
}

impl<B> OnResponse<B> for HttpSpan {
    fn on_response(self, response: &Response<B>, _latency: Duration, span: &Span) {
        let status = response.status();
        // As i64: OpenTelemetry has no unsigned integers.
        span.record("http.response.status_code", i64::from(status.as_u16()));
        if status.is_client_error() || status.is_server_error() {
            // The convention for HTTP: the status code is the error type.
            span.record("error.type", status.as_str());
        }
        if status.is_server_error() {
            span.record("otel.status_code", "ERROR");
        }
    }
}

/// Request headers as OpenTelemetry's propagators read them.
struct Headers<'a>(&'a HeaderMap);

impl Extractor for Headers<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(|v| v.to_str().ok())
    }

    fn keys(&self) -> Vec<&str> {
        self.0.keys().map(|k| k.as_str()).collect()
    }
}
