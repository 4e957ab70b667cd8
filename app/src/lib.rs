//! The Bulbwatch page (Leptos, client-side rendered): join the room, watch the bulb live,
//! ask for colours. `main.rs` only mounts [`App`]; everything else lives here so that
//! tests can mount single components.

pub mod api;
pub mod app;
pub mod bulb_stream;
pub mod components;
pub mod contexts;
pub mod display;
pub mod pages;

pub use app::App;
