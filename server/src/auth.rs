//! Who is asking: attendee tokens (HttpOnly cookie or bearer header), minted at join.
//!
//! Only a SHA-256 of each token is stored, so the database alone cannot be used to
//! act as an attendee.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use axum::extract::FromRequestParts;
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::request::Parts;
use bulbwatch_api::{Attendee, TOKEN_COOKIE};
use cookie::Cookie;
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::error::AppError;

/// Attendees already seen, by token hash, so a busy room does not read the
/// database on every request. Tokens are never revoked, so it never goes stale.
#[derive(Clone, Default)]
pub struct AttendeeCache {
    by_token_hash: Arc<RwLock<HashMap<String, Attendee>>>,
}

impl AttendeeCache {
    fn get(&self, token_hash: &str) -> Option<Attendee> {
        self.by_token_hash
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(token_hash)
            .cloned()
    }

    /// Remembers an attendee under their token hash.
    pub fn insert(&self, token_hash: String, attendee: Attendee) {
        self.by_token_hash
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(token_hash, attendee);
    }
}

/// A fresh unguessable token: 256 random bits, hex.
pub fn new_token() -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| AppError::internal("making a token", e))?;
    Ok(hex::encode(bytes))
}

/// The stored form of a token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The attendee making the request; rejects with 401 if there is none.
#[derive(Clone, Debug)]
pub struct CurrentAttendee(pub Attendee);

impl FromRequestParts<AppState> for CurrentAttendee {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let token = token_from(parts).ok_or_else(|| {
            AppError::Unauthorized(
                "join the room first: POST /api/attendees with {\"name\": \"…\"}, then send the token as a cookie or `Authorization: Bearer <token>`".into(),
            )
        })?;
        let hash = token_hash(&token);
        if let Some(attendee) = state.attendees.get(&hash) {
            return Ok(Self(attendee));
        }
        match state.store.attendee_by_token_hash(hash.clone()).await? {
            Some(attendee) => {
                state.attendees.insert(hash, attendee.clone());
                Ok(Self(attendee))
            }
            None => Err(AppError::Unauthorized(
                "this token is not one the room gave out; join again".into(),
            )),
        }
    }
}

/// The bearer token, else the cookie.
fn token_from(parts: &Parts) -> Option<String> {
    if let Some(value) = parts.headers.get(AUTHORIZATION) {
        let value = value.to_str().ok()?;
        return value
            .strip_prefix("Bearer ")
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty());
    }
    parts
        .headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == TOKEN_COOKIE)
        .map(|c| c.value().to_string())
        .filter(|t| !t.is_empty())
}
