//! The bulb service's API.

use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use bulbwatch_api::{BulbState, MarkerKind, QueueDelay, SetBulb, SetBulbAccepted};
use serde::Deserialize;

use crate::AppState;
use crate::auth::{Caller, Facilitator, LimitedAttendee};
use crate::colour::{self, InputForm};
use crate::error::AppError;
use crate::extract::ApiJson;
use crate::limits::BulbChanges;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/bulb", get(get_bulb).put(set_bulb))
        .route("/bulbs", get(get_bulbs))
        .route(
            "/bulb/queue-delay",
            get(get_queue_delay).put(set_queue_delay),
        )
}

/// `?shard=N`: pins a shard instead of the caller's own.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ShardQuery {
    shard: Option<u32>,
}

fn shard_query(
    query: Result<Query<ShardQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Option<u32>, AppError> {
    let Query(query) = query.map_err(|e| {
        AppError::Invalid(format!(
            "bad query: {} (only ?shard=N, a shard number from 0)",
            e.body_text()
        ))
    })?;
    Ok(query.shard)
}

/// `GET /api/bulb[?shard=N]`: the bulb of the caller's shard (shard 0 for someone
/// who has not joined), or of shard N.
async fn get_bulb(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<ShardQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<ApiJson<BulbState>, AppError> {
    let shard = state
        .bulb
        .route(caller.attendee.as_ref(), shard_query(query)?)?;
    Ok(ApiJson(state.bulb.state(shard)))
}

/// `GET /api/bulbs`: every shard's bulb, shard 0 first.
async fn get_bulbs(State(state): State<AppState>) -> ApiJson<Vec<BulbState>> {
    ApiJson(state.bulb.states())
}

/// `PUT /api/bulb[?shard=N]`: queue a change (colour, on/off or both) on the caller's shard (or shard
/// N); 202 before it is applied.
async fn set_bulb(
    State(state): State<AppState>,
    LimitedAttendee(attendee, ..): LimitedAttendee<BulbChanges>,
    query: Result<Query<ShardQuery>, axum::extract::rejection::QueryRejection>,
    ApiJson(req): ApiJson<SetBulb>,
) -> Result<(StatusCode, ApiJson<SetBulbAccepted>), AppError> {
    let shard = state.bulb.route(Some(&attendee), shard_query(query)?)?;
    let light = colour::from_request(&req)?;
    let accepted = state
        .bulb
        .enqueue(&attendee, light, InputForm::of(&req), shard)
        .await?;
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
