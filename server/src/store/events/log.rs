//! [`EventLog`]: the event writer's own connection to the database.
//!
//! Spans arrive by the tens of thousands a second under load, and the writer must keep
//! up without making a request wait: it writes on a connection of its own, each batch
//! (its events, the retention trim they cause, and the drop counters) in one short
//! `IMMEDIATE` transaction with cached statements.
//!
//! **Durability.** This connection runs `synchronous = NORMAL`: a commit reaches the
//! WAL file but is not fsynced; the next checkpoint (or any `synchronous = FULL`
//! commit of the requests' connection, which fsyncs the same WAL) makes it durable. A
//! power cut or a kernel crash may therefore lose the last batches of spans, never
//! corrupt the database, and never an acknowledged write: attendees, checks, runs
//! and bulb changes commit on [`super::super::Store`]'s connection with
//! `synchronous = FULL`. Spans are telemetry that requests never wait for and that
//! may already be dropped when the queue is full (counted); a process crash (the
//! server killed) loses nothing committed, since the WAL is in the OS's page cache.

use std::sync::{Arc, Mutex};

use bulbwatch_api::Dataset;
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::super::{BUSY_TIMEOUT, Store, call_on, write_tx};
use crate::error::AppError;
use crate::events::NewEvent;

/// The retention caps of one dataset: the oldest events go until both hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Caps {
    /// Most events kept.
    pub events: u64,
    /// Most bytes of stored fields (their JSON text) kept.
    pub bytes: u64,
}

/// What a dataset holds, as the caller counted it before a write.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Held {
    /// Events.
    pub events: u64,
    /// Bytes of their fields.
    pub bytes: u64,
}

/// What a trim deleted from one dataset.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Trimmed {
    /// Events deleted (the oldest).
    pub events: u64,
    /// Bytes of their fields.
    pub bytes: u64,
}

/// One dataset's part of a written batch.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Landed {
    /// Events added.
    pub events: u64,
    /// Bytes of their fields.
    pub bytes: u64,
    /// What retention deleted after them.
    pub trimmed: Trimmed,
}

/// A batch to write: its events, and per dataset what it held before, its caps, and
/// the drops counted since the last saved count.
pub struct Batch {
    /// The events, in arrival order.
    pub events: Vec<NewEvent>,
    /// By `Dataset as usize`.
    pub held: [Held; Dataset::ALL.len()],
    /// By `Dataset as usize`.
    pub caps: [Caps; Dataset::ALL.len()],
    /// Spans dropped since the saved count, by `Dataset as usize`.
    pub dropped: [u64; Dataset::ALL.len()],
}

/// The drop counters saved in the database, per dataset.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SavedCounts {
    /// Spans dropped (queue full, database refused), ever.
    pub dropped: u64,
    /// Events retention deleted, ever.
    pub retention_dropped: u64,
}

/// The settings keys of a dataset's saved counters.
fn counter_key(dataset: Dataset, counter: &str) -> String {
    format!("events.{}.{counter}", dataset.as_str())
}

/// Adds `n` to a saved counter (settings hold text; the sum is kept as text too).
fn add_to_counter(tx: &Transaction<'_>, key: &str, n: u64) -> rusqlite::Result<()> {
    if n == 0 {
        return Ok(());
    }
    tx.prepare_cached(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE
           SET value = CAST(CAST(value AS INTEGER) + CAST(excluded.value AS INTEGER) AS TEXT)",
    )?
    .execute(params![key, n.to_string()])
    .map(drop)
}

/// The rows of one dataset at or before a (timestamp, seq) boundary.
const AT_OR_BEFORE: &str =
    "dataset = ?1 AND (timestamp_ms < ?2 OR (timestamp_ms = ?2 AND seq <= ?3))";

/// Deletes the oldest events of `dataset` until what is left is within `caps`
/// (with their runs, for `e2e`), inside `tx`, and adds what went to the saved count.
fn trim(
    tx: &Transaction<'_>,
    dataset: Dataset,
    held: Held,
    caps: Caps,
) -> rusqlite::Result<Trimmed> {
    let excess_events = held.events.saturating_sub(caps.events);
    let excess_bytes = held.bytes.saturating_sub(caps.bytes);
    if excess_events == 0 && excess_bytes == 0 {
        return Ok(Trimmed::default());
    }
    // Walk the oldest events until both excesses are covered.
    let mut boundary = None;
    let mut seen = Trimmed::default();
    {
        let mut stmt = tx.prepare_cached(
            "SELECT timestamp_ms, seq, octet_length(fields) FROM events
             WHERE dataset = ?1 ORDER BY timestamp_ms, seq",
        )?;
        let mut rows = stmt.query([dataset.as_str()])?;
        while seen.events < excess_events || seen.bytes < excess_bytes {
            let Some(row) = rows.next()? else { break };
            boundary = Some((row.get::<_, i64>(0)?, row.get::<_, i64>(1)?));
            seen.events += 1;
            seen.bytes += row.get::<_, Option<i64>>(2)?.unwrap_or(0).max(0) as u64;
        }
    }
    let Some((ts, seq)) = boundary else {
        return Ok(Trimmed::default());
    };
    if dataset == Dataset::E2e {
        tx.prepare_cached(&format!(
            "DELETE FROM runs WHERE event_seq IN (SELECT seq FROM events WHERE {AT_OR_BEFORE})"
        ))?
        .execute(params![dataset.as_str(), ts, seq])?;
    }
    let deleted = tx
        .prepare_cached(&format!("DELETE FROM events WHERE {AT_OR_BEFORE}"))?
        .execute(params![dataset.as_str(), ts, seq])? as u64;
    // What was walked is what was deleted (the same rows, in one transaction).
    debug_assert_eq!(deleted, seen.events);
    add_to_counter(tx, &counter_key(dataset, "retention_dropped"), seen.events)?;
    Ok(seen)
}

/// The event writer's connection; cheap to clone. See the module docs.
#[derive(Clone)]
pub struct EventLog {
    conn: Arc<Mutex<Connection>>,
}

impl Store {
    /// Opens the event writer's own connection to this database (see [`EventLog`]).
    pub fn event_log(&self) -> Result<EventLog, AppError> {
        let opening = |e| AppError::internal("opening the event writer's connection", e);
        let conn = Connection::open(self.path()).map_err(opening)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(opening)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(opening)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(opening)?;
        Ok(EventLog {
            conn: Arc::new(Mutex::new(conn)),
        })
    }
}

impl EventLog {
    /// Writes a batch in one transaction: its events, then per dataset the oldest
    /// beyond the caps deleted, and the drops counted. Answers each dataset's part
    /// and hands the events back (for the tables in memory).
    pub async fn write(
        &self,
        batch: Batch,
    ) -> Result<(Vec<NewEvent>, [Landed; Dataset::ALL.len()]), AppError> {
        call_on(&self.conn, "writing events", move |conn| {
            let mut landed = [Landed::default(); Dataset::ALL.len()];
            let tx = write_tx(conn)?;
            {
                let mut insert = tx.prepare_cached(
                    "INSERT INTO events (dataset, timestamp_ms, fields, trace_id)
                     VALUES (?1, ?2, ?3, ?4)",
                )?;
                let encoding = |e: Box<dyn std::error::Error + Send + Sync>| {
                    rusqlite::Error::ToSqlConversionFailure(e)
                };
                let mut text = Vec::new();
                for event in &batch.events {
                    text.clear();
                    serde_json::to_writer(&mut text, &event.fields)
                        .map_err(|e| encoding(e.into()))?;
                    let fields = std::str::from_utf8(&text).map_err(|e| encoding(e.into()))?;
                    insert.execute(params![
                        event.dataset.as_str(),
                        event.timestamp_ms,
                        fields,
                        event.trace_id
                    ])?;
                    let part = &mut landed[event.dataset as usize];
                    part.events += 1;
                    part.bytes += fields.len() as u64;
                }
            }
            for dataset in Dataset::ALL {
                let i = dataset as usize;
                add_to_counter(&tx, &counter_key(dataset, "dropped"), batch.dropped[i])?;
                if landed[i].events == 0 {
                    continue;
                }
                let held = Held {
                    events: batch.held[i].events + landed[i].events,
                    bytes: batch.held[i].bytes + landed[i].bytes,
                };
                landed[i].trimmed = trim(&tx, dataset, held, batch.caps[i])?;
            }
            tx.commit()?;
            Ok((batch.events, landed))
        })
        .await
    }

    /// Deletes the oldest events of `dataset` until `held` is within `caps`, in one
    /// transaction; answers what went.
    pub async fn trim(
        &self,
        dataset: Dataset,
        held: Held,
        caps: Caps,
    ) -> Result<Trimmed, AppError> {
        if held.events <= caps.events && held.bytes <= caps.bytes {
            return Ok(Trimmed::default());
        }
        call_on(&self.conn, "trimming old events", move |conn| {
            let tx = write_tx(conn)?;
            let trimmed = trim(&tx, dataset, held, caps)?;
            tx.commit()?;
            Ok(trimmed)
        })
        .await
    }

    /// Adds drops counted since the last save to the saved counts.
    pub async fn save_dropped(&self, dropped: [u64; Dataset::ALL.len()]) -> Result<(), AppError> {
        if dropped.iter().all(|&n| n == 0) {
            return Ok(());
        }
        call_on(&self.conn, "saving the drop counters", move |conn| {
            let tx = write_tx(conn)?;
            for dataset in Dataset::ALL {
                add_to_counter(
                    &tx,
                    &counter_key(dataset, "dropped"),
                    dropped[dataset as usize],
                )?;
            }
            tx.commit()
        })
        .await
    }

    /// What each dataset holds (events, bytes of fields) and its saved counters.
    pub async fn held(&self) -> Result<Vec<(Dataset, Held, SavedCounts)>, AppError> {
        call_on(&self.conn, "counting events", |conn| {
            let mut out = Vec::new();
            for dataset in Dataset::ALL {
                let (events, bytes): (i64, i64) = conn.query_row(
                    "SELECT COUNT(*), COALESCE(SUM(octet_length(fields)), 0) FROM events
                     WHERE dataset = ?1",
                    [dataset.as_str()],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )?;
                let saved = |counter: &str| -> rusqlite::Result<u64> {
                    let value: Option<String> = conn
                        .query_row(
                            "SELECT value FROM settings WHERE key = ?1",
                            [counter_key(dataset, counter)],
                            |row| row.get(0),
                        )
                        .optional()?;
                    Ok(value.and_then(|v| v.parse().ok()).unwrap_or(0))
                };
                let counts = SavedCounts {
                    dropped: saved("dropped")?,
                    retention_dropped: saved("retention_dropped")?,
                };
                let held = Held {
                    events: events.max(0) as u64,
                    bytes: bytes.max(0) as u64,
                };
                out.push((dataset, held, counts));
            }
            Ok(out)
        })
        .await
    }
}
