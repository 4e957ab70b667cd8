//! The foundation journey: two attendees join in two real Chromium windows, one sets
//! the bulb's colour, the other sees it (and who set it) within two seconds; a reload
//! keeps you joined; both pages reconnect by themselves after a server restart; one
//! switches the bulb off and on again.

use std::time::{Duration, Instant};

use bulbwatch::colour::parse_colour;
use bulbwatch_e2e::{Browser, ChromeDriver, TestServer, screenshot_dir};

const LIVE_WITHIN: Duration = Duration::from_secs(2);
const PAGE_LOAD: Duration = Duration::from_secs(15);

async fn join(page: &Browser, server: &TestServer, name: &str) {
    page.join(&server.join_url(), name).await;
    page.wait_text(
        "[data-testid=live-status]",
        PAGE_LOAD,
        "the live stream connects",
        |t| t == "live",
    )
    .await;
}

/// A picks `colour`; B must show it and A's name within two seconds of the click.
async fn a_sets_b_sees(a: &Browser, b: &Browser, colour: &str, setter: &str) {
    let hex = parse_colour(colour).unwrap().hsb.hex();
    let clicked = Instant::now();
    a.click(&format!(
        "[data-testid=colour-picker] button[data-colour={colour}]"
    ))
    .await;
    b.wait_attr(
        "[data-testid=bulb]",
        "data-hex",
        LIVE_WITHIN,
        &format!("B's bulb turns {colour} ({hex})"),
        |v| v == hex,
    )
    .await;
    let left = LIVE_WITHIN.saturating_sub(clicked.elapsed());
    b.wait_text(
        "[data-testid=bulb-set-by]",
        left,
        "B sees who set it",
        |t| t.contains(setter),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_attendee_sets_the_colour_and_the_other_sees_it_live() {
    let mut server = TestServer::start().await;
    let chromedriver = ChromeDriver::start().await;
    let a = chromedriver.browser().await;
    let b = chromedriver.browser().await;

    join(&a, &server, "Ada").await;
    join(&b, &server, "Grace 李").await;

    a_sets_b_sees(&a, &b, "purple", "Ada").await;
    a.wait_text(
        "[data-testid=last-request]",
        LIVE_WITHIN,
        "A sees its request id",
        |t| t.contains("Accepted"),
    )
    .await;
    let shots = screenshot_dir();
    b.screenshot(&shots.join("live-bulb-page-b.png")).await;
    a.screenshot(&shots.join("live-bulb-page-a.png")).await;

    // A reload keeps you joined (the HttpOnly cookie) and shows the current bulb.
    a.client.refresh().await.unwrap();
    a.wait_text(
        "[data-testid=me]",
        PAGE_LOAD,
        "still joined after reload",
        |t| t == "Ada",
    )
    .await;
    let purple = parse_colour("purple").unwrap().hsb.hex();
    a.wait_attr(
        "[data-testid=bulb]",
        "data-hex",
        PAGE_LOAD,
        "bulb state after reload",
        |v| v == purple,
    )
    .await;

    // The server restarts; both pages come back on their own.
    server.restart(Duration::from_millis(500)).await;
    for page in [&a, &b] {
        page.wait_text(
            "[data-testid=live-status]",
            PAGE_LOAD,
            "the page reconnects",
            |t| t == "live",
        )
        .await;
    }
    a_sets_b_sees(&b, &a, "cyan", "Grace 李").await;

    // A switches the bulb off: B's goes dark and says so, and it keeps its colour for
    // when A switches it on again.
    a.click("[data-testid=bulb-switch]").await;
    b.wait_text(
        "[data-testid=bulb-set-by]",
        PAGE_LOAD,
        "B sees the bulb switched off",
        |t| t.contains("off (cyan)") && t.contains("Ada"),
    )
    .await;
    b.wait_attr(
        "[data-testid=bulb] svg",
        "aria-label",
        PAGE_LOAD,
        "B's bulb is dark",
        |v| v == "The bulb, dark",
    )
    .await;
    b.wait_attr(
        "[data-testid=bulb-switch]",
        "aria-checked",
        PAGE_LOAD,
        "B's switch shows the bulb off",
        |v| v == "false",
    )
    .await;
    b.screenshot(&shots.join("live-bulb-off.png")).await;
    b.click("[data-testid=bulb-switch]").await;
    let cyan = parse_colour("cyan").unwrap().hsb.hex();
    a.wait_attr(
        "[data-testid=bulb]",
        "data-hex",
        PAGE_LOAD,
        "A's bulb glows cyan again",
        |v| v == cyan,
    )
    .await;

    a.close().await;
    b.close().await;
}
