//! What a run reports at the end, and what it tells while it goes.

use bulbwatch_checks::{
    FakeBulb, HttpMethod, Limits, LogLine, Progress, StepOutcome, TestClock, Verdict,
};

use super::support::*;

const SCRIPT: &str = r#"
log("start");
step("prepare", || {
    sleep(100);
    step("set", || {
        sleep(50);
        bulb.set("cyan");
    });
    log("set done");
});
bulb.get();
step("check", || {
    sleep(20);
    assert(bulb.get().colour == "pink", "not pink");
});
"#;

fn steps(run: &Run) -> Vec<(&str, f64, f64, StepOutcome, u32)> {
    run.report
        .steps
        .iter()
        .map(|s| {
            (
                s.name.as_str(),
                s.started_ms,
                s.duration_ms,
                s.outcome,
                s.depth,
            )
        })
        .collect()
}

#[test]
fn steps_have_offsets_durations_outcomes_and_depth() {
    let run = run(SCRIPT);
    assert_eq!(run.report.verdict, Verdict::Fail);
    assert_eq!(
        steps(&run),
        [
            ("prepare", 0.0, 150.0, StepOutcome::Pass, 0),
            ("set", 100.0, 50.0, StepOutcome::Pass, 1),
            ("check", 150.0, 20.0, StepOutcome::Fail, 0),
        ]
    );
    assert!((run.report.duration_ms - 170.0).abs() < 1e-9);
}

#[test]
fn requests_name_their_innermost_step() {
    let run = run(SCRIPT);
    let requests: Vec<(HttpMethod, &str, Option<u16>, Option<&str>)> = run
        .report
        .requests
        .iter()
        .map(|q| (q.method, q.path.as_str(), q.status, q.step.as_deref()))
        .collect();
    assert_eq!(
        requests,
        [
            (HttpMethod::Put, "/api/bulb", Some(202), Some("set")),
            (HttpMethod::Get, "/api/bulb", Some(200), None),
            (HttpMethod::Get, "/api/bulb", Some(200), Some("check")),
        ]
    );
}

#[test]
fn logs_have_their_time() {
    let run = run(SCRIPT);
    assert_eq!(
        run.report.logs,
        [
            LogLine {
                at_ms: 0.0,
                text: "start".into()
            },
            LogLine {
                at_ms: 150.0,
                text: "set done".into()
            },
        ]
    );
}

#[test]
fn request_durations_come_from_the_clock() {
    // Each clock reading moves 3 ms: a request is read before and after it is sent.
    let run = run_with(
        "let r = bulb.get(); log(r.duration_ms);",
        FakeBulb::new(),
        Limits::default(),
        TestClock::ticking(0.0, 3.0),
    );
    run.assert_passed();
    assert!((run.report.requests[0].duration_ms - 3.0).abs() < 1e-9);
    assert_eq!(run.logs(), ["3"]);
}

#[test]
fn the_report_carries_the_trace_colour_request_id_and_iterations() {
    let run = run(r#"
        bulb.set("red");
        let r = bulb.set("blue");
        poll(10, 10, || bulb.get().request_id == r.request_id);
    "#);
    run.assert_passed();
    assert_eq!(run.report.trace_id, trace_id());
    assert_eq!(run.report.colour.as_deref(), Some("blue"));
    assert_eq!(run.report.request_id.as_deref(), Some("req-2"));
    assert_eq!(run.report.iterations, 6);
    assert!(run.report.failure.is_none());
}

#[test]
fn progress_tells_steps_requests_and_logs_as_they_happen() {
    let run = run(SCRIPT);
    let kinds: Vec<String> = run
        .progress
        .iter()
        .map(|p| match p {
            Progress::StepStarted { name, depth } => format!("start {name} {depth}"),
            Progress::StepFinished { name, outcome, .. } => format!("end {name} {outcome:?}"),
            Progress::Request(q) => format!("{} {:?}", q.method, q.step),
            Progress::Log(l) => format!("log {}", l.text),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "log start",
            "start prepare 0",
            "start set 1",
            "PUT Some(\"set\")",
            "end set Pass",
            "log set done",
            "end prepare Pass",
            "GET None",
            "start check 0",
            "GET Some(\"check\")",
            "end check Fail",
        ]
    );
    // What progress told matches the report.
    let told: Vec<_> = run
        .progress
        .iter()
        .filter_map(|p| match p {
            Progress::Request(q) => Some(q.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(told, run.report.requests);
}

#[test]
fn the_report_is_json_for_the_wire() {
    let run = run(SCRIPT);
    let json = serde_json::to_value(&run.report).unwrap();
    assert_eq!(json["verdict"], "fail");
    assert_eq!(json["failure"]["kind"], "assertion");
    assert_eq!(json["failure"]["step"], "check");
    assert_eq!(json["failure"]["line"], 14);
    assert_eq!(json["steps"][1]["depth"], 1);
    assert_eq!(json["requests"][0]["method"], "PUT");
    let back: bulbwatch_checks::CheckReport = serde_json::from_value(json).unwrap();
    assert_eq!(back, run.report);
}

#[test]
fn long_step_names_and_failure_messages_are_cut() {
    let run = run(
        r#"let n = "s"; n.pad(500, 'x'); let m = "m"; m.pad(9000, 'y'); step(n, || assert(false, m))"#,
    );
    let f = run.report.failure.as_ref().unwrap();
    assert_eq!(f.message.chars().count(), 501);
    assert!(f.message.ends_with('…'));
    let step = f.step.as_deref().unwrap();
    assert_eq!(step.chars().count(), 201);
    assert_eq!(run.report.steps[0].name, step);
}
