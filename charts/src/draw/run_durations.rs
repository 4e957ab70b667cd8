//! One bar per run (seconds, oldest on the left), coloured by verdict, on a light grid.

use plotters::prelude::*;
use plotters::style::colors::TRANSPARENT;

use crate::draw::DrawError;
use crate::plot_rect::PlotRect;
use crate::run_durations::DurationBar;
use crate::theme::{AXIS, BACKGROUND, GRID, LABEL_TEXT_CSS, MUTED, Theme};

/// Draws `bars` over the whole backend; returns the plotting area.
pub fn draw_run_durations<DB: DrawingBackend>(
    backend: DB,
    bars: &[DurationBar],
    theme: &Theme,
) -> Result<PlotRect, DrawError> {
    let root = backend.into_drawing_area();
    root.fill(&BACKGROUND)?;
    let longest = bars.iter().map(|b| b.duration_ms).fold(0.0, f64::max) / 1000.0;
    let top = (longest * 1.15).max(0.1);
    #[allow(clippy::cast_precision_loss)]
    let count = bars.len().max(1) as f64;
    let label = ("sans-serif", theme.font(LABEL_TEXT_CSS))
        .into_font()
        .color(&MUTED);
    // A label per 40 CSS px of height, two at least.
    let (_, h) = root.dim_in_pixel();
    let y_labels = ((f64::from(h) / theme.font(40.0)) as usize).clamp(2, 4);
    let mut chart = ChartBuilder::on(&root)
        .margin(theme.px(6.0))
        .margin_left(theme.px(2.0))
        .x_label_area_size(theme.px(24.0))
        .y_label_area_size(theme.px(60.0))
        .build_cartesian_2d(0.0..count, 0.0..top)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_labels(y_labels)
        .y_label_formatter(&|s| format!("{s:.1} s"))
        .x_desc("oldest → newest")
        .label_style(label.clone())
        .axis_desc_style(label)
        .axis_style(AXIS)
        .bold_line_style(GRID)
        .light_line_style(TRANSPARENT)
        .draw()?;
    chart.draw_series(bars.iter().enumerate().map(|(i, bar)| {
        #[allow(clippy::cast_precision_loss)]
        let x = i as f64;
        let (r, g, b) = bar.colour();
        Rectangle::new(
            [(x + 0.15, 0.0), (x + 0.85, bar.duration_ms / 1000.0)],
            RGBColor(r, g, b).filled(),
        )
    }))?;
    let (xs, ys) = chart.plotting_area().get_pixel_range();
    root.present()?;
    Ok(PlotRect {
        left: f64::from(xs.start),
        top: f64::from(ys.start),
        right: f64::from(xs.end),
        bottom: f64::from(ys.end),
    })
}
