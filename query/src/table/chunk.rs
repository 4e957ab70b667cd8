//! One chunk of a table: up to about `chunk_rows` consecutive events (in time order),
//! column by column. Each column keeps up to three typed lanes, allocated when the
//! first value of that type arrives in the chunk; every lane is as long as the chunk,
//! with a sentinel for "no value of this type here".

use super::dictionary::Dictionary;

/// A string lane's "no string here".
pub(crate) const NO_STR: u32 = u32::MAX;
/// A boolean lane's "no boolean here" (0 is false, 1 is true).
pub(crate) const NO_BOOL: u8 = 2;

/// Numbers of one column; NaN where the row has no number (a stored number is finite).
#[derive(Clone, Default)]
pub(crate) struct NumberLane {
    /// One per row.
    pub(crate) values: Vec<f64>,
    /// Rows with a number.
    pub(crate) present: usize,
    /// Rows whose number is not a whole number.
    pub(crate) fractional: usize,
}

/// Strings of one column as dictionary ids; `NO_STR` where the row has no string.
#[derive(Clone, Default)]
pub(crate) struct StringLane {
    /// One per row.
    pub(crate) ids: Vec<u32>,
    /// The strings.
    pub(crate) dict: Dictionary,
    /// Rows with a string.
    pub(crate) present: usize,
}

/// Booleans of one column: 0, 1, or `NO_BOOL`.
#[derive(Clone, Default)]
pub(crate) struct BoolLane {
    /// One per row.
    pub(crate) values: Vec<u8>,
    /// Rows with a boolean.
    pub(crate) present: usize,
}

/// One column in one chunk. A row has a value in at most one lane.
#[derive(Clone, Default)]
pub(crate) struct ColumnChunk {
    /// Numbers, if any arrived in this chunk.
    pub(crate) numbers: Option<NumberLane>,
    /// Strings, if any arrived.
    pub(crate) strings: Option<StringLane>,
    /// Booleans, if any arrived.
    pub(crate) bools: Option<BoolLane>,
}

/// A value on its way into a lane.
#[derive(Clone, Copy)]
pub(crate) enum Stored<'a> {
    /// A finite number.
    Num(f64),
    /// A string.
    Str(&'a str),
    /// A boolean.
    Bool(bool),
    /// Nothing: clears the row.
    Nothing,
}

/// Whether `v` counts as a whole number for the column's type.
pub(crate) fn is_integral(v: f64) -> bool {
    v.fract() == 0.0 && v.abs() < 9_007_199_254_740_992.0
}

/// A lane of `rows` rows of `empty`, with room for `capacity`.
fn lane<T: Clone>(rows: usize, capacity: usize, empty: T) -> Vec<T> {
    let mut v = Vec::with_capacity(capacity.max(rows));
    v.resize(rows, empty);
    v
}

impl ColumnChunk {
    /// Bytes of memory the lanes hold (allocated capacity).
    pub(crate) fn heap_bytes(&self) -> usize {
        self.numbers
            .as_ref()
            .map_or(0, |l| l.values.capacity() * size_of::<f64>())
            + self.strings.as_ref().map_or(0, |l| {
                l.ids.capacity() * size_of::<u32>() + l.dict.heap_bytes()
            })
            + self.bools.as_ref().map_or(0, |l| l.values.capacity())
    }

    fn insert_row(&mut self, pos: usize) {
        if let Some(l) = &mut self.numbers {
            l.values.insert(pos, f64::NAN);
        }
        if let Some(l) = &mut self.strings {
            l.ids.insert(pos, NO_STR);
        }
        if let Some(l) = &mut self.bools {
            l.values.insert(pos, NO_BOOL);
        }
    }

    fn clear(&mut self, row: usize) {
        if let Some(l) = &mut self.numbers {
            let v = std::mem::replace(&mut l.values[row], f64::NAN);
            if !v.is_nan() {
                l.present -= 1;
                l.fractional -= usize::from(!is_integral(v));
            }
        }
        if let Some(l) = &mut self.strings
            && std::mem::replace(&mut l.ids[row], NO_STR) != NO_STR
        {
            l.present -= 1;
        }
        if let Some(l) = &mut self.bools
            && std::mem::replace(&mut l.values[row], NO_BOOL) != NO_BOOL
        {
            l.present -= 1;
        }
    }

    /// Sets a row's value; a lane made for it holds `rows` rows and room for
    /// `capacity`.
    fn set(&mut self, row: usize, rows: usize, capacity: usize, value: Stored<'_>) {
        self.clear(row);
        match value {
            Stored::Num(v) => {
                let l = self.numbers.get_or_insert_with(|| NumberLane {
                    values: lane(rows, capacity, f64::NAN),
                    ..NumberLane::default()
                });
                l.values[row] = v;
                l.present += 1;
                l.fractional += usize::from(!is_integral(v));
            }
            Stored::Str(s) => {
                let l = self.strings.get_or_insert_with(|| StringLane {
                    ids: lane(rows, capacity, NO_STR),
                    ..StringLane::default()
                });
                l.ids[row] = l.dict.intern(s);
                l.present += 1;
            }
            Stored::Bool(b) => {
                let l = self.bools.get_or_insert_with(|| BoolLane {
                    values: lane(rows, capacity, NO_BOOL),
                    ..BoolLane::default()
                });
                l.values[row] = u8::from(b);
                l.present += 1;
            }
            Stored::Nothing => {}
        }
    }
}

/// Consecutive events: timestamps ascending (ties in arrival order) and their columns.
#[derive(Clone, Default)]
pub(crate) struct Chunk {
    /// Event time, ms since the epoch, one per row, ascending.
    pub(crate) timestamps: Vec<i64>,
    /// By column id; a column beyond the end, or without lanes, has no values here.
    pub(crate) columns: Vec<ColumnChunk>,
}

impl Chunk {
    /// Bytes of memory the chunk holds (allocated capacity), its own struct aside.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.timestamps.capacity() * size_of::<i64>()
            + self.columns.capacity() * size_of::<ColumnChunk>()
            + self
                .columns
                .iter()
                .map(ColumnChunk::heap_bytes)
                .sum::<usize>()
    }

    /// An empty chunk with room for `rows` rows in every lane it will have.
    pub(crate) fn with_capacity(rows: usize) -> Self {
        Self {
            timestamps: Vec::with_capacity(rows),
            columns: Vec::new(),
        }
    }

    /// Rows held (dropped head rows included).
    pub(crate) fn len(&self) -> usize {
        self.timestamps.len()
    }

    /// The column's lanes in this chunk, if it has any.
    pub(crate) fn column(&self, id: usize) -> Option<&ColumnChunk> {
        self.columns.get(id)
    }

    /// The column's numbers in this chunk (NaN: none), if it has any.
    pub(crate) fn numbers(&self, id: usize) -> Option<&[f64]> {
        self.column(id)?
            .numbers
            .as_ref()
            .map(|l| l.values.as_slice())
    }

    /// Opens an empty row at `pos` (which keeps the timestamps ascending).
    pub(crate) fn insert_row(&mut self, pos: usize, timestamp_ms: i64) {
        self.timestamps.insert(pos, timestamp_ms);
        for c in &mut self.columns {
            c.insert_row(pos);
        }
    }

    /// Sets (or with `Stored::Nothing` clears) a row's value of a column.
    pub(crate) fn set(&mut self, row: usize, column: usize, value: Stored<'_>) {
        if self.columns.len() <= column {
            if matches!(value, Stored::Nothing) {
                return;
            }
            self.columns.resize_with(column + 1, ColumnChunk::default);
        }
        let (rows, capacity) = (self.timestamps.len(), self.timestamps.capacity());
        self.columns[column].set(row, rows, capacity, value);
    }
}
