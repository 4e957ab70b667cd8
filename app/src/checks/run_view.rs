//! A run as the result pane shows it: built live from the worker's progress while the
//! check runs, then replaced by the finished report. A run stopped by the page (Stop,
//! the watchdog, a crashed worker) becomes a report from what was seen so far.

use bulbwatch_api::{
    CheckReport, Failure, FailureKind, LogLine, Progress, RequestReport, StepOutcome, StepReport,
    Verdict,
};

/// Most steps, requests and log lines kept while a run streams (the engine keeps
/// fewer; this only bounds the page).
pub const LIVE_CAP: usize = 1000;

/// Where a run is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunPhase {
    /// Still going.
    Running,
    /// Done, with this verdict.
    Finished(Verdict),
}

/// One step row: finished steps have a duration and an outcome.
#[derive(Clone, Debug, PartialEq)]
pub struct StepRow {
    /// The step's name.
    pub name: String,
    /// 0 for a top-level step.
    pub depth: u32,
    /// When it started, ms after the run started.
    pub started_ms: f64,
    /// How long it took, once finished.
    pub duration_ms: Option<f64>,
    /// How it ended, once finished.
    pub outcome: Option<StepOutcome>,
}

/// Everything the result pane shows about one run.
#[derive(Clone, Debug, PartialEq)]
pub struct RunView {
    /// Running or finished.
    pub phase: RunPhase,
    /// Why it did not pass.
    pub failure: Option<Failure>,
    /// Steps in the order they started.
    pub steps: Vec<StepRow>,
    /// Requests in the order they were sent.
    pub requests: Vec<RequestReport>,
    /// Log lines.
    pub logs: Vec<LogLine>,
    /// How long it took, once finished.
    pub duration_ms: Option<f64>,
    /// The run's trace id.
    pub trace_id: String,
    /// Steps, requests and log lines left out by the engine's caps.
    pub dropped: u32,
    /// When it started, on the page's clock (ms since the Unix epoch).
    pub started_at_ms: f64,
}

impl RunView {
    /// A run that has just started.
    pub fn running(trace_id: impl Into<String>, started_at_ms: f64) -> Self {
        Self {
            phase: RunPhase::Running,
            failure: None,
            steps: Vec::new(),
            requests: Vec::new(),
            logs: Vec::new(),
            duration_ms: None,
            trace_id: trace_id.into(),
            dropped: 0,
            started_at_ms,
        }
    }

    /// A finished run, from its report.
    pub fn finished(report: &CheckReport) -> Self {
        Self {
            phase: RunPhase::Finished(report.verdict),
            failure: report.failure.clone(),
            steps: report
                .steps
                .iter()
                .map(|s| StepRow {
                    name: s.name.clone(),
                    depth: s.depth,
                    started_ms: s.started_ms,
                    duration_ms: Some(s.duration_ms),
                    outcome: Some(s.outcome),
                })
                .collect(),
            requests: report.requests.clone(),
            logs: report.logs.clone(),
            duration_ms: Some(report.duration_ms),
            trace_id: report.trace_id.clone(),
            dropped: report.steps_dropped + report.requests_dropped + report.logs_dropped,
            started_at_ms: 0.0,
        }
    }

    /// Takes in one piece of progress, seen at `now_ms` (page clock).
    pub fn apply(&mut self, progress: Progress, now_ms: f64) {
        match progress {
            Progress::StepStarted { name, depth } => {
                if self.steps.len() < LIVE_CAP {
                    self.steps.push(StepRow {
                        name,
                        depth,
                        started_ms: now_ms - self.started_at_ms,
                        duration_ms: None,
                        outcome: None,
                    });
                }
            }
            Progress::StepFinished {
                name,
                duration_ms,
                outcome,
            } => {
                // The innermost open step of that name: steps nest, so it is the last.
                if let Some(step) = self
                    .steps
                    .iter_mut()
                    .rev()
                    .find(|s| s.outcome.is_none() && s.name == name)
                {
                    step.duration_ms = Some(duration_ms);
                    step.outcome = Some(outcome);
                }
            }
            Progress::Request(request) => {
                if self.requests.len() < LIVE_CAP {
                    self.requests.push(request);
                }
            }
            Progress::Log(line) => {
                if self.logs.len() < LIVE_CAP {
                    self.logs.push(line);
                }
            }
        }
    }

    /// Whether the run is still going.
    pub fn is_running(&self) -> bool {
        self.phase == RunPhase::Running
    }

    /// The verdict badge's text: `running…`, `pass`, `fail` or `error`.
    pub fn verdict_text(&self) -> &'static str {
        match self.phase {
            RunPhase::Running => "running…",
            RunPhase::Finished(Verdict::Pass) => "pass",
            RunPhase::Finished(Verdict::Fail) => "fail",
            RunPhase::Finished(Verdict::Error) => "error",
        }
    }

    /// The line the failure points at, if it points at one.
    pub fn failing_line(&self) -> Option<u32> {
        self.failure.as_ref().and_then(|f| f.line)
    }

    /// The report of a run the page ended (`message` says why), from what it saw:
    /// open steps count as failed, up to `now_ms`.
    pub fn ended_report(&self, message: &str, now_ms: f64) -> CheckReport {
        let elapsed = (now_ms - self.started_at_ms).max(0.0);
        let open_step = self
            .steps
            .iter()
            .rev()
            .find(|s| s.outcome.is_none())
            .map(|s| s.name.clone());
        CheckReport {
            verdict: Verdict::Error,
            failure: Some(Failure {
                message: message.to_string(),
                line: None,
                column: None,
                step: open_step,
                kind: FailureKind::Limit,
                expected: None,
                actual: None,
            }),
            steps: self
                .steps
                .iter()
                .map(|s| StepReport {
                    name: s.name.clone(),
                    started_ms: s.started_ms,
                    duration_ms: s.duration_ms.unwrap_or((elapsed - s.started_ms).max(0.0)),
                    outcome: s.outcome.unwrap_or(StepOutcome::Fail),
                    depth: s.depth,
                })
                .collect(),
            requests: self.requests.clone(),
            logs: self.logs.clone(),
            steps_dropped: 0,
            requests_dropped: 0,
            logs_dropped: 0,
            duration_ms: elapsed,
            trace_id: self.trace_id.clone(),
            iterations: 0,
            colour: None,
            request_id: None,
            shard: None,
        }
    }
}

/// The failure message of a run the attendee stopped.
pub const STOPPED: &str = "stopped";

/// Why the page ended a run itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EndReason {
    /// The attendee pressed Stop.
    Stopped,
    /// The run went past its time limit plus the watchdog's grace.
    TimedOut,
    /// The worker broke or never started.
    WorkerFailed(String),
}

impl EndReason {
    /// The failure message the run is recorded with.
    pub fn message(&self) -> String {
        match self {
            Self::Stopped => STOPPED.to_string(),
            Self::TimedOut => format!(
                "the check ran longer than {} s and was stopped: a request or sleep that never returned?",
                super::protocol::RUN_LIMIT_MS / 1000
            ),
            Self::WorkerFailed(why) => format!("the check runner failed: {why}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bulbwatch_api::HttpMethod;

    fn request(status: u16) -> RequestReport {
        RequestReport {
            method: HttpMethod::Get,
            path: "/api/bulb".into(),
            status: Some(status),
            duration_ms: 4.0,
            trace_id: "ab".repeat(16),
            span_id: "cd".repeat(8),
            step: None,
        }
    }

    #[test]
    fn progress_builds_nested_steps_live() {
        let mut run = RunView::running("ab".repeat(16), 1000.0);
        assert_eq!(run.verdict_text(), "running…");
        run.apply(
            Progress::StepStarted {
                name: "outer".into(),
                depth: 0,
            },
            1010.0,
        );
        run.apply(
            Progress::StepStarted {
                name: "inner".into(),
                depth: 1,
            },
            1020.0,
        );
        run.apply(Progress::Request(request(202)), 1030.0);
        run.apply(
            Progress::StepFinished {
                name: "inner".into(),
                duration_ms: 15.0,
                outcome: StepOutcome::Pass,
            },
            1035.0,
        );
        assert_eq!(run.steps.len(), 2);
        assert_eq!(run.steps[0].started_ms, 10.0);
        assert_eq!(run.steps[0].outcome, None, "outer still open");
        assert_eq!(run.steps[1].outcome, Some(StepOutcome::Pass));
        assert_eq!(run.steps[1].depth, 1);
        assert_eq!(run.requests.len(), 1);

        let report = run.ended_report(&EndReason::Stopped.message(), 1500.0);
        assert_eq!(report.verdict, Verdict::Error);
        let failure = report.failure.unwrap();
        assert_eq!(failure.message, "stopped");
        assert_eq!(failure.step.as_deref(), Some("outer"));
        assert_eq!(report.duration_ms, 500.0);
        assert_eq!(report.steps[0].outcome, StepOutcome::Fail);
        assert_eq!(report.steps[0].duration_ms, 490.0);
        assert_eq!(report.steps[1].duration_ms, 15.0);
        assert_eq!(report.requests.len(), 1);
    }

    #[test]
    fn finished_report_gives_verdict_and_failing_line() {
        let mut report = RunView::running("ab".repeat(16), 0.0).ended_report("x", 10.0);
        report.verdict = Verdict::Fail;
        report.failure = Some(Failure {
            message: "the bulb's colour: expected \"ultraviolet\"".into(),
            line: Some(4),
            column: Some(1),
            step: None,
            kind: FailureKind::Assertion,
            expected: None,
            actual: None,
        });
        let view = RunView::finished(&report);
        assert_eq!(view.verdict_text(), "fail");
        assert_eq!(view.failing_line(), Some(4));
        assert!(!view.is_running());
    }

    #[test]
    fn timeouts_say_how_long() {
        assert!(
            EndReason::TimedOut
                .message()
                .contains("ran longer than 30 s")
        );
    }
}
