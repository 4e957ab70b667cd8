//! The rehearsal room: simulated attendees who each run the classic check on a
//! schedule with jitter — the same engine as the page and `bulbwatch check`, over
//! real HTTP against the server — and record their runs. The facilitator adds and
//! removes them from the console; `bulbwatch rehearse` runs them from a terminal
//! against any deployment. A third of them send their colours as `#rrggbb` (their
//! copy of the classic check lists the same colours in hex), as some of a real room
//! would.

pub mod cli;

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bulbwatch_api::{
    Attendee, CheckReport, MAX_SIMULATED, NAMED_COLOURS, REHEARSAL_INTERVAL_DEFAULT_MS,
    REHEARSAL_INTERVAL_MAX_MS, REHEARSAL_INTERVAL_MIN_MS, RecordRun, RehearsalState,
};
use bulbwatch_checks::{CLASSIC_CHECK, RunOptions, SystemClock, run_check, trace_id_from_bytes};
use tokio_util::sync::CancellationToken;

use crate::AppState;
use crate::auth::{new_token, token_hash};
use crate::check_cli::transport::{BlockingTransport, client};
use crate::error::AppError;
use crate::scenarios::draw;

/// Where the rehearsal's size and interval are saved, so a restart resumes it.
const ATTENDEES_KEY: &str = "rehearsal.attendees";
const INTERVAL_KEY: &str = "rehearsal.interval_ms";

/// Names the simulated attendees take, in order (numbered past the end).
const NAMES: [&str; 20] = [
    "Ada",
    "Grace",
    "Linus",
    "Barbara",
    "Ken",
    "Margaret",
    "Dennis",
    "Frances",
    "Alan",
    "Radia",
    "Edsger",
    "Hedy",
    "Donald",
    "Katherine",
    "Tim",
    "Sophie",
    "John",
    "Annie",
    "Guido",
    "Karen",
];

/// The name of simulated attendee `index` (0-based): "Ada (sim)", and numbered past
/// the list ("Ada 2 (sim)"), so no chart mixes them up with the room's own Ada.
pub fn simulated_name(index: u32) -> String {
    let name = NAMES[index as usize % NAMES.len()];
    match index as usize / NAMES.len() {
        0 => format!("{name} (sim)"),
        round => format!("{name} {} (sim)", round + 1),
    }
}

/// The check simulated attendee `index` runs: the classic check, or (every third)
/// its copy that sends the same colours as `#rrggbb`.
pub fn check_for(index: u32) -> String {
    if index % 3 != 2 {
        return CLASSIC_CHECK.to_string();
    }
    let hex: Vec<String> = NAMED_COLOURS
        .iter()
        .map(|(_, hex)| format!("\"{hex}\""))
        .collect();
    CLASSIC_CHECK
        .lines()
        .map(|line| {
            if line.starts_with("let colours = [") {
                format!("let colours = [{}];", hex.join(", "))
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// One simulated attendee's loop, until `stop` says so: run the check, record the
/// run as scheduled, wait `interval` give or take a quarter (from `seed`).
pub struct Simulation {
    /// The server, `http://HOST:PORT`.
    pub base: String,
    /// The simulated attendee's bearer token.
    pub token: String,
    /// Which simulated attendee (for its check and its jitter).
    pub index: u32,
    /// The room's seed.
    pub seed: u64,
    /// How often it runs, ms.
    pub interval_ms: Arc<AtomicU32>,
    /// Runs recorded, counted across the room.
    pub runs: Arc<AtomicU64>,
}

impl Simulation {
    /// Runs until `stopped()` is true; blocking (run it on a thread of its own).
    pub fn run(&self, stopped: impl Fn() -> bool) {
        let Ok(http) = client() else {
            tracing::error!("cannot build the rehearsal's HTTP client");
            return;
        };
        let script = check_for(self.index);
        let mut round: i64 = 0;
        // Spread the first runs over one interval so they do not all start at once.
        let first = self.jitter(round, true);
        if wait(first, &stopped) {
            return;
        }
        while !stopped() {
            round += 1;
            let report = self.run_once(&http, &script);
            if self.record(&http, report).is_ok() {
                self.runs.fetch_add(1, Ordering::Relaxed);
            }
            if wait(self.jitter(round, false), &stopped) {
                return;
            }
        }
    }

    fn jitter(&self, round: i64, first: bool) -> Duration {
        let interval = u64::from(self.interval_ms.load(Ordering::Relaxed).max(1));
        let n = draw(
            self.seed,
            "rehearsal",
            i64::from(self.index) * 1_000_000 + round,
        );
        let ms = if first {
            n % interval
        } else {
            // interval ± a quarter.
            interval * 3 / 4 + n % (interval / 2).max(1)
        };
        Duration::from_millis(ms)
    }

    fn run_once(&self, http: &reqwest::blocking::Client, script: &str) -> CheckReport {
        let mut bytes = [0u8; 16];
        let _ = getrandom::fill(&mut bytes);
        let options = RunOptions::new(trace_id_from_bytes(bytes));
        let transport = Rc::new(RefCell::new(BlockingTransport::new(
            http.clone(),
            self.base.clone(),
            self.token.clone(),
        )));
        run_check(script, &options, transport, Rc::new(SystemClock), |_| {})
    }

    fn record(&self, http: &reqwest::blocking::Client, report: CheckReport) -> Result<(), String> {
        let body = RecordRun {
            check_id: None,
            check_name: "classic".into(),
            report,
            scheduled: true,
        };
        let res = http
            .post(format!("{}/api/runs", self.base))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .map_err(|e| e.to_string())?;
        if res.status().is_success() {
            Ok(())
        } else {
            Err(res.status().to_string())
        }
    }
}

/// Sleeps `total` in short steps; true if `stopped()` came true meanwhile.
fn wait(total: Duration, stopped: &impl Fn() -> bool) -> bool {
    let until = Instant::now() + total;
    loop {
        if stopped() {
            return true;
        }
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return false;
        }
        std::thread::sleep(left.min(Duration::from_millis(100)));
    }
}

struct Running {
    attendee: Attendee,
    stop: Arc<AtomicBool>,
}

/// The server's rehearsal room; cheap to clone.
#[derive(Clone)]
pub struct Rehearsal {
    running: Arc<Mutex<Vec<Running>>>,
    interval_ms: Arc<AtomicU32>,
    runs: Arc<AtomicU64>,
    /// Threads still running (a stopped attendee finishes its run first).
    live: Arc<AtomicU32>,
    shutdown: CancellationToken,
}

impl Rehearsal {
    /// An empty rehearsal room whose attendees stop when `shutdown` is cancelled.
    pub fn new(shutdown: CancellationToken) -> Self {
        Self {
            running: Arc::default(),
            interval_ms: Arc::new(AtomicU32::new(REHEARSAL_INTERVAL_DEFAULT_MS)),
            runs: Arc::default(),
            live: Arc::default(),
            shutdown,
        }
    }

    /// Whether every simulated attendee that was asked to stop has finished its last
    /// run (and recorded it).
    pub fn all_stopped(&self) -> bool {
        self.live.load(Ordering::SeqCst) == self.lock().len() as u32
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Running>> {
        self.running
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// What the console shows.
    pub fn state(&self) -> RehearsalState {
        RehearsalState {
            running: self.lock().len() as u32,
            interval_ms: self.interval_ms.load(Ordering::Relaxed),
            runs: self.runs.load(Ordering::Relaxed),
        }
    }

    /// Runs `attendees` simulated attendees (more join, or the last ones stop), each
    /// every `interval_ms` when given.
    pub async fn set(
        &self,
        state: &AppState,
        attendees: u32,
        interval_ms: Option<u32>,
    ) -> Result<(), AppError> {
        if attendees > MAX_SIMULATED {
            return Err(AppError::Invalid(format!(
                "a rehearsal room holds 0–{MAX_SIMULATED} simulated attendees, got {attendees}"
            )));
        }
        if let Some(ms) = interval_ms {
            if !(REHEARSAL_INTERVAL_MIN_MS..=REHEARSAL_INTERVAL_MAX_MS).contains(&ms) {
                return Err(AppError::Invalid(format!(
                    "interval_ms must be {REHEARSAL_INTERVAL_MIN_MS}–{REHEARSAL_INTERVAL_MAX_MS}, got {ms}"
                )));
            }
            self.interval_ms.store(ms, Ordering::Relaxed);
            state
                .store
                .set_setting(INTERVAL_KEY, ms.to_string())
                .await?;
        }
        state
            .store
            .set_setting(ATTENDEES_KEY, attendees.to_string())
            .await?;
        let base = state.room.local_url();
        if base.is_empty() && attendees > 0 {
            return Err(AppError::Internal(
                "the server is not listening yet, so simulated attendees cannot reach it".into(),
            ));
        }
        let have = self.lock().len() as u32;
        for index in have..attendees {
            let attendee = Attendee {
                id: uuid::Uuid::new_v4().simple().to_string(),
                name: simulated_name(index),
            };
            let token = new_token()?;
            let hash = token_hash(&token);
            state
                .store
                .insert_attendee(attendee.clone(), hash.clone(), true)
                .await?;
            state.attendees.insert(hash, attendee.clone());
            let stop = Arc::new(AtomicBool::new(false));
            let simulation = Simulation {
                base: base.clone(),
                token,
                index,
                seed: state.scenarios.seed(),
                interval_ms: Arc::clone(&self.interval_ms),
                runs: Arc::clone(&self.runs),
            };
            let (flag, shutdown) = (Arc::clone(&stop), self.shutdown.clone());
            let live = Arc::clone(&self.live);
            live.fetch_add(1, Ordering::SeqCst);
            let spawned = std::thread::Builder::new()
                .name(format!("rehearsal-{index}"))
                .spawn(move || {
                    simulation.run(|| flag.load(Ordering::Relaxed) || shutdown.is_cancelled());
                    live.fetch_sub(1, Ordering::SeqCst);
                });
            if let Err(e) = spawned {
                self.live.fetch_sub(1, Ordering::SeqCst);
                return Err(AppError::internal("starting a simulated attendee", e));
            }
            self.lock().push(Running { attendee, stop });
        }
        let mut running = self.lock();
        while running.len() as u32 > attendees {
            if let Some(last) = running.pop() {
                last.stop.store(true, Ordering::Relaxed);
            }
        }
        Ok(())
    }

    /// Stops every simulated attendee and removes them (and any left from an earlier
    /// run of the server) from the room. Answers how many were removed.
    pub async fn remove_all(&self, state: &AppState) -> Result<u32, AppError> {
        for running in self.lock().drain(..) {
            running.stop.store(true, Ordering::Relaxed);
            tracing::debug!(attendee = %running.attendee.id, "simulated attendee stopped");
        }
        let mut removed = 0;
        for id in state.store.simulated_attendees().await? {
            if state.store.remove_attendee(id.clone()).await? {
                removed += 1;
            }
            state.attendees.forget(&id);
        }
        self.runs.store(0, Ordering::Relaxed);
        state
            .store
            .set_setting(ATTENDEES_KEY, "0".to_string())
            .await?;
        Ok(removed)
    }

    /// After a restart: the rehearsal that ran before runs again, with fresh
    /// simulated attendees in place of the stopped ones (their runs stay).
    pub async fn resume(&self, state: &AppState) -> Result<(), AppError> {
        let saved = |key| async move {
            state
                .store
                .setting(key)
                .await
                .map(|v| v.and_then(|v| v.parse::<u32>().ok()))
        };
        let attendees = saved(ATTENDEES_KEY).await?.unwrap_or(0);
        if attendees == 0 {
            return Ok(());
        }
        let interval = saved(INTERVAL_KEY).await?;
        for id in state.store.simulated_attendees().await? {
            state.store.remove_attendee(id.clone()).await?;
            state.attendees.forget(&id);
        }
        tracing::info!(attendees, "resuming the rehearsal room");
        self.set(state, attendees.min(MAX_SIMULATED), interval)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_third_simulated_attendee_sends_hex() {
        assert_eq!(check_for(0), CLASSIC_CHECK);
        let hex = check_for(2);
        assert!(
            hex.contains("let colours = [\"#ff0000\", \"#ff8000\""),
            "{hex}"
        );
        assert!(!hex.contains("\"red\""));
    }

    #[test]
    fn names_are_numbered_past_the_list() {
        assert_eq!(simulated_name(0), "Ada (sim)");
        assert_eq!(simulated_name(20), "Ada 2 (sim)");
    }
}
