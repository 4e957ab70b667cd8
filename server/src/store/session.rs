//! Ending a workshop session: everything of it is written to an export file first
//! (gzipped NDJSON, one record a line, `{"type": "attendee" | "check_version" | "run"
//! | "event" | "diagnosis" | "marker", …}`), and only then is the room emptied.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use flate2::Compression;
use flate2::write::GzEncoder;
use rusqlite::Connection;
use serde_json::{Value, json};

use super::Store;
use crate::error::AppError;

/// What an export holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SessionCounts {
    /// Attendees (removed ones too).
    pub attendees: u64,
    /// Saved check versions.
    pub check_versions: u64,
    /// Recorded runs, with their reports.
    pub runs: u64,
    /// Events of both datasets.
    pub events: u64,
    /// Diagnoses.
    pub diagnoses: u64,
}

/// Each kind of record: its type, and the query that reads it as JSON objects.
const EXPORTS: &[(&str, &str)] = &[
    (
        "attendee",
        "SELECT json_object('id', id, 'name', name, 'joined_at_ms', joined_at_ms,
                            'removed_at_ms', removed_at_ms) FROM attendees ORDER BY rowid",
    ),
    (
        "check_version",
        "SELECT json_object('check_id', c.id, 'owner_id', c.owner_id, 'name', c.name,
                            'version', v.version, 'source', v.source, 'saved_at_ms', v.saved_at_ms)
         FROM check_versions v JOIN checks c ON c.id = v.check_id ORDER BY c.rowid, v.version",
    ),
    (
        "run",
        "SELECT json_object('run_id', run_id, 'attendee_id', attendee_id, 'check_id', check_id,
                            'check_name', check_name, 'verdict', verdict, 'duration_ms', duration_ms,
                            'started_at_ms', started_at_ms, 'message', message,
                            'scheduled', scheduled, 'report', json(report))
         FROM runs ORDER BY started_at_ms, rowid",
    ),
    (
        "event",
        "SELECT json_object('dataset', dataset, 'timestamp_ms', timestamp_ms,
                            'fields', json(fields)) FROM events ORDER BY seq",
    ),
    (
        "diagnosis",
        "SELECT json_object('attendee_id', attendee_id, 'text', text, 'evidence', evidence,
                            'submitted_at_ms', submitted_at_ms, 'revision', revision,
                            'right', right) FROM diagnoses ORDER BY submitted_at_ms",
    ),
    (
        "marker",
        "SELECT json_object('at_ms', at_ms, 'kind', kind, 'text', text,
                            'attendee_id', attendee_id) FROM markers ORDER BY seq",
    ),
];

/// Emptied after the export, children before parents. The bulb's changes go too
/// (they name attendees); the bulb keeps showing its colour until the next change.
/// Apps paired with the Hue API stay paired, as with a real bridge, so their
/// attendee rows stay too.
const CLEARED: &str = "DELETE FROM runs; DELETE FROM events; DELETE FROM check_versions;
     DELETE FROM checks; DELETE FROM diagnoses; DELETE FROM markers;
     DELETE FROM bulb_changes; DELETE FROM attendees WHERE hue_app = 0;";

impl Store {
    /// Writes everything of the session to `exports/session-<ms>.ndjson.gz` in the
    /// data directory, synced to disk, then empties the room in one transaction. If
    /// the export fails, nothing is deleted.
    pub async fn export_and_clear_session(&self) -> Result<(PathBuf, SessionCounts), AppError> {
        let dir = self
            .path()
            .parent()
            .map_or_else(|| PathBuf::from("exports"), |d| d.join("exports"));
        self.call("starting a new session", move |conn| {
            let path = export(conn, &dir).map_err(|e| {
                rusqlite::Error::ToSqlConversionFailure(
                    format!("writing the export to {}: {e}", dir.display()).into(),
                )
            })?;
            let counts = path.1;
            let tx = super::write_tx(conn)?;
            tx.execute_batch(CLEARED)?;
            tx.commit()?;
            Ok((path.0, counts))
        })
        .await
    }
}

fn export(
    conn: &Connection,
    dir: &Path,
) -> Result<(PathBuf, SessionCounts), Box<dyn std::error::Error + Send + Sync>> {
    std::fs::create_dir_all(dir)?;
    let final_path = dir.join(format!("session-{}.ndjson.gz", super::now_ms()));
    let partial = final_path.with_extension("partial");
    let file = File::create(&partial)?;
    let mut out = GzEncoder::new(BufWriter::new(file), Compression::default());
    let mut counts = SessionCounts::default();
    for (kind, sql) in EXPORTS {
        let mut stmt = conn.prepare(sql)?;
        let mut rows = stmt.query([])?;
        let mut n = 0u64;
        while let Some(row) = rows.next()? {
            let text: String = row.get(0)?;
            let mut record: Value = serde_json::from_str(&text)?;
            if let Value::Object(fields) = &mut record {
                fields.insert("type".into(), json!(kind));
            }
            serde_json::to_writer(&mut out, &record)?;
            out.write_all(b"\n")?;
            n += 1;
        }
        match *kind {
            "attendee" => counts.attendees = n,
            "check_version" => counts.check_versions = n,
            "run" => counts.runs = n,
            "event" => counts.events = n,
            "diagnosis" => counts.diagnoses = n,
            _ => {}
        }
    }
    let file = out.finish()?.into_inner().map_err(|e| e.into_error())?;
    file.sync_all()?;
    std::fs::rename(&partial, &final_path)?;
    Ok((final_path, counts))
}
