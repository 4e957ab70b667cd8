//! A check run: its report, and the live progress a run sends while it goes.
//!
//! The check engine (`bulbwatch-checks`) builds these in the browser worker and in the
//! terminal; the page draws them and the server records them.

use serde::{Deserialize, Serialize};

/// How a run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Every assertion held.
    Pass,
    /// The system under test misbehaved: an assertion failed, a poll gave up, or a
    /// request could not be sent.
    Fail,
    /// The check itself is wrong: a syntax error, an unknown function, a type mismatch,
    /// or a limit it ran into.
    Error,
}

/// What kind of thing went wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureKind {
    /// `assert`, `assert_eq`, a poll that gave up, or an uncaught `throw`.
    Assertion,
    /// A mistake in the script: syntax, unknown function or variable, wrong types.
    Script,
    /// The check ran past one of its limits (size, operations, depth, time).
    Limit,
    /// A request could not be sent or got no answer.
    Transport,
}

/// Why a run did not pass, and where.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Failure {
    /// What went wrong, for people.
    pub message: String,
    /// Line in the check, 1-based, when known.
    pub line: Option<u32>,
    /// Column in the check, 1-based, when known.
    pub column: Option<u32>,
    /// The innermost step the failure happened in.
    pub step: Option<String>,
    /// What kind of failure.
    pub kind: FailureKind,
    /// What the failing `assert_eq` wanted, as text (for a failure inside `poll`, the
    /// last inner assertion's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    /// What it got instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual: Option<String>,
}

/// How a step ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepOutcome {
    /// The step's closure returned.
    Pass,
    /// Something failed inside the step.
    Fail,
}

/// One `step(name, || …)` of a run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepReport {
    /// The name the check gave it.
    pub name: String,
    /// When it started, milliseconds after the run started.
    pub started_ms: f64,
    /// How long it took, milliseconds.
    pub duration_ms: f64,
    /// How it ended.
    pub outcome: StepOutcome,
    /// 0 for a top-level step, 1 for a step inside it, and so on.
    pub depth: u32,
}

/// HTTP methods a check can use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum HttpMethod {
    /// `GET`
    Get,
    /// `PUT`
    Put,
    /// `POST`
    Post,
}

impl HttpMethod {
    /// The method as it goes on the wire: `"GET"`, `"PUT"`, `"POST"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Put => "PUT",
            Self::Post => "POST",
        }
    }
}

impl std::fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One request a run sent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestReport {
    /// HTTP method.
    pub method: HttpMethod,
    /// Path relative to the server's base URL, e.g. `/api/bulb`.
    pub path: String,
    /// Response status; `None` when the request got no answer.
    pub status: Option<u16>,
    /// Milliseconds from sending to the whole answer.
    pub duration_ms: f64,
    /// The run's trace id (32 lowercase hex), sent in `traceparent`.
    pub trace_id: String,
    /// This request's span id (16 lowercase hex), sent in `traceparent`.
    pub span_id: String,
    /// The innermost step that sent it.
    pub step: Option<String>,
}

/// One `log(..)` line.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogLine {
    /// When it was logged, milliseconds after the run started.
    pub at_ms: f64,
    /// What was logged.
    pub text: String,
}

/// Everything a finished run reports.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckReport {
    /// How the run ended.
    pub verdict: Verdict,
    /// Why it did not pass; `None` on a pass.
    pub failure: Option<Failure>,
    /// Steps in the order they started.
    pub steps: Vec<StepReport>,
    /// Requests in the order they were sent.
    pub requests: Vec<RequestReport>,
    /// Log lines in the order they were logged.
    pub logs: Vec<LogLine>,
    /// Steps not kept in `steps` because the run had too many.
    #[serde(default)]
    pub steps_dropped: u32,
    /// Requests not kept in `requests` because the run sent too many.
    #[serde(default)]
    pub requests_dropped: u32,
    /// Log lines not kept in `logs` because the run logged too many.
    #[serde(default)]
    pub logs_dropped: u32,
    /// How long the run took, milliseconds.
    pub duration_ms: f64,
    /// The run's trace id: every request carried it.
    pub trace_id: String,
    /// Calls of `poll` closures over the whole run.
    pub iterations: u32,
    /// The last colour passed to `bulb.set`.
    pub colour: Option<String>,
    /// The request id the last `bulb.set` got back.
    pub request_id: Option<String>,
    /// The shard whose queue took the last `bulb.set`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<u32>,
}

impl CheckReport {
    /// Whether the run passed.
    pub fn passed(&self) -> bool {
        self.verdict == Verdict::Pass
    }
}

/// What a run tells while it goes, for the page to show live.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Progress {
    /// A step began.
    StepStarted {
        /// Its name.
        name: String,
        /// 0 for a top-level step.
        depth: u32,
    },
    /// A step ended.
    StepFinished {
        /// Its name.
        name: String,
        /// How long it took, milliseconds.
        duration_ms: f64,
        /// How it ended.
        outcome: StepOutcome,
    },
    /// A request was answered (or failed).
    Request(RequestReport),
    /// A line was logged.
    Log(LogLine),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_is_tagged_by_type() {
        let p = Progress::Request(RequestReport {
            method: HttpMethod::Put,
            path: "/api/bulb".into(),
            status: Some(202),
            duration_ms: 1.5,
            trace_id: "0af7651916cd43dd8448eb211c80319c".into(),
            span_id: "b7ad6b7169203331".into(),
            step: Some("set colour".into()),
        });
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(json["type"], "request");
        assert_eq!(json["method"], "PUT");
        assert_eq!(json["step"], "set colour");
        let back: Progress = serde_json::from_value(json).unwrap();
        assert_eq!(back, p);

        let s = Progress::StepFinished {
            name: "wait".into(),
            duration_ms: 3.0,
            outcome: StepOutcome::Fail,
        };
        assert_eq!(
            serde_json::to_value(&s).unwrap(),
            serde_json::json!({"type": "step_finished", "name": "wait", "duration_ms": 3.0, "outcome": "fail"})
        );
    }

    #[test]
    fn enums_are_snake_case() {
        assert_eq!(serde_json::to_value(Verdict::Error).unwrap(), "error");
        assert_eq!(
            serde_json::to_value(FailureKind::Transport).unwrap(),
            "transport"
        );
    }
}
