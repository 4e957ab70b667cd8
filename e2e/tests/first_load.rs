//! The play page's first load, as the room's Wi-Fi sees it: what a fresh browser has
//! fetched by the moment the page is usable (the bulb shown, a check in the editor,
//! Run enabled) stays within 450 KB compressed, the first paint comes within 1 s on
//! loopback, and the big parts come later: the check worker when the attendee turns
//! to the check, Explore's history charts once there are runs, when the page is idle.
//!
//! The worker's own fetches are not in the page's performance timeline (they are the
//! worker's), so the journey asserts that the worker has not started at all until
//! the attendee reaches for the editor (its loader script is in the page's timeline).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use bulbwatch_e2e::{Browser, ChromeDriver, TestServer};
use serde_json::{Value, json};

/// What the page may have fetched, compressed, when it becomes usable.
const BUDGET_BYTES: u64 = 450_000;
/// Its first contentful paint, on loopback.
const FIRST_PAINT_MS: f64 = 1000.0;
const RUN: Duration = Duration::from_secs(20);

const CTRL: char = '\u{E009}';
const ENTER: char = '\u{E007}';
const RELEASE: char = '\u{E000}';

/// Waits inside the page (no WebDriver round trip between the moment and the
/// reading) until it is usable — the bulb shown, the editor holding a check (the one
/// given, if one is), Run enabled — and then reads what it has fetched so far, its
/// frames' fetches too, its first contentful paint, and whether the history frame is
/// there yet. `null` after 15 s.
const AT_USABLE: &str = r"
const [source, done] = arguments;
const usable = () => {
  const editor = document.querySelector('[data-testid=check-editor]');
  const run = document.querySelector('[data-testid=check-run]');
  return document.querySelector('[data-testid=bulb]') && editor && run && !run.disabled &&
    (source === null ? editor.value.trim() !== '' : editor.value.trim() === source.trim());
};
const started = performance.now();
const look = () => {
  if (usable()) {
    const paint = performance.getEntriesByType('paint')
      .find(p => p.name === 'first-contentful-paint');
    done({usable_ms: performance.now(), first_paint_ms: paint ? paint.startTime : null,
          fetched: window.bulbwatchFetched(window),
          history_frame: document.querySelector('[data-testid=history-frame]') !== null});
  } else if (performance.now() - started > 15000) {
    done(null);
  } else {
    setTimeout(look, 5);
  }
};
look();
";

/// Defines `window.bulbwatchFetched(win)`: every resource and navigation of `win` and
/// of its same-origin frames, each `{url, bytes, body, decoded}` — bytes on the wire
/// (`transferSize`, or the body's when that is 0), the body as sent (compressed), and
/// as decoded. A frame's document counts once, as the frame's own navigation.
const FETCHED: &str = r"
window.bulbwatchFetched = function fetched(win) {
  const own = win.performance.getEntriesByType('navigation')
    .concat(win.performance.getEntriesByType('resource'))
    .filter(e => e.initiatorType !== 'iframe')
    .map(e => ({url: e.name, bytes: e.transferSize || e.encodedBodySize,
                body: e.encodedBodySize, decoded: e.decodedBodySize}));
  for (let i = 0; i < win.frames.length; i++) {
    try { own.push(...fetched(win.frames[i])); } catch (e) { /* another origin */ }
  }
  return own;
};
";

/// One fetch of the page's.
#[derive(Debug)]
struct Fetched {
    path: String,
    bytes: u64,
    body: u64,
}

/// The page at the moment it became usable.
#[derive(Debug)]
struct FirstLoad {
    usable_ms: f64,
    first_paint_ms: f64,
    fetched: Vec<Fetched>,
    /// Whether the history frame (Explore's charts) was in the page.
    history_frame: bool,
}

impl FirstLoad {
    fn bytes(&self) -> u64 {
        self.fetched.iter().map(|f| f.bytes).sum()
    }

    /// The same fetches over the room's network, where browsers ask for gzip only
    /// (brotli is for localhost and HTTPS): each file's `.gz` where the build made one.
    fn gzip_bytes(&self, app_dir: &Path) -> u64 {
        self.fetched
            .iter()
            .map(|f| {
                let headers = f.bytes.saturating_sub(f.body);
                match served_file(app_dir, &f.path) {
                    Some(file) => headers + file_size(&variant(&file, "gz")).unwrap_or(f.body),
                    None => f.bytes,
                }
            })
            .sum()
    }

    fn fetched(&self, needle: &str) -> Option<&Fetched> {
        self.fetched.iter().find(|f| f.path.contains(needle))
    }
}

fn parse_fetched(list: &Value) -> Vec<Fetched> {
    list.as_array()
        .expect("a list of fetches")
        .iter()
        .map(|f| {
            let url = f["url"].as_str().unwrap_or_default();
            // The path (and query) on this server; other origins keep their URL.
            let path = url
                .strip_prefix("http://")
                .and_then(|rest| rest.find('/').map(|at| rest[at..].to_string()))
                .unwrap_or_else(|| url.to_string());
            Fetched {
                path,
                bytes: f["bytes"].as_u64().unwrap_or(0),
                body: f["body"].as_u64().unwrap_or(0),
            }
        })
        .collect()
}

/// The file of the built app that answered `path` (an index for a page's path);
/// `None` for the API.
fn served_file(app_dir: &Path, path: &str) -> Option<PathBuf> {
    let path = path.split('?').next().unwrap_or(path);
    if path.starts_with("/api/") {
        return None;
    }
    let file = app_dir.join(path.trim_start_matches('/'));
    if file.is_file() {
        return Some(file);
    }
    let root = if path.starts_with("/explore") || path.starts_with("/facilitator") {
        app_dir.join("explore")
    } else {
        app_dir.to_path_buf()
    };
    Some(root.join("index.html"))
}

fn variant(file: &Path, suffix: &str) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

fn file_size(path: &Path) -> Option<u64> {
    std::fs::metadata(path).ok().map(|m| m.len())
}

/// Waits until the page is usable (with `source` in the editor, if given) and reads
/// its first load.
async fn first_load(page: &Browser, source: Option<&str>) -> FirstLoad {
    page.client.execute(FETCHED, vec![]).await.unwrap();
    let seen = page
        .client
        .execute_async(AT_USABLE, vec![json!(source)])
        .await
        .expect("the page's first load");
    assert!(!seen.is_null(), "the page was not usable within 15 s");
    FirstLoad {
        usable_ms: seen["usable_ms"].as_f64().unwrap(),
        first_paint_ms: seen["first_paint_ms"]
            .as_f64()
            .expect("a first contentful paint"),
        fetched: parse_fetched(&seen["fetched"]),
        history_frame: seen["history_frame"] == json!(true),
    }
}

/// What the page (and its frames) fetched until now.
async fn fetched_now(page: &Browser) -> Vec<Fetched> {
    page.client.execute(FETCHED, vec![]).await.unwrap();
    let list = page
        .client
        .execute("return window.bulbwatchFetched(window);", vec![])
        .await
        .unwrap();
    parse_fetched(&list)
}

/// Waits until the page has fetched something whose path holds `needle`.
async fn fetched_within(page: &Browser, needle: &str, within: Duration, what: &str) -> Fetched {
    let deadline = Instant::now() + within;
    loop {
        if let Some(found) = fetched_now(page)
            .await
            .into_iter()
            .find(|f| f.path.contains(needle))
        {
            return found;
        }
        assert!(Instant::now() < deadline, "{what} within {within:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The one file in `dir` whose name starts with `prefix` and ends with `suffix`.
fn built(dir: &Path, prefix: &str, suffix: &str) -> String {
    let names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(prefix) && n.ends_with(suffix))
        .collect();
    assert_eq!(names.len(), 1, "one {prefix}…{suffix} in {}", dir.display());
    names[0].clone()
}

/// Asserts the budget and the first paint, that the page's `wasm` came as the build's
/// brotli bytes, and prints the numbers (for BENCHMARKS.md).
fn within_budget(load: &FirstLoad, app_dir: &Path, wasm: &str, who: &str) {
    let fetched = load
        .fetched(&format!("/{wasm}"))
        .unwrap_or_else(|| panic!("{who}: the page's wasm was fetched: {load:#?}"));
    let br = file_size(&variant(&app_dir.join(wasm), "br"))
        .expect("the build wrote the wasm's brotli variant (scripts/setup.sh build_app)");
    assert_eq!(fetched.body, br, "{who}: the wasm came as its .br");
    let (bytes, gzip) = (load.bytes(), load.gzip_bytes(app_dir));
    println!(
        "first load, {who}: {:.1} KB brotli ({:.1} KB as gzip), {} fetches, usable at {:.0} ms, first contentful paint {:.0} ms (budget {} KB, {FIRST_PAINT_MS} ms)",
        bytes as f64 / 1000.0,
        gzip as f64 / 1000.0,
        load.fetched.len(),
        load.usable_ms,
        load.first_paint_ms,
        BUDGET_BYTES / 1000,
    );
    assert!(bytes <= BUDGET_BYTES, "{who}: {bytes} bytes: {load:#?}");
    assert!(
        gzip <= BUDGET_BYTES,
        "{who}: {gzip} bytes as gzip: {load:#?}"
    );
    assert!(
        load.first_paint_ms <= FIRST_PAINT_MS,
        "{who}: first paint at {} ms",
        load.first_paint_ms
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_play_page_is_usable_within_its_budget_and_the_big_parts_come_later() {
    let server = TestServer::start().await;
    let app_dir = server.app_dir().to_path_buf();
    let page_wasm = built(&app_dir, "bulbwatch-app-", "_bg.wasm");
    let explore_dir = app_dir.join("explore");
    let explore_wasm = built(&explore_dir, "bulbwatch-explore-", "_bg.wasm");
    let chromedriver = ChromeDriver::start().await;

    // A new attendee, as everyone in the room arrives: the join link in a fresh
    // browser, a name, and the play page.
    let page = chromedriver.browser().await;
    page.open(&server.join_url()).await;
    // Enter submits, so the pointer never comes over the page: hovering the editor
    // would start the check worker early, and this load is about what comes without.
    page.type_into("[data-testid=join-name]", &format!("Ada{ENTER}"))
        .await;
    let load = first_load(&page, None).await;
    within_budget(&load, &app_dir, &page_wasm, "a new attendee");
    assert!(load.fetched("check_worker").is_none(), "{load:#?}");

    // Left alone, the page does not start the check worker.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let later = fetched_now(&page).await;
    assert!(
        !later.iter().any(|f| f.path.contains("check_worker")),
        "the worker started by itself: {later:#?}"
    );
    // Turning to the editor starts it; the first run passes.
    page.click("[data-testid=check-editor]").await;
    fetched_within(
        &page,
        "/check_worker_loader.js",
        Duration::from_secs(5),
        "focusing the editor starts the check worker",
    )
    .await;
    page.type_into(
        "[data-testid=check-editor]",
        &format!("{CTRL}{ENTER}{RELEASE}"),
    )
    .await;
    page.wait_text(
        "[data-testid=check-verdict]",
        RUN,
        "the first run passes",
        |t| t == "pass",
    )
    .await;
    // With a run to chart, the history frame loads Explore, brotli too.
    let explore = fetched_within(
        &page,
        &format!("/explore/{explore_wasm}"),
        Duration::from_secs(15),
        "the history frame loads Explore after the first run",
    )
    .await;
    assert_eq!(
        Some(explore.body),
        file_size(&variant(&explore_dir.join(&explore_wasm), "br")),
        "Explore's wasm came as its .br"
    );
    println!(
        "then: Explore in the history frame {:.1} KB",
        explore.bytes as f64 / 1000.0
    );
    page.close().await;

    // An attendee with a saved check and runs, in a fresh browser (say after a
    // reboot): the page is usable before Explore's frame loads.
    let page = chromedriver.browser().await;
    page.open(&format!("{}api/bulb", server.url())).await;
    let joined = page
        .fetch_json(
            "POST",
            "/api/attendees",
            Some(json!({"name": "Grace", "code": join_code(&server)})),
        )
        .await;
    assert!(joined["token"].is_string(), "{joined}");
    let source = "let b = bulb.get();\nassert_eq(b.status, 200, \"status\");";
    let check = page
        .fetch_json(
            "POST",
            "/api/checks",
            Some(json!({"name": "mine", "source": source})),
        )
        .await;
    let check_id = check["id"].as_str().expect("the saved check's id");
    let run = page
        .fetch_json(
            "POST",
            "/api/runs",
            Some(json!({"check_id": check_id, "check_name": "mine", "report": report()})),
        )
        .await;
    assert!(run["run_id"].is_string(), "{run}");
    page.open(&server.url()).await;
    let load = first_load(&page, Some(source)).await;
    within_budget(&load, &app_dir, &page_wasm, "a returning attendee");
    assert!(
        load.fetched("/explore/bulbwatch-explore").is_none(),
        "{load:#?}"
    );
    assert!(!load.history_frame, "the history frame came with the page");
    page.find("[data-testid=history-frame]").await;
    fetched_within(
        &page,
        &format!("/explore/{explore_wasm}"),
        Duration::from_secs(15),
        "the history frame loads Explore once the page is idle",
    )
    .await;
    page.close().await;
}

/// The room's join code, from the join link.
fn join_code(server: &TestServer) -> String {
    let url = server.join_url();
    url.rsplit('/').next().unwrap_or_default().to_string()
}

/// A passed run's report, as the check engine makes it.
fn report() -> Value {
    json!({
        "verdict": "pass", "failure": null, "steps": [], "requests": [], "logs": [],
        "duration_ms": 12.0, "trace_id": "0af7651916cd43dd8448eb211c80319c",
        "iterations": 1, "colour": "red", "request_id": null
    })
}
