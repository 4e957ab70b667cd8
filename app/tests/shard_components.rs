//! The shards' bulbs in headless Chromium: mine large and first (marked), the others
//! as swatches with their number and colour; one shard looks as the single bulb
//! always did; the live bulbs keep every shard's state apart and follow the room.
//! Run with `cargo test -p bulbwatch-app --target wasm32-unknown-unknown --test shard_components`.
#![cfg(target_arch = "wasm32")]

use bulbwatch_api::BulbState;
use bulbwatch_app::bulb_stream::LiveStatus;
use bulbwatch_app::components::{Section, ShardBulbs, Topbar};
use bulbwatch_app::contexts::provide_live_bulb;
use bulbwatch_app::contexts::room_context::RoomView;
use bulbwatch_app::shards::{KnownBulbs, ShardBulb};
use leptos::mount::mount_to;
use leptos::prelude::*;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

mod dom;
use dom::{container, find, find_all, settle, text};

fn bulb(shard: u32, colour: &str, hex: &str) -> BulbState {
    BulbState {
        shard,
        colour: colour.into(),
        hex: hex.into(),
        hue: 0,
        sat: 254,
        bri: 254,
        on: true,
        request_id: Some(format!("r-{shard}")),
        applied_at_ms: Some(1_000),
        applied_by: None,
        queue_length: 0,
        queue_delay_ms: 400,
    }
}

fn known(states: &[BulbState]) -> KnownBulbs {
    let mut known = KnownBulbs::default();
    for s in states {
        known.live(s.clone());
    }
    known
}

fn shard_ids(root: &web_sys::Element) -> Vec<(String, String)> {
    find_all(root, "[data-testid^=bulb-shard-]")
        .iter()
        .map(|e| {
            (
                e.get_attribute("data-testid").unwrap(),
                e.get_attribute("data-mine").unwrap(),
            )
        })
        .collect()
}

#[wasm_bindgen_test]
async fn my_shard_comes_first_and_large_the_others_as_swatches() {
    let states = known(&[
        bulb(0, "red", "#ff0000"),
        bulb(1, "#12abef", "#12abef"),
        bulb(2, "green", "#00ff00"),
    ]);
    let bulbs = RwSignal::new(states.shown(3, Some(2)));
    let root = container();
    let _mounted = mount_to(root.clone(), move || view! { <ShardBulbs bulbs=bulbs /> });
    settle().await;

    assert_eq!(
        shard_ids(&root),
        vec![
            ("bulb-shard-2".to_string(), "true".to_string()),
            ("bulb-shard-0".to_string(), "false".to_string()),
            ("bulb-shard-1".to_string(), "false".to_string()),
        ],
        "mine first, then the others in order"
    );
    let mine = find(&root, "[data-mine=true]");
    assert_eq!(mine.get_attribute("data-hex").as_deref(), Some("#00ff00"));
    assert_eq!(
        find_all(&mine, "[data-testid=bulb]").len(),
        1,
        "my bulb is the large one"
    );
    assert_eq!(
        find_all(&root, "[data-testid=bulb]").len(),
        1,
        "the others are swatches"
    );
    assert_eq!(
        text(&find(&root, "[data-testid=bulb-mine-label]")),
        "Shard 2 · yours"
    );
    let other = find(&root, "[data-testid=bulb-shard-1]");
    assert_eq!(other.get_attribute("data-hex").as_deref(), Some("#12abef"));
    assert!(text(&other).contains("Shard 1"), "{}", text(&other));
    assert_eq!(text(&find(&other, "[data-testid=shard-colour]")), "#12ABEF");

    // A live change of another shard recolours its swatch only.
    bulbs.update(|list| list[1].state = Some(bulb(0, "blue", "#0000ff")));
    settle().await;
    assert_eq!(
        find(&root, "[data-testid=bulb-shard-0]")
            .get_attribute("data-hex")
            .as_deref(),
        Some("#0000ff")
    );
    assert_eq!(
        find(&root, "[data-mine=true]")
            .get_attribute("data-hex")
            .as_deref(),
        Some("#00ff00")
    );

    // Back to one shard: the single bulb as it always was.
    bulbs.set(states.shown(1, Some(0)));
    settle().await;
    assert_eq!(
        shard_ids(&root),
        vec![("bulb-shard-0".to_string(), "true".to_string())]
    );
    assert!(find_all(&root, "[data-testid=bulb-mine-label]").is_empty());
    assert!(find_all(&root, ".shard-swatch").is_empty());
    assert_eq!(
        find(&root, "[data-testid=bulb]")
            .get_attribute("data-hex")
            .as_deref(),
        Some("#ff0000")
    );
}

#[wasm_bindgen_test]
async fn the_live_bulbs_keep_each_shard_and_follow_the_room() {
    let root = container();
    let live = RwSignal::new(None);
    let _mounted = mount_to(root.clone(), move || {
        let bulbs = provide_live_bulb();
        live.set(Some(bulbs));
        view! { <ShardBulbs bulbs=bulbs.shown() /> }
    });
    let live = live.get_untracked().unwrap();
    live.bulbs.update(|b| {
        b.live(bulb(0, "red", "#ff0000"));
        b.live(bulb(1, "blue", "#0000ff"));
    });
    settle().await;
    assert_eq!(
        shard_ids(&root),
        vec![("bulb-shard-0".to_string(), "false".to_string())],
        "one shard until the room says more, nobody's until the server says"
    );
    assert_eq!(live.state.get_untracked().unwrap().hex, "#ff0000");

    live.room.set(Some(RoomView {
        phase: bulbwatch_api::Phase::ScaleOut,
        reveal: None,
        shards: 2,
    }));
    settle().await;
    assert_eq!(
        text(&find(&root, "[data-testid=bulb-mine-label]")),
        "Shard 0",
        "not called mine before the server says"
    );
    live.mine.set(Some(1));
    settle().await;
    assert_eq!(
        text(&find(&root, "[data-testid=bulb-mine-label]")),
        "Shard 1 · yours"
    );
    assert_eq!(
        shard_ids(&root),
        vec![
            ("bulb-shard-1".to_string(), "true".to_string()),
            ("bulb-shard-0".to_string(), "false".to_string()),
        ]
    );
    assert_eq!(
        live.state.get_untracked().unwrap().hex,
        "#0000ff",
        "my bulb is my shard's"
    );
    assert_eq!(live.hex().get_untracked().as_deref(), Some("#0000ff"));
}

#[wasm_bindgen_test]
async fn the_top_bar_shows_the_other_shards_as_dots() {
    let bulbs = RwSignal::new(Vec::<ShardBulb>::new());
    let root = container();
    let _mounted = mount_to(root.clone(), move || {
        view! {
            <Topbar
                section=Section::Play
                bulbs=bulbs
                name=Signal::derive(|| None::<String>)
                live=Signal::derive(|| LiveStatus::Live)
            />
        }
    });
    bulbs.set(known(&[bulb(0, "red", "#ff0000")]).shown(1, Some(0)));
    settle().await;
    assert!(find_all(&root, "[data-testid^=topbar-shard-]").is_empty());
    let dot = find(&root, ".brand__dot");
    assert!(
        dot.get_attribute("style")
            .unwrap_or_default()
            .contains("#ff0000")
    );

    let states = known(&[bulb(0, "red", "#ff0000"), bulb(1, "blue", "#0000ff")]);
    bulbs.set(states.shown(3, Some(1)));
    settle().await;
    assert!(find_all(&root, ".brand__shards").len() == 1);
    let dots: Vec<String> = find_all(&root, "[data-testid^=topbar-shard-]")
        .iter()
        .map(|e| e.get_attribute("data-testid").unwrap())
        .collect();
    assert_eq!(dots, vec!["topbar-shard-0", "topbar-shard-2"]);
    assert!(
        find(&root, ".brand__dot")
            .get_attribute("style")
            .unwrap_or_default()
            .contains("#0000ff"),
        "the brand is my shard's colour"
    );
    assert_eq!(
        find(&root, "[data-testid=topbar-shard-2]")
            .get_attribute("title")
            .as_deref(),
        Some("Shard 2: not known yet")
    );
}
