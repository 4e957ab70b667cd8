//! The event store's endpoints: counters, and export of a dataset's events.

use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use bulbwatch_api::{Dataset, EventStats};
use serde::Deserialize;

use super::range::{bad_query, time_range};
use crate::AppState;
use crate::auth::LimitedMember;
use crate::error::AppError;
use crate::events::{ExportFormat, export_body};
use crate::extract::ApiJson;
use crate::limits::Exports;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/events", get(export))
        .route("/events/stats", get(stats))
}

/// `GET /api/events/stats`: events stored, dropped and trimmed, per dataset.
async fn stats(State(state): State<AppState>) -> ApiJson<EventStats> {
    ApiJson(state.events.stats())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExportQuery {
    dataset: Option<String>,
    from: Option<String>,
    to: Option<String>,
    format: Option<String>,
}

/// `GET /api/events?dataset=bulb|e2e&from=…&to=…&format=ndjson|csv`: the events of a
/// dataset with `from <= timestamp < to` (ms), oldest first, streamed.
async fn export(
    State(state): State<AppState>,
    _: LimitedMember<Exports>,
    query: Result<Query<ExportQuery>, QueryRejection>,
) -> Result<Response, AppError> {
    let Query(query) = query.map_err(|e| bad_query(&e))?;
    let dataset = match query.dataset.as_deref() {
        None => Err(AppError::Invalid(
            "say which dataset: `dataset=bulb` or `dataset=e2e`".into(),
        )),
        Some(name) => Dataset::from_name(name).ok_or_else(|| {
            AppError::Invalid(format!("dataset must be `bulb` or `e2e`, got {name:?}"))
        }),
    }?;
    let format = match query.format.as_deref() {
        None => ExportFormat::Ndjson,
        Some(name) => ExportFormat::from_name(name).ok_or_else(|| {
            AppError::Invalid(format!("format must be `ndjson` or `csv`, got {name:?}"))
        })?,
    };
    let (from_ms, to_ms) = time_range(query.from.as_deref(), query.to.as_deref())?;
    let body = export_body(state.store.clone(), dataset, from_ms, to_ms, format).await?;
    let extension = match format {
        ExportFormat::Ndjson => "ndjson",
        ExportFormat::Csv => "csv",
    };
    let file_name = format!("attachment; filename=\"{dataset}-{from_ms}-{to_ms}.{extension}\"");
    Ok((
        [
            (CONTENT_TYPE, format.content_type().to_string()),
            (CONTENT_DISPOSITION, file_name),
        ],
        body,
    )
        .into_response())
}
