//! The facilitator's journey: the console link printed at start makes a browser the
//! facilitator; two attendees join by the join link; a phase change reaches both
//! pages within a second; a run shows on the board within two seconds; a diagnosis
//! with evidence from Explore reaches the board; Reveal reaches the attendee's page.
//! Screenshots of the console (presenter view and with controls, projector and
//! laptop) and of an attendee's page with the phase prompt.

use std::time::{Duration, Instant};

use bulbwatch_e2e::{Browser, ChromeDriver, TestServer, screenshot_dir};
use serde_json::json;

const PAGE_LOAD: Duration = Duration::from_secs(15);
const RUN: Duration = Duration::from_secs(20);
const PROJECTOR: (u32, u32) = (1920, 1080);
const LAPTOP: (u32, u32) = (1280, 800);

/// Waits until `css`'s text satisfies `check`, until `deadline`.
async fn text_by(
    page: &Browser,
    css: &str,
    deadline: Instant,
    what: &str,
    check: impl Fn(&str) -> bool,
) -> String {
    let within = deadline.saturating_duration_since(Instant::now());
    page.wait_text(css, within, what, check).await
}

async fn my_id(page: &Browser) -> String {
    let me = page.fetch_json("GET", "/api/attendees/me", None).await;
    me["id"].as_str().expect("joined").to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_facilitator_steers_the_room_from_the_console() {
    let server = TestServer::start().await;
    let chromedriver = ChromeDriver::start().await;
    let shots = screenshot_dir();

    // The console link makes this browser the facilitator; the secret leaves the address.
    let console = chromedriver.browser().await;
    console.open(&server.console_url()).await;
    console.find("[data-testid=console]").await;
    let address = console.client.current_url().await.unwrap();
    assert_eq!(address.path(), "/facilitator");
    assert!(
        address.query().is_none(),
        "the secret is gone from the address: {address}"
    );
    let code = console
        .wait_text(
            "[data-testid=console-code]",
            PAGE_LOAD,
            "the join code shows",
            |t| !t.is_empty(),
        )
        .await;
    let join_url = server.join_url();
    assert!(
        join_url.ends_with(&format!("/join/{}", code.trim())),
        "{code} in {join_url}"
    );
    console
        .wait_text(
            "[data-testid=console-join-url]",
            PAGE_LOAD,
            "the join link shows",
            |t| t.contains("/join/"),
        )
        .await;
    console.find("[data-testid=console-qr]").await;
    let page_text = console.client.source().await.unwrap();
    assert!(
        !page_text.contains(&server.facilitator()),
        "the secret is in no page"
    );
    // Fast runs: the queue delay down from the console's own API.
    console
        .fetch_json(
            "PUT",
            "/api/bulb/queue-delay",
            Some(json!({"queue_delay_ms": 0})),
        )
        .await;

    // Two attendees join by the join link.
    let ada = chromedriver.browser().await;
    ada.join(&join_url, "Ada").await;
    let grace = chromedriver.browser().await;
    grace.join(&join_url, "Grace").await;
    for page in [&ada, &grace] {
        page.wait_text(
            "[data-testid=phase-title]",
            PAGE_LOAD,
            "the lobby shows",
            |t| t.to_lowercase().contains("lobby"),
        )
        .await;
    }
    let ada_id = my_id(&ada).await;
    console
        .wait_text(
            "[data-testid=console]",
            PAGE_LOAD,
            "both attendees are on the board",
            |t| t.contains("Ada") && t.contains("Grace"),
        )
        .await;

    // "Write a check": both pages show it and its prompt within a second.
    console.click("[data-testid=phase-step-write_check]").await;
    let clicked = Instant::now();
    for page in [&ada, &grace] {
        text_by(
            page,
            "[data-testid=phase-title]",
            clicked + Duration::from_secs(1),
            "the phase within 1 s",
            |t| t.to_lowercase().contains("write a check"),
        )
        .await;
        text_by(
            page,
            "[data-testid=phase-prompt]",
            clicked + Duration::from_secs(1),
            "the prompt within 1 s",
            |t| t.contains("Run the classic check"),
        )
        .await;
    }
    ada.screenshot(&shots.join("attendee-phase-prompt.png"))
        .await;

    // Ada runs the classic check; her tile shows the verdict within two seconds.
    ada.click("[data-testid=check-run]").await;
    ada.wait_text("[data-testid=check-verdict]", RUN, "the run passes", |t| {
        t == "pass"
    })
    .await;
    let passed = Instant::now();
    let tile = format!("[data-testid=board-tile][data-attendee-id=\"{ada_id}\"]");
    text_by(
        &console,
        &format!("{tile} [data-testid=tile-verdict]"),
        passed + Duration::from_secs(2),
        "Ada's verdict on the board",
        |t| t.to_lowercase().contains("pass"),
    )
    .await;
    text_by(
        &ada,
        "[data-testid=phase-prompt]",
        passed + Duration::from_secs(2),
        "the next prompt",
        |t| t.contains("Run every 5 s"),
    )
    .await;

    // A diagnosis, then evidence attached from Explore in one click.
    ada.type_into(
        "[data-testid=diagnosis-text]",
        "The queue backs up: changes wait too long",
    )
    .await;
    ada.click("[data-testid=diagnosis-submit]").await;
    ada.wait_text(
        "[data-testid=diagnosis-status]",
        PAGE_LOAD,
        "the diagnosis is in",
        |t| !t.is_empty(),
    )
    .await;
    let explore = format!(
        "{}explore?q=%7B%22dataset%22%3A%22e2e%22%2C%22breakdowns%22%3A%5B%22success%22%5D%7D",
        server.url()
    );
    ada.open(&explore).await;
    ada.click("[data-testid=use-as-evidence]").await;
    let deadline = Instant::now() + PAGE_LOAD;
    loop {
        let mine = ada.fetch_json("GET", "/api/diagnosis", None).await;
        if mine["evidence"]
            .as_str()
            .is_some_and(|e| e.starts_with("/explore?q="))
        {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the evidence is attached: {mine}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    console
        .wait_text(
            &format!("{tile} [data-testid=tile-diagnosis]"),
            PAGE_LOAD,
            "the diagnosis on the board",
            |t| !t.is_empty(),
        )
        .await;

    // The bulbs: the virtual bulb drives them, and Hue apps may pair for 30 s once
    // the link button is pressed.
    console
        .wait_text(
            "[data-testid=driver-line]",
            PAGE_LOAD,
            "the console names the driver",
            |t| t.contains("virtual bulb"),
        )
        .await;
    console
        .wait_text(
            "[data-testid=hue-api-address]",
            PAGE_LOAD,
            "the console gives the Hue API's address",
            |t| t.contains("127.0.0.1:"),
        )
        .await;
    console.click("[data-testid=hue-link-button]").await;
    console
        .wait_text(
            "[data-testid=hue-pairing]",
            PAGE_LOAD,
            "the link button opens the pairing window",
            |t| t.starts_with("Pair now:") && t.ends_with("s left"),
        )
        .await;

    // The console on the projector and on a laptop, with controls and without.
    for (size, name) in [(PROJECTOR, "1920x1080"), (LAPTOP, "1280x800")] {
        console.fit_viewport(size).await;
        console.find("[data-testid=queue-delay-input]").await;
        console
            .screenshot(&shots.join(format!("console-controls-{name}.png")))
            .await;
    }
    console.click("[data-testid=presenter-toggle]").await;
    let deadline = Instant::now() + PAGE_LOAD;
    while console
        .client
        .find(fantoccini::Locator::Css("[data-testid=queue-delay-input]"))
        .await
        .is_ok()
    {
        assert!(
            Instant::now() < deadline,
            "presenter view hides the controls"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    for (size, name) in [(PROJECTOR, "1920x1080"), (LAPTOP, "1280x800")] {
        console.fit_viewport(size).await;
        console.find("[data-testid=console-code]").await;
        console
            .screenshot(&shots.join(format!("console-presenter-{name}.png")))
            .await;
    }
    console.click("[data-testid=presenter-toggle]").await;

    // Reveal: the explanation on the attendee's page, a cause per active scenario
    // (the shared bulb always; the busy queue once switched on from the console).
    console
        .click("[data-testid=scenario-toggle-busy_queue]")
        .await;
    console
        .wait_attr(
            "[data-testid=scenario-toggle-busy_queue]",
            "aria-checked",
            PAGE_LOAD,
            "the busy queue is on",
            |v| v == "true",
        )
        .await;
    ada.open(&server.url()).await;
    console.click("[data-testid=reveal-toggle]").await;
    ada.wait_text("[data-testid=reveal]", PAGE_LOAD, "the reveal shows", |t| {
        t.contains("Shared bulb") && t.contains("Busy queue")
    })
    .await;
    ada.screenshot(&shots.join("attendee-reveal.png")).await;

    // An attendee cannot move the room.
    let refused = grace
        .fetch_json("PUT", "/api/room/phase", Some(json!({"phase": "lobby"})))
        .await;
    assert_eq!(refused["error"]["code"], "forbidden", "{refused}");

    for page in [console, ada, grace] {
        page.close().await;
    }
}
