//! A check run from the browser yields one trace: the run and its requests (client
//! spans) with the server's HTTP, enqueue and apply spans hanging under them.

use std::time::{Duration, Instant};

use bulbwatch_e2e::{ChromeDriver, TestServer};
use serde_json::{Value, json};

const PAGE_LOAD: Duration = Duration::from_secs(15);
const CTRL: char = '\u{E009}';
const ENTER: char = '\u{E007}';
const RELEASE: char = '\u{E000}';

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_browser_check_run_is_one_trace_with_client_and_server_spans() {
    let server = TestServer::start().await;
    let chromedriver = ChromeDriver::start().await;
    let page = chromedriver.browser().await;

    page.join(&server.join_url(), "Ada").await;
    page.wait_text("[data-testid=me]", PAGE_LOAD, "joined", |t| t == "Ada")
        .await;
    page.type_into(
        "[data-testid=check-editor]",
        &format!("{CTRL}{ENTER}{RELEASE}"),
    )
    .await;
    page.wait_text(
        "[data-testid=check-verdict]",
        Duration::from_secs(20),
        "the classic check passes",
        |t| t == "pass",
    )
    .await;
    let request = page
        .find("[data-testid=check-requests] [data-testid=check-request]")
        .await;
    let trace_id = request.attr("data-trace-id").await.unwrap().unwrap();

    // The page records the run and the server's spans reach the store asynchronously:
    // ask until the whole trace is there.
    let deadline = Instant::now() + Duration::from_secs(10);
    let spans = loop {
        let answer = page
            .client
            .execute_async(
                "const [id, done] = arguments;
                 fetch('/api/traces/' + id).then(r => r.json()).then(done, e => done({error: String(e)}));",
                vec![json!(trace_id)],
            )
            .await
            .unwrap();
        let spans = answer.as_array().cloned().unwrap_or_default();
        let has = |name: &str| spans.iter().any(|s| s["name"] == name);
        if has("bulb.enqueue") && has("bulb.apply") && spans.iter().any(|s| s["kind"] == "client") {
            break spans;
        }
        assert!(
            Instant::now() < deadline,
            "incomplete trace {trace_id}: {answer}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };

    let by_id = |id: &Value| spans.iter().find(|s| &s["span_id"] == id);
    let client_ids: Vec<&Value> = spans
        .iter()
        .filter(|s| s["kind"] == "client")
        .map(|s| &s["span_id"])
        .collect();
    // The server's HTTP span for the PUT hangs under the client request that sent it.
    let put = spans
        .iter()
        .find(|s| s["kind"] == "server" && s["name"] == "PUT /api/bulb")
        .expect("the server span of the PUT");
    assert!(
        client_ids.contains(&&put["parent_id"]),
        "PUT's parent is a client span: {put}"
    );
    // Enqueue under the PUT; apply joined to the same trace under the enqueue.
    let enqueue = spans.iter().find(|s| s["name"] == "bulb.enqueue").unwrap();
    assert_eq!(enqueue["parent_id"], put["span_id"]);
    let apply = spans.iter().find(|s| s["name"] == "bulb.apply").unwrap();
    let apply_parent = by_id(&apply["parent_id"]).expect("apply's parent is in the trace");
    assert_eq!(apply_parent["name"], "bulb.enqueue");
    page.close().await;
}
