//! Recorded check runs.

use bulbwatch_api::{RecordRun, RunDetail, RunSummary};
use gloo_net::http::Request;

use super::{ApiFailure, segment, send};

/// `POST /api/runs`: record a finished run as me.
pub async fn record(run: &RecordRun) -> Result<RunSummary, ApiFailure> {
    send("recording the run", Request::post("/api/runs").json(run)).await
}

/// `GET /api/runs?check_id=…&limit=…`: my recent runs of a check, newest first.
pub async fn history(check_id: &str, limit: u32) -> Result<Vec<RunSummary>, ApiFailure> {
    let url = format!("/api/runs?check_id={}&limit={limit}", segment(check_id));
    send("loading the run history", Request::get(&url).build()).await
}

/// `GET /api/runs?limit=50`: my latest 50 runs of any check, newest first.
pub async fn mine() -> Result<Vec<RunSummary>, ApiFailure> {
    send(
        "loading your runs",
        Request::get("/api/runs?limit=50").build(),
    )
    .await
}

/// `GET /api/runs/{run_id}`: one run with its whole report.
pub async fn detail(run_id: &str) -> Result<RunDetail, ApiFailure> {
    let url = format!("/api/runs/{}", segment(run_id));
    send("opening the run", Request::get(&url).build()).await
}
