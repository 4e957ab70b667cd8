//! The room as every page shows it, under the top bar: the phase with its prompt, and
//! the reveal once the facilitator shows it. Fed by the room context, in both apps.

use leptos::prelude::*;

use crate::components::RoomBanner;
use crate::contexts::{Gate, Room, use_current_attendee, use_room};

/// The phase banner and the reveal panel.
#[component]
pub fn RoomPanels() -> impl IntoView {
    let room = use_room();
    view! { <RoomBanner state=room.state progress=room.progress /> }
}

/// Reads my progress in the room whenever I am (again) joined.
pub fn follow_room(room: Room) {
    let gate = use_current_attendee().gate();
    Effect::new(move |_| {
        if gate.get() == Gate::Joined {
            room.refresh();
        }
    });
}
