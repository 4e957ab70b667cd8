//! Instrumentation points: list them, switch one on or off.

use bulbwatch_api::{InstrumentationPoint, SetPoint};
use gloo_net::http::Request;

use super::{ApiFailure, segment, send};

/// `GET /api/instrumentation/points`: every point, in the catalogue's order.
pub async fn points() -> Result<Vec<InstrumentationPoint>, ApiFailure> {
    send(
        "loading the instrumentation points",
        Request::get("/api/instrumentation/points").build(),
    )
    .await
}

/// `PUT /api/instrumentation/points/{id}`: switch a point on or off for the room;
/// answers the point as it is now.
pub async fn set_point(id: &str, on: bool) -> Result<InstrumentationPoint, ApiFailure> {
    let url = format!("/api/instrumentation/points/{}", segment(id));
    send(
        "switching the instrumentation point",
        Request::put(&url).json(&SetPoint { on }),
    )
    .await
}
