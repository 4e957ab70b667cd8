//! Instrumentation points: list them, switch them on and off.

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use bulbwatch_api::{InstrumentationPoint, MarkerKind, SetPoint};

use crate::AppState;
use crate::auth::PointSwitcher;
use crate::error::AppError;
use crate::extract::{ApiJson, ApiPath};
use crate::instrumentation::PointId;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/instrumentation/points", get(list))
        .route("/instrumentation/points/{id}", get(one).put(set))
}

fn find(id: &str) -> Result<PointId, AppError> {
    PointId::find(id).ok_or_else(|| {
        AppError::NotFound(format!(
            "no instrumentation point {id:?}; GET /api/instrumentation/points lists them"
        ))
    })
}

/// `GET /api/instrumentation/points`: the catalogue, with this room's switches.
async fn list(State(state): State<AppState>) -> ApiJson<Vec<InstrumentationPoint>> {
    ApiJson(state.points.list())
}

/// `GET /api/instrumentation/points/{id}`.
async fn one(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<ApiJson<InstrumentationPoint>, AppError> {
    Ok(ApiJson(state.points.describe(find(&id)?)))
}

/// `PUT /api/instrumentation/points/{id}` `{"on": true}`: the facilitator, or an
/// attendee when the room lets attendees switch points. A change is a marker.
async fn set(
    State(state): State<AppState>,
    PointSwitcher(attendee): PointSwitcher,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<SetPoint>,
) -> Result<ApiJson<InstrumentationPoint>, AppError> {
    let point = find(&id)?;
    let was_on = state.points.on(point);
    state.points.set(point, req.on).await?;
    if was_on != req.on {
        let switched = if req.on { "on" } else { "off" };
        tracing::info!(
            point = point.key(),
            on = req.on,
            "instrumentation point switched"
        );
        state
            .store
            .add_marker(
                MarkerKind::InstrumentationPoint,
                format!("instrumentation point {} switched {switched}", point.key()),
                attendee,
            )
            .await?;
    }
    Ok(ApiJson(state.points.describe(point)))
}
