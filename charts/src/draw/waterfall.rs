//! A trace's waterfall: one row per span, its name indented by depth on the left, a bar
//! from its start for its duration on a time axis from the trace's start, coloured by
//! side (client, server, internal) or red when it failed.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use bulbwatch_api::SpanKind;

use crate::draw::DrawError;
use crate::draw::axes::{
    Margins, TICK_FONT, bar, clear, layout, line, row_band, shorten, stroke, text, text_style,
    tick_count,
};
use crate::plot_rect::PlotRect;
use crate::theme::{ACCENT, AXIS, GRID, LABEL_TEXT_CSS, MUTED, TEXT, Theme};
use crate::waterfall::{Waterfall, format_duration};

/// Height of a row, CSS px (the view sizes the canvas with it).
pub const ROW_CSS: f64 = 30.0;
/// Room above the rows for the time labels, CSS px.
pub const AXIS_CSS: f64 = 30.0;
/// Indent per level of depth, CSS px.
const INDENT_CSS: f64 = 14.0;
/// Size of span names and durations, CSS px: body size, readable from the back.
const NAME_FONT: f64 = LABEL_TEXT_CSS;

/// A client span's bar (the checks' side).
pub const CLIENT: RGBColor = RGBColor(0x6c, 0x9c, 0xf0);
/// A server span's bar.
pub const SERVER: RGBColor = RGBColor(0x3d, 0xdc, 0x84);
/// An internal span's bar.
pub const INTERNAL: RGBColor = RGBColor(0xb3, 0x8c, 0xf2);
/// A failed span's bar (`--danger-line`).
pub const FAILED: RGBColor = RGBColor(0xff, 0x6b, 0x81);

/// The colour of a span's bar.
pub fn kind_colour(kind: SpanKind, error: bool) -> RGBColor {
    match (error, kind) {
        (true, _) => FAILED,
        (false, SpanKind::Client) => CLIENT,
        (false, SpanKind::Server) => SERVER,
        (false, SpanKind::Internal) => INTERNAL,
    }
}

/// The canvas height, CSS px, that gives every row of `chart` its room.
pub fn waterfall_height(chart: &Waterfall) -> u32 {
    (AXIS_CSS + ROW_CSS * chart.rows.len().max(1) as f64 + 4.0).round() as u32
}

/// Draws `chart` over the whole backend, the row `selected` highlighted. The returned
/// area spans the rows (top to bottom) and the time axis (left to right).
pub fn draw_waterfall<DB: DrawingBackend>(
    backend: DB,
    chart: &Waterfall,
    selected: Option<usize>,
    theme: &Theme,
) -> Result<PlotRect, DrawError> {
    let area = backend.into_drawing_area();
    clear(&area)?;
    let (w, _) = area.dim_in_pixel();
    let css_width = f64::from(w) / theme.ratio;
    // Names get a third of the width, between 160 and 320 CSS px.
    let label_css = (css_width / 3.0).clamp(160.0, 320.0).min(css_width * 0.6);
    let rect = layout(
        area.dim_in_pixel(),
        Margins {
            left: label_css,
            top: AXIS_CSS,
            right: 72.0,
            bottom: 4.0,
        },
        theme,
    );
    let n = chart.rows.len().max(1) as f64;
    let row_h = rect.height() / n;
    let total = chart.total_ms.max(1.0);
    let x_of = |ms: f64| rect.left + ms / total * rect.width();

    if let Some(k) = selected.filter(|&k| k < chart.rows.len()) {
        let top = rect.top + row_h * k as f64;
        row_band(&area, w, (top, row_h), ACCENT.mix(0.14).filled())?;
    }

    let tick_style = text_style(
        theme,
        TICK_FONT,
        MUTED,
        Pos::new(HPos::Center, VPos::Bottom),
    );
    for (t, s) in chart.ticks(tick_count(rect.width(), 90.0, theme)) {
        let x = x_of(t);
        line(
            &area,
            (x, rect.top),
            (x, rect.bottom),
            stroke(theme, GRID.to_rgba(), 1.0),
        )?;
        text(
            &area,
            &s,
            (x, rect.top - f64::from(theme.px(6.0))),
            &tick_style,
        )?;
    }
    line(
        &area,
        (rect.left, rect.top),
        (rect.right, rect.top),
        stroke(theme, AXIS.to_rgba(), 1.0),
    )?;

    let name_style = text_style(theme, NAME_FONT, TEXT, Pos::new(HPos::Left, VPos::Center));
    let time_style = text_style(theme, NAME_FONT, MUTED, Pos::new(HPos::Left, VPos::Center));
    let gap = f64::from(theme.px(6.0));
    let thick = (row_h * 0.6).max(2.0);
    for (k, row) in chart.rows.iter().enumerate() {
        let mid = rect.top + row_h * (k as f64 + 0.5);
        let indent = f64::from(theme.px(8.0 + INDENT_CSS * row.depth.min(12) as f64));
        let room = ((rect.left - gap - indent) / theme.font(NAME_FONT * 0.58)).max(1.0);
        text(
            &area,
            &shorten(&row.label(), room as usize),
            (indent, mid),
            &name_style,
        )?;
        let x0 = x_of(row.offset_ms);
        let x1 = x_of(row.offset_ms + row.duration_ms).max(x0 + f64::from(theme.px(2.0)));
        bar(
            &area,
            (x0, x1),
            (mid - thick / 2.0, mid + thick / 2.0),
            kind_colour(row.kind, row.error),
        )?;
        text(
            &area,
            &format_duration(row.duration_ms),
            (x1 + gap, mid),
            &time_style,
        )?;
    }
    area.present()?;
    Ok(rect)
}
