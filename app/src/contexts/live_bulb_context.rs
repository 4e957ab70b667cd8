//! The bulb as every page sees it, kept live by the event stream, and whether the stream
//! is connected. The same stream carries the room's state (see `room_context.rs`).

use bulbwatch_api::BulbState;
use leptos::prelude::*;

use crate::api::BULB_EVENTS_URL;
use crate::bulb_stream::{BulbStream, Handlers, LiveStatus};
use crate::contexts::LastError;
use crate::contexts::room_context::RoomView;

/// The live bulb state (none until the first event) and the connection status.
#[derive(Clone, Copy, Debug)]
pub struct LiveBulb {
    /// The latest state the server sent.
    pub state: RwSignal<Option<BulbState>>,
    /// Whether updates are flowing.
    pub status: RwSignal<LiveStatus>,
    /// The room as the stream last told it (phase, switches, reveal).
    pub room: RwSignal<Option<RoomView>>,
}

impl LiveBulb {
    /// Subscribes to the server's bulb events for as long as the current owner lives.
    pub fn connect(self, errors: LastError) {
        let stream = BulbStream::open(
            BULB_EVENTS_URL,
            Handlers {
                on_state: Box::new(move |state| self.state.set(Some(state))),
                on_room: Box::new(move |room| {
                    if self.room.with_untracked(|r| r.as_ref() != Some(&room)) {
                        self.room.set(Some(room));
                    }
                }),
                on_status: Box::new(move |status| self.status.set(status)),
                on_bad_event: Box::new(move |message| errors.show(message)),
            },
        );
        // Owned by the reactive owner: dropped (closing the stream) when it is cleaned up.
        StoredValue::new_local(stream);
    }

    /// The current bulb colour, `#rrggbb`, once known.
    pub fn hex(self) -> Signal<Option<String>> {
        Signal::derive(move || self.state.with(|s| s.as_ref().map(|s| s.hex.clone())))
    }
}

/// Creates the live bulb state (empty, reconnecting) and provides it.
pub fn provide_live_bulb() -> LiveBulb {
    let live = LiveBulb {
        state: RwSignal::new(None),
        status: RwSignal::new(LiveStatus::Reconnecting),
        room: RwSignal::new(None),
    };
    provide_context(live);
    live
}

/// The live bulb.
pub fn use_live_bulb() -> LiveBulb {
    expect_context()
}
