//! A short note after asking for a colour: which request id the change was queued as.

use leptos::prelude::*;

/// "queued as <request_id>" while `request_id` is set.
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
                    {format!("queued as {id}")}
                </p>
            }
        })
    }
}
