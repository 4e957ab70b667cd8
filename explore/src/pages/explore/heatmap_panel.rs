//! One heatmap of the answer: drag a box to compare the selected events with the rest
//! (a value clicked there filters the query); click a cell for its range and count and
//! a trace from it.

use bulbwatch_api::{CompareSpec, Filter, QueryAnswer, QuerySpec};
use bulbwatch_charts::heatmap::{HeatmapCell, HeatmapChart, HeatmapSelection};
use bulbwatch_charts::ticks::format_value;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;

use super::selection::compare_spec;
use crate::charts::heatmap_view::HeatmapView;
use crate::compare_view::CompareView;
use crate::trace_lookup::trace_in_cell;

/// A time of day in the browser's time zone, `14:05:30`.
pub fn clock(ms: i64) -> String {
    let d = js_sys::Date::new(&JsValue::from_f64(ms as f64));
    format!(
        "{:02}:{:02}:{:02}",
        d.get_hours(),
        d.get_minutes(),
        d.get_seconds()
    )
}

/// The heatmap of calculation `index` of the answer's heatmaps, its cell popover and
/// the comparison of a selection.
#[component]
pub fn HeatmapPanel(
    /// The answer shown.
    answer: Signal<Option<QueryAnswer>>,
    /// Which of its heatmaps.
    index: usize,
    /// The query it answers.
    spec: QuerySpec,
    /// A value was clicked in the comparison: filter the query by it.
    on_filter: Callback<Filter>,
    /// Open a trace (by id).
    on_open_trace: Callback<String>,
) -> impl IntoView {
    let spec = StoredValue::new(spec);
    let column = Memo::new(move |_| {
        answer.with(|a| {
            a.as_ref()
                .and_then(|a| a.result.heatmaps.get(index))
                .map(|h| h.column.clone())
                .unwrap_or_default()
        })
    });
    let chart = Signal::derive(move || {
        answer.with(|a| {
            a.as_ref()
                .and_then(|a| HeatmapChart::from_result(&a.result, index, &a.markers))
        })
    });
    let compare = RwSignal::new(None::<CompareSpec>);
    let cell = RwSignal::new(None::<HeatmapCell>);
    let on_select = Callback::new(move |sel: HeatmapSelection| {
        let next = spec.with_value(|s| compare_spec(s, &column.get_untracked(), &sel));
        cell.set(None);
        compare.set(Some(next));
    });
    let on_cell = Callback::new(move |c: HeatmapCell| cell.set(Some(c)));
    let on_clear = Callback::new(move |()| compare.set(None));
    view! {
        <section class="chart-panel" data-testid="heatmap-panel">
            <h2 class="chart-panel__title">"HEATMAP(" {move || column.get()} ")"</h2>
            <p class="chart-panel__hint muted">
                "Drag a box over unusual events to see what sets them apart; click a cell for a trace."
            </p>
            <HeatmapView chart=chart on_select=on_select on_cell=on_cell on_clear=on_clear />
            <CellPopover cell=cell column=column.into() spec=spec on_open_trace=on_open_trace />
            <Show when=move || compare.with(Option::is_some)>
                <CompareView spec=compare on_filter=on_filter />
            </Show>
        </section>
    }
}

/// What a clicked cell holds, and a way to one of its traces.
#[component]
fn CellPopover(
    cell: RwSignal<Option<HeatmapCell>>,
    column: Signal<String>,
    spec: StoredValue<QuerySpec>,
    on_open_trace: Callback<String>,
) -> impl IntoView {
    let note = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let find_trace = move |_| {
        let Some(c) = cell.get_untracked() else {
            return;
        };
        let column = column.get_untracked();
        let spec = spec.get_value();
        busy.set(true);
        note.set(None);
        spawn_local(async move {
            let found = trace_in_cell(&spec, &column, &c).await;
            busy.try_set(false);
            match found {
                Ok(Some(id)) => on_open_trace.run(id),
                Ok(None) => {
                    note.try_set(Some("No trace found in this cell.".into()));
                }
                Err(failure) => {
                    note.try_set(Some(failure.message));
                }
            }
        });
    };
    move || {
        cell.get().map(|c| {
            let summary = format!(
                "{}–{} · {} {}–{} · {} event{}",
                clock(c.start_ms),
                clock(c.end_ms),
                column.get_untracked(),
                format_value(c.min_value),
                format_value(c.max_value),
                c.count,
                if c.count == 1 { "" } else { "s" }
            );
            let empty = c.count == 0;
            view! {
                <div class="cell-popover" role="dialog" aria-label="Heatmap cell" data-testid="cell-popover">
                    <p class="cell-popover__summary">{summary}</p>
                    <div class="cell-popover__actions">
                        <button
                            type="button"
                            class="button button--primary"
                            data-testid="show-trace"
                            disabled=move || busy.get() || empty
                            on:click=find_trace
                        >
                            "Show a trace from here"
                        </button>
                        <button
                            type="button"
                            class="button"
                            on:click=move |_| {
                                note.set(None);
                                cell.set(None);
                            }
                        >
                            "Close"
                        </button>
                    </div>
                    {move || note.get().map(|n| view! { <p class="cell-popover__note" role="status">{n}</p> })}
                </div>
            }
        })
    }
}
