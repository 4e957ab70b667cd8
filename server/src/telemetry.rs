//! Spans and logs, and where they go.
//!
//! Several servers can share one process (the tests start many), so a process-global
//! subscriber could not tell whose span is whose. Each server therefore builds its own
//! [`Telemetry`]: a tracing [`Dispatch`] made of
//! - the OpenTelemetry layer over this server's own [`SdkTracerProvider`], whose span
//!   processors turn every closed span into a wide event of the `bulb` dataset
//!   ([`processor`]) and, when an OTLP endpoint is set, export it ([`otlp`]);
//! - when `print_logs` is set (the binary), a printer of log lines to stderr filtered
//!   by `RUST_LOG`.
//!
//! Everything a server does runs under its dispatch: each connection task, the queue
//! worker, the event writer, and (carried over by hand) blocking store calls.

mod bystander;
pub mod http;
mod otlp;
mod processor;
mod trace_parent;

use opentelemetry::trace::TracerProvider as _;
use opentelemetry_sdk::Resource;
use opentelemetry_sdk::trace::{Sampler, SdkTracerProvider};
use tracing::{Dispatch, Level};
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::{EnvFilter, Layer, Registry};

pub use processor::span_event;
pub use trace_parent::TraceParent;

use crate::events::{self, EventSink};

/// `service.name` of every span and event.
pub const SERVICE_NAME: &str = "bulbwatch";

/// The log filter when `RUST_LOG` is not set.
pub const DEFAULT_LOG_FILTER: &str = "bulbwatch=info,tower_http=info";

/// How a server's telemetry is set up.
#[derive(Clone, Debug)]
pub struct TelemetrySettings {
    /// Base URL of an OTLP/HTTP receiver (`OTEL_EXPORTER_OTLP_ENDPOINT`, e.g.
    /// `http://127.0.0.1:4318`); spans go to `{endpoint}/v1/traces` as protobuf.
    /// `None`: no export.
    pub otlp_endpoint: Option<String>,
    /// Events kept per dataset; the oldest beyond it are deleted.
    pub event_retention: u64,
    /// Bytes of stored fields (the events' JSON text) kept per dataset; the oldest
    /// beyond it are deleted.
    pub event_retention_bytes: u64,
    /// Room in the queue between closed spans and the event writer; spans closing
    /// while it is full are dropped and counted.
    pub event_queue_capacity: usize,
    /// Print log lines to stderr (filtered by `RUST_LOG`).
    pub print_logs: bool,
}

impl Default for TelemetrySettings {
    fn default() -> Self {
        Self {
            otlp_endpoint: None,
            event_retention: events::DEFAULT_RETENTION,
            event_retention_bytes: events::DEFAULT_RETENTION_MB * 1_000_000,
            event_queue_capacity: events::DEFAULT_QUEUE_CAPACITY,
            print_logs: false,
        }
    }
}

/// Setting up telemetry failed.
#[derive(Debug, thiserror::Error)]
pub enum TelemetryError {
    /// The OTLP exporter could not be built.
    #[error("cannot export spans to {endpoint}: {reason} (check OTEL_EXPORTER_OTLP_ENDPOINT)")]
    Otlp {
        /// The endpoint.
        endpoint: String,
        /// Why.
        reason: String,
    },
}

/// One server's spans and logs.
pub struct Telemetry {
    dispatch: Dispatch,
    provider: SdkTracerProvider,
}

impl Telemetry {
    /// Builds the dispatch; closed spans go to `sink` (and to OTLP if configured).
    pub fn new(sink: EventSink, settings: &TelemetrySettings) -> Result<Self, TelemetryError> {
        let mut builder = SdkTracerProvider::builder()
            // Every span: the event store is the point, not a sample of it.
            .with_sampler(Sampler::AlwaysOn)
            .with_resource(
                Resource::builder_empty()
                    .with_service_name(SERVICE_NAME)
                    .build(),
            )
            .with_span_processor(processor::EventProcessor::new(sink));
        if let Some(endpoint) = &settings.otlp_endpoint {
            builder = builder.with_batch_exporter(otlp::exporter(endpoint)?);
        }
        let provider = builder.build();
        let spans = tracing_opentelemetry::layer()
            .with_tracer(provider.tracer(SERVICE_NAME))
            // Only what the code says: no file/line, thread, busy/idle or target
            // attributes, so an event with every point off carries only the basics.
            .with_location(false)
            .with_threads(false)
            .with_tracked_inactivity(false)
            .with_target(false)
            .with_filter(Targets::new().with_target("bulbwatch", Level::INFO));
        let logs = settings.print_logs.then(|| {
            let filter = EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| EnvFilter::new(DEFAULT_LOG_FILTER));
            tracing_subscriber::fmt::layer()
                .with_writer(std::io::stderr)
                .with_filter(filter)
        });
        bystander::register();
        let dispatch = Dispatch::new(Registry::default().with(spans).with(logs));
        Ok(Self { dispatch, provider })
    }

    /// The dispatch to run this server's tasks under.
    pub fn dispatch(&self) -> &Dispatch {
        &self.dispatch
    }

    /// Ends every processor: spans still queued for OTLP are sent (the exporter
    /// blocks, so this runs on a blocking thread). Spans closing later are not kept.
    pub async fn shutdown(&self) {
        let provider = self.provider.clone();
        let done = tokio::task::spawn_blocking(move || provider.shutdown()).await;
        if let Ok(Err(e)) = done {
            tracing::dispatcher::with_default(&self.dispatch, || {
                tracing::warn!(error = %e, "telemetry did not shut down cleanly");
            });
        }
    }
}
