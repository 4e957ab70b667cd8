//! Time ranges in query strings: `from` and `to`, ms since the Unix epoch.

use crate::error::AppError;
use crate::store::now_ms;

/// `from_ms..to_ms` (to exclusive) from optional query values: from the beginning of
/// time, up to and including now, unless given.
pub(super) fn time_range(from: Option<&str>, to: Option<&str>) -> Result<(i64, i64), AppError> {
    let parse = |name: &str, value: Option<&str>, default: i64| match value {
        None => Ok(default),
        Some(text) => text.trim().parse::<i64>().map_err(|_| {
            AppError::Invalid(format!(
                "`{name}` must be a time in ms since the Unix epoch, got {text:?}"
            ))
        }),
    };
    let from_ms = parse("from", from, 0)?;
    let to_ms = parse("to", to, now_ms() + 1)?;
    if from_ms < 0 {
        return Err(AppError::Invalid(format!(
            "`from` must not be negative, got {from_ms}"
        )));
    }
    if from_ms > to_ms {
        return Err(AppError::Invalid(format!(
            "`from` ({from_ms}) must not be after `to` ({to_ms})"
        )));
    }
    Ok((from_ms, to_ms))
}

/// A query string that did not parse, in the envelope.
pub(super) fn bad_query(rejection: &axum::extract::rejection::QueryRejection) -> AppError {
    AppError::Invalid(format!("bad query: {}", rejection.body_text()))
}
