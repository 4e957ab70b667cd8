//! `/explore/traces/{trace_id}`: one trace as a waterfall, with every attribute of the
//! chosen span.

use bulbwatch_api::TraceSpan;
use bulbwatch_app::api::ApiFailure;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::waterfall_view::TraceView;

/// The waterfall of one trace.
#[component]
pub fn TracePage(
    /// The trace's id (32 hex digits).
    trace_id: String,
) -> impl IntoView {
    // A plain signal filled by a task: the page loads once per id.
    let loaded = RwSignal::new(None::<Result<Vec<TraceSpan>, ApiFailure>>);
    let id = trace_id.clone();
    spawn_local(async move {
        loaded.try_set(Some(api::trace(&id).await));
    });

    view! {
        <section class="page trace" data-testid="trace">
            <header class="trace__head">
                <a href="/explore" class="trace__back" data-testid="back-to-explore">"← Explore"</a>
                <h1 class="page__title">"Trace " <code class="trace__id">{trace_id}</code></h1>
            </header>
            {move || match loaded.get() {
                None => view! {
                    <p class="loading" data-testid="trace-status" role="status">"Loading the trace…"</p>
                }
                .into_any(),
                Some(Err(failure)) => {
                    // Not found yet: spans arrive a moment after they end.
                    let hint = (failure.status == Some(404)).then(|| view! {
                        <p class="muted">
                            "Spans reach Explore a moment after they end, and the oldest are deleted: "
                            "try again shortly, or pick another trace from a heatmap or a check's requests."
                        </p>
                    });
                    view! {
                        <div class="trace__failure card" data-testid="trace-status" role="alert">
                            <p>{failure.message}</p>
                            {hint}
                        </div>
                    }
                    .into_any()
                }
                Some(Ok(spans)) if spans.is_empty() => view! {
                    <p class="muted" data-testid="trace-status">"This trace has no spans."</p>
                }
                .into_any(),
                Some(Ok(spans)) => view! { <TraceView spans=spans /> }.into_any(),
            }}
        </section>
    }
}
