//! The event store's front: counters, the bounded queue spans go through, the writer
//! task that batches them into SQLite, and the retention caps.
//!
//! The request path never waits here: a closed span becomes an event that is offered
//! to a bounded queue with `try_send`; when the queue is full the event is dropped and
//! counted. The writer takes whatever is queued (up to [`BATCH_MAX`] at a time: small
//! batches when the room is quiet, full ones when the queue is deep) and writes it on
//! its own connection ([`EventLog`]) in one short transaction, which also deletes the
//! oldest events of any dataset over a cap and adds to the saved drop counters.
//!
//! Retention is **per dataset**: each of `bulb` and `e2e` keeps at most
//! [`Retention::events`] events and [`Retention::bytes`] bytes of stored fields (the
//! JSON text of each event), the oldest going first until both hold. Deleting an `e2e`
//! event deletes its recorded run (report) too.
//!
//! The counters of spans dropped and of events retention deleted are saved in SQLite
//! (settings `events.<dataset>.dropped` / `.retention_dropped`) with the batches that
//! follow them, so they survive a restart; what is stored is counted at start.
//!
//! Every event that lands here (a batch of spans, a recorded run) also lands in the
//! in-memory [`EventTables`] the queries read, right after its commit, and retention
//! drops from memory exactly what it deleted from SQLite. Landing and trimming are
//! serialized per dataset, so both hold the same events in the same order (by
//! timestamp, then arrival) at every step.

mod export;
mod tables;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use bulbwatch_api::{Dataset, DatasetStats, EventStats, RunSummary};
use tokio::sync::{Mutex, OnceCell, mpsc};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use tracing::instrument::WithSubscriber;

pub use export::{ExportFormat, export_body};
pub use tables::EventTables;

use crate::error::AppError;
use crate::store::{Batch, Caps, EventLog, Held, NewRun, Store, Trimmed};

/// Default retention cap: events kept per dataset.
pub const DEFAULT_RETENTION: u64 = 2_000_000;

/// Default retention cap on bytes: megabytes (10^6 bytes) of stored fields kept per
/// dataset. A span's fields take about 350–500 bytes (about 460 on disk with the
/// indexes), so 5,000 MB holds the ~10M events of a 90-minute room of 200 (should
/// `--event-retention` be raised that far), about 5 GB on disk; at the default count
/// cap (2M events, under 1 GB) it only bites on fat events, e.g. spans carrying huge
/// attributes.
pub const DEFAULT_RETENTION_MB: u64 = 5_000;

/// Default capacity of the queue between closed spans and the writer.
pub const DEFAULT_QUEUE_CAPACITY: usize = 10_000;

/// Most events written in one transaction: a deep queue drains in few commits, and a
/// transaction stays short enough (a few ms) that a request's write waiting for it
/// is not noticed.
pub const BATCH_MAX: usize = 2_000;

/// Events read from SQLite at a time while filling the in-memory tables at start.
const LOAD_PAGE: u32 = 10_000;

/// Filling the in-memory tables logs its progress every this many events.
const LOAD_LOG_EVERY: u64 = 250_000;

/// The retention caps, the same for every dataset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Retention {
    /// Most events kept per dataset (at least 1).
    pub events: u64,
    /// Most bytes of stored fields (the events' JSON text) kept per dataset (at
    /// least 1).
    pub bytes: u64,
}

impl Default for Retention {
    fn default() -> Self {
        DEFAULT_RETENTION.into()
    }
}

impl From<u64> for Retention {
    /// A cap of `events` per dataset, with the default cap on bytes.
    fn from(events: u64) -> Self {
        Self {
            events,
            bytes: DEFAULT_RETENTION_MB * 1_000_000,
        }
    }
}

impl Retention {
    fn caps(self) -> Caps {
        Caps {
            events: self.events.max(1),
            bytes: self.bytes.max(1),
        }
    }
}

/// An event on its way to the store.
#[derive(Clone, Debug)]
pub struct NewEvent {
    /// Its dataset.
    pub dataset: Dataset,
    /// When it happened, ms since the Unix epoch.
    pub timestamp_ms: i64,
    /// Its trace, if any.
    pub trace_id: Option<String>,
    /// Its fields.
    pub fields: serde_json::Map<String, serde_json::Value>,
}

/// Handle to the event store; cheap to clone.
#[derive(Clone)]
pub struct Events {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    /// The writer's own connection: batches, trims, saved counters.
    log: EventLog,
    caps: Caps,
    counters: [Counters; Dataset::ALL.len()],
    tables: EventTables,
    /// Set once the tables hold what SQLite held at start.
    loaded: OnceCell<()>,
    /// Held while events land in a dataset and it is trimmed: SQLite and memory
    /// change in the same order.
    landing: [Mutex<()>; Dataset::ALL.len()],
}

#[derive(Default)]
struct Counters {
    stored: AtomicU64,
    /// Bytes of the stored events' fields.
    bytes: AtomicU64,
    dropped: AtomicU64,
    /// Of `dropped`, how many are in the saved count.
    dropped_saved: AtomicU64,
    retention_dropped: AtomicU64,
}

impl Counters {
    fn held(&self) -> Held {
        Held {
            events: self.stored.load(Ordering::Relaxed),
            bytes: self.bytes.load(Ordering::Relaxed),
        }
    }

    /// Counts events that landed, less what retention then deleted (never more
    /// than was held with them).
    fn landed(&self, events: u64, bytes: u64, trimmed: Trimmed) {
        self.stored.fetch_add(events, Ordering::Relaxed);
        self.stored.fetch_sub(trimmed.events, Ordering::Relaxed);
        self.bytes.fetch_add(bytes, Ordering::Relaxed);
        self.bytes.fetch_sub(trimmed.bytes, Ordering::Relaxed);
        self.retention_dropped
            .fetch_add(trimmed.events, Ordering::Relaxed);
    }

    /// Claims the drops not yet saved (give them back with `unclaim` if saving fails).
    fn claim_unsaved_drops(&self) -> u64 {
        let now = self.dropped.load(Ordering::Relaxed);
        let saved = self.dropped_saved.swap(now, Ordering::Relaxed);
        now.saturating_sub(saved)
    }

    fn unclaim(&self, n: u64) {
        self.dropped_saved.fetch_sub(n, Ordering::Relaxed);
    }
}

impl Events {
    /// Counts what the store holds and reads the saved counters; `retention` caps
    /// each dataset (an event count alone takes the default cap on bytes). Opens the
    /// writer's own connection. The in-memory tables are filled by [`Events::load`],
    /// which the first event to land (or the server's start) runs.
    pub async fn open(store: Store, retention: impl Into<Retention>) -> Result<Self, AppError> {
        let log = store.event_log()?;
        let events = Self {
            inner: Arc::new(Inner {
                store,
                log,
                caps: retention.into().caps(),
                counters: Default::default(),
                tables: EventTables::default(),
                loaded: OnceCell::new(),
                landing: Default::default(),
            }),
        };
        for (dataset, held, saved) in events.inner.log.held().await? {
            let c = events.counters(dataset);
            c.stored.store(held.events, Ordering::Relaxed);
            c.bytes.store(held.bytes, Ordering::Relaxed);
            c.dropped.store(saved.dropped, Ordering::Relaxed);
            c.dropped_saved.store(saved.dropped, Ordering::Relaxed);
            c.retention_dropped
                .store(saved.retention_dropped, Ordering::Relaxed);
        }
        Ok(events)
    }

    fn counters(&self, dataset: Dataset) -> &Counters {
        &self.inner.counters[dataset as usize]
    }

    /// The events in memory, for queries. Empty until [`Events::load`] has run.
    pub fn tables(&self) -> &EventTables {
        &self.inner.tables
    }

    /// Fills the in-memory tables from SQLite, oldest first, once (later calls wait
    /// for the first, then return at once). A store holding more than the caps (a cap
    /// was lowered) is trimmed first. Logs its progress for big stores.
    pub async fn load(&self) -> Result<(), AppError> {
        self.inner
            .loaded
            .get_or_try_init(|| async {
                for dataset in Dataset::ALL {
                    self.load_dataset(dataset).await?;
                }
                Ok::<_, AppError>(())
            })
            .await
            .map(drop)
    }

    async fn load_dataset(&self, dataset: Dataset) -> Result<(), AppError> {
        let _landing = self.inner.landing[dataset as usize].lock().await;
        self.inner.tables.clear(dataset).await?;
        self.trim(dataset).await?;
        let counters = self.counters(dataset);
        let total = counters.stored.load(Ordering::Relaxed);
        if total >= LOAD_LOG_EVERY {
            tracing::info!(%dataset, events = total, "loading events into memory for queries");
        }
        let started = Instant::now();
        let mut loaded = 0u64;
        let mut bytes = 0u64;
        let mut after = None;
        loop {
            let page = self
                .inner
                .store
                .events_page(dataset, i64::MIN, i64::MAX, after, LOAD_PAGE)
                .await?;
            let Some(last) = page.last() else { break };
            after = Some((last.timestamp_ms, last.seq));
            let n = page.len() as u64;
            bytes += page.iter().map(|e| e.fields.len() as u64).sum::<u64>();
            self.inner.tables.load_page(dataset, page).await?;
            if (loaded + n) / LOAD_LOG_EVERY > loaded / LOAD_LOG_EVERY {
                tracing::info!(%dataset, loaded = loaded + n, of = total, "loading events");
            }
            loaded += n;
        }
        // What is in memory is what is stored, whatever was counted before.
        counters.stored.store(loaded, Ordering::Relaxed);
        counters.bytes.store(bytes, Ordering::Relaxed);
        if loaded > 0 {
            tracing::info!(
                %dataset,
                events = loaded,
                ms = started.elapsed().as_millis() as u64,
                "events loaded into memory"
            );
        }
        Ok(())
    }

    /// The counters of every dataset.
    pub fn stats(&self) -> EventStats {
        EventStats {
            datasets: Dataset::ALL
                .into_iter()
                .map(|dataset| {
                    let c = self.counters(dataset);
                    let stats = DatasetStats {
                        events: c.stored.load(Ordering::Relaxed),
                        dropped: c.dropped.load(Ordering::Relaxed),
                        retention_dropped: c.retention_dropped.load(Ordering::Relaxed),
                    };
                    (dataset, stats)
                })
                .collect(),
        }
    }

    /// Bytes of stored fields `dataset` holds (what the cap on bytes measures).
    pub fn stored_bytes(&self, dataset: Dataset) -> u64 {
        self.counters(dataset).bytes.load(Ordering::Relaxed)
    }

    /// A bounded queue of `capacity` events: the sink for closed spans and the
    /// receiving end for [`Events::spawn_writer`].
    pub fn queue(&self, capacity: usize) -> (EventSink, mpsc::Receiver<NewEvent>) {
        let (tx, rx) = mpsc::channel(capacity.max(1));
        let sink = EventSink {
            tx,
            events: self.clone(),
        };
        (sink, rx)
    }

    /// Writes a batch (with the drops counted since the last one) in one
    /// transaction that also trims every dataset it touched to the caps, then adds it
    /// to the in-memory tables and drops from them what was trimmed. A batch the
    /// database refuses is counted as dropped.
    pub async fn write(&self, batch: Vec<NewEvent>) -> Result<(), AppError> {
        if batch.is_empty() {
            return Ok(());
        }
        self.load().await?;
        let mut sizes = [0u64; Dataset::ALL.len()];
        for event in &batch {
            sizes[event.dataset as usize] += 1;
        }
        // In `Dataset::ALL` order, so two landings never wait for each other's lock.
        let mut landing = Vec::new();
        for dataset in Dataset::ALL {
            if sizes[dataset as usize] > 0 {
                landing.push(self.inner.landing[dataset as usize].lock().await);
            }
        }
        let dropped = Dataset::ALL.map(|d| self.counters(d).claim_unsaved_drops());
        let written = self
            .inner
            .log
            .write(Batch {
                events: batch,
                held: Dataset::ALL.map(|d| self.counters(d).held()),
                caps: [self.inner.caps; Dataset::ALL.len()],
                dropped,
            })
            .await;
        let (events, landed) = match written {
            Ok(written) => written,
            Err(e) => {
                for dataset in Dataset::ALL {
                    let c = self.counters(dataset);
                    c.unclaim(dropped[dataset as usize]);
                    c.dropped
                        .fetch_add(sizes[dataset as usize], Ordering::Relaxed);
                }
                return Err(e);
            }
        };
        let mut in_memory: [Vec<tables::Row>; Dataset::ALL.len()] = Default::default();
        for (dataset, size) in Dataset::ALL.into_iter().zip(sizes) {
            in_memory[dataset as usize].reserve(size as usize);
        }
        for event in events {
            in_memory[event.dataset as usize].push((event.timestamp_ms, event.fields));
        }
        for dataset in Dataset::ALL {
            let i = dataset as usize;
            let added = std::mem::take(&mut in_memory[i]);
            if added.is_empty() {
                continue;
            }
            let part = landed[i];
            self.counters(dataset)
                .landed(part.events, part.bytes, part.trimmed);
            self.inner.tables.append(dataset, added).await?;
            self.inner
                .tables
                .drop_oldest(dataset, part.trimmed.events)
                .await?;
        }
        drop(landing);
        Ok(())
    }

    /// Saves the drops counted since the last batch (the writer does this as it
    /// finishes; every batch saves them too).
    pub async fn save_counters(&self) -> Result<(), AppError> {
        let dropped = Dataset::ALL.map(|d| self.counters(d).claim_unsaved_drops());
        let saved = self.inner.log.save_dropped(dropped).await;
        if saved.is_err() {
            for dataset in Dataset::ALL {
                self.counters(dataset).unclaim(dropped[dataset as usize]);
            }
        }
        saved
    }

    /// Ends the session: exports everything to a file, empties the room's tables in
    /// SQLite, and clears the events in memory, with no event landing meanwhile.
    pub async fn new_session(
        &self,
    ) -> Result<(std::path::PathBuf, crate::store::SessionCounts), AppError> {
        self.load().await?;
        let mut locks = Vec::new();
        for lock in &self.inner.landing {
            locks.push(lock.lock().await);
        }
        let exported = self.inner.store.export_and_clear_session().await?;
        for dataset in Dataset::ALL {
            self.inner.tables.clear(dataset).await?;
            let c = self.counters(dataset);
            c.stored.store(0, Ordering::Relaxed);
            c.bytes.store(0, Ordering::Relaxed);
        }
        drop(locks);
        Ok(exported)
    }

    /// Records a check run (its `e2e` event and report, in SQLite and in memory) as
    /// `run.attendee`, then trims the oldest runs beyond the caps. The run is recorded
    /// either way, so a failed trim is logged, not answered.
    pub async fn record_run(&self, run: NewRun) -> Result<RunSummary, AppError> {
        self.load().await?;
        let dataset = Dataset::E2e;
        let fields = run.event_fields();
        // The text SQLite stores: the same object, encoded the same way.
        let bytes = serde_json::to_string(&fields).map_or(0, |text| text.len() as u64);
        let row = (run.started_at_ms, fields);
        let _landing = self.inner.landing[dataset as usize].lock().await;
        let summary = self.inner.store.record_run(run).await?;
        self.counters(dataset).landed(1, bytes, Trimmed::default());
        self.inner.tables.append(dataset, vec![row]).await?;
        if let Err(e) = self.trim(dataset).await {
            tracing::error!(error = %e, "could not trim old runs");
        }
        Ok(summary)
    }

    /// Deletes the oldest events of `dataset` beyond the caps, from SQLite and then
    /// as many from memory. Call under the dataset's landing lock.
    async fn trim(&self, dataset: Dataset) -> Result<(), AppError> {
        let counters = self.counters(dataset);
        let trimmed = self
            .inner
            .log
            .trim(dataset, counters.held(), self.inner.caps)
            .await?;
        counters.landed(0, 0, trimmed);
        self.inner.tables.drop_oldest(dataset, trimmed.events).await
    }

    /// Starts the writer (under the current tracing subscriber): it writes what arrives on `queue` until `finish` is
    /// cancelled, then writes whatever is still queued and ends. Await the handle
    /// after the last span has closed to know every accepted event is on disk.
    pub fn spawn_writer(
        &self,
        queue: mpsc::Receiver<NewEvent>,
        finish: CancellationToken,
    ) -> JoinHandle<()> {
        tokio::spawn(write_until_finished(self.clone(), queue, finish).with_current_subscriber())
    }
}

async fn write_until_finished(
    events: Events,
    mut queue: mpsc::Receiver<NewEvent>,
    finish: CancellationToken,
) {
    let mut batch = Vec::with_capacity(BATCH_MAX);
    loop {
        let finishing = tokio::select! {
            // Queued events first: finishing must not skip any.
            biased;
            n = queue.recv_many(&mut batch, BATCH_MAX) => n == 0,
            () = finish.cancelled() => true,
        };
        if finishing {
            while let Ok(event) = queue.try_recv() {
                batch.push(event);
            }
        }
        while !batch.is_empty() {
            let rest = batch.split_off(batch.len().min(BATCH_MAX));
            let chunk = std::mem::replace(&mut batch, rest);
            if let Err(e) = events.write(chunk).await {
                tracing::error!(error = %e, "could not write events; they are counted as dropped");
            }
        }
        if finishing {
            if let Err(e) = events.save_counters().await {
                tracing::error!(error = %e, "could not save the drop counters");
            }
            return;
        }
    }
}

/// Where closed spans go: a non-blocking offer to the writer's queue.
#[derive(Clone)]
pub struct EventSink {
    tx: mpsc::Sender<NewEvent>,
    events: Events,
}

impl std::fmt::Debug for EventSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventSink")
            .field("capacity", &self.tx.max_capacity())
            .finish_non_exhaustive()
    }
}

impl EventSink {
    /// Queues `event` if there is room; otherwise drops it and counts it. Never waits.
    pub fn send(&self, event: NewEvent) {
        let dataset = event.dataset;
        if self.tx.try_send(event).is_err() {
            self.events
                .counters(dataset)
                .dropped
                .fetch_add(1, Ordering::Relaxed);
        }
    }
}
