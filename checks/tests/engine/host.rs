//! Each host function on its own: bulb, http, assert, assert_eq, step, sleep, log, now.

use bulbwatch_checks::{FailureKind, FakeBulb, HttpMethod, Limits, TestClock, Verdict};

use super::support::*;

#[test]
fn bulb_set_puts_the_colour_and_unpacks_the_answer() {
    let run = run(r#"
        let r = bulb.set("green");
        assert_eq(r.status, 202, "status");
        assert_eq(r.request_id, "req-1", "request id");
        assert_eq(r.queue_length, 1, "queue length");
        assert_eq(r.json.request_id, "req-1", "json");
        assert_eq(type_of(r.duration_ms), "i64", "duration type");
    "#);
    run.assert_passed();
    let bulb = run.bulb.borrow();
    let put = &bulb.requests[0];
    assert_eq!(put.method, HttpMethod::Put);
    assert_eq!(put.path, "/api/bulb");
    assert_eq!(put.body.as_deref(), Some(r#"{"colour":"green"}"#));
    assert_eq!(put.header("content-type"), Some("application/json"));
    assert_eq!(run.report.colour.as_deref(), Some("green"));
    assert_eq!(run.report.request_id.as_deref(), Some("req-1"));
}

#[test]
fn bulb_set_does_not_throw_on_a_4xx() {
    let run = run(r#"
        let r = bulb.set("mauve");
        assert_eq(r.status, 400, "status");
        assert_eq(r.request_id, (), "no request id");
        assert_eq(r.json.error.code, "invalid_input", "error code");
    "#);
    run.assert_passed();
    assert_eq!(run.report.colour.as_deref(), Some("mauve"));
    assert_eq!(run.report.request_id, None);
}

#[test]
fn bulb_set_takes_a_map_body() {
    let run = run(r##"
        let r = bulb.set(#{colour: "#00ff00"});
        assert_eq(r.status, 202, "status");
    "##);
    run.assert_passed();
    assert_eq!(
        run.bulb.borrow().requests[0].body.as_deref(),
        Some(r##"{"colour":"#00ff00"}"##)
    );
    assert_eq!(run.report.colour.as_deref(), Some("#00ff00"));
}

#[test]
fn bulb_get_answers_the_state_with_status_and_duration() {
    let run = run(r##"
        let b = bulb.get();
        assert_eq(b.status, 200, "status");
        assert_eq(b.colour, "white", "colour");
        assert_eq(b.hex, "#ffffff", "hex");
        assert_eq(b.request_id, (), "request id");
        assert_eq(b.queue_delay_ms, 400, "delay");
        assert("duration_ms" in b, "duration");
        bulb.set("blue");
        bulb.get(); bulb.get();
        let b = bulb.get();
        assert_eq(b.colour, "blue", "applied");
        assert_eq(b.applied_by.name, "you", "nested maps");
    "##);
    run.assert_passed();
}

#[test]
fn http_get_answers_status_json_headers_body_and_duration() {
    let run = run(r#"
        let r = http.get("/text");
        assert_eq(r.status, 200, "status");
        assert_eq(r.body, "hello, bulb", "body");
        assert_eq(r.json, (), "not JSON");
        assert_eq(r.headers["content-type"], "text/plain", "lowercase names");
        assert_eq(r.headers["x-thing"], "a, b", "repeated headers joined");
        assert_eq(r.duration_ms, 0, "virtual time");
        let nf = http.get("/nowhere");
        assert_eq(nf.status, 404, "404 is an answer");
        assert_eq(nf.json.error.code, "not_found", "error json");
        assert_eq(http.get("/status/503").status, 503, "5xx is an answer");
    "#);
    run.assert_passed();
    let bulb = run.bulb.borrow();
    assert_eq!(bulb.requests[0].body, None);
    assert_eq!(bulb.requests[0].header("content-type"), None);
}

#[test]
fn http_put_and_post_send_maps_and_arrays_as_json_and_strings_as_they_are() {
    let run = run(r#"
        let r = http.put("/echo", #{colour: "red", hue: 1, ok: true, list: [1, 2.5, ()]});
        assert_eq(r.json.method, "PUT", "method");
        assert_eq(r.json.body, #{colour: "red", hue: 1, ok: true, list: [1, 2.5, ()]}, "body");
        assert_eq(r.json.content_type, "application/json", "content type");
        let p = http.post("/echo", [1, 2]);
        assert_eq(p.json.method, "POST", "method");
        assert_eq(p.json.body, [1, 2], "array body");
        let s = http.post("/echo", "{not json");
        assert_eq(s.json.body, "{not json", "raw string body");
        let e = http.post("/echo");
        assert_eq(e.json.body, (), "no body");
    "#);
    run.assert_passed();
    let bulb = run.bulb.borrow();
    assert_eq!(bulb.requests[2].body.as_deref(), Some("{not json"));
    assert_eq!(bulb.requests[3].body, None);
}

#[test]
fn http_paths_must_be_relative_to_the_server() {
    let run = run(r#"http.get("https://example.com/api/bulb")"#);
    assert_eq!(run.report.verdict, Verdict::Error);
    assert!(
        run.message().contains("must start with /"),
        "{}",
        run.message()
    );
    assert!(run.bulb.borrow().requests.is_empty());
}

#[test]
fn http_bodies_must_have_a_json_form() {
    let run = run(r#"http.put("/echo", || 1)"#);
    assert_eq!(run.report.verdict, Verdict::Error);
    assert_eq!(
        run.report.failure.as_ref().unwrap().kind,
        FailureKind::Script
    );
    assert!(
        run.message().contains("a body must be"),
        "{}",
        run.message()
    );
}

#[test]
fn bulb_and_http_are_visible_inside_functions_and_closures() {
    let run = run(r#"
        fn colour_now() { bulb.get().colour }
        let f = || http.get("/text").status;
        assert_eq(colour_now(), "white", "in a fn");
        assert_eq(f.call(), 200, "in a closure");
        let bulb = "mine";
        assert_eq(bulb, "mine", "a check can shadow them");
    "#);
    run.assert_passed();
}

#[test]
fn assert_passes_on_true_and_fails_with_its_message() {
    run("assert(1 < 2, \"fine\"); assert(true);").assert_passed();
    let run = run("let x = 1;\nassert(x > 2, \"x must be over 2\");");
    assert_eq!(run.report.verdict, Verdict::Fail);
    let f = run.report.failure.as_ref().unwrap();
    assert_eq!(f.message, "x must be over 2");
    assert_eq!(f.kind, FailureKind::Assertion);
    assert_eq!((f.line, f.column), (Some(2), Some(1)));
}

#[test]
fn assert_without_a_message_and_with_a_non_bool() {
    assert_eq!(run("assert(false)").message(), "assertion failed");
    let run = run("assert(1, \"numbers are not conditions\")");
    assert_eq!(run.report.verdict, Verdict::Error);
    assert_eq!(
        run.message(),
        "assert needs true or false as its condition, got i64"
    );
}

#[test]
fn assert_eq_messages_show_both_values() {
    let cases = [
        (
            r#"assert_eq("red", "green", "colour")"#,
            r#"colour: expected "green", got "red""#,
        ),
        (
            r#"assert_eq(404, 202, "status")"#,
            "status: expected 202, got 404",
        ),
        (
            r#"assert_eq((), "req-1", "id")"#,
            r#"id: expected "req-1", got ()"#,
        ),
        (r#"assert_eq(1, "1")"#, r#"expected "1", got 1"#),
        (
            r#"assert_eq(#{a: 1}, #{a: 2}, "map")"#,
            r#"map: expected #{"a": 2}, got #{"a": 1}"#,
        ),
    ];
    for (script, message) in cases {
        let run = run(script);
        assert_eq!(run.report.verdict, Verdict::Fail, "{script}");
        assert_eq!(run.message(), message, "{script}");
    }
}

#[test]
fn assert_eq_compares_like_rhai() {
    run(r#"
        assert_eq(1, 1.0, "int and float");
        assert_eq([1, "a", #{b: ()}], [1, "a", #{b: ()}], "arrays and maps by content");
        assert_eq('c', "c", "char and string");
    "#)
    .assert_passed();
}

#[test]
fn step_returns_its_closures_value_and_nests() {
    let run = run(r#"
        let v = step("outer", || {
            step("inner", || 41) + 1
        });
        assert_eq(v, 42, "value");
    "#);
    run.assert_passed();
    let steps: Vec<(&str, u32)> = run
        .report
        .steps
        .iter()
        .map(|s| (s.name.as_str(), s.depth))
        .collect();
    assert_eq!(steps, [("outer", 0), ("inner", 1)]);
}

#[test]
fn a_failure_records_the_innermost_step() {
    let run = run(r#"
        step("outer", || {
            step("middle", || {
                step("inner", || {
                    assert(false, "deep")
                });
            });
        });
    "#);
    let f = run.report.failure.as_ref().unwrap();
    assert_eq!(f.step.as_deref(), Some("inner"));
    assert_eq!((f.line, f.column), (Some(5), Some(21)));
    assert!(
        run.report
            .steps
            .iter()
            .all(|s| s.outcome == bulbwatch_checks::StepOutcome::Fail)
    );
}

#[test]
fn a_caught_failure_does_not_blame_its_step() {
    let run = run(r#"
        step("outer", || {
            try { step("tries", || assert(false, "caught")); } catch (e) { log(e); }
            assert(false, "later");
        });
    "#);
    let f = run.report.failure.as_ref().unwrap();
    assert_eq!(f.message, "later");
    assert_eq!(f.step.as_deref(), Some("outer"));
    assert_eq!(run.logs(), ["caught"]);
}

#[test]
fn sleep_waits_on_the_clock_and_now_reads_it() {
    let run = run_with(
        r#"
        let t0 = now();
        sleep(250);
        sleep(0.5);
        sleep(-3);
        let t1 = now();
        assert_eq(t1 - t0, 251, "slept");
        assert_eq(type_of(t0), "i64", "now is whole ms");
        "#,
        FakeBulb::new(),
        Limits::default(),
        TestClock::new(5_000.0),
    );
    run.assert_passed();
    assert!((run.clock.peek_ms() - 5_251.0).abs() < 1e-9);
}

#[test]
fn now_is_read_each_time_it_is_called() {
    let run = run_with(
        "let a = now(); let b = now(); assert(b > a, `${a} then ${b}`);",
        FakeBulb::new(),
        Limits::default(),
        TestClock::ticking(0.0, 1.0),
    );
    run.assert_passed();
}

#[test]
fn log_takes_any_value_and_print_and_debug_log_too() {
    let run = run(r#"
        log("text");
        log(42);
        log([1, "a"]);
        log(#{a: ()});
        log(bulb.get().colour);
        print("printed");
        debug("debugged");
    "#);
    run.assert_passed();
    assert_eq!(
        run.logs(),
        [
            "text",
            "42",
            r#"[1, "a"]"#,
            r#"#{"a": ()}"#,
            "white",
            "printed",
            r#""debugged""#
        ]
    );
}

#[test]
fn an_uncaught_throw_fails_the_check() {
    let run = run("\nthrow \"the bulb looks wrong\";");
    assert_eq!(run.report.verdict, Verdict::Fail);
    let f = run.report.failure.as_ref().unwrap();
    assert_eq!(f.message, "the bulb looks wrong");
    assert_eq!(f.kind, FailureKind::Assertion);
    assert_eq!(f.line, Some(2));
}

#[test]
fn exit_ends_the_check_as_a_pass() {
    let run = run("step(\"s\", || { exit(); }); assert(false, \"not reached\");");
    run.assert_passed();
    assert_eq!(
        run.report.steps[0].outcome,
        bulbwatch_checks::StepOutcome::Pass
    );
}
