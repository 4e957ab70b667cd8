//! Queries over the in-memory events: `POST /api/query`, `POST /api/compare`,
//! `GET /api/datasets/{name}/columns`.
//!
//! Anyone in the room may ask (an attendee's token or the facilitator's, as for
//! exporting events or reading a trace: [`RoomMember`]): the workshop's data is the room's, and an attendee narrows it to their own
//! with a filter (`attendee = …`). The engine runs on a blocking thread under the
//! dataset's read lock ([`crate::events::EventTables::read`]); a spec it cannot answer
//! is a 400 whose message starts with the field at fault (`calculations[0].column:
//! …`). What a question may cost (its answer's size, how many run at once) is
//! [`crate::query_gate`]'s.

use axum::Router;
use axum::extract::State;
use axum::routing::{get, post};
use bulbwatch_api::{
    ColumnInfo, CompareResult, CompareSpec, Dataset, QueryAnswer, QueryResult, QuerySpec,
};
use bulbwatch_query::QueryError;

use crate::AppState;
use crate::auth::{LimitedMember, RoomMember};
use crate::error::AppError;
use crate::extract::{ApiJson, ApiPath};
use crate::limits::Questions;
use crate::store::now_ms;

/// Most markers one answer carries (the oldest in the window first).
const MARKERS_MAX: u32 = 1_000;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/query", post(query))
        .route("/compare", post(compare))
        .route("/datasets/{name}/columns", get(columns))
}

/// The dataset a spec names; a 400 naming `dataset` otherwise.
fn dataset(name: &str) -> Result<Dataset, AppError> {
    Dataset::from_name(name).ok_or_else(|| {
        AppError::Invalid(format!(
            "dataset: must be `bulb` (the server's spans) or `e2e` (check runs), got {name:?}"
        ))
    })
}

/// Where a range given by `time_range` alone ends: just after now, so that what
/// happened this very millisecond (the switch just made) is inside `[start, end)`.
fn anchor() -> i64 {
    now_ms() + 1
}

/// A spec the engine refused: 400, `field: message`.
fn invalid(e: QueryError) -> AppError {
    AppError::Invalid(e.to_string())
}

/// `POST /api/query`: a [`QuerySpec`] → its [`QueryResult`] plus the markers in the
/// result's time range.
async fn query(
    State(state): State<AppState>,
    _: LimitedMember<Questions>,
    ApiJson(spec): ApiJson<QuerySpec>,
) -> Result<ApiJson<QueryAnswer>, AppError> {
    let dataset = dataset(&spec.dataset)?;
    crate::query_gate::check_answer_size(&spec)?;
    let _turn = state.queries.turn().await?;
    let options = bulbwatch_query::ExecuteOptions::threads(state.queries.threads_now());
    let now = anchor();
    let result: QueryResult = state
        .events
        .tables()
        .read(dataset, move |table| {
            bulbwatch_query::execute_with(table, &spec, now, options)
        })
        .await?
        .map_err(invalid)?;
    let markers = state
        .store
        .markers(result.start_time_ms, result.end_time_ms, MARKERS_MAX)
        .await?;
    Ok(ApiJson(QueryAnswer { result, markers }))
}

/// `POST /api/compare`: a [`CompareSpec`] → every column's distribution inside vs
/// outside the selection.
async fn compare(
    State(state): State<AppState>,
    _: LimitedMember<Questions>,
    ApiJson(spec): ApiJson<CompareSpec>,
) -> Result<ApiJson<CompareResult>, AppError> {
    let dataset = dataset(&spec.dataset)?;
    let _turn = state.queries.turn().await?;
    let now = anchor();
    let result = state
        .events
        .tables()
        .read(dataset, move |table| {
            bulbwatch_query::compare(table, &spec, now)
        })
        .await?
        .map_err(invalid)?;
    Ok(ApiJson(result))
}

/// `GET /api/datasets/{name}/columns`: the columns the dataset's events hold now,
/// by name, each with the type of most of its values.
async fn columns(
    State(state): State<AppState>,
    _: RoomMember,
    ApiPath(name): ApiPath<String>,
) -> Result<ApiJson<Vec<ColumnInfo>>, AppError> {
    let dataset = Dataset::from_name(&name).ok_or_else(|| {
        AppError::NotFound(format!(
            "no dataset {name:?}: the datasets are `bulb` (the server's spans) and `e2e` (check runs)"
        ))
    })?;
    let columns = state
        .events
        .tables()
        .read(dataset, |table| table.columns())
        .await?;
    Ok(ApiJson(columns))
}
