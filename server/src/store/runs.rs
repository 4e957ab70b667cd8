//! Recorded check runs: one wide event in the `e2e` dataset per run, plus the full
//! report for the run's page, written in one transaction.

use bulbwatch_api::{Attendee, CheckReport, RunDetail, RunSummary, Verdict};
use rusqlite::{OptionalExtension, Row, params};

use super::Store;
use crate::error::AppError;

/// A run to record.
#[derive(Clone, Debug)]
pub struct NewRun {
    /// Its id.
    pub run_id: String,
    /// Who ran it.
    pub attendee: Attendee,
    /// The saved check, if any.
    pub check_id: Option<String>,
    /// Name of the check.
    pub check_name: String,
    /// When it started (server clock).
    pub started_at_ms: i64,
    /// The report.
    pub report: CheckReport,
    /// Whether a schedule started it.
    pub scheduled: bool,
}

impl NewRun {
    fn summary(&self) -> RunSummary {
        RunSummary {
            run_id: self.run_id.clone(),
            check_id: self.check_id.clone(),
            check_name: self.check_name.clone(),
            verdict: self.report.verdict,
            duration_ms: self.report.duration_ms,
            started_at_ms: self.started_at_ms,
            message: self.report.failure.as_ref().map(|f| f.message.clone()),
        }
    }

    /// The `e2e` event's fields: the run's business attributes, flat.
    pub fn event_fields(&self) -> serde_json::Map<String, serde_json::Value> {
        match self.event() {
            serde_json::Value::Object(fields) => fields,
            _ => serde_json::Map::new(),
        }
    }

    /// The `e2e` event: the run's business attributes, flat.
    fn event(&self) -> serde_json::Value {
        let failure = self.report.failure.as_ref();
        serde_json::json!({
            "attendee": self.attendee.name,
            "attendee_id": self.attendee.id,
            "check": self.check_name,
            "run_id": self.run_id,
            "success": self.report.passed(),
            "verdict": self.report.verdict,
            "duration_ms": self.report.duration_ms,
            "iterations": self.report.iterations,
            "colour": self.report.colour,
            "input_form": self.report.colour.as_deref().map(input_form),
            "shard": self.report.shard,
            "request_id": self.report.request_id,
            "failed_step": failure.and_then(|f| f.step.clone()),
            "message": failure.map(|f| f.message.clone()),
            "expected": failure.and_then(|f| f.expected.clone()),
            "actual": failure.and_then(|f| f.actual.clone()),
            "trace_id": self.report.trace_id,
            "started_at": self.started_at_ms,
        })
    }
}

/// How a check asked for its colour: `hex` for `#rrggbb`, else `name`.
fn input_form(colour: &str) -> &'static str {
    if colour.trim().starts_with('#') {
        "hex"
    } else {
        "name"
    }
}

fn verdict_str(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Pass => "pass",
        Verdict::Fail => "fail",
        Verdict::Error => "error",
    }
}

/// A stored verdict (anything unknown reads as an error).
pub(super) fn parse_verdict(s: &str) -> Verdict {
    match s {
        "pass" => Verdict::Pass,
        "fail" => Verdict::Fail,
        _ => Verdict::Error,
    }
}

const SUMMARY_COLUMNS: &str =
    "r.run_id, r.check_id, r.check_name, r.verdict, r.duration_ms, r.started_at_ms, r.message";

fn summary(row: &Row<'_>) -> rusqlite::Result<RunSummary> {
    Ok(RunSummary {
        run_id: row.get(0)?,
        check_id: row.get(1)?,
        check_name: row.get(2)?,
        verdict: parse_verdict(&row.get::<_, String>(3)?),
        duration_ms: row.get(4)?,
        started_at_ms: row.get(5)?,
        message: row.get(6)?,
    })
}

impl Store {
    /// Records a run: its `e2e` event and its report.
    pub async fn record_run(&self, run: NewRun) -> Result<RunSummary, AppError> {
        let report = serde_json::to_string(&run.report)
            .map_err(|e| AppError::internal("encoding the report", e))?;
        self.call("recording the run", move |conn| {
            let tx = super::write_tx(conn)?;
            tx.execute(
                "INSERT INTO events (dataset, timestamp_ms, fields, trace_id)
                 VALUES ('e2e', ?1, ?2, ?3)",
                params![
                    run.started_at_ms,
                    run.event().to_string(),
                    run.report.trace_id
                ],
            )?;
            let event_seq = tx.last_insert_rowid();
            let summary = run.summary();
            tx.execute(
                "INSERT INTO runs (run_id, event_seq, attendee_id, check_id, check_name, verdict,
                                   duration_ms, started_at_ms, message, report, scheduled)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                params![
                    summary.run_id,
                    event_seq,
                    run.attendee.id,
                    summary.check_id,
                    summary.check_name,
                    verdict_str(summary.verdict),
                    summary.duration_ms,
                    summary.started_at_ms,
                    summary.message,
                    report,
                    run.scheduled
                ],
            )?;
            tx.commit()?;
            Ok(summary)
        })
        .await
    }

    /// `attendee_id`'s most recent runs (of one check if given), newest first.
    pub async fn recent_runs(
        &self,
        attendee_id: String,
        check_id: Option<String>,
        limit: u32,
    ) -> Result<Vec<RunSummary>, AppError> {
        self.call("listing runs", move |conn| {
            let mut stmt = conn.prepare(&format!(
                "SELECT {SUMMARY_COLUMNS} FROM runs r
                 WHERE r.attendee_id = ?1 AND (?2 IS NULL OR r.check_id = ?2)
                 ORDER BY r.started_at_ms DESC, r.rowid DESC LIMIT ?3"
            ))?;
            let rows = stmt.query_map(params![attendee_id, check_id, limit], summary)?;
            rows.collect()
        })
        .await
    }

    /// One run with its report.
    pub async fn run(&self, run_id: String) -> Result<Option<RunDetail>, AppError> {
        let found = self
            .call("reading the run", move |conn| {
                conn.query_row(
                    &format!(
                        "SELECT {SUMMARY_COLUMNS}, a.id, a.name, r.report FROM runs r
                         JOIN attendees a ON a.id = r.attendee_id WHERE r.run_id = ?1"
                    ),
                    [run_id],
                    |row| {
                        Ok((
                            summary(row)?,
                            Attendee {
                                id: row.get(7)?,
                                name: row.get(8)?,
                            },
                            row.get::<_, String>(9)?,
                        ))
                    },
                )
                .optional()
            })
            .await?;
        let Some((summary, attendee, report)) = found else {
            return Ok(None);
        };
        let report = serde_json::from_str(&report)
            .map_err(|e| AppError::internal("reading the stored report", e))?;
        Ok(Some(RunDetail {
            summary,
            attendee,
            report,
        }))
    }
}
