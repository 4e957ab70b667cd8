//! `GET /api/room/driver` (facilitator): which bulbs the server drives — the virtual
//! ones or a Hue bridge's lights — and what it found on the bridge at start.

use axum::extract::State;
use bulbwatch_api::DriverStatus;

use crate::AppState;
use crate::auth::Facilitator;
use crate::extract::ApiJson;

pub(super) async fn status(State(state): State<AppState>, _: Facilitator) -> ApiJson<DriverStatus> {
    ApiJson(DriverStatus::clone(&state.driver))
}
