//! The parts every chart shares: the background, the layout of the plotting area, axes
//! with ticks and labels, a title, and markers as vertical lines with their labels in a
//! band above the plot (see [`crate::markers`]).

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::draw::DrawError;
pub use crate::markers::shorten;
use crate::markers::{label_band, marker_layout, title_x};
use crate::plot_rect::PlotRect;
use crate::series::MarkerLine;
use crate::theme::{
    ACCENT, AXIS, BACKGROUND, GRID, LABEL_TEXT_CSS, MUTED, TEXT, TITLE_TEXT_CSS, Theme,
};
use crate::ticks::{format_tick, nice_ticks_with_step, time_ticks};

/// The drawing area of a backend in device pixels.
pub type Area<DB> = DrawingArea<DB, Shift>;

/// Tick label size, CSS px (the body text's).
pub const TICK_FONT: f64 = LABEL_TEXT_CSS;
/// Title size, CSS px.
pub const TITLE_FONT: f64 = TITLE_TEXT_CSS;
/// CSS px between time ticks: room for a `14:05:30` label and air around it.
pub const TIME_TICK_CSS: f64 = 110.0;
/// CSS px between value ticks: a label's height and as much again.
pub const VALUE_TICK_CSS: f64 = 36.0;
/// Height of the band above the plot for the title and marker labels, CSS px.
pub const BAND_CSS: f64 = 32.0;

/// Margins around the plotting area, CSS px.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Margins {
    /// Left (room for value labels).
    pub left: f64,
    /// Top (room for a title).
    pub top: f64,
    /// Right.
    pub right: f64,
    /// Bottom (room for time labels).
    pub bottom: f64,
}

/// Room around a chart over time (value labels on the left, time labels below), CSS px.
pub const TIME_MARGINS: Margins = Margins {
    left: 72.0,
    top: BAND_CSS,
    right: 28.0,
    bottom: 32.0,
};

/// Fills the background; the area and its size in device pixels.
pub fn clear<DB: DrawingBackend>(area: &Area<DB>) -> Result<(), DrawError> {
    area.fill(&BACKGROUND)?;
    Ok(())
}

/// The plotting area of a chart over time on a canvas of `size` device pixels.
pub fn time_rect(size: (u32, u32), theme: &Theme) -> PlotRect {
    layout(size, TIME_MARGINS, theme)
}

/// The backend's whole area, cleared, and the plotting area of a chart over time in it.
pub fn time_area<DB: DrawingBackend>(
    backend: DB,
    theme: &Theme,
) -> Result<(Area<DB>, PlotRect), DrawError> {
    let area = backend.into_drawing_area();
    clear(&area)?;
    let rect = time_rect(area.dim_in_pixel(), theme);
    Ok((area, rect))
}

/// The plotting area inside `margins` of a canvas `size` (device px); never inverted.
pub fn layout(size: (u32, u32), margins: Margins, theme: &Theme) -> PlotRect {
    let (w, h) = (f64::from(size.0), f64::from(size.1));
    let left = f64::from(theme.px(margins.left)).min(w / 2.0);
    let top = f64::from(theme.px(margins.top)).min(h / 2.0);
    let right = (w - f64::from(theme.px(margins.right))).max(left + 1.0);
    let bottom = (h - f64::from(theme.px(margins.bottom))).max(top + 1.0);
    PlotRect {
        left,
        top,
        right,
        bottom,
    }
}

/// A text style of `css` CSS px in `colour`, anchored at `pos`.
pub fn text_style(theme: &Theme, css: f64, colour: RGBColor, pos: Pos) -> TextStyle<'static> {
    TextStyle {
        font: ("sans-serif", theme.font(css)).into_font(),
        color: colour.to_backend_color(),
        pos,
    }
}

/// A line style `css` CSS px wide.
pub fn stroke(theme: &Theme, colour: RGBAColor, css: f64) -> ShapeStyle {
    ShapeStyle {
        color: colour,
        filled: false,
        stroke_width: theme.px(css).max(1) as u32,
    }
}

/// Rounds a device coordinate for the backend.
pub fn px(v: f64) -> i32 {
    v.round() as i32
}

/// Draws `text` at `(x, y)`.
pub fn text<DB: DrawingBackend>(
    area: &Area<DB>,
    s: &str,
    at: (f64, f64),
    style: &TextStyle<'_>,
) -> Result<(), DrawError> {
    area.draw(&Text::new(s, (px(at.0), px(at.1)), style.clone()))?;
    Ok(())
}

/// A straight line from `a` to `b`.
pub fn line<DB: DrawingBackend>(
    area: &Area<DB>,
    a: (f64, f64),
    b: (f64, f64),
    style: ShapeStyle,
) -> Result<(), DrawError> {
    area.draw(&PathElement::new(
        vec![(px(a.0), px(a.1)), (px(b.0), px(b.1))],
        style,
    ))?;
    Ok(())
}

/// The title in the band above the plotting area, at the canvas's left: what the
/// values are.
pub fn title<DB: DrawingBackend>(
    area: &Area<DB>,
    rect: &PlotRect,
    s: &str,
    theme: &Theme,
) -> Result<(), DrawError> {
    if s.is_empty() {
        return Ok(());
    }
    let style = text_style(theme, TITLE_FONT, TEXT, Pos::new(HPos::Left, VPos::Center));
    let band = label_band(rect, f64::from(area.dim_in_pixel().0), s, theme);
    text(area, s, (title_x(theme), band_middle(&band)), &style)
}

/// The y at which text in a band is centred.
fn band_middle(band: &PlotRect) -> f64 {
    (band.top + band.bottom) / 2.0
}

/// How many ticks fit along `len` device px with one every `css_gap` CSS px.
pub fn tick_count(len: f64, css_gap: f64, theme: &Theme) -> usize {
    ((len / (css_gap * theme.ratio)).floor() as usize).clamp(2, 12)
}

/// The time axis along the bottom: a line, ticks, labels (`14:05`), faint grid lines.
pub fn time_axis<DB: DrawingBackend>(
    area: &Area<DB>,
    rect: &PlotRect,
    start_ms: i64,
    end_ms: i64,
    theme: &Theme,
) -> Result<(), DrawError> {
    let count = tick_count(rect.width(), TIME_TICK_CSS, theme);
    let span = (end_ms - start_ms).max(1) as f64;
    let label = text_style(theme, TICK_FONT, MUTED, Pos::new(HPos::Center, VPos::Top));
    let tick = f64::from(theme.px(4.0));
    let canvas_width = f64::from(area.dim_in_pixel().0);
    for (t, s) in time_ticks(start_ms, end_ms, count) {
        let x = rect.left + (t - start_ms) as f64 / span * rect.width();
        // A label by the canvas's edge moves in to be read whole.
        let half = theme.text_width(s.chars().count(), TICK_FONT) / 2.0 + f64::from(theme.px(2.0));
        let label_x = x.min(canvas_width - half).max(half);
        line(
            area,
            (x, rect.top),
            (x, rect.bottom),
            stroke(theme, GRID.to_rgba(), 1.0),
        )?;
        line(
            area,
            (x, rect.bottom),
            (x, rect.bottom + tick),
            stroke(theme, AXIS.to_rgba(), 1.0),
        )?;
        text(
            area,
            &s,
            (label_x, rect.bottom + tick + f64::from(theme.px(2.0))),
            &label,
        )?;
    }
    line(
        area,
        (rect.left, rect.bottom),
        (rect.right, rect.bottom),
        stroke(theme, AXIS.to_rgba(), 1.0),
    )
}

/// The value axis along the left: ticks at `(value, y)` with labels, faint grid lines.
pub fn value_axis<DB: DrawingBackend>(
    area: &Area<DB>,
    rect: &PlotRect,
    ticks: &[(f64, f64)],
    step: f64,
    theme: &Theme,
) -> Result<(), DrawError> {
    let label = text_style(theme, TICK_FONT, MUTED, Pos::new(HPos::Right, VPos::Center));
    let tick = f64::from(theme.px(4.0));
    for &(v, y) in ticks {
        line(
            area,
            (rect.left, y),
            (rect.right, y),
            stroke(theme, GRID.to_rgba(), 1.0),
        )?;
        line(
            area,
            (rect.left - tick, y),
            (rect.left, y),
            stroke(theme, AXIS.to_rgba(), 1.0),
        )?;
        let s = format_tick(v, step);
        text(
            area,
            &s,
            (rect.left - tick - f64::from(theme.px(3.0)), y),
            &label,
        )?;
    }
    line(
        area,
        (rect.left, rect.top),
        (rect.left, rect.bottom),
        stroke(theme, AXIS.to_rgba(), 1.0),
    )
}

/// The frame of a chart over time: the value axis with `ticks`, the time axis over
/// `[start_ms, end_ms]` and the title.
pub fn time_frame<DB: DrawingBackend>(
    area: &Area<DB>,
    rect: &PlotRect,
    (ticks, step): (&[(f64, f64)], f64),
    (start_ms, end_ms): (i64, i64),
    label: &str,
    theme: &Theme,
) -> Result<(), DrawError> {
    value_axis(area, rect, ticks, step, theme)?;
    time_axis(area, rect, start_ms, end_ms, theme)?;
    title(area, rect, label, theme)
}

/// The axis line along the plotting area's left edge.
pub fn left_axis<DB: DrawingBackend>(
    area: &Area<DB>,
    rect: &PlotRect,
    theme: &Theme,
) -> Result<(), DrawError> {
    line(
        area,
        (rect.left, rect.top),
        (rect.left, rect.bottom),
        stroke(theme, AXIS.to_rgba(), 1.0),
    )
}

/// A horizontal bar from `x0` to `x1` (at least a pixel long) between `y0` and `y1`.
pub fn bar<DB: DrawingBackend>(
    area: &Area<DB>,
    (x0, x1): (f64, f64),
    (y0, y1): (f64, f64),
    colour: RGBColor,
) -> Result<(), DrawError> {
    area.draw(&Rectangle::new(
        [(px(x0), px(y0)), (px(x1.max(x0 + 1.0)), px(y1))],
        colour.filled(),
    ))?;
    Ok(())
}

/// A band across the whole width `w` from `top`, `height` high, lighting a row.
pub fn row_band<DB: DrawingBackend>(
    area: &Area<DB>,
    w: u32,
    (top, height): (f64, f64),
    style: ShapeStyle,
) -> Result<(), DrawError> {
    area.draw(&Rectangle::new(
        [(0, px(top)), (w as i32, px(top + height))],
        style,
    ))?;
    Ok(())
}

/// Nice ticks for `[lo, hi]` on a linear axis with their y, and the step.
pub fn linear_ticks(rect: &PlotRect, lo: f64, hi: f64, theme: &Theme) -> (Vec<(f64, f64)>, f64) {
    let count = tick_count(rect.height(), VALUE_TICK_CSS, theme);
    let (ticks, step) = nice_ticks_with_step(lo, hi, count);
    let ticks = ticks
        .into_iter()
        .map(|v| {
            let y = if hi > lo {
                rect.bottom - (v - lo) / (hi - lo) * rect.height()
            } else {
                (rect.top + rect.bottom) / 2.0
            };
            (v, y)
        })
        .collect();
    (ticks, step)
}

/// Markers: one dashed line per group of close markers (a faint span where the group
/// is wider than a line), and the groups' labels in the band above the plot, where
/// they never cover data (see [`crate::markers`]). `title` is the chart's, which the
/// labels keep clear of.
pub fn markers<DB: DrawingBackend>(
    area: &Area<DB>,
    rect: &PlotRect,
    markers: &[MarkerLine],
    range: (i64, i64),
    title: &str,
    theme: &Theme,
) -> Result<(), DrawError> {
    let layout = marker_layout(
        markers,
        rect,
        range,
        title,
        f64::from(area.dim_in_pixel().0),
        theme,
    );
    let style = text_style(
        theme,
        LABEL_TEXT_CSS,
        ACCENT,
        Pos::new(HPos::Left, VPos::Center),
    );
    let y = band_middle(&layout.band);
    // Just under the labels' text.
    let line_top = y + theme.font(LABEL_TEXT_CSS) / 2.0 + f64::from(theme.px(2.0));
    for (group, label) in layout.groups.iter().zip(&layout.labels) {
        let x = group.x;
        if group.x_last - x >= 2.0 {
            area.draw(&Rectangle::new(
                [(px(x), px(rect.top)), (px(group.x_last), px(rect.bottom))],
                ACCENT.mix(0.1).filled(),
            ))?;
        }
        area.draw(&DashedPathElement::new(
            [(px(x), px(rect.top)), (px(x), px(rect.bottom))],
            theme.px(5.0),
            theme.px(3.0),
            stroke(theme, ACCENT.mix(0.85), 1.5),
        ))?;
        let Some(label) = label else { continue };
        // From the plot's top up to the label: over it, or led aside to it.
        let to = if label.covers(x) { x } else { label.left };
        line(
            area,
            (x, rect.top),
            (to, line_top),
            stroke(theme, ACCENT.mix(0.85), 1.5),
        )?;
        text(area, &label.text, (label.left, y), &style)?;
    }
    Ok(())
}
