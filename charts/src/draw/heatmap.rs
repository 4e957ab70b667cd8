//! A heatmap: cells filled by count on a time × value grid, axes, markers and the
//! selected box. Cells are plain filled rectangles (no per-pixel work), coloured from
//! a lookup table, and never thinner than [`MIN_CELL_CSS`].

use plotters::prelude::*;

use crate::colour_scale::ColourScale;
use crate::draw::DrawError;
use crate::draw::axes::{VALUE_TICK_CSS, markers, px, stroke, time_area, time_frame, time_rect};
use crate::heatmap::{HeatmapChart, HeatmapSelection};
use crate::plot_rect::PlotRect;
use crate::theme::{ACCENT, TEXT, Theme};
use crate::ticks::nice_ticks_with_step;

/// The narrowest (and shortest) a drawn cell is, CSS px: one event in it still shows.
pub const MIN_CELL_CSS: f64 = 3.0;

/// The plotting area [`draw_heatmap`] uses on a canvas of `size` device pixels.
pub fn heatmap_rect(size: (u32, u32), theme: &Theme) -> PlotRect {
    time_rect(size, theme)
}

/// Draws `chart` (and the `selection` box, when given) over the whole backend.
pub fn draw_heatmap<DB: DrawingBackend>(
    backend: DB,
    chart: &HeatmapChart,
    selection: Option<&HeatmapSelection>,
    theme: &Theme,
) -> Result<PlotRect, DrawError> {
    let (area, rect) = time_area(backend, theme)?;

    let (ticks, step) = value_ticks(chart, &rect, theme);
    time_frame(
        &area,
        &rect,
        (&ticks, step),
        (chart.start_ms, chart.end_ms),
        &chart.column,
        theme,
    )?;
    // Cells over the grid, so it shows only where there are no events.
    cells(&area, chart, &rect, f64::from(theme.px(MIN_CELL_CSS)))?;

    markers(
        &area,
        &rect,
        &chart.markers,
        (chart.start_ms, chart.end_ms),
        &chart.column,
        theme,
    )?;

    if let Some(s) = selection {
        let b = chart.selection_box(&rect, s);
        let corners = [(px(b.left), px(b.top)), (px(b.right), px(b.bottom))];
        area.draw(&Rectangle::new(corners, ACCENT.mix(0.12).filled()))?;
        area.draw(&Rectangle::new(corners, stroke(theme, TEXT.to_rgba(), 2.0)))?;
    }
    area.present()?;
    Ok(rect)
}

/// Fills the cells. Buckets thinner than `min_cell` device px are drawn together,
/// the busiest of them giving the colour (see [`HeatmapChart::column_spans`]), and
/// equal colours stacked in a column are one rectangle, so the work follows the
/// pixels, not the buckets.
fn cells<DB: DrawingBackend>(
    area: &crate::draw::axes::Area<DB>,
    chart: &HeatmapChart,
    rect: &PlotRect,
    min_cell: f64,
) -> Result<(), DrawError> {
    let scale = ColourScale::new(chart.max_count);
    let rows = chart.row_spans(rect, min_cell);
    let ys: Vec<i32> = rows
        .iter()
        .map(|r| px(chart.y_of(rect, r.start as f64)))
        .chain(std::iter::once(px(
            chart.y_of(rect, chart.value_buckets() as f64)
        )))
        .collect();
    let mut merged = vec![0u32; rows.len()];
    for span in chart.column_spans(rect, min_cell) {
        let x0 = px(chart.x_of(rect, span.start as f64));
        let x1 = px(chart.x_of(rect, span.end as f64)).max(x0 + 1);
        for (m, row) in merged.iter_mut().zip(&rows) {
            *m = chart.columns[span.clone()]
                .iter()
                .flat_map(|column| column.get(row.clone()).unwrap_or_default())
                .copied()
                .max()
                .unwrap_or(0);
        }
        let mut j = 0;
        while j < rows.len() {
            let Some(colour) = scale.colour(merged[j]) else {
                j += 1;
                continue;
            };
            let mut top = j + 1;
            while top < rows.len() && scale.colour(merged[top]) == Some(colour) {
                top += 1;
            }
            area.draw(&Rectangle::new(
                [(x0, ys[top]), (x1, ys[j])],
                RGBColor(colour.0, colour.1, colour.2).filled(),
            ))?;
            j = top;
        }
    }
    Ok(())
}

/// Value ticks with their y: nice linear values, or 1, 2, 5 × 10ⁿ on a log axis.
fn value_ticks(chart: &HeatmapChart, rect: &PlotRect, theme: &Theme) -> (Vec<(f64, f64)>, f64) {
    let b = &chart.boundaries;
    let (Some(&lo), Some(&hi)) = (b.first(), b.last()) else {
        return (Vec::new(), 1.0);
    };
    let count = crate::draw::axes::tick_count(rect.height(), VALUE_TICK_CSS, theme);
    let (values, step) = if chart.is_log() {
        let values = log_ticks(lo, hi, count);
        let step = values.first().copied().unwrap_or(1.0).min(1.0);
        (values, step)
    } else {
        nice_ticks_with_step(lo, hi, count)
    };
    let ticks = values
        .into_iter()
        .map(|v| (v, chart.y_of(rect, chart.value_position(v))))
        .collect();
    (ticks, step)
}

/// Ticks on a log axis over `[lo, hi]` (`lo > 0`): 1, 2, 5 × 10ⁿ, thinned to powers
/// of ten when there are more than `max_count`.
pub fn log_ticks(lo: f64, hi: f64, max_count: usize) -> Vec<f64> {
    let mut all = Vec::new();
    let mut power = 10f64.powf(lo.log10().floor());
    while power <= hi {
        for m in [1.0, 2.0, 5.0] {
            let v = m * power;
            if v >= lo * (1.0 - 1e-9) && v <= hi * (1.0 + 1e-9) {
                all.push(v);
            }
        }
        power *= 10.0;
    }
    if all.len() > max_count {
        all.retain(|v| (v.log10().fract().abs() < 1e-9) || (1.0 - v.log10().fract()).abs() < 1e-9);
    }
    all
}
