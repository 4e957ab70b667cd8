//! Running a check against the fake bulb in virtual time, keeping what it tells.

use std::cell::RefCell;
use std::rc::Rc;

use bulbwatch_checks::{
    CheckReport, FakeBulb, Limits, Progress, RunOptions, TestClock, run_check, trace_id_from_bytes,
};

/// The trace id every test run uses.
pub fn trace_id() -> String {
    trace_id_from_bytes([0x4b; 16])
}

/// What one run left behind.
pub struct Run {
    pub report: CheckReport,
    pub bulb: Rc<RefCell<FakeBulb>>,
    pub clock: Rc<TestClock>,
    pub progress: Vec<Progress>,
}

impl Run {
    /// The failure message, or a panic that shows the report.
    pub fn message(&self) -> &str {
        &self
            .report
            .failure
            .as_ref()
            .unwrap_or_else(|| panic!("expected a failure, got {:#?}", self.report))
            .message
    }

    /// The log lines' texts.
    pub fn logs(&self) -> Vec<&str> {
        self.report.logs.iter().map(|l| l.text.as_str()).collect()
    }

    /// Panics, showing the report, unless the run passed.
    pub fn assert_passed(&self) {
        assert!(self.report.passed(), "{:#?}", self.report);
    }
}

/// Runs `script` against a fresh fake bulb with the default limits.
pub fn run(script: &str) -> Run {
    run_with(
        script,
        FakeBulb::new(),
        Limits::default(),
        TestClock::default(),
    )
}

/// Runs `script` against `bulb` with these limits and this clock.
pub fn run_with(script: &str, bulb: FakeBulb, limits: Limits, clock: TestClock) -> Run {
    let bulb = Rc::new(RefCell::new(bulb));
    let clock = Rc::new(clock);
    let progress = Rc::new(RefCell::new(Vec::new()));
    let sink = progress.clone();
    let options = RunOptions {
        trace_id: trace_id(),
        limits,
    };
    let report = run_check(script, &options, bulb.clone(), clock.clone(), move |p| {
        sink.borrow_mut().push(p);
    });
    let progress = progress.borrow().clone();
    Run {
        report,
        bulb,
        clock,
        progress,
    }
}
