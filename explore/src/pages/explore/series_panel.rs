//! The non-heatmap calculations over time: one line per group, a select for which
//! calculation when there are several, and bars of the group totals when grouped.

use bulbwatch_api::QueryAnswer;
use bulbwatch_charts::bars::BarsChart;
use bulbwatch_charts::series::SeriesChart;
use leptos::prelude::*;

use crate::charts::bars_view::BarsView;
use crate::charts::series_view::SeriesView;

/// The series chart (and bars) of one calculation of the answer.
#[component]
pub fn SeriesPanel(
    /// The answer shown.
    answer: Signal<Option<QueryAnswer>>,
) -> impl IntoView {
    let chosen = RwSignal::new(0usize);
    let labels = Memo::new(move |_| {
        answer.with(|a| {
            a.as_ref()
                .map(|a| {
                    a.result
                        .calculations
                        .iter()
                        .map(|c| c.label.clone())
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    // Stay on a calculation that exists.
    let which = Memo::new(move |_| chosen.get().min(labels.with(|l| l.len().saturating_sub(1))));
    let grouped = Memo::new(move |_| {
        answer.with(|a| a.as_ref().is_some_and(|a| !a.result.breakdowns.is_empty()))
    });
    let series = Signal::derive(move || {
        let k = which.get();
        answer.with(|a| {
            a.as_ref()
                .map(|a| SeriesChart::from_result(&a.result, k, &a.markers))
        })
    });
    let bars = Signal::derive(move || {
        let k = which.get();
        answer.with(|a| a.as_ref().map(|a| BarsChart::from_result(&a.result, k)))
    });
    let title = move || labels.with(|l| l.get(which.get()).cloned().unwrap_or_default());
    view! {
        <section class="chart-panel" data-testid="series-panel">
            <div class="chart-panel__head">
                <h2 class="chart-panel__title">{title} " over time"</h2>
                <Show when=move || { labels.with(|l| l.len() > 1) }>
                    <label class="chart-panel__pick">
                        "show "
                        <select
                            class="builder__select"
                            data-testid="series-calc"
                            prop:value=move || which.get().to_string()
                            on:change=move |ev| {
                                if let Ok(k) = event_target_value(&ev).parse() {
                                    chosen.set(k);
                                }
                            }
                        >
                            {move || {
                                let now = which.get();
                                labels
                                    .get()
                                    .into_iter()
                                    .enumerate()
                                    .map(|(k, label)| {
                                        view! {
                                            <option value=k.to_string() prop:selected=k == now>
                                                {label}
                                            </option>
                                        }
                                    })
                                    .collect_view()
                            }}
                        </select>
                    </label>
                </Show>
            </div>
            <SeriesView chart=series />
            <Show when=move || grouped.get()>
                <h3 class="chart-panel__subtitle">{title} " per group, whole range"</h3>
                <BarsView chart=bars />
            </Show>
        </section>
    }
}
