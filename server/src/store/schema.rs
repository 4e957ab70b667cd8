//! The database schema, applied in order; `user_version` records how far.

use rusqlite::Connection;

const MIGRATIONS: &[&str] = &[
    // 1: attendees, the bulb's changes (queued and applied), settings.
    "CREATE TABLE attendees (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        joined_at_ms INTEGER NOT NULL
     );
     CREATE TABLE bulb_changes (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        request_id TEXT NOT NULL UNIQUE,
        attendee_id TEXT NOT NULL REFERENCES attendees(id),
        colour TEXT NOT NULL,
        hue INTEGER NOT NULL,
        sat INTEGER NOT NULL,
        bri INTEGER NOT NULL,
        requested_at_ms INTEGER NOT NULL,
        finished_at_ms INTEGER,
        outcome TEXT CHECK (outcome IN ('applied', 'failed'))
     );
     CREATE INDEX bulb_changes_pending ON bulb_changes(seq) WHERE finished_at_ms IS NULL;
     CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);",
    // 2: saved checks and every version of each.
    "CREATE TABLE checks (
        id TEXT PRIMARY KEY,
        owner_id TEXT NOT NULL REFERENCES attendees(id),
        name TEXT NOT NULL,
        share_id TEXT NOT NULL UNIQUE,
        created_at_ms INTEGER NOT NULL
     );
     CREATE INDEX checks_owner ON checks(owner_id);
     CREATE TABLE check_versions (
        check_id TEXT NOT NULL REFERENCES checks(id),
        version INTEGER NOT NULL,
        source TEXT NOT NULL,
        saved_at_ms INTEGER NOT NULL,
        PRIMARY KEY (check_id, version)
     );",
    // 3: wide events by dataset (`e2e` now), and the full report of every run.
    "CREATE TABLE events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        dataset TEXT NOT NULL,
        timestamp_ms INTEGER NOT NULL,
        fields TEXT NOT NULL
     );
     CREATE INDEX events_by_time ON events(dataset, timestamp_ms);
     CREATE TABLE runs (
        run_id TEXT PRIMARY KEY,
        event_seq INTEGER NOT NULL REFERENCES events(seq),
        attendee_id TEXT NOT NULL REFERENCES attendees(id),
        check_id TEXT,
        check_name TEXT NOT NULL,
        verdict TEXT NOT NULL,
        duration_ms REAL NOT NULL,
        started_at_ms INTEGER NOT NULL,
        message TEXT,
        report TEXT NOT NULL
     );
     CREATE INDEX runs_by_attendee ON runs(attendee_id, started_at_ms);",
    // 4: instrumentation. A queued change keeps the trace context of the request that
    // queued it, so the worker's apply span joins that trace; events are found by
    // trace id; markers record actions (queue delay, points switched) for charts.
    "ALTER TABLE bulb_changes ADD COLUMN trace_id TEXT;
     ALTER TABLE bulb_changes ADD COLUMN span_id TEXT;
     ALTER TABLE events ADD COLUMN trace_id TEXT;
     UPDATE events SET trace_id = json_extract(fields, '$.trace_id') WHERE dataset = 'e2e';
     CREATE INDEX events_by_trace ON events(trace_id) WHERE trace_id IS NOT NULL;
     CREATE TABLE markers (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at_ms INTEGER NOT NULL,
        kind TEXT NOT NULL,
        text TEXT NOT NULL,
        attendee_id TEXT REFERENCES attendees(id)
     );
     CREATE INDEX markers_by_time ON markers(at_ms);",
    // 5: a queued change keeps the queue length it joined, so the apply span can
    // carry it next to the delay it caused.
    "ALTER TABLE bulb_changes ADD COLUMN queue_length INTEGER;",
    // 6: the facilitator's room. Removed attendees keep their rows (their runs and
    // changes point at them) but their tokens stop working; a run says whether a
    // schedule started it; one diagnosis per attendee, revised in place.
    "ALTER TABLE attendees ADD COLUMN removed_at_ms INTEGER;
     ALTER TABLE runs ADD COLUMN scheduled INTEGER NOT NULL DEFAULT 0;
     CREATE TABLE diagnoses (
        attendee_id TEXT PRIMARY KEY REFERENCES attendees(id),
        text TEXT NOT NULL,
        evidence TEXT,
        submitted_at_ms INTEGER NOT NULL,
        revision INTEGER NOT NULL,
        right INTEGER NOT NULL DEFAULT 0
     );",
    // 7: shards and the rehearsal room. Every change belongs to one shard's queue
    // (0 for changes from before); simulated attendees are marked.
    "ALTER TABLE bulb_changes ADD COLUMN shard INTEGER NOT NULL DEFAULT 0;
     CREATE INDEX bulb_changes_pending_by_shard ON bulb_changes(shard, seq)
        WHERE finished_at_ms IS NULL;
     ALTER TABLE attendees ADD COLUMN simulated INTEGER NOT NULL DEFAULT 0;",
    // 8: on/off. A change lights or darkens the bulb (every change before was a lit
    // colour); one that only switches keeps the colour shown when it is applied, so
    // its colour columns wait as placeholders until then.
    "ALTER TABLE bulb_changes ADD COLUMN light_on INTEGER NOT NULL DEFAULT 1;
     ALTER TABLE bulb_changes ADD COLUMN keeps_colour INTEGER NOT NULL DEFAULT 0;",
    // 9: apps paired with the Hue-compatible API. Each writes through an attendee row
    // of its own (marked, kept across sessions, left off the room's lists); only a
    // SHA-256 of its username is kept, as for attendee tokens.
    "ALTER TABLE attendees ADD COLUMN hue_app INTEGER NOT NULL DEFAULT 0;
     CREATE TABLE hue_apps (
        username_hash TEXT PRIMARY KEY,
        attendee_id TEXT NOT NULL UNIQUE,
        devicetype TEXT NOT NULL,
        paired_at_ms INTEGER NOT NULL
     );",
];

/// Applies every migration the database has not seen yet, each in a transaction.
pub fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    let done: usize = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(done) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index + 1)?;
        tx.commit()?;
    }
    Ok(())
}
