//! The event store's front: counters, the bounded queue spans go through, the writer
//! task that batches them into SQLite, and the retention cap.
//!
//! The request path never waits here: a closed span becomes an event that is offered
//! to a bounded queue with `try_send`; when the queue is full the event is dropped and
//! counted. The writer takes whatever is queued (up to [`BATCH_MAX`] at a time), writes
//! it in one transaction, then deletes the oldest events of any dataset over the cap.
//!
//! Retention is **per dataset**: each of `bulb` and `e2e` keeps at most `retention`
//! events. Deleting an `e2e` event deletes its recorded run (report) too.
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
use crate::store::{NewRun, Store, StoredEvent};

/// Default retention cap: events kept per dataset.
pub const DEFAULT_RETENTION: u64 = 2_000_000;

/// Default capacity of the queue between closed spans and the writer.
pub const DEFAULT_QUEUE_CAPACITY: usize = 10_000;

/// Most events written in one transaction.
pub const BATCH_MAX: usize = 1_000;

/// Events read from SQLite at a time while filling the in-memory tables at start.
const LOAD_PAGE: u32 = 10_000;

/// Filling the in-memory tables logs its progress every this many events.
const LOAD_LOG_EVERY: u64 = 250_000;

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
    retention: u64,
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
    dropped: AtomicU64,
    retention_dropped: AtomicU64,
}

impl Events {
    /// Counts what the store holds; `retention` is the cap per dataset (at least 1).
    /// The in-memory tables are filled by [`Events::load`], which the first event to
    /// land (or the server's start) runs.
    pub async fn open(store: Store, retention: u64) -> Result<Self, AppError> {
        let events = Self {
            inner: Arc::new(Inner {
                store,
                retention: retention.max(1),
                counters: Default::default(),
                tables: EventTables::default(),
                loaded: OnceCell::new(),
                landing: Default::default(),
            }),
        };
        for (dataset, n) in events.inner.store.event_counts().await? {
            events.counters(dataset).stored.store(n, Ordering::Relaxed);
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
    /// for the first, then return at once). A store holding more than the cap (the
    /// cap was lowered) is trimmed first. Logs its progress for big stores.
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
        self.trim(dataset, 0).await?;
        let counters = self.counters(dataset);
        let total = counters.stored.load(Ordering::Relaxed);
        if total >= LOAD_LOG_EVERY {
            tracing::info!(%dataset, events = total, "loading events into memory for queries");
        }
        let started = Instant::now();
        let mut loaded = 0u64;
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
            self.inner.tables.load_page(dataset, page).await?;
            if (loaded + n) / LOAD_LOG_EVERY > loaded / LOAD_LOG_EVERY {
                tracing::info!(%dataset, loaded = loaded + n, of = total, "loading events");
            }
            loaded += n;
        }
        // What is in memory is what is stored, whatever was counted before.
        counters.stored.store(loaded, Ordering::Relaxed);
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

    /// Writes a batch, adds it to the in-memory tables, then trims every dataset it
    /// touched to the cap. A batch the database refuses is counted as dropped.
    pub async fn write(&self, batch: Vec<NewEvent>) -> Result<(), AppError> {
        if batch.is_empty() {
            return Ok(());
        }
        self.load().await?;
        let mut in_memory: [Vec<tables::Row>; Dataset::ALL.len()] = Default::default();
        let mut rows = Vec::with_capacity(batch.len());
        for event in batch {
            rows.push(StoredEvent {
                dataset: event.dataset,
                timestamp_ms: event.timestamp_ms,
                trace_id: event.trace_id,
                fields: serde_json::to_string(&event.fields)
                    .map_err(|e| AppError::internal("encoding an event", e))?,
            });
            in_memory[event.dataset as usize].push((event.timestamp_ms, event.fields));
        }
        // In `Dataset::ALL` order, so two landings never wait for each other's lock.
        let mut landing = Vec::new();
        for dataset in Dataset::ALL {
            if !in_memory[dataset as usize].is_empty() {
                landing.push(self.inner.landing[dataset as usize].lock().await);
            }
        }
        if let Err(e) = self.inner.store.insert_events(rows).await {
            for dataset in Dataset::ALL {
                let n = in_memory[dataset as usize].len() as u64;
                self.counters(dataset)
                    .dropped
                    .fetch_add(n, Ordering::Relaxed);
            }
            return Err(e);
        }
        for dataset in Dataset::ALL {
            let added = std::mem::take(&mut in_memory[dataset as usize]);
            let n = added.len() as u64;
            if n > 0 {
                self.inner.tables.append(dataset, added).await?;
                self.trim(dataset, n).await?;
            }
        }
        drop(landing);
        Ok(())
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
            self.counters(dataset).stored.store(0, Ordering::Relaxed);
        }
        drop(locks);
        Ok(exported)
    }

    /// Records a check run (its `e2e` event and report, in SQLite and in memory) as
    /// `run.attendee`, then trims the oldest runs beyond the cap. The run is recorded
    /// either way, so a failed trim is logged, not answered.
    pub async fn record_run(&self, run: NewRun) -> Result<RunSummary, AppError> {
        self.load().await?;
        let dataset = Dataset::E2e;
        let row = (run.started_at_ms, run.event_fields());
        let _landing = self.inner.landing[dataset as usize].lock().await;
        let summary = self.inner.store.record_run(run).await?;
        self.inner.tables.append(dataset, vec![row]).await?;
        if let Err(e) = self.trim(dataset, 1).await {
            tracing::error!(error = %e, "could not trim old runs");
        }
        Ok(summary)
    }

    /// Counts `n` events that just landed in `dataset` and deletes the oldest beyond
    /// the cap, from SQLite and then as many from memory. Call under the dataset's
    /// landing lock.
    async fn trim(&self, dataset: Dataset, n: u64) -> Result<(), AppError> {
        let counters = self.counters(dataset);
        let stored = counters.stored.fetch_add(n, Ordering::Relaxed) + n;
        if stored <= self.inner.retention {
            return Ok(());
        }
        let deleted = self
            .inner
            .store
            .trim_events(dataset, stored - self.inner.retention)
            .await?;
        counters.stored.fetch_sub(deleted, Ordering::Relaxed);
        counters
            .retention_dropped
            .fetch_add(deleted, Ordering::Relaxed);
        self.inner.tables.drop_oldest(dataset, deleted).await
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
