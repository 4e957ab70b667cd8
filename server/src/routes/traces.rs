//! Traces: every span of one trace, the check's side and the server's.

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use bulbwatch_api::TraceSpan;

use crate::AppState;
use crate::auth::RoomMember;
use crate::error::AppError;
use crate::extract::{ApiJson, ApiPath};

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/traces/{trace_id}", get(trace))
}

/// `GET /api/traces/{trace_id}`: a flat list of spans, oldest first; `parent_id`s
/// make the tree (check run → its requests → the server's spans).
async fn trace(
    State(state): State<AppState>,
    _: RoomMember,
    ApiPath(trace_id): ApiPath<String>,
) -> Result<ApiJson<Vec<TraceSpan>>, AppError> {
    if !crate::traces::is_trace_id(&trace_id) {
        return Err(AppError::Invalid(format!(
            "a trace id is 32 lowercase hex digits, not all zero; got {trace_id:?}"
        )));
    }
    let spans = crate::traces::spans(&state.store, &trace_id).await?;
    if spans.is_empty() {
        return Err(AppError::NotFound(format!(
            "no spans or runs with trace id {trace_id} (retention may have removed them)"
        )));
    }
    Ok(ApiJson(spans))
}
