//! The whole page: provides the shared state, then shows the join or the play page.

use leptos::prelude::*;

use crate::components::{ErrorBanner, LiveStatusBadge};
use crate::contexts::{
    MeState, provide_clock, provide_current_attendee, provide_last_error, provide_live_bulb,
};
use crate::pages::{JoinPage, PlayPage};

/// Top bar (name, live status), error banner, and the page for where the attendee is.
#[component]
pub fn App() -> impl IntoView {
    let errors = provide_last_error();
    let live = provide_live_bulb();
    let me = provide_current_attendee();
    provide_clock();
    live.connect(errors);
    me.load(errors);

    let page = move || match me.0.get() {
        MeState::Checking => view! { <p class="loading">"Looking you up…"</p> }.into_any(),
        MeState::NotJoined => view! { <JoinPage /> }.into_any(),
        MeState::Joined(_) => view! { <PlayPage /> }.into_any(),
    };
    let brand_style = move || {
        live.hex()
            .get()
            .map(|hex| format!("--bulb-colour: {hex}"))
            .unwrap_or_default()
    };

    view! {
        <div class="shell">
            <header class="topbar">
                <div class="brand">
                    <span class="brand__dot" style=brand_style aria-hidden="true"></span>
                    <span class="brand__name">"Bulbwatch"</span>
                </div>
                <div class="topbar__right">
                    {move || {
                        me.name()
                            .map(|name| {
                                view! {
                                    <span class="whoami">
                                        "You are " <strong data-testid="me">{name}</strong>
                                    </span>
                                }
                            })
                    }}
                    <LiveStatusBadge status=live.status />
                </div>
            </header>
            <ErrorBanner message=errors.0 on_dismiss=Callback::new(move |()| errors.clear()) />
            <main class="main">{page}</main>
        </div>
    }
}
