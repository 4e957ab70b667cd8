//! Markers: actions recorded at the moment they happened, for charts.

use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::routing::get;
use bulbwatch_api::Marker;
use serde::Deserialize;

use super::range::{bad_query, time_range};
use crate::AppState;
use crate::error::AppError;
use crate::extract::ApiJson;

/// Most markers one request returns.
const MARKERS_MAX: u32 = 1_000;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/markers", get(list))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MarkerQuery {
    from: Option<String>,
    to: Option<String>,
}

/// `GET /api/markers?from=…&to=…`: markers with `from <= at_ms < to`, oldest first.
async fn list(
    State(state): State<AppState>,
    query: Result<Query<MarkerQuery>, QueryRejection>,
) -> Result<ApiJson<Vec<Marker>>, AppError> {
    let Query(query) = query.map_err(|e| bad_query(&e))?;
    let (from_ms, to_ms) = time_range(query.from.as_deref(), query.to.as_deref())?;
    Ok(ApiJson(
        state.store.markers(from_ms, to_ms, MARKERS_MAX).await?,
    ))
}
