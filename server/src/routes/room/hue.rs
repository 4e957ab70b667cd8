//! The facilitator's side of the Hue-compatible API: its state, and the link button
//! (`POST /api/room/hue/link-button` opens a 30 s window in which apps may pair).

use axum::extract::State;
use bulbwatch_api::{HueBridgeState, PairedHueApp};

use crate::AppState;
use crate::auth::Facilitator;
use crate::extract::ApiJson;

fn bridge_state(state: &AppState) -> HueBridgeState {
    let hue = &state.hue;
    HueBridgeState {
        address: hue.reachable_address(&state.room.public_url()),
        link_button_open_until_ms: hue.link_open_until_ms(),
        apps: hue
            .apps()
            .into_iter()
            .map(|app| PairedHueApp {
                devicetype: app.devicetype,
                paired_at_ms: app.paired_at_ms,
            })
            .collect(),
    }
}

/// `GET /api/room/hue` (facilitator).
pub(super) async fn get(State(state): State<AppState>, _: Facilitator) -> ApiJson<HueBridgeState> {
    ApiJson(bridge_state(&state))
}

/// `POST /api/room/hue/link-button` (facilitator): Hue apps may pair for 30 s.
pub(super) async fn press_link_button(
    State(state): State<AppState>,
    _: Facilitator,
) -> ApiJson<HueBridgeState> {
    state.hue.press_link_button();
    tracing::info!("the Hue link button was pressed: apps may pair for 30 s");
    ApiJson(bridge_state(&state))
}
