//! The room the facilitator runs: its phase, switches, join code, board of attendees,
//! diagnoses and the reveal.

use serde::{Deserialize, Serialize};

use crate::{Attendee, Verdict};

/// Longest diagnosis, in characters.
pub const DIAGNOSIS_MAX_CHARS: usize = 500;
/// Longest evidence address (an Explore query's `/explore?q=…`), in bytes.
pub const EVIDENCE_MAX_BYTES: usize = 8 * 1024;
/// Length of a join code, in letters.
pub const JOIN_CODE_LEN: usize = 6;
/// The letters a join code is made of: none that can be misread for another (no I,
/// L, O, Q, S, Z, B, G, U, V).
pub const JOIN_CODE_ALPHABET: &str = "ACDEFHJKMNPRTWXY";
/// How many of an attendee's latest runs the board's pass rate counts.
pub const BOARD_RECENT_RUNS: usize = 20;
/// Name of the HttpOnly cookie that carries the facilitator's secret.
pub const FACILITATOR_COOKIE: &str = "bulbwatch_facilitator";

/// Where the workshop is, in order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Everyone joins.
    #[default]
    Lobby,
    /// Write an end-to-end check, run it, put it on a schedule.
    WriteCheck,
    /// Switch instrumentation points on.
    Instrument,
    /// Explore the events and find the root cause.
    Investigate,
    /// The facilitator reveals what was going on.
    Reveal,
    /// Several bulbs, a queue per shard.
    ScaleOut,
}

impl Phase {
    /// Every phase, in the workshop's order.
    pub const ALL: [Phase; 6] = [
        Phase::Lobby,
        Phase::WriteCheck,
        Phase::Instrument,
        Phase::Investigate,
        Phase::Reveal,
        Phase::ScaleOut,
    ];

    /// The name on the stepper: "Write a check".
    pub fn title(self) -> &'static str {
        match self {
            Phase::Lobby => "Lobby",
            Phase::WriteCheck => "Write a check",
            Phase::Instrument => "Instrument",
            Phase::Investigate => "Investigate",
            Phase::Reveal => "Reveal",
            Phase::ScaleOut => "Scale out",
        }
    }

    /// The wire name: `write_check`.
    pub fn key(self) -> &'static str {
        match self {
            Phase::Lobby => "lobby",
            Phase::WriteCheck => "write_check",
            Phase::Instrument => "instrument",
            Phase::Investigate => "investigate",
            Phase::Reveal => "reveal",
            Phase::ScaleOut => "scale_out",
        }
    }

    /// The phase named `key`, if any.
    pub fn from_key(key: &str) -> Option<Phase> {
        Phase::ALL.into_iter().find(|p| p.key() == key)
    }
}

/// Who is asking, as the server sees them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Not joined.
    Anonymous,
    /// A joined attendee.
    Attendee,
    /// The facilitator (who may also have joined as an attendee).
    Facilitator,
}

/// A room setting the facilitator switches on or off (failure scenarios join this
/// list later).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomSwitch {
    /// Stable id: `attendees_switch_points`.
    pub id: String,
    /// What it is, for the console: "Attendees may switch instrumentation points".
    pub title: String,
    /// One line on what switching it does.
    pub description: String,
    /// Whether it is on.
    pub on: bool,
}

/// `PUT /api/room/switches/{id}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetSwitch {
    /// On or off.
    pub on: bool,
}

/// `GET /api/room`: what every page shows of the room (also sent live as the `room`
/// event of `GET /api/bulb/events`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomState {
    /// The current phase.
    pub phase: Phase,
    /// When the phase last changed, ms since the Unix epoch (0: never).
    pub phase_since_ms: i64,
    /// The room's switches.
    pub switches: Vec<RoomSwitch>,
    /// Whether attendees may switch instrumentation points (a switch, for convenience).
    pub attendees_switch_points: bool,
    /// The explanation, once the facilitator revealed it.
    pub reveal: Option<Reveal>,
    /// How many shards the bulb service has (1–`MAX_SHARDS`): every page shows one
    /// bulb per shard.
    #[serde(default = "one_shard")]
    pub shards: u32,
}

fn one_shard() -> u32 {
    1
}

/// Most shards the bulb service can have.
pub const MAX_SHARDS: u32 = 8;
/// Most simulated attendees a rehearsal room holds.
pub const MAX_SIMULATED: u32 = 50;

/// `PUT /api/room/shards` (facilitator).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetShards {
    /// 1–`MAX_SHARDS`.
    pub shards: u32,
}

/// A value the facilitator picks for a scenario (how far the busy queue goes).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioSetting {
    /// What it is: "Queue delay".
    pub label: String,
    /// Its unit: "ms".
    pub unit: String,
    /// The value now.
    pub value: i64,
    /// Smallest allowed.
    pub min: i64,
    /// Largest allowed.
    pub max: i64,
}

/// A failure scenario as the console lists it (facilitator only: attendees find
/// them).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioState {
    /// Stable id: `flaky_green`.
    pub id: String,
    /// Its name: "Flaky green".
    pub title: String,
    /// What switching it on does, for the facilitator.
    pub brief: String,
    /// Where its cause shows: the root-cause column(s).
    pub root_cause: Vec<String>,
    /// Whether it is on.
    pub on: bool,
    /// Always on: it cannot be switched off (the shared bulb).
    pub always_on: bool,
    /// Only has an effect with more than one shard.
    pub needs_shards: bool,
    /// A value the facilitator picks, if it has one.
    pub setting: Option<ScenarioSetting>,
    /// What it does in this room now ("shard 3's bridge is the bad one").
    pub detail: Option<String>,
    /// The revealing query in Explore: `/explore?q=…`.
    pub explore_url: String,
}

/// `PUT /api/room/scenarios/{id}` (facilitator).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetScenario {
    /// On or off.
    pub on: bool,
    /// The scenario's setting, within its range; it keeps its value when absent.
    #[serde(default)]
    pub value: Option<i64>,
}

/// The rehearsal room: simulated attendees run by the server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RehearsalState {
    /// Simulated attendees running now.
    pub running: u32,
    /// Each runs the classic check about this often (with jitter), ms.
    pub interval_ms: u32,
    /// Runs they recorded since the rehearsal started.
    pub runs: u64,
}

/// `PUT /api/room/rehearsal` (facilitator): run this many simulated attendees.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetRehearsal {
    /// 0–`MAX_SIMULATED`; 0 stops them (they stay on the board until removed).
    pub attendees: u32,
    /// How often each runs the check, ms (`REHEARSAL_INTERVAL_MIN_MS`–
    /// `REHEARSAL_INTERVAL_MAX_MS`); it keeps its value when absent.
    #[serde(default)]
    pub interval_ms: Option<u32>,
}

/// The default of [`SetRehearsal::interval_ms`].
pub const REHEARSAL_INTERVAL_DEFAULT_MS: u32 = 5000;
/// The shortest rehearsal interval.
pub const REHEARSAL_INTERVAL_MIN_MS: u32 = 1000;
/// The longest rehearsal interval.
pub const REHEARSAL_INTERVAL_MAX_MS: u32 = 60_000;

/// `GET /api/room/scenarios` (facilitator): the failure scenarios, the room's seed,
/// the shards and the rehearsal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioBoard {
    /// Every random decision of the scenarios comes from it and the change's number.
    pub seed: u64,
    /// How many shards.
    pub shards: u32,
    /// Every scenario, in the console's order.
    pub scenarios: Vec<ScenarioState>,
    /// The rehearsal room.
    pub rehearsal: RehearsalState,
}

/// `PUT /api/room/phase`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetPhase {
    /// The phase to move to.
    pub phase: Phase,
}

/// What was going on: one cause per active scenario.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reveal {
    /// When it was revealed, ms since the Unix epoch.
    pub revealed_at_ms: i64,
    /// The causes.
    pub causes: Vec<RevealedCause>,
}

/// One root cause, with the query that shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevealedCause {
    /// Short name: "Busy queue".
    pub title: String,
    /// The explanation, with the session's numbers.
    pub text: String,
    /// The revealing query in Explore: `/explore?q=…`.
    pub explore_url: String,
}

/// `GET /api/room/hue` and `POST /api/room/hue/link-button` (facilitator): the
/// Hue-compatible API for the virtual bulbs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HueBridgeState {
    /// Where Hue apps reach it (`127.0.0.1:8081`); `None` when `--hue-addr` is off.
    pub address: Option<String>,
    /// While the link button is pressed: until when apps may pair, ms since the Unix
    /// epoch.
    pub link_button_open_until_ms: Option<i64>,
    /// Every paired app, in the order they paired.
    pub apps: Vec<PairedHueApp>,
}

/// An app paired with the Hue-compatible API.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairedHueApp {
    /// What it called itself (`"app#device"`); its changes show under this name.
    pub devicetype: String,
    /// When it paired, ms since the Unix epoch.
    pub paired_at_ms: i64,
}

/// `GET /api/room/join` (facilitator): how attendees get in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinInfo {
    /// The code, `JOIN_CODE_LEN` letters of `JOIN_CODE_ALPHABET`.
    pub code: String,
    /// The address to open: `http://HOST:PORT/join/CODE`.
    pub join_url: String,
}

/// `PUT /api/room/join` (facilitator): a new code, or none to have one made.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetJoinCode {
    /// The code to use; any case, spaces and dashes ignored. `None` makes a new one.
    #[serde(default)]
    pub code: Option<String>,
}

/// `PUT /api/diagnosis`: my diagnosis, replacing the last.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubmitDiagnosis {
    /// What I think is going on, 1–500 characters.
    pub text: String,
    /// The Explore query I looked at (`/explore?q=…`), if any.
    #[serde(default)]
    pub evidence: Option<String>,
}

/// A diagnosis as stored: mine, or on the board.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnosis {
    /// Who submitted it.
    pub attendee: Attendee,
    /// The text.
    pub text: String,
    /// The Explore query attached, if any.
    pub evidence: Option<String>,
    /// When it was last revised, ms since the Unix epoch.
    pub submitted_at_ms: i64,
    /// How many times it was submitted (1 = never revised).
    pub revision: u32,
    /// The facilitator marked it right.
    pub right: bool,
}

/// `PUT /api/room/diagnoses/{attendee_id}` (facilitator).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkDiagnosis {
    /// Whether it is right.
    pub right: bool,
}

/// One attendee's tile on the board.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoardTile {
    /// Who.
    pub attendee: Attendee,
    /// How their latest run ended, if they ran one.
    pub last_verdict: Option<Verdict>,
    /// When their latest run started, ms since the Unix epoch.
    pub last_run_at_ms: Option<i64>,
    /// Runs counted in `passed` (their latest, at most `BOARD_RECENT_RUNS`).
    pub recent_runs: u32,
    /// Of those, how many passed.
    pub recent_passed: u32,
    /// Every run they recorded.
    pub total_runs: u32,
    /// Whether a schedule runs their check now (a scheduled run came lately).
    pub scheduled: bool,
    /// Their diagnosis, if one is in.
    pub diagnosis: Option<Diagnosis>,
    /// A simulated attendee of the rehearsal room.
    #[serde(default)]
    pub simulated: bool,
    /// The active scenarios (titles) the diagnosis's evidence points at: its query
    /// groups or filters by their root-cause column.
    #[serde(default)]
    pub points_at: Vec<String>,
}

/// A slice of the room's pass rate over time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PassRatePoint {
    /// Start of the slice, ms since the Unix epoch.
    pub start_ms: i64,
    /// Runs started in it.
    pub runs: u32,
    /// Of those, how many passed.
    pub passed: u32,
}

/// `DELETE /api/room/rehearsal` (facilitator): how many simulated attendees left.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimulatedRemoved {
    /// Simulated attendees removed.
    pub removed: u32,
}

/// `GET /api/room/board` (facilitator): every attendee, and the room's pass rate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Board {
    /// One tile per attendee, in the order they joined.
    pub tiles: Vec<BoardTile>,
    /// The room's runs in slices of `slice_ms`, oldest first (empty slices included).
    pub pass_rate: Vec<PassRatePoint>,
    /// Width of a slice, ms.
    pub slice_ms: i64,
}

/// `POST /api/room/sessions` (facilitator): start a new workshop session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewSession {
    /// Must be `true`: everything of this session is exported, then the room empties.
    pub confirm: bool,
}

/// The answer to a new session: where the last one was written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionExported {
    /// The export file, in the data directory.
    pub export_file: String,
    /// What it holds.
    pub attendees: u64,
    /// Saved check versions.
    pub check_versions: u64,
    /// Recorded runs.
    pub runs: u64,
    /// Events of both datasets.
    pub events: u64,
    /// Diagnoses.
    pub diagnoses: u64,
}

/// `GET /api/room/role`: who the server takes the caller for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WhoAmI {
    /// The role (the facilitator's, when their cookie is there).
    pub role: Role,
    /// The attendee, when the caller has joined too.
    pub attendee: Option<Attendee>,
}
