//! The room as every page shows it, under the top bar: the phase with its prompt, and
//! the reveal once the facilitator shows it. Fed by the room context, in both apps.

use leptos::prelude::*;

use crate::components::{PhaseBanner, RevealPanel};
use crate::contexts::{Gate, Room, use_current_attendee, use_room};

/// The phase banner and the reveal panel.
#[component]
pub fn RoomPanels() -> impl IntoView {
    let room = use_room();
    view! {
        <PhaseBanner phase=room.phase() progress=room.progress() />
        <div class="reveal-frame">
            <RevealPanel reveal=room.reveal() />
        </div>
    }
}

/// Reads the room now, and my progress in it whenever I am (again) joined.
pub fn follow_room(room: Room) {
    room.load();
    let gate = use_current_attendee().gate();
    Effect::new(move |_| {
        if gate.get() == Gate::Joined {
            room.load_progress();
        }
    });
}
