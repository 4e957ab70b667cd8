//! Horizontal bars: each group's total, its label on the left, its value at the end;
//! groups of one colour told apart as their lines are (solid: filled, dashed: half
//! filled, dotted: outlined).

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::bars::BarsChart;
use crate::draw::DrawError;
use crate::draw::axes::{
    self, BAND_CSS, Margins, TICK_FONT, TIME_TICK_CSS, clear, layout, px, shorten, stroke, text,
    text_style, title,
};
use crate::group_colours::Dash;
use crate::plot_rect::PlotRect;
use crate::theme::{GRID, MUTED, TEXT, Theme};
use crate::ticks::{format_tick, format_value, nice_ticks_with_step};

/// Longest label drawn, characters.
const LABEL_CHARS: usize = 28;

/// Draws `chart` over the whole backend.
pub fn draw_bars<DB: DrawingBackend>(
    backend: DB,
    chart: &BarsChart,
    theme: &Theme,
) -> Result<PlotRect, DrawError> {
    let area = backend.into_drawing_area();
    clear(&area)?;
    let longest = chart
        .bars
        .iter()
        .map(|b| b.label.chars().count().min(LABEL_CHARS))
        .max()
        .unwrap_or(4);
    let (w, _) = area.dim_in_pixel();
    // Labels get what they need, at most 40% of the width.
    let label_css = (theme.text_width(longest, TICK_FONT) / theme.ratio + 16.0)
        .min(f64::from(w) / theme.ratio * 0.4)
        .max(40.0);
    let margins = Margins {
        left: label_css,
        top: BAND_CSS,
        right: 72.0,
        bottom: 30.0,
    };
    let rect = layout(area.dim_in_pixel(), margins, theme);
    title(&area, &rect, &chart.value_label, theme)?;

    let max = chart.max_value();
    let x_of = |v: f64| rect.left + v.abs() / max * rect.width();
    let count = axes::tick_count(rect.width(), TIME_TICK_CSS, theme);
    let (ticks, step) = nice_ticks_with_step(0.0, max, count);
    let tick_style = text_style(theme, TICK_FONT, MUTED, Pos::new(HPos::Center, VPos::Top));
    for v in ticks {
        let x = x_of(v);
        axes::line(
            &area,
            (x, rect.top),
            (x, rect.bottom),
            stroke(theme, GRID.to_rgba(), 1.0),
        )?;
        let s = format_tick(v, step);
        text(
            &area,
            &s,
            (x, rect.bottom + f64::from(theme.px(4.0))),
            &tick_style,
        )?;
    }

    let n = chart.bars.len().max(1) as f64;
    let row = rect.height() / n;
    let label_style = text_style(theme, TICK_FONT, TEXT, Pos::new(HPos::Right, VPos::Center));
    let value_style = text_style(theme, TICK_FONT, MUTED, Pos::new(HPos::Left, VPos::Center));
    let gap = f64::from(theme.px(6.0));
    for (k, bar) in chart.bars.iter().enumerate() {
        let top = rect.top + row * k as f64;
        let mid = top + row / 2.0;
        let thick = (row * 0.7).min(f64::from(theme.px(22.0)));
        let colour = RGBColor(bar.colour.0, bar.colour.1, bar.colour.2);
        let end = x_of(bar.value).max(rect.left + 1.0);
        let (y0, y1) = (mid - thick / 2.0, mid + thick / 2.0);
        match bar.dash {
            Dash::Solid => axes::bar(&area, (rect.left, end), (y0, y1), colour)?,
            Dash::Dashed | Dash::Dotted => {
                let corners = [(px(rect.left), px(y0)), (px(end), px(y1))];
                let fill = if bar.dash == Dash::Dashed { 0.45 } else { 0.12 };
                area.draw(&Rectangle::new(corners, colour.mix(fill).filled()))?;
                area.draw(&Rectangle::new(
                    corners,
                    stroke(theme, colour.to_rgba(), 2.0),
                ))?;
            }
        }
        text(
            &area,
            &shorten(&bar.label, LABEL_CHARS),
            (rect.left - gap, mid),
            &label_style,
        )?;
        text(
            &area,
            &format_value(bar.value),
            (end + gap, mid),
            &value_style,
        )?;
    }
    axes::left_axis(&area, &rect, theme)?;
    area.present()?;
    Ok(rect)
}
