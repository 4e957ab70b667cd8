//! A small badge saying whether live updates are flowing.

use leptos::prelude::*;

use crate::bulb_stream::LiveStatus;

/// The badge's text for `status`.
pub fn live_status_text(status: LiveStatus) -> &'static str {
    match status {
        LiveStatus::Live => "live",
        LiveStatus::Reconnecting => "reconnecting…",
    }
}

/// "live" with a green dot when connected, "reconnecting…" otherwise.
#[component]
pub fn LiveStatusBadge(
    /// The connection status.
    #[prop(into)]
    status: Signal<LiveStatus>,
) -> impl IntoView {
    view! {
        <span
            class="live-status"
            class:live=move || status.get() == LiveStatus::Live
            data-testid="live-status"
            role="status"
        >
            {move || live_status_text(status.get())}
        </span>
    }
}
