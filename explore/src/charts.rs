//! Chart components: a plotters drawing on a [`crate::canvas::PlotCanvas`] plus the HTML
//! around it (legend, hover values, colour scale, the markers' details).

pub mod bars_view;
pub mod heatmap_view;
pub mod marker_overlay;
pub mod series_view;

pub use bars_view::BarsView;
pub use heatmap_view::HeatmapView;
pub use marker_overlay::MarkerOverlay;
pub use series_view::SeriesView;
