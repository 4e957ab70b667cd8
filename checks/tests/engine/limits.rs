//! Every limit ends a run with verdict Error, kind Limit and a message that says which
//! limit it was: none of them hangs or crashes.

use bulbwatch_checks::{FailureKind, FakeBulb, Limits, TestClock, Verdict};

use super::support::*;

fn assert_limit(run: &Run, message: &str) {
    assert_eq!(run.report.verdict, Verdict::Error, "{:#?}", run.report);
    let f = run.report.failure.as_ref().unwrap();
    assert_eq!(f.kind, FailureKind::Limit, "{f:?}");
    assert_eq!(f.message, message);
}

#[test]
fn the_defaults_are_the_documented_ones() {
    let l = Limits::default();
    assert_eq!(l.max_script_bytes, 32 * 1024);
    assert_eq!(l.max_operations, 5_000_000);
    assert_eq!(l.max_call_depth, 48);
    assert_eq!(l.max_string_bytes, 64 * 1024);
    assert_eq!(l.max_array_len, 10_000);
    assert_eq!(l.max_map_len, 10_000);
    assert_eq!(l.max_run_ms, 30_000);
    assert_eq!(l.max_logs, 200);
    assert_eq!(l.max_requests, 300);
    assert_eq!(l.max_steps, 300);
}

#[test]
fn an_over_long_script_is_refused_before_compiling() {
    // Not even valid Rhai: size is checked first.
    let script = format!("bulb.set(\"red\"); {}", "}".repeat(40 * 1024));
    let run = run(&script);
    assert_limit(
        &run,
        &format!(
            "the check is {} bytes; a check can be at most 32768 bytes (32 KB): make it shorter",
            script.len()
        ),
    );
    assert!(run.bulb.borrow().requests.is_empty());
    assert_eq!(run.report.failure.as_ref().unwrap().line, None);
    // Exactly at the limit is fine.
    let at_limit = format!("{}\n1", "/".repeat(32 * 1024 - 2));
    run_ok(&at_limit);
}

fn run_ok(script: &str) {
    super::support::run(script).assert_passed();
}

#[test]
fn a_runaway_loop_stops_at_the_operations_limit() {
    let run = run("let x = 0;\nloop { x += 1; }");
    assert_limit(
        &run,
        "the check ran more than 5000000 operations: is there a loop that never ends?",
    );
    assert_eq!(run.report.failure.as_ref().unwrap().line, Some(2));
}

#[test]
fn runaway_recursion_stops_at_the_call_depth_limit() {
    // Debug builds use far more stack per Rhai call than release builds.
    let run = std::thread::Builder::new()
        .stack_size(64 * 1024 * 1024)
        .spawn(|| {
            let run = run("fn down(n) { down(n + 1) }\ndown(0)");
            (run.report.verdict, run.report.failure.clone())
        })
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(run.0, Verdict::Error);
    let f = run.1.unwrap();
    assert_eq!(f.kind, FailureKind::Limit);
    assert_eq!(
        f.message,
        "calls nested more than 48 deep: is there a function that calls itself forever?"
    );
    assert_eq!(f.line, Some(2));
}

#[test]
fn recursion_within_the_limit_is_fine() {
    let run = std::thread::Builder::new()
        .stack_size(64 * 1024 * 1024)
        .spawn(|| {
            let run = run("fn down(n) { if n == 0 { 0 } else { 1 + down(n - 1) } }\nassert_eq(down(40), 40, \"depth\");");
            run.report.verdict
        })
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(run, Verdict::Pass);
}

#[test]
fn a_huge_string_stops_at_the_string_limit() {
    let run = run("let s = \"bulb\";\nloop { s += s; }");
    assert_limit(&run, "a string grew longer than 65536 bytes");
    let run = super::support::run("let s = \"x\";\ns.pad(70000, 'y');");
    assert_limit(&run, "a string grew longer than 65536 bytes");
}

#[test]
fn a_huge_array_stops_at_the_array_limit() {
    let run = run("let a = [];\nloop { a.push(1); }");
    assert_limit(&run, "an array grew past 10000 items");
}

#[test]
fn a_huge_map_stops_at_the_map_limit() {
    // Rhai measures the item an index assignment stores, not the map it grows: the
    // map is measured when it next goes through a method (or the operations limit
    // ends the loop first).
    let run = run("let m = #{};\nfor i in 0..10001 { m[`k${i}`] = i; }\nlog(m.len());");
    assert_limit(&run, "a map grew past 10000 entries");
    assert_eq!(run.report.failure.as_ref().unwrap().line, Some(3));
    let run = super::support::run(
        "let m = #{};\nfor i in 0..10001 { m[`k${i}`] = i; }\nlet n = #{}; n.mixin(m);",
    );
    assert_limit(&run, "a map grew past 10000 entries");
}

#[test]
fn a_busy_loop_stops_at_the_wall_clock_limit() {
    // Every clock reading takes 10 virtual ms; operations are not what runs out
    // (they are bounded all the same, so that a broken wall clock fails, not hangs).
    let limits = Limits {
        max_operations: 20_000_000,
        ..Limits::default()
    };
    let run = run_with(
        "loop { }",
        FakeBulb::new(),
        limits,
        TestClock::ticking(0.0, 10.0),
    );
    assert_limit(&run, "the check ran longer than 30 s");
    assert!(
        (30_000.0..30_050.0).contains(&run.report.duration_ms),
        "{}",
        run.report.duration_ms
    );
}

#[test]
fn sleeping_past_the_wall_clock_limit_stops_there() {
    let run = run("step(\"forever\", || {\n  loop { sleep(1000); }\n});");
    assert_limit(&run, "the check ran longer than 30 s");
    let f = run.report.failure.as_ref().unwrap();
    assert_eq!(f.step.as_deref(), Some("forever"));
    // Slept up to the limit, not a whole second past it.
    assert!(
        (30_000.0..30_002.0).contains(&run.report.duration_ms),
        "{}",
        run.report.duration_ms
    );
    let run = super::support::run("sleep(45000)");
    assert_limit(&run, "the check ran longer than 30 s");
    assert!(run.report.duration_ms < 30_002.0);
}

#[test]
fn a_long_poll_stops_at_the_wall_clock_limit() {
    let run = run("poll(1000, 1000, || bulb.get().colour == \"never\")");
    assert_limit(&run, "the check ran longer than 30 s");
    assert_eq!(run.report.iterations, 31);
}

#[test]
fn a_shorter_wall_clock_limit_says_its_own_length() {
    let limits = Limits {
        max_run_ms: 2_500,
        ..Limits::default()
    };
    let run = run_with("sleep(3000)", FakeBulb::new(), limits, TestClock::default());
    assert_limit(&run, "the check ran longer than 2.5 s");
}

#[test]
fn logs_are_capped_and_the_rest_counted() {
    let run = run("for i in 0..600 { log(i); }\nlog(\"one more\");");
    run.assert_passed();
    assert_eq!(run.report.logs.len(), 200);
    assert_eq!(run.report.logs_dropped, 401);
    assert_eq!(run.report.logs[199].text, "199");
    let limits = Limits {
        max_log_chars: 10,
        ..Limits::default()
    };
    let run = run_with(
        "log(\"abcdefghijklmnop\")",
        FakeBulb::new(),
        limits,
        TestClock::default(),
    );
    assert_eq!(run.logs(), ["abcdefghij…"]);
}

#[test]
fn requests_and_steps_are_capped_and_the_rest_counted() {
    let limits = Limits {
        max_requests: 5,
        max_steps: 3,
        ..Limits::default()
    };
    let run = run_with(
        "for i in 0..8 { step(`s${i}`, || bulb.get()); }",
        FakeBulb::new(),
        limits,
        TestClock::default(),
    );
    run.assert_passed();
    assert_eq!(run.report.requests.len(), 5);
    assert_eq!(run.report.requests_dropped, 3);
    assert_eq!(run.report.steps.len(), 3);
    assert_eq!(run.report.steps_dropped, 5);
    // Every request was still sent.
    assert_eq!(run.bulb.borrow().requests.len(), 8);
    // Progress heard only about what the report keeps.
    assert_eq!(run.progress.len(), 3 * 2 + 5);
}
