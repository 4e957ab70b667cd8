//! The one error envelope every failing endpoint answers with.

use serde::{Deserialize, Serialize};

/// What kind of failure, as a closed set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The body was not valid JSON, or had the wrong shape.
    InvalidJson,
    /// The body was well-formed but a value is not acceptable.
    InvalidInput,
    /// The body is larger than the server reads.
    PayloadTooLarge,
    /// The request needs `Content-Type: application/json`.
    UnsupportedMediaType,
    /// No token, or a token the server does not know.
    Unauthorized,
    /// Known, but not allowed to do this (an attendee at a facilitator's control).
    Forbidden,
    /// Nothing at that path.
    NotFound,
    /// That path does not take this HTTP method.
    MethodNotAllowed,
    /// The bulb's queue is full; try again shortly.
    QueueFull,
    /// Too many requests from this attendee or address; `Retry-After` says when.
    RateLimited,
    /// Something broke on the server; the message says what.
    Internal,
    /// The request could not be read as HTTP (a malformed request line or header).
    BadRequest,
    /// The request's headers or body did not arrive in time.
    RequestTimeout,
    /// The URL is longer than the server reads.
    UriTooLong,
    /// Too many headers, or too many bytes of them.
    HeadersTooLarge,
    /// The server is at one of its own limits (connections, queries at once); try
    /// again shortly.
    Busy,
}

/// The error itself: a machine-readable code and a message for people.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// Kind of failure.
    pub code: ErrorCode,
    /// What was wrong and what to do about it.
    pub message: String,
}

/// The envelope: `{"error": {"code": "...", "message": "..."}}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    /// The error.
    pub error: ErrorBody,
}

impl ApiError {
    /// Builds an envelope from a code and a message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            error: ErrorBody {
                code,
                message: message.into(),
            },
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.error.message)
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_has_the_documented_shape() {
        let e = ApiError::new(ErrorCode::InvalidInput, "hue must be 0–65535, got 70000");
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"error": {"code": "invalid_input", "message": "hue must be 0–65535, got 70000"}})
        );
    }
}
