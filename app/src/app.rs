//! The whole page: provides the shared state, then routes — `/` (join or play),
//! `/join/{code}` (join with the code filled in, then play at `/`), `/shared/{share_id}`, `/runs/{run_id}` and `/instrumentation` (see `routing.rs`). Every route needs a
//! joined attendee (the API does); until then it shows the join page.

use leptos::prelude::*;

use crate::components::{ErrorBanner, Section, Topbar};
use crate::contexts::{
    Gate, provide_clock, provide_current_attendee, provide_last_error, provide_live_bulb,
    provide_room, use_current_attendee,
};
use crate::pages::{InstrumentationPage, JoinPage, PlayPage, RunPage, SharedPage};
use crate::room_view::{RoomPanels, follow_room};
use crate::routing::{Route, provide_router, use_router};

/// Top bar (name, live status), error banner, the room's phase (and reveal), and the
/// page for the route.
#[component]
pub fn App() -> impl IntoView {
    let errors = provide_last_error();
    let live = provide_live_bulb();
    let me = provide_current_attendee();
    provide_clock();
    let room = provide_room(live);
    live.connect(errors);
    me.load(errors);
    follow_room(room);
    let router = provide_router::<Route>();
    // Only a change of route rebuilds the page.
    let route = Memo::new(move |_| router.0.get());

    let section = Signal::derive(move || match route.get() {
        Route::Play | Route::Join(_) | Route::Shared(_) | Route::Run(_) => Section::Play,
        Route::Instrumentation => Section::Instrumentation,
        Route::NotFound => Section::Elsewhere,
    });
    let name = Signal::derive(move || me.name());

    view! {
        <div class="shell">
            <Topbar section=section bulbs=live.shown() name=name live=live.status />
            <ErrorBanner message=errors.0 on_dismiss=Callback::new(move |()| errors.clear()) />
            <RoomPanels />
            <main class="main">
                {move || view! { <Joined route=route.get() /> }}
            </main>
        </div>
    }
}

/// The page for `route` once joined; the join page before.
#[component]
fn Joined(route: Route) -> impl IntoView {
    let me = use_current_attendee();
    let router = use_router::<Route>();
    let gate = me.gate();
    move || match gate.get() {
        Gate::Checking => view! { <p class="loading">"Looking you up…"</p> }.into_any(),
        Gate::NotJoined => match route.clone() {
            Route::Join(code) => view! { <JoinPage code=code /> }.into_any(),
            _ => view! { <JoinPage /> }.into_any(),
        },
        Gate::Joined => match route.clone() {
            Route::Play => view! { <PlayPage /> }.into_any(),
            // Joined (just now, or before the link was opened): the play page at `/`.
            Route::Join(_) => {
                router.replace("/");
                ().into_any()
            }
            Route::Shared(share_id) => view! { <SharedPage share_id=share_id /> }.into_any(),
            Route::Run(run_id) => view! { <RunPage run_id=run_id /> }.into_any(),
            Route::Instrumentation => view! { <InstrumentationPage /> }.into_any(),
            Route::NotFound => view! { <NotFound /> }.into_any(),
        },
    }
}

/// Any other path.
#[component]
fn NotFound() -> impl IntoView {
    view! {
        <section class="page card">
            <h1 class="page__title">"Nothing here"</h1>
            <p class="muted">"This address is not a Bulbwatch page."</p>
            <p>
                <a href="/">"Back to your check"</a>
            </p>
        </section>
    }
}
