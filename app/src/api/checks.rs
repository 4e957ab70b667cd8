//! Saved checks: mine (with versions) and others' through share links.

use bulbwatch_api::{CheckSummary, CheckVersion, SaveCheck, SavedCheck, SharedCheck};
use gloo_net::http::Request;

use super::{ApiFailure, segment, send};

/// `GET /api/checks`: my checks.
pub async fn list() -> Result<Vec<CheckSummary>, ApiFailure> {
    send("listing your checks", Request::get("/api/checks").build()).await
}

/// `POST /api/checks`: save a new check (version 1).
pub async fn create(check: &SaveCheck) -> Result<SavedCheck, ApiFailure> {
    send(
        "saving a new check",
        Request::post("/api/checks").json(check),
    )
    .await
}

/// `GET /api/checks/{id}`: one of my checks at its latest version.
pub async fn get(id: &str) -> Result<SavedCheck, ApiFailure> {
    let url = format!("/api/checks/{}", segment(id));
    send("opening your check", Request::get(&url).build()).await
}

/// `PUT /api/checks/{id}`: save; a new version only when the source changed.
pub async fn update(id: &str, check: &SaveCheck) -> Result<SavedCheck, ApiFailure> {
    let url = format!("/api/checks/{}", segment(id));
    send("saving your check", Request::put(&url).json(check)).await
}

/// `GET /api/checks/{id}/versions`: every version of one of my checks.
pub async fn versions(id: &str) -> Result<Vec<CheckVersion>, ApiFailure> {
    let url = format!("/api/checks/{}/versions", segment(id));
    send("listing the check's versions", Request::get(&url).build()).await
}

/// `GET /api/checks/{id}/versions/{version}`: an old version.
pub async fn version(id: &str, version: u32) -> Result<SavedCheck, ApiFailure> {
    let url = format!("/api/checks/{}/versions/{version}", segment(id));
    send("opening an old version", Request::get(&url).build()).await
}

/// `GET /api/shared/{share_id}`: a read-only copy of someone's check.
pub async fn shared(share_id: &str) -> Result<SharedCheck, ApiFailure> {
    let url = format!("/api/shared/{}", segment(share_id));
    send("opening the shared check", Request::get(&url).build()).await
}

/// `POST /api/shared/{share_id}/fork`: copy a shared check into my checks.
pub async fn fork(share_id: &str) -> Result<SavedCheck, ApiFailure> {
    let url = format!("/api/shared/{}/fork", segment(share_id));
    send("forking the check", Request::post(&url).build()).await
}
