//! Accumulating calculations per slot (a group, or a group's time bucket), one column
//! at a time over plain slices. Calculations on the same column share their state:
//! SUM, AVG, MIN and MAX one [`Stats`], every percentile one value buffer.
//!
//! Percentiles use the **nearest-rank** definition: of a slot's `n` numbers sorted
//! ascending, Pp is the one at 1-based rank `ceil(p × n / 100)` (P50 of 1, 2, 3, 4 is
//! 2; P99 of 10 numbers is the largest). It is always one of the numbers seen, and is
//! found with `select_nth_unstable` on the slot's values.

use bulbwatch_api::CalcOp;

use crate::groups::ValueIds;
use crate::hash::FxHashSet;
use crate::spec::PlannedCalc;
use crate::table::chunk::Chunk;

/// The nearest-rank percentile `p` of `values` (reordered in place); `None` if empty.
pub fn nearest_rank(values: &mut [f64], p: u32) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let rank = (p as usize * values.len()).div_ceil(100).max(1);
    let (_, v, _) = values.select_nth_unstable_by(rank - 1, f64::total_cmp);
    Some(*v)
}

/// Count, sum, min and max of a column's numbers per slot.
struct Stats {
    column: usize,
    n: Vec<u64>,
    sum: Vec<f64>,
    min: Vec<f64>,
    max: Vec<f64>,
}

/// A column's numbers per slot, gathered as (slot, value) pairs and sorted into one
/// buffer by slot on [`Aggregates::finish`].
struct Quantiles {
    column: usize,
    slots: Vec<u32>,
    values: Vec<f64>,
    /// After finish: slot `s` owns `values[offsets[s]..offsets[s + 1]]`.
    offsets: Vec<usize>,
}

/// Distinct values of a column per slot.
struct Distinct<'t> {
    column: usize,
    ids: ValueIds<'t>,
    sets: Vec<FxHashSet<u32>>,
    scratch: Vec<u32>,
}

/// Where a calculation reads its result.
#[derive(Clone, Copy)]
enum Source {
    Count,
    Stats(usize),
    Quantiles(usize),
    Distinct(usize),
}

/// The state of every calculation of a query, for `slots` slots.
pub(crate) struct Aggregates<'t> {
    calcs: Vec<(CalcOp, Source)>,
    slots: usize,
    count: Vec<u64>,
    stats: Vec<Stats>,
    quantiles: Vec<Quantiles>,
    distinct: Vec<Distinct<'t>>,
}

impl<'t> Aggregates<'t> {
    /// State for `calcs` (no HEATMAP), with no slot yet.
    pub(crate) fn new(calcs: &[PlannedCalc]) -> Self {
        let mut a = Aggregates {
            calcs: Vec::new(),
            slots: 0,
            count: Vec::new(),
            stats: Vec::new(),
            quantiles: Vec::new(),
            distinct: Vec::new(),
        };
        for c in calcs {
            let column = c.column.unwrap_or_default();
            let source = match c.op {
                CalcOp::Count => Source::Count,
                CalcOp::Sum | CalcOp::Avg | CalcOp::Min | CalcOp::Max => {
                    Source::Stats(match a.stats.iter().position(|s| s.column == column) {
                        Some(i) => i,
                        None => {
                            a.stats.push(Stats {
                                column,
                                n: Vec::new(),
                                sum: Vec::new(),
                                min: Vec::new(),
                                max: Vec::new(),
                            });
                            a.stats.len() - 1
                        }
                    })
                }
                CalcOp::CountDistinct => {
                    Source::Distinct(match a.distinct.iter().position(|d| d.column == column) {
                        Some(i) => i,
                        None => {
                            a.distinct.push(Distinct {
                                column,
                                ids: ValueIds::new(),
                                sets: Vec::new(),
                                scratch: Vec::new(),
                            });
                            a.distinct.len() - 1
                        }
                    })
                }
                _ => Source::Quantiles(match a.quantiles.iter().position(|q| q.column == column) {
                    Some(i) => i,
                    None => {
                        a.quantiles.push(Quantiles {
                            column,
                            slots: Vec::new(),
                            values: Vec::new(),
                            offsets: Vec::new(),
                        });
                        a.quantiles.len() - 1
                    }
                }),
            };
            a.calcs.push((c.op, source));
        }
        a
    }

    /// Makes room for at least `slots` slots.
    pub(crate) fn grow(&mut self, slots: usize) {
        if slots <= self.slots {
            return;
        }
        self.slots = slots;
        self.count.resize(slots, 0);
        for s in &mut self.stats {
            s.n.resize(slots, 0);
            s.sum.resize(slots, 0.0);
            s.min.resize(slots, f64::INFINITY);
            s.max.resize(slots, f64::NEG_INFINITY);
        }
        for d in &mut self.distinct {
            d.sets.resize_with(slots, FxHashSet::default);
        }
    }

    /// Adds `rows` of the chunk, row `rows[i]` to slot `slots[i]` (below `grow`'s).
    pub(crate) fn add(&mut self, chunk: &'t Chunk, rows: &[u32], slots: &[u32]) {
        for &s in slots {
            self.count[s as usize] += 1;
        }
        for st in &mut self.stats {
            let Some(values) = chunk.numbers(st.column) else {
                continue;
            };
            for (&r, &s) in rows.iter().zip(slots) {
                let v = values[r as usize];
                if !v.is_nan() {
                    let s = s as usize;
                    st.n[s] += 1;
                    st.sum[s] += v;
                    st.min[s] = st.min[s].min(v);
                    st.max[s] = st.max[s].max(v);
                }
            }
        }
        for q in &mut self.quantiles {
            let Some(values) = chunk.numbers(q.column) else {
                continue;
            };
            for (&r, &s) in rows.iter().zip(slots) {
                let v = values[r as usize];
                if !v.is_nan() {
                    q.slots.push(s);
                    q.values.push(v);
                }
            }
        }
        for d in &mut self.distinct {
            let mut ids = std::mem::take(&mut d.scratch);
            d.ids.assign(chunk, d.column, rows, &mut ids, true);
            for (&id, &s) in ids.iter().zip(slots) {
                if id != u32::MAX {
                    d.sets[s as usize].insert(id);
                }
            }
            d.scratch = ids;
        }
    }

    /// Sorts the percentile buffers by slot; call once after the last `add`.
    pub(crate) fn finish(&mut self) {
        for q in &mut self.quantiles {
            let mut offsets = vec![0usize; self.slots + 1];
            for &s in &q.slots {
                offsets[s as usize + 1] += 1;
            }
            for i in 1..offsets.len() {
                offsets[i] += offsets[i - 1];
            }
            let mut next = offsets.clone();
            let mut sorted = vec![0.0; q.values.len()];
            for (&s, &v) in q.slots.iter().zip(&q.values) {
                sorted[next[s as usize]] = v;
                next[s as usize] += 1;
            }
            q.values = sorted;
            q.slots = Vec::new();
            q.offsets = offsets;
        }
    }

    /// Events added to a slot.
    pub(crate) fn count(&self, slot: usize) -> u64 {
        self.count[slot]
    }

    /// Calculation `calc`'s result for a slot (after `finish`).
    pub(crate) fn value(&mut self, calc: usize, slot: usize) -> Option<f64> {
        let (op, source) = self.calcs[calc];
        match source {
            Source::Count => Some(self.count[slot] as f64),
            Source::Distinct(i) => Some(self.distinct[i].sets[slot].len() as f64),
            Source::Stats(i) => {
                let st = &self.stats[i];
                if st.n[slot] == 0 {
                    return None;
                }
                Some(match op {
                    CalcOp::Sum => st.sum[slot],
                    CalcOp::Avg => st.sum[slot] / st.n[slot] as f64,
                    CalcOp::Min => st.min[slot],
                    _ => st.max[slot],
                })
            }
            Source::Quantiles(i) => {
                let q = &mut self.quantiles[i];
                let range = q.offsets[slot]..q.offsets[slot + 1];
                nearest_rank(&mut q.values[range], op.percentile().unwrap_or(50))
            }
        }
    }

    /// Every calculation's result for a slot.
    pub(crate) fn values(&mut self, slot: usize) -> Vec<Option<f64>> {
        (0..self.calcs.len()).map(|c| self.value(c, slot)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::nearest_rank;

    #[test]
    fn nearest_rank_picks_a_seen_value() {
        let p = |v: &[f64], p| nearest_rank(&mut v.to_vec(), p);
        assert_eq!(p(&[], 50), None);
        assert_eq!(p(&[7.0], 99), Some(7.0));
        assert_eq!(p(&[4.0, 1.0, 3.0, 2.0], 50), Some(2.0));
        assert_eq!(p(&[5.0, 1.0, 3.0, 2.0, 4.0], 50), Some(3.0));
        let ten: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(p(&ten, 90), Some(9.0));
        assert_eq!(p(&ten, 95), Some(10.0));
        assert_eq!(p(&ten, 99), Some(10.0));
        let hundred: Vec<f64> = (1..=100).rev().map(f64::from).collect();
        assert_eq!(p(&hundred, 95), Some(95.0));
    }
}
