//! [`EventTable`]: one dataset's events in memory, column by column.
//!
//! Events sit in chunks of about [`CHUNK_ROWS`] rows, in timestamp order (an event
//! that arrives late is inserted where it belongs, so slight disorder costs a short
//! move). Retention drops whole chunks plus an offset into the first one, so
//! [`EventTable::drop_oldest`] is cheap enough to call after every batch.
//!
//! Columns appear as events bring them. A column may hold values of several types: each
//! value is kept in the lane of its own type (number, string, boolean) and nothing is
//! converted on the way in. The type a column reports ([`ColumnInfo`]) is the type of
//! most of its values; operators read the lane they need (SUM reads numbers, `contains`
//! strings, equality all three: see [`bulbwatch_api::FilterOp`]).

pub(crate) mod chunk;
pub(crate) mod dictionary;

use bulbwatch_api::{ColumnInfo, ColumnType};

use crate::hash::FxHashMap;
use chunk::{Chunk, Stored};

/// Rows per chunk: large enough for tight loops over plain slices, small enough that
/// retention frees memory in steps of a few megabytes.
pub const CHUNK_ROWS: usize = 65_536;

/// A chunk's lanes have room for `1 / LATE_ROOM` more rows than the chunk is filled
/// to in order, for the late events inserted into it afterwards.
const LATE_ROOM: usize = 64;

/// One field's value as it enters the table.
///
/// Non-finite numbers and `Null` mean "no value". Arrays and objects (from
/// [`EventTable::push_json`]) are kept as their JSON text.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FieldValue<'a> {
    /// Text.
    Str(&'a str),
    /// A number.
    Num(f64),
    /// A boolean.
    Bool(bool),
    /// No value: the event lacks the column.
    Null,
}

impl<'a> From<&'a str> for FieldValue<'a> {
    fn from(s: &'a str) -> Self {
        FieldValue::Str(s)
    }
}

impl From<f64> for FieldValue<'_> {
    fn from(n: f64) -> Self {
        FieldValue::Num(n)
    }
}

impl From<i64> for FieldValue<'_> {
    fn from(n: i64) -> Self {
        FieldValue::Num(n as f64)
    }
}

impl From<bool> for FieldValue<'_> {
    fn from(b: bool) -> Self {
        FieldValue::Bool(b)
    }
}

/// How many values of each type a column holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct ColumnStats {
    pub(crate) numbers: usize,
    pub(crate) fractional: usize,
    pub(crate) strings: usize,
    pub(crate) bools: usize,
}

impl ColumnStats {
    /// The type most values have (ties: string, then number, then boolean).
    pub(crate) fn column_type(&self) -> Option<ColumnType> {
        if self.numbers + self.strings + self.bools == 0 {
            None
        } else if self.strings >= self.numbers && self.strings >= self.bools {
            Some(ColumnType::String)
        } else if self.numbers >= self.bools {
            Some(if self.fractional == 0 {
                ColumnType::Integer
            } else {
                ColumnType::Float
            })
        } else {
            Some(ColumnType::Boolean)
        }
    }

    /// A word for what the column holds, for error messages.
    pub(crate) fn describe(&self) -> &'static str {
        match self.column_type() {
            None => "no values",
            Some(ColumnType::String) => "strings",
            Some(ColumnType::Integer | ColumnType::Float) => "numbers",
            Some(ColumnType::Boolean) => "booleans",
        }
    }
}

/// The rows of one chunk inside a time range: `chunk.timestamps[lo..hi]`.
#[derive(Clone, Copy)]
pub(crate) struct ChunkRows<'t> {
    pub(crate) chunk: &'t Chunk,
    pub(crate) lo: usize,
    pub(crate) hi: usize,
}

/// One dataset's events, column by column. See the module docs.
#[derive(Clone)]
pub struct EventTable {
    chunk_rows: usize,
    names: Vec<String>,
    ids: FxHashMap<String, usize>,
    chunks: Vec<Chunk>,
    /// Rows of `chunks[0]` already dropped.
    head: usize,
    len: usize,
}

impl Default for EventTable {
    fn default() -> Self {
        Self::new()
    }
}

impl EventTable {
    /// An empty table with chunks of [`CHUNK_ROWS`].
    pub fn new() -> Self {
        Self::with_chunk_rows(CHUNK_ROWS)
    }

    /// An empty table with chunks of `chunk_rows` (at least 1): small chunks let
    /// tests cross chunk edges with a few events.
    pub fn with_chunk_rows(chunk_rows: usize) -> Self {
        Self {
            chunk_rows: chunk_rows.max(1),
            names: Vec::new(),
            ids: FxHashMap::default(),
            chunks: Vec::new(),
            head: 0,
            len: 0,
        }
    }

    /// Events held.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no event is held.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Bytes of memory the table holds: the allocated capacity of every column lane,
    /// timestamp and dictionary (hash tables estimated from their capacity), dropped
    /// rows not yet freed included. Divide by [`EventTable::len`] for bytes per event.
    pub fn heap_bytes(&self) -> usize {
        size_of::<Self>()
            + self.chunks.capacity() * size_of::<Chunk>()
            + self.chunks.iter().map(Chunk::heap_bytes).sum::<usize>()
            + self.names.iter().map(|n| 2 * n.capacity()).sum::<usize>()
            + self.names.capacity() * size_of::<String>()
            + dictionary::map_bytes(self.ids.capacity(), size_of::<(String, usize)>())
    }

    /// Timestamp of the oldest event held, ms since the epoch.
    pub fn oldest_ms(&self) -> Option<i64> {
        self.chunks.first().map(|c| c.timestamps[self.head])
    }

    /// Timestamp of the newest event held, ms since the epoch.
    pub fn newest_ms(&self) -> Option<i64> {
        self.chunks
            .last()
            .and_then(|c| c.timestamps.last().copied())
    }

    /// Adds one event. A field named twice keeps its last value; `Null` and
    /// non-finite numbers count as absent.
    pub fn push(&mut self, timestamp_ms: i64, fields: &[(&str, FieldValue<'_>)]) {
        let (c, row) = self.open_row(timestamp_ms);
        for (name, value) in fields {
            self.set(c, row, name, *value);
        }
    }

    /// Adds one event from a JSON object (a wide event as the event store keeps it).
    pub fn push_json(
        &mut self,
        timestamp_ms: i64,
        fields: &serde_json::Map<String, serde_json::Value>,
    ) {
        use serde_json::Value;
        let (c, row) = self.open_row(timestamp_ms);
        for (name, value) in fields {
            match value {
                Value::Null => self.set(c, row, name, FieldValue::Null),
                Value::Bool(b) => self.set(c, row, name, FieldValue::Bool(*b)),
                Value::Number(n) => {
                    let n = n.as_f64().unwrap_or(f64::NAN);
                    self.set(c, row, name, FieldValue::Num(n));
                }
                Value::String(s) => self.set(c, row, name, FieldValue::Str(s)),
                Value::Array(_) | Value::Object(_) => {
                    self.set(c, row, name, FieldValue::Str(&value.to_string()));
                }
            }
        }
    }

    /// Drops the `n` oldest events (all of them if `n` is larger); answers how many
    /// went. Costs O(chunks), not O(rows).
    pub fn drop_oldest(&mut self, n: usize) -> usize {
        let n = n.min(self.len);
        self.len -= n;
        self.head += n;
        let whole = self
            .chunks
            .iter()
            .scan(0usize, |seen, c| {
                *seen += c.len();
                Some(*seen)
            })
            .take_while(|&seen| seen <= self.head)
            .count();
        if whole > 0 {
            let rows: usize = self.chunks[..whole].iter().map(Chunk::len).sum();
            self.chunks.drain(..whole);
            self.head -= rows;
        }
        n
    }

    /// Drops every event older than `cutoff_ms`; answers how many went.
    pub fn drop_before(&mut self, cutoff_ms: i64) -> usize {
        let older: usize = self
            .ranges(i64::MIN, cutoff_ms)
            .iter()
            .map(|r| r.hi - r.lo)
            .sum();
        self.drop_oldest(older)
    }

    /// The columns that hold at least one value, by name, each with the type of most
    /// of its values.
    pub fn columns(&self) -> Vec<ColumnInfo> {
        let mut out: Vec<ColumnInfo> = (0..self.names.len())
            .filter_map(|id| {
                Some(ColumnInfo {
                    name: self.names[id].clone(),
                    column_type: self.column_stats(id).column_type()?,
                })
            })
            .collect();
        out.sort_by(|a, b| a.name.cmp(&b.name));
        out
    }

    /// The id of a column some held event has, with what it holds.
    pub(crate) fn column(&self, name: &str) -> Option<(usize, ColumnStats)> {
        let id = *self.ids.get(name)?;
        let stats = self.column_stats(id);
        stats.column_type().map(|_| (id, stats))
    }

    /// Names of every column ever seen, by id (some may hold no value any more).
    pub(crate) fn column_names(&self) -> &[String] {
        &self.names
    }

    /// How many values of each type the held events have in a column.
    pub(crate) fn column_stats(&self, id: usize) -> ColumnStats {
        let mut s = ColumnStats::default();
        for c in self.chunks.iter().filter_map(|c| c.column(id)) {
            if let Some(l) = &c.numbers {
                s.numbers += l.present;
                s.fractional += l.fractional;
            }
            s.strings += c.strings.as_ref().map_or(0, |l| l.present);
            s.bools += c.bools.as_ref().map_or(0, |l| l.present);
        }
        // Rows dropped from the first chunk are still in its lanes' counts.
        if let Some(c) = self.chunks.first().and_then(|c| c.column(id)) {
            let head = self.head;
            if let Some(l) = &c.numbers {
                for &v in l.values[..head].iter().filter(|v| !v.is_nan()) {
                    s.numbers -= 1;
                    s.fractional -= usize::from(!chunk::is_integral(v));
                }
            }
            if let Some(l) = &c.strings {
                s.strings -= l.ids[..head]
                    .iter()
                    .filter(|&&id| id != chunk::NO_STR)
                    .count();
            }
            if let Some(l) = &c.bools {
                s.bools -= l.values[..head]
                    .iter()
                    .filter(|&&b| b != chunk::NO_BOOL)
                    .count();
            }
        }
        s
    }

    /// The rows with `start_ms <= timestamp < end_ms`, chunk by chunk, oldest first.
    pub(crate) fn ranges(&self, start_ms: i64, end_ms: i64) -> Vec<ChunkRows<'_>> {
        let mut out = Vec::new();
        for (i, chunk) in self.chunks.iter().enumerate() {
            let first = if i == 0 { self.head } else { 0 };
            let ts = &chunk.timestamps[first..];
            if ts.last().is_none_or(|&t| t < start_ms) {
                continue;
            }
            if ts[0] >= end_ms {
                break;
            }
            let lo = first + ts.partition_point(|&t| t < start_ms);
            let hi = first + ts.partition_point(|&t| t < end_ms);
            if lo < hi {
                out.push(ChunkRows { chunk, lo, hi });
            }
        }
        out
    }

    /// Opens an empty row for an event at `ts`, in timestamp order; answers its chunk
    /// and row.
    fn open_row(&mut self, ts: i64) -> (usize, usize) {
        self.len += 1;
        let in_order = self
            .chunks
            .last()
            .is_none_or(|c| c.timestamps.last().is_none_or(|&t| t <= ts));
        if in_order {
            if self
                .chunks
                .last()
                .is_none_or(|c| c.len() >= self.chunk_rows)
            {
                // Room for a few late events too: a full lane that grows doubles.
                let room = self.chunk_rows + self.chunk_rows / LATE_ROOM;
                self.chunks.push(Chunk::with_capacity(room));
            }
            let c = self.chunks.len() - 1;
            let row = self.chunks[c].len();
            self.chunks[c].insert_row(row, ts);
            return (c, row);
        }
        // Late: the last chunk whose first live event is not after it.
        let head = self.head;
        let first_live = |i: usize, c: &Chunk| c.timestamps[if i == 0 { head } else { 0 }];
        let c = self
            .chunks
            .iter()
            .enumerate()
            .rposition(|(i, c)| first_live(i, c) <= ts)
            .unwrap_or(0);
        let first = if c == 0 { head } else { 0 };
        let row = first + self.chunks[c].timestamps[first..].partition_point(|&t| t <= ts);
        self.chunks[c].insert_row(row, ts);
        (c, row)
    }

    fn set(&mut self, c: usize, row: usize, name: &str, value: FieldValue<'_>) {
        let stored = match value {
            FieldValue::Str(s) => Stored::Str(s),
            FieldValue::Num(n) if n.is_finite() => Stored::Num(n),
            FieldValue::Bool(b) => Stored::Bool(b),
            FieldValue::Num(_) | FieldValue::Null => Stored::Nothing,
        };
        let id = match self.ids.get(name) {
            Some(&id) => id,
            None if matches!(stored, Stored::Nothing) => return,
            None => {
                self.names.push(name.to_owned());
                self.ids.insert(name.to_owned(), self.names.len() - 1);
                self.names.len() - 1
            }
        };
        self.chunks[c].set(row, id, stored);
    }
}

impl std::fmt::Debug for EventTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventTable")
            .field("len", &self.len)
            .field("chunks", &self.chunks.len())
            .field("columns", &self.names)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timestamps(t: &EventTable) -> Vec<i64> {
        t.ranges(i64::MIN, i64::MAX)
            .iter()
            .flat_map(|r| r.chunk.timestamps[r.lo..r.hi].to_vec())
            .collect()
    }

    #[test]
    fn late_events_land_in_order_across_chunks() {
        let mut t = EventTable::with_chunk_rows(3);
        for ts in [10, 20, 30, 40, 50, 60, 70, 25, 5, 65, 70, 45] {
            t.push(ts, &[("x", FieldValue::Num(ts as f64))]);
        }
        assert_eq!(
            timestamps(&t),
            vec![5, 10, 20, 25, 30, 40, 45, 50, 60, 65, 70, 70]
        );
        assert_eq!(t.len(), 12);
        assert_eq!(t.oldest_ms(), Some(5));
        assert_eq!(t.newest_ms(), Some(70));
    }

    #[test]
    fn drop_oldest_keeps_the_newest_rows() {
        let mut t = EventTable::with_chunk_rows(4);
        for ts in 0..10 {
            t.push(ts, &[]);
        }
        assert_eq!(t.drop_oldest(5), 5);
        assert_eq!(timestamps(&t), vec![5, 6, 7, 8, 9]);
        assert_eq!(t.chunks.len(), 2);
        // A late event older than everything held goes first, and is next to go.
        t.push(1, &[]);
        assert_eq!(timestamps(&t), vec![1, 5, 6, 7, 8, 9]);
        assert_eq!(t.drop_before(7), 3);
        assert_eq!(timestamps(&t), vec![7, 8, 9]);
        assert_eq!(t.drop_oldest(100), 3);
        assert!(t.is_empty());
        assert_eq!(timestamps(&t), Vec::<i64>::new());
        t.push(3, &[]);
        assert_eq!(timestamps(&t), vec![3]);
    }

    #[test]
    fn heap_bytes_count_the_lanes_and_follow_retention() {
        let mut t = EventTable::with_chunk_rows(1000);
        let empty = t.heap_bytes();
        for i in 0..10_000 {
            t.push(i, &[("n", FieldValue::Num(i as f64)), ("s", "x".into())]);
        }
        // Each event: an 8-byte timestamp, an 8-byte number, a 4-byte string id.
        let full = t.heap_bytes();
        assert!(full - empty >= 10_000 * 20, "{full}");
        assert!(
            full - empty <= 10_000 * 24,
            "{full}: lanes hold little spare room"
        );
        t.drop_oldest(5_000);
        assert!(t.heap_bytes() <= empty + (full - empty) / 2 + 2_000);
    }

    #[test]
    fn column_types_follow_most_values() {
        let mut t = EventTable::new();
        t.push(0, &[("a", 1.into()), ("b", 1.5.into()), ("c", "x".into())]);
        t.push(1, &[("a", 2.into()), ("c", 3.into()), ("c", "y".into())]);
        t.push(2, &[("d", true.into()), ("e", FieldValue::Null)]);
        t.push(3, &[("d", f64::NAN.into())]);
        let cols = t.columns();
        let ty = |n: &str| cols.iter().find(|c| c.name == n).map(|c| c.column_type);
        assert_eq!(ty("a"), Some(ColumnType::Integer));
        assert_eq!(ty("b"), Some(ColumnType::Float));
        assert_eq!(ty("c"), Some(ColumnType::String));
        assert_eq!(ty("d"), Some(ColumnType::Boolean));
        assert_eq!(ty("e"), None);
        assert_eq!(t.column("c").unwrap().1.numbers, 0);
        assert!(t.column("e").is_none());
        t.drop_oldest(2);
        assert_eq!(t.columns().len(), 1);
        assert!(t.column("a").is_none());
    }

    #[test]
    fn json_events_keep_their_types() {
        let mut t = EventTable::new();
        let fields = serde_json::json!({"s": "x", "n": 2, "b": false, "z": null, "o": {"k": 1}});
        t.push_json(0, fields.as_object().unwrap());
        let stats = |n: &str| t.column(n).unwrap().1;
        assert_eq!(stats("s").strings, 1);
        assert_eq!(stats("n").numbers, 1);
        assert_eq!(stats("b").bools, 1);
        assert_eq!(stats("o").strings, 1);
        assert!(t.column("z").is_none());
    }
}
