//! Explore's calls to the Bulbwatch API, through the page's one fetch helper
//! (`bulbwatch_app::api::send`), so failures read the same in both apps.

use bulbwatch_api::{
    ColumnInfo, CompareResult, CompareSpec, Marker, QueryAnswer, QuerySpec, TraceSpan,
};
use bulbwatch_app::api::{ApiFailure, send};
use gloo_net::http::Request;

/// `POST /api/query`.
pub async fn query(spec: &QuerySpec) -> Result<QueryAnswer, ApiFailure> {
    send("running the query", Request::post("/api/query").json(spec)).await
}

/// `POST /api/compare`.
pub async fn compare(spec: &CompareSpec) -> Result<CompareResult, ApiFailure> {
    send(
        "comparing the selection",
        Request::post("/api/compare").json(spec),
    )
    .await
}

/// `GET /api/datasets/{name}/columns`.
pub async fn columns(dataset: &str) -> Result<Vec<ColumnInfo>, ApiFailure> {
    let url = format!(
        "/api/datasets/{}/columns",
        js_sys::encode_uri_component(dataset)
    );
    send("loading the dataset's columns", Request::get(&url).build()).await
}

/// `GET /api/traces/{trace_id}`.
pub async fn trace(trace_id: &str) -> Result<Vec<TraceSpan>, ApiFailure> {
    let url = format!("/api/traces/{}", js_sys::encode_uri_component(trace_id));
    send("loading the trace", Request::get(&url).build()).await
}

/// `GET /api/markers?from=…&to=…`: markers with `from_ms <= at_ms < to_ms`.
pub async fn markers(from_ms: i64, to_ms: i64) -> Result<Vec<Marker>, ApiFailure> {
    let url = format!("/api/markers?from={from_ms}&to={to_ms}");
    send("loading the markers", Request::get(&url).build()).await
}
