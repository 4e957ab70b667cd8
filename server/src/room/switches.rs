//! The room switches: settings of the room the facilitator turns on and off, one row
//! each in [`SwitchId::ALL`] (failure scenarios join this list).

use bulbwatch_api::RoomSwitch;

/// A room switch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SwitchId {
    /// Attendees may switch instrumentation points themselves.
    AttendeesSwitchPoints,
}

impl SwitchId {
    /// Every switch, in the console's order.
    pub const ALL: [SwitchId; 1] = [SwitchId::AttendeesSwitchPoints];

    /// Its id on the wire, its title and its one-line description.
    fn table(self) -> (&'static str, &'static str, &'static str) {
        match self {
            SwitchId::AttendeesSwitchPoints => (
                "attendees_switch_points",
                "Attendees switch instrumentation points",
                "When on, every attendee may switch points on and off for the room; when off, only you can.",
            ),
        }
    }

    /// The wire id: `attendees_switch_points`.
    pub fn key(self) -> &'static str {
        self.table().0
    }

    /// The switch with wire id `key`.
    pub fn find(key: &str) -> Option<SwitchId> {
        Self::ALL.into_iter().find(|id| id.key() == key)
    }

    /// Where it is saved.
    pub fn setting_key(self) -> String {
        format!("room.switch.{}", self.key())
    }

    /// The switch as the console lists it.
    pub fn describe(self, on: bool) -> RoomSwitch {
        let (id, title, description) = self.table();
        RoomSwitch {
            id: id.into(),
            title: title.into(),
            description: description.into(),
            on,
        }
    }
}
