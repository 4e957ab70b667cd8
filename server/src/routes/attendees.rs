//! Joining the room.

use std::net::SocketAddr;

use axum::Router;
use axum::extract::{ConnectInfo, State};
use axum::http::Extensions;
use axum::http::StatusCode;
use axum::http::header::SET_COOKIE;
use axum::response::IntoResponse;
use axum::routing::{delete, get, post};
use bulbwatch_api::{
    Attendee, JOIN_CODE_LEN, JoinRequest, Joined, NAME_MAX_CHARS, Role, TOKEN_COOKIE,
};
use cookie::{Cookie, SameSite};

use crate::AppState;
use crate::auth::{Caller, CurrentAttendee, Facilitator, new_token, token_hash};
use crate::error::AppError;
use crate::extract::{ApiJson, ApiPath};

/// How long the browser keeps the token cookie: a long workshop day and then some.
const COOKIE_MAX_AGE_DAYS: i64 = 30;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/attendees", post(join))
        .route("/attendees/me", get(me))
        .route("/attendees/{id}", delete(remove))
}

/// `POST /api/attendees`: join under a display name, with the room's join code
/// (the facilitator needs none). Joins are rate-limited per client address.
async fn join(
    State(state): State<AppState>,
    caller: Caller,
    extensions: Extensions,
    ApiJson(req): ApiJson<JoinRequest>,
) -> Result<impl IntoResponse, AppError> {
    let facilitator = caller.role == Role::Facilitator;
    if !facilitator {
        // Router tests have no connection: they count as loopback.
        let addr = extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(std::net::Ipv4Addr::LOCALHOST.into(), |c| c.0.ip());
        state.limits.check_join(addr)?;
    }
    let name = validate_name(&req.name)?;
    if !facilitator {
        match req.code.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            None => {
                return Err(AppError::Invalid(
                    "a join code is needed: it is on the projector, or in the join link (/join/CODE)"
                        .into(),
                ));
            }
            Some(code) if !state.room.accepts_join_code(code) => {
                return Err(AppError::Forbidden(format!(
                    "{code:?} is not this room's join code: check the code on the projector ({JOIN_CODE_LEN} letters)"
                )));
            }
            Some(_) => {}
        }
    }
    let attendee = Attendee {
        id: uuid::Uuid::new_v4().simple().to_string(),
        name,
    };
    let token = new_token()?;
    let hash = token_hash(&token);
    state
        .store
        .insert_attendee(attendee.clone(), hash.clone(), req.simulated)
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

/// `DELETE /api/attendees/{id}` (facilitator): remove an attendee from the room;
/// their token stops working at once (their runs and checks stay).
async fn remove(
    State(state): State<AppState>,
    _: Facilitator,
    ApiPath(id): ApiPath<String>,
) -> Result<StatusCode, AppError> {
    if !state.store.remove_attendee(id.clone()).await? {
        return Err(AppError::NotFound(format!("no attendee {id} in the room")));
    }
    state.attendees.forget(&id);
    tracing::info!(attendee = %id, "attendee removed");
    Ok(StatusCode::NO_CONTENT)
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
