//! Explore's pages, one per route.

pub mod console;
pub mod explore;
pub mod heatmap_bench;
pub mod history;
pub mod trace;

pub use console::ConsolePage;
pub use explore::ExplorePage;
pub use heatmap_bench::HeatmapBenchPage;
pub use history::HistoryPage;
pub use trace::TracePage;
