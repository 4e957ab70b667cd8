//! The room's pieces in headless Chromium: the phase banner and its prompt, the
//! reveal, my diagnosis card (counter, limit, submit, the facilitator's mark), and the
//! join page's code filled in from `/join/{code}`.
//! Run with `cargo test -p bulbwatch-app --target wasm32-unknown-unknown --test room_components`.
#![cfg(target_arch = "wasm32")]

use std::sync::{Arc, Mutex};

use bulbwatch_api::{
    Attendee, AttendeeProgress, DIAGNOSIS_MAX_CHARS, Diagnosis, Phase, Reveal, RevealedCause,
    prompt,
};
use bulbwatch_app::components::{DiagnosisCard, RoomBanner};
use bulbwatch_app::contexts::room_context::RoomView;
use bulbwatch_app::contexts::{provide_current_attendee, provide_last_error, provide_live_bulb};
use bulbwatch_app::pages::JoinPage;
use bulbwatch_app::routing::{Route, join_code};
use leptos::mount::mount_to;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlButtonElement, HtmlInputElement, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

mod dom;
use dom::{click, container, find, find_all, settle, text};

/// Types `value` into a text field as a person would (an `input` event).
fn type_into(field: &Element, value: &str) {
    if let Some(area) = field.dyn_ref::<HtmlTextAreaElement>() {
        area.set_value(value);
    } else {
        field.unchecked_ref::<HtmlInputElement>().set_value(value);
    }
    field
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
}

fn disabled(root: &Element, selector: &str) -> bool {
    find(root, selector)
        .unchecked_into::<HtmlButtonElement>()
        .disabled()
}

#[wasm_bindgen_test]
async fn the_banner_shows_the_phase_and_the_prompt_for_my_progress() {
    let room = RwSignal::new(None::<RoomView>);
    let progress = RwSignal::new(AttendeeProgress::default());
    let root = container();
    let _mounted = mount_to(root.clone(), move || {
        view! { <RoomBanner state=room progress=progress /> }
    });
    let phase = |p: Phase| {
        room.set(Some(RoomView {
            phase: p,
            reveal: None,
            shards: 1,
        }));
    };
    assert!(
        find_all(&root, "[data-testid=phase-banner]").is_empty(),
        "no banner before the phase is known"
    );

    phase(Phase::WriteCheck);
    settle().await;
    let banner = find(&root, "[data-testid=phase-banner]");
    assert_eq!(
        banner.get_attribute("data-phase").as_deref(),
        Some("write_check")
    );
    assert_eq!(
        text(&find(&root, "[data-testid=phase-title]")),
        "Write a check"
    );
    let shown = || text(&find(&root, "[data-testid=phase-prompt]"));
    assert!(shown().contains("Run the classic check"), "{}", shown());

    // A first passing run: the next step is the schedule.
    progress.set(AttendeeProgress {
        has_run: true,
        has_passed: true,
        ..AttendeeProgress::default()
    });
    settle().await;
    assert_eq!(shown(), "Now put it on a schedule: Run every 5 s.");

    // The facilitator moves on: the same banner, the new phase's words.
    phase(Phase::Investigate);
    settle().await;
    assert_eq!(
        text(&find(&root, "[data-testid=phase-title]")),
        "Investigate"
    );
    assert_eq!(
        shown(),
        prompt(Phase::Investigate, progress.get_untracked())
    );
    progress.update(|p| p.diagnosed = true);
    settle().await;
    assert!(shown().starts_with("Diagnosis in."), "{}", shown());
}

#[wasm_bindgen_test]
async fn the_reveal_shows_every_cause_with_its_query() {
    let room = RwSignal::new(Some(RoomView {
        phase: Phase::Investigate,
        reveal: None,
        shards: 1,
    }));
    let progress = RwSignal::new(AttendeeProgress::default());
    let root = container();
    let _mounted = mount_to(root.clone(), move || {
        view! { <RoomBanner state=room progress=progress /> }
    });
    assert!(find_all(&root, "[data-testid=reveal]").is_empty());
    assert_eq!(find_all(&root, "[data-testid=phase-banner]").len(), 1);

    let reveal = |r: Option<Reveal>| {
        room.set(Some(RoomView {
            phase: Phase::Reveal,
            reveal: r,
            shards: 1,
        }));
    };
    reveal(Some(Reveal {
        revealed_at_ms: 1,
        causes: vec![RevealedCause {
            title: "Busy queue".into(),
            text: "The queue delay was 1500 ms: checks polling for 3 s timed out.".into(),
            explore_url: "/explore?q=abc".into(),
        }],
    }));
    settle().await;
    assert_eq!(text(&find(&root, "[data-testid=phase-title]")), "Reveal");
    let panel = find(&root, "[data-testid=reveal]");
    assert!(text(&panel).contains("Busy queue"));
    assert!(text(&panel).contains("1500 ms"));
    let link = find(&panel, "[data-testid=reveal-explore]");
    assert_eq!(
        link.get_attribute("href").as_deref(),
        Some("/explore?q=abc")
    );
    assert!(text(&link).contains("Open in Explore"));

    reveal(None);
    settle().await;
    assert!(
        find_all(&root, "[data-testid=reveal]").is_empty(),
        "hidden again"
    );
}

fn diagnosis(text: &str, right: bool, evidence: Option<&str>) -> Diagnosis {
    Diagnosis {
        attendee: Attendee {
            id: "a-1".into(),
            name: "Ada".into(),
        },
        text: text.into(),
        evidence: evidence.map(Into::into),
        submitted_at_ms: 1,
        revision: 1,
        right,
    }
}

#[wasm_bindgen_test]
async fn the_diagnosis_counts_characters_and_stops_at_the_limit() {
    let mine = RwSignal::new(None::<Diagnosis>);
    let sent = Arc::new(Mutex::new(Vec::<String>::new()));
    let sink = Arc::clone(&sent);
    let on_submit = Callback::new(move |t: String| sink.lock().unwrap().push(t));
    let root = container();
    let submitting = RwSignal::new(false);
    let _mounted = mount_to(root.clone(), move || {
        view! { <DiagnosisCard diagnosis=mine on_submit=on_submit submitting=submitting /> }
    });
    let field = find(&root, "[data-testid=diagnosis-text]");
    let count = || text(&find(&root, "[data-testid=diagnosis-count]"));
    assert_eq!(count(), format!("0/{DIAGNOSIS_MAX_CHARS}"));
    assert!(
        disabled(&root, "[data-testid=diagnosis-submit]"),
        "nothing to send"
    );
    assert!(text(&find(&root, "[data-testid=diagnosis-status]")).contains("Not submitted"));

    // Characters, not bytes.
    type_into(&field, "queue délai");
    settle().await;
    assert_eq!(count(), "11/500");
    assert!(!disabled(&root, "[data-testid=diagnosis-submit]"));

    type_into(&field, &"x".repeat(DIAGNOSIS_MAX_CHARS + 1));
    settle().await;
    assert_eq!(count(), "501/500");
    assert!(
        find(&root, "[data-testid=diagnosis-count]")
            .class_list()
            .contains("diagnosis__count--over")
    );
    assert!(
        disabled(&root, "[data-testid=diagnosis-submit]"),
        "too long to send"
    );

    type_into(&field, "The queue backs up");
    settle().await;
    assert_eq!(
        text(&find(&root, "[data-testid=diagnosis-submit]")),
        "Submit"
    );
    click(&find(&root, "[data-testid=diagnosis-submit]"));
    settle().await;
    assert_eq!(
        *sent.lock().unwrap(),
        vec!["The queue backs up".to_string()]
    );

    // The server's copy, with evidence and the facilitator's mark.
    mine.set(Some(diagnosis(
        "The queue backs up",
        true,
        Some("/explore?q=xyz"),
    )));
    settle().await;
    assert_eq!(
        text(&find(&root, "[data-testid=diagnosis-submit]")),
        "Revise"
    );
    assert!(
        disabled(&root, "[data-testid=diagnosis-submit]"),
        "nothing changed to revise"
    );
    assert!(
        text(&find(&root, "[data-testid=diagnosis-status]"))
            .contains("marked right by the facilitator")
    );
    let evidence = find(&root, "[data-testid=diagnosis-evidence]");
    assert_eq!(
        evidence.get_attribute("href").as_deref(),
        Some("/explore?q=xyz")
    );
    type_into(&field, "The queue backs up under load");
    settle().await;
    assert!(
        !disabled(&root, "[data-testid=diagnosis-submit]"),
        "a revision"
    );
}

#[wasm_bindgen_test]
async fn the_join_page_fills_in_the_code_of_its_link() {
    let Route::Join(code) = Route::from_path("/join/kmtxpa") else {
        panic!("/join/{{code}} is the join route");
    };
    let root = container();
    let _mounted = mount_to(root.clone(), move || {
        provide_last_error();
        provide_live_bulb();
        provide_current_attendee();
        view! { <JoinPage code=code.clone() /> }
    });
    let field: HtmlInputElement = find(&root, "[data-testid=join-code]").unchecked_into();
    assert_eq!(field.value(), "KMTXPA");
    assert!(text(&root).contains("join link fills it in"));

    // What is sent is the field's letters, upper-cased (the field shows them so).
    assert_eq!(
        field.get_attribute("autocapitalize").as_deref(),
        Some("characters")
    );
    assert_eq!(join_code("ab-c1d"), "ABCD");
    assert_eq!(find_all(&root, "[data-testid=join-name]").len(), 1);
}
