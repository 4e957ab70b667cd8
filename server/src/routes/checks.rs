//! Saved checks: mine (with versions), and others' through share links.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use bulbwatch_api::{
    CHECK_NAME_MAX_CHARS, CHECK_SOURCE_MAX_BYTES, CheckSummary, CheckVersion, SaveCheck,
    SavedCheck, SharedCheck,
};

use crate::AppState;
use crate::auth::{CurrentAttendee, LimitedAttendee};
use crate::error::AppError;
use crate::extract::{ApiJson, ApiPath};
use crate::limits::Saves;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/checks", get(list).post(create))
        .route("/checks/{id}", get(latest).put(update))
        .route("/checks/{id}/versions", get(versions))
        .route("/checks/{id}/versions/{version}", get(at_version))
        .route("/shared/{share_id}", get(shared))
        .route("/shared/{share_id}/fork", post(fork))
}

fn not_found(id: &str) -> AppError {
    AppError::NotFound(format!("you have no check {id}"))
}

/// Checks a name and source before saving; trims the name.
fn validate(mut check: SaveCheck) -> Result<SaveCheck, AppError> {
    check.name = check.name.trim().to_string();
    let chars = check.name.chars().count();
    if chars == 0 || chars > CHECK_NAME_MAX_CHARS {
        return Err(AppError::Invalid(format!(
            "check name must be 1–{CHECK_NAME_MAX_CHARS} characters, got {chars}"
        )));
    }
    if check.source.len() > CHECK_SOURCE_MAX_BYTES {
        return Err(AppError::Invalid(format!(
            "check source must be at most {} KB, got {} bytes",
            CHECK_SOURCE_MAX_BYTES / 1024,
            check.source.len()
        )));
    }
    Ok(check)
}

async fn list(
    State(state): State<AppState>,
    CurrentAttendee(me): CurrentAttendee,
) -> Result<ApiJson<Vec<CheckSummary>>, AppError> {
    Ok(ApiJson(state.store.list_checks(me.id).await?))
}

async fn create(
    State(state): State<AppState>,
    LimitedAttendee(me, ..): LimitedAttendee<Saves>,
    ApiJson(check): ApiJson<SaveCheck>,
) -> Result<(StatusCode, ApiJson<SavedCheck>), AppError> {
    let saved = state.store.create_check(me.id, validate(check)?).await?;
    Ok((StatusCode::CREATED, ApiJson(saved)))
}

async fn latest(
    State(state): State<AppState>,
    CurrentAttendee(me): CurrentAttendee,
    ApiPath(id): ApiPath<String>,
) -> Result<ApiJson<SavedCheck>, AppError> {
    let check = state.store.check(me.id, id.clone(), None).await?;
    check.map(ApiJson).ok_or_else(|| not_found(&id))
}

async fn update(
    State(state): State<AppState>,
    LimitedAttendee(me, ..): LimitedAttendee<Saves>,
    ApiPath(id): ApiPath<String>,
    ApiJson(check): ApiJson<SaveCheck>,
) -> Result<ApiJson<SavedCheck>, AppError> {
    let saved = state
        .store
        .update_check(me.id, id.clone(), validate(check)?)
        .await?;
    saved.map(ApiJson).ok_or_else(|| not_found(&id))
}

async fn versions(
    State(state): State<AppState>,
    CurrentAttendee(me): CurrentAttendee,
    ApiPath(id): ApiPath<String>,
) -> Result<ApiJson<Vec<CheckVersion>>, AppError> {
    let versions = state.store.check_versions(me.id, id.clone()).await?;
    versions.map(ApiJson).ok_or_else(|| not_found(&id))
}

async fn at_version(
    State(state): State<AppState>,
    CurrentAttendee(me): CurrentAttendee,
    ApiPath((id, version)): ApiPath<(String, u32)>,
) -> Result<ApiJson<SavedCheck>, AppError> {
    let check = state.store.check(me.id, id.clone(), Some(version)).await?;
    check
        .map(ApiJson)
        .ok_or_else(|| AppError::NotFound(format!("your check {id} has no version {version}")))
}

async fn shared(
    State(state): State<AppState>,
    CurrentAttendee(_): CurrentAttendee,
    ApiPath(share_id): ApiPath<String>,
) -> Result<ApiJson<SharedCheck>, AppError> {
    let shared = state.store.shared_check(share_id).await?;
    shared
        .map(ApiJson)
        .ok_or_else(|| AppError::NotFound("no check is shared under this link".into()))
}

async fn fork(
    State(state): State<AppState>,
    LimitedAttendee(me, ..): LimitedAttendee<Saves>,
    ApiPath(share_id): ApiPath<String>,
) -> Result<(StatusCode, ApiJson<SavedCheck>), AppError> {
    let forked = state.store.fork_check(me.id, share_id).await?;
    let forked =
        forked.ok_or_else(|| AppError::NotFound("no check is shared under this link".into()))?;
    Ok((StatusCode::CREATED, ApiJson(forked)))
}
