//! Explore's charts. The models — scales, ticks, bins, colour scales, legends, the
//! layout of a trace's waterfall, what a pixel under the pointer means — are plain Rust,
//! tested natively; `draw` turns a model into pixels with plotters on any backend (a
//! canvas in the page, SVG in tests).

pub mod bars;
pub mod colour_scale;
pub mod compare;
pub mod draw;
pub mod group_colours;
pub mod heatmap;
pub mod markers;
pub mod pass_rate;
pub mod plot_rect;
pub mod run_durations;
pub mod scale;
pub mod series;
pub mod theme;
pub mod ticks;
pub mod waterfall;
