//! Explore's whole page: the same top bar, error banner, attendee lookup and room
//! panels (phase, reveal) as the play page (from `bulbwatch-app`), then the page for
//! the route. Explore needs a joined attendee (the API does); before that it points to
//! the join page. The facilitator's console (`/facilitator`) needs the facilitator
//! instead, and shows its own head.

use bulbwatch_app::components::{ErrorBanner, Section, Topbar};
use bulbwatch_app::contexts::{
    Gate, provide_clock, provide_current_attendee, provide_last_error, provide_live_bulb,
    provide_room, use_current_attendee,
};
use bulbwatch_app::room_view::{RoomPanels, follow_room};
use bulbwatch_app::routing::provide_router;
use leptos::prelude::*;

use crate::pages::{ConsolePage, ExplorePage, HeatmapBenchPage, HistoryPage, TracePage};
use crate::routing::ExploreRoute;

/// How a route is framed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Frame {
    /// Top bar and room panels.
    Full,
    /// No chrome at all: the embedded history, the benchmark.
    Bare,
    /// The console's own head, no room panels.
    Console,
}

/// Top bar, error banner, the room's phase (and reveal), and the page for the route.
#[component]
pub fn App() -> impl IntoView {
    let errors = provide_last_error();
    let live = provide_live_bulb();
    let me = provide_current_attendee();
    provide_clock();
    let room = provide_room(live);
    let router = provide_router::<ExploreRoute>();
    let route = Memo::new(move |_| router.0.get());
    let frame = Memo::new(move |_| match route.get() {
        ExploreRoute::History { .. } | ExploreRoute::HeatmapBench => Frame::Bare,
        ExploreRoute::Console { .. } => Frame::Console,
        _ => Frame::Full,
    });
    if frame.get_untracked() != Frame::Bare {
        live.connect(errors);
        follow_room(room);
    }
    me.load(errors);
    let name = Signal::derive(move || me.name());

    view! {
        <div class="shell" class:shell--bare=move || frame.get() == Frame::Bare>
            <Show when=move || frame.get() == Frame::Full>
                <Topbar section=Section::Explore bulbs=live.shown() name=name live=live.status />
            </Show>
            <ErrorBanner message=errors.0 on_dismiss=Callback::new(move |()| errors.clear()) />
            <Show when=move || frame.get() == Frame::Full>
                <RoomPanels />
            </Show>
            <main class="main main--wide">{move || view! { <Joined route=route.get() /> }}</main>
        </div>
    }
}

/// The page for `route` once joined; a pointer to the join page before.
#[component]
fn Joined(route: ExploreRoute) -> impl IntoView {
    // The console asks for the facilitator itself (and is not rebuilt by the lookup).
    if let ExploreRoute::Console { search } = route {
        return view! { <ConsolePage search=search /> }.into_any();
    }
    let me = use_current_attendee();
    let gate = me.gate();
    (move || {
        match (gate.get(), route.clone()) {
        // The benchmark draws synthetic data: it needs no attendee.
        (_, ExploreRoute::HeatmapBench) => view! { <HeatmapBenchPage /> }.into_any(),
        (Gate::Checking, _) => view! { <p class="loading">"Looking you up…"</p> }.into_any(),
        (Gate::NotJoined, _) => view! {
            <section class="page card">
                <h1 class="page__title">"Join the room first"</h1>
                <p class="muted">"Explore shows the room's data to the people in it."</p>
                <p>
                    <a href="/" class="button button--primary" data-testid="go-join">"Join the room"</a>
                </p>
            </section>
        }
        .into_any(),
        (Gate::Joined, ExploreRoute::Explore { search }) => {
            view! { <ExplorePage search=search /> }.into_any()
        }
        (Gate::Joined, ExploreRoute::Trace(trace_id)) => {
            view! { <TracePage trace_id=trace_id /> }.into_any()
        }
        (Gate::Joined, ExploreRoute::History { search }) => {
            view! { <HistoryPage search=search /> }.into_any()
        }
        (Gate::Joined, ExploreRoute::NotFound | ExploreRoute::Console { .. }) => view! {
            <section class="page card">
                <h1 class="page__title">"Nothing here"</h1>
                <p class="muted">"This address is not an Explore page."</p>
                <p>
                    <a href="/explore">"Open Explore"</a>
                </p>
            </section>
        }
        .into_any(),
    }
    })
    .into_any()
}
