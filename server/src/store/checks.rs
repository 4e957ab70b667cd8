//! Saved checks and their versions. Every query is scoped to the owner, so one
//! attendee can never read or change another's check except through its share id.

use bulbwatch_api::{CheckSummary, CheckVersion, SaveCheck, SavedCheck, SharedCheck};
use rusqlite::{Connection, OptionalExtension, params};

use super::{Store, now_ms};
use crate::error::AppError;

/// Versions kept per check; older ones are dropped.
const VERSIONS_KEPT: u32 = 200;

fn new_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// The check `id` of `owner` at `version` (latest if `None`).
fn load(
    conn: &Connection,
    owner_id: &str,
    id: &str,
    version: Option<u32>,
) -> rusqlite::Result<Option<SavedCheck>> {
    conn.query_row(
        "SELECT c.id, c.name, v.source, v.version, v.saved_at_ms, c.share_id
         FROM checks c JOIN check_versions v ON v.check_id = c.id
         WHERE c.id = ?1 AND c.owner_id = ?2 AND (?3 IS NULL OR v.version = ?3)
         ORDER BY v.version DESC LIMIT 1",
        params![id, owner_id, version],
        |row| {
            Ok(SavedCheck {
                id: row.get(0)?,
                name: row.get(1)?,
                source: row.get(2)?,
                version: row.get(3)?,
                saved_at_ms: row.get(4)?,
                share_id: row.get(5)?,
            })
        },
    )
    .optional()
}

fn insert_check(
    conn: &mut Connection,
    owner_id: &str,
    check: &SaveCheck,
) -> rusqlite::Result<String> {
    let id = new_id();
    let now = now_ms();
    let tx = super::write_tx(conn)?;
    tx.execute(
        "INSERT INTO checks (id, owner_id, name, share_id, created_at_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, owner_id, check.name, new_id(), now],
    )?;
    tx.execute(
        "INSERT INTO check_versions (check_id, version, source, saved_at_ms) VALUES (?1, 1, ?2, ?3)",
        params![id, check.source, now],
    )?;
    tx.commit()?;
    Ok(id)
}

impl Store {
    /// Saves a new check for `owner_id` as version 1.
    pub async fn create_check(
        &self,
        owner_id: String,
        check: SaveCheck,
    ) -> Result<SavedCheck, AppError> {
        self.call("saving the check", move |conn| {
            let id = insert_check(conn, &owner_id, &check)?;
            load(conn, &owner_id, &id, None).map(|c| c.expect("just inserted"))
        })
        .await
    }

    /// Saves a new version when the source changed (a rename alone keeps the
    /// version). `None` when the check is not the owner's.
    pub async fn update_check(
        &self,
        owner_id: String,
        id: String,
        check: SaveCheck,
    ) -> Result<Option<SavedCheck>, AppError> {
        self.call("saving the check", move |conn| {
            let Some(latest) = load(conn, &owner_id, &id, None)? else {
                return Ok(None);
            };
            let tx = super::write_tx(conn)?;
            tx.execute("UPDATE checks SET name = ?2 WHERE id = ?1", params![id, check.name])?;
            if latest.source != check.source {
                let version = latest.version + 1;
                tx.execute(
                    "INSERT INTO check_versions (check_id, version, source, saved_at_ms) VALUES (?1, ?2, ?3, ?4)",
                    params![id, version, check.source, now_ms()],
                )?;
                tx.execute(
                    "DELETE FROM check_versions WHERE check_id = ?1 AND version <= ?2",
                    params![id, i64::from(version) - i64::from(VERSIONS_KEPT)],
                )?;
            }
            tx.commit()?;
            load(conn, &owner_id, &id, None)
        })
        .await
    }

    /// `owner_id`'s checks, most recently saved first.
    pub async fn list_checks(&self, owner_id: String) -> Result<Vec<CheckSummary>, AppError> {
        self.call("listing checks", move |conn| {
            let mut stmt = conn.prepare(
                "SELECT c.id, c.name, MAX(v.version), MAX(v.saved_at_ms)
                 FROM checks c JOIN check_versions v ON v.check_id = c.id
                 WHERE c.owner_id = ?1 GROUP BY c.id ORDER BY MAX(v.saved_at_ms) DESC",
            )?;
            let rows = stmt.query_map([owner_id], |row| {
                Ok(CheckSummary {
                    id: row.get(0)?,
                    name: row.get(1)?,
                    version: row.get(2)?,
                    saved_at_ms: row.get(3)?,
                })
            })?;
            rows.collect()
        })
        .await
    }

    /// One of `owner_id`'s checks at `version` (latest if `None`).
    pub async fn check(
        &self,
        owner_id: String,
        id: String,
        version: Option<u32>,
    ) -> Result<Option<SavedCheck>, AppError> {
        self.call("reading the check", move |conn| {
            load(conn, &owner_id, &id, version)
        })
        .await
    }

    /// The versions of one of `owner_id`'s checks, newest first.
    pub async fn check_versions(
        &self,
        owner_id: String,
        id: String,
    ) -> Result<Option<Vec<CheckVersion>>, AppError> {
        self.call("listing versions", move |conn| {
            if load(conn, &owner_id, &id, None)?.is_none() {
                return Ok(None);
            }
            let mut stmt = conn.prepare(
                "SELECT version, saved_at_ms, length(CAST(source AS BLOB))
                 FROM check_versions WHERE check_id = ?1 ORDER BY version DESC",
            )?;
            let rows = stmt.query_map([id], |row| {
                Ok(CheckVersion {
                    version: row.get(0)?,
                    saved_at_ms: row.get(1)?,
                    bytes: row.get(2)?,
                })
            })?;
            rows.collect::<rusqlite::Result<Vec<_>>>().map(Some)
        })
        .await
    }

    /// The latest version of the check shared as `share_id`.
    pub async fn shared_check(&self, share_id: String) -> Result<Option<SharedCheck>, AppError> {
        self.call("reading the shared check", move |conn| {
            conn.query_row(
                "SELECT c.share_id, c.name, v.source, v.version, a.name
                 FROM checks c
                 JOIN check_versions v ON v.check_id = c.id
                 JOIN attendees a ON a.id = c.owner_id
                 WHERE c.share_id = ?1 ORDER BY v.version DESC LIMIT 1",
                [share_id],
                |row| {
                    Ok(SharedCheck {
                        share_id: row.get(0)?,
                        name: row.get(1)?,
                        source: row.get(2)?,
                        version: row.get(3)?,
                        owner: row.get(4)?,
                    })
                },
            )
            .optional()
        })
        .await
    }

    /// Copies the shared check into a new check of `owner_id`'s.
    pub async fn fork_check(
        &self,
        owner_id: String,
        share_id: String,
    ) -> Result<Option<SavedCheck>, AppError> {
        let Some(shared) = self.shared_check(share_id).await? else {
            return Ok(None);
        };
        let copy = SaveCheck {
            name: fork_name(&shared.name),
            source: shared.source,
        };
        self.create_check(owner_id, copy).await.map(Some)
    }
}

/// "classic" → "classic (fork)", kept within the name limit.
fn fork_name(name: &str) -> String {
    let suffix = " (fork)";
    let room = bulbwatch_api::CHECK_NAME_MAX_CHARS - suffix.len();
    let base: String = name.chars().take(room).collect();
    format!("{base}{suffix}")
}
