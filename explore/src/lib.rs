//! Explore (Leptos, client-side rendered, a wasm of its own under `/explore`): the query
//! builder over `POST /api/query` with its charts drawn by plotters on canvases, the
//! comparison of a heatmap selection against the rest, a trace's waterfall, and an
//! attendee's check history as charts (embedded by the play page), and the
//! facilitator's console (`/facilitator`, made to be projected). `main.rs` only mounts
//! [`App`]; the page's shared parts (API helpers, contexts, routing) come from
//! `bulbwatch-app`, so they are the same code in both apps.

pub mod api;
pub mod app;
pub mod builder;
pub mod canvas;
pub mod charts;
pub mod compare_view;
pub mod console;
pub mod evidence;
pub mod pages;
pub mod query_url;
pub mod routing;
pub mod trace_lookup;
pub mod waterfall_view;

pub use app::App;
