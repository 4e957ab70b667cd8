//! "My data" / "Whole room": one click between my own events and everybody's.

use leptos::prelude::*;

/// The two scope buttons; `on_scope(true)` asks for my data only.
#[component]
pub fn ScopeButtons(
    /// Whether the query shows my data only.
    #[prop(into)]
    mine: Signal<bool>,
    /// A button was pressed: `true` for my data.
    on_scope: Callback<bool>,
) -> impl IntoView {
    view! {
        <div class="scope" role="group" aria-label="Whose data">
            <button
                type="button"
                class="scope__button"
                data-testid="scope-mine"
                aria-pressed=move || mine.get().to_string()
                on:click=move |_| on_scope.run(true)
            >
                "My data"
            </button>
            <button
                type="button"
                class="scope__button"
                data-testid="scope-room"
                aria-pressed=move || (!mine.get()).to_string()
                on:click=move |_| on_scope.run(false)
            >
                "Whole room"
            </button>
        </div>
    }
}
