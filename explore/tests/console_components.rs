//! The facilitator's console in headless Chromium: the board's tiles from a `Board`
//! value (verdict, pass rate, badges, controls), the phase stepper, and the presenter
//! view that hides every control while the code, stepper, board and chart stay.
//! Run with `cargo test -p bulbwatch-explore --target wasm32-unknown-unknown --test console_components`.
#![cfg(target_arch = "wasm32")]

use std::sync::{Arc, Mutex};

use bulbwatch_api::{
    Attendee, Board, BoardTile, Diagnosis, JoinInfo, PassRatePoint, Phase, RehearsalState,
    ScenarioBoard, ScenarioSetting, ScenarioState, SetRehearsal, SetScenario, Verdict,
};
use bulbwatch_app::contexts::{
    provide_clock, provide_current_attendee, provide_last_error, provide_live_bulb, provide_room,
};
use bulbwatch_explore::console::{
    BoardTiles, JoinPanel, PanelProblem, PhaseStepper, RehearsalPanel, ScenarioPanel,
};
use bulbwatch_explore::pages::console::Console;
use leptos::mount::mount_to;
use leptos::prelude::*;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[path = "../../app/tests/dom/mod.rs"]
mod dom;
use dom::{click, container, find, find_all, settle, text};
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};

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
                simulated: false,
                points_at: vec!["Flaky green".into()],
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
                simulated: true,
                points_at: vec![],
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
        text(&find(ada, "[data-testid=tile-points-at]")),
        "points at: Flaky green"
    );
    assert!(find_all(ada, "[data-testid=tile-simulated]").is_empty());

    assert_eq!(
        find(grace, "[data-testid=tile-verdict]")
            .get_attribute("data-verdict")
            .as_deref(),
        Some("none")
    );
    assert_eq!(text(&find(grace, "[data-testid=tile-pass-rate]")), "–");
    assert!(find_all(grace, "[data-testid=tile-scheduled]").is_empty());
    assert_eq!(
        text(&find(grace, "[data-testid=tile-simulated]")),
        "simulated"
    );
    assert!(find_all(grace, "[data-testid=tile-points-at]").is_empty());
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
        find_all(&root, "[data-testid=tile-points-at]").is_empty(),
        "which scenario it points at is not for the room"
    );
    assert_eq!(find_all(&root, "[data-testid=tile-simulated]").len(), 1);
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
        "[data-testid=scenarios-panel]",
        "[data-testid=shards-select]",
        "[data-testid=rehearsal-set]",
        "[data-testid=rehearsal-remove]",
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

fn scenario(id: &str, title: &str, on: bool) -> ScenarioState {
    ScenarioState {
        id: id.into(),
        title: title.into(),
        brief: format!("What {title} does."),
        root_cause: vec!["queue_length".into()],
        on,
        always_on: false,
        needs_shards: false,
        setting: None,
        detail: None,
        explore_url: format!("/explore?q={id}"),
    }
}

fn scenario_board() -> ScenarioBoard {
    let mut shared = scenario("shared_bulb", "Shared bulb", true);
    shared.always_on = true;
    let mut busy = scenario("busy_queue", "Busy queue", false);
    busy.setting = Some(ScenarioSetting {
        label: "Queue delay".into(),
        unit: "ms".into(),
        value: 1500,
        min: 0,
        max: 2000,
    });
    let mut bad = scenario("bad_shard", "Bad shard", true);
    bad.needs_shards = true;
    bad.root_cause = vec!["shard".into()];
    bad.detail = Some("Does nothing until the room has two or more shards.".into());
    ScenarioBoard {
        seed: 123_456,
        shards: 1,
        scenarios: vec![shared, busy, bad],
        rehearsal: RehearsalState {
            running: 0,
            interval_ms: 5000,
            runs: 0,
        },
    }
}

fn set_value(input: &HtmlInputElement, value: &str) {
    input.set_value(value);
    let change = web_sys::Event::new("change").unwrap();
    input.dispatch_event(&change).unwrap();
}

#[wasm_bindgen_test]
async fn the_scenario_panel_shows_each_switch_and_the_seed() {
    let board = RwSignal::new(Some(scenario_board()));
    let problem = RwSignal::new(None::<PanelProblem>);
    let changes = Arc::new(Mutex::new(Vec::<(String, SetScenario)>::new()));
    let sink = Arc::clone(&changes);
    let on_change = Callback::new(move |c: (String, SetScenario)| sink.lock().unwrap().push(c));
    let root = container();
    let _mounted = mount_to(root.clone(), move || {
        view! { <ScenarioPanel board=board on_change=on_change problem=problem /> }
    });
    settle().await;

    assert_eq!(
        text(&find(&root, "[data-testid=room-seed]")),
        "Seed 123456 · start with --seed 123456 to replay"
    );
    let rows: Vec<String> = find_all(&root, "[data-testid^=scenario-][data-on]")
        .iter()
        .map(|e| e.get_attribute("data-testid").unwrap())
        .collect();
    assert_eq!(
        rows,
        vec![
            "scenario-shared_bulb",
            "scenario-busy_queue",
            "scenario-bad_shard"
        ],
        "every scenario, in the console's order"
    );
    let toggle = |id: &str| find(&root, &format!("[data-testid=scenario-toggle-{id}]"));
    let checked = |id: &str| toggle(id).get_attribute("aria-checked").unwrap();
    assert_eq!(checked("shared_bulb"), "true");
    assert_eq!(checked("busy_queue"), "false");
    assert_eq!(checked("bad_shard"), "true");

    let shared = find(&root, "[data-testid=scenario-shared_bulb]");
    assert!(toggle("shared_bulb").has_attribute("disabled"), "always on");
    assert!(text(&shared).contains("Always on"), "{}", text(&shared));
    let bad = find(&root, "[data-testid=scenario-bad_shard]");
    assert_eq!(
        text(&find(&bad, "[data-testid=scenario-note]")),
        "needs 2+ shards"
    );
    assert!(text(&bad).contains("shard"), "its root cause column");
    assert!(text(&bad).contains("Does nothing until"), "its detail line");
    assert_eq!(
        find(&bad, "[data-testid=scenario-query-bad_shard]")
            .get_attribute("href")
            .as_deref(),
        Some("/explore?q=bad_shard")
    );
    assert!(find_all(&root, "[data-testid=scenario-value-bad_shard]").is_empty());

    // The switch asks for the other state; the setting applies on change.
    click(&toggle("busy_queue"));
    let value: HtmlInputElement =
        find(&root, "[data-testid=scenario-value-busy_queue]").unchecked_into();
    assert_eq!(value.value(), "1500");
    assert_eq!(value.min(), "0");
    assert_eq!(value.max(), "2000");
    set_value(&value, "800");
    assert_eq!(
        *changes.lock().unwrap(),
        vec![
            (
                "busy_queue".to_string(),
                SetScenario {
                    on: true,
                    value: None
                }
            ),
            (
                "busy_queue".to_string(),
                SetScenario {
                    on: false,
                    value: Some(800)
                }
            ),
        ]
    );
    set_value(&value, "9000");
    settle().await;
    assert!(
        text(&find(&root, "[data-testid=scenario-problem]")).contains("0–2000"),
        "out of range is said next to it"
    );
    assert_eq!(changes.lock().unwrap().len(), 2, "and not sent");

    // The server's answer: the switch follows; two shards lift the note; a refused
    // change shows the server's message on its row.
    board.update(|b| {
        let b = b.as_mut().unwrap();
        b.shards = 2;
        b.scenarios[1].on = true;
    });
    problem.set(Some(PanelProblem::Scenario(
        "bad_shard".into(),
        "the server said no".into(),
    )));
    settle().await;
    assert_eq!(checked("busy_queue"), "true");
    let bad = find(&root, "[data-testid=scenario-bad_shard]");
    assert!(find_all(&bad, "[data-testid=scenario-note]").is_empty());
    assert_eq!(
        text(&find(&bad, "[data-testid=scenario-problem]")),
        "the server said no"
    );
}

#[wasm_bindgen_test]
async fn the_rehearsal_panel_sets_shards_and_simulated_attendees() {
    let board = RwSignal::new(Some(scenario_board()));
    let problem = RwSignal::new(None::<PanelProblem>);
    let removed = RwSignal::new(None::<String>);
    let shards = Arc::new(Mutex::new(Vec::<u32>::new()));
    let rehearsals = Arc::new(Mutex::new(Vec::<SetRehearsal>::new()));
    let removals = Arc::new(Mutex::new(0));
    let (s, r, d) = (
        Arc::clone(&shards),
        Arc::clone(&rehearsals),
        Arc::clone(&removals),
    );
    let on_shards = Callback::new(move |n: u32| s.lock().unwrap().push(n));
    let on_rehearsal = Callback::new(move |c: SetRehearsal| r.lock().unwrap().push(c));
    let on_remove = Callback::new(move |()| *d.lock().unwrap() += 1);
    let root = container();
    let _mounted = mount_to(root.clone(), move || {
        view! {
            <RehearsalPanel
                board=board
                on_shards=on_shards
                on_rehearsal=on_rehearsal
                on_remove=on_remove
                problem=problem
                removed=removed
            />
        }
    });
    settle().await;

    let select: HtmlSelectElement = find(&root, "[data-testid=shards-select]").unchecked_into();
    assert_eq!(select.value(), "1");
    assert_eq!(select.length(), 8, "1–8 shards");
    select.set_value("3");
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    assert_eq!(*shards.lock().unwrap(), vec![3]);

    assert_eq!(text(&find(&root, "[data-testid=rehearsal-running]")), "0");
    let set = find(&root, "[data-testid=rehearsal-set]");
    assert_eq!(text(&set), "Add", "none running yet");
    let count: HtmlInputElement = find(&root, "[data-testid=rehearsal-count]").unchecked_into();
    let interval: HtmlInputElement =
        find(&root, "[data-testid=rehearsal-interval]").unchecked_into();
    assert_eq!(interval.value(), "5", "seconds");
    count.set_value("12");
    count
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    interval.set_value("2");
    interval
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    click(&set);
    assert_eq!(
        *rehearsals.lock().unwrap(),
        vec![SetRehearsal {
            attendees: 12,
            interval_ms: Some(2000)
        }]
    );
    count.set_value("80");
    count
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    click(&set);
    settle().await;
    assert!(text(&find(&root, "[data-testid=rehearsal-problem]")).contains("1–50"));
    assert_eq!(rehearsals.lock().unwrap().len(), 1);

    board.update(|b| {
        let b = b.as_mut().unwrap();
        b.shards = 3;
        b.rehearsal = RehearsalState {
            running: 12,
            interval_ms: 2000,
            runs: 40,
        };
    });
    settle().await;
    assert_eq!(select.value(), "3");
    assert_eq!(text(&find(&root, "[data-testid=rehearsal-running]")), "12");
    assert_eq!(text(&find(&root, "[data-testid=rehearsal-runs]")), "40");
    assert_eq!(text(&find(&root, "[data-testid=rehearsal-set]")), "Set");
    assert_eq!(count.value(), "12");

    click(&find(&root, "[data-testid=rehearsal-remove]"));
    assert_eq!(*removals.lock().unwrap(), 1);
    problem.set(Some(PanelProblem::Shards(
        "shards must be 1–8, got 9".into(),
    )));
    settle().await;
    assert_eq!(
        text(&find(&root, "[data-testid=shards-problem]")),
        "shards must be 1–8, got 9"
    );
}

#[wasm_bindgen_test]
fn the_bulbs_panel_names_the_driver_and_counts_the_pairing_window_down() {
    use bulbwatch_api::{DriverLight, DriverStatus, HueBridgeState};
    use bulbwatch_explore::console::bulbs_panel::{driver_line, pairing_left_s};

    let mut status = DriverStatus::named("virtual");
    assert_eq!(
        driver_line(&status),
        "The virtual bulb: every page shows it."
    );
    status.bridge = Some("http://192.168.1.2".into());
    status.lights = vec![
        DriverLight {
            shard: 0,
            id: "1".into(),
            name: Some("Desk".into()),
            reachable: true,
        },
        DriverLight {
            shard: 1,
            id: "4".into(),
            name: None,
            reachable: false,
        },
    ];
    assert_eq!(
        driver_line(&status),
        "Hue bridge http://192.168.1.2: shard 0 → light 1 (Desk) · shard 1 → light 4 (not found, unreachable)"
    );

    let state = |until| HueBridgeState {
        link_button_open_until_ms: until,
        ..HueBridgeState::default()
    };
    assert_eq!(pairing_left_s(&state(None), 0), None);
    assert_eq!(pairing_left_s(&state(Some(10_500)), 0), Some(11));
    assert_eq!(
        pairing_left_s(&state(Some(45_000)), 0),
        Some(30),
        "a clock behind"
    );
    assert_eq!(pairing_left_s(&state(Some(1_000)), 1_000), None, "closed");
}
