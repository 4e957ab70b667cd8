//! `/explore/bench/heatmap`: redraws a heatmap of 100,000 synthetic events and reports
//! the time of each redraw (Performance API), for `scripts/bench-heatmap.sh`.

use leptos::prelude::*;

/// The heatmap redraw benchmark.
#[component]
pub fn HeatmapBenchPage() -> impl IntoView {
    view! { <section class="page bench" data-testid="heatmap-bench"></section> }
}
