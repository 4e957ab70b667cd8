//! Joining the room.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::SET_COOKIE;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use bulbwatch_api::{Attendee, JoinRequest, Joined, NAME_MAX_CHARS, TOKEN_COOKIE};
use cookie::{Cookie, SameSite};

use crate::AppState;
use crate::auth::{CurrentAttendee, new_token, token_hash};
use crate::error::AppError;
use crate::extract::ApiJson;

/// How long the browser keeps the token cookie: a long workshop day and then some.
const COOKIE_MAX_AGE_DAYS: i64 = 30;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/attendees", post(join))
        .route("/attendees/me", get(me))
}

/// `POST /api/attendees`: join under a display name.
async fn join(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<JoinRequest>,
) -> Result<impl IntoResponse, AppError> {
    let name = validate_name(&req.name)?;
    let attendee = Attendee {
        id: uuid::Uuid::new_v4().simple().to_string(),
        name,
    };
    let token = new_token()?;
    let hash = token_hash(&token);
    state
        .store
        .insert_attendee(attendee.clone(), hash.clone())
        .await?;
    state.attendees.insert(hash, attendee.clone());
    tracing::info!(attendee = %attendee.id, "attendee joined");
    let cookie = Cookie::build((TOKEN_COOKIE, token.clone()))
        .http_only(true)
        .same_site(SameSite::Strict)
        .path("/")
        .max_age(cookie::time::Duration::days(COOKIE_MAX_AGE_DAYS))
        .build();
    Ok((
        StatusCode::CREATED,
        [(SET_COOKIE, cookie.to_string())],
        ApiJson(Joined { attendee, token }),
    ))
}

/// `GET /api/attendees/me`: who the token belongs to.
async fn me(CurrentAttendee(attendee): CurrentAttendee) -> ApiJson<Attendee> {
    ApiJson(attendee)
}

/// Trims and checks a display name: 1–40 characters, no control characters.
fn validate_name(raw: &str) -> Result<String, AppError> {
    let name = raw.trim();
    let chars = name.chars().count();
    if chars == 0 {
        return Err(AppError::Invalid("name must not be empty".into()));
    }
    if chars > NAME_MAX_CHARS {
        return Err(AppError::Invalid(format!(
            "name must be at most {NAME_MAX_CHARS} characters, got {chars}"
        )));
    }
    if name.chars().any(char::is_control) {
        return Err(AppError::Invalid(
            "name must not contain control characters (newlines, tabs, …)".into(),
        ));
    }
    Ok(name.to_string())
}

#[cfg(test)]
mod tests {
    use super::validate_name;

    #[test]
    fn names_are_trimmed_and_bounded_in_characters() {
        assert_eq!(validate_name("  Ada  ").unwrap(), "Ada");
        assert_eq!(validate_name("Łukasz 李").unwrap(), "Łukasz 李");
        assert!(validate_name("   ").is_err());
        assert!(validate_name(&"é".repeat(40)).is_ok());
        assert!(validate_name(&"é".repeat(41)).is_err());
        assert!(validate_name("a\nb").is_err());
    }
}
