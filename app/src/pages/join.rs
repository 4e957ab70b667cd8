//! The lobby: type a display name and the room's join code, and join, with the live
//! bulb beside it. `/join/{code}` fills the code in.

use bulbwatch_api::ErrorCode;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::components::ShardBulbs;
use crate::contexts::{MeState, use_current_attendee, use_last_error, use_live_bulb};
use crate::routing::join_code;

/// Join form; Enter in either field joins too. Server messages (empty or too long a
/// name, a wrong code) appear in the error banner; a wrong code also marks its field.
#[component]
pub fn JoinPage(
    /// The code from the address (`/join/{code}`), or empty.
    #[prop(optional, into)]
    code: String,
) -> impl IntoView {
    let me = use_current_attendee();
    let errors = use_last_error();
    let live = use_live_bulb();
    let name = RwSignal::new(String::new());
    let initial_code = join_code(&code);
    let joining = RwSignal::new(false);
    let name_input = NodeRef::<leptos::html::Input>::new();
    let code_input = NodeRef::<leptos::html::Input>::new();

    let join = move || {
        if joining.get_untracked() {
            return;
        }
        joining.set(true);
        let typed = name.get_untracked();
        // Letters only, upper-cased (the field shows them so as they are typed).
        let typed_code = code_input
            .get_untracked()
            .map(|input| join_code(&input.value()))
            .unwrap_or_default();
        spawn_local(async move {
            let code = (!typed_code.is_empty()).then_some(typed_code.as_str());
            let answer = api::join(&typed, code).await;
            joining.set(false);
            match answer {
                Ok(joined) => {
                    errors.clear();
                    me.0.set(MeState::Joined(joined.attendee));
                }
                Err(failure) => {
                    // 403 for a wrong code; a missing one is a 400 that names it.
                    let wrong_code = failure.code == Some(ErrorCode::Forbidden)
                        || failure.message.contains(" code");
                    errors.show(failure.message);
                    if let Some(input) = code_input.get_untracked() {
                        let _ = input.set_attribute("aria-invalid", &wrong_code.to_string());
                    }
                    // Straight back to what to fix.
                    let field = if wrong_code { code_input } else { name_input };
                    if let Some(input) = field.get_untracked() {
                        let _ = input.focus();
                    }
                }
            }
        });
    };

    view! {
        <section class="join">
            <div class="join__bulb">
                <ShardBulbs bulbs=live.shown() />
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
                <div class="join__fields">
                    <div class="join__field">
                        <label class="field-label" for="join-name">
                            "Display name"
                        </label>
                        <input
                            id="join-name"
                            class="text-input"
                            type="text"
                            data-testid="join-name"
                            autocomplete="nickname"
                            placeholder="e.g. Ada"
                            autofocus
                            node_ref=name_input
                            bind:value=name
                        />
                    </div>
                    <div class="join__field join__field--code">
                        <label class="field-label" for="join-code">
                            "Join code"
                        </label>
                        <input
                            id="join-code"
                            class="text-input join__code"
                            type="text"
                            data-testid="join-code"
                            autocomplete="off"
                            autocapitalize="characters"
                            spellcheck="false"
                            maxlength="12"
                            placeholder="ABCDEF"
                            node_ref=code_input
                            value=initial_code
                        />
                    </div>
                    <button
                        type="submit"
                        class="button button--primary join__submit"
                        data-testid="join-submit"
                        disabled=move || joining.get()
                    >
                        {move || if joining.get() { "Joining…" } else { "Join" }}
                    </button>
                </div>
                <p class="hint">
                    "Up to 40 characters, in any script. The code is on the facilitator's screen (a join link fills it in)."
                </p>
            </form>
        </section>
    }
}
