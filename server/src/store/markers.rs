//! Markers: actions (queue delay changed, a point switched) at the moment they
//! happened, drawn on charts over their window.

use bulbwatch_api::{Attendee, Marker, MarkerKind};
use rusqlite::params;

use super::{Store, now_ms};
use crate::error::AppError;

fn kind_str(kind: MarkerKind) -> &'static str {
    match kind {
        MarkerKind::QueueDelay => "queue_delay",
        MarkerKind::InstrumentationPoint => "instrumentation_point",
        MarkerKind::Phase => "phase",
        MarkerKind::RoomSwitch => "room_switch",
        MarkerKind::Reveal => "reveal",
        MarkerKind::Scenario => "scenario",
        MarkerKind::Shards => "shards",
    }
}

fn parse_kind(s: &str) -> Option<MarkerKind> {
    [
        MarkerKind::QueueDelay,
        MarkerKind::InstrumentationPoint,
        MarkerKind::Phase,
        MarkerKind::RoomSwitch,
        MarkerKind::Reveal,
        MarkerKind::Scenario,
        MarkerKind::Shards,
    ]
    .into_iter()
    .find(|k| kind_str(*k) == s)
}

impl Store {
    /// Records a marker now.
    pub async fn add_marker(
        &self,
        kind: MarkerKind,
        text: String,
        attendee: Option<Attendee>,
    ) -> Result<Marker, AppError> {
        let marker = Marker {
            at_ms: now_ms(),
            kind,
            text,
            attendee,
        };
        let row = marker.clone();
        self.call("recording the marker", move |conn| {
            conn.execute(
                "INSERT INTO markers (at_ms, kind, text, attendee_id) VALUES (?1, ?2, ?3, ?4)",
                params![
                    row.at_ms,
                    kind_str(row.kind),
                    row.text,
                    row.attendee.as_ref().map(|a| a.id.as_str())
                ],
            )
            .map(drop)
        })
        .await?;
        Ok(marker)
    }

    /// Markers with `from_ms <= at_ms < to_ms`, oldest first, at most `limit`.
    pub async fn markers(
        &self,
        from_ms: i64,
        to_ms: i64,
        limit: u32,
    ) -> Result<Vec<Marker>, AppError> {
        self.call("reading markers", move |conn| {
            let mut stmt = conn.prepare(
                "SELECT m.at_ms, m.kind, m.text, a.id, a.name
                 FROM markers m LEFT JOIN attendees a ON a.id = m.attendee_id
                 WHERE m.at_ms >= ?1 AND m.at_ms < ?2 ORDER BY m.at_ms, m.seq LIMIT ?3",
            )?;
            let rows = stmt.query_map(params![from_ms, to_ms, limit], |row| {
                let id: Option<String> = row.get(3)?;
                let name: Option<String> = row.get(4)?;
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                    id.zip(name).map(|(id, name)| Attendee { id, name }),
                ))
            })?;
            let mut markers = Vec::new();
            for row in rows {
                let (at_ms, kind, text, attendee) = row?;
                // A kind this build does not know (written by a newer one) is skipped.
                if let Some(kind) = parse_kind(&kind) {
                    markers.push(Marker {
                        at_ms,
                        kind,
                        text,
                        attendee,
                    });
                }
            }
            Ok(markers)
        })
        .await
    }
}
