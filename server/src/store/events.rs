//! Wide events by dataset. `bulb` events (the server's spans) arrive in batches from
//! the event writer, on its own connection ([`EventLog`]); `e2e` events are written
//! one per recorded run (see `runs.rs`). Both are trimmed to the retention caps,
//! oldest first, and read back page by page for export and by trace id for traces.

use bulbwatch_api::Dataset;
use rusqlite::params;

mod log;

pub use log::{Batch, Caps, EventLog, Held, Landed, SavedCounts, Trimmed};

use super::Store;
use crate::error::AppError;

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

impl Store {
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
