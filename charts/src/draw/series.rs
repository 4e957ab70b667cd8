//! A time series chart: one line per group (solid, dashed or dotted), axes, markers
//! and the hover crosshair.

use plotters::element::DashedPathElement;
use plotters::prelude::*;

use crate::draw::DrawError;
use crate::draw::axes::{
    self, linear_ticks, markers, px, stroke, time_area, time_frame, time_rect,
};
use crate::group_colours::Dash;
use crate::plot_rect::PlotRect;
use crate::series::{Hover, SeriesChart};
use crate::theme::{MUTED, Theme};

/// The plotting area [`draw_series`] uses on a canvas of `size` device pixels.
pub fn series_rect(size: (u32, u32), theme: &Theme) -> PlotRect {
    time_rect(size, theme)
}

/// Draws `chart` (and `hover`, when given) over the whole backend.
pub fn draw_series<DB: DrawingBackend>(
    backend: DB,
    chart: &SeriesChart,
    hover: Option<&Hover>,
    theme: &Theme,
) -> Result<PlotRect, DrawError> {
    let (area, rect) = time_area(backend, theme)?;
    let (lo, hi) = chart.value_range();
    let (ticks, step) = linear_ticks(&rect, lo, hi, theme);
    // Round the top up to a tick so the highest line sits under a label.
    let hi = ticks
        .last()
        .map_or(hi, |t| if t.0 < hi { t.0 + step } else { t.0 })
        .max(hi);
    let (ticks, step) = linear_ticks(&rect, lo, hi, theme);
    time_frame(
        &area,
        &rect,
        (&ticks, step),
        (chart.start_ms, chart.end_ms),
        &chart.y_label,
        theme,
    )?;

    let x_scale = chart.x_scale(&rect);
    let y_of = |v: f64| rect.bottom - (v - lo) / (hi - lo) * rect.height();
    for l in &chart.lines {
        let colour = RGBColor(l.colour.0, l.colour.1, l.colour.2);
        let gap = smallest_step(&l.points).saturating_mul(3) / 2;
        let mut run: Vec<(i32, i32)> = Vec::with_capacity(l.points.len());
        let mut last: Option<i64> = None;
        for &(t, v) in &l.points {
            if last.is_some_and(|p| gap > 0 && t - p > gap) {
                segment(&area, &mut run, (colour, l.dash), theme)?;
            }
            run.push((px(x_scale.map(t as f64)), px(y_of(v))));
            last = Some(t);
        }
        segment(&area, &mut run, (colour, l.dash), theme)?;
    }

    markers(
        &area,
        &rect,
        &chart.markers,
        (chart.start_ms, chart.end_ms),
        &chart.y_label,
        theme,
    )?;

    if let Some(h) = hover {
        axes::line(
            &area,
            (h.x, rect.top),
            (h.x, rect.bottom),
            stroke(theme, MUTED.mix(0.8), 1.0),
        )?;
        for (_, c, _, v) in &h.values {
            if let Some(v) = v {
                area.draw(&Circle::new(
                    (px(h.x), px(y_of(*v))),
                    theme.px(4.0),
                    RGBColor(c.0, c.1, c.2).filled(),
                ))?;
            }
        }
    }
    area.present()?;
    Ok(rect)
}

/// Draws a run of points as one path in its dash (a dot when it is a single point),
/// and empties it.
fn segment<DB: DrawingBackend>(
    area: &axes::Area<DB>,
    run: &mut Vec<(i32, i32)>,
    (colour, dash): (RGBColor, Dash),
    theme: &Theme,
) -> Result<(), DrawError> {
    let style = stroke(theme, colour.to_rgba(), 2.0);
    match (run.len(), dash) {
        (0, _) => {}
        (1, _) => {
            area.draw(&Circle::new(run[0], theme.px(2.5), colour.filled()))?;
        }
        (_, Dash::Solid) => {
            area.draw(&PathElement::new(std::mem::take(run), style))?;
        }
        (_, Dash::Dashed) => {
            let points = std::mem::take(run);
            area.draw(&DashedPathElement::new(
                points,
                theme.px(9.0),
                theme.px(5.0),
                style,
            ))?;
        }
        (_, Dash::Dotted) => {
            let points = std::mem::take(run);
            area.draw(&DashedPathElement::new(
                points,
                theme.px(2.5),
                theme.px(3.5),
                style.stroke_width(theme.px(2.5).max(2) as u32),
            ))?;
        }
    }
    run.clear();
    Ok(())
}

/// The smallest time between consecutive points (0 with fewer than two).
fn smallest_step(points: &[(i64, f64)]) -> i64 {
    points
        .windows(2)
        .map(|w| w[1].0 - w[0].0)
        .filter(|d| *d > 0)
        .min()
        .unwrap_or(0)
}
