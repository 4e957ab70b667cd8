//! Apps paired with the Hue-compatible API: the hash of each username, the device
//! type the app gave, and the attendee row its bulb changes are written under.

use rusqlite::params;

use super::{Store, write_tx};
use crate::error::AppError;

/// An app paired with the Hue API.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PairedApp {
    /// SHA-256 of its username, hex.
    pub username_hash: String,
    /// The attendee id its changes are recorded under.
    pub attendee_id: String,
    /// What it called itself when it paired (`"app#device"`); also its attendee name.
    pub devicetype: String,
    /// When it paired, ms since the Unix epoch.
    pub paired_at_ms: i64,
}

impl Store {
    /// Saves a newly paired app and its attendee row in one transaction. The row's
    /// token hash is marked so that no attendee token can ever match it: the app
    /// acts only through the Hue API.
    pub async fn insert_hue_app(&self, app: PairedApp) -> Result<(), AppError> {
        self.call("saving the paired Hue app", move |conn| {
            let tx = write_tx(conn)?;
            tx.execute(
                "INSERT INTO attendees (id, name, token_hash, joined_at_ms, hue_app)
                 VALUES (?1, ?2, ?3, ?4, 1)",
                params![
                    app.attendee_id,
                    app.devicetype,
                    format!("hue-app:{}", app.username_hash),
                    app.paired_at_ms
                ],
            )?;
            tx.execute(
                "INSERT INTO hue_apps (username_hash, attendee_id, devicetype, paired_at_ms)
                 VALUES (?1, ?2, ?3, ?4)",
                params![
                    app.username_hash,
                    app.attendee_id,
                    app.devicetype,
                    app.paired_at_ms
                ],
            )?;
            tx.commit()
        })
        .await
    }

    /// Every paired app, in the order they paired.
    pub async fn hue_apps(&self) -> Result<Vec<PairedApp>, AppError> {
        self.call("listing paired Hue apps", move |conn| {
            let mut stmt = conn.prepare(
                "SELECT username_hash, attendee_id, devicetype, paired_at_ms FROM hue_apps
                 ORDER BY paired_at_ms, rowid",
            )?;
            let rows = stmt.query_map([], |row| {
                Ok(PairedApp {
                    username_hash: row.get(0)?,
                    attendee_id: row.get(1)?,
                    devicetype: row.get(2)?,
                    paired_at_ms: row.get(3)?,
                })
            })?;
            rows.collect()
        })
        .await
    }
}
