//! Wire types shared by the Bulbwatch app (wasm32) and server: what travels over HTTP
//! and the live-update stream. Serde only — no tokio, no web-sys.

mod attendee;
mod bulb;
mod check;
mod driver;
mod error;
mod instrumentation;
mod prompts;
mod query;
mod room;
mod run;
mod saved_check;

pub use attendee::{Attendee, JoinRequest, Joined, NAME_MAX_CHARS};
pub use bulb::{
    BulbState, NAMED_COLOURS, QUEUE_DELAY_MAX_MS, QueueDelay, SetBulb, SetBulbAccepted,
};
pub use check::{
    CheckReport, Failure, FailureKind, HttpMethod, LogLine, Progress, RequestReport, StepOutcome,
    StepReport, Verdict,
};
pub use driver::{DriverLight, DriverStatus};
pub use error::{ApiError, ErrorBody, ErrorCode};
pub use instrumentation::{
    Dataset, DatasetStats, EventStats, InstrumentationPoint, Marker, MarkerKind, SetPoint,
    SpanKind, TraceSpan,
};
pub use prompts::{Progress as AttendeeProgress, prompt};
pub use query::{
    BREAKDOWNS_MAX, CALCULATIONS_MAX, COMPARE_VALUES_DEFAULT, COMPARE_VALUES_MAX, CalcOp,
    Calculation, CalculationLabel, ColumnComparison, ColumnInfo, ColumnType, CompareBucket,
    CompareResult, CompareSpec, FILTERS_MAX, FIT_MIN_S, Filter, FilterCombination, FilterOp,
    FilterValue, GroupRow, GroupSeries, HEATMAP_VALUE_BUCKETS, Having, HavingOp, Heatmap,
    HeatmapRow, HeatmapScale, Order, QUERY_LIMIT_DEFAULT, QUERY_LIMIT_MAX, QueryAnswer,
    QueryResult, QuerySpec, Scalar, Selection, SeriesPoint, SortOrder, TIME_BUCKETS_MAX,
    TIME_RANGE_DEFAULT_S, TIME_RANGE_MAX_S, ValueShare,
};
pub use room::{
    BOARD_RECENT_RUNS, Board, BoardTile, DIAGNOSIS_MAX_CHARS, Diagnosis, EVIDENCE_MAX_BYTES,
    FACILITATOR_COOKIE, HueBridgeState, JOIN_CODE_ALPHABET, JOIN_CODE_LEN, JoinInfo, MAX_SHARDS,
    MAX_SIMULATED, MarkDiagnosis, NewSession, PairedHueApp, PassRatePoint, Phase,
    REHEARSAL_INTERVAL_DEFAULT_MS, REHEARSAL_INTERVAL_MAX_MS, REHEARSAL_INTERVAL_MIN_MS,
    RehearsalState, Reveal, RevealedCause, Role, RoomState, RoomSwitch, ScenarioBoard,
    ScenarioSetting, ScenarioState, SessionExported, SetJoinCode, SetPhase, SetRehearsal,
    SetScenario, SetShards, SetSwitch, SimulatedRemoved, SubmitDiagnosis, WhoAmI,
};
pub use run::{RecordRun, RunDetail, RunSummary};
pub use saved_check::{
    CHECK_NAME_MAX_CHARS, CHECK_SOURCE_MAX_BYTES, CheckSummary, CheckVersion, SaveCheck,
    SavedCheck, SharedCheck,
};

/// Name of the HttpOnly cookie that carries an attendee's token.
pub const TOKEN_COOKIE: &str = "bulbwatch_token";

/// Largest request body the server reads, in bytes.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Largest body of `POST /api/runs`: a check report at the engine's caps (300
/// requests, 300 steps, 200 log lines of 500 characters) stays well below it.
pub const MAX_RUN_BODY_BYTES: usize = 512 * 1024;
