//! The heatmap: counts per time and value bucket on a canvas, its colour scale, a box
//! dragged across it to select (kept until Escape or a click elsewhere), a click on a
//! cell, and the markers' details over their labels.

use bulbwatch_charts::colour_scale::{ColourScale, HeatLegend, css};
use bulbwatch_charts::draw::draw_heatmap;
use bulbwatch_charts::draw::heatmap::MIN_CELL_CSS;
use bulbwatch_charts::heatmap::{HeatmapCell, HeatmapChart, HeatmapSelection};
use bulbwatch_charts::plot_rect::PlotRect;
use bulbwatch_charts::theme::Theme;
use bulbwatch_charts::ticks::{format_time, format_value};
use leptos::prelude::*;

use crate::canvas::{CanvasSize, PlotCanvas, PointerAt, PointerKind};
use crate::charts::MarkerOverlay;
use crate::charts::marker_overlay::{OverlayLayout, follow_drawing};

/// Height of the canvas, CSS px.
const HEIGHT: u32 = 320;
/// How far (CSS px) the pointer must move for a drag rather than a click.
const DRAG_CSS: f64 = 5.0;

/// A heatmap; nothing when `chart` is `None`. Dragging a box calls `on_select`, a
/// click on a cell `on_cell`, Escape or a click outside the cells `on_clear`.
#[component]
pub fn HeatmapView(
    /// The chart to draw.
    #[prop(into)]
    chart: Signal<Option<HeatmapChart>>,
    /// A box of cells was selected.
    on_select: Callback<HeatmapSelection>,
    /// A cell was clicked.
    on_cell: Callback<HeatmapCell>,
    /// The selection was cleared.
    #[prop(optional)]
    on_clear: Option<Callback<()>>,
) -> impl IntoView {
    let selection = RwSignal::new(None::<HeatmapSelection>);
    let under = RwSignal::new(None::<(HeatmapCell, f64, f64)>);
    let rect = StoredValue::new(None::<PlotRect>);
    let drag = StoredValue::new(None::<((f64, f64), bool)>);
    let width = StoredValue::new(0.0_f64);
    let markers = RwSignal::new(OverlayLayout::None);

    let draw = move |backend, size: CanvasSize| {
        let theme = Theme { ratio: size.ratio };
        width.set_value(size.width);
        chart.with(|c| {
            let Some(c) = c else { return };
            selection.with(|s| match draw_heatmap(backend, c, s.as_ref(), &theme) {
                Ok(r) => {
                    rect.set_value(Some(r));
                    // The same layout the drawing made, for the details on hover.
                    let range = (c.start_ms, c.end_ms);
                    follow_drawing(markers, &c.markers, &r, range, &c.column, size, &theme);
                }
                Err(e) => tracing::warn!("heatmap: {e}"),
            });
        });
    };
    let clear = move || {
        if selection.get_untracked().is_some() {
            selection.set(None);
            if let Some(cb) = on_clear {
                cb.run(());
            }
        }
    };
    let on_pointer = Callback::new(move |p: PointerAt| {
        let Some(r) = rect.get_value() else { return };
        let pick = |from: (f64, f64), to: (f64, f64)| {
            chart.with_untracked(|c| c.as_ref()?.selection(&r, from, to))
        };
        match p.kind {
            PointerKind::Down => {
                under.set(None);
                if r.contains(p.x, p.y) {
                    drag.set_value(Some(((p.x, p.y), false)));
                } else {
                    drag.set_value(None);
                    clear();
                }
            }
            PointerKind::Move => {
                if let Some((from, moved)) = drag.get_value() {
                    let far = (p.x - from.0).hypot(p.y - from.1) >= DRAG_CSS * p.ratio;
                    if moved || far {
                        drag.set_value(Some((from, true)));
                        let next = pick(from, (p.x, p.y));
                        if selection.with_untracked(|s| *s != next) {
                            selection.set(next);
                        }
                    }
                } else {
                    let cell = chart.with_untracked(|c| {
                        c.as_ref()?.cell_at(&r, p.x, p.y, MIN_CELL_CSS * p.ratio)
                    });
                    under.set(cell.map(|c| (c, p.x / p.ratio, p.y / p.ratio)));
                }
            }
            PointerKind::Up => {
                let Some((from, moved)) = drag.get_value() else {
                    return;
                };
                drag.set_value(None);
                if moved {
                    let next = pick(from, (p.x, p.y));
                    selection.set(next.clone());
                    if let Some(s) = next {
                        on_select.run(s);
                    }
                } else {
                    clear();
                    if let Some(cell) = chart.with_untracked(|c| {
                        c.as_ref()?.cell_at(&r, p.x, p.y, MIN_CELL_CSS * p.ratio)
                    }) {
                        on_cell.run(cell);
                    }
                }
            }
            PointerKind::Leave => under.set(None),
        }
    });
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            clear();
        }
    };

    let tooltip = move || {
        let (cell, x, y) = under.get()?;
        let unit = chart.with_untracked(|c| c.as_ref().map(|c| c.column.clone()))?;
        // Beside the pointer, on whichever side has room.
        let side = if x > width.get_value() * 0.6 {
            format!("right: {:.0}px", width.get_value() - x + 14.0)
        } else {
            format!("left: {:.0}px", x + 14.0)
        };
        Some(view! {
            <div class="chart-hover chart-hover--cell" style=format!("{side}; top: {:.0}px", y + 14.0)>
                <div class="chart-hover__time">
                    {format!("{}–{}", format_time(cell.start_ms, 1000), format_time(cell.end_ms, 1000))}
                </div>
                <div>{format!("{unit} {}–{}", format_value(cell.min_value), format_value(cell.max_value))}</div>
                <div class="chart-hover__value">{format!("{} events", cell.count)}</div>
            </div>
        })
    };
    let legend = move || {
        let max = chart.with(|c| c.as_ref().map_or(0, |c| c.max_count));
        view! {
            <div class="heat-legend" data-testid="heatmap-legend" data-max=max.to_string()>
                <span class="heat-legend__title">"events per cell"</span>
                {heat_legend(ColourScale::new(max).legend())}
            </div>
        }
    };

    view! {
        <Show when=move || chart.with(Option::is_some)>
            <div class="chart chart--heatmap" tabindex="0" on:keydown=on_keydown>
                <div class="chart__frame">
                    <PlotCanvas
                        label="Heatmap: events by time and value; drag to select, click a cell"
                        height=HEIGHT
                        draw=draw
                        on_pointer=on_pointer
                        testid="heatmap-chart"
                    />
                    {tooltip}
                    <MarkerOverlay layout=markers />
                </div>
                {legend}
            </div>
        </Show>
    }
}

/// The colour scale's key: a swatch per count for a few, else a gradient with counts
/// labelled where they sit on it.
fn heat_legend(legend: HeatLegend) -> AnyView {
    match legend {
        HeatLegend::Empty => view! { <span class="heat-legend__note">"no events"</span> }.into_any(),
        HeatLegend::Steps(steps) => steps
            .into_iter()
            .map(|(label, colour)| {
                view! {
                    <span class="heat-legend__step" data-testid="heatmap-legend-step">
                        <span class="heat-legend__swatch" style=format!("background: {}", css(colour))></span>
                        {label}
                    </span>
                }
            })
            .collect_view()
            .into_any(),
        HeatLegend::Gradient { stops, ticks } => {
            let stops = stops.into_iter().map(css).collect::<Vec<_>>().join(", ");
            let ticks = ticks
                .into_iter()
                .map(|(at, label)| {
                    // Its left edge at the start, centred in between, its right edge at the end.
                    let percent = at * 100.0;
                    let style = format!("left: {percent:.1}%; transform: translateX(-{percent:.1}%)");
                    view! { <span class="heat-legend__tick" data-testid="heatmap-legend-tick" style=style>{label}</span> }
                })
                .collect_view();
            view! {
                <span class="heat-legend__scale">
                    <span class="heat-legend__bar" style=format!("background: linear-gradient(to right, {stops})")></span>
                    <span class="heat-legend__ticks">{ticks}</span>
                </span>
                <span class="heat-legend__note">"(log scale)"</span>
            }
            .into_any()
        }
    }
}
