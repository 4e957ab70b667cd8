//! The room as an attendee sees it: its phase, switches and reveal; my diagnosis; and
//! who the server takes this browser for. The facilitator's own calls live with the
//! console, in Explore's wasm.

use bulbwatch_api::{Diagnosis, ErrorCode, RoomState, SubmitDiagnosis, WhoAmI};
use gloo_net::http::Request;

use super::{ApiFailure, send};

/// `GET /api/room`: the phase, the switches and the reveal (the console reads it for
/// the switches; the pages take the room from the live stream).
pub async fn state() -> Result<RoomState, ApiFailure> {
    send("reading the room", Request::get("/api/room").build()).await
}

/// `GET /api/room/role`: anonymous, attendee or facilitator.
pub async fn role() -> Result<WhoAmI, ApiFailure> {
    send("asking who you are", Request::get("/api/room/role").build()).await
}

/// `GET /api/diagnosis`: my diagnosis, `Ok(None)` when I have not submitted one.
pub async fn my_diagnosis() -> Result<Option<Diagnosis>, ApiFailure> {
    match send(
        "reading your diagnosis",
        Request::get("/api/diagnosis").build(),
    )
    .await
    {
        Ok(diagnosis) => Ok(Some(diagnosis)),
        Err(failure) if failure.code == Some(ErrorCode::NotFound) => Ok(None),
        Err(failure) => Err(failure),
    }
}

/// `PUT /api/diagnosis`: submit or revise my diagnosis.
pub async fn submit_diagnosis(diagnosis: &SubmitDiagnosis) -> Result<Diagnosis, ApiFailure> {
    send(
        "submitting your diagnosis",
        Request::put("/api/diagnosis").json(diagnosis),
    )
    .await
}
