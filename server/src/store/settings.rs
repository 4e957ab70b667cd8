//! Small named settings (the queue delay) that survive a restart.

use rusqlite::{OptionalExtension, params};

use super::Store;
use crate::error::AppError;

impl Store {
    /// The stored value of `key`, if set.
    pub async fn setting(&self, key: &'static str) -> Result<Option<String>, AppError> {
        self.call("reading a setting", move |conn| {
            conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |row| {
                row.get(0)
            })
            .optional()
        })
        .await
    }

    /// Stores `value` under `key`.
    pub async fn set_setting(&self, key: &'static str, value: String) -> Result<(), AppError> {
        self.call("saving a setting", move |conn| {
            conn.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )
            .map(drop)
        })
        .await
    }
}
