//! Assigning rows to groups. Each breakdown column's values are numbered densely as
//! they are met (strings through the chunk's dictionary, so a string is hashed once per
//! chunk, not once per row); a row's group is then its value id for one breakdown, or
//! found pair by pair in small integer-keyed maps for several.

use bulbwatch_api::Scalar;

use crate::hash::FxHashMap;
use crate::table::chunk::{Chunk, NO_BOOL, NO_STR};

const NONE: u32 = u32::MAX;

/// A breakdown value, borrowing strings from the table.
#[derive(Clone, Copy, Debug)]
enum KeyValue<'t> {
    Null,
    Bool(bool),
    Num(f64),
    Str(&'t str),
}

/// Dense ids for the values of one column, in order of first appearance.
#[derive(Default)]
pub(crate) struct ValueIds<'t> {
    values: Vec<KeyValue<'t>>,
    strings: FxHashMap<&'t str, u32>,
    numbers: FxHashMap<u64, u32>,
    bools: [u32; 2],
    null: u32,
}

impl<'t> ValueIds<'t> {
    pub(crate) fn new() -> Self {
        Self {
            bools: [NONE; 2],
            null: NONE,
            ..Self::default()
        }
    }

    fn add(&mut self, v: KeyValue<'t>) -> u32 {
        self.values.push(v);
        self.values.len() as u32 - 1
    }

    fn string(&mut self, s: &'t str) -> u32 {
        if let Some(&id) = self.strings.get(s) {
            return id;
        }
        let id = self.add(KeyValue::Str(s));
        self.strings.insert(s, id);
        id
    }

    fn number(&mut self, n: f64) -> u32 {
        let n = if n == 0.0 { 0.0 } else { n }; // -0 and 0 are one value
        if let Some(&id) = self.numbers.get(&n.to_bits()) {
            return id;
        }
        let id = self.add(KeyValue::Num(n));
        self.numbers.insert(n.to_bits(), id);
        id
    }

    fn boolean(&mut self, b: bool) -> u32 {
        if self.bools[usize::from(b)] == NONE {
            self.bools[usize::from(b)] = self.add(KeyValue::Bool(b));
        }
        self.bools[usize::from(b)]
    }

    fn null(&mut self) -> u32 {
        if self.null == NONE {
            self.null = self.add(KeyValue::Null);
        }
        self.null
    }

    /// Values met so far.
    pub(crate) fn len(&self) -> usize {
        self.values.len()
    }

    /// Gives every value of `other` an id here (adding those not met yet, in
    /// `other`'s order); answers the id here of each id of `other`.
    pub(crate) fn absorb(&mut self, other: &ValueIds<'t>) -> Vec<u32> {
        other
            .values
            .iter()
            .map(|&v| match v {
                KeyValue::Null => self.null(),
                KeyValue::Bool(b) => self.boolean(b),
                KeyValue::Num(n) => self.number(n),
                KeyValue::Str(s) => self.string(s),
            })
            .collect()
    }

    /// The value with this id (`None`: the rows lacked the column).
    pub(crate) fn scalar(&self, id: u32) -> Option<Scalar> {
        match self.values[id as usize] {
            KeyValue::Null => None,
            KeyValue::Bool(b) => Some(Scalar::Bool(b)),
            KeyValue::Num(n) => Some(Scalar::Number(n)),
            KeyValue::Str(s) => Some(Scalar::String(s.to_owned())),
        }
    }

    /// Writes the value id of each of `rows` of the chunk's `column` into `out`;
    /// `missing_is_none` leaves rows without a value as `u32::MAX` instead of the id of
    /// "no value".
    pub(crate) fn assign(
        &mut self,
        chunk: &'t Chunk,
        column: usize,
        rows: &[u32],
        out: &mut Vec<u32>,
        missing_is_none: bool,
    ) {
        out.clear();
        out.resize(rows.len(), NONE);
        if let Some(lanes) = chunk.column(column) {
            if let Some(l) = &lanes.strings {
                let mut remap = vec![NONE; l.dict.len()];
                for (o, &r) in out.iter_mut().zip(rows) {
                    let local = l.ids[r as usize];
                    if local != NO_STR {
                        let m = &mut remap[local as usize];
                        if *m == NONE {
                            *m = self.string(l.dict.get(local));
                        }
                        *o = *m;
                    }
                }
            }
            if let Some(l) = &lanes.numbers {
                for (o, &r) in out.iter_mut().zip(rows) {
                    let v = l.values[r as usize];
                    if !v.is_nan() {
                        *o = self.number(v);
                    }
                }
            }
            if let Some(l) = &lanes.bools {
                for (o, &r) in out.iter_mut().zip(rows) {
                    let b = l.values[r as usize];
                    if b != NO_BOOL {
                        *o = self.boolean(b == 1);
                    }
                }
            }
        }
        if !missing_is_none && out.contains(&NONE) {
            let null = self.null();
            out.iter_mut()
                .filter(|o| **o == NONE)
                .for_each(|o| *o = null);
        }
    }
}

/// Groups met so far and the rows' group ids.
pub(crate) struct Groups<'t> {
    columns: Vec<usize>,
    values: Vec<ValueIds<'t>>,
    /// For breakdown `j >= 1`: (group of the first `j` columns, value id) → group id.
    links: Vec<FxHashMap<u64, u32>>,
    /// For breakdown `j >= 1`: group id → (group of the first `j` columns, value id).
    parents: Vec<Vec<(u32, u32)>>,
    scratch: Vec<u32>,
}

impl<'t> Groups<'t> {
    /// Grouping by these columns (none: one group of every row).
    pub(crate) fn new(columns: &[usize]) -> Self {
        let k = columns.len();
        Self {
            columns: columns.to_vec(),
            values: (0..k).map(|_| ValueIds::new()).collect(),
            links: (1..k.max(1)).map(|_| FxHashMap::default()).collect(),
            parents: (1..k.max(1)).map(|_| Vec::new()).collect(),
            scratch: Vec::new(),
        }
    }

    /// Groups met so far (always 1 without breakdowns).
    pub(crate) fn len(&self) -> usize {
        match self.columns.len() {
            0 => 1,
            1 => self.values[0].len(),
            _ => self.parents.last().map_or(0, Vec::len),
        }
    }

    /// The group of each of `rows` of the chunk.
    pub(crate) fn assign(&mut self, chunk: &'t Chunk, rows: &[u32]) -> Vec<u32> {
        let mut out = Vec::new();
        if self.columns.is_empty() {
            out.resize(rows.len(), 0);
            return out;
        }
        self.values[0].assign(chunk, self.columns[0], rows, &mut out, false);
        for j in 1..self.columns.len() {
            let mut ids = std::mem::take(&mut self.scratch);
            self.values[j].assign(chunk, self.columns[j], rows, &mut ids, false);
            let links = &mut self.links[j - 1];
            let parents = &mut self.parents[j - 1];
            for (g, &v) in out.iter_mut().zip(&ids) {
                let key = (u64::from(*g) << 32) | u64::from(v);
                *g = *links.entry(key).or_insert_with(|| {
                    parents.push((*g, v));
                    parents.len() as u32 - 1
                });
            }
            self.scratch = ids;
        }
        out
    }

    /// Gives every group of `other` (grouping by the same columns over other rows) an
    /// id here, adding those not met yet in `other`'s order; answers the id here of
    /// each group of `other`.
    pub(crate) fn absorb(&mut self, other: &Groups<'t>) -> Vec<u32> {
        if self.columns.is_empty() {
            return vec![0];
        }
        let mut map = self.values[0].absorb(&other.values[0]);
        for j in 1..self.columns.len() {
            let values = self.values[j].absorb(&other.values[j]);
            let links = &mut self.links[j - 1];
            let parents = &mut self.parents[j - 1];
            map = other.parents[j - 1]
                .iter()
                .map(|&(g, v)| {
                    let (g, v) = (map[g as usize], values[v as usize]);
                    let key = (u64::from(g) << 32) | u64::from(v);
                    *links.entry(key).or_insert_with(|| {
                        parents.push((g, v));
                        parents.len() as u32 - 1
                    })
                })
                .collect();
        }
        map
    }

    /// A group's breakdown values, one per column.
    pub(crate) fn key(&self, group: u32) -> Vec<Option<Scalar>> {
        let k = self.columns.len();
        let mut key = vec![None; k];
        let mut g = group;
        for j in (0..k).rev() {
            let v = if j == 0 {
                g
            } else {
                let (parent, v) = self.parents[j - 1][g as usize];
                g = parent;
                v
            };
            key[j] = self.values[j].scalar(v);
        }
        key
    }
}
