//! ChromeDriver and headless Chromium sessions, with waits for real conditions.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction};
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

/// A ChromeDriver process on a free loopback port, killed on drop.
pub struct ChromeDriver {
    child: Child,
    port: u16,
}

impl ChromeDriver {
    /// Starts `chromedriver` (from PATH) on a free port and waits until it answers.
    /// The port is free when picked but may be taken before ChromeDriver binds it (by
    /// another test binary doing the same): then ChromeDriver exits, and another port
    /// is tried.
    pub async fn start() -> Self {
        for _ in 0..5 {
            if let Some(driver) = Self::start_on(free_port()).await {
                return driver;
            }
        }
        panic!("chromedriver did not start on any of 5 free ports");
    }

    async fn start_on(port: u16) -> Option<Self> {
        let child = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver on PATH (scripts/test.sh installs Debian's chromium-driver)");
        let mut driver = Self { child, port };
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            let exited = driver.child.try_wait().ok().flatten().is_some();
            if exited || Instant::now() > deadline {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Some(driver)
    }

    /// Opens a new headless Chromium window whose page is 1280×800, with a fresh profile.
    pub async fn browser(&self) -> Browser {
        self.browser_with(&[]).await
    }

    /// Like [`ChromeDriver::browser`], with more Chromium switches (say
    /// `--force-device-scale-factor=2` for a laptop's screen).
    pub async fn browser_with(&self, extra_args: &[&str]) -> Browser {
        let profile = tempfile::tempdir().expect("profile dir");
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--window-size=1280,800",
        ]
        .iter()
        .map(|a| (*a).to_string())
        .chain(extra_args.iter().map(|a| (*a).to_string()))
        .chain([format!("--user-data-dir={}", profile.path().display())])
        .collect::<Vec<_>>();
        let caps = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": "/usr/bin/chromium", "args": args},
        });
        let serde_json::Value::Object(caps) = caps else {
            unreachable!("a JSON object")
        };
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .expect("a Chromium session");
        let browser = Browser {
            client,
            _profile: profile,
        };
        browser.fit_viewport(VIEWPORT).await;
        browser
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One headless Chromium window.
pub struct Browser {
    /// The WebDriver client, for anything the helpers below do not cover.
    pub client: Client,
    _profile: tempfile::TempDir,
}

/// What a page sees of the window: a laptop's 1280×800.
pub const VIEWPORT: (u32, u32) = (1280, 800);

/// How long waits wait unless told otherwise.
pub const WAIT: Duration = Duration::from_secs(10);

impl Browser {
    /// Sizes the window so the page itself gets `width`×`height`: headless Chromium
    /// takes `--window-size` for the whole window and leaves the page less height.
    pub async fn fit_viewport(&self, (width, height): (u32, u32)) {
        let (inner_w, inner_h) = self.viewport().await;
        let (window_w, window_h) = self.client.get_window_size().await.expect("window size");
        let (window_w, window_h) = (
            u32::try_from(window_w).expect("a width"),
            u32::try_from(window_h).expect("a height"),
        );
        self.client
            .set_window_size(window_w + width - inner_w, window_h + height - inner_h)
            .await
            .expect("resize the window");
        assert_eq!(self.viewport().await, (width, height), "the page's size");
    }

    /// The page's width and height in CSS pixels.
    pub async fn viewport(&self) -> (u32, u32) {
        let inner = self
            .client
            .execute("return [window.innerWidth, window.innerHeight];", vec![])
            .await
            .expect("the viewport's size");
        let dim = |i: usize| {
            inner[i]
                .as_u64()
                .and_then(|v| u32::try_from(v).ok())
                .expect("a size in pixels")
        };
        (dim(0), dim(1))
    }

    /// Opens `url`.
    pub async fn open(&self, url: &str) {
        self.client.goto(url).await.expect("navigate");
    }

    /// Waits for an element matching `css`.
    pub async fn find(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element {css} within {WAIT:?}: {e}"))
    }

    /// Clicks the element matching `css`.
    pub async fn click(&self, css: &str) {
        self.find(css).await.click().await.expect("click");
    }

    /// Types `text` into the element matching `css`.
    pub async fn type_into(&self, css: &str, text: &str) {
        self.find(css).await.send_keys(text).await.expect("type");
    }

    /// Waits until `check(text)` holds for the element matching `css`, giving up
    /// after `within`; returns the text at that moment.
    pub async fn wait_text(
        &self,
        css: &str,
        within: Duration,
        what: &str,
        check: impl Fn(&str) -> bool,
    ) -> String {
        self.wait_for(css, None, within, what, |text, _| check(text))
            .await
    }

    /// Waits until `check(value)` holds for attribute `attr` of the element matching
    /// `css`, giving up after `within`.
    pub async fn wait_attr(
        &self,
        css: &str,
        attr: &str,
        within: Duration,
        what: &str,
        check: impl Fn(&str) -> bool,
    ) {
        self.wait_for(css, Some(attr), within, what, |_, value| {
            value.is_some_and(&check)
        })
        .await;
    }

    async fn wait_for(
        &self,
        css: &str,
        attr: Option<&str>,
        within: Duration,
        what: &str,
        check: impl Fn(&str, Option<&str>) -> bool,
    ) -> String {
        let deadline = Instant::now() + within;
        let mut last = String::from("no such element");
        loop {
            if let Ok(el) = self.client.find(Locator::Css(css)).await {
                let text = el.text().await.unwrap_or_default();
                let value = match attr {
                    Some(attr) => el.attr(attr).await.ok().flatten(),
                    None => None,
                };
                if check(&text, value.as_deref()) {
                    return text;
                }
                last = format!("text {text:?}, {attr:?}={value:?}");
            }
            assert!(
                Instant::now() < deadline,
                "{css}: {what} did not happen within {within:?} (last seen: {last})"
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// Drags with the left mouse button over the element matching `css`, from `from` to
    /// `to`, each a fraction (0–1) of its width and height from its top left corner,
    /// moving in steps so the page sees pointerdown, pointermoves and pointerup.
    pub async fn drag(&self, css: &str, from: (f64, f64), to: (f64, f64)) {
        let element = self.find(css).await;
        self.client
            .execute(
                "arguments[0].scrollIntoView({block: 'center', inline: 'center'})",
                vec![serde_json::to_value(&element).expect("an element as JSON")],
            )
            .await
            .expect("scroll into view");
        let (_, _, width, height) = element.rectangle().await.expect("element box");
        // Offsets are from the element's centre.
        let at = |(fx, fy): (f64, f64)| ((fx - 0.5) * width, (fy - 0.5) * height);
        let (x0, y0) = at(from);
        let (x1, y1) = at(to);
        let mut mouse = MouseActions::new("mouse".into())
            .then(PointerAction::MoveToElement {
                element: element.clone(),
                duration: None,
                x: x0,
                y: y0,
            })
            .then(PointerAction::Down {
                button: MOUSE_BUTTON_LEFT,
            });
        for step in 1..=5 {
            let t = f64::from(step) / 5.0;
            mouse = mouse.then(PointerAction::MoveToElement {
                element: element.clone(),
                duration: Some(Duration::from_millis(40)),
                x: x0 + (x1 - x0) * t,
                y: y0 + (y1 - y0) * t,
            });
        }
        mouse = mouse.then(PointerAction::Up {
            button: MOUSE_BUTTON_LEFT,
        });
        self.client.perform_actions(mouse).await.expect("drag");
    }

    /// Opens a join link (`…/join/CODE`), joins as `name` and waits until the page
    /// shows the name.
    pub async fn join(&self, join_url: &str, name: &str) {
        self.open(join_url).await;
        self.type_into("[data-testid=join-name]", name).await;
        self.click("[data-testid=join-submit]").await;
        self.wait_text("[data-testid=me]", WAIT, "the page shows my name", |t| {
            t == name
        })
        .await;
    }

    /// Calls the server from the page (with its cookie, so as the joined attendee) and
    /// returns the answer's JSON, or `{"error": …}` when the call failed.
    pub async fn fetch_json(
        &self,
        method: &str,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> serde_json::Value {
        self.fetch_json_with(method, path, body, None).await
    }

    /// Like [`Browser::fetch_json`], as the facilitator (their secret as the bearer
    /// token), whoever the page is.
    pub async fn fetch_json_as_facilitator(
        &self,
        secret: &str,
        method: &str,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> serde_json::Value {
        self.fetch_json_with(method, path, body, Some(secret)).await
    }

    async fn fetch_json_with(
        &self,
        method: &str,
        path: &str,
        body: Option<serde_json::Value>,
        bearer: Option<&str>,
    ) -> serde_json::Value {
        self.client
            .execute_async(
                "const [method, path, body, bearer, done] = arguments;
                 const init = {method, headers: {'content-type': 'application/json'}};
                 if (bearer !== null) init.headers.authorization = 'Bearer ' + bearer;
                 if (body !== null) init.body = JSON.stringify(body);
                 fetch(path, init)
                   .then(r => r.text())
                   .then(t => { try { done(JSON.parse(t)); } catch (e) { done({error: t}); } },
                         e => done({error: String(e)}));",
                vec![
                    json!(method),
                    json!(path),
                    body.unwrap_or(serde_json::Value::Null),
                    json!(bearer),
                ],
            )
            .await
            .expect("a script answer")
    }

    /// The text of every element matching `css` now, in document order.
    pub async fn texts(&self, css: &str) -> Vec<String> {
        let found = self
            .client
            .execute(
                "return [...document.querySelectorAll(arguments[0])].map(e => e.textContent)",
                vec![json!(css)],
            )
            .await
            .expect("a script answer");
        found
            .as_array()
            .map(|all| {
                all.iter()
                    .filter_map(|t| t.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Saves a PNG of the window.
    pub async fn screenshot(&self, path: &Path) {
        let png = self.client.screenshot().await.expect("screenshot");
        std::fs::write(path, png).expect("write screenshot");
    }

    /// Ends the session.
    pub async fn close(self) {
        let _ = self.client.close().await;
    }
}
