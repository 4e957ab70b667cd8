//! What the page knows about checks, in plain Rust (no browser): editing the source,
//! the live and finished view of a run, the schedule and pass rate, the local draft,
//! and the messages between the page and the check worker. Tested natively.

pub mod draft;
pub mod editing;
pub mod format;
pub mod protocol;
pub mod request_groups;
pub mod run_view;
pub mod saving;
pub mod schedule;
