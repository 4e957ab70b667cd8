//! The room: its state for everyone, and the facilitator's controls.

use axum::Router;
use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::IntoResponse;
use axum::routing::{get, post, put};
use bulbwatch_api::{
    Diagnosis, JoinInfo, MarkDiagnosis, MarkerKind, NewSession, RoomState, SessionExported,
    SetJoinCode, SetPhase, SetSwitch, WhoAmI,
};

use crate::AppState;
use crate::auth::{Caller, Facilitator};
use crate::error::AppError;
use crate::extract::{ApiJson, ApiPath};
use crate::room::{SwitchId, reveal};

mod board;
mod driver;
mod hue;
mod scenarios;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/room", get(room))
        .route("/room/role", get(role))
        .route("/room/phase", put(set_phase))
        .route("/room/switches/{id}", put(set_switch))
        .route("/room/reveal", post(show_reveal).delete(hide_reveal))
        .route("/room/join", get(join_info).put(set_join_code))
        .route("/room/join/qr.svg", get(join_qr))
        .route("/room/board", get(board::board))
        .route("/room/driver", get(driver::status))
        .route("/room/hue", get(hue::get))
        .route("/room/hue/link-button", post(hue::press_link_button))
        .route("/room/diagnoses/{attendee_id}", put(mark_diagnosis))
        .route("/room/sessions", post(new_session))
        .route("/room/scenarios", get(scenarios::list))
        .route("/room/scenarios/{id}", put(scenarios::set))
        .route("/room/shards", put(scenarios::set_shards))
        .route(
            "/room/rehearsal",
            put(scenarios::set_rehearsal).delete(scenarios::remove_rehearsal),
        )
}

/// `GET /api/room`: phase, switches, reveal.
async fn room(State(state): State<AppState>) -> ApiJson<RoomState> {
    ApiJson(state.room.state())
}

/// `GET /api/room/role`: who the server takes the caller for.
async fn role(caller: Caller) -> ApiJson<WhoAmI> {
    ApiJson(WhoAmI {
        role: caller.role,
        attendee: caller.attendee,
    })
}

/// `PUT /api/room/phase` (facilitator): move the room on; a marker on every chart.
async fn set_phase(
    State(state): State<AppState>,
    _: Facilitator,
    ApiJson(req): ApiJson<SetPhase>,
) -> Result<ApiJson<RoomState>, AppError> {
    let changed = state.room.phase() != req.phase;
    let room = state.room.set_phase(req.phase).await?;
    if changed {
        tracing::info!(phase = req.phase.key(), "phase changed");
        state
            .store
            .add_marker(
                MarkerKind::Phase,
                format!("phase: {}", req.phase.title()),
                None,
            )
            .await?;
    }
    Ok(ApiJson(room))
}

/// `PUT /api/room/switches/{id}` (facilitator).
async fn set_switch(
    State(state): State<AppState>,
    _: Facilitator,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<SetSwitch>,
) -> Result<ApiJson<RoomState>, AppError> {
    let switch = SwitchId::find(&id).ok_or_else(|| {
        AppError::NotFound(format!(
            "no room switch {id:?}; GET /api/room lists them under `switches`"
        ))
    })?;
    let changed = state.room.switch(switch) != req.on;
    let room = state.room.set_switch(switch, req.on).await?;
    if changed {
        let on = if req.on { "on" } else { "off" };
        state
            .store
            .add_marker(
                MarkerKind::RoomSwitch,
                format!("{} switched {on}", switch.key()),
                None,
            )
            .await?;
    }
    Ok(ApiJson(room))
}

/// `POST /api/room/reveal` (facilitator): every page shows what was going on.
async fn show_reveal(
    State(state): State<AppState>,
    _: Facilitator,
) -> Result<ApiJson<RoomState>, AppError> {
    let reveal = reveal::reveal(&state).await?;
    let titles: Vec<&str> = reveal.causes.iter().map(|c| c.title.as_str()).collect();
    let text = format!("revealed: {}", titles.join(", "));
    let room = state.room.set_reveal(Some(reveal)).await?;
    state
        .store
        .add_marker(MarkerKind::Reveal, text, None)
        .await?;
    Ok(ApiJson(room))
}

/// `DELETE /api/room/reveal` (facilitator): hide it again.
async fn hide_reveal(
    State(state): State<AppState>,
    _: Facilitator,
) -> Result<ApiJson<RoomState>, AppError> {
    Ok(ApiJson(state.room.set_reveal(None).await?))
}

fn join_info_of(state: &AppState) -> JoinInfo {
    JoinInfo {
        code: state.room.join_code(),
        join_url: state.room.join_url(),
    }
}

/// `GET /api/room/join` (facilitator): the code and the join URL.
async fn join_info(State(state): State<AppState>, _: Facilitator) -> ApiJson<JoinInfo> {
    ApiJson(join_info_of(&state))
}

/// `PUT /api/room/join` (facilitator): a new code (given, or made); joined
/// attendees stay joined.
async fn set_join_code(
    State(state): State<AppState>,
    _: Facilitator,
    ApiJson(req): ApiJson<SetJoinCode>,
) -> Result<ApiJson<JoinInfo>, AppError> {
    state.room.set_join_code(req.code.as_deref()).await?;
    Ok(ApiJson(join_info_of(&state)))
}

/// `GET /api/room/join/qr.svg` (facilitator): the join URL as a QR code.
async fn join_qr(
    State(state): State<AppState>,
    _: Facilitator,
) -> Result<impl IntoResponse, AppError> {
    let code = qrcode::QrCode::new(state.room.join_url().as_bytes())
        .map_err(|e| AppError::internal("drawing the join QR code", e))?;
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(256, 256)
        .quiet_zone(true)
        .build();
    // The address stays when the code changes: never let a browser keep an old one.
    Ok((
        [(CONTENT_TYPE, "image/svg+xml"), (CACHE_CONTROL, "no-store")],
        svg,
    ))
}

/// `PUT /api/room/diagnoses/{attendee_id}` (facilitator): mark one right (or not).
async fn mark_diagnosis(
    State(state): State<AppState>,
    _: Facilitator,
    ApiPath(attendee_id): ApiPath<String>,
    ApiJson(req): ApiJson<MarkDiagnosis>,
) -> Result<ApiJson<Diagnosis>, AppError> {
    state
        .store
        .mark_diagnosis(attendee_id.clone(), req.right)
        .await?
        .map(ApiJson)
        .ok_or_else(|| AppError::NotFound(format!("attendee {attendee_id} has no diagnosis in")))
}

/// `POST /api/room/sessions` (facilitator) `{"confirm": true}`: export everything of
/// this session to a file in the data directory, then empty the room.
async fn new_session(
    State(state): State<AppState>,
    _: Facilitator,
    ApiJson(req): ApiJson<NewSession>,
) -> Result<ApiJson<SessionExported>, AppError> {
    if !req.confirm {
        return Err(AppError::Invalid(
            "a new session empties the room (after exporting everything): send {\"confirm\": true}"
                .into(),
        ));
    }
    // Simulated attendees stop first: their tokens go with the room.
    state.rehearsal.remove_all(&state).await?;
    let (path, counts) = state.events.new_session().await?;
    state.attendees.clear();
    state.room.restart_session().await?;
    tracing::info!(export = %path.display(), "new session; the last one is exported");
    Ok(ApiJson(SessionExported {
        export_file: path.display().to_string(),
        attendees: counts.attendees,
        check_versions: counts.check_versions,
        runs: counts.runs,
        events: counts.events,
        diagnoses: counts.diagnoses,
    }))
}
