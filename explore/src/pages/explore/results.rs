//! The answer to the query: a status line (loading, empty, error, or how many events
//! matched), the series and bars, a heatmap per HEATMAP calculation, and the totals.
//! A refresh swaps the answer in place, so the charts stay where they are. The
//! answer's window (`data-start-ms`, `data-end-ms`, `data-granularity-ms`) and its
//! first bucket with data (`data-first-data-ms`) ride on the results, for the journeys.

use bulbwatch_api::{Filter, QueryAnswer, QueryResult, QuerySpec};
use leptos::prelude::*;

use super::heatmap_panel::HeatmapPanel;
use super::series_panel::SeriesPanel;
use super::totals_table::TotalsTable;
use crate::builder::time_choice::duration_label;

/// Where the query's answer is.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// Asked, not answered yet.
    Loading,
    /// Answered.
    Ready(QueryAnswer),
    /// Failed: the message for people (the server's, for a refused spec).
    Failed(String),
}

/// What the status line says.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Status {
    Loading,
    Failed(String),
    Empty,
    Ready { matched: u64, truncated: bool },
}

/// "in the last 1 h" or "in this time range", for the empty state.
pub fn range_phrase(spec: &QuerySpec) -> String {
    match (spec.start_time, spec.end_time, spec.time_range) {
        (Some(_), Some(_), _) => "in this time range".into(),
        (_, _, Some(s)) => format!("in the last {}", duration_label(s)),
        _ => "in the last 2 h".into(),
    }
}

/// The start of the first time bucket in which some group has a value other than
/// zero: where the charts' data begins.
pub fn first_data_ms(result: &QueryResult) -> Option<i64> {
    result
        .series
        .iter()
        .flat_map(|s| &s.points)
        .filter(|p| p.values.iter().any(|v| v.is_some_and(|v| v != 0.0)))
        .map(|p| p.time_ms)
        .min()
}

/// The status line, charts and totals of an outcome.
#[component]
pub fn Results(
    /// The outcome shown.
    #[prop(into)]
    outcome: Signal<Outcome>,
    /// The query it answers.
    spec: QuerySpec,
    /// Add a filter to the query and run it.
    on_filter: Callback<Filter>,
    /// Open a trace (by id).
    on_open_trace: Callback<String>,
) -> impl IntoView {
    let status = Memo::new(move |_| {
        outcome.with(|o| match o {
            Outcome::Loading => Status::Loading,
            Outcome::Failed(m) => Status::Failed(m.clone()),
            Outcome::Ready(a) if a.result.matched_events == 0 => Status::Empty,
            Outcome::Ready(a) => Status::Ready {
                matched: a.result.matched_events,
                truncated: a.result.groups_truncated,
            },
        })
    });
    let answer = Memo::new(move |_| {
        outcome.with(|o| match o {
            Outcome::Ready(a) if a.result.matched_events > 0 => Some(a.clone()),
            _ => None,
        })
    });
    let answer: Signal<Option<QueryAnswer>> = answer.into();
    let result: Signal<Option<QueryResult>> =
        Signal::derive(move || answer.with(|a| a.as_ref().map(|a| a.result.clone())));
    let has_series = Memo::new(move |_| {
        answer.with(|a| {
            a.as_ref()
                .is_some_and(|a| !a.result.calculations.is_empty())
        })
    });
    let heatmaps =
        Memo::new(move |_| answer.with(|a| a.as_ref().map_or(0, |a| a.result.heatmaps.len())));
    let phrase = range_phrase(&spec);
    let spec = StoredValue::new(spec);

    let state = move || match status.get() {
        Status::Loading => "loading",
        Status::Failed(_) => "error",
        Status::Empty => "empty",
        Status::Ready { .. } => "ready",
    };
    let text = move || match status.get() {
        Status::Loading => "Running the query…".to_owned(),
        Status::Failed(m) => m,
        Status::Empty => {
            format!("No events match this query {phrase} — run a check, or widen the time range.")
        }
        Status::Ready { matched: 1, .. } => "1 event matched.".to_owned(),
        Status::Ready { matched, .. } => format!("{matched} events matched."),
    };
    let truncated = move || {
        matches!(
            status.get(),
            Status::Ready {
                truncated: true,
                ..
            }
        )
    };
    let unknown_column =
        move || matches!(status.get(), Status::Failed(m) if m.contains("unknown column"));
    let window = move |of: fn(&QueryResult) -> Option<i64>| {
        move || result.with(|r| r.as_ref().and_then(of).map(|ms| ms.to_string()))
    };
    view! {
        <div
            class="results"
            data-start-ms=window(|r| Some(r.start_time_ms))
            data-end-ms=window(|r| Some(r.end_time_ms))
            data-granularity-ms=window(|r| Some(r.granularity_ms))
            data-first-data-ms=window(first_data_ms)
        >
            <p
                class="results__status"
                class:results__status--error=move || matches!(status.get(), Status::Failed(_))
                data-testid="results-status"
                data-state=state
                role=move || if matches!(status.get(), Status::Failed(_)) { "alert" } else { "status" }
            >
                {text}
            </p>
            <Show when=unknown_column>
                <p class="results__note" data-testid="unknown-column-hint">
                    "A column exists once some event has it: some only after a run fails, others once their "
                    <a href="/instrumentation">"instrumentation point"</a>
                    " is on."
                </p>
            </Show>
            <Show when=truncated>
                <p class="results__note" data-testid="groups-truncated">
                    "More groups matched than the limit lets through; the charts show the first ones. Raise the limit, or add a filter."
                </p>
            </Show>
            <Show when=move || has_series.get()>
                <SeriesPanel answer=answer />
            </Show>
            <For each=move || 0..heatmaps.get() key=|i| *i let:i>
                <HeatmapPanel
                    answer=answer
                    index=i
                    spec=spec.get_value()
                    on_filter=on_filter
                    on_open_trace=on_open_trace
                />
            </For>
            <Show when=move || answer.with(Option::is_some)>
                <TotalsTable result=result />
            </Show>
        </div>
    }
}
