//! State provided to the whole page, each piece with a `provide_*` (at the top of the app)
//! and a `use_*` (anywhere below).

pub mod attendee_context;
pub mod clock_context;
pub mod error_context;
pub mod live_bulb_context;
pub mod room_context;

pub use attendee_context::{
    CurrentAttendee, Gate, MeState, provide_current_attendee, use_current_attendee,
};
pub use clock_context::{Clock, provide_clock, use_clock};
pub use error_context::{LastError, provide_last_error, use_last_error};
pub use live_bulb_context::{LiveBulb, provide_live_bulb, use_live_bulb};
pub use room_context::{Room, provide_room, use_room};
