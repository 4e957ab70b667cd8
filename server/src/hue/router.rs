//! The Hue listener's router. Before routing, the username is taken out of the path
//! (`/api/<username>/lights` is routed as `/api/-/lights`, the username kept in the
//! request's extensions) so that it never reaches a span, an event or a log, and
//! trailing or doubled slashes are dropped. Every answer is a 200 with Hue's JSON.

use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequest, Path, Request, State};
use axum::http::{Method, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Extension, Json, Router};
use serde_json::{Map, Value, json};

use super::errors::HueError;
use super::lights::shard_of;
use crate::AppState;
use crate::serve::{BodyTimeout, DEFAULT_BODY_TIMEOUT_S};
use crate::store::PairedApp;

/// Where the username stood in the path, once taken out.
const USER: &str = "-";

/// The username the request's path carried (`None` for `/api`, `/api/config`).
#[derive(Clone, Debug, Default)]
struct Username(Option<String>);

/// The Hue API for `state`'s bulbs.
pub fn router(state: AppState) -> Router {
    let empty = || get(|| async { Json(json!({})) });
    let routes = Router::new()
        .route("/api", post(pair))
        .route("/api/config", get(public_config))
        .route("/api/-", get(full_state))
        .route("/api/-/config", get(config))
        .route("/api/-/lights", get(lights))
        .route("/api/-/lights/{id}", get(light).put(rename))
        .route("/api/-/lights/{id}/state", put(set_state))
        .route("/api/-/groups", get(groups))
        .route("/api/-/groups/{id}", get(group))
        .route("/api/-/groups/{id}/action", put(group_action))
        .route("/api/-/schedules", empty())
        .route("/api/-/scenes", empty())
        .route("/api/-/rules", empty())
        .route("/api/-/sensors", empty())
        .route("/api/-/resourcelinks", empty())
        .fallback(not_available)
        .method_not_allowed_fallback(wrong_method)
        .layer(DefaultBodyLimit::max(bulbwatch_api::MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(
            crate::extract::refuse_oversized_body,
        ))
        .layer(crate::telemetry::http::trace_layer())
        .with_state(state);
    let masked = tower::ServiceBuilder::new()
        .layer(axum::middleware::from_fn(take_username))
        .service(routes);
    Router::new().fallback_service(masked)
}

/// Takes the username out of the path and drops empty segments.
async fn take_username(mut req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let (username, routed) = match segments.as_slice() {
        ["api", "config", ..] | ["api"] => (None, segments.clone()),
        ["api", user, rest @ ..] => {
            let mut routed = vec!["api", USER];
            routed.extend_from_slice(rest);
            (Some((*user).to_string()), routed)
        }
        _ => (None, segments.clone()),
    };
    let mut new_path = format!("/{}", routed.join("/"));
    if let Some(query) = req.uri().query() {
        new_path = format!("{new_path}?{query}");
    }
    // Made of the path's own segments, so it parses; if it ever did not, the request
    // goes on without its path rather than with the username in it.
    *req.uri_mut() = new_path
        .parse::<Uri>()
        .unwrap_or_else(|_| Uri::from_static("/"));
    req.extensions_mut().insert(Username(username));
    next.run(req).await
}

/// The resource a routed path names, as Hue addresses it: `/api/-/lights/1` is
/// `/lights/1`, `/api/-` is `/`.
fn resource(uri: &Uri) -> String {
    let path = uri.path();
    match path.strip_prefix("/api/-") {
        Some("") => "/".into(),
        Some(rest) => rest.into(),
        None => path.strip_prefix("/api").unwrap_or(path).to_string(),
    }
}

/// A body read as JSON whatever its Content-Type: `Err` is Hue's type 2.
struct HueBody(Result<Value, HueError>);

impl<S: Send + Sync> FromRequest<S> for HueBody {
    type Rejection = std::convert::Infallible;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let timeout = req
            .extensions()
            .get::<BodyTimeout>()
            .map_or(Duration::from_secs(DEFAULT_BODY_TIMEOUT_S), |t| t.0);
        let bytes = tokio::time::timeout(timeout, Bytes::from_request(req, state)).await;
        let parsed = match bytes {
            Ok(Ok(bytes)) => serde_json::from_slice(&bytes).map_err(|_| HueError::invalid_json()),
            _ => Err(HueError::invalid_json()),
        };
        Ok(Self(parsed))
    }
}

/// The list of one error item.
fn error(e: HueError) -> Response {
    Json(json!([e.item()])).into_response()
}

/// The paired app whose username the path carries, else the 1 for `resource`.
fn app_of(state: &AppState, username: &Username, resource: &str) -> Result<PairedApp, HueError> {
    username
        .0
        .as_deref()
        .and_then(|u| state.hue.app(u))
        .ok_or_else(|| HueError::unauthorized(resource))
}

/// A body that must be a JSON object.
fn object(body: HueBody) -> Result<Map<String, Value>, HueError> {
    match body.0 {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) | Err(_) => Err(HueError::invalid_json()),
    }
}

/// The shard light `id` is, else the 3.
fn light_shard(state: &AppState, id: &str, resource: &str) -> Result<u32, HueError> {
    shard_of(id, state.bulb.shards()).ok_or_else(|| HueError::not_available(resource))
}

/// `POST /api`: pairing.
async fn pair(State(state): State<AppState>, body: HueBody) -> Response {
    match state.hue.pair(body.0).await {
        Ok(answer) => Json(answer).into_response(),
        Err(e) => error(HueError::internal("", 500, &e.to_string())),
    }
}

/// `GET /api/config`.
async fn public_config(State(state): State<AppState>) -> Json<Value> {
    Json(state.hue.public_config())
}

/// `GET /api/<username>/config`: the whole config for a paired app, the public part
/// for anyone else (as a real bridge answers).
async fn config(
    State(state): State<AppState>,
    Extension(user): Extension<Username>,
) -> Json<Value> {
    match app_of(&state, &user, "/config") {
        Ok(_) => Json(state.hue.full_config()),
        Err(_) => Json(state.hue.public_config()),
    }
}

/// `GET /api/<username>`.
async fn full_state(
    State(state): State<AppState>,
    Extension(user): Extension<Username>,
) -> Response {
    match app_of(&state, &user, "/") {
        Ok(_) => Json(state.hue.full_state(&state.bulb)).into_response(),
        Err(refused) => error(refused),
    }
}

/// `GET /api/<username>/lights`.
async fn lights(State(state): State<AppState>, Extension(user): Extension<Username>) -> Response {
    match app_of(&state, &user, "/lights") {
        Ok(_) => Json(state.hue.lights(&state.bulb)).into_response(),
        Err(refused) => error(refused),
    }
}

/// `GET /api/<username>/lights/<id>`.
async fn light(
    State(state): State<AppState>,
    Extension(user): Extension<Username>,
    Path(id): Path<String>,
) -> Response {
    let resource = format!("/lights/{id}");
    let found = app_of(&state, &user, &resource).and_then(|_| light_shard(&state, &id, &resource));
    match found {
        Ok(shard) => Json(state.hue.light(&state.bulb.state(shard))).into_response(),
        Err(refused) => error(refused),
    }
}

/// `PUT /api/<username>/lights/<id>`: renaming.
async fn rename(
    State(state): State<AppState>,
    Extension(user): Extension<Username>,
    Path(id): Path<String>,
    body: HueBody,
) -> Response {
    let resource = format!("/lights/{id}");
    let found = app_of(&state, &user, &resource)
        .and_then(|_| light_shard(&state, &id, &resource))
        .and_then(|shard| object(body).map(|body| (shard, body)));
    match found {
        Ok((shard, body)) => match state.hue.rename(shard, &body).await {
            Ok(items) => Json(Value::Array(items)).into_response(),
            Err(e) => error(HueError::internal(&resource, 500, &e.to_string())),
        },
        Err(refused) => error(refused),
    }
}

/// `PUT /api/<username>/lights/<id>/state`.
async fn set_state(
    State(state): State<AppState>,
    Extension(user): Extension<Username>,
    Path(id): Path<String>,
    body: HueBody,
) -> Response {
    let resource = format!("/lights/{id}/state");
    let found = app_of(&state, &user, &resource).and_then(|app| {
        let shard = light_shard(&state, &id, &format!("/lights/{id}"))?;
        Ok((app, shard, object(body)?))
    });
    match found {
        Ok((app, shard, body)) => {
            let items = state.hue.set_light_state(&state, &app, shard, &body).await;
            Json(Value::Array(items)).into_response()
        }
        Err(refused) => error(refused),
    }
}

/// `GET /api/<username>/groups`.
async fn groups(State(state): State<AppState>, Extension(user): Extension<Username>) -> Response {
    match app_of(&state, &user, "/groups") {
        Ok(_) => Json(state.hue.groups()).into_response(),
        Err(refused) => error(refused),
    }
}

/// `GET /api/<username>/groups/<id>`: only group 0.
async fn group(
    State(state): State<AppState>,
    Extension(user): Extension<Username>,
    Path(id): Path<String>,
) -> Response {
    let resource = format!("/groups/{id}");
    match app_of(&state, &user, &resource) {
        Ok(_) if id == "0" => Json(state.hue.group_zero(&state.bulb)).into_response(),
        Ok(_) => error(HueError::not_available(&resource)),
        Err(refused) => error(refused),
    }
}

/// `PUT /api/<username>/groups/<id>/action`: only group 0.
async fn group_action(
    State(state): State<AppState>,
    Extension(user): Extension<Username>,
    Path(id): Path<String>,
    body: HueBody,
) -> Response {
    let resource = format!("/groups/{id}/action");
    let found = app_of(&state, &user, &resource).and_then(|app| {
        if id != "0" {
            return Err(HueError::not_available(&format!("/groups/{id}")));
        }
        Ok((app, object(body)?))
    });
    match found {
        Ok((app, body)) => {
            let items = state.hue.set_group_action(&state, &app, &body).await;
            Json(Value::Array(items)).into_response()
        }
        Err(refused) => error(refused),
    }
}

/// Any other path: unauthorized without a valid username, else not available.
async fn not_available(
    State(state): State<AppState>,
    Extension(user): Extension<Username>,
    uri: Uri,
) -> Response {
    let resource = resource(&uri);
    if uri.path().starts_with("/api/-")
        && let Err(refused) = app_of(&state, &user, &resource)
    {
        return error(refused);
    }
    error(HueError::not_available(&resource))
}

/// A resource that exists, asked with a method it does not take.
async fn wrong_method(
    State(state): State<AppState>,
    Extension(user): Extension<Username>,
    method: Method,
    uri: Uri,
) -> Response {
    let resource = resource(&uri);
    if uri.path() == "/api" {
        // `GET /api` is a request for the full state without a username.
        return error(HueError::unauthorized("/"));
    }
    if uri.path().starts_with("/api/-")
        && let Err(refused) = app_of(&state, &user, &resource)
    {
        return error(refused);
    }
    error(HueError::method(method.as_str(), &resource))
}
