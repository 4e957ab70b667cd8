//! `GET /facilitator/login?token=…`: the console link `bulbwatch serve` prints. It
//! swaps the secret in the address for an HttpOnly cookie and sends the browser on
//! to `/facilitator`, so the secret is neither kept in the address bar nor shown by
//! any page (request spans record the path, never the query).

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::response::{Html, IntoResponse, Response};
use bulbwatch_api::FACILITATOR_COOKIE;
use cookie::{Cookie, SameSite};

use crate::AppState;

/// How long the browser keeps the facilitator's cookie.
const COOKIE_MAX_AGE_DAYS: i64 = 30;

/// Sets the facilitator's cookie and redirects to the console, or says why not.
pub async fn facilitator_login(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let token = query.get("token").map(|t| t.trim()).unwrap_or_default();
    if token.is_empty() || !state.room.is_facilitator_token(token) {
        tracing::warn!("a facilitator link with a wrong secret was opened");
        return (
            StatusCode::UNAUTHORIZED,
            Html(
                "<!doctype html><meta charset=utf-8><title>Bulbwatch</title>\
                 <h1>This facilitator link is not this server's</h1>\
                 <p>Open the console link that <code>bulbwatch serve</code> printed when it \
                 started, or print it again with <code>bulbwatch facilitator-url</code> \
                 (with the same <code>--data-dir</code>).</p><p><a href=\"/\">Join as an attendee</a></p>",
            ),
        )
            .into_response();
    }
    let cookie = Cookie::build((FACILITATOR_COOKIE, token.to_string()))
        .http_only(true)
        .same_site(SameSite::Lax)
        .path("/")
        .max_age(cookie::time::Duration::days(COOKIE_MAX_AGE_DAYS))
        .build();
    (
        StatusCode::SEE_OTHER,
        [
            (SET_COOKIE, cookie.to_string()),
            (LOCATION, "/facilitator".to_string()),
        ],
    )
        .into_response()
}
