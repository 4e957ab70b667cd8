//! `/explore/history?check=…`: my runs of one check as charts (pass rate over time,
//! with the room's markers, and duration per run), shown inside the play page.

use std::time::Duration;

use bulbwatch_api::{Marker, RunSummary};
use bulbwatch_app::api::runs;
use bulbwatch_app::checks::format;
use bulbwatch_app::checks::schedule::verdict_name;
use bulbwatch_app::runs_channel::RunListener;
use bulbwatch_charts::draw::{draw_run_durations, draw_series};
use bulbwatch_charts::pass_rate::{pass_rate_chart, time_window};
use bulbwatch_charts::run_durations::duration_bars;
use bulbwatch_charts::theme::Theme;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::canvas::{CanvasSize, PlotCanvas};

/// How many runs the page asks for.
const RUNS: u32 = 100;
/// How many of the latest runs each point of the pass-rate line looks back over.
const WINDOW: usize = 10;
/// How often the charts ask again.
const REFRESH: Duration = Duration::from_secs(10);

/// What the page has to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shown {
    /// No `?check=` in the address.
    NoCheck,
    /// Asking the server.
    Loading,
    /// The server could not answer.
    Problem,
    /// The check has no runs of mine.
    Empty,
    /// Runs to chart.
    Charts,
}

/// My check history as charts.
#[component]
pub fn HistoryPage(
    /// The address's query string (`?check=…`).
    search: String,
) -> impl IntoView {
    let check = check_param(&search);
    let runs = RwSignal::new(None::<Vec<RunSummary>>);
    let markers = RwSignal::new(Vec::<Marker>::new());
    let problem = RwSignal::new(None::<String>);

    if let Some(check_id) = check.clone() {
        let this_check = check_id.clone();
        let load = move || {
            let check_id = check_id.clone();
            spawn_local(async move {
                match runs::history(&check_id, RUNS).await {
                    Ok(list) => {
                        problem.try_set(None);
                        load_markers(&list, markers).await;
                        // Unchanged runs: no redraw.
                        if runs.try_with_untracked(|r| r.as_ref() != Some(&list)) == Some(true) {
                            runs.try_set(Some(list));
                        }
                    }
                    Err(failure) => {
                        problem.try_set(Some(failure.to_string()));
                    }
                }
            });
        };
        load();
        // At once when the play page records a run of this check, and every so often.
        let listener = RunListener::new({
            let load = load.clone();
            move |run_check| {
                if run_check == this_check {
                    load();
                }
            }
        });
        StoredValue::new_local(listener);
        if let Ok(handle) = set_interval_with_handle(load, REFRESH) {
            on_cleanup(move || handle.clear());
        }
    }

    let shown = Memo::new(move |_| {
        if check.is_none() {
            return Shown::NoCheck;
        }
        runs.with(|r| match r {
            Some(r) if r.is_empty() => Shown::Empty,
            Some(_) => Shown::Charts,
            None if problem.with(Option::is_some) => Shown::Problem,
            None => Shown::Loading,
        })
    });

    view! {
        <section
            class="history-charts"
            data-testid="history"
            data-runs=move || runs.with(|r| r.as_ref().map(|r| r.len().to_string()))
            data-markers=move || markers.with(|m| m.len().to_string())
        >
            {move || match shown.get() {
                Shown::NoCheck => {
                    view! { <p class="history-charts__note">"Save a check to chart its runs."</p> }
                        .into_any()
                }
                Shown::Loading => {
                    view! { <p class="history-charts__note">"Loading your runs…"</p> }.into_any()
                }
                Shown::Problem => {
                    view! {
                        <p class="history-charts__note history-charts__note--problem">
                            {move || problem.get().unwrap_or_default()}
                        </p>
                    }
                        .into_any()
                }
                Shown::Empty => {
                    view! {
                        <p class="history-charts__note" data-testid="history-empty">
                            "No runs yet: run the check to see them here."
                        </p>
                    }
                        .into_any()
                }
                Shown::Charts => view! { <Charts runs=runs markers=markers /> }.into_any(),
            }}
        </section>
    }
}

/// The markers over the runs' time window (the room's queue-delay changes and
/// switched points), kept when they cannot be loaded: the runs matter more.
async fn load_markers(runs: &[RunSummary], markers: RwSignal<Vec<Marker>>) {
    let Some((from_ms, to_ms)) = time_window(runs) else {
        return;
    };
    match api::markers(from_ms, to_ms + 1).await {
        // Unchanged markers: no redraw.
        Ok(found) => {
            if markers.try_with_untracked(|m| m != &found) == Some(true) {
                markers.try_set(found);
            }
        }
        Err(failure) => tracing::warn!("{failure}"),
    }
}

/// The two charts, redrawn when the runs or the markers change.
#[component]
fn Charts(
    runs: RwSignal<Option<Vec<RunSummary>>>,
    markers: RwSignal<Vec<Marker>>,
) -> impl IntoView {
    let draw_rate = move |backend, size: CanvasSize| {
        let theme = Theme { ratio: size.ratio };
        runs.with(|r| {
            markers.with(|m| {
                if let Some(chart) = pass_rate_chart(r.as_deref().unwrap_or_default(), WINDOW, m)
                    && let Err(e) = draw_series(backend, &chart, None, &theme)
                {
                    tracing::warn!("drawing the pass rate: {e:?}");
                }
            });
        });
    };
    let draw_durations = move |backend, size: CanvasSize| {
        let theme = Theme { ratio: size.ratio };
        runs.with(|r| {
            let bars = duration_bars(r.as_deref().unwrap_or_default());
            if let Err(e) = draw_run_durations(backend, &bars, &theme) {
                tracing::warn!("drawing the durations: {e}");
            }
        });
    };
    view! {
        <div class="history-charts__head">
            <h2 class="history-charts__title">{format!("Pass rate, last {WINDOW} runs")}</h2>
            <span class="history-charts__latest">{move || latest(runs)}</span>
        </div>
        <PlotCanvas
            label=format!("Share of passing runs over the last {WINDOW} runs, over time")
            height=100
            draw=draw_rate
            testid="history-pass-rate"
        />
        <div class="history-charts__head">
            <h2 class="history-charts__title">"Duration per run"</h2>
            <span class="history-charts__key">
                <i class="history-charts__swatch history-charts__swatch--pass"></i>
                "pass"
                <i class="history-charts__swatch history-charts__swatch--fail"></i>
                "fail"
                <i class="history-charts__swatch history-charts__swatch--error"></i>
                "error"
            </span>
        </div>
        <PlotCanvas
            label="How long each run took, oldest first, coloured by verdict"
            height=74
            draw=draw_durations
            testid="history-durations"
        />
    }
}

/// The `check` parameter of `?check=…`, if any.
fn check_param(search: &str) -> Option<String> {
    web_sys::UrlSearchParams::new_with_str(search)
        .ok()
        .and_then(|params| params.get("check"))
        .filter(|id| !id.is_empty())
}

/// "last: fail in 1.50 s", for the newest run.
fn latest(runs: RwSignal<Option<Vec<RunSummary>>>) -> String {
    runs.with(|r| {
        r.as_deref()
            .unwrap_or_default()
            .iter()
            .max_by_key(|run| run.started_at_ms)
            .map(|run| {
                format!(
                    "last: {} in {}",
                    verdict_name(run.verdict),
                    format::duration(run.duration_ms)
                )
            })
            .unwrap_or_default()
    })
}
