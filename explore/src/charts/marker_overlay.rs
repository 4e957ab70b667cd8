//! What a chart's markers were, on hover: over each group's label in the band above
//! the plot (or over its line's top, when the band had no room for a label) an
//! invisible box whose tooltip lists every marker of the group with its time.

use bulbwatch_charts::markers::{MarkerLayout, marker_layout};
use bulbwatch_charts::plot_rect::PlotRect;
use bulbwatch_charts::series::MarkerLine;
use bulbwatch_charts::theme::Theme;
use leptos::prelude::*;

use crate::canvas::CanvasSize;

/// What a chart's overlay shows: the markers' layout and the device pixel ratio.
pub type OverlayLayout = Option<(MarkerLayout, f64)>;

/// After a drawing into `rect` of a chart titled `title` over `range`: makes
/// `overlay` the markers' layout that drawing made (set only when it changed).
pub fn follow_drawing(
    overlay: RwSignal<OverlayLayout>,
    markers: &[MarkerLine],
    rect: &PlotRect,
    range: (i64, i64),
    title: &str,
    size: CanvasSize,
    theme: &Theme,
) {
    let canvas_width = f64::from(size.device().0);
    let layout = marker_layout(markers, rect, range, title, canvas_width, theme);
    let next = Some((layout, size.ratio));
    if overlay.with_untracked(|m| *m != next) {
        overlay.set(next);
    }
}

/// Half the width of the box over an unlabelled group's line, CSS px.
const LINE_BOX_CSS: f64 = 7.0;

/// The hover boxes of `layout` (device px, drawn at `ratio` device px per CSS px), over
/// the canvas it was drawn on.
#[component]
pub fn MarkerOverlay(
    /// The markers' layout as drawn, and the canvas's device pixel ratio.
    #[prop(into)]
    layout: Signal<Option<(MarkerLayout, f64)>>,
) -> impl IntoView {
    let boxes = move || {
        layout.with(|l| {
            let Some((layout, ratio)) = l else {
                return Vec::new();
            };
            let band = &layout.band;
            layout
                .groups
                .iter()
                .zip(&layout.labels)
                .map(|(group, label)| {
                    let (left, width) = match label {
                        Some(l) => (l.left / ratio, l.width / ratio),
                        None => (group.x / ratio - LINE_BOX_CSS, 2.0 * LINE_BOX_CSS),
                    };
                    let style = format!(
                        "left: {left:.1}px; top: {:.1}px; width: {width:.1}px; height: {:.1}px",
                        band.top / ratio,
                        (band.bottom - band.top) / ratio,
                    );
                    let details = group.details().join("\n");
                    view! {
                        <span
                            class="chart-marker"
                            data-testid="chart-marker"
                            data-count=group.markers.len().to_string()
                            title=details.clone()
                            aria-label=format!("{}: {}", group.summary(), details.replace('\n', "; "))
                            style=style
                        ></span>
                    }
                })
                .collect::<Vec<_>>()
        })
    };
    view! { <div class="chart-markers">{boxes}</div> }
}
