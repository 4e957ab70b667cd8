//! The server's one error type and how it becomes the wire envelope.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use bulbwatch_api::{ApiError, ErrorCode};

/// Everything a handler can fail with; each maps to a status and the JSON envelope.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The client sent something unacceptable (400).
    #[error("{0}")]
    Invalid(String),
    /// The body could not be parsed as the expected JSON (400).
    #[error("{0}")]
    InvalidJson(String),
    /// The body is larger than the server reads (413).
    #[error("{0}")]
    PayloadTooLarge(String),
    /// Wrong or missing content type (415).
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// Not joined, or the token is unknown (401).
    #[error("{0}")]
    Unauthorized(String),
    /// Known, but not allowed to do this (403).
    #[error("{0}")]
    Forbidden(String),
    /// Over a rate limit (429, with `Retry-After`).
    #[error("{message}")]
    RateLimited {
        /// What, and when to try again.
        message: String,
        /// Seconds until a retry can pass.
        retry_after_s: u64,
    },
    /// Nothing here (404).
    #[error("{0}")]
    NotFound(String),
    /// Method not allowed on this path (405).
    #[error("{0}")]
    MethodNotAllowed(String),
    /// The bulb's queue is full (503).
    #[error("{0}")]
    QueueFull(String),
    /// The body did not arrive in time (408).
    #[error("{0}")]
    RequestTimeout(String),
    /// The server is at a limit of its own, e.g. queries at once (503, retry soon).
    #[error("{0}")]
    Busy(String),
    /// A failure inside the server (500); the message is logged and returned.
    #[error("{0}")]
    Internal(String),
}

impl AppError {
    /// Wraps an internal failure with what was being done.
    pub fn internal(doing: &str, err: impl std::fmt::Display) -> Self {
        Self::Internal(format!("{doing}: {err}"))
    }

    fn status_and_code(&self) -> (StatusCode, ErrorCode) {
        match self {
            Self::Invalid(_) => (StatusCode::BAD_REQUEST, ErrorCode::InvalidInput),
            Self::InvalidJson(_) => (StatusCode::BAD_REQUEST, ErrorCode::InvalidJson),
            Self::PayloadTooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::PayloadTooLarge),
            Self::UnsupportedMediaType(_) => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ErrorCode::UnsupportedMediaType,
            ),
            Self::Unauthorized(_) => (StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized),
            Self::Forbidden(_) => (StatusCode::FORBIDDEN, ErrorCode::Forbidden),
            Self::RateLimited { .. } => (StatusCode::TOO_MANY_REQUESTS, ErrorCode::RateLimited),
            Self::NotFound(_) => (StatusCode::NOT_FOUND, ErrorCode::NotFound),
            Self::MethodNotAllowed(_) => {
                (StatusCode::METHOD_NOT_ALLOWED, ErrorCode::MethodNotAllowed)
            }
            Self::QueueFull(_) => (StatusCode::SERVICE_UNAVAILABLE, ErrorCode::QueueFull),
            Self::RequestTimeout(_) => (StatusCode::REQUEST_TIMEOUT, ErrorCode::RequestTimeout),
            Self::Busy(_) => (StatusCode::SERVICE_UNAVAILABLE, ErrorCode::Busy),
            Self::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        if matches!(self, Self::Internal(_)) {
            tracing::error!(error = %self, "request failed");
        }
        let retry_after = match &self {
            Self::RateLimited { retry_after_s, .. } => Some(retry_after_s.to_string()),
            Self::Busy(_) => Some("1".to_string()),
            _ => None,
        };
        let mut response =
            (status, axum::Json(ApiError::new(code, self.to_string()))).into_response();
        if let Some(seconds) = retry_after
            && let Ok(value) = axum::http::HeaderValue::from_str(&seconds)
        {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, value);
        }
        response
    }
}
