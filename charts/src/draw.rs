//! Drawing the models with plotters, on any backend: a canvas in the page, SVG in tests.
//! Everything is in device pixels, scaled by [`crate::theme::Theme`]; each function
//! returns the plotting area so hit tests use the same geometry.

pub mod axes;
pub mod bars;
pub mod compare;
pub mod heatmap;
pub mod run_durations;
pub mod series;
pub mod waterfall;

pub use bars::draw_bars;
pub use compare::draw_compare;
pub use heatmap::{draw_heatmap, heatmap_rect};
pub use run_durations::draw_run_durations;
pub use series::{draw_series, series_rect};
pub use waterfall::draw_waterfall;

use plotters::drawing::DrawingAreaErrorKind;

/// Drawing failed (the backend refused something).
#[derive(Debug, Clone, PartialEq)]
pub struct DrawError(pub String);

impl std::fmt::Display for DrawError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "drawing failed: {}", self.0)
    }
}

impl std::error::Error for DrawError {}

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for DrawError {
    fn from(e: DrawingAreaErrorKind<E>) -> Self {
        DrawError(e.to_string())
    }
}
