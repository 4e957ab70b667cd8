//! The room's pass rate over time, in the board's slices, with the room's markers
//! (phase changes, queue delay, points, switches, the reveal): drawn large enough to
//! read on a projector.

use bulbwatch_api::{Board, Marker};
use bulbwatch_charts::draw::draw_series;
use bulbwatch_charts::pass_rate::room_pass_rate_chart;
use bulbwatch_charts::theme::Theme;
use leptos::prelude::*;

use crate::canvas::{CanvasSize, PlotCanvas};

/// How much larger than on a laptop the console draws text and lines.
pub const PROJECTOR_SCALE: f64 = 1.4;

/// The chart, redrawn when the board's slices or the markers change.
#[component]
pub fn RoomChart(
    /// The board, once read.
    #[prop(into)]
    board: Signal<Option<Board>>,
    /// The room's markers over the board's time window.
    #[prop(into)]
    markers: Signal<Vec<Marker>>,
    /// Height in CSS pixels.
    height: u32,
) -> impl IntoView {
    let slices =
        Memo::new(move |_| board.with(|b| b.as_ref().map(|b| (b.pass_rate.clone(), b.slice_ms))));
    let draw = move |backend, size: CanvasSize| {
        let theme = Theme {
            ratio: size.ratio * PROJECTOR_SCALE,
        };
        slices.with(|s| {
            markers.with(|m| {
                if let Some((points, slice_ms)) = s
                    && let Some(chart) = room_pass_rate_chart(points, *slice_ms, m)
                    && let Err(e) = draw_series(backend, &chart, None, &theme)
                {
                    tracing::warn!("drawing the room's pass rate: {e:?}");
                }
            });
        });
    };
    view! {
        <PlotCanvas
            label="The room's share of passing runs over time, with the facilitator's markers"
            height=height
            draw=draw
            testid="console-pass-rate"
        />
    }
}
