//! [`EventTables`]: every dataset's events in memory, column by column, for queries.
//!
//! SQLite is the record; these tables are a copy the query engine reads fast. They are
//! filled from SQLite at start (oldest first), then fed at the one place events land
//! ([`super::Events`]: the writer's batches and recorded runs, after their commit) and
//! trimmed by the same count as SQLite's retention, so the two always hold the same
//! events.
//!
//! Each table sits behind a [`RwLock`]: queries read under the read lock, landing
//! events take the write lock briefly. Both run on blocking threads, so a query that
//! takes 30 ms (or a writer waiting for it) never stalls an async worker.

use std::sync::{Arc, PoisonError, RwLock};

use bulbwatch_api::Dataset;
use bulbwatch_query::EventTable;

use crate::error::AppError;
use crate::store::EventRow;

/// An event to put into a table: when, and its fields.
pub(super) type Row = (i64, serde_json::Map<String, serde_json::Value>);

/// One [`EventTable`] per dataset; cheap to clone.
#[derive(Clone, Default)]
pub struct EventTables {
    tables: Arc<[RwLock<EventTable>; Dataset::ALL.len()]>,
}

impl EventTables {
    fn table(&self, dataset: Dataset) -> &RwLock<EventTable> {
        &self.tables[dataset as usize]
    }

    /// Runs `f` over `dataset`'s table under its read lock, on a blocking thread
    /// (carrying the caller's tracing dispatch, as store calls do).
    pub async fn read<R, F>(&self, dataset: Dataset, f: F) -> Result<R, AppError>
    where
        R: Send + 'static,
        F: FnOnce(&EventTable) -> R + Send + 'static,
    {
        let tables = self.clone();
        blocking("reading events in memory", move || {
            let table = tables
                .table(dataset)
                .read()
                .unwrap_or_else(PoisonError::into_inner);
            f(&table)
        })
        .await
    }

    /// Events `dataset`'s table holds.
    pub async fn len(&self, dataset: Dataset) -> Result<usize, AppError> {
        self.read(dataset, EventTable::len).await
    }

    /// Runs `f` over `dataset`'s table under its write lock, on a blocking thread.
    async fn write<R, F>(&self, dataset: Dataset, f: F) -> Result<R, AppError>
    where
        R: Send + 'static,
        F: FnOnce(&mut EventTable) -> R + Send + 'static,
    {
        let tables = self.clone();
        blocking("adding events in memory", move || {
            let mut table = tables
                .table(dataset)
                .write()
                .unwrap_or_else(PoisonError::into_inner);
            f(&mut table)
        })
        .await
    }

    /// Adds events to `dataset`'s table, all under one write lock.
    pub(super) async fn append(&self, dataset: Dataset, rows: Vec<Row>) -> Result<(), AppError> {
        if rows.is_empty() {
            return Ok(());
        }
        self.write(dataset, move |table| {
            for (timestamp_ms, fields) in &rows {
                table.push_json(*timestamp_ms, fields);
            }
        })
        .await
    }

    /// Empties `dataset`'s table (before loading it, so a retried load starts over).
    pub(super) async fn clear(&self, dataset: Dataset) -> Result<(), AppError> {
        self.write(dataset, |table| *table = EventTable::new())
            .await
    }

    /// Adds a page of events read back from SQLite (at start, oldest first). A row
    /// whose fields are not a JSON object still counts, with its timestamp alone, so
    /// memory and SQLite keep the same number of events.
    ///
    /// Each row is parsed and added before the next is parsed, on the thread that
    /// grows the table: what the parse allocates is freed at once and reused, rather
    /// than a page of parsed maps left behind in another thread's heap (which showed
    /// as ~60 bytes of resident memory per loaded event).
    pub(super) async fn load_page(
        &self,
        dataset: Dataset,
        page: Vec<EventRow>,
    ) -> Result<(), AppError> {
        self.write(dataset, move |table| {
            for row in page {
                let fields = serde_json::from_str(&row.fields).unwrap_or_else(|e| {
                    tracing::warn!(seq = row.seq, error = %e, "a stored event is not a JSON object");
                    serde_json::Map::new()
                });
                table.push_json(row.timestamp_ms, &fields);
            }
        })
        .await
    }

    /// Drops the `n` oldest events of `dataset`'s table (what retention just deleted
    /// from SQLite).
    pub(super) async fn drop_oldest(&self, dataset: Dataset, n: u64) -> Result<(), AppError> {
        if n == 0 {
            return Ok(());
        }
        let n = usize::try_from(n).unwrap_or(usize::MAX);
        self.write(dataset, move |table| table.drop_oldest(n))
            .await
            .map(drop)
    }
}

/// Runs `f` on a blocking thread under the caller's tracing dispatch.
async fn blocking<R, F>(doing: &'static str, f: F) -> Result<R, AppError>
where
    R: Send + 'static,
    F: FnOnce() -> R + Send + 'static,
{
    let dispatch = tracing::dispatcher::get_default(Clone::clone);
    tokio::task::spawn_blocking(move || tracing::dispatcher::with_default(&dispatch, f))
        .await
        .map_err(|e| AppError::internal(doing, e))
}
