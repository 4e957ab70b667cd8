//! `poll(times, interval_ms, || …)`: retries, what it returns, how it gives up.

use bulbwatch_checks::{FailureKind, FakeBulb, Limits, TestClock, Verdict};

use super::support::*;

#[test]
fn returns_on_the_first_true_and_counts_iterations() {
    let run = run(r#"
        let n = 0;
        let v = poll(10, 100, || { n += 1; n == 4 });
        assert_eq(v, true, "value");
        assert_eq(n, 4, "tries");
    "#);
    run.assert_passed();
    assert_eq!(run.report.iterations, 4);
    // Three waits between four tries.
    assert!((run.report.duration_ms - 300.0).abs() < 1e-9);
}

#[test]
fn returns_the_first_value_that_is_neither_false_nor_unit() {
    let run = run(r#"
        let n = 0;
        let b = poll(5, 10, || { n += 1; if n < 3 { () } else { #{tries: n} } });
        assert_eq(b.tries, 3, "value");
        let z = poll(5, 10, || 0);
        assert_eq(z, 0, "zero is a value");
    "#);
    run.assert_passed();
    assert_eq!(run.report.iterations, 4);
}

#[test]
fn retries_failed_assertions() {
    let run = run(r#"
        let n = 0;
        poll(5, 10, || { n += 1; assert(n >= 3, "not yet"); true });
        assert_eq(n, 3, "tries");
    "#);
    run.assert_passed();
}

#[test]
fn gives_up_with_the_last_assertion_at_its_own_position() {
    let run =
        run("let n = 0;\npoll(3, 10, || {\n  n += 1;\n    assert_eq(n, 99, `try ${n}`);\n});");
    assert_eq!(run.report.verdict, Verdict::Fail);
    let f = run.report.failure.as_ref().unwrap();
    assert_eq!(
        f.message,
        "poll gave up after 3 tries: try 3: expected 99, got 3"
    );
    assert_eq!(f.kind, FailureKind::Assertion);
    // The inner assertion's line and column, not the `poll(` line.
    assert_eq!((f.line, f.column), (Some(4), Some(5)));
    assert_eq!(run.report.iterations, 3);
}

#[test]
fn gives_up_saying_the_condition_stayed_false() {
    let run = run("poll(1, 10, || false)");
    assert_eq!(
        run.message(),
        "poll gave up after 1 try: the condition stayed false"
    );
    // A false after a failed assertion: the last try is what counts.
    let run = super::support::run(
        "let n = 0; poll(2, 10, || { n += 1; assert(n > 1, \"first\"); false })",
    );
    assert_eq!(
        run.message(),
        "poll gave up after 2 tries: the condition stayed false"
    );
}

#[test]
fn does_not_retry_script_errors_or_transport_errors() {
    let run = run("poll(5, 10, || no_such_fn())");
    assert_eq!(run.report.verdict, Verdict::Error);
    assert_eq!(run.report.iterations, 1);
    let run = run_with(
        "poll(5, 10, || bulb.get().colour == \"red\")",
        FakeBulb::new().unreachable("timed out"),
        Limits::default(),
        TestClock::default(),
    );
    assert_eq!(run.report.verdict, Verdict::Fail);
    assert_eq!(run.message(), "GET /api/bulb: timed out");
    assert_eq!(run.report.iterations, 1);
}

#[test]
fn iterations_add_up_over_the_run() {
    let run = run("poll(3, 0, || false)");
    assert_eq!(run.report.iterations, 3);
    let run = super::support::run(
        "let a = 0; let b = 0; poll(5, 1, || { a += 1; a == 2 }); poll(5, 1, || { b += 1; b == 3 });",
    );
    run.assert_passed();
    assert_eq!(run.report.iterations, 5);
}

#[test]
fn rejects_nonsense_arguments() {
    for script in ["poll(0, 10, || true)", "poll(3, -1, || true)"] {
        let run = run(script);
        assert_eq!(run.report.verdict, Verdict::Error, "{script}");
        assert!(
            run.message().starts_with("poll needs at least 1 try"),
            "{}",
            run.message()
        );
    }
}
