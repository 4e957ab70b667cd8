//! The last error, in a banner that can be dismissed; absent when there is none.

use leptos::prelude::*;

/// Shows `message` (as text) with a Dismiss button that calls `on_dismiss`.
#[component]
pub fn ErrorBanner(
    /// The error to show, if any.
    #[prop(into)]
    message: Signal<Option<String>>,
    /// Called when the attendee dismisses the error.
    on_dismiss: Callback<()>,
) -> impl IntoView {
    move || {
        message.get().map(|message| {
            view! {
                <div class="error-banner" role="alert">
                    <p class="error-banner__text" data-testid="error">{message}</p>
                    <button
                        type="button"
                        class="error-banner__dismiss"
                        data-testid="error-dismiss"
                        on:click=move |_| on_dismiss.run(())
                    >
                        "Dismiss"
                    </button>
                </div>
            }
        })
    }
}
