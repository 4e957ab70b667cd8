//! The check worker's pieces in headless Chromium: the synchronous-XHR transport
//! against the test runner's own server (a page that exists, one that does not, a
//! closed port), the browser clock, and a whole check run through both.
//! Run with `cargo test -p bulbwatch-app --target wasm32-unknown-unknown`.
//!
//! These run on the page's thread (the test runner has no worker); synchronous XHR is
//! allowed there with a deprecation warning, and `Atomics.wait` is not, so the clock's
//! busy-wait fallback is what is exercised.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use bulbwatch_api::{HttpMethod, Verdict};
use bulbwatch_app::checks::protocol::RunRequest;
use bulbwatch_app::worker::{self, BrowserClock, XhrTransport};
use bulbwatch_checks::{Clock, HttpRequest, Transport};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn get(path: &str) -> HttpRequest {
    HttpRequest {
        method: HttpMethod::Get,
        path: path.to_string(),
        headers: vec![(
            "traceparent".to_string(),
            "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01".to_string(),
        )],
        body: None,
    }
}

#[wasm_bindgen_test]
fn xhr_reads_status_headers_and_body_of_a_page_that_exists() {
    let mut transport = XhrTransport::same_origin();
    let origin = web_sys::window().unwrap().location().origin().unwrap();
    assert_eq!(transport.base_url(), origin);

    let answer = transport
        .send(get("/"))
        .expect("the runner's own page answers");
    assert_eq!(answer.status, 200);
    assert!(!answer.body.is_empty(), "the body is read");
    assert!(
        answer.body.to_lowercase().contains("<html") || answer.body.contains("script"),
        "{}",
        answer.body
    );
    let content_type = answer.header("content-type").unwrap_or_default();
    assert!(content_type.contains("text/html"), "{:?}", answer.headers);
}

#[wasm_bindgen_test]
fn xhr_gives_a_404_as_an_answer_not_an_error() {
    let mut transport = XhrTransport::same_origin();
    let answer = transport
        .send(get("/no-such-file-in-the-test-runner.json"))
        .expect("a 404 is an answer");
    assert_eq!(answer.status, 404);
}

#[wasm_bindgen_test]
fn xhr_sends_a_body_with_post() {
    let mut transport = XhrTransport::same_origin();
    let answer = transport
        .send(HttpRequest {
            method: HttpMethod::Post,
            path: "/no-such-endpoint".to_string(),
            headers: vec![("content-type".into(), "application/json".into())],
            body: Some(r#"{"colour":"green"}"#.to_string()),
        })
        .expect("the runner answers a POST too");
    assert!(answer.status >= 400, "{}", answer.status);
}

#[wasm_bindgen_test]
fn xhr_to_a_closed_port_is_a_transport_error() {
    // Port 9 (discard) is closed on the test machine; nothing answers.
    let mut transport = XhrTransport::new("http://127.0.0.1:9");
    let err = transport
        .send(get("/api/bulb"))
        .expect_err("nobody listens there");
    assert!(
        err.message.starts_with("GET /api/bulb got no answer"),
        "{err}"
    );
}

#[wasm_bindgen_test]
fn clock_reads_epoch_milliseconds_and_sleeps() {
    let clock = BrowserClock::new();
    let now = clock.now_ms();
    let date_now = js_sys::Date::now();
    assert!((now - date_now).abs() < 1000.0, "{now} vs {date_now}");
    clock.sleep_ms(60);
    let slept = clock.now_ms() - now;
    assert!((59.0..2000.0).contains(&slept), "slept {slept} ms");
    // The page's thread may not block on Atomics.wait: the clock noticed and spun.
    assert!(!clock.sleeps_without_spinning());
}

#[wasm_bindgen_test]
fn a_check_runs_end_to_end_through_xhr() {
    let request = RunRequest {
        script: r#"
            let r = step("fetch the page", || http.get("/"));
            assert_eq(r.status, 200, "the runner's page");
            log(`got ${r.body.len()} characters`);
            sleep(10);
            let missing = http.get("/missing");
            assert_eq(missing.status, 200, "the missing page");
        "#
        .to_string(),
        trace_id: "0af7651916cd43dd8448eb211c80319c".to_string(),
    };
    let seen = Rc::new(RefCell::new(Vec::new()));
    let sink = Rc::clone(&seen);
    let report = worker::run(&request, move |p| sink.borrow_mut().push(p));
    assert_eq!(report.verdict, Verdict::Fail, "{:?}", report.failure);
    let failure = report.failure.unwrap();
    assert!(
        failure.message.contains("the missing page"),
        "{}",
        failure.message
    );
    assert_eq!(failure.line, Some(7));
    assert_eq!(report.requests.len(), 2);
    assert_eq!(report.requests[0].status, Some(200));
    assert_eq!(report.requests[1].status, Some(404));
    assert!(
        report
            .requests
            .iter()
            .all(|r| r.trace_id == "0af7651916cd43dd8448eb211c80319c")
    );
    assert_eq!(report.steps.len(), 1);
    assert_eq!(report.logs.len(), 1);
    assert!(
        seen.borrow().len() >= 4,
        "progress streamed: {:?}",
        seen.borrow()
    );
}
