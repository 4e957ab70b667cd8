//! `/runs/{run_id}`: one recorded run, read-only: who ran which check, when, and the
//! same result pane the editor shows.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::checks::format;
use crate::checks::run_view::RunView;
use crate::components::CheckResult;
use crate::contexts::use_clock;
use crate::display::relative_time;

/// The run's header and its result.
#[component]
pub fn RunPage(
    /// The run's id from the address.
    run_id: String,
) -> impl IntoView {
    // A plain signal filled by a task (not a resource): less code in the wasm.
    let detail = RwSignal::new(None);
    spawn_local(async move {
        detail.try_set(Some(api::runs::detail(&run_id).await));
    });
    let clock = use_clock();

    view! {
        <section class="page card run-page">
            {move || match detail.get() {
                None => view! { <p class="loading">"Opening the run…"</p> }.into_any(),
                Some(Err(failure)) => view! {
                    <h1 class="page__title">"This run cannot be shown"</h1>
                    <p class="muted">{failure.message}</p>
                    <p><a href="/">"Back to your check"</a></p>
                }
                .into_any(),
                Some(Ok(detail)) => {
                    let summary = detail.summary.clone();
                    let started = summary.started_at_ms;
                    let view_of_run = Signal::stored(Some(RunView::finished(&detail.report)));
                    view! {
                        <header class="page__head">
                            <div>
                                <h1 class="page__title">{summary.check_name.clone()}</h1>
                                <p class="muted">
                                    "Run by " <strong class="setter">{detail.attendee.name.clone()}</strong>
                                    " · "
                                    {move || relative_time(started, clock.0.get())}
                                    {format!(" · took {}", format::duration(summary.duration_ms))}
                                </p>
                            </div>
                            <a class="button" href="/">"← Your check"</a>
                        </header>
                        <CheckResult run=view_of_run />
                    }
                    .into_any()
                }
            }}
        </section>
    }
}
