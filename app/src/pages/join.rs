//! The lobby: type a display name and join the room, with the live bulb beside it.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::components::Bulb;
use crate::contexts::{MeState, use_current_attendee, use_last_error, use_live_bulb};

/// Join form; Enter in the name field joins too. Server messages (empty or too long a
/// name) appear in the error banner.
#[component]
pub fn JoinPage() -> impl IntoView {
    let me = use_current_attendee();
    let errors = use_last_error();
    let live = use_live_bulb();
    let name = RwSignal::new(String::new());
    let joining = RwSignal::new(false);
    let input = NodeRef::<leptos::html::Input>::new();

    let join = move || {
        if joining.get_untracked() {
            return;
        }
        joining.set(true);
        let typed = name.get_untracked();
        spawn_local(async move {
            let answer = api::join(&typed).await;
            joining.set(false);
            match answer {
                Ok(joined) => {
                    errors.clear();
                    me.0.set(MeState::Joined(joined.attendee));
                }
                Err(failure) => {
                    errors.show(failure.message);
                    // Straight back to the name, ready to fix it.
                    if let Some(input) = input.get_untracked() {
                        let _ = input.focus();
                    }
                }
            }
        });
    };

    view! {
        <section class="join">
            <div class="join__bulb">
                <Bulb hex=live.hex() />
            </div>
            <form
                class="card join__card"
                on:submit=move |ev| {
                    ev.prevent_default();
                    join();
                }
            >
                <h1 class="join__title">"Join the room"</h1>
                <p class="join__lead">
                    "Pick a display name. Everyone in the room sees it next to the colours you choose."
                </p>
                <label class="field-label" for="join-name">
                    "Display name"
                </label>
                <div class="join__row">
                    <input
                        id="join-name"
                        class="text-input"
                        type="text"
                        data-testid="join-name"
                        autocomplete="nickname"
                        placeholder="e.g. Ada"
                        autofocus
                        node_ref=input
                        bind:value=name
                    />
                    <button
                        type="submit"
                        class="button button--primary"
                        data-testid="join-submit"
                        disabled=move || joining.get()
                    >
                        {move || if joining.get() { "Joining…" } else { "Join" }}
                    </button>
                </div>
                <p class="hint">"Up to 40 characters, in any script."</p>
            </form>
        </section>
    }
}
