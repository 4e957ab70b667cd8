//! Who this browser is joined as; the cookie keeps it across reloads.

use bulbwatch_api::{Attendee, WhoAmI};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::contexts::LastError;

/// What the page knows about the current attendee.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MeState {
    /// Still asking the server.
    Checking,
    /// Not joined (or the server no longer knows our token).
    NotJoined,
    /// Joined as this attendee.
    Joined(Attendee),
}

/// Whether we know who the attendee is, without the details (so a change of name
/// does not rebuild a page that only depends on being joined).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gate {
    /// Still asking the server.
    Checking,
    /// Not joined.
    NotJoined,
    /// Joined.
    Joined,
}

/// The current attendee, shared by the pages.
#[derive(Clone, Copy, Debug)]
pub struct CurrentAttendee(pub RwSignal<MeState>);

impl CurrentAttendee {
    /// Asks the server who we are (`GET /api/room/role`, which answers 200 before
    /// joining too, so a first visit logs no failed request); a failure is shown.
    pub fn load(self, errors: LastError) {
        spawn_local(async move {
            match api::room::role().await {
                Ok(WhoAmI {
                    attendee: Some(attendee),
                    ..
                }) => self.0.set(MeState::Joined(attendee)),
                Ok(_) => self.0.set(MeState::NotJoined),
                Err(failure) => {
                    errors.show(failure.message);
                    self.0.set(MeState::NotJoined);
                }
            }
        });
    }

    /// Whether we are joined, as a memo that changes only when that does.
    pub fn gate(self) -> Memo<Gate> {
        Memo::new(move |_| {
            self.0.with(|state| match state {
                MeState::Checking => Gate::Checking,
                MeState::NotJoined => Gate::NotJoined,
                MeState::Joined(_) => Gate::Joined,
            })
        })
    }

    /// The attendee's name, when joined.
    pub fn name(self) -> Option<String> {
        self.0.with(|state| match state {
            MeState::Joined(attendee) => Some(attendee.name.clone()),
            _ => None,
        })
    }
}

/// Creates the current-attendee state (checking) and provides it.
pub fn provide_current_attendee() -> CurrentAttendee {
    let me = CurrentAttendee(RwSignal::new(MeState::Checking));
    provide_context(me);
    me
}

/// The current attendee.
pub fn use_current_attendee() -> CurrentAttendee {
    expect_context()
}
