//! The facilitator's console in headless Chromium: the board's tiles from a `Board`
//! value (verdict, pass rate, badges, controls), the phase stepper, and the presenter
//! view that hides every control while the code, stepper, board and chart stay.
//! Run with `cargo test -p bulbwatch-explore --target wasm32-unknown-unknown --test console_components`.
#![cfg(target_arch = "wasm32")]

use std::sync::{Arc, Mutex};

use bulbwatch_api::{
    Attendee, Board, BoardTile, Diagnosis, JoinInfo, PassRatePoint, Phase, Verdict,
};
use bulbwatch_app::contexts::{
    provide_clock, provide_current_attendee, provide_last_error, provide_live_bulb, provide_room,
};
use bulbwatch_explore::console::{BoardTiles, JoinPanel, PhaseStepper};
use bulbwatch_explore::pages::console::Console;
use leptos::mount::mount_to;
use leptos::prelude::*;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[path = "../../app/tests/dom/mod.rs"]
mod dom;
use dom::{click, container, find, find_all, settle, text};

fn attendee(id: &str, name: &str) -> Attendee {
    Attendee {
        id: id.into(),
        name: name.into(),
    }
}

fn board() -> Board {
    Board {
        tiles: vec![
            BoardTile {
                attendee: attendee("a-1", "Ada"),
                last_verdict: Some(Verdict::Fail),
                last_run_at_ms: Some(5_000),
                recent_runs: 10,
                recent_passed: 8,
                total_runs: 31,
                scheduled: true,
                diagnosis: Some(Diagnosis {
                    attendee: attendee("a-1", "Ada"),
                    text: "The queue <backs> up".into(),
                    evidence: Some("/explore?q=e".into()),
                    submitted_at_ms: 4_000,
                    revision: 2,
                    right: false,
                }),
            },
            BoardTile {
                attendee: attendee("a-2", "Grace"),
                last_verdict: None,
                last_run_at_ms: None,
                recent_runs: 0,
                recent_passed: 0,
                total_runs: 0,
                scheduled: false,
                diagnosis: None,
            },
        ],
        pass_rate: vec![PassRatePoint {
            start_ms: 0,
            runs: 10,
            passed: 8,
        }],
        slice_ms: 10_000,
    }
}

#[wasm_bindgen_test]
async fn a_tile_per_attendee_with_verdict_pass_rate_and_badges() {
    let shown = RwSignal::new(Some(board()));
    let controls = RwSignal::new(true);
    let marks = Arc::new(Mutex::new(Vec::<(String, bool)>::new()));
    let removed = Arc::new(Mutex::new(Vec::<String>::new()));
    let (m, r) = (Arc::clone(&marks), Arc::clone(&removed));
    let on_mark = Callback::new(move |x: (String, bool)| m.lock().unwrap().push(x));
    let on_remove = Callback::new(move |id: String| r.lock().unwrap().push(id));
    let root = container();
    let _mounted = mount_to(root.clone(), move || {
        view! { <BoardTiles board=shown controls=controls on_mark=on_mark on_remove=on_remove /> }
    });

    let tiles = find_all(&root, "[data-testid=board-tile]");
    assert_eq!(tiles.len(), 2);
    let (ada, grace) = (&tiles[0], &tiles[1]);
    assert_eq!(
        ada.get_attribute("data-attendee-id").as_deref(),
        Some("a-1")
    );
    assert!(text(ada).contains("Ada"));
    let verdict = find(ada, "[data-testid=tile-verdict]");
    assert_eq!(
        verdict.get_attribute("data-verdict").as_deref(),
        Some("fail")
    );
    assert_eq!(text(&find(ada, "[data-testid=tile-pass-rate]")), "8/10");
    assert_eq!(find_all(ada, "[data-testid=tile-scheduled]").len(), 1);
    let badge = find(ada, "[data-testid=tile-diagnosis]");
    assert_eq!(text(&badge), "diagnosis in");
    assert_eq!(badge.get_attribute("data-right").as_deref(), Some("false"));
    assert_eq!(
        text(&find(ada, "[data-testid=tile-diagnosis-text]")),
        "The queue <backs> up",
        "the text, as text"
    );

    assert_eq!(
        find(grace, "[data-testid=tile-verdict]")
            .get_attribute("data-verdict")
            .as_deref(),
        Some("none")
    );
    assert_eq!(text(&find(grace, "[data-testid=tile-pass-rate]")), "–");
    assert!(find_all(grace, "[data-testid=tile-scheduled]").is_empty());
    assert!(find_all(grace, "[data-testid=tile-diagnosis]").is_empty());
    assert!(
        find_all(grace, "[data-testid=tile-mark]").is_empty(),
        "nothing to mark"
    );

    click(&find(ada, "[data-testid=tile-mark]"));
    click(&find(grace, "[data-testid=tile-remove]"));
    assert_eq!(*marks.lock().unwrap(), vec![("a-1".to_string(), true)]);
    assert_eq!(*removed.lock().unwrap(), vec!["a-2".to_string()]);

    // Marked right: the badge says so, the button undoes it.
    shown.update(|b| {
        if let Some(d) = b.as_mut().and_then(|b| b.tiles[0].diagnosis.as_mut()) {
            d.right = true;
        }
    });
    settle().await;
    let ada = &find_all(&root, "[data-testid=board-tile]")[0];
    let badge = find(ada, "[data-testid=tile-diagnosis]");
    assert_eq!(badge.get_attribute("data-right").as_deref(), Some("true"));
    assert!(text(&badge).contains("right"));
    assert_eq!(text(&find(ada, "[data-testid=tile-mark]")), "unmark");

    // Presenter view: the badges stay, the texts and buttons go.
    controls.set(false);
    settle().await;
    let ada = &find_all(&root, "[data-testid=board-tile]")[0];
    assert_eq!(find_all(ada, "[data-testid=tile-diagnosis]").len(), 1);
    assert!(find_all(&root, "[data-testid=tile-diagnosis-text]").is_empty());
    assert!(
        find_all(&root, "button").is_empty(),
        "no buttons to photograph"
    );
}

#[wasm_bindgen_test]
async fn the_stepper_marks_the_current_phase_and_asks_for_another() {
    let phase = RwSignal::new(Some(Phase::WriteCheck));
    let picked = Arc::new(Mutex::new(Vec::<Phase>::new()));
    let sink = Arc::clone(&picked);
    let on_pick = Callback::new(move |p: Phase| sink.lock().unwrap().push(p));
    let root = container();
    let _mounted = mount_to(root.clone(), move || {
        view! { <PhaseStepper phase=phase on_pick=on_pick /> }
    });
    assert_eq!(
        find_all(&root, "[data-testid^=phase-step-]").len(),
        Phase::ALL.len()
    );
    let current = || find_all(&root, "[aria-current=step]");
    assert_eq!(current().len(), 1);
    assert_eq!(
        current()[0].get_attribute("data-testid").as_deref(),
        Some("phase-step-write_check")
    );
    click(&find(&root, "[data-testid=phase-step-investigate]"));
    assert_eq!(*picked.lock().unwrap(), vec![Phase::Investigate]);
    phase.set(Some(Phase::Investigate));
    settle().await;
    assert_eq!(
        current()[0].get_attribute("data-testid").as_deref(),
        Some("phase-step-investigate")
    );
    assert!(
        find(&root, "[data-testid=phase-step-write_check]")
            .class_list()
            .contains("stepper__step--done")
    );
}

#[wasm_bindgen_test]
async fn the_join_panel_shows_code_address_and_qr() {
    let join = RwSignal::new(None::<JoinInfo>);
    let root = container();
    let _mounted = mount_to(root.clone(), move || view! { <JoinPanel join=join /> });
    assert!(find_all(&root, "[data-testid=console-qr]").is_empty());
    join.set(Some(JoinInfo {
        code: "KMTXPA".into(),
        join_url: "http://10.0.0.5:8080/join/KMTXPA".into(),
    }));
    settle().await;
    assert_eq!(text(&find(&root, "[data-testid=console-code]")), "KMTXPA");
    assert_eq!(
        text(&find(&root, "[data-testid=console-join-url]")),
        "http://10.0.0.5:8080/join/KMTXPA"
    );
    let qr = find(&root, "[data-testid=console-qr]");
    assert_eq!(
        qr.get_attribute("src").as_deref(),
        Some("/api/room/join/qr.svg")
    );
}

#[wasm_bindgen_test]
async fn the_presenter_view_hides_every_control() {
    let location = web_sys::window().unwrap().location();
    let address = format!(
        "{}{}",
        location.pathname().unwrap(),
        location.search().unwrap()
    );
    let presenter = RwSignal::new(false);
    let root = container();
    let _mounted = mount_to(root.clone(), move || {
        provide_last_error();
        let live = provide_live_bulb();
        provide_current_attendee();
        provide_clock();
        provide_room(live);
        view! { <Console presenter=presenter /> }
    });
    settle().await;
    let count = |selector: &str| find_all(&root, selector).len();
    let controls = [
        "[data-testid=console-controls]",
        "[data-testid=queue-delay-input]",
        "[data-testid=reveal-toggle]",
        "[data-testid=new-session]",
        "[data-testid=new-join-code]",
    ];
    let staying = [
        "[data-testid=console-code]",
        "[data-testid=console-join-url]",
        "[data-testid=phase-step-lobby]",
        "[data-testid=board]",
        "[data-testid=console-pass-rate]",
        "[data-testid=bulb]",
        "[data-testid=presenter-toggle]",
    ];
    for selector in controls.iter().chain(&staying) {
        assert_eq!(count(selector), 1, "{selector} with the controls");
    }
    let console = find(&root, "[data-testid=console]");
    assert_eq!(
        console.get_attribute("data-presenter").as_deref(),
        Some("false")
    );

    click(&find(&root, "[data-testid=presenter-toggle]"));
    settle().await;
    assert!(presenter.get_untracked(), "the button switches the view");
    assert_eq!(
        console.get_attribute("data-presenter").as_deref(),
        Some("true")
    );
    assert!(console.class_list().contains("console--presenter"));
    assert_eq!(
        location.search().unwrap(),
        "?presenter=1",
        "a reload keeps the view"
    );
    web_sys::window()
        .unwrap()
        .history()
        .unwrap()
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&address))
        .unwrap();
    for selector in controls {
        assert_eq!(
            count(selector),
            0,
            "{selector} hidden in the presenter view"
        );
    }
    for selector in staying {
        assert_eq!(count(selector), 1, "{selector} stays in the presenter view");
    }

    // The new-session dialog says what happens first.
    presenter.set(false);
    settle().await;
    click(&find(&root, "[data-testid=new-session]"));
    settle().await;
    let dialog = find(&root, "[data-testid=new-session-dialog]");
    assert!(text(&dialog).contains("export file"), "{}", text(&dialog));
    assert_eq!(count("[data-testid=new-session-confirm]"), 1);
}
