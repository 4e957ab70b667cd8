//! `/explore/history?check=…`: my runs of one check as charts (pass rate over time,
//! duration per run), shown inside the play page.

use leptos::prelude::*;

/// My check history as charts.
#[component]
pub fn HistoryPage(
    /// The address's query string (`?check=…`).
    search: String,
) -> impl IntoView {
    view! { <section class="history" data-testid="history" data-search=search></section> }
}
