//! Component tests in headless Chromium: each mounts one piece with signals it controls
//! and checks the DOM the end-to-end test and the attendees rely on.
//! Run with `cargo test -p bulbwatch-app --target wasm32-unknown-unknown`.
#![cfg(target_arch = "wasm32")]

use std::sync::{Arc, Mutex};

use bulbwatch_api::{Attendee, BulbState, ErrorCode, Joined, NAMED_COLOURS, SetBulbAccepted};
use bulbwatch_app::api::{self, ApiFailure};
use bulbwatch_app::bulb_stream::LiveStatus;
use bulbwatch_app::components::bulb::UNLIT;
use bulbwatch_app::components::colour_picker::DEFAULT_CUSTOM;
use bulbwatch_app::components::{
    Bulb, BulbCaption, ColourPicker, ErrorBanner, LastRequest, LiveStatusBadge,
};
use gloo_net::http::Response;
use leptos::mount::mount_to;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::HtmlInputElement;

wasm_bindgen_test_configure!(run_in_browser);

mod dom;
use dom::{click, container, find, find_all, pause_ms, settle, text};

fn recorder() -> (Arc<Mutex<Vec<String>>>, Callback<String>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    (
        seen,
        Callback::new(move |colour: String| sink.lock().unwrap().push(colour)),
    )
}

/// A fixed "now" for captions, so relative times are exact.
const NOW_MS: i64 = 1_750_000_000_000;

fn state(name: &str, queue_length: u32) -> BulbState {
    BulbState {
        shard: 0,
        colour: "red".into(),
        hex: "#ff0000".into(),
        hue: 0,
        sat: 254,
        bri: 254,
        on: true,
        request_id: Some("r-41".into()),
        applied_at_ms: Some(NOW_MS - 12_000),
        applied_by: Some(Attendee {
            id: "a-1".into(),
            name: name.into(),
        }),
        queue_length,
        queue_delay_ms: 400,
    }
}

#[wasm_bindgen_test]
async fn bulb_follows_its_signal() {
    let hex = RwSignal::new(None::<String>);
    let root = container();
    let _mounted = mount_to(root.clone(), move || view! { <Bulb hex=hex /> });

    let bulb = find(&root, "[data-testid=bulb]");
    let glass = find(&root, ".bulb__glass");
    assert_eq!(bulb.get_attribute("data-hex"), None, "no colour known yet");
    assert_eq!(glass.get_attribute("fill").as_deref(), Some(UNLIT));
    assert!(!bulb.class_list().contains("lit"));

    for colour in ["#ff0000", "#00ff00"] {
        hex.set(Some(colour.to_string()));
        settle().await;
        assert_eq!(bulb.get_attribute("data-hex").as_deref(), Some(colour));
        assert_eq!(glass.get_attribute("fill").as_deref(), Some(colour));
        let style = bulb.get_attribute("style").unwrap_or_default();
        assert!(
            style.contains(&format!("--bulb-colour: {colour}")),
            "{style}"
        );
        assert!(bulb.class_list().contains("lit"), "the glow is on");
    }
}

#[wasm_bindgen_test]
async fn picker_has_one_button_per_named_colour_and_reports_clicks() {
    let (seen, on_pick) = recorder();
    let root = container();
    let _mounted = mount_to(
        root.clone(),
        move || view! { <ColourPicker on_pick=on_pick /> },
    );

    let picker = find(&root, "[data-testid=colour-picker]");
    let buttons = find_all(&root, "[data-testid=colour-picker] button[data-colour]");
    let names: Vec<String> = buttons
        .iter()
        .map(|b| b.get_attribute("data-colour").unwrap())
        .collect();
    let expected: Vec<&str> = NAMED_COLOURS.iter().map(|(name, _)| *name).collect();
    assert_eq!(names, expected);
    for (button, (name, hex)) in buttons.iter().zip(NAMED_COLOURS) {
        assert_eq!(button.tag_name(), "BUTTON");
        assert!(text(button).contains(name), "label of {name}");
        let dot = button.query_selector(".swatch__dot").unwrap().unwrap();
        assert!(
            dot.get_attribute("style").unwrap().contains(hex),
            "swatch of {name}"
        );
    }
    assert!(picker.contains(Some(&buttons[0])));

    for button in &buttons {
        click(button);
    }
    assert_eq!(*seen.lock().unwrap(), expected);
}

#[wasm_bindgen_test]
async fn custom_colour_is_sent_as_hex() {
    let (seen, on_pick) = recorder();
    let root = container();
    let _mounted = mount_to(
        root.clone(),
        move || view! { <ColourPicker on_pick=on_pick /> },
    );

    let set = find(&root, "[data-testid=colour-custom-set]");
    click(&set);
    let input: HtmlInputElement = find(&root, "[data-testid=colour-input]").unchecked_into();
    assert_eq!(input.type_(), "color");
    input.set_value("#123456");
    input
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    settle().await;
    click(&set);
    assert_eq!(*seen.lock().unwrap(), vec![DEFAULT_CUSTOM, "#123456"]);
}

#[wasm_bindgen_test]
async fn picker_marks_the_current_colour() {
    let (_seen, on_pick) = recorder();
    let current = RwSignal::new(Some("blue".to_string()));
    let root = container();
    let _mounted = mount_to(root.clone(), move || {
        view! { <ColourPicker on_pick=on_pick current=current /> }
    });
    let pressed = |name: &str| {
        find(&root, &format!("button[data-colour={name}]")).get_attribute("aria-pressed")
    };
    assert_eq!(pressed("blue").as_deref(), Some("true"));
    assert_eq!(pressed("red").as_deref(), Some("false"));
    current.set(Some("red".into()));
    settle().await;
    assert_eq!(pressed("blue").as_deref(), Some("false"));
    assert_eq!(pressed("red").as_deref(), Some("true"));
}

#[wasm_bindgen_test]
async fn caption_names_setter_time_and_queue() {
    let bulb = RwSignal::new(None::<BulbState>);
    let now = RwSignal::new(NOW_MS);
    let root = container();
    let _mounted = mount_to(root.clone(), move || {
        view! { <BulbCaption state=bulb now_ms=now /> }
    });
    let set_by = find(&root, "[data-testid=bulb-set-by]");
    let queue = find(&root, "[data-testid=queue-length]");
    assert!(text(&set_by).contains("Waiting"), "{}", text(&set_by));
    assert_eq!(text(&queue), "0");

    bulb.set(Some(state("Ada", 3)));
    settle().await;
    let line = text(&set_by);
    assert!(line.contains("Ada"), "{line}");
    assert!(line.contains("red"), "{line}");
    assert!(line.contains("12 s ago"), "{line}");
    assert_eq!(text(&queue), "3");

    now.set(NOW_MS + 48_000);
    settle().await;
    assert!(
        text(&set_by).contains("1 min ago"),
        "the clock moves the caption"
    );

    let mut never = state("Ada", 0);
    never.request_id = None;
    never.applied_by = None;
    never.applied_at_ms = None;
    bulb.set(Some(never));
    settle().await;
    assert!(text(&set_by).contains("Nobody"), "{}", text(&set_by));
}

#[wasm_bindgen_test]
async fn the_caption_keeps_up_with_changes_faster_than_the_fade() {
    let bulb = RwSignal::new(Some(state("Ada", 0)));
    let now = RwSignal::new(NOW_MS);
    let root = container();
    let _mounted = mount_to(root.clone(), move || {
        view! { <BulbCaption state=bulb now_ms=now /> }
    });
    let set_by = find(&root, "[data-testid=bulb-set-by]");
    assert!(text(&set_by).contains("red"), "{}", text(&set_by));
    // A new colour every 400 ms, as a busy queue applies them: the words follow
    // once the first fade is over, not only when the changes stop.
    for (i, (name, hex)) in [
        ("green", "#00ff00"),
        ("blue", "#0000ff"),
        ("pink", "#ff40a0"),
    ]
    .into_iter()
    .enumerate()
    {
        let mut next = state("Grace", 0);
        next.colour = name.into();
        next.hex = hex.into();
        next.request_id = Some(format!("r{i}"));
        bulb.set(Some(next));
        pause_ms(400).await;
    }
    let line = text(&set_by);
    assert!(!line.contains("red"), "the caption is stuck on red: {line}");
    assert!(line.contains("Grace"), "{line}");
}

#[wasm_bindgen_test]
async fn names_are_text_never_markup() {
    let bulb = RwSignal::new(Some(state("<b>Ada</b> 李", 0)));
    let now = RwSignal::new(NOW_MS);
    let root = container();
    let _mounted = mount_to(root.clone(), move || {
        view! { <BulbCaption state=bulb now_ms=now /> }
    });
    let set_by = find(&root, "[data-testid=bulb-set-by]");
    assert!(text(&set_by).contains("<b>Ada</b> 李"), "{}", text(&set_by));
    assert!(set_by.query_selector("b").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn live_status_says_live_or_reconnecting() {
    let status = RwSignal::new(LiveStatus::Reconnecting);
    let root = container();
    let _mounted = mount_to(
        root.clone(),
        move || view! { <LiveStatusBadge status=status /> },
    );
    let badge = find(&root, "[data-testid=live-status]");
    assert_eq!(text(&badge), "reconnecting…");
    status.set(LiveStatus::Live);
    settle().await;
    assert_eq!(text(&badge), "live");
    status.set(LiveStatus::Reconnecting);
    settle().await;
    assert_eq!(text(&badge), "reconnecting…");
}

#[wasm_bindgen_test]
async fn error_banner_appears_and_dismisses() {
    let message = RwSignal::new(None::<String>);
    let root = container();
    let on_dismiss = Callback::new(move |()| message.set(None));
    let _mounted = mount_to(root.clone(), move || {
        view! { <ErrorBanner message=message on_dismiss=on_dismiss /> }
    });
    assert!(find_all(&root, "[data-testid=error]").is_empty());
    message.set(Some("name must be 1–40 characters".into()));
    settle().await;
    assert_eq!(
        text(&find(&root, "[data-testid=error]")),
        "name must be 1–40 characters"
    );
    click(&find(&root, "[data-testid=error-dismiss]"));
    settle().await;
    assert!(find_all(&root, "[data-testid=error]").is_empty());
}

#[wasm_bindgen_test]
async fn last_request_shows_the_id() {
    let id = RwSignal::new(None::<String>);
    let root = container();
    let _mounted = mount_to(
        root.clone(),
        move || view! { <LastRequest request_id=id /> },
    );
    assert!(find_all(&root, "[data-testid=last-request]").is_empty());
    id.set(Some("r-9".into()));
    settle().await;
    assert_eq!(
        text(&find(&root, "[data-testid=last-request]")),
        "Accepted: your change waits in the bulb's queue (change r-9)"
    );
}

#[wasm_bindgen_test]
async fn fetch_helper_decodes_success_and_envelope() {
    let ok = Response::builder()
        .status(202)
        .body(Some(r#"{"request_id":"r-5","queue_length":2}"#))
        .unwrap();
    let accepted: SetBulbAccepted = api::read_response("setting the bulb", ok).await.unwrap();
    assert_eq!(accepted.request_id, "r-5");

    let bad = Response::builder()
        .status(400)
        .header("Content-Type", "application/json")
        .body(Some(
            r#"{"error":{"code":"invalid_input","message":"name is empty; type 1–40 characters"}}"#,
        ))
        .unwrap();
    let failure: ApiFailure = api::read_response::<Joined>("joining", bad)
        .await
        .unwrap_err();
    assert_eq!(failure.message, "name is empty; type 1–40 characters");
    assert_eq!(failure.code, Some(ErrorCode::InvalidInput));
    assert_eq!(failure.status, Some(400));

    let html = Response::builder()
        .status(502)
        .body(Some("<h1>Bad Gateway</h1>"))
        .unwrap();
    let failure = api::read_response::<Joined>("joining", html)
        .await
        .unwrap_err();
    assert!(failure.message.contains("HTTP 502"), "{}", failure.message);
    assert!(
        failure.message.starts_with("Joining failed"),
        "{}",
        failure.message
    );
}
