//! The one fetch helper: every call to the Bulbwatch API goes through [`send`], which
//! turns a success into its wire type and anything else — the error envelope, a network
//! failure, an answer that is not the expected JSON — into an [`ApiFailure`] whose
//! message the page shows as is.

pub mod checks;
pub mod instrumentation;
pub mod room;
pub mod runs;

use bulbwatch_api::{
    ApiError, BulbState, ErrorCode, JoinRequest, Joined, SetBulb, SetBulbAccepted,
};
use gloo_net::http::{Request, Response};
use serde::de::DeserializeOwned;

/// Where the live `bulb` events come from (Server-Sent Events).
pub const BULB_EVENTS_URL: &str = "/api/bulb/events";

/// A call that did not give the answer hoped for, with a message for people.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiFailure {
    /// HTTP status, when the server answered at all.
    pub status: Option<u16>,
    /// The envelope's code, when the server sent one.
    pub code: Option<ErrorCode>,
    /// What went wrong and, where we know, what to do about it.
    pub message: String,
}

impl ApiFailure {
    /// True when the server does not know us (not joined, or an unknown token).
    pub fn is_unauthorized(&self) -> bool {
        self.status == Some(401) || self.code == Some(ErrorCode::Unauthorized)
    }
}

impl std::fmt::Display for ApiFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ApiFailure {}

/// Turns an answer into `T` (on 2xx) or into an [`ApiFailure`]. `doing` names the action
/// for messages ("setting the bulb"). Pure, so it is tested natively.
pub fn decode<T: DeserializeOwned>(doing: &str, status: u16, body: &str) -> Result<T, ApiFailure> {
    if !(200..300).contains(&status) {
        return Err(failure(doing, status, body));
    }
    serde_json::from_str(body).map_err(|e| unreadable(doing, status, &e))
}

/// The failure for a non-2xx answer: the envelope's message, or what we can say.
fn failure(doing: &str, status: u16, body: &str) -> ApiFailure {
    match serde_json::from_str::<ApiError>(body) {
        Ok(envelope) => ApiFailure {
            status: Some(status),
            code: Some(envelope.error.code),
            message: envelope.error.message,
        },
        Err(_) => ApiFailure {
            status: Some(status),
            code: None,
            message: format!(
                "{} failed: the server answered HTTP {status}{}",
                capitalise(doing),
                excerpt(body)
            ),
        },
    }
}

fn unreadable(doing: &str, status: u16, e: &serde_json::Error) -> ApiFailure {
    ApiFailure {
        status: Some(status),
        code: None,
        message: format!(
            "The server's answer to {doing} could not be read ({e}). \
             Reload the page; if it persists, tell the facilitator."
        ),
    }
}

/// Reads a fetched [`Response`] and decodes it with [`decode`].
pub async fn read_response<T: DeserializeOwned>(
    doing: &str,
    response: Response,
) -> Result<T, ApiFailure> {
    let (status, body) = read_text(doing, response).await?;
    decode(doing, status, &body)
}

/// Sends `request` (or reports why it could not be built) and decodes the answer.
pub async fn send<T: DeserializeOwned>(
    doing: &str,
    request: Result<Request, gloo_net::Error>,
) -> Result<T, ApiFailure> {
    let (status, body) = fetch_text(doing, request).await?;
    decode(doing, status, &body)
}

/// Sends `request` for an answer without a body (`204 No Content`): `Ok(())` on any
/// 2xx, the failure otherwise.
pub async fn send_no_content(
    doing: &str,
    request: Result<Request, gloo_net::Error>,
) -> Result<(), ApiFailure> {
    let (status, body) = fetch_text(doing, request).await?;
    if (200..300).contains(&status) {
        Ok(())
    } else {
        Err(failure(doing, status, &body))
    }
}

/// The network part of [`send`], the same for every answer type: one copy of it in
/// the wasm instead of one per type.
async fn fetch_text(
    doing: &str,
    request: Result<Request, gloo_net::Error>,
) -> Result<(u16, String), ApiFailure> {
    let unreachable = |e: gloo_net::Error| ApiFailure {
        status: None,
        code: None,
        message: format!(
            "Could not reach the Bulbwatch server while {doing} ({e}). \
             Check your connection and try again."
        ),
    };
    let response = request
        .map_err(unreachable)?
        .send()
        .await
        .map_err(unreachable)?;
    read_text(doing, response).await
}

async fn read_text(doing: &str, response: Response) -> Result<(u16, String), ApiFailure> {
    let status = response.status();
    let body = response.text().await.map_err(|e| ApiFailure {
        status: Some(status),
        code: None,
        message: format!("The server's answer to {doing} broke off ({e}). Try again."),
    })?;
    Ok((status, body))
}

/// `POST /api/attendees`: join the room under `name` with the room's join `code`
/// (the facilitator may leave it out); the server sets the cookie.
pub async fn join(name: &str, code: Option<&str>) -> Result<Joined, ApiFailure> {
    let body = JoinRequest {
        name: name.to_string(),
        code: code.map(str::to_string),
        simulated: false,
    };
    send("joining", Request::post("/api/attendees").json(&body)).await
}

/// `GET /api/bulb`: my shard's bulb as it is now (its `shard` says which is mine).
pub async fn bulb() -> Result<BulbState, ApiFailure> {
    send("reading the bulb", Request::get("/api/bulb").build()).await
}

/// `GET /api/bulbs`: every shard's bulb, shard 0 first.
pub async fn bulbs() -> Result<Vec<BulbState>, ApiFailure> {
    send(
        "reading every shard's bulb",
        Request::get("/api/bulbs").build(),
    )
    .await
}

/// `PUT /api/bulb`: ask for a colour; the change is queued, not applied yet.
pub async fn set_bulb(request: &SetBulb) -> Result<SetBulbAccepted, ApiFailure> {
    send("setting the bulb", Request::put("/api/bulb").json(request)).await
}

/// An id as one path segment, whatever it holds (ids from the address bar included).
fn segment(id: &str) -> String {
    String::from(js_sys::encode_uri_component(id))
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A short, single-line look at an unexpected body, so a proxy's HTML error page does not
/// flood the banner.
fn excerpt(body: &str) -> String {
    let flat: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.is_empty() {
        return " with an empty body.".to_string();
    }
    if flat.starts_with('<') {
        return " with a web page instead of the API's JSON. \
                Is the Bulbwatch server running behind this address?"
            .to_string();
    }
    let mut short: String = flat.chars().take(120).collect();
    if short.len() < flat.len() {
        short.push('…');
    }
    format!(": {short}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use bulbwatch_api::Attendee;

    #[test]
    fn success_decodes_into_the_type() {
        let accepted: SetBulbAccepted = decode(
            "setting the bulb",
            202,
            r#"{"request_id":"r-7","queue_length":3}"#,
        )
        .unwrap();
        assert_eq!(accepted.request_id, "r-7");
        assert_eq!(accepted.queue_length, 3);
    }

    #[test]
    fn envelope_becomes_its_message() {
        let body =
            r#"{"error":{"code":"invalid_input","message":"name must be 1–40 characters, got 0"}}"#;
        let err = decode::<Joined>("joining", 400, body).unwrap_err();
        assert_eq!(err.message, "name must be 1–40 characters, got 0");
        assert_eq!(err.code, Some(ErrorCode::InvalidInput));
        assert_eq!(err.status, Some(400));
        assert!(!err.is_unauthorized());
    }

    #[test]
    fn unauthorized_is_recognised() {
        let body = r#"{"error":{"code":"unauthorized","message":"join the room first"}}"#;
        let err = decode::<Attendee>("looking you up", 401, body).unwrap_err();
        assert!(err.is_unauthorized());
        // A bare 401 (say, from a proxy) counts too.
        let err = decode::<Attendee>("looking you up", 401, "").unwrap_err();
        assert!(err.is_unauthorized());
    }

    #[test]
    fn non_json_error_names_action_and_status() {
        let err =
            decode::<BulbState>("reading the bulb", 502, "Bad   gateway\n(upstream)").unwrap_err();
        assert_eq!(
            err.message,
            "Reading the bulb failed: the server answered HTTP 502: Bad gateway (upstream)"
        );
        let err =
            decode::<BulbState>("reading the bulb", 404, "<!DOCTYPE html><html>…").unwrap_err();
        assert!(
            err.message.starts_with(
                "Reading the bulb failed: the server answered HTTP 404 with a web page"
            ),
            "{}",
            err.message
        );
        let err = decode::<BulbState>("reading the bulb", 500, "").unwrap_err();
        assert_eq!(
            err.message,
            "Reading the bulb failed: the server answered HTTP 500 with an empty body."
        );
    }

    #[test]
    fn long_bodies_are_cut() {
        let body = "x".repeat(500);
        let err = decode::<BulbState>("reading the bulb", 503, &body).unwrap_err();
        assert!(err.message.ends_with("x…"), "{}", err.message);
        assert!(err.message.len() < 200);
    }

    #[test]
    fn wrong_shaped_success_is_an_error_not_a_panic() {
        let err = decode::<BulbState>("reading the bulb", 200, "<html>").unwrap_err();
        assert!(
            err.message
                .starts_with("The server's answer to reading the bulb could not be read")
        );
        assert_eq!(err.status, Some(200));
    }
}
