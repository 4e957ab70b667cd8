//! Memory per event of the engine's own table, for the events a data directory holds:
//! reads every stored `bulb` event's fields (JSON text) from its SQLite database,
//! then builds a `bulbwatch_query::EventTable` from them one by one on this thread,
//! and prints the growth of the process's resident memory per event, for the whole
//! events and for the events without each of their widest columns (what that column
//! costs in memory).
//!
//! ```sh
//! cargo run --release -p bulbwatch-server --example event_memory -- DATA_DIR [MAX_EVENTS]
//! ```

use std::path::PathBuf;

use bulbwatch_query::EventTable;
use serde_json::{Map, Value};

/// The process's resident memory, bytes.
fn rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

/// Resident bytes per event of a table of `events`, leaving out the column `without`.
fn bytes_per_event(events: &[(i64, String)], without: Option<&str>) -> f64 {
    let before = rss();
    let mut table = EventTable::new();
    for (ts, text) in events {
        let mut fields: Map<String, Value> = serde_json::from_str(text).unwrap_or_default();
        if let Some(name) = without {
            fields.remove(name);
        }
        table.push_json(*ts, &fields);
    }
    let grown = rss().saturating_sub(before);
    let per_event = grown as f64 / events.len().max(1) as f64;
    drop(table);
    per_event
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(
        args.next()
            .ok_or("usage: event_memory DATA_DIR [MAX_EVENTS]")?,
    );
    let max: i64 = args.next().map_or(Ok(i64::MAX), |n| n.parse())?;
    let conn = rusqlite::Connection::open_with_flags(
        dir.join(bulbwatch::store::DB_FILE),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )?;
    let mut stmt = conn.prepare(
        "SELECT timestamp_ms, fields FROM events WHERE dataset = 'bulb'
         ORDER BY timestamp_ms, seq LIMIT ?1",
    )?;
    let events: Vec<(i64, String)> = stmt
        .query_map([max], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let text: usize = events.iter().map(|(_, t)| t.len()).sum();
    println!(
        "{} events, {:.0} bytes of JSON fields each on average",
        events.len(),
        text as f64 / events.len().max(1) as f64
    );
    // How often each column is present, to pick the ones worth leaving out.
    let mut columns: std::collections::BTreeMap<String, usize> = Default::default();
    for (_, t) in events.iter().step_by(97) {
        if let Ok(Value::Object(m)) = serde_json::from_str::<Value>(t) {
            for k in m.keys() {
                *columns.entry(k.clone()).or_default() += 1;
            }
        }
    }
    println!("{} columns", columns.len());
    let all = bytes_per_event(&events, None);
    println!("EventTable: {all:.0} bytes per event (resident)");
    for name in [
        "trace.trace_id",
        "trace.span_id",
        "trace.parent_id",
        "timestamp",
        "duration_ms",
    ] {
        let without = bytes_per_event(&events, Some(name));
        println!(
            "  without {name}: {without:.0} (the column costs {:.0})",
            all - without
        );
    }
    Ok(())
}
