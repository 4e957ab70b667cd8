//! Live updates to every open page, as Server-Sent Events (the frames are made once
//! for all pages: [`crate::live_feed`]).

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::AppState;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/bulb/events", get(bulb_events))
}

/// `GET /api/bulb/events`: the current state of every shard's bulb and of the room
/// at once, then every change, as `bulb` events (a `BulbState`, with its shard) and
/// `room` events (a `RoomState`).
async fn bulb_events(State(state): State<AppState>) -> Response {
    (
        [
            (CONTENT_TYPE, "text/event-stream"),
            (CACHE_CONTROL, "no-cache"),
        ],
        Body::from_stream(state.live.page()),
    )
        .into_response()
}
