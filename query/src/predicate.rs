//! Filters resolved to typed predicates, and their evaluation over a chunk's rows,
//! lane by lane as plain slices.

use crate::table::chunk::{Chunk, NO_BOOL, NO_STR};

/// Numeric comparison of an ordering filter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ordering {
    Lt,
    Le,
    Gt,
    Ge,
}

/// What a string value must be, for a [`Predicate::Match`].
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum TextMatch {
    /// Equal to one of `strings`, or its text parses to one of `numbers` / `bools`.
    Equal {
        strings: Vec<String>,
        numbers: Vec<f64>,
        bools: [bool; 2],
    },
    /// Contains the text.
    Contains(String),
    /// Starts with the text.
    StartsWith(String),
}

impl TextMatch {
    /// Whether a string value matches.
    pub(crate) fn matches(&self, s: &str) -> bool {
        match self {
            TextMatch::Equal {
                strings,
                numbers,
                bools,
            } => {
                strings.iter().any(|x| x == s)
                    || (!numbers.is_empty() && s.parse::<f64>().is_ok_and(|n| numbers.contains(&n)))
                    || parse_bool(s).is_some_and(|b| bools[usize::from(b)])
            }
            TextMatch::Contains(t) => s.contains(t.as_str()),
            TextMatch::StartsWith(t) => s.starts_with(t.as_str()),
        }
    }
}

/// `"true"` / `"false"` as a boolean.
pub(crate) fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// One filter, resolved against the table's columns.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Predicate {
    /// The row has a value (of any type); negated: it has none.
    Exists { column: usize, negate: bool },
    /// The row's number compares so with `value`; rows without a number never match.
    Compare {
        column: usize,
        op: Ordering,
        value: f64,
    },
    /// The row's number is one of `numbers`, or its boolean one of `bools`, or its
    /// string matches `text`; negated: none of these.
    Match {
        column: usize,
        numbers: Vec<f64>,
        bools: [bool; 2],
        text: TextMatch,
        negate: bool,
    },
}

impl Predicate {
    /// Writes into `out[i]` whether row `lo + i` of the chunk matches.
    pub(crate) fn eval(&self, chunk: &Chunk, lo: usize, hi: usize, out: &mut [bool]) {
        out.fill(false);
        let (column, negate) = match self {
            Predicate::Exists { column, negate } => (*column, *negate),
            Predicate::Compare { column, .. } => (*column, false),
            Predicate::Match { column, negate, .. } => (*column, *negate),
        };
        if let Some(lanes) = chunk.column(column) {
            let nums = lanes.numbers.as_ref().map(|l| &l.values[lo..hi]);
            let strs = lanes.strings.as_ref().map(|l| (&l.ids[lo..hi], &l.dict));
            let bools = lanes.bools.as_ref().map(|l| &l.values[lo..hi]);
            match self {
                Predicate::Exists { .. } => {
                    if let Some(v) = nums {
                        or_each(out, v, |x| !x.is_nan());
                    }
                    if let Some((ids, _)) = strs {
                        or_each(out, ids, |id| id != NO_STR);
                    }
                    if let Some(v) = bools {
                        or_each(out, v, |b| b != NO_BOOL);
                    }
                }
                Predicate::Compare { op, value, .. } => {
                    if let Some(v) = nums {
                        let x = *value;
                        match op {
                            Ordering::Lt => or_each(out, v, |n| n < x),
                            Ordering::Le => or_each(out, v, |n| n <= x),
                            Ordering::Gt => or_each(out, v, |n| n > x),
                            Ordering::Ge => or_each(out, v, |n| n >= x),
                        }
                    }
                }
                Predicate::Match {
                    numbers,
                    bools: wanted,
                    text,
                    ..
                } => {
                    if let Some(v) = nums {
                        match numbers.as_slice() {
                            [] => {}
                            [x] => or_each(out, v, |n| n == *x),
                            xs => or_each(out, v, |n| xs.contains(&n)),
                        }
                    }
                    if let Some(v) = bools
                        && (wanted[0] || wanted[1])
                    {
                        let table = [wanted[0], wanted[1], false];
                        or_each(out, v, |b| table[usize::from(b)]);
                    }
                    if let Some((ids, dict)) = strs {
                        let mut hit: Vec<bool> = match text {
                            // Plain strings only: look them up instead of scanning.
                            TextMatch::Equal {
                                strings,
                                numbers,
                                bools: [false, false],
                            } if numbers.is_empty() => {
                                let mut hit = vec![false; dict.len()];
                                for id in strings.iter().filter_map(|s| dict.lookup(s)) {
                                    hit[id as usize] = true;
                                }
                                hit
                            }
                            _ => dict.iter().map(|(_, s)| text.matches(s)).collect(),
                        };
                        if hit.iter().any(|&h| h) {
                            hit.push(false); // NO_STR maps past the end: see below
                            let last = hit.len() - 1;
                            or_each(out, ids, |id| hit[(id as usize).min(last)]);
                        }
                    }
                }
            }
        }
        if negate {
            for o in out.iter_mut() {
                *o = !*o;
            }
        }
    }
}

/// `out[i] |= test(values[i])`.
#[inline]
fn or_each<T: Copy>(out: &mut [bool], values: &[T], test: impl Fn(T) -> bool) {
    for (o, &v) in out.iter_mut().zip(values) {
        *o |= test(v);
    }
}

/// The filters of a spec, resolved: `any` is OR, otherwise AND. No predicate: every row.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct FilterSet {
    pub(crate) predicates: Vec<Predicate>,
    pub(crate) any: bool,
}

impl FilterSet {
    /// The rows in `lo..hi` of the chunk that pass, ascending.
    pub(crate) fn select(&self, chunk: &Chunk, lo: usize, hi: usize) -> Vec<u32> {
        if self.predicates.is_empty() {
            return (lo as u32..hi as u32).collect();
        }
        let n = hi - lo;
        let mut acc = vec![!self.any; n];
        let mut one = vec![false; n];
        for p in &self.predicates {
            p.eval(chunk, lo, hi, &mut one);
            if self.any {
                acc.iter_mut().zip(&one).for_each(|(a, &o)| *a |= o);
            } else {
                acc.iter_mut().zip(&one).for_each(|(a, &o)| *a &= o);
            }
        }
        acc.iter()
            .enumerate()
            .filter(|&(_, &a)| a)
            .map(|(i, _)| (lo + i) as u32)
            .collect()
    }
}
