//! Who is asking, decided here and nowhere else: attendee tokens (HttpOnly cookie or
//! bearer header, minted at join), the facilitator's secret (its own HttpOnly cookie,
//! or the bearer header), and the rules built on them. Handlers take one of the
//! extractors below; the README's authorization table lists which.
//!
//! Only a SHA-256 of each attendee token is stored, so the database alone cannot be
//! used to act as an attendee.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, RwLock};

use axum::extract::FromRequestParts;
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::request::Parts;
use bulbwatch_api::{Attendee, FACILITATOR_COOKIE, Role, TOKEN_COOKIE};
use cookie::Cookie;
use sha2::{Digest, Sha256};

use std::marker::PhantomData;

use crate::AppState;
use crate::error::AppError;
use crate::limits::LimitKind;
use crate::room::SwitchId;

/// Attendees already seen, by token hash, so a busy room does not read the
/// database on every request. Removing an attendee (or a new session) clears them,
/// and a removed attendee is never cached again (a lookup that read the database just
/// before the removal cannot bring them back).
#[derive(Clone, Default)]
pub struct AttendeeCache {
    inner: Arc<RwLock<CacheInner>>,
}

#[derive(Default)]
struct CacheInner {
    by_token_hash: HashMap<String, Attendee>,
    removed: HashSet<String>,
}

impl AttendeeCache {
    fn read(&self) -> std::sync::RwLockReadGuard<'_, CacheInner> {
        self.inner
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, CacheInner> {
        self.inner
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn get(&self, token_hash: &str) -> Option<Attendee> {
        self.read().by_token_hash.get(token_hash).cloned()
    }

    /// Forgets `attendee_id` (removed from the room) for good.
    pub fn forget(&self, attendee_id: &str) {
        let mut inner = self.write();
        inner.removed.insert(attendee_id.to_string());
        inner.by_token_hash.retain(|_, a| a.id != attendee_id);
    }

    /// Forgets everyone (a new session: the database no longer knows them either).
    pub fn clear(&self) {
        self.write().by_token_hash.clear();
    }

    /// Remembers an attendee under their token hash, unless they were removed.
    pub fn insert(&self, token_hash: String, attendee: Attendee) {
        let mut inner = self.write();
        if !inner.removed.contains(&attendee.id) {
            inner.by_token_hash.insert(token_hash, attendee);
        }
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
        match attendee_of(parts, state).await? {
            Some(attendee) => Ok(Self(attendee)),
            None if token_from(parts).is_some() => Err(AppError::Unauthorized(
                "this token is not one the room gave out (or you were removed from the room); join again".into(),
            )),
            None => Err(AppError::Unauthorized(
                "join the room first: POST /api/attendees with {\"name\": \"…\", \"code\": \"…\"}, then send the token as a cookie or `Authorization: Bearer <token>`".into(),
            )),
        }
    }
}

/// Someone in the room, for what the room shares (any run's report, traces, the
/// events, queries): an attendee or the facilitator; 401 for anyone else.
#[derive(Clone, Debug)]
pub struct RoomMember;

impl FromRequestParts<AppState> for RoomMember {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        if is_facilitator(parts, state) {
            return Ok(Self);
        }
        CurrentAttendee::from_request_parts(parts, state)
            .await
            .map(|_| Self)
    }
}

/// The attendee whose token the request carries, if it is one the room knows.
async fn attendee_of(parts: &Parts, state: &AppState) -> Result<Option<Attendee>, AppError> {
    let Some(token) = token_from(parts) else {
        return Ok(None);
    };
    let hash = token_hash(&token);
    if let Some(attendee) = state.attendees.get(&hash) {
        return Ok(Some(attendee));
    }
    let found = state.store.attendee_by_token_hash(hash.clone()).await?;
    if let Some(attendee) = &found {
        state.attendees.insert(hash, attendee.clone());
    }
    Ok(found)
}

/// Whether the request carries the facilitator's secret (bearer header or cookie).
pub fn is_facilitator(parts: &Parts, state: &AppState) -> bool {
    bearer(parts).is_some_and(|t| state.room.is_facilitator_token(&t))
        || cookie(parts, FACILITATOR_COOKIE).is_some_and(|t| state.room.is_facilitator_token(&t))
}

/// Who is asking: the facilitator, an attendee, or nobody known.
#[derive(Clone, Debug)]
pub struct Caller {
    /// The role.
    pub role: Role,
    /// The attendee, when the caller joined (the facilitator may have too).
    pub attendee: Option<Attendee>,
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let attendee = attendee_of(parts, state).await?;
        let role = if is_facilitator(parts, state) {
            Role::Facilitator
        } else if attendee.is_some() {
            Role::Attendee
        } else {
            Role::Anonymous
        };
        Ok(Self { role, attendee })
    }
}

/// How to become the facilitator, for refusals.
const BECOME_FACILITATOR: &str =
    "open the console link `bulbwatch serve` printed (or run `bulbwatch facilitator-url`)";

/// The facilitator: rejects anonymous callers with 401 and attendees with 403.
#[derive(Clone, Debug)]
pub struct Facilitator;

impl FromRequestParts<AppState> for Facilitator {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        if is_facilitator(parts, state) {
            return Ok(Self);
        }
        // The path as sent (routes nested under /api see theirs without it).
        let path = parts
            .extensions
            .get::<axum::extract::OriginalUri>()
            .map_or_else(|| parts.uri.path().to_string(), |o| o.0.path().to_string());
        let what = format!("{} {path}", parts.method);
        if attendee_of(parts, state).await?.is_some() {
            Err(AppError::Forbidden(format!(
                "{what} is the facilitator's to do, not an attendee's; ask at the front of the room"
            )))
        } else {
            Err(AppError::Unauthorized(format!(
                "{what} is the facilitator's to do: {BECOME_FACILITATOR}"
            )))
        }
    }
}

/// Who may switch instrumentation points: the facilitator, and attendees when the
/// facilitator allows it (the `attendees_switch_points` room switch).
#[derive(Clone, Debug)]
pub struct PointSwitcher(pub Option<Attendee>);

impl FromRequestParts<AppState> for PointSwitcher {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let attendee = attendee_of(parts, state).await?;
        if is_facilitator(parts, state) {
            return Ok(Self(attendee));
        }
        match attendee {
            Some(attendee) if state.room.switch(SwitchId::AttendeesSwitchPoints) => {
                Ok(Self(Some(attendee)))
            }
            Some(_) => Err(AppError::Forbidden(
                "switching instrumentation points is the facilitator's to do; they can let attendees switch them from the console".into(),
            )),
            None => Err(AppError::Unauthorized(format!(
                "switching instrumentation points is the facilitator's to do: {BECOME_FACILITATOR}"
            ))),
        }
    }
}

/// An attendee's write, counted against their rate limit for `K` (the facilitator,
/// joined as an attendee, is not limited). 429 with `Retry-After` past the limit.
#[derive(Clone, Debug)]
pub struct LimitedAttendee<K: LimitKind>(pub Attendee, pub PhantomData<K>);

impl<K: LimitKind> FromRequestParts<AppState> for LimitedAttendee<K> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let CurrentAttendee(attendee) = CurrentAttendee::from_request_parts(parts, state).await?;
        if !is_facilitator(parts, state) {
            state.limits.check_write(K::WRITE, &attendee.id)?;
        }
        Ok(Self(attendee, PhantomData))
    }
}

/// Someone in the room asking a question that costs the server work (a query, a
/// comparison), counted against their rate limit for `K`; the facilitator is not
/// limited. 401 from outside the room, 429 with `Retry-After` past the limit.
#[derive(Clone, Debug)]
pub struct LimitedMember<K: LimitKind>(pub PhantomData<K>);

impl<K: LimitKind> FromRequestParts<AppState> for LimitedMember<K> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        if is_facilitator(parts, state) {
            return Ok(Self(PhantomData));
        }
        let CurrentAttendee(attendee) = CurrentAttendee::from_request_parts(parts, state).await?;
        state.limits.check_write(K::WRITE, &attendee.id)?;
        Ok(Self(PhantomData))
    }
}

/// The bearer token, else the attendee cookie.
fn token_from(parts: &Parts) -> Option<String> {
    if parts.headers.contains_key(AUTHORIZATION) {
        return bearer(parts);
    }
    cookie(parts, TOKEN_COOKIE)
}

fn bearer(parts: &Parts) -> Option<String> {
    let value = parts.headers.get(AUTHORIZATION)?.to_str().ok()?;
    value
        .strip_prefix("Bearer ")
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
}

fn cookie(parts: &Parts, name: &str) -> Option<String> {
    parts
        .headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_string())
        .filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_removed_attendee_is_never_cached_again() {
        let cache = AttendeeCache::default();
        let ada = Attendee {
            id: "ada".into(),
            name: "Ada".into(),
        };
        cache.insert("hash".into(), ada.clone());
        assert_eq!(cache.get("hash"), Some(ada.clone()));
        cache.forget("ada");
        assert_eq!(cache.get("hash"), None);
        // A lookup that read the database before the removal lands afterwards.
        cache.insert("hash".into(), ada);
        assert_eq!(cache.get("hash"), None);
    }
}
