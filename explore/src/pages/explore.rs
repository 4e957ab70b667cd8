//! `/explore?q=…`: the query builder and its charts.

use leptos::prelude::*;

/// The query builder, the charts of its answer, and the comparison of a selection.
#[component]
pub fn ExplorePage(
    /// The address's query string (`?q=…`), which holds the whole query.
    search: String,
) -> impl IntoView {
    view! {
        <section class="page explore" data-testid="explore" data-search=search>
            <h1 class="page__title">"Explore"</h1>
        </section>
    }
}
