//! Recording check runs and reading them back.

use axum::Router;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use bulbwatch_api::{CHECK_NAME_MAX_CHARS, RecordRun, RunDetail, RunSummary};
use serde::Deserialize;

use crate::AppState;
use crate::auth::{CurrentAttendee, LimitedAttendee, RoomMember};
use crate::error::AppError;
use crate::extract::{ApiJson, ApiPath};
use crate::limits::Runs;
use crate::store::{NewRun, now_ms};

mod report;

/// Most runs one history request returns.
const HISTORY_MAX: u32 = 200;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/runs",
            get(history)
                .post(record)
                .layer(DefaultBodyLimit::max(crate::extract::body_limit(
                    "/api/runs",
                ))),
        )
        .route("/runs/{run_id}", get(detail))
}

/// `POST /api/runs`: record a finished run as the caller (never as anyone else:
/// the attendee comes from the token, and the body has no attendee field).
async fn record(
    State(state): State<AppState>,
    LimitedAttendee(me, ..): LimitedAttendee<Runs>,
    ApiJson(run): ApiJson<RecordRun>,
) -> Result<(StatusCode, ApiJson<RunSummary>), AppError> {
    let check_name = run.check_name.trim().to_string();
    let chars = check_name.chars().count();
    if chars == 0 || chars > CHECK_NAME_MAX_CHARS {
        return Err(AppError::Invalid(format!(
            "check_name must be 1–{CHECK_NAME_MAX_CHARS} characters, got {chars}"
        )));
    }
    report::check(&run.report)?;
    let duration = run.report.duration_ms;
    if !(0.0..=3_600_000.0).contains(&duration) {
        return Err(AppError::Invalid(format!(
            "report.duration_ms must be 0–3600000, got {duration}"
        )));
    }
    if let Some(id) = &run.check_id
        && state
            .store
            .check(me.id.clone(), id.clone(), None)
            .await?
            .is_none()
    {
        return Err(AppError::Invalid(format!(
            "check_id {id} is not one of your checks"
        )));
    }
    // Recorded in SQLite and in memory; the oldest runs beyond the cap are trimmed.
    let summary = state
        .events
        .record_run(NewRun {
            run_id: uuid::Uuid::new_v4().simple().to_string(),
            attendee: me,
            check_id: run.check_id,
            check_name,
            // The server's clock, so runs from skewed laptops still line up.
            started_at_ms: now_ms() - duration as i64,
            report: run.report,
            scheduled: run.scheduled,
        })
        .await?;
    Ok((StatusCode::CREATED, ApiJson(summary)))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct HistoryQuery {
    check_id: Option<String>,
    limit: Option<u32>,
}

/// `GET /api/runs?check_id=…&limit=…`: my recent runs, newest first.
async fn history(
    State(state): State<AppState>,
    CurrentAttendee(me): CurrentAttendee,
    query: Result<Query<HistoryQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<ApiJson<Vec<RunSummary>>, AppError> {
    let Query(query) =
        query.map_err(|e| AppError::Invalid(format!("bad query: {}", e.body_text())))?;
    let limit = query.limit.unwrap_or(50);
    if !(1..=HISTORY_MAX).contains(&limit) {
        return Err(AppError::Invalid(format!(
            "limit must be 1–{HISTORY_MAX}, got {limit}"
        )));
    }
    Ok(ApiJson(
        state
            .store
            .recent_runs(me.id, query.check_id, limit)
            .await?,
    ))
}

/// `GET /api/runs/{run_id}`: one run and its report (any joined attendee may look).
async fn detail(
    State(state): State<AppState>,
    _: RoomMember,
    ApiPath(run_id): ApiPath<String>,
) -> Result<ApiJson<RunDetail>, AppError> {
    let run = state.store.run(run_id.clone()).await?;
    run.map(ApiJson)
        .ok_or_else(|| AppError::NotFound(format!("no run {run_id}")))
}
