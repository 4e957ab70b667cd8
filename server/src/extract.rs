//! `ApiJson`: axum's JSON extractor, with every rejection in the error envelope.

use std::time::Duration;

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::AppError;
use crate::serve::{BodyTimeout, DEFAULT_BODY_TIMEOUT_S};

/// JSON body in, JSON body out; malformed bodies get the one error envelope.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let timeout = req
            .extensions()
            .get::<BodyTimeout>()
            .copied()
            .unwrap_or(BodyTimeout(Duration::from_secs(DEFAULT_BODY_TIMEOUT_S)))
            .0;
        match tokio::time::timeout(timeout, axum::Json::<T>::from_request(req, state)).await {
            Ok(Ok(axum::Json(value))) => Ok(Self(value)),
            Ok(Err(rejection)) => Err(rejection_to_error(&rejection)),
            Err(_) => Err(AppError::RequestTimeout(format!(
                "the request's body did not all arrive within {} s",
                timeout.as_secs_f64()
            ))),
        }
    }
}

fn rejection_to_error(rejection: &JsonRejection) -> AppError {
    match rejection {
        JsonRejection::MissingJsonContentType(_) => AppError::UnsupportedMediaType(
            "send the body as JSON with `Content-Type: application/json`".into(),
        ),
        JsonRejection::JsonSyntaxError(e) => {
            AppError::InvalidJson(format!("body is not valid JSON: {}", e.body_text_inner()))
        }
        JsonRejection::JsonDataError(e) => {
            AppError::InvalidJson(format!("body has the wrong shape: {}", e.body_text_inner()))
        }
        other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => too_large(),
        other => AppError::InvalidJson(format!("could not read the body: {}", other.body_text())),
    }
}

/// Strips axum's "Failed to deserialize the JSON body into the target type: " prefix.
trait InnerText {
    fn body_text_inner(&self) -> String;
}

impl<E: std::error::Error> InnerText for E {
    fn body_text_inner(&self) -> String {
        let mut source: &dyn std::error::Error = self;
        while let Some(next) = source.source() {
            source = next;
        }
        source.to_string()
    }
}

impl<T: Serialize> IntoResponse for ApiJson<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// axum's `Path`, with a bad path segment answered in the error envelope.
#[derive(Debug, axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(AppError))]
pub struct ApiPath<T>(pub T);

impl From<axum::extract::rejection::PathRejection> for AppError {
    fn from(rejection: axum::extract::rejection::PathRejection) -> Self {
        Self::Invalid(format!("bad path: {}", rejection.body_text()))
    }
}

/// The 413 for a body over its route's limit.
fn too_large() -> AppError {
    AppError::PayloadTooLarge(format!(
        "body is too large: at most {} KB ({} KB for run reports)",
        bulbwatch_api::MAX_BODY_BYTES / 1024,
        bulbwatch_api::MAX_RUN_BODY_BYTES / 1024
    ))
}

/// The most bytes of body a request to `path` may send.
pub fn body_limit(path: &str) -> usize {
    if path == "/api/runs" {
        bulbwatch_api::MAX_RUN_BODY_BYTES
    } else {
        bulbwatch_api::MAX_BODY_BYTES
    }
}

/// Refuses at once a request whose `Content-Length` is over its route's limit (413),
/// instead of waiting for a body that may never come.
pub async fn refuse_oversized_body(req: Request, next: axum::middleware::Next) -> Response {
    let declared = req
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    match declared {
        Some(n) if n > body_limit(req.uri().path()) as u64 => too_large().into_response(),
        _ => next.run(req).await,
    }
}
