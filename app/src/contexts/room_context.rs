//! The room every page shows: its phase (with the prompt of what to do now), its
//! switches and the reveal — read once from `GET /api/room`, then kept live by the
//! `room` events of the bulb stream — and what the page knows of my own progress
//! (runs, schedule, diagnosis), which sharpens the prompt.

use bulbwatch_api::{AttendeeProgress, Diagnosis, Phase, Reveal, RoomState, RunSummary, Verdict};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::console;
use crate::contexts::LiveBulb;

/// How many of my latest runs tell whether I ran and passed.
const RUNS_LOOKED_AT: u32 = 50;

/// The room and my progress in it.
#[derive(Clone, Copy, Debug)]
pub struct Room {
    /// The room's state, once known (shared with the live bulb, which keeps it live).
    pub state: RwSignal<Option<RoomState>>,
    /// I ran a check at least once.
    pub has_run: RwSignal<bool>,
    /// One of my runs passed.
    pub has_passed: RwSignal<bool>,
    /// This page runs my check on a schedule now.
    pub scheduled: RwSignal<bool>,
    /// My diagnosis, once loaded (`None`: none submitted, or not known yet).
    pub diagnosis: RwSignal<Option<Diagnosis>>,
}

impl Room {
    /// Reads the room's state now (the stream sends it too, but may be slower).
    pub fn load(self) {
        spawn_local(async move {
            match api::room::state().await {
                // The stream may have told a newer state meanwhile.
                Ok(state) => {
                    if self.state.try_with_untracked(Option::is_none) == Some(true) {
                        self.state.try_set(Some(state));
                    }
                }
                Err(failure) => console::info(&format!("could not read the room: {failure}")),
            }
        });
    }

    /// Reads what I have done so far: my runs and my diagnosis (once joined).
    pub fn load_progress(self) {
        spawn_local(async move {
            match api::runs::mine(RUNS_LOOKED_AT).await {
                Ok(runs) => self.saw_runs(&runs),
                Err(failure) => console::info(&format!("could not read your runs: {failure}")),
            }
        });
        self.reload_diagnosis();
    }

    /// Reads my diagnosis again (the facilitator may have marked it).
    pub fn reload_diagnosis(self) {
        spawn_local(async move {
            match api::room::my_diagnosis().await {
                Ok(found) => {
                    if self.diagnosis.try_with_untracked(|d| d != &found) == Some(true) {
                        self.diagnosis.try_set(found);
                    }
                }
                Err(failure) => {
                    console::info(&format!("could not read your diagnosis: {failure}"));
                }
            }
        });
    }

    /// Counts `runs` (mine) into the progress.
    pub fn saw_runs(self, runs: &[RunSummary]) {
        if !runs.is_empty() {
            self.has_run.try_set(true);
        }
        if runs.iter().any(|r| r.verdict == Verdict::Pass) {
            self.has_passed.try_set(true);
        }
    }

    /// The current phase, once known.
    pub fn phase(self) -> Signal<Option<Phase>> {
        let state = self.state;
        Memo::new(move |_| state.with(|s| s.as_ref().map(|s| s.phase))).into()
    }

    /// The reveal, while the facilitator shows it.
    pub fn reveal(self) -> Signal<Option<Reveal>> {
        let state = self.state;
        Memo::new(move |_| state.with(|s| s.as_ref().and_then(|s| s.reveal.clone()))).into()
    }

    /// What the page knows of my progress.
    pub fn progress(self) -> Signal<AttendeeProgress> {
        Memo::new(move |_| AttendeeProgress {
            has_run: self.has_run.get(),
            has_passed: self.has_passed.get(),
            scheduled: self.scheduled.get(),
            diagnosed: self.diagnosis.with(Option::is_some),
        })
        .into()
    }
}

/// Creates the room state (fed by `live`'s stream) and provides it.
pub fn provide_room(live: LiveBulb) -> Room {
    let room = Room {
        state: live.room,
        has_run: RwSignal::new(false),
        has_passed: RwSignal::new(false),
        scheduled: RwSignal::new(false),
        diagnosis: RwSignal::new(None),
    };
    provide_context(room);
    room
}

/// The room.
pub fn use_room() -> Room {
    expect_context()
}
