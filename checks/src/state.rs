//! What a run knows while it goes, shared by every host function (`Rc<RefCell<…>>`:
//! Rhai's registered functions are `'static`, and a run is single-threaded).
//! Borrows are kept short: never held across a call back into the script.

use std::cell::RefCell;
use std::rc::Rc;

use bulbwatch_api::{LogLine, Progress, RequestReport, StepOutcome, StepReport};
use rhai::{EvalAltResult, Position};

use crate::clock::Clock;
use crate::failure::wall_clock_error;
use crate::limits::Limits;
use crate::traceparent::SpanIds;
use crate::transport::Transport;

/// Longest step name kept; a longer one is cut (the report travels to the server).
pub const STEP_NAME_MAX_CHARS: usize = 200;

/// At most `max` characters of `text`, with `…` where it was cut.
pub(crate) fn truncate_chars(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

/// The state of one run, shared by the host functions.
pub(crate) type Shared = Rc<RefCell<RunState>>;

/// A step that has started and not yet finished.
struct OpenStep {
    name: String,
    /// Index in `steps`, unless the step was over the cap.
    index: Option<usize>,
    started_ms: f64,
}

pub(crate) struct RunState {
    pub transport: Rc<RefCell<dyn Transport>>,
    pub clock: Rc<dyn Clock>,
    progress: Box<dyn FnMut(Progress)>,
    pub limits: Limits,
    /// Clock reading when the run started.
    pub started_ms: f64,
    pub trace_id: String,
    span_ids: SpanIds,
    pub steps: Vec<StepReport>,
    pub steps_dropped: u32,
    open_steps: Vec<OpenStep>,
    pub requests: Vec<RequestReport>,
    pub requests_dropped: u32,
    pub logs: Vec<LogLine>,
    pub logs_dropped: u32,
    pub iterations: u32,
    pub colour: Option<String>,
    pub request_id: Option<String>,
    /// The shard the last `bulb.set` went to.
    pub shard: Option<u32>,
    /// The innermost step the last error left through: (its fingerprint, step name).
    pub error_step: Option<(String, String)>,
}

impl RunState {
    pub(crate) fn new(
        transport: Rc<RefCell<dyn Transport>>,
        clock: Rc<dyn Clock>,
        progress: Box<dyn FnMut(Progress)>,
        limits: Limits,
        trace_id: String,
    ) -> Self {
        let started_ms = clock.now_ms();
        Self {
            transport,
            clock,
            progress,
            limits,
            started_ms,
            span_ids: SpanIds::new(&trace_id),
            trace_id,
            steps: Vec::new(),
            steps_dropped: 0,
            open_steps: Vec::new(),
            requests: Vec::new(),
            requests_dropped: 0,
            logs: Vec::new(),
            logs_dropped: 0,
            iterations: 0,
            colour: None,
            request_id: None,
            shard: None,
            error_step: None,
        }
    }

    /// Milliseconds since the run started.
    pub(crate) fn elapsed_ms(&self) -> f64 {
        self.clock.now_ms() - self.started_ms
    }

    /// Milliseconds left before the wall-clock limit (negative when past it).
    #[allow(clippy::cast_precision_loss)]
    pub(crate) fn remaining_ms(&self) -> f64 {
        self.limits.max_run_ms as f64 - self.elapsed_ms()
    }

    /// `Err` once the run is past its wall-clock limit.
    pub(crate) fn check_deadline(&self, pos: Position) -> Result<(), Box<EvalAltResult>> {
        if self.remaining_ms() < 0.0 {
            return Err(wall_clock_error(pos));
        }
        Ok(())
    }

    pub(crate) fn next_span_id(&mut self) -> String {
        self.span_ids.next_id()
    }

    /// The innermost open step.
    pub(crate) fn current_step(&self) -> Option<String> {
        self.open_steps.last().map(|s| s.name.clone())
    }

    pub(crate) fn start_step(&mut self, name: &str) {
        let name = &truncate_chars(name, STEP_NAME_MAX_CHARS);
        let depth = u32::try_from(self.open_steps.len()).unwrap_or(u32::MAX);
        let started_ms = self.elapsed_ms();
        let index = if self.steps.len() < self.limits.max_steps {
            self.steps.push(StepReport {
                name: name.to_string(),
                started_ms,
                duration_ms: 0.0,
                outcome: StepOutcome::Pass,
                depth,
            });
            (self.progress)(Progress::StepStarted {
                name: name.to_string(),
                depth,
            });
            Some(self.steps.len() - 1)
        } else {
            self.steps_dropped += 1;
            None
        };
        self.open_steps.push(OpenStep {
            name: name.to_string(),
            index,
            started_ms,
        });
    }

    /// Ends the innermost step; answers its name as the report keeps it.
    pub(crate) fn finish_step(&mut self, outcome: StepOutcome) -> String {
        let Some(open) = self.open_steps.pop() else {
            return String::new();
        };
        let name = open.name.clone();
        let duration_ms = self.elapsed_ms() - open.started_ms;
        if let Some(step) = open.index.and_then(|i| self.steps.get_mut(i)) {
            step.duration_ms = duration_ms;
            step.outcome = outcome;
            (self.progress)(Progress::StepFinished {
                name: open.name,
                duration_ms,
                outcome,
            });
        }
        name
    }

    pub(crate) fn record_request(&mut self, request: RequestReport) {
        if self.requests.len() < self.limits.max_requests {
            (self.progress)(Progress::Request(request.clone()));
            self.requests.push(request);
        } else {
            self.requests_dropped += 1;
        }
    }

    pub(crate) fn log(&mut self, text: &str) {
        if self.logs.len() >= self.limits.max_logs {
            self.logs_dropped += 1;
            return;
        }
        let line = LogLine {
            at_ms: self.elapsed_ms(),
            text: truncate_chars(text, self.limits.max_log_chars),
        };
        (self.progress)(Progress::Log(line.clone()));
        self.logs.push(line);
    }
}

#[cfg(test)]
mod tests {
    use super::truncate_chars;

    #[test]
    fn truncation_counts_characters_and_marks_the_cut() {
        assert_eq!(truncate_chars("grün", 3), "grü…");
        assert_eq!(truncate_chars("grün", 4), "grün");
        assert_eq!(truncate_chars("", 0), "");
    }
}
