//! Bulbwatch's server: the bulb service (the system under test), attendees, live
//! updates, checks and runs, instrumentation and the event store, and the built app,
//! behind one axum router.

pub mod app_state;
pub mod auth;
pub mod bulb;
pub mod check_cli;
pub mod cli;
pub mod colour;
pub mod config;
pub mod error;
pub mod events;
pub mod extract;
pub mod hue;
pub mod instrumentation;
pub mod limits;
pub mod live_feed;
pub mod query_gate;
pub mod rehearsal;
pub mod room;
pub mod routes;
pub mod scenarios;
pub mod security_headers;
pub mod serve;
pub mod startup;
pub mod static_files;
pub mod store;
pub mod telemetry;
pub mod traces;

pub use app_state::AppState;
pub use startup::{Application, Settings, app};
pub use telemetry::TelemetrySettings;
