//! Running the open check: one run at a time in the check worker, live progress into
//! the result pane, every run recorded on the server, the history reloaded after it,
//! and the schedule ("run every N s") while the page is open.

use std::time::Duration;

use bulbwatch_api::{CheckReport, RecordRun, RunSummary};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::check_runner::{CheckRunner, RunEvent};
use crate::checks::protocol::{RunRequest, trace_id_from_bytes};
use crate::checks::run_view::RunView;
use crate::checks::schedule::{HISTORY_LEN, INTERVAL_DEFAULT_S, parse_interval};
use crate::console;
use crate::contexts::{LastError, Room};
use crate::runs_channel;

use super::check_doc::CheckDoc;

/// The run on show, the history, the schedule, and the worker behind them.
#[derive(Clone, Copy, Debug)]
pub struct RunControl {
    /// The run the result pane shows (the live one while running).
    pub view: RwSignal<Option<RunView>>,
    /// Recent runs of the open check, newest first.
    pub history: RwSignal<Vec<RunSummary>>,
    /// Whether the schedule is on.
    pub scheduled: RwSignal<bool>,
    /// The interval field's text.
    pub interval: RwSignal<String>,
    /// Why the interval cannot be used, if it cannot.
    pub interval_problem: Memo<Option<String>>,
    /// Whether the check worker has loaded (a run waits for it until then).
    pub engine_ready: RwSignal<bool>,
    runner: StoredValue<Option<CheckRunner>, LocalStorage>,
    /// Counts schedule starts, so a stopped schedule's timer does nothing.
    schedule_serial: StoredValue<u64>,
    /// Whether the schedule started the run going now (recorded with it).
    by_schedule: StoredValue<bool>,
    /// My progress in the room, which a recorded run adds to.
    room: Option<Room>,
    doc: CheckDoc,
    errors: LastError,
}

impl RunControl {
    /// Follows the open check's history; the worker starts on
    /// [`RunControl::warm_up`] or the first run.
    pub fn new(doc: CheckDoc, errors: LastError) -> Self {
        let room = use_context::<Room>();
        let interval = RwSignal::new(INTERVAL_DEFAULT_S.to_string());
        let control = Self {
            view: RwSignal::new(None),
            history: RwSignal::new(Vec::new()),
            scheduled: RwSignal::new(false),
            interval,
            interval_problem: Memo::new(move |_| interval.with(|i| parse_interval(i).err())),
            engine_ready: RwSignal::new(false),
            runner: StoredValue::new_local(None),
            schedule_serial: StoredValue::new(0),
            by_schedule: StoredValue::new(false),
            room,
            doc,
            errors,
        };
        let runner = CheckRunner::new(move |event| control.on_event(event));
        control.runner.set_value(Some(runner));

        // A new check open: its history.
        let check_id = Memo::new(move |_| doc.check_id.get());
        Effect::new(move |_| {
            if let Some(id) = check_id.get() {
                control.load_history(id);
            }
        });
        // A new interval while scheduled: the next run follows it.
        Effect::new(move |previous: Option<String>| {
            let now = interval.get();
            if previous.is_some_and(|p| p != now)
                && control.scheduled.get_untracked()
                && let Ok(secs) = parse_interval(&now)
            {
                control.start_ticking(secs);
            }
            now
        });
        // Leaving the page stops the schedule: the room's prompt follows.
        if let Some(room) = room {
            on_cleanup(move || room.set_scheduled(false));
        }
        control
    }

    /// Whether a run is going.
    pub fn is_running(self) -> bool {
        self.runner
            .try_with_value(|r| r.as_ref().is_some_and(CheckRunner::is_running))
            .unwrap_or(false)
    }

    /// Starts the check worker loading, if it is not there yet: the attendee has
    /// turned to the check, a run is likely soon.
    pub fn warm_up(self) {
        self.runner.with_value(|r| {
            if let Some(runner) = r {
                runner.warm_up();
            }
        });
    }

    /// Runs the open check now; does nothing while a run is going.
    pub fn run(self) {
        self.start(false);
    }

    /// Runs the open check, `scheduled` when the schedule asked for it.
    fn start(self, scheduled: bool) {
        if self.is_running() {
            return;
        }
        self.by_schedule.set_value(scheduled);
        let trace_id = trace_id_from_bytes(random_bytes());
        self.view.set(Some(RunView::running(
            trace_id.clone(),
            js_sys::Date::now(),
        )));
        self.doc.save_now();
        let request = RunRequest {
            script: self.doc.source.get_untracked(),
            trace_id,
        };
        self.runner.with_value(|r| {
            if let Some(runner) = r {
                runner.run(&request);
            }
        });
    }

    /// Stops the running check (terminating the worker).
    pub fn stop(self) {
        self.runner.with_value(|r| {
            if let Some(runner) = r {
                runner.stop();
            }
        });
    }

    /// The schedule's switch: on (if the interval is usable; first run at once) or off.
    pub fn toggle_schedule(self) {
        if self.scheduled.get_untracked() {
            self.scheduled.set(false);
            self.tell_room_scheduled(false);
            self.schedule_serial.update_value(|s| *s += 1);
            return;
        }
        match parse_interval(&self.interval.get_untracked()) {
            Ok(secs) => {
                self.scheduled.set(true);
                self.tell_room_scheduled(true);
                self.start(true);
                self.start_ticking(secs);
            }
            // The field says what is wrong already.
            Err(problem) => console::info(&format!("the schedule was not started: {problem}")),
        }
    }

    /// The room's prompt follows the schedule.
    fn tell_room_scheduled(self, on: bool) {
        if let Some(room) = self.room {
            room.set_scheduled(on);
        }
    }

    /// Runs every `secs` from now on (a tick during a run is skipped).
    fn start_ticking(self, secs: u32) {
        self.schedule_serial.update_value(|s| *s += 1);
        let serial = self.schedule_serial.get_value();
        tick_after(self, serial, secs);
    }

    fn on_event(self, event: RunEvent) {
        match event {
            RunEvent::Progress(progress) => {
                let now = js_sys::Date::now();
                self.view.update(|v| {
                    if let Some(v) = v {
                        v.apply(progress, now);
                    }
                });
            }
            RunEvent::Finished(report) => self.finish(*report),
            RunEvent::EngineLoading => self.engine_ready.set(false),
            RunEvent::EngineReady => self.engine_ready.set(true),
            RunEvent::Ended(reason) => {
                let now = js_sys::Date::now();
                let report = self
                    .view
                    .with_untracked(|v| v.as_ref().map(|v| v.ended_report(&reason.message(), now)));
                if let Some(report) = report {
                    self.finish(report);
                }
            }
        }
    }

    /// Shows the report and records the run.
    fn finish(self, report: CheckReport) {
        self.view.set(Some(RunView::finished(&report)));
        let name = self.doc.name.get_untracked().trim().to_string();
        let run = RecordRun {
            check_id: self.doc.check_id.get_untracked(),
            check_name: if name.is_empty() {
                "untitled".to_string()
            } else {
                name
            },
            report,
            scheduled: self.by_schedule.get_value(),
        };
        spawn_local(async move {
            match api::runs::record(&run).await {
                Ok(summary) => {
                    if let Some(room) = self.room {
                        room.saw_runs(std::slice::from_ref(&summary));
                    }
                    runs_channel::announce_run(summary.check_id.as_deref());
                    if let Some(id) = &summary.check_id {
                        self.load_history(id.clone());
                    } else {
                        self.history.update(|h| {
                            h.insert(0, summary);
                            h.truncate(HISTORY_LEN as usize);
                        });
                    }
                }
                Err(failure) => self.errors.show(format!(
                    "The run could not be recorded: {}",
                    failure.message
                )),
            }
        });
    }

    fn load_history(self, check_id: String) {
        spawn_local(async move {
            match api::runs::history(&check_id, HISTORY_LEN).await {
                Ok(runs) => {
                    if self.doc.check_id.try_get_untracked().flatten().as_deref()
                        == Some(check_id.as_str())
                    {
                        self.history.set(runs);
                    }
                }
                Err(failure) => {
                    console::info(&format!("could not load the run history: {failure}"));
                }
            }
        });
    }
}

fn tick_after(control: RunControl, serial: u64, secs: u32) {
    set_timeout(
        move || {
            if control.schedule_serial.try_get_value() != Some(serial) {
                return;
            }
            if control.is_running() {
                console::info("a scheduled run was skipped: the last one is still going");
            } else {
                control.start(true);
            }
            tick_after(control, serial, secs);
        },
        Duration::from_secs(u64::from(secs)),
    );
}

/// 16 random bytes for a trace id, from `crypto.getRandomValues` (or `Math.random`).
fn random_bytes() -> [u8; 16] {
    let mut bytes = [0_u8; 16];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        for b in &mut bytes {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    bytes
}
