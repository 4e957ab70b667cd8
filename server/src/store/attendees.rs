//! Attendees and their token hashes.

use bulbwatch_api::Attendee;
use rusqlite::{OptionalExtension, params};

use super::{Store, now_ms};
use crate::error::AppError;

impl Store {
    /// Saves a newly joined attendee with the hash of their token; `simulated` for
    /// the rehearsal room's.
    pub async fn insert_attendee(
        &self,
        attendee: Attendee,
        token_hash: String,
        simulated: bool,
    ) -> Result<(), AppError> {
        self.call("saving the attendee", move |conn| {
            conn.execute(
                "INSERT INTO attendees (id, name, token_hash, joined_at_ms, simulated)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![attendee.id, attendee.name, token_hash, now_ms(), simulated],
            )
            .map(drop)
        })
        .await
    }

    /// The attendee whose token hashes to `token_hash`, if any.
    pub async fn attendee_by_token_hash(
        &self,
        token_hash: String,
    ) -> Result<Option<Attendee>, AppError> {
        self.call("looking up the token", move |conn| {
            conn.query_row(
                "SELECT id, name FROM attendees WHERE token_hash = ?1 AND removed_at_ms IS NULL",
                [token_hash],
                |row| {
                    Ok(Attendee {
                        id: row.get(0)?,
                        name: row.get(1)?,
                    })
                },
            )
            .optional()
        })
        .await
    }

    /// Removes an attendee from the room: their token stops working (their runs and
    /// checks stay). False when there is no such attendee in the room.
    pub async fn remove_attendee(&self, id: String) -> Result<bool, AppError> {
        self.call("removing the attendee", move |conn| {
            conn.execute(
                "UPDATE attendees SET removed_at_ms = ?2 WHERE id = ?1 AND removed_at_ms IS NULL",
                params![id, now_ms()],
            )
            .map(|n| n > 0)
        })
        .await
    }

    /// Every attendee in the room, in the order they joined (apps paired with the Hue
    /// API write through attendee rows of their own, left off this list).
    pub async fn attendees(&self) -> Result<Vec<Attendee>, AppError> {
        self.call("listing attendees", move |conn| {
            let mut stmt = conn.prepare(
                "SELECT id, name FROM attendees WHERE removed_at_ms IS NULL AND hue_app = 0
                 ORDER BY joined_at_ms, rowid",
            )?;
            let rows = stmt.query_map([], |row| {
                Ok(Attendee {
                    id: row.get(0)?,
                    name: row.get(1)?,
                })
            })?;
            rows.collect()
        })
        .await
    }

    /// The ids of the simulated attendees in the room.
    pub async fn simulated_attendees(&self) -> Result<Vec<String>, AppError> {
        self.call("listing simulated attendees", move |conn| {
            let mut stmt = conn.prepare(
                "SELECT id FROM attendees WHERE simulated = 1 AND removed_at_ms IS NULL",
            )?;
            let rows = stmt.query_map([], |row| row.get(0))?;
            rows.collect()
        })
        .await
    }
}
