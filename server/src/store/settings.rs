//! Small named settings (the queue delay, instrumentation points) that survive a
//! restart.

use rusqlite::{OptionalExtension, params};

use super::Store;
use crate::error::AppError;

impl Store {
    /// The stored value of `key`, if set.
    pub async fn setting(&self, key: impl Into<String>) -> Result<Option<String>, AppError> {
        let key = key.into();
        self.call("reading a setting", move |conn| {
            conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |row| {
                row.get(0)
            })
            .optional()
        })
        .await
    }

    /// Every setting whose key starts with `prefix`, as `(key, value)`.
    pub async fn settings_with_prefix(
        &self,
        prefix: &'static str,
    ) -> Result<Vec<(String, String)>, AppError> {
        self.call("reading settings", move |conn| {
            let mut stmt = conn.prepare(
                "SELECT key, value FROM settings WHERE substr(key, 1, length(?1)) = ?1 ORDER BY key",
            )?;
            let rows = stmt.query_map([prefix], |row| Ok((row.get(0)?, row.get(1)?)))?;
            rows.collect()
        })
        .await
    }

    /// Stores `value` under `key`.
    pub async fn set_setting(&self, key: impl Into<String>, value: String) -> Result<(), AppError> {
        let key = key.into();
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
