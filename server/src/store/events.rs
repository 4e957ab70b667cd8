//! Wide events by dataset. `bulb` events (the server's spans) arrive in batches from
//! the event writer; `e2e` events are written one per recorded run (see `runs.rs`).
//! Both are trimmed to the retention cap, oldest first, and read back page by page for
//! export and by trace id for traces.

use bulbwatch_api::Dataset;
use rusqlite::{OptionalExtension, params};

use super::Store;
use crate::error::AppError;

/// An event to store.
#[derive(Clone, Debug)]
pub struct StoredEvent {
    /// Its dataset.
    pub dataset: Dataset,
    /// When it happened (a span's start), ms since the Unix epoch.
    pub timestamp_ms: i64,
    /// The trace it belongs to, if any (indexed for trace lookups).
    pub trace_id: Option<String>,
    /// Its fields, a JSON object.
    pub fields: String,
}

/// An event read back.
#[derive(Clone, Debug)]
pub struct EventRow {
    /// Insertion order; with `timestamp_ms` the key export pages on.
    pub seq: i64,
    /// When it happened.
    pub timestamp_ms: i64,
    /// Its fields, a JSON object.
    pub fields: String,
}

/// A recorded run whose trace id matched.
#[derive(Clone, Debug)]
pub struct TraceRun {
    /// The run's id.
    pub run_id: String,
    /// Its `e2e` event's fields (JSON).
    pub event: String,
    /// When it started (server clock).
    pub started_at_ms: i64,
    /// Its report (JSON).
    pub report: String,
}

/// The rows of one dataset at or before a (timestamp, seq) boundary.
const AT_OR_BEFORE: &str =
    "dataset = ?1 AND (timestamp_ms < ?2 OR (timestamp_ms = ?2 AND seq <= ?3))";

impl Store {
    /// Appends a batch of events in one transaction.
    pub async fn insert_events(&self, batch: Vec<StoredEvent>) -> Result<(), AppError> {
        self.call("writing events", move |conn| {
            let tx = conn.transaction()?;
            {
                let mut stmt = tx.prepare_cached(
                    "INSERT INTO events (dataset, timestamp_ms, fields, trace_id)
                     VALUES (?1, ?2, ?3, ?4)",
                )?;
                for event in &batch {
                    stmt.execute(params![
                        event.dataset.as_str(),
                        event.timestamp_ms,
                        event.fields,
                        event.trace_id
                    ])?;
                }
            }
            tx.commit()
        })
        .await
    }

    /// How many events each dataset holds.
    pub async fn event_counts(&self) -> Result<Vec<(Dataset, u64)>, AppError> {
        self.call("counting events", |conn| {
            let mut counts = Vec::new();
            for dataset in Dataset::ALL {
                let n: i64 = conn.query_row(
                    "SELECT COUNT(*) FROM events WHERE dataset = ?1",
                    [dataset.as_str()],
                    |row| row.get(0),
                )?;
                counts.push((dataset, n as u64));
            }
            Ok(counts)
        })
        .await
    }

    /// Deletes the `excess` oldest events of `dataset` (with their runs, for `e2e`);
    /// returns how many were deleted.
    pub async fn trim_events(&self, dataset: Dataset, excess: u64) -> Result<u64, AppError> {
        if excess == 0 {
            return Ok(0);
        }
        self.call("trimming old events", move |conn| {
            let tx = conn.transaction()?;
            let boundary: Option<(i64, i64)> = tx
                .query_row(
                    "SELECT timestamp_ms, seq FROM events WHERE dataset = ?1
                     ORDER BY timestamp_ms, seq LIMIT 1 OFFSET ?2",
                    params![dataset.as_str(), excess as i64 - 1],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )
                .optional()?;
            // Fewer events than asked: delete them all.
            let (ts, seq) = boundary.unwrap_or((i64::MAX, i64::MAX));
            if dataset == Dataset::E2e {
                tx.execute(
                    &format!(
                        "DELETE FROM runs WHERE event_seq IN
                           (SELECT seq FROM events WHERE {AT_OR_BEFORE})"
                    ),
                    params![dataset.as_str(), ts, seq],
                )?;
            }
            let deleted = tx.execute(
                &format!("DELETE FROM events WHERE {AT_OR_BEFORE}"),
                params![dataset.as_str(), ts, seq],
            )?;
            tx.commit()?;
            Ok(deleted as u64)
        })
        .await
    }

    /// Up to `limit` events of `dataset` with `from_ms <= timestamp < to_ms`, in
    /// (timestamp, seq) order, after the key `after` when given.
    pub async fn events_page(
        &self,
        dataset: Dataset,
        from_ms: i64,
        to_ms: i64,
        after: Option<(i64, i64)>,
        limit: u32,
    ) -> Result<Vec<EventRow>, AppError> {
        let (after_ts, after_seq) = after.unwrap_or((i64::MIN, i64::MIN));
        self.call("reading events", move |conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT seq, timestamp_ms, fields FROM events
                 WHERE dataset = ?1 AND timestamp_ms >= ?2 AND timestamp_ms < ?3
                   AND (timestamp_ms, seq) > (?4, ?5)
                 ORDER BY timestamp_ms, seq LIMIT ?6",
            )?;
            let rows = stmt.query_map(
                params![dataset.as_str(), from_ms, to_ms, after_ts, after_seq, limit],
                |row| {
                    Ok(EventRow {
                        seq: row.get(0)?,
                        timestamp_ms: row.get(1)?,
                        fields: row.get(2)?,
                    })
                },
            )?;
            rows.collect()
        })
        .await
    }

    /// Every field name used by the events of `dataset` in the range, sorted.
    pub async fn event_columns(
        &self,
        dataset: Dataset,
        from_ms: i64,
        to_ms: i64,
    ) -> Result<Vec<String>, AppError> {
        self.call("listing event columns", move |conn| {
            let mut stmt = conn.prepare(
                "SELECT DISTINCT j.key FROM events e, json_each(e.fields) j
                 WHERE e.dataset = ?1 AND e.timestamp_ms >= ?2 AND e.timestamp_ms < ?3
                 ORDER BY j.key",
            )?;
            let rows =
                stmt.query_map(params![dataset.as_str(), from_ms, to_ms], |row| row.get(0))?;
            rows.collect()
        })
        .await
    }

    /// The fields of every `bulb` event (span) of a trace, oldest first.
    pub async fn trace_spans(&self, trace_id: String) -> Result<Vec<String>, AppError> {
        self.call("reading the trace", move |conn| {
            let mut stmt = conn.prepare(
                "SELECT fields FROM events WHERE trace_id = ?1 AND dataset = 'bulb'
                 ORDER BY timestamp_ms, seq",
            )?;
            let rows = stmt.query_map([trace_id], |row| row.get(0))?;
            rows.collect()
        })
        .await
    }

    /// The recorded runs of a trace, with their `e2e` events and reports.
    pub async fn trace_runs(&self, trace_id: String) -> Result<Vec<TraceRun>, AppError> {
        self.call("reading the trace's runs", move |conn| {
            let mut stmt = conn.prepare(
                "SELECT r.run_id, e.fields, r.started_at_ms, r.report
                 FROM events e JOIN runs r ON r.event_seq = e.seq
                 WHERE e.trace_id = ?1 AND e.dataset = 'e2e' ORDER BY e.timestamp_ms, e.seq",
            )?;
            let rows = stmt.query_map([trace_id], |row| {
                Ok(TraceRun {
                    run_id: row.get(0)?,
                    event: row.get(1)?,
                    started_at_ms: row.get(2)?,
                    report: row.get(3)?,
                })
            })?;
            rows.collect()
        })
        .await
    }

    /// All events of `dataset`, oldest first (for tests).
    pub async fn events(&self, dataset: &'static str) -> Result<Vec<serde_json::Value>, AppError> {
        self.call("reading events", move |conn| {
            let mut stmt =
                conn.prepare("SELECT fields FROM events WHERE dataset = ?1 ORDER BY seq")?;
            let rows = stmt.query_map([dataset], |row| row.get::<_, String>(0))?;
            rows.collect::<rusqlite::Result<Vec<_>>>()
        })
        .await?
        .iter()
        .map(|s| serde_json::from_str(s).map_err(|e| AppError::internal("reading an event", e)))
        .collect()
    }
}
