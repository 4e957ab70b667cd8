//! The bulb's changes: queued by `PUT /api/bulb`, finished by the queue worker.
//! The queue is the set of changes not yet finished, in `seq` order, so a restart
//! picks up where the worker stopped.

use bulbwatch_api::Attendee;
use rusqlite::{OptionalExtension, Row, params};

use super::Store;
use crate::colour::{Colour, Hsb};
use crate::error::AppError;
use crate::telemetry::TraceParent;

/// How many finished changes to keep besides the last applied one.
const FINISHED_KEPT: i64 = 1000;

/// A change to queue.
#[derive(Clone, Debug)]
pub struct NewChange {
    /// Public id answered with the 202.
    pub request_id: String,
    /// Who asked.
    pub attendee_id: String,
    /// Lit once applied.
    pub on: bool,
    /// What colour; `None` keeps the one shown.
    pub colour: Option<Colour>,
    /// When it was asked for.
    pub requested_at_ms: i64,
    /// The span that queued it, so applying it joins the same trace.
    pub trace_parent: Option<TraceParent>,
    /// Changes in the queue once this one joined it, this one included.
    pub queue_length: u32,
    /// The shard whose queue takes it.
    pub shard: u32,
}

/// A change waiting in the queue.
#[derive(Clone, Debug)]
pub struct QueuedChange {
    /// Queue position (monotonic).
    pub seq: i64,
    /// Public id.
    pub request_id: String,
    /// Who asked.
    pub attendee: Attendee,
    /// Lit once applied.
    pub on: bool,
    /// What colour; `None` keeps the one shown.
    pub colour: Option<Colour>,
    /// When it was asked for.
    pub requested_at_ms: i64,
    /// The span that queued it.
    pub trace_parent: Option<TraceParent>,
    /// Changes in the queue once this one joined it (unknown for changes queued by
    /// a build that did not record it).
    pub queue_length: Option<u32>,
    /// The shard whose queue it is in.
    pub shard: u32,
}

/// The change the bulb shows now.
#[derive(Clone, Debug)]
pub struct AppliedChange {
    /// Public id.
    pub request_id: String,
    /// Who asked.
    pub attendee: Attendee,
    /// Lit or dark.
    pub on: bool,
    /// What colour (kept while dark).
    pub colour: Colour,
    /// When it was applied.
    pub applied_at_ms: i64,
}

/// How a queued change ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The driver set the bulb.
    Applied,
    /// The driver failed; the bulb kept its colour.
    Failed,
}

impl Outcome {
    fn as_str(self) -> &'static str {
        match self {
            Self::Applied => "applied",
            Self::Failed => "failed",
        }
    }
}

const CHANGE_COLUMNS: &str = "c.seq, c.request_id, a.id, a.name, c.colour, c.hue, c.sat, c.bri, \
     c.light_on, c.keeps_colour";

/// A change's seq, id, writer, colour (`None` while it keeps the shown one) and
/// whether it lights the bulb.
type ChangeParts = (i64, String, Attendee, Option<Colour>, bool);

fn change_parts(row: &Row<'_>) -> rusqlite::Result<ChangeParts> {
    let keeps_colour: bool = row.get(9)?;
    Ok((
        row.get(0)?,
        row.get(1)?,
        Attendee {
            id: row.get(2)?,
            name: row.get(3)?,
        },
        (!keeps_colour)
            .then(|| {
                Ok::<_, rusqlite::Error>(Colour {
                    label: row.get(4)?,
                    hsb: Hsb {
                        hue: row.get(5)?,
                        sat: row.get(6)?,
                        bri: row.get(7)?,
                    },
                })
            })
            .transpose()?,
        row.get(8)?,
    ))
}

impl Store {
    /// Puts a change at the back of the queue (committed before this returns).
    pub async fn enqueue_change(&self, change: NewChange) -> Result<(), AppError> {
        // A change that keeps the colour holds white until it is applied.
        let colour = change.colour.clone().unwrap_or_else(crate::colour::initial);
        self.call("queueing the change", move |conn| {
            conn.execute(
                "INSERT INTO bulb_changes
                   (request_id, attendee_id, colour, hue, sat, bri, requested_at_ms,
                    trace_id, span_id, queue_length, shard, light_on, keeps_colour)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                params![
                    change.request_id,
                    change.attendee_id,
                    colour.label,
                    colour.hsb.hue,
                    colour.hsb.sat,
                    colour.hsb.bri,
                    change.requested_at_ms,
                    change.trace_parent.as_ref().map(|p| p.trace_id.as_str()),
                    change.trace_parent.as_ref().map(|p| p.span_id.as_str()),
                    change.queue_length,
                    change.shard,
                    change.on,
                    change.colour.is_none(),
                ],
            )
            .map(drop)
        })
        .await
    }

    /// The oldest change of shard `shard` not yet finished.
    pub async fn next_queued(&self, shard: u32) -> Result<Option<QueuedChange>, AppError> {
        self.call("reading the queue", move |conn| {
            conn.query_row(
                &format!(
                    "SELECT {CHANGE_COLUMNS}, c.requested_at_ms, c.trace_id, c.span_id,
                            c.queue_length, c.shard
                     FROM bulb_changes c JOIN attendees a ON a.id = c.attendee_id
                     WHERE c.finished_at_ms IS NULL AND c.shard = ?1 ORDER BY c.seq LIMIT 1"
                ),
                [shard],
                |row| {
                    let (seq, request_id, attendee, colour, on) = change_parts(row)?;
                    Ok(QueuedChange {
                        seq,
                        request_id,
                        attendee,
                        on,
                        colour,
                        requested_at_ms: row.get(10)?,
                        trace_parent: TraceParent::from_columns(row.get(11)?, row.get(12)?),
                        queue_length: row.get(13)?,
                        shard: row.get(14)?,
                    })
                },
            )
            .optional()
        })
        .await
    }

    /// How many changes wait in shard `shard`'s queue.
    pub async fn queued_count(&self, shard: u32) -> Result<u32, AppError> {
        self.call("counting the queue", move |conn| {
            conn.query_row(
                "SELECT COUNT(*) FROM bulb_changes WHERE finished_at_ms IS NULL AND shard = ?1",
                [shard],
                |row| row.get(0),
            )
        })
        .await
    }

    /// Marks a queued change finished and trims old history. `shown` is the colour
    /// the bulb shows when it was applied (what was asked, unless a scenario changed
    /// it, or the one it kept), kept as the change's colour so a restart shows it
    /// again.
    pub async fn finish_change(
        &self,
        seq: i64,
        finished_at_ms: i64,
        outcome: Outcome,
        shown: Option<&Colour>,
    ) -> Result<(), AppError> {
        let shown = shown.cloned();
        self.call("recording the applied change", move |conn| {
            let tx = super::write_tx(conn)?;
            tx.execute(
                "UPDATE bulb_changes SET finished_at_ms = ?2, outcome = ?3 WHERE seq = ?1",
                params![seq, finished_at_ms, outcome.as_str()],
            )?;
            if let Some(shown) = shown {
                tx.execute(
                    "UPDATE bulb_changes SET colour = ?2, hue = ?3, sat = ?4, bri = ?5,
                            keeps_colour = 0 WHERE seq = ?1",
                    params![
                        seq,
                        shown.label,
                        shown.hsb.hue,
                        shown.hsb.sat,
                        shown.hsb.bri
                    ],
                )?;
            }
            // Keep each shard's last applied change (its bulb's state) and recent
            // history.
            tx.execute(
                "DELETE FROM bulb_changes
                 WHERE finished_at_ms IS NOT NULL AND seq < ?1 - ?2
                   AND seq NOT IN (SELECT MAX(seq) FROM bulb_changes
                                   WHERE outcome = 'applied' GROUP BY shard)",
                params![seq, FINISHED_KEPT],
            )?;
            tx.commit()
        })
        .await
    }

    /// The change shard `shard`'s bulb shows now, if any was ever applied.
    pub async fn last_applied(&self, shard: u32) -> Result<Option<AppliedChange>, AppError> {
        self.call("reading the bulb state", move |conn| {
            conn.query_row(
                &format!(
                    "SELECT {CHANGE_COLUMNS}, c.finished_at_ms
                     FROM bulb_changes c JOIN attendees a ON a.id = c.attendee_id
                     WHERE c.outcome = 'applied' AND c.shard = ?1 ORDER BY c.seq DESC LIMIT 1"
                ),
                [shard],
                |row| {
                    let (_, request_id, attendee, colour, on) = change_parts(row)?;
                    Ok(AppliedChange {
                        request_id,
                        attendee,
                        on,
                        // Applied changes hold the colour shown (set by finish_change).
                        colour: colour.unwrap_or_else(crate::colour::initial),
                        applied_at_ms: row.get(10)?,
                    })
                },
            )
            .optional()
        })
        .await
    }
}
