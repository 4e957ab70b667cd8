//! Chart components: a plotters drawing on a [`crate::canvas::PlotCanvas`] plus the HTML
//! around it (legend, hover values, colour scale).

pub mod bars_view;
pub mod heatmap_view;
pub mod series_view;

pub use bars_view::BarsView;
pub use heatmap_view::HeatmapView;
pub use series_view::SeriesView;
