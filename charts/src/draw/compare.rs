//! One attribute of a comparison as paired bars: per value (a row each, the most
//! different on top), the selection's share above the baseline's, both on one scale,
//! with the two percentages at the end.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::compare::{AttributeBars, BASELINE_COLOUR, SELECTION_COLOUR, percent};
use crate::draw::DrawError;
use crate::draw::axes::{
    Margins, bar, clear, layout, left_axis, line, row_band, stroke, text, text_style,
};
use crate::plot_rect::PlotRect;
use crate::theme::{GRID, LABEL_TEXT_CSS, MUTED, TEXT, Theme};

/// Height of a value's row, CSS px (the view lines its buttons up with it).
pub const VALUE_ROW_CSS: f64 = 30.0;

/// The canvas height, CSS px, for an attribute's values.
pub fn compare_height(attribute: &AttributeBars) -> u32 {
    (VALUE_ROW_CSS * attribute.values.len().max(1) as f64).round() as u32
}

/// Draws `attribute`'s values over the whole backend, the row `hovered` lit. The
/// returned area spans the rows.
pub fn draw_compare<DB: DrawingBackend>(
    backend: DB,
    attribute: &AttributeBars,
    hovered: Option<usize>,
    theme: &Theme,
) -> Result<PlotRect, DrawError> {
    let area = backend.into_drawing_area();
    clear(&area)?;
    let (w, _) = area.dim_in_pixel();
    let rect = layout(
        area.dim_in_pixel(),
        Margins {
            left: 4.0,
            top: 0.0,
            right: 140.0,
            bottom: 0.0,
        },
        theme,
    );
    let n = attribute.values.len().max(1) as f64;
    let row_h = rect.height() / n;
    let max = attribute.max_share().max(0.01);
    let x_of = |share: f64| rect.left + share.clamp(0.0, 1.0) / max * rect.width();
    let thick = (row_h * 0.3).max(2.0);
    let selection = RGBColor(SELECTION_COLOUR.0, SELECTION_COLOUR.1, SELECTION_COLOUR.2);
    let baseline = RGBColor(BASELINE_COLOUR.0, BASELINE_COLOUR.1, BASELINE_COLOUR.2);
    let strong = text_style(
        theme,
        LABEL_TEXT_CSS,
        TEXT,
        Pos::new(HPos::Right, VPos::Center),
    );
    let quiet = text_style(
        theme,
        LABEL_TEXT_CSS,
        MUTED,
        Pos::new(HPos::Right, VPos::Center),
    );
    // Room for "0.25%" in each column.
    let (text_sel, text_base) = (
        f64::from(w) - f64::from(theme.px(70.0)),
        f64::from(w) - f64::from(theme.px(6.0)),
    );

    for (k, v) in attribute.values.iter().enumerate() {
        let top = rect.top + row_h * k as f64;
        let mid = top + row_h / 2.0;
        if hovered == Some(k) {
            row_band(&area, w, (top, row_h), GRID.filled())?;
        }
        let gap = f64::from(theme.px(1.0));
        bar(
            &area,
            (rect.left, x_of(v.selection_share)),
            (mid - gap - thick, mid - gap),
            selection,
        )?;
        bar(
            &area,
            (rect.left, x_of(v.baseline_share)),
            (mid + gap, mid + gap + thick),
            baseline,
        )?;
        text(&area, &percent(v.selection_share), (text_sel, mid), &strong)?;
        text(&area, &percent(v.baseline_share), (text_base, mid), &quiet)?;
        if k > 0 {
            line(
                &area,
                (0.0, top),
                (f64::from(w), top),
                stroke(theme, GRID.to_rgba(), 1.0),
            )?;
        }
    }
    left_axis(&area, &rect, theme)?;
    area.present()?;
    Ok(rect)
}
