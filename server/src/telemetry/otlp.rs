//! OTLP export: the same spans to any OpenTelemetry backend (a collector, Jaeger,
//! Tempo, Honeycomb), as protobuf over HTTP, batched off the request path. Other
//! standard variables (`OTEL_EXPORTER_OTLP_HEADERS`, `OTEL_EXPORTER_OTLP_TIMEOUT`,
//! `OTEL_BSP_*`) are read by the exporter itself. Plain `http://` only: the server
//! carries no TLS stack, so reach a remote backend through a local collector.

use opentelemetry_otlp::{Protocol, SpanExporter, WithExportConfig};

use super::TelemetryError;

/// Where traces go for a base endpoint: `{endpoint}/v1/traces`.
pub(super) fn traces_url(endpoint: &str) -> String {
    format!("{}/v1/traces", endpoint.trim_end_matches('/'))
}

/// An exporter to `endpoint`'s traces URL.
pub(super) fn exporter(endpoint: &str) -> Result<SpanExporter, TelemetryError> {
    if endpoint
        .trim_start()
        .to_ascii_lowercase()
        .starts_with("https:")
    {
        return Err(TelemetryError::Otlp {
            endpoint: endpoint.to_string(),
            reason: "this build sends plain HTTP only; run an OpenTelemetry Collector at \
                     http://127.0.0.1:4318 and let it forward over TLS"
                .into(),
        });
    }
    SpanExporter::builder()
        .with_http()
        .with_protocol(Protocol::HttpBinary)
        .with_endpoint(traces_url(endpoint))
        .build()
        .map_err(|e| TelemetryError::Otlp {
            endpoint: endpoint.to_string(),
            reason: e.to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::{exporter, traces_url};

    #[test]
    fn https_is_refused_with_a_way_out() {
        let err = exporter("https://api.honeycomb.io")
            .unwrap_err()
            .to_string();
        assert!(err.contains("OpenTelemetry Collector"), "{err}");
    }

    #[test]
    fn the_traces_path_is_appended_to_the_base() {
        assert_eq!(
            traces_url("http://127.0.0.1:4318"),
            "http://127.0.0.1:4318/v1/traces"
        );
        assert_eq!(
            traces_url("http://collector:4318/"),
            "http://collector:4318/v1/traces"
        );
    }
}
