//! An attendee's diagnosis: what they think is going on, with the query behind it.

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use bulbwatch_api::{DIAGNOSIS_MAX_CHARS, Diagnosis, EVIDENCE_MAX_BYTES, SubmitDiagnosis};

use crate::AppState;
use crate::auth::{CurrentAttendee, LimitedAttendee};
use crate::error::AppError;
use crate::extract::ApiJson;
use crate::limits::Diagnoses;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/diagnosis", get(mine).put(submit))
}

/// `GET /api/diagnosis`: mine, or 404 when none is in.
async fn mine(
    State(state): State<AppState>,
    CurrentAttendee(me): CurrentAttendee,
) -> Result<ApiJson<Diagnosis>, AppError> {
    state
        .store
        .diagnosis(me.id)
        .await?
        .map(ApiJson)
        .ok_or_else(|| AppError::NotFound("you have not submitted a diagnosis yet".into()))
}

/// `PUT /api/diagnosis`: submit or revise mine.
async fn submit(
    State(state): State<AppState>,
    LimitedAttendee(me, ..): LimitedAttendee<Diagnoses>,
    ApiJson(req): ApiJson<SubmitDiagnosis>,
) -> Result<ApiJson<Diagnosis>, AppError> {
    let text = req.text.trim().to_string();
    let chars = text.chars().count();
    if chars == 0 || chars > DIAGNOSIS_MAX_CHARS {
        return Err(AppError::Invalid(format!(
            "a diagnosis must be 1–{DIAGNOSIS_MAX_CHARS} characters, got {chars}"
        )));
    }
    let evidence = req
        .evidence
        .map(|e| e.trim().to_string())
        .filter(|e| !e.is_empty());
    if let Some(evidence) = &evidence {
        if evidence.len() > EVIDENCE_MAX_BYTES {
            return Err(AppError::Invalid(format!(
                "evidence must be at most {EVIDENCE_MAX_BYTES} bytes, got {}",
                evidence.len()
            )));
        }
        if !(evidence == "/explore"
            || evidence.starts_with("/explore?")
            || evidence.starts_with("/explore/"))
        {
            return Err(AppError::Invalid(format!(
                "evidence must be an Explore address (/explore?q=…), got {:?}",
                evidence.chars().take(40).collect::<String>()
            )));
        }
    }
    let diagnosis = state.store.submit_diagnosis(me, text, evidence).await?;
    Ok(ApiJson(diagnosis))
}
