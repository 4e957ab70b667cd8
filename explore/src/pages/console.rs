//! `/facilitator`: the facilitator's console, made to be projected (1920×1080 and
//! 1280×800): the phase stepper, how to join (code, address, QR code), the bulbs
//! (this browser's shard large), the room's pass rate with its markers, the board of
//! every attendee (read every second, with the scenario board), and the controls:
//! the room's, the failure scenarios, the shards and the rehearsal room. The
//! presenter view (`?presenter=1`, or its button) hides the controls and everything
//! else that must not be photographed. Anyone but the facilitator gets a page saying
//! how to open the console.

use std::time::Duration;

use bulbwatch_api::{
    Board, InstrumentationPoint, JoinInfo, Marker, Phase, Role, RoomState, WhoAmI,
};
use bulbwatch_app::api::{self as app_api, ApiFailure};
use bulbwatch_app::components::room_banner::reveal_markup;
use bulbwatch_app::components::{BulbCaption, LiveStatusBadge, ShardBulbs};
use bulbwatch_app::contexts::room_context::RoomView;
use bulbwatch_app::contexts::{
    LastError, Room, use_clock, use_last_error, use_live_bulb, use_room,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, room};
use crate::console::session::SessionStep;
use crate::console::{
    BoardTiles, BulbsPanel, ConsoleControls, JoinPanel, NewSession, PhaseStepper, RoomChart,
    ScenarioControls, ScenarioRoom,
};

/// How often the board is read.
pub const BOARD_EVERY: Duration = Duration::from_secs(1);
/// How often the markers are read.
pub const MARKERS_EVERY: Duration = Duration::from_secs(5);
/// How often the instrumentation points are read (others may switch them).
pub const POINTS_EVERY: Duration = Duration::from_secs(10);

/// Whether `?presenter=1` (or `true`) asks for the presenter view.
pub fn presenter_param(search: &str) -> bool {
    search
        .trim_start_matches('?')
        .split('&')
        .any(|pair| matches!(pair, "presenter=1" | "presenter=true" | "presenter"))
}

/// The console for the facilitator; for anyone else, how to become them.
#[component]
pub fn ConsolePage(
    /// The address's query string (`?presenter=1`).
    search: String,
) -> impl IntoView {
    let presenter = RwSignal::new(presenter_param(&search));
    let who = RwSignal::new(None::<Result<WhoAmI, ApiFailure>>);
    spawn_local(async move {
        who.try_set(Some(app_api::room::role().await));
    });
    move || match who.get() {
        None => view! { <p class="loading">"Opening the console…"</p> }.into_any(),
        Some(Err(failure)) => view! {
            <section class="page card">
                <h1 class="page__title">"The console cannot be shown"</h1>
                <p class="muted">{failure.message}</p>
            </section>
        }
        .into_any(),
        Some(Ok(who)) if who.role != Role::Facilitator => view! {
            <section class="page card console-denied" data-testid="console-denied">
                <h1 class="page__title">"This is the facilitator's console"</h1>
                <p>
                    "Open the console link " <code>"bulbwatch serve"</code>
                    " printed when it started, or run " <code>"bulbwatch facilitator-url"</code>
                    " to print it again."
                </p>
                <p>
                    <a href="/" class="button button--primary">"Go to the room"</a>
                </p>
            </section>
        }
        .into_any(),
        Some(Ok(_)) => view! { <Console presenter=presenter /> }.into_any(),
    }
}

/// Replaces the address (no history step, no new route) to say whether the presenter
/// view is on, so a reload keeps it.
fn remember_presenter(on: bool) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let path = window.location().pathname().unwrap_or_default();
    let url = if on {
        format!("{path}?presenter=1")
    } else {
        path
    };
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// Every `every`, `tick` (once now too), until the component goes.
fn repeat(every: Duration, tick: impl Fn() + Clone + 'static) {
    tick();
    if let Ok(handle) = set_interval_with_handle(tick, every) {
        on_cleanup(move || handle.clear());
    }
}

/// What a room-changing answer does: the new state shows at once (the live stream
/// tells the phase and reveal too; the switches only the console reads).
fn apply_room(
    room_state: Room,
    full: RwSignal<Option<RoomState>>,
    errors: LastError,
    answer: Result<RoomState, ApiFailure>,
) {
    match answer {
        Ok(state) => {
            errors.clear();
            room_state.state.try_set(Some(RoomView::from(&state)));
            full.try_set(Some(state));
        }
        Err(failure) => errors.show(failure.message),
    }
}

/// The console itself (the caller checked the role).
#[component]
pub fn Console(
    /// Whether the presenter view is on.
    presenter: RwSignal<bool>,
) -> impl IntoView {
    let live = use_live_bulb();
    let room_state = use_room();
    let errors = use_last_error();
    let clock = use_clock();
    let join = RwSignal::new(None::<JoinInfo>);
    let board = RwSignal::new(None::<Board>);
    let board_problem = RwSignal::new(None::<String>);
    let markers = RwSignal::new(Vec::<Marker>::new());
    let points = RwSignal::new(Vec::<InstrumentationPoint>::new());
    let session = RwSignal::new(SessionStep::Closed);
    // The whole room (with its switches), read with the board.
    let full = RwSignal::new(None::<RoomState>);
    // The failure scenarios, the seed, the shards and the rehearsal, read with it too.
    let scenario_room = ScenarioRoom::new();

    spawn_local(async move {
        match room::join_info().await {
            Ok(info) => {
                join.try_set(Some(info));
            }
            Err(failure) => errors.show(failure.message),
        }
    });
    let load_board = move || {
        spawn_local(async move {
            match room::board().await {
                Ok(found) => {
                    board_problem.try_set(None);
                    if board.try_with_untracked(|b| b.as_ref() != Some(&found)) == Some(true) {
                        board.try_set(Some(found));
                    }
                }
                Err(failure) => {
                    board_problem.try_set(Some(failure.message));
                }
            }
        });
    };
    repeat(BOARD_EVERY, move || {
        load_board();
        scenario_room.load();
    });
    repeat(BOARD_EVERY, move || {
        spawn_local(async move {
            if let Ok(state) = app_api::room::state().await
                && full.try_with_untracked(|f| f.as_ref() != Some(&state)) == Some(true)
            {
                full.try_set(Some(state));
            }
        });
    });
    repeat(MARKERS_EVERY, move || {
        let now = js_sys::Date::now() as i64;
        let from = board
            .try_with_untracked(|b| {
                b.as_ref()
                    .and_then(|b| b.pass_rate.first().map(|p| p.start_ms))
            })
            .flatten()
            .unwrap_or(now - 3_600_000);
        spawn_local(async move {
            match api::markers(from, now + 1).await {
                Ok(found) => {
                    if markers.try_with_untracked(|m| m != &found) == Some(true) {
                        markers.try_set(found);
                    }
                }
                Err(failure) => tracing::warn!("{failure}"),
            }
        });
    });
    let load_points = move || {
        spawn_local(async move {
            match app_api::instrumentation::points().await {
                Ok(found) => {
                    if points.try_with_untracked(|p| p != &found) == Some(true) {
                        points.try_set(found);
                    }
                }
                Err(failure) => tracing::warn!("{failure}"),
            }
        });
    };
    repeat(POINTS_EVERY, load_points);

    let on_phase = Callback::new(move |phase: Phase| {
        spawn_local(
            async move { apply_room(room_state, full, errors, room::set_phase(phase).await) },
        );
    });
    let on_switch = Callback::new(move |(id, on): (String, bool)| {
        spawn_local(async move {
            apply_room(room_state, full, errors, room::set_switch(&id, on).await);
        });
    });
    let on_reveal = Callback::new(move |show: bool| {
        spawn_local(
            async move { apply_room(room_state, full, errors, room::set_reveal(show).await) },
        );
    });
    let on_point = Callback::new(move |(id, on): (String, bool)| {
        spawn_local(async move {
            match app_api::instrumentation::set_point(&id, on).await {
                Ok(point) => {
                    errors.clear();
                    points.try_update(|list| {
                        if let Some(slot) = list.iter_mut().find(|p| p.id == point.id) {
                            *slot = point;
                        }
                    });
                }
                Err(failure) => errors.show(failure.message),
            }
        });
    });
    let on_queue_delay = Callback::new(move |ms: i64| {
        spawn_local(async move {
            match room::set_queue_delay(ms).await {
                Ok(_) => errors.clear(),
                Err(failure) => errors.show(failure.message),
            }
        });
    });
    let on_new_code = Callback::new(move |()| {
        spawn_local(async move {
            match room::new_join_code().await {
                Ok(info) => {
                    errors.clear();
                    join.try_set(Some(info));
                }
                Err(failure) => errors.show(failure.message),
            }
        });
    });
    let on_mark = Callback::new(move |(id, right): (String, bool)| {
        spawn_local(async move {
            match room::mark_diagnosis(&id, right).await {
                Ok(_) => load_board(),
                Err(failure) => errors.show(failure.message),
            }
        });
    });
    let on_remove = Callback::new(move |id: String| {
        let name = board.with_untracked(|b| {
            b.as_ref()
                .and_then(|b| b.tiles.iter().find(|t| t.attendee.id == id))
                .map(|t| t.attendee.name.clone())
                .unwrap_or_else(|| "this attendee".into())
        });
        let asked = web_sys::window().is_some_and(|w| {
            w.confirm_with_message(&format!(
                "Remove {name} from the room? Their runs stay; they must join again to take part."
            ))
            .unwrap_or(false)
        });
        if !asked {
            return;
        }
        spawn_local(async move {
            match room::remove_attendee(&id).await {
                Ok(()) => load_board(),
                Err(failure) => errors.show(failure.message),
            }
        });
    });
    let on_new_session = Callback::new(move |()| session.set(SessionStep::Asking));
    let on_confirm_session = Callback::new(move |()| {
        session.set(SessionStep::Exporting);
        spawn_local(async move {
            match room::new_session().await {
                Ok(exported) => {
                    errors.clear();
                    session.try_set(SessionStep::Done(exported));
                    load_board();
                }
                Err(failure) => {
                    errors.show(failure.message);
                    session.try_set(SessionStep::Asking);
                }
            }
        });
    });

    let queue_delay_ms =
        Memo::new(move |_| live.state.with(|s| s.as_ref().map(|s| s.queue_delay_ms)));
    let switches = Memo::new(move |_| {
        full.with(|s| s.as_ref().map(|s| s.switches.clone()).unwrap_or_default())
    });
    let revealed = Memo::new(move |_| {
        room_state
            .state
            .with(|s| s.as_ref().is_some_and(|s| s.reveal.is_some()))
    });
    let summary = move || {
        board.with(|b| {
            b.as_ref().map(|b| {
                let n = b.tiles.len();
                let scheduled = b.tiles.iter().filter(|t| t.scheduled).count();
                let diagnosed = b.tiles.iter().filter(|t| t.diagnosis.is_some()).count();
                format!(
                    "{n} {} · {scheduled} on a schedule · {diagnosed} {}",
                    if n == 1 { "attendee" } else { "attendees" },
                    if diagnosed == 1 {
                        "diagnosis"
                    } else {
                        "diagnoses"
                    }
                )
            })
        })
    };
    let toggle_presenter = move |_| {
        let on = !presenter.get_untracked();
        presenter.set(on);
        remember_presenter(on);
    };

    view! {
        <section
            class="console"
            class:console--presenter=move || presenter.get()
            data-testid="console"
            data-presenter=move || presenter.get().to_string()
        >
            <header class="console__head">
                <p class="console__brand">
                    <span class="brand__dot" style=move || live.hex().get().map(|hex| format!("--bulb-colour: {hex}")).unwrap_or_default() aria-hidden="true"></span>
                    "Bulbwatch"
                    <span class="console__role">"facilitator console"</span>
                </p>
                <LiveStatusBadge status=live.status />
                <button
                    type="button"
                    class="button console__presenter"
                    data-testid="presenter-toggle"
                    aria-pressed=move || presenter.get().to_string()
                    on:click=toggle_presenter
                >
                    {move || if presenter.get() { "Show the controls" } else { "Presenter view" }}
                </button>
            </header>
            <PhaseStepper
                phase=Signal::derive(move || room_state.state.with(|s| s.as_ref().map(|s| s.phase)))
                on_pick=on_phase
            />
            <div
                class="console__reveal"
                inner_html=move || {
                    room_state
                        .state
                        .with(|s| s.as_ref().and_then(|s| s.reveal.as_ref()).map(reveal_markup))
                        .unwrap_or_default()
                }
            ></div>
            <div class="console__stage">
                <JoinPanel join=join />
                <div class="console__bulb">
                    <ShardBulbs bulbs=live.shown() />
                    <BulbCaption state=live.state now_ms=clock.0 />
                </div>
                <div class="card console__chart">
                    <h2 class="card__title">"Room pass rate"</h2>
                    <RoomChart board=board markers=markers height=230 />
                </div>
            </div>
            <section class="console__board" aria-label="The room board">
                <div class="console__board-head">
                    <h2 class="card__title">"Board"</h2>
                    <span class="muted" data-testid="board-summary">{summary}</span>
                    {move || board_problem.get().map(|p| view! { <span class="console__problem" role="alert">{p}</span> })}
                </div>
                <BoardTiles
                    board=board
                    controls=Signal::derive(move || !presenter.get())
                    on_mark=on_mark
                    on_remove=on_remove
                />
            </section>
            <Show when=move || !presenter.get()>
                <ConsoleControls
                    queue_delay_ms=queue_delay_ms
                    on_queue_delay=on_queue_delay
                    points=points
                    on_point=on_point
                    switches=switches
                    on_switch=on_switch
                    revealed=revealed
                    on_reveal=on_reveal
                    on_new_code=on_new_code
                    on_new_session=on_new_session
                />
                <ScenarioControls room=scenario_room on_attendees=Callback::new(move |()| load_board()) />
                <BulbsPanel now_ms=clock.0 />
            </Show>
            <NewSession step=session on_confirm=on_confirm_session />
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_presenter_view_is_asked_for_in_the_address() {
        assert!(presenter_param("?presenter=1"));
        assert!(presenter_param("?x=2&presenter=true"));
        assert!(!presenter_param(""));
        assert!(!presenter_param("?presenter=0"));
    }
}
