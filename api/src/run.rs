//! Recorded check runs: what the page (or the terminal) posts after a run, and what
//! the history and a run's page read back.

use serde::{Deserialize, Serialize};

use crate::{Attendee, CheckReport, Verdict};

/// `POST /api/runs`: record a finished run as the calling attendee.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordRun {
    /// The saved check it ran, if it was one of the attendee's.
    #[serde(default)]
    pub check_id: Option<String>,
    /// Name of the check, 1–80 characters.
    pub check_name: String,
    /// The engine's report.
    pub report: CheckReport,
    /// Whether a schedule started it (the board shows who has one running).
    #[serde(default)]
    pub scheduled: bool,
}

/// One recorded run, as the history strip shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunSummary {
    /// Id of the run (its page is `/runs/{run_id}`).
    pub run_id: String,
    /// The saved check, if any.
    pub check_id: Option<String>,
    /// Name of the check.
    pub check_name: String,
    /// How it ended.
    pub verdict: Verdict,
    /// How long it took, ms.
    pub duration_ms: f64,
    /// When it started (server clock), ms since the Unix epoch.
    pub started_at_ms: i64,
    /// The failure message, if it did not pass.
    pub message: Option<String>,
}

/// `GET /api/runs/{run_id}`: a run with its whole report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunDetail {
    /// The summary.
    pub summary: RunSummary,
    /// Who ran it.
    pub attendee: Attendee,
    /// The report as the engine made it.
    pub report: CheckReport,
}
