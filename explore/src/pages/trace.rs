//! `/explore/traces/{trace_id}`: one trace as a waterfall, with every attribute of the
//! chosen span.

use leptos::prelude::*;

/// The waterfall of one trace.
#[component]
pub fn TracePage(
    /// The trace's id (32 hex digits).
    trace_id: String,
) -> impl IntoView {
    view! {
        <section class="page trace" data-testid="trace">
            <h1 class="page__title">"Trace " <code>{trace_id}</code></h1>
        </section>
    }
}
