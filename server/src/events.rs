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

mod export;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use bulbwatch_api::{Dataset, DatasetStats, EventStats};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use tracing::instrument::WithSubscriber;

pub use export::{ExportFormat, export_body};

use crate::error::AppError;
use crate::store::{Store, StoredEvent};

/// Default retention cap: events kept per dataset.
pub const DEFAULT_RETENTION: u64 = 2_000_000;

/// Default capacity of the queue between closed spans and the writer.
pub const DEFAULT_QUEUE_CAPACITY: usize = 10_000;

/// Most events written in one transaction.
pub const BATCH_MAX: usize = 1_000;

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
}

#[derive(Default)]
struct Counters {
    stored: AtomicU64,
    dropped: AtomicU64,
    retention_dropped: AtomicU64,
}

impl Events {
    /// Counts what the store holds; `retention` is the cap per dataset (at least 1).
    pub async fn open(store: Store, retention: u64) -> Result<Self, AppError> {
        let events = Self {
            inner: Arc::new(Inner {
                store,
                retention: retention.max(1),
                counters: Default::default(),
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

    /// Writes a batch, then trims every dataset it touched to the cap. A batch the
    /// database refuses is counted as dropped.
    pub async fn write(&self, batch: Vec<NewEvent>) -> Result<(), AppError> {
        if batch.is_empty() {
            return Ok(());
        }
        let mut per_dataset = [0u64; Dataset::ALL.len()];
        let rows: Vec<StoredEvent> = batch
            .into_iter()
            .map(|event| {
                per_dataset[event.dataset as usize] += 1;
                StoredEvent {
                    dataset: event.dataset,
                    timestamp_ms: event.timestamp_ms,
                    trace_id: event.trace_id,
                    fields: serde_json::Value::Object(event.fields).to_string(),
                }
            })
            .collect();
        if let Err(e) = self.inner.store.insert_events(rows).await {
            for dataset in Dataset::ALL {
                let n = per_dataset[dataset as usize];
                self.counters(dataset)
                    .dropped
                    .fetch_add(n, Ordering::Relaxed);
            }
            return Err(e);
        }
        for dataset in Dataset::ALL {
            let n = per_dataset[dataset as usize];
            if n > 0 {
                self.recorded(dataset, n).await?;
            }
        }
        Ok(())
    }

    /// Counts `n` events just stored in `dataset` (by [`Events::write`], or a recorded
    /// run) and deletes the oldest beyond the cap.
    pub async fn recorded(&self, dataset: Dataset, n: u64) -> Result<(), AppError> {
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
        Ok(())
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
