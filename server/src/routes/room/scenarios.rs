//! The facilitator's failure scenarios, shards and rehearsal room:
//! `GET /api/room/scenarios`, `PUT /api/room/scenarios/{id}`, `PUT /api/room/shards`,
//! `PUT` and `DELETE /api/room/rehearsal`. Attendees never see which scenarios are
//! on: finding out is the workshop.

use axum::extract::State;
use bulbwatch_api::{
    MarkerKind, ScenarioBoard, SetRehearsal, SetScenario, SetShards, SimulatedRemoved,
};

use crate::AppState;
use crate::auth::Facilitator;
use crate::error::AppError;
use crate::extract::{ApiJson, ApiPath};

/// What the console shows of the scenarios, shards and rehearsal.
pub(super) fn scenario_board(state: &AppState) -> ScenarioBoard {
    let shards = state.bulb.shards();
    ScenarioBoard {
        seed: state.scenarios.seed(),
        shards,
        scenarios: state.scenarios.states(shards),
        rehearsal: state.rehearsal.state(),
    }
}

/// `GET /api/room/scenarios` (facilitator).
pub(super) async fn list(State(state): State<AppState>, _: Facilitator) -> ApiJson<ScenarioBoard> {
    ApiJson(scenario_board(&state))
}

/// `PUT /api/room/scenarios/{id}` (facilitator): on or off, with its setting; a
/// marker on every chart when it changes (worded so it does not give the cause away).
pub(super) async fn set(
    State(state): State<AppState>,
    _: Facilitator,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<SetScenario>,
) -> Result<ApiJson<ScenarioBoard>, AppError> {
    let (title, changed, value) = state.scenarios.set(&id, req.on, req.value).await?;
    if changed {
        tracing::info!(scenario = %id, on = req.on, value, "scenario switched");
        let marker = state
            .scenarios
            .marker(&id, req.on, value)
            .unwrap_or_else(|| title.to_string());
        state
            .store
            .add_marker(MarkerKind::Scenario, marker, None)
            .await?;
        // The busy queue changes the delay every page shows.
        state.bulb.publish_all();
    }
    Ok(ApiJson(scenario_board(&state)))
}

/// `PUT /api/room/shards` (facilitator): 1–8 shards; every page shows them all.
pub(super) async fn set_shards(
    State(state): State<AppState>,
    _: Facilitator,
    ApiJson(req): ApiJson<SetShards>,
) -> Result<ApiJson<ScenarioBoard>, AppError> {
    let changed = state.bulb.shards() != req.shards;
    let shards = state.bulb.set_shards(req.shards).await?;
    state.room.show_shards(shards);
    if changed {
        tracing::info!(shards, "shard count changed");
        let text = if shards == 1 {
            "back to one bulb".to_string()
        } else {
            format!("scaled out to {shards} shards")
        };
        state
            .store
            .add_marker(MarkerKind::Shards, text, None)
            .await?;
    }
    Ok(ApiJson(scenario_board(&state)))
}

/// `PUT /api/room/rehearsal` (facilitator): run this many simulated attendees.
pub(super) async fn set_rehearsal(
    State(state): State<AppState>,
    _: Facilitator,
    ApiJson(req): ApiJson<SetRehearsal>,
) -> Result<ApiJson<ScenarioBoard>, AppError> {
    state
        .rehearsal
        .set(&state, req.attendees, req.interval_ms)
        .await?;
    tracing::info!(attendees = req.attendees, "rehearsal room set");
    Ok(ApiJson(scenario_board(&state)))
}

/// `DELETE /api/room/rehearsal` (facilitator): stop and remove every simulated
/// attendee.
pub(super) async fn remove_rehearsal(
    State(state): State<AppState>,
    _: Facilitator,
) -> Result<ApiJson<SimulatedRemoved>, AppError> {
    let removed = state.rehearsal.remove_all(&state).await?;
    tracing::info!(removed, "simulated attendees removed");
    Ok(ApiJson(SimulatedRemoved { removed }))
}
