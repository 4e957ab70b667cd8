//! Live updates to every open page, as Server-Sent Events.

use std::convert::Infallible;
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::get;
use bulbwatch_api::{BulbState, RoomState};
use futures_util::{Stream, StreamExt, stream};
use tokio_stream::wrappers::BroadcastStream;

use crate::AppState;

/// How soon a browser retries after losing the stream (e.g. a server restart).
const RETRY: Duration = Duration::from_secs(1);

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/bulb/events", get(bulb_events))
}

/// `GET /api/bulb/events`: the current state of every shard's bulb and of the room
/// at once, then every change, as `bulb` events (a `BulbState`, with its shard) and
/// `room` events (a `RoomState`).
async fn bulb_events(
    State(state): State<AppState>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let bulb = state.bulb.clone();
    let room = state.room.clone();
    let mut first: Vec<Event> = bulb.states().iter().map(bulb_event).collect();
    if let Some(event) = first.first_mut() {
        *event = std::mem::take(event).retry(RETRY);
    }
    first.push(room_event(&room.state()));
    // A page that fell behind just gets the latest states: it only draws the newest.
    let bulb_updates = BroadcastStream::new(bulb.subscribe()).flat_map(move |update| {
        let states = match update {
            Ok(state) => vec![state],
            Err(_) => bulb.states(),
        };
        stream::iter(states.iter().map(|s| Ok(bulb_event(s))).collect::<Vec<_>>())
    });
    let room_updates = BroadcastStream::new(room.subscribe())
        .map(move |update| Ok(room_event(&update.unwrap_or_else(|_| room.state()))));
    let events = stream::iter(first.into_iter().map(Ok))
        .chain(stream::select(bulb_updates, room_updates))
        .take_until(state.shutdown.cancelled_owned());
    Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

fn bulb_event(state: &BulbState) -> Event {
    Event::default()
        .event("bulb")
        .json_data(state)
        .unwrap_or_else(|e| Event::default().event("error").data(e.to_string()))
}

fn room_event(state: &RoomState) -> Event {
    Event::default()
        .event("room")
        .json_data(state)
        .unwrap_or_else(|e| Event::default().event("error").data(e.to_string()))
}
