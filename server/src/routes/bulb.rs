//! The bulb service's API.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use bulbwatch_api::{BulbState, MarkerKind, QueueDelay, SetBulb, SetBulbAccepted};

use crate::AppState;
use crate::auth::{Facilitator, LimitedAttendee};
use crate::colour;
use crate::error::AppError;
use crate::extract::ApiJson;
use crate::limits::BulbChanges;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/bulb", get(get_bulb).put(set_bulb))
        .route(
            "/bulb/queue-delay",
            get(get_queue_delay).put(set_queue_delay),
        )
}

/// `GET /api/bulb`: the bulb now.
async fn get_bulb(State(state): State<AppState>) -> ApiJson<BulbState> {
    ApiJson(state.bulb.state())
}

/// `PUT /api/bulb`: queue a colour change; 202 before it is applied.
async fn set_bulb(
    State(state): State<AppState>,
    LimitedAttendee(attendee, ..): LimitedAttendee<BulbChanges>,
    ApiJson(req): ApiJson<SetBulb>,
) -> Result<(StatusCode, ApiJson<SetBulbAccepted>), AppError> {
    let colour = colour::from_request(&req)?;
    let accepted = state.bulb.enqueue(&attendee, colour).await?;
    Ok((StatusCode::ACCEPTED, ApiJson(accepted)))
}

/// `GET /api/bulb/queue-delay`.
async fn get_queue_delay(State(state): State<AppState>) -> ApiJson<QueueDelay> {
    ApiJson(QueueDelay {
        queue_delay_ms: i64::from(state.bulb.queue_delay_ms()),
    })
}

/// `PUT /api/bulb/queue-delay` (facilitator).
async fn set_queue_delay(
    State(state): State<AppState>,
    _: Facilitator,
    ApiJson(req): ApiJson<QueueDelay>,
) -> Result<ApiJson<QueueDelay>, AppError> {
    let ms = state.bulb.set_queue_delay(req.queue_delay_ms).await?;
    tracing::info!(queue_delay_ms = ms, "queue delay changed");
    state
        .store
        .add_marker(
            MarkerKind::QueueDelay,
            format!("queue delay set to {ms} ms"),
            None,
        )
        .await?;
    Ok(ApiJson(QueueDelay {
        queue_delay_ms: i64::from(ms),
    }))
}
