//! The totals as horizontal bars, one per group.

use bulbwatch_charts::bars::BarsChart;
use bulbwatch_charts::draw::draw_bars;
use bulbwatch_charts::theme::Theme;
use leptos::prelude::*;

use crate::canvas::{CanvasSize, PlotCanvas};

/// Height of one bar's row, CSS px.
const ROW: u32 = 30;
/// Height of the axes and title, CSS px.
const CHROME: u32 = 60;

/// A bar per group; nothing when `chart` is `None`.
#[component]
pub fn BarsView(
    /// The chart to draw.
    #[prop(into)]
    chart: Signal<Option<BarsChart>>,
) -> impl IntoView {
    let draw = move |backend, size: CanvasSize| {
        let theme = Theme { ratio: size.ratio };
        chart.with(|c| {
            if let Some(c) = c
                && let Err(e) = draw_bars(backend, c, &theme)
            {
                tracing::warn!("bars chart: {e}");
            }
        });
    };
    // The canvas grows with the number of bars (its height is fixed per mount).
    let bars = Memo::new(move |_| chart.with(|c| c.as_ref().map(|c| c.bars.len())));
    view! {
        {move || {
            bars.get()
                .map(|n| {
                    let height = CHROME + ROW * (n.clamp(1, 20) as u32);
                    view! {
                        <div class="chart chart--bars">
                            <PlotCanvas
                                label="Totals per group"
                                height=height
                                draw=draw
                                testid="bars-chart"
                            />
                        </div>
                    }
                })
        }}
    }
}
