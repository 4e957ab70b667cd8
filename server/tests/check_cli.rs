//! `bulbwatch check` against a real server on port 0: the exit code says pass (0),
//! fail (1) or a broken check (2); the output reads like the page; the run is
//! recorded on the server as the attendee.

use std::net::SocketAddr;
use std::process::{Command, Output};
use std::sync::Arc;

use bulbwatch::bulb::VirtualBulb;
use bulbwatch::store::Store;
use bulbwatch::{Application, Settings};
use bulbwatch_api::{CheckReport, HttpMethod, SpanKind, Verdict};

async fn bulbwatch_check(file: std::path::PathBuf, url: String, extra: &[&str]) -> Output {
    let extra: Vec<String> = extra.iter().map(|s| (*s).to_string()).collect();
    tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_bulbwatch"))
            .arg("check")
            .arg(file)
            .args(["--url", &url, "--name", "cli-tester"])
            .args(extra)
            .output()
            .unwrap()
    })
    .await
    .unwrap()
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exit_codes_follow_the_verdict_and_runs_are_recorded() {
    let data = tempfile::tempdir().unwrap();
    let app = Application::build(Settings {
        addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        data_dir: data.path().to_path_buf(),
        app_dir: data.path().join("no-app"),
        driver: Arc::new(VirtualBulb::default()),
        max_queue_length: bulbwatch::bulb::DEFAULT_MAX_QUEUE_LENGTH,
        facilitator_token: None,
        public_url: None,
        seed: None,
        extra_scenarios: Vec::new(),
        connections: Default::default(),
        hue_addr: None,
    })
    .await
    .unwrap();
    // The join link carries the code; the plain base URL needs --code.
    let url = app.state().room.join_url();
    let base = format!("http://{}", app.local_addr());
    let code = app.state().room.join_code();
    let stop = app.stop_token();
    let server = tokio::spawn(app.run());

    let checks = tempfile::tempdir().unwrap();
    let write = |name: &str, source: &str| {
        let path = checks.path().join(name);
        std::fs::write(&path, source).unwrap();
        path
    };

    // The classic check passes against a real server (default 400 ms queue delay).
    let classic = write("classic.rhai", bulbwatch_checks::CLASSIC_CHECK);
    let out = bulbwatch_check(classic.clone(), url.clone(), &[]).await;
    let printed = text(&out);
    assert_eq!(out.status.code(), Some(0), "{printed}");
    assert!(printed.contains("▸ set colour"), "{printed}");
    assert!(printed.contains("PUT /api/bulb → 202"), "{printed}");
    assert!(printed.contains("PASS"), "{printed}");
    assert!(printed.contains("/runs/"), "{printed}");

    // A check that waits for the wrong colour fails: exit 1, with the place. (A colour
    // no bulb shows: the classic run above may have left any named colour on it.)
    let wrong = write(
        "wrong-colour.rhai",
        "let id = bulb.set(\"red\").request_id;\nstep(\"wait\", || {\n  poll(5, 50, || {\n    assert_eq(bulb.get().colour, \"ultraviolet\", \"colour\");\n    true\n  });\n});\n",
    );
    let out = bulbwatch_check(wrong, url.clone(), &[]).await;
    let printed = text(&out);
    assert_eq!(out.status.code(), Some(1), "{printed}");
    assert!(printed.contains("FAIL"), "{printed}");
    // The inner assertion's line, not the `poll(` line.
    assert!(printed.contains("line 4"), "{printed}");
    assert!(printed.contains("in step \"wait\""), "{printed}");

    // `bulb.set(#{on: false})` switches the bulb off, and the check reads it back.
    let dark = write(
        "dark.rhai",
        "bulb.set(#{on: false});\nstep(\"wait\", || {\n  poll(40, 100, || {\n    assert_eq(bulb.get().on, false, \"on\");\n    true\n  });\n});\n",
    );
    let out = bulbwatch_check(dark, url.clone(), &[]).await;
    let printed = text(&out);
    assert_eq!(out.status.code(), Some(0), "{printed}");
    assert!(printed.contains("PASS"), "{printed}");

    // A broken check is exit 2.
    let broken = write("broken.rhai", "let x = ;\n");
    let out = bulbwatch_check(broken, url.clone(), &[]).await;
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("ERROR"), "{}", text(&out));

    // A missing file is exit 2 with a message.
    let out = bulbwatch_check(checks.path().join("nope.rhai"), url.clone(), &[]).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("cannot read"), "{}", text(&out));

    // Without a join code the check cannot join: exit 2, saying how to give one.
    let out = bulbwatch_check(classic.clone(), base.clone(), &[]).await;
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("--code"), "{}", text(&out));
    let out = bulbwatch_check(classic.clone(), base.clone(), &["--code", "WXYWXY"]).await;
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("not this room's join code"),
        "{}",
        text(&out)
    );

    // --json prints the report, and only the report, on stdout (joined by --code).
    let out = bulbwatch_check(classic, base.clone(), &["--json", "--code", &code]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let report: CheckReport = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report.verdict, Verdict::Pass);
    assert!(!report.requests.is_empty());
    assert!(
        report
            .requests
            .iter()
            .all(|r| r.trace_id == report.trace_id)
    );

    stop.cancel();
    server.await.unwrap().unwrap();

    // Every finished run was recorded as an e2e event of the attendee.
    let store = Store::open(data.path()).unwrap();
    let events = store.events("e2e").await.unwrap();
    let outcomes: Vec<(String, bool)> = events
        .iter()
        .map(|e| {
            (
                e["check"].as_str().unwrap().to_string(),
                e["success"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        outcomes,
        [
            ("classic".to_string(), true),
            ("wrong-colour".to_string(), false),
            ("dark".to_string(), true),
            ("broken".to_string(), false),
            ("classic".to_string(), true),
        ]
    );
    assert!(events.iter().all(|e| e["attendee"] == "cli-tester"));

    // The run's trace holds both sides: the engine's requests (from the report) and
    // the server spans they caused, parented by the span ids their traceparent sent.
    let spans = bulbwatch::traces::spans(&store, &report.trace_id)
        .await
        .unwrap();
    let put = report
        .requests
        .iter()
        .find(|r| r.path == "/api/bulb" && r.method == HttpMethod::Put)
        .unwrap();
    let server_put = spans
        .iter()
        .find(|s| s.kind == SpanKind::Server && s.name == "PUT /api/bulb")
        .expect("the server span of the check's PUT");
    assert_eq!(server_put.parent_id.as_deref(), Some(put.span_id.as_str()));
    let client_put = spans.iter().find(|s| s.span_id == put.span_id).unwrap();
    assert_eq!(client_put.kind, SpanKind::Client);
    let run = spans.iter().find(|s| s.parent_id.is_none()).unwrap();
    assert_eq!(client_put.parent_id.as_ref(), Some(&run.span_id));
    assert!(spans.iter().any(|s| s.name == "bulb.apply"));
}

#[tokio::test]
async fn an_unreachable_server_is_exit_2_with_a_message() {
    let checks = tempfile::tempdir().unwrap();
    let file = checks.path().join("c.rhai");
    std::fs::write(&file, "bulb.get();").unwrap();
    // Port 9 (discard) on loopback: nothing listens there.
    let out = bulbwatch_check(file, "http://127.0.0.1:9/join/ACDEFH".into(), &[]).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("cannot reach"), "{}", text(&out));
}
