//! The workshop's default check against the fake bulb: it passes when the bulb
//! applies the change, and fails where and why the workshop expects otherwise.

use bulbwatch_checks::{
    CLASSIC_CHECK, FailureKind, FakeBulb, HttpMethod, Limits, StepOutcome, TestClock, Verdict,
};

use super::support::*;

/// A clock whose `now()` makes the classic check pick green (index 3 of 9).
fn green_clock() -> TestClock {
    TestClock::new(1_700_000_000_004.0)
}

/// 1-based line and column of the first `needle` in the classic check.
fn position_of(needle: &str) -> (u32, u32) {
    let (line, text) = CLASSIC_CHECK
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains(needle))
        .unwrap();
    let column = text.find(needle).unwrap() + 1;
    (
        u32::try_from(line + 1).unwrap(),
        u32::try_from(column).unwrap(),
    )
}

#[test]
fn passes_when_the_bulb_applies_the_change() {
    let run = run_with(
        CLASSIC_CHECK,
        FakeBulb::new(),
        Limits::default(),
        green_clock(),
    );
    run.assert_passed();
    let r = &run.report;
    assert_eq!(r.colour.as_deref(), Some("green"));
    assert_eq!(r.request_id.as_deref(), Some("req-1"));
    assert_eq!(run.bulb.borrow().state().colour, "green");
    // The fake applies on the third poll.
    assert_eq!(r.iterations, 3);
    let names: Vec<(&str, StepOutcome)> = r
        .steps
        .iter()
        .map(|s| (s.name.as_str(), s.outcome))
        .collect();
    assert_eq!(
        names,
        [
            ("set colour", StepOutcome::Pass),
            ("wait for the bulb", StepOutcome::Pass)
        ]
    );
    // Two waits of 100 ms between the three polls, in virtual time.
    assert!(
        (r.steps[1].duration_ms - 200.0).abs() < 1e-9,
        "{:?}",
        r.steps
    );
    assert_eq!(r.requests.len(), 4);
    assert_eq!(r.requests[0].method, HttpMethod::Put);
    assert_eq!(r.requests[0].step.as_deref(), Some("set colour"));
    assert!(r.requests[1..].iter().all(|q| q.method == HttpMethod::Get
        && q.step.as_deref() == Some("wait for the bulb")
        && q.status == Some(200)));
    assert_eq!(
        run.logs(),
        [
            "asking for green",
            "the service accepted it: 1 in the queue, ours included",
            "the bulb shows green"
        ]
    );
}

#[test]
fn picks_its_colour_from_the_clock() {
    let a = run_with(
        CLASSIC_CHECK,
        FakeBulb::new(),
        Limits::default(),
        TestClock::new(0.0),
    );
    let b = run_with(
        CLASSIC_CHECK,
        FakeBulb::new(),
        Limits::default(),
        TestClock::new(1.0),
    );
    a.assert_passed();
    b.assert_passed();
    assert_eq!(a.report.colour.as_deref(), Some("red"));
    assert_eq!(b.report.colour.as_deref(), Some("orange"));
}

#[test]
fn fails_in_the_wait_step_when_the_bulb_never_applies() {
    let run = run_with(
        CLASSIC_CHECK,
        FakeBulb::new().stuck(),
        Limits::default(),
        green_clock(),
    );
    assert_eq!(run.report.verdict, Verdict::Fail);
    let f = run.report.failure.as_ref().unwrap();
    assert_eq!(
        f.message,
        r#"poll gave up after 30 tries: the bulb's colour: expected "green", got "white""#
    );
    assert_eq!(f.kind, FailureKind::Assertion);
    // The last inner assertion's values, as text for the run's event.
    assert_eq!(
        (f.expected.as_deref(), f.actual.as_deref()),
        (Some("green"), Some("white"))
    );
    assert_eq!(f.step.as_deref(), Some("wait for the bulb"));
    // The line of the inner assertion that failed, not the `poll(` line.
    let (line, column) = position_of("assert_eq(state.colour");
    assert_eq!((f.line, f.column), (Some(line), Some(column)));
    assert_eq!(run.report.iterations, 30);
    assert_eq!(run.report.steps[1].outcome, StepOutcome::Fail);
    assert_eq!(run.report.steps[0].outcome, StepOutcome::Pass);
    // 29 waits of 100 ms.
    assert!((run.report.steps[1].duration_ms - 2900.0).abs() < 1e-9);
    assert_eq!(run.report.requests.len(), 31);
}

#[test]
fn fails_when_another_writers_colour_lands() {
    let run = run_with(
        CLASSIC_CHECK,
        FakeBulb::new().with_intruder("red"),
        Limits::default(),
        green_clock(),
    );
    assert_eq!(run.report.verdict, Verdict::Fail);
    assert_eq!(
        run.message(),
        r#"poll gave up after 30 tries: the bulb's colour: expected "green", got "red""#
    );
    let f = run.report.failure.as_ref().unwrap();
    assert_eq!(f.step.as_deref(), Some("wait for the bulb"));
    assert_eq!(f.line, Some(position_of("assert_eq(state.colour").0));
}

#[test]
fn fails_on_the_request_id_when_someone_else_set_the_same_colour() {
    let run = run_with(
        CLASSIC_CHECK,
        FakeBulb::new().with_intruder("green"),
        Limits::default(),
        green_clock(),
    );
    assert_eq!(
        run.message(),
        r#"poll gave up after 30 tries: the change the bulb shows: expected "req-1", got "req-2""#
    );
    let f = run.report.failure.as_ref().unwrap();
    assert_eq!(f.line, Some(position_of("assert_eq(state.request_id").0));
}

#[test]
fn fails_in_the_set_step_when_the_service_is_unreachable() {
    let run = run_with(
        CLASSIC_CHECK,
        FakeBulb::new().unreachable("connection refused"),
        Limits::default(),
        green_clock(),
    );
    assert_eq!(run.report.verdict, Verdict::Fail);
    let f = run.report.failure.as_ref().unwrap();
    assert_eq!(f.message, "PUT /api/bulb: connection refused");
    assert_eq!(f.kind, FailureKind::Transport);
    assert_eq!(f.step.as_deref(), Some("set colour"));
    assert_eq!(f.line, Some(position_of("bulb.set(").0));
    assert_eq!(run.report.requests.len(), 1);
    assert_eq!(run.report.requests[0].status, None);
    assert_eq!(run.report.colour.as_deref(), Some("green"));
    assert_eq!(run.report.request_id, None);
}
