//! Joining the room.

use serde::{Deserialize, Serialize};

/// Longest display name, in characters (Unicode scalar values) after trimming.
pub const NAME_MAX_CHARS: usize = 40;

/// `POST /api/attendees`: join the room under a display name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JoinRequest {
    /// Display name, 1–40 characters once trimmed; any script.
    pub name: String,
    /// The room's join code (any case; spaces and dashes ignored). Required, except
    /// for the facilitator.
    #[serde(default)]
    pub code: Option<String>,
    /// A simulated attendee of a rehearsal room (`bulbwatch rehearse`, the console's
    /// rehearsal): shown as such on the board, removed in one click.
    #[serde(default)]
    pub simulated: bool,
}

/// An attendee as everyone else sees them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendee {
    /// Stable, public id (not the token).
    pub id: String,
    /// Display name as the attendee typed it, trimmed.
    pub name: String,
}

/// Answer to a join: who you are and your secret token. Browsers get the token as an
/// HttpOnly cookie too; other clients send it as `Authorization: Bearer <token>`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Joined {
    /// The attendee just created.
    pub attendee: Attendee,
    /// Unguessable bearer token; keep it secret.
    pub token: String,
}
