//! The room board's data: diagnoses, and each attendee's recent runs.

use std::collections::HashMap;

use bulbwatch_api::{Attendee, Diagnosis, Verdict};
use rusqlite::{OptionalExtension, Row, params};

use super::runs::parse_verdict;
use super::{Store, now_ms};
use crate::error::AppError;

/// One of an attendee's latest runs, as the board counts them.
#[derive(Clone, Debug)]
pub struct BoardRun {
    /// How it ended.
    pub verdict: Verdict,
    /// When it started, ms.
    pub started_at_ms: i64,
    /// Whether a schedule started it.
    pub scheduled: bool,
}

/// An attendee's latest runs (newest first) and how many they recorded in all.
#[derive(Clone, Debug, Default)]
pub struct RecentRuns {
    /// The latest, newest first.
    pub latest: Vec<BoardRun>,
    /// Every run they recorded.
    pub total: u32,
}

const DIAGNOSIS_COLUMNS: &str =
    "a.id, a.name, d.text, d.evidence, d.submitted_at_ms, d.revision, d.right";

fn diagnosis(row: &Row<'_>) -> rusqlite::Result<Diagnosis> {
    Ok(Diagnosis {
        attendee: Attendee {
            id: row.get(0)?,
            name: row.get(1)?,
        },
        text: row.get(2)?,
        evidence: row.get(3)?,
        submitted_at_ms: row.get(4)?,
        revision: row.get(5)?,
        right: row.get(6)?,
    })
}

impl Store {
    /// Saves `attendee`'s diagnosis, replacing the last (a revision is not yet marked
    /// right, whatever the last one was).
    pub async fn submit_diagnosis(
        &self,
        attendee: Attendee,
        text: String,
        evidence: Option<String>,
    ) -> Result<Diagnosis, AppError> {
        let id = attendee.id.clone();
        self.call("saving the diagnosis", move |conn| {
            conn.execute(
                "INSERT INTO diagnoses (attendee_id, text, evidence, submitted_at_ms, revision, right)
                 VALUES (?1, ?2, ?3, ?4, 1, 0)
                 ON CONFLICT(attendee_id) DO UPDATE SET text = excluded.text,
                   evidence = excluded.evidence, submitted_at_ms = excluded.submitted_at_ms,
                   revision = diagnoses.revision + 1, right = 0",
                params![id, text, evidence, now_ms()],
            )?;
            Ok(())
        })
        .await?;
        self.diagnosis(attendee.id)
            .await?
            .ok_or_else(|| AppError::Internal("the diagnosis just saved is gone".into()))
    }

    /// `attendee_id`'s diagnosis, if one is in.
    pub async fn diagnosis(&self, attendee_id: String) -> Result<Option<Diagnosis>, AppError> {
        self.call("reading the diagnosis", move |conn| {
            conn.query_row(
                &format!(
                    "SELECT {DIAGNOSIS_COLUMNS} FROM diagnoses d JOIN attendees a ON a.id = d.attendee_id
                     WHERE d.attendee_id = ?1"
                ),
                [attendee_id],
                diagnosis,
            )
            .optional()
        })
        .await
    }

    /// Marks `attendee_id`'s diagnosis right (or not); `None` when there is none.
    pub async fn mark_diagnosis(
        &self,
        attendee_id: String,
        right: bool,
    ) -> Result<Option<Diagnosis>, AppError> {
        let id = attendee_id.clone();
        let changed = self
            .call("marking the diagnosis", move |conn| {
                conn.execute(
                    "UPDATE diagnoses SET right = ?2 WHERE attendee_id = ?1",
                    params![id, right],
                )
            })
            .await?;
        if changed == 0 {
            return Ok(None);
        }
        self.diagnosis(attendee_id).await
    }

    /// Every diagnosis of the room's attendees, by attendee id.
    pub async fn diagnoses(&self) -> Result<HashMap<String, Diagnosis>, AppError> {
        self.call("listing diagnoses", move |conn| {
            let mut stmt = conn.prepare(&format!(
                "SELECT {DIAGNOSIS_COLUMNS} FROM diagnoses d JOIN attendees a ON a.id = d.attendee_id
                 WHERE a.removed_at_ms IS NULL"
            ))?;
            let rows = stmt.query_map([], diagnosis)?;
            rows.map(|d| d.map(|d| (d.attendee.id.clone(), d))).collect()
        })
        .await
    }

    /// Each attendee's latest `per_attendee` runs and run count, by attendee id.
    pub async fn recent_runs_by_attendee(
        &self,
        per_attendee: usize,
    ) -> Result<HashMap<String, RecentRuns>, AppError> {
        self.call("reading the board's runs", move |conn| {
            let mut stmt = conn.prepare(
                "SELECT attendee_id, verdict, started_at_ms, scheduled, total FROM (
                   SELECT attendee_id, verdict, started_at_ms, scheduled,
                     ROW_NUMBER() OVER (PARTITION BY attendee_id
                                        ORDER BY started_at_ms DESC, rowid DESC) AS nth,
                     COUNT(*) OVER (PARTITION BY attendee_id) AS total
                   FROM runs)
                 WHERE nth <= ?1 ORDER BY attendee_id, nth",
            )?;
            let mut by_attendee: HashMap<String, RecentRuns> = HashMap::new();
            let mut rows = stmt.query([per_attendee as i64])?;
            while let Some(row) = rows.next()? {
                let entry = by_attendee.entry(row.get(0)?).or_default();
                entry.latest.push(BoardRun {
                    verdict: parse_verdict(&row.get::<_, String>(1)?),
                    started_at_ms: row.get(2)?,
                    scheduled: row.get(3)?,
                });
                entry.total = row.get(4)?;
            }
            Ok(by_attendee)
        })
        .await
    }

    /// When every run of the session started and whether it passed, oldest first.
    pub async fn run_outcomes(&self) -> Result<Vec<(i64, bool)>, AppError> {
        self.call("reading the room's runs", move |conn| {
            let mut stmt = conn.prepare(
                "SELECT started_at_ms, verdict = 'pass' FROM runs ORDER BY started_at_ms",
            )?;
            let rows = stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
            rows.collect()
        })
        .await
    }

    /// How the bulb's queue went this session: changes applied, the longest queue a
    /// change joined, and every change's wait from request to finished, ms.
    pub async fn queue_history(&self) -> Result<(u64, u32, Vec<i64>), AppError> {
        self.call("reading the queue's history", move |conn| {
            let (count, longest): (u64, Option<u32>) = conn.query_row(
                "SELECT COUNT(*), MAX(queue_length) FROM bulb_changes WHERE finished_at_ms IS NOT NULL",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )?;
            let mut stmt = conn.prepare(
                "SELECT finished_at_ms - requested_at_ms FROM bulb_changes
                 WHERE finished_at_ms IS NOT NULL ORDER BY seq DESC LIMIT 100000",
            )?;
            let waits = stmt
                .query_map([], |row| row.get(0))?
                .collect::<rusqlite::Result<Vec<i64>>>()?;
            Ok((count, longest.unwrap_or(0), waits))
        })
        .await
    }
}
