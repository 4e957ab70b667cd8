//! The HTTP API, grouped by area.

mod attendees;
mod bulb;
mod checks;
mod diagnoses;
mod events;
mod facilitator;
mod instrumentation;
mod live;
mod markers;
mod query;
mod range;
mod room;
mod runs;
mod traces;

use axum::Router;
use axum::extract::OriginalUri;
use axum::http::Method;

pub use facilitator::facilitator_login;

use crate::AppState;
use crate::error::AppError;

/// Every `/api` route, with envelope answers for unknown paths and methods.
pub fn api() -> Router<AppState> {
    Router::new()
        .merge(attendees::routes())
        .merge(bulb::routes())
        .merge(checks::routes())
        .merge(diagnoses::routes())
        .merge(events::routes())
        .merge(instrumentation::routes())
        .merge(live::routes())
        .merge(markers::routes())
        .merge(query::routes())
        .merge(room::routes())
        .merge(runs::routes())
        .merge(traces::routes())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
}

async fn not_found(OriginalUri(uri): OriginalUri) -> AppError {
    AppError::NotFound(format!("no API endpoint at {}", uri.path()))
}

async fn method_not_allowed(method: Method, OriginalUri(uri): OriginalUri) -> AppError {
    AppError::MethodNotAllowed(format!("{} does not take {method}", uri.path()))
}
