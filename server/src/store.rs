//! Durable state in an embedded SQLite database in the data directory: attendees,
//! the bulb's queue and applied changes, settings, checks and runs, events, markers.
//! Everything the server acknowledges is committed here first (WAL,
//! `synchronous = FULL`).
//!
//! Two connections share the database: the requests' one ([`Store`]) and the event
//! writer's own ([`EventLog`]), so a deep queue of spans never waits behind a request
//! nor a request behind a batch of spans. WAL lets both read while one writes; a
//! write waits for the other's (short) transaction up to [`BUSY_TIMEOUT`], and every
//! write transaction starts `IMMEDIATE` ([`write_tx`]), so it takes the write lock
//! first and never fails half-way on a snapshot the other connection moved on.
//!
//! All SQL lives below this module, so moving to another database is one place.

mod attendees;
mod bulb;
mod checks;
mod events;
mod hue;
mod markers;
pub mod room;
mod runs;
mod schema;
mod session;
mod settings;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rusqlite::{Connection, Transaction, TransactionBehavior};

pub use bulb::{AppliedChange, NewChange, Outcome, QueuedChange};
pub use events::{Batch, Caps, EventLog, EventRow, Held, Landed, SavedCounts, TraceRun, Trimmed};
pub use hue::PairedApp;
pub use runs::NewRun;
pub use session::SessionCounts;

use crate::error::AppError;

/// File name of the database inside the data directory.
pub const DB_FILE: &str = "bulbwatch.sqlite3";

/// How long a write waits for the other connection's transaction before it fails.
pub const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// Handle to the database; cheap to clone.
#[derive(Clone)]
pub struct Store {
    conn: Arc<Mutex<Connection>>,
    path: PathBuf,
}

/// Opening the store failed.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The data directory could not be created.
    #[error("cannot create the data directory {path}: {source}")]
    DataDir {
        /// The directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// SQLite refused.
    #[error("cannot open the database {path}: {source}")]
    Sqlite {
        /// The database file.
        path: PathBuf,
        /// Why.
        source: rusqlite::Error,
    },
}

impl Store {
    /// Opens (creating if needed) the database in `data_dir` and brings its schema up
    /// to date.
    pub fn open(data_dir: &Path) -> Result<Self, OpenError> {
        std::fs::create_dir_all(data_dir).map_err(|source| OpenError::DataDir {
            path: data_dir.to_path_buf(),
            source,
        })?;
        let path = data_dir.join(DB_FILE);
        let sqlite = |source| OpenError::Sqlite {
            path: path.clone(),
            source,
        };
        let mut conn = Connection::open(&path).map_err(sqlite)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(sqlite)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(sqlite)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(sqlite)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(sqlite)?;
        schema::migrate(&mut conn).map_err(sqlite)?;
        Ok(Self {
            conn: Arc::new(Mutex::new(conn)),
            path,
        })
    }

    /// Where the database file is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` on the connection off the async threads.
    async fn call<R, F>(&self, doing: &'static str, f: F) -> Result<R, AppError>
    where
        R: Send + 'static,
        F: FnOnce(&mut Connection) -> rusqlite::Result<R> + Send + 'static,
    {
        call_on(&self.conn, doing, f).await
    }
}

/// Starts a write transaction that holds the write lock from its first statement
/// (waiting for the other connection's up to [`BUSY_TIMEOUT`]).
pub(crate) fn write_tx(conn: &mut Connection) -> rusqlite::Result<Transaction<'_>> {
    conn.transaction_with_behavior(TransactionBehavior::Immediate)
}

/// Runs `f` on `conn` off the async threads, under the caller's tracing dispatch.
async fn call_on<R, F>(
    conn: &Arc<Mutex<Connection>>,
    doing: &'static str,
    f: F,
) -> Result<R, AppError>
where
    R: Send + 'static,
    F: FnOnce(&mut Connection) -> rusqlite::Result<R> + Send + 'static,
{
    let conn = Arc::clone(conn);
    // Blocking threads do not inherit the task's subscriber: carry it over, so
    // anything logged in here reaches this server's logs and spans.
    let dispatch = tracing::dispatcher::get_default(Clone::clone);
    tokio::task::spawn_blocking(move || {
        tracing::dispatcher::with_default(&dispatch, || {
            let mut guard = conn
                .lock()
                .map_err(|_| AppError::Internal(format!("{doing}: database lock poisoned")))?;
            f(&mut guard).map_err(|e| AppError::internal(doing, e))
        })
    })
    .await
    .map_err(|e| AppError::internal(doing, e))?
}

/// Milliseconds since the Unix epoch, now.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}
