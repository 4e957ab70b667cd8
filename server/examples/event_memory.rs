//! Memory per event of the engine's own table, for the events a data directory holds:
//! reads every stored `bulb` event's fields (JSON text) from its SQLite database,
//! then builds a `bulbwatch_query::EventTable` from them one by one on this thread,
//! and prints the growth of the process's resident memory per event. Given a column,
//! it leaves that column out, so two runs tell what the column costs (one table per
//! process: a second table in the same process would reuse the first one's memory).
//!
//! ```sh
//! cargo run --release -p bulbwatch-server --example event_memory -- DATA_DIR [MAX_EVENTS] [COLUMN]
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
            .ok_or("usage: event_memory DATA_DIR [MAX_EVENTS] [COLUMN]")?,
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
    let without = args.next();
    let per_event = bytes_per_event(&events, without.as_deref());
    match without {
        None => println!("EventTable: {per_event:.0} bytes per event (resident)"),
        Some(c) => println!("EventTable without {c}: {per_event:.0} bytes per event (resident)"),
    }
    Ok(())
}
