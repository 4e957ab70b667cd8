//! A short note after asking for a colour: the service took the change and it waits in
//! the queue (its id, shortened, for finding it in Explore).

use leptos::prelude::*;

use crate::checks::format::short_id;

/// "Accepted: your change waits in the bulb's queue" while `request_id` is set.
#[component]
pub fn LastRequest(
    /// The id of the change just queued, while it is worth showing.
    #[prop(into)]
    request_id: Signal<Option<String>>,
) -> impl IntoView {
    move || {
        request_id.get().map(|id| {
            view! {
                <p class="last-request" data-testid="last-request" aria-live="polite">
                    {"Accepted: your change waits in the bulb's queue "}
                    <span class="muted" title=format!("request id {id}")>
                        {format!("(change {})", short_id(&id))}
                    </span>
                </p>
            }
        })
    }
}
