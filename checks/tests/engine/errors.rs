//! Mistakes in the script come back as verdict Error with the line and column, and
//! network trouble as verdict Fail at the call that met it.

use bulbwatch_checks::{FailureKind, FakeBulb, Limits, RunOptions, TestClock, Verdict, run_check};

use super::support::*;

fn assert_script_error(run: &Run, message: &str, line: u32, column: u32) {
    assert_eq!(run.report.verdict, Verdict::Error, "{:#?}", run.report);
    let f = run.report.failure.as_ref().unwrap();
    assert_eq!(f.kind, FailureKind::Script);
    assert_eq!(f.message, message);
    assert_eq!((f.line, f.column), (Some(line), Some(column)), "{f:?}");
}

#[test]
fn a_syntax_error_has_its_position_and_runs_nothing() {
    let run = run("bulb.set(\"red\");\nlet x = ;\n");
    assert_script_error(&run, "Unexpected ';'", 2, 9);
    assert!(run.bulb.borrow().requests.is_empty());
    assert!(run.report.steps.is_empty());
}

#[test]
fn an_unclosed_block_is_a_syntax_error() {
    let run = run("step(\"a\", || {\n  bulb.get();\n");
    assert_eq!(run.report.verdict, Verdict::Error);
    let f = run.report.failure.as_ref().unwrap();
    assert_eq!(f.kind, FailureKind::Script);
    assert!(f.line.is_some(), "{f:?}");
}

#[test]
fn an_unknown_function_has_its_position() {
    let run = run("let a = 1;\n  blink(a);");
    assert_script_error(&run, "Function not found: blink (i64)", 2, 3);
}

#[test]
fn an_unknown_function_inside_steps_has_its_position_and_step() {
    let run = run("step(\"outer\", || {\n  step(\"inner\", || {\n    blink(2)\n  })\n});");
    assert_script_error(&run, "Function not found: blink (i64)", 3, 5);
    let f = run.report.failure.as_ref().unwrap();
    assert_eq!(f.step.as_deref(), Some("inner"));
}

#[test]
fn a_type_mismatch_is_a_script_error() {
    let run = run("\nbulb.set(5)");
    assert_script_error(&run, "Function not found: set (Bulb, i64)", 2, 6);
    let run = super::support::run("let x = \"a\" - 1;");
    assert_eq!(run.report.verdict, Verdict::Error);
}

#[test]
fn an_unknown_variable_is_a_script_error() {
    let run = run("let a = 1;\nlog(colr);");
    assert_script_error(&run, "Variable not found: colr", 2, 5);
}

#[test]
fn a_transport_error_fails_at_the_call() {
    let run = run_with(
        "step(\"look\", || {\n  let b = bulb.get();\n});",
        FakeBulb::new().unreachable("connection refused"),
        Limits::default(),
        TestClock::default(),
    );
    assert_eq!(run.report.verdict, Verdict::Fail);
    let f = run.report.failure.as_ref().unwrap();
    assert_eq!(f.message, "GET /api/bulb: connection refused");
    assert_eq!(f.kind, FailureKind::Transport);
    assert_eq!(f.step.as_deref(), Some("look"));
    assert_eq!(f.line, Some(2));
    let q = &run.report.requests[0];
    assert_eq!((q.path.as_str(), q.status), ("/api/bulb", None));
}

#[test]
fn a_transport_error_on_http_names_method_and_path() {
    let run = run_with(
        "http.post(\"/echo\", #{})",
        FakeBulb::new().unreachable("DNS lookup failed"),
        Limits::default(),
        TestClock::default(),
    );
    assert_eq!(run.message(), "POST /echo: DNS lookup failed");
}

#[test]
fn a_transport_error_can_be_caught() {
    let run = run_with(
        "try { bulb.get(); } catch (e) { log(`down: ${e}`); }",
        FakeBulb::new().unreachable("refused"),
        Limits::default(),
        TestClock::default(),
    );
    run.assert_passed();
    assert_eq!(run.logs(), ["down: GET /api/bulb: refused"]);
}

#[test]
fn a_bad_trace_id_is_refused() {
    let report = run_check(
        "bulb.get()",
        &RunOptions::new("not-a-trace-id"),
        std::rc::Rc::new(std::cell::RefCell::new(FakeBulb::new())),
        std::rc::Rc::new(TestClock::default()),
        |_| {},
    );
    assert_eq!(report.verdict, Verdict::Error);
    assert!(report.failure.unwrap().message.contains("trace id"));
    assert!(report.requests.is_empty());
}

#[test]
fn modules_cannot_be_imported() {
    let run = run("import \"/etc/passwd\" as p;");
    assert_eq!(run.report.verdict, Verdict::Error);
    assert_eq!(run.message(), "'import' is a reserved keyword");
    assert_eq!(run.report.failure.as_ref().unwrap().line, Some(1));
}
