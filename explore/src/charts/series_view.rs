//! The time series chart: lines per group on a canvas, an HTML legend, the values at
//! the time under the pointer, and the markers' details over their labels.

use bulbwatch_charts::colour_scale::{Rgb, css};
use bulbwatch_charts::draw::draw_series;
use bulbwatch_charts::group_colours::Dash;
use bulbwatch_charts::plot_rect::PlotRect;
use bulbwatch_charts::series::{Hover, SeriesChart};
use bulbwatch_charts::theme::Theme;
use bulbwatch_charts::ticks::{format_time, format_value};
use leptos::prelude::*;

use crate::canvas::{CanvasSize, PlotCanvas, PointerAt, PointerKind};
use crate::charts::MarkerOverlay;
use crate::charts::marker_overlay::{OverlayLayout, follow_drawing};

/// Height of the canvas, CSS px.
const HEIGHT: u32 = 280;

/// A line per group over time; nothing when `chart` is `None`.
#[component]
pub fn SeriesView(
    /// The chart to draw.
    #[prop(into)]
    chart: Signal<Option<SeriesChart>>,
) -> impl IntoView {
    let hover = RwSignal::new(None::<Hover>);
    let rect = StoredValue::new(None::<PlotRect>);
    let width = StoredValue::new(0.0_f64);
    let markers = RwSignal::new(OverlayLayout::None);

    let draw = move |backend, size: CanvasSize| {
        let theme = Theme { ratio: size.ratio };
        width.set_value(size.width * size.ratio);
        chart.with(|c| {
            let Some(c) = c else { return };
            hover.with(|h| match draw_series(backend, c, h.as_ref(), &theme) {
                Ok(r) => {
                    rect.set_value(Some(r));
                    // The same layout the drawing made, for the details on hover.
                    let range = (c.start_ms, c.end_ms);
                    follow_drawing(markers, &c.markers, &r, range, &c.y_label, size, &theme);
                }
                Err(e) => tracing::warn!("series chart: {e}"),
            });
        });
    };
    let on_pointer = Callback::new(move |p: PointerAt| {
        let next = match p.kind {
            PointerKind::Leave => None,
            _ => rect
                .get_value()
                .and_then(|r| chart.with_untracked(|c| c.as_ref()?.hover(&r, p.x))),
        };
        if hover.with_untracked(|h| *h != next) {
            hover.set(next);
        }
    });

    let legend = move || {
        chart.with(|c| {
            c.iter()
                .flat_map(|c| c.lines.iter())
                .map(|l| {
                    view! {
                        <li class="legend__item">
                            {line_swatch(l.colour, l.dash)}
                            <span class="legend__label">{l.label.clone()}</span>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    let tooltip = move || {
        let h = hover.get()?;
        let (x, ratio_width) = (h.x, width.get_value().max(1.0));
        // Beside the pointer, on whichever side has room.
        let side = if x > ratio_width * 0.6 {
            format!("right: {:.1}%", (1.0 - x / ratio_width) * 100.0 + 1.0)
        } else {
            format!("left: {:.1}%", x / ratio_width * 100.0 + 1.0)
        };
        let rows = h
            .values
            .into_iter()
            .map(|(label, colour, dash, v)| {
                view! {
                    <li class="chart-hover__row">
                        {line_swatch(colour, dash)}
                        <span class="chart-hover__label">{label}</span>
                        <span class="chart-hover__value">{v.map_or_else(|| "–".to_owned(), format_value)}</span>
                    </li>
                }
            })
            .collect_view();
        Some(view! {
            <div class="chart-hover" data-testid="series-hover" style=side>
                <div class="chart-hover__time">{format_time(h.time_ms, 1000)}</div>
                <ul class="chart-hover__rows">{rows}</ul>
            </div>
        })
    };

    view! {
        <Show when=move || chart.with(Option::is_some)>
            <div class="chart chart--series">
                <div class="chart__frame">
                    <PlotCanvas
                        label="Time series chart"
                        height=HEIGHT
                        draw=draw
                        on_pointer=on_pointer
                        testid="series-chart"
                    />
                    {tooltip}
                    <MarkerOverlay layout=markers />
                </div>
                <ul class="legend" data-testid="series-legend">{legend}</ul>
            </div>
        </Show>
    }
}

/// A short line in a group's colour and dash, as it is drawn on the chart.
fn line_swatch(colour: Rgb, dash: Dash) -> impl IntoView {
    view! {
        <span
            class="legend__line"
            data-dash=dash.css()
            style=format!("border-top-color: {}; border-top-style: {}", css(colour), dash.css())
        ></span>
    }
}
