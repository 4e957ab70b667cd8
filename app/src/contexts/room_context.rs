//! The room every page shows: its phase (with the prompt of what to do now) and the
//! reveal — from the `room` events of the bulb stream (the first comes at connect,
//! with what `GET /api/room` answers) — and what the page knows of my own progress
//! (runs, schedule, diagnosis), which sharpens the prompt.

use bulbwatch_api::{AttendeeProgress, Diagnosis, Phase, Reveal, RoomState, RunSummary, Verdict};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Deserialize;

use crate::api;
use crate::console;
use crate::contexts::LiveBulb;

/// What the pages show of the room: [`RoomState`]'s phase, reveal and shard count,
/// read from the same JSON (`GET /api/room`, the `room` event). The rest (the
/// switches) only the console needs; leaving it out keeps its decoder out of the
/// page's wasm.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct RoomView {
    /// The current phase.
    pub phase: Phase,
    /// The explanation, once the facilitator revealed it.
    #[serde(default)]
    pub reveal: Option<Reveal>,
    /// How many shards (so bulbs) the bulb service has.
    #[serde(default = "one_shard")]
    pub shards: u32,
}

fn one_shard() -> u32 {
    1
}

impl From<&RoomState> for RoomView {
    fn from(state: &RoomState) -> Self {
        Self {
            phase: state.phase,
            reveal: state.reveal.clone(),
            shards: state.shards,
        }
    }
}

/// The room and my progress in it.
#[derive(Clone, Copy, Debug)]
pub struct Room {
    /// The room's state, once known (shared with the live bulb, which keeps it live).
    pub state: RwSignal<Option<RoomView>>,
    /// What the page knows of my progress (runs, schedule, diagnosis).
    pub progress: RwSignal<AttendeeProgress>,
    /// My diagnosis, once loaded (`None`: none submitted, or not known yet); set it
    /// with [`Room::set_diagnosis`] so the progress follows.
    pub diagnosis: RwSignal<Option<Diagnosis>>,
}

impl Room {
    /// Reads what I have done so far: my runs and my diagnosis. (The room's state
    /// itself comes with the live stream: the server sends it first on every
    /// connect, the answer `GET /api/room` would give, so the page does not ask.)
    pub fn refresh(self) {
        spawn_local(async move {
            match api::runs::mine().await {
                Ok(runs) => self.saw_runs(&runs),
                Err(failure) => console::info(&failure.message),
            }
            match api::room::my_diagnosis().await {
                Ok(found) => self.set_diagnosis(found),
                Err(failure) => console::info(&failure.message),
            }
        });
    }

    /// My diagnosis as the server has it now (unchanged: no redraw).
    pub fn set_diagnosis(self, found: Option<Diagnosis>) {
        if self.diagnosis.try_with_untracked(|d| d != &found) == Some(true) {
            let mut next = self.progress.try_get_untracked().unwrap_or_default();
            next.diagnosed = found.is_some();
            self.diagnosis.try_set(found);
            self.put_progress(next);
        }
    }

    /// Counts `runs` (mine) into the progress.
    pub fn saw_runs(self, runs: &[RunSummary]) {
        let mut next = self.progress.try_get_untracked().unwrap_or_default();
        next.has_run |= !runs.is_empty();
        next.has_passed |= runs.iter().any(|r| r.verdict == Verdict::Pass);
        self.put_progress(next);
    }

    /// Whether this page runs my check on a schedule now.
    pub fn set_scheduled(self, on: bool) {
        let mut next = self.progress.try_get_untracked().unwrap_or_default();
        next.scheduled = on;
        self.put_progress(next);
    }

    /// The new progress, told to the page only when it changed.
    fn put_progress(self, next: AttendeeProgress) {
        if self.progress.try_get_untracked() != Some(next) {
            self.progress.try_set(next);
        }
    }
}

/// Creates the room state (fed by `live`'s stream) and provides it.
pub fn provide_room(live: LiveBulb) -> Room {
    let room = Room {
        state: live.room,
        progress: RwSignal::new(AttendeeProgress::default()),
        diagnosis: RwSignal::new(None),
    };
    provide_context(room);
    room
}

/// The room.
pub fn use_room() -> Room {
    expect_context()
}
