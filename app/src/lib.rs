//! The Bulbwatch page (Leptos, client-side rendered): join the room, watch the bulb live,
//! ask for colours, write and run checks. `main.rs` only mounts [`App`]; everything else
//! lives here so that tests can mount single components.
//!
//! The check worker (`bin/check_worker.rs`) is a second binary of this crate: it calls
//! [`worker::start`], the only way into the check engine, so the page's own wasm does
//! not carry the engine.

pub mod api;
pub mod app;
pub mod bulb_stream;
pub mod check_runner;
pub mod checks;
pub mod components;
pub mod console;
pub mod contexts;
pub mod display;
pub mod markup;
pub mod pages;
pub mod room_view;
pub mod routing;
pub mod runs_channel;
pub mod shards;
pub mod worker;

pub use app::App;
