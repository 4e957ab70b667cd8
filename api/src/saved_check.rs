//! Saved checks: each attendee's checks, with every version kept, and share links.

use serde::{Deserialize, Serialize};

/// Longest check name, in characters.
pub const CHECK_NAME_MAX_CHARS: usize = 80;

/// Largest check script, in bytes.
pub const CHECK_SOURCE_MAX_BYTES: usize = 32 * 1024;

/// `POST /api/checks` and `PUT /api/checks/{id}`: a check's name and source.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SaveCheck {
    /// Name shown in lists, 1–80 characters.
    pub name: String,
    /// The Rhai source, at most 32 KB.
    pub source: String,
}

/// A saved check at its latest version (or the version asked for).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedCheck {
    /// Stable id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Source at this version.
    pub source: String,
    /// Version number, from 1.
    pub version: u32,
    /// When this version was saved, ms since the Unix epoch.
    pub saved_at_ms: i64,
    /// Id for the read-only share link `/shared/{share_id}`.
    pub share_id: String,
}

/// One line of `GET /api/checks`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckSummary {
    /// Stable id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Latest version number.
    pub version: u32,
    /// When the latest version was saved.
    pub saved_at_ms: i64,
}

/// One line of `GET /api/checks/{id}/versions`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckVersion {
    /// Version number.
    pub version: u32,
    /// When it was saved.
    pub saved_at_ms: i64,
    /// Size of its source in bytes.
    pub bytes: u32,
}

/// `GET /api/shared/{share_id}`: a read-only copy of someone's check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedCheck {
    /// The share id.
    pub share_id: String,
    /// Name.
    pub name: String,
    /// Source of the latest version.
    pub source: String,
    /// Version number.
    pub version: u32,
    /// Display name of the owner.
    pub owner: String,
}
