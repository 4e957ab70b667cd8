//! `/shared/{share_id}`: a read-only copy of someone's check, and a button to fork it
//! into my checks and open the fork in the editor.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::checks::draft::{self, Draft};
use crate::components::CodeView;
use crate::contexts::{MeState, use_current_attendee, use_last_error};
use crate::routing::use_router;

/// The shared check: name, owner, version, the source with line numbers, and Fork.
#[component]
pub fn SharedPage(
    /// The share id from the address.
    share_id: String,
) -> impl IntoView {
    let share_id = StoredValue::new(share_id);
    let share_id = move || share_id.get_value();
    // A plain signal filled by a task (not a resource): less code in the wasm.
    let shared = RwSignal::new(None);
    let id = share_id();
    spawn_local(async move {
        shared.try_set(Some(api::checks::shared(&id).await));
    });
    let errors = use_last_error();
    let me = use_current_attendee();
    let router = use_router::<crate::routing::Route>();
    let forking = RwSignal::new(false);

    let fork = move || {
        if forking.get_untracked() {
            return;
        }
        forking.set(true);
        let id = share_id();
        spawn_local(async move {
            let answer = api::checks::fork(&id).await;
            forking.set(false);
            match answer {
                Ok(fork) => {
                    // The editor opens the check the draft names: the fork.
                    let attendee = me.0.with_untracked(|s| match s {
                        MeState::Joined(a) => a.id.clone(),
                        _ => String::new(),
                    });
                    draft::store(
                        &attendee,
                        &Draft {
                            check_id: Some(fork.id),
                            name: fork.name,
                            source: fork.source,
                            base_version: Some(fork.version),
                            edited_at_ms: fork.saved_at_ms,
                        },
                    );
                    errors.clear();
                    router.navigate("/");
                }
                Err(failure) => errors.show(failure.message),
            }
        });
    };
    let fork = StoredValue::new_local(fork);

    let link = move || {
        let origin = web_sys::window()
            .and_then(|w| w.location().origin().ok())
            .unwrap_or_default();
        format!("{origin}/shared/{}", share_id())
    };

    view! {
        <section class="page card shared">
            {move || match shared.get() {
                None => view! { <p class="loading">"Opening the shared check…"</p> }.into_any(),
                Some(Err(failure)) => view! {
                    <h1 class="page__title">"This check cannot be shown"</h1>
                    <p class="muted">{failure.message}</p>
                    <p><a href="/">"Back to your check"</a></p>
                }
                .into_any(),
                Some(Ok(check)) => view! {
                    <header class="page__head">
                        <div>
                            <h1 class="page__title">{check.name.clone()}</h1>
                            <p class="muted">
                                "Shared by " <strong class="setter">{check.owner.clone()}</strong>
                                {format!(" · version {}", check.version)}
                            </p>
                        </div>
                        <button
                            type="button"
                            class="button button--primary"
                            data-testid="check-fork"
                            disabled=move || forking.get()
                            on:click=move |_| fork.with_value(|f| f())
                        >
                            {move || if forking.get() { "Forking…" } else { "Fork into my checks" }}
                        </button>
                    </header>
                    <label class="field-label" for="share-link">"Link to share"</label>
                    <input id="share-link" class="text-input share-link" readonly=true prop:value=link />
                    <CodeView source=check.source.clone() testid="shared-source" />
                }
                .into_any(),
            }}
        </section>
    }
}
